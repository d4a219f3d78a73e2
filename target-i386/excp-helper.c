/* x86 exceptions and interrupts: raising (fault vs trap vs software interrupt), the
 * double-fault and triple-fault rules (Intel SDM vol. 3A 6.15, table 6-5), delivery in
 * real mode (IVT), protected mode (interrupt/trap/task gates, 6.12, privilege change and
 * v86 exit, 20.3) and IA-32e mode (16-byte gates, IST, 6.14), external interrupts, NMI,
 * INIT/SIPI (8.4), and the -d int / -d cpu_reset logs in QEMU's layout. */
#include <inttypes.h>
#include <stdatomic.h>
#include <string.h>
#include "target-i386/cpu.h"
#include "target-i386/helper-sys.h"
#include "target-i386/sys-internal.h"
#include "system/runstate.h"
#include "util/log.h"

/* ---- raising ------------------------------------------------------------------------------ */

static bool excp_contributory(int v)
{
    return v == EXCP00_DIVZ || (v >= EXCP0A_TSS && v <= EXCP0D_GPF);
}

static void chain_add(X86CPU *x, int vector, int error_code)
{
    if (x->exc_chain_len < (int)(sizeof(x->exc_chain) / sizeof(x->exc_chain[0]))) {
        x->exc_chain[x->exc_chain_len++] = (X86ExcRecord){
            .vector = vector, .error_code = error_code, .cs = x->segs[R_CS].selector,
            .eip = x->rip, .cr2 = x->cr[2],
        };
    }
}

/* SDM 3A table 6-5: a second exception while delivering the first. */
static int check_double_fault(X86CPU *x, int vector, int *error_code)
{
    int old = x->old_exception;
    if (old < 0) {
        return vector;
    }
    bool second_bad = excp_contributory(vector) || vector == EXCP0E_PAGE;
    log_category_printf(LOG_INT, "check_exception old: 0x%x new 0x%x\n", old, vector);
    if (old == EXCP08_DBLE && second_bad) {
        chain_add(x, vector, *error_code);
        x86_triple_fault(x, "triple fault");
    }
    if ((excp_contributory(old) && excp_contributory(vector)) ||
        (old == EXCP0E_PAGE && second_bad)) {
        chain_add(x, vector, *error_code);
        *error_code = 0;
        return EXCP08_DBLE;
    }
    return vector;
}

void x86_raise_exception_err(CPUState *cpu, int vector, int error_code, uintptr_t retaddr)
{
    X86CPU *x = x86_cpu(cpu);
    vector = check_double_fault(x, vector, &error_code);
    cpu->exception_index = vector;
    x->has_error_code = error_code >= 0;
    x->error_code = error_code >= 0 ? (uint32_t)error_code : 0;
    x->exception_is_int = false;
    x->exception_trap = false;
    cpu_loop_exit_restore(cpu, retaddr);
}

void x86_raise_interrupt(CPUState *cpu, int vector, uint64_t next_eip, uintptr_t retaddr)
{
    X86CPU *x = x86_cpu(cpu);
    cpu->exception_index = vector;
    x->has_error_code = false;
    x->error_code = 0;
    x->exception_is_int = true;
    x->exception_trap = false;
    x->exception_next_eip = next_eip;
    cpu_loop_exit_restore(cpu, retaddr);
}

/* A trap-class #DB (single step, INT1): delivered with next_eip, no DPL check. */
void x86_raise_debug_trap(X86CPU *x, uint64_t next_eip, uintptr_t retaddr)
{
    x->parent.exception_index = EXCP01_DB;
    x->has_error_code = false;
    x->exception_is_int = false;
    x->exception_trap = true;
    x->exception_next_eip = next_eip;
    cpu_loop_exit_restore(&x->parent, retaddr);
}

/* ---- logs ------------------------------------------------------------------------------------ */

