/* Unit tests of the PCI core, the i440FX host bridge and the PIIX3: configuration
 * mechanism #1, BAR sizing and mapping (I/O, 32-bit, 64-bit, ROM) under the command
 * register, INTx routing through PIRQ route registers with INTx disable, PAM switching of
 * the BIOS area, "info pci", random configuration writes. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "hw/isa/isa.h"
#include "hw/pci/i440fx.h"
#include "pc-test-util.h"

/* A device with BAR0 I/O (32 bytes), BAR1 32-bit memory (4 KiB), BAR2-3 64-bit memory
 * (1 MiB, prefetchable) and interrupt pin A; every BAR reads back its offset. */
typedef struct TestPCIDev {
    PCIDevice parent_obj;
    MemoryRegion bar[3];
} TestPCIDev;

static uint64_t bar_read(void *opaque, hwaddr offset, unsigned size)
{
    return 0x1000 * (uintptr_t)opaque + offset;
}

static void bar_write(void *opaque, hwaddr offset, uint64_t value, unsigned size)
{
}

static const MemoryRegionOps bar_ops = { .read = bar_read, .write = bar_write };

static int testdev_realize(DeviceState *dev, Error **errp)
{
    TestPCIDev *t = DEVICE_CAST(TestPCIDev, dev);
    PCIDevice *d = &t->parent_obj;

    if (pci_device_init(d, 0x1234, 0x5678, 1, 0x0200, errp) < 0) {
        return -1;
    }
    memory_region_init_io(&t->bar[0], &bar_ops, (void *)1, "bar0", 32);
    memory_region_init_io(&t->bar[1], &bar_ops, (void *)2, "bar1", 4096);
    memory_region_init_io(&t->bar[2], &bar_ops, (void *)3, "bar2", 1 << 20);
    pci_register_bar(d, 0, PCI_BAR_IO, &t->bar[0]);
    pci_register_bar(d, 1, 0, &t->bar[1]);
    pci_register_bar(d, 2, PCI_BAR_MEM64 | PCI_BAR_PREFETCH, &t->bar[2]);
    d->config[PCI_INTERRUPT_PIN] = 1;
    return 0;
}

static void testdev_unrealize(DeviceState *dev)
{
    TestPCIDev *t = DEVICE_CAST(TestPCIDev, dev);

    pci_device_exit(&t->parent_obj);
    for (int i = 0; i < 3; i++) {
        memory_region_destroy(&t->bar[i]);
    }
}

static const DeviceType testdev_type = {
    .name = "test-pci-dev",
    .bus_type = BUS_TYPE_PCI,
    .instance_size = sizeof(TestPCIDev),
    .realize = testdev_realize,
    .unrealize = testdev_unrealize,
};
DEVICE_TYPE_REGISTER(testdev_type)

static MemoryRegion pci_mem, bios;
static I440FXHost *host;
static TestPCIDev *tdev;

static int setup(void **state)
{
    DeviceState *dev;

    pc_test_env_init(2 << 20);
    memory_region_init_container(&pci_mem, "pci", UINT64_MAX);
    memory_region_add_subregion(&pc_env.mem, 0, &pci_mem, -1);
    memory_region_init_rom(&bios, "bios", 0x20000);
    memset(memory_region_get_ram_ptr(&bios), 0xb1, 0x20000);
    memory_region_add_subregion(&pci_mem, 0xe0000, &bios, 0);
    memset(memory_region_get_ram_ptr(&pc_env.ram) + 0xf0000, 0x4a, 0x10000);
    isa_bus_set_irqs(pc_env.lines);
    Error *err = NULL;
    host = i440fx_create(&pc_env.mem, &pc_env.ram, &pci_mem, &pc_env.io, &err);
    if (!host) {
        fprintf(stderr, "%s\n", error_get_message(err));
    }
    assert_non_null(host);
    dev = device_create("test-pci-dev", host->bus->qbus, NULL);
    tdev = DEVICE_CAST(TestPCIDev, dev);
    tdev->parent_obj.devfn = PCI_DEVFN(3, 0);
    return device_realize(dev, NULL);
}

