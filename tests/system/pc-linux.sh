#!/bin/bash
# Linux on the pc machine: the kernel of Debian's debian-installer-12-netboot-i386 (and
# -amd64 with MIMIC_PC_ARCHES="i386 amd64") with a busybox initramfs built here
# (busybox-static:i386 / busybox-static, plus button.ko and evdev.ko from the matching
# linux-image package so that acpid sees the power button), booted directly with
# -kernel/-initrd/-append and -smp 2 under the translator. At the shell prompt on the
# serial console the test types a command that prints what the guest sees (CPUs online and
# in /proc/cpuinfo with the fpu flag, the PCI functions, the ACPI/PNP devices of the DSDT,
# interrupt links, the serial port, the i8042 keyboard, no kernel warnings); then system_powerdown on the monitor reaches the
# guest as an ACPI power-button event, acpid runs "poweroff -f", and the emulator exits
# with status 0 after the ACPI S5 request. Payloads are cached in ~/.cache/mimic
# (MIMIC_CACHE); without network access to Debian's archive the test skips.
set -u
: "${MIMIC_BUILD_DIR:?run through make check}"
CACHE=${MIMIC_CACHE:-$HOME/.cache/mimic}
LOCK=/work/wt/apt.lock; [ -e "$LOCK" ] || LOCK=$CACHE/apt.lock
mkdir -p "$CACHE"
TMP=$(mktemp -d); pid=
trap '[ -n "$pid" ] && kill $pid 2>/dev/null; rm -rf "$TMP"' EXIT

skip() { echo "$*"; exit 77; }
fail() { echo "FAIL: $*"; [ -f "$TMP/out" ] && tail -n 40 "$TMP/out"; exit 1; }

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

