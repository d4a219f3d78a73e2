/* The A32 (ARM state) decoder of ARMv7-A (ARM ARM DDI0406C A5): conditional execution
 * (A8.3), then a table of mask/match entries, first match wins, each with a short emitter
 * that extracts the fields and calls the shared emitters of translate*.c. Unconditional
 * space (cond = 1111, A5.7) has its own table. */
#include "target-arm/translate.h"

#define BITS(x, hi, lo) (((x) >> (lo)) & ((1u << ((hi) - (lo) + 1)) - 1))
#define BIT(x, n) (((x) >> (n)) & 1)
#define RD ((int)BITS(insn, 15, 12))
#define RN ((int)BITS(insn, 19, 16))
#define RM ((int)BITS(insn, 3, 0))
#define RS ((int)BITS(insn, 11, 8))

/* ---- data processing (A5.2.1-A5.2.3) ------------------------------------------------------ */

static bool dp_finish(DisasContext *s, uint32_t insn, TCGv_i32 op2)
{
    return gen_data_proc(s, BITS(insn, 24, 21), BIT(insn, 20), RD, RN, op2);
}

static bool a32_dp_reg(DisasContext *s, uint32_t insn)
{
    int op = BITS(insn, 24, 21);
    TCGv_i32 v = load_reg(s, RM);
    gen_shift_imm(v, BITS(insn, 6, 5), BITS(insn, 11, 7), dp_needs_shifter_carry(op, BIT(insn, 20)));
    return dp_finish(s, insn, v);
}

static bool a32_dp_rsr(DisasContext *s, uint32_t insn)
{
    int op = BITS(insn, 24, 21);
    if (RD == 15 || RN == 15 || RM == 15 || RS == 15) {
        return false;               /* UNPREDICTABLE */
    }
    TCGv_i32 v = load_reg(s, RM);
    gen_shift_reg(v, BITS(insn, 6, 5), cpu_R[RS], dp_needs_shifter_carry(op, BIT(insn, 20)));
    return dp_finish(s, insn, v);
}

static bool a32_dp_imm(DisasContext *s, uint32_t insn)
{
    int op = BITS(insn, 24, 21), rot = BITS(insn, 11, 8) * 2;
    uint32_t imm = BITS(insn, 7, 0);
    imm = rot ? (imm >> rot) | (imm << (32 - rot)) : imm;
    if (rot && dp_needs_shifter_carry(op, BIT(insn, 20))) {
        tcg_gen_movi_i32(cpu_CF, imm >> 31);
    }
    TCGv_i32 v = tcg_temp_new_i32();
    tcg_gen_movi_i32(v, imm);
    return dp_finish(s, insn, v);
}

static bool a32_movw(DisasContext *s, uint32_t insn)
{
    if (RD == 15) {
        return false;
    }
    tcg_gen_movi_i32(cpu_R[RD], BITS(insn, 19, 16) << 12 | BITS(insn, 11, 0));
    return true;
}

static bool a32_movt(DisasContext *s, uint32_t insn)
{
    if (RD == 15) {
        return false;
    }
    tcg_gen_deposit_i32(cpu_R[RD], cpu_R[RD],
                        tcg_constant_i32(BITS(insn, 19, 16) << 12 | BITS(insn, 11, 0)), 16, 16);
    return true;
}

/* ---- multiplies (A5.2.5), halfword multiplies (A5.2.7) ------------------------------------- */

static bool a32_mul(DisasContext *s, uint32_t insn)
{
    return gen_mul(s, BITS(insn, 23, 21), BIT(insn, 20), RN, RM, RS, RD);
}

static bool a32_mul_long(DisasContext *s, uint32_t insn)
{
    return gen_mul_long(s, BITS(insn, 23, 21), BIT(insn, 20), RD, RN, RM, RS);
}

static bool a32_halfmul(DisasContext *s, uint32_t insn)
{
    return gen_halfmul(s, BITS(insn, 22, 21), RN, RD, RM, RS, BIT(insn, 5), BIT(insn, 6), RN);
}

