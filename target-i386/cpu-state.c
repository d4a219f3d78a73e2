/* x86 CPU state accessors: the translation flags (hflags) derived from CR0/CR4/EFER/EFLAGS/
 * segment caches/DR7, RFLAGS with its lazily kept arithmetic flags, segment-cache loads,
 * MMU index selection (CPL, SMAP, AC: Intel SDM vol. 3A 4.6) and the A20 gate. */
#include "target-i386/cpu.h"
#include "accel/tcg.h"

/* Does an access through this segment cache need a limit check (present, and not a 4 GiB
 * expand-up segment)? Null segments are not checked. */
static bool seg_limit_matters(const X86Segment *s)
{
    return (s->flags & X86_SEG_P) && (s->limit != 0xffffffffu || x86_seg_expand_down(s->flags));
}

static uint32_t hflags_seglim(const X86CPU *x)
{
    for (int i = 0; i < X86_NR_SEGS; i++) {
        if (seg_limit_matters(&x->segs[i])) {
            return HF_SEGLIM;
        }
    }
    return 0;
}

static uint32_t hflags_mode(const X86CPU *x)
{
    uint32_t hf = 0;
    bool pe = x->cr[0] & X86_CR0_PE;
    bool vm = pe && (x->eflags & X86_EFLAGS_VM);

    hf |= (uint32_t)x86_cpu_cpl(x) & HF_CPL_MASK;
    hf |= pe ? HF_PE : 0;
    hf |= vm ? HF_VM : 0;
    if (x->efer & X86_EFER_LMA) {
        hf |= HF_LMA;
        if (x->segs[R_CS].flags & X86_SEG_L) {
            hf |= HF_CS64;
        }
    }
    if (!(hf & HF_CS64) && pe && !vm) {
        hf |= (x->segs[R_CS].flags & X86_SEG_DB) ? HF_CS32 : 0;
        hf |= (x->segs[R_SS].flags & X86_SEG_DB) ? HF_SS32 : 0;
        hf |= hflags_seglim(x);
    }
    if (hf & HF_CS64) {
        hf |= HF_CS32 | HF_SS32;        /* as QEMU: 32-bit defaults inside 64-bit mode */
    } else if (!(hf & HF_CS32) || (x->segs[R_DS].base | x->segs[R_ES].base |
                                     x->segs[R_SS].base) != 0) {
        hf |= HF_ADDSEG;
    }
    return hf;
}

/* The bits translated code may change without a helper (POPF writes EFLAGS inline): IOPL,
 * TF, RF, and the AC-dependent SMAP_ACTIVE and AC. hf must hold CPL already. */
#define HF_EFLAGS_BITS (HF_IOPL_MASK | HF_TF | HF_RF | HF_SMAP_ACTIVE | HF_AC)

static uint32_t hflags_eflags(const X86CPU *x, uint32_t hf)
{
    uint64_t f = x->eflags;
    bool ac = f & X86_EFLAGS_AC;

    hf &= ~HF_EFLAGS_BITS;
    hf |= (uint32_t)((f & X86_EFLAGS_IOPL) >> X86_EFLAGS_IOPL_SHIFT) << HF_IOPL_SHIFT;
    hf |= (f & X86_EFLAGS_TF) ? HF_TF : 0;
    hf |= (f & X86_EFLAGS_RF) ? HF_RF : 0;
    hf |= ((x->cr[4] & X86_CR4_SMAP) && !ac) ? HF_SMAP_ACTIVE : 0;
    hf |= ((x->cr[0] & X86_CR0_AM) && ac && (hf & HF_CPL_MASK) == 3) ? HF_AC : 0;
    return hf;
}

static uint32_t hflags_control(const X86CPU *x, uint32_t hf)
{
    uint64_t cr0 = x->cr[0], cr4 = x->cr[4];

    hf |= (cr0 & X86_CR0_MP) ? HF_MP : 0;
    hf |= (cr0 & X86_CR0_EM) ? HF_EM : 0;
    hf |= (cr0 & X86_CR0_TS) ? HF_TS : 0;
    hf |= (cr4 & X86_CR4_OSFXSR) ? HF_OSFXSR : 0;
    hf |= (cr4 & X86_CR4_UMIP) ? HF_UMIP : 0;
    hf |= (cr4 & X86_CR4_TSD) ? HF_TSD : 0;
    hf |= (cr4 & X86_CR4_PCE) ? HF_PCE : 0;
    hf |= (cr4 & ((hf & HF_VM) ? X86_CR4_VME : X86_CR4_PVI)) ? HF_VME : 0;
    hf |= (cr4 & X86_CR4_FSGSBASE) ? HF_FSGSBASE : 0;
    hf |= (cr4 & X86_CR4_OSXSAVE) ? HF_OSXSAVE : 0;
    hf |= ((cr4 & X86_CR4_OSXSAVE) && (x->xcr0 & 6) == 6) ? HF_AVX : 0;
    return hflags_eflags(x, hf);
}

