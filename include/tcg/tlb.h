/* Soft TLB layout shared by the runtime (accel/tcg/, which fills it and implements the
 * slow paths) and the host back ends (which inline the hit path). See docs/tcg.md. */
#ifndef TCG_TLB_H
#define TCG_TLB_H

#include <stddef.h>
#include <stdint.h>
#include "system/cpu.h"

#define TLB_PAGE_BITS 12
#define TLB_PAGE_SIZE (1u << TLB_PAGE_BITS)
#define TLB_PAGE_MASK (~(uint64_t)(TLB_PAGE_SIZE - 1))
#define TLB_NB_MMU_MODES CPU_TLB_NB_MMU_MODES
#define TLB_ENTRY_BITS 5                       /* log2(sizeof(CPUTLBEntry)) */
/* Entries per MMU index: 1 << bits, resized by the runtime between these bounds (policy:
 * accel/tcg/tlb-table.c, docs/tcg.md "Soft TLB"). */
#define TLB_DYN_MIN_BITS 8
#define TLB_DYN_MAX_BITS 16
#define TLB_VICTIM_SIZE 8                      /* entries per MMU index */

/* Flag bits kept in the low bits of a tag. A tag with any of them set never equals a
 * page-aligned address, so the inline fast path falls through to the slow path. An
 * unused entry has every tag set to -1 (TLB_INVALID_MASK included). Bits 0-2 stay clear:
 * the fast path keeps the address's alignment bits in the compared value. */
#define TLB_INVALID_MASK (1u << 11)   /* no valid translation for this access type */
#define TLB_NOTDIRTY     (1u << 10)   /* page holds translated code: writes go slow */
#define TLB_MMIO         (1u << 9)    /* not RAM: device access through the slow path */
#define TLB_WATCHPOINT   (1u << 8)    /* a debugger watchpoint covers part of the page */
#define TLB_FLAGS_MASK   (TLB_INVALID_MASK | TLB_NOTDIRTY | TLB_MMIO | TLB_WATCHPOINT)

/* One entry: the guest page tag for reads, writes and instruction fetch, and the
 * addend such that host address = guest virtual address + addend (RAM pages only). */
typedef struct CPUTLBEntry {
    uint64_t addr_read;
    uint64_t addr_write;
    uint64_t addr_code;
    uintptr_t addend;
} CPUTLBEntry;

_Static_assert(sizeof(CPUTLBEntry) == (1u << TLB_ENTRY_BITS), "CPUTLBEntry size");

/* Where generated code finds the TLB: at fixed offsets from the CPU state (env), per
 * MMU index m, CPUState.tlb_fast[m] = { mask, table }: the entry of address a is at
 * table + ((a >> (TLB_PAGE_BITS - TLB_ENTRY_BITS)) & mask). No pointer chase, no NULL
 * test: a CPU without a soft TLB points every index at a one-entry table that never
 * hits (tlb_fast_set_invalid). */
#define TLB_MASK_OFFSET(m) (offsetof(CPUState, tlb_fast) + (m) * sizeof(CPUTLBDescFast))
#define TLB_TABLE_OFFSET(m) (TLB_MASK_OFFSET(m) + offsetof(CPUTLBDescFast, table))
/* The vCPU's exit request, checked by every TB at entry (an int, non-zero: leave). */
#define TCG_EXIT_FLAG_OFFSET offsetof(CPUState, tcg_exit_flag)

static inline CPUTLBEntry *tlb_fast_entry(CPUState *cpu, int mmu_idx, uint64_t addr)
{
    const CPUTLBDescFast *f = &cpu->tlb_fast[mmu_idx];
    uintptr_t ofs = (uintptr_t)(addr >> (TLB_PAGE_BITS - TLB_ENTRY_BITS)) & f->mask;
    return (CPUTLBEntry *)((char *)f->table + ofs);
}

static inline unsigned tlb_fast_entries(const CPUState *cpu, int mmu_idx)
{
    return (unsigned)(cpu->tlb_fast[mmu_idx].mask >> TLB_ENTRY_BITS) + 1;
}

/* Points MMU index mmu_idx at table (1 << bits entries; the caller owns it). */
void tlb_fast_set(CPUState *cpu, int mmu_idx, CPUTLBEntry *table, unsigned bits);
/* Every MMU index at a shared one-entry table that never hits: every access takes the
 * slow path (CPUs without the runtime's TLB: tests, benchmarks). */
void tlb_fast_set_invalid(CPUState *cpu);

/* The slow path of a guest access is TCGRuntimeHooks.load/store (include/tcg/tcg.h):
 * the back end calls it when the tag misses, carries a flag or the access crosses a
 * page. */

#endif
