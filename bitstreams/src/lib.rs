//! iCE40 bitstreams for the BackSlash accelerator with the open flow: yosys (`synth_ice40`),
//! nextpnr-ice40 and icepack, and a report of resources, Fmax per clock, the critical path and
//! tool times (JSON and markdown).
//!
//! ```no_run
//! use bitstreams::{run_flow, Board, FlowConfig, Tools};
//! let verilog = std::fs::read_to_string("design.v")?;
//! let cfg = FlowConfig::new(Board::Icebreaker, "backslash_icebreaker", "out/bitstream");
//! let report = run_flow(&verilog, &cfg, &Tools::default(), &mut |ev| eprintln!("{ev:?}"))?;
//! println!("{}", report.summary());
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! Board tops (accelerator + UART host bridge + clock) live in [`tops`]; the pre-synthesis
//! resource and latency model in [`estimate`].

pub mod board;
pub mod estimate;
pub mod flow;
pub mod report;
pub mod tops;

pub use board::{Board, Capacity};
pub use flow::{run_flow, FlowConfig, FlowEvent, PinConstraints, Tools};
pub use report::{ClockTiming, CriticalPath, ModelMemory, Report, Resource, ToolTime};

use std::path::PathBuf;

/// Errors of the flow.
#[derive(Debug, thiserror::Error)]
pub enum FlowError {
    /// A tool is not installed.
    #[error("`{tool}` not found on PATH: run `make setup` (installs yosys, nextpnr-ice40, fpga-icestorm)")]
    ToolMissing { tool: String },
    /// A tool could not be started for another reason.
    #[error("cannot start `{tool}`: {source}")]
    Spawn { tool: String, source: std::io::Error },
    /// A tool exited with an error.
    #[error("{tool} failed ({status}): {}; log: {}", last_error_line(tail), log.display())]
    ToolFailed {
        tool: String,
        status: String,
        log: PathBuf,
        tail: String,
    },
    /// Placement failed for lack of resources.
    #[error("design does not fit the {part}: {detail}; log: {}", log.display())]
    DoesNotFit { part: String, detail: String, log: PathBuf },
    /// A tool's output could not be parsed.
    #[error("cannot parse {what}: {detail}")]
    Parse { what: String, detail: String },
    /// A file could not be read or written.
    #[error("{}: {source}", path.display())]
    Io { path: PathBuf, source: std::io::Error },
    /// Bad configuration (frequency, top name, lanes).
    #[error("{0}")]
    Config(String),
    /// Unknown board name.
    #[error("unknown board `{0}` (known: icebreaker, hx8k)")]
    UnknownBoard(String),
    /// The HDL could not be generated.
    #[error("cannot generate the Verilog: {0}")]
    Hdl(String),
}

fn last_error_line(tail: &str) -> String {
    tail.lines()
        .find(|l| l.contains("ERROR") || l.contains("Error"))
        .or_else(|| tail.lines().rev().find(|l| !l.trim().is_empty()))
        .unwrap_or("no output")
        .trim()
        .to_string()
}
