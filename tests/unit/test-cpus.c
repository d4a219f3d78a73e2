/* Unit tests for system/cpus.c and system/cpu-common.c: CPU and accelerator registries,
 * the CPU list, register lookup by name, vCPU threads under a fake accelerator (pause,
 * resume, halt and wake by interrupt, exit requests, thread shutdown, a vCPU thread
 * running its CPU's own timers). */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <sched.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "system/cpu.h"
#include "system/main-loop.h"
#include "system/timer.h"

/* ---- a fake target: one 64-bit "pc" and one 32-bit "acc" register ------------------ */

typedef struct FakeCPU {
    CPUState parent;
    uint64_t pc;
    uint32_t acc;
    int resets;
} FakeCPU;

static const CPURegisterInfo fake_registers[] = { { "pc", 64 }, { "acc", 32 }, { NULL, 0 } };

static void fake_reset(CPUState *cpu)
{
    FakeCPU *f = (FakeCPU *)cpu;
    f->pc = 0x100;
    f->acc = 0;
    f->resets++;
}

static int fake_get_register(CPUState *cpu, int index, uint64_t *value)
{
    FakeCPU *f = (FakeCPU *)cpu;
    switch (index) {
    case 0: *value = f->pc; return 0;
    case 1: *value = f->acc; return 0;
    default: return -1;
    }
}

static int fake_set_register(CPUState *cpu, int index, uint64_t value)
{
    FakeCPU *f = (FakeCPU *)cpu;
    switch (index) {
    case 0: f->pc = value; return 0;
    case 1: f->acc = (uint32_t)value; return 0;
    default: return -1;
    }
}

static const CPUClass fake_cpu_class = {
    .arch = "testarch",
    .model = "fake",
    .description = "a test CPU",
    .instance_size = sizeof(FakeCPU),
    .reset = fake_reset,
    .registers = fake_registers,
    .get_register = fake_get_register,
    .set_register = fake_set_register,
};

static const CPUClass fake_cpu_class2 = {
    .arch = "testarch",
    .model = "fake2",
    .description = "another test CPU",
    .instance_size = sizeof(FakeCPU),
};

/* ---- a fake accelerator ------------------------------------------------------------- */

#define NR_TEST_CPUS 3

typedef struct FakeVcpu {
    atomic_int runs;            /* calls of vcpu_run */
    atomic_int in_run;          /* inside vcpu_run now */
    atomic_int exits;           /* vcpu_run left because exit_request was set */
    atomic_int irqs_taken;
    atomic_int halt_next;       /* test asks: execute "HLT" on the next run */
    atomic_int halts;           /* HLTs executed */
    atomic_int do_mmio;         /* test asks: take the big lock in the run loop ("MMIO") */
    atomic_int pause_all_next;  /* test asks: call cpus_pause_all from this vCPU */
    uint64_t accel_pc;          /* the accelerator's own copy of "pc" (as KVM keeps one) */
    atomic_int syncs_to, syncs_from;
    atomic_int paused_others;   /* ... and it returned */
    atomic_int mmio_done;
    atomic_int kicks;
    atomic_int destroyed;
    atomic_int wrong_thread;    /* current_cpu() was not this CPU inside vcpu_run */
    Timer *_Atomic arm_timer;   /* test asks: arm this timer 20 ms ahead from guest code */
    atomic_int busy;            /* test asks: spin without yielding (uses CPU as guest code) */
} FakeVcpu;

static FakeVcpu fake_vcpus[NR_TEST_CPUS];
static int failing_init_index = -1;     /* vcpu_init fails for this CPU */

static int fake_vcpu_init(CPUState *cpu, Error **errp)
{
    FakeVcpu *v = &fake_vcpus[cpu->index];
    cpu->accel_state = v;
    if (current_cpu() != cpu) {             /* must run on the vCPU's own thread */
        atomic_fetch_add(&v->wrong_thread, 1);
    }
    if (cpu->index == failing_init_index) {
        error_setg(errp, "no vCPU for you");
        return -1;
    }
    return 0;
}

/* One pretend device access: the big lock around it, as the real dispatch path takes it. */
static void fake_mmio(FakeVcpu *v)
{
    bql_lock();
    atomic_fetch_add(&v->mmio_done, 1);
    bql_unlock();
}

