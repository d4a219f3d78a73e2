#!/bin/bash
# The networking options from the command line, no guest needed: every bad -netdev, -nic,
# -net or NIC -device exits 1 with one line naming it; an unused netdev and a NIC without
# one start with QEMU's warnings; "info network" on the monitor lists a NIC and its user
# netdev, on the ARM virt board and on the PC.
set -u
: "${MIMIC_BUILD_DIR:?run through make check}"
ARM=$MIMIC_BUILD_DIR/mimic-system-arm
I386=$MIMIC_BUILD_DIR/mimic-system-i386
fail() { echo "FAIL: $*"; exit 1; }

# expect_error "stderr substring" args...: exit 1 and exactly one line on stderr
expect_error() {
    local want=$1; shift
    local out rc
    out=$(timeout 20 "$ARM" -M virt "$@" -display none </dev/null 2>&1 >/dev/null); rc=$?
    [ $rc -eq 1 ] || fail "'$*' exited $rc, expected 1 (stderr: $out)"
    [ "$(printf '%s\n' "$out" | grep -c .)" -eq 1 ] || fail "'$*' printed more than one line: $out"
    case "$out" in *"$want"*) ;; *) fail "'$*': stderr '$out' lacks '$want'" ;; esac
    echo "ok: $* -> $out"
}

# monitor BINARY ARGS...: runs "info network" then quit on an HMP monitor on stdio
# (stopped with -S: no guest code runs); prints stdout and stderr.
monitor() {
    local bin=$1; shift
    printf 'info network\nquit\n' | timeout 30 "$bin" -S -display none -serial none \
        -monitor stdio "$@" 2>&1
}

expect_error "-netdev user: Parameter 'id' is missing" -netdev user
expect_error "-netdev tap,id=t0: netdev type 'tap' is not supported by Mimic (only 'user')" \
    -netdev tap,id=t0
expect_error "netdev type 'bridge' is not supported" -netdev bridge,id=b0,br=br0
expect_error "Parameter 'type' does not accept value 'frob'" -netdev frob,id=f0
expect_error "-netdev user,id=n0,bogus=1: -netdev: unknown parameter 'bogus'" \
    -netdev user,id=n0,bogus=1
expect_error "invalid host forwarding rule 'tcp::22'" -netdev user,id=n0,hostfwd=tcp::22
expect_error "Duplicate ID 'n0' for netdev" -netdev user,id=n0 -netdev user,id=n0
expect_error "-device virtio-net-device,netdev=nope: property 'netdev' of 'virtio-net-device': no netdev with id 'nope'" \
    -device virtio-net-device,netdev=nope
expect_error "netdev n0 is already in use" -netdev user,id=n0 \
    -device virtio-net-device,netdev=n0 -device virtio-net-device,netdev=n0
expect_error "-nic user,model=e1000: NIC model 'e1000' is not supported by Mimic" \
    -nic user,model=e1000
expect_error "only -net nic, -net user and -net none are supported" -net socket,listen=:1
expect_error "-net: Mimic takes one -net nic with at most one -net user" \
    -net nic -net nic -net user
expect_error "-net nic: unknown parameter 'mac'" -net nic,mac=52:54:00:00:00:01 -net user
expect_error "-device virtio-net-device,mac=1:2: property 'mac' of 'virtio-net-device' expects a MAC address" \
    -device virtio-net-device,mac=1:2

# QEMU's warnings, and a start all the same
out=$(monitor "$ARM" -M virt -netdev user,id=lonely -device virtio-net-device)
case "$out" in *"warning: netdev lonely has no peer"*) ;; *) fail "no unused-netdev warning: $out" ;; esac
case "$out" in *"warning: nic virtio-net-device.0 has no peer"*) ;; *) fail "no peerless-nic warning: $out" ;; esac
echo "ok: unused netdev and NIC without netdev warn"

out=$(monitor "$ARM" -M virt -nic user,hostfwd=tcp:127.0.0.1:0-:22)
case "$out" in *"virtio-net-device.0: type=nic,model=virtio-net,macaddr=52:54:00:12:34:56"*) ;;
    *) fail "virt -nic user: info network: $out" ;; esac
case "$out" in *"\\ __nic0: type=user,net=10.0.2.0/24,host=10.0.2.2,restrict=off,hostfwd rules=1"*) ;;
    *) fail "virt -nic user: no user netdev in info network: $out" ;; esac
echo "ok: -nic user on virt is virtio-net-device with a user netdev"

out=$(monitor "$I386" -nic user,mac=52:54:00:00:00:01 -net nic,model=virtio-net-pci,macaddr=52:54:00:00:00:02 -net user,restrict=on)
case "$out" in *"virtio-net-pci.0: type=nic,model=virtio-net,macaddr=52:54:00:00:00:01"*) ;;
    *) fail "pc -nic user: info network: $out" ;; esac
case "$out" in *"virtio-net-pci.1: type=nic,model=virtio-net,macaddr=52:54:00:00:00:02"*) ;;
    *) fail "pc -net nic: info network: $out" ;; esac
case "$out" in *"\\ __net0: type=user,net=10.0.2.0/24,host=10.0.2.2,restrict=on"*) ;;
    *) fail "pc -net user: info network: $out" ;; esac
echo "ok: -nic and -net nic -net user on the PC are virtio-net-pci"
echo "net-cli ok"
