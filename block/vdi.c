/* VirtualBox VDI disk images, version 1.1 headers, dynamic ("normal") and fixed ("static")
 * images. Layout per VirtualBox's VDICore.h (VDIPREHEADER/VDIHEADER1PLUS): 512-byte
 * header, block map of 32-bit little-endian entries, 1 MiB blocks. docs/block-formats.md */
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include "block/block_int.h"
#include "block/fmt-endian.h"
#include "block/fmt-status.h"
#include "util/cutils.h"
#include "util/error.h"

#define VDI_SIGNATURE       0xbeda107fu
#define VDI_VERSION_1_1     0x00010001u
#define VDI_HEADER_SIZE_1_1 0x180u      /* header bytes after signature and version */
#define VDI_TYPE_DYNAMIC    1u
#define VDI_TYPE_STATIC     2u
#define VDI_UNALLOCATED     0xffffffffu
#define VDI_DISCARDED       0xfffffffeu /* reads zeros */
#define VDI_BLOCK_SIZE      (1u << 20)
#define VDI_SECTOR_SIZE     512u
/* Largest disk (and so block map) accepted: 2 TiB of 1 MiB blocks = 8 MiB of map... */
#define VDI_BLOCKS_MAX      (0x3fffffffu / 4u)
#define VDI_DISK_SIZE_MAX   ((uint64_t)VDI_BLOCKS_MAX * VDI_BLOCK_SIZE)

/* Field offsets in the first 512 bytes. */
enum {
    VDI_OFF_SIGNATURE = 0x40, VDI_OFF_VERSION = 0x44, VDI_OFF_HEADER_SIZE = 0x48,
    VDI_OFF_TYPE = 0x4c, VDI_OFF_FLAGS = 0x50, VDI_OFF_DESCRIPTION = 0x54,
    VDI_OFF_BMAP = 0x154, VDI_OFF_DATA = 0x158, VDI_OFF_CYLINDERS = 0x15c,
    VDI_OFF_SECTOR_SIZE = 0x168, VDI_OFF_DISK_SIZE = 0x170, VDI_OFF_BLOCK_SIZE = 0x178,
    VDI_OFF_BLOCK_EXTRA = 0x17c, VDI_OFF_BLOCKS = 0x180, VDI_OFF_ALLOCATED = 0x184,
    VDI_OFF_UUID_IMAGE = 0x188, VDI_OFF_UUID_SNAP = 0x198, VDI_OFF_UUID_LINK = 0x1a8,
    VDI_OFF_UUID_PARENT = 0x1b8,
};

typedef struct VdiState {
    uint32_t type;
    uint32_t offset_bmap, offset_data;
    uint64_t disk_size;
    uint32_t blocks;
    uint32_t allocated;
    uint32_t *bmap;             /* host order */
} VdiState;

static int vdi_probe(const uint8_t *buf, size_t len, const char *filename)
{
    if (len < VDI_OFF_VERSION + 4 || le32_get(buf + VDI_OFF_SIGNATURE) != VDI_SIGNATURE) {
        return 0;
    }
    return 100;
}

static bool uuid_is_null(const uint8_t *u)
{
    for (int i = 0; i < 16; i++) {
        if (u[i]) {
            return false;
        }
    }
    return true;
}

