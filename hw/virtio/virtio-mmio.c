/* The virtio-mmio transport (VIRTIO 1.2, "Virtio Over MMIO", the version 2 ("modern")
 * register layout that Linux's virtio_mmio and U-Boot drive): magic, version, IDs,
 * 32-bit feature windows, queue programming with 64-bit ring addresses, QueueReady,
 * QueueNotify, InterruptStatus/ACK, Status, ConfigGeneration and the device configuration
 * from 0x100. Registers take 32-bit accesses; the configuration space 1, 2 or 4 bytes. */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include "hw/virtio/virtio-mmio.h"
#include "util/cutils.h"
#include "util/log.h"

enum {
    MMIO_MAGIC = 0x000, MMIO_VERSION = 0x004, MMIO_DEVICE_ID = 0x008, MMIO_VENDOR_ID = 0x00c,
    MMIO_DEVICE_FEATURES = 0x010, MMIO_DEVICE_FEATURES_SEL = 0x014,
    MMIO_DRIVER_FEATURES = 0x020, MMIO_DRIVER_FEATURES_SEL = 0x024,
    MMIO_QUEUE_SEL = 0x030, MMIO_QUEUE_NUM_MAX = 0x034, MMIO_QUEUE_NUM = 0x038,
    MMIO_QUEUE_READY = 0x044, MMIO_QUEUE_NOTIFY = 0x050,
    MMIO_INTERRUPT_STATUS = 0x060, MMIO_INTERRUPT_ACK = 0x064, MMIO_STATUS = 0x070,
    MMIO_QUEUE_DESC_LOW = 0x080, MMIO_QUEUE_DESC_HIGH = 0x084,
    MMIO_QUEUE_DRIVER_LOW = 0x090, MMIO_QUEUE_DRIVER_HIGH = 0x094,
    MMIO_QUEUE_DEVICE_LOW = 0x0a0, MMIO_QUEUE_DEVICE_HIGH = 0x0a4,
    MMIO_SHM_SEL = 0x0ac, MMIO_SHM_LEN_LOW = 0x0b0, MMIO_SHM_LEN_HIGH = 0x0b4,
    MMIO_SHM_BASE_LOW = 0x0b8, MMIO_SHM_BASE_HIGH = 0x0bc,
    MMIO_CONFIG_GENERATION = 0x0fc, MMIO_CONFIG = 0x100,
};

#define MMIO_VERSION_MODERN 2

static void mmio_bad_access(VirtIOMMIO *t, const char *what, hwaddr offset, unsigned size)
{
    log_category_printf(LOG_GUEST_ERROR, "virtio-mmio@%" PRIx64 ": %s of %u bytes at 0x%03x\n",
                        t->base, what, size, (unsigned)offset);
}

static VirtQueue *mmio_queue(VirtIOMMIO *t)
{
    return virtio_get_queue(t->vdev, t->queue_sel);
}

static uint64_t mmio_read_queue(VirtIOMMIO *t, hwaddr offset)
{
    VirtQueue *vq = mmio_queue(t);
    switch (offset) {
    case MMIO_QUEUE_NUM_MAX: return vq ? vq->num_max : 0;
    case MMIO_QUEUE_READY: return vq && vq->ready;
    case MMIO_QUEUE_DESC_LOW: return vq ? (uint32_t)vq->desc : 0;
    case MMIO_QUEUE_DESC_HIGH: return vq ? vq->desc >> 32 : 0;
    case MMIO_QUEUE_DRIVER_LOW: return vq ? (uint32_t)vq->avail : 0;
    case MMIO_QUEUE_DRIVER_HIGH: return vq ? vq->avail >> 32 : 0;
    case MMIO_QUEUE_DEVICE_LOW: return vq ? (uint32_t)vq->used : 0;
    case MMIO_QUEUE_DEVICE_HIGH: return vq ? vq->used >> 32 : 0;
    default: return 0;
    }
}

