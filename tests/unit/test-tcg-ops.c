/* Every computational IR op, through every registered back end, optimized and not,
 * with inputs in globals, in temps and as constants, checked against C reference
 * computations written independently of tcg/eval.c (bit loops rather than builtins)
 * over boundary and random inputs (10,000 cases per op; MIMIC_LONG_TESTS=1: 200,000). */
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

/* ---- C reference semantics ------------------------------------------------------ */

typedef struct RefCtx {
    unsigned w;         /* 32 or 64 */
    uint64_t mask;
    uint64_t p[2];      /* constant args: condition, or pos/len */
} RefCtx;

static uint64_t sx(const RefCtx *c, uint64_t v)  /* sign-extend from width w to 64 */
{
    return c->w == 32 ? (uint64_t)(int64_t)(int32_t)(uint32_t)v : v;
}

static bool bit(uint64_t v, unsigned i)
{
    return (v >> i) & 1;
}

static uint64_t ref_sar(const RefCtx *c, uint64_t a, unsigned s)
{
    bool sign = bit(a, c->w - 1);
    for (unsigned i = 0; i < s; i++) {
        a = (a >> 1) | ((uint64_t)sign << (c->w - 1));
    }
    return a & c->mask;
}

static uint64_t ref_rotl1(const RefCtx *c, uint64_t a)
{
    return ((a << 1) | bit(a, c->w - 1)) & c->mask;
}

static uint64_t ref_rot(const RefCtx *c, uint64_t a, unsigned s, bool left)
{
    unsigned n = left ? s : (c->w - s) % c->w;
    for (unsigned i = 0; i < n; i++) {
        a = ref_rotl1(c, a);
    }
    return a;
}

static uint64_t ref_clz(const RefCtx *c, uint64_t a, uint64_t z)
{
    for (unsigned i = 0; i < c->w; i++) {
        if (bit(a, c->w - 1 - i)) {
            return i;
        }
    }
    return z;
}

static uint64_t ref_ctz(const RefCtx *c, uint64_t a, uint64_t z)
{
    for (unsigned i = 0; i < c->w; i++) {
        if (bit(a, i)) {
            return i;
        }
    }
    return z;
}

static uint64_t ref_ctpop(uint64_t a)
{
    uint64_t n = 0;
    for (; a; a &= a - 1) {
        n++;
    }
    return n;
}

static uint64_t ref_bswap(uint64_t a, unsigned bytes)
{
    uint64_t r = 0;
    for (unsigned i = 0; i < bytes; i++) {
        r |= ((a >> (8 * i)) & 0xff) << (8 * (bytes - 1 - i));
    }
    return r;
}

static bool ref_cond(const RefCtx *c, TCGCond cond, uint64_t a, uint64_t b)
{
    int64_t sa = (int64_t)sx(c, a), sb = (int64_t)sx(c, b);
    switch (cond) {
    case TCG_COND_NEVER: return false;
    case TCG_COND_ALWAYS: return true;
    case TCG_COND_EQ: return a == b;
    case TCG_COND_NE: return !(a == b);
    case TCG_COND_LT: return sa < sb;
    case TCG_COND_GE: return !(sa < sb);
    case TCG_COND_LE: return !(sb < sa);
    case TCG_COND_GT: return sb < sa;
    case TCG_COND_LTU: return a < b;
    case TCG_COND_GEU: return !(a < b);
    case TCG_COND_LEU: return !(b < a);
    case TCG_COND_GTU: return b < a;
    case TCG_COND_TSTEQ: return (a & b) == 0;
    case TCG_COND_TSTNE: return (a & b) != 0;
    default: abort();
    }
}

static uint64_t ref_field(uint64_t a, unsigned pos, unsigned len)
{
    uint64_t r = 0;
    for (unsigned i = 0; i < len; i++) {
        r |= (uint64_t)bit(a, pos + i) << i;
    }
    return r;
}

static uint64_t ref_deposit(uint64_t a, uint64_t b, unsigned pos, unsigned len)
{
    for (unsigned i = 0; i < len; i++) {
        a &= ~(1ull << (pos + i));
        a |= (uint64_t)bit(b, i) << (pos + i);
    }
    return a;
}

