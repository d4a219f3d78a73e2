/* Clocks (virtual, realtime, host) and timers: one sorted list of armed timers per clock,
 * run by the main loop, or by their owner's thread (a vCPU's LAPIC timer) while it
 * guards them. Lists are guarded by a mutex so vCPU threads may arm timers. */
#include <pthread.h>
#include <stdlib.h>
#include <time.h>
#include "system/main-loop.h"
#include "system/timer.h"
#include "util/cutils.h"

struct Timer {
    ClockType clock;
    TimerCallback *cb;
    void *opaque;
    int64_t expire_ns;
    bool pending;
    uint64_t fired_pass;    /* timers_run_expired() pass that last ran it */
    TimerOwner *owner;      /* NULL: the main loop's */
    Timer *next;
};

typedef struct TimerList {
    Timer *head;            /* sorted by expire_ns, earliest first */
} TimerList;

static pthread_mutex_t timer_mutex = PTHREAD_MUTEX_INITIALIZER;
static TimerList timer_lists[CLK_COUNT];
static uint64_t timer_pass;

/* Virtual clock state: monotonic time minus the time spent stopped. It starts stopped at
 * 0, as the guest does not run before vm_start() (-S, prelaunch). Written under
 * timer_mutex inside a sequence count (vclock_seq odd while a write is in progress);
 * clock_get_ns(CLK_VIRTUAL), which vCPUs call for every RDTSC, timer-count and PM-timer
 * read, reads it without the mutex and retries when a write overlapped. */
static unsigned vclock_seq;
static bool virtual_stopped = true;
static int64_t virtual_stopped_at;
static int64_t virtual_stopped_total;
/* Device unit tests drive the virtual clock by hand (clock_virtual_set_for_test). */
static bool virtual_manual;
static int64_t virtual_manual_ns;

static int64_t host_clock_ns(clockid_t id)
{
    struct timespec ts;

    clock_gettime(id, &ts);
    return (int64_t)ts.tv_sec * NS_PER_SEC + ts.tv_nsec;
}

/* The virtual clock without timer_mutex: the fields and the host clock read between two
 * equal even values of vclock_seq (the host clock too, so that a reader that raced a stop
 * never returns a time later than the stop). */
static int64_t virtual_clock_read(void)
{
    for (;;) {
        unsigned seq = __atomic_load_n(&vclock_seq, __ATOMIC_ACQUIRE);
        if (!(seq & 1)) {
            int64_t now;
            if (__atomic_load_n(&virtual_manual, __ATOMIC_RELAXED)) {
                now = __atomic_load_n(&virtual_manual_ns, __ATOMIC_RELAXED);
            } else {
                int64_t mono = __atomic_load_n(&virtual_stopped, __ATOMIC_RELAXED)
                             ? __atomic_load_n(&virtual_stopped_at, __ATOMIC_RELAXED)
                             : host_clock_ns(CLOCK_MONOTONIC);
                now = mono - __atomic_load_n(&virtual_stopped_total, __ATOMIC_RELAXED);
            }
            __atomic_thread_fence(__ATOMIC_ACQUIRE);
            if (__atomic_load_n(&vclock_seq, __ATOMIC_RELAXED) == seq) {
                return now;
            }
        }
        __builtin_ia32_pause();
    }
}

/* A change of the virtual clock state (timer_mutex held): between these two. */
static void vclock_write_begin(void)
{
    __atomic_store_n(&vclock_seq, vclock_seq + 1, __ATOMIC_RELAXED);
    __atomic_thread_fence(__ATOMIC_RELEASE);
}

static void vclock_write_end(void)
{
    __atomic_store_n(&vclock_seq, vclock_seq + 1, __ATOMIC_RELEASE);
}

/* Any clock, with or without timer_mutex held. */
int64_t clock_get_ns(ClockType clock)
{
    switch (clock) {
    case CLK_VIRTUAL:
        return virtual_clock_read();
    case CLK_REALTIME:
        return host_clock_ns(CLOCK_MONOTONIC);
    case CLK_HOST:
    default:
        return host_clock_ns(CLOCK_REALTIME);
    }
}

void clock_virtual_stop(void)
{
    pthread_mutex_lock(&timer_mutex);
    if (!virtual_stopped) {
        vclock_write_begin();
        __atomic_store_n(&virtual_stopped_at, host_clock_ns(CLOCK_MONOTONIC), __ATOMIC_RELAXED);
        __atomic_store_n(&virtual_stopped, true, __ATOMIC_RELAXED);
        vclock_write_end();
    }
    pthread_mutex_unlock(&timer_mutex);
}

