/* Random IR programs (computational ops, moves, forward branches, TB temps, helper
 * calls, guest loads and stores) run through the interpreter and the x86-64 back end,
 * optimized and not, with the final CPU state compared: stresses register allocation
 * (spills, aliasing, constants, sync points) beyond single ops. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include "tcg-harness.h"
#include "tcg/x86_64.h"

#define NG 6            /* globals of each width used */
#define MAX_EBB 24

static Harness *h;
static HarnessRng rng;
static HarnessEnv env_a, env_b;

typedef struct Prog {
    TCGTemp *tb_temp[2][2];     /* [is64][k] */
    TCGTemp *ebb[2][MAX_EBB];
    int nb_ebb[2];
    TCGLabel *pending[8];
    int nb_pending;
} Prog;

static uint64_t rnd(void)
{
    return harness_rand(&rng);
}

static TCGTemp *global(bool is64, unsigned k)
{
    return is64 ? tcgv_temp(h->x[k % NG]) : tcgv_temp(h->w[k % NG]);
}

/* A defined value of the type: global, TB temp, live EBB temp or a constant. */
static TCGTemp *pick_input(Prog *p, bool is64)
{
    TCGType ty = is64 ? TCG_TYPE_I64 : TCG_TYPE_I32;
    switch (rnd() % 6) {
    case 0: return tcg_constant_internal(ty, is64 ? harness_rand_interesting(&rng)
                                                  : (uint32_t)harness_rand_interesting(&rng));
    case 1: return p->tb_temp[is64][rnd() % 2];
    case 2: case 3:
        if (p->nb_ebb[is64]) {
            return p->ebb[is64][rnd() % (unsigned)p->nb_ebb[is64]];
        }
        /* fall through */
    default: return global(is64, (unsigned)rnd());
    }
}

static TCGTemp *pick_output(Prog *p, bool is64)
{
    switch (rnd() % 5) {
    case 0: return p->tb_temp[is64][rnd() % 2];
    case 1: case 2:
        if (p->nb_ebb[is64] < MAX_EBB) {
            TCGTemp *t = tcg_temp_new_internal(is64 ? TCG_TYPE_I64 : TCG_TYPE_I32, TEMP_EBB);
            p->ebb[is64][p->nb_ebb[is64]++] = t;
            return t;
        }
        /* fall through */
    default: return global(is64, (unsigned)rnd());
    }
}

static bool usable_op(TCGOpcode opc)
{
    const TCGOpDef *def = &tcg_op_defs[opc];
    const char *n = def->name;
    uint64_t in[6] = { 1, 2, 3, 4, 5, 6 }, out[2];
    TCGArg cargs[2] = { TCG_COND_EQ, 1 };
    if (def->flags & (TCG_OPF_BB_END | TCG_OPF_SIDE_EFFECTS | TCG_OPF_NOT_PRESENT |
                      TCG_OPF_CALL_CLOBBER)) {
        return false;
    }
    if (!strncmp(n, "ld", 2) || !strncmp(n, "st", 2) || !strncmp(n, "div", 3) ||
        !strncmp(n, "rem", 3)) {
        return false;       /* host memory ops; div/rem may trap the host */
    }
    return tcg_eval_op(opc, in, cargs, out) > 0;
}

static bool arg_is64(TCGOpcode opc, bool output)
{
    if (opc == INDEX_op_extrl_i64_i32 || opc == INDEX_op_extrh_i64_i32) {
        return !output;
    }
    if (opc == INDEX_op_extu_i32_i64 || opc == INDEX_op_ext_i32_i64) {
        return output;
    }
    return (tcg_op_defs[opc].flags & TCG_OPF_64BIT) != 0;
}

