/* Unit tests for tcg/x86_64/emit-x86.c: every encoder is disassembled with capstone and
 * compared with the expected Intel-syntax text, over every register and addressing case. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>
#include "config-host.h"

#ifndef CONFIG_CAPSTONE
/* Built without capstone (configure --disable-capstone): nothing to compare against. */
int main(void)
{
    printf("1..0 # SKIP built without capstone\n");
    return 0;
}
#else
#include <capstone/capstone.h>
#include "tcg/x86_64/emit-x86.h"

static const char *const r64[16] = {
    "rax", "rcx", "rdx", "rbx", "rsp", "rbp", "rsi", "rdi",
    "r8", "r9", "r10", "r11", "r12", "r13", "r14", "r15",
};
static const char *const r32[16] = {
    "eax", "ecx", "edx", "ebx", "esp", "ebp", "esi", "edi",
    "r8d", "r9d", "r10d", "r11d", "r12d", "r13d", "r14d", "r15d",
};
static const char *const r16[16] = {
    "ax", "cx", "dx", "bx", "sp", "bp", "si", "di",
    "r8w", "r9w", "r10w", "r11w", "r12w", "r13w", "r14w", "r15w",
};
static const char *const r8[16] = {
    "al", "cl", "dl", "bl", "spl", "bpl", "sil", "dil",
    "r8b", "r9b", "r10b", "r11b", "r12b", "r13b", "r14b", "r15b",
};
static const char *const ccname[16] = {
    "o", "no", "b", "ae", "e", "ne", "be", "a", "s", "ns", "p", "np", "l", "ge", "le", "g",
};
static const int32_t disps[] = { 0, 8, -8, 0x7f, -0x80, 0x80, 0x1000, -0x12345 };

static uint8_t code[256];
static X86Asm as;
static csh cs;

static int setup(void **state)
{
    return cs_open(CS_ARCH_X86, CS_MODE_64, &cs) == CS_ERR_OK ? 0 : -1;
}

static int teardown(void **state)
{
    cs_close(&cs);
    return 0;
}

static X86Asm *fresh(void)
{
    x86_asm_init(&as, code, sizeof(code));
    return &as;
}

/* Disassembles everything emitted since fresh(): "insn; insn". All bytes must decode. */
static const char *dis(void)
{
    static char text[1024];
    cs_insn *insn;
    size_t n = cs_disasm(cs, code, as.pos, 0x1000, 0, &insn);
    size_t len = 0, used = 0;
    text[0] = 0;
    for (size_t i = 0; i < n; i++) {
        len += (size_t)snprintf(text + len, sizeof(text) - len, "%s%s%s%s", i ? "; " : "",
                                insn[i].mnemonic, insn[i].op_str[0] ? " " : "",
                                insn[i].op_str);
        used += insn[i].size;
    }
    if (n) {
        cs_free(insn, n);
    }
    assert_false(as.overflow);
    assert_int_equal(used, as.pos);
    return text;
}

#define EXPECT(...) do {                                 \
        char want_[256];                                 \
        snprintf(want_, sizeof(want_), __VA_ARGS__);     \
        assert_string_equal(dis(), want_);               \
    } while (0)

/* Capstone's spelling of [base + disp]. */
static const char *mem(const char *base, const char *index, int scale, int32_t disp)
{
    static char buf[4][64];
    static int slot;
    char *b = buf[slot++ & 3];
    int n = snprintf(b, 64, "[%s", base);
    if (index) {
        n += snprintf(b + n, 64 - n, scale > 1 ? " + %s*%d" : " + %s", index, scale);
    }
    if (disp) {
        int64_t mag = disp < 0 ? -(int64_t)disp : disp;
        n += snprintf(b + n, 64 - n, mag > 9 ? " %c 0x%llx" : " %c %lld", disp < 0 ? '-' : '+',
                      (long long)mag);
    }
    snprintf(b + n, 64 - n, "]");
    return b;
}

