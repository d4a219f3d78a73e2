/* The ports of a virtio-serial device (VIRTIO 1.2 section 5.3.6): -device virtconsole
 * (a console port: Linux's hvc) and -device virtserialport (Linux's /dev/vportNpM and,
 * with name=, /sys/class/virtio-ports/vportNpM/name), each joined to a chardev. Input is
 * read from the chardev only while the guest has receive buffers posted; a virtserialport
 * tells the guest when its chardev opens or closes, a console is always connected. */
#include <string.h>
#include "hw/virtio/virtio-serial.h"

static VirtIOSerialPort *to_port(DeviceState *dev)
{
    return DEVICE_CAST(VirtIOSerialPort, dev);
}

static int port_can_read(void *opaque)
{
    return virtio_serial_port_can_read(opaque);
}

static void port_read(void *opaque, const uint8_t *buf, int len)
{
    VirtIOSerialPort *port = opaque;
    unsigned room = sizeof(port->input) - port->input_len;
    unsigned n = len < 0 ? 0 : (unsigned)len < room ? (unsigned)len : room;
    memcpy(port->input + port->input_len, buf, n);
    port->input_len += n;
    virtio_serial_port_flush_input(port);
}

static void port_event(void *opaque, ChardevEvent event)
{
    VirtIOSerialPort *port = opaque;
    if (port->is_console) {
        return;
    }
    if (event == CHR_EVENT_OPENED || event == CHR_EVENT_CLOSED) {
        virtio_serial_port_set_host_connected(port, event == CHR_EVENT_OPENED);
    }
}

static int port_realize(DeviceState *dev, Error **errp)
{
    VirtIOSerialPort *port = to_port(dev);
    VirtIOSerial *s = virtio_serial_from_bus(dev->parent_bus);

    port->is_console = !strcmp(dev->type->name, "virtconsole");
    port->host_connected = port->is_console;
    if (!s) {
        error_setg(errp, "not on a virtio-serial bus");
        return -1;
    }
    if (virtio_serial_port_plug(s, port, errp) < 0) {
        return -1;
    }
    if (port->chr && chardev_attach(&port->fe, port->chr, port_can_read, port_read,
                                    port_event, port, errp) < 0) {
        virtio_serial_port_unplug(port);
        return -1;
    }
    port->attached = port->chr != NULL;
    return 0;
}

static void port_unrealize(DeviceState *dev)
{
    VirtIOSerialPort *port = to_port(dev);
    if (port->attached) {
        chardev_detach(&port->fe);
        port->attached = false;
    }
    virtio_serial_port_unplug(port);
}

static const Property port_props[] = {
    DEFINE_PROP_CHARDEV("chardev", VirtIOSerialPort, chr),
    DEFINE_PROP_STRING("name", VirtIOSerialPort, name),
    DEFINE_PROP_UINT32("nr", VirtIOSerialPort, nr, VIRTIO_CONSOLE_BAD_ID),
    DEFINE_PROP_END,
};

const DeviceType virtconsole_device_type = {
    .name = "virtconsole",
    .bus_type = BUS_TYPE_VIRTIO_SERIAL,
    .instance_size = sizeof(VirtIOSerialPort),
    .description = "virtio console port (Linux: hvc), on a virtio-serial device",
    .user_creatable = true,
    .realize = port_realize,
    .unrealize = port_unrealize,
    .props = port_props,
};
DEVICE_TYPE_REGISTER(virtconsole_device_type)

const DeviceType virtserialport_device_type = {
    .name = "virtserialport",
    .bus_type = BUS_TYPE_VIRTIO_SERIAL,
    .instance_size = sizeof(VirtIOSerialPort),
    .description = "virtio serial port (Linux: /dev/vportNpM), on a virtio-serial device",
    .user_creatable = true,
    .realize = port_realize,
    .unrealize = port_unrealize,
    .props = port_props,
};
DEVICE_TYPE_REGISTER(virtserialport_device_type)
