/* Unit tests for the 32-bit ARM Linux loader (hw/arm/boot.c) with files the test writes:
 * zImage, raw Image and uImage (plain and gzip) placement and entry, initrd and device tree
 * placement, copying into guest RAM, and one clear error line for each bad -kernel / -dtb. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <zlib.h>
#include "config-host.h"
#include "hw/arm/boot.h"
#include "util/cutils.h"
#include "block-test-util.h"
#ifdef CONFIG_FDT
#include <libfdt.h>
#endif

#define RAM_BASE 0x40000000u
#define RAM_SIZE (256u << 20)

static int setup(void **state)
{
    block_test_tmpdir_create("mimic-armboot");
    return 0;
}

static int teardown(void **state)
{
    return block_test_tmpdir_remove(0);
}

static void put_le32(uint8_t *p, uint32_t v)
{
    for (int i = 0; i < 4; i++) {
        p[i] = (uint8_t)(v >> (8 * i));
    }
}

static void put_be32(uint8_t *p, uint32_t v)
{
    for (int i = 0; i < 4; i++) {
        p[i] = (uint8_t)(v >> (24 - 8 * i));
    }
}

static ArmBootInfo fresh_info(void)
{
    return (ArmBootInfo){ .ram_base = RAM_BASE, .ram_size = RAM_SIZE };
}

/* A uImage around payload; arch, type, comp and the CRCs as given (fix = compute them). */
static uint8_t *make_uimage(const uint8_t *payload, uint32_t len, uint8_t arch, uint8_t comp,
                            uint32_t load, uint32_t ep, size_t *size)
{
    uint8_t *u = xzalloc(64 + len);
    put_be32(u, 0x27051956);
    put_be32(u + 12, len);
    put_be32(u + 16, load);
    put_be32(u + 20, ep);
    put_be32(u + 24, (uint32_t)crc32(0, payload, len));
    u[28] = 5;              /* Linux */
    u[29] = arch;
    u[30] = 2;              /* kernel */
    u[31] = comp;
    strcpy((char *)u + 32, "test kernel");
    memcpy(u + 64, payload, len);
    put_be32(u + 4, (uint32_t)crc32(0, u, 64));
    *size = 64 + len;
    return u;
}

static void expect_kernel_error(const char *name, const void *data, size_t size,
                                const char *message)
{
    ArmBootInfo b = fresh_info();
    Error *err = NULL;
    char *path = block_test_write_file(name, data, size);
    assert_int_equal(arm_boot_load_kernel(&b, path, &err), -1);
    const char *msg = error_get_message(err);
    assert_non_null(strstr(msg, path));
    if (!strstr(msg, message)) {
        fail_msg("'%s' does not say '%s'", msg, message);
    }
    assert_null(strchr(msg, '\n'));
    error_free(err);
    arm_boot_free(&b);
    free(path);
}

static void test_zimage(void **state)
{
    uint8_t z[0x400] = { 0 };
    put_le32(z + 0x24, 0x016f2818);
    put_le32(z + 0x2c, sizeof(z));
    char *path = block_test_write_file("zImage", z, sizeof(z));
    ArmBootInfo b = fresh_info();
    assert_int_equal(arm_boot_load_kernel(&b, path, NULL), 0);
    assert_int_equal(b.kind, ARM_KERNEL_ZIMAGE);
    assert_int_equal(b.kernel.addr, RAM_BASE + 0x10000);
    assert_int_equal(b.entry, RAM_BASE + 0x10000);
    assert_int_equal(b.kernel.size, sizeof(z));
    arm_boot_free(&b);
    free(path);
}

static void test_raw_image(void **state)
{
    uint8_t img[100];
    memset(img, 0xe1, sizeof(img));
    char *path = block_test_write_file("Image", img, sizeof(img));
    ArmBootInfo b = fresh_info();
    assert_int_equal(arm_boot_load_kernel(&b, path, NULL), 0);
    assert_int_equal(b.kind, ARM_KERNEL_IMAGE);
    assert_int_equal(b.kernel.addr, RAM_BASE + 0x8000);
    assert_int_equal(b.entry, RAM_BASE + 0x8000);
    arm_boot_free(&b);
    free(path);
}

