#!/bin/bash
# x86 system guest tests (tests/guest/x86-sys/*.asm): each is a 64 KiB firmware image run
# on the x86-test machine with both translator back ends; it passes when it prints PASS
# and leaves through isa-debug-exit with 0 (exit status 1). The first line of a test may
# say "; run: BINARY [options]" (default: i386 -cpu max), the second "; expect: TEXT"
# (a line the output must also contain), the third "; needs: SYMBOL" (skip the test while
# the translator sources do not use SYMBOL). kernel-*.asm images are loaded with -kernel.
set -u
: "${MIMIC_BUILD_DIR:?run through make}" "${MIMIC_SRC_DIR:?run through make}"
command -v nasm >/dev/null || { echo "nasm is not installed (scripts/install-deps)"; exit 77; }
dir=$MIMIC_SRC_DIR/tests/guest/x86-sys
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
nasm -I "$dir/" -f bin -o "$tmp/smoke.bin" "$dir/smoke.asm" || exit 1
timeout 3 "$MIMIC_BUILD_DIR/mimic-system-i386" -M x86-test -bios "$tmp/smoke.bin" \
    -display none -serial stdio -monitor none >"$tmp/out" 2>&1
if grep -q "has no translator front end" "$tmp/out"; then
    echo "the x86 translator front end is not built in yet"; exit 77
fi
failed=0
for src in "$dir"/*.asm; do
    name=$(basename "$src" .asm)
    if ! nasm -I "$dir/" -f bin -o "$tmp/$name.bin" "$src"; then
        echo "FAIL $name: nasm"; failed=1; continue
    fi
    read -r -a run < <(sed -n '1s/^; run: //p' "$src")
    [ ${#run[@]} -gt 0 ] || run=(i386 -cpu max)
    expect=$(sed -n '2s/^; expect: //p' "$src")
    needs=$(sed -n '3s/^; needs: //p' "$src")
    if [ -n "$needs" ] && ! grep -q "$needs" "$MIMIC_SRC_DIR"/target-i386/translate*.c; then
        echo "skip $name: the translator does not call $needs yet"; continue
    fi
    bin=$MIMIC_BUILD_DIR/mimic-system-${run[0]}
    image=(-bios "$tmp/$name.bin")
    case $name in kernel-*) image=(-kernel "$tmp/$name.bin") ;; esac
    for be in native interp; do
        timeout 60 "$bin" -M x86-test "${image[@]}" -display none -serial stdio \
            -monitor none -accel tcg,backend=$be "${run[@]:1}" >"$tmp/out" 2>&1
        rc=$?
        if [ $rc -eq 1 ] && grep -q '^PASS' "$tmp/out" &&
           { [ -z "$expect" ] || grep -qF "$expect" "$tmp/out"; }; then
            echo "ok   $name ($be)"
        else
            echo "FAIL $name ($be): exit $rc"; sed 's/^/    /' "$tmp/out" | tail -20; failed=1
        fi
    done
done
exit $failed
