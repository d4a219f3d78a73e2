/* The IR optimizer: one forward pass doing constant propagation and folding, copy
 * propagation, algebraic simplification, branch folding and removal of unreachable code
 * and unused labels (docs/tcg.md "Middle end"). Facts are kept along an extended basic
 * block: across the fall-through of a conditional branch, never across a label. Resets
 * are lazy: a label, branch or call only stamps the time of the reset, and a temp's facts
 * are dropped when it is next looked at, if they are older (O(1) per reset, not O(temps)). */
#include <stdlib.h>
#include <string.h>
#include "tcg/tcg.h"
#include "tcg-internal.h"
#include "util/cutils.h"

typedef struct TempInfo {
    bool is_const;
    uint64_t val;
    int copy_src;       /* temp this one is a copy of, or -1 */
    uint32_t copy_gen;  /* gen of copy_src when the copy was made */
    uint32_t gen;       /* bumped on every write and every reset */
    uint32_t valid_at;  /* OptState.clock when these facts were last current */
    uint8_t scope;      /* which partial reset covers the temp (RESET_*) */
    TCGBits bits;       /* known-zero/one bits and sign extension (optimize-bits.c) */
    /* The temp is setcond(sc_cond, sc_a, sc_b) while sc_a and sc_b keep these gens. */
    bool is_setcond;
    TCGCond sc_cond;
    TCGArg sc_a, sc_b;
    uint32_t sc_gen_a, sc_gen_b;
    /* The temp is ext32s/ext32u (ext_kind) of ext_src while ext_src keeps ext_gen. */
    uint8_t ext_kind;
    TCGArg ext_src;
    uint32_t ext_gen;
} TempInfo;

enum { EXT_NONE, EXT_SIGNED, EXT_UNSIGNED };

/* The partial resets a temp is subject to, besides the reset of every temp. */
enum { RESET_NONE, RESET_EBB, RESET_GLOBALS, RESET_SCOPES };

/* What the pass does with an opcode: one table lookup per test instead of a chain of
 * opcode comparisons (they were ~4,000 host instructions of a U-Boot TB). Read from
 * op->opc each time: an op changes opcode as it is folded. */
enum {
    OF_MOV = 1 << 0,        /* mov_i32, mov_i64 */
    OF_BRCOND = 1 << 1,     /* brcond_i32, brcond_i64 */
    OF_MOVCOND = 1 << 2,
    OF_SETCOND = 1 << 3,    /* setcond (not negsetcond) */
    OF_COND = 1 << 4,       /* setcond, negsetcond, movcond: simplify_cond */
    OF_FOLD = 1 << 5,       /* outputs, no side effects, not a call: folded, simplified */
    OF_NARROW = 1 << 6,     /* brcond/setcond/movcond_i64: narrow_compare */
    OF_EXT32S = 1 << 7,     /* ext32s_i64, ext_i32_i64 */
    OF_EXT32U = 1 << 8,     /* ext32u_i64, extu_i32_i64 */
    OF_BB_END = 1 << 9,
    OF_EXIT = 1 << 10,      /* br, exit_tb, lookup_and_goto_ptr, goto_ptr: no fall-through */
    OF_BR = 1 << 11,
    OF_CALL = 1 << 12,
};
static uint16_t opt_flags[NB_OPS];

static void __attribute__((constructor)) opt_flags_init(void)
{
    for (int i = 0; i < NB_OPS; i++) {
        const TCGOpDef *def = &tcg_op_defs[i];
        unsigned f = 0;
        f |= i == INDEX_op_mov_i32 || i == INDEX_op_mov_i64 ? OF_MOV : 0;
        f |= i == INDEX_op_brcond_i32 || i == INDEX_op_brcond_i64 ? OF_BRCOND : 0;
        f |= i == INDEX_op_movcond_i32 || i == INDEX_op_movcond_i64 ? OF_MOVCOND | OF_COND : 0;
        f |= i == INDEX_op_setcond_i32 || i == INDEX_op_setcond_i64 ? OF_SETCOND | OF_COND : 0;
        f |= i == INDEX_op_negsetcond_i32 || i == INDEX_op_negsetcond_i64 ? OF_COND : 0;
        f |= def->nb_oargs > 0 && !(def->flags & TCG_OPF_SIDE_EFFECTS) && i != INDEX_op_call
             ? OF_FOLD : 0;
        f |= i == INDEX_op_brcond_i64 || i == INDEX_op_setcond_i64 || i == INDEX_op_movcond_i64
             ? OF_NARROW : 0;
        f |= i == INDEX_op_ext32s_i64 || i == INDEX_op_ext_i32_i64 ? OF_EXT32S : 0;
        f |= i == INDEX_op_ext32u_i64 || i == INDEX_op_extu_i32_i64 ? OF_EXT32U : 0;
        f |= def->flags & TCG_OPF_BB_END ? OF_BB_END : 0;
        f |= i == INDEX_op_br || i == INDEX_op_exit_tb || i == INDEX_op_lookup_and_goto_ptr ||
             i == INDEX_op_goto_ptr ? OF_EXIT : 0;
        f |= i == INDEX_op_br ? OF_BR : 0;
        f |= i == INDEX_op_call ? OF_CALL : 0;
        opt_flags[i] = (uint16_t)f;
    }
}

