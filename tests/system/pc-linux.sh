#!/bin/bash
# Linux on the pc machine: the kernels of Debian's debian-installer-12-netboot-i386 on
# mimic-system-i386 and -amd64 on mimic-system-x86_64 (MIMIC_PC_ARCHES="i386 amd64" by
# default; set it to one of them to run only that one) with a busybox initramfs built here
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
TMP=$(mktemp -d); pid=
trap '[ -n "$pid" ] && kill $pid 2>/dev/null; rm -rf "$TMP"' EXIT
. "$(dirname "$0")/pc-linux-lib.sh"

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
dmesg | grep -e 'unchecked MSR' -e 'WARNING:' -e 'BUG:' | head -n 3 | sed 's/^/W-LINE /'
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

# idle_check ARCH BOUND: host CPU used by the emulator while the guest sits at its prompt
# for 10 s, in percent of a core; over BOUND fails (a sanitizer build only reports it).
# The issue's target is 2%. The amd64 kernel is NO_HZ: an idle CPU stops its tick, and the
# guest uses 0.2-0.4% (1.0-1.3% before the vCPU threads ran their own LAPIC timers), so
# its bound is 2%. Debian's 686 kernel is HZ_PERIODIC (CONFIG_HZ_PERIODIC=y, 250 Hz): each
# CPU takes 250 LAPIC timer interrupts a second even when idle, and about 60% of the host
# time then goes to the guest's own tick code in translated code (scheduler load balancing,
# timekeeping, hrtimers: ~8,000 guest instructions per tick); it uses 2.5-4.5% alone on
# this shared 2-core host (4.5-6.5% before, QEMU 7.2 about as much; ~10% less again after
# the jump cache and system call changes of docs/pc.md "Idle guests"), more beside a
# parallel make check's other tests (4-11% before), so its bound stays 10%. A window over the bound is measured once more and the
# lower figure judged (a loaded host only adds).
idle_pct() {
    local hz=$1 a b
    a=$(cpu_ticks $pid); sleep 10; b=$(cpu_ticks $pid)
    echo $(( (b - a) * 100 / (10 * hz) ))
}
idle_check() {
    local hz pct bound=$2
    hz=$(getconf CLK_TCK)
    sleep 2
    pct=$(idle_pct $hz)
    echo "$1: idle at the shell: $pct% of a core over 10 s (bound $bound%)"
    if [ $pct -ge $bound ]; then
        pct=$(idle_pct $hz)
        echo "$1: idle at the shell, second window: $pct% of a core over 10 s"
    fi
    if ! grep -q "SANITIZE_CONF=yes" "$MIMIC_BUILD_DIR/config.mak" 2>/dev/null && [ $pct -ge $bound ]; then
        fail "$1: the idle guest used $pct% of a host core (bound $bound%)"
    fi
}

run_arch() {
    local arch=$1 bin=$2 bbpkg=$3 debarch=$4 k mods bb start rc
    k=$(kernel "$arch") || exit $?
    mods=$(modules "$(abi "$k")" "$debarch") || exit $?
    bb=$(fetch "$bbpkg" "busybox-static_*_$debarch.deb") || exit $?
    initramfs "$bb" "$mods" "$TMP/initramfs-$arch.gz"
    rm -f "$TMP/in" "$TMP/out" "$TMP/mon"; mkfifo "$TMP/in"
    start=$SECONDS
    # no_timer_check: Linux's boot-time timer check (ticks within 160 ms of TSC time) can
    # fail on a loaded host although the timer works (disk-linux-lib.sh says more)
    "$MIMIC_BUILD_DIR/$bin" -nographic -m 256 -smp 2 -no-reboot -kernel "$k" \
        -initrd "$TMP/initramfs-$arch.gz" -append "console=ttyS0 quiet no_timer_check" \
        -monitor "unix:$TMP/mon,server=on,wait=off" <"$TMP/in" >"$TMP/out" 2>&1 &
    pid=$!
    exec 7>"$TMP/in"
    wait_out "MIMIC-READY" 300
    wait_out "/ # " 60
    echo "$arch: shell after $((SECONDS - start)) s"
    echo "report" >&7
    wait_out "R-ARITH=" 60
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
    [ "$arch" = amd64 ] && expect "R-ARITH=42 x86_64"
    grep -a "^R-" "$TMP/out" | sed "s/^/$arch: /"
    if [ "$arch" = amd64 ]; then idle_check "$arch" 2; else idle_check "$arch" 10; fi
    python3 - "$TMP/mon" <<'PY' || fail "$arch: cannot reach the monitor"
import socket, sys, time
s = socket.socket(socket.AF_UNIX); s.connect(sys.argv[1]); time.sleep(0.3)
s.sendall(b"system_powerdown\n"); time.sleep(0.5)
PY
    for _ in $(seq 1 300); do kill -0 $pid 2>/dev/null || break; sleep 0.2; done
    kill -0 $pid 2>/dev/null && fail "$arch: system_powerdown did not power the guest off"
    wait $pid; rc=$?; pid=
    exec 7>&-
    grep -qa "acpid: PWRF/00000080" "$TMP/out" || fail "$arch: acpid did not see the power button"
    [ $rc -eq 0 ] || fail "$arch: exit status $rc after the guest powered off"
    echo "$arch: system_powerdown -> ACPI power button -> acpid -> poweroff: exit 0 after $((SECONDS - start)) s"
}

for arch in ${MIMIC_PC_ARCHES:-i386 amd64}; do
    case $arch in
        i386) run_arch i386 mimic-system-i386 busybox-static:i386 i386 ;;
        amd64) run_arch amd64 mimic-system-x86_64 busybox-static amd64 ;;
        *) fail "unknown MIMIC_PC_ARCHES entry $arch" ;;
    esac
done
