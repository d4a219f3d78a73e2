/* Unit tests for system/timer.c: ordering, re-arming and deleting from callbacks, the
 * virtual clock stopping and starting, deadlines. No test sleeps: timers are armed in
 * the past (expired) or far in the future. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <pthread.h>
#include <stdatomic.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>
#include "system/timer.h"

#define HOUR_NS (3600 * NS_PER_SEC)

typedef struct Probe {
    char log[32];
    int len;
    Timer *self;
    Timer *victim;      /* deleted by the callback */
    int rearm_left;     /* re-arms itself (in the past) this many times */
    bool free_self;
} Probe;

static char run_log[64];
static int run_len;

static void probe_cb(void *opaque)
{
    Probe *p = opaque;

    run_log[run_len++] = p->log[0];
    if (p->victim) {
        timer_del(p->victim);
    }
    if (p->rearm_left > 0) {
        p->rearm_left--;
        timer_mod(p->self, clock_get_ns(CLK_REALTIME) - 1);
    }
    if (p->free_self) {
        timer_free(p->self);
        p->self = NULL;
    }
}

static void reset_log(void)
{
    run_len = 0;
    run_log[0] = 0;
}

static Timer *probe_timer(Probe *p, char name, ClockType clock)
{
    *p = (Probe){ .log = { name } };
    p->self = timer_new(clock, probe_cb, p);
    return p->self;
}

static void test_expired_timers_run_in_deadline_order(void **state)
{
    Probe p[4];
    int64_t now = clock_get_ns(CLK_REALTIME);

    reset_log();
    timer_mod(probe_timer(&p[0], 'c', CLK_REALTIME), now - 10);
    timer_mod(probe_timer(&p[1], 'a', CLK_REALTIME), now - 30);
    timer_mod(probe_timer(&p[2], 'b', CLK_REALTIME), now - 20);
    timer_mod(probe_timer(&p[3], 'z', CLK_REALTIME), now + HOUR_NS);
    assert_true(timers_run_expired());
    assert_int_equal(run_len, 3);
    assert_memory_equal(run_log, "abc", 3);
    assert_true(timer_pending(p[3].self));
    assert_false(timer_pending(p[0].self));
    assert_false(timers_run_expired());
    for (int i = 0; i < 4; i++) {
        timer_free(p[i].self);
    }
}

static void test_rearm_moves_timer(void **state)
{
    Probe a, b;
    int64_t now = clock_get_ns(CLK_REALTIME);

    reset_log();
    timer_mod(probe_timer(&a, 'a', CLK_REALTIME), now - 10);
    timer_mod(probe_timer(&b, 'b', CLK_REALTIME), now - 20);
    timer_mod(a.self, now - 30);       /* moves before b */
    assert_int_equal(timer_expire_time(a.self), now - 30);
    timer_mod(b.self, now + HOUR_NS);  /* moves out of the expired set */
    assert_true(timers_run_expired());
    assert_int_equal(run_len, 1);
    assert_int_equal(run_log[0], 'a');
    timer_del(b.self);
    assert_false(timer_pending(b.self));
    assert_int_equal(timer_expire_time(b.self), -1);
    timer_free(a.self);
    timer_free(b.self);
}

static void test_callback_deletes_later_timer(void **state)
{
    Probe a, b;
    int64_t now = clock_get_ns(CLK_REALTIME);

    reset_log();
    timer_mod(probe_timer(&a, 'a', CLK_REALTIME), now - 20);
    timer_mod(probe_timer(&b, 'b', CLK_REALTIME), now - 10);
    a.victim = b.self;
    assert_true(timers_run_expired());
    assert_int_equal(run_len, 1);
    assert_false(timer_pending(b.self));
    timer_free(a.self);
    timer_free(b.self);
}

