#!/bin/bash
# The VNC server (issue 12): Debian's vncsnapshot captures SeaBIOS's banner; a raw capture
# equals the screendump (but the cursor); several clients at once; keys sent through VNC
# reach the guest (SeaBIOS's keyboard buffer) and, after Ctrl-Alt-2, the monitor, where
# "info status" answers; password=on offers only VNC authentication and admits a client
# once set_password / change vnc password gave a password; -vnc unix:PATH works.
. "$(dirname "$0")/display-lib.sh"
need socat vncsnapshot convert compare openssl
RFB="python3 $(dirname "$0")/rfb_client.py"
n=""
for d in $(seq 40 99); do
    ss -ltn 2>/dev/null | grep -q ":$((5900 + d)) " || { n=$d; break; }
done
[ -n "$n" ] || skip "no free VNC port"
start_mimic -display none -vnc "127.0.0.1:$n" -monitor vc
wait_serial "No bootable device"
vnc_shot() { vncsnapshot -quiet -nocursor "127.0.0.1:$n" "$TMP/shot.jpg" >/dev/null 2>&1 &&
             mv "$TMP/shot.jpg" "$TMP/shot"; }
wait_text vnc_shot "SeaBIOS (version"
echo "vncsnapshot: $(head -1 "$TMP/shot.txt")"

# a raw capture equals the screendump; two clients at once
$RFB "127.0.0.1:$((5900 + n))" snapshot "$TMP/a.ppm" >"$TMP/a.log" &
$RFB "127.0.0.1:$((5900 + n))" snapshot "$TMP/b.ppm" >"$TMP/b.log" || fail "second client"
wait $! || fail "first client: $(cat "$TMP/a.log")"
screendump "$TMP/dump.png"
diff=$(compare -metric AE "$TMP/a.ppm" "$TMP/dump.png" null: 2>&1)
echo "VNC capture vs screendump: $diff pixels differ ($(cat "$TMP/a.log"))"
[ "${diff%%.*}" -le 144 ] || fail "the VNC capture and the screendump differ in $diff pixels"
cmp -s <(decode "$TMP/a.ppm") <(decode "$TMP/b.ppm") || fail "the two clients saw different screens"

# keys through VNC: to the guest, then to the monitor
$RFB "127.0.0.1:$((5900 + n))" keys "text:a"
guest_got_key 1e61
$RFB "127.0.0.1:$((5900 + n))" keys "ctrl-alt-2"
sleep 0.3
$RFB "127.0.0.1:$((5900 + n))" keys "text:info status" "Return"
wait_text vnc_shot "VM status: running" 80
echo "monitor through VNC: $(grep 'VM status' "$TMP/shot.txt")"
kill "$mimic"; wait "$mimic" 2>/dev/null

# password=on: only VNC authentication, nobody until a password is set
start_mimic -display none -vnc "127.0.0.1:$n,password=on"
wait_serial "SeaBIOS"
sec=$($RFB "127.0.0.1:$((5900 + n))" security)
[ "$sec" = 2 ] || fail "password=on offers security types '$sec', expected 2 (VNC)"
$RFB "127.0.0.1:$((5900 + n))" --password secret snapshot "$TMP/p.ppm" >/dev/null 2>&1 &&
    fail "a client got in before any password was set"
out=$(qmp '{"execute":"set_password","arguments":{"protocol":"vnc","password":"secret"}}')
echo "$out" | grep -q '"return": {}' || fail "set_password: $out"
$RFB "127.0.0.1:$((5900 + n))" --password secret snapshot "$TMP/p.ppm" >/dev/null ||
    fail "the password set with set_password was refused"
$RFB "127.0.0.1:$((5900 + n))" --password wrong snapshot "$TMP/p.ppm" >/dev/null 2>&1 &&
    fail "a wrong password was accepted"
qmp '{"execute":"human-monitor-command","arguments":{"command-line":"change vnc password other"}}' >/dev/null
$RFB "127.0.0.1:$((5900 + n))" --password other snapshot "$TMP/p.ppm" >/dev/null ||
    fail "the password set with 'change vnc password' was refused"
kill "$mimic"; wait "$mimic" 2>/dev/null

# a unix socket
start_mimic -display none -vnc "unix:$TMP/vnc.sock"
wait_serial "SeaBIOS"
$RFB "unix:$TMP/vnc.sock" snapshot "$TMP/u.ppm" >/dev/null || fail "no VNC on the unix socket"
echo "VNC: capture = screendump, 2 clients, keys to guest and monitor, password, unix ok"
