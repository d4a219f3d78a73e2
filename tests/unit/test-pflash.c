/* Unit tests for the CFI flash (hw/block/pflash_cfi01.c) through an address space, the way
 * U-Boot's CFI driver drives it: CFI query and identifier reads, status, word and buffered
 * programming (bits only cleared), block erase, lock/unlock, command sequence errors, and
 * the switch between direct reads (read-array mode) and register reads. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include "hw/block/pflash.h"

#define BASE 0x100000u
#define SECTOR 0x10000u

static PFlashCFI01 *flash;
static MemoryRegion root;
static AddressSpace as;

static int setup(void **state)
{
    Error *err = NULL;
    DeviceState *dev = device_create(pflash_cfi01_device_type.name, NULL, &err);
    assert_non_null(dev);
    flash = DEVICE_CAST(PFlashCFI01, dev);
    flash->size = 16 * SECTOR;
    flash->sector_size = SECTOR;
    assert_int_equal(device_realize(dev, &err), 0);
    device_reset(dev);
    memory_region_init_container(&root, "root", UINT64_MAX);
    memory_region_add_subregion(&root, BASE, &flash->mem, 0);
    address_space_init(&as, &root, "test");
    return 0;
}

static int teardown(void **state)
{
    address_space_destroy(&as);
    memory_region_del_subregion(&root, &flash->mem);
    device_destroy(DEVICE(flash));
    memory_region_destroy(&root);
    qdev_destroy_all();
    return 0;
}

static void cmd(uint32_t word_addr, uint32_t value)
{
    address_space_store(&as, BASE + word_addr * 4, 4, value);
}

static uint32_t rd(hwaddr off)
{
    uint64_t v;
    address_space_load(&as, BASE + off, 4, &v);
    return (uint32_t)v;
}

static uint8_t rd8(hwaddr off)
{
    uint64_t v;
    address_space_load(&as, BASE + off, 1, &v);
    return (uint8_t)v;
}

static bool direct_reads(void)
{
    const FlatRange *fr = address_space_lookup(&as, BASE);
    return fr && fr->mr->kind == MR_ROM;
}

static void test_query_and_id(void **state)
{
    assert_false(direct_reads());                   /* untouched: no storage yet */
    assert_int_equal(rd(0), 0xffffffff);            /* erased at the first access */
    assert_true(direct_reads());
    cmd(0x55, 0x98);
    assert_false(direct_reads());
    assert_int_equal(rd(0x10 * 4), 'Q');
    assert_int_equal(rd8(0x11 * 4), 'R');
    assert_int_equal(rd8(0x11 * 4 + 1), 0);         /* upper lanes of a x32 device */
    assert_int_equal(rd(0x12 * 4), 'Y');
    assert_int_equal(rd(0x13 * 4), 1);              /* Intel command set */
    assert_int_equal(rd(0x27 * 4), 20);             /* 1 MiB = 2^20 */
    assert_int_equal(rd(0x2c * 4), 1);
    assert_int_equal(rd(0x2d * 4) | rd(0x2e * 4) << 8, 15);       /* 16 blocks */
    assert_int_equal(rd(0x2f * 4) | rd(0x30 * 4) << 8, SECTOR / 256);
    assert_int_equal(rd(0x31 * 4), 'P');
    cmd(0, 0x90);
    assert_int_equal(rd(0), 0x89);
    assert_int_equal(rd(4), 0x18);
    assert_int_equal(rd(SECTOR + 8), 0);            /* block 1 unlocked */
    cmd(0, 0xff);
    assert_true(direct_reads());
}

/* U-Boot probes narrower port widths first: a byte cycle is still one command, and the
 * query data of an x32 part sit in byte lane 0 only. */
static void test_narrow_probe(void **state)
{
    address_space_store(&as, BASE + 0x55, 1, 0x98);
    assert_false(direct_reads());
    assert_int_equal(rd8(0x10), 0);                 /* 8-bit port: not where 'Q' is */
    assert_int_equal(rd8(0x40), 'Q');
    uint64_t v;
    address_space_load(&as, BASE + 0x40, 2, &v);
    assert_int_equal(v, 'Q');
    address_space_store(&as, BASE + 0xaa, 2, 0xf0f0);        /* AMD reset: ignored */
    address_space_store(&as, BASE + 0x2, 2, 0x00ff);
    assert_true(direct_reads());
    assert_int_equal(rd(0), 0xffffffff);            /* nothing was programmed */
}

