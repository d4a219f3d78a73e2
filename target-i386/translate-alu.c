/* x86 integer arithmetic for the translator: the eight ALU operations (ADD OR ADC SBB AND
 * SUB XOR CMP) in all their forms, INC/DEC, TEST, group 3 (NOT NEG MUL IMUL DIV IDIV),
 * IMUL with two and three operands (Intel SDM vol. 2 entries of each instruction). Flags
 * are recorded lazily (cc.h). LOCK-prefixed forms are not yet atomic across vCPUs. */
#include "target-i386/helper.h"
#include "target-i386/translate.h"

enum { OP_ADD, OP_OR, OP_ADC, OP_SBB, OP_AND, OP_SUB, OP_XOR, OP_CMP };

/* res = a op b (+/- cf for ADC/SBB), canonical (zero-extended to ot). */
void x86_gen_alu_result(int op, int ot, TCGv_i64 res, TCGv_i64 a, TCGv_i64 b, TCGv_i64 cf)
{
    switch (op) {
    case OP_ADD: tcg_gen_add_i64(res, a, b); break;
    case OP_OR: tcg_gen_or_i64(res, a, b); break;
    case OP_AND: tcg_gen_and_i64(res, a, b); break;
    case OP_XOR: tcg_gen_xor_i64(res, a, b); break;
    case OP_ADC: tcg_gen_add_i64(res, a, b); tcg_gen_add_i64(res, res, cf); break;
    case OP_SBB: tcg_gen_sub_i64(res, a, b); tcg_gen_sub_i64(res, res, cf); break;
    default: tcg_gen_sub_i64(res, a, b); break;
    }
    x86_gen_ext(ot, res, res, false);
}

void x86_gen_alu_flags(DisasContext *s, int op, int ot, TCGv_i64 res, TCGv_i64 a, TCGv_i64 b,
                       TCGv_i64 cf)
{
    switch (op) {
    case OP_ADD: x86_gen_set_cc(s, CC_OP_ADD + ot, res, b, NULL); break;
    case OP_OR: case OP_AND: case OP_XOR: x86_gen_set_cc(s, CC_OP_LOGIC + ot, res, NULL, NULL); break;
    case OP_ADC: x86_gen_set_cc(s, CC_OP_ADC + ot, res, b, cf); break;
    case OP_SBB: x86_gen_set_cc(s, CC_OP_SBB + ot, res, b, cf); break;
    default: x86_gen_set_cc(s, CC_OP_SUB + ot, res, b, a); break;
    }
}

/* The whole operation: a (destination value, at addr or in register dreg) op b. */
static void gen_alu_full(DisasContext *s, int op, int ot, TCGv_i64 a, TCGv_i64 b,
                         TCGv_i64 addr, int dreg)
{
    TCGv_i64 res = tcg_temp_new_i64(), cf = NULL;

    if (op == OP_ADC || op == OP_SBB) {
        cf = tcg_temp_new_i64();
        x86_gen_compute_cf(s, cf);
    }
    x86_gen_alu_result(op, ot, res, a, b, cf);
    if (op != OP_CMP) {
        if (dreg >= 0) {
            x86_gen_op_mov_reg_canon(s, ot, dreg, res);
        } else {
            x86_gen_st_rm_canon(s, ot, res, addr);
        }
    }
    x86_gen_alu_flags(s, op, ot, res, a, b, cf);
}

/* LOCK with a memory destination: the atomic form (CMP cannot be locked). */
static bool gen_alu_lock(DisasContext *s, int op, int ot, TCGv_i64 b)
{
    if (!(s->prefix & PREFIX_LOCK)) {
        return false;
    }
    if (op == OP_CMP) {
        x86_gen_illegal(s);
    } else {
        x86_gen_alu_locked(s, op, ot, x86_gen_lea_modrm(s), b);
    }
    return true;
}

