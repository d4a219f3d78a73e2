#!/bin/bash
# virtio-serial and virtio-rng over virtio-mmio on -M virt: Debian's armmp kernel with
# virtio_mmio.ko, virtio_console.ko and virtio-rng.ko from the matching
# linux-image-*-armmp:armhf, a busybox-static:armhf initramfs (virtio-console-init.sh).
# The guest reads /dev/hwrng (virtio_rng.0, 4 KiB that do not compress, two reads that
# differ), then runs a shell on hvc0, a virtconsole on a pipe chardev that this script
# types into; through that shell the guest writes to and reads from a virtserialport
# named org.mimic.test on a second pipe chardev (64 KiB each way, checked by md5, the
# host's data written before the guest opens the port). Also the -device errors.
. "$(dirname "$0")/arm-guest-lib.sh"
command -v cpio >/dev/null || skip "cpio not installed"

armmp_payloads
abi=$(zcat "$INSTALLER_INITRD" | cpio -t 2>/dev/null |
      sed -n 's|^lib/modules/\([^/]*\)$|\1|p' | head -n 1)
[ -n "$abi" ] || fail "cannot read the kernel ABI from the installer's initrd"
li=$(fetch_deb "linux-image-$abi:armhf") || skip "cannot fetch linux-image-$abi:armhf"
mods=$li/lib/modules/$abi/kernel/drivers

# -device errors: one line, exit 1
check_refused() {           # $1: text expected, then emulator arguments
    local want=$1 out rc
    shift
    out=$("$ARM" -M virt -display none -monitor none -serial none "$@" 2>&1 </dev/null); rc=$?
    [ $rc -eq 1 ] || fail "$* exited $rc, not 1: $out"
    grep -qF -- "$want" <<<"$out" || fail "$*: no '$want' in: $out"
    echo "ok: refused: $out"
}
check_refused "needs a bus of type virtio-serial-bus" -chardev null,id=c -device virtconsole,chardev=c
check_refused "rng=r0" -device virtio-rng-device,rng=r0
check_refused "port number 0 is reserved" -device virtio-serial-device \
    -chardev null,id=c -device virtserialport,chardev=c,nr=0

mkdir -p "$TMP/root/bin" "$TMP/root/proc" "$TMP/root/sys" "$TMP/root/dev" "$TMP/root/mod" \
    "$TMP/root/tmp"
cp "$BUSYBOX" "$TMP/root/bin/busybox"
ln -s busybox "$TMP/root/bin/sh"
for m in virtio/virtio_mmio.ko char/virtio_console.ko char/hw_random/virtio-rng.ko; do
    cp "$mods/$m" "$TMP/root/mod/" || fail "module $m missing"
    echo "${m##*/}" >>"$TMP/root/mod/order"
done
cp "$MIMIC_SRC_DIR/tests/system/virtio-console-init.sh" "$TMP/root/init"
chmod +x "$TMP/root/init"
(cd "$TMP/root" && find . | cpio -o -H newc --quiet | gzip -1) >"$TMP/initrd.gz"

# The two chardevs: pipes PATH.in (host -> guest) and PATH.out (guest -> host).
for p in con port; do
    mkfifo "$TMP/$p.in" "$TMP/$p.out"
    cat "$TMP/$p.out" >"$TMP/$p.log" &
done
head -c 65536 /dev/urandom >"$TMP/blob"
BLOB_MD5=$(md5sum <"$TMP/blob" | cut -c1-32)

start_guest -m 256 -kernel "$KERNEL" -initrd "$TMP/initrd.gz" -no-reboot \
    -append "console=ttyAMA0 console=hvc0 rdinit=/init panic=-1" \
    -device virtio-rng-device -device virtio-serial-device \
    -chardev pipe,id=con,path="$TMP/con" -device virtconsole,chardev=con \
    -chardev pipe,id=port,path="$TMP/port" \
    -device virtserialport,chardev=port,name=org.mimic.test
exec 4>"$TMP/con.in" 5>"$TMP/port.in"
wait_for "MIMIC-READY" "${MIMIC_VIRTIO_TIMEOUT:-300}"

expect() { grep -qF -- "$1" "$TMP/out" || fail "no '$1' in the guest's output"; }
expect "MIMIC-RNG-CURRENT virtio_rng.0"
expect "MIMIC-RNG-BYTES 4096"
expect "name=org.mimic.test"
gz=$(sed -n 's/.*MIMIC-RNG-BYTES 4096 gzip=\([0-9]*\).*/\1/p' "$TMP/out")
[ "${gz:-0}" -gt 4000 ] || fail "4 KiB from /dev/hwrng compress to ${gz:-?} bytes: not random"
read -r _ md1 md2 < <(grep -a "MIMIC-RNG-MD5" "$TMP/out" | tr -d '\r')
[ "$md1" != "$md2" ] || fail "two reads of /dev/hwrng gave the same data"
echo "ok: virtio-rng: 4 KiB compress to $gz bytes, two reads differ"

# hvc_send TEXT: types a line into the virtconsole; hvc_wait TEXT [LOG]: waits for it.
hvc_send() { printf '%s\n' "$1" >&4; }
hvc_wait() {
    local text=$1 log=${2:-$TMP/con.log} start=$SECONDS
    until grep -qaF -- "$text" "$log"; do
        kill -0 "$GUEST_PID" 2>/dev/null || fail "the emulator exited before '$text'"
        [ $((SECONDS - start)) -lt 60 ] || { tail -c 2000 "$log"; fail "no '$text' in ${log##*/}"; }
        sleep 0.2
    done
    echo "ok: '$text' after $((SECONDS - start))s"
}
hvc_send 'echo MIMIC-HVC-$((6 * 7))'
hvc_wait "MIMIC-HVC-42"

# guest -> host through the named port
hvc_send 'echo MIMIC-PORT-OUT-$((6 * 7)) > /dev/virtio-ports/org.mimic.test && echo MIMIC-WROTE'
hvc_wait "MIMIC-WROTE"
hvc_wait "MIMIC-PORT-OUT-42" "$TMP/port.log"

# host -> guest: written while the guest has the port closed; it arrives once opened
cat "$TMP/blob" >&5
sleep 1
hvc_send 'head -c 65536 /dev/virtio-ports/org.mimic.test > /tmp/blob; echo MIMIC-IN-$(md5sum < /tmp/blob | cut -c1-32)'
hvc_wait "MIMIC-IN-$BLOB_MD5"

# and the 64 KiB back to the host
: >"$TMP/port.log.size"
hvc_send 'cat /tmp/blob > /dev/virtio-ports/org.mimic.test && echo MIMIC-SENT-BACK'
hvc_wait "MIMIC-SENT-BACK"
start=$SECONDS
until [ "$(stat -c %s "$TMP/port.log")" -ge $((65536 + 17)) ]; do
    [ $((SECONDS - start)) -lt 30 ] || fail "the host got $(stat -c %s "$TMP/port.log") bytes on the port"
    sleep 0.2
done
[ "$(tail -c 65536 "$TMP/port.log" | md5sum | cut -c1-32)" = "$BLOB_MD5" ] ||
    fail "the 64 KiB the guest sent back differ"
echo "ok: 64 KiB each way through org.mimic.test"

hvc_send 'poweroff -f'
wait "$GUEST_PID"; rc=$?
GUEST_PID=
[ $rc -eq 0 ] || fail "the emulator exited $rc"
echo "virtio-console ok"
