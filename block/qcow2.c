/* qcow2 format driver: header and header extensions, open/close, create, resize, amend,
 * info. QEMU's qcow2 specification (docs/interop/qcow2.txt), versions 2 and 3. */
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include "block/qcow2.h"
#include "util/cutils.h"

#define L2_CACHE_TABLES 32
#define RB_CACHE_BLOCKS 8

/* ---- byte order ---- */

uint16_t qcow2_be16(const uint8_t *p)
{
    return (uint16_t)(p[0] << 8 | p[1]);
}

uint32_t qcow2_be32(const uint8_t *p)
{
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

uint64_t qcow2_be64(const uint8_t *p)
{
    return (uint64_t)qcow2_be32(p) << 32 | qcow2_be32(p + 4);
}

void qcow2_put_be16(uint8_t *p, uint16_t v)
{
    p[0] = v >> 8;
    p[1] = (uint8_t)v;
}

void qcow2_put_be32(uint8_t *p, uint32_t v)
{
    p[0] = v >> 24;
    p[1] = (uint8_t)(v >> 16);
    p[2] = (uint8_t)(v >> 8);
    p[3] = (uint8_t)v;
}

void qcow2_put_be64(uint8_t *p, uint64_t v)
{
    qcow2_put_be32(p, (uint32_t)(v >> 32));
    qcow2_put_be32(p + 4, (uint32_t)v);
}

/* ---- probe ---- */

static int qcow2_probe(const uint8_t *buf, size_t len, const char *filename)
{
    if (len < 8 || qcow2_be32(buf) != QCOW2_MAGIC) {
        return 0;
    }
    uint32_t version = qcow2_be32(buf + 4);
    return version == 2 || version == 3 ? 100 : 0;
}

/* ---- geometry and validation ---- */

void qcow2_init_geometry(Qcow2State *s)
{
    s->cluster_size = 1u << s->cluster_bits;
    s->l2_entries = s->cluster_size / 8;
    s->refcount_bits = 1u << s->refcount_order;
    s->refcount_max = s->refcount_order == 6 ? UINT64_MAX : (1ull << s->refcount_bits) - 1;
    s->rb_entries = ((uint64_t)s->cluster_size * 8) >> s->refcount_order;
    s->csize_shift = 62 - (s->cluster_bits - 8);
    s->csize_mask = (1ull << (s->cluster_bits - 8)) - 1;
    s->coffset_mask = (1ull << s->csize_shift) - 1;
}

/* Offset of a table of n_bytes: cluster-aligned and without overflow. */
static int check_table(Qcow2State *s, const char *what, uint64_t offset, uint64_t n_bytes,
                       uint64_t max_bytes, Error **errp)
{
    if (n_bytes > max_bytes) {
        error_setg(errp, "qcow2: %s is too large (%llu bytes, at most %llu)", what,
                   (unsigned long long)n_bytes, (unsigned long long)max_bytes);
        return -1;
    }
    if (qcow2_offset_into_cluster(s, offset) || offset > (1ull << 56) ||
        (n_bytes && offset == 0)) {
        error_setg(errp, "qcow2: invalid %s offset 0x%llx", what, (unsigned long long)offset);
        return -1;
    }
    return 0;
}

static uint64_t l1_entries_for(Qcow2State *s, uint64_t size)
{
    uint64_t per_l2 = (uint64_t)s->l2_entries << s->cluster_bits;
    return (size + per_l2 - 1) / per_l2;
}

static int parse_fixed_header(Qcow2State *s, const uint8_t *h, Error **errp)
{
    if (qcow2_be32(h) != QCOW2_MAGIC) {
        error_setg(errp, "qcow2: bad magic");
        return -1;
    }
    s->version = qcow2_be32(h + 4);
    if (s->version != 2 && s->version != 3) {
        error_setg(errp, "qcow2: unsupported version %u", s->version);
        return -1;
    }
    s->backing_offset = qcow2_be64(h + 8);
    s->backing_size = qcow2_be32(h + 16);
    s->cluster_bits = qcow2_be32(h + 20);
    if (s->cluster_bits < QCOW2_MIN_CLUSTER_BITS || s->cluster_bits > QCOW2_MAX_CLUSTER_BITS) {
        error_setg(errp, "qcow2: unsupported cluster_bits %u (9 to 21)", s->cluster_bits);
        return -1;
    }
    s->size = qcow2_be64(h + 24);
    if (qcow2_be32(h + 32) != 0) {
        error_setg(errp, "qcow2: encrypted images (method %u) are not supported",
                   qcow2_be32(h + 32));
        return -1;
    }
    s->l1_size = qcow2_be32(h + 36);
    s->l1_offset = qcow2_be64(h + 40);
    s->rt_offset = qcow2_be64(h + 48);
    s->rt_clusters = qcow2_be32(h + 56);
    s->nb_snapshots = qcow2_be32(h + 60);
    s->snapshots_offset = qcow2_be64(h + 64);
    s->refcount_order = 4;
    s->header_length = QCOW2_V2_HEADER_LEN;
    if (s->version == 3) {
        s->incompat = qcow2_be64(h + 72);
        s->compat = qcow2_be64(h + 80);
        s->autoclear = qcow2_be64(h + 88);
        s->refcount_order = qcow2_be32(h + 96);
        s->header_length = qcow2_be32(h + 100);
    }
    return 0;
}

static int validate_header(Qcow2State *s, Error **errp)
{
    if (s->refcount_order > 6) {
        error_setg(errp, "qcow2: invalid refcount order %u (0 to 6)", s->refcount_order);
        return -1;
    }
    qcow2_init_geometry(s);
    if (s->version == 3 && (s->header_length < 104 || s->header_length > s->cluster_size ||
                            s->header_length % 8)) {
        error_setg(errp, "qcow2: invalid header length %u", s->header_length);
        return -1;
    }
    if (s->refcount_order > 6) {
        error_setg(errp, "qcow2: invalid refcount order %u (0 to 6)", s->refcount_order);
        return -1;
    }
    if (s->size > BLOCK_MAX_IMAGE_SIZE) {
        error_setg(errp, "qcow2: virtual size %llu is too large", (unsigned long long)s->size);
        return -1;
    }
    if (check_table(s, "L1 table", s->l1_offset, (uint64_t)s->l1_size * 8,
                    QCOW2_MAX_L1_BYTES, errp) < 0 ||
        check_table(s, "refcount table", s->rt_offset,
                    (uint64_t)s->rt_clusters << s->cluster_bits, QCOW2_MAX_REFTABLE_BYTES,
                    errp) < 0) {
        return -1;
    }
    if (s->rt_clusters == 0) {
        error_setg(errp, "qcow2: the image has no refcount table");
        return -1;
    }
    if (l1_entries_for(s, s->size) > s->l1_size) {
        error_setg(errp, "qcow2: L1 table (%u entries) too small for size %llu", s->l1_size,
                   (unsigned long long)s->size);
        return -1;
    }
    if (s->nb_snapshots > QCOW2_MAX_SNAPSHOTS ||
        qcow2_offset_into_cluster(s, s->snapshots_offset) ||
        (s->nb_snapshots && s->snapshots_offset == 0)) {
        error_setg(errp, "qcow2: invalid snapshot table (%u snapshots at 0x%llx)",
                   s->nb_snapshots, (unsigned long long)s->snapshots_offset);
        return -1;
    }
    if (s->backing_offset && (s->backing_size == 0 || s->backing_size > QCOW2_MAX_BACKING_NAME ||
                              s->backing_offset > s->cluster_size ||
                              s->backing_size > s->cluster_size - s->backing_offset)) {
        error_setg(errp, "qcow2: invalid backing file name (offset %llu, length %u)",
                   (unsigned long long)s->backing_offset, s->backing_size);
        return -1;
    }
    return 0;
}

static int check_features(Qcow2State *s, Error **errp)
{
    uint64_t unknown = s->incompat & ~QCOW2_INCOMPAT_KNOWN;
    if (unknown & QCOW2_INCOMPAT_DATA_FILE) {
        error_setg(errp, "qcow2: external data files are not supported");
        return -1;
    }
    if (unknown & QCOW2_INCOMPAT_COMPRESSION) {
        error_setg(errp, "qcow2: compression types other than zlib are not supported");
        return -1;
    }
    if (unknown & QCOW2_INCOMPAT_EXTL2) {
        error_setg(errp, "qcow2: extended L2 entries are not supported");
        return -1;
    }
    if (unknown) {
        error_setg(errp, "qcow2: unsupported incompatible features 0x%llx",
                   (unsigned long long)unknown);
        return -1;
    }
    return 0;
}

/* ---- header extensions ---- */

static void ext_add(Qcow2State *s, uint32_t type, const uint8_t *data, uint32_t len)
{
    s->ext = xrealloc(s->ext, sizeof(*s->ext) * (s->n_ext + 1));
    s->ext[s->n_ext].type = type;
    s->ext[s->n_ext].len = len;
    s->ext[s->n_ext].data = xmalloc(len ? len : 1);
    memcpy(s->ext[s->n_ext].data, data, len);
    s->n_ext++;
}

static void ext_free_all(Qcow2State *s)
{
    for (int i = 0; i < s->n_ext; i++) {
        free(s->ext[i].data);
    }
    free(s->ext);
    s->ext = NULL;
    s->n_ext = 0;
}

static int parse_extensions(BlockDriverState *bs, const uint8_t *c0, Error **errp)
{
    Qcow2State *s = qcow2_state(bs);
    uint64_t off = s->header_length;
    uint64_t end = s->backing_offset ? s->backing_offset : s->cluster_size;
    while (off + 8 <= end) {
        uint32_t type = qcow2_be32(c0 + off), len = qcow2_be32(c0 + off + 4);
        off += 8;
        if (type == QCOW2_EXT_END) {
            return 0;
        }
        if (len > end - off || s->n_ext >= QCOW2_MAX_EXTENSIONS) {
            error_setg(errp, "qcow2: invalid header extension 0x%x (length %u)", type, len);
            return -1;
        }
        if (type == QCOW2_EXT_BACKING_FORMAT) {
            if (len == 0 || len > 63) {
                error_setg(errp, "qcow2: invalid backing format length %u", len);
                return -1;
            }
            free(bs->backing_format);
            bs->backing_format = xzalloc(len + 1);
            memcpy(bs->backing_format, c0 + off, len);
        } else {
            ext_add(s, type, c0 + off, len);     /* kept intact on rewrite */
        }
        off += ROUND_UP((uint64_t)len, 8);
    }
    return 0;
}

/* The feature name table QEMU writes: type, bit, 46-byte name. */
static void add_feature_table(Qcow2State *s)
{
    static const struct { uint8_t type, bit; const char *name; } f[] = {
        { 0, 0, "dirty bit" }, { 0, 1, "corrupt bit" }, { 0, 2, "external data file" },
        { 0, 3, "compression type" }, { 0, 4, "extended L2 entries" },
        { 1, 0, "lazy refcounts" }, { 2, 0, "bitmaps" }, { 2, 1, "raw external data" },
    };
    uint8_t table[ARRAY_SIZE(f) * 48];
    memset(table, 0, sizeof(table));
    for (size_t i = 0; i < ARRAY_SIZE(f); i++) {
        table[i * 48] = f[i].type;
        table[i * 48 + 1] = f[i].bit;
        memcpy(table + i * 48 + 2, f[i].name, strlen(f[i].name));
    }
    ext_add(s, QCOW2_EXT_FEATURE_TABLE, table, sizeof(table));
}

/* Builds cluster 0: header, extensions (backing format first, then those kept), end
 * marker, backing file name. */
static int build_header(BlockDriverState *bs, uint8_t *c0)
{
    Qcow2State *s = qcow2_state(bs);
    memset(c0, 0, s->cluster_size);
    uint32_t hlen = s->version == 3 ? QCOW2_V3_HEADER_LEN : QCOW2_V2_HEADER_LEN;
    qcow2_put_be32(c0, QCOW2_MAGIC);
    qcow2_put_be32(c0 + 4, s->version);
    qcow2_put_be32(c0 + 20, s->cluster_bits);
    qcow2_put_be64(c0 + 24, s->size);
    qcow2_put_be32(c0 + 36, s->l1_size);
    qcow2_put_be64(c0 + 40, s->l1_offset);
    qcow2_put_be64(c0 + 48, s->rt_offset);
    qcow2_put_be32(c0 + 56, s->rt_clusters);
    qcow2_put_be32(c0 + 60, s->nb_snapshots);
    qcow2_put_be64(c0 + 64, s->snapshots_offset);
    if (s->version == 3) {
        qcow2_put_be64(c0 + 72, s->incompat);
        qcow2_put_be64(c0 + 80, s->compat);
        qcow2_put_be64(c0 + 88, s->autoclear);
        qcow2_put_be32(c0 + 96, s->refcount_order);
        qcow2_put_be32(c0 + 100, hlen);
    }
    uint64_t off = hlen;
    size_t fmt_len = bs->backing_format ? strlen(bs->backing_format) : 0;
    size_t name_len = bs->backing_file ? strlen(bs->backing_file) : 0;
    uint64_t need = off + (fmt_len ? 8 + ROUND_UP(fmt_len, 8) : 0) + 8 + name_len;
    uint64_t optional = 0;
    for (int i = 0; i < s->n_ext; i++) {
        need += 8 + ROUND_UP((uint64_t)s->ext[i].len, 8);
        if (s->ext[i].type == QCOW2_EXT_FEATURE_TABLE) {
            optional += 8 + ROUND_UP((uint64_t)s->ext[i].len, 8);
        }
    }
    bool skip_features = need > s->cluster_size && need - optional <= s->cluster_size;
    if ((need > s->cluster_size && !skip_features) || name_len > QCOW2_MAX_BACKING_NAME) {
        return -ENOSPC;
    }
    if (fmt_len) {
        qcow2_put_be32(c0 + off, QCOW2_EXT_BACKING_FORMAT);
        qcow2_put_be32(c0 + off + 4, (uint32_t)fmt_len);
        memcpy(c0 + off + 8, bs->backing_format, fmt_len);
        off += 8 + ROUND_UP(fmt_len, 8);
    }
    for (int i = 0; i < s->n_ext; i++) {
        if (skip_features && s->ext[i].type == QCOW2_EXT_FEATURE_TABLE) {
            continue;       /* optional: dropped when the cluster is too small */
        }
        qcow2_put_be32(c0 + off, s->ext[i].type);
        qcow2_put_be32(c0 + off + 4, s->ext[i].len);
        memcpy(c0 + off + 8, s->ext[i].data, s->ext[i].len);
        off += 8 + ROUND_UP((uint64_t)s->ext[i].len, 8);
    }
    off += 8;       /* end marker: zeros */
    if (name_len) {
        memcpy(c0 + off, bs->backing_file, name_len);
        qcow2_put_be64(c0 + 8, off);
        qcow2_put_be32(c0 + 16, (uint32_t)name_len);
    }
    s->header_length = hlen;
    return 0;
}

int qcow2_write_header(BlockDriverState *bs)
{
    Qcow2State *s = qcow2_state(bs);
    uint8_t *c0 = xmalloc(s->cluster_size);
    int ret = build_header(bs, c0);
    if (ret == 0) {
        ret = block_file_pwrite(bs->file, 0, c0, s->cluster_size);
    }
    free(c0);
    return ret;
}

int qcow2_write_incompat(BlockDriverState *bs, uint64_t incompat)
{
    Qcow2State *s = qcow2_state(bs);
    if (s->version < 3) {
        return 0;
    }
    uint8_t buf[8];
    qcow2_put_be64(buf, incompat);
    int ret = block_file_pwrite(bs->file, 72, buf, 8);
    if (ret == 0) {
        s->incompat = incompat;
    }
    return ret;
}

int qcow2_signal_corruption(BlockDriverState *bs, const char *fmt, ...)
{
    Qcow2State *s = qcow2_state(bs);
    char msg[256];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof(msg), fmt, ap);
    va_end(ap);
    if (!s->corrupt) {
        error_report("qcow2: '%s' is corrupt: %s; further writes are refused (repair with "
                     "'mimic-img check -r all')", bs->filename, msg);
    }
    s->corrupt = true;
    if (!bs->read_only && !bs->check_mode && s->version == 3 &&
        !(s->incompat & QCOW2_INCOMPAT_CORRUPT)) {
        qcow2_write_incompat(bs, s->incompat | QCOW2_INCOMPAT_CORRUPT);
    }
    return -EIO;
}

