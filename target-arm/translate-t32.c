/* The T32 (Thumb-2) decoder of ARMv7-A (ARM ARM DDI0406C A6): 16-bit encodings (A6.2) and
 * 32-bit encodings (A6.3), each a table of mask/match entries with short emitters that call
 * the emitters shared with A32. 32-bit instructions are handled as hw1 << 16 | hw2. The IT
 * instruction and the condition of instructions inside an IT block are handled by the
 * translation loop (translate.c); 16-bit data-processing instructions set the flags only
 * outside IT blocks. */
#include "target-arm/translate.h"

#define BITS(x, hi, lo) ((int)(((x) >> (lo)) & ((1u << ((hi) - (lo) + 1)) - 1)))
#define BIT(x, n) ((int)(((x) >> (n)) & 1))

enum { DP_AND, DP_EOR, DP_SUB, DP_RSB, DP_ADD, DP_ADC, DP_SBC, DP_RSC, DP_TST, DP_TEQ,
       DP_CMP, DP_CMN, DP_ORR, DP_MOV, DP_BIC, DP_MVN };

static bool outside_it(DisasContext *s)
{
    return s->condexec == 0;
}

static bool last_in_it(DisasContext *s)
{
    return s->condexec == 0 || s->next_condexec == 0;
}

static TCGv_i32 const_temp(uint32_t v)
{
    TCGv_i32 t = tcg_temp_new_i32();
    tcg_gen_movi_i32(t, v);
    return t;
}

/* PC value for literal addressing: Align(PC, 4). */
static uint32_t pc_aligned(DisasContext *s)
{
    s->pc_read = true;
    return (s->pc + 4) & ~3u;
}

/* ==== 16-bit encodings ===================================================================== */

static bool t16_shift_imm(DisasContext *s, uint32_t insn)
{
    int type = BITS(insn, 12, 11), imm = BITS(insn, 10, 6);
    bool sf = outside_it(s);
    TCGv_i32 v = load_reg(s, BITS(insn, 5, 3));
    if (type == 0 && imm == 0) {                /* MOVS Rd, Rm: flags N Z only */
        return gen_data_proc(s, DP_MOV, sf, BITS(insn, 2, 0), 0, v);
    }
    gen_shift_imm(v, type, imm, sf);
    return gen_data_proc(s, DP_MOV, sf, BITS(insn, 2, 0), 0, v);
}

static bool t16_addsub(DisasContext *s, uint32_t insn)
{
    int op = BIT(insn, 9) ? DP_SUB : DP_ADD;
    TCGv_i32 b = BIT(insn, 10) ? const_temp(BITS(insn, 8, 6)) : load_reg(s, BITS(insn, 8, 6));
    return gen_data_proc(s, op, outside_it(s), BITS(insn, 2, 0), BITS(insn, 5, 3), b);
}

static bool t16_imm8(DisasContext *s, uint32_t insn)
{
    static const int ops[4] = { DP_MOV, DP_CMP, DP_ADD, DP_SUB };
    int op = ops[BITS(insn, 12, 11)], rd = BITS(insn, 10, 8);
    bool sf = op == DP_CMP || outside_it(s);
    return gen_data_proc(s, op, sf, rd, rd, const_temp(BITS(insn, 7, 0)));
}

/* AND EOR LSL LSR ASR ADC SBC ROR TST RSB CMP CMN ORR MUL BIC MVN */
static bool t16_dp(DisasContext *s, uint32_t insn)
{
    int op = BITS(insn, 9, 6), rdn = BITS(insn, 2, 0), rm = BITS(insn, 5, 3);
    bool sf = outside_it(s);
    static const int dp[16] = { DP_AND, DP_EOR, -1, -1, -1, DP_ADC, DP_SBC, -1, DP_TST, DP_RSB,
                                DP_CMP, DP_CMN, DP_ORR, -1, DP_BIC, DP_MVN };
    if (op == 8 || op == 10 || op == 11) {
        sf = true;
    }
    if (op == 2 || op == 3 || op == 4 || op == 7) {
        static const int type[8] = { [2] = 0, [3] = 1, [4] = 2, [7] = 3 };
        TCGv_i32 v = load_reg(s, rdn);
        gen_shift_reg(v, type[op], cpu_R[rm], sf);
        return gen_data_proc(s, DP_MOV, sf, rdn, 0, v);
    }
    if (op == 13) {
        return gen_mul(s, 0, sf, rdn, rdn, rm, 0);
    }
    if (op == 9) {                              /* RSBS Rd, Rn, #0 */
        return gen_data_proc(s, DP_RSB, sf, rdn, rm, const_temp(0));
    }
    return gen_data_proc(s, dp[op], sf, rdn, rdn, load_reg(s, rm));
}

static bool t16_hireg(DisasContext *s, uint32_t insn)
{
    int op = BITS(insn, 9, 8), rdn = BIT(insn, 7) << 3 | BITS(insn, 2, 0), rm = BITS(insn, 6, 3);
    switch (op) {
    case 0:
        if (rdn == 15 && !last_in_it(s)) {
            return false;
        }
        return gen_data_proc(s, DP_ADD, false, rdn, rdn, load_reg(s, rm));
    case 1:
        return gen_data_proc(s, DP_CMP, true, 0, rdn, load_reg(s, rm));
    case 2:
        if (rdn == 15 && !last_in_it(s)) {
            return false;
        }
        return gen_data_proc(s, DP_MOV, false, rdn, 0, load_reg(s, rm));
    default:
        if (!last_in_it(s)) {
            return false;
        }
        if (BIT(insn, 7)) {                     /* BLX Rm */
            TCGv_i32 dest = load_reg(s, rm);
            tcg_gen_movi_i32(cpu_R[14], s->next_pc | 1);
            gen_bx(s, dest);
        } else {
            gen_bx(s, load_reg(s, rm));
        }
        return true;
    }
}

