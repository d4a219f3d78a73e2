#!/usr/bin/env python3
"""Mutation fuzzing of the vdi, vmdk and vpc drivers through mimic-img (run it with the
sanitizer build: make SANITIZE=1). For each format a small valid seed image is made, then
mutated (bytes, 32-bit words set to edge values, truncation) and fed to convert, check, map
and info. A crash, a sanitizer report or a hang is saved under the work directory.
Usage: tests/fuzz/img-mutate.py MIMIC_IMG [SECONDS_PER_FORMAT] [WORKDIR]"""
import os
import random
import subprocess
import sys
import tempfile
import time

EDGE_WORDS = [b'\xff\xff\xff\xff', b'\x00\x00\x00\x00', b'\x00\x00\x00\x80',
              b'\xff\xff\xff\x7f', b'\x01\x00\x00\x00', b'\x00\x02\x00\x00']
VARIANTS = [("vdi", []), ("vdi", ["-o", "static=on"]), ("vmdk", []),
            ("vmdk", ["-o", "subformat=streamOptimized"]), ("vpc", [])]


def mutate(seed, rng):
    data = bytearray(seed)
    for _ in range(rng.randint(1, 8)):
        r = rng.random()
        if r < 0.5:
            limit = min(len(data), 4096) if rng.random() < 0.8 else len(data)
            data[rng.randrange(limit)] = rng.randrange(256)
        elif r < 0.75:
            pos = rng.randrange(min(len(data), 2048)) & ~3
            data[pos:pos + 4] = rng.choice(EDGE_WORDS)
        elif r < 0.85:
            data = data[:rng.randrange(1, len(data))]
        elif len(data) > 8:
            pos = rng.randrange(len(data) - 8)
            data[pos:pos + 8] = bytes(rng.randrange(256) for _ in range(8))
    return bytes(data)


def run_one(img, fmt, path, work):
    bad = []
    for cmd in ([img, "convert", "-f", fmt, "-O", "raw", path, path + ".raw"],
                [img, "check", "-f", fmt, path], [img, "map", "-f", fmt, "--output=json", path],
                [img, "info", "-f", fmt, path]):
        try:
            p = subprocess.run(cmd, capture_output=True, timeout=30)
        except subprocess.TimeoutExpired:
            bad.append(("hang", cmd[1], ""))
            continue
        err = p.stderr.decode(errors="replace")
        if p.returncode < 0 or p.returncode >= 128 or "Sanitizer" in err or "runtime error" in err:
            bad.append(("crash", cmd[1], err[:2000]))
        if os.path.exists(path + ".raw"):
            os.unlink(path + ".raw")
    return bad


def main():
    img = sys.argv[1]
    seconds = float(sys.argv[2]) if len(sys.argv) > 2 else 30
    work = sys.argv[3] if len(sys.argv) > 3 else tempfile.mkdtemp(prefix="mimic-fuzz.")
    rng = random.Random(int(os.environ.get("FUZZ_SEED", "1")))
    src = os.path.join(work, "seed.raw")
    with open(src, "wb") as f:
        f.truncate(4 << 20)
        f.write(os.urandom(300000))
    failures = 0
    for i, (fmt, opts) in enumerate(VARIANTS):
        seed_path = os.path.join(work, f"seed{i}.{fmt}")
        subprocess.run([img, "convert", "-f", "raw", "-O", fmt] + opts + [src, seed_path],
                       check=True)
        seed = open(seed_path, "rb").read()
        end, n = time.time() + seconds, 0
        while time.time() < end:
            data = mutate(seed, rng)
            path = os.path.join(work, f"case.{fmt}")
            open(path, "wb").write(data)
            for kind, cmd, err in run_one(img, fmt, path, work):
                failures += 1
                keep = os.path.join(work, f"{kind}-{fmt}-{i}-{n}.{fmt}")
                open(keep, "wb").write(data)
                print(f"{kind.upper()}: {cmd} on {keep}\n{err}")
            n += 1
        print(f"{fmt} {' '.join(opts)}: {n} inputs")
    print(f"{failures} failures; work directory {work}")
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
