/* Unit tests of the PIIX3 IDE function through its ports, as a guest driver sees it: PCI
 * identity, signatures and device selection, IDENTIFY, PIO and DMA reads and writes in
 * LBA28, LBA48 and CHS form (checked against the image file), errors (IDNF, ABRT), the bus
 * master engine with guest PRD tables (wild addresses end the command with an error), ATAPI
 * packets (READ CAPACITY, READ(10), sense data, unit attention and media events after a
 * medium change, tray lock), software reset, and random register writes. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "block-test-util.h"
#include "hw/ide/piix.h"
#include "hw/isa/isa.h"
#include "hw/pci/i440fx.h"
#include "pc-test-util.h"

#define RAM_SIZE (2u << 20)
#define DISK_SECTORS 4096               /* 2 MiB disk */
#define BIG_SECTORS (0x10000000ull + 64) /* just past LBA28: a sparse 128 GiB image */
#define CD_SECTORS 100                  /* 2048-byte sectors */
#define IDE_DEVFN PCI_DEVFN(1, 1)
#define BM_BASE 0xc000
#define PRI 0x1f0
#define SEC 0x170

static MemoryRegion pci_mem;
static I440FXHost *host;
static PIIXIDEState *ide;
static BlockDriverState *disk, *big, *cd, *cd2;
static char *disk_path, *cd_path, *cd2_path, *big_path;

/* ---- set-up -------------------------------------------------------------------------- */

static char *make_image(const char *name, uint64_t size, uint8_t seed)
{
    char *path = block_test_path(name);
    FILE *f = fopen(path, "wb");
    uint8_t sector[512];

    assert_non_null(f);
    for (uint64_t off = 0; off < size && off < (4u << 20); off += sizeof(sector)) {
        for (size_t i = 0; i < sizeof(sector); i++) {
            sector[i] = (uint8_t)((off / 512) * 7 + i + seed);
        }
        assert_int_equal(fwrite(sector, 1, sizeof(sector), f), sizeof(sector));
    }
    assert_int_equal(ftruncate(fileno(f), size), 0);
    fclose(f);
    return path;
}

static uint8_t pattern(uint64_t sector, size_t i, uint8_t seed)
{
    return (uint8_t)(sector * 7 + i + seed);
}

static int group_setup(void **state)
{
    block_test_tmpdir_create("test-ide");
    disk_path = make_image("disk.img", DISK_SECTORS * 512ull, 0);
    big_path = make_image("big.img", BIG_SECTORS * 512, 0);
    cd_path = make_image("cd.iso", CD_SECTORS * 2048ull, 3);
    cd2_path = make_image("cd2.iso", 2 * CD_SECTORS * 2048ull, 9);
    return 0;
}

static int group_teardown(void **state)
{
    free(disk_path);
    free(big_path);
    free(cd_path);
    free(cd2_path);
    return block_test_tmpdir_remove(0);
}

static void cfg_write(int reg, unsigned size, uint32_t val)
{
    pci_cfg_out(IDE_DEVFN, reg, size, val);
}

static uint32_t cfg_read(int reg, unsigned size)
{
    return pci_cfg_in(IDE_DEVFN, reg, size);
}

static int setup(void **state)
{
    Error *err = NULL;

    pc_test_env_init(RAM_SIZE);
    memory_region_init_container(&pci_mem, "pci", UINT64_MAX);
    memory_region_add_subregion(&pc_env.mem, 0, &pci_mem, -1);
    isa_bus_set_irqs(pc_env.lines);
    host = i440fx_create(&pc_env.mem, &pc_env.ram, &pci_mem, &pc_env.io, &err);
    assert_non_null(host);
    ide = piix3_ide_create(host->bus->qbus, IDE_DEVFN, &pc_env.as_mem, &err);
    assert_non_null(ide);
    disk = block_test_open("raw", disk_path, false);
    big = block_test_open("raw", big_path, false);
    cd = block_test_open("raw", cd_path, true);
    cd2 = block_test_open("raw", cd2_path, true);
    assert_int_equal(ide_attach(&ide->bus[0], 0, IDE_HD, disk, false, NULL), 0);
    assert_int_equal(ide_attach(&ide->bus[0], 1, IDE_HD, big, false, NULL), 0);
    assert_int_equal(ide_attach(&ide->bus[1], 0, IDE_CD, cd, true, NULL), 0);
    cfg_write(0x20, 4, BM_BASE);
    cfg_write(0x04, 2, 0x0005);         /* I/O decode and bus master */
    return 0;
}

