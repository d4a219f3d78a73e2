#!/usr/bin/env python3
"""Symbols of an x86 bzImage from its own kallsyms tables (Debian's linux-image packages
ship a placeholder System.map; the real one is in the 760 MB -dbg package). Unpacks the
xz/gzip payload to the vmlinux ELF, finds kallsyms_token_table/_token_index, _markers,
_num_syms, _names and the base-relative offsets (Linux 6.1 scripts/kallsyms.c layout,
32-bit: 4-byte alignment, no absolute per-CPU symbols) and prints System.map lines
"ADDRESS TYPE NAME" for every symbol (or only the names given as arguments).
Usage: kallsyms.py BZIMAGE [NAME...]"""
import gzip, lzma, re, struct, sys


def payload(image):
    setup_sects = image[0x1f1] or 4
    start = (setup_sects + 1) * 512
    off, length = struct.unpack_from("<II", image, 0x248)
    data = image[start + off:start + off + length]
    if data[:6] == b"\xfd7zXZ\x00":
        return lzma.LZMADecompressor(lzma.FORMAT_XZ).decompress(data)
    if data[:2] == b"\x1f\x8b":
        return gzip.decompress(data)
    sys.exit("kallsyms.py: payload neither xz nor gzip")


def token_table_before(d, idx, index):
    """Start of the 256 NUL-terminated tokens that index describes, ending (with up to 3
    bytes of padding) right before idx; None if they are not there."""
    last = index[255]
    for start in range(((idx - last - 40) | 3) + 1, idx - last, 4):
        end = d.find(b"\x00", start + last)
        if not 0 <= idx - end - 1 <= 3 or any(d[start + o - 1] for o in index[1:]):
            continue
        if all(0x20 <= c < 0x7f for c in d[start:end] if c):
            return start
    return None


def find_token_table(d):
    """(token_table offset, token_index offset): 256 increasing u16 offsets, 0 first,
    right after the 256 NUL-terminated strings they index."""
    for m in re.finditer(rb"\x00\x00(?=[\x01-\x20]\x00)", d):
        idx = m.start()
        if idx % 4 or idx + 512 > len(d):
            continue
        index = struct.unpack_from("<256H", d, idx)
        if any(b <= a for a, b in zip(index, index[1:])):
            continue
        start = token_table_before(d, idx, index)
        if start is not None:
            return start, idx
    sys.exit("kallsyms.py: no kallsyms_token_table found")


def find_markers(d, table):
    """(kallsyms_markers offset, count): u32 offsets into kallsyms_names, 0 first and
    increasing, one per 256 symbols, followed by the token table or, since the
    kallsyms_lookup_name speed-up (backported to 6.1), by kallsyms_seqs_of_names (3 bytes
    per symbol) and then the token table."""
    for pos in range(table - 4, max(table - (8 << 20), 0), -4):
        if struct.unpack_from("<I", d, pos)[0] != 0:
            continue
        count, prev = 1, 0
        while pos + 4 * count < table:
            v = struct.unpack_from("<I", d, pos + 4 * count)[0]
            if v <= prev or v - prev > 256 * 64:
                break
            prev, count = v, count + 1
        gap = table - (pos + 4 * count)
        if gap <= 3 or 3 * 256 * (count - 1) < gap <= 3 * 256 * count + 3:
            return pos, count
    sys.exit("kallsyms.py: no kallsyms_markers found")


def parse_names(d, pos, count, tokens, limit):
    """count compressed names from pos; None if they run past limit."""
    names = []
    for _ in range(count):
        if pos >= limit:
            return None
        n = d[pos]
        pos += 1
        if n & 0x80:
            n = (n & 0x7f) | (d[pos] << 7)
            pos += 1
        names.append("".join(tokens[t] for t in d[pos:pos + n]))
        pos += n
    return names, pos


def find_names(d, markers_at, nmarkers, tokens):
    """(kallsyms_num_syms offset, names): the count right before the names, which end
    right before the markers."""
    for num_at in range(markers_at - 8, max(markers_at - (64 << 20), 0), -4):
        num = struct.unpack_from("<I", d, num_at)[0]
        if not 256 * (nmarkers - 1) < num <= 256 * nmarkers:
            continue
        parsed = parse_names(d, num_at + 4, num, tokens, markers_at)
        if parsed and parsed[1] <= markers_at < parsed[1] + 4:
            return num_at, parsed[0]
    sys.exit("kallsyms.py: no kallsyms_num_syms found")


def main():
    d = payload(open(sys.argv[1], "rb").read())
    table, index_at = find_token_table(d)
    index = struct.unpack_from("<256H", d, index_at)
    tokens = [d[table + o:d.index(b"\x00", table + o)].decode() for o in index]
    markers_at, nmarkers = find_markers(d, table)
    num_at, names = find_names(d, markers_at, nmarkers, tokens)
    num = len(names)
    base = struct.unpack_from("<I", d, num_at - 4)[0]
    offsets = struct.unpack_from("<%dI" % num, d, num_at - 4 - 4 * num)
    wanted = set(sys.argv[2:])
    for off, name in zip(offsets, names):
        if not wanted or name[1:] in wanted:
            print("%08x %s %s" % ((base + off) & 0xffffffff, name[0], name[1:]))


main()
