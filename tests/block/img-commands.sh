#!/bin/bash
# mimic-img subcommands beyond convert: resize, dd, compare -s, map ranges, help texts, and
# (with a qcow2 driver) snapshot, commit, rebase, amend, info --backing-chain, measure.
# Where qemu-img is installed, results are checked against it.
set -eu
. "$MIMIC_SRC_DIR/tests/block/img-lib.sh"
cd "$T"
make_test_image src.raw $((16 << 20))

# Help: every command has its help, and --help lists the formats.
for cmd in create info convert check snapshot resize commit rebase compare map measure dd amend; do
    "$IMG" "$cmd" --help | grep -q "^usage: mimic-img $cmd" || fail "$cmd --help"
done
"$IMG" --help | grep -q '^Supported formats:.* vdi' || fail "--help formats"

# resize: absolute, relative, shrink only with --shrink.
cp src.raw r.raw
"$IMG" resize -q -f raw r.raw +1M && [ "$(stat -c %s r.raw)" -eq $((17 << 20)) ] || fail "resize +1M"
"$IMG" resize -q -f raw r.raw 20M && [ "$(stat -c %s r.raw)" -eq $((20 << 20)) ] || fail "resize 20M"
if "$IMG" resize -q -f raw r.raw -- -4M 2>/dev/null; then fail "shrink without --shrink"; fi
"$IMG" resize -q -f raw --shrink r.raw -- -4M && [ "$(stat -c %s r.raw)" -eq $((16 << 20)) ] ||
    fail "resize --shrink -4M"
cmp src.raw r.raw || fail "resize changed the data"

# compare -s: same content, different allocation is a strict mismatch.
cp --sparse=never src.raw full.raw
"$IMG" compare -q -f raw -F raw src.raw full.raw || fail "compare identical content"
rc=0; "$IMG" compare -s -f raw -F raw src.raw full.raw >/dev/null || rc=$?
[ $rc -eq 1 ] || fail "compare -s on different allocation: exit $rc"
truncate -s $((17 << 20)) big.raw; dd if=src.raw of=big.raw conv=notrunc status=none
"$IMG" compare -f raw -F raw src.raw big.raw | grep -q 'Image size mismatch' || fail "size warning"
rc=0; "$IMG" compare -s -q -f raw -F raw src.raw big.raw >/dev/null || rc=$?
[ $rc -eq 1 ] || fail "compare -s on different sizes: exit $rc"

# map ranges
"$IMG" map -f raw --output=json --start-offset=1M --max-length=2M src.raw |
    python3 -c 'import json,sys; m=json.load(sys.stdin); assert m[0]["start"]==1<<20 and sum(e["length"] for e in m)==2<<20, m' ||
    fail "map --start-offset/--max-length"

if command -v qemu-img >/dev/null; then
    for args in "bs=4k count=10 skip=2" "bs=1M" "bs=512 skip=100"; do
        # shellcheck disable=SC2086
        qemu-img dd -f raw -O raw $args if=src.raw of=q.dd
        # shellcheck disable=SC2086
        "$IMG" dd -f raw -O raw $args if=src.raw of=m.dd
        cmp q.dd m.dd || fail "dd $args differs from qemu-img dd"
        rm -f q.dd m.dd
    done
    echo "ok: dd matches qemu-img"
fi

if ! has_format qcow2; then
    echo "note: no qcow2 driver yet: snapshot/commit/rebase/amend/backing-chain skipped"
    exit 0
fi
"$IMG" convert -f raw -O qcow2 src.raw base.qcow2
"$IMG" create -q -f qcow2 -b base.qcow2 -F qcow2 top.qcow2
"$IMG" info --backing-chain --output=json top.qcow2 |
    python3 -c 'import json,sys; c=json.load(sys.stdin); assert [i["filename"] for i in c]==["top.qcow2","base.qcow2"], c' ||
    fail "info --backing-chain"
"$IMG" compare -q -F raw top.qcow2 src.raw || fail "overlay reads its backing"

# snapshot: create, list, apply, delete
"$IMG" snapshot -c s1 base.qcow2 || fail "snapshot -c"
"$IMG" snapshot -l base.qcow2 | grep -q ' s1 ' || fail "snapshot -l"
"$IMG" info --output=json base.qcow2 | grep -q '"name": "s1"' || fail "info shows snapshots"
"$IMG" snapshot -a s1 base.qcow2 || fail "snapshot -a"
"$IMG" snapshot -d s1 base.qcow2 || fail "snapshot -d"
if "$IMG" snapshot -l base.qcow2 | grep -q ' s1 '; then fail "snapshot listed after -d"; fi

# new content for the overlay: the source with its first 2 MiB replaced
cp src.raw new.raw
head -c $((2 << 20)) /dev/urandom | dd of=new.raw conv=notrunc status=none
"$IMG" convert -n -f raw -O qcow2 new.raw top.qcow2 || fail "convert -n into the overlay"
"$IMG" compare -q -F raw top.qcow2 new.raw || fail "overlay content after convert -n"
"$IMG" compare -q -F raw base.qcow2 src.raw || fail "base changed by writes to the overlay"

# convert -B: only what the overlay holds is copied; the rest stays with the new backing
"$IMG" convert -O qcow2 -B base.qcow2 -F qcow2 top.qcow2 nb.qcow2 || fail "convert -B"
"$IMG" compare -q -F raw nb.qcow2 new.raw || fail "convert -B content"
"$IMG" info nb.qcow2 | grep -q '^backing file: base.qcow2$' || fail "convert -B backing name"
[ "$(stat -c %s nb.qcow2)" -lt $((8 << 20)) ] || fail "convert -B copied the backing data"
if command -v qemu-img >/dev/null; then
    diff <(qemu-img map top.qcow2) <("$IMG" map top.qcow2) || fail "map text differs from qemu-img"
    diff <(qemu-img info --backing-chain top.qcow2 | grep -v '^disk size') \
         <("$IMG" info --backing-chain top.qcow2 | grep -v '^disk size') ||
        fail "info --backing-chain text differs from qemu-img"
fi

# rebase: a copy of the overlay made standalone keeps its content
cp top.qcow2 alone.qcow2
"$IMG" rebase -q -b '' alone.qcow2 || fail "rebase -b ''"
if "$IMG" info alone.qcow2 | grep -q 'backing file'; then fail "rebase left a backing file"; fi
"$IMG" compare -q -F raw alone.qcow2 new.raw || fail "rebase changed the content"

# commit: the overlay's data ends up in the base
"$IMG" commit -q top.qcow2 || fail "commit"
"$IMG" compare -q -F raw base.qcow2 new.raw || fail "base after commit"
"$IMG" check -q base.qcow2 || fail "check after commit"
if command -v qemu-img >/dev/null; then
    qemu-img check -q base.qcow2 || fail "qemu-img check after commit"
fi

# amend
"$IMG" amend -f qcow2 -o lazy_refcounts=on base.qcow2 || fail "amend"
"$IMG" info --output=json base.qcow2 | grep -q '"lazy-refcounts": true' || fail "amend not applied"
echo "ok: qcow2 commands"