static void test_callback_rearms_itself_once_per_pass(void **state)
{
    Probe a;

    reset_log();
    timer_mod(probe_timer(&a, 'a', CLK_REALTIME), clock_get_ns(CLK_REALTIME) - 1);
    a.rearm_left = 2;
    /* Re-armed in the past: runs once per pass, never loops forever within one. */
    assert_true(timers_run_expired());
    assert_int_equal(run_len, 1);
    assert_true(timer_pending(a.self));
    assert_int_equal(timers_deadline_ns(), 0);
    assert_true(timers_run_expired());
    assert_true(timers_run_expired());
    assert_int_equal(run_len, 3);
    assert_false(timer_pending(a.self));
    assert_false(timers_run_expired());
    timer_free(a.self);
}

static void test_callback_frees_itself(void **state)
{
    Probe a, b;
    int64_t now = clock_get_ns(CLK_REALTIME);

    reset_log();
    timer_mod(probe_timer(&a, 'a', CLK_REALTIME), now - 20);
    timer_mod(probe_timer(&b, 'b', CLK_REALTIME), now - 10);
    a.free_self = true;
    assert_true(timers_run_expired());
    assert_int_equal(run_len, 2);
    assert_memory_equal(run_log, "ab", 2);
    assert_null(a.self);
    timer_free(b.self);
}

static void test_virtual_clock_starts_stopped_at_zero(void **state)
{
    /* Runs first: nothing has started the guest yet. */
    assert_false(clock_virtual_running());
    assert_int_equal(clock_get_ns(CLK_VIRTUAL), 0);
    clock_virtual_start();
    assert_true(clock_virtual_running());
    assert_true(clock_get_ns(CLK_VIRTUAL) < clock_get_ns(CLK_REALTIME));
}

static void test_virtual_clock_stops_and_resumes(void **state)
{
    int64_t t0, t1, t2;

    clock_virtual_start();
    assert_true(clock_virtual_running());
    clock_virtual_stop();
    assert_false(clock_virtual_running());
    t0 = clock_get_ns(CLK_VIRTUAL);
    t1 = clock_get_ns(CLK_VIRTUAL);
    assert_int_equal(t0, t1);
    clock_virtual_stop();               /* idempotent */
    assert_int_equal(clock_get_ns(CLK_VIRTUAL), t0);
    clock_virtual_start();
    assert_true(clock_virtual_running());
    t2 = clock_get_ns(CLK_VIRTUAL);
    /* Resumes from where it stopped: no jump by the time spent stopped. */
    assert_true(t2 >= t0);
    assert_true(clock_get_ns(CLK_REALTIME) - clock_get_ns(CLK_VIRTUAL) >= 0);
}

static void test_stopped_virtual_clock_holds_timers(void **state)
{
    Probe v;

    reset_log();
    clock_virtual_start();
    timer_mod(probe_timer(&v, 'v', CLK_VIRTUAL), clock_get_ns(CLK_VIRTUAL) - 1);
    clock_virtual_stop();
    assert_int_equal(timers_deadline_ns(), -1);
    assert_false(timers_run_expired());
    assert_true(timer_pending(v.self));
    clock_virtual_start();
    assert_int_equal(timers_deadline_ns(), 0);
    assert_true(timers_run_expired());
    assert_int_equal(run_len, 1);
    timer_free(v.self);
}

static void test_deadline_is_nearest_across_clocks(void **state)
{
    Probe r, h;

    clock_virtual_start();
    assert_int_equal(timers_deadline_ns(), -1);
    timer_mod(probe_timer(&r, 'r', CLK_REALTIME), clock_get_ns(CLK_REALTIME) + 2 * HOUR_NS);
    timer_mod(probe_timer(&h, 'h', CLK_HOST), clock_get_ns(CLK_HOST) + HOUR_NS);
    int64_t d = timers_deadline_ns();
    assert_true(d > HOUR_NS - 60 * NS_PER_SEC && d <= HOUR_NS);
    timer_del(h.self);
    d = timers_deadline_ns();
    assert_true(d > HOUR_NS && d <= 2 * HOUR_NS);
    timer_free(r.self);
    timer_free(h.self);
    assert_int_equal(timers_deadline_ns(), -1);
}

