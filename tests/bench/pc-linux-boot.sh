#!/bin/bash
# Linux boot on the pc machine, Mimic vs QEMU: Debian's netboot kernel with a busybox
# initramfs whose init runs the CPU-bound program of the x86 translator benchmark
# (tests/bench/x86-cpu/payload.c built as a static Linux program) and powers off; for
# i386 (debian-installer-12-netboot-i386, busybox-static:i386, an i686 program, under
# mimic-system-i386 and qemu-system-i386) and amd64 (-amd64, busybox-static, an x86-64
# program built without SSE, under mimic-system-x86_64 and qemu-system-x86_64);
# BENCH_ARCHES="i386 amd64" by default. The same kernel, initramfs and command line run
# under both emulators (QEMU through SeaBIOS, Mimic directly), -m 256, -smp 1. Prints, for
# BENCH_RUNS (3) alternated runs, the medians of: the boot (host CPU time, all threads,
# from start until init prints BENCH-READY) and the in-guest program (host CPU time between
# BENCH-READY and BENCH-END; init waits 1 s before the poweroff so that the sampler sees
# BENCH-END while the emulator runs), wall times, and the ratios mimic/QEMU (targets: boot <= 0.8,
# program <= 0.67). The program's results must be identical. CPU time is sampled from
# /proc every 20 ms (clock-tick resolution). A run that panics or lasts over BENCH_TIMEOUT
# (600) seconds is killed and left out. For Mimic it also prints the boot's translation
# figures from "info jit" (TBs translated, microseconds per TB).
set -u
: "${MIMIC_BUILD_DIR:?run through make bench}"
TMP=$(mktemp -d); pid=
trap '[ -n "$pid" ] && kill $pid 2>/dev/null; rm -rf "$TMP"' EXIT
. "$(dirname "$0")/../system/pc-linux-lib.sh"
runs=${BENCH_RUNS:-3}

# prepare ARCH: builds the program and $TMP/initramfs-ARCH.gz, sets k (the kernel),
# qemu and mimic (the binaries); returns 1 (with the reason) when something is missing
prepare() {
    local cc bbpkg debarch flags r=$TMP/root-$1
    case $1 in
        i386) cc=i686-linux-gnu-gcc bbpkg=busybox-static:i386 debarch=i386 flags="-m32"
              qemu=qemu-system-i386 mimic=mimic-system-i386 ;;
        amd64) cc=x86_64-linux-gnu-gcc bbpkg=busybox-static debarch=amd64
               flags="-m64 -mgeneral-regs-only" qemu=qemu-system-x86_64 mimic=mimic-system-x86_64 ;;
        *) echo "unknown BENCH_ARCHES entry $1"; return 1 ;;
    esac
    qemu=$(command -v $qemu) || { echo "SKIP $1: $qemu is not installed"; return 1; }
    mimic=$MIMIC_BUILD_DIR/$mimic
    command -v $cc >/dev/null || { echo "SKIP $1: $cc is not installed"; return 1; }
    # shellcheck disable=SC2086
    $cc $flags -O2 -ffreestanding -fno-pic -fno-stack-protector -nostdlib -static \
        -Wl,--build-id=none -DSCALE="${BENCH_SCALE:-8}" -DLINUX_USER -e _start \
        -o "$TMP/cpubench-$1" "$(dirname "$0")/x86-cpu/payload.c" -lgcc || fail "cannot build the program"
    k=$(kernel "$1") || exit $?
    bb=$(fetch "$bbpkg" "busybox-static_*_$debarch.deb") || exit $?
    mkdir -p "$TMP/bb-$1" "$r/bin" "$r/proc"
    dpkg-deb -x "$bb" "$TMP/bb-$1" && cp "$TMP/bb-$1/bin/busybox" "$r/bin/" &&
        cp "$TMP/cpubench-$1" "$r/bin/cpubench"
    cat >"$r/init" <<'INIT'
#!/bin/busybox sh
echo BENCH-READY
/bin/cpubench
echo BENCH-END
/bin/busybox sleep 1
/bin/busybox poweroff -f
INIT
    chmod +x "$r/init"
    make_initramfs "$r" "$TMP/initramfs-$1.gz"
    initramfs=$TMP/initramfs-$1.gz
}

# start_emulator BINARY (linux-bench-lib.sh)
start_emulator() {
    "$1" -display none -monitor "$(bench_monitor "$1")" -serial "file:$TMP/out" -no-reboot -m 256 -kernel "$k" \
        -initrd "$initramfs" -append "console=ttyS0 quiet" </dev/null >/dev/null 2>&1 &
    pid=$! BENCH_PID=$!
}
. "$(dirname "$0")/linux-bench-lib.sh"

status=0
for arch in ${BENCH_ARCHES:-i386 amd64}; do
    prepare "$arch" && bench_pair "$arch" "$qemu" "$mimic" "$runs"
done
exit $status
