//! The flow's report: resources used and available, Fmax of each clock against its target, the
//! critical path and the time each tool took. Parsed from nextpnr's `--report` JSON, yosys's JSON
//! netlist (flip-flop and LUT counts before packing) and nextpnr's log (critical path with sources).

use crate::{Board, FlowError};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::Path;

/// Version of the report's JSON layout; bumped when a field changes meaning.
pub const REPORT_VERSION: u32 = 1;

/// Everything one flow run measured.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Report {
    /// [`REPORT_VERSION`].
    pub version: u32,
    /// Board built for.
    pub board: Board,
    /// Device and package (e.g. `iCE40UP5K-SG48`).
    pub part: String,
    /// Top module name.
    pub top: String,
    /// nextpnr's placement seed.
    pub seed: u64,
    /// The target frequency given to nextpnr (`--freq`), MHz.
    pub target_mhz: f64,
    /// Resources: LC, LUT4, FF, CARRY, EBR, SPRAM, DSP, IO, GB, PLL, HFOSC.
    pub resources: Vec<Resource>,
    /// Fmax of each clock domain against its target.
    pub clocks: Vec<ClockTiming>,
    /// The worst register-to-register path of the slowest clock (None when the design has no clock).
    pub critical_path: Option<CriticalPath>,
    /// Wall time of each tool, in the order they ran.
    pub tools: Vec<ToolTime>,
    /// Whether every resource fits (placement succeeded, so always true in a written report; kept
    /// explicit for readers of the JSON).
    pub fits: bool,
    /// Whether every clock meets its target.
    pub timing_met: bool,
    /// File name of the bitstream, relative to the report's directory.
    pub bitstream: String,
    /// What the accelerator's memories hold, for an accelerator build.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub model_memory: Option<ModelMemory>,
}

/// What an accelerator build's memories hold (its `host::regmap::MemSizes`), in the report.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ModelMemory {
    /// Lanes P.
    pub lanes: usize,
    /// 32-bit stream words per lane.
    pub stream_words_per_lane: usize,
    /// Where the streams live: `SPRAM` or `block RAM`.
    pub stream_memory: String,
    /// Value-map entries (all layers of a resident model together).
    pub vmap_entries: usize,
    /// Bias rows (all layers together).
    pub bias_rows: usize,
    /// The largest rows and columns of a layer.
    pub max_dim: usize,
    /// Layer-table entries (0: the host sequences layers).
    pub layer_table: usize,
    /// The build boots its model image from SPI flash.
    pub flash_boot: bool,
}

impl ModelMemory {
    /// The memories of a build with `lanes` lanes and `sizes`.
    pub fn new(lanes: usize, sizes: host::regmap::MemSizes, flash_boot: bool) -> ModelMemory {
        ModelMemory {
            lanes,
            stream_words_per_lane: sizes.stream_words(),
            stream_memory: if sizes.stream_words_log2 as usize >= hdl::mac_lane::SPRAM_SAW_MIN {
                "SPRAM"
            } else {
                "block RAM"
            }
            .into(),
            vmap_entries: sizes.vmap_entries(),
            bias_rows: sizes.bias_rows(),
            max_dim: sizes.max_dim(),
            layer_table: sizes.layer_table_entries(),
            flash_boot,
        }
    }

    /// Stream bits of all lanes.
    pub fn stream_bits(&self) -> u64 {
        (self.lanes * self.stream_words_per_lane * 32) as u64
    }

    /// The report's paragraph.
    pub fn to_markdown(&self, board: Board) -> String {
        let kbit = self.stream_bits() / 1024;
        let mut s = format!(
            "{} lanes x {} stream words of 32 bits in {} = {kbit} kbit ({} KiB) of coded weights in all (at 2 bits per weight about {}k weights, if the lanes' streams are even); {} value-map entries and {} bias rows shared by the layers; layers up to {} x {}.",
            self.lanes,
            self.stream_words_per_lane,
            self.stream_memory,
            kbit / 8,
            self.stream_bits() / 2 / 1000,
            self.vmap_entries,
            self.bias_rows,
            self.max_dim,
            self.max_dim
        );
        if self.layer_table > 0 {
            s += &format!(
                " A layer table of {} entries: a whole model resident and run on one RUN_MODEL, loaded once through the image loader (`backslash load`).",
                self.layer_table
            );
        } else {
            s += " No layer table: the host runs one layer at a time (`backslash run`), each layer's streams within the stream memory, or a baked model's resident layers.";
        }
        if self.flash_boot {
            s += &format!(
                " At power-up it loads the model image from the SPI flash at byte 0x{:X} (`iceprog -o 1M model.bsi`).",
                host::image::FLASH_IMAGE_OFFSET
            );
        }
        if board.capacity().spram == 0 {
            s += &format!(" The {} has no SPRAM: block RAM only.", board.name());
        }
        s
    }
}

