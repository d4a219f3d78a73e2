/* Unit tests for system/runstate.c: QMP names, start/stop and the virtual clock, events in
 * order with their causes, shutdown/reset/powerdown requests (also from another thread),
 * -no-shutdown and -no-reboot. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <pthread.h>
#include <string.h>
#include "system/machine.h"
#include "system/main-loop.h"
#include "system/runstate.h"
#include "system/timer.h"
#include "target-i386/cpu.h"

#define MAX_EVENTS 16

typedef struct Recorded {
    RunEvent event;
    ShutdownCause cause;
} Recorded;

static Recorded events[MAX_EVENTS];
static int nr_events;
static int powerdown_hooks;

static void record_event(void *opaque, RunEvent event, ShutdownCause cause)
{
    int *calls = opaque;
    (*calls)++;
    if (nr_events < MAX_EVENTS) {
        events[nr_events++] = (Recorded){ event, cause };
    }
}

static void board_powerdown(Machine *machine)
{
    powerdown_hooks++;
}

static const MachineClass powerdown_board = {
    .name = "pwrboard",
    .description = "board with a power button",
    .arch = "i386",
    .default_cpu_model = "qemu32",
    .powerdown = board_powerdown,
};

static int listener_calls;
static Machine *machine;

static void assert_events(int n, const Recorded *expected)
{
    assert_int_equal(nr_events, n);
    for (int i = 0; i < n; i++) {
        assert_int_equal(events[i].event, expected[i].event);
        assert_int_equal(events[i].cause, expected[i].cause);
    }
}

static int setup(void **state)
{
    Error *err = NULL;
    MachineConfig c = { .arch = "i386", .smp_cpus = 1, .ram_size = 1 << 20 };

    main_loop_init();
    if (cpu_class_default("i386") != &x86_cpu_qemu32_class) {      /* links the models */
        return -1;
    }
    machine = machine_create(&powerdown_board, &c, &err);
    if (!machine) {
        return -1;
    }
    runstate_set(RUN_STATE_PRELAUNCH);
    runstate_set_no_shutdown(false);
    runstate_set_no_reboot(false);
    while (runstate_process_requests()) {
    }
    nr_events = 0;
    powerdown_hooks = 0;
    runstate_add_listener(record_event, &listener_calls);
    return 0;
}

static int teardown(void **state)
{
    vm_stop(RUN_STATE_PAUSED);
    runstate_remove_listener(record_event, &listener_calls);
    machine_destroy(machine);
    machine = NULL;
    return 0;
}

static void test_names(void **state)
{
    assert_string_equal(runstate_name(RUN_STATE_PRELAUNCH), "prelaunch");
    assert_string_equal(runstate_name(RUN_STATE_RUNNING), "running");
    assert_string_equal(runstate_name(RUN_STATE_PAUSED), "paused");
    assert_string_equal(runstate_name(RUN_STATE_DEBUG), "debug");
    assert_string_equal(runstate_name(RUN_STATE_SHUTDOWN), "shutdown");
    assert_string_equal(runstate_name(RUN_STATE_GUEST_PANICKED), "guest-panicked");
    assert_string_equal(runstate_name(RUN_STATE_INTERNAL_ERROR), "internal-error");
    assert_string_equal(runstate_name((RunState)99), "unknown");
    assert_string_equal(shutdown_cause_name(SHUTDOWN_CAUSE_HOST_ERROR), "host-error");
    assert_string_equal(shutdown_cause_name(SHUTDOWN_CAUSE_HOST_QMP_QUIT), "host-qmp-quit");
    assert_string_equal(shutdown_cause_name(SHUTDOWN_CAUSE_HOST_QMP_SYSTEM_RESET),
                        "host-qmp-system-reset");
    assert_string_equal(shutdown_cause_name(SHUTDOWN_CAUSE_HOST_SIGNAL), "host-signal");
    assert_string_equal(shutdown_cause_name(SHUTDOWN_CAUSE_HOST_UI), "host-ui");
    assert_string_equal(shutdown_cause_name(SHUTDOWN_CAUSE_GUEST_SHUTDOWN), "guest-shutdown");
    assert_string_equal(shutdown_cause_name(SHUTDOWN_CAUSE_GUEST_RESET), "guest-reset");
    assert_string_equal(shutdown_cause_name(SHUTDOWN_CAUSE_GUEST_PANIC), "guest-panic");
    assert_true(shutdown_cause_is_guest(SHUTDOWN_CAUSE_GUEST_RESET));
    assert_false(shutdown_cause_is_guest(SHUTDOWN_CAUSE_HOST_SIGNAL));
}