/* ---- open / close ---- */

static int read_l1(BlockDriverState *bs, Error **errp)
{
    Qcow2State *s = qcow2_state(bs);
    s->l1 = xzalloc(MAX(1, (size_t)s->l1_size) * 8);
    if (s->l1_size == 0) {
        return 0;
    }
    uint8_t *raw = xmalloc((size_t)s->l1_size * 8);
    int ret = block_file_pread(bs->file, s->l1_offset, raw, (size_t)s->l1_size * 8);
    if (ret < 0) {
        error_setg_errno(errp, -ret, "qcow2: cannot read the L1 table");
        free(raw);
        return -1;
    }
    for (uint32_t i = 0; i < s->l1_size; i++) {
        s->l1[i] = qcow2_be64(raw + i * 8);
    }
    free(raw);
    return 0;
}

static int read_backing_name(BlockDriverState *bs, const uint8_t *c0)
{
    Qcow2State *s = qcow2_state(bs);
    if (!s->backing_offset) {
        free(bs->backing_format);
        bs->backing_format = NULL;
        return 0;
    }
    bs->backing_file = xzalloc(s->backing_size + 1);
    memcpy(bs->backing_file, c0 + s->backing_offset, s->backing_size);
    return 0;
}

static int read_headers(BlockDriverState *bs, Error **errp)
{
    Qcow2State *s = qcow2_state(bs);
    uint8_t h[QCOW2_V3_HEADER_LEN];
    int ret = block_file_pread(bs->file, 0, h, sizeof(h));
    if (ret < 0) {
        error_setg_errno(errp, -ret, "qcow2: cannot read the header");
        return -1;
    }
    if (parse_fixed_header(s, h, errp) < 0 || validate_header(s, errp) < 0 ||
        check_features(s, errp) < 0) {
        return -1;
    }
    if (s->version == 3 && s->header_length > 104 && h[104] != 0) {
        error_setg(errp, "qcow2: unsupported compression type %u", h[104]);
        return -1;
    }
    uint8_t *c0 = xmalloc(s->cluster_size);
    ret = block_file_pread(bs->file, 0, c0, s->cluster_size);
    if (ret < 0) {
        error_setg_errno(errp, -ret, "qcow2: cannot read the header cluster");
    } else if (parse_extensions(bs, c0, errp) == 0) {
        ret = read_backing_name(bs, c0);
    } else {
        ret = -1;
    }
    free(c0);
    return ret < 0 ? -1 : 0;
}

