/* VMware VMDK: monolithicSparse and monolithicFlat read/write, streamOptimized read and
 * compressed sequential write, per VMware's "Virtual Disk Format 1.1" (hosted sparse
 * extent header, grain directory and tables, descriptor). docs/block-formats.md */
#include <errno.h>
#include <inttypes.h>
#include <libgen.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>
#include "block/fmt-endian.h"
#include "block/fmt-status.h"
#include "block/compress.h"
#include "block/vmdk-int.h"
#include "util/cutils.h"
#include "util/error.h"

#define SECTOR 512u
#define VMDK_MAX_CAPACITY   (BLOCK_MAX_IMAGE_SIZE / SECTOR)
#define VMDK_MAX_GD_ENTRIES (16u << 20)     /* 64 MiB of directory at most */

void vmdk_header_decode(const uint8_t *b, VmdkHeader *h)
{
    h->version = le32_get(b + 4);
    h->flags = le32_get(b + 8);
    h->capacity = le64_get(b + 12);
    h->grain_size = le64_get(b + 20);
    h->desc_offset = le64_get(b + 28);
    h->desc_size = le64_get(b + 36);
    h->gtes_per_gt = le32_get(b + 44);
    h->rgd_offset = le64_get(b + 48);
    h->gd_offset = le64_get(b + 56);
    h->overhead = le64_get(b + 64);
    h->compress = le16_get(b + 77);
}

void vmdk_header_encode(const VmdkHeader *h, uint8_t *b)
{
    memset(b, 0, SECTOR);
    le32_put(b, VMDK_MAGIC);
    le32_put(b + 4, h->version);
    le32_put(b + 8, h->flags);
    le64_put(b + 12, h->capacity);
    le64_put(b + 20, h->grain_size);
    le64_put(b + 28, h->desc_offset);
    le64_put(b + 36, h->desc_size);
    le32_put(b + 44, h->gtes_per_gt);
    le64_put(b + 48, h->rgd_offset);
    le64_put(b + 56, h->gd_offset);
    le64_put(b + 64, h->overhead);
    b[73] = '\n';
    b[74] = ' ';
    b[75] = '\r';
    b[76] = '\n';
    le16_put(b + 77, h->compress);
}

static int vmdk_probe(const uint8_t *buf, size_t len, const char *filename)
{
    if (len >= 4 && le32_get(buf) == VMDK_MAGIC) {
        return 100;
    }
    if (len >= 21 && !memcmp(buf, "# Disk DescriptorFile", 21)) {
        return 100;
    }
    return 0;
}

static int vmdk_check_header(const VmdkHeader *h, int64_t file_len, Error **errp)
{
    if (h->version < 1 || h->version > 3) {
        error_setg(errp, "unsupported VMDK version %" PRIu32, h->version);
        return -ENOTSUP;
    }
    if (h->grain_size < 1 || h->grain_size > 2048 || (h->grain_size & (h->grain_size - 1))) {
        error_setg(errp, "invalid VMDK grain size %" PRIu64 " sectors", h->grain_size);
        return -EINVAL;
    }
    if (h->gtes_per_gt != VMDK_GTES_PER_GT) {
        error_setg(errp, "unsupported VMDK grain table size %" PRIu32, h->gtes_per_gt);
        return -ENOTSUP;
    }
    if (h->capacity == 0 || h->capacity > VMDK_MAX_CAPACITY) {
        error_setg(errp, "invalid VMDK capacity %" PRIu64 " sectors", h->capacity);
        return -EINVAL;
    }
    if ((h->flags & VMDK_FLAG_COMPRESSED) && h->compress != 1) {
        error_setg(errp, "unsupported VMDK compression algorithm %u", h->compress);
        return -ENOTSUP;
    }
    if (h->gd_offset != VMDK_GD_AT_END && h->gd_offset > (uint64_t)file_len / SECTOR) {
        error_setg(errp, "corrupt VMDK: grain directory at sector %" PRIu64 " past the end",
                   h->gd_offset);
        return -EINVAL;
    }
    return 0;
}

