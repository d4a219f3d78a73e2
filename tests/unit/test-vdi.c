/* Unit tests for block/vdi.c: create (dynamic, fixed), write, read back, holes, block
 * status, reopen, and hostile headers rejected with an error. */
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

static BlockDriverState *open_fmt(const char *file, bool ro)
{
    return block_test_open("vdi", file, ro);
}

static void create(const char *file, uint64_t size, const char *sub)
{
    block_test_create("vdi", file, size, sub, NULL);
}

static void write_read_back(const char *sub)
{
    char *f = block_test_path(sub ? sub : "dyn");
    uint8_t *buf = xmalloc(3 << 20), *out = xmalloc(3 << 20);
    uint64_t pnum;
    create(f, 5000000, sub);
    BlockDriverState *bs = open_fmt(f, false);
    assert_non_null(bs);
    assert_int_equal(block_length(bs), 5000192);        /* rounded up to 512 */
    for (size_t i = 0; i < (3u << 20); i++) {
        buf[i] = (uint8_t)(i * 7 + 3);
    }
    /* unaligned, crossing a block boundary */
    assert_int_equal(block_pwrite(bs, (1 << 20) - 1000, buf, 5000), 0);
    assert_int_equal(block_pwrite(bs, 3 << 20, buf, 4096), 0);
    block_close(bs);
    bs = open_fmt(f, true);
    assert_non_null(bs);
    assert_int_equal(block_pread(bs, (1 << 20) - 1000, out, 5000), 0);
    assert_memory_equal(out, buf, 5000);
    assert_int_equal(block_pread(bs, 0, out, 4096), 0);     /* hole reads zeros */
    for (int i = 0; i < 4096; i++) {
        assert_int_equal(out[i], 0);
    }
    assert_int_equal(block_pread(bs, 3 << 20, out, 4096), 0);
    assert_memory_equal(out, buf, 4096);
    int st = block_status(bs, 2 << 20, 1 << 20, &pnum, NULL);
    if (!sub) {
        assert_true(st & BLOCK_STATUS_ZERO);
        assert_false(st & BLOCK_STATUS_DATA);
    }
    st = block_status(bs, 3 << 20, 4096, &pnum, NULL);
    assert_true(st & BLOCK_STATUS_DATA);
    block_close(bs);
    free(buf);
    free(out);
    free(f);
}

static void test_dynamic(void **state) { write_read_back(NULL); }
static void test_fixed(void **state) { write_read_back("fixed"); }

/* Each hostile field must make open fail, not crash. */
static void test_hostile_headers(void **state)
{
    static const struct { long off; uint32_t val; } bad[] = {
        { 0x40, 0x12345678 },       /* signature */
        { 0x44, 0x00020000 },       /* version */
        { 0x4c, 7 },                /* image type */
        { 0x154, 3 },               /* block map offset not sector aligned */
        { 0x154, 0x7ffffe00 },      /* block map past the end */
        { 0x178, 4096 },            /* block size */
        { 0x180, 0x7fffffff },      /* blocks in image */
        { 0x184, 9 },               /* allocated > blocks */
        { 0x200, 5 },               /* map entry past allocated */
        { 0x1b8, 1 },               /* parent uuid: differencing image */
    };
    char *good = block_test_path("good.vdi"), *bad_file = block_test_path("bad.vdi");
    create(good, 4 << 20, NULL);
    for (size_t i = 0; i < ARRAY_SIZE(bad); i++) {
        char *cmd = xasprintf("cp %s %s", good, bad_file);
        assert_int_equal(system(cmd), 0);
        free(cmd);
        block_test_patch_le32(bad_file, bad[i].off, bad[i].val);
        BlockDriverState *bs = open_fmt(bad_file, true);
        if (bs) {
            fail_msg("field at 0x%lx = 0x%x was accepted", bad[i].off, bad[i].val);
        }
    }
    /* truncated file */
    assert_int_equal(truncate(good, 100), 0);
    assert_null(open_fmt(good, true));
    free(good);
    free(bad_file);
}

static void test_probe(void **state)
{
    char *f = block_test_path("probe.vdi");
    Error *err = NULL;
    create(f, 1 << 20, NULL);
    const char *fmt = block_probe_format(f, &err);
    assert_non_null(fmt);
    assert_string_equal(fmt, "vdi");
    free(f);
}

int main(void)
{
    block_test_tmpdir_create("test-vdi");
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_dynamic),
        cmocka_unit_test(test_fixed),
        cmocka_unit_test(test_hostile_headers),
        cmocka_unit_test(test_probe),
    };
    return block_test_tmpdir_remove(cmocka_run_group_tests(tests, NULL, NULL));
}
