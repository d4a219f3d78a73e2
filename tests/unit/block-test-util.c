/* Shared helpers for the block-format unit tests (test-vdi, test-vmdk, test-vpc): a
 * per-test temporary directory, image create/open wrappers and in-place file patching. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <cmocka.h>
#include "util/cutils.h"
#include "block-test-util.h"

static char block_test_dir[256];

void block_test_tmpdir_create(const char *prefix)
{
    assert_int_equal(block_test_tmpdir_make(block_test_dir, sizeof(block_test_dir), prefix), 0);
}

int block_test_tmpdir_remove(int ret)
{
    return block_test_tmpdir_rm(block_test_dir) < 0 ? 1 : ret;
}

const char *block_test_tmpdir(void)
{
    return block_test_dir;
}

char *block_test_path(const char *name)
{
    return xasprintf("%s/%s", block_test_dir, name);
}

char *block_test_write_file(const char *name, const void *data, size_t len)
{
    char *path = block_test_path(name);
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    assert_int_equal(fwrite(data, 1, len, f), len);
    assert_int_equal(fclose(f), 0);
    return path;
}

int block_test_tmpdir_make(char *dir, size_t size, const char *prefix)
{
    const char *t = getenv("TMPDIR");
    snprintf(dir, size, "%s/%s-XXXXXX", t && *t ? t : "/tmp", prefix);
    return mkdtemp(dir) ? 0 : -1;
}

int block_test_tmpdir_rm(const char *dir)
{
    char *cmd = xasprintf("rm -rf '%s'", dir);
    int ret = system(cmd);
    free(cmd);
    return ret == 0 ? 0 : -1;
}

BlockDriverState *block_test_open(const char *fmt, const char *file, bool ro)
{
    BlockOpenOptions o = { .format = fmt, .read_only = ro };
    Error *err = NULL;
    BlockDriverState *bs = block_open(file, &o, &err);
    if (!bs) {
        fprintf(stderr, "open: %s\n", error_get_message(err));
        error_free(err);
    }
    return bs;
}

void block_test_create(const char *fmt, const char *file, uint64_t size, const char *sub,
                       KeyValList *extra)
{
    BlockCreateOptions o = { .size = size, .subformat = sub, .extra = extra };
    Error *err = NULL;
    int ret = block_create(fmt, file, &o, &err);
    if (ret < 0) {
        fprintf(stderr, "create: %s\n", error_get_message(err));
    }
    assert_int_equal(ret, 0);
}

void block_test_patch(const char *file, long off, const void *data, size_t len)
{
    FILE *f = fopen(file, "r+b");
    assert_non_null(f);
    fseek(f, off, off < 0 ? SEEK_END : SEEK_SET);
    assert_int_equal(fwrite(data, 1, len, f), len);
    fclose(f);
}

void block_test_patch_le32(const char *file, long off, uint32_t v)
{
    uint8_t b[4] = { (uint8_t)v, (uint8_t)(v >> 8), (uint8_t)(v >> 16), (uint8_t)(v >> 24) };
    block_test_patch(file, off, b, sizeof(b));
}