/* XOR r, r and SUB r, r (the zeroing idioms): the result is 0 whatever the register held,
 * and so are the flags: ZF = PF = 1, the others 0 (AF too: v - v borrows nowhere), which
 * is the LOGIC state of a zero result for both. Nothing reads the register (in 64-bit
 * mode a 32-bit read is a zero-extension per operand), and later code sees a known 0. */
static bool gen_alu_zero_idiom(DisasContext *s, int op, int ot)
{
    if (s->mod != 3 || s->reg != s->rm || (op != OP_XOR && op != OP_SUB)) {
        return false;
    }
    TCGv_i64 zero = tcg_constant_i64(0);
    x86_gen_op_mov_reg_canon(s, ot, s->reg, zero);
    x86_gen_set_cc(s, CC_OP_LOGIC + ot, zero, NULL, NULL);
    return true;
}

void x86_emit_alu(DisasContext *s, const X86OpEntry *e)
{
    int op = e->arg & 7, ot = s->ot;
    TCGv_i64 addr, reg = tcg_temp_new_i64();

    if (!(s->prefix & PREFIX_LOCK) && gen_alu_zero_idiom(s, op, ot)) {
        return;
    }
    x86_gen_op_mov_v_reg(s, ot, reg, s->reg);
    if (!(e->arg & 8) && gen_alu_lock(s, op, ot, reg)) {
        return;
    }
    TCGv_i64 rm = x86_gen_ld_rm(s, ot, &addr);
    if (e->arg & 8) {
        gen_alu_full(s, op, ot, reg, rm, NULL, s->reg);
    } else {
        gen_alu_full(s, op, ot, rm, reg, addr, s->mod == 3 ? s->rm : -1);
    }
}

void x86_emit_alu_imm(DisasContext *s, const X86OpEntry *e)
{
    int op = (s->modrm >> 3) & 7, ot = s->ot;
    TCGv_i64 addr;

    if (gen_alu_lock(s, op, ot, tcg_constant_i64(s->imm & ot_mask(ot)))) {
        return;
    }
    TCGv_i64 rm = x86_gen_ld_rm(s, ot, &addr);
    bool sp_known = s->sp_known;
    gen_alu_full(s, op, ot, rm, tcg_constant_i64(s->imm & ot_mask(ot)), addr,
                 s->mod == 3 ? s->rm : -1);
    /* ADD/SUB ESP, imm of the stack's size (a frame allocated or dropped): the RET
     * prediction still knows ESP (x86_emit_ret) */
    if (s->mod == 3 && s->rm == R_ESP && ot == x86_stack_ot(s) && ot >= MO_32 &&
        (op == OP_ADD || op == OP_SUB)) {
        s->sp_known = sp_known;
        s->sp_delta += op == OP_ADD ? s->imm : -s->imm;
    }
}

void x86_emit_alu_acc_imm(DisasContext *s, const X86OpEntry *e)
{
    TCGv_i64 acc = tcg_temp_new_i64();
    x86_gen_op_mov_v_reg(s, s->ot, acc, R_EAX);
    gen_alu_full(s, e->arg, s->ot, acc, tcg_constant_i64(s->imm & ot_mask(s->ot)), NULL, R_EAX);
}

/* ---- INC, DEC, TEST ----------------------------------------------------------------------- */

/* cf: the carry before the instruction (NULL: computed here). */
static void gen_inc_dec(DisasContext *s, int ot, TCGv_i64 v, bool dec, TCGv_i64 addr, int reg,
                        TCGv_i64 cf)
{
    TCGv_i64 res = tcg_temp_new_i64();

    if (!cf) {
        cf = tcg_temp_new_i64();
        x86_gen_compute_cf(s, cf);
    }
    tcg_gen_addi_i64(res, v, dec ? -1 : 1);
    x86_gen_ext(ot, res, res, false);
    if (reg >= 0) {
        x86_gen_op_mov_reg_canon(s, ot, reg, res);
    } else {
        x86_gen_st_rm_canon(s, ot, res, addr);
    }
    x86_gen_set_cc(s, (dec ? CC_OP_DEC : CC_OP_INC) + ot, res, cf, NULL);
}