static int teardown(void **state)
{
    qdev_destroy_all();
    block_close(disk);
    block_close(big);
    if (cd) {
        block_close(cd);
    }
    block_close(cd2);
    memory_region_del_subregion(&pc_env.mem, &pci_mem);
    memory_region_destroy(&pci_mem);
    isa_bus_set_irqs(NULL);
    pc_test_env_fini();
    return 0;
}

/* ---- guest-side helpers ---------------------------------------------------------------- */

static uint8_t wait_not_busy(uint16_t base)
{
    uint8_t st;

    for (int i = 0; i < 100000 && ((st = inb(base + 0x206)) & 0x80); i++) {
        block_aio_poll(true);
    }
    return inb(base + 0x206);
}

static void select_unit(uint16_t base, int unit, uint8_t lba_bits)
{
    outb(base + 6, 0xa0 | (unit << 4) | lba_bits);
}

static void lba28(uint16_t base, int unit, uint32_t lba, uint8_t count)
{
    select_unit(base, unit, 0x40 | ((lba >> 24) & 0x0f));
    outb(base + 2, count);
    outb(base + 3, lba);
    outb(base + 4, lba >> 8);
    outb(base + 5, lba >> 16);
}

static void lba48(uint16_t base, int unit, uint64_t lba, uint16_t count)
{
    select_unit(base, unit, 0x40);
    outb(base + 2, count >> 8);
    outb(base + 3, lba >> 24);
    outb(base + 4, lba >> 32);
    outb(base + 5, lba >> 40);
    outb(base + 2, count);
    outb(base + 3, lba);
    outb(base + 4, lba >> 8);
    outb(base + 5, lba >> 16);
}

static void pio_read(uint16_t base, uint8_t *buf, size_t len)
{
    for (size_t i = 0; i < len; i += 2) {
        uint16_t w = io_in(base, 2);
        buf[i] = w;
        buf[i + 1] = w >> 8;
    }
}

static void pio_write(uint16_t base, const uint8_t *buf, size_t len)
{
    for (size_t i = 0; i < len; i += 2) {
        io_out(base, 2, buf[i] | (buf[i + 1] << 8));
    }
}

static uint16_t identify_word(const uint8_t *page, int w)
{
    return page[2 * w] | (page[2 * w + 1] << 8);
}

/* ---- tests -------------------------------------------------------------------------------- */

static void test_pci_identity(void **state)
{
    assert_int_equal(cfg_read(0, 4), 0x70108086);
    assert_int_equal(cfg_read(0x0a, 2), 0x0101);
    assert_int_equal(cfg_read(0x09, 1), 0x80);
    assert_int_equal(cfg_read(0x40, 4), 0x80008000u);
    cfg_write(0x40, 2, 0xa307);
    assert_int_equal(cfg_read(0x40, 2), 0xa307);
    assert_int_equal(cfg_read(0x20, 4), BM_BASE | 1);
    io_out(BM_BASE + 4, 4, 0x12345);
    assert_int_equal(io_in(BM_BASE + 4, 4), 0x12344);     /* dword aligned */
}

