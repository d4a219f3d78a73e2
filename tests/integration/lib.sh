# Shared helpers for the integration tests (sourced, not run).
set -u
: "${MIMIC_BUILD_DIR:?run through make check}"
I386=$MIMIC_BUILD_DIR/mimic-system-i386
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
fail() { echo "FAIL: $*"; exit 1; }
# expect_error "stderr substring" args...: exit status 1 and exactly one line on stderr
expect_error() {
    local want=$1; shift
    local out rc lines
    out=$(timeout 10 "$I386" "$@" </dev/null 2>&1 >/dev/null); rc=$?
    [ $rc -eq 1 ] || fail "'$*' exited $rc, expected 1 (stderr: $out)"
    lines=$(printf '%s\n' "$out" | grep -c .)
    [ "$lines" -eq 1 ] || fail "'$*' printed $lines lines on stderr, expected 1: $out"
    case "$out" in *"$want"*) ;; *) fail "'$*': stderr '$out' lacks '$want'" ;; esac
    echo "ok: $* -> $out"
}
