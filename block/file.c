/* Host file access for image drivers: regular files and block devices, O_DIRECT with
 * aligned bounce buffers, SEEK_DATA/SEEK_HOLE, fallocate (POSIX + Linux man pages). */
#include <errno.h>
#include <fcntl.h>
#include <linux/fs.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <unistd.h>
#include "block/block_int.h"
#include "util/cutils.h"

#define DIRECT_ALIGN 4096
#define BOUNCE_MAX (1u << 20)

static BlockFileFaultHook *fault_hook;
static void *fault_opaque;

void block_file_set_fault_hook(BlockFileFaultHook *hook, void *opaque)
{
    fault_hook = hook;
    fault_opaque = opaque;
}

/* 0: go on, 1: dropped (pretend success), <0: error */
static int fault_check(BlockFile *f, BlockFileOp op, uint64_t offset, uint64_t len)
{
    return fault_hook ? fault_hook(fault_opaque, f, op, offset, len) : 0;
}

static int file_from_fd(int fd, const char *filename, bool read_only, BlockCacheMode cache,
                        BlockFile **out, Error **errp)
{
    struct stat st;
    if (fstat(fd, &st) < 0) {
        error_setg_errno(errp, errno, "cannot stat '%s'", filename);
        close(fd);
        return -1;
    }
    if (!S_ISREG(st.st_mode) && !S_ISBLK(st.st_mode)) {
        error_setg(errp, "'%s' is not a regular file or block device", filename);
        close(fd);
        return -1;
    }
    BlockFile *f = xzalloc(sizeof(*f));
    f->fd = fd;
    f->filename = xstrdup(filename);
    f->read_only = read_only;
    f->cache = cache;
    f->direct = cache == BLOCK_CACHE_NONE || cache == BLOCK_CACHE_DIRECTSYNC;
    f->align = f->direct ? DIRECT_ALIGN : 1;
    f->is_device = S_ISBLK(st.st_mode);
    f->st_dev = st.st_dev;
    f->st_ino = st.st_ino;
    *out = f;
    return 0;
}

int block_file_open(const char *filename, bool read_only, BlockCacheMode cache,
                    BlockFile **out, Error **errp)
{
    int flags = (read_only ? O_RDONLY : O_RDWR) | O_CLOEXEC;
    if (cache == BLOCK_CACHE_NONE || cache == BLOCK_CACHE_DIRECTSYNC) {
        flags |= O_DIRECT;
    }
    int fd = open(filename, flags);
    if (fd < 0) {
        if (errno == EINVAL && (flags & O_DIRECT)) {
            error_setg(errp, "'%s': the host file system does not support cache=none "
                       "(O_DIRECT)", filename);
        } else {
            error_setg_errno(errp, errno, "Could not open '%s'", filename);
        }
        return -1;
    }
    return file_from_fd(fd, filename, read_only, cache, out, errp);
}

