/* qcow2 refcounts: refcount table and blocks of any width (refcount_order 0..6), cluster
 * allocation, table growth and the full rebuild used by repair. qcow2 specification. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "block/qcow2.h"
#include "util/cutils.h"

#define RT_ENTRY_MASK 0xfffffffffffffe00ull

/* ---- raw refcount entries: sub-byte widths are packed from the low bits of a byte ---- */

uint64_t qcow2_refcount_get_raw(const uint8_t *block, uint64_t index, uint32_t order)
{
    switch (order) {
    case 0: case 1: case 2: {
        uint32_t bits = 1u << order, per_byte = 8 >> order;
        return (block[index / per_byte] >> (bits * (index % per_byte))) & ((1u << bits) - 1);
    }
    case 3:
        return block[index];
    case 4:
        return qcow2_be16(block + index * 2);
    case 5:
        return qcow2_be32(block + index * 4);
    default:
        return qcow2_be64(block + index * 8);
    }
}

void qcow2_refcount_set_raw(uint8_t *block, uint64_t index, uint32_t order, uint64_t value)
{
    switch (order) {
    case 0: case 1: case 2: {
        uint32_t bits = 1u << order, per_byte = 8 >> order;
        uint32_t shift = bits * (index % per_byte), mask = ((1u << bits) - 1) << shift;
        uint8_t *b = &block[index / per_byte];
        *b = (uint8_t)((*b & ~mask) | ((value << shift) & mask));
        break;
    }
    case 3:
        block[index] = (uint8_t)value;
        break;
    case 4:
        qcow2_put_be16(block + index * 2, (uint16_t)value);
        break;
    case 5:
        qcow2_put_be32(block + index * 4, (uint32_t)value);
        break;
    default:
        qcow2_put_be64(block + index * 8, value);
        break;
    }
}

/* byte range of the entries [first, last] inside a block */
static void entry_bytes(Qcow2State *s, uint64_t first, uint64_t last, uint64_t *start,
                        uint64_t *len)
{
    *start = (first << s->refcount_order) / 8;
    uint64_t end = ((last + 1) << s->refcount_order);
    *len = (end + 7) / 8 - *start;
}

/* ---- table ---- */

int qcow2_read_refcount_table(BlockDriverState *bs, Error **errp)
{
    Qcow2State *s = qcow2_state(bs);
    size_t bytes = (size_t)s->rt_clusters << s->cluster_bits;
    uint8_t *raw = xmalloc(bytes);
    int ret = block_file_pread(bs->file, s->rt_offset, raw, bytes);
    if (ret < 0) {
        error_setg_errno(errp, -ret, "qcow2: cannot read the refcount table");
        free(raw);
        return -1;
    }
    s->rt_entries = bytes / 8;
    s->rt = xmalloc(bytes);
    for (uint64_t i = 0; i < s->rt_entries; i++) {
        s->rt[i] = qcow2_be64(raw + i * 8);
    }
    free(raw);
    return 0;
}

static int64_t file_end_cluster(BlockDriverState *bs)
{
    Qcow2State *s = qcow2_state(bs);
    int64_t len = block_file_length(bs->file);
    return len < 0 ? len : (int64_t)(qcow2_round_up(s, (uint64_t)len) >> s->cluster_bits);
}

/* Loads refcount block rt_index (NULL with *ret = 0 if it does not exist). */
static uint8_t *load_block(BlockDriverState *bs, uint64_t rt_index, int *ret)
{
    Qcow2State *s = qcow2_state(bs);
    *ret = 0;
    if (rt_index >= s->rt_entries || !(s->rt[rt_index] & RT_ENTRY_MASK)) {
        return NULL;
    }
    uint64_t off = s->rt[rt_index] & RT_ENTRY_MASK;
    if (qcow2_offset_into_cluster(s, off) || off > (1ull << 56)) {
        *ret = qcow2_signal_corruption(bs, "refcount block %llu at invalid offset 0x%llx",
                                       (unsigned long long)rt_index, (unsigned long long)off);
        return NULL;
    }
    return qcow2_cache_get(bs, &s->rb_cache, off, ret);
}