static void log_interrupt(X86CPU *x, int vector, bool is_int, int error_code)
{
    static atomic_int count;
    if (!log_enabled(LOG_INT)) {
        return;
    }
    bool wide = x->long_mode;
    log_printf("%6d: v=%02x e=%04x i=%d cpl=%d IP=%04x:%0*" PRIx64 " pc=%0*" PRIx64
               " SP=%04x:%0*" PRIx64, atomic_fetch_add(&count, 1), vector,
               error_code < 0 ? 0 : error_code & 0xffff, is_int, x86_cpu_cpl(x),
               x->segs[R_CS].selector, wide ? 16 : 8, x->rip, wide ? 16 : 8,
               (uint64_t)(uint32_t)(x->segs[R_CS].base + x->rip), x->segs[R_SS].selector,
               wide ? 16 : 8, x->regs[R_ESP]);
    if (vector == EXCP0E_PAGE) {
        log_printf(" CR2=%0*" PRIx64 "\n", wide ? 16 : 8, x->cr[2]);
    } else {
        log_printf(" env->regs[R_EAX]=%0*" PRIx64 "\n", wide ? 16 : 8, x->regs[R_EAX]);
    }
    x->parent.cls->dump_state(&x->parent, log_file());
}

static const char *const excp_names[32] = {
    "#DE", "#DB", "NMI", "#BP", "#OF", "#BR", "#UD", "#NM", "#DF", "#MF", "#TS", "#NP",
    "#SS", "#GP", "#PF", NULL, "#MF", "#AC", "#MC", "#XM", "#VE", "#CP",
};

/* "#PF(0002) at 0008:00100037 CR2=dead0000 -> #GP(0072) -> ...": the chain in one line,
 * for the -no-reboot exit message. */
static void chain_summary(const X86CPU *x, char *buf, size_t size)
{
    size_t n = 0;
    for (int i = 0; i < x->exc_chain_len && n < size; i++) {
        const X86ExcRecord *r = &x->exc_chain[i];
        const char *name = r->vector < 32 && excp_names[r->vector] ? excp_names[r->vector] : "INT";
        n += (size_t)snprintf(buf + n, size - n, "%s%s", i ? " -> " : "", name);
        if (n < size && r->error_code >= 0) {
            n += (size_t)snprintf(buf + n, size - n, "(%04x)", r->error_code & 0xffff);
        }
        if (n < size && i == 0) {
            n += (size_t)snprintf(buf + n, size - n, " at %04x:%08" PRIx64 " CR2=%08" PRIx64,
                                  r->cs, r->eip, r->cr2);
        }
    }
}

/* -d cpu_reset: the exceptions that led to the reset, one line each, then the CPU. */
static void log_chain(const X86CPU *x, const char *why)
{
    int w = x->long_mode ? 16 : 8;
    log_printf("CPU Reset (CPU %d): %s; exception chain (oldest first):\n", x->parent.index, why);
    for (int i = 0; i < x->exc_chain_len; i++) {
        const X86ExcRecord *r = &x->exc_chain[i];
        const char *name = r->vector < 32 && excp_names[r->vector] ? excp_names[r->vector] : "INT";
        log_printf("  %d: v=%02x %-3s e=%04x CS:IP=%04x:%0*" PRIx64 " CR2=%0*" PRIx64 "\n",
                   i + 1, r->vector, name, r->error_code < 0 ? 0 : r->error_code & 0xffff,
                   r->cs, w, r->eip, w, r->cr2);
    }
    x->parent.cls->dump_state((CPUState *)&x->parent, log_file());
}

void x86_triple_fault(X86CPU *x, const char *why)
{
    CPUState *cpu = &x->parent;
    char summary[256];

    if (log_enabled(LOG_CPU_RESET)) {
        log_chain(x, why);
    }
    int n = snprintf(summary, sizeof(summary), "%s on CPU %d: ", why, cpu->index);
    chain_summary(x, summary + n, sizeof(summary) - (size_t)n);
    system_reset_request_reason(SHUTDOWN_CAUSE_GUEST_RESET, summary);
    x->old_exception = -1;
    x->exc_chain_len = 0;
    x->delivering = false;
    cpu->exception_index = -1;
    cpu->halted = true;             /* until the machine reset restarts it */
    cpu_loop_exit(cpu);
}

/* ---- real mode (SDM 3A 20.1.4) ----------------------------------------------------------------- */

