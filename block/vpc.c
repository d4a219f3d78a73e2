/* Microsoft Virtual Hard Disk (VHD, "vpc"): fixed and dynamic disks, per Microsoft's
 * "Virtual Hard Disk Image Format Specification" v1.0 (hard disk footer, dynamic disk
 * header, block allocation table, CHS geometry algorithm). docs/block-formats.md */
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "block/block_int.h"
#include "block/fmt-endian.h"
#include "block/fmt-status.h"
#include "util/cutils.h"
#include "util/error.h"

#define VHD_FOOTER_SIZE     512u
#define VHD_DYN_HEADER_SIZE 1024u
#define VHD_TYPE_FIXED      2u
#define VHD_TYPE_DYNAMIC    3u
#define VHD_TYPE_DIFF       4u
#define VHD_BAT_UNUSED      0xffffffffu
#define VHD_NO_OFFSET       0xffffffffffffffffULL
#define VHD_BLOCK_SIZE      (2u << 20)
#define VHD_MAX_BLOCK_SIZE  (256u << 20)
#define VHD_MAX_GEOMETRY    (65535ULL * 16 * 255)
#define VHD_MAX_SECTORS     (0xff000000ULL)        /* 2040 GiB */
#define VHD_MAX_BAT_ENTRIES (VHD_MAX_SECTORS * 512 / 4096)
#define VHD_EPOCH           946684800u              /* 2000-01-01T00:00:00Z */

/* Footer field offsets (big-endian). */
enum {
    VHD_F_COOKIE = 0, VHD_F_FEATURES = 8, VHD_F_VERSION = 12, VHD_F_DATA_OFFSET = 16,
    VHD_F_TIMESTAMP = 24, VHD_F_CREATOR_APP = 28, VHD_F_CREATOR_VER = 32,
    VHD_F_CREATOR_OS = 36, VHD_F_ORIG_SIZE = 40, VHD_F_CUR_SIZE = 48, VHD_F_CYLS = 56,
    VHD_F_HEADS = 58, VHD_F_SECS = 59, VHD_F_TYPE = 60, VHD_F_CHECKSUM = 64, VHD_F_UUID = 68,
};
/* Dynamic disk header field offsets. */
enum {
    VHD_D_COOKIE = 0, VHD_D_DATA_OFFSET = 8, VHD_D_TABLE_OFFSET = 16, VHD_D_VERSION = 24,
    VHD_D_MAX_ENTRIES = 28, VHD_D_BLOCK_SIZE = 32, VHD_D_CHECKSUM = 36,
};

typedef struct VpcState {
    uint8_t footer[VHD_FOOTER_SIZE];
    uint32_t type;
    uint64_t size;
    /* dynamic disks */
    uint64_t bat_offset;
    uint32_t bat_entries;
    uint32_t *bat;              /* sector numbers, host order */
    uint32_t block_size;
    uint32_t bitmap_size;       /* sector bitmap before each block, rounded to 512 */
    uint64_t free_offset;       /* where the next block goes (the footer follows it) */
} VpcState;

static uint32_t vpc_checksum(const uint8_t *buf, size_t len, size_t checksum_at)
{
    uint32_t sum = 0;
    for (size_t i = 0; i < len; i++) {
        if (i < checksum_at || i >= checksum_at + 4) {
            sum += buf[i];
        }
    }
    return ~sum;
}

static int vpc_probe(const uint8_t *buf, size_t len, const char *filename)
{
    return len >= 8 && !memcmp(buf, "conectix", 8) ? 100 : 0;
}

