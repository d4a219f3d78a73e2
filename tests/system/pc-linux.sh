#!/bin/bash
# Linux on the pc machine: the kernels of Debian's debian-installer-12-netboot-i386 and
# -amd64 with a busybox initramfs built here (busybox-static:i386), booted directly with
# -kernel/-initrd/-append: a shell on the serial console runs commands, -smp 2 shows two
# CPUs online, "poweroff -f" ends with exit status 0, and system_powerdown from the
# monitor powers the guest off through ACPI (busybox acpid). Payloads are cached in
# ~/.cache/mimic (MIMIC_CACHE). Runs with MIMIC_LONG_TESTS=1; MIMIC_PC_ARCHES="i386 amd64"
# (the default) picks the kernels.
set -u
: "${MIMIC_BUILD_DIR:?run through make check}"
[ "${MIMIC_LONG_TESTS:-0}" = 1 ] ||
    { echo "long test (downloads Debian's kernels, boots Linux): MIMIC_LONG_TESTS=1"; exit 77; }
CACHE=${MIMIC_CACHE:-$HOME/.cache/mimic}
LOCK=/work/wt/apt.lock; [ -e "$LOCK" ] || LOCK=$CACHE/apt.lock
mkdir -p "$CACHE"
TMP=$(mktemp -d); trap 'kill $pid 2>/dev/null; rm -rf "$TMP"' EXIT
pid=

skip() { echo "$*"; exit 77; }
fail() { echo "FAIL: $*"; exit 1; }

# fetch PACKAGE GLOB: the cached .deb (downloaded once)
fetch() {
    local f
    f=$(ls "$CACHE"/$2 2>/dev/null | head -n 1)
    if [ -z "$f" ]; then
        (cd "$CACHE" && flock "$LOCK" apt-get download "$1") >"$TMP/apt.log" 2>&1 ||
            skip "cannot download $1 (apt-get download failed: $(tail -n 1 "$TMP/apt.log"))"
        f=$(ls "$CACHE"/$2 | head -n 1)
    fi
    echo "$f"
}

# newc cpio with /dev/console, without root: python3 writes the archive
make_initramfs() {
    local root=$1 out=$2
    python3 - "$root" "$out" <<'PY'
import os, sys, gzip, stat
root, out = sys.argv[1], sys.argv[2]
entries = []
for d, dirs, files in os.walk(root):
    for n in sorted(dirs) + sorted(files):
        p = os.path.join(d, n)
        entries.append((os.path.relpath(p, root), p))
def hdr(name, mode, size, rdev=(0, 0), ino=[1]):
    ino[0] += 1
    f = [ino[0], mode, 0, 0, 1, 0, size, 0, 0, rdev[0], rdev[1], len(name) + 1, 0]
    h = b"070701" + b"".join(b"%08x" % v for v in f) + name.encode() + b"\0"
    return h + b"\0" * (-len(h) % 4)
data = bytearray()
data += hdr("dev", stat.S_IFDIR | 0o755, 0)
data += hdr("dev/console", stat.S_IFCHR | 0o600, 0, (5, 1))
for rel, p in entries:
    st = os.lstat(p)
    if stat.S_ISDIR(st.st_mode):
        data += hdr(rel, st.st_mode, 0)
    elif stat.S_ISLNK(st.st_mode):
        t = os.readlink(p).encode()
        data += hdr(rel, st.st_mode, len(t)) + t + b"\0" * (-len(t) % 4)
    else:
        b = open(p, "rb").read()
        data += hdr(rel, st.st_mode, len(b)) + b + b"\0" * (-len(b) % 4)
data += hdr("TRAILER!!!", 0, 0)
open(out, "wb").write(gzip.compress(bytes(data)))
PY
}

