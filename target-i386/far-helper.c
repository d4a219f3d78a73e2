/* x86 far control transfers (Intel SDM vol. 2A/2B pseudo-code of JMP, CALL, RET, IRET; vol.
 * 3A 5.8 privilege checks, call gates 16/32/64-bit with stack switch and parameter copy,
 * task gates and TSS descriptors, returns to outer rings, IRET to v86 (20.2) and nested
 * task return (7.3)). Real and v86 modes use the 8086 semantics. */
#include <inttypes.h>
#include "target-i386/cpu.h"
#include "target-i386/helper-sys.h"
#include "target-i386/sys-internal.h"
#include "util/log.h"

static unsigned ot_bytes(uint32_t ot)
{
    return 1u << ot;        /* MO_16 = 1 -> 2, MO_32 -> 4, MO_64 -> 8 */
}

static bool real_or_v86(X86CPU *x)
{
    return !(x->cr[0] & X86_CR0_PE) || (x->eflags & X86_EFLAGS_VM);
}

#define GP(sel) x86_fault(x, EXCP0D_GPF, (sel) & 0xfffc, ra)
#define NP(sel) x86_fault(x, EXCP0B_NOSEG, (sel) & 0xfffc, ra)

/* Loads CS (real mode / v86 semantics) and EIP, with the 64 KiB limit check. */
static void jump_real(X86CPU *x, uint16_t selector, uint64_t offset, uintptr_t ra)
{
    if (offset > x->segs[R_CS].limit && !(x->eflags & X86_EFLAGS_VM)) {
        x86_fault(x, EXCP0D_GPF, 0, ra);
    }
    x86_load_seg_any(x, R_CS, selector, ra);
    x->rip = (uint32_t)offset;
}

/* A code segment descriptor as a far-transfer target: present code, and in IA-32e mode not
 * L and D together (SDM 3A 5.2.1). The privilege rule is the caller's. */
static void check_code_target(X86CPU *x, uint16_t sel, const X86Desc *d, uintptr_t ra)
{
    if ((d->e2 & (X86_SEG_S | X86_SEG_CODE)) != (X86_SEG_S | X86_SEG_CODE)) {
        GP(sel);
    }
    if ((x->hflags & HF_LMA) && (d->e2 & X86_SEG_L) && (d->e2 & X86_SEG_DB)) {
        GP(sel);
    }
}

static void check_present(X86CPU *x, uint16_t sel, const X86Desc *d, uintptr_t ra)
{
    if (!(d->e2 & X86_SEG_P)) {
        NP(sel);
    }
}

/* Loads CS from a checked descriptor at privilege cpl and sets RIP (limit-checked outside
 * 64-bit code). */
static void enter_code(X86CPU *x, uint16_t sel, X86Desc *d, unsigned cpl, uint64_t offset,
                       uintptr_t ra)
{
    bool code64 = (x->hflags & HF_LMA) && (d->e2 & X86_SEG_L);
    if (!code64 && offset > desc_limit(d)) {
        x86_fault(x, EXCP0D_GPF, 0, ra);
    }
    if (code64 && !x86_is_canonical(x, offset)) {
        x86_fault(x, EXCP0D_GPF, 0, ra);
    }
    x86_set_desc_accessed(x, sel, d, ra);
    x86_load_seg_desc(x, R_CS, (sel & 0xfffc) | cpl, d);
    x->rip = code64 ? offset : (uint32_t)offset;
}

/* The SDM's rule for a direct transfer to a code segment (JMP/CALL, no gate). */
static void check_direct_code(X86CPU *x, uint16_t sel, const X86Desc *d, uintptr_t ra)
{
    unsigned cpl = x86_cpu_cpl(x), dpl = desc_dpl(d->e2);
    check_code_target(x, sel, d, ra);
    if ((d->e2 & X86_SEG_EC) ? dpl > cpl : ((sel & 3) > cpl || dpl != cpl)) {
        GP(sel);
    }
    check_present(x, sel, d, ra);
}

