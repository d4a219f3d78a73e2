/* Unit tests for the qcow2 driver over small images: read/write against an in-memory model,
 * COW over backing files, snapshots, compressed and zero clusters, refcount widths, cluster
 * sizes, check/repair, lazy refcounts, corrupt bit, hostile headers, -snapshot. */
#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>
#include "block/block_int.h"
#include "block/qcow2.h"
#include "util/cutils.h"
#include "block-test-util.h"

static char tmpdir[256];
static unsigned rng_state = 12345;

static unsigned rnd(void)
{
    rng_state = rng_state * 1103515245 + 12345;
    return (rng_state >> 8) & 0xffffff;
}

static char *tmp_path(const char *name)
{
    return xasprintf("%s/%s", tmpdir, name);
}

static void fill_pattern(uint8_t *buf, size_t len, unsigned seed)
{
    for (size_t i = 0; i < len; i++) {
        buf[i] = (uint8_t)(i * 31 + seed * 17 + (i >> 8) + 1);
    }
}

static char *create_qcow2(const char *name, uint64_t size, const char *extra)
{
    char *path = tmp_path(name);
    KeyValList kv = { 0 };
    BlockCreateOptions o = { 0 };
    Error *err = NULL;
    if (extra) {
        assert_int_equal(keyval_parse(extra, NULL, &kv, &err), 0);
        assert_int_equal(block_create_options_parse(&kv, &o, &err), 0);
    }
    o.size = size;
    int ret = block_create("qcow2", path, &o, &err);
    if (ret) {
        fprintf(stderr, "create %s: %s\n", extra ? extra : "", error_get_message(err));
    }
    assert_int_equal(ret, 0);
    keyval_free(&kv);
    return path;
}

static BlockDriverState *open_img(const char *path, const char *fmt, bool ro)
{
    BlockOpenOptions o = { .format = fmt, .read_only = ro };
    Error *err = NULL;
    BlockDriverState *bs = block_open(path, &o, &err);
    if (!bs) {
        fprintf(stderr, "open %s: %s\n", path, error_get_message(err));
        error_free(err);
    }
    assert_non_null(bs);
    return bs;
}

static void assert_clean(BlockDriverState *bs)
{
    BlockCheckResult r;
    assert_int_equal(block_check(bs, &r, 0), 0);
    if (r.corruptions || r.leaks || r.check_errors) {
        fprintf(stderr, "check: %lld corruptions %lld leaks %lld errors\n",
                (long long)r.corruptions, (long long)r.leaks, (long long)r.check_errors);
    }
    assert_int_equal(r.corruptions, 0);
    assert_int_equal(r.leaks, 0);
    assert_int_equal(r.check_errors, 0);
}

static void assert_matches(BlockDriverState *bs, const uint8_t *model, uint64_t size)
{
    uint8_t *buf = xmalloc(size);
    assert_int_equal(block_pread(bs, 0, buf, size), 0);
    for (uint64_t i = 0; i < size; i++) {
        if (buf[i] != model[i]) {
            fprintf(stderr, "mismatch at %llu: %02x != %02x\n", (unsigned long long)i, buf[i],
                    model[i]);
            fail();
        }
    }
    free(buf);
}

/* Random writes (some zero writes) mirrored into model. */
static void random_writes(BlockDriverState *bs, uint8_t *model, uint64_t size, int n,
                          size_t max_len)
{
    uint8_t *buf = xmalloc(max_len);
    for (int i = 0; i < n; i++) {
        size_t len = 1 + rnd() % max_len;
        uint64_t off = rnd() % size;
        len = MIN(len, size - off);
        if (rnd() % 5 == 0) {
            assert_int_equal(block_pwrite_zeroes(bs, off, len, rnd() % 2 ? BLOCK_ZERO_MAY_UNMAP
                                                                         : 0), 0);
            memset(model + off, 0, len);
        } else {
            fill_pattern(buf, len, rnd());
            assert_int_equal(block_pwrite(bs, off, buf, len), 0);
            memcpy(model + off, buf, len);
        }
    }
    free(buf);
}

/* ---- tests ---- */

