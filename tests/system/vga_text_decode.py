#!/usr/bin/env python3
"""Reads a screen dump (PPM P6 or PNG as Mimic writes them; anything else through
ImageMagick's convert) of a text screen (VGA text mode with 9x16 cells, or a text console
with 8x16 cells) and prints its text, decoding each cell with the 8x16 font of the VGA
BIOS ROM given. The font is found in the ROM by glyphs code page 437 fixes (NUL and space
empty, 0xDB a full block, 0xDD/0xDE the left/right halves). A pixel is lit when it is
brighter than dark grey, so lossy captures (a VNC client's JPEG) decode too.
Usage: vga_text_decode.py IMAGE ROM [COLUMNS]   (COLUMNS: 80, the default)"""
import struct
import subprocess
import sys
import zlib


def read_ppm(data):
    parts = data.split(b"\n", 3)
    assert parts[0] == b"P6" and parts[2] == b"255", "not a binary PPM"
    w, h = map(int, parts[1].split())
    return w, h, parts[3]


def read_png(data):
    pos, idat, w, h = 8, b"", 0, 0
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
    rows = []
    for y in range(h):
        row = raw[y * (1 + 3 * w):(y + 1) * (1 + 3 * w)]
        assert row[0] == 0, "unexpected filter type"
        rows.append(row[1:])
    return w, h, b"".join(rows)


def load(path):
    data = open(path, "rb").read()
    if data[:8] == b"\x89PNG\r\n\x1a\n":
        try:
            return read_png(data)
        except AssertionError:
            pass
    elif data[:2] == b"P6":
        return read_ppm(data)
    ppm = subprocess.run(["convert", path, "ppm:-"], check=True, capture_output=True).stdout
    return read_ppm(ppm)


def find_font(rom):
    def glyph_is(at, v):
        return rom[at:at + 16] == bytes([v]) * 16
    for base in range(0, len(rom) - 4096):
        if (glyph_is(base + 0xdb * 16, 0xff) and glyph_is(base, 0) and
                glyph_is(base + 0x20 * 16, 0) and glyph_is(base + 0xdd * 16, 0xf0) and
                glyph_is(base + 0xde * 16, 0x0f)):
            return base
    sys.exit("no 8x16 font in the ROM")


def main():
    image, rom_path = sys.argv[1], sys.argv[2]
    cols = int(sys.argv[3]) if len(sys.argv) > 3 else 80
    w, h, px = load(image)
    cw = w // cols
    assert cw in (8, 9) and w % cols == 0 and h % 16 == 0, "not a text screen: %dx%d" % (w, h)
    lit = bytes(1 if px[i] + px[i + 1] + px[i + 2] > 3 * 0x55 else 0
                for i in range(0, 3 * w * h, 3))
    rom = open(rom_path, "rb").read()
    base = find_font(rom)
    glyphs = {}
    for c in range(255, -1, -1):         # printable ASCII wins over look-alikes
        glyphs[rom[base + c * 16:base + c * 16 + 16]] = chr(c) if 32 <= c < 127 else " "
    for row in range(h // 16):
        line = ""
        for col in range(cols):
            cell = bytes(sum(lit[(row * 16 + l) * w + col * cw + x] << (7 - x) for x in range(8))
                         for l in range(16))
            line += glyphs.get(cell, "?")
        print(line.rstrip())


main()
