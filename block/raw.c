/* raw image format: the disk is the file (or host block device) byte for byte; sparse
 * files via SEEK_DATA/SEEK_HOLE (lseek(2)), preallocation via fallocate(2). */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "block/block_int.h"
#include "util/cutils.h"

/* A probed raw image must not turn into another format: a write that makes the first
 * sector probe as something else is refused (docs/block.md, "Probing"). */
static int check_probed_first_sector(BlockDriverState *bs, uint64_t offset, const void *buf,
                                     size_t bytes)
{
    if (!bs->probed || offset >= BLOCK_SECTOR_SIZE) {
        return 0;
    }
    uint8_t sector[BLOCK_SECTOR_SIZE];
    int ret = block_file_pread(bs->file, 0, sector, sizeof(sector));
    if (ret < 0) {
        return ret;
    }
    memcpy(sector + offset, buf, MIN(bytes, BLOCK_SECTOR_SIZE - offset));
    const BlockDriver *drv = block_probe_buffer(sector, sizeof(sector), bs->filename);
    if (drv) {
        error_report("'%s': refusing a write that would make this probed raw image look "
                     "like %s (open it with format=raw to allow it)", bs->filename,
                     drv->format_name);
        return -EPERM;
    }
    return 0;
}

static int raw_open(BlockDriverState *bs, Error **errp)
{
    int64_t len = block_file_length(bs->file);
    if (len < 0) {
        error_setg_errno(errp, (int)-len, "cannot get the size of '%s'", bs->filename);
        return -1;
    }
    return 0;
}

static int raw_read(BlockDriverState *bs, uint64_t offset, void *buf, size_t bytes)
{
    return block_file_pread(bs->file, offset, buf, bytes);
}

static int raw_write(BlockDriverState *bs, uint64_t offset, const void *buf, size_t bytes)
{
    int ret = check_probed_first_sector(bs, offset, buf, bytes);
    return ret < 0 ? ret : block_file_pwrite(bs->file, offset, buf, bytes);
}

static int raw_write_zeroes(BlockDriverState *bs, uint64_t offset, uint64_t bytes, int flags)
{
    return block_file_write_zeroes(bs->file, offset, bytes, flags & BLOCK_ZERO_MAY_UNMAP);
}

static int raw_discard(BlockDriverState *bs, uint64_t offset, uint64_t bytes)
{
    return block_file_discard(bs->file, offset, bytes);
}

static int raw_flush(BlockDriverState *bs)
{
    return block_file_flush(bs->file);
}

static int64_t raw_length(BlockDriverState *bs)
{
    return block_file_length(bs->file);
}

static int raw_truncate(BlockDriverState *bs, uint64_t size, bool shrink, BlockPrealloc prealloc,
                        Error **errp)
{
    if (prealloc == BLOCK_PREALLOC_METADATA) {
        error_setg(errp, "raw images have no metadata to preallocate");
        return -ENOTSUP;
    }
    return block_file_truncate(bs->file, size, prealloc, errp);
}

static int raw_block_status(BlockDriverState *bs, uint64_t offset, uint64_t bytes,
                            uint64_t *pnum, uint64_t *map)
{
    int ret = block_file_status(bs->file, offset, bytes, pnum);
    if (map) {
        *map = offset;
    }
    return ret < 0 ? ret : ret | BLOCK_STATUS_ALLOCATED | BLOCK_STATUS_OFFSET_VALID;
}

static int raw_create(const char *filename, BlockCreateOptions *opts, Error **errp)
{
    if (opts->prealloc == BLOCK_PREALLOC_METADATA) {
        error_setg(errp, "raw images have no metadata to preallocate");
        return -ENOTSUP;
    }
    BlockFile *f;
    if (block_file_create(filename, &f, errp) < 0) {
        return -EIO;
    }
    int ret = block_file_truncate(f, opts->size, opts->prealloc, errp);
    if (ret == 0) {
        ret = block_file_flush(f);
        if (ret < 0) {
            error_setg_errno(errp, -ret, "cannot flush '%s'", filename);
        }
    }
    block_file_close(f);
    return ret;
}

static const BlockCreateOptionDesc raw_create_options[] = {
    { "preallocation", "Preallocation mode (allowed values: off, falloc, full)" },
    { NULL, NULL },
};

static const BlockDriver raw_driver = {
    .format_name = "raw",
    .open = raw_open,
    .read = raw_read,
    .write = raw_write,
    .write_zeroes = raw_write_zeroes,
    .discard = raw_discard,
    .flush = raw_flush,
    .length = raw_length,
    .truncate = raw_truncate,
    .block_status = raw_block_status,
    .create = raw_create,
    .create_options = raw_create_options,
};

static void __attribute__((constructor)) raw_register(void)
{
    block_driver_register(&raw_driver);
}
