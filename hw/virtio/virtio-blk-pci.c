/* -device virtio-blk-pci: the virtio block model (virtio-blk.c) on the PCI transport
 * (virtio-pci.c), transitional by default (device 1af4:1001, legacy I/O BAR 0, modern
 * capabilities in BAR 4) as QEMU's; disable-legacy=on makes it modern-only (1af4:1042).
 * Also the -drive if=virtio disks of a PCI machine. */
#include "hw/virtio/virtio-blk.h"
#include "hw/virtio/virtio-pci.h"

#define PCI_CLASS_STORAGE_SCSI 0x0100       /* what QEMU reports for virtio-blk */
#define VIRTIO_PCI_LEGACY_ID_BLOCK 0x1001

typedef struct VirtIOBlkPCI {
    VirtIOPCIProxy proxy;                   /* first: its PCIDevice starts with the qdev */
    VirtIOBlock blk;
} VirtIOBlkPCI;

static int virtio_blk_pci_realize(DeviceState *dev, Error **errp)
{
    VirtIOBlkPCI *s = DEVICE_CAST(VirtIOBlkPCI, dev);
    if (virtio_blk_realize(&s->blk, dev, errp) < 0) {
        return -1;
    }
    if (virtio_pci_realize(&s->proxy, &s->blk.vdev, PCI_CLASS_STORAGE_SCSI,
                           VIRTIO_PCI_LEGACY_ID_BLOCK, errp) < 0) {
        virtio_blk_unrealize(&s->blk);
        return -1;
    }
    return 0;
}

static void virtio_blk_pci_unrealize(DeviceState *dev)
{
    VirtIOBlkPCI *s = DEVICE_CAST(VirtIOBlkPCI, dev);
    virtio_pci_unrealize(&s->proxy);
    virtio_blk_unrealize(&s->blk);
}

static void virtio_blk_pci_reset(DeviceState *dev)
{
    virtio_pci_reset(&DEVICE_CAST(VirtIOBlkPCI, dev)->proxy);
}

static const Property virtio_blk_pci_props[] = {
    DEFINE_PROP_INT_RANGE("addr", VirtIOBlkPCI, proxy.pci.devfn, -1, -1, 255),
    DEFINE_PROP_BOOL("disable-legacy", VirtIOBlkPCI, proxy.disable_legacy, false),
    DEFINE_VIRTIO_BLK_PROPS(VirtIOBlkPCI, blk),
    DEFINE_PROP_END,
};

const DeviceType virtio_blk_pci_device_type = {
    .name = "virtio-blk-pci",
    .bus_type = BUS_TYPE_PCI,
    .instance_size = sizeof(VirtIOBlkPCI),
    .description = "virtio block device (PCI, transitional)",
    .user_creatable = true,
    .realize = virtio_blk_pci_realize,
    .unrealize = virtio_blk_pci_unrealize,
    .reset = virtio_blk_pci_reset,
    .props = virtio_blk_pci_props,
};
DEVICE_TYPE_REGISTER(virtio_blk_pci_device_type)

int virtio_blk_pci_create_drives(BusState *pci_bus, Error **errp)
{
    return virtio_blk_create_for_drives(virtio_blk_pci_device_type.name, pci_bus, errp);
}
