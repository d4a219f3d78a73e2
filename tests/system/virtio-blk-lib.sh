# Shared by arm-virt-virtio-blk.sh and pc-virtio-blk.sh (sourced after arm-guest-lib.sh):
# a busybox initramfs whose /init loads the modules listed in /mod/order and tests the
# virtio-blk disks itself, and the two host-side phases:
#  1. a writable disk with serial=main on a qcow2 overlay of a raw file of random data:
#     the guest finds it by its serial (GET_ID), its md5sum is the host's (multi-sector
#     reads), it reads the host's marker, writes its own with fsync, discards a range and
#     reads its write back after dropping its caches. The host then sees the write in the
#     overlay; the raw backing file is unchanged.
#  2. -snapshot, the same overlay as -drive if=virtio plus a readonly=on disk (serial=ro):
#     the guest reads phase 1's write, writes over it and reads that back; the read-only
#     disk refuses writes. Afterwards the overlay still holds phase 1's data.
# The caller sets GUEST_BUSYBOX, GUEST_MODULES (in load order), CONSOLE, BLK_DEVICE
# (virtio-blk-device or virtio-blk-pci) and defines run_emulator ARGS... (output to
# $TMP/out, input from $TMP/in), which must exec the emulator: run in the background,
# its pid is GUEST_PID, which the exit trap kills when a check fails.
IMG=$MIMIC_BUILD_DIR/mimic-img

virtio_blk_initramfs() { busybox_initramfs virtio-blk-init.sh; }

virtio_blk_disks() {
    head -c $((8 << 20)) /dev/urandom >"$TMP/base.raw"
    printf 'MIMIC-HOST-DATA' | dd of="$TMP/base.raw" bs=512 seek=8 conv=notrunc 2>/dev/null
    BASE_MD5=$(md5sum <"$TMP/base.raw" | cut -c1-32)
    head -c $((2 << 20)) /dev/zero >"$TMP/ro.raw"
    "$IMG" create -q -f qcow2 -b "$TMP/base.raw" -F raw "$TMP/overlay.qcow2" >/dev/null ||
        fail "mimic-img create"
}

run_phase() {               # $1: phase, then emulator arguments
    local phase=$1 rc
    shift
    : >"$TMP/out"
    rm -f "$TMP/in"
    mkfifo "$TMP/in"
    run_emulator -m 256 -initrd "$TMP/initrd.gz" -no-reboot \
        -append "console=$CONSOLE rdinit=/init panic=-1 no_timer_check mimic_phase=$phase" "$@" \
        <"$TMP/in" >"$TMP/out" 2>&1 &
    GUEST_PID=$!
    exec 3>"$TMP/in"
    wait_for "MIMIC-DONE" "${MIMIC_VIRTIO_TIMEOUT:-300}"
    wait "$GUEST_PID"; rc=$?
    GUEST_PID=
    exec 3>&-
    [ $rc -eq 0 ] || fail "phase $phase: the emulator exited $rc"
}
expect() { grep -qF -- "$1" "$TMP/out" || fail "phase $2: no '$1' in the guest's output"; }
overlay_sector16() {
    "$IMG" convert -f qcow2 -O raw "$TMP/overlay.qcow2" "$TMP/flat.raw" || fail "mimic-img convert"
    dd if="$TMP/flat.raw" bs=512 skip=16 count=1 2>/dev/null | head -c 13
}

virtio_blk_phases() {
    run_phase 1 -drive if=none,id=d0,file="$TMP/overlay.qcow2",format=qcow2 \
        -device "$BLK_DEVICE",drive=d0,serial=main
    expect "MIMIC-DISK /dev/vda sectors=16384 ro=0" 1
    expect "MIMIC-MD5 $BASE_MD5" 1
    expect "MIMIC-HOSTDATA MIMIC-HOST-DATA" 1
    expect "MIMIC-DISCARD ok" 1
    expect "MIMIC-AFTER GUEST-WRITE-1" 1
    [ "$(md5sum <"$TMP/base.raw" | cut -c1-32)" = "$BASE_MD5" ] ||
        fail "the raw backing file changed"
    [ "$(overlay_sector16)" = GUEST-WRITE-1 ] || fail "the guest's write is not in the overlay"
    echo "phase 1 ok: the write is in the overlay, the backing file is unchanged"

    run_phase 2 -snapshot -drive if=virtio,file="$TMP/overlay.qcow2",format=qcow2 \
        -drive if=none,id=r,file="$TMP/ro.raw",format=raw,readonly=on \
        -device "$BLK_DEVICE",drive=r,serial=ro
    expect "MIMIC-BEFORE GUEST-WRITE-1" 2
    expect "MIMIC-AFTER GUEST-WRITE-2" 2
    expect "ro=1" 2
    expect "MIMIC-RO-WRITE refused" 2
    [ "$(overlay_sector16)" = GUEST-WRITE-1 ] || fail "-snapshot: the guest's write reached the overlay"
    [ "$(md5sum <"$TMP/base.raw" | cut -c1-32)" = "$BASE_MD5" ] ||
        fail "the raw backing file changed"
    echo "phase 2 ok: -snapshot kept the overlay unchanged, the read-only disk refused writes"
}
