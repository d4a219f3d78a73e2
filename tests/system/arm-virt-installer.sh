#!/bin/bash
# The Debian armhf installer (vmlinuz and initrd.gz of debian-installer-12-netboot-armhf)
# booted with -kernel/-initrd on -M virt reaches its first screen, "Select a language",
# on the serial console (ttyAMA0), with its question text. The guest unpacks a 26 MB
# initrd: 35-50 s on a quiet 2-core host (140 s at load average 17). A sanitizer build
# takes about 190 s: there it runs only with MIMIC_LONG_TESTS=1.
. "$(dirname "$0")/arm-guest-lib.sh"
if grep -q "SANITIZE_CONF=yes" "$MIMIC_BUILD_DIR/config.mak" 2>/dev/null &&
   [ "${MIMIC_LONG_TESTS:-0}" != 1 ]; then
    skip "sanitizer build: the installer test (about 190 s) runs with MIMIC_LONG_TESTS=1"
fi

armmp_payloads

start=$SECONDS
start_guest -m 512 -kernel "$KERNEL" -initrd "$INSTALLER_INITRD" -append "console=ttyAMA0"
# the screen is drawn with escape sequences between the words: strip them first
screen() { sed 's/\x1b\[[0-9;]*[a-zA-Z]//g' "$TMP/out" | tr -d '\r\n'; }
until screen | grep -aq "Select a language"; do
    kill -0 "$GUEST_PID" 2>/dev/null || fail "the emulator exited before the installer's first screen"
    [ $((SECONDS - start)) -lt 600 ] || fail "no 'Select a language' after 600 s"
    sleep 1
done
screen | grep -aq "Choose the language to be used for the installation process" ||
    fail "the first screen lacks its question text"
grep -aq "Run /init as init process" "$TMP/out" || fail "the kernel did not run the installer's /init"
echo "installer's first screen on ttyAMA0 after $((SECONDS - start)) s"
