#!/bin/bash
# EXPERIMENT: time the bit-serial decoder alone on the UP5K with the flow's UP5K options
# (synth_ice40 -dsp -abc9 -device u; nextpnr-ice40 --up5k --package sg48 --freq 55), between
# registers (serial_alone_top.v); prints LCs, Fmax per seed and the critical path (path.py), and
# the deepest register-to-register paths (depth.py).
# Usage: bitstreams/experiments/serial_alone.sh OUTDIR ["SEEDS"]   (from the repository root)
set -e
here=$(cd "$(dirname "$0")" && pwd)
out=${1:-out/serial_alone}
seeds=${2:-1}
mkdir -p "$out"
cargo run -q --release -p bitstreams --example dump_verilog -- serial-decoder 1 "$out/eg_serial.v" >/dev/null
yosys -q -l "$out/yosys.log" -p "read_verilog $out/eg_serial.v $here/serial_alone_top.v; synth_ice40 -dsp -abc9 -device u -top serial_alone -json $out/serial_alone.json"
for s in $seeds; do
  nextpnr-ice40 --up5k --package sg48 --json "$out/serial_alone.json" --pcf-allow-unconstrained --freq 55 \
    --seed "$s" --timing-allow-fail -q -l "$out/nextpnr-$s.log" >/dev/null 2>&1
  f=$(grep "Max frequency" "$out/nextpnr-$s.log" | tail -1 | sed -E 's/.*: ([0-9.]+) MHz.*/\1/')
  lc=$(grep -E "ICESTORM_LC: +[0-9]+/" "$out/nextpnr-$s.log" | head -1 | sed -E 's/.*ICESTORM_LC: +([0-9]+)\/.*/\1/')
  echo "seed $s: Fmax $f MHz, LC $lc"
done
python3 "$here/path.py" "$out/nextpnr-${seeds%% *}.log"
python3 "$here/depth.py" "$out/serial_alone.json" serial_alone 25
