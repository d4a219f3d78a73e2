/* Unit tests of the ICH9 AHCI controller through its ABAR as a guest driver programs it:
 * PCI identity, HBA reset, port signatures and link status, IDENTIFY (PIO data through the
 * PRD table), WRITE/READ DMA EXT checked against the image file, an ATAPI READ(10) on a CD
 * port, the D2H FIS and interrupt bits, a command list outside RAM (task file error, no
 * host access), and random register writes. */
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
#include "hw/ide/ahci.h"
#include "hw/ide/ide-dev.h"
#include "hw/isa/isa.h"
#include "hw/pci/i440fx.h"
#include "pc-test-util.h"

#define RAM_SIZE (2u << 20)
#define AHCI_DEVFN PCI_DEVFN(4, 0)
#define ABAR 0xfebf0000u
#define CLB 0x10000
#define FB 0x11000
#define CT 0x12000
#define DATA 0x20000

static MemoryRegion pci_mem;
static I440FXHost *host;
static AHCIState *ahci;
static BlockDriverState *disk, *cd;
static char *disk_path, *cd_path;

static char *make_image(const char *name, uint64_t size, uint8_t seed)
{
    char *path = block_test_path(name);
    FILE *f = fopen(path, "wb");

    assert_non_null(f);
    for (uint64_t i = 0; i < size; i++) {
        fputc((uint8_t)(i / 512 * 3 + i + seed), f);
    }
    fclose(f);
    return path;
}

static int group_setup(void **state)
{
    block_test_tmpdir_create("test-ahci");
    disk_path = make_image("disk.img", 1 << 20, 0);
    cd_path = make_image("cd.iso", 64 * 2048, 5);
    return 0;
}

static int group_teardown(void **state)
{
    free(disk_path);
    free(cd_path);
    return block_test_tmpdir_remove(0);
}

static void cfg_write(int reg, unsigned size, uint32_t val)
{
    pci_cfg_out(AHCI_DEVFN, reg, size, val);
}

static uint32_t cfg_read(int reg, unsigned size)
{
    return pci_cfg_in(AHCI_DEVFN, reg, size);
}

static uint32_t rd(uint32_t off) { return mmio_read(ABAR + off, 4); }
static void wr(uint32_t off, uint32_t v) { mmio_write(ABAR + off, 4, v); }
static uint32_t prd(int port, uint32_t reg) { return rd(0x100 + 0x80 * port + reg); }
static void pwr(int port, uint32_t reg, uint32_t v) { wr(0x100 + 0x80 * port + reg, v); }

static int setup(void **state)
{
    Error *err = NULL;

    pc_test_env_init(RAM_SIZE);
    memory_region_init_container(&pci_mem, "pci", UINT64_MAX);
    memory_region_add_subregion(&pc_env.mem, 0, &pci_mem, -1);
    isa_bus_set_irqs(pc_env.lines);
    host = i440fx_create(&pc_env.mem, &pc_env.ram, &pci_mem, &pc_env.io, &err);
    assert_non_null(host);
    ahci = ahci_create(host->bus->qbus, AHCI_DEVFN, &pc_env.as_mem, &err);
    if (!ahci) {
        fprintf(stderr, "%s\n", error_get_message(err));
    }
    assert_non_null(ahci);
    disk = block_test_open("raw", disk_path, false);
    cd = block_test_open("raw", cd_path, true);
    assert_int_equal(ide_attach(&ahci->ports[0].bus, 0, IDE_HD, disk, false, NULL), 0);
    assert_int_equal(ide_attach(&ahci->ports[1].bus, 0, IDE_CD, cd, true, NULL), 0);
    cfg_write(0x24, 4, ABAR);
    cfg_write(0x04, 2, 0x0006);
    return 0;
}

static int teardown(void **state)
{
    qdev_destroy_all();
    block_close(disk);
    block_close(cd);
    memory_region_del_subregion(&pc_env.mem, &pci_mem);
    memory_region_destroy(&pci_mem);
    isa_bus_set_irqs(NULL);
    pc_test_env_fini();
    return 0;
}

static void put32(uint64_t addr, uint32_t v)
{
    address_space_write(&pc_env.as_mem, addr, &v, 4);
}

