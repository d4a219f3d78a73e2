#!/bin/bash
# Runs Mimic's test suites and prints one closing line: "N passed, N failed, N skipped".
#   unit:   every tests/unit/test-* binary (cmocka, TAP output; each case counts)
#   others: every executable tests/<suite>/*.sh; exit 0 = pass, 77 = skip (first line of
#           its output says why), anything else = fail.
# Usage: run-suites.sh all|unit|system|guest|block|integration|difftest
set -u
: "${MIMIC_BUILD_DIR:?run through make}" "${MIMIC_SRC_DIR:?run through make}"
want=${1:-all}
passed=0 failed=0 skipped=0
failures=()
logdir=$MIMIC_BUILD_DIR/test-logs
mkdir -p "$logdir"

run_unit() {
    local t name out
    for t in "$MIMIC_BUILD_DIR"/tests/unit/test-*; do
        [ -x "$t" ] || continue
        case "$t" in *.o|*.d) continue ;; esac
        name=$(basename "$t")
        out=$logdir/$name.log
        CMOCKA_MESSAGE_OUTPUT=TAP timeout 600 "$t" >"$out" 2>&1
        local rc=$? p f
        p=$(grep -c '^ok ' "$out")
        f=$(grep -c '^not ok ' "$out")
        if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then f=1; fi
        passed=$((passed + p)); failed=$((failed + f))
        if [ "$f" -ne 0 ]; then
            failures+=("unit/$name")
            echo "FAIL unit/$name (log: $out)"; grep -E '^not ok|^# ' "$out" | head -20
        else
            echo "ok   unit/$name ($p cases)"
        fi
    done
}

run_scripts() {
    local suite=$1 t name out rc
    # Script tests start and kill emulators many times. LeakSanitizer's exit-time scan
    # (ptrace of every thread) can hang on this host's kernel when a multi-threaded
    # emulator exits right after a signal, so leaks are checked by the unit tests only.
    export ASAN_OPTIONS=${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0
    for t in "$MIMIC_SRC_DIR"/tests/"$suite"/*.sh; do
        [ -x "$t" ] || continue
        name=$suite/$(basename "$t" .sh)
        out=$logdir/${name//\//_}.log
        timeout -k 10 900 "$t" >"$out" 2>&1
        rc=$?
        if [ $rc -eq 0 ]; then
            passed=$((passed + 1)); echo "ok   $name"
        elif [ $rc -eq 77 ]; then
            skipped=$((skipped + 1)); echo "skip $name: $(head -n 1 "$out")"
        else
            failed=$((failed + 1)); failures+=("$name")
            echo "FAIL $name (exit $rc, log: $out)"; tail -n 25 "$out" | sed 's/^/    /'
        fi
    done
}

case "$want" in
all)
    run_unit
    for s in integration block guest difftest system; do run_scripts "$s"; done ;;
unit) run_unit ;;
*) run_scripts "$want" ;;
esac

[ ${#failures[@]} -eq 0 ] || echo "failed: ${failures[*]}"
echo "$passed passed, $failed failed, $skipped skipped"
[ "$failed" -eq 0 ]
