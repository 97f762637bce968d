//! Runs the flow on one design without the CLI (for measurements while the CLI is rebuilt):
//! `cargo run -p bitstreams --example flow -- <icebreaker|hx8k> <uart|uart-spram|loopback|core> <lanes> <freq MHz> <seed> <out dir> [pipelined|serial]`
//! `uart-spram` is the UART core with `MemSizes::SPRAM` (the UP5K's SPRAM streams; P = 2, serial).
//! `core` is the accelerator alone (ports unconstrained; only fits packages with enough pins).

use bitstreams::tops::{
    accelerator_core, accelerator_core_sized, accelerator_only, board_top, loopback_core, DEFAULT_BAUD,
};
use bitstreams::{run_flow, Board, FlowConfig, PinConstraints, Tools};

fn main() {
    if let Err(e) = run() {
        eprintln!("error: {e}");
        std::process::exit(1);
    }
}

fn run() -> Result<(), Box<dyn std::error::Error>> {
    let a: Vec<String> = std::env::args().skip(1).collect();
    if a.len() != 6 && a.len() != 7 {
        return Err(
            "usage: flow <board> <uart|uart-spram|loopback|core> <lanes> <freq> <seed> <out> [pipelined|serial]".into(),
        );
    }
    let decoder: hdl::regmap::DecoderKind = a.get(6).map(|d| d.parse()).transpose()?.unwrap_or_default();
    let board: Board = a[0].parse()?;
    let lanes: usize = a[2].parse()?;
    let freq: f64 = a[3].parse()?;
    // The board top's clock: the target if the board can make it, else its fastest clock.
    let clock = if board.clock_options().contains(&freq) {
        freq
    } else {
        board.fastest_clock_mhz()
    };
    let (verilog, top, pins) = match a[1].as_str() {
        "uart" => {
            let c = accelerator_core(lanes, decoder, DEFAULT_BAUD, clock)?;
            let d = board_top(board, &c, clock)?;
            (d.verilog, d.top, PinConstraints::Board)
        }
        "uart-spram" => {
            let c = accelerator_core_sized(lanes, decoder, hdl::regmap::MemSizes::SPRAM, DEFAULT_BAUD, clock)?;
            let d = board_top(board, &c, clock)?;
            (d.verilog, d.top, PinConstraints::Board)
        }
        "loopback" => {
            let c = loopback_core(DEFAULT_BAUD, clock)?;
            let d = board_top(board, &c, clock)?;
            (d.verilog, d.top, PinConstraints::Board)
        }
        "core" => {
            let d = accelerator_only(lanes, decoder)?;
            (d.verilog, d.top, PinConstraints::None)
        }
        k => return Err(format!("unknown design kind {k}").into()),
    };
    let mut cfg = FlowConfig::new(board, top, &a[5]);
    cfg.freq_mhz = freq;
    cfg.seed = a[4].parse()?;
    cfg.pins = pins;
    let r = run_flow(&verilog, &cfg, &Tools::default(), &mut |e| eprintln!("{e:?}"))?;
    println!("{}", r.summary());
    Ok(())
}
