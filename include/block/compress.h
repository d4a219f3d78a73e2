/* Parallel compression for drivers with compressed clusters: the data is compressed on the
 * caller's thread without the node lock (so several threads compress at once), and only the
 * store of the compressed bytes runs under the lock. docs/block-formats.md */
#ifndef BLOCK_COMPRESS_H
#define BLOCK_COMPRESS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>
#include "block/block.h"

typedef struct BlockCompressOps {
    const char *format_name;
    /* Compresses one cluster of bs (len bytes; the image's last cluster may be short) into
     * dst (dst_len >= len + len / 8 + 256 bytes, enough for any zlib stream). Runs WITHOUT
     * bs->lock, on several threads at once: it may only read what does not change while
     * the image is open (cluster size, compression type). Returns the compressed length,
     * 0 when the format would rather store the cluster uncompressed (the caller then uses
     * block_pwrite), or -errno. */
    ssize_t (*compress)(BlockDriverState *bs, uint8_t *dst, size_t dst_len,
                        const uint8_t *src, size_t len);
    /* Stores a cluster compressed by compress() at cluster-aligned guest offset; len is
     * the uncompressed length. Called with bs->lock held, bounds already checked. */
    int (*write_compressed_data)(BlockDriverState *bs, uint64_t offset, const uint8_t *cdata,
                                 size_t clen, size_t len);
    /* Optional: false when this open image cannot take compressed writes now. */
    bool (*can_compress)(BlockDriverState *bs);
} BlockCompressOps;

/* From a driver's constructor; a registry of a few entries (one per format). */
void block_compress_register(const BlockCompressOps *ops);
/* True when bs's driver registered parallel compression and can take it now. */
bool block_compress_parallel_supported(BlockDriverState *bs);
/* The two halves of block_pwrite_compressed_parallel(), for callers that compress ahead
 * (on several threads) and store later, in order. prepare: compresses one cluster of src
 * (len bytes) into dst (cap >= block_compress_bound(cluster)); returns the compressed length,
 * 0 to store uncompressed, or -errno (-ENOTSUP: the format did not register). store: writes
 * the result at cluster-aligned offset (clen 0: src uncompressed through block_pwrite). */
size_t block_compress_bound(size_t cluster);
ssize_t block_compress_prepare(BlockDriverState *bs, uint8_t *dst, size_t cap,
                               const uint8_t *src, size_t len);
int block_compress_store(BlockDriverState *bs, uint64_t offset, const uint8_t *cdata,
                         size_t clen, const uint8_t *src, size_t len);
/* block_pwrite_compressed() with the compression done here, outside the node lock. Same
 * contract: whole clusters, cluster-aligned (the image's last cluster may be partial). */
int block_pwrite_compressed_parallel(BlockDriverState *bs, uint64_t offset, const void *buf,
                                     size_t bytes);

#endif