void clock_virtual_start(void)
{
    pthread_mutex_lock(&timer_mutex);
    if (virtual_stopped) {
        vclock_write_begin();
        __atomic_store_n(&virtual_stopped_total, virtual_stopped_total +
                         host_clock_ns(CLOCK_MONOTONIC) - virtual_stopped_at, __ATOMIC_RELAXED);
        __atomic_store_n(&virtual_stopped, false, __ATOMIC_RELAXED);
        vclock_write_end();
    }
    pthread_mutex_unlock(&timer_mutex);
    /* Virtual timers count again: the loop must recompute its deadline. */
    main_loop_kick();
}

void clock_virtual_set_for_test(int64_t ns)
{
    pthread_mutex_lock(&timer_mutex);
    vclock_write_begin();
    __atomic_store_n(&virtual_manual, true, __ATOMIC_RELAXED);
    __atomic_store_n(&virtual_manual_ns, ns, __ATOMIC_RELAXED);
    vclock_write_end();
    pthread_mutex_unlock(&timer_mutex);
}

bool clock_virtual_running(void)
{
    bool running;

    pthread_mutex_lock(&timer_mutex);
    running = !virtual_stopped;
    pthread_mutex_unlock(&timer_mutex);
    return running;
}

Timer *timer_new(ClockType clock, TimerCallback *cb, void *opaque)
{
    Timer *t = xzalloc(sizeof(*t));

    t->clock = clock < CLK_COUNT ? clock : CLK_REALTIME;
    t->cb = cb;
    t->opaque = opaque;
    return t;
}

static void timer_unlink_locked(Timer *t)
{
    if (!t->pending) {
        return;
    }
    for (Timer **p = &timer_lists[t->clock].head; *p; p = &(*p)->next) {
        if (*p == t) {
            *p = t->next;
            break;
        }
    }
    t->next = NULL;
    t->pending = false;
}

/* Inserts after every timer with the same or an earlier deadline (FIFO among equals).
 * Returns true if t became the earliest on its clock. */
static bool timer_insert_locked(Timer *t)
{
    Timer **p = &timer_lists[t->clock].head;

    while (*p && (*p)->expire_ns <= t->expire_ns) {
        p = &(*p)->next;
    }
    t->next = *p;
    *p = t;
    t->pending = true;
    return p == &timer_lists[t->clock].head;
}

/* Its owner runs it: the main loop neither waits for it nor is woken for it. */
static bool timer_guarded_locked(const Timer *t)
{
    return t->owner && t->owner->guarding;
}

void timer_set_owner(Timer *t, TimerOwner *owner)
{
    pthread_mutex_lock(&timer_mutex);
    t->owner = owner;
    pthread_mutex_unlock(&timer_mutex);
    main_loop_kick();
}

void timer_owner_guard(TimerOwner *owner, bool on)
{
    pthread_mutex_lock(&timer_mutex);
    owner->guarding = on;
    pthread_mutex_unlock(&timer_mutex);
    main_loop_kick();
}

void timer_mod(Timer *t, int64_t expire_ns)
{
    bool earliest;
    TimerOwner *owner;

    pthread_mutex_lock(&timer_mutex);
    timer_unlink_locked(t);
    t->expire_ns = expire_ns;
    earliest = timer_insert_locked(t);
    owner = timer_guarded_locked(t) ? t->owner : NULL;
    pthread_mutex_unlock(&timer_mutex);
    if (owner) {
        owner->changed(owner);
    } else if (earliest) {
        main_loop_kick();
    }
}

void timer_del(Timer *t)
{
    pthread_mutex_lock(&timer_mutex);
    timer_unlink_locked(t);
    pthread_mutex_unlock(&timer_mutex);
}

void timer_free(Timer *t)
{
    if (!t) {
        return;
    }
    timer_del(t);
    free(t);
}

bool timer_pending(const Timer *t)
{
    bool pending;

    pthread_mutex_lock(&timer_mutex);
    pending = t->pending;
    pthread_mutex_unlock(&timer_mutex);
    return pending;
}

int64_t timer_expire_time(const Timer *t)
{
    int64_t expire;

    pthread_mutex_lock(&timer_mutex);
    expire = t->pending ? t->expire_ns : -1;
    pthread_mutex_unlock(&timer_mutex);
    return expire;
}