/* Reads a gate's or system descriptor's full form (16 bytes in IA-32e mode). */
static void load_any_desc(X86CPU *x, uint16_t sel, X86Desc *d, uintptr_t ra)
{
    if (!(sel & 0xfffc)) {
        x86_fault(x, EXCP0D_GPF, 0, ra);
    }
    if (!x86_load_desc(x, sel, d, ra)) {
        GP(sel);
    }
    if (!(d->e2 & X86_SEG_S) && (x->hflags & HF_LMA)) {
        if (!x86_load_desc16(x, sel, d, ra) || ((d->e4 >> 8) & 0x1f) != 0 ||
            ((d->e2 >> 8) & 0xf) != 12) {
            GP(sel);
        }
    }
}

/* Task gate or TSS descriptor as a JMP/CALL target: switches tasks. */
static void far_to_task(X86CPU *x, uint16_t sel, X86Desc *d, int source, uint64_t next_eip,
                        uintptr_t ra)
{
    unsigned type = (d->e2 >> 8) & 0xf, cpl = x86_cpu_cpl(x), dpl = desc_dpl(d->e2);
    if (dpl < cpl || dpl < (sel & 3u)) {
        GP(sel);
    }
    check_present(x, sel, d, ra);
    if (type == 5) {
        sel = d->e1 >> 16;
        if ((sel & 4) || !x86_load_desc(x, sel, d, ra)) {
            GP(sel);
        }
        type = (d->e2 >> 8) & 0xf;
        if (type != 1 && type != 9) {
            GP(sel);
        }
        check_present(x, sel, d, ra);
    }
    x86_task_switch(x, sel, d, source, next_eip, ra);
}

/* A call gate's target: selector, offset, target descriptor, checked. */
typedef struct GateTarget {
    uint16_t sel;
    uint64_t offset;
    X86Desc d;
    unsigned params;
    unsigned width;         /* 2, 4 or 8 */
} GateTarget;

static void read_call_gate(X86CPU *x, uint16_t sel, const X86Desc *g, GateTarget *t,
                           uintptr_t ra)
{
    unsigned cpl = x86_cpu_cpl(x), dpl = desc_dpl(g->e2), type = (g->e2 >> 8) & 0xf;
    if (dpl < cpl || dpl < (sel & 3u)) {
        GP(sel);
    }
    check_present(x, sel, g, ra);
    t->sel = g->e1 >> 16;
    t->offset = (g->e2 & 0xffff0000u) | (g->e1 & 0xffff) | ((uint64_t)g->e3 << 32);
    t->width = (x->hflags & HF_LMA) ? 8 : type == 12 ? 4 : 2;
    t->params = (x->hflags & HF_LMA) ? 0 : g->e2 & 0x1f;
    if (t->width == 2) {
        t->offset &= 0xffff;
    }
    if (!(t->sel & 0xfffc)) {
        x86_fault(x, EXCP0D_GPF, 0, ra);
    }
    if (!x86_load_desc(x, t->sel, &t->d, ra)) {
        GP(t->sel);
    }
    check_code_target(x, t->sel, &t->d, ra);
    if (desc_dpl(t->d.e2) > cpl) {
        GP(t->sel);
    }
    if ((x->hflags & HF_LMA) && (!(t->d.e2 & X86_SEG_L) || (t->d.e2 & X86_SEG_DB))) {
        GP(t->sel);
    }
    check_present(x, t->sel, &t->d, ra);
}

/* ---- JMP FAR ----------------------------------------------------------------------------------- */

void x86_helper_ljmp(X86CPU *x, uint32_t selector, uint64_t offset, uint64_t next_eip)
{
    uintptr_t ra = TCG_GETPC();
    uint16_t sel = (uint16_t)selector;
    X86Desc d;

    if (real_or_v86(x)) {
        jump_real(x, sel, offset, ra);
        return;
    }
    load_any_desc(x, sel, &d, ra);
    if (d.e2 & X86_SEG_S) {
        check_direct_code(x, sel, &d, ra);
        enter_code(x, sel, &d, x86_cpu_cpl(x), offset, ra);
        return;
    }
    unsigned type = (d.e2 >> 8) & 0xf;
    if (type == 4 || type == 12) {
        GateTarget t;
        read_call_gate(x, sel, &d, &t, ra);
        unsigned cpl = x86_cpu_cpl(x), tdpl = desc_dpl(t.d.e2);
        if (!(t.d.e2 & X86_SEG_EC) && tdpl != cpl) {
            GP(t.sel);
        }
        enter_code(x, t.sel, &t.d, cpl, t.offset, ra);
    } else if ((type == 1 || type == 9 || type == 5) && !(x->hflags & HF_LMA)) {
        far_to_task(x, sel, &d, X86_TS_JMP, next_eip, ra);
    } else {
        GP(sel);
    }
}

