#!/bin/sh
# Disk throughput inside the guest with busybox dd on the raw device $1 (O_DIRECT):
# sequential 4 KiB reads and writes over 32 MiB, then 256 random 4 KiB reads and writes
# (one dd each, as a shell script would), and as "no-disk" the same 256 dd processes on
# /dev/zero: what the random figures owe to process start-up. Times from /proc/uptime.
disk=$1
now() { cut -d' ' -f1 /proc/uptime | tr -d .; }
report() {   # name bytes start
    t=$(( $(now) - $3 )); [ $t -gt 0 ] || t=1
    echo "MIMIC-BENCH $1 $(( $2 * 100 / 1024 / t )) KiB/s ($2 bytes in ${t}0 ms)"
}
s=$(now); dd if="$disk" of=/dev/null bs=4k count=8192 iflag=direct 2>/dev/null
report seq-read $((8192 * 4096)) $s
s=$(now); dd if=/dev/zero of="$disk" bs=4k count=8192 oflag=direct 2>/dev/null
report seq-write $((8192 * 4096)) $s
# the cost of the 256 dd processes alone, without the disk (subtract it from the random ones)
s=$(now); i=0
while [ $i -lt 256 ]; do
    dd if=/dev/zero of=/dev/null bs=4k count=1 skip=$((RANDOM % 8192)) 2>/dev/null
    i=$((i + 1))
done
report no-disk $((256 * 4096)) $s
s=$(now); i=0
while [ $i -lt 256 ]; do
    dd if="$disk" of=/dev/null bs=4k count=1 skip=$((RANDOM % 8192)) iflag=direct 2>/dev/null
    i=$((i + 1))
done
report rand-read $((256 * 4096)) $s
s=$(now); i=0
while [ $i -lt 256 ]; do
    dd if=/dev/zero of="$disk" bs=4k count=1 seek=$((RANDOM % 8192)) oflag=direct 2>/dev/null
    i=$((i + 1))
done
report rand-write $((256 * 4096)) $s
