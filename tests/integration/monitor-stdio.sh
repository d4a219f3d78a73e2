#!/bin/bash
# The human monitor on stdio answers info commands and quits cleanly.
. "$(dirname "$0")/lib.sh"
out=$(printf 'info version\ninfo status\ninfo cpus\ninfo registers\ninfo mtree\ninfo chardev\nstop\ninfo status\ncont\ninfo status\nxp /2wx 0\nfoo\nquit\n' |
      timeout 20 "$I386" -M none -nographic -monitor stdio 2>&1)
rc=$?
echo "$out"
[ $rc -eq 0 ] || fail "exit status $rc"
version=$(cat "$MIMIC_SRC_DIR/VERSION")
grep -q "^$version" <<<"$out" || fail "info version did not print $version"
grep -q "VM status: running" <<<"$out" || fail "info status: running"
grep -q "VM status: paused" <<<"$out" || fail "info status after stop"
grep -q "CPU #0" <<<"$out" || fail "info cpus"
grep -qi "EIP=0000fff0" <<<"$out" || fail "info registers shows the reset EIP"
grep -q "address-space" <<<"$out" || fail "info mtree"
grep -q "unknown command: 'foo'" <<<"$out" || fail "unknown command message"

# A serial port and the monitor share the terminal through the mux; C-a x quits.
out=$(printf 'info status\n\001x' | timeout 20 "$I386" -M none -nographic -serial mon:stdio 2>&1)
rc=$?
echo "$out"
[ $rc -eq 0 ] || fail "C-a x: exit status $rc"
grep -q "VM status: running" <<<"$out" || fail "mux monitor did not answer"
grep -qi "terminated" <<<"$out" || fail "C-a x did not say it terminated"
echo "monitor on stdio ok"
