/* Public block layer API: opening disk images (raw, qcow2, vdi, vmdk, vpc) as nodes with
 * backing chains, synchronous and asynchronous I/O, create/info/check/snapshots. docs/block.md */
#ifndef BLOCK_BLOCK_H
#define BLOCK_BLOCK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include "util/error.h"
#include "util/keyval.h"

#define BLOCK_SECTOR_SIZE 512
/* Longest backing chain followed before reporting an error (also stops loops early). */
#define BLOCK_MAX_CHAIN_DEPTH 64
/* Upper bound on any virtual disk size the layer accepts (64 TiB... 2^56 bytes). */
#define BLOCK_MAX_IMAGE_SIZE (1ULL << 56)

typedef struct BlockDriverState BlockDriverState;
typedef struct BlockDriver BlockDriver;

/* cache= modes with the flush semantics their names promise:
 *   writeback:    host page cache, the guest's flush -> fdatasync
 *   writethrough: host page cache, every write is followed by fdatasync
 *   none:         O_DIRECT (aligned bounce buffers), flush -> fdatasync
 *   directsync:   O_DIRECT and fdatasync after every write
 *   unsafe:       host page cache, flushes ignored */
typedef enum BlockCacheMode {
    BLOCK_CACHE_WRITEBACK,
    BLOCK_CACHE_WRITETHROUGH,
    BLOCK_CACHE_NONE,
    BLOCK_CACHE_DIRECTSYNC,
    BLOCK_CACHE_UNSAFE,
} BlockCacheMode;

/* Parses "writeback", "none", ...; -1 with *errp on an unknown name. */
int block_cache_mode_parse(const char *name, BlockCacheMode *out, Error **errp);
const char *block_cache_mode_name(BlockCacheMode mode);

/* file.locking=auto|on|off (auto: lock where the host supports OFD locks). */
typedef enum BlockLocking { BLOCK_LOCKING_AUTO, BLOCK_LOCKING_ON, BLOCK_LOCKING_OFF } BlockLocking;
int block_locking_parse(const char *name, BlockLocking *out, Error **errp);

/* Permissions of image locking, QEMU's bits (lock bytes 100+bit held, 200+bit denied). */
#define BLOCK_PERM_CONSISTENT_READ  0x1
#define BLOCK_PERM_WRITE            0x2
#define BLOCK_PERM_WRITE_UNCHANGED  0x4
#define BLOCK_PERM_RESIZE           0x8
#define BLOCK_PERM_ALL              0xf

typedef struct BlockOpenOptions {
    const char *format;     /* driver name; NULL probes the format (raw: warning + guard) */
    bool read_only;
    BlockCacheMode cache;   /* default (zero) is writeback */
    bool snapshot;          /* -snapshot: writes go to a temporary qcow2 overlay in $TMPDIR */
    bool no_backing;        /* do not open the backing file (info, rebase -u) */
    bool check;             /* opened for check/repair: corrupt images open (read-write if
                             * !read_only) and dirty images are not auto-repaired */
    /* Image locking (docs/block.md): the user's permissions are read, write if writable,
     * resize with resize=true; it shares everything (a guest device narrows that with
     * block_set_perm). Format drivers other than raw also deny others write and resize of
     * their files, as QEMU's do. force_share (-U) denies nothing (read-only only). */
    bool resize;
    bool force_share;
    BlockLocking locking;
} BlockOpenOptions;

/* Opens filename. Backing files named by the image are opened read-only, with the format
 * recorded in the image (backing_fmt) or probed; relative names are resolved against the
 * directory of the image naming them; loops and chains deeper than BLOCK_MAX_CHAIN_DEPTH
 * are errors. opts may be NULL (probe, read-write, writeback). */
BlockDriverState *block_open(const char *filename, const BlockOpenOptions *opts, Error **errp);
/* Changes what the user of the top node does and lets others do (BLOCK_PERM_* masks), e.g.
 * a guest disk attaching a drive: read|write, sharing all but write. Rechecks the locks;
 * -1 with *errp ('Failed to get "write" lock') and the old permissions kept on a conflict. */
