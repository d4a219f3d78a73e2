#!/bin/bash
# The tcg accelerator: -accel tcg options, "info jit" in the monitor, option errors.
. "$(dirname "$0")/lib.sh"
for be in native interp; do
    out=$(printf 'info jit\ninfo status\nquit\n' |
          timeout 20 "$I386" -M none -nographic -monitor stdio -accel tcg,tb-size=8,backend=$be 2>&1)
    rc=$?
    echo "$out"
    [ $rc -eq 0 ] || fail "backend=$be: exit status $rc"
    want=$([ $be = native ] && echo x86_64 || echo interp)
    grep -q "Translation cache (back end $want)" <<<"$out" || fail "info jit: back end $want"
    grep -q "code size  *0 / 8388608 bytes" <<<"$out" || fail "info jit: tb-size=8"
    grep -q "VM status: running" <<<"$out" || fail "VM not running with -accel tcg"
done
expect_error "tb-size=0" -M none -accel tcg,tb-size=0
expect_error "tb-size=lots" -M none -accel tcg,tb-size=lots
expect_error "backend=sparc" -M none -accel tcg,backend=sparc
expect_error "bogus" -M none -accel tcg,bogus=1
echo "tcg accelerator ok"