/* The spec's CHS algorithm; the product can be less than total_sectors. */
static void vpc_geometry(uint64_t total_sectors, uint16_t *cyls, uint8_t *heads,
                         uint8_t *secs)
{
    uint64_t cth;
    unsigned h, s;
    total_sectors = MIN(total_sectors, VHD_MAX_GEOMETRY);
    if (total_sectors >= 65535ULL * 16 * 63) {
        s = 255;
        h = 16;
        cth = total_sectors / s;
    } else {
        s = 17;
        cth = total_sectors / s;
        h = (unsigned)((cth + 1023) / 1024);
        if (h < 4) {
            h = 4;
        }
        if (cth >= h * 1024ULL || h > 16) {
            s = 31;
            h = 16;
            cth = total_sectors / s;
        }
        if (cth >= h * 1024ULL) {
            s = 63;
            h = 16;
            cth = total_sectors / s;
        }
    }
    *cyls = (uint16_t)(cth / h);
    *heads = (uint8_t)h;
    *secs = (uint8_t)s;
}

/* Virtual size: the CHS product, unless the creator sizes by current_size (Hyper-V and
 * friends) or the geometry is the maximum one. */
static uint64_t vpc_disk_size(const uint8_t *f)
{
    static const char *const by_size[] = { "win ", "d2v ", "tap", "CTXS", "qem2" };
    uint64_t chs = (uint64_t)be16_get(f + VHD_F_CYLS) * f[VHD_F_HEADS] * f[VHD_F_SECS];
    if (chs == VHD_MAX_GEOMETRY) {
        return be64_get(f + VHD_F_CUR_SIZE);
    }
    for (size_t i = 0; i < ARRAY_SIZE(by_size); i++) {
        if (!memcmp(f + VHD_F_CREATOR_APP, by_size[i], strlen(by_size[i]) + (i == 2))) {
            return be64_get(f + VHD_F_CUR_SIZE);
        }
    }
    return chs * 512;
}

static int vpc_read_footer(BlockDriverState *bs, int64_t len, VpcState *s, Error **errp)
{
    int ret = block_file_pread(bs->file, len - VHD_FOOTER_SIZE, s->footer, VHD_FOOTER_SIZE);
    if (ret == 0 && memcmp(s->footer, "conectix", 8)) {
        /* A dynamic disk also has a copy of the footer at offset 0. */
        ret = block_file_pread(bs->file, 0, s->footer, VHD_FOOTER_SIZE);
        if (ret == 0 && memcmp(s->footer, "conectix", 8)) {
            error_setg(errp, "not a VHD image (no 'conectix' footer)");
            return -EINVAL;
        }
    }
    if (ret < 0) {
        error_setg_errno(errp, -ret, "cannot read the VHD footer");
        return ret;
    }
    if (vpc_checksum(s->footer, VHD_FOOTER_SIZE, VHD_F_CHECKSUM) !=
        be32_get(s->footer + VHD_F_CHECKSUM)) {
        warn_report("%s: the VHD footer checksum is incorrect", bs->filename);
    }
    return 0;
}

static int vpc_open_dynamic(BlockDriverState *bs, int64_t len, VpcState *s, Error **errp)
{
    uint8_t d[VHD_DYN_HEADER_SIZE];
    uint64_t off = be64_get(s->footer + VHD_F_DATA_OFFSET);
    if (off > (uint64_t)len - VHD_DYN_HEADER_SIZE || len < (int64_t)VHD_DYN_HEADER_SIZE) {
        error_setg(errp, "corrupt VHD: dynamic header offset %" PRIu64 " past the end", off);
        return -EINVAL;
    }
    int ret = block_file_pread(bs->file, off, d, sizeof(d));
    if (ret < 0) {
        error_setg_errno(errp, -ret, "cannot read the VHD dynamic header");
        return ret;
    }
    if (memcmp(d, "cxsparse", 8)) {
        error_setg(errp, "corrupt VHD: no 'cxsparse' dynamic disk header");
        return -EINVAL;
    }
    s->bat_offset = be64_get(d + VHD_D_TABLE_OFFSET);
    s->bat_entries = be32_get(d + VHD_D_MAX_ENTRIES);
    s->block_size = be32_get(d + VHD_D_BLOCK_SIZE);
    if (s->block_size < 512 || s->block_size > VHD_MAX_BLOCK_SIZE ||
        (s->block_size & (s->block_size - 1))) {
        error_setg(errp, "unsupported VHD block size %" PRIu32, s->block_size);
        return -ENOTSUP;
    }
    if (s->bat_entries > VHD_MAX_BAT_ENTRIES ||
        (uint64_t)s->bat_entries * s->block_size < s->size) {
        error_setg(errp, "corrupt VHD: %" PRIu32 " table entries of %" PRIu32 " bytes for a "
                   "%" PRIu64 "-byte disk", s->bat_entries, s->block_size, s->size);
        return -EINVAL;
    }
    if (s->bat_offset > (uint64_t)len || (uint64_t)s->bat_entries * 4 > len - s->bat_offset) {
        error_setg(errp, "corrupt VHD: block table at %" PRIu64 " past the end of the file",
                   s->bat_offset);
        return -EINVAL;
    }
    s->bitmap_size = ROUND_UP(s->block_size / 512 / 8, 512);
    return 0;
}

