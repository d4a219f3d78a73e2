/* Lazy condition codes in the translator: the current cc_op is known at translation time
 * inside a TB (written to the CPU state only at TB exits and before helpers that read
 * it; faults restore it from insn_start word 1). Conditions are computed straight from
 * the recorded operation when its kind allows it (every condition but parity after
 * ADD/ADC/SUB/SBB and logic ops, the zero/sign tests of every kind), else from the six
 * flags computed by a pure helper. */
#include "target-i386/helper.h"
#include "target-i386/translate.h"

void x86_set_cc_op(DisasContext *s, int op)
{
    if (s->cc_op != op) {
        s->cc_op = op;
        s->cc_op_dirty = op != CC_OP_DYNAMIC;
    }
}

void x86_gen_update_cc_op(DisasContext *s)
{
    if (s->cc_op_dirty) {
        tcg_gen_movi_i32(x86_cpu_cc_op, (uint32_t)s->cc_op);
        s->cc_op_dirty = false;
    }
}

/* From here to the end of the instruction the cc_op field is exact (written now and
 * after every change), and a fault no longer restores it from the insn_start word: for
 * instructions that change the flag state before an access or helper that may fault. */
void x86_gen_cc_exact(DisasContext *s)
{
    x86_gen_update_cc_op(s);
    tcg_set_insn_start_param(tcg_last_insn_start(), 1, CC_OP_DYNAMIC);
    s->cc_exact = true;
}

void x86_gen_set_cc(DisasContext *s, int op, TCGv_i64 dst, TCGv_i64 src, TCGv_i64 src2)
{
    tcg_gen_mov_i64(x86_cpu_cc_dst, dst);
    if (src) {
        tcg_gen_mov_i64(x86_cpu_cc_src, src);
    }
    if (src2) {
        tcg_gen_mov_i64(x86_cpu_cc_src2, src2);
    }
    x86_set_cc_op(s, op);
}

void x86_gen_compute_eflags_to(DisasContext *s, TCGv_i64 d)
{
    if (s->cc_op == CC_OP_EFLAGS) {
        tcg_gen_mov_i64(d, x86_cpu_cc_src);
        return;
    }
    TCGv_i32 op = s->cc_op == CC_OP_DYNAMIC ? x86_cpu_cc_op : tcg_constant_i32(s->cc_op);
    x86_gen_helper(&x86_info_cc_compute_all, tcgv_temp(d), 4, tcgv_temp(op), tcgv_temp(x86_cpu_cc_dst),
               tcgv_temp(x86_cpu_cc_src), tcgv_temp(x86_cpu_cc_src2));
}

void x86_gen_compute_eflags(DisasContext *s)
{
    if (s->cc_op == CC_OP_EFLAGS) {
        return;
    }
    TCGv_i64 f = tcg_temp_new_i64();
    x86_gen_compute_eflags_to(s, f);
    tcg_gen_mov_i64(x86_cpu_cc_src, f);
    x86_set_cc_op(s, CC_OP_EFLAGS);
    if (s->cc_exact) {
        x86_gen_update_cc_op(s);
    }
}

/* The carry in of an ADC/SBB (cc_src2, 0 or 1). */
static TCGv_i64 carry_in(void)
{
    TCGv_i64 c = tcg_temp_new_i64();
    tcg_gen_andi_i64(c, x86_cpu_cc_src2, 1);
    return c;
}

/* The first operand of the recorded ADD/ADC/SUB/SBB of 2^size bytes (cc.h keeps the
 * result and the second operand): dst - src - cin or dst + src + cin, truncated. */
static TCGv_i64 arith_src1(int kind, int size)
{
    if (kind == CC_OP_SUB) {
        return x86_cpu_cc_src2;
    }
    TCGv_i64 t = tcg_temp_new_i64();
    bool add = kind == CC_OP_ADD || kind == CC_OP_ADC;
    (add ? tcg_gen_sub_i64 : tcg_gen_add_i64)(t, x86_cpu_cc_dst, x86_cpu_cc_src);
    if (kind == CC_OP_ADC || kind == CC_OP_SBB) {
        (add ? tcg_gen_sub_i64 : tcg_gen_add_i64)(t, t, carry_in());
    }
    if (size != MO_64) {
        tcg_gen_andi_i64(t, t, ot_mask(size));
    }
    return t;
}

