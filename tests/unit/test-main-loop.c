/* Unit tests for system/main-loop.c: fd handlers on a pipe, bottom halves scheduled from
 * another thread, main_loop_kick (also one landing inside the drain), and the big lock's per-thread ownership. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <pthread.h>
#include <stdatomic.h>
#include <sys/syscall.h>
#include <unistd.h>
#include "system/main-loop.h"
#include "system/timer.h"

typedef struct PipeState {
    int fds[2];
    int reads;
    int writes;
    char last;
    bool had_lock;
} PipeState;

static void pipe_on_read(void *opaque)
{
    PipeState *s = opaque;
    char c;

    s->had_lock = bql_locked();
    if (read(s->fds[0], &c, 1) == 1) {
        s->last = c;
        s->reads++;
    }
}

static void pipe_on_write(void *opaque)
{
    PipeState *s = opaque;

    s->writes++;
    main_loop_set_fd_handler(s->fds[1], NULL, NULL, NULL);
}

static void test_fd_handler_read(void **state)
{
    PipeState s = { 0 };

    main_loop_init();
    assert_int_equal(pipe(s.fds), 0);
    main_loop_set_fd_handler(s.fds[0], pipe_on_read, NULL, &s);
    while (main_loop_wait(0)) {
        /* drain the registration kick */
    }
    assert_int_equal(s.reads, 0);
    assert_int_equal(write(s.fds[1], "x", 1), 1);
    assert_true(main_loop_wait(-1));
    assert_int_equal(s.reads, 1);
    assert_int_equal(s.last, 'x');
    assert_true(s.had_lock);
    main_loop_set_fd_handler(s.fds[0], NULL, NULL, NULL);
    assert_int_equal(write(s.fds[1], "y", 1), 1);
    assert_false(main_loop_wait(0));
    assert_int_equal(s.reads, 1);
    close(s.fds[0]);
    close(s.fds[1]);
}

static void test_fd_handler_write_unregisters_itself(void **state)
{
    PipeState s = { 0 };

    main_loop_init();
    assert_int_equal(pipe(s.fds), 0);
    main_loop_set_fd_handler(s.fds[1], NULL, pipe_on_write, &s);
    assert_true(main_loop_wait(-1));
    assert_int_equal(s.writes, 1);
    assert_false(main_loop_wait(0));
    assert_int_equal(s.writes, 1);
    close(s.fds[0]);
    close(s.fds[1]);
}

static int bh_runs;
static bool bh_had_lock;

static void count_bh(void *opaque)
{
    bh_runs++;
    bh_had_lock = bql_locked();
}

static void *schedule_thread(void *opaque)
{
    bh_schedule(opaque);
    return NULL;
}

static void test_bh_from_other_thread_wakes_loop(void **state)
{
    BottomHalf *bh = bh_new(count_bh, NULL);
    pthread_t th;

    main_loop_init();
    bh_runs = 0;
    assert_int_equal(pthread_create(&th, NULL, schedule_thread, bh), 0);
    /* Without the bottom half this would sleep forever (no timers, no fds). */
    while (bh_runs == 0) {
        main_loop_wait(-1);
    }
    pthread_join(th, NULL);
    assert_int_equal(bh_runs, 1);
    assert_true(bh_had_lock);
    assert_false(main_loop_wait(0));
    assert_int_equal(bh_runs, 1);
    bh_delete(bh);
}

static BottomHalf *self_deleting;

static void delete_self_bh(void *opaque)
{
    bh_runs++;
    bh_delete(self_deleting);
    self_deleting = NULL;
}

static void test_bh_runs_once_and_may_delete_itself(void **state)
{
    BottomHalf *other = bh_new(count_bh, NULL);

    main_loop_init();
    bh_runs = 0;
    self_deleting = bh_new(delete_self_bh, NULL);
    bh_schedule(self_deleting);
    bh_schedule(other);
    bh_schedule(other);
    assert_true(main_loop_wait(-1));
    assert_int_equal(bh_runs, 2);
    assert_null(self_deleting);
    assert_false(main_loop_wait(0));
    bh_delete(other);
}

static void *kick_thread(void *opaque)
{
    main_loop_kick();
    return NULL;
}

static void test_kick_wakes_loop(void **state)
{
    pthread_t th;

    main_loop_init();
    assert_int_equal(pthread_create(&th, NULL, kick_thread, NULL), 0);
    /* Returns once the kick arrives; nothing ran. */
    assert_false(main_loop_wait(-1));
    pthread_join(th, NULL);
}

