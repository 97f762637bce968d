//! `backslash sim`: a model's whole test set on the Verilated accelerator, compared output by output with
//! the golden integer model (`golden::infer`).
use std::ops::Range;
use std::path::{Path, PathBuf};

use anyhow::{bail, Context};
use golden::infer::QModel;
use host::{CompileOptions, KChoice};
use sim::cosim::{self, CosimConfig, CosimReport};

/// Arguments of `backslash sim`.
#[derive(clap::Args)]
pub struct Args {
    /// The model: a trained safetensors (`backslash train`) or a container (`backslash encode`); it is
    /// exported to the integer model with the training set as calibration data.
    pub model: PathBuf,
    /// Test set to run: digits or fashion-mnist.
    #[arg(long, default_value = "digits")]
    pub dataset: String,
    /// Lanes of the accelerator: 1, 4 or 8 (4 with --decoder serial); 2 with --memory spram.
    /// Default: 4, or 2 with --memory spram.
    #[arg(long)]
    pub lanes: Option<usize>,
    /// The lanes' exp-Golomb decoder: pipelined (one codeword per clock, zero-run skipping) or
    /// serial (one stream bit per clock). Default: pipelined, or serial with --memory spram.
    #[arg(long)]
    pub decoder: Option<host::regmap::DecoderKind>,
    /// The accelerator's memories: `large` (the simulation build: 2048 stream words per lane,
    /// layers loaded one by one by the host) or `spram` (the iCE40 UP5K SPRAM build: 16K stream
    /// words per lane, the whole model resident and run on one RUN_MODEL per input).
    #[arg(long, value_enum, default_value_t = Memory::Large)]
    pub memory: Memory,
    /// Bound on one layer run, in clock cycles (a hang becomes an error).
    #[arg(long, default_value_t = host::driver::DEFAULT_LIMIT)]
    pub limit: u64,
    /// Write a VCD of the simulation (with --vcd-window, only those cycles).
    #[arg(long)]
    pub vcd: Option<PathBuf>,
    /// Cycles [A, B) recorded in the VCD, written A..B.
    #[arg(long, value_parser = parse_window, requires = "vcd")]
    pub vcd_window: Option<Range<u64>>,
    /// Where a VCD around the first mismatch goes (default: sim-mismatch.vcd in the current directory).
    #[arg(long)]
    pub mismatch_vcd: Option<PathBuf>,
    /// Weight step 2^-n of the integer export (a container's own step is used when it has one).
    #[arg(long, default_value_t = golden::train::REPORT_STEP_BITS)]
    pub step_bits: u32,
    /// Exp-Golomb order of every layer (default: the best per layer).
    #[arg(long)]
    pub k: Option<u32>,
    /// Disable zero-run skipping.
    #[arg(long)]
    pub no_zero_skip: bool,
    /// Run only the first N test samples.
    #[arg(long)]
    pub samples: Option<usize>,
    /// Simulator instances in parallel (ignored with --vcd).
    #[arg(long, default_value_t = 1)]
    pub threads: usize,
    /// Also write the summary as JSON to this file.
    #[arg(long)]
    pub json: Option<PathBuf>,
}

/// The memories of the simulated accelerator (`--memory`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Memory {
    /// `MemSizes::LARGE`: layers loaded one by one by the host.
    Large,
    /// `MemSizes::SPRAM`: the UP5K SPRAM build, the whole model resident, one RUN_MODEL per input.
    Spram,
}

fn parse_window(s: &str) -> Result<Range<u64>, String> {
    let (a, b) = s.split_once("..").ok_or_else(|| format!("{s:?}: expected A..B"))?;
    let a: u64 = a
        .trim()
        .parse()
        .map_err(|_| format!("{s:?}: {a:?} is not a cycle number"))?;
    let b: u64 = b
        .trim()
        .parse()
        .map_err(|_| format!("{s:?}: {b:?} is not a cycle number"))?;
    if a >= b {
        return Err(format!("{s:?}: the window is empty (A must be below B)"));
    }
    Ok(a..b)
}

/// Checks `--lanes` against the accelerators with `decoder` compiled into the simulator.
pub fn check_lanes(lanes: usize, decoder: host::regmap::DecoderKind) -> anyhow::Result<()> {
    let have = sim::accel::lanes_for(decoder);
    if !have.contains(&lanes) {
        let list: Vec<String> = have.iter().map(ToString::to_string).collect();
        bail!(
            "--lanes {lanes}: no Verilated accelerator with {lanes} lanes and the {decoder} decoder (the simulator has {})",
            list.join(", ")
        );
    }
    Ok(())
}

