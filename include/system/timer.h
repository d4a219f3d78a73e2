/* Clocks and timers. Devices read time only through these clocks.
 *   CLK_VIRTUAL   guest time: stops while the guest is stopped (vm_stop)
 *   CLK_REALTIME  monotonic host time, always runs (UI, monitor)
 *   CLK_HOST      wall-clock time (RTC initial value) */
#ifndef SYSTEM_TIMER_H
#define SYSTEM_TIMER_H

#include <stdbool.h>
#include <stdint.h>

typedef enum { CLK_VIRTUAL, CLK_REALTIME, CLK_HOST, CLK_COUNT } ClockType;

#define NS_PER_SEC 1000000000LL
#define NS_PER_MS 1000000LL

int64_t clock_get_ns(ClockType clock);
/* Freeze and resume CLK_VIRTUAL; used by vm_stop / vm_start. */
void clock_virtual_stop(void);
void clock_virtual_start(void);
bool clock_virtual_running(void);
/* Unit tests of devices: from now on CLK_VIRTUAL reads exactly ns (the test then calls
 * timers_run_expired()). Not for the emulator itself. */
void clock_virtual_set_for_test(int64_t ns);

typedef struct Timer Timer;
typedef void TimerCallback(void *opaque);

Timer *timer_new(ClockType clock, TimerCallback *cb, void *opaque);
/* Arms the timer to fire when its clock reaches expire_ns (absolute). Re-arming moves it. */
void timer_mod(Timer *t, int64_t expire_ns);
void timer_del(Timer *t);
void timer_free(Timer *t);
bool timer_pending(const Timer *t);
int64_t timer_expire_time(const Timer *t);

/* Nanoseconds until the nearest armed deadline (0 if one has passed), or -1 if none.
 * Timers on a stopped virtual clock do not count. */
int64_t timers_deadline_ns(void);
/* Runs every expired timer's callback (big lock held); returns true if any ran. */
bool timers_run_expired(void);

/* Timers run by a thread of their own: a vCPU thread runs its CPU's LAPIC timer itself,
 * waking from its halt for it, so that an idle guest's ticks wake one host thread
 * instead of the main loop and then the vCPU (system/cpus.c). While the owner guards
 * (timer_owner_guard), the main loop does not wait for its timers (it may still run one
 * it finds expired) and re-arming one calls owner->changed instead of waking the loop. */
typedef struct TimerOwner {
    /* After timer_mod of an owned timer while guarded; no timer lock held. */
    void (*changed)(struct TimerOwner *owner);
    bool guarding;          /* under the timer lock */
} TimerOwner;

void timer_set_owner(Timer *t, TimerOwner *owner);
/* Starts or ends guarding; ending it wakes the main loop to count the timers again. */
void timer_owner_guard(TimerOwner *owner, bool on);
/* CLOCK_MONOTONIC time (absolute ns) of the owner's earliest armed timer, or -1 if none
 * (or only ones on a stopped virtual clock). */
int64_t timer_owner_deadline_mono(TimerOwner *owner);
/* Runs the owner's expired timers (big lock held); returns true if any ran. */
bool timers_run_owned(TimerOwner *owner);

#endif