static uint32_t get32(uint64_t addr)
{
    uint32_t v = 0;
    address_space_read(&pc_env.as_mem, addr, &v, 4);
    return v;
}

static void port_start(int port)
{
    pwr(port, 0x00, CLB + port * 0x400);
    pwr(port, 0x04, 0);
    pwr(port, 0x08, FB + port * 0x100);
    pwr(port, 0x0c, 0);
    pwr(port, 0x14, 0xffffffffu);
    pwr(port, 0x18, 0x0011);            /* FRE, ST */
}

/* Slot 0 of port: an H2D FIS with cmd/lba/count, one PRD of len bytes at DATA. */
static uint32_t issue(int port, uint8_t cmd, uint8_t feature, uint64_t lba, uint16_t count,
                      uint32_t len, bool write, const uint8_t *acmd)
{
    uint8_t fis[20] = { 0x27, 0x80, cmd, feature, lba, lba >> 8, lba >> 16, 0x40,
                        lba >> 24, lba >> 32, lba >> 40, 0, count, count >> 8 };
    uint32_t ct = CT + port * 0x1000;

    address_space_write(&pc_env.as_mem, ct, fis, sizeof(fis));
    if (acmd) {
        address_space_write(&pc_env.as_mem, ct + 0x40, acmd, 12);
    }
    put32(ct + 0x80, DATA);
    put32(ct + 0x84, 0);
    put32(ct + 0x8c, len - 1);
    put32(CLB + port * 0x400, 5 | (acmd ? 0x20 : 0) | (write ? 0x40 : 0) | (1u << 16));
    put32(CLB + port * 0x400 + 4, 0);
    put32(CLB + port * 0x400 + 8, ct);
    put32(CLB + port * 0x400 + 12, 0);
    pwr(port, 0x10, 0xffffffffu);
    pwr(port, 0x38, 1);
    for (int i = 0; i < 1000 && (prd(port, 0x38) & 1); i++) {
        block_aio_poll(true);
    }
    assert_int_equal(prd(port, 0x38) & 1, 0);
    return prd(port, 0x10);
}

static void test_identity_and_reset(void **state)
{
    assert_int_equal(cfg_read(0, 4), 0x29228086);
    assert_int_equal(cfg_read(0x08, 4) >> 8, 0x010601);
    assert_int_equal(rd(0x0c), 0x3f);
    assert_int_equal(rd(0x00) & 0x1f, 5);
    assert_int_equal(rd(0x04) & 0x80000000u, 0x80000000u);
    assert_int_equal(prd(0, 0x24), 0x00000101);
    assert_int_equal(prd(1, 0x24), 0xeb140101u);
    assert_int_equal(prd(0, 0x28) & 0xf, 3);
    assert_int_equal(prd(2, 0x28) & 0xf, 0);
    assert_int_equal(prd(0, 0x20) & 0x80, 0);
    pwr(0, 0x14, 0x1234);
    wr(0x04, 1);                        /* HBA reset */
    assert_int_equal(prd(0, 0x14), 0);
}

static void test_identify_and_dma(void **state)
{
    uint8_t page[512], data[4096], file[4096];

    port_start(0);
    wr(0x04, 0x80000002u);              /* interrupts on */
    assert_int_equal(issue(0, 0xec, 0, 0, 0, 512, false, NULL) & 1, 1);
    address_space_read(&pc_env.as_mem, DATA, page, sizeof(page));
    assert_int_equal(page[0], 0x40);
    assert_int_equal(get32(CLB + 4), 512);                  /* PRDBC */
    assert_int_equal(get32(FB + 0x40) & 0xff, 0x34);        /* D2H FIS */
    assert_int_equal((get32(FB + 0x40) >> 16) & 0xff, 0x50);
    assert_int_equal(rd(0x08) & 1, 1);
    assert_int_equal(cfg_read(0x06, 2) & 0x08, 0x08);          /* INTx asserted */
    pwr(0, 0x10, 0xffffffffu);
    assert_int_equal(cfg_read(0x06, 2) & 0x08, 0);
    for (size_t i = 0; i < sizeof(data); i++) {
        data[i] = (uint8_t)(i * 11 + 1);
    }
    address_space_write(&pc_env.as_mem, DATA, data, sizeof(data));
    assert_int_equal(issue(0, 0x35, 0, 40, 8, 4096, true, NULL) & 0x40000001u, 1);
    assert_int_equal(block_pread(disk, 40 * 512, file, sizeof(file)), 0);
    assert_memory_equal(file, data, sizeof(data));
    memset(file, 0, sizeof(file));
    address_space_write(&pc_env.as_mem, DATA, file, sizeof(file));
    assert_int_equal(issue(0, 0x25, 0, 40, 8, 4096, false, NULL) & 1, 1);
    address_space_read(&pc_env.as_mem, DATA, file, sizeof(file));
    assert_memory_equal(file, data, sizeof(data));
    /* past the end: task file error with IDNF */
    assert_int_equal(issue(0, 0x25, 0, 4096, 8, 4096, false, NULL) & 0x40000000u, 0x40000000u);
    assert_int_equal((prd(0, 0x20) >> 8) & 0x10, 0x10);
}