static bool t16_ldr_lit(DisasContext *s, uint32_t insn)
{
    TCGv_i32 addr = const_temp(pc_aligned(s) + BITS(insn, 7, 0) * 4);
    gen_ld(s, cpu_R[BITS(insn, 10, 8)], addr, MO_32, s->mmu_idx);
    return true;
}

static bool t16_ldst_reg(DisasContext *s, uint32_t insn)
{
    static const MemOp mops[8] = { MO_32, MO_16, MO_8, MO_SB, MO_32, MO_16, MO_8,
                                   MO_16 | MO_SIGN };
    int op = BITS(insn, 11, 9);
    TCGv_i32 addr = load_reg(s, BITS(insn, 5, 3));
    tcg_gen_add_i32(addr, addr, cpu_R[BITS(insn, 8, 6)]);
    if (op < 3) {
        gen_st(s, cpu_R[BITS(insn, 2, 0)], addr, mops[op], s->mmu_idx);
    } else {
        TCGv_i32 v = tcg_temp_new_i32();
        gen_ld(s, v, addr, mops[op], s->mmu_idx);
        tcg_gen_mov_i32(cpu_R[BITS(insn, 2, 0)], v);
    }
    return true;
}

static bool t16_ldst_imm(DisasContext *s, uint32_t insn, MemOp mop, int scale)
{
    TCGv_i32 addr = load_reg(s, BITS(insn, 5, 3));
    tcg_gen_addi_i32(addr, addr, BITS(insn, 10, 6) * scale);
    if (BIT(insn, 11)) {
        TCGv_i32 v = tcg_temp_new_i32();
        gen_ld(s, v, addr, mop, s->mmu_idx);
        tcg_gen_mov_i32(cpu_R[BITS(insn, 2, 0)], v);
    } else {
        gen_st(s, cpu_R[BITS(insn, 2, 0)], addr, mop, s->mmu_idx);
    }
    return true;
}

static bool t16_ldst_word(DisasContext *s, uint32_t insn)
{
    return t16_ldst_imm(s, insn, MO_32, 4);
}

static bool t16_ldst_byte(DisasContext *s, uint32_t insn)
{
    return t16_ldst_imm(s, insn, MO_8, 1);
}

static bool t16_ldst_half(DisasContext *s, uint32_t insn)
{
    return t16_ldst_imm(s, insn, MO_16, 2);
}

static bool t16_ldst_sp(DisasContext *s, uint32_t insn)
{
    TCGv_i32 addr = load_reg(s, 13);
    int rt = BITS(insn, 10, 8);
    tcg_gen_addi_i32(addr, addr, BITS(insn, 7, 0) * 4);
    if (BIT(insn, 11)) {
        TCGv_i32 v = tcg_temp_new_i32();
        gen_ld(s, v, addr, MO_32, s->mmu_idx);
        tcg_gen_mov_i32(cpu_R[rt], v);
    } else {
        gen_st(s, cpu_R[rt], addr, MO_32, s->mmu_idx);
    }
    return true;
}

static bool t16_adr_addsp(DisasContext *s, uint32_t insn)
{
    uint32_t imm = BITS(insn, 7, 0) * 4;
    int rd = BITS(insn, 10, 8);
    if (BIT(insn, 11)) {
        tcg_gen_addi_i32(cpu_R[rd], cpu_R[13], imm);
    } else {
        tcg_gen_movi_i32(cpu_R[rd], pc_aligned(s) + imm);
    }
    return true;
}

static bool t16_sp_adjust(DisasContext *s, uint32_t insn)
{
    uint32_t imm = BITS(insn, 6, 0) * 4;
    tcg_gen_addi_i32(cpu_R[13], cpu_R[13], BIT(insn, 7) ? -imm : imm);
    return true;
}

static bool t16_cbz(DisasContext *s, uint32_t insn)
{
    uint32_t dest = s->pc + 4 + (BIT(insn, 9) << 6 | BITS(insn, 7, 3) << 1);
    TCGLabel *not_taken = gen_new_label();
    if (!outside_it(s)) {
        return false;
    }
    tcg_gen_brcondi_i32(BIT(insn, 11) ? TCG_COND_EQ : TCG_COND_NE, cpu_R[BITS(insn, 2, 0)], 0,
                        not_taken);
    gen_goto(s, dest);
    gen_set_label(not_taken);
    gen_goto(s, s->next_pc);
    return true;
}

static bool t16_extend(DisasContext *s, uint32_t insn)
{
    static const int ops[4] = { 3, 2, 7, 6 };   /* SXTH SXTB UXTH UXTB as A32 op codes */
    return gen_extend(s, ops[BITS(insn, 7, 6)], BITS(insn, 2, 0), 15, BITS(insn, 5, 3), 0);
}

static bool t16_push(DisasContext *s, uint32_t insn)
{
    uint32_t list = BITS(insn, 7, 0) | BIT(insn, 8) << 14;
    return gen_ldm_stm(s, 13, list, false, true, false, true, false);
}

