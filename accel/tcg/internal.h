/* Private state of the translator runtime (accel/tcg/): per-vCPU data, the TB cache and
 * the helpers shared by its files. Lock rules: docs/tcg.md "Lock rules". */
#ifndef ACCEL_TCG_INTERNAL_H
#define ACCEL_TCG_INTERNAL_H

#include <pthread.h>
#include <setjmp.h>
#include <stdatomic.h>
#include "accel/tcg.h"
#include "util/spinlock.h"

/* The jump cache: 65536 entries in 256 groups of 256 (jc_index below). 4096 entries were
 * too few for an ARM kernel boot's hot TBs (684,000 misses on another TB's entry); with
 * 16384 in 128 groups of 128, an idle i386 Linux guest's timer tick (a few hundred TBs on
 * ~100 kernel pages) still missed ~22 times per tick on a colliding entry, and 512 groups
 * of 128 left 14 (TBs of one page colliding); 256 of 256 leave ~3. A page flush scans two
 * groups (4 KiB), a full flush only the groups used since the last one (jc_groups_used). */
#define TB_JMP_CACHE_BITS 16
#define TB_JMP_CACHE_SIZE (1u << TB_JMP_CACHE_BITS)
#define TB_JMP_PAGE_BITS 8
#define TB_JMP_PAGE_SIZE (1u << TB_JMP_PAGE_BITS)
#define TB_JMP_GROUP_BITS (TB_JMP_CACHE_BITS - TB_JMP_PAGE_BITS)
#define TB_JMP_GROUPS (1u << TB_JMP_GROUP_BITS)

/* What the soft MMU remembers of a filled TLB entry besides the tags. */
typedef struct CPUTLBEntryFull {
    hwaddr paddr_page;      /* guest physical page */
    uintptr_t host_page;    /* host address of the RAM page, 0 if not RAM */
    uint8_t *dirty_log;     /* the page's byte in its region's dirty log, or NULL */
    int prot;
} CPUTLBEntryFull;

/* Runtime statistics, per vCPU: plain increments by the vCPU's own thread (relaxed
 * atomic load and store, no read-modify-write, so "info jit" may read them from another
 * thread). Counts made on other threads (device writes invalidating TBs) go to a shared
 * block with atomic adds. tcg_runtime_get_stats sums them. */
#define TCG_STAT_FIELDS(X) \
    X(translations) X(translate_ns) X(jc_misses) X(jc_hits) X(ht_lookups) X(ht_hits) \
    X(chained) X(unchained) X(invalidations) X(tlb_fills) X(tlb_flushes) X(slow_loads) \
    X(slow_stores) X(mmio_accesses) X(exits_requested) X(exclusive_steps) \
    X(tlb_flush_requests) X(tlb_page_flushes)
#define TCG_STAT_DECLARE(name) uint64_t name;
typedef struct TCGStatCounters {
    TCG_STAT_FIELDS(TCG_STAT_DECLARE)
} TCGStatCounters;
extern TCGStatCounters tcg_stats_shared;
/* The counters of the vCPU this thread runs (set by tcg_cpu_exec), or NULL. */
extern __thread TCGStatCounters *tcg_thread_stats;

#define TCG_STAT_BUMP(s, name, n) \
    __atomic_store_n(&(s)->name, __atomic_load_n(&(s)->name, __ATOMIC_RELAXED) + (n), \
                     __ATOMIC_RELAXED)
#define TCG_STAT_ADD(name, n) do { \
        TCGStatCounters *s_ = tcg_thread_stats; \
        if (__builtin_expect(s_ != NULL, 1)) { \
            TCG_STAT_BUMP(s_, name, n); \
        } else { \
            __atomic_fetch_add(&tcg_stats_shared.name, (n), __ATOMIC_RELAXED); \
        } \
    } while (0)
#define TCG_STAT_INC(name) TCG_STAT_ADD(name, 1)
/* On the vCPU's own thread, with its TCGVCPU at hand. */
#define TCG_VSTAT_INC(v, name) TCG_STAT_BUMP(&(v)->stats, name, 1)

/* A large page (2/4 MiB, 1 GiB...) whose 4 KiB pieces are in the TLB: flushing any
 * page inside it flushes the pieces (not the whole MMU index). */
#define TLB_LARGE_PAGES 8
typedef struct TLBLargePage {
    uint64_t addr, mask;
} TLBLargePage;

/* A flush queued by another vCPU: one page (addr) in the MMU indexes of idxmap. */
#define TLB_FLUSH_QUEUE 16
typedef struct TLBFlushRequest {
    uint64_t addr;
    uint16_t idxmap;
} TLBFlushRequest;