static int vpc_load_bat(BlockDriverState *bs, int64_t len, VpcState *s, Error **errp)
{
    size_t n = (size_t)s->bat_entries * 4;
    uint8_t *raw = xmalloc(n ? n : 1);
    int ret = block_file_pread(bs->file, s->bat_offset, raw, n);
    if (ret < 0) {
        error_setg_errno(errp, -ret, "cannot read the VHD block table");
        free(raw);
        return ret;
    }
    s->bat = xmalloc(n ? n : 1);
    s->free_offset = ROUND_UP(s->bat_offset + n, 512);
    for (uint32_t i = 0; i < s->bat_entries; i++) {
        uint32_t e = be32_get(raw + 4 * i);
        s->bat[i] = e;
        if (e == VHD_BAT_UNUSED) {
            continue;
        }
        uint64_t end = (uint64_t)e * 512 + s->bitmap_size + s->block_size;
        if (end > (uint64_t)len) {
            error_setg(errp, "corrupt VHD: block %" PRIu32 " at sector %" PRIu32 " lies past "
                       "the end of the file (truncated image?)", i, e);
            free(raw);
            return -EINVAL;
        }
        s->free_offset = MAX(s->free_offset, end);
    }
    free(raw);
    return 0;
}

static int vpc_open(BlockDriverState *bs, Error **errp)
{
    VpcState *s = bs->opaque;
    int64_t len = block_file_length(bs->file);
    if (len < (int64_t)VHD_FOOTER_SIZE) {
        error_setg(errp, "truncated VHD image (%" PRId64 " bytes)", len);
        return -EINVAL;
    }
    int ret = vpc_read_footer(bs, len, s, errp);
    if (ret < 0) {
        return ret;
    }
    s->type = be32_get(s->footer + VHD_F_TYPE);
    s->size = vpc_disk_size(s->footer);
    if (s->size > VHD_MAX_SECTORS * 512) {
        error_setg(errp, "VHD disk size %" PRIu64 " exceeds 2040 GiB", s->size);
        return -EINVAL;
    }
    if (s->type == VHD_TYPE_FIXED) {
        if (s->size > (uint64_t)len - VHD_FOOTER_SIZE) {
            error_setg(errp, "truncated fixed VHD: %" PRIu64 "-byte disk in a %" PRId64
                       "-byte file", s->size, len);
            return -EINVAL;
        }
        return 0;
    }
    if (s->type != VHD_TYPE_DYNAMIC) {
        error_setg(errp, "unsupported VHD disk type %" PRIu32 " (differencing disks are not "
                   "supported)", s->type);
        return -ENOTSUP;
    }
    ret = vpc_open_dynamic(bs, len, s, errp);
    if (ret == 0) {
        ret = vpc_load_bat(bs, len, s, errp);
    }
    if (ret < 0) {
        free(s->bat);
        s->bat = NULL;
    }
    return ret;
}

static void vpc_close(BlockDriverState *bs)
{
    VpcState *s = bs->opaque;
    free(s->bat);
    s->bat = NULL;
}