int block_set_perm(BlockDriverState *bs, unsigned perm, unsigned shared, Error **errp);
/* Drops every image lock of bs and its chain (they stay open): the same process is about to
 * open one of these images again for writing (QEMU reopens the node instead). */
void block_release_locks(BlockDriverState *bs);
/* Flushes (unless cache=unsafe... a flush error is reported) and closes the whole chain. */
void block_close(BlockDriverState *bs);

/* Synchronous I/O in bytes. Requests may be unaligned and of any size; reads past the end of
 * the image fail with -EINVAL. Return 0 or -errno. Thread-safe per node (a mutex). */
int block_pread(BlockDriverState *bs, uint64_t offset, void *buf, size_t bytes);
int block_pwrite(BlockDriverState *bs, uint64_t offset, const void *buf, size_t bytes);
#define BLOCK_ZERO_MAY_UNMAP 1  /* the range may be deallocated (it must still read zeros) */
int block_pwrite_zeroes(BlockDriverState *bs, uint64_t offset, uint64_t bytes, int flags);
/* Writes whole clusters compressed (qcow2, vmdk streamOptimized); offset and bytes must be
 * multiples of block_get_cluster_size(); the last cluster of the image may be partial.
 * -ENOTSUP when the format cannot compress. */
int block_pwrite_compressed(BlockDriverState *bs, uint64_t offset, const void *buf,
                            size_t bytes);
int block_discard(BlockDriverState *bs, uint64_t offset, uint64_t bytes);
int block_flush(BlockDriverState *bs);
/* Virtual disk size in bytes, or -errno. */
int64_t block_length(BlockDriverState *bs);
/* Bytes the image uses on the host (st_blocks), or -errno. */
int64_t block_allocated_size(BlockDriverState *bs);

typedef enum BlockPrealloc {
    BLOCK_PREALLOC_OFF,
    BLOCK_PREALLOC_METADATA,
    BLOCK_PREALLOC_FALLOC,
    BLOCK_PREALLOC_FULL,
} BlockPrealloc;
int block_prealloc_parse(const char *name, BlockPrealloc *out, Error **errp);
const char *block_prealloc_name(BlockPrealloc p);

/* Resizes the virtual disk. Shrinking needs shrink=true (data past the end is lost). */
int block_truncate(BlockDriverState *bs, uint64_t size, bool shrink, BlockPrealloc prealloc,
                   Error **errp);

/* ---- allocation status (map, sparse convert) ---- */
#define BLOCK_STATUS_DATA         0x01  /* the range reads data stored somewhere */
#define BLOCK_STATUS_ZERO         0x02  /* the range reads as zeros */
#define BLOCK_STATUS_ALLOCATED    0x04  /* this node decides the content (not its backing) */
#define BLOCK_STATUS_OFFSET_VALID 0x08  /* *map is the host offset of the data in the file */
#define BLOCK_STATUS_COMPRESSED   0x10

/* Status of this node alone for [offset, offset+bytes): returns the flags (>= 0) that hold
 * for *pnum bytes (1 <= *pnum <= bytes) or -errno. Unallocated ranges return neither DATA
 * nor ALLOCATED (reads go to the backing file, or zeros without one). map may be NULL. */
int block_status(BlockDriverState *bs, uint64_t offset, uint64_t bytes, uint64_t *pnum,
                 uint64_t *map);
/* Status through the backing chain down to (not including) base (NULL: whole chain).
 * *depth gets the index of the node that decided (0 = bs) or -1 if no node did (zeros). */
int block_status_chain(BlockDriverState *bs, BlockDriverState *base, uint64_t offset,
                       uint64_t bytes, uint64_t *pnum, uint64_t *map, int *depth);

/* ---- information ---- */
typedef enum BlockInfoType { BLOCK_INFO_STR, BLOCK_INFO_INT, BLOCK_INFO_BOOL } BlockInfoType;
/* One format-specific field as qemu-img info prints it ("compat": "1.1", "refcount-bits": 16). */
typedef struct BlockInfoField {
    char key[32];
    BlockInfoType type;
    char str[64];
    int64_t num;        /* INT value, or BOOL (0/1) */
} BlockInfoField;

