//! Co-simulation of a whole data set: every input through the Verilated accelerator and through the golden
//! integer model (`golden::infer`), every layer's output vector compared.
use std::ops::Range;
use std::path::PathBuf;
use std::time::Instant;

use golden::infer::{argmax, QModel};

use crate::accel::{AccelModel, Accelerator};
use crate::SimError;
use host::Counters;
use host::{CompileOptions, Program};
use host::{Driver, Image, Inference};

/// Clocks recorded before and after the failing run in a mismatch VCD.
pub const MISMATCH_VCD_MARGIN: u64 = 16;

/// Settings of a co-simulation run.
#[derive(Debug, Clone)]
pub struct CosimConfig {
    /// Lane count P (an accelerator compiled in, see [`crate::accel::lanes_for`]).
    pub lanes: usize,
    /// The lanes' decoder.
    pub decoder: host::regmap::DecoderKind,
    /// Bound on one layer run, in clocks.
    pub limit: u64,
    pub compile: CompileOptions,
    /// A VCD of the run, recording only the given clock cycles (forces one thread).
    pub trace: Option<(PathBuf, Range<u64>)>,
    /// Where to write a VCD around the first mismatch (re-simulating that input alone).
    pub mismatch_vcd: Option<PathBuf>,
    /// Simulator instances running in parallel, each on a share of the inputs.
    pub threads: usize,
}

impl CosimConfig {
    /// `lanes` lanes, default limit and compile options, no trace, one thread.
    pub fn new(lanes: usize) -> CosimConfig {
        CosimConfig {
            lanes,
            decoder: Default::default(),
            limit: host::driver::DEFAULT_LIMIT,
            compile: CompileOptions::default(),
            trace: None,
            mismatch_vcd: None,
            threads: 1,
        }
    }
}

/// The first differing output value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Mismatch {
    pub sample: usize,
    pub layer: usize,
    pub row: usize,
    /// Golden's value.
    pub expected: i8,
    /// The hardware's value.
    pub actual: i8,
}

/// What a co-simulation found.
#[derive(Debug, Clone)]
pub struct CosimReport {
    pub lanes: usize,
    /// The lanes' decoder.
    pub decoder: host::regmap::DecoderKind,
    pub samples: usize,
    /// Inputs with at least one differing output value in any layer.
    pub mismatched_samples: usize,
    /// Differing output values over all inputs and layers.
    pub mismatched_values: usize,
    pub first_mismatch: Option<Mismatch>,
    /// The VCD written around the first mismatch.
    pub mismatch_vcd: Option<PathBuf>,
    /// Inputs classified as labelled by the hardware / by golden (when labels are given).
    pub hw_correct: usize,
    pub golden_correct: usize,
    /// Counters summed over all inputs (cycles: START to DONE of every layer run).
    pub counters: Counters,
    /// Cycles of a dense accelerator doing one weight per clock, per inference.
    pub dense_cycles: u64,
    /// Exp-Golomb order, zero-skip and pass count of each layer.
    pub layers: Vec<(u32, bool, usize)>,
    /// Stream bits of the whole model.
    pub stream_bits: u64,
    /// Clock cycles simulated, host bus traffic included, over all simulator instances.
    pub sim_cycles: u64,
    /// Wall time of the hardware simulation.
    pub seconds: f64,
    pub threads: usize,
}

/// What [`run_resident`] adds to its [`CosimReport`]: the image against the build's memories and
/// the cycles of each layer.
#[derive(Debug, Clone)]
pub struct ResidentReport {
    /// The model placed in the build's memories.
    pub image: Image,
    /// Each layer's CYCLES summed over the inputs.
    pub layer_cycles: Vec<u64>,
    /// MODEL_CYCLES summed over the inputs (the layers, the layer-table replays between them, the control).
    pub model_cycles: u64,
}

