/* x86 hardware task switching (Intel SDM vol. 3A ch. 7): TSS layouts (16-bit, 32-bit and the
 * 64-bit stack table), the switch through JMP/CALL/INT/IRET with busy bits, back link and
 * NT (7.3, 7.4), CR3/LDT reload, #TS checks on the new task's segments, the T-bit trap, and
 * the privilege-level stacks that interrupts and call gates take from the TSS. */
#include "target-i386/cpu.h"
#include "target-i386/helper-sys.h"
#include "target-i386/sys-internal.h"

#define TS(sel) x86_fault(x, EXCP0A_TSS, (sel) & 0xfffc, ra)

static bool tss_is32(const X86Segment *tr)
{
    return (tr->flags >> 8) & 8;
}

void x86_tss_stack(X86CPU *x, unsigned dpl, uint16_t *ss, uint64_t *sp, uintptr_t ra)
{
    if (!(x->tr.flags & X86_SEG_P)) {
        x86_fault(x, EXCP0A_TSS, x->tr.selector & 0xfffc, ra);
    }
    unsigned shift = tss_is32(&x->tr) ? 1 : 0;
    uint32_t index = (dpl * 4 + 2) << shift;
    if (index + (4u << shift) - 1 > x->tr.limit) {
        x86_fault(x, EXCP0A_TSS, x->tr.selector & 0xfffc, ra);
    }
    if (shift) {
        *sp = x86_sys_ldl(x, x->tr.base + index, ra);
        *ss = (uint16_t)x86_sys_lduw(x, x->tr.base + index + 4, ra);
    } else {
        *sp = x86_sys_lduw(x, x->tr.base + index, ra);
        *ss = (uint16_t)x86_sys_lduw(x, x->tr.base + index + 2, ra);
    }
}

/* RSP0-2 (n = 0..2) or IST1-7 (n = 4..10) of the 64-bit TSS. */
uint64_t x86_tss64_stack(X86CPU *x, unsigned n, uintptr_t ra)
{
    uint32_t index = n * 8 + 4;
    if (!(x->tr.flags & X86_SEG_P) || index + 7 > x->tr.limit) {
        x86_fault(x, EXCP0A_TSS, x->tr.selector & 0xfffc, ra);
    }
    return x86_sys_ldq(x, x->tr.base + index, ra);
}

/* The state a TSS holds. */
typedef struct TaskState {
    uint32_t cr3, eip, eflags, regs[8];
    uint16_t segs[X86_NR_SEGS], ldt, trap;
} TaskState;

static const int tss16_segs[4] = { R_ES, R_CS, R_SS, R_DS };

static void read_tss(X86CPU *x, uint64_t b, bool is32, TaskState *t, uintptr_t ra)
{
    *t = (TaskState){ 0 };
    if (is32) {
        t->cr3 = x86_sys_ldl(x, b + 0x1c, ra);
        t->eip = x86_sys_ldl(x, b + 0x20, ra);
        t->eflags = x86_sys_ldl(x, b + 0x24, ra);
        for (int i = 0; i < 8; i++) {
            t->regs[i] = x86_sys_ldl(x, b + 0x28 + i * 4, ra);
        }
        for (int i = 0; i < X86_NR_SEGS; i++) {
            t->segs[i] = (uint16_t)x86_sys_lduw(x, b + 0x48 + i * 4, ra);
        }
        t->ldt = (uint16_t)x86_sys_lduw(x, b + 0x60, ra);
        t->trap = (uint16_t)x86_sys_lduw(x, b + 0x64, ra) & 1;
        return;
    }
    t->eip = x86_sys_lduw(x, b + 0x0e, ra);
    t->eflags = x86_sys_lduw(x, b + 0x10, ra);
    for (int i = 0; i < 8; i++) {
        t->regs[i] = 0xffff0000u | x86_sys_lduw(x, b + 0x12 + i * 2, ra);
    }
    for (int i = 0; i < 4; i++) {
        t->segs[tss16_segs[i]] = (uint16_t)x86_sys_lduw(x, b + 0x22 + i * 2, ra);
    }
    t->ldt = (uint16_t)x86_sys_lduw(x, b + 0x2a, ra);
}

