/* The IR's guest atomics (atomic_rmw, atomic_cmpxchg, atomic_cmpxchg128) through every
 * registered back end, with the soft TLB empty (every access in the runtime hook) and
 * mapping the test RAM (the x86-64 inline path with its lock-prefixed instructions):
 * memory after the op and the returned old/new values for every operation, size, sign,
 * byte order and operand type, against a C reference written here; faults (range,
 * alignment) leave memory unchanged and map back to the faulting guest instruction. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <string.h>
#include <cmocka.h>
#include "tcg-harness.h"

static Harness *h;
static HarnessEnv env;

#define FOR_EACH_BACKEND(be) \
    for (int be##_i = 0; be##_i < harness_nb_backends(); be##_i++) \
        for (const TCGBackend *be = harness_backend(be##_i); be; be = NULL)

#define ADDR 0x1238     /* 8-byte aligned, not 16 */

static const void *compile(const TCGBackend *be, bool opt)
{
    harness_flush(h);
    const void *tb = harness_compile(h, be, opt);
    assert_non_null(tb);
    return tb;
}

/* ---- the reference ---------------------------------------------------------------- */

static uint64_t trunc_to(unsigned size, uint64_t v)
{
    return size == 8 ? v : v & ((1ull << (8 * size)) - 1);
}

static int64_t as_signed(unsigned size, uint64_t v)
{
    switch (size) {
    case 1: return (int8_t)v;
    case 2: return (int16_t)v;
    case 4: return (int32_t)v;
    default: return (int64_t)v;
    }
}

static uint64_t ref_new(unsigned kind, unsigned size, uint64_t old, uint64_t val)
{
    old = trunc_to(size, old);
    val = trunc_to(size, val);
    switch (kind) {
    case TCG_ATOMIC_XCHG: return val;
    case TCG_ATOMIC_ADD: return trunc_to(size, old + val);
    case TCG_ATOMIC_AND: return old & val;
    case TCG_ATOMIC_OR: return old | val;
    case TCG_ATOMIC_XOR: return old ^ val;
    case TCG_ATOMIC_SMIN: return as_signed(size, old) <= as_signed(size, val) ? old : val;
    case TCG_ATOMIC_SMAX: return as_signed(size, old) >= as_signed(size, val) ? old : val;
    case TCG_ATOMIC_UMIN: return old <= val ? old : val;
    default: return old >= val ? old : val;
    }
}

/* The result register: size bits extended per MO_SIGN, truncated to the op type. */
static uint64_t ref_result(MemOp mop, bool is64, uint64_t v)
{
    unsigned size = memop_size(mop);
    uint64_t r = (mop & MO_SIGN) ? (uint64_t)as_signed(size, v) : trunc_to(size, v);
    return is64 ? r : (uint32_t)r;
}

/* Memory bytes <-> value, per byte order. */
static uint64_t mem_get(MemOp mop, const uint8_t *p)
{
    uint64_t v = 0;
    unsigned size = memop_size(mop);
    for (unsigned i = 0; i < size; i++) {
        unsigned shift = (mop & MO_BE) ? 8 * (size - 1 - i) : 8 * i;
        v |= (uint64_t)p[i] << shift;
    }
    return v;
}

static void mem_put(MemOp mop, uint8_t *p, uint64_t v)
{
    unsigned size = memop_size(mop);
    for (unsigned i = 0; i < size; i++) {
        unsigned shift = (mop & MO_BE) ? 8 * (size - 1 - i) : 8 * i;
        p[i] = (uint8_t)(v >> shift);
    }
}

/* ---- one op per TB: x0/w0 = op([x1], w2/x2 [, w3/x3 compared]) ------------------------ */

static void build_op(bool is64, MemOp mop, int aop, bool const_val, uint64_t cval)
{
    harness_begin(h);
    tcg_gen_insn_start(0x500, 0, 0);
    TCGTemp *addr = tcgv_temp(h->x[1]);
    if (is64) {
        TCGv_i64 val = const_val ? tcg_constant_i64(cval) : h->x[2];
        if (aop < 0) {
            tcg_gen_atomic_cmpxchg_i64(h->x[0], addr, h->x[3], val, 1, mop);
        } else {
            tcg_gen_atomic_rmw_i64(aop, h->x[0], addr, val, 1, mop);
        }
    } else {
        TCGv_i32 val = const_val ? tcg_constant_i32((uint32_t)cval) : h->w[2];
        if (aop < 0) {
            tcg_gen_atomic_cmpxchg_i32(h->w[0], addr, h->w[3], val, 1, mop);
        } else {
            tcg_gen_atomic_rmw_i32(aop, h->w[0], addr, val, 1, mop);
        }
    }
    tcg_gen_exit_tb(0);
    harness_save(h);
}

