/* x86 system-register and miscellaneous helpers (Intel SDM vol. 3A 2.5-2.8, vol. 2 entries):
 * MOV to/from CR0/2/3/4/8 with the reserved-bit and mode-transition checks (IA-32e
 * activation, 9.8.5), DR0-7 (17.2, DR7.GD), CLTS, LMSW, SMSW/SLDT/STR with UMIP,
 * LGDT/LIDT/SGDT/SIDT, CPUID, RDTSC/RDTSCP/RDPMC from the virtual clock, XGETBV/XSETBV,
 * RDPID, HLT, STI and the interrupt shadow, SWAPGS, WRFSBASE/WRGSBASE. */
#include "target-i386/cpu.h"
#include "target-i386/cpuid.h"
#include "target-i386/helper-sys.h"
#include "target-i386/sys-internal.h"
#include "target-i386/xsave.h"
#include "system/timer.h"

#define GP0() x86_fault(x, EXCP0D_GPF, 0, ra)
#define UD() x86_fault(x, EXCP06_ILLOP, -1, ra)

static void need_cpl0(X86CPU *x, uintptr_t ra)
{
    if (x86_cpu_cpl(x) != 0) {
        GP0();
    }
}

static void flush_tlb(X86CPU *x)
{
    if (x->parent.accel_state) {
        tlb_flush(&x->parent);
    }
}

/* ---- control registers --------------------------------------------------------------------- */

static void write_cr0(X86CPU *x, uint64_t v, uintptr_t ra)
{
    uint64_t old = x->cr[0];
    if ((v >> 32) || ((v & X86_CR0_PG) && !(v & X86_CR0_PE)) ||
        ((v & X86_CR0_NW) && !(v & X86_CR0_CD))) {
        GP0();
    }
    bool pg_on = (v & X86_CR0_PG) && !(old & X86_CR0_PG);
    bool pg_off = !(v & X86_CR0_PG) && (old & X86_CR0_PG);
    if (pg_on && (x->efer & X86_EFER_LME)) {
        if (!(x->cr[4] & X86_CR4_PAE) || (x->segs[R_CS].flags & X86_SEG_L)) {
            GP0();
        }
        x->efer |= X86_EFER_LMA;                /* IA-32e mode activation (SDM 3A 9.8.5) */
    }
    if (pg_off && (x->efer & X86_EFER_LMA)) {
        if (x->hflags & HF_CS64) {
            GP0();
        }
        x->efer &= ~(uint64_t)X86_EFER_LMA;
    }
    x->cr[0] = v | X86_CR0_ET;
    if ((old ^ x->cr[0]) & (X86_CR0_PG | X86_CR0_WP | X86_CR0_PE)) {
        flush_tlb(x);
    }
}

static uint64_t cr4_valid_bits(X86CPU *x)
{
    uint64_t m = X86_CR4_TSD | X86_CR4_DE | X86_CR4_PCE | X86_CR4_MCE | X86_CR4_OSFXSR |
                 X86_CR4_OSXMMEXCPT;
    const uint32_t *f = x->features;
    m |= (f[FEAT_1_EDX] & CPUID_VME) ? X86_CR4_VME | X86_CR4_PVI : 0;
    m |= (f[FEAT_1_EDX] & CPUID_PSE) ? X86_CR4_PSE : 0;
    m |= (f[FEAT_1_EDX] & CPUID_PAE) ? X86_CR4_PAE : 0;
    m |= (f[FEAT_1_EDX] & CPUID_PGE) ? X86_CR4_PGE : 0;
    m |= (f[FEAT_1_ECX] & CPUID_EXT_PCID) ? X86_CR4_PCIDE : 0;
    m |= (f[FEAT_1_ECX] & CPUID_EXT_XSAVE) ? X86_CR4_OSXSAVE : 0;
    m |= (f[FEAT_7_0_EBX] & CPUID_7_0_EBX_FSGSBASE) ? X86_CR4_FSGSBASE : 0;
    m |= (f[FEAT_7_0_EBX] & CPUID_7_0_EBX_SMEP) ? X86_CR4_SMEP : 0;
    m |= (f[FEAT_7_0_EBX] & CPUID_7_0_EBX_SMAP) ? X86_CR4_SMAP : 0;
    m |= (f[FEAT_7_0_ECX] & CPUID_7_0_ECX_UMIP) ? X86_CR4_UMIP : 0;
    m |= (f[FEAT_7_0_ECX] & CPUID_7_0_ECX_LA57) ? X86_CR4_LA57 : 0;
    return m;
}

