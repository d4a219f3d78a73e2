/* System-level emitters of the ARMv7-A translator (ARM ARM DDI0406C): MRS/MSR (B9.3.8-12),
 * CPS (B9.3.2), exception returns (SUBS PC, LR; LDM ^; RFE; SRS: B9.3), hints (WFI, WFE,
 * YIELD, SEV: A8.8), barriers (DMB/DSB/ISB: A3.8.3) and coprocessor register transfers
 * (MCR/MRC/MCRR/MRRC to CP14/CP15: B4). */
#include <stddef.h>
#include "target-arm/translate.h"

/* CPSR = SPSR, PC = pc (aligned for the new state); back to the CPU loop. */
void gen_exception_return(DisasContext *s, TCGv_i32 pc)
{
    gen_helper(&helper_info_cpsr_write_eret, NULL, 1, pc);
    tcg_gen_exit_tb(0);
    s->is_jmp = DISAS_END;
}

/* The 4-bit field mask of MSR as CPSR bits. */
static uint32_t msr_mask(DisasContext *s, uint32_t fields, bool spsr)
{
    uint32_t mask = 0;
    for (int i = 0; i < 4; i++) {
        if (fields & (1u << i)) {
            mask |= 0xffu << (8 * i);
        }
    }
    if (spsr) {
        return mask;
    }
    mask &= ~(ARM_CPSR_T | ARM_CPSR_IT_1_0 | ARM_CPSR_IT_7_2 | ARM_CPSR_J | 0x00f00000u);
    if (!s->priv) {
        mask &= ARM_CPSR_NZCV | ARM_CPSR_Q | ARM_CPSR_GE;
    }
    return mask;
}

bool gen_msr(DisasContext *s, bool spsr, uint32_t fields, TCGv_i32 v)
{
    uint32_t mask = msr_mask(s, fields, spsr);
    int bank = arm_mode_bank(s->mode);

    if (spsr) {
        if (!s->priv || bank <= ARM_BANK_USR) {
            return false;
        }
        TCGv_i32 old = tcg_temp_new_i32(), t = tcg_temp_new_i32();
        intptr_t ofs = offsetof(ARMCPU, banked_spsr) + 4 * bank;
        tcg_gen_ld_i32(old, tcg_env, ofs);
        tcg_gen_andi_i32(old, old, ~mask);
        tcg_gen_andi_i32(t, v, mask);
        tcg_gen_or_i32(old, old, t);
        tcg_gen_st_i32(old, tcg_env, ofs);
        return true;
    }
    gen_helper(&helper_info_cpsr_write, NULL, 2, v, tcg_constant_i32(mask));
    if (mask & ~(ARM_CPSR_NZCV | ARM_CPSR_Q | ARM_CPSR_GE)) {
        gen_update_pc_exit(s);      /* mode, masks or endianness may have changed */
    }
    return true;
}

bool gen_mrs(DisasContext *s, int rd, bool spsr)
{
    TCGv_i32 v = tcg_temp_new_i32();
    int bank = arm_mode_bank(s->mode);

    if (spsr) {
        if (!s->priv || bank <= ARM_BANK_USR) {
            return false;
        }
        tcg_gen_ld_i32(v, tcg_env, offsetof(ARMCPU, banked_spsr) + 4 * bank);
    } else {
        gen_helper(&helper_info_cpsr_read, v, 0);
        /* the execution state bits read as zero */
        tcg_gen_andi_i32(v, v, ~(ARM_CPSR_T | ARM_CPSR_IT_1_0 | ARM_CPSR_IT_7_2 | ARM_CPSR_J));
    }
    tcg_gen_mov_i32(cpu_R[rd], v);
    return true;
}

bool gen_cps(DisasContext *s, bool imod_set, bool imod_clear, uint32_t aif, bool chmode,
             int mode)
{
    uint32_t mask = 0, val = 0;

    if (!s->priv) {
        return true;                /* a NOP in User mode */
    }
    if (imod_set || imod_clear) {
        mask |= (aif & 4 ? ARM_CPSR_A : 0) | (aif & 2 ? ARM_CPSR_I : 0) |
                (aif & 1 ? ARM_CPSR_F : 0);
        val |= imod_set ? mask : 0;
    }
    if (chmode) {
        mask |= ARM_CPSR_M;
        val |= mode;
    }
    gen_helper(&helper_info_cpsr_write, NULL, 2, tcg_constant_i32(val),
               tcg_constant_i32(mask));
    gen_update_pc_exit(s);
    return true;
}