static void qcow2_free_state(Qcow2State *s)
{
    free(s->l1);
    free(s->rt);
    s->l1 = NULL;
    s->rt = NULL;
    qcow2_free_snapshots(s);
    ext_free_all(s);
    qcow2_cache_free(&s->l2_cache);
    qcow2_cache_free(&s->rb_cache);
}

static int repair_dirty(BlockDriverState *bs, Error **errp)
{
    Qcow2State *s = qcow2_state(bs);
    BlockCheckResult res;
    warn_report("qcow2: '%s' was not closed cleanly; repairing refcounts", bs->filename);
    s->quiet = true;
    int ret = qcow2_check(bs, &res, BLOCK_FIX_LEAKS | BLOCK_FIX_ERRORS);
    s->quiet = false;
    if (ret < 0 || res.corruptions || res.check_errors) {
        error_setg(errp, "qcow2: could not repair '%s' after an unclean shutdown",
                   bs->filename);
        return -1;
    }
    return qcow2_write_incompat(bs, s->incompat & ~QCOW2_INCOMPAT_DIRTY) < 0 ? -1 : 0;
}

static int qcow2_open(BlockDriverState *bs, Error **errp)
{
    Qcow2State *s = qcow2_state(bs);
    qcow2_cache_init(&s->l2_cache, L2_CACHE_TABLES);
    qcow2_cache_init(&s->rb_cache, RB_CACHE_BLOCKS);
    if (read_headers(bs, errp) < 0 || read_l1(bs, errp) < 0 ||
        qcow2_read_refcount_table(bs, errp) < 0 || qcow2_read_snapshots(bs, errp) < 0) {
        qcow2_free_state(s);
        return -1;
    }
    s->lazy_refcounts = s->compat & QCOW2_COMPAT_LAZY_REFCOUNTS;
    if (s->incompat & QCOW2_INCOMPAT_CORRUPT) {
        s->corrupt = true;
        if (!bs->read_only && !bs->check_mode) {
            warn_report("qcow2: '%s' is marked corrupt: opened read-only; repair it with "
                        "'mimic-img check -r all'", bs->filename);
            bs->read_only = true;
        }
    }
    if ((s->incompat & QCOW2_INCOMPAT_DIRTY) && !bs->read_only && !bs->check_mode &&
        repair_dirty(bs, errp) < 0) {
        qcow2_free_state(s);
        return -1;
    }
    return 0;
}

