/* ARMv7-A CPU models cortex-a15 and cortex-a9. Reset per ARM ARM v7-A/R (DDI0406C), "Reset"
 * in B1 (exception handling): Supervisor mode, CPSR.I/F/A set, T from SCTLR.TE, E from
 * SCTLR.EE, PC at the reset vector (0, or 0xffff0000 with SCTLR.V). MIDR and SCTLR reset
 * values from the TRMs, chapter 4 (system control) register descriptions: Cortex-A15 r2p1
 * (DDI0438C) MIDR 0x412fc0f1, SCTLR 0x00c50078; Cortex-A9 r4p1 (DDI0388I) MIDR 0x414fc091,
 * SCTLR 0x00c50078. What the architecture leaves UNKNOWN at reset (r0-r14, TTBRs, DACR,
 * fault registers) is 0 here. Page walks: short-descriptor (B3.5) and long-descriptor (B3.6). */
#include <string.h>
#include "target-arm/cpu.h"
#include "util/cutils.h"

/* ---- modes and banks (B1.3.2) --------------------------------------------------------------- */

int arm_mode_bank(uint32_t mode)
{
    switch (mode) {
    case ARM_MODE_USR: case ARM_MODE_SYS: return ARM_BANK_USR;
    case ARM_MODE_SVC: return ARM_BANK_SVC;
    case ARM_MODE_ABT: return ARM_BANK_ABT;
    case ARM_MODE_UND: return ARM_BANK_UND;
    case ARM_MODE_IRQ: return ARM_BANK_IRQ;
    case ARM_MODE_FIQ: return ARM_BANK_FIQ;
    default: return -1;
    }
}

static int arm_current_bank(const ARMCPU *a)
{
    return arm_mode_bank(a->cpsr & ARM_CPSR_M);
}

int arm_cpu_switch_mode(ARMCPU *a, uint32_t mode)
{
    int old_bank = arm_current_bank(a), new_bank = arm_mode_bank(mode);

    if (new_bank < 0 || old_bank < 0) {
        return -1;
    }
    if (old_bank != new_bank) {
        a->banked_sp[old_bank] = a->regs[13];
        a->banked_lr[old_bank] = a->regs[14];
        a->regs[13] = a->banked_sp[new_bank];
        a->regs[14] = a->banked_lr[new_bank];
        if (old_bank == ARM_BANK_FIQ) {
            memcpy(a->fiq_regs, &a->regs[8], sizeof(a->fiq_regs));
            memcpy(&a->regs[8], a->usr_regs, sizeof(a->usr_regs));
        } else if (new_bank == ARM_BANK_FIQ) {
            memcpy(a->usr_regs, &a->regs[8], sizeof(a->usr_regs));
            memcpy(&a->regs[8], a->fiq_regs, sizeof(a->fiq_regs));
        }
    }
    a->cpsr = (a->cpsr & ~ARM_CPSR_M) | mode;
    return 0;
}

int arm_cpu_write_cpsr(ARMCPU *a, uint32_t value)
{
    if (arm_cpu_switch_mode(a, value & ARM_CPSR_M) < 0) {
        return -1;
    }
    a->cpsr = value;
    return 0;
}

/* ---- reset -------------------------------------------------------------------------------------- */

static void arm_cpu_reset(CPUState *cpu)
{
    ARMCPU *a = arm_cpu(cpu);
    uint32_t midr = a->cp15.midr;

    memset(a->regs, 0, sizeof(a->regs));
    memset(a->banked_sp, 0, sizeof(a->banked_sp));
    memset(a->banked_lr, 0, sizeof(a->banked_lr));
    memset(a->banked_spsr, 0, sizeof(a->banked_spsr));
    memset(a->usr_regs, 0, sizeof(a->usr_regs));
    memset(a->fiq_regs, 0, sizeof(a->fiq_regs));
    memset(&a->cp15, 0, sizeof(a->cp15));
    a->cp15.midr = midr;
    a->cp15.sctlr = a->reset_sctlr;
    a->cpsr = ARM_MODE_SVC | ARM_CPSR_A | ARM_CPSR_I | ARM_CPSR_F;
    if (a->cp15.sctlr & ARM_SCTLR_TE) {
        a->cpsr |= ARM_CPSR_T;
    }
    if (a->cp15.sctlr & ARM_SCTLR_EE) {
        a->cpsr |= ARM_CPSR_E;
    }
    a->regs[15] = (a->cp15.sctlr & ARM_SCTLR_V) ? 0xffff0000u : 0;
}

