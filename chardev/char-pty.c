/* The pty backend: a pseudo-terminal pair (posix_openpt); the guest side is the master,
 * users open the printed /dev/pts/N. Connection is detected as QEMU does: the master
 * reports POLLHUP while no one holds the slave open, checked once a second. */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <termios.h>
#include <unistd.h>
#include "chardev/chardev-internal.h"
#include "system/timer.h"
#include "util/cutils.h"

#define PTY_POLL_INTERVAL_NS NS_PER_SEC

typedef struct PtyState {
    int master_fd;
    bool connected;
    Timer *poll_timer;
} PtyState;

static bool pty_slave_open(int master_fd)
{
    struct pollfd pfd = { .fd = master_fd, .events = POLLIN };

    return poll(&pfd, 1, 0) >= 0 && !(pfd.revents & POLLHUP);
}

static void pty_set_connected(Chardev *chr, bool connected)
{
    PtyState *ps = chr->opaque;

    if (ps->connected == connected) {
        return;
    }
    ps->connected = connected;
    if (connected) {
        timer_del(ps->poll_timer);
        chr->fd_in = chr->fd_out = ps->master_fd;
        chr->input_eof = false;
        chardev_be_event(chr, CHR_EVENT_OPENED);
        chardev_fd_update_reading(chr);
    } else {
        chardev_fd_stop_reading(chr);
        chr->fd_in = chr->fd_out = -1;     /* writes are dropped while nobody listens */
        chardev_be_event(chr, CHR_EVENT_CLOSED);
        timer_mod(ps->poll_timer, clock_get_ns(CLK_REALTIME) + PTY_POLL_INTERVAL_NS);
    }
}

static void pty_poll_timer_cb(void *opaque)
{
    Chardev *chr = opaque;
    PtyState *ps = chr->opaque;

    if (pty_slave_open(ps->master_fd)) {
        pty_set_connected(chr, true);
    } else {
        timer_mod(ps->poll_timer, clock_get_ns(CLK_REALTIME) + PTY_POLL_INTERVAL_NS);
    }
}

static void pty_hangup(Chardev *chr)
{
    pty_set_connected(chr, false);
}

static int pty_open_master(Chardev *chr, Error **errp)
{
    struct termios tty;
    int fd = posix_openpt(O_RDWR | O_NOCTTY | O_CLOEXEC);

    if (fd < 0 || grantpt(fd) < 0 || unlockpt(fd) < 0 || !ptsname(fd)) {
        error_setg_errno(errp, errno, "chardev '%s': could not create a pseudo-terminal",
                         chr->id);
        if (fd >= 0) {
            close(fd);
        }
        return -1;
    }
    if (tcgetattr(fd, &tty) == 0) {
        cfmakeraw(&tty);
        tcsetattr(fd, TCSAFLUSH, &tty);
    }
    fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK);
    return fd;
}

static int pty_open(Chardev *chr, KeyValList *opts, Error **errp)
{
    PtyState *ps;
    int fd;

    if (chardev_check_options(chr, opts, errp) < 0) {
        return -1;
    }
    fd = pty_open_master(chr, errp);
    if (fd < 0) {
        return -1;
    }
    ps = xzalloc(sizeof(*ps));
    ps->master_fd = fd;
    ps->poll_timer = timer_new(CLK_REALTIME, pty_poll_timer_cb, chr);
    chr->opaque = ps;
    chardev_set_filename(chr, "pty:%s", ptsname(fd));
    fprintf(stderr, "char device redirected to %s (label %s)\n", ptsname(fd), chr->id);
    timer_mod(ps->poll_timer, clock_get_ns(CLK_REALTIME));
    return 0;
}

static void pty_frontend_changed(Chardev *chr)
{
    PtyState *ps = chr->opaque;

    if (ps->connected) {
        chardev_fd_update_reading(chr);
    }
}

static void pty_close(Chardev *chr)
{
    PtyState *ps = chr->opaque;

    chardev_fd_stop_reading(chr);
    timer_free(ps->poll_timer);
    close(ps->master_fd);
    chr->fd_in = chr->fd_out = -1;
    free(ps);
    chr->opaque = NULL;
}

const ChardevBackend chardev_pty_backend = {
    .name = "pty",
    .open = pty_open,
    .write = chardev_fd_write,
    .accept_input = pty_frontend_changed,
    .frontend_changed = pty_frontend_changed,
    .hangup = pty_hangup,
    .close = pty_close,
};