/* ---- miscellaneous (A5.2.12) --------------------------------------------------------------- */

static bool a32_mrs(DisasContext *s, uint32_t insn)
{
    if (RD == 15 || BIT(insn, 9)) {
        return false;               /* banked-register MRS (Virtualization) not present */
    }
    return gen_mrs(s, RD, BIT(insn, 22));
}

static bool a32_msr_reg(DisasContext *s, uint32_t insn)
{
    if (RM == 15 || BIT(insn, 9)) {
        return false;
    }
    return gen_msr(s, BIT(insn, 22), BITS(insn, 19, 16), load_reg(s, RM));
}

static bool a32_msr_imm_hint(DisasContext *s, uint32_t insn)
{
    uint32_t fields = BITS(insn, 19, 16), rot = BITS(insn, 11, 8) * 2, imm = BITS(insn, 7, 0);
    if (!BIT(insn, 22) && fields == 0) {
        return gen_hint(s, BITS(insn, 7, 0));
    }
    imm = rot ? (imm >> rot) | (imm << (32 - rot)) : imm;
    return gen_msr(s, BIT(insn, 22), fields, tcg_constant_i32(imm));
}

static bool a32_bx(DisasContext *s, uint32_t insn)
{
    gen_bx(s, load_reg(s, RM));
    return true;
}

static bool a32_blx_reg(DisasContext *s, uint32_t insn)
{
    if (RM == 15) {
        return false;
    }
    TCGv_i32 dest = load_reg(s, RM);
    tcg_gen_movi_i32(cpu_R[14], s->next_pc);
    gen_bx(s, dest);
    return true;
}

static bool a32_clz(DisasContext *s, uint32_t insn)
{
    if (RD == 15 || RM == 15) {
        return false;
    }
    tcg_gen_clzi_i32(cpu_R[RD], cpu_R[RM], 32);
    return true;
}

static bool a32_qarith(DisasContext *s, uint32_t insn)
{
    return gen_qarith(s, BITS(insn, 22, 21), RD, RN, RM);
}

static bool a32_bkpt(DisasContext *s, uint32_t insn)
{
    gen_exception_insn(s, ARM_EXCP_BKPT);
    return true;
}

static bool a32_hvc(DisasContext *s, uint32_t insn)
{
    if (!s->priv) {
        return false;
    }
    tcg_gen_movi_i32(cpu_R[15], s->next_pc);
    gen_helper(&helper_info_smc_hvc, NULL, 1, tcg_constant_i32(0));
    gen_update_pc_exit(s);
    return true;
}

static bool a32_smc(DisasContext *s, uint32_t insn)
{
    if (!s->priv) {
        return false;
    }
    tcg_gen_movi_i32(cpu_R[15], s->next_pc);
    gen_helper(&helper_info_smc_hvc, NULL, 1, tcg_constant_i32(1));
    gen_update_pc_exit(s);
    return true;
}

/* ---- synchronization primitives (A5.2.10) ------------------------------------------------ */

static bool a32_swp(DisasContext *s, uint32_t insn)
{
    MemOp size = BIT(insn, 22) ? MO_8 : MO_32 | MO_ALIGN;
    TCGv_i32 addr = load_reg(s, RN), old = tcg_temp_new_i32();
    gen_ld(s, old, addr, size, s->mmu_idx);
    gen_st(s, cpu_R[RM], addr, size, s->mmu_idx);
    tcg_gen_mov_i32(cpu_R[RD], old);
    return true;
}

static const MemOp excl_size[4] = { MO_32, MO_64, MO_8, MO_16 };

static bool a32_ldrex(DisasContext *s, uint32_t insn)
{
    MemOp size = excl_size[BITS(insn, 22, 21)];
    if (RD == 15 || RN == 15 || (size == MO_64 && (RD & 1 || RD == 14))) {
        return false;
    }
    return gen_ldrex(s, RD, RD + 1, RN, 0, size);
}

