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

# start_emulator BINARY (linux-bench-lib.sh)
start_emulator() {
    "$1" -M virt -cpu cortex-a15 -m 256 -smp 1 -display none -monitor "$(bench_monitor "$1")" \
        -serial "file:$TMP/out" -no-reboot -kernel "$KERNEL" -initrd "$TMP/initrd.gz" \
        -append "console=ttyAMA0 rdinit=/init quiet panic=-1" </dev/null >/dev/null 2>&1 &
    GUEST_PID=$! BENCH_PID=$!
}
. "$(dirname "$0")/linux-bench-lib.sh"
status=0
bench_pair arm "$qemu" "$ARM" "$runs"
exit $status