/* The runtime's side of the soft TLB of one MMU index (tlb-table.c); the table itself
 * is CPUState.tlb_fast[mmu_idx]. */
typedef struct CPUTLBDesc {
    CPUTLBEntryFull *full;      /* one per table entry (valid where the entry is) */
    unsigned size_bits;         /* the table has 1 << size_bits entries */
    unsigned n_used;            /* valid entries in the table */
    unsigned window_max;        /* most entries in use at a flush of this window */
    int64_t window_start_ns;    /* start of the current sizing window */
    bool dirty;                 /* filled since the last flush */
    unsigned victim_next;       /* round-robin slot of the victim TLB */
    /* The page each victim entry maps (UINT64_MAX: empty), scanned on every miss: one
     * cache line instead of three tags per entry. */
    uint64_t victim_page[TLB_VICTIM_SIZE];
    CPUTLBEntry victim[TLB_VICTIM_SIZE];
    CPUTLBEntryFull victim_full[TLB_VICTIM_SIZE];
} CPUTLBDesc;

/* Per-vCPU data; CPUState.accel_state points here. The exit flag checked at every TB
 * entry is CPUState.tcg_exit_flag (kick, interrupt, flush). */
/* A guest CPU's own watchpoint (cpu-watch.c): flags 0 = slot off. */
enum { TCG_CPU_WATCH_SLOTS = 4 };
typedef struct TCGCpuWatch {
    uint64_t addr, len;
    int flags;                  /* TCG_WP_READ | TCG_WP_WRITE */
} TCGCpuWatch;

typedef struct TCGVCPU {
    CPUTLBDesc tlb[TLB_NB_MMU_MODES];
    Spinlock tlb_lock;          /* this TLB against other threads (code marking, requests) */
    atomic_int tlb_owner_busy;  /* the owner is in a fast section (tlb-lock.c) */
    atomic_int tlb_foreign_want;    /* another thread holds tlb_lock to mark entries */
    TLBLargePage large[TLB_NB_MMU_MODES][TLB_LARGE_PAGES];
    int nb_large[TLB_NB_MMU_MODES];
    uint64_t as_generation;     /* of cpu->as when the TLB was last flushed */
    const FlatRange *fr_cache;  /* the last range tlb_set_page found (cputlb.c) */
    const AddressSpace *fr_cache_as;    /* in this address space */
    uint64_t fr_cache_gen;      /* at as_generation */
    atomic_uint flush_req_pending;  /* other vCPUs queued flushes (below, tlb_lock) */
    uint16_t flush_req_whole;   /* MMU indexes to flush entirely */
    int nb_flush_req;
    TLBFlushRequest flush_req[TLB_FLUSH_QUEUE];
    uint16_t sync_req_whole;    /* synced flushes this vCPU asked for (own thread) */
    int nb_sync_req;
    TLBFlushRequest sync_req[TLB_FLUSH_QUEUE];
    _Atomic(TranslationBlock *) jmp_cache[TB_JMP_CACHE_SIZE];
    /* groups of jmp_cache (jc_page_group) filled since their last clear: a full clear
     * touches only those (jc_insert, tb_jmp_cache_clear) */
    _Atomic uint64_t jc_groups_used[TB_JMP_GROUPS / 64];
    TCGContext *ctx;            /* this vCPU's translation context */
    int region;                 /* its code region (tb-region.c) and cursor, rw view */
    uint8_t *code_start, *code_next, *code_end;
    sigjmp_buf jmp_env;         /* where cpu_loop_exit lands */
    bool in_exec;               /* jmp_env is valid */
    bool single_step;
    bool debug_stopped;         /* a debug exit asked the main loop to stop the VM */
    int debug_kind;             /* why: TCG_STOP_* */
    bool watch_pending;         /* a watchpoint hit: its instruction runs again alone */
    bool watch_debugger;        /* ... and one of the debugger's was hit (stop after it) */
    uint64_t watch_addr;        /* the debugger's watchpoint that was hit */
    int watch_flags;
    TCGCpuWatch cpu_watch[TCG_CPU_WATCH_SLOTS];  /* the guest CPU's own (cpu-watch.c) */
    bool cpu_watch_any;         /* a slot is enabled */
    unsigned cpu_watch_hits;    /* slots hit by the instruction running again alone */
    uint32_t cflags_next_tb;    /* cflags for the next TB (-1: none) */
    bool exclusive_step;        /* cpu_loop_exit_atomic: run the next insn exclusively */
    bool in_exclusive;          /* running that instruction (others stopped) */
    TranslationBlock *gen_tb;   /* TB being translated (code fetch records its pages) */
    sigjmp_buf xlate_jmp;       /* restart of a translation with fewer instructions */
    bool xlate_jmp_valid;
    TCGStatCounters stats;
    CPUState *cpu;
    struct TCGVCPU *next;
} TCGVCPU;