/* NOP, YIELD, WFE, WFI, SEV (hint numbers 0-4); others are NOPs. */
bool gen_hint(DisasContext *s, int hint)
{
    switch (hint) {
    case 1: case 2:                 /* YIELD, WFE: let the loop look at requests */
        gen_update_pc_exit(s);
        return true;
    case 3:
        tcg_gen_movi_i32(cpu_R[15], s->next_pc);
        gen_helper(&helper_info_wfi, NULL, 1, tcg_constant_i32(s->next_condexec));
        tcg_gen_exit_tb(0);
        s->is_jmp = DISAS_END;
        return true;
    default:
        return true;
    }
}

bool gen_barrier(DisasContext *s, int type)
{
    switch (type) {
    case 4: case 5:
        tcg_gen_mb(TCG_MO_ALL | TCG_BAR_SC);
        return true;
    case 6:
        gen_update_pc_exit(s);      /* ISB: later instructions are fetched again */
        return true;
    default:
        return false;
    }
}

/* ---- coprocessor register transfers ------------------------------------------------------- */

static void gen_cp_read64(int index, TCGv_i64 ret)
{
    TCGTemp *args[2] = { tcgv_temp(tcg_env), tcgv_temp(tcg_constant_i32(index)) };
    tcg_gen_callN(&helper_info_cp_read64, tcgv_temp(ret), args);
}

bool gen_coproc(DisasContext *s, int cp, int opc1, int crn, int crm, int opc2, bool is_read,
                int rt, int rt2, bool is64)
{
    if (cp != 14 && cp != 15) {
        return false;
    }
    uint32_t key = is64 ? ARM_CP_KEY64(cp, opc1, crm) : ARM_CP_KEY(cp, opc1, crn, crm, opc2);
    int index = arm_cp_index(key);
    if (index < 0) {
        return gen_undef(s);            /* no such register */
    }
    TCGv_i32 idx = tcg_constant_i32(index);
    if (is64) {
        if (is_read) {
            TCGv_i64 v = tcg_temp_new_i64();
            gen_cp_read64(index, v);
            tcg_gen_extr_i64_i32(cpu_R[rt], cpu_R[rt2], v);
        } else {
            gen_helper(&helper_info_cp_write64, NULL, 3, idx,
                       load_reg(s, rt), load_reg(s, rt2));
            gen_update_pc_exit(s);
        }
        return true;
    }
    if (is_read) {
        TCGv_i32 v = tcg_temp_new_i32();
        ptrdiff_t field = arm_cp_read_field(index, s->priv);
        if (field >= 0) {
            tcg_gen_ld_i32(v, tcg_env, field);  /* TPIDRPRW and co: no helper call */
        } else {
            gen_helper(&helper_info_cp_read, v, 1, idx);
        }
        if (rt == 15) {             /* MRC to APSR_nzcv */
            gen_set_nzcv(v);
        } else {
            tcg_gen_mov_i32(cpu_R[rt], v);
        }
    } else {
        gen_helper(&helper_info_cp_write, NULL, 2, idx, load_reg(s, rt));
        if (!arm_cp_write_goes_on(index)) {
            gen_update_pc_exit(s);  /* SCTLR, CPACR... may change the translation state */
        }
    }
    return true;
}

/* ---- SRS / RFE -------------------------------------------------------------------------- */

bool gen_srs(DisasContext *s, int mode, bool before, bool inc, bool wback)
{
    if (!s->priv || arm_mode_bank(mode) < 0) {
        return false;
    }
    uint32_t info = mode | (before ? 0x100 : 0) | (inc ? 0x200 : 0) | (wback ? 0x400 : 0);
    gen_helper(&helper_info_srs, NULL, 1, tcg_constant_i32(info));
    return true;
}

bool gen_rfe(DisasContext *s, int rn, bool before, bool inc, bool wback)
{
    TCGv_i32 addr = load_reg(s, rn), pc = tcg_temp_new_i32(), psr = tcg_temp_new_i32();

    if (!s->priv) {
        return false;
    }
    tcg_gen_addi_i32(addr, addr, inc ? (before ? 4 : 0) : (before ? -8 : -4));
    gen_ld(s, pc, addr, MO_32 | MO_ALIGN_4, s->mmu_idx);
    tcg_gen_addi_i32(addr, addr, 4);
    gen_ld(s, psr, addr, MO_32 | MO_ALIGN_4, s->mmu_idx);
    if (wback) {
        TCGv_i32 base = load_reg(s, rn);
        tcg_gen_addi_i32(base, base, inc ? 8 : -8);
        tcg_gen_mov_i32(cpu_R[rn], base);
    }
    gen_helper(&helper_info_rfe, NULL, 2, pc, psr);
    tcg_gen_exit_tb(0);
    s->is_jmp = DISAS_END;
    return true;
}
