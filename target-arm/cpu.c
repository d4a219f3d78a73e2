/* ARMv7-A CPU models cortex-a15, cortex-a7, cortex-a9 and max. Reset per ARM ARM v7-A/R (DDI0406C), "Reset"
 * in B1 (exception handling): Supervisor mode, CPSR.I/F/A set, T from SCTLR.TE, E from
 * SCTLR.EE, PC at the reset vector (0, or 0xffff0000 with SCTLR.V). MIDR and SCTLR reset
 * values from the TRMs, chapter 4 (system control) register descriptions: Cortex-A15 r2p1
 * (DDI0438C) MIDR 0x412fc0f1, SCTLR 0x00c50078; Cortex-A9 r4p1 (DDI0388I) MIDR 0x414fc091,
 * SCTLR 0x00c50078. What the architecture leaves UNKNOWN at reset (r0-r14, TTBRs, DACR,
 * fault registers) is 0 here. Page walks: short-descriptor (B3.5) and long-descriptor (B3.6). */
#include <string.h>
#include "target-arm/internals.h"
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

uint32_t arm_cpsr_read(const ARMCPU *a)
{
    uint32_t v = a->cpsr & (ARM_CPSR_M | ARM_CPSR_E | ARM_CPSR_A | ARM_CPSR_I | ARM_CPSR_F);
    v |= (a->NF & 0x80000000u) | (a->ZF == 0 ? ARM_CPSR_Z : 0) | (a->CF ? ARM_CPSR_C : 0) |
         ((a->VF >> 3) & ARM_CPSR_V) | (a->QF ? ARM_CPSR_Q : 0) | (a->GE & 0xf) << 16;
    v |= a->thumb ? ARM_CPSR_T : 0;
    v |= (a->condexec & 3) << 25 | (a->condexec >> 2) << 10;
    return v;
}

void arm_cpsr_write(ARMCPU *a, uint32_t value, uint32_t mask)
{
    if (mask & ARM_CPSR_N) a->NF = value & ARM_CPSR_N;
    if (mask & ARM_CPSR_Z) a->ZF = (value & ARM_CPSR_Z) ? 0 : 1;
    if (mask & ARM_CPSR_C) a->CF = (value & ARM_CPSR_C) ? 1 : 0;
    if (mask & ARM_CPSR_V) a->VF = (value & ARM_CPSR_V) << 3;
    if (mask & ARM_CPSR_Q) a->QF = (value & ARM_CPSR_Q) ? 1 : 0;
    if (mask & ARM_CPSR_GE) a->GE = (value >> 16) & 0xf;
    if (mask & ARM_CPSR_T) a->thumb = (value & ARM_CPSR_T) ? 1 : 0;
    if (mask & ARM_CPSR_IT_1_0) a->condexec = (a->condexec & ~3u) | ((value >> 25) & 3);
    if (mask & ARM_CPSR_IT_7_2) a->condexec = (a->condexec & 3) | ((value >> 10) & 0x3f) << 2;
    if (mask & ARM_CPSR_M) {
        arm_cpu_switch_mode(a, value & ARM_CPSR_M);
    }
    uint32_t rest = mask & (ARM_CPSR_E | ARM_CPSR_A | ARM_CPSR_I | ARM_CPSR_F);
    a->cpsr = (a->cpsr & ~rest) | (value & rest);
}

int arm_cpu_write_cpsr(ARMCPU *a, uint32_t value)
{
    if (arm_mode_bank(value & ARM_CPSR_M) < 0) {
        return -1;
    }
    arm_cpsr_write(a, value, ~0u);
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
    uint32_t mpidr = a->cp15.mpidr;
    memset(&a->cp15, 0, sizeof(a->cp15));
    a->cp15.midr = midr;
    a->cp15.mpidr = mpidr;
    a->cp15.sctlr = a->reset_sctlr;
    arm_cp15_reset(a);
    a->NF = a->CF = a->VF = a->QF = a->GE = 0;
    a->ZF = 1;
    a->condexec = 0;
    a->excl_addr = ~0u;
    a->powered_off = false;
    atomic_store(&a->power_on_request, false);
    arm_vfp_reset(a);
    a->cpsr = ARM_MODE_SVC | ARM_CPSR_A | ARM_CPSR_I | ARM_CPSR_F;
    a->thumb = (a->cp15.sctlr & ARM_SCTLR_TE) != 0;
    if (a->cp15.sctlr & ARM_SCTLR_EE) {
        a->cpsr |= ARM_CPSR_E;
    }
    a->regs[15] = (a->cp15.sctlr & ARM_SCTLR_V) ? 0xffff0000u : 0;
}

/* WFI wakes on any pending IRQ or FIQ, masked or not (B1.8.13). */
static bool arm_cpu_has_work(CPUState *cpu)
{
    if (arm_cpu(cpu)->powered_off) {
        return false;
    }
    if (atomic_load(&arm_cpu(cpu)->power_on_request)) {
        return true;
    }
    return (atomic_load(&cpu->interrupt_request) & (CPU_INTERRUPT_HARD | CPU_INTERRUPT_FIQ)) != 0;
}

static uint64_t arm_cpu_get_pc(CPUState *cpu)
{
    return arm_cpu(cpu)->regs[15];
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
        *value = arm_cpsr_read(a);
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
    uint32_t psr = arm_cpsr_read(a);

    for (int i = 0; i < 16; i++) {
        fprintf(out, "R%02d=%08x%c", i, a->regs[i], i % 4 == 3 ? '\n' : ' ');
    }
    fprintf(out, "PSR=%08x %c%c%c%c %c %s32\n", psr, psr & ARM_CPSR_N ? 'N' : '-',
            psr & ARM_CPSR_Z ? 'Z' : '-', psr & ARM_CPSR_C ? 'C' : '-',
            psr & ARM_CPSR_V ? 'V' : '-', psr & ARM_CPSR_T ? 'T' : 'A',
            arm_mode_name(psr & ARM_CPSR_M));
}