/* "Runs guest code": takes a pending interrupt (leaving the halted state), executes a HLT
 * when asked, does a device access per step when asked (before looking at exit_request, so
 * a held big lock keeps it from ever seeing the request), until the exit request. */
static void fake_vcpu_run(CPUState *cpu)
{
    FakeVcpu *v = cpu->accel_state;

    atomic_fetch_add(&v->runs, 1);
    atomic_store(&v->in_run, 1);
    if (current_cpu() != cpu) {
        atomic_fetch_add(&v->wrong_thread, 1);
    }
    for (;;) {
        v->accel_pc += 4;               /* "executes an instruction" */
        if (atomic_load(&v->do_mmio)) {
            fake_mmio(v);
        }
        Timer *arm = atomic_exchange(&v->arm_timer, NULL);
        if (arm) {
            bql_lock();                 /* as a write to the LAPIC timer's register */
            timer_mod(arm, clock_get_ns(CLK_REALTIME) + 20 * NS_PER_MS);
            bql_unlock();
        }
        if (atomic_load(&cpu->exit_request)) {
            break;
        }
        if (atomic_load(&cpu->interrupt_request) & CPU_INTERRUPT_HARD) {
            cpu_reset_interrupt(cpu, CPU_INTERRUPT_HARD);
            cpu->halted = false;
            atomic_fetch_add(&v->irqs_taken, 1);
        }
        if (atomic_exchange(&v->pause_all_next, 0)) {
            cpus_pause_all();           /* e.g. a debugger stop decided on this vCPU */
            atomic_fetch_add(&v->paused_others, 1);
            break;
        }
        if (atomic_exchange(&v->halt_next, 0)) {
            cpu->halted = true;
            atomic_fetch_add(&v->halts, 1);
            atomic_store(&v->in_run, 0);
            return;
        }
        if (!atomic_load(&v->busy)) {
            sched_yield();
        }
    }
    atomic_fetch_add(&v->exits, 1);
    atomic_store(&v->in_run, 0);
}

static void fake_vcpu_kick(CPUState *cpu)
{
    atomic_fetch_add(&((FakeVcpu *)cpu->accel_state)->kicks, 1);
}

static void fake_sync_to_common(CPUState *cpu)
{
    FakeVcpu *v = cpu->accel_state;
    ((FakeCPU *)cpu)->pc = v->accel_pc;
    atomic_fetch_add(&v->syncs_to, 1);
}

static void fake_sync_from_common(CPUState *cpu)
{
    FakeVcpu *v = cpu->accel_state;
    v->accel_pc = ((FakeCPU *)cpu)->pc;
    atomic_fetch_add(&v->syncs_from, 1);
}

static void fake_vcpu_destroy(CPUState *cpu)
{
    atomic_store(&((FakeVcpu *)cpu->accel_state)->destroyed, 1);
}

static const AccelOps fake_accel = {
    .name = "fake",
    .description = "test accelerator",
    .vcpu_init = fake_vcpu_init,
    .vcpu_run = fake_vcpu_run,
    .vcpu_kick = fake_vcpu_kick,
    .vcpu_destroy = fake_vcpu_destroy,
    .sync_to_common = fake_sync_to_common,
    .sync_from_common = fake_sync_from_common,
};

static void __attribute__((constructor)) register_fakes(void)
{
    cpu_class_register(&fake_cpu_class);
    cpu_class_register(&fake_cpu_class2);
    accel_register(&fake_accel);
}

/* Waits (yielding, no clock) until cond holds; fails the test after a generous bound. */
#define WAIT_FOR(cond)                                                   \
    do {                                                                 \
        long spins_ = 0;                                                 \
        while (!(cond)) {                                                \
            assert_true(++spins_ < 200000000L);                          \
            sched_yield();                                               \
        }                                                                \
    } while (0)

static CPUState *test_cpus[NR_TEST_CPUS];

static int create_cpus(void **state)
{
    memset(fake_vcpus, 0, sizeof(fake_vcpus));
    for (int i = 0; i < NR_TEST_CPUS; i++) {
        Error *err = NULL;
        test_cpus[i] = cpu_create(&fake_cpu_class, NULL, i, &err);
        if (!test_cpus[i]) {
            return -1;
        }
    }
    return 0;
}

static int destroy_cpus(void **state)
{
    for (int i = 0; i < NR_TEST_CPUS; i++) {
        cpu_destroy(test_cpus[i]);
        test_cpus[i] = NULL;
    }
    return cpu_first() == NULL ? 0 : -1;
}

