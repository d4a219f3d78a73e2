#!/bin/bash
# The gdbstub with Debian's gdb-multiarch on the i386, x86-64 and ARM test kernels
# (tests/system/gdbstub/; ARM on -M arm-test, MMU off): attach to a paused guest (-S, -gdb unix:...), a breakpoint on a
# symbol and one on code the kernel copies later (the translator holds breakpoints), x/4xw
# through the page tables (an alias of RAM at 0x40000000) and physically
# (Qqemu.PhyMemMode), monitor info mem / info tlb / x/3i, stepi, set $eax taking effect, next, a watchpoint stopping at the
# writing statement, monitor info registers, Ctrl-C (SIGINT to gdb) stopping the running
# guest, detach; ARM pc/cpsr writes; the monitor's gdbserver on a running guest.
set -u
: "${MIMIC_BUILD_DIR:?run through make check}" "${MIMIC_SRC_DIR:?run through make check}"
SRC=$MIMIC_SRC_DIR/tests/system/gdbstub
for tool in gdb-multiarch nasm ld i686-linux-gnu-gcc gcc; do
    command -v $tool >/dev/null || { echo "$tool is missing"; exit 77; }
done
TMP=$(mktemp -d); trap 'kill $MIMIC_PID 2>/dev/null; rm -rf "$TMP"' EXIT
MIMIC_PID=
EXTRA=()
PRELUDE=
fail() { echo "FAIL: $*"; exit 1; }

CFLAGS="-O0 -g -ffreestanding -fno-pic -fno-stack-protector -nostdlib"
nasm -f elf32 -i "$SRC/" "$SRC/boot32.asm" -o "$TMP/b32.o" &&
    i686-linux-gnu-gcc $CFLAGS -c "$SRC/kernel.c" -o "$TMP/k32.o" &&
    ld -m elf_i386 -T "$SRC/kernel.ld" -o "$TMP/k32.elf" "$TMP/b32.o" "$TMP/k32.o" 2>/dev/null ||
    fail "cannot build the i386 test kernel"
nasm -f elf64 "$SRC/boot64.asm" -o "$TMP/b64.o" &&
    gcc $CFLAGS -mno-red-zone -mcmodel=small -c "$SRC/kernel.c" -o "$TMP/k64.o" &&
    ld -m elf_x86_64 -T "$SRC/kernel.ld" -o "$TMP/k64.elf" "$TMP/b64.o" "$TMP/k64.o" 2>/dev/null ||
    fail "cannot build the x86-64 test kernel"

# gdb_script PC-REG ACC-REG VIRTUAL-ADDRESS-OF-MARKER
gdb_script() {
    cat <<EOF
set pagination off
set confirm off
$PRELUDE
target remote $TMP/gdb.sock
info registers $1
info threads
break kmain
break *0x300000
continue
x/4xw $3
maintenance packet Qqemu.PhyMemMode:1
x/2xw 0x40000000 + (unsigned)&marker
x/2xw &marker
maintenance packet Qqemu.PhyMemMode:0
monitor info mem
monitor info tlb
monitor x/3i \$pc
continue
stepi
info registers $2
set \$$2 = 7
stepi
break add_one
continue
print x
set var counter = 1234
print counter
next
next
delete
watch watched
continue
delete
monitor info registers
echo CTRL-C-POINT\n
set debug remote 1
continue
set debug remote 0
info registers $1
EOF
}