/// One kind of resource.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Resource {
    /// Short name: `LC`, `LUT4`, `FF`, `CARRY`, `EBR`, `SPRAM`, `DSP`, `IO`, `GB`, `PLL`, `HFOSC`.
    pub name: String,
    /// The primitive counted (e.g. `ICESTORM_LC`, `SB_DFF*`).
    pub primitive: String,
    /// Instances used.
    pub used: u32,
    /// Instances on the device.
    pub available: u32,
}

impl Resource {
    /// Used as a percentage of available (0 when none is available).
    pub fn percent(&self) -> f64 {
        if self.available == 0 {
            0.0
        } else {
            100.0 * f64::from(self.used) / f64::from(self.available)
        }
    }
}

/// Timing of one clock domain.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ClockTiming {
    /// nextpnr's name of the clock net.
    pub name: String,
    /// Achieved Fmax after routing, MHz.
    pub fmax_mhz: f64,
    /// Target (constraint), MHz.
    pub target_mhz: f64,
    /// `fmax_mhz >= target_mhz`.
    pub met: bool,
}

/// A timing path, from nextpnr.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CriticalPath {
    /// Launching clock (`<async>` for a port).
    pub from_clock: String,
    /// Capturing clock.
    pub to_clock: String,
    /// Total delay, ns.
    pub delay_ns: f64,
    /// Of which in cells (clk-to-q, LUTs, carry, setup), ns.
    pub logic_ns: f64,
    /// Of which in routing, ns.
    pub routing_ns: f64,
    /// Cell from which the path starts.
    pub start_cell: String,
    /// Cell at which the path ends.
    pub end_cell: String,
    /// Nets along the path, in order (the RTL signal names, as far as synthesis kept them).
    pub nets: Vec<String>,
    /// Number of logic levels (LUTs and carry cells traversed).
    pub logic_levels: u32,
    /// nextpnr's own text of this path from its log, with the source lines of each net (may be empty).
    pub log_text: String,
}

/// Wall time of one tool.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ToolTime {
    /// `yosys`, `nextpnr-ice40` or `icepack`.
    pub tool: String,
    /// Seconds.
    pub seconds: f64,
}

impl Report {
    /// Reads a report written by [`Report::to_json`].
    pub fn from_json(text: &str) -> Result<Report, FlowError> {
        let r: Report = serde_json::from_str(text).map_err(|e| FlowError::Parse {
            what: "report JSON".into(),
            detail: e.to_string(),
        })?;
        if r.version != REPORT_VERSION {
            return Err(FlowError::Parse {
                what: "report JSON".into(),
                detail: format!("version {} (this build reads {REPORT_VERSION})", r.version),
            });
        }
        Ok(r)
    }

    /// Pretty JSON.
    pub fn to_json(&self) -> String {
        // Serialising plain data with string keys cannot fail.
        serde_json::to_string_pretty(self).unwrap_or_default()
    }

    /// A resource by short name.
    pub fn resource(&self, name: &str) -> Option<&Resource> {
        self.resources.iter().find(|r| r.name == name)
    }

    /// The slowest clock's Fmax (None without clocks).
    pub fn min_fmax_mhz(&self) -> Option<f64> {
        self.clocks.iter().map(|c| c.fmax_mhz).reduce(f64::min)
    }

    /// A few lines for a terminal.
    pub fn summary(&self) -> String {
        let mut s = String::new();
        let res: Vec<String> = ["LC", "FF", "EBR", "SPRAM", "DSP"]
            .iter()
            .filter_map(|n| self.resource(n))
            .filter(|r| r.available > 0)
            .map(|r| format!("{} {}/{} ({:.0}%)", r.name, r.used, r.available, r.percent()))
            .collect();
        let _ = writeln!(s, "{} {} seed {}: {}", self.part, self.top, self.seed, res.join(", "));
        for c in &self.clocks {
            let _ = writeln!(
                s,
                "clock {}: Fmax {:.2} MHz, target {:.2} MHz: {}",
                c.name,
                c.fmax_mhz,
                c.target_mhz,
                if c.met { "met" } else { "MISSED" }
            );
        }
        if let Some(p) = &self.critical_path {
            let _ = writeln!(
                s,
                "critical path: {:.2} ns ({:.2} logic, {:.2} routing, {} levels) {} -> {}",
                p.delay_ns, p.logic_ns, p.routing_ns, p.logic_levels, p.start_cell, p.end_cell
            );
        }
        let t: Vec<String> = self
            .tools
            .iter()
            .map(|t| format!("{} {:.1} s", t.tool, t.seconds))
            .collect();
        let _ = write!(s, "tools: {}", t.join(", "));
        s
    }