static int vmdk_read_descriptor_at(BlockFile *f, uint64_t off, uint64_t len,
                                   VmdkDescriptor *d, Error **errp)
{
    if (len == 0) {
        memset(d, 0, sizeof(*d));
        d->parent_cid = 0xffffffffu;
        snprintf(d->create_type, sizeof(d->create_type), "monolithicSparse");
        return 0;
    }
    len = MIN(len, (uint64_t)VMDK_DESC_MAX);
    char *text = xzalloc(len + 1);
    int ret = block_file_pread(f, off, text, len);
    if (ret == 0) {
        ret = vmdk_descriptor_parse(text, d, errp);
    } else {
        error_setg_errno(errp, -ret, "cannot read the VMDK descriptor");
    }
    free(text);
    return ret;
}

static uint32_t *load_u32_table(BlockFile *f, uint64_t off, uint32_t n, int *err)
{
    uint8_t *raw = xmalloc((size_t)n * 4 + 4);
    uint32_t *t = xmalloc((size_t)n * 4 + 4);
    *err = block_file_pread(f, off, raw, (size_t)n * 4);
    for (uint32_t i = 0; i < n; i++) {
        t[i] = le32_get(raw + 4 * i);
    }
    free(raw);
    if (*err < 0) {
        free(t);
        return NULL;
    }
    return t;
}

static int vmdk_load_directory(BlockDriverState *bs, VmdkState *s, int64_t len, Error **errp);

static int vmdk_open_sparse(BlockDriverState *bs, VmdkState *s, const uint8_t *hb,
                            int64_t len, Error **errp)
{
    VmdkDescriptor d;
    int ret;
    vmdk_header_decode(hb, &s->h);
    if ((ret = vmdk_check_header(&s->h, len, errp)) < 0) {
        return ret;
    }
    if (s->h.desc_offset > (uint64_t)len / SECTOR) {
        error_setg(errp, "corrupt VMDK: descriptor past the end of the file");
        return -EINVAL;
    }
    ret = vmdk_read_descriptor_at(bs->file, s->h.desc_offset * SECTOR, s->h.desc_size * SECTOR,
                                  &d, errp);
    if (ret < 0) {
        return ret;
    }
    if (d.has_parent || d.parent_cid != 0xffffffffu) {
        error_setg(errp, "VMDK images with a parent (delta links) are not supported");
        return -ENOTSUP;
    }
    snprintf(s->create_type, sizeof(s->create_type), "%s", d.create_type);
    s->cid = d.cid;
    s->parent_cid = d.parent_cid;
    if (s->h.gd_offset == VMDK_GD_AT_END) {
        VmdkHeader footer;
        if ((ret = vmdk_stream_find_footer(bs, &footer, errp)) < 0) {
            return ret;
        }
        footer.flags = s->h.flags;
        s->h = footer;
        if ((ret = vmdk_check_header(&s->h, len, errp)) < 0) {
            return ret;
        }
    }
    s->kind = (s->h.flags & VMDK_FLAG_COMPRESSED) ? VMDK_STREAM : VMDK_SPARSE;
    s->size = s->h.capacity * SECTOR;
    s->grain_bytes = s->h.grain_size * SECTOR;
    return vmdk_load_directory(bs, s, len, errp);
}

/* Grain directory (and its redundant copy) into memory; stream write position. */
static int vmdk_load_directory(BlockDriverState *bs, VmdkState *s, int64_t len, Error **errp)
{
    int ret;
    uint64_t entries = DIV_ROUND_UP(s->h.capacity, s->h.grain_size * VMDK_GTES_PER_GT);
    if (entries > VMDK_MAX_GD_ENTRIES || s->h.gd_offset + DIV_ROUND_UP(entries * 4, SECTOR) >
                                         (uint64_t)len / SECTOR) {
        error_setg(errp, "corrupt VMDK: grain directory of %" PRIu64 " entries at sector %"
                   PRIu64 " does not fit in the file", entries, s->h.gd_offset);
        return -EINVAL;
    }
    s->gd_entries = (uint32_t)entries;
    s->gd = load_u32_table(bs->file, s->h.gd_offset * SECTOR, s->gd_entries, &ret);
    if (!s->gd) {
        error_setg_errno(errp, -ret, "cannot read the VMDK grain directory");
        return ret;
    }
    if ((s->h.flags & VMDK_FLAG_RGD) && s->h.rgd_offset &&
        s->h.rgd_offset + DIV_ROUND_UP(entries * 4, SECTOR) <= (uint64_t)len / SECTOR) {
        s->rgd = load_u32_table(bs->file, s->h.rgd_offset * SECTOR, s->gd_entries, &ret);
    }
    s->gt = xzalloc((size_t)s->gd_entries * sizeof(uint32_t *) + sizeof(uint32_t *));
    if (s->kind == VMDK_STREAM && !bs->read_only) {
        /* Only a fresh stream (no grain yet) can be appended to. */
        bool empty = true;
        for (uint32_t i = 0; i < s->gd_entries; i++) {
            empty &= s->gd[i] == 0;
        }
        s->stream_writable = empty;
        s->stream_next = ROUND_UP(MAX(s->h.overhead, s->h.desc_offset + s->h.desc_size), 1) *
                         SECTOR;
    }
    return 0;
}

