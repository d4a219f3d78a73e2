/* A test-and-test-and-set spin lock for short critical sections that are almost never
 * contended (a vCPU's own soft TLB against the rare thread marking a code page). Taking
 * it is one locked exchange and releasing it a plain store, where a pthread mutex pays a
 * locked operation both ways. A waiter spins with PAUSE and yields the CPU after a while,
 * so a preempted holder on a loaded host does not burn the waiter's time slice. */
#ifndef UTIL_SPINLOCK_H
#define UTIL_SPINLOCK_H

#include <sched.h>
#include <stdbool.h>

typedef struct Spinlock {
    bool locked;
} Spinlock;

static inline void spinlock_init(Spinlock *l)
{
    __atomic_store_n(&l->locked, false, __ATOMIC_RELAXED);
}

static inline void spinlock_lock(Spinlock *l)
{
    unsigned spins = 0;
    while (__atomic_exchange_n(&l->locked, true, __ATOMIC_ACQUIRE)) {
        while (__atomic_load_n(&l->locked, __ATOMIC_RELAXED)) {
            if (++spins < 1000) {
                __builtin_ia32_pause();
            } else {
                sched_yield();
            }
        }
    }
}

static inline void spinlock_unlock(Spinlock *l)
{
    __atomic_store_n(&l->locked, false, __ATOMIC_RELEASE);
}

#endif
