#!/bin/bash
# The Debian i386 installer (kernel and initrd.gz of debian-installer-12-netboot-i386)
# booted with -kernel/-initrd on the pc machine reaches its first screen, "Select a
# language", on the serial console. The guest unpacks a 30 MB initrd: 25 s on a 2-core
# host at load 2-3 (it took about 100 s before the translator's speed work; QEMU 7.2 86 s).
# A sanitizer build is several times slower: there it runs only with MIMIC_LONG_TESTS=1.
set -u
: "${MIMIC_BUILD_DIR:?run through make check}"
if grep -q "SANITIZE_CONF=yes" "$MIMIC_BUILD_DIR/config.mak" 2>/dev/null &&
   [ "${MIMIC_LONG_TESTS:-0}" != 1 ]; then
    echo "sanitizer build: the installer test runs with MIMIC_LONG_TESTS=1"
    exit 77
fi
TMP=$(mktemp -d); pid=
trap '[ -n "$pid" ] && kill $pid 2>/dev/null; rm -rf "$TMP"' EXIT
. "$(dirname "$0")/pc-linux-lib.sh"

k=$(kernel i386) || exit $?
initrd=$(installer_initrd i386) || exit $?
mkfifo "$TMP/in"
start=$SECONDS
"$MIMIC_BUILD_DIR/mimic-system-i386" -nographic -m 512 -kernel "$k" -initrd "$initrd" \
    -append "console=ttyS0" -monitor none <"$TMP/in" >"$TMP/out" 2>&1 &
pid=$!
exec 7>"$TMP/in"
# the screen is drawn with escape sequences between the words: strip them first
until sed 's/\x1b\[[0-9;]*[a-zA-Z]//g' "$TMP/out" | tr -d '\r\n' | grep -aq "Select a language"; do
    kill -0 $pid 2>/dev/null || fail "the emulator exited before the installer's first screen"
    [ $((SECONDS - start)) -lt 600 ] || fail "no 'Select a language' after 600 s"
    sleep 1
done
sed 's/\x1b\[[0-9;]*[a-zA-Z]//g' "$TMP/out" | tr -s ' \r\n' | grep -ao "Choose the language[^.]*\." | head -n 1
echo "installer's first screen after $((SECONDS - start)) s"
