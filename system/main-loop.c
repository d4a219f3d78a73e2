/* The main loop: poll() over registered file descriptors, bottom halves, timers and an
 * eventfd used to wake the loop from other threads; plus the big lock. See docs/threads.md. */
#include <errno.h>
#include <poll.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <time.h>
#include <unistd.h>
#include "system/main-loop.h"
#include "system/timer.h"
#include "util/cutils.h"
#include "util/error.h"

/* --- the big lock ------------------------------------------------------------------ */

static pthread_mutex_t bql_mutex = PTHREAD_MUTEX_INITIALIZER;
static __thread bool bql_held_by_me;

void bql_lock(void)
{
    pthread_mutex_lock(&bql_mutex);
    bql_held_by_me = true;
}

void bql_unlock(void)
{
    bql_held_by_me = false;
    pthread_mutex_unlock(&bql_mutex);
}

bool bql_locked(void)
{
    return bql_held_by_me;
}

/* --- fd handlers (registry; changed with the big lock held) ------------------------- */

typedef struct FdHandler {
    int fd;
    IOHandler *on_read;
    IOHandler *on_write;
    void *opaque;
} FdHandler;

static FdHandler *fd_handlers;
static int fd_handler_count;
static int fd_handler_alloc;

static FdHandler *fd_handler_find(int fd)
{
    for (int i = 0; i < fd_handler_count; i++) {
        if (fd_handlers[i].fd == fd) {
            return &fd_handlers[i];
        }
    }
    return NULL;
}

static void fd_handler_remove(FdHandler *h)
{
    int i = (int)(h - fd_handlers);
    memmove(&fd_handlers[i], &fd_handlers[i + 1],
            (size_t)(fd_handler_count - i - 1) * sizeof(*fd_handlers));
    fd_handler_count--;
}

void main_loop_set_fd_handler(int fd, IOHandler *on_read, IOHandler *on_write, void *opaque)
{
    FdHandler *h = fd_handler_find(fd);

    if (!on_read && !on_write) {
        if (h) {
            fd_handler_remove(h);
        }
        return;
    }
    if (!h) {
        if (fd_handler_count == fd_handler_alloc) {
            fd_handler_alloc = fd_handler_alloc ? fd_handler_alloc * 2 : 16;
            fd_handlers = xrealloc(fd_handlers, (size_t)fd_handler_alloc * sizeof(*fd_handlers));
        }
        h = &fd_handlers[fd_handler_count++];
        h->fd = fd;
    }
    h->on_read = on_read;
    h->on_write = on_write;
    h->opaque = opaque;
    /* A thread other than the main one may register while the loop polls an old set. */
    main_loop_kick();
}

/* --- bottom halves ---------------------------------------------------------------- */

struct BottomHalf {
    void (*cb)(void *opaque);
    void *opaque;
    bool scheduled;
    bool deleted;       /* bh_delete() during dispatch: freed when dispatch ends */
    BottomHalf *next;
};

static pthread_mutex_t bh_mutex = PTHREAD_MUTEX_INITIALIZER;
static BottomHalf *bh_list;
static bool bh_dispatching;
static atomic_bool bh_any_scheduled;

BottomHalf *bh_new(void (*cb)(void *opaque), void *opaque)
{
    BottomHalf *bh = xzalloc(sizeof(*bh));

    bh->cb = cb;
    bh->opaque = opaque;
    pthread_mutex_lock(&bh_mutex);
    bh->next = bh_list;
    bh_list = bh;
    pthread_mutex_unlock(&bh_mutex);
    return bh;
}

void bh_schedule(BottomHalf *bh)
{
    pthread_mutex_lock(&bh_mutex);
    bh->scheduled = !bh->deleted;
    pthread_mutex_unlock(&bh_mutex);
    atomic_store(&bh_any_scheduled, true);
    main_loop_kick();
}

static void bh_unlink(BottomHalf *bh)
{
    for (BottomHalf **p = &bh_list; *p; p = &(*p)->next) {
        if (*p == bh) {
            *p = bh->next;
            return;
        }
    }
}

void bh_delete(BottomHalf *bh)
{
    if (!bh) {
        return;
    }
    pthread_mutex_lock(&bh_mutex);
    bh->scheduled = false;
    if (bh_dispatching) {
        bh->deleted = true;
    } else {
        bh_unlink(bh);
        free(bh);
    }
    pthread_mutex_unlock(&bh_mutex);
}

static void bh_free_deleted_locked(void)
{
    BottomHalf **p = &bh_list;

    while (*p) {
        BottomHalf *bh = *p;
        if (bh->deleted) {
            *p = bh->next;
            free(bh);
        } else {
            p = &bh->next;
        }
    }
}

/* Runs each bottom half scheduled before this call once. A bottom half that schedules
 * itself again runs on the next iteration (which then does not sleep). */
static bool bh_dispatch(void)
{
    bool ran = false;

    if (!atomic_exchange(&bh_any_scheduled, false)) {
        return false;
    }
    pthread_mutex_lock(&bh_mutex);
    bh_dispatching = true;
    for (BottomHalf *bh = bh_list; bh; bh = bh->next) {
        if (!bh->scheduled || bh->deleted) {
            continue;
        }
        bh->scheduled = false;
        pthread_mutex_unlock(&bh_mutex);
        bh->cb(bh->opaque);
        ran = true;
        pthread_mutex_lock(&bh_mutex);
    }
    bh_dispatching = false;
    bh_free_deleted_locked();
    pthread_mutex_unlock(&bh_mutex);
    return ran;
}

