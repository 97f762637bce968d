//! `backslash stats`: per-tensor and total statistics of a safetensors model, the paper's Table 3
//! and Fig. 4: parameters, GG shape ν, distinct quantized values, and bits per weight of the
//! fixed-length code, EG(k) for k = 0..5, the best EG(k) (k in 0..=15), canonical Huffman and the
//! empirical entropy, each also as a percentage of fixed-length.
//!
//! Every F32/F16/BF16 tensor is counted (1-D ones too, as the paper codes all parameters; the
//! container codes the same set). Each tensor has its own value map and code, exactly as `encode`
//! writes it, so the totals are sums of per-tensor bits over the total parameter count. Bits are
//! counted with the encoders' own bit counters. Other dtypes are listed as skipped.

use anyhow::Context;
use golden::container::best_k;
use golden::tensors::{list_safetensors, read_tensor, DType, TensorData};
use golden::valuemap::ValueMap;
use golden::{expgolomb, fixed, gg, huffman, quant};
use rayon::prelude::*;
use serde::Serialize;
use std::path::PathBuf;

/// The EG orders tabulated (the best k is searched over all of 0..=MAX_K).
pub const TABLE_KS: std::ops::RangeInclusive<u32> = 0..=5;

/// Arguments of `backslash stats`.
#[derive(clap::Args)]
pub struct Args {
    /// The model (safetensors).
    pub model: PathBuf,
    /// Quantization step 2^-n: n in 0..=16.
    #[arg(long, default_value_t = 8)]
    pub step_bits: u32,
    /// Print JSON instead of a table.
    #[arg(long)]
    pub json: bool,
}

/// Coded sizes of one tensor (or of the whole model), in bits.
#[derive(Debug, Clone, Default)]
struct Bits {
    params: u64,
    fixed: u64,
    eg: Vec<u64>,
    best: u64,
    /// None when a tensor has no Huffman code (an alphabet over the Huffman limit).
    huffman: Option<u64>,
    entropy: f64,
}

impl Bits {
    fn add(&mut self, o: &Bits) {
        self.params += o.params;
        self.fixed += o.fixed;
        if self.eg.is_empty() {
            self.eg = vec![0; o.eg.len()];
        }
        for (a, b) in self.eg.iter_mut().zip(&o.eg) {
            *a += b;
        }
        self.best += o.best;
        self.huffman = match (self.huffman, o.huffman) {
            (Some(a), Some(b)) => Some(a + b),
            _ => None,
        };
        self.entropy += o.entropy;
    }
}

/// One row of the report, as printed in JSON.
#[derive(Debug, Serialize)]
pub struct Row {
    pub name: String,
    pub dtype: Option<String>,
    pub shape: Option<Vec<usize>>,
    pub params: u64,
    /// GG shape ν (null when undefined: constant, all-zero or empty tensor).
    pub nu: Option<f64>,
    pub distinct: u64,
    pub fixed_bits_per_weight: f64,
    /// EG(k) bits/weight for k = 0..=5.
    pub eg_bits_per_weight: Vec<f64>,
    /// The best k in 0..=15 (null for the total: each tensor has its own).
    pub best_k: Option<u32>,
    pub best_k_bits_per_weight: f64,
    pub huffman_bits_per_weight: Option<f64>,
    pub entropy_bits_per_weight: f64,
    /// Each code as a percentage of fixed-length (null when fixed-length is 0 bits).
    pub eg_pct_of_fixed: Vec<Option<f64>>,
    pub best_k_pct_of_fixed: Option<f64>,
    pub huffman_pct_of_fixed: Option<f64>,
    pub entropy_pct_of_fixed: Option<f64>,
}

/// The whole report.
#[derive(Debug, Serialize)]
pub struct Report {
    pub model: String,
    pub step_bits: u32,
    pub tensors: Vec<Row>,
    /// All coded tensors: ν pooled over all their weights, bits summed over tensors.
    pub total: Row,
    /// ν pooled over the tensors with at least 2 dimensions (the weight matrices).
    pub pooled_nu_2d: Option<f64>,
    /// Tensors not coded (non-float dtypes), by name.
    pub skipped: Vec<String>,
}

fn per_weight(bits: u64, params: u64) -> f64 {
    if params == 0 {
        0.0
    } else {
        bits as f64 / params as f64
    }
}

fn pct(bits: f64, fixed: u64) -> Option<f64> {
    (fixed > 0).then(|| 100.0 * bits / fixed as f64)
}

