/* CP15 (and the CP14 debug ID) registers of the ARMv7-A models (ARM ARM DDI0406C B4.1, B6;
 * Cortex-A15 TRM DDI0438C chapter 4): one table entry per register with its encoding, who
 * may access it, and either a field of ARMCPU or read/write functions. Cache and branch
 * predictor maintenance are no-ops, except that the by-VA forms still translate the address
 * and fault (B4.2.1); TLB maintenance flushes the soft TLB (the ...IS forms every vCPU's,
 * synchronously: complete before the next TB, which the MCR starts);
 * ATS1C* address translation fills PAR; PMU: PMCR, the enables and the cycle counter. */
#include <stddef.h>
#include "target-arm/internals.h"
#include "system/timer.h"

enum {
    CP_PL0_R = 1 << 0,      /* readable from User mode */
    CP_PL0_W = 1 << 1,
    CP_RO = 1 << 2,         /* writes UNDEFINED */
    CP_WO = 1 << 3,         /* reads UNDEFINED */
    CP_FLUSH = 1 << 4,      /* a write changes translation: flush the TLB */
    CP_IS64 = 1 << 5,       /* field is 64-bit */
    CP_GO_ON = 1 << 6,      /* a write changes nothing that translated code, the TB flags
                             * or the CPU loop depend on: the TB goes on after the MCR */
};

typedef struct ARMCPReg ARMCPReg;
struct ARMCPReg {
    uint32_t key;
    const char *name;
    unsigned flags;
    ptrdiff_t field;        /* offset in ARMCPU, or -1 */
    uint64_t (*read)(ARMCPU *a, const ARMCPReg *r, uintptr_t ra);
    void (*write)(ARMCPU *a, const ARMCPReg *r, uint64_t v, uintptr_t ra);
    uint32_t wmask;         /* writable bits of a field (0: all) */
};

#define F(f) offsetof(ARMCPU, f)
#define K ARM_CP_KEY
#define K64 ARM_CP_KEY64

/* ---- special registers ------------------------------------------------------------------ */

static uint64_t read_zero(ARMCPU *a, const ARMCPReg *r, uintptr_t ra)
{
    return 0;
}

static void write_ignore(ARMCPU *a, const ARMCPReg *r, uint64_t v, uintptr_t ra)
{
}

static uint64_t read_ccsidr(ARMCPU *a, const ARMCPReg *r, uintptr_t ra)
{
    return a->ccsidr[a->cp15.csselr & 1];
}

static uint64_t read_isr(ARMCPU *a, const ARMCPReg *r, uintptr_t ra)
{
    unsigned req = atomic_load(&a->parent.interrupt_request);
    return ((req & CPU_INTERRUPT_HARD) ? 0x80 : 0) | ((req & CPU_INTERRUPT_FIQ) ? 0x40 : 0);
}

/* Maintenance by VA: translate it (as a read) so that an unmapped address faults with
 * DFSR.CM set. A readable RAM page in the TLB (or filled into it now) needs no walk. */
static void write_cache_va(ARMCPU *a, const ARMCPReg *r, uint64_t v, uintptr_t ra)
{
    ARMTranslation t;
    int idx = (a->cpsr & ARM_CPSR_M) == ARM_MODE_USR ? ARM_MMU_IDX_USER : ARM_MMU_IDX_KERN;
    if (tlb_probe_host(&a->parent, (uint32_t)v, MMU_DATA_LOAD, idx)) {
        return;
    }
    if (arm_mmu_translate(a, (uint32_t)v, MMU_DATA_LOAD, idx, &t) < 0 &&
        (t.fsr & 0x40f) != 0x00d && (t.fsr & 0x40f) != 0x00f) {
        /* permission faults are not reported for cache maintenance */
        arm_raise_data_abort(a, (uint32_t)v, t.fsr | (1u << 13), false, ra);
    }
}

static void write_tlbiall(ARMCPU *a, const ARMCPReg *r, uint64_t v, uintptr_t ra)
{
    tlb_flush(&a->parent);
}

static void write_tlbiall_is(ARMCPU *a, const ARMCPReg *r, uint64_t v, uintptr_t ra)
{
    tlb_flush_all_cpus_synced(&a->parent);     /* done before the next TB: MCR ends it */
}

