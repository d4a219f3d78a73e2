/* Unit tests for system/memory*.c: flattening (overlaps, priorities, aliases, nested and
 * disabled containers, moves), MMIO access sizes, byte order, unassigned accesses, ROM and
 * DMA refusal, the RAM write hook and "info mtree". */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "system/memory.h"
#include "util/log.h"

/* --- a test device: a byte array behind callbacks that records every call ----------- */

typedef struct Call {
    char op;            /* 'r' or 'w' */
    hwaddr offset;
    unsigned size;
    uint64_t value;
} Call;

typedef struct TestDev {
    uint8_t mem[64];
    bool big_endian;
    Call calls[32];
    int nr_calls;
} TestDev;

static uint64_t testdev_read(void *opaque, hwaddr offset, unsigned size)
{
    TestDev *d = opaque;
    uint64_t v = 0;
    assert_true(offset + size <= sizeof(d->mem));
    for (unsigned i = 0; i < size; i++) {
        unsigned shift = 8 * (d->big_endian ? size - 1 - i : i);
        v |= (uint64_t)d->mem[offset + i] << shift;
    }
    if (d->nr_calls < 32) {
        d->calls[d->nr_calls++] = (Call){ 'r', offset, size, v };
    }
    return v;
}

static void testdev_write(void *opaque, hwaddr offset, uint64_t value, unsigned size)
{
    TestDev *d = opaque;
    assert_true(offset + size <= sizeof(d->mem));
    for (unsigned i = 0; i < size; i++) {
        unsigned shift = 8 * (d->big_endian ? size - 1 - i : i);
        d->mem[offset + i] = (uint8_t)(value >> shift);
    }
    if (d->nr_calls < 32) {
        d->calls[d->nr_calls++] = (Call){ 'w', offset, size, value };
    }
}

static void testdev_init(TestDev *d)
{
    memset(d, 0, sizeof(*d));
    for (unsigned i = 0; i < sizeof(d->mem); i++) {
        d->mem[i] = (uint8_t)(0x10 + i);
    }
}

/* --- log capture ------------------------------------------------------------------- */

static char log_path[] = "/tmp/mimic-test-memory-XXXXXX";

static void log_start(void)
{
    assert_int_equal(log_set_file(log_path), 0);
    log_mask = LOG_GUEST_ERROR;
}

/* Whether the log written since log_start() contains needle. */
static bool log_has(const char *needle)
{
    char buf[8192];
    size_t n;
    FILE *f;
    log_flush();
    f = fopen(log_path, "r");
    assert_non_null(f);
    n = fread(buf, 1, sizeof(buf) - 1, f);
    buf[n] = '\0';
    fclose(f);
    return strstr(buf, needle) != NULL;
}

/* --- fixtures ---------------------------------------------------------------------- */

typedef struct Fixture {
    MemoryRegion root;
    AddressSpace as;
} Fixture;

static int fixture_setup(void **state)
{
    Fixture *f = calloc(1, sizeof(*f));
    memory_region_init_container(&f->root, "system", UINT64_MAX);
    address_space_init(&f->as, &f->root, "memory");
    log_start();
    *state = f;
    return 0;
}

static int fixture_teardown(void **state)
{
    Fixture *f = *state;
    address_space_destroy(&f->as);
    memory_region_destroy(&f->root);
    free(f);
    memory_set_ram_write_hook(NULL);
    return 0;
}

static uint64_t load(AddressSpace *as, hwaddr addr, unsigned size)
{
    uint64_t v = 0;
    assert_int_equal(address_space_load(as, addr, size, &v), MEMTX_OK);
    return v;
}

/* --- flattening -------------------------------------------------------------------- */

static void test_ram_zeroed_and_rw(void **state)
{
    Fixture *f = *state;
    MemoryRegion ram;
    uint8_t buf[4] = { 1, 2, 3, 4 }, back[4];
    memory_region_init_ram(&ram, "ram", 0x10000);
    memory_region_add_subregion(&f->root, 0, &ram, 0);
    assert_int_equal(load(&f->as, 0x1234, 8), 0);
    assert_int_equal(address_space_write(&f->as, 0xfffe, buf, 4), MEMTX_DECODE_ERROR);
    assert_int_equal(address_space_read(&f->as, 0xfffe, back, 4), MEMTX_DECODE_ERROR);
    assert_int_equal(back[0], 1);
    assert_int_equal(back[1], 2);
    assert_int_equal(back[2], 0xff);     /* past the end: unassigned */
    assert_int_equal(back[3], 0xff);
    assert_int_equal(memory_region_get_ram_ptr(&ram)[0xffff], 2);
    assert_int_equal(address_space_store(&f->as, 0x100, 4, 0xdeadbeef), MEMTX_OK);
    assert_int_equal(memory_region_get_ram_ptr(&ram)[0x100], 0xef);   /* little-endian */
    assert_int_equal(load(&f->as, 0x102, 2), 0xdead);
    memory_region_destroy(&ram);
}

