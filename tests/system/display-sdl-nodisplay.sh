#!/bin/bash
# -display sdl without a display (issue 12): no DISPLAY/WAYLAND_DISPLAY, or an X display
# nobody serves, must end the emulator at once with a clear error (exit 1), not run the
# guest with an invisible window (SDL's "offscreen" fallback) nor crash.
set -u
: "${MIMIC_BUILD_DIR:?run through make check}"
grep -q '^#define CONFIG_SDL 1' "$MIMIC_BUILD_DIR/config-host.h" || { echo "built without SDL"; exit 77; }
fail() { echo "FAIL: $*"; exit 1; }
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
n=0
for disp in "" ":4711"; do
    n=$((n + 1))
    if [ -n "$disp" ]; then set -- DISPLAY="$disp"; else set -- -u DISPLAY; fi
    env -u WAYLAND_DISPLAY -u SDL_VIDEODRIVER "$@" \
        XDG_RUNTIME_DIR="$TMP" timeout 20 "$MIMIC_BUILD_DIR/mimic-system-i386" \
        -display sdl -m 32 -nodefaults </dev/null >"$TMP/out$n" 2>&1
    rc=$?
    cat "$TMP/out$n"
    [ $rc -eq 1 ] || fail "DISPLAY='$disp': exit code $rc, expected 1 (124: it kept running)"
    grep -q -- "-display sdl: no display available" "$TMP/out$n" ||
        fail "DISPLAY='$disp': no clear error"
done
# asked for explicitly, SDL's offscreen driver is the user's choice: the emulator runs
env -u DISPLAY -u WAYLAND_DISPLAY SDL_VIDEODRIVER=offscreen XDG_RUNTIME_DIR="$TMP" \
    timeout 3 "$MIMIC_BUILD_DIR/mimic-system-i386" -display sdl -m 32 -nodefaults \
    </dev/null >"$TMP/out3" 2>&1
rc=$?
[ $rc -eq 124 ] || { cat "$TMP/out3"; fail "SDL_VIDEODRIVER=offscreen: exit code $rc, expected to run"; }
echo "-display sdl without a display: a clear error, exit 1"