# run BINARY KERNEL-ELF PC-REG ACC-REG MARKER-ADDRESS [MACHINE RAW-IMAGE]: the session's
# output in $TMP/gdb.out
run() {
    local bin=$1 kernel=$2 machine=() image=$2
    [ $# -gt 5 ] && machine=(-M "$6") && image=$7
    rm -f "$TMP/gdb.sock"
    "$MIMIC_BUILD_DIR/$bin" "${machine[@]}" "${EXTRA[@]}" -display none -serial none -monitor none -kernel "$image" \
        -gdb "unix:$TMP/gdb.sock,server=on" -S >"$TMP/mimic.err" 2>&1 </dev/null &
    MIMIC_PID=$!
    for _ in $(seq 50); do [ -S "$TMP/gdb.sock" ] && break; sleep 0.1; done
    gdb_script "$3" "$4" "$5" >"$TMP/script.gdb"
    # --foreground: timeout forwards the SIGINT below to gdb only (not twice, through
    # the process group: a second Ctrl-C makes gdb give up waiting and disconnect)
    timeout --foreground 60 gdb-multiarch -nx -batch -x "$TMP/script.gdb" "$kernel" >"$TMP/gdb.out" 2>&1 &
    local gdb_pid=$!
    # Ctrl-C: once gdb has sent the last continue, SIGINT makes it send 0x03.
    for _ in $(seq 300); do
        grep -q 'CTRL-C-POINT' "$TMP/gdb.out" && grep -q 'Sending packet: \$vCont;c' \
            <(sed -n '/CTRL-C-POINT/,$p' "$TMP/gdb.out") && break
        sleep 0.1
    done
    sleep 0.5
    kill -INT $gdb_pid 2>/dev/null
    wait $gdb_pid
    kill $MIMIC_PID 2>/dev/null
    wait $MIMIC_PID 2>/dev/null
    MIMIC_PID=
    grep -v '^\[remote\]\|^  \[remote\]' "$TMP/gdb.out"
    cat "$TMP/mimic.err"
}

expect() { grep -Eq -- "$1" "$TMP/gdb.out" || fail "$2: missing '$1'"; }

check() {
    local name=$1 acc=$2 accval=$3 mon=$4
    expect "^(Thread [0-9]+ hit )?Breakpoint 1, kmain \(\) at .*kernel.c:37" "$name: breakpoint on a symbol"
    expect ":	0x11223344	0x55667788	0x99aabbcc	0xddeeff00" "$name: x/4xw through the page tables"
    expect ":	0xffffffff	0xffffffff" "$name: physical read of the alias (nothing there)"
    expect ":	0x11223344	0x55667788$" "$name: physical read of the variable"
    expect "^(Thread [0-9]+ hit )?Breakpoint 2, 0x0*300000 in" "$name: breakpoint on code copied after it was set"
    expect "^$acc +0x2a +42" "$name: stepi executed mov eax, 42"
    expect "^(Thread [0-9]+ hit )?Breakpoint 3, add_one \(x=7\)" "$name: set \$$acc = 7 took effect"
    expect '^\$1 = 7' "$name: print"
    expect '^\$2 = 1234' "$name: a variable written through gdb (X packet)"
    expect "^23	}" "$name: next"
    expect "^Old value = 0" "$name: watchpoint"
    expect "^New value = 65536" "$name: watchpoint value"
    expect "bump \(v=65536\) at .*kernel.c:18" "$name: watchpoint reported after the writing statement"
    expect "$mon" "$name: monitor info registers"
    expect "^(Program|Thread [0-9]+) received signal SIGINT" "$name: Ctrl-C"
    expect "Detached|detached" "$name: detach"
}

run mimic-system-i386 "$TMP/k32.elf" eip eax "0x40000000 + (unsigned)&marker"
check i386 eax 42 "^EAX=00010000 "
expect "^0000000040000000-0000000040400000 0000000000400000 -rw$" "i386: info mem"
expect "^0000000040000000: 0000000000000000 --P-----W$" "i386: info tlb"
expect "^0x[0-9a-f]{8}:  call +eax$" "i386: x/3i in 32-bit code"
echo "i386 ok"

# The kernel enters in 32-bit mode (i386 layout) and switches to long mode: gdb reads the
# description again at each stop (docs/gdbstub.md), so that $rax is there in kmain.
PRELUDE=$'define hook-stop\nunset tdesc filename\nend'
run mimic-system-x86_64 "$TMP/k64.elf" pc rax "0x40000000 + (unsigned long)&marker"
PRELUDE=
check x86-64 rax 42 "^RAX=0000000000010000 "
expect "^0000000000000000-0000000040200000 0000000040200000 -rw$" "x86-64: info mem"
expect "^0000000040000000: 0000000000000000 --P-----W$" "x86-64: info tlb"
expect "^0x[0-9a-f]{16}:  call +rax$" "x86-64: x/3i in 64-bit code"
echo "x86-64 ok"

EXTRA=(-accel tcg,backend=interp -smp 2)
run mimic-system-i386 "$TMP/k32.elf" eip eax "0x40000000 + (unsigned)&marker"
check "i386 (interpreter, 2 CPUs)" eax 42 "^EAX=00010000 "
expect "^  2    Thread 2 \(CPU#1 \[halted \]\)" "2 CPUs: the second vCPU is thread 2"
EXTRA=()
echo "i386 on the interpreter back end ok"

command -v arm-none-eabi-gcc >/dev/null || { echo "arm-none-eabi-gcc is missing: ARM skipped"; exit 0; }
ACFLAGS="-marm -mcpu=cortex-a15 -O0 -g -ffreestanding -fno-stack-protector -nostdlib"
arm-none-eabi-gcc $ACFLAGS -c "$SRC/boot-arm.S" -o "$TMP/ba.o" &&
    arm-none-eabi-gcc $ACFLAGS -c "$SRC/kernel.c" -o "$TMP/ka.o" &&
    arm-none-eabi-ld -T "$SRC/kernel-arm.ld" -o "$TMP/ka.elf" "$TMP/ba.o" "$TMP/ka.o" &&
    arm-none-eabi-objcopy -O binary "$TMP/ka.elf" "$TMP/ka.bin" || fail "cannot build the ARM test kernel"
run mimic-system-arm "$TMP/ka.elf" pc r0 "&marker" arm-test "$TMP/ka.bin"
check arm r0 42 "^R00=00010000 "
echo "arm ok"

# ARM register writes: pc moves execution, cpsr's Z flag takes a branch, its mode field
# switches the mode (mrs sees it).
rm -f "$TMP/gdb.sock"
"$MIMIC_BUILD_DIR/mimic-system-arm" -M arm-test -display none -serial none -monitor none \
    -kernel "$TMP/ka.bin" -gdb "unix:$TMP/gdb.sock,server=on" -S >"$TMP/mimic.err" 2>&1 </dev/null &
MIMIC_PID=$!
for _ in $(seq 100); do [ -S "$TMP/gdb.sock" ] && break; sleep 0.1; done
timeout 60 gdb-multiarch -nx -batch -ex "target remote $TMP/gdb.sock" \
    -ex "break arm_pc_here" -ex continue -ex 'set $pc = &arm_pc_target' \
    -ex "break arm_flags_here" -ex continue -ex 'set $cpsr = $cpsr | 0x40000000' -ex stepi \
    -ex 'info symbol $pc' -ex "break arm_mode_here" -ex continue \
    -ex 'set $cpsr = ($cpsr & ~0x1f) | 0x1f' -ex stepi -ex 'print/x $r4' -ex 'print/x $r5' \
    -ex 'print/x $r6 & 0x1f' -ex 'set $d17 = 1.5' -ex 'print $d17' -ex 'info registers fpscr' \
    -ex detach "$TMP/ka.elf" >"$TMP/gdb.out" 2>&1
kill $MIMIC_PID; wait $MIMIC_PID 2>/dev/null
MIMIC_PID=
cat "$TMP/gdb.out"
expect "^arm_flags_taken in section" "arm: set \$cpsr Z took the branch"
expect '^\$1 = 0x6d' "arm: set \$pc skipped the code"
expect '^\$2 = 0x6d' "arm: the branch taken by Z"
expect '^\$3 = 0x1f' "arm: set \$cpsr switched to System mode"
expect '^\$4 = 1.5' "arm: VFP register d17 written and read"
expect '^fpscr +0x' "arm: fpscr"
echo "arm register writes ok"

# The monitor's gdbserver command starts the stub at run time, while the guest runs; gdb
# attaching stops it in kmain's loop.
rm -f "$TMP/late.sock"
mkfifo "$TMP/mon.in"
"$MIMIC_BUILD_DIR/mimic-system-i386" -display none -serial none -monitor stdio \
    -kernel "$TMP/k32.elf" <"$TMP/mon.in" >"$TMP/mon.out" 2>&1 &
MIMIC_PID=$!
exec 3>"$TMP/mon.in"
echo "gdbserver unix:$TMP/late.sock,server=on" >&3
for _ in $(seq 100); do [ -S "$TMP/late.sock" ] && break; sleep 0.1; done
timeout 20 gdb-multiarch -nx -batch -ex "target remote $TMP/late.sock" -ex 'info symbol $pc' \
    -ex "monitor info status" "$TMP/k32.elf" >"$TMP/gdb.out" 2>&1
echo quit >&3
exec 3>&-
wait $MIMIC_PID
MIMIC_PID=
cat "$TMP/gdb.out" "$TMP/mon.out"
grep -q "Waiting for gdb connection on device 'unix:$TMP/late.sock,server=on'" "$TMP/mon.out" ||
    fail "gdbserver: no answer"
expect "^(kmain|add_one|bump)( \+ [0-9]+)? in section .text" "gdbserver: the running guest stopped in its loop"
expect "^VM status: paused$" "gdbserver: monitor command through gdb"
echo "monitor gdbserver ok"
