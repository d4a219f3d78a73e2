#!/bin/bash
# Disk throughput inside a Linux guest on the pc machine's disk controllers: IDE (ata_piix),
# AHCI (ahci) and virtio-blk-pci (virtio_blk). busybox dd, sequential and random 4 KiB reads
# and writes with O_DIRECT on a 64 MiB raw image (disk-guests/bench.sh), under Mimic and
# under qemu-system-i386 (TCG) on the same kernel, initramfs and image. Needs the Linux
# payloads of the disk tests (downloaded into ~/.cache/mimic like theirs).
# MIMIC_BENCH_RUNS (default 3) guest boots per emulator and controller, Mimic and QEMU
# alternating; prints every run, then the medians (KiB/s) and the ratio Mimic/QEMU.
# MIMIC_BENCH_CTLS (default "ide ahci virtio") picks the controllers.
set -u
: "${MIMIC_BUILD_DIR:?run through make bench}"
export MIMIC_SRC_DIR=${MIMIC_SRC_DIR:-$(cd "$(dirname "$0")/../.." && pwd)}
TMP=$(mktemp -d); pid=
trap '[ -n "$pid" ] && kill $pid 2>/dev/null; rm -rf "$TMP"' EXIT
DISK_EXTRA_MODULES="virtio_pci virtio_blk"
. "$MIMIC_SRC_DIR/tests/system/disk-linux-lib.sh"
command -v qemu-system-i386 >/dev/null || skip "qemu-system-i386 is not installed"
truncate -s 64M "$TMP/bench.raw"

# run EMULATOR CONTROLLER: one guest boot; its figures as "EMU CTL TEST KIB/S" lines
run() {
    local emu=$1 ctl=$2 out=$TMP/$1-$2.out disk where
    case $ctl in
    ide)    disk=(-drive "file=$TMP/bench.raw,format=raw,if=ide,index=0")
            where="mimic.disk=0:0:0:0" ;;
    ahci)   disk=(-device ahci,id=ahci -drive "if=none,id=d0,file=$TMP/bench.raw,format=raw"
                  -device ide-hd,drive=d0,bus=ahci.0)
            where="mimic.disk=2:0:0:0" ;;
    virtio) disk=(-drive "if=none,id=d0,file=$TMP/bench.raw,format=raw"
                  -device virtio-blk-pci,drive=d0)
            where="mimic.blk=vda" ;;
    esac
    local bin=$MIMIC_BUILD_DIR/mimic-system-i386
    [ "$emu" = qemu ] && bin="qemu-system-i386 -accel tcg"
    timeout 900 $bin -display none -m 256 -no-reboot -serial "file:$out" \
        -kernel "$KERNEL" -initrd "$INITRD" \
        -append "$CONSOLE quiet mimic.test=bench $where" "${disk[@]}" \
        </dev/null >/dev/null 2>&1
    tr -d '\r' <"$out" | sed -n "s/^MIMIC-BENCH \([a-z-]*\) \([0-9]*\) KiB.*/$emu $ctl \1 \2/p"
}

for _ in $(seq 1 "${MIMIC_BENCH_RUNS:-3}"); do
    for ctl in ${MIMIC_BENCH_CTLS:-ide ahci virtio}; do
        run mimic "$ctl"
        run qemu "$ctl"
    done
done | tee "$TMP/all"

# medians per emulator, controller and test; then Mimic / QEMU
python3 - "$TMP/all" <<'PY'
import statistics, sys
runs = {}
for line in open(sys.argv[1]):
    emu, ctl, test, kib = line.split()
    runs.setdefault((ctl, test), {}).setdefault(emu, []).append(int(kib))
print("median KiB/s     %-12s %10s %10s %8s" % ("test", "mimic", "qemu", "ratio"))
for (ctl, test), by in runs.items():
    m = statistics.median(by.get("mimic", [0]))
    q = statistics.median(by.get("qemu", [0]))
    ratio = "%.2f" % (m / q) if q else "-"
    print("%-16s %-12s %10d %10d %8s" % (ctl, test, m, q, ratio))
PY
