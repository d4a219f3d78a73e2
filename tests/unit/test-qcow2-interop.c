/* qcow2 interoperability with QEMU's qemu-img/qemu-io (skipped when absent): images QEMU
 * writes (v2, v3, compressed, backing, snapshots) read back identically here, and images
 * written here pass `qemu-img check` and `qemu-img compare`. */
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
#include "util/cutils.h"
#include "block-test-util.h"

static char tmpdir[256];

static int sh(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static int sh(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char *cmd = NULL;
    assert_true(vasprintf(&cmd, fmt, ap) > 0);
    va_end(ap);
    char *full = xasprintf("cd '%s' && %s >>log 2>&1", tmpdir, cmd);
    int ret = system(full);
    if (ret != 0) {
        fprintf(stderr, "command failed (%d): %s\n", ret, cmd);
    }
    free(cmd);
    free(full);
    return ret;
}

static bool have_qemu(void)
{
    return system("qemu-img --version >/dev/null 2>&1 && qemu-io --version >/dev/null 2>&1")
           == 0;
}

static char *path_of(const char *name)
{
    return xasprintf("%s/%s", tmpdir, name);
}

/* Compares a qcow2 image read here with a raw reference read here. */
static void assert_same_as_raw(const char *img, const char *raw)
{
    char *ip = path_of(img), *rp = path_of(raw);
    BlockOpenOptions qo = { .format = "qcow2", .read_only = true };
    BlockOpenOptions ro = { .format = "raw", .read_only = true };
    Error *err = NULL;
    BlockDriverState *a = block_open(ip, &qo, &err);
    if (!a) {
        fprintf(stderr, "%s\n", error_get_message(err));
    }
    assert_non_null(a);
    BlockDriverState *b = block_open(rp, &ro, &err);
    assert_non_null(b);
    int64_t len = block_length(b);
    assert_int_equal(block_length(a), len);
    uint8_t *x = xmalloc(len), *y = xmalloc(len);
    assert_int_equal(block_pread(a, 0, x, len), 0);
    assert_int_equal(block_pread(b, 0, y, len), 0);
    assert_memory_equal(x, y, len);
    free(x);
    free(y);
    block_close(a);
    block_close(b);
    free(ip);
    free(rp);
}

/* qemu-io writes the same pattern to a qcow2 image and a raw reference. */
static void qemu_write_both(const char *img, const char *raw, const char *fmt_img)
{
    static const char *const ops[] = {
        "write -P 0x11 0 65536", "write -P 0x22 100000 3000", "write -P 0x33 1048576 200000",
        "write -z 1100000 65536", "write -P 0x44 1999000 1000",
    };
    for (size_t i = 0; i < ARRAY_SIZE(ops); i++) {
        assert_int_equal(sh("qemu-io -f %s -c '%s' %s", fmt_img, ops[i], img), 0);
        assert_int_equal(sh("qemu-io -f raw -c '%s' %s", ops[i], raw), 0);
    }
}

static void test_qemu_images_read_back(void **state)
{
    static const char *const opts[] = {
        "compat=0.10", "compat=1.1", "compat=1.1,cluster_size=512,refcount_bits=1",
        "cluster_size=2M", "cluster_size=4k,refcount_bits=64,lazy_refcounts=on",
    };
    if (!have_qemu()) {
        skip();
    }
    for (size_t i = 0; i < ARRAY_SIZE(opts); i++) {
        assert_int_equal(sh("rm -f q.qcow2 r.raw && qemu-img create -q -f qcow2 -o %s q.qcow2 2M"
                            " && qemu-img create -q -f raw r.raw 2M", opts[i]), 0);
        qemu_write_both("q.qcow2", "r.raw", "qcow2");
        assert_same_as_raw("q.qcow2", "r.raw");
    }
    /* compressed */
    assert_int_equal(sh("qemu-img convert -c -f raw -O qcow2 r.raw c.qcow2"), 0);
    assert_same_as_raw("c.qcow2", "r.raw");
    /* backing chain */
    assert_int_equal(sh("qemu-img create -q -f qcow2 -b q.qcow2 -F qcow2 top.qcow2 && "
                        "qemu-io -f qcow2 -c 'write -P 0x55 4096 70000' top.qcow2 && "
                        "qemu-io -f raw -c 'write -P 0x55 4096 70000' r.raw"), 0);
    assert_same_as_raw("top.qcow2", "r.raw");
    /* internal snapshot: later writes, then apply it here */
    assert_int_equal(sh("cp r.raw snap.raw && qemu-img convert -f raw -O qcow2 r.raw s.qcow2 && "
                        "qemu-img snapshot -c one s.qcow2 && "
                        "qemu-io -f qcow2 -c 'write -P 0x66 0 300000' s.qcow2"), 0);
    char *sp = path_of("s.qcow2");
    Error *err = NULL;
    BlockOpenOptions o = { .format = "qcow2" };
    BlockDriverState *bs = block_open(sp, &o, &err);
    assert_non_null(bs);
    BlockSnapshotInfo *list;
    assert_int_equal(block_snapshot_list(bs, &list, &err), 1);
    assert_string_equal(list[0].name, "one");
    block_snapshot_list_free(list, 1);
    assert_int_equal(block_snapshot_apply(bs, "one", &err), 0);
    block_close(bs);
    free(sp);
    assert_same_as_raw("s.qcow2", "snap.raw");
    assert_int_equal(sh("qemu-img check -q s.qcow2"), 0);
}

static void mimic_write(BlockDriverState *q, BlockDriverState *r, uint64_t off, size_t len,
                        int seed)
{
    uint8_t *buf = xmalloc(len);
    for (size_t i = 0; i < len; i++) {
        buf[i] = (uint8_t)(i * 13 + seed);
    }
    assert_int_equal(block_pwrite(q, off, buf, len), 0);
    assert_int_equal(block_pwrite(r, off, buf, len), 0);
    free(buf);
}

static void test_our_images_pass_qemu_check(void **state)
{
    static const char *const opts[] = {
        "compat=0.10", "compat=1.1", "cluster_size=512,refcount_bits=1", "cluster_size=2M",
        "cluster_size=4k,refcount_bits=64,lazy_refcounts=on", "cluster_size=1k,refcount_bits=8",
    };
    if (!have_qemu()) {
        skip();
    }
    for (size_t i = 0; i < ARRAY_SIZE(opts); i++) {
        char *qp = path_of("m.qcow2"), *rp = path_of("m.raw");
        KeyValList kv;
        Error *err = NULL;
        BlockCreateOptions co = { 0 };
        assert_int_equal(keyval_parse(opts[i], NULL, &kv, &err), 0);
        assert_int_equal(block_create_options_parse(&kv, &co, &err), 0);
        co.size = 3 << 20;
        assert_int_equal(block_create("qcow2", qp, &co, &err), 0);
        keyval_free(&kv);
        BlockCreateOptions ro = { .size = 3 << 20 };
        assert_int_equal(block_create("raw", rp, &ro, &err), 0);
        BlockOpenOptions qo = { .format = "qcow2" }, rawo = { .format = "raw" };
        BlockDriverState *q = block_open(qp, &qo, &err), *r = block_open(rp, &rawo, &err);
        assert_non_null(q);
        assert_non_null(r);
        mimic_write(q, r, 0, 70000, 1);
        mimic_write(q, r, 1 << 20, 300000, 2);
        BlockSnapshotInfo sn = { .name = "snap1" };
        const char *rb = strstr(opts[i], "refcount_bits=");
        bool one_bit = rb && atoi(rb + 14) == 1;
        if (one_bit) {      /* a 1-bit refcount cannot count a second reference */
            assert_int_equal(block_snapshot_create(q, &sn, &err), -ERANGE);
            error_free(err);
            err = NULL;
            BlockCheckResult res;
            assert_int_equal(block_check(q, &res, BLOCK_FIX_LEAKS), 0);
            assert_int_equal(res.corruptions, 0);
        } else {
            assert_int_equal(block_snapshot_create(q, &sn, &err), 0);
        }
        mimic_write(q, r, 10000, 100000, 3);
        assert_int_equal(block_pwrite_zeroes(q, 2 << 20, 65536, BLOCK_ZERO_MAY_UNMAP), 0);
        assert_int_equal(block_pwrite_zeroes(r, 2 << 20, 65536, 0), 0);
        uint8_t *c = xzalloc(65536);
        memset(c, 7, 40000);
        uint32_t cs = block_get_cluster_size(q);
        if (cs <= 65536) {
            assert_int_equal(block_pwrite_compressed(q, 2 << 20, c, cs), 0);
            assert_int_equal(block_pwrite(r, 2 << 20, c, cs), 0);
        }
        free(c);
        block_close(q);
        block_close(r);
        assert_int_equal(sh("qemu-img check -q m.qcow2"), 0);
        assert_int_equal(sh("qemu-img compare -q -f qcow2 -F raw m.qcow2 m.raw"), 0);
        if (!one_bit) {
            assert_int_equal(sh("qemu-img snapshot -l m.qcow2 | grep -q snap1"), 0);
        }
        free(qp);
        free(rp);
    }
    /* backing chain written here, read by QEMU */
    char *bp = path_of("mb.qcow2");
    Error *err = NULL;
    BlockCreateOptions co = { .size = 0, .backing_file = "m.qcow2", .backing_fmt = "qcow2" };
    assert_int_equal(block_create("qcow2", bp, &co, &err), 0);
    BlockDriverState *q = block_open(bp, NULL, &err);
    uint8_t buf[5000];
    memset(buf, 9, sizeof(buf));
    assert_int_equal(block_pwrite(q, 12345, buf, sizeof(buf)), 0);
    block_close(q);
    assert_int_equal(sh("qemu-io -f raw -c 'write -P 9 12345 5000' m.raw"), 0);
    assert_int_equal(sh("qemu-img check -q mb.qcow2"), 0);
    assert_int_equal(sh("qemu-img compare -q -f qcow2 -F raw mb.qcow2 m.raw"), 0);
    free(bp);
}

static int setup(void **state)
{
    return block_test_tmpdir_make(tmpdir, sizeof(tmpdir), "test-qcow2-interop");
}

static int teardown(void **state)
{
    return block_test_tmpdir_rm(tmpdir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_qemu_images_read_back),
        cmocka_unit_test(test_our_images_pass_qemu_check),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
