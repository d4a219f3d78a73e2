/* The virtio entropy device (VIRTIO 1.2 section 5.4): the driver posts device-writable
 * buffers on the one request queue and the device fills them from the host's getrandom(2)
 * (QEMU's default rng-random backend reads /dev/urandom: the same source), or from the
 * -object rng-random/rng-builtin named by rng=. QEMU's rate limit: at most max-bytes per
 * period milliseconds of guest time (default: unlimited), the quota refilled by a
 * virtual-clock timer. -device virtio-rng-device (virtio-mmio) and virtio-rng-pci
 * (transitional 1af4:1005, modern 1af4:1044). docs/virtio.md */
#include <stdint.h>
#include <stdlib.h>
#include "hw/virtio/virtio-mmio.h"
#include "hw/virtio/virtio-pci.h"
#include "hw/virtio/virtio-rng.h"
#include "system/rng-backend.h"
#include "system/timer.h"
#include "util/cutils.h"

#define RNG_QUEUE_SIZE 8
#define RNG_MAX_REQUEST (64u << 10)         /* bytes given for one buffer at most */
#define RNG_UNLIMITED ((uint64_t)INT64_MAX) /* max-bytes default, as QEMU's */
#define PCI_CLASS_OTHERS 0x00ff
#define VIRTIO_PCI_LEGACY_ID_RNG 0x1005

typedef struct VirtIORNG {
    VirtIODevice vdev;
    /* properties */
    uint64_t max_bytes;
    uint32_t period_ms;
    char *rng;                              /* the id of an -object rng-* */
    /* state */
    RngBackend *backend;                    /* NULL: getrandom(2) */
    uint64_t quota;                         /* bytes left in this period */
    Timer *refill;
} VirtIORNG;

static VirtIORNG *to_rng(VirtIODevice *vdev)
{
    return (VirtIORNG *)vdev;               /* vdev is the first member */
}

static bool rng_limited(VirtIORNG *r)
{
    return r->max_bytes < RNG_UNLIMITED;
}

/* Fills up to len bytes of the element's writable buffers with entropy; the count
 * (short when the source has no more now). */
static uint32_t rng_fill(VirtIORNG *r, VirtQueueElement *elem, uint32_t len)
{
    uint8_t buf[256];
    uint32_t done = 0;
    while (done < len) {
        size_t got = rng_backend_read(r->backend, buf, MIN(sizeof(buf), (size_t)(len - done)));
        if (!got) {
            break;
        }
        done += (uint32_t)virtio_elem_from_buf(&r->vdev, elem, done, buf, got);
    }
    return done;
}

static void rng_process(VirtIORNG *r)
{
    VirtQueue *vq = &r->vdev.vq[0];
    VirtQueueElement *elem;
    bool pushed = false;

    while (r->quota && (elem = virtqueue_pop(vq, sizeof(*elem)))) {
        if (!elem->in_len) {
            virtio_error(&r->vdev, "request %u has no device-writable buffer", elem->index);
            free(elem);
            break;
        }
        uint32_t len = (uint32_t)MIN(MIN(elem->in_len, (uint64_t)RNG_MAX_REQUEST), r->quota);
        len = rng_fill(r, elem, len);
        if (!len) {                         /* the source is dry: wait for the next kick */
            virtqueue_unpop(vq);
            free(elem);
            break;
        }
        if (rng_limited(r)) {
            r->quota -= len;
            if (!timer_pending(r->refill)) {
                timer_mod(r->refill, clock_get_ns(CLK_VIRTUAL) + r->period_ms * NS_PER_MS);
            }
        }
        virtqueue_push(vq, elem, len);
        free(elem);
        pushed = true;
    }
    if (pushed) {
        virtio_notify(&r->vdev, vq);
    }
}

static void rng_refill(void *opaque)
{
    VirtIORNG *r = opaque;
    r->quota = r->max_bytes;
    rng_process(r);
}

static void rng_handle_request(VirtIODevice *vdev, VirtQueue *vq)
{
    rng_process(to_rng(vdev));
}

static void rng_reset(VirtIODevice *vdev)
{
    VirtIORNG *r = to_rng(vdev);
    r->quota = r->max_bytes;
    timer_del(r->refill);
}

static const VirtIODeviceOps virtio_rng_ops = {
    .name = "virtio-rng",
    .device_id = VIRTIO_ID_RNG,
    .reset = rng_reset,
};

