#!/bin/bash
# SeaBIOS boots from -cdrom an El Torito ISO the test builds with xorriso and isolinux
# (Debian's isolinux and syslinux-common): isolinux's banner, the config's "say" line and
# its boot: prompt appear on the serial console ("serial 0" in isolinux.cfg). Then, with a
# boot-sector disk on -hda and the ISO on -drive if=ide,media=cdrom,bus=1,unit=0:
# -boot order=c,once=d boots the CD first and, after system_reset, the disk; -boot
# order=c boots the disk; -boot menu=on,splash-time= shows SeaBIOS's boot menu prompt;
# -device ide-cd,bootindex=1 and ide-hd,bootindex=2 boot the CD; the same media on an
# ich9-ahci (-device ahci) boot too.
set -u
: "${MIMIC_BUILD_DIR:?run through make check}" "${MIMIC_SRC_DIR:?run through make check}"
[ -r /usr/share/seabios/bios-256k.bin ] || { echo "seabios is not installed"; exit 77; }
[ -r /usr/lib/ISOLINUX/isolinux.bin ] || { echo "isolinux is not installed"; exit 77; }
[ -r /usr/lib/syslinux/modules/bios/ldlinux.c32 ] || { echo "syslinux-common is not installed"; exit 77; }
command -v xorriso >/dev/null || { echo "xorriso is not installed"; exit 77; }
command -v nasm >/dev/null || { echo "nasm is not installed"; exit 77; }
command -v socat >/dev/null || { echo "socat is not installed"; exit 77; }
TMP=$(mktemp -d); pid=
trap '[ -n "$pid" ] && kill $pid 2>/dev/null; rm -rf "$TMP"' EXIT

mkdir -p "$TMP/iso/isolinux"
cp /usr/lib/ISOLINUX/isolinux.bin /usr/lib/syslinux/modules/bios/ldlinux.c32 "$TMP/iso/isolinux/"
cat >"$TMP/iso/isolinux/isolinux.cfg" <<'CFG'
serial 0 115200
say MIMIC-ISOLINUX-SAYS-HELLO
prompt 1
timeout 0
default none
label none
  kernel /none
CFG
xorriso -as mkisofs -quiet -o "$TMP/test.iso" -b isolinux/isolinux.bin -c isolinux/boot.cat \
    -no-emul-boot -boot-load-size 4 -boot-info-table "$TMP/iso" 2>"$TMP/xorriso.log" ||
    { cat "$TMP/xorriso.log"; echo "FAIL: xorriso could not build the ISO"; exit 1; }
nasm -f bin -o "$TMP/disk.img" "$MIMIC_SRC_DIR/tests/system/disk-guests/bootsect.asm" ||
    { echo "FAIL: nasm"; exit 1; }
truncate -s 1M "$TMP/disk.img"

# start OUTPUT ARGS...: the emulator in the background, serial to OUTPUT, monitor on a socket
start() {
    local out=$1; shift
    rm -f "$TMP/mon"
    "$MIMIC_BUILD_DIR/mimic-system-i386" -display none -m 64 -serial "file:$out" \
        -monitor "unix:$TMP/mon,server=on,wait=off" "$@" </dev/null >"$out.err" 2>&1 &
    pid=$!
}
# wait_for OUTPUT PATTERN: up to 60 s. SeaBIOS mirrors the VGA text to the serial port
# with carriage returns and cursor-positioning escapes, which may land inside isolinux's
# own serial output ("M\r\e[05;02HIMIC-..." was seen): both are removed before every
# match (unescaped).
unescaped() { sed 's/\x1b\[[0-9;]*[A-Za-z]//g' "$1" 2>/dev/null | tr -d '\r'; }
wait_for() {
    for _ in $(seq 1 120); do
        unescaped "$1" | grep -aq "$2" && return 0
        grep -q "has no translator front end" "$1.err" && { echo "no x86 translator front end in this build"; exit 77; }
        kill -0 $pid 2>/dev/null || break
        sleep 0.5
    done
    tr -d '\r' <"$1" | head -30; cat "$1.err"
    echo "FAIL: no '$2' on the serial console"; exit 1
}
stop() { kill $pid 2>/dev/null; wait $pid 2>/dev/null; pid=; }
monitor() { echo "$1" | socat - "UNIX-CONNECT:$TMP/mon" >/dev/null 2>&1; }