/* Range-checks every header field used; fills s. */
static int vdi_parse_header(const uint8_t *h, int64_t file_len, VdiState *s, Error **errp)
{
    uint32_t version = le32_get(h + VDI_OFF_VERSION);
    if (le32_get(h + VDI_OFF_SIGNATURE) != VDI_SIGNATURE) {
        error_setg(errp, "not a VDI image (bad signature)");
        return -EINVAL;
    }
    if (version != VDI_VERSION_1_1 || le32_get(h + VDI_OFF_HEADER_SIZE) < VDI_HEADER_SIZE_1_1) {
        error_setg(errp, "unsupported VDI version 0x%08" PRIx32 " (only 1.1)", version);
        return -ENOTSUP;
    }
    s->type = le32_get(h + VDI_OFF_TYPE);
    s->offset_bmap = le32_get(h + VDI_OFF_BMAP);
    s->offset_data = le32_get(h + VDI_OFF_DATA);
    s->disk_size = le64_get(h + VDI_OFF_DISK_SIZE);
    s->blocks = le32_get(h + VDI_OFF_BLOCKS);
    s->allocated = le32_get(h + VDI_OFF_ALLOCATED);
    uint32_t sector_size = le32_get(h + VDI_OFF_SECTOR_SIZE);
    uint32_t block_size = le32_get(h + VDI_OFF_BLOCK_SIZE);
    if (s->type != VDI_TYPE_DYNAMIC && s->type != VDI_TYPE_STATIC) {
        error_setg(errp, "unsupported VDI image type %" PRIu32 " (undo/diff images)", s->type);
        return -ENOTSUP;
    }
    if (sector_size != VDI_SECTOR_SIZE || block_size != VDI_BLOCK_SIZE ||
        le32_get(h + VDI_OFF_BLOCK_EXTRA) != 0) {
        error_setg(errp, "unsupported VDI geometry (sector size %" PRIu32 ", block size %"
                   PRIu32 ")", sector_size, block_size);
        return -ENOTSUP;
    }
    if (s->blocks > VDI_BLOCKS_MAX || s->disk_size > (uint64_t)s->blocks * VDI_BLOCK_SIZE ||
        s->allocated > s->blocks) {
        error_setg(errp, "corrupt VDI header: disk size %" PRIu64 ", %" PRIu32 " blocks, %"
                   PRIu32 " allocated", s->disk_size, s->blocks, s->allocated);
        return -EINVAL;
    }
    if (s->offset_bmap < VDI_SECTOR_SIZE || s->offset_bmap % VDI_SECTOR_SIZE ||
        s->offset_data % VDI_SECTOR_SIZE ||
        (uint64_t)s->offset_bmap + (uint64_t)s->blocks * 4 > s->offset_data) {
        error_setg(errp, "corrupt VDI header: block map at %" PRIu32 ", data at %" PRIu32,
                   s->offset_bmap, s->offset_data);
        return -EINVAL;
    }
    if ((uint64_t)s->offset_bmap + (uint64_t)s->blocks * 4 > (uint64_t)file_len) {
        error_setg(errp, "truncated VDI image (block map past the end of the file)");
        return -EINVAL;
    }
    if ((uint64_t)s->offset_data + (uint64_t)s->allocated * VDI_BLOCK_SIZE > (uint64_t)file_len) {
        error_setg(errp, "truncated VDI image (%" PRIu32 " allocated blocks need %" PRIu64
                   " bytes, the file has %" PRId64 ")", s->allocated,
                   (uint64_t)s->offset_data + (uint64_t)s->allocated * VDI_BLOCK_SIZE, file_len);
        return -EINVAL;
    }
    if (!uuid_is_null(h + VDI_OFF_UUID_LINK) || !uuid_is_null(h + VDI_OFF_UUID_PARENT)) {
        error_setg(errp, "unsupported VDI image (differencing image with a parent)");
        return -ENOTSUP;
    }
    return 0;
}

static int vdi_load_bmap(BlockDriverState *bs, VdiState *s, Error **errp)
{
    size_t n = (size_t)s->blocks * 4;
    uint8_t *raw = xmalloc(n ? n : 1);
    int ret = block_file_pread(bs->file, s->offset_bmap, raw, n);
    if (ret < 0) {
        error_setg_errno(errp, -ret, "cannot read the VDI block map");
        free(raw);
        return ret;
    }
    s->bmap = xmalloc(n ? n : 1);
    for (uint32_t i = 0; i < s->blocks; i++) {
        uint32_t e = le32_get(raw + 4 * i);
        if (e != VDI_UNALLOCATED && e != VDI_DISCARDED && e >= s->allocated) {
            error_setg(errp, "corrupt VDI block map: block %" PRIu32 " -> %" PRIu32
                       " (only %" PRIu32 " allocated)", i, e, s->allocated);
            free(raw);
            return -EINVAL;
        }
        s->bmap[i] = e;
    }
    free(raw);
    return 0;
}

static void vdi_close(BlockDriverState *bs);

static int vdi_open(BlockDriverState *bs, Error **errp)
{
    VdiState *s = bs->opaque;
    uint8_t h[512];
    int64_t len = block_file_length(bs->file);
    if (len < (int64_t)sizeof(h)) {
        error_setg(errp, "truncated VDI image (%" PRId64 " bytes)", len);
        return -EINVAL;
    }
    int ret = block_file_pread(bs->file, 0, h, sizeof(h));
    if (ret < 0) {
        error_setg_errno(errp, -ret, "cannot read the VDI header");
        return ret;
    }
    ret = vdi_parse_header(h, len, s, errp);
    if (ret == 0) {
        ret = vdi_load_bmap(bs, s, errp);
    }
    if (ret < 0) {
        vdi_close(bs);
    }
    return ret;
}

