/* qcow2 consistency check and repair: recount every reference (header, L1/L2 tables, data
 * and compressed clusters, snapshots, refcount structures), compare with the stored
 * refcounts and COPIED flags; repair by fixing leaks in place or rebuilding the refcount
 * structure. qcow2 specification ("Reference counts", "Cluster mapping"). */
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "block/qcow2.h"
#include "util/cutils.h"

#define MAX_CHECK_CLUSTERS (1ull << 28)

typedef struct CheckCtx {
    BlockDriverState *bs;
    Qcow2State *s;
    BlockCheckResult *res;
    int fix;
    uint32_t *refs;         /* computed references per host cluster, saturating */
    uint64_t n;             /* clusters in the file */
    uint64_t highest;       /* highest referenced cluster + 1 */
    uint64_t prev_host;     /* for fragmentation statistics */
} CheckCtx;

static void report(CheckCtx *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void report(CheckCtx *c, const char *fmt, ...)
{
    if (c->s->quiet) {
        return;
    }
    va_list ap;
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
}

/* Counts one reference to every cluster of [offset, offset+len). false if out of file. */
static bool add_refs(CheckCtx *c, uint64_t offset, uint64_t len)
{
    Qcow2State *s = c->s;
    if (len == 0) {
        return true;
    }
    uint64_t first = offset >> s->cluster_bits, last = (offset + len - 1) >> s->cluster_bits;
    if (offset + len < offset || last >= c->n) {
        c->res->corruptions++;
        report(c, "ERROR: reference to 0x%" PRIx64 "+%" PRIu64 " beyond the end of the image "
               "file", offset, len);
        return false;
    }
    for (uint64_t i = first; i <= last; i++) {
        if (c->refs[i] != UINT32_MAX) {
            c->refs[i]++;
        }
    }
    c->highest = MAX(c->highest, last + 1);
    return true;
}

/* ---- L2 tables ---- */

/* Validates one L2 entry; false if it must be dropped. */
static bool check_l2_entry(CheckCtx *c, uint64_t e, bool active)
{
    Qcow2State *s = c->s;
    switch (qcow2_entry_type(s, e)) {
    case QCOW2_CLUSTER_COMPRESSED: {
        uint64_t off = e & s->coffset_mask;
        uint64_t sectors = ((e >> s->csize_shift) & s->csize_mask) + 1;
        if (e & QCOW2_OFLAG_COPIED) {
            c->res->corruptions++;
            report(c, "ERROR: compressed cluster with COPIED flag: l2_entry=%" PRIx64, e);
        }
        if (active) {
            c->res->compressed_clusters++;
            c->res->allocated_clusters++;
        }
        return add_refs(c, off & ~511ull, sectors * 512);
    }
    case QCOW2_CLUSTER_NORMAL:
    case QCOW2_CLUSTER_ZERO_ALLOC: {
        uint64_t host = e & QCOW2_L2_OFFSET_MASK;
        if (qcow2_offset_into_cluster(s, host)) {
            c->res->corruptions++;
            report(c, "ERROR: data cluster at unaligned offset 0x%" PRIx64, host);
            return false;
        }
        if (active) {
            c->res->allocated_clusters++;
            if (c->prev_host && host != c->prev_host + s->cluster_size) {
                c->res->fragmented_clusters++;
            }
            c->prev_host = host;
        }
        return add_refs(c, host, s->cluster_size);
    }
    case QCOW2_CLUSTER_ZERO_PLAIN:
        if (active) {
            c->res->allocated_clusters++;
        }
        return true;
    default:
        return true;
    }
}

static int write_l2_copy(CheckCtx *c, uint64_t off, const uint8_t *l2)
{
    int ret = block_file_pwrite(c->bs->file, off, l2, c->s->cluster_size);
    if (ret == 0) {
        qcow2_cache_put_new(c->bs, &c->s->l2_cache, off, l2);
    }
    return ret;
}

static int check_l2(CheckCtx *c, uint64_t off, bool active)
{
    Qcow2State *s = c->s;
    int ret;
    uint8_t *cached = qcow2_cache_get(c->bs, &s->l2_cache, off, &ret);
    if (!cached) {
        c->res->check_errors++;
        return ret;
    }
    uint8_t *l2 = xmalloc(s->cluster_size);
    memcpy(l2, cached, s->cluster_size);
    bool dropped = false;
    for (uint32_t i = 0; i < s->l2_entries; i++) {
        uint64_t e = qcow2_be64(l2 + (size_t)i * 8);
        if (!check_l2_entry(c, e, active) && (c->fix & BLOCK_FIX_ERRORS)) {
            qcow2_put_be64(l2 + (size_t)i * 8, 0);
            dropped = true;
        }
    }
    ret = dropped ? write_l2_copy(c, off, l2) : 0;
    free(l2);
    return ret;
}

/* Counts an L1 table of l1_size entries (active: s->l1, else read from l1_offset). */
static int check_l1(CheckCtx *c, uint64_t l1_offset, uint32_t l1_size, bool active)
{
    Qcow2State *s = c->s;
    if (!add_refs(c, l1_offset, (uint64_t)l1_size * 8)) {
        return 0;
    }
    uint64_t *l1 = xmalloc(MAX(l1_size, 1) * 8);
    uint8_t *raw = xmalloc(MAX(l1_size, 1) * 8);
    int ret = block_file_pread(c->bs->file, l1_offset, raw, (size_t)l1_size * 8);
    for (uint32_t i = 0; i < l1_size; i++) {
        l1[i] = active ? s->l1[i] : qcow2_be64(raw + (size_t)i * 8);
    }
    free(raw);
    c->prev_host = 0;
    for (uint32_t i = 0; ret == 0 && i < l1_size; i++) {
        uint64_t off = l1[i] & QCOW2_L1_OFFSET_MASK;
        if (!off) {
            continue;
        }
        bool ok = !qcow2_offset_into_cluster(s, off) && add_refs(c, off, s->cluster_size);
        if (!ok && qcow2_offset_into_cluster(s, off)) {
            c->res->corruptions++;
            report(c, "ERROR: L2 table at unaligned offset 0x%" PRIx64, off);
        }
        if (!ok) {
            if (active && (c->fix & BLOCK_FIX_ERRORS)) {
                s->l1[i] = 0;
                ret = qcow2_write_l1_entry(c->bs, i);
            }
            continue;
        }
        ret = check_l2(c, off, active);
    }
    free(l1);
    return ret;
}

/* ---- refcount structures ---- */

static int count_refcount_structures(CheckCtx *c)
{
    Qcow2State *s = c->s;
    add_refs(c, s->rt_offset, (uint64_t)s->rt_clusters << s->cluster_bits);
    for (uint64_t i = 0; i < s->rt_entries; i++) {
        uint64_t off = s->rt[i] & ~511ull;
        if (!off) {
            continue;
        }
        if (qcow2_offset_into_cluster(s, off) || (off >> s->cluster_bits) >= c->n) {
            c->res->corruptions++;
            report(c, "ERROR: refcount block %" PRIu64 " at invalid offset 0x%" PRIx64, i, off);
            s->rt[i] = 0;       /* ignored from here on; rebuilt by -r all */
            continue;
        }
        add_refs(c, off, s->cluster_size);
    }
    return 0;
}

static uint64_t stored_refcount(CheckCtx *c, uint64_t cluster, int *ret)
{
    uint64_t rc = 0;
    *ret = qcow2_get_refcount(c->bs, cluster, &rc);
    return rc;
}

/* Compares stored refcounts with the references; fixes leaks in place if asked. */
static int compare_refcounts(CheckCtx *c, bool fix_leaks)
{
    Qcow2State *s = c->s;
    uint64_t covered = s->rt_entries * s->rb_entries;
    uint64_t limit = MAX(c->n, MIN(covered, c->n + s->rb_entries));
    int ret = 0;
    for (uint64_t i = 0; i < limit && ret == 0; i++) {
        uint64_t ref = i < c->n ? c->refs[i] : 0;
        uint64_t rc = stored_refcount(c, i, &ret);
        if (ret < 0 || rc == ref) {
            continue;
        }
        if (rc < ref) {
            c->res->corruptions++;
            report(c, "ERROR cluster %" PRIu64 " refcount=%" PRIu64 " reference=%" PRIu64, i, rc,
                   ref);
        } else {
            c->res->leaks++;
            report(c, "Leaked cluster %" PRIu64 " refcount=%" PRIu64 " reference=%" PRIu64, i,
                   rc, ref);
            if (fix_leaks) {
                ret = qcow2_update_refcount(c->bs, i << s->cluster_bits, 1,
                                            -(int64_t)(rc - ref));
                c->res->leaks_fixed += ret == 0;
            }
        }
    }
    return ret;
}

/* COPIED must be set exactly on active entries whose cluster has one reference. */
static int compare_copied(CheckCtx *c)
{
    Qcow2State *s = c->s;
    int ret = 0;
    for (uint32_t i = 0; i < s->l1_size && ret == 0; i++) {
        uint64_t off = s->l1[i] & QCOW2_L1_OFFSET_MASK;
        uint64_t cl = off >> s->cluster_bits;
        if (!off || qcow2_offset_into_cluster(s, off) || cl >= c->n) {
            continue;
        }
        bool want = c->refs[cl] == 1, has = s->l1[i] & QCOW2_OFLAG_COPIED;
        if (want != has) {
            c->res->corruptions++;
            report(c, "ERROR OFLAG_COPIED L2 cluster: l1_index=%u l1_entry=%" PRIx64
                   " refcount=%u", i, s->l1[i], c->refs[cl]);
        }
        if (!want) {
            continue;
        }
        uint8_t *l2 = qcow2_cache_get(c->bs, &s->l2_cache, off, &ret);
        for (uint32_t j = 0; l2 && j < s->l2_entries; j++) {
            uint64_t e = qcow2_be64(l2 + (size_t)j * 8);
            Qcow2ClusterType t = qcow2_entry_type(s, e);
            uint64_t dc = (e & QCOW2_L2_OFFSET_MASK) >> s->cluster_bits;
            if ((t != QCOW2_CLUSTER_NORMAL && t != QCOW2_CLUSTER_ZERO_ALLOC) || dc >= c->n ||
                qcow2_offset_into_cluster(s, e & QCOW2_L2_OFFSET_MASK)) {
                continue;
            }
            if ((c->refs[dc] == 1) != !!(e & QCOW2_OFLAG_COPIED)) {
                c->res->corruptions++;
                report(c, "ERROR OFLAG_COPIED data cluster: l2_entry=%" PRIx64 " refcount=%u",
                       e, c->refs[dc]);
            }
        }
    }
    return ret;
}

/* ---- the check ---- */

static int count_everything(CheckCtx *c, uint32_t **data_refs)
{
    Qcow2State *s = c->s;
    add_refs(c, 0, s->cluster_size);
    int ret = check_l1(c, s->l1_offset, s->l1_size, true);
    for (uint32_t i = 0; ret == 0 && i < s->nb_snapshots; i++) {
        ret = check_l1(c, s->snapshots[i].l1_offset, s->snapshots[i].l1_size, false);
    }
    if (ret == 0 && s->nb_snapshots) {
        add_refs(c, s->snapshots_offset, s->snapshots_size);
    }
    if (ret < 0) {
        return ret;
    }
    *data_refs = xmalloc(c->n * sizeof(uint32_t));
    memcpy(*data_refs, c->refs, c->n * sizeof(uint32_t));
    return count_refcount_structures(c);
}

static void fill_totals(CheckCtx *c)
{
    Qcow2State *s = c->s;
    c->res->total_clusters = (s->size + s->cluster_size - 1) >> s->cluster_bits;
    c->res->image_end_offset = (int64_t)(c->highest << s->cluster_bits);
}

static int rebuild(CheckCtx *c, uint32_t *data_refs)
{
    uint64_t *refs = xmalloc(MAX(c->n, 1) * sizeof(uint64_t));
    for (uint64_t i = 0; i < c->n; i++) {
        refs[i] = data_refs[i];
    }
    int ret = qcow2_rebuild_refcounts(c->bs, refs, c->n);
    free(refs);
    return ret < 0 ? ret : qcow2_fix_copied_flags(c->bs);
}

static int check_pass(BlockDriverState *bs, BlockCheckResult *res, int fix)
{
    Qcow2State *s = qcow2_state(bs);
    int64_t len = block_file_length(bs->file);
    if (len < 0) {
        res->check_errors++;
        return (int)len;
    }
    CheckCtx c = { .bs = bs, .s = s, .res = res, .fix = fix };
    c.n = qcow2_round_up(s, (uint64_t)len) >> s->cluster_bits;
    if (c.n > MAX_CHECK_CLUSTERS) {
        error_report("qcow2: '%s' has too many clusters (%" PRIu64 ") to check", bs->filename,
                     c.n);
        res->check_errors++;
        return -EFBIG;
    }
    c.refs = xzalloc(MAX(c.n, 1) * sizeof(uint32_t));
    uint32_t *data_refs = NULL;
    int ret = count_everything(&c, &data_refs);
    if (ret == 0) {
        ret = compare_refcounts(&c, (fix & BLOCK_FIX_LEAKS) && !(fix & BLOCK_FIX_ERRORS));
    }
    if (ret == 0) {
        ret = compare_copied(&c);
    }
    fill_totals(&c);
    if (ret == 0 && (fix & BLOCK_FIX_ERRORS) && (res->corruptions || res->leaks)) {
        ret = rebuild(&c, data_refs);
        if (ret == 0) {
            res->corruptions_fixed = res->corruptions;
            res->leaks_fixed = res->leaks;
        }
    }
    if (ret < 0) {
        res->check_errors++;
    }
    free(data_refs);
    free(c.refs);
    return ret;
}

int qcow2_check(BlockDriverState *bs, BlockCheckResult *res, int fix)
{
    Qcow2State *s = qcow2_state(bs);
    memset(res, 0, sizeof(*res));
    int ret = check_pass(bs, res, fix);
    if (ret < 0 || !fix) {
        return ret;
    }
    if (res->leaks_fixed || res->corruptions_fixed) {
        /* double check the repaired image; report what is left */
        BlockCheckResult again;
        memset(&again, 0, sizeof(again));
        bool quiet = s->quiet;
        s->quiet = true;
        s->corrupt = false;
        ret = qcow2_refcount_flush(bs);
        ret = ret < 0 ? ret : check_pass(bs, &again, 0);
        s->quiet = quiet;
        again.leaks_fixed = res->leaks_fixed;
        again.corruptions_fixed = res->corruptions_fixed;
        *res = again;
    }
    uint64_t flags = QCOW2_INCOMPAT_CORRUPT | QCOW2_INCOMPAT_DIRTY;
    if (ret == 0 && !res->corruptions && !res->check_errors && (s->incompat & flags)) {
        ret = qcow2_write_incompat(bs, s->incompat & ~flags);
    }
    s->corrupt = res->corruptions > 0;
    return ret < 0 ? ret : block_file_flush(bs->file);
}