/* ---- CALL FAR ---------------------------------------------------------------------------------- */

/* Through a call gate to a more privileged non-conforming segment: new stack from the
 * TSS, old SS:ESP and the gate's parameters copied (SDM 3A 5.8.5). */
static void call_gate_inner(X86CPU *x, GateTarget *t, uint64_t next_eip, uintptr_t ra)
{
    unsigned dpl = desc_dpl(t->d.e2), w = t->width;
    X86Stack old = x86_cur_stack(x), st;
    uint16_t old_ss = x->segs[R_SS].selector, new_ss;
    uint64_t new_sp;
    X86Desc ssd = { 0 };

    if (w == 8) {
        new_sp = x86_tss64_stack(x, dpl, ra);
        new_ss = dpl;
        st = (X86Stack){ .base = 0, .sp = new_sp, .mask = ~0ull, .mmu_idx = X86_MMU_KNOSMAP };
    } else {
        x86_tss_stack(x, dpl, &new_ss, &new_sp, ra);
        if (!(new_ss & 0xfffc) || (new_ss & 3) != dpl || !x86_load_desc(x, new_ss, &ssd, ra) ||
            desc_dpl(ssd.e2) != dpl ||
            (ssd.e2 & (X86_SEG_S | X86_SEG_CODE | X86_SEG_RW)) != (X86_SEG_S | X86_SEG_RW)) {
            x86_fault(x, EXCP0A_TSS, new_ss & 0xfffc, ra);
        }
        if (!(ssd.e2 & X86_SEG_P)) {
            x86_fault(x, EXCP0C_STACK, new_ss & 0xfffc, ra);
        }
        st = x86_new_stack(&ssd, new_sp, new_ss & 0xfffc);
    }
    x86_stack_push(x, &st, w, old_ss, ra);
    x86_stack_push(x, &st, w, old.sp, ra);
    for (int i = (int)t->params - 1; i >= 0; i--) {
        X86Stack src = old;
        src.sp = (old.sp + (unsigned)i * w) & old.mask;
        x86_stack_push(x, &st, w, x86_stack_pop(x, &src, w, ra), ra);
    }
    x86_stack_push(x, &st, w, x->segs[R_CS].selector, ra);
    x86_stack_push(x, &st, w, next_eip, ra);
    if (w == 8) {
        x86_cpu_load_seg_cache(x, R_SS, new_ss, 0, 0xffffffff,
                               X86_SEG_P | X86_SEG_S | X86_SEG_RW | X86_SEG_DB |
                               (dpl << X86_SEG_DPL_SHIFT));
    } else {
        x86_set_desc_accessed(x, new_ss, &ssd, ra);
        x86_load_seg_desc(x, R_SS, new_ss, &ssd);
    }
    x86_set_sp(x, &st);
    enter_code(x, t->sel, &t->d, dpl, t->offset, ra);
}

static void push_return(X86CPU *x, unsigned w, uint64_t next_eip, uintptr_t ra)
{
    X86Stack st = x86_cur_stack(x);
    x86_stack_push(x, &st, w, x->segs[R_CS].selector, ra);
    x86_stack_push(x, &st, w, next_eip, ra);
    x86_set_sp(x, &st);
}

