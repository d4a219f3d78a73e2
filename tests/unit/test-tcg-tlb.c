/* The soft TLB data structure (accel/tcg/tlb-table.c): the dynamic sizing policy (grow
 * on a busy flush, shrink after a quiet window, bounds), the victim TLB (eviction on a
 * conflicting fill, swap back on a miss), page and range flushes of main and victim
 * entries, flushes that leave never-filled indexes untouched, code-page marking. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <string.h>
#include <cmocka.h>
#include "accel/tcg/internal.h"

static CPUState cpu;
static TCGVCPU v;

static int setup(void **state)
{
    memset(&cpu, 0, sizeof(cpu));
    memset(&v, 0, sizeof(v));
    v.cpu = &cpu;
    tlb_lock_init(&v);
    tlb_table_init(&v);
    return 0;
}

static int teardown(void **state)
{
    tlb_table_destroy(&v);
    return 0;
}

static void install(int m, uint64_t page, uintptr_t host)
{
    CPUTLBEntry e = { .addr_read = page, .addr_write = page, .addr_code = UINT64_MAX,
                      .addend = host - page };
    CPUTLBEntryFull full = { .paddr_page = page, .host_page = host, .prot = PAGE_RWX };
    tlb_foreign_lock(&v);
    tlb_table_install(&v, m, page, &e, &full);
    tlb_foreign_unlock(&v);
}

static bool hits(int m, uint64_t page)
{
    return tlb_fast_entry(&cpu, m, page)->addr_read == page;
}

static void flush(int m)
{
    tlb_foreign_lock(&v);
    tlb_table_flush_idx(&v, m);
    tlb_foreign_unlock(&v);
}

static void test_initial_and_clean_flush(void **state)
{
    for (int m = 0; m < TLB_NB_MMU_MODES; m++) {
        assert_int_equal(tlb_fast_entries(&cpu, m), 1u << TLB_DYN_MIN_BITS);
    }
    /* A never-filled index costs nothing to flush: its table is not even written. */
    CPUTLBEntry *t = cpu.tlb_fast[3].table;
    t[5].addend = 1234;
    flush(3);
    assert_int_equal(t[5].addend, 1234);
    install(3, 0x7000, 0x100000);
    flush(3);
    assert_int_equal(((CPUTLBEntry *)cpu.tlb_fast[3].table)[5].addend, UINTPTR_MAX);
    assert_false(hits(3, 0x7000));
}

static void fill_and_flush(int m, uint64_t pages)
{
    for (uint64_t p = 0; p < pages; p++) {
        install(m, p << TLB_PAGE_BITS, 0x100000);
    }
    flush(m);
}

/* Busy flushes grow the index (to about 35% use of what the table could hold), step by
 * step up to the maximum. */
static void test_grow(void **state)
{
    fill_and_flush(1, 200);
    assert_int_equal(tlb_fast_entries(&cpu, 1), 1024);
    assert_int_equal(tlb_fast_entries(&cpu, 0), 256);   /* other indexes unchanged */
    fill_and_flush(1, 60000);                           /* 1024 in use: 4096 */
    assert_int_equal(tlb_fast_entries(&cpu, 1), 4096);
    for (int i = 0; i < 4; i++) {
        fill_and_flush(1, 60000);
    }
    assert_int_equal(tlb_fast_entries(&cpu, 1), 1u << TLB_DYN_MAX_BITS);    /* 64K */
}

/* A quiet window shrinks the index to fit the window's peak; a short one keeps it. */
static void test_shrink(void **state)
{
    for (int i = 0; i < 3; i++) {
        fill_and_flush(2, 3000);            /* 256 -> 1024 -> 4096 -> 16384 */
    }
    assert_int_equal(tlb_fast_entries(&cpu, 2), 16384);
    fill_and_flush(2, 10);      /* the window is not over yet: no shrink */
    assert_int_equal(tlb_fast_entries(&cpu, 2), 16384);
    v.tlb[2].window_start_ns -= 200 * 1000 * 1000;
    fill_and_flush(2, 1);
    assert_int_equal(tlb_fast_entries(&cpu, 2), 256);
}

