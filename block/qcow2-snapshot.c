/* qcow2 internal snapshots: the snapshot table, create/apply/delete/list and the refcount
 * walk over an L1 table. qcow2 specification ("Snapshots"). Each switch of the table is
 * one 12-byte header write; a cut before it leaves only leaked clusters. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/time.h>
#include "block/qcow2.h"
#include "util/cutils.h"

#define SN_HEADER 40
#define SN_EXTRA_WRITTEN 24

void qcow2_free_snapshots(Qcow2State *s)
{
    for (uint32_t i = 0; s->snapshots && i < s->nb_snapshots; i++) {
        free(s->snapshots[i].id);
        free(s->snapshots[i].name);
        free(s->snapshots[i].extra);
    }
    free(s->snapshots);
    s->snapshots = NULL;
}

static int parse_entry(BlockDriverState *bs, uint64_t *off, uint64_t *total, Qcow2Snapshot *sn,
                       Error **errp)
{
    Qcow2State *s = qcow2_state(bs);
    uint8_t h[SN_HEADER];
    int ret = block_file_pread(bs->file, *off, h, sizeof(h));
    if (ret < 0) {
        error_setg_errno(errp, -ret, "qcow2: cannot read the snapshot table");
        return -1;
    }
    sn->l1_offset = qcow2_be64(h);
    sn->l1_size = qcow2_be32(h + 8);
    uint32_t id_len = qcow2_be16(h + 12), name_len = qcow2_be16(h + 14);
    sn->date_sec = qcow2_be32(h + 16);
    sn->date_nsec = qcow2_be32(h + 20);
    sn->vm_clock_nsec = qcow2_be64(h + 24);
    sn->vm_state_size = qcow2_be32(h + 32);
    sn->extra_size = qcow2_be32(h + 36);
    if (sn->extra_size > QCOW2_MAX_SNAPSHOT_EXTRA ||
        qcow2_offset_into_cluster(s, sn->l1_offset) ||
        (uint64_t)sn->l1_size * 8 > QCOW2_MAX_L1_BYTES) {
        error_setg(errp, "qcow2: invalid snapshot entry (L1 0x%llx size %u, extra %u)",
                   (unsigned long long)sn->l1_offset, sn->l1_size, sn->extra_size);
        return -1;
    }
    uint64_t len = SN_HEADER + (uint64_t)sn->extra_size + id_len + name_len;
    *total += ROUND_UP(len, 8);
    if (*total > QCOW2_MAX_SNAPSHOT_TABLE) {
        error_setg(errp, "qcow2: snapshot table larger than %u bytes",
                   QCOW2_MAX_SNAPSHOT_TABLE);
        return -1;
    }
    uint8_t *rest = xmalloc(len - SN_HEADER + 1);
    ret = block_file_pread(bs->file, *off + SN_HEADER, rest, len - SN_HEADER);
    if (ret < 0) {
        free(rest);
        error_setg_errno(errp, -ret, "qcow2: cannot read the snapshot table");
        return -1;
    }
    sn->extra = xmalloc(MAX(sn->extra_size, SN_EXTRA_WRITTEN));
    memset(sn->extra, 0, MAX(sn->extra_size, SN_EXTRA_WRITTEN));
    memcpy(sn->extra, rest, sn->extra_size);
    sn->disk_size = s->size;
    sn->icount = UINT64_MAX;
    if (sn->extra_size >= 8) {
        sn->vm_state_size = qcow2_be64(sn->extra);
    }
    if (sn->extra_size >= 16) {
        sn->disk_size = qcow2_be64(sn->extra + 8);
    }
    if (sn->extra_size >= 24) {
        sn->icount = qcow2_be64(sn->extra + 16);
    }
    sn->id = xzalloc(id_len + 1);
    memcpy(sn->id, rest + sn->extra_size, id_len);
    sn->name = xzalloc(name_len + 1);
    memcpy(sn->name, rest + sn->extra_size + id_len, name_len);
    free(rest);
    *off += ROUND_UP(len, 8);
    return 0;
}

int qcow2_read_snapshots(BlockDriverState *bs, Error **errp)
{
    Qcow2State *s = qcow2_state(bs);
    uint64_t off = s->snapshots_offset, total = 0;
    s->snapshots = xzalloc(sizeof(Qcow2Snapshot) * MAX(s->nb_snapshots, 1));
    for (uint32_t i = 0; i < s->nb_snapshots; i++) {
        if (parse_entry(bs, &off, &total, &s->snapshots[i], errp) < 0) {
            return -1;
        }
        if (s->snapshots[i].disk_size > BLOCK_MAX_IMAGE_SIZE) {
            error_setg(errp, "qcow2: snapshot '%s' has an invalid disk size",
                       s->snapshots[i].id);
            return -1;
        }
    }
    s->snapshots_size = total;
    return 0;
}

/* Serializes snapshots into a buffer; returns its size. */
static size_t serialize(Qcow2Snapshot *sns, uint32_t n, uint8_t **out)
{
    size_t total = 0;
    for (uint32_t i = 0; i < n; i++) {
        uint32_t extra = MAX(sns[i].extra_size, SN_EXTRA_WRITTEN);
        total += ROUND_UP(SN_HEADER + extra + strlen(sns[i].id) + strlen(sns[i].name), 8);
    }
    uint8_t *buf = xzalloc(MAX(total, 1));
    size_t off = 0;
    for (uint32_t i = 0; i < n; i++) {
        Qcow2Snapshot *sn = &sns[i];
        uint32_t extra = MAX(sn->extra_size, SN_EXTRA_WRITTEN);
        size_t id_len = strlen(sn->id), name_len = strlen(sn->name);
        uint8_t *p = buf + off;
        qcow2_put_be64(p, sn->l1_offset);
        qcow2_put_be32(p + 8, sn->l1_size);
        qcow2_put_be16(p + 12, (uint16_t)id_len);
        qcow2_put_be16(p + 14, (uint16_t)name_len);
        qcow2_put_be32(p + 16, sn->date_sec);
        qcow2_put_be32(p + 20, sn->date_nsec);
        qcow2_put_be64(p + 24, sn->vm_clock_nsec);
        qcow2_put_be32(p + 32, (uint32_t)MIN(sn->vm_state_size, UINT32_MAX));
        qcow2_put_be32(p + 36, extra);
        memcpy(p + SN_HEADER, sn->extra, sn->extra_size);
        qcow2_put_be64(p + SN_HEADER, sn->vm_state_size);
        qcow2_put_be64(p + SN_HEADER + 8, sn->disk_size);
        qcow2_put_be64(p + SN_HEADER + 16, sn->icount);
        memcpy(p + SN_HEADER + extra, sn->id, id_len);
        memcpy(p + SN_HEADER + extra + id_len, sn->name, name_len);
        off += ROUND_UP(SN_HEADER + extra + id_len + name_len, 8);
    }
    *out = buf;
    return total;
}

