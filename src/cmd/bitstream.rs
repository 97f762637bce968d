//! `backslash bitstream`: the accelerator behind the UART host bridge, in a board top, through
//! yosys, nextpnr-ice40 and icepack; writes the `.bin`, `report.json` and `report.md`.

use anyhow::Context;
use bitstreams::tops::{self, DEFAULT_BAUD};
use bitstreams::{run_flow, Board, FlowConfig, FlowEvent, Tools};
use std::path::PathBuf;

/// Arguments of `backslash bitstream`.
#[derive(clap::Args)]
pub struct Args {
    /// Board: icebreaker (iCE40UP5K-SG48) or hx8k (iCE40HX8K-CT256 breakout).
    #[arg(long, default_value = "icebreaker")]
    pub board: Board,
    /// Accelerator lanes P (1, 2, 4 or 8).
    #[arg(long, default_value_t = 4)]
    pub lanes: usize,
    /// Target clock for nextpnr, MHz (default: the board top's clock, 48 MHz).
    #[arg(long)]
    pub freq: Option<f64>,
    /// nextpnr placement seed.
    #[arg(long, default_value_t = 1)]
    pub seed: u64,
    /// UART baud rate of the host bridge.
    #[arg(long, default_value_t = DEFAULT_BAUD)]
    pub baud: u64,
    /// Build the UART bridge with a 16-word scratch register file instead of the accelerator
    /// (checks a board's serial link).
    #[arg(long)]
    pub loopback: bool,
    /// Output directory (default: out/bitstream/<board>-p<P>, or <board>-loopback).
    #[arg(long)]
    pub out: Option<PathBuf>,
}

pub fn run(args: Args) -> anyhow::Result<()> {
    let board = args.board;
    let (core, tag) = if args.loopback {
        (tops::loopback_core(board, args.baud)?, "loopback".to_string())
    } else {
        (
            tops::accelerator_core(board, args.lanes, args.baud)?,
            format!("p{}", args.lanes),
        )
    };
    let design = tops::board_top(board, &core.verilog, &core.top);
    let out = args
        .out
        .unwrap_or_else(|| PathBuf::from(format!("out/bitstream/{}-{tag}", board.name())));
    let mut cfg = FlowConfig::new(board, &design.top, &out);
    if let Some(f) = args.freq {
        cfg.freq_mhz = f;
    }
    cfg.seed = args.seed;
    eprintln!(
        "bitstream: {} ({}), {} -> {}",
        design.top,
        board.part(),
        core.top,
        out.display()
    );
    let report = run_flow(&design.verilog, &cfg, &Tools::default(), &mut |ev| match ev {
        FlowEvent::Started { tool, .. } => eprintln!("  {tool} ..."),
        FlowEvent::Finished { tool, seconds } => eprintln!("  {tool} done in {seconds:.1} s"),
    })
    .with_context(|| format!("building the {} bitstream", board.name()))?;
    println!("{}", report.summary());
    println!(
        "wrote {} and {}",
        out.join(&report.bitstream).display(),
        out.join("report.md").display()
    );
    if !report.timing_met {
        eprintln!(
            "warning: timing MISSED at {:.2} MHz (see the critical path in report.md)",
            cfg.freq_mhz
        );
    }
    Ok(())
}
