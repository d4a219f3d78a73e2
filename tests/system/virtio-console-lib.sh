# Shared by arm-virt-virtio-console.sh and pc-virtio-console-linux.sh (sourced after
# arm-guest-lib.sh): a busybox initramfs whose /init (virtio-console-init.sh) loads the
# modules listed in /mod/order and checks /dev/hwrng, then runs a shell on hvc0; and the
# host side: the -device errors, then one boot with a virtio-rng device and a
# virtio-serial device carrying a virtconsole and a virtserialport named org.mimic.test,
# each on a pipe chardev: commands typed on hvc0, 64 KiB each way through the named port
# (the host's data written while the guest has the port closed), poweroff.
# The caller sets GUEST_BUSYBOX, GUEST_MODULES (in load order), CONSOLE (the early
# serial console), SERIAL_DEVICE, RNG_DEVICE, RNG_ARGS (an array: the options that
# create the rng device) and defines run_emulator ARGS... (serial console on stdio),
# which must exec the emulator: run in the background, its pid is GUEST_PID, which the
# exit trap kills when a check fails.

virtio_console_refusals() {
    local want out rc
    check_refused() {       # $1: text expected, then emulator arguments
        want=$1
        shift
        out=$(run_emulator -serial none "$@" 2>&1 </dev/null); rc=$?
        [ $rc -eq 1 ] || fail "$* exited $rc, not 1: $out"
        grep -qF -- "$want" <<<"$out" || fail "$*: no '$want' in: $out"
        echo "ok: refused: $out"
    }
    check_refused "needs a bus of type virtio-serial-bus" -chardev null,id=c \
        -device virtconsole,chardev=c
    check_refused "rng=r0" -device "$RNG_DEVICE",rng=r0
    check_refused "port number 0 is reserved" -device "$SERIAL_DEVICE" \
        -chardev null,id=c -device virtserialport,chardev=c,nr=0
}

virtio_console_initramfs() { busybox_initramfs virtio-console-init.sh; }

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

virtio_console_boot() {
    local p readers=
    for p in con port; do           # pipes PATH.in (host -> guest), PATH.out (guest -> host)
        mkfifo "$TMP/$p.in" "$TMP/$p.out"
        cat "$TMP/$p.out" >"$TMP/$p.log" &
        readers="$readers $!"
    done
    trap "kill $readers 2>/dev/null; cleanup" EXIT
    mkfifo "$TMP/in"
    run_emulator -m 256 -kernel "$KERNEL" -initrd "$TMP/initrd.gz" -no-reboot \
        -append "console=$CONSOLE console=hvc0 rdinit=/init panic=-1" \
        "${RNG_ARGS[@]}" -device "$SERIAL_DEVICE" \
        -chardev pipe,id=con,path="$TMP/con" -device virtconsole,chardev=con \
        -chardev pipe,id=port,path="$TMP/port" \
        -device virtserialport,chardev=port,name=org.mimic.test \
        <"$TMP/in" >"$TMP/out" 2>&1 &
    GUEST_PID=$!
    exec 3>"$TMP/in" 4>"$TMP/con.in" 5>"$TMP/port.in"
    wait_for "MIMIC-READY" "${MIMIC_VIRTIO_TIMEOUT:-300}"
}

virtio_console_rng() {
    local gz md1 md2
    grep -qF "MIMIC-RNG-CURRENT virtio_rng.0" "$TMP/out" ||
        fail "hw_random does not use virtio_rng.0"
    gz=$(sed -n 's/.*MIMIC-RNG-BYTES 4096 gzip=\([0-9]*\).*/\1/p' "$TMP/out")
    [ "${gz:-0}" -gt 4000 ] || fail "4 KiB from /dev/hwrng compress to ${gz:-?} bytes: not random"
    read -r _ md1 md2 < <(grep -a "MIMIC-RNG-MD5" "$TMP/out" | tr -d '\r')
    [ "$md1" != "$md2" ] || fail "two reads of /dev/hwrng gave the same data"
    echo "ok: virtio-rng: 4 KiB compress to $gz bytes, two reads differ"
}

virtio_console_ports() {
    local blob_md5 start rc
    grep -qF "name=org.mimic.test" "$TMP/out" || fail "the guest has no port named org.mimic.test"
    hvc_send 'echo MIMIC-HVC-$((6 * 7))'
    hvc_wait "MIMIC-HVC-42"
    # guest -> host through the named port
    hvc_send 'echo MIMIC-PORT-OUT-$((6 * 7)) > /dev/virtio-ports/org.mimic.test && echo MIMIC-WROTE'
    hvc_wait "MIMIC-WROTE"
    hvc_wait "MIMIC-PORT-OUT-42" "$TMP/port.log"
    # host -> guest: written while the guest has the port closed; it arrives once opened
    head -c 65536 /dev/urandom >"$TMP/blob"
    blob_md5=$(md5sum <"$TMP/blob" | cut -c1-32)
    cat "$TMP/blob" >&5
    sleep 1
    hvc_send 'head -c 65536 /dev/virtio-ports/org.mimic.test > /tmp/blob'
    hvc_send 'echo MIMIC-IN-$(md5sum < /tmp/blob | cut -c1-32)'
    hvc_wait "MIMIC-IN-$blob_md5"
    # and the 64 KiB back to the host, after the 17 bytes of MIMIC-PORT-OUT-42
    hvc_send 'cat /tmp/blob > /dev/virtio-ports/org.mimic.test && echo MIMIC-SENT-BACK'
    hvc_wait "MIMIC-SENT-BACK"
    start=$SECONDS
    until [ "$(stat -c %s "$TMP/port.log")" -ge $((65536 + 17)) ]; do
        [ $((SECONDS - start)) -lt 30 ] ||
            fail "the host got $(stat -c %s "$TMP/port.log") bytes on the port"
        sleep 0.2
    done
    [ "$(tail -c 65536 "$TMP/port.log" | md5sum | cut -c1-32)" = "$blob_md5" ] ||
        fail "the 64 KiB the guest sent back differ"
    echo "ok: 64 KiB each way through org.mimic.test"
    hvc_send 'poweroff -f'
    wait "$GUEST_PID"; rc=$?
    GUEST_PID=
    [ $rc -eq 0 ] || fail "the emulator exited $rc"
}