/* ---- board interface ------------------------------------------------------------------------- */

void arm_cpu_set_entry(ARMCPU *a, uint32_t pc, uint32_t r0, uint32_t r1, uint32_t r2)
{
    arm_cpu_switch_mode(a, ARM_MODE_SVC);
    a->cpsr |= ARM_CPSR_A | ARM_CPSR_I | ARM_CPSR_F;
    a->thumb = pc & 1;
    a->condexec = 0;
    a->regs[0] = r0;
    a->regs[1] = r1;
    a->regs[2] = r2;
    a->regs[15] = pc & ~1u;
}

void arm_cpu_power(ARMCPU *a, bool on)
{
    a->powered_off = !on;
    if (!on) {
        a->parent.halted = true;
        return;
    }
    atomic_store(&a->power_on_request, true);
    cpu_interrupt(&a->parent, CPU_INTERRUPT_EXITTB);       /* wake the vCPU thread */
    cpu_reset_interrupt(&a->parent, CPU_INTERRUPT_EXITTB);
}

/* ---- models ------------------------------------------------------------------------------------------ */

static void arm_common_init(CPUState *cpu)
{
    ARMCPU *a = arm_cpu(cpu);
    a->cp15.mpidr = 0x80000000u | (uint32_t)(cpu->index & 0xff);
    a->gt_freq_hz = 62500000;
    a->has_idiv = true;
    a->has_vfp_d32 = true;
    a->ctr = 0x8444c004;
    a->clidr = 0x0a200023;
    a->ccsidr[0] = 0x701fe00a;          /* 32 KiB L1 D, 64-byte lines */
    a->ccsidr[1] = 0x201fe00a;          /* 32 KiB L1 I */
    a->id_pfr[0] = 0x00000131;          /* ARM, Thumb-2, no Jazelle; no ThumbEE (State3 = 0) */
    a->id_pfr[1] = 0x00000011;
    a->id_dfr0 = 0x02010555;
    a->id_mmfr[0] = 0x10201105;
    a->id_mmfr[1] = 0x20000000;
    a->id_mmfr[2] = 0x01240000;
    a->id_mmfr[3] = 0x02102211;
    a->id_isar[0] = 0x02101110;
    a->id_isar[1] = 0x13112111;
    a->id_isar[2] = 0x21232041;
    a->id_isar[3] = 0x11112131;
    a->id_isar[4] = 0x10011142;
    a->id_isar[5] = 0;
    a->fpsid = 0x410430f0;
    a->mvfr0 = 0x10110222;
    a->mvfr1 = 0x11011111;            /* Advanced SIMD without half precision */
    arm_gt_init(a);
}

static void arm_cpu_finalize(CPUState *cpu)
{
    arm_gt_destroy(arm_cpu(cpu));
}

/* ---- models ------------------------------------------------------------------------------------------ */

static void arm_cortex_a15_init(CPUState *cpu)
{
    arm_common_init(cpu);
    arm_cpu(cpu)->cp15.midr = 0x412fc0f1;
    arm_cpu(cpu)->reset_sctlr = 0x00c50078;
    arm_cpu(cpu)->has_lpae = true;
}

static void arm_cortex_a7_init(CPUState *cpu)
{
    arm_common_init(cpu);
    arm_cpu(cpu)->cp15.midr = 0x410fc075;
    arm_cpu(cpu)->reset_sctlr = 0x00c50078;
    arm_cpu(cpu)->has_lpae = true;
}

/* Cortex-A9: no LPAE, no divide instructions, no generic timer (its registers still
 * exist here), VFPv3-D32. */
static void arm_cortex_a9_init(CPUState *cpu)
{
    arm_common_init(cpu);
    arm_cpu(cpu)->cp15.midr = 0x414fc091;
    arm_cpu(cpu)->reset_sctlr = 0x00c50078;
    arm_cpu(cpu)->has_idiv = false;
    arm_cpu(cpu)->id_isar[0] = 0x00101111;
    arm_cpu(cpu)->id_pfr[1] = 0x00000011;
    arm_cpu(cpu)->fpsid = 0x41033090;
    arm_cpu(cpu)->mvfr0 = 0x10110222;
    arm_cpu(cpu)->mvfr1 = 0x01011111;
}

/* max: everything this implementation has (a Cortex-A15 identity). */
static void arm_max_init(CPUState *cpu)
{
    arm_cortex_a15_init(cpu);
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
    .get_phys_addr = arm_get_phys_addr,                 \
    .finalize = arm_cpu_finalize,                       \
    .tcg_ops = &arm_tcg_ops

const CPUClass arm_cpu_cortex_a15_class = {
    .model = "cortex-a15",
    .description = "ARM Cortex-A15 r2p1 (ARMv7-A)",
    .init = arm_cortex_a15_init,
    ARM_CLASS_COMMON,
};

const CPUClass arm_cpu_cortex_a7_class = {
    .model = "cortex-a7",
    .description = "ARM Cortex-A7 r0p5 (ARMv7-A)",
    .init = arm_cortex_a7_init,
    ARM_CLASS_COMMON,
};

const CPUClass arm_cpu_max_class = {
    .model = "max",
    .description = "every feature this implementation has (ARMv7-A, Cortex-A15 identity)",
    .init = arm_max_init,
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
    cpu_class_register(&arm_cpu_cortex_a7_class);
    cpu_class_register(&arm_cpu_cortex_a9_class);
    cpu_class_register(&arm_cpu_max_class);
}
