/* Tests of whole TBs on the x86-64 back end (tcg/x86_64/): branches and loops, helper
 * calls (values kept across them, globals synced and reloaded), register pressure,
 * guest loads/stores through a fake soft TLB (hits inline, misses and page crossings
 * through the slow path, precise retaddr), goto_tb chaining, lookup_and_goto_ptr and
 * the -d out_asm log. References are plain C. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>
#include "system/cpu.h"
#include "tcg/code-buffer.h"
#include "tcg/tcg.h"
#include "tcg/tlb.h"
#include "tcg/x86_64.h"
#include "tcg/x86_64/backend-x86.h"
#include "util/disas.h"
#include "util/log.h"

#define GUEST_BASE 0x40000000ull
#define GUEST_PAGES 3

#define TEST_TLB_BITS 8
typedef struct TestRuntime {
    CPUTLBEntry tlb[TLB_NB_MMU_MODES][1u << TEST_TLB_BITS];  /* CPUState.tlb_fast */
} TestRuntime;

typedef struct TestEnv {
    CPUState cpu;
    uint64_t in[6];
    uint64_t out[4];
} TestEnv;

static TCGContext ctx;
static TCGCodeBuffer cb;
static TestEnv env;
static TestRuntime runtime;
static TCGTemp *gin[2][6], *gout[2][4];
static uint64_t rng = 0x9e3779b97f4a7c15ull;

/* fake guest memory and slow-path bookkeeping */
static uint8_t guest_ram[GUEST_PAGES * TLB_PAGE_SIZE] __attribute__((aligned(4096)));
static unsigned slow_loads, slow_stores;
static uintptr_t last_retaddr;
static const void *lookup_result;
static sigjmp_buf fault_jmp;
static bool fault_armed;

static uint64_t rnd(void)
{
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return rng;
}

static uint8_t *guest_ptr(uint64_t addr, unsigned size)
{
    assert_true(addr >= GUEST_BASE && addr + size <= GUEST_BASE + sizeof(guest_ram));
    return guest_ram + (addr - GUEST_BASE);
}

static uint64_t raw_le(const uint8_t *p, unsigned size)
{
    uint64_t v = 0;
    for (unsigned i = 0; i < size; i++) {
        v |= (uint64_t)p[i] << (8 * i);
    }
    return v;
}

static bool remap_on_load;     /* the next slow load maps guest page 0 onto page 1's RAM */
static void remap_page0(void);
static bool move_tlb_on_load;  /* ... in a new TLB table; the old one maps it to page 2 */
static void move_tlb(void);

static uint64_t fake_load(void *e, uint64_t addr, MemOp mop, unsigned mmu_idx, uintptr_t ra)
{
    slow_loads++;
    last_retaddr = ra;
    if (fault_armed) {
        siglongjmp(fault_jmp, 1);
    }
    if (remap_on_load) {
        remap_on_load = false;
        remap_page0();
    }
    if (move_tlb_on_load) {
        move_tlb_on_load = false;
        move_tlb();
    }
    return memop_extend(mop, raw_le(guest_ptr(addr, memop_size(mop)), memop_size(mop)));
}

static void fake_store(void *e, uint64_t addr, uint64_t val, MemOp mop, unsigned mmu_idx,
                       uintptr_t ra)
{
    unsigned size = memop_size(mop);
    uint8_t *p = guest_ptr(addr, size);
    slow_stores++;
    last_retaddr = ra;
    for (unsigned i = 0; i < size; i++) {
        unsigned sh = (mop & MO_BE) ? 8 * (size - 1 - i) : 8 * i;
        p[i] = (uint8_t)(val >> sh);
    }
}

static const void *fake_lookup(void *e)
{
    return lookup_result;
}

static const TCGRuntimeHooks hooks = {
    .load = fake_load, .store = fake_store, .lookup_tb_ptr = fake_lookup,
};

static void runtime_point_tlb(void)
{
    for (int m = 0; m < TLB_NB_MMU_MODES; m++) {
        tlb_fast_set(&env.cpu, m, runtime.tlb[m], TEST_TLB_BITS);
    }
}

/* Maps the guest pages in every MMU index (tags valid), or invalidates them all. */
static void tlb_fill_all(bool valid)
{
    memset(&runtime.tlb, 0xff, sizeof(runtime.tlb));
    if (!valid) {
        return;
    }
    for (unsigned m = 0; m < TLB_NB_MMU_MODES; m++) {
        for (unsigned p = 0; p < GUEST_PAGES; p++) {
            uint64_t va = GUEST_BASE + p * TLB_PAGE_SIZE;
            CPUTLBEntry *e = tlb_fast_entry(&env.cpu, (int)m, va);
            e->addr_read = e->addr_write = e->addr_code = va;
            e->addend = (uintptr_t)guest_ram + p * TLB_PAGE_SIZE - va;
        }
    }
}

static void remap_page0(void)
{
    for (unsigned m = 0; m < TLB_NB_MMU_MODES; m++) {
        CPUTLBEntry *e = tlb_fast_entry(&env.cpu, (int)m, GUEST_BASE);
        e->addend = (uintptr_t)guest_ram + TLB_PAGE_SIZE - GUEST_BASE;
    }
}

/* Like a TLB resize: the tables move (the old memory stays readable here, and maps guest
 * page 0 to page 2's RAM, so that code still using an old entry writes the wrong RAM). */
static TestRuntime runtime_moved;
static void move_tlb(void)
{
    runtime_moved = runtime;
    for (unsigned m = 0; m < TLB_NB_MMU_MODES; m++) {
        tlb_fast_set(&env.cpu, (int)m, runtime_moved.tlb[m], TEST_TLB_BITS);
    }
    remap_page0();
    for (unsigned m = 0; m < TLB_NB_MMU_MODES; m++) {
        CPUTLBEntry *e = &runtime.tlb[m][(GUEST_BASE >> TLB_PAGE_BITS) & ((1u << TEST_TLB_BITS) - 1)];
        e->addend = (uintptr_t)guest_ram + 2 * TLB_PAGE_SIZE - GUEST_BASE;
    }
}

static void context_setup(TCGType addr_type)
{
    tcg_context_init(&ctx, 1, addr_type);
    tcg_context_set_current(&ctx);
    for (int k = 0; k < 6; k++) {
        intptr_t ofs = offsetof(TestEnv, in) + 8 * k;
        gin[0][k] = tcg_global_mem_new_internal(TCG_TYPE_I32, ofs, "in32");
        gin[1][k] = tcg_global_mem_new_internal(TCG_TYPE_I64, ofs, "in64");
    }
    for (int k = 0; k < 4; k++) {
        intptr_t ofs = offsetof(TestEnv, out) + 8 * k;
        gout[0][k] = tcg_global_mem_new_internal(TCG_TYPE_I32, ofs, "out32");
        gout[1][k] = tcg_global_mem_new_internal(TCG_TYPE_I64, ofs, "out64");
    }
    assert_int_equal(tcg_backend_x86_64.context_init(&ctx), 0);
}

static void context_teardown(void)
{
    tcg_backend_x86_64.context_destroy(&ctx);
    tcg_context_destroy(&ctx);
}

static int group_setup(void **state)
{
    tcg_set_runtime_hooks(&hooks);
    runtime_point_tlb();
    tlb_fill_all(true);
    return tcg_code_buffer_init(&cb, 4 << 20, NULL);
}

static int group_teardown(void **state)
{
    tcg_code_buffer_destroy(&cb);
    return 0;
}

static int each_setup(void **state)
{
    context_setup(TCG_TYPE_I64);
    tcg_func_start(&ctx);
    return 0;
}

static int each_teardown(void **state)
{
    context_teardown();
    return 0;
}

static size_t last_tb_size;

static const uint8_t *translate(void)
{
    tcg_liveness(&ctx);
    if (tcg_code_buffer_avail(&cb) < (256 << 10)) {
        tcg_code_buffer_flush(&cb);
    }
    uint8_t *rw = tcg_code_buffer_next_rw(&cb);
    long n = tcg_backend_x86_64.gen_code(&ctx, rw, tcg_code_buffer_rw_to_rx(&cb, rw),
                                         tcg_code_buffer_avail(&cb));
    assert_true(n > 0);
    last_tb_size = (size_t)n;
    return tcg_code_buffer_commit(&cb, (size_t)n);
}

static uintptr_t run(const void *tb)
{
    return tcg_backend_x86_64.exec(&env, tb);
}

#define I64(t) ((TCGv_i64)tcg_temp_handle(t))
#define I32(t) ((TCGv_i32)tcg_temp_handle(t))

/* ---- branches ------------------------------------------------------------------ */

