# Shared by the x86 BIOS-image benchmarks (x86-cpu.sh, x86-fp.sh; sourced, not run):
# bench_bios LABEL ARCH IMAGE runs IMAGE as the pc machine's BIOS on qemu-system-ARCH and
# mimic-system-ARCH, BENCH_RUNS (5) times each, alternated, checks that the outputs are
# identical and end with DONE, and prints the median CPU time (user + system, all
# threads: on a shared machine wall time mostly measures the wait for a core) and wall
# time of each and the CPU-time ratio mimic/QEMU (target <= 0.67). Returns 1 on differing
# outputs, 77 when QEMU is missing or the guest printed "SKIP: reason" on mimic.

# bios_run BINARY IMAGE OUT: prints "cpu-seconds wall-seconds"; the guest's output in OUT
bios_run() {
    local tf
    tf=$(mktemp)
    /usr/bin/time -o "$tf" -f "%U %S %e" timeout 600 "$1" -M pc -display none -monitor none \
        -bios "$2" -serial stdio -no-reboot -m 64 >"$3" 2>/dev/null
    awk '{ printf "%.3f %.3f\n", $1 + $2, $3 }' "$tf"
    rm -f "$tf"
}

median() { sort -g | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }

bench_bios() {
    local label=$1 arch=$2 img=$3 qemu mimic out ref status=0 q m qw mw
    local qt=() mt=()
    qemu=$(command -v "qemu-system-$arch") || { echo "qemu-system-$arch: not installed"; return 77; }
    mimic=$MIMIC_BUILD_DIR/mimic-system-$arch
    out=$(mktemp)
    ref=$(mktemp)
    for _ in $(seq "${BENCH_RUNS:-5}"); do
        qt+=("$(bios_run "$qemu" "$img" "$ref")")
        mt+=("$(bios_run "$mimic" "$img" "$out")")
        if grep -q '^SKIP' "$out"; then
            echo "$label: $(grep '^SKIP' "$out")"
            rm -f "$out" "$ref"
            return 77
        fi
        if ! cmp -s "$out" "$ref" || ! grep -q DONE "$out"; then
            echo "$label: outputs differ (mimic vs QEMU):"; diff "$out" "$ref" | head
            status=1
        fi
    done
    q=$(printf '%s\n' "${qt[@]}" | cut -d' ' -f1 | median)
    m=$(printf '%s\n' "${mt[@]}" | cut -d' ' -f1 | median)
    qw=$(printf '%s\n' "${qt[@]}" | cut -d' ' -f2 | median)
    mw=$(printf '%s\n' "${mt[@]}" | cut -d' ' -f2 | median)
    printf '%-7s CPU: QEMU %6.3f s  mimic %6.3f s  ratio %.2f   wall: QEMU %6.3f s  mimic %6.3f s  (median of %d)\n' \
        "$label" "$q" "$m" "$(echo "$m / $q" | bc -l)" "$qw" "$mw" "${BENCH_RUNS:-5}"
    rm -f "$out" "$ref"
    return $status
}
