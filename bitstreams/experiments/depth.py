#!/usr/bin/env python3
"""EXPERIMENT: rank register-to-register paths of a synthesised iCE40 netlist (yosys JSON, after
synth_ice40) by logic depth: LUT4 = 1 level, each SB_CARRY = 0.1, block RAM / DSP outputs are
sources, their inputs sinks. Lists the deepest sink pins with their source register, so the
paths after nextpnr's worst one can be seen in one run. Usage: depth.py design.json TOP [N]"""
import json, sys
from collections import defaultdict

d = json.load(open(sys.argv[1]))
mod = d["modules"][sys.argv[2]]
n = int(sys.argv[3]) if len(sys.argv) > 3 else 40
names = {}
for nm, net in mod["netnames"].items():
    for b in net["bits"]:
        if isinstance(b, int) and (b not in names or len(nm) < len(names[b])):
            names[b] = nm
driver = {}
cells = mod["cells"]
SEQ = ("SB_DFF", "SB_RAM", "SB_MAC16", "SB_SPRAM", "SB_IO", "SB_GB", "SB_HFOSC", "SB_PLL", "SB_RGBA")
for cn, c in cells.items():
    for p, dirn in c["port_directions"].items():
        if dirn == "output":
            for b in c["connections"][p]:
                if isinstance(b, int):
                    driver[b] = (cn, p)
memo = {}
sys.setrecursionlimit(100000)


def arrival(bit):
    """(levels, source cell name) of a net bit."""
    if bit not in driver:
        return (0.0, "const/port")
    if bit in memo:
        return memo[bit]
    cn, p = driver[bit]
    c = cells[cn]
    t = c["type"]
    if t.startswith(SEQ):
        r = (0.0, cn)
    else:
        best = (-1.0, "const")
        for q, dirn in c["port_directions"].items():
            if dirn == "input":
                for b in c["connections"][q]:
                    if isinstance(b, int):
                        a = arrival(b)
                        if a[0] > best[0]:
                            best = a
        step = 1.0 if t == "SB_LUT4" else 0.1 if t == "SB_CARRY" else 0.0
        r = (max(best[0], 0.0) + step, best[1])
    memo[bit] = r
    return r


rows = []
for cn, c in cells.items():
    if not c["type"].startswith(SEQ) or c["type"].startswith(("SB_IO", "SB_GB")):
        continue
    for p, dirn in c["port_directions"].items():
        if dirn != "input" or p in ("C", "CLK", "RCLK", "WCLK", "CLKHF"):
            continue
        for b in c["connections"][p]:
            if isinstance(b, int):
                lv, src = arrival(b)
                rows.append((lv, src, cn, p, c["type"]))
rows.sort(key=lambda r: -r[0])
seen = set()
short = lambda s: s.split("_SB_")[0].replace("$auto$", "")[:70]
for lv, src, cn, p, t in rows:
    key = (short(src), short(cn), p)
    if key in seen:
        continue
    seen.add(key)
    print(f"{lv:5.1f}  {short(src):70s} -> {short(cn)}.{p} ({t})")
    if len(seen) >= n:
        break
