/* qcow2 clusters: L1/L2 lookup, reads, allocating writes with copy-on-write, zero and
 * compressed clusters, allocation status, preallocation. qcow2 specification.
 * Crash ordering of an allocating write: refcount of the new cluster, guest data, L2
 * entry, then the old cluster's refcount; a cut anywhere leaves at most leaked clusters. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "block/qcow2.h"
#include "util/cutils.h"

#define MAX_RUN_BYTES (4u << 20)

Qcow2ClusterType qcow2_entry_type(Qcow2State *s, uint64_t e)
{
    if (e & QCOW2_OFLAG_COMPRESSED) {
        return QCOW2_CLUSTER_COMPRESSED;
    }
    if (s->version >= 3 && (e & QCOW2_OFLAG_ZERO)) {
        return e & QCOW2_L2_OFFSET_MASK ? QCOW2_CLUSTER_ZERO_ALLOC : QCOW2_CLUSTER_ZERO_PLAIN;
    }
    return e & QCOW2_L2_OFFSET_MASK ? QCOW2_CLUSTER_NORMAL : QCOW2_CLUSTER_UNALLOCATED;
}

/* ---- L2 tables ---- */

static int check_l2_offset(BlockDriverState *bs, uint64_t l1e, uint32_t l1_index)
{
    Qcow2State *s = qcow2_state(bs);
    uint64_t off = l1e & QCOW2_L1_OFFSET_MASK;
    if (qcow2_offset_into_cluster(s, off) || off == 0) {
        return qcow2_signal_corruption(bs, "L2 table %u at unaligned offset 0x%llx", l1_index,
                                       (unsigned long long)off);
    }
    return 0;
}

/* The L2 table for l1_index in the cache, or NULL (*ret 0) when there is none. */
static uint8_t *load_l2(BlockDriverState *bs, uint32_t l1_index, int *ret)
{
    Qcow2State *s = qcow2_state(bs);
    *ret = 0;
    if (l1_index >= s->l1_size || !(s->l1[l1_index] & QCOW2_L1_OFFSET_MASK)) {
        return NULL;
    }
    *ret = check_l2_offset(bs, s->l1[l1_index], l1_index);
    if (*ret < 0) {
        return NULL;
    }
    return qcow2_cache_get(bs, &s->l2_cache, s->l1[l1_index] & QCOW2_L1_OFFSET_MASK, ret);
}

int qcow2_write_l1_entry(BlockDriverState *bs, uint32_t index)
{
    Qcow2State *s = qcow2_state(bs);
    uint8_t buf[8];
    qcow2_put_be64(buf, s->l1[index]);
    return block_file_pwrite(bs->file, s->l1_offset + (uint64_t)index * 8, buf, 8);
}

/* A writable (refcount 1) L2 table for l1_index: allocated empty, or copied when shared
 * with a snapshot. Order: new table written, L1 entry, old table's refcount. */
static uint8_t *writable_l2(BlockDriverState *bs, uint32_t l1_index, int *ret)
{
    Qcow2State *s = qcow2_state(bs);
    uint8_t *old = load_l2(bs, l1_index, ret);
    if (*ret < 0) {
        return NULL;
    }
    uint64_t l1e = s->l1[l1_index];
    if (old && (l1e & QCOW2_OFLAG_COPIED)) {
        return old;
    }
    uint8_t *table = xzalloc(s->cluster_size);
    if (old) {
        memcpy(table, old, s->cluster_size);
    }
    int64_t off = qcow2_alloc_clusters(bs, 1);
    *ret = off < 0 ? (int)off : block_file_pwrite(bs->file, (uint64_t)off, table,
                                                   s->cluster_size);
    if (*ret == 0) {
        s->l1[l1_index] = (uint64_t)off | QCOW2_OFLAG_COPIED;
        *ret = qcow2_write_l1_entry(bs, l1_index);
        if (*ret < 0) {
            s->l1[l1_index] = l1e;
        }
    }
    if (*ret == 0) {
        qcow2_cache_put_new(bs, &s->l2_cache, (uint64_t)off, table);
        if (old) {
            *ret = qcow2_free_clusters(bs, l1e & QCOW2_L1_OFFSET_MASK, s->cluster_size);
        }
    }
    free(table);
    return *ret < 0 ? NULL : load_l2(bs, l1_index, ret);
}