static bool a32_strex(DisasContext *s, uint32_t insn)
{
    MemOp size = excl_size[BITS(insn, 22, 21)];
    if (RD == 15 || RN == 15 || RM == 15 || RD == RN || RD == RM ||
        (size == MO_64 && (RM & 1 || RM == 14 || RD == RM + 1))) {
        return false;
    }
    return gen_strex(s, RD, RM, RM + 1, RN, 0, size);
}

/* ---- loads and stores (A5.3, A5.2.8) -------------------------------------------------------- */

/* Address of a load/store with P (pre-index), U (add), W; the offset in off. Returns the
 * access address; base writeback done by ldst_writeback. */
static TCGv_i32 ldst_addr(DisasContext *s, uint32_t insn, TCGv_i32 off)
{
    TCGv_i32 addr = load_reg(s, RN);
    if (BIT(insn, 24)) {
        if (BIT(insn, 23)) tcg_gen_add_i32(addr, addr, off); else tcg_gen_sub_i32(addr, addr, off);
    }
    return addr;
}

static void ldst_writeback(DisasContext *s, uint32_t insn, TCGv_i32 addr, TCGv_i32 off)
{
    if (!BIT(insn, 24)) {
        if (BIT(insn, 23)) tcg_gen_add_i32(addr, addr, off); else tcg_gen_sub_i32(addr, addr, off);
        tcg_gen_mov_i32(cpu_R[RN], addr);
    } else if (BIT(insn, 21)) {
        tcg_gen_mov_i32(cpu_R[RN], addr);
    }
}

static bool ldst_common(DisasContext *s, uint32_t insn, TCGv_i32 off, MemOp mop, bool load,
                        int rt)
{
    bool post = !BIT(insn, 24), wback = post || BIT(insn, 21);
    int idx = (post && BIT(insn, 21)) ? ARM_MMU_IDX_USER : s->mmu_idx;   /* LDRT/STRT */
    if (wback && (RN == 15 || (load && RN == rt))) {
        return false;
    }
    TCGv_i32 addr = ldst_addr(s, insn, off);
    if (load) {
        TCGv_i32 v = tcg_temp_new_i32();
        gen_ld(s, v, addr, mop, idx);
        ldst_writeback(s, insn, addr, off);
        store_reg_bx(s, rt, v);
    } else {
        TCGv_i32 v = load_reg(s, rt);
        gen_st(s, v, addr, mop, idx);
        ldst_writeback(s, insn, addr, off);
    }
    return true;
}

static bool a32_ldst_imm(DisasContext *s, uint32_t insn)
{
    TCGv_i32 off = tcg_constant_i32(BITS(insn, 11, 0));
    return ldst_common(s, insn, off, BIT(insn, 22) ? MO_8 : MO_32, BIT(insn, 20), RD);
}

static bool a32_ldst_reg(DisasContext *s, uint32_t insn)
{
    if (RM == 15) {
        return false;
    }
    TCGv_i32 off = load_reg(s, RM);
    gen_shift_imm(off, BITS(insn, 6, 5), BITS(insn, 11, 7), false);
    return ldst_common(s, insn, off, BIT(insn, 22) ? MO_8 : MO_32, BIT(insn, 20), RD);
}