static char *extent_path(const char *descriptor, const char *extent)
{
    if (extent[0] == '/') {
        return xstrdup(extent);
    }
    char *copy = xstrdup(descriptor);
    char *path = xasprintf("%s/%s", dirname(copy), extent);
    free(copy);
    return path;
}

static int vmdk_open_text(BlockDriverState *bs, VmdkState *s, int64_t len, Error **errp)
{
    VmdkDescriptor d;
    int ret = vmdk_read_descriptor_at(bs->file, 0, MAX(len, 1), &d, errp);
    if (ret < 0) {
        return ret;
    }
    if (d.n_extents != 1 || strcmp(d.extent_type, "FLAT") || d.has_parent) {
        error_setg(errp, "unsupported VMDK descriptor (createType %s, %d extents of type %s):"
                   " only monolithicFlat descriptors", d.create_type, d.n_extents,
                   d.extent_type);
        return -ENOTSUP;
    }
    if (d.extent_sectors > VMDK_MAX_CAPACITY || d.extent_offset > VMDK_MAX_CAPACITY) {
        error_setg(errp, "invalid VMDK extent size %" PRIu64, d.extent_sectors);
        return -EINVAL;
    }
    char *path = extent_path(bs->filename, d.extent_file);
    ret = block_file_open(path, bs->read_only, bs->cache, &s->extent, errp);
    free(path);
    if (ret < 0) {
        return ret;
    }
    if (block_node_lock_file(bs, s->extent, errp) < 0) {
        return -EAGAIN;
    }
    s->kind = VMDK_FLAT;
    s->size = d.extent_sectors * SECTOR;
    s->extent_offset = d.extent_offset * SECTOR;
    s->cid = d.cid;
    s->parent_cid = d.parent_cid;
    snprintf(s->create_type, sizeof(s->create_type), "%s", d.create_type);
    return 0;
}

static void vmdk_close(BlockDriverState *bs);

static int vmdk_open_any(BlockDriverState *bs, Error **errp)
{
    VmdkState *s = bs->opaque;
    uint8_t hb[SECTOR];
    int64_t len = block_file_length(bs->file);
    if (len < 4) {
        error_setg(errp, "truncated VMDK image (%" PRId64 " bytes)", len);
        return -EINVAL;
    }
    int ret = block_file_pread(bs->file, 0, hb, sizeof(hb));
    if (ret < 0) {
        error_setg_errno(errp, -ret, "cannot read the VMDK header");
        return ret;
    }
    if (le32_get(hb) == VMDK_MAGIC) {
        if (len < (int64_t)SECTOR) {
            error_setg(errp, "truncated VMDK image (%" PRId64 " bytes)", len);
            return -EINVAL;
        }
        return vmdk_open_sparse(bs, s, hb, len, errp);
    }
    return vmdk_open_text(bs, s, len, errp);
}

static int vmdk_open(BlockDriverState *bs, Error **errp)
{
    int ret = vmdk_open_any(bs, errp);
    if (ret < 0) {
        vmdk_close(bs);
        memset(bs->opaque, 0, sizeof(VmdkState));
    }
    return ret;
}

