#!/bin/bash
# stdio on a terminal: raw while running, the Ctrl-A mux keys work (-serial mon:stdio; -M
# none has no serial port, so -nographic alone gives the monitor plain stdio, as QEMU),
# and the terminal modes come back on every way out (C-a x, SIGTERM/SEGV/ABRT/QUIT).
set -u
: "${MIMIC_BUILD_DIR:?run through make check}"
I386=$MIMIC_BUILD_DIR/mimic-system-i386
command -v python3 >/dev/null || { echo "python3 not installed"; exit 77; }
# This needs a binary that can run a machine; until then (no accelerator...) skip.
probe_err=$(mktemp)
timeout 30 "$I386" -M none -display none -monitor none -S </dev/null 2>"$probe_err" &
probe=$!
sleep 1
if ! kill -0 $probe 2>/dev/null; then
    echo "mimic-system-i386 -M none does not stay up yet: $(head -c 200 "$probe_err")"
    rm -f "$probe_err"
    exit 77
fi
kill $probe; wait $probe 2>/dev/null
rm -f "$probe_err"
exec timeout 120 python3 - "$I386" <<'PY'
import os, pty, select, signal, sys, termios, time

binary = sys.argv[1]

def fail(msg):
    print("FAIL:", msg)
    sys.exit(1)

def start(*args):
    pid, fd = pty.fork()
    if pid == 0:
        os.execv(binary, [binary, "-M", "none"] + list(args))
    return pid, fd

def read_until(fd, needle, timeout=10.0):
    out, end = b"", time.time() + timeout
    while needle not in out and time.time() < end:
        r, _, _ = select.select([fd], [], [], 0.1)
        if r:
            try:
                out += os.read(fd, 4096)
            except OSError:
                break
    if needle not in out:
        fail("did not see %r in %r" % (needle, out))
    return out

def canonical(fd):
    return bool(termios.tcgetattr(fd)[3] & termios.ICANON)

def wait_raw(fd):
    # Raw mode is set while the command line is processed: the banner comes after it.
    read_until(fd, b"(mimic)")
    if canonical(fd):
        fail("terminal not in raw mode while running")
    # The main loop answers only once start-up is over (vCPU threads created): a fatal
    # signal sent in the middle of thread creation deadlocks ASan's own report.
    os.write(fd, b"info status\r")
    read_until(fd, b"VM status")

# Keys through the mux, then C-a x.
pid, fd = start("-display", "none", "-serial", "mon:stdio")
wait_raw(fd)
os.write(fd, b"\x01h")
read_until(fd, b"C-a x    exit emulator")
os.write(fd, b"info chardev\r")
read_until(fd, b"filename=mux")
os.write(fd, b"\x01x")
read_until(fd, b"mimic: terminated")
_, status = os.waitpid(pid, 0)
if not (os.WIFEXITED(status) and os.WEXITSTATUS(status) == 0):
    fail("C-a x: exit status %r" % status)
if not canonical(fd):
    fail("terminal left raw after C-a x")
os.close(fd)
print("ok: C-a h, info chardev, C-a x; terminal restored")

# mon:stdio is QEMU's signal=off: Ctrl-C is a byte for the guest/monitor, not SIGINT.
pid, fd = start("-display", "none", "-serial", "mon:stdio")
wait_raw(fd)
if termios.tcgetattr(fd)[3] & termios.ISIG:
    fail("mon:stdio left ISIG on: Ctrl-C would kill the emulator")
os.write(fd, b"\x03")
time.sleep(0.3)
os.write(fd, b"info status\r")
read_until(fd, b"VM status")
os.write(fd, b"\x01x")
read_until(fd, b"mimic: terminated")
os.waitpid(pid, 0)
os.close(fd)
print("ok: Ctrl-C under mon:stdio reaches the guest side, the emulator lives")

for sig in (signal.SIGTERM, signal.SIGSEGV, signal.SIGABRT, signal.SIGQUIT):
    pid, fd = start("-nographic")
    wait_raw(fd)
    os.kill(pid, sig)
    _, status = os.waitpid(pid, 0)
    if not canonical(fd):
        fail("terminal left raw after %s" % sig.name)
    died = os.WIFSIGNALED(status) and os.WTERMSIG(status) == sig
    # SIGTERM may be a clean shutdown; under the sanitizers SIGSEGV ends in their report.
    sanitized = sig == signal.SIGSEGV and os.WIFEXITED(status) and os.WEXITSTATUS(status) != 0
    if sig != signal.SIGTERM and not died and not sanitized:
        fail("%s: expected death by the signal, got status %r" % (sig.name, status))
    os.close(fd)
    print("ok: %s restores the terminal" % sig.name)
PY