/* LDRH/STRH/LDRSB/LDRSH/LDRD/STRD: bit 22 immediate, op2 = bits 6:5, L = bit 20. */
static bool a32_ldst_extra(DisasContext *s, uint32_t insn)
{
    TCGv_i32 off = BIT(insn, 22) ? tcg_constant_i32(BITS(insn, 11, 8) << 4 | RM)
                                 : load_reg(s, RM);
    int op2 = BITS(insn, 6, 5);
    bool load = BIT(insn, 20);

    if (!BIT(insn, 22) && RM == 15) {
        return false;
    }
    if (op2 == 1) {
        return ldst_common(s, insn, off, MO_16, load, RD);
    }
    if (load) {
        return ldst_common(s, insn, off, op2 == 2 ? MO_SB : MO_16 | MO_SIGN, true, RD);
    }
    /* LDRD (op2 2) / STRD (op2 3) */
    int rt = RD;
    bool is_load = op2 == 2, wback = !BIT(insn, 24) || BIT(insn, 21);
    if ((rt & 1) || rt == 14 || (!BIT(insn, 24) && BIT(insn, 21)) ||
        (wback && (RN == 15 || RN == rt || RN == rt + 1))) {
        return false;
    }
    TCGv_i32 addr = ldst_addr(s, insn, off), a2 = tcg_temp_new_i32();
    tcg_gen_addi_i32(a2, addr, 4);
    if (is_load) {
        TCGv_i32 lo = tcg_temp_new_i32(), hi = tcg_temp_new_i32();
        gen_ld(s, lo, addr, MO_32 | (s->align ? MO_ALIGN_8 : MO_ALIGN_4), s->mmu_idx);
        gen_ld(s, hi, a2, MO_32, s->mmu_idx);
        ldst_writeback(s, insn, addr, off);
        tcg_gen_mov_i32(cpu_R[rt], lo);
        tcg_gen_mov_i32(cpu_R[rt + 1], hi);
    } else {
        gen_st(s, load_reg(s, rt), addr, MO_32 | (s->align ? MO_ALIGN_8 : MO_ALIGN_4),
               s->mmu_idx);
        gen_st(s, load_reg(s, rt + 1), a2, MO_32, s->mmu_idx);
        ldst_writeback(s, insn, addr, off);
    }
    return true;
}

static bool a32_ldm_stm(DisasContext *s, uint32_t insn)
{
    if (RN == 15) {
        return false;
    }
    return gen_ldm_stm(s, RN, BITS(insn, 15, 0), BIT(insn, 20), BIT(insn, 24), BIT(insn, 23),
                       BIT(insn, 21), BIT(insn, 22));
}

/* ---- branches, SVC, coprocessors ------------------------------------------------------------- */

static bool a32_branch(DisasContext *s, uint32_t insn)
{
    uint32_t dest = s->pc + 8 + ((int32_t)(insn << 8) >> 6);
    if (BIT(insn, 24)) {
        tcg_gen_movi_i32(cpu_R[14], s->next_pc);
    }
    gen_goto(s, dest);
    return true;
}

static bool a32_svc(DisasContext *s, uint32_t insn)
{
    gen_exception_next(s, ARM_EXCP_SWI);
    return true;
}

static bool a32_mcr_mrc(DisasContext *s, uint32_t insn)
{
    int cp = BITS(insn, 11, 8);
    if (cp == 10 || cp == 11) {
        return disas_vfp(s, insn);
    }
    if (RD == 15 && !BIT(insn, 20)) {
        return false;
    }
    return gen_coproc(s, cp, BITS(insn, 23, 21), RN, RM, BITS(insn, 7, 5), BIT(insn, 20),
                      RD, 0, false);
}

static bool a32_mcrr_mrrc(DisasContext *s, uint32_t insn)
{
    int cp = BITS(insn, 11, 8);
    if (cp == 10 || cp == 11) {
        return disas_vfp(s, insn);
    }
    if (RD == 15 || RN == 15 || (BIT(insn, 20) && RD == RN)) {
        return false;
    }
    return gen_coproc(s, cp, BITS(insn, 7, 4), 0, RM, 0, BIT(insn, 20), RD, RN, true);
}

static bool a32_coproc_other(DisasContext *s, uint32_t insn)
{
    int cp = BITS(insn, 11, 8);
    if (cp == 10 || cp == 11) {
        return disas_vfp(s, insn);
    }
    return false;                   /* LDC/STC/CDP to CP14/CP15: nothing implemented */
}

/* ---- media instructions (A5.4) ----------------------------------------------------------------- */

static bool a32_parallel(DisasContext *s, uint32_t insn)
{
    return gen_parallel(s, BITS(insn, 22, 20), BITS(insn, 7, 5), RD, RN, RM);
}

static bool a32_pkh(DisasContext *s, uint32_t insn)
{
    return gen_pkh(s, BIT(insn, 6), RD, RN, RM, BITS(insn, 11, 7));
}