static void gen_random_op(Prog *p, TCGOpcode opc)
{
    const TCGOpDef *def = &tcg_op_defs[opc];
    TCGArg args[TCG_MAX_OP_ARGS];
    int n = 0;
    unsigned w = (def->flags & TCG_OPF_64BIT) ? 64 : 32;
    TCGTemp *first = NULL;
    for (int k = 0; k < def->nb_oargs; k++) {
        TCGTemp *o;
        do {
            o = pick_output(p, arg_is64(opc, true));
        } while (o == first);
        first = o;
        args[n++] = temp_arg(o);
    }
    for (int k = 0; k < def->nb_iargs; k++) {
        args[n++] = temp_arg(pick_input(p, arg_is64(opc, false)));
    }
    if (def->nb_cargs == 1) {
        args[n++] = rnd() % TCG_COND_COUNT;
    } else if (def->nb_cargs == 2) {
        unsigned len = 1 + (unsigned)(rnd() % w);
        args[n++] = rnd() % (w - len + 1);
        args[n++] = len;
    }
    tcg_emit_op(opc, n, args);
}

static uint64_t helper_mix(uint64_t a, uint32_t b, uint64_t c)
{
    return (a * 31) ^ ((uint64_t)b << 7) ^ (c >> 3);
}

static const TCGHelperInfo info_mix = {
    .name = "mix", .func = (void *)helper_mix, .flags = TCG_CALL_PURE,
    .ret_type = TCG_TYPE_I64, .nb_args = 3,
    .arg_types = { TCG_TYPE_I64, TCG_TYPE_I32, TCG_TYPE_I64 },
};

static void gen_block_end(Prog *p)
{
    p->nb_ebb[0] = p->nb_ebb[1] = 0;   /* EBB temps die at every BB end */
}

static void gen_control(Prog *p)
{
    unsigned r = (unsigned)(rnd() % 4);
    if (r == 0 && p->nb_pending < 8) {
        bool is64 = rnd() % 2;
        TCGLabel *l = gen_new_label();
        TCGArg args[4] = { temp_arg(pick_input(p, is64)), temp_arg(pick_input(p, is64)),
                           rnd() % TCG_COND_COUNT, l->id };
        tcg_emit_op(is64 ? INDEX_op_brcond_i64 : INDEX_op_brcond_i32, 4, args);
        p->pending[p->nb_pending++] = l;
        gen_block_end(p);
    } else if (r == 1 && p->nb_pending) {
        gen_set_label(p->pending[--p->nb_pending]);
        gen_block_end(p);
    } else if (r == 2) {
        TCGTemp *args[3] = { pick_input(p, true), pick_input(p, false), pick_input(p, true) };
        tcg_gen_callN(&info_mix, pick_output(p, true), args);
    } else {
        /* guest access inside the harness's memory: addr = (x & 0xff8) */
        TCGTemp *addr = tcg_temp_new_internal(TCG_TYPE_I64, TEMP_EBB);
        bool is64 = rnd() % 2;
        MemOp mop = (MemOp)(rnd() % (is64 ? 4 : 3)) | (rnd() % 2 ? MO_BE : 0);
        tcg_gen_andi_i64((TCGv_i64)tcg_temp_handle(addr),
                         (TCGv_i64)tcg_temp_handle(pick_input(p, true)), 0xff8);
        TCGArg args[4] = { 0, temp_arg(addr), mop, 1 };
        if (rnd() % 2) {
            args[0] = temp_arg(pick_input(p, is64));
            tcg_emit_op(is64 ? INDEX_op_qemu_st_i64 : INDEX_op_qemu_st_i32, 4, args);
        } else {
            args[0] = temp_arg(pick_output(p, is64));
            tcg_emit_op(is64 ? INDEX_op_qemu_ld_i64 : INDEX_op_qemu_ld_i32, 4, args);
        }
    }
}

