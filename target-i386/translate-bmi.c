/* x86 BMI1 and BMI2 instructions for the translator (VEX-encoded general-purpose forms,
 * decoded by decode-vex.c): ANDN, BEXTR, BLSI/BLSMSK/BLSR, BZHI, MULX, PDEP/PEXT, RORX,
 * SARX/SHLX/SHRX, with their flags (Intel SDM vol. 2 entries of each). Operand size is
 * VEX.W (64 in 64-bit mode, else 32: CS.D and 66 do not apply); VEX.L = 1 is #UD. */
#include "target-i386/cpuid.h"
#include "target-i386/helper.h"
#include "target-i386/translate.h"

static int vex_ot(DisasContext *s)
{
    return s->rex_w ? MO_64 : MO_32;
}

/* #UD unless the model offers the extension (BMI1 or BMI2 bit) and VEX.L is 0. */
static bool bmi_ok(DisasContext *s, uint32_t bit)
{
    if (s->vex_l) {
        x86_gen_illegal(s);
        return false;
    }
    return x86_need_feature(s, FEAT_7_0_EBX, bit);
}

static TCGv_i64 vreg(DisasContext *s, int ot)
{
    TCGv_i64 v = tcg_temp_new_i64();
    x86_gen_op_mov_v_reg(s, ot, v, s->vex_v);
    return v;
}

/* Writes dst; flags: SF ZF from res (zero-extended), CF = cf, OF 0. */
static void bmi_result(DisasContext *s, int ot, int dst, TCGv_i64 res, TCGv_i64 cf)
{
    x86_gen_ext(ot, res, res, false);
    x86_gen_op_mov_reg_canon(s, ot, dst, res);
    x86_gen_set_cc(s, CC_OP_BMI + ot, res, cf, NULL);
}

/* ANDN r, vvvv, r/m: r = ~vvvv & r/m. */
void x86_emit_andn(DisasContext *s, const X86OpEntry *e)
{
    (void)e;
    if (!bmi_ok(s, CPUID_7_0_EBX_BMI1)) {
        return;
    }
    int ot = vex_ot(s);
    TCGv_i64 src = x86_gen_ld_rm(s, ot, NULL), res = tcg_temp_new_i64();
    tcg_gen_andc_i64(res, src, vreg(s, ot));
    bmi_result(s, ot, s->reg, res, tcg_constant_i64(0));
}

/* Group 17: BLSR (/1), BLSMSK (/2), BLSI (/3) vvvv, r/m. */
void x86_emit_bls(DisasContext *s, const X86OpEntry *e)
{
    (void)e;
    int op = (s->modrm >> 3) & 7;
    if (op < 1 || op > 3) {
        x86_gen_illegal(s);
        return;
    }
    if (!bmi_ok(s, CPUID_7_0_EBX_BMI1)) {
        return;
    }
    int ot = vex_ot(s);
    TCGv_i64 src = x86_gen_ld_rm(s, ot, NULL), res = tcg_temp_new_i64();
    TCGv_i64 cf = tcg_temp_new_i64();
    tcg_gen_setcondi_i64(op == 3 ? TCG_COND_NE : TCG_COND_EQ, cf, src, 0);
    if (op == 3) {
        tcg_gen_neg_i64(res, src);
        tcg_gen_and_i64(res, res, src);
    } else {
        tcg_gen_subi_i64(res, src, 1);
        if (op == 1) {
            tcg_gen_and_i64(res, res, src);
        } else {
            tcg_gen_xor_i64(res, res, src);
        }
    }
    bmi_result(s, ot, s->vex_v, res, cf);
}

/* BZHI r, r/m, vvvv: r/m with the bits from index vvvv[7:0] up cleared; CF = index
 * beyond the operand size. */
void x86_emit_bzhi(DisasContext *s, const X86OpEntry *e)
{
    (void)e;
    if (!bmi_ok(s, CPUID_7_0_EBX_BMI2)) {
        return;
    }
    int ot = vex_ot(s);
    TCGv_i64 src = x86_gen_ld_rm(s, ot, NULL), n = vreg(s, ot), mask = tcg_temp_new_i64();
    TCGv_i64 cf = tcg_temp_new_i64(), sh = tcg_temp_new_i64();
    tcg_gen_andi_i64(n, n, 0xff);
    tcg_gen_andi_i64(sh, n, 63);
    tcg_gen_shl_i64(mask, tcg_constant_i64(1), sh);
    tcg_gen_subi_i64(mask, mask, 1);
    tcg_gen_movcond_i64(TCG_COND_GEU, mask, n, tcg_constant_i64(ot_bits(ot)),
                        tcg_constant_i64(-1), mask);
    tcg_gen_setcondi_i64(TCG_COND_GEU, cf, n, ot_bits(ot));
    tcg_gen_and_i64(mask, mask, src);
    bmi_result(s, ot, s->reg, mask, cf);
}

