/* Unit tests of fw_cfg at I/O 0x510: signature and ID through the data port, file
 * directory order and layout, reads past the end, the DMA interface (select+read, skip,
 * refused write, descriptor and data addresses outside RAM), the DMA signature. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <string.h>
#include "hw/nvram/fw_cfg.h"
#include "pc-test-util.h"

static FWCfgState *fw;

static int setup(void **state)
{
    pc_test_env_init(1 << 20);
    fw = fw_cfg_create_io(NULL, 0x510, &pc_env.as_mem, true, NULL);
    return fw ? 0 : -1;
}

static int teardown(void **state)
{
    pc_test_env_fini();
    return 0;
}

static void read_item(uint16_t key, uint8_t *buf, size_t len)
{
    io_out(0x510, 2, key);
    for (size_t i = 0; i < len; i++) {
        buf[i] = inb(0x511);
    }
}

static void test_signature_and_id(void **state)
{
    uint8_t buf[8];

    read_item(FW_CFG_SIGNATURE, buf, 5);
    assert_memory_equal(buf, "QEMU\0", 5);  /* past the end: zero */
    read_item(FW_CFG_ID, buf, 4);
    assert_int_equal(buf[0], 3);            /* traditional + DMA */
    assert_int_equal(io_in(0x514, 4), 0x554d4551);  /* "QEMU" in byte order */
    assert_int_equal(io_in(0x518, 4), 0x47464320);  /* " CFG" */
}

static void test_items_and_files(void **state)
{
    uint8_t buf[4 + 2 * 64];

    fw_cfg_add_i16(fw, FW_CFG_NB_CPUS, 2);
    read_item(FW_CFG_NB_CPUS, buf, 2);
    assert_int_equal(buf[0] | (buf[1] << 8), 2);
    assert_int_equal(fw_cfg_add_file(fw, "etc/test", "abc", 3), 0);
    assert_int_equal(fw_cfg_add_file(fw, "bootorder", "/x\n", 4), 0);
    read_item(FW_CFG_FILE_DIR, buf, sizeof(buf));
    assert_int_equal(buf[3], 2);
    assert_string_equal((char *)buf + 4 + 8, "bootorder");      /* sorted */
    assert_int_equal(buf[4 + 3], 4);
    assert_int_equal((buf[4 + 4] << 8) | buf[4 + 5], FW_CFG_FILE_FIRST + 1);
    assert_string_equal((char *)buf + 4 + 64 + 8, "etc/test");
    read_item(FW_CFG_FILE_FIRST, buf, 4);
    assert_memory_equal(buf, "abc\0", 4);
    assert_int_equal(fw_cfg_add_file(fw, "etc/test", "xyz!", 4), 0);  /* replace */
    read_item(FW_CFG_FILE_FIRST, buf, 4);
    assert_memory_equal(buf, "xyz!", 4);
    char long_name[80];
    memset(long_name, 'a', sizeof(long_name) - 1);
    long_name[79] = 0;
    assert_int_equal(fw_cfg_add_file(fw, long_name, "", 0), -1);
    read_item(0x3fff, buf, 2);              /* no such key */
    assert_int_equal(buf[0] | buf[1], 0);
}

static void put_desc(uint64_t at, uint32_t control, uint32_t len, uint64_t addr)
{
    mmio_write(at, 4, __builtin_bswap32(control));
    mmio_write(at + 4, 4, __builtin_bswap32(len));
    mmio_write(at + 8, 4, __builtin_bswap32(addr >> 32));
    mmio_write(at + 12, 4, __builtin_bswap32((uint32_t)addr));
}

static void start_dma(uint64_t desc)
{
    io_out(0x514, 4, __builtin_bswap32(desc >> 32));
    io_out(0x518, 4, __builtin_bswap32((uint32_t)desc));
}

static uint32_t desc_control(uint64_t at)
{
    return __builtin_bswap32(mmio_read(at, 4));
}

static void test_dma(void **state)
{
    uint8_t buf[16];

    fw_cfg_add_file(fw, "etc/data", "0123456789", 10);
    put_desc(0x1000, (FW_CFG_FILE_FIRST << 16) | 0x08 | 0x02, 4, 0x2000);
    start_dma(0x1000);
    assert_int_equal(desc_control(0x1000), 0);
    assert_int_equal(mmio_read(0x2000, 4), 0x33323130);
    put_desc(0x1000, 0x04, 2, 0);           /* skip 2 */
    start_dma(0x1000);
    put_desc(0x1000, 0x02, 8, 0x2000);      /* read 8: 4 bytes left, then zeros */
    start_dma(0x1000);
    address_space_read(&pc_env.as_mem, 0x2000, buf, 8);
    assert_memory_equal(buf, "6789\0\0\0\0", 8);
    put_desc(0x1000, (FW_CFG_FILE_FIRST << 16) | 0x08 | 0x02, 4, 0xfff00000);  /* no RAM */
    start_dma(0x1000);
    assert_int_equal(desc_control(0x1000), 1);
    put_desc(0x1000, (FW_CFG_FILE_FIRST << 16) | 0x08 | 0x02, 16, 0xffff8);  /* crosses end */
    start_dma(0x1000);
    assert_int_equal(desc_control(0x1000), 1);
    put_desc(0x1000, (FW_CFG_FILE_FIRST << 16) | 0x08 | 0x10, 4, 0x2000);  /* write */
    start_dma(0x1000);
    assert_int_equal(desc_control(0x1000), 1);
    put_desc(0x1000, 0x02, 0xffffffffu, 0x3000);   /* 4 GiB of zeros: up to the end of RAM */
    mmio_write(0xffff8, 8, ~0ull);
    start_dma(0x1000);
    assert_int_equal(desc_control(0x1000), 1);
    assert_int_equal(mmio_read(0xffff8, 8), 0);
    start_dma(0xfffffff0ull);               /* descriptor outside RAM: ignored */
    start_dma(0xffffffffffffff00ull);
}

#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)

int main(void)
{
    const struct CMUnitTest tests[] = {
        T(test_signature_and_id), T(test_items_and_files), T(test_dma),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