static void test_brcond_all_conditions(void **state)
{
    static const uint64_t vals[] = { 0, 1, 0x7fffffff, 0x80000000, 0xffffffff, ~0ull,
                                     0x8000000000000000ull, 5, 0x100000005ull };
    for (int is64 = 0; is64 < 2; is64++) {
        for (int c = 0; c < TCG_COND_COUNT; c++) {
            for (int use_const = 0; use_const < 2; use_const++) {
                for (size_t j = 0; j < sizeof(vals) / sizeof(vals[0]); j++) {
                    TCGType ty = is64 ? TCG_TYPE_I64 : TCG_TYPE_I32;
                    uint64_t b = vals[j];
                    tcg_func_start(&ctx);
                    TCGLabel *l = gen_new_label();
                    TCGTemp *rhs = use_const ? tcg_constant_internal(ty, is64 ? b : (uint32_t)b)
                                             : gin[is64][1];
                    tcg_gen_movi_i64(I64(gout[1][0]), 1);
                    tcg_gen_op4(is64 ? INDEX_op_brcond_i64 : INDEX_op_brcond_i32,
                                temp_arg(gin[is64][0]), temp_arg(rhs), (TCGArg)c, l->id);
                    tcg_gen_movi_i64(I64(gout[1][0]), 2);
                    gen_set_label(l);
                    tcg_gen_exit_tb(0);
                    const uint8_t *tb = translate();
                    for (size_t i = 0; i < sizeof(vals) / sizeof(vals[0]); i++) {
                        env.in[0] = vals[i];
                        env.in[1] = b;
                        run(tb);
                        bool taken = tcg_cond_eval(ty, (TCGCond)c, vals[i], b);
                        if (env.out[0] != (taken ? 1u : 2u)) {
                            fail_msg("brcond %s i%d const=%d: %#llx vs %#llx", tcg_cond_name(c),
                                     is64 ? 64 : 32, use_const, (unsigned long long)vals[i],
                                     (unsigned long long)b);
                        }
                    }
                }
            }
        }
    }
}

/* A backward branch: a TB temp counter survives the label; out = in0 * in1. */
static void test_loop_with_tb_temps(void **state)
{
    TCGTemp *count = tcg_temp_new_internal(TCG_TYPE_I64, TEMP_TB);
    TCGTemp *acc = tcg_temp_new_internal(TCG_TYPE_I64, TEMP_TB);
    TCGLabel *top = gen_new_label(), *done = gen_new_label();
    tcg_gen_movi_i64(I64(count), 0);
    tcg_gen_movi_i64(I64(acc), 0);
    gen_set_label(top);
    tcg_gen_brcond_i64(TCG_COND_GEU, I64(count), I64(gin[1][1]), done);
    tcg_gen_add_i64(I64(acc), I64(acc), I64(gin[1][0]));
    tcg_gen_addi_i64(I64(count), I64(count), 1);
    tcg_gen_br(top);
    gen_set_label(done);
    tcg_gen_mov_i64(I64(gout[1][0]), I64(acc));
    tcg_gen_exit_tb(0);
    const uint8_t *tb = translate();
    for (int i = 0; i < 50; i++) {
        env.in[0] = rnd();
        env.in[1] = rnd() % 100;
        run(tb);
        assert_int_equal(env.out[0], env.in[0] * env.in[1]);
    }
}

/* Two copies of a loop body, each ending with its exit test (x86 loops unrolled in one
 * TB): the globals a copy writes are stored on the taken edge of its brcond only (an
 * edge stub after the TB's code), not before the compare, so the straight path stores
 * them once, at the end. A TB temp written before the first test is read after the
 * label. Each exit must see the values of its own copy. */
static bool stores_to(const uint8_t *p, intptr_t ofs)    /* mov qword [rbp + ofs], r */
{
    int32_t disp;
    memcpy(&disp, p + 3, 4);
    return (p[0] & 0xfb) == 0x48 && p[1] == 0x89 && (p[2] & 0xc7) == 0x85 && disp == ofs;
}

static void test_brcond_stores_on_taken_edge(void **state)
{
    TCGTemp *tmp = tcg_temp_new_internal(TCG_TYPE_I64, TEMP_TB);
    TCGLabel *out = gen_new_label();
    intptr_t ofs1 = offsetof(TestEnv, in) + 8;
    tcg_gen_addi_i64(I64(tmp), I64(gin[1][3]), 7);
    for (int copy = 0; copy < 2; copy++) {
        tcg_gen_addi_i64(I64(gin[1][1]), I64(gin[1][1]), 1);
        tcg_gen_add_i64(I64(gin[1][2]), I64(gin[1][2]), I64(gin[1][1]));
        tcg_gen_brcond_i64(TCG_COND_EQ, I64(gin[1][1]), I64(gin[1][0]), out);
    }
    tcg_gen_movi_i64(I64(gout[1][0]), 1);
    tcg_gen_exit_tb(0);
    gen_set_label(out);
    tcg_gen_mov_i64(I64(gout[1][1]), I64(tmp));
    tcg_gen_exit_tb(0);
    const uint8_t *tb = translate();
    size_t first_jcc = 0;
    while (first_jcc + 1 < last_tb_size && !(tb[first_jcc] == 0x0f &&
                                             (tb[first_jcc + 1] & 0xf0) == 0x80)) {
        first_jcc++;
    }
    for (size_t i = 0; i + 7 <= first_jcc; i++) {
        if (stores_to(tb + i, ofs1)) {
            fail_msg("in[1] stored at +%zu, before the first brcond at +%zu", i, first_jcc);
        }
    }
    for (uint64_t stop = 11; stop <= 13; stop++) {
        uint64_t n = stop < 13 ? stop - 10 : 2;
        env.in[0] = stop;
        env.in[1] = 10;
        env.in[2] = 1000;
        env.in[3] = 5;
        env.out[0] = env.out[1] = 0;
        run(tb);
        assert_int_equal(env.in[1], 10 + n);
        assert_int_equal(env.in[2], n == 1 ? 1011 : 1023);
        assert_int_equal(env.out[0], stop == 13 ? 1 : 0);
        assert_int_equal(env.out[1], stop == 13 ? 0 : 12);
    }
}

/* ---- helper calls ------------------------------------------------------------------ */

static uint64_t helper_mix7(uint64_t a, uint64_t b, uint64_t c, uint64_t d, uint64_t e,
                            uint64_t f, uint64_t g)
{
    return a + 3 * b + 5 * c + 7 * d + 11 * e + 13 * f + 17 * g;
}

static uint32_t helper_add32(uint32_t a, uint32_t b)
{
    return a + b;
}

static uint64_t helper_write_global(TestEnv *e)
{
    e->in[0] = 99;
    return e->in[1];        /* reads a global: it must have been synced */
}

static const TCGHelperInfo info_mix7 = {
    .name = "mix7", .func = (void *)helper_mix7, .flags = TCG_CALL_PURE,
    .ret_type = TCG_TYPE_I64, .nb_args = 7,
    .arg_types = { TCG_TYPE_I64, TCG_TYPE_I64, TCG_TYPE_I64, TCG_TYPE_I64, TCG_TYPE_I64,
                   TCG_TYPE_I64, TCG_TYPE_I64 },
};
static const TCGHelperInfo info_add32 = {
    .name = "add32", .func = (void *)helper_add32, .flags = TCG_CALL_PURE,
    .ret_type = TCG_TYPE_I32, .nb_args = 2, .arg_types = { TCG_TYPE_I32, TCG_TYPE_I32 },
};
static const TCGHelperInfo info_write_global = {
    .name = "write_global", .func = (void *)helper_write_global, .flags = 0,
    .ret_type = TCG_TYPE_I64, .nb_args = 1, .arg_types = { TCG_TYPE_PTR },
};

/* 14 temps live across two calls (more than the callee-saved registers), 7 arguments
 * (one on the stack), an i32 helper, then everything summed. */
static void test_values_survive_helper_calls(void **state)
{
    TCGTemp *t[14], *r = tcg_temp_new_internal(TCG_TYPE_I64, TEMP_EBB);
    TCGTemp *r32 = tcg_temp_new_internal(TCG_TYPE_I32, TEMP_EBB);
    for (int k = 0; k < 14; k++) {
        t[k] = tcg_temp_new_internal(TCG_TYPE_I64, TEMP_EBB);
        tcg_gen_muli_i64(I64(t[k]), I64(gin[1][k % 6]), (uint64_t)(k + 2));
    }
    TCGTemp *args[7] = { gin[1][0], gin[1][1], gin[1][2], gin[1][3], gin[1][4], gin[1][5], t[3] };
    tcg_gen_callN(&info_mix7, r, args);
    TCGTemp *args32[2] = { gin[0][0], gin[0][1] };
    tcg_gen_callN(&info_add32, r32, args32);
    tcg_gen_extu_i32_i64(I64(gout[1][1]), I32(r32));
    for (int k = 0; k < 14; k++) {
        tcg_gen_add_i64(I64(r), I64(r), I64(t[k]));
    }
    tcg_gen_mov_i64(I64(gout[1][0]), I64(r));
    tcg_gen_exit_tb(0);
    const uint8_t *tb = translate();
    for (int i = 0; i < 100; i++) {
        uint64_t want = 0;
        for (int k = 0; k < 6; k++) {
            env.in[k] = rnd();
        }
        for (int k = 0; k < 14; k++) {
            want += env.in[k % 6] * (uint64_t)(k + 2);
        }
        want += helper_mix7(env.in[0], env.in[1], env.in[2], env.in[3], env.in[4], env.in[5],
                            env.in[3] * 5);
        run(tb);
        assert_int_equal(env.out[0], want);
        assert_int_equal(env.out[1], (uint32_t)(env.in[0] + env.in[1]));
    }
}