static void test_program_and_erase(void **state)
{
    cmd(0, 0x40);
    address_space_store(&as, BASE + 0x20, 4, 0x12345678);
    assert_int_equal(rd(0x20), 0x80);               /* status: ready */
    cmd(0, 0xff);
    assert_int_equal(rd(0x20), 0x12345678);
    cmd(0, 0x10);                                   /* programming only clears bits */
    address_space_store(&as, BASE + 0x20, 4, 0xffff0000);
    cmd(0, 0xff);
    assert_int_equal(rd(0x20), 0x12340000);
    cmd(0, 0x20);
    cmd(0, 0xd0);                                   /* erase block 0 */
    assert_int_equal(rd(0) & 0xff, 0x80);
    cmd(0, 0xff);
    assert_int_equal(rd(0x20), 0xffffffff);
}

static void test_buffered_program(void **state)
{
    hwaddr at = 2 * SECTOR + 0x40;
    address_space_store(&as, BASE + at, 4, 0xe8);
    assert_int_equal(rd(at) & 0x80, 0x80);           /* buffer available */
    address_space_store(&as, BASE + at, 4, 3);       /* 4 words */
    for (uint32_t i = 0; i < 4; i++) {
        address_space_store(&as, BASE + at + 4 * i, 4, 0xa0000000 + i);
    }
    assert_int_equal(rd(at), 0xffffffff & 0x80);    /* status, nothing written yet */
    address_space_store(&as, BASE + at, 4, 0xd0);
    cmd(0, 0x70);
    assert_int_equal(rd(0), 0x80);
    cmd(0, 0xff);
    for (uint32_t i = 0; i < 4; i++) {
        assert_int_equal(rd(at + 4 * i), 0xa0000000 + i);
    }
    /* too many words: error status */
    address_space_store(&as, BASE + at, 4, 0xe8);
    address_space_store(&as, BASE + at, 4, 200);
    assert_int_equal(rd(at) & 0x30, 0x30);
    cmd(0, 0x50);                                    /* clear status */
    assert_int_equal(rd(0), 0x80);
    cmd(0, 0xff);
}

static void test_locks_and_sequence_errors(void **state)
{
    cmd(SECTOR / 4, 0x60);
    cmd(SECTOR / 4, 0x01);                           /* lock block 1 */
    cmd(0, 0x90);
    assert_int_equal(rd(SECTOR + 8), 1);
    cmd(SECTOR / 4, 0x40);
    address_space_store(&as, BASE + SECTOR, 4, 0);
    assert_int_equal(rd(SECTOR) & 0x12, 0x12);       /* program error, locked */
    cmd(0, 0x50);
    cmd(SECTOR / 4, 0x20);
    cmd(SECTOR / 4, 0xd0);
    assert_int_equal(rd(SECTOR) & 0x22, 0x22);       /* erase error, locked */
    cmd(0, 0x50);
    cmd(SECTOR / 4, 0x60);
    cmd(SECTOR / 4, 0xd0);                           /* unlock */
    cmd(0, 0xff);
    assert_int_equal(rd(SECTOR), 0xffffffff);
    cmd(0, 0x20);
    cmd(0, 0x77);                                    /* erase not confirmed */
    assert_int_equal(rd(0) & 0x30, 0x30);
    cmd(0, 0x50);
    cmd(0, 0x42);                                    /* unknown: ignored */
    cmd(0, 0xff);
    assert_true(direct_reads());
    assert_int_equal(rd(0), 0xffffffff);
    device_reset(DEVICE(flash));                     /* locks cleared, array mode */
    assert_true(direct_reads());
}

int main(void)
{
    const struct CMUnitTest tests[] = {
#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)
        T(test_query_and_id),
        T(test_narrow_probe),
        T(test_program_and_erase),
        T(test_buffered_program),
        T(test_locks_and_sequence_errors),
#undef T
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
