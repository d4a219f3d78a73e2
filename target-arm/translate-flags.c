/* Flag liveness across TBs in the ARMv7-A translator (docs/arm.md "Performance"): a
 * chained exit whose successor starts with an instruction that sets all of NZCV, reads
 * none of them and cannot fault (ADDS/SUBS/RSBS/CMP/CMN, immediate or register without
 * RRX, outside an IT block: ARM ARM DDI0406C A8.8) does not compute or store the flags.
 * Exactness: a TB that starts with such an instruction redoes it on its entry check's
 * exit path (TCGTargetOps.gen_entry_exit, TB.entry_check_insn), the exit is in the TB's
 * dead_exit_slots (the CPU loop runs the next TB before taking an interrupt), and the
 * successor's first instruction is in the TB's invalidation span (extra_lo/hi), so a
 * rewrite of it drops the exit. */
#include "target-arm/translate.h"
#include "util/cutils.h"

/* Register-shifted by immediate, RRX excluded (it reads C). */
static bool imm_shift_reads_c(uint32_t type, uint32_t imm)
{
    return type == 3 && imm == 0;
}

static bool t16_kills_flags(uint32_t hw)
{
    if ((hw & 0xf800) == 0x1800) {                  /* ADDS/SUBS reg, imm3 */
        return true;
    }
    if ((hw & 0xf800) == 0x2800 || (hw & 0xf000) == 0x3000) {  /* CMP/ADDS/SUBS imm8 */
        return true;
    }
    uint32_t dp = hw & 0xffc0;                      /* RSBS #0, CMP, CMN (low regs) */
    return dp == 0x4240 || dp == 0x4280 || dp == 0x42c0;
}

/* ADD/SUB/RSB with S (op 8, 13, 14), Rd = 15 only for CMN/CMP (ADD/SUB), no SP or PC
 * operand (forms the decoder may treat apart). */
static bool arith_op_kills(uint32_t op, uint32_t rn, uint32_t rd)
{
    if (rn == 15 || rn == 13 || rd == 13) {
        return false;
    }
    return op == 8 || op == 13 || (op == 14 && rd != 15);
}

static bool t32_kills_flags(uint32_t insn)
{
    uint32_t op = (insn >> 21) & 0xf, rn = (insn >> 16) & 0xf, rd = (insn >> 8) & 0xf;
    if (!(insn & (1u << 20)) || (insn & 0x8000)) {
        return false;
    }
    if ((insn & 0xfa000000) == 0xf0000000) {        /* data processing, modified immediate */
        return arith_op_kills(op, rn, rd);
    }
    if ((insn & 0xfe000000) == 0xea000000) {        /* data processing, shifted register */
        uint32_t imm = ((insn >> 10) & 0x1c) | ((insn >> 6) & 3);
        return (insn & 0xf) != 15 && !imm_shift_reads_c((insn >> 4) & 3, imm) &&
               arith_op_kills(op, rn, rd);
    }
    return false;
}

static bool a32_kills_flags(uint32_t insn)
{
    uint32_t op = (insn >> 21) & 0xf, rn = (insn >> 16) & 0xf, rd = (insn >> 12) & 0xf;
    if ((insn & 0xfc100000) != 0xe0100000 || rd == 15 || rn == 15 || rd == 13 || rn == 13) {
        return false;                               /* AL, data processing, S */
    }
    if (!(insn & (1u << 25))) {                     /* register: shift by immediate */
        if ((insn & 0x10) || (insn & 0xf) == 15 ||
            imm_shift_reads_c((insn >> 5) & 3, (insn >> 7) & 0x1f)) {
            return false;
        }
    }
    return op == 2 || op == 3 || op == 4 || op == 10 || op == 11;  /* SUB RSB ADD CMP CMN */
}

/* The length of the instruction at pc if it kills the flags and the TB starting at pc
 * runs it before its entry check, else 0. Nothing here may depend on more than the bytes
 * and the mode (the TB key): the TB that starts at pc and redoes the instruction may be
 * older than the one that drops the flags (translated while a debugger breakpoint was
 * set elsewhere, say). */
int arm_flag_killer_len(CPUState *cpu, TranslationBlock *tb, uint32_t pc, bool thumb)
{
    int len;
    bool kills;
    if (!thumb) {
        len = 4;
        kills = !(pc & 3) && a32_kills_flags(translator_ldl(cpu, tb, pc));
    } else {
        uint32_t hw = translator_lduw(cpu, tb, pc);
        len = thumb_insn_is32(hw) ? 4 : 2;
        if ((pc & 0xfff) > 0x1000 - (uint32_t)len) {
            return 0;                               /* straddles the page end */
        }
        kills = len == 2 ? t16_kills_flags(hw)
                         : t32_kills_flags(hw << 16 | translator_lduw(cpu, tb, pc + 2));
    }
    uint32_t next = pc + (uint32_t)len;
    bool page_end = (next & 0xfff) == 0 || (thumb && (next & 0xfff) == 0xffe);
    return kills && !page_end ? len : 0;
}

/* Before goto_tb slot n to dest (on the TB's first page, outside IT blocks): if the
 * successor kills the flags, drops them and records what keeps that exact
 * (tb_may_drop_state_at_exit: no guest store, helper call or atomic in the TB; setting
 * or removing a breakpoint on this page drops both TBs). */
void arm_flags_dead_at_exit(DisasContext *s, int n, uint32_t dest)
{
    TranslationBlock *tb = s->tb;
    if (s->condexec || s->next_condexec || ((dest ^ (uint32_t)tb->pc) & ~0xfffu) ||
        !tb_may_drop_state_at_exit(tb, false)) {
        return;
    }
    int len = arm_flag_killer_len(s->cpu, tb, dest, s->thumb);
    if (!len) {
        return;
    }
    tb_mark_dead_exit(tb, n, (unsigned)(dest & 0xfff), len);
    tcg_gen_discard_i32(cpu_NF);
    tcg_gen_discard_i32(cpu_ZF);
    tcg_gen_discard_i32(cpu_CF);
    tcg_gen_discard_i32(cpu_VF);
}
