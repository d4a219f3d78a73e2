/* Watchpoints owned by a guest CPU (x86 DR0-DR3 data breakpoints, SDM 3A 17.2.4-17.2.5):
 * per vCPU, through the debugger's soft-MMU mechanism (debug.c): pages they cover get
 * TLB_WATCHPOINT on the watched tags, so their accesses take the slow path. A hit makes
 * the instruction run again alone (interrupts masked), recording every slot it touches;
 * when it has completed the target's cpu_watch_hit hook raises the guest's debug trap.
 * If that instruction faults instead, nothing is reported (data breakpoints are traps:
 * they fire only for instructions that complete). docs/tcg.md "Guest watchpoints". */
#include "accel/tcg/internal.h"

void tcg_cpu_watch_set(CPUState *cpu, int slot, uint64_t addr, uint64_t len, int flags)
{
    TCGVCPU *v = tcg_vcpu(cpu);
    if (!v || slot < 0 || slot >= TCG_CPU_WATCH_SLOTS) {
        return;
    }
    TCGCpuWatch *w = &v->cpu_watch[slot];
    if (!len || !flags) {
        addr = len = 0;
        flags = 0;
    }
    if (w->addr == addr && w->len == len && w->flags == flags) {
        return;
    }
    w->addr = addr;
    w->len = len;
    w->flags = flags;
    v->cpu_watch_any = false;
    for (int i = 0; i < TCG_CPU_WATCH_SLOTS; i++) {
        v->cpu_watch_any |= v->cpu_watch[i].flags != 0;
    }
    tlb_flush(cpu);             /* the TLB_WATCHPOINT marks follow the new slots */
}

static bool watch_overlaps(const TCGCpuWatch *w, uint64_t addr, uint64_t len)
{
    return w->flags && addr <= w->addr + w->len - 1 && w->addr <= addr + len - 1;
}

unsigned tcg_cpu_watch_page_flags(TCGVCPU *v, uint64_t vaddr_page)
{
    unsigned flags = 0;
    if (!v->cpu_watch_any) {
        return 0;
    }
    for (int i = 0; i < TCG_CPU_WATCH_SLOTS; i++) {
        if (watch_overlaps(&v->cpu_watch[i], vaddr_page, TLB_PAGE_SIZE)) {
            flags |= (unsigned)v->cpu_watch[i].flags;
        }
    }
    return flags;
}

unsigned tcg_cpu_watch_pending(CPUState *cpu)
{
    TCGVCPU *v = tcg_vcpu(cpu);
    return v ? v->cpu_watch_hits : 0;
}

unsigned tcg_cpu_watch_hits(TCGVCPU *v, uint64_t addr, unsigned size, int flags)
{
    unsigned hits = 0;
    if (!v->cpu_watch_any) {
        return 0;
    }
    for (int i = 0; i < TCG_CPU_WATCH_SLOTS; i++) {
        if ((v->cpu_watch[i].flags & flags) && watch_overlaps(&v->cpu_watch[i], addr, size)) {
            hits |= 1u << i;
        }
    }
    return hits;
}
