/* virtio over MMIO (VIRTIO 1.2, "Virtio Over MMIO", version 2 register layout): one
 * transport per 0x200-byte window with one level interrupt line, each providing a
 * "virtio-bus" with room for one device (-device virtio-blk-device plugs into the first
 * free one). docs/virtio.md */
#ifndef HW_VIRTIO_VIRTIO_MMIO_H
#define HW_VIRTIO_VIRTIO_MMIO_H

#include <stdbool.h>
#include <stdint.h>
#include "hw/irq.h"
#include "hw/qdev.h"
#include "hw/virtio/virtio.h"

#define BUS_TYPE_VIRTIO "virtio-bus"
#define VIRTIO_MMIO_SIZE 0x200
#define VIRTIO_MMIO_MAGIC 0x74726976u       /* "virt" */
#define VIRTIO_MMIO_VENDOR 0x554d4551u      /* "QEMU", as QEMU's transports */

typedef struct VirtIOMMIO {
    DeviceState parent_obj;
    MemoryRegion iomem;
    uint64_t base;                  /* set by the board before realize */
    int index;                      /* names the bus "virtio-mmio-bus.INDEX" */
    IRQ irq;
    AddressSpace *dma_as;           /* guest memory for the rings */
    BusState *bus;
    VirtIODevice *vdev;             /* the plugged device, or NULL (DeviceID reads 0) */
    uint32_t device_features_sel;
    uint32_t driver_features_sel;
    uint32_t queue_sel;
} VirtIOMMIO;

/* Creates and realizes a transport at base with its interrupt line; NULL with *errp. */
VirtIOMMIO *virtio_mmio_create(uint64_t base, int index, IRQ irq, AddressSpace *dma_as,
                               Error **errp);

/* From the realize of a device on a virtio bus (virtio-blk-device): connects its model to
 * the transport above it. -1 with *errp if the bus is not a virtio-mmio transport's. */
int virtio_bus_plug(DeviceState *child, VirtIODevice *vdev, Error **errp);
/* From its unrealize. */
void virtio_bus_unplug(DeviceState *child);

extern const DeviceType virtio_mmio_device_type;

#endif
