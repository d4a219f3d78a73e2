#!/bin/bash
# `virsh domcapabilities --emulatorbin mimic-system-x86_64 --virttype qemu` through a private
# libvirtd (issue 14): root, in a mount namespace where /etc/libvirt (qemu.conf: user
# "root", no security driver), /var/lib|cache|log/libvirt and /run/libvirt are scratch
# directories, so the host's libvirt is untouched. The answers (default machine, and each
# machine with --machine; libvirt hides "none") must name Mimic's machines and CPU models.
# Skipped (77) where libvirtd or namespaces are not available.
set -u
: "${MIMIC_BUILD_DIR:?run through make check}"
[ "$(id -u)" -eq 0 ] || { echo "needs root (a private libvirtd in a mount namespace)"; exit 77; }
for b in libvirtd virsh unshare; do
    command -v $b >/dev/null || { echo "$b not installed (libvirt-daemon, libvirt-daemon-driver-qemu, libvirt-clients)"; exit 77; }
done
unshare -m true 2>/dev/null || { echo "cannot create a mount namespace here"; exit 77; }
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
mkdir -p "$T/etc" "$T/lib" "$T/cache" "$T/log" "$T/run"
printf 'user = "root"\ngroup = "root"\nsecurity_driver = "none"\n' >"$T/etc/qemu.conf"
printf 'log_outputs = "3:stderr"\n' >"$T/etc/libvirtd.conf"
emu=$MIMIC_BUILD_DIR/mimic-system-x86_64
machines=$("$emu" -M help | awk 'NR > 1 && $1 != "none" { print $1 }' | tr "\n" " ")  # libvirt hides "none"
cat >"$T/run.sh" <<EOS
set -u
# libvirt's privileged QEMU driver resolves its default user before reading qemu.conf
if ! getent passwd libvirt-qemu >/dev/null; then
    cp /etc/passwd "$T/passwd"; cp /etc/group "$T/group"
    echo 'libvirt-qemu:x:64055:64055::/var/lib/libvirt:/usr/sbin/nologin' >>"$T/passwd"
    echo 'libvirt-qemu:x:64055:' >>"$T/group"
    getent group kvm >/dev/null || echo 'kvm:x:64056:' >>"$T/group"
    mount --bind "$T/passwd" /etc/passwd && mount --bind "$T/group" /etc/group || exit 3
fi
mkdir -p /etc/libvirt /var/lib/libvirt /var/cache/libvirt /var/log/libvirt /run/libvirt
mount --bind "$T/etc" /etc/libvirt && mount --bind "$T/lib" /var/lib/libvirt &&
mount --bind "$T/cache" /var/cache/libvirt && mount --bind "$T/log" /var/log/libvirt &&
mount --bind "$T/run" /run/libvirt || exit 3
libvirtd --pid-file "$T/libvirtd.pid" 2>"$T/libvirtd.log" &
lpid=\$!
for _ in \$(seq 100); do [ -S /run/libvirt/libvirt-sock ] && break; sleep 0.1; done
[ -S /run/libvirt/libvirt-sock ] || { kill \$lpid; exit 4; }
timeout 120 virsh -c qemu:///system domcapabilities --emulatorbin "$emu" --virttype qemu \
    >"$T/caps.xml" 2>"$T/virsh.err"
rc=\$?
for m in $machines; do
    [ \$rc -eq 0 ] || break
    timeout 60 virsh -c qemu:///system domcapabilities --emulatorbin "$emu" --virttype qemu \
        --machine \$m >"$T/caps-\$m.xml" 2>>"$T/virsh.err" || rc=\$?
done
kill \$lpid; wait \$lpid
exit \$rc
EOS
timeout 200 unshare -m --propagation private bash "$T/run.sh"
rc=$?
if [ $rc -eq 3 ] || [ $rc -eq 4 ]; then
    echo "private libvirtd could not start ($rc): $(grep -m1 error "$T/libvirtd.log")"
    exit 77
fi
[ $rc -eq 0 ] || { cat "$T/virsh.err"; grep error "$T/libvirtd.log" | tail -5; echo "FAIL: virsh exit $rc"; exit 1; }
cat "$T/caps.xml"
grep -q "<path>$emu</path>" "$T/caps.xml" || { echo "FAIL: path"; exit 1; }
grep -q "<arch>x86_64</arch>" "$T/caps.xml" || { echo "FAIL: arch"; exit 1; }
default=$("$emu" -M help | awk '/\(default\)/ { print $1 }')
grep -q "<machine>$default</machine>" "$T/caps.xml" || { echo "FAIL: default machine $default"; exit 1; }
for m in $machines; do
    grep -q "<machine>$m</machine>" "$T/caps-$m.xml" || { echo "FAIL: machine $m not named"; exit 1; }
done
# every model is offered in custom mode (libvirt lists max/host as modes, not models)
for model in $("$emu" -cpu help | awk 'NR > 1 && $1 != "max" { print $1 }'); do
    grep -q "<model usable='yes'[^>]*>$model</model>" "$T/caps.xml" ||
        { echo "FAIL: CPU model $model not listed"; exit 1; }
done
echo "virsh domcapabilities names Mimic's machines ($(echo $machines)) and CPU models"
