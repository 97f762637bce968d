//! `backslash decode`: a BSZ container back to safetensors. Coded tensors become F32 holding the
//! dequantized weights q·2^-n exactly (whatever their source dtype: F16/BF16 could not hold every
//! q·2^-n); raw tensors keep their dtype and bytes. Every CRC, length and codeword is checked first;
//! the output is written atomically, so a corrupted container leaves no file behind.

use anyhow::Context;
use golden::container::Container;
use golden::tensors::{write_safetensors, Tensor};
use rayon::prelude::*;
use std::path::PathBuf;

/// Arguments of `backslash decode`.
#[derive(clap::Args)]
pub struct Args {
    /// The container (.bsz).
    pub input: PathBuf,
    /// Output safetensors file.
    #[arg(short, long)]
    pub output: PathBuf,
}

/// Parses a container file and decodes all its tensors (in parallel), with every check.
pub fn decode_file(bytes: &[u8], name: &str, show_progress: bool) -> anyhow::Result<(Container, Vec<Tensor>)> {
    let c = Container::from_bytes(bytes).with_context(|| format!("cannot read {name}"))?;
    let pb = super::util::progress(c.entries.len() as u64, "decode");
    if !show_progress {
        pb.set_draw_target(indicatif::ProgressDrawTarget::hidden());
    }
    let tensors = c
        .entries
        .par_iter()
        .map(|e| {
            let t = e.decode().with_context(|| format!("cannot decode {name}"))?;
            pb.inc(1);
            Ok(t)
        })
        .collect::<anyhow::Result<Vec<_>>>()?;
    pb.finish_and_clear();
    Ok((c, tensors))
}

pub fn run(args: Args) -> anyhow::Result<()> {
    let start = std::time::Instant::now();
    let map = super::encode::map_file(&args.input)?;
    let (_, tensors) = decode_file(&map, &args.input.display().to_string(), true)?;
    let bytes = write_safetensors(&tensors).context("cannot build the safetensors output")?;
    super::util::write_atomic(&args.output, &bytes)?;
    println!(
        "{} -> {}: {} tensors, {} -> {} bytes in {:.2} s",
        args.input.display(),
        args.output.display(),
        tensors.len(),
        map.len(),
        bytes.len(),
        start.elapsed().as_secs_f64()
    );
    Ok(())
}