static void test_basic_rw(void **state)
{
    const uint64_t size = 8 << 20;
    char *path = create_qcow2("basic.qcow2", size, NULL);
    uint8_t *model = xzalloc(size);
    BlockDriverState *bs = open_img(path, NULL, false);
    assert_string_equal(block_get_format(bs), "qcow2");
    assert_int_equal(block_length(bs), size);
    assert_matches(bs, model, size);
    random_writes(bs, model, size, 200, 200000);
    assert_matches(bs, model, size);
    assert_clean(bs);
    block_close(bs);
    bs = open_img(path, "qcow2", true);
    assert_matches(bs, model, size);
    assert_clean(bs);
    BlockImageInfo info;
    assert_int_equal(block_get_info(bs, &info), 0);
    assert_int_equal(info.cluster_size, 65536);
    assert_string_equal(info.specific[0].str, "1.1");
    block_close(bs);
    free(model);
    free(path);
}

static void test_geometries(void **state)
{
    static const char *const opts[] = {
        "cluster_size=512", "cluster_size=512,refcount_bits=1", "cluster_size=1k,refcount_bits=2",
        "cluster_size=4k,refcount_bits=4", "cluster_size=4k,refcount_bits=8",
        "cluster_size=2k,refcount_bits=32", "cluster_size=512,refcount_bits=64",
        "compat=0.10,cluster_size=4k", "compat=0.10", "cluster_size=2M",
        "cluster_size=512,compat=0.10",
    };
    const uint64_t size = 3 << 20;
    for (size_t i = 0; i < ARRAY_SIZE(opts); i++) {
        fprintf(stderr, "geometry %s\n", opts[i]);
        char *path = create_qcow2("geo.qcow2", size, opts[i]);
        uint8_t *model = xzalloc(size);
        BlockDriverState *bs = open_img(path, "qcow2", false);
        random_writes(bs, model, size, 60, 70000);
        assert_matches(bs, model, size);
        assert_clean(bs);
        block_close(bs);
        bs = open_img(path, "qcow2", false);
        assert_matches(bs, model, size);
        assert_clean(bs);
        block_close(bs);
        free(model);
        free(path);
    }
}

static void test_backing_cow(void **state)
{
    const uint64_t size = 2 << 20;
    char *base = create_qcow2("cow-base.qcow2", size, "cluster_size=4k");
    uint8_t *model = xzalloc(size);
    BlockDriverState *bs = open_img(base, "qcow2", false);
    random_writes(bs, model, size, 40, 50000);
    block_close(bs);
    char *top = create_qcow2("cow-top.qcow2", 0,
                             "backing_file=cow-base.qcow2,backing_fmt=qcow2,cluster_size=8k");
    bs = open_img(top, NULL, false);
    assert_non_null(block_get_backing(bs));
    assert_int_equal(block_length(bs), size);
    assert_matches(bs, model, size);
    uint8_t *base_model = xmalloc(size);
    memcpy(base_model, model, size);
    random_writes(bs, model, size, 60, 30000);     /* partial clusters: COW from backing */
    assert_matches(bs, model, size);
    assert_clean(bs);
    /* status through the chain */
    uint64_t pnum;
    int depth;
    assert_true(block_status_chain(bs, NULL, 0, size, &pnum, NULL, &depth) >= 0);
    block_close(bs);
    bs = open_img(base, "qcow2", true);
    assert_matches(bs, base_model, size);     /* the base is untouched */
    block_close(bs);
    BlockImageInfo info;
    bs = open_img(top, "qcow2", true);
    assert_int_equal(block_get_info(bs, &info), 0);
    assert_string_equal(info.backing_filename, "cow-base.qcow2");
    assert_string_equal(info.backing_format, "qcow2");
    block_close(bs);
    free(base_model);
    free(model);
    free(top);
    free(base);
}

