/* Unit tests for tcg/x86_64/seq-x86.c: each host sequence is assembled into a small
 * function, run natively over boundary and random values, and compared with C. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>
#include "tcg/code-buffer.h"
#include "tcg/x86_64/seq-x86.h"

typedef uint64_t (*Fn2)(uint64_t, uint64_t);
typedef uintptr_t (*EntryFn)(void *env, const void *code);

static TCGCodeBuffer cb;
static X86Asm as;
static uint64_t rng = 0x9e3779b97f4a7c15ull;

static uint64_t next_random(void)
{
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return rng;
}

static const uint64_t edge[] = {
    0, 1, 2, 0x7f, 0x80, 0xff, 0x8000, 0xffff, 0x7fffffff, 0x80000000, 0xffffffff,
    0x100000000ull, 0x7fffffffffffffffull, 0x8000000000000000ull, ~0ull, 0x123456789abcdef0ull,
};

static int setup(void **state)
{
    return tcg_code_buffer_init(&cb, 1 << 20, NULL);
}

static int teardown(void **state)
{
    tcg_code_buffer_destroy(&cb);
    return 0;
}

static X86Asm *begin(void)
{
    if (tcg_code_buffer_avail(&cb) < 4096) {
        tcg_code_buffer_flush(&cb);
    }
    x86_asm_init(&as, tcg_code_buffer_next_rw(&cb), tcg_code_buffer_avail(&cb));
    return &as;
}

static Fn2 finish(void)
{
    x86_ret(&as);
    assert_false(as.overflow);
    return (Fn2)tcg_code_buffer_commit(&cb, as.pos);
}

/* Runs f over the edge values and random values for x (y fixed per call site). */
typedef uint64_t (*RefFn)(uint64_t x, uint64_t y, unsigned arg);
static void check(Fn2 f, RefFn ref, uint64_t y, unsigned arg, const char *what)
{
    for (size_t i = 0; i < sizeof(edge) / sizeof(edge[0]) + 2000; i++) {
        uint64_t x = i < sizeof(edge) / sizeof(edge[0]) ? edge[i] : next_random();
        if (i % 3 == 0 && i >= sizeof(edge) / sizeof(edge[0])) {
            x >>= next_random() & 63;
        }
        uint64_t got = f(x, y), want = ref(x, y, arg);
        if (got != want) {
            fail_msg("%s arg %u: x=%#llx y=%#llx got %#llx want %#llx", what, arg,
                     (unsigned long long)x, (unsigned long long)y,
                     (unsigned long long)got, (unsigned long long)want);
        }
    }
}

static uint64_t ref_clz64(uint64_t x, uint64_t y, unsigned arg)
{
    return x ? (uint64_t)__builtin_clzll(x) : y;
}
static uint64_t ref_clz32(uint64_t x, uint64_t y, unsigned arg)
{
    return (uint32_t)x ? (uint64_t)__builtin_clz((uint32_t)x) : (uint32_t)y;
}
static uint64_t ref_ctz64(uint64_t x, uint64_t y, unsigned arg)
{
    return x ? (uint64_t)__builtin_ctzll(x) : y;
}
static uint64_t ref_ctz32(uint64_t x, uint64_t y, unsigned arg)
{
    return (uint32_t)x ? (uint64_t)__builtin_ctz((uint32_t)x) : (uint32_t)y;
}
static uint64_t ref_pop(uint64_t x, uint64_t y, unsigned w64)
{
    return (uint64_t)__builtin_popcountll(w64 ? x : (uint32_t)x);
}

/* Both the native instruction and the fallback, with dst distinct from and equal to
 * src, with zero_val in a register and as a constant. */
static void test_count_zeros(void **state)
{
    for (int native = 0; native < 2; native++) {
        for (int w64 = 0; w64 < 2; w64++) {
            for (int alias = 0; alias < 2; alias++) {
                X86Reg src = alias ? X86_RAX : X86_RDI;
                RefFn clz = w64 ? ref_clz64 : ref_clz32, ctz = w64 ? ref_ctz64 : ref_ctz32;
                x86_mov_rr(begin(), true, src, X86_RDI);
                x86_seq_clz_reg(&as, w64, native, X86_RAX, src, X86_RSI);
                Fn2 f = finish();
                check(f, clz, 77, native, "clz reg");
                check(f, clz, w64 ? 64 : 32, native, "clz reg");
                x86_mov_rr(begin(), true, src, X86_RDI);
                x86_seq_ctz_reg(&as, w64, native, X86_RAX, src, X86_RSI);
                f = finish();
                check(f, ctz, 5, native, "ctz reg");
                for (uint64_t z = 0; z <= 64; z += 32) {
                    x86_mov_rr(begin(), true, src, X86_RDI);
                    x86_seq_clz(&as, w64, native, X86_RAX, src, z);
                    check(finish(), clz, z, native, "clz const");
                    x86_mov_rr(begin(), true, src, X86_RDI);
                    x86_seq_ctz(&as, w64, native, X86_RAX, src, z);
                    check(finish(), ctz, z, native, "ctz const");
                }
            }
            x86_seq_ctpop(begin(), w64, native, X86_RAX, X86_RDI);
            check(finish(), ref_pop, 0, w64, "ctpop");
        }
    }
}