int qcow2_get_refcount(BlockDriverState *bs, uint64_t cluster, uint64_t *refcount)
{
    Qcow2State *s = qcow2_state(bs);
    int ret;
    uint8_t *block = load_block(bs, cluster / s->rb_entries, &ret);
    *refcount = block ? qcow2_refcount_get_raw(block, cluster % s->rb_entries,
                                               s->refcount_order) : 0;
    return ret;
}

static int write_rt_entry(BlockDriverState *bs, uint64_t index, uint64_t value)
{
    Qcow2State *s = qcow2_state(bs);
    uint8_t buf[8];
    qcow2_put_be64(buf, value);
    int ret = block_file_pwrite(bs->file, s->rt_offset + index * 8, buf, 8);
    if (ret == 0) {
        s->rt[index] = value;
    }
    return ret;
}

static int grow_table(BlockDriverState *bs, uint64_t min_entries);

static bool block_exists(Qcow2State *s, uint64_t r)
{
    return r < s->rt_entries && (s->rt[r] & RT_ENTRY_MASK);
}

/* Creates the missing refcount blocks for the clusters [first, first+n), placed right after
 * that range (blocks for the ranges they land in included); each block counts the new
 * blocks it covers. -EAGAIN after growing the refcount table (the caller searches again),
 * -EBUSY with *busy when the place after the range is taken. */
static int create_blocks_after(BlockDriverState *bs, uint64_t first, uint64_t n,
                               uint64_t *busy)
{
    Qcow2State *s = qcow2_state(bs);
    uint64_t area = first + n, k = 0, last_r = (first + n - 1) / s->rb_entries;
    for (uint64_t r = first / s->rb_entries; r <= last_r; r++) {
        k += !block_exists(s, r);
    }
    if (k == 0) {
        return 0;
    }
    for (int iter = 0; iter < 64; iter++) {     /* blocks for the ranges the area reaches */
        uint64_t k2 = 0;
        for (uint64_t r = first / s->rb_entries; r <= (area + k - 1) / s->rb_entries; r++) {
            k2 += !block_exists(s, r);
        }
        if (k2 == k) {
            break;
        }
        k = k2;
    }
    uint64_t max_r = (area + k - 1) / s->rb_entries;
    if (max_r >= s->rt_entries) {
        int ret = grow_table(bs, max_r + 1);
        return ret < 0 ? ret : -EAGAIN;
    }
    for (uint64_t c = area; c < area + k; c++) {
        uint64_t rc;
        int ret = qcow2_get_refcount(bs, c, &rc);
        if (ret < 0) {
            return ret;
        }
        if (rc) {
            *busy = c;
            return -EBUSY;
        }
    }
    uint8_t *block = xmalloc(s->cluster_size);
    uint64_t next = area;
    int ret = 0;
    for (uint64_t r = first / s->rb_entries; r <= max_r && ret == 0; r++) {
        if (block_exists(s, r)) {
            continue;
        }
        uint64_t base = r * s->rb_entries;
        memset(block, 0, s->cluster_size);
        for (uint64_t c = MAX(area, base); c < area + k && c < base + s->rb_entries; c++) {
            qcow2_refcount_set_raw(block, c - base, s->refcount_order, 1);
        }
        uint64_t off = next++ << s->cluster_bits;
        ret = block_file_pwrite(bs->file, off, block, s->cluster_size);
        ret = ret < 0 ? ret : write_rt_entry(bs, r, off);
        if (ret == 0) {
            qcow2_cache_put_new(bs, &s->rb_cache, off, block);
            s->alloc_end = MAX(s->alloc_end, next);
        }
    }
    free(block);
    return ret;
}

static int create_block(BlockDriverState *bs, uint64_t rt_index)
{
    Qcow2State *s = qcow2_state(bs);
    for (int tries = 0; tries < 64; tries++) {
        uint64_t busy;
        int ret = create_blocks_after(bs, rt_index * s->rb_entries, 1, &busy);
        if (ret != -EAGAIN) {
            return ret == -EBUSY ? qcow2_signal_corruption(bs, "no room for refcount block "
                                                           "%llu", (unsigned long long)rt_index)
                                 : ret;
        }
    }
    return -EIO;
}

static int mark_dirty_for_lazy(BlockDriverState *bs)
{
    Qcow2State *s = qcow2_state(bs);
    if (s->incompat & QCOW2_INCOMPAT_DIRTY) {
        return 0;
    }
    int ret = qcow2_write_incompat(bs, s->incompat | QCOW2_INCOMPAT_DIRTY);
    return ret < 0 ? ret : block_file_flush(bs->file);
}

