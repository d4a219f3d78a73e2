/* Block layer core: synchronous requests with bounds checks and per-node locking, allocation
 * status through backing chains, and the calls forwarded to drivers. docs/block.md */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "block/block_int.h"
#include "util/cutils.h"

#define ZERO_CHUNK (1u << 20)

static void node_lock(BlockDriverState *bs)
{
    pthread_mutex_lock(&bs->lock);
}

static void node_unlock(BlockDriverState *bs)
{
    pthread_mutex_unlock(&bs->lock);
}

bool block_buffer_is_zero(const void *buf, size_t len)
{
    const uint8_t *p = buf;
    while (len > 0 && ((uintptr_t)p & 7)) {
        if (*p++) {
            return false;
        }
        len--;
    }
    const uint64_t *q = (const uint64_t *)p;
    for (; len >= 8; len -= 8) {
        if (*q++) {
            return false;
        }
    }
    p = (const uint8_t *)q;
    while (len--) {
        if (*p++) {
            return false;
        }
    }
    return true;
}

static int64_t length_locked(BlockDriverState *bs)
{
    return bs->drv->length ? bs->drv->length(bs) : -ENOTSUP;
}

int64_t block_length(BlockDriverState *bs)
{
    node_lock(bs);
    int64_t len = length_locked(bs);
    node_unlock(bs);
    return len;
}

int64_t block_allocated_size(BlockDriverState *bs)
{
    return bs->file ? block_file_allocated_size(bs->file) : -ENOTSUP;
}

/* 0 if [offset, offset+bytes) lies within the disk. */
static int check_range(BlockDriverState *bs, uint64_t offset, uint64_t bytes)
{
    int64_t len = length_locked(bs);
    if (len < 0) {
        return (int)len;
    }
    if (offset > (uint64_t)len || bytes > (uint64_t)len - offset) {
        return -EINVAL;
    }
    return 0;
}

int block_pread(BlockDriverState *bs, uint64_t offset, void *buf, size_t bytes)
{
    node_lock(bs);
    int ret = check_range(bs, offset, bytes);
    if (ret == 0 && bytes > 0) {
        ret = bs->drv->read(bs, offset, buf, bytes);
    }
    node_unlock(bs);
    return ret;
}

static int check_writable(BlockDriverState *bs, uint64_t offset, uint64_t bytes)
{
    if (bs->read_only) {
        return -EACCES;
    }
    return check_range(bs, offset, bytes);
}

int block_pwrite(BlockDriverState *bs, uint64_t offset, const void *buf, size_t bytes)
{
    node_lock(bs);
    int ret = check_writable(bs, offset, bytes);
    if (ret == 0 && bytes > 0) {
        ret = bs->drv->write ? bs->drv->write(bs, offset, buf, bytes) : -ENOTSUP;
    }
    node_unlock(bs);
    return ret;
}

static int write_zero_buffers(BlockDriverState *bs, uint64_t offset, uint64_t bytes)
{
    uint8_t *zeros = xzalloc(MIN(bytes, ZERO_CHUNK));
    int ret = 0;
    while (bytes > 0 && ret == 0) {
        size_t n = MIN(bytes, ZERO_CHUNK);
        ret = bs->drv->write(bs, offset, zeros, n);
        offset += n;
        bytes -= n;
    }
    free(zeros);
    return ret;
}

int block_pwrite_zeroes(BlockDriverState *bs, uint64_t offset, uint64_t bytes, int flags)
{
    node_lock(bs);
    int ret = check_writable(bs, offset, bytes);
    if (ret == 0 && bytes > 0) {
        if (bs->drv->write_zeroes) {
            ret = bs->drv->write_zeroes(bs, offset, bytes, flags);
        } else if (bs->drv->write) {
            ret = write_zero_buffers(bs, offset, bytes);
        } else {
            ret = -ENOTSUP;
        }
    }
    node_unlock(bs);
    return ret;
}

int block_pwrite_compressed(BlockDriverState *bs, uint64_t offset, const void *buf,
                            size_t bytes)
{
    node_lock(bs);
    int ret = check_writable(bs, offset, bytes);
    if (ret == 0) {
        ret = bs->drv->write_compressed ? bs->drv->write_compressed(bs, offset, buf, bytes)
                                        : -ENOTSUP;
    }
    node_unlock(bs);
    return ret;
}

int block_discard(BlockDriverState *bs, uint64_t offset, uint64_t bytes)
{
    node_lock(bs);
    int ret = check_writable(bs, offset, bytes);
    if (ret == 0 && bytes > 0) {
        ret = bs->drv->discard ? bs->drv->discard(bs, offset, bytes) : -ENOTSUP;
    }
    node_unlock(bs);
    return ret;
}