static void test_start_stop(void **state)
{
    assert_int_equal(runstate_get(), RUN_STATE_PRELAUNCH);
    assert_false(runstate_is_running());
    vm_start();
    assert_true(runstate_is_running());
    assert_true(clock_virtual_running());
    assert_false(cpu_is_stopped(cpu_first()));
    vm_start();                                 /* already running: no second event */
    vm_stop(RUN_STATE_PAUSED);
    assert_int_equal(runstate_get(), RUN_STATE_PAUSED);
    assert_false(clock_virtual_running());
    assert_true(cpu_is_stopped(cpu_first()));
    int64_t frozen = clock_get_ns(CLK_VIRTUAL);
    assert_int_equal(clock_get_ns(CLK_VIRTUAL), frozen);
    vm_stop(RUN_STATE_DEBUG);                   /* not running: state only, no event */
    assert_int_equal(runstate_get(), RUN_STATE_DEBUG);
    vm_start();
    const Recorded expected[] = {
        { RUN_EVENT_RESUME, SHUTDOWN_CAUSE_NONE },
        { RUN_EVENT_STOP, SHUTDOWN_CAUSE_NONE },
        { RUN_EVENT_RESUME, SHUTDOWN_CAUSE_NONE },
    };
    assert_events(3, expected);
}

static void test_shutdown_exits(void **state)
{
    vm_start();
    assert_false(runstate_process_requests());  /* nothing pending */
    system_shutdown_request(SHUTDOWN_CAUSE_GUEST_SHUTDOWN);
    assert_true(runstate_process_requests());
    assert_false(runstate_process_requests());  /* taken once */
    const Recorded expected[] = {
        { RUN_EVENT_RESUME, SHUTDOWN_CAUSE_NONE },
        { RUN_EVENT_SHUTDOWN, SHUTDOWN_CAUSE_GUEST_SHUTDOWN },
    };
    assert_events(2, expected);
}

static void test_no_shutdown_pauses(void **state)
{
    runstate_set_no_shutdown(true);
    vm_start();
    system_shutdown_request(SHUTDOWN_CAUSE_GUEST_SHUTDOWN);
    assert_false(runstate_process_requests());
    assert_int_equal(runstate_get(), RUN_STATE_SHUTDOWN);
    assert_false(clock_virtual_running());
    /* system_reset from the monitor brings it back in prelaunch; cont starts it */
    system_reset_request(SHUTDOWN_CAUSE_HOST_QMP_SYSTEM_RESET);
    assert_false(runstate_process_requests());
    assert_int_equal(runstate_get(), RUN_STATE_PRELAUNCH);
    vm_start();
    /* QMP quit ends the process even under -no-shutdown */
    system_shutdown_request(SHUTDOWN_CAUSE_HOST_QMP_QUIT);
    assert_true(runstate_process_requests());
    const Recorded expected[] = {
        { RUN_EVENT_RESUME, SHUTDOWN_CAUSE_NONE },
        { RUN_EVENT_SHUTDOWN, SHUTDOWN_CAUSE_GUEST_SHUTDOWN },
        { RUN_EVENT_STOP, SHUTDOWN_CAUSE_NONE },
        { RUN_EVENT_RESET, SHUTDOWN_CAUSE_HOST_QMP_SYSTEM_RESET },
        { RUN_EVENT_RESUME, SHUTDOWN_CAUSE_NONE },
        { RUN_EVENT_SHUTDOWN, SHUTDOWN_CAUSE_HOST_QMP_QUIT },
    };
    assert_events(6, expected);
}

static void test_reset_while_running(void **state)
{
    X86CPU *x = x86_cpu(cpu_first());
    vm_start();
    x->regs[R_EAX] = 0x55;
    x->rip = 0x1234;
    system_reset_request(SHUTDOWN_CAUSE_GUEST_RESET);
    assert_false(runstate_process_requests());
    assert_int_equal(x->regs[R_EAX], 0);
    assert_int_equal(x->rip, 0xfff0);
    assert_true(runstate_is_running());         /* keeps running after a reset */
    assert_false(cpu_is_stopped(&x->parent));
    const Recorded expected[] = {
        { RUN_EVENT_RESUME, SHUTDOWN_CAUSE_NONE },
        { RUN_EVENT_RESET, SHUTDOWN_CAUSE_GUEST_RESET },
    };
    assert_events(2, expected);
}

