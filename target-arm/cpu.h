/* ARMv7-A CPU state (ARM Architecture Reference Manual ARMv7-A/R, DDI0406C): core registers
 * with the per-mode banks of B1.3.2, CPSR/SPSRs (the CPSR kept split: NZCV, Q, GE, T and the
 * IT state in their own words for the translator), CP15 system control registers (B4.1),
 * VFP/Advanced SIMD registers, the local exclusive monitor and the generic timer (B8).
 * No Security or Virtualization Extensions (no Monitor/Hyp mode). Board-facing interface
 * (timer outputs, IRQ/FIQ lines, HVC/SMC hook, boot entry): /work/wt/arm-contract.md. */
#ifndef TARGET_ARM_CPU_H
#define TARGET_ARM_CPU_H

#include <stdint.h>
#include "hw/irq.h"
#include "system/cpu.h"
#include "system/timer.h"

/* CPSR.M values (B1.3.1). */
enum {
    ARM_MODE_USR = 0x10, ARM_MODE_FIQ = 0x11, ARM_MODE_IRQ = 0x12, ARM_MODE_SVC = 0x13,
    ARM_MODE_MON = 0x16, ARM_MODE_ABT = 0x17, ARM_MODE_HYP = 0x1a, ARM_MODE_UND = 0x1b,
    ARM_MODE_SYS = 0x1f,
};
#define ARM_CPSR_M 0x1fu
#define ARM_CPSR_IT_1_0 (3u << 25)
#define ARM_CPSR_IT_7_2 (0x3fu << 10)
#define ARM_CPSR_GE (0xfu << 16)
#define ARM_CPSR_J (1u << 24)
#define ARM_CPSR_Q (1u << 27)
#define ARM_CPSR_NZCV 0xf0000000u
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
#define ARM_SCTLR_A (1u << 1)           /* alignment checking */
#define ARM_SCTLR_AFE (1u << 29)        /* AP[0] is the access flag */
#define ARM_SCTLR_V (1u << 13)          /* high exception vectors at 0xffff0000 */
#define ARM_SCTLR_EE (1u << 25)
#define ARM_SCTLR_TE (1u << 30)
#define ARM_TTBCR_EAE (1u << 31)        /* long-descriptor (LPAE) translation tables */

/* Register banks: User and System share bank 0. */
enum { ARM_BANK_USR, ARM_BANK_SVC, ARM_BANK_ABT, ARM_BANK_UND, ARM_BANK_IRQ, ARM_BANK_FIQ,
       ARM_NR_BANKS };

/* Exceptions (CPUState.exception_index). */
enum {
    ARM_EXCP_UDEF = 1, ARM_EXCP_SWI, ARM_EXCP_PREFETCH_ABORT, ARM_EXCP_DATA_ABORT,
    ARM_EXCP_IRQ, ARM_EXCP_FIQ, ARM_EXCP_BKPT, ARM_EXCP_HVC, ARM_EXCP_SMC,
};

/* Interrupt input lines (arm_cpu_set_irq) and generic timer outputs. */
enum { ARM_IRQ_LINE = 0, ARM_FIQ_LINE = 1 };
enum { ARM_GT_PHYS, ARM_GT_VIRT, ARM_GT_HYP, ARM_GT_SEC, ARM_GT_COUNT };

typedef struct ARMCP15 {
    uint32_t midr;
    uint32_t mpidr;
    uint32_t sctlr, actlr, cpacr;
    uint64_t ttbr0, ttbr1;          /* 64-bit with LPAE (long descriptors) */
    uint32_t ttbcr;
    uint32_t dacr;
    uint32_t dfsr, ifsr, dfar, ifar, adfsr, aifsr;
    uint64_t par;
    uint32_t prrr, nmrr, amair0, amair1;
    uint32_t vbar;
    uint32_t contextidr, tpidrurw, tpidruro, tpidrprw;
    uint32_t csselr;
    uint32_t cntkctl;
    uint32_t pmcr, pmcnten, pmovsr, pmselr, pmuserenr, pminten, pmxevtyper;
    uint64_t pmccntr_base;          /* PMCCNTR = ns/1 - base while enabled */
    uint32_t pmccntr_frozen;
} ARMCP15;

typedef struct ARMGenericTimer {
    uint64_t cval;
    uint32_t ctl;                   /* ENABLE bit 0, IMASK bit 1, ISTATUS bit 2 (computed) */
    Timer *timer;
    int level;                      /* last level driven on the output */
} ARMGenericTimer;

