/* libFuzzer harness for image drivers: the input is an image file opened with the format
 * named by $MIMIC_FUZZ_FORMAT (qcow2, raw, vdi, vmdk, vpc...), then read, mapped, listed,
 * checked, repaired and written. Backing files are never opened. docs/block.md ("Fuzzing"). */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "block/block_int.h"
#include "util/cutils.h"

#define READ_LIMIT (4u << 20)
#define STATUS_STEPS 256

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char *format;
static char path[256];

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    format = getenv("MIMIC_FUZZ_FORMAT");
    if (!format || !block_driver_find(format)) {
        fprintf(stderr, "fuzz-block: set MIMIC_FUZZ_FORMAT to a registered format (got '%s')\n",
                format ? format : "");
        exit(77);
    }
    const char *t = getenv("TMPDIR");
    snprintf(path, sizeof(path), "%s/mimic-fuzz-%s-XXXXXX", t && *t ? t : "/tmp", format);
    int fd = mkstemp(path);
    if (fd < 0) {
        perror("mkstemp");
        exit(1);
    }
    close(fd);
    return 0;
}

static void put_file(const uint8_t *data, size_t size)
{
    FILE *f = fopen(path, "wb");
    if (!f) {
        abort();
    }
    if (size && fwrite(data, 1, size, f) != size) {
        abort();
    }
    fclose(f);
}

static void exercise_read(BlockDriverState *bs)
{
    int64_t len = block_length(bs);
    if (len <= 0) {
        return;
    }
    uint64_t n = MIN((uint64_t)len, READ_LIMIT);
    uint8_t *buf = xmalloc(65536);
    for (uint64_t off = 0; off < n; off += 65536) {
        block_pread(bs, off, buf, MIN(65536, n - off));
    }
    block_pread(bs, (uint64_t)len - 1, buf, 1);
    free(buf);
    uint64_t off = 0, pnum, map;
    for (int i = 0; i < STATUS_STEPS && off < (uint64_t)len; i++) {
        if (block_status(bs, off, (uint64_t)len - off, &pnum, &map) < 0) {
            break;
        }
        off += pnum;
    }
    BlockImageInfo info;
    block_get_info(bs, &info);
    BlockSnapshotInfo *list;
    Error *err = NULL;
    int count = block_snapshot_list(bs, &list, &err);
    error_free(err);
    if (count >= 0) {
        block_snapshot_list_free(list, count);
    }
}

static void exercise_repair_and_write(void)
{
    Error *err = NULL;
    BlockOpenOptions co = { .format = format, .check = true, .no_backing = true };
    BlockDriverState *bs = block_open(path, &co, &err);
    error_free(err);
    err = NULL;
    if (bs) {
        BlockCheckResult r;
        block_check(bs, &r, BLOCK_FIX_LEAKS | BLOCK_FIX_ERRORS);
        block_close(bs);
    }
    BlockOpenOptions wo = { .format = format, .no_backing = true, .cache = BLOCK_CACHE_UNSAFE };
    bs = block_open(path, &wo, &err);
    error_free(err);
    if (!bs) {
        return;
    }
    int64_t len = block_length(bs);
    if (len > 0) {
        uint8_t buf[4096];
        memset(buf, 0x5a, sizeof(buf));
        block_pwrite(bs, 0, buf, MIN(sizeof(buf), (uint64_t)len));
        block_pwrite(bs, (uint64_t)len / 2, buf, MIN(100, (uint64_t)len / 2));
        block_pwrite_zeroes(bs, 0, MIN(65536, (uint64_t)len), BLOCK_ZERO_MAY_UNMAP);
        exercise_read(bs);
    }
    block_close(bs);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    put_file(data, size);
    Error *err = NULL;
    BlockOpenOptions o = { .format = format, .read_only = true, .no_backing = true };
    BlockDriverState *bs = block_open(path, &o, &err);
    error_free(err);
    if (!bs) {
        return 0;
    }
    exercise_read(bs);
    BlockCheckResult r;
    block_check(bs, &r, 0);
    block_close(bs);
    exercise_repair_and_write();
    return 0;
}
