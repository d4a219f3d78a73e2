#!/bin/bash
# Generates the fuzzing seed corpus: small valid images of every format qemu-img can write
# (qcow2 v2/v3, compressed, with snapshots and zero clusters, small clusters; raw; vdi,
# vmdk, vpc). Usage: make-corpus.sh OUTDIR   (writes OUTDIR/<format>/*)
set -eu
out=$1
command -v qemu-img >/dev/null || { echo "qemu-img not found: empty corpus"; exit 0; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cd "$tmp"
data() {  # a little data, a hole and zeros in image $1 of format $2
    qemu-io -f "$2" -c 'write -P 0x61 0 3000' -c 'write -P 0x62 70000 512' \
        -c 'write -z 8192 4096' "$1" >/dev/null
}
mk() {    # mk FORMAT NAME SIZE [qemu-img create options]
    local fmt=$1 name=$2 size=$3; shift 3
    mkdir -p "$out/$fmt"
    qemu-img create -q -f "$fmt" "$@" "$name" "$size"
    data "$name" "$fmt"
    cp "$name" "$out/$fmt/$name"
}
mk qcow2 v3-512.qcow2 128k -o cluster_size=512
mk qcow2 v2-512.qcow2 128k -o cluster_size=512,compat=0.10
mk qcow2 rc1-1k.qcow2 128k -o cluster_size=1k,refcount_bits=1
mk qcow2 rc64-512.qcow2 128k -o cluster_size=512,refcount_bits=64,lazy_refcounts=on
qemu-img snapshot -c snap v3-512.qcow2 && qemu-io -f qcow2 -c 'write -P 0x63 0 600' \
    v3-512.qcow2 >/dev/null && cp v3-512.qcow2 "$out/qcow2/snap-512.qcow2"
qemu-img convert -c -O qcow2 -o cluster_size=512 v2-512.qcow2 comp.qcow2 && \
    cp comp.qcow2 "$out/qcow2/comp-512.qcow2"
qemu-img create -q -f qcow2 -o cluster_size=512 -b v2-512.qcow2 -F qcow2 over.qcow2 && \
    cp over.qcow2 "$out/qcow2/backing-512.qcow2"
mk raw r.raw 128k
mk vdi d.vdi 128k
mk vdi f.vdi 128k -o static=on
mk vmdk s.vmdk 128k
qemu-img convert -f raw -O vmdk -o subformat=streamOptimized r.raw so.vmdk && \
    cp so.vmdk "$out/vmdk/so.vmdk"
mk vpc dyn.vhd 128k
mk vpc fix.vhd 128k -o subformat=fixed
echo "corpus in $out: $(find "$out" -type f | wc -l) files"
