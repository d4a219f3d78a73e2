#!/bin/bash
# The pc machine from the command line: it is the default board, its monitor commands
# (info pci/pic/lapic/irq, sendkey, nmi, system_powerdown), and one-line refusals of bad
# -kernel files and firmware.
. "$(dirname "$0")/lib.sh"
[ -r /usr/share/seabios/bios-256k.bin ] || { echo "seabios is not installed"; exit 77; }
X86_64=$MIMIC_BUILD_DIR/mimic-system-x86_64

"$I386" -M help | grep -q '^pc .*(default)' || fail "pc is not the default machine"
"$X86_64" -M help | grep -q '^pc .*(default)' || fail "pc is not the default of x86_64"

out=$(printf 'info pci\ninfo pic\ninfo lapic\ninfo lapic 7\ninfo irq\nsendkey ctrl-alt-delete\nsendkey ctrl-frob\nnmi\nsystem_powerdown\nhelp sendkey\nquit\n' |
      timeout 20 "$I386" -S -smp 2 -display none -monitor stdio 2>&1)
rc=$?
echo "$out"
[ $rc -eq 0 ] || fail "exit status $rc"
grep -q "Host bridge: PCI device 8086:1237" <<<"$out" || fail "info pci: host bridge"
grep -q "ISA bridge: PCI device 8086:7000" <<<"$out" || fail "info pci: PIIX3"
grep -q "Bridge: PCI device 8086:7113" <<<"$out" || fail "info pci: PIIX4 PM"
grep -q "^pic0: irr=" <<<"$out" || fail "info pic"
grep -q "^ioapic0: ver=0x20" <<<"$out" || fail "info pic: ioapic"
grep -q "dumping local APIC state for CPU 0" <<<"$out" || fail "info lapic"
grep -q "info lapic: no CPU '7'" <<<"$out" || fail "info lapic 7"
grep -q "IRQ statistics for isa-i8259" <<<"$out" || fail "info irq"
grep -q "invalid parameter: frob" <<<"$out" || fail "sendkey error"
grep -q "^sendkey keys" <<<"$out" || fail "help sendkey"

tmp=$TMP/notakernel
echo "just text" >"$tmp"
expect_error "-kernel $tmp: not a Linux bzImage, a Multiboot kernel or an ELF file" -kernel "$tmp"
printf '\x7fELF\x02\x01\x01' >"$tmp.elf"
head -c 100 /dev/zero >>"$tmp.elf"
expect_error "an ELF64 file without a Multiboot header" -kernel "$tmp.elf"
expect_error "could not find the PC BIOS '/nonexistent'" -bios /nonexistent
expect_error "is not a multiple of 64 KiB" -bios "$tmp"
expect_error "-rtc base=2006-13-45: expected utc, localtime or a date" -rtc base=2006-13-45
expect_error "-rtc clock=frob: expected host, rt or vm" -rtc base=utc,clock=frob
expect_error "-rtc driftfix=fast: expected none or slew" -rtc driftfix=fast
echo "pc machine ok"