static bool t16_pop(DisasContext *s, uint32_t insn)
{
    uint32_t list = BITS(insn, 7, 0) | BIT(insn, 8) << 15;
    if ((list & 0x8000) && !last_in_it(s)) {
        return false;
    }
    return gen_ldm_stm(s, 13, list, true, false, true, true, false);
}

static bool t16_cps(DisasContext *s, uint32_t insn)
{
    if (!outside_it(s)) {
        return false;
    }
    return gen_cps(s, BIT(insn, 4), !BIT(insn, 4), BITS(insn, 2, 0), false, 0);
}

static bool t16_setend(DisasContext *s, uint32_t insn)
{
    gen_helper(&helper_info_cpsr_write, NULL, 2,
               tcg_constant_i32(BIT(insn, 3) ? ARM_CPSR_E : 0), tcg_constant_i32(ARM_CPSR_E));
    gen_update_pc_exit(s);
    return true;
}

static bool t16_rev(DisasContext *s, uint32_t insn)
{
    static const int ops[4] = { 0, 1, -1, 3 };
    int op = ops[BITS(insn, 7, 6)];
    return op >= 0 && gen_rev(s, op, BITS(insn, 2, 0), BITS(insn, 5, 3));
}

static bool t16_bkpt(DisasContext *s, uint32_t insn)
{
    gen_exception_insn(s, ARM_EXCP_BKPT);
    return true;
}

/* IT: ITSTATE for the next instructions; hints when the mask is 0. */
static bool t16_it_hint(DisasContext *s, uint32_t insn)
{
    if (BITS(insn, 3, 0) == 0) {
        return gen_hint(s, BITS(insn, 7, 4));
    }
    if (!outside_it(s) || BITS(insn, 7, 4) == 15 ||
        (BITS(insn, 7, 4) == 14 && __builtin_popcount(BITS(insn, 3, 0)) != 1)) {
        return false;
    }
    s->next_condexec = BITS(insn, 7, 0);
    s->it_seen = true;
    return true;
}

static bool t16_ldm_stm(DisasContext *s, uint32_t insn)
{
    int rn = BITS(insn, 10, 8);
    uint32_t list = BITS(insn, 7, 0);
    bool load = BIT(insn, 11);
    return gen_ldm_stm(s, rn, list, load, false, true, !(load && (list & (1u << rn))), false);
}

static bool t16_bcond(DisasContext *s, uint32_t insn)
{
    int cond = BITS(insn, 11, 8);
    if (cond == 14) {
        return false;                           /* UDF */
    }
    if (cond == 15) {
        gen_exception_next(s, ARM_EXCP_SWI);
        return true;
    }
    if (!outside_it(s)) {
        return false;
    }
    uint32_t dest = s->pc + 4 + ((int32_t)(insn << 24) >> 23);
    if (arm_try_ifconv(s, cond, dest)) {
        return true;
    }
    s->condlabel = gen_new_label();
    gen_test_cond(cond ^ 1, s->condlabel);
    gen_goto(s, dest);
    return true;
}

static bool t16_b(DisasContext *s, uint32_t insn)
{
    if (!last_in_it(s)) {
        return false;
    }
    gen_goto(s, s->pc + 4 + ((int32_t)(insn << 21) >> 20));
    return true;
}

static const ArmDecode t16_table[] = {
    { 0xf800, 0x1800, t16_addsub },
    { 0xe000, 0x0000, t16_shift_imm },
    { 0xe000, 0x2000, t16_imm8 },
    { 0xfc00, 0x4000, t16_dp },
    { 0xfc00, 0x4400, t16_hireg },
    { 0xf800, 0x4800, t16_ldr_lit },
    { 0xf000, 0x5000, t16_ldst_reg },
    { 0xf000, 0x6000, t16_ldst_word },
    { 0xf000, 0x7000, t16_ldst_byte },
    { 0xf000, 0x8000, t16_ldst_half },
    { 0xf000, 0x9000, t16_ldst_sp },
    { 0xf000, 0xa000, t16_adr_addsp },
    { 0xff00, 0xb000, t16_sp_adjust },
    { 0xf500, 0xb100, t16_cbz },
    { 0xff00, 0xb200, t16_extend },
    { 0xfe00, 0xb400, t16_push },
    { 0xffe8, 0xb660, t16_cps },
    { 0xfff7, 0xb650, t16_setend },
    { 0xff00, 0xba00, t16_rev },
    { 0xfe00, 0xbc00, t16_pop },
    { 0xff00, 0xbe00, t16_bkpt },
    { 0xff00, 0xbf00, t16_it_hint },
    { 0xf000, 0xc000, t16_ldm_stm },
    { 0xf000, 0xd000, t16_bcond },
    { 0xf800, 0xe000, t16_b },
    { 0, 0, NULL },
};

/* ==== 32-bit encodings ===================================================================== */

#define HW1(x) ((x) >> 16)
#define T_RN BITS(insn, 19, 16)
#define T_RD BITS(insn, 11, 8)
#define T_RT BITS(insn, 15, 12)
#define T_RM BITS(insn, 3, 0)

/* T32 data-processing opcodes (AND BIC ORR ORN EOR - - - ADD - ADC SBC - SUB RSB -) as A32
 * opcodes; ORN is ORR with the operand inverted. */
static const int t32_dp_map[16] = { DP_AND, DP_BIC, DP_ORR, DP_ORR, DP_EOR, -1, -1, -1,
                                    DP_ADD, -1, DP_ADC, DP_SBC, -1, DP_SUB, DP_RSB, -1 };

