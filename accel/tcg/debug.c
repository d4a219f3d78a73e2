/* Debugger support in the translator: breakpoints held by the translator (a TB reaching
 * a breakpoint address ends there with a debug exit, so guest memory is never written and
 * ROM or not-yet-loaded code works), watchpoints through the soft MMU (watched pages get
 * TLB_WATCHPOINT: their accesses take the slow path, which re-runs the hitting instruction
 * alone and stops after it, as QEMU reports them) and the stop reason of each vCPU.
 * Breakpoints and watchpoints change only while every vCPU is stopped (the gdbstub acts
 * on a stopped VM); vCPUs read them under debug_lock. docs/gdbstub.md. */
#include <stdlib.h>
#include <string.h>
#include "accel/tcg/internal.h"
#include "util/cutils.h"
#include "util/log.h"

#define TCG_MAX_BREAKPOINTS 256
#define TCG_MAX_WATCHPOINTS 64

typedef struct TCGWatchpoint {
    uint64_t addr, len;
    int flags;                  /* TCG_WP_READ | TCG_WP_WRITE */
} TCGWatchpoint;

/* The debugger's points (a registry: one debugger per process). */
static pthread_mutex_t debug_lock = PTHREAD_MUTEX_INITIALIZER;
static uint64_t breakpoints[TCG_MAX_BREAKPOINTS];
static atomic_int nb_breakpoints;
static TCGWatchpoint watchpoints[TCG_MAX_WATCHPOINTS];
atomic_int tcg_nb_watchpoints;    /* read without the lock by tlb_set_page (internal.h) */

/* ---- breakpoints ------------------------------------------------------------------------- */

static int bp_find(uint64_t pc)
{
    for (int i = 0; i < nb_breakpoints; i++) {
        if (breakpoints[i] == pc) {
            return i;
        }
    }
    return -1;
}

/* Drops the TBs translated from the page holding pc (seen through the first CPU's page
 * tables), or every TB when that page is not RAM/ROM or not mapped now. */
static void bp_invalidate(uint64_t pc)
{
    CPUState *cpu = cpu_first();
    hwaddr paddr;
    const FlatRange *fr = NULL;

    if (cpu && cpu->cls->get_phys_addr && cpu->cls->get_phys_addr(cpu, pc, &paddr) == 0 &&
        cpu->as) {
        fr = address_space_lookup(cpu->as, paddr & TLB_PAGE_MASK);
    }
    if (!fr || !fr->mr->host || (fr->mr->kind != MR_RAM && fr->mr->kind != MR_ROM) ||
        (paddr & TLB_PAGE_MASK) + TLB_PAGE_SIZE > fr->start + fr->size) {
        tb_flush();
        return;
    }
    uint8_t *host = fr->mr->host + fr->offset + ((paddr & TLB_PAGE_MASK) - fr->start);
    tb_invalidate_host_range(host, TLB_PAGE_SIZE);
    for (TCGVCPU *v = tcg_vcpu_list(); v; v = v->next) {
        tb_jmp_cache_clear_page(v, pc);
    }
}

int tcg_breakpoint_insert(uint64_t pc)
{
    pthread_mutex_lock(&debug_lock);
    int ok = bp_find(pc) >= 0 || nb_breakpoints < TCG_MAX_BREAKPOINTS;
    if (ok && bp_find(pc) < 0) {
        breakpoints[nb_breakpoints++] = pc;
    }
    pthread_mutex_unlock(&debug_lock);
    if (ok) {
        bp_invalidate(pc);
    }
    return ok ? 0 : -1;
}

int tcg_breakpoint_remove(uint64_t pc)
{
    pthread_mutex_lock(&debug_lock);
    int i = bp_find(pc);
    if (i >= 0) {
        breakpoints[i] = breakpoints[--nb_breakpoints];
    }
    pthread_mutex_unlock(&debug_lock);
    if (i >= 0) {
        bp_invalidate(pc);
    }
    return i >= 0 ? 0 : -1;
}

bool tcg_breakpoints_any(void)
{
    return atomic_load_explicit(&nb_breakpoints, memory_order_relaxed) != 0;
}

static bool breakpoint_at(uint64_t pc)
{
    if (atomic_load_explicit(&nb_breakpoints, memory_order_relaxed) == 0) {
        return false;
    }
    pthread_mutex_lock(&debug_lock);
    bool hit = bp_find(pc) >= 0;
    pthread_mutex_unlock(&debug_lock);
    return hit;
}

/* Called from translated code at a breakpoint: the state goes back to that instruction
 * (insn_start words) and the CPU loop returns EXCP_DEBUG. */
static void helper_debug_breakpoint(void *env)
{
    CPUState *cpu = env;
    tcg_vcpu(cpu)->debug_kind = TCG_STOP_BREAKPOINT;
    cpu_raise_exception(cpu, EXCP_DEBUG, TCG_GETPC());
}

static const TCGHelperInfo info_debug_breakpoint = {
    .name = "debug_breakpoint", .func = (void *)helper_debug_breakpoint,
    .flags = TCG_CALL_NO_WG, .ret_type = TCG_TYPE_VOID, .nb_args = 1,
    .arg_types = { TCG_TYPE_PTR },
};

bool tcg_rt_gen_breakpoint(CPUState *cpu, TranslationBlock *tb, uint64_t pc)
{
    if (!breakpoint_at(pc)) {
        return false;
    }
    translator_ldub(cpu, tb, pc);       /* the TB covers the page: dropped with it */
    TCGTemp *args[] = { tcgv_temp(tcg_env) };
    tcg_gen_callN(&info_debug_breakpoint, NULL, args);
    tcg_gen_exit_tb(0);
    return true;
}

