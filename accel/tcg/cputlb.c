/* The soft MMU: per-vCPU TLB (layout include/tcg/tlb.h) filled through the target's page
 * walk, the slow paths of guest loads and stores (misses, MMIO, ROM, page-crossing and
 * misaligned accesses, writes to pages holding translated code) and code fetch. */
#include <stdlib.h>
#include <string.h>
#include "accel/tcg/internal.h"
#include "system/main-loop.h"
#include "util/log.h"

static inline CPUTLBEntry *tlb_entry(TCGVCPU *v, int mmu_idx, uint64_t addr)
{
    return tlb_fast_entry(v->cpu, mmu_idx, addr);
}

static inline CPUTLBEntryFull *tlb_full(TCGVCPU *v, int mmu_idx, uint64_t addr)
{
    return tlb_table_full(v, mmu_idx, addr);
}

/* ---- flushing ----------------------------------------------------------------------------
 * A vCPU's TLB is written by its own thread (fills and victim swaps in the owner's fast
 * sections of tlb-lock.c, flushes under its tlb_lock); other threads only set
 * TLB_NOTDIRTY (tlb_mark_code_page: tlb_foreign_lock) or queue flush requests (tlb_lock),
 * which the vCPU takes at its loop top. */

void tlb_init_vcpu(TCGVCPU *v)
{
    tlb_lock_init(v);
    tlb_table_init(v);
    v->as_generation = v->cpu->as ? v->cpu->as->generation : 0;
}

void tlb_destroy_vcpu(TCGVCPU *v)
{
    tlb_table_destroy(v);
}

void tlb_flush_by_mmuidx(CPUState *cpu, uint16_t idxmap)
{
    TCGVCPU *v = tcg_vcpu(cpu);
    spinlock_lock(&v->tlb_lock);
    for (int i = 0; i < TLB_NB_MMU_MODES; i++) {
        if (idxmap & (1u << i)) {
            tlb_table_flush_idx(v, i);
        }
    }
    spinlock_unlock(&v->tlb_lock);
    tb_jmp_cache_clear(v);      /* virtual PCs may map elsewhere now */
    TCG_STAT_INC(tlb_flushes);
}

void tlb_flush(CPUState *cpu)
{
    TCGVCPU *v = tcg_vcpu(cpu);
    uint64_t gen = cpu->as ? __atomic_load_n(&cpu->as->generation, __ATOMIC_RELAXED) : 0;
    tlb_flush_by_mmuidx(cpu, (1u << TLB_NB_MMU_MODES) - 1);
    /* atomic: a synced flush from another vCPU may write it while this one is stopped */
    __atomic_store_n(&v->as_generation, gen, __ATOMIC_RELAXED);
}

/* One page of mmu_idx; inside a recorded large page, every entry of that large page
 * (its 4 KiB pieces are all that page's translation). true if a large page was hit. */
static bool tlb_flush_page_locked(TCGVCPU *v, int mmu_idx, uint64_t page)
{
    bool large = false;
    for (int k = 0; k < v->nb_large[mmu_idx]; k++) {
        TLBLargePage *lp = &v->large[mmu_idx][k];
        if ((page & lp->mask) == lp->addr) {
            tlb_table_flush_range(v, mmu_idx, lp->addr, ~lp->mask + 1);
            *lp = v->large[mmu_idx][--v->nb_large[mmu_idx]];
            k--;
            large = true;
        }
    }
    if (!large) {
        tlb_table_flush_range(v, mmu_idx, page, TLB_PAGE_SIZE);
    }
    return large;
}

void tlb_flush_page_by_mmuidx(CPUState *cpu, uint64_t vaddr, uint16_t idxmap)
{
    TCGVCPU *v = tcg_vcpu(cpu);
    uint64_t page = vaddr & TLB_PAGE_MASK;
    bool large = false;

    spinlock_lock(&v->tlb_lock);
    for (int i = 0; i < TLB_NB_MMU_MODES; i++) {
        if (idxmap & (1u << i)) {
            large |= tlb_flush_page_locked(v, i, page);
        }
    }
    spinlock_unlock(&v->tlb_lock);
    if (large) {
        tb_jmp_cache_clear(v);      /* many pages: their groups cover the cache */
    } else {
        tb_jmp_cache_clear_page(v, page);
    }
    TCG_STAT_INC(tlb_page_flushes);
}

void tlb_flush_page(CPUState *cpu, uint64_t vaddr)
{
    tlb_flush_page_by_mmuidx(cpu, vaddr, (1u << TLB_NB_MMU_MODES) - 1);
}

/* ---- flushes for other vCPUs ----------------------------------------------------------- */

#define TLB_ALL_MMUIDX ((uint16_t)((1u << TLB_NB_MMU_MODES) - 1))
#define TLB_FLUSH_WHOLE UINT64_MAX      /* "addr" of a request for whole MMU indexes */

static void tlb_flush_synced_work(CPUState *cpu, TCGVCPU *v);

static void tlb_flush_apply(CPUState *cpu, uint64_t addr, uint16_t idxmap)
{
    if (addr != TLB_FLUSH_WHOLE) {
        tlb_flush_page_by_mmuidx(cpu, addr, idxmap);
    } else if (idxmap == TLB_ALL_MMUIDX) {
        tlb_flush(cpu);
    } else {
        tlb_flush_by_mmuidx(cpu, idxmap);
    }
}

/* Queues a flush on v (taken at its next loop top or TB entry). */
static void tlb_flush_queue(TCGVCPU *v, uint64_t addr, uint16_t idxmap)
{
    spinlock_lock(&v->tlb_lock);
    if (addr != TLB_FLUSH_WHOLE && v->nb_flush_req < TLB_FLUSH_QUEUE) {
        v->flush_req[v->nb_flush_req++] = (TLBFlushRequest){ addr & TLB_PAGE_MASK, idxmap };
    } else {
        v->flush_req_whole |= idxmap;   /* a full queue becomes a flush of the indexes */
    }
    spinlock_unlock(&v->tlb_lock);
    atomic_store(&v->flush_req_pending, 1);
    tcg_cpu_kick(v->cpu);
}

