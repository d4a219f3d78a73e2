/* Block driver interface: what an image format driver implements and the host-file helpers
 * it builds on. Drivers register themselves from a constructor. docs/block.md */
#ifndef BLOCK_BLOCK_INT_H
#define BLOCK_BLOCK_INT_H

#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>
#include "block/block.h"

/* ---- host files ----
 * Every driver reads and writes its image through a BlockFile. Offsets and lengths may be
 * unaligned even with cache=none (O_DIRECT): the file layer uses aligned bounce buffers. */
typedef struct BlockFile {
    int fd;
    char *filename;
    bool read_only;
    bool direct;            /* O_DIRECT: requests go through aligned bounce buffers */
    bool is_device;         /* host block device: no truncate, length from BLKGETSIZE64 */
    BlockCacheMode cache;
    size_t align;           /* request alignment the host needs (1, or 4096 with O_DIRECT) */
    dev_t st_dev;           /* identity, for backing loop detection */
    ino_t st_ino;
    bool locked;            /* holds image lock bytes (block/file-lock.c) */
} BlockFile;

/* Image locking (QEMU-compatible lock bytes, block/file-lock.c): takes the locks for perm
 * (what this user does, BLOCK_PERM_*) and for the permissions it does not share, then
 * checks that no other user conflicts; on a conflict nothing stays locked and *errp says
 * 'Failed to get "write" lock' as QEMU. locking=auto skips files that cannot be locked. */
int block_file_set_perm(BlockFile *f, BlockLocking mode, unsigned perm, unsigned shared,
                        Error **errp);
void block_file_release_locks(BlockFile *f);
/* Locks a file of node bs (its image file, or one the driver opens, such as a vmdk extent)
 * with the permissions the node needs (docs/block.md "Image locking"). */
int block_node_lock_file(BlockDriverState *bs, BlockFile *f, Error **errp);

/* Opens an existing file or device. */
int block_file_open(const char *filename, bool read_only, BlockCacheMode cache,
                    BlockFile **out, Error **errp);
/* Creates (or truncates to zero) a regular file and opens it read-write, writeback. */
int block_file_create(const char *filename, BlockFile **out, Error **errp);
void block_file_close(BlockFile *f);
/* Whole-buffer I/O: short reads past end-of-file fill zeros; 0 or -errno. */
int block_file_pread(BlockFile *f, uint64_t offset, void *buf, size_t len);
int block_file_pwrite(BlockFile *f, uint64_t offset, const void *buf, size_t len);
/* fdatasync, unless cache=unsafe. */
int block_file_flush(BlockFile *f);
int64_t block_file_length(BlockFile *f);
int64_t block_file_allocated_size(BlockFile *f);
int block_file_truncate(BlockFile *f, uint64_t size, BlockPrealloc prealloc, Error **errp);
/* Allocates host blocks for the holes of [offset, offset+len) without changing data:
 * falloc reserves them (fallocate), full writes zeros into them. */
int block_file_preallocate(BlockFile *f, uint64_t offset, uint64_t len, BlockPrealloc mode);
/* Makes the range read zeros, deallocating it when possible. */
int block_file_write_zeroes(BlockFile *f, uint64_t offset, uint64_t len, bool may_unmap);
/* Deallocates the range if the host can (punch hole); the content becomes zeros. */
int block_file_discard(BlockFile *f, uint64_t offset, uint64_t len);
/* SEEK_DATA/SEEK_HOLE: BLOCK_STATUS_DATA or BLOCK_STATUS_ZERO for *pnum bytes. */
int block_file_status(BlockFile *f, uint64_t offset, uint64_t bytes, uint64_t *pnum);

/* Test-only fault injection: called before every write, truncate and flush reaching a
 * host file. Return 0 to perform it, 1 to drop it silently (report success), or -errno
 * to fail it. NULL disables. One process-wide hook (a registry of one). */
typedef enum BlockFileOp { BLOCK_FILE_WRITE, BLOCK_FILE_TRUNCATE, BLOCK_FILE_FLUSH,
                           BLOCK_FILE_DISCARD } BlockFileOp;
typedef int BlockFileFaultHook(void *opaque, BlockFile *f, BlockFileOp op, uint64_t offset,
                               uint64_t len);
void block_file_set_fault_hook(BlockFileFaultHook *hook, void *opaque);

/* ---- nodes ---- */
struct BlockDriverState {
    const BlockDriver *drv;
    void *opaque;               /* driver state, drv->instance_size bytes, zeroed */
    BlockFile *file;            /* the image file (opened by the core before drv->open) */
    char *filename;
    char *format;
    bool read_only;
    bool probed;                /* format not given: probed as drv */
    bool check_mode;            /* BlockOpenOptions.check */
    BlockCacheMode cache;
    int depth;                  /* 0 for the top node, +1 per backing level */
    /* image locking: the user's permissions on this node (BLOCK_PERM_*) and its options */
    unsigned user_perm, user_shared;
    BlockLocking locking;
    bool force_share;

