/* The translation cache: TBs in a hash table keyed by (physical PC, PC, cs_base, flags,
 * cflags), per-page lists of TBs for self-modifying-code invalidation, direct chaining
 * and unchaining of goto_tb slots, and flushing the whole cache. Lock rules: docs/tcg.md. */
#include <stdlib.h>
#include <string.h>
#include "accel/tcg/internal.h"
#include "util/cutils.h"
#include "util/log.h"

#define TB_HASH_BITS 15
#define TB_HASH_SIZE (1u << TB_HASH_BITS)
#define PAGE_HASH_BITS 12
#define PAGE_HASH_SIZE (1u << PAGE_HASH_BITS)

struct TBJumpRef {
    TranslationBlock *tb;
    int n;
};

/* The RAM pages that hold translated code, by host page address. */
typedef struct PageDesc {
    uintptr_t host_page;
    TranslationBlock **tbs;
    int nb_tbs, cap_tbs;
    int translating;            /* translations reading this page right now */
    uint64_t write_seq;         /* writes seen by the invalidation path */
    struct PageDesc *next;
} PageDesc;

/* The translation cache (one per process: it is the accelerator's registry of TBs). */
typedef struct TBCache {
    TCGCodeBuffer cb;
    bool cb_ready;
    const TCGBackend *be;
    TranslationBlock *hash[TB_HASH_SIZE];
    TranslationBlock **all;         /* every TB in host-code order (tc_ptr ascending) */
    size_t nb_all, cap_all;
    PageDesc *pages[PAGE_HASH_SIZE];
    uint64_t nb_tbs_total;
    atomic_ullong flushes;
    TCGVCPU *vcpus;
} TBCache;

static TBCache tbc;
TCGStatCounters tcg_stats;

/* tb_lock guards everything in tbc and the chaining fields of every TB. Recursive:
 * tlb_fill may run during translation (code fetch) and takes it to look at pages. */
static pthread_mutex_t tb_mutex = PTHREAD_RECURSIVE_MUTEX_INITIALIZER_NP;
static __thread int tb_lock_depth;

/* The exec lock: vCPUs inside tcg_cpu_exec count as running; a flush waits until none
 * runs. Guarded by excl_mutex. */
static pthread_mutex_t excl_mutex = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t excl_cond = PTHREAD_COND_INITIALIZER;
static int excl_running;
static int excl_pending;            /* flushes waiting (also read without the lock) */
static bool excl_active;

void tb_lock(void)
{
    pthread_mutex_lock(&tb_mutex);
    tb_lock_depth++;
}

void tb_unlock(void)
{
    tb_lock_depth--;
    pthread_mutex_unlock(&tb_mutex);
}

void tb_lock_reset(void)
{
    while (tb_lock_depth > 0) {
        tb_unlock();
    }
}

TCGCodeBuffer *tb_code_buffer(void)
{
    return &tbc.cb;
}

const TCGBackend *tb_backend(void)
{
    return tbc.be;
}

uint64_t tb_flush_count(void)
{
    return atomic_load(&tbc.flushes);
}

/* ---- vCPU registry ----------------------------------------------------------------- */

TCGVCPU *tcg_vcpu_list(void)
{
    return tbc.vcpus;
}

void tcg_vcpu_list_add(TCGVCPU *v)
{
    tb_lock();
    v->next = tbc.vcpus;
    tbc.vcpus = v;
    tb_unlock();
}

void tcg_vcpu_list_remove(TCGVCPU *v)
{
    tb_lock();
    for (TCGVCPU **p = &tbc.vcpus; *p; p = &(*p)->next) {
        if (*p == v) {
            *p = v->next;
            break;
        }
    }
    tb_unlock();
}

/* ---- exclusive sections for flushing -------------------------------------------------- */

void tb_exec_lock_shared(void)
{
    pthread_mutex_lock(&excl_mutex);
    while (excl_active || excl_pending > 0) {
        pthread_cond_wait(&excl_cond, &excl_mutex);
    }
    excl_running++;
    pthread_mutex_unlock(&excl_mutex);
}

void tb_exec_unlock_shared(void)
{
    pthread_mutex_lock(&excl_mutex);
    excl_running--;
    pthread_cond_broadcast(&excl_cond);
    pthread_mutex_unlock(&excl_mutex);
}

