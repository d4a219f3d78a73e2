/* Unit tests of virtio-rng (hw/virtio/virtio-rng.c) on a virtio-mmio transport, driven
 * through its registers: identity, buffers filled with entropy (different each time,
 * a device-readable part refused), QEMU's max-bytes/period rate limit on the virtual
 * clock, -object rng-random/rng-builtin as rng= sources, the -device property rules,
 * and virtio-rng-pci's PCI identity. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "hw/isa/isa.h"
#include "hw/pci/i440fx.h"
#include "hw/virtio/virtio-mmio.h"
#include "hw/virtio/virtio-rng.h"
#include "system/objects.h"
#include "system/timer.h"
#include "util/cutils.h"
#include "pc-test-util.h"
#include "virtio-test-driver.h"

#define BASE 0x10000000u
#define BUF 0x40000u
#define VERSION_1 (1ull << VIRTIO_F_VERSION_1)

static VirtIOMMIO *transport;
static VtDriver drv;

static int setup(void **state)
{
    Error *err = NULL;
    pc_test_env_init(1 << 20);
    transport = virtio_mmio_create(BASE, 0, pc_env.lines[5], &pc_env.as_mem, &err);
    assert_non_null(transport);
    return 0;
}

static int teardown(void **state)
{
    pc_test_env_fini();
    object_destroy_all();
    return 0;
}

/* -device virtio-rng-device with the properties in spec ("" for none): 0 or -1. */
static int plug_rng(const char *spec, Error **errp)
{
    const char *type = virtio_rng_device_type.name;
    char *full = spec[0] ? xasprintf("%s,%s", type, spec) : xstrdup(type);
    DeviceState *dev = device_create_from_spec(full, errp);
    free(full);
    return dev ? 0 : -1;
}

static void fill(uint64_t addr, uint8_t byte, unsigned len)
{
    for (unsigned i = 0; i < len; i++) {
        mmio_write(addr + i, 1, byte);
    }
}

/* Bytes of the buffer at addr that still hold the fill byte. */
static unsigned untouched(uint64_t addr, uint8_t byte, unsigned len)
{
    unsigned n = 0;
    for (unsigned i = 0; i < len; i++) {
        n += (uint8_t)mmio_read(addr + i, 1) == byte;
    }
    return n;
}

static void test_identity(void **state)
{
    Error *err = NULL;
    assert_int_equal(plug_rng("", &err), 0);
    drv.base = BASE;
    assert_int_equal(vt_reg(&drv, 0x08), VIRTIO_ID_RNG);
    assert_true(vt_device_features(&drv) & VERSION_1);
    vt_wreg(&drv, 0x30, 0);
    assert_int_equal(vt_reg(&drv, 0x34), 8);            /* QueueNumMax, as QEMU's */
    vt_wreg(&drv, 0x30, 1);
    assert_int_equal(vt_reg(&drv, 0x34), 0);            /* one queue only */
}

static void test_entropy(void **state)
{
    Error *err = NULL;
    uint32_t head, len;
    assert_int_equal(plug_rng("", &err), 0);
    vt_driver_start(&drv, BASE, VERSION_1, 1);
    fill(BUF, 0, 512);
    fill(BUF + 512, 0, 512);
    vt_post(&drv, 0, BUF, 512, true);
    vt_post(&drv, 0, BUF + 512, 512, true);
    assert_true(vt_used(&drv, 0, &head, &len));
    assert_int_equal(len, 512);
    assert_true(vt_used(&drv, 0, &head, &len));
    assert_int_equal(len, 512);
    assert_false(vt_used(&drv, 0, &head, &len));
    /* random bytes: few zeros left, and the two buffers differ */
    assert_true(untouched(BUF, 0, 1024) < 32);
    unsigned same = 0;
    for (unsigned i = 0; i < 512; i++) {
        same += mmio_read(BUF + i, 1) == mmio_read(BUF + 512 + i, 1);
    }
    assert_true(same < 32);
    assert_true(pc_env.level[5]);
}

static void test_readable_buffer_breaks_device(void **state)
{
    Error *err = NULL;
    uint32_t head, len;
    assert_int_equal(plug_rng("", &err), 0);
    vt_driver_start(&drv, BASE, VERSION_1, 1);
    vt_post(&drv, 0, BUF, 64, false);
    assert_false(vt_used(&drv, 0, &head, &len));
    assert_true(vt_needs_reset(&drv));
    /* buffers outside RAM: refused by the core, nothing written */
    vt_driver_start(&drv, BASE, VERSION_1, 1);
    assert_false(vt_needs_reset(&drv));
    vt_post(&drv, 0, 0xfff00000u, 64, true);
    assert_false(vt_used(&drv, 0, &head, &len));
    assert_true(vt_needs_reset(&drv));
}

static void test_rate_limit(void **state)
{
    Error *err = NULL;
    uint32_t head, len;
    assert_int_equal(plug_rng("max-bytes=100,period=1000", &err), 0);
    vt_driver_start(&drv, BASE, VERSION_1, 1);
    vt_post(&drv, 0, BUF, 64, true);
    vt_post(&drv, 0, BUF + 64, 64, true);
    vt_post(&drv, 0, BUF + 128, 64, true);
    assert_true(vt_used(&drv, 0, &head, &len));
    assert_int_equal(len, 64);
    assert_true(vt_used(&drv, 0, &head, &len));
    assert_int_equal(len, 36);                          /* the rest of the quota */
    assert_false(vt_used(&drv, 0, &head, &len));        /* waits for the next period */
    pc_test_clock_advance(999 * NS_PER_MS);
    assert_false(vt_used(&drv, 0, &head, &len));
    pc_test_clock_advance(NS_PER_MS);
    assert_true(vt_used(&drv, 0, &head, &len));
    assert_int_equal(len, 64);
}