static void vmdk_close(BlockDriverState *bs)
{
    VmdkState *s = bs->opaque;
    if (s->kind == VMDK_STREAM && s->stream_dirty && vmdk_stream_finish(bs) < 0) {
        error_report("%s: could not write the streamOptimized trailer", bs->filename);
    }
    for (uint32_t i = 0; s->gt && i < s->gd_entries; i++) {
        free(s->gt[i]);
    }
    free(s->gt);
    free(s->gd);
    free(s->rgd);
    if (s->extent) {
        block_file_close(s->extent);
    }
}

/* Grain table idx, loaded on first use; NULL with *err = 0 if the directory has none. */
static uint32_t *vmdk_get_gt(BlockDriverState *bs, uint32_t idx, int *err)
{
    VmdkState *s = bs->opaque;
    *err = 0;
    if (s->gt[idx] || s->gd[idx] == 0) {
        return s->gt[idx];
    }
    int64_t len = block_file_length(bs->file);
    if ((uint64_t)s->gd[idx] + 4 > (uint64_t)len / SECTOR + 1) {
        *err = -EIO;    /* table past the end of the file */
        return NULL;
    }
    s->gt[idx] = load_u32_table(bs->file, (uint64_t)s->gd[idx] * SECTOR, VMDK_GTES_PER_GT, err);
    return s->gt[idx];
}

/* Grain table entry for grain g: 0 unallocated, 1 zero grain, else sector. */
static int vmdk_gte(BlockDriverState *bs, uint64_t g, uint32_t *gte)
{
    int err;
    uint32_t *gt = vmdk_get_gt(bs, (uint32_t)(g / VMDK_GTES_PER_GT), &err);
    *gte = gt ? gt[g % VMDK_GTES_PER_GT] : 0;
    return err;
}

static int vmdk_read_grain(BlockDriverState *bs, uint64_t g, uint64_t in, uint8_t *p, size_t n)
{
    VmdkState *s = bs->opaque;
    uint32_t gte;
    int ret = vmdk_gte(bs, g, &gte);
    if (ret < 0) {
        return ret;
    }
    if (gte == 0 || (gte == 1 && (s->h.flags & VMDK_FLAG_ZERO_GRAIN))) {
        memset(p, 0, n);
        return 0;
    }
    int64_t file_len = block_file_length(bs->file);
    uint64_t need = (uint64_t)gte * SECTOR + (s->kind == VMDK_STREAM ? 12 : s->grain_bytes);
    if (file_len < 0 || need > (uint64_t)file_len) {
        return -EIO;    /* the grain lies past the end of the file: truncated image */
    }
    if (s->kind != VMDK_STREAM) {
        return block_file_pread(bs->file, (uint64_t)gte * SECTOR + in, p, n);
    }
    uint8_t *grain = xmalloc(s->grain_bytes);
    ret = vmdk_stream_read_grain(bs, gte, g * s->h.grain_size, grain);
    if (ret == 0) {
        memcpy(p, grain + in, n);
    }
    free(grain);
    return ret;
}

static int vmdk_read(BlockDriverState *bs, uint64_t offset, void *buf, size_t bytes)
{
    VmdkState *s = bs->opaque;
    uint8_t *p = buf;
    if (s->kind == VMDK_FLAT) {
        return block_file_pread(s->extent, s->extent_offset + offset, buf, bytes);
    }
    while (bytes > 0) {
        uint64_t g = offset / s->grain_bytes, in = offset % s->grain_bytes;
        size_t n = MIN(bytes, s->grain_bytes - in);
        int ret = vmdk_read_grain(bs, g, in, p, n);
        if (ret < 0) {
            return ret;
        }
        p += n;
        offset += n;
        bytes -= n;
    }
    return 0;
}

