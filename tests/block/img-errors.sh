#!/bin/bash
# mimic-img on bad input: missing files, unknown formats, truncated and hostile images,
# a full disk. Each must give one clear error line and a non-zero exit, never a crash
# (exit >= 128) nor a destination left behind.
set -u
. "$MIMIC_SRC_DIR/tests/block/img-lib.sh"

# expect_error DESCRIPTION EXPECTED_EXIT CMD...: runs CMD, checks the exit code and that
# stderr has exactly one line.
expect_error() {
    local what=$1 want=$2 rc
    shift 2
    "$@" >"$T/out" 2>"$T/err"
    rc=$?
    [ $rc -lt 128 ] || fail "$what: crashed (exit $rc): $(cat "$T/err")"
    [ $rc -eq "$want" ] || fail "$what: exit $rc, expected $want: $(cat "$T/err")"
    [ "$(grep -vc 'warning' "$T/err")" -eq 1 ] || fail "$what: not one error line: $(cat "$T/err")"
    echo "ok: $what: $(grep -v warning "$T/err")"
}

# patch FILE OFFSET HEXBYTES
patch() {
    python3 - "$1" "$2" "$3" <<'PY'
import sys
f, off, data = sys.argv[1], int(sys.argv[2], 0), bytes.fromhex(sys.argv[3])
with open(f, 'r+b') as fh:
    fh.seek(off)
    fh.write(data)
PY
}

head -c 3M /dev/urandom >"$T/data.raw"
truncate -s 8M "$T/data.raw"

expect_error "missing file" 1 "$IMG" info "$T/nothere.qcow2"
expect_error "unknown format" 1 "$IMG" info -f nosuchfmt "$T/data.raw"
expect_error "unknown output format" 1 "$IMG" convert -f raw -O nosuchfmt "$T/data.raw" "$T/x"
[ ! -e "$T/x" ] || fail "unknown output format left a file"
expect_error "compression unsupported" 1 "$IMG" convert -c -f raw -O vdi "$T/data.raw" "$T/c.vdi"
[ ! -e "$T/c.vdi" ] || fail "compression unsupported: destination left"
expect_error "unknown subcommand" 1 "$IMG" frobnicate
expect_error "shrink without --shrink" 1 "$IMG" resize -f raw "$T/data.raw" 1M

for fmt in vdi vmdk vpc; do
    "$IMG" convert -f raw -O "$fmt" "$T/data.raw" "$T/good.$fmt" || fail "convert to $fmt"
    for cut in 100 700 5000 1100000; do
        head -c $cut "$T/good.$fmt" >"$T/cut.$fmt"
        expect_error "$fmt truncated to $cut bytes" 1 "$IMG" convert -f "$fmt" -O raw \
            "$T/cut.$fmt" "$T/out.raw"
        [ ! -e "$T/out.raw" ] || fail "$fmt truncated: half-written destination left"
    done
done

