#!/bin/bash
# Builds the x86 CPU benchmark image: build.sh OUT.img [SCALE]. Needs i686-linux-gnu-gcc
# (gcc-i686-linux-gnu), its binutils and nasm; exit 77 when they are missing.
set -eu
out=$1 scale=${2:-8}
dir=$(cd "$(dirname "$0")" && pwd)
for t in i686-linux-gnu-gcc i686-linux-gnu-objcopy nasm; do
    command -v $t >/dev/null || { echo "$t not installed"; exit 77; }
done
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
i686-linux-gnu-gcc -m32 -O2 -ffreestanding -fno-pic -fno-stack-protector \
    -fno-asynchronous-unwind-tables -nostdlib -static -Wl,--build-id=none \
    -Wl,--no-warn-rwx-segments -DSCALE="$scale" -T "$dir/payload.ld" \
    -o "$tmp/payload.elf" "$dir/payload.c" -lgcc
i686-linux-gnu-objcopy -O binary "$tmp/payload.elf" "$tmp/payload.bin"
nasm -f bin -DPAYLOAD_BIN="'$tmp/payload.bin'" -o "$out" "$dir/boot.asm"
