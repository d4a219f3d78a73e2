/* Creating VMDK images (VMware "Virtual Disk Format 1.1"): monolithicSparse (header,
 * embedded descriptor, grain directory and every grain table preallocated),
 * monolithicFlat (descriptor + "-flat" extent) and an empty streamOptimized stream. */
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include "block/fmt-endian.h"
#include "block/vmdk-int.h"
#include "util/cutils.h"
#include "util/error.h"

#define SECTOR 512u
#define DESC_OFFSET 1u
#define DESC_SECTORS 20u

int vmdk_create_image(const char *filename, BlockCreateOptions *opts, Error **errp);

static const char *base_name(const char *path)
{
    const char *slash = strrchr(path, '/');
    return slash ? slash + 1 : path;
}

static int finish_file(BlockFile *f, int ret, const char *filename, Error **errp)
{
    if (ret == 0) {
        ret = block_file_flush(f);
    }
    if (ret < 0 && errp && !*errp) {
        error_setg_errno(errp, -ret, "cannot write '%s'", filename);
    }
    block_file_close(f);
    return ret;
}

static int create_flat(const char *filename, uint64_t sectors, BlockPrealloc prealloc,
                       Error **errp)
{
    size_t n = strlen(filename);
    if (n > 5 && !strcmp(filename + n - 5, ".vmdk")) {
        n -= 5;
    }
    char *extent = xasprintf("%.*s-flat.vmdk", (int)n, filename);
    char *desc = vmdk_descriptor_build("monolithicFlat", (uint32_t)random(), "FLAT",
                                       base_name(extent), sectors);
    BlockFile *f;
    int ret = block_file_create(extent, &f, errp);
    if (ret == 0) {
        ret = finish_file(f, block_file_truncate(f, sectors * SECTOR, prealloc, errp), extent,
                          errp);
    }
    if (ret == 0 && (ret = block_file_create(filename, &f, errp)) == 0) {
        ret = finish_file(f, block_file_pwrite(f, 0, desc, strlen(desc)), filename, errp);
    }
    free(extent);
    free(desc);
    return ret;
}

static void sparse_header(VmdkHeader *h, uint64_t sectors, uint64_t grain, bool stream)
{
    uint64_t gts = DIV_ROUND_UP(sectors, grain * VMDK_GTES_PER_GT);
    uint64_t gd_sectors = DIV_ROUND_UP(gts * 4, SECTOR);
    memset(h, 0, sizeof(*h));
    h->version = stream ? 3 : 1;
    h->flags = VMDK_FLAG_NL_TEST | (stream ? VMDK_FLAG_COMPRESSED | VMDK_FLAG_MARKERS : 0);
    h->capacity = sectors;
    h->grain_size = grain;
    h->desc_offset = DESC_OFFSET;
    h->desc_size = DESC_SECTORS;
    h->gtes_per_gt = VMDK_GTES_PER_GT;
    h->compress = stream ? 1 : 0;
    if (stream) {
        h->gd_offset = VMDK_GD_AT_END;
        h->overhead = ROUND_UP(DESC_OFFSET + DESC_SECTORS, grain);
    } else {
        h->gd_offset = DESC_OFFSET + DESC_SECTORS;
        h->overhead = ROUND_UP(h->gd_offset + gd_sectors + gts * 4, grain);
    }
}

/* Header, descriptor, grain directory and zeroed tables, up to the first grain. */
static int write_sparse_metadata(BlockFile *f, const VmdkHeader *h, const char *desc)
{
    size_t len = h->overhead * SECTOR;
    uint8_t *buf = xzalloc(len);
    uint64_t gts = DIV_ROUND_UP(h->capacity, h->grain_size * VMDK_GTES_PER_GT);
    uint64_t gt_start = h->gd_offset + DIV_ROUND_UP(gts * 4, SECTOR);
    vmdk_header_encode(h, buf);
    memcpy(buf + h->desc_offset * SECTOR, desc, strlen(desc));
    for (uint64_t i = 0; i < gts; i++) {
        le32_put(buf + h->gd_offset * SECTOR + 4 * i, (uint32_t)(gt_start + i * 4));
    }
    int ret = block_file_pwrite(f, 0, buf, len);
    free(buf);
    return ret;
}

static int create_sparse(const char *filename, uint64_t sectors, uint64_t grain, bool stream,
                         Error **errp)
{
    VmdkHeader h;
    BlockFile *f;
    sparse_header(&h, sectors, grain, stream);
    if (!stream && h.overhead + sectors > UINT32_MAX) {
        error_setg(errp, "VMDK sparse extents are limited to 2 TiB");
        return -EFBIG;
    }
    char *desc = vmdk_descriptor_build(stream ? "streamOptimized" : "monolithicSparse",
                                       (uint32_t)random(), "SPARSE", base_name(filename),
                                       sectors);
    if (strlen(desc) >= DESC_SECTORS * SECTOR) {
        free(desc);
        error_setg(errp, "VMDK descriptor too long (file name?)");
        return -EINVAL;
    }
    int ret = block_file_create(filename, &f, errp);
    if (ret == 0) {
        ret = stream ? vmdk_stream_create(f, &h, desc) : write_sparse_metadata(f, &h, desc);
        ret = finish_file(f, ret, filename, errp);
    }
    free(desc);
    return ret;
}

int vmdk_create_image(const char *filename, BlockCreateOptions *opts, Error **errp)
{
    const char *sub = opts->subformat ? opts->subformat : "monolithicSparse";
    uint64_t sectors = DIV_ROUND_UP(opts->size, SECTOR);
    uint64_t grain = opts->cluster_size ? opts->cluster_size / SECTOR : 128;
    if (opts->extra) {
        const char *adapter = keyval_get(opts->extra, "adapter_type");
        keyval_get(opts->extra, "hwversion");
        keyval_get(opts->extra, "compat6");
        keyval_get(opts->extra, "zeroed_grain");
        if (adapter && strcmp(adapter, "ide")) {
            error_setg(errp, "unsupported VMDK adapter_type '%s' (ide)", adapter);
            return -EINVAL;
        }
    }
    if (grain < 1 || grain > 2048 || (grain & (grain - 1)) || opts->cluster_size % SECTOR) {
        error_setg(errp, "invalid VMDK grain size %" PRIu64 " (512 B to 1 MiB, power of 2)",
                   opts->cluster_size);
        return -EINVAL;
    }
    if (sectors == 0) {
        error_setg(errp, "VMDK images need a size");
        return -EINVAL;
    }
    if (!strcmp(sub, "monolithicFlat")) {
        return create_flat(filename, sectors, opts->prealloc, errp);
    }
    if (!strcmp(sub, "monolithicSparse") || !strcmp(sub, "streamOptimized")) {
        return create_sparse(filename, sectors, grain, !strcmp(sub, "streamOptimized"), errp);
    }
    error_setg(errp, "unsupported VMDK subformat '%s' (monolithicSparse, monolithicFlat, "
               "streamOptimized)", sub);
    return -ENOTSUP;
}