static void deliver_real(X86CPU *x, int vector, uint64_t next_eip)
{
    if ((uint32_t)vector * 4 + 3 > x->idtr.limit) {
        x86_fault(x, EXCP0D_GPF, vector * 8 + 2, 0);
    }
    uint64_t entry = x->idtr.base + vector * 4;
    uint32_t offset = x86_sys_lduw(x, entry, 0);
    uint32_t selector = x86_sys_lduw(x, entry + 2, 0);
    X86Stack st = x86_cur_stack(x);
    x86_stack_push(x, &st, 2, x86_cpu_get_eflags(x), 0);
    x86_stack_push(x, &st, 2, x->segs[R_CS].selector, 0);
    x86_stack_push(x, &st, 2, next_eip, 0);
    x86_set_sp(x, &st);
    x86_cpu_load_real_mode_segment(x, R_CS, (uint16_t)selector);
    x->rip = offset;
    x86_cpu_write_eflags(x, 0, X86_EFLAGS_IF | X86_EFLAGS_TF | X86_EFLAGS_AC |
                         X86_EFLAGS_RF);
}

/* ---- protected mode (SDM 3A 6.12) ----------------------------------------------------------- */

typedef struct Gate {
    X86Desc d;
    uint16_t selector;
    uint64_t offset;
    unsigned type;
} Gate;

static void read_gate(X86CPU *x, int vector, int ext, bool is_int, Gate *g)
{
    unsigned esize = (x->hflags & HF_LMA) ? 16 : 8;
    int err = vector * 8 + 2 + ext;

    if ((uint32_t)vector * esize + esize - 1 > x->idtr.limit) {
        x86_fault(x, EXCP0D_GPF, err, 0);
    }
    uint64_t a = x->idtr.base + (uint64_t)vector * esize;
    g->d.e1 = x86_sys_ldl(x, a, 0);
    g->d.e2 = x86_sys_ldl(x, a + 4, 0);
    g->d.e3 = esize == 16 ? x86_sys_ldl(x, a + 8, 0) : 0;
    g->type = (g->d.e2 >> 8) & 0x1f;
    bool ok = esize == 16 ? (g->type == 0xe || g->type == 0xf)
                          : (g->type == 5 || g->type == 6 || g->type == 7 ||
                             g->type == 0xe || g->type == 0xf);
    if (!ok || (is_int && desc_dpl(g->d.e2) < (unsigned)x86_cpu_cpl(x))) {
        x86_fault(x, EXCP0D_GPF, err, 0);
    }
    if (!(g->d.e2 & X86_SEG_P)) {
        x86_fault(x, EXCP0B_NOSEG, err, 0);
    }
    g->selector = g->d.e1 >> 16;
    g->offset = (g->d.e2 & 0xffff0000u) | (g->d.e1 & 0xffff) | ((uint64_t)g->d.e3 << 32);
}

/* The handler's code segment: present, code, DPL <= CPL. */
static void read_handler_cs(X86CPU *x, const Gate *g, int ext, X86Desc *cs)
{
    int err = (g->selector & 0xfffc) + ext;
    if (!(g->selector & 0xfffc)) {
        x86_fault(x, EXCP0D_GPF, ext, 0);
    }
    if (!x86_load_desc(x, g->selector, cs, 0) ||
        (cs->e2 & (X86_SEG_S | X86_SEG_CODE)) != (X86_SEG_S | X86_SEG_CODE) ||
        desc_dpl(cs->e2) > (unsigned)x86_cpu_cpl(x)) {
        x86_fault(x, EXCP0D_GPF, err, 0);
    }
    if ((x->hflags & HF_LMA) && (!(cs->e2 & X86_SEG_L) || (cs->e2 & X86_SEG_DB))) {
        x86_fault(x, EXCP0D_GPF, err, 0);
    }
    if (!(cs->e2 & X86_SEG_P)) {
        x86_fault(x, EXCP0B_NOSEG, err, 0);
    }
}

/* SS for an inner-ring handler (SDM 3A 6.12.1: #TS on a bad TSS stack). */
static void load_inner_ss(X86CPU *x, uint16_t ss, unsigned dpl, int ext, X86Desc *d)
{
    if (!(ss & 0xfffc)) {
        x86_fault(x, EXCP0A_TSS, ext, 0);
    }
    if ((ss & 3) != dpl || !x86_load_desc(x, ss, d, 0) || desc_dpl(d->e2) != dpl ||
        (d->e2 & (X86_SEG_S | X86_SEG_CODE | X86_SEG_RW)) != (X86_SEG_S | X86_SEG_RW)) {
        x86_fault(x, EXCP0A_TSS, (ss & 0xfffc) + ext, 0);
    }
    if (!(d->e2 & X86_SEG_P)) {
        x86_fault(x, EXCP0C_STACK, (ss & 0xfffc) + ext, 0);
    }
}