static void vdi_close(BlockDriverState *bs)
{
    VdiState *s = bs->opaque;
    free(s->bmap);
    s->bmap = NULL;
}

static uint64_t vdi_block_host_offset(const VdiState *s, uint32_t entry)
{
    return (uint64_t)s->offset_data + (uint64_t)entry * VDI_BLOCK_SIZE;
}

static int vdi_read(BlockDriverState *bs, uint64_t offset, void *buf, size_t bytes)
{
    VdiState *s = bs->opaque;
    uint8_t *p = buf;
    while (bytes > 0) {
        uint64_t idx = offset / VDI_BLOCK_SIZE, in = offset % VDI_BLOCK_SIZE;
        size_t n = MIN(bytes, VDI_BLOCK_SIZE - in);
        if (idx >= s->blocks) {
            return -EINVAL;
        }
        uint32_t e = s->bmap[idx];
        if (e == VDI_UNALLOCATED || e == VDI_DISCARDED) {
            memset(p, 0, n);
        } else {
            int ret = block_file_pread(bs->file, vdi_block_host_offset(s, e) + in, p, n);
            if (ret < 0) {
                return ret;
            }
        }
        p += n;
        offset += n;
        bytes -= n;
    }
    return 0;
}

/* Appends block idx to the data area: data first, then the map entry, then the count. */
static int vdi_allocate_block(BlockDriverState *bs, uint32_t idx, uint64_t in,
                              const uint8_t *data, size_t n)
{
    VdiState *s = bs->opaque;
    uint32_t e = s->allocated;
    uint64_t host = vdi_block_host_offset(s, e);
    uint8_t le[4];
    int ret = block_file_pwrite(bs->file, host + in, data, n);
    if (ret == 0 && in + n < VDI_BLOCK_SIZE) {
        /* The rest of the block must read zeros: extend the file over it (sparse). */
        int64_t len = block_file_length(bs->file);
        if (len >= 0 && (uint64_t)len < host + VDI_BLOCK_SIZE) {
            ret = block_file_truncate(bs->file, host + VDI_BLOCK_SIZE, BLOCK_PREALLOC_OFF, NULL);
        }
    }
    if (ret < 0) {
        return ret;
    }
    le32_put(le, e);
    ret = block_file_pwrite(bs->file, s->offset_bmap + 4ULL * idx, le, 4);
    if (ret < 0) {
        return ret;
    }
    s->bmap[idx] = e;
    s->allocated++;
    le32_put(le, s->allocated);
    return block_file_pwrite(bs->file, VDI_OFF_ALLOCATED, le, 4);
}

static int vdi_write(BlockDriverState *bs, uint64_t offset, const void *buf, size_t bytes)
{
    VdiState *s = bs->opaque;
    const uint8_t *p = buf;
    while (bytes > 0) {
        uint64_t idx = offset / VDI_BLOCK_SIZE, in = offset % VDI_BLOCK_SIZE;
        size_t n = MIN(bytes, VDI_BLOCK_SIZE - in);
        int ret;
        if (idx >= s->blocks) {
            return -EINVAL;
        }
        uint32_t e = s->bmap[idx];
        if (e == VDI_UNALLOCATED || e == VDI_DISCARDED) {
            if (e == VDI_UNALLOCATED && block_buffer_is_zero(p, n)) {
                ret = 0;    /* already reads zeros */
            } else {
                ret = vdi_allocate_block(bs, (uint32_t)idx, in, p, n);
            }
        } else {
            ret = block_file_pwrite(bs->file, vdi_block_host_offset(s, e) + in, p, n);
        }
        if (ret < 0) {
            return ret;
        }
        p += n;
        offset += n;
        bytes -= n;
    }
    return 0;
}

static int vdi_write_zeroes(BlockDriverState *bs, uint64_t offset, uint64_t bytes, int flags)
{
    VdiState *s = bs->opaque;
    static const uint8_t zeros[65536];
    while (bytes > 0) {
        uint64_t idx = offset / VDI_BLOCK_SIZE, in = offset % VDI_BLOCK_SIZE;
        uint64_t n = MIN(bytes, VDI_BLOCK_SIZE - in);
        if (idx >= s->blocks) {
            return -EINVAL;
        }
        uint32_t e = s->bmap[idx];
        if (e != VDI_UNALLOCATED && e != VDI_DISCARDED) {
            for (uint64_t done = 0; done < n;) {
                size_t k = MIN(n - done, sizeof(zeros));
                int ret = block_file_pwrite(bs->file, vdi_block_host_offset(s, e) + in + done,
                                            zeros, k);
                if (ret < 0) {
                    return ret;
                }
                done += k;
            }
        }
        offset += n;
        bytes -= n;
    }
    return 0;
}

