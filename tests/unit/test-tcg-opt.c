/* The middle end (tcg/optimize.c, tcg/liveness.c, tcg/dump.c): what the optimizer folds,
 * propagates and removes, which global writes liveness deletes and which it keeps for
 * sync points, the liveness annotations, the dump format, and random programs whose
 * optimized and unoptimized forms must leave the same CPU state. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include "tcg-harness.h"
#include "tcg/tcg-internal.h"

static Harness *h;

static void begin(void)
{
    harness_begin(h);
    tcg_gen_insn_start(0x1000, 0, 0);
}

static void optimize(void)
{
    tcg_optimize(h->ctx);
    tcg_liveness(h->ctx);
}

/* Compares the op list (insn_start lines excluded) with the expected lines. */
static void expect_ops(const char *const *want, int n)
{
    char buf[256];
    int k = 0;
    for (int i = 0; i < h->ctx->nb_ops; i++) {
        const TCGOp *op = &h->ctx->ops[i];
        if (op->opc == INDEX_op_insn_start) {
            continue;
        }
        tcg_format_op(h->ctx, op, buf, sizeof(buf));
        if (k >= n || strcmp(buf, want[k]) != 0) {
            tcg_dump_ops(h->ctx, stderr, true);
            fail_msg("op %d: got \"%s\", want \"%s\"", k, buf, k < n ? want[k] : "(end)");
        }
        k++;
    }
    if (k != n) {
        tcg_dump_ops(h->ctx, stderr, true);
        fail_msg("%d ops, want %d", k, n);
    }
}
#define EXPECT_OPS(...) do { \
        static const char *const w_[] = { __VA_ARGS__ }; \
        expect_ops(w_, sizeof(w_) / sizeof(w_[0])); \
    } while (0)

static void test_constant_folding(void **state)
{
    begin();
    TCGv_i32 t = tcg_temp_new_i32();
    tcg_gen_movi_i32(t, 3);
    tcg_gen_addi_i32(t, t, 4);
    tcg_gen_shli_i32(t, t, 2);
    tcg_gen_mov_i32(h->w[0], t);
    TCGv_i64 u = tcg_temp_new_i64(), hi = tcg_temp_new_i64();
    tcg_gen_movi_i64(u, 0xffffffffffffffffull);
    tcg_gen_mulu2_i64(h->x[0], hi, u, u);
    tcg_gen_mov_i64(h->x[1], hi);
    tcg_gen_exit_tb(0);
    optimize();
    EXPECT_OPS("mov_i32 w0,$0x1c", "mov_i64 x0,$0x1", "mov_i64 x1,$0xfffffffffffffffe",
               "exit_tb $0x0");
}

static void test_no_fold_of_undefined_division(void **state)
{
    begin();
    TCGv_i32 t = tcg_temp_new_i32();
    tcg_gen_movi_i32(t, 5);
    tcg_gen_div_i32(h->w[0], t, tcg_constant_i32(0));
    tcg_gen_exit_tb(0);
    optimize();
    EXPECT_OPS("div_i32 w0,$0x5,$0x0", "exit_tb $0x0");
}

static void test_copy_propagation(void **state)
{
    begin();
    TCGv_i32 a = tcg_temp_new_i32(), b = tcg_temp_new_i32();
    tcg_gen_mov_i32(a, h->w[1]);
    tcg_gen_mov_i32(b, a);
    tcg_gen_add_i32(h->w[0], b, a);
    tcg_gen_exit_tb(0);
    optimize();
    EXPECT_OPS("add_i32 w0,w1,w1", "exit_tb $0x0");
}

/* A copy of a global stops being valid when the global is written. */
static void test_copy_invalidated_by_write(void **state)
{
    begin();
    TCGv_i32 a = tcg_temp_new_i32();
    tcg_gen_mov_i32(a, h->w[1]);
    tcg_gen_addi_i32(h->w[1], h->w[1], 1);
    tcg_gen_mov_i32(h->w[0], a);
    tcg_gen_exit_tb(0);
    optimize();
    EXPECT_OPS("mov_i32 tmp0,w1", "add_i32 w1,w1,$0x1", "mov_i32 w0,tmp0", "exit_tb $0x0");
}

/* A global set from a temp: later readers of the temp read the global (the temp dies at
 * the mov, the global keeps the value in a register), until the global is written. */
static void test_temp_reads_its_global(void **state)
{
    begin();
    TCGv_i32 t = tcg_temp_new_i32();
    tcg_gen_add_i32(t, h->w[2], h->w[3]);
    tcg_gen_mov_i32(h->w[1], t);
    tcg_gen_addi_i32(h->w[0], t, 1);
    tcg_gen_addi_i32(h->w[1], h->w[1], 5);
    tcg_gen_mov_i32(h->w[4], t);
    tcg_gen_exit_tb(0);
    optimize();
    EXPECT_OPS("add_i32 tmp0,w2,w3", "mov_i32 w1,tmp0", "add_i32 w0,w1,$0x1",
               "add_i32 w1,w1,$0x5", "mov_i32 w4,tmp0", "exit_tb $0x0");
}

static void test_algebraic_identities(void **state)
{
    begin();
    tcg_gen_addi_i32(h->w[0], h->w[1], 0);
    tcg_gen_muli_i32(h->w[2], h->w[1], 1);
    tcg_gen_andi_i64(h->x[0], h->x[1], 0);
    tcg_gen_xor_i64(h->x[2], h->x[1], h->x[1]);
    tcg_gen_sub_i32(h->w[3], h->w[4], h->w[4]);
    tcg_gen_ori_i64(h->x[3], h->x[1], ~0ull);
    tcg_gen_shli_i64(h->x[4], h->x[1], 64);    /* count mod 64 = 0 */
    tcg_gen_exit_tb(0);
    optimize();
    EXPECT_OPS("mov_i32 w0,w1", "mov_i32 w2,w1", "mov_i64 x0,$0x0", "mov_i64 x2,$0x0",
               "mov_i32 w3,$0x0", "mov_i64 x3,$0xffffffffffffffff", "mov_i64 x4,x1",
               "exit_tb $0x0");
}

/* Writes to a global overwritten before any sync point vanish: the lazy condition-code
 * pattern (cc_dst/cc_src written by each instruction, read by none). */
static void test_dead_global_writes_removed(void **state)
{
    TCGv_i32 cc_dst = h->w[8], cc_src = h->w[9];
    begin();
    tcg_gen_add_i32(h->w[0], h->w[0], h->w[1]);
    tcg_gen_mov_i32(cc_dst, h->w[0]);
    tcg_gen_mov_i32(cc_src, h->w[1]);
    tcg_gen_insn_start(0x1002, 0, 0);
    tcg_gen_sub_i32(h->w[2], h->w[2], h->w[3]);
    tcg_gen_mov_i32(cc_dst, h->w[2]);
    tcg_gen_mov_i32(cc_src, h->w[3]);
    tcg_gen_exit_tb(0);
    optimize();
    EXPECT_OPS("add_i32 w0,w0,w1", "sub_i32 w2,w2,w3", "mov_i32 w8,w2", "mov_i32 w9,w3",
               "exit_tb $0x0");
}

