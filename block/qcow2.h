/* qcow2 driver internals, shared by block/qcow2*.c. Format: QEMU's qcow2 specification
 * (docs/interop/qcow2.txt), versions 2 and 3. */
#ifndef BLOCK_QCOW2_H
#define BLOCK_QCOW2_H

#include <stdbool.h>
#include <stdint.h>
#include "block/block_int.h"

#define QCOW2_MAGIC 0x514649fbu              /* "QFI\xfb" */
#define QCOW2_V2_HEADER_LEN 72
#define QCOW2_V3_HEADER_LEN 112               /* with compression_type and padding */
#define QCOW2_MIN_CLUSTER_BITS 9
#define QCOW2_MAX_CLUSTER_BITS 21
#define QCOW2_MAX_L1_BYTES (32u << 20)
#define QCOW2_MAX_REFTABLE_BYTES (8u << 20)
#define QCOW2_MAX_SNAPSHOTS 65536
#define QCOW2_MAX_SNAPSHOT_TABLE (64u << 20)
#define QCOW2_MAX_SNAPSHOT_EXTRA 1024
#define QCOW2_MAX_BACKING_NAME 1023
#define QCOW2_MAX_EXTENSIONS 64

/* incompatible / compatible feature bits */
#define QCOW2_INCOMPAT_DIRTY       (1ull << 0)
#define QCOW2_INCOMPAT_CORRUPT     (1ull << 1)
#define QCOW2_INCOMPAT_DATA_FILE   (1ull << 2)
#define QCOW2_INCOMPAT_COMPRESSION (1ull << 3)
#define QCOW2_INCOMPAT_EXTL2       (1ull << 4)
#define QCOW2_INCOMPAT_KNOWN       (QCOW2_INCOMPAT_DIRTY | QCOW2_INCOMPAT_CORRUPT)
#define QCOW2_COMPAT_LAZY_REFCOUNTS (1ull << 0)

/* header extensions */
#define QCOW2_EXT_END 0
#define QCOW2_EXT_BACKING_FORMAT 0xe2792acau
#define QCOW2_EXT_FEATURE_TABLE  0x6803f857u

/* L1/L2 entries */
#define QCOW2_OFLAG_COPIED     (1ull << 63)
#define QCOW2_OFLAG_COMPRESSED (1ull << 62)
#define QCOW2_OFLAG_ZERO       1ull
#define QCOW2_L1_OFFSET_MASK   0x00fffffffffffe00ull
#define QCOW2_L2_OFFSET_MASK   0x00fffffffffffe00ull

typedef enum Qcow2ClusterType {
    QCOW2_CLUSTER_UNALLOCATED,
    QCOW2_CLUSTER_ZERO_PLAIN,       /* zero flag, no host cluster */
    QCOW2_CLUSTER_ZERO_ALLOC,       /* zero flag with a preallocated host cluster */
    QCOW2_CLUSTER_NORMAL,
    QCOW2_CLUSTER_COMPRESSED,
} Qcow2ClusterType;

typedef struct Qcow2Extension {
    uint32_t type;
    uint32_t len;
    uint8_t *data;
} Qcow2Extension;

typedef struct Qcow2Snapshot {
    uint64_t l1_offset;
    uint32_t l1_size;
    char *id;
    char *name;
    uint32_t date_sec, date_nsec;
    uint64_t vm_clock_nsec;
    uint64_t vm_state_size;
    uint64_t disk_size;
    uint64_t icount;
    uint32_t extra_size;            /* extra data kept as read (at least 24 bytes written) */
    uint8_t *extra;
} Qcow2Snapshot;

/* One cached metadata cluster (L2 table or refcount block), kept as on disk. */
typedef struct Qcow2CacheEntry {
    uint64_t offset;                /* 0: empty slot */
    uint8_t *data;
    uint64_t lru;
    bool dirty;                     /* only refcount blocks with lazy refcounts */
} Qcow2CacheEntry;

typedef struct Qcow2Cache {
    Qcow2CacheEntry *entries;
    int n;
    uint64_t tick;
} Qcow2Cache;

