//! `backslash decode`: a BSZ container back to safetensors with `golden::decode` (coded tensors
//! become F32 holding q·2^-n exactly; raw tensors keep their dtype and bytes). Every CRC, length
//! and codeword is checked first; the output is written atomically, so a corrupted container
//! leaves no file behind.

use golden::container::Container;
use golden::decode::{decode_container, decode_to_safetensors};
use golden::tensors::Tensor;
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

/// A progress bar over the tensors decoded, hidden unless `show`.
struct Bar(indicatif::ProgressBar);

impl golden::encode::Progress for Bar {
    fn start(&self, tensors: u64) {
        self.0.set_length(tensors);
    }
    fn tick(&self) {
        self.0.inc(1);
    }
    fn finish(&self) {
        self.0.finish_and_clear();
    }
}

fn bar(show: bool) -> Bar {
    let pb = super::util::progress(0, "decode");
    if !show {
        pb.set_draw_target(indicatif::ProgressDrawTarget::hidden());
    }
    Bar(pb)
}

/// Parses a container file and decodes all its tensors (in parallel), with every check
/// (`golden::decode::decode_container`).
pub fn decode_file(bytes: &[u8], name: &str, show_progress: bool) -> anyhow::Result<(Container, Vec<Tensor>)> {
    Ok(decode_container(bytes, name, &bar(show_progress))?)
}

pub fn run(args: Args) -> anyhow::Result<()> {
    let start = std::time::Instant::now();
    let map = super::encode::map_file(&args.input)?;
    let (bytes, tensors) = decode_to_safetensors(&map, &args.input.display().to_string(), &bar(true))?;
    super::util::write_atomic(&args.output, &bytes)?;
    println!(
        "{} -> {}: {} tensors, {} -> {} bytes in {:.2} s",
        args.input.display(),
        args.output.display(),
        tensors,
        map.len(),
        bytes.len(),
        start.elapsed().as_secs_f64()
    );
    Ok(())
}
