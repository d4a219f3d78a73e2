#!/bin/bash
# A bare-metal program (tests/system/arm-virt-smoke/, built here with arm-none-eabi-gcc) on
# -M virt -smp 2 with the real CPU: the Linux boot registers, PL011 output, a GIC SGI and
# the virtual timer's PPI acknowledged through GICC_IAR, PSCI VERSION/AFFINITY_INFO/CPU_ON
# (CPU 1 runs, then CPU_OFF) and SYSTEM_OFF, which must end the emulator with status 0.
set -u
: "${MIMIC_BUILD_DIR:?run through make check}" "${MIMIC_SRC_DIR:?run through make check}"
ARM=$MIMIC_BUILD_DIR/mimic-system-arm
SRC=$MIMIC_SRC_DIR/tests/system/arm-virt-smoke
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
fail() { echo "FAIL: $*"; cat "$TMP/out" 2>/dev/null; exit 1; }
command -v arm-none-eabi-gcc >/dev/null || { echo "arm-none-eabi-gcc not installed"; exit 77; }

arm-none-eabi-gcc -march=armv7-a -marm -O2 -ffreestanding -nostdlib -Wall -Werror \
    -T "$SRC/link.ld" "$SRC/start.S" "$SRC/smoke.c" -o "$TMP/smoke.elf" || fail "build"
arm-none-eabi-objcopy -O binary "$TMP/smoke.elf" "$TMP/smoke.bin" || fail "objcopy"

timeout 60 "$ARM" -M virt -smp 2 -kernel "$TMP/smoke.bin" -display none -monitor none \
    -serial stdio </dev/null >"$TMP/out" 2>&1
rc=$?
cat "$TMP/out"
[ $rc -eq 0 ] || fail "exit status $rc (SYSTEM_OFF must give 0)"
for want in "boot registers ok" "gic sgi ok" "timer ppi ok" "psci cpu_on/cpu_off ok"; do
    grep -q "virt-smoke: $want" "$TMP/out" || fail "no '$want'"
done
grep -q FAIL "$TMP/out" && fail "the guest reported a failure"
echo "virt smoke ok"
