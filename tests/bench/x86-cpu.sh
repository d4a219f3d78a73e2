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
. "$dir/x86-lib.sh"
img=$MIMIC_BUILD_DIR/tests/bench/x86-cpu.img
mkdir -p "$(dirname "$img")"
"$dir/x86-cpu/build.sh" "$img" "${BENCH_SCALE:-8}" || exit $?

status=0
for arch in i386 x86_64; do
    bench_bios "$arch" "$arch" "$img"
    [ $? -eq 1 ] && status=1
done
exit $status