# kernel ARCH: the netboot kernel, extracted once
kernel() {
    local arch=$1 deb k
    deb=$(fetch "debian-installer-12-netboot-$arch" "debian-installer-12-netboot-${arch}_*.deb")
    k=$CACHE/${deb##*/}.linux
    if [ ! -s "$k" ]; then
        dpkg-deb --fsys-tarfile "$deb" |
            tar -xO "./usr/lib/debian-installer/images/12/$arch/text/debian-installer/$arch/linux" \
            >"$k.tmp" && mv "$k.tmp" "$k"
    fi
    [ -s "$k" ] || fail "no text-installer kernel in $deb"
    echo "$k"
}

# abi KERNEL: "6.1.0-50-686", from the bzImage's kernel_version string (setup header 0x20e)
abi() {
    python3 - "$1" <<'PY'
import struct, sys
d = open(sys.argv[1], "rb").read(65536)
off = struct.unpack_from("<H", d, 0x20e)[0] + 0x200
print(d[off:d.index(b"\0", off)].split(b" ")[0].decode())
PY
}

# modules ABI ARCHPKG: button.ko and evdev.ko of linux-image-ABI, extracted once
modules() {
    local dir=$CACHE/linux-modules-$1 deb
    if [ ! -s "$dir/button.ko" ] || [ ! -s "$dir/evdev.ko" ]; then
        deb=$(fetch "linux-image-$1:$2" "linux-image-${1}_*_$2.deb")
        mkdir -p "$dir"
        dpkg-deb --fsys-tarfile "$deb" | tar -x -C "$TMP" \
            "./lib/modules/$1/kernel/drivers/acpi/button.ko" \
            "./lib/modules/$1/kernel/drivers/input/evdev.ko" || fail "no button.ko/evdev.ko in $deb"
        cp "$TMP/lib/modules/$1/kernel/drivers/acpi/button.ko" \
           "$TMP/lib/modules/$1/kernel/drivers/input/evdev.ko" "$dir/"
    fi
    echo "$dir"
}

# newc cpio with /dev/console, without root: python3 writes the archive
make_initramfs() {
    python3 - "$1" "$2" <<'PY'
import os, sys, gzip, stat
root, out = sys.argv[1], sys.argv[2]
def hdr(name, mode, size, rdev=(0, 0), ino=[1]):
    ino[0] += 1
    f = [ino[0], mode, 0, 0, 1, 0, size, 0, 0, rdev[0], rdev[1], len(name) + 1, 0]
    h = b"070701" + b"".join(b"%08x" % v for v in f) + name.encode() + b"\0"
    return h + b"\0" * (-len(h) % 4)
data = bytearray(hdr("dev", stat.S_IFDIR | 0o755, 0))
data += hdr("dev/console", stat.S_IFCHR | 0o600, 0, (5, 1))
for d, dirs, files in os.walk(root):
    for n in sorted(dirs) + sorted(files):
        p = os.path.join(d, n)
        rel, st = os.path.relpath(p, root), os.lstat(p)
        if stat.S_ISDIR(st.st_mode):
            data += hdr(rel, st.st_mode, 0)
        else:
            b = os.readlink(p).encode() if stat.S_ISLNK(st.st_mode) else open(p, "rb").read()
            data += hdr(rel, st.st_mode, len(b)) + b + b"\0" * (-len(b) % 4)
data += hdr("TRAILER!!!", 0, 0)
open(out, "wb").write(gzip.compress(bytes(data)))
PY
}

# initramfs BUSYBOX_DEB MODULE_DIR OUT
initramfs() {
    local r=$TMP/root
    rm -rf "$r" "$TMP/bb"
    mkdir -p "$TMP/bb" "$r/bin" "$r/lib" "$r/proc" "$r/sys" "$r/etc/acpi/PWRF"
    dpkg-deb -x "$1" "$TMP/bb" && cp "$TMP/bb/bin/busybox" "$r/bin/busybox" || fail "no busybox in $1"
    cp "$2/button.ko" "$2/evdev.ko" "$r/lib/"
    cat >"$r/init" <<'INIT'
#!/bin/busybox sh
/bin/busybox --install -s /bin
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev
insmod /lib/evdev.ko
insmod /lib/button.ko
while [ ! -e /dev/input/event0 ]; do sleep 0.1; done
acpid -d -c /etc/acpi &
echo "MIMIC-READY"
exec setsid cttyhack sh
INIT
    cat >"$r/bin/report" <<'REPORT'
#!/bin/sh
echo "R-ONLINE=$(cat /sys/devices/system/cpu/online)"
echo "R-CPUINFO=$(grep -c ^processor /proc/cpuinfo) fpu=$(grep -c '^flags.*: fpu ' /proc/cpuinfo)"
echo "R-PCI=$(cd /sys/bus/pci/devices && echo *)"
echo "R-ACPI=$(cat /sys/bus/acpi/devices/*/hid | sort -u | tr '\n' ' ')"
echo "R-PNP=$(cat /sys/bus/pnp/devices/*/id | sort | tr '\n' ' ')"
echo "R-SERIAL=$(grep -c 'uart:16550A' /proc/tty/driver/serial)"
echo "R-KBD=$(grep -c 'AT .*Set 2 keyboard' /proc/bus/input/devices)"
echo "R-WARN=$(dmesg | grep -c -e 'unchecked MSR' -e 'WARNING:' -e 'BUG:')"
echo "R-ARITH=$((6 * 7)) $(uname -m)"
REPORT
    printf '#!/bin/sh\npoweroff -f\n' >"$r/etc/acpi/PWRF/00000080"
    chmod +x "$r/init" "$r/bin/report" "$r/etc/acpi/PWRF/00000080"
    make_initramfs "$r" "$3"
}

# wait_out TEXT SECONDS: until the serial output has TEXT
wait_out() {
    local start=$SECONDS
    until grep -qa -- "$1" "$TMP/out" 2>/dev/null; do
        grep -q "has no translator front end" "$TMP/out" && skip "no x86 translator front end"
        kill -0 $pid 2>/dev/null || fail "the emulator exited before '$1'"
        [ $((SECONDS - start)) -lt "$2" ] || fail "no '$1' after $2 s"
        sleep 0.2
    done
}

expect() { grep -qa -- "^$1" "$TMP/out" || fail "$arch: the guest's report lacks '$1'"; }

run_arch() {
    local arch=$1 bin=$2 bbpkg=$3 debarch=$4 k mods bb start rc
    k=$(kernel "$arch")
    mods=$(modules "$(abi "$k")" "$debarch")
    bb=$(fetch "$bbpkg" "busybox-static_*_$debarch.deb")
    initramfs "$bb" "$mods" "$TMP/initramfs-$arch.gz"
    rm -f "$TMP/in" "$TMP/out" "$TMP/mon"; mkfifo "$TMP/in"
    start=$SECONDS
    "$MIMIC_BUILD_DIR/$bin" -nographic -m 256 -smp 2 -no-reboot -kernel "$k" \
        -initrd "$TMP/initramfs-$arch.gz" -append "console=ttyS0 quiet" \
        -monitor "unix:$TMP/mon,server=on,wait=off" <"$TMP/in" >"$TMP/out" 2>&1 &
    pid=$!
    exec 7>"$TMP/in"
    wait_out "MIMIC-READY" 150
    wait_out "/ # " 20
    echo "$arch: shell after $((SECONDS - start)) s"
    echo "report" >&7
    wait_out "R-ARITH=" 30
    expect "R-ONLINE=0-1"
    expect "R-CPUINFO=2 fpu=2"
    for dev in 00:00.0 00:01.0 00:01.3; do
        grep -qa "^R-PCI=.*0000:$dev" "$TMP/out" || fail "$arch: PCI function $dev not found"
    done
    for id in PNP0A03 PNP0C0F LNXPWRBN PNP0B00 PNP0303 PNP0501; do
        grep -qa "^R-ACPI=.*$id" "$TMP/out" || fail "$arch: ACPI device $id not enumerated"
    done
    for id in PNP0b00 PNP0303 PNP0f13 PNP0501; do
        grep -qa "^R-PNP=.*$id" "$TMP/out" || fail "$arch: PNP device $id not found"
    done
    expect "R-SERIAL=1"
    expect "R-KBD=1"
    expect "R-WARN=0"
    expect "R-ARITH=42 "
    grep -a "^R-" "$TMP/out" | sed "s/^/$arch: /"
    python3 - "$TMP/mon" <<'PY' || fail "$arch: cannot reach the monitor"
import socket, sys, time
s = socket.socket(socket.AF_UNIX); s.connect(sys.argv[1]); time.sleep(0.3)
s.sendall(b"system_powerdown\n"); time.sleep(0.5)
PY
    for _ in $(seq 1 150); do kill -0 $pid 2>/dev/null || break; sleep 0.2; done
    kill -0 $pid 2>/dev/null && fail "$arch: system_powerdown did not power the guest off"
    wait $pid; rc=$?; pid=
    exec 7>&-
    grep -qa "acpid: PWRF/00000080" "$TMP/out" || fail "$arch: acpid did not see the power button"
    [ $rc -eq 0 ] || fail "$arch: exit status $rc after the guest powered off"
    echo "$arch: system_powerdown -> ACPI power button -> acpid -> poweroff: exit 0 after $((SECONDS - start)) s"
}

for arch in ${MIMIC_PC_ARCHES:-i386}; do
    case $arch in
        i386) run_arch i386 mimic-system-i386 busybox-static:i386 i386 ;;
        amd64) run_arch amd64 mimic-system-x86_64 busybox-static amd64 ;;
        *) fail "unknown MIMIC_PC_ARCHES entry $arch" ;;
    esac
done