/* Changes the refcounts of clusters [first, last] all inside one refcount block. */
static int update_in_block(BlockDriverState *bs, uint64_t first, uint64_t last,
                           int64_t addend, bool may_create)
{
    Qcow2State *s = qcow2_state(bs);
    uint64_t rt_index = first / s->rb_entries;
    int ret;
    uint8_t *block = load_block(bs, rt_index, &ret);
    if (!block && ret == 0 && may_create && addend > 0) {
        ret = create_block(bs, rt_index);
        block = ret < 0 ? NULL : load_block(bs, rt_index, &ret);
    }
    if (!block) {
        return ret < 0 ? ret : qcow2_signal_corruption(bs, "cluster %llu has no refcount "
                                                       "block", (unsigned long long)first);
    }
    uint64_t base = rt_index * s->rb_entries;
    for (uint64_t c = first; c <= last; c++) {
        uint64_t old = qcow2_refcount_get_raw(block, c - base, s->refcount_order);
        if (addend > 0 && s->refcount_max - old < (uint64_t)addend) {
            if (!s->quiet) {
                error_report("qcow2: refcount of cluster %llu would exceed %llu "
                             "(refcount_bits=%u)", (unsigned long long)c,
                             (unsigned long long)s->refcount_max, s->refcount_bits);
            }
            return -ERANGE;
        }
        if (addend < 0 && old < (uint64_t)-addend) {
            return qcow2_signal_corruption(bs, "refcount of cluster %llu would become "
                                           "%lld%+lld", (unsigned long long)c,
                                           (long long)old, (long long)addend);
        }
    }
    for (uint64_t c = first; c <= last; c++) {
        uint64_t old = qcow2_refcount_get_raw(block, c - base, s->refcount_order);
        qcow2_refcount_set_raw(block, c - base, s->refcount_order, old + addend);
        if (old + addend == 0) {
            s->free_hint = MIN(s->free_hint, c);
            qcow2_cache_drop(&s->l2_cache, c << s->cluster_bits);
        }
        if (addend > 0) {
            s->alloc_end = MAX(s->alloc_end, c + 1);
        }
    }
    if (s->lazy_refcounts && !bs->check_mode) {
        qcow2_cache_mark_dirty(&s->rb_cache, block);
        return mark_dirty_for_lazy(bs);
    }
    uint64_t start, len;
    entry_bytes(s, first - base, last - base, &start, &len);
    return block_file_pwrite(bs->file, (s->rt[rt_index] & RT_ENTRY_MASK) + start,
                             block + start, len);
}

static int update_range(BlockDriverState *bs, uint64_t offset, uint64_t len, int64_t addend,
                        bool may_create)
{
    Qcow2State *s = qcow2_state(bs);
    if (len == 0) {
        return 0;
    }
    uint64_t first = offset >> s->cluster_bits;
    uint64_t last = (offset + len - 1) >> s->cluster_bits;
    while (first <= last) {
        uint64_t block_last = (first / s->rb_entries + 1) * s->rb_entries - 1;
        uint64_t stop = MIN(last, block_last);
        int ret = update_in_block(bs, first, stop, addend, may_create);
        if (ret < 0) {
            return ret;
        }
        first = stop + 1;
    }
    return 0;
}

int qcow2_update_refcount(BlockDriverState *bs, uint64_t offset, uint64_t len, int64_t addend)
{
    return update_range(bs, offset, len, addend, true);
}

int qcow2_free_clusters(BlockDriverState *bs, uint64_t offset, uint64_t len)
{
    return update_range(bs, offset, len, -1, false);
}

int qcow2_free_l2_entry(BlockDriverState *bs, uint64_t entry)
{
    Qcow2State *s = qcow2_state(bs);
    switch (qcow2_entry_type(s, entry)) {
    case QCOW2_CLUSTER_NORMAL:
    case QCOW2_CLUSTER_ZERO_ALLOC:
        return qcow2_free_clusters(bs, entry & QCOW2_L2_OFFSET_MASK, s->cluster_size);
    case QCOW2_CLUSTER_COMPRESSED: {
        uint64_t off = entry & s->coffset_mask;
        uint64_t sectors = ((entry >> s->csize_shift) & s->csize_mask) + 1;
        return qcow2_free_clusters(bs, off & ~511ull, sectors * 512);
    }
    default:
        return 0;
    }
}