static inline unsigned of(const TCGOp *op)
{
    return opt_flags[op->opc];
}

typedef struct OptState {
    TCGContext *s;
    TempInfo *info;
    int nb_temps;       /* temps existing when the pass started (constants may be added) */
    uint32_t clock;     /* bumped by every reset */
    uint32_t reset_all_at;      /* clock of the last reset of every temp (label, block end) */
    uint32_t reset_at[RESET_SCOPES];    /* ... of the EBB temps (fall-through of a brcond),
                                         * of the globals (a call that may write them) */
} OptState;

/* Drops everything known of a: its copies become invalid (gen changes). */
static void clear_info(OptState *o, TempInfo *t, TCGArg a)
{
    t->gen++;
    t->is_const = false;
    t->copy_src = -1;
    t->is_setcond = false;
    t->ext_kind = EXT_NONE;
    t->bits = tcg_bits_unknown(o->s->temps[a].type == TCG_TYPE_I64);
    t->valid_at = o->clock;
    t->scope = a >= 1 && a < (TCGArg)o->s->nb_globals ? RESET_GLOBALS
             : o->s->temps[a].kind == TEMP_EBB ? RESET_EBB : RESET_NONE;
}

/* The facts of temp a (NULL for constants created during the pass), after applying any
 * reset that happened since they were recorded. Every read of TempInfo goes through
 * here, so a lazy reset is observed exactly where an eager one would have been. */
static inline TempInfo *ti(OptState *o, TCGArg a)
{
    if (a >= (TCGArg)o->nb_temps) {
        return NULL;
    }
    TempInfo *t = &o->info[a];
    if (t->valid_at < o->reset_all_at || t->valid_at < o->reset_at[t->scope]) {
        clear_info(o, t, a);
    }
    return t;
}

/* a is being written: what was known of it no longer holds. */
static void forget_temp(OptState *o, TCGArg a)
{
    if (a < (TCGArg)o->nb_temps) {
        clear_info(o, &o->info[a], a);
    }
}

static void reset_all(OptState *o)
{
    o->reset_all_at = ++o->clock;
}

/* After a conditional branch (on its fall-through path) ordinary temps are dead, but
 * what is known of globals and TB temps still holds, except copies of dead temps (a
 * copy is checked against its source's gen, which the source's reset changes). */
static void forget_ebb_temps(OptState *o)
{
    o->reset_at[RESET_EBB] = ++o->clock;
}

static void forget_globals(OptState *o)
{
    o->reset_at[RESET_GLOBALS] = ++o->clock;
}

/* The best replacement for an input: a constant temp, the source of a valid copy, or
 * the temp itself. */
static TCGArg resolve(OptState *o, TCGArg a)
{
    TCGTemp *t = &o->s->temps[a];
    TempInfo *i = ti(o, a);
    if (!i || t->kind == TEMP_CONST || t->kind == TEMP_FIXED) {
        return a;
    }
    if (i->is_const) {
        TCGTemp *c = tcg_constant_try(o->s, t->type, i->val);
        if (c) {
            return temp_arg(c);
        }
    }
    if (i->copy_src >= 0 && ti(o, (TCGArg)i->copy_src)->gen == i->copy_gen) {
        return (TCGArg)i->copy_src;
    }
    return a;
}

static bool arg_const(OptState *o, TCGArg a, uint64_t *val)
{
    TCGTemp *t = &o->s->temps[a];
    if (t->kind == TEMP_CONST) {
        *val = t->val;
        return true;
    }
    return false;
}

