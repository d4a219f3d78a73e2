#!/bin/bash
# The gdbstub's x86 details with Debian's gdb-multiarch (docs/gdbstub.md):
# 1. tests/system/gdbstub/debug-x86.asm on mimic-system-i386: write watchpoints of 1, 2, 4
#    and 8 bytes, read and access watchpoints, each stopping right after the accessing
#    instruction; hbreak; EIP and EFLAGS written by gdb steering the guest; stepi with the
#    PIT's interrupt pending never entering the handler (which runs on continue); detach
#    letting the guest run (its tick count grows), then kill ending the emulator.
# 2. The x86-64 test kernel on mimic-system-x86_64: gdb attaches in 32-bit mode (i386
#    description), the kernel enters long mode, registers read without "Remote 'g' packet
#    reply is too long"; 'unset tdesc filename' and a reconnection give the x86-64 one; an
#    ELF32 loaded in gdb takes the x86-64 description too; set $rip.
# 3. -smp 2: with scheduler-locking on, vCont steps or continues one vCPU only.
# 4. -D with %d and -d tid: a log per vCPU.  5. -gdb tcp:HOST:PORT and chardev:ID.
# 6. A breakpoint in a -bios ROM; the monitor's x/i in real mode.
set -u
: "${MIMIC_BUILD_DIR:?run through make check}" "${MIMIC_SRC_DIR:?run through make check}"
SRC=$MIMIC_SRC_DIR/tests/system/gdbstub
for tool in gdb-multiarch nasm ld gcc; do
    command -v $tool >/dev/null || { echo "$tool is missing"; exit 77; }
done
TMP=$(mktemp -d); trap 'kill $MIMIC_PID 2>/dev/null; rm -rf "$TMP"' EXIT
MIMIC_PID=
fail() { echo "FAIL: $*"; exit 1; }

nasm -f elf32 "$SRC/debug-x86.asm" -o "$TMP/d.o" &&
    ld -m elf_i386 -T "$SRC/kernel.ld" -o "$TMP/d.elf" "$TMP/d.o" 2>/dev/null ||
    fail "cannot build the x86 debug test kernel"
nasm -f elf32 -i "$MIMIC_SRC_DIR/tests/system/pc-multiboot/" "$SRC/smp-x86.asm" -o "$TMP/smp.o" &&
    ld -m elf_i386 -T "$SRC/kernel.ld" -o "$TMP/smp.elf" "$TMP/smp.o" 2>/dev/null ||
    fail "cannot build the SMP test kernel"
nasm -f elf64 "$SRC/boot64.asm" -o "$TMP/b64.o" &&
    gcc -O0 -g -ffreestanding -fno-pic -fno-stack-protector -nostdlib -mno-red-zone \
        -c "$SRC/kernel.c" -o "$TMP/k64.o" &&
    ld -m elf_x86_64 -T "$SRC/kernel.ld" -o "$TMP/k64.elf" "$TMP/b64.o" "$TMP/k64.o" 2>/dev/null ||
    fail "cannot build the x86-64 test kernel"

# start BINARY KERNEL [OPTIONS...]: the emulator paused (-S), gdb's socket ready
start() {
    local bin=$1 kernel=$2
    shift 2
    rm -f "$TMP/gdb.sock"
    "$MIMIC_BUILD_DIR/$bin" -display none -serial none -monitor none -kernel "$kernel" \
        -gdb "unix:$TMP/gdb.sock,server=on" -S "$@" >"$TMP/mimic.err" 2>&1 </dev/null &
    MIMIC_PID=$!
    for _ in $(seq 100); do [ -S "$TMP/gdb.sock" ] && return; sleep 0.1; done
    fail "$bin: no gdb socket"
}

# gdb_run ELF < SCRIPT: appends gdb's output to $TMP/gdb.out (SOCK and ELF32 in the
# script name the socket and the i386 kernel)
gdb_run() {
    { echo "set pagination off"; echo "set confirm off"; echo "target remote SOCK"; cat; } |
        sed "s|SOCK|$TMP/gdb.sock|; s|ELF32|$TMP/d.elf|" >"$TMP/script.gdb"
    timeout 60 gdb-multiarch -nx -batch -x "$TMP/script.gdb" "$1" >>"$TMP/gdb.out" 2>&1
}