static void test_priorities(void **state)
{
    Fixture *f = *state;
    MemoryRegion low, high, same1, same2;
    memory_region_init_ram(&low, "low", 0x4000);
    memory_region_init_ram(&high, "high", 0x1000);
    memory_region_init_ram(&same1, "same1", 0x1000);
    memory_region_init_ram(&same2, "same2", 0x1000);
    memory_region_get_ram_ptr(&low)[0x1800] = 0xaa;
    memory_region_get_ram_ptr(&high)[0x800] = 0xbb;
    memory_region_add_subregion(&f->root, 0, &low, 0);
    memory_region_add_subregion(&f->root, 0x1000, &high, 1);
    assert_int_equal(load(&f->as, 0x1800, 1), 0xbb);
    assert_int_equal(f->as.view->nr, 3);        /* low, high, low */
    assert_ptr_equal(address_space_lookup(&f->as, 0x2000)->mr, &low);
    assert_int_equal(address_space_lookup(&f->as, 0x2000)->offset, 0x2000);

    /* lower priority added later still loses */
    memory_region_del_subregion(&f->root, &high);
    memory_region_add_subregion(&f->root, 0x1000, &high, -1);
    assert_int_equal(load(&f->as, 0x1800, 1), 0xaa);
    assert_int_equal(f->as.view->nr, 1);        /* re-merged */

    /* equal priority: the later one wins, wherever it is added */
    memory_region_add_subregion(&f->root, 0x8000, &same1, 0);
    memory_region_add_subregion(&f->root, 0x8000, &same2, 0);
    assert_ptr_equal(address_space_lookup(&f->as, 0x8000)->mr, &same2);
    memory_region_del_subregion(&f->root, &same1);
    memory_region_add_subregion(&f->root, 0x8000, &same1, 0);
    assert_ptr_equal(address_space_lookup(&f->as, 0x8000)->mr, &same1);
    assert_null(address_space_lookup(&f->as, 0x9000));

    memory_region_destroy(&same1);
    memory_region_destroy(&same2);
    memory_region_destroy(&high);
    memory_region_destroy(&low);
}

static void test_alias(void **state)
{
    Fixture *f = *state;
    MemoryRegion ram, high_alias, low_alias;
    uint8_t *host;
    memory_region_init_ram(&ram, "ram", 0x10000);
    host = memory_region_get_ram_ptr(&ram);
    host[0x8000] = 0x5a;
    host[0x4000] = 0xa5;
    /* the RAM itself is not mapped; only windows on it */
    memory_region_init_alias(&high_alias, "high", &ram, 0x8000, 0x1000);
    memory_region_init_alias(&low_alias, "low", &ram, 0x4000, 0x100);
    memory_region_add_subregion(&f->root, 0x100000, &high_alias, 0);
    memory_region_add_subregion(&f->root, 0x0, &low_alias, 0);   /* offset > address */
    assert_int_equal(load(&f->as, 0x100000, 1), 0x5a);
    assert_int_equal(load(&f->as, 0x0, 1), 0xa5);
    assert_ptr_equal(address_space_lookup(&f->as, 0x100010)->mr, &ram);
    assert_int_equal(address_space_lookup(&f->as, 0x100010)->offset, 0x8000);
    assert_null(address_space_lookup(&f->as, 0x101000));          /* window ends */
    assert_null(address_space_lookup(&f->as, 0x100));
    assert_int_equal(address_space_store(&f->as, 0x100001, 1, 0x77), MEMTX_OK);
    assert_int_equal(host[0x8001], 0x77);
    memory_region_destroy(&low_alias);
    memory_region_destroy(&high_alias);
    memory_region_destroy(&ram);
}

static void test_nested_and_disabled_containers(void **state)
{
    Fixture *f = *state;
    MemoryRegion outer, inner, ram, under;
    uint64_t gen;
    memory_region_init_container(&outer, "outer", 0x10000);
    memory_region_init_container(&inner, "inner", 0x1000);
    memory_region_init_ram(&ram, "dev-ram", 0x2000);    /* larger than inner: clipped */
    memory_region_init_ram(&under, "under", 0x100000);
    memory_region_get_ram_ptr(&ram)[0] = 0x11;
    memory_region_get_ram_ptr(&under)[0x21100] = 0x22;
    memory_region_add_subregion(&inner, 0x100, &ram, 0);
    memory_region_add_subregion(&outer, 0x1000, &inner, 0);
    memory_region_add_subregion(&f->root, 0x20000, &outer, 1);
    memory_region_add_subregion(&f->root, 0, &under, 0);
    assert_int_equal(load(&f->as, 0x21100, 1), 0x11);
    /* inner ends at 0x22000: the rest of dev-ram is cut off and "under" shows through */
    assert_ptr_equal(address_space_lookup(&f->as, 0x21fff)->mr, &ram);
    assert_ptr_equal(address_space_lookup(&f->as, 0x22000)->mr, &under);
    /* a container is transparent where it has no child */
    assert_ptr_equal(address_space_lookup(&f->as, 0x20000)->mr, &under);

    gen = f->as.generation;
    memory_region_set_enabled(&inner, false);
    assert_true(f->as.generation > gen);
    assert_int_equal(load(&f->as, 0x21100, 1), 0x22);
    memory_region_set_enabled(&under, false);
    uint64_t v;
    assert_int_equal(address_space_load(&f->as, 0x21100, 4, &v), MEMTX_DECODE_ERROR);
    assert_int_equal(v, 0xffffffff);
    memory_region_set_enabled(&inner, true);
    memory_region_set_enabled(&under, true);
    assert_int_equal(load(&f->as, 0x21100, 1), 0x11);

    memory_region_destroy(&under);
    memory_region_destroy(&ram);
    memory_region_destroy(&inner);
    memory_region_destroy(&outer);
}