static bool arg_is(OptState *o, TCGArg a, uint64_t v)
{
    uint64_t c;
    return arg_const(o, a, &c) && c == v;
}

static TCGOpcode mov_for(const TCGTemp *t)
{
    return t->type == TCG_TYPE_I32 ? INDEX_op_mov_i32 : INDEX_op_mov_i64;
}

static void make_mov(OptState *o, TCGOp *op, TCGArg dst, TCGArg src)
{
    op->opc = mov_for(&o->s->temps[dst]);
    op->nb_oargs = 1;
    op->nb_iargs = 1;
    op->nb_cargs = 0;
    op->args[0] = dst;
    op->args[1] = src;
}

/* Turns op into "mov dst, $val"; false (op unchanged) if no constant temp is left. */
static bool make_movi(OptState *o, TCGOp *op, TCGArg dst, uint64_t val)
{
    TCGTemp *c = tcg_constant_try(o->s, o->s->temps[dst].type, val);
    if (!c) {
        return false;
    }
    make_mov(o, op, dst, temp_arg(c));
    return true;
}

/* Records what a mov teaches: dst is a constant or a copy. */
static void note_mov(OptState *o, TCGArg dst, TCGArg src)
{
    TempInfo *d = ti(o, dst);
    uint64_t v;
    if (!d) {
        return;
    }
    TempInfo *si = ti(o, src);
    if (arg_const(o, src, &v)) {
        d->is_const = true;
        d->val = v;
    } else if (si && o->s->temps[dst].kind == TEMP_GLOBAL &&
               o->s->temps[src].kind == TEMP_EBB) {
        /* a global set from an ordinary temp: later readers of the temp read the global,
         * so the temp dies here and the global keeps the value in its register (stored
         * at the next sync) instead of being stored now for a temp that lives on */
        si->copy_src = (int)dst;
        si->copy_gen = d->gen;
    } else if (si && o->s->temps[src].kind != TEMP_FIXED) {
        d->copy_src = (int)src;
        d->copy_gen = si->gen;
    }
}

static uint64_t ones(bool is64)
{
    return is64 ? ~0ull : 0xffffffffull;
}

/* Identities with one constant or equal operands. Returns 1 if op became "mov d, x",
 * 0 if unchanged. */
static int simplify_binary(OptState *o, TCGOp *op, bool is64)
{
    TCGArg d = op->args[0], a = op->args[1], b = op->args[2];
    uint64_t m = ones(is64);
    bool same = a == b;
    unsigned w = is64 ? 64 : 32;
    uint64_t vb;
    switch (op->opc) {
    case INDEX_op_add_i32: case INDEX_op_add_i64:
    case INDEX_op_or_i32: case INDEX_op_or_i64:
    case INDEX_op_xor_i32: case INDEX_op_xor_i64:
        if (arg_is(o, b, 0)) { make_mov(o, op, d, a); return 1; }
        if (arg_is(o, a, 0)) { make_mov(o, op, d, b); return 1; }
        if (op->opc == INDEX_op_xor_i32 || op->opc == INDEX_op_xor_i64) {
            if (same) { make_movi(o, op, d, 0); return 1; }
        } else if (op->opc == INDEX_op_or_i32 || op->opc == INDEX_op_or_i64) {
            if (same) { make_mov(o, op, d, a); return 1; }
            if (arg_is(o, a, m) || arg_is(o, b, m)) { make_movi(o, op, d, m); return 1; }
        }
        return 0;
    case INDEX_op_sub_i32: case INDEX_op_sub_i64:
        if (arg_is(o, b, 0)) { make_mov(o, op, d, a); return 1; }
        if (same) { make_movi(o, op, d, 0); return 1; }
        return 0;
    case INDEX_op_mul_i32: case INDEX_op_mul_i64:
        if (arg_is(o, b, 1)) { make_mov(o, op, d, a); return 1; }
        if (arg_is(o, a, 1)) { make_mov(o, op, d, b); return 1; }
        if (arg_is(o, a, 0) || arg_is(o, b, 0)) { make_movi(o, op, d, 0); return 1; }
        return 0;
    case INDEX_op_and_i32: case INDEX_op_and_i64:
        if (arg_is(o, a, 0) || arg_is(o, b, 0)) { make_movi(o, op, d, 0); return 1; }
        if (arg_is(o, b, m) || same) { make_mov(o, op, d, a); return 1; }
        if (arg_is(o, a, m)) { make_mov(o, op, d, b); return 1; }
        return 0;
    case INDEX_op_andc_i32: case INDEX_op_andc_i64:
        if (same) { make_movi(o, op, d, 0); return 1; }
        if (arg_is(o, b, 0)) { make_mov(o, op, d, a); return 1; }
        return 0;
    case INDEX_op_eqv_i32: case INDEX_op_eqv_i64:
        if (same) { make_movi(o, op, d, m); return 1; }
        return 0;
    case INDEX_op_div_i32: case INDEX_op_div_i64:
    case INDEX_op_divu_i32: case INDEX_op_divu_i64:
        if (arg_is(o, b, 1)) { make_mov(o, op, d, a); return 1; }
        return 0;
    case INDEX_op_shl_i32: case INDEX_op_shl_i64: case INDEX_op_shr_i32:
    case INDEX_op_shr_i64: case INDEX_op_sar_i32: case INDEX_op_sar_i64:
    case INDEX_op_rotl_i32: case INDEX_op_rotl_i64: case INDEX_op_rotr_i32:
    case INDEX_op_rotr_i64:
        if (arg_const(o, b, &vb) && (vb & (w - 1)) == 0) { make_mov(o, op, d, a); return 1; }
        if (arg_is(o, a, 0)) { make_movi(o, op, d, 0); return 1; }
        return 0;
    default:
        return 0;
    }
}

