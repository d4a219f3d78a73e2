# Shared by arm-virt-virtio-net.sh and pc-virtio-net.sh (sourced after arm-guest-lib.sh):
# a busybox initramfs whose /init (virtio-net-init.sh) loads the modules of /mod/order,
# takes an address from slirp's DHCP, downloads a file from an HTTP server on the host's
# 127.0.0.1 through the gateway 10.0.2.2 and prints its md5sum, then serves a marker on
# port 80 that the host fetches through hostfwd. Each phase checks the MAC, the lease
# (10.0.2.15, gateway 10.0.2.2, DNS 10.0.2.3), the md5sum and the marker.
# The caller sets GUEST_BUSYBOX, GUEST_MODULES (in load order), CONSOLE, and defines
# run_emulator ARGS... (output to $TMP/out, input from $TMP/in; it must exec the
# emulator, so that the PID the test kills on failure is the emulator's, not a subshell's
# that would leave it running); EXTRA_APPEND is added to the kernel command line.
command -v python3 >/dev/null || skip "python3 not installed"

free_port() {
    python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

virtio_net_initramfs() {
    busybox_initramfs virtio-net-init.sh virtio-net-udhcpc.sh:udhcpc.sh
}

HTTP_PID=
virtio_net_http_server() {
    mkdir -p "$TMP/www"
    head -c $((768 << 10)) /dev/urandom >"$TMP/www/file"
    FILE_MD5=$(md5sum <"$TMP/www/file" | cut -c1-32)
    HTTP_PORT=$(free_port)
    (cd "$TMP/www" && exec python3 -m http.server --bind 127.0.0.1 "$HTTP_PORT") \
        >"$TMP/http.log" 2>&1 &
    HTTP_PID=$!
    trap 'cleanup; [ -n "$HTTP_PID" ] && kill "$HTTP_PID" 2>/dev/null' EXIT
    for _ in $(seq 50); do
        python3 -c "import socket; socket.create_connection(('127.0.0.1', $HTTP_PORT))" \
            2>/dev/null && return
        sleep 0.1
    done
    fail "the host's HTTP server did not start"
}

fetch_marker() {             # $1: host port
    python3 - "$1" <<'PY'
import sys, urllib.request
print(urllib.request.urlopen("http://127.0.0.1:%s/marker" % sys.argv[1], timeout=60).read().decode().strip())
PY
}

expect() { grep -qF -- "$1" "$TMP/out" || fail "phase $2: no '$1' in the guest's output"; }

# check_features PHASE BIT VALUE: the driver's negotiated feature bit as the guest reports.
check_features() {
    local bits
    bits=$(sed -n 's/^MIMIC-FEATURES \([01]*\).*/\1/p' "$TMP/out" | head -n 1)
    [ "${bits:$2:1}" = "$3" ] || fail "phase $1: feature bit $2 is '${bits:$2:1}', not $3 ($bits)"
}

# net_phase NAME MAC MRG_RXBUF VERSION_1 EMULATOR-ARGS...: boots, checks the negotiated
# MRG_RXBUF (bit 15) and VERSION_1 (bit 32), fetches the marker through FWD_PORT.
net_phase() {
    local phase=$1 mac=$2 mrg=$3 v1=$4 rc marker
    shift 4
    : >"$TMP/out"
    rm -f "$TMP/in"
    mkfifo "$TMP/in"
    run_emulator -m 256 -initrd "$TMP/initrd.gz" -no-reboot \
        -append "console=$CONSOLE rdinit=/init panic=-1 no_timer_check mimic_port=$HTTP_PORT ${EXTRA_APPEND:-}" \
        "$@" <"$TMP/in" >"$TMP/out" 2>&1 &
    GUEST_PID=$!
    exec 3>"$TMP/in"
    wait_for "MIMIC-SERVING" "${MIMIC_VIRTIO_TIMEOUT:-300}"
    expect "MIMIC-MAC $mac" "$phase"
    check_features "$phase" 15 "$mrg"
    check_features "$phase" 32 "$v1"
    expect "MIMIC-DHCP 10.0.2.15 router=10.0.2.2 dns=10.0.2.3" "$phase"
    expect "MIMIC-MD5 $FILE_MD5 $((768 << 10))" "$phase"
    marker=$(fetch_marker "$FWD_PORT") || fail "phase $phase: hostfwd: no answer on $FWD_PORT"
    [ "$marker" = "MIMIC-GUEST-MARKER $mac" ] ||
        fail "phase $phase: hostfwd gave '$marker'"
    echo "phase $phase: DHCP, HTTP download (md5 ok) and hostfwd ($marker) ok"
    printf 'bye\r' >&3
    wait_for "MIMIC-DONE" 60
    wait "$GUEST_PID"; rc=$?
    GUEST_PID=
    exec 3>&-
    [ $rc -eq 0 ] || fail "phase $phase: the emulator exited $rc"
}
