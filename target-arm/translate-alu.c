/* Shared integer emitters of the ARMv7-A translator: NZCV flag computation (ARM ARM
 * DDI0406C A2.2.1 AddWithCarry), the shifter with carry out (A8.4.3 Shift_C, for immediate
 * and register-specified amounts) and the data-processing operations AND..MVN (A8.4). */
#include "target-arm/translate.h"

/* NZCV from bits 31:28 of v (MRC/VMRS to APSR_nzcv). */
void gen_set_nzcv(TCGv_i32 v)
{
    tcg_gen_andi_i32(cpu_NF, v, 0x80000000u);
    tcg_gen_andi_i32(cpu_ZF, v, 0x40000000u);
    tcg_gen_setcondi_i32(TCG_COND_EQ, cpu_ZF, cpu_ZF, 0);
    tcg_gen_extract_i32(cpu_CF, v, 29, 1);
    tcg_gen_shli_i32(cpu_VF, v, 3);
}

void gen_logic_flags(TCGv_i32 v)
{
    tcg_gen_mov_i32(cpu_NF, v);
    tcg_gen_mov_i32(cpu_ZF, v);
}

/* d = a + b with C and V; d may alias a or b. C is the unsigned overflow: r < a. */
void gen_add_flags(TCGv_i32 d, TCGv_i32 a, TCGv_i32 b)
{
    TCGv_i32 r = tcg_temp_new_i32(), t = tcg_temp_new_i32();
    tcg_gen_add_i32(r, a, b);
    tcg_gen_xor_i32(cpu_VF, r, a);
    tcg_gen_xor_i32(t, a, b);
    tcg_gen_andc_i32(cpu_VF, cpu_VF, t);
    tcg_gen_setcond_i32(TCG_COND_LTU, cpu_CF, r, a);
    tcg_gen_mov_i32(cpu_NF, r);
    tcg_gen_mov_i32(cpu_ZF, r);
    tcg_gen_mov_i32(d, r);
}

/* d = a - b: C = NOT borrow. */
void gen_sub_flags(TCGv_i32 d, TCGv_i32 a, TCGv_i32 b)
{
    TCGv_i32 r = tcg_temp_new_i32(), t = tcg_temp_new_i32(), src[2];
    bool rec = arm_cmp_sources(a, b, src);
    tcg_gen_sub_i32(r, a, b);
    tcg_gen_setcond_i32(TCG_COND_GEU, cpu_CF, a, b);
    tcg_gen_xor_i32(cpu_VF, r, a);
    tcg_gen_xor_i32(t, a, b);
    tcg_gen_and_i32(cpu_VF, cpu_VF, t);
    tcg_gen_mov_i32(cpu_NF, r);
    tcg_gen_mov_i32(cpu_ZF, r);
    arm_cmp_record(rec, src);
    tcg_gen_mov_i32(d, r);
}

/* d = a + b + C: the result and V from 32-bit adds, C as bit 32 of the sum in 64 bits
 * (ops that liveness deletes when C is overwritten unread, as in ADDS/ADCS chains). */
void gen_adc_flags(TCGv_i32 d, TCGv_i32 a, TCGv_i32 b)
{
    TCGv_i32 r = tcg_temp_new_i32(), t = tcg_temp_new_i32();
    TCGv_i64 w = tcg_temp_new_i64(), x = tcg_temp_new_i64();
    tcg_gen_add_i32(r, a, b);
    tcg_gen_add_i32(r, r, cpu_CF);
    tcg_gen_extu_i32_i64(w, a);
    tcg_gen_extu_i32_i64(x, b);
    tcg_gen_add_i64(w, w, x);
    tcg_gen_extu_i32_i64(x, cpu_CF);
    tcg_gen_add_i64(w, w, x);
    tcg_gen_xor_i32(cpu_VF, r, a);
    tcg_gen_xor_i32(t, a, b);
    tcg_gen_andc_i32(cpu_VF, cpu_VF, t);
    tcg_gen_extrh_i64_i32(cpu_CF, w);
    tcg_gen_mov_i32(cpu_NF, r);
    tcg_gen_mov_i32(cpu_ZF, r);
    tcg_gen_mov_i32(d, r);
}

/* d = a + NOT(b) + C. */
void gen_sbc_flags(TCGv_i32 d, TCGv_i32 a, TCGv_i32 b)
{
    TCGv_i32 nb = tcg_temp_new_i32();
    tcg_gen_not_i32(nb, b);
    gen_adc_flags(d, a, nb);
}

