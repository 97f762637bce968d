#!/usr/bin/env python3
"""EXPERIMENT: replace the body of every lane's EG decoder module (`...$lanes$<i>$decoder`) in a
board Verilog file by a trivial registered stand-in with the same ports, so that place and route
shows the timing of everything else.

The stand-in: one state register as wide as all outputs together. While `enable` (or `start`,
`abort`) is high it shifts as an LFSR and takes in an XOR fold of every input, so no input or
output is optimised away; every output is a slice of the register (registered outputs).

Usage: standin.py IN.v OUT.v
"""
import re
import sys

PORT = re.compile(r"^\s*(input|output)\s+(?:wire|reg)?\s*(?:\[(\d+):0\])?\s*(\w+)\s*;")


def standin(name, ports):
    ins = [(n, w) for d, n, w in ports if d == "input" and n != "clock"]
    outs = [(n, w) for d, n, w in ports if d == "output"]
    width = max(sum(w for _, w in outs), 8)
    v = []
    for d, n, w in ports:
        rng = f"[{w - 1}:0] " if w > 1 else ""
        v.append(f"    {d} {'reg ' if d == 'output' else 'wire '}{rng}{n};")
    v.append(f"    reg [{width - 1}:0] st = 0;")
    # XOR fold of all inputs into `width` bits.
    bits = []
    for n, w in ins:
        bits += [f"{n}[{i}]" if w > 1 else n for i in range(w)]
    fold = [[] for _ in range(width)]
    for i, b in enumerate(bits):
        fold[i % width].append(b)
    terms = [" ^ ".join(f) if f else "1'b0" for f in fold]
    v.append(f"    wire [{width - 1}:0] mix = {{{', '.join(reversed(terms))}}};")
    fb = f"st[{width - 1}] ^ st[{width // 2}] ^ st[1] ^ st[0]"
    v.append("    always @(posedge clock)")
    v.append("        if (enable | start | abort)")
    v.append(f"            st <= {{st[{width - 2}:0], {fb}}} ^ mix;")
    lo = 0
    v.append("    always @(*) begin")
    for n, w in outs:
        v.append(f"        {n} = st[{lo + w - 1}:{lo}];")
        lo += w
    v.append("    end")
    return "\n".join(v) + "\n"


def main():
    src = open(sys.argv[1]).read()
    out = []
    pos = 0
    n = 0
    for m in re.finditer(r"^module (\S+\$lanes\$\d+\$decoder)\((.*?)\);\n(.*?)^endmodule", src, re.M | re.S):
        ports = []
        for line in m.group(3).splitlines():
            p = PORT.match(line)
            if p:
                ports.append((p.group(1), p.group(3), int(p.group(2)) + 1 if p.group(2) else 1))
        out.append(src[pos : m.start(3)])
        out.append(standin(m.group(1), ports))
        pos = m.end(3)
        n += 1
    out.append(src[pos:])
    if n == 0:
        sys.exit("no decoder module found")
    open(sys.argv[2], "w").write("".join(out))
    print(f"replaced {n} decoder module(s)", file=sys.stderr)


if __name__ == "__main__":
    main()