static bool a32_sat(DisasContext *s, uint32_t insn)
{
    return gen_sat(s, BIT(insn, 22), RD, BITS(insn, 20, 16), RM, BIT(insn, 6),
                   BITS(insn, 11, 7), false);
}

static bool a32_sat16(DisasContext *s, uint32_t insn)
{
    return gen_sat(s, BIT(insn, 22), RD, BITS(insn, 19, 16), RM, 0, 0, true);
}

static bool a32_extend(DisasContext *s, uint32_t insn)
{
    return gen_extend(s, BITS(insn, 22, 20), RD, RN, RM, BITS(insn, 11, 10));
}

static bool a32_sel(DisasContext *s, uint32_t insn)
{
    return gen_sel(s, RD, RN, RM);
}

static bool a32_rev(DisasContext *s, uint32_t insn)
{
    return gen_rev(s, BIT(insn, 22) << 1 | BIT(insn, 7), RD, RM);
}

static bool a32_usad(DisasContext *s, uint32_t insn)
{
    return gen_usad(s, RN, RM, RS, RD);
}

static bool a32_bitfield(DisasContext *s, uint32_t insn)
{
    /* op: 0 SBFX, 1 UBFX, 2 BFI/BFC */
    int op = BITS(insn, 22, 21) == 1 ? 0 : BITS(insn, 22, 21) == 3 ? 1 : 2;
    return gen_bitfield(s, op, RD, RM, BITS(insn, 11, 7), BITS(insn, 20, 16));
}

static bool a32_dualmul(DisasContext *s, uint32_t insn)
{
    /* SMLAD/SMLSD (22=0), SMLALD/SMLSLD (22=1); bit 6 subtract; bit 5 swap */
    int op = BIT(insn, 22) << 1 | BIT(insn, 6);
    return gen_dualmul(s, op, RN, RD, RM, RS, BIT(insn, 5), RD);
}

static bool a32_mostmul(DisasContext *s, uint32_t insn)
{
    /* SMMLA/SMMUL (bits 7:6 = 00), SMMLS (11) */
    if (BITS(insn, 7, 6) == 1 || BITS(insn, 7, 6) == 2) {
        return false;
    }
    return gen_mostmul(s, BITS(insn, 7, 6) == 3, RN, RD, RM, RS, BIT(insn, 5));
}

static bool a32_div(DisasContext *s, uint32_t insn)
{
    return gen_div(s, !BIT(insn, 21), RN, RM, RS);
}

static bool a32_udf(DisasContext *s, uint32_t insn)
{
    return false;
}

