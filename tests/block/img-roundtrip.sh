#!/bin/bash
# Round trips raw -> qcow2 -> vdi -> vmdk -> vpc -> raw (and the compressed qcow2,
# streamOptimized/flat vmdk, fixed vdi/vpc variants) must give back the very same bytes,
# and holes must stay holes.
set -eu
. "$MIMIC_SRC_DIR/tests/block/img-lib.sh"

SIZE=$((48 << 20))
make_test_image "$T/src.raw" $SIZE

# convert_chain NAME STEP...: each step is "fmt[:options[:extra convert args]]".
convert_chain() {
    local name=$1 prev=$T/src.raw prev_fmt=raw i=0
    shift
    for step in "$@"; do
        IFS=: read -r fmt opts extra <<<"$step"
        has_format "$fmt" || { echo "note: $name: no $fmt driver, step skipped"; continue; }
        i=$((i + 1))
        local out=$T/$name.$i.$fmt
        # shellcheck disable=SC2086
        "$IMG" convert -f "$prev_fmt" -O "$fmt" ${opts:+-o "$opts"} $extra "$prev" "$out" ||
            fail "$name: convert $prev_fmt -> $fmt ($opts)"
        "$IMG" compare -f raw -F "$fmt" "$T/src.raw" "$out" >/dev/null ||
            fail "$name: $fmt ($opts) differs from the source"
        prev=$out
        prev_fmt=$fmt
    done
    "$IMG" convert -f "$prev_fmt" -O raw "$prev" "$T/$name.back.raw" || fail "$name: back to raw"
    cmp "$T/src.raw" "$T/$name.back.raw" || fail "$name: round trip not bit-identical"
    local blocks src_blocks
    blocks=$(stat -c %b "$T/$name.back.raw")
    src_blocks=$(stat -c %b "$T/src.raw")
    [ "$blocks" -le $((src_blocks + 64)) ] ||
        fail "$name: holes filled in ($blocks blocks vs $src_blocks)"
    echo "ok: $name"
}

convert_chain plain qcow2 vdi vmdk "vpc:force_size=on"
convert_chain compressed "qcow2::-c" "vmdk:subformat=streamOptimized" vdi "vpc:force_size=on"
convert_chain fixed "vdi:static=on" "vmdk:subformat=monolithicFlat" \
    "vpc:subformat=fixed,force_size=on" "qcow2:compat=0.10"
convert_chain small_clusters "qcow2:cluster_size=4096" "vmdk:cluster_size=4096" \
    "qcow2::-c" "vpc:force_size=on"