static void push_v86_segments(X86CPU *x, X86Stack *st, unsigned w)
{
    static const int order[4] = { R_GS, R_FS, R_DS, R_ES };
    for (int i = 0; i < 4; i++) {
        x86_stack_push(x, st, w, x->segs[order[i]].selector, 0);
    }
}

static void clear_data_segs_after_v86(X86CPU *x)
{
    static const int segs[4] = { R_ES, R_DS, R_FS, R_GS };
    for (int i = 0; i < 4; i++) {
        x->segs[segs[i]] = (X86Segment){ 0 };
    }
}

static void deliver_protected(X86CPU *x, int vector, bool is_int, int error_code,
                              uint64_t next_eip, int ext)
{
    Gate g;
    X86Desc cs, ssd;
    read_gate(x, vector, ext, is_int, &g);
    if (g.type == 5) {
        X86Desc tss;
        uint16_t tsel = g.selector;
        if ((tsel & 4) || !x86_load_desc(x, tsel, &tss, 0)) {
            x86_fault(x, EXCP0A_TSS, (tsel & 0xfffc) + ext, 0);
        }
        x86_task_switch(x, tsel, &tss, X86_TS_INT, next_eip, 0);
        if (error_code >= 0) {
            X86Stack st = x86_cur_stack(x);
            x86_stack_push(x, &st, (x->tr.flags & (8u << 8)) ? 4 : 2, (uint32_t)error_code, 0);
            x86_set_sp(x, &st);
        }
        return;
    }
    read_handler_cs(x, &g, ext, &cs);
    unsigned cpl = x86_cpu_cpl(x), dpl = desc_dpl(cs.e2);
    bool vm = x->eflags & X86_EFLAGS_VM;
    bool inner = !(cs.e2 & X86_SEG_EC) && dpl < cpl;
    if (vm && (!inner || dpl != 0)) {
        x86_fault(x, EXCP0D_GPF, (g.selector & 0xfffc) + ext, 0);
    }
    if (!inner) {
        dpl = cpl;
    }
    unsigned w = (g.type & 8) ? 4 : 2;
    uint32_t flags = x86_cpu_get_eflags(x);
    X86Stack old = x86_cur_stack(x), st = old;
    uint16_t new_ss = x->segs[R_SS].selector;
    st.err = ext;                       /* SDM INT n: #SS(EXT) on the current stack */
    if (inner) {
        uint64_t sp;
        x86_tss_stack(x, dpl, &new_ss, &sp, 0);
        load_inner_ss(x, new_ss, dpl, ext, &ssd);
        st = x86_new_stack(&ssd, sp, (new_ss & 0xfffc) + ext);
        if (vm) {
            push_v86_segments(x, &st, w);
        }
        x86_stack_push(x, &st, w, x->segs[R_SS].selector, 0);
        x86_stack_push(x, &st, w, old.sp, 0);
    }
    x86_stack_push(x, &st, w, flags, 0);
    x86_stack_push(x, &st, w, x->segs[R_CS].selector, 0);
    x86_stack_push(x, &st, w, next_eip, 0);
    if (error_code >= 0) {
        x86_stack_push(x, &st, w, (uint32_t)error_code, 0);
    }
    /* committed: nothing below faults */
    if (inner) {
        if (vm) {
            clear_data_segs_after_v86(x);
        }
        x86_load_seg_desc(x, R_SS, (new_ss & 0xfffc) | dpl, &ssd);
    }
    x86_set_sp(x, &st);
    x86_load_seg_desc(x, R_CS, (g.selector & 0xfffc) | dpl, &cs);
    x->rip = g.offset & (w == 2 ? 0xffff : 0xffffffffu);
    uint32_t clear = X86_EFLAGS_TF | X86_EFLAGS_VM | X86_EFLAGS_RF | X86_EFLAGS_NT;
    x86_cpu_write_eflags(x, 0, clear | ((g.type & 1) ? 0 : X86_EFLAGS_IF));
}