void x86_helper_lcall(X86CPU *x, uint32_t selector, uint64_t offset, uint32_t ot,
                      uint64_t next_eip)
{
    uintptr_t ra = TCG_GETPC();
    uint16_t sel = (uint16_t)selector;
    X86Desc d;

    if (!real_or_v86(x)) {
        log_category_printf(LOG_PCALL, "lcall %04x:%08" PRIx64 " s=%u\n", sel, offset,
                            ot_bytes(ot) / 4);
    }
    if (real_or_v86(x)) {
        X86Stack st = x86_cur_stack(x);
        x86_stack_push(x, &st, ot_bytes(ot), x->segs[R_CS].selector, ra);
        x86_stack_push(x, &st, ot_bytes(ot), next_eip, ra);
        jump_real(x, sel, offset, ra);
        x86_set_sp(x, &st);
        return;
    }
    load_any_desc(x, sel, &d, ra);
    if (d.e2 & X86_SEG_S) {
        check_direct_code(x, sel, &d, ra);
        X86Stack st = x86_cur_stack(x);
        x86_stack_push(x, &st, ot_bytes(ot), x->segs[R_CS].selector, ra);
        x86_stack_push(x, &st, ot_bytes(ot), next_eip, ra);
        enter_code(x, sel, &d, x86_cpu_cpl(x), offset, ra);
        x86_set_sp(x, &st);
        return;
    }
    unsigned type = (d.e2 >> 8) & 0xf;
    if (type == 4 || type == 12) {
        GateTarget t;
        read_call_gate(x, sel, &d, &t, ra);
        if (!(t.d.e2 & X86_SEG_EC) && desc_dpl(t.d.e2) < (unsigned)x86_cpu_cpl(x)) {
            call_gate_inner(x, &t, next_eip, ra);
        } else {
            push_return(x, t.width, next_eip, ra);
            enter_code(x, t.sel, &t.d, x86_cpu_cpl(x), t.offset, ra);
        }
    } else if ((type == 1 || type == 9 || type == 5) && !(x->hflags & HF_LMA)) {
        far_to_task(x, sel, &d, X86_TS_CALL, next_eip, ra);
    } else {
        GP(sel);
    }
}

/* ---- RET FAR / IRET: the protected-mode return path ----------------------------------------------- */

/* Checks the return CS (RPL >= CPL, SDM RET pseudo-code) and returns its descriptor. */
static void check_return_cs(X86CPU *x, uint16_t cs, X86Desc *d, uintptr_t ra)
{
    unsigned cpl = x86_cpu_cpl(x), rpl = cs & 3;
    if (!(cs & 0xfffc)) {
        x86_fault(x, EXCP0D_GPF, 0, ra);
    }
    if (!x86_load_desc(x, cs, d, ra)) {
        GP(cs);
    }
    check_code_target(x, cs, d, ra);
    unsigned dpl = desc_dpl(d->e2);
    if (rpl < cpl || ((d->e2 & X86_SEG_EC) ? dpl > rpl : dpl != rpl)) {
        GP(cs);
    }
    check_present(x, cs, d, ra);
}

/* The outer SS popped by a return to ring rpl: checked (no state change); false for a
 * null SS, which 64-bit code below ring 3 may use. */
static bool check_return_ss(X86CPU *x, uint16_t ss, unsigned rpl, bool to64, X86Desc *d,
                            uintptr_t ra)
{
    if (!(ss & 0xfffc)) {
        if (!to64 || rpl == 3) {
            x86_fault(x, EXCP0D_GPF, 0, ra);
        }
        return false;
    }
    if ((ss & 3) != rpl || !x86_load_desc(x, ss, d, ra) || desc_dpl(d->e2) != rpl ||
        (d->e2 & (X86_SEG_S | X86_SEG_CODE | X86_SEG_RW)) != (X86_SEG_S | X86_SEG_RW)) {
        GP(ss);
    }
    if (!(d->e2 & X86_SEG_P)) {
        x86_fault(x, EXCP0C_STACK, ss & 0xfffc, ra);
    }
    return true;
}

static void commit_return_ss(X86CPU *x, uint16_t ss, unsigned rpl, bool real, X86Desc *d,
                             uintptr_t ra)
{
    if (!real) {
        x86_cpu_load_seg_cache(x, R_SS, ss, 0, 0xffffffff,
                               X86_SEG_P | X86_SEG_S | X86_SEG_RW | X86_SEG_DB |
                               (rpl << X86_SEG_DPL_SHIFT));
        return;
    }
    x86_set_desc_accessed(x, ss, d, ra);
    x86_load_seg_desc(x, R_SS, ss, d);
}