/* Temps left in caller-saved registers when callee-saved ones have become free move
 * there across the call (t0..t4 die first, t5..t7 live across it). */
static void test_values_move_to_callee_saved(void **state)
{
    TCGTemp *t[8], *s = tcg_temp_new_internal(TCG_TYPE_I64, TEMP_EBB);
    TCGTemp *r = tcg_temp_new_internal(TCG_TYPE_I64, TEMP_EBB);
    for (int k = 0; k < 8; k++) {
        t[k] = tcg_temp_new_internal(TCG_TYPE_I64, TEMP_EBB);
        tcg_gen_muli_i64(I64(t[k]), I64(gin[1][k % 6]), (uint64_t)(k + 2));
    }
    tcg_gen_add_i64(I64(s), I64(t[0]), I64(t[1]));
    for (int k = 2; k < 5; k++) {
        tcg_gen_add_i64(I64(s), I64(s), I64(t[k]));
    }
    tcg_gen_mov_i64(I64(gout[1][2]), I64(s));
    TCGTemp *args[7] = { gin[1][0], gin[1][1], gin[1][2], gin[1][3], gin[1][4], gin[1][5],
                         gin[1][0] };
    tcg_gen_callN(&info_mix7, r, args);
    for (int k = 5; k < 8; k++) {
        tcg_gen_add_i64(I64(r), I64(r), I64(t[k]));
    }
    tcg_gen_mov_i64(I64(gout[1][0]), I64(r));
    tcg_gen_exit_tb(0);
    const uint8_t *tb = translate();
    for (int i = 0; i < 50; i++) {
        uint64_t want = 0, want_s = 0;
        for (int k = 0; k < 6; k++) {
            env.in[k] = rnd();
        }
        for (int k = 0; k < 8; k++) {
            *(k < 5 ? &want_s : &want) += env.in[k % 6] * (uint64_t)(k + 2);
        }
        want += helper_mix7(env.in[0], env.in[1], env.in[2], env.in[3], env.in[4], env.in[5],
                            env.in[0]);
        run(tb);
        assert_int_equal(env.out[2], want_s);
        assert_int_equal(env.out[0], want);
    }
}

/* A helper without flags sees globals written before it and its writes are seen after. */
static void test_helper_globals_sync(void **state)
{
    TCGTemp *r = tcg_temp_new_internal(TCG_TYPE_I64, TEMP_EBB);
    TCGTemp *args[1] = { &ctx.temps[0] };
    tcg_gen_addi_i64(I64(gin[1][0]), I64(gin[1][0]), 1);    /* cached in a register */
    tcg_gen_movi_i64(I64(gin[1][1]), 1234);                 /* must reach memory */
    tcg_gen_callN(&info_write_global, r, args);
    tcg_gen_mov_i64(I64(gout[1][0]), I64(r));
    tcg_gen_addi_i64(I64(gout[1][1]), I64(gin[1][0]), 1);    /* must reload 99 */
    tcg_gen_exit_tb(0);
    const uint8_t *tb = translate();
    env.in[0] = 5;
    run(tb);
    assert_int_equal(env.out[0], 1234);
    assert_int_equal(env.out[1], 100);
    assert_int_equal(env.in[0], 99);
}

/* 40 temps live at once: the allocator must spill and reload. */
/* 64-bit ops whose EBB result only feeds an ext32u (the x86 front end's 32-bit ALU ops
 * and IMUL) are emitted as 32-bit instructions: the results must still be the low halves
 * of the 64-bit results, zero-extended, with inputs whose high halves are not zero. */
static void test_ops_feeding_ext32u(void **state)
{
    TCGTemp *t[4];
    for (int k = 0; k < 4; k++) {
        t[k] = tcg_temp_new_internal(TCG_TYPE_I64, TEMP_EBB);
    }
    tcg_gen_mul_i64(I64(t[0]), I64(gin[1][1]), I64(gin[1][2]));
    tcg_gen_ext32u_i64(I64(gout[1][0]), I64(t[0]));
    tcg_gen_muli_i64(I64(t[1]), I64(gin[1][1]), -7);
    tcg_gen_ext32u_i64(I64(gout[1][1]), I64(t[1]));
    tcg_gen_add_i64(I64(t[2]), I64(gin[1][1]), I64(gin[1][2]));
    tcg_gen_ext32u_i64(I64(gout[1][2]), I64(t[2]));
    tcg_gen_shli_i64(I64(t[3]), I64(gin[1][2]), 5);
    tcg_gen_ext32u_i64(I64(gout[1][3]), I64(t[3]));
    tcg_gen_exit_tb(0);
    const uint8_t *tb = translate();
    uint64_t a = 0x923456789abcdef1ull, b = 0xfedcba98f6543211ull;
    env.in[1] = a;
    env.in[2] = b;
    run(tb);
    assert_int_equal(env.out[0], (a * b) & 0xffffffffu);
    assert_int_equal(env.out[1], (a * (uint64_t)-7) & 0xffffffffu);
    assert_int_equal(env.out[2], (a + b) & 0xffffffffu);
    assert_int_equal(env.out[3], (b << 5) & 0xffffffffu);
}

static void test_register_pressure(void **state)
{
    enum { N = 40 };
    TCGTemp *t[N], *sum = tcg_temp_new_internal(TCG_TYPE_I64, TEMP_EBB);
    for (int k = 0; k < N; k++) {
        t[k] = tcg_temp_new_internal(k % 2 ? TCG_TYPE_I64 : TCG_TYPE_I32, TEMP_EBB);
        if (k % 2) {
            tcg_gen_xori_i64(I64(t[k]), I64(gin[1][k % 6]), (uint64_t)k * 0x10001);
        } else {
            tcg_gen_addi_i32(I32(t[k]), I32(gin[0][k % 6]), (uint32_t)k);
        }
    }
    tcg_gen_movi_i64(I64(sum), 0);
    for (int k = N - 1; k >= 0; k--) {
        if (k % 2) {
            tcg_gen_add_i64(I64(sum), I64(sum), I64(t[k]));
        } else {
            TCGTemp *w = tcg_temp_new_internal(TCG_TYPE_I64, TEMP_EBB);
            tcg_gen_extu_i32_i64(I64(w), I32(t[k]));
            tcg_gen_add_i64(I64(sum), I64(sum), I64(w));
        }
    }
    tcg_gen_mov_i64(I64(gout[1][0]), I64(sum));
    tcg_gen_exit_tb(0);
    const uint8_t *tb = translate();
    for (int i = 0; i < 20; i++) {
        uint64_t want = 0;
        for (int k = 0; k < 6; k++) {
            env.in[k] = rnd();
        }
        for (int k = 0; k < N; k++) {
            want += k % 2 ? env.in[k % 6] ^ ((uint64_t)k * 0x10001)
                          : (uint32_t)((uint32_t)env.in[k % 6] + (uint32_t)k);
        }
        run(tb);
        assert_int_equal(env.out[0], want);
    }
}

/* ---- guest loads and stores ----------------------------------------------------- */

static MemOp random_memop(bool is64, bool store)
{
    unsigned size = (unsigned)(rnd() % (is64 ? 4 : 3));
    MemOp mop = (MemOp)size;
    if (!store && rnd() % 2 && size < 3) {
        mop |= MO_SIGN;
    }
    if (!store && is64 == false && size == 2) {
        mop &= ~MO_SIGN;
    }
    if (rnd() % 2) {
        mop |= MO_BE;
    }
    if (rnd() % 3 == 0) {
        mop |= MO_ALIGN;
    }
    return mop;
}

/* An address in the guest pages: random, often near a page end (crossing). */
static uint64_t random_guest_addr(unsigned size)
{
    uint64_t ofs = rnd() % (sizeof(guest_ram) - 8);
    if (rnd() % 4 == 0) {
        ofs = (rnd() % (GUEST_PAGES - 1) + 1) * TLB_PAGE_SIZE - 1 - rnd() % 8;
    }
    return GUEST_BASE + ofs;
}

static bool expect_slow(uint64_t addr, MemOp mop, bool tlb_valid)
{
    unsigned size = memop_size(mop);
    bool crosses = (addr & (TLB_PAGE_SIZE - 1)) + size > TLB_PAGE_SIZE;
    bool misaligned = (addr & (memop_alignment(mop) - 1)) != 0;
    return !tlb_valid || crosses || misaligned;
}

