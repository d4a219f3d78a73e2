#!/bin/bash
# mimic-system-arm -M virt from the command line, no guest code needed: -M virt,dumpdtb
# writes a tree that dtc decodes with the board's devices (and -smp CPUs), -dtb/-append
# reach /chosen, and every bad option or file gives exit status 1 with one clear line.
set -u
: "${MIMIC_BUILD_DIR:?run through make check}"
ARM=$MIMIC_BUILD_DIR/mimic-system-arm
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
fail() { echo "FAIL: $*"; exit 1; }
command -v dtc >/dev/null || { echo "dtc not installed (device-tree-compiler)"; exit 77; }

# expect_error "stderr substring" args...: exit 1 and exactly one line on stderr
expect_error() {
    local want=$1; shift
    local out rc
    out=$(timeout 20 "$ARM" "$@" -display none </dev/null 2>&1 >/dev/null); rc=$?
    [ $rc -eq 1 ] || fail "'$*' exited $rc, expected 1 (stderr: $out)"
    [ "$(printf '%s\n' "$out" | grep -c .)" -eq 1 ] || fail "'$*' printed more than one line: $out"
    case "$out" in *"$want"*) ;; *) fail "'$*': stderr '$out' lacks '$want'" ;; esac
    echo "ok: $* -> $out"
}

dump() {   # dump FILE.dtb args...: -M virt,dumpdtb=FILE args, decoded to FILE.dts
    local f=$1; shift
    timeout 20 "$ARM" -M virt,dumpdtb="$f" "$@" -display none </dev/null ||
        fail "dumpdtb $* exited $?"
    dtc -q -I dtb -O dts -o "${f%.dtb}.dts" "$f" || fail "dtc cannot read the dump of $*"
}

"$ARM" -M help | grep -q '^virt .*(default)' || fail "-M help does not list virt as default"

dump "$TMP/one.dtb"
for want in 'compatible = "linux,dummy-virt"' 'intc@8000000' 'arm,cortex-a15-gic' \
            'pl011@9000000' 'arm,pl031' 'cfi-flash' 'arm,armv7-timer' 'method = "hvc"' \
            'stdout-path = "/pl011@9000000"' 'reg = <0x00 0x40000000 0x00 0x8000000>'; do
    grep -qF "$want" "$TMP/one.dts" || fail "the tree lacks '$want'"
done
grep -q 'cpu@1' "$TMP/one.dts" && fail "one CPU but cpu@1 in the tree"

printf 'INITRD' >"$TMP/initrd"
printf '\x00\x00\xa0\xe1' >"$TMP/Image"
dump "$TMP/smp.dtb" -smp 4 -m 256 -kernel "$TMP/Image" -initrd "$TMP/initrd" -append "console=ttyAMA0 x=1"
grep -q 'cpu@3' "$TMP/smp.dts" || fail "-smp 4: no cpu@3"
grep -q 'enable-method = "psci"' "$TMP/smp.dts" || fail "-smp 4: no enable-method"
grep -qF 'bootargs = "console=ttyAMA0 x=1"' "$TMP/smp.dts" || fail "no bootargs"
grep -q 'linux,initrd-start = <0x48000000>' "$TMP/smp.dts" || fail "initrd not at RAM + 128 MiB"
grep -q 'linux,initrd-end = <0x48000006>' "$TMP/smp.dts" || fail "initrd end"

# -dtb: the user's tree, with /chosen filled in
printf '/dts-v1/;\n/ { model = "mine"; #address-cells = <2>; #size-cells = <2>; };\n' >"$TMP/mine.dts"
dtc -q -I dts -O dtb -o "$TMP/mine.dtb" "$TMP/mine.dts"
dump "$TMP/out.dtb" -dtb "$TMP/mine.dtb" -kernel "$TMP/Image" -append quiet
grep -qF 'model = "mine"' "$TMP/out.dts" || fail "-dtb was not used"
grep -qF 'bootargs = "quiet"' "$TMP/out.dts" || fail "-dtb: /chosen not updated"

expect_error "-M virt,frob=1: Property 'virt-machine.frob' not found" -M virt,frob=1
expect_error "-kernel /nonexistent/zImage: cannot read" -M virt -kernel /nonexistent/zImage
printf '\177ELF\1\1\1' >"$TMP/vmlinux"
expect_error "ELF kernels are not supported" -M virt -kernel "$TMP/vmlinux"
printf 'garbage garbage garbage garbage garbage!' >"$TMP/bad.dtb"
expect_error "not a valid flattened device tree" -M virt -kernel "$TMP/Image" -dtb "$TMP/bad.dtb"
expect_error "-initrd only allowed with -kernel option" -M virt -initrd "$TMP/initrd"
expect_error "cannot be combined with -bios" -M virt -bios "$TMP/Image" -kernel "$TMP/Image"
expect_error "-smp 9" -M virt -smp 9
expect_error "-rtc base=localtime: " -M virt -rtc base=localtime
expect_error "-bios: could not open '/nonexistent'" -M virt -bios /nonexistent
head -c 70000000 /dev/zero >"$TMP/big.bin"
expect_error "too large" -M virt -bios "$TMP/big.bin"
expect_error "do not fit" -M virt -m 16 -kernel "$TMP/big.bin"
echo "virt command line ok"
