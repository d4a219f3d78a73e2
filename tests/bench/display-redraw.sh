#!/bin/bash
# Display cost against QEMU's SDL window (issue 12), both under the same Xvfb:
# - redraw: tests/bench/vga-redraw.asm (a Multiboot guest that rewrites a 1024x768x32
#   Bochs VBE framebuffer without pause) for BENCH_SECONDS (20) each; prints the host CPU
#   seconds of the whole process and of its main thread (where both emulators draw the
#   window; the vCPU thread spins in both),
# - idle: SeaBIOS waiting at "No bootable device" (text mode, nothing changes) for 10 s.
# BENCH_RUNS (3) alternated runs, medians. Figures only, never a pass/fail.
set -u
: "${MIMIC_BUILD_DIR:?run through make bench}"
dir=$(cd "$(dirname "$0")" && pwd)
runs=${BENCH_RUNS:-3}
secs=${BENCH_SECONDS:-20}
for c in Xvfb nasm qemu-system-i386; do
    command -v $c >/dev/null || { echo "$c is not installed: skipped"; exit 0; }
done
TMP=$(mktemp -d)
Xvfb :97 -screen 0 1280x1024x24 -nolisten tcp >/dev/null 2>&1 &
xvfb=$!
trap 'kill $xvfb 2>/dev/null; rm -rf "$TMP"' EXIT
export DISPLAY=:97
sleep 1
nasm -f bin "$dir/vga-redraw.asm" -o "$TMP/redraw.bin" || exit 1
hz=$(getconf CLK_TCK)

ticks() { awk '{print $14 + $15}' "$1" 2>/dev/null || echo 0; }

# measure SECONDS ARGS...: "process-cpu main-thread-cpu" over SECONDS after 3 s warm-up
measure() {
    local s=$1; shift
    "$@" >/dev/null 2>&1 &
    local pid=$!
    sleep 3
    local p0 m0 p1 m1
    p0=$(ticks /proc/$pid/stat); m0=$(ticks /proc/$pid/task/$pid/stat)
    sleep "$s"
    p1=$(ticks /proc/$pid/stat); m1=$(ticks /proc/$pid/task/$pid/stat)
    kill $pid; wait $pid 2>/dev/null
    echo "$(echo "scale=2; ($p1 - $p0) / $hz" | bc) $(echo "scale=2; ($m1 - $m0) / $hz" | bc)"
}

median() { sort -n | awk '{a[NR] = $1} END {print a[int((NR + 1) / 2)]}'; }

MIMIC=$MIMIC_BUILD_DIR/mimic-system-i386
for i in $(seq 1 "$runs"); do
    measure "$secs" "$MIMIC" -m 64 -display sdl -kernel "$TMP/redraw.bin" >>"$TMP/mimic.redraw"
    measure "$secs" qemu-system-i386 -m 64 -display sdl -kernel "$TMP/redraw.bin" >>"$TMP/qemu.redraw"
    measure 10 "$MIMIC" -m 64 -display sdl >>"$TMP/mimic.idle"
    measure 10 qemu-system-i386 -m 64 -display sdl -nic none >>"$TMP/qemu.idle"
done
for kind in redraw idle; do
    for emu in mimic qemu; do
        f=$TMP/$emu.$kind
        echo "$kind $emu: process $(cut -d' ' -f1 "$f" | median) s, main thread $(cut -d' ' -f2 "$f" | median) s of CPU (median of $runs)"
    done
done
m=$(cut -d' ' -f2 "$TMP/mimic.redraw" | median); q=$(cut -d' ' -f2 "$TMP/qemu.redraw" | median)
echo "redraw main-thread CPU ratio mimic/QEMU: $(echo "scale=2; $m / $q" | bc)"