/* ...but not when a sync point (helper reading globals, a load that may fault, a
 * branch) lies between the write and the overwrite. */
static void helper_nop(void *env) { (void)env; }
static const TCGHelperInfo info_reads = {
    .name = "reads", .func = (void *)helper_nop, .flags = TCG_CALL_NO_WG,
    .ret_type = TCG_TYPE_VOID, .nb_args = 1, .arg_types = { TCG_TYPE_PTR },
};
static const TCGHelperInfo info_pure = {
    .name = "pure", .func = (void *)helper_nop, .flags = TCG_CALL_NO_RWG,
    .ret_type = TCG_TYPE_VOID, .nb_args = 1, .arg_types = { TCG_TYPE_PTR },
};

static int ops_after_opt_with(int sync_kind)
{
    begin();
    tcg_gen_add_i32(h->w[0], h->w[1], h->w[2]);
    TCGTemp *a[1] = { tcgv_ptr_temp(tcg_env) };
    TCGLabel *l = gen_new_label();
    switch (sync_kind) {
    case 0: break;
    case 1: tcg_gen_callN(&info_reads, NULL, a); break;
    case 2: tcg_gen_callN(&info_pure, NULL, a); break;
    case 3: tcg_gen_qemu_ld_i32(h->w[5], tcgv_temp(h->x[1]), 0, MO_UB); break;
    case 4:             /* a path that leaves the TB before the overwrite */
    case 5:             /* every path overwrites it */
        tcg_gen_brcondi_i32(TCG_COND_EQ, h->w[6], 0, l);
        if (sync_kind == 5) {
            gen_set_label(l);
        }
        break;
    }
    tcg_gen_mov_i32(h->w[0], h->w[3]);
    tcg_gen_exit_tb(0);
    if (sync_kind == 4) {
        gen_set_label(l);
        tcg_gen_exit_tb(0);
    }
    optimize();
    for (int i = 0; i < h->ctx->nb_ops; i++) {
        if (h->ctx->ops[i].opc == INDEX_op_add_i32) {
            return 1;
        }
    }
    return 0;
}

static void test_sync_points_keep_global_writes(void **state)
{
    assert_int_equal(ops_after_opt_with(0), 0);     /* overwritten: removed */
    assert_int_equal(ops_after_opt_with(1), 1);     /* helper reads globals */
    assert_int_equal(ops_after_opt_with(2), 0);     /* helper does not */
    assert_int_equal(ops_after_opt_with(3), 1);     /* load may fault */
    assert_int_equal(ops_after_opt_with(4), 1);     /* needed in memory at an exit */
    assert_int_equal(ops_after_opt_with(5), 0);     /* overwritten on every path */
}

static void test_dead_temps_removed(void **state)
{
    begin();
    TCGv_i64 t = tcg_temp_new_i64();
    tcg_gen_mul_i64(t, h->x[1], h->x[2]);           /* never read */
    tcg_gen_ld_i64(t, tcg_env, offsetof(HarnessEnv, x[3]));  /* dead host load */
    static const TCGHelperInfo info_sq = {
        .name = "sq", .func = (void *)helper_nop, .flags = TCG_CALL_PURE,
        .ret_type = TCG_TYPE_I64, .nb_args = 1, .arg_types = { TCG_TYPE_I64 },
    };
    TCGTemp *a[1] = { tcgv_i64_temp(h->x[1]) };
    tcg_gen_callN(&info_sq, tcgv_i64_temp(t), a);   /* pure helper, result unused */
    tcg_gen_exit_tb(0);
    optimize();
    EXPECT_OPS("exit_tb $0x0");
}

/* A TB temp no op reads is dead even across a branch, a label and a goto_tb (which
 * needs the others in memory): its write goes; one read after the label stays. */
static void test_unread_tb_temp_removed(void **state)
{
    begin();
    TCGv_i32 u = tcg_temp_new_tb_i32(), r = tcg_temp_new_tb_i32();
    TCGLabel *l = gen_new_label();
    tcg_gen_add_i32(u, h->w[1], h->w[2]);          /* never read */
    tcg_gen_add_i32(r, h->w[1], h->w[3]);
    tcg_gen_brcondi_i32(TCG_COND_EQ, h->w[4], 0, l);
    tcg_gen_movi_i32(h->w[5], 1);
    gen_set_label(l);
    tcg_gen_mov_i32(h->w[6], r);
    tcg_gen_goto_tb(0);
    tcg_gen_exit_tb(0);
    optimize();
    EXPECT_OPS("add_i32 loc1,w1,w3", "brcond_i32 w4,$0x0,eq,$L0", "mov_i32 w5,$0x1",
               "set_label $L0", "mov_i32 w6,loc1", "goto_tb $0x0", "exit_tb $0x0");
}

static void test_branch_folding(void **state)
{
    begin();
    TCGLabel *l1 = gen_new_label(), *l2 = gen_new_label();
    TCGv_i32 t = tcg_temp_new_tb_i32();
    tcg_gen_movi_i32(t, 5);
    tcg_gen_brcondi_i32(TCG_COND_GTU, t, 9, l1);    /* never taken: removed */
    tcg_gen_movi_i32(h->w[0], 1);
    tcg_gen_brcondi_i32(TCG_COND_LT, h->w[1], 0x80000000u, l2);  /* nothing is < INT_MIN... */
    tcg_gen_brcond_i32(TCG_COND_EQ, h->w[1], h->w[1], l2);  /* always: becomes br */
    tcg_gen_movi_i32(h->w[0], 2);                   /* unreachable */
    gen_set_label(l1);                              /* unused after folding */
    tcg_gen_movi_i32(h->w[0], 3);                   /* unreachable */
    gen_set_label(l2);
    tcg_gen_exit_tb(0);
    optimize();
    EXPECT_OPS("mov_i32 w0,$0x1", "brcond_i32 w1,$0x80000000,lt,$L1", "br $L1",
               "set_label $L1", "exit_tb $0x0");
}

/* movcond/brcond testing a setcond result against 0 compare the setcond's operands
 * instead, unless one of them changed in between. */
