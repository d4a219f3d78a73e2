#!/bin/bash
# virtio-serial-pci and virtio-rng-pci on the pc machine: the i386 kernel of
# debian-installer-12-netboot-i386 with virtio, virtio_ring, virtio_pci(_modern_dev,
# _legacy_dev), virtio_console and virtio-rng from the matching linux-image-*-686:i386
# and a busybox-static:i386 initramfs; the checks of virtio-console-lib.sh (hwrng, a
# shell on hvc0, 64 KiB each way through a named virtserialport, -device errors).
. "$(dirname "$0")/arm-guest-lib.sh"
. "$(dirname "$0")/virtio-console-lib.sh"
command -v cpio >/dev/null || skip "cpio not installed"

i386_netboot_payloads
mods=$MODS

GUEST_BUSYBOX=$BUSYBOX
GUEST_MODULES="$mods/virtio/virtio.ko $mods/virtio/virtio_ring.ko
               $mods/virtio/virtio_pci_modern_dev.ko $mods/virtio/virtio_pci_legacy_dev.ko
               $mods/virtio/virtio_pci.ko $mods/char/virtio_console.ko
               $mods/char/hw_random/virtio-rng.ko"
CONSOLE=ttyS0
SERIAL_DEVICE=virtio-serial-pci
RNG_DEVICE=virtio-rng-pci
RNG_ARGS=(-device virtio-rng-pci)
run_emulator() {
    exec "$MIMIC_BUILD_DIR/mimic-system-i386" -display none -monitor none -serial stdio "$@"
}
virtio_console_refusals
virtio_console_initramfs
virtio_console_boot
virtio_console_rng
virtio_console_ports
echo "virtio-serial-pci ok"
