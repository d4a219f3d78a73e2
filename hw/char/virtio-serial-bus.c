/* The virtio console device with multiport (VIRTIO 1.2 section 5.3; the handshake as
 * Linux's drivers/char/virtio_console.c drives it): queues 0/1 are port 0's receive and
 * transmit queues, 2/3 the control queues, then two per port. The driver's DEVICE_READY
 * is answered with DEVICE_ADD for every port, PORT_READY with CONSOLE_PORT, PORT_NAME and
 * PORT_OPEN; the guest's PORT_OPEN opens a port for host input. Control messages wait in
 * a list until the driver posts control receive buffers; chardev input waits in the
 * port's buffer until it posts receive buffers (the chardev is not read meanwhile).
 * Also the virtio-serial-device type that plugs into a virtio-mmio transport. */
#include <stdlib.h>
#include <string.h>
#include "hw/pci/pci.h"
#include "hw/virtio/virtio-mmio.h"
#include "hw/virtio/virtio-serial.h"
#include "util/cutils.h"
#include "util/log.h"

#define CTRL_RX_QUEUE 2
#define CTRL_TX_QUEUE 3
#define TX_CHUNK 4096
/* Control messages held for a driver that posts no control buffers: enough for every
 * port's handshake; a driver that keeps asking without reading loses the excess. */
#define CTRL_PENDING_MAX (8 * VIRTIO_SERIAL_MAX_PORTS)

struct VirtIOSerialCtrlMsg {
    VirtIOSerialCtrlMsg *next;
    uint32_t len;
    uint8_t data[];
};

static VirtIOSerial *to_ser(VirtIODevice *vdev)
{
    return (VirtIOSerial *)vdev;            /* vdev is the first member */
}

static unsigned port_rx_queue(uint32_t id)
{
    return id == 0 ? 0 : 2 * id + 2;
}

/* The port whose receive or transmit queue is queue n (n is not a control queue). */
static VirtIOSerialPort *port_of_queue(VirtIOSerial *s, unsigned n)
{
    uint32_t id = n < 2 ? 0 : n / 2 - 1;
    return id < s->max_nr_ports ? s->ports[id] : NULL;
}

static bool multiport(VirtIOSerial *s)
{
    return virtio_has_feature(&s->vdev, VIRTIO_CONSOLE_F_MULTIPORT);
}

static bool driver_ok(VirtIOSerial *s)
{
    return (s->vdev.status & VIRTIO_CONFIG_S_DRIVER_OK) && !s->vdev.broken;
}

/* ---- control messages to the driver ---- */

static void ctrl_flush(VirtIOSerial *s)
{
    VirtQueue *vq = &s->vdev.vq[CTRL_RX_QUEUE];
    VirtQueueElement *elem;
    bool pushed = false;

    if (!driver_ok(s) || !multiport(s)) {
        return;
    }
    while (s->ctrl_head && (elem = virtqueue_pop(vq, sizeof(*elem)))) {
        VirtIOSerialCtrlMsg *msg = s->ctrl_head;
        uint64_t n = virtio_elem_from_buf(&s->vdev, elem, 0, msg->data, msg->len);
        virtqueue_push(vq, elem, (uint32_t)n);
        free(elem);
        pushed = true;
        s->ctrl_head = msg->next;
        s->ctrl_pending--;
        free(msg);
    }
    if (!s->ctrl_head) {
        s->ctrl_tail = &s->ctrl_head;
    }
    if (pushed) {
        virtio_notify(&s->vdev, vq);
    }
}

