/* x86 model-specific registers (Intel SDM vol. 4; AMD APM vol. 2 for STAR/LSTAR/CSTAR/FMASK
 * and the segment bases): RDMSR/WRMSR with #GP(0) for unknown MSRs, reserved bits and
 * non-canonical addresses. TSC, platform ID (reads 0), APIC base, SYSENTER, EFER, syscall MSRs, FS/GS/KERNEL_GS
 * base, TSC_AUX, PAT, MTRRs (storage), MISC_ENABLE, machine-check globals, and
 * SPEC_CTRL / PRED_CMD / ARCH_CAPABILITIES when the CPU model offers them; on AMD models of
 * family 0Fh and later SYSCFG (APM vol. 2, 7.9: only the MTRR DRAM bits, which Linux's MTRR
 * code reads without a fault handler) and the interrupt-pending message register (BKDG for
 * family 0Fh: reads 0, C1E never active; Linux reads it for erratum 400, writes are ignored). */
#include <string.h>

#include "target-i386/cpu.h"
#include "target-i386/cpuid.h"
#include "target-i386/helper-sys.h"
#include "target-i386/sys-internal.h"
#include "util/log.h"

enum {
    MSR_TSC = 0x10, MSR_PLATFORM_ID = 0x17, MSR_APIC_BASE = 0x1b, MSR_FEATURE_CONTROL = 0x3a, MSR_SPEC_CTRL = 0x48,
    MSR_PRED_CMD = 0x49, MSR_BIOS_SIGN = 0x8b, MSR_MTRRCAP = 0xfe,
    MSR_ARCH_CAPABILITIES = 0x10a, MSR_SYSENTER_CS = 0x174, MSR_SYSENTER_ESP = 0x175,
    MSR_SYSENTER_EIP = 0x176, MSR_MCG_CAP = 0x179, MSR_MCG_STATUS = 0x17a,
    MSR_MCG_CTL = 0x17b, MSR_MISC_ENABLE = 0x1a0, MSR_DEBUGCTL = 0x1d9,
    MSR_MTRR_PHYS_BASE0 = 0x200, MSR_MTRR_FIX64K = 0x250, MSR_MTRR_FIX16K_80000 = 0x258,
    MSR_MTRR_FIX16K_A0000 = 0x259, MSR_MTRR_FIX4K_C0000 = 0x268, MSR_PAT = 0x277,
    MSR_MTRR_DEF_TYPE = 0x2ff, MSR_EFER = 0xc0000080, MSR_STAR = 0xc0000081,
    MSR_LSTAR = 0xc0000082, MSR_CSTAR = 0xc0000083, MSR_FMASK = 0xc0000084,
    MSR_FS_BASE = 0xc0000100, MSR_GS_BASE = 0xc0000101, MSR_KERNEL_GS_BASE = 0xc0000102,
    MSR_TSC_AUX = 0xc0000103, MSR_AMD_SYSCFG = 0xc0010010,
    MSR_AMD_INT_PENDING = 0xc0010055,
};

/* The MTRR MSR's storage slot, or NULL. */
static uint64_t *mtrr_slot(X86CPU *x, uint32_t msr)
{
    if (msr >= MSR_MTRR_PHYS_BASE0 && msr < MSR_MTRR_PHYS_BASE0 + 2 * X86_MTRR_VAR) {
        unsigned n = msr - MSR_MTRR_PHYS_BASE0;
        return &x->mtrr_var[n / 2][n % 2];
    }
    if (msr == MSR_MTRR_FIX64K) {
        return &x->mtrr_fixed[0];
    }
    if (msr == MSR_MTRR_FIX16K_80000 || msr == MSR_MTRR_FIX16K_A0000) {
        return &x->mtrr_fixed[1 + msr - MSR_MTRR_FIX16K_80000];
    }
    if (msr >= MSR_MTRR_FIX4K_C0000 && msr < MSR_MTRR_FIX4K_C0000 + 8) {
        return &x->mtrr_fixed[3 + msr - MSR_MTRR_FIX4K_C0000];
    }
    if (msr == MSR_MTRR_DEF_TYPE) {
        return &x->mtrr_cap_def_type;
    }
    return NULL;
}

static bool has(X86CPU *x, int word, uint32_t bit)
{
    return x86_has_feature(x, word, bit);
}

/* AMD family 0Fh (K8) or later: the models with SYSCFG. */
static bool amd_k8_or_later(X86CPU *x)
{
    return !strcmp(x->vendor, "AuthenticAMD") && ((x->cpuid_version >> 8) & 0xf) == 0xf;
}

/* SYSCFG bits kept: MtrrFixDramEn, MtrrFixDramModEn, MtrrVarDramEn, MtrrTom2En,
 * Tom2ForceMemTypeWB (18-22); the others read 0 and writing them faults. */
#define SYSCFG_MTRR_BITS (0x1full << 18)