static bool t32_dp_common(DisasContext *s, uint32_t insn, TCGv_i32 op2)
{
    int op = BITS(insn, 24, 21), rd = T_RD, rn = T_RN;
    bool sf = BIT(insn, 20);
    int a32 = t32_dp_map[op];
    if (a32 < 0) {
        return false;
    }
    if (op == 3) {
        tcg_gen_not_i32(op2, op2);              /* ORN / MVN */
    }
    if ((op == 2 || op == 3) && rn == 15) {
        a32 = DP_MOV;
    }
    if (rd == 15 && sf) {                       /* TST TEQ CMN CMP */
        static const int test[16] = { [0] = DP_TST, [4] = DP_TEQ, [8] = DP_CMN, [13] = DP_CMP };
        if (!test[op] && op != 0) {
            return false;
        }
        return gen_data_proc(s, test[op], true, 0, rn, op2);
    }
    if (rd == 15 || rd == 13 || (rn == 15 && a32 != DP_MOV)) {
        if (!(rd == 13 && (a32 == DP_ADD || a32 == DP_SUB || a32 == DP_MOV))) {
            return false;
        }
    }
    return gen_data_proc(s, a32, sf, rd, rn, op2);
}

/* ThumbExpandImm_C (A6.3.2). */
static uint32_t thumb_expand_imm(uint32_t imm12, bool *rotated)
{
    uint32_t b = imm12 & 0xff;
    *rotated = false;
    if ((imm12 >> 10) == 0) {
        switch ((imm12 >> 8) & 3) {
        case 0: return b;
        case 1: return b | b << 16;
        case 2: return b << 8 | b << 24;
        default: return b | b << 8 | b << 16 | b << 24;
        }
    }
    uint32_t v = 0x80 | (imm12 & 0x7f), rot = imm12 >> 7;
    *rotated = true;
    return v >> rot | v << (32 - rot);
}

static bool t32_dp_modimm(DisasContext *s, uint32_t insn)
{
    uint32_t imm12 = BIT(insn, 26) << 11 | BITS(insn, 14, 12) << 8 | BITS(insn, 7, 0);
    bool rotated;
    uint32_t imm = thumb_expand_imm(imm12, &rotated);
    int op = BITS(insn, 24, 21);
    if (rotated && BIT(insn, 20) && op <= 4) {  /* logical ops take the carry */
        tcg_gen_movi_i32(cpu_CF, imm >> 31);
    }
    return t32_dp_common(s, insn, const_temp(imm));
}

static bool t32_dp_shreg(DisasContext *s, uint32_t insn)
{
    int op = BITS(insn, 24, 21), imm5 = BITS(insn, 14, 12) << 2 | BITS(insn, 7, 6);
    if (op == 6) {                              /* PKHBT / PKHTB */
        return gen_pkh(s, BIT(insn, 5), T_RD, T_RN, T_RM, imm5);
    }
    if (T_RM == 15 || T_RM == 13) {
        if (!(T_RM == 13 && op == 8)) {
            return false;
        }
    }
    TCGv_i32 v = load_reg(s, T_RM);
    gen_shift_imm(v, BITS(insn, 5, 4), imm5, BIT(insn, 20) && op <= 4);
    return t32_dp_common(s, insn, v);
}

static bool t32_plain_imm(DisasContext *s, uint32_t insn)
{
    int op = BITS(insn, 24, 20), rd = T_RD, rn = T_RN;
    uint32_t imm12 = BIT(insn, 26) << 11 | BITS(insn, 14, 12) << 8 | BITS(insn, 7, 0);
    uint32_t imm16 = rn << 12 | imm12;
    int lsb = BITS(insn, 14, 12) << 2 | BITS(insn, 7, 6), sh = BIT(insn, 21);

    if (rd == 15 || (rd == 13 && op != 0 && op != 10)) {
        return false;
    }
    switch (op) {
    case 0: case 10: {                          /* ADDW / SUBW / ADR */
        TCGv_i32 base = rn == 15 ? const_temp(pc_aligned(s)) : load_reg(s, rn);
        tcg_gen_addi_i32(cpu_R[rd], base, op == 0 ? imm12 : -imm12);
        return true;
    }
    case 4:
        tcg_gen_movi_i32(cpu_R[rd], imm16);
        return true;
    case 12:
        tcg_gen_deposit_i32(cpu_R[rd], cpu_R[rd], tcg_constant_i32(imm16), 16, 16);
        return true;
    case 16: case 18: case 24: case 26:         /* SSAT, SSAT16, USAT, USAT16 */
        if ((op & 2) && lsb == 0) {
            return gen_sat(s, op >= 24, rd, BITS(insn, 4, 0), rn, 0, 0, true);
        }
        return gen_sat(s, op >= 24, rd, BITS(insn, 4, 0), rn, sh, lsb, false);
    case 20:
        return gen_bitfield(s, 0, rd, rn, lsb, BITS(insn, 4, 0));
    case 28:
        return gen_bitfield(s, 1, rd, rn, lsb, BITS(insn, 4, 0));
    case 22:
        return gen_bitfield(s, 2, rd, rn, lsb, BITS(insn, 4, 0));
    default:
        return false;
    }
}

/* ---- branches and miscellaneous control (A6.3.4) ----------------------------------------- */

int32_t t32_bcond_offset(uint32_t insn)
{
    return (int32_t)((uint32_t)BIT(insn, 26) << 31) >> 11 |
           BIT(insn, 11) << 19 | BIT(insn, 13) << 18 | BITS(insn, 21, 16) << 12 |
           BITS(insn, 10, 0) << 1;
}

