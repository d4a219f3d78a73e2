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
    case 4:
        tcg_gen_brcondi_i32(TCG_COND_EQ, h->w[6], 0, l);
        gen_set_label(l);
        break;
    }
    tcg_gen_mov_i32(h->w[0], h->w[3]);
    tcg_gen_exit_tb(0);
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
    assert_int_equal(ops_after_opt_with(4), 1);     /* block end */
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

/* ---- random programs: optimized == unoptimized -------------------------------------- */

static TCGTemp *rand_input(HarnessRng *r, bool is64, TCGTemp **tmps, int ntmps)
{
    uint64_t v = harness_rand(r);
    switch (v % 4) {
    case 0:
        return tcg_constant_internal(is64, harness_rand_interesting(r));
    case 1:
        if (ntmps) {
            TCGTemp *t = tmps[(v >> 8) % ntmps];
            if (t->type == (is64 ? TCG_TYPE_I64 : TCG_TYPE_I32)) {
                return t;
            }
        }
        /* fall through */
    default:
        return is64 ? tcgv_i64_temp(h->x[(v >> 16) % 8]) : tcgv_i32_temp(h->w[(v >> 16) % 8]);
    }
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
    INDEX_op_deposit_i64, INDEX_op_extract_i32, INDEX_op_add2_i32, INDEX_op_muls2_i64,
    INDEX_op_extrl_i64_i32, INDEX_op_ext_i32_i64,
};

/* Types of output and inputs of the mixed-width ops. */
static bool op_in64(TCGOpcode opc)
{
    return opc == INDEX_op_extrl_i64_i32 ||
           (opc != INDEX_op_ext_i32_i64 && (tcg_op_defs[opc].flags & TCG_OPF_64BIT));
}

static bool op_out64(TCGOpcode opc)
{
    return (tcg_op_defs[opc].flags & TCG_OPF_64BIT) != 0;
}

static void gen_random_op(HarnessRng *r, TCGTemp **tmps, int *ntmps)
{
    TCGOpcode opc = rand_ops[harness_rand(r) % (sizeof(rand_ops) / sizeof(rand_ops[0]))];
    const TCGOpDef *d = &tcg_op_defs[opc];
    bool in64 = op_in64(opc), out64 = op_out64(opc);
    TCGArg args[TCG_MAX_OP_ARGS];
    int n = 0;
    for (int i = 0; i < d->nb_oargs; i++) {
        TCGTemp *o;
        uint64_t v = harness_rand(r);
        if (v % 3 == 0 && *ntmps < 24) {
            o = tcg_temp_new_internal(out64, TEMP_EBB);
            tmps[(*ntmps)++] = o;
        } else {
            o = out64 ? tcgv_i64_temp(h->x[(v >> 8) % 8]) : tcgv_i32_temp(h->w[(v >> 8) % 8]);
        }
        args[n++] = temp_arg(o);
    }
    if (d->nb_oargs == 2 && args[0] == args[1]) {
        return;     /* two outputs must differ */
    }
    for (int i = 0; i < d->nb_iargs; i++) {
        args[n++] = temp_arg(rand_input(r, in64, tmps, *ntmps));
    }
    if (opc == INDEX_op_divu_i32 || opc == INDEX_op_rem_i64) {
        /* an even, nonzero constant divisor: never an undefined division */
        uint64_t k = (harness_rand(r) | 2) & ~1ull;
        args[n - 1] = temp_arg(tcg_constant_internal(in64, k));
    }
    if (opc == INDEX_op_setcond_i32 || opc == INDEX_op_negsetcond_i64 ||
        opc == INDEX_op_movcond_i32) {
        args[n++] = harness_rand(r) % TCG_COND_COUNT;
    } else if (opc == INDEX_op_deposit_i64 || opc == INDEX_op_extract_i32) {
        unsigned w = opc == INDEX_op_deposit_i64 ? 64 : 32;
        unsigned len = 1 + harness_rand(r) % w, pos = harness_rand(r) % (w - len + 1);
        args[n++] = pos;
        args[n++] = len;
    }
    tcg_emit_op(opc, n, args);
}

static void gen_random_program(HarnessRng *r)
{
    TCGTemp *tmps[32];
    int ntmps = 0;
    begin();
    int nops = 4 + harness_rand(r) % 40;
    for (int i = 0; i < nops; i++) {
        uint64_t v = harness_rand(r);
        if (v % 16 == 0) {
            tcg_gen_insn_start(0x1000 + i, 0, 0);
            ntmps = 0;      /* keep temps simple: do not reuse across markers */
        } else if (v % 16 == 1) {
            /* a forward branch over a few ops (ordinary temps die at the label) */
            TCGLabel *l = gen_new_label();
            tcg_gen_brcond_i32(harness_rand(r) % TCG_COND_COUNT, h->w[harness_rand(r) % 8],
                               tcg_constant_i32(harness_rand_interesting(r)), l);
            ntmps = 0;
            for (int k = harness_rand(r) % 4; k > 0; k--) {
                gen_random_op(r, tmps, &ntmps);
            }
            gen_set_label(l);
            ntmps = 0;
        } else {
            gen_random_op(r, tmps, &ntmps);
        }
    }
    tcg_gen_exit_tb(0x5a);
    harness_save(h);
}

static void test_random_programs_opt_equals_noopt(void **state)
{
    static HarnessEnv e1, e2;
    HarnessRng r;
    harness_rng_init(&r, 2024);
    unsigned nprog = harness_nb_cases() / 20;
    for (unsigned p = 0; p < nprog; p++) {
        gen_random_program(&r);
        for (int b = 0; b < harness_nb_backends(); b++) {
            const TCGBackend *be = harness_backend(b);
            harness_flush(h);
            const void *plain = harness_compile(h, be, false);
            const void *opt = harness_compile(h, be, true);
            assert_non_null(plain);
            assert_non_null(opt);
            for (int k = 0; k < 8; k++) {
                harness_env_init(h, &e1);
                for (int i = 0; i < 8; i++) {
                    e1.x[i] = harness_rand_interesting(&r);
                    e1.w[i] = harness_rand_interesting(&r);
                }
                memcpy(e2.x, e1.x, sizeof(e1.x));
                memcpy(e2.w, e1.w, sizeof(e1.w));
                harness_env_init(h, &e2);
                memcpy(e2.x, e1.x, sizeof(e1.x));
                memcpy(e2.w, e1.w, sizeof(e1.w));
                assert_int_equal(harness_exec(h, be, plain, &e1), 0x5a);
                assert_int_equal(harness_exec(h, be, opt, &e2), 0x5a);
                if (memcmp(e1.x, e2.x, sizeof(e1.x)) || memcmp(e1.w, e2.w, sizeof(e1.w))) {
                    harness_save(h);
                    tcg_dump_ops(h->ctx, stderr, false);
                    fail_msg("program %u (%s): optimized result differs", p, be->name);
                }
            }
        }
    }
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
        cmocka_unit_test(test_algebraic_identities),
        cmocka_unit_test(test_dead_global_writes_removed),
        cmocka_unit_test(test_sync_points_keep_global_writes),
        cmocka_unit_test(test_dead_temps_removed),
        cmocka_unit_test(test_branch_folding),
        cmocka_unit_test(test_br_to_next_label_removed),
        cmocka_unit_test(test_liveness_annotations),
        cmocka_unit_test(test_random_programs_opt_equals_noopt),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