static void test_priority_is_local_and_alias_chains(void **state)
{
    Fixture *f = *state;
    MemoryRegion box, inside, outside, ram, a1, a2;
    memory_region_init_container(&box, "box", 0x1000);
    memory_region_init_ram(&inside, "inside", 0x1000);
    memory_region_init_ram(&outside, "outside", 0x1000);
    /* priority 100 inside a priority-0 container still loses to a priority-1 sibling */
    memory_region_add_subregion(&box, 0, &inside, 100);
    memory_region_add_subregion(&f->root, 0, &box, 0);
    memory_region_add_subregion(&f->root, 0x800, &outside, 1);
    assert_ptr_equal(address_space_lookup(&f->as, 0x7ff)->mr, &inside);
    assert_ptr_equal(address_space_lookup(&f->as, 0x800)->mr, &outside);
    assert_int_equal(address_space_lookup(&f->as, 0x800)->offset, 0);

    /* an alias of an alias, each with an offset */
    memory_region_init_ram(&ram, "ram", 0x10000);
    memory_region_get_ram_ptr(&ram)[0x3456] = 0x99;
    memory_region_init_alias(&a1, "a1", &ram, 0x3000, 0x1000);
    memory_region_init_alias(&a2, "a2", &a1, 0x400, 0x100);
    memory_region_add_subregion(&f->root, 0x50000, &a2, 0);
    assert_int_equal(load(&f->as, 0x50056, 1), 0x99);
    assert_int_equal(address_space_lookup(&f->as, 0x50000)->offset, 0x3400);
    assert_null(address_space_lookup(&f->as, 0x50100));
    /* changing the inner alias's target window re-flattens through the chain */
    memory_region_set_enabled(&a1, false);
    assert_null(address_space_lookup(&f->as, 0x50056));
    memory_region_set_enabled(&a1, true);

    memory_region_destroy(&a2);
    memory_region_destroy(&a1);
    memory_region_destroy(&ram);
    memory_region_destroy(&outside);
    memory_region_destroy(&inside);
    memory_region_destroy(&box);
}

static void test_set_address_reflattens(void **state)
{
    Fixture *f = *state;
    MemoryRegion bar, other_root;
    AddressSpace other;
    TestDev d;
    uint64_t gen, other_gen;
    static const MemoryRegionOps ops = { .read = testdev_read, .write = testdev_write };
    testdev_init(&d);
    memory_region_init_io(&bar, &ops, &d, "bar0", 0x40);
    memory_region_init_container(&other_root, "io", 0x10000);
    address_space_init(&other, &other_root, "I/O");
    memory_region_add_subregion(&f->root, 0xfebf0000, &bar, 0);
    assert_ptr_equal(address_space_lookup(&f->as, 0xfebf0000)->mr, &bar);

    gen = f->as.generation;
    other_gen = other.generation;
    memory_region_set_address(&bar, 0xfe000000);
    assert_true(f->as.generation > gen);
    assert_int_equal(other.generation, other_gen);  /* unrelated space untouched */
    assert_null(address_space_lookup(&f->as, 0xfebf0000));
    assert_ptr_equal(address_space_lookup(&f->as, 0xfe000020)->mr, &bar);
    assert_int_equal(load(&f->as, 0xfe000020, 1), 0x30);

    memory_region_destroy(&bar);
    assert_null(address_space_lookup(&f->as, 0xfe000020));
    address_space_destroy(&other);
    memory_region_destroy(&other_root);
}

/* Random trees checked against a direct, per-address resolution of the same tree. */
static uint32_t rng_state = 12345;

static uint32_t rng(uint32_t n)
{
    rng_state = rng_state * 1103515245u + 12345u;
    return (rng_state >> 8) % n;
}

static MemoryRegion *resolve(MemoryRegion *mr, uint64_t off, hwaddr *leaf_off, int depth)
{
    if (!mr->enabled || off >= mr->size || depth > 40) {
        return NULL;
    }
    if (mr->kind == MR_ALIAS) {
        return resolve(mr->alias, off + mr->alias_offset, leaf_off, depth + 1);
    }
    if (mr->kind != MR_CONTAINER) {
        *leaf_off = off;
        return mr;
    }
    for (int i = 0; i < mr->nr_children; i++) {     /* children are in winning order */
        MemoryRegion *c = mr->children[i];
        MemoryRegion *hit = off >= c->addr ? resolve(c, off - c->addr, leaf_off, depth + 1)
                                           : NULL;
        if (hit) {
            return hit;
        }
    }
    return NULL;
}