bool tb_flush_pending(void)
{
    return __atomic_load_n(&excl_pending, __ATOMIC_RELAXED) > 0;
}

static void kick_all_vcpus(CPUState *self)
{
    tb_lock();
    for (TCGVCPU *v = tbc.vcpus; v; v = v->next) {
        if (v->cpu != self) {
            tcg_cpu_kick(v->cpu);
        }
    }
    tb_unlock();
}

static __thread bool excl_owner;    /* this thread holds the exclusive section */

bool tcg_exclusive_held(void)
{
    return excl_owner;
}

void tcg_exclusive_begin(CPUState *cpu)
{
    pthread_mutex_lock(&excl_mutex);
    excl_running--;
    __atomic_add_fetch(&excl_pending, 1, __ATOMIC_SEQ_CST);
    pthread_mutex_unlock(&excl_mutex);
    kick_all_vcpus(cpu);

    pthread_mutex_lock(&excl_mutex);
    while (excl_active || excl_running > 0) {
        pthread_cond_wait(&excl_cond, &excl_mutex);
    }
    excl_active = true;
    excl_owner = true;
    pthread_mutex_unlock(&excl_mutex);
}

void tcg_exclusive_end(void)
{
    pthread_mutex_lock(&excl_mutex);
    excl_active = false;
    excl_owner = false;
    __atomic_sub_fetch(&excl_pending, 1, __ATOMIC_SEQ_CST);
    excl_running++;
    pthread_cond_broadcast(&excl_cond);
    pthread_mutex_unlock(&excl_mutex);
}

void tb_flush_from_vcpu(CPUState *cpu, uint64_t seen_flushes)
{
    if (excl_owner) {
        tb_flush();     /* inside an exclusive step: nobody else runs already */
        return;
    }
    tcg_exclusive_begin(cpu);
    if (tb_flush_count() == seen_flushes) {
        tb_flush();     /* nobody flushed meanwhile */
    }
    tcg_exclusive_end();
}

/* ---- configuration ---------------------------------------------------------------------- */

int tcg_runtime_configure(size_t code_size, const TCGBackend *be, Error **errp)
{
    TCGCodeBuffer cb;

    if (!be) {
        be = tcg_backend_find(NULL);
    }
    if (!be) {
        error_setg(errp, "no translator back end available");
        return -1;
    }
    if (tcg_code_buffer_init(&cb, code_size, errp) < 0) {
        return -1;
    }
    tb_lock();
    if (tbc.cb_ready) {
        tb_flush();
        tcg_code_buffer_destroy(&tbc.cb);
    }
    tbc.cb = cb;
    tbc.cb_ready = true;
    tbc.be = be;
    tcg_set_runtime_hooks(&tcg_runtime_hooks_impl);
    tb_unlock();
    return 0;
}

/* ---- hash table ---------------------------------------------------------------------- */

static uint32_t tb_hash(uint64_t phys_pc, uint64_t pc, uint64_t cs_base, uint32_t flags,
                        uint32_t cflags)
{
    uint64_t h = phys_pc * 0x9e3779b97f4a7c15ull;
    h ^= (pc + (h >> 29)) * 0xbf58476d1ce4e5b9ull;
    h ^= (cs_base ^ ((uint64_t)flags << 32 | cflags)) * 0x94d049bb133111ebull;
    h ^= h >> 31;
    return (uint32_t)(h >> (64 - TB_HASH_BITS));
}

static bool tb_matches(const TranslationBlock *tb, uint64_t phys_pc, uint64_t pc,
                       uint64_t cs_base, uint32_t flags, uint32_t cflags)
{
    return tb->phys_pc == phys_pc && tb->pc == pc && tb->cs_base == cs_base &&
           tb->flags == flags && tb->cflags == cflags && !tb->invalid;
}

