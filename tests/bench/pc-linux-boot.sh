#!/bin/bash
# Linux boot on the pc machine, Mimic vs QEMU: Debian's netboot i386 kernel with a busybox
# initramfs whose init runs the CPU-bound program of the x86 translator benchmark
# (tests/bench/x86-cpu/payload.c built as a static Linux i386 program) and powers off.
# The same kernel, initramfs and command line run under mimic-system-i386 and
# qemu-system-i386 (QEMU through SeaBIOS, Mimic directly), -m 256, -smp 1. Prints, for
# BENCH_RUNS (3) alternated runs, the medians of: the boot (host CPU time, all threads,
# from start until init prints BENCH-READY) and the in-guest program (host CPU time between
# BENCH-READY and BENCH-END), wall times, and the ratios mimic/QEMU (targets: boot <= 0.8,
# program <= 0.67). The program's results must be identical. CPU time is sampled from
# /proc every 20 ms (clock-tick resolution).
set -u
: "${MIMIC_BUILD_DIR:?run through make bench}"
TMP=$(mktemp -d); pid=
trap '[ -n "$pid" ] && kill $pid 2>/dev/null; rm -rf "$TMP"' EXIT
. "$(dirname "$0")/../system/pc-linux-lib.sh"
runs=${BENCH_RUNS:-3}
qemu=$(command -v qemu-system-i386) || skip "qemu-system-i386 is not installed"
command -v i686-linux-gnu-gcc >/dev/null || skip "i686-linux-gnu-gcc is not installed"

i686-linux-gnu-gcc -m32 -O2 -ffreestanding -fno-pic -fno-stack-protector -nostdlib -static \
    -Wl,--build-id=none -DSCALE="${BENCH_SCALE:-8}" -DLINUX_USER -e _start \
    -o "$TMP/cpubench" "$(dirname "$0")/x86-cpu/payload.c" -lgcc || fail "cannot build the program"
k=$(kernel i386) || exit $?
bb=$(fetch busybox-static:i386 "busybox-static_*_i386.deb") || exit $?
r=$TMP/root
mkdir -p "$TMP/bb" "$r/bin" "$r/proc"
dpkg-deb -x "$bb" "$TMP/bb" && cp "$TMP/bb/bin/busybox" "$r/bin/" && cp "$TMP/cpubench" "$r/bin/"
cat >"$r/init" <<'INIT'
#!/bin/busybox sh
echo BENCH-READY
/bin/cpubench
echo BENCH-END
/bin/busybox poweroff -f
INIT
chmod +x "$r/init"
make_initramfs "$r" "$TMP/initramfs.gz"

# run BINARY: prints "boot-cpu prog-cpu boot-wall prog-wall" (seconds); output in $TMP/out
run() {
    local hz t0 tr=-1 te=-1 cr=0 ce=0 c
    hz=$(getconf CLK_TCK)
    rm -f "$TMP/out"
    t0=$(date +%s.%N)
    "$1" -display none -monitor none -serial "file:$TMP/out" -no-reboot -m 256 -kernel "$k" \
        -initrd "$TMP/initramfs.gz" -append "console=ttyS0 quiet" </dev/null >/dev/null 2>&1 &
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
qt=() mt=() status=0
for i in $(seq "$runs"); do
    q=$(one "$qemu" "$TMP/ref"); [ -n "$q" ] && qt+=("$q")
    m=$(one "$MIMIC_BUILD_DIR/mimic-system-i386" "$TMP/got"); [ -n "$m" ] && mt+=("$m")
    echo "run $i: QEMU ${q:-failed}; mimic ${m:-failed} (boot-cpu prog-cpu boot-wall prog-wall)"
    if [ -n "$q" ] && [ -n "$m" ] && ! { [ -s "$TMP/ref" ] && cmp -s "$TMP/ref" "$TMP/got"; }; then
        echo "results differ:"; diff "$TMP/ref" "$TMP/got"; status=1
    fi
done
[ ${#qt[@]} -gt 0 ] && [ ${#mt[@]} -gt 0 ] || { echo "no complete run"; exit 1; }
for f in 1 2; do
    name=$([ $f = 1 ] && echo "boot   " || echo "program")
    target=$([ $f = 1 ] && echo 0.8 || echo 0.67)
    qc=$(col $f "${qt[@]}") mc=$(col $f "${mt[@]}")
    qw=$(col $((f + 2)) "${qt[@]}") mw=$(col $((f + 2)) "${mt[@]}")
    printf 'i386 %s CPU: QEMU %6.2f s  mimic %6.2f s  ratio %.2f (target <= %s)   wall: QEMU %6.2f s  mimic %6.2f s  (median of %d)\n' \
        "$name" "$qc" "$mc" "$(echo "$mc / $qc" | bc -l)" "$target" "$qw" "$mw" "${#mt[@]}"
done
exit $status
