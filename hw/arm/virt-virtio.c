/* The virt board's virtio-mmio transports, as QEMU's virt: 32 windows of 0x200 bytes from
 * 0x0a000000 with SPIs 16..47, created from the highest address down so that the first
 * -device virtio-*-device (and the first -drive if=virtio) takes the highest one, then a
 * virtio-blk-device for each -drive if=virtio in command-line order. */
#include "hw/arm/virt.h"
#include "hw/virtio/virtio-blk.h"

int virt_create_virtio(VirtBoard *vb, Error **errp)
{
    for (int i = VIRT_NUM_VIRTIO - 1; i >= 0; i--) {
        vb->virtio[i] = virtio_mmio_create(VIRT_MMIO_BASE + (uint64_t)i * VIRTIO_MMIO_SIZE, i,
                                           arm_gic_spi(vb->gic, VIRT_MMIO_SPI + i),
                                           &vb->machine->as_memory, errp);
        if (!vb->virtio[i]) {
            return -1;
        }
    }
    return virtio_blk_create_for_drives(virtio_blk_device_type.name, NULL, errp);
}