/* Writes a new table for sns[0..n), switches the header to it, frees the old one. */
static int write_table(BlockDriverState *bs, Qcow2Snapshot *sns, uint32_t n)
{
    Qcow2State *s = qcow2_state(bs);
    uint8_t *buf;
    size_t len = serialize(sns, n, &buf);
    int64_t off = 0;
    int ret = 0;
    if (len > QCOW2_MAX_SNAPSHOT_TABLE) {
        free(buf);
        return -EFBIG;
    }
    if (n) {
        off = qcow2_alloc_clusters(bs, qcow2_round_up(s, len) >> s->cluster_bits);
        ret = off < 0 ? (int)off : block_file_pwrite(bs->file, (uint64_t)off, buf, len);
    }
    free(buf);
    if (ret < 0) {
        return ret;
    }
    uint8_t hdr[12];
    qcow2_put_be32(hdr, n);
    qcow2_put_be64(hdr + 4, (uint64_t)off);
    ret = block_file_pwrite(bs->file, 60, hdr, sizeof(hdr));
    if (ret < 0) {
        return ret;
    }
    uint64_t old_off = s->snapshots_offset, old_len = s->snapshots_size;
    bool had = s->nb_snapshots > 0 && old_len > 0;
    s->snapshots_offset = (uint64_t)off;
    s->snapshots_size = n ? len : 0;
    return had ? qcow2_free_clusters(bs, old_off, qcow2_round_up(s, old_len)) : 0;
}

