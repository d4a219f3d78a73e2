/* The virtio core (OASIS "Virtual I/O Device (VIRTIO) Version 1.2": basic facilities of a
 * device, split virtqueues, and the legacy interface for transitional devices): device
 * status, feature negotiation, configuration space and its change interrupt,
 * split virtqueues whose descriptor chains (direct and indirect) are bounds-checked against
 * guest RAM, event index and notification suppression. A device model (virtio-blk,
 * virtio-input) embeds a VirtIODevice and implements VirtIODeviceOps; a transport
 * (virtio-mmio, virtio-pci) embeds nothing of it and drives it through the transport half
 * of this header. docs/virtio.md */
#ifndef HW_VIRTIO_VIRTIO_H
#define HW_VIRTIO_VIRTIO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "system/memory.h"

/* Device IDs (5 Device Types) */
#define VIRTIO_ID_NET 1
#define VIRTIO_ID_BLOCK 2
#define VIRTIO_ID_CONSOLE 3
#define VIRTIO_ID_RNG 4
#define VIRTIO_ID_INPUT 18

/* Device status bits (2.1) */
#define VIRTIO_CONFIG_S_ACKNOWLEDGE 0x01
#define VIRTIO_CONFIG_S_DRIVER 0x02
#define VIRTIO_CONFIG_S_DRIVER_OK 0x04
#define VIRTIO_CONFIG_S_FEATURES_OK 0x08
#define VIRTIO_CONFIG_S_NEEDS_RESET 0x40
#define VIRTIO_CONFIG_S_FAILED 0x80

/* Reserved feature bits (6) the core implements */
#define VIRTIO_F_NOTIFY_ON_EMPTY 24         /* legacy only */
#define VIRTIO_F_ANY_LAYOUT 27              /* legacy only; implied by VERSION_1 */
#define VIRTIO_RING_F_INDIRECT_DESC 28
#define VIRTIO_RING_F_EVENT_IDX 29
#define VIRTIO_F_VERSION_1 32
/* Features a legacy driver cannot see (bits 32 and up). */
#define VIRTIO_LEGACY_FEATURES_MASK 0xffffffffull

/* Interrupt status bits (ISR, InterruptStatus) */
#define VIRTIO_ISR_QUEUE 0x1
#define VIRTIO_ISR_CONFIG 0x2

#define VIRTIO_QUEUE_MAX 64                 /* queues per device (virtio-serial: 2 * (31 + 1)) */
#define VIRTQUEUE_MAX_SIZE 1024             /* descriptors per queue (a power of two) */
#define VIRTIO_LEGACY_ALIGN 4096            /* legacy ring layout: used ring alignment */

typedef struct VirtIODevice VirtIODevice;
typedef struct VirtQueue VirtQueue;

/* One guest-physical segment of a request, already checked to lie in guest RAM. */
typedef struct VirtIOSeg {
    uint64_t addr;
    uint32_t len;
} VirtIOSeg;

/* A popped descriptor chain: device-readable ("out") segments first, then device-writable
 * ("in") ones, as the spec requires. Devices embed it first in their request struct. */
typedef struct VirtQueueElement {
    uint16_t index;                     /* head descriptor, returned in the used ring */
    unsigned out_num, in_num;
    uint64_t out_len, in_len;           /* total bytes of each direction */
    VirtIOSeg *out_sg, *in_sg;          /* point into the same allocation */
} VirtQueueElement;

/* Called when the driver notifies queue vq (a "kick"), with the big lock held. */
typedef void VirtIOHandleOutput(VirtIODevice *vdev, VirtQueue *vq);

