/* Private state of the translator runtime (accel/tcg/): per-vCPU data, the TB cache and
 * the helpers shared by its files. Lock rules: docs/tcg.md "Lock rules". */
#ifndef ACCEL_TCG_INTERNAL_H
#define ACCEL_TCG_INTERNAL_H

#include <pthread.h>
#include <setjmp.h>
#include <stdatomic.h>
#include "accel/tcg.h"

#define TB_JMP_CACHE_BITS 12
#define TB_JMP_CACHE_SIZE (1u << TB_JMP_CACHE_BITS)

/* What the soft MMU remembers of a filled TLB entry besides the tags. */
typedef struct CPUTLBEntryFull {
    hwaddr paddr_page;      /* guest physical page */
    uintptr_t host_page;    /* host address of the RAM page, 0 if not RAM */
    int prot;
} CPUTLBEntryFull;

/* Per-vCPU data; CPUState.accel_state points here. The CPUTLB must stay first (the back
 * ends load [env + TLB_ENV_PTR_OFFSET] and index it). */
typedef struct TCGVCPU {
    CPUTLB tlb;
    atomic_int exit_flag;       /* checked by every TB at entry (kick, interrupt, flush) */
    CPUTLBEntryFull full[TLB_NB_MMU_MODES][TLB_SIZE];
    uint64_t large_page_addr[TLB_NB_MMU_MODES], large_page_mask[TLB_NB_MMU_MODES];
    uint64_t as_generation;     /* of cpu->as when the TLB was last flushed */
    atomic_uint pending_flush;  /* another vCPU asked for a full TLB flush */
    _Atomic(TranslationBlock *) jmp_cache[TB_JMP_CACHE_SIZE];
    TCGContext *ctx;            /* this vCPU's translation context */
    sigjmp_buf jmp_env;         /* where cpu_loop_exit lands */
    bool in_exec;               /* jmp_env is valid */
    bool single_step;
    bool debug_stopped;         /* a single step asked the main loop to stop the VM */
    uint32_t cflags_next_tb;    /* cflags for the next TB (-1: none) */
    bool exclusive_step;        /* cpu_loop_exit_atomic: run the next insn exclusively */
    bool in_exclusive;          /* running that instruction (others stopped) */
    TranslationBlock *gen_tb;   /* TB being translated (code fetch records its pages) */
    sigjmp_buf xlate_jmp;       /* restart of a translation with fewer instructions */
    bool xlate_jmp_valid;
    CPUState *cpu;
    struct TCGVCPU *next;
} TCGVCPU;

static inline TCGVCPU *tcg_vcpu(CPUState *cpu)
{
    return cpu->accel_state;
}

/* Jump-cache slot of a virtual PC. */
static inline unsigned jc_index(uint64_t pc)
{
    return (unsigned)((pc >> 2) ^ (pc >> (2 + TB_JMP_CACHE_BITS))) & (TB_JMP_CACHE_SIZE - 1);
}

static inline const TCGTargetOps *tcg_target_ops(CPUState *cpu)
{
    return cpu->cls->tcg_ops;
}

/* Runtime statistics (relaxed atomics: several vCPU threads update them). */
typedef struct TCGStatCounters {
    atomic_ullong translations, translate_ns, jc_lookups, jc_hits, ht_lookups, ht_hits,
        chained, unchained, invalidations, tlb_fills, tlb_flushes, slow_loads, slow_stores,
        mmio_accesses, exits_requested, exclusive_steps;
} TCGStatCounters;
extern TCGStatCounters tcg_stats;
#define TCG_STAT_INC(name) atomic_fetch_add_explicit(&tcg_stats.name, 1, memory_order_relaxed)
#define TCG_STAT_ADD(name, v) atomic_fetch_add_explicit(&tcg_stats.name, (v), memory_order_relaxed)

/* ---- tb-maint.c: the TB cache, code pages, chaining, flush -------------------------- */
void tb_lock(void);
void tb_unlock(void);
/* Releases tb_lock as often as this thread holds it (after unwinding). */
void tb_lock_reset(void);
/* Exclusive flushing against running vCPUs: vCPUs hold the exec lock (shared) while in
 * tcg_cpu_exec; a flush takes it exclusively. */
void tb_exec_lock_shared(void);
void tb_exec_unlock_shared(void);
bool tb_flush_pending(void);
/* From a vCPU inside tcg_cpu_exec (holding the shared lock): flushes exclusively. */
void tb_flush_from_vcpu(CPUState *cpu, uint64_t seen_flushes);
/* From a vCPU inside tcg_cpu_exec: waits until every other vCPU has left translated
 * code and keeps them out until tcg_exclusive_end (same thread). */