static int vmdk_set_gte(BlockDriverState *bs, uint64_t g, uint32_t sector)
{
    VmdkState *s = bs->opaque;
    uint32_t idx = (uint32_t)(g / VMDK_GTES_PER_GT), j = (uint32_t)(g % VMDK_GTES_PER_GT);
    uint8_t le[4];
    int ret;
    if (s->kind == VMDK_STREAM) {
        if (!s->gt[idx]) {
            s->gt[idx] = xzalloc(VMDK_GTES_PER_GT * 4);
        }
        s->gt[idx][j] = sector;
        return 0;
    }
    if (!vmdk_get_gt(bs, idx, &ret)) {
        return ret < 0 ? ret : -ENOTSUP;    /* no table preallocated for this grain */
    }
    le32_put(le, sector);
    ret = block_file_pwrite(bs->file, (uint64_t)s->gd[idx] * SECTOR + 4ULL * j, le, 4);
    if (ret == 0 && s->rgd && s->rgd[idx]) {
        ret = block_file_pwrite(bs->file, (uint64_t)s->rgd[idx] * SECTOR + 4ULL * j, le, 4);
    }
    if (ret == 0) {
        s->gt[idx][j] = sector;
    }
    return ret;
}

/* New grain at the end of the file: the whole grain is written, then its table entry. */
static int vmdk_allocate_grain(BlockDriverState *bs, uint64_t g, uint64_t in,
                               const uint8_t *p, size_t n)
{
    VmdkState *s = bs->opaque;
    int64_t len = block_file_length(bs->file);
    if (len < 0) {
        return (int)len;
    }
    uint64_t at = ROUND_UP((uint64_t)len, SECTOR);
    if (at / SECTOR > UINT32_MAX - s->h.grain_size) {
        return -EFBIG;
    }
    uint8_t *grain = xzalloc(s->grain_bytes);
    memcpy(grain + in, p, n);
    int ret = block_file_pwrite(bs->file, at, grain, s->grain_bytes);
    free(grain);
    return ret < 0 ? ret : vmdk_set_gte(bs, g, (uint32_t)(at / SECTOR));
}

static int vmdk_write_grain(BlockDriverState *bs, uint64_t g, uint64_t in, const uint8_t *p,
                            size_t n)
{
    VmdkState *s = bs->opaque;
    uint32_t gte;
    int ret = vmdk_gte(bs, g, &gte);
    if (ret < 0) {
        return ret;
    }
    if (gte > 1 || (gte == 1 && !(s->h.flags & VMDK_FLAG_ZERO_GRAIN))) {
        return block_file_pwrite(bs->file, (uint64_t)gte * SECTOR + in, p, n);
    }
    if (block_buffer_is_zero(p, n)) {
        return 0;
    }
    return vmdk_allocate_grain(bs, g, in, p, n);
}

static int vmdk_write_compressed(BlockDriverState *bs, uint64_t offset, const void *buf,
                                 size_t bytes);

static int vmdk_write(BlockDriverState *bs, uint64_t offset, const void *buf, size_t bytes)
{
    VmdkState *s = bs->opaque;
    const uint8_t *p = buf;
    if (s->kind == VMDK_FLAT) {
        return block_file_pwrite(s->extent, s->extent_offset + offset, buf, bytes);
    }
    if (s->kind == VMDK_STREAM) {
        /* Streams take whole grains, appended compressed. */
        return vmdk_write_compressed(bs, offset, buf, bytes);
    }
    while (bytes > 0) {
        uint64_t g = offset / s->grain_bytes, in = offset % s->grain_bytes;
        size_t n = MIN(bytes, s->grain_bytes - in);
        int ret = vmdk_write_grain(bs, g, in, p, n);
        if (ret < 0) {
            return ret;
        }
        p += n;
        offset += n;
        bytes -= n;
    }
    return 0;
}

static int vmdk_write_compressed(BlockDriverState *bs, uint64_t offset, const void *buf,
                                 size_t bytes)
{
    VmdkState *s = bs->opaque;
    const uint8_t *p = buf;
    if (s->kind != VMDK_STREAM || !s->stream_writable) {
        return -ENOTSUP;
    }
    if (offset % s->grain_bytes || (bytes % s->grain_bytes && offset + bytes != s->size)) {
        return -EINVAL;
    }
    for (uint64_t done = 0; done < bytes; done += s->grain_bytes) {
        size_t n = MIN(s->grain_bytes, bytes - done);
        uint64_t g = (offset + done) / s->grain_bytes, sector;
        if (block_buffer_is_zero(p + done, n)) {
            continue;
        }
        int ret = vmdk_stream_write_grain(bs, g * s->h.grain_size, p + done, n, &sector);
        if (ret == 0) {
            ret = vmdk_set_gte(bs, g, (uint32_t)sector);
        }
        if (ret < 0) {
            return ret;
        }
    }
    return 0;
}