static void check_loads_and_stores(TCGType addr_type, unsigned rounds)
{
    bool a64 = addr_type == TCG_TYPE_I64;
    for (unsigned round = 0; round < rounds; round++) {
        bool is64 = rnd() % 2, store = rnd() % 2;
        MemOp mop = random_memop(is64, store);
        unsigned mmu = (unsigned)(rnd() % TLB_NB_MMU_MODES), size = memop_size(mop);
        tcg_func_start(&ctx);
        if (store) {
            TCGArg args[4] = { temp_arg(gin[is64][1]), temp_arg(gin[a64][0]), mop, mmu };
            tcg_emit_op(is64 ? INDEX_op_qemu_st_i64 : INDEX_op_qemu_st_i32, 4, args);
        } else {
            TCGArg args[4] = { temp_arg(gout[is64][0]), temp_arg(gin[a64][0]), mop, mmu };
            tcg_emit_op(is64 ? INDEX_op_qemu_ld_i64 : INDEX_op_qemu_ld_i32, 4, args);
        }
        tcg_gen_exit_tb(0);
        const uint8_t *tb = translate();
        for (int i = 0; i < 16; i++) {
            bool tlb_valid = rnd() % 4 != 0;
            uint64_t addr = random_guest_addr(size), val = rnd();
            unsigned before = store ? slow_stores : slow_loads;
            tlb_fill_all(tlb_valid);
            for (size_t b = 0; b < sizeof(guest_ram); b += 8) {
                uint64_t r = rnd();
                memcpy(guest_ram + b, &r, 8);
            }
            env.in[0] = addr;
            env.in[1] = val;
            env.out[0] = 0x5a5a5a5a5a5a5a5aull;
            run(tb);
            unsigned slow = (store ? slow_stores : slow_loads) - before;
            assert_int_equal(slow, expect_slow(addr, mop, tlb_valid) ? 1 : 0);
            if (store) {
                uint64_t want = (mop & MO_BE) ? __builtin_bswap64(val) >> (64 - 8 * size) : val;
                assert_int_equal(raw_le(guest_ptr(addr, size), size),
                                 size == 8 ? want : want & ((1ull << (8 * size)) - 1));
            } else {
                uint64_t want = memop_extend(mop, raw_le(guest_ptr(addr, size), size));
                uint64_t mask = is64 ? ~0ull : 0xffffffffull;
                if ((env.out[0] & mask) != (want & mask)) {
                    fail_msg("load mop %#x addr %#llx tlb %d: got %#llx want %#llx", mop,
                             (unsigned long long)addr, tlb_valid,
                             (unsigned long long)(env.out[0] & mask),
                             (unsigned long long)(want & mask));
                }
            }
        }
    }
    tlb_fill_all(true);
}

static void test_guest_memory_hit_miss(void **state)
{
    X86BackendOptions *g = ctx.backend_data;
    check_loads_and_stores(TCG_TYPE_I64, 300);
    g->feat.movbe = false;          /* the bswap fallback for big-endian accesses */
    check_loads_and_stores(TCG_TYPE_I64, 200);
    context_teardown();
    context_setup(TCG_TYPE_I32);    /* 32-bit guest addresses */
    check_loads_and_stores(TCG_TYPE_I32, 300);
}

/* No TLB (the never-hitting table): every access takes the slow path. */
static void test_guest_memory_without_tlb(void **state)
{
    TCGArg args[4] = { temp_arg(gout[1][0]), temp_arg(gin[1][0]), MO_LEUQ, 0 };
    tcg_emit_op(INDEX_op_qemu_ld_i64, 4, args);
    tcg_gen_exit_tb(0);
    const uint8_t *tb = translate();
    unsigned before = slow_loads;
    tlb_fast_set_invalid(&env.cpu);
    env.in[0] = GUEST_BASE + 16;
    run(tb);
    runtime_point_tlb();
    assert_int_equal(slow_loads, before + 1);
    assert_int_equal(env.out[0], raw_le(guest_ram + 16, 8));
}

/* A faulting slow path: the hook unwinds with siglongjmp and its retaddr maps to the
 * guest instruction of the access; later TBs run normally. */
static void test_fault_retaddr_maps_to_insn(void **state)
{
    TCGArg args[4] = { temp_arg(gout[1][1]), temp_arg(gin[1][0]), MO_LEUL, 2 };
    tcg_gen_insn_start(0x1000, 0, 0);
    tcg_gen_addi_i64(I64(gout[1][0]), I64(gin[1][1]), 1);
    tcg_gen_insn_start(0x1004, 0, 0);
    tcg_gen_addi_i64(I64(gout[1][2]), I64(gin[1][1]), 2);
    tcg_emit_op(INDEX_op_qemu_ld_i64, 4, args);
    tcg_gen_insn_start(0x1008, 0, 0);
    tcg_gen_addi_i64(I64(gout[1][3]), I64(gin[1][1]), 3);
    tcg_gen_exit_tb(0);
    const uint8_t *tb = translate();
    assert_int_equal(ctx.nb_insns, 3);
    assert_int_equal(ctx.gen_insn_data[1][0], 0x1004);
    assert_true(ctx.gen_insn_end_off[0] < ctx.gen_insn_end_off[1]);
    tlb_fill_all(false);
    env.in[0] = GUEST_BASE;
    env.in[1] = 10;
    fault_armed = true;
    if (sigsetjmp(fault_jmp, 1) == 0) {
        run(tb);
        fail_msg("the faulting load returned");
    }
    fault_armed = false;
    tlb_fill_all(true);
    assert_int_equal(tcg_search_insn(ctx.gen_insn_end_off, ctx.nb_insns, (uintptr_t)tb,
                                     last_retaddr), 1);
    /* globals written before the access were synced (the fault saw them) */
    assert_int_equal(env.out[0], 11);
    assert_int_equal(env.out[2], 12);
    run(tb);
    assert_int_equal(env.out[3], 13);
}

/* Runs tb with every guest page mapped, or with none and the slow load raising (a
 * longjmp back here, as a guest fault unwinds to the CPU loop). */
static void run_maybe_faulting(const uint8_t *tb, int faulting)
{
    tlb_fill_all(!faulting);
    fault_armed = faulting;
    if (sigsetjmp(fault_jmp, 1) == 0) {
        run(tb);
        assert_false(faulting);
    }
    fault_armed = false;
}

/* A faulting access after the TB wrote 8 globals that it writes again later (so they
 * are not stored at once), two of them copies of globals read again (register copies):
 * the miss path stores every one of them before the hook raises; without the fault the
 * TB ends with the right values. */
static void test_fault_sees_every_dirty_global(void **state)
{
    TCGArg args[4] = { temp_arg(gout[1][3]), temp_arg(gin[1][0]), MO_LEUL, 2 };
    tcg_gen_insn_start(0x1000, 0, 0);
    for (int k = 1; k < 6; k++) {
        tcg_gen_addi_i64(I64(gin[1][k]), I64(gin[1][k]), 100 * k);
    }
    tcg_gen_addi_i64(I64(gout[1][0]), I64(gin[1][1]), 1);
    tcg_gen_mov_i64(I64(gout[1][1]), I64(gin[1][2]));
    tcg_gen_mov_i64(I64(gout[1][2]), I64(gin[1][3]));
    tcg_gen_insn_start(0x1004, 0, 0);
    tcg_emit_op(INDEX_op_qemu_ld_i64, 4, args);
    tcg_gen_insn_start(0x1008, 0, 0);
    tcg_gen_add_i64(I64(gout[1][1]), I64(gout[1][1]), I64(gin[1][2]));
    tcg_gen_add_i64(I64(gout[1][2]), I64(gout[1][2]), I64(gin[1][3]));
    for (int k = 1; k < 6; k++) {       /* written again: not stored before the load */
        tcg_gen_addi_i64(I64(gin[1][k]), I64(gin[1][k]), 1);
    }
    tcg_gen_addi_i64(I64(gout[1][0]), I64(gout[1][0]), 1);
    tcg_gen_exit_tb(0);
    const uint8_t *tb = translate();
    for (int faulting = 1; faulting >= 0; faulting--) {
        uint64_t in[6] = { GUEST_BASE + 8, 10, 20, 30, 40, 50 };
        memcpy(env.in, in, sizeof(in));
        memset(env.out, 0, sizeof(env.out));
        run_maybe_faulting(tb, faulting);
        for (int k = 1; k < 6; k++) {
            assert_int_equal(env.in[k], in[k] + 100 * k + !faulting);
        }
        assert_int_equal(env.out[0], 111 + !faulting);
        assert_int_equal(env.out[1], faulting ? 220 : 440);
        assert_int_equal(env.out[2], faulting ? 330 : 660);
        if (!faulting) {
            assert_int_equal(env.out[3], raw_le(guest_ram + 8, 4));
        }
    }
    tlb_fill_all(true);
}

