/* The TB hash table: TBs keyed by (physical PC, PC, cs_base, flags, cflags), searched by
 * vCPUs without any lock (RCU-style) while writers hold tb_lock. Chains are linked
 * through TranslationBlock.hash_next[link]; a resize builds the doubled table through
 * the other link field and then publishes it, so a reader still walking the old table
 * sees intact chains. Old bucket arrays and TBs are freed only by tb_flush, when no vCPU
 * runs translated code. See docs/tcg.md "Lock rules". */
#include <stddef.h>
#include <stdlib.h>
#include "accel/tcg/internal.h"
#include "util/cutils.h"

#define TB_HASH_MIN_BITS 10
#define TB_HASH_MAX_BITS 22

typedef struct TBHashTable {
    unsigned bits;
    int link;                               /* the hash_next[] field chaining it */
    _Atomic(TranslationBlock *) *buckets;
    struct TBHashTable *retired_next;       /* older tables, freed at the next flush */
} TBHashTable;

/* A chain step and a jump-cache hit read one cache line of the TB (include/accel/tcg.h). */
_Static_assert(offsetof(TranslationBlock, invalid) < 64 &&
               offsetof(TranslationBlock, tc_ptr) + sizeof(void *) <= 64,
               "the lookup fields of a TB fit its first cache line");

static _Atomic(TBHashTable *) tb_ht;
static size_t tb_ht_count;                  /* TBs in the table (tb_lock) */
static TBHashTable *tb_ht_retired;          /* (tb_lock) */

static uint32_t tb_hash(uint64_t phys_pc, uint64_t pc, uint64_t cs_base, uint32_t flags,
                        uint32_t cflags)
{
    uint64_t h = phys_pc * 0x9e3779b97f4a7c15ull;
    h ^= (pc + (h >> 29)) * 0xbf58476d1ce4e5b9ull;
    h ^= (cs_base ^ ((uint64_t)flags << 32 | cflags)) * 0x94d049bb133111ebull;
    h ^= h >> 31;
    return (uint32_t)(h >> 32);
}

static uint32_t tb_hash_of(const TranslationBlock *tb)
{
    return tb_hash(tb->phys_pc, tb->pc, tb->cs_base, tb->flags, tb->cflags);
}

static _Atomic(TranslationBlock *) *tb_bucket(TBHashTable *ht, uint32_t h)
{
    return &ht->buckets[h >> (32 - ht->bits)];
}

static TBHashTable *tb_ht_new(unsigned bits, int link)
{
    TBHashTable *ht = xzalloc(sizeof(*ht));
    ht->bits = bits;
    ht->link = link;
    ht->buckets = xzalloc(sizeof(*ht->buckets) << bits);
    return ht;
}

static void tb_ht_free(TBHashTable *ht)
{
    free(ht->buckets);
    free(ht);
}

static bool tb_matches(const TranslationBlock *tb, uint64_t phys_pc, uint64_t pc,
                       uint64_t cs_base, uint32_t flags, uint32_t cflags, uintptr_t page1_host)
{
    return tb->phys_pc == phys_pc && tb->pc == pc && tb->cs_base == cs_base &&
           tb->flags == flags && tb->cflags == cflags &&
           !__atomic_load_n(&tb->invalid, __ATOMIC_ACQUIRE) &&
           (page1_host == UINTPTR_MAX || tb->nb_pages < 2 || tb->page_host[1] == page1_host);
}

TranslationBlock *tb_htable_lookup(uint64_t phys_pc, uint64_t pc, uint64_t cs_base,
                                   uint32_t flags, uint32_t cflags, uintptr_t page1_host)
{
    uint32_t h = tb_hash(phys_pc, pc, cs_base, flags, cflags);
    TBHashTable *ht = atomic_load_explicit(&tb_ht, memory_order_acquire);

    while (ht) {
        TranslationBlock *tb = atomic_load_explicit(tb_bucket(ht, h), memory_order_acquire);
        for (; tb; tb = atomic_load_explicit(&tb->hash_next[ht->link], memory_order_acquire)) {
            if (tb_matches(tb, phys_pc, pc, cs_base, flags, cflags, page1_host)) {
                return tb;
            }
        }
        TBHashTable *now = atomic_load_explicit(&tb_ht, memory_order_acquire);
        if (now == ht) {
            return NULL;
        }
        ht = now;           /* resized meanwhile: TBs added since are only in the new one */
    }
    return NULL;
}

static void tb_ht_push(TBHashTable *ht, TranslationBlock *tb)
{
    _Atomic(TranslationBlock *) *b = tb_bucket(ht, tb_hash_of(tb));
    atomic_store_explicit(&tb->hash_next[ht->link],
                          atomic_load_explicit(b, memory_order_relaxed), memory_order_relaxed);
    atomic_store_explicit(b, tb, memory_order_release);
}

/* Doubles the table: every TB is pushed into the new one through the other link field
 * (readers of the old table are not disturbed), then the new table is published. */
static TBHashTable *tb_ht_grow(TBHashTable *old)
{
    TBHashTable *ht = tb_ht_new(old->bits + 1, !old->link);
    for (size_t i = 0; i < (size_t)1 << old->bits; i++) {
        TranslationBlock *tb = atomic_load_explicit(&old->buckets[i], memory_order_relaxed);
        for (; tb; tb = atomic_load_explicit(&tb->hash_next[old->link], memory_order_relaxed)) {
            tb_ht_push(ht, tb);
        }
    }
    atomic_store_explicit(&tb_ht, ht, memory_order_release);
    old->retired_next = tb_ht_retired;
    tb_ht_retired = old;
    return ht;
}

void tb_hash_insert(TranslationBlock *tb)
{
    TBHashTable *ht = atomic_load_explicit(&tb_ht, memory_order_relaxed);
    if (!ht) {
        ht = tb_ht_new(TB_HASH_MIN_BITS, 0);
        atomic_store_explicit(&tb_ht, ht, memory_order_release);
    }
    if (++tb_ht_count > (size_t)1 << ht->bits && ht->bits < TB_HASH_MAX_BITS) {
        ht = tb_ht_grow(ht);
    }
    tb_ht_push(ht, tb);
}

void tb_hash_remove(TranslationBlock *tb)
{
    TBHashTable *ht = atomic_load_explicit(&tb_ht, memory_order_relaxed);
    if (!ht) {
        return;
    }
    _Atomic(TranslationBlock *) *p = tb_bucket(ht, tb_hash_of(tb));
    for (TranslationBlock *t; (t = atomic_load_explicit(p, memory_order_relaxed)) != NULL;
         p = &t->hash_next[ht->link]) {
        if (t == tb) {
            /* tb keeps its own link: a reader standing on it goes on down the chain */
            atomic_store_explicit(p, atomic_load_explicit(&tb->hash_next[ht->link],
                                                          memory_order_relaxed),
                                  memory_order_release);
            tb_ht_count--;
            return;
        }
    }
}

unsigned tb_hash_buckets(void)
{
    TBHashTable *ht = atomic_load_explicit(&tb_ht, memory_order_relaxed);
    return ht ? 1u << ht->bits : 0;
}

void tb_hash_reset(void)
{
    TBHashTable *ht = atomic_exchange(&tb_ht, NULL);
    while (tb_ht_retired) {
        TBHashTable *next = tb_ht_retired->retired_next;
        tb_ht_free(tb_ht_retired);
        tb_ht_retired = next;
    }
    if (ht) {
        tb_ht_free(ht);
    }
    tb_ht_count = 0;
}
