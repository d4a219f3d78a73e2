#!/bin/bash
# Runs every benchmark in tests/bench (executable *.sh other than this one). Benchmarks
# print their own figures (medians and ratios); none of them is a pass/fail test.
set -u
: "${MIMIC_BUILD_DIR:?run through make bench}"
dir=$(dirname "$0")
for b in "$dir"/*.sh; do
    [ "$(basename "$b")" = run.sh ] && continue
    [ -x "$b" ] || continue
    echo "== $(basename "$b" .sh)"
    "$b" || echo "benchmark $(basename "$b") failed (exit $?)"
done