/* CF of a + b + cin whose truncated sum is r (ADC: r = dst, b = src; SBB: the borrow of
 * src1 - src - cin is the carry of dst + src + cin, r = src1): r < b, or r == b with a
 * carry in. */
static void carry_with_cin(TCGv_i64 d, TCGv_i64 r)
{
    TCGv_i64 eq = tcg_temp_new_i64();
    tcg_gen_setcond_i64(TCG_COND_EQ, eq, r, x86_cpu_cc_src);
    tcg_gen_and_i64(eq, eq, carry_in());
    tcg_gen_setcond_i64(TCG_COND_LTU, d, r, x86_cpu_cc_src);
    tcg_gen_or_i64(d, d, eq);
}

void x86_gen_compute_cf(DisasContext *s, TCGv_i64 d)
{
    int kind = s->cc_op == CC_OP_DYNAMIC ? -1 : (s->cc_op & ~3);

    switch (kind) {
    case CC_OP_ADD: tcg_gen_setcond_i64(TCG_COND_LTU, d, x86_cpu_cc_dst, x86_cpu_cc_src); return;
    case CC_OP_ADC: carry_with_cin(d, x86_cpu_cc_dst); return;
    case CC_OP_SUB: tcg_gen_setcond_i64(TCG_COND_LTU, d, x86_cpu_cc_src2, x86_cpu_cc_src); return;
    case CC_OP_SBB: carry_with_cin(d, arith_src1(kind, s->cc_op & 3)); return;
    case CC_OP_LOGIC: tcg_gen_movi_i64(d, 0); return;
    case CC_OP_INC: case CC_OP_DEC: tcg_gen_mov_i64(d, x86_cpu_cc_src); return;
    case CC_OP_EFLAGS: case CC_OP_SAR: case CC_OP_BMI: tcg_gen_andi_i64(d, x86_cpu_cc_src, 1); return;
    case CC_OP_SHL: tcg_gen_extract_i64(d, x86_cpu_cc_src, ot_bits(s->cc_op & 3) - 1, 1); return;
    case CC_OP_MUL: tcg_gen_setcondi_i64(TCG_COND_NE, d, x86_cpu_cc_src, 0); return;
    default: break;
    }
    TCGv_i32 op = s->cc_op == CC_OP_DYNAMIC ? x86_cpu_cc_op : tcg_constant_i32(s->cc_op);
    x86_gen_helper(&x86_info_cc_compute_c, tcgv_temp(d), 4, tcgv_temp(op), tcgv_temp(x86_cpu_cc_dst),
               tcgv_temp(x86_cpu_cc_src), tcgv_temp(x86_cpu_cc_src2));
}

/* The flag kinds gen_entry_cf_of computes inline. */
static bool entry_cf_inline(int cc_op)
{
    switch (cc_op & ~3) {
    case CC_OP_ADD: case CC_OP_SUB: case CC_OP_LOGIC:
    case CC_OP_INC: case CC_OP_DEC: case CC_OP_EFLAGS:
        return true;
    default:                    /* CC_OP_DYNAMIC too */
        return false;
    }
}

/* CF of the flag state kind (cc_op, entry_cf_inline) from the fields as a TB finds them:
 * the values masked to the size (helpers may leave wider ones); SUB compares its
 * operands (cc_dst is not stored at TB exits after a SUB). */