static int rng_realize(VirtIORNG *r, Error **errp)
{
    r->backend = r->rng ? rng_backend_find(r->rng) : NULL;
    if (r->rng && !r->backend) {
        error_setg(errp, "rng=%s: there is no -object rng-random or rng-builtin with that id",
                   r->rng);
        return -1;
    }
    if (r->max_bytes == 0 || r->period_ms == 0) {
        error_setg(errp, "'max-bytes' and 'period' parameters must be non-zero (%llu, %u)",
                   (unsigned long long)r->max_bytes, r->period_ms);
        return -1;
    }
    virtio_init(&r->vdev, &virtio_rng_ops, 0, 0);
    virtio_add_queue(&r->vdev, RNG_QUEUE_SIZE, rng_handle_request);
    r->refill = timer_new(CLK_VIRTUAL, rng_refill, r);
    r->quota = r->max_bytes;
    return 0;
}

static void rng_unrealize(VirtIORNG *r)
{
    timer_free(r->refill);
    r->refill = NULL;
    virtio_cleanup(&r->vdev);
}

#define DEFINE_VIRTIO_RNG_PROPS(S, F) \
    DEFINE_PROP_UINT64_RANGE("max-bytes", S, F.max_bytes, RNG_UNLIMITED, 0, RNG_UNLIMITED), \
    DEFINE_PROP_UINT32("period", S, F.period_ms, 1u << 16), \
    DEFINE_PROP_STRING("rng", S, F.rng)

/* ---- -device virtio-rng-device (on a virtio-mmio transport) ---- */

typedef struct VirtIORNGDevice {
    DeviceState parent_obj;
    VirtIORNG rng;
} VirtIORNGDevice;

static int rng_device_realize(DeviceState *dev, Error **errp)
{
    VirtIORNGDevice *d = DEVICE_CAST(VirtIORNGDevice, dev);
    if (rng_realize(&d->rng, errp) < 0) {
        return -1;
    }
    if (virtio_bus_plug(dev, &d->rng.vdev, errp) < 0) {
        rng_unrealize(&d->rng);
        return -1;
    }
    return 0;
}

static void rng_device_unrealize(DeviceState *dev)
{
    VirtIORNGDevice *d = DEVICE_CAST(VirtIORNGDevice, dev);
    virtio_bus_unplug(dev);
    rng_unrealize(&d->rng);
}

static const Property rng_device_props[] = {
    DEFINE_VIRTIO_RNG_PROPS(VirtIORNGDevice, rng),
    DEFINE_PROP_END,
};

const DeviceType virtio_rng_device_type = {
    .name = "virtio-rng-device",
    .bus_type = BUS_TYPE_VIRTIO,
    .instance_size = sizeof(VirtIORNGDevice),
    .description = "virtio entropy source (on a virtio-mmio transport)",
    .user_creatable = true,
    .realize = rng_device_realize,
    .unrealize = rng_device_unrealize,
    .props = rng_device_props,
};
DEVICE_TYPE_REGISTER(virtio_rng_device_type)

/* ---- -device virtio-rng-pci ---- */

typedef struct VirtIORNGPCI {
    VirtIOPCIProxy proxy;                   /* first: its PCIDevice starts with the qdev */
    VirtIORNG rng;
} VirtIORNGPCI;

static int rng_pci_realize(DeviceState *dev, Error **errp)
{
    VirtIORNGPCI *s = DEVICE_CAST(VirtIORNGPCI, dev);
    if (rng_realize(&s->rng, errp) < 0) {
        return -1;
    }
    if (virtio_pci_realize(&s->proxy, &s->rng.vdev, PCI_CLASS_OTHERS,
                           VIRTIO_PCI_LEGACY_ID_RNG, errp) < 0) {
        rng_unrealize(&s->rng);
        return -1;
    }
    return 0;
}

static void rng_pci_unrealize(DeviceState *dev)
{
    VirtIORNGPCI *s = DEVICE_CAST(VirtIORNGPCI, dev);
    virtio_pci_unrealize(&s->proxy);
    rng_unrealize(&s->rng);
}

static void rng_pci_reset(DeviceState *dev)
{
    virtio_pci_reset(&DEVICE_CAST(VirtIORNGPCI, dev)->proxy);
}

static const Property rng_pci_props[] = {
    DEFINE_PROP_INT_RANGE("addr", VirtIORNGPCI, proxy.pci.devfn, -1, -1, 255),
    DEFINE_PROP_BOOL("disable-legacy", VirtIORNGPCI, proxy.disable_legacy, false),
    DEFINE_VIRTIO_RNG_PROPS(VirtIORNGPCI, rng),
    DEFINE_PROP_END,
};

const DeviceType virtio_rng_pci_device_type = {
    .name = "virtio-rng-pci",
    .bus_type = BUS_TYPE_PCI,
    .instance_size = sizeof(VirtIORNGPCI),
    .description = "virtio entropy source (PCI, transitional)",
    .user_creatable = true,
    .realize = rng_pci_realize,
    .unrealize = rng_pci_unrealize,
    .reset = rng_pci_reset,
    .props = rng_pci_props,
};
DEVICE_TYPE_REGISTER(virtio_rng_pci_device_type)
