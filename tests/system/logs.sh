#!/bin/bash
# The -d log: every category of QEMU 7.2's -d help is accepted (compared with
# qemu-system-x86_64 when it is installed), trace: is refused by name; -dfilter keeps only
# the TBs in its ranges; -D NAME%d with -d tid writes vCPU 0's log to NAME0; -d cpu,fpu
# adds the FPU registers; -d exec,nochain traces every TB of a chained loop; -perfmap
# writes /tmp/perf-PID.map with a line for the TB of kmain, inside the code buffer.
set -u
: "${MIMIC_BUILD_DIR:?run through make check}" "${MIMIC_SRC_DIR:?run through make check}"
command -v nasm >/dev/null && command -v i686-linux-gnu-gcc >/dev/null ||
    { echo "nasm or i686-linux-gnu-gcc is missing"; exit 77; }
SRC=$MIMIC_SRC_DIR/tests/system/gdbstub
BIN=$MIMIC_BUILD_DIR/mimic-system-i386
TMP=$(mktemp -d); trap 'rm -rf "$TMP"' EXIT
fail() { echo "FAIL: $*"; exit 1; }

cats="out_asm in_asm op op_opt op_ind int exec cpu fpu mmu pcall cpu_reset unimp guest_errors
page nochain plugin strace tid"
if command -v qemu-system-x86_64 >/dev/null; then
    cats=$(qemu-system-x86_64 -d help | awk '/^[a-z_]+  / { print $1 }')
fi
for c in $cats; do
    "$BIN" -d help | grep -q "^$c " || fail "-d help does not list $c"
done
"$BIN" -d trace:foo -M none 2>&1 | grep -q "trace:foo: trace events are not supported" ||
    fail "-d trace: not refused by name"
"$BIN" -dfilter 0x10..0x8 -M none 2>&1 | grep -q "bad range" || fail "-dfilter bad range"
echo "categories ok: $(echo $cats | wc -w) QEMU names"

nasm -f elf32 -i "$SRC/" "$SRC/boot32.asm" -o "$TMP/b.o" &&
    i686-linux-gnu-gcc -O0 -g -ffreestanding -fno-pic -fno-stack-protector -nostdlib \
        -c "$SRC/kernel.c" -o "$TMP/k.o" &&
    ld -m elf_i386 -T "$SRC/kernel.ld" -o "$TMP/k.elf" "$TMP/b.o" "$TMP/k.o" 2>/dev/null ||
    fail "cannot build the test kernel"
kmain=$(nm "$TMP/k.elf" | awk '/ T kmain$/ { print $1 }')

# run SECONDS LOG-OPTIONS...: the kernel's endless loop for a while
run() {
    local t=$1; shift
    timeout "$t" "$BIN" -display none -serial none -monitor none -kernel "$TMP/k.elf" "$@" \
        </dev/null >"$TMP/out" 2>&1
}

run 2 -d in_asm -dfilter "0x$kmain+0x40" -D "$TMP/filtered"
grep -q "^IN: \[pc=$(printf '0x%x' $((16#$kmain))) " "$TMP/filtered" ||
    fail "-dfilter dropped kmain's TB"
while read -r pc; do
    (( pc >= 16#$kmain && pc < 16#$kmain + 0x40 )) || fail "-dfilter let the TB at $pc through"
done < <(sed -n 's/^IN: \[pc=\(0x[0-9a-f]*\).*/\1/p' "$TMP/filtered")
run 2 -d in_asm -D "$TMP/all"
[ "$(grep -c '^IN:' "$TMP/all")" -gt "$(grep -c '^IN:' "$TMP/filtered")" ] ||
    fail "-dfilter filtered nothing"
echo "-dfilter ok"

run 2 -d tid,cpu,fpu -D "$TMP/cpu%d.log"
[ -s "$TMP/cpu0.log" ] || fail "-d tid: no cpu0.log"
grep -q "^FCW=037f FSW=0000 \[ST=0\] FTW=00 MXCSR=00001f80$" "$TMP/cpu0.log" || fail "-d fpu"
grep -q "^EAX=" "$TMP/cpu0.log" || fail "-d cpu"
"$BIN" -d tid -D "$TMP/x.log" -M none 2>&1 | grep -q "needs a file name containing '%d'" ||
    fail "-d tid without %d"
echo "-D %d with -d tid, -d fpu ok"

run 2 -d exec,nochain -D "$TMP/nochain"
run 2 -d exec -D "$TMP/chain"
n1=$(grep -c '^Trace' "$TMP/nochain"); n2=$(grep -c '^Trace' "$TMP/chain")
echo "Trace lines in 2 s: nochain $n1, chained $n2"
[ "$n1" -gt 10000 ] && [ "$n1" -gt $((n2 * 10)) ] || fail "-d nochain"
echo "-d nochain ok"

# -perfmap: "START SIZE guest-0xPC" lines, hex, one of them kmain's TB, all of them inside
# the one executable mapping of the code buffer
"$BIN" -display none -serial none -monitor none -kernel "$TMP/k.elf" -perfmap </dev/null \
    >"$TMP/out" 2>&1 &
pid=$!
map=/tmp/perf-$pid.map
sleep 2
buf=$(awk '/mimic-tcg-code/ && $2 ~ /^r-x/ { print $1; exit }' "/proc/$pid/maps")
kill "$pid"; wait "$pid" 2>/dev/null
[ -n "$buf" ] || { rm -f "$map"; fail "-perfmap: no executable code buffer mapping"; }
lo=$((16#${buf%-*})) hi=$((16#${buf#*-}))
kline=$(grep -m1 " guest-$(printf '0x%x' $((16#$kmain)))\$" "$map")
bad=
while read -r start size name; do
    if [[ ! $name =~ ^guest-0x[0-9a-f]+$ ]] || (( 16#$start < lo || 16#$start + 16#$size > hi ))
    then
        bad="$start $size $name"; break
    fi
done <"$map"
n=$(wc -l <"$map")
rm -f "$map"
[ -n "$kline" ] || fail "-perfmap: no line for kmain's TB"
[ -z "$bad" ] || fail "-perfmap: bad line '$bad'"
echo "-perfmap ok: $n TBs named"