static void test_signatures_and_selection(void **state)
{
    assert_int_equal(inb(PRI + 7), 0x50);
    outb(PRI + 2, 0x55);
    assert_int_equal(inb(PRI + 2), 0x55);
    assert_int_equal(inb(SEC + 7), 0x00);   /* ATAPI after reset: DRDY clear */
    assert_int_equal(inb(SEC + 4), 0x14);
    assert_int_equal(inb(SEC + 5), 0xeb);
    select_unit(SEC, 1, 0);                 /* no slave on the secondary */
    assert_int_equal(inb(SEC + 7), 0);
    outb(SEC + 2, 0xaa);
    assert_int_equal(inb(SEC + 2), 0);
    /* software reset restores the signatures */
    outb(PRI + 4, 0x12);
    outb(PRI + 0x206, 0x04);
    assert_int_equal(inb(PRI + 7) & 0x80, 0x80);
    outb(PRI + 0x206, 0x00);
    assert_int_equal(inb(PRI + 7), 0x50);
    assert_int_equal(inb(PRI + 2), 1);
    assert_int_equal(inb(PRI + 3), 1);
    assert_int_equal(inb(PRI + 4), 0);
}

static void test_identify(void **state)
{
    uint8_t page[512];

    select_unit(PRI, 1, 0);
    outb(PRI + 7, 0xec);
    assert_int_equal(wait_not_busy(PRI), 0x58);
    assert_int_equal(pc_env.level[14], 1);
    pio_read(PRI, page, sizeof(page));
    assert_int_equal(inb(PRI + 7), 0x50);
    assert_int_equal(pc_env.level[14], 0);
    assert_int_equal(identify_word(page, 0), 0x0040);
    assert_int_equal(identify_word(page, 60) | (identify_word(page, 61) << 16), 0x0fffffff);
    assert_int_equal(identify_word(page, 100) | ((uint64_t)identify_word(page, 101) << 16) |
                     ((uint64_t)identify_word(page, 102) << 32), BIG_SECTORS);
    assert_true(identify_word(page, 83) & 0x0400);             /* LBA48 */
    assert_true(identify_word(page, 49) & 0x0300);             /* LBA, DMA */
    assert_int_equal(identify_word(page, 3), 16);
    assert_int_equal(identify_word(page, 6), 63);
    assert_memory_equal(page + 54, "IMIM C", 6);                /* byte-swapped "MIMIC " */
    /* an ATAPI unit aborts IDENTIFY DEVICE and keeps its signature */
    outb(SEC + 7, 0xec);
    assert_int_equal(inb(SEC + 7) & 0x01, 0x01);
    assert_int_equal(inb(SEC + 1) & 0x04, 0x04);
    assert_int_equal(inb(SEC + 4), 0x14);
    outb(SEC + 7, 0xa1);
    assert_int_equal(wait_not_busy(SEC) & 0x08, 0x08);
    pio_read(SEC, page, sizeof(page));
    assert_int_equal(identify_word(page, 0) >> 8, 0x85);
}

static void test_pio_write_read_lba28(void **state)
{
    uint8_t out[3 * 512], in[3 * 512], file[3 * 512];
    int irqs;

    for (size_t i = 0; i < sizeof(out); i++) {
        out[i] = (uint8_t)(i * 13 + 1);
    }
    lba28(PRI, 0, 100, 3);
    outb(PRI + 7, 0x30);
    for (int s = 0; s < 3; s++) {
        assert_int_equal(wait_not_busy(PRI) & 0x08, 0x08);
        pio_write(PRI, out + 512 * s, 512);
    }
    assert_int_equal(wait_not_busy(PRI), 0x50);
    assert_int_equal(block_pread(disk, 100 * 512, file, sizeof(file)), 0);
    assert_memory_equal(file, out, sizeof(out));
    irqs = pc_env.raises[14];
    lba28(PRI, 0, 100, 3);
    outb(PRI + 7, 0x20);
    for (int s = 0; s < 3; s++) {
        assert_int_equal(wait_not_busy(PRI) & 0x08, 0x08);
        inb(PRI + 7);                   /* acknowledge */
        pio_read(PRI, in + 512 * s, 512);
    }
    assert_int_equal(pc_env.raises[14] - irqs, 3);
    assert_memory_equal(in, out, sizeof(out));
    assert_int_equal(inb(PRI + 3), 103);   /* the next sector is left in the task file */
}

