#!/bin/sh
# /init of the virtio-blk guest tests (virtio-blk-lib.sh): loads /mod/order, then tests
# the disks; the phase comes from the kernel command line (mimic_phase=N).
/bin/busybox --install -s /bin
mount -t proc proc /proc
mount -t sysfs sys /sys
mount -t devtmpfs dev /dev
for m in $(cat /mod/order); do insmod "/mod/$m"; done
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
sys=/sys/block/${main#/dev/}
echo "MIMIC-DISK $main sectors=$(cat $sys/size) ro=$(cat $sys/ro)"
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