impl CosimReport {
    /// Mean START-to-DONE cycles per inference.
    pub fn cycles_per_inference(&self) -> f64 {
        self.counters.cycles as f64 / self.samples.max(1) as f64
    }
    /// Simulated clock cycles per wall-clock second (all instances together).
    pub fn cycles_per_second(&self) -> f64 {
        self.sim_cycles as f64 / self.seconds.max(1e-9)
    }
}

/// Runs `inputs` through the hardware and golden and compares. `labels`, if given, gives accuracies.
/// `progress` is called with the number of (layer, input) runs done so far on the first thread.
pub fn run(
    model: &QModel,
    inputs: &[Vec<i8>],
    labels: Option<&[usize]>,
    cfg: &CosimConfig,
    progress: &mut (dyn FnMut(usize) + Send),
) -> Result<CosimReport, SimError> {
    model.validate()?;
    let probe = Driver::new(Accelerator::with_decoder(cfg.lanes, cfg.decoder)?)?;
    let program = probe.compile(model, cfg.compile)?;
    drop(probe);
    let threads = if cfg.trace.is_some() {
        1
    } else {
        cfg.threads.clamp(1, inputs.len().max(1))
    };
    let chunk = inputs.len().div_ceil(threads).max(1);

    let t0 = Instant::now();
    let results: Result<(Vec<Inference>, u64), SimError> = std::thread::scope(|s| {
        let mut handles = Vec::new();
        let mut progress = Some(progress);
        for (ti, part) in inputs.chunks(chunk).enumerate() {
            let program = &program;
            let p = if ti == 0 { progress.take() } else { None };
            handles.push(s.spawn(move || -> Result<(Vec<Inference>, u64), SimError> {
                // The fast model, unless this instance records the VCD.
                let acc = match (&cfg.trace, ti) {
                    (Some((path, window)), 0) => {
                        let mut acc = Accelerator::traceable_with_decoder(cfg.lanes, cfg.decoder)?;
                        acc.trace(path, window.clone())?;
                        acc
                    }
                    _ => Accelerator::with_decoder(cfg.lanes, cfg.decoder)?,
                };
                let mut driver = Driver::new(acc)?;
                driver.set_limit(cfg.limit);
                let mut nop = |_: usize| {};
                let p: &mut dyn FnMut(usize) = match p {
                    Some(p) => p,
                    None => &mut nop,
                };
                let out = driver.infer_batch(program, part, p)?;
                let mut acc = driver.into_inner();
                acc.trace_close();
                Ok((out, acc.cycle()))
            }));
        }
        join_parts(handles)
    });
    let seconds = t0.elapsed().as_secs_f64();
    let (hw, sim_cycles) = results?;

    let mut report = CosimReport {
        lanes: cfg.lanes,
        decoder: cfg.decoder,
        samples: inputs.len(),
        mismatched_samples: 0,
        mismatched_values: 0,
        first_mismatch: None,
        mismatch_vcd: None,
        hw_correct: 0,
        golden_correct: 0,
        counters: Counters::default(),
        dense_cycles: program.dense_cycles(),
        layers: program
            .layers
            .iter()
            .map(|l| (l.k, l.zero_skip, l.passes.len()))
            .collect(),
        stream_bits: program.stream_bits(),
        sim_cycles,
        seconds,
        threads,
    };
    for (s, (x, h)) in inputs.iter().zip(&hw).enumerate() {
        let golden = model.forward_all(x)?;
        report.counters.add(&h.total());
        let mut bad = 0;
        for (layer, (g, a)) in golden.iter().zip(&h.outputs).enumerate() {
            for (row, (&e, &v)) in g.iter().zip(a).enumerate() {
                if e != v {
                    bad += 1;
                    if report.first_mismatch.is_none() {
                        report.first_mismatch = Some(Mismatch {
                            sample: s,
                            layer,
                            row,
                            expected: e,
                            actual: v,
                        });
                    }
                }
            }
        }
        if bad > 0 {
            report.mismatched_samples += 1;
            report.mismatched_values += bad;
        }
        if let Some(labels) = labels {
            let label = labels[s];
            report.hw_correct += usize::from(argmax(h.outputs.last().map_or(&[][..], |v| v)) == label);
            report.golden_correct += usize::from(argmax(golden.last().map_or(&[][..], |v| v)) == label);
        }
    }
    if let (Some(m), Some(path)) = (report.first_mismatch, &cfg.mismatch_vcd) {
        trace_one(&program, &inputs[m.sample], m.layer, m.row, cfg, path)?;
        report.mismatch_vcd = Some(path.clone());
    }
    Ok(report)
}

