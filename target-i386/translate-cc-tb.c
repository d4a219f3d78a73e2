/* Flag liveness across TBs in the x86 translator (docs/x86-translator.md "Lazy condition
 * codes"): a chained exit whose successor starts with a register-only ADD/OR/AND/SUB/XOR/
 * CMP/TEST/NEG (they set all six arithmetic flags, read none and cannot fault: Intel SDM
 * vol. 2) does not store the lazy-flag state (cc_op, cc_dst, cc_src, cc_src2).
 * Exactness, as target-arm/translate-flags.c: a TB that starts with such an instruction
 * redoes it on its entry check's exit path (TCGTargetOps.gen_entry_exit,
 * TB.entry_check_insn), the exit is in the TB's dead_exit_slots (the CPU loop runs the
 * next TB before taking an interrupt), and the successor's first instruction is in the
 * TB's invalidation span (extra_lo/hi), so a rewrite of it drops the exit. */
#include "target-i386/translate.h"
#include "util/cutils.h"

/* ALU op 0-7 (ADD OR ADC SBB AND SUB XOR CMP): all but ADC and SBB ignore CF. */
static bool alu_op_kills(unsigned op)
{
    return op != 2 && op != 3;
}

/* The length of the register-only flag killer made of opcode b and the bytes after it
 * (modrm at pc), or 0. imm is the size of a full immediate (4 in 32/64-bit code). */
static unsigned killer_body_len(CPUState *cpu, TranslationBlock *tb, unsigned b, uint64_t pc)
{
    unsigned modrm = translator_ldub(cpu, tb, pc);
    unsigned reg = (modrm >> 3) & 7;
    bool regform = (modrm >> 6) == 3;

    if (b < 0x40 && (b & 7) <= 3) {             /* op r/m, r and op r, r/m */
        return regform && alu_op_kills(b >> 3) ? 2 : 0;
    }
    switch (b) {
    case 0x80: case 0x83:                       /* op r/m, imm8 */
        return regform && alu_op_kills(reg) ? 3 : 0;
    case 0x81:                                  /* op r/m, imm32 */
        return regform && alu_op_kills(reg) ? 6 : 0;
    case 0x84: case 0x85:                       /* TEST r/m, r */
        return regform ? 2 : 0;
    case 0xf6: case 0xf7:                       /* TEST r/m, imm; NEG r/m */
        if (!regform || (reg != 0 && reg != 3)) {
            return 0;
        }
        return reg == 3 ? 2 : b == 0xf6 ? 3 : 6;
    default:
        return 0;
    }
}

/* Opcodes without modrm: op AL/eAX, imm and TEST AL/eAX, imm. */
static unsigned killer_acc_len(unsigned b)
{
    if (b < 0x40 && (b & 6) == 4 && alu_op_kills(b >> 3)) {
        return b & 1 ? 5 : 2;
    }
    return b == 0xa8 ? 2 : b == 0xa9 ? 5 : 0;
}

/* The length of the instruction at the linear address pc if it kills the flags and the
 * TB of the given hflags starting at pc runs it before its entry check, else 0. Only
 * 32/64-bit code (HF_SEGLIM checks data accesses only, which these have none of), no
 * prefix but REX, not near the page's end (the TB holds a second instruction). Nothing
 * here may depend on more than the bytes and the hflags (the TB key): the TB that starts
 * there and redoes the instruction may be older than the one that drops the flags. */
int x86_flag_killer_len(CPUState *cpu, TranslationBlock *tb, uint64_t pc, uint32_t flags)
{
    if ((flags & (HF_TF | HF_INHIBIT_IRQ | HF_BPT)) ||
        !(flags & (HF_CS32 | HF_CS64)) || (pc & 0xfff) > 0x1000 - 16) {
        return 0;
    }
    unsigned n = 0, b = translator_ldub(cpu, tb, pc);
    if ((flags & HF_CS64) && (b & 0xf0) == 0x40) {
        n = 1;
        b = translator_ldub(cpu, tb, pc + 1);
    }
    unsigned len = killer_acc_len(b);
    if (!len) {
        len = killer_body_len(cpu, tb, b, pc + n + 1);
    }
    return len ? (int)(n + len) : 0;
}

/* The length of the flag killer at the linear address dest if a chained exit there
 * from the TB being translated may drop the flags, else 0 (tb_may_drop_state_at_exit;
 * a breakpoint set or removed on this page drops both TBs). A guest store is allowed
 * once the TB has a second instruction to stop before. */
static int exit_killer_len(DisasContext *s, uint64_t dest)
{
    TranslationBlock *tb = s->tb;
    if (((dest ^ tb->pc) & ~0xfffull) || (s->flags & (HF_TF | HF_INHIBIT_IRQ)) ||
        !tb_may_drop_state_at_exit(tb, s->num_insns > 1)) {
        return 0;
    }
    return x86_flag_killer_len(s->cpu, tb, dest, s->flags);
}

bool x86_exit_drops_flags(DisasContext *s, uint64_t dest)
{
    return exit_killer_len(s, dest) != 0;
}

/* Before goto_tb slot n to the linear address dest: if the successor kills the flags,
 * drops the lazy-flag state and records what keeps that exact. */
void x86_flags_dead_at_exit(DisasContext *s, int n, uint64_t dest)
{
    TranslationBlock *tb = s->tb;
    int len = exit_killer_len(s, dest);
    if (!len) {
        return;
    }
    tb_mark_dead_exit(tb, n, (unsigned)(dest & 0xfff), len);
    tcg_gen_discard_i32(x86_cpu_cc_op);
    tcg_gen_discard_i64(x86_cpu_cc_dst);
    tcg_gen_discard_i64(x86_cpu_cc_src);
    tcg_gen_discard_i64(x86_cpu_cc_src2);
}
