#!/bin/bash
# virtio-blk-pci on the pc machine: the i386 kernel of debian-installer-12-netboot-i386
# with virtio, virtio_ring, virtio_pci(_modern_dev, _legacy_dev) and virtio_blk from the
# matching linux-image-*-686:i386 package and a busybox-static:i386 initramfs; the two
# phases of virtio-blk-lib.sh (-device virtio-blk-pci, then -drive if=virtio with
# -snapshot and a read-only disk). About 45 s.
. "$(dirname "$0")/arm-guest-lib.sh"
. "$(dirname "$0")/virtio-blk-lib.sh"
command -v cpio >/dev/null || skip "cpio not installed"

i386_netboot_payloads
mods=$MODS/virtio

GUEST_BUSYBOX=$BUSYBOX
GUEST_MODULES="$mods/virtio.ko $mods/virtio_ring.ko $mods/virtio_pci_modern_dev.ko
               $mods/virtio_pci_legacy_dev.ko $mods/virtio_pci.ko
               $MODS/block/virtio_blk.ko"
CONSOLE=ttyS0
BLK_DEVICE=virtio-blk-pci
run_emulator() {
    exec "$MIMIC_BUILD_DIR/mimic-system-i386" -display none -monitor none -serial stdio \
        -kernel "$KERNEL" "$@"
}
virtio_blk_initramfs
virtio_blk_disks
virtio_blk_phases
echo "virtio-blk-pci ok"
