#!/bin/bash
# Linux on -M virt, Mimic vs QEMU: the armmp kernel of debian-installer-12-netboot-armhf
# with a busybox (busybox-static:armhf) initramfs whose init runs a CPU-bound static armhf
# program (tests/bench/arm-cpu/payload.c, arm-linux-gnueabihf-gcc -static: 64-bit
# division through libgcc's __aeabi_uldivmod, a sieve, a hash, a matrix product) and
# powers off. The same kernel, initramfs and command line run under mimic-system-arm and
# qemu-system-arm (-M virt -cpu cortex-a15 -m 256 -smp 1). Prints, for BENCH_RUNS (5)
# alternated runs, the medians of: the boot (host CPU time, all threads, from start until
# init prints BENCH-READY) and the in-guest program (host CPU time between BENCH-READY and
# BENCH-END), wall times, and the ratios mimic/QEMU (targets: boot <= 0.8, program
# <= 0.67). The program's results must be identical. CPU time is sampled from /proc every
# 20 ms (clock-tick resolution); init waits 2 s after BENCH-END, so that the sampler of a
# loaded host still sees the emulator running then.
set -u
: "${MIMIC_BUILD_DIR:?run through make bench}"
MIMIC_SRC_DIR=${MIMIC_SRC_DIR:-$(cd "$(dirname "$0")/../.." && pwd)}
. "$(dirname "$0")/../system/arm-guest-lib.sh"
runs=${BENCH_RUNS:-5}
qemu=$(command -v qemu-system-arm) || skip "qemu-system-arm is not installed"
command -v arm-linux-gnueabihf-gcc >/dev/null || skip "arm-linux-gnueabihf-gcc is not installed"
command -v cpio >/dev/null || skip "cpio not installed"

armmp_payloads
r=$TMP/root
mkdir -p "$r/bin" "$r/proc"
arm-linux-gnueabihf-gcc -O2 -static -DSCALE="${BENCH_SCALE:-4}" -o "$r/bin/cpubench" \
    "$(dirname "$0")/arm-cpu/payload.c" || fail "cannot build the program"
arm-linux-gnueabihf-objdump -d "$r/bin/cpubench" | grep -q 'bl.*<__aeabi_uldivmod>' ||
    fail "the program does not call __aeabi_uldivmod"
cp "$BUSYBOX" "$r/bin/busybox"
cat >"$r/init" <<'INIT'
#!/bin/busybox sh
echo BENCH-READY
/bin/cpubench
echo BENCH-END
/bin/busybox sleep 2
/bin/busybox poweroff -f
INIT
chmod +x "$r/init"
(cd "$r" && find . | cpio -o -H newc --quiet | gzip -1) >"$TMP/initrd.gz"

cpu_ticks() { awk '{ print $14 + $15 }' "/proc/$1/stat"; }
# run BINARY: prints "boot-cpu prog-cpu boot-wall prog-wall" (seconds); output in $TMP/out
run() {
    local hz t0 tr=-1 te=-1 cr=0 ce=0 c
    hz=$(getconf CLK_TCK)
    rm -f "$TMP/out"
    t0=$(date +%s.%N)
    "$1" -M virt -cpu cortex-a15 -m 256 -smp 1 -display none -monitor none \
        -serial "file:$TMP/out" -no-reboot -kernel "$KERNEL" -initrd "$TMP/initrd.gz" \
        -append "console=ttyAMA0 rdinit=/init quiet panic=-1" </dev/null >/dev/null 2>&1 &
    GUEST_PID=$!
    while kill -0 $GUEST_PID 2>/dev/null; do
        c=$(cpu_ticks $GUEST_PID 2>/dev/null) || break
        if [ "$tr" = -1 ] && grep -qa BENCH-READY "$TMP/out" 2>/dev/null; then
            tr=$(date +%s.%N); cr=$c
        fi
        if [ "$te" = -1 ] && grep -qa BENCH-END "$TMP/out" 2>/dev/null; then
            te=$(date +%s.%N); ce=$c
        fi
        [ "$te" != -1 ] && break
        sleep 0.02
    done
    kill $GUEST_PID 2>/dev/null; wait $GUEST_PID 2>/dev/null; GUEST_PID=
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
    m=$(one "$ARM" "$TMP/got"); [ -n "$m" ] && mt+=("$m")
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
    printf 'arm %s CPU: QEMU %6.2f s  mimic %6.2f s  ratio %.2f (target <= %s)   wall: QEMU %6.2f s  mimic %6.2f s  (median of %d)\n' \
        "$name" "$qc" "$mc" "$(echo "$mc / $qc" | bc -l)" "$target" "$qw" "$mw" "${#mt[@]}"
done
exit $status