static void gen_entry_cf_of(int cc_op, TCGv_i64 d)
{
    int kind = cc_op & ~3;
    uint64_t mask = ot_mask(cc_op & 3);

    if (kind == CC_OP_LOGIC) {
        tcg_gen_movi_i64(d, 0);
    } else if (kind == CC_OP_ADD || kind == CC_OP_SUB) {
        TCGv_i64 a = tcg_temp_new_i64(), b = tcg_temp_new_i64();
        tcg_gen_andi_i64(a, kind == CC_OP_ADD ? x86_cpu_cc_dst : x86_cpu_cc_src2, mask);
        tcg_gen_andi_i64(b, x86_cpu_cc_src, mask);
        tcg_gen_setcond_i64(TCG_COND_LTU, d, a, b);
    } else {
        tcg_gen_andi_i64(d, x86_cpu_cc_src, 1);                     /* INC, DEC, EFLAGS */
    }
}

/* An instruction that reads CF first in its TB (INC/DEC keep it) would call the helper
 * on every run: instead, when the cc_op field still holds the kind it had when the TB
 * was translated (the predecessor's, the same at every turn of most loops), CF is
 * computed inline for that kind, and through the helper otherwise. NULL when the TB has
 * set the flags already (cc_op known: the caller computes CF as usual). */
TCGv_i64 x86_gen_entry_cf(DisasContext *s)
{
    if (s->cc_op != CC_OP_DYNAMIC) {
        return NULL;
    }
    TCGv_i64 cf = tcg_temp_new_tb_i64();
    if (!entry_cf_inline(s->cc_op_guess)) {
        x86_gen_compute_cf(s, cf);
        return cf;
    }
    TCGLabel *other = gen_new_label(), *done = gen_new_label();
    tcg_gen_brcondi_i32(TCG_COND_NE, x86_cpu_cc_op, (uint32_t)s->cc_op_guess, other);
    gen_entry_cf_of(s->cc_op_guess, cf);
    tcg_gen_br(done);
    gen_set_label(other);
    x86_gen_compute_cf(s, cf);
    gen_set_label(done);
    return cf;
}

/* ---- conditions ------------------------------------------------------------------------------ */

/* A condition as one comparison: a cond b (b = NULL: a cond imm). */
typedef struct CCPrepare {
    TCGCond cond;
    TCGv_i64 a, b;
    uint64_t imm;
} CCPrepare;

enum { JCC_O, JCC_B, JCC_Z, JCC_BE, JCC_S, JCC_P, JCC_L, JCC_LE };

static CCPrepare cc_imm(TCGCond cond, TCGv_i64 a, uint64_t imm)
{
    return (CCPrepare){ .cond = cond, .a = a, .imm = imm };
}

static CCPrepare cc_reg(TCGCond cond, TCGv_i64 a, TCGv_i64 b)
{
    return (CCPrepare){ .cond = cond, .a = a, .b = b };
}

static CCPrepare cc_never(void)
{
    return cc_imm(TCG_COND_NE, tcg_constant_i64(0), 0);
}

static TCGv_i64 sext_of(int size, TCGv_i64 v)
{
    if (size == MO_64) {
        return v;
    }
    TCGv_i64 t = tcg_temp_new_i64();
    x86_gen_ext(size, t, v, true);
    return t;
}

/* From the six flags in f. */
static CCPrepare prepare_from_flags(int jcc, TCGv_i64 f)
{
    static const uint64_t bits[8] = { X86_EFLAGS_OF, X86_EFLAGS_CF, X86_EFLAGS_ZF,
        X86_EFLAGS_CF | X86_EFLAGS_ZF, X86_EFLAGS_SF, X86_EFLAGS_PF, 0, 0 };
    if (jcc < JCC_L) {
        return cc_imm(TCG_COND_TSTNE, f, bits[jcc]);
    }
    TCGv_i64 t = tcg_temp_new_i64();
    tcg_gen_shri_i64(t, f, 4);              /* OF to the SF position */
    tcg_gen_xor_i64(t, t, f);
    if (jcc == JCC_LE) {
        TCGv_i64 z = tcg_temp_new_i64();
        tcg_gen_shli_i64(z, f, 1);          /* ZF to the SF position */
        tcg_gen_or_i64(t, t, z);
    }
    return cc_imm(TCG_COND_TSTNE, t, X86_EFLAGS_SF);
}

