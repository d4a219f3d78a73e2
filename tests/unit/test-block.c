/* Unit tests for the block layer core and the raw driver: open/probe rules, sync and async
 * I/O, sparse status, preallocation, truncate, cache modes, backing chains and loops. */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cmocka.h>
#include "block/block_int.h"
#include "util/cutils.h"
#include "block-test-util.h"

static char tmpdir[256];

static char *tmp_path(const char *name)
{
    return xasprintf("%s/%s", tmpdir, name);
}

/* ---- a tiny test format: "MIMICTST", u64 size, backing name at 64, format at 320; data at
 * 512 + offset; an all-zero 512-byte sector reads from the backing node ---- */
#define TST_DATA 512

static int tst_probe(const uint8_t *buf, size_t len, const char *filename)
{
    return len >= 8 && !memcmp(buf, "MIMICTST", 8) ? 100 : 0;
}

static int tst_open(BlockDriverState *bs, Error **errp)
{
    char hdr[512];
    if (block_file_pread(bs->file, 0, hdr, sizeof(hdr)) < 0 || memcmp(hdr, "MIMICTST", 8)) {
        error_setg(errp, "not a tst image");
        return -1;
    }
    hdr[319] = hdr[511] = '\0';
    if (hdr[64]) {
        bs->backing_file = xstrdup(hdr + 64);
    }
    if (hdr[320]) {
        bs->backing_format = xstrdup(hdr + 320);
    }
    return 0;
}

static int64_t tst_length(BlockDriverState *bs)
{
    uint64_t size;
    int ret = block_file_pread(bs->file, 8, &size, 8);
    return ret < 0 ? ret : (int64_t)size;
}

static int tst_read(BlockDriverState *bs, uint64_t offset, void *buf, size_t bytes)
{
    uint8_t sector[512];
    for (size_t done = 0; done < bytes;) {
        uint64_t pos = offset + done;
        size_t in = pos % 512, n = MIN(bytes - done, 512 - in);
        int ret = block_file_pread(bs->file, TST_DATA + pos - in, sector, 512);
        if (ret == 0 && block_buffer_is_zero(sector, 512)) {
            ret = block_read_backing(bs, pos - in, sector, 512);
        }
        if (ret < 0) {
            return ret;
        }
        memcpy((uint8_t *)buf + done, sector + in, n);
        done += n;
    }
    return 0;
}

static int tst_write(BlockDriverState *bs, uint64_t offset, const void *buf, size_t bytes)
{
    return block_file_pwrite(bs->file, TST_DATA + offset, buf, bytes);
}

static int tst_block_status(BlockDriverState *bs, uint64_t offset, uint64_t bytes,
                            uint64_t *pnum, uint64_t *map)
{
    uint8_t sector[512];
    int ret = block_file_pread(bs->file, TST_DATA + offset / 512 * 512, sector, 512);
    *pnum = MIN(bytes, 512 - offset % 512);
    if (ret < 0) {
        return ret;
    }
    return block_buffer_is_zero(sector, 512) ? 0 : BLOCK_STATUS_DATA | BLOCK_STATUS_ALLOCATED;
}

static int tst_create(const char *filename, BlockCreateOptions *opts, Error **errp)
{
    char hdr[512] = "MIMICTST";
    BlockFile *f;
    memcpy(hdr + 8, &opts->size, 8);
    if (opts->backing_file) {
        snprintf(hdr + 64, 256, "%s", opts->backing_file);
    }
    if (opts->backing_fmt) {
        snprintf(hdr + 320, 64, "%s", opts->backing_fmt);
    }
    if (block_file_create(filename, &f, errp) < 0) {
        return -EIO;
    }
    int ret = block_file_pwrite(f, 0, hdr, sizeof(hdr));
    block_file_close(f);
    return ret;
}

static const BlockDriver tst_driver = {
    .format_name = "tst", .probe = tst_probe, .open = tst_open, .read = tst_read,
    .write = tst_write, .block_status = tst_block_status, .length = tst_length, .create = tst_create, .supports_backing = true,
};

/* ---- helpers ---- */

static void fill_pattern(uint8_t *buf, size_t len, unsigned seed)
{
    for (size_t i = 0; i < len; i++) {
        buf[i] = (uint8_t)(i * 7 + seed * 13 + (i >> 9));
    }
}

static char *create_raw(const char *name, uint64_t size)
{
    char *path = tmp_path(name);
    BlockCreateOptions o = { .size = size };
    Error *err = NULL;
    assert_int_equal(block_create("raw", path, &o, &err), 0);
    return path;
}

static BlockDriverState *open_fmt(const char *path, const char *fmt, bool ro)
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

/* ---- tests ---- */