static bool t32_b_cond(DisasContext *s, uint32_t insn)
{
    int cond = BITS(insn, 25, 22);
    int32_t off = t32_bcond_offset(insn);
    if (!outside_it(s)) {
        return false;
    }
    if (arm_try_ifconv(s, cond, s->pc + 4 + off)) {
        return true;
    }
    s->condlabel = gen_new_label();
    gen_test_cond(cond ^ 1, s->condlabel);
    gen_goto(s, s->pc + 4 + off);
    return true;
}

int32_t t32_branch_offset(uint32_t insn)
{
    uint32_t S = BIT(insn, 26), i1 = !(BIT(insn, 13) ^ S), i2 = !(BIT(insn, 11) ^ S);
    uint32_t v = S << 24 | i1 << 23 | i2 << 22 | BITS(insn, 25, 16) << 12 | BITS(insn, 10, 0) << 1;
    return (int32_t)(v << 7) >> 7;
}

static bool t32_b_bl(DisasContext *s, uint32_t insn)
{
    uint32_t dest = s->pc + 4 + t32_branch_offset(insn);
    if (!last_in_it(s)) {
        return false;
    }
    if (BIT(insn, 14)) {
        tcg_gen_movi_i32(cpu_R[14], s->next_pc | 1);
    }
    if (BIT(insn, 14) && !BIT(insn, 12)) {      /* BLX: to ARM state */
        if (insn & 1) {
            return false;
        }
        tcg_gen_st_i32(tcg_constant_i32(0), tcg_env, offsetof(ARMCPU, thumb));
        tcg_gen_movi_i32(cpu_R[15], ((s->pc + 4) & ~3u) + t32_branch_offset(insn));
        gen_jump_dyn(s, tcg_constant_i32(0));
        return true;
    }
    gen_goto(s, dest);
    return true;
}

static bool t32_msr(DisasContext *s, uint32_t insn)
{
    if (BIT(insn, 5) || T_RN == 15 || T_RN == 13) {
        return false;
    }
    return gen_msr(s, BIT(insn, 20), BITS(insn, 11, 8), load_reg(s, T_RN));
}

static bool t32_mrs(DisasContext *s, uint32_t insn)
{
    if (BIT(insn, 5) || T_RD == 15 || T_RD == 13) {
        return false;
    }
    return gen_mrs(s, T_RD, BIT(insn, 20));
}

static bool t32_hint_cps(DisasContext *s, uint32_t insn)
{
    if (BITS(insn, 10, 8) == 0) {
        return gen_hint(s, BITS(insn, 7, 0));
    }
    if (!outside_it(s)) {
        return false;
    }
    int imod = BITS(insn, 10, 9);
    return gen_cps(s, imod == 3, imod == 2, BITS(insn, 7, 5), BIT(insn, 8), BITS(insn, 4, 0));
}

static bool t32_misc_ctrl(DisasContext *s, uint32_t insn)
{
    int op = BITS(insn, 7, 4);
    if (op == 2) {
        gen_clrex(s);
        return true;
    }
    return gen_barrier(s, op);
}

static bool t32_bxj(DisasContext *s, uint32_t insn)
{
    if (!last_in_it(s)) {
        return false;
    }
    gen_bx(s, load_reg(s, T_RN));
    return true;
}

static bool t32_eret(DisasContext *s, uint32_t insn)
{
    if (!s->priv || !last_in_it(s)) {
        return false;
    }
    TCGv_i32 pc = load_reg(s, 14);
    tcg_gen_subi_i32(pc, pc, BITS(insn, 7, 0));
    gen_exception_return(s, pc);
    return true;
}

static bool t32_smc_hvc(DisasContext *s, uint32_t insn)
{
    if (!s->priv) {
        return false;
    }
    tcg_gen_movi_i32(cpu_R[15], s->next_pc);
    gen_helper(&helper_info_smc_hvc, NULL, 1, tcg_constant_i32(BIT(insn, 20)));
    gen_update_pc_exit(s);
    return true;
}

static bool t32_udf(DisasContext *s, uint32_t insn)
{
    return false;
}

/* ---- loads and stores ----------------------------------------------------------------------- */

static bool t32_ldm_stm(DisasContext *s, uint32_t insn)
{
    int op = BITS(insn, 24, 23), rn = T_RN;
    bool load = BIT(insn, 20), wback = BIT(insn, 21);
    uint32_t list = BITS(insn, 15, 0);
    if (op == 0 || op == 3) {                   /* SRS / RFE */
        if (load) {
            return gen_rfe(s, rn, op == 0, op == 3, wback);
        }
        return gen_srs(s, BITS(insn, 4, 0), op == 0, op == 3, wback);
    }
    if (rn == 15 || (list & 0x2000) || (!load && (list & 0x8000)) ||
        (load && (list & 0xc000) == 0xc000) || ((list & 0x8000) && !last_in_it(s))) {
        return false;
    }
    if (wback && load && (list & (1u << rn))) {
        return false;
    }
    return gen_ldm_stm(s, rn, list, load, op == 2, op == 1, wback, false);
}