/* DR7: L0-3/G0-3 enabling a breakpoint whose R/W field is 00 (instruction execution) or,
 * with CR4.DE, 10 (I/O): the translator then checks each instruction and port access. */
static bool dr7_insn_or_io_bpt(const X86CPU *x)
{
    uint64_t dr7 = x->dr[7];
    for (int i = 0; i < 4; i++) {
        unsigned rw = (dr7 >> (16 + 4 * i)) & 3;
        if (((dr7 >> (2 * i)) & 3) && (rw == 0 || (rw == 2 && (x->cr[4] & X86_CR4_DE)))) {
            return true;
        }
    }
    return false;
}

void x86_update_hflags(X86CPU *x)
{
    uint32_t keep = x->hflags & HF_INHIBIT_IRQ;
    uint32_t hf = hflags_control(x, hflags_mode(x));
    hf |= dr7_insn_or_io_bpt(x) ? HF_BPT : 0;
    x->hflags = hf | keep;
}

void x86_cpu_load_seg_cache(X86CPU *x, int seg, uint16_t selector, uint64_t base,
                            uint32_t limit, uint32_t flags)
{
    X86Segment *s = &x->segs[seg];
    s->selector = selector;
    s->base = base;
    s->limit = limit;
    s->flags = flags;
    x86_update_hflags(x);
}

/* Fallback until the translator's lazy-flag code is linked: only CC_OP_EFLAGS. */
__attribute__((weak)) uint64_t x86_cc_compute_all(uint32_t cc_op, uint64_t dst, uint64_t src,
                                                  uint64_t src2)
{
    return src & X86_EFLAGS_ARITH;
}

uint64_t x86_cpu_get_eflags(const X86CPU *x)
{
    uint64_t f = x->eflags & ~(uint64_t)X86_EFLAGS_ARITH;
    f |= x86_cc_compute_all(x->cc_op, x->cc_dst, x->cc_src, x->cc_src2) & X86_EFLAGS_ARITH;
    return f | X86_EFLAGS_FIXED;
}

void x86_cpu_set_eflags(X86CPU *x, uint64_t eflags)
{
    x->cc_src = eflags & X86_EFLAGS_ARITH;
    x->cc_op = X86_CC_OP_EFLAGS;
    x->eflags = (eflags & ~(uint64_t)X86_EFLAGS_ARITH) | X86_EFLAGS_FIXED;
    x86_update_hflags(x);
}

void x86_cpu_write_eflags(X86CPU *x, uint64_t value, uint64_t mask)
{
    x86_cpu_set_eflags(x, (x86_cpu_get_eflags(x) & ~mask) | (value & mask));
}

/* hflags is kept up to date by every helper that changes its inputs; only the bits that
 * translated code changes inline are refreshed here (a full recomputation cost about 6x
 * more per lookup, which every indirect branch pays). */
void x86_get_tb_cpu_state(CPUState *cpu, uint64_t *pc, uint64_t *cs_base, uint32_t *flags)
{
    X86CPU *x = x86_cpu(cpu);
    x->hflags = hflags_eflags(x, x->hflags);
    *flags = x->hflags;
    *cs_base = x->segs[R_CS].base;
    *pc = *cs_base + x->rip;
    if (!(x->hflags & HF_CS64)) {
        *pc = (uint32_t)*pc;
    }
}

void x86_cpu_set_a20(X86CPU *x, bool enabled)
{
    uint64_t mask = enabled ? ~0ull : ~(1ull << 20);
    if (mask != x->a20_mask) {
        x->a20_mask = mask;
        if (x->parent.accel_state) {
            tlb_flush(&x->parent);      /* from the vCPU thread (port I/O runs there) */
        }
    }
}
