#!/bin/bash
# The isolinux menu of a test ISO in the SDL window under Xvfb (issue 12): the menu's
# title and entries are on the screen (decoded from an X screenshot of the window, which
# equals the screendump but for the cursor), Down then Enter typed into the window pick
# the second entry, which loads its own configuration (a menu titled accordingly).
. "$(dirname "$0")/display-lib.sh"
need socat import compare xorriso
for f in /usr/lib/ISOLINUX/isolinux.bin /usr/lib/syslinux/modules/bios/menu.c32; do
    [ -r $f ] || skip "$f is missing (isolinux, syslinux-common)"
done
mkdir -p "$TMP/iso/isolinux"
cp /usr/lib/ISOLINUX/isolinux.bin /usr/lib/syslinux/modules/bios/{ldlinux,menu,libutil,libcom32}.c32 \
    "$TMP/iso/isolinux/"
cat >"$TMP/iso/isolinux/isolinux.cfg" <<'CFG'
serial 0 115200
ui menu.c32
prompt 0
timeout 0
menu title MIMIC TEST MENU
menu color title 1;37;40 #ffffffff #00000000 std
menu color sel 1;37;40 #ffffffff #00000000 std
menu color unsel 37;40 #ffc0c0c0 #00000000 std
menu color border 37;40 #ffc0c0c0 #00000000 std
label first
  menu label First entry
  config /isolinux/first.cfg
label second
  menu label Second entry
  config /isolinux/second.cfg
CFG
for n in first second; do
    printf 'ui menu.c32\nprompt 0\ntimeout 0\nmenu title %s ENTRY CHOSEN\nlabel x\n  kernel /x\n' \
        "$(echo $n | tr a-z A-Z)" >"$TMP/iso/isolinux/$n.cfg"
done
xorriso -as mkisofs -quiet -o "$TMP/test.iso" -b isolinux/isolinux.bin -c isolinux/boot.cat \
    -no-emul-boot -boot-load-size 4 -boot-info-table "$TMP/iso" 2>"$TMP/xorriso.log" ||
    fail "xorriso: $(cat "$TMP/xorriso.log")"
start_xvfb
start_mimic -name isotest -display sdl -cdrom "$TMP/test.iso" -boot d
find_window '^Mimic \(isotest\)'
window_shot() { import -window "$wid" "png:$TMP/shot" 2>/dev/null; }
wait_text window_shot "MIMIC TEST MENU"
grep -q "First entry" "$TMP/shot.txt" && grep -q "Second entry" "$TMP/shot.txt" ||
    { cat "$TMP/shot.txt"; fail "the menu entries are not on the screen"; }
sed -n '/MIMIC TEST MENU/,/Second entry/p' "$TMP/shot.txt"
screendump "$TMP/dump.png"
window_shot
diff=$(compare -metric AE "$TMP/shot" "$TMP/dump.png" null: 2>&1)
echo "window vs screendump: $diff pixels differ"
[ "${diff%%.*}" -le 144 ] || fail "window and screendump differ in $diff pixels"
# Down selects the second entry, Enter runs it: its configuration's menu comes up
xdotool key Down
sleep 0.3
xdotool key Return
wait_text window_shot "SECOND ENTRY CHOSEN"
grep "ENTRY CHOSEN" "$TMP/shot.txt"
echo "isolinux menu in the window, Down + Enter chose the second entry"
