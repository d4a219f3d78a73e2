/* qcow2 crash safety by fault injection: a scripted workload (allocating writes, overwrites,
 * COW after snapshots, compressed and zero writes, snapshot create/delete, refcount table
 * growth, flushes) whose host-file write stream is cut after the N-th write, for every N.
 * Each result must repair with check -r all and keep every byte flushed before the cut. */
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

#define DISK_SIZE (3u << 20)

static char tmpdir[256];

typedef struct Cut {
    long writes;            /* writes seen */
    long limit;             /* writes allowed before the cut; -1: no cut */
    bool cut;               /* a write was dropped */
} Cut;

static int cut_hook(void *opaque, BlockFile *f, BlockFileOp op, uint64_t off, uint64_t len)
{
    Cut *c = opaque;
    if (op == BLOCK_FILE_FLUSH) {
        return 1;           /* ordered-write model: no need to reach the platter */
    }
    if (c->limit >= 0 && c->writes >= c->limit) {
        c->cut = true;
        return 1;           /* dropped: the "machine" is dead from here on */
    }
    c->writes++;
    return 0;
}

typedef struct Workload {
    BlockDriverState *bs;
    Cut *cut;
    uint8_t *model;         /* what the guest wrote */
    uint8_t *durable;       /* content at the last flush completed before the cut */
    uint8_t *unstable;      /* bytes written since that flush (either value is fine) */
} Workload;

static void wl_write(Workload *w, uint64_t off, size_t len, unsigned seed)
{
    uint8_t *buf = xmalloc(len);
    for (size_t i = 0; i < len; i++) {
        buf[i] = (uint8_t)(i * 7 + seed * 31 + 1);
    }
    block_pwrite(w->bs, off, buf, len);     /* may fail after a cut: the guest goes on */
    memcpy(w->model + off, buf, len);
    memset(w->unstable + off, 1, len);
    free(buf);
}

static void wl_zero(Workload *w, uint64_t off, size_t len)
{
    block_pwrite_zeroes(w->bs, off, len, BLOCK_ZERO_MAY_UNMAP);
    memset(w->model + off, 0, len);
    memset(w->unstable + off, 1, len);
}

static void wl_compressed(Workload *w, uint64_t off, size_t len)
{
    uint8_t *buf = xmalloc(len);
    for (size_t i = 0; i < len; i++) {
        buf[i] = (uint8_t)(i / 100 + off / 4096);
    }
    block_pwrite_compressed(w->bs, off, buf, len);
    memcpy(w->model + off, buf, len);
    memset(w->unstable + off, 1, len);
    free(buf);
}

static void wl_flush(Workload *w)
{
    int ret = block_flush(w->bs);
    if (ret == 0 && !w->cut->cut) {
        memcpy(w->durable, w->model, DISK_SIZE);
        memset(w->unstable, 0, DISK_SIZE);
    }
}

static void run_workload(Workload *w)
{
    Error *err = NULL;
    for (int i = 0; i < 6; i++) {                       /* allocating writes */
        wl_write(w, (uint64_t)i * 70000 + 300, 20000, i);
    }
    wl_flush(w);
    wl_write(w, 1000, 3000, 10);                        /* overwrites in place */
    wl_write(w, 140000, 50000, 11);
    wl_flush(w);
    BlockSnapshotInfo sn = { .name = "s1" };
    block_snapshot_create(w->bs, &sn, &err);
    error_free(err);
    err = NULL;
    wl_flush(w);
    wl_write(w, 2000, 10000, 12);                       /* COW of shared clusters */
    wl_write(w, 350000, 8000, 13);
    wl_zero(w, 65536, 65536);
    wl_compressed(w, 1 << 20, 4 * 4096);
    wl_flush(w);
    wl_write(w, (1 << 20) + 100, 500, 14);              /* COW of a compressed cluster */
    wl_write(w, 2 << 20, 700000, 15);                   /* grows the refcount table */
    wl_flush(w);
    block_snapshot_delete(w->bs, "s1", &err);
    error_free(err);
    err = NULL;
    wl_flush(w);
    wl_write(w, 5000, 90000, 16);
    wl_flush(w);
}

