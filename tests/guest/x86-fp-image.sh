#!/bin/bash
# The FP benchmark program (tests/bench/x86-fp, small scale), x87 build (and the SSE2
# build once mimic offers SSE2), boots as the pc machine's BIOS on mimic-system-i386 and
# prints exactly what qemu-system-i386 prints for the same bytes: GCC's x87 code for
# double arithmetic, square roots, conversions and stores gives the same bits.
set -u
: "${MIMIC_BUILD_DIR:?run through make check}"
dir=$(cd "$(dirname "$0")/../bench/x86-fp" && pwd)
command -v qemu-system-i386 >/dev/null || { echo "qemu-system-i386 not installed"; exit 77; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
boot() {
    timeout 120 "$1" -M pc -display none -monitor none -bios "$2" -serial stdio \
        -no-reboot -m 64 2>&1
}
for fp in x87 sse2; do
    "$dir/build.sh" "$tmp/$fp.img" 1 "$fp" || exit $?
    boot qemu-system-i386 "$tmp/$fp.img" >"$tmp/qemu.txt"
    grep -q DONE "$tmp/qemu.txt" || { echo "QEMU did not run the $fp image:"; cat "$tmp/qemu.txt"; exit 1; }
    boot "$MIMIC_BUILD_DIR/mimic-system-i386" "$tmp/$fp.img" >"$tmp/mimic.txt"
    if grep -q "^SKIP" "$tmp/mimic.txt"; then
        echo "$fp: mimic does not offer SSE2 yet (skipped)"
        continue
    fi
    if ! cmp -s "$tmp/mimic.txt" "$tmp/qemu.txt"; then
        echo "$fp build: mimic-system-i386 differs from QEMU:"; diff "$tmp/mimic.txt" "$tmp/qemu.txt"
        exit 1
    fi
    cat "$tmp/qemu.txt"
    echo "$fp build: mimic-system-i386 prints what QEMU prints"
done
