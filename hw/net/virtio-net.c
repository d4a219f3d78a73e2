/* The virtio network device model (VIRTIO 1.2 section 5.1): transmit chains lose their
 * virtio_net_hdr and go to the peer netdev; received frames get a zeroed header (no
 * offloads) and fill one receive buffer, or several with VIRTIO_NET_F_MRG_RXBUF (their
 * count in num_buffers, all published in one used-index update). A frame the receive
 * queue has no room for waits in the net layer's bounded queue until the driver adds
 * buffers. Malformed chains (a transmit chain shorter than the header, a receive buffer
 * that is not writable or too small for the frame without MRG_RXBUF) break the device. */
#include <stdlib.h>
#include <string.h>
#include "hw/net/virtio-net.h"
#include "system/main-loop.h"
#include "util/cutils.h"
#include "hw/virtio/virtio-mmio.h"
#include "util/log.h"

#define TX_BURST 256                        /* chains per kick before yielding */
#define MAX_TX_PAYLOAD 65535u               /* larger frames are refused */

static VirtIONet *to_net(VirtIODevice *vdev)
{
    return (VirtIONet *)vdev;               /* vdev is the first member */
}

/* 12 bytes with VERSION_1 or MRG_RXBUF (num_buffers present), 10 otherwise (5.1.6). */
static unsigned net_hdr_len(VirtIONet *n)
{
    return virtio_has_feature(&n->vdev, VIRTIO_F_VERSION_1) ||
           virtio_has_feature(&n->vdev, VIRTIO_NET_F_MRG_RXBUF) ?
           VIRTIO_NET_HDR_SIZE : VIRTIO_NET_HDR_LEGACY_SIZE;
}

static bool driver_ready(VirtIONet *n)
{
    return (n->vdev.status & VIRTIO_CONFIG_S_DRIVER_OK) && !n->vdev.broken;
}

/* ---- transmit ---- */

static void tx_one(VirtIONet *n, VirtQueueElement *elem)
{
    unsigned hlen = net_hdr_len(n);
    if (elem->out_len < hlen) {
        virtio_error(&n->vdev, "transmit chain %u has %llu bytes, less than its %u-byte "
                     "header", elem->index, (unsigned long long)elem->out_len, hlen);
        free(elem);
        return;
    }
    uint64_t len = elem->out_len - hlen;
    if (len > MAX_TX_PAYLOAD) {
        log_category_printf(LOG_GUEST_ERROR, "virtio-net: transmit frame of %llu bytes "
                            "refused (max %u)\n", (unsigned long long)len, MAX_TX_PAYLOAD);
    } else {
        uint8_t *frame = xmalloc(len ? len : 1);
        virtio_elem_to_buf(&n->vdev, elem, hlen, frame, len);
        net_send(&n->nic, frame, len);
        n->tx_frames++;
        free(frame);
    }
    virtqueue_push(n->tx_vq, elem, 0);
    free(elem);
}

/* At most TX_BURST chains; true if the queue may hold more. */
static bool tx_burst(VirtIONet *n)
{
    VirtQueueElement *elem;
    for (int i = 0; i < TX_BURST; i++) {
        if (!driver_ready(n) || !(elem = virtqueue_pop(n->tx_vq, sizeof(*elem)))) {
            return false;
        }
        tx_one(n, elem);
    }
    return true;
}

static void tx_flush(VirtIONet *n)
{
    bool more;
    do {
        virtio_queue_set_notification(n->tx_vq, false);
        more = tx_burst(n);
        virtio_notify(&n->vdev, n->tx_vq);
        virtio_queue_set_notification(n->tx_vq, true);
    } while (!more && driver_ready(n) && !virtio_queue_empty(n->tx_vq));
    if (more) {
        bh_schedule(n->tx_bh);              /* let the vCPU and the main loop breathe */
    }
}

static void tx_bh_run(void *opaque)
{
    tx_flush(opaque);
}

static void tx_handle_output(VirtIODevice *vdev, VirtQueue *vq)
{
    tx_flush(to_net(vdev));
}

/* ---- receive ---- */

static void rx_handle_output(VirtIODevice *vdev, VirtQueue *vq)
{
    net_queue_flush(&to_net(vdev)->nic);    /* the driver added buffers */
}

static bool nic_can_receive(NetClientState *nc)
{
    VirtIONet *n = nc->opaque;
    if (!driver_ready(n) || !n->rx_vq->ready) {
        return false;
    }
    return !virtio_queue_empty(n->rx_vq);
}

/* Copies bytes [start, start + count) of header + frame into elem. */
static void rx_copy(VirtIONet *n, VirtQueueElement *elem, const uint8_t *hdr, unsigned hlen,
                    const uint8_t *frame, size_t start, size_t count)
{
    size_t done = 0;
    if (start < hlen) {
        done = MIN(count, hlen - start);
        virtio_elem_from_buf(&n->vdev, elem, 0, hdr + start, done);
    }
    if (done < count) {
        virtio_elem_from_buf(&n->vdev, elem, done, frame + (start + done - hlen), count - done);
    }
}

