#!/bin/bash
# x86 floating point vs QEMU: a double-precision bare-metal program (tests/bench/x86-fp:
# matrix multiply and an n-body simulation) built twice from the same source, for the x87
# (-mfpmath=387) and for SSE2 (-mfpmath=sse), booted as the pc machine's BIOS (as
# tests/bench/x86-cpu.sh does) on mimic-system-i386 and qemu-system-i386. Prints, for
# BENCH_RUNS (5) alternated runs, the median CPU time (user + system) and wall time of
# each and the CPU-time ratio mimic/QEMU (target <= 0.67); outputs must be identical. The
# SSE2 build is skipped while mimic's CPU does not offer SSE2 (it prints NO-SSE2).
set -u
: "${MIMIC_BUILD_DIR:?run through make bench}"
dir=$(cd "$(dirname "$0")" && pwd)
runs=${BENCH_RUNS:-5}
mkdir -p "$MIMIC_BUILD_DIR/tests/bench"

# run BINARY IMAGE: prints "cpu-seconds wall-seconds"; the guest's output goes to $out
run() {
    local tf
    tf=$(mktemp)
    /usr/bin/time -o "$tf" -f "%U %S %e" timeout 600 "$1" -M pc -display none -monitor none \
        -bios "$2" -serial stdio -no-reboot -m 64 >"$out" 2>/dev/null
    awk '{ printf "%.3f %.3f\n", $1 + $2, $3 }' "$tf"
    rm -f "$tf"
}
median() { sort -g | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }

qemu=$(command -v qemu-system-i386) || { echo "qemu-system-i386: not installed"; exit 77; }
mimic=$MIMIC_BUILD_DIR/mimic-system-i386
status=0
for fp in x87 sse2; do
    img=$MIMIC_BUILD_DIR/tests/bench/x86-fp-$fp.img
    "$dir/x86-fp/build.sh" "$img" "${BENCH_SCALE:-8}" "$fp" || exit $?
    out=$(mktemp)
    ref=$(mktemp)
    qt=() mt=()
    for i in $(seq "$runs"); do
        qt+=("$(run "$qemu" "$img")")
        cp "$out" "$ref"
        mt+=("$(run "$mimic" "$img")")
        if grep -q NO-SSE2 "$out"; then
            echo "$fp: mimic's CPU does not offer SSE2 yet: skipped"
            continue 2
        fi
        if ! cmp -s "$out" "$ref" || ! grep -q DONE "$out"; then
            echo "$fp: outputs differ (mimic vs QEMU):"; diff "$out" "$ref" | head
            status=1
        fi
    done
    q=$(printf '%s\n' "${qt[@]}" | cut -d' ' -f1 | median)
    m=$(printf '%s\n' "${mt[@]}" | cut -d' ' -f1 | median)
    qw=$(printf '%s\n' "${qt[@]}" | cut -d' ' -f2 | median)
    mw=$(printf '%s\n' "${mt[@]}" | cut -d' ' -f2 | median)
    printf '%-5s CPU: QEMU %6.3f s  mimic %6.3f s  ratio %.2f   wall: QEMU %6.3f s  mimic %6.3f s  (median of %d)\n' \
        "$fp" "$q" "$m" "$(echo "$m / $q" | bc -l)" "$qw" "$mw" "$runs"
    rm -f "$out" "$ref"
done
exit $status