void tcg_exclusive_begin(CPUState *cpu);
void tcg_exclusive_end(void);
bool tcg_exclusive_held(void);

TCGCodeBuffer *tb_code_buffer(void);
const TCGBackend *tb_backend(void);
uint64_t tb_flush_count(void);
/* Hash lookup (takes tb_lock). A TB spanning two pages matches only if its second page
 * is still page1_host (the host page the next virtual page maps to now, 0 if none;
 * UINTPTR_MAX: do not check). */
TranslationBlock *tb_htable_lookup(uint64_t phys_pc, uint64_t pc, uint64_t cs_base,
                                   uint32_t flags, uint32_t cflags, uintptr_t page1_host);
/* Adds a new TB to the hash, the page lists and the host-code index (tb_lock held). */
void tb_link(TranslationBlock *tb);
/* Registers a TB that is only reachable through its host code (CF_NOCACHE). */
void tb_record(TranslationBlock *tb);
/* The TB whose host code contains retaddr, or NULL. */
TranslationBlock *tb_find_by_host(uintptr_t retaddr);
/* Chains slot n of from to to (if both are valid and the slot is free). */
void tb_add_jump(TranslationBlock *from, int n, TranslationBlock *to);
/* Does the RAM page at host_page hold translated code, or is code being translated
 * from it? (tb_lock held) */
bool tb_page_has_code(uintptr_t host_page);
/* Translation of tb starts reading page slot (0/1) at host_page: registers it (writes
 * to it go slow from now on and are counted) and records its write count. */
void tb_page_translation_begin(TranslationBlock *tb, int slot, uintptr_t host_page);
/* Translation of tb is over (linked, retried or abandoned): unregisters its pages. */
void tb_page_translation_end(TranslationBlock *tb);
/* Was any page of tb written since translation read it? (tb_lock held) */
bool tb_pages_written(const TranslationBlock *tb);
/* Invalidates TBs overlapping [host, host+len); returns true if current (may be NULL)
 * was among them. */
bool tb_invalidate_host_range_current(uintptr_t host, size_t len, TranslationBlock *current);
void tb_jmp_cache_clear(TCGVCPU *v);
/* The list of every vCPU's runtime data (registry). */
TCGVCPU *tcg_vcpu_list(void);
void tcg_vcpu_list_add(TCGVCPU *v);
void tcg_vcpu_list_remove(TCGVCPU *v);

/* ---- cputlb.c ------------------------------------------------------------------------ */
extern const TCGRuntimeHooks tcg_runtime_hooks_impl;
void tlb_init_vcpu(TCGVCPU *v);
/* The guest physical address and host page of the code at pc (fills the code TLB; a
 * fault raises it unless probe, then returns false). */
bool tlb_get_code_page(CPUState *cpu, uint64_t pc, bool probe, hwaddr *paddr,
                       uintptr_t *host_page);
/* Sets TLB_NOTDIRTY on every vCPU's write entries for this RAM page. */
void tlb_mark_code_page(uintptr_t host_page);
/* Takes a flush asked for by another vCPU (loop top, own thread). */
void tlb_flush_pending(CPUState *cpu);
/* Flushes the TLB if the address space changed since the last flush. */
void tlb_check_generation(CPUState *cpu);
/* The MMU index translated code fetches use: the target's choice is encoded in the
 * TB flags; the runtime fetches code with this index. */
int tcg_code_mmu_idx(CPUState *cpu);

/* Host address for an atomic access of size bytes at addr (alignment per align_mop,
 * write and read permission; TBs on the page invalidated first); faults like a store.
 * NULL when the access crosses a page or the page is not RAM: the caller falls back to
 * cpu_ld_mmu/cpu_st_mmu. */
void *tlb_atomic_host(CPUState *cpu, uint64_t addr, unsigned size, MemOp align_mop,
                      int mmu_idx, uintptr_t retaddr);

/* ---- atomic.c: the TCGRuntimeHooks of guest atomics -------------------------------- */
uint64_t tcg_rt_atomic(void *env, uint64_t addr, uint64_t val, uint64_t cmp, uint32_t oi,
                       uintptr_t retaddr);
void tcg_rt_cmpxchg128(void *env, uint64_t addr, uint64_t *io, uint32_t oi,
                       uintptr_t retaddr);

/* ---- cpu-exec.c ---------------------------------------------------------------------- */
const void *tcg_lookup_tb_ptr(void *env);

#endif
