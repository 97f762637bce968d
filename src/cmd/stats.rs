//! `backslash stats`: per-tensor and total statistics of a safetensors model, the paper's Table 3
//! and Fig. 4, computed by `golden::stats::compute_with` (parameters, GG shape ν, distinct quantized
//! values, and bits per weight of the fixed-length code, EG(k) for k = 0..5, the best EG(k) (k in
//! 0..=15), canonical Huffman and the empirical entropy, each also as a percentage of
//! fixed-length) and printed here as a table or JSON.
//!
//! Every F32/F16/BF16 tensor is counted; other dtypes are listed as skipped. The model is
//! memory-mapped and read in `encode`'s batches, releasing each tensor's pages once read.

use golden::quant;
use golden::stats::{compute_with, Report, Row, TABLE_KS};
use std::path::PathBuf;

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
    let progress = super::encode::MapProgress::new(&map, "stats");
    let report = compute_with(&map, &args.model.display().to_string(), args.step_bits, &progress)?;
    if args.json {
        println!("{}", serde_json::to_string_pretty(&report)?);
    } else {
        print_table(&report);
    }
    Ok(())
}