static int qcow2_flush(BlockDriverState *bs)
{
    int ret = qcow2_refcount_flush(bs);
    return ret < 0 ? ret : block_file_flush(bs->file);
}

static void qcow2_close(BlockDriverState *bs)
{
    Qcow2State *s = qcow2_state(bs);
    if (!bs->read_only) {
        int ret = qcow2_flush(bs);
        if (ret == 0 && (s->incompat & QCOW2_INCOMPAT_DIRTY) && !s->corrupt &&
            !bs->check_mode) {
            qcow2_write_incompat(bs, s->incompat & ~QCOW2_INCOMPAT_DIRTY);
            block_file_flush(bs->file);
        }
        if (ret < 0) {
            error_report("qcow2: flushing '%s' at close failed: %s", bs->filename,
                         strerror(-ret));
        }
    }
    qcow2_free_state(s);
}

static int64_t qcow2_length(BlockDriverState *bs)
{
    return (int64_t)qcow2_state(bs)->size;
}

/* ---- resize ---- */

static int write_size(BlockDriverState *bs, uint64_t size)
{
    uint8_t buf[8];
    qcow2_put_be64(buf, size);
    int ret = block_file_pwrite(bs->file, 24, buf, 8);
    if (ret == 0) {
        qcow2_state(bs)->size = size;
    }
    return ret;
}