int block_file_create(const char *filename, BlockFile **out, Error **errp)
{
    int fd = open(filename, O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (fd < 0) {
        error_setg_errno(errp, errno, "Could not create '%s'", filename);
        return -1;
    }
    return file_from_fd(fd, filename, false, BLOCK_CACHE_WRITEBACK, out, errp);
}

void block_file_close(BlockFile *f)
{
    if (!f) {
        return;
    }
    close(f->fd);
    free(f->filename);
    free(f);
}

static int pread_full(int fd, uint64_t offset, void *buf, size_t len)
{
    uint8_t *p = buf;
    while (len > 0) {
        ssize_t n = pread(fd, p, len, offset);
        if (n < 0) {
            if (errno == EINTR) {
                continue;
            }
            return -errno;
        }
        if (n == 0) {
            memset(p, 0, len);      /* past end of file reads zeros */
            return 0;
        }
        p += n;
        offset += n;
        len -= n;
    }
    return 0;
}

static int pwrite_full(int fd, uint64_t offset, const void *buf, size_t len)
{
    const uint8_t *p = buf;
    while (len > 0) {
        ssize_t n = pwrite(fd, p, len, offset);
        if (n < 0) {
            if (errno == EINTR) {
                continue;
            }
            return -errno;
        }
        if (n == 0) {
            return -ENOSPC;
        }
        p += n;
        offset += n;
        len -= n;
    }
    return 0;
}

static bool is_aligned(BlockFile *f, uint64_t offset, const void *buf, size_t len)
{
    return offset % f->align == 0 && len % f->align == 0 && (uintptr_t)buf % f->align == 0;
}

/* O_DIRECT with an unaligned request: whole aligned chunks through a bounce buffer. With
 * write, the edges are read first (read-modify-write). */
static int direct_bounce(BlockFile *f, uint64_t offset, void *rbuf, const void *wbuf,
                         size_t len)
{
    size_t a = f->align;
    int ret = 0;
    while (len > 0 && ret == 0) {
        uint64_t start = offset / a * a;
        size_t skip = offset - start;
        size_t chunk = MIN(len, BOUNCE_MAX - skip);
        size_t span = ROUND_UP(skip + chunk, a);
        uint8_t *bounce = aligned_alloc(a, span);
        if (!bounce) {
            return -ENOMEM;
        }
        if (rbuf || skip || span != skip + chunk) {
            ret = pread_full(f->fd, start, bounce, span);
        }
        if (ret == 0 && rbuf) {
            memcpy(rbuf, bounce + skip, chunk);
            rbuf = (uint8_t *)rbuf + chunk;
        } else if (ret == 0) {
            memcpy(bounce + skip, wbuf, chunk);
            wbuf = (const uint8_t *)wbuf + chunk;
            ret = pwrite_full(f->fd, start, bounce, span);
        }
        free(bounce);
        offset += chunk;
        len -= chunk;
    }
    return ret;
}

int block_file_pread(BlockFile *f, uint64_t offset, void *buf, size_t len)
{
    if (offset > INT64_MAX || len > INT64_MAX - offset) {
        return -EINVAL;
    }
    if (f->direct && !is_aligned(f, offset, buf, len)) {
        return direct_bounce(f, offset, buf, NULL, len);
    }
    return pread_full(f->fd, offset, buf, len);
}

static int sync_after_write(BlockFile *f)
{
    if (f->cache == BLOCK_CACHE_WRITETHROUGH || f->cache == BLOCK_CACHE_DIRECTSYNC) {
        return fdatasync(f->fd) < 0 ? -errno : 0;
    }
    return 0;
}

int block_file_pwrite(BlockFile *f, uint64_t offset, const void *buf, size_t len)
{
    if (f->read_only) {
        return -EBADF;
    }
    if (offset > INT64_MAX || len > INT64_MAX - offset) {
        return -EINVAL;
    }
    int ret = fault_check(f, BLOCK_FILE_WRITE, offset, len);
    if (ret != 0) {
        return ret > 0 ? 0 : ret;
    }
    if (f->direct && !is_aligned(f, offset, buf, len)) {
        ret = direct_bounce(f, offset, NULL, buf, len);
    } else {
        ret = pwrite_full(f->fd, offset, buf, len);
    }
    return ret < 0 ? ret : sync_after_write(f);
}

int block_file_flush(BlockFile *f)
{
    if (f->read_only || f->cache == BLOCK_CACHE_UNSAFE) {
        return 0;
    }
    int ret = fault_check(f, BLOCK_FILE_FLUSH, 0, 0);
    if (ret != 0) {
        return ret > 0 ? 0 : ret;
    }
    return fdatasync(f->fd) < 0 ? -errno : 0;
}

int64_t block_file_length(BlockFile *f)
{
    if (f->is_device) {
        uint64_t size;
        if (ioctl(f->fd, BLKGETSIZE64, &size) < 0) {
            return -errno;
        }
        return (int64_t)size;
    }
    struct stat st;
    if (fstat(f->fd, &st) < 0) {
        return -errno;
    }
    return st.st_size;
}

int64_t block_file_allocated_size(BlockFile *f)
{
    struct stat st;
    if (fstat(f->fd, &st) < 0) {
        return -errno;
    }
    return f->is_device ? block_file_length(f) : (int64_t)st.st_blocks * 512;
}

/* Writes zeros over [offset, end) so that the blocks are really allocated. */
static int write_zero_blocks(BlockFile *f, uint64_t offset, uint64_t end)
{
    size_t chunk = 1 << 20;
    uint8_t *zeros = aligned_alloc(DIRECT_ALIGN, chunk);
    int ret = 0;
    if (!zeros) {
        return -ENOMEM;
    }
    memset(zeros, 0, chunk);
    while (offset < end && ret == 0) {
        size_t n = MIN(chunk, end - offset);
        ret = block_file_pwrite(f, offset, zeros, n);
        offset += n;
    }
    free(zeros);
    return ret;
}

int block_file_truncate(BlockFile *f, uint64_t size, BlockPrealloc prealloc, Error **errp)
{
    int64_t old = block_file_length(f);
    if (old < 0) {
        error_setg_errno(errp, (int)-old, "cannot get the size of '%s'", f->filename);
        return (int)old;
    }
    if (f->is_device) {
        if (size > (uint64_t)old) {
            error_setg(errp, "cannot grow block device '%s' (%lld bytes) to %llu bytes",
                       f->filename, (long long)old, (unsigned long long)size);
            return -ENOTSUP;
        }
        return 0;
    }
    if (size > INT64_MAX) {
        error_setg(errp, "size %llu is too large", (unsigned long long)size);
        return -EFBIG;
    }
    int ret = fault_check(f, BLOCK_FILE_TRUNCATE, size, 0);
    if (ret != 0) {
        return ret > 0 ? 0 : ret;
    }
    if (ftruncate(f->fd, (off_t)size) < 0) {
        ret = -errno;
        error_setg_errno(errp, errno, "cannot resize '%s' to %llu bytes", f->filename,
                         (unsigned long long)size);
        return ret;
    }
    if (size <= (uint64_t)old || prealloc == BLOCK_PREALLOC_OFF ||
        prealloc == BLOCK_PREALLOC_METADATA) {
        return 0;
    }
    if (prealloc == BLOCK_PREALLOC_FALLOC) {
        ret = posix_fallocate(f->fd, old, size - old);
        if (ret != 0) {
            error_setg_errno(errp, ret, "cannot preallocate '%s'", f->filename);
            return -ret;
        }
        return 0;
    }
    ret = write_zero_blocks(f, old, size);
    if (ret < 0) {
        error_setg_errno(errp, -ret, "cannot preallocate '%s'", f->filename);
    }
    return ret;
}

int block_file_discard(BlockFile *f, uint64_t offset, uint64_t len)
{
    if (f->read_only) {
        return -EBADF;
    }
    int ret = fault_check(f, BLOCK_FILE_DISCARD, offset, len);
    if (ret != 0) {
        return ret > 0 ? 0 : ret;
    }
    if (f->is_device) {
        uint64_t range[2] = { offset, len };
        return ioctl(f->fd, BLKDISCARD, range) < 0 ? -errno : 0;
    }
    if (fallocate(f->fd, FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE, offset, len) < 0) {
        return -errno;
    }
    return 0;
}

int block_file_write_zeroes(BlockFile *f, uint64_t offset, uint64_t len, bool may_unmap)
{
    if (f->read_only) {
        return -EBADF;
    }
    if (!f->is_device) {
        int64_t flen = block_file_length(f);
        /* past the end of a regular file: extending is enough */
        if (flen >= 0 && offset >= (uint64_t)flen) {
            int ret = fault_check(f, BLOCK_FILE_TRUNCATE, offset + len, 0);
            if (ret != 0) {
                return ret > 0 ? 0 : ret;
            }
            return ftruncate(f->fd, offset + len) < 0 ? -errno : 0;
        }
        if (may_unmap && block_file_discard(f, offset, len) == 0) {
            return 0;
        }
    }
    return write_zero_blocks(f, offset, offset + len);
}

int block_file_status(BlockFile *f, uint64_t offset, uint64_t bytes, uint64_t *pnum)
{
    if (f->is_device) {
        *pnum = bytes;
        return BLOCK_STATUS_DATA;
    }
    off_t data = lseek(f->fd, offset, SEEK_DATA);
    if (data < 0) {
        if (errno == ENXIO) {           /* no data after offset: a hole to the end */
            *pnum = bytes;
            return BLOCK_STATUS_ZERO;
        }
        *pnum = bytes;                  /* SEEK_DATA unsupported: assume data */
        return BLOCK_STATUS_DATA;
    }
    if ((uint64_t)data > offset) {
        *pnum = MIN(bytes, (uint64_t)data - offset);
        return BLOCK_STATUS_ZERO;
    }
    off_t hole = lseek(f->fd, offset, SEEK_HOLE);
    if (hole < 0 || (uint64_t)hole <= offset) {
        *pnum = bytes;
        return BLOCK_STATUS_DATA;
    }
    *pnum = MIN(bytes, (uint64_t)hole - offset);
    return BLOCK_STATUS_DATA;
}

int block_file_preallocate(BlockFile *f, uint64_t offset, uint64_t len, BlockPrealloc mode)
{
    if (f->is_device || mode == BLOCK_PREALLOC_OFF || mode == BLOCK_PREALLOC_METADATA) {
        return 0;
    }
    if (mode == BLOCK_PREALLOC_FALLOC) {
        int ret = posix_fallocate(f->fd, (off_t)offset, (off_t)len);
        return -ret;
    }
    uint64_t end = offset + len;
    while (offset < end) {
        uint64_t pnum;
        int st = block_file_status(f, offset, end - offset, &pnum);
        if (st == BLOCK_STATUS_ZERO) {
            int ret = write_zero_blocks(f, offset, offset + pnum);
            if (ret < 0) {
                return ret;
            }
        }
        offset += pnum;
    }
    return 0;
}