static void write_cr4(X86CPU *x, uint64_t v, uintptr_t ra)
{
    uint64_t old = x->cr[4];
    bool lma = x->efer & X86_EFER_LMA;
    if ((v & ~cr4_valid_bits(x)) || (lma && !(v & X86_CR4_PAE)) ||
        (lma && ((v ^ old) & X86_CR4_LA57))) {
        GP0();
    }
    if ((v & X86_CR4_PCIDE) && !(old & X86_CR4_PCIDE) && (!lma || (x->cr[3] & 0xfff))) {
        GP0();
    }
    x->cr[4] = v;
    if ((old ^ v) & (X86_CR4_PGE | X86_CR4_PAE | X86_CR4_PSE | X86_CR4_PCIDE |
                     X86_CR4_SMEP | X86_CR4_SMAP | X86_CR4_LA57)) {
        flush_tlb(x);
    }
}

static void check_cr(X86CPU *x, uint32_t reg, uintptr_t ra)
{
    if (reg != 0 && reg != 2 && reg != 3 && reg != 4 && reg != 8) {
        UD();
    }
    if (reg == 8 && !(x->hflags & HF_LMA)) {
        UD();
    }
    need_cpl0(x, ra);
}

uint64_t x86_helper_read_cr(X86CPU *x, uint32_t reg)
{
    uintptr_t ra = TCG_GETPC();
    check_cr(x, reg, ra);
    if (reg == 8) {
        return x->intc && x->intc->get_tpr ? x->intc->get_tpr(&x->parent) : x->cr8;
    }
    return x->cr[reg];
}

void x86_helper_write_cr(X86CPU *x, uint32_t reg, uint64_t value)
{
    uintptr_t ra = TCG_GETPC();
    check_cr(x, reg, ra);
    switch (reg) {
    case 0:
        write_cr0(x, value, ra);
        break;
    case 2:
        x->cr[2] = value;
        break;
    case 3:
        if (!(x->hflags & HF_LMA)) {
            value = (uint32_t)value;
        } else if (value & ~((1ull << 63) | 0x000fffffffffffffull)) {
            GP0();
        }
        x86_write_cr3(x, value);
        break;
    case 4:
        write_cr4(x, value, ra);
        break;
    case 8:
        if (value & ~0xfull) {
            GP0();
        }
        x->cr8 = value;
        if (x->intc && x->intc->set_tpr) {
            x->intc->set_tpr(&x->parent, (uint8_t)value);
        }
        break;
    }
    x86_update_hflags(x);
}

void x86_helper_clts(X86CPU *x)
{
    need_cpl0(x, TCG_GETPC());
    x->cr[0] &= ~(uint64_t)X86_CR0_TS;
    x86_update_hflags(x);
}

void x86_helper_lmsw(X86CPU *x, uint32_t value)
{
    uintptr_t ra = TCG_GETPC();
    need_cpl0(x, ra);
    /* only PE MP EM TS; PE cannot be cleared */
    uint64_t cr0 = (x->cr[0] & ~0xeull) | (value & 0xf) | (x->cr[0] & X86_CR0_PE);
    write_cr0(x, cr0, ra);
    x86_update_hflags(x);
}

uint64_t x86_helper_read_sys_sel(X86CPU *x, uint32_t which)
{
    uintptr_t ra = TCG_GETPC();
    if ((x->cr[4] & X86_CR4_UMIP) && x86_cpu_cpl(x) > 0) {
        GP0();
    }
    return which == 0 ? x->cr[0] : which == 1 ? x->ldtr.selector : x->tr.selector;
}

/* ---- debug registers (SDM 3A 17.2) ----------------------------------------------------------- */

