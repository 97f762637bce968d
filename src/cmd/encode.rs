//! `backslash encode`: quantize and entropy-code a safetensors model into a BSZ container
//! (docs/format.md) with `golden::encode::encode_safetensors_with`: float tensors (F32, F16, BF16,
//! any rank) are quantized with step 2^-n, mapped by frequency rank and coded with the code of
//! `--code` (`auto`: the smallest record per tensor among EG(k), fixed-length and Huffman); float
//! tensors matching `--exact` and every other dtype are stored raw. This module parses the
//! arguments, maps the file, draws the progress bar and prints the totals.
//!
//! Memory: the model is memory-mapped and encoded a batch of tensors at a time (a batch holds at
//! most max(largest tensor, `golden::encode::BATCH_BYTES`) of elements; its tensors are encoded in
//! parallel), each batch's records are written to the output before the next batch is read, float
//! tensors are quantized as they are read, and the mapped pages of each block of a tensor are
//! released ([`release_pages`]) as soon as it has been read. So the peak is about the largest
//! tensor's (or one batch's) quantized values plus its coded records, not the model
//! (docs/robustness.md, "Models larger than memory"). The output is written atomically.

use anyhow::Context;
use golden::container::{CodeChoice, KChoice};
use golden::encode::{encode_safetensors_with, EncodeOptions, ExactFilter, Totals};
use golden::{expgolomb, quant};
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
    /// Code of the float tensors: `eg`, `fixed` (fixed-length), `huffman` (canonical), or `auto`
    /// for the smallest record of each tensor (payload and code table).
    #[arg(long, default_value = "auto")]
    pub code: String,
    /// EG order: 0..=15, or `auto` for the best k of each tensor (for `--code eg`, and for the EG
    /// candidate of `--code auto`).
    #[arg(long, default_value = "auto")]
    pub k: String,
    /// Store the float tensors whose name this regular expression matches (anywhere in the name)
    /// raw, bit-exact, e.g. 'LayerNorm|bias'.
    #[arg(long, value_name = "REGEX")]
    pub exact: Option<String>,
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

/// Parses `--code` (with the EG order `k` for `eg` and `auto`): `eg`, `fixed`, `huffman` or `auto`.
pub(crate) fn parse_code(s: &str, k: KChoice) -> anyhow::Result<CodeChoice> {
    CodeChoice::from_name(s, k)
        .ok_or_else(|| anyhow::anyhow!("--code {s:?} is not one of {}", CodeChoice::NAMES.join(", ")))
}

/// The progress of `encode` and `stats` over a memory-mapped model: a progress bar (hidden when
/// stderr is not a terminal), and the mapped pages of each tensor released once it has been read.
pub(crate) struct MapProgress<'a> {
    pb: indicatif::ProgressBar,
    map: &'a memmap2::Mmap,
}

impl<'a> MapProgress<'a> {
    pub(crate) fn new(map: &'a memmap2::Mmap, what: &str) -> Self {
        MapProgress {
            pb: super::util::progress(0, what),
            map,
        }
    }

    /// The same, with the bar never drawn (for output that must stay clean, e.g. `--json`).
    pub(crate) fn hidden(self) -> Self {
        self.pb.set_draw_target(indicatif::ProgressDrawTarget::hidden());
        self
    }
}

impl golden::encode::Progress for MapProgress<'_> {
    fn start(&self, tensors: u64) {
        self.pb.set_length(tensors);
    }
    fn tick(&self) {
        self.pb.inc(1);
    }
    fn finish(&self) {
        self.pb.finish_and_clear();
    }
    fn done_reading(&self, range: std::ops::Range<usize>) {
        release_pages(self.map, range);
    }
}

/// Drops the resident pages of `range` of a read-only file map (they are read again from the page
/// cache or the file if touched later), so a tensor already read does not count towards the
/// process's memory. Best effort: a failed madvise only leaves the pages resident.
pub(crate) fn release_pages(map: &memmap2::Mmap, range: std::ops::Range<usize>) {
    if range.is_empty() || range.end > map.len() {
        return;
    }
    // SAFETY: `map` is a read-only shared file mapping; MADV_DONTNEED only unmaps these pages, and
    // a later read faults them in again with the same file contents. Nothing writes through it.
    #[allow(unsafe_code)]
    let _ = unsafe { map.unchecked_advise_range(memmap2::UncheckedAdvice::DontNeed, range.start, range.len()) };
}

pub fn run(args: Args) -> anyhow::Result<()> {
    if args.step_bits > quant::MAX_STEP_BITS {
        anyhow::bail!("--step-bits {} is outside 0..={}", args.step_bits, quant::MAX_STEP_BITS);
    }
    let k = parse_k(&args.k)?;
    let options = EncodeOptions {
        step_bits: args.step_bits,
        code: parse_code(&args.code, k)?,
        exact: args.exact.as_deref().map(ExactFilter::new).transpose()?,
    };
    super::util::check_output(&args.output)?;
    let start = std::time::Instant::now();
    let map = map_file(&args.model)?;
    let _ = map.advise(memmap2::Advice::Sequential);
    let model = args.model.display().to_string();
    let mut totals = Totals::default();
    super::util::write_atomic_with(&args.output, |w| {
        totals = encode_safetensors_with(&map, &model, &options, w, &MapProgress::new(&map, "encode"))?;
        Ok(())
    })?;
    let t = totals;
    let bpw = if t.params == 0 {
        0.0
    } else {
        t.payload_bits as f64 / t.params as f64
    };
    println!(
        "{} -> {}: {} tensors ({} coded: {} eg, {} fixed, {} huffman; {} raw, {} of them exact floats), {} weights at step 2^-{}, {:.3} bits/weight in payloads, {} -> {} bytes ({:.2}x) in {:.2} s",
        args.model.display(),
        args.output.display(),
        t.tensors,
        t.coded,
        t.eg,
        t.fixed,
        t.huffman,
        t.raw,
        t.exact,
        t.params,
        args.step_bits,
        bpw,
        map.len(),
        t.bytes,
        map.len() as f64 / t.bytes as f64,
        start.elapsed().as_secs_f64()
    );
    Ok(())
}