    /// The report as a markdown document.
    pub fn to_markdown(&self) -> String {
        let mut s = String::new();
        let _ = writeln!(s, "# Bitstream report: {} on {}\n", self.top, self.board);
        let _ = writeln!(
            s,
            "Part {}, nextpnr seed {}, target {:.2} MHz. Bitstream: `{}`.\n",
            self.part, self.seed, self.target_mhz, self.bitstream
        );
        let verdict = match (self.fits, self.timing_met) {
            (true, true) => "fits, timing met",
            (true, false) => "fits, **timing MISSED**",
            (false, _) => "**does not fit**",
        };
        let _ = writeln!(s, "Verdict: {verdict}.\n");
        let _ = writeln!(
            s,
            "## Resources\n\n| resource | primitive | used | available | % |\n|---|---|---:|---:|---:|"
        );
        for r in &self.resources {
            let _ = writeln!(
                s,
                "| {} | {} | {} | {} | {:.1} |",
                r.name,
                r.primitive,
                r.used,
                r.available,
                r.percent()
            );
        }
        if let Some(m) = &self.model_memory {
            let _ = writeln!(s, "\n## Model memory\n\n{}", m.to_markdown(self.board));
        }
        let _ = writeln!(
            s,
            "\n## Clocks\n\n| clock | Fmax (MHz) | target (MHz) | |\n|---|---:|---:|---|"
        );
        for c in &self.clocks {
            let _ = writeln!(
                s,
                "| `{}` | {:.2} | {:.2} | {} |",
                c.name,
                c.fmax_mhz,
                c.target_mhz,
                if c.met { "met" } else { "**missed**" }
            );
        }
        if let Some(p) = &self.critical_path {
            let _ = writeln!(
                s,
                "\n## Critical path\n\n{} -> {}: {:.2} ns ({:.2} ns logic, {:.2} ns routing, {} logic levels), from `{}` to `{}`.\n",
                p.from_clock, p.to_clock, p.delay_ns, p.logic_ns, p.routing_ns, p.logic_levels, p.start_cell, p.end_cell
            );
            let _ = writeln!(
                s,
                "Nets: {}\n",
                p.nets.iter().map(|n| format!("`{n}`")).collect::<Vec<_>>().join(" -> ")
            );
            if !p.log_text.is_empty() {
                let _ = writeln!(s, "```text\n{}\n```", p.log_text.trim_end());
            }
        }
        let _ = writeln!(s, "\n## Tools\n\n| tool | seconds |\n|---|---:|");
        for t in &self.tools {
            let _ = writeln!(s, "| {} | {:.2} |", t.tool, t.seconds);
        }
        s
    }
}

// ---- nextpnr's --report JSON ------------------------------------------------------------------

#[derive(Deserialize)]
struct NpReport {
    #[serde(default)]
    fmax: BTreeMap<String, NpFmax>,
    #[serde(default)]
    utilization: BTreeMap<String, NpUtil>,
    #[serde(default)]
    critical_paths: Vec<NpPath>,
}

#[derive(Deserialize)]
struct NpFmax {
    achieved: f64,
    constraint: f64,
}

#[derive(Deserialize)]
struct NpUtil {
    available: u32,
    used: u32,
}

#[derive(Deserialize)]
struct NpPath {
    from: String,
    to: String,
    path: Vec<NpStep>,
}

#[derive(Deserialize)]
struct NpStep {
    delay: f64,
    #[serde(rename = "type")]
    kind: String,
    from: NpEnd,
    to: NpEnd,
    #[serde(default)]
    net: Option<String>,
}

#[derive(Deserialize)]
struct NpEnd {
    cell: String,
}

/// What the nextpnr report gives: utilization, clocks and the critical path of the slowest clock.
pub(crate) struct NextpnrFacts {
    pub utilization: BTreeMap<String, (u32, u32)>,
    pub clocks: Vec<ClockTiming>,
    pub critical_path: Option<CriticalPath>,
}

