#!/bin/bash
# U-Boot from Debian's u-boot-qemu (qemu_arm/u-boot.bin) on -M virt -bios: it runs from the
# CFI flash, finds the device tree at the start of RAM, reaches its prompt on the PL011 and
# answers commands (echo; flinfo, which reads the flash through the CFI command set; qfw
# cpus, which reads fw_cfg over MMIO);
# "reset" (PSCI SYSTEM_RESET) starts it again from flash, "poweroff" (PSCI SYSTEM_OFF) ends
# the emulator with status 0.
. "$(dirname "$0")/arm-guest-lib.sh"

dir=$(fetch_deb u-boot-qemu) || skip "cannot fetch u-boot-qemu from the Debian archive"
UBOOT=$dir/usr/lib/u-boot/qemu_arm/u-boot.bin
[ -f "$UBOOT" ] || fail "no qemu_arm/u-boot.bin in u-boot-qemu"

start_guest -bios "$UBOOT" -smp 2
wait_for "=> " 120
grep -q "Flash: 128 MiB" "$TMP/out" || fail "U-Boot did not find both flash banks"
# uboot_cmd CMD: runs CMD at the prompt and waits for the next prompt (U-Boot polls the
# console for Ctrl-C while it prints, so input typed before the prompt would be eaten).
uboot_cmd() {
    local prompts
    prompts=$(grep -cF "=> " "$TMP/out")
    send "$1"
    wait_for "=> " 60 $((prompts + 1))
}
uboot_cmd "echo mimic-uboot-ok"
[ "$(grep -c "^mimic-uboot-ok" "$TMP/out")" -eq 1 ] || fail "echo gave no output line"
uboot_cmd "flinfo"
grep -q "Intel Extended command set" "$TMP/out" || fail "flinfo does not show the CFI flash"
uboot_cmd "qfw cpus"
grep -q "2 cpu(s) online" "$TMP/out" || fail "qfw cpus: fw_cfg does not give the CPU count"
send "reset"
wait_for "U-Boot 20" 120 2                  # the banner again: restarted from flash
prompts=$(grep -cF "=> " "$TMP/out")
wait_for "=> " 120 $((prompts + 1))
send "poweroff"
wait "$GUEST_PID"; rc=$?
GUEST_PID=
[ $rc -eq 0 ] || fail "poweroff (PSCI SYSTEM_OFF): exit status $rc"
echo "U-Boot ok"