int qcow2_get_l2_entry(BlockDriverState *bs, uint64_t offset, uint64_t *entry)
{
    Qcow2State *s = qcow2_state(bs);
    uint64_t cluster = offset >> s->cluster_bits;
    int ret;
    uint8_t *l2 = load_l2(bs, (uint32_t)(cluster / s->l2_entries), &ret);
    *entry = l2 ? qcow2_be64(l2 + (cluster % s->l2_entries) * 8) : 0;
    return ret;
}

/* Writes entries [first, first+n) of the cached table at l1_index to the file. */
static int write_l2_entries(BlockDriverState *bs, uint32_t l1_index, const uint8_t *l2,
                            uint32_t first, uint32_t n)
{
    Qcow2State *s = qcow2_state(bs);
    uint64_t off = (s->l1[l1_index] & QCOW2_L1_OFFSET_MASK) + (uint64_t)first * 8;
    return block_file_pwrite(bs->file, off, l2 + (size_t)first * 8, (size_t)n * 8);
}

/* ---- reads ---- */

static int read_compressed(BlockDriverState *bs, uint64_t entry, uint8_t *out)
{
    Qcow2State *s = qcow2_state(bs);
    uint64_t off = entry & s->coffset_mask;
    uint64_t sectors = ((entry >> s->csize_shift) & s->csize_mask) + 1;
    size_t len = (size_t)(sectors * 512 - (off & 511));
    uint8_t *in = xmalloc(len);
    int ret = block_file_pread(bs->file, off, in, len);
    if (ret == 0 && qcow2_decompress(out, s->cluster_size, in, len) < 0) {
        ret = qcow2_signal_corruption(bs, "compressed cluster at 0x%llx does not "
                                      "decompress", (unsigned long long)off);
    }
    free(in);
    return ret;
}

static int check_data_offset(BlockDriverState *bs, uint64_t entry)
{
    Qcow2State *s = qcow2_state(bs);
    uint64_t host = entry & QCOW2_L2_OFFSET_MASK;
    if (qcow2_offset_into_cluster(s, host)) {
        return qcow2_signal_corruption(bs, "data cluster at unaligned offset 0x%llx",
                                       (unsigned long long)host);
    }
    return 0;
}

/* Reads bytes within one guest cluster described by entry. */
static int read_in_cluster(BlockDriverState *bs, uint64_t offset, uint64_t entry,
                           uint8_t *buf, size_t n)
{
    Qcow2State *s = qcow2_state(bs);
    uint64_t in = qcow2_offset_into_cluster(s, offset);
    int ret;
    switch (qcow2_entry_type(s, entry)) {
    case QCOW2_CLUSTER_UNALLOCATED:
        return block_read_backing(bs, offset, buf, n);
    case QCOW2_CLUSTER_ZERO_PLAIN:
    case QCOW2_CLUSTER_ZERO_ALLOC:
        memset(buf, 0, n);
        return 0;
    case QCOW2_CLUSTER_NORMAL:
        ret = check_data_offset(bs, entry);
        return ret < 0 ? ret : block_file_pread(bs->file, (entry & QCOW2_L2_OFFSET_MASK) + in,
                                                buf, n);
    case QCOW2_CLUSTER_COMPRESSED: {
        uint8_t *tmp = xmalloc(s->cluster_size);
        ret = read_compressed(bs, entry, tmp);
        if (ret == 0) {
            memcpy(buf, tmp + in, n);
        }
        free(tmp);
        return ret;
    }
    }
    return -EIO;
}

/* Number of bytes from offset that continue the same kind of mapping as entry (contiguous
 * host clusters for data, any run for unallocated/zero), at most max. */
