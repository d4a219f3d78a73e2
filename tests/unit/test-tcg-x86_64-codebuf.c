/* Unit tests for tcg/code-buffer.c: dual RW/RX mapping, commit and flush, and atomic
 * rel32 jump patching seen by code that runs from the RX view. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>
#include "tcg/code-buffer.h"
#include "tcg/x86_64/emit-x86.h"

typedef int (*IntFn)(void);

/* "mov eax, value; ret" written into the buffer; returns its RX address. */
static const void *put_return(TCGCodeBuffer *cb, int value)
{
    X86Asm a;
    x86_asm_init(&a, tcg_code_buffer_next_rw(cb), tcg_code_buffer_avail(cb));
    x86_mov_ri(&a, X86_RAX, (uint32_t)value);
    x86_ret(&a);
    return tcg_code_buffer_commit(cb, a.pos);
}

/* Permissions column of /proc/self/maps for the mapping holding p ("r-xs"...). */
static void mapping_perms(const void *p, char perms[5])
{
    FILE *f = fopen("/proc/self/maps", "r");
    char line[512];
    uintptr_t lo, hi;
    strcpy(perms, "none");
    assert_non_null(f);
    while (fgets(line, sizeof(line), f)) {
        char pm[5];
        if (sscanf(line, "%lx-%lx %4s", &lo, &hi, pm) == 3 &&
            (uintptr_t)p >= lo && (uintptr_t)p < hi) {
            memcpy(perms, pm, 5);
        }
    }
    fclose(f);
}

static void test_run_code_from_rx_view(void **state)
{
    TCGCodeBuffer cb;
    char perms[5];
    assert_int_equal(tcg_code_buffer_init(&cb, 1 << 20, NULL), 0);
    const void *f42 = put_return(&cb, 42);
    const void *f7 = put_return(&cb, 7);
    assert_ptr_equal(f42, cb.rx);
    assert_int_equal((uintptr_t)f7 % TCG_CODE_ALIGN, 0);
    assert_int_equal(((IntFn)f42)(), 42);
    assert_int_equal(((IntFn)f7)(), 7);
    mapping_perms(cb.rx, perms);
    assert_string_equal(perms, "r-xs");
    mapping_perms(cb.rw, perms);
    assert_string_equal(perms, "rw-s");
    tcg_code_buffer_destroy(&cb);
}

static void test_patch_rel32_retargets_jump(void **state)
{
    TCGCodeBuffer cb;
    X86Asm a;
    assert_int_equal(tcg_code_buffer_init(&cb, 1 << 20, NULL), 0);
    const void *ret1 = put_return(&cb, 1);
    const void *ret2 = put_return(&cb, 2);
    /* nop padding so that the jmp's displacement is 4-byte aligned */
    x86_asm_init(&a, tcg_code_buffer_next_rw(&cb), tcg_code_buffer_avail(&cb));
    x86_nop(&a, 3);
    size_t disp = x86_jmp32(&a, 0);
    const uint8_t *entry = tcg_code_buffer_commit(&cb, a.pos);
    const uint8_t *disp_rx = entry + disp;
    assert_int_equal((uintptr_t)disp_rx & 3, 0);
    assert_int_equal(tcg_code_buffer_patch_rel32(&cb, disp_rx, ret1), 0);
    assert_int_equal(((IntFn)entry)(), 1);
    assert_int_equal(tcg_code_buffer_patch_rel32(&cb, disp_rx, ret2), 0);
    assert_int_equal(((IntFn)entry)(), 2);
    /* misaligned and outside the buffer are refused */
    assert_int_equal(tcg_code_buffer_patch_rel32(&cb, disp_rx + 1, ret1), -1);
    assert_int_equal(tcg_code_buffer_patch_rel32(&cb, &a, ret1), -1);
    tcg_code_buffer_destroy(&cb);
}

static void test_fill_and_flush(void **state)
{
    TCGCodeBuffer cb;
    unsigned n = 0;
    assert_int_equal(tcg_code_buffer_init(&cb, TCG_CODE_BUFFER_MIN_SIZE, NULL), 0);
    while (tcg_code_buffer_avail(&cb) >= 64) {
        assert_non_null(tcg_code_buffer_commit(&cb, 64));
        n++;
    }
    assert_int_equal(n, cb.size / 64);
    assert_null(tcg_code_buffer_commit(&cb, 65));
    tcg_code_buffer_flush(&cb);
    assert_int_equal(cb.flushes, 1);
    assert_int_equal(tcg_code_buffer_avail(&cb), cb.size);
    assert_int_equal(((IntFn)put_return(&cb, 9))(), 9);
    tcg_code_buffer_destroy(&cb);
}

static void test_size_limits(void **state)
{
    TCGCodeBuffer cb;
    Error *err = NULL;
    assert_int_equal(tcg_code_buffer_init(&cb, 100, &err), -1);
    assert_non_null(err);
    assert_non_null(strstr(error_get_message(err), "100"));
    error_free(err);
    assert_int_equal(tcg_code_buffer_init(&cb, (size_t)4 << 30, NULL), -1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_run_code_from_rx_view),
        cmocka_unit_test(test_patch_rel32_retargets_jump),
        cmocka_unit_test(test_fill_and_flush),
        cmocka_unit_test(test_size_limits),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