static void ctrl_send(VirtIOSerial *s, uint32_t id, uint16_t event, uint16_t value,
                      const char *name)
{
    size_t name_len = name ? strlen(name) + 1 : 0;
    VirtIOSerialCtrlMsg *msg;

    if (s->ctrl_pending >= CTRL_PENDING_MAX) {
        log_category_printf(LOG_GUEST_ERROR, "virtio-serial: %u control messages wait for "
                            "buffers: event %u for port %u dropped\n", s->ctrl_pending, event,
                            id);
        return;
    }
    msg = xzalloc(sizeof(*msg) + VIRTIO_CONSOLE_CTRL_SIZE + name_len);
    s->ctrl_pending++;
    msg->len = (uint32_t)(VIRTIO_CONSOLE_CTRL_SIZE + name_len);
    pci_set_long(msg->data, id);
    pci_set_word(msg->data + 4, event);
    pci_set_word(msg->data + 6, value);
    if (name) {
        memcpy(msg->data + VIRTIO_CONSOLE_CTRL_SIZE, name, name_len);
    }
    *s->ctrl_tail = msg;
    s->ctrl_tail = &msg->next;
    ctrl_flush(s);
}

static void ctrl_drop_all(VirtIOSerial *s)
{
    while (s->ctrl_head) {
        VirtIOSerialCtrlMsg *msg = s->ctrl_head;
        s->ctrl_head = msg->next;
        free(msg);
    }
    s->ctrl_tail = &s->ctrl_head;
    s->ctrl_pending = 0;
}

static void ctrl_rx_kick(VirtIODevice *vdev, VirtQueue *vq)
{
    ctrl_flush(to_ser(vdev));
}

/* ---- control messages from the driver ---- */

static void port_ready(VirtIOSerial *s, VirtIOSerialPort *port, uint16_t value)
{
    uint32_t id = port->nr;
    if (!value) {
        log_category_printf(LOG_GUEST_ERROR, "virtio-serial: the guest could not add port %u\n",
                            id);
        return;
    }
    if (port->is_console) {
        ctrl_send(s, id, VIRTIO_CONSOLE_CONSOLE_PORT, 1, NULL);
    }
    if (port->name) {
        ctrl_send(s, id, VIRTIO_CONSOLE_PORT_NAME, 1, port->name);
    }
    if (port->host_connected) {
        ctrl_send(s, id, VIRTIO_CONSOLE_PORT_OPEN, 1, NULL);
    }
}

static void device_ready(VirtIOSerial *s, uint16_t value)
{
    if (!value) {
        log_category_printf(LOG_GUEST_ERROR, "virtio-serial: the guest driver failed\n");
        return;
    }
    s->driver_ready = true;
    for (uint32_t id = 0; id < s->max_nr_ports; id++) {
        if (s->ports[id]) {
            ctrl_send(s, id, VIRTIO_CONSOLE_DEVICE_ADD, 1, NULL);
        }
    }
}

static void ctrl_handle(VirtIOSerial *s, uint32_t id, uint16_t event, uint16_t value)
{
    VirtIOSerialPort *port = id < s->max_nr_ports ? s->ports[id] : NULL;

    if (event == VIRTIO_CONSOLE_DEVICE_READY) {
        device_ready(s, value);
        return;
    }
    if (!port) {
        log_category_printf(LOG_GUEST_ERROR, "virtio-serial: control event %u for port %u, "
                            "which does not exist\n", event, id);
        return;
    }
    switch (event) {
    case VIRTIO_CONSOLE_PORT_READY:
        port_ready(s, port, value);
        break;
    case VIRTIO_CONSOLE_PORT_OPEN:
        port->guest_connected = value != 0;
        if (port->guest_connected && virtio_serial_port_flush_input(port) && port->attached) {
            chardev_accept_input(&port->fe);
        }
        break;
    default:
        log_category_printf(LOG_GUEST_ERROR, "virtio-serial: unknown control event %u "
                            "(port %u)\n", event, id);
    }
}

static void ctrl_tx_kick(VirtIODevice *vdev, VirtQueue *vq)
{
    VirtIOSerial *s = to_ser(vdev);
    VirtQueueElement *elem;
    uint8_t msg[VIRTIO_CONSOLE_CTRL_SIZE];

    while ((elem = virtqueue_pop(vq, sizeof(*elem)))) {
        if (virtio_elem_to_buf(vdev, elem, 0, msg, sizeof(msg)) < sizeof(msg)) {
            log_category_printf(LOG_GUEST_ERROR, "virtio-serial: control message of %llu "
                                "bytes\n", (unsigned long long)elem->out_len);
        } else {
            ctrl_handle(s, pci_get_long(msg), pci_get_word(msg + 4), pci_get_word(msg + 6));
        }
        virtqueue_push(vq, elem, 0);
        free(elem);
    }
    virtio_notify(vdev, vq);
}

