#!/bin/bash
# Benchmark: 4 KiB O_DIRECT sequential and random reads and writes inside the ARM guest
# (Debian's armmp kernel, virtio_mmio + virtio_blk modules, a static blkbench program built
# here with arm-linux-gnueabihf-gcc) on a virtio-blk disk, under mimic-system-arm and
# qemu-system-arm -M virt on the same raw image; runs alternate, medians are printed with
# the ratio mimic/qemu (higher is better for Mimic). Not part of make check. Environment:
# RUNS (default 5), BENCH_OPS (4 KiB operations per pattern, default 4096).
set -u
. "$(dirname "$0")/../system/arm-guest-lib.sh"
RUNS=${RUNS:-5}
OPS=${BENCH_OPS:-4096}
command -v qemu-system-arm >/dev/null || { echo "qemu-system-arm not installed"; exit 0; }
command -v arm-linux-gnueabihf-gcc >/dev/null || { echo "no arm-linux-gnueabihf-gcc"; exit 0; }
di=$(fetch_deb debian-installer-12-netboot-armhf) || { echo "no installer package"; exit 0; }
bb=$(fetch_deb busybox-static:armhf) || { echo "no busybox-static:armhf"; exit 0; }
KERNEL=$(find "$di" -path '*armhf/vmlinuz' | head -n 1)
abi=$(zcat "$(dirname "$KERNEL")/initrd.gz" | cpio -t 2>/dev/null |
      sed -n 's|^lib/modules/\([^/]*\)$|\1|p' | head -n 1)
li=$(fetch_deb "linux-image-$abi:armhf") || { echo "no linux-image-$abi:armhf"; exit 0; }
mods=$li/lib/modules/$abi/kernel/drivers

mkdir -p "$TMP/root/bin" "$TMP/root/proc" "$TMP/root/sys" "$TMP/root/dev" "$TMP/root/mod"
cp "$bb/bin/busybox" "$TMP/root/bin/busybox"
ln -s busybox "$TMP/root/bin/sh"
cp "$mods/virtio/virtio_mmio.ko" "$mods/block/virtio_blk.ko" "$TMP/root/mod/"
arm-linux-gnueabihf-gcc -O2 -static -o "$TMP/root/bin/blkbench" \
    "$(dirname "$0")/virtio-blk-guest.c" || { echo "cannot build blkbench"; exit 1; }
cat >"$TMP/root/init" <<INIT
#!/bin/sh
/bin/busybox --install -s /bin
mount -t proc proc /proc
mount -t sysfs sys /sys
mount -t devtmpfs dev /dev
insmod /mod/virtio_mmio.ko && insmod /mod/virtio_blk.ko
for i in 1 2 3 4 5 6 7 8 9 10; do [ -b /dev/vda ] && break; sleep 0.5; done
blkbench /dev/vda $OPS
echo BENCH-DONE
poweroff -f
INIT
chmod +x "$TMP/root/init"
(cd "$TMP/root" && find . | cpio -o -H newc --quiet | gzip -1) >"$TMP/initrd.gz"
head -c $((64 << 20)) /dev/zero >"$TMP/disk.raw"

one_run() {                 # $1: mimic|qemu; prints the BENCH lines
    local bin=$ARM
    [ "$1" = qemu ] && bin=qemu-system-arm
    timeout 600 "$bin" -M virt -cpu cortex-a15 -m 256 -nographic -no-reboot \
        -kernel "$KERNEL" -initrd "$TMP/initrd.gz" -append "console=ttyAMA0 quiet" \
        -drive if=none,id=d0,file="$TMP/disk.raw",format=raw \
        -device virtio-blk-device,drive=d0 </dev/null 2>&1 | tr -d '\r' | grep '^BENCH '
}

for ((r = 0; r < RUNS; r++)); do
    for who in mimic qemu; do
        one_run $who | sed "s/^/$who /" >>"$TMP/results"
    done
done
median() { sort -n | awk '{a[NR] = $1} END {print (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2}'; }
printf '%-11s %14s %14s %8s\n' pattern "mimic IOPS" "qemu IOPS" ratio
for p in seq-read rand-read seq-write rand-write; do
    m=$(awk -v p=$p '$1 == "mimic" && $3 == p {print $6}' "$TMP/results" | median)
    q=$(awk -v p=$p '$1 == "qemu" && $3 == p {print $6}' "$TMP/results" | median)
    printf '%-11s %14s %14s %8s\n' $p "$m" "$q" "$(awk -v m="$m" -v q="$q" 'BEGIN {if (q > 0) printf "%.2f", m / q}')"
done
