/* Multiply, divide, saturating, DSP and SIMD-in-GPR emitters shared by A32 and T32 (ARM ARM
 * DDI0406C A4.4-A4.4.6, A8.8): MUL/MLA/MLS, long multiplies, UMAAL, SDIV/UDIV (divide by
 * zero gives 0, no trap: SCTLR.DZ is not implemented), QADD/QSUB/QDADD/QDSUB, SMLA<x><y>
 * family, SSAT/USAT(16), extends with rotation, parallel add/subtract with GE, SEL, PKH,
 * REV*, RBIT, bit-field ops, USAD8/USADA8, SMLAD family, SMMUL family. The arithmetic that
 * touches Q or GE lives in dsp-helper.c. */
#include "target-arm/translate.h"
#include "target-arm/dsp-helper.h"

static void gen_call2(const TCGHelperInfo *info, TCGv_i32 ret, TCGv_i32 a, TCGv_i32 b,
                      uint32_t code)
{
    gen_helper(info, ret, 3, a, b, tcg_constant_i32(code));
}

bool gen_mul(DisasContext *s, int op, bool setflags, int rd, int rn, int rm, int ra)
{
    TCGv_i32 d = tcg_temp_new_i32();
    if (rd == 15 || rn == 15 || rm == 15 || (op != 0 && ra == 15) || (op == 3 && setflags)) {
        return false;
    }
    tcg_gen_mul_i32(d, cpu_R[rn], cpu_R[rm]);
    if (op == 1) {
        tcg_gen_add_i32(d, d, cpu_R[ra]);
    } else if (op == 3) {
        tcg_gen_sub_i32(d, cpu_R[ra], d);
    }
    if (setflags) {
        gen_logic_flags(d);
    }
    tcg_gen_mov_i32(cpu_R[rd], d);
    return true;
}

/* op: 2 UMAAL, 4 UMULL, 5 UMLAL, 6 SMULL, 7 SMLAL. */
bool gen_mul_long(DisasContext *s, int op, bool setflags, int rdlo, int rdhi, int rn, int rm)
{
    TCGv_i32 lo = tcg_temp_new_i32(), hi = tcg_temp_new_i32(), zero = tcg_constant_i32(0);
    if (rdlo == 15 || rdhi == 15 || rn == 15 || rm == 15 || rdlo == rdhi ||
        (op == 2 && setflags)) {
        return false;
    }
    if (op == 6 || op == 7) {
        tcg_gen_muls2_i32(lo, hi, cpu_R[rn], cpu_R[rm]);
    } else {
        tcg_gen_mulu2_i32(lo, hi, cpu_R[rn], cpu_R[rm]);
    }
    if (op == 5 || op == 7) {
        tcg_gen_add2_i32(lo, hi, lo, hi, cpu_R[rdlo], cpu_R[rdhi]);
    } else if (op == 2) {
        tcg_gen_add2_i32(lo, hi, lo, hi, cpu_R[rdlo], zero);
        tcg_gen_add2_i32(lo, hi, lo, hi, cpu_R[rdhi], zero);
    }
    if (setflags) {
        tcg_gen_mov_i32(cpu_NF, hi);
        tcg_gen_or_i32(cpu_ZF, lo, hi);
    }
    tcg_gen_mov_i32(cpu_R[rdlo], lo);
    tcg_gen_mov_i32(cpu_R[rdhi], hi);
    return true;
}

/* SDIV/UDIV: x / 0 = 0 and INT_MIN / -1 = INT_MIN (A8.8.165), without host traps. */
bool gen_div(DisasContext *s, bool is_signed, int rd, int rn, int rm)
{
    if (!arm_cpu(s->cpu)->has_idiv || rd == 15 || rn == 15 || rm == 15) {
        return false;
    }
    TCGv_i32 n = tcg_temp_new_i32(), m = tcg_temp_new_i32(), q = tcg_temp_new_i32();
    TCGv_i32 zero = tcg_constant_i32(0), one = tcg_constant_i32(1);
    tcg_gen_mov_i32(n, cpu_R[rn]);
    /* a zero divisor becomes 1 (the result is then replaced by 0) */
    tcg_gen_movcond_i32(TCG_COND_EQ, m, cpu_R[rm], zero, one, cpu_R[rm]);
    if (is_signed) {
        /* INT_MIN / -1: divide by 1 instead, which gives INT_MIN */
        TCGv_i32 t = tcg_temp_new_i32(), u = tcg_temp_new_i32();
        tcg_gen_setcondi_i32(TCG_COND_EQ, t, n, 0x80000000u);
        tcg_gen_setcondi_i32(TCG_COND_EQ, u, m, 0xffffffffu);
        tcg_gen_and_i32(t, t, u);
        tcg_gen_movcond_i32(TCG_COND_NE, m, t, zero, one, m);
        tcg_gen_div_i32(q, n, m);
    } else {
        tcg_gen_divu_i32(q, n, m);
    }
    tcg_gen_movcond_i32(TCG_COND_EQ, cpu_R[rd], cpu_R[rm], zero, zero, q);
    return true;
}

