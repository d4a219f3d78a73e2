#!/bin/bash
# The standard VGA with SeaBIOS's VGA BIOS (vgabios-stdvga.bin): SeaBIOS's banner and "No
# bootable device." appear in VGA text mode; screendump (HMP: PPM and PNG; QMP: PNG) gives
# 720x400 images whose cells, decoded with the BIOS's own font, read that text. Under
# -display none nothing redraws: the idle guest costs (almost) no host CPU.
set -u
: "${MIMIC_BUILD_DIR:?run through make check}"
ROM=/usr/share/seabios/vgabios-stdvga.bin
[ -r /usr/share/seabios/bios-256k.bin ] && [ -r $ROM ] || { echo "seabios is not installed"; exit 77; }
command -v socat >/dev/null || { echo "socat is not installed"; exit 77; }
TMP=$(mktemp -d); trap 'kill $pid 2>/dev/null; rm -rf "$TMP"' EXIT
fail() { echo "FAIL: $*"; exit 1; }
DECODE="python3 $(dirname "$0")/vga_text_decode.py"
"$MIMIC_BUILD_DIR/mimic-system-i386" -display none -m 64 -serial "file:$TMP/serial" \
    -monitor "unix:$TMP/mon,server=on,wait=off" -qmp "unix:$TMP/qmp,server=on,wait=off" \
    </dev/null >"$TMP/out" 2>&1 &
pid=$!
for _ in $(seq 1 120); do
    grep -q "No bootable device" "$TMP/serial" 2>/dev/null && break
    grep -q "has no translator front end" "$TMP/out" && { echo "no x86 translator front end in this build"; exit 77; }
    kill -0 $pid 2>/dev/null || { cat "$TMP/out"; fail "the emulator exited"; }
    sleep 0.5
done
grep -q "No bootable device" "$TMP/serial" || fail "SeaBIOS did not finish: $(cat "$TMP/serial")"
hmp() { (echo "$1"; sleep 1) | socat - "UNIX-CONNECT:$TMP/mon" | tr -d '\r'; }
hmp "screendump $TMP/a.ppm" >/dev/null
hmp "screendump $TMP/b.png -f png" >/dev/null
out=$(hmp "screendump $TMP/c.gif -f gif")
case "$out" in *"Parameter 'format' does not accept value 'gif'"*) ;; *) fail "-f gif: $out" ;; esac
qmp=$( (echo '{"execute":"qmp_capabilities"}'
        echo "{\"execute\":\"screendump\",\"arguments\":{\"filename\":\"$TMP/q.png\",\"format\":\"png\"}}"
        echo "{\"execute\":\"screendump\",\"arguments\":{\"filename\":\"$TMP/x.ppm\",\"device\":\"nope\"}}"
        sleep 1) | socat - "UNIX-CONNECT:$TMP/qmp")
echo "$qmp" | grep -q '"desc": *"Device .nope. not found"' || fail "QMP device=nope: $qmp"
head -c 15 "$TMP/a.ppm" | grep -qa "720 400" || fail "the dump is not 720x400 (text mode 80x25 of 9x16 cells)"
for f in a.ppm b.png q.png; do
    [ -s "$TMP/$f" ] || fail "no $f"
    $DECODE "$TMP/$f" $ROM >"$TMP/$f.txt" || fail "$f: cannot decode: $(cat "$TMP/$f.txt")"
    grep -q "^SeaBIOS (version" "$TMP/$f.txt" || { cat "$TMP/$f.txt"; fail "$f: no banner on the screen"; }
    grep -q "^No bootable device" "$TMP/$f.txt" || { cat "$TMP/$f.txt"; fail "$f: no 'No bootable device'"; }
done
# (the cursor cell blinks between dumps: compare the text without it)
diff <(tr -d '?' <"$TMP/a.ppm.txt") <(tr -d '?' <"$TMP/b.png.txt") || fail "the PPM and the PNG differ"
head -3 "$TMP/a.ppm.txt"
# idle: SeaBIOS waits with HLT and nothing redraws without a display
a=$(awk '{print $14 + $15}' /proc/$pid/stat); sleep 5
b=$(awk '{print $14 + $15}' /proc/$pid/stat); ticks=$((b - a)); hz=$(getconf CLK_TCK)
echo "idle: $ticks ticks of $((5 * hz)) in 5 s"
[ $((ticks * 100)) -lt $((5 * hz * 2)) ] || fail "the idle guest used $ticks clock ticks in 5 s"
echo "VGA text, screendump PPM/PNG (HMP, QMP) and idle ok"
