//! `backslash demo`: the whole chain on a dataset (the built-in digits by default; `make demo-fashion`
//! runs it on Fashion-MNIST with the 784-256-128-10 MLP), one step after another, each
//! step through the same functions as its own subcommand (`train`, `stats`, `encode`, `hdl`, `sim`,
//! `bitstream`), ending with one summary (`summary.md`, `summary.json`) in the output folder.
//!
//! A missing board tool (yosys, nextpnr-ice40, icepack) is reported with how to install it, and the
//! steps that do not need it still run. Verilator is a build-time tool: the Verilated models are
//! compiled into this binary (sim/build.rs stops the build with how to install it), so the simulation
//! step needs nothing at run time.

use crate::cmd::util::{progress, write_atomic};
use anyhow::Context;
use golden::data::{Dataset, DatasetName};
use golden::train::{self, io, Mlp, Progress, Regularizer};
use serde::Serialize;
use std::path::{Path, PathBuf};
use std::time::Instant;

/// Arguments of `backslash demo`.
#[derive(clap::Args)]
pub struct Args {
    /// Output folder for every artifact.
    #[arg(long, default_value = "out")]
    pub out: PathBuf,
    #[command(flatten)]
    pub train: super::train::TrainOpts,
    /// λ of the BackSlash (DGGR) model.
    #[arg(long, default_value_t = 20.0)]
    pub lambda: f32,
    /// Weight step 2^-n of the integer model and the container.
    #[arg(long, default_value_t = 8)]
    pub step_bits: u32,
    /// Lanes of the simulated accelerator.
    #[arg(long, default_value_t = 4)]
    pub lanes: usize,
    /// Lanes of the iCEBreaker bitstream (default: the largest P that fits the UP5K).
    #[arg(long, default_value_t = bitstreams::tops::DEFAULT_LANES)]
    pub board_lanes: usize,
    /// Simulate only the first N test inputs (default: the whole test set).
    #[arg(long)]
    pub samples: Option<usize>,
    /// Skip the bitstream step.
    #[arg(long)]
    pub no_bitstream: bool,
    /// Retrain even when a cached model with the same settings exists.
    #[arg(long)]
    pub retrain: bool,
}

/// One trained model of the comparison.
#[derive(Debug, Serialize)]
pub struct ModelSummary {
    pub name: String,
    pub regularizer: String,
    pub lambda: f32,
    pub path: PathBuf,
    pub cached: bool,
    pub params: u64,
    pub float_test_accuracy: f64,
    pub nu: Option<f64>,
    pub fixed_bits_per_weight: f64,
    pub huffman_bits_per_weight: Option<f64>,
    pub eg_bits_per_weight: f64,
    pub eg_bytes: f64,
}

/// The hardware simulation's figures.
#[derive(Debug, Serialize)]
pub struct SimSummary {
    pub lanes: usize,
    pub samples: usize,
    pub mismatched_samples: usize,
    pub mismatched_values: usize,
    pub hardware_accuracy: f64,
    pub golden_accuracy: f64,
    pub cycles_per_inference: f64,
    pub dense_cycles_per_inference: u64,
    pub speedup_vs_dense: f64,
    pub simulated_cycles_per_second: f64,
    pub vcd: PathBuf,
}

/// The bitstream's figures.
#[derive(Debug, Serialize)]
pub struct BitstreamSummary {
    pub board: String,
    pub lanes: usize,
    pub bitstream: PathBuf,
    pub report: PathBuf,
    pub lc: Option<(u32, u32)>,
    pub ebr: Option<(u32, u32)>,
    pub dsp: Option<(u32, u32)>,
    pub fmax_mhz: Option<f64>,
    pub target_mhz: f64,
    pub timing_met: bool,
}

/// Everything the demo measured, written as `summary.json`.
#[derive(Debug, Serialize)]
pub struct Summary {
    pub dataset: String,
    pub step_bits: u32,
    pub normal: ModelSummary,
    pub backslash: ModelSummary,
    /// EG size of the BackSlash model relative to the normal model's EG size.
    pub size_reduction_vs_normal_eg: f64,
    pub golden_integer_accuracy: f64,
    pub container: PathBuf,
    pub container_bytes: u64,
    pub verilog: PathBuf,
    pub sim: Option<SimSummary>,
    pub bitstream: Option<BitstreamSummary>,
    /// Steps that did not run, and why.
    pub skipped: Vec<String>,
    pub seconds: f64,
}

fn step(n: usize, what: &str) {
    eprintln!("\n== [{n}/7] {what}");
}

