#!/bin/bash
# The x86 benchmark program (tests/bench/x86-cpu, small scale) boots as the pc machine's
# BIOS on mimic-system-i386 and mimic-system-x86_64 (real mode, protected mode entry, far
# jump, REP MOVS, then CRC-32, quicksort, 64-bit hashing/division compiled by GCC) and
# prints exactly what qemu-system-i386 prints for the same bytes.
set -u
: "${MIMIC_BUILD_DIR:?run through make check}"
dir=$(cd "$(dirname "$0")/../bench/x86-cpu" && pwd)
command -v qemu-system-i386 >/dev/null || { echo "qemu-system-i386 not installed"; exit 77; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
"$dir/build.sh" "$tmp/bench.img" 1 || exit $?
boot() {
    timeout 120 "$1" -M pc -display none -monitor none -bios "$tmp/bench.img" \
        -serial stdio -no-reboot -m 64 2>&1
}
boot qemu-system-i386 >"$tmp/qemu.txt"
grep -q DONE "$tmp/qemu.txt" || { echo "QEMU did not run the image:"; cat "$tmp/qemu.txt"; exit 1; }
for arch in i386 x86_64; do
    boot "$MIMIC_BUILD_DIR/mimic-system-$arch" >"$tmp/mimic.txt"
    if ! cmp -s "$tmp/mimic.txt" "$tmp/qemu.txt"; then
        echo "mimic-system-$arch differs from QEMU:"; diff "$tmp/mimic.txt" "$tmp/qemu.txt"
        exit 1
    fi
done
cat "$tmp/qemu.txt"
echo "mimic-system-i386 and -x86_64 print what QEMU prints"
