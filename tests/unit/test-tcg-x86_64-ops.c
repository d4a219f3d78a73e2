/* Differential tests of the x86-64 back end (tcg/x86_64/): every computational IR op in
 * i32 and i64 form, run as generated host code and through the interpreter back end over
 * boundary and random inputs, both checked against the IR reference semantics
 * (tcg_eval_op); operands come from globals, constants, temps and in-place forms to
 * exercise the allocator; once more with lzcnt/tzcnt/popcnt/movbe treated as absent. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include "system/cpu.h"
#include "tcg/code-buffer.h"
#include "tcg/tcg.h"
#include "tcg/x86_64.h"
#include "tcg/x86_64/backend-x86.h"

typedef struct TestEnv {
    CPUState cpu;           /* accel_state NULL: no soft TLB */
    uint64_t in[6];
    uint64_t out[2];
} TestEnv;

static TCGContext ctx;
static TCGCodeBuffer cb;
static TestEnv env;
static TCGTemp *gin[2][6], *gout[2][2];     /* [is64][k] */
static uint64_t rng = 0x2545f4914f6cdd1dull;
static unsigned cases_per_op = 10000;

static uint64_t rnd(void)
{
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return rng;
}

static const uint64_t edges[] = {
    0, 1, 2, 3, 7, 8, 31, 32, 33, 63, 64, 0x7f, 0x80, 0xff, 0x100, 0x7fff, 0x8000, 0xffff,
    0x7fffffff, 0x80000000, 0xffffffff, 0x100000000ull, 0x7fffffffffffffffull,
    0x8000000000000000ull, 0xfffffffffffffffeull, ~0ull, 0x0123456789abcdefull,
};

/* Boundary values first, then random ones, often shifted to small magnitudes. */
static uint64_t input_value(unsigned i)
{
    uint64_t v;
    if (i < (sizeof(edges) / sizeof(edges[0]))) {
        return edges[i];
    }
    v = rnd();
    switch (rnd() % 4) {
    case 0: return v >> (rnd() & 63);
    case 1: return edges[rnd() % (sizeof(edges) / sizeof(edges[0]))] + (rnd() % 3) - 1;
    case 2: return (uint64_t)(int64_t)(int32_t)v;
    default: return v;
    }
}

static int group_setup(void **state)
{
    const char *long_tests = getenv("MIMIC_LONG_TESTS");
    if (long_tests && strcmp(long_tests, "1") == 0) {
        cases_per_op = 200000;
    }
    tcg_context_init(&ctx, 1, TCG_TYPE_I64);
    tcg_context_set_current(&ctx);
    for (int k = 0; k < 6; k++) {
        intptr_t ofs = offsetof(TestEnv, in) + 8 * k;
        gin[0][k] = tcg_global_mem_new_internal(TCG_TYPE_I32, ofs, "in32");
        gin[1][k] = tcg_global_mem_new_internal(TCG_TYPE_I64, ofs, "in64");
    }
    for (int k = 0; k < 2; k++) {
        intptr_t ofs = offsetof(TestEnv, out) + 8 * k;
        gout[0][k] = tcg_global_mem_new_internal(TCG_TYPE_I32, ofs, "out32");
        gout[1][k] = tcg_global_mem_new_internal(TCG_TYPE_I64, ofs, "out64");
    }
    if (tcg_backend_x86_64.context_init(&ctx) < 0) {
        return -1;
    }
    return tcg_code_buffer_init(&cb, 4 << 20, NULL);
}

static int group_teardown(void **state)
{
    tcg_backend_x86_64.context_destroy(&ctx);
    tcg_context_destroy(&ctx);
    tcg_code_buffer_destroy(&cb);
    return 0;
}

/* Translates the current op list with be; returns the TB's executable address. */
static const void *translate_with(const TCGBackend *be)
{
    if (tcg_code_buffer_avail(&cb) < (64 << 10)) {
        tcg_code_buffer_flush(&cb);
    }
    uint8_t *rw = tcg_code_buffer_next_rw(&cb);
    long n = be->gen_code(&ctx, rw, tcg_code_buffer_rw_to_rx(&cb, rw),
                          tcg_code_buffer_avail(&cb));
    assert_true(n > 0);
    return tcg_code_buffer_commit(&cb, (size_t)n);
}

/* ---- per-op differential test -------------------------------------------------- */

typedef enum OperandMode {
    MODE_GLOBALS,       /* op out, in0, in1...: all globals */
    MODE_CONST_LAST,    /* the last input is a constant temp */
    MODE_TEMPS,         /* inputs copied to EBB temps, result through a temp */
    MODE_IN_PLACE,      /* out == in0 (two-address case) */
    MODE_SAME_INPUTS,   /* every input is the same global */
    NB_MODES
} OperandMode;

static bool input_is64(TCGOpcode opc, int k)
{
    if (opc == INDEX_op_extrl_i64_i32 || opc == INDEX_op_extrh_i64_i32) {
        return true;
    }
    if (opc == INDEX_op_extu_i32_i64 || opc == INDEX_op_ext_i32_i64) {
        return false;
    }
    return (tcg_op_defs[opc].flags & TCG_OPF_64BIT) != 0;
}

