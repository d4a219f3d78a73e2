#!/bin/bash
# Every option of QEMU 7.2's -h works or is refused in one line naming it as not supported
# (never "invalid option"); QEMU's value rules and spellings (issue 14).
. "$(dirname "$0")/lib.sh"
X86=$MIMIC_BUILD_DIR/mimic-system-x86_64
if command -v qemu-system-x86_64 >/dev/null; then
    opts=$(qemu-system-x86_64 -h | grep -oE '^-{1,2}[a-zA-Z0-9_-]+(/-[a-z]+)?' | tr '/' '\n' |
           sed 's/^--/-/' | sort -u)
else
    echo "qemu-system-x86_64 not installed: checking Mimic's refused list only"
    opts=$(grep -oE '^    \{ "[a-z0-9_-]+"' "$MIMIC_SRC_DIR/system/options-refused.c" |
           sed 's/.*"\(.*\)"/-\1/')
fi
n=0
for o in $opts; do
    out=$(timeout 0.5 "$X86" -M none -display none -monitor none -S "$o" x-arg </dev/null \
          2>&1 >/dev/null)
    case "$out" in
    *"invalid option"*) fail "$o: QEMU takes it, Mimic calls it invalid: $out" ;;
    *"not supported"*)
        [ "$(printf '%s\n' "$out" | grep -c .)" -eq 1 ] || fail "$o: more than one line: $out"
        case "$out" in *"$o"*) ;; *) fail "$o: refusal does not name it: $out" ;; esac ;;
    esac
    n=$((n + 1))
done
echo "ok: $n QEMU options work or are refused by name"

expect_error "-append only allowed with -kernel option" -M none -append quiet
expect_error "-initrd only allowed with -kernel option" -M none -initrd /etc/hostname
expect_error "could not find the PC BIOS '/nonexistent'" -M pc -bios /nonexistent
expect_error "-smp cpus=1,maxcpus=4: CPU hotplug is not supported" -M none -smp cpus=1,maxcpus=4
expect_error "-M none,foo=bar: Property 'none-machine.foo' not found" -M none,foo=bar
expect_error "-machine none,usb=on" -machine none,usb=on
expect_error "-numa node,mem=1G: this QEMU option is not supported by Mimic" -numa node,mem=1G
expect_error "-netdev tap,id=n0: netdev type 'tap' is not supported by Mimic (only 'user')" \
    -M none -netdev tap,id=n0
expect_error "-hda $TMP/d.img: machine type does not support if=ide" \
    -M none -hda "$(truncate -s 1M "$TMP/d.img"; echo "$TMP/d.img")"
expect_error "-uuid 12-34: Fail to parse UUID string" -M none -uuid 12-34
expect_error "-object secret,id=s0,data=x: object type 'secret' is not supported by Mimic" \
    -M none -object secret,id=s0,data=x
expect_error "Machine memory size does not match the size of the memory backend" \
    -M none,memory-backend=m0 -m 32 -object memory-backend-ram,id=m0,size=16M
expect_error "-M none,memory-backend=m1: memory backend not found" -M none,memory-backend=m1
# guest RAM from a file: the file exists with the backend's size while the machine runs
"$I386" -M none,memory-backend=m0 -object memory-backend-file,id=m0,size=4M,mem-path=$TMP/ram,share=on \
    -display none -monitor none -S -pidfile "$TMP/ram.pid" &
for _ in $(seq 100); do [ -s "$TMP/ram.pid" ] && break; sleep 0.05; done
[ "$(stat -c %s "$TMP/ram" 2>/dev/null)" = $((4 << 20)) ] || fail "memory-backend-file not mapped"
kill %1; wait
echo "ok: -object memory-backend-file as guest RAM"
expect_error "-mon chardev=nope: chardev \"nope\" not found" -M none -mon chardev=nope
expect_error "-accel tcg,thread=bogus: thread=bogus is not supported" \
    -M none -accel tcg,thread=bogus
expect_error "-nographic cannot be used with -daemonize" -M none -nographic -daemonize
expect_error "-k xx-yy-zz" -M none -k xx-yy-zz

# Accepted: QEMU spellings libvirt and scripts use. -M options merge; help lists properties.
"$I386" -M none,help | grep -q "dump-guest-core" || fail "-M none,help"
"$I386" -M none -M dump-guest-core=off,help | grep -q "accel" || fail "-M merge + help"
sock=$TMP/q.sock
timeout 20 "$I386" -machine none -machine accel=kvm:tcg,dump-guest-core=off,mem-merge=off \
    -m 0x10 -smp 1,sockets=1,dies=1,clusters=1,cores=1,threads=1 -no-user-config \
    -nodefaults -nographic -accel tcg,thread=multi -uuid c0ffee00-1234-5678-9abc-def012345678 \
    -name guest=vm1,debug-threads=on -msg timestamp=on -overcommit mem-lock=off -k en-us \
    -echr 20 -L "$TMP" -rtc base=utc -action reboot=shutdown,shutdown=pause,panic=none \
    -chardev socket,id=mon0,path=$sock,server=on,wait=off -mon chardev=mon0,mode=control \
    -S -pidfile "$TMP/pid" -daemonize 2>"$TMP/err" || fail "libvirt-style line: $(cat "$TMP/err")"
pid=$(cat "$TMP/pid")
PYTHONPATH=$(dirname "$0") timeout 10 python3 - "$sock" <<'PY' || { kill -9 "$pid"; fail "QMP on -mon"; }
import sys
from qmp_client import QMP
q = QMP(sys.argv[1])
assert q.cmd("qmp_capabilities") == {"return": {}}
assert q.cmd("query-status")["return"]["status"] == "prelaunch"
assert q.cmd("quit") == {"return": {}}
PY
for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
echo "ok: libvirt-style command line accepted, -mon mode=control answers"
# -msg timestamp=on prefixes errors with an ISO 8601 time
out=$("$I386" -msg timestamp=on -M bogus 2>&1)
echo "$out" | grep -qE '^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9:.]+Z mimic-system-i386: ' ||
    fail "-msg timestamp=on: $out"
echo "command-line fidelity ok"