/* Conditions decided without knowing the values: never/always, or equal operands. */
static int cond_known(TCGCond c, bool same, bool *result)
{
    if (c == TCG_COND_ALWAYS || c == TCG_COND_NEVER) {
        *result = c == TCG_COND_ALWAYS;
        return 1;
    }
    if (!same || c == TCG_COND_TSTEQ || c == TCG_COND_TSTNE) {
        return 0;
    }
    *result = c == TCG_COND_EQ || c == TCG_COND_LE || c == TCG_COND_GE ||
              c == TCG_COND_LEU || c == TCG_COND_GEU;
    return 1;
}

static int eval_cond(OptState *o, TCGOp *op, TCGArg a, TCGArg b, TCGCond c, bool *r)
{
    uint64_t va, vb;
    TCGType type = o->s->temps[a].type;
    if (arg_const(o, a, &va) && arg_const(o, b, &vb)) {
        *r = tcg_cond_eval(type, c, va, vb);
        return 1;
    }
    return cond_known(c, a == b, r);
}

static int simplify_cond(OptState *o, TCGOp *op)
{
    bool r;
    if (!(of(op) & OF_COND)) {
        return 0;
    }
    switch (op->opc) {
    case INDEX_op_setcond_i32: case INDEX_op_setcond_i64:
        if (eval_cond(o, op, op->args[1], op->args[2], op->args[3], &r)) {
            make_movi(o, op, op->args[0], r);
            return 1;
        }
        return 0;
    case INDEX_op_negsetcond_i32: case INDEX_op_negsetcond_i64:
        if (eval_cond(o, op, op->args[1], op->args[2], op->args[3], &r)) {
            make_movi(o, op, op->args[0], r ? ~0ull : 0);
            return 1;
        }
        return 0;
    case INDEX_op_movcond_i32: case INDEX_op_movcond_i64:
        if (op->args[3] == op->args[4]) {
            make_mov(o, op, op->args[0], op->args[3]);
            return 1;
        }
        if (eval_cond(o, op, op->args[1], op->args[2], op->args[5], &r)) {
            make_mov(o, op, op->args[0], r ? op->args[3] : op->args[4]);
            return 1;
        }
        return 0;
    default:
        return 0;
    }
}

/* Folds an op whose inputs are all constants. Returns 1 if folded. */
static int fold_constants(OptState *o, int pos)
{
    TCGOp *op = &o->s->ops[pos];
    uint64_t in[TCG_MAX_OP_ARGS], out[2];
    for (int i = 0; i < op->nb_iargs; i++) {
        if (!arg_const(o, op->args[op->nb_oargs + i], &in[i])) {
            return 0;
        }
    }
    for (int i = op->nb_iargs; i < TCG_MAX_OP_ARGS; i++) {
        in[i] = 0;      /* (only once every input is known: most ops stop above) */
    }
    if (tcg_op_is_undefined(op->opc, in)) {
        return 0;   /* keep: the front end guards it, or the guest gets what it asked */
    }
    int n = tcg_eval_op(op->opc, in, &op->args[op->nb_oargs + op->nb_iargs], out);
    if (n != op->nb_oargs) {
        return 0;
    }
    TCGArg d0 = op->args[0], d1 = op->args[1];
    TCGTemp *c0 = tcg_constant_try(o->s, o->s->temps[d0].type, out[0]);
    TCGTemp *c1 = n == 2 ? tcg_constant_try(o->s, o->s->temps[d1].type, out[1]) : c0;
    if (!c0 || !c1) {
        return 0;
    }
    make_mov(o, op, d0, temp_arg(c0));
    if (n == 2) {
        TCGOp *op2 = tcg_op_insert_after(o->s, pos, INDEX_op_nop);
        make_mov(o, op2, d1, temp_arg(c1));
    }
    return 1;
}