static void write_tlbimva(ARMCPU *a, const ARMCPReg *r, uint64_t v, uintptr_t ra)
{
    tlb_flush_page(&a->parent, (uint32_t)v & ~0xfffu);
}

static void write_tlbimva_is(ARMCPU *a, const ARMCPReg *r, uint64_t v, uintptr_t ra)
{
    tlb_flush_page_all_cpus_synced(&a->parent, (uint32_t)v & ~0xfffu);
}

/* ATS1CPR/CPW/CUR/CUW: the short-format PAR (B4.1.112). */
static void write_ats(ARMCPU *a, const ARMCPReg *r, uint64_t v, uintptr_t ra)
{
    unsigned op = r->key & 3;
    ARMTranslation t;
    int idx = op >= 2 ? ARM_MMU_IDX_USER : ARM_MMU_IDX_KERN;
    MMUAccessType type = (op & 1) ? MMU_DATA_STORE : MMU_DATA_LOAD;
    if (arm_mmu_translate(a, (uint32_t)v, type, idx, &t) < 0) {
        if (arm_lpae_active(a)) {
            a->cp15.par = 1 | (1u << 11) | (t.fsr & 0x3f) << 1;
        } else {
            a->cp15.par = 1 | ((t.fsr & 0xf) << 1) | ((t.fsr >> 10) & 1) << 5;
        }
        return;
    }
    if (arm_lpae_active(a)) {
        a->cp15.par = (t.paddr & 0xfffffff000ull) | (1u << 11);
    } else {
        a->cp15.par = (uint32_t)(t.paddr & 0xfffff000u);
    }
}

static uint64_t read_par(ARMCPU *a, const ARMCPReg *r, uintptr_t ra)
{
    return (r->key & (1u << 20)) ? a->cp15.par : (uint32_t)a->cp15.par;
}

static void write_par(ARMCPU *a, const ARMCPReg *r, uint64_t v, uintptr_t ra)
{
    a->cp15.par = (r->key & (1u << 20)) ? v : (uint32_t)v;
}

/* TTBR0/TTBR1 as 32-bit (MCR) or 64-bit (MCRR) registers. */
static uint64_t read_ttbr(ARMCPU *a, const ARMCPReg *r, uintptr_t ra)
{
    uint64_t v = ((r->key >> 12) & 1) || (r->key & 1) ? a->cp15.ttbr1 : a->cp15.ttbr0;
    return (r->key & (1u << 20)) ? v : (uint32_t)v;
}

static void write_ttbr(ARMCPU *a, const ARMCPReg *r, uint64_t v, uintptr_t ra)
{
    uint64_t *slot = ((r->key >> 12) & 1) || (r->key & 1) ? &a->cp15.ttbr1 : &a->cp15.ttbr0;
    *slot = (r->key & (1u << 20)) ? v : (uint32_t)v;
    tlb_flush(&a->parent);
}

static void write_ttbcr(ARMCPU *a, const ARMCPReg *r, uint64_t v, uintptr_t ra)
{
    uint32_t mask = a->has_lpae ? 0x80773f77u : 0x37u;
    a->cp15.ttbcr = (uint32_t)v & mask;
    tlb_flush(&a->parent);
}

/* Access level of a DACR field: no access (and the reserved 2) < client < manager. */
static unsigned dacr_level(uint32_t dacr, unsigned domain)
{
    static const unsigned level[4] = { 0, 1, 0, 2 };
    return level[(dacr >> (2 * domain)) & 3];
}

/* DACR (B4.1.43): a write that only grants (no access -> client -> manager) leaves every
 * TLB entry right (an entry holds no more than the new access allows; a missing
 * permission misses and walks again), so it flushes nothing; one that restricts a domain
 * flushes the TLB if entries were filled from that domain. Linux's software PAN opens
 * the user domain (a grant) and closes it at every user access. */
static void write_dacr(ARMCPU *a, const ARMCPReg *r, uint64_t v, uintptr_t ra)
{
    uint32_t old = a->cp15.dacr, restricted = 0;
    a->cp15.dacr = (uint32_t)v;
    for (unsigned d = 0; d < 16; d++) {
        if (dacr_level((uint32_t)v, d) < dacr_level(old, d)) {
            restricted |= 1u << d;
        }
    }
    if (restricted & a->tlb_domains) {
        tlb_flush(&a->parent);
        a->tlb_domains = 0;
    }
}

