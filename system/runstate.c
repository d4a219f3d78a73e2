/* Run states of the VM and the shutdown/reset/powerdown requests carried out by the main
 * loop; names and causes as QEMU's QMP spells them (qapi/run-state.json). */
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include "system/cpu.h"
#include "system/machine.h"
#include "system/main-loop.h"
#include "system/runstate.h"
#include "system/timer.h"
#include "util/cutils.h"
#include "util/error.h"

#define MAX_LISTENERS 16

typedef struct {
    RunEventListener *fn;
    void *opaque;
} Listener;

static RunState current_state = RUN_STATE_PRELAUNCH;
static bool no_shutdown;
static bool no_reboot;
/* Pending requests, set from any thread (a signal handler too): a ShutdownCause, or 0. */
static atomic_int shutdown_request;
static atomic_int reset_request;
static atomic_int powerdown_request;
static atomic_int stop_request;         /* RunState + 1, or 0 */
static Listener listeners[MAX_LISTENERS];
static int nr_listeners;

static const char *const run_state_names[] = {
    [RUN_STATE_PRELAUNCH] = "prelaunch",
    [RUN_STATE_RUNNING] = "running",
    [RUN_STATE_PAUSED] = "paused",
    [RUN_STATE_DEBUG] = "debug",
    [RUN_STATE_SHUTDOWN] = "shutdown",
    [RUN_STATE_GUEST_PANICKED] = "guest-panicked",
    [RUN_STATE_INTERNAL_ERROR] = "internal-error",
};

static const char *const shutdown_cause_names[] = {
    [SHUTDOWN_CAUSE_NONE] = "none",
    [SHUTDOWN_CAUSE_HOST_ERROR] = "host-error",
    [SHUTDOWN_CAUSE_HOST_QMP_QUIT] = "host-qmp-quit",
    [SHUTDOWN_CAUSE_HOST_QMP_SYSTEM_RESET] = "host-qmp-system-reset",
    [SHUTDOWN_CAUSE_HOST_SIGNAL] = "host-signal",
    [SHUTDOWN_CAUSE_HOST_UI] = "host-ui",
    [SHUTDOWN_CAUSE_GUEST_SHUTDOWN] = "guest-shutdown",
    [SHUTDOWN_CAUSE_GUEST_RESET] = "guest-reset",
    [SHUTDOWN_CAUSE_GUEST_PANIC] = "guest-panic",
};

const char *runstate_name(RunState state)
{
    if ((unsigned)state >= ARRAY_SIZE(run_state_names)) {
        return "unknown";
    }
    return run_state_names[state];
}

const char *shutdown_cause_name(ShutdownCause cause)
{
    if ((unsigned)cause >= ARRAY_SIZE(shutdown_cause_names)) {
        return "unknown";
    }
    return shutdown_cause_names[cause];
}

bool shutdown_cause_is_guest(ShutdownCause cause)
{
    return cause == SHUTDOWN_CAUSE_GUEST_SHUTDOWN || cause == SHUTDOWN_CAUSE_GUEST_RESET ||
           cause == SHUTDOWN_CAUSE_GUEST_PANIC;
}

RunState runstate_get(void)
{
    return current_state;
}

bool runstate_is_running(void)
{
    return current_state == RUN_STATE_RUNNING;
}

void runstate_set(RunState state)
{
    current_state = state;
}

void runstate_set_no_shutdown(bool on)
{
    no_shutdown = on;
}

void runstate_set_no_reboot(bool on)
{
    no_reboot = on;
}

/* ---- events --------------------------------------------------------------------------- */

void runstate_add_listener(RunEventListener *fn, void *opaque)
{
    if (nr_listeners == MAX_LISTENERS) {
        fprintf(stderr, "runstate_add_listener: too many listeners\n");
        abort();
    }
    listeners[nr_listeners++] = (Listener){ fn, opaque };
}

void runstate_remove_listener(RunEventListener *fn, void *opaque)
{
    for (int i = 0; i < nr_listeners; i++) {
        if (listeners[i].fn == fn && listeners[i].opaque == opaque) {
            nr_listeners--;
            for (int j = i; j < nr_listeners; j++) {
                listeners[j] = listeners[j + 1];
            }
            return;
        }
    }
}

static void runstate_emit(RunEvent event, ShutdownCause cause)
{
    for (int i = 0; i < nr_listeners; i++) {
        listeners[i].fn(listeners[i].opaque, event, cause);
    }
}

/* ---- start and stop -------------------------------------------------------------------- */

void vm_start(void)
{
    if (runstate_is_running()) {
        return;
    }
    clock_virtual_start();
    runstate_set(RUN_STATE_RUNNING);
    cpus_resume_all();
    runstate_emit(RUN_EVENT_RESUME, SHUTDOWN_CAUSE_NONE);
}