static char *create_image(const char *opts)
{
    char *path = xasprintf("%s/crash.qcow2", tmpdir);
    KeyValList kv;
    Error *err = NULL;
    BlockCreateOptions co = { 0 };
    assert_int_equal(keyval_parse(opts, NULL, &kv, &err), 0);
    assert_int_equal(block_create_options_parse(&kv, &co, &err), 0);
    co.size = DISK_SIZE;
    assert_int_equal(block_create("qcow2", path, &co, &err), 0);
    keyval_free(&kv);
    return path;
}

/* Runs the workload cut after limit writes; returns the number of writes it made. */
static long run_cut(const char *opts, long limit, Workload *w)
{
    char *path = create_image(opts);
    Cut cut = { .limit = limit };
    BlockOpenOptions o = { .format = "qcow2" };
    Error *err = NULL;
    memset(w->model, 0, DISK_SIZE);
    memset(w->durable, 0, DISK_SIZE);
    memset(w->unstable, 0, DISK_SIZE);
    w->cut = &cut;
    w->bs = block_open(path, &o, &err);
    assert_non_null(w->bs);
    block_file_set_fault_hook(cut_hook, &cut);
    run_workload(w);
    block_close(w->bs);
    block_file_set_fault_hook(NULL, NULL);
    free(path);
    return cut.writes;
}

static void verify_after_cut(long n, Workload *w)
{
    char *path = xasprintf("%s/crash.qcow2", tmpdir);
    Error *err = NULL;
    BlockOpenOptions co = { .format = "qcow2", .check = true };
    BlockDriverState *bs = block_open(path, &co, &err);
    if (!bs) {
        fprintf(stderr, "cut %ld: open failed: %s\n", n, error_get_message(err));
        fail();
    }
    BlockCheckResult r;
    int ret = block_check(bs, &r, BLOCK_FIX_LEAKS | BLOCK_FIX_ERRORS);
    if (ret < 0 || r.corruptions || r.check_errors) {
        fprintf(stderr, "cut %ld: repair left %lld corruptions (ret %d)\n", n,
                (long long)r.corruptions, ret);
        fail();
    }
    block_close(bs);
    BlockOpenOptions o = { .format = "qcow2", .read_only = true };
    bs = block_open(path, &o, &err);
    assert_non_null(bs);
    assert_int_equal(block_check(bs, &r, 0), 0);
    assert_int_equal(r.corruptions + r.leaks + r.check_errors, 0);
    uint8_t *buf = xmalloc(DISK_SIZE);
    assert_int_equal(block_pread(bs, 0, buf, DISK_SIZE), 0);
    for (uint64_t i = 0; i < DISK_SIZE; i++) {
        if (!w->unstable[i] && buf[i] != w->durable[i]) {
            fprintf(stderr, "cut %ld: flushed byte %llu lost (%02x, expected %02x)\n", n,
                    (unsigned long long)i, buf[i], w->durable[i]);
            fail();
        }
    }
    free(buf);
    block_close(bs);
    free(path);
}

static void crash_cut_every_write(const char *opts)
{
    Workload w = { .model = xmalloc(DISK_SIZE), .durable = xmalloc(DISK_SIZE),
                   .unstable = xmalloc(DISK_SIZE) };
    long total = run_cut(opts, -1, &w);
    assert_true(total > 20);
    /* the uncut run: everything durable and clean */
    verify_after_cut(total, &w);
    for (long n = 0; n < total; n++) {
        run_cut(opts, n, &w);
        verify_after_cut(n, &w);
    }
    fprintf(stderr, "%s: %ld cut points verified\n", opts, total);
    free(w.model);
    free(w.durable);
    free(w.unstable);
}

static void test_crash_v3(void **state)
{
    crash_cut_every_write("cluster_size=4k,refcount_bits=64");
}

static void test_crash_small_clusters(void **state)
{
    crash_cut_every_write("cluster_size=512,refcount_bits=16,compat=0.10");
}

static void test_crash_lazy_refcounts(void **state)
{
    crash_cut_every_write("cluster_size=4k,lazy_refcounts=on");
}

static int setup(void **state)
{
    return block_test_tmpdir_make(tmpdir, sizeof(tmpdir), "test-qcow2-crash");
}

static int teardown(void **state)
{
    return block_test_tmpdir_rm(tmpdir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_crash_v3),
        cmocka_unit_test(test_crash_small_clusters),
        cmocka_unit_test(test_crash_lazy_refcounts),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