static bool output_is64(TCGOpcode opc)
{
    return (tcg_op_defs[opc].flags & TCG_OPF_64BIT) != 0;
}

/* Valid constant args for ops that have them. */
static void pick_cargs(TCGOpcode opc, TCGArg *cargs)
{
    unsigned w = output_is64(opc) ? 64 : 32;
    const char *name = tcg_op_defs[opc].name;
    if (strncmp(name, "setcond", 7) == 0 || strncmp(name, "negsetcond", 10) == 0 ||
        strncmp(name, "movcond", 7) == 0) {
        cargs[0] = rnd() % TCG_COND_COUNT;
    } else {
        unsigned len = 1 + (unsigned)(rnd() % w);
        unsigned pos = (unsigned)(rnd() % (w - len + 1));
        if (rnd() % 4 == 0) {
            static const unsigned lens[] = { 8, 16, 32 };
            len = lens[rnd() % 3];
            len = len > w ? w : len;
            pos = rnd() % 2 ? 0 : w - len;
        }
        cargs[0] = pos;
        cargs[1] = len;
    }
}

static bool is_computational(TCGOpcode opc)
{
    uint64_t in[6] = { 1, 2, 3, 4, 5, 6 }, out[2];
    TCGArg cargs[2] = { TCG_COND_EQ, 1 };
    const TCGOpDef *def = &tcg_op_defs[opc];
    if (def->flags & (TCG_OPF_BB_END | TCG_OPF_SIDE_EFFECTS | TCG_OPF_NOT_PRESENT |
                      TCG_OPF_CALL_CLOBBER)) {
        return false;
    }
    if (strncmp(def->name, "ld", 2) == 0 || strncmp(def->name, "st", 2) == 0) {
        return false;
    }
    return tcg_eval_op(opc, in, cargs, out) > 0;
}

/* Emits "op" with the given mode; returns the temps holding the outputs. */
static void build_op(TCGOpcode opc, OperandMode mode, const TCGArg *cargs,
                     const uint64_t *const_in, TCGTemp **outs)
{
    const TCGOpDef *def = &tcg_op_defs[opc];
    TCGArg args[TCG_MAX_OP_ARGS];
    int n = 0;
    bool o64 = output_is64(opc);
    TCGTemp *ins[6];
    for (int k = 0; k < def->nb_iargs; k++) {
        bool i64 = input_is64(opc, k);
        TCGTemp *g = gin[i64][mode == MODE_SAME_INPUTS ? 0 : k];
        if (mode == MODE_CONST_LAST && k == def->nb_iargs - 1) {
            g = tcg_constant_internal(i64 ? TCG_TYPE_I64 : TCG_TYPE_I32,
                                      i64 ? const_in[k] : (uint32_t)const_in[k]);
        } else if (mode == MODE_TEMPS) {
            TCGTemp *t = tcg_temp_new_internal(i64 ? TCG_TYPE_I64 : TCG_TYPE_I32, TEMP_EBB);
            tcg_gen_op2(i64 ? INDEX_op_mov_i64 : INDEX_op_mov_i32, temp_arg(t), temp_arg(g));
            g = t;
        }
        ins[k] = g;
    }
    for (int k = 0; k < def->nb_oargs; k++) {
        outs[k] = gout[o64][k];
        if (mode == MODE_TEMPS) {
            outs[k] = tcg_temp_new_internal(o64 ? TCG_TYPE_I64 : TCG_TYPE_I32, TEMP_EBB);
        }
        if (mode == MODE_IN_PLACE && k == 0 && input_is64(opc, 0) == o64) {
            /* out0 is the same global as in0: the op reads and overwrites it */
            outs[0] = ins[0];
        }
        args[n++] = temp_arg(outs[k]);
    }
    for (int k = 0; k < def->nb_iargs; k++) {
        args[n++] = temp_arg(ins[k]);
    }
    for (int k = 0; k < def->nb_cargs; k++) {
        args[n++] = cargs[k];
    }
    tcg_emit_op(opc, n, args);
}

/* Result temps -> env.out: a temp result is copied to the output globals. */
static void store_outputs(TCGOpcode opc, TCGTemp **outs, int nout)
{
    bool o64 = output_is64(opc);
    for (int k = 0; k < nout; k++) {
        if (outs[k] != gout[o64][k]) {
            tcg_gen_op2(o64 ? INDEX_op_mov_i64 : INDEX_op_mov_i32, temp_arg(gout[o64][k]),
                        temp_arg(outs[k]));
        }
    }
    tcg_gen_exit_tb(0);
}

