//! `backslash encode`: quantize and entropy-code a safetensors model into a BSZ container
//! (docs/format.md). Float tensors (F32, F16, BF16, any rank) are quantized with step 2^-n, mapped by
//! frequency rank and coded with EG(k); every other dtype is stored raw. Tensors are encoded in
//! parallel (rayon); the output is written atomically.

use anyhow::Context;
use golden::container::{encode_tensor, Body, Container, Entry, KChoice};
use golden::tensors::{list_safetensors, read_tensor};
use golden::{expgolomb, quant};
use rayon::prelude::*;
use std::path::{Path, PathBuf};

/// Arguments of `backslash encode`.
#[derive(clap::Args)]
pub struct Args {
    /// The model (safetensors).
    pub model: PathBuf,
    /// Output container (.bsz).
    #[arg(short, long)]
    pub output: PathBuf,
    /// Quantization step 2^-n: n in 0..=16.
    #[arg(long, default_value_t = 8)]
    pub step_bits: u32,
    /// EG order: 0..=15, or `auto` for the best k of each tensor.
    #[arg(long, default_value = "auto")]
    pub k: String,
}

/// Memory-maps an input file read-only, with one-line errors for a missing or empty file.
pub(crate) fn map_file(path: &Path) -> anyhow::Result<memmap2::Mmap> {
    let file = std::fs::File::open(path).with_context(|| format!("cannot open {}", path.display()))?;
    let len = file
        .metadata()
        .with_context(|| format!("cannot read {}", path.display()))?
        .len();
    if len == 0 {
        anyhow::bail!("{} is empty", path.display());
    }
    // SAFETY: the map is read-only and private to this process; as with every memory-mapped
    // reader, another process truncating the file while we read it is outside our contract.
    #[allow(unsafe_code)]
    let map = unsafe { memmap2::Mmap::map(&file) }.with_context(|| format!("cannot map {}", path.display()))?;
    Ok(map)
}

/// Parses `--k`: a number in 0..=MAX_K or `auto`.
pub(crate) fn parse_k(s: &str) -> anyhow::Result<KChoice> {
    if s.eq_ignore_ascii_case("auto") {
        return Ok(KChoice::Auto);
    }
    match s.parse::<u32>() {
        Ok(k) if k <= expgolomb::MAX_K => Ok(KChoice::Fixed(k)),
        _ => anyhow::bail!("--k {s:?} is not `auto` or an integer in 0..={}", expgolomb::MAX_K),
    }
}

/// Encodes every tensor of a safetensors file (in file order) into a container.
pub fn encode_model(
    bytes: &[u8],
    model: &str,
    step_bits: u32,
    k: KChoice,
    show_progress: bool,
) -> anyhow::Result<Container> {
    let list = list_safetensors(bytes).with_context(|| format!("cannot read {model}"))?;
    let pb = super::util::progress(list.len() as u64, "encode");
    if !show_progress {
        pb.set_draw_target(indicatif::ProgressDrawTarget::hidden());
    }
    let entries: Vec<Entry> = list
        .par_iter()
        .map(|(name, _, _)| {
            let t = read_tensor(bytes, name).with_context(|| format!("cannot read {model}"))?;
            let e = encode_tensor(&t, step_bits, k)?;
            pb.inc(1);
            Ok(e)
        })
        .collect::<anyhow::Result<_>>()?;
    pb.finish_and_clear();
    Ok(Container { entries })
}

pub fn run(args: Args) -> anyhow::Result<()> {
    if args.step_bits > quant::MAX_STEP_BITS {
        anyhow::bail!("--step-bits {} is outside 0..={}", args.step_bits, quant::MAX_STEP_BITS);
    }
    let k = parse_k(&args.k)?;
    let start = std::time::Instant::now();
    let map = map_file(&args.model)?;
    let container = encode_model(&map, &args.model.display().to_string(), args.step_bits, k, true)?;
    let bytes = container.to_bytes()?;
    super::util::write_atomic(&args.output, &bytes)?;

    let (mut coded, mut raw, mut params, mut bits) = (0usize, 0usize, 0u64, 0u64);
    for e in &container.entries {
        match &e.body {
            Body::Coded(c) => {
                coded += 1;
                params += c.count;
                bits += c.payload_bits;
            }
            Body::Raw(_) => raw += 1,
        }
    }
    let bpw = if params == 0 { 0.0 } else { bits as f64 / params as f64 };
    println!(
        "{} -> {}: {} tensors ({coded} coded, {raw} raw), {params} weights at step 2^-{}, {:.3} bits/weight in payloads, {} -> {} bytes ({:.2}x) in {:.2} s",
        args.model.display(),
        args.output.display(),
        container.entries.len(),
        args.step_bits,
        bpw,
        map.len(),
        bytes.len(),
        map.len() as f64 / bytes.len() as f64,
        start.elapsed().as_secs_f64()
    );
    Ok(())
}