TranslationBlock *tb_htable_lookup(uint64_t phys_pc, uint64_t pc, uint64_t cs_base,
                                   uint32_t flags, uint32_t cflags, uintptr_t page1_host)
{
    uint32_t h = tb_hash(phys_pc, pc, cs_base, flags, cflags);
    TranslationBlock *found = NULL;

    tb_lock();
    for (TranslationBlock *tb = tbc.hash[h]; tb; tb = tb->hash_next) {
        if (tb_matches(tb, phys_pc, pc, cs_base, flags, cflags) &&
            (page1_host == UINTPTR_MAX || tb->nb_pages < 2 ||
             tb->page_host[1] == page1_host)) {
            found = tb;
            break;
        }
    }
    tb_unlock();
    return found;
}

static void tb_hash_remove(TranslationBlock *tb)
{
    uint32_t h = tb_hash(tb->phys_pc, tb->pc, tb->cs_base, tb->flags, tb->cflags);
    for (TranslationBlock **p = &tbc.hash[h]; *p; p = &(*p)->hash_next) {
        if (*p == tb) {
            *p = tb->hash_next;
            tb->hash_next = NULL;
            return;
        }
    }
}

/* ---- code pages ----------------------------------------------------------------------- */

static uint32_t page_hash(uintptr_t host_page)
{
    return (uint32_t)(((uint64_t)host_page >> TLB_PAGE_BITS) * 0x9e3779b97f4a7c15ull >>
                      (64 - PAGE_HASH_BITS));
}

static PageDesc *page_find(uintptr_t host_page, bool create)
{
    uint32_t h = page_hash(host_page);
    for (PageDesc *pd = tbc.pages[h]; pd; pd = pd->next) {
        if (pd->host_page == host_page) {
            return pd;
        }
    }
    if (!create) {
        return NULL;
    }
    PageDesc *pd = xzalloc(sizeof(*pd));
    pd->host_page = host_page;
    pd->next = tbc.pages[h];
    tbc.pages[h] = pd;
    return pd;
}

bool tb_page_has_code(uintptr_t host_page)
{
    PageDesc *pd = page_find(host_page, false);
    return pd && (pd->nb_tbs > 0 || pd->translating > 0);
}

void tb_page_translation_begin(TranslationBlock *tb, int slot, uintptr_t host_page)
{
    tb_lock();
    PageDesc *pd = page_find(host_page, true);
    if (pd->nb_tbs == 0 && pd->translating == 0) {
        tlb_mark_code_page(host_page);  /* CPU stores to it must be seen from now on */
    }
    pd->translating++;
    tb->page_seq[slot] = pd->write_seq;
    tb->page_busy[slot] = true;
    tb_unlock();
}

void tb_page_translation_end(TranslationBlock *tb)
{
    tb_lock();
    for (int i = 0; i < 2; i++) {
        PageDesc *pd = tb->page_busy[i] ? page_find(tb->page_host[i], false) : NULL;
        if (pd) {
            pd->translating--;
        }
        tb->page_busy[i] = false;
    }
    tb_unlock();
}

bool tb_pages_written(const TranslationBlock *tb)
{
    for (int i = 0; i < 2; i++) {
        PageDesc *pd = tb->page_busy[i] ? page_find(tb->page_host[i], false) : NULL;
        if (pd && pd->write_seq != tb->page_seq[i]) {
            return true;
        }
    }
    return false;
}

static void page_add_tb(uintptr_t host_page, TranslationBlock *tb)
{
    PageDesc *pd = page_find(host_page, true);
    bool first = pd->nb_tbs == 0 && pd->translating == 0;
    if (pd->nb_tbs == pd->cap_tbs) {
        pd->cap_tbs = pd->cap_tbs ? pd->cap_tbs * 2 : 8;
        pd->tbs = xrealloc(pd->tbs, pd->cap_tbs * sizeof(*pd->tbs));
    }
    pd->tbs[pd->nb_tbs++] = tb;
    if (first) {
        tlb_mark_code_page(host_page);  /* writes to it must take the slow path now */
    }
}

static void page_remove_tb(uintptr_t host_page, TranslationBlock *tb)
{
    PageDesc *pd = page_find(host_page, false);
    if (!pd) {
        return;
    }
    for (int i = 0; i < pd->nb_tbs; i++) {
        if (pd->tbs[i] == tb) {
            pd->tbs[i] = pd->tbs[--pd->nb_tbs];
            return;
        }
    }
}