/* Loads off one global plus constants (32-bit addresses) after the first check their
 * page against the one it verified (ldst.c, TLB check reuse): same page, another page,
 * a page-crossing access, and a miss path whose C call remaps the page (the loads after
 * it must see the new mapping, not the page they verified before). */
static TCGTemp *addr32_of(TCGTemp *base, int64_t ofs)
{
    TCGTemp *sum = tcg_temp_new_internal(TCG_TYPE_I64, TEMP_EBB);
    TCGTemp *a = tcg_temp_new_internal(TCG_TYPE_I64, TEMP_EBB);
    tcg_gen_addi_i64(I64(sum), I64(base), ofs);
    tcg_gen_ext32u_i64(I64(a), I64(sum));
    return a;
}

static void load_from(TCGTemp *out, TCGTemp *addr)
{
    TCGArg args[4] = { temp_arg(out), temp_arg(addr), MO_LEUL, 0 };
    tcg_emit_op(INDEX_op_qemu_ld_i64, 4, args);
}

static unsigned count_bytes(const uint8_t *code, size_t n, const uint8_t *pat, size_t len)
{
    unsigned k = 0;
    for (size_t i = 0; i + len <= n; i++) {
        k += memcmp(code + i, pat, len) == 0;
    }
    return k;
}

/* A global set to a constant is stored at the next sync point, branch edge or guest-access
 * miss, not at the mov (regalloc.c, pending constants): in two loop copies that set it
 * again, nothing stores it before the first exit test; every exit, a faulting access and
 * a read that is the global's last use still see the constant in memory. */
static unsigned count_disp32(const uint8_t *code, size_t n, intptr_t ofs)
{
    int32_t d = (int32_t)ofs;
    return count_bytes(code, n, (const uint8_t *)&d, 4);
}

static size_t first_jcc32(const uint8_t *tb, size_t size)
{
    size_t i = 0;
    while (i + 1 < size && !(tb[i] == 0x0f && (tb[i + 1] & 0xf0) == 0x80)) {
        i++;
    }
    return i;
}

static void test_pending_constant_stores(void **state)
{
    TCGLabel *out = gen_new_label();
    intptr_t ofs0 = offsetof(TestEnv, out), ofs1 = offsetof(TestEnv, out) + 8;
    assert_true(ofs0 > 127);        /* accesses to out[] use a disp32 */
    for (int copy = 0; copy < 2; copy++) {
        tcg_gen_movi_i64(I64(gout[1][0]), 5 + copy);
        tcg_gen_movi_i32(I32(gout[0][1]), 0x77 + copy);
        tcg_gen_addi_i64(I64(gin[1][1]), I64(gin[1][1]), 1);
        tcg_gen_brcond_i64(TCG_COND_EQ, I64(gin[1][1]), I64(gin[1][0]), out);
    }
    tcg_gen_exit_tb(0);
    gen_set_label(out);
    tcg_gen_exit_tb(0);
    const uint8_t *tb = translate();
    size_t jcc = first_jcc32(tb, last_tb_size);
    assert_int_equal(count_disp32(tb, jcc, ofs0), 0);
    assert_int_equal(count_disp32(tb, jcc, ofs1), 0);
    for (uint64_t stop = 11; stop <= 13; stop++) {
        uint64_t copy = stop == 11 ? 0 : 1;
        env.in[0] = stop;
        env.in[1] = 10;
        env.out[0] = env.out[1] = 0;
        run(tb);
        assert_int_equal(env.out[0], 5 + copy);
        assert_int_equal(env.out[1], 0x77 + copy);
    }
}

/* The same for a copy of a live temp held in a register: not stored before the first
 * exit test when the next loop copy sets it again, and stored before the register takes
 * a new value (an in-place add, a load into a fresh register, a read of the copy). */
static void test_pending_copy_stores(void **state)
{
    TCGLabel *out = gen_new_label();
    intptr_t ofs0 = offsetof(TestEnv, out);
    TCGArg args[4] = { temp_arg(gin[1][4]), temp_arg(gin[1][0]), MO_LEUL, 0 };
    tcg_gen_addi_i64(I64(gin[1][1]), I64(gin[1][1]), 1);       /* in registers */
    tcg_gen_addi_i64(I64(gin[1][2]), I64(gin[1][2]), 1);
    tcg_gen_addi_i64(I64(gin[1][4]), I64(gin[1][4]), 1);
    for (int copy = 0; copy < 2; copy++) {
        tcg_gen_mov_i64(I64(gout[1][0]), I64(gin[1][1 + copy]));
        tcg_gen_addi_i64(I64(gin[1][3]), I64(gin[1][3]), 1);
        tcg_gen_brcond_i64(TCG_COND_EQ, I64(gin[1][3]), I64(gin[1][5]), out);
    }
    tcg_gen_mov_i64(I64(gout[1][1]), I64(gin[1][3]));
    tcg_gen_addi_i64(I64(gin[1][3]), I64(gin[1][3]), 100);     /* in place */
    tcg_gen_mov_i64(I64(gout[1][2]), I64(gin[1][4]));
    tcg_emit_op(INDEX_op_qemu_ld_i64, 4, args);                 /* in[4] replaced */
    TCGTemp *sum = tcg_temp_new_internal(TCG_TYPE_I64, TEMP_EBB), *t[10];
    tcg_gen_movi_i64(I64(sum), 0);
    for (int k = 0; k < 10; k++) {          /* take the free registers */
        t[k] = tcg_temp_new_internal(TCG_TYPE_I64, TEMP_EBB);
        tcg_gen_addi_i64(I64(t[k]), I64(gin[1][5]), k);
    }
    for (int k = 0; k < 10; k++) {
        tcg_gen_add_i64(I64(sum), I64(sum), I64(t[k]));
    }
    tcg_gen_mov_i64(I64(gin[1][5]), I64(sum));
    tcg_gen_mov_i64(I64(gout[1][3]), I64(gin[1][2]));
    tcg_gen_brcond_i64(TCG_COND_EQ, I64(gin[1][5]), I64(gin[1][1]), out);   /* never */
    tcg_gen_addi_i64(I64(gin[1][2]), I64(gout[1][3]), 7);      /* read of the copy */
    gen_set_label(out);
    tcg_gen_exit_tb(0);
    const uint8_t *tb = translate();
    size_t jcc = first_jcc32(tb, last_tb_size);
    assert_int_equal(count_disp32(tb, jcc, ofs0), 0);
    for (uint64_t stop = 1; stop <= 3; stop++) {
        uint64_t in[6] = { GUEST_BASE + 16, 111, 222, 0, 444, stop };
        memcpy(env.in, in, sizeof(in));
        memset(env.out, 0, sizeof(env.out));
        run(tb);
        assert_int_equal(env.out[0], stop == 1 ? 112 : 223);
        assert_int_equal(env.out[1], stop == 3 ? 2 : 0);
        assert_int_equal(env.in[3], stop == 3 ? 102 : stop);
        assert_int_equal(env.out[2], stop == 3 ? 445 : 0);
        assert_int_equal(env.in[4], stop == 3 ? raw_le(guest_ram + 16, 4) : 445);
        assert_int_equal(env.out[3], stop == 3 ? 223 : 0);
        assert_int_equal(env.in[2], stop == 3 ? 230 : 223);
        assert_int_equal(env.in[5], stop == 3 ? 75 : stop);
    }
}

/* Pending stores that only a brcond's taken edge needs (x86 flag liveness: the exit that
 * drops the flag fields discards them): a constant, a copy of a global still in memory
 * (loaded for the copy, not stored at the mov) and a copy of a register are stored in the
 * taken edge's stub only; the fall-through drops them, so their slots keep what they
 * held. */
static void test_pending_stores_on_taken_edge_only(void **state)
{
    TCGLabel *taken = gen_new_label();
    intptr_t ofs[3] = { offsetof(TestEnv, out), offsetof(TestEnv, out) + 8,
                        offsetof(TestEnv, out) + 16 };
    tcg_gen_addi_i64(I64(gin[1][2]), I64(gin[1][2]), 1);       /* in a register */
    tcg_gen_movi_i64(I64(gout[1][0]), 5);
    tcg_gen_mov_i64(I64(gout[1][1]), I64(gin[1][1]));
    tcg_gen_mov_i64(I64(gout[1][2]), I64(gin[1][2]));
    tcg_gen_brcond_i64(TCG_COND_EQ, I64(gin[1][0]), I64(gin[1][3]), taken);
    for (int k = 0; k < 3; k++) {
        tcg_gen_discard_i64(I64(gout[1][k]));
    }
    tcg_gen_exit_tb(0);
    gen_set_label(taken);
    tcg_gen_exit_tb(0);
    const uint8_t *tb = translate();
    size_t jcc = first_jcc32(tb, last_tb_size);
    for (int k = 0; k < 3; k++) {
        assert_int_equal(count_disp32(tb, jcc, ofs[k]), 0);
        assert_int_equal(count_disp32(tb, last_tb_size, ofs[k]), 1);      /* the stub */
    }
    for (int take = 0; take < 2; take++) {
        uint64_t in[4] = { 7, 111, 222, take ? 7 : 8 };
        memcpy(env.in, in, sizeof(in));
        env.out[0] = env.out[1] = env.out[2] = 0xdead;
        run(tb);
        assert_int_equal(env.in[2], 223);
        assert_int_equal(env.out[0], take ? 5 : 0xdead);
        assert_int_equal(env.out[1], take ? 111 : 0xdead);
        assert_int_equal(env.out[2], take ? 223 : 0xdead);
    }
}