static TCGBits arg_bits(OptState *o, TCGArg a)
{
    const TCGTemp *t = &o->s->temps[a];
    bool is64 = t->type == TCG_TYPE_I64;
    if (t->kind == TEMP_CONST) {
        return tcg_bits_const(t->val, is64);
    }
    TempInfo *i = ti(o, a);
    return i && t->kind != TEMP_FIXED ? i->bits : tcg_bits_unknown(is64);
}

/* The known bits of the inputs of op, and input 1's value when it is a constant. */
static const uint64_t *input_bits(OptState *o, const TCGOp *op, TCGBits *in, uint64_t *vb)
{
    for (int i = 0; i < op->nb_iargs && i < 6; i++) {
        in[i] = arg_bits(o, op->args[op->nb_oargs + i]);
    }
    return op->nb_iargs > 1 && arg_const(o, op->args[op->nb_oargs + 1], vb) ? vb : NULL;
}

/* Masks and extensions that cannot change their input become moves. True, with the known
 * bits of the output in *out, when op is left as it is (record_outputs then needs them). */
static bool simplify_bits(OptState *o, TCGOp *op, TCGBits *out_bits)
{
    TCGBits in[6];
    uint64_t v;
    TCGOpcode opc = op->opc;
    if (op->nb_oargs != 1 || (of(op) & OF_MOV)) {
        return false;
    }
    bool is64 = o->s->temps[op->args[0]].type == TCG_TYPE_I64;
    TCGBitsDep dep = tcg_bits_dep(opc);
    if (dep != TCG_BITS_OF_INPUTS) {            /* nothing to simplify */
        *out_bits = dep == TCG_BITS_OF_NOTHING ? tcg_bits_unknown(is64) :
            tcg_bits_output(opc, NULL, NULL, &op->args[op->nb_oargs + op->nb_iargs], is64);
        return true;
    }
    const uint64_t *vb = input_bits(o, op, in, &v);
    const TCGArg *cargs = &op->args[op->nb_oargs + op->nb_iargs];
    int r = tcg_bits_simplify(op->opc, in, vb, cargs, is64);
    TCGBits out = tcg_bits_output(op->opc, in, vb, cargs, is64);
    if (out.z == out.o) {
        make_movi(o, op, op->args[0], out.o);   /* every bit of the result is known */
    } else if (r == TCG_BITS_ZERO) {
        make_movi(o, op, op->args[0], 0);
    } else if (r >= 0) {
        make_mov(o, op, op->args[0], op->args[op->nb_oargs + r]);
    }
    *out_bits = out;
    return op->opc == opc;
}

/* What is known of op's single output, computed before the output is recorded. */
static TCGBits output_bits(OptState *o, const TCGOp *op)
{
    TCGBits in[6];
    uint64_t v;
    bool is64 = o->s->temps[op->args[0]].type == TCG_TYPE_I64;
    if (of(op) & OF_MOV) {
        return arg_bits(o, op->args[1]);
    }
    TCGBitsDep dep = tcg_bits_dep(op->opc);
    if (dep == TCG_BITS_OF_NOTHING) {
        return tcg_bits_unknown(is64);
    }
    const uint64_t *vb = dep == TCG_BITS_OF_INPUTS ? input_bits(o, op, in, &v) : NULL;
    return tcg_bits_output(op->opc, dep == TCG_BITS_OF_INPUTS ? in : NULL, vb,
                           &op->args[op->nb_oargs + op->nb_iargs], is64);
}

/* The gen of an input: constants and fixed temps never change (0). */
static uint32_t arg_gen(OptState *o, TCGArg a)
{
    TempInfo *i = ti(o, a);
    TCGTempKind k = o->s->temps[a].kind;
    return i && k != TEMP_CONST && k != TEMP_FIXED ? i->gen : 0;
}

