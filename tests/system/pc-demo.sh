#!/bin/bash
# The README's demo (scripts/demo) driven through a pseudo-terminal as a user would: the
# i386 Linux guest reaches its shell prompt on the terminal, a command runs, Ctrl-A c
# switches to the monitor where "info status" answers, Ctrl-A c switches back, the guest
# still answers, and "poweroff" in the guest ends the emulator with exit status 0.
# Payloads as tests/system/pc-linux.sh (Debian's archive, cached); without them it skips.
set -u
: "${MIMIC_BUILD_DIR:?run through make check}" "${MIMIC_SRC_DIR:?run through make check}"
exec python3 - "$MIMIC_SRC_DIR/scripts/demo" <<'PY'
import os, pty, re, select, sys, time

demo = sys.argv[1]
pid, fd = pty.fork()
if pid == 0:
    os.execv("/bin/bash", ["bash", demo])
out = b""

def fail(msg):
    sys.stdout.write("FAIL: %s\n--- terminal (last 1500 bytes) ---\n" % msg)
    sys.stdout.write(out[-1500:].decode("utf-8", "replace") + "\n")
    try:
        os.kill(pid, 9)
    except OSError:
        pass
    sys.exit(1)

def read_some(timeout):
    global out
    r, _, _ = select.select([fd], [], [], timeout)
    if not r:
        return True
    try:
        data = os.read(fd, 4096)
    except OSError:
        data = b""
    if not data:
        return False                    # the demo exited
    out += data
    return True

def wait_for(pattern, seconds, start=0):
    end = time.time() + seconds
    while time.time() < end:
        if re.search(pattern, out[start:]):
            return
        if not read_some(0.2):
            break
    if re.search(pattern, out[start:]):
        return
    if b"cannot download" in out:
        sys.stdout.write(out.decode("utf-8", "replace")[-300:] + "\n")
        os.kill(pid, 9)
        sys.exit(77)
    fail("no %r on the terminal after %d s" % (pattern, seconds))

def send(data):
    os.write(fd, data)

t0 = time.time()
wait_for(rb"Mimic demo: Debian's \S+ kernel", 300)
wait_for(rb"/ # ", 60)
print("demo: shell prompt after %.1f s" % (time.time() - t0))
mark = len(out)
send(b"echo DEMO-$((6 * 7)) $(grep -c ^processor /proc/cpuinfo) $(uname -m)\r")
wait_for(rb"DEMO-42 2 i686", 60, mark)
mark = len(out)
send(b"\x01c")
wait_for(rb"\(mimic\) ", 30, mark)
mark = len(out)
send(b"info status\r")
wait_for(rb"VM status: running", 30, mark)
print("demo: Ctrl-A c -> monitor -> 'info status' says running")
send(b"\x01c")
time.sleep(0.3)
mark = len(out)
send(b"echo BACK-$((2 + 3))\r")
wait_for(rb"BACK-5", 60, mark)
send(b"poweroff\r")
end = time.time() + 60
wpid = 0
while time.time() < end and wpid == 0:
    if not read_some(0.2):
        time.sleep(0.1)
    wpid, status = os.waitpid(pid, os.WNOHANG)
if wpid == 0:
    fail("the emulator still runs 60 s after poweroff")
if not os.WIFEXITED(status) or os.WEXITSTATUS(status) != 0:
    fail("exit status %r after poweroff" % status)
print("demo: guest poweroff -> exit status 0 after %.1f s" % (time.time() - t0))
PY