static void test_raw_read_write(void **state)
{
    char *path = create_raw("rw.raw", 1 << 20);
    BlockDriverState *bs = open_fmt(path, "raw", false);
    uint8_t *buf = xmalloc(70000), *back = xmalloc(70000);
    fill_pattern(buf, 70000, 1);
    assert_int_equal(block_length(bs), 1 << 20);
    assert_int_equal(block_pwrite(bs, 1234, buf, 70000), 0);
    assert_int_equal(block_pread(bs, 1234, back, 70000), 0);
    assert_memory_equal(buf, back, 70000);
    /* out of range */
    assert_int_equal(block_pread(bs, (1 << 20) - 10, back, 11), -EINVAL);
    assert_int_equal(block_pwrite(bs, 1 << 20, buf, 1), -EINVAL);
    assert_int_equal(block_flush(bs), 0);
    block_close(bs);
    bs = open_fmt(path, "raw", true);
    assert_int_equal(block_pread(bs, 1234, back, 70000), 0);
    assert_memory_equal(buf, back, 70000);
    assert_int_equal(block_pwrite(bs, 0, buf, 512), -EACCES);
    block_close(bs);
    free(buf);
    free(back);
    free(path);
}

static void test_raw_status_sparse(void **state)
{
    char *path = create_raw("sparse.raw", 4 << 20);
    BlockDriverState *bs = open_fmt(path, "raw", false);
    uint8_t buf[65536];
    uint64_t pnum;
    fill_pattern(buf, sizeof(buf), 2);
    assert_int_equal(block_pwrite(bs, 1 << 20, buf, sizeof(buf)), 0);
    assert_int_equal(block_flush(bs), 0);
    int st = block_status(bs, 0, 4 << 20, &pnum, NULL);
    assert_true(st & BLOCK_STATUS_ZERO);
    assert_true(st & BLOCK_STATUS_ALLOCATED);
    assert_true(pnum <= (1 << 20));
    st = block_status(bs, 1 << 20, (4 << 20) - (1 << 20), &pnum, NULL);
    assert_true(st & BLOCK_STATUS_DATA);
    assert_true(pnum >= sizeof(buf));
    /* write_zeroes with unmap makes the range a hole again */
    assert_int_equal(block_pwrite_zeroes(bs, 1 << 20, sizeof(buf), BLOCK_ZERO_MAY_UNMAP), 0);
    assert_int_equal(block_pread(bs, 1 << 20, buf, sizeof(buf)), 0);
    assert_true(block_buffer_is_zero(buf, sizeof(buf)));
    st = block_status(bs, 1 << 20, 65536, &pnum, NULL);
    assert_true(st & BLOCK_STATUS_ZERO);
    block_close(bs);
    free(path);
}

static void test_raw_prealloc_truncate(void **state)
{
    char *path = tmp_path("prealloc.raw");
    Error *err = NULL;
    struct stat st;
    BlockCreateOptions o = { .size = 1 << 20, .prealloc = BLOCK_PREALLOC_FULL };
    assert_int_equal(block_create("raw", path, &o, &err), 0);
    assert_int_equal(stat(path, &st), 0);
    assert_true(st.st_blocks * 512 >= (1 << 20));
    o.prealloc = BLOCK_PREALLOC_FALLOC;
    assert_int_equal(block_create("raw", path, &o, &err), 0);
    assert_int_equal(stat(path, &st), 0);
    assert_true(st.st_blocks * 512 >= (1 << 20));
    o.prealloc = BLOCK_PREALLOC_OFF;
    assert_int_equal(block_create("raw", path, &o, &err), 0);
    assert_int_equal(stat(path, &st), 0);
    assert_true(st.st_blocks * 512 < (1 << 20));
    o.prealloc = BLOCK_PREALLOC_METADATA;
    assert_int_not_equal(block_create("raw", path, &o, &err), 0);
    error_free(err);
    err = NULL;

    BlockDriverState *bs = open_fmt(path, "raw", false);
    assert_int_equal(block_truncate(bs, 3 << 20, false, BLOCK_PREALLOC_OFF, &err), 0);
    assert_int_equal(block_length(bs), 3 << 20);
    assert_int_not_equal(block_truncate(bs, 1 << 20, false, BLOCK_PREALLOC_OFF, &err), 0);
    error_free(err);
    err = NULL;
    assert_int_equal(block_truncate(bs, 1 << 19, true, BLOCK_PREALLOC_OFF, &err), 0);
    assert_int_equal(block_length(bs), 1 << 19);
    block_close(bs);
    free(path);
}