/* ---- allocation ---- */

static int range_is_free(BlockDriverState *bs, uint64_t first, uint64_t n, uint64_t *busy)
{
    for (uint64_t c = first; c < first + n; c++) {
        uint64_t rc;
        int ret = qcow2_get_refcount(bs, c, &rc);
        if (ret < 0) {
            return ret;
        }
        if (rc || c == 0) {
            *busy = c;
            return 0;
        }
    }
    return 1;
}

int64_t qcow2_alloc_clusters(BlockDriverState *bs, uint64_t n)
{
    Qcow2State *s = qcow2_state(bs);
    uint64_t c = MAX(s->free_hint, 1);
    if (n == 0 || n > (1ull << 30)) {
        return -EINVAL;
    }
    for (int tries = 0; tries < 1000000; tries++) {
        if ((c + n) << s->cluster_bits > (1ull << 56)) {
            return -ENOSPC;
        }
        uint64_t busy = 0;
        int ret = range_is_free(bs, c, n, &busy);
        if (ret < 0) {
            return ret;
        }
        if (ret == 0) {
            if (c == MAX(s->free_hint, 1) && n == 1) {
                s->free_hint = busy + 1;
            }
            c = busy + 1;
            continue;
        }
        ret = create_blocks_after(bs, c, n, &busy);
        if (ret == -EAGAIN) {
            c = MAX(s->free_hint, 1);       /* the table moved: search again */
            continue;
        }
        if (ret == -EBUSY) {
            c = busy + 1;
            continue;
        }
        if (ret < 0) {
            return ret;
        }
        ret = qcow2_update_refcount(bs, c << s->cluster_bits, n << s->cluster_bits, 1);
        if (ret < 0) {
            return ret;
        }
        return (int64_t)(c << s->cluster_bits);
    }
    return -ENOSPC;
}

int64_t qcow2_alloc_bytes(BlockDriverState *bs, uint32_t size)
{
    Qcow2State *s = qcow2_state(bs);
    uint64_t off = s->comp_offset;
    int ret;
    if (off && qcow2_offset_into_cluster(s, off) && s->refcount_max > 1) {
        uint64_t room = s->cluster_size - qcow2_offset_into_cluster(s, off);
        uint64_t rc;
        ret = qcow2_get_refcount(bs, off >> s->cluster_bits, &rc);
        if (ret < 0) {
            return ret;
        }
        if (rc >= 1 && rc < s->refcount_max) {
            if (size <= room) {
                ret = qcow2_update_refcount(bs, off, 1, 1);
                if (ret < 0) {
                    return ret;
                }
                s->comp_offset = off + size;
                return (int64_t)off;
            }
            uint64_t next = (off >> s->cluster_bits) + 1, busy;
            ret = range_is_free(bs, next, 1, &busy);
            if (ret < 0) {
                return ret;
            }
            if (ret == 1 && (ret = create_blocks_after(bs, next, 1, &busy)) == 0 &&
                range_is_free(bs, next, 1, &busy) == 1) {
                ret = qcow2_update_refcount(bs, next << s->cluster_bits, 1, 1);
                ret = ret < 0 ? ret : qcow2_update_refcount(bs, off, 1, 1);
                if (ret < 0) {
                    return ret;
                }
                s->comp_offset = off + size;
                return (int64_t)off;
            }
        }
    }
    int64_t c = qcow2_alloc_clusters(bs, 1);
    if (c < 0) {
        return c;
    }
    s->comp_offset = (uint64_t)c + size;
    return c;
}

int qcow2_refcount_flush(BlockDriverState *bs)
{
    return qcow2_cache_flush(bs, &qcow2_state(bs)->rb_cache);
}

/* ---- new refcount areas: table growth and rebuild ----
 * A new table of k clusters and m new refcount blocks are placed in one run of clusters
 * starting at `start`; the blocks describe the run itself. The layout is iterated until k
 * and m no longer change. */

typedef struct RtArea {
    uint64_t start;
    uint64_t k;             /* table clusters */
    uint64_t entries;       /* table entries (k clusters worth) */
    uint64_t m;             /* new blocks */
    uint64_t *block_rt;     /* rt index of each new block */
} RtArea;