/// Trains (or reuses a cached) model; the cache key is a checksum of every training setting.
fn trained(
    data: &Dataset,
    opts: &super::train::TrainOpts,
    name: &str,
    reg: Regularizer,
    lambda: f32,
    models: &Path,
    retrain: bool,
) -> anyhow::Result<(Mlp, PathBuf, bool)> {
    let cfg = super::train::config(opts, reg, lambda)?;
    let key = crc32fast::hash(format!("{}|{cfg:?}", data.name).as_bytes());
    let path = models.join(format!("{name}-{key:08x}.safetensors"));
    if path.is_file() && !retrain {
        let bytes = std::fs::read(&path).with_context(|| format!("cannot read {}", path.display()))?;
        if let Ok((mlp, _)) = io::load_safetensors(&bytes) {
            eprintln!("reusing {} (same settings)", path.display());
            return Ok((mlp, path, true));
        }
    }
    eprintln!(
        "training {name}: reg {} λ={lambda}, hidden {:?}, {} epochs",
        cfg.reg, cfg.hidden, cfg.epochs
    );
    let batches = data.train.len().div_ceil(cfg.batch) * cfg.epochs;
    let pb = progress(batches as u64, name);
    let result = train::train(data, &cfg, &mut |p| match p {
        Progress::Batch { done, .. } => pb.set_position(done as u64),
        Progress::Epoch(s) => pb.suspend(|| eprintln!("  {}", super::train::epoch_line(s))),
    })?;
    pb.finish_and_clear();
    let bytes = io::save_safetensors(&result.mlp, &super::train::metadata(data, &cfg, &result))?;
    write_atomic(&path, &bytes)?;
    Ok((result.mlp, path, false))
}

/// Sizes of a saved model through `stats` (the same code as `backslash stats`).
fn summarise(
    name: &str,
    reg: Regularizer,
    lambda: f32,
    mlp: &Mlp,
    path: &Path,
    cached: bool,
    data: &Dataset,
    step_bits: u32,
) -> anyhow::Result<ModelSummary> {
    let bytes = std::fs::read(path).with_context(|| format!("cannot read {}", path.display()))?;
    let report = golden::stats::compute(&bytes, name, step_bits)?;
    let t = &report.total;
    Ok(ModelSummary {
        name: name.to_string(),
        regularizer: reg.name(),
        lambda,
        path: path.to_path_buf(),
        cached,
        params: t.params,
        float_test_accuracy: mlp.accuracy(&data.test),
        nu: report.pooled_nu_2d,
        fixed_bits_per_weight: t.fixed_bits_per_weight,
        huffman_bits_per_weight: t.huffman_bits_per_weight,
        eg_bits_per_weight: t.best_k_bits_per_weight,
        eg_bytes: t.best_k_bits_per_weight * t.params as f64 / 8.0,
    })
}

