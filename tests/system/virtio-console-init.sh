#!/bin/sh
# /init of the virtio console/rng guest test (arm-virt-virtio-console.sh): loads
# /mod/order, checks virtio-rng through /dev/hwrng, names the virtio serial ports under
# /dev/virtio-ports/ (udev's job elsewhere), then runs a shell on /dev/hvc0 for the host.
/bin/busybox --install -s /bin
mount -t proc proc /proc
mount -t sysfs sys /sys
mount -t devtmpfs dev /dev
for m in $(cat /mod/order); do insmod "/mod/$m"; done
for i in $(seq 1 40); do
    names=$(cat /sys/class/virtio-ports/*/name 2>/dev/null)
    [ -c /dev/hvc0 ] && [ -c /dev/hwrng ] && [ -n "$names" ] && break
    sleep 0.25
done
echo "MIMIC-RNG-CURRENT $(cat /sys/class/misc/hw_random/rng_current)"
head -c 4096 /dev/hwrng >/tmp/r1
head -c 4096 /dev/hwrng >/tmp/r2
echo "MIMIC-RNG-BYTES $(wc -c </tmp/r1) gzip=$(gzip -9 -c /tmp/r1 | wc -c)"
echo "MIMIC-RNG-MD5 $(md5sum </tmp/r1 | cut -c1-32) $(md5sum </tmp/r2 | cut -c1-32)"
mkdir -p /dev/virtio-ports
for p in /sys/class/virtio-ports/*; do
    n=$(cat "$p/name" 2>/dev/null)
    [ -n "$n" ] && ln -sf "../${p##*/}" "/dev/virtio-ports/$n"
    echo "MIMIC-PORT ${p##*/} name=$n"
done
echo "MIMIC-READY"
exec sh -i </dev/hvc0 >/dev/hvc0 2>&1
