/* isa-debugcon: the Bochs/QEMU debug console port. Every byte written to the port (default
 * 0xe9) goes to a chardev; a read returns the "readback" value (0xe9), which lets guests
 * detect the port. Same name, properties and behaviour as QEMU's device. */
#include "chardev/chardev.h"
#include "hw/qdev.h"

typedef struct DebugconState {
    DeviceState parent_obj;
    uint32_t iobase;
    uint32_t readback;
    Chardev *chr;
    CharFrontend fe;
    bool attached;
    MemoryRegion io;
} DebugconState;

static uint64_t debugcon_read(void *opaque, hwaddr offset, unsigned size)
{
    DebugconState *s = opaque;
    return s->readback;
}

static void debugcon_write(void *opaque, hwaddr offset, uint64_t value, unsigned size)
{
    DebugconState *s = opaque;
    uint8_t byte = (uint8_t)value;
    if (s->attached) {
        chardev_write(&s->fe, &byte, 1);
    }
}

static const MemoryRegionOps debugcon_ops = {
    .read = debugcon_read,
    .write = debugcon_write,
    .valid_min = 1,
    .valid_max = 4,
    .impl_min = 1,
    .impl_max = 1,
};

static int debugcon_realize(DeviceState *dev, Error **errp)
{
    DebugconState *s = DEVICE_CAST(DebugconState, dev);
    MemoryRegion *io = qdev_get_io_root(dev);
    if (!io) {
        error_setg(errp, "isa-debugcon: the machine has no port I/O space");
        return -1;
    }
    if (s->chr) {
        if (chardev_attach(&s->fe, s->chr, NULL, NULL, NULL, s, errp) < 0) {
            return -1;
        }
        s->attached = true;
    }
    memory_region_init_io(&s->io, &debugcon_ops, s, "isa-debugcon", 1);
    memory_region_add_subregion(io, s->iobase, &s->io, 0);
    return 0;
}

static void debugcon_unrealize(DeviceState *dev)
{
    DebugconState *s = DEVICE_CAST(DebugconState, dev);
    if (s->attached) {
        chardev_detach(&s->fe);
        s->attached = false;
    }
    if (s->io.parent) {
        memory_region_del_subregion(s->io.parent, &s->io);
    }
    memory_region_destroy(&s->io);
}

static const Property debugcon_props[] = {
    DEFINE_PROP_UINT32_RANGE("iobase", DebugconState, iobase, 0xe9, 0, 0xffff),
    DEFINE_PROP_UINT32_RANGE("readback", DebugconState, readback, 0xe9, 0, 0xff),
    DEFINE_PROP_CHARDEV("chardev", DebugconState, chr),
    DEFINE_PROP_END,
};

static const DeviceType debugcon_type = {
    .name = "isa-debugcon",
    .bus_type = BUS_TYPE_ISA,
    .instance_size = sizeof(DebugconState),
    .description = "ISA debug console (port 0xe9)",
    .user_creatable = true,
    .realize = debugcon_realize,
    .unrealize = debugcon_unrealize,
    .props = debugcon_props,
};
DEVICE_TYPE_REGISTER(debugcon_type)
