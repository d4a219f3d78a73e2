#!/bin/bash
# Multiboot on the pc machine: the project's test kernel (tests/system/pc-multiboot/) as
# Multiboot 1 in an ELF32 file on mimic-system-i386 and as Multiboot 2 in an ELF64 file on
# mimic-system-x86_64 prints the boot information it got (magic, memory, command line,
# boot loader name, memory map, two modules with arguments, ACPI RSDP for MB2) on COM1
# and leaves through isa-debug-exit with status 33.
set -u
: "${MIMIC_BUILD_DIR:?run through make check}" "${MIMIC_SRC_DIR:?run through make check}"
SRC=$MIMIC_SRC_DIR/tests/system/pc-multiboot
command -v nasm >/dev/null && command -v ld >/dev/null || { echo "nasm or ld is missing"; exit 77; }
"$MIMIC_BUILD_DIR/mimic-system-i386" -device help 2>&1 | grep -q '"isa-debug-exit"' ||
    { echo "isa-debug-exit is not in this build"; exit 77; }
TMP=$(mktemp -d); trap 'rm -rf "$TMP"' EXIT
fail() { echo "FAIL: $*"; exit 1; }

nasm -f elf32 -i "$SRC/" "$SRC/mbkernel.asm" -o "$TMP/mb1.o" && ld -m elf_i386 -T "$SRC/mbkernel.ld" \
    -o "$TMP/mb1.elf" "$TMP/mb1.o" 2>/dev/null || fail "cannot build the Multiboot 1 kernel"
nasm -f elf64 -i "$SRC/" -DMB2 "$SRC/mbkernel.asm" -o "$TMP/mb2.o" && ld -m elf_x86_64 -T \
    "$SRC/mbkernel.ld" -o "$TMP/mb2.elf" "$TMP/mb2.o" 2>/dev/null || fail "cannot build the Multiboot 2 kernel"
printf 'ABCDmodule-one' >"$TMP/m1"
printf 'WXYZ' >"$TMP/m2"

run() {
    local bin=$1 kernel=$2 rc
    rm -f "$TMP/out"
    timeout 60 "$MIMIC_BUILD_DIR/$bin" -display none -serial "file:$TMP/out" \
        -device isa-debug-exit,iobase=0xf4,iosize=0x04 -kernel "$kernel" \
        -initrd "$TMP/m1 arg1 arg2,$TMP/m2" -append "hello=world" </dev/null >"$TMP/err" 2>&1
    rc=$?
    cat "$TMP/err" "$TMP/out" 2>/dev/null
    grep -q "has no translator front end" "$TMP/err" && { echo "no x86 translator front end"; exit 77; }
    [ $rc -eq 33 ] || fail "$kernel: exit status $rc, expected 33 (isa-debug-exit 0x10)"
}
expect() { grep -qx -- "$1" "$TMP/out" || fail "missing line '$1'"; }

run mimic-system-i386 "$TMP/mb1.elf"
expect "magic=2badb002"
expect "flags=0000024d"
expect "mem=00000280 0001fb80"
expect "cmdline=$TMP/mb1.elf hello=world"
expect "loader=Mimic"
expect "mmap_entries=00000005"
expect "module=$TMP/m1 arg1 arg2 size=0000000e data=ABCD"
expect "module=$TMP/m2 size=00000004 data=WXYZ"
expect "bye"
echo "Multiboot 1 (ELF32) ok"

run mimic-system-x86_64 "$TMP/mb2.elf"
expect "magic=36d76289"
expect "cmdline=$TMP/mb2.elf hello=world"
expect "module=$TMP/m1 arg1 arg2 size=0000000e data=ABCD"
expect "module=$TMP/m2 size=00000004 data=WXYZ"
expect "mem=00000280 0001fb80"
expect "mmap_entries=00000005"
expect "acpi=RSD PTR "
expect "bye"
echo "Multiboot 2 (ELF64) ok"