static const ArmDecode a32_table[] = {
    /* multiplies, swaps, exclusives and extra loads/stores live in the DP space */
    { 0x0fc000f0, 0x00000090, a32_mul },           /* MUL, MLA, UMAAL(0x004), MLS */
    { 0x0f8000f0, 0x00800090, a32_mul_long },      /* UMULL UMLAL SMULL SMLAL */
    { 0x0fe000f0, 0x00400090, a32_mul_long },      /* UMAAL */
    { 0x0fe000f0, 0x00600090, a32_mul },           /* MLS */
    { 0x0fb00ff0, 0x01000090, a32_swp },
    { 0x0f900fff, 0x01900f9f, a32_ldrex },
    { 0x0f900ff0, 0x01800f90, a32_strex },
    { 0x0e000090, 0x00000090, a32_ldst_extra },
    /* miscellaneous */
    { 0x0fb000ff, 0x01000000, a32_mrs },
    { 0x0fb0f0f0, 0x0120f000, a32_msr_reg },
    { 0x0ffffff0, 0x012fff10, a32_bx },
    { 0x0ffffff0, 0x012fff20, a32_bx },           /* BXJ: Jazelle is not present */
    { 0x0ffffff0, 0x012fff30, a32_blx_reg },
    { 0x0fff0ff0, 0x016f0f10, a32_clz },
    { 0x0f900ff0, 0x01000050, a32_qarith },
    { 0xfff000f0, 0xe1200070, a32_bkpt },
    { 0x0ff000f0, 0x01400070, a32_hvc },
    { 0x0ff000f0, 0x01600070, a32_smc },
    { 0x0f900090, 0x01000080, a32_halfmul },
    { 0x0f900000, 0x01000000, a32_udf },           /* rest of the misc space */
    { 0x0e000010, 0x00000000, a32_dp_reg },
    { 0x0e000090, 0x00000010, a32_dp_rsr },
    { 0x0ff00000, 0x03000000, a32_movw },
    { 0x0ff00000, 0x03400000, a32_movt },
    { 0x0fb00000, 0x03200000, a32_msr_imm_hint },
    { 0x0f900000, 0x03000000, a32_udf },
    { 0x0e000000, 0x02000000, a32_dp_imm },
    /* loads and stores */
    { 0x0e000000, 0x04000000, a32_ldst_imm },
    { 0x0e000010, 0x06000000, a32_ldst_reg },
    /* media */
    { 0x0f800010, 0x06000010, a32_parallel },
    { 0x0ff00030, 0x06800010, a32_pkh },
    { 0x0ff00ff0, 0x06800fb0, a32_sel },
    { 0x0fe00030, 0x06a00010, a32_sat },
    { 0x0ff00ff0, 0x06a00f30, a32_sat16 },
    { 0x0fe00030, 0x06e00010, a32_sat },
    { 0x0ff00ff0, 0x06e00f30, a32_sat16 },
    { 0x0f8003f0, 0x06800070, a32_extend },
    { 0x0fb00f70, 0x06b00f30, a32_rev },            /* REV, REV16 (bit 7), RBIT, REVSH */
    { 0x0ff000f0, 0x07800010, a32_usad },
    { 0x0fb00010, 0x07000010, a32_dualmul },
    { 0x0ff00010, 0x07500010, a32_mostmul },
    { 0x0fd0f0f0, 0x0710f010, a32_div },
    { 0x0fe00070, 0x07a00050, a32_bitfield },
    { 0x0fe00070, 0x07e00050, a32_bitfield },
    { 0x0fe0007f, 0x07c0001f, a32_bitfield },       /* BFC */
    { 0x0fe00070, 0x07c00010, a32_bitfield },       /* BFI */
    { 0x0e000010, 0x06000010, a32_udf },
    { 0x0e000000, 0x08000000, a32_ldm_stm },
    { 0x0e000000, 0x0a000000, a32_branch },
    { 0x0f000010, 0x0e000010, a32_mcr_mrc },
    { 0x0fe00000, 0x0c400000, a32_mcrr_mrrc },
    { 0x0f000000, 0x0f000000, a32_svc },
    { 0x0e000000, 0x0c000000, a32_coproc_other },
    { 0x0f000010, 0x0e000000, a32_coproc_other },
    { 0, 0, NULL },
};

/* ---- unconditional instructions (A5.7) ---------------------------------------------------- */

static bool a32_cps(DisasContext *s, uint32_t insn)
{
    int imod = BITS(insn, 19, 18);
    return gen_cps(s, imod == 3, imod == 2, BITS(insn, 8, 6), BIT(insn, 17), BITS(insn, 4, 0));
}

static bool a32_setend(DisasContext *s, uint32_t insn)
{
    gen_helper(&helper_info_cpsr_write, NULL, 2, tcg_constant_i32(BIT(insn, 9) ? ARM_CPSR_E : 0),
               tcg_constant_i32(ARM_CPSR_E));
    gen_update_pc_exit(s);
    return true;
}

static bool a32_nop(DisasContext *s, uint32_t insn)
{
    return true;                    /* PLD, PLDW, PLI: hints */
}

static bool a32_clrex(DisasContext *s, uint32_t insn)
{
    gen_clrex(s);
    return true;
}

static bool a32_barrier(DisasContext *s, uint32_t insn)
{
    return gen_barrier(s, BITS(insn, 7, 4));
}

static bool a32_srs(DisasContext *s, uint32_t insn)
{
    return gen_srs(s, BITS(insn, 4, 0), BIT(insn, 24), BIT(insn, 23), BIT(insn, 21));
}

