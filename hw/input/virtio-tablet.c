/* -device virtio-tablet-pci: an absolute pointing device on virtio-input (VIRTIO 1.2
 * section 5.8; Linux's evdev codes), modern-only PCI (1af4:1052, class 0980) as QEMU's.
 * The configuration space answers the driver's select/subsel queries (name, ids, event
 * bits, the X/Y axes 0..0x7fff); pointer events from the input layer become evdev events
 * (EV_ABS X/Y, EV_KEY buttons, EV_REL wheel, EV_SYN) written into the buffers the driver
 * posts on the event queue. Events that find too few buffers are dropped whole. */
#include <stdlib.h>
#include <string.h>
#include "hw/virtio/virtio-pci.h"
#include "ui/input.h"
#include "util/cutils.h"

enum { CFG_ID_NAME = 0x01, CFG_ID_SERIAL = 0x02, CFG_ID_DEVIDS = 0x03, CFG_PROP_BITS = 0x10,
       CFG_EV_BITS = 0x11, CFG_ABS_INFO = 0x12 };
enum { EV_SYN = 0, EV_KEY = 1, EV_REL = 2, EV_ABS = 3 };
enum { BTN_LEFT = 0x110, BTN_RIGHT = 0x111, BTN_MIDDLE = 0x112, REL_WHEEL = 8,
       ABS_X = 0, ABS_Y = 1 };
#define TABLET_CONFIG_LEN 136       /* select, subsel, size, 5 reserved, 128 bytes of data */
#define TABLET_MAX_EVENTS 8
#define PCI_CLASS_INPUT_OTHER 0x0980

typedef struct VirtIOTablet {
    VirtIOPCIProxy proxy;           /* first: its PCIDevice starts with the qdev */
    VirtIODevice vdev;
    InputHandler handler;
    unsigned buttons;
} VirtIOTablet;

static void set_bit_in(uint8_t *bitmap, unsigned bit)
{
    bitmap[bit / 8] |= 1u << (bit % 8);
}

/* The answer to (select, subsel) in data[]; its size (0: nothing there). */
static unsigned tablet_config_data(uint8_t select, uint8_t subsel, uint8_t *data)
{
    static const char name[] = "QEMU Virtio Tablet";
    switch (select) {
    case CFG_ID_NAME:
        memcpy(data, name, sizeof(name) - 1);
        return sizeof(name) - 1;
    case CFG_ID_DEVIDS:     /* bustype BUS_VIRTUAL, vendor, product, version (le16) */
        memcpy(data, (uint8_t[]){ 0x06, 0, 0x27, 0x06, 0x03, 0, 0x01, 0 }, 8);
        return 8;
    case CFG_EV_BITS:
        if (subsel == EV_KEY) {
            set_bit_in(data, BTN_LEFT), set_bit_in(data, BTN_RIGHT), set_bit_in(data, BTN_MIDDLE);
            return BTN_MIDDLE / 8 + 1;
        }
        if (subsel == EV_REL || subsel == EV_ABS) {
            set_bit_in(data, subsel == EV_REL ? REL_WHEEL : ABS_X);
            if (subsel == EV_ABS) {
                set_bit_in(data, ABS_Y);
            }
            return 2;
        }
        return 0;
    case CFG_ABS_INFO:      /* min, max, fuzz, flat, res (le32) */
        if (subsel != ABS_X && subsel != ABS_Y) {
            return 0;
        }
        pci_set_long(data + 4, INPUT_ABS_MAX);
        return 20;
    default:
        return 0;
    }
}

static void tablet_set_config(VirtIODevice *vdev, const uint8_t *config)
{
    uint8_t select = vdev->config[0], subsel = vdev->config[1];
    memset(vdev->config + 2, 0, TABLET_CONFIG_LEN - 2);
    vdev->config[2] = (uint8_t)tablet_config_data(select, subsel, vdev->config + 8);
}

/* Writes n events into n posted buffers, or drops them all. */
static void tablet_send(VirtIOTablet *t, const uint8_t (*ev)[8], unsigned n)
{
    VirtQueue *vq = &t->vdev.vq[0];
    VirtQueueElement *elems[TABLET_MAX_EVENTS];
    unsigned got = 0;

    if (!(t->vdev.status & VIRTIO_CONFIG_S_DRIVER_OK) || t->vdev.broken) {
        return;
    }
    while (got < n && (elems[got] = virtqueue_pop(vq, sizeof(VirtQueueElement)))) {
        got++;
    }
    for (unsigned i = 0; i < got; i++) {
        VirtQueueElement *e = elems[i];
        bool ok = got == n && e->in_num && e->in_sg[0].len >= 8 &&
                  dma_write(t->vdev.dma_as, e->in_sg[0].addr, ev[i], 8) == 0;
        virtqueue_push(vq, e, ok ? 8 : 0);
        free(e);
    }
    if (got) {
        virtio_notify(&t->vdev, vq);
    }
}

