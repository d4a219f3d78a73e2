#!/bin/bash
# A second IDE disk under Linux (ata_piix, sd_mod): the guest reads what the host wrote to
# it and writes back. The write lands in the qcow2 overlay and the raw backing file stays
# unchanged; with -snapshot it is gone after exit; the same through AHCI. Then a monitor "change ide1-cd0" to
# another ISO is seen by the guest (new content and size on /dev/sr0), and a guest that
# writes and fsyncs records while the host kills the emulator with SIGKILL loses none of
# the records it reported: mimic-img check is clean (or finds only leaks) and qemu-io reads
# them back.
set -u
TMP=$(mktemp -d); pid=
trap '[ -n "$pid" ] && kill $pid 2>/dev/null; rm -rf "$TMP"' EXIT
. "$(dirname "$0")/disk-linux-lib.sh"
command -v qemu-io >/dev/null || skip "qemu-io is not installed (qemu-utils)"
command -v xorriso >/dev/null || skip "xorriso is not installed"
IMG=$MIMIC_BUILD_DIR/mimic-img
BOOT=(-kernel "$KERNEL" -initrd "$INITRD")
# qemu-io -v shows the bytes and their characters ('-' as '.')
sector100() { qemu-io -f "$1" -r -c 'read -v 51200 16' "$2" | head -n 1; }

# --- a second disk: read the host's data, write back into the overlay -----------------
truncate -s 16M "$TMP/first.raw"
truncate -s 32M "$TMP/data.raw"
printf 'HOST-WROTE-THIS!' | dd of="$TMP/data.raw" conv=notrunc 2>/dev/null
sum=$(md5sum <"$TMP/data.raw")
"$IMG" create -q -f qcow2 -b "$TMP/data.raw" -F raw "$TMP/data.qcow2" || fail "create overlay"
start "$TMP/rw.out" "${BOOT[@]}" -append "$CONSOLE mimic.test=rw mimic.disk=0:0:1:0" \
    -drive "file=$TMP/first.raw,format=raw,if=ide,index=0" \
    -drive "file=$TMP/data.qcow2,format=qcow2,if=ide,index=1"
wait_for "$TMP/rw.out" "MIMIC-GUEST-END" 400
wait_exit 30 || fail "the emulator did not exit 0 after poweroff"
grep -aq "MIMIC-DISKS:.*sda.*sdb" "$TMP/rw.out" || fail "the guest does not see two disks"
grep -aq "MIMIC-GUEST-READ:HOST-WROTE-THIS!" "$TMP/rw.out" || fail "the guest did not read the host's data"
sector100 qcow2 "$TMP/data.qcow2" | grep -q "GUEST.WROTE.THIS" || fail "the guest's write is not in the overlay"
[ "$(md5sum <"$TMP/data.raw")" = "$sum" ] || fail "the raw backing file changed"
echo "ok: second disk read and written; the write is in the qcow2 overlay, the backing file unchanged"

"$IMG" create -q -f qcow2 -b "$TMP/data.raw" -F raw "$TMP/snap.qcow2" || fail "create overlay"
start "$TMP/snap.out" "${BOOT[@]}" -append "$CONSOLE mimic.test=rw mimic.disk=0:0:1:0" -snapshot \
    -drive "file=$TMP/first.raw,format=raw,if=ide,index=0" \
    -drive "file=$TMP/snap.qcow2,format=qcow2,if=ide,index=1"
wait_for "$TMP/snap.out" "MIMIC-GUEST-END" 400
wait_exit 30 || fail "the emulator did not exit 0 after poweroff (-snapshot)"
grep -aq "MIMIC-GUEST-WRITE-DONE" "$TMP/snap.out" || fail "-snapshot: the guest did not write"
sector100 qcow2 "$TMP/snap.qcow2" | grep -q "GUEST.WROTE.THIS" && fail "-snapshot: the write reached the image"
[ "$(md5sum <"$TMP/data.raw")" = "$sum" ] || fail "-snapshot: the raw backing file changed"
echo "ok: -snapshot: the guest's write is gone after exit"