static void test_snapshots(void **state)
{
    const uint64_t size = 1 << 20;
    char *path = create_qcow2("snap.qcow2", size, "cluster_size=4k");
    uint8_t *m1 = xzalloc(size), *m2;
    Error *err = NULL;
    BlockDriverState *bs = open_img(path, "qcow2", false);
    random_writes(bs, m1, size, 30, 40000);
    BlockSnapshotInfo sn = { .name = "first", .vm_clock_nsec = 123456789 };
    assert_int_equal(block_snapshot_create(bs, &sn, &err), 0);
    assert_clean(bs);
    m2 = xmalloc(size);
    memcpy(m2, m1, size);
    random_writes(bs, m2, size, 30, 40000);
    assert_matches(bs, m2, size);
    assert_clean(bs);
    sn.name = "second";
    assert_int_equal(block_snapshot_create(bs, &sn, &err), 0);
    assert_int_not_equal(block_snapshot_create(bs, &sn, &err), 0);     /* duplicate name */
    error_free(err);
    err = NULL;
    BlockSnapshotInfo *list;
    int n = block_snapshot_list(bs, &list, &err);
    assert_int_equal(n, 2);
    assert_string_equal(list[0].id, "1");
    assert_string_equal(list[0].name, "first");
    assert_int_equal(list[0].vm_clock_nsec, 123456789);
    assert_int_equal(list[1].disk_size, size);
    assert_true(list[1].date_sec > 0);
    block_snapshot_list_free(list, n);
    block_close(bs);

    bs = open_img(path, "qcow2", false);
    assert_int_equal(block_snapshot_apply(bs, "first", &err), 0);
    assert_matches(bs, m1, size);
    assert_clean(bs);
    random_writes(bs, m1, size, 20, 40000);
    assert_matches(bs, m1, size);
    assert_int_equal(block_snapshot_apply(bs, "2", &err), 0);
    assert_matches(bs, m2, size);
    assert_int_equal(block_snapshot_delete(bs, "first", &err), 0);
    assert_clean(bs);
    assert_int_equal(block_snapshot_delete(bs, "second", &err), 0);
    assert_int_not_equal(block_snapshot_delete(bs, "second", &err), 0);
    error_free(err);
    err = NULL;
    assert_clean(bs);
    random_writes(bs, m2, size, 20, 40000);
    assert_matches(bs, m2, size);
    assert_clean(bs);
    block_close(bs);
    free(m1);
    free(m2);
    free(path);
}

static void test_compressed(void **state)
{
    const uint64_t size = 1 << 20;
    const uint32_t cs = 4096;
    char *path = create_qcow2("comp.qcow2", size, "cluster_size=4k");
    uint8_t *model = xzalloc(size);
    BlockDriverState *bs = open_img(path, "qcow2", false);
    for (uint64_t off = 0; off < size / 2; off += cs) {
        for (uint32_t i = 0; i < cs; i++) {
            model[off + i] = (uint8_t)((i / 64) ^ (off >> 12));    /* compressible */
        }
    }
    fill_pattern(model + size / 2, cs, 3);                          /* incompressible-ish */
    assert_int_equal(block_pwrite_compressed(bs, 0, model, size / 2 + cs), 0);
    assert_int_equal(block_pwrite_compressed(bs, 7, model, cs), -EINVAL);
    assert_matches(bs, model, size);
    uint64_t pnum;
    assert_true(block_status(bs, 0, size, &pnum, NULL) & BLOCK_STATUS_COMPRESSED);
    BlockCheckResult r;
    assert_int_equal(block_check(bs, &r, 0), 0);
    assert_int_equal(r.corruptions + r.leaks, 0);
    assert_true(r.compressed_clusters >= size / 2 / cs);
    /* overwrite parts of compressed clusters: copy-on-write of compressed data */
    random_writes(bs, model, size / 2, 30, 9000);
    assert_matches(bs, model, size);
    assert_clean(bs);
    block_close(bs);
    bs = open_img(path, "qcow2", true);
    assert_matches(bs, model, size);
    block_close(bs);
    free(model);
    free(path);
}