static size_t mapping_run(BlockDriverState *bs, uint64_t offset, uint64_t entry, size_t max,
                          bool need_copied, int *ret)
{
    Qcow2State *s = qcow2_state(bs);
    Qcow2ClusterType t = qcow2_entry_type(s, entry);
    size_t n = MIN(max, s->cluster_size - qcow2_offset_into_cluster(s, offset));
    uint64_t expect = (entry & QCOW2_L2_OFFSET_MASK) + s->cluster_size;
    *ret = 0;
    if (t == QCOW2_CLUSTER_COMPRESSED) {
        return n;
    }
    while (n < max) {
        uint64_t e;
        *ret = qcow2_get_l2_entry(bs, offset + n, &e);
        if (*ret < 0 || qcow2_entry_type(s, e) != t ||
            (need_copied && !(e & QCOW2_OFLAG_COPIED))) {
            break;
        }
        if (t == QCOW2_CLUSTER_NORMAL) {
            if ((e & QCOW2_L2_OFFSET_MASK) != expect) {
                break;
            }
            expect += s->cluster_size;
        }
        n = MIN(max, n + s->cluster_size);
    }
    return n;
}

int qcow2_read(BlockDriverState *bs, uint64_t offset, void *buf, size_t bytes)
{
    Qcow2State *s = qcow2_state(bs);
    uint8_t *p = buf;
    while (bytes > 0) {
        uint64_t entry;
        int ret = qcow2_get_l2_entry(bs, offset, &entry);
        if (ret < 0) {
            return ret;
        }
        size_t n = mapping_run(bs, offset, entry, bytes, false, &ret);
        if (ret < 0) {
            return ret;
        }
        Qcow2ClusterType t = qcow2_entry_type(s, entry);
        if (t == QCOW2_CLUSTER_NORMAL) {
            ret = check_data_offset(bs, entry);
            if (ret == 0) {
                ret = block_file_pread(bs->file, (entry & QCOW2_L2_OFFSET_MASK) +
                                       qcow2_offset_into_cluster(s, offset), p, n);
            }
        } else if (t == QCOW2_CLUSTER_UNALLOCATED) {
            ret = block_read_backing(bs, offset, p, n);
        } else {
            ret = read_in_cluster(bs, offset, entry, p, n);
        }
        if (ret < 0) {
            return ret;
        }
        offset += n;
        p += n;
        bytes -= n;
    }
    return 0;
}

/* ---- writes ---- */

static bool needs_cow(Qcow2State *s, uint64_t entry)
{
    return qcow2_entry_type(s, entry) != QCOW2_CLUSTER_NORMAL ||
           !(entry & QCOW2_OFLAG_COPIED);
}

/* Counts the clusters from offset (inside one L2 table) that need allocation, at most
 * max_clusters. */
static uint32_t count_cow_clusters(BlockDriverState *bs, const uint8_t *l2, uint32_t index,
                                   uint32_t max_clusters)
{
    Qcow2State *s = qcow2_state(bs);
    uint32_t n = 0;
    while (n < max_clusters && index + n < s->l2_entries &&
           (!l2 || needs_cow(s, qcow2_be64(l2 + (size_t)(index + n) * 8)))) {
        n++;
    }
    return n;
}

/* Builds the new content of n clusters from guest cluster offset gstart: old content
 * (backing, zeros, decompressed, or the shared cluster) overlaid with the write. */
static int build_cow_data(BlockDriverState *bs, const uint8_t *l2, uint32_t index,
                          uint64_t gstart, uint32_t n, uint64_t woff, const uint8_t *wbuf,
                          size_t wlen, uint8_t *out)
{
    Qcow2State *s = qcow2_state(bs);
    for (uint32_t i = 0; i < n; i++) {
        uint64_t g = gstart + ((uint64_t)i << s->cluster_bits);
        uint8_t *dst = out + ((size_t)i << s->cluster_bits);
        bool covered = woff <= g && woff + wlen >= g + s->cluster_size;
        if (!covered) {
            uint64_t e = l2 ? qcow2_be64(l2 + (size_t)(index + i) * 8) : 0;
            size_t len = (size_t)MIN((uint64_t)s->cluster_size, s->size - g);
            memset(dst + len, 0, s->cluster_size - len);
            int ret = read_in_cluster(bs, g, e, dst, len);
            if (ret < 0) {
                return ret;
            }
        }
    }
    uint64_t end = gstart + ((uint64_t)n << s->cluster_bits);
    uint64_t from = MAX(woff, gstart), to = MIN(woff + wlen, end);
    memcpy(out + (from - gstart), wbuf + (from - woff), to - from);
    return 0;
}