static bool t32_ldrd_strd(DisasContext *s, uint32_t insn)
{
    int rn = T_RN, rt = T_RT, rt2 = T_RD;
    bool p = BIT(insn, 24), u = BIT(insn, 23), w = BIT(insn, 21), load = BIT(insn, 20);
    uint32_t imm = BITS(insn, 7, 0) * 4;
    if (rt == 15 || rt2 == 15 || (load && rt == rt2) || (w && (rn == rt || rn == rt2)) ||
        (!load && rn == 15)) {
        return false;
    }
    TCGv_i32 addr = rn == 15 ? const_temp(pc_aligned(s)) : load_reg(s, rn);
    TCGv_i32 off = const_temp(u ? imm : -imm), a2 = tcg_temp_new_i32();
    if (p) {
        tcg_gen_add_i32(addr, addr, off);
    }
    tcg_gen_addi_i32(a2, addr, 4);
    if (load) {
        TCGv_i32 lo = tcg_temp_new_i32(), hi = tcg_temp_new_i32();
        gen_ld(s, lo, addr, MO_32 | MO_ALIGN_4, s->mmu_idx);
        gen_ld(s, hi, a2, MO_32, s->mmu_idx);
        tcg_gen_mov_i32(cpu_R[rt], lo);
        tcg_gen_mov_i32(cpu_R[rt2], hi);
    } else {
        gen_st(s, load_reg(s, rt), addr, MO_32 | MO_ALIGN_4, s->mmu_idx);
        gen_st(s, load_reg(s, rt2), a2, MO_32, s->mmu_idx);
    }
    if (w) {
        if (!p) {
            tcg_gen_add_i32(addr, addr, off);
        }
        tcg_gen_mov_i32(cpu_R[rn], addr);
    }
    return true;
}

static bool t32_strex(DisasContext *s, uint32_t insn)
{
    return gen_strex(s, T_RD, T_RT, 0, T_RN, BITS(insn, 7, 0) * 4, MO_32);
}

static bool t32_ldrex(DisasContext *s, uint32_t insn)
{
    return gen_ldrex(s, T_RT, 0, T_RN, BITS(insn, 7, 0) * 4, MO_32);
}

static const MemOp t32_excl_size[4] = { MO_8, MO_16, 0xff, MO_64 };

static bool t32_strex_bhd(DisasContext *s, uint32_t insn)
{
    MemOp size = t32_excl_size[BITS(insn, 5, 4)];
    if (size == 0xff) {
        return false;
    }
    return gen_strex(s, T_RM, T_RT, T_RD, T_RN, 0, size);
}

static bool t32_ldrex_bhd(DisasContext *s, uint32_t insn)
{
    MemOp size = t32_excl_size[BITS(insn, 5, 4)];
    if (size == 0xff) {
        return false;
    }
    return gen_ldrex(s, T_RT, T_RD, T_RN, 0, size);
}

static bool t32_tbb_tbh(DisasContext *s, uint32_t insn)
{
    bool half = BIT(insn, 4);
    TCGv_i32 addr = load_reg(s, T_RN), off = load_reg(s, T_RM), v = tcg_temp_new_i32();
    if (!last_in_it(s)) {
        return false;
    }
    if (half) {
        tcg_gen_add_i32(addr, addr, off);
    }
    tcg_gen_add_i32(addr, addr, off);
    gen_ld(s, v, addr, half ? MO_16 : MO_8, s->mmu_idx);
    tcg_gen_shli_i32(v, v, 1);
    tcg_gen_addi_i32(cpu_R[15], v, s->pc + 4);
    gen_jump_dyn(s, tcg_constant_i32(1));
    return true;
}

/* Single loads and stores (A6.3.7-A6.3.10): size in hw1 bits 6:5, sign bit 8, load bit 4. */
static bool t32_ldst_single(DisasContext *s, uint32_t insn)
{
    int size = BITS(insn, 22, 21), rn = T_RN, rt = T_RT;
    bool load = BIT(insn, 20), sign = BIT(insn, 24);
    MemOp mop = size | (sign ? MO_SIGN : 0);
    int idx = s->mmu_idx;
    bool wback = false, post = false;
    TCGv_i32 addr, off;

    if (size == 3 || (!load && (sign || rn == 15))) {
        return false;
    }
    if (load && rt == 15 && size < 2) {
        return true;                            /* PLD, PLI: hints */
    }
    if (rn == 15) {                             /* literal */
        uint32_t imm = BITS(insn, 11, 0);
        addr = const_temp(pc_aligned(s) + (BIT(insn, 23) ? imm : -imm));
    } else if (BIT(insn, 23)) {                 /* imm12 */
        addr = load_reg(s, rn);
        tcg_gen_addi_i32(addr, addr, BITS(insn, 11, 0));
    } else if (BIT(insn, 11)) {                 /* imm8 with P U W */
        uint32_t imm = BITS(insn, 7, 0);
        bool p = BIT(insn, 10), u = BIT(insn, 9), w = BIT(insn, 8);
        if (!p && !w) {
            return false;
        }
        if (p && u && !w) {
            idx = ARM_MMU_IDX_USER;             /* LDRT / STRT */
        }
        addr = load_reg(s, rn);
        off = const_temp(u ? imm : -imm);
        wback = w;
        post = !p;
        if (p) {
            tcg_gen_add_i32(addr, addr, off);
        }
        if (wback && rn == rt) {
            return false;
        }
        TCGv_i32 v = load ? tcg_temp_new_i32() : load_reg(s, rt);
        if (load) {
            gen_ld(s, v, addr, mop, idx);
        } else {
            gen_st(s, v, addr, mop, idx);
        }
        if (wback) {
            if (post) {
                tcg_gen_add_i32(addr, addr, off);
            }
            tcg_gen_mov_i32(cpu_R[rn], addr);
        }
        if (load) {
            if (rt == 15 && !last_in_it(s)) {
                return false;
            }
            store_reg_bx(s, rt, v);
        }
        return true;
    } else if (BITS(insn, 11, 6) == 0) {        /* register, LSL #imm2 */
        addr = load_reg(s, rn);
        off = load_reg(s, T_RM);
        tcg_gen_shli_i32(off, off, BITS(insn, 5, 4));
        tcg_gen_add_i32(addr, addr, off);
    } else {
        return false;
    }
    if (load) {
        TCGv_i32 v = tcg_temp_new_i32();
        if (rt == 15 && !last_in_it(s)) {
            return false;
        }
        gen_ld(s, v, addr, mop, idx);
        store_reg_bx(s, rt, v);
    } else {
        gen_st(s, load_reg(s, rt), addr, mop, idx);
    }
    return true;
}

