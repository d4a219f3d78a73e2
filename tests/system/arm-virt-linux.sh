#!/bin/bash
# Debian 12's armmp kernel (debian-installer-12-netboot-armhf) with a busybox initramfs
# (busybox-static:armhf) on -M virt -smp 2: a shell on ttyAMA0 answers, both CPUs came up
# (PSCI CPU_ON), the RTC and GIC drivers bound, and "poweroff -f" (PSCI SYSTEM_OFF) ends
# the emulator with exit status 0.
. "$(dirname "$0")/arm-guest-lib.sh"
command -v cpio >/dev/null || skip "cpio not installed"

armmp_payloads

mkdir -p "$TMP/root/bin" "$TMP/root/proc" "$TMP/root/sys" "$TMP/root/dev"
cp "$BUSYBOX" "$TMP/root/bin/busybox"
ln -s busybox "$TMP/root/bin/sh"
cat >"$TMP/root/init" <<'INIT'
#!/bin/sh
/bin/busybox --install -s /bin
mount -t proc proc /proc
mount -t sysfs sys /sys
mount -t devtmpfs dev /dev
echo "MIMIC-INIT cpus=$(grep -c ^processor /proc/cpuinfo)"
exec setsid cttyhack sh
INIT
chmod +x "$TMP/root/init"
(cd "$TMP/root" && find . | cpio -o -H newc --quiet | gzip -1) >"$TMP/initrd.gz"

start_guest -smp 2 -m 256 -kernel "$KERNEL" -initrd "$TMP/initrd.gz" \
    -append "console=ttyAMA0 rdinit=/init panic=-1" -no-reboot
wait_for "MIMIC-INIT cpus=2" 300
# Type only at the prompt: the shell sets up the terminal (and drops pending input) first.
wait_for "/ # " 60
CURSOR_QUERY_EXPECTED=1     # busybox's sh asks where the cursor is after each prompt
send 'echo mimic-$((6*7))'
wait_for "mimic-42" 120     # a loaded host: one run here took over 60 s
wait_for "/ # " 60 2
grep -q "rtc-pl031 .*registered as rtc0" "$TMP/out" || fail "the PL031 driver did not bind"
send 'poweroff -f'
wait "$GUEST_PID"; rc=$?
GUEST_PID=
[ $rc -eq 0 ] || fail "poweroff -f: the emulator exited $rc"
echo "Linux ok"