/* a, b: the operands the setcond had before narrow_compare (the 64-bit compare of
 * extended values, which a 64-bit test of the result may take over). */
static void note_setcond(OptState *o, const TCGOp *op, TCGArg a, TCGArg b)
{
    TempInfo *d = ti(o, op->args[0]);
    /* not "t = setcond(t, ...)": the operand is gone once t is written */
    if (d && op->args[0] != a && op->args[0] != b) {
        d->is_setcond = true;
        d->sc_cond = (TCGCond)op->args[3];
        d->sc_a = a;
        d->sc_b = b;
        d->sc_gen_a = arg_gen(o, a);
        d->sc_gen_b = arg_gen(o, b);
    }
}

/* "t != 0" or "t == 0" where t = setcond(c, a, b) and a, b unchanged since: the test
 * becomes "a c b" or its inverse (x86 CMOVcc/SETcc after CMP, ARM selects), so that the
 * back end compares once instead of setcc, movzx, test. x, y, cond: the op's operands. */
static void fold_test_of_setcond(OptState *o, TCGArg *x, TCGArg *y, TCGArg *cond)
{
    TCGCond c = (TCGCond)*cond;
    if ((c != TCG_COND_EQ && c != TCG_COND_NE) || !arg_is(o, *y, 0)) {
        return;
    }
    TempInfo *t = ti(o, *x);
    if (!t || !t->is_setcond || o->s->temps[*x].kind == TEMP_FIXED ||
        arg_gen(o, t->sc_a) != t->sc_gen_a || arg_gen(o, t->sc_b) != t->sc_gen_b) {
        return;
    }
    *x = t->sc_a;
    *y = t->sc_b;
    *cond = c == TCG_COND_NE ? t->sc_cond : tcg_invert_cond(t->sc_cond);
}

/* Input a of a 64-bit compare as a 32-bit operand giving the same result, when a is the
 * sign (sign) or zero extension of its low 32 bits: the source of the ext op that made
 * it (still unchanged), a 32-bit constant, or a itself when its known bits say so. */
static bool narrow_operand(OptState *o, TCGArg a, bool sign, TCGArg *out)
{
    const TCGTemp *t = &o->s->temps[a];
    if (t->kind == TEMP_CONST) {
        uint64_t v = t->val;
        if (sign ? v != (uint64_t)(int64_t)(int32_t)v : (v >> 32) != 0) {
            return false;
        }
        TCGTemp *c = tcg_constant_try(o->s, TCG_TYPE_I32, v);
        *out = c ? temp_arg(c) : a;
        return c != NULL;
    }
    TempInfo *i = ti(o, a);
    if (i && t->kind != TEMP_FIXED && i->ext_kind == (sign ? EXT_SIGNED : EXT_UNSIGNED) &&
        arg_gen(o, i->ext_src) == i->ext_gen) {
        *out = i->ext_src;
        return true;
    }
    TCGBits b = arg_bits(o, a);
    *out = a;
    return sign ? b.sext <= 32 : (b.z >> 32) == 0;
}

/* Conditions a 32-bit compare decides like the 64-bit one on extended operands: all but
 * the bit tests for sign extensions (they keep both orders: values with bit 31 set map
 * above the others), equality and unsigned ones for zero extensions. */
static bool cond_survives_narrowing(TCGCond c, bool sign)
{
    switch (c) {
    case TCG_COND_EQ: case TCG_COND_NE: case TCG_COND_LTU: case TCG_COND_GEU:
    case TCG_COND_LEU: case TCG_COND_GTU:
        return true;
    case TCG_COND_LT: case TCG_COND_GE: case TCG_COND_LE: case TCG_COND_GT:
        return sign;
    default:
        return false;
    }
}

/* x, y: a 64-bit compare's operands, replaced by 32-bit ones when both narrow alike. */
static bool narrow_operands(OptState *o, TCGArg *x, TCGArg *y, TCGCond c)
{
    for (int sign = 1; sign >= 0; sign--) {
        TCGArg nx, ny;
        if (cond_survives_narrowing(c, sign) && narrow_operand(o, *x, sign, &nx) &&
            narrow_operand(o, *y, sign, &ny)) {
            *x = nx;
            *y = ny;
            return true;
        }
    }
    return false;
}