/* ---- refcount walk ---- */

static int load_l1(BlockDriverState *bs, uint64_t l1_offset, uint32_t l1_size, uint64_t **l1)
{
    Qcow2State *s = qcow2_state(bs);
    *l1 = xzalloc(MAX(l1_size, 1) * sizeof(uint64_t));
    if (l1_offset == s->l1_offset && l1_size == s->l1_size) {
        memcpy(*l1, s->l1, (size_t)l1_size * 8);
        return 0;
    }
    uint8_t *raw = xmalloc(MAX(l1_size, 1) * 8);
    int ret = l1_size ? block_file_pread(bs->file, l1_offset, raw, (size_t)l1_size * 8) : 0;
    for (uint32_t i = 0; ret == 0 && i < l1_size; i++) {
        (*l1)[i] = qcow2_be64(raw + (size_t)i * 8);
    }
    free(raw);
    return ret;
}

static int update_table_entries(BlockDriverState *bs, const uint8_t *l2, int addend)
{
    Qcow2State *s = qcow2_state(bs);
    for (uint32_t i = 0; i < s->l2_entries; i++) {
        uint64_t e = qcow2_be64(l2 + (size_t)i * 8);
        int ret = 0;
        switch (qcow2_entry_type(s, e)) {
        case QCOW2_CLUSTER_NORMAL:
        case QCOW2_CLUSTER_ZERO_ALLOC:
            ret = qcow2_update_refcount(bs, e & QCOW2_L2_OFFSET_MASK, s->cluster_size, addend);
            break;
        case QCOW2_CLUSTER_COMPRESSED: {
            uint64_t off = e & s->coffset_mask;
            uint64_t sectors = ((e >> s->csize_shift) & s->csize_mask) + 1;
            ret = qcow2_update_refcount(bs, off & ~511ull, sectors * 512, addend);
            break;
        }
        default:
            break;
        }
        if (ret < 0) {
            return ret;
        }
    }
    return 0;
}

int qcow2_update_l1_refcounts(BlockDriverState *bs, uint64_t l1_offset, uint32_t l1_size,
                              int addend)
{
    Qcow2State *s = qcow2_state(bs);
    uint64_t *l1;
    int ret = load_l1(bs, l1_offset, l1_size, &l1);
    uint8_t *copy = xmalloc(s->cluster_size);
    for (uint32_t i = 0; ret == 0 && i < l1_size; i++) {
        uint64_t off = l1[i] & QCOW2_L1_OFFSET_MASK;
        if (!off) {
            continue;
        }
        if (qcow2_offset_into_cluster(s, off)) {
            ret = qcow2_signal_corruption(bs, "L2 table at unaligned offset 0x%llx",
                                          (unsigned long long)off);
            break;
        }
        uint8_t *l2 = qcow2_cache_get(bs, &s->l2_cache, off, &ret);
        if (!l2) {
            break;
        }
        memcpy(copy, l2, s->cluster_size);
        ret = update_table_entries(bs, copy, addend);
        if (ret == 0) {
            ret = qcow2_update_refcount(bs, off, s->cluster_size, addend);
        }
    }
    free(copy);
    free(l1);
    return ret;
}

/* Sets COPIED on the active tables exactly where the refcount is 1. */
static int fix_table_flags(BlockDriverState *bs, uint32_t l1_index)
{
    Qcow2State *s = qcow2_state(bs);
    uint64_t off = s->l1[l1_index] & QCOW2_L1_OFFSET_MASK;
    int ret;
    uint8_t *l2 = qcow2_cache_get(bs, &s->l2_cache, off, &ret);
    if (!l2) {
        return ret;
    }
    uint8_t *copy = xmalloc(s->cluster_size);
    memcpy(copy, l2, s->cluster_size);
    bool changed = false;
    for (uint32_t i = 0; i < s->l2_entries && ret == 0; i++) {
        uint64_t e = qcow2_be64(copy + (size_t)i * 8), rc = 0;
        Qcow2ClusterType t = qcow2_entry_type(s, e);
        if (t != QCOW2_CLUSTER_NORMAL && t != QCOW2_CLUSTER_ZERO_ALLOC) {
            continue;
        }
        ret = qcow2_get_refcount(bs, (e & QCOW2_L2_OFFSET_MASK) >> s->cluster_bits, &rc);
        uint64_t want = rc == 1 ? e | QCOW2_OFLAG_COPIED : e & ~QCOW2_OFLAG_COPIED;
        if (want != e) {
            qcow2_put_be64(copy + (size_t)i * 8, want);
            changed = true;
        }
    }
    if (ret == 0 && changed) {
        ret = block_file_pwrite(bs->file, off, copy, s->cluster_size);
        if (ret == 0) {
            qcow2_cache_put_new(bs, &s->l2_cache, off, copy);
        }
    }
    free(copy);
    return ret;
}

