#!/bin/bash
# Two instances and one pidfile (issue 14): the second cannot lock it ("Cannot lock pid
# file", exit 1) and leaves it alone; only its owner removes it at exit.
. "$(dirname "$0")/lib.sh"
"$I386" -M none -display none -pidfile "$TMP/pid" -monitor none &
first=$!
for _ in $(seq 100); do [ -s "$TMP/pid" ] && break; sleep 0.05; done
[ "$(cat "$TMP/pid" 2>/dev/null)" = "$first" ] || { kill $first; fail "pidfile not written"; }
expect_error "cannot create PID file: Cannot lock pid file" \
    -M none -display none -pidfile "$TMP/pid" -monitor none
[ "$(cat "$TMP/pid")" = "$first" ] || { kill $first; fail "second instance overwrote the pidfile"; }
kill -TERM $first
wait $first; rc=$?
[ $rc -eq 0 ] || fail "first instance exited $rc"
[ ! -e "$TMP/pid" ] || fail "owner did not remove the pidfile"
# A file replaced behind the owner's back is not the owner's to delete.
"$I386" -M none -display none -pidfile "$TMP/pid2" -monitor none &
first=$!
for _ in $(seq 100); do [ -s "$TMP/pid2" ] && break; sleep 0.05; done
rm -f "$TMP/pid2"; echo other >"$TMP/pid2"
kill -TERM $first; wait $first
[ "$(cat "$TMP/pid2")" = other ] || fail "owner removed a pidfile that is no longer its own"
echo "pidfile locking ok"