pub fn run(args: Args) -> anyhow::Result<()> {
    // Options and output paths first: a bad one fails before the model is loaded or simulated.
    if args.memory == Memory::Spram {
        return run_spram(args);
    }
    let lanes = args.lanes.unwrap_or(4);
    let decoder = args.decoder.unwrap_or_default();
    check_lanes(lanes, decoder)?;
    if args.samples == Some(0) {
        bail!("--samples 0: nothing to simulate");
    }
    if args.threads == 0 {
        bail!("--threads must be at least 1");
    }
    for path in [&args.json, &args.vcd, &args.mismatch_vcd].into_iter().flatten() {
        super::util::check_output(path)?;
    }
    let (model, data, name, step_bits) = super::util::load_qmodel(&args.model, &args.dataset, args.step_bits)?;
    let n = args.samples.unwrap_or(data.test.len()).min(data.test.len());
    let inputs: Vec<Vec<i8>> = (0..n)
        .map(|i| model.quantize_input(data.test.sample(i, data.features)))
        .collect();
    let labels: Vec<usize> = data.test.y[..n].iter().map(|&y| usize::from(y)).collect();

    let mut cfg = CosimConfig::new(lanes);
    cfg.decoder = decoder;
    cfg.limit = args.limit;
    cfg.compile = CompileOptions {
        k: args.k.map_or(KChoice::Auto, KChoice::Fixed),
        zero_skip: !args.no_zero_skip,
    };
    cfg.threads = args.threads;
    cfg.mismatch_vcd = Some(
        args.mismatch_vcd
            .clone()
            .unwrap_or_else(|| PathBuf::from("sim-mismatch.vcd")),
    );
    if let Some(vcd) = &args.vcd {
        cfg.trace = Some((vcd.clone(), args.vcd_window.clone().unwrap_or(0..u64::MAX)));
    }
    let runs = n as u64 * model.layers.len() as u64;
    let pb = super::util::progress(runs, "simulating");
    let pb2 = pb.clone();
    let threads = cfg.threads.max(1) as u64;
    let report = cosim::run(&model, &inputs, Some(&labels), &cfg, &mut move |done| {
        pb2.set_position(done as u64 * threads)
    })
    .context("co-simulation")?;
    pb.finish_and_clear();
    print!("{}", summary(&report, name.as_str(), step_bits));
    if let Some(path) = &args.json {
        let text = serde_json::to_string_pretty(&json(&report, name.as_str(), step_bits))?;
        super::util::write_atomic(path, text.as_bytes())?;
    }
    mismatch_exit(&report)
}

/// `--memory spram`: the whole model resident in the UP5K SPRAM build, one RUN_MODEL per input.
fn run_spram(args: Args) -> anyhow::Result<()> {
    use host::regmap::{DecoderKind, MemSizes};
    let m = sim::accel::AccelModel::spram();
    if args.lanes.is_some_and(|l| l != m.lanes) {
        bail!(
            "--memory spram: the SPRAM build has {} lanes, not {}",
            m.lanes,
            args.lanes.unwrap_or(0)
        );
    }
    if args.decoder.is_some_and(|d| d != m.decoder) {
        bail!("--memory spram: the SPRAM build uses the {} decoder", m.decoder);
    }
    if args.vcd.is_some() || args.k.is_some() || args.no_zero_skip {
        bail!("--memory spram: --vcd, --k and --no-zero-skip apply to --memory large only (the SPRAM model is built without --trace; each layer's k is chosen per layer)");
    }
    if args.samples == Some(0) {
        bail!("--samples 0: nothing to simulate");
    }
    if args.threads == 0 {
        bail!("--threads must be at least 1");
    }
    if let Some(path) = &args.json {
        super::util::check_output(path)?;
    }
    let (model, data, name, step_bits) = super::util::load_qmodel(&args.model, &args.dataset, args.step_bits)?;
    // The image against the build's memories, before any simulation.
    let image = host::Image::build(&model, m.lanes, MemSizes::SPRAM)
        .with_context(|| format!("{} does not fit the SPRAM build", args.model.display()))?;
    let n = args.samples.unwrap_or(data.test.len()).min(data.test.len());
    let inputs: Vec<Vec<i8>> = (0..n)
        .map(|i| model.quantize_input(data.test.sample(i, data.features)))
        .collect();
    let labels: Vec<usize> = data.test.y[..n].iter().map(|&y| usize::from(y)).collect();
    let mut cfg = CosimConfig::new(m.lanes);
    cfg.decoder = DecoderKind::Serial;
    cfg.limit = args.limit;
    cfg.threads = args.threads;
    let pb = super::util::progress(n as u64, "simulating");
    let pb2 = pb.clone();
    let threads = cfg.threads.clamp(1, n.max(1)) as u64;
    let (report, resident) = cosim::run_resident(&model, &inputs, Some(&labels), m, &cfg, &mut move |done| {
        pb2.set_position(done as u64 * threads)
    })
    .context("co-simulation")?;
    pb.finish_and_clear();
    print!("{}", summary(&report, name.as_str(), step_bits));
    print!("{}", spram_summary(&image, &resident, report.samples));
    if let Some(path) = &args.json {
        let mut j = json(&report, name.as_str(), step_bits);
        j["memory"] = "spram".into();
        j["image_stream_bytes"] = (image.stream_words_used() * 4 * image.lanes).into();
        j["spram_stream_bytes"] = (MemSizes::SPRAM.stream_words() * 4 * image.lanes).into();
        j["layer_cycles_per_inference"] = resident
            .layer_cycles
            .iter()
            .map(|&c| c as f64 / report.samples.max(1) as f64)
            .collect::<Vec<f64>>()
            .into();
        let text = serde_json::to_string_pretty(&j)?;
        super::util::write_atomic(path, text.as_bytes())?;
    }
    mismatch_exit(&report)
}

