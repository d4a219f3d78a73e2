#!/usr/bin/env python3
"""Assembly for a symbol-only ELF from System.map lines (kallsyms.py's output): every
text symbol (t/T) as a function inside one NOBITS section that starts at the lowest of
them, so that gdb names code addresses (breakpoints, backtraces) without the kernel's
debug package. Usage: symfile.py < System.map > syms.s; as --32 syms.s -o syms.o;
ld -m elf_i386 --section-start=.ktext=LOWEST -e 0 syms.o -o syms.elf (LOWEST: first line of syms.s)."""
import re, sys

syms = {}
for line in sys.stdin:
    parts = line.split()
    if len(parts) == 3 and parts[1] in "tT" and re.fullmatch(r"[A-Za-z_.$][\w.$]*", parts[2]):
        syms.setdefault(parts[2], int(parts[0], 16))
low = min(syms.values())
high = max(syms.values())
print("# lowest %#x" % low)
print('\t.section .ktext,"ax",@nobits')
print("text_start:")
for name, addr in sorted(syms.items(), key=lambda s: s[1]):
    print("\t.globl %s\n\t.type %s, @function\n\t.set %s, text_start + %#x" % (name, name, name, addr - low))
print("\t.skip %#x" % (high - low + 16))
