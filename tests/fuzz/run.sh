#!/bin/bash
# make fuzz: builds tests/fuzz/fuzz-block.c with the block layer using clang's libFuzzer,
# ASan and UBSan into build-fuzz/, generates the seed corpus, and runs each registered
# format for FUZZ_SECONDS (default 60). Crashes are kept in build-fuzz/crashes/<format>/.
# Usage: run.sh [SECONDS [FORMAT...]]
set -eu
src=${MIMIC_SRC_DIR:-$(cd "$(dirname "$0")/../.." && pwd)}
out=$src/build-fuzz
secs=${1:-60}; shift || true
formats=${*:-qcow2 raw vdi vmdk vpc}
command -v clang >/dev/null || { echo "clang not found"; exit 1; }
mkdir -p "$out/obj"
flags="-g -O1 -std=gnu11 -fsanitize=fuzzer-no-link,address,undefined -I$src/include -I$src \
       -D_GNU_SOURCE -D_FILE_OFFSET_BITS=64"
objs=()
# the block layer and the few utilities it uses (not the whole util/: capstone etc.)
for f in "$src"/block/*.c "$src"/util/{cutils,error,keyval,log}.c; do
    o=$out/obj/$(basename "$(dirname "$f")")-$(basename "$f" .c).o
    if [ ! -e "$o" ] || [ "$f" -nt "$o" ]; then clang $flags -c "$f" -o "$o"; fi
    objs+=("$o")
done
clang $flags -fsanitize=fuzzer "$src/tests/fuzz/fuzz-block.c" "${objs[@]}" -lz -lpthread -lm \
    -o "$out/fuzz-block"
if [ ! -e "$out/corpus/.complete" ]; then
    rm -rf "$out/corpus"
    "$src/tests/fuzz/make-corpus.sh" "$out/corpus" && touch "$out/corpus/.complete"
fi
status=0
for fmt in $formats; do
    mkdir -p "$out/corpus/$fmt" "$out/work/$fmt" "$out/crashes/$fmt"
    set +e
    MIMIC_FUZZ_FORMAT=$fmt "$out/fuzz-block" -runs=0 "$out/corpus/$fmt" >/dev/null 2>&1
    rc=$?
    set -e
    if [ $rc -eq 77 ]; then echo "fuzz $fmt: format not built, skipped"; continue; fi
    echo "fuzz $fmt: ${secs}s"
    if ! MIMIC_FUZZ_FORMAT=$fmt "$out/fuzz-block" -max_total_time="$secs" -max_len=65536 \
        -rss_limit_mb=1024 -timeout=20 -artifact_prefix="$out/crashes/$fmt/" \
        "$out/work/$fmt" "$out/corpus/$fmt" > "$out/fuzz-$fmt.log" 2>&1; then
        echo "fuzz $fmt: FAILED, see $out/fuzz-$fmt.log and $out/crashes/$fmt/"
        status=1
    else
        tail -n 1 "$out/fuzz-$fmt.log" | sed "s/^/fuzz $fmt: /"
    fi
done
exit $status
