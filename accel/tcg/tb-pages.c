/* Code pages: the guest RAM pages (by host address) that hold translated code or are
 * being read by a translation, with the TBs on each and a bitmap of the bytes live TBs
 * cover. Writers hold tb_lock; the store slow path reads the page table and the bitmaps
 * without locks, so a store to a code page that overlaps no TB costs a hash probe and a
 * few bit tests. Descriptors are freed only by tb_flush (no vCPU in translated code). */
#include <stdlib.h>
#include <string.h>
#include "accel/tcg/internal.h"
#include "util/cutils.h"

#define PAGE_HASH_BITS 12
#define PAGE_HASH_SIZE (1u << PAGE_HASH_BITS)
#define COVER_GRAIN_BITS 3                      /* one bit per 8 bytes */
#define COVER_BITS (TLB_PAGE_SIZE >> COVER_GRAIN_BITS)
#define COVER_WORDS (COVER_BITS / 64)

typedef struct PageDesc {
    uintptr_t host_page;
    TranslationBlock **tbs;     /* (tb_lock) */
    int nb_tbs, cap_tbs;        /* nb_tbs also read without the lock */
    int translating;            /* translations reading this page now (ditto) */
    uint64_t write_seq;         /* writes seen by the invalidation path (tb_lock) */
    uint64_t cover[COVER_WORDS];  /* grains covered by a live TB (read without lock) */
    _Atomic(struct PageDesc *) next;
} PageDesc;

static _Atomic(PageDesc *) pages[PAGE_HASH_SIZE];

static uint32_t page_hash(uintptr_t host_page)
{
    return (uint32_t)(((uint64_t)host_page >> TLB_PAGE_BITS) * 0x9e3779b97f4a7c15ull >>
                      (64 - PAGE_HASH_BITS));
}

static PageDesc *page_lookup(uintptr_t host_page)
{
    PageDesc *pd = atomic_load_explicit(&pages[page_hash(host_page)], memory_order_acquire);
    for (; pd; pd = atomic_load_explicit(&pd->next, memory_order_acquire)) {
        if (pd->host_page == host_page) {
            return pd;
        }
    }
    return NULL;
}

/* (tb_lock) */
static PageDesc *page_get(uintptr_t host_page)
{
    PageDesc *pd = page_lookup(host_page);
    if (pd) {
        return pd;
    }
    _Atomic(PageDesc *) *head = &pages[page_hash(host_page)];
    pd = xzalloc(sizeof(*pd));
    pd->host_page = host_page;
    atomic_store_explicit(&pd->next, atomic_load_explicit(head, memory_order_relaxed),
                          memory_order_relaxed);
    atomic_store_explicit(head, pd, memory_order_release);
    return pd;
}

static bool page_in_use(const PageDesc *pd)
{
    return __atomic_load_n(&pd->nb_tbs, __ATOMIC_ACQUIRE) > 0 ||
           __atomic_load_n(&pd->translating, __ATOMIC_ACQUIRE) > 0;
}

bool tb_page_has_code(uintptr_t host_page)
{
    PageDesc *pd = page_lookup(host_page);
    return pd && page_in_use(pd);
}

bool tb_page_range_has_code(uintptr_t host, size_t len)
{
    uintptr_t page = host & ~(uintptr_t)(TLB_PAGE_SIZE - 1);
    PageDesc *pd = page_lookup(page);

    if (!pd) {
        return false;
    }
    if (__atomic_load_n(&pd->translating, __ATOMIC_ACQUIRE) > 0 ||
        host + len > page + TLB_PAGE_SIZE) {
        return true;            /* let the locked path decide */
    }
    unsigned first = (unsigned)(host - page) >> COVER_GRAIN_BITS;
    unsigned last = (unsigned)(host - page + (len ? len : 1) - 1) >> COVER_GRAIN_BITS;
    for (unsigned g = first; g <= last; g++) {
        if (__atomic_load_n(&pd->cover[g / 64], __ATOMIC_ACQUIRE) & (1ull << (g % 64))) {
            return true;
        }
    }
    return false;
}

/* The bytes [*lo, *hi) of page host_page that tb's code occupies (offsets in the page). */
static void tb_page_span(const TranslationBlock *tb, uintptr_t host_page, unsigned *lo,
                         unsigned *hi)
{
    uint64_t ofs = tb->phys_pc & (TLB_PAGE_SIZE - 1);
    uint64_t end = ofs + (tb->size ? tb->size : 1);

    if (tb->page_host[0] == host_page) {
        *lo = (unsigned)ofs;
        *hi = (unsigned)(end < TLB_PAGE_SIZE ? end : TLB_PAGE_SIZE);
        if (tb->extra_hi > tb->extra_lo) {      /* code the TB assumed things about */
            *lo = MIN(*lo, (unsigned)tb->extra_lo);
            *hi = MAX(*hi, MIN((unsigned)tb->extra_hi, (unsigned)TLB_PAGE_SIZE));
        }
    } else {
        *lo = 0;
        *hi = (unsigned)(end > TLB_PAGE_SIZE ? end - TLB_PAGE_SIZE : TLB_PAGE_SIZE);
    }
}

