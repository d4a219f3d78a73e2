#!/bin/bash
# Interoperability with qemu-img, both ways: every image qemu-img writes reads back
# bit-identically in mimic-img, and every image mimic-img writes passes qemu-img check
# (for the formats qemu-img checks) and qemu-img compare against its source.
set -eu
. "$MIMIC_SRC_DIR/tests/block/img-lib.sh"
need_qemu_img

SIZE=$((40 << 20))
make_test_image "$T/src.raw" $SIZE

# Variants: "fmt|create options|extra convert args"
VARIANTS=(
    "qcow2|compat=1.1|"
    "qcow2|compat=0.10|"
    "qcow2|compat=1.1|-c"
    "qcow2|cluster_size=4096,lazy_refcounts=on|"
    "vdi||"
    "vdi|static=on|"
    "vmdk|subformat=monolithicSparse|"
    "vmdk|subformat=monolithicFlat|"
    "vmdk|subformat=streamOptimized|"
    "vpc|subformat=dynamic|"
    "vpc|subformat=fixed|"
    "vpc|subformat=dynamic,force_size=on|"
)

qemu_checks() {
    case $1 in qcow2|vdi|vmdk) return 0 ;; *) return 1 ;; esac
}

n=0
for v in "${VARIANTS[@]}"; do
    IFS='|' read -r fmt opts extra <<<"$v"
    n=$((n + 1))
    if ! has_format "$fmt"; then
        echo "note: mimic-img has no $fmt driver yet: $fmt ($opts) skipped"
        continue
    fi
    # qemu-img writes, mimic-img reads.
    q=$T/q$n.$fmt
    # shellcheck disable=SC2086
    qemu-img convert -q -f raw -O "$fmt" ${opts:+-o "$opts"} $extra "$T/src.raw" "$q"
    "$IMG" convert -f "$fmt" -O raw "$q" "$T/q$n.raw" || fail "mimic-img cannot read qemu's $fmt ($opts)"
    truncate -s $SIZE "$T/q$n.raw"    # vpc may round the size up: the tail reads zeros
    cmp "$T/src.raw" "$T/q$n.raw" || fail "qemu's $fmt ($opts) reads back differently"
    "$IMG" compare -q -f raw -F "$fmt" "$T/src.raw" "$q" || fail "compare with qemu's $fmt ($opts)"
    # mimic-img writes, qemu-img checks and compares.
    m=$T/m$n.$fmt
    # shellcheck disable=SC2086
    "$IMG" convert -f raw -O "$fmt" ${opts:+-o "$opts"} $extra "$T/src.raw" "$m" ||
        fail "mimic-img cannot write $fmt ($opts)"
    if qemu_checks "$fmt"; then
        qemu-img check -q -f "$fmt" "$m" || fail "qemu-img check fails on mimic's $fmt ($opts)"
    fi
    qemu-img compare -q -f raw -F "$fmt" "$T/src.raw" "$m" ||
        fail "qemu-img compare: mimic's $fmt ($opts) differs from the source"
    qsize=$(qemu-img info -f "$fmt" --output=json "$m" | python3 -c 'import json,sys; print(json.load(sys.stdin)["virtual-size"])')
    msize=$("$IMG" info -f "$fmt" --output=json "$m" | python3 -c 'import json,sys; print(json.load(sys.stdin)["virtual-size"])')
    [ "$qsize" = "$msize" ] || fail "$fmt ($opts): qemu-img sees $qsize bytes, mimic-img $msize"
    echo "ok: $fmt ($opts $extra)"
done

# The same sizes: vpc geometry rounding agrees with qemu-img for awkward sizes.
for size in 1000000 100M 3G 127G; do
    qemu-img create -q -f vpc "$T/g.q.vpc" $size
    "$IMG" create -q -f vpc "$T/g.m.vpc" $size
    a=$(qemu-img info --output=json "$T/g.q.vpc" | python3 -c 'import json,sys; print(json.load(sys.stdin)["virtual-size"])')
    b=$("$IMG" info --output=json "$T/g.m.vpc" | python3 -c 'import json,sys; print(json.load(sys.stdin)["virtual-size"])')
    [ "$a" = "$b" ] || fail "vpc size $size: qemu-img $a, mimic-img $b"
    rm -f "$T"/g.*
done
echo "ok: vpc geometry sizes"