/* QADD (0), QSUB (1), QDADD (2), QDSUB (3). */
bool gen_qarith(DisasContext *s, int op, int rd, int rn, int rm)
{
    if (rd == 15 || rn == 15 || rm == 15) {
        return false;
    }
    TCGv_i32 d = tcg_temp_new_i32();
    gen_call2(&helper_info_qarith, d, cpu_R[rm], cpu_R[rn], op);
    tcg_gen_mov_i32(cpu_R[rd], d);
    return true;
}

static void half(TCGv_i32 dst, int r, bool top)
{
    if (top) {
        tcg_gen_sari_i32(dst, cpu_R[r], 16);
    } else {
        tcg_gen_ext16s_i32(dst, cpu_R[r]);
    }
}

/* op 0: SMLA<x><y>, 1: SMLAW<y> (x = 0) / SMULW<y> (x = 1), 2: SMLAL<x><y>, 3: SMUL<x><y>. */
bool gen_halfmul(DisasContext *s, int op, int rd, int ra, int rn, int rm, bool x, bool y,
                 int rdhi)
{
    TCGv_i32 a = tcg_temp_new_i32(), b = tcg_temp_new_i32(), p = tcg_temp_new_i32();
    if (rd == 15 || rn == 15 || rm == 15 || ((op == 0 || op == 2 || (op == 1 && !x)) && ra == 15)) {
        return false;
    }
    if (op == 1) {                  /* (Rn * Rm.half) >> 16, 48-bit product */
        TCGv_i32 lo = tcg_temp_new_i32();
        half(b, rm, y);
        tcg_gen_muls2_i32(lo, p, cpu_R[rn], b);
        tcg_gen_shri_i32(lo, lo, 16);
        tcg_gen_shli_i32(p, p, 16);
        tcg_gen_or_i32(p, p, lo);
        if (!x) {
            gen_call2(&helper_info_add_setq, p, p, cpu_R[ra], 0);
        }
        tcg_gen_mov_i32(cpu_R[rd], p);
        return true;
    }
    half(a, rn, x);
    half(b, rm, y);
    tcg_gen_mul_i32(p, a, b);
    if (op == 0) {
        gen_call2(&helper_info_add_setq, p, p, cpu_R[ra], 0);
    } else if (op == 2) {          /* RdHi:RdLo += product; rd = RdHi, ra = RdLo */
        TCGv_i32 ph = tcg_temp_new_i32();
        tcg_gen_sari_i32(ph, p, 31);
        tcg_gen_add2_i32(cpu_R[ra], cpu_R[rd], cpu_R[ra], cpu_R[rd], p, ph);
        return true;
    }
    tcg_gen_mov_i32(cpu_R[rd], p);
    return true;
}

/* SSAT/USAT (sat = sat_imm: SSAT saturates to sat+1 bits, USAT to sat bits), *16 forms. */
bool gen_sat(DisasContext *s, bool is_unsigned, int rd, int sat, int rn, int sh, int shamt,
             bool half16)
{
    if (rd == 15 || rn == 15) {
        return false;
    }
    TCGv_i32 v = load_reg(s, rn), d = tcg_temp_new_i32();
    if (!half16) {
        gen_shift_imm(v, sh ? 2 : 0, shamt, false);
    }
    uint32_t code = sat | (is_unsigned ? 0x20 : 0) | (half16 ? 0x40 : 0);
    gen_call2(&helper_info_sat, d, v, v, code);
    tcg_gen_mov_i32(cpu_R[rd], d);
    return true;
}

