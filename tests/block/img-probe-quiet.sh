#!/bin/bash
# A raw source probed without -f (issue 14): convert and info print nothing on stderr, as
# qemu-img (a read-only image has no first sector to guard); a writable probed raw image
# (resize without -f) still gets the warning.
set -eu
. "$MIMIC_SRC_DIR/tests/block/img-lib.sh"
cd "$T"
make_test_image src.raw $((4 << 20))
"$IMG" convert -O raw src.raw out.raw 2>err.txt >out.txt
[ ! -s err.txt ] || fail "convert from a probed raw source printed: $(cat err.txt)"
[ ! -s out.txt ] || fail "convert printed on stdout: $(cat out.txt)"
cmp src.raw out.raw || fail "convert changed the data"
"$IMG" info src.raw 2>err.txt >/dev/null
[ ! -s err.txt ] || fail "info of a probed raw image printed: $(cat err.txt)"
"$IMG" resize src.raw +1M 2>err.txt >/dev/null
grep -q "probing guessed raw" err.txt || fail "a writable probed raw image lost its warning"
echo "probing a read-only raw source is quiet"
