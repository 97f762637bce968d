#!/bin/bash
# EXPERIMENT: place and route bitstreams/experiments/cslow_loop.v on the UP5K (abc9 -device u, the
# flow's UP5K mapping) and the HX8K (plain synth_ice40) for seeds 1..3; prints Fmax and LCs.
# Usage: [DEFINE=-DONE_CONTEXT] bitstreams/experiments/cslow.sh [OUTDIR]
set -e
here=$(cd "$(dirname "$0")" && pwd)
out=${1:-out/cslow}
mkdir -p "$out"
# DEFINE=-DONE_CONTEXT: the same loop without the register cut (the baseline).
yosys -q -p "read_verilog $DEFINE $here/cslow_loop.v; synth_ice40 -abc9 -device u -top cslow_loop -json $out/up5k.json"
yosys -q -p "read_verilog $DEFINE $here/cslow_loop.v; synth_ice40 -top cslow_loop -json $out/hx8k.json"
for s in 1 2 3; do
  nextpnr-ice40 --up5k --package sg48 --json "$out/up5k.json" --pcf "$here/cslow.pcf" --freq 48 --seed $s \
    --timing-allow-fail -q -l "$out/up5k-$s.log" >/dev/null 2>&1
  nextpnr-ice40 --hx8k --package ct256 --json "$out/hx8k.json" --pcf "$here/cslow_hx8k.pcf" --freq 80 --seed $s \
    --timing-allow-fail -q -l "$out/hx8k-$s.log" >/dev/null 2>&1
  for d in up5k hx8k; do
    f=$(grep "Max frequency" "$out/$d-$s.log" | tail -1 | sed -E 's/.*: ([0-9.]+) MHz.*/\1/')
    lc=$(grep "ICESTORM_LC:" "$out/$d-$s.log" | tail -1 | awk '{print $3}')
    echo "$d seed $s: Fmax $f MHz, LC $lc"
  done
done