/* brcond/setcond/movcond_i64 on two 32-bit extensions (i386 and ARM compares on a 64-bit
 * TCGv) becomes the _i32 op on the un-extended values: cmp r32 instead of two movsxd and
 * cmp r64; the ext ops die when nothing else reads them. The output of setcond (0/1)
 * is the same in both widths; movcond narrows only when both values have their high 32
 * bits known zero (the 32-bit cmov zero-extends). Runs before the op's outputs are
 * recorded (the operands' facts are those of the values the op reads); what is noted of
 * a setcond still describes the 64-bit compare (record_outputs gets the old operands). */
static void narrow_compare(OptState *o, TCGOp *op)
{
    if (!(of(op) & OF_NARROW)) {
        return;
    }
    switch (op->opc) {
    case INDEX_op_brcond_i64:
        if (narrow_operands(o, &op->args[0], &op->args[1], (TCGCond)op->args[2])) {
            op->opc = INDEX_op_brcond_i32;
        }
        break;
    case INDEX_op_setcond_i64:
        if (narrow_operands(o, &op->args[1], &op->args[2], (TCGCond)op->args[3])) {
            op->opc = INDEX_op_setcond_i32;
        }
        break;
    case INDEX_op_movcond_i64:
        if ((arg_bits(o, op->args[3]).z >> 32) == 0 && (arg_bits(o, op->args[4]).z >> 32) == 0 &&
            narrow_operands(o, &op->args[1], &op->args[2], (TCGCond)op->args[5])) {
            op->opc = INDEX_op_movcond_i32;
        }
        break;
    default:
        break;
    }
}

static void note_ext32(OptState *o, const TCGOp *op, int kind)
{
    TempInfo *d = ti(o, op->args[0]);
    if (d && op->args[0] != op->args[1] && o->s->temps[op->args[1]].kind != TEMP_CONST) {
        d->ext_kind = (uint8_t)kind;
        d->ext_src = op->args[1];
        d->ext_gen = arg_gen(o, op->args[1]);
    }
}

/* known: the output's known bits when the caller has them (simplify_bits), or NULL.
 * sc: a setcond's operands before narrow_compare. */
static void record_outputs(OptState *o, TCGOp *op, const TCGBits *known, const TCGArg *sc)
{
    unsigned f = of(op);
    bool one = op->nb_oargs == 1 && !(f & OF_CALL);
    TCGBits out = !one ? (TCGBits){ 0 } : known ? *known : output_bits(o, op);
    for (int i = 0; i < op->nb_oargs; i++) {
        forget_temp(o, op->args[i]);
    }
    if (f & OF_MOV) {
        note_mov(o, op->args[0], op->args[1]);
    }
    TempInfo *d = one ? ti(o, op->args[0]) : NULL;
    if (d) {
        d->bits = out;
    }
    if (f & OF_SETCOND) {
        note_setcond(o, op, sc[0], sc[1]);
    }
    if (f & (OF_EXT32S | OF_EXT32U)) {
        note_ext32(o, op, f & OF_EXT32S ? EXT_SIGNED : EXT_UNSIGNED);
    }
}

static TCGArg branch_label(const TCGOp *op)
{
    return op->opc == INDEX_op_br ? op->args[0] : op->args[3];
}

static void remove_op(TCGContext *s, TCGOp *op)
{
    if (of(op) & (OF_BR | OF_BRCOND)) {
        s->labels[branch_label(op)].refs--;
    }
    op->opc = INDEX_op_nop;
}

static void count_label_refs(TCGContext *s)
{
    for (int i = 0; i < s->nb_labels; i++) {
        s->labels[i].refs = 0;
    }
    for (int i = 0; i < s->nb_ops; i++) {
        TCGOp *op = &s->ops[i];
        if (of(op) & (OF_BR | OF_BRCOND)) {
            s->labels[branch_label(op)].refs++;
        }
    }
}

/* brcond with a known outcome becomes br or disappears. */
static void fold_brcond(OptState *o, TCGOp *op)
{
    bool r;
    if (!eval_cond(o, op, op->args[0], op->args[1], op->args[2], &r)) {
        return;
    }
    TCGArg l = op->args[3];
    if (r) {
        op->opc = INDEX_op_br;
        op->nb_iargs = 0;
        op->nb_cargs = 1;
        op->args[0] = l;
    } else {
        remove_op(o->s, op);
    }
}

/* Is the next op (skipping nops) "set_label l"? */
static bool next_is_label(TCGContext *s, int pos, TCGArg l)
{
    for (int i = pos + 1; i < s->nb_ops; i++) {
        if (s->ops[i].opc != INDEX_op_nop) {
            return s->ops[i].opc == INDEX_op_set_label && s->ops[i].args[0] == l;
        }
    }
    return false;
}

