/* The soft TLB data structure of a vCPU: per MMU index a table that grows and shrinks
 * with use, a small victim TLB consulted before the page walk, and flushes that touch
 * only what was filled. Generated code reads the tables through CPUState.tlb_fast
 * (include/tcg/tlb.h); the slow paths are in cputlb.c.
 *
 * Sizing policy (after QEMU's dynamic TLB sizing, docs/tcg.md "Soft TLB"): sizes are
 * powers of two from 2^TLB_DYN_MIN_BITS to 2^TLB_DYN_MAX_BITS entries, decided when a
 * filled index is flushed (the only moment its contents may be dropped):
 *  - use = valid entries at the flush; window_max = the largest use since the window
 *    started (a window lasts at least TLB_WINDOW_NS);
 *  - grow when use > 70% of the size: to the power of two that makes it about 35%;
 *  - shrink when the window is over and window_max < 30% of the size: to the power of
 *    two that makes window_max about 35% (never below the minimum);
 *  - a resize starts a new window. */
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "accel/tcg/internal.h"
#include "util/cutils.h"

#define TLB_WINDOW_NS (100 * 1000 * 1000)

static int64_t clock_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

static size_t table_bytes(unsigned bits)
{
    return sizeof(CPUTLBEntry) << bits;
}

/* A new table for mmu_idx of 1 << bits entries, all invalid (the old one is freed). */
static void table_alloc(TCGVCPU *v, int mmu_idx, unsigned bits)
{
    CPUTLBDesc *d = &v->tlb[mmu_idx];
    free(v->cpu->tlb_fast[mmu_idx].table);
    free(d->full);
    CPUTLBEntry *table = xmalloc(table_bytes(bits));
    memset(table, 0xff, table_bytes(bits));
    d->full = xzalloc(sizeof(CPUTLBEntryFull) << bits);
    d->size_bits = bits;
    tlb_fast_set(v->cpu, mmu_idx, table, bits);
}

/* Empties the victim TLB of d. */
static void victim_clear_all(CPUTLBDesc *d)
{
    memset(d->victim, 0xff, sizeof(d->victim));
    memset(d->victim_page, 0xff, sizeof(d->victim_page));
}

void tlb_table_init(TCGVCPU *v)
{
    for (int m = 0; m < TLB_NB_MMU_MODES; m++) {
        CPUTLBDesc *d = &v->tlb[m];
        v->cpu->tlb_fast[m].table = NULL;
        table_alloc(v, m, TLB_DYN_MIN_BITS);
        victim_clear_all(d);
        d->window_start_ns = clock_ns();
    }
}

void tlb_table_destroy(TCGVCPU *v)
{
    for (int m = 0; m < TLB_NB_MMU_MODES; m++) {
        if (v->tlb[m].full) {
            free(v->cpu->tlb_fast[m].table);
            free(v->tlb[m].full);
            v->tlb[m].full = NULL;
        }
    }
    tlb_fast_set_invalid(v->cpu);
}

/* log2 of the power of two that holds n entries at about 35% use, within the bounds. */
static unsigned bits_for_use(unsigned n)
{
    unsigned bits = TLB_DYN_MIN_BITS;
    while (bits < TLB_DYN_MAX_BITS && (uint64_t)n * 100 > (35ull << bits)) {
        bits++;
    }
    return bits;
}

/* The size the policy wants at a flush with d->n_used valid entries. */
static unsigned tlb_policy_bits(CPUTLBDesc *d, int64_t now)
{
    unsigned size = 1u << d->size_bits;
    if (d->n_used > d->window_max) {
        d->window_max = d->n_used;
    }
    if ((uint64_t)d->n_used * 100 > (uint64_t)size * 70) {
        return bits_for_use(d->n_used);
    }
    bool window_over = now - d->window_start_ns > TLB_WINDOW_NS;
    if (window_over && (uint64_t)d->window_max * 100 < (uint64_t)size * 30) {
        return bits_for_use(d->window_max);
    }
    return d->size_bits;
}

void tlb_table_flush_idx(TCGVCPU *v, int mmu_idx)
{
    CPUTLBDesc *d = &v->tlb[mmu_idx];
    if (!d->dirty) {
        return;                 /* nothing was filled since the last flush */
    }
    int64_t now = clock_ns();
    unsigned bits = tlb_policy_bits(d, now);
    bool resize = bits != d->size_bits;
    if (resize) {
        table_alloc(v, mmu_idx, bits);
    } else {
        memset(v->cpu->tlb_fast[mmu_idx].table, 0xff, table_bytes(bits));
    }
    if (resize || now - d->window_start_ns > TLB_WINDOW_NS) {
        d->window_start_ns = now;
        d->window_max = 0;
    }
    victim_clear_all(d);
    d->n_used = 0;
    d->dirty = false;
    v->nb_large[mmu_idx] = 0;
}

/* The page an entry maps (any valid tag), or UINT64_MAX for an unused entry. */
static uint64_t entry_page(const CPUTLBEntry *e)
{
    uint64_t tag = e->addr_read;
    if (tag & TLB_INVALID_MASK) {
        tag = e->addr_write;
    }
    if (tag & TLB_INVALID_MASK) {
        tag = e->addr_code;
    }
    return (tag & TLB_INVALID_MASK) ? UINT64_MAX : tag & TLB_PAGE_MASK;
}