int block_flush(BlockDriverState *bs)
{
    if (bs->read_only) {
        return 0;
    }
    node_lock(bs);
    int ret = bs->drv->flush ? bs->drv->flush(bs) : block_file_flush(bs->file);
    node_unlock(bs);
    return ret;
}

int block_truncate(BlockDriverState *bs, uint64_t size, bool shrink, BlockPrealloc prealloc,
                   Error **errp)
{
    if (bs->read_only) {
        error_setg(errp, "'%s' is read-only", bs->filename);
        return -EACCES;
    }
    if (size > BLOCK_MAX_IMAGE_SIZE) {
        error_setg(errp, "size %llu is larger than the maximum %llu",
                   (unsigned long long)size, (unsigned long long)BLOCK_MAX_IMAGE_SIZE);
        return -EFBIG;
    }
    node_lock(bs);
    int ret;
    int64_t old = length_locked(bs);
    if (old >= 0 && size < (uint64_t)old && !shrink) {
        error_setg(errp, "shrinking '%s' from %lld to %llu bytes loses data; use --shrink",
                   bs->filename, (long long)old, (unsigned long long)size);
        ret = -EINVAL;
    } else if (!bs->drv->truncate) {
        error_setg(errp, "format '%s' cannot be resized", bs->format);
        ret = -ENOTSUP;
    } else {
        ret = bs->drv->truncate(bs, size, shrink, prealloc, errp);
    }
    node_unlock(bs);
    return ret;
}

int block_read_backing(BlockDriverState *bs, uint64_t offset, void *buf, size_t bytes)
{
    if (!bs->backing) {
        memset(buf, 0, bytes);
        return 0;
    }
    int64_t blen = block_length(bs->backing);
    if (blen < 0) {
        return (int)blen;
    }
    size_t n = offset >= (uint64_t)blen ? 0 : MIN(bytes, (uint64_t)blen - offset);
    memset((uint8_t *)buf + n, 0, bytes - n);
    return n ? block_pread(bs->backing, offset, buf, n) : 0;
}

/* ---- allocation status ---- */

int block_status(BlockDriverState *bs, uint64_t offset, uint64_t bytes, uint64_t *pnum,
                 uint64_t *map)
{
    node_lock(bs);
    int ret = check_range(bs, offset, bytes);
    if (ret == 0 && bytes == 0) {
        ret = -EINVAL;
    }
    if (ret == 0) {
        if (bs->drv->block_status) {
            ret = bs->drv->block_status(bs, offset, bytes, pnum, map);
        } else {
            *pnum = bytes;
            ret = BLOCK_STATUS_DATA | BLOCK_STATUS_ALLOCATED;
        }
        if (ret >= 0 && (*pnum == 0 || *pnum > bytes)) {
            ret = -EIO;     /* driver bug; never loop forever on it */
        }
    }
    node_unlock(bs);
    return ret;
}

int block_status_chain(BlockDriverState *bs, BlockDriverState *base, uint64_t offset,
                       uint64_t bytes, uint64_t *pnum, uint64_t *map, int *depth)
{
    int d = 0;
    for (BlockDriverState *n = bs; n && n != base; n = n->backing, d++) {
        int64_t len = block_length(n);
        if (len < 0) {
            return (int)len;
        }
        if (offset >= (uint64_t)len) {      /* past the end of a shorter backing: zeros */
            break;
        }
        uint64_t p;
        int ret = block_status(n, offset, MIN(bytes, (uint64_t)len - offset), &p, map);
        if (ret < 0) {
            return ret;
        }
        if (ret & BLOCK_STATUS_ALLOCATED) {
            *pnum = p;
            *depth = d;
            return ret;
        }
        bytes = p;      /* the next layer decides at most this much */
    }
    *pnum = bytes;
    *depth = -1;
    return BLOCK_STATUS_ZERO;
}

/* ---- information and backing ---- */

uint32_t block_get_cluster_size(BlockDriverState *bs)
{
    BlockImageInfo info;
    return block_get_info(bs, &info) == 0 ? info.cluster_size : 0;
}

int block_get_info(BlockDriverState *bs, BlockImageInfo *info)
{
    memset(info, 0, sizeof(*info));
    info->filename = bs->filename;
    info->format = bs->format;
    int64_t len = block_length(bs);
    if (len < 0) {
        return (int)len;
    }
    info->virtual_size = (uint64_t)len;
    info->actual_size = block_allocated_size(bs);
    info->backing_filename = bs->backing_file;
    info->full_backing_filename = bs->full_backing_filename;
    info->backing_format = bs->backing_format;
    int ret = 0;
    node_lock(bs);
    if (bs->drv->get_info) {
        ret = bs->drv->get_info(bs, info);
    }
    node_unlock(bs);
    return ret;
}

