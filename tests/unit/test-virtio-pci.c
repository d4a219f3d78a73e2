/* Unit tests of the virtio-pci transport with virtio-blk-pci behind an i440FX: the PCI
 * identity of transitional and modern-only devices, the vendor capability chain, a
 * request through the modern interface (common configuration, notify, ISR in BAR 4), the
 * same through the legacy I/O BAR (features, queue PFN, legacy ring layout), and BAR 4
 * reached through the PCI configuration access capability. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>
#include "hw/isa/isa.h"
#include "hw/pci/i440fx.h"
#include "hw/virtio/virtio-blk.h"
#include "hw/virtio/virtio-pci.h"
#include "system/drive.h"
#include "util/cutils.h"
#include "block-test-util.h"
#include "pc-test-util.h"

#define DEVFN PCI_DEVFN(4, 0)
#define IO_BAR 0xc000u
#define MEM_BAR 0xfe000000u
#define DESC 0x10000u
#define AVAIL 0x11000u
#define USED 0x12000u
#define HDR 0x20000u
#define DATA 0x21000u
#define STATUS 0x22000u
#define LEGACY_PFN 0x40u                    /* legacy ring at 0x40000 */

static MemoryRegion pci_mem;
static I440FXHost *host;
static char *disk;
static VirtIOPCIProxy *proxy;

static uint32_t cfg_read(int reg, unsigned size)
{
    io_out(0xcf8, 4, 0x80000000u | (DEVFN << 8) | (reg & 0xfc));
    return io_in(0xcfc + (reg & 3), size);
}

static void cfg_write(int reg, unsigned size, uint32_t val)
{
    io_out(0xcf8, 4, 0x80000000u | (DEVFN << 8) | (reg & 0xfc));
    io_out(0xcfc + (reg & 3), size, val);
}

static void create_blk(bool modern_only)
{
    Error *err = NULL;
    DeviceState *dev = device_create(virtio_blk_pci_device_type.name, host->bus->qbus, &err);
    assert_non_null(dev);
    assert_int_equal(device_set_prop_str(dev, "drive", "d0", &err), 0);
    assert_int_equal(device_set_prop_str(dev, "addr", "0x20", &err), 0);
    if (modern_only) {
        assert_int_equal(device_set_prop_str(dev, "disable-legacy", "on", &err), 0);
    }
    assert_int_equal(device_realize(dev, &err), 0);
    proxy = (VirtIOPCIProxy *)dev;
    proxy->vdev->dma_as = &pc_env.as_mem;           /* no machine in this test */
    cfg_write(0x10, 4, IO_BAR | 1);
    cfg_write(0x20, 4, MEM_BAR);
    cfg_write(0x04, 2, PCI_COMMAND_IO | PCI_COMMAND_MEMORY | PCI_COMMAND_MASTER);
}

static int setup(void **state)
{
    Error *err = NULL;
    pc_test_env_init(2 << 20);
    memory_region_init_container(&pci_mem, "pci", UINT64_MAX);
    memory_region_add_subregion(&pc_env.mem, 0, &pci_mem, -1);
    isa_bus_set_irqs(pc_env.lines);
    host = i440fx_create(&pc_env.mem, &pc_env.ram, &pci_mem, &pc_env.io, &err);
    assert_non_null(host);
    block_test_tmpdir_create("mimic-vpci");
    uint8_t sector[1024];
    memset(sector, 0x11, 512);
    memset(sector + 512, 0x22, 512);
    disk = block_test_write_file("disk.raw", sector, sizeof(sector));
    char *spec = xasprintf("file=%s,format=raw,if=none,id=d0", disk);
    assert_non_null(drive_new(spec, false, NULL, &err));
    free(spec);
    return 0;
}

static int teardown(void **state)
{
    block_aio_wait_all();
    qdev_destroy_all();
    drive_close_all();
    qdev_set_backend_resolver(PROP_DRIVE, NULL);
    memory_region_del_subregion(&pc_env.mem, &pci_mem);
    memory_region_destroy(&pci_mem);
    isa_bus_set_irqs(NULL);
    pc_test_env_fini();
    free(disk);
    return block_test_tmpdir_remove(0);
}