/* Two pages in one slot: the older one goes to the victim TLB and comes back on a miss. */
static void test_victim(void **state)
{
    uint64_t a = 0x5000, b = a + ((uint64_t)256 << TLB_PAGE_BITS);
    install(0, a, 0x200000);
    install(0, b, 0x300000);
    assert_true(hits(0, b));
    assert_false(hits(0, a));
    assert_true(tlb_table_victim_hit(&v, 0, a + 8, MMU_DATA_LOAD));
    assert_true(hits(0, a));
    assert_int_equal(tlb_table_full(&v, 0, a)->host_page, 0x200000);
    assert_int_equal(tlb_fast_entry(&cpu, 0, a)->addend, 0x200000 - a);
    assert_true(tlb_table_victim_hit(&v, 0, b, MMU_DATA_STORE));   /* b was swapped out */
    assert_false(tlb_table_victim_hit(&v, 0, b, MMU_INST_FETCH));  /* no code tag */
    assert_false(tlb_table_victim_hit(&v, 0, b + 0x1000, MMU_DATA_LOAD));
    /* a page flush drops the page from the victim TLB too */
    tlb_foreign_lock(&v);
    tlb_table_flush_range(&v, 0, a, TLB_PAGE_SIZE);
    tlb_foreign_unlock(&v);
    assert_false(hits(0, a));
    assert_true(hits(0, b));
    assert_false(tlb_table_victim_hit(&v, 0, a, MMU_DATA_LOAD));
}

/* Marking a code page sets NOTDIRTY on its write tags, in main and victim entries. */
static void test_mark_code_page(void **state)
{
    uint64_t a = 0x9000, b = a + ((uint64_t)256 << TLB_PAGE_BITS), c = 0xa000;
    install(4, a, 0x400000);
    install(4, b, 0x500000);        /* a to the victim TLB */
    install(4, c, 0x400000);        /* same host page as a */
    tlb_table_mark_code_page(&v, 0x400000);
    assert_true(tlb_fast_entry(&cpu, 4, c)->addr_write & TLB_NOTDIRTY);
    assert_false(tlb_fast_entry(&cpu, 4, b)->addr_write & TLB_NOTDIRTY);
    assert_true(tlb_table_victim_hit(&v, 4, a, MMU_DATA_LOAD));
    assert_true(tlb_fast_entry(&cpu, 4, a)->addr_write & TLB_NOTDIRTY);
}

/* A range flush (a large page's pieces) clears the entries inside it, page by page or
 * by a pass over the table, and keeps the others. */
static void test_flush_range(void **state)
{
    for (uint64_t p = 0x400000; p < 0x800000; p += TLB_PAGE_SIZE) {
        install(5, p, 0x100000);
    }
    install(5, 0x801000, 0x100000);
    install(5, 0x3ff000, 0x100000);
    tlb_foreign_lock(&v);
    tlb_table_flush_range(&v, 5, 0x400000, 0x400000);       /* 1024 pages: a pass */
    tlb_foreign_unlock(&v);
    for (uint64_t p = 0x400000; p < 0x800000; p += TLB_PAGE_SIZE) {
        assert_false(hits(5, p));
    }
    assert_true(hits(5, 0x801000));
    assert_true(hits(5, 0x3ff000));
    tlb_foreign_lock(&v);
    tlb_table_flush_range(&v, 5, 0x801000, 2 * TLB_PAGE_SIZE);   /* page by page */
    tlb_foreign_unlock(&v);
    assert_false(hits(5, 0x801000));
    assert_true(hits(5, 0x3ff000));
}

#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)

int main(void)
{
    const struct CMUnitTest tests[] = {
        T(test_initial_and_clean_flush), T(test_grow), T(test_shrink), T(test_victim),
        T(test_mark_code_page), T(test_flush_range),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