static void check_against_resolve(AddressSpace *as, MemoryRegion *root)
{
    for (hwaddr a = 0; a < 300; a++) {
        hwaddr want_off = 0;
        MemoryRegion *want = resolve(root, a, &want_off, 0);
        const FlatRange *fr = address_space_lookup(as, a);
        if (!want) {
            assert_null(fr);
            continue;
        }
        assert_non_null(fr);
        assert_ptr_equal(fr->mr, want);
        assert_int_equal(fr->offset + (a - fr->start), want_off);
    }
}

enum { RANDOM_REGIONS = 14 };

static void test_random_trees(void **state)
{
    static uint8_t backing[256];
    for (int round = 0; round < 150; round++) {
        MemoryRegion root, regions[RANDOM_REGIONS];
        MemoryRegion *containers[RANDOM_REGIONS + 1] = { &root }, *leaves[RANDOM_REGIONS];
        int nr_containers = 1, nr_leaves = 0;
        AddressSpace as;
        memory_region_init_container(&root, "root", 256);
        address_space_init(&as, &root, "random");
        for (int i = 0; i < RANDOM_REGIONS; i++) {
            MemoryRegion *mr = &regions[i];
            uint64_t size = 1 + rng(128);
            int kind = rng(3);
            if (kind == 2 && nr_leaves) {
                memory_region_init_alias(mr, "alias", leaves[rng(nr_leaves)], rng(64), size);
            } else if (kind == 1) {
                memory_region_init_container(mr, "box", size);
            } else {
                memory_region_init_ram_ptr(mr, "leaf", size, backing);
            }
            memory_region_add_subregion(containers[rng(nr_containers)], rng(256), mr,
                                        (int)rng(5) - 2);
            if (mr->kind == MR_CONTAINER) {
                containers[nr_containers++] = mr;
            } else if (mr->kind == MR_RAM) {
                leaves[nr_leaves++] = mr;
            }
        }
        check_against_resolve(&as, &root);
        for (int step = 0; step < 6; step++) {
            MemoryRegion *mr = &regions[rng(RANDOM_REGIONS)];
            if (rng(2)) {
                memory_region_set_enabled(mr, !mr->enabled);
            } else {
                memory_region_set_address(mr, rng(256));
            }
            check_against_resolve(&as, &root);
        }
        for (int i = RANDOM_REGIONS - 1; i >= 0; i--) {
            memory_region_destroy(&regions[i]);
        }
        address_space_destroy(&as);
        memory_region_destroy(&root);
    }
}

/* --- MMIO access sizes ---------------------------------------------------------------- */

static void test_split_wide_access(void **state)
{
    Fixture *f = *state;
    static const MemoryRegionOps ops = {
        .read = testdev_read, .write = testdev_write,
        .valid_min = 1, .valid_max = 8, .impl_min = 1, .impl_max = 2,
    };
    MemoryRegion mr;
    TestDev d;
    testdev_init(&d);
    memory_region_init_io(&mr, &ops, &d, "narrow", 0x40);
    memory_region_add_subregion(&f->root, 0x1000, &mr, 0);

    assert_int_equal(load(&f->as, 0x1008, 8), 0x1f1e1d1c1b1a1918ULL);
    assert_int_equal(d.nr_calls, 4);
    for (int i = 0; i < 4; i++) {
        assert_int_equal(d.calls[i].op, 'r');
        assert_int_equal(d.calls[i].offset, 8 + 2 * i);
        assert_int_equal(d.calls[i].size, 2);
    }
    d.nr_calls = 0;
    assert_int_equal(address_space_store(&f->as, 0x1000, 4, 0xa1b2c3d4), MEMTX_OK);
    assert_int_equal(d.nr_calls, 2);
    assert_int_equal(d.calls[0].value, 0xc3d4);
    assert_int_equal(d.calls[1].offset, 2);
    assert_int_equal(d.calls[1].value, 0xa1b2);
    memory_region_destroy(&mr);
}