static void test_uimage_plain_and_gzip(void **state)
{
    uint8_t payload[3000];
    for (size_t i = 0; i < sizeof(payload); i++) {
        payload[i] = (uint8_t)(i * 7);
    }
    size_t size;
    uint8_t *u = make_uimage(payload, sizeof(payload), 2, 0, RAM_BASE + 0x8000,
                             RAM_BASE + 0x8040, &size);
    char *path = block_test_write_file("uImage", u, size);
    ArmBootInfo b = fresh_info();
    assert_int_equal(arm_boot_load_kernel(&b, path, NULL), 0);
    assert_int_equal(b.kind, ARM_KERNEL_UIMAGE);
    assert_int_equal(b.kernel.addr, RAM_BASE + 0x8000);
    assert_int_equal(b.entry, RAM_BASE + 0x8040);
    assert_int_equal(b.kernel.size, sizeof(payload));
    assert_memory_equal(b.kernel.data, payload, sizeof(payload));
    arm_boot_free(&b);
    free(u);
    free(path);

    /* gzip: compress the payload the way mkimage -C gzip expects */
    uint8_t gz[4096];
    z_stream zs = { 0 };
    assert_int_equal(deflateInit2(&zs, 9, Z_DEFLATED, 16 + MAX_WBITS, 8,
                                  Z_DEFAULT_STRATEGY), Z_OK);
    zs.next_in = payload;
    zs.avail_in = sizeof(payload);
    zs.next_out = gz;
    zs.avail_out = sizeof(gz);
    assert_int_equal(deflate(&zs, Z_FINISH), Z_STREAM_END);
    uint32_t gz_len = (uint32_t)zs.total_out;
    deflateEnd(&zs);
    u = make_uimage(gz, gz_len, 2, 1, RAM_BASE + 0x100000, RAM_BASE + 0x100000, &size);
    path = block_test_write_file("uImage.gz", u, size);
    b = fresh_info();
    assert_int_equal(arm_boot_load_kernel(&b, path, NULL), 0);
    assert_int_equal(b.kernel.size, sizeof(payload));
    assert_memory_equal(b.kernel.data, payload, sizeof(payload));
    arm_boot_free(&b);
    free(u);
    free(path);
}

static void test_bad_kernels(void **state)
{
    uint8_t payload[64] = { 1, 2, 3 };
    size_t size;
    uint8_t *u = make_uimage(payload, sizeof(payload), 2, 0, RAM_BASE, RAM_BASE, &size);

    u[40] ^= 1;                                     /* name byte: header CRC */
    expect_kernel_error("hcrc", u, size, "header checksum mismatch");
    u[40] ^= 1;
    u[64] ^= 1;
    expect_kernel_error("dcrc", u, size, "data checksum mismatch");
    u[64] ^= 1;
    expect_kernel_error("short", u, size - 10, "runs past the end");
    free(u);
    u = make_uimage(payload, sizeof(payload), 22, 0, RAM_BASE, RAM_BASE, &size);
    expect_kernel_error("arm64", u, size, "not ARM");
    free(u);
    u = make_uimage(payload, sizeof(payload), 2, 3, RAM_BASE, RAM_BASE, &size);
    expect_kernel_error("lzma", u, size, "compression 3 is not supported");
    free(u);
    u = make_uimage(payload, sizeof(payload), 2, 0, 0x1000, 0x1000, &size);
    expect_kernel_error("lowload", u, size, "do not fit in RAM");
    free(u);

    expect_kernel_error("elf", "\177ELF\1\1\1", 7, "ELF kernels are not supported");
    uint8_t a64[0x40] = { 0 };
    memcpy(a64 + 0x38, "ARM\x64", 4);
    expect_kernel_error("Image-arm64", a64, sizeof(a64), "AArch64");
    expect_kernel_error("empty", "", 0, "is empty");

    ArmBootInfo b = fresh_info();
    Error *err = NULL;
    assert_int_equal(arm_boot_load_kernel(&b, "/nonexistent/zImage", &err), -1);
    assert_string_equal(error_get_message(err),
                        "-kernel: could not open '/nonexistent/zImage': No such file or directory");
    error_free(err);
    err = NULL;
    assert_int_equal(arm_boot_load_kernel(&b, block_test_tmpdir(), &err), -1);
    assert_non_null(strstr(error_get_message(err), "not a regular file"));
    error_free(err);
}