static bool a32_rfe(DisasContext *s, uint32_t insn)
{
    if (RN == 15) {
        return false;
    }
    return gen_rfe(s, RN, BIT(insn, 24), BIT(insn, 23), BIT(insn, 21));
}

static bool a32_blx_imm(DisasContext *s, uint32_t insn)
{
    uint32_t dest = s->pc + 8 + ((int32_t)(insn << 8) >> 6) + (BIT(insn, 24) << 1);
    tcg_gen_movi_i32(cpu_R[14], s->next_pc);
    tcg_gen_st_i32(tcg_constant_i32(1), tcg_env, offsetof(ARMCPU, thumb));
    tcg_gen_movi_i32(cpu_R[15], dest | 0);
    gen_jump_dyn(s, tcg_constant_i32(1));
    return true;
}

static bool a32_neon_dp(DisasContext *s, uint32_t insn)
{
    return disas_neon_dp(s, insn);
}

static bool a32_neon_ls(DisasContext *s, uint32_t insn)
{
    return disas_neon_ls(s, insn);
}

static const ArmDecode a32_uncond_table[] = {
    { 0xfff1fe20, 0xf1000000, a32_cps },
    { 0xfffffdff, 0xf1010000, a32_setend },
    { 0xfe000000, 0xf2000000, a32_neon_dp },
    { 0xff100000, 0xf4000000, a32_neon_ls },
    { 0xfd30f000, 0xf510f000, a32_nop },            /* PLD/PLDW imm (bit 22: R) */
    { 0xfd70f000, 0xf450f000, a32_nop },            /* PLI imm */
    { 0xfd30f010, 0xf710f000, a32_nop },            /* PLD/PLDW reg */
    { 0xfd70f010, 0xf650f000, a32_nop },            /* PLI reg */
    { 0xffffffff, 0xf57ff01f, a32_clrex },
    { 0xffffff00, 0xf57ff000, a32_barrier },        /* DSB 0x4x, DMB 0x5x, ISB 0x6x */
    { 0xfe5fffe0, 0xf84d0500, a32_srs },
    { 0xfe50ffff, 0xf8100a00, a32_rfe },
    { 0xfe000000, 0xfa000000, a32_blx_imm },
    { 0, 0, NULL },
};

/* Data processing with an immediate or an immediate-shifted register, S = 0, Rd != PC:
 * its only effect is the write of Rd, so a condition selects the value (no branch). */
static bool a32_is_plain_dp(uint32_t insn)
{
    bool imm = (insn & 0x0e000000) == 0x02000000, reg = (insn & 0x0e000010) == 0;
    unsigned op = (insn >> 21) & 0xf;
    return (imm || reg) && !(insn & (1u << 20)) && (op < 8 || op > 11) &&
           ((insn >> 12) & 0xf) != 15;
}

void disas_a32(DisasContext *s, uint32_t insn)
{
    int cond = insn >> 28;
    bool ok;

    if (cond == 0xf) {
        ok = arm_decode_table(s, a32_uncond_table, insn);
    } else if (cond < 0xe && (insn & 0x0f000000) == 0x0a000000 &&
               arm_try_ifconv(s, cond, s->pc + 8 + (uint32_t)((int32_t)(insn << 8) >> 6))) {
        return;                         /* B<c> with both paths if-converted */
    } else {
        if (cond != 0xe && !(a32_is_plain_dp(insn) &&
                              gen_cond_compare(cond, &s->sel_cond, &s->sel_var, &s->sel_var2))) {
            s->condlabel = gen_new_label();
            gen_test_cond(cond ^ 1, s->condlabel);
        }
        ok = arm_decode_table(s, a32_table, insn);
        if (!ok && s->sel_var) {        /* never for plain DP; kept safe: UNDEF only if cond */
            s->sel_var = NULL;
            s->condlabel = gen_new_label();
            gen_test_cond(cond ^ 1, s->condlabel);
        }
    }
    if (!ok) {
        gen_undef(s);
    }
}