/* Parallel compression (block/compress.c): zlib on the caller's thread, append under lock. */
static ssize_t vmdk_compress_grain(BlockDriverState *bs, uint8_t *dst, size_t dst_len,
                                   const uint8_t *src, size_t len)
{
    uLongf clen = dst_len;
    return compress2(dst, &clen, src, len, Z_DEFAULT_COMPRESSION) == Z_OK ? (ssize_t)clen : 0;
}

static int vmdk_write_compressed_data(BlockDriverState *bs, uint64_t offset,
                                      const uint8_t *cdata, size_t clen, size_t len)
{
    VmdkState *s = bs->opaque;
    uint64_t sector;
    if (s->kind != VMDK_STREAM || !s->stream_writable) {
        return -ENOTSUP;
    }
    if (offset % s->grain_bytes || (len != s->grain_bytes && offset + len != s->size)) {
        return -EINVAL;
    }
    uint64_t g = offset / s->grain_bytes;
    int ret = vmdk_stream_append(bs, g * s->h.grain_size, cdata, clen, &sector);
    return ret < 0 ? ret : vmdk_set_gte(bs, g, (uint32_t)sector);
}

static bool vmdk_can_compress(BlockDriverState *bs)
{
    VmdkState *s = bs->opaque;
    return s->kind == VMDK_STREAM && s->stream_writable;
}

static const BlockCompressOps vmdk_compress_ops = {
    .format_name = "vmdk",
    .compress = vmdk_compress_grain,
    .write_compressed_data = vmdk_write_compressed_data,
    .can_compress = vmdk_can_compress,
};

static int vmdk_flush(BlockDriverState *bs)
{
    VmdkState *s = bs->opaque;
    /* A stream's trailer is rewritten after its last grain; later grains overwrite it. */
    int ret = s->kind == VMDK_STREAM ? vmdk_stream_finish(bs) : 0;
    if (ret == 0 && s->extent) {
        ret = block_file_flush(s->extent);
    }
    return ret < 0 ? ret : block_file_flush(bs->file);
}

static int64_t vmdk_length(BlockDriverState *bs)
{
    VmdkState *s = bs->opaque;
    return (int64_t)s->size;
}

static int vmdk_block_status(BlockDriverState *bs, uint64_t offset, uint64_t bytes,
                             uint64_t *pnum, uint64_t *map)
{
    VmdkState *s = bs->opaque;
    if (s->kind == VMDK_FLAT) {
        return fmt_mapped_data_status(s->extent, s->extent_offset + offset, bytes, pnum, map);
    }
    uint64_t g = offset / s->grain_bytes, in = offset % s->grain_bytes;
    uint32_t gte, next;
    int ret = vmdk_gte(bs, g, &gte);
    if (ret < 0) {
        return ret;
    }
    bool zero = gte == 0 || (gte == 1 && (s->h.flags & VMDK_FLAG_ZERO_GRAIN));
    uint64_t n = MIN(bytes, s->grain_bytes - in);
    while (n < bytes && vmdk_gte(bs, ++g, &next) == 0) {
        bool nz = next == 0 || (next == 1 && (s->h.flags & VMDK_FLAG_ZERO_GRAIN));
        if (nz != zero || (!zero && (s->kind == VMDK_STREAM ||
                                     next != gte + (g - offset / s->grain_bytes) *
                                     s->h.grain_size))) {
            break;
        }
        n = MIN(bytes, n + s->grain_bytes);
    }
    *pnum = n;
    if (zero) {
        return gte == 0 ? BLOCK_STATUS_ZERO : BLOCK_STATUS_ZERO | BLOCK_STATUS_ALLOCATED;
    }
    if (s->kind == VMDK_STREAM) {
        return BLOCK_STATUS_DATA | BLOCK_STATUS_ALLOCATED | BLOCK_STATUS_COMPRESSED;
    }
    if (map) {
        *map = (uint64_t)gte * SECTOR + in;
    }
    *pnum = n;
    return BLOCK_STATUS_DATA | BLOCK_STATUS_ALLOCATED | BLOCK_STATUS_OFFSET_VALID;
}