static char *capture(void (*print)(FILE *, const char *), const char *arg)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    print(f, arg);
    fclose(f);
    return buf;
}

static void print_accels(FILE *f, const char *unused)
{
    accel_print_list(f);
}

/* ---- registries ----------------------------------------------------------------------- */

static void test_cpu_class_registry(void **state)
{
    assert_ptr_equal(cpu_class_find("testarch", "fake"), &fake_cpu_class);
    assert_ptr_equal(cpu_class_find("testarch", "fake2"), &fake_cpu_class2);
    assert_null(cpu_class_find("arm", "fake"));
    assert_null(cpu_class_find("testarch", "nosuch"));
    assert_ptr_equal(cpu_class_default("testarch"), &fake_cpu_class);
    assert_null(cpu_class_default("nosucharch"));

    char *list = capture(cpu_class_print_list, "testarch");
    assert_non_null(strstr(list, "Available CPUs:\n"));
    assert_non_null(strstr(list, "fake             a test CPU (default)\n"));
    assert_non_null(strstr(list, "fake2            another test CPU\n"));
    free(list);
}

static void test_accel_registry(void **state)
{
    assert_ptr_equal(accel_find("fake"), &fake_accel);
    assert_null(accel_find("nosuch"));
    assert_null(accel_find(NULL));
    char *list = capture(print_accels, NULL);
    assert_non_null(strstr(list, "fake"));
    assert_non_null(strstr(list, "test accelerator"));
    free(list);
}

/* ---- creation, list, reset -------------------------------------------------------------- */

static void test_cpu_list(void **state)
{
    Error *err = NULL;
    int n = 0;
    for (CPUState *cpu = cpu_first(); cpu; cpu = cpu_next(cpu)) {
        assert_int_equal(cpu->index, n);
        assert_ptr_equal(cpu, test_cpus[n]);
        n++;
    }
    assert_int_equal(n, NR_TEST_CPUS);
    assert_ptr_equal(cpu_by_index(2), test_cpus[2]);
    assert_null(cpu_by_index(7));

    assert_null(cpu_create(&fake_cpu_class, NULL, 1, &err));
    assert_non_null(err);
    assert_non_null(strstr(error_get_message(err), "CPU index 1"));
    error_free(err);
}

static void test_cpu_reset(void **state)
{
    CPUState *cpu = test_cpus[0];
    FakeCPU *f = (FakeCPU *)cpu;
    assert_int_equal(f->resets, 1);          /* cpu_create resets */
    assert_int_equal(cpu->exception_index, -1);
    f->pc = 0x1234;
    cpu->halted = true;
    cpu_interrupt(cpu, CPU_INTERRUPT_HARD | CPU_INTERRUPT_NMI);
    cpu_reset(cpu);
    assert_int_equal(f->pc, 0x100);
    assert_false(cpu->halted);
    assert_int_equal(atomic_load(&cpu->interrupt_request), 0);
    assert_int_equal(f->resets, 2);
}

static void test_register_by_name(void **state)
{
    CPUState *cpu = test_cpus[1];
    uint64_t v;
    assert_int_equal(cpu_register_index(cpu, "pc"), 0);
    assert_int_equal(cpu_register_index(cpu, "ACC"), 1);
    assert_int_equal(cpu_register_index(cpu, "nosuch"), -1);
    assert_int_equal(cpu_set_register_by_name(cpu, "Acc", 0x1122334455ULL), 0);
    assert_int_equal(cpu_get_register_by_name(cpu, "acc", &v), 0);
    assert_int_equal(v, 0x22334455);
    assert_int_equal(cpu_get_register_by_name(cpu, "pc", &v), 0);
    assert_int_equal(v, 0x100);
    assert_int_equal(cpu_get_register_by_name(cpu, "xyz", &v), -1);
    assert_int_equal(cpu_set_register_by_name(cpu, "xyz", 1), -1);
}

