#!/bin/bash
# virtio-blk over virtio-mmio on -M virt with Debian's armmp kernel, virtio_mmio.ko and
# virtio_blk.ko from the matching linux-image-*-armmp:armhf package, and a busybox
# initramfs whose /init does the whole test (the phase comes from the kernel command line):
#  1. -device virtio-blk-device,drive=...,serial=main on a qcow2 overlay of a raw file of
#     random data: the guest finds the disk by its serial (GET_ID), its md5sum is the
#     host's (multi-sector reads), it reads the host's marker, writes its own with fsync,
#     discards a range, reads its write back after dropping its caches and powers off. The host
#     sees the write in the overlay; the raw backing file is unchanged.
#  2. -snapshot, the same overlay as -drive if=virtio plus a readonly=on disk: the guest
#     reads phase 1's write, writes over it and reads that back; the read-only disk refuses
#     writes. After exit the overlay still holds phase 1's data.
. "$(dirname "$0")/arm-guest-lib.sh"
command -v cpio >/dev/null || skip "cpio not installed"
IMG=$MIMIC_BUILD_DIR/mimic-img

di=$(fetch_deb debian-installer-12-netboot-armhf) ||
    skip "cannot fetch debian-installer-12-netboot-armhf from the Debian archive"
bb=$(fetch_deb busybox-static:armhf) || skip "cannot fetch busybox-static:armhf"
KERNEL=$(find "$di" -path '*armhf/vmlinuz' | head -n 1)
[ -f "$KERNEL" ] || fail "no vmlinuz in debian-installer-12-netboot-armhf"
# The modules' ABI is the one of the installer's own modules.
abi=$(zcat "$(dirname "$KERNEL")/initrd.gz" | cpio -t 2>/dev/null |
      sed -n 's|^lib/modules/\([^/]*\)$|\1|p' | head -n 1)
[ -n "$abi" ] || fail "cannot read the kernel ABI from the installer's initrd"
li=$(fetch_deb "linux-image-$abi:armhf") || skip "cannot fetch linux-image-$abi:armhf"
mods=$li/lib/modules/$abi/kernel/drivers

mkdir -p "$TMP/root/bin" "$TMP/root/proc" "$TMP/root/sys" "$TMP/root/dev" "$TMP/root/mod"
cp "$bb/bin/busybox" "$TMP/root/bin/busybox"
ln -s busybox "$TMP/root/bin/sh"
cp "$mods/virtio/virtio_mmio.ko" "$mods/block/virtio_blk.ko" "$TMP/root/mod/" ||
    fail "virtio_mmio.ko or virtio_blk.ko missing from linux-image-$abi"
cat >"$TMP/root/init" <<'INIT'
#!/bin/sh
/bin/busybox --install -s /bin
mount -t proc proc /proc
mount -t sysfs sys /sys
mount -t devtmpfs dev /dev
insmod /mod/virtio_mmio.ko && insmod /mod/virtio_blk.ko
phase=$(sed -n 's/.*mimic_phase=\([0-9]\).*/\1/p' /proc/cmdline)
disk_by_serial() {           # $1: serial, or "!ro" for the disk whose serial is not "ro"
    for d in /sys/block/vd*; do
        s=$(cat "$d/serial" 2>/dev/null)
        if [ "$s" = "$1" ] || { [ "$1" = "!ro" ] && [ "$s" != ro ]; }; then
            echo "/dev/${d##*/}"
        fi
    done
}
for i in 1 2 3 4 5 6 7 8 9 10; do [ -b /dev/vda ] && break; sleep 0.5; done
main=$(disk_by_serial main)
[ "$phase" = 2 ] && main=$(disk_by_serial '!ro')
echo "MIMIC-DISK $main sectors=$(cat /sys/block/${main#/dev/}/size) ro=$(cat /sys/block/${main#/dev/}/ro)"
echo "MIMIC-MD5 $(md5sum < $main | cut -c1-32)"
echo "MIMIC-HOSTDATA $(dd if=$main bs=512 skip=8 count=1 2>/dev/null | head -c 15)"
echo "MIMIC-BEFORE $(dd if=$main bs=512 skip=16 count=1 2>/dev/null | head -c 20)"
printf "GUEST-WRITE-$phase" | dd of=$main bs=512 seek=16 conv=sync,fsync 2>/dev/null
if [ "$phase" = 1 ]; then
    blkdiscard -o 1048576 -l 65536 $main && echo "MIMIC-DISCARD ok"