static void write_sctlr(ARMCPU *a, const ARMCPReg *r, uint64_t v, uintptr_t ra)
{
    /* writable: M A C Z I V EE TE AFE TRE (and RR); the rest keeps its reset value */
    const uint32_t wmask = 0x72003807u | (1u << 25) | (1u << 12) | (1u << 14);
    a->cp15.sctlr = (a->cp15.sctlr & ~wmask) | ((uint32_t)v & wmask);
    tlb_flush(&a->parent);
}

/* ---- PMU -------------------------------------------------------------------------------- */

static uint64_t pmu_ns(void)
{
    return (uint64_t)clock_get_ns(CLK_VIRTUAL);
}

static bool pmccntr_running(const ARMCPU *a)
{
    return (a->cp15.pmcr & 1) && (a->cp15.pmcnten & (1u << 31));
}

static uint64_t read_pmccntr(ARMCPU *a, const ARMCPReg *r, uintptr_t ra)
{
    /* one count per nanosecond of virtual time (a 1 GHz clock) */
    return pmccntr_running(a) ? (uint32_t)(pmu_ns() - a->cp15.pmccntr_base)
                              : a->cp15.pmccntr_frozen;
}

static void write_pmccntr(ARMCPU *a, const ARMCPReg *r, uint64_t v, uintptr_t ra)
{
    a->cp15.pmccntr_frozen = (uint32_t)v;
    a->cp15.pmccntr_base = pmu_ns() - (uint32_t)v;
}

static void pmu_update(ARMCPU *a, bool was_running)
{
    bool running = pmccntr_running(a);
    if (was_running && !running) {
        a->cp15.pmccntr_frozen = (uint32_t)(pmu_ns() - a->cp15.pmccntr_base);
    } else if (!was_running && running) {
        a->cp15.pmccntr_base = pmu_ns() - a->cp15.pmccntr_frozen;
    }
}

static uint64_t read_pmcr(ARMCPU *a, const ARMCPReg *r, uintptr_t ra)
{
    return (a->cp15.pmcr & 0x3f) | 0x41002000u;     /* IMP 'A', IDCODE, N = 0 counters */
}

static void write_pmcr(ARMCPU *a, const ARMCPReg *r, uint64_t v, uintptr_t ra)
{
    bool was = pmccntr_running(a);
    if (v & 4) {                        /* C: reset the cycle counter */
        a->cp15.pmccntr_frozen = 0;
        a->cp15.pmccntr_base = pmu_ns();
    }
    a->cp15.pmcr = (uint32_t)v & 0x39;
    pmu_update(a, was);
}

static void write_pmcnten(ARMCPU *a, const ARMCPReg *r, uint64_t v, uintptr_t ra)
{
    bool was = pmccntr_running(a);
    if (r->key & 1) {
        a->cp15.pmcnten |= (uint32_t)v & 0x80000000u;     /* SET */
    } else {
        a->cp15.pmcnten &= ~((uint32_t)v & 0x80000000u);  /* CLR */
    }
    pmu_update(a, was);
}

static void write_pmovsr(ARMCPU *a, const ARMCPReg *r, uint64_t v, uintptr_t ra)
{
    a->cp15.pmovsr &= ~(uint32_t)v;
}

static void write_pminten(ARMCPU *a, const ARMCPReg *r, uint64_t v, uintptr_t ra)
{
    if (r->key & 1) {
        a->cp15.pminten |= (uint32_t)v & 0x80000000u;
    } else {
        a->cp15.pminten &= ~((uint32_t)v & 0x80000000u);
    }
}

/* ---- generic timer ------------------------------------------------------------------------ */

/* CNTP_* (timer 0) and CNTV_* (timer 1): TVAL at opc2 0, CTL at opc2 1 of c14,c2/c3. */
static int gt_timer_of(const ARMCPReg *r)
{
    return ((r->key >> 4) & 0xf) == 3 || ((r->key >> 4) & 0xf) == 14 ? ARM_GT_VIRT
                                                                      : ARM_GT_PHYS;
}

