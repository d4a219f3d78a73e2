/* PSCI 1.0 (ARM DEN 0022D) for the virt board, reached through HVC or SMC (SMC Calling
 * Convention: function ID in r0, arguments r1-r3, result in r0): PSCI_VERSION, CPU_SUSPEND
 * (standby only: returns at once), CPU_OFF, CPU_ON, AFFINITY_INFO (level 0),
 * MIGRATE_INFO_TYPE, SYSTEM_OFF, SYSTEM_RESET and PSCI_FEATURES. Any other function ID
 * returns NOT_SUPPORTED (-1), the SMCCC "unknown function" value. Secondary CPUs stay
 * powered off from reset until CPU_ON names them by MPIDR. */
#include "accel/tcg.h"
#include "hw/arm/virt.h"
#include "system/main-loop.h"
#include "system/runstate.h"
#include "target-arm/cpu.h"

CPUState *virt_cpu_by_mpidr(VirtBoard *vb, uint32_t mpidr)
{
    for (CPUState *cpu = vb->machine->cpus; cpu; cpu = cpu->next) {
        if ((arm_cpu(cpu)->cp15.mpidr & 0xffffff) == (mpidr & 0xffffff)) {
            return cpu;
        }
    }
    return NULL;
}

/* CPU_ON: the target starts at entry (Thumb if bit 0) with r0 = context_id, MMU off. */
static int32_t psci_cpu_on(VirtBoard *vb, uint32_t mpidr, uint32_t entry, uint32_t context)
{
    CPUState *target = virt_cpu_by_mpidr(vb, mpidr);
    if (!target) {
        return PSCI_RET_INVALID_PARAMS;
    }
    if (!arm_cpu(target)->powered_off) {
        return PSCI_RET_ALREADY_ON;
    }
    cpu_reset(target);
    target->halted = true;
    arm_cpu_power(arm_cpu(target), false);
    arm_cpu_set_entry(arm_cpu(target), entry, context, 0, 0);
    target->halted = false;
    arm_cpu_power(arm_cpu(target), true);
    return PSCI_RET_SUCCESS;
}

static int32_t psci_affinity_info(VirtBoard *vb, uint32_t mpidr, uint32_t level)
{
    CPUState *target = virt_cpu_by_mpidr(vb, mpidr);
    if (!target || level != 0) {
        return PSCI_RET_INVALID_PARAMS;
    }
    return arm_cpu(target)->powered_off ? 1 : 0;       /* OFF : ON */
}

static int32_t psci_features(uint32_t fn)
{
    switch (fn) {
    case PSCI_VERSION: case PSCI_CPU_SUSPEND: case PSCI_CPU_OFF: case PSCI_CPU_ON:
    case PSCI_AFFINITY_INFO: case PSCI_MIGRATE_INFO_TYPE: case PSCI_SYSTEM_OFF:
    case PSCI_SYSTEM_RESET: case PSCI_FEATURES:
        return 0;
    default:
        return PSCI_RET_NOT_SUPPORTED;
    }
}

/* Carries out function fn; *stop_self when the calling CPU must stop (off, shutdown). */
static int32_t psci_dispatch(VirtBoard *vb, ARMCPU *a, bool *stop_self)
{
    uint32_t fn = a->regs[0];
    switch (fn) {
    case PSCI_VERSION: return 0x00010000;       /* 1.0 */
    case PSCI_CPU_SUSPEND: return PSCI_RET_SUCCESS;
    case PSCI_CPU_OFF: *stop_self = true; return PSCI_RET_SUCCESS;
    case PSCI_CPU_ON: return psci_cpu_on(vb, a->regs[1], a->regs[2], a->regs[3]);
    case PSCI_AFFINITY_INFO: return psci_affinity_info(vb, a->regs[1], a->regs[2]);
    case PSCI_MIGRATE_INFO_TYPE: return 2;      /* no Trusted OS */
    case PSCI_FEATURES: return psci_features(a->regs[1]);
    case PSCI_SYSTEM_OFF:
        system_shutdown_request(SHUTDOWN_CAUSE_GUEST_SHUTDOWN);
        *stop_self = true;
        return PSCI_RET_SUCCESS;
    case PSCI_SYSTEM_RESET:
        system_reset_request(SHUTDOWN_CAUSE_GUEST_RESET);
        *stop_self = true;
        return PSCI_RET_SUCCESS;
    default:
        return PSCI_RET_NOT_SUPPORTED;
    }
}

/* The CPU's HVC/SMC hook: runs on the calling vCPU's thread without the big lock. */
static bool virt_psci_call(ARMCPU *a, bool is_smc, void *opaque)
{
    bool locked = bql_locked(), stop_self = false;
    if (!locked) {
        bql_lock();
    }
    a->regs[0] = (uint32_t)psci_dispatch(opaque, a, &stop_self);
    if (stop_self) {
        arm_cpu_power(a, false);
    }
    if (!locked) {
        bql_unlock();
    }
    if (stop_self && !locked && current_cpu() == &a->parent) {
        cpu_halt_and_exit(&a->parent);          /* does not return */
    }
    return true;
}

void virt_psci_install(VirtBoard *vb)
{
    for (CPUState *cpu = vb->machine->cpus; cpu; cpu = cpu->next) {
        arm_cpu(cpu)->smc_hvc_hook = virt_psci_call;
        arm_cpu(cpu)->smc_hvc_opaque = vb;
    }
}
