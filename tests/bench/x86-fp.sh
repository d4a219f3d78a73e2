#!/bin/bash
# x86 floating point vs QEMU: a double-precision bare-metal program (tests/bench/x86-fp:
# matrix multiply and an n-body simulation) built twice from the same source, for the x87
# (-mfpmath=387) and for SSE2 (-mfpmath=sse), booted as the pc machine's BIOS (as
# x86-cpu.sh does) on mimic-system-i386 and qemu-system-i386. Prints, for BENCH_RUNS (5)
# alternated runs, the median CPU time (user + system) and wall time of each and the
# CPU-time ratio mimic/QEMU (target <= 0.67); outputs must be identical. The SSE2 build
# is skipped while mimic's CPU does not offer SSE2 (the guest prints "SKIP: ...").
set -u
: "${MIMIC_BUILD_DIR:?run through make bench}"
dir=$(cd "$(dirname "$0")" && pwd)
. "$dir/x86-lib.sh"
mkdir -p "$MIMIC_BUILD_DIR/tests/bench"

status=0
for fp in x87 sse2; do
    img=$MIMIC_BUILD_DIR/tests/bench/x86-fp-$fp.img
    "$dir/x86-fp/build.sh" "$img" "${BENCH_SCALE:-8}" "$fp" || exit $?
    bench_bios "$fp" i386 "$img"
    [ $? -eq 1 ] && status=1
done
exit $status
