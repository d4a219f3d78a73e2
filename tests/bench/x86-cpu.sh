#!/bin/bash
# x86 translator vs QEMU on a CPU-bound bare-metal program (tests/bench/x86-cpu: CRC-32,
# quicksort, 64-bit hashing and division on a 32-bit guest). The same 64 KiB image is the
# BIOS of the pc machine of mimic-system-i386/x86_64 and qemu-system-i386/x86_64: it
# enters protected mode, runs, prints its results on COM1 and resets (-no-reboot: exit).
# Prints, for BENCH_RUNS (5) alternated runs of each, the median CPU time (user + system,
# all threads: on a shared machine wall time mostly measures the wait for a core) and
# the median wall time, and the CPU-time ratio mimic/QEMU (target <= 0.67). Outputs must
# be identical.
set -u
: "${MIMIC_BUILD_DIR:?run through make bench}"
dir=$(cd "$(dirname "$0")" && pwd)
runs=${BENCH_RUNS:-5}
img=$MIMIC_BUILD_DIR/tests/bench/x86-cpu.img
mkdir -p "$(dirname "$img")"
"$dir/x86-cpu/build.sh" "$img" "${BENCH_SCALE:-8}" || exit $?

# run BINARY: prints "cpu-seconds wall-seconds"; the guest's output goes to $out
run() {
    local tf
    tf=$(mktemp)
    /usr/bin/time -o "$tf" -f "%U %S %e" timeout 600 "$1" -M pc -display none -monitor none \
        -bios "$img" -serial stdio -no-reboot -m 64 >"$out" 2>/dev/null
    awk '{ printf "%.3f %.3f\n", $1 + $2, $3 }' "$tf"
    rm -f "$tf"
}
median() { sort -g | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }

status=0
for arch in i386 x86_64; do
    qemu=$(command -v qemu-system-$arch) || { echo "qemu-system-$arch: not installed"; continue; }
    mimic=$MIMIC_BUILD_DIR/mimic-system-$arch
    out=$(mktemp)
    ref=$(mktemp)
    qt=() mt=()
    for i in $(seq "$runs"); do
        qt+=("$(run "$qemu")")
        cp "$out" "$ref"
        mt+=("$(run "$mimic")")
        if ! cmp -s "$out" "$ref" || ! grep -q DONE "$out"; then
            echo "$arch: outputs differ (mimic vs QEMU):"; diff "$out" "$ref" | head
            status=1
        fi
    done
    q=$(printf '%s\n' "${qt[@]}" | cut -d' ' -f1 | median)
    m=$(printf '%s\n' "${mt[@]}" | cut -d' ' -f1 | median)
    qw=$(printf '%s\n' "${qt[@]}" | cut -d' ' -f2 | median)
    mw=$(printf '%s\n' "${mt[@]}" | cut -d' ' -f2 | median)
    printf '%-7s CPU: QEMU %6.3f s  mimic %6.3f s  ratio %.2f   wall: QEMU %6.3f s  mimic %6.3f s  (median of %d)\n' \
        "$arch" "$q" "$m" "$(echo "$m / $q" | bc -l)" "$qw" "$mw" "$runs"
    rm -f "$out" "$ref"
done
exit $status
