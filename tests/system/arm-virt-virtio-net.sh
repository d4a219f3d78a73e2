#!/bin/bash
# virtio-net over virtio-mmio on -M virt with the libslirp user network: Debian's armmp
# kernel with virtio_mmio.ko, failover.ko, net_failover.ko and virtio_net.ko from the
# matching linux-image-*-armmp:armhf, busybox-static:armhf as the initramfs. Phase 1:
# -netdev user with hostfwd and -device virtio-net-device,mac=; phase 2: -nic user with
# the default MAC and mrg_rxbuf=off (one receive buffer per frame). virtio-net-lib.sh says
# what each phase checks. About 40 s.
. "$(dirname "$0")/arm-guest-lib.sh"
. "$(dirname "$0")/virtio-net-lib.sh"
command -v cpio >/dev/null || skip "cpio not installed"

armmp_payloads
armmp_modules
mods=$KMODS

GUEST_BUSYBOX=$BUSYBOX
# depends= of their .modinfo: virtio_net needs net_failover, which needs failover
GUEST_MODULES="$mods/drivers/virtio/virtio_mmio.ko $mods/net/core/failover.ko
               $mods/drivers/net/net_failover.ko $mods/drivers/net/virtio_net.ko"
CONSOLE=ttyAMA0
run_emulator() {
    exec "$ARM" -M virt -display none -monitor none -serial stdio -kernel "$KERNEL" "$@"
}
virtio_net_initramfs
virtio_net_http_server

FWD_PORT=$(free_port)
net_phase 1 52:54:00:ab:cd:ef 1 1 \
    -netdev user,id=n0,hostfwd=tcp:127.0.0.1:$FWD_PORT-:80 \
    -device virtio-net-device,netdev=n0,mac=52:54:00:ab:cd:ef
FWD_PORT=$(free_port)
net_phase 2 52:54:00:12:34:56 0 1 -nic user,hostfwd=tcp:127.0.0.1:$FWD_PORT-:80 \
    -global virtio-net-device.mrg_rxbuf=off
echo "virtio-net ok"
