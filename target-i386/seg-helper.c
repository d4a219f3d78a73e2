/* x86 segmentation (Intel SDM vol. 3A ch. 3 and 5): descriptor-table reads, segment loads
 * with type/privilege/presence checks (MOV Sreg, POP Sreg, LxS: 5.6-5.8, and the MOV/POP SS
 * interrupt shadow 6.8.3), LLDT/LTR, LAR/LSL/VERR/VERW/ARPL, and the implicit supervisor
 * accesses and stack operations that far transfers and interrupt delivery use. */
#include "target-i386/cpu.h"
#include "target-i386/helper-sys.h"
#include "target-i386/sys-internal.h"

/* ---- implicit supervisor accesses --------------------------------------------------------- */

static uint64_t sys_addr(X86CPU *x, uint64_t lin)
{
    return (x->hflags & HF_LMA) ? lin : (uint32_t)lin;
}

uint32_t x86_sys_ldub(X86CPU *x, uint64_t lin, uintptr_t ra)
{
    return (uint32_t)cpu_ld_mmu(&x->parent, sys_addr(x, lin), MO_UB, X86_MMU_KNOSMAP, ra);
}

uint32_t x86_sys_lduw(X86CPU *x, uint64_t lin, uintptr_t ra)
{
    return (uint32_t)cpu_ld_mmu(&x->parent, sys_addr(x, lin), MO_LEUW, X86_MMU_KNOSMAP, ra);
}

uint32_t x86_sys_ldl(X86CPU *x, uint64_t lin, uintptr_t ra)
{
    return (uint32_t)cpu_ld_mmu(&x->parent, sys_addr(x, lin), MO_LEUL, X86_MMU_KNOSMAP, ra);
}

uint64_t x86_sys_ldq(X86CPU *x, uint64_t lin, uintptr_t ra)
{
    return cpu_ld_mmu(&x->parent, sys_addr(x, lin), MO_LEUQ, X86_MMU_KNOSMAP, ra);
}

void x86_sys_stw(X86CPU *x, uint64_t lin, uint32_t v, uintptr_t ra)
{
    cpu_st_mmu(&x->parent, sys_addr(x, lin), v, MO_LEUW, X86_MMU_KNOSMAP, ra);
}

void x86_sys_stl(X86CPU *x, uint64_t lin, uint32_t v, uintptr_t ra)
{
    cpu_st_mmu(&x->parent, sys_addr(x, lin), v, MO_LEUL, X86_MMU_KNOSMAP, ra);
}

/* ---- stacks ---------------------------------------------------------------------------------- */

static MemOp size_memop(unsigned bytes)
{
    return bytes == 8 ? MO_LEUQ : bytes == 4 ? MO_LEUL : MO_LEUW;
}

static uint64_t stack_addr(X86CPU *x, const X86Stack *st)
{
    uint64_t a = st->base + (st->sp & st->mask);
    return st->mask == ~0ull ? a : (uint32_t)a;
}

/* SDM 3A 5.3 (limit checking, expand-down segments) and 3.3.7.1 (canonical stack
 * addresses): #SS(err) when the bytes at st->sp leave the stack segment. */
static void stack_check(X86CPU *x, const X86Stack *st, unsigned bytes, uintptr_t ra)
{
    uint64_t first = st->sp, last = st->sp + bytes - 1;
    bool bad;
    if (st->mask == ~0ull) {
        bad = !x86_is_canonical(x, first) || !x86_is_canonical(x, last);
    } else if (!st->checked) {
        return;
    } else {
        bad = !x86_limit_ok(st->limit, st->expand_down, st->mask, first, bytes);
    }
    if (bad) {
        x86_fault(x, EXCP0C_STACK, st->err, ra);
    }
}

void x86_stack_push(X86CPU *x, X86Stack *st, unsigned bytes, uint64_t v, uintptr_t ra)
{
    st->sp = (st->sp - bytes) & st->mask;
    stack_check(x, st, bytes, ra);
    cpu_st_mmu(&x->parent, stack_addr(x, st), v, size_memop(bytes), st->mmu_idx, ra);
}

uint64_t x86_stack_pop(X86CPU *x, X86Stack *st, unsigned bytes, uintptr_t ra)
{
    stack_check(x, st, bytes, ra);
    uint64_t v = cpu_ld_mmu(&x->parent, stack_addr(x, st), size_memop(bytes), st->mmu_idx, ra);
    st->sp = (st->sp + bytes) & st->mask;
    return v;
}

