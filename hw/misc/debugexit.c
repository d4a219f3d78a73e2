/* isa-debug-exit: writing V to the port (iobase, default 0x501, iosize bytes wide) ends the
 * emulator with exit status (V << 1) | 1, as QEMU's device of this name does; test
 * programs report pass/fail through it. Reads return 0xff..ff (no register). */
#include <stdlib.h>
#include "hw/qdev.h"
#include "util/log.h"

typedef struct DebugExitState {
    DeviceState parent_obj;
    uint32_t iobase;
    uint32_t iosize;
    MemoryRegion io;
} DebugExitState;

static uint64_t debugexit_read(void *opaque, hwaddr offset, unsigned size)
{
    return ~0ull;
}

static void debugexit_write(void *opaque, hwaddr offset, uint64_t value, unsigned size)
{
    log_flush();
    fflush(stdout);
    exit((int)((value << 1) | 1));
}

static const MemoryRegionOps debugexit_ops = {
    .read = debugexit_read,
    .write = debugexit_write,
    .valid_min = 1,
    .valid_max = 4,
    .impl_min = 1,
    .impl_max = 4,
};

static int debugexit_realize(DeviceState *dev, Error **errp)
{
    DebugExitState *s = DEVICE_CAST(DebugExitState, dev);
    MemoryRegion *io = qdev_get_io_root(dev);
    if (!io) {
        error_setg(errp, "isa-debug-exit: the machine has no port I/O space");
        return -1;
    }
    if (s->iobase + s->iosize > 0x10000) {
        error_setg(errp, "isa-debug-exit: iobase %#x + iosize %u is beyond port 0xffff",
                   s->iobase, s->iosize);
        return -1;
    }
    memory_region_init_io(&s->io, &debugexit_ops, s, "isa-debug-exit", s->iosize);
    memory_region_add_subregion(io, s->iobase, &s->io, 0);
    return 0;
}

static void debugexit_unrealize(DeviceState *dev)
{
    DebugExitState *s = DEVICE_CAST(DebugExitState, dev);
    if (s->io.parent) {
        memory_region_del_subregion(s->io.parent, &s->io);
    }
    memory_region_destroy(&s->io);
}

static const Property debugexit_props[] = {
    DEFINE_PROP_UINT32_RANGE("iobase", DebugExitState, iobase, 0x501, 0, 0xffff),
    DEFINE_PROP_UINT32_RANGE("iosize", DebugExitState, iosize, 2, 1, 4),
    DEFINE_PROP_END,
};

static const DeviceType debugexit_type = {
    .name = "isa-debug-exit",
    .bus_type = BUS_TYPE_ISA,
    .instance_size = sizeof(DebugExitState),
    .description = "ISA debug exit port: writing V exits with status (V << 1) | 1",
    .user_creatable = true,
    .realize = debugexit_realize,
    .unrealize = debugexit_unrealize,
    .props = debugexit_props,
};
DEVICE_TYPE_REGISTER(debugexit_type)