/* (hi:lo) = a * b unsigned, from 32-bit partial products */
static void ref_mulu64(uint64_t a, uint64_t b, uint64_t *lo, uint64_t *hi)
{
    uint64_t al = (uint32_t)a, ah = a >> 32, bl = (uint32_t)b, bh = b >> 32;
    uint64_t ll = al * bl, lh = al * bh, hl = ah * bl, hh = ah * bh;
    uint64_t mid = (ll >> 32) + (uint32_t)lh + (uint32_t)hl;
    *lo = (mid << 32) | (uint32_t)ll;
    *hi = hh + (lh >> 32) + (hl >> 32) + (mid >> 32);
}

/* ---- the table of ops ----------------------------------------------------------- */

typedef enum { P_NONE, P_COND, P_FIELD } ParamKind;

typedef struct OpTest {
    const char *name;
    TCGOpcode opc32, opc64;     /* opc64 = 0 if no i64 form; opc32 = 0 if none */
    int nin, nout;
    ParamKind params;
    /* ins are width-masked; returns false if the IR leaves the result undefined */
    bool (*ref)(const RefCtx *c, const uint64_t *in, uint64_t *out);
} OpTest;

#define REF(fn) static bool fn(const RefCtx *c, const uint64_t *in, uint64_t *out)
#define A in[0]
#define B in[1]
#define M c->mask
#define W c->w

REF(r_mov) { out[0] = A; return true; }
REF(r_neg) { out[0] = (~A + 1) & M; return true; }
REF(r_not) { out[0] = ~A & M; return true; }
REF(r_add) { out[0] = (A + B) & M; return true; }
REF(r_sub) { out[0] = (A - B) & M; return true; }
REF(r_mul) { out[0] = (A * B) & M; return true; }
REF(r_and) { out[0] = A & B; return true; }
REF(r_or) { out[0] = A | B; return true; }
REF(r_xor) { out[0] = A ^ B; return true; }
REF(r_andc) { out[0] = A & ~B & M; return true; }
REF(r_orc) { out[0] = (A | ~B) & M; return true; }
REF(r_eqv) { out[0] = ~(A ^ B) & M; return true; }
REF(r_nand) { out[0] = ~(A & B) & M; return true; }
REF(r_nor) { out[0] = ~(A | B) & M; return true; }
REF(r_shl) { out[0] = (A << (B % W)) & M; return true; }
REF(r_shr) { out[0] = A >> (B % W); return true; }
REF(r_sar) { out[0] = ref_sar(c, A, B % W); return true; }
REF(r_rotl) { out[0] = ref_rot(c, A, B % W, true); return true; }
REF(r_rotr) { out[0] = ref_rot(c, A, B % W, false); return true; }
REF(r_clz) { out[0] = ref_clz(c, A, B); return true; }
REF(r_ctz) { out[0] = ref_ctz(c, A, B); return true; }
REF(r_ctpop) { out[0] = ref_ctpop(A); return true; }
REF(r_ext8s) { out[0] = (uint64_t)(int64_t)(int8_t)A & M; return true; }
REF(r_ext8u) { out[0] = A & 0xff; return true; }
REF(r_ext16s) { out[0] = (uint64_t)(int64_t)(int16_t)A & M; return true; }
REF(r_ext16u) { out[0] = A & 0xffff; return true; }
REF(r_ext32s) { out[0] = (uint64_t)(int64_t)(int32_t)A; return true; }
REF(r_ext32u) { out[0] = A & 0xffffffff; return true; }
REF(r_bswap16) { out[0] = ref_bswap(A, 2); return true; }
REF(r_bswap32) { out[0] = ref_bswap(A, 4); return true; }
REF(r_bswap64) { out[0] = ref_bswap(A, 8); return true; }
REF(r_extrl) { out[0] = A & 0xffffffff; return true; }
REF(r_extrh) { out[0] = A >> 32; return true; }
REF(r_extu) { out[0] = A & 0xffffffff; return true; }
REF(r_exts) { out[0] = (uint64_t)(int64_t)(int32_t)A; return true; }

REF(r_divu)
{
    if (B == 0) {
        return false;
    }
    out[0] = A / B;
    return true;
}

REF(r_remu)
{
    if (B == 0) {
        return false;
    }
    out[0] = A % B;
    return true;
}

static bool signed_div_ok(const RefCtx *c, uint64_t a, uint64_t b)
{
    return b != 0 && !(a == (1ull << (W - 1)) && b == M);
}

REF(r_div)
{
    if (!signed_div_ok(c, A, B)) {
        return false;
    }
    out[0] = (uint64_t)((int64_t)sx(c, A) / (int64_t)sx(c, B)) & M;
    return true;
}