void tlb_flush_pending(CPUState *cpu)
{
    TCGVCPU *v = tcg_vcpu(cpu);
    TLBFlushRequest req[TLB_FLUSH_QUEUE];

    tlb_flush_synced_work(cpu, v);
    if (!atomic_load_explicit(&v->flush_req_pending, memory_order_acquire)) {
        return;
    }
    atomic_store(&v->flush_req_pending, 0);
    spinlock_lock(&v->tlb_lock);
    uint16_t whole = v->flush_req_whole;
    int n = v->nb_flush_req;
    memcpy(req, v->flush_req, sizeof(req[0]) * (size_t)n);
    v->flush_req_whole = 0;
    v->nb_flush_req = 0;
    spinlock_unlock(&v->tlb_lock);
    if (whole) {
        tlb_flush_apply(cpu, TLB_FLUSH_WHOLE, whole);
    }
    for (int i = 0; i < n; i++) {
        if (req[i].idxmap & ~whole) {
            tlb_flush_apply(cpu, req[i].addr, req[i].idxmap & ~whole);
        }
    }
    TCG_STAT_ADD(tlb_flush_requests, (uint64_t)n + (whole != 0));
}

/* The flush on every vCPU but src: done by this thread (they must be stopped) or queued. */
static void tlb_flush_others(CPUState *src, uint64_t addr, uint16_t idxmap, bool direct)
{
    TCGVCPU *sv = src ? tcg_vcpu(src) : NULL;
    tb_lock();              /* the vCPU list */
    for (TCGVCPU *v = tcg_vcpu_list(); v; v = v->next) {
        if (v == sv || !v->ctx) {
            continue;
        }
        if (direct) {
            tlb_flush_apply(v->cpu, addr, idxmap);
        } else {
            tlb_flush_queue(v, addr, idxmap);
        }
    }
    tb_unlock();
}

/* A synced flush asked by the vCPU running on this thread (from a helper): noted, and the
 * vCPU kicked so that it leaves translated code at its next TB entry; its loop top then
 * stops the others and flushes them (tlb_flush_synced_work) before it runs on. It is not
 * done inside the helper: a vCPU waiting there for the others would keep its TB in use
 * while one of them might flush the code buffer. */
static void tlb_flush_synced_note(TCGVCPU *v, uint64_t addr, uint16_t idxmap)
{
    if (addr != TLB_FLUSH_WHOLE && v->nb_sync_req < TLB_FLUSH_QUEUE) {
        v->sync_req[v->nb_sync_req++] = (TLBFlushRequest){ addr & TLB_PAGE_MASK, idxmap };
    } else {
        v->sync_req_whole |= idxmap;
    }
    tcg_cpu_kick(v->cpu);
}

static void tlb_flush_synced_work(CPUState *cpu, TCGVCPU *v)
{
    if (!v->nb_sync_req && !v->sync_req_whole) {
        return;
    }
    tcg_exclusive_begin(cpu);
    if (v->sync_req_whole) {
        tlb_flush_others(cpu, TLB_FLUSH_WHOLE, v->sync_req_whole, true);
    }
    for (int i = 0; i < v->nb_sync_req; i++) {
        if (v->sync_req[i].idxmap & ~v->sync_req_whole) {
            tlb_flush_others(cpu, v->sync_req[i].addr,
                             v->sync_req[i].idxmap & ~v->sync_req_whole, true);
        }
    }
    tcg_exclusive_end();
    v->nb_sync_req = 0;
    v->sync_req_whole = 0;
}

/* The flush on src at once; on the others: queued (asynchronous), or synced. */
static void tlb_flush_all_cpus_common(CPUState *src, uint64_t addr, uint16_t idxmap,
                                      bool synced)
{
    TCGVCPU *sv = src ? tcg_vcpu(src) : NULL;

    if (synced && sv && sv == tcg_current_vcpu && tcg_exclusive_held()) {
        tlb_flush_others(src, addr, idxmap, true);  /* an exclusive step: all stopped */
    } else if (synced && sv && sv == tcg_current_vcpu) {
        tlb_flush_synced_note(sv, addr, idxmap);
    } else {
        tlb_flush_others(src, addr, idxmap, false);
    }
    if (sv && sv->ctx) {
        tlb_flush_apply(src, addr, idxmap);
    }
}

void tlb_flush_all_cpus(CPUState *src)
{
    tlb_flush_all_cpus_common(src, TLB_FLUSH_WHOLE, TLB_ALL_MMUIDX, false);
}

void tlb_flush_page_all_cpus(CPUState *src, uint64_t vaddr)
{
    tlb_flush_all_cpus_common(src, vaddr, TLB_ALL_MMUIDX, false);
}

void tlb_flush_by_mmuidx_all_cpus(CPUState *src, uint16_t idxmap)
{
    tlb_flush_all_cpus_common(src, TLB_FLUSH_WHOLE, idxmap, false);
}

void tlb_flush_page_by_mmuidx_all_cpus(CPUState *src, uint64_t vaddr, uint16_t idxmap)
{
    tlb_flush_all_cpus_common(src, vaddr, idxmap, false);
}

void tlb_flush_all_cpus_synced(CPUState *src)
{
    tlb_flush_all_cpus_common(src, TLB_FLUSH_WHOLE, TLB_ALL_MMUIDX, true);
}

