/* The device half of the virtio core (VIRTIO 1.2, "Basic Facilities of a Virtio Device"):
 * status register, feature negotiation, configuration space with its generation and change
 * interrupt, ISR, device reset and the "needs reset" error state. The rings themselves are
 * in virtqueue.c. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "hw/virtio/virtio.h"
#include "hw/virtio/virtio-internal.h"
#include "util/cutils.h"
#include "util/log.h"

/* Feature bits the core implements for every device. */
#define VIRTIO_CORE_FEATURES \
    ((1ull << VIRTIO_F_VERSION_1) | (1ull << VIRTIO_RING_F_INDIRECT_DESC) | \
     (1ull << VIRTIO_RING_F_EVENT_IDX) | (1ull << VIRTIO_F_NOTIFY_ON_EMPTY) | \
     (1ull << VIRTIO_F_ANY_LAYOUT))

void virtio_init(VirtIODevice *vdev, const VirtIODeviceOps *ops, size_t config_len,
                 uint64_t device_features)
{
    memset(vdev, 0, sizeof(*vdev));
    vdev->ops = ops;
    vdev->config_len = config_len;
    vdev->config = xzalloc(config_len ? config_len : 1);
    vdev->host_features = device_features | VIRTIO_CORE_FEATURES;
    for (unsigned i = 0; i < VIRTIO_QUEUE_MAX; i++) {
        vdev->vq[i].vdev = vdev;
        vdev->vq[i].queue_index = (uint16_t)i;
    }
}

void virtio_cleanup(VirtIODevice *vdev)
{
    free(vdev->config);
    vdev->config = NULL;
}

VirtQueue *virtio_add_queue(VirtIODevice *vdev, unsigned max_size, VirtIOHandleOutput *handle)
{
    for (unsigned i = 0; i < VIRTIO_QUEUE_MAX; i++) {
        VirtQueue *vq = &vdev->vq[i];
        if (!vq->num_max) {
            vq->num_max = (uint16_t)MIN(max_size, VIRTQUEUE_MAX_SIZE);
            vq->num = vq->num_max;
            vq->handle_output = handle;
            vq->notification = true;
            return vq;
        }
    }
    abort();                    /* a device model asking for too many queues: a bug */
}

void virtio_bind_transport(VirtIODevice *vdev, const VirtIOTransportOps *ops, void *opaque,
                           AddressSpace *dma_as)
{
    vdev->transport = ops;
    vdev->transport_opaque = opaque;
    vdev->dma_as = dma_as;
}

static void virtio_update_irq(VirtIODevice *vdev)
{
    if (vdev->transport && vdev->transport->update_irq) {
        vdev->transport->update_irq(vdev->transport_opaque);
    }
}

static void virtio_queue_reset(VirtQueue *vq)
{
    vq->num = vq->num_max;
    vq->ready = false;
    vq->desc = vq->avail = vq->used = 0;
    vq->last_avail_idx = vq->used_idx = 0;
    vq->signalled_used = 0;
    vq->signalled_used_valid = false;
    vq->notification = true;
    vq->inuse = 0;
}

void virtio_reset(VirtIODevice *vdev)
{
    if (vdev->ops->reset) {
        vdev->ops->reset(vdev);
    }
    vdev->status = 0;
    vdev->broken = false;
    vdev->legacy = false;
    vdev->guest_features = 0;
    vdev->isr = 0;
    for (unsigned i = 0; i < VIRTIO_QUEUE_MAX; i++) {
        virtio_queue_reset(&vdev->vq[i]);
    }
    virtio_update_irq(vdev);
}

uint64_t virtio_host_features(const VirtIODevice *vdev)
{
    return vdev->legacy ? vdev->host_features & VIRTIO_LEGACY_FEATURES_MASK
                        : vdev->host_features;
}

void virtio_set_guest_features(VirtIODevice *vdev, uint64_t features)
{
    if (vdev->status & VIRTIO_CONFIG_S_FEATURES_OK) {
        log_category_printf(LOG_GUEST_ERROR, "%s: features written after FEATURES_OK\n",
                            vdev->ops->name);
        return;
    }
    vdev->guest_features = features & virtio_host_features(vdev);
}

/* FEATURES_OK: a 1.x driver must accept VERSION_1; the model may refuse combinations. */
static bool virtio_features_acceptable(VirtIODevice *vdev)
{
    if (!vdev->legacy && !virtio_has_feature(vdev, VIRTIO_F_VERSION_1)) {
        log_category_printf(LOG_GUEST_ERROR, "%s: FEATURES_OK without VERSION_1 refused\n",
                            vdev->ops->name);
        return false;
    }
    return !vdev->ops->validate_features || vdev->ops->validate_features(vdev);
}

