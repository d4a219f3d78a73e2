# Helpers for the ARM virt guest tests (sourced): Debian payloads cached in ~/.cache/mimic,
# and a guest driven through its serial port on stdio.
set -u
: "${MIMIC_BUILD_DIR:?run through make check}"
ARM=$MIMIC_BUILD_DIR/mimic-system-arm
CACHE=${MIMIC_CACHE_DIR:-$HOME/.cache/mimic}
APT_LOCK=/tmp/mimic-apt.lock
[ -d /work/wt ] && APT_LOCK=/work/wt/apt.lock     # the shared lock of this build host
TMP=$(mktemp -d)
GUEST_PID=
cleanup() {
    [ -n "$GUEST_PID" ] && kill "$GUEST_PID" 2>/dev/null
    rm -rf "$TMP"
}
trap cleanup EXIT
fail() { echo "FAIL: $*"; [ -f "$TMP/out" ] && tail -c 3000 "$TMP/out"; exit 1; }
skip() { echo "$*"; exit 77; }

# fetch_deb PACKAGE[:ARCH]: unpacks the package from Debian's archive into
# $CACHE/NAME (once) and prints that directory.
fetch_deb() {
    local pkg=$1 dir=$CACHE/${1/:/_}
    if [ ! -f "$dir/.done" ]; then
        mkdir -p "$CACHE" && rm -rf "$dir" && mkdir -p "$dir" || return 1
        ( cd "$dir" && flock "$APT_LOCK" apt-get download -q "$pkg" ) >/dev/null 2>&1 ||
            { rm -rf "$dir"; return 1; }
        dpkg-deb -x "$dir"/*.deb "$dir" && rm -f "$dir"/*.deb && touch "$dir/.done" || return 1
    fi
    echo "$dir"
}

# armmp_payloads: Debian's armmp kernel with its installer initrd (debian-installer-12-
# netboot-armhf) and busybox-static:armhf, fetched once: sets KERNEL, INSTALLER_INITRD and
# BUSYBOX (skips the test when the archive cannot be reached).
armmp_payloads() {
    local di bb
    di=$(fetch_deb debian-installer-12-netboot-armhf) ||
        skip "cannot fetch debian-installer-12-netboot-armhf from the Debian archive"
    bb=$(fetch_deb busybox-static:armhf) || skip "cannot fetch busybox-static:armhf"
    KERNEL=$(find "$di" -path '*armhf/vmlinuz' | head -n 1)
    INSTALLER_INITRD=$(dirname "$KERNEL")/initrd.gz
    BUSYBOX=$bb/bin/busybox
    [ -f "$KERNEL" ] && [ -f "$INSTALLER_INITRD" ] && [ -f "$BUSYBOX" ] ||
        fail "no vmlinuz/initrd.gz in debian-installer-12-netboot-armhf or no busybox"
}

# Kernel modules matching the installer kernels, from linux-image-ABI (ABI read from the
# installer's own initrd: its lib/modules/ABI): armmp_modules after armmp_payloads, and
# i386_netboot_payloads (KERNEL and BUSYBOX of the i386 netboot installer too) set KMODS,
# the package's lib/modules/ABI/kernel, and MODS, its drivers/.
modules_for() {             # $1: the installer's initrd.gz, $2: the package's :ARCH
    local abi li
    abi=$(zcat "$1" | cpio -t 2>/dev/null | sed -n 's|^lib/modules/\([^/]*\)$|\1|p' | head -n 1)
    [ -n "$abi" ] || fail "cannot read the kernel ABI from the installer's initrd"
    li=$(fetch_deb "linux-image-$abi:$2") || skip "cannot fetch linux-image-$abi:$2"
    KMODS=$li/lib/modules/$abi/kernel
    MODS=$KMODS/drivers
}
armmp_modules() { modules_for "$INSTALLER_INITRD" armhf; }
i386_netboot_payloads() {
    local di bb
    di=$(fetch_deb debian-installer-12-netboot-i386) ||
        skip "cannot fetch debian-installer-12-netboot-i386 from the Debian archive"
    bb=$(fetch_deb busybox-static:i386) || skip "cannot fetch busybox-static:i386"
    KERNEL=$(find "$di" -path '*text/debian-installer/i386/linux' | head -n 1)
    [ -f "$KERNEL" ] || fail "no text-installer kernel in debian-installer-12-netboot-i386"
    BUSYBOX=$bb/bin/busybox
    modules_for "$(dirname "$KERNEL")/initrd.gz" i386
}

# busybox_initramfs INIT [FILE:NAME...]: $TMP/initrd.gz with GUEST_BUSYBOX, the modules
# GUEST_MODULES in /mod (their load order in /mod/order), tests/system/INIT as /init and
# each further tests/system/FILE as the executable /NAME.
busybox_initramfs() {
    local m f
    mkdir -p "$TMP/root/bin" "$TMP/root/proc" "$TMP/root/sys" "$TMP/root/dev" \
        "$TMP/root/mod" "$TMP/root/tmp"
    cp "$GUEST_BUSYBOX" "$TMP/root/bin/busybox"
    ln -s busybox "$TMP/root/bin/sh"
    for m in $GUEST_MODULES; do
        cp "$m" "$TMP/root/mod/" || fail "module $m missing"
        echo "${m##*/}" >>"$TMP/root/mod/order"
    done
    cp "$MIMIC_SRC_DIR/tests/system/$1" "$TMP/root/init"
    chmod +x "$TMP/root/init"
    shift
    for f in "$@"; do
        cp "$MIMIC_SRC_DIR/tests/system/${f%%:*}" "$TMP/root/${f#*:}"
        chmod +x "$TMP/root/${f#*:}"
    done
    (cd "$TMP/root" && find . | cpio -o -H newc --quiet | gzip -1) >"$TMP/initrd.gz"
}