typedef struct Case {
    uint64_t mem, val, cmp;
} Case;

static void check_case(const TCGBackend *be, const void *tb, bool is64, MemOp mop, int aop,
                       const Case *c)
{
    unsigned size = memop_size(mop);
    harness_env_init(h, &env);
    mem_put(mop, &env.mem[ADDR], c->mem);
    env.mem[ADDR + size] = 0x5a;
    env.x[1] = ADDR;
    env.x[2] = c->val;
    env.w[2] = (uint32_t)c->val;
    env.x[3] = c->cmp;
    env.w[3] = (uint32_t)c->cmp;
    harness_exec(h, be, tb, &env);
    uint64_t old = trunc_to(size, c->mem), want_mem, want_ret;
    if (aop < 0) {
        bool eq = old == trunc_to(size, is64 ? c->cmp : (uint32_t)c->cmp);
        want_mem = eq ? trunc_to(size, c->val) : old;
        want_ret = ref_result(mop, is64, old);
    } else {
        uint64_t val = is64 ? c->val : (uint32_t)c->val;
        want_mem = ref_new(aop & TCG_ATOMIC_KIND, size, old, val);
        want_ret = ref_result(mop, is64, (aop & TCG_ATOMIC_RET_NEW) ? want_mem : old);
    }
    uint64_t got = is64 ? env.x[0] : env.w[0];
    if (got != want_ret || mem_get(mop, &env.mem[ADDR]) != want_mem) {
        fail_msg("%s %s aop %d mop %#x mem %#llx val %#llx cmp %#llx: got %#llx mem %#llx, "
                 "want %#llx mem %#llx", be->name, is64 ? "i64" : "i32", aop, mop,
                 (unsigned long long)c->mem, (unsigned long long)c->val,
                 (unsigned long long)c->cmp, (unsigned long long)got,
                 (unsigned long long)mem_get(mop, &env.mem[ADDR]),
                 (unsigned long long)want_ret, (unsigned long long)want_mem);
    }
    assert_int_equal(env.mem[ADDR + size], 0x5a);
    if (env.atomics) {
        assert_int_equal(env.last_mmu_idx, 1);
    }
    /* The native back end handles little-endian atomics on mapped RAM inline. */
    bool inline_expected = h->tlb_hit_ram && strcmp(be->name, "interp") != 0 &&
                           !((mop & MO_BE) && size > 1);
    assert_int_equal(env.atomics, inline_expected ? 0 : 1);
}

static void run_cases(bool is64, MemOp mop, int aop, HarnessRng *r)
{
    build_op(is64, mop, aop, false, 0);
    Case cases[24];
    for (int i = 0; i < 24; i++) {
        cases[i].mem = harness_rand_interesting(r);
        cases[i].val = harness_rand_interesting(r);
        /* cmpxchg: equal in half of the cases */
        cases[i].cmp = (i & 1) ? cases[i].mem : harness_rand_interesting(r);
    }
    FOR_EACH_BACKEND(be) {
        for (int mode = 0; mode < 4; mode++) {
            h->tlb_hit_ram = mode & 1;
            const void *tb = compile(be, mode >> 1);
            for (int i = 0; i < 24; i++) {
                check_case(be, tb, is64, mop, aop, &cases[i]);
            }
        }
    }
    h->tlb_hit_ram = false;
}

static const MemOp sizes_signs[] = {
    MO_UB, MO_SB, MO_LEUW, MO_LESW, MO_LEUL, MO_LESL, MO_LEUQ,
    MO_BEUW, MO_BESW, MO_BEUL, MO_BESL, MO_BEUQ, MO_LEUL | MO_ALIGN, MO_LEUQ | MO_ALIGN,
};