static uint64_t read_gt(ARMCPU *a, const ARMCPReg *r, uintptr_t ra)
{
    if (r->key & (1u << 20)) {
        unsigned opc1 = (r->key >> 12) & 0xf;
        switch (opc1) {
        case 0: return arm_gt_count(a);
        case 1: return arm_gt_count(a);            /* CNTVOFF is 0 */
        case 2: return arm_gt_read(a, ARM_GT_PHYS, ARM_GT_REG_CVAL);
        default: return arm_gt_read(a, ARM_GT_VIRT, ARM_GT_REG_CVAL);
        }
    }
    int timer = ((r->key >> 4) & 0xf) == 3 ? ARM_GT_VIRT : ARM_GT_PHYS;
    return arm_gt_read(a, timer, (r->key & 1) ? ARM_GT_REG_CTL : ARM_GT_REG_TVAL);
}

static void write_gt(ARMCPU *a, const ARMCPReg *r, uint64_t v, uintptr_t ra)
{
    if (r->key & (1u << 20)) {
        unsigned opc1 = (r->key >> 12) & 0xf;
        arm_gt_write(a, opc1 == 2 ? ARM_GT_PHYS : ARM_GT_VIRT, ARM_GT_REG_CVAL, v);
        return;
    }
    (void)gt_timer_of;
    int timer = ((r->key >> 4) & 0xf) == 3 ? ARM_GT_VIRT : ARM_GT_PHYS;
    arm_gt_write(a, timer, (r->key & 1) ? ARM_GT_REG_CTL : ARM_GT_REG_TVAL, v);
}

static uint64_t read_cntfrq(ARMCPU *a, const ARMCPReg *r, uintptr_t ra)
{
    return (uint32_t)a->gt_freq_hz;
}

/* ---- the table ---------------------------------------------------------------------------- */

#define FIELD(k, n, fl, f) { k, n, fl, F(f), NULL, NULL, 0 }
#define FUNC(k, n, fl, rd, wr) { k, n, fl, -1, rd, wr, 0 }
#define CONST_ID(k, n, f) { k, n, CP_RO, F(f), NULL, NULL, 0 }
#define FIELD_W(k, n, fl, f, wr) { k, n, fl, F(f), NULL, wr, 0 }