/// Parses nextpnr-ice40's `--report` JSON (nextpnr 0.4 layout).
pub(crate) fn parse_nextpnr_report(text: &str) -> Result<NextpnrFacts, FlowError> {
    let r: NpReport = serde_json::from_str(text).map_err(|e| FlowError::Parse {
        what: "nextpnr report JSON".into(),
        detail: e.to_string(),
    })?;
    let utilization = r
        .utilization
        .iter()
        .map(|(k, u)| (k.clone(), (u.used, u.available)))
        .collect();
    let clocks: Vec<ClockTiming> = r
        .fmax
        .iter()
        .map(|(name, f)| ClockTiming {
            name: name.clone(),
            fmax_mhz: f.achieved,
            target_mhz: f.constraint,
            met: f.achieved >= f.constraint,
        })
        .collect();
    // The critical path of the slowest clock: the same-clock path whose clock has the lowest Fmax.
    let slowest = clocks
        .iter()
        .min_by(|a, b| a.fmax_mhz.total_cmp(&b.fmax_mhz))
        .map(|c| c.name.clone());
    let clock_of = |s: &str| {
        s.strip_prefix("posedge ")
            .or_else(|| s.strip_prefix("negedge "))
            .unwrap_or(s)
            .to_string()
    };
    let chosen = r
        .critical_paths
        .iter()
        .filter(|p| p.from != "<async>" && p.to != "<async>")
        .filter(|p| slowest.as_deref().is_none_or(|c| clock_of(&p.to) == c))
        .max_by(|a, b| path_delay(a).total_cmp(&path_delay(b)));
    let critical_path = chosen.map(|p| {
        let mut logic = 0.0;
        let mut routing = 0.0;
        let mut levels = 0;
        let mut nets = Vec::new();
        for st in &p.path {
            if st.kind == "routing" {
                routing += st.delay;
                if let Some(n) = &st.net {
                    nets.push(n.clone());
                }
            } else {
                logic += st.delay;
                if st.kind == "logic" {
                    levels += 1;
                }
            }
        }
        CriticalPath {
            from_clock: p.from.clone(),
            to_clock: p.to.clone(),
            delay_ns: logic + routing,
            logic_ns: logic,
            routing_ns: routing,
            start_cell: p.path.first().map(|s| s.from.cell.clone()).unwrap_or_default(),
            end_cell: p.path.last().map(|s| s.to.cell.clone()).unwrap_or_default(),
            nets,
            logic_levels: levels,
            log_text: String::new(),
        }
    });
    Ok(NextpnrFacts {
        utilization,
        clocks,
        critical_path,
    })
}

fn path_delay(p: &NpPath) -> f64 {
    p.path.iter().map(|s| s.delay).sum()
}

/// The last critical-path section of nextpnr's log for clock `clock` (the post-route one): from
/// "Critical path report for clock '<clock>'" to the "ns logic, ns routing" line.
pub(crate) fn critical_path_log_text(log: &str, clock: &str) -> String {
    let header = format!("Critical path report for clock '{clock}'");
    let lines: Vec<&str> = log.lines().collect();
    let Some(start) = lines.iter().rposition(|l| l.contains(&header)) else {
        return String::new();
    };
    let mut out = Vec::new();
    for l in &lines[start..] {
        let l = l.strip_prefix("Info: ").unwrap_or(l);
        out.push(l);
        if l.contains("ns logic,") && l.contains("ns routing") {
            break;
        }
    }
    out.join("\n")
}

// ---- yosys JSON netlist -----------------------------------------------------------------------

#[derive(Deserialize)]
struct YsNetlist {
    modules: BTreeMap<String, YsModule>,
}

#[derive(Deserialize)]
struct YsModule {
    #[serde(default)]
    cells: BTreeMap<String, YsCell>,
}

#[derive(Deserialize)]
struct YsCell {
    #[serde(rename = "type")]
    kind: String,
}

/// Counts of each cell type in the top module of a flattened yosys JSON netlist.
pub(crate) fn yosys_cell_counts(text: &str, top: &str) -> Result<BTreeMap<String, u32>, FlowError> {
    let n: YsNetlist = serde_json::from_str(text).map_err(|e| FlowError::Parse {
        what: "yosys JSON netlist".into(),
        detail: e.to_string(),
    })?;
    let m = n.modules.get(top).ok_or_else(|| FlowError::Parse {
        what: "yosys JSON netlist".into(),
        detail: format!(
            "no module `{top}` (modules: {})",
            n.modules.keys().cloned().collect::<Vec<_>>().join(", ")
        ),
    })?;
    let mut counts = BTreeMap::new();
    for c in m.cells.values() {
        *counts.entry(c.kind.clone()).or_insert(0) += 1;
    }
    Ok(counts)
}