static int vmdk_get_info(BlockDriverState *bs, BlockImageInfo *info)
{
    VmdkState *s = bs->opaque;
    BlockInfoField *f = info->specific;
    info->cluster_size = s->kind == VMDK_FLAT ? 0 : (uint32_t)s->grain_bytes;
    if (s->extent && info->actual_size >= 0) {
        int64_t extent = block_file_allocated_size(s->extent);
        info->actual_size = extent < 0 ? -1 : info->actual_size + extent;
    }
    snprintf(f[0].key, sizeof(f[0].key), "cid");
    f[0].type = BLOCK_INFO_INT;
    f[0].num = s->cid;
    snprintf(f[1].key, sizeof(f[1].key), "parent-cid");
    f[1].type = BLOCK_INFO_INT;
    f[1].num = s->parent_cid;
    snprintf(f[2].key, sizeof(f[2].key), "create-type");
    f[2].type = BLOCK_INFO_STR;
    snprintf(f[2].str, sizeof(f[2].str), "%s", s->create_type);
    info->n_specific = 3;
    return 0;
}

/* Every grain and table the image points at lies inside the file. */
static int vmdk_check(BlockDriverState *bs, BlockCheckResult *res, int fix)
{
    VmdkState *s = bs->opaque;
    int64_t len = block_file_length(bs->file);
    if (s->kind == VMDK_FLAT || len < 0) {
        return len < 0 ? (int)len : 0;
    }
    for (uint32_t i = 0; i < s->gd_entries; i++) {
        int err;
        uint32_t *gt = vmdk_get_gt(bs, i, &err);
        if (err < 0) {
            fprintf(stderr, "ERROR: grain table %" PRIu32 " at sector %" PRIu32
                    " is past the end of the file\n", i, s->gd[i]);
            res->corruptions++;
            continue;
        }
        for (uint32_t j = 0; gt && j < VMDK_GTES_PER_GT; j++) {
            uint64_t end = (uint64_t)gt[j] * SECTOR + (s->kind == VMDK_STREAM ? 12 :
                                                       s->grain_bytes);
            if (gt[j] > 1 && end > (uint64_t)len) {
                fprintf(stderr, "ERROR: grain %" PRIu64 " at sector %" PRIu32 " is past the "
                        "end of the file\n", (uint64_t)i * VMDK_GTES_PER_GT + j, gt[j]);
                res->corruptions++;
            }
        }
    }
    return 0;
}

static const BlockCreateOptionDesc vmdk_create_options[] = {
    { "size", "virtual disk size" },
    { "subformat", "monolithicSparse (default), monolithicFlat or streamOptimized" },
    { "cluster_size", "grain size in bytes (sparse; default 64k)" },
    { "adapter_type", "ide (the only one recorded)" },
    { "hwversion", "accepted and ignored" },
    { "compat6", "accepted and ignored" },
    { NULL, NULL },
};

int vmdk_create_image(const char *filename, BlockCreateOptions *opts, Error **errp);

static void vmdk_release_locks(BlockDriverState *bs)
{
    VmdkState *s = bs->opaque;
    if (s->extent) {
        block_file_release_locks(s->extent);
    }
}

static const BlockDriver vmdk_driver = {
    .format_name = "vmdk",
    .instance_size = sizeof(VmdkState),
    .probe = vmdk_probe,
    .open = vmdk_open,
    .close = vmdk_close,
    .release_locks = vmdk_release_locks,
    .read = vmdk_read,
    .write = vmdk_write,
    .write_compressed = vmdk_write_compressed,
    .flush = vmdk_flush,
    .length = vmdk_length,
    .block_status = vmdk_block_status,
    .create = vmdk_create_image,
    .create_options = vmdk_create_options,
    .get_info = vmdk_get_info,
    .check = vmdk_check,
};

static void __attribute__((constructor)) vmdk_register(void)
{
    block_driver_register(&vmdk_driver);
    block_compress_register(&vmdk_compress_ops);
}