fi
sync
echo 3 > /proc/sys/vm/drop_caches
echo "MIMIC-AFTER $(dd if=$main bs=512 skip=16 count=1 2>/dev/null | head -c 20)"
if [ "$phase" = 2 ]; then
    ro=$(disk_by_serial ro)
    echo "MIMIC-RO $ro ro=$(cat /sys/block/${ro#/dev/}/ro)"
    echo x | dd of=$ro bs=512 seek=1 conv=sync,fsync 2>/dev/null || echo "MIMIC-RO-WRITE refused"
fi
echo "MIMIC-DONE"
poweroff -f
INIT
chmod +x "$TMP/root/init"
(cd "$TMP/root" && find . | cpio -o -H newc --quiet | gzip -1) >"$TMP/initrd.gz"

# The disk: 8 MiB of random data with a marker at sector 8, a qcow2 overlay on it.
head -c $((8 << 20)) /dev/urandom >"$TMP/base.raw"
printf 'MIMIC-HOST-DATA' | dd of="$TMP/base.raw" bs=512 seek=8 conv=notrunc 2>/dev/null
base_md5=$(md5sum <"$TMP/base.raw" | cut -c1-32)
head -c $((2 << 20)) /dev/zero >"$TMP/ro.raw"
"$IMG" create -q -f qcow2 -b "$TMP/base.raw" -F raw "$TMP/overlay.qcow2" >/dev/null ||
    fail "mimic-img create"

run_phase() {               # $1: phase, then emulator arguments
    local phase=$1 rc
    shift
    : >"$TMP/out"
    rm -f "$TMP/in"
    start_guest -m 256 -kernel "$KERNEL" -initrd "$TMP/initrd.gz" \
        -append "console=ttyAMA0 rdinit=/init panic=-1 mimic_phase=$phase" -no-reboot "$@"
    wait_for "MIMIC-DONE" ${MIMIC_VIRTIO_TIMEOUT:-300}
    wait "$GUEST_PID"; rc=$?
    GUEST_PID=
    exec 3>&-
    [ $rc -eq 0 ] || fail "phase $phase: the emulator exited $rc"
}
expect() { grep -qF -- "$1" "$TMP/out" || fail "phase $2: no '$1' in the guest's output"; }

run_phase 1 -drive if=none,id=d0,file="$TMP/overlay.qcow2",format=qcow2 \
    -device virtio-blk-device,drive=d0,serial=main
expect "MIMIC-DISK /dev/vda sectors=16384 ro=0" 1
expect "MIMIC-MD5 $base_md5" 1
expect "MIMIC-HOSTDATA MIMIC-HOST-DATA" 1
expect "MIMIC-DISCARD ok" 1
expect "MIMIC-AFTER GUEST-WRITE-1" 1
[ "$(md5sum <"$TMP/base.raw" | cut -c1-32)" = "$base_md5" ] || fail "the raw backing file changed"
"$IMG" convert -f qcow2 -O raw "$TMP/overlay.qcow2" "$TMP/flat.raw" || fail "mimic-img convert"
[ "$(dd if="$TMP/flat.raw" bs=512 skip=16 count=1 2>/dev/null | head -c 13)" = GUEST-WRITE-1 ] ||
    fail "the guest's write is not in the qcow2 overlay"
echo "phase 1 ok: the write is in the overlay, the backing file is unchanged"

run_phase 2 -snapshot -drive if=virtio,file="$TMP/overlay.qcow2",format=qcow2 \
    -drive if=none,id=r,file="$TMP/ro.raw",format=raw,readonly=on \
    -device virtio-blk-device,drive=r,serial=ro
expect "MIMIC-BEFORE GUEST-WRITE-1" 2
expect "MIMIC-AFTER GUEST-WRITE-2" 2
expect "ro=1" 2
expect "MIMIC-RO-WRITE refused" 2
"$IMG" convert -f qcow2 -O raw "$TMP/overlay.qcow2" "$TMP/flat.raw" || fail "mimic-img convert"
[ "$(dd if="$TMP/flat.raw" bs=512 skip=16 count=1 2>/dev/null | head -c 13)" = GUEST-WRITE-1 ] ||
    fail "-snapshot: the guest's write reached the overlay"
[ "$(md5sum <"$TMP/base.raw" | cut -c1-32)" = "$base_md5" ] || fail "the raw backing file changed"
echo "phase 2 ok: -snapshot kept the overlay unchanged, the read-only disk refused writes"
echo "virtio-blk ok"