/* The vCPU whose tcg_cpu_exec runs on this thread, or NULL. */
extern __thread TCGVCPU *tcg_current_vcpu;

static inline TCGVCPU *tcg_vcpu(CPUState *cpu)
{
    return cpu->accel_state;
}

/* Jump-cache slot of a virtual PC: the page picks a group of TB_JMP_PAGE_SIZE slots and
 * the offset in the page a slot in it, so one page's entries sit together and a page
 * flush clears only its group (and the previous page's: a TB may run into the page). */
static inline unsigned jc_page_group(uint64_t pc)
{
    uint64_t page = pc >> TLB_PAGE_BITS;
    return (unsigned)(page ^ (page >> TB_JMP_GROUP_BITS)) & (TB_JMP_GROUPS - 1);
}

static inline unsigned jc_index(uint64_t pc)
{
    unsigned ofs = (unsigned)(pc ^ (pc >> TB_JMP_PAGE_BITS)) & (TB_JMP_PAGE_SIZE - 1);
    return jc_page_group(pc) << TB_JMP_PAGE_BITS | ofs;
}

/* Puts tb in the jump cache (the vCPU's own thread) and notes its group as used. */
static inline void jc_insert(TCGVCPU *v, uint64_t pc, TranslationBlock *tb)
{
    unsigned h = jc_index(pc), group = h >> TB_JMP_PAGE_BITS;
    atomic_store_explicit(&v->jmp_cache[h], tb, memory_order_release);
    atomic_fetch_or_explicit(&v->jc_groups_used[group / 64], 1ull << (group % 64),
                             memory_order_relaxed);
}

static inline const TCGTargetOps *tcg_target_ops(CPUState *cpu)
{
    return cpu->cls->tcg_ops;
}

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
/* ---- tb-hash.c: the TB hash table (lookup lock-free, changes under tb_lock) ---- */
/* A TB spanning two pages matches only if its second page is still page1_host (the host
 * page the next virtual page maps to now, 0 if none; UINTPTR_MAX: do not check). */
TranslationBlock *tb_htable_lookup(uint64_t phys_pc, uint64_t pc, uint64_t cs_base,
                                   uint32_t flags, uint32_t cflags, uintptr_t page1_host);
void tb_hash_insert(TranslationBlock *tb);
void tb_hash_remove(TranslationBlock *tb);
/* Empties the table (tb_flush: no vCPU in translated code). */
void tb_hash_reset(void);
unsigned tb_hash_buckets(void);

/* ---- tb-pages.c: code pages (lock-free readers, changes under tb_lock) ---- */
void tb_page_add(uintptr_t host_page, TranslationBlock *tb);
void tb_page_remove(uintptr_t host_page, TranslationBlock *tb);
/* Does a live TB cover a byte of [host, host + len), or is a translation reading its
 * page? (lock-free; true also for ranges crossing a page) */
bool tb_page_range_has_code(uintptr_t host, size_t len);
void tb_pages_free(void);
/* Out of the hash table, page lists and jump caches, unchained (tb_lock held). */
void tb_invalidate_locked(TranslationBlock *tb);
/* Adds a new TB to the hash table and the page lists (tb_lock held). */
void tb_link(TranslationBlock *tb);

/* ---- tb-region.c: per-vCPU code regions and the host-code index ---- */
/* tb_region_gen: the vCPU moved to a fresh region; emit the TB again. */
#define TB_GEN_RETRY (-101)
/* A zeroed TB at the vCPU's region cursor, for the next translation (claims a region
 * if needed); NULL when the buffer is full. */
TranslationBlock *tb_region_new_tb(CPUState *cpu);
/* After TB_GEN_RETRY: the TB copied to the cursor of the vCPU's new region. */
TranslationBlock *tb_region_move_tb(CPUState *cpu, TranslationBlock *tb);
/* Generates the host code of tb (emitted in the vCPU's context) right after it in the
 * region, without a lock: its size, TCG_GEN_TOO_BIG, another tcg_gen_code error,
 * TB_GEN_RETRY (moved to a fresh region: move the TB and emit again), or -1 when the
 * whole buffer is full. */
