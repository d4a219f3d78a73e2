/* Unit tests for block/vpc.c: CHS geometry sizes, dynamic and fixed disks written and read
 * back, holes, force_size, and hostile footers/headers rejected with an error. */
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
#include "util/keyval.h"

static BlockDriverState *open_fmt(const char *file, bool ro)
{
    return block_test_open("vpc", file, ro);
}

static void create(const char *file, uint64_t size, const char *sub, bool force)
{
    KeyValList kv = { 0 };
    Error *err = NULL;
    assert_int_equal(keyval_parse(force ? "force_size=on" : "", NULL, &kv, &err), 0);
    block_test_create("vpc", file, size, sub, &kv);
    keyval_free(&kv);
}

static int64_t created_size(uint64_t size, bool force)
{
    char *f = block_test_path("size.vpc");
    create(f, size, NULL, force);
    BlockDriverState *bs = open_fmt(f, true);
    assert_non_null(bs);
    int64_t len = block_length(bs);
    block_close(bs);
    unlink(f);
    free(f);
    return len;
}

/* Sizes as the VHD spec's CHS algorithm gives them (the same as qemu-img's). */
static void test_geometry_sizes(void **state)
{
    assert_int_equal(created_size(100 << 20, false), 104865792);
    assert_int_equal(created_size(1000000, false), 1009664);
    assert_int_equal(created_size(3ULL << 30, false), 3221471232LL);
    assert_int_equal(created_size(1000000, true), 1000448);
}

static void write_read_back(const char *sub)
{
    char *f = block_test_path(sub);
    uint8_t *buf = xmalloc(1 << 20), *out = xmalloc(1 << 20);
    uint64_t pnum;
    for (size_t i = 0; i < (1u << 20); i++) {
        buf[i] = (uint8_t)(i * 13 + 1);
    }
    create(f, 9 << 20, sub, false);
    BlockDriverState *bs = open_fmt(f, false);
    assert_non_null(bs);
    assert_int_equal(block_pwrite(bs, (2 << 20) - 700, buf, 3000), 0);   /* crosses blocks */
    assert_int_equal(block_pwrite(bs, 6 << 20, buf, 1 << 20), 0);
    block_close(bs);
    bs = open_fmt(f, true);
    assert_non_null(bs);
    assert_int_equal(block_pread(bs, (2 << 20) - 700, out, 3000), 0);
    assert_memory_equal(out, buf, 3000);
    assert_int_equal(block_pread(bs, 6 << 20, out, 1 << 20), 0);
    assert_memory_equal(out, buf, 1 << 20);
    assert_int_equal(block_pread(bs, 4 << 20, out, 65536), 0);
    for (int i = 0; i < 65536; i++) {
        assert_int_equal(out[i], 0);
    }
    int st = block_status(bs, 4 << 20, 1 << 20, &pnum, NULL);
    assert_true(st & BLOCK_STATUS_ZERO);
    block_close(bs);
    free(buf);
    free(out);
    free(f);
}

static void test_dynamic(void **state) { write_read_back("dynamic"); }
static void test_fixed(void **state) { write_read_back("fixed"); }

static void test_hostile(void **state)
{
    static const struct { long off; uint8_t val[8]; size_t len; } bad[] = {
        { 0, "xonectix", 8 },                       /* no cookie at either end */
        { 512 + 32, { 0, 0, 3, 0 }, 4 },            /* block size not a power of two */
        { 512 + 28, { 0x7f, 0xff, 0xff, 0xff }, 4 },/* huge table */
        { 512 + 28, { 0, 0, 0, 1 }, 4 },            /* table too small for the disk */
        { 512 + 16, { 0x7f, 0, 0, 0, 0, 0, 0, 0 }, 8 }, /* table offset past the end */
        { 512, "xxsparse", 8 },                     /* dynamic header cookie */
        { 1536, { 0, 0xff, 0xff, 0xff }, 4 },       /* block past the end */
        { 60, { 0, 0, 0, 4 }, 4 },                  /* differencing disk */
        { 16, { 0x7f, 0, 0, 0, 0, 0, 0, 0 }, 8 },   /* dynamic header offset */
    };
    char *good = block_test_path("good.vpc"), *bad_file = block_test_path("bad.vpc");
    create(good, 8 << 20, "dynamic", false);
    for (size_t i = 0; i < ARRAY_SIZE(bad); i++) {
        char *cmd = xasprintf("cp %s %s", good, bad_file);
        assert_int_equal(system(cmd), 0);
        free(cmd);
        block_test_patch(bad_file, bad[i].off, bad[i].val, bad[i].len);
        if (bad[i].off < 512 && bad[i].off != 0) {
            /* footer copy */
            block_test_patch(bad_file, bad[i].off - 512, bad[i].val, bad[i].len);
        }
        if (bad[i].off == 0) {
            block_test_patch(bad_file, -512, bad[i].val, bad[i].len);
        }
        BlockDriverState *bs = open_fmt(bad_file, true);
        if (bs) {
            fail_msg("hostile field %zu at %ld was accepted", i, bad[i].off);
        }
    }
    assert_int_equal(truncate(good, 300), 0);
    assert_null(open_fmt(good, true));
    free(good);
    free(bad_file);
}

int main(void)
{
    block_test_tmpdir_create("test-vpc");
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_geometry_sizes),
        cmocka_unit_test(test_dynamic),
        cmocka_unit_test(test_fixed),
        cmocka_unit_test(test_hostile),
    };
    return block_test_tmpdir_remove(cmocka_run_group_tests(tests, NULL, NULL));
}
