//! `backslash encode`: quantize and entropy-code a safetensors model into a BSZ container
//! (docs/format.md). Float tensors (F32, F16, BF16, any rank) are quantized with step 2^-n, mapped by
//! frequency rank and coded with EG(k); every other dtype is stored raw.
//!
//! Memory: the model is memory-mapped and encoded a batch of tensors at a time (a batch holds at
//! most max(largest tensor, [`BATCH_BYTES`]) of elements; its tensors are encoded in parallel),
//! each batch's records are written to the output before the next batch is read, and the mapped pages
//! of each tensor are released as soon as it has been read. So the peak is about two copies of the largest tensor
//! (or of one batch) plus its coded records, not the model (docs/robustness.md, "Models larger
//! than memory"). The output is written atomically.

use anyhow::Context;
use golden::container::{encode_tensor_owned, header_bytes, Body, Container, Entry, KChoice};
use golden::tensors::{checked_numel, data_range, list_safetensors, read_tensor};
use golden::{expgolomb, quant};
use rayon::prelude::*;
use std::io::Write;
use std::path::{Path, PathBuf};

/// Tensors are grouped into batches of at most this many element bytes (or one tensor, if larger),
/// encoded in parallel within a batch.
pub const BATCH_BYTES: u64 = 64 << 20;

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

/// Totals of an encoded model.
#[derive(Debug, Default, Clone, Copy)]
pub struct Totals {
    pub tensors: usize,
    pub coded: usize,
    pub raw: usize,
    pub params: u64,
    pub payload_bits: u64,
    /// Bytes of the container.
    pub bytes: u64,
}

impl Totals {
    fn add(&mut self, e: &Entry) {
        self.tensors += 1;
        match &e.body {
            Body::Coded(c) => {
                self.coded += 1;
                self.params += c.count;
                self.payload_bits += c.payload_bits;
            }
            Body::Raw(_) => self.raw += 1,
        }
    }
}

/// Consecutive runs of tensor indices whose element bytes add up to at most
/// max(largest tensor, `budget`).
pub(crate) fn batches(sizes: &[u64], budget: u64) -> Vec<std::ops::Range<usize>> {
    let cap = sizes.iter().copied().max().unwrap_or(0).max(budget);
    let mut out = Vec::new();
    let (mut start, mut sum) = (0, 0u64);
    for (i, &b) in sizes.iter().enumerate() {
        if i > start && sum + b > cap {
            out.push(start..i);
            (start, sum) = (i, 0);
        }
        sum += b;
    }
    if start < sizes.len() {
        out.push(start..sizes.len());
    }
    out
}

/// Encodes every tensor of a safetensors file (in file order) and writes the container to `w`, a
/// batch of tensors at a time (see the module documentation); `done_reading` is called with the
/// byte range of each tensor's data once it has been read (the CLI releases those mapped pages).
/// The bytes are those of [`Container::to_bytes`] for the same entries.
pub fn encode_stream(
    bytes: &[u8],
    model: &str,
    step_bits: u32,
    k: KChoice,
    show_progress: bool,
    w: &mut impl Write,
    done_reading: &(dyn Fn(std::ops::Range<usize>) + Sync),
) -> anyhow::Result<Totals> {
    let list = list_safetensors(bytes).with_context(|| format!("cannot read {model}"))?;
    let count = u32::try_from(list.len()).context("more than 2^32-1 tensors")?;
    // Element bytes of each tensor as the encoder holds it (f32 for coded floats).
    let sizes: Vec<u64> = list
        .iter()
        .map(|(_, dtype, shape)| {
            let n = checked_numel(shape).unwrap_or(0);
            n * if dtype.is_coded_float() { 4 } else { dtype.size() as u64 }
        })
        .collect();
    let pb = super::util::progress(list.len() as u64, "encode");
    if !show_progress {
        pb.set_draw_target(indicatif::ProgressDrawTarget::hidden());
    }
    let io_err = |e: std::io::Error| anyhow::anyhow!("cannot write the container: {e}");
    let header = header_bytes(count);
    w.write_all(&header).map_err(io_err)?;
    let mut totals = Totals {
        bytes: header.len() as u64,
        ..Totals::default()
    };
    for range in batches(&sizes, BATCH_BYTES) {
        let entries: Vec<Entry> = list[range]
            .par_iter()
            .map(|(name, _, _)| {
                let t = read_tensor(bytes, name).with_context(|| format!("cannot read {model}"))?;
                done_reading(data_range(bytes, name)?);
                let e = encode_tensor_owned(t, step_bits, k)?;
                pb.inc(1);
                Ok(e)
            })
            .collect::<anyhow::Result<_>>()?;
        for e in &entries {
            let mut counter = CountingWriter {
                inner: &mut *w,
                bytes: 0,
            };
            e.write_record(&mut counter)?;
            totals.bytes += counter.bytes;
            totals.add(e);
        }
    }
    pb.finish_and_clear();
    Ok(totals)
}

/// A writer that counts the bytes it passes on.
struct CountingWriter<'a, W: Write> {
    inner: &'a mut W,
    bytes: u64,
}

impl<W: Write> Write for CountingWriter<'_, W> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        let n = self.inner.write(buf)?;
        self.bytes += n as u64;
        Ok(n)
    }
    fn flush(&mut self) -> std::io::Result<()> {
        self.inner.flush()
    }
}

/// Encodes a safetensors model held in memory into a container (for `backslash demo`): the
/// entries of [`encode_stream`], read back.
#[cfg_attr(not(feature = "sim"), allow(dead_code))] // used by `demo`
pub fn encode_model(
    bytes: &[u8],
    model: &str,
    step_bits: u32,
    k: KChoice,
    show_progress: bool,
) -> anyhow::Result<Container> {
    let mut out = Vec::new();
    encode_stream(bytes, model, step_bits, k, show_progress, &mut out, &|_| {})?;
    Ok(Container::from_bytes(&out)?)
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
    super::util::check_output(&args.output)?;
    let start = std::time::Instant::now();
    let map = map_file(&args.model)?;
    let _ = map.advise(memmap2::Advice::Sequential);
    let model = args.model.display().to_string();
    let mut totals = Totals::default();
    super::util::write_atomic_with(&args.output, |w| {
        totals = encode_stream(&map, &model, args.step_bits, k, true, w, &|r| release_pages(&map, r))?;
        Ok(())
    })?;
    let t = totals;
    let bpw = if t.params == 0 {
        0.0
    } else {
        t.payload_bits as f64 / t.params as f64
    };
    println!(
        "{} -> {}: {} tensors ({} coded, {} raw), {} weights at step 2^-{}, {:.3} bits/weight in payloads, {} -> {} bytes ({:.2}x) in {:.2} s",
        args.model.display(),
        args.output.display(),
        t.tensors,
        t.coded,
        t.raw,
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

#[cfg(test)]
mod tests {
    use super::batches;

    #[test]
    fn batches_cover_in_order_within_the_budget() {
        assert!(batches(&[], 10).is_empty());
        assert_eq!(batches(&[4, 4, 4], 10), vec![0..2, 2..3]);
        // A tensor above the budget sets the cap.
        assert_eq!(batches(&[30, 4, 4, 20, 12], 10), vec![0..1, 1..4, 4..5]);
        assert_eq!(batches(&[0, 0, 0], 10), vec![0..3]);
    }
}
