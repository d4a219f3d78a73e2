#!/bin/bash
# SMP bring-up on the pc machine: the project's stress kernel (tests/system/pc-multiboot/
# smp.asm, Multiboot 1) wakes the APs 300 times with INIT + SIPI + SIPI and sends each
# round a fixed IPI that the halted APs must take, with -smp 2 and -smp 4 (regression
# test for lost INIT/SIPI/IPI wake-ups of halted vCPUs).
set -u
: "${MIMIC_BUILD_DIR:?run through make check}" "${MIMIC_SRC_DIR:?run through make check}"
SRC=$MIMIC_SRC_DIR/tests/system/pc-multiboot
command -v nasm >/dev/null && command -v ld >/dev/null || { echo "nasm or ld is missing"; exit 77; }
TMP=$(mktemp -d); trap 'rm -rf "$TMP"' EXIT
fail() { echo "FAIL: $*"; exit 1; }

nasm -f elf32 -i "$SRC/" "$SRC/smp.asm" -o "$TMP/smp.o" && ld -m elf_i386 -T "$SRC/mbkernel.ld" \
    -o "$TMP/smp.elf" "$TMP/smp.o" 2>/dev/null || fail "cannot build the SMP test kernel"
for n in 2 4; do
    rm -f "$TMP/out"
    start=$SECONDS
    timeout 120 "$MIMIC_BUILD_DIR/mimic-system-i386" -display none -smp $n -serial "file:$TMP/out" \
        -device isa-debug-exit,iobase=0xf4,iosize=0x04 -kernel "$TMP/smp.elf" </dev/null >"$TMP/err" 2>&1
    rc=$?
    cat "$TMP/err" "$TMP/out" 2>/dev/null
    grep -q "has no translator front end" "$TMP/err" && { echo "no x86 translator front end"; exit 77; }
    [ $rc -eq 33 ] || fail "-smp $n: exit status $rc, expected 33"
    grep -qx "cpus=0000000$n" "$TMP/out" || fail "-smp $n: the kernel did not see $n CPUs"
    grep -qx "smp ok rounds=0000012c" "$TMP/out" || fail "-smp $n: no 'smp ok'"
    echo "-smp $n: 300 INIT/SIPI/IPI rounds in $((SECONDS - start)) s"
done