static int qcow2_truncate(BlockDriverState *bs, uint64_t size, bool shrink,
                          BlockPrealloc prealloc, Error **errp)
{
    Qcow2State *s = qcow2_state(bs);
    uint64_t old = s->size;
    int ret;
    if (s->corrupt) {
        error_setg(errp, "qcow2: '%s' is corrupt", bs->filename);
        return -EIO;
    }
    if (size % BLOCK_SECTOR_SIZE) {
        error_setg(errp, "qcow2: size %llu is not a multiple of 512",
                   (unsigned long long)size);
        return -EINVAL;
    }
    if (size < old && s->nb_snapshots) {
        error_setg(errp, "qcow2: cannot shrink an image with internal snapshots");
        return -ENOTSUP;
    }
    if (l1_entries_for(s, size) * 8 > QCOW2_MAX_L1_BYTES) {
        error_setg(errp, "qcow2: size %llu needs an L1 table over %u bytes",
                   (unsigned long long)size, QCOW2_MAX_L1_BYTES);
        return -EFBIG;
    }
    if (size < old) {
        ret = qcow2_shrink_clusters(bs, size);
        ret = ret < 0 ? ret : write_size(bs, size);
    } else {
        ret = qcow2_grow_l1(bs, l1_entries_for(s, size));
        ret = ret < 0 ? ret : write_size(bs, size);
        if (ret == 0 && prealloc != BLOCK_PREALLOC_OFF) {
            ret = qcow2_preallocate(bs, old, size);
        }
        if (ret == 0 && (prealloc == BLOCK_PREALLOC_FALLOC || prealloc == BLOCK_PREALLOC_FULL)) {
            int64_t end = block_file_length(bs->file);
            ret = end < 0 ? (int)end : block_file_preallocate(bs->file, 0, (uint64_t)end,
                                                              prealloc);
        }
    }
    if (ret < 0) {
        error_setg_errno(errp, -ret, "qcow2: cannot resize '%s'", bs->filename);
    }
    return ret;
}

