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
#define TLB_INDEX_BITS 8
#define TLB_SIZE (1u << TLB_INDEX_BITS)        /* entries per MMU index */
#define TLB_NB_MMU_MODES 8
#define TLB_ENTRY_BITS 5                       /* log2(sizeof(CPUTLBEntry)) */

/* Flag bits kept in the low bits of a tag. A tag with any of them set never equals a
 * page-aligned address, so the inline fast path falls through to the slow path. An
 * unused entry has every tag set to -1 (TLB_INVALID_MASK included). Bits 0-2 stay clear:
 * the fast path keeps the address's alignment bits in the compared value. */
#define TLB_INVALID_MASK (1u << 11)   /* no valid translation for this access type */
#define TLB_NOTDIRTY     (1u << 10)   /* page holds translated code: writes go slow */
#define TLB_MMIO         (1u << 9)    /* not RAM: device access through the slow path */
#define TLB_FLAGS_MASK   (TLB_INVALID_MASK | TLB_NOTDIRTY | TLB_MMIO)

/* One entry: the guest page tag for reads, writes and instruction fetch, and the
 * addend such that host address = guest virtual address + addend (RAM pages only). */
typedef struct CPUTLBEntry {
    uint64_t addr_read;
    uint64_t addr_write;
    uint64_t addr_code;
    uintptr_t addend;
} CPUTLBEntry;

_Static_assert(sizeof(CPUTLBEntry) == (1u << TLB_ENTRY_BITS), "CPUTLBEntry size");

/* The per-CPU TLB. The entry for address a in MMU index m is
 * table[m][(a >> TLB_PAGE_BITS) & (TLB_SIZE - 1)]. */
typedef struct CPUTLB {
    CPUTLBEntry table[TLB_NB_MMU_MODES][TLB_SIZE];
} CPUTLB;

/* Where generated code finds the TLB: CPUState.accel_state points to the runtime's
 * per-vCPU data, whose first member is the CPUTLB. The generated code receives the
 * CPUState pointer as its env, so it loads [env + TLB_ENV_PTR_OFFSET], then indexes. */
#define TLB_ENV_PTR_OFFSET offsetof(CPUState, accel_state)

/* The slow path of a guest access is TCGRuntimeHooks.load/store (include/tcg/tcg.h):
 * the back end calls it when the tag misses, carries a flag, the access crosses a page,
 * or the TLB pointer is NULL (a CPU without a soft TLB: every access goes slow). */

#endif