static uint64_t vpc_block_data(const VpcState *s, uint32_t entry)
{
    return (uint64_t)entry * 512 + s->bitmap_size;
}

static int vpc_read(BlockDriverState *bs, uint64_t offset, void *buf, size_t bytes)
{
    VpcState *s = bs->opaque;
    uint8_t *p = buf;
    if (s->type == VHD_TYPE_FIXED) {
        return block_file_pread(bs->file, offset, buf, bytes);
    }
    while (bytes > 0) {
        uint64_t idx = offset / s->block_size, in = offset % s->block_size;
        size_t n = MIN(bytes, s->block_size - in);
        if (idx >= s->bat_entries) {
            return -EINVAL;
        }
        if (s->bat[idx] == VHD_BAT_UNUSED) {
            memset(p, 0, n);
        } else {
            int ret = block_file_pread(bs->file, vpc_block_data(s, s->bat[idx]) + in, p, n);
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

/* New block at the end: bitmap and data, then the footer after it, then the BAT entry. */
static int vpc_allocate_block(BlockDriverState *bs, uint32_t idx, uint64_t in,
                              const uint8_t *data, size_t n)
{
    VpcState *s = bs->opaque;
    uint64_t start = s->free_offset;
    uint8_t *bitmap = xmalloc(s->bitmap_size);
    uint8_t be[4];
    if (start / 512 >= VHD_BAT_UNUSED) {
        free(bitmap);
        return -EFBIG;
    }
    memset(bitmap, 0xff, s->bitmap_size);
    int ret = block_file_pwrite(bs->file, start, bitmap, s->bitmap_size);
    free(bitmap);
    if (ret == 0) {
        ret = block_file_pwrite(bs->file, start + s->bitmap_size + in, data, n);
    }
    if (ret == 0) {
        ret = block_file_pwrite(bs->file, start + s->bitmap_size + s->block_size, s->footer,
                                VHD_FOOTER_SIZE);
    }
    if (ret < 0) {
        return ret;
    }
    be32_put(be, (uint32_t)(start / 512));
    ret = block_file_pwrite(bs->file, s->bat_offset + 4ULL * idx, be, 4);
    if (ret == 0) {
        s->bat[idx] = (uint32_t)(start / 512);
        s->free_offset = start + s->bitmap_size + s->block_size;
    }
    return ret;
}

static int vpc_write(BlockDriverState *bs, uint64_t offset, const void *buf, size_t bytes)
{
    VpcState *s = bs->opaque;
    const uint8_t *p = buf;
    if (s->type == VHD_TYPE_FIXED) {
        return block_file_pwrite(bs->file, offset, buf, bytes);
    }
    while (bytes > 0) {
        uint64_t idx = offset / s->block_size, in = offset % s->block_size;
        size_t n = MIN(bytes, s->block_size - in);
        int ret = 0;
        if (idx >= s->bat_entries) {
            return -EINVAL;
        }
        if (s->bat[idx] != VHD_BAT_UNUSED) {
            ret = block_file_pwrite(bs->file, vpc_block_data(s, s->bat[idx]) + in, p, n);
        } else if (!block_buffer_is_zero(p, n)) {
            ret = vpc_allocate_block(bs, (uint32_t)idx, in, p, n);
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

static int64_t vpc_length(BlockDriverState *bs)
{
    VpcState *s = bs->opaque;
    return (int64_t)s->size;
}

static int vpc_block_status(BlockDriverState *bs, uint64_t offset, uint64_t bytes,
                            uint64_t *pnum, uint64_t *map)
{
    VpcState *s = bs->opaque;
    if (s->type == VHD_TYPE_FIXED) {
        return fmt_mapped_data_status(bs->file, offset, bytes, pnum, map);
    }
    uint64_t idx = offset / s->block_size, in = offset % s->block_size;
    if (idx >= s->bat_entries) {
        return -EINVAL;
    }
    uint32_t e = s->bat[idx];
    uint64_t n = MIN(bytes, s->block_size - in);
    for (uint64_t i = idx + 1; n < bytes && i < s->bat_entries; i++) {
        bool same = e == VHD_BAT_UNUSED ? s->bat[i] == e : false;
        if (!same) {
            break;
        }
        n = MIN(bytes, n + s->block_size);
    }
    if (e == VHD_BAT_UNUSED) {
        *pnum = n;
        return BLOCK_STATUS_ZERO | BLOCK_STATUS_ALLOCATED;
    }
    if (map) {
        *map = vpc_block_data(s, e) + in;
    }
    *pnum = n;
    return BLOCK_STATUS_DATA | BLOCK_STATUS_ALLOCATED | BLOCK_STATUS_OFFSET_VALID;
}

static void vpc_build_footer(uint8_t *f, uint64_t size, uint16_t cyls, uint8_t heads,
                             uint8_t secs, bool fixed)
{
    memset(f, 0, VHD_FOOTER_SIZE);
    memcpy(f + VHD_F_COOKIE, "conectix", 8);
    be32_put(f + VHD_F_FEATURES, 2);
    be32_put(f + VHD_F_VERSION, 0x00010000);
    be64_put(f + VHD_F_DATA_OFFSET, fixed ? VHD_NO_OFFSET : VHD_FOOTER_SIZE);
    be32_put(f + VHD_F_TIMESTAMP, (uint32_t)(time(NULL) - VHD_EPOCH));
    memcpy(f + VHD_F_CREATOR_APP, "mimc", 4);
    be32_put(f + VHD_F_CREATOR_VER, 0x00010000);
    memcpy(f + VHD_F_CREATOR_OS, "Wi2k", 4);
    be64_put(f + VHD_F_ORIG_SIZE, size);
    be64_put(f + VHD_F_CUR_SIZE, size);
    be16_put(f + VHD_F_CYLS, cyls);
    f[VHD_F_HEADS] = heads;
    f[VHD_F_SECS] = secs;
    be32_put(f + VHD_F_TYPE, fixed ? VHD_TYPE_FIXED : VHD_TYPE_DYNAMIC);
    for (int i = 0; i < 16; i++) {
        f[VHD_F_UUID + i] = (uint8_t)random();
    }
    be32_put(f + VHD_F_CHECKSUM, vpc_checksum(f, VHD_FOOTER_SIZE, VHD_F_CHECKSUM));
}

/* Rounds size up to what a CHS geometry can hold (the geometry decides the disk size),
 * unless force_size: then the maximum geometry marks "use current_size". */
static int vpc_size_and_geometry(uint64_t *size, bool force, uint16_t *c, uint8_t *h,
                                 uint8_t *s, Error **errp)
{
    uint64_t total = *size / 512;
    if (force) {
        *c = 65535;
        *h = 16;
        *s = 255;
    } else {
        *c = 0;
        *h = 0;
        *s = 0;
        uint64_t want = MIN(VHD_MAX_GEOMETRY, total);
        for (uint64_t i = 0; want > (uint64_t)*c * *h * *s; i++) {
            vpc_geometry(want + i, c, h, s);
        }
    }
    if ((uint64_t)*c * *h * *s == VHD_MAX_GEOMETRY) {
        total = DIV_ROUND_UP(*size, 512);
        if (total > VHD_MAX_SECTORS) {
            error_setg(errp, "Disk size is too large, max size is 2040 GiB");
            return -EFBIG;
        }
    } else {
        total = (uint64_t)*c * *h * *s;
    }
    *size = total * 512;
    return 0;
}

static int vpc_write_dynamic_layout(BlockFile *f, const uint8_t *footer, uint64_t size)
{
    uint32_t entries = (uint32_t)DIV_ROUND_UP(size, VHD_BLOCK_SIZE);
    uint64_t bat_off = VHD_FOOTER_SIZE + VHD_DYN_HEADER_SIZE;
    size_t bat_size = ROUND_UP((size_t)entries * 4, 512);
    size_t total = bat_off + bat_size + VHD_FOOTER_SIZE;
    uint8_t *buf = xzalloc(total), *d = buf + VHD_FOOTER_SIZE;
    memcpy(buf, footer, VHD_FOOTER_SIZE);
    memcpy(d, "cxsparse", 8);
    be64_put(d + VHD_D_DATA_OFFSET, VHD_NO_OFFSET);
    be64_put(d + VHD_D_TABLE_OFFSET, bat_off);
    be32_put(d + VHD_D_VERSION, 0x00010000);
    be32_put(d + VHD_D_MAX_ENTRIES, entries);
    be32_put(d + VHD_D_BLOCK_SIZE, VHD_BLOCK_SIZE);
    be32_put(d + VHD_D_CHECKSUM, vpc_checksum(d, VHD_DYN_HEADER_SIZE, VHD_D_CHECKSUM));
    memset(buf + bat_off, 0xff, bat_size);
    memcpy(buf + bat_off + bat_size, footer, VHD_FOOTER_SIZE);
    int ret = block_file_pwrite(f, 0, buf, total);
    free(buf);
    return ret;
}

static int vpc_create(const char *filename, BlockCreateOptions *opts, Error **errp)
{
    bool fixed = false, force = false;
    uint16_t c;
    uint8_t h, s, footer[VHD_FOOTER_SIZE];
    uint64_t size = opts->size;
    BlockFile *f;
    if (opts->subformat && !strcmp(opts->subformat, "fixed")) {
        fixed = true;
    } else if (opts->subformat && strcmp(opts->subformat, "dynamic")) {
        error_setg(errp, "invalid VHD subformat '%s' (dynamic or fixed)", opts->subformat);
        return -EINVAL;
    }
    if (opts->extra && keyval_get_bool(opts->extra, "force_size", false, &force, errp) < 0) {
        return -EINVAL;
    }
    if (vpc_size_and_geometry(&size, force, &c, &h, &s, errp) < 0) {
        return -EFBIG;
    }
    vpc_build_footer(footer, size, c, h, s, fixed);
    int ret = block_file_create(filename, &f, errp);
    if (ret < 0) {
        return ret;
    }
    if (fixed) {
        ret = block_file_truncate(f, size, opts->prealloc, errp);
        if (ret == 0) {
            ret = block_file_pwrite(f, size, footer, VHD_FOOTER_SIZE);
        }
    } else {
        ret = vpc_write_dynamic_layout(f, footer, size);
    }
    if (ret == 0) {
        ret = block_file_flush(f);
    }
    if (ret < 0 && errp && !*errp) {
        error_setg_errno(errp, -ret, "cannot write '%s'", filename);
    }
    block_file_close(f);
    return ret;
}

static int vpc_get_info(BlockDriverState *bs, BlockImageInfo *info)
{
    VpcState *s = bs->opaque;
    info->cluster_size = s->type == VHD_TYPE_DYNAMIC ? s->block_size : 0;
    return 0;
}

static const BlockCreateOptionDesc vpc_create_options[] = {
    { "size", "virtual disk size (rounded up to a CHS geometry unless force_size)" },
    { "subformat", "dynamic (default) or fixed" },
    { "force_size", "on: keep the exact size (current_size), not the CHS product" },
    { "preallocation", "fixed disks: off, falloc, full" },
    { NULL, NULL },
};

static const BlockDriver vpc_driver = {
    .format_name = "vpc",
    .instance_size = sizeof(VpcState),
    .probe = vpc_probe,
    .open = vpc_open,
    .close = vpc_close,
    .read = vpc_read,
    .write = vpc_write,
    /* no .flush: block_flush() flushes bs->file by default */
    .length = vpc_length,
    .block_status = vpc_block_status,
    .create = vpc_create,
    .create_options = vpc_create_options,
    .get_info = vpc_get_info,
};

static void __attribute__((constructor)) vpc_register(void)
{
    block_driver_register(&vpc_driver);
}