pub fn run(args: Args) -> anyhow::Result<()> {
    let t0 = Instant::now();
    // Every option is checked before the first step, so a bad one fails at once, not after training.
    super::sim::check_lanes(args.lanes, Default::default())?;
    if !args.no_bitstream {
        crate::cmd::util::check_board_lanes("--board-lanes", args.board_lanes)?;
    }
    if args.step_bits > golden::quant::MAX_STEP_BITS {
        anyhow::bail!(
            "--step-bits {} is outside 0..={}",
            args.step_bits,
            golden::quant::MAX_STEP_BITS
        );
    }
    if !(args.lambda.is_finite() && args.lambda > 0.0) {
        anyhow::bail!("--lambda {} must be a finite λ > 0 (the BackSlash model)", args.lambda);
    }
    super::train::config(&args.train, Regularizer::Dggr, args.lambda)?;
    if args.samples == Some(0) {
        anyhow::bail!("--samples 0: nothing to simulate");
    }
    let out = &args.out;
    if out.exists() && !out.is_dir() {
        anyhow::bail!("--out {}: not a directory", out.display());
    }
    let models = out.join("models");
    std::fs::create_dir_all(&models).with_context(|| format!("cannot create {}", models.display()))?;
    let mut skipped = Vec::new();

    let dataset = DatasetName::parse(&args.train.dataset)?;
    let name = dataset.as_str();
    step(1, &format!("data: {name}"));
    let data = super::train::load_dataset(&args.train)?;
    eprintln!(
        "{name}: {} train / {} test, {} features, {} classes",
        data.train.len(),
        data.test.len(),
        data.features,
        data.classes
    );

    step(2, "train a normal and a BackSlash MLP");
    let (normal_mlp, normal_path, normal_cached) = trained(
        &data,
        &args.train,
        "normal",
        Regularizer::None,
        0.0,
        &models,
        args.retrain,
    )?;
    let (bs_mlp, bs_path, bs_cached) = trained(
        &data,
        &args.train,
        "backslash",
        Regularizer::Dggr,
        args.lambda,
        &models,
        args.retrain,
    )?;
    let normal = summarise(
        "normal",
        Regularizer::None,
        0.0,
        &normal_mlp,
        &normal_path,
        normal_cached,
        &data,
        args.step_bits,
    )?;
    let backslash = summarise(
        "backslash",
        Regularizer::Dggr,
        args.lambda,
        &bs_mlp,
        &bs_path,
        bs_cached,
        &data,
        args.step_bits,
    )?;

    step(3, "encode the BackSlash model (quantize, value map, EG)");
    let st = std::fs::read(&bs_path)?;
    let container = golden::encode::encode_model(&st, "backslash", args.step_bits, golden::container::KChoice::Auto)?;
    let container_path = out.join("backslash.bsz");
    let container_bytes = container.to_bytes()?;
    write_atomic(&container_path, &container_bytes)?;
    eprintln!("wrote {} ({} bytes)", container_path.display(), container_bytes.len());

    step(4, "integer model and the accelerator's Verilog");
    let qmodel = train::export_qmodel(&bs_mlp, &data.train, args.step_bits).context("integer export")?;
    let golden_acc = train::export::int_accuracy(&qmodel, &data.test, data.features)?;
    let verilog = super::hdl::write_verilog(args.lanes, false, &out.join("verilog"))?;

    step(5, "simulate the test set on the Verilated accelerator against golden");
    // The Verilated models are part of this binary: nothing to look up at run time.
    let sim = Some({
        let vcd = out.join("first_input_last_layer.vcd");
        let report = super::sim::simulate(
            &qmodel,
            &data,
            &super::sim::SimOpts::new(args.lanes).samples(args.samples),
        )?;
        let window = super::sim::trace_first(&qmodel, &data, args.lanes, &vcd)?;
        eprintln!(
            "wrote {} (the first input's last layer, clocks {}..{})",
            vcd.display(),
            window.start,
            window.end
        );
        print!("{}", super::sim::summary(&report, name, args.step_bits));
        let cpi = report.cycles_per_inference();
        SimSummary {
            lanes: report.lanes,
            samples: report.samples,
            mismatched_samples: report.mismatched_samples,
            mismatched_values: report.mismatched_values,
            hardware_accuracy: report.hw_correct as f64 / report.samples.max(1) as f64,
            golden_accuracy: report.golden_correct as f64 / report.samples.max(1) as f64,
            cycles_per_inference: cpi,
            dense_cycles_per_inference: report.dense_cycles,
            speedup_vs_dense: report.dense_cycles as f64 / cpi.max(1e-9),
            simulated_cycles_per_second: report.cycles_per_second(),
            vcd,
        }
    });

    step(6, "build the iCEBreaker bitstream");
    let missing = super::bitstream::missing_tools();
    let bitstream = if args.no_bitstream {
        skipped.push("bitstream: --no-bitstream".into());
        None
    } else if let Some(why) = missing {
        eprintln!("skipped: {why}");
        skipped.push(format!("bitstream: {why}"));
        None
    } else {
        let board = bitstreams::Board::Icebreaker;
        let dir = out.join("bitstream");
        let core = super::bitstream::Core::Accelerator(Default::default(), hdl::regmap::MemSizes::BOARD);
        let report = super::bitstream::build(board, args.board_lanes, None, 1, None, core, &dir)?;
        let pair = |n: &str| report.resource(n).map(|r| (r.used, r.available));
        Some(BitstreamSummary {
            board: board.name().to_string(),
            lanes: args.board_lanes,
            bitstream: dir.join(&report.bitstream),
            report: dir.join("report.md"),
            lc: pair("LC"),
            ebr: pair("EBR"),
            dsp: pair("DSP"),
            fmax_mhz: report.min_fmax_mhz(),
            target_mhz: report.target_mhz,
            timing_met: report.timing_met,
        })
    };

    step(7, "summary");
    let size_reduction = 1.0 - backslash.eg_bytes / normal.eg_bytes.max(1e-9);
    let summary = Summary {
        dataset: name.into(),
        step_bits: args.step_bits,
        normal,
        backslash,
        size_reduction_vs_normal_eg: size_reduction,
        golden_integer_accuracy: golden_acc,
        container: container_path,
        container_bytes: container_bytes.len() as u64,
        verilog,
        sim,
        bitstream,
        skipped,
        seconds: t0.elapsed().as_secs_f64(),
    };
    let md = markdown(&summary);
    write_atomic(
        &out.join("summary.json"),
        serde_json::to_string_pretty(&summary)?.as_bytes(),
    )?;
    write_atomic(&out.join("summary.md"), md.as_bytes())?;
    println!("\n{md}");
    if let Some(s) = &summary.sim {
        if s.mismatched_samples > 0 {
            anyhow::bail!(
                "{} of {} inputs differ between hardware and golden",
                s.mismatched_samples,
                s.samples
            );
        }
    }
    Ok(())
}