/* ---- port data ---- */

/* Host input may go to the port: the driver runs and opened it (without multiport,
 * port 0 is open as soon as the driver is). */
static bool port_guest_open(VirtIOSerialPort *port)
{
    VirtIOSerial *s = port->ser;
    return s && s->realized && driver_ok(s) && (multiport(s) ? port->guest_connected :
                                                port->nr == 0);
}

bool virtio_serial_port_flush_input(VirtIOSerialPort *port)
{
    VirtIOSerial *s = port->ser;
    VirtQueue *vq;
    VirtQueueElement *elem;
    bool pushed = false;

    if (!port_guest_open(port)) {
        return false;
    }
    vq = &s->vdev.vq[port_rx_queue(port->nr)];
    while (port->input_len && (elem = virtqueue_pop(vq, sizeof(*elem)))) {
        if (!elem->in_len) {
            virtio_error(&s->vdev, "receive buffer %u of port %u is not writable", elem->index,
                         port->nr);
            free(elem);
            return false;
        }
        uint32_t n = (uint32_t)virtio_elem_from_buf(&s->vdev, elem, 0, port->input,
                                                    port->input_len);
        memmove(port->input, port->input + n, port->input_len - n);
        port->input_len -= n;
        virtqueue_push(vq, elem, n);
        free(elem);
        pushed = true;
    }
    if (pushed) {
        virtio_notify(&s->vdev, vq);
    }
    return virtio_serial_port_can_read(port) > 0;
}

int virtio_serial_port_can_read(VirtIOSerialPort *port)
{
    VirtIOSerial *s = port->ser;
    if (!port_guest_open(port) || virtio_queue_empty(&s->vdev.vq[port_rx_queue(port->nr)])) {
        return 0;
    }
    return (int)(sizeof(port->input) - port->input_len);
}

static void port_rx_kick(VirtIODevice *vdev, VirtQueue *vq)
{
    VirtIOSerialPort *port = port_of_queue(to_ser(vdev), vq->queue_index);
    if (port && virtio_serial_port_flush_input(port) && port->attached) {
        chardev_accept_input(&port->fe);
    }
}

/* Guest output: to the chardev, or dropped when the port has none. */
static void port_output(VirtIOSerial *s, VirtIOSerialPort *port, VirtQueueElement *elem)
{
    uint8_t buf[TX_CHUNK];
    for (uint64_t off = 0; off < elem->out_len; off += sizeof(buf)) {
        uint64_t n = virtio_elem_to_buf(&s->vdev, elem, off, buf, sizeof(buf));
        if (port && port->attached) {
            chardev_write(&port->fe, buf, (int)n);
        }
    }
}

static void port_tx_kick(VirtIODevice *vdev, VirtQueue *vq)
{
    VirtIOSerial *s = to_ser(vdev);
    VirtIOSerialPort *port = port_of_queue(s, vq->queue_index);
    VirtQueueElement *elem;
    do {
        virtio_queue_set_notification(vq, false);
        while ((elem = virtqueue_pop(vq, sizeof(*elem)))) {
            port_output(s, port, elem);
            virtqueue_push(vq, elem, 0);
            free(elem);
        }
        virtio_queue_set_notification(vq, true);
        virtio_notify(vdev, vq);
    } while (!vdev->broken && !virtio_queue_empty(vq));
}

/* ---- ports plugging in ---- */