bb_deb=$(fetch busybox-static:i386 'busybox-static_*_i386.deb')
mkdir -p "$TMP/bb" "$TMP/root/bin" "$TMP/root/proc" "$TMP/root/sys" "$TMP/root/etc/acpi/PWRF"
dpkg-deb -x "$bb_deb" "$TMP/bb"
cp "$TMP/bb/bin/busybox" "$TMP/root/bin/busybox"
cat >"$TMP/root/init" <<'INIT'
#!/bin/busybox sh
/bin/busybox --install -s /bin
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev
acpid -c /etc/acpi
echo "MIMIC-READY online=$(cat /sys/devices/system/cpu/online)"
exec setsid cttyhack sh
INIT
printf '#!/bin/sh\npoweroff -f\n' >"$TMP/root/etc/acpi/PWRF/00000080"
chmod +x "$TMP/root/init" "$TMP/root/etc/acpi/PWRF/00000080"
make_initramfs "$TMP/root" "$TMP/initramfs.gz"

# boot ARCH BINARY: runs the guest, feeding commands after the prompt appears
boot() {
    local arch=$1 bin=$2 deb kernel
    deb=$(fetch "debian-installer-12-netboot-$arch" "debian-installer-12-netboot-${arch}_*.deb")
    kernel=$CACHE/${deb##*/}.linux
    if [ ! -s "$kernel" ]; then
        dpkg-deb --fsys-tarfile "$deb" |
            tar -xO "./usr/lib/debian-installer/images/12/$arch/text/debian-installer/$arch/linux" \
            >"$kernel.tmp" && mv "$kernel.tmp" "$kernel"
    fi
    [ -s "$kernel" ] || fail "no text-installer kernel in $deb"
    rm -f "$TMP/in" "$TMP/out"; mkfifo "$TMP/in"
    "$MIMIC_BUILD_DIR/$bin" -nographic -m 256 -smp 2 -no-reboot -kernel "$kernel" \
        -initrd "$TMP/initramfs.gz" -append "console=ttyS0 quiet" \
        -monitor "unix:$TMP/mon,server=on,wait=off" <"$TMP/in" >"$TMP/out" 2>&1 &
    pid=$!
    exec 7>"$TMP/in"
    for _ in $(seq 1 600); do
        grep -q "MIMIC-READY" "$TMP/out" && break
        grep -q "has no translator front end" "$TMP/out" && skip "no x86 translator front end"
        kill -0 $pid 2>/dev/null || break
        sleep 0.5
    done
    grep -q "MIMIC-READY online=0-1" "$TMP/out" || { tail -n 40 "$TMP/out"; fail "$arch: no shell with CPUs 0-1 online"; }
    echo 'echo "sum=$((6*7)) arch=$(uname -m)"' >&7
    sleep 2
    grep -q "sum=42" "$TMP/out" || { tail -n 20 "$TMP/out"; fail "$arch: the shell did not run a command"; }
}

for arch in ${MIMIC_PC_ARCHES:-i386 amd64}; do
    bin=mimic-system-i386; [ "$arch" = amd64 ] && bin=mimic-system-x86_64
    boot "$arch" "$bin"
    echo 'poweroff -f' >&7
    wait $pid; rc=$?
    exec 7>&-
    [ $rc -eq 0 ] || { tail -n 20 "$TMP/out"; fail "$arch: poweroff exit status $rc"; }
    echo "$arch: shell, 2 CPUs, poweroff ok"
    boot "$arch" "$bin"
    python3 - "$TMP/mon" <<'PY'
import socket, sys, time
s = socket.socket(socket.AF_UNIX); s.connect(sys.argv[1]); time.sleep(0.5)
s.sendall(b"system_powerdown\n"); time.sleep(1)
PY
    for _ in $(seq 1 60); do kill -0 $pid 2>/dev/null || break; sleep 0.5; done
    wait $pid; rc=$?
    exec 7>&-
    [ $rc -eq 0 ] || { tail -n 20 "$TMP/out"; fail "$arch: system_powerdown did not power off (exit $rc)"; }
    echo "$arch: system_powerdown through ACPI ok"
done
