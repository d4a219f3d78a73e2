#!/bin/busybox sh
# /init of the disk tests' initramfs: loads the disk modules, then runs the part named by
# mimic.test= on the kernel command line; every result is a marker line on the console.
/bin/busybox --install -s /bin
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev
while read -r m; do insmod "$m" 2>/dev/null || echo "MIMIC-INSMOD-FAILED $m"; done </lib/modules/order
test=$(sed -n 's/.*mimic\.test=\([a-z0-9]*\).*/\1/p' /proc/cmdline)
# mimic.disk=H:C:T:L names the disk by its SCSI address (sd names follow probe order)
addr=$(sed -n 's/.*mimic\.disk=\([0-9:]*\).*/\1/p' /proc/cmdline)
addr=${addr:-0:0:0:0}
# mimic.blk=NAME names a disk that is no SCSI device (vda on virtio-blk) instead
blk=$(sed -n 's/.*mimic\.blk=\([a-z0-9]*\).*/\1/p' /proc/cmdline)
# the disks and CD drives show up asynchronously
if [ -n "$blk" ]; then
    for _ in $(seq 1 50); do [ -e /sys/block/$blk ] && break; sleep 0.2; done
    disk=/dev/$blk
else
    for _ in $(seq 1 50); do [ -d /sys/bus/scsi/devices/$addr/block ] && break; sleep 0.2; done
    sleep 1
    disk=/dev/$(ls /sys/bus/scsi/devices/$addr/block 2>/dev/null | head -n 1)
fi
echo "MIMIC-DISKS: $(ls /sys/block | tr '\n' ' ')"

case "$test" in
rw)     # read what the host put in sector 0 of the first disk, write sector 100 back
    echo "MIMIC-GUEST-READ:$(dd if=$disk bs=512 count=1 2>/dev/null | head -c 16)"
    printf 'GUEST-WROTE-THIS' | dd of=$disk bs=512 seek=100 conv=sync,fsync 2>/dev/null
    echo "MIMIC-GUEST-WRITE-DONE"
    ;;
cdchange)   # print the CD's marker; after the host's change print the new one
    old=""
    for _ in $(seq 1 120); do
        cur=$(dd if=/dev/sr0 bs=2048 skip=16 count=1 2>/dev/null | grep -ao 'MIMIC_ISO_[A-Z]*' | head -n 1)
        [ "$cur" != "$old" ] && echo "MIMIC-GUEST-CD:$cur size=$(cat /sys/block/sr0/size)"
        old=$cur
        [ "$cur" = MIMIC_ISO_SECOND ] && break
        sleep 1
    done
    ;;
crash)      # records 1.. to sectors 1.., each flushed (fsync) before it is reported
    i=1
    while [ $i -le 100000 ]; do
        printf 'RECORD-%08d' $i | dd of=$disk bs=512 seek=$i conv=sync,fsync 2>/dev/null
        echo "MIMIC-FLUSHED $i"
        i=$((i + 1))
    done
    ;;
bench)      # sequential and random 4 KiB throughput on the first disk
    /bin/sh /bench.sh $disk
    ;;
*)
    echo "MIMIC-SHELL-READY"
    exec setsid cttyhack sh
    ;;
esac
sync
echo "MIMIC-GUEST-END"
poweroff -f
