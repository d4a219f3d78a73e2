/* Fast system calls (Intel SDM vol. 2B SYSENTER/SYSEXIT/SYSCALL/SYSRET pseudo-code; AMD APM
 * vol. 2 6.1): flat segments built from IA32_SYSENTER_CS / STAR, RIP from SYSENTER_EIP,
 * LSTAR or CSTAR, RFLAGS masked by FMASK, and the 64-bit forms. */
#include "target-i386/cpu.h"
#include "target-i386/cpuid.h"
#include "target-i386/helper-sys.h"
#include "target-i386/sys-internal.h"

#define FLAT_CODE (X86_SEG_P | X86_SEG_S | X86_SEG_CODE | X86_SEG_RW | X86_SEG_A | X86_SEG_G)
#define FLAT_DATA (X86_SEG_P | X86_SEG_S | X86_SEG_RW | X86_SEG_A | X86_SEG_G | X86_SEG_DB)

static void load_flat(X86CPU *x, int seg, uint16_t sel, uint32_t flags, unsigned dpl)
{
    x86_cpu_load_seg_cache(x, seg, sel, 0, 0xffffffff, flags | (dpl << X86_SEG_DPL_SHIFT));
}

static uint32_t code_flags(bool is64)
{
    return FLAT_CODE | (is64 ? X86_SEG_L : X86_SEG_DB);
}

void x86_helper_sysenter(X86CPU *x)
{
    uintptr_t ra = TCG_GETPC();
    uint16_t cs = (uint16_t)x->sysenter_cs;
    if (!(x->cr[0] & X86_CR0_PE) || !(cs & 0xfffc)) {
        x86_fault(x, EXCP0D_GPF, 0, ra);
    }
    bool lma = x->hflags & HF_LMA;
    x86_cpu_write_eflags(x, 0, X86_EFLAGS_VM | X86_EFLAGS_IF | X86_EFLAGS_RF);
    load_flat(x, R_CS, cs & 0xfffc, code_flags(lma), 0);
    load_flat(x, R_SS, (cs + 8) & 0xfffc, FLAT_DATA, 0);
    x->regs[R_ESP] = lma ? x->sysenter_esp : (uint32_t)x->sysenter_esp;
    x->rip = lma ? x->sysenter_eip : (uint32_t)x->sysenter_eip;
}

void x86_helper_sysexit(X86CPU *x, uint32_t ot)
{
    uintptr_t ra = TCG_GETPC();
    uint16_t cs = (uint16_t)x->sysenter_cs;
    if (!(x->cr[0] & X86_CR0_PE) || (x->eflags & X86_EFLAGS_VM) || !(cs & 0xfffc) ||
        x86_cpu_cpl(x) != 0) {
        x86_fault(x, EXCP0D_GPF, 0, ra);
    }
    bool to64 = ot == 3;
    if (to64 && (!x86_is_canonical(x, x->regs[R_EDX]) ||
                 !x86_is_canonical(x, x->regs[R_ECX]))) {
        x86_fault(x, EXCP0D_GPF, 0, ra);
    }
    load_flat(x, R_CS, ((cs + (to64 ? 32 : 16)) & 0xfffc) | 3, code_flags(to64), 3);
    load_flat(x, R_SS, ((cs + (to64 ? 40 : 24)) & 0xfffc) | 3, FLAT_DATA, 3);
    x->regs[R_ESP] = to64 ? x->regs[R_ECX] : (uint32_t)x->regs[R_ECX];
    x->rip = to64 ? x->regs[R_EDX] : (uint32_t)x->regs[R_EDX];
}

void x86_helper_syscall(X86CPU *x, uint64_t next_eip)
{
    uintptr_t ra = TCG_GETPC();
    if (!(x->efer & X86_EFER_SCE)) {
        x86_fault(x, EXCP06_ILLOP, -1, ra);
    }
    uint16_t cs = (uint16_t)(x->star >> 32);
    if (x->hflags & HF_LMA) {
        uint64_t flags = x86_cpu_get_eflags(x);
        x->regs[R_ECX] = next_eip;
        x->regs[11] = flags & ~(uint64_t)X86_EFLAGS_RF;
        bool code64 = x->hflags & HF_CS64;
        x86_cpu_set_eflags(x, flags & ~(x->fmask | X86_EFLAGS_RF));
        load_flat(x, R_CS, cs & 0xfffc, code_flags(true), 0);
        load_flat(x, R_SS, (cs + 8) & 0xfffc, FLAT_DATA, 0);
        x->rip = code64 ? x->lstar : x->cstar;
        return;
    }
    x->regs[R_ECX] = (uint32_t)next_eip;
    x86_cpu_write_eflags(x, 0, X86_EFLAGS_VM | X86_EFLAGS_IF | X86_EFLAGS_RF);
    load_flat(x, R_CS, cs & 0xfffc, code_flags(false), 0);
    load_flat(x, R_SS, (cs + 8) & 0xfffc, FLAT_DATA, 0);
    x->rip = (uint32_t)x->star;
}

void x86_helper_sysret(X86CPU *x, uint32_t ot)
{
    uintptr_t ra = TCG_GETPC();
    if (!(x->efer & X86_EFER_SCE)) {
        x86_fault(x, EXCP06_ILLOP, -1, ra);
    }
    if (!(x->cr[0] & X86_CR0_PE) || x86_cpu_cpl(x) != 0) {
        x86_fault(x, EXCP0D_GPF, 0, ra);
    }
    uint16_t cs = (uint16_t)(x->star >> 48);
    if (x->hflags & HF_LMA) {
        bool to64 = ot == 3;
        if (to64 && !x86_is_canonical(x, x->regs[R_ECX])) {
            x86_fault(x, EXCP0D_GPF, 0, ra);
        }
        x86_cpu_set_eflags(x, (x->regs[11] & 0x3c7fd7) | X86_EFLAGS_FIXED);
        load_flat(x, R_CS, ((cs + (to64 ? 16 : 0)) & 0xfffc) | 3, code_flags(to64), 3);
        load_flat(x, R_SS, ((cs + 8) & 0xfffc) | 3, FLAT_DATA, 3);
        x->rip = to64 ? x->regs[R_ECX] : (uint32_t)x->regs[R_ECX];
        return;
    }
    x86_cpu_write_eflags(x, X86_EFLAGS_IF, X86_EFLAGS_IF);
    load_flat(x, R_CS, (cs & 0xfffc) | 3, code_flags(false), 3);
    load_flat(x, R_SS, ((cs + 8) & 0xfffc) | 3, FLAT_DATA, 3);
    x->rip = (uint32_t)x->regs[R_ECX];
}
