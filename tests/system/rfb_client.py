#!/usr/bin/env python3
"""A small RFB 3.8 client for the display tests: prints the security types a server
offers, takes a raw-encoded snapshot (PPM), sends key events (X keysyms). VNC
authentication's DES comes from openssl (legacy provider).
Usage: rfb_client.py HOST:PORT|unix:PATH [--password PW] security|snapshot FILE|keys K...
Keys: "ctrl-alt-2" style combos, "text:STRING" (typed characters), "Return", "Escape"."""
import socket
import struct
import subprocess
import sys

KEYSYMS = {"ctrl": 0xffe3, "alt": 0xffe9, "shift": 0xffe1, "Return": 0xff0d,
           "Escape": 0xff1b, "BackSpace": 0xff08, "Tab": 0xff09, "Up": 0xff52,
           "Down": 0xff54, "Left": 0xff51, "Right": 0xff53}


def recv(s, n):
    data = b""
    while len(data) < n:
        part = s.recv(n - len(data))
        if not part:
            sys.exit("connection closed by the server")
        data += part
    return data


def des_response(password, challenge):
    # VNC uses the password's bits reversed in each byte as the DES key
    key = bytes(int("{:08b}".format(b)[::-1], 2) for b in password.encode()[:8].ljust(8, b"\0"))
    out = subprocess.run(["openssl", "enc", "-des-ecb", "-nopad", "-K", key.hex(),
                          "-provider", "legacy", "-provider", "default"],
                         input=challenge, capture_output=True, check=True).stdout
    return out[:16]


def connect(addr, password):
    if addr.startswith("unix:"):
        s = socket.socket(socket.AF_UNIX)
        s.connect(addr[5:])
    else:
        host, port = addr.rsplit(":", 1)
        s = socket.create_connection((host, int(port)))
    version = recv(s, 12)
    assert version.startswith(b"RFB 003."), version
    s.sendall(b"RFB 003.008\n")
    n = recv(s, 1)[0]
    if n == 0:
        sys.exit("refused: " + recv(s, struct.unpack(">I", recv(s, 4))[0]).decode())
    types = list(recv(s, n))
    return s, types


def authenticate(s, types, password):
    if 1 in types and password is None:
        s.sendall(b"\x01")
    elif 2 in types and password is not None:
        s.sendall(b"\x02")
        s.sendall(des_response(password, recv(s, 16)))
    else:
        sys.exit("no usable security type in %s" % types)
    if struct.unpack(">I", recv(s, 4))[0] != 0:
        sys.exit("authentication failed")
    s.sendall(b"\x01")                      # ClientInit: shared
    w, h = struct.unpack(">HH", recv(s, 4))
    fmt = recv(s, 16)
    name = recv(s, struct.unpack(">I", recv(s, 4))[0])
    return w, h, fmt, name


def snapshot(s, w, h, fmt, path):
    bpp, depth, big, true_colour, rmax, gmax, bmax, rs, gs, bs = struct.unpack(">BBBBHHHBBB", fmt[:13])
    assert bpp == 32 and true_colour
    s.sendall(struct.pack(">BBHI", 2, 0, 1, 0))                 # SetEncodings: raw
    s.sendall(struct.pack(">BBHHHH", 3, 0, 0, 0, w, h))          # full update request
    pixels = bytearray(w * h * 3)
    msg = recv(s, 4)
    while msg[0] != 0:                  # skip bell / colour map messages
        msg = recv(s, 4)
    for _ in range(struct.unpack(">H", msg[2:4])[0]):
        x, y, rw, rh, enc = struct.unpack(">HHHHi", recv(s, 12))
        assert enc == 0, "unexpected encoding %d" % enc
        raw = recv(s, rw * rh * 4)
        for i in range(rw * rh):
            v = struct.unpack(">I" if big else "<I", raw[4 * i:4 * i + 4])[0]
            at = 3 * ((y + i // rw) * w + x + i % rw)
            pixels[at:at + 3] = bytes([v >> rs & rmax, v >> gs & gmax, v >> bs & bmax])
    with open(path, "wb") as f:
        f.write(b"P6\n%d %d\n255\n" % (w, h) + bytes(pixels))


def key(s, sym, down):
    s.sendall(struct.pack(">BBHI", 4, 1 if down else 0, 0, sym))


def send_keys(s, keys):
    for k in keys:
        if k.startswith("text:"):
            for c in k[5:]:
                key(s, ord(c), True)
                key(s, ord(c), False)
            continue
        parts = [KEYSYMS.get(p, ord(p[0]) if len(p) == 1 else None) for p in k.split("-")]
        for p in parts:
            key(s, p, True)
        for p in reversed(parts):
            key(s, p, False)


def main():
    args = sys.argv[1:]
    password = None
    if "--password" in args:
        i = args.index("--password")
        password = args[i + 1]
        del args[i:i + 2]
    addr, cmd = args[0], args[1]
    s, types = connect(addr, password)
    if cmd == "security":
        print(" ".join(map(str, types)))
        return
    w, h, fmt, name = authenticate(s, types, password)
    if cmd == "snapshot":
        snapshot(s, w, h, fmt, args[2])
        print("%dx%d %s" % (w, h, name.decode()))
    elif cmd == "keys":
        send_keys(s, args[2:])
    s.close()


main()
