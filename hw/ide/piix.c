/* Intel 82371SB PIIX3 IDE, PCI function 1 of the PIIX3 (datasheet 290550): two channels in
 * legacy (compatibility) mode at ports 0x1f0-0x1f7/0x3f6 on IRQ 14 and 0x170-0x177/0x376 on
 * IRQ 15, bus master DMA at BAR4 (16 ports), IDE timing registers 0x40-0x47 (decode enable
 * bits set at reset so a guest booted without firmware finds both channels on). */
#include <stdio.h>
#include <string.h>
#include "hw/ide/ide-dev.h"
#include "hw/ide/piix.h"
#include "hw/isa/isa.h"
#include "system/machine.h"
#include "util/cutils.h"

static const uint16_t piix_cmd_base[2] = { 0x1f0, 0x170 };
static const uint16_t piix_ctrl_base[2] = { 0x3f6, 0x376 };

/* ---- legacy command and control blocks ---------------------------------------------------- */

static uint64_t piix_cmd_read(void *opaque, hwaddr offset, unsigned size)
{
    IDEBus *bus = opaque;

    if (offset == 0) {
        return ide_data_read(bus, size);
    }
    return ide_ioport_read(bus, offset);
}

static void piix_cmd_write(void *opaque, hwaddr offset, uint64_t value, unsigned size)
{
    IDEBus *bus = opaque;

    if (offset == 0) {
        ide_data_write(bus, size, value);
    } else {
        ide_ioport_write(bus, offset, value & 0xff);
    }
}

static const MemoryRegionOps piix_cmd_ops = {
    .read = piix_cmd_read, .write = piix_cmd_write,
    .valid_min = 1, .valid_max = 4, .valid_unaligned = true,
};

static uint64_t piix_ctrl_read(void *opaque, hwaddr offset, unsigned size)
{
    return ide_status_read(opaque);
}

static void piix_ctrl_write(void *opaque, hwaddr offset, uint64_t value, unsigned size)
{
    ide_ctrl_write(opaque, value);
}

static const MemoryRegionOps piix_ctrl_ops = {
    .read = piix_ctrl_read, .write = piix_ctrl_write, .valid_min = 1, .valid_max = 1,
};

/* ---- bus master block (BAR4): channel 0 at 0-7, channel 1 at 8-15 ------------------------- */

static uint64_t piix_bm_read(void *opaque, hwaddr offset, unsigned size)
{
    PIIXIDEState *s = opaque;
    return bmdma_read(&s->bmdma[offset >> 3], offset & 7, size);
}

static void piix_bm_write(void *opaque, hwaddr offset, uint64_t value, unsigned size)
{
    PIIXIDEState *s = opaque;
    bmdma_write(&s->bmdma[offset >> 3], offset & 7, value);
}

static const MemoryRegionOps piix_bm_ops = {
    .read = piix_bm_read, .write = piix_bm_write,
    .valid_min = 1, .valid_max = 4, .impl_min = 1, .impl_max = 1,
};

/* ---- device ---------------------------------------------------------------------------- */

static void piix_ide_reset(DeviceState *dev)
{
    PIIXIDEState *s = DEVICE_CAST(PIIXIDEState, dev);
    uint8_t *cfg = s->parent_obj.config;

    pci_device_reset_common(&s->parent_obj);
    pci_set_long(cfg + 0x40, 0x80008000u);      /* IDETIM: both channels decode */
    pci_set_long(cfg + 0x44, 0);
    for (int i = 0; i < 2; i++) {
        ide_bus_reset(&s->bus[i]);
        bmdma_reset(&s->bmdma[i]);
    }
}