/* BEXTR r, r/m, vvvv: the field of length vvvv[15:8] from bit vvvv[7:0] of r/m. */
void x86_emit_bextr(DisasContext *s, const X86OpEntry *e)
{
    (void)e;
    if (!bmi_ok(s, CPUID_7_0_EBX_BMI1)) {
        return;
    }
    int ot = vex_ot(s);
    TCGv_i64 src = x86_gen_ld_rm(s, ot, NULL), ctl = vreg(s, ot);
    TCGv_i64 start = tcg_temp_new_i64(), len = tcg_temp_new_i64(), t = tcg_temp_new_i64();
    TCGv_i64 mask = tcg_temp_new_i64(), res = tcg_temp_new_i64();
    tcg_gen_extract_i64(start, ctl, 0, 8);
    tcg_gen_extract_i64(len, ctl, 8, 8);
    tcg_gen_andi_i64(t, start, 63);
    tcg_gen_shr_i64(res, src, t);
    tcg_gen_movcond_i64(TCG_COND_GEU, res, start, tcg_constant_i64(ot_bits(ot)),
                        tcg_constant_i64(0), res);
    tcg_gen_andi_i64(t, len, 63);
    tcg_gen_shl_i64(mask, tcg_constant_i64(1), t);
    tcg_gen_subi_i64(mask, mask, 1);
    tcg_gen_movcond_i64(TCG_COND_GEU, mask, len, tcg_constant_i64(64), tcg_constant_i64(-1),
                        mask);
    tcg_gen_and_i64(res, res, mask);
    bmi_result(s, ot, s->reg, res, tcg_constant_i64(0));
}

/* MULX r(high), vvvv(low), r/m: unsigned rDX * r/m, flags untouched; when r = vvvv it
 * gets the high half. */
void x86_emit_mulx(DisasContext *s, const X86OpEntry *e)
{
    (void)e;
    if (!bmi_ok(s, CPUID_7_0_EBX_BMI2)) {
        return;
    }
    int ot = vex_ot(s);
    TCGv_i64 src = x86_gen_ld_rm(s, ot, NULL), d = tcg_temp_new_i64();
    TCGv_i64 lo = tcg_temp_new_i64(), hi = tcg_temp_new_i64();
    x86_gen_op_mov_v_reg(s, ot, d, R_EDX);
    if (ot == MO_64) {
        tcg_gen_mulu2_i64(lo, hi, d, src);
    } else {
        tcg_gen_mul_i64(lo, d, src);
        tcg_gen_shri_i64(hi, lo, 32);
    }
    x86_gen_op_mov_reg_v(s, ot, s->vex_v, lo);
    x86_gen_op_mov_reg_v(s, ot, s->reg, hi);
}

/* PDEP (arg 0) / PEXT (arg 1) r, vvvv, r/m: deposit / extract vvvv under the mask r/m. */
void x86_emit_pdep_pext(DisasContext *s, const X86OpEntry *e)
{
    if (!bmi_ok(s, CPUID_7_0_EBX_BMI2)) {
        return;
    }
    int ot = vex_ot(s);
    TCGv_i64 mask = x86_gen_ld_rm(s, ot, NULL), res = tcg_temp_new_i64();
    x86_gen_helper(e->arg ? &x86_info_pext : &x86_info_pdep, tcgv_temp(res), 2,
                   tcgv_temp(vreg(s, ot)), tcgv_temp(mask));
    x86_gen_op_mov_reg_canon(s, ot, s->reg, res);
}

/* SHLX (arg 0), SHRX (1), SARX (2) r, r/m, vvvv: count vvvv masked to 5 or 6 bits,
 * flags untouched. */
void x86_emit_shiftx(DisasContext *s, const X86OpEntry *e)
{
    if (!bmi_ok(s, CPUID_7_0_EBX_BMI2)) {
        return;
    }
    int ot = vex_ot(s);
    TCGv_i64 v = x86_gen_ld_rm(s, ot, NULL), n = vreg(s, ot);
    tcg_gen_andi_i64(n, n, ot_bits(ot) - 1);
    switch (e->arg) {
    case 0: tcg_gen_shl_i64(v, v, n); break;
    case 1: tcg_gen_shr_i64(v, v, n); break;
    default:
        x86_gen_ext(ot, v, v, true);
        tcg_gen_sar_i64(v, v, n);
        break;
    }
    x86_gen_op_mov_reg_v(s, ot, s->reg, v);
}

/* RORX r, r/m, imm8: rotate right by imm8 masked to 5 or 6 bits, flags untouched;
 * VEX.vvvv must be 1111b. */
void x86_emit_rorx(DisasContext *s, const X86OpEntry *e)
{
    (void)e;
    if (s->vex_v != 0) {
        x86_gen_illegal(s);
        return;
    }
    if (!bmi_ok(s, CPUID_7_0_EBX_BMI2)) {
        return;
    }
    int ot = vex_ot(s);
    TCGv_i64 v = x86_gen_ld_rm(s, ot, NULL);
    int n = (int)(s->imm & (ot_bits(ot) - 1));
    if (ot == MO_64) {
        tcg_gen_rotri_i64(v, v, n);
    } else {
        /* the value twice side by side: bits n..n+31 are the rotated ones */
        TCGv_i64 t = tcg_temp_new_i64();
        tcg_gen_shli_i64(t, v, 32);
        tcg_gen_or_i64(v, v, t);
        tcg_gen_shri_i64(v, v, n);
    }
    x86_gen_op_mov_reg_v(s, ot, s->reg, v);
}
