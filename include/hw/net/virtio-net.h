/* The virtio network device (VIRTIO 1.2 section 5.1): one receive and one transmit queue,
 * the virtio_net_hdr before every frame (12 bytes with VERSION_1 or MRG_RXBUF, 10 for a
 * legacy driver without MRG_RXBUF), a MAC address and link status in the configuration
 * space, merged receive buffers; no offloads. The model is shared by virtio-net-device
 * (virtio-mmio) and virtio-net-pci. docs/net.md */
#ifndef HW_NET_VIRTIO_NET_H
#define HW_NET_VIRTIO_NET_H

#include <stdbool.h>
#include <stdint.h>
#include "hw/qdev.h"
#include "hw/virtio/virtio.h"
#include "net/net.h"
#include "system/main-loop.h"

/* Feature bits (5.1.3) */
#define VIRTIO_NET_F_MAC 5
#define VIRTIO_NET_F_MRG_RXBUF 15
#define VIRTIO_NET_F_STATUS 16

#define VIRTIO_NET_S_LINK_UP 1

/* Configuration space (5.1.4): mac[6], status (le16). */
#define VIRTIO_NET_CFG_MAC 0
#define VIRTIO_NET_CFG_STATUS 6
#define VIRTIO_NET_CFG_SIZE 8

#define VIRTIO_NET_HDR_SIZE 12              /* with num_buffers */
#define VIRTIO_NET_HDR_LEGACY_SIZE 10       /* legacy, without MRG_RXBUF */
#define VIRTIO_NET_HDR_NUM_BUFFERS 10       /* offset of num_buffers */
#define VIRTIO_NET_RX_QUEUE 0
#define VIRTIO_NET_TX_QUEUE 1
#define VIRTIO_NET_QUEUE_SIZE 256

/* The receive buffers popped for the frame being received (scratch of nic_receive). */
typedef struct VirtIONetRxBuffers {
    VirtQueueElement *elem[VIRTQUEUE_MAX_SIZE];
    unsigned count;
} VirtIONetRxBuffers;

typedef struct VirtIONet {
    VirtIODevice vdev;                      /* first */
    void *netdev;                           /* property "netdev": a NetClientState */
    MACAddr mac;                            /* property "mac"; 00:..:00 = the default */
    bool mrg_rxbuf;                         /* property "mrg_rxbuf" (offer the feature) */
    NetClientState nic;                     /* our end of the link */
    VirtQueue *rx_vq, *tx_vq;
    BottomHalf *tx_bh;                      /* continues a long transmit burst */
    uint64_t tx_frames, rx_frames;          /* counters (info network, tests) */
    VirtIONetRxBuffers rx_bufs;             /* empty between frames */
} VirtIONet;

#define DEFINE_VIRTIO_NET_PROPS(S, F) \
    DEFINE_PROP_NETDEV("netdev", S, F.netdev), \
    DEFINE_PROP_MACADDR("mac", S, F.mac), \
    DEFINE_PROP_BOOL("mrg_rxbuf", S, F.mrg_rxbuf, true)

/* Sets up the model and connects it to its netdev (if any); -1 with *errp (the netdev is
 * in use by another NIC). name is the NIC's name in "info network". */
int virtio_net_realize(VirtIONet *n, const char *name, Error **errp);
void virtio_net_unrealize(VirtIONet *n);
/* The NIC's name in "info network" (malloc'd): its id, else TYPE.N. */
char *virtio_net_nic_name(DeviceState *dev);

/* The board's NIC type for -nic/-net nic (virtio-net-pci on a machine with PCI, else
 * virtio-net-device), and NIC creation from those options: "-nic user,model=...,mac=..." */
extern const DeviceType virtio_net_device_type;
extern const DeviceType virtio_net_pci_device_type;

#endif