    /* backing, as recorded in the image by drv->open (both may stay NULL) */
    char *backing_file;
    char *backing_format;
    char *full_backing_filename;    /* resolved against the image's directory */
    BlockDriverState *backing;      /* opened by the core after drv->open */

    pthread_mutex_t lock;       /* serializes driver calls on this node */
};

/* Create-option description for -o help and for drivers to list what they accept. */
typedef struct BlockCreateOptionDesc {
    const char *name;
    const char *help;
} BlockCreateOptionDesc;

/* An image format driver. Every callback is called with bs->lock held, on any thread, one
 * at a time per node. Offsets/lengths passed to read/write/status are within the virtual
 * size (the core checks). Unset optional callbacks give -ENOTSUP. Return 0 or -errno. */
struct BlockDriver {
    const char *format_name;
    size_t instance_size;
    /* Score 1..100 that buf (the first buf_len bytes of the file, at least 512 or the whole
     * file) is this format, 0 if not. Raw has no probe: it is the fallback. */
    int (*probe)(const uint8_t *buf, size_t buf_len, const char *filename);
    /* Reads and validates the headers from bs->file; sets bs->backing_file/backing_format
     * (xstrdup) if the image names one. bs->read_only is already set. */
    int (*open)(BlockDriverState *bs, Error **errp);
    /* Writes back caches and clean state (dirty bit) if writable; frees the driver state. */
    void (*close)(BlockDriverState *bs);
    /* Optional: drops the image locks of files the driver opened itself (vmdk extents). */
    void (*release_locks)(BlockDriverState *bs);
    /* Reads [offset, offset+bytes); unallocated parts come from bs->backing (block_pread)
     * or zeros. */
    int (*read)(BlockDriverState *bs, uint64_t offset, void *buf, size_t bytes);
    int (*write)(BlockDriverState *bs, uint64_t offset, const void *buf, size_t bytes);
    /* Optional; the core falls back to writing zero buffers. */
    int (*write_zeroes)(BlockDriverState *bs, uint64_t offset, uint64_t bytes, int flags);
    /* Optional: whole clusters (see block_pwrite_compressed). */
    int (*write_compressed)(BlockDriverState *bs, uint64_t offset, const void *buf,
                            size_t bytes);
    int (*discard)(BlockDriverState *bs, uint64_t offset, uint64_t bytes);
    /* Makes every completed write durable: metadata, then block_file_flush(bs->file). */
    int (*flush)(BlockDriverState *bs);
    int64_t (*length)(BlockDriverState *bs);
    int (*truncate)(BlockDriverState *bs, uint64_t size, bool shrink, BlockPrealloc prealloc,
                    Error **errp);
    /* See block_status(). Returns flags; must set *pnum >= 1. */
    int (*block_status)(BlockDriverState *bs, uint64_t offset, uint64_t bytes, uint64_t *pnum,
                        uint64_t *map);
    /* Creates the image file; opts->size already resolved, backing checked by the core. */
    int (*create)(const char *filename, BlockCreateOptions *opts, Error **errp);
    const BlockCreateOptionDesc *create_options;   /* NULL-terminated, or NULL */
    bool supports_backing;
    /* Optional: cluster size, dirty/corrupt flags and format-specific fields. */
    int (*get_info)(BlockDriverState *bs, BlockImageInfo *info);
    int (*change_backing_file)(BlockDriverState *bs, const char *backing_file,
                               const char *backing_fmt, Error **errp);
    int (*make_empty)(BlockDriverState *bs, Error **errp);
    int (*snapshot_list)(BlockDriverState *bs, BlockSnapshotInfo **list, Error **errp);
    int (*snapshot_create)(BlockDriverState *bs, const BlockSnapshotInfo *sn, Error **errp);
    int (*snapshot_apply)(BlockDriverState *bs, const char *id_or_name, Error **errp);
    int (*snapshot_delete)(BlockDriverState *bs, const char *id_or_name, Error **errp);
    int (*check)(BlockDriverState *bs, BlockCheckResult *res, int fix);
    int (*amend)(BlockDriverState *bs, KeyValList *opts, Error **errp);
};

/* Called from a driver's constructor:
 *   static void __attribute__((constructor)) vdi_register(void)
 *   { block_driver_register(&vdi_driver); } */
void block_driver_register(const BlockDriver *drv);

/* The registered driver whose probe scores buf highest, or NULL (raw). */
const BlockDriver *block_probe_buffer(const uint8_t *buf, size_t len, const char *filename);

/* Helpers for drivers. */
/* Reads from the backing node if there is one, else zeros; clips reads past the backing
 * node's end to zeros (a shorter backing file reads as zeros past its end). */
int block_read_backing(BlockDriverState *bs, uint64_t offset, void *buf, size_t bytes);
/* True when every byte of buf is zero. */
bool block_buffer_is_zero(const void *buf, size_t len);
/* Parses compat strings: returns 2 ("0.10", "v2"), 3 ("1.1", "v3") or -1. */
int block_parse_compat(const char *compat);

#endif