void tlb_flush_page_all_cpus_synced(CPUState *src, uint64_t vaddr)
{
    tlb_flush_all_cpus_common(src, vaddr, TLB_ALL_MMUIDX, true);
}

void tlb_flush_by_mmuidx_all_cpus_synced(CPUState *src, uint16_t idxmap)
{
    tlb_flush_all_cpus_common(src, TLB_FLUSH_WHOLE, idxmap, true);
}

void tlb_flush_page_by_mmuidx_all_cpus_synced(CPUState *src, uint64_t vaddr, uint16_t idxmap)
{
    tlb_flush_all_cpus_common(src, vaddr, idxmap, true);
}

/* ---- filling ----------------------------------------------------------------------------- */

/* Records a large page of mmu_idx (its 4 KiB entries are flushed together). When the
 * table is full, the new page is merged into the last entry, grown to cover both: a
 * flush inside it then clears more entries than needed, never fewer. */
static void tlb_add_large_page(TCGVCPU *v, int mmu_idx, uint64_t vaddr, uint64_t size)
{
    uint64_t mask = ~(size - 1);
    int n = v->nb_large[mmu_idx];

    for (int k = 0; k < n; k++) {
        TLBLargePage *lp = &v->large[mmu_idx][k];
        if ((vaddr & lp->mask) == lp->addr && (lp->mask & ~mask) == 0) {
            return;                     /* already covered */
        }
    }
    if (n < TLB_LARGE_PAGES) {
        v->large[mmu_idx][n] = (TLBLargePage){ vaddr & mask, mask };
        v->nb_large[mmu_idx] = n + 1;
        return;
    }
    TLBLargePage *lp = &v->large[mmu_idx][n - 1];
    mask &= lp->mask;
    while ((lp->addr ^ vaddr) & mask) {
        mask <<= 1;
    }
    lp->addr = vaddr & mask;
    lp->mask = mask;
}

/* The flat range holding paddr_page: the vCPU's last one while the address space's
 * generation is the one its TLB was filled under (most fills hit the same RAM range),
 * else a lookup. */
static const FlatRange *tlb_flat_range(TCGVCPU *v, AddressSpace *as, hwaddr paddr_page)
{
    const FlatRange *fr = v->fr_cache;
    if (fr && v->fr_cache_as == as && v->fr_cache_gen == v->as_generation &&
        paddr_page >= fr->start && paddr_page - fr->start < fr->size) {
        return fr;
    }
    fr = as ? address_space_lookup(as, paddr_page) : NULL;
    v->fr_cache = fr;
    v->fr_cache_as = as;
    v->fr_cache_gen = v->as_generation;
    return fr;
}

/* The host address of a whole RAM/ROM page at paddr_page, or 0; *readonly for ROM;
 * *log: the page's byte in its region's dirty log (NULL when the region logs nothing). */
static uintptr_t ram_host_page(TCGVCPU *v, AddressSpace *as, hwaddr paddr_page,
                               bool *readonly, uint8_t **log)
{
    const FlatRange *fr = tlb_flat_range(v, as, paddr_page);
    *readonly = false;
    *log = NULL;
    if (!fr || !fr->mr->host || (fr->mr->kind != MR_RAM && fr->mr->kind != MR_ROM)) {
        return 0;
    }
    if (paddr_page < fr->start || paddr_page + TLB_PAGE_SIZE > fr->start + fr->size) {
        return 0;           /* the page is not all one region: slow path per access */
    }
    *readonly = fr->mr->kind == MR_ROM || fr->mr->readonly;
    if (fr->mr->dirty_log) {
        *log = &fr->mr->dirty_log[(fr->offset + paddr_page - fr->start) >> MEMORY_LOG_PAGE_BITS];
    }
    return (uintptr_t)(fr->mr->host + fr->offset + (paddr_page - fr->start));
}

/* Watched pages: their data accesses (of the watched kinds) take the slow path. */
static void tlb_entry_add_watch(TCGVCPU *v, CPUTLBEntry *e, uint64_t vaddr_page)
{
    if (!v->cpu_watch_any &&
        atomic_load_explicit(&tcg_nb_watchpoints, memory_order_relaxed) == 0) {
        return;             /* the common case, checked without two calls per fill */
    }
    unsigned wp = tcg_watchpoint_page_flags(vaddr_page) |
                  tcg_cpu_watch_page_flags(v, vaddr_page);
    if ((wp & TCG_WP_READ) && e->addr_read != UINT64_MAX) {
        e->addr_read |= TLB_WATCHPOINT;
    }
    if ((wp & TCG_WP_WRITE) && e->addr_write != UINT64_MAX) {
        e->addr_write |= TLB_WATCHPOINT;
    }
}