static void save_tss(X86CPU *x, uint64_t b, bool is32, uint32_t eip, uint32_t eflags,
                     uintptr_t ra)
{
    if (is32) {
        x86_sys_stl(x, b + 0x20, eip, ra);
        x86_sys_stl(x, b + 0x24, eflags, ra);
        for (int i = 0; i < 8; i++) {
            x86_sys_stl(x, b + 0x28 + i * 4, (uint32_t)x->regs[i], ra);
        }
        for (int i = 0; i < X86_NR_SEGS; i++) {
            x86_sys_stw(x, b + 0x48 + i * 4, x->segs[i].selector, ra);
        }
        return;
    }
    x86_sys_stw(x, b + 0x0e, eip, ra);
    x86_sys_stw(x, b + 0x10, eflags, ra);
    for (int i = 0; i < 8; i++) {
        x86_sys_stw(x, b + 0x12 + i * 2, (uint32_t)x->regs[i], ra);
    }
    for (int i = 0; i < 4; i++) {
        x86_sys_stw(x, b + 0x22 + i * 2, x->segs[tss16_segs[i]].selector, ra);
    }
}

static void set_busy(X86CPU *x, uint16_t sel, bool busy, uintptr_t ra)
{
    uint64_t a = x->gdtr.base + (sel & ~7u) + 4;
    uint32_t e2 = x86_sys_ldl(x, a, ra);
    e2 = busy ? (e2 | (2u << 8)) : (e2 & ~(2u << 8));
    x86_sys_stl(x, a, e2, ra);
}

/* The new task's LDT (SDM 7.3 step 12: #TS on a bad one). */
static void load_task_ldt(X86CPU *x, uint16_t sel, uintptr_t ra)
{
    X86Desc d;
    if (!(sel & 0xfffc)) {
        x->ldtr = (X86Segment){ .selector = sel };
        return;
    }
    if ((sel & 4) || !x86_load_desc(x, sel, &d, ra) || (d.e2 & X86_SEG_S) ||
        ((d.e2 >> 8) & 0xf) != 2) {
        TS(sel);
    }
    if (!(d.e2 & X86_SEG_P)) {
        TS(sel);
    }
    x->ldtr = (X86Segment){ .selector = sel, .base = desc_base(&d), .limit = desc_limit(&d),
                            .flags = desc_flags(&d) };
}

/* A segment of the new task, with #TS/#NP/#SS per SDM 7.3 at privilege cpl. */
static void load_task_seg(X86CPU *x, int seg, uint16_t sel, unsigned cpl, uintptr_t ra)
{
    X86Desc d;
    if (!(sel & 0xfffc)) {
        if (seg == R_CS || seg == R_SS) {
            TS(sel);
        }
        x86_cpu_load_seg_cache(x, seg, sel, 0, 0, 0);
        return;
    }
    if (!x86_load_desc(x, sel, &d, ra) || !(d.e2 & X86_SEG_S)) {
        TS(sel);
    }
    unsigned dpl = desc_dpl(d.e2), rpl = sel & 3;
    bool code = d.e2 & X86_SEG_CODE, conforming = code && (d.e2 & X86_SEG_EC);
    bool ok;
    if (seg == R_CS) {
        ok = code && (conforming ? dpl <= rpl : dpl == rpl);
    } else if (seg == R_SS) {
        ok = !code && (d.e2 & X86_SEG_RW) && dpl == cpl && rpl == cpl;
    } else {
        ok = (!code || (d.e2 & X86_SEG_RW)) && (conforming || (dpl >= cpl && dpl >= rpl));
    }
    if (!ok) {
        TS(sel);
    }
    if (!(d.e2 & X86_SEG_P)) {
        x86_fault(x, seg == R_SS ? EXCP0C_STACK : EXCP0B_NOSEG, sel & 0xfffc, ra);
    }
    x86_set_desc_accessed(x, sel, &d, ra);
    x86_load_seg_desc(x, seg, sel, &d);
}