/* ---- IA-32e mode (SDM 3A 6.14) ------------------------------------------------------------------ */

static void deliver_long(X86CPU *x, int vector, bool is_int, int error_code,
                         uint64_t next_eip, int ext)
{
    Gate g;
    X86Desc cs;
    read_gate(x, vector, ext, is_int, &g);
    read_handler_cs(x, &g, ext, &cs);
    unsigned cpl = x86_cpu_cpl(x), dpl = desc_dpl(cs.e2);
    unsigned ist = g.d.e2 & 7;
    bool inner = !(cs.e2 & X86_SEG_EC) && dpl < cpl;
    if (!inner) {
        dpl = cpl;
    }
    X86Stack st = { .base = 0, .sp = x->regs[R_ESP], .mask = ~0ull,
                    .mmu_idx = X86_MMU_KNOSMAP };
    if (ist) {
        st.sp = x86_tss64_stack(x, 3 + ist, 0);
    } else if (inner) {
        st.sp = x86_tss64_stack(x, dpl, 0);
    }
    st.sp &= ~0xfull;
    uint64_t old_sp = x->regs[R_ESP];
    x86_stack_push(x, &st, 8, x->segs[R_SS].selector, 0);
    x86_stack_push(x, &st, 8, old_sp, 0);
    x86_stack_push(x, &st, 8, x86_cpu_get_eflags(x), 0);
    x86_stack_push(x, &st, 8, x->segs[R_CS].selector, 0);
    x86_stack_push(x, &st, 8, next_eip, 0);
    if (error_code >= 0) {
        x86_stack_push(x, &st, 8, (uint32_t)error_code, 0);
    }
    if (inner) {
        /* a null SS with RPL = new CPL; its cache keeps DPL = CPL (CPL is read from SS) */
        x86_cpu_load_seg_cache(x, R_SS, dpl, 0, 0xffffffff,
                               X86_SEG_P | X86_SEG_S | X86_SEG_RW | X86_SEG_DB |
                               (dpl << X86_SEG_DPL_SHIFT));
    }
    x->regs[R_ESP] = st.sp;
    x86_load_seg_desc(x, R_CS, (g.selector & 0xfffc) | dpl, &cs);
    x->rip = g.offset;
    uint32_t clear = X86_EFLAGS_TF | X86_EFLAGS_VM | X86_EFLAGS_RF | X86_EFLAGS_NT;
    x86_cpu_write_eflags(x, 0, clear | ((g.type & 1) ? 0 : X86_EFLAGS_IF));
}

/* ---- delivery ------------------------------------------------------------------------------------ */

static bool has_error_code(int vector)
{
    return vector == EXCP08_DBLE || (vector >= EXCP0A_TSS && vector <= EXCP0E_PAGE) ||
           vector == EXCP11_ALGN || vector == EXCP15_CP;
}

void x86_deliver(X86CPU *x, int vector, bool is_int, int error_code, uint64_t next_eip,
                 bool is_hw)
{
    int ext = is_int ? 0 : 1;
    log_interrupt(x, vector, is_int, error_code);
    if (!x->delivering) {
        x->exc_chain_len = 0;           /* a new chain: this event is its origin */
    }
    x->delivering = true;
    chain_add(x, vector, has_error_code(vector) && !is_int && !is_hw ? error_code : -1);
    if (!is_int && !is_hw) {
        x->old_exception = vector;
    }
    x->hflags &= ~HF_INHIBIT_IRQ;
    if (!(x->cr[0] & X86_CR0_PE)) {
        deliver_real(x, vector, next_eip);
    } else {
        if (!has_error_code(vector) || is_int || is_hw) {
            error_code = -1;
        }
        if (x->hflags & HF_LMA) {
            deliver_long(x, vector, is_int, error_code, next_eip, ext);
        } else {
            deliver_protected(x, vector, is_int, error_code, next_eip, ext);
        }
    }
    x->old_exception = -1;
    x->delivering = false;
    if (vector == EXCP02_NMI && is_hw) {
        x->hflags2 |= HF2_NMI_MASK;
    }
}