/// The image against the SPRAM build's memories, and the cycles of each layer.
pub fn spram_summary(image: &host::Image, r: &cosim::ResidentReport, samples: usize) -> String {
    let sizes = image.sizes;
    let per = |c: u64| c as f64 / samples.max(1) as f64;
    let mut s = format!(
        "image: streams {} words per lane of {} ({:.1} of {:.1} KiB of SPRAM, {:.1}%), value map {} of {} entries, biases {} of {} rows, {} of {} layer-table entries
",
        image.stream_words_used(),
        sizes.stream_words(),
        (image.stream_words_used() * 4 * image.lanes) as f64 / 1024.0,
        (sizes.stream_words() * 4 * image.lanes) as f64 / 1024.0,
        100.0 * image.stream_words_used() as f64 / sizes.stream_words() as f64,
        image.vmap.len(),
        sizes.vmap_entries(),
        image.bias.len(),
        sizes.bias_rows(),
        image.layers.len(),
        sizes.layer_table_entries(),
    );
    let layers: Vec<String> = r.layer_cycles.iter().map(|&c| format!("{:.1}", per(c))).collect();
    s += &format!(
        "one RUN_MODEL per input: {:.1} MODEL_CYCLES per inference (layers: {})\n",
        per(r.model_cycles),
        layers.join(", ")
    );
    s
}

fn pct(a: usize, n: usize) -> f64 {
    100.0 * a as f64 / n.max(1) as f64
}

/// The human-readable summary.
pub fn summary(r: &CosimReport, dataset: &str, step_bits: u32) -> String {
    let mut s = String::new();
    let cpi = r.cycles_per_inference();
    s += &format!(
        "accelerator: P = {} lanes, {} decoder, {} test inputs of {dataset}, weights at step 2^-{step_bits}\n",
        r.lanes, r.decoder, r.samples
    );
    let serial = r.decoder == host::regmap::DecoderKind::Serial;
    for (i, (k, zs, passes)) in r.layers.iter().enumerate() {
        s += &format!(
            "  layer {i}: EG({k}), zero-run skipping {}, {passes} pass(es)\n",
            match (*zs, serial) {
                (false, _) => "off",
                (true, false) => "on",
                (true, true) => "on (the serial decoder has none: every zero is a MAC cycle)",
            }
        );
    }
    s += &format!(
        "mismatches: {} inputs, {} values\n",
        r.mismatched_samples, r.mismatched_values
    );
    if let Some(m) = r.first_mismatch {
        s += &format!(
            "  first: input {}, layer {}, row {}: golden {} hardware {}\n",
            m.sample, m.layer, m.row, m.expected, m.actual
        );
        if let Some(p) = &r.mismatch_vcd {
            s += &format!("  VCD of that layer run: {}\n", p.display());
        }
    }
    s += &format!(
        "accuracy: hardware {:.2}% golden {:.2}%\n",
        pct(r.hw_correct, r.samples),
        pct(r.golden_correct, r.samples)
    );
    s += &format!(
        "cycles per inference: {:.1} (dense one weight per clock: {}, {:.2}x fewer; per lane {:.1}, {:.2}x fewer)\n",
        cpi,
        r.dense_cycles,
        r.dense_cycles as f64 / cpi.max(1e-9),
        r.dense_cycles as f64 / r.lanes as f64,
        r.dense_cycles as f64 / r.lanes as f64 / cpi.max(1e-9)
    );
    let c = &r.counters;
    s += &format!(
        "counters per inference: {:.1} non-zero MACs, {:.1} zeros skipped, {:.1} zero MACs, {:.1} stall lane-clocks\n",
        c.nonzero as f64 / r.samples.max(1) as f64,
        c.zero_skipped as f64 / r.samples.max(1) as f64,
        c.zero_mac as f64 / r.samples.max(1) as f64,
        c.stall as f64 / r.samples.max(1) as f64
    );
    s += &format!(
        "stream: {} bits ({:.3} bits/weight)\n",
        r.stream_bits,
        r.stream_bits as f64 / r.dense_cycles.max(1) as f64
    );
    s += &format!(
        "simulated: {} cycles (host bus included) in {:.2} s on {} thread(s): {:.2} M cycles/s\n",
        r.sim_cycles,
        r.seconds,
        r.threads,
        r.cycles_per_second() / 1e6
    );
    s
}

