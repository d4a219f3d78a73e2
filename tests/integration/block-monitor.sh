#!/bin/bash
# The monitor's block commands on the pc machine (paused with -S, so no guest runs): HMP
# info block, change, eject [-f], commit, block_resize through human-monitor-command, and
# QMP query-block (full members), blockdev-change-medium, eject, block_resize, errors.
# The images are checked afterwards with qemu-img/qemu-io (the commit landed in the
# backing file, the resize in the overlay).
. "$(dirname "$0")/lib.sh"
command -v python3 >/dev/null || { echo "python3 is not installed"; exit 77; }
command -v qemu-io >/dev/null || { echo "qemu-utils is not installed"; exit 77; }
[ -r /usr/share/seabios/bios-256k.bin ] || { echo "seabios is not installed"; exit 77; }
IMG=$MIMIC_BUILD_DIR/mimic-img
"$IMG" create -f raw "$TMP/base.raw" 64M >/dev/null || fail "create base"
"$IMG" create -f qcow2 -b "$TMP/base.raw" -F raw "$TMP/top.qcow2" >/dev/null || fail "create top"
qemu-io -f qcow2 -c 'write -P 0x5a 1M 64k' "$TMP/top.qcow2" >/dev/null || fail "qemu-io write"
truncate -s 4M "$TMP/cd1.iso"
truncate -s 8M "$TMP/cd2.iso"
sock=$TMP/qmp.sock
timeout 60 "$I386" -S -display none -m 32 -qmp unix:$sock,server=on,wait=off \
    -drive "file=$TMP/top.qcow2,format=qcow2,if=ide,index=0" \
    -drive "file=$TMP/cd1.iso,format=raw,media=cdrom,if=ide,index=2" \
    -drive "if=ide,index=3,media=cdrom,id=empty" >"$TMP/out" 2>&1 &
pid=$!
PYTHONPATH=$(dirname "$0") timeout 50 python3 - "$sock" "$TMP" <<'PY' || { kill $pid; cat "$TMP/out"; fail "QMP session"; }
import sys
from qmp_client import QMP

tmp = sys.argv[2]
q = QMP(sys.argv[1])
assert q.cmd("qmp_capabilities") == {"return": {}}
def hmp(line):
    return q.cmd("human-monitor-command", **{"command-line": line})["return"]
def block(dev):
    return [b for b in q.cmd("query-block")["return"] if b["device"] == dev][0]

info = hmp("info block")
assert "ide0-hd0: %s/top.qcow2 (qcow2)" % tmp in info, info
assert "Backing file:     %s/base.raw (chain depth: 1)" % tmp in info, info
assert "ide1-cd0: %s/cd1.iso (raw, read-only)" % tmp in info, info
assert "Removable device: not locked, tray closed" in info, info
assert "empty: [not inserted]" in info, info

hd = block("ide0-hd0")
assert hd["removable"] is False and hd["locked"] is False and "tray_open" not in hd, hd
ins = hd["inserted"]
assert ins["drv"] == "qcow2" and ins["ro"] is False and ins["backing_file_depth"] == 1, ins
assert ins["image"]["virtual-size"] == 64 << 20 and ins["image"]["format"] == "qcow2", ins
assert ins["image"]["backing-image"]["format"] == "raw", ins
assert ins["cache"] == {"writeback": True, "direct": False, "no-flush": False}, ins
for k in ("bps", "iops", "write_threshold", "encrypted", "detect_zeroes"):
    assert k in ins, k
cd = block("ide1-cd0")
assert cd["removable"] is True and cd["tray_open"] is False and cd["inserted"]["ro"], cd
assert "inserted" not in block("empty")

# HMP change / eject
assert hmp("change ide1-cd0 %s/cd2.iso raw" % tmp) == "", "change"
assert block("ide1-cd0")["inserted"]["image"]["virtual-size"] == 8 << 20
assert hmp("eject ide1-cd0") == ""
cd = block("ide1-cd0")
assert "inserted" not in cd and cd["tray_open"] is True, cd
assert "is not removable" in hmp("eject ide0-hd0")
assert "not found" in hmp("eject nosuch")
assert hmp("change empty %s/cd1.iso" % tmp) == ""
assert block("empty")["inserted"]["file"] == "%s/cd1.iso" % tmp
# QMP change / eject / errors
r = q.cmd("blockdev-change-medium", id="ide1-cd0", filename="%s/cd1.iso" % tmp, format="raw")
assert r == {"return": {}}, r
assert block("ide1-cd0")["inserted"]["image"]["virtual-size"] == 4 << 20
r = q.cmd("blockdev-change-medium", device="ide1-cd0", filename="%s/nonexistent" % tmp)
assert "error" in r, r
assert block("ide1-cd0")["inserted"]["image"]["virtual-size"] == 4 << 20
r = q.cmd("eject", device="nosuch")
assert r["error"]["class"] == "DeviceNotFound", r
assert q.cmd("eject", device="empty", force=True) == {"return": {}}
assert "inserted" not in block("empty")
# commit the overlay into base.raw, resize the overlay
assert hmp("commit ide0-hd0") == ""
assert hmp("commit all") == ""
assert "not found" in hmp("commit nosuch")
assert hmp("block_resize ide0-hd0 96M") == ""
assert block("ide0-hd0")["inserted"]["image"]["virtual-size"] == 96 << 20
r = q.cmd("block_resize", device="ide0-hd0", size=100 << 20)
assert r == {"return": {}}, r
r = q.cmd("block_resize", device="ide0-hd0", size=1000)
assert "multiple of 512" in r["error"]["desc"], r
assert "error" in q.cmd("block_resize", device="ide1-cd0", size=1 << 20)
assert q.cmd("quit") == {"return": {}}
print("block monitor session ok")
PY
wait $pid; rc=$?
cat "$TMP/out"
[ $rc -eq 0 ] || fail "emulator exit status $rc after quit"
qemu-io -f raw -c 'read -P 0x5a 1M 64k' "$TMP/base.raw" | grep -q "read 65536/65536" ||
    fail "the commit did not reach base.raw"
size=$(qemu-img info --output=json "$TMP/top.qcow2" | python3 -c 'import json,sys; print(json.load(sys.stdin)["virtual-size"])')
[ "$size" = $((100 << 20)) ] || fail "top.qcow2 is $size bytes after block_resize, expected 100 MiB"
echo "block monitor commands ok"
