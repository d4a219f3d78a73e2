#!/bin/bash
# AVX/AVX2 under Linux: Debian's i386 and amd64 kernels (debian-installer-12-netboot-*)
# on mimic-system-i386 / -x86_64 -cpu max with a busybox-static initramfs. The kernel must enable
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

# write_init FILE: the initramfs's /init (the report lines start with R-)
write_init() {
    cat >"$1" <<'INIT'
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
    chmod +x "$1"
}

# run_arch ARCH BINARY DEBARCH
run_arch() {
    local k bb r=$TMP/root-$1 start rc
    k=$(kernel "$1") || exit $?
    bb=$(fetch "busybox-static:$3" "busybox-static_*_$3.deb") || exit $?
    rm -rf "$TMP/bb"
    mkdir -p "$TMP/bb" "$r/bin" "$r/proc" "$r/sys" "$r/tmp"
    dpkg-deb -x "$bb" "$TMP/bb" && cp "$TMP/bb/bin/busybox" "$r/bin/busybox" ||
        fail "no busybox in $bb"
    write_init "$r/init"
    make_initramfs "$r" "$TMP/initrd-$1.gz"
    start=$SECONDS
    timeout 300 "$MIMIC_BUILD_DIR/$2" -nographic -m 256 -cpu max -no-reboot -kernel "$k" \
        -initrd "$TMP/initrd-$1.gz" -append "console=ttyS0 quiet no_timer_check" \
        </dev/null >"$TMP/out" 2>&1
    rc=$?
    grep -q "has no translator front end" "$TMP/out" && skip "no x86 translator front end"
    grep -qa "^R-DONE" "$TMP/out" || fail "$1: no report from the guest (exit status $rc)"
    expect "R-FLAGS=avx avx2 "
    expect "R-XSTATE x86/fpu: Enabled xstate features 0x7"
    expect "R-XSTATE x86/fpu: xstate_offset\[2\]:  576"
    expect "R-TRAPS=0"
    for i in 1 2 3 4; do
        expect "R-SUM$i=$(seq $((i * 7000)) | LC_ALL=C sort -r | md5sum | sed 's/ .*//')"
    done
    [ $rc -eq 0 ] || fail "$1: exit status $rc after the guest powered off"
    grep -a "^R-" "$TMP/out" | sed "s/^/$1: /"
    echo "ok: $1: AVX/AVX2 Linux userland on -cpu max, $((SECONDS - start)) s"
}

expect() { grep -qa -- "^$1" "$TMP/out" || fail "the guest's report lacks '$1'"; }

for arch in ${MIMIC_AVX_ARCHES:-i386 amd64}; do
    case $arch in
        i386) run_arch i386 mimic-system-i386 i386 ;;
        amd64) run_arch amd64 mimic-system-x86_64 amd64 ;;
        *) fail "unknown arch $arch" ;;
    esac
done
