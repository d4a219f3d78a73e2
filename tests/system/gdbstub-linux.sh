#!/bin/bash
# gdb on the Debian i386 kernel (debian-installer-12-netboot-i386's, as pc-linux.sh): a
# breakpoint on start_kernel set before the kernel has even been decompressed hits, and the
# backtrace names start_kernel and its caller. Debian's linux-image packages ship a
# placeholder System.map (the real one is in the 760 MB -dbg package), so the symbols come
# from the kernel image's own kallsyms tables (tests/system/gdbstub/kallsyms.py), turned
# into a symbol-only ELF for gdb; the kernel runs with nokaslr so they apply.
# Runs when the kernel is in the cache (~/.cache/mimic, MIMIC_CACHE) or with
# MIMIC_LONG_TESTS=1 (downloads it).
set -u
: "${MIMIC_BUILD_DIR:?run through make check}" "${MIMIC_SRC_DIR:?run through make check}"
CACHE=${MIMIC_CACHE:-$HOME/.cache/mimic}
LOCK=/work/wt/apt.lock; [ -e "$LOCK" ] || LOCK=$CACHE/apt.lock
for tool in gdb-multiarch python3 as ld; do
    command -v $tool >/dev/null || { echo "$tool is missing"; exit 77; }
done
TMP=$(mktemp -d); trap 'kill $pid 2>/dev/null; rm -rf "$TMP"' EXIT
pid=
fail() { echo "FAIL: $*"; exit 1; }

deb=$(ls "$CACHE"/debian-installer-12-netboot-i386_*.deb 2>/dev/null | head -n 1)
if [ -z "$deb" ]; then
    [ "${MIMIC_LONG_TESTS:-0}" = 1 ] ||
        { echo "the i386 kernel is not cached: MIMIC_LONG_TESTS=1 downloads it"; exit 77; }
    mkdir -p "$CACHE"
    (cd "$CACHE" && flock "$LOCK" apt-get download debian-installer-12-netboot-i386) \
        >"$TMP/apt.log" 2>&1 || { echo "apt-get download failed: $(tail -n 1 "$TMP/apt.log")"; exit 77; }
    deb=$(ls "$CACHE"/debian-installer-12-netboot-i386_*.deb | head -n 1)
fi
kernel=$deb.linux
if [ ! -s "$kernel" ]; then
    dpkg-deb --fsys-tarfile "$deb" |
        tar -xO ./usr/lib/debian-installer/images/12/i386/text/debian-installer/i386/linux \
        >"$kernel.tmp" && mv "$kernel.tmp" "$kernel"
fi
[ -s "$kernel" ] || fail "no kernel in $deb"

python3 "$MIMIC_SRC_DIR/tests/system/gdbstub/kallsyms.py" "$kernel" >"$TMP/System.map" ||
    fail "no kallsyms in $kernel"
grep " T start_kernel$" "$TMP/System.map" || fail "no start_kernel in the kernel's symbols"
python3 "$MIMIC_SRC_DIR/tests/system/gdbstub/symfile.py" <"$TMP/System.map" >"$TMP/syms.s" &&
    as --32 "$TMP/syms.s" -o "$TMP/syms.o" &&
    ld -m elf_i386 --section-start=.ktext="$(sed -n '1s/# lowest //p' "$TMP/syms.s")" -e 0 \
        "$TMP/syms.o" -o "$TMP/syms.elf" || fail "cannot build the symbol file"

"$MIMIC_BUILD_DIR/mimic-system-i386" -display none -monitor none -serial "file:$TMP/serial" \
    -m 256 -kernel "$kernel" -append "console=ttyS0 nokaslr no_timer_check" -S \
    -gdb "unix:$TMP/gdb.sock,server=on" </dev/null >"$TMP/mimic.err" 2>&1 &
pid=$!
for _ in $(seq 50); do [ -S "$TMP/gdb.sock" ] && break; sleep 0.1; done
timeout --foreground 600 gdb-multiarch -nx -batch -ex "set pagination off" \
    -ex "target remote $TMP/gdb.sock" -ex "break start_kernel" -ex continue -ex bt \
    -ex "x/2i \$pc" -ex kill "$TMP/syms.elf" >"$TMP/gdb.out" 2>&1
wait $pid
pid=
cat "$TMP/gdb.out" "$TMP/mimic.err"
grep -Eq "^Breakpoint 1, 0x[0-9a-f]+ in start_kernel \(\)" "$TMP/gdb.out" ||
    fail "the breakpoint at start_kernel did not hit"
grep -Eq "^#0 +0x[0-9a-f]+ in start_kernel \(\)" "$TMP/gdb.out" || fail "backtrace #0"
grep -Eq "^#1 +0x[0-9a-f]+ in i386_start_kernel \(\)" "$TMP/gdb.out" || fail "backtrace #1"
grep -q "Linux version" "$TMP/serial" && fail "the kernel ran past start_kernel's banner"
echo "start_kernel breakpoint and backtrace ok"