static void page_cover(PageDesc *pd, const TranslationBlock *tb)
{
    unsigned lo, hi;
    tb_page_span(tb, pd->host_page, &lo, &hi);
    for (unsigned g = lo >> COVER_GRAIN_BITS; g <= (hi - 1) >> COVER_GRAIN_BITS; g++) {
        __atomic_fetch_or(&pd->cover[g / 64], 1ull << (g % 64), __ATOMIC_RELEASE);
    }
}

/* Recomputes the bitmap from the TBs left (after a removal). */
static void page_recover(PageDesc *pd)
{
    uint64_t cover[COVER_WORDS] = { 0 };
    for (int i = 0; i < pd->nb_tbs; i++) {
        unsigned lo, hi;
        tb_page_span(pd->tbs[i], pd->host_page, &lo, &hi);
        for (unsigned g = lo >> COVER_GRAIN_BITS; g <= (hi - 1) >> COVER_GRAIN_BITS; g++) {
            cover[g / 64] |= 1ull << (g % 64);
        }
    }
    for (unsigned w = 0; w < COVER_WORDS; w++) {
        __atomic_store_n(&pd->cover[w], cover[w], __ATOMIC_RELEASE);
    }
}

void tb_page_translation_begin(TranslationBlock *tb, int slot, uintptr_t host_page)
{
    tb_lock();
    PageDesc *pd = page_get(host_page);
    bool first = !page_in_use(pd);
    __atomic_store_n(&pd->translating, pd->translating + 1, __ATOMIC_SEQ_CST);
    if (first) {
        tlb_mark_code_page(host_page);  /* CPU stores to it must be seen from now on */
    }
    tb->page_seq[slot] = pd->write_seq;
    tb->page_busy[slot] = true;
    tb_unlock();
}

void tb_page_translation_end(TranslationBlock *tb)
{
    tb_lock();
    for (int i = 0; i < 2; i++) {
        PageDesc *pd = tb->page_busy[i] ? page_lookup(tb->page_host[i]) : NULL;
        if (pd) {
            __atomic_store_n(&pd->translating, pd->translating - 1, __ATOMIC_RELEASE);
        }
        tb->page_busy[i] = false;
    }
    tb_unlock();
}

bool tb_pages_written(const TranslationBlock *tb)
{
    for (int i = 0; i < 2; i++) {
        PageDesc *pd = tb->page_busy[i] ? page_lookup(tb->page_host[i]) : NULL;
        if (pd && pd->write_seq != tb->page_seq[i]) {
            return true;
        }
    }
    return false;
}

void tb_page_add(uintptr_t host_page, TranslationBlock *tb)
{
    PageDesc *pd = page_get(host_page);
    bool first = !page_in_use(pd);
    if (pd->nb_tbs == pd->cap_tbs) {
        pd->cap_tbs = pd->cap_tbs ? pd->cap_tbs * 2 : 8;
        pd->tbs = xrealloc(pd->tbs, (size_t)pd->cap_tbs * sizeof(*pd->tbs));
    }
    pd->tbs[pd->nb_tbs] = tb;
    __atomic_store_n(&pd->nb_tbs, pd->nb_tbs + 1, __ATOMIC_RELEASE);
    page_cover(pd, tb);
    if (first) {
        tlb_mark_code_page(host_page);  /* writes to it must take the slow path now */
    }
}

void tb_page_remove(uintptr_t host_page, TranslationBlock *tb)
{
    PageDesc *pd = page_lookup(host_page);
    if (!pd) {
        return;
    }
    for (int i = 0; i < pd->nb_tbs; i++) {
        if (pd->tbs[i] == tb) {
            pd->tbs[i] = pd->tbs[pd->nb_tbs - 1];
            __atomic_store_n(&pd->nb_tbs, pd->nb_tbs - 1, __ATOMIC_RELEASE);
            page_recover(pd);
            return;
        }
    }
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
        PageDesc *pd = page_lookup(page);
        if (!pd) {
            continue;
        }
        pd->write_seq++;            /* a translation reading this page must start over */
        for (int i = pd->nb_tbs - 1; i >= 0; i--) {
            if (i >= pd->nb_tbs) {
                continue;
            }
            TranslationBlock *tb = pd->tbs[i];
            unsigned lo, hi;
            tb_page_span(tb, page, &lo, &hi);
            if (host < page + hi && page + lo < end) {
                hit_current |= tb == current;
                tb_invalidate_locked(tb);
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

void tb_pages_free(void)
{
    for (unsigned h = 0; h < PAGE_HASH_SIZE; h++) {
        PageDesc *pd = atomic_exchange(&pages[h], NULL);
        while (pd) {
            PageDesc *next = atomic_load_explicit(&pd->next, memory_order_relaxed);
            free(pd->tbs);
            free(pd);
            pd = next;
        }
    }
}