static void test_test_of_setcond(void **state)
{
    begin();
    TCGLabel *l = gen_new_label();
    TCGv_i32 t = tcg_temp_new_i32(), u = tcg_temp_new_i32();
    tcg_gen_setcond_i32(TCG_COND_LTU, t, h->w[1], h->w[2]);
    tcg_gen_movcond_i32(TCG_COND_NE, h->w[0], t, tcg_constant_i32(0), h->w[3], h->w[4]);
    tcg_gen_movcond_i32(TCG_COND_EQ, h->w[5], t, tcg_constant_i32(0), h->w[3], h->w[4]);
    tcg_gen_brcondi_i32(TCG_COND_EQ, t, 0, l);
    tcg_gen_setcond_i32(TCG_COND_GT, u, h->w[1], h->w[2]);
    tcg_gen_movi_i32(h->w[1], 7);                   /* w1 changes: no fold */
    tcg_gen_movcond_i32(TCG_COND_NE, h->w[6], u, tcg_constant_i32(0), h->w[3], h->w[4]);
    tcg_gen_setcondi_i32(TCG_COND_EQ, h->w[8], h->w[8], 0);   /* operand overwritten */
    tcg_gen_movcond_i32(TCG_COND_NE, h->w[9], h->w[8], tcg_constant_i32(0), h->w[3], h->w[4]);
    gen_set_label(l);
    tcg_gen_exit_tb(0);
    optimize();
    EXPECT_OPS("movcond_i32 w0,w1,w2,w3,w4,ltu", "movcond_i32 w5,w1,w2,w3,w4,geu",
               "brcond_i32 w1,w2,geu,$L0", "setcond_i32 tmp1,w1,w2,gt", "mov_i32 w1,$0x7",
               "movcond_i32 w6,tmp1,$0x0,w3,w4,ne", "setcond_i32 w8,w8,$0x0,eq",
               "movcond_i32 w9,w8,$0x0,w3,w4,ne", "set_label $L0", "exit_tb $0x0");
}

/* The program of the narrowing tests: 64-bit compares of 32-bit extensions of x1/x2
 * (sign) and x4/x5 (zero), with results in x3, x6..x9 and w0 (the brcond's path). */
static void gen_ext32_compares(void)
{
    TCGLabel *l = gen_new_label();
    TCGv_i64 a = tcg_temp_new_i64(), b = tcg_temp_new_i64();
    TCGv_i64 c = tcg_temp_new_i64(), d = tcg_temp_new_i64();
    tcg_gen_ext32s_i64(a, h->x[1]);
    tcg_gen_ext32s_i64(b, h->x[2]);
    tcg_gen_setcond_i64(TCG_COND_LT, h->x[3], a, b);
    tcg_gen_ext32u_i64(c, h->x[4]);
    tcg_gen_ext32u_i64(d, h->x[5]);
    tcg_gen_movcond_i64(TCG_COND_LTU, h->x[6], c, d, c, d);     /* unsigned min */
    tcg_gen_setcond_i64(TCG_COND_LT, h->x[7], c, d);    /* signed on zero-ext: stays 64 */
    tcg_gen_movcond_i64(TCG_COND_GT, h->x[8], a, b, h->x[1], h->x[2]);  /* 64-bit values */
    tcg_gen_setcondi_i64(TCG_COND_LTU, h->x[9], a, (uint64_t)(int64_t)INT32_MIN);
    tcg_gen_movi_i32(h->w[0], 1);
    tcg_gen_brcondi_i64(TCG_COND_GE, a, (uint64_t)(int64_t)INT32_MIN + 1, l);
    tcg_gen_movi_i32(h->w[0], 2);
    gen_set_label(l);
    tcg_gen_exit_tb(0x5a);
}

/* brcond/setcond/movcond_i64 of two 32-bit extensions (i386/ARM signed compares on a
 * 64-bit TCGv) become _i32 ops on the un-extended values (or 32-bit constants); signed
 * conditions only for sign extensions, movcond only with zero-extended values; an ext
 * op still read elsewhere stays. */
static void test_compare_of_ext32_narrowed(void **state)
{
    begin();
    gen_ext32_compares();
    optimize();
    EXPECT_OPS("ext32s_i64 tmp0,x1", "ext32s_i64 tmp1,x2", "setcond_i32 x3,x1,x2,lt",
               "ext32u_i64 tmp2,x4", "ext32u_i64 tmp3,x5",
               "movcond_i32 x6,x4,x5,tmp2,tmp3,ltu", "setcond_i64 x7,tmp2,tmp3,lt",
               "movcond_i64 x8,tmp0,tmp1,x1,x2,gt", "setcond_i32 x9,x1,$0x80000000,ltu",
               "mov_i32 w0,$0x1", "brcond_i32 x1,$0x80000001,ge,$L0", "mov_i32 w0,$0x2",
               "set_label $L0", "exit_tb $0x5a");
}

/* The narrowed compares give the 64-bit results on every back end, for the 32-bit
 * boundary values with garbage in the high halves of the sources. */
static void test_compare_of_ext32_results(void **state)
{
    static const uint32_t vals[] = { 0, 1, 0x7fffffff, 0x80000000, 0x80000001, 0xffffffff,
                                     0xfffffffe, 0x12345678 };
    static const uint64_t highs[] = { 0, 0xffffffff00000000ull, 0xdeadbeef00000000ull };
    static HarnessEnv e;
    begin();
    gen_ext32_compares();
    harness_save(h);
    harness_flush(h);
    const size_t nv = sizeof(vals) / sizeof(vals[0]);
    for (int be = 0; be < harness_nb_backends(); be++) {
        for (int opt = 0; opt < 2; opt++) {
            const void *tb = harness_compile(h, harness_backend(be), opt);
            assert_non_null(tb);
            for (size_t i = 0; i < nv * nv * 3; i++) {
                uint32_t va = vals[i % nv], vb = vals[i / nv % nv];
                int32_t sa = (int32_t)va, sb = (int32_t)vb;
                uint64_t ha = highs[i / (nv * nv)], hb = highs[(i / (nv * nv) + 1) % 3];
                harness_env_init(h, &e);
                e.x[1] = ha | va; e.x[2] = hb | vb; e.x[4] = hb | va; e.x[5] = ha | vb;
                assert_int_equal(harness_exec(h, harness_backend(be), tb, &e), 0x5a);
                assert_int_equal(e.x[3], sa < sb);
                assert_int_equal(e.x[6], va < vb ? va : vb);
                assert_int_equal(e.x[7], va < vb);
                assert_int_equal(e.x[8], sa > sb ? ha | va : hb | vb);
                assert_int_equal(e.x[9], (uint64_t)(int64_t)sa < (uint64_t)(int64_t)INT32_MIN);
                assert_int_equal(e.w[0], sa >= INT32_MIN + 1 ? 1 : 2);
            }
        }
    }
}

/* Facts about globals survive the fall-through of a brcond, not a label. */
static void test_facts_across_brcond(void **state)
{
    begin();
    TCGLabel *l = gen_new_label();
    tcg_gen_movi_i32(h->w[0], 5);
    tcg_gen_brcondi_i32(TCG_COND_EQ, h->w[1], 0, l);
    tcg_gen_addi_i32(h->w[2], h->w[0], 1);     /* w0 is still 5 here: folded */
    gen_set_label(l);
    tcg_gen_addi_i32(h->w[3], h->w[0], 1);     /* reached from the branch too: kept */
    tcg_gen_exit_tb(0);
    optimize();
    EXPECT_OPS("mov_i32 w0,$0x5", "brcond_i32 w1,$0x0,eq,$L0", "mov_i32 w2,$0x6",
               "set_label $L0", "add_i32 w3,w0,$0x1", "exit_tb $0x0");
}

