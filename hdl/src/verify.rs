//! Tool checks of generated Verilog: yosys `synth_ice40` and `verilator --lint-only -Wall`.
//!
//! Used by the tests (each skips with a message when the tool is missing; `make test` installs
//! both). The lint waivers are listed, with the reason for each, in [`VERILATOR_WAIVERS`].
use crate::HdlError;
use rust_hdl::prelude::*;
use std::path::PathBuf;
use std::process::Command;
use std::sync::atomic::{AtomicUsize, Ordering};

/// `true` if `tool` runs (`tool -V` or `--version`).
pub fn have(tool: &str) -> bool {
    Command::new(tool)
        .arg("-V")
        .output()
        .map(|o| o.status.success())
        .unwrap_or(false)
        || Command::new(tool)
            .arg("--version")
            .output()
            .map(|o| o.status.success())
            .unwrap_or(false)
}

/// Checks a block (connections, loops, writes to inputs) and writes its Verilog with the top
/// module named `top` (submodules `top$...`).
pub fn named_verilog<U: Block>(uut: &U, top: &str) -> Result<String, HdlError> {
    check_all(uut).map_err(|e| HdlError::Check(format!("{e:?}")))?;
    let mut defines = ModuleDefines::default();
    uut.accept(top, &mut defines);
    Ok(defines.defines())
}

/// Verilator `-Wall` warnings that rust-hdl's Verilog style produces by construction, each waived
/// for the reason given. Everything else is an error.
pub const VERILATOR_WAIVERS: &[(&str, &str)] = &[
    ("WIDTH", "rust-hdl prints integer literals as 64-bit constants (`64'h1`) and bit casts as masks, so expressions are wider than their targets; every assignment truncates on purpose (arithmetic is written so that truncation gives the intended mod-2^n result)"),
    ("UNUSED", "generic blocks expose full-width ports and chains (e.g. the lane-enable byte of a 1-lane build, the last lane's unused chain outputs, the 32-bit host data into 8-bit memories); unused bits are removed by synthesis"),
    ("DECLFILENAME", "all modules of one configuration are written to one file named after the top"),
    ("UNOPTFLAT", "rust-hdl writes a module's whole update as one always @(*) block, so a submodule whose output feeds back into the same block (e.g. CLZ input and count) looks circular to Verilator at block granularity; there is no combinational loop (rust-hdl's own loop check passes, and Verilator simulates it correctly)"),
];

static COUNTER: AtomicUsize = AtomicUsize::new(0);

fn scratch_dir(tag: &str) -> Result<PathBuf, HdlError> {
    let dir = std::env::temp_dir().join(format!(
        "bs-hdl-{tag}-{}-{}",
        std::process::id(),
        COUNTER.fetch_add(1, Ordering::SeqCst)
    ));
    std::fs::create_dir_all(&dir).map_err(|e| HdlError::Tool(format!("cannot create {}: {e}", dir.display())))?;
    Ok(dir)
}

/// A yosys `synth_ice40 -dsp` run: its `stat` output.
#[derive(Debug, Clone)]
pub struct SynthReport {
    /// The text of yosys' final `stat`.
    pub stat: String,
}

impl SynthReport {
    /// Number of cells of type `cell` (e.g. `SB_RAM40_4K`, `SB_MAC16`, `SB_LUT4`) in the design.
    pub fn cells(&self, cell: &str) -> usize {
        // The last table is the flattened design's.
        let mut count = 0;
        for line in self.stat.lines() {
            let mut it = line.split_whitespace();
            if let (Some(name), Some(n)) = (it.next(), it.next()) {
                if name == cell {
                    count = n.parse().unwrap_or(0);
                }
            }
        }
        count
    }
}

/// Runs `yosys synth_ice40 -dsp -top <top>` on `verilog`; an error if yosys fails.
pub fn yosys_synth_ice40(verilog: &str, top: &str) -> Result<SynthReport, HdlError> {
    let dir = scratch_dir("yosys")?;
    let file = dir.join(format!("{top}.v"));
    std::fs::write(&file, verilog).map_err(|e| HdlError::Tool(format!("cannot write {}: {e}", file.display())))?;
    let stat_file = dir.join("stat.txt");
    let script = format!(
        "read_verilog {}; synth_ice40 -dsp -flatten -top {top}; tee -q -o {} stat",
        file.display(),
        stat_file.display()
    );
    let out = Command::new("yosys")
        .args(["-q", "-p", &script])
        .output()
        .map_err(|e| HdlError::Tool(format!("cannot run yosys: {e}")))?;
    let text = String::from_utf8_lossy(&out.stdout).to_string() + &String::from_utf8_lossy(&out.stderr);
    let stat = std::fs::read_to_string(&stat_file).unwrap_or_default();
    let _ = std::fs::remove_dir_all(&dir);
    if !out.status.success() || text.contains("ERROR") || stat.is_empty() {
        return Err(HdlError::Tool(format!("yosys synth_ice40 failed:\n{text}")));
    }
    Ok(SynthReport { stat })
}

/// Runs `verilator --lint-only -Wall` with [`VERILATOR_WAIVERS`]; an error with the warnings if any.
pub fn verilator_lint(verilog: &str, top: &str) -> Result<(), HdlError> {
    let dir = scratch_dir("lint")?;
    let file = dir.join(format!("{top}.v"));
    std::fs::write(&file, verilog).map_err(|e| HdlError::Tool(format!("cannot write {}: {e}", file.display())))?;
    let mut cmd = Command::new("verilator");
    cmd.args(["--lint-only", "-Wall", "--top-module", top]);
    for (w, _) in VERILATOR_WAIVERS {
        cmd.arg(format!("-Wno-{w}"));
    }
    cmd.arg(&file);
    let out = cmd
        .output()
        .map_err(|e| HdlError::Tool(format!("cannot run verilator: {e}")))?;
    let text = String::from_utf8_lossy(&out.stdout).to_string() + &String::from_utf8_lossy(&out.stderr);
    let _ = std::fs::remove_dir_all(&dir);
    if !out.status.success() || text.contains("%Warning") || text.contains("%Error") {
        return Err(HdlError::Tool(format!("verilator lint failed:\n{text}")));
    }
    Ok(())
}