typedef struct Qcow2State {
    /* header */
    uint32_t version;
    uint32_t cluster_bits;
    uint32_t cluster_size;
    uint64_t size;
    uint64_t incompat, compat, autoclear;
    uint32_t header_length;
    uint32_t refcount_order;
    uint32_t refcount_bits;
    uint64_t refcount_max;
    uint64_t backing_offset;
    uint32_t backing_size;
    /* L1 */
    uint32_t l1_size;
    uint64_t l1_offset;
    uint64_t *l1;                   /* host byte order */
    uint32_t l2_entries;            /* entries per L2 table */
    /* refcounts */
    uint64_t rt_offset;
    uint32_t rt_clusters;
    uint64_t rt_entries;
    uint64_t *rt;                   /* host byte order */
    uint64_t rb_entries;            /* refcounts per block */
    uint64_t free_hint;             /* first cluster index that may be free */
    uint64_t alloc_end;             /* past the highest cluster allocated in this session */
    /* snapshots */
    uint32_t nb_snapshots;
    uint64_t snapshots_offset;
    Qcow2Snapshot *snapshots;
    uint64_t snapshots_size;        /* bytes of the table on disk */
    bool quiet;                     /* check: no per-cluster messages (automatic repair) */
    /* extensions kept for rewriting cluster 0 */
    Qcow2Extension *ext;
    int n_ext;
    /* caches */
    Qcow2Cache l2_cache;
    Qcow2Cache rb_cache;
    /* compressed writes: partially filled host cluster */
    uint64_t comp_offset;           /* next free byte, 0: none */
    /* state */
    bool lazy_refcounts;
    bool corrupt;                   /* found corrupt at run time or by the header bit */
    uint32_t csize_shift;           /* compressed descriptor: sector count position */
    uint64_t csize_mask;
    uint64_t coffset_mask;
} Qcow2State;

static inline Qcow2State *qcow2_state(BlockDriverState *bs)
{
    return bs->opaque;
}

static inline uint64_t qcow2_offset_into_cluster(Qcow2State *s, uint64_t off)
{
    return off & (s->cluster_size - 1);
}

static inline uint64_t qcow2_round_up(Qcow2State *s, uint64_t off)
{
    return (off + s->cluster_size - 1) & ~(uint64_t)(s->cluster_size - 1);
}

/* big-endian helpers */
uint16_t qcow2_be16(const uint8_t *p);
uint32_t qcow2_be32(const uint8_t *p);
uint64_t qcow2_be64(const uint8_t *p);
void qcow2_put_be16(uint8_t *p, uint16_t v);
void qcow2_put_be32(uint8_t *p, uint32_t v);
void qcow2_put_be64(uint8_t *p, uint64_t v);