/* needs(r): true when rt index r must get a new block (besides those covering the run). */
typedef bool RtNeedsBlock(void *ctx, uint64_t r, const RtArea *a);

static int layout_area(Qcow2State *s, RtArea *a, uint64_t min_entries, RtNeedsBlock *needs,
                       void *ctx)
{
    uint64_t per_cluster = s->cluster_size / 8;
    a->k = 1;
    a->m = 0;
    for (int iter = 0; iter < 64; iter++) {
        uint64_t end = a->start + a->k + a->m;
        uint64_t n_rt = (end + s->rb_entries - 1) / s->rb_entries;
        uint64_t entries = MAX(min_entries, n_rt);
        uint64_t k = (entries + per_cluster - 1) / per_cluster;
        if ((k << s->cluster_bits) > QCOW2_MAX_REFTABLE_BYTES) {
            return -EFBIG;
        }
        uint64_t m = 0;
        for (uint64_t r = 0; r < n_rt; r++) {
            m += needs(ctx, r, a);
        }
        if (k == a->k && m == a->m) {
            a->entries = k * per_cluster;
            a->block_rt = xmalloc(sizeof(uint64_t) * MAX(m, 1));
            uint64_t j = 0;
            for (uint64_t r = 0; r < n_rt; r++) {
                if (needs(ctx, r, a)) {
                    a->block_rt[j++] = r;
                }
            }
            return 0;
        }
        a->k = k;
        a->m = m;
    }
    return -EIO;
}

static bool area_overlaps(Qcow2State *s, uint64_t r, const RtArea *a)
{
    uint64_t first = r * s->rb_entries, last = first + s->rb_entries - 1;
    uint64_t end = a->start + a->k + a->m;
    return first < end && last >= a->start;
}

static bool grow_needs(void *ctx, uint64_t r, const RtArea *a)
{
    Qcow2State *s = ctx;
    bool exists = r < s->rt_entries && (s->rt[r] & RT_ENTRY_MASK);
    return !exists && area_overlaps(s, r, a);
}

/* Builds block contents for the new blocks of the area and the table (existing entries
 * copied from old_rt). */
static void fill_area(Qcow2State *s, const RtArea *a, uint8_t *blocks, uint8_t *table,
                      const uint64_t *old_rt, uint64_t old_entries, const uint64_t *refs,
                      uint64_t n_refs)
{
    uint64_t end = a->start + a->k + a->m;
    for (uint64_t i = 0; i < old_entries && i < a->entries; i++) {
        qcow2_put_be64(table + i * 8, old_rt[i]);
    }
    for (uint64_t j = 0; j < a->m; j++) {
        uint64_t r = a->block_rt[j], base = r * s->rb_entries;
        uint8_t *b = blocks + (j << s->cluster_bits);
        qcow2_put_be64(table + r * 8, (a->start + a->k + j) << s->cluster_bits);
        for (uint64_t i = 0; i < s->rb_entries; i++) {
            uint64_t c = base + i;
            uint64_t v = c < n_refs && refs ? refs[c] : 0;
            if (c >= a->start && c < end) {
                v = 1;
            }
            if (v) {
                qcow2_refcount_set_raw(b, i, s->refcount_order, MIN(v, s->refcount_max));
            }
        }
    }
}

/* Writes blocks and table of the area, then switches the header to the new table. */
static int write_area(BlockDriverState *bs, const RtArea *a, const uint8_t *blocks,
                      const uint8_t *table)
{
    Qcow2State *s = qcow2_state(bs);
    uint64_t table_off = a->start << s->cluster_bits;
    int ret = 0;
    if (a->m) {
        ret = block_file_pwrite(bs->file, table_off + (a->k << s->cluster_bits), blocks,
                                a->m << s->cluster_bits);
    }
    if (ret == 0) {
        ret = block_file_pwrite(bs->file, table_off, table, a->k << s->cluster_bits);
    }
    if (ret < 0) {
        return ret;
    }
    uint8_t hdr[12];
    qcow2_put_be64(hdr, table_off);
    qcow2_put_be32(hdr + 8, (uint32_t)a->k);
    return block_file_pwrite(bs->file, 48, hdr, sizeof(hdr));
}