static int64_t vdi_length(BlockDriverState *bs)
{
    VdiState *s = bs->opaque;
    return (int64_t)s->disk_size;
}

static int vdi_block_status(BlockDriverState *bs, uint64_t offset, uint64_t bytes,
                            uint64_t *pnum, uint64_t *map)
{
    VdiState *s = bs->opaque;
    uint64_t idx = offset / VDI_BLOCK_SIZE, in = offset % VDI_BLOCK_SIZE;
    if (idx >= s->blocks) {
        return -EINVAL;
    }
    uint32_t e = s->bmap[idx];
    uint64_t n = MIN(bytes, VDI_BLOCK_SIZE - in);
    /* Merge following blocks of the same kind (contiguous on the host for data). */
    for (uint64_t i = idx + 1; n < bytes && i < s->blocks; i++) {
        uint32_t f = s->bmap[i];
        bool same = (e >= VDI_DISCARDED) ? f == e : f == e + (i - idx);
        if (!same) {
            break;
        }
        n = MIN(bytes, n + VDI_BLOCK_SIZE);
    }
    if (e == VDI_UNALLOCATED || e == VDI_DISCARDED) {
        *pnum = n;
        /* VDI images here have no parent: unallocated blocks are this image's zeros. */
        return BLOCK_STATUS_ZERO | BLOCK_STATUS_ALLOCATED;
    }
    if (map) {
        *map = vdi_block_host_offset(s, e) + in;
    }
    if (s->type == VDI_TYPE_STATIC) {
        /* Fixed images are preallocated: the host file's holes say where zeros are. */
        return fmt_data_status(bs->file, vdi_block_host_offset(s, e) + in, n, pnum);
    }
    *pnum = n;
    return BLOCK_STATUS_DATA | BLOCK_STATUS_ALLOCATED | BLOCK_STATUS_OFFSET_VALID;
}

static void vdi_random_uuid(uint8_t *u)
{
    for (int i = 0; i < 16; i++) {
        u[i] = (uint8_t)random();
    }
    u[6] = (u[6] & 0x0f) | 0x40;    /* RFC 4122 version 4 */
    u[8] = (u[8] & 0x3f) | 0x80;
}

static void vdi_build_header(uint8_t *h, uint64_t size, uint32_t blocks, bool fixed,
                             uint32_t offset_data)
{
    static const char text[] = "<<< Mimic VM Virtual Disk Image >>>\n";
    memset(h, 0, 512);
    memcpy(h, text, sizeof(text) - 1);
    le32_put(h + VDI_OFF_SIGNATURE, VDI_SIGNATURE);
    le32_put(h + VDI_OFF_VERSION, VDI_VERSION_1_1);
    le32_put(h + VDI_OFF_HEADER_SIZE, VDI_HEADER_SIZE_1_1);
    le32_put(h + VDI_OFF_TYPE, fixed ? VDI_TYPE_STATIC : VDI_TYPE_DYNAMIC);
    le32_put(h + VDI_OFF_BMAP, VDI_SECTOR_SIZE);
    le32_put(h + VDI_OFF_DATA, offset_data);
    le32_put(h + VDI_OFF_SECTOR_SIZE, VDI_SECTOR_SIZE);
    le64_put(h + VDI_OFF_DISK_SIZE, size);
    le32_put(h + VDI_OFF_BLOCK_SIZE, VDI_BLOCK_SIZE);
    le32_put(h + VDI_OFF_BLOCKS, blocks);
    le32_put(h + VDI_OFF_ALLOCATED, fixed ? blocks : 0);
    vdi_random_uuid(h + VDI_OFF_UUID_IMAGE);
    vdi_random_uuid(h + VDI_OFF_UUID_SNAP);
}

static int vdi_create_option_fixed(BlockCreateOptions *opts, bool *fixed, Error **errp)
{
    *fixed = false;
    if (opts->subformat) {
        if (!strcmp(opts->subformat, "fixed") || !strcmp(opts->subformat, "static")) {
            *fixed = true;
        } else if (strcmp(opts->subformat, "dynamic")) {
            error_setg(errp, "invalid VDI subformat '%s' (dynamic or fixed)", opts->subformat);
            return -EINVAL;
        }
    }
    if (opts->extra && keyval_get_bool(opts->extra, "static", *fixed, fixed, errp) < 0) {
        return -EINVAL;
    }
    if (opts->prealloc == BLOCK_PREALLOC_METADATA) {
        *fixed = true;
    }
    return 0;
}