expect() { grep -Eq -- "$1" "$TMP/gdb.out" || fail "$2: missing '$1'"; }

: >"$TMP/gdb.out"
start mimic-system-i386 "$TMP/d.elf"
gdb_run "$TMP/d.elf" <<'EOF'
watch *(char *)&v8
watch *(short *)&v16
watch *(int *)&v32
watch *(long long *)&v64
continue
info symbol $pc
continue
info symbol $pc
continue
info symbol $pc
continue
info symbol $pc
delete
rwatch *(int *)&rd32
continue
info symbol $pc
delete
awatch *(int *)&acc32
continue
info symbol $pc
continue
info symbol $pc
delete
hbreak hb_here
continue
break set_eip_here
eval "monitor xp /1bx 0x%x", &set_eip_here
continue
set $eip = (int)&eip_target
break flags_here
continue
set $eflags = $eflags | 0x40
stepi
info symbol $pc
print/x *(int *)&result_eip
stepi
print/x *(int *)&result_flags
break step_here
continue
stepi
info symbol $pc
stepi
info symbol $pc
stepi
info symbol $pc
stepi
info symbol $pc
stepi
info symbol $pc
print/x 0x1000 + *(int *)&ticks
break timer_handler
continue
delete
print/x 0x2000 + *(int *)&ticks
detach
EOF
# Reattach: the guest ran after the detach (no breakpoint left), then kill.
gdb_run "$TMP/d.elf" <<'EOF'
print *(int *)&ticks > 1
kill
EOF
wait $MIMIC_PID
rc=$?
MIMIC_PID=
cat "$TMP/gdb.out" "$TMP/mimic.err"
expect "^after_w8 in section" "1-byte write watchpoint (a write next to it does not hit)"
expect "^New value = 13124" "2-byte watchpoint value"
expect "^after_w16 in section" "2-byte write watchpoint"
expect "^after_w32 in section" "4-byte write watchpoint"
expect "^New value = -7373874955018043392" "8-byte watchpoint hit in its upper half"
expect "^after_w64 in section" "8-byte write watchpoint"
expect "^Hardware read watchpoint 5: .*" "rwatch"
expect "^after_r in section" "read watchpoint at the reading instruction"
expect "^after_a_read in section" "access watchpoint on a read"
expect "^after_a_write in section" "access watchpoint on a write"
expect "^Breakpoint 7, 0x[0-9a-f]+ in hb_here" "hbreak"
expect "^flags_taken in section" "set \$eflags (ZF) took the branch"
expect ": 0xc7$" "a breakpoint leaves guest memory alone (mov's opcode, no int3)"
expect '^\$1 = 0x600d' "set \$eip skipped the code"
expect '^\$2 = 0x600d' "the branch taken by ZF"
for i in 1 2 3 4; do
    expect "^step_here \+ $i in section" "stepi $i with an interrupt pending"
done
expect "^idle in section" "stepi 5 with an interrupt pending"
expect '^\$3 = 0x1000$' "no interrupt taken during the steps"
expect "^Breakpoint 11, 0x[0-9a-f]+ in timer_handler" "the pending interrupt taken on continue"
expect '^\$4 = 0x2000$' "the handler's breakpoint hit at the first interrupt"
expect '^\$1 = 1$' "the guest ran after detach"
expect "Remote target\) killed" "kill"
grep -q "terminated via GDBstub" "$TMP/mimic.err" || fail "kill: no message from the emulator"
[ $rc -eq 0 ] || fail "kill: exit status $rc"
echo "i386 debug kernel ok"