static void test_chs_and_multiple(void **state)
{
    uint8_t in[4 * 512];

    outb(PRI + 2, 4);
    select_unit(PRI, 0, 0);
    outb(PRI + 7, 0xc6);                /* SET MULTIPLE MODE 4 */
    assert_int_equal(wait_not_busy(PRI), 0x50);
    /* C/H/S 1/2/3 = (1 * 16 + 2) * 63 + 2 */
    select_unit(PRI, 0, 2);
    outb(PRI + 2, 4);
    outb(PRI + 3, 3);
    outb(PRI + 4, 1);
    outb(PRI + 5, 0);
    outb(PRI + 7, 0xc4);
    assert_int_equal(wait_not_busy(PRI) & 0x08, 0x08);
    pio_read(PRI, in, sizeof(in));      /* one DRQ block of 4 sectors */
    assert_int_equal(inb(PRI + 7), 0x50);
    uint64_t lba = (1 * 16 + 2) * 63 + 2;
    for (int i = 0; i < 4 * 512; i += 97) {
        assert_int_equal(in[i], pattern(lba + i / 512, i % 512, 0));
    }
    outb(PRI + 2, 3);                   /* not a power of two */
    outb(PRI + 7, 0xc6);
    assert_int_equal(inb(PRI + 7) & 0x01, 0x01);
}

static void test_lba48_beyond_28_bits(void **state)
{
    uint8_t out[512], in[512];
    uint64_t lba = 0x10000000ull + 17;

    memset(out, 0x5a, sizeof(out));
    lba48(PRI, 1, lba, 1);
    outb(PRI + 7, 0x34);
    assert_int_equal(wait_not_busy(PRI) & 0x08, 0x08);
    pio_write(PRI, out, sizeof(out));
    assert_int_equal(wait_not_busy(PRI), 0x50);
    assert_int_equal(block_pread(big, lba * 512, in, sizeof(in)), 0);
    assert_memory_equal(in, out, sizeof(out));
    memset(in, 0, sizeof(in));
    lba48(PRI, 1, lba, 1);
    outb(PRI + 7, 0x24);
    assert_int_equal(wait_not_busy(PRI) & 0x08, 0x08);
    pio_read(PRI, in, sizeof(in));
    assert_memory_equal(in, out, sizeof(out));
    /* the HOB bit reads the high bytes */
    outb(PRI + 0x206, 0x80);
    assert_int_equal(inb(PRI + 3), (uint8_t)(lba >> 24));
    outb(PRI + 0x206, 0x00);
    outb(PRI + 7, 0xea);                /* FLUSH CACHE EXT */
    assert_int_equal(wait_not_busy(PRI), 0x50);
}

static void test_errors(void **state)
{
    lba28(PRI, 0, DISK_SECTORS - 1, 2);  /* runs past the end */
    outb(PRI + 7, 0x20);
    assert_int_equal(wait_not_busy(PRI), 0x41);
    assert_int_equal(inb(PRI + 1), 0x10);
    outb(PRI + 7, 0xff);                /* unknown command */
    assert_int_equal(inb(PRI + 7), 0x41);
    assert_int_equal(inb(PRI + 1), 0x04);
    outb(PRI + 1, 0x03);                /* SET FEATURES transfer mode UDMA 7: invalid */
    outb(PRI + 2, 0x47);
    outb(PRI + 7, 0xef);
    assert_int_equal(inb(PRI + 7), 0x41);
    outb(PRI + 2, 0x22);                /* multiword DMA 2 */
    outb(PRI + 7, 0xef);
    assert_int_equal(inb(PRI + 7), 0x50);
    outb(PRI + 7, 0xc4);                /* READ MULTIPLE with multiple mode off */
    outb(PRI + 2, 0);
    outb(PRI + 7, 0xc6);
    outb(PRI + 7, 0xc4);
    assert_int_equal(inb(PRI + 7), 0x41);
}

/* Writes a PRD table at table: entries of {addr, len}, the last with EOT. */
static void put_prds(uint32_t table, const uint32_t (*prd)[2], int n)
{
    for (int i = 0; i < n; i++) {
        uint32_t e[2] = { prd[i][0], (prd[i][1] & 0xffff) | (i == n - 1 ? 0x80000000u : 0) };
        address_space_write(&pc_env.as_mem, table + 8 * i, e, 8);
    }
}