/* The resets are lazy (a temp's facts are dropped when it is next looked at): what each
 * reset drops, and that a fact learnt after a reset is not dropped by that reset. */
static void test_lazy_reset_scopes(void **state)
{
    begin();
    TCGLabel *l = gen_new_label(), *l2 = gen_new_label();
    TCGv_i32 e = tcg_temp_new_i32(), tb = tcg_temp_new_tb_i32();
    TCGTemp *a[1] = { tcgv_ptr_temp(tcg_env) };
    tcg_gen_add_i32(e, h->w[1], h->w[2]);
    tcg_gen_mov_i32(h->w[0], e);               /* w0 is a copy of the EBB temp e */
    tcg_gen_movi_i32(tb, 7);
    tcg_gen_movi_i32(h->w[4], 9);
    tcg_gen_brcondi_i32(TCG_COND_EQ, h->w[3], 0, l);
    tcg_gen_mov_i32(h->w[5], h->w[0]);         /* e is dead here: not replaced by e */
    tcg_gen_addi_i32(h->w[6], tb, 1);          /* TB temp: still 7, folded */
    tcg_gen_addi_i32(h->w[7], h->w[4], 1);     /* global: still 9, folded */
    tcg_gen_callN(&info_reads, NULL, a);       /* may not write globals: w4 still 9 */
    tcg_gen_addi_i32(h->w[8], h->w[4], 2);
    tcg_gen_movi_i32(h->w[4], 3);              /* learnt after the resets above */
    tcg_gen_brcondi_i32(TCG_COND_EQ, h->w[3], 1, l2);
    tcg_gen_addi_i32(h->w[9], h->w[4], 1);     /* 3 + 1 */
    gen_set_label(l2);
    tcg_gen_addi_i32(h->w[10], tb, 1);         /* after a label nothing is known */
    gen_set_label(l);
    tcg_gen_exit_tb(0);
    optimize();
    EXPECT_OPS("add_i32 tmp0,w1,w2", "mov_i32 w0,tmp0", "mov_i32 loc1,$0x7",
               "mov_i32 w4,$0x9", "brcond_i32 w3,$0x0,eq,$L0", "mov_i32 w5,w0",
               "mov_i32 w6,$0x8", "mov_i32 w7,$0xa", "call reads,$0x2,$0,env",
               "mov_i32 w8,$0xb", "mov_i32 w4,$0x3", "brcond_i32 w3,$0x1,eq,$L1",
               "mov_i32 w9,$0x4", "set_label $L1", "add_i32 w10,loc1,$0x1",
               "set_label $L0", "exit_tb $0x0");
}

/* What the optimizer learnt in one TB is unknown in the next (the facts of the temps are
 * not cleared per TB: they predate the new pass's clock), also when its clock wraps. */
static void test_facts_do_not_outlive_the_tb(void **state)
{
    for (int wrap = 0; wrap < 2; wrap++) {
        begin();
        TCGv_i32 e = tcg_temp_new_i32();
        tcg_gen_movi_i32(h->w[4], 9);
        tcg_gen_add_i32(e, h->w[1], h->w[2]);
        tcg_gen_mov_i32(h->w[0], e);           /* e reads w0 from here on */
        tcg_gen_mov_i32(h->w[3], h->w[1]);     /* w3 is a copy of w1 */
        tcg_gen_exit_tb(0);
        optimize();
        if (wrap) {
            h->ctx->opt_clock = UINT32_MAX / 2 + 1;
        }
        begin();
        tcg_gen_addi_i32(h->w[7], h->w[4], 1);
        tcg_gen_mov_i32(h->w[5], h->w[0]);
        tcg_gen_add_i32(h->w[6], h->w[3], h->w[3]);
        tcg_gen_exit_tb(0);
        optimize();
        EXPECT_OPS("add_i32 w7,w4,$0x1", "mov_i32 w5,w0", "add_i32 w6,w3,w3",
                   "exit_tb $0x0");
    }
}

static const TCGHelperInfo info_writes = {
    .name = "writes", .func = (void *)helper_nop, .flags = 0,
    .ret_type = TCG_TYPE_VOID, .nb_args = 1, .arg_types = { TCG_TYPE_PTR },
};

/* A call that may write globals drops their facts (and copies of them), not those of
 * temps; a temp written again after a reset keeps its new facts. */
static void test_lazy_reset_after_call(void **state)
{
    begin();
    TCGv_i32 t = tcg_temp_new_i32(), c = tcg_temp_new_i32();
    TCGTemp *a[1] = { tcgv_ptr_temp(tcg_env) };
    tcg_gen_movi_i32(h->w[0], 5);
    tcg_gen_movi_i32(t, 6);
    tcg_gen_mov_i32(c, h->w[1]);               /* c is a copy of the global w1 */
    tcg_gen_callN(&info_writes, NULL, a);
    tcg_gen_addi_i32(h->w[2], h->w[0], 1);     /* w0 may have changed: kept */
    tcg_gen_addi_i32(h->w[3], t, 1);           /* t is still 6 */
    tcg_gen_mov_i32(h->w[4], c);               /* c's source changed: not w1 */
    tcg_gen_movi_i32(h->w[0], 8);
    tcg_gen_addi_i32(h->w[5], h->w[0], 1);     /* learnt after the call: 9 */
    tcg_gen_exit_tb(0);
    optimize();
    EXPECT_OPS("mov_i32 w0,$0x5", "mov_i32 tmp1,w1", "call writes,$0x0,$0,env",
               "add_i32 w2,w0,$0x1", "mov_i32 w3,$0x7", "mov_i32 w4,tmp1",
               "mov_i32 w0,$0x8", "mov_i32 w5,$0x9", "exit_tb $0x0");
}

/* Known bits: masks and extensions that cannot change their input disappear (x86 8/16-bit
 * operations, ARM flag bits), the others stay. */