/* --- wakeup ------------------------------------------------------------------------ */

static int wakeup_fd = -1;
static atomic_bool kick_pending;

void main_loop_kick(void)
{
    uint64_t one = 1;

    if (wakeup_fd < 0 || atomic_exchange(&kick_pending, true)) {
        return;
    }
    /* Async-signal-safe: signal handlers may call this (shutdown requests). */
    while (write(wakeup_fd, &one, sizeof(one)) < 0 && errno == EINTR) {
    }
}

/* Reads the eventfd first, then clears kick_pending. The other order loses every later
 * kick: a kick between the clear and the read writes again, the read swallows it, and
 * kick_pending stays set with nothing left to read, so all further kicks skip the write
 * and the loop sleeps through new timers and bottom halves (a guest waiting for its timer
 * hangs). A kick skipped between this read and clear is harmless: its state (timer,
 * bottom half) was published before the kick and this iteration runs or counts it. */
static void wakeup_drain(void)
{
    uint64_t count;

    while (read(wakeup_fd, &count, sizeof(count)) < 0 && errno == EINTR) {
    }
    atomic_store(&kick_pending, false);
}

void main_loop_init(void)
{
    if (wakeup_fd < 0) {
        wakeup_fd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
        if (wakeup_fd < 0) {
            error_report("main loop: cannot create eventfd: %s", strerror(errno));
            exit(1);
        }
    }
    if (!bql_locked()) {
        bql_lock();
    }
}

/* --- one iteration ------------------------------------------------------------------ */

static int64_t min_timeout(int64_t a, int64_t b)
{
    if (a < 0) {
        return b;
    }
    if (b < 0) {
        return a;
    }
    return MIN(a, b);
}

static int64_t main_loop_timeout(int64_t max_wait_ns)
{
    if (atomic_load(&bh_any_scheduled)) {
        return 0;
    }
    return min_timeout(max_wait_ns, timers_deadline_ns());
}

/* pollfds[0] is the wakeup eventfd, then one entry per registered handler. */
static int main_loop_fill_pollfds(struct pollfd *pfds)
{
    int n = 0;

    if (wakeup_fd >= 0) {
        pfds[n++] = (struct pollfd){ .fd = wakeup_fd, .events = POLLIN };
    }
    for (int i = 0; i < fd_handler_count; i++) {
        short events = (fd_handlers[i].on_read ? POLLIN : 0) |
                       (fd_handlers[i].on_write ? POLLOUT : 0);
        pfds[n++] = (struct pollfd){ .fd = fd_handlers[i].fd, .events = events };
    }
    return n;
}

/* Called with the big lock held; releases it while sleeping. */
static void main_loop_poll(struct pollfd *pfds, int n, int64_t timeout_ns)
{
    struct timespec ts, *tsp = NULL;

    if (timeout_ns >= 0) {
        ts.tv_sec = timeout_ns / NS_PER_SEC;
        ts.tv_nsec = timeout_ns % NS_PER_SEC;
        tsp = &ts;
    }
    bql_unlock();
    if (ppoll(pfds, (nfds_t)n, tsp, NULL) < 0) {
        for (int i = 0; i < n; i++) {
            pfds[i].revents = 0;
        }
    }
    bql_lock();
}

/* Handlers may be removed or replaced by earlier callbacks: look each one up again. */
static bool main_loop_dispatch_fds(const struct pollfd *pfds, int n)
{
    bool ran = false;

    for (int i = 0; i < n; i++) {
        int fd = pfds[i].fd;
        short rev = pfds[i].revents;
        FdHandler *h;

        if (!rev) {
            continue;
        }
        if (fd == wakeup_fd) {
            wakeup_drain();
            continue;
        }
        h = fd_handler_find(fd);
        if (h && (rev & POLLNVAL)) {
            /* Closed without unregistering: drop it rather than spin on it. */
            warn_report("main loop: fd %d was closed while registered; dropped", fd);
            fd_handler_remove(h);
            continue;
        }
        if (h && h->on_read && (rev & (POLLIN | POLLHUP | POLLERR))) {
            h->on_read(h->opaque);
            ran = true;
            h = fd_handler_find(fd);
        }
        if (h && h->on_write && (rev & (POLLOUT | POLLERR | POLLHUP))) {
            h->on_write(h->opaque);
            ran = true;
        }
    }
    return ran;
}

bool main_loop_wait(int64_t max_wait_ns)
{
    bool was_locked = bql_locked();
    struct pollfd *pfds;
    int cap;
    bool ran;
    int n;

    if (!was_locked) {
        bql_lock();
    }
    cap = fd_handler_count + 1;
    pfds = xmalloc((size_t)cap * sizeof(*pfds));
    n = main_loop_fill_pollfds(pfds);
    main_loop_poll(pfds, n, main_loop_timeout(max_wait_ns));
    ran = main_loop_dispatch_fds(pfds, n);
    free(pfds);
    ran |= bh_dispatch();
    ran |= timers_run_expired();
    if (!was_locked) {
        bql_unlock();
    }
    return ran;
}
