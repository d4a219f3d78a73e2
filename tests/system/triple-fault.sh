#!/bin/bash
# A kernel that triple-faults on purpose (tests/system/gdbstub/triple.asm: #PF with an
# IDT of limit 0 -> #GP -> #DF -> #GP): -d cpu_reset,int names the exceptions in QEMU's
# -d int layout and in one block (vector, error code, CS:IP, CR2), and -no-reboot exits
# with status 0 and a line saying why.
set -u
: "${MIMIC_BUILD_DIR:?run through make check}" "${MIMIC_SRC_DIR:?run through make check}"
command -v nasm >/dev/null && command -v ld >/dev/null || { echo "nasm or ld is missing"; exit 77; }
TMP=$(mktemp -d); trap 'rm -rf "$TMP"' EXIT
fail() { echo "FAIL: $*"; exit 1; }

nasm -f elf32 -i "$MIMIC_SRC_DIR/tests/system/gdbstub/" "$MIMIC_SRC_DIR/tests/system/gdbstub/triple.asm" -o "$TMP/t.o" &&
    ld -m elf_i386 -T "$MIMIC_SRC_DIR/tests/system/gdbstub/kernel.ld" -o "$TMP/t.elf" "$TMP/t.o" \
    2>/dev/null || fail "cannot build the kernel"
for bin in mimic-system-i386 mimic-system-x86_64; do
    timeout 30 "$MIMIC_BUILD_DIR/$bin" -display none -serial none -monitor none -no-reboot \
        -d cpu_reset,int -D "$TMP/log" -kernel "$TMP/t.elf" </dev/null >"$TMP/out" 2>&1
    rc=$?
    cat "$TMP/out"; grep -v '^[A-Z][A-Z0-9 ]*=' "$TMP/log"
    [ $rc -eq 0 ] || fail "$bin: exit status $rc"
    grep -q "guest reset after a triple fault on CPU 0: #PF(0000) at 0010:00100042 CR2=dead0000 -> #GP(0073) -> #DF(0000) -> #GP(0043); -no-reboot: exiting" "$TMP/out" ||
        fail "$bin: no line saying why it exits"
    grep -Eq "^     0: v=0e e=0000 i=0 cpl=0 IP=0010:0*100042 pc=0*100042 SP=0018:0*103400 CR2=0*dead0000$" "$TMP/log" ||
        fail "$bin: -d int line of the page fault"
    grep -q "^CPU Reset (CPU 0): triple fault; exception chain (oldest first):" "$TMP/log" ||
        fail "$bin: no triple-fault report"
    for line in "1: v=0e #PF e=0000 CS:IP=0010:0*100042 CR2=0*dead0000" \
                "2: v=0d #GP e=0073 CS:IP=0010:0*100042" "3: v=08 #DF e=0000" \
                "4: v=0d #GP e=0043"; do
        grep -Eq "^  $line" "$TMP/log" || fail "$bin: report line '$line'"
    done
    echo "$bin: triple fault reported ok"
done