static uint8_t dma_command(uint16_t base, int bm, uint8_t cmd, bool to_memory, uint32_t table)
{
    io_out(BM_BASE + bm + 4, 4, table);
    io_out(BM_BASE + bm + 2, 1, 0x06);  /* clear interrupt and error */
    io_out(BM_BASE + bm, 1, to_memory ? 0x08 : 0x00);
    outb(base + 7, cmd);
    io_out(BM_BASE + bm, 1, to_memory ? 0x09 : 0x01);
    wait_not_busy(base);
    io_out(BM_BASE + bm, 1, 0);
    return io_in(BM_BASE + bm + 2, 1);
}

static void test_dma_write_read(void **state)
{
    static const uint32_t out_prd[2][2] = { { 0x10000, 0x600 }, { 0x30000, 0xa00 } };
    static const uint32_t in_prd[1][2] = { { 0x50000, 0x1000 } };
    uint8_t data[0x1000], file[0x1000];

    for (size_t i = 0; i < sizeof(data); i++) {
        data[i] = (uint8_t)(i * 31 + 7);
    }
    address_space_write(&pc_env.as_mem, 0x10000, data, 0x600);
    address_space_write(&pc_env.as_mem, 0x30000, data + 0x600, 0xa00);
    put_prds(0x8000, out_prd, 2);
    lba28(PRI, 0, 200, 8);
    assert_int_equal(dma_command(PRI, 0, 0xca, false, 0x8000) & 0x07, 0x04);
    assert_int_equal(inb(PRI + 7), 0x50);
    assert_int_equal(block_pread(disk, 200 * 512, file, sizeof(file)), 0);
    assert_memory_equal(file, data, sizeof(data));

    put_prds(0x9000, in_prd, 1);
    lba28(PRI, 0, 200, 8);
    assert_int_equal(dma_command(PRI, 0, 0xc8, true, 0x9000) & 0x07, 0x04);
    address_space_read(&pc_env.as_mem, 0x50000, file, sizeof(file));
    assert_memory_equal(file, data, sizeof(data));
    /* a longer table than the transfer: Active stays set with the interrupt */
    static const uint32_t long_prd[1][2] = { { 0x50000, 0x2000 } };
    put_prds(0x9000, long_prd, 1);
    lba28(PRI, 0, 200, 1);
    io_out(BM_BASE + 4, 4, 0x9000);
    io_out(BM_BASE, 1, 0x09);
    outb(PRI + 7, 0xc8);
    wait_not_busy(PRI);
    assert_int_equal(io_in(BM_BASE + 2, 1) & 0x07, 0x05);
    io_out(BM_BASE, 1, 0);
}

static void test_dma_wild_addresses(void **state)
{
    static const uint32_t wild[1][2] = { { 0xfff00000u, 0x200 } };
    static const uint32_t short_prd[1][2] = { { 0x10000, 0x200 } };

    put_prds(0x8000, wild, 1);          /* a buffer outside RAM */
    lba28(PRI, 0, 0, 1);
    assert_int_equal(dma_command(PRI, 0, 0xc8, true, 0x8000) & 0x03, 0x02);
    assert_int_equal(inb(PRI + 7) & 0x01, 0x01);
    lba28(PRI, 0, 0, 1);                /* a table outside RAM */
    assert_int_equal(dma_command(PRI, 0, 0xca, false, 0xfffffff0u) & 0x02, 0x02);
    assert_int_equal(inb(PRI + 7) & 0x01, 0x01);
    put_prds(0x8000, short_prd, 1);     /* a table shorter than the transfer */
    lba28(PRI, 0, 0, 2);
    assert_int_equal(dma_command(PRI, 0, 0xc8, true, 0x8000) & 0x02, 0x02);
    /* the drive still works */
    lba28(PRI, 0, 0, 1);
    outb(PRI + 7, 0x20);
    assert_int_equal(wait_not_busy(PRI), 0x58);
}