/* Allocating write of the clusters [gstart, gstart + n clusters) of one L2 table. */
static int cow_write(BlockDriverState *bs, uint32_t l1_index, uint32_t index, uint32_t n,
                     uint64_t woff, const uint8_t *wbuf, size_t wlen)
{
    Qcow2State *s = qcow2_state(bs);
    uint64_t gstart = ((uint64_t)l1_index * s->l2_entries + index) << s->cluster_bits;
    size_t bytes = (size_t)n << s->cluster_bits;
    uint8_t *data = xmalloc(bytes);
    uint64_t *old = xmalloc(sizeof(uint64_t) * n);
    int ret;
    uint8_t *l2 = load_l2(bs, l1_index, &ret);
    if (ret == 0) {
        for (uint32_t i = 0; i < n; i++) {
            old[i] = l2 ? qcow2_be64(l2 + (size_t)(index + i) * 8) : 0;
        }
        ret = build_cow_data(bs, l2, index, gstart, n, woff, wbuf, wlen, data);
    }
    int64_t host = ret < 0 ? ret : qcow2_alloc_clusters(bs, n);
    if (host < 0) {
        ret = (int)host;
        goto out;
    }
    ret = block_file_pwrite(bs->file, (uint64_t)host, data, bytes);
    l2 = ret < 0 ? NULL : writable_l2(bs, l1_index, &ret);
    if (!l2) {
        goto out;
    }
    for (uint32_t i = 0; i < n; i++) {
        qcow2_put_be64(l2 + (size_t)(index + i) * 8,
                       ((uint64_t)host + ((uint64_t)i << s->cluster_bits)) | QCOW2_OFLAG_COPIED);
    }
    ret = write_l2_entries(bs, l1_index, l2, index, n);
    for (uint32_t i = 0; i < n && ret == 0; i++) {
        ret = qcow2_free_l2_entry(bs, old[i]);
    }
out:
    free(data);
    free(old);
    return ret;
}

/* Writes within one L2 table: in place where the cluster is ours, else allocating. */
static int write_in_table(BlockDriverState *bs, uint64_t offset, const uint8_t *buf,
                          size_t bytes, size_t *done)
{
    Qcow2State *s = qcow2_state(bs);
    uint64_t cluster = offset >> s->cluster_bits;
    uint32_t l1_index = (uint32_t)(cluster / s->l2_entries);
    uint32_t index = (uint32_t)(cluster % s->l2_entries);
    uint64_t in = qcow2_offset_into_cluster(s, offset);
    uint32_t want = (uint32_t)MIN((in + bytes + s->cluster_size - 1) >> s->cluster_bits,
                                  (uint64_t)(s->l2_entries - index));
    want = MIN(want, MAX_RUN_BYTES >> s->cluster_bits);
    want = MAX(want, 1);
    int ret;
    uint8_t *l2 = load_l2(bs, l1_index, &ret);
    if (ret < 0) {
        return ret;
    }
    uint64_t e = l2 ? qcow2_be64(l2 + (size_t)index * 8) : 0;
    if (!needs_cow(s, e)) {
        ret = check_data_offset(bs, e);
        if (ret < 0) {
            return ret;
        }
        size_t n = mapping_run(bs, offset, e, MIN(bytes, (size_t)want << s->cluster_bits), true,
                               &ret);
        if (ret < 0) {
            return ret;
        }
        *done = n;
        return block_file_pwrite(bs->file, (e & QCOW2_L2_OFFSET_MASK) + in, buf, n);
    }
    uint32_t n = count_cow_clusters(bs, l2, index, want);
    *done = (size_t)MIN((uint64_t)bytes, ((uint64_t)n << s->cluster_bits) - in);
    return cow_write(bs, l1_index, index, n, offset, buf, *done);
}

int qcow2_write(BlockDriverState *bs, uint64_t offset, const void *buf, size_t bytes)
{
    Qcow2State *s = qcow2_state(bs);
    const uint8_t *p = buf;
    if (s->corrupt) {
        return -EIO;
    }
    while (bytes > 0) {
        size_t done = 0;
        int ret = write_in_table(bs, offset, p, bytes, &done);
        if (ret < 0) {
            return ret;
        }
        offset += done;
        p += done;
        bytes -= done;
    }
    return 0;
}

