//! The open iCE40 flow: yosys (`synth_ice40`), nextpnr-ice40, icepack, and the report.

use crate::report::{self, Report, ToolTime, REPORT_VERSION};
use crate::{Board, FlowError};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

/// What to build.
#[derive(Debug, Clone)]
pub struct FlowConfig {
    /// Target board (device, package, default pin constraints, `-dsp`).
    pub board: Board,
    /// Name of the top module in the Verilog.
    pub top: String,
    /// Target clock frequency for nextpnr (`--freq`), MHz.
    pub freq_mhz: f64,
    /// nextpnr placement seed.
    pub seed: u64,
    /// Output directory (created if missing). Receives `<top>.v`, `<top>.pcf`, `<top>.json`, logs,
    /// `<top>.asc`, `<top>.bin`, `report.json` and `report.md`.
    pub out_dir: PathBuf,
    /// Pin constraints; `None` uses the board's file. Use [`PinConstraints::None`] for a core
    /// without pins (nextpnr then places its ports on any free pins; `--pcf-allow-unconstrained`).
    pub pins: PinConstraints,
    /// Whether to pass `-dsp` to `synth_ice40` (default: when the board has DSPs).
    pub dsp: Option<bool>,
    /// What the accelerator's memories hold, copied into the report (None: not an accelerator).
    pub model_memory: Option<crate::report::ModelMemory>,
}

/// Where the pin constraints come from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PinConstraints {
    /// The board's `.pcf` (bitstreams/<board>/<board>.pcf).
    Board,
    /// No constraints: for timing a core whose ports are not board pins.
    None,
    /// Given text.
    Text(String),
}

impl FlowConfig {
    /// A configuration with the board's defaults: its pin file, `-dsp` where available, seed 1,
    /// target = the board top's clock.
    pub fn new(board: Board, top: impl Into<String>, out_dir: impl Into<PathBuf>) -> Self {
        FlowConfig {
            board,
            top: top.into(),
            freq_mhz: board.fastest_clock_mhz(),
            seed: 1,
            out_dir: out_dir.into(),
            pins: PinConstraints::Board,
            dsp: None,
            model_memory: None,
        }
    }
}