static unsigned tablet_event(uint8_t *ev, unsigned type, unsigned code, uint32_t value)
{
    pci_set_word(ev, type);
    pci_set_word(ev + 2, code);
    pci_set_long(ev + 4, value);
    return 1;
}

static void tablet_abs(void *opaque, int x, int y, int dz, unsigned buttons)
{
    static const unsigned codes[3] = { BTN_LEFT, BTN_RIGHT, BTN_MIDDLE };
    VirtIOTablet *t = opaque;
    uint8_t ev[TABLET_MAX_EVENTS][8];
    unsigned n = 0;

    n += tablet_event(ev[n], EV_ABS, ABS_X, (uint32_t)x);
    n += tablet_event(ev[n], EV_ABS, ABS_Y, (uint32_t)y);
    for (unsigned b = 0; b < 3; b++) {
        if ((buttons ^ t->buttons) & (1u << b)) {
            n += tablet_event(ev[n], EV_KEY, codes[b], (buttons >> b) & 1);
        }
    }
    if (dz) {
        n += tablet_event(ev[n], EV_REL, REL_WHEEL, (uint32_t)-dz);
    }
    n += tablet_event(ev[n], EV_SYN, 0, 0);
    t->buttons = buttons;
    tablet_send(t, (const uint8_t (*)[8])ev, n);
}

/* The status queue (LEDs and the like): taken and given back. */
static void tablet_status_queue(VirtIODevice *vdev, VirtQueue *vq)
{
    VirtQueueElement *e;
    while ((e = virtqueue_pop(vq, sizeof(VirtQueueElement)))) {
        virtqueue_push(vq, e, 0);
        free(e);
    }
    virtio_notify(vdev, vq);
}

static void tablet_reset(VirtIODevice *vdev)
{
    VirtIOTablet *t = (VirtIOTablet *)((char *)vdev - offsetof(VirtIOTablet, vdev));
    t->buttons = 0;
}

static const VirtIODeviceOps tablet_ops = {
    .name = "virtio-tablet",
    .device_id = VIRTIO_ID_INPUT,
    .set_config = tablet_set_config,
    .reset = tablet_reset,
};

static int tablet_pci_realize(DeviceState *dev, Error **errp)
{
    VirtIOTablet *t = DEVICE_CAST(VirtIOTablet, dev);

    virtio_init(&t->vdev, &tablet_ops, TABLET_CONFIG_LEN, 0);
    virtio_add_queue(&t->vdev, 64, NULL);
    virtio_add_queue(&t->vdev, 64, tablet_status_queue);
    if (virtio_pci_realize(&t->proxy, &t->vdev, PCI_CLASS_INPUT_OTHER, 0, errp) < 0) {
        virtio_cleanup(&t->vdev);
        return -1;
    }
    t->handler = (InputHandler){ .name = "virtio-tablet", .abs = tablet_abs, .opaque = t };
    input_register(&t->handler);
    return 0;
}

static void tablet_pci_unrealize(DeviceState *dev)
{
    VirtIOTablet *t = DEVICE_CAST(VirtIOTablet, dev);
    input_unregister(&t->handler);
    virtio_pci_unrealize(&t->proxy);
    virtio_cleanup(&t->vdev);
}

static void tablet_pci_reset(DeviceState *dev)
{
    virtio_pci_reset(&DEVICE_CAST(VirtIOTablet, dev)->proxy);
}

static const Property tablet_pci_props[] = {
    DEFINE_PROP_INT_RANGE("addr", VirtIOTablet, proxy.pci.devfn, -1, -1, 255),
    DEFINE_PROP_END,
};

static const DeviceType tablet_pci_type = {
    .name = "virtio-tablet-pci",
    .bus_type = BUS_TYPE_PCI,
    .instance_size = sizeof(VirtIOTablet),
    .description = "virtio absolute pointer (tablet), PCI",
    .user_creatable = true,
    .realize = tablet_pci_realize,
    .unrealize = tablet_pci_unrealize,
    .reset = tablet_pci_reset,
    .props = tablet_pci_props,
};
DEVICE_TYPE_REGISTER(tablet_pci_type)
