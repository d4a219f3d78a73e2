/* Unit tests for block/vmdk*.c: monolithicSparse and monolithicFlat written and read back,
 * streamOptimized written with compressed grains and read back, holes, and hostile headers
 * and descriptors rejected with an error. */
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
#include <pthread.h>
#include "block/block_int.h"
#include "block/compress.h"
#include "util/cutils.h"
#include "block-test-util.h"

static BlockDriverState *open_fmt(const char *file, bool ro)
{
    return block_test_open("vmdk", file, ro);
}

static void create(const char *file, uint64_t size, const char *sub)
{
    block_test_create("vmdk", file, size, sub, NULL);
}

static uint8_t *pattern(size_t len, unsigned seed)
{
    uint8_t *b = xmalloc(len);
    for (size_t i = 0; i < len; i++) {
        b[i] = (uint8_t)((i >> 9) * 31 + seed + (i & 7));
    }
    return b;
}

static void check_zero(BlockDriverState *bs, uint64_t off, size_t len)
{
    uint8_t *out = xmalloc(len);
    assert_int_equal(block_pread(bs, off, out, len), 0);
    for (size_t i = 0; i < len; i++) {
        assert_int_equal(out[i], 0);
    }
    free(out);
}

static void write_read_back(const char *sub)
{
    char *f = xasprintf("%s/%s.vmdk", block_test_tmpdir(), sub);
    uint8_t *buf = pattern(1 << 20, 5), *out = xmalloc(1 << 20);
    uint64_t pnum;
    create(f, 20 << 20, sub);
    BlockDriverState *bs = open_fmt(f, false);
    assert_non_null(bs);
    assert_int_equal(block_length(bs), 20 << 20);
    assert_int_equal(block_pwrite(bs, 65536 - 300, buf, 1000), 0);     /* crosses grains */
    assert_int_equal(block_pwrite(bs, 10 << 20, buf, 1 << 20), 0);
    block_close(bs);
    bs = open_fmt(f, true);
    assert_non_null(bs);
    assert_int_equal(block_pread(bs, 65536 - 300, out, 1000), 0);
    assert_memory_equal(out, buf, 1000);
    assert_int_equal(block_pread(bs, 10 << 20, out, 1 << 20), 0);
    assert_memory_equal(out, buf, 1 << 20);
    check_zero(bs, 5 << 20, 65536);
    int st = block_status(bs, 5 << 20, 1 << 20, &pnum, NULL);
    assert_true(st & BLOCK_STATUS_ZERO);
    assert_true(block_status(bs, 10 << 20, 65536, &pnum, NULL) & BLOCK_STATUS_DATA);
    block_close(bs);
    free(buf);
    free(out);
    free(f);
}

static void test_sparse(void **state) { write_read_back("monolithicSparse"); }
static void test_flat(void **state) { write_read_back("monolithicFlat"); }

static void test_stream(void **state)
{
    char *f = block_test_path("stream.vmdk");
    uint8_t *buf = pattern(1 << 20, 9), *out = xmalloc(1 << 20);
    create(f, (8 << 20) + 4096, "streamOptimized");  /* last grain partial */
    BlockDriverState *bs = open_fmt(f, false);
    assert_non_null(bs);
    assert_int_equal(block_get_cluster_size(bs), 65536);
    assert_int_equal(block_pwrite_compressed(bs, 1 << 20, buf, 1 << 20), 0);
    assert_int_equal(block_pwrite_compressed(bs, 8 << 20, buf, 4096), 0);
    /* unaligned compressed writes are refused */
    assert_true(block_pwrite_compressed(bs, 512, buf, 65536) < 0);
    block_close(bs);
    bs = open_fmt(f, true);
    assert_non_null(bs);
    assert_int_equal(block_pread(bs, 1 << 20, out, 1 << 20), 0);
    assert_memory_equal(out, buf, 1 << 20);
    assert_int_equal(block_pread(bs, 8 << 20, out, 4096), 0);
    assert_memory_equal(out, buf, 4096);
    check_zero(bs, 0, 1 << 20);
    block_close(bs);
    /* a truncated stream (footer lost) is refused */
    assert_int_equal(truncate(f, 70000), 0);
    assert_null(open_fmt(f, true));
    free(buf);
    free(out);
    free(f);
}

typedef struct StreamWriter {
    BlockDriverState *bs;
    const uint8_t *data;
    int first, step, ret;
} StreamWriter;

/* Writes every step-th grain from first on with block_pwrite_compressed_parallel. */
static void *stream_writer(void *opaque)
{
    StreamWriter *w = opaque;
    for (int g = w->first; g < 64 && w->ret == 0; g += w->step) {
        w->ret = block_pwrite_compressed_parallel(w->bs, (uint64_t)g << 16,
                                                  w->data + ((size_t)g << 16), 65536);
    }
    return NULL;
}