typedef struct ARMCPU ARMCPU;
/* The board's HVC/SMC handler (PSCI): true if handled (result in regs[0]). */
typedef bool ARMSmcHvcHook(ARMCPU *cpu, bool is_smc, void *opaque);

struct ARMCPU {
    CPUState parent;                /* first: a CPUState * is an ARMCPU * */
    uint32_t regs[16];              /* the current mode's view; r15 is the PC */
    /* CPSR: the flags in translator form (N = NF bit 31, Z = (ZF == 0), C = CF (0/1),
     * V = VF bit 31), Q (0/1), GE[3:0], T (0/1), ITSTATE[7:0]; cpsr holds the rest
     * (M, E, A, I, F). arm_cpsr_read/arm_cpsr_write combine them. */
    uint32_t NF, ZF, CF, VF, QF, GE;
    uint32_t thumb;
    uint32_t condexec;
    uint32_t cpsr;
    /* Saved copies of the banks the current mode does not see. */
    uint32_t banked_sp[ARM_NR_BANKS];
    uint32_t banked_lr[ARM_NR_BANKS];
    uint32_t banked_spsr[ARM_NR_BANKS];     /* live for the current bank too; usr: none */
    uint32_t usr_regs[5];           /* r8-r12 of every mode but FIQ, while in FIQ */
    uint32_t fiq_regs[5];           /* r8_fiq-r12_fiq, while not in FIQ */
    ARMCP15 cp15;
    /* domains (bit n: domain n) of the short-descriptor entries filled into the TLB since
     * a DACR write last flushed it (a superset: other flushes leave it) */
    uint32_t tlb_domains;
    /* VFP / Advanced SIMD: D0-D31 (Q0-Q15 overlay pairs), FPSCR, FPEXC */
    uint64_t vfp_d[32];
    uint32_t fpscr, fpexc;
    /* local exclusive monitor (A3.4.1): address of the open LDREX, ~0 none */
    uint32_t excl_addr;
    uint64_t excl_val;
    uint32_t excl_size;
    /* generic timer */
    ARMGenericTimer gt[ARM_GT_COUNT];
    IRQ gt_timer_out[ARM_GT_COUNT];
    uint64_t gt_freq_hz;
    /* board hooks */
    ARMSmcHvcHook *smc_hvc_hook;
    void *smc_hvc_opaque;
    bool powered_off;               /* PSCI CPU_OFF: halted until arm_cpu_power(on) */
    atomic_bool power_on_request;   /* set by arm_cpu_power(on) until the CPU runs */
    /* model data */
    uint32_t reset_sctlr;
    bool has_lpae;                  /* Large Physical Address Extension (Cortex-A15) */
    bool has_idiv;                  /* SDIV/UDIV in A32 and T32 */
    bool has_vfp_d32;
    uint32_t ctr, clidr, ccsidr[2], id_pfr[2], id_dfr0, id_mmfr[4], id_isar[6];
    uint32_t fpsid, mvfr0, mvfr1;
    uint32_t cbar;                  /* configuration base (private peripherals) */
};

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
/* The architectural CPSR value. */
uint32_t arm_cpsr_read(const ARMCPU *a);
/* Writes the CPSR bits in mask (mode switch included if M is in mask; a bad mode is
 * ignored, the other bits are still written). */
void arm_cpsr_write(ARMCPU *a, uint32_t value, uint32_t mask);

/* ---- board interface (arm-contract.md) ---- */
/* IRQ/FIQ input lines (level): line ARM_IRQ_LINE or ARM_FIQ_LINE. */
void arm_cpu_set_irq(ARMCPU *a, int line, int level);
IrqHandler arm_cpu_irq_handler;     /* opaque = the ARMCPU, n = line */
/* Boot entry: SVC mode, I/F/A masked, Thumb if pc bit 0, r0-r2. */
void arm_cpu_set_entry(ARMCPU *a, uint32_t pc, uint32_t r0, uint32_t r1, uint32_t r2);
/* PSCI CPU_OFF / CPU_ON: an off CPU is halted and stays so (from its own thread inside
 * smc_hvc_hook, or while the VM is stopped); on wakes it at its entry (any thread). */
void arm_cpu_power(ARMCPU *a, bool on);

extern const CPUClass arm_cpu_cortex_a15_class;
extern const CPUClass arm_cpu_cortex_a7_class;
extern const CPUClass arm_cpu_cortex_a9_class;
extern const CPUClass arm_cpu_max_class;

#endif