long tb_region_gen(CPUState *cpu, TranslationBlock *tb);
/* Makes that code the TB's (tc_ptr, tc_size), copies the insn-start map after it,
 * advances the cursor and records the TB in the host-code index (tb_lock held). */
void tb_region_commit(TCGVCPU *v, TranslationBlock *tb, size_t len);
/* The TB whose host code contains retaddr, or NULL (takes tb_lock). */
TranslationBlock *tb_find_by_host(uintptr_t retaddr);
/* Forgets every region and the TBs in them (tb_flush). */
void tb_regions_free(void);
void tb_regions_count(uint64_t *live, uint64_t *total);
/* Chains slot n of from to to (if both are valid and the slot is free). */
void tb_add_jump(TranslationBlock *from, int n, TranslationBlock *to);
/* Does the RAM page at host_page hold translated code, or is code being translated
 * from it? (lock-free) */
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
/* Clears the jump-cache entries of TBs that may start in the page of vaddr or run into it
 * from the page before. */
void tb_jmp_cache_clear_page(TCGVCPU *v, uint64_t vaddr);
/* The list of every vCPU's runtime data (registry). */
TCGVCPU *tcg_vcpu_list(void);
void tcg_vcpu_list_add(TCGVCPU *v);
void tcg_vcpu_list_remove(TCGVCPU *v);

/* ---- tlb-lock.c: the TLB lock, biased towards the owner ---------------------------- */
/* Mutations of a vCPU's TLB by its own thread run in an owner section (tlb_owner_lock) or
 * hold tlb_lock; scans by others (code-page marking) hold tlb_foreign_lock. */
extern bool tlb_lock_biased;        /* membarrier(2) is available */
void tlb_lock_init(TCGVCPU *v);
/* Another thread's (or the owner's own, outside its fast sections) exclusive access to
 * v's TLB: takes tlb_lock and waits out a fast section of the owner. */
void tlb_foreign_lock(TCGVCPU *v);
void tlb_foreign_unlock(TCGVCPU *v);

/* The owner thread's short section on its TLB (a fill, a victim swap): no locked
 * instruction unless a foreign thread wants the TLB (then tlb_lock). Returns what to pass
 * to tlb_owner_unlock. */
static inline bool tlb_owner_lock(TCGVCPU *v)
{
    if (tlb_lock_biased && v == tcg_current_vcpu) {
        atomic_store_explicit(&v->tlb_owner_busy, 1, memory_order_relaxed);
        atomic_signal_fence(memory_order_seq_cst);  /* the store stays before the load */
        if (!atomic_load_explicit(&v->tlb_foreign_want, memory_order_acquire)) {
            return true;
        }
        atomic_store_explicit(&v->tlb_owner_busy, 0, memory_order_release);
    }
    tlb_foreign_lock(v);        /* another thread, or a foreign thread is marking */
    return false;
}

static inline void tlb_owner_unlock(TCGVCPU *v, bool fast)
{
    if (fast) {
        atomic_store_explicit(&v->tlb_owner_busy, 0, memory_order_release);
    } else {
        tlb_foreign_unlock(v);
    }
}

/* ---- tlb-table.c: the TLB data structure ------------------------------------------- */
void tlb_table_init(TCGVCPU *v);
void tlb_table_destroy(TCGVCPU *v);
/* Empties MMU index mmu_idx if anything was filled since the last flush, resizing it
 * first per the sizing policy (tlb_lock held). */
void tlb_table_flush_idx(TCGVCPU *v, int mmu_idx);
/* Drops the translations of pages in [start, start + len) (main and victim entries;
 * tlb_lock held). */
void tlb_table_flush_range(TCGVCPU *v, int mmu_idx, uint64_t start, uint64_t len);
/* Installs entry/full for vaddr_page, moving a valid entry of another page that sits in
 * its slot to the victim TLB (tlb_lock held). */
void tlb_table_install(TCGVCPU *v, int mmu_idx, uint64_t vaddr_page, const CPUTLBEntry *e,
                       const CPUTLBEntryFull *full);
/* Whether a tag is valid for the page of addr (flag bits aside). */
static inline bool tlb_hit(uint64_t tag, uint64_t addr)
{
    return (tag & (TLB_PAGE_MASK | TLB_INVALID_MASK)) == (addr & TLB_PAGE_MASK);
}

/* The tag of e for an access type (atomic: other threads may set TLB_NOTDIRTY). */
static inline uint64_t tlb_entry_tag(const CPUTLBEntry *e, MMUAccessType type)
{
    switch (type) {
    case MMU_DATA_LOAD:
        return __atomic_load_n(&e->addr_read, __ATOMIC_RELAXED);
    case MMU_DATA_STORE:
        return __atomic_load_n(&e->addr_write, __ATOMIC_RELAXED);
    default:
        return __atomic_load_n(&e->addr_code, __ATOMIC_RELAXED);
    }
}

