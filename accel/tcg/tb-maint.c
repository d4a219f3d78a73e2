/* The translation cache: TBs in a hash table keyed by (physical PC, PC, cs_base, flags,
 * cflags), per-page lists of TBs for self-modifying-code invalidation, direct chaining
 * and unchaining of goto_tb slots, and flushing the whole cache. Lock rules: docs/tcg.md. */
#include <stdlib.h>
#include <string.h>
#include "accel/tcg/internal.h"
#include "util/cutils.h"
#include "util/log.h"


/* The translation cache (one per process: it is the accelerator's registry of TBs). */
typedef struct TBCache {
    TCGCodeBuffer cb;
    bool cb_ready;
    const TCGBackend *be;
    atomic_ullong flushes;
    TCGVCPU *vcpus;
} TBCache;

static TBCache tbc;
TCGStatCounters tcg_stats_shared;
__thread TCGStatCounters *tcg_thread_stats;
__thread TCGVCPU *tcg_current_vcpu;

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

#define TCG_STAT_RETIRE(name) \
    __atomic_fetch_add(&tcg_stats_shared.name, __atomic_load_n(&v->stats.name, \
                       __ATOMIC_RELAXED), __ATOMIC_RELAXED);

void tcg_vcpu_list_remove(TCGVCPU *v)
{
    tb_lock();
    TCG_STAT_FIELDS(TCG_STAT_RETIRE)
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

void tb_link(TranslationBlock *tb)
{
    tb_hash_insert(tb);
    for (int i = 0; i < tb->nb_pages; i++) {
        if (tb->page_host[i]) {
            tb_page_add(tb->page_host[i], tb);
        }
    }
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
        from->jmp_list_next[n] = to->jmp_list_head;
        to->jmp_list_head = (uintptr_t)from | (uintptr_t)n;
        from->jmp_dest[n] = to;
        tb_set_jump(from, n, (uintptr_t)to->tc_ptr);
        TCG_STAT_INC(chained);
    }
    tb_unlock();
}

/* The slots chained to a TB form a list through jmp_list_head and the slots'
 * jmp_list_next, each link a (tb | n). */
static TranslationBlock *jmp_link_tb(uintptr_t link)
{
    return (TranslationBlock *)(link & ~(uintptr_t)TB_EXIT_MASK);
}

static void tb_jmp_in_remove(TranslationBlock *to, TranslationBlock *from, int n)
{
    uintptr_t want = (uintptr_t)from | (uintptr_t)n;
    for (uintptr_t *p = &to->jmp_list_head; *p; p = &jmp_link_tb(*p)->jmp_list_next[*p & 1]) {
        if (*p == want) {
            *p = from->jmp_list_next[n];
            return;
        }
    }
}

/* ---- invalidation -------------------------------------------------------------------- */

/* Every entry: only the groups filled since their last clear are touched (a TLB flush
 * that follows a few lookups costs a few groups, not the whole cache). */
void tb_jmp_cache_clear(TCGVCPU *v)
{
    for (unsigned w = 0; w < TB_JMP_GROUPS / 64; w++) {
        uint64_t used = atomic_exchange_explicit(&v->jc_groups_used[w], 0, memory_order_relaxed);
        for (; used; used &= used - 1) {
            unsigned group = w * 64 + (unsigned)__builtin_ctzll(used);
            _Atomic(TranslationBlock *) *slot = &v->jmp_cache[group << TB_JMP_PAGE_BITS];
            for (unsigned i = 0; i < TB_JMP_PAGE_SIZE; i++) {
                atomic_store_explicit(&slot[i], NULL, memory_order_relaxed);
            }
        }
    }
}

/* Drops the entries of a group whose TB starts on the page of vaddr or on the page before
 * (it may run into that page); the group's other pages keep theirs. TBs stay readable
 * until a cache flush, which clears every jump cache first. */
static void tb_jmp_cache_clear_group(TCGVCPU *v, unsigned group, uint64_t vaddr)
{
    _Atomic(uint64_t) *used = &v->jc_groups_used[group / 64];
    uint64_t bit = 1ull << (group % 64);
    if (!(atomic_load_explicit(used, memory_order_relaxed) & bit)) {
        return;                 /* nothing inserted in the group since it was emptied */
    }
    _Atomic(TranslationBlock *) *slot = &v->jmp_cache[group << TB_JMP_PAGE_BITS];
    uint64_t page = vaddr & TLB_PAGE_MASK;
    bool left = false;
    for (unsigned i = 0; i < TB_JMP_PAGE_SIZE; i++) {
        TranslationBlock *tb = atomic_load_explicit(&slot[i], memory_order_acquire);
        if (tb && (page - (tb->pc & TLB_PAGE_MASK)) <= TLB_PAGE_SIZE) {
            atomic_compare_exchange_strong(&slot[i], &tb, NULL);
        } else if (tb) {
            left = true;
        }
    }
    if (!left && v == tcg_current_vcpu) {
        /* only the vCPU inserts (jc_insert), so on its own thread nothing can have
         * been added since the scan */
        atomic_fetch_and_explicit(used, ~bit, memory_order_relaxed);
    }
}

