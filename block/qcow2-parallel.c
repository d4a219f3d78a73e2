/* qcow2 compressed clusters through block/compress.c: each writer deflates its cluster on
 * its own thread (qcow2_compress, pure), the store runs under the node lock. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "block/compress.h"
#include "block/qcow2.h"
#include "util/cutils.h"

/* Cluster size and the corrupt flag are the only state read here; the cluster size never
 * changes while the image is open. */
static ssize_t qcow2_compress_cluster(BlockDriverState *bs, uint8_t *dst, size_t dst_len,
                                      const uint8_t *src, size_t len)
{
    Qcow2State *s = qcow2_state(bs);
    uint8_t *padded = NULL;
    if (len < s->cluster_size) {
        /* the image's last cluster: compressed whole, zero-padded, as qcow2_write_compressed */
        padded = xzalloc(s->cluster_size);
        memcpy(padded, src, len);
        src = padded;
    }
    size_t clen = qcow2_compress(dst, MIN(dst_len, (size_t)s->cluster_size - 512), src,
                                 s->cluster_size);
    free(padded);
    return (ssize_t)clen;   /* 0: does not pay off, stored uncompressed */
}

static int qcow2_write_compressed_data(BlockDriverState *bs, uint64_t offset,
                                       const uint8_t *cdata, size_t clen, size_t len)
{
    Qcow2State *s = qcow2_state(bs);
    if (s->corrupt) {
        return -EIO;
    }
    if (qcow2_offset_into_cluster(s, offset) ||
        (len != s->cluster_size && offset + len != s->size)) {
        return -EINVAL;
    }
    return qcow2_store_compressed(bs, offset, cdata, clen);
}

static bool qcow2_can_compress(BlockDriverState *bs)
{
    return !qcow2_state(bs)->corrupt;
}

static const BlockCompressOps qcow2_compress_ops = {
    .format_name = "qcow2",
    .compress = qcow2_compress_cluster,
    .write_compressed_data = qcow2_write_compressed_data,
    .can_compress = qcow2_can_compress,
};

static void __attribute__((constructor)) qcow2_parallel_register(void)
{
    block_compress_register(&qcow2_compress_ops);
}