static const ARMCPReg cp_regs[] = {
    CONST_ID(K(15, 0, 0, 0, 0), "MIDR", cp15.midr),
    CONST_ID(K(15, 0, 0, 0, 1), "CTR", ctr),
    FUNC(K(15, 0, 0, 0, 2), "TCMTR", CP_RO, read_zero, NULL),
    FUNC(K(15, 0, 0, 0, 3), "TLBTR", CP_RO, read_zero, NULL),
    CONST_ID(K(15, 0, 0, 0, 5), "MPIDR", cp15.mpidr),
    FUNC(K(15, 0, 0, 0, 6), "REVIDR", CP_RO, read_zero, NULL),
    CONST_ID(K(15, 0, 0, 1, 0), "ID_PFR0", id_pfr[0]),
    CONST_ID(K(15, 0, 0, 1, 1), "ID_PFR1", id_pfr[1]),
    CONST_ID(K(15, 0, 0, 1, 2), "ID_DFR0", id_dfr0),
    FUNC(K(15, 0, 0, 1, 3), "ID_AFR0", CP_RO, read_zero, NULL),
    CONST_ID(K(15, 0, 0, 1, 4), "ID_MMFR0", id_mmfr[0]),
    CONST_ID(K(15, 0, 0, 1, 5), "ID_MMFR1", id_mmfr[1]),
    CONST_ID(K(15, 0, 0, 1, 6), "ID_MMFR2", id_mmfr[2]),
    CONST_ID(K(15, 0, 0, 1, 7), "ID_MMFR3", id_mmfr[3]),
    CONST_ID(K(15, 0, 0, 2, 0), "ID_ISAR0", id_isar[0]),
    CONST_ID(K(15, 0, 0, 2, 1), "ID_ISAR1", id_isar[1]),
    CONST_ID(K(15, 0, 0, 2, 2), "ID_ISAR2", id_isar[2]),
    CONST_ID(K(15, 0, 0, 2, 3), "ID_ISAR3", id_isar[3]),
    CONST_ID(K(15, 0, 0, 2, 4), "ID_ISAR4", id_isar[4]),
    CONST_ID(K(15, 0, 0, 2, 5), "ID_ISAR5", id_isar[5]),
    FUNC(K(15, 1, 0, 0, 0), "CCSIDR", CP_RO, read_ccsidr, NULL),
    CONST_ID(K(15, 1, 0, 0, 1), "CLIDR", clidr),
    FUNC(K(15, 1, 0, 0, 7), "AIDR", CP_RO, read_zero, NULL),
    FIELD(K(15, 2, 0, 0, 0), "CSSELR", CP_GO_ON, cp15.csselr),
    FIELD_W(K(15, 0, 1, 0, 0), "SCTLR", 0, cp15.sctlr, write_sctlr),
    FIELD(K(15, 0, 1, 0, 1), "ACTLR", CP_GO_ON, cp15.actlr),
    FIELD(K(15, 0, 1, 0, 2), "CPACR", 0, cp15.cpacr),
    FUNC(K(15, 0, 2, 0, 0), "TTBR0", 0, read_ttbr, write_ttbr),
    FUNC(K(15, 0, 2, 0, 1), "TTBR1", 0, read_ttbr, write_ttbr),
    FIELD_W(K(15, 0, 2, 0, 2), "TTBCR", 0, cp15.ttbcr, write_ttbcr),
    FUNC(K64(15, 0, 2), "TTBR0_64", 0, read_ttbr, write_ttbr),
    FUNC(K64(15, 1, 2), "TTBR1_64", 0, read_ttbr, write_ttbr),
    FIELD_W(K(15, 0, 3, 0, 0), "DACR", 0, cp15.dacr, write_dacr),
    FIELD(K(15, 0, 5, 0, 0), "DFSR", CP_GO_ON, cp15.dfsr),
    FIELD(K(15, 0, 5, 0, 1), "IFSR", CP_GO_ON, cp15.ifsr),
    FIELD(K(15, 0, 5, 1, 0), "ADFSR", CP_GO_ON, cp15.adfsr),
    FIELD(K(15, 0, 5, 1, 1), "AIFSR", CP_GO_ON, cp15.aifsr),
    FIELD(K(15, 0, 6, 0, 0), "DFAR", CP_GO_ON, cp15.dfar),
    FIELD(K(15, 0, 6, 0, 2), "IFAR", CP_GO_ON, cp15.ifar),
    FUNC(K(15, 0, 7, 0, 4), "NOP_WFI", CP_WO, NULL, write_ignore),
    FUNC(K(15, 0, 7, 1, 0), "ICIALLUIS", CP_WO | CP_GO_ON, NULL, write_ignore),
    FUNC(K(15, 0, 7, 1, 6), "BPIALLIS", CP_WO | CP_GO_ON, NULL, write_ignore),
    FUNC(K(15, 0, 7, 4, 0), "PAR", CP_GO_ON, read_par, write_par),
    FUNC(K64(15, 0, 7), "PAR64", CP_GO_ON, read_par, write_par),
    FUNC(K(15, 0, 7, 5, 0), "ICIALLU", CP_WO | CP_GO_ON, NULL, write_ignore),
    FUNC(K(15, 0, 7, 5, 1), "ICIMVAU", CP_WO | CP_GO_ON, NULL, write_cache_va),
    FUNC(K(15, 0, 7, 5, 4), "CP15ISB", CP_WO | CP_PL0_W, NULL, write_ignore),
    FUNC(K(15, 0, 7, 5, 6), "BPIALL", CP_WO | CP_GO_ON, NULL, write_ignore),
    FUNC(K(15, 0, 7, 5, 7), "BPIMVA", CP_WO | CP_GO_ON, NULL, write_ignore),
    FUNC(K(15, 0, 7, 6, 1), "DCIMVAC", CP_WO | CP_GO_ON, NULL, write_cache_va),
    FUNC(K(15, 0, 7, 6, 2), "DCISW", CP_WO | CP_GO_ON, NULL, write_ignore),
    FUNC(K(15, 0, 7, 8, 0), "ATS1CPR", CP_WO | CP_GO_ON, NULL, write_ats),
    FUNC(K(15, 0, 7, 8, 1), "ATS1CPW", CP_WO | CP_GO_ON, NULL, write_ats),
    FUNC(K(15, 0, 7, 8, 2), "ATS1CUR", CP_WO | CP_GO_ON, NULL, write_ats),
    FUNC(K(15, 0, 7, 8, 3), "ATS1CUW", CP_WO | CP_GO_ON, NULL, write_ats),
    FUNC(K(15, 0, 7, 10, 1), "DCCMVAC", CP_WO | CP_GO_ON, NULL, write_cache_va),
    FUNC(K(15, 0, 7, 10, 2), "DCCSW", CP_WO | CP_GO_ON, NULL, write_ignore),
    FUNC(K(15, 0, 7, 10, 4), "CP15DSB", CP_WO | CP_PL0_W | CP_GO_ON, NULL, write_ignore),
    FUNC(K(15, 0, 7, 10, 5), "CP15DMB", CP_WO | CP_PL0_W | CP_GO_ON, NULL, write_ignore),
    FUNC(K(15, 0, 7, 11, 1), "DCCMVAU", CP_WO | CP_GO_ON, NULL, write_cache_va),
    FUNC(K(15, 0, 7, 14, 1), "DCCIMVAC", CP_WO | CP_GO_ON, NULL, write_cache_va),
    FUNC(K(15, 0, 7, 14, 2), "DCCISW", CP_WO | CP_GO_ON, NULL, write_ignore),
    FUNC(K(15, 0, 8, 3, 0), "TLBIALLIS", CP_WO, NULL, write_tlbiall_is),
    FUNC(K(15, 0, 8, 3, 1), "TLBIMVAIS", CP_WO, NULL, write_tlbimva_is),
    FUNC(K(15, 0, 8, 3, 2), "TLBIASIDIS", CP_WO, NULL, write_tlbiall_is),
    FUNC(K(15, 0, 8, 3, 3), "TLBIMVAAIS", CP_WO, NULL, write_tlbimva_is),
    FUNC(K(15, 0, 8, 5, 0), "ITLBIALL", CP_WO, NULL, write_tlbiall),
    FUNC(K(15, 0, 8, 5, 1), "ITLBIMVA", CP_WO, NULL, write_tlbimva),
    FUNC(K(15, 0, 8, 5, 2), "ITLBIASID", CP_WO, NULL, write_tlbiall),
    FUNC(K(15, 0, 8, 6, 0), "DTLBIALL", CP_WO, NULL, write_tlbiall),
    FUNC(K(15, 0, 8, 6, 1), "DTLBIMVA", CP_WO, NULL, write_tlbimva),
    FUNC(K(15, 0, 8, 6, 2), "DTLBIASID", CP_WO, NULL, write_tlbiall),
    FUNC(K(15, 0, 8, 7, 0), "TLBIALL", CP_WO, NULL, write_tlbiall),
    FUNC(K(15, 0, 8, 7, 1), "TLBIMVA", CP_WO, NULL, write_tlbimva),
    FUNC(K(15, 0, 8, 7, 2), "TLBIASID", CP_WO, NULL, write_tlbiall),
    FUNC(K(15, 0, 8, 7, 3), "TLBIMVAA", CP_WO, NULL, write_tlbimva),
    FUNC(K(15, 0, 9, 12, 0), "PMCR", 0, read_pmcr, write_pmcr),
    FIELD_W(K(15, 0, 9, 12, 1), "PMCNTENSET", 0, cp15.pmcnten, write_pmcnten),
    FIELD_W(K(15, 0, 9, 12, 2), "PMCNTENCLR", 0, cp15.pmcnten, write_pmcnten),
    FIELD_W(K(15, 0, 9, 12, 3), "PMOVSR", 0, cp15.pmovsr, write_pmovsr),
    FUNC(K(15, 0, 9, 12, 4), "PMSWINC", CP_WO | CP_GO_ON, NULL, write_ignore),
    FIELD(K(15, 0, 9, 12, 5), "PMSELR", CP_GO_ON, cp15.pmselr),
    FUNC(K(15, 0, 9, 12, 6), "PMCEID0", CP_RO, read_zero, NULL),
    FUNC(K(15, 0, 9, 12, 7), "PMCEID1", CP_RO, read_zero, NULL),
    FUNC(K(15, 0, 9, 13, 0), "PMCCNTR", 0, read_pmccntr, write_pmccntr),
    FIELD(K(15, 0, 9, 13, 1), "PMXEVTYPER", CP_GO_ON, cp15.pmxevtyper),
    FUNC(K(15, 0, 9, 13, 2), "PMXEVCNTR", CP_GO_ON, read_zero, write_ignore),
    FIELD(K(15, 0, 9, 14, 0), "PMUSERENR", CP_PL0_R, cp15.pmuserenr),
    FIELD_W(K(15, 0, 9, 14, 1), "PMINTENSET", 0, cp15.pminten, write_pminten),
    FIELD_W(K(15, 0, 9, 14, 2), "PMINTENCLR", 0, cp15.pminten, write_pminten),
    FUNC(K(15, 1, 9, 0, 2), "L2CTLR", CP_GO_ON, read_zero, write_ignore),
    FIELD(K(15, 0, 10, 2, 0), "PRRR", CP_GO_ON, cp15.prrr),
    FIELD(K(15, 0, 10, 2, 1), "NMRR", CP_GO_ON, cp15.nmrr),
    FIELD(K(15, 0, 10, 3, 0), "AMAIR0", CP_GO_ON, cp15.amair0),
    FIELD(K(15, 0, 10, 3, 1), "AMAIR1", CP_GO_ON, cp15.amair1),
    FIELD(K(15, 0, 12, 0, 0), "VBAR", CP_GO_ON, cp15.vbar),
    FUNC(K(15, 0, 12, 1, 0), "ISR", CP_RO, read_isr, NULL),
    FUNC(K(15, 0, 13, 0, 0), "FCSEIDR", CP_GO_ON, read_zero, write_ignore),
    FIELD(K(15, 0, 13, 0, 1), "CONTEXTIDR", CP_FLUSH, cp15.contextidr),
    FIELD(K(15, 0, 13, 0, 2), "TPIDRURW", CP_PL0_R | CP_PL0_W | CP_GO_ON, cp15.tpidrurw),
    FIELD(K(15, 0, 13, 0, 3), "TPIDRURO", CP_PL0_R | CP_GO_ON, cp15.tpidruro),
    FIELD(K(15, 0, 13, 0, 4), "TPIDRPRW", CP_GO_ON, cp15.tpidrprw),
    FUNC(K(15, 0, 14, 0, 0), "CNTFRQ", CP_PL0_R, read_cntfrq, write_ignore),
    FIELD(K(15, 0, 14, 1, 0), "CNTKCTL", CP_GO_ON, cp15.cntkctl),
    FUNC(K(15, 0, 14, 2, 0), "CNTP_TVAL", 0, read_gt, write_gt),
    FUNC(K(15, 0, 14, 2, 1), "CNTP_CTL", 0, read_gt, write_gt),
    FUNC(K(15, 0, 14, 3, 0), "CNTV_TVAL", 0, read_gt, write_gt),
    FUNC(K(15, 0, 14, 3, 1), "CNTV_CTL", 0, read_gt, write_gt),
    FUNC(K64(15, 0, 14), "CNTPCT", CP_RO | CP_PL0_R, read_gt, NULL),
    FUNC(K64(15, 1, 14), "CNTVCT", CP_RO | CP_PL0_R, read_gt, NULL),
    FUNC(K64(15, 2, 14), "CNTP_CVAL", 0, read_gt, write_gt),
    FUNC(K64(15, 3, 14), "CNTV_CVAL", 0, read_gt, write_gt),
    CONST_ID(K(15, 4, 15, 0, 0), "CBAR", cbar),
    /* CP14 debug: DBGDIDR and DBGDSCRint read as "no debug features"; Linux probes them */
    FUNC(K(14, 0, 0, 0, 0), "DBGDIDR", CP_RO | CP_PL0_R, read_zero, NULL),
    FUNC(K(14, 0, 0, 1, 0), "DBGDSCRint", CP_RO | CP_PL0_R, read_zero, NULL),
    { 0, NULL, 0, 0, NULL, NULL, 0 },
};