/* Common tail of RETF and IRET after EIP and CS (and for IRET EFLAGS) were popped. */
static void return_protected(X86CPU *x, X86Stack *st, unsigned w, uint16_t cs,
                             uint64_t eip, uint32_t imm, bool is_iret, uintptr_t ra)
{
    X86Desc d, ssd = { 0 };
    unsigned cpl = x86_cpu_cpl(x), rpl = cs & 3;
    check_return_cs(x, cs, &d, ra);
    bool to64 = (x->hflags & HF_LMA) && (d.e2 & X86_SEG_L);
    st->sp = (st->sp + imm) & st->mask;
    if (rpl == cpl && !(is_iret && (x->hflags & HF_CS64))) {
        enter_code(x, cs, &d, rpl, eip, ra);
        x86_set_sp(x, st);
        return;
    }
    uint64_t new_sp = x86_stack_pop(x, st, w, ra);
    uint16_t new_ss = (uint16_t)x86_stack_pop(x, st, w, ra);
    bool real_ss = check_return_ss(x, new_ss, rpl, to64, &ssd, ra);
    enter_code(x, cs, &d, rpl, eip, ra);
    commit_return_ss(x, new_ss, rpl, real_ss, &ssd, ra);
    X86Stack outer = x86_cur_stack(x);
    outer.sp = (new_sp + imm) & outer.mask;
    x86_set_sp(x, &outer);
    if (w == 8) {
        x->regs[R_ESP] = new_sp + imm;
    }
    if (rpl > cpl) {
        x86_validate_data_segs(x, rpl);
    }
}

void x86_helper_lret(X86CPU *x, uint32_t ot, uint32_t imm16)
{
    uintptr_t ra = TCG_GETPC();
    unsigned w = ot_bytes(ot);
    X86Stack st = x86_cur_stack(x);
    uint64_t eip = x86_stack_pop(x, &st, w, ra);
    uint16_t cs = (uint16_t)x86_stack_pop(x, &st, w, ra);

    if (real_or_v86(x)) {
        jump_real(x, cs, w == 2 ? eip & 0xffff : eip, ra);
        st.sp = (st.sp + imm16) & st.mask;
        x86_set_sp(x, &st);
        return;
    }
    log_category_printf(LOG_PCALL, "lret new %04x:%08" PRIx64 " s=%u addend=0x%x\n", cs, eip,
                        w / 4, imm16);
    return_protected(x, &st, w, cs, eip, imm16, false, ra);
}

/* ---- IRET ------------------------------------------------------------------------------------------ */

/* The EFLAGS bits IRET/POPF may change at privilege cpl with IOPL iopl (SDM IRET, POPF). */
static uint32_t iret_flag_mask(unsigned cpl, unsigned iopl, unsigned w)
{
    uint32_t mask = X86_EFLAGS_ARITH | X86_EFLAGS_TF | X86_EFLAGS_DF | X86_EFLAGS_NT |
                    X86_EFLAGS_RF | X86_EFLAGS_AC | X86_EFLAGS_ID;
    if (cpl == 0) {
        mask |= X86_EFLAGS_IOPL | X86_EFLAGS_VIF | X86_EFLAGS_VIP;
    }
    if (cpl <= iopl) {
        mask |= X86_EFLAGS_IF;
    }
    return w == 2 ? mask & 0xffff : mask;
}

static unsigned cur_iopl(X86CPU *x)
{
    return (x->eflags & X86_EFLAGS_IOPL) >> X86_EFLAGS_IOPL_SHIFT;
}

static void iret_real_or_v86(X86CPU *x, unsigned w, uintptr_t ra)
{
    bool vm = x->eflags & X86_EFLAGS_VM;
    if (vm && cur_iopl(x) < 3) {
        x86_fault(x, EXCP0D_GPF, 0, ra);
    }
    X86Stack st = x86_cur_stack(x);
    uint64_t eip = x86_stack_pop(x, &st, w, ra);
    uint16_t cs = (uint16_t)x86_stack_pop(x, &st, w, ra);
    uint32_t flags = (uint32_t)x86_stack_pop(x, &st, w, ra);
    uint32_t mask = X86_EFLAGS_ARITH | X86_EFLAGS_TF | X86_EFLAGS_DF | X86_EFLAGS_NT |
                    X86_EFLAGS_IF | X86_EFLAGS_RF | X86_EFLAGS_AC | X86_EFLAGS_ID |
                    (vm ? 0 : X86_EFLAGS_IOPL);
    jump_real(x, cs, w == 2 ? eip & 0xffff : eip, ra);
    x86_set_sp(x, &st);
    x86_cpu_write_eflags(x, flags, w == 2 ? mask & 0xffff : mask);
}

