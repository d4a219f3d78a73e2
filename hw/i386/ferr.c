/* FERR# to IRQ 13 on the PC/AT (IBM PC AT Technical Reference, "Math Coprocessor"; kept by
 * every PC chipset, e.g. PIIX3 datasheet "FERR#/IGNNE#" and port F0h): the CPU signals an
 * unmasked x87 exception with CR0.NE = 0 on FERR#, which raises IRQ 13 and stays latched
 * until software writes any value to port F0h. IGNNE# (which lets the CPU go on while the
 * latch is cleared) is not modelled: the CPU side already goes on after signalling. */
#include "hw/i386/ferr.h"

static uint64_t ferr_read(void *opaque, hwaddr offset, unsigned size)
{
    return 0xff;                /* write-only */
}

static void ferr_write(void *opaque, hwaddr offset, uint64_t value, unsigned size)
{
    FerrState *s = opaque;

    s->asserted = false;
    irq_set(s->irq, 0);
}

static const MemoryRegionOps ferr_ops = {
    .read = ferr_read, .write = ferr_write, .valid_min = 1, .valid_max = 1,
};

void ferr_raise(FerrState *s)
{
    s->asserted = true;
    irq_set(s->irq, 1);
}

static void ferr_reset(DeviceState *dev)
{
    FerrState *s = DEVICE_CAST(FerrState, dev);

    s->asserted = false;
    irq_set(s->irq, 0);
}

static int ferr_realize(DeviceState *dev, Error **errp)
{
    FerrState *s = DEVICE_CAST(FerrState, dev);
    MemoryRegion *io = qdev_get_io_root(dev);

    if (!io) {
        error_setg(errp, "no port I/O space on this machine");
        return -1;
    }
    memory_region_init_io(&s->io, &ferr_ops, s, "ferr", 1);
    memory_region_add_subregion(io, 0xf0, &s->io, 0);
    return 0;
}

static void ferr_unrealize(DeviceState *dev)
{
    FerrState *s = DEVICE_CAST(FerrState, dev);

    memory_region_del_subregion(qdev_get_io_root(dev), &s->io);
    memory_region_destroy(&s->io);
}

FerrState *ferr_create(BusState *bus, IRQ irq13, Error **errp)
{
    DeviceState *dev = device_create(TYPE_FERR, bus, errp);

    if (!dev) {
        return NULL;
    }
    DEVICE_CAST(FerrState, dev)->irq = irq13;
    if (device_realize(dev, errp) < 0) {
        device_destroy(dev);
        return NULL;
    }
    return DEVICE_CAST(FerrState, dev);
}

static const VMStateField ferr_vmstate[] = {
    VMSTATE_BOOL(asserted, FerrState),
    VMSTATE_END,
};

static const DeviceType ferr_type = {
    .name = TYPE_FERR,
    .bus_type = BUS_TYPE_ISA,
    .instance_size = sizeof(FerrState),
    .description = "FERR# latch: IRQ 13, cleared through port 0xf0",
    .realize = ferr_realize,
    .unrealize = ferr_unrealize,
    .reset = ferr_reset,
    .vmstate = ferr_vmstate,
};
DEVICE_TYPE_REGISTER(ferr_type)
