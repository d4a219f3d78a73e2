/* A fake virtio driver for the unit tests of virtio device models on a virtio-mmio
 * transport (VIRTIO 1.2 "Virtio Over MMIO" registers, split rings in pc_env's RAM): the
 * status handshake, queues of VT_QSIZE descriptors, one-buffer chains made available and
 * kicked, the used ring read back. */
#ifndef TESTS_UNIT_VIRTIO_TEST_DRIVER_H
#define TESTS_UNIT_VIRTIO_TEST_DRIVER_H

#include <stdbool.h>
#include <stdint.h>

#define VT_QSIZE 16
#define VT_MAX_QUEUES 8
#define VT_RINGS 0x10000u          /* queue n's rings at VT_RINGS + n * 0x1000 */

typedef struct VtQueue {
    uint64_t desc, avail, used;
    uint16_t avail_idx, used_seen, next_desc;
} VtQueue;

typedef struct VtDriver {
    uint64_t base;                  /* the transport's registers */
    VtQueue q[VT_MAX_QUEUES];
} VtDriver;

uint32_t vt_reg(VtDriver *d, unsigned off);
void vt_wreg(VtDriver *d, unsigned off, uint32_t v);
/* Resets the device, accepts features (the device must take them: FEATURES_OK stays
 * set), sets up queues 0..nqueues-1 and sets DRIVER_OK. */
void vt_driver_start(VtDriver *d, uint64_t base, uint64_t features, unsigned nqueues);
/* The device's offered features (64 bits). */
uint64_t vt_device_features(VtDriver *d);
/* Makes one buffer available on queue q (device-writable or readable) without a kick. */
void vt_add(VtDriver *d, unsigned q, uint64_t addr, uint32_t len, bool writable);
void vt_kick(VtDriver *d, unsigned q);
/* vt_add, then vt_kick. */
void vt_post(VtDriver *d, unsigned q, uint64_t addr, uint32_t len, bool writable);
/* The next used entry of queue q: false when the device returned nothing new. */
bool vt_used(VtDriver *d, unsigned q, uint32_t *head, uint32_t *len);
/* The device asked for a reset (a malformed ring broke it). */
bool vt_needs_reset(VtDriver *d);

#endif