static uint64_t ref_bswap(uint64_t x, uint64_t y, unsigned kind)
{
    switch (kind) {
    case 0: return __builtin_bswap16((uint16_t)x);
    case 1: return (uint64_t)(int64_t)(int16_t)__builtin_bswap16((uint16_t)x);
    case 2: return (uint32_t)(int32_t)(int16_t)__builtin_bswap16((uint16_t)x);
    case 3: return __builtin_bswap32((uint32_t)x);
    case 4: return (uint64_t)(int64_t)(int32_t)__builtin_bswap32((uint32_t)x);
    default: return __builtin_bswap64(x);
    }
}

static void test_bswap(void **state)
{
    x86_seq_bswap16(begin(), true, X86_RAX, X86_RDI, false);
    check(finish(), ref_bswap, 0, 0, "bswap16");
    x86_seq_bswap16(begin(), true, X86_RAX, X86_RDI, true);
    check(finish(), ref_bswap, 0, 1, "bswap16 sext64");
    x86_seq_bswap16(begin(), false, X86_RAX, X86_RDI, true);
    check(finish(), ref_bswap, 0, 2, "bswap16 sext32");
    x86_seq_bswap32(begin(), true, X86_RAX, X86_RDI, false);
    check(finish(), ref_bswap, 0, 3, "bswap32");
    x86_seq_bswap32(begin(), true, X86_RAX, X86_RDI, true);
    check(finish(), ref_bswap, 0, 4, "bswap32 sext");
    x86_seq_bswap64(begin(), X86_RAX, X86_RDI);
    check(finish(), ref_bswap, 0, 5, "bswap64");
}

static uint64_t mask_of(unsigned len)
{
    return len >= 64 ? ~0ull : (1ull << len) - 1;
}

static unsigned cur_pos, cur_len, cur_w64;
static uint64_t ref_deposit(uint64_t x, uint64_t y, unsigned arg)
{
    uint64_t field = mask_of(cur_len) << cur_pos;
    uint64_t r = (x & ~field) | ((y << cur_pos) & field);
    return cur_w64 ? r : (uint32_t)r;
}
static uint64_t ref_extract(uint64_t x, uint64_t y, unsigned sign)
{
    uint64_t v = cur_w64 ? x : (uint32_t)x;
    uint64_t r = (v >> cur_pos) & mask_of(cur_len);
    if (sign && cur_len < 64 && (r >> (cur_len - 1)) & 1) {
        r |= ~mask_of(cur_len);
    }
    return cur_w64 ? r : (uint32_t)r;
}

static void test_deposit_extract(void **state)
{
    static const unsigned fields[][2] = {
        {0, 1}, {0, 8}, {0, 16}, {0, 31}, {0, 32}, {8, 8}, {3, 17}, {31, 1}, {16, 16},
        {0, 63}, {0, 64}, {32, 32}, {1, 62}, {60, 4}, {20, 40}, {63, 1},
    };
    for (size_t i = 0; i < sizeof(fields) / sizeof(fields[0]); i++) {
        for (cur_w64 = 0; cur_w64 < 2; cur_w64++) {
            cur_pos = fields[i][0];
            cur_len = fields[i][1];
            if (cur_pos + cur_len > (cur_w64 ? 64u : 32u)) {
                continue;
            }
            x86_seq_deposit(begin(), cur_w64, X86_RAX, X86_RDI, X86_RSI, cur_pos, cur_len);
            Fn2 f = finish();
            check(f, ref_deposit, 0x0123456789abcdefull, 0, "deposit");
            check(f, ref_deposit, ~0ull, 0, "deposit");
            for (unsigned sign = 0; sign < 2; sign++) {
                x86_seq_extract(begin(), cur_w64, sign, X86_RAX, X86_RDI, cur_pos, cur_len);
                check(finish(), ref_extract, 0, sign, "extract");
            }
        }
    }
}

/* The prologue's frame: env arrives in X86_ENV_REG, rsp is 16-byte aligned in generated
 * code, and the epilogue returns rax with the callee-saved registers restored. */
static void test_prologue_epilogue(void **state)
{
    uint64_t env[2] = { 41, 0 };
    size_t epi = x86_emit_prologue(begin());
    assert_false(as.overflow);
    EntryFn entry = (EntryFn)tcg_code_buffer_commit(&cb, as.pos);
    const uint8_t *epilogue = (const uint8_t *)entry + epi;

    /* TB: rax = env[0] + (rsp & 15); clobber every callee-saved register; exit. */
    X86Asm *a = begin();
    x86_load(a, 8, false, X86_RAX, X86_ENV_REG, 0);
    x86_mov_rr(a, true, X86_RCX, X86_RSP);
    x86_alu_ri(a, X86_AND, true, X86_RCX, 15);
    x86_alu_rr(a, X86_ADD, true, X86_RAX, X86_RCX);
    x86_alu_ri(a, X86_ADD, true, X86_RAX, 1);
    x86_store(a, 8, X86_RAX, X86_ENV_REG, 8);
    for (int r = X86_RBX; r <= X86_R15; r++) {
        if (r != X86_RSP) {
            x86_mov_ri(a, r, 0xdead);
        }
    }
    const uint8_t *code = tcg_code_buffer_rw_to_rx(&cb, a->buf);
    size_t rel_at = x86_jmp32(a, 0);
    int32_t rel = (int32_t)(epilogue - (code + rel_at + 4));
    x86_patch32(a, rel_at, (uint32_t)rel);
    tcg_code_buffer_commit(&cb, a->pos);
    assert_int_equal(entry(env, code), 42);
    assert_int_equal(env[1], 42);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_count_zeros),
        cmocka_unit_test(test_bswap),
        cmocka_unit_test(test_deposit_extract),
        cmocka_unit_test(test_prologue_epilogue),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
