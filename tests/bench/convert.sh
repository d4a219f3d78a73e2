#!/bin/bash
# Benchmark: mimic-img convert against qemu-img convert on the same files. A 2 GiB raw image,
# half data (1 MiB extents, partly compressible) and half holes, is converted
# raw -> qcow2, qcow2 -> raw and raw -> compressed qcow2; runs alternate between the two
# tools; the medians and the ratio mimic/qemu are printed. Run by hand or with `make bench`
# (not part of make check). Environment: RUNS (default 5), BENCH_DIR (default $TMPDIR),
# BENCH_SIZE_MB (default 2048), BENCH_CASES (a grep -E pattern selecting conversions).
set -u
: "${MIMIC_BUILD_DIR:?run through make bench, or set MIMIC_BUILD_DIR}"
IMG=$MIMIC_BUILD_DIR/mimic-img
RUNS=${RUNS:-5}
SIZE_MB=${BENCH_SIZE_MB:-2048}
if ! command -v qemu-img >/dev/null; then
    echo "qemu-img not installed: nothing to compare with"
    exit 0
fi
if ! "$IMG" --help | grep '^Supported formats:' | grep -qw qcow2; then
    echo "mimic-img has no qcow2 driver yet"
    exit 0
fi
D=$(mktemp -d "${BENCH_DIR:-${TMPDIR:-/tmp}}/mimic-bench.XXXXXX")
trap 'rm -rf "$D"' EXIT

# Even MiBs hold data (a quarter random, the rest repeated text), odd MiBs are holes.
python3 - "$D/src.raw" "$SIZE_MB" <<'PY'
import os, sys
path, mb = sys.argv[1], int(sys.argv[2])
text = (b"The quick brown fox jumps over the lazy dog; mimic-img benchmark data. " * 16)[:1024]
with open(path, "wb") as f:
    f.truncate(mb << 20)
    for i in range(0, mb, 2):
        f.seek(i << 20)
        f.write(os.urandom(256 << 10) + text * 768)
PY
qemu-img convert -f raw -O qcow2 "$D/src.raw" "$D/src.qcow2"

now() { date +%s.%N; }

# time_one TOOL ARGS...: seconds for one conversion into $D/out (removed first).
time_one() {
    local tool=$1 t0 t1
    shift
    rm -f "$D/out"
    sync
    t0=$(now)
    "$tool" convert "$@" "$D/out" >/dev/null || { echo "FAILED: $tool convert $*" >&2; return 1; }
    t1=$(now)
    echo "$t1 - $t0" | bc
}

median() { sort -n | awk '{a[NR]=$1} END {print (NR % 2) ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2}'; }

printf "%-28s %12s %12s %8s\n" "conversion (${SIZE_MB} MiB)" "mimic-img s" "qemu-img s" "ratio"
while IFS='|' read -r name args; do
    if [ -n "${BENCH_CASES:-}" ] && ! grep -qE -- "$BENCH_CASES" <<<"$name"; then
        continue
    fi
    : >"$D/m.times"
    : >"$D/q.times"
    for r in $(seq "$RUNS"); do
        # shellcheck disable=SC2086
        if [ $((r % 2)) -eq 1 ]; then
            time_one "$IMG" $args >>"$D/m.times" && time_one qemu-img $args >>"$D/q.times"
        else
            time_one qemu-img $args >>"$D/q.times" && time_one "$IMG" $args >>"$D/m.times"
        fi
    done
    m=$(median <"$D/m.times")
    q=$(median <"$D/q.times")
    printf "%-28s %12.3f %12.3f %8.2f\n" "$name" "$m" "$q" "$(echo "$m / $q" | bc -l)"
done <<EOF2
raw -> qcow2|-f raw -O qcow2 $D/src.raw
qcow2 -> raw|-f qcow2 -O raw $D/src.qcow2
raw -> qcow2 compressed|-f raw -O qcow2 -c $D/src.raw
EOF2