# --- the same on an AHCI port (ahci.ko: SCSI host 2 after ata_piix's two) -------------
"$IMG" create -q -f qcow2 -b "$TMP/data.raw" -F raw "$TMP/ahci.qcow2" || fail "create overlay"
start "$TMP/ahci.out" "${BOOT[@]}" -append "$CONSOLE mimic.test=rw mimic.disk=2:0:0:0" \
    -device ahci,id=ahci -drive "if=none,id=d0,file=$TMP/ahci.qcow2,format=qcow2" \
    -device ide-hd,drive=d0,bus=ahci.0
wait_for "$TMP/ahci.out" "MIMIC-GUEST-END" 400
wait_exit 30 || fail "AHCI: the emulator did not exit 0 after poweroff"
grep -aq "MIMIC-GUEST-READ:HOST-WROTE-THIS!" "$TMP/ahci.out" || fail "AHCI: the guest did not read the host's data"
sector100 qcow2 "$TMP/ahci.qcow2" | grep -q "GUEST.WROTE.THIS" || fail "AHCI: the guest's write is not in the overlay"
echo "ok: AHCI: the guest (ahci.ko) reads and writes a disk on port 0"

# --- change ide1-cd0 ---------------------------------------------------------------------
mkdir -p "$TMP/isodir"; echo first >"$TMP/isodir/f"
xorriso -as mkisofs -quiet -V MIMIC_ISO_FIRST -o "$TMP/a.iso" "$TMP/isodir" 2>/dev/null || fail "xorriso"
truncate -s 4M "$TMP/isodir/pad"
xorriso -as mkisofs -quiet -V MIMIC_ISO_SECOND -o "$TMP/b.iso" "$TMP/isodir" 2>/dev/null || fail "xorriso"
start "$TMP/cd.out" "${BOOT[@]}" -append "$CONSOLE mimic.test=cdchange" -cdrom "$TMP/a.iso"
wait_for "$TMP/cd.out" "MIMIC-GUEST-CD:MIMIC_ISO_FIRST" 400
monitor "change ide1-cd0 $TMP/b.iso raw" >"$TMP/mon.out"
wait_for "$TMP/cd.out" "MIMIC-GUEST-CD:MIMIC_ISO_SECOND" 120
wait_exit 60 || fail "the emulator did not exit 0 after poweroff (change)"
grep -a "MIMIC-GUEST-CD" "$TMP/cd.out" | tr -d '\r'
echo "ok: 'change ide1-cd0' is seen by the guest (new medium, new size)"

# --- SIGKILL while the guest writes and flushes ------------------------------------------
"$IMG" create -q -f qcow2 "$TMP/crash.qcow2" 64M || fail "create crash image"
start "$TMP/crash.out" "${BOOT[@]}" -append "$CONSOLE mimic.test=crash" \
    -drive "file=$TMP/crash.qcow2,format=qcow2,if=ide,index=0"
wait_for "$TMP/crash.out" "MIMIC-FLUSHED 40" 400
kill -9 $pid; wait $pid 2>/dev/null; pid=
last=$(grep -ao "MIMIC-FLUSHED [0-9]*" "$TMP/crash.out" | tail -n 1 | cut -d' ' -f2)
"$IMG" check "$TMP/crash.qcow2" >"$TMP/check.out" 2>&1; rc=$?
cat "$TMP/check.out"
[ $rc -eq 0 ] || [ $rc -eq 3 ] || fail "mimic-img check exit $rc after SIGKILL"
for i in $(seq 1 "$last"); do
    want=$(printf 'RECORD.%08d' "$i")
    qemu-io -f qcow2 -r -c "read -v $((i * 512)) 15" "$TMP/crash.qcow2" | grep -q "$want" ||
        fail "record $i (flushed before the kill) is not in the image"
done
echo "ok: SIGKILL after $last flushed records: check rc $rc, all $last records read back"