/* rng-random on a file: its bytes in order; at its end requests wait, unbroken. */
static void test_rng_random_file(void **state)
{
    Error *err = NULL;
    uint32_t head, len;
    char path[] = "/tmp/mimic-rng-XXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    for (unsigned i = 0; i < 100; i++) {
        uint8_t b = (uint8_t)(i * 3 + 1);
        assert_int_equal(write(fd, &b, 1), 1);
    }
    close(fd);
    char *spec = xasprintf("rng-random,id=file0,filename=%s", path);
    assert_int_equal(object_create_from_spec(spec, &err), 0);
    free(spec);
    unlink(path);
    assert_int_equal(plug_rng("rng=file0", &err), 0);
    vt_driver_start(&drv, BASE, VERSION_1, 1);
    vt_post(&drv, 0, BUF, 64, true);
    vt_post(&drv, 0, BUF + 64, 64, true);
    assert_true(vt_used(&drv, 0, &head, &len));
    assert_int_equal(len, 64);
    assert_true(vt_used(&drv, 0, &head, &len));
    assert_int_equal(len, 36);
    for (unsigned i = 0; i < 100; i++) {
        assert_int_equal(mmio_read(BUF + i, 1), (uint8_t)(i * 3 + 1));
    }
    vt_post(&drv, 0, BUF + 128, 64, true);              /* the file is used up */
    assert_false(vt_used(&drv, 0, &head, &len));
    assert_false(vt_needs_reset(&drv));
}

static void test_rng_objects(void **state)
{
    Error *err = NULL;
    uint32_t head, len;
    assert_int_equal(object_create_from_spec("rng-builtin,id=b0", &err), 0);
    assert_int_equal(object_create_from_spec("rng-random,id=b0", &err), -1);   /* dup id */
    error_free(err);
    err = NULL;
    assert_int_equal(object_create_from_spec("rng-random,id=r1,filename=/nonexistent", &err),
                     -1);
    assert_non_null(strstr(error_get_message(err), "Could not open '/nonexistent'"));
    error_free(err);
    err = NULL;
    assert_int_equal(object_create_from_spec("rng-builtin,id=r2,filename=/dev/null", &err), -1);
    error_free(err);
    err = NULL;
    assert_int_equal(plug_rng("rng=b0", &err), 0);
    vt_driver_start(&drv, BASE, VERSION_1, 1);
    fill(BUF, 0, 256);
    vt_post(&drv, 0, BUF, 256, true);
    assert_true(vt_used(&drv, 0, &head, &len));
    assert_int_equal(len, 256);
    assert_true(untouched(BUF, 0, 256) < 16);
}

static void test_device_rules(void **state)
{
    Error *err = NULL;
    assert_int_equal(plug_rng("rng=rng0", &err), -1);
    assert_non_null(strstr(error_get_message(err), "rng=rng0: there is no -object"));
    error_free(err);
    err = NULL;
    assert_int_equal(plug_rng("max-bytes=0", &err), -1);
    assert_non_null(strstr(error_get_message(err), "non-zero"));
    error_free(err);
    err = NULL;
    assert_int_equal(plug_rng("period=0", &err), -1);
    error_free(err);
    err = NULL;
    assert_int_equal(plug_rng("", &err), 0);
    assert_int_equal(plug_rng("", &err), -1);           /* the one transport is taken */
    error_free(err);
}

static MemoryRegion pci_mem;

static int pci_setup(void **state)
{
    Error *err = NULL;
    pc_test_env_init(1 << 20);
    memory_region_init_container(&pci_mem, "pci", UINT64_MAX);
    memory_region_add_subregion(&pc_env.mem, 0, &pci_mem, -1);
    isa_bus_set_irqs(pc_env.lines);
    assert_non_null(i440fx_create(&pc_env.mem, &pc_env.ram, &pci_mem, &pc_env.io, &err));
    return 0;
}

static int pci_teardown(void **state)
{
    qdev_destroy_all();
    memory_region_del_subregion(&pc_env.mem, &pci_mem);
    memory_region_destroy(&pci_mem);
    isa_bus_set_irqs(NULL);
    pc_test_env_fini();
    return 0;
}

/* virtio-rng-pci behind an i440FX: transitional 1af4:1005, modern-only 1af4:1044. */
static void test_pci_identity(void **state)
{
    Error *err = NULL;
    assert_non_null(virtio_rng_pci_device_type.name);
    assert_non_null(device_create_from_spec("virtio-rng-pci,addr=0x20", &err));
    assert_non_null(device_create_from_spec("virtio-rng-pci,addr=0x28,disable-legacy=on", &err));
    assert_int_equal(pci_cfg_in(0x20, 0x00, 4), 0x10051af4u);
    assert_int_equal(pci_cfg_in(0x28, 0x00, 4), 0x10441af4u);
    assert_int_equal(pci_cfg_in(0x20, 0x2e, 2), VIRTIO_ID_RNG);       /* subsystem */
    assert_int_equal(pci_cfg_in(0x20, 0x0a, 2), 0x00ff);              /* class */
}

#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)

int main(void)
{
    const struct CMUnitTest tests[] = {
        T(test_identity),
        T(test_entropy),
        T(test_readable_buffer_breaks_device),
        T(test_rate_limit),
        T(test_rng_random_file),
        T(test_rng_objects),
        T(test_device_rules),
        cmocka_unit_test_setup_teardown(test_pci_identity, pci_setup, pci_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
