#!/bin/bash
# EXPERIMENT: time a board design with its EG decoders replaced by a registered stand-in
# (standin.py), with the flow's yosys/nextpnr options (Board::synth_options, -dsp on the UP5K,
# --timing-allow-fail, --report). Prints Fmax and the critical path of each seed.
# Usage: [CUTS="..."] [NOSTANDIN=1] bitstreams/experiments/standin.sh <icebreaker|hx8k> BOARD.v OUTDIR [SEEDS] [FREQ]
#   BOARD.v: a board top written by `cargo run --release -p bitstreams --example flow -- ...`
set -e
here=$(cd "$(dirname "$0")" && pwd)
board=$1; in=$2; out=$3; seeds=${4:-1}; 
mkdir -p "$out"
case $board in
  icebreaker) synth="-dsp -abc9 -device u"; dev="--up5k --package sg48"; freq=${5:-55} ;;
  hx8k) synth=""; dev="--hx8k --package ct256"; freq=${5:-85} ;;
  *) echo "board?"; exit 1 ;;
esac
top=backslash_$board
if [ -z "$NOSTANDIN" ]; then python3 "$here/standin.py" "$in" "$out/$top.v"; else cp "$in" "$out/$top.v"; fi
# CUTS="a b ...": register cuts from cuts.py (to see the next-worst path)
if [ -n "$CUTS" ]; then python3 "$here/cuts.py" "$out/$top.v" "$out/$top.v" $CUTS; fi
yosys -q -l "$out/yosys.log" -p "read_verilog $out/$top.v; synth_ice40 $synth -top $top -json $out/$top.json"
for s in $seeds; do
  nextpnr-ice40 $dev --json "$out/$top.json" --pcf "$here/../$board/$board.pcf" --freq $freq --seed $s \
    --timing-allow-fail --report "$out/report-$s.json" --top $top -q -l "$out/nextpnr-$s.log" >/dev/null 2>&1 || true
  f=$(grep "Max frequency" "$out/nextpnr-$s.log" | tail -1 | sed -E 's/.*: ([0-9.]+) MHz.*/\1/')
  lc=$(grep "ICESTORM_LC:" "$out/nextpnr-$s.log" | tail -1 | awk '{print $3 $4}')
  echo "$board seed $s: Fmax $f MHz, LC $lc"
  # the critical path, one line per cell
  python3 "$here/path.py" "$out/nextpnr-$s.log"
done