/// Re-simulates one input on a fresh accelerator and writes a VCD of the run of `layer` that computes
/// `row`, with [`MISMATCH_VCD_MARGIN`] clocks either side. The first simulation (on the fast model) finds the
/// clock span; the second, on the traceable model (identical clock for clock), records it.
pub fn trace_one(
    program: &Program,
    x: &[i8],
    layer: usize,
    row: usize,
    cfg: &CosimConfig,
    path: &std::path::Path,
) -> Result<Range<u64>, SimError> {
    let pass = program.layers[layer]
        .passes
        .iter()
        .position(|p| p.rows.contains(&row))
        .unwrap_or(0);
    let mut d = Driver::new(Accelerator::with_decoder(cfg.lanes, cfg.decoder)?)?;
    d.set_limit(cfg.limit);
    let first = d.infer(program, x)?;
    let span = first.spans[layer][pass].clone();
    let window = span.start.saturating_sub(MISMATCH_VCD_MARGIN)..span.end + MISMATCH_VCD_MARGIN;
    let mut acc = Accelerator::traceable_with_decoder(cfg.lanes, cfg.decoder)?;
    acc.trace(path, window.clone())?;
    let mut d = Driver::new(acc)?;
    d.set_limit(cfg.limit);
    d.infer(program, x)?;
    d.into_inner().trace_close();
    Ok(window)
}