static void test_merge_narrow_access(void **state)
{
    Fixture *f = *state;
    static const MemoryRegionOps ops = {
        .read = testdev_read, .write = testdev_write,
        .valid_min = 1, .valid_max = 4, .impl_min = 4, .impl_max = 4,
    };
    MemoryRegion mr;
    TestDev d;
    testdev_init(&d);
    memory_region_init_io(&mr, &ops, &d, "wide", 0x40);
    memory_region_add_subregion(&f->root, 0x2000, &mr, 0);

    assert_int_equal(load(&f->as, 0x2006, 1), 0x16);
    assert_int_equal(d.nr_calls, 1);
    assert_int_equal(d.calls[0].offset, 4);
    assert_int_equal(d.calls[0].size, 4);

    /* narrower write: read-modify-write of the containing register */
    d.nr_calls = 0;
    assert_int_equal(address_space_store(&f->as, 0x2006, 2, 0xbeef), MEMTX_OK);
    assert_int_equal(d.nr_calls, 2);
    assert_int_equal(d.calls[0].op, 'r');
    assert_int_equal(d.calls[1].op, 'w');
    assert_int_equal(d.calls[1].offset, 4);
    assert_int_equal(d.calls[1].value, 0xbeef1514);

    /* an 8-byte access exceeds valid_max: rejected like unassigned */
    d.nr_calls = 0;
    uint64_t v;
    assert_int_equal(address_space_load(&f->as, 0x2000, 8, &v), MEMTX_DECODE_ERROR);
    assert_int_equal(v, UINT64_MAX);
    assert_int_equal(d.nr_calls, 0);
    assert_true(log_has("invalid 8-byte read at offset 0x0 of 'wide'"));

    /* but a bulk read of 8 bytes is cut into accepted 4-byte accesses */
    uint8_t buf[8];
    assert_int_equal(address_space_read(&f->as, 0x2000, buf, 8), MEMTX_OK);
    assert_int_equal(buf[7], 0xbe);
    assert_int_equal(d.nr_calls, 2);
    memory_region_destroy(&mr);
}

static void test_big_endian_device(void **state)
{
    Fixture *f = *state;
    static const MemoryRegionOps ops = {
        .read = testdev_read, .write = testdev_write,
        .valid_min = 1, .valid_max = 4, .impl_min = 4, .impl_max = 4, .big_endian = true,
    };
    MemoryRegion mr;
    TestDev d;
    testdev_init(&d);
    d.big_endian = true;
    memory_region_init_io(&mr, &ops, &d, "be", 0x40);
    memory_region_add_subregion(&f->root, 0x3000, &mr, 0);

    /* register 0 holds 0x10111213: its first byte in memory is the most significant */
    assert_int_equal(load(&f->as, 0x3000, 1), 0x10);
    assert_int_equal(d.calls[0].value, 0x10111213);
    assert_int_equal(load(&f->as, 0x3000, 4), 0x13121110);
    assert_int_equal(address_space_store(&f->as, 0x3004, 4, 0x44332211), MEMTX_OK);
    assert_int_equal(d.calls[d.nr_calls - 1].value, 0x11223344);
    assert_int_equal(address_space_store(&f->as, 0x3008, 1, 0xaa), MEMTX_OK);
    assert_int_equal(d.calls[d.nr_calls - 1].value, 0xaa191a1b);
    memory_region_destroy(&mr);
}

static void test_unaligned(void **state)
{
    Fixture *f = *state;
    static const MemoryRegionOps strict = {
        .read = testdev_read, .write = testdev_write, .valid_min = 4, .valid_max = 4,
    };
    static const MemoryRegionOps lax = {
        .read = testdev_read, .write = testdev_write, .valid_min = 1, .valid_max = 4,
        .valid_unaligned = true, .impl_min = 4, .impl_max = 4,
    };
    MemoryRegion a, b;
    TestDev da, db;
    uint64_t v;
    testdev_init(&da);
    testdev_init(&db);
    memory_region_init_io(&a, &strict, &da, "strict", 0x40);
    memory_region_init_io(&b, &lax, &db, "lax", 0x40);
    memory_region_add_subregion(&f->root, 0x4000, &a, 0);
    memory_region_add_subregion(&f->root, 0x5000, &b, 0);

    assert_int_equal(address_space_load(&f->as, 0x4002, 4, &v), MEMTX_DECODE_ERROR);
    assert_int_equal(v, 0xffffffff);
    assert_int_equal(address_space_store(&f->as, 0x4002, 4, 0), MEMTX_DECODE_ERROR);
    assert_int_equal(address_space_load(&f->as, 0x4000, 2, &v), MEMTX_DECODE_ERROR);
    assert_int_equal(da.nr_calls, 0);
    assert_true(log_has("'strict'"));

    assert_int_equal(load(&f->as, 0x5002, 4), 0x15141312);
    assert_int_equal(db.nr_calls, 2);       /* registers 0 and 4 */
    assert_int_equal(address_space_store(&f->as, 0x5003, 2, 0xbbaa), MEMTX_OK);
    assert_int_equal(db.mem[2], 0x12);
    assert_int_equal(db.mem[3], 0xaa);
    assert_int_equal(db.mem[4], 0xbb);
    assert_int_equal(db.mem[5], 0x15);
    memory_region_destroy(&a);
    memory_region_destroy(&b);
}

static void test_access_past_region_end(void **state)
{
    Fixture *f = *state;
    static const MemoryRegionOps ops = { .read = testdev_read, .write = testdev_write };
    MemoryRegion mr;
    TestDev d;
    uint64_t v;
    testdev_init(&d);
    memory_region_init_io(&mr, &ops, &d, "small", 6);
    memory_region_add_subregion(&f->root, 0x6000, &mr, 0);
    /* 4 bytes at offset 4 of a 6-byte region: 2 device bytes then 2 unassigned */
    assert_int_equal(address_space_load(&f->as, 0x6004, 4, &v), MEMTX_DECODE_ERROR);
    assert_int_equal(v, 0xffff1514);
    memory_region_destroy(&mr);
}

