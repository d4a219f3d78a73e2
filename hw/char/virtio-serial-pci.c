/* -device virtio-serial-pci: the virtio console model (virtio-serial-bus.c) on the PCI
 * transport (virtio-pci.c), transitional as QEMU's (1af4:1003, legacy I/O BAR 0; modern
 * 1af4:1043 with disable-legacy=on), class 0x0780 (communication, other). */
#include "hw/virtio/virtio-pci.h"
#include "hw/virtio/virtio-serial.h"

#define PCI_CLASS_COMMUNICATION_OTHER 0x0780
#define VIRTIO_PCI_LEGACY_ID_CONSOLE 0x1003

typedef struct VirtIOSerialPCI {
    VirtIOPCIProxy proxy;                   /* first: its PCIDevice starts with the qdev */
    VirtIOSerial ser;
} VirtIOSerialPCI;

VirtIOSerial *virtio_serial_pci_model(DeviceState *dev)
{
    return &DEVICE_CAST(VirtIOSerialPCI, dev)->ser;
}

static void virtio_serial_pci_init(DeviceState *dev)
{
    virtio_serial_init_bus(virtio_serial_pci_model(dev), dev);
}

static int virtio_serial_pci_realize(DeviceState *dev, Error **errp)
{
    VirtIOSerialPCI *s = DEVICE_CAST(VirtIOSerialPCI, dev);
    if (virtio_serial_realize(&s->ser, errp) < 0) {
        return -1;
    }
    if (virtio_pci_realize(&s->proxy, &s->ser.vdev, PCI_CLASS_COMMUNICATION_OTHER,
                           VIRTIO_PCI_LEGACY_ID_CONSOLE, errp) < 0) {
        virtio_serial_unrealize(&s->ser);
        return -1;
    }
    return 0;
}

static void virtio_serial_pci_unrealize(DeviceState *dev)
{
    VirtIOSerialPCI *s = DEVICE_CAST(VirtIOSerialPCI, dev);
    virtio_pci_unrealize(&s->proxy);
    virtio_serial_unrealize(&s->ser);
}

static void virtio_serial_pci_reset(DeviceState *dev)
{
    virtio_pci_reset(&DEVICE_CAST(VirtIOSerialPCI, dev)->proxy);
}

static const Property virtio_serial_pci_props[] = {
    DEFINE_PROP_INT_RANGE("addr", VirtIOSerialPCI, proxy.pci.devfn, -1, -1, 255),
    DEFINE_PROP_BOOL("disable-legacy", VirtIOSerialPCI, proxy.disable_legacy, false),
    DEFINE_VIRTIO_SERIAL_PROPS(VirtIOSerialPCI, ser),
    DEFINE_PROP_END,
};

const DeviceType virtio_serial_pci_device_type = {
    .name = "virtio-serial-pci",
    .bus_type = BUS_TYPE_PCI,
    .instance_size = sizeof(VirtIOSerialPCI),
    .description = "virtio serial/console device (PCI, transitional)",
    .user_creatable = true,
    .instance_init = virtio_serial_pci_init,
    .realize = virtio_serial_pci_realize,
    .unrealize = virtio_serial_pci_unrealize,
    .reset = virtio_serial_pci_reset,
    .props = virtio_serial_pci_props,
};
DEVICE_TYPE_REGISTER(virtio_serial_pci_device_type)
