#!/bin/bash
# SIGTERM ends the emulator cleanly (exit 0) and a pidfile is written and removed.
. "$(dirname "$0")/lib.sh"
"$I386" -M none -display none -pidfile "$TMP/pid" -monitor none &
pid=$!
for _ in $(seq 100); do [ -s "$TMP/pid" ] && break; sleep 0.05; done
[ -s "$TMP/pid" ] || fail "pidfile not written"
[ "$(cat "$TMP/pid")" = "$pid" ] || fail "pidfile holds $(cat "$TMP/pid"), not $pid"
kill -TERM $pid
wait $pid; rc=$?
[ $rc -eq 0 ] || fail "exit status $rc after SIGTERM"
[ ! -e "$TMP/pid" ] || fail "pidfile left behind"
echo "signal handling ok"