void x86_emit_inc_dec_reg(DisasContext *s, const X86OpEntry *e)
{
    int reg = s->opcode & 7;
    TCGv_i64 cf = x86_gen_entry_cf(s);      /* before any temp: it may emit labels */
    TCGv_i64 v = tcg_temp_new_i64();
    x86_gen_op_mov_v_reg(s, s->ot, v, reg);
    gen_inc_dec(s, s->ot, v, e->arg, NULL, reg, cf);
}

void x86_emit_inc_dec(DisasContext *s, const X86OpEntry *e)
{
    TCGv_i64 addr;

    if (s->prefix & PREFIX_LOCK) {
        x86_gen_incdec_locked(s, s->ot, x86_gen_lea_modrm(s), e->arg);
        return;
    }
    TCGv_i64 cf = x86_gen_entry_cf(s);      /* before any temp: it may emit labels */
    TCGv_i64 v = x86_gen_ld_rm(s, s->ot, &addr);
    gen_inc_dec(s, s->ot, v, e->arg, addr, s->mod == 3 ? s->rm : -1, cf);
}

static void gen_test(DisasContext *s, int ot, TCGv_i64 a, TCGv_i64 b)
{
    TCGv_i64 res = tcg_temp_new_i64();
    tcg_gen_and_i64(res, a, b);
    x86_gen_set_cc(s, CC_OP_LOGIC + ot, res, NULL, NULL);
}

void x86_emit_test(DisasContext *s, const X86OpEntry *e)
{
    TCGv_i64 reg = tcg_temp_new_i64();
    x86_gen_op_mov_v_reg(s, s->ot, reg, s->reg);
    gen_test(s, s->ot, x86_gen_ld_rm(s, s->ot, NULL), reg);
}

void x86_emit_test_acc(DisasContext *s, const X86OpEntry *e)
{
    TCGv_i64 acc = tcg_temp_new_i64();
    x86_gen_op_mov_v_reg(s, s->ot, acc, R_EAX);
    gen_test(s, s->ot, acc, tcg_constant_i64(s->imm & ot_mask(s->ot)));
}

/* ---- multiplication ------------------------------------------------------------------------- */

/* MUL/IMUL r/m: (high:low) = acc * v; CF = OF = high part significant. */
static void gen_mul_acc(DisasContext *s, int ot, TCGv_i64 v, bool sign)
{
    TCGv_i64 acc = tcg_temp_new_i64(), lo = tcg_temp_new_i64(), hi = tcg_temp_new_i64();
    TCGv_i64 ovf = tcg_temp_new_i64();

    x86_gen_op_mov_v_reg(s, ot, acc, R_EAX);
    if (ot == MO_64) {
        sign ? tcg_gen_muls2_i64(lo, hi, acc, v) : tcg_gen_mulu2_i64(lo, hi, acc, v);
        tcg_gen_sari_i64(ovf, lo, 63);
        tcg_gen_sub_i64(ovf, hi, sign ? ovf : tcg_constant_i64(0));
    } else {
        TCGv_i64 p = tcg_temp_new_i64(), sl = tcg_temp_new_i64();
        if (sign) {
            x86_gen_ext(ot, acc, acc, true);
            x86_gen_ext(ot, v, v, true);
        }
        tcg_gen_mul_i64(p, acc, v);
        x86_gen_ext(ot, lo, p, false);
        tcg_gen_shri_i64(hi, p, ot_bits(ot));
        x86_gen_ext(ot, hi, hi, false);
        x86_gen_ext(ot, sl, p, sign);
        tcg_gen_sub_i64(ovf, p, sl);
    }
    if (ot == MO_8) {
        TCGv_i64 ax = tcg_temp_new_i64();
        tcg_gen_deposit_i64(ax, lo, hi, 8, 8);
        x86_gen_op_mov_reg_v(s, MO_16, R_EAX, ax);
    } else {
        x86_gen_op_mov_reg_canon(s, ot, R_EAX, lo);
        x86_gen_op_mov_reg_canon(s, ot, R_EDX, hi);
    }
    x86_gen_set_cc(s, CC_OP_MUL + ot, lo, ovf, NULL);
}

