#!/bin/bash
# AVX/AVX2 under Linux: Debian's amd64 kernel (debian-installer-12-netboot-amd64) on
# mimic-system-x86_64 -cpu max with a busybox-static initramfs. The kernel must enable
# the YMM state through XSAVE ("Enabled xstate features 0x7", AVX at offset 576) and show
# avx/avx2 in /proc/cpuinfo; then busybox (static glibc: its string and memory functions
# take the AVX2 variants when CPUID offers AVX2) sorts and hashes data in four processes at
# once on one CPU, so the kernel switches their YMM state with XSAVE/XRSTOR while they run;
# each digest must be the host's. (no_timer_check: the kernel's IO-APIC timer check is
# not what this test is about and can fail on a heavily loaded host.) Payloads are cached
# in ~/.cache/mimic (MIMIC_CACHE); without network access to Debian's archive the test
# skips.
set -u
: "${MIMIC_BUILD_DIR:?run through make check}"
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
. "$(dirname "$0")/pc-linux-lib.sh"

k=$(kernel amd64) || exit $?
bb=$(fetch busybox-static "busybox-static_*_amd64.deb") || exit $?
r=$TMP/root
mkdir -p "$TMP/bb" "$r/bin" "$r/proc" "$r/sys" "$r/tmp"
dpkg-deb -x "$bb" "$TMP/bb" && cp "$TMP/bb/bin/busybox" "$r/bin/busybox" || fail "no busybox in $bb"
cat >"$r/init" <<'INIT'
#!/bin/busybox sh
/bin/busybox --install -s /bin
mount -t proc proc /proc
mount -t devtmpfs devtmpfs /dev
echo
echo "R-FLAGS=$(grep -m1 ^flags /proc/cpuinfo | tr ' ' '\n' | grep -E '^avx2?$' | tr '\n' ' ')"
dmesg | grep -e 'Enabled xstate' -e 'xstate_offset\[2\]' | sed 's/^\[[ 0-9.]*\] /R-XSTATE /'
for i in 1 2 3 4; do
    (seq $((i * 7000)) | sort -r | md5sum | sed "s/ .*//; s/^/R-SUM$i=/" > /tmp/s$i) &
done
wait
cat /tmp/s1 /tmp/s2 /tmp/s3 /tmp/s4
echo "R-TRAPS=$(dmesg | grep -c -e 'invalid opcode' -e 'traps:')"
echo R-DONE
poweroff -f
INIT
chmod +x "$r/init"
make_initramfs "$r" "$TMP/initrd.gz"
start=$SECONDS
timeout 300 "$MIMIC_BUILD_DIR/mimic-system-x86_64" -nographic -m 256 -cpu max \
    -no-reboot -kernel "$k" -initrd "$TMP/initrd.gz" \
    -append "console=ttyS0 quiet no_timer_check" \
    </dev/null >"$TMP/out" 2>&1
rc=$?
grep -q "has no translator front end" "$TMP/out" && skip "no x86 translator front end"
grep -qa "^R-DONE" "$TMP/out" || fail "no report from the guest (exit status $rc)"
expect() { grep -qa -- "^$1" "$TMP/out" || fail "the guest's report lacks '$1'"; }
expect "R-FLAGS=avx avx2 "
expect "R-XSTATE x86/fpu: Enabled xstate features 0x7"
expect "R-XSTATE x86/fpu: xstate_offset\[2\]:  576"
expect "R-TRAPS=0"
for i in 1 2 3 4; do
    want=$(seq $((i * 7000)) | LC_ALL=C sort -r | md5sum | sed 's/ .*//')
    expect "R-SUM$i=$want"
done
[ $rc -eq 0 ] || fail "exit status $rc after the guest powered off"
grep -a "^R-" "$TMP/out"
echo "ok: AVX/AVX2 Linux userland on -cpu max, $((SECONDS - start)) s"
