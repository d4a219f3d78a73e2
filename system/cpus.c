/* vCPU threads: one per CPU, running the accelerator's vcpu_run while the VM runs, and
 * the pause/resume handshake with the main thread. Lock rules: docs/threads.md. */
#include <ctype.h>
#include <limits.h>
#include <linux/futex.h>
#include <signal.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <sys/syscall.h>
#include <unistd.h>
#include "system/cpu.h"
#include "util/log.h"
#include "system/cpus-internal.h"
#include "system/main-loop.h"
#include "system/timer.h"

/* The run-control lock guards stop, stopped, halted-waits and the thread fields of every
 * CPU. Order: big lock first, then run_lock; never take the big lock holding run_lock. */
static pthread_mutex_t run_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t pause_cond = PTHREAD_COND_INITIALIZER;  /* a CPU has stopped */
static pthread_cond_t created_cond = PTHREAD_COND_INITIALIZER; /* a thread has started */

/* A vCPU thread sleeps on a futex, CPUState.halt_seq, rather than on a condition variable:
 * glibc retakes the mutex of a condition wait as contended, so the next unlock of run_lock
 * was a FUTEX_WAKE system call for nobody after every sleep, i.e. after every tick of an
 * idle guest (a system call costs about 2 us on these hosts). */
static long futex(atomic_uint *word, int op, unsigned val, const struct timespec *ts)
{
    return syscall(SYS_futex, word, op, val, ts, NULL, FUTEX_BITSET_MATCH_ANY);
}

/* Wakes cpu's thread if it sleeps (vcpu_sleep). run_lock held. */
static void vcpu_wake_locked(CPUState *cpu)
{
    atomic_fetch_add(&cpu->halt_seq, 1);
    if (cpu->halt_sleeping) {
        futex(&cpu->halt_seq, FUTEX_WAKE_PRIVATE, INT_MAX, NULL);
    }
}

/* Sleeps until vcpu_wake_locked, a signal, or at (CLOCK_MONOTONIC ns; -1: no limit).
 * run_lock held, dropped while asleep: a wake after the sequence was read here changes
 * it, so the futex wait returns at once. */
static void vcpu_sleep(CPUState *cpu, int64_t at)
{
    struct timespec ts = { (time_t)(at / NS_PER_SEC), (long)(at % NS_PER_SEC) };
    unsigned seq = atomic_load(&cpu->halt_seq);

    cpu->halt_sleeping = true;
    pthread_mutex_unlock(&run_lock);
    futex(&cpu->halt_seq, FUTEX_WAIT_BITSET_PRIVATE, seq, at < 0 ? NULL : &ts);
    pthread_mutex_lock(&run_lock);
    cpu->halt_sleeping = false;
}
static const AccelOps *running_accel;
static __thread CPUState *this_cpu;

CPUState *current_cpu(void)
{
    return this_cpu;
}

const AccelOps *accel_current(void)
{
    return running_accel;
}

bool cpu_is_stopped(CPUState *cpu)
{
    pthread_mutex_lock(&run_lock);
    bool stopped = cpu->stopped;
    pthread_mutex_unlock(&run_lock);
    return stopped;
}

void cpus_set_debug_hold(CPUState *cpu, bool hold)
{
    pthread_mutex_lock(&run_lock);
    cpu->debug_hold = hold;
    vcpu_wake_locked(cpu);
    pthread_mutex_unlock(&run_lock);
}

void cpus_kick(CPUState *cpu)
{
    pthread_mutex_lock(&run_lock);
    vcpu_wake_locked(cpu);
    bool has_thread = cpu->thread_created;
    pthread_mutex_unlock(&run_lock);
    if (has_thread && running_accel && running_accel->vcpu_kick) {
        running_accel->vcpu_kick(cpu);
    }
}

/* ---- the vCPU thread ----------------------------------------------------------------- */

/* Is there nothing to run? Called with run_lock held. */
static bool vcpu_should_wait(CPUState *cpu)
{
    if (cpu->unplugged) {
        return false;
    }
    if (cpu->stop || cpu->stopped || cpu->debug_hold) {
        return true;
    }
    return cpu->halted && !cpu_has_work(cpu);
}

