#!/bin/bash
# A 1 GiB sparse image with data at its start, middle and end goes
# raw -> qcow2 -> vdi -> vmdk -> vpc -> raw and comes back bit-identical, holes kept.
set -eu
. "$MIMIC_SRC_DIR/tests/block/img-lib.sh"

S=$((1 << 30))
truncate -s $S "$T/src.raw"
for off in 0 $((S / 2 - 5120)) $((S - 65536)); do   # sector-aligned, not cluster-aligned
    head -c 65536 /dev/urandom >"$T/chunk"
    dd if="$T/chunk" of="$T/src.raw" bs=512 seek=$((off / 512)) conv=notrunc status=none
done
prev=$T/src.raw prev_fmt=raw
for step in qcow2 vdi vmdk "vmdk:subformat=streamOptimized" "vpc:force_size=on" raw; do
    IFS=: read -r fmt opts <<<"$step"
    has_format "$fmt" || { echo "note: no $fmt driver yet, step skipped"; continue; }
    out=$T/step.$fmt.${opts:-plain}
    "$IMG" convert -f "$prev_fmt" -O "$fmt" ${opts:+-o "$opts"} "$prev" "$out" || fail "to $fmt"
    [ "$prev" = "$T/src.raw" ] || rm -f "$prev"
    prev=$out prev_fmt=$fmt
done
cmp "$T/src.raw" "$prev" || fail "1 GiB round trip differs"
[ "$(stat -c %b "$prev")" -lt 4096 ] || fail "holes were filled: $(stat -c %b "$prev") blocks"
echo "ok: 1 GiB sparse round trip"