/// The summary as JSON.
pub fn json(r: &CosimReport, dataset: &str, step_bits: u32) -> serde_json::Value {
    serde_json::json!({
        "dataset": dataset,
        "lanes": r.lanes,
        "decoder": r.decoder.name(),
        "step_bits": step_bits,
        "samples": r.samples,
        "mismatched_samples": r.mismatched_samples,
        "mismatched_values": r.mismatched_values,
        "first_mismatch": r.first_mismatch.map(|m| serde_json::json!({
            "sample": m.sample, "layer": m.layer, "row": m.row, "expected": m.expected, "actual": m.actual
        })),
        "hardware_accuracy": r.hw_correct as f64 / r.samples.max(1) as f64,
        "golden_accuracy": r.golden_correct as f64 / r.samples.max(1) as f64,
        "cycles_per_inference": r.cycles_per_inference(),
        "dense_cycles_per_inference": r.dense_cycles,
        "stream_bits": r.stream_bits,
        "sim_cycles": r.sim_cycles,
        "sim_seconds": r.seconds,
        "sim_cycles_per_second": r.cycles_per_second(),
        "threads": r.threads,
    })
}

/// Options of [`simulate`] (for `backslash demo`).
#[derive(Debug, Clone)]
pub struct SimOpts {
    pub lanes: usize,
    pub samples: Option<usize>,
    pub limit: u64,
}

impl SimOpts {
    /// `lanes` lanes, the whole test set, the default limit.
    pub fn new(lanes: usize) -> SimOpts {
        SimOpts {
            lanes,
            samples: None,
            limit: host::driver::DEFAULT_LIMIT,
        }
    }
    /// Only the first `n` test inputs (all when `None`).
    pub fn samples(mut self, n: Option<usize>) -> SimOpts {
        self.samples = n;
        self
    }
}

fn test_inputs(model: &QModel, data: &golden::data::Dataset, n: Option<usize>) -> (Vec<Vec<i8>>, Vec<usize>) {
    let n = n.unwrap_or(data.test.len()).min(data.test.len());
    let inputs = (0..n)
        .map(|i| model.quantize_input(data.test.sample(i, data.features)))
        .collect();
    (inputs, data.test.y[..n].iter().map(|&y| usize::from(y)).collect())
}

/// The test set of `data` through the Verilated accelerator and golden (no progress bar, no files).
pub fn simulate(model: &QModel, data: &golden::data::Dataset, opts: &SimOpts) -> anyhow::Result<CosimReport> {
    let (inputs, labels) = test_inputs(model, data, opts.samples);
    let mut cfg = CosimConfig::new(opts.lanes);
    cfg.limit = opts.limit;
    cosim::run(model, &inputs, Some(&labels), &cfg, &mut |_| {}).context("co-simulation")
}

/// A VCD at `vcd` of the first test input's last layer run (START to DONE with
/// `cosim::MISMATCH_VCD_MARGIN` clocks either side, so that the file stays small for any model, host
/// uploads excluded); the clock window recorded. The demo compares the whole test set before this.
pub fn trace_first(
    model: &QModel,
    data: &golden::data::Dataset,
    lanes: usize,
    vcd: &Path,
) -> anyhow::Result<Range<u64>> {
    let (inputs, _) = test_inputs(model, data, Some(1));
    let cfg = CosimConfig::new(lanes);
    let probe = host::Driver::new(sim::Accelerator::with_decoder(lanes, cfg.decoder)?)?;
    let program = probe.compile(model, cfg.compile)?;
    let last = program.layers.len().saturating_sub(1);
    cosim::trace_one(&program, &inputs[0], last, 0, &cfg, vcd).context("co-simulation with a VCD")
}

/// The command's result: an error when any input differed between hardware and golden.
fn mismatch_exit(report: &CosimReport) -> anyhow::Result<()> {
    if report.mismatched_samples > 0 {
        bail!(
            "{} of {} inputs differ between hardware and golden",
            report.mismatched_samples,
            report.samples
        );
    }
    Ok(())
}
