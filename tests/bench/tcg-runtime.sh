#!/bin/bash
# Builds and runs tests/bench/tcg-runtime.c (runtime figures on the toy guest of
# test-tcg-runtime) against the libraries of the current build. Run through "make bench" (or with MIMIC_BUILD_DIR and
# MIMIC_SRC_DIR set). "tcg-runtime.sh tlb" runs only the TLB-miss loops, briefly, so that
# `valgrind --tool=callgrind build/tests/bench/tcg-runtime tlb` counts their instructions.
set -eu
: "${MIMIC_BUILD_DIR:?run through make bench}" "${MIMIC_SRC_DIR:?run through make bench}"
libs=$(sed -n 's/^[A-Z]*_LIBS=//p' "$MIMIC_BUILD_DIR/config.mak" | tr '\n' ' ')
out=$MIMIC_BUILD_DIR/tests/bench/tcg-runtime
mkdir -p "$(dirname "$out")"
cc -std=gnu11 -O2 -D_GNU_SOURCE -I"$MIMIC_SRC_DIR/include" -I"$MIMIC_SRC_DIR" \
    -I/usr/include/capstone -o "$out" "$MIMIC_SRC_DIR/tests/bench/tcg-runtime.c" \
    -Wl,--start-group "$MIMIC_BUILD_DIR"/libcommon.a "$MIMIC_BUILD_DIR"/libblock.a \
    -Wl,--end-group $libs -lcmocka -lpthread -lm -lrt
exec "$out" "$@"