static int teardown(void **state)
{
    qdev_destroy_all();
    memory_region_del_subregion(&pci_mem, &bios);
    memory_region_destroy(&bios);
    memory_region_del_subregion(&pc_env.mem, &pci_mem);
    memory_region_destroy(&pci_mem);
    isa_bus_set_irqs(NULL);
    pc_test_env_fini();
    return 0;
}

static uint32_t cfg_read(int devfn, int reg, unsigned size)
{
    io_out(0xcf8, 4, 0x80000000u | (devfn << 8) | (reg & 0xfc));
    return io_in(0xcfc + (reg & 3), size);
}

static void cfg_write(int devfn, int reg, unsigned size, uint32_t val)
{
    io_out(0xcf8, 4, 0x80000000u | (devfn << 8) | (reg & 0xfc));
    io_out(0xcfc + (reg & 3), size, val);
}

static void test_config_ids(void **state)
{
    assert_int_equal(cfg_read(0, 0, 4), 0x12378086);
    assert_int_equal(cfg_read(8, 0, 4), 0x70008086);
    assert_int_equal(cfg_read(8, 0x0e, 1), 0x80);
    assert_int_equal(cfg_read(8, 0x0a, 2), 0x0601);
    assert_int_equal(cfg_read(PCI_DEVFN(3, 0), 2, 2), 0x5678);
    assert_int_equal(cfg_read(PCI_DEVFN(4, 0), 0, 4), 0xffffffff);
    assert_int_equal(cfg_read(PCI_DEVFN(4, 0), 0, 2), 0xffff);
    io_out(0xcf8, 4, 0x80010000u);          /* bus 1: nothing */
    assert_int_equal(io_in(0xcfc, 4), 0xffffffff);
    io_out(0xcf8, 4, 0x12345678);           /* enable bit clear */
    assert_int_equal(io_in(0xcf8, 4), 0x00345678);
    assert_int_equal(io_in(0xcfc, 4), 0xffffffff);
}

static void test_bar_sizing(void **state)
{
    int dev = PCI_DEVFN(3, 0);

    for (int reg = 0x10; reg <= 0x1c; reg += 4) {
        cfg_write(dev, reg, 4, 0xffffffff);
    }
    assert_int_equal(cfg_read(dev, 0x10, 4), 0xffffffe1);
    assert_int_equal(cfg_read(dev, 0x14, 4), 0xfffff000);
    assert_int_equal(cfg_read(dev, 0x18, 4), 0xfff0000c);
    assert_int_equal(cfg_read(dev, 0x1c, 4), 0xffffffff);
    cfg_write(dev, 0x20, 4, 0xffffffff);    /* no BAR 4 */
    assert_int_equal(cfg_read(dev, 0x20, 4), 0);
}

static void test_bar_mapping(void **state)
{
    int dev = PCI_DEVFN(3, 0);

    cfg_write(dev, 0x10, 4, 0xc000);
    cfg_write(dev, 0x14, 4, 0xfebf0000);
    cfg_write(dev, 0x18, 4, 0x00000000);
    cfg_write(dev, 0x1c, 4, 0x1);           /* 0x1_0000_0000 */
    assert_int_equal(io_in(0xc004, 1), 0xff);   /* decoding off */
    cfg_write(dev, 0x04, 2, PCI_COMMAND_IO | PCI_COMMAND_MEMORY);
    assert_int_equal(io_in(0xc004, 1), 0x04);   /* 0x1004 & 0xff */
    assert_int_equal(mmio_read(0xfebf0010, 4), 0x2010);
    assert_int_equal(mmio_read(0x100000020ull, 4), 0x3020);
    cfg_write(dev, 0x14, 4, 0xfebe0000);    /* move */
    assert_int_equal(mmio_read(0xfebf0010, 4), 0xffffffff);
    assert_int_equal(mmio_read(0xfebe0010, 4), 0x2010);
    cfg_write(dev, 0x04, 2, PCI_COMMAND_MEMORY);
    assert_int_equal(io_in(0xc004, 1), 0xff);
    cfg_write(dev, 0x10, 4, 0xfffffff1);    /* I/O BAR past 64 KiB: not decoded */
    cfg_write(dev, 0x04, 2, PCI_COMMAND_IO);
    assert_int_equal(tdev->parent_obj.regions[0].addr, PCI_BAR_UNMAPPED);
}