static int vdi_create(const char *filename, BlockCreateOptions *opts, Error **errp)
{
    bool fixed;
    BlockFile *f;
    if (vdi_create_option_fixed(opts, &fixed, errp) < 0) {
        return -EINVAL;
    }
    uint64_t size = ROUND_UP(opts->size, VDI_SECTOR_SIZE);
    if (size > VDI_DISK_SIZE_MAX) {
        error_setg(errp, "VDI images are limited to %" PRIu64 " bytes", VDI_DISK_SIZE_MAX);
        return -EFBIG;
    }
    uint32_t blocks = (uint32_t)DIV_ROUND_UP(size, VDI_BLOCK_SIZE);
    uint32_t bmap_size = ROUND_UP(blocks * 4u, VDI_SECTOR_SIZE);
    uint32_t offset_data = VDI_SECTOR_SIZE + bmap_size;
    size_t file_head = offset_data;
    uint8_t *head = xzalloc(file_head);
    vdi_build_header(head, size, blocks, fixed, offset_data);
    for (uint32_t i = 0; i < blocks; i++) {
        le32_put(head + VDI_SECTOR_SIZE + 4 * i, fixed ? i : VDI_UNALLOCATED);
    }
    int ret = block_file_create(filename, &f, errp);
    if (ret == 0) {
        ret = block_file_pwrite(f, 0, head, file_head);
        if (ret == 0 && fixed) {
            BlockPrealloc p = opts->prealloc == BLOCK_PREALLOC_METADATA ? BLOCK_PREALLOC_OFF
                              : opts->prealloc;
            ret = block_file_truncate(f, offset_data + (uint64_t)blocks * VDI_BLOCK_SIZE, p,
                                      errp);
        }
        if (ret == 0) {
            ret = block_file_flush(f);
        }
        if (ret < 0 && errp && !*errp) {
            error_setg_errno(errp, -ret, "cannot write '%s'", filename);
        }
        block_file_close(f);
    }
    free(head);
    return ret;
}

static int vdi_get_info(BlockDriverState *bs, BlockImageInfo *info)
{
    info->cluster_size = VDI_BLOCK_SIZE;
    return 0;
}

/* Block map consistency: entries in range and no host block used twice. */
static int vdi_check(BlockDriverState *bs, BlockCheckResult *res, int fix)
{
    VdiState *s = bs->opaque;
    uint8_t *used = xzalloc(s->allocated ? s->allocated : 1);
    uint32_t in_use = 0;
    for (uint32_t i = 0; i < s->blocks; i++) {
        uint32_t e = s->bmap[i];
        if (e == VDI_UNALLOCATED || e == VDI_DISCARDED) {
            continue;
        }
        if (e >= s->allocated || used[e]) {
            fprintf(stderr, "ERROR: block index %" PRIu32 " (host block %" PRIu32 ") %s\n", i,
                    e, e >= s->allocated ? "out of range" : "used twice");
            res->corruptions++;
            continue;
        }
        used[e] = 1;
        in_use++;
    }
    if (in_use != s->allocated) {
        fprintf(stderr, "ERROR: allocated blocks mismatch: header %" PRIu32 ", map %" PRIu32
                "\n", s->allocated, in_use);
        res->corruptions++;
    }
    free(used);
    return 0;
}

static const BlockCreateOptionDesc vdi_create_options[] = {
    { "size", "virtual disk size" },
    { "static", "on: fixed image, every block allocated at creation" },
    { "subformat", "dynamic (default) or fixed" },
    { "preallocation", "off, metadata (fixed), falloc, full" },
    { NULL, NULL },
};

static const BlockDriver vdi_driver = {
    .format_name = "vdi",
    .instance_size = sizeof(VdiState),
    .probe = vdi_probe,
    .open = vdi_open,
    .close = vdi_close,
    .read = vdi_read,
    .write = vdi_write,
    .write_zeroes = vdi_write_zeroes,
    /* no .flush: block_flush() flushes bs->file by default */
    .length = vdi_length,
    .block_status = vdi_block_status,
    .create = vdi_create,
    .create_options = vdi_create_options,
    .get_info = vdi_get_info,
    .check = vdi_check,
};

static void __attribute__((constructor)) vdi_register(void)
{
    block_driver_register(&vdi_driver);
}
