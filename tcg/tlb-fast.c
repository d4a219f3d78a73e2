/* The part of the soft TLB that generated code reads (include/tcg/tlb.h): setting a
 * CPU's per-MMU-index table pointers, and the never-hitting table of CPUs that have no
 * runtime TLB. */
#include "tcg/tlb.h"

/* Every tag invalid: no address matches, so every access takes the slow path. */
static const CPUTLBEntry tlb_never_hits = {
    .addr_read = UINT64_MAX, .addr_write = UINT64_MAX, .addr_code = UINT64_MAX,
};

void tlb_fast_set(CPUState *cpu, int mmu_idx, CPUTLBEntry *table, unsigned bits)
{
    cpu->tlb_fast[mmu_idx].mask = (((uintptr_t)1 << bits) - 1) << TLB_ENTRY_BITS;
    cpu->tlb_fast[mmu_idx].table = table;
}

void tlb_fast_set_invalid(CPUState *cpu)
{
    for (int m = 0; m < TLB_NB_MMU_MODES; m++) {
        cpu->tlb_fast[m].mask = 0;
        cpu->tlb_fast[m].table = (void *)&tlb_never_hits;   /* read only, never written */
    }
}