static void test_interrupt_lines(void **state)
{
    CPUState *cpu = test_cpus[0];
    assert_false(cpu_has_work(cpu));
    cpu_interrupt(cpu, CPU_INTERRUPT_HARD);
    cpu_interrupt(cpu, CPU_INTERRUPT_NMI);
    assert_int_equal(atomic_load(&cpu->interrupt_request),
                     CPU_INTERRUPT_HARD | CPU_INTERRUPT_NMI);
    assert_true(cpu_has_work(cpu));
    cpu_reset_interrupt(cpu, CPU_INTERRUPT_HARD);
    assert_int_equal(atomic_load(&cpu->interrupt_request), CPU_INTERRUPT_NMI);
    cpu_reset_interrupt(cpu, CPU_INTERRUPT_NMI);
    assert_false(cpu_has_work(cpu));
    cpu_interrupt(cpu, CPU_INTERRUPT_EXITTB);
    assert_false(cpu_has_work(cpu));
    cpu_exit(cpu);
    assert_int_equal(atomic_load(&cpu->exit_request), 1);
}

/* ---- vCPU threads ----------------------------------------------------------------------- */

static bool all_running_again(const int *runs_before)
{
    for (int i = 0; i < NR_TEST_CPUS; i++) {
        if (atomic_load(&fake_vcpus[i].runs) <= runs_before[i]) {
            return false;
        }
    }
    return true;
}

static void assert_all_paused(void)
{
    for (int i = 0; i < NR_TEST_CPUS; i++) {
        assert_true(cpu_is_stopped(test_cpus[i]));
        assert_int_equal(atomic_load(&fake_vcpus[i].in_run), 0);
    }
}

static void test_threads_pause_resume(void **state)
{
    Error *err = NULL;
    int runs[NR_TEST_CPUS];

    assert_int_equal(cpus_start_threads(&fake_accel, &err), 0);
    assert_ptr_equal(accel_current(), &fake_accel);
    for (int i = 0; i < NR_TEST_CPUS; i++) {
        assert_true(test_cpus[i]->thread_created);
        assert_ptr_equal(test_cpus[i]->accel_state, &fake_vcpus[i]);
    }
    char name[16];
    assert_int_equal(pthread_getname_np(test_cpus[2]->thread, name, sizeof(name)), 0);
    assert_string_equal(name, "CPU 2/FAKE");
    assert_all_paused();                        /* created stopped: the VM is not started */
    assert_null(current_cpu());

    for (int round = 0; round < 3; round++) {
        for (int i = 0; i < NR_TEST_CPUS; i++) {
            runs[i] = atomic_load(&fake_vcpus[i].runs);
        }
        cpus_resume_all();
        WAIT_FOR(all_running_again(runs));
        for (int i = 0; i < NR_TEST_CPUS; i++) {
            assert_false(cpu_is_stopped(test_cpus[i]));
        }
        cpus_pause_all();
        assert_all_paused();
        for (int i = 0; i < NR_TEST_CPUS; i++) {
            /* each one left vcpu_run through its exit request, and was kicked */
            assert_true(atomic_load(&fake_vcpus[i].exits) >= round + 1);
            assert_true(atomic_load(&fake_vcpus[i].kicks) >= round + 1);
        }
    }
    cpus_stop_threads();
    for (int i = 0; i < NR_TEST_CPUS; i++) {
        assert_false(test_cpus[i]->thread_created);
        assert_int_equal(atomic_load(&fake_vcpus[i].destroyed), 1);
        assert_int_equal(atomic_load(&fake_vcpus[i].wrong_thread), 0);
    }
}

static void test_interrupt_wakes_halted_cpu(void **state)
{
    Error *err = NULL;
    FakeVcpu *v = &fake_vcpus[1];
    CPUState *cpu = test_cpus[1];

    assert_int_equal(cpus_start_threads(&fake_accel, &err), 0);
    atomic_store(&v->halt_next, 1);
    cpus_resume_all();
    /* the CPU executes HLT and its thread goes to sleep */
    WAIT_FOR(atomic_load(&v->halts) == 1 && !atomic_load(&v->in_run));
    assert_true(cpu->halted);
    int runs = atomic_load(&v->runs);
    assert_int_equal(atomic_load(&v->irqs_taken), 0);

    cpu_interrupt(cpu, CPU_INTERRUPT_HARD);
    WAIT_FOR(atomic_load(&v->irqs_taken) == 1);
    assert_true(atomic_load(&v->runs) > runs);
    assert_false(cpu->halted);

    /* halted again, a paused VM still pauses cleanly */
    atomic_store(&v->halt_next, 1);
    WAIT_FOR(atomic_load(&v->halts) == 2 && !atomic_load(&v->in_run));
    cpus_pause_all();
    assert_all_paused();
    /* an interrupt while paused wakes nobody into guest code */
    runs = atomic_load(&v->runs);
    cpu_interrupt(cpu, CPU_INTERRUPT_HARD);
    assert_true(cpu_is_stopped(cpu));
    cpus_resume_all();
    WAIT_FOR(atomic_load(&v->irqs_taken) == 2);
    assert_true(atomic_load(&v->runs) > runs);
    cpus_pause_all();
    cpus_stop_threads();
}

