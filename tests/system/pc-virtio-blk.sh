#!/bin/bash
# SeaBIOS (Debian's bios-256k.bin) boots from a virtio-blk-pci disk on the pc machine: a
# boot sector built here with nasm prints a marker on COM1, reads LBA 1 and writes LBA 2
# through INT 13h (SeaBIOS's virtio-blk driver), then exits through isa-debug-exit. Run
# three ways: -drive if=virtio (transitional device), -device virtio-blk-pci with
# disable-legacy=on (modern only), and on a qcow2 overlay with -snapshot (the write is
# gone afterwards).
set -u
: "${MIMIC_BUILD_DIR:?run through make check}" "${MIMIC_SRC_DIR:?run through make check}"
[ -r /usr/share/seabios/bios-256k.bin ] || { echo "seabios is not installed"; exit 77; }
command -v nasm >/dev/null || { echo "nasm is not installed"; exit 77; }
TMP=$(mktemp -d); trap 'rm -rf "$TMP"' EXIT
fail() { echo "FAIL: $*"; tr -d '\r' <"$TMP/out" | tail -n 30; exit 1; }

nasm -f bin -o "$TMP/boot.bin" "$MIMIC_SRC_DIR/tests/system/pc-virtio-blk/boot.asm" ||
    fail "nasm"
make_disk() {
    cp "$TMP/boot.bin" "$1"
    printf 'MIMIC-SECTOR-ONE\r\n\0' | dd of="$1" bs=512 seek=1 conv=notrunc,sync 2>/dev/null
    truncate -s 1M "$1"
}

run() {                     # emulator arguments; expects exit status 3 (debug-exit 1)
    local rc
    timeout 120 "$MIMIC_BUILD_DIR/mimic-system-i386" -nographic -m 64 -no-reboot \
        -device isa-debug-exit "$@" </dev/null >"$TMP/out" 2>&1
    rc=$?
    [ $rc -eq 3 ] || fail "exit status $rc (3 expected) with $*"
    for m in MIMIC-VIRTIO-BOOT MIMIC-SECTOR-ONE "MIMIC-INT13-WRITE done"; do
        grep -qF "$m" "$TMP/out" || fail "no '$m' with $*"
    done
}
wrote() { [ "$(dd if="$1" bs=512 skip=2 count=1 2>/dev/null | head -c 18 | tr -d "\0")" = SEABIOS-WROTE-THIS ]; }

make_disk "$TMP/a.raw"
run -drive file="$TMP/a.raw",format=raw,if=virtio
wrote "$TMP/a.raw" || fail "the INT 13h write is not on the disk (if=virtio)"
echo "if=virtio (transitional): boot, read, write ok"

make_disk "$TMP/b.raw"
run -drive file="$TMP/b.raw",format=raw,if=none,id=d0 \
    -device virtio-blk-pci,drive=d0,disable-legacy=on
wrote "$TMP/b.raw" || fail "the INT 13h write is not on the disk (modern only)"
echo "virtio-blk-pci,disable-legacy=on: boot, read, write ok"

make_disk "$TMP/c.raw"
"$MIMIC_BUILD_DIR/mimic-img" create -q -f qcow2 -b "$TMP/c.raw" -F raw "$TMP/c.qcow2" ||
    fail "mimic-img create"
run -snapshot -drive file="$TMP/c.qcow2",format=qcow2,if=virtio
wrote "$TMP/c.raw" && fail "-snapshot: the write reached the backing file"
"$MIMIC_BUILD_DIR/mimic-img" convert -f qcow2 -O raw "$TMP/c.qcow2" "$TMP/c.flat" ||
    fail "mimic-img convert"
wrote "$TMP/c.flat" && fail "-snapshot: the write reached the overlay"
echo "-snapshot: the write is gone"
echo "SeaBIOS virtio-blk boot ok"