# Hostile header fields.
cp "$T/good.vdi" "$T/h.vdi"; patch "$T/h.vdi" 0x180 ffffff7f      # blocks_in_image
expect_error "vdi: huge block count" 1 "$IMG" info -f vdi "$T/h.vdi"
cp "$T/good.vdi" "$T/h.vdi"; patch "$T/h.vdi" 0x178 00100000      # block size 4 KiB
expect_error "vdi: odd block size" 1 "$IMG" info -f vdi "$T/h.vdi"
cp "$T/good.vdi" "$T/h.vdi"; patch "$T/h.vdi" 0x200 00010000      # map entry 256
expect_error "vdi: map entry out of range" 1 "$IMG" info -f vdi "$T/h.vdi"
cp "$T/good.vdi" "$T/h.vdi"; patch "$T/h.vdi" 0x204 00000000      # block 0 used twice
"$IMG" check -f vdi "$T/h.vdi" >"$T/out" 2>&1
[ $? -eq 2 ] && grep -q 'used twice' "$T/out" || fail "vdi check: block used twice: $(cat "$T/out")"
"$IMG" check -f vdi "$T/good.vdi" >/dev/null || fail "check of a good vdi"
cp "$T/good.vmdk" "$T/h.vmdk"; patch "$T/h.vmdk" 20 0300000000000000   # grain 3 sectors
expect_error "vmdk: grain size not a power of 2" 1 "$IMG" info -f vmdk "$T/h.vmdk"
cp "$T/good.vmdk" "$T/h.vmdk"; patch "$T/h.vmdk" 12 ffffffffffffff00   # capacity
expect_error "vmdk: huge capacity" 1 "$IMG" info -f vmdk "$T/h.vmdk"
cp "$T/good.vmdk" "$T/h.vmdk"; patch "$T/h.vmdk" 56 ffffff0000000000   # GD offset
expect_error "vmdk: grain directory past the end" 1 "$IMG" info -f vmdk "$T/h.vmdk"
printf '# Disk DescriptorFile\ncreateType="monolithicFlat"\nRW 99999999999999999 FLAT "nothere" 0\n' >"$T/d.vmdk"
expect_error "vmdk: descriptor with a huge extent" 1 "$IMG" info -f vmdk "$T/d.vmdk"
printf '# Disk DescriptorFile\ncreateType="monolithicFlat"\nRW 100 FLAT "nothere" 0\n' >"$T/d.vmdk"
expect_error "vmdk: missing extent file" 1 "$IMG" info -f vmdk "$T/d.vmdk"
cp "$T/good.vpc" "$T/h.vpc"; patch "$T/h.vpc" $((512 + 32)) 00000300  # block size 3 * 64k
expect_error "vpc: block size not a power of 2" 1 "$IMG" info -f vpc "$T/h.vpc"
cp "$T/good.vpc" "$T/h.vpc"; patch "$T/h.vpc" $((512 + 28)) 7fffffff  # table entries
expect_error "vpc: huge block table" 1 "$IMG" info -f vpc "$T/h.vpc"
cp "$T/good.vpc" "$T/h.vpc"; patch "$T/h.vpc" 1536 00ffffff           # BAT entry
expect_error "vpc: block past the end" 1 "$IMG" info -f vpc "$T/h.vpc"
expect_error "vpc: check unsupported" 63 "$IMG" check -f vpc "$T/good.vpc"

# compare exit codes: 0 identical, 1 different, 2 error.
"$IMG" compare -q -f raw -F vdi "$T/data.raw" "$T/good.vdi" || fail "compare identical"
cp "$T/data.raw" "$T/other.raw"; patch "$T/other.raw" 5000 ff
"$IMG" compare -f raw -F raw "$T/data.raw" "$T/other.raw" >"$T/out" 2>&1
[ $? -eq 1 ] && grep -q 'Content mismatch at offset 4608!' "$T/out" || fail "compare different: $(cat "$T/out")"
expect_error "compare with a missing file" 2 "$IMG" compare -f raw "$T/data.raw" "$T/nothere"

# Backing file loop (qcow2).
if has_format qcow2; then
    "$IMG" create -q -f qcow2 "$T/a.qcow2" 1M && "$IMG" create -q -f qcow2 -b a.qcow2 -F qcow2 "$T/b.qcow2" &&
        "$IMG" rebase -u -f qcow2 -b b.qcow2 -F qcow2 "$T/a.qcow2" || fail "making a loop"
    expect_error "backing loop" 1 "$IMG" convert -f qcow2 -O raw "$T/b.qcow2" "$T/loop.raw"
    [ ! -e "$T/loop.raw" ] || fail "backing loop: destination left"
    expect_error "backing loop (info --backing-chain)" 1 "$IMG" info --backing-chain "$T/b.qcow2"
fi

# A full disk: a 2 MiB tmpfs (needs root and mount; skipped otherwise).
mkdir -p "$T/small"
if mount -t tmpfs -o size=2M tmpfs "$T/small" 2>/dev/null; then
    trap 'umount "$T/small"; rm -rf "$T"' EXIT
    for fmt in raw vdi vmdk vpc; do
        expect_error "disk full ($fmt)" 1 "$IMG" convert -f raw -O $fmt "$T/data.raw" "$T/small/o.$fmt"
        [ -z "$(ls "$T/small")" ] || fail "disk full ($fmt): destination left: $(ls "$T/small")"
    done
else
    echo "note: cannot mount a small tmpfs: disk-full case skipped"
fi
# File size limit (EFBIG), works without root.
( ulimit -f 1024; trap '' XFSZ; expect_error "file size limit" 1 "$IMG" convert -f raw -O raw "$T/data.raw" "$T/big.raw" )
[ ! -e "$T/big.raw" ] || fail "file size limit: destination left"
echo "all error cases passed"