fn pct(x: f64) -> String {
    format!("{:.2}%", 100.0 * x)
}

/// `v` with three decimals, or what [`opt`] shows for none.
fn opt3(v: Option<f64>) -> String {
    opt(v.map(|v| format!("{v:.3}")))
}

fn opt<T: std::fmt::Display>(v: Option<T>) -> String {
    v.map_or("-".to_string(), |v| v.to_string())
}

/// The summary as markdown.
pub fn markdown(s: &Summary) -> String {
    let mut m = String::new();
    m += &format!(
        "# backslash demo: {}, weights at step 2^-{}\n\n",
        s.dataset, s.step_bits
    );
    m += "| | normal | BackSlash |\n|---|---|---|\n";
    let (n, b) = (&s.normal, &s.backslash);
    m += &format!(
        "| regularizer | {} | {} (λ = {}) |\n",
        n.regularizer, b.regularizer, b.lambda
    );
    m += &format!("| parameters | {} | {} |\n", n.params, b.params);
    m += &format!(
        "| float test accuracy | {} | {} |\n",
        pct(n.float_test_accuracy),
        pct(b.float_test_accuracy)
    );
    m += &format!("| GG shape ν (2-D weights) | {} | {} |\n", opt3(n.nu), opt3(b.nu));
    m += &format!(
        "| fixed-length bits/weight | {:.3} | {:.3} |\n",
        n.fixed_bits_per_weight, b.fixed_bits_per_weight
    );
    m += &format!(
        "| Huffman bits/weight | {} | {} |\n",
        opt3(n.huffman_bits_per_weight),
        opt3(b.huffman_bits_per_weight)
    );
    m += &format!(
        "| EG (best k) bits/weight | {:.3} | {:.3} |\n",
        n.eg_bits_per_weight, b.eg_bits_per_weight
    );
    m += &format!("| EG size, bytes | {:.0} | {:.0} |\n", n.eg_bytes, b.eg_bytes);
    m += &format!(
        "\nBackSlash with EG is {} smaller than normal training with EG.\n",
        pct(s.size_reduction_vs_normal_eg)
    );
    m += &format!(
        "Golden integer model (BackSlash, int8 activations): test accuracy {}.\n",
        pct(s.golden_integer_accuracy)
    );
    if let Some(h) = &s.sim {
        m += &format!(
            "\n## Hardware (Verilator, P = {} lanes, {} test inputs)\n\n- mismatches against golden: {} inputs ({} values)\n- accuracy: hardware {}, golden {}\n- cycles per inference: {:.1} (dense one weight per clock: {}, {:.2}x fewer)\n- simulated cycles/s: {:.3e}\n- VCD of the first input's last layer run: {}\n",
            h.lanes,
            h.samples,
            h.mismatched_samples,
            h.mismatched_values,
            pct(h.hardware_accuracy),
            pct(h.golden_accuracy),
            h.cycles_per_inference,
            h.dense_cycles_per_inference,
            h.speedup_vs_dense,
            h.simulated_cycles_per_second,
            h.vcd.display()
        );
    }
    if let Some(bs) = &s.bitstream {
        let used = |r: Option<(u32, u32)>| r.map_or("-".to_string(), |(u, a)| format!("{u}/{a}"));
        m += &format!(
            "\n## Bitstream ({}, P = {} lanes)\n\n- LC {}, EBR {}, DSP {}\n- Fmax {} MHz against {:.1} MHz: {}\n- {} (report: {})\n",
            bs.board,
            bs.lanes,
            used(bs.lc),
            used(bs.ebr),
            used(bs.dsp),
            opt(bs.fmax_mhz.map(|f| format!("{f:.1}"))),
            bs.target_mhz,
            if bs.timing_met { "met" } else { "MISSED" },
            bs.bitstream.display(),
            bs.report.display()
        );
    }
    if !s.skipped.is_empty() {
        m += "\n## Skipped\n\n";
        for why in &s.skipped {
            m += &format!("- {why}\n");
        }
    }
    m += &format!(
        "\n## Artifacts\n\n- models: {}, {}\n- container: {} ({} bytes)\n- Verilog: {}\n- summary: summary.md, summary.json\n\nTotal time {:.1} s.\n",
        s.normal.path.display(),
        s.backslash.path.display(),
        s.container.display(),
        s.container_bytes,
        s.verilog.display(),
        s.seconds
    );
    m
}
