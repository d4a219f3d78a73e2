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

/* Slow paths, called from the out-of-line part of a guest load or store when the tag
 * misses, carries a flag, or the access crosses a page. memop is the IR's MemOp
 * (size, sign, byte order, alignment bits as in tcg/tcg.h); host_retaddr is the host
 * address just after the call, from which the runtime finds the TB and the guest
 * instruction for a precise exception (it may unwind with siglongjmp and not return).
 * tlb_load_slow returns the loaded value in host order, zero- or sign-extended to
 * 64 bits per memop. tlb_store_slow receives val in host order (low bits used). */
uint64_t tlb_load_slow(CPUState *cpu, uint64_t addr, uint32_t memop, int mmu_idx,
                       uintptr_t host_retaddr);
void tlb_store_slow(CPUState *cpu, uint64_t addr, uint64_t val, uint32_t memop, int mmu_idx,
                    uintptr_t host_retaddr);
/* Back ends take the slow paths as pointers (so tests can pass fakes). */
typedef uint64_t TLBLoadSlowFn(CPUState *cpu, uint64_t addr, uint32_t memop, int mmu_idx,
                               uintptr_t host_retaddr);
typedef void TLBStoreSlowFn(CPUState *cpu, uint64_t addr, uint64_t val, uint32_t memop,
                            int mmu_idx, uintptr_t host_retaddr);

#endif