/* What a device model provides. Everything but device_id and name is optional. */
typedef struct VirtIODeviceOps {
    const char *name;                   /* "virtio-blk" (messages) */
    uint16_t device_id;                 /* VIRTIO_ID_* */
    /* Fill vdev->config before a driver read of the configuration space. */
    void (*get_config)(VirtIODevice *vdev, uint8_t *config);
    /* After a driver write into vdev->config (bytes already stored). */
    void (*set_config)(VirtIODevice *vdev, const uint8_t *config);
    /* FEATURES_OK is being set with vdev->guest_features: return false to refuse. */
    bool (*validate_features)(VirtIODevice *vdev);
    /* After the status changed (e.g. DRIVER_OK set: start work). */
    void (*set_status)(VirtIODevice *vdev, uint8_t status);
    /* Device reset (driver wrote 0 to status, or system reset): drop requests in flight. */
    void (*reset)(VirtIODevice *vdev);
} VirtIODeviceOps;

/* What a transport provides: the core calls update_irq whenever vdev->isr changed (the
 * line level is isr != 0 on both transports: no MSI-X). */
typedef struct VirtIOTransportOps {
    void (*update_irq)(void *opaque);
} VirtIOTransportOps;

/* A split virtqueue (2.7). Transports set num/desc/avail/used/ready; devices use the
 * virtqueue_* functions only. */
struct VirtQueue {
    VirtIODevice *vdev;
    uint16_t queue_index;
    uint16_t num_max;                   /* 0: the queue does not exist */
    uint16_t num;                       /* size chosen by the driver (power of two) */
    bool ready;                         /* modern queue_enable / legacy PFN != 0 */
    uint64_t desc, avail, used;         /* guest-physical ring addresses */
    uint16_t last_avail_idx;            /* next avail entry to pop */
    uint16_t used_idx;                  /* our copy of used->idx */
    uint16_t signalled_used;            /* used_idx when the driver was last interrupted */
    bool signalled_used_valid;
    bool notification;                  /* driver kicks wanted (suppression state) */
    unsigned inuse;                     /* popped, not yet pushed */
    VirtIOHandleOutput *handle_output;
};

/* The device half: embed one in the device model's struct. */
struct VirtIODevice {
    const VirtIODeviceOps *ops;
    uint8_t status;
    uint8_t isr;
    bool broken;                        /* a malformed ring: no more processing until reset */
    bool legacy;                        /* driver uses the legacy interface (transport sets) */
    uint64_t host_features;             /* offered (device bits + core bits) */
    uint64_t guest_features;            /* accepted by the driver */
    uint32_t config_generation;
    size_t config_len;
    uint8_t *config;                    /* config_len bytes, little-endian fields */
    VirtQueue vq[VIRTIO_QUEUE_MAX];
    AddressSpace *dma_as;               /* guest memory the rings and buffers live in */
    const VirtIOTransportOps *transport;
    void *transport_opaque;
};

/* ---- device model side ---- */

/* Sets up vdev: ops, a zeroed config space of config_len bytes, the device's feature bits
 * (the core adds VERSION_1, INDIRECT_DESC, EVENT_IDX, NOTIFY_ON_EMPTY and ANY_LAYOUT). */
void virtio_init(VirtIODevice *vdev, const VirtIODeviceOps *ops, size_t config_len,
                 uint64_t device_features);
void virtio_cleanup(VirtIODevice *vdev);
/* Adds queue n = the next free index, of at most max_size (a power of two up to
 * VIRTQUEUE_MAX_SIZE) descriptors. */
VirtQueue *virtio_add_queue(VirtIODevice *vdev, unsigned max_size, VirtIOHandleOutput *handle);

static inline bool virtio_has_feature(const VirtIODevice *vdev, unsigned bit)
{
    return (vdev->guest_features >> bit) & 1;
}

/* Takes the next available chain as a malloc'd block of elem_size bytes (>= sizeof
 * (VirtQueueElement), the element first) followed by its segments; free() it after
 * virtqueue_push. NULL when the queue is empty, not ready or the device is broken. A chain
 * that is malformed (an index out of range, a loop, an indirect table in an indirect
 * chain or outside RAM, a writable segment before a readable one, a segment outside guest
 * RAM, more than VIRTQUEUE_MAX_SIZE segments) marks the device broken (virtio_error). */
void *virtqueue_pop(VirtQueue *vq, size_t elem_size);
/* Returns elem to the used ring with len bytes written into its in segments, and
 * publishes the new used index. Does not interrupt: call virtio_notify after a batch. */