void tlb_set_page(CPUState *cpu, uint64_t vaddr, hwaddr paddr, int prot, int mmu_idx,
                  uint64_t size)
{
    TCGVCPU *v = tcg_vcpu(cpu);
    uint64_t vaddr_page = vaddr & TLB_PAGE_MASK;
    bool readonly;
    uint8_t *log;

    if (mmu_idx < 0 || mmu_idx >= TLB_NB_MMU_MODES) {
        log_category_printf(LOG_GUEST_ERROR, "tlb_set_page: bad MMU index %d\n", mmu_idx);
        return;
    }
    if (size < TLB_PAGE_SIZE || (size & (size - 1))) {
        size = TLB_PAGE_SIZE;
    }
    hwaddr paddr_page = ((paddr & ~(size - 1)) + (vaddr & (size - 1))) & TLB_PAGE_MASK;
    tlb_check_generation(cpu);
    uintptr_t host = ram_host_page(v, cpu->as, paddr_page, &readonly, &log);
    uint64_t io = host ? 0 : TLB_MMIO;
    CPUTLBEntryFull full = { .paddr_page = paddr_page, .host_page = host, .prot = prot,
                             .dirty_log = log };
    CPUTLBEntry e = {
        .addend = host - (uintptr_t)vaddr_page,
        .addr_read = (prot & PAGE_READ) ? vaddr_page | io : UINT64_MAX,
        .addr_code = (prot & PAGE_EXEC) ? vaddr_page | io : UINT64_MAX,
        .addr_write = UINT64_MAX,
    };

    bool fast = tlb_owner_lock(v);     /* against tlb_mark_code_page */
    if (size > TLB_PAGE_SIZE) {
        tlb_add_large_page(v, mmu_idx, vaddr, size);
    }
    if (prot & PAGE_WRITE) {
        e.addr_write = vaddr_page | io | (readonly ? TLB_MMIO : 0);
        if (host && !readonly && (tb_page_has_code(host) ||
                                  (log && !__atomic_load_n(log, __ATOMIC_ACQUIRE)))) {
            e.addr_write |= TLB_NOTDIRTY;
        }
    }
    tlb_entry_add_watch(v, &e, vaddr_page);
    tlb_table_install(v, mmu_idx, vaddr_page, &e, &full);
    tlb_owner_unlock(v, fast);
    if (log_enabled(LOG_MMU)) {     /* checked here: a varargs call on every fill costs */
        log_category_printf(LOG_MMU, "tlb: cpu %d mmu %d %016llx -> %016llx prot %d%s\n",
                            cpu->index, mmu_idx, (unsigned long long)vaddr_page,
                            (unsigned long long)paddr_page, prot, host ? "" : " io");
    }
}

void tlb_mark_code_page(uintptr_t host_page)
{
    for (TCGVCPU *v = tcg_vcpu_list(); v; v = v->next) {
        if (!v->ctx) {
            continue;
        }
        tlb_table_mark_code_page(v, host_page);
    }
}

/* Makes the entry for addr valid for type through the target's page walk (raises the
 * guest fault unless probe; then returns false). */
static bool tlb_fill_entry(CPUState *cpu, uint64_t addr, int size, MMUAccessType type,
                           int mmu_idx, bool probe, uintptr_t retaddr)
{
    const TCGTargetOps *ops = tcg_target_ops(cpu);
    TCG_STAT_INC(tlb_fills);
    return ops->tlb_fill(cpu, addr, size, type, mmu_idx, probe, retaddr);
}

/* The entry for addr, filled if needed; NULL (probe) if the page walk fails or the
 * target did not install a usable entry. */
static CPUTLBEntry *tlb_lookup(CPUState *cpu, uint64_t addr, int size, MMUAccessType type,
                               int mmu_idx, bool probe, uintptr_t retaddr)
{
    TCGVCPU *v = tcg_vcpu(cpu);
    CPUTLBEntry *e = tlb_entry(v, mmu_idx, addr);
    if (tlb_hit(tlb_entry_tag(e, type), addr)) {
        return e;
    }
    if (tlb_table_victim_hit(v, mmu_idx, addr, type)) {
        return e;
    }
    if (!tlb_fill_entry(cpu, addr, size, type, mmu_idx, probe, retaddr)) {
        return NULL;
    }
    e = tlb_entry(v, mmu_idx, addr);        /* the fill may have resized the table */
    return tlb_hit(tlb_entry_tag(e, type), addr) ? e : NULL;
}

/* ---- device and unassigned accesses -------------------------------------------------- */

static uint64_t io_read(CPUState *cpu, hwaddr paddr, unsigned size)
{
    bool locked = bql_locked();
    uint64_t val = 0;
    if (!locked) {
        bql_lock();
    }
    const FlatRange *fr = cpu->as ? address_space_lookup(cpu->as, paddr) : NULL;
    if (fr && fr->mr->kind == MR_IO && paddr + size <= fr->start + fr->size) {
        memory_region_dispatch_read(fr->mr, fr->offset + (paddr - fr->start), size, &val);
    } else if (!cpu->as || address_space_load(cpu->as, paddr, size, &val) != MEMTX_OK) {
        val = cpu->as ? val : UINT64_MAX;
    }
    if (!locked) {
        bql_unlock();
    }
    TCG_STAT_INC(mmio_accesses);
    return val;
}

static void io_write(CPUState *cpu, hwaddr paddr, unsigned size, uint64_t val)
{
    bool locked = bql_locked();
    if (!locked) {
        bql_lock();
    }
    const FlatRange *fr = cpu->as ? address_space_lookup(cpu->as, paddr) : NULL;
    if (fr && fr->mr->kind == MR_IO && paddr + size <= fr->start + fr->size) {
        memory_region_dispatch_write(fr->mr, fr->offset + (paddr - fr->start), size, val);
    } else if (cpu->as) {
        address_space_store(cpu->as, paddr, size, val);  /* ROM: dropped; unassigned: logged */
    }
    if (!locked) {
        bql_unlock();
    }
    TCG_STAT_INC(mmio_accesses);
    tlb_check_generation(cpu);     /* the device may have remapped memory */
}

/* ---- one access inside one page (raw = little-endian assembled bytes) ------------------ */

/* A little-endian load or store of 1, 2, 4 or 8 bytes of host memory with one access of
 * that width (a byte-wise memcpy into a zeroed 64-bit variable then read whole would
 * stall store forwarding on every slow-path access). */
static uint64_t host_load_le(const void *p, unsigned size)
{
    uint8_t b;
    uint16_t w;
    uint32_t l;
    uint64_t q;
    switch (size) {
    case 1:
        memcpy(&b, p, 1);
        return b;
    case 2:
        memcpy(&w, p, 2);
        return w;
    case 4:
        memcpy(&l, p, 4);
        return l;
    default:
        memcpy(&q, p, 8);
        return q;
    }
}