/* ---- create ---- */

static int create_options(BlockCreateOptions *opts, Qcow2State *s, Error **errp)
{
    uint64_t cs = opts->cluster_size ? opts->cluster_size : 65536;
    if (cs < 512 || cs > (2u << 20) || (cs & (cs - 1))) {
        error_setg(errp, "qcow2: cluster size %llu must be a power of two from 512 to 2M",
                   (unsigned long long)cs);
        return -1;
    }
    s->cluster_bits = (uint32_t)__builtin_ctzll(cs);
    s->version = opts->compat ? (uint32_t)block_parse_compat(opts->compat) : 3;
    int bits = opts->refcount_bits ? opts->refcount_bits : 16;
    s->refcount_order = (uint32_t)__builtin_ctz((unsigned)bits);
    if (s->version == 2 && bits != 16) {
        error_setg(errp, "qcow2: compat=0.10 requires refcount_bits=16");
        return -1;
    }
    if (s->version == 2 && opts->lazy_refcounts) {
        error_setg(errp, "qcow2: lazy_refcounts require compat=1.1");
        return -1;
    }
    if (opts->size % BLOCK_SECTOR_SIZE) {
        error_setg(errp, "qcow2: size %llu is not a multiple of 512",
                   (unsigned long long)opts->size);
        return -1;
    }
    s->compat = opts->lazy_refcounts ? QCOW2_COMPAT_LAZY_REFCOUNTS : 0;
    qcow2_init_geometry(s);
    return 0;
}

/* Header in cluster 0, refcount table in cluster 1, one refcount block in cluster 2
 * counting clusters 0-2; an empty L1 table grown by the resize that follows. */
static int write_empty_image(BlockDriverState *fake, BlockFile *f, Error **errp)
{
    Qcow2State *s = qcow2_state(fake);
    uint64_t cs = s->cluster_size;
    uint8_t *buf = xzalloc(3 * cs);
    s->rt_offset = cs;
    s->rt_clusters = 1;
    if (s->version == 3) {
        add_feature_table(s);
    }
    int ret = build_header(fake, buf);
    if (ret < 0) {
        error_setg(errp, "qcow2: the backing file name does not fit in the header cluster");
        free(buf);
        return ret;
    }
    qcow2_put_be64(buf + cs, 2 * cs);
    for (int i = 0; i < 3; i++) {
        qcow2_refcount_set_raw(buf + 2 * cs, i, s->refcount_order, 1);
    }
    ret = block_file_pwrite(f, 0, buf, 3 * cs);
    free(buf);
    if (ret < 0) {
        error_setg_errno(errp, -ret, "qcow2: cannot write '%s'", f->filename);
    }
    return ret;
}