void vm_stop(RunState new_state)
{
    if (!runstate_is_running()) {
        runstate_set(new_state);
        return;
    }
    cpus_pause_all();
    clock_virtual_stop();
    runstate_set(new_state);
    runstate_emit(RUN_EVENT_STOP, SHUTDOWN_CAUSE_NONE);
}

/* ---- requests from any thread ------------------------------------------------------------ */

void system_shutdown_request(ShutdownCause cause)
{
    atomic_store(&shutdown_request, cause == SHUTDOWN_CAUSE_NONE ? SHUTDOWN_CAUSE_HOST_ERROR
                                                                  : cause);
    main_loop_kick();
}

static volatile sig_atomic_t termination_signal;

void system_signal_shutdown_request(int sig)
{
    termination_signal = sig;
    system_shutdown_request(SHUTDOWN_CAUSE_HOST_SIGNAL);
}

int system_termination_signal(void)
{
    return termination_signal;
}

void system_reset_request(ShutdownCause cause)
{
    atomic_store(&reset_request, cause == SHUTDOWN_CAUSE_NONE ? SHUTDOWN_CAUSE_GUEST_RESET
                                                               : cause);
    main_loop_kick();
}

static char reset_reason[256];

void system_reset_request_reason(ShutdownCause cause, const char *why)
{
    snprintf(reset_reason, sizeof(reset_reason), "%s", why);
    system_reset_request(cause);
}

void system_powerdown_request(void)
{
    atomic_store(&powerdown_request, 1);
    main_loop_kick();
}

void vm_stop_request(RunState state)
{
    atomic_store(&stop_request, (int)state + 1);
    main_loop_kick();
}

/* ---- carried out by the main loop ------------------------------------------------------ */

/* Host quits (QMP quit, a signal) always end the process; the rest obeys -no-shutdown. */
static bool shutdown_pauses(ShutdownCause cause)
{
    return no_shutdown && cause != SHUTDOWN_CAUSE_HOST_QMP_QUIT &&
           cause != SHUTDOWN_CAUSE_HOST_SIGNAL;
}

/* Returns true if the process should exit. */
static bool runstate_do_shutdown(ShutdownCause cause)
{
    runstate_emit(RUN_EVENT_SHUTDOWN, cause);
    if (shutdown_pauses(cause)) {
        vm_stop(RUN_STATE_SHUTDOWN);
        return false;
    }
    return true;
}

/* Like QEMU: the CPUs are paused around the reset, and a VM that was not running comes
 * back in prelaunch, waiting for "cont". */
static void runstate_do_reset(ShutdownCause cause)
{
    bool was_running = runstate_is_running();
    Machine *machine = current_machine();

    if (was_running) {
        cpus_pause_all();
    }
    if (machine) {
        machine_reset(machine);
    }
    runstate_emit(RUN_EVENT_RESET, cause);
    if (was_running) {
        cpus_resume_all();
    } else {
        runstate_set(RUN_STATE_PRELAUNCH);
    }
}

static void runstate_do_powerdown(void)
{
    Machine *machine = current_machine();

    runstate_emit(RUN_EVENT_POWERDOWN, SHUTDOWN_CAUSE_NONE);
    if (machine && machine->cls->powerdown) {
        machine->cls->powerdown(machine);
    }
}

/* Resets first: a reset asked for together with a shutdown (QMP system_reset then quit in
 * one read) still happens and is reported before the SHUTDOWN event. */
bool runstate_process_requests(void)
{
    ShutdownCause cause = atomic_exchange(&reset_request, SHUTDOWN_CAUSE_NONE);
    if (cause != SHUTDOWN_CAUSE_NONE) {
        /* -no-reboot: every reset request becomes a shutdown, as in QEMU. */
        if (no_reboot) {
            if (reset_reason[0]) {
                error_report("guest reset after a %s; -no-reboot: exiting", reset_reason);
                reset_reason[0] = 0;
            }
            if (runstate_do_shutdown(cause)) {
                return true;
            }
        } else {
            reset_reason[0] = 0;
            runstate_do_reset(cause);
        }
    }
    cause = atomic_exchange(&shutdown_request, SHUTDOWN_CAUSE_NONE);
    if (cause != SHUTDOWN_CAUSE_NONE && runstate_do_shutdown(cause)) {
        return true;
    }
    if (atomic_exchange(&powerdown_request, 0)) {
        runstate_do_powerdown();
    }
    int stop = atomic_exchange(&stop_request, 0);
    if (stop) {
        vm_stop((RunState)(stop - 1));
    }
    return false;
}
