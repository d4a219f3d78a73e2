#!/bin/bash
# virtio-net-pci on the pc machine with the libslirp user network: the i386 kernel of
# debian-installer-12-netboot-i386 with virtio, virtio_ring, virtio_pci(_modern_dev,
# _legacy_dev), failover, net_failover and virtio_net from the matching
# linux-image-*-686:i386 and a busybox-static:i386 initramfs. Phase 1: -netdev user with
# hostfwd and -device virtio-net-pci,mac= (Linux takes the modern interface); phase 2:
# -nic user with mrg_rxbuf=off and virtio_pci force_legacy=1, so that the driver uses the
# legacy I/O BAR and 10-byte headers. virtio-net-lib.sh says what each phase checks.
# About 60 s.
. "$(dirname "$0")/arm-guest-lib.sh"
. "$(dirname "$0")/virtio-net-lib.sh"
command -v cpio >/dev/null || skip "cpio not installed"

i386_netboot_payloads
mods=$KMODS

GUEST_BUSYBOX=$BUSYBOX
# depends= of their .modinfo: virtio_net needs virtio_ring, virtio and net_failover
GUEST_MODULES="$mods/drivers/virtio/virtio.ko $mods/drivers/virtio/virtio_ring.ko
               $mods/drivers/virtio/virtio_pci_modern_dev.ko
               $mods/drivers/virtio/virtio_pci_legacy_dev.ko $mods/drivers/virtio/virtio_pci.ko
               $mods/net/core/failover.ko $mods/drivers/net/net_failover.ko
               $mods/drivers/net/virtio_net.ko"
CONSOLE=ttyS0
run_emulator() {
    exec "$MIMIC_BUILD_DIR/mimic-system-i386" -display none -monitor none -serial stdio \
        -kernel "$KERNEL" "$@"
}
virtio_net_initramfs
virtio_net_http_server

FWD_PORT=$(free_port)
net_phase 1 52:54:00:ab:cd:ef 1 1 \
    -netdev user,id=n0,hostfwd=tcp:127.0.0.1:$FWD_PORT-:80 \
    -device virtio-net-pci,netdev=n0,mac=52:54:00:ab:cd:ef
FWD_PORT=$(free_port)
EXTRA_APPEND=mimic_args_virtio_pci=force_legacy=1
net_phase 2 52:54:00:12:34:56 0 0 -nic user,hostfwd=tcp:127.0.0.1:$FWD_PORT-:80 \
    -global virtio-net-pci.mrg_rxbuf=off
echo "virtio-net-pci ok"