/* Takes a pending pause request: marks the CPU stopped and tells cpus_pause_all. */
static void vcpu_take_stop_request(CPUState *cpu)
{
    if (cpu->stop) {
        cpu->stop = false;
        cpu->stopped = true;
        pthread_cond_broadcast(&pause_cond);
    }
}

/* The start-up handshake between cpus_start_threads and a new vCPU thread. */
typedef struct VcpuStart {
    CPUState *cpu;
    Error *err;             /* from accel->vcpu_init */
    int rc;                 /* its result */
    bool done;              /* the thread has initialised (or failed to) */
} VcpuStart;

/* Accelerators with their own register copy (KVM) hand the registers to the common state
 * while the CPU is stopped, so that the monitor and debugger see and change them, and take
 * them back before it runs again. Called with run_lock held; drops it around the call. */
static void vcpu_sync(CPUState *cpu, void (*sync)(CPUState *cpu))
{
    pthread_mutex_unlock(&run_lock);
    sync(cpu);
    pthread_mutex_lock(&run_lock);
}

/* ---- the vCPU's own timers ----------------------------------------------------------
 * A vCPU thread runs its CPU's owned timers (the LAPIC timer) itself, on the thread that
 * needs their interrupt: halted, it sleeps (vcpu_sleep) until the earliest one; running
 * guest code, its alarm (cpus-alarm.c) signals the thread and the handler makes it leave
 * guest code. An idle guest's tick so wakes one host thread, where the main loop firing
 * the timer woke the main loop, then the vCPU, then the main loop again when the guest
 * re-armed the timer (timer_mod of the earliest timer kicks the loop). */
static __thread bool vcpu_in_guest;            /* inside accel->vcpu_run */

static int64_t mono_now_ns(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * NS_PER_SEC + ts.tv_nsec;
}

/* TimerOwner.changed: an owned timer was armed. The CPU's own thread in guest code (an
 * MMIO write to the LAPIC timer) moves its alarm; another thread makes it look again. */
static void vcpu_timers_changed(TimerOwner *owner)
{
    CPUState *cpu = (CPUState *)((char *)owner - offsetof(CPUState, timer_owner));

    if (cpu == this_cpu) {
        if (vcpu_in_guest) {
            vcpu_alarm_guest_armed(timer_owner_deadline_mono(owner));
        }
    } else {
        cpu_exit(cpu);
    }
}

/* Runs the CPU's expired timers if any: false if none was due. Called with run_lock held;
 * drops it around the big lock (the lock order). */
static bool vcpu_run_due_timers(CPUState *cpu)
{
    int64_t at = timer_owner_deadline_mono(&cpu->timer_owner);

    if (at < 0 || at > mono_now_ns()) {
        return false;
    }
    pthread_mutex_unlock(&run_lock);
    bql_lock();
    timers_run_owned(&cpu->timer_owner);
    bql_unlock();
    pthread_mutex_lock(&run_lock);
    return true;
}

/* Waits for a kick, or (guarding) until the CPU's earliest timer. run_lock held. */
static void vcpu_wait(CPUState *cpu, bool guard)
{
    int64_t at = guard ? timer_owner_deadline_mono(&cpu->timer_owner) : -1;

    if (guard) {
        vcpu_alarm_before_sleep(cpu->halted && !cpu->stop && !cpu->stopped);
    }
    vcpu_sleep(cpu, at);
}

static void vcpu_thread_loop(CPUState *cpu, bool guard)
{
    const AccelOps *accel = running_accel;
    bool in_common = true;          /* registers are in the common state, not the accel's:
                                     * so at first (reset values), and while stopped */

    while (!cpu->unplugged) {
        if ((cpu->stop || cpu->stopped) && !in_common && accel->sync_to_common) {
            vcpu_sync(cpu, accel->sync_to_common);
            in_common = true;
            continue;
        }
        vcpu_take_stop_request(cpu);
        if (guard && vcpu_run_due_timers(cpu)) {
            continue;
        }
        if (vcpu_should_wait(cpu)) {
            vcpu_wait(cpu, guard);
            continue;
        }
        if (in_common) {
            if (accel->sync_from_common) {
                vcpu_sync(cpu, accel->sync_from_common);
            }
            in_common = false;
            continue;
        }
        /* The alarm is armed after the exit request is cleared: one that fires from here
         * on makes vcpu_run return at once. */
        atomic_store(&cpu->exit_request, 0);
        if (guard) {
            int64_t at = timer_owner_deadline_mono(&cpu->timer_owner);
            if (at >= 0 && at <= mono_now_ns()) {
                continue;
            }
            vcpu_alarm_before_run(at);
        }
        vcpu_in_guest = true;
        pthread_mutex_unlock(&run_lock);
        accel->vcpu_run(cpu);
        pthread_mutex_lock(&run_lock);
        vcpu_in_guest = false;
        if (guard) {
            vcpu_alarm_after_run();
        }
    }
}

