#!/usr/bin/env python3
"""perf-guest.py PERF.DATA PERF-PID.MAP [N]: the guest code a `perf record` of an
emulator run with -perfmap spent its samples in.

perf names samples in anonymous JIT memory from /tmp/perf-PID.map by itself, but
Mimic's code buffer is a memfd mapped twice (RW and RX), which perf takes for a file and
reports as "memfd:mimic-tcg-code" (with offsets into it when recorded without -g). This
script adds the RX mapping's base back where needed (from the MMAP event) and looks the
address up in the map. Prints the share of all
samples spent in translated code, then the N (40) hottest translated blocks by guest
address, with their share of all samples. Example:
    perf record -o p.data -- mimic-system-i386 -perfmap -kernel ... ; \
    tests/bench/perf-guest.py p.data /tmp/perf-PID.map
"""
import bisect
import collections
import subprocess
import sys


def perf_script(data, *args):
    return subprocess.run(['perf', 'script', '-i', data, *args], capture_output=True,
                          text=True, check=True).stdout


def code_buffer_base(data):
    for line in perf_script(data, '--show-mmap-events').splitlines():
        if 'MMAP' in line and 'mimic-tcg-code' in line and 'r-x' in line:
            return int(line.split('[')[1].split('(')[0], 16)
    sys.exit('perf-guest.py: no executable mapping of the code buffer in ' + data)


def read_map(path):
    entries = []
    with open(path) as f:
        for line in f:
            start, size, name = line.split(None, 2)
            entries.append((int(start, 16), int(size, 16), name.strip()))
    entries.sort()
    return [e[0] for e in entries], entries


def main():
    if len(sys.argv) < 3:
        sys.exit(__doc__)
    data, map_path = sys.argv[1], sys.argv[2]
    top = int(sys.argv[3]) if len(sys.argv) > 3 else 40
    base = code_buffer_base(data)
    starts, entries = read_map(map_path)
    hits = collections.Counter()
    total = in_code = 0
    for line in perf_script(data, '-G', '-F', 'ip,dso').splitlines():
        parts = line.split(None, 1)
        if len(parts) < 2:
            continue
        total += 1
        if 'mimic-tcg-code' not in parts[1]:
            continue
        in_code += 1
        ip = int(parts[0], 16)
        if ip < base:
            ip += base      # perf printed the offset into the memfd, not the address
        i = bisect.bisect_right(starts, ip) - 1
        inside = i >= 0 and ip < entries[i][0] + entries[i][1]
        hits[entries[i][2] if inside else 'code outside any block (thunks)'] += 1
    print(f'{total} samples, {in_code} in translated code '
          f'({100.0 * in_code / max(total, 1):.1f}%)')
    for name, n in hits.most_common(top):
        print(f'{100.0 * n / total:6.2f}%  {name}')


if __name__ == '__main__':
    main()