REF(r_rem)
{
    if (!signed_div_ok(c, A, B)) {
        return false;
    }
    out[0] = (uint64_t)((int64_t)sx(c, A) % (int64_t)sx(c, B)) & M;
    return true;
}

REF(r_setcond) { out[0] = ref_cond(c, c->p[0], A, B); return true; }
REF(r_negsetcond) { out[0] = ref_cond(c, c->p[0], A, B) ? M : 0; return true; }
REF(r_movcond) { out[0] = ref_cond(c, c->p[0], A, B) ? in[2] : in[3]; return true; }
REF(r_extract) { out[0] = ref_field(A, c->p[0], c->p[1]); return true; }

REF(r_sextract)
{
    uint64_t f = ref_field(A, c->p[0], c->p[1]);
    if (bit(f, c->p[1] - 1) && c->p[1] < 64) {
        f |= ~0ull << c->p[1];
    }
    out[0] = f & M;
    return true;
}

REF(r_deposit) { out[0] = ref_deposit(A, B, c->p[0], c->p[1]); return true; }

REF(r_add2)
{
    uint64_t lo = (in[0] + in[2]) & M;
    uint64_t carry = lo < in[0];
    out[0] = lo;
    out[1] = (in[1] + in[3] + carry) & M;
    return true;
}

REF(r_sub2)
{
    uint64_t borrow = in[0] < in[2];
    out[0] = (in[0] - in[2]) & M;
    out[1] = (in[1] - in[3] - borrow) & M;
    return true;
}

REF(r_mulu2)
{
    if (W == 32) {
        uint64_t p = A * B;
        out[0] = p & M;
        out[1] = p >> 32;
    } else {
        ref_mulu64(A, B, &out[0], &out[1]);
    }
    return true;
}

REF(r_muls2)
{
    if (W == 32) {
        uint64_t p = (uint64_t)((int64_t)(int32_t)A * (int64_t)(int32_t)B);
        out[0] = p & M;
        out[1] = p >> 32;
        return true;
    }
    ref_mulu64(A, B, &out[0], &out[1]);
    /* signed correction of the high half */
    if (bit(A, 63)) {
        out[1] -= B;
    }
    if (bit(B, 63)) {
        out[1] -= A;
    }
    return true;
}

#define OP2(n, ni, no, p, r) { #n, INDEX_op_##n##_i32, INDEX_op_##n##_i64, ni, no, p, r }
static const OpTest op_tests[] = {
    OP2(mov, 1, 1, P_NONE, r_mov), OP2(neg, 1, 1, P_NONE, r_neg),
    OP2(not, 1, 1, P_NONE, r_not), OP2(add, 2, 1, P_NONE, r_add),
    OP2(sub, 2, 1, P_NONE, r_sub), OP2(mul, 2, 1, P_NONE, r_mul),
    OP2(div, 2, 1, P_NONE, r_div), OP2(divu, 2, 1, P_NONE, r_divu),
    OP2(rem, 2, 1, P_NONE, r_rem), OP2(remu, 2, 1, P_NONE, r_remu),
    OP2(and, 2, 1, P_NONE, r_and), OP2(or, 2, 1, P_NONE, r_or),
    OP2(xor, 2, 1, P_NONE, r_xor), OP2(andc, 2, 1, P_NONE, r_andc),
    OP2(orc, 2, 1, P_NONE, r_orc), OP2(eqv, 2, 1, P_NONE, r_eqv),
    OP2(nand, 2, 1, P_NONE, r_nand), OP2(nor, 2, 1, P_NONE, r_nor),
    OP2(shl, 2, 1, P_NONE, r_shl), OP2(shr, 2, 1, P_NONE, r_shr),
    OP2(sar, 2, 1, P_NONE, r_sar), OP2(rotl, 2, 1, P_NONE, r_rotl),
    OP2(rotr, 2, 1, P_NONE, r_rotr), OP2(clz, 2, 1, P_NONE, r_clz),
    OP2(ctz, 2, 1, P_NONE, r_ctz), OP2(ctpop, 1, 1, P_NONE, r_ctpop),
    OP2(ext8s, 1, 1, P_NONE, r_ext8s), OP2(ext8u, 1, 1, P_NONE, r_ext8u),
    OP2(ext16s, 1, 1, P_NONE, r_ext16s), OP2(ext16u, 1, 1, P_NONE, r_ext16u),
    OP2(bswap16, 1, 1, P_NONE, r_bswap16), OP2(bswap32, 1, 1, P_NONE, r_bswap32),
    OP2(setcond, 2, 1, P_COND, r_setcond), OP2(negsetcond, 2, 1, P_COND, r_negsetcond),
    OP2(movcond, 4, 1, P_COND, r_movcond),
    OP2(deposit, 2, 1, P_FIELD, r_deposit), OP2(extract, 1, 1, P_FIELD, r_extract),
    OP2(sextract, 1, 1, P_FIELD, r_sextract),
    OP2(add2, 4, 2, P_NONE, r_add2), OP2(sub2, 4, 2, P_NONE, r_sub2),
    OP2(mulu2, 2, 2, P_NONE, r_mulu2), OP2(muls2, 2, 2, P_NONE, r_muls2),
    { "ext32s", 0, INDEX_op_ext32s_i64, 1, 1, P_NONE, r_ext32s },
    { "ext32u", 0, INDEX_op_ext32u_i64, 1, 1, P_NONE, r_ext32u },
    { "bswap64", 0, INDEX_op_bswap64_i64, 1, 1, P_NONE, r_bswap64 },
};

