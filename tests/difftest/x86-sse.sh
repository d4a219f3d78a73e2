#!/bin/bash
# The MMX/SSE differential tester (tests/difftest/sse): every instruction of the vector
# decode tables, register and memory forms, on the host CPU and on Mimic's translator with
# both back ends, from boundary-biased operands under every MXCSR rounding mode, DAZ and
# FTZ. Fixed seeds, a few seconds; MIMIC_LONG_TESTS=1 runs 100x more with fresh seeds.
# 0 mismatches expected.
set -u
: "${MIMIC_BUILD_DIR:?run through make check}"
bin=$MIMIC_BUILD_DIR/tests/difftest/x86-sse-difftest
[ -x "$bin" ] || { echo "x86-sse-difftest not built"; exit 1; }
n=20000 seeds="1 2"
if [ "${MIMIC_LONG_TESTS:-0}" = 1 ]; then
    n=2000000 seeds="$(date +%s) 7 11"
fi
status=0 ran=0
for s in $seeds; do
    for b in native interp; do
        cnt=$n
        [ $b = interp ] && cnt=$((n / 4))
        "$bin" -s "$s" -n "$cnt" -b $b
        rc=$?
        case $rc in
        0) ran=$((ran + 1)) ;;
        77) ;;
        *) status=1 ;;
        esac
    done
done
[ $ran -gt 0 ] || { echo "the host runner is not available here"; exit 77; }
exit $status