static void host_store_le(void *p, unsigned size, uint64_t raw)
{
    uint8_t b = (uint8_t)raw;
    uint16_t w = (uint16_t)raw;
    uint32_t l = (uint32_t)raw;
    switch (size) {
    case 1:
        memcpy(p, &b, 1);
        break;
    case 2:
        memcpy(p, &w, 2);
        break;
    case 4:
        memcpy(p, &l, 4);
        break;
    default:
        memcpy(p, &raw, 8);
        break;
    }
}

static uint64_t load_page(CPUState *cpu, uint64_t addr, unsigned size, int mmu_idx,
                          MMUAccessType type, uintptr_t retaddr)
{
    TCGVCPU *v = tcg_vcpu(cpu);
    CPUTLBEntry *e = tlb_lookup(cpu, addr, (int)size, type, mmu_idx, false, retaddr);
    CPUTLBEntryFull *full = tlb_full(v, mmu_idx, addr);

    if (e && (tlb_entry_tag(e, type) & TLB_WATCHPOINT) && type == MMU_DATA_LOAD) {
        tcg_watchpoint_check(cpu, addr, size, TCG_WP_READ, retaddr);
    }
    if (!e || (tlb_entry_tag(e, type) & TLB_MMIO)) {
        return io_read(cpu, full->paddr_page | (addr & ~TLB_PAGE_MASK), size);
    }
    return host_load_le((void *)(uintptr_t)(addr + e->addend), size);
}

/* The page holds no code any more and is marked in its dirty log (if logged): stores to it
 * may take the fast path again. Under tb_lock, so that it cannot undo the marking of a
 * page that just got a TB; the log is read under the TLB lock, so that a display's
 * clearing of it (which then re-arms the entries under that lock) is never undone. */
static void tlb_clear_notdirty(CPUState *cpu, CPUTLBEntry *e, uintptr_t page,
                               const uint8_t *log)
{
    TCGVCPU *v = tcg_vcpu(cpu);
    tb_lock();
    spinlock_lock(&v->tlb_lock);
    if (!tb_page_has_code(page) && (!log || __atomic_load_n(log, __ATOMIC_ACQUIRE))) {
        __atomic_fetch_and(&e->addr_write, ~(uint64_t)TLB_NOTDIRTY, __ATOMIC_RELAXED);
    }
    spinlock_unlock(&v->tlb_lock);
    tb_unlock();
}

/* A store to a page holding translated code: drop the TBs it overwrites first. If the
 * running TB is one of them (and has more than this instruction), redo the instruction
 * in a one-instruction TB so that nothing stale runs after the store. */
static void notdirty_write(CPUState *cpu, CPUTLBEntry *e, const CPUTLBEntryFull *full,
                           uintptr_t host, unsigned size, uintptr_t retaddr)
{
    uintptr_t page = host & ~(uintptr_t)(TLB_PAGE_SIZE - 1);

    if (!tb_page_range_has_code(host, size)) {
        if (!tb_page_has_code(page)) {
            tlb_clear_notdirty(cpu, e, page, full->dirty_log);
        }
        return;                 /* the common case: no lock taken */
    }
    TranslationBlock *current = retaddr ? tb_find_by_host(retaddr) : NULL;
    if (tb_invalidate_host_range_current(host, size, current) && current->icount > 1) {
        TCGVCPU *v = tcg_vcpu(cpu);
        cpu_restore_state(cpu, retaddr);
        v->cflags_next_tb = 1 | CF_NOCACHE;
        cpu_loop_exit(cpu);
    }
    if (!tb_page_has_code(page)) {
        tlb_clear_notdirty(cpu, e, page, full->dirty_log);
    }
}

/* A store to a clean page of a logged region (after it is done, so that a display reading
 * the log cannot miss it): the page is marked and its stores take the fast path again. */
static void dirty_log_write(CPUState *cpu, CPUTLBEntry *e, const CPUTLBEntryFull *full,
                            uintptr_t host)
{
    uintptr_t page = host & ~(uintptr_t)(TLB_PAGE_SIZE - 1);

    if (full->dirty_log) {
        __atomic_store_n(full->dirty_log, 1, __ATOMIC_RELEASE);
        if (!tb_page_has_code(page)) {
            tlb_clear_notdirty(cpu, e, page, full->dirty_log);
        }
    }
}

void tlb_log_rearm(uintptr_t start, uintptr_t end)
{
    for (TCGVCPU *v = tcg_vcpu_list(); v; v = v->next) {
        if (v->ctx) {
            tlb_table_mark_notdirty_range(v, start, end);
        }
    }
}

static void store_page(CPUState *cpu, uint64_t addr, unsigned size, uint64_t raw,
                       int mmu_idx, uintptr_t retaddr)
{
    TCGVCPU *v = tcg_vcpu(cpu);
    CPUTLBEntry *e = tlb_lookup(cpu, addr, (int)size, MMU_DATA_STORE, mmu_idx, false, retaddr);
    CPUTLBEntryFull *full = tlb_full(v, mmu_idx, addr);
    uint64_t tag = e ? tlb_entry_tag(e, MMU_DATA_STORE) : UINT64_MAX;

    if (e && (tag & TLB_WATCHPOINT)) {
        tcg_watchpoint_check(cpu, addr, size, TCG_WP_WRITE, retaddr);
    }
    if (!e || (tag & TLB_MMIO)) {
        io_write(cpu, full->paddr_page | (addr & ~TLB_PAGE_MASK), size, raw);
        return;
    }
    uintptr_t host = (uintptr_t)(addr + e->addend);
    if (tag & TLB_NOTDIRTY) {
        notdirty_write(cpu, e, full, host, size, retaddr);
    }
    host_store_le((void *)host, size, raw);
    if (tag & TLB_NOTDIRTY) {
        dirty_log_write(cpu, e, full, host);
    }
}