/* dst = a * b (truncated), signed overflow recorded. The result is the truncated product
 * (for 16/32 bits of the raw values: the low half does not depend on the inputs' upper
 * bits), the overflow comes from a second, full signed product that the middle end
 * deletes when the flags are dead (nearly always after IMUL): no movsxd on the result's
 * path, and a 64-bit `imul r, r/m` or `imul r, r, imm32` instead of the one-operand form
 * through RDX:RAX. */
static void gen_imul_trunc(DisasContext *s, int ot, int reg, TCGv_i64 a, TCGv_i64 b)
{
    TCGv_i64 lo = tcg_temp_new_i64(), hi = tcg_temp_new_i64(), ovf = tcg_temp_new_i64();

    if (ot == MO_64) {
        TCGv_i64 p = tcg_temp_new_i64();
        tcg_gen_mul_i64(lo, a, b);
        tcg_gen_muls2_i64(p, hi, a, b);
        tcg_gen_sari_i64(ovf, p, 63);
        tcg_gen_sub_i64(ovf, hi, ovf);
    } else {
        TCGv_i64 sa = tcg_temp_new_i64(), sb = tcg_temp_new_i64(), p = tcg_temp_new_i64();
        tcg_gen_mul_i64(p, a, b);
        x86_gen_ext(ot, lo, p, false);
        x86_gen_ext(ot, sa, a, true);
        x86_gen_ext(ot, sb, b, true);
        tcg_gen_mul_i64(p, sa, sb);
        x86_gen_ext(ot, hi, p, true);
        tcg_gen_sub_i64(ovf, p, hi);
    }
    x86_gen_op_mov_reg_canon(s, ot, reg, lo);
    x86_gen_set_cc(s, CC_OP_MUL + ot, lo, ovf, NULL);
}

/* The immediate sign-extended from the operand size: the same low bits as the masked
 * value, and an imm32 for the back end's `imul r, r, imm32`. */
void x86_emit_imul3(DisasContext *s, const X86OpEntry *e)
{
    int64_t imm = s->ot == MO_16   ? (int16_t)s->imm
                  : s->ot == MO_32 ? (int32_t)s->imm
                                   : (int64_t)s->imm;
    TCGv_i64 b = tcg_constant_i64(imm);
    gen_imul_trunc(s, s->ot, s->reg, x86_gen_ld_rm(s, s->ot, NULL), b);
}

void x86_emit_imul2(DisasContext *s, const X86OpEntry *e)
{
    TCGv_i64 a = tcg_temp_new_i64();
    x86_gen_op_mov_v_reg(s, s->ot, a, s->reg);
    gen_imul_trunc(s, s->ot, s->reg, a, x86_gen_ld_rm(s, s->ot, NULL));
}

static const TCGHelperInfo *const div_helpers[2][4] = {
    { &x86_info_divb, &x86_info_divw, &x86_info_divl, &x86_info_divq },
    { &x86_info_idivb, &x86_info_idivw, &x86_info_idivl, &x86_info_idivq },
};
/* Unsigned DIV inline (host divide), the helper only for #DE: a zero divisor or a
 * quotient that does not fit (high half of the dividend >= divisor). 64 bits: inline only
 * when RDX is 0 (`xor edx, edx; div`: a 64-bit host divide); a 128-bit dividend goes to
 * the helper (a software 128/64 division there). */
