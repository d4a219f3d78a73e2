/* VMDK streamOptimized extents (VMware "Virtual Disk Format 1.1", "Stream-Optimized
 * Compressed Sparse Extents"): grain markers with zlib-compressed grains, GT/GD/footer/EOS
 * metadata markers written at the end of the stream. */
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>
#include "block/fmt-endian.h"
#include "block/vmdk-int.h"
#include "util/cutils.h"
#include "util/error.h"

#define SECTOR 512u

static void marker_encode(uint8_t *buf, uint64_t val, uint32_t type)
{
    memset(buf, 0, SECTOR);
    le64_put(buf, val);
    le32_put(buf + 8, 0);
    le32_put(buf + 12, type);
}

/* The footer is a header copy at end-1024, after a footer marker, before the EOS marker. */
int vmdk_stream_find_footer(BlockDriverState *bs, VmdkHeader *h, Error **errp)
{
    uint8_t buf[3 * SECTOR];
    int64_t len = block_file_length(bs->file);
    if (len < (int64_t)(4 * SECTOR)) {
        error_setg(errp, "truncated streamOptimized VMDK (no footer)");
        return -EINVAL;
    }
    int ret = block_file_pread(bs->file, (uint64_t)len - sizeof(buf), buf, sizeof(buf));
    if (ret < 0) {
        error_setg_errno(errp, -ret, "cannot read the VMDK footer");
        return ret;
    }
    if (le32_get(buf + 12) != VMDK_MARKER_FOOTER || le32_get(buf + SECTOR) != VMDK_MAGIC ||
        le64_get(buf + 2 * SECTOR) != 0 || le32_get(buf + 2 * SECTOR + 12) != VMDK_MARKER_EOS) {
        error_setg(errp, "truncated or corrupt streamOptimized VMDK (footer/end-of-stream "
                   "markers missing)");
        return -EINVAL;
    }
    vmdk_header_decode(buf + SECTOR, h);
    return 0;
}

int vmdk_stream_read_grain(BlockDriverState *bs, uint64_t sector, uint64_t lba, uint8_t *grain)
{
    VmdkState *s = bs->opaque;
    uint8_t head[12];
    int ret = block_file_pread(bs->file, sector * SECTOR, head, sizeof(head));
    if (ret < 0) {
        return ret;
    }
    uint32_t csize = le32_get(head + 8);
    /* Compressed data never legitimately exceeds zlib's bound on one grain. */
    if (le64_get(head) != lba || csize == 0 || csize > compressBound(s->grain_bytes) + 64) {
        return -EIO;
    }
    uint8_t *cbuf = xmalloc(csize);
    ret = block_file_pread(bs->file, sector * SECTOR + sizeof(head), cbuf, csize);
    if (ret == 0) {
        uLongf out = s->grain_bytes;
        if (uncompress(grain, &out, cbuf, csize) != Z_OK) {
            ret = -EIO;
        } else if (out < s->grain_bytes) {
            memset(grain + out, 0, s->grain_bytes - out);
        }
    }
    free(cbuf);
    return ret;
}

int vmdk_stream_write_grain(BlockDriverState *bs, uint64_t lba, const uint8_t *grain,
                            size_t len, uint64_t *sector)
{
    uLongf clen = compressBound(len);
    uint8_t *cbuf = xmalloc(clen);
    int ret = compress2(cbuf, &clen, grain, len, Z_DEFAULT_COMPRESSION) == Z_OK ? 0 : -EIO;
    if (ret == 0) {
        ret = vmdk_stream_append(bs, lba, cbuf, clen, sector);
    }
    free(cbuf);
    return ret;
}

int vmdk_stream_append(BlockDriverState *bs, uint64_t lba, const uint8_t *cdata, size_t clen,
                       uint64_t *sector)
{
    VmdkState *s = bs->opaque;
    size_t total = ROUND_UP(12 + clen, SECTOR);
    uint8_t *buf = xzalloc(total);
    le64_put(buf, lba);
    le32_put(buf + 8, (uint32_t)clen);
    memcpy(buf + 12, cdata, clen);
    int ret = block_file_pwrite(bs->file, s->stream_next, buf, total);
    free(buf);
    if (ret == 0) {
        *sector = s->stream_next / SECTOR;
        s->stream_next += total;
        s->stream_dirty = true;
    }
    return ret;
}