: >"$TMP/gdb.out"
start mimic-system-x86_64 "$TMP/k64.elf"
gdb_run "$TMP/k64.elf" <<'EOF'
show architecture
info registers eip
break kmain
continue
info registers eip
unset tdesc filename
show architecture
info registers rip
set $r8 = 0x123456789a
print/x $r8
set $rip = (long)&bump
stepi
info symbol $pc
disconnect
echo RECONNECT\n
target remote SOCK
show architecture
print/x $r8
file ELF32
disconnect
target remote SOCK
show architecture
info registers rip
detach
EOF
kill $MIMIC_PID; wait $MIMIC_PID 2>/dev/null
MIMIC_PID=
cat "$TMP/gdb.out"
grep -q "too long\|rejected\|not compatible" "$TMP/gdb.out" && fail "gdb refused a register layout"
expect '^The target architecture is set to "auto" \(currently "i386"\)' "attached in 32-bit mode: i386"
expect '^eip +0x[0-9a-f]+ +0x[0-9a-f]+ <_start>' "eip in 32-bit mode"
expect "^mimic: CPU 0 now wants the i386:x86-64 register layout" "the mode change told to gdb"
expect '^eip +0x[0-9a-f]+ +0x[0-9a-f]+ <kmain\+' "i386 layout in long mode (no 'too long')"
expect '^The target architecture is set to "auto" \(currently "i386:x86-64"\)' "description read again"
expect '^rip +0x[0-9a-f]+ +0x[0-9a-f]+ <kmain\+' "rip after reading the description again"
expect '^\$1 = 0x123456789a' "a 64-bit register written"
expect "^bump \+ 1 in section" "set \$rip moved execution"
expect '^\$2 = 0x123456789a' "after reconnecting: the guest stayed stopped"
[ "$(grep -c 'currently "i386:x86-64"' "$TMP/gdb.out")" -eq 3 ] ||
    fail "x86-64 description after reconnecting (also with an ELF32 loaded)"
echo "x86-64 mode switch ok"

# 3. -smp 2 (tests/system/gdbstub/smp-x86.asm: each CPU counts in a loop of its own) with
#    gdb's scheduler-locking on: vCont;s:N steps vCPU N-1 only, vCont;c:N runs it only.
: >"$TMP/gdb.out"
start mimic-system-i386 "$TMP/smp.elf" -smp 2
gdb_run "$TMP/smp.elf" <<'EOF'
break bsp_loop
continue
delete
break ap_loop
continue
delete
set scheduler-locking on
print *(int *)&bsp_count
thread 2
stepi
stepi
stepi
info symbol $pc
print *(int *)&bsp_count == $1
thread 1
print *(int *)&ap_count
stepi
stepi
info symbol $pc
print *(int *)&ap_count == $3
thread 2
print *(int *)&bsp_count
tbreak ap_loop
continue
print *(int *)&bsp_count == $5
detach
EOF
kill $MIMIC_PID; wait $MIMIC_PID 2>/dev/null
MIMIC_PID=
cat "$TMP/gdb.out"
expect "^Thread 2 hit Breakpoint 2, 0x[0-9a-f]+ in ap_loop" "the AP runs its loop"
expect "^ap_loop \+ 6 in section" "stepi on thread 2"
expect '^\$2 = 1$' "thread 1 stayed stopped while thread 2 stepped"
expect "^bsp_loop( \+ 6)? in section" "stepi on thread 1"
expect '^\$4 = 1$' "thread 2 stayed stopped while thread 1 stepped"
expect "^Thread 2 hit Temporary breakpoint 3, 0x[0-9a-f]+ in ap_loop" "continue on thread 2"
expect '^\$6 = 1$' "thread 1 stayed stopped while thread 2 ran"
echo "-smp 2 per-thread vCont ok"

# 4. -D with %d and -d tid: one log per vCPU (both run translated code).
"$MIMIC_BUILD_DIR/mimic-system-i386" -display none -serial none -monitor none -smp 2 \
    -kernel "$TMP/smp.elf" -d tid,in_asm -D "$TMP/cpu%d.log" </dev/null >/dev/null 2>&1 &
MIMIC_PID=$!
for _ in $(seq 200); do
    grep -qs "^IN:" "$TMP/cpu1.log" && grep -qs "^IN:" "$TMP/cpu0.log" && break
    sleep 0.1
