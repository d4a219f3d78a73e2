# Shared by the disk tests that boot Linux (sourced): Debian's i386 netboot kernel, the
# matching linux-image package's disk modules (ata_piix, sd_mod, sr_mod, ...), busybox,
# and an initramfs whose /init loads the modules, then runs the guest part named by
# "mimic.test=NAME" on the kernel command line (disk-guests/guest.sh). Payloads are cached
# in ~/.cache/mimic (MIMIC_CACHE). Sets KERNEL, INITRD; needs TMP.
: "${MIMIC_BUILD_DIR:?run through make check}" "${MIMIC_SRC_DIR:?run through make check}"
CACHE=${MIMIC_CACHE:-$HOME/.cache/mimic}
LOCK=/work/wt/apt.lock; [ -e "$LOCK" ] || LOCK=$CACHE/apt.lock
mkdir -p "$CACHE"
GUESTS=$MIMIC_SRC_DIR/tests/system/disk-guests
# LINUX_MODULES / LINUX_INIT (set before sourcing): other modules and /init (display tests);
# DISK_EXTRA_MODULES adds more to the disk ones, e.g. the virtio ones for virtio-blk
DISK_MODULES=${LINUX_MODULES:-"ata_piix ahci sd_mod sr_mod isofs crct10dif_generic ${DISK_EXTRA_MODULES:-}"}

# The kernel's serial console. no_timer_check: at boot Linux wants more than 4 timer ticks
# within 160 million TSC cycles (160 ms at Mimic's 1 GHz TSC, which follows host time) and
# panics with "IO-APIC + timer doesn't work!" otherwise; a translator on a loaded host can
# miss that window although the timer works (seen once in 6 boots with 2 tests and a CPU
# hog on 2 cores; QEMU under TCG has the same check to pass, KVM guests skip it).
CONSOLE="console=ttyS0 no_timer_check"

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

deb=$(fetch debian-installer-12-netboot-i386 'debian-installer-12-netboot-i386_*.deb') || exit $?
KERNEL=$CACHE/${deb##*/}.linux
if [ ! -s "$KERNEL" ]; then
    dpkg-deb --fsys-tarfile "$deb" |
        tar -xO ./usr/lib/debian-installer/images/12/i386/text/debian-installer/i386/linux \
        >"$KERNEL.tmp" && mv "$KERNEL.tmp" "$KERNEL"
fi
[ -s "$KERNEL" ] || fail "no text-installer kernel in $deb"
# the modules' ABI from the kernel's version string ("6.1.0-50-686")
abi=$(strings "$KERNEL" | sed -n 's/^\([0-9][0-9.]*-[0-9]*-686\) .*/\1/p' | head -n 1)
[ -n "$abi" ] || fail "cannot read the kernel's ABI from its version string"
moddeb=$(fetch "linux-image-$abi:i386" "linux-image-${abi}_*_i386.deb") || exit $?
MODDIR=$CACHE/modules-$abi
if [ ! -d "$MODDIR" ]; then
    rm -rf "$MODDIR.tmp"; mkdir -p "$MODDIR.tmp"
    dpkg-deb --fsys-tarfile "$moddeb" | tar -x -C "$MODDIR.tmp" "./lib/modules/$abi/kernel" &&
        mv "$MODDIR.tmp/lib/modules/$abi/kernel" "$MODDIR" && rm -rf "$MODDIR.tmp"
fi
bbdeb=$(fetch busybox-static:i386 'busybox-static_*_i386.deb') || exit $?

mkdir -p "$TMP/bb" "$TMP/root/bin" "$TMP/root/proc" "$TMP/root/sys" "$TMP/root/mnt" "$TMP/root/lib/modules"
dpkg-deb -x "$bbdeb" "$TMP/bb"
cp "$TMP/bb/bin/busybox" "$TMP/root/bin/busybox"
python3 "$GUESTS/modules.py" "$MODDIR" $DISK_MODULES >"$TMP/modorder" || fail "module dependencies"
while read -r ko; do
    cp "$MODDIR/$ko" "$TMP/root/lib/modules/"
    echo "/lib/modules/${ko##*/}" >>"$TMP/root/lib/modules/order"
done <"$TMP/modorder"
cp "${LINUX_INIT:-$GUESTS/guest.sh}" "$TMP/root/init"
cp "$GUESTS/bench.sh" "$TMP/root/bench.sh"
chmod +x "$TMP/root/init" "$TMP/root/bench.sh"
INITRD=$TMP/initrd.gz
python3 "$GUESTS/mkinitramfs.py" "$TMP/root" "$INITRD" || fail "initramfs"

# start OUT ARGS...: the emulator in the background (serial to OUT, HMP on $TMP/mon)
start() {
    local out=$1; shift
    rm -f "$TMP/mon"
    "$MIMIC_BUILD_DIR/mimic-system-i386" -display none -m 256 -no-reboot \
        -serial "file:$out" -monitor "unix:$TMP/mon,server=on,wait=off" "$@" \
        </dev/null >"$out.err" 2>&1 &
    pid=$!
}
# wait_for OUT PATTERN [SECONDS]: fails the test when it does not show in time (default 240)
wait_for() {
    local n=$(( ${3:-240} * 2 ))
    for _ in $(seq 1 $n); do
        grep -aq "$2" "$1" 2>/dev/null && return 0
        grep -q "has no translator front end" "$1.err" && skip "no x86 translator front end in this build"
        kill -0 $pid 2>/dev/null || break
        sleep 0.5
    done
    tr -d '\r' <"$1" | tail -n 30; cat "$1.err"
    dump_state
    fail "no '$2' on the serial console"
}
# dump_state: what the monitor shows of a guest that stopped making progress (CPU, its
# LAPIC and interrupt counts, twice two seconds apart), for the failure log
dump_state() {
    kill -0 $pid 2>/dev/null && [ -S "$TMP/mon" ] || return 0
    echo "--- monitor state of the stuck guest"
    monitor_info cpus registers lapic irq jit
    sleep 2
    monitor_info cpus irq
}
# monitor_info WHAT...: "info WHAT" for each, without the monitor's banner and prompts
monitor_info() {
    for c; do monitor "info $c" | tr -d '\r' | grep -v '^Mimic .* monitor\|^(mimic)'; done
}
# wait_exit SECONDS: the emulator ends by itself (poweroff -f with -no-reboot... ) in time
wait_exit() {
    for _ in $(seq 1 $(( $1 * 2 ))); do kill -0 $pid 2>/dev/null || break; sleep 0.5; done
    kill $pid 2>/dev/null; wait $pid; local rc=$?; pid=
    return $rc
}
monitor() { python3 - "$TMP/mon" "$1" <<'PY'
import socket, sys, time
s = socket.socket(socket.AF_UNIX); s.connect(sys.argv[1]); time.sleep(0.3)
s.sendall(sys.argv[2].encode() + b"\n"); time.sleep(1.0)
print(s.recv(65536).decode(errors="replace"))
PY
}