/* The accelerator's per-vCPU set-up runs on the vCPU's own thread (KVM wants its vCPU
 * ioctls from one thread); a failure ends the thread and is reported by the creator. */
/* Host thread ids of the vCPU threads, by CPU index (QMP query-cpus-fast). */
#define MAX_TRACKED_VCPUS 1024
static _Atomic int vcpu_tids[MAX_TRACKED_VCPUS];

int cpus_thread_id(CPUState *cpu)
{
    return cpu->index >= 0 && cpu->index < MAX_TRACKED_VCPUS ? vcpu_tids[cpu->index] : 0;
}

static void vcpu_record_tid(CPUState *cpu)
{
    if (cpu->index >= 0 && cpu->index < MAX_TRACKED_VCPUS) {
        vcpu_tids[cpu->index] = (int)gettid();
    }
}

static void *vcpu_thread_main(void *opaque)
{
    VcpuStart *start = opaque;
    CPUState *cpu = start->cpu;
    bool guard = false;
    int rc = 0;

    this_cpu = cpu;
    vcpu_record_tid(cpu);
    log_set_thread_index(cpu->index);   /* -d tid: its log file */
    if (running_accel->vcpu_init) {
        rc = running_accel->vcpu_init(cpu, &start->err);
    }
    if (rc >= 0 && vcpu_alarm_create(cpu)) {
        guard = true;
        cpu->timer_owner.changed = vcpu_timers_changed;
        timer_owner_guard(&cpu->timer_owner, true);
    }
    start->rc = rc;
    pthread_mutex_lock(&run_lock);
    cpu->thread_created = rc >= 0;
    start->done = true;             /* start belongs to the creator from here on */
    pthread_cond_broadcast(&created_cond);
    if (rc >= 0) {
        vcpu_thread_loop(cpu, guard);
    }
    cpu->stopped = true;
    pthread_cond_broadcast(&pause_cond);
    pthread_mutex_unlock(&run_lock);
    if (guard) {
        timer_owner_guard(&cpu->timer_owner, false);    /* the main loop's again */
        vcpu_alarm_destroy();
    }
    this_cpu = NULL;
    return NULL;
}

/* vCPU threads leave the termination signals to the main thread (the main loop handles
 * them); the accelerator may unblock its own kick signal in vcpu_run. */
static void block_host_signals(sigset_t *old)
{
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGINT);
    sigaddset(&set, SIGTERM);
    sigaddset(&set, SIGHUP);
    sigaddset(&set, SIGCHLD);
    sigaddset(&set, SIGALRM);
    pthread_sigmask(SIG_BLOCK, &set, old);
}

/* "CPU 0/TCG", as QEMU names them, for debuggers and top -H (16 bytes at most). */
static void vcpu_thread_set_name(CPUState *cpu)
{
    char name[16];
    snprintf(name, sizeof(name), "CPU %d/%s", cpu->index, running_accel->name);
    for (char *p = strchr(name, '/'); p && *p; p++) {
        *p = (char)toupper((unsigned char)*p);
    }
    pthread_setname_np(cpu->thread, name);
}