/* Conversions between widths: tested separately (mixed operand types). */
typedef struct ConvTest {
    const char *name;
    TCGOpcode opc;
    bool in64, out64;
    bool (*ref)(const RefCtx *c, const uint64_t *in, uint64_t *out);
} ConvTest;

static const ConvTest conv_tests[] = {
    { "extrl_i64_i32", INDEX_op_extrl_i64_i32, true, false, r_extrl },
    { "extrh_i64_i32", INDEX_op_extrh_i64_i32, true, false, r_extrh },
    { "extu_i32_i64", INDEX_op_extu_i32_i64, false, true, r_extu },
    { "ext_i32_i64", INDEX_op_ext_i32_i64, false, true, r_exts },
};

/* ---- program construction -------------------------------------------------------- */

typedef enum { IN_GLOBALS, IN_TEMPS, IN_CONST_LAST } InputMode;

static TCGTemp *reg(bool is64, int i)
{
    return is64 ? tcgv_i64_temp(h->x[i]) : tcgv_i32_temp(h->w[i]);
}

/* out0 -> reg 0, out1 -> reg 5; inputs from regs 1..4 (or temps copied from them, or
 * the last input as the constant k). */
static void build_program(TCGOpcode opc, bool in64, bool out64, int nin, int nout,
                          const uint64_t *cargs, int ncargs, InputMode mode, uint64_t k)
{
    TCGArg args[TCG_MAX_OP_ARGS];
    TCGTemp *outs[2];
    int n = 0;
    harness_begin(h);
    tcg_gen_insn_start(0x1000, 0, 0);
    for (int i = 0; i < nout; i++) {
        outs[i] = mode == IN_TEMPS ? tcg_temp_new_internal(out64, TEMP_EBB) : reg(out64, i ? 5 : 0);
        args[n++] = temp_arg(outs[i]);
    }
    for (int i = 0; i < nin; i++) {
        TCGTemp *t = reg(in64, 1 + i);
        if (mode == IN_CONST_LAST && i == nin - 1) {
            t = tcg_constant_internal(in64 ? TCG_TYPE_I64 : TCG_TYPE_I32, k);
        } else if (mode == IN_TEMPS) {
            TCGTemp *tmp = tcg_temp_new_internal(in64, TEMP_EBB);
            tcg_gen_op2(in64 ? INDEX_op_mov_i64 : INDEX_op_mov_i32, temp_arg(tmp), temp_arg(t));
            t = tmp;
        }
        args[n++] = temp_arg(t);
    }
    for (int i = 0; i < ncargs; i++) {
        args[n++] = cargs[i];
    }
    tcg_emit_op(opc, n, args);
    if (mode == IN_TEMPS) {
        for (int i = 0; i < nout; i++) {
            tcg_gen_op2(out64 ? INDEX_op_mov_i64 : INDEX_op_mov_i32,
                        temp_arg(reg(out64, i ? 5 : 0)), temp_arg(outs[i]));
        }
    }
    tcg_gen_exit_tb(0x77);
    harness_save(h);
}

static void set_reg(HarnessEnv *env, bool is64, int i, uint64_t v)
{
    if (is64) {
        env->x[i] = v;
    } else {
        env->w[i] = (uint32_t)v;
    }
}

static uint64_t get_reg(HarnessEnv *env, bool is64, int i)
{
    return is64 ? env->x[i] : env->w[i];
}