/* --- unassigned, ROM --------------------------------------------------------------- */

static void test_unassigned(void **state)
{
    Fixture *f = *state;
    uint8_t buf[3];
    uint64_t v;
    assert_int_equal(address_space_load(&f->as, 0x123456, 8, &v), MEMTX_DECODE_ERROR);
    assert_int_equal(v, UINT64_MAX);
    assert_int_equal(address_space_read(&f->as, 0x10, buf, 3), MEMTX_DECODE_ERROR);
    assert_int_equal(buf[0] & buf[1] & buf[2], 0xff);
    assert_int_equal(address_space_store(&f->as, 0x77, 2, 0x1234), MEMTX_DECODE_ERROR);
    assert_true(log_has("unassigned read of 8 bytes at 0x123456 in 'memory'"));
    assert_true(log_has("unassigned write of 2 bytes at 0x77"));
}

static void test_rom(void **state)
{
    Fixture *f = *state;
    MemoryRegion rom;
    const uint8_t image[4] = { 0xea, 0x5b, 0xe0, 0x00 };
    memory_region_init_rom(&rom, "bios", 0x1000);
    memory_region_add_subregion(&f->root, 0xff000, &rom, 0);
    assert_int_equal(address_space_write_rom(&f->as, 0xffff0, image, 4), 0);
    assert_int_equal(load(&f->as, 0xffff0, 4), 0x00e05bea);
    assert_int_equal(address_space_store(&f->as, 0xffff0, 1, 0x90), MEMTX_OK);
    assert_int_equal(load(&f->as, 0xffff0, 1), 0xea);
    assert_true(log_has("read-only 'bios'"));
    assert_int_equal(dma_write(&f->as, 0xff000, image, 1), -1);
    assert_int_equal(address_space_write_rom(&f->as, 0xffffe, image, 4), -1);  /* past end */
    memory_region_destroy(&rom);
}

/* --- DMA ---------------------------------------------------------------------------- */

static void test_dma_refusal(void **state)
{
    Fixture *f = *state;
    static const MemoryRegionOps ops = { .read = testdev_read, .write = testdev_write };
    MemoryRegion ram, mmio, top;
    TestDev d;
    uint8_t buf[32];
    testdev_init(&d);
    memory_region_init_ram(&ram, "ram", 0x10000);
    memory_region_init_io(&mmio, &ops, &d, "mmio", 0x40);
    memory_region_init_ram(&top, "top", 0x1000);
    memory_region_add_subregion(&f->root, 0, &ram, 0);
    memory_region_add_subregion(&f->root, 0x10000, &mmio, 0);
    memory_region_add_subregion(&f->root, UINT64_MAX - 0xfff, &top, 0);

    memset(buf, 0x33, sizeof(buf));
    assert_int_equal(dma_write(&f->as, 0xfff0, buf, 16), 0);         /* last 16 bytes */
    assert_int_equal(memory_region_get_ram_ptr(&ram)[0xffff], 0x33);
    assert_int_equal(dma_read(&f->as, 0xfff0, buf, 16), 0);
    /* one byte into the device: nothing moves */
    memset(buf, 0x44, sizeof(buf));
    assert_int_equal(dma_write(&f->as, 0xfff0, buf, 17), -1);
    assert_int_equal(memory_region_get_ram_ptr(&ram)[0xfff0], 0x33);
    assert_int_equal(d.nr_calls, 0);
    assert_int_equal(dma_read(&f->as, 0xfff1, buf, 16), -1);
    assert_int_equal(buf[0], 0x44);
    assert_true(log_has("DMA read of 16 bytes at 0xfff1"));
    /* wholly outside, wrapping, and the very top of the space */
    assert_int_equal(dma_read(&f->as, 0x20000, buf, 1), -1);
    assert_int_equal(dma_read(&f->as, UINT64_MAX - 3, buf, 8), -1);
    assert_int_equal(dma_write(&f->as, UINT64_MAX - 3, buf, 4), 0);
    assert_int_equal(dma_read(&f->as, 0, buf, 0), 0);

    assert_non_null(dma_map(&f->as, 0x100, 0x100, true));
    assert_ptr_equal(dma_map(&f->as, 0x100, 1, false), memory_region_get_ram_ptr(&ram) + 0x100);
    assert_null(dma_map(&f->as, 0xff00, 0x101, false));
    assert_null(dma_map(&f->as, 0x10000, 4, false));
    assert_null(dma_map(&f->as, 0x100, 0, false));
    memory_region_destroy(&top);
    memory_region_destroy(&mmio);
    memory_region_destroy(&ram);
}

/* --- RAM write hook ------------------------------------------------------------------- */

static struct {
    MemoryRegion *mr;
    hwaddr offset;
    uint64_t len;
    int calls;
} hook_seen;

static void record_hook(MemoryRegion *ram, hwaddr offset, uint64_t len)
{
    hook_seen.mr = ram;
    hook_seen.offset = offset;
    hook_seen.len = len;
    hook_seen.calls++;
}