static void test_known_bits(void **state)
{
    begin();
    TCGv_i32 b = tcg_temp_new_i32(), s = tcg_temp_new_i32(), f = tcg_temp_new_i32();
    tcg_gen_qemu_ld_i32(b, tcgv_temp(h->x[1]), 0, MO_UB);
    tcg_gen_ext8u_i32(h->w[0], b);                  /* already zero-extended */
    tcg_gen_andi_i32(h->w[1], b, 0xff);             /* mask covers every possible bit */
    tcg_gen_andi_i32(h->w[2], b, 0x0f);             /* kept: bits 4-7 may be set */
    tcg_gen_ext16s_i32(h->w[3], b);                 /* 0..255 is its own sign extension */
    tcg_gen_ext8s_i32(h->w[4], b);                  /* kept: bit 7 may be set */
    tcg_gen_ext8s_i32(s, h->w[5]);
    tcg_gen_ext16s_i32(h->w[6], s);                 /* already sign-extended from 8 bits */
    tcg_gen_setcond_i32(TCG_COND_LT, f, h->w[7], h->w[8]);
    tcg_gen_andi_i32(h->w[9], f, 1);                /* a flag is 0 or 1 */
    tcg_gen_shri_i32(h->w[10], f, 1);               /* ... so this is 0 */
    tcg_gen_andi_i32(h->w[11], f, 2);               /* and this too */
    TCGv_i64 z = tcg_temp_new_i64();
    tcg_gen_extu_i32_i64(z, h->w[12]);
    tcg_gen_ext32u_i64(h->x[0], z);                 /* zero-extended already */
    tcg_gen_exit_tb(0);
    optimize();
    /* (once w0 holds the loaded byte, later readers of the temp read w0: note_mov) */
    EXPECT_OPS("qemu_ld_i32 tmp0,x1,leub,mmu0", "mov_i32 w0,tmp0", "mov_i32 w1,w0",
               "and_i32 w2,w0,$0xf", "mov_i32 w3,w0", "ext8s_i32 w4,w0",
               "ext8s_i32 tmp1,w5", "mov_i32 w6,tmp1", "setcond_i32 tmp2,w7,w8,lt",
               "mov_i32 w9,tmp2", "mov_i32 w10,$0x0", "mov_i32 w11,$0x0",
               "extu_i32_i64 tmp7,w12", "mov_i64 x0,tmp7", "exit_tb $0x0");
}

/* Known-one bits: an or that sets bits already set, an and with bits known to be one
 * wherever the other input may be, and results whose every bit is known, fold; an xor
 * keeps what is known on both sides; a bit that may be 0 keeps the op. */
static void test_known_one_bits(void **state)
{
    begin();
    TCGv_i32 t = tcg_temp_new_i32(), u = tcg_temp_new_i32(), b = tcg_temp_new_i32();
    tcg_gen_ori_i32(t, h->w[0], 0x81);              /* bits 0 and 7 known one */
    tcg_gen_ori_i32(h->w[1], t, 0x80);              /* already set: a move */
    tcg_gen_andi_i32(h->w[2], t, 0x81);             /* every bit known: 0x81 */
    tcg_gen_andi_i32(h->w[3], t, 0x83);             /* kept: bit 1 may be 0 */
    tcg_gen_xori_i32(u, t, 0x1);                    /* bit 0 known 0, bit 7 known 1 */
    tcg_gen_andi_i32(h->w[4], u, 0x81);             /* so this is 0x80 */
    tcg_gen_qemu_ld_i32(b, tcgv_temp(h->x[1]), 0, MO_UB);
    tcg_gen_ori_i32(u, b, 0xff);                    /* a byte or 0xff: 0xff */
    tcg_gen_and_i32(h->w[5], b, u);                 /* u is one wherever b may be: b */
    tcg_gen_shli_i32(u, t, 4);                      /* bits 4 and 11 known one */
    tcg_gen_andi_i32(h->w[6], u, 0x810);            /* 0x810 */
    tcg_gen_exit_tb(0);
    optimize();
    EXPECT_OPS("or_i32 tmp0,w0,$0x81", "mov_i32 w1,tmp0", "mov_i32 w2,$0x81",
               "and_i32 w3,w1,$0x83", "mov_i32 w4,$0x80",
               "qemu_ld_i32 tmp2,x1,leub,mmu0", "mov_i32 w5,tmp2", "mov_i32 w6,$0x810",
               "exit_tb $0x0");
}

/* A deposit at bit 0 of a value that fits the field into a value zero outside it is
 * that value (x86 SETcc into a register cleared before: deposit(0, setcond, 0, 8)). */
/* tcg_bits_dep is what the optimizer trusts to skip the inputs' bits: for every op, with
 * random known bits in and a constant or not as input 1, an op "of nothing" has unknown
 * output bits and no simplification, an op "of its opcode" the same output bits whatever
 * its inputs and no simplification. */
static void test_bits_dep_matches_bits(void **state)
{
    HarnessRng r;
    harness_rng_init(&r, 0x1234567);
    for (int opc = 0; opc < NB_OPS; opc++) {
        const TCGOpDef *def = &tcg_op_defs[opc];
        TCGBitsDep dep = tcg_bits_dep((TCGOpcode)opc);
        if (def->nb_oargs != 1 || dep == TCG_BITS_OF_INPUTS) {
            continue;
        }
        bool is64 = (def->flags & TCG_OPF_64BIT) != 0;
        TCGArg cargs[4] = { MO_8, 8, 0, 0 };
        TCGBits first = { 0 };
        for (int k = 0; k < 200; k++) {
            TCGBits in[6];
            uint64_t v = harness_rand(&r), m = is64 ? ~0ull : 0xffffffffull;
            for (int i = 0; i < 6; i++) {
                uint64_t z = harness_rand(&r) & m;
                in[i] = (TCGBits){ .z = z, .o = z & harness_rand(&r), .sext = is64 ? 64 : 32 };
            }
            const uint64_t *vb = k & 1 ? &v : NULL;
            TCGBits out = tcg_bits_output((TCGOpcode)opc, in, vb, cargs, is64);
            assert_int_equal(tcg_bits_simplify((TCGOpcode)opc, in, vb, cargs, is64), -1);
            TCGBits want = dep == TCG_BITS_OF_NOTHING ? tcg_bits_unknown(is64) :
                           k ? first : out;
            if (out.z != want.z || out.o != want.o || out.sext != want.sext) {
                fail_msg("%s: the output bits depend on more than tcg_bits_dep says",
                         def->name);
            }
            first = out;
        }
    }
}

static void test_deposit_of_fitting_value(void **state)
{
    begin();
    TCGv_i32 f = tcg_temp_new_i32(), b = tcg_temp_new_i32();
    TCGv_i32 zero = tcg_constant_i32(0);
    tcg_gen_setcond_i32(TCG_COND_LTU, f, h->w[7], h->w[8]);
    tcg_gen_deposit_i32(h->w[0], zero, f, 0, 8);        /* the flag itself */
    tcg_gen_deposit_i32(h->w[1], h->w[2], f, 0, 8);     /* kept: w2 may have bits 8-31 */
    tcg_gen_deposit_i32(h->w[3], zero, f, 1, 8);        /* kept: the field is not at 0 */
    tcg_gen_qemu_ld_i32(b, tcgv_temp(h->x[1]), 0, MO_UB);
    tcg_gen_deposit_i32(h->w[4], zero, b, 0, 4);        /* kept: a byte is wider than 4 */
    tcg_gen_deposit_i32(h->w[5], zero, b, 0, 16);       /* the byte itself */
    tcg_gen_exit_tb(0);
    optimize();
    EXPECT_OPS("setcond_i32 tmp0,w7,w8,ltu", "mov_i32 w0,tmp0",
               "deposit_i32 w1,w2,w0,$0x0,$0x8", "deposit_i32 w3,$0x0,w0,$0x1,$0x8",
               "qemu_ld_i32 tmp1,x1,leub,mmu0", "deposit_i32 w4,$0x0,tmp1,$0x0,$0x4",
               "mov_i32 w5,tmp1", "exit_tb $0x0");
}