/* ---- shifter ----------------------------------------------------------------------------- */

/* Immediate shifts: amount is the raw imm5 (LSR/ASR #0 mean 32, ROR #0 is RRX). */
void gen_shift_imm(TCGv_i32 v, int type, int amount, bool set_carry)
{
    switch (type) {
    case 0:
        if (amount == 0) {
            return;             /* no op: the operand stays a copy of its register */
        }
        if (set_carry) {
            tcg_gen_extract_i32(cpu_CF, v, 32 - amount, 1);
        }
        tcg_gen_shli_i32(v, v, amount);
        return;
    case 1:
    case 2:
        if (amount == 0) {
            amount = 32;
        }
        if (set_carry) {
            tcg_gen_extract_i32(cpu_CF, v, amount - 1, 1);
        }
        if (type == 1) {
            if (amount == 32) {
                tcg_gen_movi_i32(v, 0);
            } else {
                tcg_gen_shri_i32(v, v, amount);
            }
        } else {
            tcg_gen_sari_i32(v, v, amount == 32 ? 31 : amount);
        }
        return;
    default:
        if (amount) {
            if (set_carry) {
                tcg_gen_extract_i32(cpu_CF, v, amount - 1, 1);
            }
            tcg_gen_rotri_i32(v, v, amount);
        } else {                                    /* RRX */
            TCGv_i32 c = tcg_temp_new_i32();
            tcg_gen_shli_i32(c, cpu_CF, 31);
            if (set_carry) {
                tcg_gen_andi_i32(cpu_CF, v, 1);
            }
            tcg_gen_shri_i32(v, v, 1);
            tcg_gen_or_i32(v, v, c);
        }
        return;
    }
}

/* A register-specified shift that leaves the carry alone: LSL/LSR by 32..255 give 0,
 * ASR by 32..255 is ASR by 31 (the IR's shifts take the count modulo 32). */
static void gen_shift_reg_nc(TCGv_i32 v, int type, TCGv_i32 amt)
{
    if (type == 2) {
        TCGv_i32 n = tcg_temp_new_i32();
        tcg_gen_movcond_i32(TCG_COND_GTU, n, amt, tcg_constant_i32(31), tcg_constant_i32(31),
                            amt);
        tcg_gen_sar_i32(v, v, n);
        return;
    }
    TCGv_i32 r = tcg_temp_new_i32();
    if (type == 0) {
        tcg_gen_shl_i32(r, v, amt);
    } else {
        tcg_gen_shr_i32(r, v, amt);
    }
    tcg_gen_movcond_i32(TCG_COND_GEU, v, amt, tcg_constant_i32(32), tcg_constant_i32(0), r);
}

/* Register-specified shifts use the bottom byte of the amount register; the carry is
 * left alone when that byte is 0. With the carry: in 64 bits with a guard bit. */
void gen_shift_reg(TCGv_i32 v, int type, TCGv_i32 amount, bool set_carry)
{
    TCGv_i32 amt = tcg_temp_new_i32(), carry = tcg_temp_new_i32();
    TCGv_i64 w = tcg_temp_new_i64(), n = tcg_temp_new_i64();

    tcg_gen_andi_i32(amt, amount, 0xff);
    if (!set_carry && type != 3) {
        gen_shift_reg_nc(v, type, amt);
        return;
    }
    if (type == 3) {
        tcg_gen_rotr_i32(v, v, amt);               /* rotation mod 32 */
        if (set_carry) {
            tcg_gen_shri_i32(carry, v, 31);
            tcg_gen_movcond_i32(TCG_COND_EQ, cpu_CF, amt, tcg_constant_i32(0), cpu_CF, carry);
        }
        return;
    }
    tcg_gen_movcond_i32(TCG_COND_GTU, amt, amt, tcg_constant_i32(type == 2 ? 32 : 33),
                        tcg_constant_i32(type == 2 ? 32 : 33), amt);
    tcg_gen_extu_i32_i64(n, amt);
    if (type == 0) {
        tcg_gen_extu_i32_i64(w, v);
        tcg_gen_shl_i64(w, w, n);
        tcg_gen_extrh_i64_i32(carry, w);
        tcg_gen_andi_i32(carry, carry, 1);
        tcg_gen_extrl_i64_i32(v, w);
    } else {
        if (type == 1) {
            tcg_gen_extu_i32_i64(w, v);
        } else {
            tcg_gen_ext_i32_i64(w, v);
        }
        tcg_gen_shli_i64(w, w, 1);
        if (type == 1) {
            tcg_gen_shr_i64(w, w, n);
        } else {
            tcg_gen_sar_i64(w, w, n);
        }
        tcg_gen_extrl_i64_i32(carry, w);
        tcg_gen_andi_i32(carry, carry, 1);
        tcg_gen_sari_i64(w, w, 1);
        tcg_gen_extrl_i64_i32(v, w);
    }
    if (set_carry) {
        tcg_gen_movcond_i32(TCG_COND_EQ, cpu_CF, amt, tcg_constant_i32(0), cpu_CF, carry);
    }
}

