#!/bin/bash
# The x86 differential tester (tests/difftest): generated instruction sequences on the host
# CPU (64-bit encodings, 16/32/64-bit operand sizes) and on Unicorn (16- and 32-bit modes:
# BCD, PUSHA/POPA, short INC/DEC, segment pushes, 16-bit addressing, and the common set
# again) against Mimic's translator with both back ends; the x87 set (gen-x87.c) against
# the host's x87. Fixed seeds, a few seconds; MIMIC_LONG_TESTS=1 runs 100x more cases with
# fresh seeds. 0 mismatches expected.
set -u
: "${MIMIC_BUILD_DIR:?run through make check}"
bin=$MIMIC_BUILD_DIR/tests/difftest/x86-difftest
[ -x "$bin" ] || { echo "x86-difftest not built"; exit 1; }
n64=6000 n32=2000 nx87=6000 seeds="1 2"
if [ "${MIMIC_LONG_TESTS:-0}" = 1 ]; then
    n64=600000 n32=200000 nx87=600000 seeds="$(date +%s) 7 11"
fi
status=0 ran=0
run() {
    "$bin" "$@"
    local rc=$?
    case $rc in
    0) ran=$((ran + 1)) ;;
    77) ;;
    *) status=1 ;;
    esac
}
for s in $seeds; do
    run -s "$s" -n "$n64" -m 64 -b native
    run -s "$s" -n $((n64 / 4)) -m 64 -b interp
    run -s "$s" -n "$n32" -m 32 -b native
    run -s "$s" -n "$n32" -m 16 -b native
    run -t x87 -s "$s" -n "$nx87" -m 64 -b native
    run -t x87 -s "$s" -n $((nx87 / 4)) -m 64 -b interp
done
[ $ran -gt 0 ] || { echo "no reference runner available here"; exit 77; }
exit $status