static void test_br_to_next_label_removed(void **state)
{
    begin();
    TCGLabel *l = gen_new_label();
    tcg_gen_movi_i32(h->w[0], 1);
    tcg_gen_br(l);
    gen_set_label(l);
    tcg_gen_addi_i32(h->w[0], h->w[0], 1);
    tcg_gen_exit_tb(0);
    optimize();
    EXPECT_OPS("mov_i32 w0,$0x2", "exit_tb $0x0");
}

/* Liveness annotations: inputs die at their last use, global outputs are synced. */
static void test_liveness_annotations(void **state)
{
    begin();
    TCGv_i32 t = tcg_temp_new_i32();
    tcg_gen_add_i32(t, h->w[1], h->w[2]);
    tcg_gen_xor_i32(h->w[0], t, h->w[1]);
    tcg_gen_exit_tb(0);
    optimize();
    const TCGOp *add = &h->ctx->ops[1], *xor = &h->ctx->ops[2];
    assert_int_equal(add->opc, INDEX_op_add_i32);
    assert_int_equal(xor->opc, INDEX_op_xor_i32);
    assert_false(IS_DEAD_ARG(add->life, 0));        /* t read by xor */
    assert_false(IS_DEAD_ARG(add->life, 1));        /* w1 read again by xor */
    assert_true(IS_DEAD_ARG(add->life, 2));         /* w2 not read again */
    assert_true(IS_DEAD_ARG(xor->life, 1));         /* t dies */
    assert_true(IS_DEAD_ARG(xor->life, 2));         /* w1's register copy dies */
    assert_true(NEED_SYNC_ARG(xor->life, 0));       /* w0 must reach memory */
    assert_false(NEED_SYNC_ARG(add->life, 0));      /* t is a plain temp */
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    tcg_dump_ops(h->ctx, f, true);
    fclose(f);
    assert_non_null(strstr(buf, " ---- 0000000000001000 0000000000000000\n"));
    assert_non_null(strstr(buf, " add_i32 tmp0,w1,w2"));
    assert_non_null(strstr(buf, "  dead: 2\n"));
    assert_non_null(strstr(buf, "  sync: 0  dead: 0 1 2\n"));
    free(buf);
}

/* ---- random programs: every back end, optimized or not, agrees with the plain
 * interpreter ------------------------------------------------------------------------ */

typedef struct Gen {
    HarnessRng *r;
    TCGTemp *tmps[32];      /* ordinary temps written in the current basic block */
    int ntmps;
    int nready;             /* tmps[0..nready) have been written: readable */
    TCGTemp *tb[2][2];      /* TB temps [i32/i64][k], initialized at the start */
} Gen;

static TCGTemp *rand_global(Gen *g, bool is64)
{
    int i = harness_rand(g->r) % 8;
    return is64 ? tcgv_i64_temp(h->x[i]) : tcgv_i32_temp(h->w[i]);
}

static TCGTemp *rand_input(Gen *g, bool is64)
{
    uint64_t v = harness_rand(g->r);
    TCGType ty = is64 ? TCG_TYPE_I64 : TCG_TYPE_I32;
    switch (v % 5) {
    case 0:
        return tcg_constant_internal(ty, harness_rand_interesting(g->r));
    case 1:
        return g->tb[is64][(v >> 8) & 1];
    case 2:
        for (int k = 0; k < g->nready; k++) {
            TCGTemp *t = g->tmps[(k + (v >> 8)) % g->nready];
            if (t->type == ty) {
                return t;
            }
        }
        /* fall through */
    default:
        return rand_global(g, is64);
    }
}

static TCGTemp *rand_output(Gen *g, bool is64)
{
    uint64_t v = harness_rand(g->r);
    if (v % 4 == 0 && g->ntmps < 24) {
        TCGTemp *t = tcg_temp_new_internal(is64 ? TCG_TYPE_I64 : TCG_TYPE_I32, TEMP_EBB);
        g->tmps[g->ntmps++] = t;
        return t;
    }
    if (v % 4 == 1) {
        return g->tb[is64][(v >> 8) & 1];
    }
    return rand_global(g, is64);
}

static const TCGOpcode rand_ops[] = {
    INDEX_op_add_i32, INDEX_op_sub_i32, INDEX_op_mul_i32, INDEX_op_and_i32,
    INDEX_op_or_i32, INDEX_op_xor_i32, INDEX_op_shl_i32, INDEX_op_sar_i32,
    INDEX_op_rotl_i32, INDEX_op_andc_i32, INDEX_op_clz_i32, INDEX_op_divu_i32,
    INDEX_op_add_i64, INDEX_op_sub_i64, INDEX_op_mul_i64, INDEX_op_and_i64,
    INDEX_op_or_i64, INDEX_op_xor_i64, INDEX_op_shr_i64, INDEX_op_rotr_i64,
    INDEX_op_eqv_i64, INDEX_op_ctz_i64, INDEX_op_rem_i64,
    INDEX_op_neg_i32, INDEX_op_not_i64, INDEX_op_ext8s_i32, INDEX_op_ext16u_i64,
    INDEX_op_bswap32_i32, INDEX_op_ctpop_i64, INDEX_op_mov_i32, INDEX_op_mov_i64,
    INDEX_op_setcond_i32, INDEX_op_negsetcond_i64, INDEX_op_movcond_i32,
    INDEX_op_movcond_i64, INDEX_op_deposit_i64, INDEX_op_extract_i32,
    INDEX_op_sextract_i64, INDEX_op_add2_i32, INDEX_op_sub2_i64, INDEX_op_muls2_i64,
    INDEX_op_mulu2_i32, INDEX_op_extrl_i64_i32, INDEX_op_extrh_i64_i32,
    INDEX_op_ext_i32_i64, INDEX_op_extu_i32_i64,
    /* known-bits simplifications */
    INDEX_op_ext8u_i32, INDEX_op_ext8s_i64, INDEX_op_ext16s_i32, INDEX_op_ext32u_i64,
    INDEX_op_ext32s_i64, INDEX_op_shr_i32, INDEX_op_sar_i64, INDEX_op_shl_i64,
    INDEX_op_extract_i64, INDEX_op_sextract_i32, INDEX_op_deposit_i32, INDEX_op_setcond_i64,
};

/* Types of output and inputs of the mixed-width ops. */
static bool op_in64(TCGOpcode opc)
{
    if (opc == INDEX_op_extrl_i64_i32 || opc == INDEX_op_extrh_i64_i32) {
        return true;
    }
    return opc != INDEX_op_ext_i32_i64 && opc != INDEX_op_extu_i32_i64 &&
           (tcg_op_defs[opc].flags & TCG_OPF_64BIT);
}

