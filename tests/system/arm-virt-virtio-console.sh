#!/bin/bash
# virtio-serial and virtio-rng over virtio-mmio on -M virt: Debian's armmp kernel with
# virtio_mmio.ko, virtio_console.ko and virtio-rng.ko from the matching
# linux-image-*-armmp:armhf and a busybox-static:armhf initramfs; virtio-console-lib.sh:
# /dev/hwrng is virtio_rng.0 and random (fed by -object rng-random, as libvirt writes
# it), a shell on hvc0 (a virtconsole on a pipe chardev), 64 KiB each way through a
# virtserialport named org.mimic.test, the -device errors. About 20 s.
. "$(dirname "$0")/arm-guest-lib.sh"
. "$(dirname "$0")/virtio-console-lib.sh"
command -v cpio >/dev/null || skip "cpio not installed"

armmp_payloads
armmp_modules
mods=$MODS

GUEST_BUSYBOX=$BUSYBOX
GUEST_MODULES="$mods/virtio/virtio_mmio.ko $mods/char/virtio_console.ko
               $mods/char/hw_random/virtio-rng.ko"
CONSOLE=ttyAMA0
SERIAL_DEVICE=virtio-serial-device
RNG_DEVICE=virtio-rng-device
RNG_ARGS=(-object rng-random,id=rng0,filename=/dev/urandom -device virtio-rng-device,rng=rng0)
run_emulator() {
    exec "$ARM" -M virt -display none -monitor none -serial stdio "$@"
}
virtio_console_refusals
virtio_console_initramfs
virtio_console_boot
virtio_console_rng
virtio_console_ports
echo "virtio-console ok"