static const ARMCPReg *cp_find(uint32_t key)
{
    for (const ARMCPReg *r = cp_regs; r->name; r++) {
        if (r->key == key) {
            return r;
        }
    }
    return NULL;
}

/* PL0 access to the PMU follows PMUSERENR.EN, to the counters CNTKCTL. */
static bool pl0_allowed(ARMCPU *a, const ARMCPReg *r, bool is_read)
{
    unsigned crn = (r->key >> 8) & 0xf;
    if (!(r->key & (1u << 20)) && crn == 9 && (a->cp15.pmuserenr & 1)) {
        return true;
    }
    if ((r->key & (1u << 20)) && ((r->key >> 4) & 0xf) == 14) {
        unsigned opc1 = (r->key >> 12) & 0xf;
        if (opc1 <= 1) {
            return (a->cp15.cntkctl >> opc1) & 1;   /* PL0PCTEN / PL0VCTEN */
        }
    }
    return (r->flags & (is_read ? CP_PL0_R : CP_PL0_W)) != 0;
}

int arm_cp_index(uint32_t key)
{
    const ARMCPReg *r = cp_find(key);
    return r ? (int)(r - cp_regs) : -1;
}

static bool cp_access_ok(ARMCPU *a, const ARMCPReg *r, bool is_read)
{
    if (r->flags & (is_read ? CP_WO : CP_RO)) {
        return false;
    }
    if ((a->cpsr & ARM_CPSR_M) == ARM_MODE_USR && !pl0_allowed(a, r, is_read)) {
        return false;
    }
    return true;
}