static uint64_t mmio_read_reg(VirtIOMMIO *t, hwaddr offset)
{
    VirtIODevice *vdev = t->vdev;
    switch (offset) {
    case MMIO_MAGIC: return VIRTIO_MMIO_MAGIC;
    case MMIO_VERSION: return MMIO_VERSION_MODERN;
    case MMIO_DEVICE_ID: return vdev ? vdev->ops->device_id : 0;
    case MMIO_VENDOR_ID: return VIRTIO_MMIO_VENDOR;
    }
    if (!vdev) {
        return 0;
    }
    switch (offset) {
    case MMIO_DEVICE_FEATURES:
        return t->device_features_sel > 1 ? 0 :
               (uint32_t)(virtio_host_features(vdev) >> (32 * t->device_features_sel));
    case MMIO_INTERRUPT_STATUS: return vdev->isr;
    case MMIO_STATUS: return vdev->status;
    case MMIO_CONFIG_GENERATION: return vdev->config_generation;
    case MMIO_SHM_LEN_LOW: case MMIO_SHM_LEN_HIGH:
    case MMIO_SHM_BASE_LOW: case MMIO_SHM_BASE_HIGH:
        return UINT32_MAX;                      /* no shared memory regions */
    default: return mmio_read_queue(t, offset);
    }
}

static uint64_t virtio_mmio_read(void *opaque, hwaddr offset, unsigned size)
{
    VirtIOMMIO *t = opaque;
    if (offset >= MMIO_CONFIG) {
        return t->vdev ? virtio_config_read(t->vdev, offset - MMIO_CONFIG, size) : 0;
    }
    if (size != 4) {
        mmio_bad_access(t, "read", offset, size);
        return 0;
    }
    return mmio_read_reg(t, offset);
}

/* Sets half of a 64-bit ring address. */
static void set_half(uint64_t *addr, bool high, uint32_t value)
{
    *addr = high ? (*addr & 0xffffffffull) | ((uint64_t)value << 32)
                 : (*addr & ~0xffffffffull) | value;
}

static void mmio_write_queue(VirtIOMMIO *t, hwaddr offset, uint32_t value)
{
    VirtQueue *vq = mmio_queue(t);
    if (!vq) {
        mmio_bad_access(t, "write of a queue register with no queue selected", offset, 4);
        return;
    }
    switch (offset) {
    case MMIO_QUEUE_NUM: virtio_queue_set_num(vq, value); break;
    case MMIO_QUEUE_READY: vq->ready = value & 1; break;
    case MMIO_QUEUE_DESC_LOW: case MMIO_QUEUE_DESC_HIGH:
        set_half(&vq->desc, offset == MMIO_QUEUE_DESC_HIGH, value);
        break;
    case MMIO_QUEUE_DRIVER_LOW: case MMIO_QUEUE_DRIVER_HIGH:
        set_half(&vq->avail, offset == MMIO_QUEUE_DRIVER_HIGH, value);
        break;
    case MMIO_QUEUE_DEVICE_LOW: case MMIO_QUEUE_DEVICE_HIGH:
        set_half(&vq->used, offset == MMIO_QUEUE_DEVICE_HIGH, value);
        break;
    default: mmio_bad_access(t, "write of a read-only or unknown register", offset, 4);
    }
}

static void mmio_write_driver_features(VirtIOMMIO *t, uint32_t value)
{
    uint64_t f = t->vdev->guest_features;
    if (t->driver_features_sel > 1) {
        return;
    }
    set_half(&f, t->driver_features_sel == 1, value);
    virtio_set_guest_features(t->vdev, f);
}

static void mmio_write_status(VirtIOMMIO *t, uint32_t value)
{
    virtio_set_status(t->vdev, (uint8_t)value);
    if (value == 0) {
        t->device_features_sel = t->driver_features_sel = t->queue_sel = 0;
    }
}

static void mmio_write_reg(VirtIOMMIO *t, hwaddr offset, uint32_t value)
{
    switch (offset) {
    case MMIO_DEVICE_FEATURES_SEL: t->device_features_sel = value; break;
    case MMIO_DRIVER_FEATURES: mmio_write_driver_features(t, value); break;
    case MMIO_DRIVER_FEATURES_SEL: t->driver_features_sel = value; break;
    case MMIO_QUEUE_SEL: t->queue_sel = value; break;
    case MMIO_QUEUE_NOTIFY: virtio_queue_notify(t->vdev, value & 0xffff); break;
    case MMIO_INTERRUPT_ACK: virtio_isr_ack(t->vdev, (uint8_t)value); break;
    case MMIO_STATUS: mmio_write_status(t, value); break;
    case MMIO_SHM_SEL: break;
    default: mmio_write_queue(t, offset, value);
    }
}