static void test_mov_rr_all_registers(void **state)
{
    for (int d = 0; d < 16; d++) {
        for (int s = 0; s < 16; s++) {
            x86_mov_rr(fresh(), true, d, s);
            EXPECT("mov %s, %s", r64[d], r64[s]);
            x86_mov_rr(fresh(), false, d, s);
            EXPECT("mov %s, %s", r32[d], r32[s]);
        }
    }
}

static void test_mov_immediates(void **state)
{
    for (int r = 0; r < 16; r++) {
        x86_mov_ri(fresh(), r, 0x12345678);
        EXPECT("mov %s, 0x12345678", r32[r]);
        x86_mov_ri(fresh(), r, (uint64_t)-2);
        EXPECT("mov %s, -2", r64[r]);
        x86_mov_ri(fresh(), r, 0x123456789abcdefull);
        EXPECT("movabs %s, 0x123456789abcdef", r64[r]);
        x86_movabs(fresh(), r, 5);
        EXPECT("movabs %s, 5", r64[r]);
    }
    assert_int_equal((x86_mov_ri(fresh(), X86_RAX, 1), as.pos), 5);
    assert_int_equal((x86_mov_ri(fresh(), X86_R9, 0xffffffffull), as.pos), 6);
}

static void test_load_store_every_base_and_disp(void **state)
{
    for (int b = 0; b < 16; b++) {
        for (size_t i = 0; i < sizeof(disps) / sizeof(disps[0]); i++) {
            int32_t d = disps[i];
            int r = (b * 7 + (int)i) & 15;
            x86_load(fresh(), 8, false, r, b, d);
            EXPECT("mov %s, qword ptr %s", r64[r], mem(r64[b], NULL, 0, d));
            x86_load(fresh(), 4, false, r, b, d);
            EXPECT("mov %s, dword ptr %s", r32[r], mem(r64[b], NULL, 0, d));
            x86_load(fresh(), 4, true, r, b, d);
            EXPECT("movsxd %s, dword ptr %s", r64[r], mem(r64[b], NULL, 0, d));
            x86_load(fresh(), 2, false, r, b, d);
            EXPECT("movzx %s, word ptr %s", r32[r], mem(r64[b], NULL, 0, d));
            x86_load(fresh(), 2, true, r, b, d);
            EXPECT("movsx %s, word ptr %s", r64[r], mem(r64[b], NULL, 0, d));
            x86_load(fresh(), 1, false, r, b, d);
            EXPECT("movzx %s, byte ptr %s", r32[r], mem(r64[b], NULL, 0, d));
            x86_load(fresh(), 1, true, r, b, d);
            EXPECT("movsx %s, byte ptr %s", r64[r], mem(r64[b], NULL, 0, d));
            x86_store(fresh(), 8, r, b, d);
            EXPECT("mov qword ptr %s, %s", mem(r64[b], NULL, 0, d), r64[r]);
            x86_store(fresh(), 4, r, b, d);
            EXPECT("mov dword ptr %s, %s", mem(r64[b], NULL, 0, d), r32[r]);
            x86_store(fresh(), 2, r, b, d);
            EXPECT("mov word ptr %s, %s", mem(r64[b], NULL, 0, d), r16[r]);
            x86_store(fresh(), 1, r, b, d);
            EXPECT("mov byte ptr %s, %s", mem(r64[b], NULL, 0, d), r8[r]);
        }
    }
}

static void test_store_immediates(void **state)
{
    x86_store_imm(fresh(), 1, 0x12, X86_R12, 4);
    EXPECT("mov byte ptr [r12 + 4], 0x12");
    x86_store_imm(fresh(), 2, 0x1234, X86_RBP, 0);
    EXPECT("mov word ptr [rbp], 0x1234");
    x86_store_imm(fresh(), 4, 0x12345678, X86_RSP, 0x40);
    EXPECT("mov dword ptr [rsp + 0x40], 0x12345678");
    x86_store_imm(fresh(), 8, -1, X86_R13, 0);
    EXPECT("mov qword ptr [r13], -1");
}

