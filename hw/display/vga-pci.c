/* The standard VGA as QEMU's "-vga std" (PCI 1234:1111, class 0300): the legacy window
 * at 0xa0000 and ports 0x3b0-0x3df, Bochs VBE at 0x1ce/0x1cf, the linear framebuffer on
 * BAR0 (prefetchable, the whole video memory), BAR2 with QEMU's MMIO copy of the VGA
 * ports (0x400) and VBE registers (0x500) that Linux's bochs-drm prefers, and the VGA BIOS
 * (SeaBIOS's vgabios-stdvga.bin) as the expansion ROM. */
#include <stdlib.h>
#include <string.h>
#include "hw/display/vga-pci.h"
#include "hw/pci/pci.h"
#include "system/timer.h"
#include "util/cutils.h"

static uint64_t vga_port_read(void *opaque, hwaddr offset, unsigned size)
{
    return vga_ioport_read(opaque, offset);
}

static void vga_port_write(void *opaque, hwaddr offset, uint64_t value, unsigned size)
{
    vga_ioport_write(opaque, offset, value);
}

static const MemoryRegionOps vga_port_ops = {
    .read = vga_port_read, .write = vga_port_write,
    .valid_min = 1, .valid_max = 2, .impl_min = 1, .impl_max = 1,
};

/* 0x1ce: index; 0x1cf (and 0x1d0, as QEMU on x86): data. 16-bit registers. */
static uint64_t vbe_port_read(void *opaque, hwaddr offset, unsigned size)
{
    return offset == 0 ? vbe_read_index(opaque) : vbe_read_data(opaque);
}

static void vbe_port_write(void *opaque, hwaddr offset, uint64_t value, unsigned size)
{
    if (offset == 0) {
        vbe_write_index(opaque, value);
    } else {
        vbe_write_data(opaque, value);
    }
}

static const MemoryRegionOps vbe_port_ops = {
    .read = vbe_port_read, .write = vbe_port_write,
    .valid_min = 1, .valid_max = 2, .valid_unaligned = true, .impl_unaligned = true,
};

static uint64_t vga_window_read(void *opaque, hwaddr offset, unsigned size)
{
    return vga_mem_readb(opaque, offset);
}

static void vga_window_write(void *opaque, hwaddr offset, uint64_t value, unsigned size)
{
    vga_mem_writeb(opaque, offset, value);
}

static const MemoryRegionOps vga_window_ops = {
    .read = vga_window_read, .write = vga_window_write,
    .valid_min = 1, .valid_max = 8, .valid_unaligned = true, .impl_min = 1, .impl_max = 1,
};

/* BAR2: 0x400-0x41f the ports 0x3c0-0x3df, 0x500-0x515 the VBE registers. */
static uint64_t vga_mmio_read(void *opaque, hwaddr offset, unsigned size)
{
    VGAState *s = opaque;

    if (offset >= 0x400 && offset < 0x420 && size == 1) {
        return vga_ioport_read(s, offset - 0x400 + 0x10);
    }
    if (offset >= 0x500 && offset < 0x500 + 2 * VBE_INDEX_NB && size == 2) {
        vbe_write_index(s, (offset - 0x500) / 2);
        return vbe_read_data(s);
    }
    return 0;
}

static void vga_mmio_write(void *opaque, hwaddr offset, uint64_t value, unsigned size)
{
    VGAState *s = opaque;

    if (offset >= 0x400 && offset < 0x420 && size == 1) {
        vga_ioport_write(s, offset - 0x400 + 0x10, value);
    } else if (offset >= 0x500 && offset < 0x500 + 2 * VBE_INDEX_NB && size == 2) {
        vbe_write_index(s, (offset - 0x500) / 2);
        vbe_write_data(s, value);
    }
}

static const MemoryRegionOps vga_mmio_ops = {
    .read = vga_mmio_read, .write = vga_mmio_write,
    .valid_min = 1, .valid_max = 4, .impl_min = 1, .impl_max = 2,
};

static void vga_pci_map_legacy(PCIVGAState *v)
{
    DeviceState *dev = DEVICE(&v->parent_obj);
    MemoryRegion *io = qdev_get_io_root(dev), *mem = qdev_get_mem_root(dev);

    memory_region_init_io(&v->ports, &vga_port_ops, &v->vga, "vga", 0x30);
    memory_region_init_io(&v->vbe_ports, &vbe_port_ops, &v->vga, "vbe", 3);
    memory_region_init_io(&v->window, &vga_window_ops, &v->vga, "vga-lowmem", 0x20000);
    memory_region_add_subregion(io, 0x3b0, &v->ports, 1);
    memory_region_add_subregion(io, 0x1ce, &v->vbe_ports, 1);
    /* above the RAM at 0xa0000 (the chipset sends this range to the bus) */
    memory_region_add_subregion(mem, 0xa0000, &v->window, 1);
}

