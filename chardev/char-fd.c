/* File-descriptor plumbing shared by the stdio, file, pipe, pty and socket backends:
 * reading while the front end has room (flow control) and bounded blocking writes. */
#include <errno.h>
#include <poll.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>
#include "chardev/chardev-internal.h"
#include "system/main-loop.h"
#include "system/timer.h"
#include "util/cutils.h"

#define CHARDEV_READ_CHUNK 4096
#define CHARDEV_WRITE_PATIENCE_MS 1000

static void chardev_fd_read_ready(void *opaque)
{
    Chardev *chr = opaque;
    uint8_t buf[CHARDEV_READ_CHUNK];
    int room = chardev_be_can_read(chr);
    ssize_t n;

    if (room <= 0) {
        /* Front end full: stop polling until chardev_accept_input(). */
        chardev_fd_stop_reading(chr);
        return;
    }
    n = read(chr->fd_in, buf, MIN((size_t)room, sizeof(buf)));
    if (n > 0) {
        chardev_be_read(chr, buf, (int)n);
        return;
    }
    if (n < 0 && (errno == EAGAIN || errno == EINTR)) {
        return;
    }
    chardev_fd_stop_reading(chr);
    chr->input_eof = true;
    if (chr->backend->hangup) {
        chr->backend->hangup(chr);
    } else {
        chardev_be_event(chr, CHR_EVENT_CLOSED);    /* as QEMU: end of input is a close */
    }
}

void chardev_fd_stop_reading(Chardev *chr)
{
    if (chr->reading) {
        main_loop_set_fd_handler(chr->fd_in, NULL, NULL, NULL);
        chr->reading = false;
    }
}

void chardev_fd_update_reading(Chardev *chr)
{
    bool want = chr->fd_in >= 0 && !chr->input_eof && chardev_be_can_read(chr) > 0;

    if (want && !chr->reading) {
        main_loop_set_fd_handler(chr->fd_in, chardev_fd_read_ready, NULL, chr);
        chr->reading = true;
    } else if (!want) {
        chardev_fd_stop_reading(chr);
    }
}

void chardev_fd_accept_input(Chardev *chr)
{
    chardev_fd_update_reading(chr);
}

static bool fd_is_socket(int fd)
{
    struct stat st;

    return fstat(fd, &st) == 0 && S_ISSOCK(st.st_mode);
}

static ssize_t write_once(int fd, bool sock, const uint8_t *buf, size_t len)
{
    /* MSG_NOSIGNAL: a peer that went away must not kill us with SIGPIPE. */
    return sock ? send(fd, buf, len, MSG_NOSIGNAL) : write(fd, buf, len);
}

int chardev_write_fd_all(int fd, const uint8_t *buf, int len, int patience_ms)
{
    int64_t give_up = clock_get_ns(CLK_REALTIME) + patience_ms * NS_PER_MS;
    bool sock = fd_is_socket(fd);
    int done = 0;

    while (done < len) {
        ssize_t n = write_once(fd, sock, buf + done, (size_t)(len - done));
        if (n > 0) {
            done += (int)n;
            continue;
        }
        if (n < 0 && errno == EINTR) {
            continue;
        }
        if (n < 0 && errno != EAGAIN) {
            return done ? done : -1;
        }
        int64_t left_ms = (give_up - clock_get_ns(CLK_REALTIME)) / NS_PER_MS;
        struct pollfd pfd = { .fd = fd, .events = POLLOUT };
        int ready = left_ms > 0 ? poll(&pfd, 1, (int)left_ms) : 0;
        if (ready < 0 && errno == EINTR) {
            continue;   /* a signal (a vCPU thread's timer alarm) is not a stalled reader */
        }
        if (ready <= 0) {
            break;      /* nobody drains it: drop the rest */
        }
    }
    return done;
}

int chardev_fd_write(Chardev *chr, const uint8_t *buf, int len)
{
    int done;

    if (chr->fd_out < 0) {
        return len;
    }
    /* A reader that stopped once gets no more patience until it drains the backlog. */
    done = chardev_write_fd_all(chr->fd_out, buf, len,
                                chr->write_stalled ? 0 : CHARDEV_WRITE_PATIENCE_MS);
    chr->write_stalled = done < len;
    return len;
}

void chardev_fd_close(Chardev *chr)
{
    chardev_fd_stop_reading(chr);
    if (chr->fd_in >= 0 && chr->fd_in > 2) {
        close(chr->fd_in);
    }
    if (chr->fd_out >= 0 && chr->fd_out != chr->fd_in && chr->fd_out > 2) {
        close(chr->fd_out);
    }
    chr->fd_in = -1;
    chr->fd_out = -1;
}