/* Two threads compress grains at once; everything reads back and the stream is valid. */
static void test_stream_parallel(void **state)
{
    char *f = block_test_path("par.vmdk");
    uint8_t *buf = pattern(4 << 20, 3), *out = xmalloc(4 << 20);
    create(f, 4 << 20, "streamOptimized");
    BlockDriverState *bs = open_fmt(f, false);
    assert_non_null(bs);
    assert_true(block_compress_parallel_supported(bs));
    StreamWriter w[2] = { { bs, buf, 0, 2, 0 }, { bs, buf, 1, 2, 0 } };
    pthread_t t[2];
    for (int i = 0; i < 2; i++) {
        assert_int_equal(pthread_create(&t[i], NULL, stream_writer, &w[i]), 0);
    }
    for (int i = 0; i < 2; i++) {
        pthread_join(t[i], NULL);
        assert_int_equal(w[i].ret, 0);
    }
    block_close(bs);
    bs = open_fmt(f, true);
    assert_non_null(bs);
    assert_false(block_compress_parallel_supported(bs));     /* read-only */
    assert_int_equal(block_pread(bs, 0, out, 4 << 20), 0);
    assert_memory_equal(out, buf, 4 << 20);
    block_close(bs);
    free(buf);
    free(out);
    free(f);
}

static void test_hostile(void **state)
{
    static const struct { long off; const char *val; size_t len; } bad[] = {
        { 4, "\x09\0\0\0", 4 },                                  /* version */
        { 12, "\0\0\0\0\0\0\0\0", 8 },                          /* capacity 0 */
        { 12, "\xff\xff\xff\xff\xff\xff\xff\x0f", 8 },          /* capacity huge */
        { 20, "\x03\0\0\0\0\0\0\0", 8 },                        /* grain size */
        { 20, "\0\0\0\x01\0\0\0\0", 8 },                        /* grain size huge */
        { 44, "\0\x04\0\0", 4 },                                 /* GTEs per GT */
        { 56, "\xff\xff\xff\x7f\0\0\0\0", 8 },                  /* GD offset */
        { 512, "# Disk DescriptorFile\nparentFileNameHint=\"p\"\n", 44 }, /* delta link */
    };
    char *good = block_test_path("good.vmdk"), *bad_file = block_test_path("bad.vmdk");
    create(good, 4 << 20, "monolithicSparse");
    for (size_t i = 0; i < ARRAY_SIZE(bad); i++) {
        char *cmd = xasprintf("cp %s %s", good, bad_file);
        assert_int_equal(system(cmd), 0);
        free(cmd);
        block_test_patch(bad_file, bad[i].off, bad[i].val, bad[i].len);
        if (open_fmt(bad_file, true)) {
            fail_msg("hostile field %zu at %ld was accepted", i, bad[i].off);
        }
    }
    /* descriptors: several extents, missing extent, huge extent */
    static const char *const descs[] = {
        "# Disk DescriptorFile\ncreateType=\"twoGbMaxExtentFlat\"\n"
        "RW 100 FLAT \"a\" 0\nRW 100 FLAT \"b\" 0\n",
        "# Disk DescriptorFile\ncreateType=\"monolithicFlat\"\nRW 100 FLAT \"nothere\" 0\n",
        "# Disk DescriptorFile\ncreateType=\"monolithicFlat\"\nRW 99999999999999999 FLAT \"x\" 0\n",
        "# Disk DescriptorFile\nRW 100 FLAT \"x\" 0\n",
    };
    for (size_t i = 0; i < ARRAY_SIZE(descs); i++) {
        FILE *fp = fopen(bad_file, "w");
        assert_non_null(fp);
        fputs(descs[i], fp);
        fclose(fp);
        if (open_fmt(bad_file, true)) {
            fail_msg("hostile descriptor %zu was accepted", i);
        }
    }
    /* grains past the end of a truncated file read as an error, not as zeros */
    BlockDriverState *bs = open_fmt(good, false);
    uint8_t *buf = pattern(65536, 1);
    assert_non_null(bs);
    assert_int_equal(block_pwrite(bs, 2 << 20, buf, 65536), 0);
    block_close(bs);
    FILE *fp = fopen(good, "r+b");
    fseek(fp, 0, SEEK_END);
    long len = ftell(fp);
    fclose(fp);
    assert_int_equal(truncate(good, len - 4096), 0);
    bs = open_fmt(good, true);
    assert_non_null(bs);
    assert_true(block_pread(bs, 2 << 20, buf, 65536) < 0);
    block_close(bs);
    free(buf);
    free(good);
    free(bad_file);
}

int main(void)
{
    block_test_tmpdir_create("test-vmdk");
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_sparse),
        cmocka_unit_test(test_flat),
        cmocka_unit_test(test_stream),
        cmocka_unit_test(test_stream_parallel),
        cmocka_unit_test(test_hostile),
    };
    return block_test_tmpdir_remove(cmocka_run_group_tests(tests, NULL, NULL));
}