static void test_probe_guard(void **state)
{
    char *path = create_raw("probed.raw", 1 << 20);
    Error *err = NULL;
    BlockDriverState *bs = block_open(path, NULL, &err);   /* probes: raw + warning */
    assert_non_null(bs);
    assert_string_equal(block_get_format(bs), "raw");
    uint8_t sector[512] = "MIMICTST";
    /* a probed raw image must not become another format through a guest write */
    assert_int_equal(block_pwrite(bs, 0, sector, 512), -EPERM);
    assert_int_equal(block_pwrite(bs, 512, sector, 512), 0);
    memset(sector, 0xab, sizeof(sector));
    assert_int_equal(block_pwrite(bs, 0, sector, 512), 0);
    block_close(bs);
    /* explicitly raw: the guest owns every byte, and it stays raw when reopened as raw */
    bs = open_fmt(path, "raw", false);
    memcpy(sector, "MIMICTST", 8);
    assert_int_equal(block_pwrite(bs, 0, sector, 512), 0);
    block_close(bs);
    bs = open_fmt(path, "raw", true);
    assert_string_equal(block_get_format(bs), "raw");
    assert_null(block_get_backing(bs));
    block_close(bs);
    free(path);
}

static void test_backing_chain(void **state)
{
    char *base = create_raw("chain-base.raw", 1 << 20);
    uint8_t buf[4096], back[4096];
    fill_pattern(buf, sizeof(buf), 3);
    BlockDriverState *bs = open_fmt(base, "raw", false);
    assert_int_equal(block_pwrite(bs, 8192, buf, sizeof(buf)), 0);
    block_close(bs);

    /* relative backing name, resolved against the overlay's directory */
    char *top = tmp_path("chain-top.tst");
    BlockCreateOptions o = { .backing_file = "chain-base.raw", .backing_fmt = "raw" };
    Error *err = NULL;
    char *cwd = getcwd(NULL, 0);
    assert_int_equal(chdir("/"), 0);
    assert_int_equal(block_create("tst", top, &o, &err), 0);
    bs = block_open(top, NULL, &err);
    assert_non_null(bs);
    assert_string_equal(block_get_format(bs), "tst");
    assert_int_equal(block_length(bs), 1 << 20);   /* size taken from the backing file */
    assert_non_null(block_get_backing(bs));
    assert_int_equal(block_pread(bs, 8192, back, sizeof(back)), 0);
    assert_memory_equal(buf, back, sizeof(back));
    int depth;
    uint64_t pnum;
    assert_true(block_status_chain(bs, NULL, 8192, 4096, &pnum, NULL, &depth) >= 0);
    assert_int_equal(depth, 1);
    block_close(bs);
    assert_int_equal(chdir(cwd), 0);
    free(cwd);

    /* a missing backing file is an error naming it */
    char *orphan = tmp_path("orphan.tst");
    o.backing_file = "missing.raw";
    o.size = 1 << 20;
    assert_int_equal(tst_create(orphan, &o, &err), 0);
    assert_null(block_open(orphan, NULL, &err));
    assert_non_null(strstr(error_get_message(err), "missing.raw"));
    error_free(err);
    err = NULL;
    BlockOpenOptions nb = { .no_backing = true, .read_only = true };
    bs = block_open(orphan, &nb, &err);
    assert_non_null(bs);
    block_close(bs);
    free(orphan);
    free(top);
    free(base);
}

static void test_backing_loop(void **state)
{
    char *a = tmp_path("loop-a.tst"), *b = tmp_path("loop-b.tst");
    BlockCreateOptions o = { .size = 1 << 20, .backing_file = "loop-b.tst" };
    Error *err = NULL;
    assert_int_equal(tst_create(a, &o, &err), 0);
    o.backing_file = "loop-a.tst";
    assert_int_equal(tst_create(b, &o, &err), 0);
    assert_null(block_open(a, NULL, &err));
    assert_non_null(strstr(error_get_message(err), "loop"));
    error_free(err);
    err = NULL;
    /* self-reference */
    o.backing_file = "loop-a.tst";
    assert_int_equal(tst_create(a, &o, &err), 0);
    assert_null(block_open(a, NULL, &err));
    error_free(err);
    free(a);
    free(b);
}

static void test_unknown_and_missing(void **state)
{
    Error *err = NULL;
    char *path = create_raw("u.raw", 4096);
    BlockOpenOptions o = { .format = "nosuchfmt" };
    assert_null(block_open(path, &o, &err));
    assert_non_null(strstr(error_get_message(err), "nosuchfmt"));
    error_free(err);
    err = NULL;
    assert_null(block_open("/nonexistent/x.img", NULL, &err));
    error_free(err);
    free(path);
}