static void test_zero_clusters(void **state)
{
    const uint64_t size = 1 << 20;
    char *base = create_qcow2("zero-base.qcow2", size, "cluster_size=4k");
    BlockDriverState *bs = open_img(base, "qcow2", false);
    uint8_t *buf = xmalloc(size);
    fill_pattern(buf, size, 5);
    assert_int_equal(block_pwrite(bs, 0, buf, size), 0);
    block_close(bs);
    char *top = create_qcow2("zero-top.qcow2", size,
                             "backing_file=zero-base.qcow2,backing_fmt=qcow2,cluster_size=4k");
    bs = open_img(top, "qcow2", false);
    /* zero clusters hide the backing file's data */
    assert_int_equal(block_pwrite_zeroes(bs, 8192, 16384, BLOCK_ZERO_MAY_UNMAP), 0);
    assert_int_equal(block_pwrite_zeroes(bs, 65536, 8192, 0), 0);
    memset(buf + 8192, 0, 16384);
    memset(buf + 65536, 0, 8192);
    uint64_t pnum;
    int st = block_status(bs, 8192, 16384, &pnum, NULL);
    assert_true(st & BLOCK_STATUS_ZERO);
    assert_true(st & BLOCK_STATUS_ALLOCATED);
    assert_int_equal(pnum, 16384);
    assert_int_equal(block_status(bs, 0, 8192, &pnum, NULL), 0);    /* from backing */
    assert_matches(bs, buf, size);
    /* unaligned zero write falls back to writing zeros */
    assert_int_equal(block_pwrite_zeroes(bs, 100, 50, 0), 0);
    memset(buf + 100, 0, 50);
    assert_matches(bs, buf, size);
    assert_clean(bs);
    block_close(bs);
    free(buf);
    free(top);
    free(base);
}

static void test_leaks_and_repair(void **state)
{
    const uint64_t size = 1 << 20;
    char *path = create_qcow2("leak.qcow2", size, "cluster_size=4k");
    uint8_t *model = xzalloc(size);
    BlockDriverState *bs = open_img(path, "qcow2", false);
    random_writes(bs, model, size, 20, 30000);
    /* leak three clusters behind the driver's back */
    assert_true(qcow2_alloc_clusters(bs, 3) > 0);
    BlockCheckResult r;
    assert_int_equal(block_check(bs, &r, 0), 0);
    assert_int_equal(r.leaks, 3);
    assert_int_equal(r.corruptions, 0);
    assert_int_equal(block_check_exit_code(&r), 3);
    assert_int_equal(block_check(bs, &r, BLOCK_FIX_LEAKS), 0);
    assert_int_equal(r.leaks_fixed, 3);
    assert_int_equal(r.leaks, 0);
    assert_clean(bs);
    /* an under-counted cluster is a corruption; -r all rebuilds the refcounts */
    uint64_t e;
    assert_int_equal(qcow2_get_l2_entry(bs, 0, &e), 0);
    if (qcow2_entry_type(qcow2_state(bs), e) != QCOW2_CLUSTER_NORMAL) {
        uint8_t b[1] = { 1 };
        assert_int_equal(block_pwrite(bs, 0, b, 1), 0);
        model[0] = 1;
        assert_int_equal(qcow2_get_l2_entry(bs, 0, &e), 0);
    }
    assert_int_equal(qcow2_free_clusters(bs, e & QCOW2_L2_OFFSET_MASK, 4096), 0);
    assert_int_equal(block_check(bs, &r, 0), 0);
    assert_true(r.corruptions >= 1);
    assert_int_equal(block_check_exit_code(&r), 2);
    assert_int_equal(block_check(bs, &r, BLOCK_FIX_LEAKS | BLOCK_FIX_ERRORS), 0);
    assert_true(r.corruptions_fixed >= 1);
    assert_int_equal(r.corruptions, 0);
    assert_clean(bs);
    random_writes(bs, model, size, 20, 30000);
    assert_matches(bs, model, size);
    assert_clean(bs);
    block_close(bs);
    free(model);
    free(path);
}

static int drop_all_hook(void *opaque, BlockFile *f, BlockFileOp op, uint64_t off,
                         uint64_t len)
{
    return 1;
}

static void test_lazy_refcounts_dirty(void **state)
{
    const uint64_t size = 1 << 20;
    char *path = create_qcow2("lazy.qcow2", size, "cluster_size=4k,lazy_refcounts=on");
    uint8_t *model = xzalloc(size);
    BlockDriverState *bs = open_img(path, "qcow2", false);
    random_writes(bs, model, size, 30, 30000);
    assert_int_equal(block_flush(bs), 0);
    random_writes(bs, model, size, 10, 30000);
    assert_int_equal(block_flush(bs), 0);
    BlockImageInfo info;
    assert_int_equal(block_get_info(bs, &info), 0);
    assert_true(info.dirty);
    block_file_set_fault_hook(drop_all_hook, NULL);    /* "crash": nothing more is written */
    block_close(bs);
    block_file_set_fault_hook(NULL, NULL);
    /* read-only open sees the dirty bit; a read-write open repairs */
    bs = open_img(path, "qcow2", true);
    assert_int_equal(block_get_info(bs, &info), 0);
    assert_true(info.dirty);
    assert_matches(bs, model, size);
    block_close(bs);
    bs = open_img(path, "qcow2", false);
    assert_int_equal(block_get_info(bs, &info), 0);
    assert_false(info.dirty);
    assert_matches(bs, model, size);
    assert_clean(bs);
    block_close(bs);
    free(model);
    free(path);
}