static int vcpu_thread_start(CPUState *cpu, Error **errp)
{
    VcpuStart start = { .cpu = cpu };
    sigset_t old;
    int err;

    block_host_signals(&old);
    err = pthread_create(&cpu->thread, NULL, vcpu_thread_main, &start);
    pthread_sigmask(SIG_SETMASK, &old, NULL);
    if (err) {
        error_setg_errno(errp, err, "cannot create the thread of CPU #%d", cpu->index);
        return -1;
    }
    vcpu_thread_set_name(cpu);
    pthread_mutex_lock(&run_lock);
    while (!start.done) {
        pthread_cond_wait(&created_cond, &run_lock);
    }
    pthread_mutex_unlock(&run_lock);
    if (start.rc < 0) {
        pthread_join(cpu->thread, NULL);
        if (!start.err) {
            error_setg(&start.err, "%s: cannot set up the vCPU", running_accel->name);
        }
        error_prepend(&start.err, "CPU #%d: ", cpu->index);
        error_propagate(errp, start.err);
        return -1;
    }
    return 0;
}

int cpus_start_threads(const AccelOps *accel, Error **errp)
{
    if (!accel || !accel->vcpu_run) {
        error_setg(errp, "accelerator '%s' cannot run CPUs", accel ? accel->name : "(none)");
        return -1;
    }
    running_accel = accel;
    for (CPUState *cpu = cpu_first(); cpu; cpu = cpu_next(cpu)) {
        if (!cpu->thread_created && vcpu_thread_start(cpu, errp) < 0) {
            return -1;
        }
    }
    return 0;
}

/* ---- pause and resume -------------------------------------------------------------- */

/* Every CPU with a thread has taken its stop request. Called with run_lock held. */
static bool all_vcpus_stopped(CPUState *self)
{
    for (CPUState *cpu = cpu_first(); cpu; cpu = cpu_next(cpu)) {
        if (cpu != self && cpu->thread_created && !cpu->stopped) {
            return false;
        }
    }
    return true;
}

static void request_stop_all(CPUState *self)
{
    pthread_mutex_lock(&run_lock);
    for (CPUState *cpu = cpu_first(); cpu; cpu = cpu_next(cpu)) {
        if (cpu->thread_created && cpu != self && !cpu->stopped) {
            cpu->stop = true;
        } else {
            cpu->stop = false;
            cpu->stopped = true;     /* no thread to ask, or the caller itself */
        }
    }
    pthread_mutex_unlock(&run_lock);
}

void cpus_pause_all(void)
{
    CPUState *self = current_cpu();
    bool had_bql = bql_locked();

    request_stop_all(self);
    for (CPUState *cpu = cpu_first(); cpu; cpu = cpu_next(cpu)) {
        if (cpu != self) {
            cpu_exit(cpu);
        }
    }
    /* A vCPU may need the big lock to finish an MMIO access before it can stop. */
    if (had_bql) {
        bql_unlock();
    }
    pthread_mutex_lock(&run_lock);
    while (!all_vcpus_stopped(self)) {
        pthread_cond_wait(&pause_cond, &run_lock);
    }
    pthread_mutex_unlock(&run_lock);
    if (had_bql) {
        bql_lock();
    }
}

void cpus_resume_all(void)
{
    pthread_mutex_lock(&run_lock);
    for (CPUState *cpu = cpu_first(); cpu; cpu = cpu_next(cpu)) {
        cpu->stop = false;
        cpu->stopped = false;
        vcpu_wake_locked(cpu);
    }
    pthread_mutex_unlock(&run_lock);
}

/* ---- shutting the threads down --------------------------------------------------------- */

void cpus_stop_thread(CPUState *cpu)
{
    pthread_mutex_lock(&run_lock);
    bool has_thread = cpu->thread_created;
    cpu->unplugged = true;
    pthread_mutex_unlock(&run_lock);
    if (!has_thread) {
        return;
    }
    cpu_exit(cpu);
    bool had_bql = bql_locked();
    if (had_bql) {
        bql_unlock();
    }
    pthread_join(cpu->thread, NULL);
    if (had_bql) {
        bql_lock();
    }
    pthread_mutex_lock(&run_lock);
    cpu->thread_created = false;
    pthread_mutex_unlock(&run_lock);
    if (running_accel && running_accel->vcpu_destroy) {
        running_accel->vcpu_destroy(cpu);
    }
}

void cpus_stop_threads(void)
{
    for (CPUState *cpu = cpu_first(); cpu; cpu = cpu_next(cpu)) {
        cpus_stop_thread(cpu);
    }
}