/* Interposes clock_gettime() for this binary: while clock_step_ns is set, every read of
 * CLOCK_MONOTONIC is that much later than the one before, as on a host where the main
 * thread is preempted between two reads. */
static int64_t clock_step_ns, clock_skew_ns;

int clock_gettime(clockid_t id, struct timespec *ts)
{
    int rc = (int)syscall(SYS_clock_gettime, id, ts);
    if (rc == 0 && id == CLOCK_MONOTONIC && clock_step_ns) {
        clock_skew_ns += clock_step_ns;
        int64_t ns = ts->tv_nsec + clock_skew_ns;
        ts->tv_sec += ns / NS_PER_SEC;
        ts->tv_nsec = ns % NS_PER_SEC;
    }
    return rc;
}

/* A timer that expires between two reads of the clock: the deadline is 0, never negative
 * (the main loop takes a negative one for "no timeout" and sleeps through the timer; it
 * did, once the deadline was computed as MAX(expire - clock, 0) with two clock reads). */
static void test_deadline_never_negative_when_clock_moves(void **state)
{
    Probe r;

    timer_mod(probe_timer(&r, 'r', CLK_REALTIME), clock_get_ns(CLK_REALTIME) + HOUR_NS);
    clock_step_ns = 1000;
    for (int i = 0; i < 100; i++) {
        /* expires between the next read of the clock and the one after */
        timer_mod(r.self, clock_get_ns(CLK_REALTIME) + 1500);
        int64_t d = timers_deadline_ns();
        assert_true(d >= 0 && d <= 1500);
    }
    clock_step_ns = 0;
    timer_free(r.self);
    assert_int_equal(timers_deadline_ns(), -1);
}

/* The virtual clock is read without the timer mutex (a sequence count): a reader racing
 * stop/start must never see it go backwards, which a torn read of the state (new
 * "running", old time spent stopped) would show as a jump forward by the stop's length
 * and back. */
static atomic_int toggling_done;
static atomic_long backward_steps, reads_done;

static void *virtual_reader(void *arg)
{
    int64_t last = clock_get_ns(CLK_VIRTUAL);
    while (!atomic_load(&toggling_done)) {
        int64_t now = clock_get_ns(CLK_VIRTUAL);
        if (now < last) {
            atomic_fetch_add(&backward_steps, 1);
        }
        last = now;
        atomic_fetch_add_explicit(&reads_done, 1, memory_order_relaxed);
    }
    return NULL;
}

static void test_virtual_clock_monotonic_under_stop_start(void **state)
{
    pthread_t reader;
    clock_virtual_start();
    atomic_store(&toggling_done, 0);
    assert_int_equal(pthread_create(&reader, NULL, virtual_reader, NULL), 0);
    for (int i = 0; i < 20000; i++) {
        clock_virtual_stop();
        int64_t until = clock_get_ns(CLK_REALTIME) + 2000;     /* stopped for 2 us */
        while (clock_get_ns(CLK_REALTIME) < until) {
        }
        clock_virtual_start();
    }
    atomic_store(&toggling_done, 1);
    pthread_join(reader, NULL);
    print_message("%ld reads during 20000 stops\n", atomic_load(&reads_done));
    assert_int_equal(atomic_load(&backward_steps), 0);
    assert_true(atomic_load(&reads_done) > 0);
}

static int owner_changes;

static void owner_changed(TimerOwner *owner)
{
    (void)owner;
    owner_changes++;
}

/* Timers of an owner (a vCPU thread): while it guards them the main loop neither waits
 * for them nor is told of them (the owner is), the owner's deadline and run see only its
 * own; unguarded they are the main loop's again. */
