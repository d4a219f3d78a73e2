/* The main loop: poll() over registered file descriptors, bottom halves and timers,
 * and the one global lock ("big lock") that guards device state. */
#ifndef SYSTEM_MAIN_LOOP_H
#define SYSTEM_MAIN_LOOP_H

#include <stdbool.h>
#include <stdint.h>

typedef void IOHandler(void *opaque);

/* Calls on_read / on_write from the main loop (big lock held) while fd is readable /
 * writable; both NULL removes fd. One registration per fd; a new one replaces the old. */
void main_loop_set_fd_handler(int fd, IOHandler *on_read, IOHandler *on_write, void *opaque);

/* A bottom half: a callback run once by the main loop after bh_schedule(), which any
 * thread may call. */
typedef struct BottomHalf BottomHalf;
BottomHalf *bh_new(void (*cb)(void *opaque), void *opaque);
void bh_schedule(BottomHalf *bh);
void bh_delete(BottomHalf *bh);

/* Runs one iteration: waits (big lock released) until an fd is ready, a bottom half is
 * scheduled, a timer expires, main_loop_kick() is called or max_wait_ns passes
 * (-1: no limit), then dispatches with the big lock held. Returns true if anything ran. */
bool main_loop_wait(int64_t max_wait_ns);
/* Wakes main_loop_wait() from any thread. */
void main_loop_kick(void);
/* Sets up the wakeup pipe and takes the big lock for the calling (main) thread. */
void main_loop_init(void);

/* The big lock. The main thread holds it except while polling; vCPU threads take it
 * around device accesses (MMIO, port I/O) and state changes. */
void bql_lock(void);
void bql_unlock(void);
bool bql_locked(void);

#endif