void virtqueue_push(VirtQueue *vq, const VirtQueueElement *elem, uint32_t len);
/* The two halves of virtqueue_push, for a device that returns several elements at once
 * (virtio-net's merged receive buffers): fill writes elem's used entry offset entries past
 * the published used index; flush publishes count filled entries in one index update. */
void virtqueue_fill(VirtQueue *vq, const VirtQueueElement *elem, uint32_t len,
                    unsigned offset);
void virtqueue_flush(VirtQueue *vq, unsigned count);
/* Puts a popped element back (the device could not handle it now); it is popped again. */
void virtqueue_unpop(VirtQueue *vq);
/* Interrupts the driver for vq unless it suppressed that (flags or event index). */
void virtio_notify(VirtIODevice *vdev, VirtQueue *vq);
/* Tells the driver whether kicks are wanted (no-notify flag or avail event index). */
void virtio_queue_set_notification(VirtQueue *vq, bool enable);
bool virtio_queue_empty(VirtQueue *vq);

/* Copies between a flat buffer and the element's segments starting at byte offset of
 * that direction; returns the bytes copied (short at the end of the segments). */
uint64_t virtio_elem_to_buf(VirtIODevice *vdev, const VirtQueueElement *elem, uint64_t offset,
                            void *buf, uint64_t len);
uint64_t virtio_elem_from_buf(VirtIODevice *vdev, const VirtQueueElement *elem,
                              uint64_t offset, const void *buf, uint64_t len);

/* Configuration changed (by the device): generation + config interrupt. */
void virtio_notify_config(VirtIODevice *vdev);
/* The driver broke the rules: logs under guest_errors, stops the device and, for a 1.x
 * driver, sets DEVICE_NEEDS_RESET with a config interrupt (2.1.2). */
void virtio_error(VirtIODevice *vdev, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* ---- transport side ---- */

void virtio_bind_transport(VirtIODevice *vdev, const VirtIOTransportOps *ops, void *opaque,
                           AddressSpace *dma_as);
/* Device reset: status, features, queues, ISR, then the model's reset. */
void virtio_reset(VirtIODevice *vdev);
/* A driver write of the status register (0 resets). Refuses FEATURES_OK when the model's
 * validate_features or the VERSION_1 rule says no (the bit then reads back clear). */
void virtio_set_status(VirtIODevice *vdev, uint8_t status);
/* Feature bits the driver may accept; the legacy interface sees the low 32 only. */
uint64_t virtio_host_features(const VirtIODevice *vdev);
/* A driver write of its features (bits not offered are dropped). Ignored once
 * FEATURES_OK is set. */
void virtio_set_guest_features(VirtIODevice *vdev, uint64_t features);
/* Configuration space access of size 1, 2 or 4 at offset (out of range: reads 0 / ignored). */
uint32_t virtio_config_read(VirtIODevice *vdev, uint32_t offset, unsigned size);
void virtio_config_write(VirtIODevice *vdev, uint32_t offset, unsigned size, uint32_t value);
/* Queue programming by the driver; n out of range or a queue that does not exist: NULL. */
VirtQueue *virtio_get_queue(VirtIODevice *vdev, unsigned n);
/* Sets the size: refused (false) unless a power of two in 1..num_max. */
bool virtio_queue_set_num(VirtQueue *vq, unsigned num);
/* Legacy: the ring at pfn * 4096 with the used ring aligned to 4096; 0 disables. */
void virtio_queue_set_legacy_pfn(VirtQueue *vq, uint32_t pfn);
/* The driver kicked queue n: runs its handler (ignored before DRIVER_OK or when broken). */
void virtio_queue_notify(VirtIODevice *vdev, unsigned n);
/* ISR: read-and-clear (PCI), or acknowledge some bits (MMIO InterruptACK). */
uint8_t virtio_isr_read_clear(VirtIODevice *vdev);
void virtio_isr_ack(VirtIODevice *vdev, uint8_t bits);

#endif