/* Interposes libc's read() for this binary so that a kick can land inside the loop's drain
 * of its wakeup eventfd (8-byte reads), the window a preempted main thread leaves open on a
 * busy host. */
static atomic_bool kick_inside_drain;

ssize_t read(int fd, void *buf, size_t n)
{
    if (n == sizeof(uint64_t) && atomic_exchange(&kick_inside_drain, false)) {
        main_loop_kick();
    }
    return syscall(SYS_read, fd, buf, n);
}

static int expired_fired;

static void expired_cb(void *opaque)
{
    expired_fired++;
}

static void *arm_expired_timer_thread(void *opaque)
{
    usleep(20000);
    timer_mod(opaque, clock_get_ns(CLK_REALTIME));
    return NULL;
}

/* A kick during the drain used to be swallowed by its read while the pending flag stayed
 * set: every later kick skipped its write and the loop slept through a timer armed by
 * another thread (a vCPU arming its LAPIC timer) until its own timeout. */
static void test_kick_during_drain_is_not_lost(void **state)
{
    Timer *t = timer_new(CLK_REALTIME, expired_cb, NULL);
    pthread_t th;
    int64_t start;

    main_loop_init();
    main_loop_kick();
    atomic_store(&kick_inside_drain, true);
    main_loop_wait(0);
    assert_false(atomic_load(&kick_inside_drain));
    expired_fired = 0;
    start = clock_get_ns(CLK_REALTIME);
    assert_int_equal(pthread_create(&th, NULL, arm_expired_timer_thread, t), 0);
    while (!expired_fired && clock_get_ns(CLK_REALTIME) - start < 2 * NS_PER_SEC) {
        main_loop_wait(2 * NS_PER_SEC);
    }
    pthread_join(th, NULL);
    assert_int_equal(expired_fired, 1);
    assert_true(clock_get_ns(CLK_REALTIME) - start < NS_PER_SEC);
    timer_free(t);
}

static void *lock_probe_thread(void *opaque)
{
    bool *locked_here = opaque;

    *locked_here = bql_locked();
    bql_lock();
    locked_here[1] = bql_locked();
    bql_unlock();
    return NULL;
}

static void test_bql_is_per_thread(void **state)
{
    bool probe[2] = { true, false };
    pthread_t th;

    main_loop_init();
    assert_true(bql_locked());
    bql_unlock();
    assert_false(bql_locked());
    assert_int_equal(pthread_create(&th, NULL, lock_probe_thread, probe), 0);
    pthread_join(th, NULL);
    assert_false(probe[0]);
    assert_true(probe[1]);
    bql_lock();
    assert_true(bql_locked());
}

static int timer_fired;

static void timer_cb(void *opaque)
{
    timer_fired++;
}

static void test_loop_runs_expired_timer(void **state)
{
    Timer *t = timer_new(CLK_REALTIME, timer_cb, NULL);

    main_loop_init();
    timer_fired = 0;
    timer_mod(t, clock_get_ns(CLK_REALTIME) - 1);
    assert_int_equal(timers_deadline_ns(), 0);
    assert_true(main_loop_wait(-1));
    assert_int_equal(timer_fired, 1);
    assert_false(timer_pending(t));
    timer_free(t);
}

static void *arm_timer_thread(void *opaque)
{
    timer_mod(opaque, clock_get_ns(CLK_REALTIME));
    return NULL;
}

/* The loop sleeps with no deadline; a timer armed from another thread must wake it. */
static void test_timer_armed_from_other_thread_wakes_loop(void **state)
{
    Timer *t = timer_new(CLK_REALTIME, timer_cb, NULL);
    pthread_t th;

    main_loop_init();
    while (main_loop_wait(0)) {
    }
    timer_fired = 0;
    assert_int_equal(timers_deadline_ns(), -1);
    assert_int_equal(pthread_create(&th, NULL, arm_timer_thread, t), 0);
    while (timer_fired == 0) {
        main_loop_wait(-1);
    }
    pthread_join(th, NULL);
    assert_int_equal(timer_fired, 1);
    timer_free(t);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_fd_handler_read),
        cmocka_unit_test(test_fd_handler_write_unregisters_itself),
        cmocka_unit_test(test_bh_from_other_thread_wakes_loop),
        cmocka_unit_test(test_bh_runs_once_and_may_delete_itself),
        cmocka_unit_test(test_kick_wakes_loop),
        cmocka_unit_test(test_kick_during_drain_is_not_lost),
        cmocka_unit_test(test_bql_is_per_thread),
        cmocka_unit_test(test_loop_runs_expired_timer),
        cmocka_unit_test(test_timer_armed_from_other_thread_wakes_loop),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
