/* x86 translation-block flags: the mode bits of the CPU state that change how code is
 * translated (part of the TB lookup key, so that a mode change never runs stale code).
 * Derived from CR0.PE, EFLAGS.VM/TF/IOPL, EFER.LMA, CS.D/L, SS.B, the segment bases and
 * the interrupt shadow (Intel SDM vol. 3A 2.2, 3.4.5, 6.8.3). */
#ifndef TARGET_I386_TB_FLAGS_H
#define TARGET_I386_TB_FLAGS_H

#include <stdint.h>
#include "target-i386/cpu.h"

enum {
    HF_CPL_MASK = 3,            /* current privilege level */
    HF_CS32 = 1u << 2,          /* CS.D: default operand and address size 32 */
    HF_SS32 = 1u << 3,          /* SS.B: ESP, not SP */
    HF_CS64 = 1u << 4,          /* 64-bit code (EFER.LMA and CS.L) */
    HF_LMA = 1u << 5,           /* IA-32e mode */
    HF_PE = 1u << 6,            /* protected mode */
    HF_VM = 1u << 7,            /* virtual-8086 mode */
    HF_ADDSEG = 1u << 8,        /* DS, ES or SS has a nonzero base: add bases (else flat) */
    HF_TF = 1u << 9,            /* single-step trap after each instruction */
    HF_INHIBIT = 1u << 10,      /* interrupt shadow (after MOV SS / POP SS / STI) */
    HF_IOPL_SHIFT = 12,         /* EFLAGS.IOPL, bits 12-13 */
    HF_IOPL_MASK = 3u << 12,
    HF_AC = 1u << 14,           /* EFLAGS.AC with CR0.AM at CPL 3: alignment checks */
};

/* The TB flags of the current state. */
uint32_t x86_tb_flags(const X86CPU *x);
/* The MMU index of data accesses for TB flags f (0: supervisor, 1: user). */
static inline int x86_mmu_index(uint32_t f)
{
    return (f & HF_CPL_MASK) == 3 ? 1 : 0;
}

#endif