static void optimize_op(OptState *o, int pos)
{
    TCGContext *s = o->s;
    TCGOp *op = &s->ops[pos];
    const TCGOpDef *def = &tcg_op_defs[op->opc];
    for (int i = op->nb_oargs; i < op->nb_oargs + op->nb_iargs; i++) {
        op->args[i] = resolve(o, op->args[i]);
    }
    if (of(op) & OF_BRCOND) {
        fold_test_of_setcond(o, &op->args[0], &op->args[1], &op->args[2]);
        fold_brcond(o, op);
    } else if (of(op) & OF_MOVCOND) {
        fold_test_of_setcond(o, &op->args[1], &op->args[2], &op->args[5]);
    }
    TCGBits out;
    bool out_known = false;
    if (of(op) & OF_FOLD) {
        bool is64 = (def->flags & TCG_OPF_64BIT) != 0;
        if (!fold_constants(o, pos) && op->nb_iargs == 2 && op->nb_cargs == 0) {
            simplify_binary(o, op, is64);
        }
        simplify_cond(o, op);
        op = &s->ops[pos];
        out_known = simplify_bits(o, op, &out);
    }
    if ((of(op) & OF_MOV) && op->args[0] == op->args[1]) {
        op->opc = INDEX_op_nop;
        return;
    }
    if ((of(op) & OF_BR) && next_is_label(s, pos, op->args[0])) {
        remove_op(s, op);
        return;
    }
    TCGArg sc[2] = { op->args[1], op->args[2] };
    narrow_compare(o, op);
    record_outputs(o, op, out_known ? &out : NULL, sc);
    if ((of(op) & OF_CALL) && !(tcg_call_info(op)->flags & TCG_CALL_NO_WRITE_GLOBALS)) {
        forget_globals(o);
    }
    if (of(op) & OF_BRCOND) {
        forget_ebb_temps(o);
    } else if (of(op) & OF_BB_END) {
        reset_all(o);
    }
}

/* The per-temp facts. The clock runs on across passes (TCGContext.opt_clock), so the
 * facts left by an earlier TB are older than this pass's first reset and are dropped
 * (and the temp's scope set) when first looked at: no loop over the temps per TB. A new
 * or grown array starts zeroed (clock 0: older than any pass). */
static TempInfo *temp_info(OptState *o)
{
    TCGContext *s = o->s;
    size_t need = sizeof(TempInfo) * (size_t)s->nb_temps;
    bool fresh = need > s->scratch_size[TCG_SCRATCH_OPT] || s->opt_clock > UINT32_MAX / 2;
    TempInfo *info = tcg_scratch(s, TCG_SCRATCH_OPT, need);
    if (fresh) {
        memset(info, 0, s->scratch_size[TCG_SCRATCH_OPT]);
        s->opt_clock = 0;
    }
    o->clock = o->reset_all_at = ++s->opt_clock;
    return info;
}

/* The pass also drops the ops it turned into nops (what tcg_compact_ops does), as it
 * goes: it only ever changes the op at hand or inserts after it, so the ops before it
 * are final. */
void tcg_optimize(TCGContext *s)
{
    OptState o = { .s = s, .nb_temps = s->nb_temps };
    o.info = temp_info(&o);
    count_label_refs(s);
    bool unreachable = false;
    int j = 0;      /* ops kept so far */
    for (int i = 0; i < s->nb_ops; i++) {
        TCGOp *op = &s->ops[i];
        if (op->opc == INDEX_op_nop) {
            continue;
        }
        if (op->opc == INDEX_op_set_label) {
            if (s->labels[op->args[0]].refs == 0) {
                continue;                   /* unused: the blocks merge */
            }
            unreachable = false;
            reset_all(&o);
        } else if (unreachable) {
            if (op->opc != INDEX_op_insn_start) {
                remove_op(s, op);
                continue;
            }
        } else {
            optimize_op(&o, i);
            op = &s->ops[i];                /* an insertion may have moved the ops */
            if (op->opc == INDEX_op_nop) {
                continue;
            }
            if (of(op) & OF_EXIT) {
                unreachable = true;
            }
        }
        if (i != j) {
            s->ops[j] = *op;
        }
        j++;
    }
    s->nb_ops = j;
    s->opt_clock = o.clock;
}
