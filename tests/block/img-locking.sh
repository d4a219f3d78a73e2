#!/bin/bash
# Image locking against QEMU (issue 14), both directions. QEMU (qemu-io) holds an image and
# mimic-img must reach the verdict qemu-img reaches on the same image (refused with
# 'Failed to get "write" lock' / 'Failed to get shared "write" lock', or allowed); then
# Mimic (an emulator with -drive if=none) holds it and qemu-img/qemu-io are refused, -U and
# file.locking=off let them through.
set -u
. "$MIMIC_SRC_DIR/tests/block/img-lib.sh"
need_qemu_img
command -v qemu-io >/dev/null || { echo "qemu-io not installed (qemu-utils)"; exit 77; }
has_format qcow2 || { echo "mimic-img has no qcow2 driver"; exit 77; }
EMU=$MIMIC_BUILD_DIR/mimic-system-i386
cd "$T"
holder=

# wait_locked FILE: until some process holds a lock byte on FILE.
wait_locked() {
    local ino; ino=$(stat -c %i "$1")
    for _ in $(seq 200); do
        grep -q ":$ino " /proc/locks && return 0
        sleep 0.05
    done
    fail "no lock appeared on $1"
}
stop_holder() {
    [ -n "$holder" ] || return 0
    exec 3>&-
    kill $holder 2>/dev/null; wait $holder 2>/dev/null
    holder=
}
trap 'stop_holder; rm -rf "$T"' EXIT
# hold_qemu_io ARGS...: qemu-io keeps the image open until stop_holder.
hold_qemu_io() {
    rm -f fifo; mkfifo fifo
    qemu-io "$@" <fifo >/dev/null 2>&1 &
    holder=$!
    exec 3>fifo
    wait_locked "${@: -1}"
}
hold_mimic() {
    "$EMU" -M none -display none -monitor none -drive "$1" >emu.log 2>&1 &
    holder=$!
    exec 3>/dev/null
    wait_locked "$2"
}
# same_verdict WANT_SUBSTRING_OR_OK CMD_ARGS...: qemu-img and mimic-img agree.
same_verdict() {
    local want=$1; shift
    local q m qrc mrc
    q=$(qemu-img "$@" 2>&1 >/dev/null); qrc=$?
    m=$("$IMG" "$@" 2>&1 >/dev/null); mrc=$?
    [ $((qrc != 0)) -eq $((mrc != 0)) ] ||
        fail "'$*': qemu-img exit $qrc ($q), mimic-img exit $mrc ($m)"
    if [ "$want" = ok ]; then
        [ $mrc -eq 0 ] || fail "'$*' refused: $m"
    else
        case "$m" in *"$want"*) ;; *) fail "'$*': '$m' lacks '$want'" ;; esac
        case "$q" in *"$want"*) ;; *) fail "'$*': qemu-img said '$q', not '$want'" ;; esac
    fi
    echo "ok: $* -> ${m:-allowed}"
}

qemu-img create -q -f qcow2 a.qcow2 4M
make_test_image a.raw $((8 << 20))

# 1. QEMU holds, mimic-img asks.
hold_qemu_io -f qcow2 a.qcow2
same_verdict 'Failed to get "write" lock' resize -f qcow2 a.qcow2 8M
same_verdict 'Failed to get shared "write" lock' info a.qcow2
same_verdict 'Failed to get shared "write" lock' check a.qcow2
same_verdict ok info -U a.qcow2
same_verdict ok convert -U -O raw a.qcow2 out.raw
stop_holder
hold_qemu_io -r -f qcow2 a.qcow2
same_verdict 'Failed to get "write" lock' resize -f qcow2 a.qcow2 8M
same_verdict ok info a.qcow2
stop_holder
hold_qemu_io -f raw a.raw
same_verdict ok resize -f raw a.raw +1M
same_verdict ok info -f raw a.raw
stop_holder

# 2. Mimic holds, QEMU asks.
hold_mimic file=a.qcow2,if=none,id=d0 a.qcow2
qemu-img info a.qcow2 >/dev/null 2>err && fail "qemu-img info while Mimic writes a.qcow2"
grep -q 'Failed to get shared "write" lock' err || fail "qemu-img info said: $(cat err)"
qemu-io -f qcow2 -c 'write 0 512' a.qcow2 >/dev/null 2>err && fail "qemu-io wrote while Mimic holds"
grep -q 'Failed to get "write" lock' err || fail "qemu-io said: $(cat err)"
qemu-img info -U a.qcow2 >/dev/null || fail "qemu-img info -U refused"
same_verdict 'Failed to get "write" lock' resize -f qcow2 a.qcow2 8M
"$EMU" -M none -display none -monitor none -drive file=a.qcow2,if=none,id=d1 2>err &&
    fail "a second Mimic opened a.qcow2"
grep -q 'Failed to get "write" lock' err || fail "second Mimic said: $(cat err)"
stop_holder
echo "ok: Mimic holding a.qcow2 read-write refuses qemu-img, qemu-io and itself"
hold_mimic file=a.qcow2,if=none,id=d0,readonly=on a.qcow2
qemu-img info a.qcow2 >/dev/null || fail "qemu-img info refused while Mimic only reads"
qemu-io -f qcow2 -c 'write 0 512' a.qcow2 >/dev/null 2>&1 && fail "qemu-io wrote under a reader"
stop_holder
# file.locking=off: nothing to wait for in /proc/locks; the pidfile says it is up.
"$EMU" -M none -display none -monitor none -pidfile pid \
    -drive file=a.qcow2,if=none,id=d0,file.locking=off &
holder=$!
for _ in $(seq 100); do [ -s pid ] && break; sleep 0.05; done
[ -s pid ] || fail "emulator with file.locking=off did not start"
qemu-io -f qcow2 -c 'write 0 512' a.qcow2 >/dev/null || fail "file.locking=off still locked"
stop_holder
echo "ok: readonly=on and file.locking=off"
"$EMU" -M none -display none -monitor none -drive file=a.qcow2,if=none,force-share=on 2>err &&
    fail "force-share on a writable drive"
grep -q "force-share=on can only be used with read-only images" err || fail "$(cat err)"
echo "image locking matches QEMU"
