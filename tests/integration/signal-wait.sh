#!/bin/bash
# SIGTERM, SIGINT and SIGHUP end the process while a server chardev waits for its first
# client (issue 14), as they end QEMU then: by the signal's default action.
. "$(dirname "$0")/lib.sh"
# stuck_report PID: what a process that never printed its waiting message is doing (a
# loaded host, or a hang at start-up: once seen under three parallel make checks).
stuck_report() {
    echo "--- process $1: $(grep -E '^State' /proc/$1/status 2>/dev/null), wchan $(cat /proc/$1/wchan 2>/dev/null)"
    command -v gdb >/dev/null &&
        timeout 60 gdb -batch -p "$1" -ex "thread apply all bt" 2>/dev/null | grep -E '^(Thread|#)' | head -60
    uptime
}

try() {
    local sig=$1 num=$2; shift 2
    # the previous try's output (with its waiting message) must not be matched before
    # this process's redirection truncates the file: start without one
    rm -f "$TMP/sock" "$TMP/out"
    "$I386" -M none -display none "$@" </dev/null >"$TMP/out" 2>&1 &
    local pid=$!
    for _ in $(seq 600); do grep -q "waiting for connection" "$TMP/out" && break; sleep 0.05; done
    grep -q "waiting for connection" "$TMP/out" || { stuck_report $pid; kill -9 $pid; cat "$TMP/out"; fail "$*: no waiting message"; }
    kill -$sig $pid
    for _ in $(seq 400); do kill -0 $pid 2>/dev/null || break; sleep 0.05; done
    if kill -0 $pid 2>/dev/null; then kill -9 $pid; fail "$sig ignored while waiting ($*)"; fi
    wait $pid; local rc=$?
    [ $rc -eq $((128 + num)) ] || fail "$sig while waiting: exit $rc, expected $((128 + num))"
    echo "ok: $sig ends '$*' (exit $rc)"
}
try TERM 15 -qmp unix:$TMP/sock,server=on
try INT 2 -monitor unix:$TMP/sock,server=on,wait=on
try HUP 1 -serial unix:$TMP/sock,server=on
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])' 2>/dev/null || echo 44551)
try TERM 15 -serial tcp:127.0.0.1:$port,server
