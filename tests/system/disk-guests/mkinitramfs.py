#!/usr/bin/env python3
"""Packs a directory into a gzip'd newc cpio (with /dev/console, without needing root):
mkinitramfs.py ROOT OUT."""
import gzip
import os
import stat
import sys

root, out = sys.argv[1], sys.argv[2]
ino = [1]


def hdr(name, mode, size, rdev=(0, 0)):
    ino[0] += 1
    f = [ino[0], mode, 0, 0, 1, 0, size, 0, 0, rdev[0], rdev[1], len(name) + 1, 0]
    h = b"070701" + b"".join(b"%08x" % v for v in f) + name.encode() + b"\0"
    return h + b"\0" * (-len(h) % 4)


data = bytearray()
data += hdr("dev", stat.S_IFDIR | 0o755, 0)
data += hdr("dev/console", stat.S_IFCHR | 0o600, 0, (5, 1))
for d, dirs, files in os.walk(root):
    dirs.sort()
    for n in sorted(dirs) + sorted(files):
        p = os.path.join(d, n)
        rel = os.path.relpath(p, root)
        st = os.lstat(p)
        if stat.S_ISDIR(st.st_mode):
            data += hdr(rel, st.st_mode, 0)
        elif stat.S_ISLNK(st.st_mode):
            t = os.readlink(p).encode()
            data += hdr(rel, st.st_mode, len(t)) + t + b"\0" * (-len(t) % 4)
        else:
            b = open(p, "rb").read()
            data += hdr(rel, st.st_mode, len(b)) + b + b"\0" * (-len(b) % 4)
data += hdr("TRAILER!!!", 0, 0)
open(out, "wb").write(gzip.compress(bytes(data), 6))