/* ---- the slow paths ------------------------------------------------------------------- */

static void check_alignment(CPUState *cpu, uint64_t addr, MemOp mop, MMUAccessType type,
                            int mmu_idx, uintptr_t retaddr)
{
    unsigned align = memop_alignment(mop);
    const TCGTargetOps *ops = tcg_target_ops(cpu);
    if ((addr & (align - 1)) && ops->do_unaligned_access) {
        ops->do_unaligned_access(cpu, addr, type, mmu_idx, retaddr);
    }
}

static bool crosses_page(uint64_t addr, unsigned size)
{
    return (addr & ~TLB_PAGE_MASK) + size > TLB_PAGE_SIZE;
}

static int checked_mmu_idx(int mmu_idx)
{
    return mmu_idx >= 0 && mmu_idx < TLB_NB_MMU_MODES ? mmu_idx : 0;
}

/* A 64-bit access that needs only word alignment is two word accesses (ARM's LDM/STM
 * pairs, include/tcg/tcg.h): on the slow path each word is its own access, the lower
 * address first, so that a device sees the two word accesses the instructions make. */
static bool is_word_pair(MemOp mop)
{
    return memop_size(mop) == 8 && memop_alignment(mop) == 4;
}

/* size bytes at addr as laid out in guest memory (a page crossing byte by byte). */
static uint64_t load_bytes(CPUState *cpu, uint64_t addr, unsigned size, int mmu_idx,
                           uintptr_t retaddr)
{
    uint64_t raw = 0;
    if (!crosses_page(addr, size)) {
        return load_page(cpu, addr, size, mmu_idx, MMU_DATA_LOAD, retaddr);
    }
    for (unsigned i = 0; i < size; i++) {
        raw |= load_page(cpu, addr + i, 1, mmu_idx, MMU_DATA_LOAD, retaddr) << (8 * i);
    }
    return raw;
}

static void store_bytes(CPUState *cpu, uint64_t addr, unsigned size, uint64_t raw,
                        int mmu_idx, uintptr_t retaddr)
{
    if (!crosses_page(addr, size)) {
        store_page(cpu, addr, size, raw, mmu_idx, retaddr);
        return;
    }
    for (unsigned i = 0; i < size; i++) {
        store_page(cpu, addr + i, 1, (raw >> (8 * i)) & 0xff, mmu_idx, retaddr);
    }
}

uint64_t cpu_ld_mmu(CPUState *cpu, uint64_t addr, MemOp mop, int mmu_idx, uintptr_t retaddr)
{
    unsigned size = memop_size(mop);
    uint64_t raw = 0;

    mmu_idx = checked_mmu_idx(mmu_idx);
    TCG_STAT_INC(slow_loads);
    tlb_check_generation(cpu);
    check_alignment(cpu, addr, mop, MMU_DATA_LOAD, mmu_idx, retaddr);
    if (is_word_pair(mop)) {
        raw = load_bytes(cpu, addr, 4, mmu_idx, retaddr) |
              load_bytes(cpu, addr + 4, 4, mmu_idx, retaddr) << 32;
    } else {
        raw = load_bytes(cpu, addr, size, mmu_idx, retaddr);
    }
    return memop_extend(mop, raw);
}

static uint64_t to_le_raw(MemOp mop, uint64_t val)
{
    unsigned size = memop_size(mop);
    if (!(mop & MO_BE) || size == 1) {
        return val;
    }
    uint64_t raw = 0;
    for (unsigned i = 0; i < size; i++) {
        raw |= ((val >> (8 * i)) & 0xff) << (8 * (size - 1 - i));
    }
    return raw;
}

void cpu_st_mmu(CPUState *cpu, uint64_t addr, uint64_t val, MemOp mop, int mmu_idx,
                uintptr_t retaddr)
{
    unsigned size = memop_size(mop);
    uint64_t raw = to_le_raw(mop, val);

    mmu_idx = checked_mmu_idx(mmu_idx);
    TCG_STAT_INC(slow_stores);
    tlb_check_generation(cpu);
    check_alignment(cpu, addr, mop, MMU_DATA_STORE, mmu_idx, retaddr);
    if (crosses_page(addr, size)) {
        /* Both pages must be writable before any byte is written. */
        uint64_t second = (addr + size - 1) & TLB_PAGE_MASK;
        tlb_lookup(cpu, addr, 1, MMU_DATA_STORE, mmu_idx, false, retaddr);
        tlb_lookup(cpu, second, 1, MMU_DATA_STORE, mmu_idx, false, retaddr);
    }
    if (is_word_pair(mop)) {
        store_bytes(cpu, addr, 4, raw & 0xffffffffu, mmu_idx, retaddr);
        store_bytes(cpu, addr + 4, 4, raw >> 32, mmu_idx, retaddr);
    } else {
        store_bytes(cpu, addr, size, raw, mmu_idx, retaddr);
    }
}

/* probe_access for one page: the entry is filled (or the fault raised); the host
 * address of addr, or NULL if the page is not plain RAM for this access type. */
static void *probe_page(CPUState *cpu, uint64_t addr, unsigned size, MMUAccessType type,
                        int mmu_idx, uintptr_t retaddr)
{
    CPUTLBEntry *e = tlb_lookup(cpu, addr, (int)size, type, mmu_idx, false, retaddr);
    uint64_t tag = e ? tlb_entry_tag(e, type) : UINT64_MAX;

    if (!e || (tag & (TLB_MMIO | TLB_INVALID_MASK | TLB_WATCHPOINT))) {
        return NULL;
    }
    uintptr_t host = (uintptr_t)(addr + e->addend);
    if (type == MMU_DATA_STORE && (tag & TLB_NOTDIRTY) && size > 0) {
        CPUTLBEntryFull *full = tlb_full(tcg_vcpu(cpu), mmu_idx, addr);
        notdirty_write(cpu, e, full, host, size, retaddr);    /* may redo the instruction */
        dirty_log_write(cpu, e, full, host);    /* before the caller's store: see docs */
    }
    return (void *)host;
}

