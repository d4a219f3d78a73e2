#!/bin/bash
# Disk throughput inside a Linux guest on IDE (ata_piix) and AHCI: busybox dd, sequential
# and random 4 KiB reads and writes on a 64 MiB raw image (disk-guests/bench.sh), under
# Mimic and under qemu-system-i386 (TCG) on the same kernel, initramfs and image. Needs
# the Linux payloads of the disk tests (downloads them like MIMIC_LONG_TESTS=1 does).
# MIMIC_BENCH_RUNS (default 1) runs each, alternating; figures as the guest reports them.
set -u
: "${MIMIC_BUILD_DIR:?run through make bench}"
export MIMIC_SRC_DIR=${MIMIC_SRC_DIR:-$(cd "$(dirname "$0")/../.." && pwd)}
export MIMIC_LONG_TESTS=1
TMP=$(mktemp -d); pid=
trap '[ -n "$pid" ] && kill $pid 2>/dev/null; rm -rf "$TMP"' EXIT
. "$MIMIC_SRC_DIR/tests/system/disk-linux-lib.sh"
command -v qemu-system-i386 >/dev/null || skip "qemu-system-i386 is not installed"
truncate -s 64M "$TMP/bench.raw"

# run EMULATOR CONTROLLER: one guest run, its MIMIC-BENCH lines
run() {
    local emu=$1 ctl=$2 out=$TMP/$1-$2.out disk addr
    disk=(-drive "file=$TMP/bench.raw,format=raw,if=ide,index=0"); addr=0:0:0:0
    if [ "$ctl" = ahci ]; then
        disk=(-device ahci,id=ahci -drive "if=none,id=d0,file=$TMP/bench.raw,format=raw"
              -device ide-hd,drive=d0,bus=ahci.0); addr=2:0:0:0
    fi
    local bin=$MIMIC_BUILD_DIR/mimic-system-i386
    [ "$emu" = qemu ] && bin="qemu-system-i386 -accel tcg"
    timeout 900 $bin -display none -m 256 -no-reboot -serial "file:$out" \
        -kernel "$KERNEL" -initrd "$INITRD" \
        -append "console=ttyS0 quiet mimic.test=bench mimic.disk=$addr" "${disk[@]}" \
        </dev/null >/dev/null 2>&1
    grep -a "MIMIC-BENCH" "$out" | tr -d '\r' | sed "s/^MIMIC-BENCH/$emu $ctl/"
}

for _ in $(seq 1 "${MIMIC_BENCH_RUNS:-1}"); do
    for ctl in ide ahci; do
        run mimic $ctl
        run qemu $ctl
    done
done
