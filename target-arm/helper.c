/* Run-time helpers called by ARMv7-A translated code (ARM ARM DDI0406C): exceptions, CPSR
 * reads and writes (B1.3.3), exception return (B1.9.10), User-bank register access for
 * LDM/STM ^, coprocessor transfers, WFI, HVC/SMC to the board's PSCI hook and SRS. Each helper has its TCGHelperInfo here. */
#include <stddef.h>
#include "target-arm/translate.h"

#define DEF_HELPER(hname, hflags, ret, n, ...)                                  \
    const TCGHelperInfo helper_info_##hname = {                                \
        .name = #hname, .func = (void *)helper_##hname, .flags = (hflags),     \
        .ret_type = (ret), .nb_args = (n), .arg_types = { TCG_TYPE_PTR, __VA_ARGS__ }, \
    }
#define I32 TCG_TYPE_I32

static void helper_exception(void *env, uint32_t excp)
{
    cpu_raise_exception(env, (int)excp, TCG_GETPC());
}
DEF_HELPER(exception, TCG_CALL_NO_WG, TCG_TYPE_VOID, 2, I32);

static void helper_exception_exact(void *env, uint32_t excp)
{
    CPUState *cpu = env;
    cpu->exception_index = (int)excp;
    cpu_loop_exit(cpu);
}
DEF_HELPER(exception_exact, TCG_CALL_NO_WG, TCG_TYPE_VOID, 2, I32);

static uint32_t helper_cpsr_read(void *env)
{
    return arm_cpsr_read(env);
}
DEF_HELPER(cpsr_read, TCG_CALL_NO_WG, TCG_TYPE_I32, 1);

static void helper_cpsr_write(void *env, uint32_t val, uint32_t mask)
{
    arm_cpsr_write(env, val, mask);
}
DEF_HELPER(cpsr_write, 0, TCG_TYPE_VOID, 3, I32, I32);

/* CPSR = psr (all of it), PC = pc aligned for the new instruction set. */
static void exception_return(ARMCPU *a, uint32_t pc, uint32_t psr)
{
    if (arm_mode_bank(psr & ARM_CPSR_M) < 0) {
        psr = (psr & ~ARM_CPSR_M) | (a->cpsr & ARM_CPSR_M);    /* bad mode: keep ours */
    }
    arm_cpsr_write(a, psr, ~0u);
    a->regs[15] = pc & (a->thumb ? ~1u : ~3u);
    a->excl_addr = ~0u;             /* an exception return clears the local monitor */
}

static void helper_cpsr_write_eret(void *env, uint32_t pc)
{
    ARMCPU *a = env;
    uint32_t *spsr = arm_spsr_slot(a);
    exception_return(a, pc, spsr ? *spsr : arm_cpsr_read(a));
}
DEF_HELPER(cpsr_write_eret, 0, TCG_TYPE_VOID, 2, I32);

static void helper_rfe(void *env, uint32_t pc, uint32_t psr)
{
    exception_return(env, pc, psr);
}
DEF_HELPER(rfe, 0, TCG_TYPE_VOID, 3, I32, I32);

/* r8-r14 of the User bank, seen from another mode. */
static uint32_t *user_reg_slot(ARMCPU *a, uint32_t r)
{
    int bank = arm_mode_bank(a->cpsr & ARM_CPSR_M);
    if (r >= 8 && r <= 12 && bank == ARM_BANK_FIQ) {
        return &a->usr_regs[r - 8];
    }
    if ((r == 13 || r == 14) && bank != ARM_BANK_USR) {
        return r == 13 ? &a->banked_sp[ARM_BANK_USR] : &a->banked_lr[ARM_BANK_USR];
    }
    return &a->regs[r & 15];
}

static uint32_t helper_get_user_reg(void *env, uint32_t r)
{
    return *user_reg_slot(env, r);
}
DEF_HELPER(get_user_reg, TCG_CALL_NO_WG, TCG_TYPE_I32, 2, I32);

