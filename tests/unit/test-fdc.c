/* Unit tests of the floppy controller and the ISA DMA pair through their ports: reset with
 * its four SENSE INTERRUPTs, VERSION/PART ID/invalid commands, SEEK and the disk change
 * line, READ DATA and WRITE DATA through DMA channel 2 (multi-track, terminal count in
 * the result), a write-protected disk, a DMA block outside RAM, an image of no floppy
 * size refused, and random port writes. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "block-test-util.h"
#include "hw/block/fdc.h"
#include "hw/isa/isa.h"
#include "pc-test-util.h"
#include "util/cutils.h"

static FDCState *fdc;
static I8237State *dma;
static BlockDriverState *disk;
static char *disk_path;

static int group_setup(void **state)
{
    static uint8_t image[1474560];

    block_test_tmpdir_create("test-fdc");
    for (size_t i = 0; i < sizeof(image); i++) {
        image[i] = (uint8_t)(i / 512 + i);
    }
    disk_path = block_test_write_file("fd.img", image, sizeof(image));
    return 0;
}

static int group_teardown(void **state)
{
    free(disk_path);
    return block_test_tmpdir_remove(0);
}

static int setup_ro(bool ro)
{
    BlockDriverState *bs[2];
    bool read_only[2] = { ro, false };

    pc_test_env_init(2 << 20);
    isa_bus_set_irqs(pc_env.lines);
    dma = i8237_create(pc_env.isa, &pc_env.as_mem, NULL);
    assert_non_null(dma);
    disk = block_test_open("raw", disk_path, false);
    bs[0] = disk;
    bs[1] = NULL;
    fdc = fdc_create(pc_env.isa, pc_env.lines[6], dma, bs, read_only, NULL);
    assert_non_null(fdc);
    return 0;
}

static int setup(void **state)
{
    return setup_ro(false);
}

static int setup_readonly(void **state)
{
    return setup_ro(true);
}

static int teardown(void **state)
{
    qdev_destroy_all();
    block_close(disk);
    isa_bus_set_irqs(NULL);
    pc_test_env_fini();
    return 0;
}

static void fifo_out(const uint8_t *bytes, int n)
{
    for (int i = 0; i < n; i++) {
        assert_int_equal(inb(0x3f4) & 0xc0, 0x80);
        outb(0x3f5, bytes[i]);
    }
}

static int fifo_in(uint8_t *bytes, int max)
{
    int n = 0;

    for (int i = 0; i < 1000 && (inb(0x3f4) & 0x10) && !(inb(0x3f4) & 0x80); i++) {
        block_aio_poll(true);
    }
    while ((inb(0x3f4) & 0xc0) == 0xc0 && n < max) {
        bytes[n++] = inb(0x3f5);
    }
    return n;
}

/* DMA channel 2: mode (0x46 write to memory, 0x4a read from memory), address, count. */
static void dma_setup(uint8_t mode, uint32_t addr, uint16_t len)
{
    outb(0x0a, 0x06);
    outb(0x0c, 0);
    outb(0x0b, mode);
    outb(0x04, addr);
    outb(0x04, addr >> 8);
    outb(0x81, addr >> 16);
    outb(0x05, (len - 1) & 0xff);
    outb(0x05, (len - 1) >> 8);
    outb(0x0a, 0x02);
}

static void test_reset_and_identify(void **state)
{
    uint8_t res[10], cmd;

    outb(0x3f2, 0x00);
    outb(0x3f2, 0x0c);                  /* out of reset: interrupt, 4 SENSE INTERRUPTs */
    assert_int_equal(pc_env.level[6], 1);
    for (int i = 0; i < 4; i++) {
        cmd = 0x08;
        fifo_out(&cmd, 1);
        assert_int_equal(fifo_in(res, 2), 2);
        assert_int_equal(res[0], 0xc0 | i);
    }
    assert_int_equal(pc_env.level[6], 0);
    cmd = 0x10;
    fifo_out(&cmd, 1);
    assert_int_equal(fifo_in(res, 1), 1);
    assert_int_equal(res[0], 0x90);
    cmd = 0x18;
    fifo_out(&cmd, 1);
    fifo_in(res, 1);
    assert_int_equal(res[0], 0x41);
    cmd = 0x1f;                         /* invalid */
    fifo_out(&cmd, 1);
    assert_int_equal(fifo_in(res, 2), 1);
    assert_int_equal(res[0], 0x80);
    assert_int_equal(fdc_cmos_types(fdc), 0x40);
}