/* WFI wakes on any pending IRQ or FIQ, masked or not (B1.8.13). */
static bool arm_cpu_has_work(CPUState *cpu)
{
    return (atomic_load(&cpu->interrupt_request) & (CPU_INTERRUPT_HARD | CPU_INTERRUPT_FIQ)) != 0;
}

static uint64_t arm_cpu_get_pc(CPUState *cpu)
{
    return arm_cpu(cpu)->regs[15];
}

/* ---- short-descriptor page walk (B3.5) ------------------------------------------------------------ */

static int arm_read_desc(CPUState *cpu, hwaddr addr, uint32_t *desc)
{
    uint64_t v;
    if (!cpu->as || address_space_load(cpu->as, addr, 4, &v) != MEMTX_OK) {
        return -1;
    }
    *desc = (uint32_t)v;
    return 0;
}

/* The first-level descriptor's address: TTBR0 covers the low 2^(32-N) bytes (B3.5.4). */
static hwaddr arm_l1_desc_addr(const ARMCPU *a, uint32_t va)
{
    unsigned n = a->cp15.ttbcr & 7;
    if (n && (va >> (32 - n))) {
        return ((uint32_t)a->cp15.ttbr1 & 0xffffc000u) | ((va >> 20) << 2);
    }
    uint32_t base_mask = ~((1u << (14 - n)) - 1);
    uint32_t index = (va >> 20) & ((1u << (12 - n)) - 1);
    return ((uint32_t)a->cp15.ttbr0 & base_mask) | (index << 2);
}

static int arm_walk_short(CPUState *cpu, uint32_t va, hwaddr *paddr)
{
    uint32_t l1, l2;

    if (arm_read_desc(cpu, arm_l1_desc_addr(arm_cpu(cpu), va), &l1) < 0) {
        return -1;
    }
    switch (l1 & 3) {
    case 2:
        if (l1 & (1u << 18)) {      /* supersection: PA[35:32] = l1[23:20], PA[39:36] = l1[8:5] */
            *paddr = (l1 & 0xff000000u) | ((uint64_t)((l1 >> 20) & 0xf) << 32) |
                     ((uint64_t)((l1 >> 5) & 0xf) << 36) | (va & 0x00ffffffu);
        } else {
            *paddr = (l1 & 0xfff00000u) | (va & 0x000fffffu);
        }
        return 0;
    case 1:
        if (arm_read_desc(cpu, (l1 & 0xfffffc00u) | (((va >> 12) & 0xff) << 2), &l2) < 0) {
            return -1;
        }
        if ((l2 & 3) == 1) {        /* large page, 64 KiB */
            *paddr = (l2 & 0xffff0000u) | (va & 0xffff);
            return 0;
        }
        if (l2 & 2) {               /* small page, 4 KiB */
            *paddr = (l2 & 0xfffff000u) | (va & 0xfff);
            return 0;
        }
        return -1;
    default:
        return -1;
    }
}

/* ---- long-descriptor (LPAE) page walk (B3.6) -------------------------------------------------- */

#define LPAE_OA_MASK 0xfffffff000ull        /* output address bits 39:12 */

/* Which TTBR translates va, and the size field (TxSZ) of its region; -1: neither (fault). */
static int arm_lpae_region(const ARMCPU *a, uint32_t va, uint64_t *ttbr, unsigned *tsz)
{
    unsigned t0sz = a->cp15.ttbcr & 7, t1sz = (a->cp15.ttbcr >> 16) & 7;

    if (t1sz && va >= 0x100000000ull - (1ull << (32 - t1sz))) {
        *ttbr = a->cp15.ttbr1;
        *tsz = t1sz;
        return 0;
    }
    if (t0sz == 0 || va < (1ull << (32 - t0sz))) {
        *ttbr = a->cp15.ttbr0;
        *tsz = t0sz;
        return 0;
    }
    return -1;
}