/* op = bits 22:20: 0 SXTAB16, 2 SXTAB, 3 SXTAH, 4 UXTAB16, 6 UXTAB, 7 UXTAH; rn 15: no add. */
bool gen_extend(DisasContext *s, int op, int rd, int rn, int rm, int rot)
{
    if (op == 1 || op == 5 || rd == 15 || rm == 15) {
        return false;
    }
    TCGv_i32 v = tcg_temp_new_i32();
    tcg_gen_rotri_i32(v, cpu_R[rm], rot * 8);
    if ((op & 3) == 0) {            /* the 16-bit pair forms */
        TCGv_i32 r = tcg_temp_new_i32();
        gen_call2(&helper_info_extend16, r, v, rn == 15 ? tcg_constant_i32(0) : cpu_R[rn],
                  op >> 2);
        tcg_gen_mov_i32(cpu_R[rd], r);
        return true;
    }
    switch (op) {
    case 2: tcg_gen_ext8s_i32(v, v); break;
    case 3: tcg_gen_ext16s_i32(v, v); break;
    case 6: tcg_gen_ext8u_i32(v, v); break;
    default: tcg_gen_ext16u_i32(v, v); break;
    }
    if (rn != 15) {
        tcg_gen_add_i32(v, v, cpu_R[rn]);
    }
    tcg_gen_mov_i32(cpu_R[rd], v);
    return true;
}

/* prefix (A32 bits 22:20): 1 S, 2 Q, 3 SH, 5 U, 6 UQ, 7 UH; op: 0 ADD16, 1 ASX, 2 SAX,
 * 3 SUB16, 4 ADD8, 7 SUB8. */
bool gen_parallel(DisasContext *s, int prefix, int op, int rd, int rn, int rm)
{
    if (prefix == 0 || prefix == 4 || op == 5 || op == 6 || rd == 15 || rn == 15 || rm == 15) {
        return false;
    }
    TCGv_i32 d = tcg_temp_new_i32();
    gen_call2(&helper_info_parallel, d, cpu_R[rn], cpu_R[rm], prefix << 3 | op);
    tcg_gen_mov_i32(cpu_R[rd], d);
    return true;
}

/* op: 0 REV, 1 REV16, 2 RBIT, 3 REVSH. */
bool gen_rev(DisasContext *s, int op, int rd, int rm)
{
    if (rd == 15 || rm == 15) {
        return false;
    }
    TCGv_i32 v = tcg_temp_new_i32();
    switch (op) {
    case 0:
        tcg_gen_bswap32_i32(v, cpu_R[rm]);
        break;
    case 1: {
        TCGv_i32 t = tcg_temp_new_i32();
        tcg_gen_shri_i32(t, cpu_R[rm], 8);
        tcg_gen_andi_i32(t, t, 0x00ff00ff);
        tcg_gen_shli_i32(v, cpu_R[rm], 8);
        tcg_gen_andi_i32(v, v, 0xff00ff00u);
        tcg_gen_or_i32(v, v, t);
        break;
    }
    case 2:
        gen_call2(&helper_info_rbit, v, cpu_R[rm], cpu_R[rm], 0);
        break;
    default:
        tcg_gen_bswap16_i32(v, cpu_R[rm]);
        tcg_gen_ext16s_i32(v, v);
        break;
    }
    tcg_gen_mov_i32(cpu_R[rd], v);
    return true;
}

/* op 0 SBFX, 1 UBFX (width_or_msb = width - 1), 2 BFI / BFC (rn 15; msb). */
bool gen_bitfield(DisasContext *s, int op, int rd, int rn, int lsb, int wm)
{
    if (rd == 15) {
        return false;
    }
    if (op == 2) {
        if (wm < lsb) {
            return false;
        }
        TCGv_i32 src = rn == 15 ? tcg_constant_i32(0) : cpu_R[rn];
        tcg_gen_deposit_i32(cpu_R[rd], cpu_R[rd], src, lsb, wm - lsb + 1);
        return true;
    }
    if (rn == 15 || lsb + wm > 31) {
        return false;
    }
    if (op == 0) {
        tcg_gen_sextract_i32(cpu_R[rd], cpu_R[rn], lsb, wm + 1);
    } else {
        tcg_gen_extract_i32(cpu_R[rd], cpu_R[rn], lsb, wm + 1);
    }
    return true;
}

bool gen_sel(DisasContext *s, int rd, int rn, int rm)
{
    if (rd == 15 || rn == 15 || rm == 15) {
        return false;
    }
    TCGv_i32 d = tcg_temp_new_i32();
    gen_call2(&helper_info_sel, d, cpu_R[rn], cpu_R[rm], 0);
    tcg_gen_mov_i32(cpu_R[rd], d);
    return true;
}