#define BLOCK_INFO_MAX_FIELDS 16
typedef struct BlockImageInfo {
    const char *filename;           /* borrowed from bs */
    const char *format;
    uint64_t virtual_size;
    int64_t actual_size;            /* -1 if unknown */
    uint32_t cluster_size;          /* 0 if the format has no clusters */
    bool dirty;
    bool corrupt;
    const char *backing_filename;   /* as stored in the image, or NULL */
    const char *full_backing_filename;
    const char *backing_format;     /* as stored in the image, or NULL */
    int n_specific;
    BlockInfoField specific[BLOCK_INFO_MAX_FIELDS];
} BlockImageInfo;
int block_get_info(BlockDriverState *bs, BlockImageInfo *info);

const char *block_get_filename(BlockDriverState *bs);
const char *block_get_format(BlockDriverState *bs);
uint32_t block_get_cluster_size(BlockDriverState *bs);
bool block_is_read_only(BlockDriverState *bs);
BlockDriverState *block_get_backing(BlockDriverState *bs);
/* Rewrites the backing file name recorded in the image (rebase, commit). backing_file NULL
 * removes it. Does not open or close any node. */
int block_change_backing_file(BlockDriverState *bs, const char *backing_file,
                              const char *backing_fmt, Error **errp);
/* Replaces the opened backing node (the old one is closed). bs takes ownership. */
void block_set_backing(BlockDriverState *bs, BlockDriverState *backing);
/* Writes what top's chain holds above base_ro (a node of that chain) into base_ro's image,
 * opened again for writing (the chain's locks on it are dropped first); grows the base to
 * top's size if smaller; flushes. progress may be NULL. 0, or -1 with *errp. */
typedef void BlockProgressFn(void *opaque, uint64_t done, uint64_t total);
int block_commit(BlockDriverState *top, BlockDriverState *base_ro, BlockProgressFn *progress,
                 void *opaque, Error **errp);
/* Deallocates every cluster of bs so that it reads from its backing (commit). -ENOTSUP. */
int block_make_empty(BlockDriverState *bs, Error **errp);

/* ---- create ---- */
typedef struct BlockCreateOptions {
    uint64_t size;              /* 0 with backing_file: size of the backing file */
    const char *backing_file;
    const char *backing_fmt;
    uint64_t cluster_size;      /* 0: driver default */
    const char *compat;         /* qcow2: "0.10" or "1.1" (also "v2"/"v3"); NULL: 1.1 */
    BlockPrealloc prealloc;
    bool lazy_refcounts;
    int refcount_bits;          /* qcow2: 1..64, power of two; 0: 16 */
    const char *subformat;      /* vmdk/vpc/vdi variants */
    KeyValList *extra;          /* further -o keys; drivers keyval_get() the ones they use */
} BlockCreateOptions;

/* Fills opts from "-o" keys (size, backing_file, backing_fmt, cluster_size, compat,
 * preallocation, lazy_refcounts, refcount_bits, subformat); kv stays referenced in extra. */
int block_create_options_parse(KeyValList *kv, BlockCreateOptions *opts, Error **errp);
/* Creates filename in format. Reports unused keys of opts->extra as errors. */
int block_create(const char *format, const char *filename, BlockCreateOptions *opts,
                 Error **errp);

/* ---- drivers ---- */
/* Looks up a registered driver by name; NULL if unknown. */
const BlockDriver *block_driver_find(const char *format);
/* Calls fn for each registered driver name (for --help). */
void block_driver_foreach(void (*fn)(const char *name, void *opaque), void *opaque);
/* Probes the first bytes of filename; returns the driver name or NULL (raw). */
const char *block_probe_format(const char *filename, Error **errp);
bool block_driver_can_create(const char *format);
bool block_driver_supports_backing(const char *format);
/* Prints "-o" options the format's create accepts (name and help), one per line. */
void block_driver_print_create_options(const char *format, FILE *out);

/* ---- internal snapshots ---- */
typedef struct BlockSnapshotInfo {
    char *id;                   /* "1", "2"... */
    char *name;
    uint64_t vm_state_size;
    uint32_t date_sec;          /* wall clock time of creation */
    uint32_t date_nsec;
    uint64_t vm_clock_nsec;     /* guest clock at creation */
    uint64_t disk_size;         /* virtual size when taken */
    uint64_t icount;            /* instruction count, or UINT64_MAX if not recorded */
} BlockSnapshotInfo;

