#!/usr/bin/env python3
"""Reads a screen dump (PPM P6 or PNG as Mimic writes them) of a VGA text mode with 9x16
cells and prints the text, decoding each cell with the 8x16 font of the VGA BIOS ROM given
(located in the ROM by the glyphs of two characters known to be on screen)."""
import struct
import sys
import zlib


def read_ppm(data):
    parts = data.split(b"\n", 3)
    assert parts[0] == b"P6" and parts[2] == b"255", "not a binary PPM"
    w, h = map(int, parts[1].split())
    px = parts[3]
    return w, h, [px[i:i + 3] for i in range(0, 3 * w * h, 3)]


def read_png(data):
    assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
    pos, idat, w = 8, b"", 0
    while pos < len(data):
        n, kind = struct.unpack(">I4s", data[pos:pos + 8])
        body = data[pos + 8:pos + 8 + n]
        crc = struct.unpack(">I", data[pos + 8 + n:pos + 12 + n])[0]
        assert zlib.crc32(kind + body) == crc, "bad CRC in %s" % kind
        if kind == b"IHDR":
            w, h, depth, ctype = struct.unpack(">IIBB", body[:10])
            assert depth == 8 and ctype == 2, "expected 8-bit RGB"
        elif kind == b"IDAT":
            idat += body
        pos += 12 + n
    raw = zlib.decompress(idat)
    px = []
    for y in range(h):
        row = raw[y * (1 + 3 * w):(y + 1) * (1 + 3 * w)]
        assert row[0] == 0, "unexpected filter type"
        px += [row[1 + 3 * x:4 + 3 * x] for x in range(w)]
    return w, h, px


def cell_bits(w, px, col, row, fg):
    out = []
    for line in range(16):
        bits = 0
        for x in range(8):
            bits = bits << 1 | (px[(row * 16 + line) * w + col * 9 + x] == fg)
        out.append(bits)
    return bytes(out)


def find_font(rom, w, px, fg, known):
    (c1, r1, ch1), (c2, r2, ch2) = known
    g1, g2 = cell_bits(w, px, c1, r1, fg), cell_bits(w, px, c2, r2, fg)
    at = rom.find(g1)
    while at >= 0:
        base = at - ord(ch1) * 16
        if base >= 0 and rom[base + ord(ch2) * 16:base + ord(ch2) * 16 + 16] == g2:
            return base
        at = rom.find(g1, at + 1)
    sys.exit("font not found in the ROM: the first cells are not '%s' and '%s'" % (ch1, ch2))


def main():
    image, rom_path = sys.argv[1], sys.argv[2]
    data = open(image, "rb").read()
    w, h, px = read_png(data) if data[:4] == b"\x89PNG" else read_ppm(data)
    assert w % 9 == 0 and h % 16 == 0, "not a 9x16 text mode: %dx%d" % (w, h)
    fg = b"\xaa\xaa\xaa"                 # light grey, attribute 07 with the default palette
    rom = open(rom_path, "rb").read()
    base = find_font(rom, w, px, fg, [(0, 0, "S"), (2, 0, "a")])
    glyphs = {}
    for c in range(255, -1, -1):         # printable ASCII wins over look-alikes
        glyphs[rom[base + c * 16:base + c * 16 + 16]] = chr(c) if 32 <= c < 127 else " "
    for row in range(h // 16):
        print("".join(glyphs.get(cell_bits(w, px, col, row, fg), "?")
                      for col in range(w // 9)).rstrip())


main()
