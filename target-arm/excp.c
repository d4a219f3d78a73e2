/* Exception entry for ARMv7-A without the Security and Virtualization Extensions (ARM ARM
 * DDI0406C B1.8): target mode, vector (VBAR or the high vectors of SCTLR.V), the return
 * address offsets of table B1-7, SPSR, and the CPSR masks; IRQ/FIQ lines (level-sensitive,
 * masked by CPSR.I/F) and WFI wake-up. */
#include "target-arm/internals.h"
#include "util/log.h"

typedef struct ArmExcpInfo {
    uint8_t mode;
    uint8_t vector;
    uint8_t lr_arm, lr_thumb;       /* LR = the PC at delivery + offset */
    uint32_t mask;                  /* CPSR bits set */
} ArmExcpInfo;

static const ArmExcpInfo excp_info[] = {
    [ARM_EXCP_UDEF] = { ARM_MODE_UND, 0x04, 4, 2, ARM_CPSR_I },
    [ARM_EXCP_SWI] = { ARM_MODE_SVC, 0x08, 0, 0, ARM_CPSR_I },     /* PC already next */
    [ARM_EXCP_PREFETCH_ABORT] = { ARM_MODE_ABT, 0x0c, 4, 4, ARM_CPSR_I | ARM_CPSR_A },
    [ARM_EXCP_BKPT] = { ARM_MODE_ABT, 0x0c, 4, 4, ARM_CPSR_I | ARM_CPSR_A },
    [ARM_EXCP_DATA_ABORT] = { ARM_MODE_ABT, 0x10, 8, 8, ARM_CPSR_I | ARM_CPSR_A },
    [ARM_EXCP_IRQ] = { ARM_MODE_IRQ, 0x18, 4, 4, ARM_CPSR_I | ARM_CPSR_A },
    [ARM_EXCP_FIQ] = { ARM_MODE_FIQ, 0x1c, 4, 4, ARM_CPSR_I | ARM_CPSR_A | ARM_CPSR_F },
};

uint32_t *arm_spsr_slot(ARMCPU *a)
{
    int bank = arm_mode_bank(a->cpsr & ARM_CPSR_M);
    return bank > ARM_BANK_USR ? &a->banked_spsr[bank] : NULL;
}

/* -d int, in QEMU's layout: the exception, the exception levels (PL0 = EL0, the other
 * modes EL1), and the fault status and address of aborts. */
static void arm_log_exception(ARMCPU *a, int excp)
{
    static const char *const names[] = {
        [ARM_EXCP_UDEF] = "Undefined Instruction", [ARM_EXCP_SWI] = "SVC",
        [ARM_EXCP_PREFETCH_ABORT] = "Prefetch Abort", [ARM_EXCP_DATA_ABORT] = "Data Abort",
        [ARM_EXCP_IRQ] = "IRQ", [ARM_EXCP_FIQ] = "FIQ", [ARM_EXCP_BKPT] = "Breakpoint",
    };
    if (!log_enabled(LOG_INT)) {
        return;
    }
    const char *name = excp < (int)(sizeof(names) / sizeof(names[0])) && names[excp] ?
                       names[excp] : "unknown";
    log_printf("Taking exception %d [%s] on CPU %d\n...from EL%d to EL1\n", excp, name,
               a->parent.index, (a->cpsr & ARM_CPSR_M) == ARM_MODE_USR ? 0 : 1);
    if (excp == ARM_EXCP_DATA_ABORT) {
        log_printf("...with DFSR 0x%x DFAR 0x%x\n", a->cp15.dfsr, a->cp15.dfar);
    } else if (excp == ARM_EXCP_PREFETCH_ABORT || excp == ARM_EXCP_BKPT) {
        log_printf("...with IFSR 0x%x IFAR 0x%x\n", a->cp15.ifsr, a->cp15.ifar);
    }
}

void arm_do_interrupt(CPUState *cpu)
{
    ARMCPU *a = arm_cpu(cpu);
    int excp = cpu->exception_index;

    if (excp <= 0 || excp >= (int)(sizeof(excp_info) / sizeof(excp_info[0])) ||
        !excp_info[excp].mode) {
        excp = ARM_EXCP_UDEF;       /* HVC/SMC that no hook took */
    }
    const ArmExcpInfo *e = &excp_info[excp];
    if (excp == ARM_EXCP_BKPT) {
        a->cp15.ifsr = ARM_FS_DEBUG;
    }
    arm_log_exception(a, excp);
    uint32_t spsr = arm_cpsr_read(a);
    uint32_t lr = a->regs[15] + (a->thumb ? e->lr_thumb : e->lr_arm);
    arm_cpu_switch_mode(a, e->mode);
    *arm_spsr_slot(a) = spsr;
    a->regs[14] = lr;
    a->cpsr |= e->mask;
    a->cpsr &= ~ARM_CPSR_E;
    if (a->cp15.sctlr & ARM_SCTLR_EE) {
        a->cpsr |= ARM_CPSR_E;
    }
    a->thumb = (a->cp15.sctlr & ARM_SCTLR_TE) != 0;
    a->condexec = 0;
    uint32_t base = (a->cp15.sctlr & ARM_SCTLR_V) ? 0xffff0000u : (a->cp15.vbar & ~0x1fu);
    a->regs[15] = base + e->vector;
    cpu->exception_index = -1;
}

bool arm_cpu_exec_interrupt(CPUState *cpu, unsigned request)
{
    ARMCPU *a = arm_cpu(cpu);
    int excp;

    if ((request & CPU_INTERRUPT_FIQ) && !(a->cpsr & ARM_CPSR_F)) {
        excp = ARM_EXCP_FIQ;
    } else if ((request & CPU_INTERRUPT_HARD) && !(a->cpsr & ARM_CPSR_I)) {
        excp = ARM_EXCP_IRQ;
    } else {
        return false;
    }
    cpu->exception_index = excp;
    arm_do_interrupt(cpu);
    return true;
}

void arm_cpu_set_irq(ARMCPU *a, int line, int level)
{
    unsigned bit = line == ARM_FIQ_LINE ? CPU_INTERRUPT_FIQ : CPU_INTERRUPT_HARD;
    if (level) {
        cpu_interrupt(&a->parent, bit);
    } else {
        cpu_reset_interrupt(&a->parent, bit);
    }
}

void arm_cpu_irq_handler(void *opaque, int n, int level)
{
    arm_cpu_set_irq(opaque, n, level);
}
