/* Image locking compatible with QEMU's (facts from QEMU 7.2 block/file-posix.c and the locks
 * qemu-io/qemu-system hold, seen in /proc/locks): open file description (OFD) read locks on
 * single bytes, 100+bit for each permission a user holds, 200+bit for each it does not let
 * others hold. Before using an image a user checks that nobody denies what it wants and
 * nobody holds what it denies. docs/block.md "Image locking". */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include "block/block_int.h"

#define LOCK_PERM_BASE 100
#define LOCK_SHARED_BASE 200
#define LOCK_BITS 4

static const char *const perm_names[LOCK_BITS] = {
    "consistent read", "write", "write unchanged", "resize",
};

int block_locking_parse(const char *name, BlockLocking *out, Error **errp)
{
    static const char *const names[] = { "auto", "on", "off" };
    for (int i = 0; i < 3; i++) {
        if (!strcmp(name, names[i])) {
            *out = (BlockLocking)i;
            return 0;
        }
    }
    error_setg(errp, "locking: invalid value '%s' (auto, on, off)", name);
    return -1;
}

/* Takes (F_RDLCK) or drops (F_UNLCK) the lock on one byte; 0 or -errno. */
static int lock_byte(int fd, int type, off_t offset)
{
    struct flock fl = { .l_type = type, .l_whence = SEEK_SET, .l_start = offset, .l_len = 1 };
    return fcntl(fd, F_OFD_SETLK, &fl) < 0 ? -errno : 0;
}

/* True when another open file description holds a lock on the byte. */
static bool byte_is_locked(int fd, off_t offset)
{
    struct flock fl = { .l_type = F_WRLCK, .l_whence = SEEK_SET, .l_start = offset, .l_len = 1 };
    return fcntl(fd, F_OFD_GETLK, &fl) == 0 && fl.l_type != F_UNLCK;
}

static int apply_lock_bytes(BlockFile *f, unsigned perm, unsigned shared)
{
    for (int i = 0; i < LOCK_BITS; i++) {
        int ret = lock_byte(f->fd, (perm >> i) & 1 ? F_RDLCK : F_UNLCK, LOCK_PERM_BASE + i);
        if (ret == 0) {
            ret = lock_byte(f->fd, (shared >> i) & 1 ? F_UNLCK : F_RDLCK, LOCK_SHARED_BASE + i);
        }
        if (ret < 0) {
            return ret;
        }
    }
    return 0;
}

static int check_lock_bytes(BlockFile *f, unsigned perm, unsigned shared, Error **errp)
{
    for (int i = 0; i < LOCK_BITS; i++) {
        if ((perm >> i) & 1 && byte_is_locked(f->fd, LOCK_SHARED_BASE + i)) {
            error_setg(errp, "Failed to get \"%s\" lock (is another process using the image "
                       "[%s]?)", perm_names[i], f->filename);
            return -1;
        }
        if (!((shared >> i) & 1) && byte_is_locked(f->fd, LOCK_PERM_BASE + i)) {
            error_setg(errp, "Failed to get shared \"%s\" lock (is another process using the "
                       "image [%s]?)", perm_names[i], f->filename);
            return -1;
        }
    }
    return 0;
}

int block_file_set_perm(BlockFile *f, BlockLocking mode, unsigned perm, unsigned shared,
                        Error **errp)
{
    int ret;

    if (mode == BLOCK_LOCKING_OFF) {
        return 0;
    }
    ret = apply_lock_bytes(f, perm, shared);
    if (ret == -EINVAL || ret == -ENOTSUP || ret == -ENOLCK) {
        if (mode == BLOCK_LOCKING_AUTO) {
            return 0;       /* no OFD locks here (old kernel, some network file systems) */
        }
        error_setg_errno(errp, -ret, "'%s': locking=on but the file cannot be locked",
                         f->filename);
        return -1;
    }
    if (ret < 0) {
        error_setg_errno(errp, -ret, "'%s': cannot take the image locks", f->filename);
        return -1;
    }
    if (check_lock_bytes(f, perm, shared, errp) < 0) {
        block_file_release_locks(f);
        return -1;
    }
    f->locked = true;
    return 0;
}

void block_file_release_locks(BlockFile *f)
{
    struct flock fl = { .l_type = F_UNLCK, .l_whence = SEEK_SET, .l_start = LOCK_PERM_BASE,
                        .l_len = LOCK_SHARED_BASE + LOCK_BITS - LOCK_PERM_BASE };
    fcntl(f->fd, F_OFD_SETLK, &fl);
    f->locked = false;
}