/* ---- zeroes and discard ---- */

/* Sets the entry of one whole cluster; unmap frees its host cluster. */
static int set_cluster_entry(BlockDriverState *bs, uint64_t offset, uint64_t new_entry,
                             bool keep_alloc)
{
    Qcow2State *s = qcow2_state(bs);
    uint64_t cluster = offset >> s->cluster_bits;
    uint32_t l1_index = (uint32_t)(cluster / s->l2_entries);
    uint32_t index = (uint32_t)(cluster % s->l2_entries);
    int ret;
    uint8_t *l2 = writable_l2(bs, l1_index, &ret);
    if (!l2) {
        return ret;
    }
    uint64_t old = qcow2_be64(l2 + (size_t)index * 8);
    if (keep_alloc && qcow2_entry_type(s, old) == QCOW2_CLUSTER_NORMAL &&
        (old & QCOW2_OFLAG_COPIED)) {
        new_entry = old | QCOW2_OFLAG_ZERO;       /* preallocated zero cluster */
    }
    if (old == new_entry) {
        return 0;
    }
    qcow2_put_be64(l2 + (size_t)index * 8, new_entry);
    ret = write_l2_entries(bs, l1_index, l2, index, 1);
    if (ret == 0 && (new_entry & QCOW2_L2_OFFSET_MASK) != (old & QCOW2_L2_OFFSET_MASK)) {
        ret = qcow2_free_l2_entry(bs, old);
    }
    return ret;
}

/* Makes one whole cluster read zeros without writing data. 1 if it cannot (v2 with a
 * backing file), 0 done, <0 error. */
static int zero_cluster(BlockDriverState *bs, uint64_t offset, bool unmap)
{
    Qcow2State *s = qcow2_state(bs);
    uint64_t e;
    int ret = qcow2_get_l2_entry(bs, offset, &e);
    if (ret < 0) {
        return ret;
    }
    Qcow2ClusterType t = qcow2_entry_type(s, e);
    if (t == QCOW2_CLUSTER_ZERO_PLAIN || (t == QCOW2_CLUSTER_ZERO_ALLOC && !unmap)) {
        return 0;
    }
    if (!bs->backing) {
        if (t == QCOW2_CLUSTER_UNALLOCATED) {
            return 0;
        }
        if (s->version < 3 || unmap) {
            return set_cluster_entry(bs, offset, 0, false);
        }
    }
    if (s->version < 3) {
        return 1;
    }
    return set_cluster_entry(bs, offset, QCOW2_OFLAG_ZERO, !unmap);
}

static int write_zero_buffer(BlockDriverState *bs, uint64_t offset, uint64_t bytes)
{
    Qcow2State *s = qcow2_state(bs);
    uint8_t *zeros = xzalloc(s->cluster_size);
    int ret = 0;
    while (bytes > 0 && ret == 0) {
        size_t n = (size_t)MIN(bytes, (uint64_t)s->cluster_size -
                               qcow2_offset_into_cluster(s, offset));
        ret = qcow2_write(bs, offset, zeros, n);
        offset += n;
        bytes -= n;
    }
    free(zeros);
    return ret;
}

int qcow2_write_zeroes(BlockDriverState *bs, uint64_t offset, uint64_t bytes, int flags)
{
    Qcow2State *s = qcow2_state(bs);
    if (s->corrupt) {
        return -EIO;
    }
    while (bytes > 0) {
        uint64_t in = qcow2_offset_into_cluster(s, offset);
        uint64_t n = MIN(bytes, (uint64_t)s->cluster_size - in);
        bool whole = in == 0 && (n == s->cluster_size || offset + n == s->size);
        int ret = whole ? zero_cluster(bs, offset, flags & BLOCK_ZERO_MAY_UNMAP) : 1;
        if (ret == 1) {
            ret = write_zero_buffer(bs, offset, n);
        }
        if (ret < 0) {
            return ret;
        }
        offset += n;
        bytes -= n;
    }
    return 0;
}