/// A step of the flow, reported to the progress callback.
#[derive(Debug, Clone, PartialEq)]
pub enum FlowEvent {
    /// A tool starts; `command` is the command line.
    Started { tool: &'static str, command: String },
    /// A tool finished successfully after `seconds`.
    Finished { tool: &'static str, seconds: f64 },
}

/// The tools' executables (default: looked up on PATH).
#[derive(Debug, Clone)]
pub struct Tools {
    /// yosys.
    pub yosys: PathBuf,
    /// nextpnr-ice40.
    pub nextpnr: PathBuf,
    /// icepack.
    pub icepack: PathBuf,
}

impl Default for Tools {
    fn default() -> Self {
        Tools {
            yosys: "yosys".into(),
            nextpnr: "nextpnr-ice40".into(),
            icepack: "icepack".into(),
        }
    }
}

impl Tools {
    /// The tools with their names and the Debian/Ubuntu package that installs each.
    fn each(&self) -> [(&'static str, &PathBuf, &'static str); 3] {
        [
            ("yosys", &self.yosys, "yosys"),
            ("nextpnr-ice40", &self.nextpnr, "nextpnr-ice40"),
            ("icepack", &self.icepack, "fpga-icestorm"),
        ]
    }

    /// `None` when every tool is found (a path with a directory must be an executable file; a bare
    /// name must be one in a directory of PATH); otherwise one line naming the missing ones and the
    /// packages that install them.
    pub fn missing(&self) -> Option<String> {
        let missing: Vec<_> = self.each().into_iter().filter(|(_, p, _)| !is_executable(p)).collect();
        if missing.is_empty() {
            return None;
        }
        let names: Vec<&str> = missing.iter().map(|(t, _, _)| *t).collect();
        let mut pkgs: Vec<&str> = missing.iter().map(|(_, _, p)| *p).collect();
        pkgs.dedup();
        Some(format!(
            "{} not found on PATH: install with `apt-get install {}` (or `make setup`)",
            names.join(", "),
            pkgs.join(" ")
        ))
    }

    /// Checks each tool runs (`-V`/`--version`/`-h`), so a missing tool is named before any work.
    pub fn check(&self) -> Result<(), FlowError> {
        for ((name, path, _), arg) in self.each().into_iter().zip(["-V", "--version", "-h"]) {
            match Command::new(path).arg(arg).output() {
                Ok(_) => {}
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                    return Err(FlowError::ToolMissing { tool: name.to_string() });
                }
                Err(e) => {
                    return Err(FlowError::Spawn {
                        tool: name.to_string(),
                        source: e,
                    })
                }
            }
        }
        Ok(())
    }
}

/// Whether `tool` is an executable file: as given if it names a directory, else in a directory of
/// PATH.
fn is_executable(tool: &std::path::Path) -> bool {
    use std::os::unix::fs::PermissionsExt;
    let exe =
        |p: &std::path::Path| std::fs::metadata(p).is_ok_and(|m| m.is_file() && m.permissions().mode() & 0o111 != 0);
    if tool.components().count() > 1 {
        return exe(tool);
    }
    std::env::var_os("PATH").is_some_and(|p| std::env::split_paths(&p).any(|d| exe(&d.join(tool))))
}

/// Runs yosys, nextpnr-ice40 and icepack on `verilog`, writes the bitstream and the report into
/// `cfg.out_dir`, and returns the report. A design that misses its target clock is not an error
/// (see [`Report::timing_met`]); a design that does not fit is ([`FlowError::DoesNotFit`]).
pub fn run_flow(
    verilog: &str,
    cfg: &FlowConfig,
    tools: &Tools,
    progress: &mut dyn FnMut(&FlowEvent),
) -> Result<Report, FlowError> {
    validate(cfg)?;
    tools.check()?;
    let dir = &cfg.out_dir;
    std::fs::create_dir_all(dir).map_err(|e| FlowError::Io {
        path: dir.clone(),
        source: e,
    })?;
    let top = &cfg.top;
    let file = |ext: &str| dir.join(format!("{top}.{ext}"));
    let v_path = file("v");
    write_file(&v_path, verilog.as_bytes())?;

    // yosys
    let json_path = file("json");
    let yosys_log = dir.join("yosys.log");
    let dsp = cfg.dsp.unwrap_or(cfg.board.has_dsp());
    // Without DSP blocks, pipelined multipliers take their LUT body (hdl::bitops::MulS16x8Pipe).
    let script = format!(
        "read_verilog {lut_mul}{v}; synth_ice40 {dsp}{opts}-top {top} -json {json}",
        lut_mul = if dsp {
            String::new()
        } else {
            format!("-D{} ", hdl::bitops::LUT_MUL_DEFINE)
        },
        v = quote(&v_path),
        dsp = if dsp { "-dsp " } else { "" },
        opts = match cfg.board.synth_options() {
            "" => String::new(),
            o => format!("{o} "),
        },
        json = quote(&json_path),
    );
    let mut times = Vec::new();
    let mut cmd = Command::new(&tools.yosys);
    cmd.arg("-q").arg("-l").arg(&yosys_log).arg("-p").arg(&script);
    times.push(run_tool("yosys", cmd, &yosys_log, progress)?);

    // nextpnr-ice40
    let asc_path = file("asc");
    let np_report = dir.join("nextpnr-report.json");
    let np_log = dir.join("nextpnr.log");
    let mut cmd = Command::new(&tools.nextpnr);
    cmd.arg(cfg.board.nextpnr_device())
        .arg("--package")
        .arg(cfg.board.nextpnr_package())
        .arg("--json")
        .arg(&json_path)
        .arg("--asc")
        .arg(&asc_path)
        .arg("--freq")
        .arg(format!("{}", cfg.freq_mhz))
        .arg("--seed")
        .arg(cfg.seed.to_string())
        .arg("--timing-allow-fail")
        .args(cfg.board.nextpnr_options())
        .arg("--report")
        .arg(&np_report)
        .arg("--top")
        .arg(top)
        .arg("-q")
        .arg("-l")
        .arg(&np_log);
    match &cfg.pins {
        PinConstraints::Board => {
            let pcf = file("pcf");
            write_file(&pcf, cfg.board.pcf().as_bytes())?;
            cmd.arg("--pcf").arg(pcf);
        }
        PinConstraints::Text(t) => {
            let pcf = file("pcf");
            write_file(&pcf, t.as_bytes())?;
            cmd.arg("--pcf").arg(pcf);
        }
        PinConstraints::None => {
            cmd.arg("--pcf-allow-unconstrained");
        }
    }
    match run_tool("nextpnr-ice40", cmd, &np_log, progress) {
        Ok(t) => times.push(t),
        Err(FlowError::ToolFailed {
            tool,
            status,
            log,
            tail,
        }) => {
            if tail.contains("no BELs remaining") || tail.contains("Unable to place") {
                let full = std::fs::read_to_string(&log).unwrap_or_default();
                let over = overfull_resources(&full);
                let detail = if over.is_empty() { first_error(&tail) } else { over };
                return Err(FlowError::DoesNotFit {
                    part: cfg.board.part().to_string(),
                    detail,
                    log,
                });
            }
            return Err(FlowError::ToolFailed {
                tool,
                status,
                log,
                tail,
            });
        }
        Err(e) => return Err(e),
    }

    // icepack, into a temporary name renamed at the end: no half-written .bin.
    let bin_path = file("bin");
    let bin_tmp = file("bin.tmp");
    let icepack_log = dir.join("icepack.log");
    let mut cmd = Command::new(&tools.icepack);
    cmd.arg(&asc_path).arg(&bin_tmp);
    times.push(run_tool("icepack", cmd, &icepack_log, progress)?);
    std::fs::rename(&bin_tmp, &bin_path).map_err(|e| FlowError::Io {
        path: bin_path.clone(),
        source: e,
    })?;

    // report
    let facts = report::parse_nextpnr_report(&report::read_text(&np_report)?)?;
    let cells = report::yosys_cell_counts(&report::read_text(&json_path)?, top)?;
    let log = report::read_text(&np_log)?;
    let mut critical_path = facts.critical_path;
    if let Some(p) = critical_path.as_mut() {
        let clock = p
            .to_clock
            .trim_start_matches("posedge ")
            .trim_start_matches("negedge ")
            .to_string();
        p.log_text = report::critical_path_log_text(&log, &clock);
    }
    let timing_met = facts.clocks.iter().all(|c| c.met);
    let rep = Report {
        version: REPORT_VERSION,
        board: cfg.board,
        part: cfg.board.part().to_string(),
        top: top.clone(),
        seed: cfg.seed,
        target_mhz: cfg.freq_mhz,
        resources: report::resources(cfg.board, &facts.utilization, &cells),
        clocks: facts.clocks,
        critical_path,
        tools: times,
        fits: true,
        timing_met,
        bitstream: format!("{top}.bin"),
        model_memory: cfg.model_memory.clone(),
    };
    write_file(&dir.join("report.json"), rep.to_json().as_bytes())?;
    write_file(&dir.join("report.md"), rep.to_markdown().as_bytes())?;
    Ok(rep)
}

fn validate(cfg: &FlowConfig) -> Result<(), FlowError> {
    if !(cfg.freq_mhz.is_finite() && cfg.freq_mhz > 0.0 && cfg.freq_mhz <= 1000.0) {
        return Err(FlowError::Config(format!(
            "target frequency {} MHz is not in (0, 1000]",
            cfg.freq_mhz
        )));
    }
    let ok = !cfg.top.is_empty()
        && cfg.top.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
        && !cfg.top.starts_with(|c: char| c.is_ascii_digit());
    if !ok {
        return Err(FlowError::Config(format!(
            "top module name `{}` is not a plain Verilog identifier",
            cfg.top
        )));
    }
    Ok(())
}

/// Quotes a path for a yosys script.
fn quote(p: &Path) -> String {
    format!("\"{}\"", p.display())
}

/// Writes a file through a temporary name in the same directory, then renames it.
pub(crate) fn write_file(path: &Path, bytes: &[u8]) -> Result<(), FlowError> {
    let mut tmp = path.as_os_str().to_owned();
    tmp.push(".tmp");
    let tmp = PathBuf::from(tmp);
    std::fs::write(&tmp, bytes).map_err(|e| FlowError::Io {
        path: tmp.clone(),
        source: e,
    })?;
    std::fs::rename(&tmp, path).map_err(|e| FlowError::Io {
        path: path.to_path_buf(),
        source: e,
    })
}

/// Runs one tool; stdout/stderr go to `<log>.out`; a non-zero exit returns the log's tail.
fn run_tool(
    tool: &'static str,
    mut cmd: Command,
    log: &Path,
    progress: &mut dyn FnMut(&FlowEvent),
) -> Result<ToolTime, FlowError> {
    let command = format!(
        "{} {}",
        cmd.get_program().to_string_lossy(),
        cmd.get_args()
            .map(|a| a.to_string_lossy().into_owned())
            .collect::<Vec<_>>()
            .join(" ")
    );
    progress(&FlowEvent::Started { tool, command });
    let t0 = Instant::now();
    let out = cmd.output().map_err(|e| {
        if e.kind() == std::io::ErrorKind::NotFound {
            FlowError::ToolMissing { tool: tool.to_string() }
        } else {
            FlowError::Spawn {
                tool: tool.to_string(),
                source: e,
            }
        }
    })?;
    let seconds = t0.elapsed().as_secs_f64();
    if !out.status.success() {
        let mut text = std::fs::read_to_string(log).unwrap_or_default();
        text.push_str(&String::from_utf8_lossy(&out.stdout));
        text.push_str(&String::from_utf8_lossy(&out.stderr));
        let tail: Vec<&str> = text.lines().rev().take(15).collect();
        let tail = tail.into_iter().rev().collect::<Vec<_>>().join("\n");
        return Err(FlowError::ToolFailed {
            tool: tool.to_string(),
            status: out
                .status
                .code()
                .map_or("killed by a signal".into(), |c| format!("exit status {c}")),
            log: log.to_path_buf(),
            tail,
        });
    }
    progress(&FlowEvent::Finished { tool, seconds });
    Ok(ToolTime {
        tool: tool.to_string(),
        seconds,
    })
}

/// The first line of a log tail that says ERROR, or the last line.
fn first_error(tail: &str) -> String {
    tail.lines()
        .find(|l| l.contains("ERROR"))
        .or_else(|| tail.lines().last())
        .unwrap_or("")
        .trim()
        .to_string()
}

/// The resources nextpnr's "Device utilisation" table shows above 100%, e.g.
/// "ICESTORM_LC 7665/5280 (145%)".
fn overfull_resources(log: &str) -> String {
    let mut out = Vec::new();
    for l in log.lines() {
        let l = l.trim_start_matches("Info:").trim();
        // "ICESTORM_LC:  7665/ 5280   145%"
        let Some((name, rest)) = l.split_once(':') else {
            continue;
        };
        let mut it = rest.split_whitespace();
        let (Some(used), Some(avail), Some(pct)) = (it.next(), it.next(), it.next()) else {
            continue;
        };
        let (Some(used), Ok(avail)) = (used.strip_suffix('/'), avail.parse::<u64>()) else {
            continue;
        };
        let (Ok(used), Some(pct)) = (used.parse::<u64>(), pct.strip_suffix('%')) else {
            continue;
        };
        if used > avail && !out.iter().any(|o: &String| o.starts_with(name)) {
            out.push(format!("{name} {used}/{avail} ({pct}%)"));
        }
    }
    out.join(", ")
}

#[cfg(test)]
mod tests {
    #[test]
    fn overfull_resources_are_read_from_the_utilisation_table() {
        let log = "Info: Device utilisation:\nInfo: \t         ICESTORM_LC:  7665/ 5280   145%\nInfo: \t        ICESTORM_RAM:    27/   30    90%\n";
        assert_eq!(super::overfull_resources(log), "ICESTORM_LC 7665/5280 (145%)");
    }
}
