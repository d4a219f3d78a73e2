/* System Control Port A at 0x92 (IBM PS/2, kept by every PC chipset): bit 1 gates A20,
 * writing bit 0 as 1 resets the processor ("fast reset"). */
#include "hw/i386/port92.h"
#include "system/runstate.h"
#include "util/log.h"

static uint64_t port92_read(void *opaque, hwaddr offset, unsigned size)
{
    Port92State *s = opaque;
    return s->value;
}

static void port92_write(void *opaque, hwaddr offset, uint64_t value, unsigned size)
{
    Port92State *s = opaque;

    s->value = value & ~1u;
    irq_set(s->a20_out, (value >> 1) & 1);
    if (value & 1) {
        log_category_printf(LOG_CPU_RESET, "reset through port 0x92\n");
        system_reset_request(SHUTDOWN_CAUSE_GUEST_RESET);
    }
}

static const MemoryRegionOps port92_ops = {
    .read = port92_read, .write = port92_write, .valid_min = 1, .valid_max = 1,
};

static void port92_reset(DeviceState *dev)
{
    DEVICE_CAST(Port92State, dev)->value = 0;
}

static int port92_realize(DeviceState *dev, Error **errp)
{
    Port92State *s = DEVICE_CAST(Port92State, dev);
    MemoryRegion *io = qdev_get_io_root(dev);

    if (!io) {
        error_setg(errp, "no port I/O space on this machine");
        return -1;
    }
    memory_region_init_io(&s->io, &port92_ops, s, "port92", 1);
    memory_region_add_subregion(io, 0x92, &s->io, 0);
    port92_reset(dev);
    return 0;
}

static void port92_unrealize(DeviceState *dev)
{
    Port92State *s = DEVICE_CAST(Port92State, dev);

    memory_region_del_subregion(qdev_get_io_root(dev), &s->io);
    memory_region_destroy(&s->io);
}

Port92State *port92_create(BusState *bus, IRQ a20, Error **errp)
{
    DeviceState *dev = device_create(TYPE_PORT92, bus, errp);

    if (!dev) {
        return NULL;
    }
    DEVICE_CAST(Port92State, dev)->a20_out = a20;
    if (device_realize(dev, errp) < 0) {
        device_destroy(dev);
        return NULL;
    }
    return DEVICE_CAST(Port92State, dev);
}

static const VMStateField port92_vmstate[] = {
    VMSTATE_UINT8(value, Port92State),
    VMSTATE_END,
};

static const DeviceType port92_type = {
    .name = TYPE_PORT92,
    .bus_type = BUS_TYPE_ISA,
    .instance_size = sizeof(Port92State),
    .description = "System Control Port A (A20, fast reset)",
    .realize = port92_realize,
    .unrealize = port92_unrealize,
    .reset = port92_reset,
    .vmstate = port92_vmstate,
};
DEVICE_TYPE_REGISTER(port92_type)