/* qcow2.c: header */
int qcow2_write_header(BlockDriverState *bs);
int qcow2_write_incompat(BlockDriverState *bs, uint64_t incompat);
/* Marks the image corrupt (v3 bit; an error line) and makes it refuse further writes. */
int qcow2_signal_corruption(BlockDriverState *bs, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
void qcow2_init_geometry(Qcow2State *s);

/* qcow2-cache.c */
void qcow2_cache_init(Qcow2Cache *c, int n);
void qcow2_cache_free(Qcow2Cache *c);
/* Returns the cached cluster at offset (read if needed) or NULL with *ret. */
uint8_t *qcow2_cache_get(BlockDriverState *bs, Qcow2Cache *c, uint64_t offset, int *ret);
/* Installs a new cluster's content without reading (after it was written). */
void qcow2_cache_put_new(BlockDriverState *bs, Qcow2Cache *c, uint64_t offset,
                         const uint8_t *data);
int qcow2_cache_flush(BlockDriverState *bs, Qcow2Cache *c);
void qcow2_cache_drop(Qcow2Cache *c, uint64_t offset);
void qcow2_cache_clear(Qcow2Cache *c);
void qcow2_cache_mark_dirty(Qcow2Cache *c, const uint8_t *data);

/* qcow2-refcount.c */
int qcow2_read_refcount_table(BlockDriverState *bs, Error **errp);
uint64_t qcow2_refcount_get_raw(const uint8_t *block, uint64_t index, uint32_t order);
void qcow2_refcount_set_raw(uint8_t *block, uint64_t index, uint32_t order, uint64_t value);
/* Refcount of host cluster index (0 if no refcount block covers it), or -errno. */
int qcow2_get_refcount(BlockDriverState *bs, uint64_t cluster, uint64_t *refcount);
/* Adds addend to the refcounts of the clusters covering [offset, offset+len). */
int qcow2_update_refcount(BlockDriverState *bs, uint64_t offset, uint64_t len, int64_t addend);
/* Allocates n contiguous free clusters (refcount 1); returns the host offset or -errno. */
int64_t qcow2_alloc_clusters(BlockDriverState *bs, uint64_t n);
/* Allocates bytes for compressed data (refcounted per host cluster touched). */
int64_t qcow2_alloc_bytes(BlockDriverState *bs, uint32_t size);
int qcow2_free_clusters(BlockDriverState *bs, uint64_t offset, uint64_t len);
/* Frees whatever host clusters an L2 entry references. */
int qcow2_free_l2_entry(BlockDriverState *bs, uint64_t entry);
int qcow2_refcount_flush(BlockDriverState *bs);
/* Places a complete new refcount structure (table + blocks) past end_cluster describing
 * refs[0..n_refs) and switches the header to it. Used by repair. */
int qcow2_rebuild_refcounts(BlockDriverState *bs, uint64_t *refs, uint64_t n_refs);

/* qcow2-cluster.c */
Qcow2ClusterType qcow2_entry_type(Qcow2State *s, uint64_t l2_entry);
int qcow2_read(BlockDriverState *bs, uint64_t offset, void *buf, size_t bytes);
int qcow2_write(BlockDriverState *bs, uint64_t offset, const void *buf, size_t bytes);
int qcow2_write_zeroes(BlockDriverState *bs, uint64_t offset, uint64_t bytes, int flags);
int qcow2_discard(BlockDriverState *bs, uint64_t offset, uint64_t bytes);
int qcow2_block_status(BlockDriverState *bs, uint64_t offset, uint64_t bytes, uint64_t *pnum,
                       uint64_t *map);
/* Stores clen bytes of deflated cluster data for cluster-aligned guest offset: allocates
 * host bytes, writes them, points the L2 entry there and frees the old mapping. */
int qcow2_store_compressed(BlockDriverState *bs, uint64_t offset, const uint8_t *out,
                           size_t clen);
int qcow2_write_compressed(BlockDriverState *bs, uint64_t offset, const void *buf,
                           size_t bytes);
/* Reads the L2 entry for a guest offset (0 when no L2 table). */
int qcow2_get_l2_entry(BlockDriverState *bs, uint64_t offset, uint64_t *entry);
/* Grows the active L1 table to at least min_size entries. */
int qcow2_grow_l1(BlockDriverState *bs, uint64_t min_size);
int qcow2_write_l1_entry(BlockDriverState *bs, uint32_t index);
/* Preallocates data clusters for [0, size) (metadata preallocation). */
int qcow2_preallocate(BlockDriverState *bs, uint64_t start, uint64_t end);
int qcow2_shrink_clusters(BlockDriverState *bs, uint64_t new_size);
int qcow2_make_empty(BlockDriverState *bs, Error **errp);

/* qcow2-compress.c */
/* Returns the compressed size (< len) or 0 when it does not pay off. */
size_t qcow2_compress(uint8_t *dst, size_t dst_len, const uint8_t *src, size_t len);
int qcow2_decompress(uint8_t *dst, size_t dst_len, const uint8_t *src, size_t src_len);

/* qcow2-snapshot.c */
int qcow2_read_snapshots(BlockDriverState *bs, Error **errp);
void qcow2_free_snapshots(Qcow2State *s);
int qcow2_snapshot_list(BlockDriverState *bs, BlockSnapshotInfo **list, Error **errp);
int qcow2_snapshot_create(BlockDriverState *bs, const BlockSnapshotInfo *sn, Error **errp);
int qcow2_snapshot_apply(BlockDriverState *bs, const char *id_or_name, Error **errp);
int qcow2_snapshot_delete(BlockDriverState *bs, const char *id_or_name, Error **errp);
/* Adds addend to the refcount of every L2 table and data cluster of an L1 table and
 * sets (addend 0: recomputes) the COPIED flags. */
int qcow2_update_l1_refcounts(BlockDriverState *bs, uint64_t l1_offset, uint32_t l1_size,
                              int addend);

/* Sets COPIED on the active tables exactly where the refcount is 1. */
int qcow2_fix_copied_flags(BlockDriverState *bs);

/* qcow2-check.c */
int qcow2_check(BlockDriverState *bs, BlockCheckResult *res, int fix);

#endif
