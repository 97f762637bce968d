#!/usr/bin/env python3
"""EXPERIMENT: apply named register cuts to a board Verilog file, to find the next-worst path
after the worst one is cut (nextpnr reports only the worst). Each cut adds one register stage to
a combinational signal of one module (rust-hdl's Verilog: one `always @(*)` block per module).
These are measurement aids, not behaviour-preserving fixes. Usage: cuts.py IN.v OUT.v CUT...
"""
import re
import sys

# name: (module regex, [(old text, new text)], extra declarations+always blocks)
CUTS = {
    # accelerator: START's parameter check `bad` registered
    "bad": (r"bs_accel_p\d+", [("if (bad) begin", "if (bad_q) begin")],
            "reg bad_q; always @(posedge clock) bad_q <= bad;\n"),
    # accelerator: the sums checked at START registered (at write time in the proposal)
    "sums": (r"bs_accel_p\d+", [("(vmap_end > vmap_entries14)", "vend_q"), ("(bias_end > 32'h100)", "bend_q")],
             "reg vend_q, bend_q; always @(posedge clock) begin vend_q <= vmap_end > vmap_entries14; "
             "bend_q <= bias_end > 32'h100; end\n"),
    # accelerator: per-clock performance events registered before the 32-bit accumulators
    "perf": (r"bs_accel_p\d+", [(f"perf_{n}$q + ((array$perf_{n})", f"perf_{n}$q + ((ev_{n})") for n in
                                ("nz", "zm", "skip", "stall")],
             "".join(f"reg [7:0] ev_{n}; always @(posedge clock) ev_{n} <= array$perf_{n};\n" for n in
                     ("nz", "zm", "skip", "stall"))),
    # output stage: rounding constant registered (shift is static), R3 split after the shifter
    "outstage": (r"bs_accel_p\d+\$array", [("r2_rnd$d = acc_b + half;", "r2_rnd$d = acc_b + half_q;"),
                                            ("ys = sar$shifted;", "ys = sar_q;")],
                 "reg [31:0] half_q, sar_q; always @(posedge clock) begin half_q <= half; sar_q <= sar$shifted; end\n"),
}


def bus(body):
    """accelerator: host bus input stage (hq_*) and registered address compares (dec_*)."""
    head, upd = body.split("// Update code", 1)
    extra = ""
    for k in sorted(set(re.findall(r"host_addr == 32'h([0-9a-f]+)", upd))):
        upd = upd.replace(f"host_addr == 32'h{k}", f"dec_{k}")
        extra += f"reg dec_{k}; always @(posedge clock) dec_{k} <= host_addr == 32'h{k};\n"
    for k in sorted(set(re.findall(r"\(win == 32'h([0-9a-f]+)\)", upd))):
        upd = upd.replace(f"(win == 32'h{k})", f"dwin_{k}")
        extra += f"reg dwin_{k}; always @(posedge clock) dwin_{k} <= host_addr[15:12] == 4'h{k};\n"
    if "(host_addr[(32'h3)+:(13)] == 32'h3)" in upd:
        upd = upd.replace("(host_addr[(32'h3)+:(13)] == 32'h3)", "dlen")
        upd = upd.replace("one8 << host_addr[(32'h0)+:(3)]", "dlen_lane")
        extra += "reg dlen; reg [7:0] dlen_lane; always @(posedge clock) begin dlen <= host_addr[15:3] == 13'h3; dlen_lane <= 8'h1 << host_addr[2:0]; end\n"
    if "lane_bit = one8 << host_addr[(32'hc)+:(3)];" in upd:
        upd = upd.replace("lane_bit = one8 << host_addr[(32'hc)+:(3)];", "lane_bit = dlane;")
        extra += "reg [7:0] dlane; always @(posedge clock) dlane <= 8'h1 << host_addr[14:12];\n"
    for n, w in [("host_addr", 16), ("host_wdata", 32), ("host_write", 1), ("host_read", 1)]:
        upd = re.sub(r"(?<![\w$])" + n + r"\b", "hq" + n[4:], upd)
        extra += f"reg [{w - 1}:0] hq{n[4:]}; always @(posedge clock) hq{n[4:]} <= {n};\n"
    upd = upd.replace("\nendmodule", "\n" + extra + "endmodule", 1)
    return head + "// Update code" + upd


def rdmux(body):
    """accelerator: read mux as registered one-hot selects (rs_*) and an AND-OR."""
    m = re.search(r"        rmux = 32'h0;\n        case \(h\w*_addr\)\n(.*?)        endcase\n", body, re.S)
    items = re.findall(r"(\d+):\s*begin\s*rmux = (.*?);\s*end", m.group(1), re.S)
    addr = re.search(r"case \((\w+)\)", m.group(0)).group(1)
    new = "        rmux = 32'h0;\n"
    extra = ""
    for k, e in items:
        new += f"        if (rs_{k}) rmux = rmux | ({e});\n"
        extra += f"reg rs_{k}; always @(posedge clock) rs_{k} <= host_addr == {k};\n"
    body = body.replace(m.group(0), new)
    return body.replace("\nendmodule", "\n" + extra + "endmodule", 1)


FUNCS = {"bus": bus, "rdmux": rdmux}


