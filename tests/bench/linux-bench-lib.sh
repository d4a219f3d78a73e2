# Shared by the Linux-guest benchmarks (arm-linux.sh, pc-linux-boot.sh), sourced: one run
# sampled from /proc and the alternated runs with their medians and ratios. The script
# defines start_emulator BINARY first: it starts the guest in the background with its
# serial console in $TMP/out and sets BENCH_PID. A run ends at BENCH-END (the guest's
# init prints BENCH-READY before the program and BENCH-END after it); one that panics or
# lasts over BENCH_TIMEOUT (600) seconds is killed and left out. start_emulator gives
# Mimic "$(bench_monitor BINARY)" as its -monitor option: at BENCH-READY the benchmark
# asks "info jit" there for the translation figures of the boot (TBs translated, time per
# TB; wall time inside the translator, so a loaded host inflates it).

bench_cpu_ticks() { awk '{ print $14 + $15 }' "/proc/$1/stat"; }

# bench_monitor BINARY: the -monitor option (a socket for Mimic, none for QEMU)
bench_monitor() {
    case $(basename "$1") in
        mimic-*) echo "unix:$TMP/mon,server,nowait" ;;
        *) echo none ;;
    esac
}

# bench_jit: "TBS US-PER-TB" from Mimic's "info jit" (nothing if there is no monitor)
bench_jit() {
    [ -S "$TMP/mon" ] || return 0
    printf 'info jit\n' | timeout 5 socat - "UNIX-CONNECT:$TMP/mon" 2>/dev/null | tr -d '\r' |
        sed -n 's/^ *translations *\([0-9]*\) in [0-9.]* ms (\([0-9.]*\) us each).*/\1 \2/p'
}

# bench_run BINARY: prints "boot-cpu prog-cpu boot-wall prog-wall" (seconds) and, for
# Mimic, "TBs us-per-TB" of the boot (else "- -"); or FAIL
bench_run() {
    local hz t0 tr=-1 te=-1 cr=0 ce=0 c
    hz=$(getconf CLK_TCK)
    rm -f "$TMP/out" "$TMP/mon" "$TMP/jit"
    t0=$(date +%s.%N)
    start_emulator "$1"
    while kill -0 "$BENCH_PID" 2>/dev/null; do
        c=$(bench_cpu_ticks "$BENCH_PID" 2>/dev/null) || break
        if [ "$tr" = -1 ] && grep -qa BENCH-READY "$TMP/out" 2>/dev/null; then
            tr=$(date +%s.%N); cr=$c
            bench_jit >"$TMP/jit"
        fi
        if [ "$te" = -1 ] && grep -qa BENCH-END "$TMP/out" 2>/dev/null; then
            te=$(date +%s.%N); ce=$c
        fi
        [ "$te" != -1 ] && break
        if grep -qa "Kernel panic" "$TMP/out" 2>/dev/null ||
           [ "$(echo "$(date +%s.%N) - $t0 > ${BENCH_TIMEOUT:-600}" | bc)" = 1 ]; then
            break           # QEMU's TCG on a loaded host: "IO-APIC + timer doesn't work"
        fi
        sleep 0.02
    done
    kill "$BENCH_PID" 2>/dev/null; wait "$BENCH_PID" 2>/dev/null; BENCH_PID=
    [ "$te" != -1 ] || { echo "FAIL"; return; }
    printf '%.2f %.2f %.2f %.2f %s\n' "$(echo "$cr / $hz" | bc -l)" "$(echo "($ce - $cr) / $hz" | bc -l)" \
        "$(echo "$tr - $t0" | bc -l)" "$(echo "$te - $tr" | bc -l)" "$(cat "$TMP/jit" 2>/dev/null | grep . || echo - -)"
}
bench_median() { sort -g | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }
bench_col() { printf '%s\n' "${@:2}" | cut -d' ' -f"$1" | bench_median; }

# bench_one BINARY RESULTS-FILE: a run's figures, or nothing (with the reason) if it failed
bench_one() {
    local t
    t=$(bench_run "$1")
    if [ "$t" = FAIL ]; then
        echo "$(basename "$1"): the guest did not finish; its output ends with:" >&2
        tail -n 5 "$TMP/out" >&2
        return
    fi
    tr -d '\r' <"$TMP/out" | grep -a '^[a-z0-9]* *[0-9a-f]\{16\}$' >"$2"
    echo "$t"
}

# bench_pair LABEL QEMU MIMIC RUNS: the alternated runs, the medians and the ratios
# mimic/QEMU (targets: boot <= 0.8, program <= 0.67); status=1 when the program's results
# differ or no run completed.
bench_pair() {
    local qt=() mt=() q m i f name target qc mc qw mw
    for i in $(seq "$4"); do
        q=$(bench_one "$2" "$TMP/ref"); [ -n "$q" ] && qt+=("$q")
        m=$(bench_one "$3" "$TMP/got"); [ -n "$m" ] && mt+=("$m")
        echo "$1 run $i: QEMU ${q:-failed}; mimic ${m:-failed} (boot-cpu prog-cpu boot-wall prog-wall TBs us/TB)"
        if [ -n "$q" ] && [ -n "$m" ] && ! { [ -s "$TMP/ref" ] && cmp -s "$TMP/ref" "$TMP/got"; }; then
            echo "$1: results differ:"; diff "$TMP/ref" "$TMP/got"; status=1
        fi
    done
    [ ${#qt[@]} -gt 0 ] && [ ${#mt[@]} -gt 0 ] || { echo "$1: no complete run"; status=1; return; }
    for f in 1 2; do
        name=$([ $f = 1 ] && echo "boot   " || echo "program")
        target=$([ $f = 1 ] && echo 0.8 || echo 0.67)
        qc=$(bench_col $f "${qt[@]}") mc=$(bench_col $f "${mt[@]}")
        qw=$(bench_col $((f + 2)) "${qt[@]}") mw=$(bench_col $((f + 2)) "${mt[@]}")
        printf '%-5s %s CPU: QEMU %6.2f s  mimic %6.2f s  ratio %.2f (target <= %s)   wall: QEMU %6.2f s  mimic %6.2f s  (median of %d)\n' \
            "$1" "$name" "$qc" "$mc" "$(echo "$mc / $qc" | bc -l)" "$target" "$qw" "$mw" "${#mt[@]}"
    done
    if [ "$(bench_col 5 "${mt[@]}")" != - ]; then
        printf '%-5s boot translation (mimic, info jit): %s TBs, %s us per TB (wall time in the translator; median of %d)\n' \
            "$1" "$(bench_col 5 "${mt[@]}")" "$(bench_col 6 "${mt[@]}")" "${#mt[@]}"
    fi
}