/* A popped receive buffer is usable for the next piece of a frame of total bytes. */
static bool rx_buffer_ok(VirtIONet *n, VirtQueueElement *elem, unsigned nbuf, size_t total,
                         unsigned hlen)
{
    if (elem->out_num || !elem->in_len) {
        virtio_error(&n->vdev, "receive buffer %u is not device-writable", elem->index);
    } else if (!n->vdev.broken && !virtio_has_feature(&n->vdev, VIRTIO_NET_F_MRG_RXBUF) &&
               elem->in_len < total) {
        virtio_error(&n->vdev, "receive buffer %u of %llu bytes is too small for a %zu-byte "
                     "frame (no MRG_RXBUF)", elem->index, (unsigned long long)elem->in_len,
                     total);
    } else if (nbuf == 0 && elem->in_len < hlen) {
        virtio_error(&n->vdev, "receive buffer %u of %llu bytes cannot hold the header",
                     elem->index, (unsigned long long)elem->in_len);
    }
    return !n->vdev.broken;
}

static void rx_give_back(VirtIONet *n, VirtIONetRxBuffers *b)
{
    while (b->count) {
        virtqueue_unpop(n->rx_vq);
        free(b->elem[--b->count]);
    }
}

/* Pops buffers until they hold total bytes: 1 ok, 0 not enough buffers (given back), -1
 * the device broke. */
static int rx_pop_buffers(VirtIONet *n, VirtIONetRxBuffers *b, size_t total, unsigned hlen)
{
    uint64_t room = 0;
    bool mrg = virtio_has_feature(&n->vdev, VIRTIO_NET_F_MRG_RXBUF);
    while (room < total && b->count < VIRTQUEUE_MAX_SIZE) {
        VirtQueueElement *elem = virtqueue_pop(n->rx_vq, sizeof(*elem));
        if (!elem) {
            break;
        }
        b->elem[b->count] = elem;
        if (!rx_buffer_ok(n, elem, b->count, total, hlen)) {
            b->count++;
            return -1;
        }
        room += mrg ? elem->in_len : total;
        b->count++;
    }
    if (n->vdev.broken) {
        return -1;
    }
    if (room < total) {
        rx_give_back(n, b);
        return 0;
    }
    return 1;
}

static void rx_free(VirtIONetRxBuffers *b)
{
    while (b->count) {
        free(b->elem[--b->count]);
    }
}

static bool nic_receive(NetClientState *nc, const uint8_t *frame, size_t len)
{
    VirtIONet *n = nc->opaque;
    unsigned hlen = net_hdr_len(n);
    size_t total = hlen + len, done = 0;
    uint8_t hdr[VIRTIO_NET_HDR_SIZE] = { 0 };   /* no flags, GSO_NONE */
    VirtIONetRxBuffers *b = &n->rx_bufs;
    int got = rx_pop_buffers(n, b, total, hlen);
    if (got <= 0) {
        rx_free(b);
        return got < 0;                     /* broken: dropped; else wait for buffers */
    }
    if (hlen == VIRTIO_NET_HDR_SIZE) {
        hdr[VIRTIO_NET_HDR_NUM_BUFFERS] = (uint8_t)b->count;
        hdr[VIRTIO_NET_HDR_NUM_BUFFERS + 1] = (uint8_t)(b->count >> 8);
    }
    for (unsigned i = 0; i < b->count; i++) {
        size_t piece = MIN((uint64_t)(total - done), b->elem[i]->in_len);
        rx_copy(n, b->elem[i], hdr, hlen, frame, done, piece);
        virtqueue_fill(n->rx_vq, b->elem[i], (uint32_t)piece, i);
        done += piece;
    }
    virtqueue_flush(n->rx_vq, b->count);
    virtio_notify(&n->vdev, n->rx_vq);
    n->rx_frames++;
    rx_free(b);
    return true;
}

/* ---- the model ---- */

static void net_get_config(VirtIODevice *vdev, uint8_t *config)
{
    VirtIONet *n = to_net(vdev);
    memcpy(config + VIRTIO_NET_CFG_MAC, n->mac.a, 6);
    config[VIRTIO_NET_CFG_STATUS] = VIRTIO_NET_S_LINK_UP;
    config[VIRTIO_NET_CFG_STATUS + 1] = 0;
}

/* A legacy driver without a control queue sets its MAC by writing the config space. */
static void net_set_config(VirtIODevice *vdev, const uint8_t *config)
{
    if (!virtio_has_feature(vdev, VIRTIO_F_VERSION_1)) {
        memcpy(to_net(vdev)->mac.a, config + VIRTIO_NET_CFG_MAC, 6);
    }
}