static void test_rmw_all(void **state)
{
    HarnessRng r;
    harness_rng_init(&r, 77);
    for (size_t m = 0; m < sizeof(sizes_signs) / sizeof(sizes_signs[0]); m++) {
        for (int is64 = 0; is64 < 2; is64++) {
            MemOp mop = sizes_signs[m];
            if (!is64 && memop_size(mop) == 8) {
                continue;
            }
            for (int kind = 0; kind < TCG_ATOMIC_CMPXCHG; kind++) {
                run_cases(is64, mop, kind, &r);
                run_cases(is64, mop, kind | TCG_ATOMIC_RET_NEW, &r);
            }
        }
    }
}

static void test_cmpxchg_all(void **state)
{
    HarnessRng r;
    harness_rng_init(&r, 78);
    for (size_t m = 0; m < sizeof(sizes_signs) / sizeof(sizes_signs[0]); m++) {
        for (int is64 = 0; is64 < 2; is64++) {
            if (!is64 && memop_size(sizes_signs[m]) == 8) {
                continue;
            }
            run_cases(is64, sizes_signs[m], -1, &r);
        }
    }
}

/* A constant operand (no register of its own) and the inline path taken: the hook sees
 * no access when the TLB maps the RAM on the native back end. */
static void test_const_operand_inline(void **state)
{
    build_op(false, MO_LEUL, TCG_ATOMIC_ADD | TCG_ATOMIC_RET_NEW, true, 5);
    FOR_EACH_BACKEND(be) {
        h->tlb_hit_ram = true;
        const void *tb = compile(be, true);
        harness_env_init(h, &env);
        mem_put(MO_LEUL, &env.mem[ADDR], 37);
        env.x[1] = ADDR;
        harness_exec(h, be, tb, &env);
        assert_int_equal(env.w[0], 42);
        assert_int_equal(mem_get(MO_LEUL, &env.mem[ADDR]), 42);
        if (strcmp(be->name, "interp") != 0) {
            assert_int_equal(env.atomics, 0);   /* lock xadd inline, no hook call */
        } else {
            assert_int_equal(env.atomics, 1);
        }
    }
    h->tlb_hit_ram = false;
}

/* ---- 128-bit compare-and-swap ------------------------------------------------------- */

static void test_cmpxchg128(void **state)
{
    static const MemOp mops[] = { MO_LEUQ | MO_ALIGN, MO_BEUQ | MO_ALIGN };
    for (size_t m = 0; m < 2; m++) {
        harness_begin(h);
        tcg_gen_insn_start(0x600, 0, 0);
        tcg_gen_atomic_cmpxchg128(h->x[0], h->x[1], tcgv_temp(h->x[2]), h->x[3], h->x[4],
                                  h->x[5], h->x[6], 0, mops[m]);
        tcg_gen_exit_tb(0);
        harness_save(h);
        FOR_EACH_BACKEND(be) {
            for (int mode = 0; mode < 4; mode++) {
                h->tlb_hit_ram = mode & 1;
                const void *tb = compile(be, mode >> 1);
                for (int equal = 0; equal < 2; equal++) {
                    uint64_t lo = 0x1122334455667788ull, hi = 0x99aabbccddeeff00ull;
                    harness_env_init(h, &env);
                    bool be_order = mops[m] & MO_BE;
                    mem_put(MO_LEUQ | (mops[m] & MO_BE), &env.mem[0x2000 + (be_order ? 8 : 0)], lo);
                    mem_put(MO_LEUQ | (mops[m] & MO_BE), &env.mem[0x2000 + (be_order ? 0 : 8)], hi);
                    env.x[2] = 0x2000;
                    env.x[3] = equal ? lo : lo + 1;
                    env.x[4] = hi;
                    env.x[5] = 0xdeadbeefcafef00dull;
                    env.x[6] = 0x0123456789abcdefull;
                    harness_exec(h, be, tb, &env);
                    assert_int_equal(env.x[0], lo);
                    assert_int_equal(env.x[1], hi);
                    uint64_t mlo = mem_get(MO_LEUQ | (mops[m] & MO_BE),
                                           &env.mem[0x2000 + (be_order ? 8 : 0)]);
                    uint64_t mhi = mem_get(MO_LEUQ | (mops[m] & MO_BE),
                                           &env.mem[0x2000 + (be_order ? 0 : 8)]);
                    assert_int_equal(mlo, equal ? 0xdeadbeefcafef00dull : lo);
                    assert_int_equal(mhi, equal ? 0x0123456789abcdefull : hi);
                }
            }
        }
    }
    h->tlb_hit_ram = false;
}

