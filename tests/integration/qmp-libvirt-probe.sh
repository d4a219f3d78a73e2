#!/bin/bash
# QEMU 7.2's libvirt capability probe against each Mimic binary (issue 14): libvirt 9.0's
# command line (-S -no-user-config -nodefaults -nographic -machine none,accel=kvm:tcg -qmp
# ... -pidfile ... -daemonize), then the QMP commands libvirt sends, in its order; every
# answer is checked against the schema Mimic publishes (query-qmp-schema), and
# query-commands, the schema and the dispatcher must list the same commands.
. "$(dirname "$0")/lib.sh"
command -v python3 >/dev/null || { echo "python3 is not installed"; exit 77; }
for bin in i386 x86_64 arm; do
    emu=$MIMIC_BUILD_DIR/mimic-system-$bin
    sock=$TMP/qmp-$bin.sock
    for accel in kvm:tcg tcg; do
        rm -f "$TMP/pid"
        timeout 20 "$emu" -S -no-user-config -nodefaults -nographic -machine none,accel=$accel \
            -qmp unix:$sock,server=on,wait=off -pidfile "$TMP/pid" -daemonize 2>"$TMP/err" ||
            fail "$bin accel=$accel: probe command line refused: $(cat "$TMP/err")"
        pid=$(cat "$TMP/pid")
        PYTHONPATH=$(dirname "$0") timeout 60 python3 "$(dirname "$0")/qmp_probe.py" "$sock" \
            "$bin" || { kill -9 "$pid"; fail "$bin accel=$accel: probe answers"; }
        kill -TERM "$pid"
        for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
        kill -0 "$pid" 2>/dev/null && { kill -9 "$pid"; fail "$bin: SIGTERM ignored"; }
        echo "ok: $bin -machine none,accel=$accel probe"
    done
done