static void test_start_threads_refuses_accel_without_run(void **state)
{
    static const AccelOps broken = { .name = "broken" };
    Error *err = NULL;
    assert_int_equal(cpus_start_threads(&broken, &err), -1);
    assert_non_null(strstr(error_get_message(err), "broken"));
    error_free(err);
    for (int i = 0; i < NR_TEST_CPUS; i++) {
        assert_false(test_cpus[i]->thread_created);
    }
}

static void test_vcpu_init_failure(void **state)
{
    Error *err = NULL;
    failing_init_index = 2;
    assert_int_equal(cpus_start_threads(&fake_accel, &err), -1);
    failing_init_index = -1;
    assert_non_null(err);
    assert_string_equal(error_get_message(err), "CPU #2: no vCPU for you");
    error_free(err);
    assert_true(test_cpus[0]->thread_created);
    assert_false(test_cpus[2]->thread_created);
    for (int i = 0; i < NR_TEST_CPUS; i++) {
        assert_int_equal(atomic_load(&fake_vcpus[i].wrong_thread), 0);
    }
    cpus_stop_threads();
}

/* vCPUs doing device accesses need the big lock to reach their exit check: pausing them
 * with the lock held works only because cpus_pause_all lets go of it while it waits. */
static void test_pause_releases_big_lock(void **state)
{
    Error *err = NULL;
    alarm(60);                                  /* a deadlock kills the test, not CI time */
    for (int i = 0; i < NR_TEST_CPUS; i++) {
        atomic_store(&fake_vcpus[i].do_mmio, 1);
    }
    assert_int_equal(cpus_start_threads(&fake_accel, &err), 0);
    bql_lock();
    cpus_resume_all();
    bql_unlock();
    for (int i = 0; i < NR_TEST_CPUS; i++) {
        WAIT_FOR(atomic_load(&fake_vcpus[i].mmio_done) > 0);
    }
    bql_lock();
    /* a vCPU blocks in its next access until the lock is let go; kept, it would hang here */
    cpus_pause_all();
    assert_true(bql_locked());                  /* held again on return */
    assert_all_paused();
    cpus_resume_all();
    cpus_stop_threads();                        /* also joins with the lock held */
    assert_true(bql_locked());
    bql_unlock();
    alarm(0);
}

/* A vCPU may pause everyone, itself included, without waiting for itself. */
static void test_pause_from_a_vcpu(void **state)
{
    Error *err = NULL;
    int runs[NR_TEST_CPUS] = { 0 };

    assert_int_equal(cpus_start_threads(&fake_accel, &err), 0);
    cpus_resume_all();
    WAIT_FOR(all_running_again(runs));
    atomic_store(&fake_vcpus[1].pause_all_next, 1);
    WAIT_FOR(atomic_load(&fake_vcpus[1].paused_others) == 1);
    WAIT_FOR(cpu_is_stopped(test_cpus[1]) && !atomic_load(&fake_vcpus[1].in_run));
    assert_all_paused();
    for (int i = 0; i < NR_TEST_CPUS; i++) {
        runs[i] = atomic_load(&fake_vcpus[i].runs);
    }
    cpus_resume_all();
    WAIT_FOR(all_running_again(runs));
    cpus_pause_all();
    cpus_stop_threads();
}

/* Registers kept by the accelerator reach the common state when the vCPU stops (the monitor
 * reads them there), and changes made while stopped reach the accelerator before it runs. */
