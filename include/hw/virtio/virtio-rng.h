/* The virtio entropy device (VIRTIO 1.2 section 5.4) on virtio-mmio (virtio-rng-device)
 * and PCI (virtio-rng-pci): buffers filled from getrandom(2), QEMU's max-bytes/period
 * rate limit. docs/virtio.md */
#ifndef HW_VIRTIO_VIRTIO_RNG_H
#define HW_VIRTIO_VIRTIO_RNG_H

#include "hw/qdev.h"

extern const DeviceType virtio_rng_device_type;
extern const DeviceType virtio_rng_pci_device_type;

#endif