fn row(
    name: String,
    dtype: Option<DType>,
    shape: Option<Vec<usize>>,
    nu: Option<f64>,
    distinct: u64,
    b: &Bits,
    best_k: Option<u32>,
) -> Row {
    let p = b.params;
    Row {
        name,
        dtype: dtype.map(|d| d.to_string()),
        shape,
        params: p,
        nu,
        distinct,
        fixed_bits_per_weight: per_weight(b.fixed, p),
        eg_bits_per_weight: b.eg.iter().map(|&e| per_weight(e, p)).collect(),
        best_k,
        best_k_bits_per_weight: per_weight(b.best, p),
        huffman_bits_per_weight: b.huffman.map(|h| per_weight(h, p)),
        entropy_bits_per_weight: if p == 0 { 0.0 } else { b.entropy / p as f64 },
        eg_pct_of_fixed: b.eg.iter().map(|&e| pct(e as f64, b.fixed)).collect(),
        best_k_pct_of_fixed: pct(b.best as f64, b.fixed),
        huffman_pct_of_fixed: b.huffman.and_then(|h| pct(h as f64, b.fixed)),
        entropy_pct_of_fixed: pct(b.entropy, b.fixed),
    }
}

/// Statistics of one tensor's weights.
fn tensor_bits(name: &str, w: &[f32], step_bits: u32) -> anyhow::Result<(Option<f64>, u64, Bits, u32)> {
    let q = quant::quantize_slice(w, step_bits).with_context(|| format!("tensor `{name}`"))?;
    let (map, counts) = ValueMap::from_quantized_with_counts(&q);
    let idx = map.to_indices(&q).with_context(|| format!("tensor `{name}`"))?;
    let nu = gg::estimate_shape(w).ok();
    let (k, best) = best_k(&idx);
    let huffman = if idx.is_empty() {
        Some(0)
    } else {
        huffman::HuffmanCode::from_counts(&counts)
            .and_then(|h| h.bits_for_counts(&counts))
            .ok()
    };
    let bits = Bits {
        params: w.len() as u64,
        fixed: fixed::fixed_bits_per_symbol(map.len()) as u64 * w.len() as u64,
        eg: TABLE_KS.map(|k| expgolomb::encoded_bits(&idx, k)).collect(),
        best,
        huffman,
        entropy: fixed::entropy_total_bits(&counts),
    };
    Ok((nu, map.len() as u64, bits, k))
}

/// Computes the report (no printing).
#[cfg_attr(not(feature = "sim"), allow(dead_code))] // used by `demo`
pub fn compute(bytes: &[u8], model: &str, step_bits: u32, show_progress: bool) -> anyhow::Result<Report> {
    compute_with(bytes, model, step_bits, show_progress, &|_| {})
}

/// [`compute`], reading the tensors a batch at a time as `encode` does (see
/// [`super::encode::BATCH_BYTES`]) and calling `done_reading` with the byte range of each tensor's
/// data once it has been read (the CLI releases those memory-mapped pages).
pub fn compute_with(
    bytes: &[u8],
    model: &str,
    step_bits: u32,
    show_progress: bool,
    done_reading: &(dyn Fn(std::ops::Range<usize>) + Sync),
) -> anyhow::Result<Report> {
    if step_bits > quant::MAX_STEP_BITS {
        anyhow::bail!("--step-bits {step_bits} is outside 0..={}", quant::MAX_STEP_BITS);
    }
    let list = list_safetensors(bytes).with_context(|| format!("cannot read {model}"))?;
    let (coded, skipped): (Vec<_>, Vec<_>) = list.into_iter().partition(|(_, d, _)| d.is_coded_float());
    if coded.is_empty() {
        anyhow::bail!("{model} has no F32, F16 or BF16 tensor to analyse");
    }
    let pb = super::util::progress(coded.len() as u64, "stats");
    if !show_progress {
        pb.set_draw_target(indicatif::ProgressDrawTarget::hidden());
    }
    let sizes: Vec<u64> = coded
        .iter()
        .map(|(_, _, shape)| 4 * golden::tensors::checked_numel(shape).unwrap_or(0))
        .collect();
    let mut results: Vec<(Option<f64>, u64, Bits, u32)> = Vec::with_capacity(coded.len());
    for range in super::encode::batches(&sizes, super::encode::BATCH_BYTES) {
        let batch: Vec<_> = coded[range]
            .par_iter()
            .map(|(name, _, _)| {
                let t = read_tensor(bytes, name).with_context(|| format!("cannot read {model}"))?;
                done_reading(golden::tensors::data_range(bytes, name)?);
                let TensorData::Float(w) = &t.data else {
                    unreachable!("coded dtypes are read as floats")
                };
                let r = tensor_bits(name, w, step_bits);
                pb.inc(1);
                r
            })
            .collect::<anyhow::Result<_>>()?;
        results.extend(batch);
    }
    pb.finish_and_clear();

    // Pooled ν and the model-wide distinct count: a second, sequential pass over the weights.
    let mut all = gg::Moments::new();
    let mut two_d = gg::Moments::new();
    let mut distinct = std::collections::HashSet::new();
    for (name, _, shape) in &coded {
        let t = read_tensor(bytes, name)?;
        done_reading(golden::tensors::data_range(bytes, name)?);
        let TensorData::Float(w) = &t.data else { unreachable!() };
        all.add(w).with_context(|| format!("tensor `{name}`"))?;
        if shape.len() >= 2 {
            two_d.add(w).with_context(|| format!("tensor `{name}`"))?;
        }
        distinct.extend(w.iter().map(|&x| quant::quantize(x, step_bits)));
    }
    let mut total = Bits {
        huffman: Some(0),
        ..Bits::default()
    };
    let mut rows = Vec::with_capacity(coded.len());
    for ((name, dtype, shape), (nu, d, bits, k)) in coded.into_iter().zip(results) {
        total.add(&bits);
        rows.push(row(name, Some(dtype), Some(shape), nu, d, &bits, Some(k)));
    }
    let total = row(
        "TOTAL".into(),
        None,
        None,
        all.fit().ok().map(|f| f.nu),
        distinct.len() as u64,
        &total,
        None,
    );
    Ok(Report {
        model: model.to_string(),
        step_bits,
        tensors: rows,
        total,
        pooled_nu_2d: two_d.fit().ok().map(|f| f.nu),
        skipped: skipped.into_iter().map(|(n, _, _)| n).collect(),
    })
}