int block_change_backing_file(BlockDriverState *bs, const char *backing_file,
                              const char *backing_fmt, Error **errp)
{
    if (bs->read_only) {
        error_setg(errp, "'%s' is read-only", bs->filename);
        return -EACCES;
    }
    if (!bs->drv->change_backing_file) {
        error_setg(errp, "format '%s' does not support backing files", bs->format);
        return -ENOTSUP;
    }
    node_lock(bs);
    int ret = bs->drv->change_backing_file(bs, backing_file, backing_fmt, errp);
    node_unlock(bs);
    if (ret == 0) {
        free(bs->backing_file);
        free(bs->backing_format);
        free(bs->full_backing_filename);
        bs->backing_file = backing_file ? xstrdup(backing_file) : NULL;
        bs->backing_format = backing_fmt ? xstrdup(backing_fmt) : NULL;
        bs->full_backing_filename = NULL;
        if (backing_file) {
            char *copy = xstrdup(bs->filename);
            char *slash = strrchr(copy, '/');
            if (backing_file[0] == '/' || !slash) {
                bs->full_backing_filename = xstrdup(backing_file);
            } else {
                slash[1] = '\0';
                bs->full_backing_filename = xasprintf("%s%s", copy, backing_file);
            }
            free(copy);
        }
    }
    return ret;
}

int block_make_empty(BlockDriverState *bs, Error **errp)
{
    if (!bs->drv->make_empty) {
        error_setg(errp, "format '%s' cannot be emptied", bs->format);
        return -ENOTSUP;
    }
    node_lock(bs);
    int ret = bs->drv->make_empty(bs, errp);
    node_unlock(bs);
    return ret;
}

/* ---- snapshots, check, amend ---- */

static int unsupported(BlockDriverState *bs, const char *what, Error **errp)
{
    error_setg(errp, "format '%s' does not support %s", bs->format, what);
    return -ENOTSUP;
}

int block_snapshot_list(BlockDriverState *bs, BlockSnapshotInfo **list, Error **errp)
{
    *list = NULL;
    if (!bs->drv->snapshot_list) {
        return 0;
    }
    node_lock(bs);
    int ret = bs->drv->snapshot_list(bs, list, errp);
    node_unlock(bs);
    return ret;
}

void block_snapshot_list_free(BlockSnapshotInfo *list, int count)
{
    for (int i = 0; list && i < count; i++) {
        free(list[i].id);
        free(list[i].name);
    }
    free(list);
}

int block_snapshot_create(BlockDriverState *bs, const BlockSnapshotInfo *sn, Error **errp)
{
    if (!bs->drv->snapshot_create) {
        return unsupported(bs, "internal snapshots", errp);
    }
    if (bs->read_only) {
        error_setg(errp, "'%s' is read-only", bs->filename);
        return -EACCES;
    }
    node_lock(bs);
    int ret = bs->drv->snapshot_create(bs, sn, errp);
    node_unlock(bs);
    return ret;
}

int block_snapshot_apply(BlockDriverState *bs, const char *id_or_name, Error **errp)
{
    if (!bs->drv->snapshot_apply) {
        return unsupported(bs, "internal snapshots", errp);
    }
    if (bs->read_only) {
        error_setg(errp, "'%s' is read-only", bs->filename);
        return -EACCES;
    }
    node_lock(bs);
    int ret = bs->drv->snapshot_apply(bs, id_or_name, errp);
    node_unlock(bs);
    return ret;
}

int block_snapshot_delete(BlockDriverState *bs, const char *id_or_name, Error **errp)
{
    if (!bs->drv->snapshot_delete) {
        return unsupported(bs, "internal snapshots", errp);
    }
    if (bs->read_only) {
        error_setg(errp, "'%s' is read-only", bs->filename);
        return -EACCES;
    }
    node_lock(bs);
    int ret = bs->drv->snapshot_delete(bs, id_or_name, errp);
    node_unlock(bs);
    return ret;
}

int block_check(BlockDriverState *bs, BlockCheckResult *res, int fix)
{
    memset(res, 0, sizeof(*res));
    if (!bs->drv->check) {
        return -ENOTSUP;
    }
    if (fix && bs->read_only) {
        return -EACCES;
    }
    node_lock(bs);
    int ret = bs->drv->check(bs, res, fix);
    node_unlock(bs);
    return ret;
}

int block_amend(BlockDriverState *bs, KeyValList *opts, Error **errp)
{
    if (!bs->drv->amend) {
        return unsupported(bs, "amend", errp);
    }
    node_lock(bs);
    int ret = bs->drv->amend(bs, opts, errp);
    node_unlock(bs);
    return ret;
}