/* ---- data processing (register), multiplies ---------------------------------------------------- */

static bool t32_shift_reg(DisasContext *s, uint32_t insn)
{
    TCGv_i32 v = load_reg(s, T_RN);
    gen_shift_reg(v, BITS(insn, 22, 21), cpu_R[T_RM], BIT(insn, 20));
    return gen_data_proc(s, DP_MOV, BIT(insn, 20), T_RD, 0, v);
}

static bool t32_extend(DisasContext *s, uint32_t insn)
{
    static const int ops[8] = { 3, 7, 0, 4, 2, 6, -1, -1 };
    int op = ops[BITS(insn, 22, 20)];
    return op >= 0 && gen_extend(s, op, T_RD, T_RN, T_RM, BITS(insn, 5, 4));
}

static bool t32_parallel(DisasContext *s, uint32_t insn)
{
    static const int ops[8] = { 4, 0, 1, -1, 7, 3, 2, -1 };
    int op = ops[BITS(insn, 22, 20)], kind = BITS(insn, 5, 4);
    if (op < 0 || kind == 3) {
        return false;
    }
    int prefix = (BIT(insn, 6) ? 5 : 1) + kind;
    return gen_parallel(s, prefix, op, T_RD, T_RN, T_RM);
}

static bool t32_misc(DisasContext *s, uint32_t insn)
{
    int op1 = BITS(insn, 21, 20), op2 = BITS(insn, 5, 4);
    static const int qops[4] = { 0, 2, 1, 3 };      /* QADD QDADD QSUB QDSUB */
    switch (op1) {
    case 0:
        return gen_qarith(s, qops[op2], T_RD, T_RN, T_RM);
    case 1:
        return gen_rev(s, op2, T_RD, T_RM);
    case 2:
        return op2 == 0 && gen_sel(s, T_RD, T_RN, T_RM);
    default:
        if (op2 || T_RD == 15 || T_RM == 15) {
            return false;
        }
        tcg_gen_clzi_i32(cpu_R[T_RD], cpu_R[T_RM], 32);
        return true;
    }
}

static bool t32_mul(DisasContext *s, uint32_t insn)
{
    int op1 = BITS(insn, 22, 20), op2 = BITS(insn, 5, 4), ra = T_RT;
    switch (op1) {
    case 0:
        if (op2 > 1) {
            return false;
        }
        return gen_mul(s, op2 ? 3 : (ra == 15 ? 0 : 1), false, T_RD, T_RN, T_RM, ra);
    case 1:
        return gen_halfmul(s, ra == 15 ? 3 : 0, T_RD, ra, T_RN, T_RM, BIT(insn, 5), BIT(insn, 4),
                           0);
    case 2: case 4:
        return !BIT(insn, 5) && gen_dualmul(s, op1 == 4, T_RD, ra, T_RN, T_RM, BIT(insn, 4), 0);
    case 3:
        return !BIT(insn, 5) && gen_halfmul(s, 1, T_RD, ra, T_RN, T_RM, ra == 15, BIT(insn, 4), 0);
    case 5: case 6:
        return !BIT(insn, 5) && gen_mostmul(s, op1 == 6, T_RD, ra, T_RN, T_RM, BIT(insn, 4));
    default:
        return op2 == 0 && gen_usad(s, T_RD, T_RN, T_RM, ra);
    }
}

static bool t32_mul_long(DisasContext *s, uint32_t insn)
{
    int op1 = BITS(insn, 22, 20), op2 = BITS(insn, 7, 4), lo = T_RT, hi = T_RD;
    switch (op1 << 4 | op2) {
    case 0x00: return gen_mul_long(s, 6, false, lo, hi, T_RN, T_RM);
    case 0x1f: return gen_div(s, true, hi, T_RN, T_RM);
    case 0x20: return gen_mul_long(s, 4, false, lo, hi, T_RN, T_RM);
    case 0x3f: return gen_div(s, false, hi, T_RN, T_RM);
    case 0x40: return gen_mul_long(s, 7, false, lo, hi, T_RN, T_RM);
    case 0x48: case 0x49: case 0x4a: case 0x4b:
        return gen_halfmul(s, 2, hi, lo, T_RN, T_RM, BIT(insn, 5), BIT(insn, 4), hi);
    case 0x4c: case 0x4d:
        return gen_dualmul(s, 2, hi, lo, T_RN, T_RM, BIT(insn, 4), hi);
    case 0x5c: case 0x5d:
        return gen_dualmul(s, 3, hi, lo, T_RN, T_RM, BIT(insn, 4), hi);
    case 0x60: return gen_mul_long(s, 5, false, lo, hi, T_RN, T_RM);
    case 0x66: return gen_mul_long(s, 2, false, lo, hi, T_RN, T_RM);
    default: return false;
    }
}

