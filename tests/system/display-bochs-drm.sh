#!/bin/bash
# Linux's framebuffer console at 1024x768 in the SDL window (issue 12): Debian's i386
# netboot kernel loads bochs-drm (drm, drm_kms_helper, ttm, drm_vram_helper from the
# matching linux-image package) on -vga std with video=1024x768; the guest reports the
# mode it set (DRM connector, fb0 1024,768 at 32 bpp); the screendump is 1024x768 and reads
# the lines the guest wrote on its console; an X screenshot of the window equals it.
. "$(dirname "$0")/display-lib.sh"
need socat import compare
LINUX_MODULES="bochs virtio_pci virtio_input evdev"
LINUX_INIT=$(dirname "$0")/display-guests/init.sh
. "$(dirname "$0")/disk-linux-lib.sh"
FONT=$TMP/font.rom

start_xvfb
"$MIMIC_BUILD_DIR/mimic-system-i386" -m 256 -vga std -name drmtest -display sdl \
    -device virtio-tablet-pci \
    -kernel "$KERNEL" -initrd "$INITRD" -serial "file:$TMP/serial" \
    -append "console=tty0 console=ttyS0 no_timer_check video=1024x768 quiet loglevel=4" \
    -qmp "unix:$TMP/qmp,server=on,wait=off" </dev/null >"$TMP/out" 2>&1 &
mimic=$!
pids="$pids $mimic"
wait_serial_for() {
    for _ in $(seq 1 $((${2:-240} * 2))); do
        grep -aq "$1" "$TMP/serial" 2>/dev/null && return
        grep -q "has no translator front end" "$TMP/out" && skip "no x86 translator front end"
        kill -0 "$mimic" 2>/dev/null || { cat "$TMP/out"; fail "the emulator exited"; }
        sleep 0.5
    done
    tr -d '\r' <"$TMP/serial" | tail -n 30
    fail "no '$1' on the serial console"
}
wait_serial_for MIMIC-FBCON-WRITTEN
tr -d '\r' <"$TMP/serial" | grep -a '^MIMIC-'
grep -aq MIMIC-INSMOD-FAILED "$TMP/serial" && fail "a module did not load"
grep -aq '^MIMIC-FB-NAME: bochs' "$TMP/serial" || fail "fb0 is not bochs-drm's"
grep -aq '^MIMIC-FB-SIZE: 1024,768' "$TMP/serial" || fail "the guest did not set 1024x768"
grep -aq '^MIMIC-FB-BPP: 32' "$TMP/serial" || fail "the guest's framebuffer is not 32 bpp"
grep -aq '^MIMIC-DRM: card0-Virtual-1 connected 1024x768' "$TMP/serial" ||
    fail "the DRM connector's mode is not 1024x768"

wait_serial_for MIMIC-INPUTS-LISTED 30
grep -aq '^MIMIC-INPUT: event[0-9]* QEMU Virtio Tablet' "$TMP/serial" ||
    fail "the guest found no virtio tablet"

# the screen: 1024x768, 128x48 cells of 8x16 with the lines the guest wrote on tty1
dump_shot() { screendump "$TMP/shot"; }
wait_text dump_shot "FBCON LINE 3 OF 3 ON BOCHS DRI FB" 128
size=$(identify -format "%wx%h" "$TMP/shot")
[ "$size" = 1024x768 ] || fail "the screendump is $size, not 1024x768"
head -n 3 "$TMP/shot.txt"

# the window shows the same pixels (the console's cursor blinks: a few cells may differ)
find_window '^Mimic \(drmtest\)'
window_shot() { import -window "$wid" "png:$TMP/shot" 2>/dev/null; }
wait_text window_shot "FBCON LINE 3 OF 3 ON BOCHS DRI FB" 128
[ "$(identify -format "%wx%h" "$TMP/shot")" = 1024x768 ] || fail "the window is not 1024x768"
cp "$TMP/shot" "$TMP/window.png"
screendump "$TMP/dump.png"
diff=$(compare -metric AE "$TMP/window.png" "$TMP/dump.png" null: 2>&1)
echo "window vs screendump: $diff pixels differ"
[ "${diff%%.*}" -le 256 ] || fail "window and screendump differ in $diff pixels"

# the absolute pointer: no grab; the window's pixel (512,384) is 512*0x7fff/1023 = 0x400f,
# 384*0x7fff/767 = 0x4014 on the tablet's axes; a click is BTN_LEFT (0x110) 1 then 0
wait_serial_for MIMIC-TABLET-READY 20
xdotool mousemove --window "$wid" 512 384 click 1
# od's lines: time (4 words), type, code, value (low, high word)
have_event() { tr -d '\r' <"$TMP/serial" | grep -Eq "^ +([0-9a-f]{4} ){4}$1\$"; }
events() { tr -d '\r' <"$TMP/serial" | grep -E "^ +([0-9a-f]{4} ){7}" | cut -c 21- | tail -n 12; }
for _ in $(seq 1 20); do have_event "0001 0110 0000 0000" && break; sleep 0.5; done
have_event "0003 0000 400f 0000" || { events; fail "no ABS_X 0x400f event in the guest"; }
have_event "0003 0001 4014 0000" || { events; fail "no ABS_Y 0x4014 event in the guest"; }
have_event "0001 0110 0001 0000" || { events; fail "no BTN_LEFT press in the guest"; }
have_event "0001 0110 0000 0000" || { events; fail "no BTN_LEFT release in the guest"; }
grep -q "Press Ctrl-Alt-G" <<<"$(xdotool getwindowname "$wid")" && fail "the click grabbed the mouse"
echo "virtio tablet: ABS_X/ABS_Y and BTN_LEFT reached the guest, no grab"
echo "bochs-drm: 1024x768x32 framebuffer console in the window = screendump"