void *tlb_atomic_host(CPUState *cpu, uint64_t addr, unsigned size, MemOp align_mop,
                      int mmu_idx, uintptr_t retaddr)
{
    mmu_idx = checked_mmu_idx(mmu_idx);
    tlb_check_generation(cpu);
    check_alignment(cpu, addr, align_mop, MMU_DATA_STORE, mmu_idx, retaddr);
    if (crosses_page(addr, size)) {
        return NULL;
    }
    void *host = probe_page(cpu, addr, size, MMU_DATA_STORE, mmu_idx, retaddr);
    if (!(tlb_full(tcg_vcpu(cpu), mmu_idx, addr)->prot & PAGE_READ)) {
        probe_page(cpu, addr, size, MMU_DATA_LOAD, mmu_idx, retaddr);   /* the read fault */
    }
    return host;
}

void *probe_access(CPUState *cpu, uint64_t addr, unsigned size, MMUAccessType type,
                   int mmu_idx, uintptr_t retaddr)
{
    mmu_idx = checked_mmu_idx(mmu_idx);
    tlb_check_generation(cpu);
    if (!crosses_page(addr, size)) {
        return probe_page(cpu, addr, size, type, mmu_idx, retaddr);
    }
    /* Every page of the range, in address order, so the first faulting one is raised. */
    uint64_t end = addr + size;
    for (uint64_t a = addr; a - addr < size; a = (a & TLB_PAGE_MASK) + TLB_PAGE_SIZE) {
        uint64_t page_end = (a & TLB_PAGE_MASK) + TLB_PAGE_SIZE;
        uint64_t n = end - a < page_end - a ? end - a : page_end - a;
        probe_page(cpu, a, (unsigned)n, type, mmu_idx, retaddr);
    }
    return NULL;
}

void *tlb_probe_host(CPUState *cpu, uint64_t vaddr, MMUAccessType type, int mmu_idx)
{
    CPUTLBEntry *e = tlb_lookup(cpu, vaddr, 1, type, checked_mmu_idx(mmu_idx), true, 0);
    if (!e || (tlb_entry_tag(e, type) & TLB_FLAGS_MASK)) {
        return NULL;
    }
    return (void *)(uintptr_t)(vaddr + e->addend);
}

/* The common misses of the generated code's hit path, kept short: the main entry is
 * for another page, this one is in the victim TLB or the target's page walk installs it, it is plain RAM for this access type,
 * and the access is aligned as required and inside the page. One victim scan, at most one
 * walk; the host address, or NULL for the general slow path (which then hits the main
 * table). A walk that faults raises the guest exception from here (retaddr). */
static void *refill_fast_host(CPUState *cpu, uint64_t addr, MemOp mop, unsigned mmu_idx,
                              MMUAccessType type, uintptr_t retaddr)
{
    TCGVCPU *v = tcg_vcpu(cpu);
    unsigned size = memop_size(mop);
    if (mmu_idx >= TLB_NB_MMU_MODES || crosses_page(addr, size) ||
        (addr & (memop_alignment(mop) - 1)) ||
        (cpu->as && __atomic_load_n(&cpu->as->generation, __ATOMIC_RELAXED) !=
                    v->as_generation)) {
        return NULL;
    }
    if (tlb_hit(tlb_entry_tag(tlb_entry(v, (int)mmu_idx, addr), type), addr)) {
        return NULL;        /* a main-table hit with flags: MMIO, NOTDIRTY, ... */
    }
    if (!tlb_table_victim_hit(v, (int)mmu_idx, addr, type) &&
        !tlb_fill_entry(cpu, addr, (int)size, type, (int)mmu_idx, false, retaddr)) {
        return NULL;
    }
    CPUTLBEntry *e = tlb_entry(v, (int)mmu_idx, addr);  /* a fill may have resized it */
    uint64_t tag = tlb_entry_tag(e, type);
    if (!tlb_hit(tag, addr) || (tag & TLB_FLAGS_MASK)) {
        return NULL;
    }
    return (void *)(uintptr_t)(addr + e->addend);
}

static uint64_t hook_load(void *env, uint64_t addr, MemOp mop, unsigned mmu_idx,
                          uintptr_t retaddr)
{
    void *host = refill_fast_host(env, addr, mop, mmu_idx, MMU_DATA_LOAD, retaddr);
    if (host) {
        return memop_extend(mop, host_load_le(host, memop_size(mop)));
    }
    return cpu_ld_mmu(env, addr, mop, (int)mmu_idx, retaddr);
}

static void hook_store(void *env, uint64_t addr, uint64_t val, MemOp mop, unsigned mmu_idx,
                       uintptr_t retaddr)
{
    void *host = refill_fast_host(env, addr, mop, mmu_idx, MMU_DATA_STORE, retaddr);
    if (host) {
        host_store_le(host, memop_size(mop), to_le_raw(mop, val));
        return;
    }
    cpu_st_mmu(env, addr, val, mop, (int)mmu_idx, retaddr);
}

const TCGRuntimeHooks tcg_runtime_hooks_impl = {
    .load = hook_load,
    .store = hook_store,
    .atomic = tcg_rt_atomic,
    .cmpxchg128 = tcg_rt_cmpxchg128,
    .lookup_tb_ptr = tcg_lookup_tb_ptr,
};

/* ---- code fetch --------------------------------------------------------------------- */

int tcg_code_mmu_idx(CPUState *cpu)
{
    const TCGTargetOps *ops = tcg_target_ops(cpu);
    return ops->code_mmu_index ? checked_mmu_idx(ops->code_mmu_index(cpu)) : 0;
}