/* A label keeps a global whose fall-through copy is in another register than on the
 * branch (labels-x86.c): the fall-through moves it back (ARM conditional execution, a
 * short forward branch around one instruction that writes a guest register), so the
 * read after the label needs no load. in[0]'s slot: loaded for the compare, stored at
 * the label, nothing else. */
static void test_label_keeps_moved_global(void **state)
{
    TCGLabel *skip = gen_new_label();
    intptr_t ofs0 = offsetof(TestEnv, in);
    assert_true(ofs0 > 127);
    tcg_gen_brcond_i64(TCG_COND_LTU, I64(gin[1][0]), I64(gin[1][1]), skip);
    tcg_gen_addi_i64(I64(gin[1][0]), I64(gin[1][2]), 5);      /* a new register */
    gen_set_label(skip);
    tcg_gen_muli_i64(I64(gout[1][0]), I64(gin[1][0]), 3);
    tcg_gen_exit_tb(0);
    const uint8_t *tb = translate();
    assert_int_equal(count_disp32(tb, last_tb_size, ofs0), 2);
    for (int taken = 0; taken < 2; taken++) {
        env.in[0] = taken ? 10 : 30;
        env.in[1] = 20;
        env.in[2] = 100;
        run(tb);
        assert_int_equal(env.in[0], taken ? 10 : 105);
        assert_int_equal(env.out[0], taken ? 30 : 315);
    }
}

/* The label's offset: the target of the first jcc rel32 (a branch with nothing to
 * store on its edge jumps straight to it). */
static size_t first_jcc32_target(const uint8_t *tb, size_t size)
{
    size_t jcc = first_jcc32(tb, size);
    int32_t rel;
    memcpy(&rel, tb + jcc + 2, 4);
    return jcc + 6 + (size_t)(intptr_t)rel;
}

/* The same when the fall-through's own values displaced the globals from every
 * register: in[0] and in[1] are loaded again at the end of the fall-through (they are
 * read after the label), not after the label on both paths; in[4], not read after the
 * label, is not loaded again. */
static void test_label_reloads_displaced_global(void **state)
{
    TCGLabel *skip = gen_new_label();
    TCGTemp *sum = tcg_temp_new_internal(TCG_TYPE_I64, TEMP_EBB), *t[12];
    intptr_t ofs0 = offsetof(TestEnv, in), ofs1 = ofs0 + 8, ofs4 = ofs0 + 32;
    tcg_gen_addi_i64(I64(gout[1][2]), I64(gin[1][4]), 1);
    tcg_gen_brcond_i64(TCG_COND_LTU, I64(gin[1][0]), I64(gin[1][1]), skip);
    tcg_gen_movi_i64(I64(sum), 0);
    for (int k = 0; k < 12; k++) {          /* more values than registers */
        t[k] = tcg_temp_new_internal(TCG_TYPE_I64, TEMP_EBB);
        tcg_gen_addi_i64(I64(t[k]), I64(gin[1][2]), k);
    }
    for (int k = 0; k < 12; k++) {
        tcg_gen_add_i64(I64(sum), I64(sum), I64(t[k]));
    }
    tcg_gen_mov_i64(I64(gout[1][1]), I64(sum));
    gen_set_label(skip);
    tcg_gen_add_i64(I64(gout[1][0]), I64(gin[1][0]), I64(gin[1][1]));
    tcg_gen_exit_tb(0);
    const uint8_t *tb = translate();
    size_t label = first_jcc32_target(tb, last_tb_size);
    assert_true(label < last_tb_size);
    assert_int_equal(count_disp32(tb + label, last_tb_size - label, ofs0), 0);
    assert_int_equal(count_disp32(tb + label, last_tb_size - label, ofs1), 0);
    assert_int_equal(count_disp32(tb, last_tb_size, ofs4), 1);
    for (int taken = 0; taken < 2; taken++) {
        env.in[0] = taken ? 10 : 30;
        env.in[1] = 20;
        env.in[2] = 100;
        env.in[4] = 7;
        env.out[1] = 0;
        run(tb);
        assert_int_equal(env.out[0], taken ? 30 : 50);
        assert_int_equal(env.out[1], taken ? 0 : 1266);
        assert_int_equal(env.out[2], 8);
    }
}

/* When no register is free, the allocator empties the one whose global is read last
 * (or not again), not the first clean global in allocation order: in[0], loaded first
 * and read first after the pressure, keeps its register (one load of its slot), while
 * in[3], in[2] and in[1], read after it, give theirs up. */
static void test_eviction_keeps_next_read(void **state)
{
    TCGTemp *sum = tcg_temp_new_internal(TCG_TYPE_I64, TEMP_EBB), *t[10];
    TCGTemp *mix = tcg_temp_new_internal(TCG_TYPE_I64, TEMP_EBB);
    intptr_t ofs0 = offsetof(TestEnv, in);
    tcg_gen_add_i64(I64(mix), I64(gin[1][0]), I64(gin[1][1]));
    tcg_gen_add_i64(I64(mix), I64(mix), I64(gin[1][2]));
    tcg_gen_add_i64(I64(mix), I64(mix), I64(gin[1][3]));
    tcg_gen_mov_i64(I64(gout[1][1]), I64(mix));
    tcg_gen_movi_i64(I64(sum), 0);
    for (int k = 0; k < 10; k++) {
        t[k] = tcg_temp_new_internal(TCG_TYPE_I64, TEMP_EBB);
        tcg_gen_addi_i64(I64(t[k]), I64(gin[1][5]), k);
    }
    for (int k = 0; k < 10; k++) {
        tcg_gen_add_i64(I64(sum), I64(sum), I64(t[k]));
    }
    tcg_gen_add_i64(I64(gout[1][0]), I64(sum), I64(gin[1][0]));
    tcg_gen_add_i64(I64(mix), I64(gin[1][1]), I64(gin[1][2]));
    tcg_gen_add_i64(I64(gout[1][2]), I64(mix), I64(gin[1][3]));
    tcg_gen_exit_tb(0);
    const uint8_t *tb = translate();
    assert_int_equal(count_disp32(tb, last_tb_size, ofs0), 1);
    for (int i = 0; i < 4; i++) {
        uint64_t want = 0;
        for (int k = 0; k < 6; k++) {
            env.in[k] = rnd();
        }
        for (int k = 0; k < 10; k++) {
            want += env.in[5] + (uint64_t)k;
        }
        run(tb);
        assert_int_equal(env.out[0], want + env.in[0]);
        assert_int_equal(env.out[1], env.in[0] + env.in[1] + env.in[2] + env.in[3]);
        assert_int_equal(env.out[2], env.in[1] + env.in[2] + env.in[3]);
    }
}

static void test_pending_constant_at_fault_and_read(void **state)
{
    TCGArg args[4] = { temp_arg(gout[1][3]), temp_arg(gin[1][0]), MO_LEUL, 2 };
    tcg_gen_insn_start(0x1000, 0, 0);
    tcg_gen_movi_i64(I64(gout[1][2]), 0x1234);
    tcg_gen_insn_start(0x1004, 0, 0);
    tcg_emit_op(INDEX_op_qemu_ld_i64, 4, args);
    tcg_gen_insn_start(0x1008, 0, 0);
    tcg_gen_movi_i64(I64(gout[1][2]), 0x99);
    tcg_gen_movi_i64(I64(gout[1][1]), 41);
    tcg_gen_addi_i64(I64(gout[1][0]), I64(gout[1][1]), 1);     /* out[1]'s last read */
    tcg_gen_exit_tb(0);
    const uint8_t *tb = translate();
    for (int faulting = 1; faulting >= 0; faulting--) {
        env.in[0] = GUEST_BASE + 8;
        memset(env.out, 0, sizeof(env.out));
        run_maybe_faulting(tb, faulting);
        assert_int_equal(env.out[2], faulting ? 0x1234 : 0x99);
        assert_int_equal(env.out[1], faulting ? 0 : 41);
        assert_int_equal(env.out[0], faulting ? 0 : 42);
    }
    tlb_fill_all(true);
}