static uint32_t check_dr(X86CPU *x, uint32_t reg, uintptr_t ra)
{
    if (reg > 7) {
        UD();
    }
    if (reg == 4 || reg == 5) {
        if (x->cr[4] & X86_CR4_DE) {
            UD();
        }
        reg += 2;
    }
    need_cpl0(x, ra);
    if (x->dr[7] & X86_DR7_GD) {
        x->dr[7] &= ~(uint64_t)X86_DR7_GD;
        x->dr[6] |= X86_DR6_BD;
        x86_fault(x, EXCP01_DB, -1, ra);
    }
    return reg;
}

uint64_t x86_helper_read_dr(X86CPU *x, uint32_t reg)
{
    return x->dr[check_dr(x, reg, TCG_GETPC())];
}

void x86_helper_write_dr(X86CPU *x, uint32_t reg, uint64_t value)
{
    uintptr_t ra = TCG_GETPC();
    reg = check_dr(x, reg, ra);
    if (reg >= 6 && (value >> 32)) {
        GP0();
    }
    if (reg == 6) {
        value = (value & 0x0000e00full) | X86_DR6_FIXED;
    } else if (reg == 7) {
        value = (value & ~0xd800ull) | X86_DR7_FIXED;
    }
    x->dr[reg] = value;
    x86_update_hflags(x);
    x86_sync_data_bpts(x);
}

/* After IN/OUT of 1 << ot bytes at port under HF_BPT: DR0-3 I/O breakpoints (R/W = 10,
 * CR4.DE; SDM 3A 17.2.4) that the access overlaps raise a trap-class #DB with DR6.Bn. */
void x86_helper_check_io_bpt(X86CPU *x, uint32_t port, uint32_t ot, uint64_t next_eip)
{
    static const uint8_t len_of[4] = { 1, 2, 8, 4 };
    uint64_t dr7 = x->dr[7];
    unsigned hits = 0, bytes = 1u << (ot & 3);
    if (!(x->cr[4] & X86_CR4_DE)) {
        return;
    }
    port &= 0xffff;
    for (int i = 0; i < 4; i++) {
        unsigned len = len_of[(dr7 >> (18 + 4 * i)) & 3];
        uint64_t start = x->dr[i] & 0xffff & ~(uint64_t)(len - 1);
        if (((dr7 >> (2 * i)) & 3) && ((dr7 >> (16 + 4 * i)) & 3) == 2 &&
            port < start + len && start < (uint64_t)port + bytes) {
            hits |= 1u << i;
        }
    }
    if (hits) {
        x->dr[6] = (x->dr[6] & ~0xfull) | hits;
        x86_raise_debug_trap(x, next_eip, TCG_GETPC());
    }
}

/* DR7 R/W field 01 (data writes) or 11 (data reads and writes) of an enabled DR0-3
 * (SDM 3A 17.2.4): a watchpoint of the translator on the LEN-aligned linear range
 * (LEN 00/01/11/10 = 1/2/4/8 bytes; the address bits below LEN are ignored, 17.2.5).
 * R/W 10 (I/O) and 00 (execution) are not data breakpoints. */
void x86_sync_data_bpts(X86CPU *x)
{
    static const uint8_t len_of[4] = { 1, 2, 8, 4 };
    uint64_t dr7 = x->dr[7];
    for (int i = 0; i < 4; i++) {
        unsigned rw = (dr7 >> (16 + 4 * i)) & 3, len = len_of[(dr7 >> (18 + 4 * i)) & 3];
        int flags = !((dr7 >> (2 * i)) & 3) ? 0 : rw == 1 ? TCG_WP_WRITE
                  : rw == 3 ? TCG_WP_ACCESS : 0;
        tcg_cpu_watch_set(&x->parent, i, x->dr[i] & ~(uint64_t)(len - 1), len, flags);
    }
}

/* The instruction that touched data breakpoints (slots = DR indexes) has completed: a
 * trap-class #DB after it, with DR6.B0-3 naming them (17.2.3, 17.3.1.2). */
void x86_cpu_watch_hit(CPUState *cpu, unsigned slots)
{
    X86CPU *x = x86_cpu(cpu);
    x->dr[6] = (x->dr[6] & ~0xfull) | (slots & 0xf);
    cpu->exception_index = EXCP01_DB;
    x->has_error_code = false;
    x->error_code = 0;
    x->exception_is_int = false;
    x->exception_trap = true;
    x->exception_next_eip = x->rip;
}