/* Returns the number of snapshots (>= 0) with *list (free with block_snapshot_list_free),
 * or -errno. */
int block_snapshot_list(BlockDriverState *bs, BlockSnapshotInfo **list, Error **errp);
void block_snapshot_list_free(BlockSnapshotInfo *list, int count);
/* Creates a snapshot named sn->name (sn->id NULL: next free id; date and vm fields kept). */
int block_snapshot_create(BlockDriverState *bs, const BlockSnapshotInfo *sn, Error **errp);
/* id_or_name matches an id first, then a name. */
int block_snapshot_apply(BlockDriverState *bs, const char *id_or_name, Error **errp);
int block_snapshot_delete(BlockDriverState *bs, const char *id_or_name, Error **errp);

/* ---- check / repair ---- */
#define BLOCK_FIX_LEAKS  1
#define BLOCK_FIX_ERRORS 2
typedef struct BlockCheckResult {
    int64_t corruptions;
    int64_t leaks;
    int64_t check_errors;       /* I/O or internal errors that stopped the check */
    int64_t corruptions_fixed;
    int64_t leaks_fixed;
    int64_t image_end_offset;   /* 0: unknown */
    uint64_t total_clusters;    /* 0: the format has no cluster statistics */
    uint64_t allocated_clusters;
    uint64_t fragmented_clusters;
    uint64_t compressed_clusters;
} BlockCheckResult;

/* Checks (and with fix != 0 repairs) the image; problems are printed on stderr as found
 * ("ERROR ...", "Leaked cluster ..."). Returns 0, or -ENOTSUP if the format cannot check,
 * or -errno if the check could not complete (res->check_errors also counts it). */
int block_check(BlockDriverState *bs, BlockCheckResult *res, int fix);
/* qemu-img check's report and exit code (0 ok, 1 check error, 2 corrupt, 3 leaks only). */
void block_check_print_text(const BlockCheckResult *res, const char *filename, int fix,
                            FILE *out);
void block_check_print_json(const BlockCheckResult *res, const char *filename,
                            const char *format, FILE *out);
int block_check_exit_code(const BlockCheckResult *res);

/* Changes image options in place (qcow2: compat, lazy_refcounts). -ENOTSUP if unsupported. */
int block_amend(BlockDriverState *bs, KeyValList *opts, Error **errp);

/* ---- asynchronous I/O ----
 * Requests run on a pool of worker threads (docs/block.md says why); completions are
 * delivered on the thread that owns the main loop: through a bottom half once
 * block_aio_attach_main_loop() was called, otherwise by block_aio_poll()/block_aio_wait_all().
 * buf must stay valid until the callback runs. */
typedef void BlockCompletionFunc(void *opaque, int ret);

void block_aio_pread(BlockDriverState *bs, uint64_t offset, void *buf, size_t bytes,
                     BlockCompletionFunc *cb, void *opaque);
void block_aio_pwrite(BlockDriverState *bs, uint64_t offset, const void *buf, size_t bytes,
                      BlockCompletionFunc *cb, void *opaque);
void block_aio_flush(BlockDriverState *bs, BlockCompletionFunc *cb, void *opaque);
void block_aio_discard(BlockDriverState *bs, uint64_t offset, uint64_t bytes,
                       BlockCompletionFunc *cb, void *opaque);
void block_aio_pwrite_zeroes(BlockDriverState *bs, uint64_t offset, uint64_t bytes, int flags,
                             BlockCompletionFunc *cb, void *opaque);
/* Delivers completions through bh_new()/bh_schedule() (main loop must be initialized).
 * Returns -ENOSYS when the program has no main loop linked in. */
int block_aio_attach_main_loop(void);
/* Runs callbacks of finished requests; blocking waits for at least one if any is in
 * flight. Returns the number of callbacks run. */
int block_aio_poll(bool blocking);
/* Waits until no request is in flight, running their callbacks. */
void block_aio_wait_all(void);
/* Number of requests submitted whose callback has not run yet. */
int block_aio_in_flight(void);

#endif