static int vga_pci_realize(DeviceState *dev, Error **errp)
{
    PCIVGAState *v = DEVICE_CAST(PCIVGAState, dev);
    PCIDevice *d = &v->parent_obj;
    uint32_t mb = v->vgamem_mb;

    if (mb < 1 || mb > 256 || (mb & (mb - 1))) {
        error_setg(errp, "vgamem_mb=%u: expected a power of two from 1 to 256", mb);
        return -1;
    }
    if (pci_device_init(d, 0x1234, 0x1111, 0x02, 0x0300, errp) < 0) {
        return -1;
    }
    pci_set_word(d->config + PCI_SUBSYSTEM_VENDOR_ID, 0x1af4);
    pci_set_word(d->config + PCI_SUBSYSTEM_ID, 0x1100);
    if (pci_load_romfile(d, errp) < 0) {
        pci_device_exit(d);
        return -1;
    }
    memory_region_init_ram(&v->vram, "vga.vram", (uint64_t)mb << 20);
    v->vga.vram = memory_region_get_ram_ptr(&v->vram);
    memory_region_set_log(&v->vram, true);      /* the renderer redraws written pages */
    v->vga.vram_mr = &v->vram;
    vga_core_init(&v->vga, mb << 20);
    memory_region_init_io(&v->mmio, &vga_mmio_ops, &v->vga, "vga.mmio", 0x1000);
    pci_register_bar(d, 0, PCI_BAR_PREFETCH, &v->vram);
    pci_register_bar(d, 2, 0, &v->mmio);
    vga_pci_map_legacy(v);
    v->vga.blink_epoch = clock_get_ns(CLK_REALTIME);
    v->vga.con = graphic_console_new("VGA", &vga_hw_ops, &v->vga);
    vga_core_reset(&v->vga);
    return 0;
}

static void vga_pci_unrealize(DeviceState *dev)
{
    PCIVGAState *v = DEVICE_CAST(PCIVGAState, dev);

    memory_region_del_subregion(qdev_get_io_root(dev), &v->ports);
    memory_region_del_subregion(qdev_get_io_root(dev), &v->vbe_ports);
    memory_region_del_subregion(qdev_get_mem_root(dev), &v->window);
    pci_device_exit(&v->parent_obj);
    if (v->vga.con) {
        console_destroy(v->vga.con);
    }
    vga_core_free(&v->vga);
    MemoryRegion *regions[] = { &v->ports, &v->vbe_ports, &v->window, &v->mmio, &v->vram };
    for (size_t i = 0; i < ARRAY_SIZE(regions); i++) {
        memory_region_destroy(regions[i]);
    }
}

static void vga_pci_reset(DeviceState *dev)
{
    PCIVGAState *v = DEVICE_CAST(PCIVGAState, dev);

    pci_device_reset_common(&v->parent_obj);
    vga_core_reset(&v->vga);
}

PCIVGAState *vga_pci_create(BusState *pci_bus, int devfn, Error **errp)
{
    DeviceState *dev = device_create(TYPE_PCI_VGA, pci_bus, errp);

    if (!dev) {
        return NULL;
    }
    DEVICE_CAST(PCIVGAState, dev)->parent_obj.devfn = devfn;
    if (device_realize(dev, errp) < 0) {
        device_destroy(dev);
        return NULL;
    }
    return DEVICE_CAST(PCIVGAState, dev);
}

static const Property vga_pci_props[] = {
    DEFINE_PROP_UINT32("vgamem_mb", PCIVGAState, vgamem_mb, 16),
    DEFINE_PROP("romfile", PROP_STRING, PCIVGAState, parent_obj.romfile, char *,
                .defstr = "vgabios-stdvga.bin"),
    DEFINE_PROP_END,
};

static const DeviceType vga_pci_type = {
    .name = TYPE_PCI_VGA,
    .bus_type = BUS_TYPE_PCI,
    .instance_size = sizeof(PCIVGAState),
    .description = "Standard VGA with Bochs VBE extensions",
    .user_creatable = true,
    .realize = vga_pci_realize,
    .unrealize = vga_pci_unrealize,
    .reset = vga_pci_reset,
    .props = vga_pci_props,
};
DEVICE_TYPE_REGISTER(vga_pci_type)
