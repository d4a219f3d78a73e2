#!/bin/bash
# virtio-blk over virtio-mmio on -M virt: Debian's armmp kernel with virtio_mmio.ko and
# virtio_blk.ko from the matching linux-image-*-armmp:armhf package and a busybox-static:armhf
# initramfs; the two phases of virtio-blk-lib.sh (-device virtio-blk-device, then
# -drive if=virtio with -snapshot and a read-only disk). About 30 s.
. "$(dirname "$0")/arm-guest-lib.sh"
. "$(dirname "$0")/virtio-blk-lib.sh"
command -v cpio >/dev/null || skip "cpio not installed"

armmp_payloads
armmp_modules
mods=$MODS

GUEST_BUSYBOX=$BUSYBOX
GUEST_MODULES="$mods/virtio/virtio_mmio.ko $mods/block/virtio_blk.ko"
CONSOLE=ttyAMA0
BLK_DEVICE=virtio-blk-device
run_emulator() {
    exec "$ARM" -M virt -display none -monitor none -serial stdio -kernel "$KERNEL" "$@"
}
virtio_blk_initramfs
virtio_blk_disks
virtio_blk_phases
echo "virtio-blk ok"