typedef struct RunSpec {
    const char *name;
    TCGOpcode opc;
    bool in64, out64;
    int nin, nout;
    RefCtx rc;
    int ncargs;
    bool (*ref)(const RefCtx *c, const uint64_t *in, uint64_t *out);
} RunSpec;

static void random_inputs(HarnessRng *r, const RunSpec *sp, uint64_t *in)
{
    uint64_t imask = sp->in64 ? ~0ull : 0xffffffffull;
    for (int i = 0; i < sp->nin; i++) {
        in[i] = harness_rand_interesting(r) & imask;
    }
    if (sp->nin == 2 && (harness_rand(r) & 15) == 0) {
        in[1] = in[0];  /* equal operands: conditions, x-x... */
    }
}

/* Runs ncases random inputs (last input fixed to k if const_last) through tb. */
static void run_cases(const TCGBackend *be, const void *tb, const RunSpec *sp,
                      HarnessRng *r, unsigned ncases, bool const_last, uint64_t k,
                      const char *variant)
{
    static HarnessEnv env;
    uint64_t in[6], want[2];
    for (unsigned n = 0; n < ncases; n++) {
        random_inputs(r, sp, in);
        if (const_last) {
            in[sp->nin - 1] = k;
        }
        if (!sp->ref(&sp->rc, in, want)) {
            continue;
        }
        harness_env_init(h, &env);
        for (int i = 0; i < sp->nin; i++) {
            set_reg(&env, sp->in64, 1 + i, in[i]);
        }
        uintptr_t ret = harness_exec(h, be, tb, &env);
        for (int i = 0; i < sp->nout; i++) {
            uint64_t got = get_reg(&env, sp->out64, i ? 5 : 0);
            if (got != want[i] || ret != 0x77) {
                fail_msg("%s %s/%s [%s] p=%llu,%llu in=%llx,%llx,%llx,%llx out%d: got %llx "
                         "want %llx", sp->name, be->name, variant, sp->in64 ? "i64" : "i32",
                         (unsigned long long)sp->rc.p[0], (unsigned long long)sp->rc.p[1],
                         (unsigned long long)in[0], (unsigned long long)in[1],
                         (unsigned long long)in[2], (unsigned long long)in[3], i,
                         (unsigned long long)got, (unsigned long long)want[i]);
            }
        }
    }
}

/* One op with one set of constant args through every back end and input mode. */
static void run_spec(RunSpec *sp, const uint64_t *cargs, unsigned ncases, HarnessRng *r)
{
    static const char *const mode_names[] = { "globals", "temps", "const" };
    for (int b = 0; b < harness_nb_backends(); b++) {
        const TCGBackend *be = harness_backend(b);
        for (int mode = IN_GLOBALS; mode <= IN_TEMPS; mode++) {
            for (int opt = 0; opt < 2; opt++) {
                build_program(sp->opc, sp->in64, sp->out64, sp->nin, sp->nout, cargs,
                              sp->ncargs, mode, 0);
                harness_flush(h);
                const void *tb = harness_compile(h, be, opt);
                assert_non_null(tb);
                run_cases(be, tb, sp, r, ncases, false, 0,
                          opt ? mode_names[mode] : "noopt");
            }
        }
        /* constant last operand: folded or simplified by the optimizer */
        for (int k = 0; k < 24; k++) {
            uint64_t kv = harness_rand_interesting(r) & (sp->in64 ? ~0ull : 0xffffffffull);
            build_program(sp->opc, sp->in64, sp->out64, sp->nin, sp->nout, cargs,
                          sp->ncargs, IN_CONST_LAST, kv);
            harness_flush(h);
            const void *tb = harness_compile(h, be, true);
            assert_non_null(tb);
            run_cases(be, tb, sp, r, ncases / 100 + 1, true, kv, mode_names[IN_CONST_LAST]);
        }
    }
}

