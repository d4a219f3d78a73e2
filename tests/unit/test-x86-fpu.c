/* Unit tests of the x87 unit's C side (target-i386/fpu*.c): the escape map's valid and
 * control encodings, the FXSAVE legacy image round trip (32- and 64-bit layouts, abridged
 * tags in physical order, ST(i) in stack order), FCW reserved bits, and pending-exception
 * delivery with CR0.NE = 0 through the interrupt controller's FERR# hook. Instruction
 * semantics are tested by tests/guest/x86/fpu*.asm and the differential tester. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <string.h>
#include "target-i386/cpu.h"
#include "target-i386/fpu.h"

static X86CPU *new_cpu(void)
{
    Error *err = NULL;
    const CPUClass *cls = cpu_class_find("x86_64", "qemu32");
    assert_non_null(cls);
    CPUState *cpu = cpu_create(cls, NULL, 0, &err);
    assert_non_null(cpu);
    cpu_reset(cpu);
    return x86_cpu(cpu);
}

static void test_encodings(void **state)
{
    assert_true(x87_insn_valid(1, 0x00));       /* FLD m32 */
    assert_false(x87_insn_valid(1, 0x08));      /* D9 /1 */
    assert_false(x87_insn_valid(3, 0x20));      /* DB /4 */
    assert_false(x87_insn_valid(5, 0x28));      /* DD /5 */
    assert_true(x87_insn_valid(1, 0xd0));       /* FNOP */
    assert_false(x87_insn_valid(1, 0xd1));
    assert_false(x87_insn_valid(1, 0xe2));
    assert_true(x87_insn_valid(2, 0xe9));       /* FUCOMPP */
    assert_false(x87_insn_valid(2, 0xe8));
    assert_true(x87_insn_valid(6, 0xd9));       /* FCOMPP */
    assert_false(x87_insn_valid(6, 0xd8));
    assert_true(x87_insn_valid(7, 0xe0));       /* FNSTSW AX */
    assert_false(x87_insn_valid(7, 0xe1));
    assert_false(x87_insn_valid(7, 0xf8));
    assert_true(x87_insn_control(1, 0x38));     /* FNSTCW */
    assert_true(x87_insn_control(5, 0x30));     /* FNSAVE */
    assert_true(x87_insn_control(3, 0xe3));     /* FNINIT */
    assert_false(x87_insn_control(0, 0x00));    /* FADD m32 */
    assert_false(x87_insn_control(1, 0xe8));    /* FLD1 */
}

static void test_fxsave_round_trip(void **state)
{
    X86CPU *x = new_cpu();
    uint8_t area[512], again[512];

    for (int p = 0; p < 8; p++) {
        x->fpregs[p] = (X87Reg){ .mant = 0x8000000000000000ull | p, .sexp = 0x3fff + p };
        x->fptags[p] = p == 2;
    }
    x->fpstt = 5;
    x->fpus = 0x4105;
    x->fpuc = 0x0b7f;
    x->fpop = 0x5c1;
    x->fpip = 0x123456789aull;
    x->fpdp = 0xabcdef0123ull;
    x->fpcs = 0x1b;
    x->fpds = 0x23;
    memset(area, 0xee, sizeof(area));
    x86_fxsave_x87(x, area, true);
    assert_int_equal(area[0] | area[1] << 8, 0x0b7f);
    assert_int_equal(area[2] | area[3] << 8, 0x4105 | 5 << 11);
    assert_int_equal(area[4], 0xfb);            /* physical R2 empty */
    assert_int_equal(area[8], 0x9a);            /* 64-bit FIP */
    assert_int_equal(area[12], 0x12);
    assert_int_equal(area[32], 5);              /* ST0 = R5 */
    assert_int_equal(area[24], 0xee);           /* MXCSR: the caller's */
    x86_fpu_init(x);
    x86_fxrstor_x87(x, area, true);
    assert_int_equal(x->fpstt, 5);
    assert_int_equal(x->fptags[2], 1);
    assert_int_equal(x->fpregs[7].sexp, 0x3fff + 7);
    assert_true(x->fpip == 0x123456789aull);
    memset(again, 0xee, sizeof(again));
    x86_fxsave_x87(x, again, true);
    assert_memory_equal(area, again, 160);
    x->fpcs = 0x1b;                             /* (the 64-bit layout has no selectors) */
    x->fpds = 0x23;
    x86_fxsave_x87(x, area, false);             /* 32-bit layout: offset + selector */
    assert_int_equal(area[8], 0x9a);
    assert_int_equal(area[12], 0x1b);
    assert_int_equal(area[20], 0x23);
    cpu_destroy(&x->parent);
}

static void test_fcw(void **state)
{
    assert_int_equal(x87_fcw(0xffff), 0x1f7f);
    assert_int_equal(x87_fcw(0), 0x0040);
    assert_int_equal(x87_fcw(0x037f), 0x037f);
}

static int ferr_calls;

static void count_ferr(CPUState *cpu)
{
    ferr_calls++;
}

static void test_ferr(void **state)
{
    static const X86IntcOps intc = { .ferr = count_ferr };
    X86CPU *x = new_cpu();

    x->intc = &intc;
    x->cr[0] &= ~(uint64_t)X86_CR0_NE;
    ferr_calls = 0;
    x87_check_pending(x, 0);                    /* nothing pending */
    assert_int_equal(ferr_calls, 0);
    x->fpus |= FSW_ZE | FSW_ES | FSW_B;
    x87_check_pending(x, 0);                    /* NE = 0: FERR#, and on */
    assert_int_equal(ferr_calls, 1);
    x->intc = NULL;                             /* no controller: nothing */
    x87_check_pending(x, 0);
    assert_int_equal(ferr_calls, 1);
    cpu_destroy(&x->parent);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_encodings),
        cmocka_unit_test(test_fxsave_round_trip),
        cmocka_unit_test(test_fcw),
        cmocka_unit_test(test_ferr),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