static void set_header_bytes(const char *path, uint64_t off, const void *data, size_t len)
{
    FILE *f = fopen(path, "r+b");
    assert_non_null(f);
    assert_int_equal(fseek(f, (long)off, SEEK_SET), 0);
    assert_int_equal(fwrite(data, 1, len, f), len);
    fclose(f);
}

static void test_corrupt_bit(void **state)
{
    char *path = create_qcow2("corrupt.qcow2", 1 << 20, NULL);
    uint8_t bits[8] = { 0, 0, 0, 0, 0, 0, 0, QCOW2_INCOMPAT_CORRUPT };
    set_header_bytes(path, 72, bits, 8);
    BlockDriverState *bs = open_img(path, "qcow2", false);
    assert_true(block_is_read_only(bs));        /* corrupt: read-only, with a warning */
    uint8_t b[512] = { 0 };
    assert_int_equal(block_pwrite(bs, 0, b, 512), -EACCES);
    block_close(bs);
    BlockOpenOptions o = { .format = "qcow2", .check = true };
    Error *err = NULL;
    bs = block_open(path, &o, &err);
    assert_non_null(bs);
    BlockCheckResult r;
    assert_int_equal(block_check(bs, &r, BLOCK_FIX_LEAKS | BLOCK_FIX_ERRORS), 0);
    block_close(bs);
    bs = open_img(path, "qcow2", false);
    assert_false(block_is_read_only(bs));
    assert_int_equal(block_pwrite(bs, 0, b, 512), 0);
    block_close(bs);
    free(path);
}

typedef struct Mutation {
    uint32_t offset;
    uint8_t len;
    uint64_t value;
} Mutation;

static void put_be(uint8_t *p, uint8_t len, uint64_t v)
{
    for (int i = len - 1; i >= 0; i--) {
        p[i] = (uint8_t)v;
        v >>= 8;
    }
}

static void test_hostile_headers(void **state)
{
    static const Mutation muts[] = {
        { 4, 4, 1 }, { 4, 4, 4 },                       /* version */
        { 20, 4, 8 }, { 20, 4, 22 }, { 20, 4, 63 },     /* cluster_bits */
        { 24, 8, 1ull << 62 },                          /* size */
        { 32, 4, 1 },                                   /* encryption */
        { 36, 4, 0xffffffff }, { 36, 4, 0 },            /* l1_size */
        { 40, 8, 0x12345 }, { 40, 8, 1ull << 62 },      /* l1 offset */
        { 48, 8, 0 }, { 48, 8, 77 },                    /* refcount table offset */
        { 56, 4, 0 }, { 56, 4, 0x7fffffff },            /* refcount table clusters */
        { 60, 4, 0xffffffff }, { 64, 8, 3 },            /* snapshots */
        { 72, 8, 1ull << 40 }, { 72, 8, 1ull << 4 },    /* incompatible features */
        { 96, 4, 7 }, { 100, 4, 50 }, { 100, 4, 1u << 30 },
        { 8, 8, 60000 }, { 8, 8, 1ull << 40 },         /* backing name */
    };
    char *path = create_qcow2("hostile.qcow2", 1 << 20, NULL);
    uint8_t hdr[112];
    FILE *f = fopen(path, "rb");
    assert_non_null(f);
    assert_int_equal(fread(hdr, 1, sizeof(hdr), f), sizeof(hdr));
    fclose(f);
    for (size_t i = 0; i < ARRAY_SIZE(muts); i++) {
        uint8_t h[112];
        memcpy(h, hdr, sizeof(h));
        put_be(h + muts[i].offset, muts[i].len, muts[i].value);
        set_header_bytes(path, 0, h, sizeof(h));
        BlockOpenOptions o = { .format = "qcow2", .read_only = true };
        Error *err = NULL;
        BlockDriverState *bs = block_open(path, &o, &err);
        if (bs) {
            fprintf(stderr, "mutation %zu (offset %u) opened\n", i, muts[i].offset);
            block_close(bs);
            fail();
        }
        assert_non_null(strstr(error_get_message(err), "qcow2"));
        error_free(err);
    }
    set_header_bytes(path, 0, hdr, sizeof(hdr));
    BlockDriverState *bs = open_img(path, "qcow2", true);
    block_close(bs);
    /* a hostile L2 pointer: unaligned L1 entry gives EIO on read, not a crash */
    bs = open_img(path, "qcow2", false);
    uint8_t b[4096] = { 1 };
    assert_int_equal(block_pwrite(bs, 0, b, sizeof(b)), 0);
    uint64_t l1_off = qcow2_state(bs)->l1_offset;
    block_close(bs);
    uint8_t bad[8];
    put_be(bad, 8, 0x8000000000011200ull);
    set_header_bytes(path, l1_off, bad, 8);
    bs = open_img(path, "qcow2", true);
    assert_int_equal(block_pread(bs, 0, b, sizeof(b)), -EIO);
    BlockCheckResult r;
    assert_int_equal(block_check(bs, &r, 0), 0);
    assert_true(r.corruptions > 0);
    block_close(bs);
    free(path);
}

