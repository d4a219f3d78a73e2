#!/bin/bash
# The disk options that the guest tests do not use, as "info block" shows them on a paused
# pc machine (-S, no guest runs): -hdc/-hdd names, -drive bus=/unit=, cache=writethrough|
# directsync|none, readonly=on, snapshot=on (a temporary qcow2 overlay over the file), and
# the errors for a bus that does not exist, a bus/unit already taken (index=1 is bus 0,
# unit 1) and an unknown cache mode.
set -u
: "${MIMIC_BUILD_DIR:?run through make check}"
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
fail() { echo "FAIL: $*"; exit 1; }
[ -r /usr/share/seabios/bios-256k.bin ] || { echo "seabios is not installed"; exit 77; }
for d in a b c d e; do truncate -s 8M "$TMP/$d.raw"; done
EMU=$MIMIC_BUILD_DIR/mimic-system-i386

info_block() {
    printf 'info block\nquit\n' |
        timeout 30 "$EMU" -S -display none -m 32 -monitor stdio "$@" 2>&1 | tr -d '\r'
}
out=$(info_block -hdc "$TMP/a.raw" -hdd "$TMP/b.raw" \
    -drive "file=$TMP/c.raw,format=raw,if=ide,bus=0,unit=1,cache=writethrough,readonly=on,id=wt" \
    -drive "file=$TMP/d.raw,format=raw,if=ide,bus=0,unit=0,cache=directsync,snapshot=on,id=sn" \
    -drive "file=$TMP/e.raw,format=raw,if=virtio,cache=none,id=vn")
# expect LINE: "info block" shows LINE (the whole line)
expect() { grep -qxF -- "$1" <<<"$out" || { echo "$out"; fail "no '$1' in info block"; }; }
expect "ide1-hd0: $TMP/a.raw (raw)"
expect "ide1-hd1: $TMP/b.raw (raw)"
expect "wt: $TMP/c.raw (raw, read-only)"
expect "    Cache mode:       writethrough"
expect "sn: $TMP/d.raw (qcow2)"
expect "    Cache mode:       writethrough, direct"
expect "    Backing file:     $TMP/d.raw (chain depth: 1)"
expect "    Attached to:      virtio-blk-pci"
expect "    Cache mode:       writeback, direct"
echo "ok: -hdc/-hdd, bus=/unit=, cache modes, readonly=on and snapshot=on in info block"

err=$(timeout 30 "$EMU" -S -display none -drive "file=$TMP/a.raw,format=raw,if=ide,bus=2,unit=0" \
      </dev/null 2>&1) && fail "IDE bus 2 accepted"
grep -q "IDE bus 2 does not exist" <<<"$err" || fail "bus=2: unexpected message: $err"
err=$(timeout 30 "$EMU" -S -display none -drive "file=$TMP/a.raw,format=raw,cache=bogus" \
      </dev/null 2>&1) && fail "cache=bogus accepted"
grep -q "invalid cache mode 'bogus'" <<<"$err" || fail "cache=bogus: unexpected message: $err"
err=$(timeout 30 "$EMU" -S -display none -drive "file=$TMP/a.raw,format=raw,if=ide,index=1" \
      -drive "file=$TMP/b.raw,format=raw,if=ide,bus=0,unit=1" </dev/null 2>&1) &&
    fail "two drives on bus 0 unit 1 accepted"
grep -q "bus=0, unit=1 (index=1) exists" <<<"$err" || fail "bus=0,unit=1: unexpected message: $err"
echo "ok: a missing IDE bus, a taken bus/unit and an unknown cache mode are refused"