static void gen_div_inline(DisasContext *s, int ot, TCGv_i64 v)
{
    int bits = ot_bits(ot);
    TCGv_i64 num = tcg_temp_new_tb_i64(), den;
    TCGv_i64 hi = tcg_temp_new_i64(), bad = tcg_temp_new_i64(), t = tcg_temp_new_i64();
    TCGLabel *slow = gen_new_label(), *done = gen_new_label();

    /* A divisor in a register that holds exactly the operand (see x86_gen_op_mov_v_reg)
     * is read from it on both paths: a copy would live across the branch (a store to the
     * frame and a move per DIV) */
    if (s->mod == 3 && (ot == MO_64 || (ot == MO_32 && !(s->flags & HF_LMA)))) {
        den = x86_cpu_regs[s->rm];
    } else {
        den = tcg_temp_new_tb_i64();
        tcg_gen_mov_i64(den, v);
    }
    if (ot == MO_64) {
        tcg_gen_mov_i64(num, x86_cpu_regs[R_EAX]);
        tcg_gen_setcondi_i64(TCG_COND_EQ, t, den, 0);
        tcg_gen_or_i64(bad, x86_cpu_regs[R_EDX], t);
    } else {
        if (ot == MO_8) {
            tcg_gen_ext16u_i64(num, x86_cpu_regs[R_EAX]);
            tcg_gen_shri_i64(hi, num, 8);
        } else {
            x86_gen_ext(ot, hi, x86_cpu_regs[R_EDX], false);
            x86_gen_ext(ot, num, x86_cpu_regs[R_EAX], false);
            tcg_gen_shli_i64(t, hi, bits);
            tcg_gen_or_i64(num, num, t);
        }
        tcg_gen_setcond_i64(TCG_COND_GEU, bad, hi, den);   /* also true when den == 0 */
    }
    x86_gen_update_cc_op(s);
    tcg_gen_brcondi_i64(TCG_COND_NE, bad, 0, slow);
    TCGv_i64 q = tcg_temp_new_i64(), r = tcg_temp_new_i64();
    /* One host divide: the remainder is num - q * den (a multiply costs a few cycles, a
     * second 64-bit divide tens). */
    tcg_gen_divu_i64(q, num, den);
    tcg_gen_mul_i64(r, q, den);
    tcg_gen_sub_i64(r, num, r);
    if (ot == MO_8) {
        tcg_gen_deposit_i64(q, q, r, 8, 8);
        x86_gen_op_mov_reg_v(s, MO_16, R_EAX, q);
    } else {
        x86_gen_op_mov_reg_canon(s, ot, R_EAX, q);
        x86_gen_op_mov_reg_canon(s, ot, R_EDX, r);
    }
    tcg_gen_br(done);
    gen_set_label(slow);
    x86_gen_helper(div_helpers[0][ot], NULL, 2, tcgv_temp(tcg_env), tcgv_temp(den));
    gen_set_label(done);
}

/* ---- group 3 ------------------------------------------------------------------------------------ */


void x86_emit_grp3(DisasContext *s, const X86OpEntry *e)
{
    int op = (s->modrm >> 3) & 7, ot = s->ot;
    TCGv_i64 addr, res = tcg_temp_new_i64();

    if (s->prefix & PREFIX_LOCK) {
        if (op == 2) {
            x86_gen_not_locked(s, ot, x86_gen_lea_modrm(s));
        } else if (op == 3) {
            x86_gen_neg_locked(s, ot, x86_gen_lea_modrm(s));
        } else {
            x86_gen_illegal(s);
        }
        return;
    }
    TCGv_i64 v = x86_gen_ld_rm(s, ot, &addr);
    switch (op) {
    case 0: case 1:
        gen_test(s, ot, v, tcg_constant_i64(s->imm & ot_mask(ot)));
        break;
    case 2:
        tcg_gen_not_i64(res, v);
        x86_gen_st_rm(s, ot, res, addr);
        break;
    case 3:
        tcg_gen_neg_i64(res, v);
        x86_gen_ext(ot, res, res, false);
        x86_gen_st_rm(s, ot, res, addr);
        x86_gen_set_cc(s, CC_OP_SUB + ot, res, v, tcg_constant_i64(0));
        break;
    case 4: case 5:
        gen_mul_acc(s, ot, v, op == 5);
        break;
    default:
        if (op == 6) {
            gen_div_inline(s, ot, v);
        } else {
            x86_gen_helper(div_helpers[op == 7][ot], NULL, 2, tcgv_temp(tcg_env), tcgv_temp(v));
        }
        break;
    }
}