static void test_truncate_prealloc(void **state)
{
    static const char *const modes[] = { "preallocation=metadata", "preallocation=falloc",
                                         "preallocation=full" };
    for (size_t i = 0; i < ARRAY_SIZE(modes); i++) {
        char *path = create_qcow2("prealloc.qcow2", 2 << 20, modes[i]);
        BlockDriverState *bs = open_img(path, "qcow2", false);
        uint64_t pnum, map;
        int st = block_status(bs, 0, 2 << 20, &pnum, &map);
        assert_true(st & BLOCK_STATUS_DATA);
        assert_int_equal(pnum, 2 << 20);
        uint8_t *z = xmalloc(2 << 20), *zero = xzalloc(2 << 20);
        assert_int_equal(block_pread(bs, 0, z, 2 << 20), 0);
        assert_memory_equal(z, zero, 2 << 20);
        assert_clean(bs);
        if (i > 0) {
            assert_true(block_allocated_size(bs) >= (2 << 20));
        }
        block_close(bs);
        free(z);
        free(zero);
        free(path);
    }
    char *path = create_qcow2("resize.qcow2", 1 << 20, "cluster_size=4k");
    uint8_t *model = xzalloc(4 << 20);
    Error *err = NULL;
    BlockDriverState *bs = open_img(path, "qcow2", false);
    random_writes(bs, model, 1 << 20, 20, 20000);
    assert_int_equal(block_truncate(bs, 4 << 20, false, BLOCK_PREALLOC_OFF, &err), 0);
    assert_int_equal(block_length(bs), 4 << 20);
    random_writes(bs, model, 4 << 20, 20, 20000);
    assert_matches(bs, model, 4 << 20);
    assert_int_equal(block_truncate(bs, 1 << 19, true, BLOCK_PREALLOC_OFF, &err), 0);
    assert_matches(bs, model, 1 << 19);
    assert_clean(bs);
    assert_int_equal(block_truncate(bs, 1 << 20, false, BLOCK_PREALLOC_OFF, &err), 0);
    memset(model + (1 << 19), 0, 1 << 19);
    assert_matches(bs, model, 1 << 20);     /* grown area reads zeros again */
    assert_clean(bs);
    block_close(bs);
    free(model);
    free(path);
}