done
kill $MIMIC_PID; wait $MIMIC_PID 2>/dev/null
MIMIC_PID=
grep -q "^IN:" "$TMP/cpu0.log" || fail "-D %d: nothing in cpu0.log"
grep -q "^IN:" "$TMP/cpu1.log" || fail "-D %d: nothing in cpu1.log (the AP)"
echo "-D %d per vCPU ok: $(grep -c '^IN:' "$TMP/cpu0.log") and $(grep -c '^IN:' "$TMP/cpu1.log") TBs"

# 5. -gdb tcp:HOST:PORT and -gdb chardev:ID.
port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
"$MIMIC_BUILD_DIR/mimic-system-i386" -display none -serial none -monitor none -S \
    -kernel "$TMP/d.elf" -gdb "tcp:127.0.0.1:$port" </dev/null >"$TMP/mimic.err" 2>&1 &
MIMIC_PID=$!
hexport=$(printf '%04X' "$port")
for _ in $(seq 100); do grep -q ":$hexport 00000000:0000 0A" /proc/net/tcp && break; sleep 0.1; done
timeout 30 gdb-multiarch -nx -batch -ex "target remote 127.0.0.1:$port" -ex "info registers eip" \
    -ex kill "$TMP/d.elf" >"$TMP/gdb.out" 2>&1
wait $MIMIC_PID
MIMIC_PID=
rm -f "$TMP/c.sock"
"$MIMIC_BUILD_DIR/mimic-system-i386" -display none -serial none -monitor none -S \
    -kernel "$TMP/d.elf" -chardev "socket,id=dbg,path=$TMP/c.sock,server=on,wait=off" \
    -gdb chardev:dbg </dev/null >"$TMP/mimic.err" 2>&1 &
MIMIC_PID=$!
for _ in $(seq 100); do [ -S "$TMP/c.sock" ] && break; sleep 0.1; done
timeout 30 gdb-multiarch -nx -batch -ex "target remote $TMP/c.sock" -ex "info registers eip" \
    -ex kill "$TMP/d.elf" >>"$TMP/gdb.out" 2>&1
wait $MIMIC_PID
MIMIC_PID=
cat "$TMP/gdb.out"
[ "$(grep -c '^eip  *0x100010 ' "$TMP/gdb.out")" -eq 2 ] || fail "-gdb tcp: or chardev:"
echo "-gdb tcp: and chardev: ok"

# 6. A breakpoint in ROM (tests/system/gdbstub/rom-bios.asm as -bios): hits, twice, and
#    the ROM still holds the instruction; before it, the monitor's x/i in real mode.
nasm -f bin "$SRC/rom-bios.asm" -o "$TMP/rom.bin" || fail "cannot build the ROM image"
rm -f "$TMP/gdb.sock"
"$MIMIC_BUILD_DIR/mimic-system-i386" -display none -serial none -monitor none -S \
    -bios "$TMP/rom.bin" -gdb "unix:$TMP/gdb.sock,server=on" </dev/null >"$TMP/mimic.err" 2>&1 &
MIMIC_PID=$!
for _ in $(seq 100); do [ -S "$TMP/gdb.sock" ] && break; sleep 0.1; done
: >"$TMP/gdb.out"
gdb_run "$TMP/d.elf" <<'EOF'
monitor x/1i $pc
stepi
monitor x/2i $pc
break *0xf0100
continue
monitor xp /1bx 0xf0100
stepi
continue
kill
EOF
wait $MIMIC_PID
MIMIC_PID=
cat "$TMP/gdb.out"
[ "$(grep -c '^Breakpoint 1, 0x000f0100 in' "$TMP/gdb.out")" -eq 2 ] || fail "a breakpoint in ROM"
expect "^0+f0100: 0x40$" "the ROM byte under the breakpoint"
expect "^0xfffffff0: +ljmp +0xf000:0$" "monitor x/i at the reset vector"
expect "^0x000f0001: +lgdt +cs:\[0x30\]$" "monitor x/i in real mode (16-bit addressing)"
echo "breakpoint in ROM ok"