static void install_table(Qcow2State *s, const RtArea *a, const uint8_t *table)
{
    free(s->rt);
    s->rt_offset = a->start << s->cluster_bits;
    s->rt_clusters = (uint32_t)a->k;
    s->rt_entries = a->entries;
    s->rt = xmalloc(a->entries * 8);
    for (uint64_t i = 0; i < a->entries; i++) {
        s->rt[i] = qcow2_be64(table + i * 8);
    }
}

/* Run clusters counted by blocks that already exist get their refcount in place. */
static int count_area_in_old_blocks(BlockDriverState *bs, const RtArea *a)
{
    Qcow2State *s = qcow2_state(bs);
    uint64_t end = a->start + a->k + a->m;
    for (uint64_t c = a->start; c < end; c++) {
        uint64_t r = c / s->rb_entries;
        if (r < s->rt_entries && (s->rt[r] & RT_ENTRY_MASK)) {
            int ret = update_in_block(bs, c, c, 1, false);
            if (ret < 0) {
                return ret;
            }
        }
    }
    return 0;
}

static int grow_table(BlockDriverState *bs, uint64_t min_entries)
{
    Qcow2State *s = qcow2_state(bs);
    int64_t end = file_end_cluster(bs);
    if (end < 0) {
        return (int)end;
    }
    RtArea a = { .start = MAX((uint64_t)end, s->alloc_end) };
    int ret = layout_area(s, &a, MAX(min_entries, s->rt_entries * 2), grow_needs, s);
    if (ret < 0) {
        return ret == -EFBIG ? qcow2_signal_corruption(bs, "refcount table would exceed "
                                                       "%u bytes", QCOW2_MAX_REFTABLE_BYTES)
                             : ret;
    }
    uint8_t *blocks = xzalloc(MAX(a.m, 1) << s->cluster_bits);
    uint8_t *table = xzalloc(a.k << s->cluster_bits);
    uint64_t old_off = s->rt_offset, old_clusters = s->rt_clusters;
    fill_area(s, &a, blocks, table, s->rt, s->rt_entries, NULL, 0);
    ret = count_area_in_old_blocks(bs, &a);
    if (ret == 0) {
        ret = write_area(bs, &a, blocks, table);
    }
    if (ret == 0) {
        install_table(s, &a, table);
        ret = qcow2_free_clusters(bs, old_off, old_clusters << s->cluster_bits);
    }
    free(blocks);
    free(table);
    free(a.block_rt);
    return ret;
}

typedef struct RebuildCtx {
    Qcow2State *s;
    const uint64_t *refs;
    uint64_t n_refs;
} RebuildCtx;

static bool rebuild_needs(void *opaque, uint64_t r, const RtArea *a)
{
    RebuildCtx *ctx = opaque;
    Qcow2State *s = ctx->s;
    if (area_overlaps(s, r, a)) {
        return true;
    }
    uint64_t first = r * s->rb_entries;
    for (uint64_t c = first; c < first + s->rb_entries && c < ctx->n_refs; c++) {
        if (ctx->refs[c]) {
            return true;
        }
    }
    return false;
}

int qcow2_rebuild_refcounts(BlockDriverState *bs, uint64_t *refs, uint64_t n_refs)
{
    Qcow2State *s = qcow2_state(bs);
    int64_t end = file_end_cluster(bs);
    if (end < 0) {
        return (int)end;
    }
    RebuildCtx ctx = { s, refs, n_refs };
    RtArea a = { .start = MAX(MAX((uint64_t)end, n_refs), s->alloc_end) };
    int ret = qcow2_refcount_flush(bs);
    if (ret == 0) {
        ret = layout_area(s, &a, 1, rebuild_needs, &ctx);
    }
    if (ret < 0) {
        return ret;
    }
    uint8_t *blocks = xzalloc(MAX(a.m, 1) << s->cluster_bits);
    uint8_t *table = xzalloc(a.k << s->cluster_bits);
    fill_area(s, &a, blocks, table, NULL, 0, refs, n_refs);
    ret = write_area(bs, &a, blocks, table);
    if (ret == 0) {
        qcow2_cache_clear(&s->rb_cache);
        install_table(s, &a, table);
        s->free_hint = 1;
        s->comp_offset = 0;
    }
    free(blocks);
    free(table);
    free(a.block_rt);
    return ret;
}