/* Instruction breakpoints (SDM 3A 17.3.1.1): faults before the instruction executes. */
void x86_helper_check_bpt(X86CPU *x, uint64_t eip)
{
    uintptr_t ra = TCG_GETPC();
    uint64_t dr7 = x->dr[7];
    if (x->eflags & X86_EFLAGS_RF) {
        x->eflags &= ~(uint64_t)X86_EFLAGS_RF;
        return;
    }
    uint64_t lin = x->segs[R_CS].base + eip;
    if (!(x->hflags & HF_CS64)) {
        lin = (uint32_t)lin;
    } else {
        lin = eip;
    }
    uint64_t hits = 0;
    for (int i = 0; i < 4; i++) {
        if (((dr7 >> (2 * i)) & 3) && ((dr7 >> (16 + 4 * i)) & 3) == 0 && x->dr[i] == lin) {
            hits |= 1u << i;
        }
    }
    if (hits) {
        x->dr[6] = (x->dr[6] & ~0xfull) | hits;
        x86_fault(x, EXCP01_DB, -1, ra);
    }
}

/* ---- descriptor-table registers ------------------------------------------------------------------ */

void x86_helper_lgdt(X86CPU *x, uint32_t which, uint64_t addr, uint32_t ot)
{
    uintptr_t ra = TCG_GETPC();
    need_cpl0(x, ra);
    int idx = x86_mmu_index(x->hflags);
    uint32_t limit = (uint32_t)cpu_ld_mmu(&x->parent, addr, MO_LEUW, idx, ra);
    uint64_t base;
    if (x->hflags & HF_CS64) {
        base = cpu_ld_mmu(&x->parent, addr + 2, MO_LEUQ, idx, ra);
        if (!x86_is_canonical(x, base)) {
            GP0();
        }
    } else {
        uint64_t a = (uint32_t)(addr + 2);
        base = cpu_ld_mmu(&x->parent, a, MO_LEUL, idx, ra);
        if (ot == 1) {
            base &= 0xffffff;
        }
    }
    X86DescriptorTable *t = which ? &x->idtr : &x->gdtr;
    t->base = base;
    t->limit = limit;
}

void x86_helper_sgdt(X86CPU *x, uint32_t which, uint64_t addr)
{
    uintptr_t ra = TCG_GETPC();
    if ((x->cr[4] & X86_CR4_UMIP) && x86_cpu_cpl(x) > 0) {
        GP0();
    }
    const X86DescriptorTable *t = which ? &x->idtr : &x->gdtr;
    int idx = x86_mmu_index(x->hflags);
    cpu_st_mmu(&x->parent, addr, t->limit, MO_LEUW, idx, ra);
    if (x->hflags & HF_CS64) {
        cpu_st_mmu(&x->parent, addr + 2, t->base, MO_LEUQ, idx, ra);
    } else {
        cpu_st_mmu(&x->parent, (uint32_t)(addr + 2), (uint32_t)t->base, MO_LEUL, idx, ra);
    }
}

/* ---- CPUID, counters, XCR0 ------------------------------------------------------------------------ */

void x86_helper_cpuid(X86CPU *x)
{
    uint32_t r[4];
    x86_cpuid(x, (uint32_t)x->regs[R_EAX], (uint32_t)x->regs[R_ECX], r);
    x->regs[R_EAX] = r[0];
    x->regs[R_EBX] = r[1];
    x->regs[R_ECX] = r[2];
    x->regs[R_EDX] = r[3];
}

/* ns * khz / 10^6 exactly, without a 128-bit division (a libgcc call on every RDTSC):
 * with ns = q * 10^6 + r, the result is q * khz + r * khz / 10^6, and r * khz fits in 64
 * bits for any khz below 2^44. Wraps modulo 2^64 as the TSC does. */
uint64_t x86_tsc_from_ns(uint64_t ns, uint64_t khz)
{
    uint64_t q = ns / 1000000u, r = ns % 1000000u;
    return q * khz + r * khz / 1000000u;
}

uint64_t x86_read_tsc(X86CPU *x)
{
    return x86_tsc_from_ns((uint64_t)clock_get_ns(CLK_VIRTUAL), x->tsc_khz) + x->tsc_offset;
}

