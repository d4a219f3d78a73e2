/* The copy engine of mimic-img convert: sparse-aware, optionally compressed, with parallel
 * workers and in-order or out-of-order writes. */
#ifndef TOOLS_IMG_CONVERT_H
#define TOOLS_IMG_CONVERT_H

#include <stdbool.h>
#include <stdint.h>
#include "block/block.h"
#include "tools/img-common.h"

typedef struct ConvertJob {
    BlockDriverState **src;
    int n_src;
    uint64_t *src_size;
    uint64_t total;             /* sum of the source sizes */
    BlockDriverState *dst;
    bool target_is_zero;        /* the destination reads zeros everywhere before the copy */
    bool keep_backing;          /* -B: ranges unallocated above the source's backing are
                                 * left to the destination's backing */
    bool compress;              /* write whole clusters compressed */
    bool parallel_compress;     /* compress on the workers (block/compress.h) */
    uint64_t cluster;           /* compression unit (destination cluster size) */
    uint64_t sparse_size;       /* -S: zero runs this long (aligned) are not written;
                                 * 0 writes everything, zeros included */
    int workers;                /* -m */
    bool out_of_order;          /* -W */
    ImgProgress *progress;
} ConvertJob;

/* Copies every source, concatenated, into dst. 0, or -errno after reporting the error. */
int img_convert_copy(ConvertJob *job);

#endif