static void test_placement(void **state)
{
    ArmBootInfo b = fresh_info();
    uint8_t img[64] = { 0 };
    char *k = block_test_write_file("Image", img, sizeof(img));
    char *i = block_test_write_file("initrd", "0123456789", 10);
    assert_int_equal(arm_boot_load_kernel(&b, k, NULL), 0);
    assert_int_equal(arm_boot_load_initrd(&b, i, NULL), 0);
    assert_int_equal(arm_boot_place(&b, 0x2000, NULL), 0);
    assert_int_equal(b.initrd.addr, RAM_BASE + (128u << 20));      /* min(RAM/2, 128M) */
    assert_int_equal(b.dtb_addr, RAM_BASE + (128u << 20) + 0x1000);
    /* small RAM: at RAM/2 */
    b.ram_size = 32u << 20;
    assert_int_equal(arm_boot_place(&b, 0x2000, NULL), 0);
    assert_int_equal(b.initrd.addr, RAM_BASE + (16u << 20));
    /* too small for the tree after the initrd */
    b.ram_size = 0x9000;
    Error *err = NULL;
    assert_int_equal(arm_boot_place(&b, 0x2000, &err), -1);
    assert_non_null(strstr(error_get_message(err), "do not fit"));
    error_free(err);
    /* firmware boot: the tree at the start of RAM */
    ArmBootInfo fw = fresh_info();
    assert_int_equal(arm_boot_place(&fw, 0x2000, NULL), 0);
    assert_int_equal(fw.dtb_addr, RAM_BASE);
    arm_boot_free(&b);
    free(k);
    free(i);
}

static void test_write_into_ram(void **state)
{
    MemoryRegion root, ram;
    AddressSpace as;
    memory_region_init_container(&root, "root", UINT64_MAX);
    memory_region_init_ram(&ram, "ram", 64u << 20);
    memory_region_add_subregion(&root, RAM_BASE, &ram, 0);
    address_space_init(&as, &root, "mem");

    ArmBootInfo b = { .ram_base = RAM_BASE, .ram_size = 64u << 20 };
    uint8_t z[0x100] = { 0 };
    put_le32(z + 0x24, 0x016f2818);
    char *k = block_test_write_file("zImage", z, sizeof(z));
    char *i = block_test_write_file("initrd", "INITRD", 6);
    assert_int_equal(arm_boot_load_kernel(&b, k, NULL), 0);
    assert_int_equal(arm_boot_load_initrd(&b, i, NULL), 0);
    assert_int_equal(arm_boot_place(&b, 4, NULL), 0);
    assert_int_equal(arm_boot_write(&b, &as, "DTB!", 4), 0);
    uint8_t buf[8];
    address_space_read(&as, RAM_BASE + 0x10024, buf, 4);
    assert_memory_equal(buf, z + 0x24, 4);
    address_space_read(&as, b.initrd.addr, buf, 6);
    assert_memory_equal(buf, "INITRD", 6);
    address_space_read(&as, b.dtb_addr, buf, 4);
    assert_memory_equal(buf, "DTB!", 4);
    arm_boot_free(&b);
    free(k);
    free(i);
    address_space_destroy(&as);
    memory_region_del_subregion(&root, &ram);
    memory_region_destroy(&ram);
    memory_region_destroy(&root);
}

static void test_dtb_file(void **state)
{
#ifdef CONFIG_FDT
    uint8_t tree[512];
    assert_int_equal(fdt_create_empty_tree(tree, sizeof(tree)), 0);
    assert_int_equal(fdt_setprop_string(tree, 0, "model", "from a file"), 0);
    char *good = block_test_write_file("good.dtb", tree, fdt_totalsize(tree));
    void *fdt = arm_boot_load_dtb(good, NULL);
    assert_non_null(fdt);
    assert_string_equal(fdt_getprop(fdt, 0, "model", NULL), "from a file");
    free(fdt);
    Error *err = NULL;
    char *bad = block_test_write_file("bad.dtb", "this is not a device tree at all, sorry", 40);
    assert_null(arm_boot_load_dtb(bad, &err));
    assert_non_null(strstr(error_get_message(err), "not a valid flattened device tree"));
    assert_non_null(strstr(error_get_message(err), bad));
    error_free(err);
    err = NULL;
    char *cut = block_test_write_file("cut.dtb", tree, 60);            /* header says more */
    assert_null(arm_boot_load_dtb(cut, &err));
    assert_non_null(strstr(error_get_message(err), "not a valid flattened device tree"));
    error_free(err);
    free(good);
    free(bad);
    free(cut);
#else
    skip();
#endif
}

int main(void)
{
    const struct CMUnitTest tests[] = {
#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)
        T(test_zimage),
        T(test_raw_image),
        T(test_uimage_plain_and_gzip),
        T(test_bad_kernels),
        T(test_placement),
        T(test_write_into_ram),
        T(test_dtb_file),
#undef T
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