void x86_cpu_do_interrupt(CPUState *cpu)
{
    X86CPU *x = x86_cpu(cpu);
    int vector = cpu->exception_index;
    bool is_int = x->exception_is_int;
    uint64_t next = (is_int || x->exception_trap) ? x->exception_next_eip : x->rip;
    int err = x->has_error_code ? (int)x->error_code : -1;

    x->exception_is_int = false;
    x->exception_trap = false;
    x->has_error_code = false;
    cpu->exception_index = -1;
    x86_deliver(x, vector, is_int, err, next, false);
}

/* ---- external interrupts, NMI, INIT, SIPI ---------------------------------------------------------- */

static void x86_cpu_init_reset(X86CPU *x)
{
    /* INIT keeps the MSRs that are not architecturally reset by it (SDM 3A table 9-1). */
    uint64_t apic_base = x->apic_base, pat = x->pat, misc = x->misc_enable;
    uint64_t mtrr_def = x->mtrr_cap_def_type, tsc = x->tsc_offset;
    uint64_t fixed[11], var[X86_MTRR_VAR][2];
    memcpy(fixed, x->mtrr_fixed, sizeof(fixed));
    memcpy(var, x->mtrr_var, sizeof(var));
    x->parent.exception_index = -1;
    x->parent.cls->reset(&x->parent);   /* not cpu_reset(): a pending SIPI must stay */
    x->apic_base = apic_base;
    x->pat = pat;
    x->misc_enable = misc;
    x->mtrr_cap_def_type = mtrr_def;
    x->tsc_offset = tsc;
    memcpy(x->mtrr_fixed, fixed, sizeof(fixed));
    memcpy(x->mtrr_var, var, sizeof(var));
    bool bsp = apic_base & X86_APIC_BASE_BSP;
    x->wait_for_sipi = !bsp;
    x->parent.halted = !bsp;
    if (x->parent.accel_state) {
        tlb_flush(&x->parent);
    }
}

static bool take_init_sipi(X86CPU *x, unsigned req)
{
    CPUState *cpu = &x->parent;
    if (req & CPU_INTERRUPT_INIT) {
        cpu_reset_interrupt(cpu, CPU_INTERRUPT_INIT);
        log_category_printf(LOG_CPU_RESET, "CPU Reset (CPU %d): INIT\n", cpu->index);
        x86_cpu_init_reset(x);
        return true;
    }
    if (req & CPU_INTERRUPT_SIPI) {
        cpu_reset_interrupt(cpu, CPU_INTERRUPT_SIPI);
        if (x->wait_for_sipi) {
            x->wait_for_sipi = false;
            cpu->halted = false;
            x86_cpu_load_seg_cache(x, R_CS, (uint16_t)(x->sipi_vector << 8),
                                   (uint64_t)(x->sipi_vector & 0xff) << 12, 0xffff,
                                   x->segs[R_CS].flags);
            x->rip = 0;
        }
        return true;
    }
    return false;
}

bool x86_cpu_exec_interrupt(CPUState *cpu, unsigned req)
{
    X86CPU *x = x86_cpu(cpu);
    if ((req & (CPU_INTERRUPT_INIT | CPU_INTERRUPT_SIPI)) && take_init_sipi(x, req)) {
        return true;
    }
    if (x->wait_for_sipi) {
        return false;
    }
    bool shadow = x->hflags & HF_INHIBIT_IRQ;
    if ((req & CPU_INTERRUPT_NMI) && !shadow && !(x->hflags2 & HF2_NMI_MASK)) {
        cpu_reset_interrupt(cpu, CPU_INTERRUPT_NMI);
        cpu->halted = false;
        x86_deliver(x, EXCP02_NMI, false, -1, x->rip, true);
        return true;
    }
    if ((req & CPU_INTERRUPT_HARD) && !shadow && (x->eflags & X86_EFLAGS_IF)) {
        int vector = x->intc && x->intc->ack ? x->intc->ack(cpu) : -1;
        if (vector < 0) {
            return false;
        }
        log_category_printf(LOG_INT, "Servicing hardware INT=0x%02x\n", vector);
        cpu->halted = false;
        x86_deliver(x, vector & 0xff, false, -1, x->rip, true);
        return true;
    }
    return false;
}