static void gen_program(unsigned nops, const TCGOpcode *ops, int nb_ops)
{
    Prog p = { .nb_pending = 0 };
    harness_begin(h);
    for (int is64 = 0; is64 < 2; is64++) {
        for (int k = 0; k < 2; k++) {
            p.tb_temp[is64][k] = tcg_temp_new_internal(is64 ? TCG_TYPE_I64 : TCG_TYPE_I32,
                                                       TEMP_TB);
            TCGArg args[2] = { temp_arg(p.tb_temp[is64][k]), temp_arg(global(is64, 5 - k)) };
            tcg_emit_op(is64 ? INDEX_op_mov_i64 : INDEX_op_mov_i32, 2, args);
        }
    }
    for (unsigned i = 0; i < nops; i++) {
        if (rnd() % 6 == 0) {
            gen_control(&p);
        } else {
            gen_random_op(&p, ops[rnd() % (unsigned)nb_ops]);
        }
    }
    while (p.nb_pending) {
        gen_set_label(p.pending[--p.nb_pending]);
    }
    /* make the TB temps observable */
    TCGArg a[3] = { temp_arg(global(true, 1)), temp_arg(global(true, 1)),
                    temp_arg(p.tb_temp[1][0]) };
    tcg_emit_op(INDEX_op_xor_i64, 3, a);
    TCGArg b[3] = { temp_arg(global(true, 0)), temp_arg(global(true, 0)),
                    temp_arg(p.tb_temp[1][1]) };
    tcg_emit_op(INDEX_op_xor_i64, 3, b);
    TCGArg c[3] = { temp_arg(global(false, 0)), temp_arg(global(false, 0)),
                    temp_arg(p.tb_temp[0][0]) };
    tcg_emit_op(INDEX_op_add_i32, 3, c);
    tcg_gen_exit_tb(0);
    harness_save(h);
}

static void random_env(HarnessEnv *e)
{
    harness_env_init(h, e);
    for (int k = 0; k < HARNESS_NREGS; k++) {
        e->x[k] = harness_rand_interesting(&rng);
        e->w[k] = (uint32_t)harness_rand_interesting(&rng);
    }
    for (size_t i = 0; i < 4096; i++) {
        e->mem[i] = (uint8_t)rnd();
    }
}

static void compare_envs(const HarnessEnv *a, const HarnessEnv *b, unsigned prog, bool opt)
{
    for (int k = 0; k < NG; k++) {
        if (a->x[k] != b->x[k] || a->w[k] != b->w[k]) {
            tcg_dump_ops(h->ctx, stderr, true);
            fail_msg("program %u (optimize %d): x%d %#llx/%#llx w%d %#x/%#x", prog, opt, k,
                     (unsigned long long)a->x[k], (unsigned long long)b->x[k], k, a->w[k],
                     b->w[k]);
        }
    }
    if (memcmp(a->mem, b->mem, 4096) != 0) {
        fail_msg("program %u (optimize %d): guest memory differs", prog, opt);
    }
}

static void test_random_programs(void **state)
{
    TCGOpcode ops[NB_OPS];
    int nb = 0;
    unsigned programs = harness_nb_cases() / 20;
    for (int opc = 0; opc < NB_OPS; opc++) {
        if (usable_op((TCGOpcode)opc)) {
            ops[nb++] = (TCGOpcode)opc;
        }
    }
    assert_true(nb > 80);
    for (unsigned prog = 0; prog < programs; prog++) {
        gen_program(10 + (unsigned)(rnd() % 60), ops, nb);
        for (int opt = 0; opt < 2; opt++) {
            harness_flush(h);
            const void *tb_i = harness_compile(h, &tcg_backend_interp, opt);
            const void *tb_x = harness_compile(h, &tcg_backend_x86_64, opt);
            assert_non_null(tb_i);
            assert_non_null(tb_x);
            for (int run = 0; run < 3; run++) {
                random_env(&env_a);
                env_b = env_a;
                harness_exec(h, &tcg_backend_interp, tb_i, &env_a);
                harness_exec(h, &tcg_backend_x86_64, tb_x, &env_b);
                compare_envs(&env_a, &env_b, prog, opt);
            }
        }
    }
}

static int setup(void **state)
{
    h = harness_new();
    harness_rng_init(&rng, 0x5eed1234);
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
        cmocka_unit_test(test_random_programs),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