/* ---- faults ----------------------------------------------------------------------------- */

static void run_expecting_fault(const TCGBackend *be, const void *tb)
{
    jmp_buf jb;
    env.fault_jmp = &jb;
    if (setjmp(jb) == 0) {
        harness_exec(h, be, tb, &env);
        fail_msg("%s: no fault", be->name);
    }
    tcg_clear_retaddr();
    env.fault_jmp = NULL;
}

/* kind 0: out of range; 1: misaligned with MO_ALIGN; 2: cmpxchg128 misaligned. */
static void build_faulting(int kind)
{
    harness_begin(h);
    tcg_gen_insn_start(0x1000, 7, 0);
    tcg_gen_addi_i64(h->x[5], h->x[5], 1);
    tcg_gen_insn_start(0x1004, 8, 0);
    if (kind == 0) {
        tcg_gen_atomic_fetch_add_i64(h->x[0], tcgv_temp(h->x[1]), h->x[5], 0, MO_LEUQ);
    } else if (kind == 1) {
        tcg_gen_atomic_cmpxchg_i32(h->w[0], tcgv_temp(h->x[2]), h->w[3], h->w[4], 0,
                                   MO_LEUL | MO_ALIGN);
    } else {
        tcg_gen_atomic_cmpxchg128(h->x[0], h->x[1], tcgv_temp(h->x[2]), h->x[3], h->x[4],
                                  h->x[5], h->x[6], 0, MO_LEUQ | MO_ALIGN);
    }
    tcg_gen_insn_start(0x1008, 9, 0);
    tcg_gen_movi_i64(h->x[5], 0);
    tcg_gen_exit_tb(0);
    harness_save(h);
}

static void test_faults(void **state)
{
    for (int kind = 0; kind < 3; kind++) {
        build_faulting(kind);
        FOR_EACH_BACKEND(be) {
            for (int mode = 0; mode < 4; mode++) {
                h->tlb_hit_ram = mode & 1;
                const void *tb = compile(be, mode >> 1);
                harness_env_init(h, &env);
                env.x[1] = HARNESS_MEM_SIZE + 0x100;
                env.x[2] = 0x102;
                env.x[5] = 41;
                memset(&env.mem[0x100], 0x77, 32);
                run_expecting_fault(be, tb);
                assert_int_equal(env.faults, 1);
                int insn = harness_insn_of(h, env.fault_retaddr);
                assert_int_equal(insn, 1);
                assert_int_equal(h->insn_data[insn][0], 0x1004);
                assert_int_equal(env.x[5], 42);         /* synced before the fault */
                for (int i = 0; i < 32; i++) {
                    assert_int_equal(env.mem[0x100 + i], 0x77);
                }
            }
        }
    }
    h->tlb_hit_ram = false;
}

/* The dump names the operation and its memop. */
static void test_dump(void **state)
{
    char buf[256];
    build_op(true, MO_LESW, TCG_ATOMIC_UMAX | TCG_ATOMIC_RET_NEW, false, 0);
    const TCGOp *op = &h->ctx->ops[1];
    tcg_format_op(h->ctx, op, buf, sizeof(buf));
    assert_string_equal(buf, "atomic_rmw_i64 x0,x1,x2,lesw,mmu1,umax_new");
    build_op(false, MO_UB, -1, false, 0);
    tcg_format_op(h->ctx, &h->ctx->ops[1], buf, sizeof(buf));
    assert_string_equal(buf, "atomic_cmpxchg_i32 w0,x1,w3,w2,leub,mmu1");
}

static int setup(void **state)
{
    h = harness_new();
    return 0;
}

static int teardown(void **state)
{
    harness_free(h);
    return 0;
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_rmw_all),
        cmocka_unit_test(test_cmpxchg_all),
        cmocka_unit_test(test_const_operand_inline),
        cmocka_unit_test(test_cmpxchg128),
        cmocka_unit_test(test_faults),
        cmocka_unit_test(test_dump),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
