/* Parallel compression: drivers register how to compress a cluster (lock-free) and how to
 * store the result (under the node lock); writers compress on their own threads. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "block/block_int.h"
#include "block/compress.h"
#include "util/cutils.h"
#include "util/error.h"

#define MAX_COMPRESS_OPS 8

static const BlockCompressOps *compress_ops[MAX_COMPRESS_OPS];
static int n_compress_ops;

void block_compress_register(const BlockCompressOps *ops)
{
    if (n_compress_ops == MAX_COMPRESS_OPS) {
        error_report("too many compression drivers; '%s' not registered", ops->format_name);
        return;
    }
    compress_ops[n_compress_ops++] = ops;
}

static const BlockCompressOps *ops_for(BlockDriverState *bs)
{
    for (int i = 0; i < n_compress_ops; i++) {
        if (!strcmp(compress_ops[i]->format_name, bs->drv->format_name)) {
            return compress_ops[i];
        }
    }
    return NULL;
}

bool block_compress_parallel_supported(BlockDriverState *bs)
{
    const BlockCompressOps *ops = ops_for(bs);
    if (!ops || bs->read_only) {
        return false;
    }
    if (!ops->can_compress) {
        return true;
    }
    pthread_mutex_lock(&bs->lock);
    bool ok = ops->can_compress(bs);
    pthread_mutex_unlock(&bs->lock);
    return ok;
}

/* Stores one compressed cluster under the node lock, after the checks block_pwrite does. */
static int store_cluster(BlockDriverState *bs, const BlockCompressOps *ops, uint64_t offset,
                         const uint8_t *cdata, size_t clen, size_t len)
{
    pthread_mutex_lock(&bs->lock);
    int64_t size = bs->drv->length ? bs->drv->length(bs) : -ENOTSUP;
    int ret;
    if (bs->read_only) {
        ret = -EACCES;
    } else if (size < 0) {
        ret = (int)size;
    } else if (offset > (uint64_t)size || len > (uint64_t)size - offset) {
        ret = -EINVAL;
    } else {
        ret = ops->write_compressed_data(bs, offset, cdata, clen, len);
    }
    pthread_mutex_unlock(&bs->lock);
    return ret;
}

size_t block_compress_bound(size_t cluster)
{
    return cluster + cluster / 8 + 256;
}

ssize_t block_compress_prepare(BlockDriverState *bs, uint8_t *dst, size_t cap,
                               const uint8_t *src, size_t len)
{
    const BlockCompressOps *ops = ops_for(bs);
    if (!ops) {
        return -ENOTSUP;
    }
    if (cap < block_compress_bound(len)) {
        return -EINVAL;
    }
    return ops->compress(bs, dst, cap, src, len);
}

int block_compress_store(BlockDriverState *bs, uint64_t offset, const uint8_t *cdata,
                         size_t clen, const uint8_t *src, size_t len)
{
    const BlockCompressOps *ops = ops_for(bs);
    if (!ops) {
        return -ENOTSUP;
    }
    if (clen == 0) {
        return block_pwrite(bs, offset, src, len);
    }
    return store_cluster(bs, ops, offset, cdata, clen, len);
}

int block_pwrite_compressed_parallel(BlockDriverState *bs, uint64_t offset, const void *buf,
                                     size_t bytes)
{
    uint32_t cluster = block_get_cluster_size(bs);
    if (!ops_for(bs) || cluster == 0) {
        return block_pwrite_compressed(bs, offset, buf, bytes);
    }
    if (offset % cluster) {
        return -EINVAL;
    }
    size_t cap = block_compress_bound(cluster);
    uint8_t *cbuf = xmalloc(cap);
    const uint8_t *p = buf;
    int ret = 0;
    for (size_t done = 0; done < bytes && ret == 0; done += cluster) {
        size_t n = MIN((size_t)cluster, bytes - done);
        ssize_t clen = block_compress_prepare(bs, cbuf, cap, p + done, n);
        ret = clen < 0 ? (int)clen
                       : block_compress_store(bs, offset + done, cbuf, (size_t)clen, p + done, n);
    }
    free(cbuf);
    return ret;
}