/* ---- coprocessor, VFP, Advanced SIMD -------------------------------------------------------------- */

/* The A32 form of a T32 coprocessor or VFP instruction: the same bits with cond = AL. */
static uint32_t t32_to_a32_cp(uint32_t insn)
{
    return (insn & 0x0fffffff) | 0xe0000000u;
}

static bool t32_mcr_mrc(DisasContext *s, uint32_t insn)
{
    int cp = BITS(insn, 11, 8);
    if (cp == 10 || cp == 11) {
        return !BIT(insn, 28) && disas_vfp(s, t32_to_a32_cp(insn));
    }
    if (BIT(insn, 28) || (T_RT == 15 && !BIT(insn, 20))) {
        return false;
    }
    return gen_coproc(s, cp, BITS(insn, 23, 21), T_RN, T_RM, BITS(insn, 7, 5), BIT(insn, 20),
                      T_RT, 0, false);
}

static bool t32_mcrr_mrrc(DisasContext *s, uint32_t insn)
{
    int cp = BITS(insn, 11, 8);
    if (cp == 10 || cp == 11) {
        return !BIT(insn, 28) && disas_vfp(s, t32_to_a32_cp(insn));
    }
    if (BIT(insn, 28) || T_RT == 15 || T_RN == 15) {
        return false;
    }
    return gen_coproc(s, cp, BITS(insn, 7, 4), 0, T_RM, 0, BIT(insn, 20), T_RT, T_RN, true);
}

static bool t32_coproc_other(DisasContext *s, uint32_t insn)
{
    int cp = BITS(insn, 11, 8);
    return (cp == 10 || cp == 11) && !BIT(insn, 28) && disas_vfp(s, t32_to_a32_cp(insn));
}

/* Advanced SIMD data processing: T32 111U 1111 = A32 1111 001U. */
static bool t32_neon_dp(DisasContext *s, uint32_t insn)
{
    return disas_neon_dp(s, (insn & 0x00ffffff) | 0xf2000000u | BIT(insn, 28) << 24);
}

static bool t32_neon_ls(DisasContext *s, uint32_t insn)
{
    return disas_neon_ls(s, (insn & 0x00ffffff) | 0xf4000000u);
}

static const ArmDecode t32_table[] = {
    /* load/store multiple, dual, exclusive, table branch */
    { 0xfff00000, 0xe8400000, t32_strex },
    { 0xfff00f00, 0xe8500f00, t32_ldrex },
    { 0xfff0ffe0, 0xe8d0f000, t32_tbb_tbh },
    { 0xfff000c0, 0xe8c00040, t32_strex_bhd },
    { 0xfff000cf, 0xe8d0004f, t32_ldrex_bhd },
    { 0xfe400000, 0xe8400000, t32_ldrd_strd },
    { 0xfe400000, 0xe8000000, t32_ldm_stm },
    /* data processing (shifted register) */
    { 0xfe000000, 0xea000000, t32_dp_shreg },
    /* coprocessor, VFP, Advanced SIMD */
    { 0xef000010, 0xee000010, t32_mcr_mrc },
    { 0xefe00000, 0xec400000, t32_mcrr_mrrc },
    { 0xef000000, 0xef000000, t32_neon_dp },
    { 0xec000000, 0xec000000, t32_coproc_other },
    /* branches and miscellaneous control (hw2 bit 15 set) */
    { 0xfff0f000, 0xf7e08000, t32_smc_hvc },
    { 0xfff0f000, 0xf7f08000, t32_smc_hvc },
    { 0xfff0f000, 0xf7f0a000, t32_udf },
    { 0xffe0d000, 0xf3808000, t32_msr },
    { 0xffffd000, 0xf3af8000, t32_hint_cps },
    { 0xfff0d000, 0xf3b08000, t32_misc_ctrl },
    { 0xfff0ffff, 0xf3c08f00, t32_bxj },
    { 0xffffff00, 0xf3de8f00, t32_eret },
    { 0xffe0d000, 0xf3e08000, t32_mrs },
    { 0xfb80d000, 0xf3808000, t32_udf },            /* rest of the misc space */
    { 0xf800d000, 0xf0008000, t32_b_cond },
    { 0xf8009000, 0xf0009000, t32_b_bl },
    { 0xf800d000, 0xf000c000, t32_b_bl },
    /* data processing (immediate), hw2 bit 15 clear */
    { 0xfa008000, 0xf0000000, t32_dp_modimm },
    { 0xfa008000, 0xf2000000, t32_plain_imm },
    /* loads and stores, data processing (register), multiplies */
    { 0xff100000, 0xf9000000, t32_neon_ls },
    { 0xfe000000, 0xf8000000, t32_ldst_single },
    { 0xff80f0f0, 0xfa00f000, t32_shift_reg },
    { 0xff80f0c0, 0xfa00f080, t32_extend },
    { 0xffc0f0c0, 0xfa80f080, t32_misc },
    { 0xff80f080, 0xfa80f000, t32_parallel },
    { 0xff800000, 0xfb000000, t32_mul },
    { 0xff800000, 0xfb800000, t32_mul_long },
    { 0, 0, NULL },
};

void disas_t32(DisasContext *s, uint32_t insn, bool is32)
{
    bool ok = arm_decode_table(s, is32 ? t32_table : t16_table, insn);
    if (!ok) {
        gen_undef(s);
    }
}