static void test_indexed_addressing(void **state)
{
    for (int b = 0; b < 16; b++) {
        for (int x = 0; x < 16; x++) {
            if (x == X86_RSP) {
                continue;   /* rsp cannot be an index */
            }
            unsigned sh = (unsigned)(b + x) & 3;
            int32_t d = disps[(b + x) % 8];
            x86_lea(fresh(), true, X86_RDX, b, x, sh, d);
            EXPECT("lea rdx, %s", mem(r64[b], r64[x], 1 << sh, d));
            x86_load_idx(fresh(), 8, false, X86_R11, b, x, sh, d);
            EXPECT("mov r11, qword ptr %s", mem(r64[b], r64[x], 1 << sh, d));
            x86_store_idx(fresh(), 1, X86_RSI, b, x, 0, d);
            EXPECT("mov byte ptr %s, sil", mem(r64[b], r64[x], 1, d));
        }
    }
    x86_lea(fresh(), false, X86_RAX, X86_RAX, X86_NOREG, 0, 1);
    EXPECT("lea eax, [rax + 1]");
    for (int r = 0; r < 16; r++) {
        x86_lea_rip(fresh(), r, 0x20);
        EXPECT("lea %s, [rip + 0x20]", r64[r]);
        assert_int_equal(as.pos, 7);
    }
}

static void test_movbe(void **state)
{
    for (int r = 0; r < 16; r++) {
        x86_movbe_load(fresh(), 8, r, X86_R13, X86_NOREG, 0);
        EXPECT("movbe %s, qword ptr [r13]", r64[r]);
        x86_movbe_load(fresh(), 4, r, X86_RSP, X86_R9, 0);
        EXPECT("movbe %s, dword ptr [rsp + r9]", r32[r]);
        x86_movbe_store(fresh(), 2, r, X86_R12, X86_NOREG, 0);
        EXPECT("movbe word ptr [r12], %s", r16[r]);
    }
}

static void test_extensions(void **state)
{
    for (int d = 0; d < 16; d++) {
        for (int s = 0; s < 16; s++) {
            x86_ext_rr(fresh(), 1, false, false, d, s);
            EXPECT("movzx %s, %s", r32[d], r8[s]);
            x86_ext_rr(fresh(), 1, true, true, d, s);
            EXPECT("movsx %s, %s", r64[d], r8[s]);
            x86_ext_rr(fresh(), 1, true, false, d, s);
            EXPECT("movsx %s, %s", r32[d], r8[s]);
            x86_ext_rr(fresh(), 2, false, false, d, s);
            EXPECT("movzx %s, %s", r32[d], r16[s]);
            x86_ext_rr(fresh(), 2, true, true, d, s);
            EXPECT("movsx %s, %s", r64[d], r16[s]);
            x86_ext_rr(fresh(), 4, true, true, d, s);
            EXPECT("movsxd %s, %s", r64[d], r32[s]);
            x86_ext_rr(fresh(), 4, false, true, d, s);
            EXPECT("mov %s, %s", r32[d], r32[s]);
        }
    }
}

static void test_alu(void **state)
{
    static const char *const names[8] = { "add", "or", "adc", "sbb", "and", "sub", "xor", "cmp" };
    for (int op = 0; op < 8; op++) {
        for (int d = 0; d < 16; d++) {
            int s = 15 - d;
            x86_alu_rr(fresh(), op, true, d, s);
            EXPECT("%s %s, %s", names[op], r64[d], r64[s]);
            x86_alu_rr(fresh(), op, false, d, s);
            EXPECT("%s %s, %s", names[op], r32[d], r32[s]);
            x86_alu_ri(fresh(), op, true, d, 0x7f);
            EXPECT("%s %s, 0x7f", names[op], r64[d]);
            x86_alu_ri(fresh(), op, false, d, 0x12345);
            EXPECT("%s %s, 0x12345", names[op], r32[d]);
            x86_alu_rm(fresh(), op, true, d, s, 0x10);
            EXPECT("%s %s, qword ptr %s", names[op], r64[d], mem(r64[s], NULL, 0, 0x10));
            x86_alu_mr(fresh(), op, false, d, -4, s);
            EXPECT("%s dword ptr %s, %s", names[op], mem(r64[d], NULL, 0, -4), r32[s]);
            x86_alu_mi(fresh(), op, true, d, 0x200, 3);
            EXPECT("%s qword ptr %s, 3", names[op], mem(r64[d], NULL, 0, 0x200));
        }
    }
    x86_alu_ri(fresh(), X86_ADD, true, X86_RAX, -1);
    EXPECT("add rax, -1");
    assert_int_equal(as.pos, 4);    /* imm8 form */
}

