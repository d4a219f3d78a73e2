#!/bin/bash
# -help, -version and the "help" lists answer and exit 0.
. "$(dirname "$0")/lib.sh"
out=$("$I386" -h) || fail "-h failed"
for want in "usage:" "Example:" "Machine and CPU" "Block devices" "-nographic" "-qmp"; do
    case "$out" in *"$want"*) ;; *) fail "-h output lacks '$want'" ;; esac
done
"$I386" --help >/dev/null || fail "--help failed"
"$I386" -version | grep -q '^mimic-system-i386 version [0-9]' || fail "-version"
"$I386" -M help | grep -q '^none ' || fail "-M help does not list none"
"$I386" -cpu help | grep -q 'qemu32' || fail "-cpu help does not list qemu32"
"$MIMIC_BUILD_DIR"/mimic-system-x86_64 -cpu help | grep -q 'qemu64' || fail "x86_64 -cpu help"
"$MIMIC_BUILD_DIR"/mimic-system-arm -cpu help | grep -q 'cortex-a15' || fail "arm -cpu help"
"$I386" -d help | grep -q 'guest_errors' || fail "-d help"
"$I386" -device help >/dev/null || fail "-device help"
echo "help and lists ok"