/* Walks the capability list: the offset of the vendor capability of cfg_type, or 0. */
static int find_cap(int type)
{
    for (int off = cfg_read(0x34, 1); off; off = cfg_read(off + 1, 1)) {
        if (cfg_read(off, 1) == 0x09 && cfg_read(off + 3, 1) == (uint32_t)type) {
            return off;
        }
    }
    return 0;
}

static void test_identity(void **state)
{
    create_blk(false);
    assert_int_equal(cfg_read(0, 4), 0x10011af4);
    assert_int_equal(cfg_read(0x08, 1), 0);                 /* revision: transitional */
    assert_int_equal(cfg_read(0x0a, 2), 0x0100);
    assert_int_equal(cfg_read(0x2c, 4), 0x00021af4);        /* subsystem: block */
    assert_int_equal(cfg_read(0x3d, 1), 1);                 /* INTA */
    assert_true(cfg_read(0x06, 2) & 0x10);                  /* capability list */
    static const uint32_t offsets[] = { 0, 0x0000, 0x3000, 0x1000, 0x2000 };
    for (int type = 1; type <= 4; type++) {
        int cap = find_cap(type);
        assert_true(cap >= 0x40);
        assert_int_equal(cfg_read(cap + 4, 1), VIRTIO_PCI_MODERN_BAR);
        assert_int_equal(cfg_read(cap + 8, 4), offsets[type]);
    }
    assert_int_equal(cfg_read(find_cap(2) + 16, 4), 4);     /* notify multiplier */
    assert_true(find_cap(5));
    assert_int_equal(cfg_read(0x10, 4) & 1, 1);             /* BAR0: I/O */
}

static void test_modern_only_identity(void **state)
{
    create_blk(true);
    assert_int_equal(cfg_read(0, 4), 0x10421af4);
    assert_int_equal(cfg_read(0x08, 1), 1);
    assert_int_equal(cfg_read(0x10, 4), 0);                 /* no legacy BAR */
}

static void put_desc(uint64_t table, unsigned i, uint64_t addr, uint32_t len, uint16_t flags,
                     uint16_t next)
{
    mmio_write(table + 16 * i, 8, addr);
    mmio_write(table + 16 * i + 8, 4, len);
    mmio_write(table + 16 * i + 12, 2, flags);
    mmio_write(table + 16 * i + 14, 2, next);
}

/* A read of sector 1 (512 bytes) as the only request of a fresh ring. */
static void queue_read(uint64_t desc, uint64_t avail)
{
    mmio_write(HDR, 4, VIRTIO_BLK_T_IN);
    mmio_write(HDR + 8, 8, 1);
    mmio_write(STATUS, 1, 0xee);
    put_desc(desc, 0, HDR, 16, 1, 1);
    put_desc(desc, 1, DATA, 512, 3, 2);
    put_desc(desc, 2, STATUS, 1, 2, 0);
    mmio_write(avail + 4, 2, 0);
    mmio_write(avail + 2, 2, 1);
}

static void check_read_done(uint64_t used)
{
    block_aio_wait_all();
    assert_int_equal(mmio_read(used + 2, 2), 1);
    assert_int_equal(mmio_read(used + 8, 4), 513);
    assert_int_equal(mmio_read(STATUS, 1), VIRTIO_BLK_S_OK);
    assert_int_equal(mmio_read(DATA, 4), 0x22222222);
    assert_int_equal(proxy->pci.irq_level, 1);
}