X86Stack x86_cur_stack(X86CPU *x)
{
    X86Stack st = { .base = x->segs[R_SS].base, .sp = x->regs[R_ESP],
                    .mmu_idx = x86_mmu_index(x->hflags) };
    if (x->hflags & HF_CS64) {
        st.base = 0;
        st.mask = ~0ull;
    } else {
        st.mask = (x->hflags & HF_SS32) ? 0xffffffffu : 0xffff;
    }
    st.sp &= st.mask;
    st.checked = (x->cr[0] & X86_CR0_PE) && !(x->eflags & X86_EFLAGS_VM);
    st.expand_down = (x->segs[R_SS].flags & (X86_SEG_CODE | X86_SEG_EC)) == X86_SEG_EC;
    st.limit = x->segs[R_SS].limit;
    return st;
}

X86Stack x86_new_stack(const X86Desc *ssd, uint64_t sp, int err)
{
    X86Stack st = { .base = desc_base(ssd), .mmu_idx = X86_MMU_KNOSMAP, .checked = true,
                    .mask = (ssd->e2 & X86_SEG_DB) ? 0xffffffffu : 0xffff,
                    .expand_down = (ssd->e2 & X86_SEG_EC) != 0, .limit = desc_limit(ssd),
                    .err = err };
    st.sp = sp & st.mask;
    return st;
}

void x86_set_sp(X86CPU *x, const X86Stack *st)
{
    if (st->mask == 0xffff) {
        x->regs[R_ESP] = (x->regs[R_ESP] & ~0xffffull) | (st->sp & 0xffff);
    } else {
        x->regs[R_ESP] = st->sp & st->mask;
    }
}

/* ---- data-segment limits (HF_SEGLIM) -------------------------------------------------------- */

bool x86_seg_access_ok(X86CPU *x, int seg, uint64_t off, unsigned size)
{
    const X86Segment *s = &x->segs[seg];
    uint32_t f = s->flags;
    if (!(f & X86_SEG_P)) {
        return true;                /* null segments are not checked */
    }
    return x86_limit_ok(s->limit, x86_seg_expand_down(f), (f & X86_SEG_DB) ? 0xffffffffu : 0xffff,
                        off, size);
}

void x86_helper_seg_check(X86CPU *x, uint64_t off, uint32_t desc)
{
    int seg = desc & 7;
    if (!x86_seg_access_ok(x, seg, off, (desc >> 3) + 1)) {
        x86_fault(x, seg == R_SS ? EXCP0C_STACK : EXCP0D_GPF, 0, TCG_GETPC());
    }
}

/* ---- descriptors ------------------------------------------------------------------------------ */

static bool table_of(X86CPU *x, uint16_t selector, uint64_t *base, uint32_t *limit)
{
    if (selector & 4) {
        if (!(x->ldtr.flags & X86_SEG_P) || !(x->ldtr.selector & 0xfffc)) {
            return false;
        }
        *base = x->ldtr.base;
        *limit = x->ldtr.limit;
    } else {
        *base = x->gdtr.base;
        *limit = x->gdtr.limit;
    }
    return true;
}

bool x86_load_desc(X86CPU *x, uint16_t selector, X86Desc *d, uintptr_t ra)
{
    uint64_t base;
    uint32_t limit, index = selector & ~7u;
    if (!table_of(x, selector, &base, &limit) || index + 7 > limit) {
        return false;
    }
    d->e1 = x86_sys_ldl(x, base + index, ra);
    d->e2 = x86_sys_ldl(x, base + index + 4, ra);
    d->e3 = d->e4 = 0;
    return true;
}

bool x86_load_desc16(X86CPU *x, uint16_t selector, X86Desc *d, uintptr_t ra)
{
    uint64_t base;
    uint32_t limit, index = selector & ~7u;
    if (!table_of(x, selector, &base, &limit) || index + 15 > limit) {
        return false;
    }
    d->e1 = x86_sys_ldl(x, base + index, ra);
    d->e2 = x86_sys_ldl(x, base + index + 4, ra);
    d->e3 = x86_sys_ldl(x, base + index + 8, ra);
    d->e4 = x86_sys_ldl(x, base + index + 12, ra);
    return true;
}

