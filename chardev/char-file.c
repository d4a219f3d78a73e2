/* The simple backends: null (discards output, no input), file (output to a file) and
 * pipe (a pair of named pipes PATH.in / PATH.out, or PATH for both), as QEMU's. */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "chardev/chardev-internal.h"
#include "util/cutils.h"

/* --- null ------------------------------------------------------------------------ */

static int null_open(Chardev *chr, KeyValList *opts, Error **errp)
{
    chr->be_open = true;
    return 0;
}

static int null_write(Chardev *chr, const uint8_t *buf, int len)
{
    return len;
}

const ChardevBackend chardev_null_backend = {
    .name = "null",
    .open = null_open,
    .write = null_write,
};

/* --- file ------------------------------------------------------------------------ */

static const char *required_path(Chardev *chr, KeyValList *opts, Error **errp)
{
    const char *path = keyval_get(opts, "path");

    if (!path || !*path) {
        error_setg(errp, "chardev '%s': parameter 'path' is missing", chr->id);
        return NULL;
    }
    return path;
}

static int file_open(Chardev *chr, KeyValList *opts, Error **errp)
{
    const char *path = required_path(chr, opts, errp);
    bool append;
    int fd;

    if (!path || keyval_get_bool(opts, "append", false, &append, errp) < 0) {
        return -1;
    }
    fd = open(path, O_WRONLY | O_CREAT | O_CLOEXEC | (append ? O_APPEND : O_TRUNC), 0666);
    if (fd < 0) {
        error_setg_errno(errp, errno, "chardev '%s': could not open '%s'", chr->id, path);
        return -1;
    }
    chr->fd_out = fd;
    chr->be_open = true;
    chardev_set_filename(chr, "file");
    return 0;
}

const ChardevBackend chardev_file_backend = {
    .name = "file",
    .open = file_open,
    .write = chardev_fd_write,
    .close = chardev_fd_close,
};

/* --- pipe ------------------------------------------------------------------------ */

/* O_RDWR so that opening a FIFO never blocks and we never see end of file when the
 * other side closes (QEMU does the same). */
static int pipe_open_fd(const char *path)
{
    return open(path, O_RDWR | O_NONBLOCK | O_CLOEXEC);
}

static int pipe_open(Chardev *chr, KeyValList *opts, Error **errp)
{
    const char *path = required_path(chr, opts, errp);
    char *in_path, *out_path;
    int fd_in, fd_out;

    if (!path) {
        return -1;
    }
    in_path = xasprintf("%s.in", path);
    out_path = xasprintf("%s.out", path);
    fd_in = pipe_open_fd(in_path);
    fd_out = pipe_open_fd(out_path);
    free(in_path);
    free(out_path);
    if (fd_in < 0 || fd_out < 0) {
        if (fd_in >= 0) {
            close(fd_in);
        }
        if (fd_out >= 0) {
            close(fd_out);
        }
        fd_in = fd_out = pipe_open_fd(path);
        if (fd_in < 0) {
            error_setg_errno(errp, errno, "chardev '%s': could not open '%s' (nor %s.in/.out)",
                             chr->id, path, path);
            return -1;
        }
    }
    chr->fd_in = fd_in;
    chr->fd_out = fd_out;
    chr->be_open = true;
    chardev_set_filename(chr, "pipe");
    return 0;
}

const ChardevBackend chardev_pipe_backend = {
    .name = "pipe",
    .open = pipe_open,
    .write = chardev_fd_write,
    .accept_input = chardev_fd_accept_input,
    .frontend_changed = chardev_fd_update_reading,
    .close = chardev_fd_close,
};