/* Levels 1-3 resolve VA bits 31:30, 29:21 and 20:12; a region of 2^30 bytes or less starts at
 * level 2. Blocks: 1 GiB at level 1, 2 MiB at level 2; pages at level 3. */
static int arm_walk_lpae(CPUState *cpu, uint32_t va, hwaddr *paddr)
{
    uint64_t ttbr, desc;
    unsigned tsz;

    if (arm_lpae_region(arm_cpu(cpu), va, &ttbr, &tsz) < 0) {
        return -1;
    }
    int level = tsz <= 1 ? 1 : 2;
    unsigned base_low = level == 1 ? 5 - tsz : 14 - tsz;
    uint64_t table = ttbr & 0xffffffffffull & ~((1ull << base_low) - 1);
    uint64_t offset = va & ((1ull << (32 - tsz)) - 1);     /* VA within the region */

    for (; level <= 3; level++) {
        unsigned shift = 39 - 9 * level;
        hwaddr entry = table + ((offset >> shift) & 0x1ff) * 8;
        if (!cpu->as || address_space_load(cpu->as, entry, 8, &desc) != MEMTX_OK ||
            !(desc & 1)) {
            return -1;
        }
        if (level == 3 || (desc & 3) == 1) {
            if (level == 3 && (desc & 3) != 3) {
                return -1;          /* reserved at level 3 */
            }
            uint64_t page_mask = (1ull << shift) - 1;
            *paddr = (desc & 0xffffffffffull & ~page_mask) | (va & page_mask);
            return 0;
        }
        table = desc & LPAE_OA_MASK;
    }
    return -1;
}

static int arm_cpu_get_phys_addr(CPUState *cpu, uint64_t vaddr, hwaddr *paddr)
{
    ARMCPU *a = arm_cpu(cpu);

    if (!(a->cp15.sctlr & ARM_SCTLR_M)) {
        *paddr = (uint32_t)vaddr;
        return 0;
    }
    if ((a->cp15.ttbcr & ARM_TTBCR_EAE) && a->has_lpae) {
        return arm_walk_lpae(cpu, (uint32_t)vaddr, paddr);
    }
    return arm_walk_short(cpu, (uint32_t)vaddr, paddr);
}

/* ---- registers by name ------------------------------------------------------------------------------ */

/* Core registers and their banked copies (32 bits), then CP15; TTBRs are 64-bit (LPAE). */
#define ARM_REGS                                                                          \
    X(r0, 32) X(r1, 32) X(r2, 32) X(r3, 32) X(r4, 32) X(r5, 32) X(r6, 32) X(r7, 32)         \
    X(r8, 32) X(r9, 32) X(r10, 32) X(r11, 32) X(r12, 32) X(r13, 32) X(r14, 32) X(r15, 32)  \
    X(sp, 32) X(lr, 32) X(pc, 32) X(cpsr, 32) X(spsr, 32) X(sp_usr, 32) X(lr_usr, 32)      \
    X(sp_svc, 32) X(lr_svc, 32) X(spsr_svc, 32) X(sp_abt, 32) X(lr_abt, 32)               \
    X(spsr_abt, 32) X(sp_und, 32) X(lr_und, 32) X(spsr_und, 32) X(sp_irq, 32)             \
    X(lr_irq, 32) X(spsr_irq, 32) X(sp_fiq, 32) X(lr_fiq, 32) X(spsr_fiq, 32)             \
    X(r8_fiq, 32) X(r9_fiq, 32) X(r10_fiq, 32) X(r11_fiq, 32) X(r12_fiq, 32)              \
    X(midr, 32) X(sctlr, 32) X(ttbr0, 64) X(ttbr1, 64) X(ttbcr, 32) X(dacr, 32)           \
    X(dfsr, 32) X(ifsr, 32) X(dfar, 32) X(ifar, 32) X(vbar, 32)