static void test_unary_mul_div(void **state)
{
    for (int r = 0; r < 16; r++) {
        int s = (r + 5) & 15;
        x86_unary(fresh(), X86_NEG, true, r);
        EXPECT("neg %s", r64[r]);
        x86_unary(fresh(), X86_NOT, false, r);
        EXPECT("not %s", r32[r]);
        x86_unary(fresh(), X86_MUL, true, r);
        EXPECT("mul %s", r64[r]);
        x86_unary(fresh(), X86_IMUL1, false, r);
        EXPECT("imul %s", r32[r]);
        x86_unary(fresh(), X86_DIV, true, r);
        EXPECT("div %s", r64[r]);
        x86_unary(fresh(), X86_IDIV, false, r);
        EXPECT("idiv %s", r32[r]);
        x86_imul_rr(fresh(), true, r, s);
        EXPECT("imul %s, %s", r64[r], r64[s]);
        x86_imul_rri(fresh(), false, r, s, 10);
        EXPECT("imul %s, %s, 0xa", r32[r], r32[s]);
        x86_imul_rri(fresh(), true, r, s, 1000);
        EXPECT("imul %s, %s, 0x3e8", r64[r], r64[s]);
        x86_test_rr(fresh(), true, r, s);
        EXPECT("test %s, %s", r64[r], r64[s]);
        x86_test_ri(fresh(), false, r, 0x100);
        EXPECT("test %s, 0x100", r32[r]);
    }
    x86_cdq(fresh(), false);
    EXPECT("cdq");
    x86_cdq(fresh(), true);
    EXPECT("cqo");
}

static void test_shifts(void **state)
{
    static const struct { X86Shift op; const char *name; } ops[] = {
        { X86_ROL, "rol" }, { X86_ROR, "ror" }, { X86_SHL, "shl" }, { X86_SHR, "shr" },
        { X86_SAR, "sar" },
    };
    for (size_t i = 0; i < 5; i++) {
        for (int r = 0; r < 16; r++) {
            x86_shift_cl(fresh(), ops[i].op, true, r);
            EXPECT("%s %s, cl", ops[i].name, r64[r]);
            x86_shift_ri(fresh(), ops[i].op, false, r, 31);
            EXPECT("%s %s, 0x1f", ops[i].name, r32[r]);
            x86_shift_ri(fresh(), ops[i].op, true, r, 1);
            EXPECT("%s %s, 1", ops[i].name, r64[r]);
        }
    }
}

static void test_bit_ops(void **state)
{
    for (int r = 0; r < 16; r++) {
        int s = 15 - r;
        x86_bswap(fresh(), true, r);
        EXPECT("bswap %s", r64[r]);
        x86_bswap(fresh(), false, r);
        EXPECT("bswap %s", r32[r]);
        x86_rol16_8(fresh(), r);
        EXPECT("rol %s, 8", r16[r]);
        x86_lzcnt(fresh(), true, r, s);
        EXPECT("lzcnt %s, %s", r64[r], r64[s]);
        x86_rorx(fresh(), true, r, s, 7);
        EXPECT("rorx %s, %s, 7", r64[r], r64[s]);
        x86_rorx(fresh(), false, s, r, 31);
        EXPECT("rorx %s, %s, 0x1f", r32[s], r32[r]);
        x86_tzcnt(fresh(), false, r, s);
        EXPECT("tzcnt %s, %s", r32[r], r32[s]);
        x86_popcnt(fresh(), true, r, s);
        EXPECT("popcnt %s, %s", r64[r], r64[s]);
        x86_bsr(fresh(), false, r, s);
        EXPECT("bsr %s, %s", r32[r], r32[s]);
        x86_bsf(fresh(), true, r, s);
        EXPECT("bsf %s, %s", r64[r], r64[s]);
    }
}