# start_guest ARGS...: runs the emulator with the serial port on a pipe pair; output to
# $TMP/out, input through fd 3.
start_guest() {
    mkfifo "$TMP/in"
    "$ARM" -M virt -display none -monitor none -serial stdio "$@" <"$TMP/in" >"$TMP/out" 2>&1 &
    GUEST_PID=$!
    exec 3>"$TMP/in"
}

# wait_for TEXT SECONDS [COUNT]: until the serial output has COUNT (1) lines with TEXT.
wait_for() {
    local text=$1 limit=$2 count=${3:-1} start=$SECONDS
    while [ "$(grep -cF -- "$text" "$TMP/out" 2>/dev/null)" -lt "$count" ]; do
        kill -0 "$GUEST_PID" 2>/dev/null || fail "the emulator exited before '$text'"
        [ $((SECONDS - start)) -lt "$limit" ] || fail "no '$text' after ${limit}s"
        sleep 0.2
    done
    echo "ok: '$text' after $((SECONDS - start))s"
}

# Busybox's line editor asks the terminal where the cursor is (ESC[6n) after a prompt
# when no input is pending; characters typed before the answer are taken for it and lost
# ("echo" arrived as "ho", or "eho" when the query came out only after a fixed 0.5 s wait
# on a loaded host). The test is the terminal: it answers each query it has seen; with
# CURSOR_QUERY_EXPECTED=1 (a busybox shell), it first waits up to 5 s for the prompt's.
CURSOR_QUERIES_ANSWERED=0
CURSOR_QUERY_EXPECTED=${CURSOR_QUERY_EXPECTED:-0}
answer_cursor_queries() {
    local asked tries=0
    [ "$CURSOR_QUERY_EXPECTED" = 1 ] || tries=50
    while :; do
        asked=$(grep -ao $'\e\[6n' "$TMP/out" 2>/dev/null | wc -l)
        [ "$asked" -gt "$CURSOR_QUERIES_ANSWERED" ] || [ $tries -ge 50 ] && break
        tries=$((tries + 1))
        sleep 0.1
    done
    sleep 0.2
    asked=$(grep -ao $'\e\[6n' "$TMP/out" 2>/dev/null | wc -l)
    while [ "$CURSOR_QUERIES_ANSWERED" -lt "$asked" ]; do
        printf '\033[1;1R' >&3
        CURSOR_QUERIES_ANSWERED=$((CURSOR_QUERIES_ANSWERED + 1))
    done
}

# send TEXT: types a line on the guest's console, slowly enough for a polled UART.
send() {
    local i
    answer_cursor_queries
    for ((i = 0; i < ${#1}; i++)); do
        printf '%s' "${1:i:1}" >&3
        sleep 0.02
    done
    printf '\r' >&3
}