static bool prepare_sub(DisasContext *s, int jcc, int size, CCPrepare *p)
{
    switch (jcc) {
    case JCC_B: *p = cc_reg(TCG_COND_LTU, x86_cpu_cc_src2, x86_cpu_cc_src); return true;
    case JCC_BE: *p = cc_reg(TCG_COND_LEU, x86_cpu_cc_src2, x86_cpu_cc_src); return true;
    case JCC_L:
        *p = cc_reg(TCG_COND_LT, sext_of(size, x86_cpu_cc_src2), sext_of(size, x86_cpu_cc_src));
        return true;
    case JCC_LE:
        *p = cc_reg(TCG_COND_LE, sext_of(size, x86_cpu_cc_src2), sext_of(size, x86_cpu_cc_src));
        return true;
    default: return false;
    }
}

static bool prepare_logic(DisasContext *s, int jcc, int size, CCPrepare *p)
{
    switch (jcc) {
    case JCC_O: case JCC_B: *p = cc_never(); return true;
    case JCC_BE: *p = cc_imm(TCG_COND_EQ, x86_cpu_cc_dst, 0); return true;
    case JCC_L: *p = cc_imm(TCG_COND_LT, sext_of(size, x86_cpu_cc_dst), 0); return true;
    case JCC_LE: *p = cc_imm(TCG_COND_LE, sext_of(size, x86_cpu_cc_dst), 0); return true;
    default: return false;
    }
}

/* OF of the recorded ADD/ADC/SUB/SBB in the sign bit of the result's size: the operands
 * had equal signs (add) or different signs (subtract) and the result's sign differs
 * from the first operand's (SDM vol. 1, 3.4.3.1). */
static TCGv_i64 overflow_word(int kind, int size)
{
    TCGv_i64 a = arith_src1(kind, size), t = tcg_temp_new_i64(), u = tcg_temp_new_i64();
    tcg_gen_xor_i64(t, a, x86_cpu_cc_dst);
    tcg_gen_xor_i64(u, a, x86_cpu_cc_src);
    if (kind == CC_OP_ADD || kind == CC_OP_ADC) {
        tcg_gen_andc_i64(t, t, u);
    } else {
        tcg_gen_and_i64(t, t, u);
    }
    return t;
}

/* A 0/1 value OR'ed with ZF, as a condition (BE = CF | ZF, LE = (SF ^ OF) | ZF). */
static CCPrepare or_zf(TCGv_i64 bit)
{
    TCGv_i64 z = tcg_temp_new_i64();
    tcg_gen_setcondi_i64(TCG_COND_EQ, z, x86_cpu_cc_dst, 0);
    tcg_gen_or_i64(z, z, bit);
    return cc_imm(TCG_COND_NE, z, 0);
}

/* Conditions of ADD/ADC/SUB/SBB without the flags helper: O, B, BE, L, LE. */
static bool prepare_arith(DisasContext *s, int jcc, int kind, int size, CCPrepare *p)
{
    uint64_t sign = 1ull << (ot_bits(size) - 1);
    TCGv_i64 t;

    switch (jcc) {
    case JCC_O: *p = cc_imm(TCG_COND_TSTNE, overflow_word(kind, size), sign); return true;
    case JCC_B: case JCC_BE:
        t = tcg_temp_new_i64();
        x86_gen_compute_cf(s, t);
        *p = jcc == JCC_B ? cc_imm(TCG_COND_NE, t, 0) : or_zf(t);
        return true;
    case JCC_L: case JCC_LE:
        t = overflow_word(kind, size);
        tcg_gen_xor_i64(t, t, x86_cpu_cc_dst);      /* SF ^ OF in the sign bit */
        if (jcc == JCC_L) {
            *p = cc_imm(TCG_COND_TSTNE, t, sign);
            return true;
        }
        tcg_gen_extract_i64(t, t, ot_bits(size) - 1, 1);
        *p = or_zf(t);
        return true;
    default: return false;
    }
}