static void virtio_mmio_write(void *opaque, hwaddr offset, uint64_t value, unsigned size)
{
    VirtIOMMIO *t = opaque;
    if (!t->vdev) {
        return;
    }
    if (offset >= MMIO_CONFIG) {
        virtio_config_write(t->vdev, offset - MMIO_CONFIG, size, (uint32_t)value);
    } else if (size != 4) {
        mmio_bad_access(t, "write", offset, size);
    } else {
        mmio_write_reg(t, offset, (uint32_t)value);
    }
}

static const MemoryRegionOps virtio_mmio_ops = {
    .read = virtio_mmio_read, .write = virtio_mmio_write, .valid_min = 1, .valid_max = 4,
};

static void virtio_mmio_update_irq(void *opaque)
{
    VirtIOMMIO *t = opaque;
    irq_set(t->irq, t->vdev && t->vdev->isr != 0);
}

static const VirtIOTransportOps virtio_mmio_transport = {
    .update_irq = virtio_mmio_update_irq,
};

/* ---- the bus and its one device ---- */

int virtio_bus_plug(DeviceState *child, VirtIODevice *vdev, Error **errp)
{
    BusState *bus = child->parent_bus;
    if (!bus || strcmp(bus->type, BUS_TYPE_VIRTIO) || !bus->parent ||
        bus->parent->type != &virtio_mmio_device_type) {
        error_setg(errp, "needs a virtio-mmio transport's bus");
        return -1;
    }
    VirtIOMMIO *t = DEVICE_CAST(VirtIOMMIO, bus->parent);
    t->vdev = vdev;
    virtio_bind_transport(vdev, &virtio_mmio_transport, t, t->dma_as);
    return 0;
}

void virtio_bus_unplug(DeviceState *child)
{
    BusState *bus = child->parent_bus;
    if (bus && bus->parent && bus->parent->type == &virtio_mmio_device_type) {
        VirtIOMMIO *t = DEVICE_CAST(VirtIOMMIO, bus->parent);
        t->vdev = NULL;
        irq_set(t->irq, 0);
    }
}

static void virtio_mmio_instance_init(DeviceState *dev)
{
    VirtIOMMIO *t = DEVICE_CAST(VirtIOMMIO, dev);
    t->index = -1;
}

static int virtio_mmio_realize(DeviceState *dev, Error **errp)
{
    VirtIOMMIO *t = DEVICE_CAST(VirtIOMMIO, dev);
    char name[32];
    snprintf(name, sizeof(name), "virtio-mmio-bus.%d", t->index);
    t->bus = qbus_create(BUS_TYPE_VIRTIO, name, dev);
    t->bus->max_children = 1;
    memory_region_init_io(&t->iomem, &virtio_mmio_ops, t, "virtio-mmio", VIRTIO_MMIO_SIZE);
    memory_region_add_subregion(qdev_get_mem_root(dev), t->base, &t->iomem, 0);
    return 0;
}

static void virtio_mmio_unrealize(DeviceState *dev)
{
    VirtIOMMIO *t = DEVICE_CAST(VirtIOMMIO, dev);
    memory_region_del_subregion(qdev_get_mem_root(dev), &t->iomem);
    memory_region_destroy(&t->iomem);
}

static void virtio_mmio_reset(DeviceState *dev)
{
    VirtIOMMIO *t = DEVICE_CAST(VirtIOMMIO, dev);
    t->device_features_sel = t->driver_features_sel = t->queue_sel = 0;
    if (t->vdev) {
        virtio_reset(t->vdev);
    }
}

VirtIOMMIO *virtio_mmio_create(uint64_t base, int index, IRQ irq, AddressSpace *dma_as,
                               Error **errp)
{
    DeviceState *dev = device_create(virtio_mmio_device_type.name, NULL, errp);
    if (!dev) {
        return NULL;
    }
    VirtIOMMIO *t = DEVICE_CAST(VirtIOMMIO, dev);
    t->base = base;
    t->index = index;
    t->irq = irq;
    t->dma_as = dma_as;
    if (device_realize(dev, errp) < 0) {
        device_destroy(dev);
        return NULL;
    }
    return t;
}

const DeviceType virtio_mmio_device_type = {
    .name = "virtio-mmio",
    .instance_size = sizeof(VirtIOMMIO),
    .description = "virtio-mmio transport (version 2)",
    .instance_init = virtio_mmio_instance_init,
    .realize = virtio_mmio_realize,
    .unrealize = virtio_mmio_unrealize,
    .reset = virtio_mmio_reset,
};
DEVICE_TYPE_REGISTER(virtio_mmio_device_type)