void x86_set_desc_accessed(X86CPU *x, uint16_t selector, X86Desc *d, uintptr_t ra)
{
    uint64_t base;
    uint32_t limit;
    if (!(d->e2 & X86_SEG_A) && table_of(x, selector, &base, &limit)) {
        d->e2 |= X86_SEG_A;
        x86_sys_stl(x, base + (selector & ~7u) + 4, d->e2, ra);
    }
}

void x86_load_seg_desc(X86CPU *x, int seg, uint16_t selector, const X86Desc *d)
{
    x86_cpu_load_seg_cache(x, seg, selector, desc_base(d), desc_limit(d), desc_flags(d));
}

bool x86_is_canonical(X86CPU *x, uint64_t addr)
{
    int bits = (x->cr[4] & X86_CR4_LA57) ? 57 : 48;
    int64_t s = (int64_t)(addr << (64 - bits)) >> (64 - bits);
    return (uint64_t)s == addr;
}

/* ---- segment loads (SDM 3A 5.5-5.8; MOV instruction pseudo-code) -------------------------------- */

static void load_null_seg(X86CPU *x, int seg, uint16_t selector, uintptr_t ra)
{
    unsigned cpl = x86_cpu_cpl(x);
    if (seg == R_SS) {
        if (!(x->hflags & HF_CS64) || cpl == 3 || (selector & 3) != cpl) {
            x86_fault(x, EXCP0D_GPF, 0, ra);
        }
        /* 64-bit mode: a null SS keeps DPL = CPL in its cache (CPL is read from SS) */
        x86_cpu_load_seg_cache(x, R_SS, selector, 0, 0xffffffff,
                               X86_SEG_P | X86_SEG_S | X86_SEG_RW | X86_SEG_DB |
                               (cpl << X86_SEG_DPL_SHIFT));
        return;
    }
    x86_cpu_load_seg_cache(x, seg, selector, 0, 0, 0);
}

void x86_load_seg_checked(X86CPU *x, int seg, uint16_t selector, uintptr_t ra)
{
    X86Desc d;
    unsigned cpl = x86_cpu_cpl(x), rpl = selector & 3;
    uint32_t err = selector & 0xfffc;

    if (!err) {
        load_null_seg(x, seg, selector, ra);
        return;
    }
    if (!x86_load_desc(x, selector, &d, ra) || !(d.e2 & X86_SEG_S)) {
        x86_fault(x, EXCP0D_GPF, err, ra);
    }
    unsigned dpl = desc_dpl(d.e2);
    bool code = d.e2 & X86_SEG_CODE;
    if (seg == R_SS) {
        if (rpl != cpl || dpl != cpl || code || !(d.e2 & X86_SEG_RW)) {
            x86_fault(x, EXCP0D_GPF, err, ra);
        }
        if (!(d.e2 & X86_SEG_P)) {
            x86_fault(x, EXCP0C_STACK, err, ra);
        }
    } else {
        if (code && !(d.e2 & X86_SEG_RW)) {
            x86_fault(x, EXCP0D_GPF, err, ra);
        }
        if ((!code || !(d.e2 & X86_SEG_EC)) && (dpl < cpl || dpl < rpl)) {
            x86_fault(x, EXCP0D_GPF, err, ra);
        }
        if (!(d.e2 & X86_SEG_P)) {
            x86_fault(x, EXCP0B_NOSEG, err, ra);
        }
    }
    x86_set_desc_accessed(x, selector, &d, ra);
    x86_load_seg_desc(x, seg, selector, &d);
}

/* Real mode keeps limit and attributes (so "unreal" limits survive); v86 sets them. */
static void load_seg_real_or_v86(X86CPU *x, int seg, uint16_t selector)
{
    if (x->eflags & X86_EFLAGS_VM) {
        uint32_t flags = X86_SEG_P | X86_SEG_S | X86_SEG_RW | X86_SEG_A |
                         (3u << X86_SEG_DPL_SHIFT) | (seg == R_CS ? X86_SEG_CODE : 0);
        x86_cpu_load_seg_cache(x, seg, selector, (uint64_t)selector << 4, 0xffff, flags);
    } else {
        x86_cpu_load_real_mode_segment(x, seg, selector);
    }
}