void virtio_set_status(VirtIODevice *vdev, uint8_t status)
{
    if (status == 0) {
        virtio_reset(vdev);
        return;
    }
    bool features_ok_now = (status & VIRTIO_CONFIG_S_FEATURES_OK) &&
                           !(vdev->status & VIRTIO_CONFIG_S_FEATURES_OK);
    if (features_ok_now && !virtio_features_acceptable(vdev)) {
        status &= (uint8_t)~VIRTIO_CONFIG_S_FEATURES_OK;
    }
    /* NEEDS_RESET is the device's to set; the driver cannot clear it either. */
    status = (uint8_t)((status & ~VIRTIO_CONFIG_S_NEEDS_RESET) |
                       (vdev->status & VIRTIO_CONFIG_S_NEEDS_RESET));
    vdev->status = status;
    if (vdev->ops->set_status) {
        vdev->ops->set_status(vdev, status);
    }
}

uint32_t virtio_config_read(VirtIODevice *vdev, uint32_t offset, unsigned size)
{
    uint32_t value = 0;
    if (size > 4 || offset >= vdev->config_len || size > vdev->config_len - offset) {
        return 0;
    }
    if (vdev->ops->get_config) {
        vdev->ops->get_config(vdev, vdev->config);
    }
    for (unsigned i = 0; i < size; i++) {
        value |= (uint32_t)vdev->config[offset + i] << (8 * i);
    }
    return value;
}

void virtio_config_write(VirtIODevice *vdev, uint32_t offset, unsigned size, uint32_t value)
{
    if (size > 4 || offset >= vdev->config_len || size > vdev->config_len - offset) {
        return;
    }
    if (vdev->ops->get_config) {
        vdev->ops->get_config(vdev, vdev->config);
    }
    for (unsigned i = 0; i < size; i++) {
        vdev->config[offset + i] = (uint8_t)(value >> (8 * i));
    }
    if (vdev->ops->set_config) {
        vdev->ops->set_config(vdev, vdev->config);
    }
}

void virtio_notify_config(VirtIODevice *vdev)
{
    vdev->config_generation++;
    if (!(vdev->status & VIRTIO_CONFIG_S_DRIVER_OK)) {
        return;
    }
    vdev->isr |= VIRTIO_ISR_CONFIG;
    virtio_update_irq(vdev);
}

void virtio_error(VirtIODevice *vdev, const char *fmt, ...)
{
    char msg[256];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof(msg), fmt, ap);
    va_end(ap);
    log_category_printf(LOG_GUEST_ERROR, "%s: %s (device stopped until reset)\n",
                        vdev->ops->name, msg);
    vdev->broken = true;
    if (virtio_has_feature(vdev, VIRTIO_F_VERSION_1)) {
        vdev->status |= VIRTIO_CONFIG_S_NEEDS_RESET;
        virtio_notify_config(vdev);
    }
}

VirtQueue *virtio_get_queue(VirtIODevice *vdev, unsigned n)
{
    if (n >= VIRTIO_QUEUE_MAX || !vdev->vq[n].num_max) {
        return NULL;
    }
    return &vdev->vq[n];
}

bool virtio_queue_set_num(VirtQueue *vq, unsigned num)
{
    if (num == 0 || num > vq->num_max || (num & (num - 1))) {
        log_category_printf(LOG_GUEST_ERROR, "%s: queue %u size %u refused (max %u)\n",
                            vq->vdev->ops->name, vq->queue_index, num, vq->num_max);
        return false;
    }
    vq->num = (uint16_t)num;
    return true;
}

/* Legacy layout (a contiguous ring): descriptors, the avail ring, then the used ring at the
 * next 4096-byte boundary. */
void virtio_queue_set_legacy_pfn(VirtQueue *vq, uint32_t pfn)
{
    if (pfn == 0) {
        virtio_queue_reset(vq);
        return;
    }
    uint64_t base = (uint64_t)pfn * VIRTIO_LEGACY_ALIGN;
    uint64_t avail_end = base + 16ull * vq->num + 6 + 2ull * vq->num;
    vq->desc = base;
    vq->avail = base + 16ull * vq->num;
    vq->used = (avail_end + VIRTIO_LEGACY_ALIGN - 1) & ~(uint64_t)(VIRTIO_LEGACY_ALIGN - 1);
    vq->ready = true;
}

void virtio_queue_notify(VirtIODevice *vdev, unsigned n)
{
    VirtQueue *vq = virtio_get_queue(vdev, n);
    if (!vq) {
        log_category_printf(LOG_GUEST_ERROR, "%s: notify of queue %u that does not exist\n",
                            vdev->ops->name, n);
        return;
    }
    if (vdev->broken || !vq->ready || !vq->handle_output) {
        return;
    }
    vq->handle_output(vdev, vq);
}

uint8_t virtio_isr_read_clear(VirtIODevice *vdev)
{
    uint8_t isr = vdev->isr;
    if (isr) {
        vdev->isr = 0;
        virtio_update_irq(vdev);
    }
    return isr;
}

void virtio_isr_ack(VirtIODevice *vdev, uint8_t bits)
{
    if (vdev->isr & bits) {
        vdev->isr &= (uint8_t)~bits;
        virtio_update_irq(vdev);
    }
}

void virtio_raise_queue_irq(VirtIODevice *vdev)
{
    vdev->isr |= VIRTIO_ISR_QUEUE;
    virtio_update_irq(vdev);
}