static void test_register_sync_on_pause(void **state)
{
    Error *err = NULL;
    int runs[NR_TEST_CPUS] = { 0 };
    FakeCPU *f = (FakeCPU *)test_cpus[0];
    FakeVcpu *v = &fake_vcpus[0];

    assert_int_equal(cpus_start_threads(&fake_accel, &err), 0);
    cpus_resume_all();
    WAIT_FOR(all_running_again(runs));
    cpus_pause_all();
    assert_int_equal(atomic_load(&v->syncs_to), 1);
    assert_int_equal(atomic_load(&v->syncs_from), 1);   /* the reset state went in first */
    assert_true(f->pc > 0x100);
    assert_int_equal(f->pc, v->accel_pc);               /* the common state is current */
    assert_int_equal(cpu_set_register_by_name(&f->parent, "pc", 0x50000), 0);
    for (int i = 0; i < NR_TEST_CPUS; i++) {
        runs[i] = atomic_load(&fake_vcpus[i].runs);
    }
    cpus_resume_all();
    WAIT_FOR(all_running_again(runs));
    cpus_pause_all();
    assert_int_equal(atomic_load(&v->syncs_from), 2);
    assert_int_equal(atomic_load(&v->syncs_to), 2);
    assert_true(f->pc > 0x50000);                       /* went on from the written value */
    cpus_stop_threads();
}

static void test_destroy_running_cpu(void **state)
{
    Error *err = NULL;
    int runs[NR_TEST_CPUS] = { 0 };

    assert_int_equal(cpus_start_threads(&fake_accel, &err), 0);
    cpus_resume_all();
    WAIT_FOR(all_running_again(runs));
    /* teardown destroys the CPUs while they run: each thread is ended and joined */
}

/* ---- a vCPU's own timers ------------------------------------------------------------------ */

/* A timer owned by a CPU (as its LAPIC timer): interrupts it when it fires. */
typedef struct OwnedProbe {
    CPUState *cpu;
    atomic_int fired;
    atomic_int on_own_thread;   /* ran on the CPU's thread, with the big lock */
} OwnedProbe;

static void owned_cb(void *opaque)
{
    OwnedProbe *p = opaque;

    if (current_cpu() == p->cpu && bql_locked()) {
        atomic_fetch_add(&p->on_own_thread, 1);
    }
    atomic_fetch_add(&p->fired, 1);
    cpu_interrupt(p->cpu, CPU_INTERRUPT_HARD);
}

/* A timer owned by cpu, with its thread started and halted (it sleeps). */
static Timer *owned_timer_on_halted_cpu(FakeVcpu *v, CPUState *cpu, OwnedProbe *p)
{
    Error *err = NULL;
    Timer *t = timer_new(CLK_REALTIME, owned_cb, p);

    timer_set_owner(t, &cpu->timer_owner);
    assert_int_equal(cpus_start_threads(&fake_accel, &err), 0);
    atomic_store(&v->halt_next, 1);
    cpus_resume_all();
    WAIT_FOR(atomic_load(&v->halts) == 1 && !atomic_load(&v->in_run));
    return t;
}

/* The timer armed 20 ms after armed fired once, on the CPU's thread, and the CPU took its
 * interrupt (the irqs-th). */
static void assert_owned_timer_fired(FakeVcpu *v, OwnedProbe *p, int64_t armed, int irqs)
{
    WAIT_FOR(atomic_load(&v->irqs_taken) == irqs);
    assert_true(clock_get_ns(CLK_REALTIME) >= armed + 20 * NS_PER_MS);
    assert_int_equal(atomic_load(&p->fired), 1);
    assert_int_equal(atomic_load(&p->on_own_thread), 1);
}

/* Halted, the vCPU's thread wakes for its own timer, armed from another thread, and runs
 * it: no main loop runs in this test, and the main loop's deadline leaves it out. */
static void test_owned_timer_wakes_halted_cpu(void **state)
{
    FakeVcpu *v = &fake_vcpus[1];
    OwnedProbe p = { .cpu = test_cpus[1] };
    Timer *t = owned_timer_on_halted_cpu(v, p.cpu, &p);
    int64_t armed = clock_get_ns(CLK_REALTIME);

    timer_mod(t, armed + 20 * NS_PER_MS);
    assert_int_equal(timers_deadline_ns(), -1);
    assert_owned_timer_fired(v, &p, armed, 1);
    cpus_pause_all();
    cpus_stop_threads();
    timer_free(t);
}

/* Running guest code that never exits on its own, the vCPU arms its own timer (an MMIO
 * write): its alarm takes it out of guest code when the timer is due, and its thread runs
 * the timer. Ended threads hand their timers back to the main loop. */