void x86_load_seg_any(X86CPU *x, int seg, uint16_t selector, uintptr_t ra)
{
    if (!(x->cr[0] & X86_CR0_PE) || (x->eflags & X86_EFLAGS_VM)) {
        load_seg_real_or_v86(x, seg, selector);
    } else {
        x86_load_seg_checked(x, seg, selector, ra);
    }
}

void x86_helper_load_seg(X86CPU *x, uint32_t seg, uint32_t selector)
{
    uintptr_t ra = TCG_GETPC();
    if (seg >= X86_NR_SEGS || seg == R_CS) {
        x86_fault(x, EXCP06_ILLOP, -1, ra);
    }
    x86_load_seg_any(x, (int)seg, (uint16_t)selector, ra);
    if (seg == R_SS) {
        x->hflags |= HF_INHIBIT_IRQ;    /* MOV SS / POP SS shadow (SDM 3A 6.8.3) */
    }
}

void x86_validate_data_segs(X86CPU *x, unsigned cpl)
{
    static const int segs[4] = { R_ES, R_DS, R_FS, R_GS };
    for (int i = 0; i < 4; i++) {
        X86Segment *s = &x->segs[segs[i]];
        bool conforming_code = (s->flags & X86_SEG_CODE) && (s->flags & X86_SEG_EC);
        unsigned dpl = (s->flags & X86_SEG_DPL) >> X86_SEG_DPL_SHIFT;
        if ((s->selector & 0xfffc) && !conforming_code && dpl < cpl) {
            x86_cpu_load_seg_cache(x, segs[i], 0, 0, 0, 0);
        }
    }
}

/* ---- LLDT / LTR (SDM 3A 2.6, 7.2.4) ------------------------------------------------------------- */

static void check_cpl0_pm(X86CPU *x, uintptr_t ra)
{
    if (!(x->cr[0] & X86_CR0_PE) || (x->eflags & X86_EFLAGS_VM)) {
        x86_fault(x, EXCP06_ILLOP, -1, ra);
    }
    if (x86_cpu_cpl(x) != 0) {
        x86_fault(x, EXCP0D_GPF, 0, ra);
    }
}

/* A system descriptor of the GDT (8 or 16 bytes in IA-32e mode) for LLDT / LTR. */
static void load_system_desc(X86CPU *x, uint16_t selector, X86Desc *d, uintptr_t ra)
{
    bool ok = (selector & 4) == 0 &&
              ((x->hflags & HF_LMA) ? x86_load_desc16(x, selector, d, ra)
                                    : x86_load_desc(x, selector, d, ra));
    if (!ok || (d->e2 & X86_SEG_S)) {
        x86_fault(x, EXCP0D_GPF, selector & 0xfffc, ra);
    }
}

void x86_helper_lldt(X86CPU *x, uint32_t selector)
{
    uintptr_t ra = TCG_GETPC();
    X86Desc d;
    check_cpl0_pm(x, ra);
    selector &= 0xffff;
    if (!(selector & 0xfffc)) {
        x->ldtr = (X86Segment){ .selector = (uint16_t)selector };
        return;
    }
    load_system_desc(x, (uint16_t)selector, &d, ra);
    if (((d.e2 >> 8) & 0xf) != 2) {
        x86_fault(x, EXCP0D_GPF, selector & 0xfffc, ra);
    }
    if (!(d.e2 & X86_SEG_P)) {
        x86_fault(x, EXCP0B_NOSEG, selector & 0xfffc, ra);
    }
    x->ldtr = (X86Segment){ .selector = (uint16_t)selector,
                            .base = desc_base(&d) | ((uint64_t)d.e3 << 32),
                            .limit = desc_limit(&d), .flags = desc_flags(&d) };
}

void x86_helper_ltr(X86CPU *x, uint32_t selector)
{
    uintptr_t ra = TCG_GETPC();
    X86Desc d;
    check_cpl0_pm(x, ra);
    selector &= 0xffff;
    if (!(selector & 0xfffc)) {
        x86_fault(x, EXCP0D_GPF, 0, ra);
    }
    load_system_desc(x, (uint16_t)selector, &d, ra);
    unsigned type = (d.e2 >> 8) & 0xf;
    if ((x->hflags & HF_LMA) ? type != 9 : (type != 1 && type != 9)) {
        x86_fault(x, EXCP0D_GPF, selector & 0xfffc, ra);
    }
    if (!(d.e2 & X86_SEG_P)) {
        x86_fault(x, EXCP0B_NOSEG, selector & 0xfffc, ra);
    }
    d.e2 |= 2u << 8;                        /* busy */
    x86_sys_stl(x, x->gdtr.base + (selector & ~7u) + 4, d.e2, ra);
    x->tr = (X86Segment){ .selector = (uint16_t)selector,
                          .base = desc_base(&d) | ((uint64_t)d.e3 << 32),
                          .limit = desc_limit(&d), .flags = desc_flags(&d) };
}

