#!/usr/bin/env python3
"""Prints, in load order, the .ko files (relative to MODDIR) that the named modules need,
reading each module's depends= from its .modinfo strings (Debian ships no modules.dep in
linux-image packages): modules.py MODDIR NAME..."""
import os
import sys

moddir, names = sys.argv[1], sys.argv[2:]
paths = {}
for d, _, files in os.walk(moddir):
    for f in files:
        if f.endswith(".ko"):
            paths[f[:-3].replace("-", "_")] = os.path.relpath(os.path.join(d, f), moddir)


def depends(name):
    data = open(os.path.join(moddir, paths[name]), "rb").read()
    i = data.find(b"\0depends=")
    if i < 0:
        return []
    s = data[i + 9:data.index(b"\0", i + 1)].decode()
    return [m.replace("-", "_") for m in s.split(",") if m]


order = []


def visit(name):
    name = name.replace("-", "_")
    if name in order:
        return
    if name not in paths:
        sys.exit("module %s not found in %s" % (name, moddir))
    for dep in depends(name):
        visit(dep)
    order.append(name)


for n in names:
    visit(n)
for n in order:
    print(paths[n])