/* Sends a 12-byte packet (PIO data phase with byte limit). */
static uint8_t atapi_packet(const uint8_t cdb[12], uint16_t limit, bool dma)
{
    select_unit(SEC, 0, 0);
    outb(SEC + 1, dma ? 1 : 0);
    outb(SEC + 4, limit);
    outb(SEC + 5, limit >> 8);
    outb(SEC + 7, 0xa0);
    assert_int_equal(inb(SEC + 7) & 0x08, 0x08);
    assert_int_equal(inb(SEC + 2) & 3, 1);   /* CoD, out */
    pio_write(SEC, cdb, 12);
    return wait_not_busy(SEC);
}

/* Reads the whole data-in phase; returns the byte count. */
static size_t atapi_read_data(uint8_t *buf, size_t max)
{
    size_t got = 0;

    while (wait_not_busy(SEC) & 0x08) {
        assert_int_equal(inb(SEC + 2) & 3, 2);   /* IO, data */
        size_t n = inb(SEC + 4) | (inb(SEC + 5) << 8);
        assert_true(got + n <= max);
        pio_read(SEC, buf + got, n);
        got += n;
    }
    assert_int_equal(inb(SEC + 2) & 3, 3);
    return got;
}

static uint8_t atapi_sense_key(uint8_t *asc)
{
    uint8_t cdb[12] = { 0x03, 0, 0, 0, 18 }, sense[18];

    atapi_packet(cdb, 18, false);
    assert_int_equal(atapi_read_data(sense, sizeof(sense)), 18);
    *asc = sense[12];
    return sense[2];
}

static void test_atapi_read(void **state)
{
    uint8_t cdb[12] = { 0x25 }, buf[3 * 2048];
    uint8_t asc;

    atapi_packet(cdb, 8, false);
    assert_int_equal(atapi_read_data(buf, sizeof(buf)), 8);
    assert_int_equal((buf[0] << 24) | (buf[1] << 16) | (buf[2] << 8) | buf[3], CD_SECTORS - 1);
    assert_int_equal((buf[6] << 8) | buf[7], 2048);
    uint8_t read10[12] = { 0x28, 0, 0, 0, 0, 5, 0, 0, 3 };
    atapi_packet(read10, 2048, false);
    assert_int_equal(atapi_read_data(buf, sizeof(buf)), 3 * 2048);
    for (int i = 0; i < 3 * 2048; i += 101) {
        assert_int_equal(buf[i], pattern(5 * 4 + i / 512, i % 512, 3));
    }
    uint8_t bad[12] = { 0x28, 0, 0, 0, 0, CD_SECTORS, 0, 0, 1 };
    assert_int_equal(atapi_packet(bad, 2048, false) & 0x01, 0x01);
    assert_int_equal(inb(SEC + 1) >> 4, 5);
    assert_int_equal(atapi_sense_key(&asc), 5);
    assert_int_equal(asc, 0x21);
    /* READ(10) by DMA */
    static const uint32_t prd[1][2] = { { 0x20000, 2048 } };
    put_prds(0x8000, prd, 1);
    io_out(BM_BASE + 8 + 4, 4, 0x8000);
    io_out(BM_BASE + 8, 1, 0x09);
    uint8_t one[12] = { 0x28, 0, 0, 0, 0, 7, 0, 0, 1 };
    atapi_packet(one, 2048, true);
    assert_int_equal(io_in(BM_BASE + 8 + 2, 1) & 0x07, 0x04);
    io_out(BM_BASE + 8, 1, 0);
    address_space_read(&pc_env.as_mem, 0x20000, buf, 2048);
    assert_int_equal(buf[100], pattern(7 * 4, 100, 3));
    assert_int_equal(inb(SEC + 7), 0x50);
}