static int qcow2_create(const char *filename, BlockCreateOptions *opts, Error **errp)
{
    Qcow2State s = { 0 };
    BlockDriverState fake = { .opaque = &s, .backing_file = (char *)opts->backing_file,
                              .backing_format = (char *)opts->backing_fmt };
    if (create_options(opts, &s, errp) < 0) {
        return -EINVAL;
    }
    BlockFile *f;
    if (block_file_create(filename, &f, errp) < 0) {
        return -EIO;
    }
    int ret = write_empty_image(&fake, f, errp);
    ext_free_all(&s);
    block_file_close(f);
    if (ret < 0) {
        return ret;
    }
    BlockOpenOptions o = { .format = "qcow2", .no_backing = true };
    BlockDriverState *bs = block_open(filename, &o, errp);
    if (!bs) {
        return -EIO;
    }
    ret = block_truncate(bs, opts->size, false, opts->prealloc, errp);
    if (ret == 0) {
        ret = block_flush(bs);
    }
    block_close(bs);
    return ret;
}

static const BlockCreateOptionDesc qcow2_create_options[] = {
    { "compat", "Compatibility level (v2 or 0.10, v3 or 1.1)" },
    { "backing_file", "File name of a base image" },
    { "backing_fmt", "Image format of the base image" },
    { "cluster_size", "qcow2 cluster size (512 to 2M)" },
    { "preallocation", "Preallocation mode (allowed values: off, metadata, falloc, full)" },
    { "lazy_refcounts", "Postpone refcount updates" },
    { "refcount_bits", "Width of a reference count entry in bits (1 to 64)" },
    { NULL, NULL },
};

/* ---- info, backing, amend ---- */

static void info_add(BlockImageInfo *info, const char *key, BlockInfoType type,
                     const char *str, int64_t num)
{
    if (info->n_specific >= BLOCK_INFO_MAX_FIELDS) {
        return;
    }
    BlockInfoField *f = &info->specific[info->n_specific++];
    snprintf(f->key, sizeof(f->key), "%s", key);
    f->type = type;
    snprintf(f->str, sizeof(f->str), "%s", str ? str : "");
    f->num = num;
}

static int qcow2_get_info(BlockDriverState *bs, BlockImageInfo *info)
{
    Qcow2State *s = qcow2_state(bs);
    info->cluster_size = s->cluster_size;
    info->dirty = s->incompat & QCOW2_INCOMPAT_DIRTY;
    info->corrupt = s->corrupt;
    info_add(info, "compat", BLOCK_INFO_STR, s->version == 3 ? "1.1" : "0.10", 0);
    if (s->version == 3) {
        info_add(info, "compression-type", BLOCK_INFO_STR, "zlib", 0);
        info_add(info, "lazy-refcounts", BLOCK_INFO_BOOL, NULL, s->lazy_refcounts);
    }
    info_add(info, "refcount-bits", BLOCK_INFO_INT, NULL, s->refcount_bits);
    if (s->version == 3) {
        info_add(info, "corrupt", BLOCK_INFO_BOOL, NULL, s->corrupt);
        info_add(info, "extended-l2", BLOCK_INFO_BOOL, NULL, 0);
    }
    return 0;
}

static int qcow2_change_backing_file(BlockDriverState *bs, const char *backing_file,
                                     const char *backing_fmt, Error **errp)
{
    char *old_file = bs->backing_file, *old_fmt = bs->backing_format;
    bs->backing_file = (char *)backing_file;
    bs->backing_format = backing_file ? (char *)backing_fmt : NULL;
    int ret = qcow2_write_header(bs);
    bs->backing_file = old_file;
    bs->backing_format = old_fmt;
    if (ret == -ENOSPC) {
        error_setg(errp, "qcow2: backing file name does not fit in the header cluster");
    } else if (ret < 0) {
        error_setg_errno(errp, -ret, "qcow2: cannot rewrite the header");
    }
    return ret;
}

/* v2 has no zero flag: zero clusters become unallocated (no backing file) or are written
 * as data. */