void x86_write_tsc(X86CPU *x, uint64_t value)
{
    x->tsc_offset = 0;
    x->tsc_offset = value - x86_read_tsc(x);
}

static void set_edx_eax(X86CPU *x, uint64_t v)
{
    x->regs[R_EAX] = (uint32_t)v;
    x->regs[R_EDX] = v >> 32;
}

void x86_helper_rdtsc(X86CPU *x, uint32_t which)
{
    uintptr_t ra = TCG_GETPC();
    unsigned cpl = x86_cpu_cpl(x);
    if (which == 2) {
        if (!(x->cr[4] & X86_CR4_PCE) && cpl > 0) {
            GP0();
        }
        if ((uint32_t)x->regs[R_ECX] > 1) {         /* two general counters, reading 0 */
            GP0();
        }
        set_edx_eax(x, 0);
        return;
    }
    if (which == 1 && !x86_has_feature(x, FEAT_8000_0001_EDX, CPUID_EXT2_RDTSCP)) {
        UD();
    }
    if ((x->cr[4] & X86_CR4_TSD) && cpl > 0) {
        GP0();
    }
    set_edx_eax(x, x86_read_tsc(x));
    if (which == 1) {
        x->regs[R_ECX] = (uint32_t)x->tsc_aux;
    }
}

uint64_t x86_helper_rdpid(X86CPU *x)
{
    uintptr_t ra = TCG_GETPC();
    if (!x86_has_feature(x, FEAT_7_0_ECX, CPUID_7_0_ECX_RDPID)) {
        UD();
    }
    return x->tsc_aux;
}

void x86_helper_xgetbv(X86CPU *x)
{
    uintptr_t ra = TCG_GETPC();
    uint32_t ecx = (uint32_t)x->regs[R_ECX];
    if (!(x->cr[4] & X86_CR4_OSXSAVE)) {
        UD();
    }
    if (ecx == 1 && x86_has_feature(x, FEAT_XSAVE_1_EAX, CPUID_XSAVE_XGETBV1)) {
        set_edx_eax(x, x->xcr0 & x86_xinuse(x));
        return;
    }
    if (ecx != 0) {
        GP0();
    }
    set_edx_eax(x, x->xcr0);
}

void x86_helper_xsetbv(X86CPU *x)
{
    uintptr_t ra = TCG_GETPC();
    if (!(x->cr[4] & X86_CR4_OSXSAVE)) {
        UD();
    }
    uint64_t v = (x->regs[R_EDX] << 32) | (uint32_t)x->regs[R_EAX];
    if (x86_cpu_cpl(x) != 0 || (uint32_t)x->regs[R_ECX] != 0 || !x86_xcr0_valid(x, v)) {
        GP0();
    }
    x->xcr0 = v;
    x86_update_hflags(x);       /* HF_AVX */
}

/* ---- HLT, interrupt shadow, FS/GS bases ------------------------------------------------------------ */

void x86_helper_hlt(X86CPU *x)
{
    uintptr_t ra = TCG_GETPC();
    need_cpl0(x, ra);
    x->hflags &= ~HF_INHIBIT_IRQ;
    cpu_halt_and_exit(&x->parent);
}

void x86_helper_sti(X86CPU *x)
{
    if (!(x->eflags & X86_EFLAGS_IF)) {
        x->eflags |= X86_EFLAGS_IF;
        x->hflags |= HF_INHIBIT_IRQ;        /* SDM 3A 6.8.3: one instruction */
    }
}

void x86_helper_reset_inhibit_irq(X86CPU *x)
{
    x->hflags &= ~HF_INHIBIT_IRQ;
}

void x86_helper_swapgs(X86CPU *x)
{
    uintptr_t ra = TCG_GETPC();
    if (!(x->hflags & HF_CS64)) {
        UD();
    }
    need_cpl0(x, ra);
    uint64_t t = x->segs[R_GS].base;
    x->segs[R_GS].base = x->kernel_gs_base;
    x->kernel_gs_base = t;
}

void x86_helper_wrfsgsbase(X86CPU *x, uint32_t seg, uint64_t base)
{
    uintptr_t ra = TCG_GETPC();
    if (!x86_is_canonical(x, base) || (seg != R_FS && seg != R_GS)) {
        GP0();
    }
    x->segs[seg].base = base;
}
