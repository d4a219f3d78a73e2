#!/bin/bash
# Each emulator's -M none shows its default CPU in the reset state of the manuals (Intel SDM
# 3A table 9-1; ARM ARM v7-A and the Cortex-A15 TRM) through the monitor, halted, also after
# system_reset and with -cpu.
set -u
: "${MIMIC_BUILD_DIR:?run through make check}"
fail() { echo "FAIL: $*"; exit 1; }

# monitor BINARY ARGS...: runs the commands on stdin through -monitor stdio.
monitor() {
    local bin=$MIMIC_BUILD_DIR/$1; shift
    timeout 20 "$bin" -M none -nographic -monitor stdio "$@" 2>&1
}

probe=$(printf 'quit\n' | monitor mimic-system-i386)
if [ $? -ne 0 ]; then
    case "$probe" in
    *"-accel"*) echo "no accelerator for -M none's CPU yet: $(grep -- -accel <<<"$probe")"; exit 77 ;;
    *"not ready yet"*) echo "the command line is not in this tree yet"; exit 77 ;;
    *) fail "mimic-system-i386 -M none did not start: $probe" ;;
    esac
fi

cmds='info cpus\ninfo registers\nsystem_reset\ninfo registers\nquit\n'
out=$(printf "$cmds" | monitor mimic-system-i386)
echo "$out"
grep -q "CPU #0:.*(halted)" <<<"$out" || fail "i386: info cpus does not show a halted CPU #0"
[ "$(grep -c 'EAX=00000000 EBX=00000000 ECX=00000000 EDX=00000663' <<<"$out")" -eq 2 ] ||
    fail "i386: EDX is not the qemu32 signature before and after system_reset"
grep -q "EIP=0000fff0 EFL=00000002" <<<"$out" || fail "i386: EIP/EFLAGS at reset"
grep -q "CS =f000 ffff0000 0000ffff 00009b00" <<<"$out" || fail "i386: CS at reset"
grep -q "CR0=60000010 CR2=00000000 CR3=00000000 CR4=00000000" <<<"$out" || fail "i386: CR0"
grep -q "DR6=ffff0ff0 DR7=00000400" <<<"$out" || fail "i386: debug registers"

out=$(printf 'info registers\nquit\n' | monitor mimic-system-x86_64)
echo "$out"
grep -q "EDX=00060fb1" <<<"$out" || fail "x86_64: EDX is not the qemu64 signature"

out=$(printf 'info registers\nquit\n' | monitor mimic-system-x86_64 -cpu qemu32)
grep -q "EDX=00000663" <<<"$out" || fail "x86_64 -cpu qemu32: EDX"

out=$(printf 'info cpus\ninfo registers\nquit\n' | monitor mimic-system-arm)
echo "$out"
grep -q "CPU #0:.*(halted)" <<<"$out" || fail "arm: info cpus does not show a halted CPU #0"
grep -q "R12=00000000 R13=00000000 R14=00000000 R15=00000000" <<<"$out" || fail "arm: PC at reset"
grep -q "PSR=000001d3 ---- A svc32" <<<"$out" || fail "arm: CPSR at reset (SVC, A/I/F masked)"

out=$(timeout 10 "$MIMIC_BUILD_DIR/mimic-system-arm" -M none -cpu qemu32 </dev/null 2>&1)
[ $? -eq 1 ] || fail "arm -cpu qemu32 was accepted"
grep -q -- "-cpu qemu32" <<<"$out" || fail "arm -cpu qemu32: the error does not name the value: $out"
echo "CPU reset state ok"