/* PKHBT (tb 0: Rn bottom, Rm LSL top) / PKHTB (tb 1: Rn top, Rm ASR bottom). */
bool gen_pkh(DisasContext *s, bool tb, int rd, int rn, int rm, int shamt)
{
    if (rd == 15 || rn == 15 || rm == 15) {
        return false;
    }
    TCGv_i32 m = load_reg(s, rm), d = tcg_temp_new_i32();
    gen_shift_imm(m, tb ? 2 : 0, shamt, false);
    if (tb) {
        tcg_gen_deposit_i32(d, cpu_R[rn], m, 0, 16);
    } else {
        tcg_gen_deposit_i32(d, m, cpu_R[rn], 0, 16);
    }
    tcg_gen_mov_i32(cpu_R[rd], d);
    return true;
}

bool gen_usad(DisasContext *s, int rd, int rn, int rm, int ra)
{
    if (rd == 15 || rn == 15 || rm == 15) {
        return false;
    }
    TCGv_i32 d = tcg_temp_new_i32();
    gen_call2(&helper_info_usad8, d, cpu_R[rn], cpu_R[rm], 0);
    if (ra != 15) {
        tcg_gen_add_i32(d, d, cpu_R[ra]);
    }
    tcg_gen_mov_i32(cpu_R[rd], d);
    return true;
}

/* op: 0 SMLAD/SMUAD, 1 SMLSD/SMUSD, 2 SMLALD, 3 SMLSLD; x swaps Rm's halves. For the
 * long forms rd is RdHi and ra RdLo. */
bool gen_dualmul(DisasContext *s, int op, int rd, int ra, int rn, int rm, bool x, int rdhi)
{
    if (rd == 15 || rn == 15 || rm == 15 || (op >= 2 && (ra == 15 || ra == rd))) {
        return false;
    }
    TCGv_i32 m = tcg_temp_new_i32(), p1 = tcg_temp_new_i32(), p2 = tcg_temp_new_i32();
    TCGv_i32 a = tcg_temp_new_i32(), b = tcg_temp_new_i32();
    if (x) {
        tcg_gen_rotri_i32(m, cpu_R[rm], 16);
    } else {
        tcg_gen_mov_i32(m, cpu_R[rm]);
    }
    tcg_gen_ext16s_i32(a, cpu_R[rn]);
    tcg_gen_ext16s_i32(b, m);
    tcg_gen_mul_i32(p1, a, b);
    tcg_gen_sari_i32(a, cpu_R[rn], 16);
    tcg_gen_sari_i32(b, m, 16);
    tcg_gen_mul_i32(p2, a, b);
    if (op >= 2) {
        TCGv_i32 h1 = tcg_temp_new_i32(), h2 = tcg_temp_new_i32();
        tcg_gen_sari_i32(h1, p1, 31);
        tcg_gen_sari_i32(h2, p2, 31);
        if (op == 2) {
            tcg_gen_add2_i32(p1, h1, p1, h1, p2, h2);
        } else {
            tcg_gen_sub2_i32(p1, h1, p1, h1, p2, h2);
        }
        tcg_gen_add2_i32(cpu_R[ra], cpu_R[rd], cpu_R[ra], cpu_R[rd], p1, h1);
        return true;
    }
    /* the sum of the two products can overflow only for SMLAD/SMUAD (-32768 squared twice) */
    gen_call2(&helper_info_dual_setq, p1, p1, p2, op);
    if (ra != 15) {
        gen_call2(&helper_info_add_setq, p1, p1, cpu_R[ra], 0);
    }
    tcg_gen_mov_i32(cpu_R[rd], p1);
    return true;
}

/* SMMLA/SMMUL (op 0, ra 15: no accumulate), SMMLS (op 1); round adds 0x80000000. */
bool gen_mostmul(DisasContext *s, int op, int rd, int ra, int rn, int rm, bool round)
{
    if (rd == 15 || rn == 15 || rm == 15 || (op && ra == 15)) {
        return false;
    }
    TCGv_i32 lo = tcg_temp_new_i32(), hi = tcg_temp_new_i32();
    tcg_gen_muls2_i32(lo, hi, cpu_R[rn], cpu_R[rm]);
    if (ra != 15) {
        TCGv_i32 zero = tcg_constant_i32(0);
        if (op) {
            tcg_gen_sub2_i32(lo, hi, zero, cpu_R[ra], lo, hi);
        } else {
            tcg_gen_add_i32(hi, hi, cpu_R[ra]);
        }
    }
    if (round) {
        tcg_gen_add2_i32(lo, hi, lo, hi, tcg_constant_i32(0x80000000u), tcg_constant_i32(0));
    }
    tcg_gen_mov_i32(cpu_R[rd], hi);
    return true;
}
