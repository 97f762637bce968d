#!/usr/bin/env python3
"""EXPERIMENT: cycle-by-cycle comparison of two versions of the UART bridge in iverilog (e.g.
before and after a timing change): the same RX waveform (random requests, corrupted ones,
partial frames that time out, garbage) and the same device model (reads answered after 2 clocks,
some never: read timeout; irq toggling) drive both; every clock, uart_tx and the host-bus outputs
must agree. Usage: bridge_equiv.py OLD.v NEW.v [FRAMES]
OLD.v / NEW.v: board Verilog files from the flow example (module `..._bridge` and submodules)."""
import random, re, subprocess, sys, tempfile, os

CPB = 48


def crc8(bs):
    c = 0
    for b in bs:
        for i in range(7, -1, -1):
            fb = ((c >> 7) ^ (b >> i)) & 1
            c = (c << 1) & 0xFF
            if fb:
                c ^= 7
    return c


def extract(path, prefix):
    src = open(path).read()
    name = re.search(r"^module (\S+_bridge)\(", src, re.M).group(1)
    mods = re.findall(r"^module " + re.escape(name) + r"[\($].*?^endmodule[^\n]*", src, re.M | re.S)
    return "\n".join(mods).replace(name, prefix)


def waveform(rng, frames):
    lv = [1] * (20 * CPB)
    def byte(b, gap):
        lv.extend([1] * gap + [0] * CPB)
        for i in range(8):
            lv.extend([(b >> i) & 1] * CPB)
        lv.extend([1] * CPB)
    for _ in range(frames):
        kind = rng.random()
        cmd = rng.choice([0, 1, 1, 2, 2, 7])
        addr = rng.choice([rng.randrange(16), 0x8000 | rng.randrange(16)])
        data = rng.getrandbits(32)
        f = [0xA5, cmd, addr >> 8, addr & 255] + list(data.to_bytes(4, "big"))
        f.append(crc8(f[1:8]))
        if kind < 0.15:
            f[rng.randrange(1, 9)] ^= 1 << rng.randrange(8)
        if kind > 0.9:
            f = f[: rng.randrange(1, 8)]  # partial frame: frame timeout
        if 0.85 < kind <= 0.9:
            f = [rng.getrandbits(8) for _ in range(3)] + f
        for b in f:
            byte(b, rng.choice([0, 0, 1, 3, CPB // 2]))
        lv.extend([1] * (rng.choice([40, 80]) * CPB))  # response time + timeouts
    return lv


TB = r"""
`timescale 1ns/1ns
module tb;
  reg clock = 0;
  reg rx = 1;
  reg irq = 0;
  wire [15:0] a0, a1; wire [31:0] w0, w1; wire wr0, wr1, rd0, rd1, tx0, tx1;
  reg [31:0] rdata0, rdata1; reg rv0, rv1; reg [2:0] p0, p1;
  reg lv [0:NLV-1];
  integer i, bad, nw, nr, nrv, ntx; reg txq;
  old_b o(.clock(clock), .uart_rx(rx), .uart_tx(tx0), .host_addr(a0), .host_wdata(w0), .host_write(wr0),
    .host_read(rd0), .host_rdata(rdata0), .host_rvalid(rv0), .irq(irq));
  new_b n(.clock(clock), .uart_rx(rx), .uart_tx(tx1), .host_addr(a1), .host_wdata(w1), .host_write(wr1),
    .host_read(rd1), .host_rdata(rdata1), .host_rvalid(rv1), .irq(irq));
  // device: reads of addr < 0x8000 answered 2 clocks later with a hash of the address
  always @(posedge clock) begin
    p0 <= {p0[1:0], rd0 & ~a0[15]}; p1 <= {p1[1:0], rd1 & ~a1[15]};
    rv0 <= p0[0]; rv1 <= p1[0];
    rdata0 <= {a0, a0 ^ 16'h5a5a}; rdata1 <= {a1, a1 ^ 16'h5a5a};
    if (wr0) irq <= w0[0];
  end
  initial begin
    $readmemb("LVFILE", lv);
    bad = 0; nw = 0; nr = 0; nrv = 0; ntx = 0; txq = 1; p0 = 0; p1 = 0; rv0 = 0; rv1 = 0;
    for (i = 0; i < NLV; i = i + 1) begin
      rx = lv[i];
      #5 clock = 1; #5 clock = 0;
      nw = nw + wr0; nr = nr + rd0; nrv = nrv + rv0; ntx = ntx + (tx0 != txq); txq = tx0;
      if ({tx0, a0, w0, wr0, rd0} !== {tx1, a1, w1, wr1, rd1}) begin
        bad = bad + 1;
        if (bad < 5) $display("cycle %0d: old tx %b addr %h wdata %h w %b r %b, new tx %b addr %h wdata %h w %b r %b",
          i, tx0, a0, w0, wr0, rd0, tx1, a1, w1, wr1, rd1);
      end
    end
    $display("cycles %0d (old: %0d writes, %0d reads, %0d answered, %0d tx edges) mismatches %0d", NLV, nw, nr, nrv, ntx, bad);
    $finish;
  end
endmodule
"""


def main():
    frames = int(sys.argv[3]) if len(sys.argv) > 3 else 150
    rng = random.Random(1)
    lv = waveform(rng, frames)
    with tempfile.TemporaryDirectory() as d:
        lvf = os.path.join(d, "lv.txt")
        open(lvf, "w").write("\n".join(str(x) for x in lv) + "\n")
        tb = TB.replace("NLV", str(len(lv))).replace("LVFILE", lvf)
        v = os.path.join(d, "all.v")
        open(v, "w").write(extract(sys.argv[1], "old_b") + "\n" + extract(sys.argv[2], "new_b") + "\n" + tb)
        subprocess.run(["iverilog", "-o", os.path.join(d, "sim"), v], check=True)
        out = subprocess.run(["vvp", os.path.join(d, "sim")], capture_output=True, text=True, check=True).stdout
        print(out.strip())
        if "mismatches 0" not in out:
            sys.exit(1)


if __name__ == "__main__":
    main()