static void pages_free(void)
{
    for (unsigned h = 0; h < PAGE_HASH_SIZE; h++) {
        PageDesc *pd = tbc.pages[h];
        while (pd) {
            PageDesc *next = pd->next;
            free(pd->tbs);
            free(pd);
            pd = next;
        }
        tbc.pages[h] = NULL;
    }
}

/* ---- host-code index ------------------------------------------------------------------ */

void tb_record(TranslationBlock *tb)
{
    if (tbc.nb_all == tbc.cap_all) {
        tbc.cap_all = tbc.cap_all ? tbc.cap_all * 2 : 1024;
        tbc.all = xrealloc(tbc.all, tbc.cap_all * sizeof(*tbc.all));
    }
    tbc.all[tbc.nb_all++] = tb;
    tbc.nb_tbs_total++;
}

void tb_link(TranslationBlock *tb)
{
    uint32_t h = tb_hash(tb->phys_pc, tb->pc, tb->cs_base, tb->flags, tb->cflags);
    tb->hash_next = tbc.hash[h];
    tbc.hash[h] = tb;
    for (int i = 0; i < tb->nb_pages; i++) {
        if (tb->page_host[i]) {
            page_add_tb(tb->page_host[i], tb);
        }
    }
    tb_record(tb);
}

TranslationBlock *tb_find_by_host(uintptr_t retaddr)
{
    TranslationBlock *found = NULL;
    uintptr_t pos = retaddr - 1;     /* retaddr points after the call or access */

    tb_lock();
    size_t lo = 0, hi = tbc.nb_all;
    while (lo < hi) {                 /* first TB starting after pos */
        size_t mid = (lo + hi) / 2;
        if ((uintptr_t)tbc.all[mid]->tc_ptr <= pos) {
            lo = mid + 1;
        } else {
            hi = mid;
        }
    }
    if (lo > 0) {
        TranslationBlock *tb = tbc.all[lo - 1];
        if (pos < (uintptr_t)tb->tc_ptr + tb->tc_size) {
            found = tb;
        }
    }
    tb_unlock();
    return found;
}

/* ---- chaining ------------------------------------------------------------------------ */

static void tb_set_jump(TranslationBlock *tb, int n, uintptr_t target)
{
    ptrdiff_t rw_delta = tbc.cb.rw - tbc.cb.rx;
    tbc.be->set_jmp_target((uintptr_t)tb->tc_ptr + tb->jmp_insn_offset[n], rw_delta, target);
}

static void tb_reset_jump(TranslationBlock *tb, int n)
{
    tb_set_jump(tb, n, (uintptr_t)tb->tc_ptr + tb->jmp_reset_offset[n]);
    tb->jmp_dest[n] = NULL;
    TCG_STAT_INC(unchained);
}

void tb_add_jump(TranslationBlock *from, int n, TranslationBlock *to)
{
    tb_lock();
    if (!from->invalid && !to->invalid && from->has_jmp[n] && !from->jmp_dest[n] &&
        !(from->cflags & (CF_SINGLE_STEP | CF_NOCACHE)) &&
        !(to->cflags & (CF_SINGLE_STEP | CF_NOCACHE))) {
        if (to->nb_jmp_in == to->cap_jmp_in) {
            to->cap_jmp_in = to->cap_jmp_in ? to->cap_jmp_in * 2 : 4;
            to->jmp_in = xrealloc(to->jmp_in, to->cap_jmp_in * sizeof(*to->jmp_in));
        }
        to->jmp_in[to->nb_jmp_in++] = (TBJumpRef){ from, n };
        from->jmp_dest[n] = to;
        tb_set_jump(from, n, (uintptr_t)to->tc_ptr);
        TCG_STAT_INC(chained);
    }
    tb_unlock();
}

static void tb_jmp_in_remove(TranslationBlock *to, TranslationBlock *from, int n)
{
    for (int i = 0; i < to->nb_jmp_in; i++) {
        if (to->jmp_in[i].tb == from && to->jmp_in[i].n == n) {
            to->jmp_in[i] = to->jmp_in[--to->nb_jmp_in];
            return;
        }
    }
}

/* ---- invalidation -------------------------------------------------------------------- */