static bool op_out64(TCGOpcode opc)
{
    return (tcg_op_defs[opc].flags & TCG_OPF_64BIT) != 0;
}

static void gen_const_args(Gen *g, TCGOpcode opc, TCGArg *args, int *n)
{
    const char *name = tcg_op_defs[opc].name;
    if (strstr(name, "setcond") || strstr(name, "movcond")) {
        args[(*n)++] = harness_rand(g->r) % TCG_COND_COUNT;
    } else if (strstr(name, "deposit") || strstr(name, "extract")) {
        unsigned w = op_out64(opc) ? 64 : 32;
        unsigned len = 1 + harness_rand(g->r) % w, pos = harness_rand(g->r) % (w - len + 1);
        args[(*n)++] = pos;
        args[(*n)++] = len;
    }
}

static void gen_random_op(Gen *g)
{
    TCGOpcode opc = rand_ops[harness_rand(g->r) % (sizeof(rand_ops) / sizeof(rand_ops[0]))];
    const TCGOpDef *d = &tcg_op_defs[opc];
    bool in64 = op_in64(opc), out64 = op_out64(opc);
    TCGArg args[TCG_MAX_OP_ARGS];
    int n = 0;
    for (int i = 0; i < d->nb_oargs; i++) {
        args[n++] = temp_arg(rand_output(g, out64));
    }
    if (d->nb_oargs == 2 && args[0] == args[1]) {
        return;     /* two outputs must differ */
    }
    for (int i = 0; i < d->nb_iargs; i++) {
        args[n++] = temp_arg(rand_input(g, in64));
    }
    if (opc == INDEX_op_divu_i32 || opc == INDEX_op_rem_i64) {
        /* an even, nonzero constant divisor: never an undefined division */
        uint64_t k = (harness_rand(g->r) | 2) & ~1ull;
        args[n - 1] = temp_arg(tcg_constant_internal(in64, k));
    }
    gen_const_args(g, opc, args, &n);
    tcg_emit_op(opc, n, args);
}

/* A guest load or store inside the first 4 KiB of guest memory. */
static void gen_random_mem(Gen *g)
{
    static const MemOp mops[] = { MO_UB, MO_SB, MO_LEUW, MO_BESW, MO_LEUL, MO_BEUL, MO_LESL };
    MemOp mop = mops[harness_rand(g->r) % 7];
    bool is64 = harness_rand(g->r) & 1, store = harness_rand(g->r) & 1;
    TCGv_i64 addr = tcg_temp_new_i64();
    tcg_gen_andi_i64(addr, temp_tcgv_i64(rand_input(g, true)), 0xff8);
    if (store) {
        TCGTemp *v = rand_input(g, is64);
        tcg_gen_op4(is64 ? INDEX_op_qemu_st_i64 : INDEX_op_qemu_st_i32, temp_arg(v),
                    temp_arg(tcgv_i64_temp(addr)), mop, 1);
    } else {
        TCGTemp *v = rand_output(g, is64);
        tcg_gen_op4(is64 ? INDEX_op_qemu_ld_i64 : INDEX_op_qemu_ld_i32, temp_arg(v),
                    temp_arg(tcgv_i64_temp(addr)), mop, 1);
    }
}

/* Helpers with each kind of global access. */
static uint32_t helper_rw_globals(void *envp, uint32_t v)
{
    HarnessEnv *e = envp;
    uint32_t old = e->w[v & 7];
    e->w[(v >> 3) & 7] = old * 3 + v;
    e->x[(v >> 6) & 7] += old;
    return old ^ 0x5a5a;
}

static uint64_t helper_read_globals(void *envp, uint64_t v)
{
    HarnessEnv *e = envp;
    return e->x[v & 7] * 7 + e->w[(v >> 3) & 7];
}

static uint64_t helper_pure(uint64_t a, uint64_t b)
{
    return a * 31 + (b ^ (b >> 7));
}

static const TCGHelperInfo info_rw = {
    .name = "rw_globals", .func = (void *)helper_rw_globals, .flags = 0,
    .ret_type = TCG_TYPE_I32, .nb_args = 2, .arg_types = { TCG_TYPE_PTR, TCG_TYPE_I32 },
};
static const TCGHelperInfo info_ro = {
    .name = "read_globals", .func = (void *)helper_read_globals,
    .flags = TCG_CALL_NO_WG | TCG_CALL_NO_SIDE_EFFECTS,
    .ret_type = TCG_TYPE_I64, .nb_args = 2, .arg_types = { TCG_TYPE_PTR, TCG_TYPE_I64 },
};
static const TCGHelperInfo info_pure2 = {
    .name = "pure", .func = (void *)helper_pure, .flags = TCG_CALL_PURE,
    .ret_type = TCG_TYPE_I64, .nb_args = 2, .arg_types = { TCG_TYPE_I64, TCG_TYPE_I64 },
};

static void gen_random_call(Gen *g)
{
    TCGTemp *args[2];
    switch (harness_rand(g->r) % 3) {
    case 0:
        args[0] = tcgv_ptr_temp(tcg_env);
        args[1] = rand_input(g, false);
        tcg_gen_callN(&info_rw, rand_output(g, false), args);
        break;
    case 1:
        args[0] = tcgv_ptr_temp(tcg_env);
        args[1] = rand_input(g, true);
        tcg_gen_callN(&info_ro, rand_output(g, true), args);
        break;
    default:
        args[0] = rand_input(g, true);
        args[1] = rand_input(g, true);
        tcg_gen_callN(&info_pure2, rand_output(g, true), args);
        break;
    }
}

static void gen_random_block(Gen *g, int nops)
{
    for (int i = 0; i < nops; i++) {
        uint64_t v = harness_rand(g->r) % 32;
        if (v == 0) {
            tcg_gen_insn_start(0x1000 + i, i, 0);
        } else if (v < 3) {
            gen_random_mem(g);
        } else if (v < 5) {
            gen_random_call(g);
        } else {
            gen_random_op(g);
        }
        g->nready = g->ntmps;   /* written by the op just emitted */
    }
}