static void test_no_reboot_turns_reset_into_shutdown(void **state)
{
    X86CPU *x = x86_cpu(cpu_first());
    runstate_set_no_reboot(true);
    vm_start();
    x->regs[R_EAX] = 0x55;
    system_reset_request(SHUTDOWN_CAUSE_GUEST_RESET);
    assert_true(runstate_process_requests());
    assert_int_equal(x->regs[R_EAX], 0x55);     /* no reset happened */
    const Recorded expected[] = {
        { RUN_EVENT_RESUME, SHUTDOWN_CAUSE_NONE },
        { RUN_EVENT_SHUTDOWN, SHUTDOWN_CAUSE_GUEST_RESET },
    };
    assert_events(2, expected);

    /* with -no-shutdown too, the VM stays in the shutdown state */
    nr_events = 0;
    runstate_set_no_shutdown(true);
    system_reset_request(SHUTDOWN_CAUSE_GUEST_RESET);
    assert_false(runstate_process_requests());
    assert_int_equal(runstate_get(), RUN_STATE_SHUTDOWN);
    const Recorded expected2[] = {
        { RUN_EVENT_SHUTDOWN, SHUTDOWN_CAUSE_GUEST_RESET },
        { RUN_EVENT_STOP, SHUTDOWN_CAUSE_NONE },
    };
    assert_events(2, expected2);
}

static void test_powerdown(void **state)
{
    vm_start();
    system_powerdown_request();
    assert_false(runstate_process_requests());
    assert_int_equal(powerdown_hooks, 1);
    assert_true(runstate_is_running());
    const Recorded expected[] = {
        { RUN_EVENT_RESUME, SHUTDOWN_CAUSE_NONE },
        { RUN_EVENT_POWERDOWN, SHUTDOWN_CAUSE_NONE },
    };
    assert_events(2, expected);
}

static void test_stop_request(void **state)
{
    vm_start();
    vm_stop_request(RUN_STATE_INTERNAL_ERROR);
    assert_true(runstate_is_running());         /* only the main loop carries it out */
    assert_false(runstate_process_requests());
    assert_int_equal(runstate_get(), RUN_STATE_INTERNAL_ERROR);
    assert_int_equal(events[nr_events - 1].event, RUN_EVENT_STOP);
}

static void *request_from_thread(void *opaque)
{
    system_reset_request(SHUTDOWN_CAUSE_GUEST_RESET);
    system_shutdown_request(SHUTDOWN_CAUSE_HOST_SIGNAL);
    return NULL;
}

/* Requests from another thread wake the main loop and are carried out there, both of them:
 * the reset first, then the shutdown that ends the process. */
static void test_requests_from_another_thread(void **state)
{
    pthread_t thread;
    X86CPU *x = x86_cpu(cpu_first());
    vm_start();
    x->regs[R_EAX] = 0x55;
    assert_int_equal(pthread_create(&thread, NULL, request_from_thread, NULL), 0);
    pthread_join(thread, NULL);
    main_loop_wait(10 * NS_PER_SEC);            /* returns at once: the loop was kicked */
    assert_true(runstate_process_requests());
    assert_int_equal(x->regs[R_EAX], 0);
    const Recorded expected[] = {
        { RUN_EVENT_RESUME, SHUTDOWN_CAUSE_NONE },
        { RUN_EVENT_RESET, SHUTDOWN_CAUSE_GUEST_RESET },
        { RUN_EVENT_SHUTDOWN, SHUTDOWN_CAUSE_HOST_SIGNAL },
    };
    assert_events(3, expected);
    assert_false(runstate_process_requests());  /* nothing left */
    assert_int_equal(nr_events, 3);
}

static void test_listener_removal(void **state)
{
    int other_calls = 0;
    runstate_add_listener(record_event, &other_calls);
    int before = listener_calls;
    vm_start();
    assert_int_equal(listener_calls, before + 1);
    assert_int_equal(other_calls, 1);
    runstate_remove_listener(record_event, &other_calls);
    vm_stop(RUN_STATE_PAUSED);
    assert_int_equal(listener_calls, before + 2);
    assert_int_equal(other_calls, 1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_names),
        cmocka_unit_test_setup_teardown(test_start_stop, setup, teardown),
        cmocka_unit_test_setup_teardown(test_shutdown_exits, setup, teardown),
        cmocka_unit_test_setup_teardown(test_no_shutdown_pauses, setup, teardown),
        cmocka_unit_test_setup_teardown(test_reset_while_running, setup, teardown),
        cmocka_unit_test_setup_teardown(test_no_reboot_turns_reset_into_shutdown, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_powerdown, setup, teardown),
        cmocka_unit_test_setup_teardown(test_stop_request, setup, teardown),
        cmocka_unit_test_setup_teardown(test_requests_from_another_thread, setup, teardown),
        cmocka_unit_test_setup_teardown(test_listener_removal, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