static void run_reuse_case(const uint8_t *tb, uint64_t base0, uint64_t base1,
                           const uint8_t *ram0, unsigned want_slow)
{
    unsigned before = slow_loads;
    env.in[0] = base0;
    env.in[1] = base1;
    run(tb);
    assert_int_equal(slow_loads - before, want_slow);
    assert_int_equal(env.out[0], raw_le(guest_ptr(base0, 4), 4));
    assert_int_equal(env.out[1], raw_le(guest_ptr(base0 + 8, 4), 4));
    assert_int_equal(env.out[2], raw_le(guest_ptr(base1, 4), 4));
    assert_int_equal(env.out[3], raw_le(ram0 + (base0 + 16 - GUEST_BASE), 4));
}

static void test_load_tlb_check_reuse(void **state)
{
    static const uint8_t sub_r11_slot[] = { 0x4c, 0x2b, 0x5c, 0x24, X86_FRAME_REUSE_PAGE };
    tcg_gen_insn_start(0x1000, 0, 0);
    load_from(gout[1][0], addr32_of(gin[1][0], 0));
    load_from(gout[1][1], addr32_of(gin[1][0], 8));        /* reuses the check */
    load_from(gout[1][2], addr32_of(gin[1][1], 0));        /* another global: full */
    load_from(gout[1][3], addr32_of(gin[1][0], 16));       /* reuses the check */
    tcg_gen_exit_tb(0);
    const uint8_t *tb = translate();
    assert_int_equal(count_bytes(tb, last_tb_size, sub_r11_slot, sizeof(sub_r11_slot)), 2);
    for (size_t b = 0; b < sizeof(guest_ram); b++) {
        guest_ram[b] = (uint8_t)rnd();
    }
    tlb_fill_all(true);
    run_reuse_case(tb, GUEST_BASE + 0x100, GUEST_BASE + 0x200, guest_ram, 0);
    run_reuse_case(tb, GUEST_BASE + 0xff8, GUEST_BASE + 0x200, guest_ram, 0);   /* 2nd page */
    run_reuse_case(tb, GUEST_BASE + 0xff6, GUEST_BASE + 0x200, guest_ram, 1);   /* crossing */
    /* the third load misses; its C call maps page 0 onto page 1's RAM */
    tlb_fast_entry(&env.cpu, 0, GUEST_BASE + 2 * TLB_PAGE_SIZE)->addr_read = ~0ull;
    remap_on_load = true;
    run_reuse_case(tb, GUEST_BASE + 0x100, GUEST_BASE + 2 * TLB_PAGE_SIZE,
                   guest_ram + TLB_PAGE_SIZE, 1);
    assert_false(remap_on_load);
    tlb_fill_all(true);
}

/* Stores (32-bit addresses) and loads from 64-bit addresses off one global after the
 * first compare their page with the tag of the TLB entry that access found (ldst.c, "TLB
 * entry reuse"): same page, next page, a page-crossing store, and a miss whose C call
 * moves the TLB tables (a store after it must not use the old entry). */
static void store_to(TCGTemp *val, TCGTemp *addr)
{
    TCGArg args[4] = { temp_arg(val), temp_arg(addr), MO_LEUL, 0 };
    tcg_emit_op(INDEX_op_qemu_st_i64, 4, args);
}

static TCGTemp *addr64_of(TCGTemp *base, int64_t ofs)
{
    TCGTemp *a = tcg_temp_new_internal(TCG_TYPE_I64, TEMP_EBB);
    tcg_gen_addi_i64(I64(a), I64(base), ofs);
    return a;
}

static void run_entry_case(const uint8_t *tb, uint64_t base0, uint64_t base1,
                           uint8_t *ram_last, unsigned want_slow)
{
    unsigned before = slow_stores;
    uint8_t *p[3] = { guest_ptr(base0, 4), guest_ptr(base0 + 8, 4), ram_last };
    env.in[0] = base0;
    env.in[1] = base1;
    env.in[2] = rnd();
    run(tb);
    assert_int_equal(slow_stores - before, want_slow);
    for (int k = 0; k < 3; k++) {
        assert_int_equal(raw_le(p[k], 4), (uint32_t)(env.in[2] + k));
    }
    assert_int_equal(env.out[1], raw_le(guest_ptr(base0 + 4, 4), 4));
    assert_int_equal(env.out[2], raw_le(guest_ptr(base0 + 12, 4), 4));
}

static void test_store_tlb_entry_reuse(void **state)
{
    static const uint8_t mov_r10_entry[] = { 0x4c, 0x8b, 0x54, 0x24, X86_FRAME_REUSE_ENTRY };
    TCGTemp *v[3];
    tcg_gen_insn_start(0x1000, 0, 0);
    for (int k = 0; k < 3; k++) {
        v[k] = tcg_temp_new_internal(TCG_TYPE_I64, TEMP_TB);
        tcg_gen_addi_i64(I64(v[k]), I64(gin[1][2]), k);
    }
    store_to(v[0], addr32_of(gin[1][0], 0));            /* full lookup, saves the entry */
    load_from(gout[1][1], addr64_of(gin[1][0], 4));     /* 64-bit address: reuses it */
    store_to(v[1], addr32_of(gin[1][0], 8));            /* reuses it */
    load_from(gout[1][2], addr64_of(gin[1][0], 12));    /* reuses it */
    load_from(gout[1][0], addr32_of(gin[1][1], 0));     /* a 32-bit load, another global */
    store_to(v[2], addr32_of(gin[1][0], 16));           /* reuses the entry */
    tcg_gen_exit_tb(0);
    const uint8_t *tb = translate();
    assert_int_equal(count_bytes(tb, last_tb_size, mov_r10_entry, sizeof(mov_r10_entry)), 4);
    tlb_fill_all(true);
    run_entry_case(tb, GUEST_BASE + 0x100, GUEST_BASE + 0x200,
                   guest_ptr(GUEST_BASE + 0x110, 4), 0);
    run_entry_case(tb, GUEST_BASE + 0xff4, GUEST_BASE + 0x200,          /* 2nd page */
                   guest_ptr(GUEST_BASE + 0x1004, 4), 0);
    run_entry_case(tb, GUEST_BASE + 0xff6, GUEST_BASE + 0x200,          /* crossing */
                   guest_ptr(GUEST_BASE + 0x1006, 4), 1);
    /* the load off in[1] misses; its C call moves the TLB, mapping page 0 to page 1's RAM */
    tlb_fast_entry(&env.cpu, 0, GUEST_BASE + 2 * TLB_PAGE_SIZE)->addr_read = ~0ull;
    move_tlb_on_load = true;
    run_entry_case(tb, GUEST_BASE + 0x100, GUEST_BASE + 2 * TLB_PAGE_SIZE,
                   guest_ram + TLB_PAGE_SIZE + 0x110, 0);
    assert_false(move_tlb_on_load);
    runtime_point_tlb();
    tlb_fill_all(true);
}

/* A global given a value that is not its old one plus a constant (a pointer loaded from
 * memory) ends the reuse of the entry and of the page words for accesses off it: those
 * are likely on another page (a failed check costs more than the full lookup). A copy
 * of the old value plus a constant (x86 PUSH: mov esp, esp - 4) keeps it. */
static void test_reuse_stops_at_reloaded_key(void **state)
{
    static const uint8_t mov_r10_entry[] = { 0x4c, 0x8b, 0x54, 0x24, X86_FRAME_REUSE_ENTRY };
    static const uint8_t sub_r11_slot[] = { 0x4c, 0x2b, 0x5c, 0x24, X86_FRAME_REUSE_PAGE };
    TCGTemp *sum = tcg_temp_new_internal(TCG_TYPE_I64, TEMP_EBB);
    tcg_gen_insn_start(0x1000, 0, 0);
    store_to(gin[1][2], addr32_of(gin[1][0], 0));
    load_from(gout[1][0], addr32_of(gin[1][0], 8));
    tcg_gen_addi_i64(I64(sum), I64(gin[1][0]), -4);     /* in[0] -= 4 through a copy */
    tcg_gen_ext32u_i64(I64(sum), I64(sum));
    tcg_gen_mov_i64(I64(gin[1][0]), I64(sum));
    store_to(gin[1][2], addr32_of(gin[1][0], 4));       /* reuses the entry */
    load_from(gout[1][1], addr32_of(gin[1][0], 12));    /* reuses the page */
    load_from(gin[1][0], addr32_of(gin[1][0], 16));     /* reuses it; in[0] = [in[0] + 16] */
    store_to(gin[1][2], addr32_of(gin[1][0], 0));       /* ... so a full lookup */
    load_from(gout[1][2], addr32_of(gin[1][0], 8));     /* full lookup */
    tcg_gen_exit_tb(0);
    const uint8_t *tb = translate();
    assert_int_equal(count_bytes(tb, last_tb_size, mov_r10_entry, sizeof(mov_r10_entry)), 1);
    assert_int_equal(count_bytes(tb, last_tb_size, sub_r11_slot, sizeof(sub_r11_slot)), 2);
    tlb_fill_all(true);
    uint64_t next = GUEST_BASE + 2 * TLB_PAGE_SIZE + 0x20;
    memcpy(guest_ptr(GUEST_BASE + 0x110, 4), &next, 4);
    env.in[0] = GUEST_BASE + 0x104;
    env.in[2] = 0x12345678;
    run(tb);
    assert_int_equal(env.in[0], next);
    assert_int_equal(raw_le(guest_ptr(GUEST_BASE + 0x104, 4), 4), 0x12345678);
    assert_int_equal(raw_le(guest_ptr(next, 4), 4), 0x12345678);
    assert_int_equal(env.out[1], raw_le(guest_ptr(GUEST_BASE + 0x10c, 4), 4));
    assert_int_equal(env.out[2], raw_le(guest_ptr(next + 8, 4), 4));
}