static void test_atapi_read(void **state)
{
    uint8_t read10[12] = { 0x28, 0, 0, 0, 0, 3, 0, 0, 1 }, buf[2048];

    port_start(1);
    assert_int_equal(issue(1, 0xa0, 1, 2048 << 8, 0, 2048, false, read10) & 1, 1);
    address_space_read(&pc_env.as_mem, DATA, buf, sizeof(buf));
    for (int i = 0; i < 2048; i += 111) {
        uint64_t off = 3 * 2048 + i;
        assert_int_equal(buf[i], (uint8_t)(off / 512 * 3 + off + 5));
    }
    /* PIO data phase (features 0) goes through the PRD table too */
    memset(buf, 0, sizeof(buf));
    address_space_write(&pc_env.as_mem, DATA, buf, sizeof(buf));
    assert_int_equal(issue(1, 0xa0, 0, 2048 << 8, 0, 2048, false, read10) & 1, 1);
    address_space_read(&pc_env.as_mem, DATA, buf, sizeof(buf));
    assert_int_equal(buf[0], (uint8_t)(3 * 4 * 3 + 3 * 2048 + 5));
}

static void test_wild_command_list(void **state)
{
    port_start(0);
    pwr(0, 0x00, 0xfff00000u);          /* command list outside RAM */
    pwr(0, 0x38, 1);
    assert_int_equal(prd(0, 0x38) & 1, 0);
    assert_int_equal(prd(0, 0x10) & 0x40000000u, 0x40000000u);
    pwr(0, 0x00, CLB);                  /* a PRD outside RAM */
    put32(CT + 0x80, 0xfff00000u);
    uint8_t fis[20] = { 0x27, 0x80, 0x25, 0, 0, 0, 0, 0x40, 0, 0, 0, 0, 1 };
    address_space_write(&pc_env.as_mem, CT, fis, sizeof(fis));
    put32(CLB, 5 | (1u << 16));
    put32(CLB + 8, CT);
    pwr(0, 0x10, 0xffffffffu);
    pwr(0, 0x38, 1);
    for (int i = 0; i < 100 && (prd(0, 0x38) & 1); i++) {
        block_aio_poll(true);
    }
    assert_int_equal(prd(0, 0x10) & 0x40000000u, 0x40000000u);
}

static void test_random_registers(void **state)
{
    uint32_t seed = 777;

    for (int i = 0; i < 20000; i++) {
        seed = seed * 1103515245 + 12345;
        uint32_t off = (seed >> 8) % 0x400 & ~3u;
        seed = seed * 1103515245 + 12345;
        if (seed & 0x10000) {
            wr(off, seed);
        } else {
            rd(off);
        }
        block_aio_poll(false);
    }
    block_aio_wait_all();
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_identity_and_reset, setup, teardown),
        cmocka_unit_test_setup_teardown(test_identify_and_dma, setup, teardown),
        cmocka_unit_test_setup_teardown(test_atapi_read, setup, teardown),
        cmocka_unit_test_setup_teardown(test_wild_command_list, setup, teardown),
        cmocka_unit_test_setup_teardown(test_random_registers, setup, teardown),
    };
    return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
