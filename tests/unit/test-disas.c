/* Unit tests for util/disas.c: instructions through capstone, or a hex dump without it. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include "util/disas.h"

static char *disas_to_string(DisasArch arch, const void *code, size_t size, uint64_t addr)
{
    char *text = NULL;
    size_t len = 0;
    FILE *out = open_memstream(&text, &len);
    disas_print(out, arch, code, size, addr);
    fclose(out);
    return text;
}

static void test_x86_64(void **state)
{
    static const uint8_t code[] = { 0x48, 0x01, 0xd8, 0xc3 };   /* add rax, rbx; ret */
    char *text = disas_to_string(DISAS_X86_64, code, sizeof(code), 0x1000);
    if (disas_available()) {
        assert_non_null(strstr(text, "0x000000001000:  add      rax, rbx"));
        assert_non_null(strstr(text, "0x000000001003:  ret"));
    } else {
        assert_non_null(strstr(text, ".byte 0x48 0x01 0xd8 0xc3"));
    }
    free(text);
}

static void test_arm_and_undecodable_tail(void **state)
{
    /* mov r0, #1 (e3a00001), then two bytes that are no whole ARM instruction */
    static const uint8_t code[] = { 0x01, 0x00, 0xa0, 0xe3, 0xff, 0xff };
    char *text = disas_to_string(DISAS_ARM, code, sizeof(code), 0x8000);
    if (disas_available()) {
        assert_non_null(strstr(text, "mov      r0, #1"));
        assert_non_null(strstr(text, "0x000000008004:  .byte 0xff 0xff"));
    } else {
        assert_non_null(strstr(text, ".byte 0x01 0x00 0xa0 0xe3 0xff 0xff"));
    }
    free(text);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_x86_64),
        cmocka_unit_test(test_arm_and_undecodable_tail),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