static void gen_random_program(HarnessRng *r)
{
    Gen g = { .r = r };
    begin();
    for (int k = 0; k < 2; k++) {
        g.tb[0][k] = tcg_temp_new_internal(TCG_TYPE_I32, TEMP_TB);
        g.tb[1][k] = tcg_temp_new_internal(TCG_TYPE_I64, TEMP_TB);
        tcg_gen_op2(INDEX_op_mov_i32, temp_arg(g.tb[0][k]), temp_arg(tcgv_i32_temp(h->w[8 + k])));
        tcg_gen_op2(INDEX_op_mov_i64, temp_arg(g.tb[1][k]), temp_arg(tcgv_i64_temp(h->x[8 + k])));
    }
    int nblocks = 1 + harness_rand(r) % 4;
    for (int b = 0; b < nblocks; b++) {
        if (harness_rand(r) % 3 == 0) {
            /* a loop run 1..4 times: a backward branch on a TB temp counter */
            TCGTemp *count = tcg_temp_new_internal(TCG_TYPE_I32, TEMP_TB);
            TCGLabel *top = gen_new_label();
            tcg_gen_op2(INDEX_op_mov_i32, temp_arg(count),
                        temp_arg(tcg_constant_internal(TCG_TYPE_I32, 1 + harness_rand(r) % 4)));
            gen_set_label(top);
            g.ntmps = g.nready = 0;
            gen_random_block(&g, harness_rand(r) % 10);
            tcg_gen_op3(INDEX_op_sub_i32, temp_arg(count), temp_arg(count),
                        temp_arg(tcg_constant_internal(TCG_TYPE_I32, 1)));
            tcg_gen_op4(INDEX_op_brcond_i32, temp_arg(count),
                        temp_arg(tcg_constant_internal(TCG_TYPE_I32, 0)), TCG_COND_NE, top->id);
            g.ntmps = g.nready = 0;
            continue;
        }
        /* a forward branch over a block, on a global or a TB temp */
        TCGLabel *l = gen_new_label();
        bool on_tb = harness_rand(r) & 1;
        TCGTemp *c = on_tb ? g.tb[0][0] : tcgv_i32_temp(h->w[harness_rand(r) % 8]);
        tcg_gen_op4(INDEX_op_brcond_i32, temp_arg(c),
                    temp_arg(tcg_constant_internal(TCG_TYPE_I32, harness_rand_interesting(r))),
                    harness_rand(r) % TCG_COND_COUNT, l->id);
        g.ntmps = g.nready = 0;
        gen_random_block(&g, harness_rand(r) % 12);
        gen_set_label(l);
        g.ntmps = g.nready = 0;
        gen_random_block(&g, harness_rand(r) % 12);
    }
    /* TB temps are dead at the end: make them observable */
    tcg_gen_op2(INDEX_op_mov_i32, temp_arg(tcgv_i32_temp(h->w[10])), temp_arg(g.tb[0][1]));
    tcg_gen_op2(INDEX_op_mov_i64, temp_arg(tcgv_i64_temp(h->x[10])), temp_arg(g.tb[1][1]));
    tcg_gen_exit_tb(0x5a);
    harness_save(h);
}

static void random_env(HarnessRng *r, HarnessEnv *e)
{
    harness_env_init(h, e);
    for (int i = 0; i < HARNESS_NREGS; i++) {
        e->x[i] = harness_rand_interesting(r);
        e->w[i] = harness_rand_interesting(r);
    }
    for (int i = 0; i < 4096; i += 8) {
        uint64_t v = harness_rand(r);
        memcpy(&e->mem[i], &v, 8);
    }
}

static bool same_state(const HarnessEnv *a, const HarnessEnv *b)
{
    return memcmp(a->x, b->x, sizeof(a->x)) == 0 && memcmp(a->w, b->w, sizeof(a->w)) == 0 &&
           memcmp(a->mem, b->mem, 4096) == 0;
}

static void run_random_programs(void)
{
    static HarnessEnv init, ref, got;
    HarnessRng r;
    harness_rng_init(&r, 2024);
    unsigned nprog = harness_nb_cases() / 20;
    const TCGBackend *interp = tcg_backend_find("interp");
    for (unsigned p = 0; p < nprog; p++) {
        gen_random_program(&r);
        harness_flush(h);
        const void *ref_tb = harness_compile(h, interp, false);
        const void *tbs[8][2];
        for (int b = 0; b < harness_nb_backends(); b++) {
            for (int opt = 0; opt < 2; opt++) {
                tbs[b][opt] = harness_compile(h, harness_backend(b), opt);
                assert_non_null(tbs[b][opt]);
            }
        }
        for (int k = 0; k < 4; k++) {
            random_env(&r, &init);
            ref = init;
            assert_int_equal(harness_exec(h, interp, ref_tb, &ref), 0x5a);
            for (int b = 0; b < harness_nb_backends(); b++) {
                for (int opt = 0; opt < 2; opt++) {
                    got = init;
                    assert_int_equal(harness_exec(h, harness_backend(b), tbs[b][opt], &got),
                                     0x5a);
                    if (!same_state(&ref, &got)) {
                        harness_compile(h, interp, false);  /* restores the program */
                        harness_save(h);
                        tcg_dump_ops(h->ctx, stderr, false);
                        fail_msg("program %u on %s (%s): state differs from the plain "
                                 "interpreter", p, harness_backend(b)->name,
                                 opt ? "optimized" : "not optimized");
                    }
                }
            }
        }
    }
}

/* Guest accesses all through the runtime hooks (TLB misses)... */
static void test_random_programs_all_backends_agree(void **state)
{
    h->tlb_hit_ram = false;
    run_random_programs();
}

/* ...and with guest RAM in the soft TLB: a native back end's inline hit path. */
static void test_random_programs_tlb_hits(void **state)
{
    h->tlb_hit_ram = true;
    run_random_programs();
    h->tlb_hit_ram = false;
}

static int setup(void **state)
{
    h = harness_new();
    for (int i = 0; i < harness_nb_backends(); i++) {
        print_message("back end: %s\n", harness_backend(i)->name);
    }
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
        cmocka_unit_test(test_constant_folding),
        cmocka_unit_test(test_no_fold_of_undefined_division),
        cmocka_unit_test(test_copy_propagation),
        cmocka_unit_test(test_copy_invalidated_by_write),
        cmocka_unit_test(test_temp_reads_its_global),
        cmocka_unit_test(test_algebraic_identities),
        cmocka_unit_test(test_dead_global_writes_removed),
        cmocka_unit_test(test_sync_points_keep_global_writes),
        cmocka_unit_test(test_dead_temps_removed),
        cmocka_unit_test(test_unread_tb_temp_removed),
        cmocka_unit_test(test_branch_folding),
        cmocka_unit_test(test_br_to_next_label_removed),
        cmocka_unit_test(test_known_bits),
        cmocka_unit_test(test_known_one_bits),
        cmocka_unit_test(test_bits_dep_matches_bits),
        cmocka_unit_test(test_facts_across_brcond),
        cmocka_unit_test(test_test_of_setcond),
        cmocka_unit_test(test_compare_of_ext32_narrowed),
        cmocka_unit_test(test_compare_of_ext32_results),
        cmocka_unit_test(test_deposit_of_fitting_value),
        cmocka_unit_test(test_lazy_reset_scopes),
        cmocka_unit_test(test_facts_do_not_outlive_the_tb),
        cmocka_unit_test(test_lazy_reset_after_call),
        cmocka_unit_test(test_liveness_annotations),
        cmocka_unit_test(test_random_programs_all_backends_agree),
        cmocka_unit_test(test_random_programs_tlb_hits),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