static uintptr_t rearm_start, rearm_end;

static void record_rearm(uintptr_t start, uintptr_t end)
{
    rearm_start = start;
    rearm_end = end;
}

/* The dirty log: all dirty at first; writes by address_space_write, DMA and notify mark
 * their pages; a sync hands them over, clears them and asks for the re-arm of the region. */
static void test_dirty_log(void **state)
{
    Fixture *f = *state;
    MemoryRegion ram;
    static const uint8_t all[16] = { 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1 };
    static const uint8_t written[16] = { 0, 1, 1, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1 };
    uint8_t buf[8] = { 0 }, pages[16];
    memory_region_init_ram(&ram, "vram", 0x10000);
    memory_region_add_subregion(&f->root, 0x100000, &ram, 0);
    memory_set_log_rearm_hook(record_rearm);
    memory_region_set_log(&ram, true);

    memset(pages, 0, sizeof(pages));
    assert_true(memory_region_sync_dirty(&ram, pages));
    assert_memory_equal(pages, all, 16);
    assert_int_equal(rearm_start, (uintptr_t)memory_region_get_ram_ptr(&ram));
    assert_int_equal(rearm_end, rearm_start + 0x10000);
    memset(pages, 0, sizeof(pages));
    assert_false(memory_region_sync_dirty(&ram, pages));
    address_space_write(&f->as, 0x101ffc, buf, 8);          /* pages 1 and 2 */
    assert_int_equal(dma_write(&f->as, 0x105000, buf, 1), 0);
    memory_notify_ram_write(&ram, 0xf000, 0x2000);          /* clamped to page 15 */
    address_space_read(&f->as, 0x107000, buf, 8);           /* reads do not mark */
    assert_true(memory_region_sync_dirty(&ram, pages));
    assert_memory_equal(pages, written, 16);
    memory_region_set_log(&ram, false);
    address_space_write(&f->as, 0x100000, buf, 8);
    assert_false(memory_region_sync_dirty(&ram, pages));
    memory_set_log_rearm_hook(NULL);
    memory_region_destroy(&ram);
}

static void test_ram_write_hook(void **state)
{
    Fixture *f = *state;
    MemoryRegion ram, rom;
    uint8_t buf[8] = { 0 };
    memory_region_init_ram(&ram, "ram", 0x10000);
    memory_region_init_rom(&rom, "rom", 0x1000);
    memory_region_add_subregion(&f->root, 0x100000, &ram, 0);
    memory_region_add_subregion(&f->root, 0x200000, &rom, 0);
    memset(&hook_seen, 0, sizeof(hook_seen));
    memory_set_ram_write_hook(record_hook);

    address_space_write(&f->as, 0x100010, buf, 8);
    assert_int_equal(hook_seen.calls, 1);
    assert_ptr_equal(hook_seen.mr, &ram);
    assert_int_equal(hook_seen.offset, 0x10);
    assert_int_equal(hook_seen.len, 8);
    assert_int_equal(dma_write(&f->as, 0x100020, buf, 3), 0);
    assert_int_equal(hook_seen.calls, 2);
    assert_int_equal(hook_seen.offset, 0x20);
    address_space_store(&f->as, 0x100030, 2, 1);
    assert_int_equal(hook_seen.calls, 3);
    assert_int_equal(hook_seen.len, 2);
    memory_notify_ram_write(&ram, 0x40, 64);
    assert_int_equal(hook_seen.calls, 4);
    assert_int_equal(hook_seen.offset, 0x40);
    /* reads, ROM writes and refused DMA do not call it */
    address_space_read(&f->as, 0x100010, buf, 8);
    address_space_store(&f->as, 0x200000, 1, 1);
    dma_write(&f->as, 0x10fffc, buf, 8);
    assert_int_equal(hook_seen.calls, 4);
    memory_set_ram_write_hook(NULL);
    address_space_write(&f->as, 0x100010, buf, 8);
    assert_int_equal(hook_seen.calls, 4);
    memory_region_destroy(&rom);
    memory_region_destroy(&ram);
}

/* --- reads spanning several regions ---------------------------------------------- */

