/* Commit: what the upper nodes of a backing chain hold, written into a lower node's image
 * (mimic-img commit, the monitor's commit). The base was opened read-only as part of the
 * chain; it is opened again for writing after the chain's locks on it are dropped, as
 * QEMU reopens the node. docs/block.md */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "block/block.h"
#include "util/cutils.h"

#define COMMIT_CHUNK (2u << 20)

static int copy_above_base(BlockDriverState *top, BlockDriverState *base_ro,
                           BlockDriverState *base, BlockProgressFn *progress, void *opaque)
{
    int64_t len = block_length(top);
    uint8_t *buf = aligned_alloc(4096, COMMIT_CHUNK);
    int ret = len < 0 ? (int)len : buf ? 0 : -ENOMEM;

    for (uint64_t off = 0; ret == 0 && off < (uint64_t)len;) {
        uint64_t pnum;
        int depth;
        int st = block_status_chain(top, base_ro, off, MIN((uint64_t)len - off, COMMIT_CHUNK),
                                    &pnum, NULL, &depth);
        if (st < 0) {
            ret = st;
            break;
        }
        if (depth >= 0 && (st & BLOCK_STATUS_ZERO)) {
            ret = block_pwrite_zeroes(base, off, pnum, 0);
        } else if (depth >= 0) {
            ret = block_pread(top, off, buf, pnum);
            if (ret == 0) {
                ret = block_pwrite(base, off, buf, pnum);
            }
        }
        off += pnum;
        if (progress) {
            progress(opaque, off, len);
        }
    }
    free(buf);
    return ret;
}

int block_commit(BlockDriverState *top, BlockDriverState *base_ro, BlockProgressFn *progress,
                 void *opaque, Error **errp)
{
    BlockOpenOptions how = { .format = block_get_format(base_ro) };
    BlockDriverState *base;
    int64_t top_len = block_length(top), base_len;
    int ret = 0;

    block_release_locks(base_ro);   /* our own read-only chain must not block our writer */
    base = block_open(block_get_filename(base_ro), &how, errp);
    if (!base) {
        return -1;
    }
    base_len = block_length(base);
    if (top_len > base_len &&
        block_truncate(base, top_len, false, BLOCK_PREALLOC_OFF, errp) < 0) {
        error_prepend(errp, "Could not grow the base image: ");
        ret = -1;
    }
    if (ret == 0 && (ret = copy_above_base(top, base_ro, base, progress, opaque)) < 0) {
        error_setg(errp, "Could not commit: %s", strerror(-ret));
    }
    if (ret == 0 && (ret = block_flush(base)) < 0) {
        error_setg(errp, "Could not flush the base image: %s", strerror(-ret));
    }
    block_close(base);
    return ret < 0 ? -1 : 0;
}
