/* Shared helpers for the block-format unit tests (test-vdi, test-vmdk, test-vpc): a
 * per-test temporary directory, image create/open wrappers and in-place file patching. */
#ifndef TESTS_UNIT_BLOCK_TEST_UTIL_H
#define TESTS_UNIT_BLOCK_TEST_UTIL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "block/block_int.h"

/* Create ${TMPDIR:-/tmp}/<prefix>-XXXXXX for the whole test binary (fails the test if it
 * cannot); block_test_tmpdir_remove() deletes it. */
void block_test_tmpdir_create(const char *prefix);
/* Remove the directory; returns ret, or 1 if the removal failed. */
int block_test_tmpdir_remove(int ret);
const char *block_test_tmpdir(void);
/* "<tmpdir>/<name>", to be freed by the caller. */
char *block_test_path(const char *name);

/* For cmocka group setup/teardown with a caller-owned buffer: make
 * "${TMPDIR:-/tmp}/<prefix>-XXXXXX" in dir (0, or -1 on failure), remove it again. */
int block_test_tmpdir_make(char *dir, size_t size, const char *prefix);
int block_test_tmpdir_rm(const char *dir);

/* Open file as fmt; NULL (error printed) on failure. */
BlockDriverState *block_test_open(const char *fmt, const char *file, bool ro);
/* Create an image; asserts success. extra may be NULL. */
void block_test_create(const char *fmt, const char *file, uint64_t size, const char *sub,
                       KeyValList *extra);

/* Writes a whole new file <tmpdir>/<name>; returns its path (caller frees); asserts. */
char *block_test_write_file(const char *name, const void *data, size_t len);

/* Overwrite len bytes at off (negative off: from the end of the file); asserts success. */
void block_test_patch(const char *file, long off, const void *data, size_t len);
void block_test_patch_le32(const char *file, long off, uint32_t v);

#endif