static bool tag_in_range(uint64_t tag, uint64_t start, uint64_t len)
{
    return !(tag & TLB_INVALID_MASK) && (tag & TLB_PAGE_MASK) - start < len;
}

static bool entry_in_range(const CPUTLBEntry *e, uint64_t start, uint64_t len)
{
    return tag_in_range(e->addr_read, start, len) || tag_in_range(e->addr_write, start, len) ||
           tag_in_range(e->addr_code, start, len);
}

static void clear_entry(CPUTLBDesc *d, CPUTLBEntry *e)
{
    memset(e, 0xff, sizeof(*e));
    d->n_used--;
}

void tlb_table_flush_range(TCGVCPU *v, int mmu_idx, uint64_t start, uint64_t len)
{
    CPUTLBDesc *d = &v->tlb[mmu_idx];
    unsigned entries = 1u << d->size_bits;
    if (!d->dirty) {
        return;                 /* nothing filled since the last flush */
    }
    if (len / TLB_PAGE_SIZE < entries) {
        for (uint64_t ofs = 0; ofs < len; ofs += TLB_PAGE_SIZE) {
            CPUTLBEntry *e = tlb_fast_entry(v->cpu, mmu_idx, start + ofs);
            if (entry_in_range(e, start + ofs, TLB_PAGE_SIZE)) {
                clear_entry(d, e);
            }
        }
    } else {
        CPUTLBEntry *table = v->cpu->tlb_fast[mmu_idx].table;
        for (unsigned i = 0; i < entries; i++) {
            if (entry_in_range(&table[i], start, len)) {
                clear_entry(d, &table[i]);
            }
        }
    }
    for (int i = 0; i < TLB_VICTIM_SIZE; i++) {
        if (entry_in_range(&d->victim[i], start, len)) {
            memset(&d->victim[i], 0xff, sizeof(d->victim[i]));
            d->victim_page[i] = UINT64_MAX;
        }
    }
}

void tlb_table_install(TCGVCPU *v, int mmu_idx, uint64_t vaddr_page, const CPUTLBEntry *e,
                       const CPUTLBEntryFull *full)
{
    CPUTLBDesc *d = &v->tlb[mmu_idx];
    CPUTLBEntry *slot = tlb_fast_entry(v->cpu, mmu_idx, vaddr_page);
    CPUTLBEntryFull *slot_full = tlb_table_full(v, mmu_idx, vaddr_page);
    uint64_t old_page = entry_page(slot);
    if (old_page == UINT64_MAX) {
        d->n_used++;
    } else if (old_page != vaddr_page) {
        unsigned k = d->victim_next++ % TLB_VICTIM_SIZE;
        d->victim[k] = *slot;
        d->victim_full[k] = *slot_full;
        d->victim_page[k] = old_page;
    }
    *slot_full = *full;
    slot->addr_read = e->addr_read;
    slot->addr_code = e->addr_code;
    slot->addend = e->addend;
    __atomic_store_n(&slot->addr_write, e->addr_write, __ATOMIC_RELAXED);
    d->dirty = true;
}

/* Swaps victim entry i of mmu_idx with addr's slot in the main table (out of line: the
 * scan, inline in internal.h, then saves no registers on a miss). */
void tlb_table_victim_swap(TCGVCPU *v, int mmu_idx, uint64_t addr, int i)
{
    CPUTLBDesc *d = &v->tlb[mmu_idx];
    bool fast = tlb_owner_lock(v);
    CPUTLBEntry *slot = tlb_fast_entry(v->cpu, mmu_idx, addr);
    CPUTLBEntryFull *slot_full = tlb_table_full(v, mmu_idx, addr);
    CPUTLBEntry tmp = *slot;
    CPUTLBEntryFull tmp_full = *slot_full;
    *slot = d->victim[i];
    *slot_full = d->victim_full[i];
    d->victim[i] = tmp;
    d->victim_full[i] = tmp_full;
    d->victim_page[i] = entry_page(&tmp);
    if (d->victim_page[i] == UINT64_MAX) {
        d->n_used++;
    }
    tlb_owner_unlock(v, fast);
}

static void mark_entry(CPUTLBEntry *e, const CPUTLBEntryFull *full, uintptr_t start,
                       uintptr_t end)
{
    if (!(e->addr_write & TLB_INVALID_MASK) && full->host_page >= start &&
        full->host_page < end) {
        __atomic_fetch_or(&e->addr_write, (uint64_t)TLB_NOTDIRTY, __ATOMIC_RELAXED);
    }
}

void tlb_table_mark_notdirty_range(TCGVCPU *v, uintptr_t start, uintptr_t end)
{
    tlb_foreign_lock(v);
    for (int m = 0; m < TLB_NB_MMU_MODES; m++) {
        CPUTLBDesc *d = &v->tlb[m];
        if (!d->dirty) {
            continue;
        }
        CPUTLBEntry *table = v->cpu->tlb_fast[m].table;
        for (unsigned i = 0; i < (1u << d->size_bits); i++) {
            mark_entry(&table[i], &d->full[i], start, end);
        }
        for (int i = 0; i < TLB_VICTIM_SIZE; i++) {
            mark_entry(&d->victim[i], &d->victim_full[i], start, end);
        }
    }
    tlb_foreign_unlock(v);
}

void tlb_table_mark_code_page(TCGVCPU *v, uintptr_t host_page)
{
    tlb_table_mark_notdirty_range(v, host_page, host_page + 1);
}