static void test_owned_timer_interrupts_running_cpu(void **state)
{
    Error *err = NULL;
    FakeVcpu *v = &fake_vcpus[2];
    CPUState *cpu = test_cpus[2];
    OwnedProbe p = { .cpu = cpu };
    Timer *t = timer_new(CLK_REALTIME, owned_cb, &p);

    timer_set_owner(t, &cpu->timer_owner);
    assert_int_equal(cpus_start_threads(&fake_accel, &err), 0);
    cpus_resume_all();
    WAIT_FOR(atomic_load(&v->in_run));
    int exits = atomic_load(&v->exits);
    int64_t armed = clock_get_ns(CLK_REALTIME);
    atomic_store(&v->arm_timer, t);
    WAIT_FOR(atomic_load(&v->irqs_taken) == 1);
    assert_true(clock_get_ns(CLK_REALTIME) >= armed + 20 * NS_PER_MS);
    assert_int_equal(atomic_load(&p.on_own_thread), 1);
    assert_true(atomic_load(&v->exits) > exits);
    cpus_pause_all();
    cpus_stop_threads();
    timer_mod(t, clock_get_ns(CLK_REALTIME) + NS_PER_SEC);
    int64_t d = timers_deadline_ns();       /* the main loop's again */
    assert_true(d > 0 && d <= NS_PER_SEC);
    timer_free(t);
}

/* After a halt the thread's alarm is lazy (system/cpus-alarm.c): guest code arming its
 * own timer makes no host timer call. Guest code that then never halts nor exits still
 * leaves for its timer: the CPU-time backstop takes it out after a few milliseconds of
 * CPU, and from then on the alarm follows the deadline. */
static void test_owned_timer_after_halt_interrupts_running_cpu(void **state)
{
    FakeVcpu *v = &fake_vcpus[0];
    OwnedProbe p = { .cpu = test_cpus[0] };
    Timer *t = owned_timer_on_halted_cpu(v, p.cpu, &p);

    atomic_store(&v->busy, 1);
    cpu_interrupt(p.cpu, CPU_INTERRUPT_HARD);   /* wakes it: it runs without halting */
    WAIT_FOR(atomic_load(&v->irqs_taken) == 1 && atomic_load(&v->in_run));
    int64_t armed = clock_get_ns(CLK_REALTIME);
    atomic_store(&v->arm_timer, t);
    assert_owned_timer_fired(v, &p, armed, 2);
    atomic_store(&v->busy, 0);
    cpus_pause_all();
    cpus_stop_threads();
    timer_free(t);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_cpu_class_registry),
        cmocka_unit_test(test_accel_registry),
        cmocka_unit_test_setup_teardown(test_cpu_list, create_cpus, destroy_cpus),
        cmocka_unit_test_setup_teardown(test_cpu_reset, create_cpus, destroy_cpus),
        cmocka_unit_test_setup_teardown(test_register_by_name, create_cpus, destroy_cpus),
        cmocka_unit_test_setup_teardown(test_interrupt_lines, create_cpus, destroy_cpus),
        cmocka_unit_test_setup_teardown(test_threads_pause_resume, create_cpus, destroy_cpus),
        cmocka_unit_test_setup_teardown(test_interrupt_wakes_halted_cpu, create_cpus,
                                        destroy_cpus),
        cmocka_unit_test_setup_teardown(test_start_threads_refuses_accel_without_run,
                                        create_cpus, destroy_cpus),
        cmocka_unit_test_setup_teardown(test_vcpu_init_failure, create_cpus, destroy_cpus),
        cmocka_unit_test_setup_teardown(test_pause_releases_big_lock, create_cpus, destroy_cpus),
        cmocka_unit_test_setup_teardown(test_pause_from_a_vcpu, create_cpus, destroy_cpus),
        cmocka_unit_test_setup_teardown(test_register_sync_on_pause, create_cpus, destroy_cpus),
        cmocka_unit_test_setup_teardown(test_destroy_running_cpu, create_cpus, destroy_cpus),
        cmocka_unit_test_setup_teardown(test_owned_timer_wakes_halted_cpu, create_cpus,
                                        destroy_cpus),
        cmocka_unit_test_setup_teardown(test_owned_timer_interrupts_running_cpu, create_cpus,
                                        destroy_cpus),
        cmocka_unit_test_setup_teardown(test_owned_timer_after_halt_interrupts_running_cpu,
                                        create_cpus, destroy_cpus),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
