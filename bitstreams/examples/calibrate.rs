//! Recalibrates `backslash estimate`'s logic constants for one decoder in one command:
//! `cargo run --release -p bitstreams --example calibrate -- <out dir> [serial|pipelined] [seed] [MHz]`
//! (default serial, seed 1, 48 MHz). Runs the flow on the UART board top on the UP5K (iCEBreaker)
//! with P = 1 and P = 2 lanes (`<out dir>/p1-<decoder>`, `<out dir>/p2-<decoder>`: reports, logs,
//! bitstreams; nextpnr one build at a time, ~1-3 min each), then prints the per-lane slope and the
//! shared intercept (minus the bridge, `BRIDGE_LC` / `BRIDGE_FF`) as the constants of
//! bitstreams/src/estimate.rs, beside the ones compiled in, and checks the block RAMs and DSPs
//! against the estimate's memory model. Run it with `nice` on a shared machine.

use bitstreams::estimate::{estimate_resources, LogicConstants, BRIDGE_FF, BRIDGE_LC};
use bitstreams::tops::{accelerator_core, board_top, DEFAULT_BAUD};
use bitstreams::{run_flow, Board, FlowConfig, PinConstraints, Report, Tools};
use hdl::regmap::{DecoderKind, MemSizes};

fn main() {
    if let Err(e) = run() {
        eprintln!("error: {e}");
        std::process::exit(1);
    }
}

fn used(r: &Report, name: &str) -> Result<u32, String> {
    r.resource(name)
        .map(|x| x.used)
        .ok_or_else(|| format!("the report has no {name} count"))
}

fn run() -> Result<(), Box<dyn std::error::Error>> {
    let a: Vec<String> = std::env::args().skip(1).collect();
    if a.is_empty() || a.len() > 4 {
        return Err("usage: calibrate <out dir> [serial|pipelined] [seed] [MHz]".into());
    }
    let out = std::path::PathBuf::from(&a[0]);
    let decoder: DecoderKind = a.get(1).map(|d| d.parse()).transpose()?.unwrap_or(DecoderKind::Serial);
    let seed: u64 = a.get(2).map(|s| s.parse()).transpose()?.unwrap_or(1);
    let freq: f64 = a.get(3).map(|s| s.parse()).transpose()?.unwrap_or(48.0);
    let board = Board::Icebreaker;
    let clock = if board.clock_options().contains(&freq) {
        freq
    } else {
        board.fastest_clock_mhz()
    };
    let mut counts = Vec::new();
    for lanes in [1usize, 2] {
        let c = accelerator_core(lanes, decoder, DEFAULT_BAUD, clock)?;
        let d = board_top(board, &c, clock)?;
        let dir = out.join(format!("p{lanes}-{decoder}"));
        let mut cfg = FlowConfig::new(board, d.top, &dir);
        cfg.freq_mhz = freq;
        cfg.seed = seed;
        cfg.pins = PinConstraints::Board;
        eprintln!("P = {lanes} {decoder}: flow in {}", dir.display());
        let r = run_flow(&d.verilog, &cfg, &Tools::default(), &mut |e| eprintln!("  {e:?}"))?;
        println!("P = {lanes}: {}", r.summary());
        let (lc, ff, ebr, dsp) = (used(&r, "LC")?, used(&r, "FF")?, used(&r, "EBR")?, used(&r, "DSP")?);
        let est = estimate_resources(board, lanes, decoder, MemSizes::BOARD, true);
        if (ebr, dsp) != (est.total.ebr, est.total.dsp) {
            println!(
                "  MISMATCH: placed {ebr} EBR, {dsp} DSP; the estimate's memory model says {} EBR, {} DSP",
                est.total.ebr, est.total.dsp
            );
        } else {
            println!("  EBR {ebr}, DSP {dsp}: as the estimate's memory model says");
        }
        counts.push((lc, ff));
    }
    let k = LogicConstants::calibrate(counts[0], counts[1], (BRIDGE_LC, BRIDGE_FF))
        .ok_or("the P = 2 build is not larger than the P = 1 build (or smaller than the bridge): no calibration")?;
    let now = LogicConstants::of(decoder);
    let (lane, shared) = match decoder {
        DecoderKind::Pipelined => ("LANE", "SHARED"),
        DecoderKind::Serial => ("SERIAL_LANE", "SERIAL_SHARED"),
    };
    println!(
        "\n{decoder} decoder, UP5K, seed {seed}, {freq} MHz: P = 1 LC {} FF {}; P = 2 LC {} FF {}; bridge {BRIDGE_LC} LC {BRIDGE_FF} FF",
        counts[0].0, counts[0].1, counts[1].0, counts[1].1
    );
    println!(
        "pub const {lane}_LC: u32 = {};   // compiled in: {}",
        k.lane_lc, now.lane_lc
    );
    println!(
        "pub const {lane}_FF: u32 = {};   // compiled in: {}",
        k.lane_ff, now.lane_ff
    );
    println!(
        "pub const {shared}_LC: u32 = {};   // compiled in: {}",
        k.shared_lc, now.shared_lc
    );
    println!(
        "pub const {shared}_FF: u32 = {};   // compiled in: {}",
        k.shared_ff, now.shared_ff
    );
    let other = LogicConstants::of(match decoder {
        DecoderKind::Pipelined => DecoderKind::Serial,
        DecoderKind::Serial => DecoderKind::Pipelined,
    });
    println!(
        "shared part against the other decoder's calibration: LC {} vs {} ({:+}), FF {} vs {} ({:+})",
        k.shared_lc,
        other.shared_lc,
        i64::from(k.shared_lc) - i64::from(other.shared_lc),
        k.shared_ff,
        other.shared_ff,
        i64::from(k.shared_ff) - i64::from(other.shared_ff)
    );
    Ok(())
}