enum {
#define X(name, bits) ARM_REG_##name,
    ARM_REGS
#undef X
    ARM_REG_COUNT
};

static const CPURegisterInfo arm_registers[] = {
#define X(name, bits) { #name, bits },
    ARM_REGS
#undef X
    { NULL, 0 }
};

/* Where a banked register of a given bank lives now: the live view if the CPU is in that
 * bank, else the saved copy. kind: 0 sp, 1 lr, 2 spsr. */
static uint32_t *arm_banked_slot(ARMCPU *a, int bank, int kind)
{
    bool live = arm_current_bank(a) == bank;
    switch (kind) {
    case 0: return live ? &a->regs[13] : &a->banked_sp[bank];
    case 1: return live ? &a->regs[14] : &a->banked_lr[bank];
    default: return bank == ARM_BANK_USR ? NULL : &a->banked_spsr[bank];
    }
}

static uint32_t *arm_cp15_slot(ARMCPU *a, int index)
{
    switch (index) {
    case ARM_REG_midr: return &a->cp15.midr;
    case ARM_REG_sctlr: return &a->cp15.sctlr;
    case ARM_REG_ttbcr: return &a->cp15.ttbcr;
    case ARM_REG_dacr: return &a->cp15.dacr;
    case ARM_REG_dfsr: return &a->cp15.dfsr;
    case ARM_REG_ifsr: return &a->cp15.ifsr;
    case ARM_REG_dfar: return &a->cp15.dfar;
    case ARM_REG_ifar: return &a->cp15.ifar;
    case ARM_REG_vbar: return &a->cp15.vbar;
    default: return NULL;
    }
}

/* The storage of register index, or NULL (cpsr is handled by the callers). */
static uint32_t *arm_reg_slot(ARMCPU *a, int index)
{
    static const int bank_of[] = { ARM_BANK_USR, ARM_BANK_SVC, ARM_BANK_ABT, ARM_BANK_UND,
                                   ARM_BANK_IRQ, ARM_BANK_FIQ };
    if (index >= ARM_REG_r0 && index <= ARM_REG_r15) {
        return &a->regs[index - ARM_REG_r0];
    }
    if (index >= ARM_REG_sp && index <= ARM_REG_pc) {
        return &a->regs[13 + index - ARM_REG_sp];
    }
    if (index == ARM_REG_spsr) {
        return arm_banked_slot(a, arm_current_bank(a), 2);
    }
    if (index == ARM_REG_sp_usr || index == ARM_REG_lr_usr) {
        return arm_banked_slot(a, ARM_BANK_USR, index - ARM_REG_sp_usr);
    }
    if (index >= ARM_REG_sp_svc && index <= ARM_REG_spsr_fiq) {
        int rel = index - ARM_REG_sp_svc;
        return arm_banked_slot(a, bank_of[1 + rel / 3], rel % 3);
    }
    if (index >= ARM_REG_r8_fiq && index <= ARM_REG_r12_fiq) {
        int n = index - ARM_REG_r8_fiq;
        return arm_current_bank(a) == ARM_BANK_FIQ ? &a->regs[8 + n] : &a->fiq_regs[n];
    }
    return arm_cp15_slot(a, index);
}

static int arm_cpu_get_register(CPUState *cpu, int index, uint64_t *value)
{
    ARMCPU *a = arm_cpu(cpu);
    if (index == ARM_REG_cpsr) {
        *value = a->cpsr;
        return 0;
    }
    if (index == ARM_REG_ttbr0 || index == ARM_REG_ttbr1) {
        *value = index == ARM_REG_ttbr0 ? a->cp15.ttbr0 : a->cp15.ttbr1;
        return 0;
    }
    uint32_t *slot = (index >= 0 && index < ARM_REG_COUNT) ? arm_reg_slot(a, index) : NULL;
    if (!slot) {
        return -1;
    }
    *value = *slot;
    return 0;
}

