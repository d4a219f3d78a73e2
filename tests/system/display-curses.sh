#!/bin/bash
# -display curses under tmux (issue 12): SeaBIOS's text in the terminal, keys typed there
# reach the guest (SeaBIOS's keyboard buffer), Alt-2 shows the monitor where "info status"
# answers, Alt-1 returns.
. "$(dirname "$0")/display-lib.sh"
need socat tmux
sock="mimic-test-$$"
tm() { tmux -L "$sock" "$@"; }
tm new-session -d -x 100 -y 32 "TERM=xterm-256color $MIMIC_BUILD_DIR/mimic-system-i386 -m 64 \
    -display curses -monitor vc -serial file:$TMP/serial -qmp unix:$TMP/qmp,server=on,wait=off 2>$TMP/out"
trap 'tm kill-server 2>/dev/null; cleanup' EXIT
mimic=$(tm list-panes -F '#{pane_pid}')     # the emulator, or the shell running it
wait_serial "No bootable device"
pane() { tm capture-pane -p >"$TMP/pane.txt"; }
wait_pane() {
    for _ in $(seq 1 20); do pane; grep -qF "$1" "$TMP/pane.txt" && return; sleep 0.5; done
    cat "$TMP/pane.txt"; fail "'$1' is not in the terminal"
}
wait_pane "SeaBIOS (version"
wait_pane "No bootable device"
head -3 "$TMP/pane.txt"
tm send-keys a
guest_got_key 1e61
tm send-keys M-2
sleep 0.3
tm send-keys "info status" Enter
wait_pane "VM status: running"
echo "monitor in curses: $(grep 'VM status' "$TMP/pane.txt")"
tm send-keys M-1
wait_pane "SeaBIOS (version"
echo "curses: BIOS text, keys to the guest, Alt-2 monitor ok"