static void net_set_status(VirtIODevice *vdev, uint8_t status)
{
    if (status & VIRTIO_CONFIG_S_DRIVER_OK) {
        net_queue_flush(&to_net(vdev)->nic);
    }
}

static void net_reset(VirtIODevice *vdev)
{
    net_queue_purge(&to_net(vdev)->nic);    /* frames for the old driver instance */
}

static const VirtIODeviceOps virtio_net_ops = {
    .name = "virtio-net",
    .device_id = VIRTIO_ID_NET,
    .get_config = net_get_config,
    .set_config = net_set_config,
    .set_status = net_set_status,
    .reset = net_reset,
};

static void nic_describe(NetClientState *nc, char *buf, size_t size)
{
    VirtIONet *n = nc->opaque;
    const uint8_t *m = n->mac.a;
    snprintf(buf, size, "model=virtio-net,macaddr=%02x:%02x:%02x:%02x:%02x:%02x,tx=%llu,"
             "rx=%llu", m[0], m[1], m[2], m[3], m[4], m[5], (unsigned long long)n->tx_frames,
             (unsigned long long)n->rx_frames);
}

static const NetClientInfo virtio_net_nic_info = {
    .type = "nic",
    .kind = NET_CLIENT_NIC,
    .can_receive = nic_can_receive,
    .receive = nic_receive,
    .describe = nic_describe,
};

static bool mac_unset(const MACAddr *mac)
{
    static const MACAddr zero;
    return !memcmp(mac, &zero, sizeof(zero));
}

int virtio_net_realize(VirtIONet *n, const char *name, Error **errp)
{
    uint64_t features = (1ull << VIRTIO_NET_F_MAC) | (1ull << VIRTIO_NET_F_STATUS);
    net_client_init(&n->nic, &virtio_net_nic_info, name, n);
    if (n->netdev && net_client_connect(&n->nic, n->netdev, errp) < 0) {
        net_client_cleanup(&n->nic);
        return -1;
    }
    if (mac_unset(&n->mac)) {
        net_default_mac(n->mac.a);
    }
    if (n->mrg_rxbuf) {
        features |= 1ull << VIRTIO_NET_F_MRG_RXBUF;
    }
    virtio_init(&n->vdev, &virtio_net_ops, VIRTIO_NET_CFG_SIZE, features);
    n->rx_vq = virtio_add_queue(&n->vdev, VIRTIO_NET_QUEUE_SIZE, rx_handle_output);
    n->tx_vq = virtio_add_queue(&n->vdev, VIRTIO_NET_QUEUE_SIZE, tx_handle_output);
    n->tx_bh = bh_new(tx_bh_run, n);
    net_nic_register(&n->nic);
    return 0;
}

void virtio_net_unrealize(VirtIONet *n)
{
    net_nic_unregister(&n->nic);
    net_client_cleanup(&n->nic);
    bh_delete(n->tx_bh);
    virtio_cleanup(&n->vdev);
}

/* "info network" name: the id, else TYPE.N as QEMU's. */
char *virtio_net_nic_name(DeviceState *dev)
{
    static unsigned count;
    return dev->id ? xstrdup(dev->id) : xasprintf("%s.%u", dev->type->name, count++);
}

/* ---- -device virtio-net-device (on a virtio-mmio transport) ---- */

typedef struct VirtIONetDevice {
    DeviceState parent_obj;
    VirtIONet net;
} VirtIONetDevice;

static int virtio_net_device_realize(DeviceState *dev, Error **errp)
{
    VirtIONetDevice *d = DEVICE_CAST(VirtIONetDevice, dev);
    char *name = virtio_net_nic_name(dev);
    int ret = virtio_net_realize(&d->net, name, errp);
    free(name);
    if (ret < 0) {
        return -1;
    }
    if (virtio_bus_plug(dev, &d->net.vdev, errp) < 0) {
        virtio_net_unrealize(&d->net);
        return -1;
    }
    return 0;
}

static void virtio_net_device_unrealize(DeviceState *dev)
{
    VirtIONetDevice *d = DEVICE_CAST(VirtIONetDevice, dev);
    virtio_bus_unplug(dev);
    virtio_net_unrealize(&d->net);
}

static const Property virtio_net_device_props[] = {
    DEFINE_VIRTIO_NET_PROPS(VirtIONetDevice, net),
    DEFINE_PROP_END,
};

const DeviceType virtio_net_device_type = {
    .name = "virtio-net-device",
    .bus_type = BUS_TYPE_VIRTIO,
    .instance_size = sizeof(VirtIONetDevice),
    .description = "virtio network device (on a virtio-mmio transport)",
    .user_creatable = true,
    .realize = virtio_net_device_realize,
    .unrealize = virtio_net_device_unrealize,
    .props = virtio_net_device_props,
};
DEVICE_TYPE_REGISTER(virtio_net_device_type)