static void test_owned_timers(void **state)
{
    TimerOwner o = { .changed = owner_changed }, other = { .changed = owner_changed };
    Probe a, b, m;
    int64_t now = clock_get_ns(CLK_REALTIME), d;

    timer_set_owner(probe_timer(&a, 'a', CLK_REALTIME), &o);
    timer_set_owner(probe_timer(&b, 'b', CLK_REALTIME), &other);
    probe_timer(&m, 'm', CLK_REALTIME);
    timer_owner_guard(&o, true);
    timer_owner_guard(&other, true);
    owner_changes = 0;
    timer_mod(a.self, now + HOUR_NS);
    assert_int_equal(owner_changes, 1);
    assert_int_equal(timers_deadline_ns(), -1);
    assert_int_equal(timer_owner_deadline_mono(&o), now + HOUR_NS);   /* realtime = mono */
    assert_int_equal(timer_owner_deadline_mono(&other), -1);

    timer_mod(b.self, now - 1);             /* expired, but the owner runs it */
    timer_mod(m.self, now + 2 * HOUR_NS);
    d = timers_deadline_ns();
    assert_true(d > HOUR_NS && d <= 2 * HOUR_NS);
    reset_log();
    assert_false(timers_run_owned(&o));
    assert_true(timers_run_owned(&other));
    assert_int_equal(run_len, 1);
    assert_int_equal(run_log[0], 'b');
    timer_mod(a.self, now - 1);
    reset_log();
    assert_true(timers_run_owned(&o));
    assert_int_equal(run_len, 1);
    assert_int_equal(run_log[0], 'a');
    assert_false(timer_pending(a.self));

    timer_mod(a.self, now + HOUR_NS / 2);
    timer_owner_guard(&o, false);
    d = timers_deadline_ns();
    assert_true(d > HOUR_NS / 2 - 60 * NS_PER_SEC && d <= HOUR_NS / 2);
    owner_changes = 0;
    timer_mod(a.self, now + HOUR_NS / 2);
    assert_int_equal(owner_changes, 0);
    timer_owner_guard(&other, false);
    timer_free(a.self);
    timer_free(b.self);
    timer_free(m.self);
    assert_int_equal(timers_deadline_ns(), -1);
}

/* A virtual-clock timer's owner deadline is its expiry plus the time the clock spent
 * stopped: exact, so that the owner's alarm and its check agree. */
static void test_owned_virtual_deadline(void **state)
{
    TimerOwner o = { .changed = owner_changed };
    Probe v;

    clock_virtual_start();
    timer_set_owner(probe_timer(&v, 'v', CLK_VIRTUAL), &o);
    timer_owner_guard(&o, true);
    int64_t mono0 = clock_get_ns(CLK_REALTIME);
    int64_t virt0 = clock_get_ns(CLK_VIRTUAL);
    int64_t virt1 = clock_get_ns(CLK_VIRTUAL);
    int64_t mono1 = clock_get_ns(CLK_REALTIME);
    timer_mod(v.self, virt0 + HOUR_NS);
    int64_t at = timer_owner_deadline_mono(&o);
    int64_t stopped_total = at - HOUR_NS - virt0;
    assert_true(stopped_total >= mono0 - virt0 && stopped_total <= mono1 - virt1);
    assert_int_equal(timer_owner_deadline_mono(&o), at);
    clock_virtual_stop();
    assert_int_equal(timer_owner_deadline_mono(&o), -1);    /* a stopped clock: none */
    clock_virtual_start();
    assert_true(timer_owner_deadline_mono(&o) >= at);
    timer_owner_guard(&o, false);
    timer_free(v.self);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_virtual_clock_starts_stopped_at_zero),
        cmocka_unit_test(test_expired_timers_run_in_deadline_order),
        cmocka_unit_test(test_rearm_moves_timer),
        cmocka_unit_test(test_callback_deletes_later_timer),
        cmocka_unit_test(test_callback_rearms_itself_once_per_pass),
        cmocka_unit_test(test_callback_frees_itself),
        cmocka_unit_test(test_virtual_clock_stops_and_resumes),
        cmocka_unit_test(test_virtual_clock_monotonic_under_stop_start),
        cmocka_unit_test(test_stopped_virtual_clock_holds_timers),
        cmocka_unit_test(test_deadline_is_nearest_across_clocks),
        cmocka_unit_test(test_deadline_never_negative_when_clock_moves),
        cmocka_unit_test(test_owned_timers),
        cmocka_unit_test(test_owned_virtual_deadline),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
