#!/bin/bash
# The x86-test machine and the x86 CPU options refuse bad input with one clear line:
# a missing or unreadable -bios, an empty or oversized image, unknown or unimplemented
# -cpu features, bad isa-debugcon / isa-debug-exit properties.
. "$(dirname "$0")/lib.sh"
X86_64=$MIMIC_BUILD_DIR/mimic-system-x86_64
expect_error "x86-test needs -bios FILE" -M x86-test -display none
expect_error "-bios $TMP/nothing" -M x86-test -bios "$TMP/nothing" -display none
: >"$TMP/empty"
expect_error "is not 1 byte .. 16 MiB" -M x86-test -bios "$TMP/empty" -display none
truncate -s 17M "$TMP/big"
expect_error "is not 1 byte .. 16 MiB" -M x86-test -bios "$TMP/big" -display none
expect_error "unknown CPU feature 'warp'" -M x86-test -cpu max,+warp -display none
expect_error "CPU feature 'avx' is not implemented" -M x86-test -cpu qemu32,+avx -display none
expect_error "unknown CPU model" -M x86-test -cpu pentium9 -display none
truncate -s 64K "$TMP/rom"
expect_error "iobase" -M x86-test -bios "$TMP/rom" -device isa-debugcon,iobase=0x10000 \
    -display none
expect_error "iosize" -M x86-test -bios "$TMP/rom" -device isa-debug-exit,iosize=8 -display none
"$X86_64" -cpu help | grep -q '^  max ' || fail "-cpu help lacks max"
"$X86_64" -cpu help | grep -q 'Nehalem' || fail "-cpu help lacks Nehalem"
"$I386" -d help | grep -q cpu_reset || fail "-d help lacks cpu_reset"
echo "ok: -cpu help, -d help"