static int expand_zero_clusters(BlockDriverState *bs)
{
    Qcow2State *s = qcow2_state(bs);
    uint8_t *zeros = xzalloc(s->cluster_size);
    int ret = 0;
    for (uint64_t off = 0; off < s->size && ret == 0; off += s->cluster_size) {
        uint64_t e;
        ret = qcow2_get_l2_entry(bs, off, &e);
        Qcow2ClusterType t = qcow2_entry_type(s, e);
        if (ret < 0 || (t != QCOW2_CLUSTER_ZERO_PLAIN && t != QCOW2_CLUSTER_ZERO_ALLOC)) {
            continue;
        }
        if (!bs->backing_file) {
            ret = qcow2_discard(bs, off, MIN((uint64_t)s->cluster_size, s->size - off));
            ret = ret < 0 ? ret : qcow2_get_l2_entry(bs, off, &e);
            if (ret < 0 || qcow2_entry_type(s, e) == QCOW2_CLUSTER_UNALLOCATED) {
                continue;
            }
        }
        ret = qcow2_write(bs, off, zeros, MIN((uint64_t)s->cluster_size, s->size - off));
    }
    free(zeros);
    return ret;
}

static int amend_compat(BlockDriverState *bs, int version, bool lazy, Error **errp)
{
    Qcow2State *s = qcow2_state(bs);
    if (version == 2) {
        if (s->refcount_order != 4 || lazy || s->nb_snapshots) {
            error_setg(errp, "qcow2: compat=0.10 needs refcount_bits=16, no lazy refcounts "
                       "and no internal snapshots");
            return -ENOTSUP;
        }
        int ret = expand_zero_clusters(bs);
        if (ret < 0) {
            error_setg_errno(errp, -ret, "qcow2: cannot expand zero clusters");
            return ret;
        }
        s->incompat = 0;
        s->compat = 0;
        s->autoclear = 0;
    }
    s->version = (uint32_t)version;
    if (version == 3 && s->n_ext == 0) {
        add_feature_table(s);
    }
    return 0;
}

static int qcow2_amend(BlockDriverState *bs, KeyValList *opts, Error **errp)
{
    Qcow2State *s = qcow2_state(bs);
    const char *compat = keyval_get(opts, "compat");
    bool lazy = s->lazy_refcounts;
    if (keyval_get_bool(opts, "lazy_refcounts", lazy, &lazy, errp) < 0) {
        return -EINVAL;
    }
    if (compat) {
        int v = block_parse_compat(compat);
        if (v < 0) {
            error_setg(errp, "qcow2: invalid compat '%s'", compat);
            return -EINVAL;
        }
        if ((uint32_t)v != s->version && amend_compat(bs, v, lazy, errp) < 0) {
            return -ENOTSUP;
        }
    }
    if (lazy && s->version < 3) {
        error_setg(errp, "qcow2: lazy_refcounts require compat=1.1");
        return -EINVAL;
    }
    if (keyval_check_unused(opts, "qcow2 amend", errp) < 0) {
        return -EINVAL;
    }
    int ret = qcow2_refcount_flush(bs);
    s->lazy_refcounts = lazy;
    s->compat = lazy ? s->compat | QCOW2_COMPAT_LAZY_REFCOUNTS
                     : s->compat & ~QCOW2_COMPAT_LAZY_REFCOUNTS;
    if (ret == 0) {
        ret = qcow2_write_header(bs);
    }
    if (ret < 0) {
        error_setg_errno(errp, -ret, "qcow2: cannot rewrite the header");
    }
    return ret;
}

static const BlockDriver qcow2_driver = {
    .format_name = "qcow2",
    .instance_size = sizeof(Qcow2State),
    .probe = qcow2_probe,
    .open = qcow2_open,
    .close = qcow2_close,
    .read = qcow2_read,
    .write = qcow2_write,
    .write_zeroes = qcow2_write_zeroes,
    .write_compressed = qcow2_write_compressed,
    .discard = qcow2_discard,
    .flush = qcow2_flush,
    .length = qcow2_length,
    .truncate = qcow2_truncate,
    .block_status = qcow2_block_status,
    .create = qcow2_create,
    .create_options = qcow2_create_options,
    .supports_backing = true,
    .get_info = qcow2_get_info,
    .change_backing_file = qcow2_change_backing_file,
    .make_empty = qcow2_make_empty,
    .snapshot_list = qcow2_snapshot_list,
    .snapshot_create = qcow2_snapshot_create,
    .snapshot_apply = qcow2_snapshot_apply,
    .snapshot_delete = qcow2_snapshot_delete,
    .check = qcow2_check,
    .amend = qcow2_amend,
};

static void __attribute__((constructor)) qcow2_register(void)
{
    block_driver_register(&qcow2_driver);
}
