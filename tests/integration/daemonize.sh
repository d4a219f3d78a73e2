#!/bin/bash
# -daemonize (issue 14): the parent returns only once the child is ready (pidfile written,
# QMP socket listening), the daemon's vCPU threads exist (QMP stop answers, SIGTERM ends
# it), a child's start-up error is printed and the parent exits 1; -monitor stdio refused.
. "$(dirname "$0")/lib.sh"
command -v python3 >/dev/null || { echo "python3 is not installed"; exit 77; }
sock=$TMP/qmp.sock
timeout 10 "$I386" -M none -display none -daemonize -pidfile "$TMP/pid" \
    -qmp unix:$sock,server=on,wait=off </dev/null; rc=$?
[ $rc -eq 0 ] || fail "parent exited $rc"
[ -s "$TMP/pid" ] || fail "pidfile not written when the parent returned"
[ -S "$sock" ] || fail "QMP socket not listening when the parent returned"
pid=$(cat "$TMP/pid")
kill -0 "$pid" || fail "daemon $pid is not running"
PYTHONPATH=$(dirname "$0") timeout 20 python3 - "$sock" <<'PY' || { kill -9 "$pid"; fail "QMP stop in the daemon"; }
import sys
from qmp_client import QMP
q = QMP(sys.argv[1])
assert q.cmd("qmp_capabilities") == {"return": {}}
assert q.cmd("stop") == {"return": {}}
q.wait_event("STOP")
assert q.cmd("query-status")["return"]["status"] == "paused"
assert q.cmd("cont") == {"return": {}}
PY
kill -TERM "$pid"
for _ in $(seq 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.05; done
kill -0 "$pid" 2>/dev/null && { kill -9 "$pid"; fail "daemon ignored SIGTERM"; }
[ ! -e "$TMP/pid" ] || fail "pidfile left behind by the daemon"
echo "ok: daemon ready, stop answered, SIGTERM ended it"

expect_error "cannot create PID file: Could not create '/nonexistent/dir/p.pid'" \
    -M none -display none -daemonize -pidfile /nonexistent/dir/p.pid
expect_error "-monitor stdio: cannot use stdio with -daemonize" \
    -M none -display none -daemonize -monitor stdio
expect_error "-serial stdio: cannot use stdio with -daemonize" \
    -M none -display none -daemonize -serial stdio