/// Builds the resource table from nextpnr's utilization and yosys's cell counts.
pub(crate) fn resources(
    board: Board,
    util: &BTreeMap<String, (u32, u32)>,
    cells: &BTreeMap<String, u32>,
) -> Vec<Resource> {
    let cap = board.capacity();
    let np = |key: &str, default_avail: u32| util.get(key).copied().unwrap_or((0, default_avail));
    let count = |pred: &dyn Fn(&str) -> bool| cells.iter().filter(|(k, _)| pred(k)).map(|(_, v)| *v).sum::<u32>();
    let (lc, lc_avail) = np("ICESTORM_LC", cap.lc);
    let mut v = vec![
        Resource {
            name: "LC".into(),
            primitive: "ICESTORM_LC".into(),
            used: lc,
            available: lc_avail,
        },
        Resource {
            name: "LUT4".into(),
            primitive: "SB_LUT4".into(),
            used: count(&|k| k == "SB_LUT4"),
            available: lc_avail,
        },
        Resource {
            name: "FF".into(),
            primitive: "SB_DFF*".into(),
            used: count(&|k| k.starts_with("SB_DFF")),
            available: lc_avail,
        },
        Resource {
            name: "CARRY".into(),
            primitive: "SB_CARRY".into(),
            used: count(&|k| k == "SB_CARRY"),
            available: lc_avail,
        },
    ];
    let (ebr, ebr_a) = np("ICESTORM_RAM", cap.ebr);
    v.push(Resource {
        name: "EBR".into(),
        primitive: "SB_RAM40_4K".into(),
        used: ebr,
        available: ebr_a,
    });
    let (sp, sp_a) = np("ICESTORM_SPRAM", cap.spram);
    v.push(Resource {
        name: "SPRAM".into(),
        primitive: "SB_SPRAM256KA".into(),
        used: sp,
        available: sp_a,
    });
    let (dsp, dsp_a) = np("ICESTORM_DSP", cap.dsp);
    v.push(Resource {
        name: "DSP".into(),
        primitive: "SB_MAC16".into(),
        used: dsp,
        available: dsp_a,
    });
    for (name, key) in [
        ("IO", "SB_IO"),
        ("GB", "SB_GB"),
        ("PLL", "ICESTORM_PLL"),
        ("HFOSC", "ICESTORM_HFOSC"),
    ] {
        if let Some(&(u, a)) = util.get(key) {
            v.push(Resource {
                name: name.into(),
                primitive: key.into(),
                used: u,
                available: a,
            });
        }
    }
    v
}

/// Reads a text file, naming it in the error.
pub(crate) fn read_text(path: &Path) -> Result<String, FlowError> {
    std::fs::read_to_string(path).map_err(|e| FlowError::Io {
        path: path.to_path_buf(),
        source: e,
    })
}

#[cfg(test)]
mod float_tests {
    use super::ToolTime;

    /// Times and delays must survive `to_json` / `from_json` bit for bit (serde_json's
    /// `float_roundtrip`): these values, from real reports, came back one ulp off without it.
    #[test]
    fn floats_round_trip_exactly() {
        for seconds in [52.183000423014164, 28.468974545000002, 0.1 + 0.2, 1e-300] {
            let t = ToolTime {
                tool: "nextpnr-ice40".into(),
                seconds,
            };
            let back: ToolTime = serde_json::from_str(&serde_json::to_string_pretty(&t).unwrap()).unwrap();
            assert_eq!(back, t);
        }
    }
}

#[cfg(test)]
mod model_memory_tests {
    use super::ModelMemory;
    use crate::Board;
    use host::regmap::MemSizes;

    /// The report's capacity paragraph: the SPRAM build holds 1 Mbit of streams and a layer table
    /// and boots from flash; the HX8K's block-RAM build one layer at a time, no SPRAM.
    #[test]
    fn capacity_is_stated_per_build() {
        let spram = ModelMemory::new(2, MemSizes::SPRAM, true);
        assert_eq!(spram.stream_bits(), 2 * 16384 * 32);
        let t = spram.to_markdown(Board::Icebreaker);
        assert!(
            t.contains("in SPRAM = 1024 kbit") && t.contains("layer table of 8") && t.contains("0x100000"),
            "{t}"
        );
        let hx = ModelMemory::new(2, MemSizes::BOARD, false);
        let t = hx.to_markdown(Board::Hx8k);
        assert!(
            t.contains("in block RAM = 32 kbit") && t.contains("No layer table") && t.contains("no SPRAM"),
            "{t}"
        );
        assert!(t.contains("layers up to 256 x 256"), "{t}");
    }
}