void tb_jmp_cache_clear_page(TCGVCPU *v, uint64_t vaddr)
{
    tb_jmp_cache_clear_group(v, jc_page_group(vaddr), vaddr);
    tb_jmp_cache_clear_group(v, jc_page_group(vaddr - TLB_PAGE_SIZE), vaddr);
}

void tb_invalidate_locked(TranslationBlock *tb)
{
    if (tb->invalid) {
        return;
    }
    __atomic_store_n(&tb->invalid, true, __ATOMIC_RELEASE);   /* read by lookups */
    tb_hash_remove(tb);
    for (int i = 0; i < tb->nb_pages; i++) {
        if (tb->page_host[i]) {
            tb_page_remove(tb->page_host[i], tb);
        }
    }
    for (TCGVCPU *v = tbc.vcpus; v; v = v->next) {
        TranslationBlock *expected = tb;
        atomic_compare_exchange_strong(&v->jmp_cache[jc_index(tb->pc)], &expected, NULL);
    }
    for (uintptr_t l = tb->jmp_list_head; l; ) {    /* nobody jumps here any more */
        TranslationBlock *from = jmp_link_tb(l);
        int n = (int)(l & 1);
        l = from->jmp_list_next[n];
        tb_reset_jump(from, n);
    }
    tb->jmp_list_head = 0;
    for (int n = 0; n < 2; n++) {               /* nor from here */
        if (tb->jmp_dest[n]) {
            tb_jmp_in_remove(tb->jmp_dest[n], tb, n);
            tb_reset_jump(tb, n);
        }
    }
    TCG_STAT_INC(invalidations);
}

/* ---- flush ---------------------------------------------------------------------------- */

void tb_flush(void)
{
    tb_lock();
    tb_regions_free();
    tb_hash_reset();
    tb_pages_free();
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
    tb_regions_count(&st->tbs, &st->tbs_total);
    st->hash_buckets = tb_hash_buckets();
    st->code_used = tbc.cb_ready ? tbc.cb.used : 0;
    st->code_size = tbc.cb_ready ? tbc.cb.size : 0;
    tb_unlock();
    st->flushes = tb_flush_count();
#define TCG_STAT_SUM(name) \
    st->name = __atomic_load_n(&tcg_stats_shared.name, __ATOMIC_RELAXED); \
    for (TCGVCPU *v = tbc.vcpus; v; v = v->next) { \
        st->name += __atomic_load_n(&v->stats.name, __ATOMIC_RELAXED); \
    }
    tb_lock();
    TCG_STAT_FIELDS(TCG_STAT_SUM)
    tb_unlock();
#undef TCG_STAT_SUM
    st->jc_lookups = st->jc_hits + st->jc_misses;
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
    fprintf(out, "  hash table          %llu buckets\n", (unsigned long long)st.hash_buckets);
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
    fprintf(out, "  soft TLB            %llu fills, %llu flushes, %llu page flushes, "
            "%llu requested by other vCPUs\n", (unsigned long long)st.tlb_fills,
            (unsigned long long)st.tlb_flushes, (unsigned long long)st.tlb_page_flushes,
            (unsigned long long)st.tlb_flush_requests);
    fprintf(out, "  slow paths          %llu loads, %llu stores, %llu MMIO\n",
            (unsigned long long)st.slow_loads, (unsigned long long)st.slow_stores,
            (unsigned long long)st.mmio_accesses);
}

bool tb_may_drop_state_at_exit(const TranslationBlock *tb, bool stores_ok)
{
    if ((tb->cflags & (CF_SINGLE_STEP | CF_NOCACHE | CF_EXCLUSIVE)) ||
        (tb->cflags & CF_COUNT_MASK) == 1 || tcg_breakpoints_any()) {
        return false;
    }
    for (int i = 0; i < tcg_ctx->nb_ops; i++) {
        switch (tcg_ctx->ops[i].opc) {
        case INDEX_op_qemu_st_i32: case INDEX_op_qemu_st_i64:
            if (!stores_ok) {
                return false;
            }
            break;
        case INDEX_op_call:
        case INDEX_op_atomic_rmw_i32: case INDEX_op_atomic_rmw_i64:
        case INDEX_op_atomic_cmpxchg_i32: case INDEX_op_atomic_cmpxchg_i64:
        case INDEX_op_atomic_cmpxchg128:
            return false;
        default:
            break;
        }
    }
    return true;
}
