/* The serial backend (alias tty): a host terminal device such as /dev/ttyS0 or
 * /dev/ttyUSB0, opened non-blocking and put in raw mode (speed left as configured). */
#include <errno.h>
#include <fcntl.h>
#include <termios.h>
#include <unistd.h>
#include "chardev/chardev-internal.h"

static int serial_open(Chardev *chr, KeyValList *opts, Error **errp)
{
    const char *path = keyval_get(opts, "path");
    struct termios tty;
    int fd;

    if (!path || !*path) {
        error_setg(errp, "chardev '%s': parameter 'path' is missing", chr->id);
        return -1;
    }
    if (chardev_check_options(chr, opts, errp) < 0) {
        return -1;
    }
    fd = open(path, O_RDWR | O_NOCTTY | O_NONBLOCK | O_CLOEXEC);
    if (fd < 0) {
        error_setg_errno(errp, errno, "chardev '%s': could not open '%s'", chr->id, path);
        return -1;
    }
    if (!isatty(fd)) {
        error_setg(errp, "chardev '%s': '%s' is not a terminal device", chr->id, path);
        close(fd);
        return -1;
    }
    if (tcgetattr(fd, &tty) == 0) {
        cfmakeraw(&tty);
        tty.c_cflag |= CLOCAL | CREAD;
        tty.c_cc[VMIN] = 1;
        tty.c_cc[VTIME] = 0;
        tcsetattr(fd, TCSANOW, &tty);
    }
    chr->fd_in = chr->fd_out = fd;
    chr->be_open = true;
    chardev_set_filename(chr, "%s", path);
    return 0;
}

static void serial_close(Chardev *chr)
{
    int fd = chr->fd_in;

    chardev_fd_stop_reading(chr);
    if (fd >= 0) {
        close(fd);
    }
    chr->fd_in = chr->fd_out = -1;
}

const ChardevBackend chardev_serial_backend = {
    .name = "serial",
    .open = serial_open,
    .write = chardev_fd_write,
    .accept_input = chardev_fd_accept_input,
    .frontend_changed = chardev_fd_update_reading,
    .close = serial_close,
};

const ChardevBackend chardev_tty_backend = {
    .name = "tty",
    .open = serial_open,
    .write = chardev_fd_write,
    .accept_input = chardev_fd_accept_input,
    .frontend_changed = chardev_fd_update_reading,
    .close = serial_close,
};