static bool clock_counts_locked(ClockType clock)
{
    return clock != CLK_VIRTUAL || !virtual_stopped || virtual_manual;
}

int64_t timers_deadline_ns(void)
{
    int64_t deadline = -1;

    pthread_mutex_lock(&timer_mutex);
    for (int c = 0; c < CLK_COUNT; c++) {
        Timer *head = timer_lists[c].head;
        int64_t now, delta;
        while (head && timer_guarded_locked(head)) {
            head = head->next;
        }
        if (!head || !clock_counts_locked((ClockType)c)) {
            continue;
        }
        /* The clock is read once: MAX() of "expire - clock" read it twice, and a timer
         * expiring between the two reads gave a negative deadline, which the main loop
         * takes for "no timeout": it slept until some fd woke it, with the LAPIC timer
         * overdue (the guest hangs; CI's ide-linux-boot stopped at its shell so). */
        now = clock_get_ns((ClockType)c);
        delta = head->expire_ns > now ? head->expire_ns - now : 0;
        deadline = deadline < 0 ? delta : MIN(deadline, delta);
    }
    pthread_mutex_unlock(&timer_mutex);
    return deadline;
}

/* Takes the earliest timer of clock (owner NULL) or the owner's earliest (the list is
 * sorted: the first owned one is the owner's earliest) off its list if it expired by now
 * and has not run in this pass yet (a callback that re-arms its timer in the past runs
 * again next pass). */
static Timer *timer_pop_expired_locked(TimerOwner *owner, ClockType clock, int64_t now,
                                       uint64_t pass)
{
    Timer **p = &timer_lists[clock].head;

    while (owner && *p && (*p)->owner != owner) {
        p = &(*p)->next;
    }
    Timer *t = *p;
    if (!t || t->expire_ns > now || t->fired_pass == pass || !clock_counts_locked(clock)) {
        return NULL;
    }
    *p = t->next;
    t->next = NULL;
    t->pending = false;
    t->fired_pass = pass;
    return t;
}

/* Runs the expired timers (owner NULL: any, else only the owner's). No lock is held across
 * a callback and no pointer is kept: callbacks may re-arm, delete or free any timer,
 * including their own. */
static bool timers_run(TimerOwner *owner)
{
    bool ran = false;
    uint64_t pass;

    pthread_mutex_lock(&timer_mutex);
    pass = ++timer_pass;
    for (int c = 0; c < CLK_COUNT; c++) {
        int64_t now = clock_get_ns((ClockType)c);
        Timer *t;
        while ((t = timer_pop_expired_locked(owner, (ClockType)c, now, pass)) != NULL) {
            TimerCallback *cb = t->cb;
            void *opaque = t->opaque;
            pthread_mutex_unlock(&timer_mutex);
            cb(opaque);
            ran = true;
            pthread_mutex_lock(&timer_mutex);
        }
    }
    pthread_mutex_unlock(&timer_mutex);
    return ran;
}

bool timers_run_expired(void)
{
    return timers_run(NULL);
}

/* expire on clock as CLOCK_MONOTONIC time: exact for the virtual clock while it runs
 * (monotonic time minus the time spent stopped) and the realtime one. */
static int64_t clock_to_mono_locked(ClockType clock, int64_t expire)
{
    if (clock == CLK_REALTIME) {
        return expire;
    }
    if (clock == CLK_VIRTUAL && !virtual_manual) {
        return expire + virtual_stopped_total;
    }
    return host_clock_ns(CLOCK_MONOTONIC) + (expire - clock_get_ns(clock));
}

int64_t timer_owner_deadline_mono(TimerOwner *owner)
{
    int64_t deadline = -1;

    pthread_mutex_lock(&timer_mutex);
    for (int c = 0; c < CLK_COUNT; c++) {
        Timer *t = timer_lists[c].head;
        while (t && t->owner != owner) {
            t = t->next;
        }
        if (!t || !clock_counts_locked((ClockType)c)) {
            continue;
        }
        int64_t at = clock_to_mono_locked((ClockType)c, t->expire_ns);
        deadline = deadline < 0 ? at : MIN(deadline, at);
    }
    pthread_mutex_unlock(&timer_mutex);
    return deadline;
}

bool timers_run_owned(TimerOwner *owner)
{
    return timers_run(owner);
}
