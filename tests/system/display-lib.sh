# Shared helpers of the display tests (sourced, not run): a private Xvfb, the emulator on
# SeaBIOS with QMP on a socket, screen dumps decoded to text.
set -u
: "${MIMIC_BUILD_DIR:?run through make check}"
ROM=/usr/share/seabios/vgabios-stdvga.bin
DECODE="python3 $(dirname "$0")/vga_text_decode.py"
TMP=$(mktemp -d)
pids=""
cleanup() { for p in $pids; do kill "$p" 2>/dev/null; done; wait 2>/dev/null; rm -rf "$TMP"; }
trap cleanup EXIT
fail() { echo "FAIL: $*"; exit 1; }
skip() { echo "$*"; exit 77; }
need() { for c in "$@"; do command -v "$c" >/dev/null || skip "$c is not installed"; done; }
[ -r /usr/share/seabios/bios-256k.bin ] && [ -r $ROM ] || skip "seabios is not installed"

# start_xvfb: a private X server; sets DISPLAY. Each test takes a random display number
# from 100-999 (another if that one is taken). Xvfb's own choice (-displayfd, the lowest
# free number) reused a number the moment a parallel test's server exited, and a client
# could then find no server there (SDL fell back to its offscreen driver: "no display
# available", about 1 run in 32 with four display tests at once).
start_xvfb() {
    need Xvfb xdotool
    local n xvfb
    for _ in $(seq 1 20); do
        n=$((100 + RANDOM % 900))
        [ -e "/tmp/.X$n-lock" ] && continue
        Xvfb ":$n" -screen 0 1280x1024x24 -nolisten tcp >"$TMP/xvfb.log" 2>&1 &
        xvfb=$!
        for _ in $(seq 1 50); do
            kill -0 $xvfb 2>/dev/null || break
            # ours only if the display's lock names our server (not a parallel test's)
            if [ "$(tr -d ' \n' 2>/dev/null <"/tmp/.X$n-lock")" = "$xvfb" ] &&
                DISPLAY=:$n xdotool getdisplaygeometry >/dev/null 2>&1; then
                pids="$pids $xvfb"
                export DISPLAY=:$n
                return
            fi
            sleep 0.1
        done
        kill $xvfb 2>/dev/null; wait $xvfb 2>/dev/null
    done
    fail "Xvfb did not start: $(cat "$TMP/xvfb.log")"
}

# start_mimic ARGS...: SeaBIOS on the pc machine, serial to a file, QMP on $TMP/qmp.
start_mimic() {
    mimic_args=("$@")
    "$MIMIC_BUILD_DIR/mimic-system-i386" -m 64 -serial "file:$TMP/serial" \
        -qmp "unix:$TMP/qmp,server=on,wait=off" "$@" </dev/null >"$TMP/out" 2>&1 &
    mimic=$!
    pids="$pids $mimic"
}

# wait_serial TEXT: until SeaBIOS printed TEXT on the serial port (60 s).
wait_serial() {
    for _ in $(seq 1 120); do
        grep -q "$1" "$TMP/serial" 2>/dev/null && return
        grep -q "has no translator front end" "$TMP/out" && skip "no x86 translator front end"
        kill -0 "$mimic" 2>/dev/null || { cat "$TMP/out"; fail "the emulator exited"; }
        sleep 0.5
    done
    fail "no '$1' on the serial port: $(cat "$TMP/serial")"
}

qmp() {
    (echo '{"execute":"qmp_capabilities"}'; for c in "$@"; do echo "$c"; done; sleep 1) |
        socat - "UNIX-CONNECT:$TMP/qmp"
}

# screendump FILE: the guest display (console 0) through QMP.
screendump() {
    qmp "{\"execute\":\"screendump\",\"arguments\":{\"filename\":\"$1\",\"format\":\"png\"}}" \
        >/dev/null
    [ -s "$1" ] || fail "no screendump $1"
}

# decode IMAGE [COLUMNS]: the text on it (cursor cells read as '?', dropped here).
decode() { $DECODE "$1" $ROM ${2:-} | tr -d '?'; }

# wait_text IMAGE-COMMAND TEXT: runs the command (which writes $TMP/shot) until the text
# decoded from $TMP/shot contains TEXT (10 s).
wait_text() {
    local cmd=$1 want=$2
    for _ in $(seq 1 20); do
        rm -f "$TMP/shot"*
        $cmd && decode "$TMP/shot" "${3:-80}" >"$TMP/shot.txt" 2>/dev/null &&
            grep -qF "$want" "$TMP/shot.txt" && return 0
        sleep 0.5
    done
    cat "$TMP/shot.txt" 2>/dev/null
    fail "'$want' did not appear ($cmd)"
}

# guest_got_key WORD: SeaBIOS's keyboard buffer (BIOS data area 0x41e) holds the key
# (scancode << 8 | ASCII, e.g. 1e61 for 'a'): the key reached the guest through the i8042.
guest_got_key() {
    for _ in $(seq 1 20); do
        qmp '{"execute":"human-monitor-command","arguments":{"command-line":"xp /16hx 0x41e"}}' |
            grep -q "0x$1" && return 0
        sleep 0.5
    done
    fail "the guest's keyboard buffer has no $1"
}

# find_window TITLE-REGEX: sets wid to the window (60 s: SDL start-up under a loaded host
# once took over 10) and gives it the focus.
# SDL's probe of the X server now and then fails on a loaded host although the server
# answers (about 1 run in 32 with four display tests at once; SDL then finds only its
# offscreen driver and the emulator reports "no display available"): the emulator is then
# started again, twice at most, saying so.
find_window() {
    local restarts=0
    wid=""
    for _ in $(seq 1 600); do
        wid=$(xdotool search --name "$1" 2>/dev/null | head -1)
        [ -n "$wid" ] && break
        if ! kill -0 "$mimic" 2>/dev/null && [ $restarts -lt 2 ] &&
            grep -q "no display available" "$TMP/out" &&
            xdotool getdisplaygeometry >/dev/null 2>&1; then
            echo "note: SDL found no X display although $DISPLAY answers; starting again"
            restarts=$((restarts + 1))
            start_mimic "${mimic_args[@]}"
        fi
        sleep 0.1
    done
    [ -n "$wid" ] || { cat "$TMP/out"; fail "no window titled '$1'"; }
    xdotool windowfocus --sync "$wid"
}