/* Reads msr into *v; false: no such MSR on this model (#GP). */
static bool msr_read(X86CPU *x, uint32_t msr, uint64_t *v)
{
    uint64_t *slot = has(x, FEAT_1_EDX, CPUID_MTRR) ? mtrr_slot(x, msr) : NULL;
    if (slot) {
        *v = *slot;
        return true;
    }
    switch (msr) {
    case MSR_TSC: *v = x86_read_tsc(x); return true;
    case MSR_APIC_BASE: *v = x->apic_base; return has(x, FEAT_1_EDX, CPUID_APIC);
    case MSR_FEATURE_CONTROL: *v = x->feature_control; return true;
    case MSR_BIOS_SIGN: *v = 0; return true;
    case MSR_PLATFORM_ID: *v = 0; return true;  /* read-only; Linux's microcode driver */
    case MSR_MTRRCAP: *v = 0x500 | X86_MTRR_VAR; return has(x, FEAT_1_EDX, CPUID_MTRR);
    case MSR_SPEC_CTRL: *v = x->spec_ctrl; return has(x, FEAT_7_0_EDX, CPUID_7_0_EDX_SPEC_CTRL);
    case MSR_ARCH_CAPABILITIES:
        *v = x->arch_capabilities;
        return has(x, FEAT_7_0_EDX, CPUID_7_0_EDX_ARCH_CAPABILITIES);
    case MSR_SYSENTER_CS: *v = x->sysenter_cs; return has(x, FEAT_1_EDX, CPUID_SEP);
    case MSR_SYSENTER_ESP: *v = x->sysenter_esp; return has(x, FEAT_1_EDX, CPUID_SEP);
    case MSR_SYSENTER_EIP: *v = x->sysenter_eip; return has(x, FEAT_1_EDX, CPUID_SEP);
    case MSR_MCG_CAP: *v = 0; return has(x, FEAT_1_EDX, CPUID_MCA);
    case MSR_MCG_STATUS: *v = x->mcg_status; return has(x, FEAT_1_EDX, CPUID_MCA);
    case MSR_MCG_CTL: *v = x->mcg_ctl; return false;    /* MCG_CAP.CTL_P = 0 */
    case MSR_MISC_ENABLE: *v = x->misc_enable; return true;
    case MSR_DEBUGCTL: *v = 0; return true;
    case MSR_PAT: *v = x->pat; return has(x, FEAT_1_EDX, CPUID_PAT);
    case MSR_EFER: *v = x->efer; return x->long_mode || has(x, FEAT_8000_0001_EDX, CPUID_EXT2_NX);
    case MSR_STAR: *v = x->star; return has(x, FEAT_8000_0001_EDX, CPUID_EXT2_SYSCALL);
    case MSR_LSTAR: *v = x->lstar; return x->long_mode;
    case MSR_CSTAR: *v = x->cstar; return x->long_mode;
    case MSR_FMASK: *v = x->fmask; return x->long_mode;
    case MSR_FS_BASE: *v = x->segs[R_FS].base; return x->long_mode;
    case MSR_GS_BASE: *v = x->segs[R_GS].base; return x->long_mode;
    case MSR_KERNEL_GS_BASE: *v = x->kernel_gs_base; return x->long_mode;
    case MSR_TSC_AUX:
        *v = x->tsc_aux;
        return has(x, FEAT_8000_0001_EDX, CPUID_EXT2_RDTSCP) ||
               has(x, FEAT_7_0_ECX, CPUID_7_0_ECX_RDPID);
    case MSR_AMD_SYSCFG: *v = x->syscfg; return amd_k8_or_later(x);
    case MSR_AMD_INT_PENDING: *v = 0; return amd_k8_or_later(x);   /* C1E never active */
    default: return false;
    }
}

static bool pat_valid(uint64_t v)
{
    for (int i = 0; i < 8; i++) {
        unsigned t = (v >> (8 * i)) & 0xff;
        if (t == 2 || t == 3 || t > 7) {
            return false;
        }
    }
    return true;
}

static bool write_efer(X86CPU *x, uint64_t v)
{
    uint64_t ok = X86_EFER_LMA;
    ok |= has(x, FEAT_8000_0001_EDX, CPUID_EXT2_SYSCALL) ? X86_EFER_SCE : 0;
    ok |= x->long_mode ? X86_EFER_LME : 0;
    ok |= has(x, FEAT_8000_0001_EDX, CPUID_EXT2_NX) ? X86_EFER_NXE : 0;
    if ((v & ~ok) || (((v ^ x->efer) & X86_EFER_LME) && (x->cr[0] & X86_CR0_PG))) {
        return false;
    }
    uint64_t old = x->efer;
    x->efer = (v & ~(uint64_t)X86_EFER_LMA) | (old & X86_EFER_LMA);
    if (((old ^ x->efer) & X86_EFER_NXE) && x->parent.accel_state) {
        tlb_flush(&x->parent);
    }
    return true;
}