/* ---- watchpoints -------------------------------------------------------------------------- */

static int wp_find(uint64_t addr, uint64_t len, int flags)
{
    for (int i = 0; i < tcg_nb_watchpoints; i++) {
        const TCGWatchpoint *w = &watchpoints[i];
        if (w->addr == addr && w->len == len && w->flags == flags) {
            return i;
        }
    }
    return -1;
}

/* Watched pages must leave the fast path (or return to it): every TLB is refilled. */
static void wp_changed(void)
{
    for (CPUState *cpu = cpu_first(); cpu; cpu = cpu_next(cpu)) {
        TCGVCPU *v = tcg_vcpu(cpu);
        if (v && v->ctx) {
            tlb_flush_all_cpus(NULL);
            return;
        }
    }
}

int tcg_watchpoint_insert(uint64_t addr, uint64_t len, int flags)
{
    if (len == 0 || addr + len - 1 < addr || !(flags & TCG_WP_ACCESS)) {
        return -1;
    }
    pthread_mutex_lock(&debug_lock);
    int ok = tcg_nb_watchpoints < TCG_MAX_WATCHPOINTS;
    if (ok) {
        watchpoints[tcg_nb_watchpoints++] = (TCGWatchpoint){ addr, len, flags & TCG_WP_ACCESS };
    }
    pthread_mutex_unlock(&debug_lock);
    wp_changed();
    return ok ? 0 : -1;
}

int tcg_watchpoint_remove(uint64_t addr, uint64_t len, int flags)
{
    pthread_mutex_lock(&debug_lock);
    int i = wp_find(addr, len, flags & TCG_WP_ACCESS);
    if (i >= 0) {
        watchpoints[i] = watchpoints[--tcg_nb_watchpoints];
    }
    pthread_mutex_unlock(&debug_lock);
    wp_changed();
    return i >= 0 ? 0 : -1;
}

void tcg_debug_remove_all(void)
{
    pthread_mutex_lock(&debug_lock);
    int had_bp = nb_breakpoints, had_wp = tcg_nb_watchpoints;
    nb_breakpoints = 0;
    tcg_nb_watchpoints = 0;
    pthread_mutex_unlock(&debug_lock);
    if (had_bp) {
        tb_flush();
    }
    if (had_wp) {
        wp_changed();
    }
}

static bool wp_overlaps(const TCGWatchpoint *w, uint64_t addr, uint64_t len)
{
    return addr <= w->addr + w->len - 1 && w->addr <= addr + len - 1;
}

unsigned tcg_watchpoint_page_flags(uint64_t vaddr_page)
{
    unsigned flags = 0;
    if (atomic_load_explicit(&tcg_nb_watchpoints, memory_order_relaxed) == 0) {
        return 0;
    }
    pthread_mutex_lock(&debug_lock);
    for (int i = 0; i < tcg_nb_watchpoints; i++) {
        if (wp_overlaps(&watchpoints[i], vaddr_page, TLB_PAGE_SIZE)) {
            flags |= (unsigned)watchpoints[i].flags;
        }
    }
    pthread_mutex_unlock(&debug_lock);
    return flags;
}

/* The watchpoint an access of [addr, addr + size) of kind flags hits, copied to *out. */
static bool wp_hit(uint64_t addr, unsigned size, int flags, TCGWatchpoint *out)
{
    bool hit = false;
    pthread_mutex_lock(&debug_lock);
    for (int i = 0; i < tcg_nb_watchpoints && !hit; i++) {
        if ((watchpoints[i].flags & flags) && wp_overlaps(&watchpoints[i], addr, size)) {
            *out = watchpoints[i];
            hit = true;
        }
    }
    pthread_mutex_unlock(&debug_lock);
    return hit;
}

void tcg_watchpoint_check(CPUState *cpu, uint64_t addr, unsigned size, int flags,
                          uintptr_t retaddr)
{
    TCGVCPU *v = tcg_vcpu(cpu);
    TCGWatchpoint w;
    unsigned cpu_hits = tcg_cpu_watch_hits(v, addr, size, flags);

    if (v->watch_pending) {     /* the instruction that hit runs again alone: let it */
        v->cpu_watch_hits |= cpu_hits;
        return;
    }
    bool debugger = wp_hit(addr, size, flags, &w);
    if (!debugger && !cpu_hits) {
        return;
    }
    if (debugger) {
        log_category_printf(LOG_INT, "tcg: CPU #%d watchpoint %#llx+%llu hit by a %s of %#llx\n",
                            cpu->index, (unsigned long long)w.addr, (unsigned long long)w.len,
                            flags == TCG_WP_WRITE ? "write" : "read", (unsigned long long)addr);
        v->watch_addr = w.addr;
        v->watch_flags = w.flags;
    }
    v->watch_debugger = debugger;
    v->watch_pending = true;
    v->cpu_watch_hits = 0;      /* collected again by the run alone */
    cpu_restore_state(cpu, retaddr);
    v->cflags_next_tb = 1 | CF_NOCACHE;
    cpu_loop_exit(cpu);
}

/* ---- stop reason ------------------------------------------------------------------------ */

bool tcg_cpu_debug_stop(CPUState *cpu, TCGDebugStop *out)
{
    TCGVCPU *v = tcg_vcpu(cpu);
    if (!v || !v->debug_stopped) {
        return false;
    }
    out->kind = v->debug_kind;
    out->addr = v->watch_addr;
    out->flags = v->watch_flags;
    return true;
}

void tcg_cpu_clear_debug_stop(CPUState *cpu)
{
    TCGVCPU *v = tcg_vcpu(cpu);
    if (v) {
        v->debug_stopped = false;
    }
}