/* ---- LAR / LSL / VERR / VERW / ARPL (SDM 2A/2B) ---------------------------------------------------- */

static void set_zf(X86CPU *x, bool zf)
{
    uint64_t f = x86_cc_compute_all(x->cc_op, x->cc_dst, x->cc_src, x->cc_src2);
    x->cc_src = (f & ~(uint64_t)X86_EFLAGS_ZF) | (zf ? X86_EFLAGS_ZF : 0);
    x->cc_op = X86_CC_OP_EFLAGS;
}

/* The descriptor if it is visible at CPL/RPL for LAR/LSL/VERx; system types per mask. */
static bool probe_desc(X86CPU *x, uint32_t selector, uint32_t sys_types, X86Desc *d,
                       uintptr_t ra)
{
    uint16_t sel = (uint16_t)selector;
    if (!(x->cr[0] & X86_CR0_PE) || (x->eflags & X86_EFLAGS_VM)) {
        x86_fault(x, EXCP06_ILLOP, -1, ra);
    }
    if (!(sel & 0xfffc) || !x86_load_desc(x, sel, d, ra)) {
        return false;
    }
    unsigned dpl = desc_dpl(d->e2), cpl = x86_cpu_cpl(x), rpl = sel & 3;
    if (d->e2 & X86_SEG_S) {
        bool conforming = (d->e2 & X86_SEG_CODE) && (d->e2 & X86_SEG_EC);
        return conforming || (dpl >= cpl && dpl >= rpl);
    }
    return (sys_types >> ((d->e2 >> 8) & 0xf) & 1) && dpl >= cpl && dpl >= rpl;
}

/* System types LAR accepts: LDT, TSS (available/busy, 16/32), call/task gates. */
static uint32_t lar_types(X86CPU *x)
{
    return (x->hflags & HF_LMA) ? (1u << 2 | 1u << 9 | 1u << 11 | 1u << 12)
                                : 0x1a3eu;  /* 1 2 3 4 5 9 11 12 */
}

uint64_t x86_helper_lar(X86CPU *x, uint32_t selector)
{
    X86Desc d;
    bool ok = probe_desc(x, selector, lar_types(x), &d, TCG_GETPC());
    set_zf(x, ok);
    return ok ? (d.e2 & 0x00f0ff00u) : 0;
}

uint64_t x86_helper_lsl(X86CPU *x, uint32_t selector)
{
    X86Desc d;
    uint32_t types = (x->hflags & HF_LMA) ? (1u << 2 | 1u << 9 | 1u << 11)
                                          : (1u << 1 | 1u << 2 | 1u << 3 | 1u << 9 | 1u << 11);
    bool ok = probe_desc(x, selector, types, &d, TCG_GETPC());
    set_zf(x, ok);
    return ok ? desc_limit(&d) : 0;
}

void x86_helper_verr(X86CPU *x, uint32_t selector)
{
    X86Desc d;
    bool ok = probe_desc(x, selector, 0, &d, TCG_GETPC()) && (d.e2 & X86_SEG_S) &&
              (!(d.e2 & X86_SEG_CODE) || (d.e2 & X86_SEG_RW));
    set_zf(x, ok);
}

void x86_helper_verw(X86CPU *x, uint32_t selector)
{
    X86Desc d;
    bool ok = probe_desc(x, selector, 0, &d, TCG_GETPC()) && (d.e2 & X86_SEG_S) &&
              !(d.e2 & X86_SEG_CODE) && (d.e2 & X86_SEG_RW);
    set_zf(x, ok);
}

uint32_t x86_helper_arpl(X86CPU *x, uint32_t dst, uint32_t src)
{
    bool adjust = (dst & 3) < (src & 3);
    set_zf(x, adjust);
    return adjust ? ((dst & ~3u) | (src & 3)) : dst;
}