static void test_cache_modes(void **state)
{
    char *path = create_raw("cache.raw", 1 << 20);
    static const BlockCacheMode modes[] = { BLOCK_CACHE_WRITETHROUGH, BLOCK_CACHE_NONE,
                                            BLOCK_CACHE_DIRECTSYNC, BLOCK_CACHE_UNSAFE };
    uint8_t buf[3000], back[3000];
    for (size_t i = 0; i < ARRAY_SIZE(modes); i++) {
        BlockOpenOptions o = { .format = "raw", .cache = modes[i] };
        Error *err = NULL;
        BlockDriverState *bs = block_open(path, &o, &err);
        if (!bs) {      /* O_DIRECT unsupported by this file system */
            error_free(err);
            continue;
        }
        fill_pattern(buf, sizeof(buf), (unsigned)i);
        /* unaligned on purpose: O_DIRECT needs the bounce path */
        assert_int_equal(block_pwrite(bs, 4097 + i, buf, sizeof(buf)), 0);
        assert_int_equal(block_flush(bs), 0);
        assert_int_equal(block_pread(bs, 4097 + i, back, sizeof(back)), 0);
        assert_memory_equal(buf, back, sizeof(buf));
        block_close(bs);
    }
    BlockCacheMode m;
    Error *err = NULL;
    assert_int_equal(block_cache_mode_parse("none", &m, &err), 0);
    assert_int_equal(m, BLOCK_CACHE_NONE);
    assert_int_equal(block_cache_mode_parse("bogus", &m, &err), -1);
    error_free(err);
    free(path);
}

typedef struct AioCounter {
    int done;
    int errors;
} AioCounter;

static void aio_done(void *opaque, int ret)
{
    AioCounter *c = opaque;
    c->done++;
    c->errors += ret != 0;
}

static void test_aio(void **state)
{
    char *path = create_raw("aio.raw", 1 << 20);
    BlockDriverState *bs = open_fmt(path, "raw", false);
    enum { N = 32, LEN = 8192 };
    uint8_t *wbuf = xmalloc(N * LEN), *rbuf = xzalloc(N * LEN);
    AioCounter c = { 0 };
    fill_pattern(wbuf, N * LEN, 9);
    for (int i = 0; i < N; i++) {
        block_aio_pwrite(bs, (uint64_t)i * LEN, wbuf + i * LEN, LEN, aio_done, &c);
    }
    assert_int_equal(c.done, 0);        /* callbacks only run from poll/wait */
    block_aio_wait_all();
    assert_int_equal(c.done, N);
    block_aio_flush(bs, aio_done, &c);
    for (int i = 0; i < N; i++) {
        block_aio_pread(bs, (uint64_t)i * LEN, rbuf + i * LEN, LEN, aio_done, &c);
    }
    block_aio_pread(bs, 1 << 20, rbuf, 1, aio_done, &c);     /* out of range: error */
    block_aio_wait_all();
    assert_int_equal(c.done, 2 * N + 2);
    assert_int_equal(c.errors, 1);
    assert_int_equal(block_aio_in_flight(), 0);
    assert_memory_equal(wbuf, rbuf, N * LEN);
    block_close(bs);
    free(wbuf);
    free(rbuf);
    free(path);
}

static void test_check_report(void **state)
{
    BlockCheckResult r = { .leaks = 2, .total_clusters = 10, .allocated_clusters = 5,
                           .image_end_offset = 4096 };
    assert_int_equal(block_check_exit_code(&r), 3);
    r.corruptions = 1;
    assert_int_equal(block_check_exit_code(&r), 2);
    r.check_errors = 1;
    assert_int_equal(block_check_exit_code(&r), 1);
    char *out = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&out, &len);
    block_check_print_json(&r, "a\"b", "qcow2", f);
    fclose(f);
    assert_non_null(strstr(out, "\"filename\": \"a\\\"b\""));
    assert_non_null(strstr(out, "\"leaks\": 2"));
    free(out);
}

static int setup(void **state)
{
    if (block_test_tmpdir_make(tmpdir, sizeof(tmpdir), "test-block") < 0) {
        return -1;
    }
    block_driver_register(&tst_driver);
    return 0;
}

static int teardown(void **state)
{
    return block_test_tmpdir_rm(tmpdir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_raw_read_write),
        cmocka_unit_test(test_raw_status_sparse),
        cmocka_unit_test(test_raw_prealloc_truncate),
        cmocka_unit_test(test_probe_guard),
        cmocka_unit_test(test_backing_chain),
        cmocka_unit_test(test_backing_loop),
        cmocka_unit_test(test_unknown_and_missing),
        cmocka_unit_test(test_cache_modes),
        cmocka_unit_test(test_aio),
        cmocka_unit_test(test_check_report),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