start "$TMP/out1" -cdrom "$TMP/test.iso" -boot d
wait_for "$TMP/out1" "boot:"
stop
tr -d '\r' <"$TMP/out1" | grep -a -v '^\s*$' | head -20
for line in "Booting from DVD/CD" "ISOLINUX 6" "MIMIC-ISOLINUX-SAYS-HELLO"; do
    unescaped "$TMP/out1" | grep -aq "$line" || { echo "FAIL: no '$line' on the serial console"; exit 1; }
done

start "$TMP/out2" -hda "$TMP/disk.img" -drive "file=$TMP/test.iso,if=ide,media=cdrom,bus=1,unit=0" \
    -boot order=c,once=d
wait_for "$TMP/out2" "MIMIC-ISOLINUX-SAYS-HELLO"
unescaped "$TMP/out2" | grep -aq "MIMIC-DISK-BOOT" && { echo "FAIL: once=d booted the disk first"; exit 1; }
monitor system_reset
wait_for "$TMP/out2" "MIMIC-DISK-BOOT"
stop
echo "ok: -boot order=c,once=d: CD first, the disk after system_reset"

start "$TMP/out3" -hda "$TMP/disk.img" -cdrom "$TMP/test.iso" -boot order=c,menu=on,splash-time=500
wait_for "$TMP/out3" "MIMIC-DISK-BOOT"
stop
unescaped "$TMP/out3" | grep -aq "Press ESC for boot menu" || { echo "FAIL: menu=on showed no boot menu prompt"; exit 1; }
unescaped "$TMP/out3" | grep -aq "MIMIC-ISOLINUX" && { echo "FAIL: order=c booted the CD"; exit 1; }
echo "ok: -boot order=c,menu=on boots the disk after the menu prompt"
# bootindex= on -device ide-cd/ide-hd (fw_cfg "bootorder") beats the CMOS order (disk first)
start "$TMP/out4" -drive "if=none,id=d0,file=$TMP/disk.img,format=raw" \
    -drive "if=none,id=c0,file=$TMP/test.iso,media=cdrom" \
    -device ide-hd,drive=d0,bus=ide.1,unit=1,bootindex=2 -device ide-cd,drive=c0,bus=ide.0,bootindex=1
wait_for "$TMP/out4" "MIMIC-ISOLINUX-SAYS-HELLO"
stop
echo "ok: bootindex=1 on ide-cd boots the CD before the disk"
# AHCI: the ISO on port 0, the disk on port 2 (bootindex=1): SeaBIOS finds both and boots
# the disk; with -boot d the CD
for how in disk cd; do
    extra=(-device ide-hd,drive=d0,bus=ahci.2,bootindex=1); want=MIMIC-DISK-BOOT
    [ $how = cd ] && { extra=(-device ide-hd,drive=d0,bus=ahci.2 -boot d); want=MIMIC-ISOLINUX-SAYS-HELLO; }
    start "$TMP/ahci-$how" -device ahci,id=ahci -drive "if=none,id=c0,file=$TMP/test.iso,media=cdrom" \
        -device ide-cd,drive=c0,bus=ahci.0 -drive "if=none,id=d0,file=$TMP/disk.img,format=raw" \
        "${extra[@]}"
    wait_for "$TMP/ahci-$how" "$want"
    stop
    echo "ok: AHCI: SeaBIOS boots the $how"
done
echo "SeaBIOS booted the El Torito ISO and the disk from IDE and AHCI"