static void test_read_across_regions(void **state)
{
    Fixture *f = *state;
    static const MemoryRegionOps ops = { .read = testdev_read, .write = testdev_write };
    MemoryRegion ram, mmio;
    TestDev d;
    uint8_t buf[8];
    testdev_init(&d);
    memory_region_init_ram(&ram, "ram", 0x1000);
    memory_region_init_io(&mmio, &ops, &d, "mmio", 2);
    memory_region_add_subregion(&f->root, 0, &ram, 0);
    memory_region_add_subregion(&f->root, 0x1000, &mmio, 0);
    memory_region_get_ram_ptr(&ram)[0xffe] = 0xa0;
    memory_region_get_ram_ptr(&ram)[0xfff] = 0xa1;
    assert_int_equal(address_space_read(&f->as, 0xffe, buf, 6), MEMTX_DECODE_ERROR);
    assert_memory_equal(buf, ((uint8_t[]){ 0xa0, 0xa1, 0x10, 0x11, 0xff, 0xff }), 6);
    assert_int_equal(load(&f->as, 0xfff, 2), 0x10a1);   /* a load straddling two regions */

    /* device, hole, RAM again: the hole stops exactly where the next range starts */
    MemoryRegion after;
    uint8_t big[0x14];
    memory_region_init_ram(&after, "after", 0x100);
    memory_region_add_subregion(&f->root, 0x1010, &after, 0);
    memory_region_get_ram_ptr(&after)[0] = 0x42;
    assert_int_equal(address_space_read(&f->as, 0x1000, big, sizeof(big)), MEMTX_DECODE_ERROR);
    assert_int_equal(big[1], 0x11);
    assert_int_equal(big[2], 0xff);
    assert_int_equal(big[0xf], 0xff);
    assert_int_equal(big[0x10], 0x42);
    assert_int_equal(big[0x11], 0);
    assert_true(log_has("unassigned read of 14 bytes at 0x1002"));
    memory_region_destroy(&after);
    memory_region_destroy(&mmio);
    memory_region_destroy(&ram);
}

/* --- info mtree ------------------------------------------------------------------------ */

static void test_print_tree(void **state)
{
    Fixture *f = *state;
    static const MemoryRegionOps ops = { .read = testdev_read, .write = testdev_write };
    MemoryRegion ram, alias, mmio;
    TestDev d;
    AddressSpace *spaces[] = { &f->as };
    char *text = NULL;
    size_t size = 0;
    FILE *out = open_memstream(&text, &size);
    testdev_init(&d);
    memory_region_init_ram(&ram, "pc.ram", 0x100000);
    memory_region_init_alias(&alias, "ram-low", &ram, 0, 0xa0000);
    memory_region_init_io(&mmio, &ops, &d, "vga", 0x20000);
    memory_region_add_subregion(&f->root, 0, &alias, 0);
    memory_region_add_subregion(&f->root, 0xa0000, &mmio, 1);
    memory_region_set_enabled(&mmio, false);
    memory_print_tree(out, spaces, 1);
    fclose(out);
    assert_non_null(strstr(text, "address-space: memory\n"));
    assert_non_null(strstr(text, "  0000000000000000-ffffffffffffffff (prio 0, container): system\n"));
    assert_non_null(strstr(text, "    0000000000000000-000000000009ffff (prio 0, alias): alias ram-low @pc.ram 0000000000000000-000000000009ffff\n"));
    assert_non_null(strstr(text, "    00000000000a0000-00000000000bffff (prio 1, i/o): vga [disabled]\n"));
    assert_non_null(strstr(text, "memory-region: pc.ram\n"));
    assert_non_null(strstr(text, "FlatView of address-space: memory\n"
                                 "  0000000000000000-000000000009ffff (prio 0, ram): pc.ram\n"));
    free(text);

    /* every live address space, port I/O with 4-digit addresses */
    MemoryRegion io_root, port;
    AddressSpace io;
    memory_region_init_container(&io_root, "io", 0x10000);
    memory_region_init_io(&port, &ops, &d, "serial", 8);
    memory_region_add_subregion(&io_root, 0x3f8, &port, 0);
    address_space_init(&io, &io_root, "I/O");
    text = NULL;
    out = open_memstream(&text, &size);
    memory_print_all(out);
    fclose(out);
    assert_non_null(strstr(text, "address-space: memory\n"));
    assert_non_null(strstr(text, "address-space: I/O\n  0000-ffff (prio 0, container): io\n"
                                 "    03f8-03ff (prio 0, i/o): serial\n"));
    assert_non_null(strstr(text, "FlatView of address-space: I/O\n  03f8-03ff (prio 0, i/o): serial\n"));
    free(text);
    address_space_destroy(&io);
    memory_region_destroy(&port);
    memory_region_destroy(&io_root);
    memory_region_destroy(&mmio);
    memory_region_destroy(&alias);
    memory_region_destroy(&ram);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
#define T(fn) cmocka_unit_test_setup_teardown(fn, fixture_setup, fixture_teardown)
        T(test_ram_zeroed_and_rw),
        T(test_priorities),
        T(test_alias),
        T(test_nested_and_disabled_containers),
        T(test_priority_is_local_and_alias_chains),
        T(test_set_address_reflattens),
        cmocka_unit_test(test_random_trees),
        T(test_split_wide_access),
        T(test_merge_narrow_access),
        T(test_big_endian_device),
        T(test_unaligned),
        T(test_access_past_region_end),
        T(test_unassigned),
        T(test_rom),
        T(test_dma_refusal),
        T(test_ram_write_hook),
        T(test_dirty_log),
        T(test_read_across_regions),
        T(test_print_tree),
#undef T
    };
    int fd = mkstemp(log_path);
    int rc;
    if (fd < 0) {
        perror("mkstemp");
        return 1;
    }
    close(fd);
    rc = cmocka_run_group_tests(tests, NULL, NULL);
    unlink(log_path);
    return rc;
}