int qcow2_fix_copied_flags(BlockDriverState *bs)
{
    Qcow2State *s = qcow2_state(bs);
    for (uint32_t i = 0; i < s->l1_size; i++) {
        uint64_t off = s->l1[i] & QCOW2_L1_OFFSET_MASK, rc;
        if (!off) {
            continue;
        }
        int ret = qcow2_get_refcount(bs, off >> s->cluster_bits, &rc);
        if (ret < 0) {
            return ret;
        }
        uint64_t want = rc == 1 ? off | QCOW2_OFLAG_COPIED : off;
        if (want != s->l1[i]) {
            s->l1[i] = want;
            ret = qcow2_write_l1_entry(bs, i);
            if (ret < 0) {
                return ret;
            }
        }
        if ((ret = fix_table_flags(bs, i)) < 0) {
            return ret;
        }
    }
    return 0;
}

/* ---- operations ---- */

static int find_snapshot(Qcow2State *s, const char *id_or_name)
{
    for (uint32_t i = 0; i < s->nb_snapshots; i++) {
        if (!strcmp(s->snapshots[i].id, id_or_name)) {
            return (int)i;
        }
    }
    for (uint32_t i = 0; i < s->nb_snapshots; i++) {
        if (!strcmp(s->snapshots[i].name, id_or_name)) {
            return (int)i;
        }
    }
    return -1;
}

int qcow2_snapshot_list(BlockDriverState *bs, BlockSnapshotInfo **list, Error **errp)
{
    Qcow2State *s = qcow2_state(bs);
    BlockSnapshotInfo *l = xzalloc(sizeof(*l) * MAX(s->nb_snapshots, 1));
    for (uint32_t i = 0; i < s->nb_snapshots; i++) {
        Qcow2Snapshot *sn = &s->snapshots[i];
        l[i] = (BlockSnapshotInfo){
            .id = xstrdup(sn->id), .name = xstrdup(sn->name),
            .vm_state_size = sn->vm_state_size, .date_sec = sn->date_sec,
            .date_nsec = sn->date_nsec, .vm_clock_nsec = sn->vm_clock_nsec,
            .disk_size = sn->disk_size, .icount = sn->icount,
        };
    }
    *list = l;
    return (int)s->nb_snapshots;
}

static char *next_id(Qcow2State *s)
{
    unsigned long max = 0;
    for (uint32_t i = 0; i < s->nb_snapshots; i++) {
        unsigned long v = strtoul(s->snapshots[i].id, NULL, 10);
        max = MAX(max, v);
    }
    return xasprintf("%lu", max + 1);
}

/* Copies the active L1 table (COPIED flags cleared) to new clusters. */
static int64_t copy_active_l1(BlockDriverState *bs)
{
    Qcow2State *s = qcow2_state(bs);
    if (s->l1_size == 0) {
        return 0;
    }
    size_t bytes = (size_t)s->l1_size * 8;
    uint8_t *raw = xzalloc(qcow2_round_up(s, bytes));
    for (uint32_t i = 0; i < s->l1_size; i++) {
        qcow2_put_be64(raw + (size_t)i * 8, s->l1[i] & ~QCOW2_OFLAG_COPIED);
    }
    int64_t off = qcow2_alloc_clusters(bs, qcow2_round_up(s, bytes) >> s->cluster_bits);
    int ret = off < 0 ? (int)off : block_file_pwrite(bs->file, (uint64_t)off, raw, bytes);
    free(raw);
    return ret < 0 ? ret : off;
}

