//! `backslash hdl`: write the accelerator's Verilog (see docs/hardware.md).

use anyhow::Context;
use hdl::regmap::{self, MemSizes};
use std::io::Write;
use std::path::{Path, PathBuf};

/// Arguments of `backslash hdl`.
#[derive(clap::Args)]
pub struct Args {
    /// Lanes P of the sparse MAC array: 1, 2, 4 or 8.
    #[arg(long, default_value_t = 4)]
    pub lanes: usize,
    /// Simulation memories (2048 stream words per lane, 1024 value-map entries) instead of the
    /// board's (512 words, 256 entries).
    #[arg(long)]
    pub large: bool,
    /// Output directory: writes `<DIR>/<top>.v` (e.g. `bs_accel_p4.v`); stdout without it.
    #[arg(long)]
    pub out: Option<PathBuf>,
}

/// Generates the accelerator's Verilog and writes it to `<dir>/<top>.v`; returns that path.
pub fn write_verilog(lanes: usize, large: bool, dir: &Path) -> anyhow::Result<PathBuf> {
    let (verilog, top) = generate(lanes, large)?;
    std::fs::create_dir_all(dir).with_context(|| format!("cannot create {}", dir.display()))?;
    let path = dir.join(format!("{top}.v"));
    super::util::write_atomic(&path, verilog.as_bytes())?;
    eprintln!("wrote {} (top module {top})", path.display());
    Ok(path)
}

fn generate(lanes: usize, large: bool) -> anyhow::Result<(String, String)> {
    let sizes = if large { MemSizes::LARGE } else { MemSizes::BOARD };
    let verilog = hdl::generate_verilog(lanes, sizes).context("cannot generate the accelerator")?;
    Ok((verilog, regmap::top_name(lanes, sizes)))
}

pub fn run(args: Args) -> anyhow::Result<()> {
    match args.out {
        Some(dir) => {
            write_verilog(args.lanes, args.large, &dir)?;
        }
        None => {
            let (verilog, _) = generate(args.lanes, args.large)?;
            std::io::stdout()
                .lock()
                .write_all(verilog.as_bytes())
                .context("cannot write to stdout")?;
        }
    }
    Ok(())
}