static void helper_set_user_reg(void *env, uint32_t r, uint32_t v)
{
    *user_reg_slot(env, r) = v;
}
DEF_HELPER(set_user_reg, 0, TCG_TYPE_VOID, 3, I32, I32);

static uint32_t helper_cp_read(void *env, uint32_t index)
{
    return (uint32_t)arm_cp_read(env, (int)index, TCG_GETPC());
}
DEF_HELPER(cp_read, TCG_CALL_NO_WG, TCG_TYPE_I32, 2, I32);

static void helper_cp_write(void *env, uint32_t index, uint32_t v)
{
    arm_cp_write(env, (int)index, v, TCG_GETPC());
}
DEF_HELPER(cp_write, TCG_CALL_NO_WG, TCG_TYPE_VOID, 3, I32, I32);

static uint64_t helper_cp_read64(void *env, uint32_t index)
{
    return arm_cp_read(env, (int)index, TCG_GETPC());
}
DEF_HELPER(cp_read64, TCG_CALL_NO_WG, TCG_TYPE_I64, 2, I32);

static void helper_cp_write64(void *env, uint32_t index, uint32_t lo, uint32_t hi)
{
    arm_cp_write(env, (int)index, (uint64_t)hi << 32 | lo, TCG_GETPC());
}
DEF_HELPER(cp_write64, TCG_CALL_NO_WG, TCG_TYPE_VOID, 4, I32, I32, I32);

/* WFI: PC already past it; sleeps unless an interrupt is pending. */
static void helper_wfi(void *env, uint32_t next_condexec)
{
    CPUState *cpu = env;
    arm_cpu(cpu)->condexec = next_condexec;
    if (cpu_has_work(cpu)) {
        return;
    }
    cpu_halt_and_exit(cpu);
}
DEF_HELPER(wfi, 0, TCG_TYPE_VOID, 2, I32);

/* HVC/SMC: the board's hook (PSCI) or UNDEFINED. PC is past the instruction. */
static void helper_smc_hvc(void *env, uint32_t is_smc)
{
    ARMCPU *a = env;
    if (a->smc_hvc_hook && a->smc_hvc_hook(a, is_smc != 0, a->smc_hvc_opaque)) {
        if (a->powered_off) {
            cpu_halt_and_exit(env);     /* PSCI CPU_OFF of this CPU */
        }
        return;
    }
    cpu_raise_exception(env, ARM_EXCP_UDEF, TCG_GETPC());
}
DEF_HELPER(smc_hvc, 0, TCG_TYPE_VOID, 2, I32);

/* SRS: stores LR and SPSR of the current mode on the stack of mode (info bits 0-4);
 * bit 8 before, bit 9 increment, bit 10 writeback. */
static void helper_srs(void *env, uint32_t info)
{
    ARMCPU *a = env;
    uintptr_t ra = TCG_GETPC();
    int bank = arm_mode_bank(info & 0x1f), cur = arm_mode_bank(a->cpsr & ARM_CPSR_M);
    uint32_t *sp = bank == cur ? &a->regs[13] : &a->banked_sp[bank];
    uint32_t *spsr = arm_spsr_slot(a);
    bool before = info & 0x100, inc = info & 0x200;
    uint32_t addr = *sp + (inc ? (before ? 4 : 0) : (before ? -8u : -4u));
    int idx = ARM_MMU_IDX_KERN;

    cpu_st_mmu(env, addr, a->regs[14], MO_32 | MO_ALIGN_4, idx, ra);
    cpu_st_mmu(env, addr + 4, spsr ? *spsr : 0, MO_32 | MO_ALIGN_4, idx, ra);
    if (info & 0x400) {
        *sp += inc ? 8 : -8u;
    }
}
DEF_HELPER(srs, 0, TCG_TYPE_VOID, 2, I32);
