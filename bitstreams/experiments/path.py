#!/usr/bin/env python3
"""EXPERIMENT: print nextpnr's critical path (clock -> same clock) from a log, one line per cell:
cumulative ns and the cell name (long yosys suffixes shortened). Usage: path.py nextpnr.log"""
import re, sys
lines = open(sys.argv[1]).read().splitlines()
on = False
for l in lines:
    if "Critical path report for clock" in l:
        on = True
        print(l.replace("Info: ", ""))
        continue
    if on:
        m = re.match(r"Info:\s+([\d.]+)\s+([\d.]+)\s+Source (\S+)", l)
        if m:
            name = re.sub(r"(_SB_[A-Z0-9]+_[A-Z0-9_]*)+", "~", m.group(3))
            print(f"  {m.group(2):>6} {name}")
        m = re.match(r"Info:\s+([\d.]+)\s+([\d.]+)\s+Setup (\S+)", l)
        if m:
            print(f"  {m.group(2):>6} setup {re.sub(r'(_SB_[A-Z0-9]+_[A-Z0-9_]*)+', '~', m.group(3))}")
        if re.match(r"Info: \d+\.\d+ ns logic", l):
            print("  " + l.replace("Info: ", ""))
            on = False