static int check_new_snapshot(Qcow2State *s, const BlockSnapshotInfo *sn, Error **errp)
{
    if (s->nb_snapshots >= QCOW2_MAX_SNAPSHOTS) {
        error_setg(errp, "qcow2: too many snapshots (%u)", s->nb_snapshots);
        return -EFBIG;
    }
    if (!sn->name || strlen(sn->name) > 65535 || (sn->id && strlen(sn->id) > 65535)) {
        error_setg(errp, "qcow2: invalid snapshot name");
        return -EINVAL;
    }
    for (uint32_t i = 0; i < s->nb_snapshots; i++) {
        if ((sn->id && !strcmp(s->snapshots[i].id, sn->id)) ||
            !strcmp(s->snapshots[i].name, sn->name)) {
            error_setg(errp, "qcow2: a snapshot named '%s' already exists", sn->name);
            return -EEXIST;
        }
    }
    return 0;
}

static void fill_new_snapshot(Qcow2State *s, const BlockSnapshotInfo *info, Qcow2Snapshot *sn,
                              uint64_t l1_offset)
{
    struct timeval tv;
    gettimeofday(&tv, NULL);
    *sn = (Qcow2Snapshot){
        .l1_offset = l1_offset, .l1_size = s->l1_size,
        .id = info->id ? xstrdup(info->id) : next_id(s), .name = xstrdup(info->name),
        .date_sec = info->date_sec ? info->date_sec : (uint32_t)tv.tv_sec,
        .date_nsec = info->date_sec ? info->date_nsec : (uint32_t)tv.tv_usec * 1000,
        .vm_clock_nsec = info->vm_clock_nsec, .vm_state_size = 0,
        .disk_size = s->size, .icount = info->icount ? info->icount : UINT64_MAX,
        .extra_size = SN_EXTRA_WRITTEN, .extra = xzalloc(SN_EXTRA_WRITTEN),
    };
}

int qcow2_snapshot_create(BlockDriverState *bs, const BlockSnapshotInfo *info, Error **errp)
{
    Qcow2State *s = qcow2_state(bs);
    int ret = s->corrupt ? -EIO : check_new_snapshot(s, info, errp);
    if (ret < 0) {
        return ret;
    }
    int64_t l1_off = copy_active_l1(bs);
    ret = l1_off < 0 ? (int)l1_off : qcow2_update_l1_refcounts(bs, s->l1_offset, s->l1_size, 1);
    if (ret == 0) {
        ret = qcow2_fix_copied_flags(bs);
    }
    if (ret < 0) {
        error_setg_errno(errp, -ret, "qcow2: cannot create snapshot '%s'", info->name);
        return ret;
    }
    Qcow2Snapshot *sns = xzalloc(sizeof(*sns) * (s->nb_snapshots + 1));
    memcpy(sns, s->snapshots, sizeof(*sns) * s->nb_snapshots);
    fill_new_snapshot(s, info, &sns[s->nb_snapshots], (uint64_t)l1_off);
    ret = write_table(bs, sns, s->nb_snapshots + 1);
    if (ret < 0) {
        Qcow2Snapshot *n = &sns[s->nb_snapshots];
        free(n->id);
        free(n->name);
        free(n->extra);
        free(sns);
        error_setg_errno(errp, -ret, "qcow2: cannot write the snapshot table");
        return ret;
    }
    free(s->snapshots);
    s->snapshots = sns;
    s->nb_snapshots++;
    return 0;
}

