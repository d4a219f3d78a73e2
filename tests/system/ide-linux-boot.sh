#!/bin/bash
# SeaBIOS boots Linux (Debian's i386 netboot kernel, a busybox initramfs that loads
# ata_piix/sd_mod/sr_mod from the matching linux-image package) from IDE media the test
# builds: an El Torito ISO (xorriso + isolinux) on -cdrom, then a disk with an MBR, a FAT
# partition and syslinux on -hda, as raw and as qcow2. Each reaches the busybox shell on
# the serial console and lists its disks.
set -u
TMP=$(mktemp -d); pid=
trap '[ -n "$pid" ] && kill $pid 2>/dev/null; rm -rf "$TMP"' EXIT
. "$(dirname "$0")/disk-linux-lib.sh"
for f in /usr/lib/ISOLINUX/isolinux.bin /usr/lib/syslinux/modules/bios/ldlinux.c32 \
         /usr/lib/syslinux/mbr/mbr.bin; do
    [ -r "$f" ] || skip "$f is missing (isolinux, syslinux-common)"
done
for c in xorriso syslinux mformat mcopy sfdisk; do
    command -v $c >/dev/null || skip "$c is not installed (xorriso, syslinux, mtools, fdisk)"
done
APPEND="$CONSOLE mimic.test=shell"

# the ISO
mkdir -p "$TMP/iso/isolinux"
cp /usr/lib/ISOLINUX/isolinux.bin /usr/lib/syslinux/modules/bios/ldlinux.c32 "$TMP/iso/isolinux/"
cp "$KERNEL" "$TMP/iso/linux"; cp "$INITRD" "$TMP/iso/initrd.gz"
printf 'serial 0 115200\ndefault linux\nprompt 0\nlabel linux\n  kernel /linux\n  append initrd=/initrd.gz %s\n' \
    "$APPEND" >"$TMP/iso/isolinux/isolinux.cfg"
xorriso -as mkisofs -quiet -o "$TMP/boot.iso" -b isolinux/isolinux.bin -c isolinux/boot.cat \
    -no-emul-boot -boot-load-size 4 -boot-info-table "$TMP/iso" 2>"$TMP/xorriso.log" ||
    { cat "$TMP/xorriso.log"; fail "xorriso"; }

# the disk: MBR (syslinux's mbr.bin), one active FAT16 partition from 1 MiB, syslinux
truncate -s 64M "$TMP/disk.raw"
echo 'start=2048, type=6, bootable' | sfdisk -q "$TMP/disk.raw" >/dev/null || fail "sfdisk"
dd if=/usr/lib/syslinux/mbr/mbr.bin of="$TMP/disk.raw" bs=440 count=1 conv=notrunc 2>/dev/null
part="$TMP/disk.raw@@1M"
mformat -i "$part" -F -v MIMIC :: 2>/dev/null || mformat -i "$part" -v MIMIC :: || fail "mformat"
printf 'serial 0 115200\ndefault linux\nprompt 0\nlabel linux\n  kernel /linux\n  append initrd=/initrd.gz %s\n' \
    "$APPEND" >"$TMP/syslinux.cfg"
mcopy -i "$part" "$KERNEL" ::linux && mcopy -i "$part" "$INITRD" ::initrd.gz &&
    mcopy -i "$part" "$TMP/syslinux.cfg" ::syslinux.cfg || fail "mcopy"
syslinux --offset $((2048 * 512)) --install "$TMP/disk.raw" || fail "syslinux --install"
"$MIMIC_BUILD_DIR/mimic-img" convert -f raw -O qcow2 "$TMP/disk.raw" "$TMP/disk.qcow2" ||
    fail "mimic-img convert"

start "$TMP/cd.out" -cdrom "$TMP/boot.iso" -boot d
wait_for "$TMP/cd.out" "MIMIC-SHELL-READY" 400
kill $pid; wait $pid 2>/dev/null; pid=
grep -a "MIMIC-DISKS" "$TMP/cd.out" | tr -d '\r'
grep -aq "MIMIC-DISKS:.*sr0" "$TMP/cd.out" || fail "the booted guest does not see its CD (sr0)"
grep -aq "MIMIC-INSMOD-FAILED" "$TMP/cd.out" && { grep -a INSMOD "$TMP/cd.out"; fail "a module did not load"; }
echo "ok: -cdrom: isolinux, Linux, busybox shell"

for fmt in raw qcow2; do
    start "$TMP/hd-$fmt.out" -drive "file=$TMP/disk.$fmt,format=$fmt,if=ide,index=0"
    wait_for "$TMP/hd-$fmt.out" "MIMIC-SHELL-READY" 400
    kill $pid; wait $pid 2>/dev/null; pid=
    grep -aq "MIMIC-DISKS:.*sda" "$TMP/hd-$fmt.out" || fail "$fmt: the guest does not see sda"
    grep -aq "SYSLINUX" "$TMP/hd-$fmt.out" || fail "$fmt: no SYSLINUX banner"
    echo "ok: -hda $fmt: MBR, FAT, syslinux, Linux, busybox shell"
done