static void test_modern_request(void **state)
{
    create_blk(false);
    mmio_write(MEM_BAR + 0x14, 1, 0);                       /* reset */
    mmio_write(MEM_BAR + 0x14, 1, 3);
    mmio_write(MEM_BAR + 0x00, 4, 1);
    assert_int_equal(mmio_read(MEM_BAR + 0x04, 4) & 1, 1); /* VERSION_1 */
    mmio_write(MEM_BAR + 0x08, 4, 1);
    mmio_write(MEM_BAR + 0x0c, 4, 1);
    mmio_write(MEM_BAR + 0x14, 1, 3 | VIRTIO_CONFIG_S_FEATURES_OK);
    assert_true(mmio_read(MEM_BAR + 0x14, 1) & VIRTIO_CONFIG_S_FEATURES_OK);
    assert_int_equal(mmio_read(MEM_BAR + 0x12, 2), 1);      /* num_queues */
    assert_int_equal(mmio_read(MEM_BAR + 0x10, 2), 0xffff); /* no MSI-X vector */
    mmio_write(MEM_BAR + 0x16, 2, 0);
    assert_int_equal(mmio_read(MEM_BAR + 0x18, 2), 256);
    mmio_write(MEM_BAR + 0x18, 2, 8);
    mmio_write(MEM_BAR + 0x20, 4, DESC);
    mmio_write(MEM_BAR + 0x28, 4, AVAIL);
    mmio_write(MEM_BAR + 0x30, 4, USED);
    mmio_write(MEM_BAR + 0x1c, 2, 1);
    assert_int_equal(mmio_read(MEM_BAR + 0x2000, 4), 2);    /* capacity: 2 sectors */
    mmio_write(MEM_BAR + 0x14, 1, 3 | VIRTIO_CONFIG_S_FEATURES_OK | VIRTIO_CONFIG_S_DRIVER_OK);
    queue_read(DESC, AVAIL);
    mmio_write(MEM_BAR + 0x3000 + 4 * mmio_read(MEM_BAR + 0x1e, 2), 2, 0);   /* notify */
    check_read_done(USED);
    assert_int_equal(mmio_read(MEM_BAR + 0x1000, 1), VIRTIO_ISR_QUEUE);
    assert_int_equal(mmio_read(MEM_BAR + 0x1000, 1), 0);    /* read clears */
    assert_int_equal(proxy->pci.irq_level, 0);
}

static void test_legacy_request(void **state)
{
    create_blk(false);
    io_out(IO_BAR + 0x12, 1, 0);
    uint32_t features = io_in(IO_BAR + 0x00, 4);
    assert_true(features & (1u << VIRTIO_BLK_F_FLUSH));
    io_out(IO_BAR + 0x12, 1, 3);
    io_out(IO_BAR + 0x04, 4, 1u << VIRTIO_BLK_F_FLUSH);
    io_out(IO_BAR + 0x0e, 2, 0);
    assert_int_equal(io_in(IO_BAR + 0x0c, 2), 256);
    io_out(IO_BAR + 0x08, 4, LEGACY_PFN);
    io_out(IO_BAR + 0x12, 1, 3 | VIRTIO_CONFIG_S_DRIVER_OK);
    assert_int_equal(io_in(IO_BAR + 0x14, 4), 2);           /* capacity in legacy config */
    uint64_t desc = LEGACY_PFN * 4096ull, avail = desc + 16 * 256;
    uint64_t used = (avail + 4 + 2 * 256 + 2 + 4095) & ~4095ull;
    queue_read(desc, avail);
    io_out(IO_BAR + 0x10, 2, 0);
    check_read_done(used);
    assert_int_equal(io_in(IO_BAR + 0x13, 1), VIRTIO_ISR_QUEUE);
    assert_int_equal(proxy->pci.irq_level, 0);
    assert_true(proxy->vdev->legacy);
}

static void test_pci_cfg_window(void **state)
{
    create_blk(false);
    int cap = find_cap(5);
    mmio_write(MEM_BAR + 0x14, 1, 1);                       /* status ACKNOWLEDGE */
    cfg_write(cap + 4, 1, VIRTIO_PCI_MODERN_BAR);
    cfg_write(cap + 8, 4, 0x14);                            /* common cfg device_status */
    cfg_write(cap + 12, 4, 1);
    assert_int_equal(cfg_read(cap + 16, 1), 1);
    cfg_write(cap + 16, 1, 3);                              /* written through the window */
    assert_int_equal(mmio_read(MEM_BAR + 0x14, 1), 3);
    cfg_write(cap + 8, 4, 0x2000);                          /* device config: capacity */
    cfg_write(cap + 12, 4, 4);
    assert_int_equal(cfg_read(cap + 16, 4), 2);
    cfg_write(cap + 12, 4, 3);                              /* bad length: nothing happens */
    cfg_write(cap + 8, 4, 0x14);
    cfg_write(cap + 16, 4, 0);
    assert_int_equal(mmio_read(MEM_BAR + 0x14, 1), 3);
}

#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)

int main(void)
{
    const struct CMUnitTest tests[] = {
        T(test_identity), T(test_modern_only_identity), T(test_modern_request),
        T(test_legacy_request), T(test_pci_cfg_window),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