static bool write_apic_base(X86CPU *x, uint64_t v)
{
    unsigned pb = x->phys_bits ? x->phys_bits : 36;
    uint64_t ok = X86_APIC_BASE_ENABLE | (((1ull << pb) - 1) & ~0xfffull);
    if (v & ~(ok | X86_APIC_BASE_BSP)) {
        return false;
    }
    x->apic_base = (v & ok) | (x->apic_base & X86_APIC_BASE_BSP);
    if (x->intc && x->intc->apic_base_changed) {
        x->intc->apic_base_changed(&x->parent);
    }
    return true;
}

/* An address MSR: canonical on 64-bit models. */
static bool set_addr(X86CPU *x, uint64_t *slot, uint64_t v)
{
    if (x->long_mode ? !x86_is_canonical(x, v) : (v >> 32) != 0) {
        return false;
    }
    *slot = v;
    return true;
}

/* MSRs of the interrupt controller (TSC deadline, x2APIC), if it offers them. */
static bool intc_msr(X86CPU *x, uint32_t msr, uint64_t *v, bool write)
{
    return x->intc && x->intc->msr && x->intc->msr(&x->parent, msr, v, write);
}

static bool msr_write(X86CPU *x, uint32_t msr, uint64_t v)
{
    uint64_t dummy;
    if (intc_msr(x, msr, &v, true)) {
        return true;
    }
    if (!msr_read(x, msr, &dummy) && msr != MSR_PRED_CMD) {
        return false;
    }
    uint64_t *slot = mtrr_slot(x, msr);
    if (slot) {
        *slot = v;
        return true;
    }
    switch (msr) {
    case MSR_TSC: x86_write_tsc(x, v); return true;
    case MSR_APIC_BASE: return write_apic_base(x, v);
    case MSR_FEATURE_CONTROL:
        if (x->feature_control & 1) {
            return false;               /* locked */
        }
        x->feature_control = v & 1;
        return true;
    case MSR_BIOS_SIGN: return true;
    case MSR_SPEC_CTRL: x->spec_ctrl = v & 7; return (v & ~7ull) == 0;
    case MSR_PRED_CMD: return has(x, FEAT_7_0_EDX, CPUID_7_0_EDX_SPEC_CTRL) && v <= 1;
    case MSR_SYSENTER_CS: x->sysenter_cs = v & 0xffff; return true;
    case MSR_SYSENTER_ESP: return set_addr(x, &x->sysenter_esp, v);
    case MSR_SYSENTER_EIP: return set_addr(x, &x->sysenter_eip, v);
    case MSR_MCG_STATUS: x->mcg_status = v; return v == 0;
    case MSR_MISC_ENABLE: x->misc_enable = v; return true;
    case MSR_DEBUGCTL: return (v & ~3ull) == 0;
    case MSR_PAT: x->pat = v; return pat_valid(v);
    case MSR_EFER: return write_efer(x, v);
    case MSR_STAR: x->star = v; return true;
    case MSR_LSTAR: return set_addr(x, &x->lstar, v);
    case MSR_CSTAR: return set_addr(x, &x->cstar, v);
    case MSR_FMASK: x->fmask = (uint32_t)v; return true;
    case MSR_FS_BASE: return set_addr(x, &x->segs[R_FS].base, v);
    case MSR_GS_BASE: return set_addr(x, &x->segs[R_GS].base, v);
    case MSR_KERNEL_GS_BASE: return set_addr(x, &x->kernel_gs_base, v);
    case MSR_TSC_AUX: x->tsc_aux = (uint32_t)v; return (v >> 32) == 0;
    case MSR_AMD_SYSCFG:
        if (v & ~SYSCFG_MTRR_BITS) {
            return false;
        }
        x->syscfg = v;
        return true;
    case MSR_AMD_INT_PENDING: return true;
    default: return false;
    }
}

void x86_helper_rdmsr(X86CPU *x, uint32_t write)
{
    uintptr_t ra = TCG_GETPC();
    uint32_t msr = (uint32_t)x->regs[R_ECX];
    if (!has(x, FEAT_1_EDX, CPUID_MSR)) {
        x86_fault(x, EXCP06_ILLOP, -1, ra);
    }
    if (x86_cpu_cpl(x) != 0) {
        x86_fault(x, EXCP0D_GPF, 0, ra);
    }
    if (write) {
        uint64_t v = (x->regs[R_EDX] << 32) | (uint32_t)x->regs[R_EAX];
        if (!msr_write(x, msr, v)) {
            log_category_printf(LOG_UNIMP | LOG_GUEST_ERROR,
                                "x86: WRMSR %#x <- %#llx refused (#GP)\n", msr,
                                (unsigned long long)v);
            x86_fault(x, EXCP0D_GPF, 0, ra);
        }
        x86_update_hflags(x);
        return;
    }
    uint64_t v;
    if (!intc_msr(x, msr, &v, false) && !msr_read(x, msr, &v)) {
        log_category_printf(LOG_UNIMP, "x86: RDMSR %#x unknown (#GP)\n", msr);
        x86_fault(x, EXCP0D_GPF, 0, ra);
    }
    x->regs[R_EAX] = (uint32_t)v;
    x->regs[R_EDX] = v >> 32;
}
