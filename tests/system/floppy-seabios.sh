#!/bin/bash
# SeaBIOS boots a 1.44 MB floppy image (-fda) the test builds: its boot sector (nasm) reads
# 18 sectors across to head 1 through int 13h (the FDC's READ DATA with ISA DMA channel 2),
# checks each, writes one sector, and prints its verdict on the serial console; the test
# then finds the written sector in the image.
set -u
: "${MIMIC_BUILD_DIR:?run through make check}" "${MIMIC_SRC_DIR:?run through make check}"
[ -r /usr/share/seabios/bios-256k.bin ] || { echo "seabios is not installed"; exit 77; }
command -v nasm >/dev/null || { echo "nasm is not installed"; exit 77; }
TMP=$(mktemp -d); pid=
trap '[ -n "$pid" ] && kill $pid 2>/dev/null; rm -rf "$TMP"' EXIT
nasm -f bin -o "$TMP/fd.img" "$MIMIC_SRC_DIR/tests/system/disk-guests/floppy-boot.asm" ||
    { echo "FAIL: nasm"; exit 1; }
python3 - "$TMP/fd.img" <<'PY'
import sys
with open(sys.argv[1], "r+b") as f:
    f.seek(512)
    for lba in range(1, 2880):          # every sector starts with its LBA
        f.write(lba.to_bytes(2, "little") + bytes(510))
PY
"$MIMIC_BUILD_DIR/mimic-system-i386" -display none -m 32 -serial "file:$TMP/out" \
    -drive "file=$TMP/fd.img,format=raw,if=floppy" -boot a </dev/null >"$TMP/err" 2>&1 &
pid=$!
for _ in $(seq 1 120); do
    grep -aq "MIMIC-FLOPPY-" "$TMP/out" && break
    grep -q "has no translator front end" "$TMP/err" && { echo "no x86 translator front end in this build"; exit 77; }
    kill -0 $pid 2>/dev/null || break
    sleep 0.5
done
sleep 1
kill $pid 2>/dev/null; wait $pid 2>/dev/null; pid=
tr -d '\r' <"$TMP/out" | grep -a -v '^\s*$' | tail -n 5
grep -aq "Booting from Floppy" "$TMP/out" || { cat "$TMP/err"; echo "FAIL: SeaBIOS did not boot the floppy"; exit 1; }
grep -aq "MIMIC-FLOPPY-O" "$TMP/out" || { echo "FAIL: the boot sector's reads or write failed"; exit 1; }
[ "$(dd if="$TMP/fd.img" bs=512 skip=76 count=1 2>/dev/null | head -c 16)" = "FLOPPY-WRITTEN!!" ] ||
    { echo "FAIL: the sector the guest wrote is not in the image"; exit 1; }
echo "SeaBIOS booted the floppy; int 13h reads across heads and a write work"
