//! `backslash decode`: a BSZ container back to safetensors with `golden::decode` (coded tensors
//! become F32 holding q·2^-n exactly; raw tensors keep their dtype and bytes), one tensor at a time
//! (`golden::decode::decode_to_file`), with the container memory-mapped and each payload's pages
//! released once decoded. Every CRC, length and codeword is checked; the output is written to a
//! temporary file renamed at the end, so a corrupted container leaves no file behind.

use super::encode::MapProgress;
use golden::decode::decode_to_file;
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

pub fn run(args: Args) -> anyhow::Result<()> {
    super::util::check_output(&args.output)?;
    let start = std::time::Instant::now();
    let map = super::encode::map_file(&args.input)?;
    let _ = map.advise(memmap2::Advice::Sequential);
    let name = args.input.display().to_string();
    let mut tensors = 0;
    super::util::write_atomic_path(&args.output, |tmp| {
        tensors = decode_to_file(&map, &name, tmp, &MapProgress::new(&map, "decode"))?;
        Ok(())
    })?;
    let out_len = std::fs::metadata(&args.output).map(|m| m.len()).unwrap_or(0);
    println!(
        "{} -> {}: {} tensors, {} -> {} bytes in {:.2} s",
        args.input.display(),
        args.output.display(),
        tensors,
        map.len(),
        out_len,
        start.elapsed().as_secs_f64()
    );
    Ok(())
}
