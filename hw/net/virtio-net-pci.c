/* -device virtio-net-pci: the virtio network model (virtio-net.c) on the PCI transport
 * (virtio-pci.c), transitional by default as QEMU's (1af4:1000 with the legacy I/O BAR 0
 * and the modern capabilities in BAR 4; disable-legacy=on: modern-only 1af4:1041), class
 * 0x0200 (Ethernet). docs/net.md */
#include <stdlib.h>
#include "hw/net/virtio-net.h"
#include "hw/virtio/virtio-pci.h"

#define PCI_CLASS_NETWORK_ETHERNET 0x0200
#define VIRTIO_PCI_LEGACY_ID_NET 0x1000

typedef struct VirtIONetPCI {
    VirtIOPCIProxy proxy;                   /* first: its PCIDevice starts with the qdev */
    VirtIONet net;
} VirtIONetPCI;

static int virtio_net_pci_realize(DeviceState *dev, Error **errp)
{
    VirtIONetPCI *s = DEVICE_CAST(VirtIONetPCI, dev);
    char *name = virtio_net_nic_name(dev);
    int ret = virtio_net_realize(&s->net, name, errp);
    free(name);
    if (ret < 0) {
        return -1;
    }
    if (virtio_pci_realize(&s->proxy, &s->net.vdev, PCI_CLASS_NETWORK_ETHERNET,
                           VIRTIO_PCI_LEGACY_ID_NET, errp) < 0) {
        virtio_net_unrealize(&s->net);
        return -1;
    }
    return 0;
}

static void virtio_net_pci_unrealize(DeviceState *dev)
{
    VirtIONetPCI *s = DEVICE_CAST(VirtIONetPCI, dev);
    virtio_pci_unrealize(&s->proxy);
    virtio_net_unrealize(&s->net);
}

static void virtio_net_pci_reset(DeviceState *dev)
{
    virtio_pci_reset(&DEVICE_CAST(VirtIONetPCI, dev)->proxy);
}

static const Property virtio_net_pci_props[] = {
    DEFINE_PROP_INT_RANGE("addr", VirtIONetPCI, proxy.pci.devfn, -1, -1, 255),
    DEFINE_PROP_BOOL("disable-legacy", VirtIONetPCI, proxy.disable_legacy, false),
    DEFINE_VIRTIO_NET_PROPS(VirtIONetPCI, net),
    DEFINE_PROP_END,
};

const DeviceType virtio_net_pci_device_type = {
    .name = "virtio-net-pci",
    .bus_type = BUS_TYPE_PCI,
    .instance_size = sizeof(VirtIONetPCI),
    .description = "virtio network device (PCI, transitional)",
    .user_creatable = true,
    .realize = virtio_net_pci_realize,
    .unrealize = virtio_net_pci_unrealize,
    .reset = virtio_net_pci_reset,
    .props = virtio_net_pci_props,
};
DEVICE_TYPE_REGISTER(virtio_net_pci_device_type)
