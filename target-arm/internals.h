/* Internal interfaces of target-arm: TB flags, MMU indexes, the helpers translated code
 * calls, the fault status encodings of the ARMv7-A short- and long-descriptor formats
 * (ARM ARM DDI0406C B3.13.3 and B3.13.6) and the pieces shared between cpu.c, mmu.c,
 * excp.c, cp15.c, gtimer.c and the translator. */
#ifndef TARGET_ARM_INTERNALS_H
#define TARGET_ARM_INTERNALS_H

#include "accel/tcg.h"
#include "target-arm/cpu.h"

/* MMU indexes: privileged (PL1) and unprivileged (PL0) views of the same translation. */
enum { ARM_MMU_IDX_KERN = 0, ARM_MMU_IDX_USER = 1 };

/* TB flags. */
#define ARM_TBF_THUMB        (1u << 0)
#define ARM_TBF_CONDEXEC_SHIFT 1            /* 8 bits of ITSTATE */
#define ARM_TBF_MODE_SHIFT   9              /* 5 bits of CPSR.M */
#define ARM_TBF_ALIGN        (1u << 14)     /* SCTLR.A */
#define ARM_TBF_VFPEN        (1u << 15)     /* FPEXC.EN and CPACR cp10/cp11 access */
#define ARM_TBF_BE_DATA      (1u << 16)     /* CPSR.E */

/* Short-descriptor fault status values (FS[4:0]). */
enum {
    ARM_FS_ALIGN = 0x01, ARM_FS_DEBUG = 0x02, ARM_FS_AF_SECTION = 0x03,
    ARM_FS_TRANS_SECTION = 0x05, ARM_FS_AF_PAGE = 0x06, ARM_FS_TRANS_PAGE = 0x07,
    ARM_FS_SYNC_EXT = 0x08, ARM_FS_DOMAIN_SECTION = 0x09, ARM_FS_DOMAIN_PAGE = 0x0b,
    ARM_FS_WALK_EXT_L1 = 0x0c, ARM_FS_PERM_SECTION = 0x0d, ARM_FS_WALK_EXT_L2 = 0x0e,
    ARM_FS_PERM_PAGE = 0x0f,
};
/* Long-descriptor STATUS[5:0] classes (add the level 1..3). */
enum {
    ARM_LFS_TRANS = 0x04, ARM_LFS_AF = 0x08, ARM_LFS_PERM = 0x0c, ARM_LFS_SYNC_EXT = 0x10,
    ARM_LFS_WALK_EXT = 0x14, ARM_LFS_ALIGN = 0x21, ARM_LFS_DEBUG = 0x22,
};

/* Result of a translation (mmu.c). */
typedef struct ARMTranslation {
    hwaddr paddr;
    int prot;                   /* PAGE_* for the MMU index asked for */
    uint64_t page_size;
    uint32_t fsr;               /* on a fault: the DFSR/IFSR value (format per TTBCR.EAE) */
    bool mapped;                /* a descriptor was found (paddr valid even on a
                                 * domain, access flag or permission fault) */
    int domain;                 /* short descriptors: the entry's domain; else -1 */
} ARMTranslation;

/* Walks the tables for va; 0 and *t filled, or -1 with t->fsr set. */
int arm_mmu_translate(ARMCPU *a, uint32_t va, MMUAccessType type, int mmu_idx,
                      ARMTranslation *t);
bool arm_tlb_fill(CPUState *cpu, uint64_t vaddr, int size, MMUAccessType type, int mmu_idx,
                  bool probe, uintptr_t retaddr);
void arm_do_unaligned_access(CPUState *cpu, uint64_t vaddr, MMUAccessType type, int mmu_idx,
                             uintptr_t retaddr);
int arm_get_phys_addr(CPUState *cpu, uint64_t vaddr, hwaddr *paddr);
/* Raises a data abort for va with fsr (WnR from is_write, CM for cache maintenance). */
void arm_raise_data_abort(ARMCPU *a, uint32_t va, uint32_t fsr, bool is_write,
                          uintptr_t retaddr) __attribute__((noreturn));
bool arm_lpae_active(const ARMCPU *a);

/* Exceptions (excp.c). */
void arm_do_interrupt(CPUState *cpu);
bool arm_cpu_exec_interrupt(CPUState *cpu, unsigned request);
int arm_current_el_mode(const ARMCPU *a);
uint32_t *arm_spsr_slot(ARMCPU *a);        /* current mode's SPSR, NULL in usr/sys */

/* Translator (translate.c). */
extern const TCGTargetOps arm_tcg_ops;
void arm_translate_init(void);
void arm_translate(CPUState *cpu, TranslationBlock *tb, int max_insns);
void arm_get_tb_cpu_state(CPUState *cpu, uint64_t *pc, uint64_t *cs_base, uint32_t *flags);
void arm_restore_state_to_opc(CPUState *cpu, const TranslationBlock *tb,
                              const uint64_t *data);

/* CP15 (cp15.c): key = cp << 16 | opc1 << 12 | crn << 8 | crm << 4 | opc2, 64-bit
 * (MCRR/MRRC) accesses with bit 20 set and crn 0. */
#define ARM_CP_KEY(cp, opc1, crn, crm, opc2) \
    ((uint32_t)(cp) << 16 | (uint32_t)(opc1) << 12 | (uint32_t)(crn) << 8 | \
     (uint32_t)(crm) << 4 | (uint32_t)(opc2))
#define ARM_CP_KEY64(cp, opc1, crm) (ARM_CP_KEY(cp, opc1, 0, crm, 0) | (1u << 20))
/* Does the register exist and may the current mode access it (is_read)? */
/* The CP15/CP14 table index of a register (translation time), -1 if there is none; the
 * accesses take it and check the mode's access at run time (UNDEFINED exception). */
int arm_cp_index(uint32_t key);
uint64_t arm_cp_read(ARMCPU *a, int index, uintptr_t retaddr);
ptrdiff_t arm_cp_read_field(int index, bool priv);
bool arm_cp_write_goes_on(int index);
void arm_cp_write(ARMCPU *a, int index, uint64_t value, uintptr_t retaddr);
void arm_cp15_reset(ARMCPU *a);

/* Generic timer (gtimer.c). */
void arm_gt_init(ARMCPU *a);
void arm_gt_destroy(ARMCPU *a);
uint64_t arm_gt_count(ARMCPU *a);
uint64_t arm_gt_read(ARMCPU *a, int timer, int reg);     /* reg: 0 cval, 1 tval, 2 ctl */
void arm_gt_write(ARMCPU *a, int timer, int reg, uint64_t value);
enum { ARM_GT_REG_CVAL, ARM_GT_REG_TVAL, ARM_GT_REG_CTL };

/* VFP (vfp-helper.c). */
void arm_vfp_reset(ARMCPU *a);

#endif