static int piix_ide_realize(DeviceState *dev, Error **errp)
{
    PIIXIDEState *s = DEVICE_CAST(PIIXIDEState, dev);
    PCIDevice *d = &s->parent_obj;
    Machine *machine = current_machine();
    AddressSpace *as = s->dma_as ? s->dma_as : machine ? &machine->as_memory : NULL;
    MemoryRegion *io = qdev_get_io_root(dev);

    if (pci_device_init(d, 0x8086, 0x7010, 0x00, 0x0101, errp) < 0) {
        return -1;
    }
    d->config[PCI_CLASS_PROG] = 0x80;           /* bus master, both channels legacy */
    memset(d->wmask + 0x40, 0xff, 8);
    for (int i = 0; i < 2; i++) {
        ide_bus_init(&s->bus[i], i, isa_get_irq(14 + i));
        bmdma_init(&s->bmdma[i], &s->bus[i], as);
        memory_region_init_io(&s->cmd_io[i], &piix_cmd_ops, &s->bus[i], "ide-cmd", 8);
        memory_region_init_io(&s->ctrl_io[i], &piix_ctrl_ops, &s->bus[i], "ide-ctrl", 1);
        memory_region_add_subregion(io, piix_cmd_base[i], &s->cmd_io[i], 0);
        memory_region_add_subregion(io, piix_ctrl_base[i], &s->ctrl_io[i], 0);
    }
    snprintf(s->of_path, sizeof(s->of_path), "/pci@i0cf8/ide@%x,%x", d->devfn >> 3,
             d->devfn & 7);
    for (int i = 0; i < 2 && i < dev->nr_child_buses; i++) {
        ide_qbus_register(dev->child_buses[i], &s->bus[i], s->of_path);
    }
    memory_region_init_io(&s->bm_io, &piix_bm_ops, s, "piix-bmdma", 16);
    pci_register_bar(d, 4, PCI_BAR_IO, &s->bm_io);
    piix_ide_reset(dev);
    return 0;
}

static void piix_ide_unrealize(DeviceState *dev)
{
    PIIXIDEState *s = DEVICE_CAST(PIIXIDEState, dev);
    MemoryRegion *io = qdev_get_io_root(dev);

    pci_device_exit(&s->parent_obj);
    for (int i = 0; i < dev->nr_child_buses; i++) {
        ide_qbus_unregister(dev->child_buses[i]);
    }
    for (int i = 0; i < 2; i++) {
        ide_bus_fini(&s->bus[i]);
        memory_region_del_subregion(io, &s->cmd_io[i]);
        memory_region_del_subregion(io, &s->ctrl_io[i]);
        memory_region_destroy(&s->cmd_io[i]);
        memory_region_destroy(&s->ctrl_io[i]);
    }
    memory_region_destroy(&s->bm_io);
}

static void piix_ide_instance_init(DeviceState *dev)
{
    qbus_create(BUS_TYPE_IDE, "ide.0", dev);
    qbus_create(BUS_TYPE_IDE, "ide.1", dev);
}

static const Property piix_ide_props[] = {
    DEFINE_PROP_INT_RANGE("addr", PCIDevice, devfn, PCI_DEVFN(1, 1), -1, 255),
    DEFINE_PROP_END,
};

static const DeviceType piix_ide_type = {
    .name = TYPE_PIIX3_IDE,
    .bus_type = BUS_TYPE_PCI,
    .instance_size = sizeof(PIIXIDEState),
    .description = "PIIX3 IDE controller (legacy ports, bus master DMA)",
    .instance_init = piix_ide_instance_init,
    .realize = piix_ide_realize,
    .unrealize = piix_ide_unrealize,
    .reset = piix_ide_reset,
    .props = piix_ide_props,
};
DEVICE_TYPE_REGISTER(piix_ide_type)

PIIXIDEState *piix3_ide_create(BusState *pci_bus, int devfn, AddressSpace *dma_as,
                               Error **errp)
{
    DeviceState *dev = device_create(TYPE_PIIX3_IDE, pci_bus, errp);
    PIIXIDEState *s;

    if (!dev) {
        return NULL;
    }
    s = DEVICE_CAST(PIIXIDEState, dev);
    s->parent_obj.devfn = devfn;
    s->dma_as = dma_as;
    if (device_realize(dev, errp) < 0) {
        device_destroy(dev);
        return NULL;
    }
    return s;
}