void tb_jmp_cache_clear(TCGVCPU *v)
{
    for (unsigned i = 0; i < TB_JMP_CACHE_SIZE; i++) {
        atomic_store_explicit(&v->jmp_cache[i], NULL, memory_order_relaxed);
    }
}

static void tb_invalidate(TranslationBlock *tb)
{
    if (tb->invalid) {
        return;
    }
    __atomic_store_n(&tb->invalid, true, __ATOMIC_RELAXED);   /* read by lookups */
    tb_hash_remove(tb);
    for (int i = 0; i < tb->nb_pages; i++) {
        if (tb->page_host[i]) {
            page_remove_tb(tb->page_host[i], tb);
        }
    }
    for (TCGVCPU *v = tbc.vcpus; v; v = v->next) {
        TranslationBlock *expected = tb;
        atomic_compare_exchange_strong(&v->jmp_cache[jc_index(tb->pc)], &expected, NULL);
    }
    for (int i = 0; i < tb->nb_jmp_in; i++) {   /* nobody jumps here any more */
        tb_reset_jump(tb->jmp_in[i].tb, tb->jmp_in[i].n);
    }
    tb->nb_jmp_in = 0;
    for (int n = 0; n < 2; n++) {               /* nor from here */
        if (tb->jmp_dest[n]) {
            tb_jmp_in_remove(tb->jmp_dest[n], tb, n);
            tb_reset_jump(tb, n);
        }
    }
    TCG_STAT_INC(invalidations);
}

/* Does TB tb's code overlap host range [start, end) of page host_page? */
static bool tb_overlaps(const TranslationBlock *tb, uintptr_t host_page, uintptr_t start,
                        uintptr_t end)
{
    uint64_t ofs = tb->phys_pc & (TLB_PAGE_SIZE - 1);
    uint64_t tb_end = ofs + (tb->size ? tb->size : 1);
    uintptr_t lo, hi;

    if (tb->page_host[0] == host_page) {
        lo = host_page + ofs;
        hi = host_page + (tb_end < TLB_PAGE_SIZE ? tb_end : TLB_PAGE_SIZE);
    } else {
        lo = host_page;
        hi = host_page + (tb_end > TLB_PAGE_SIZE ? tb_end - TLB_PAGE_SIZE : TLB_PAGE_SIZE);
    }
    return start < hi && lo < end;
}

bool tb_invalidate_host_range_current(uintptr_t host, size_t len, TranslationBlock *current)
{
    bool hit_current = false;

    if (len == 0) {
        return false;
    }
    tb_lock();
    uintptr_t end = host + len;
    for (uintptr_t page = host & ~(uintptr_t)(TLB_PAGE_SIZE - 1); page < end;
         page += TLB_PAGE_SIZE) {
        PageDesc *pd = page_find(page, false);
        if (!pd) {
            continue;
        }
        pd->write_seq++;            /* a translation reading this page must start over */
        for (int i = pd->nb_tbs - 1; i >= 0; i--) {
            if (i >= pd->nb_tbs) {
                continue;
            }
            TranslationBlock *tb = pd->tbs[i];
            if (tb_overlaps(tb, page, host, end)) {
                hit_current |= tb == current;
                tb_invalidate(tb);
            }
        }
    }
    tb_unlock();
    return hit_current;
}

void tb_invalidate_host_range(const void *host, size_t len)
{
    tb_invalidate_host_range_current((uintptr_t)host, len, NULL);
}

/* ---- flush ---------------------------------------------------------------------------- */

static void tb_free(TranslationBlock *tb)
{
    free(tb->jmp_in);
    free(tb->insn_end_off);
    free(tb->insn_data);
    free(tb);
}

void tb_flush(void)
{
    tb_lock();
    for (size_t i = 0; i < tbc.nb_all; i++) {
        tb_free(tbc.all[i]);
    }
    tbc.nb_all = 0;
    memset(tbc.hash, 0, sizeof(tbc.hash));
    pages_free();
    for (TCGVCPU *v = tbc.vcpus; v; v = v->next) {
        tb_jmp_cache_clear(v);
    }
    if (tbc.cb_ready) {
        tcg_code_buffer_flush(&tbc.cb);
    }
    atomic_fetch_add(&tbc.flushes, 1);
    tb_unlock();
    log_category_printf(LOG_EXEC, "tcg: translation cache flushed\n");
}