/* ---- data processing (A8.4) ------------------------------------------------------------ */

enum { DP_AND, DP_EOR, DP_SUB, DP_RSB, DP_ADD, DP_ADC, DP_SBC, DP_RSC, DP_TST, DP_TEQ,
       DP_CMP, DP_CMN, DP_ORR, DP_MOV, DP_BIC, DP_MVN };

static void dp_arith(int op, bool flags, TCGv_i32 d, TCGv_i32 a, TCGv_i32 b)
{
    switch (op) {
    case DP_SUB: case DP_CMP:
        if (flags) gen_sub_flags(d, a, b); else tcg_gen_sub_i32(d, a, b);
        return;
    case DP_RSB:
        if (flags) gen_sub_flags(d, b, a); else tcg_gen_sub_i32(d, b, a);
        return;
    case DP_ADD: case DP_CMN:
        if (flags) gen_add_flags(d, a, b); else tcg_gen_add_i32(d, a, b);
        return;
    case DP_ADC:
        if (flags) {
            gen_adc_flags(d, a, b);
        } else {
            tcg_gen_add_i32(d, a, b);
            tcg_gen_add_i32(d, d, cpu_CF);
        }
        return;
    case DP_SBC: case DP_RSC: {
        TCGv_i32 x = op == DP_SBC ? a : b, y = op == DP_SBC ? b : a;
        if (flags) {
            gen_sbc_flags(d, x, y);
        } else {
            tcg_gen_sub_i32(d, x, y);
            tcg_gen_add_i32(d, d, cpu_CF);
            tcg_gen_subi_i32(d, d, 1);
        }
        return;
    }
    }
}

static bool dp_is_logical(int op)
{
    static const uint16_t logical = 1u << DP_AND | 1u << DP_EOR | 1u << DP_TST | 1u << DP_TEQ |
                                    1u << DP_ORR | 1u << DP_MOV | 1u << DP_BIC | 1u << DP_MVN;
    return (logical >> op) & 1;
}

bool gen_data_proc(DisasContext *s, int op, bool setflags, int rd, int rn, TCGv_i32 op2)
{
    bool is_test = op >= DP_TST && op <= DP_CMN;
    bool eret = setflags && rd == 15 && !is_test && !s->thumb;
    bool flags = setflags && !eret;
    TCGv_i32 d = tcg_temp_new_i32();
    TCGv_i32 a = (op == DP_MOV || op == DP_MVN) ? NULL : load_reg(s, rn);

    if (eret && !s->priv) {
        return false;       /* UNPREDICTABLE in User mode: UNDEFINED here */
    }
    switch (op) {
    case DP_AND: case DP_TST: tcg_gen_and_i32(d, a, op2); break;
    case DP_EOR: case DP_TEQ: tcg_gen_xor_i32(d, a, op2); break;
    case DP_ORR: tcg_gen_or_i32(d, a, op2); break;
    case DP_MOV: tcg_gen_mov_i32(d, op2); break;
    case DP_BIC: tcg_gen_andc_i32(d, a, op2); break;
    case DP_MVN: tcg_gen_not_i32(d, op2); break;
    default: dp_arith(op, flags, d, a, op2); break;
    }
    if (flags && dp_is_logical(op)) {
        gen_logic_flags(d);
    }
    if (is_test) {
        return true;
    }
    if (eret) {
        gen_exception_return(s, d);
    } else {
        store_reg(s, rd, d);
    }
    return true;
}

/* Does op use the shifter's carry? (the decoders ask before shifting) */
bool dp_needs_shifter_carry(int op, bool setflags)
{
    return setflags && dp_is_logical(op);
}
