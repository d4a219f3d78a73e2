#!/bin/bash
# QMP over a unix socket: greeting, capabilities, query-status, stop/cont with events,
# human-monitor-command, malformed input answered with errors, quit.
. "$(dirname "$0")/lib.sh"
command -v python3 >/dev/null || { echo "python3 is not installed"; exit 77; }
sock=$TMP/qmp.sock
timeout 60 "$I386" -M none -display none -qmp unix:$sock,server=on,wait=off \
    >"$TMP/out" 2>&1 &
pid=$!
PYTHONPATH=$(dirname "$0") timeout 50 python3 - "$sock" <<'PY' || { kill $pid; cat "$TMP/out"; fail "QMP session"; }
import sys
from qmp_client import QMP

q = QMP(sys.argv[1])
g = q.greeting["QMP"]
assert "version" in g and "qemu" in g["version"] and "capabilities" in g, g
r = q.cmd("query-status")
assert "error" in r and r["error"]["class"] == "CommandNotFound", r
assert q.cmd("qmp_capabilities") == {"return": {}}
r = q.cmd("query-status")["return"]
assert r["status"] == "running" and r["running"] is True, r
assert "major" in q.cmd("query-version")["return"]["qemu"]
assert q.cmd("stop") == {"return": {}}
q.wait_event("STOP")
assert q.cmd("query-status")["return"]["status"] == "paused"
assert q.cmd("cont") == {"return": {}}
q.wait_event("RESUME")
r = q.cmd("human-monitor-command", **{"command-line": "info status"})
assert "running" in r["return"], r
# id is echoed
q.send_raw('{"execute": "query-status", "id": "abc"}\n')
assert q.reply()["id"] == "abc"
# malformed input: each gets an error object and the session goes on
for bad in ['{"execute": }\n', '[1, 2]\n', '{"arguments": {}}\n', '"just a string"\n',
            '{"execute": "no-such-command"}\n', '{"execute": 42}\n',
            '[' * 5000 + ']' * 5000 + '\n']:
    q.send_raw(bad)
    r = q.reply()
    assert "error" in r and "desc" in r["error"], (bad[:40], r)
# a command split across writes
q.send_raw('{"exec')
q.send_raw('ute": "query-st')
q.send_raw('atus"}\n')
assert q.reply()["return"]["status"] == "running"
assert q.cmd("system_reset") == {"return": {}}
q.wait_event("RESET")
assert q.cmd("quit") == {"return": {}}
ev = q.wait_event("SHUTDOWN")
assert ev["data"]["guest"] is False, ev
print("QMP session ok")
PY
wait $pid; rc=$?
cat "$TMP/out"
[ $rc -eq 0 ] || fail "emulator exit status $rc after quit"
echo "qmp over unix socket ok"