bool tlb_get_code_page(CPUState *cpu, uint64_t pc, bool probe, hwaddr *paddr,
                       uintptr_t *host_page)
{
    int mmu_idx = tcg_code_mmu_idx(cpu);
    TCGVCPU *v = tcg_vcpu(cpu);
    CPUTLBEntry *e = tlb_lookup(cpu, pc, 1, MMU_INST_FETCH, mmu_idx, probe, 0);
    CPUTLBEntryFull *full = tlb_full(v, mmu_idx, pc);

    if (!e) {
        if (probe) {
            return false;
        }
        /* The target accepted the fetch without installing an entry: use what it gave. */
    }
    *paddr = full->paddr_page | (pc & ~TLB_PAGE_MASK);
    *host_page = full->host_page;
    return true;
}

/* Guest instructions begun so far in the TB being translated (insn_start ops). */
static int insns_started(void)
{
    int n = 0;
    for (int i = 0; i < tcg_ctx->nb_ops; i++) {
        n += tcg_ctx->ops[i].opc == INDEX_op_insn_start;
    }
    return n;
}

/* The first fetch from the TB's second page. If it would fault and the instruction is
 * not the TB's first, the fault belongs to that instruction, not to the TB's start:
 * translate again, ending the TB before it (it will start the next TB, whose fetch
 * fault then carries its own PC). */
static void code_check_second_page(CPUState *cpu, uint64_t addr)
{
    TCGVCPU *v = tcg_vcpu(cpu);
    hwaddr paddr;
    uintptr_t host;
    int started = insns_started();

    if (started > 1 && v->xlate_jmp_valid &&
        !tlb_get_code_page(cpu, addr, true, &paddr, &host)) {
        siglongjmp(v->xlate_jmp, started - 1);
    }
}

static uint8_t fetch_byte(CPUState *cpu, TranslationBlock *tb, uint64_t addr)
{
    hwaddr paddr;
    uintptr_t host_page;
    uint64_t page = addr & TLB_PAGE_MASK;
    int slot = page == (tb->pc & TLB_PAGE_MASK) ? 0 : 1;

    if (slot == 1 && page != ((tb->pc & TLB_PAGE_MASK) + TLB_PAGE_SIZE)) {
        fprintf(stderr, "tcg: TB at %#llx fetches from a third page (%#llx): front end bug\n",
                (unsigned long long)tb->pc, (unsigned long long)addr);
        abort();
    }
    if (slot == 1 && tb->nb_pages < 2) {
        code_check_second_page(cpu, addr);
    }
    tlb_get_code_page(cpu, addr, false, &paddr, &host_page);
    if (tb->nb_pages < slot + 1) {
        tb->nb_pages = slot + 1;
    }
    if (host_page && !tb->page_busy[slot]) {
        tb->page_host[slot] = host_page;
        tb_page_translation_begin(tb, slot, host_page);
    }
    tb->page_host[slot] = host_page;
    if (host_page) {
        return *(const uint8_t *)(host_page + (addr & ~TLB_PAGE_MASK));
    }
    return (uint8_t)io_read(cpu, paddr, 1);
}

/* Code bytes are little-endian assembled. Once a TB has fetched from a RAM page (its
 * translation registered there: page_busy), the rest of that page is read directly: the
 * TB keeps that host page whatever the TLB does meanwhile, and the lookup per byte was
 * ~600 host instructions per ARM instruction fetched (7% of a U-Boot TB's translation). */
static __attribute__((noinline)) uint64_t translator_ld_slow(CPUState *cpu,
                                                             TranslationBlock *tb,
                                                             uint64_t addr, unsigned n)
{
    uint64_t v = 0;
    for (unsigned i = 0; i < n; i++) {
        v |= (uint64_t)fetch_byte(cpu, tb, addr + i) << (8 * i);
    }
    return v;
}

static inline __attribute__((always_inline)) uint64_t
translator_ld(CPUState *cpu, TranslationBlock *tb, uint64_t addr, unsigned n)
{
    uint64_t page = addr & TLB_PAGE_MASK;
    uint64_t ofs = addr & ~TLB_PAGE_MASK;
    int slot = page == (tb->pc & TLB_PAGE_MASK) ? 0 : 1;
    uint64_t v = 0;

    if (tb->page_busy[slot] && ofs + n <= TLB_PAGE_SIZE &&
        (slot == 0 || page == (tb->pc & TLB_PAGE_MASK) + TLB_PAGE_SIZE)) {
        const uint8_t *p = (const uint8_t *)tb->page_host[slot] + ofs;   /* little-endian */
        switch (n) {                                                        /* host */
        case 1: return *p;
        case 2: { uint16_t x; memcpy(&x, p, 2); return x; }
        case 4: { uint32_t x; memcpy(&x, p, 4); return x; }
        default: memcpy(&v, p, 8); return v;
        }
    }
    return translator_ld_slow(cpu, tb, addr, n);
}

uint8_t translator_ldub(CPUState *cpu, TranslationBlock *tb, uint64_t vaddr)
{
    return (uint8_t)translator_ld(cpu, tb, vaddr, 1);
}

uint16_t translator_lduw(CPUState *cpu, TranslationBlock *tb, uint64_t vaddr)
{
    return (uint16_t)translator_ld(cpu, tb, vaddr, 2);
}

uint32_t translator_ldl(CPUState *cpu, TranslationBlock *tb, uint64_t vaddr)
{
    return (uint32_t)translator_ld(cpu, tb, vaddr, 4);
}

uint64_t translator_ldq(CPUState *cpu, TranslationBlock *tb, uint64_t vaddr)
{
    return translator_ld(cpu, tb, vaddr, 8);
}