static void run_op(const OpTest *t, bool is64)
{
    TCGOpcode opc = is64 ? t->opc64 : t->opc32;
    HarnessRng r;
    harness_rng_init(&r, 0x1234 + opc);
    RunSpec sp = {
        .name = t->name, .opc = opc, .in64 = is64, .out64 = is64, .nin = t->nin,
        .nout = t->nout, .ref = t->ref,
        .rc = { .w = is64 ? 64 : 32, .mask = is64 ? ~0ull : 0xffffffffull },
    };
    unsigned n = harness_nb_cases();
    uint64_t cargs[2] = { 0, 0 };
    if (t->params == P_NONE) {
        run_spec(&sp, cargs, n, &r);
    } else if (t->params == P_COND) {
        sp.ncargs = 1;
        for (int c = 0; c < TCG_COND_COUNT; c++) {
            sp.rc.p[0] = cargs[0] = c;
            run_spec(&sp, cargs, n / TCG_COND_COUNT + 1, &r);
        }
    } else {
        sp.ncargs = 2;
        for (int k = 0; k < 24; k++) {
            unsigned len = 1 + harness_rand(&r) % sp.rc.w;
            unsigned pos = harness_rand(&r) % (sp.rc.w - len + 1);
            if (k == 0) {
                pos = 0, len = sp.rc.w;
            } else if (k <= 2) {
                pos = 0, len = 8u * (unsigned)k;  /* low byte/word: partial-register moves */
            }
            sp.rc.p[0] = cargs[0] = pos;
            sp.rc.p[1] = cargs[1] = len;
            run_spec(&sp, cargs, n / 24 + 1, &r);
        }
    }
}

static void test_ops_i32(void **state)
{
    for (size_t i = 0; i < sizeof(op_tests) / sizeof(op_tests[0]); i++) {
        if (op_tests[i].opc32) {
            run_op(&op_tests[i], false);
        }
    }
}

static void test_ops_i64(void **state)
{
    for (size_t i = 0; i < sizeof(op_tests) / sizeof(op_tests[0]); i++) {
        if (op_tests[i].opc64) {
            run_op(&op_tests[i], true);
        }
    }
}

static void test_conversions(void **state)
{
    HarnessRng r;
    harness_rng_init(&r, 99);
    for (size_t i = 0; i < sizeof(conv_tests) / sizeof(conv_tests[0]); i++) {
        const ConvTest *t = &conv_tests[i];
        RunSpec sp = {
            .name = t->name, .opc = t->opc, .in64 = t->in64, .out64 = t->out64, .nin = 1,
            .nout = 1, .ref = t->ref, .rc = { .w = 64, .mask = ~0ull },
        };
        run_spec(&sp, NULL, harness_nb_cases(), &r);
    }
}

/* The reference semantics in tcg/eval.c agree with this file's for all ops (the
 * interpreter uses them, but this checks them without any back end). */
static void test_eval_matches_reference(void **state)
{
    HarnessRng r;
    harness_rng_init(&r, 7);
    for (size_t i = 0; i < sizeof(op_tests) / sizeof(op_tests[0]); i++) {
        const OpTest *t = &op_tests[i];
        for (int is64 = 0; is64 < 2; is64++) {
            TCGOpcode opc = is64 ? t->opc64 : t->opc32;
            if (!opc) {
                continue;
            }
            RefCtx rc = { .w = is64 ? 64 : 32, .mask = is64 ? ~0ull : 0xffffffffull };
            for (int n = 0; n < 2000; n++) {
                uint64_t in[6] = { 0 }, want[2], got[2];
                TCGArg c[2] = { 0, 0 };
                for (int k = 0; k < t->nin; k++) {
                    in[k] = harness_rand_interesting(&r) & rc.mask;
                }
                if (t->params == P_COND) {
                    c[0] = harness_rand(&r) % TCG_COND_COUNT;
                } else if (t->params == P_FIELD) {
                    c[1] = 1 + harness_rand(&r) % rc.w;
                    c[0] = harness_rand(&r) % (rc.w - c[1] + 1);
                }
                rc.p[0] = c[0];
                rc.p[1] = c[1];
                if (!t->ref(&rc, in, want)) {
                    assert_true(tcg_op_is_undefined(opc, in));
                    continue;
                }
                assert_false(tcg_op_is_undefined(opc, in));
                assert_int_equal(tcg_eval_op(opc, in, c, got), t->nout);
                for (int k = 0; k < t->nout; k++) {
                    if (got[k] != want[k]) {
                        fail_msg("eval %s_%s in=%llx,%llx out%d got %llx want %llx", t->name,
                                 is64 ? "i64" : "i32", (unsigned long long)in[0],
                                 (unsigned long long)in[1], k, (unsigned long long)got[k],
                                 (unsigned long long)want[k]);
                    }
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
        cmocka_unit_test(test_eval_matches_reference),
        cmocka_unit_test(test_ops_i32),
        cmocka_unit_test(test_ops_i64),
        cmocka_unit_test(test_conversions),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