/* The recorded operation answers directly? */
static bool prepare_direct(DisasContext *s, int jcc, CCPrepare *p)
{
    if (s->cc_op == CC_OP_DYNAMIC || s->cc_op == CC_OP_EFLAGS) {
        return false;
    }
    int kind = s->cc_op & ~3, size = s->cc_op & 3;
    if (jcc == JCC_Z) {
        *p = cc_imm(TCG_COND_EQ, x86_cpu_cc_dst, 0);
        return true;
    }
    if (jcc == JCC_S) {
        *p = cc_imm(TCG_COND_TSTNE, x86_cpu_cc_dst, 1ull << (ot_bits(size) - 1));
        return true;
    }
    if (kind == CC_OP_SUB && prepare_sub(s, jcc, size, p)) {
        return true;
    }
    if (kind == CC_OP_LOGIC) {
        return prepare_logic(s, jcc, size, p);
    }
    if (kind == CC_OP_ADD || kind == CC_OP_ADC || kind == CC_OP_SUB || kind == CC_OP_SBB) {
        return prepare_arith(s, jcc, kind, size, p);
    }
    return false;
}

static CCPrepare prepare_cc(DisasContext *s, int b)
{
    CCPrepare p;
    int jcc = (b >> 1) & 7;

    if (!prepare_direct(s, jcc, &p)) {
        TCGv_i64 f = x86_cpu_cc_src;
        if (s->cc_op != CC_OP_EFLAGS) {
            f = tcg_temp_new_i64();
            x86_gen_compute_eflags_to(s, f);
        }
        p = prepare_from_flags(jcc, f);
    }
    if (b & 1) {
        p.cond = tcg_invert_cond(p.cond);
    }
    return p;
}

void x86_gen_setcc(DisasContext *s, int b, TCGv_i64 d)
{
    CCPrepare p = prepare_cc(s, b);
    if (p.b) {
        tcg_gen_setcond_i64(p.cond, d, p.a, p.b);
    } else {
        tcg_gen_setcondi_i64(p.cond, d, p.a, p.imm);
    }
}

/* At a TB exit after a SUB or CMP, cc_dst (the difference) is not stored: the C side
 * computes it as cc_src2 - cc_src (x86_cc_compute_all), and a TB that starts with the
 * field dynamic reads flags only through it or compares cc_src2 with cc_src
 * (x86_gen_entry_cf). Inside the TB the conditions compare cc_src2 with cc_src directly;
 * a CMP that ends its TB then needs no subtraction at all. */
void x86_gen_drop_sub_dst(DisasContext *s)
{
    if (s->cc_op != CC_OP_DYNAMIC && (s->cc_op & ~3) == CC_OP_SUB) {
        tcg_gen_discard_i64(x86_cpu_cc_dst);
    }
}

static TCGv_i64 copy_if_dst(TCGv_i64 v)
{
    if (v != x86_cpu_cc_dst) {
        return v;
    }
    TCGv_i64 t = tcg_temp_new_i64();
    tcg_gen_mov_i64(t, v);
    return t;
}

/* The conditional branch that ends a TB (Jcc): as x86_gen_jcc_label, and cc_dst of a
 * SUB is not stored (x86_gen_drop_sub_dst) but read into a temp first if tested. */
void x86_gen_jcc_exit(DisasContext *s, int b, TCGLabel *l)
{
    CCPrepare p = prepare_cc(s, b);
    p.a = copy_if_dst(p.a);
    p.b = p.b ? copy_if_dst(p.b) : NULL;
    x86_gen_drop_sub_dst(s);
    if (p.b) {
        tcg_gen_brcond_i64(p.cond, p.a, p.b, l);
    } else {
        tcg_gen_brcondi_i64(p.cond, p.a, p.imm, l);
    }
}

void x86_gen_jcc_label(DisasContext *s, int b, TCGLabel *l)
{
    CCPrepare p = prepare_cc(s, b);
    if (p.b) {
        tcg_gen_brcond_i64(p.cond, p.a, p.b, l);
    } else {
        tcg_gen_brcondi_i64(p.cond, p.a, p.imm, l);
    }
}