/* A read-modify-write (x86 `add [esp + 0x18], esi`): the store uses the address the load
 * computed a few ops before, and the load saves its TLB entry for it (entry check, no
 * second full lookup). */
static void test_read_modify_write_entry(void **state)
{
    static const uint8_t mov_r10_entry[] = { 0x4c, 0x8b, 0x54, 0x24, X86_FRAME_REUSE_ENTRY };
    TCGTemp *a = addr32_of(gin[1][0], 0x18), *v = tcg_temp_new_internal(TCG_TYPE_I64, TEMP_EBB);
    tcg_gen_insn_start(0x1000, 0, 0);
    load_from(v, a);
    tcg_gen_add_i64(I64(v), I64(v), I64(gin[1][2]));
    store_to(v, a);
    tcg_gen_exit_tb(0);
    const uint8_t *tb = translate();
    assert_int_equal(count_bytes(tb, last_tb_size, mov_r10_entry, sizeof(mov_r10_entry)), 1);
    tlb_fill_all(true);
    for (uint64_t base = GUEST_BASE + 0x100; base <= GUEST_BASE + TLB_PAGE_SIZE + 0x100;
         base += TLB_PAGE_SIZE) {
        uint32_t old = (uint32_t)raw_le(guest_ptr(base + 0x18, 4), 4);
        env.in[0] = base;
        env.in[2] = 5;
        run(tb);
        assert_int_equal(raw_le(guest_ptr(base + 0x18, 4), 4), (uint32_t)(old + 5));
    }
}

/* ---- chaining -------------------------------------------------------------------- */

static void test_goto_tb_patching(void **state)
{
    tcg_gen_movi_i64(I64(gout[1][0]), 1);
    tcg_gen_goto_tb(0);
    tcg_gen_exit_tb(0x10);
    const uint8_t *tb_a = translate();
    uint32_t jmp_ofs = ctx.tb_jmp_insn_offset[0], reset_ofs = ctx.tb_jmp_reset_offset[0];
    assert_true(ctx.tb_has_goto_tb[0]);
    assert_int_equal(((uintptr_t)tb_a + jmp_ofs) % 4, 0);

    tcg_func_start(&ctx);
    tcg_gen_movi_i64(I64(gout[1][1]), 7);
    tcg_gen_exit_tb(0x20);
    const uint8_t *tb_b = translate();

    ptrdiff_t rw_delta = cb.rw - cb.rx;
    env.out[0] = env.out[1] = 0;
    assert_int_equal(run(tb_a), 0x10);
    assert_int_equal(env.out[1], 0);
    tcg_backend_x86_64.set_jmp_target((uintptr_t)tb_a + jmp_ofs, rw_delta, (uintptr_t)tb_b);
    assert_int_equal(run(tb_a), 0x20);
    assert_int_equal(env.out[0], 1);
    assert_int_equal(env.out[1], 7);
    tcg_backend_x86_64.set_jmp_target((uintptr_t)tb_a + jmp_ofs, rw_delta,
                                      (uintptr_t)tb_a + reset_ofs);
    env.out[1] = 0;
    assert_int_equal(run(tb_a), 0x10);
    assert_int_equal(env.out[1], 0);
}

static void test_lookup_and_goto_ptr(void **state)
{
    tcg_gen_movi_i64(I64(gout[1][1]), 9);
    tcg_gen_exit_tb(0x30);
    const uint8_t *target = translate();
    tcg_func_start(&ctx);
    tcg_gen_movi_i64(I64(gout[1][0]), 3);
    tcg_gen_lookup_and_goto_ptr();
    const uint8_t *tb = translate();
    lookup_result = target;
    env.out[1] = 0;
    assert_int_equal(run(tb), 0x30);
    assert_int_equal(env.out[0], 3);
    assert_int_equal(env.out[1], 9);
    lookup_result = NULL;
    env.out[1] = 0;
    assert_int_equal(run(tb), 0);
    assert_int_equal(env.out[1], 0);
}

/* ---- -d out_asm ------------------------------------------------------------------- */

static void test_out_asm_log(void **state)
{
    char path[64], text[8192];
    snprintf(path, sizeof(path), "/tmp/mimic-out-asm-%d.log", (int)getpid());
    assert_int_equal(log_set_file(path), 0);
    log_mask |= LOG_OUT_ASM;
    tcg_gen_add_i64(I64(gout[1][0]), I64(gin[1][0]), I64(gin[1][1]));
    tcg_gen_exit_tb(0);
    translate();
    log_mask &= ~(unsigned)LOG_OUT_ASM;
    log_flush();
    FILE *f = fopen(path, "r");
    assert_non_null(f);
    size_t n = fread(text, 1, sizeof(text) - 1, f);
    fclose(f);
    unlink(path);
    text[n] = 0;
    assert_non_null(strstr(text, "OUT: [size="));
    if (disas_available()) {
        assert_non_null(strstr(text, "add "));
        assert_non_null(strstr(text, "jmp"));     /* to the shared epilogue */
    } else {
        assert_non_null(strstr(text, ".byte 0x"));
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_brcond_all_conditions, each_setup, each_teardown),
        cmocka_unit_test_setup_teardown(test_loop_with_tb_temps, each_setup, each_teardown),
        cmocka_unit_test_setup_teardown(test_brcond_stores_on_taken_edge, each_setup,
                                        each_teardown),
        cmocka_unit_test_setup_teardown(test_values_survive_helper_calls, each_setup,
                                        each_teardown),
        cmocka_unit_test_setup_teardown(test_values_move_to_callee_saved, each_setup,
                                        each_teardown),
        cmocka_unit_test_setup_teardown(test_helper_globals_sync, each_setup, each_teardown),
        cmocka_unit_test_setup_teardown(test_ops_feeding_ext32u, each_setup, each_teardown),
        cmocka_unit_test_setup_teardown(test_register_pressure, each_setup, each_teardown),
        cmocka_unit_test_setup_teardown(test_guest_memory_hit_miss, each_setup, each_teardown),
        cmocka_unit_test_setup_teardown(test_guest_memory_without_tlb, each_setup,
                                        each_teardown),
        cmocka_unit_test_setup_teardown(test_fault_retaddr_maps_to_insn, each_setup,
                                        each_teardown),
        cmocka_unit_test_setup_teardown(test_fault_sees_every_dirty_global, each_setup,
                                        each_teardown),
        cmocka_unit_test_setup_teardown(test_pending_constant_stores, each_setup, each_teardown),
        cmocka_unit_test_setup_teardown(test_pending_constant_at_fault_and_read, each_setup,
                                        each_teardown),
        cmocka_unit_test_setup_teardown(test_label_keeps_moved_global, each_setup,
                                        each_teardown),
        cmocka_unit_test_setup_teardown(test_label_reloads_displaced_global, each_setup,
                                        each_teardown),
        cmocka_unit_test_setup_teardown(test_eviction_keeps_next_read, each_setup,
                                        each_teardown),
        cmocka_unit_test_setup_teardown(test_pending_copy_stores, each_setup, each_teardown),
        cmocka_unit_test_setup_teardown(test_pending_stores_on_taken_edge_only, each_setup,
                                        each_teardown),
        cmocka_unit_test_setup_teardown(test_load_tlb_check_reuse, each_setup, each_teardown),
        cmocka_unit_test_setup_teardown(test_store_tlb_entry_reuse, each_setup, each_teardown),
        cmocka_unit_test_setup_teardown(test_reuse_stops_at_reloaded_key, each_setup,
                                        each_teardown),
        cmocka_unit_test_setup_teardown(test_read_modify_write_entry, each_setup,
                                        each_teardown),
        cmocka_unit_test_setup_teardown(test_goto_tb_patching, each_setup, each_teardown),
        cmocka_unit_test_setup_teardown(test_lookup_and_goto_ptr, each_setup, each_teardown),
        cmocka_unit_test_setup_teardown(test_out_asm_log, each_setup, each_teardown),
    };
    return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
