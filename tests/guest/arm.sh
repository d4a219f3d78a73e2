#!/bin/bash
# Builds every tests/guest/arm/*.S with arm-none-eabi-gcc and runs it on -M arm-test; each
# must report "ARM-TEST EXIT 0" (a failed check reports its number). Both back ends (and
# flags-irq and ifconv also with -d nochain).
set -u
: "${MIMIC_BUILD_DIR:?run through make}" "${MIMIC_SRC_DIR:?run through make}"
src=$MIMIC_SRC_DIR/tests/guest/arm
if ! command -v arm-none-eabi-gcc >/dev/null; then
    echo "arm-none-eabi-gcc not installed (gcc-arm-none-eabi)"; exit 77
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
fails=0
for s in "$src"/*.S; do
    name=$(basename "$s" .S)
    arm-none-eabi-gcc -march=armv7ve -mfpu=neon-vfpv4 -nostdlib -nostartfiles -Ttext=0 \
        -I"$src" -o "$work/$name.elf" "$s" || { echo "FAIL $name: build"; fails=$((fails + 1)); continue; }
    arm-none-eabi-objcopy -O binary "$work/$name.elf" "$work/$name.bin"
    runs="native interp"
    case $name in flags-irq|ifconv) runs="$runs nochain" ;; esac   # exits through the loop
    for be in $runs; do
        opts=(-accel tcg,backend=$be)
        [ "$be" = nochain ] && opts=(-accel tcg,backend=native -d nochain)
        out=$(timeout 30 "$MIMIC_BUILD_DIR/mimic-system-arm" -M arm-test "${opts[@]}" \
              -display none -monitor none -kernel "$work/$name.bin" 2>&1 </dev/null)
        if grep -q "^ARM-TEST EXIT 0$" <<<"$out"; then
            echo "ok   $name ($be)"
        else
            echo "FAIL $name ($be): $(grep -m1 'ARM-TEST' <<<"$out" || tail -n 3 <<<"$out")"
            fails=$((fails + 1))
        fi
    done
done
[ "$fails" -eq 0 ]