static void test_intx_routing(void **state)
{
    int dev = PCI_DEVFN(3, 0);

    pci_set_irq(&tdev->parent_obj, 1);      /* slot 3 INTA -> PIRQC, disabled route */
    assert_int_equal(cfg_read(dev, 0x06, 1) & PCI_STATUS_INTERRUPT, PCI_STATUS_INTERRUPT);
    assert_int_equal(pc_env.level[11], 0);
    cfg_write(8, 0x62, 1, 11);
    assert_int_equal(pc_env.level[11], 1);
    cfg_write(dev, 0x04, 2, PCI_COMMAND_INTX_DISABLE);
    assert_int_equal(pc_env.level[11], 0);
    cfg_write(dev, 0x04, 2, 0);
    assert_int_equal(pc_env.level[11], 1);
    cfg_write(8, 0x62, 1, 10);              /* re-routed */
    assert_int_equal(pc_env.level[11], 0);
    assert_int_equal(pc_env.level[10], 1);
    pci_set_irq(&tdev->parent_obj, 0);
    assert_int_equal(pc_env.level[10], 0);
    assert_int_equal(cfg_read(dev, 0x06, 1) & PCI_STATUS_INTERRUPT, 0);
}

static void test_pam(void **state)
{
    assert_int_equal(mmio_read(0xf0000, 1), 0xb1); /* reset: ROM side */
    cfg_write(0, 0x59, 1, 0x30);
    assert_int_equal(mmio_read(0xf0000, 1), 0x4a);
    mmio_write(0xf0000, 1, 0x77);
    assert_int_equal(mmio_read(0xf0000, 1), 0x77);
    assert_int_equal(mmio_read(0xe0000, 1), 0xb1); /* other segments unchanged */
    cfg_write(0, 0x5e, 1, 0x33);            /* 0xe0000-0xe7fff */
    assert_int_equal(mmio_read(0xe0000, 1), 0x00);
    assert_int_equal(mmio_read(0xe8000, 1), 0xb1);
    cfg_write(0, 0x59, 1, 0x00);
    assert_int_equal(mmio_read(0xf0000, 1), 0xb1);
    assert_int_equal(cfg_read(0, 0x59, 1), 0x00);
}

static void test_info_pci(void **state)
{
    char buf[2048] = "";
    FILE *f = fmemopen(buf, sizeof(buf), "w");

    cfg_write(PCI_DEVFN(3, 0), 0x10, 4, 0xc000);
    cfg_write(PCI_DEVFN(3, 0), 0x04, 2, PCI_COMMAND_IO);
    pci_print_info(host->bus, f);
    fclose(f);
    assert_non_null(strstr(buf, "  Bus  0, device   0, function 0:\n    Host bridge: PCI device "
                                "8086:1237\n"));
    assert_non_null(strstr(buf, "ISA bridge: PCI device 8086:7000"));
    assert_non_null(strstr(buf, "Ethernet controller: PCI device 1234:5678"));
    assert_non_null(strstr(buf, "      BAR0: I/O at 0xc000 [0xc01f].\n"));
    assert_non_null(strstr(buf, "IRQ 0, pin A"));
}

static void test_random_config(void **state)
{
    srand(440);
    for (int i = 0; i < 30000; i++) {
        int devfn = (rand() % 2) ? PCI_DEVFN(3, 0) : (rand() % 2) * 8;
        int reg = rand() % 256;
        unsigned size = 1u << (rand() % 3);
        if (devfn == 0 && reg >= 0x59 && reg < 0x60) {
            continue;                       /* keep the BIOS view for the reads below */
        }
        cfg_write(devfn, reg & ~(size - 1), size, rand());
        cfg_read(devfn, rand() % 256, 1);
        pci_set_irq(&tdev->parent_obj, rand() & 1);
    }
    io_out(0xcf8, 2, 0xffff);               /* narrow accesses to the address port */
    io_in(0xcfa, 2);
    assert_int_equal(mmio_read(0xf0000, 1), 0xb1);
}

#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)

int main(void)
{
    const struct CMUnitTest tests[] = {
        T(test_config_ids), T(test_bar_sizing), T(test_bar_mapping), T(test_intx_routing),
        T(test_pam), T(test_info_pci), T(test_random_config),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