static void test_conditions(void **state)
{
    for (int cc = 0; cc < 16; cc++) {
        for (int r = 0; r < 16; r++) {
            x86_setcc(fresh(), cc, r);
            EXPECT("set%s %s", ccname[cc], r8[r]);
            x86_cmovcc(fresh(), cc, true, r, 15 - r);
            EXPECT("cmov%s %s, %s", ccname[cc], r64[r], r64[15 - r]);
        }
        x86_jcc8(fresh(), cc, 0x10);
        EXPECT("j%s 0x1012", ccname[cc]);
        assert_int_equal(x86_jcc32(fresh(), cc, 0x100), 2);
        EXPECT("j%s 0x1106", ccname[cc]);
        assert_int_equal(x86_cond_invert(x86_cond_invert(cc)), cc);
    }
}

static void test_control_flow(void **state)
{
    assert_int_equal(x86_jmp32(fresh(), 0x20), 1);
    EXPECT("jmp 0x1025");
    x86_jmp8(fresh(), -2);
    EXPECT("jmp 0x1000");
    assert_int_equal(x86_call32(fresh(), -5), 1);
    EXPECT("call 0x1000");
    for (int r = 0; r < 16; r++) {
        x86_jmp_r(fresh(), r);
        EXPECT("jmp %s", r64[r]);
        x86_call_r(fresh(), r);
        EXPECT("call %s", r64[r]);
        x86_push(fresh(), r);
        EXPECT("push %s", r64[r]);
        x86_pop(fresh(), r);
        EXPECT("pop %s", r64[r]);
        x86_call_m(fresh(), r, 0x18);
        EXPECT("call qword ptr %s", mem(r64[r], NULL, 0, 0x18));
        x86_jmp_m(fresh(), r, 0);
        EXPECT("jmp qword ptr %s", mem(r64[r], NULL, 0, 0));
    }
    x86_ret(fresh());
    EXPECT("ret");
    x86_mfence(fresh());
    EXPECT("mfence");
    x86_ud2(fresh());
    EXPECT("ud2");
}

static void test_nops_and_overflow(void **state)
{
    for (unsigned len = 1; len <= 20; len++) {
        x86_nop(fresh(), len);
        assert_int_equal(as.pos, len);
        dis();      /* every byte decodes as a nop instruction */
    }
    uint8_t small[3];
    X86Asm a;
    x86_asm_init(&a, small, sizeof(small));
    x86_movabs(&a, X86_RAX, 1);
    assert_true(a.overflow);
    assert_int_equal(a.pos, 10);
}

static void test_features_detected(void **state)
{
    X86Features f;
    x86_detect_features(&f);
    /* Nothing to assert about the host; only that detection does not crash and a
     * CPU that reports lzcnt encodes it as capstone expects (checked above). */
    (void)f;
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_mov_rr_all_registers),
        cmocka_unit_test(test_mov_immediates),
        cmocka_unit_test(test_load_store_every_base_and_disp),
        cmocka_unit_test(test_store_immediates),
        cmocka_unit_test(test_indexed_addressing),
        cmocka_unit_test(test_movbe),
        cmocka_unit_test(test_extensions),
        cmocka_unit_test(test_alu),
        cmocka_unit_test(test_unary_mul_div),
        cmocka_unit_test(test_shifts),
        cmocka_unit_test(test_bit_ops),
        cmocka_unit_test(test_conditions),
        cmocka_unit_test(test_control_flow),
        cmocka_unit_test(test_nops_and_overflow),
        cmocka_unit_test(test_features_detected),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
#endif