/* Whether translated code may go on after a write of register index (MCR/MCRR) instead
 * of ending the TB and returning to the CPU loop: writes of registers marked CP_GO_ON
 * (cache and branch predictor maintenance, barriers, ATS, fault registers, TPIDRs...).
 * An access that is UNDEFINED or faults still raises its exception from the helper. */
bool arm_cp_write_goes_on(int index)
{
    return (cp_regs[index].flags & CP_GO_ON) != 0;
}

/* A plain 32-bit field that reads of register index from PL1 (priv) or User mode may load
 * directly, whatever the run-time state (TPIDRPRW, TPIDRURO, ID registers...): its offset
 * in ARMCPU; -1 when the read goes through arm_cp_read (functions, run-time PL0 enables,
 * UNDEFINED). */
ptrdiff_t arm_cp_read_field(int index, bool priv)
{
    const ARMCPReg *r = &cp_regs[index];
    if (r->read || r->field < 0 || (r->flags & (CP_WO | CP_IS64)) || (r->key & (1u << 20))) {
        return -1;
    }
    return priv || (r->flags & CP_PL0_R) ? r->field : -1;
}

uint64_t arm_cp_read(ARMCPU *a, int index, uintptr_t ra)
{
    const ARMCPReg *r = &cp_regs[index];
    if (!cp_access_ok(a, r, true)) {
        cpu_raise_exception(&a->parent, ARM_EXCP_UDEF, ra);
    }
    if (r->read) {
        return r->read(a, r, ra);
    }
    if (r->field < 0) {
        return 0;
    }
    return *(uint32_t *)((char *)a + r->field);
}

void arm_cp_write(ARMCPU *a, int index, uint64_t value, uintptr_t ra)
{
    const ARMCPReg *r = &cp_regs[index];
    if (!cp_access_ok(a, r, false)) {
        cpu_raise_exception(&a->parent, ARM_EXCP_UDEF, ra);
    }
    if (r->write) {
        r->write(a, r, value, ra);
        return;
    }
    if (r->field < 0) {
        return;
    }
    *(uint32_t *)((char *)a + r->field) = (uint32_t)value;
    if (r->flags & CP_FLUSH) {
        tlb_flush(&a->parent);
    }
}

void arm_cp15_reset(ARMCPU *a)
{
    a->cp15.pmcr = 0;
    for (int i = 0; i < ARM_GT_COUNT; i++) {
        a->gt[i].ctl = 0;
        a->gt[i].cval = 0;
        if (a->gt[i].timer) {
            timer_del(a->gt[i].timer);
        }
    }
}