static void check_batch(TCGOpcode opc, OperandMode mode, unsigned first, unsigned count)
{
    const TCGOpDef *def = &tcg_op_defs[opc];
    TCGArg cargs[2] = { 0, 0 };
    uint64_t const_in[6], in[6], want[2];
    TCGTemp *outs[2];
    bool o64 = output_is64(opc);
    uint64_t mask = o64 ? ~0ull : 0xffffffffull;

    if (def->nb_cargs) {
        pick_cargs(opc, cargs);
    }
    for (int k = 0; k < 6; k++) {
        const_in[k] = input_value(first + (unsigned)k);
    }
    tcg_func_start(&ctx);
    build_op(opc, mode, cargs, const_in, outs);
    store_outputs(opc, outs, def->nb_oargs);
    tcg_liveness(&ctx);
    const void *tb = translate_with(&tcg_backend_x86_64);
    const void *tb_interp = translate_with(&tcg_backend_interp);

    for (unsigned c = 0; c < count; c++) {
        for (int k = 0; k < 6; k++) {
            in[k] = input_value(first + c + 7 * (unsigned)k);
            if (!input_is64(opc, k)) {
                /* garbage above an i32 value must be ignored */
                env.in[k] = (in[k] & 0xffffffffull) | (rnd() << 32);
                in[k] &= 0xffffffffull;
            } else {
                env.in[k] = in[k];
            }
        }
        if (mode == MODE_CONST_LAST) {
            in[def->nb_iargs - 1] = input_is64(opc, def->nb_iargs - 1)
                                    ? const_in[def->nb_iargs - 1]
                                    : (uint32_t)const_in[def->nb_iargs - 1];
        }
        if (mode == MODE_SAME_INPUTS) {
            for (int k = 1; k < def->nb_iargs; k++) {
                in[k] = input_is64(opc, k) ? env.in[0] : (uint32_t)env.in[0];
            }
        }
        if (tcg_op_is_undefined(opc, in)) {
            continue;
        }
        if (mode == MODE_SAME_INPUTS && tcg_op_is_undefined(opc, in)) {
            continue;
        }
        assert_int_equal(tcg_eval_op(opc, in, cargs, want), def->nb_oargs);
        uint64_t saved_in0 = env.in[0], interp[2];
        env.out[0] = env.out[1] = 0x5a5a5a5a5a5a5a5aull;
        assert_int_equal(tcg_backend_interp.exec(&env, tb_interp), 0);
        interp[0] = env.out[0];
        interp[1] = env.out[1];
        if (mode == MODE_IN_PLACE && outs[0] == gin[o64][0]) {
            interp[0] = env.in[0];
            env.in[0] = saved_in0;
        }
        env.out[0] = env.out[1] = 0x5a5a5a5a5a5a5a5aull;
        assert_int_equal(tcg_backend_x86_64.exec(&env, tb), 0);
        uint64_t got[2] = { env.out[0], env.out[1] };
        if (mode == MODE_IN_PLACE && outs[0] == gin[o64][0]) {
            got[0] = env.in[0];
        }
        for (int k = 0; k < def->nb_oargs; k++) {
            if ((got[k] & mask) != (interp[k] & mask)) {
                fail_msg("%s mode %d: x86_64 %#llx, interpreter %#llx", def->name, mode,
                         (unsigned long long)(got[k] & mask),
                         (unsigned long long)(interp[k] & mask));
            }
            if ((got[k] & mask) != (want[k] & mask)) {
                fail_msg("%s mode %d cargs %llu,%llu: in %#llx %#llx %#llx %#llx: out%d "
                         "got %#llx want %#llx", def->name, mode,
                         (unsigned long long)cargs[0], (unsigned long long)cargs[1],
                         (unsigned long long)in[0], (unsigned long long)in[1],
                         (unsigned long long)in[2], (unsigned long long)in[3], k,
                         (unsigned long long)(got[k] & mask),
                         (unsigned long long)(want[k] & mask));
            }
        }
    }
}

static void test_every_op(void **state)
{
    unsigned tested = 0;
    const unsigned batch = 50;
    for (int opc = 0; opc < NB_OPS; opc++) {
        if (!is_computational((TCGOpcode)opc)) {
            continue;
        }
        for (unsigned first = 0; first < cases_per_op; first += batch) {
            OperandMode mode = (OperandMode)((first / batch) % NB_MODES);
            check_batch((TCGOpcode)opc, mode, first, batch);
        }
        tested++;
    }
    print_message("%u ops x %u cases\n", tested, cases_per_op);
    /* Every computational op of tcg.h is covered (both widths). */
    assert_true(tested >= 91);
}

/* The fallback sequences (bsr/bsf, SWAR popcount) through the whole back end. */
static void test_ops_without_bit_instructions(void **state)
{
    static const TCGOpcode ops[] = {
        INDEX_op_clz_i32, INDEX_op_clz_i64, INDEX_op_ctz_i32, INDEX_op_ctz_i64,
        INDEX_op_ctpop_i32, INDEX_op_ctpop_i64,
    };
    X86BackendOptions *g = ctx.backend_data;
    X86Features saved = g->feat;
    memset(&g->feat, 0, sizeof(g->feat));
    for (size_t i = 0; i < sizeof(ops) / sizeof(ops[0]); i++) {
        for (unsigned first = 0; first < cases_per_op / 4; first += 50) {
            check_batch(ops[i], (OperandMode)((first / 50) % NB_MODES), first, 50);
        }
    }
    g->feat = saved;
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_every_op),
        cmocka_unit_test(test_ops_without_bit_instructions),
    };
    return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