/* Makes the snapshot's L1 table the active one (new clusters, one header write). */
static int switch_active_l1(BlockDriverState *bs, const Qcow2Snapshot *sn)
{
    Qcow2State *s = qcow2_state(bs);
    uint64_t *l1;
    int ret = load_l1(bs, sn->l1_offset, sn->l1_size, &l1);
    size_t bytes = qcow2_round_up(s, MAX((size_t)sn->l1_size * 8, 1));
    uint8_t *raw = xzalloc(bytes);
    for (uint32_t i = 0; i < sn->l1_size; i++) {
        l1[i] &= ~QCOW2_OFLAG_COPIED;
        qcow2_put_be64(raw + (size_t)i * 8, l1[i]);
    }
    int64_t off = ret < 0 ? ret : qcow2_alloc_clusters(bs, bytes >> s->cluster_bits);
    ret = off < 0 ? (int)off : block_file_pwrite(bs->file, (uint64_t)off, raw, bytes);
    if (ret == 0) {
        uint8_t hdr[24] = { 0 };
        qcow2_put_be64(hdr, sn->disk_size);
        qcow2_put_be32(hdr + 12, sn->l1_size);
        qcow2_put_be64(hdr + 16, (uint64_t)off);
        ret = block_file_pwrite(bs->file, 24, hdr, sizeof(hdr));
    }
    if (ret == 0) {
        free(s->l1);
        s->l1 = l1;
        s->l1_size = sn->l1_size;
        s->l1_offset = (uint64_t)off;
        s->size = sn->disk_size;
        l1 = NULL;
    }
    free(l1);
    free(raw);
    return ret;
}

int qcow2_snapshot_apply(BlockDriverState *bs, const char *id_or_name, Error **errp)
{
    Qcow2State *s = qcow2_state(bs);
    int i = find_snapshot(s, id_or_name);
    if (i < 0) {
        error_setg(errp, "qcow2: snapshot '%s' not found", id_or_name);
        return -ENOENT;
    }
    Qcow2Snapshot *sn = &s->snapshots[i];
    uint64_t per_l2 = (uint64_t)s->l2_entries << s->cluster_bits;
    if (s->corrupt || (sn->disk_size + per_l2 - 1) / per_l2 > sn->l1_size) {
        error_setg(errp, "qcow2: snapshot '%s' is inconsistent", id_or_name);
        return -EIO;
    }
    uint64_t old_off = s->l1_offset;
    uint32_t old_size = s->l1_size;
    int ret = qcow2_update_l1_refcounts(bs, sn->l1_offset, sn->l1_size, 1);
    if (ret == 0) {
        ret = switch_active_l1(bs, sn);
    }
    if (ret == 0) {
        ret = qcow2_update_l1_refcounts(bs, old_off, old_size, -1);
    }
    if (ret == 0 && old_size) {
        ret = qcow2_free_clusters(bs, old_off, qcow2_round_up(s, (uint64_t)old_size * 8));
    }
    if (ret == 0) {
        ret = qcow2_fix_copied_flags(bs);
    }
    if (ret < 0) {
        error_setg_errno(errp, -ret, "qcow2: cannot apply snapshot '%s'", id_or_name);
    }
    return ret;
}

int qcow2_snapshot_delete(BlockDriverState *bs, const char *id_or_name, Error **errp)
{
    Qcow2State *s = qcow2_state(bs);
    int i = find_snapshot(s, id_or_name);
    if (i < 0) {
        error_setg(errp, "qcow2: snapshot '%s' not found", id_or_name);
        return -ENOENT;
    }
    if (s->corrupt) {
        return -EIO;
    }
    Qcow2Snapshot victim = s->snapshots[i];
    Qcow2Snapshot *sns = xzalloc(sizeof(*sns) * MAX(s->nb_snapshots, 1));
    uint32_t n = 0;
    for (uint32_t j = 0; j < s->nb_snapshots; j++) {
        if ((int)j != i) {
            sns[n++] = s->snapshots[j];
        }
    }
    int ret = write_table(bs, sns, n);
    if (ret < 0) {
        free(sns);
        error_setg_errno(errp, -ret, "qcow2: cannot write the snapshot table");
        return ret;
    }
    free(s->snapshots);
    s->snapshots = sns;
    s->nb_snapshots = n;
    ret = qcow2_update_l1_refcounts(bs, victim.l1_offset, victim.l1_size, -1);
    if (ret == 0 && victim.l1_size) {
        ret = qcow2_free_clusters(bs, victim.l1_offset,
                                  qcow2_round_up(s, (uint64_t)victim.l1_size * 8));
    }
    if (ret == 0) {
        ret = qcow2_fix_copied_flags(bs);
    }
    free(victim.id);
    free(victim.name);
    free(victim.extra);
    if (ret < 0) {
        error_setg_errno(errp, -ret, "qcow2: cannot delete snapshot '%s'", id_or_name);
    }
    return ret;
}