/// Runs `inputs` through the accelerator `m` with the whole model resident (its image written once per
/// simulator instance, [`Driver::load_image`] and [`Driver::load_layer_table`]) and one CTRL.RUN_MODEL
/// per input, and compares the last layer's outputs (and ARGMAX) with golden's: the build must have the
/// layer table (`MemSizes::layer_table`) and hold the image. `cfg.lanes`, `cfg.decoder` and
/// `cfg.compile` are not used (the model's build decides them; each layer's k is chosen per layer);
/// no VCD is written. The report's CYCLES are MODEL_CYCLES; a mismatch names the last layer.
pub fn run_resident(
    model: &QModel,
    inputs: &[Vec<i8>],
    labels: Option<&[usize]>,
    m: &AccelModel,
    cfg: &CosimConfig,
    progress: &mut (dyn FnMut(usize) + Send),
) -> Result<(CosimReport, ResidentReport), SimError> {
    model.validate()?;
    if !m.sizes.layer_table {
        return Err(SimError::protocol(format!("{} has no layer table", m.name)));
    }
    let image = Image::build(model, m.lanes, m.sizes)
        .map_err(|e| SimError::Host(host::HostError::DoesNotFit(e.to_string())))?;
    if image.layers.len() > host::regmap::MAX_LAYERS {
        return Err(SimError::Host(host::HostError::DoesNotFit(format!(
            "the model has {} layers; the layer table holds {}",
            image.layers.len(),
            host::regmap::MAX_LAYERS
        ))));
    }
    let threads = cfg.threads.clamp(1, inputs.len().max(1));
    let chunk = inputs.len().div_ceil(threads).max(1);
    let t0 = Instant::now();
    type Part = (Vec<host::driver::ModelRun>, u64);
    let results: Result<Part, SimError> = std::thread::scope(|s| {
        let mut handles = Vec::new();
        let mut progress = Some(progress);
        for (ti, part) in inputs.chunks(chunk).enumerate() {
            let image = &image;
            let mut p = if ti == 0 { progress.take() } else { None };
            handles.push(s.spawn(move || -> Result<Part, SimError> {
                let mut driver = Driver::new(Accelerator::open(m)?)?;
                driver.set_limit(cfg.limit);
                driver.load_image(image)?;
                driver.load_layer_table(image)?;
                let mut out = Vec::with_capacity(part.len());
                for (i, x) in part.iter().enumerate() {
                    out.push(driver.infer_model(image, x)?);
                    if let Some(p) = p.as_mut() {
                        p(i + 1);
                    }
                }
                Ok((out, driver.into_inner().cycle()))
            }));
        }
        join_parts(handles)
    });
    let seconds = t0.elapsed().as_secs_f64();
    let (runs, sim_cycles) = results?;
    let nl = image.layers.len();
    let mut report = CosimReport {
        lanes: m.lanes,
        decoder: m.decoder,
        samples: inputs.len(),
        mismatched_samples: 0,
        mismatched_values: 0,
        first_mismatch: None,
        mismatch_vcd: None,
        hw_correct: 0,
        golden_correct: 0,
        counters: Counters::default(),
        dense_cycles: model.layers.iter().map(|l| (l.rows * l.cols) as u64).sum(),
        layers: image
            .layers
            .iter()
            .map(|l| (l.k, l.flags & host::regmap::FLAG_ZERO_SKIP != 0, 1))
            .collect(),
        stream_bits: image
            .layers
            .iter()
            .map(|l| l.stream_len.iter().map(|&w| u64::from(w) * 32).sum::<u64>())
            .sum(),
        sim_cycles,
        seconds,
        threads,
    };
    let mut resident = ResidentReport {
        image: image.clone(),
        layer_cycles: vec![0; nl],
        model_cycles: 0,
    };
    for (s, (x, run)) in inputs.iter().zip(&runs).enumerate() {
        let golden = model.forward_all(x)?;
        let want = golden.last().map_or(&[][..], |v| v);
        let mut c = run.counters;
        c.cycles = run.model_cycles;
        report.counters.add(&c);
        resident.model_cycles += u64::from(run.model_cycles);
        for (t, &l) in resident.layer_cycles.iter_mut().zip(&run.layer_cycles) {
            *t += u64::from(l);
        }
        let mut bad = 0;
        for (row, (&e, &v)) in want.iter().zip(&run.outputs).enumerate() {
            if e != v {
                bad += 1;
                if report.first_mismatch.is_none() {
                    report.first_mismatch = Some(Mismatch {
                        sample: s,
                        layer: nl - 1,
                        row,
                        expected: e,
                        actual: v,
                    });
                }
            }
        }
        if run.argmax != argmax(want) && bad == 0 {
            // ARGMAX disagrees with outputs that agree: count it as one differing value.
            bad += 1;
        }
        if bad > 0 {
            report.mismatched_samples += 1;
            report.mismatched_values += bad;
        }
        if let Some(labels) = labels {
            let label = labels[s];
            report.hw_correct += usize::from(run.argmax == label);
            report.golden_correct += usize::from(argmax(want) == label);
        }
    }
    Ok((report, resident))
}

/// Joins the simulation threads in order: their results concatenated and their simulated cycles
/// summed; the first error (or a panicked thread) is the result.
fn join_parts<T>(
    handles: Vec<std::thread::ScopedJoinHandle<'_, Result<(Vec<T>, u64), SimError>>>,
) -> Result<(Vec<T>, u64), SimError> {
    let mut all = Vec::new();
    let mut cycles = 0;
    for h in handles {
        let (part, c) = h
            .join()
            .unwrap_or_else(|_| Err(SimError::Model("simulation thread panicked".into())))?;
        all.extend(part);
        cycles += c;
    }
    Ok((all, cycles))
}
