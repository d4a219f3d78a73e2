/* Allocation status of image data stored in a host file: the data flags of an allocated
 * range plus ZERO where the host file has a hole there (as qemu-img map reports). */
#ifndef BLOCK_FMT_STATUS_H
#define BLOCK_FMT_STATUS_H

#include "block/block_int.h"

/* Status of *pnum bytes (at most bytes) stored at host offset host in f. */
static inline int fmt_data_status(BlockFile *f, uint64_t host, uint64_t bytes, uint64_t *pnum)
{
    uint64_t n = bytes;
    int st = block_file_status(f, host, bytes, &n);
    if (st < 0 || n == 0 || n > bytes) {
        n = bytes;
        st = 0;
    }
    *pnum = n;
    return BLOCK_STATUS_DATA | BLOCK_STATUS_ALLOCATED | BLOCK_STATUS_OFFSET_VALID |
           (st & BLOCK_STATUS_ZERO ? BLOCK_STATUS_ZERO : 0);
}

/* The same, also storing host in *map (if map): for images whose data sits at a fixed
 * host offset (flat extents, fixed disks). */
static inline int fmt_mapped_data_status(BlockFile *f, uint64_t host, uint64_t bytes,
                                         uint64_t *pnum, uint64_t *map)
{
    if (map) {
        *map = host;
    }
    return fmt_data_status(f, host, bytes, pnum);
}

#endif
