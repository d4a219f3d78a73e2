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
# (600) seconds is killed and left out.
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

# run BINARY: prints "boot-cpu prog-cpu boot-wall prog-wall" (seconds); output in $TMP/out
run() {
    local hz t0 tr=-1 te=-1 cr=0 ce=0 c
    hz=$(getconf CLK_TCK)
    rm -f "$TMP/out"
    t0=$(date +%s.%N)
    "$1" -display none -monitor none -serial "file:$TMP/out" -no-reboot -m 256 -kernel "$k" \
        -initrd "$initramfs" -append "console=ttyS0 quiet" </dev/null >/dev/null 2>&1 &
    pid=$!
    while kill -0 $pid 2>/dev/null; do
        c=$(cpu_ticks $pid 2>/dev/null) || break
        if [ "$tr" = -1 ] && grep -qa BENCH-READY "$TMP/out" 2>/dev/null; then
            tr=$(date +%s.%N); cr=$c
        fi
        if [ "$te" = -1 ] && grep -qa BENCH-END "$TMP/out" 2>/dev/null; then
            te=$(date +%s.%N); ce=$c
        fi
        [ "$te" != -1 ] && break
        if grep -qa "Kernel panic" "$TMP/out" 2>/dev/null ||
           [ "$(echo "$(date +%s.%N) - $t0 > ${BENCH_TIMEOUT:-600}" | bc)" = 1 ]; then
            kill $pid; break           # QEMU's TCG on a loaded host: "IO-APIC + timer doesn't work"
        fi
        sleep 0.02
    done
    wait $pid 2>/dev/null; pid=
    [ "$te" != -1 ] || { echo "FAIL"; return; }
    printf '%.2f %.2f %.2f %.2f\n' "$(echo "$cr / $hz" | bc -l)" "$(echo "($ce - $cr) / $hz" | bc -l)" \
        "$(echo "$tr - $t0" | bc -l)" "$(echo "$te - $tr" | bc -l)"
}
median() { sort -g | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }
col() { printf '%s\n' "${@:2}" | cut -d' ' -f"$1" | median; }

# one: BINARY RESULTS-FILE: a run's figures, or nothing (with the reason) if it failed
one() {
    local t
    t=$(run "$1")
    if [ "$t" = FAIL ]; then
        echo "$(basename "$1"): the guest did not finish; its output ends with:" >&2
        tail -n 5 "$TMP/out" >&2
        return
    fi
    tr -d '\r' <"$TMP/out" | grep -a '^[a-z0-9]* *[0-9a-f]\{16\}$' >"$2"
    echo "$t"
}
# bench ARCH: the runs and the medians of one architecture
bench() {
    local qt=() mt=() q m i f name target qc mc qw mw
    for i in $(seq "$runs"); do
        q=$(one "$qemu" "$TMP/ref"); [ -n "$q" ] && qt+=("$q")
        m=$(one "$mimic" "$TMP/got"); [ -n "$m" ] && mt+=("$m")
        echo "$1 run $i: QEMU ${q:-failed}; mimic ${m:-failed} (boot-cpu prog-cpu boot-wall prog-wall)"
        if [ -n "$q" ] && [ -n "$m" ] && ! { [ -s "$TMP/ref" ] && cmp -s "$TMP/ref" "$TMP/got"; }; then
            echo "$1: results differ:"; diff "$TMP/ref" "$TMP/got"; status=1
        fi
    done
    [ ${#qt[@]} -gt 0 ] && [ ${#mt[@]} -gt 0 ] || { echo "$1: no complete run"; status=1; return; }
    for f in 1 2; do
        name=$([ $f = 1 ] && echo "boot   " || echo "program")
        target=$([ $f = 1 ] && echo 0.8 || echo 0.67)
        qc=$(col $f "${qt[@]}") mc=$(col $f "${mt[@]}")
        qw=$(col $((f + 2)) "${qt[@]}") mw=$(col $((f + 2)) "${mt[@]}")
        printf '%-5s %s CPU: QEMU %6.2f s  mimic %6.2f s  ratio %.2f (target <= %s)   wall: QEMU %6.2f s  mimic %6.2f s  (median of %d)\n' \
            "$1" "$name" "$qc" "$mc" "$(echo "$mc / $qc" | bc -l)" "$target" "$qw" "$mw" "${#mt[@]}"
    done
}

status=0
for arch in ${BENCH_ARCHES:-i386 amd64}; do
    prepare "$arch" && bench "$arch"
done
exit $status
