# Shared helpers for the mimic-img script tests (sourced, not run).
# Gives: $IMG (mimic-img), $T (a scratch directory removed at exit), has_format, fail,
# make_test_image (data, written zeros and holes), need_qemu_img.
IMG=$MIMIC_BUILD_DIR/mimic-img
T=$(mktemp -d "${TMPDIR:-/tmp}/mimic-img-test.XXXXXX")
trap 'rm -rf "$T"' EXIT

fail() {
    echo "FAIL: $*" >&2
    exit 1
}

# True when mimic-img has a driver for format $1.
has_format() {
    "$IMG" --help | grep '^Supported formats:' | tr ' ' '\n' | grep -qx "$1"
}

need_qemu_img() {
    if ! command -v qemu-img >/dev/null 2>&1; then
        echo "qemu-img not installed (apt-get install qemu-utils)"
        exit 77
    fi
}

# make_test_image FILE SIZE: random data at several (also unaligned) places, a range of
# written zeros (allocated on the host) and holes everywhere else.
make_test_image() {
    local f=$1 size=$2
    truncate -s "$size" "$f"
    head -c 65536 /dev/urandom | dd of="$f" bs=65536 conv=notrunc status=none
    head -c 1000 /dev/urandom | dd of="$f" bs=1 seek=12345 conv=notrunc status=none
    head -c 3000000 /dev/urandom >"$T/chunk"
    dd if="$T/chunk" of="$f" bs=1M seek=3 conv=notrunc status=none
    rm -f "$T/chunk"
    dd if=/dev/zero of="$f" bs=65536 seek=200 count=8 conv=notrunc status=none
    head -c 4096 /dev/urandom | dd of="$f" bs=4096 seek=$(( size / 4096 - 1 )) \
        conv=notrunc status=none
}
