/* ARMv7-A CPU state (ARM Architecture Reference Manual ARMv7-A/R, DDI0406C): core registers
 * with the per-mode banks of B1.3.2, CPSR/SPSRs, and a minimal set of CP15 system control
 * registers (B4.1). No Security or Virtualization Extensions yet (no Monitor/Hyp mode). */
#ifndef TARGET_ARM_CPU_H
#define TARGET_ARM_CPU_H

#include <stdint.h>
#include "system/cpu.h"

/* CPSR.M values (B1.3.1). */
enum {
    ARM_MODE_USR = 0x10, ARM_MODE_FIQ = 0x11, ARM_MODE_IRQ = 0x12, ARM_MODE_SVC = 0x13,
    ARM_MODE_MON = 0x16, ARM_MODE_ABT = 0x17, ARM_MODE_HYP = 0x1a, ARM_MODE_UND = 0x1b,
    ARM_MODE_SYS = 0x1f,
};
#define ARM_CPSR_M 0x1fu
#define ARM_CPSR_T (1u << 5)
#define ARM_CPSR_F (1u << 6)
#define ARM_CPSR_I (1u << 7)
#define ARM_CPSR_A (1u << 8)
#define ARM_CPSR_E (1u << 9)
#define ARM_CPSR_V (1u << 28)
#define ARM_CPSR_C (1u << 29)
#define ARM_CPSR_Z (1u << 30)
#define ARM_CPSR_N (1u << 31)

#define ARM_SCTLR_M (1u << 0)
#define ARM_SCTLR_V (1u << 13)          /* high exception vectors at 0xffff0000 */
#define ARM_SCTLR_EE (1u << 25)
#define ARM_SCTLR_TE (1u << 30)
#define ARM_TTBCR_EAE (1u << 31)        /* long-descriptor (LPAE) translation tables */

/* Register banks: User and System share bank 0. */
enum { ARM_BANK_USR, ARM_BANK_SVC, ARM_BANK_ABT, ARM_BANK_UND, ARM_BANK_IRQ, ARM_BANK_FIQ,
       ARM_NR_BANKS };

typedef struct ARMCP15 {
    uint32_t midr;
    uint32_t sctlr;
    uint64_t ttbr0, ttbr1;          /* 64-bit with LPAE (long descriptors) */
    uint32_t ttbcr;
    uint32_t dacr;
    uint32_t dfsr, ifsr, dfar, ifar;
    uint32_t vbar;
} ARMCP15;

typedef struct ARMCPU {
    CPUState parent;                /* first: a CPUState * is an ARMCPU * */
    uint32_t regs[16];              /* the current mode's view; r15 is the PC */
    uint32_t cpsr;
    /* Saved copies of the banks the current mode does not see. */
    uint32_t banked_sp[ARM_NR_BANKS];
    uint32_t banked_lr[ARM_NR_BANKS];
    uint32_t banked_spsr[ARM_NR_BANKS];     /* live for the current bank too; usr: none */
    uint32_t usr_regs[5];           /* r8-r12 of every mode but FIQ, while in FIQ */
    uint32_t fiq_regs[5];           /* r8_fiq-r12_fiq, while not in FIQ */
    ARMCP15 cp15;
    /* model data */
    uint32_t reset_sctlr;
    bool has_lpae;                  /* Large Physical Address Extension (Cortex-A15) */
} ARMCPU;

static inline ARMCPU *arm_cpu(CPUState *cpu)
{
    return (ARMCPU *)cpu;
}

/* Bank of a CPSR.M value, or -1 for a mode this CPU does not have. */
int arm_mode_bank(uint32_t mode);
/* Changes CPSR.M, swapping the banked registers; -1 (nothing changed) for a bad mode. */
int arm_cpu_switch_mode(ARMCPU *a, uint32_t mode);
/* Writes the whole CPSR (mode switch included); -1 for a bad mode. */
int arm_cpu_write_cpsr(ARMCPU *a, uint32_t value);

extern const CPUClass arm_cpu_cortex_a15_class;
extern const CPUClass arm_cpu_cortex_a9_class;

#endif