static void load_task_state(X86CPU *x, const TaskState *t, bool is32, uintptr_t ra)
{
    static const int data_segs[4] = { R_ES, R_DS, R_FS, R_GS };
    if (is32 && (x->cr[0] & X86_CR0_PG)) {
        x86_write_cr3(x, t->cr3);
    }
    for (int i = 0; i < 8; i++) {
        x->regs[i] = t->regs[i];
    }
    x->rip = t->eip;
    x86_cpu_set_eflags(x, t->eflags | X86_EFLAGS_FIXED);
    /* selectors first, so that a #TS below is delivered in the new task's context */
    for (int i = 0; i < X86_NR_SEGS; i++) {
        x->segs[i].selector = t->segs[i];
    }
    load_task_ldt(x, t->ldt, ra);
    if (t->eflags & X86_EFLAGS_VM) {
        for (int i = 0; i < X86_NR_SEGS; i++) {
            x86_load_seg_any(x, i, t->segs[i], ra);
        }
        return;
    }
    unsigned cpl = t->segs[R_CS] & 3;
    load_task_seg(x, R_CS, t->segs[R_CS], cpl, ra);
    load_task_seg(x, R_SS, t->segs[R_SS], cpl, ra);
    for (int i = 0; i < 4; i++) {
        load_task_seg(x, data_segs[i], t->segs[data_segs[i]], cpl, ra);
    }
}

void x86_task_switch(X86CPU *x, uint16_t sel, const X86Desc *nd, int source,
                     uint64_t next_eip, uintptr_t ra)
{
    TaskState t;
    bool is32 = (nd->e2 >> 8) & 8;
    uint64_t new_base = desc_base(nd);
    uint32_t new_limit = desc_limit(nd);

    if (!(nd->e2 & X86_SEG_P)) {
        x86_fault(x, EXCP0B_NOSEG, sel & 0xfffc, ra);
    }
    if (new_limit < (is32 ? 0x67u : 0x2bu)) {
        TS(sel);
    }
    if (!(x->tr.flags & X86_SEG_P) || (x->tr.limit < (tss_is32(&x->tr) ? 0x5fu : 0x29u))) {
        x86_fault(x, EXCP0A_TSS, x->tr.selector & 0xfffc, ra);
    }
    read_tss(x, new_base, is32, &t, ra);
    uint32_t old_flags = (uint32_t)x86_cpu_get_eflags(x);
    if (source == X86_TS_JMP || source == X86_TS_IRET) {
        set_busy(x, x->tr.selector, false, ra);
    }
    if (source == X86_TS_IRET) {
        old_flags &= ~X86_EFLAGS_NT;
    }
    save_tss(x, x->tr.base, tss_is32(&x->tr), (uint32_t)next_eip, old_flags, ra);
    if (source == X86_TS_CALL || source == X86_TS_INT) {
        x86_sys_stw(x, new_base, x->tr.selector, ra);
        t.eflags |= X86_EFLAGS_NT;
    }
    if (source != X86_TS_IRET) {
        set_busy(x, sel, true, ra);
    }
    x->tr = (X86Segment){ .selector = sel, .base = new_base, .limit = new_limit,
                          .flags = desc_flags(nd) | (2u << 8) };
    x->cr[0] |= X86_CR0_TS;
    x->dr[7] &= ~0x55ull;               /* L0-L3: local to the old task (SDM 3A 17.2.4) */
    x86_sync_data_bpts(x);
    load_task_state(x, &t, is32, ra);
    if (t.trap) {
        x->dr[6] |= X86_DR6_BT;
        x86_raise_debug_trap(x, x->rip, 0);
    }
}
