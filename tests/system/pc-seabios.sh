#!/bin/bash
# SeaBIOS (Debian's bios-256k.bin) on the pc machine prints its banner and, with no disk,
# "No bootable device." on the serial port under -nographic, having found the CPUs
# (MIMIC_PC_SMP CPUs, default 2: INIT/SIPI bring-up of the AP),
# the PM timer, the ACPI tables and made its SMBIOS; while it then waits (HLT) the emulator
# uses under 2% of a host core.
set -u
: "${MIMIC_BUILD_DIR:?run through make check}"
[ -r /usr/share/seabios/bios-256k.bin ] || { echo "seabios is not installed"; exit 77; }
TMP=$(mktemp -d); trap 'kill $pid 2>/dev/null; rm -rf "$TMP"' EXIT
# SeaBIOS's debug log (port 0x402) shows what it found: CPUs woken by INIT/SIPI, the PM
# timer, our ACPI tables through the table loader, its own SMBIOS
"$MIMIC_BUILD_DIR/mimic-system-i386" -nographic -m 64 -smp "${MIMIC_PC_SMP:-2}" \
    -chardev "file,id=dbg,path=$TMP/debug" -device isa-debugcon,iobase=0x402,chardev=dbg \
    </dev/null >"$TMP/out" 2>&1 &
pid=$!
for _ in $(seq 1 120); do
    grep -q "No bootable device" "$TMP/out" && break
    grep -q "has no translator front end" "$TMP/out" && { echo "no x86 translator front end in this build"; exit 77; }
    kill -0 $pid 2>/dev/null || break
    sleep 0.5
done
# SeaBIOS now waits 60 s with HLT: an idle guest must cost (almost) no host CPU
ticks=-1
if grep -q "No bootable device" "$TMP/out" && [ -r /proc/$pid/stat ]; then
    a=$(awk '{print $14 + $15}' /proc/$pid/stat); sleep 5
    b=$(awk '{print $14 + $15}' /proc/$pid/stat); ticks=$((b - a))
fi
kill $pid 2>/dev/null; wait $pid 2>/dev/null
tr -d '\r' <"$TMP/out" | head -40
grep -q "SeaBIOS (version" "$TMP/out" || { echo "FAIL: no SeaBIOS banner"; exit 1; }
grep -q "No bootable device" "$TMP/out" || { echo "FAIL: no 'No bootable device'"; exit 1; }
for line in "Found ${MIMIC_PC_SMP:-2} cpu(s)" "Using pmtimer, ioport 0x608" "ACPI: parse DSDT" \
            "Copying SMBIOS" "init bdf=00:01.3 id=8086:7113"; do
    grep -qF "$line" "$TMP/debug" || { cat "$TMP/debug"; echo "FAIL: SeaBIOS log lacks '$line'"; exit 1; }
done
hz=$(getconf CLK_TCK)
echo "idle: $ticks ticks of $((5 * hz)) in 5 s"
[ "$ticks" -ge 0 ] && [ $((ticks * 100)) -lt $((5 * hz * 2)) ] ||
    { echo "FAIL: the idle guest used $ticks clock ticks in 5 s (2% is $((5 * hz * 2 / 100)))"; exit 1; }
echo "SeaBIOS banner, 'No bootable device' and idle CPU ok"