fn opt(v: Option<f64>, prec: usize) -> String {
    v.map_or("-".to_string(), |x| format!("{x:.prec$}"))
}

fn print_table(r: &Report) {
    let w = r.tensors.iter().map(|t| t.name.len()).max().unwrap_or(5).max(5);
    let rows: Vec<&Row> = r.tensors.iter().chain(std::iter::once(&r.total)).collect();
    println!(
        "model {}  step 2^-{}  ({} coded tensors, {} skipped)",
        r.model,
        r.step_bits,
        r.tensors.len(),
        r.skipped.len()
    );
    println!();
    println!("bits per weight");
    let eg_heads: String = TABLE_KS.map(|k| format!(" {:>6}", format!("EG({k})"))).collect();
    println!(
        "{:<w$} {:>10} {:>6} {:>8} {:>6}{eg_heads} {:>4} {:>6} {:>7} {:>7}",
        "tensor", "params", "nu", "distinct", "fixed", "k*", "EG(k*)", "Huffman", "entropy"
    );
    for t in &rows {
        let egs: String = t.eg_bits_per_weight.iter().map(|b| format!(" {b:>6.3}")).collect();
        println!(
            "{:<w$} {:>10} {:>6} {:>8} {:>6.3}{egs} {:>4} {:>6.3} {:>7} {:>7.3}",
            t.name,
            t.params,
            opt(t.nu, 3),
            t.distinct,
            t.fixed_bits_per_weight,
            t.best_k.map_or("auto".to_string(), |k| k.to_string()),
            t.best_k_bits_per_weight,
            opt(t.huffman_bits_per_weight, 3),
            t.entropy_bits_per_weight,
        );
    }
    println!();
    println!("% of fixed-length");
    let eg_heads: String = TABLE_KS.map(|k| format!(" {:>6}", format!("EG({k})"))).collect();
    println!(
        "{:<w$}{eg_heads} {:>6} {:>7} {:>7}",
        "tensor", "EG(k*)", "Huffman", "entropy"
    );
    for t in &rows {
        let egs: String = t
            .eg_pct_of_fixed
            .iter()
            .map(|&p| format!(" {:>6}", opt(p, 1)))
            .collect();
        println!(
            "{:<w$}{egs} {:>6} {:>7} {:>7}",
            t.name,
            opt(t.best_k_pct_of_fixed, 1),
            opt(t.huffman_pct_of_fixed, 1),
            opt(t.entropy_pct_of_fixed, 1)
        );
    }
    println!();
    println!(
        "pooled nu: all coded tensors {}, tensors with >= 2 dims {}",
        opt(r.total.nu, 4),
        opt(r.pooled_nu_2d, 4)
    );
    if !r.skipped.is_empty() {
        println!("skipped (not F32/F16/BF16): {}", r.skipped.join(", "));
    }
}

pub fn run(args: Args) -> anyhow::Result<()> {
    if args.step_bits > quant::MAX_STEP_BITS {
        anyhow::bail!("--step-bits {} is outside 0..={}", args.step_bits, quant::MAX_STEP_BITS);
    }
    let map = super::encode::map_file(&args.model)?;
    let report = compute_with(&map, &args.model.display().to_string(), args.step_bits, true, &|r| {
        super::encode::release_pages(&map, r)
    })?;
    if args.json {
        println!("{}", serde_json::to_string_pretty(&report)?);
    } else {
        print_table(&report);
    }
    Ok(())
}