static int port_pick_id(VirtIOSerial *s, VirtIOSerialPort *port, Error **errp)
{
    if (port->nr == VIRTIO_CONSOLE_BAD_ID) {
        uint32_t id = port->is_console && !s->ports[0] ? 0 : 1;
        while (id < s->max_nr_ports && s->ports[id]) {
            id++;
        }
        if (id >= s->max_nr_ports) {
            error_setg(errp, "no free port number (max_nr_ports %u)", s->max_nr_ports);
            return -1;
        }
        port->nr = id;
    } else if (port->nr == 0 && !port->is_console) {
        error_setg(errp, "port number 0 is reserved for virtconsole devices");
        return -1;
    } else if (port->nr >= s->max_nr_ports) {
        error_setg(errp, "port number %u out of range (max_nr_ports %u)", port->nr,
                   s->max_nr_ports);
        return -1;
    } else if (s->ports[port->nr]) {
        error_setg(errp, "port number %u is already in use", port->nr);
        return -1;
    }
    return 0;
}

static bool name_taken(VirtIOSerial *s, const char *name)
{
    for (uint32_t id = 0; name && id < s->max_nr_ports; id++) {
        if (s->ports[id] && s->ports[id]->name && !strcmp(s->ports[id]->name, name)) {
            return true;
        }
    }
    return false;
}

int virtio_serial_port_plug(VirtIOSerial *s, VirtIOSerialPort *port, Error **errp)
{
    if (!s->realized) {
        error_setg(errp, "its virtio-serial device is not realized yet");
        return -1;
    }
    if (name_taken(s, port->name)) {
        error_setg(errp, "a port named '%s' already exists", port->name);
        return -1;
    }
    if (port_pick_id(s, port, errp) < 0) {
        return -1;
    }
    port->ser = s;
    s->ports[port->nr] = port;
    if (s->driver_ready) {
        ctrl_send(s, port->nr, VIRTIO_CONSOLE_DEVICE_ADD, 1, NULL);
    }
    return 0;
}

void virtio_serial_port_unplug(VirtIOSerialPort *port)
{
    VirtIOSerial *s = port->ser;
    if (!s) {
        return;
    }
    if (s->driver_ready) {
        ctrl_send(s, port->nr, VIRTIO_CONSOLE_DEVICE_REMOVE, 1, NULL);
    }
    s->ports[port->nr] = NULL;
    port->ser = NULL;
}

void virtio_serial_port_set_host_connected(VirtIOSerialPort *port, bool connected)
{
    VirtIOSerial *s = port->ser;
    if (port->host_connected == connected) {
        return;
    }
    port->host_connected = connected;
    if (s && s->driver_ready) {
        ctrl_send(s, port->nr, VIRTIO_CONSOLE_PORT_OPEN, connected, NULL);
    }
}

/* ---- the model ---- */

static void ser_get_config(VirtIODevice *vdev, uint8_t *config)
{
    memset(config, 0, VIRTIO_CONSOLE_CFG_SIZE);
    pci_set_long(config + VIRTIO_CONSOLE_CFG_MAX_NR_PORTS, to_ser(vdev)->max_nr_ports);
}

static void ser_reset(VirtIODevice *vdev)
{
    VirtIOSerial *s = to_ser(vdev);
    s->driver_ready = false;
    ctrl_drop_all(s);
    for (uint32_t id = 0; id < s->max_nr_ports; id++) {
        if (s->ports[id]) {
            s->ports[id]->guest_connected = false;
            s->ports[id]->input_len = 0;
        }
    }
}

/* DRIVER_OK: without multiport, port 0 takes input from now on. */
static void ser_set_status(VirtIODevice *vdev, uint8_t status)
{
    VirtIOSerialPort *port0 = to_ser(vdev)->ports[0];
    if ((status & VIRTIO_CONFIG_S_DRIVER_OK) && port0 && port0->attached &&
        virtio_serial_port_can_read(port0) > 0) {
        chardev_accept_input(&port0->fe);
    }
}

static const VirtIODeviceOps virtio_serial_ops = {
    .name = "virtio-serial",
    .device_id = VIRTIO_ID_CONSOLE,
    .get_config = ser_get_config,
    .set_status = ser_set_status,
    .reset = ser_reset,
};

