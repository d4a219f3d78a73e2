/* virtio-serial, the virtio console device (VIRTIO 1.2 section 5.3) with multiport
 * (VIRTIO_CONSOLE_F_MULTIPORT): a VirtIOSerial model that transport types
 * (virtio-serial-device, virtio-serial-pci) embed, its "virtio-serial-bus", and the ports
 * plugged into it (virtconsole, virtserialport), each joined to a chardev. docs/virtio.md */
#ifndef HW_VIRTIO_VIRTIO_SERIAL_H
#define HW_VIRTIO_VIRTIO_SERIAL_H

#include <stdbool.h>
#include <stdint.h>
#include "chardev/chardev.h"
#include "hw/qdev.h"
#include "hw/virtio/virtio.h"

#define BUS_TYPE_VIRTIO_SERIAL "virtio-serial-bus"

/* Feature bits (5.3.3) */
#define VIRTIO_CONSOLE_F_SIZE 0
#define VIRTIO_CONSOLE_F_MULTIPORT 1

/* Control messages (5.3.6.2): struct virtio_console_control { le32 id; le16 event;
 * le16 value; }, PORT_NAME followed by the name. */
#define VIRTIO_CONSOLE_DEVICE_READY 0
#define VIRTIO_CONSOLE_DEVICE_ADD 1
#define VIRTIO_CONSOLE_DEVICE_REMOVE 2
#define VIRTIO_CONSOLE_PORT_READY 3
#define VIRTIO_CONSOLE_CONSOLE_PORT 4
#define VIRTIO_CONSOLE_RESIZE 5
#define VIRTIO_CONSOLE_PORT_OPEN 6
#define VIRTIO_CONSOLE_PORT_NAME 7
#define VIRTIO_CONSOLE_CTRL_SIZE 8
#define VIRTIO_CONSOLE_BAD_ID 0xffffffffu

/* Configuration layout: cols, rows (le16), max_nr_ports, emerg_wr (le32). */
#define VIRTIO_CONSOLE_CFG_MAX_NR_PORTS 4
#define VIRTIO_CONSOLE_CFG_SIZE 12

#define VIRTIO_SERIAL_MAX_PORTS 31          /* queues: 2 * (ports + 1) <= VIRTIO_QUEUE_MAX */
#define VIRTIO_SERIAL_PORT_QUEUE_SIZE 128
#define VIRTIO_SERIAL_CTRL_QUEUE_SIZE 32
#define VIRTIO_SERIAL_PORT_BUF 4096         /* host input held for the guest's buffers */

typedef struct VirtIOSerial VirtIOSerial;
typedef struct VirtIOSerialCtrlMsg VirtIOSerialCtrlMsg;

/* A port: the device struct of virtconsole and virtserialport. */
typedef struct VirtIOSerialPort {
    DeviceState parent_obj;
    /* properties */
    Chardev *chr;
    char *name;
    uint32_t nr;                    /* port id; VIRTIO_CONSOLE_BAD_ID: the first free */
    /* state */
    bool is_console;
    VirtIOSerial *ser;
    CharFrontend fe;
    bool attached;                  /* fe is attached to chr */
    bool host_connected;            /* the chardev is open (always for a console) */
    bool guest_connected;           /* the guest opened the port (PORT_OPEN 1) */
    uint8_t input[VIRTIO_SERIAL_PORT_BUF];  /* chardev bytes not yet in guest buffers */
    unsigned input_len;
} VirtIOSerialPort;

struct VirtIOSerial {
    VirtIODevice vdev;
    DeviceState *owner;             /* the qdev device embedding it (messages) */
    BusState *bus;                  /* the ports plug in here */
    uint32_t max_nr_ports;          /* property "max_nr_ports" */
    VirtIOSerialPort *ports[VIRTIO_SERIAL_MAX_PORTS];     /* by id */
    bool driver_ready;              /* DEVICE_READY 1 received */
    VirtIOSerialCtrlMsg *ctrl_head, **ctrl_tail;          /* waiting for rx buffers */
    unsigned ctrl_pending;                                  /* messages in that list */
    bool realized;
};

/* The properties of every virtio-serial-* type; S is the qdev struct, F its VirtIOSerial. */
#define DEFINE_VIRTIO_SERIAL_PROPS(S, F) \
    DEFINE_PROP_UINT32_RANGE("max_nr_ports", S, F.max_nr_ports, VIRTIO_SERIAL_MAX_PORTS, 1, \
                             VIRTIO_SERIAL_MAX_PORTS)

/* From the device type's instance_init: creates the bus the ports plug into. */
void virtio_serial_init_bus(VirtIOSerial *s, DeviceState *owner);
int virtio_serial_realize(VirtIOSerial *s, Error **errp);
/* Frees the model (its ports are destroyed with the bus before this). */
void virtio_serial_unrealize(VirtIOSerial *s);
/* The model behind a virtio-serial bus, or NULL. */
VirtIOSerial *virtio_serial_from_bus(BusState *bus);

/* hw/char/virtio-serial-pci.c: the model inside a virtio-serial-pci device. */
VirtIOSerial *virtio_serial_pci_model(DeviceState *dev);

/* Port side (virtio-serial-port.c calls these; virtio-serial-bus.c implements them). */
int virtio_serial_port_plug(VirtIOSerial *s, VirtIOSerialPort *port, Error **errp);
void virtio_serial_port_unplug(VirtIOSerialPort *port);
/* The chardev opened or closed: tells the guest (PORT_OPEN). */
void virtio_serial_port_set_host_connected(VirtIOSerialPort *port, bool connected);
/* Moves port->input into the buffers the guest posted on the port's receive queue; true
 * when room is left for more (the chardev may be read again). */
bool virtio_serial_port_flush_input(VirtIOSerialPort *port);
/* How many bytes of chardev input the port takes now (0: the guest has no buffers or
 * has not opened the port). */
int virtio_serial_port_can_read(VirtIOSerialPort *port);

extern const DeviceType virtio_serial_device_type;
extern const DeviceType virtio_serial_pci_device_type;
extern const DeviceType virtconsole_device_type;
extern const DeviceType virtserialport_device_type;

#endif