int qcow2_discard(BlockDriverState *bs, uint64_t offset, uint64_t bytes)
{
    Qcow2State *s = qcow2_state(bs);
    if (s->corrupt) {
        return -EIO;
    }
    uint64_t start = qcow2_round_up(s, offset), end = offset + bytes;
    if (end != s->size) {
        end &= ~(uint64_t)(s->cluster_size - 1);
    }
    for (uint64_t o = start; o < end; o += s->cluster_size) {
        int ret = zero_cluster(bs, o, true);
        if (ret < 0) {
            return ret;
        }
    }
    return 0;
}

/* ---- compressed writes ---- */

static int write_one_compressed(BlockDriverState *bs, uint64_t offset, const uint8_t *data)
{
    Qcow2State *s = qcow2_state(bs);
    uint8_t *out = xmalloc(s->cluster_size);
    size_t clen = qcow2_compress(out, s->cluster_size - 512, data, s->cluster_size);
    if (clen == 0) {
        free(out);
        size_t len = (size_t)MIN((uint64_t)s->cluster_size, s->size - offset);
        return qcow2_write(bs, offset, data, len);
    }
    int ret = qcow2_store_compressed(bs, offset, out, clen);
    free(out);
    return ret;
}

int qcow2_store_compressed(BlockDriverState *bs, uint64_t offset, const uint8_t *out,
                           size_t clen)
{
    Qcow2State *s = qcow2_state(bs);
    uint64_t cluster = offset >> s->cluster_bits;
    uint32_t l1_index = (uint32_t)(cluster / s->l2_entries);
    uint32_t index = (uint32_t)(cluster % s->l2_entries);
    int ret;
    int64_t host = qcow2_alloc_bytes(bs, (uint32_t)clen);
    ret = host < 0 ? (int)host : block_file_pwrite(bs->file, (uint64_t)host, out, clen);
    uint8_t *l2 = ret < 0 ? NULL : writable_l2(bs, l1_index, &ret);
    if (l2) {
        uint64_t old = qcow2_be64(l2 + (size_t)index * 8);
        uint64_t sectors = (((uint64_t)host + clen - 1) >> 9) - ((uint64_t)host >> 9);
        uint64_t e = QCOW2_OFLAG_COMPRESSED | (sectors << s->csize_shift) | (uint64_t)host;
        qcow2_put_be64(l2 + (size_t)index * 8, e);
        ret = write_l2_entries(bs, l1_index, l2, index, 1);
        if (ret == 0) {
            ret = qcow2_free_l2_entry(bs, old);
        }
    }
    return ret;
}

int qcow2_write_compressed(BlockDriverState *bs, uint64_t offset, const void *buf,
                           size_t bytes)
{
    Qcow2State *s = qcow2_state(bs);
    const uint8_t *p = buf;
    if (s->corrupt) {
        return -EIO;
    }
    if (qcow2_offset_into_cluster(s, offset) ||
        (bytes % s->cluster_size && offset + bytes != s->size)) {
        return -EINVAL;
    }
    uint8_t *cluster = xmalloc(s->cluster_size);
    int ret = 0;
    while (bytes > 0 && ret == 0) {
        size_t n = MIN(bytes, (size_t)s->cluster_size);
        memcpy(cluster, p, n);
        memset(cluster + n, 0, s->cluster_size - n);
        ret = write_one_compressed(bs, offset, cluster);
        offset += n;
        p += n;
        bytes -= n;
    }
    free(cluster);
    return ret;
}

/* ---- allocation status ---- */

