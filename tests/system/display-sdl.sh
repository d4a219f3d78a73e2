#!/bin/bash
# The SDL window under Xvfb (issue 12): titled with -name; shows SeaBIOS's banner, and an X
# screenshot of the window equals the screendump of the same moment (but the blinking
# cursor); Ctrl-Alt-2 shows the monitor, where "info status" typed into the window
# answers; Ctrl-Alt-1 returns to the guest, where a typed key reaches SeaBIOS; Ctrl-Alt-G grabs and says so in the title;
# an idle window costs little CPU; closing the window ends the emulator (QEMU's default).
. "$(dirname "$0")/display-lib.sh"
need socat import compare
start_xvfb
start_mimic -name sdltest -display sdl -monitor vc
wait_serial "No bootable device"
find_window '^Mimic \(sdltest\)'
window_shot() { import -window "$wid" "png:$TMP/shot" 2>/dev/null; }
wait_text window_shot "SeaBIOS (version"
grep -q "No bootable device" "$TMP/shot.txt" || fail "window: no 'No bootable device'"

# the window and the screendump: same size, same pixels except the cursor cell
screendump "$TMP/dump.png"
window_shot
size=$(identify -format "%wx%h" "$TMP/shot")
[ "$size" = 720x400 ] || fail "window is $size, the guest's text mode is 720x400"
diff=$(compare -metric AE "$TMP/shot" "$TMP/dump.png" null: 2>&1)
echo "window vs screendump: $diff pixels differ"
[ "${diff%%.*}" -le 144 ] || fail "window and screendump differ in $diff pixels"

# Ctrl-Alt-2: the monitor; keys typed there reach it
xdotool key ctrl+alt+2
sleep 0.5
xdotool type --delay 20 "info status"
xdotool key Return
wait_text window_shot "VM status: running" 80
echo "monitor in the window: $(grep 'VM status' "$TMP/shot.txt")"
xdotool key ctrl+alt+1
wait_text window_shot "SeaBIOS (version"
# a key typed into the window reaches the guest (by scancode, through the i8042)
xdotool key a
guest_got_key 1e61

# Ctrl-Alt-G: the grab, said in the title
xdotool key ctrl+alt+g
sleep 0.3
title=$(xdotool getwindowname "$wid")
case "$title" in *"Press Ctrl-Alt-G to exit grab"*) ;; *) fail "grab not in the title: '$title'" ;; esac
xdotool key ctrl+alt+g
sleep 0.3
[ "$(xdotool getwindowname "$wid")" = "Mimic (sdltest)" ] || fail "title after ungrab: $(xdotool getwindowname "$wid")"

# idle: SeaBIOS waits with HLT; the window polls events and redraws nothing
a=$(awk '{print $14 + $15}' /proc/$mimic/stat); sleep 5
b=$(awk '{print $14 + $15}' /proc/$mimic/stat); hz=$(getconf CLK_TCK)
echo "idle with the window: $((b - a)) ticks of $((5 * hz)) in 5 s"
[ $(((b - a) * 100)) -lt $((5 * hz * 5)) ] || fail "the idle window used $((b - a)) ticks in 5 s"

# closing the window ends the emulator
xdotool windowclose "$wid" 2>/dev/null
for _ in $(seq 1 50); do kill -0 "$mimic" 2>/dev/null || break; sleep 0.1; done
kill -0 "$mimic" 2>/dev/null && fail "the emulator is still running after the window closed"
echo "SDL window: banner = screendump, Ctrl-Alt-2 monitor, Ctrl-Alt-G grab, close ok"