static int write_marked(BlockFile *f, uint64_t *pos, uint32_t type, const uint8_t *data,
                        uint64_t sectors)
{
    uint8_t m[SECTOR];
    marker_encode(m, sectors, type);
    int ret = block_file_pwrite(f, *pos, m, SECTOR);
    if (ret == 0 && sectors) {
        ret = block_file_pwrite(f, *pos + SECTOR, data, sectors * SECTOR);
    }
    *pos += SECTOR * (1 + sectors);
    return ret;
}

/* Grain directory (gd: sector offsets of tables), footer and end-of-stream at *pos. */
static int write_trailer(BlockFile *f, uint64_t *pos, const VmdkHeader *hdr,
                         const uint32_t *gd, uint32_t gd_entries)
{
    uint64_t gd_sectors = DIV_ROUND_UP((uint64_t)gd_entries * 4, SECTOR);
    uint8_t *raw = xzalloc(gd_sectors * SECTOR);
    uint8_t footer[SECTOR], eos[SECTOR];
    for (uint32_t i = 0; i < gd_entries; i++) {
        le32_put(raw + 4 * i, gd[i]);
    }
    VmdkHeader h = *hdr;
    h.gd_offset = *pos / SECTOR + 1;
    int ret = write_marked(f, pos, VMDK_MARKER_GD, raw, gd_sectors);
    free(raw);
    vmdk_header_encode(&h, footer);
    if (ret == 0) {
        ret = write_marked(f, pos, VMDK_MARKER_FOOTER, footer, 1);
    }
    marker_encode(eos, 0, VMDK_MARKER_EOS);
    if (ret == 0) {
        ret = block_file_pwrite(f, *pos, eos, SECTOR);
        *pos += SECTOR;
    }
    return ret;
}

int vmdk_stream_finish(BlockDriverState *bs)
{
    VmdkState *s = bs->opaque;
    uint64_t pos = s->stream_next;
    uint8_t raw[VMDK_GTES_PER_GT * 4];
    int ret = 0;
    if (!s->stream_dirty) {
        return 0;
    }
    uint32_t *gd = xzalloc((size_t)s->gd_entries * 4 + 4);
    for (uint32_t i = 0; i < s->gd_entries && ret == 0; i++) {
        if (!s->gt[i]) {
            continue;
        }
        for (uint32_t j = 0; j < VMDK_GTES_PER_GT; j++) {
            le32_put(raw + 4 * j, s->gt[i][j]);
        }
        gd[i] = (uint32_t)(pos / SECTOR + 1);
        ret = write_marked(bs->file, &pos, VMDK_MARKER_GT, raw, sizeof(raw) / SECTOR);
    }
    if (ret == 0) {
        ret = write_trailer(bs->file, &pos, &s->h, gd, s->gd_entries);
    }
    if (ret == 0) {
        ret = block_file_truncate(bs->file, pos, BLOCK_PREALLOC_OFF, NULL);
    }
    free(gd);
    if (ret == 0) {
        s->stream_dirty = false;
    }
    return ret;
}

int vmdk_stream_create(BlockFile *f, const VmdkHeader *h, const char *desc)
{
    uint64_t pos = h->overhead * SECTOR;
    size_t head_len = pos;
    uint8_t *head = xzalloc(head_len);
    uint32_t gd_entries = (uint32_t)DIV_ROUND_UP(h->capacity, h->grain_size * VMDK_GTES_PER_GT);
    uint32_t *gd = xzalloc((size_t)gd_entries * 4 + 4);
    vmdk_header_encode(h, head);
    memcpy(head + h->desc_offset * SECTOR, desc, strlen(desc));
    int ret = block_file_pwrite(f, 0, head, head_len);
    if (ret == 0) {
        ret = write_trailer(f, &pos, h, gd, gd_entries);
    }
    free(head);
    free(gd);
    return ret;
}