static void test_temporary_overlay(void **state)
{
    char *path = tmp_path("base-for-overlay.raw");
    BlockCreateOptions o = { .size = 1 << 20 };
    Error *err = NULL;
    assert_int_equal(block_create("raw", path, &o, &err), 0);
    BlockOpenOptions oo = { .format = "raw", .snapshot = true };
    BlockDriverState *bs = block_open(path, &oo, &err);
    assert_non_null(bs);
    assert_string_equal(block_get_format(bs), "qcow2");
    uint8_t b[4096], back[4096];
    fill_pattern(b, sizeof(b), 9);
    assert_int_equal(block_pwrite(bs, 4096, b, sizeof(b)), 0);
    assert_int_equal(block_pread(bs, 4096, back, sizeof(back)), 0);
    assert_memory_equal(b, back, sizeof(b));
    block_close(bs);
    bs = open_img(path, "raw", true);
    assert_int_equal(block_pread(bs, 4096, back, sizeof(back)), 0);
    assert_true(block_buffer_is_zero(back, sizeof(back)));   /* the image is unchanged */
    block_close(bs);
    free(path);
}

static void test_amend_and_backing_change(void **state)
{
    char *path = create_qcow2("amend.qcow2", 1 << 20, NULL);
    BlockDriverState *bs = open_img(path, "qcow2", false);
    Error *err = NULL;
    KeyValList kv;
    assert_int_equal(keyval_parse("lazy_refcounts=on", NULL, &kv, &err), 0);
    assert_int_equal(block_amend(bs, &kv, &err), 0);
    keyval_free(&kv);
    assert_int_equal(block_change_backing_file(bs, "other.img", "raw", &err), 0);
    block_close(bs);
    BlockOpenOptions o = { .format = "qcow2", .no_backing = true };
    bs = block_open(path, &o, &err);
    assert_non_null(bs);
    BlockImageInfo info;
    assert_int_equal(block_get_info(bs, &info), 0);
    assert_string_equal(info.backing_filename, "other.img");
    assert_string_equal(info.backing_format, "raw");
    bool lazy = false;
    for (int i = 0; i < info.n_specific; i++) {
        if (!strcmp(info.specific[i].key, "lazy-refcounts")) {
            lazy = info.specific[i].num;
        }
    }
    assert_true(lazy);
    assert_int_equal(block_change_backing_file(bs, NULL, NULL, &err), 0);
    assert_int_equal(keyval_parse("lazy_refcounts=off,compat=0.10", NULL, &kv, &err), 0);
    assert_int_equal(block_amend(bs, &kv, &err), 0);
    keyval_free(&kv);
    block_close(bs);
    bs = open_img(path, "qcow2", false);
    assert_null(block_get_backing(bs));
    assert_int_equal(block_get_info(bs, &info), 0);
    assert_string_equal(info.specific[0].str, "0.10");
    assert_clean(bs);
    block_close(bs);
    free(path);
}

static void test_make_empty(void **state)
{
    char *base = create_qcow2("empty-base.qcow2", 1 << 20, NULL);
    char *top = create_qcow2("empty-top.qcow2", 0, "backing_file=empty-base.qcow2,backing_fmt=qcow2");
    BlockDriverState *bs = open_img(top, "qcow2", false);
    uint8_t b[8192];
    fill_pattern(b, sizeof(b), 1);
    assert_int_equal(block_pwrite(bs, 1000, b, sizeof(b)), 0);
    Error *err = NULL;
    assert_int_equal(block_make_empty(bs, &err), 0);
    assert_int_equal(block_pread(bs, 1000, b, sizeof(b)), 0);
    assert_true(block_buffer_is_zero(b, sizeof(b)));
    assert_clean(bs);
    block_close(bs);
    free(top);
    free(base);
}

static int setup(void **state)
{
    return block_test_tmpdir_make(tmpdir, sizeof(tmpdir), "test-qcow2");
}

static int teardown(void **state)
{
    return block_test_tmpdir_rm(tmpdir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_basic_rw),
        cmocka_unit_test(test_geometries),
        cmocka_unit_test(test_backing_cow),
        cmocka_unit_test(test_snapshots),
        cmocka_unit_test(test_compressed),
        cmocka_unit_test(test_zero_clusters),
        cmocka_unit_test(test_leaks_and_repair),
        cmocka_unit_test(test_lazy_refcounts_dirty),
        cmocka_unit_test(test_corrupt_bit),
        cmocka_unit_test(test_hostile_headers),
        cmocka_unit_test(test_truncate_prealloc),
        cmocka_unit_test(test_temporary_overlay),
        cmocka_unit_test(test_amend_and_backing_change),
        cmocka_unit_test(test_make_empty),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
