//! `backslash bitstream`: the accelerator behind the UART host bridge, in a board top, through
//! yosys, nextpnr-ice40 and icepack; writes the `.bin`, `report.json` and `report.md`.

use anyhow::Context;
use bitstreams::tops;
use bitstreams::{run_flow, Board, FlowConfig, FlowEvent, Tools};
use std::path::{Path, PathBuf};

/// Arguments of `backslash bitstream`.
#[derive(clap::Args)]
pub struct Args {
    /// Board: icebreaker (iCE40UP5K-SG48) or hx8k (iCE40HX8K-CT256 breakout).
    #[arg(long, default_value = "icebreaker")]
    pub board: Board,
    /// Accelerator lanes P (1, 2, 4 or 8).
    #[arg(long, default_value_t = tops::DEFAULT_LANES)]
    pub lanes: usize,
    /// Core clock and nextpnr target, MHz: icebreaker 48, 24, 12, 6 (SB_HFOSC) or 36, 30, 21, 18
    /// (PLL), hx8k 48, 36, 30, 24 (PLL) or 12 (default: the board's default accelerator clock, see
    /// docs/bitstreams.md).
    #[arg(long)]
    pub freq: Option<f64>,
    /// nextpnr placement seed.
    #[arg(long, default_value_t = 1)]
    pub seed: u64,
    /// UART baud rate of the host bridge (default: 1 Mbaud, or 500 kbaud below 8 clocks per bit).
    #[arg(long)]
    pub baud: Option<u64>,
    /// Build the UART bridge with a 16-word scratch register file instead of the accelerator
    /// (checks a board's serial link).
    #[arg(long)]
    pub loopback: bool,
    /// Output directory (default: out/bitstream/<board>-p<P>, or <board>-loopback).
    #[arg(long)]
    pub out: Option<PathBuf>,
}

/// The iCE40 flow's programs and the Debian/Ubuntu package of each.
pub const TOOLS: [(&str, &str); 3] = [
    ("yosys", "yosys"),
    ("nextpnr-ice40", "nextpnr-ice40"),
    ("icepack", "fpga-icestorm"),
];

/// Whether `tool` is an executable file in a directory of PATH.
pub fn on_path(tool: &str) -> bool {
    use std::os::unix::fs::PermissionsExt;
    std::env::var_os("PATH").is_some_and(|p| {
        std::env::split_paths(&p)
            .any(|d| std::fs::metadata(d.join(tool)).is_ok_and(|m| m.is_file() && m.permissions().mode() & 0o111 != 0))
    })
}

/// `None` when yosys, nextpnr-ice40 and icepack are all on PATH; otherwise one line naming the
/// missing ones and the packages that install them.
pub fn missing_tools() -> Option<String> {
    let missing: Vec<_> = TOOLS.iter().filter(|(t, _)| !on_path(t)).collect();
    if missing.is_empty() {
        return None;
    }
    let names: Vec<&str> = missing.iter().map(|(t, _)| *t).collect();
    let mut pkgs: Vec<&str> = missing.iter().map(|(_, p)| *p).collect();
    pkgs.dedup();
    Some(format!(
        "{} not found on PATH: install with `apt-get install {}` (or `make setup`)",
        names.join(", "),
        pkgs.join(" ")
    ))
}

/// Builds a board bitstream into `out` and returns its report (the same code for `backslash
/// bitstream` and `backslash demo`). `freq`: the core clock, default [`tops::default_clock_mhz`].
pub fn build(
    board: Board,
    lanes: usize,
    freq: Option<f64>,
    seed: u64,
    baud: Option<u64>,
    loopback: bool,
    out: &Path,
) -> anyhow::Result<bitstreams::Report> {
    if let Some(why) = missing_tools() {
        anyhow::bail!("cannot build the bitstream: {why}");
    }
    let clock = if loopback {
        freq.unwrap_or(board.default_clock_mhz())
    } else {
        freq.unwrap_or(tops::default_clock_mhz(board))
    };
    let baud = baud.unwrap_or(tops::default_baud(clock));
    let core = if loopback {
        tops::loopback_core(baud, clock)?
    } else {
        tops::accelerator_core(lanes, baud, clock)?
    };
    let design = tops::board_top(board, &core.verilog, &core.top, clock)?;
    let mut cfg = FlowConfig::new(board, &design.top, out);
    cfg.freq_mhz = clock;
    cfg.seed = seed;
    eprintln!(
        "bitstream: {} ({}), {} at {clock} MHz -> {}",
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
        eprintln!("warning: timing MISSED at {clock:.2} MHz (see the critical path in report.md)");
    }
    Ok(report)
}

pub fn run(args: Args) -> anyhow::Result<()> {
    let tag = if args.loopback {
        "loopback".to_string()
    } else {
        format!("p{}", args.lanes)
    };
    let out = args
        .out
        .unwrap_or_else(|| PathBuf::from(format!("out/bitstream/{}-{tag}", args.board.name())));
    build(
        args.board,
        args.lanes,
        args.freq,
        args.seed,
        args.baud,
        args.loopback,
        &out,
    )?;
    Ok(())
}