def lane_ev(src):
    """every lane: its performance events registered before the chain adders."""
    def one(m):
        body = m.group(0)
        extra = ""
        for n in ("nz", "zm", "skip", "stall"):
            body = body.replace(f"{n}_out = {n}_in + {n}_me;", f"{n}_out = {n}_in + {n}_me_q;")
            extra += f"reg [7:0] {n}_me_q; always @(posedge clock) {n}_me_q <= {n}_me;\n"
        return body.replace("\nendmodule", "\n" + extra + "endmodule", 1)
    return re.sub(r"^module bs_accel_p\d+\$array\$lanes\$\d+\(.*?^endmodule", one, src, flags=re.M | re.S)


def lane_sub(src, old, new, extra):
    def one(m):
        body = m.group(0)
        if old not in body:
            sys.exit(f"lane cut: text not found: {old}")
        return body.replace(old, new).replace("\nendmodule", "\n" + extra + "endmodule", 1)
    return re.sub(r"^module bs_accel_p\d+\$array\$lanes\$\d+\(.*?^endmodule", one, src, flags=re.M | re.S)


LANE_CUTS = {
    # multiplier operands registered (a pipeline stage between the memories and the multiplier)
    "lane_mul": ("mul$a = wv;\n        mul$b = xs;", "mul$a = wv_q;\n        mul$b = xs_q;",
                 "reg [15:0] wv_q, xs_q; always @(posedge clock) begin wv_q <= wv; xs_q <= xs; end\n"),
    # STREAM_LEN + STREAM_BASE > words, registered (at write time in the proposal)
    "lane_lenend": ("(len_end > stream_words14)", "lenend_q",
                    "reg lenend_q; always @(posedge clock) lenend_q <= len_end > stream_words14;\n"),
    # the lane's share of the rows as one add of a constant: (rows + P - 1 - lane) >> log2 P
    "lane_rows": ("decoder$rows = rows_sum >> lanes_log2;",
                  "decoder$rows = ({1'b0, rows} + {1'b0, lanes_m1} - {1'b0, lane_id9}) >> lanes_log2;", ""),
}


def gt_const(x, c):
    """`x > c` (32-bit x, constant c) as OR-reductions, no carry chain."""
    n = c.bit_length()
    if c == (1 << n) - 1:
        return f"(|{x}[31:{n}])"
    if c == 1 << (n - 1):
        return f"((|{x}[31:{n}]) | ({x}[{n - 1}] & (|{x}[{n - 2}:0])))"
    sys.exit(f"gt_const: {c}")


def big(src):
    """host-write range checks `wdata > constant` as OR-reductions (accelerator and lanes)."""
    def one(m):
        body = m.group(0)
        params = {k: int(v, 16) if b == "h" else int(v, 2)
                  for k, b, v in re.findall(r"localparam\s+(\w+) = \d+'([hb])([0-9a-f]+);", body)}
        regs = {}

        def rep(mm):
            x, c = mm.group(1), mm.group(2)
            val = int(c[4:], 16) if c.startswith("32'h") else params[c]
            if x == "hq_wdata":  # after `bus`: the compare registered in the input stage
                regs[val] = f"wgt_{val:x}"
                return regs[val]
            return gt_const(x, val)
        body = re.sub(r"\b(h\w*_wdata) > (32'h[0-9a-f]+|\w+);", lambda mm: rep(mm) + ";", body)
        body = re.sub(r"\(\((h\w*_wdata)\) & 33'h1ffffffff\) > (\w+);", lambda mm: rep(mm) + ";", body)

        def lt(mm):
            c = mm.group(3)
            val = int(c[4:], 16) if c.startswith("32'h") else params[c]
            val += 1 if mm.group(2) == "<=" else 0
            n = val.bit_length() - 1
            assert val == 1 << n, val
            return f"(~|offs[11:{n}])"
        body = re.sub(r"\((\(\(offs\) & 32'hffffffff\)|offs) (<=|<) (32'h[0-9a-f]+|\w+)\)", lt, body)
        extra = "".join(f"reg {r}; always @(posedge clock) {r} <= {gt_const('host_wdata', v)};\n"
                        for v, r in sorted(regs.items()))
        return body.replace("\nendmodule", "\n" + extra + "endmodule", 1)
    return re.sub(r"^module bs_accel_p\d+(\$array\$lanes\$\d+)?\(.*?^endmodule", one, src, flags=re.M | re.S)


def apply(src, name):
    if name == "norw":
        # block RAMs: read/write collisions declared impossible (no bypass logic)
        return re.sub(r"^(\s*)reg\[(\d+):0\] mem\[", r"\1(* no_rw_check *) reg[\2:0] mem[", src, flags=re.M)
    if name == "big":
        return big(src)
    if name == "lane_ev":
        return lane_ev(src)
    if name in LANE_CUTS:
        return lane_sub(src, *LANE_CUTS[name])
    if name in FUNCS:
        m = re.search(r"^module (bs_accel_p\d+)\(.*?^endmodule", src, re.M | re.S)
        return src[: m.start()] + FUNCS[name](m.group(0)) + src[m.end():]
    mod_re, subs, extra = CUTS[name]
    m = re.search(r"^module (" + mod_re + r")\(.*?^endmodule", src, re.M | re.S)
    if not m:
        sys.exit(f"cut {name}: module not found")
    body = m.group(0)
    for old, new in subs:
        if old not in body:
            sys.exit(f"cut {name}: text not found: {old}")
        body = body.replace(old, new)
    body = body.replace("\nendmodule", "\n" + extra + "endmodule", 1)
    return src[: m.start()] + body + src[m.end():]


def main():
    src = open(sys.argv[1]).read()
    for name in sys.argv[3:]:
        src = apply(src, name)
    open(sys.argv[2], "w").write(src)


if __name__ == "__main__":
    main()
