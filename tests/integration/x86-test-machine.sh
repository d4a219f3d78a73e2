#!/bin/bash
# The x86-test machine and the x86 CPU options refuse bad input with one clear line:
# a missing or unreadable -bios/-kernel, an empty or oversized image, an ELF whose program
# headers leave the file, a kernel larger than RAM, unknown or unimplemented
# -cpu features, bad isa-debugcon / isa-debug-exit properties.
. "$(dirname "$0")/lib.sh"
X86_64=$MIMIC_BUILD_DIR/mimic-system-x86_64
expect_error "x86-test needs -bios FILE" -M x86-test -display none
expect_error "-bios: could not open '$TMP/nothing'" -M x86-test -bios "$TMP/nothing" \
    -display none
: >"$TMP/empty"
expect_error "the file is empty" -M x86-test -bios "$TMP/empty" -display none
truncate -s 17M "$TMP/big"
expect_error "is too large" -M x86-test -bios "$TMP/big" -display none
expect_error "-kernel $TMP/nothing" -M x86-test -kernel "$TMP/nothing" \
    -display none
# an ELF whose program headers point past the end of the file
printf '\177ELF\001\001\001\000\000\000\000\000\000\000\000\000\002\000\003\000' >"$TMP/bad.elf"
printf '\001\000\000\000\000\000\020\000\000\020\000\000' >>"$TMP/bad.elf"
truncate -s 52 "$TMP/bad.elf"
printf '\064\000\040\000\377\377' | dd of="$TMP/bad.elf" bs=1 seek=40 conv=notrunc 2>/dev/null
expect_error "program headers outside the file" -M x86-test -kernel "$TMP/bad.elf" -display none
# a flat kernel larger than RAM
truncate -s 9M "$TMP/flat"
expect_error "do not fit in RAM" -M x86-test -m 8 -kernel "$TMP/flat" -display none
expect_error "unknown CPU feature 'warp'" -M x86-test -cpu max,+warp -display none
expect_error "CPU feature 'f16c' is not implemented" -M x86-test -cpu qemu32,+f16c -display none
expect_error "unknown CPU model" -M x86-test -cpu pentium9 -display none
truncate -s 64K "$TMP/rom"
expect_error "iobase" -M x86-test -bios "$TMP/rom" -device isa-debugcon,iobase=0x10000 \
    -display none
expect_error "iosize" -M x86-test -bios "$TMP/rom" -device isa-debug-exit,iosize=8 -display none
"$X86_64" -cpu help | grep -q '^  max ' || fail "-cpu help lacks max"
"$X86_64" -cpu help | grep -q 'Nehalem' || fail "-cpu help lacks Nehalem"
"$I386" -d help | grep -q cpu_reset || fail "-d help lacks cpu_reset"
echo "ok: -cpu help, -d help"
