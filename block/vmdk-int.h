/* VMware VMDK internals shared by block/vmdk*.c, per VMware's "Virtual Disk Format 1.1"
 * (hosted sparse extent header, grain directory/tables, stream markers, descriptor). */
#ifndef BLOCK_VMDK_INT_H
#define BLOCK_VMDK_INT_H

#include <stdbool.h>
#include <stdint.h>
#include "block/block_int.h"

#define VMDK_MAGIC              0x564d444bu     /* "KDMV" */
#define VMDK_FLAG_NL_TEST       (1u << 0)
#define VMDK_FLAG_RGD           (1u << 1)
#define VMDK_FLAG_ZERO_GRAIN    (1u << 2)
#define VMDK_FLAG_COMPRESSED    (1u << 16)
#define VMDK_FLAG_MARKERS       (1u << 17)
#define VMDK_GD_AT_END          0xffffffffffffffffULL
#define VMDK_GTES_PER_GT        512u
#define VMDK_MARKER_EOS         0u
#define VMDK_MARKER_GT          1u
#define VMDK_MARKER_GD          2u
#define VMDK_MARKER_FOOTER      3u
#define VMDK_DESC_MAX           (64u << 10)

typedef enum VmdkKind { VMDK_SPARSE, VMDK_STREAM, VMDK_FLAT } VmdkKind;

/* The sparse extent header (512 bytes, little-endian), decoded. */
typedef struct VmdkHeader {
    uint32_t version, flags;
    uint64_t capacity, grain_size, desc_offset, desc_size;
    uint32_t gtes_per_gt;
    uint64_t rgd_offset, gd_offset, overhead;
    uint16_t compress;
} VmdkHeader;

typedef struct VmdkState {
    VmdkKind kind;
    uint64_t size;              /* bytes */
    uint32_t cid, parent_cid;
    char create_type[32];
    /* sparse and stream extents (in bs->file) */
    VmdkHeader h;
    uint64_t grain_bytes;
    uint32_t gd_entries;
    uint32_t *gd;               /* GT sector offsets */
    uint32_t *rgd;              /* redundant GD, or NULL */
    uint32_t **gt;              /* loaded grain tables (GTES_PER_GT entries), by GD index */
    /* stream writing */
    bool stream_writable;
    bool stream_dirty;
    uint64_t stream_next;       /* where the next compressed grain goes */
    /* flat extent */
    BlockFile *extent;
    uint64_t extent_offset;     /* bytes */
} VmdkState;

void vmdk_header_decode(const uint8_t *buf, VmdkHeader *h);
void vmdk_header_encode(const VmdkHeader *h, uint8_t *buf);

/* Descriptor text: parses createType, CID, parentCID and the single extent line. */
typedef struct VmdkDescriptor {
    char create_type[32];
    uint32_t cid, parent_cid;
    bool has_parent;
    char extent_type[16];       /* FLAT, SPARSE, ... */
    char extent_file[256];
    uint64_t extent_sectors, extent_offset;
    int n_extents;
} VmdkDescriptor;
int vmdk_descriptor_parse(const char *text, VmdkDescriptor *d, Error **errp);
/* Writes a descriptor for one extent; returns a new string. */
char *vmdk_descriptor_build(const char *create_type, uint32_t cid, const char *extent_type,
                            const char *extent_file, uint64_t sectors);

/* Stream (streamOptimized) support, block/vmdk-stream.c. */
int vmdk_stream_find_footer(BlockDriverState *bs, VmdkHeader *h, Error **errp);
int vmdk_stream_read_grain(BlockDriverState *bs, uint64_t sector, uint64_t lba, uint8_t *grain);
int vmdk_stream_write_grain(BlockDriverState *bs, uint64_t lba, const uint8_t *grain,
                            size_t len, uint64_t *sector);
/* Appends an already compressed grain (marker + data) at the end of the stream. */
int vmdk_stream_append(BlockDriverState *bs, uint64_t lba, const uint8_t *cdata, size_t clen,
                       uint64_t *sector);
int vmdk_stream_finish(BlockDriverState *bs);
int vmdk_stream_create(BlockFile *f, const VmdkHeader *h, const char *desc);

#endif