/* ---- statistics ----------------------------------------------------------------------- */

void tcg_runtime_get_stats(TCGRuntimeStats *st)
{
    memset(st, 0, sizeof(*st));
    tb_lock();
    st->tbs = tbc.nb_all;
    st->tbs_total = tbc.nb_tbs_total;
    st->code_used = tbc.cb_ready ? tbc.cb.used : 0;
    st->code_size = tbc.cb_ready ? tbc.cb.size : 0;
    tb_unlock();
    st->flushes = tb_flush_count();
    st->translations = atomic_load(&tcg_stats.translations);
    st->translate_ns = atomic_load(&tcg_stats.translate_ns);
    st->jc_lookups = atomic_load(&tcg_stats.jc_lookups);
    st->jc_hits = atomic_load(&tcg_stats.jc_hits);
    st->ht_lookups = atomic_load(&tcg_stats.ht_lookups);
    st->ht_hits = atomic_load(&tcg_stats.ht_hits);
    st->chained = atomic_load(&tcg_stats.chained);
    st->unchained = atomic_load(&tcg_stats.unchained);
    st->invalidations = atomic_load(&tcg_stats.invalidations);
    st->tlb_fills = atomic_load(&tcg_stats.tlb_fills);
    st->tlb_flushes = atomic_load(&tcg_stats.tlb_flushes);
    st->slow_loads = atomic_load(&tcg_stats.slow_loads);
    st->slow_stores = atomic_load(&tcg_stats.slow_stores);
    st->mmio_accesses = atomic_load(&tcg_stats.mmio_accesses);
    st->exits_requested = atomic_load(&tcg_stats.exits_requested);
    st->exclusive_steps = atomic_load(&tcg_stats.exclusive_steps);
}

static double percent(uint64_t part, uint64_t whole)
{
    return whole ? 100.0 * (double)part / (double)whole : 0.0;
}

void tcg_runtime_print_info(FILE *out)
{
    TCGRuntimeStats st;
    tcg_runtime_get_stats(&st);
    fprintf(out, "Translation cache (back end %s)\n", tbc.be ? tbc.be->name : "none");
    fprintf(out, "  TB count            %llu (translated since start %llu)\n",
            (unsigned long long)st.tbs, (unsigned long long)st.tbs_total);
    fprintf(out, "  code size           %llu / %llu bytes (%.1f%%)\n",
            (unsigned long long)st.code_used, (unsigned long long)st.code_size,
            percent(st.code_used, st.code_size));
    fprintf(out, "  jump cache hits     %llu / %llu (%.1f%%)\n",
            (unsigned long long)st.jc_hits, (unsigned long long)st.jc_lookups,
            percent(st.jc_hits, st.jc_lookups));
    fprintf(out, "  hash table hits     %llu / %llu (%.1f%%)\n",
            (unsigned long long)st.ht_hits, (unsigned long long)st.ht_lookups,
            percent(st.ht_hits, st.ht_lookups));
    fprintf(out, "  chained / unchained %llu / %llu\n", (unsigned long long)st.chained,
            (unsigned long long)st.unchained);
    fprintf(out, "  invalidated TBs     %llu\n", (unsigned long long)st.invalidations);
    fprintf(out, "  flushes             %llu\n", (unsigned long long)st.flushes);
    fprintf(out, "  exclusive steps     %llu\n", (unsigned long long)st.exclusive_steps);
    fprintf(out, "  translations        %llu in %.3f ms (%.1f us each)\n",
            (unsigned long long)st.translations, (double)st.translate_ns / 1e6,
            st.translations ? (double)st.translate_ns / 1e3 / (double)st.translations : 0.0);
    fprintf(out, "  soft TLB            %llu fills, %llu flushes, %llu slow loads, "
            "%llu slow stores, %llu MMIO\n",
            (unsigned long long)st.tlb_fills, (unsigned long long)st.tlb_flushes,
            (unsigned long long)st.slow_loads, (unsigned long long)st.slow_stores,
            (unsigned long long)st.mmio_accesses);
}
