/* Between the two halves of the virtio core (virtio.c, virtqueue.c); not for devices. */
#ifndef HW_VIRTIO_VIRTIO_INTERNAL_H
#define HW_VIRTIO_VIRTIO_INTERNAL_H

#include "hw/virtio/virtio.h"

/* Sets the queue bit of the ISR and updates the transport's interrupt line. */
void virtio_raise_queue_irq(VirtIODevice *vdev);

#endif