static void test_atapi_media_change(void **state)
{
    uint8_t tur[12] = { 0x00 }, gesn[12] = { 0x4a, 1, 0, 0, 0x10, 0, 0, 0, 8 };
    uint8_t lock[12] = { 0x1e, 0, 0, 0, 1 }, buf[8], asc;
    BlockDriverState *old;

    assert_int_equal(atapi_packet(tur, 0, false) & 0x01, 0);
    atapi_packet(lock, 0, false);
    assert_int_equal(ide_cd_change_medium(&ide->bus[1].ifs[0], cd2, false, &old, NULL), -1);
    assert_int_equal(ide_cd_change_medium(&ide->bus[1].ifs[0], cd2, true, &old, NULL), 0);
    assert_ptr_equal(old, cd);
    block_close(cd);
    cd = NULL;
    /* GET EVENT STATUS NOTIFICATION reports the new medium once */
    atapi_packet(gesn, 8, false);
    assert_int_equal(atapi_read_data(buf, sizeof(buf)), 8);
    assert_int_equal(buf[4], 2);
    assert_int_equal(buf[5] & 2, 2);
    atapi_packet(gesn, 8, false);
    atapi_read_data(buf, sizeof(buf));
    assert_int_equal(buf[4], 0);
    /* the next command gets UNIT ATTENTION, then the drive is ready with the new size */
    assert_int_equal(atapi_packet(tur, 0, false) & 0x01, 0x01);
    assert_int_equal(atapi_sense_key(&asc), 6);
    assert_int_equal(asc, 0x28);
    assert_int_equal(atapi_packet(tur, 0, false) & 0x01, 0);
    uint8_t cap[12] = { 0x25 };
    atapi_packet(cap, 8, false);
    atapi_read_data(buf, sizeof(buf));
    assert_int_equal(buf[3], (2 * CD_SECTORS - 1) & 0xff);
    /* eject: NOT READY, medium not present */
    assert_int_equal(ide_cd_change_medium(&ide->bus[1].ifs[0], NULL, false, &old, NULL), 0);
    assert_ptr_equal(old, cd2);
    assert_int_equal(atapi_packet(tur, 0, false) & 0x01, 0x01);
    assert_int_equal(atapi_sense_key(&asc), 2);
    assert_int_equal(asc, 0x3a);
    assert_int_equal(ide_cd_change_medium(&ide->bus[1].ifs[0], cd2, false, &old, NULL), 0);
}

static void test_random_register_writes(void **state)
{
    static const uint16_t ports[] = { PRI, PRI + 1, PRI + 2, PRI + 3, PRI + 4, PRI + 5,
                                      PRI + 6, PRI + 7, PRI + 0x206, SEC, SEC + 6, SEC + 7,
                                      SEC + 0x206, BM_BASE, BM_BASE + 2, BM_BASE + 4,
                                      BM_BASE + 8, BM_BASE + 12 };
    uint32_t seed = 12345;

    for (int i = 0; i < 20000; i++) {
        seed = seed * 1103515245 + 12345;
        uint16_t port = ports[(seed >> 16) % (sizeof(ports) / sizeof(ports[0]))];
        seed = seed * 1103515245 + 12345;
        if (seed & 0x100) {
            io_out(port, port == BM_BASE + 4 ? 4 : 1, seed >> 8);
        } else {
            io_in(port, (seed & 0x200) && (port == PRI || port == SEC) ? 2 : 1);
        }
        block_aio_poll(false);
    }
    block_aio_wait_all();
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_pci_identity, setup, teardown),
        cmocka_unit_test_setup_teardown(test_signatures_and_selection, setup, teardown),
        cmocka_unit_test_setup_teardown(test_identify, setup, teardown),
        cmocka_unit_test_setup_teardown(test_pio_write_read_lba28, setup, teardown),
        cmocka_unit_test_setup_teardown(test_chs_and_multiple, setup, teardown),
        cmocka_unit_test_setup_teardown(test_lba48_beyond_28_bits, setup, teardown),
        cmocka_unit_test_setup_teardown(test_errors, setup, teardown),
        cmocka_unit_test_setup_teardown(test_dma_write_read, setup, teardown),
        cmocka_unit_test_setup_teardown(test_dma_wild_addresses, setup, teardown),
        cmocka_unit_test_setup_teardown(test_atapi_read, setup, teardown),
        cmocka_unit_test_setup_teardown(test_atapi_media_change, setup, teardown),
        cmocka_unit_test_setup_teardown(test_random_register_writes, setup, teardown),
    };
    return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
