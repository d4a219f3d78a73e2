#!/bin/bash
# The MMX/SSE and AVX differential tester (tests/difftest/sse): every instruction of the
# vector decode tables and (AVX set) every VEX form of an SSE operation, register and
# memory forms, on the host CPU and on Mimic's translator with both back ends, from
# boundary-biased operands under every MXCSR rounding mode, DAZ and FTZ (AVX: some
# exceptions unmasked, some invalid VEX.L/vvvv). Fixed seeds, a few seconds;
# MIMIC_LONG_TESTS=1 runs 100x more with fresh seeds. 0 mismatches expected.
set -u
: "${MIMIC_BUILD_DIR:?run through make check}"
bin=$MIMIC_BUILD_DIR/tests/difftest/x86-sse-difftest
[ -x "$bin" ] || { echo "x86-sse-difftest not built"; exit 1; }
n=20000 seeds="1 2"
if [ "${MIMIC_LONG_TESTS:-0}" = 1 ]; then
    n=2000000 seeds="$(date +%s) 7 11"
fi
status=0 ran=0
run() {
    "$bin" "$@"
    case $? in
    0) ran=$((ran + 1)) ;;
    77) ;;
    *) status=1 ;;
    esac
}
for s in $seeds; do
    for t in sse avx; do
        run -t $t -s "$s" -n "$n" -b native
        run -t $t -s "$s" -n $((n / 4)) -b interp
    done
done
[ $ran -gt 0 ] || { echo "the host runner is not available here"; exit 77; }
exit $status