/* IRET from ring 0 to virtual-8086 mode (SDM 3A 20.2.1). */
static void iret_to_v86(X86CPU *x, X86Stack *st, uint64_t eip, uint16_t cs, uint32_t flags,
                        uintptr_t ra)
{
    static const int segs[4] = { R_ES, R_DS, R_FS, R_GS };
    uint32_t esp = (uint32_t)x86_stack_pop(x, st, 4, ra);
    uint16_t ss = (uint16_t)x86_stack_pop(x, st, 4, ra);
    uint16_t sel[4];
    for (int i = 0; i < 4; i++) {
        sel[i] = (uint16_t)x86_stack_pop(x, st, 4, ra);
    }
    x86_cpu_set_eflags(x, flags);           /* VM = 1 from here: v86 segment loads */
    x86_load_seg_any(x, R_CS, cs, ra);
    x86_load_seg_any(x, R_SS, ss, ra);
    for (int i = 0; i < 4; i++) {
        x86_load_seg_any(x, segs[i], sel[i], ra);
    }
    x->regs[R_ESP] = esp;
    x->rip = eip & 0xffff;
}

/* IRET with NT set (not in IA-32e mode): back to the task linked in this TSS. */
static void iret_task_return(X86CPU *x, uint64_t next_eip, uintptr_t ra)
{
    X86Desc d;
    uint16_t link = (uint16_t)x86_sys_lduw(x, x->tr.base, ra);
    if ((link & 4) || !x86_load_desc(x, link, &d, ra) ||
        (((d.e2 >> 8) & 0x17) != 3)) {           /* busy 16/32-bit TSS */
        x86_fault(x, EXCP0A_TSS, link & 0xfffc, ra);
    }
    if (!(d.e2 & X86_SEG_P)) {
        x86_fault(x, EXCP0B_NOSEG, link & 0xfffc, ra);
    }
    x86_task_switch(x, link, &d, X86_TS_IRET, next_eip, ra);
}

void x86_helper_iret(X86CPU *x, uint32_t ot, uint64_t next_eip)
{
    uintptr_t ra = TCG_GETPC();
    unsigned w = ot_bytes(ot);

    x->hflags2 &= ~HF2_NMI_MASK;            /* IRET ends NMI blocking (SDM 3A 6.7.1) */
    if (real_or_v86(x)) {
        iret_real_or_v86(x, w, ra);
        return;
    }
    if (x->eflags & X86_EFLAGS_NT) {
        if (x->hflags & HF_LMA) {
            x86_fault(x, EXCP0D_GPF, 0, ra);
        }
        iret_task_return(x, next_eip, ra);
        return;
    }
    unsigned cpl = x86_cpu_cpl(x), iopl = cur_iopl(x);
    X86Stack st = x86_cur_stack(x);
    uint64_t eip = x86_stack_pop(x, &st, w, ra);
    uint16_t cs = (uint16_t)x86_stack_pop(x, &st, w, ra);
    uint32_t flags = (uint32_t)x86_stack_pop(x, &st, w, ra);
    log_category_printf(LOG_PCALL, "lret new %04x:%08" PRIx64 " s=%u addend=0x0 (iret)\n", cs,
                        eip, w / 4);
    if (w == 4 && (flags & X86_EFLAGS_VM) && cpl == 0 && !(x->hflags & HF_LMA)) {
        iret_to_v86(x, &st, eip, cs, flags, ra);
        return;
    }
    return_protected(x, &st, w, cs, eip, 0, true, ra);
    x86_cpu_write_eflags(x, flags, iret_flag_mask(cpl, iopl, w));
}