void tlb_table_victim_swap(TCGVCPU *v, int mmu_idx, uint64_t addr, int i);
/* On a miss: if the victim TLB holds addr's page with a valid tag for the access type,
 * swaps it into the main table and returns true. Inline: every miss scans. */
static inline bool tlb_table_victim_hit(TCGVCPU *v, int mmu_idx, uint64_t addr,
                                        MMUAccessType type)
{
    CPUTLBDesc *d = &v->tlb[mmu_idx];
    for (int i = 0; i < TLB_VICTIM_SIZE; i++) {
        if (d->victim_page[i] == (addr & TLB_PAGE_MASK) &&
            tlb_hit(tlb_entry_tag(&d->victim[i], type), addr)) {
            tlb_table_victim_swap(v, mmu_idx, addr, i);
            return true;
        }
    }
    return false;
}
/* Sets TLB_NOTDIRTY on every valid write tag of host_page in v (tlb_lock taken). */
void tlb_table_mark_code_page(TCGVCPU *v, uintptr_t host_page);
/* Sets TLB_NOTDIRTY on the writable RAM entries of host pages [start, end). */
void tlb_table_mark_notdirty_range(TCGVCPU *v, uintptr_t start, uintptr_t end);
static inline CPUTLBEntryFull *tlb_table_full(TCGVCPU *v, int mmu_idx, uint64_t addr)
{
    CPUTLBDesc *d = &v->tlb[mmu_idx];
    return &d->full[(addr >> TLB_PAGE_BITS) & ((1u << d->size_bits) - 1)];
}

/* ---- cputlb.c ------------------------------------------------------------------------ */
extern const TCGRuntimeHooks tcg_runtime_hooks_impl;
void tlb_init_vcpu(TCGVCPU *v);
void tlb_destroy_vcpu(TCGVCPU *v);
/* The guest physical address and host page of the code at pc (fills the code TLB; a
 * fault raises it unless probe, then returns false). */
bool tlb_get_code_page(CPUState *cpu, uint64_t pc, bool probe, hwaddr *paddr,
                       uintptr_t *host_page);
/* Sets TLB_NOTDIRTY on every vCPU's write entries for this RAM page. */
void tlb_mark_code_page(uintptr_t host_page);
/* The dirty log's re-arm hook (memory_set_log_rearm_hook): every vCPU's entries of host
 * pages [start, end) send stores through the slow path again. */
void tlb_log_rearm(uintptr_t start, uintptr_t end);
/* Takes the flushes queued by other vCPUs (loop top, own thread). */
void tlb_flush_pending(CPUState *cpu);
/* Flushes the TLB if the address space changed since the last flush (inline: every
 * fill and slow-path access checks). */
static inline void tlb_check_generation(CPUState *cpu)
{
    TCGVCPU *v = tcg_vcpu(cpu);
    if (cpu->as && __atomic_load_n(&cpu->as->generation, __ATOMIC_RELAXED) !=
                   __atomic_load_n(&v->as_generation, __ATOMIC_RELAXED)) {
        tlb_flush(cpu);
    }
}
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

/* ---- cpu-watch.c ---- */
/* TCG_WP_* wanted on this page's tags for the vCPU's own watchpoints. */
unsigned tcg_cpu_watch_page_flags(TCGVCPU *v, uint64_t vaddr_page);
/* The slots (bit i = slot i) an access of [addr, addr + size) of kind flags hits. */
unsigned tcg_cpu_watch_hits(TCGVCPU *v, uint64_t addr, unsigned size, int flags);

/* ---- debug.c ---- */
/* TLB_WATCHPOINT is wanted on the read (TCG_WP_READ) / write (TCG_WP_WRITE) tags of this
 * page. */
unsigned tcg_watchpoint_page_flags(uint64_t vaddr_page);
/* How many debugger watchpoints are set (changed under debug.c's lock). */
extern atomic_int tcg_nb_watchpoints;
/* A slow-path access to a watched page: on a hit, restores the state to the instruction,
 * makes it run again alone and unwinds (the loop then stops after it). */
void tcg_watchpoint_check(CPUState *cpu, uint64_t addr, unsigned size, int flags,
                          uintptr_t retaddr);

/* ---- cpu-exec.c ---------------------------------------------------------------------- */
const void *tcg_lookup_tb_ptr(void *env);

#endif
