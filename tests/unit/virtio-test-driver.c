/* A fake virtio-mmio driver for device model tests: see virtio-test-driver.h. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>
#include "hw/virtio/virtio.h"
#include "pc-test-util.h"
#include "virtio-test-driver.h"

enum { DEV_FEATURES = 0x10, DEV_FEATURES_SEL = 0x14, DRV_FEATURES = 0x20,
       DRV_FEATURES_SEL = 0x24, QUEUE_SEL = 0x30, QUEUE_NUM = 0x38, QUEUE_READY = 0x44,
       QUEUE_NOTIFY = 0x50, STATUS = 0x70, QUEUE_DESC = 0x80, QUEUE_AVAIL = 0x90,
       QUEUE_USED = 0xa0 };
#define VRING_DESC_F_WRITE 2

uint32_t vt_reg(VtDriver *d, unsigned off)
{
    return (uint32_t)mmio_read(d->base + off, 4);
}

void vt_wreg(VtDriver *d, unsigned off, uint32_t v)
{
    mmio_write(d->base + off, 4, v);
}

uint64_t vt_device_features(VtDriver *d)
{
    vt_wreg(d, DEV_FEATURES_SEL, 1);
    uint64_t hi = vt_reg(d, DEV_FEATURES);
    vt_wreg(d, DEV_FEATURES_SEL, 0);
    return hi << 32 | vt_reg(d, DEV_FEATURES);
}

static void queue_setup(VtDriver *d, unsigned n)
{
    VtQueue *q = &d->q[n];
    q->desc = VT_RINGS + n * 0x1000u;
    q->avail = q->desc + 0x400;
    q->used = q->desc + 0x800;
    q->avail_idx = q->used_seen = q->next_desc = 0;
    for (unsigned off = 0; off < 0x1000; off += 8) {
        mmio_write(q->desc + off, 8, 0);
    }
    vt_wreg(d, QUEUE_SEL, n);
    vt_wreg(d, QUEUE_NUM, VT_QSIZE);
    vt_wreg(d, QUEUE_DESC, (uint32_t)q->desc);
    vt_wreg(d, QUEUE_DESC + 4, 0);
    vt_wreg(d, QUEUE_AVAIL, (uint32_t)q->avail);
    vt_wreg(d, QUEUE_AVAIL + 4, 0);
    vt_wreg(d, QUEUE_USED, (uint32_t)q->used);
    vt_wreg(d, QUEUE_USED + 4, 0);
    vt_wreg(d, QUEUE_READY, 1);
}

void vt_driver_start(VtDriver *d, uint64_t base, uint64_t features, unsigned nqueues)
{
    const uint32_t ack = VIRTIO_CONFIG_S_ACKNOWLEDGE | VIRTIO_CONFIG_S_DRIVER;
    d->base = base;
    vt_wreg(d, STATUS, 0);
    vt_wreg(d, STATUS, ack);
    vt_wreg(d, DRV_FEATURES_SEL, 0);
    vt_wreg(d, DRV_FEATURES, (uint32_t)features);
    vt_wreg(d, DRV_FEATURES_SEL, 1);
    vt_wreg(d, DRV_FEATURES, (uint32_t)(features >> 32));
    vt_wreg(d, STATUS, ack | VIRTIO_CONFIG_S_FEATURES_OK);
    assert_true(vt_reg(d, STATUS) & VIRTIO_CONFIG_S_FEATURES_OK);
    assert_true(nqueues <= VT_MAX_QUEUES);
    for (unsigned n = 0; n < nqueues; n++) {
        queue_setup(d, n);
    }
    vt_wreg(d, STATUS, ack | VIRTIO_CONFIG_S_FEATURES_OK | VIRTIO_CONFIG_S_DRIVER_OK);
}

void vt_add(VtDriver *d, unsigned n, uint64_t addr, uint32_t len, bool writable)
{
    VtQueue *q = &d->q[n];
    unsigned i = q->next_desc++ % VT_QSIZE;
    mmio_write(q->desc + 16 * i, 8, addr);
    mmio_write(q->desc + 16 * i + 8, 4, len);
    mmio_write(q->desc + 16 * i + 12, 2, writable ? VRING_DESC_F_WRITE : 0);
    mmio_write(q->desc + 16 * i + 14, 2, 0);
    mmio_write(q->avail + 4 + 2 * (q->avail_idx % VT_QSIZE), 2, i);
    mmio_write(q->avail + 2, 2, ++q->avail_idx);
}

void vt_kick(VtDriver *d, unsigned n)
{
    vt_wreg(d, QUEUE_NOTIFY, n);
}

void vt_post(VtDriver *d, unsigned n, uint64_t addr, uint32_t len, bool writable)
{
    vt_add(d, n, addr, len, writable);
    vt_kick(d, n);
}

bool vt_used(VtDriver *d, unsigned n, uint32_t *head, uint32_t *len)
{
    VtQueue *q = &d->q[n];
    if ((uint16_t)mmio_read(q->used + 2, 2) == q->used_seen) {
        return false;
    }
    uint64_t elem = q->used + 4 + 8 * (q->used_seen++ % VT_QSIZE);
    *head = (uint32_t)mmio_read(elem, 4);
    *len = (uint32_t)mmio_read(elem + 4, 4);
    return true;
}

bool vt_needs_reset(VtDriver *d)
{
    return vt_reg(d, STATUS) & VIRTIO_CONFIG_S_NEEDS_RESET;
}