void virtio_serial_init_bus(VirtIOSerial *s, DeviceState *owner)
{
    static unsigned nr_buses;
    char *name = xasprintf("virtio-serial-bus.%u", nr_buses++);
    s->owner = owner;
    s->bus = qbus_create(BUS_TYPE_VIRTIO_SERIAL, name, owner);
    free(name);
    s->ctrl_tail = &s->ctrl_head;
}

int virtio_serial_realize(VirtIOSerial *s, Error **errp)
{
    virtio_init(&s->vdev, &virtio_serial_ops, VIRTIO_CONSOLE_CFG_SIZE,
                1ull << VIRTIO_CONSOLE_F_MULTIPORT);
    for (uint32_t id = 0; id < s->max_nr_ports; id++) {
        virtio_add_queue(&s->vdev, VIRTIO_SERIAL_PORT_QUEUE_SIZE, port_rx_kick);
        virtio_add_queue(&s->vdev, VIRTIO_SERIAL_PORT_QUEUE_SIZE, port_tx_kick);
        if (id == 0) {
            virtio_add_queue(&s->vdev, VIRTIO_SERIAL_CTRL_QUEUE_SIZE, ctrl_rx_kick);
            virtio_add_queue(&s->vdev, VIRTIO_SERIAL_CTRL_QUEUE_SIZE, ctrl_tx_kick);
        }
    }
    s->realized = true;
    return 0;
}

void virtio_serial_unrealize(VirtIOSerial *s)
{
    ctrl_drop_all(s);
    s->realized = false;
    virtio_cleanup(&s->vdev);
}

/* ---- -device virtio-serial-device (on a virtio-mmio transport) ---- */

typedef struct VirtIOSerialDevice {
    DeviceState parent_obj;
    VirtIOSerial ser;
} VirtIOSerialDevice;

static void virtio_serial_device_init(DeviceState *dev)
{
    virtio_serial_init_bus(&DEVICE_CAST(VirtIOSerialDevice, dev)->ser, dev);
}

static int virtio_serial_device_realize(DeviceState *dev, Error **errp)
{
    VirtIOSerialDevice *d = DEVICE_CAST(VirtIOSerialDevice, dev);
    if (virtio_serial_realize(&d->ser, errp) < 0) {
        return -1;
    }
    if (virtio_bus_plug(dev, &d->ser.vdev, errp) < 0) {
        virtio_serial_unrealize(&d->ser);
        return -1;
    }
    return 0;
}

static void virtio_serial_device_unrealize(DeviceState *dev)
{
    VirtIOSerialDevice *d = DEVICE_CAST(VirtIOSerialDevice, dev);
    virtio_bus_unplug(dev);
    virtio_serial_unrealize(&d->ser);
}

static const Property virtio_serial_device_props[] = {
    DEFINE_VIRTIO_SERIAL_PROPS(VirtIOSerialDevice, ser),
    DEFINE_PROP_END,
};

const DeviceType virtio_serial_device_type = {
    .name = "virtio-serial-device",
    .bus_type = BUS_TYPE_VIRTIO,
    .instance_size = sizeof(VirtIOSerialDevice),
    .description = "virtio serial/console device (on a virtio-mmio transport)",
    .user_creatable = true,
    .instance_init = virtio_serial_device_init,
    .realize = virtio_serial_device_realize,
    .unrealize = virtio_serial_device_unrealize,
    .props = virtio_serial_device_props,
};
DEVICE_TYPE_REGISTER(virtio_serial_device_type)

VirtIOSerial *virtio_serial_from_bus(BusState *bus)
{
    DeviceState *owner = bus ? bus->parent : NULL;
    if (!owner || strcmp(bus->type, BUS_TYPE_VIRTIO_SERIAL)) {
        return NULL;
    }
    if (owner->type == &virtio_serial_device_type) {
        return &DEVICE_CAST(VirtIOSerialDevice, owner)->ser;
    }
    return owner->type == &virtio_serial_pci_device_type ? virtio_serial_pci_model(owner) : NULL;
}