static int arm_cpu_set_register(CPUState *cpu, int index, uint64_t value)
{
    ARMCPU *a = arm_cpu(cpu);
    if (index == ARM_REG_cpsr) {
        return arm_cpu_write_cpsr(a, (uint32_t)value);
    }
    if (index == ARM_REG_midr) {
        return -1;                  /* read-only */
    }
    if (index == ARM_REG_ttbr0 || index == ARM_REG_ttbr1) {
        *(index == ARM_REG_ttbr0 ? &a->cp15.ttbr0 : &a->cp15.ttbr1) = value;
        return 0;
    }
    uint32_t *slot = (index >= 0 && index < ARM_REG_COUNT) ? arm_reg_slot(a, index) : NULL;
    if (!slot) {
        return -1;
    }
    *slot = (uint32_t)value;
    return 0;
}

/* ---- "info registers" ------------------------------------------------------------------------------- */

static const char *arm_mode_name(uint32_t mode)
{
    switch (mode) {
    case ARM_MODE_USR: return "usr";
    case ARM_MODE_FIQ: return "fiq";
    case ARM_MODE_IRQ: return "irq";
    case ARM_MODE_SVC: return "svc";
    case ARM_MODE_MON: return "mon";
    case ARM_MODE_ABT: return "abt";
    case ARM_MODE_HYP: return "hyp";
    case ARM_MODE_UND: return "und";
    case ARM_MODE_SYS: return "sys";
    default: return "???";
    }
}

static void arm_cpu_dump_state(CPUState *cpu, FILE *out)
{
    ARMCPU *a = arm_cpu(cpu);
    uint32_t psr = a->cpsr;

    for (int i = 0; i < 16; i++) {
        fprintf(out, "R%02d=%08x%c", i, a->regs[i], i % 4 == 3 ? '\n' : ' ');
    }
    fprintf(out, "PSR=%08x %c%c%c%c %c %s32\n", psr, psr & ARM_CPSR_N ? 'N' : '-',
            psr & ARM_CPSR_Z ? 'Z' : '-', psr & ARM_CPSR_C ? 'C' : '-',
            psr & ARM_CPSR_V ? 'V' : '-', psr & ARM_CPSR_T ? 'T' : 'A',
            arm_mode_name(psr & ARM_CPSR_M));
}

/* ---- models ------------------------------------------------------------------------------------------ */

static void arm_cortex_a15_init(CPUState *cpu)
{
    arm_cpu(cpu)->cp15.midr = 0x412fc0f1;
    arm_cpu(cpu)->reset_sctlr = 0x00c50078;
    arm_cpu(cpu)->has_lpae = true;
}

static void arm_cortex_a9_init(CPUState *cpu)
{
    arm_cpu(cpu)->cp15.midr = 0x414fc091;
    arm_cpu(cpu)->reset_sctlr = 0x00c50078;
}

#define ARM_CLASS_COMMON                                \
    .arch = "arm",                                      \
    .instance_size = sizeof(ARMCPU),                    \
    .reset = arm_cpu_reset,                             \
    .dump_state = arm_cpu_dump_state,                   \
    .registers = arm_registers,                         \
    .get_register = arm_cpu_get_register,               \
    .set_register = arm_cpu_set_register,               \
    .has_work = arm_cpu_has_work,                       \
    .get_pc = arm_cpu_get_pc,                           \
    .get_phys_addr = arm_cpu_get_phys_addr

const CPUClass arm_cpu_cortex_a15_class = {
    .model = "cortex-a15",
    .description = "ARM Cortex-A15 r2p1 (ARMv7-A)",
    .init = arm_cortex_a15_init,
    ARM_CLASS_COMMON,
};

const CPUClass arm_cpu_cortex_a9_class = {
    .model = "cortex-a9",
    .description = "ARM Cortex-A9 r4p1 (ARMv7-A)",
    .init = arm_cortex_a9_init,
    ARM_CLASS_COMMON,
};

/* The default (cortex-a15) first. */
static void __attribute__((constructor)) arm_cpu_register_models(void)
{
    cpu_class_register(&arm_cpu_cortex_a15_class);
    cpu_class_register(&arm_cpu_cortex_a9_class);
}