static void test_seek_and_disk_change(void **state)
{
    uint8_t seek[3] = { 0x0f, 0x00, 10 }, sense = 0x08, res[2];

    assert_int_equal(inb(0x3f7) & 0x80, 0x80);
    fifo_out(seek, 3);
    assert_int_equal(pc_env.level[6], 1);
    fifo_out(&sense, 1);
    assert_int_equal(fifo_in(res, 2), 2);
    assert_int_equal(res[0], 0x20);
    assert_int_equal(res[1], 10);
    assert_int_equal(inb(0x3f7) & 0x80, 0);
}

static void test_read_write_dma(void **state)
{
    /* MT read from C1 H0 S17, EOT 18: S17, S18 of head 0 then head 1 until TC (3 sectors) */
    uint8_t read[9] = { 0xe6, 0x00, 1, 0, 17, 2, 18, 0x1b, 0xff }, res[7], buf[1536];

    dma_setup(0x46, 0x10000, 1536);
    fifo_out(read, 9);
    assert_int_equal(fifo_in(res, 7), 7);
    assert_int_equal(res[0] & 0xc0, 0);
    assert_int_equal(res[3], 1);        /* next: C1 H1 S2 */
    assert_int_equal(res[4], 1);
    assert_int_equal(res[5], 2);
    address_space_read(&pc_env.as_mem, 0x10000, buf, sizeof(buf));
    uint32_t lba[3] = { 36 + 16, 36 + 17, 36 + 18 };
    for (int k = 0; k < 3; k++) {
        assert_int_equal(buf[k * 512 + 7], (uint8_t)(lba[k] + lba[k] * 512 + 7));
    }
    /* write one sector at C2 H1 S3 from RAM */
    memset(buf, 0xa5, 512);
    address_space_write(&pc_env.as_mem, 0x20000, buf, 512);
    dma_setup(0x4a, 0x20000, 512);
    uint8_t write[9] = { 0xc5, 0x04, 2, 1, 3, 2, 18, 0x1b, 0xff };
    fifo_out(write, 9);
    assert_int_equal(fifo_in(res, 7), 7);
    assert_int_equal(res[0] & 0xc0, 0);
    assert_int_equal(block_pread(disk, ((2 * 2 + 1) * 18 + 2) * 512, buf + 512, 512), 0);
    assert_memory_equal(buf, buf + 512, 512);
    /* a DMA block outside RAM: abnormal termination, no crash */
    dma_setup(0x46, 0xff0000, 512);
    fifo_out(read, 9);
    assert_int_equal(fifo_in(res, 7), 7);
    assert_int_equal(res[0] & 0xc0, 0x40);
}

static void test_write_protected(void **state)
{
    uint8_t write[9] = { 0xc5, 0x00, 0, 0, 1, 2, 18, 0x1b, 0xff }, res[7];

    dma_setup(0x4a, 0x20000, 512);
    fifo_out(write, 9);
    assert_int_equal(fifo_in(res, 7), 7);
    assert_int_equal(res[0] & 0xc0, 0x40);
    assert_int_equal(res[1] & 0x02, 0x02);
}

static void test_bad_image_size(void **state)
{
    char *path = block_test_write_file("odd.img", "x", 1);
    BlockDriverState *bs[2] = { block_test_open("raw", path, false), NULL };
    bool ro[2] = { false, false };
    Error *err = NULL;

    assert_null(fdc_create(pc_env.isa, NULL, dma, bs, ro, &err));
    assert_non_null(strstr(error_get_message(err), "1474560"));
    error_free(err);
    block_close(bs[0]);
    free(path);
}

static void test_random_ports(void **state)
{
    static const uint16_t ports[] = { 0x3f2, 0x3f4, 0x3f5, 0x3f7, 0x00, 0x04, 0x05, 0x08,
                                      0x0a, 0x0b, 0x0c, 0x0d, 0x81, 0xc0, 0xd4, 0xd6 };
    uint32_t seed = 99;

    for (int i = 0; i < 30000; i++) {
        seed = seed * 1103515245 + 12345;
        uint16_t port = ports[(seed >> 16) % ARRAY_SIZE(ports)];
        seed = seed * 1103515245 + 12345;
        if (seed & 0x100) {
            outb(port, seed >> 8);
        } else {
            inb(port);
        }
        block_aio_poll(false);
    }
    block_aio_wait_all();
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_reset_and_identify, setup, teardown),
        cmocka_unit_test_setup_teardown(test_seek_and_disk_change, setup, teardown),
        cmocka_unit_test_setup_teardown(test_read_write_dma, setup, teardown),
        cmocka_unit_test_setup_teardown(test_write_protected, setup_readonly, teardown),
        cmocka_unit_test_setup_teardown(test_bad_image_size, setup, teardown),
        cmocka_unit_test_setup_teardown(test_random_ports, setup, teardown),
    };
    return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
