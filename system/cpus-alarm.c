/* The alarm of a vCPU thread: what takes guest code that never halts or exits out of
 * vcpu_run when the CPU's own timer (its LAPIC timer) is due. Host facilities: POSIX
 * timers with SIGEV_THREAD_ID (timer_create(2)) on CLOCK_MONOTONIC and on the thread's
 * CPU-time clock (CLOCK_THREAD_CPUTIME_ID). Contract and costs: docs/threads.md.
 *
 * Two modes, per thread:
 *  - precise: the CLOCK_MONOTONIC alarm is armed for each deadline while the thread runs
 *    guest code (timer_settime when the guest re-arms its timer, and again to disarm it
 *    before the thread sleeps). A vCPU starts precise and is precise while it runs
 *    without halting.
 *  - lazy: after the vCPU halted. An idle guest's tick runs a few tens of microseconds of
 *    guest code between two halts; arming and disarming the alarm around it were two
 *    system calls per tick (Debian's 686 kernel ticks 250 times a second per CPU). Instead
 *    a periodic timer on the thread's CPU-time clock (the backstop) signals the thread
 *    after every VCPU_BACKSTOP_NS of CPU it uses: it costs nothing while the thread sleeps
 *    and is never re-armed while the vCPU halts between ticks. When it fires, the thread
 *    leaves guest code, runs its due timers and turns precise until the next halt; a
 *    deadline passed in lazy mode is therefore late by at most that much guest CPU time
 *    (and the host's tick, which checks CPU-time timers). */
#include <signal.h>
#include <stddef.h>
#include <time.h>
#include <unistd.h>
#include "system/cpu.h"
#include "system/cpus-internal.h"
#include "system/timer.h"

#define VCPU_BACKSTOP_NS (4 * NS_PER_MS)
#define ALARM_WALL 0                /* sigev_value of the CLOCK_MONOTONIC alarm */
#define ALARM_BACKSTOP 1            /* ... of the CPU-time backstop */

static int alarm_signo;
static pthread_once_t alarm_once = PTHREAD_ONCE_INIT;
static __thread CPUState *alarm_cpu;
static __thread timer_t alarm_wall, alarm_backstop;
static __thread bool has_backstop;
static __thread bool precise = true;
static __thread int64_t wall_at = -1;      /* CLOCK_MONOTONIC ns armed for, -1 none */
static __thread volatile sig_atomic_t backstop_fired;

static void alarm_handler(int sig, siginfo_t *info, void *ucontext)
{
    CPUState *cpu = alarm_cpu;

    (void)sig;
    (void)ucontext;
    if (info->si_code == SI_TIMER && info->si_value.sival_int == ALARM_BACKSTOP) {
        backstop_fired = 1;
    }
    if (cpu) {
        atomic_store(&cpu->exit_request, 1);
        atomic_store(&cpu->tcg_exit_flag, 1);
    }
}

static void alarm_install(void)
{
    struct sigaction sa = { .sa_sigaction = alarm_handler,
                            .sa_flags = SA_RESTART | SA_SIGINFO };

    sigemptyset(&sa.sa_mask);
    alarm_signo = SIGRTMIN;
    if (sigaction(alarm_signo, &sa, NULL) < 0) {
        alarm_signo = 0;
    }
}

/* A timer on clock that signals the calling thread with value; false if refused. */
static bool thread_timer_create(clockid_t clock, int value, timer_t *out)
{
    struct sigevent sev = { .sigev_notify = SIGEV_THREAD_ID };

    sev.sigev_signo = alarm_signo;
    sev.sigev_value.sival_int = value;
    sev._sigev_un._tid = gettid();     /* sigev_notify_thread_id: glibc 2.36 lacks the name */
    return timer_create(clock, &sev, out) == 0;
}

bool vcpu_alarm_create(CPUState *cpu)
{
    pthread_once(&alarm_once, alarm_install);
    if (!alarm_signo || !thread_timer_create(CLOCK_MONOTONIC, ALARM_WALL, &alarm_wall)) {
        return false;
    }
    /* without a backstop the thread stays precise */
    has_backstop = thread_timer_create(CLOCK_THREAD_CPUTIME_ID, ALARM_BACKSTOP,
                                       &alarm_backstop);
    alarm_cpu = cpu;
    precise = true;
    wall_at = -1;
    backstop_fired = 0;
    return true;
}

void vcpu_alarm_destroy(void)
{
    timer_delete(alarm_wall);
    if (has_backstop) {
        timer_delete(alarm_backstop);
    }
    has_backstop = false;
    alarm_cpu = NULL;
}

/* Arms the CLOCK_MONOTONIC alarm for at (ns), or disarms it (at < 0). */
static void wall_set(int64_t at)
{
    struct itimerspec its = { { 0, 0 }, { 0, 0 } };

    if (at == wall_at) {
        return;
    }
    if (at >= 0) {
        its.it_value.tv_sec = (time_t)(at / NS_PER_SEC);
        its.it_value.tv_nsec = (long)(at % NS_PER_SEC);
    }
    timer_settime(alarm_wall, TIMER_ABSTIME, &its, NULL);
    wall_at = at;
}

/* Precise mode stops the backstop; lazy mode restarts it (a period of CPU time from now). */
static void set_precise(bool on)
{
    struct itimerspec its = { { 0, 0 }, { 0, 0 } };

    if (on == precise || !has_backstop) {
        return;
    }
    precise = on;
    if (!on) {
        its.it_value.tv_nsec = VCPU_BACKSTOP_NS;
        its.it_interval.tv_nsec = VCPU_BACKSTOP_NS;
    }
    timer_settime(alarm_backstop, 0, &its, NULL);
}

void vcpu_alarm_before_run(int64_t at)
{
    if (precise) {
        wall_set(at);
    }
}

void vcpu_alarm_guest_armed(int64_t at)
{
    if (precise) {
        wall_set(at);
    }
}

void vcpu_alarm_after_run(void)
{
    if (backstop_fired) {
        backstop_fired = 0;
        set_precise(true);      /* the next vcpu_alarm_before_run arms the alarm */
    }
}

void vcpu_alarm_before_sleep(bool halted)
{
    if (halted) {
        set_precise(false);
    }
    wall_set(-1);
}