int qcow2_block_status(BlockDriverState *bs, uint64_t offset, uint64_t bytes, uint64_t *pnum,
                       uint64_t *map)
{
    Qcow2State *s = qcow2_state(bs);
    uint64_t e;
    int ret = qcow2_get_l2_entry(bs, offset, &e);
    if (ret < 0) {
        return ret;
    }
    size_t max = (size_t)MIN(bytes, (uint64_t)1 << 30);
    *pnum = mapping_run(bs, offset, e, max, false, &ret);
    if (ret < 0) {
        return ret;
    }
    switch (qcow2_entry_type(s, e)) {
    case QCOW2_CLUSTER_UNALLOCATED:
        return 0;
    case QCOW2_CLUSTER_ZERO_PLAIN:
    case QCOW2_CLUSTER_ZERO_ALLOC:
        return BLOCK_STATUS_ZERO | BLOCK_STATUS_ALLOCATED;
    case QCOW2_CLUSTER_COMPRESSED:
        return BLOCK_STATUS_DATA | BLOCK_STATUS_ALLOCATED | BLOCK_STATUS_COMPRESSED;
    case QCOW2_CLUSTER_NORMAL:
        if (map) {
            *map = (e & QCOW2_L2_OFFSET_MASK) + qcow2_offset_into_cluster(s, offset);
        }
        return BLOCK_STATUS_DATA | BLOCK_STATUS_ALLOCATED | BLOCK_STATUS_OFFSET_VALID;
    }
    return -EIO;
}

/* ---- L1 growth, preallocation, shrinking, emptying ---- */

int qcow2_grow_l1(BlockDriverState *bs, uint64_t min_size)
{
    Qcow2State *s = qcow2_state(bs);
    if (min_size <= s->l1_size) {
        return 0;
    }
    if (min_size * 8 > QCOW2_MAX_L1_BYTES) {
        return -EFBIG;
    }
    uint64_t bytes = qcow2_round_up(s, min_size * 8);
    uint8_t *raw = xzalloc(bytes);
    for (uint32_t i = 0; i < s->l1_size; i++) {
        qcow2_put_be64(raw + (size_t)i * 8, s->l1[i]);
    }
    int64_t off = qcow2_alloc_clusters(bs, bytes >> s->cluster_bits);
    int ret = off < 0 ? (int)off : block_file_pwrite(bs->file, (uint64_t)off, raw, bytes);
    if (ret == 0) {
        uint8_t hdr[12];
        qcow2_put_be32(hdr, (uint32_t)min_size);
        qcow2_put_be64(hdr + 4, (uint64_t)off);
        ret = block_file_pwrite(bs->file, 36, hdr, sizeof(hdr));
    }
    if (ret == 0) {
        uint64_t old_off = s->l1_offset, old_bytes = (uint64_t)s->l1_size * 8;
        s->l1 = xrealloc(s->l1, (size_t)min_size * 8);
        memset(s->l1 + s->l1_size, 0, (size_t)(min_size - s->l1_size) * 8);
        s->l1_size = (uint32_t)min_size;
        s->l1_offset = (uint64_t)off;
        if (old_bytes) {
            ret = qcow2_free_clusters(bs, old_off, qcow2_round_up(s, old_bytes));
        }
    }
    free(raw);
    return ret;
}

int qcow2_preallocate(BlockDriverState *bs, uint64_t start, uint64_t end)
{
    Qcow2State *s = qcow2_state(bs);
    for (uint64_t o = start & ~(uint64_t)(s->cluster_size - 1); o < end;) {
        uint64_t cluster = o >> s->cluster_bits;
        uint32_t l1_index = (uint32_t)(cluster / s->l2_entries);
        uint32_t index = (uint32_t)(cluster % s->l2_entries);
        uint32_t n = (uint32_t)MIN((uint64_t)(s->l2_entries - index),
                                   (end - o + s->cluster_size - 1) >> s->cluster_bits);
        int ret;
        uint8_t *l2 = writable_l2(bs, l1_index, &ret);
        if (!l2) {
            return ret;
        }
        int64_t host = qcow2_alloc_clusters(bs, n);
        if (host < 0) {
            return (int)host;
        }
        int64_t flen0 = block_file_length(bs->file);
        if (flen0 > host) {     /* reused space may hold old data: preallocated reads 0 */
            ret = block_file_write_zeroes(bs->file, (uint64_t)host,
                                          MIN((uint64_t)n << s->cluster_bits,
                                              (uint64_t)(flen0 - host)), false);
            if (ret < 0) {
                return ret;
            }
        }
        l2 = load_l2(bs, l1_index, &ret);
        if (!l2) {
            return ret < 0 ? ret : -EIO;
        }
        for (uint32_t i = 0; i < n; i++) {
            uint64_t old = qcow2_be64(l2 + (size_t)(index + i) * 8);
            if (qcow2_entry_type(s, old) != QCOW2_CLUSTER_UNALLOCATED) {
                ret = qcow2_free_clusters(bs, (uint64_t)host + ((uint64_t)i << s->cluster_bits),
                                          s->cluster_size);     /* keep existing data */
                if (ret < 0) {
                    return ret;
                }
                continue;
            }
            qcow2_put_be64(l2 + (size_t)(index + i) * 8,
                           ((uint64_t)host + ((uint64_t)i << s->cluster_bits)) |
                           QCOW2_OFLAG_COPIED);
        }
        ret = write_l2_entries(bs, l1_index, l2, index, n);
        if (ret < 0) {
            return ret;
        }
        uint64_t file_end = (uint64_t)host + ((uint64_t)n << s->cluster_bits);
        int64_t flen = block_file_length(bs->file);
        if (flen >= 0 && (uint64_t)flen < file_end) {
            ret = block_file_truncate(bs->file, file_end, BLOCK_PREALLOC_OFF, NULL);
            if (ret < 0) {
                return ret;
            }
        }
        o += (uint64_t)n << s->cluster_bits;
    }
    return 0;
}

