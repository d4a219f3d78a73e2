#!/bin/bash
# Builds the x86 FP benchmark image: build.sh OUT.img SCALE x87|sse2. The payload (this
# directory) is linked and booted like the CPU benchmark's (../x86-cpu: payload.ld, boot.asm).
# Needs i686-linux-gnu-gcc (gcc-i686-linux-gnu), its binutils and nasm; exit 77 without.
set -eu
out=$1 scale=${2:-8} fp=${3:-x87}
dir=$(cd "$(dirname "$0")" && pwd)
cpu=$dir/../x86-cpu
for t in i686-linux-gnu-gcc i686-linux-gnu-objcopy nasm; do
    command -v $t >/dev/null || { echo "$t not installed"; exit 77; }
done
case $fp in
x87) flags="-mfpmath=387 -mno-sse" ;;
sse2) flags="-msse2 -mfpmath=sse" ;;
*) echo "build.sh: x87 or sse2, not $fp"; exit 2 ;;
esac
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
i686-linux-gnu-gcc -m32 -O2 -march=i686 $flags -fno-math-errno -ffreestanding -fno-pic \
    -fno-stack-protector -fno-asynchronous-unwind-tables -nostdlib -static \
    -Wl,--build-id=none -Wl,--no-warn-rwx-segments -DSCALE="$scale" -T "$cpu/payload.ld" \
    -o "$tmp/payload.elf" "$dir/payload.c" -lgcc
i686-linux-gnu-objcopy -O binary "$tmp/payload.elf" "$tmp/payload.bin"
nasm -f bin -DPAYLOAD_BIN="'$tmp/payload.bin'" -o "$out" "$cpu/boot.asm"
