# Helpers for the pc machine's Linux tests and benchmark (sourced): Debian payloads cached
# in $CACHE (~/.cache/mimic or MIMIC_CACHE), fetched with apt-get download under $LOCK,
# and a newc initramfs writer that needs no root. The caller sets TMP.
CACHE=${MIMIC_CACHE:-$HOME/.cache/mimic}
LOCK=/work/wt/apt.lock; [ -e "$LOCK" ] || LOCK=$CACHE/apt.lock
mkdir -p "$CACHE"

skip() { echo "$*" >&2; exit 77; }     # also from inside $(...)
fail() { echo "FAIL: $*"; [ -f "$TMP/out" ] && tail -n 40 "$TMP/out"; exit 1; }

# fetch PACKAGE GLOB: the cached .deb (downloaded once)
fetch() {
    local f
    f=$(ls "$CACHE"/$2 2>/dev/null | head -n 1)
    if [ -z "$f" ]; then
        (cd "$CACHE" && flock "$LOCK" apt-get download "$1") >"$TMP/apt.log" 2>&1 ||
            skip "cannot download $1 (apt-get download failed: $(tail -n 1 "$TMP/apt.log"))"
        f=$(ls "$CACHE"/$2 | head -n 1)
    fi
    echo "$f"
}

# netboot_file ARCH NAME: linux or initrd.gz of the text installer in Debian's
# debian-installer-12-netboot-ARCH package, extracted once into the cache
netboot_file() {
    local deb f
    deb=$(fetch "debian-installer-12-netboot-$1" "debian-installer-12-netboot-${1}_*.deb") || exit $?
    f=$CACHE/${deb##*/}.$2
    if [ ! -s "$f" ]; then
        dpkg-deb --fsys-tarfile "$deb" |
            tar -xO "./usr/lib/debian-installer/images/12/$1/text/debian-installer/$1/$2" \
            >"$f.tmp" && mv "$f.tmp" "$f"
    fi
    [ -s "$f" ] || fail "no text-installer $2 in $deb"
    echo "$f"
}
kernel() { netboot_file "$1" linux; }
installer_initrd() { netboot_file "$1" initrd.gz; }

# abi KERNEL: "6.1.0-50-686", from the bzImage's kernel_version string (setup header 0x20e)
abi() {
    python3 - "$1" <<'PY'
import struct, sys
d = open(sys.argv[1], "rb").read(65536)
off = struct.unpack_from("<H", d, 0x20e)[0] + 0x200
print(d[off:d.index(b"\0", off)].split(b" ")[0].decode())
PY
}

# modules ABI ARCHPKG: button.ko and evdev.ko of linux-image-ABI, extracted once
modules() {
    local dir=$CACHE/linux-modules-$1 deb
    if [ ! -s "$dir/button.ko" ] || [ ! -s "$dir/evdev.ko" ]; then
        deb=$(fetch "linux-image-$1:$2" "linux-image-${1}_*_$2.deb") || exit $?
        mkdir -p "$dir"
        dpkg-deb --fsys-tarfile "$deb" | tar -x -C "$TMP" \
            "./lib/modules/$1/kernel/drivers/acpi/button.ko" \
            "./lib/modules/$1/kernel/drivers/input/evdev.ko" || fail "no button.ko/evdev.ko in $deb"
        cp "$TMP/lib/modules/$1/kernel/drivers/acpi/button.ko" \
           "$TMP/lib/modules/$1/kernel/drivers/input/evdev.ko" "$dir/"
    fi
    echo "$dir"
}

# newc cpio with /dev/console, without root: python3 writes the archive
make_initramfs() {
    python3 - "$1" "$2" <<'PY'
import os, sys, gzip, stat
root, out = sys.argv[1], sys.argv[2]
def hdr(name, mode, size, rdev=(0, 0), ino=[1]):
    ino[0] += 1
    f = [ino[0], mode, 0, 0, 1, 0, size, 0, 0, rdev[0], rdev[1], len(name) + 1, 0]
    h = b"070701" + b"".join(b"%08x" % v for v in f) + name.encode() + b"\0"
    return h + b"\0" * (-len(h) % 4)
data = bytearray(hdr("dev", stat.S_IFDIR | 0o755, 0))
data += hdr("dev/console", stat.S_IFCHR | 0o600, 0, (5, 1))
for d, dirs, files in os.walk(root):
    for n in sorted(dirs) + sorted(files):
        p = os.path.join(d, n)
        rel, st = os.path.relpath(p, root), os.lstat(p)
        if stat.S_ISDIR(st.st_mode):
            data += hdr(rel, st.st_mode, 0)
        else:
            b = os.readlink(p).encode() if stat.S_ISLNK(st.st_mode) else open(p, "rb").read()
            data += hdr(rel, st.st_mode, len(b)) + b + b"\0" * (-len(b) % 4)
data += hdr("TRAILER!!!", 0, 0)
open(out, "wb").write(gzip.compress(bytes(data)))
PY
}

# cpu_ticks PID: user + system clock ticks of the process so far
cpu_ticks() { awk '{ print $14 + $15 }' "/proc/$1/stat"; }