/* Frees every entry of the table at l1_index from index on; the whole table too when
 * index is 0. */
static int free_table_from(BlockDriverState *bs, uint32_t l1_index, uint32_t index)
{
    Qcow2State *s = qcow2_state(bs);
    int ret;
    uint64_t l1e = s->l1[l1_index];
    if (!(l1e & QCOW2_L1_OFFSET_MASK)) {
        return 0;
    }
    if (index == 0) {
        uint8_t *l2 = load_l2(bs, l1_index, &ret);
        if (!l2) {
            return ret;
        }
        uint8_t *copy = xmalloc(s->cluster_size);
        memcpy(copy, l2, s->cluster_size);
        s->l1[l1_index] = 0;
        ret = qcow2_write_l1_entry(bs, l1_index);
        for (uint32_t i = 0; i < s->l2_entries && ret == 0; i++) {
            ret = qcow2_free_l2_entry(bs, qcow2_be64(copy + (size_t)i * 8));
        }
        free(copy);
        return ret < 0 ? ret : qcow2_free_clusters(bs, l1e & QCOW2_L1_OFFSET_MASK,
                                                   s->cluster_size);
    }
    uint8_t *l2 = writable_l2(bs, l1_index, &ret);
    if (!l2) {
        return ret;
    }
    for (uint32_t i = index; i < s->l2_entries && ret == 0; i++) {
        uint64_t old = qcow2_be64(l2 + (size_t)i * 8);
        if (!old) {
            continue;
        }
        qcow2_put_be64(l2 + (size_t)i * 8, 0);
        ret = write_l2_entries(bs, l1_index, l2, i, 1);
        if (ret == 0) {
            ret = qcow2_free_l2_entry(bs, old);
        }
    }
    return ret;
}

int qcow2_shrink_clusters(BlockDriverState *bs, uint64_t new_size)
{
    Qcow2State *s = qcow2_state(bs);
    uint64_t first = qcow2_round_up(s, new_size) >> s->cluster_bits;
    uint32_t l1_first = (uint32_t)(first / s->l2_entries);
    for (uint32_t i = l1_first; i < s->l1_size; i++) {
        uint32_t index = i == l1_first ? (uint32_t)(first % s->l2_entries) : 0;
        int ret = free_table_from(bs, i, index);
        if (ret < 0) {
            return ret;
        }
    }
    return 0;
}

int qcow2_make_empty(BlockDriverState *bs, Error **errp)
{
    Qcow2State *s = qcow2_state(bs);
    if (s->nb_snapshots) {
        error_setg(errp, "qcow2: cannot empty an image with internal snapshots");
        return -ENOTSUP;
    }
    for (uint32_t i = 0; i < s->l1_size; i++) {
        int ret = free_table_from(bs, i, 0);
        if (ret < 0) {
            error_setg_errno(errp, -ret, "qcow2: cannot empty '%s'", bs->filename);
            return ret;
        }
    }
    return 0;
}
