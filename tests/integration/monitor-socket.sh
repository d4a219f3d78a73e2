#!/bin/bash
# HMP on a unix socket: banner on every connection, line editing and completion fed as raw
# terminal bytes through the real chardev, and HMP stop/cont seen as QMP events on a
# second socket; QMP quit ends the emulator with status 0.
set -u
: "${MIMIC_BUILD_DIR:?run through make check}" "${MIMIC_SRC_DIR:?run through make check}"
BIN=$MIMIC_BUILD_DIR/mimic-system-i386
command -v python3 >/dev/null || { echo "python3 is not installed"; exit 77; }
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
fail() { echo "FAIL: $*"; exit 1; }

# Until the machine can start (command line, accelerator), there is nothing to drive.
if ! printf 'quit\n' | timeout 10 "$BIN" -M none -display none -monitor stdio >/dev/null 2>&1; then
    echo "mimic-system-i386 -M none cannot start yet"
    exit 77
fi

timeout 60 "$BIN" -M none -display none -monitor "unix:$TMP/hmp.sock,server=on,wait=off" \
    -qmp "unix:$TMP/qmp.sock,server=on,wait=off" >"$TMP/out" 2>&1 &
pid=$!
timeout 50 python3 - "$TMP" "$(cat "$MIMIC_SRC_DIR/VERSION")" <<'PY' || { kill $pid 2>/dev/null; cat "$TMP/out"; fail "session"; }
import json, socket, sys, time

tmp, version = sys.argv[1], sys.argv[2]

def connect(path):
    deadline = time.time() + 10
    while True:
        s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        try:
            s.connect(path)
            s.settimeout(10)
            return s
        except (FileNotFoundError, ConnectionRefusedError):
            s.close()
            if time.time() > deadline:
                raise
            time.sleep(0.05)

class Hmp:
    PROMPT = b"(mimic) \x1b[K"

    def __init__(self):
        self.s = connect(tmp + "/hmp.sock")
        self.buf = b""
        self.banner = self.until(lambda b: b.find(self.PROMPT))

    def until(self, find):
        """Reads until find(buffer) >= 0; returns the buffer up to there and keeps the rest."""
        while find(self.buf) < 0:
            chunk = self.s.recv(4096)
            if not chunk:
                raise EOFError(self.buf)
            self.buf += chunk
        end = find(self.buf) + len(self.PROMPT)
        data, self.buf = self.buf[:end], self.buf[end:]
        return data

    def run(self, keys):
        """Sends raw keys ending in CR; returns what the command printed (after the
        Enter's CR LF, before the next prompt). Redraws before Enter have no CR LF."""
        self.s.sendall(keys)
        def find(b):
            nl = b.find(b"\r\n")
            return -1 if nl < 0 else b.find(self.PROMPT, nl)
        data = self.until(find)
        return data[data.find(b"\r\n") + 2:].decode(errors="replace")

class Qmp:
    def __init__(self):
        self.s = connect(tmp + "/qmp.sock")
        self.f = self.s.makefile("rb")
        self.greeting = self.read()

    def read(self):
        return json.loads(self.f.readline())

    def cmd(self, name, **args):
        msg = {"execute": name}
        if args:
            msg["arguments"] = args
        self.s.sendall(json.dumps(msg).encode() + b"\n")
        while True:
            r = self.read()
            if "event" not in r:
                return r

    def event(self):
        while True:
            r = self.read()
            if "event" in r:
                return r

h = Hmp()
assert b"monitor - type 'help'" in h.banner, h.banner
# completion: "inf<TAB>st<TAB>" becomes "info status "
assert "VM status: running" in h.run(b"inf\tst\t\r")
# editing: type garbage, move left twice, Ctrl-A, Ctrl-K clears it; then a real command
out = h.run(b"bogus\x1b[D\x1b[D\x01\x0binfo version\r")
assert out.startswith(version + "\r\n"), out
# an escape sequence split over two writes, then history: Up recalls "info version"
h.s.sendall(b"\x1b")
time.sleep(0.1)
h.s.sendall(b"[A")
out = h.run(b"\r")
assert out.startswith(version + "\r\n"), out
assert "unknown command: 'frob'" in h.run(b"frob\r")

q = Qmp()
assert q.cmd("qmp_capabilities") == {"return": {}}
h.run(b"stop\r")
assert q.event()["event"] == "STOP"
assert q.cmd("query-status")["return"]["status"] == "paused"
h.run(b"c\r")
assert q.event()["event"] == "RESUME"

# a new connection gets the banner again
h.s.close()
h2 = Hmp()
assert b"monitor - type 'help'" in h2.banner
assert "VM status: running" in h2.run(b"info status\r")

assert q.cmd("quit") == {"return": {}}
ev = q.event()
assert ev["event"] == "SHUTDOWN" and ev["data"]["reason"] == "host-qmp-quit", ev
print("HMP socket session ok")
PY
wait $pid
rc=$?
[ $rc -eq 0 ] || { cat "$TMP/out"; fail "emulator exit status $rc after quit"; }
echo "monitor on a unix socket ok"
