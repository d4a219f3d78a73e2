/* Unit tests of virtio-net-pci behind an i440FX: the PCI identity of the transitional
 * (1af4:1000) and modern-only (1af4:1041) device, class 0x0200, the MAC in the legacy
 * configuration at 0x14, and the header size on the legacy interface: 10 bytes without
 * MRG_RXBUF, 12 with it, for both transmit and receive. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>
#include "hw/isa/isa.h"
#include "hw/net/virtio-net.h"
#include "hw/pci/i440fx.h"
#include "hw/virtio/virtio-pci.h"
#include "util/cutils.h"
#include "net-test-util.h"
#include "pc-test-util.h"

#define DEVFN PCI_DEVFN(4, 0)
#define IO_BAR 0xc000u
#define MEM_BAR 0xfe000000u
#define RX_PFN 0x40u                        /* legacy rings: desc, avail, used 4 KiB up */
#define TX_PFN 0x50u
#define RX_BUF 0x60000u
#define TX_BUF 0x70000u
#define LEGACY_QSIZE 256

static MemoryRegion pci_mem;
static I440FXHost *host;
static VirtIOPCIProxy *proxy;

static NetTestBackend backend;

static void create_net(bool modern_only)
{
    Error *err = NULL;
    DeviceState *dev = device_create(virtio_net_pci_device_type.name, host->bus->qbus, &err);
    assert_non_null(dev);
    assert_int_equal(device_set_prop_str(dev, "netdev", "tb", &err), 0);
    assert_int_equal(device_set_prop_str(dev, "mac", "52:54:00:01:02:03", &err), 0);
    assert_int_equal(device_set_prop_str(dev, "addr", "0x20", &err), 0);
    if (modern_only) {
        assert_int_equal(device_set_prop_str(dev, "disable-legacy", "on", &err), 0);
    }
    assert_int_equal(device_realize(dev, &err), 0);
    proxy = (VirtIOPCIProxy *)dev;
    proxy->vdev->dma_as = &pc_env.as_mem;           /* no machine in this test */
    pci_cfg_out(DEVFN, 0x10, 4, IO_BAR | 1);
    pci_cfg_out(DEVFN, 0x20, 4, MEM_BAR);
    pci_cfg_out(DEVFN, 0x04, 2, PCI_COMMAND_IO | PCI_COMMAND_MEMORY | PCI_COMMAND_MASTER);
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
    net_test_backend_init(&backend, "tb");
    return 0;
}

static int teardown(void **state)
{
    qdev_destroy_all();
    net_cleanup_all();
    memory_region_del_subregion(&pc_env.mem, &pci_mem);
    memory_region_destroy(&pci_mem);
    isa_bus_set_irqs(NULL);
    pc_test_env_fini();
    return 0;
}

static void test_identity(void **state)
{
    create_net(false);
    assert_int_equal(pci_cfg_in(DEVFN, 0, 4), 0x10001af4);
    assert_int_equal(pci_cfg_in(DEVFN, 0x0a, 2), 0x0200);            /* Ethernet */
    assert_int_equal(pci_cfg_in(DEVFN, 0x2c, 4), 0x00011af4);        /* subsystem: network */
    assert_int_equal(io_in(IO_BAR + 0x14, 4), 0x01005452u);    /* 52:54:00:01 */
    assert_int_equal(io_in(IO_BAR + 0x18, 2), 0x0302);
}

static void test_modern_only_identity(void **state)
{
    create_net(true);
    assert_int_equal(pci_cfg_in(DEVFN, 0, 4), 0x10411af4);
    assert_int_equal(pci_cfg_in(DEVFN, 0x0a, 2), 0x0200);
}

static uint64_t ring_avail(uint32_t pfn) { return pfn * 4096ull + 16 * LEGACY_QSIZE; }
static uint64_t ring_used(uint32_t pfn) { return pfn * 4096ull + 0x2000; }

static void legacy_init(uint32_t features)
{
    io_out(IO_BAR + 0x12, 1, 0);
    io_out(IO_BAR + 0x12, 1, 3);
    io_out(IO_BAR + 0x04, 4, features);
    io_out(IO_BAR + 0x0e, 2, 0);
    io_out(IO_BAR + 0x08, 4, RX_PFN);
    io_out(IO_BAR + 0x0e, 2, 1);
    io_out(IO_BAR + 0x08, 4, TX_PFN);
    io_out(IO_BAR + 0x12, 1, 3 | VIRTIO_CONFIG_S_DRIVER_OK);
}

static void put_desc(uint32_t pfn, unsigned i, uint64_t addr, uint32_t len, uint16_t flags,
                     uint16_t next)
{
    uint64_t d = pfn * 4096ull + 16 * i;
    mmio_write(d, 8, addr);
    mmio_write(d + 8, 4, len);
    mmio_write(d + 12, 2, flags);
    mmio_write(d + 14, 2, next);
}

static void make_available(uint32_t pfn, uint16_t head, uint16_t idx)
{
    mmio_write(ring_avail(pfn) + 4 + 2 * ((idx - 1) % LEGACY_QSIZE), 2, head);
    mmio_write(ring_avail(pfn) + 2, 2, idx);
}

/* One frame each way with a header of hdr_len bytes. */
static void exchange(unsigned hdr_len, uint16_t n)
{
    uint8_t frame[64];
    for (unsigned i = 0; i < sizeof(frame); i++) {
        frame[i] = (uint8_t)(0x80 + i);
        mmio_write(TX_BUF + hdr_len + i, 1, frame[i]);
    }
    put_desc(TX_PFN, 0, TX_BUF, hdr_len + sizeof(frame), 0, 0);    /* any layout */
    make_available(TX_PFN, 0, n);
    io_out(IO_BAR + 0x10, 2, 1);
    assert_int_equal(backend.frames, n);
    assert_int_equal(backend.last_len, sizeof(frame));
    assert_memory_equal(backend.last, frame, sizeof(frame));
    put_desc(RX_PFN, 0, RX_BUF, 2048, 2, 0);
    make_available(RX_PFN, 0, n);
    io_out(IO_BAR + 0x10, 2, 0);
    net_send(&backend.nc, frame, sizeof(frame));
    assert_int_equal(mmio_read(ring_used(RX_PFN) + 2, 2), n);
    assert_int_equal(mmio_read(ring_used(RX_PFN) + 4 + 8 * (n - 1) + 4, 4),
                     hdr_len + sizeof(frame));
    assert_int_equal(mmio_read(RX_BUF + hdr_len, 1), 0x80);
}

static void test_legacy_header_sizes(void **state)
{
    create_net(false);
    legacy_init(1u << VIRTIO_NET_F_MAC);
    assert_true(proxy->vdev->legacy);
    exchange(VIRTIO_NET_HDR_LEGACY_SIZE, 1);                /* 10 bytes */
    legacy_init((1u << VIRTIO_NET_F_MAC) | (1u << VIRTIO_NET_F_MRG_RXBUF));
    memset(&backend.last, 0, sizeof(backend.last));
    backend.frames = 0;
    exchange(VIRTIO_NET_HDR_SIZE, 1);                       /* 12 with MRG_RXBUF */
    assert_int_equal(mmio_read(RX_BUF + 10, 2), 1);         /* num_buffers */
}

#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)

int main(void)
{
    const struct CMUnitTest tests[] = {
        T(test_identity), T(test_modern_only_identity), T(test_legacy_header_sizes),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
