//! A whole safetensors model encoded into a BSZ container, a batch of tensors at a time
//! (`backslash encode`; [`crate::container`], docs/format.md).
//!
//! The bytes written are those of [`Container::to_bytes`] for the entries of
//! [`encode_tensor_owned`] of every tensor in file order, but the model is never held whole.
//! Float tensors (F32, F16, BF16, any rank) are quantized with step 2^-n, mapped by frequency rank
//! and coded with the code of [`EncodeOptions::code`] (EG(k), fixed-length, Huffman, or the
//! smallest of them per tensor); float tensors whose name matches [`EncodeOptions::exact`] and
//! every other dtype are stored raw, bit-exact.
//!
//! Memory: the model is read from a byte slice (the CLI memory-maps the file) a batch of tensors at
//! a time ([`batches`]: a batch holds at most max(largest tensor, [`BATCH_BYTES`]) of elements; its
//! tensors are encoded in parallel with rayon), each batch's records are written to the output
//! before the next batch is read. A float tensor is quantized as it is read, a block at a time
//! ([`quant::quantize_le`]; no f32 copy), and [`Progress::done_reading`] is told each block's byte
//! range once it has been read (the CLI releases those mapped pages). So the peak is about the
//! largest tensor's (or one batch's) quantized values plus its coded records, not the model
//! (docs/robustness.md, "Models larger than memory"). [`crate::stats`] reads in the same batches.

use crate::container::{
    encode_quantized, encode_tensor_owned, header_bytes, Body, Code, CodeChoice, Container, ContainerError, Entry,
    KChoice,
};
use crate::quant::{self, QuantError};
use crate::tensors::{check_data_len, checked_numel, data_range, list_safetensors, read_tensor, DType, TensorsError};
use rayon::prelude::*;
use std::io::Write;
use std::ops::Range;

/// Tensors are grouped into batches of at most this many element bytes (or one tensor, if larger),
/// encoded in parallel within a batch.
pub const BATCH_BYTES: u64 = 64 << 20;

/// How [`encode_safetensors_with`] encodes a model.
#[derive(Debug, Clone)]
pub struct EncodeOptions {
    /// Quantization step 2^-`step_bits`, in `0..=quant::MAX_STEP_BITS`.
    pub step_bits: u32,
    /// The code of the coded tensors.
    pub code: CodeChoice,
    /// Float tensors whose name this matches are stored raw (bit-exact) instead of coded.
    pub exact: Option<ExactFilter>,
}

impl EncodeOptions {
    /// Step 2^-`step_bits`, this code, no exact tensors.
    pub fn new(step_bits: u32, code: impl Into<CodeChoice>) -> Self {
        EncodeOptions {
            step_bits,
            code: code.into(),
            exact: None,
        }
    }

    /// Whether the tensor `name` is kept exact.
    pub fn is_exact(&self, name: &str) -> bool {
        self.exact.as_ref().is_some_and(|f| f.matches(name))
    }
}

/// The tensors to keep exact: a regular expression (the `regex` crate's syntax) matched anywhere in
/// a tensor's name, e.g. `LayerNorm|bias`.
#[derive(Debug, Clone)]
pub struct ExactFilter(regex::Regex);

impl ExactFilter {
    /// Compiles `pattern`; an invalid expression is [`EncodeError::BadExact`].
    pub fn new(pattern: &str) -> Result<Self, EncodeError> {
        regex::Regex::new(pattern)
            .map(ExactFilter)
            .map_err(|e| EncodeError::BadExact {
                pattern: pattern.to_string(),
                // The regex crate's message spans several lines (the pattern, a caret, the reason):
                // keep one.
                reason: e
                    .to_string()
                    .lines()
                    .last()
                    .unwrap_or_default()
                    .trim()
                    .trim_start_matches("error: ")
                    .to_string(),
            })
    }

    /// Whether the expression matches somewhere in `name`.
    pub fn matches(&self, name: &str) -> bool {
        self.0.is_match(name)
    }

    /// The expression as given.
    pub fn as_str(&self) -> &str {
        self.0.as_str()
    }
}

/// Errors of [`encode_safetensors`] and [`encode_model`]. The messages are the CLI's (one line
/// with their sources, joined by ": ").
#[derive(Debug, thiserror::Error)]
pub enum EncodeError {
    /// The model is not a safetensors file this crate reads, or one of its tensors cannot be read.
    #[error("cannot read {model}")]
    Read {
        /// The model's name, as given by the caller (the CLI gives its path).
        model: String,
        /// Why.
        #[source]
        source: TensorsError,
    },
    /// The model has more tensors than a container holds.
    #[error("more than 2^32-1 tensors")]
    TooManyTensors(#[source] std::num::TryFromIntError),
    /// The output refused the container's header. (The error is part of the message, not a
    /// source: it is the whole reason.)
    #[error("cannot write the container: {0}")]
    Write(std::io::Error),
    /// The `--exact` expression does not compile.
    #[error("invalid --exact regular expression {pattern:?}: {reason}")]
    BadExact {
        /// The expression.
        pattern: String,
        /// Why (one line).
        reason: String,
    },
    /// A tensor's data range cannot be located.
    #[error(transparent)]
    Tensors(#[from] TensorsError),
    /// A tensor cannot be encoded or its record written (including a write error of the output),
    /// or the container written does not read back ([`encode_model`]).
    #[error(transparent)]
    Container(#[from] ContainerError),
}

/// What a pass over a model's tensors reports as it goes ([`encode_safetensors`],
/// [`crate::stats::compute_with`]): the CLI draws a progress bar and releases the memory-mapped
/// pages of the tensors already read. Every method does nothing by default; `()` reports nothing.
/// `tick` and `done_reading` are called from rayon's threads.
pub trait Progress: Sync {
    /// The pass is about to read `tensors` tensors (called once, before the first).
    fn start(&self, _tensors: u64) {}
    /// One more tensor has been processed.
    fn tick(&self) {}
    /// Every tensor has been processed (called once, on success, before the pass returns or starts
    /// its remaining sequential work).
    fn finish(&self) {}
    /// The bytes `range` of the model (one tensor's data, or a block of it) have been read.
    fn done_reading(&self, _range: Range<usize>) {}
}

impl Progress for () {}

/// Totals of an encoded model.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Totals {
    /// Tensors (records) in the container.
    pub tensors: usize,
    /// Of which coded (F32, F16, BF16).
    pub coded: usize,
    /// Of which stored raw.
    pub raw: usize,
    /// Of the raw ones, float tensors kept exact ([`EncodeOptions::exact`]).
    pub exact: usize,
    /// Of the coded ones, those coded with EG(k).
    pub eg: usize,
    /// Of the coded ones, those coded with the fixed-length code.
    pub fixed: usize,
    /// Of the coded ones, those coded with Huffman.
    pub huffman: usize,
    /// Weights in the coded tensors.
    pub params: u64,
    /// Bits of the coded tensors' payloads (before padding to bytes).
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
                match c.code {
                    Code::ExpGolomb { .. } => self.eg += 1,
                    Code::Fixed { .. } => self.fixed += 1,
                    Code::Huffman { .. } => self.huffman += 1,
                }
            }
            Body::Raw(_) => {
                self.raw += 1;
                if e.dtype.is_coded_float() {
                    self.exact += 1;
                }
            }
        }
    }
}

/// Consecutive runs of tensor indices whose element bytes add up to at most
/// max(largest tensor, `budget`): each run is as long as that cap allows (a run ends only where the
/// next tensor would exceed it), and the runs cover `0..sizes.len()` in order.
pub fn batches(sizes: &[u64], budget: u64) -> Vec<Range<usize>> {
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

/// Encodes every tensor of a safetensors file (`bytes`, named `model` in errors) in file order and
/// writes the container to `w`, a batch of tensors at a time (see the module documentation), with
/// the code `code` (a [`KChoice`] means EG) and no exact tensors: [`encode_safetensors_with`].
pub fn encode_safetensors(
    bytes: &[u8],
    model: &str,
    step_bits: u32,
    code: impl Into<CodeChoice>,
    w: &mut impl Write,
    progress: &dyn Progress,
) -> Result<Totals, EncodeError> {
    encode_safetensors_with(bytes, model, &EncodeOptions::new(step_bits, code), w, progress)
}

/// Encodes every tensor of a safetensors file (`bytes`, named `model` in errors) in file order with
/// `options` and writes the container to `w`, a batch of tensors at a time (see the module
/// documentation). `progress` is started with the tensor count, ticked per tensor encoded and told
/// each tensor's byte range once it has been read. The bytes are those of [`Container::to_bytes`]
/// for the same entries.
pub fn encode_safetensors_with(
    bytes: &[u8],
    model: &str,
    options: &EncodeOptions,
    w: &mut impl Write,
    progress: &dyn Progress,
) -> Result<Totals, EncodeError> {
    encode_batched(bytes, model, options, w, progress, BATCH_BYTES)
}

/// [`encode_safetensors_with`] with batches of `budget` element bytes.
fn encode_batched(
    bytes: &[u8],
    model: &str,
    options: &EncodeOptions,
    w: &mut impl Write,
    progress: &dyn Progress,
    budget: u64,
) -> Result<Totals, EncodeError> {
    let read_err = |source| EncodeError::Read {
        model: model.to_string(),
        source,
    };
    let list = list_safetensors(bytes).map_err(read_err)?;
    let count = u32::try_from(list.len()).map_err(EncodeError::TooManyTensors)?;
    // Element bytes of each tensor as the encoder holds it (f32 for coded floats).
    let sizes: Vec<u64> = list
        .iter()
        .map(|(name, dtype, shape)| {
            let n = checked_numel(shape).unwrap_or(0);
            n * if dtype.is_coded_float() && !options.is_exact(name) {
                4
            } else {
                dtype.size() as u64
            }
        })
        .collect();
    progress.start(list.len() as u64);
    let header = header_bytes(count);
    w.write_all(&header).map_err(EncodeError::Write)?;
    let mut totals = Totals {
        bytes: header.len() as u64,
        ..Totals::default()
    };
    for range in batches(&sizes, budget) {
        let entries: Vec<Entry> = list[range]
            .par_iter()
            .map(|(name, dtype, shape)| {
                let range = data_range(bytes, name)?;
                let e = if dtype.is_coded_float() && options.is_exact(name) {
                    let e = exact_entry(bytes, name, *dtype, shape, range.clone()).map_err(read_err)?;
                    progress.done_reading(range);
                    e
                } else if dtype.is_coded_float() {
                    check_data_len(name, *dtype, shape, range.len()).map_err(read_err)?;
                    let q = quantize_released(bytes, name, *dtype, range, options.step_bits, progress)?;
                    encode_quantized(name, *dtype, shape, q, options.step_bits, options.code)?
                } else {
                    let t = read_tensor(bytes, name).map_err(read_err)?;
                    progress.done_reading(range);
                    encode_tensor_owned(t, options.step_bits, options.code)?
                };
                progress.tick();
                Ok(e)
            })
            .collect::<Result<_, EncodeError>>()?;
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
    progress.finish();
    Ok(totals)
}

/// The file's bytes are quantized in blocks of this many bytes, each released once read.
const QUANTIZE_BLOCK_BYTES: usize = 4 << 20;

/// Quantizes a float tensor's bytes `range` of the file as they are read, a block of
/// [`QUANTIZE_BLOCK_BYTES`] at a time, telling `progress` each block's range once it has been read:
/// no f32 copy, and at most one block of the tensor's mapped pages resident beside its quantized
/// values. The values and errors of [`quant::quantize_slice`] of the widened tensor.
fn quantize_released(
    bytes: &[u8],
    name: &str,
    dtype: DType,
    range: Range<usize>,
    step_bits: u32,
    progress: &dyn Progress,
) -> Result<Vec<i32>, ContainerError> {
    let size = dtype.size();
    let block = QUANTIZE_BLOCK_BYTES / size * size;
    let mut q = Vec::with_capacity(range.len() / size);
    let mut at = range.start;
    // At least one (possibly empty) block, so that every tensor's range is reported.
    loop {
        let end = (at + block).min(range.end);
        let part =
            quant::quantize_le(dtype, &bytes[at..end], step_bits).map_err(|source| ContainerError::Quantize {
                name: name.to_string(),
                source: match source {
                    QuantError::NotFinite { index, value } => QuantError::NotFinite {
                        index: index + q.len(),
                        value,
                    },
                    e => e,
                },
            })?;
        q.extend_from_slice(&part);
        progress.done_reading(at..end);
        at = end;
        if at >= range.end {
            break;
        }
    }
    Ok(q)
}

/// A float tensor kept exact: its bytes as in the file (`range`), stored raw, after the checks of
/// [`read_tensor`] on the shape and the length ([`check_data_len`]).
fn exact_entry(
    bytes: &[u8],
    name: &str,
    dtype: DType,
    shape: &[usize],
    range: Range<usize>,
) -> Result<Entry, TensorsError> {
    check_data_len(name, dtype, shape, range.len())?;
    Ok(Entry {
        name: name.to_string(),
        dtype,
        shape: shape.to_vec(),
        body: Body::Raw(bytes[range].to_vec()),
    })
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

/// Encodes a safetensors model held in memory into a container (`backslash demo`): the entries of
/// [`encode_safetensors`], read back.
pub fn encode_model(bytes: &[u8], model: &str, step_bits: u32, k: KChoice) -> Result<Container, EncodeError> {
    let mut out = Vec::new();
    encode_safetensors(bytes, model, step_bits, k, &mut out, &())?;
    Ok(Container::from_bytes(&out)?)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::container::encode_tensor;
    use crate::tensors::{write_safetensors, DType, Tensor, TensorData};
    use proptest::prelude::*;
    use std::sync::Mutex;

    fn float(name: &str, shape: Vec<usize>, seed: u32) -> Tensor {
        let n: usize = shape.iter().product();
        // Multiples of 2^-6 in ±2: a few hundred distinct values.
        let w = (0..n)
            .map(|i| ((i as u32).wrapping_mul(2_654_435_761).wrapping_add(seed) % 257) as f32 / 64.0 - 2.0)
            .collect();
        Tensor::f32(name, shape, w)
    }

    /// Seven tensors: float matrices, a vector, a rank-3 tensor, a scalar and an empty tensor (all
    /// F32: `write_safetensors` writes floats as F32; tests/it/encode_memory.rs covers F16 and BF16
    /// files through the CLI), and raw I64 and U8 data.
    fn model() -> Vec<Tensor> {
        vec![
            float("a.weight", vec![16, 12], 1),
            float("a.bias", vec![16], 2),
            Tensor {
                name: "steps".into(),
                dtype: DType::I64,
                shape: vec![3],
                data: TensorData::Raw((0..24).collect()),
            },
            float("b.weight", vec![4, 8, 2], 3),
            float("scale", vec![], 4),
            float("empty", vec![0, 5], 5),
            Tensor {
                name: "mask".into(),
                dtype: DType::U8,
                shape: vec![2, 3],
                data: TensorData::Raw(vec![1, 0, 1, 1, 0, 0]),
            },
        ]
    }

    /// The container of `Container::to_bytes` for `encode_tensor` of each tensor as read back from
    /// the file (file order).
    fn reference(st: &[u8], step_bits: u32, code: CodeChoice) -> Vec<u8> {
        let entries = crate::tensors::read_safetensors(st)
            .unwrap()
            .iter()
            .map(|t| encode_tensor(t, step_bits, code).unwrap())
            .collect();
        Container { entries }.to_bytes().unwrap()
    }

    #[derive(Default)]
    struct Record {
        started: Mutex<Vec<u64>>,
        ticks: Mutex<u64>,
        finished: Mutex<u32>,
        ranges: Mutex<Vec<Range<usize>>>,
    }

    impl Progress for Record {
        fn start(&self, n: u64) {
            self.started.lock().unwrap().push(n);
        }
        fn tick(&self) {
            *self.ticks.lock().unwrap() += 1;
        }
        fn finish(&self) {
            *self.finished.lock().unwrap() += 1;
        }
        fn done_reading(&self, r: Range<usize>) {
            self.ranges.lock().unwrap().push(r);
        }
    }

    #[test]
    fn streamed_container_is_to_bytes_in_every_batching() {
        let st = write_safetensors(&model()).unwrap();
        let cases = [
            (8, CodeChoice::ExpGolomb(KChoice::Auto)),
            (0, CodeChoice::ExpGolomb(KChoice::Fixed(0))),
            (12, CodeChoice::ExpGolomb(KChoice::Fixed(3))),
            (8, CodeChoice::Fixed),
            (6, CodeChoice::Huffman),
            (8, CodeChoice::Auto(KChoice::Auto)),
        ];
        for (step_bits, code) in cases {
            let want = reference(&st, step_bits, code);
            // One batch (the default budget), one tensor per batch, and batches of a few tensors.
            for budget in [BATCH_BYTES, 0, 100, 1000] {
                let mut out = Vec::new();
                let options = EncodeOptions::new(step_bits, code);
                let t = encode_batched(&st, "m", &options, &mut out, &(), budget).unwrap();
                assert!(out == want, "step {step_bits}, {code:?}, budget {budget}");
                assert_eq!(t.bytes, out.len() as u64);
            }
            if let CodeChoice::ExpGolomb(k) = code {
                let c = encode_model(&st, "m", step_bits, k).unwrap();
                assert!(c.to_bytes().unwrap() == want);
            }
        }
    }

    #[test]
    fn exact_tensors_are_stored_raw_with_their_bytes() {
        // F16 and BF16 tensors as well as F32: the bytes of the file, not the widened values.
        let half: Vec<u8> = [0.5f32, -0.25, 3.0]
            .iter()
            .flat_map(|&x| half::f16::from_f32(x).to_le_bytes())
            .collect();
        let brain: Vec<u8> = [1.5f32, -2.0]
            .iter()
            .flat_map(|&x| half::bf16::from_f32(x).to_le_bytes())
            .collect();
        let f16 = safetensors::tensor::TensorView::new(safetensors::Dtype::F16, vec![3], &half).unwrap();
        let bf16 = safetensors::tensor::TensorView::new(safetensors::Dtype::BF16, vec![2], &brain).unwrap();
        let w: Vec<u8> = (0..12).flat_map(|i| (i as f32 * 0.37).to_le_bytes()).collect();
        let f32v = safetensors::tensor::TensorView::new(safetensors::Dtype::F32, vec![3, 4], &w).unwrap();
        let b: Vec<u8> = (0..4).flat_map(|i| (i as f32 * 0.011).to_le_bytes()).collect();
        let bias = safetensors::tensor::TensorView::new(safetensors::Dtype::F32, vec![4], &b).unwrap();
        let st = safetensors::serialize(
            [
                ("h.LayerNorm.weight", f16),
                ("b.norm", bf16),
                ("dense.weight", f32v),
                ("dense.bias", bias),
            ],
            None,
        )
        .unwrap();
        let options = EncodeOptions {
            exact: Some(ExactFilter::new("LayerNorm|bias|^b\\.").unwrap()),
            ..EncodeOptions::new(8, CodeChoice::Auto(KChoice::Auto))
        };
        let mut out = Vec::new();
        let t = encode_safetensors_with(&st, "m", &options, &mut out, &()).unwrap();
        assert_eq!((t.tensors, t.coded, t.raw, t.exact), (4, 1, 3, 3));
        assert_eq!(t.eg + t.fixed + t.huffman, 1);
        assert_eq!(t.params, 12);
        let c = Container::from_bytes(&out).unwrap();
        for e in &c.entries {
            let want_raw = match e.name.as_str() {
                "h.LayerNorm.weight" => Some(&half),
                "b.norm" => Some(&brain),
                "dense.bias" => Some(&b),
                _ => None,
            };
            match (&e.body, want_raw) {
                (Body::Raw(got), Some(want)) => assert_eq!(got, want, "{}", e.name),
                (Body::Coded(_), None) => {}
                _ => panic!("`{}` stored the wrong way", e.name),
            }
        }
        // Without the filter every float tensor is coded.
        let t = encode_safetensors(&st, "m", 8, KChoice::Auto, &mut Vec::new(), &()).unwrap();
        assert_eq!((t.coded, t.raw, t.exact), (4, 0, 0));
        assert!(options.is_exact("x.bias.y") && !options.is_exact("dense.weight"));
        assert!(!EncodeOptions::new(8, KChoice::Auto).is_exact("bias"));
    }

    #[test]
    fn bad_exact_expressions_are_one_line_errors() {
        for bad in ["(", "a[", "*x", "\\"] {
            let e = ExactFilter::new(bad).unwrap_err();
            let msg = e.to_string();
            assert!(matches!(e, EncodeError::BadExact { .. }), "{bad}");
            assert!(
                msg.starts_with("invalid --exact regular expression") && !msg.contains('\n'),
                "{msg}"
            );
            assert!(!msg.ends_with(": ") && !msg.contains("error:"), "{msg}");
        }
        assert_eq!(ExactFilter::new("LayerNorm|bias").unwrap().as_str(), "LayerNorm|bias");
    }

    #[test]
    fn totals_count_the_records() {
        let st = write_safetensors(&model()).unwrap();
        let mut out = Vec::new();
        let t = encode_safetensors(&st, "m", 8, KChoice::Auto, &mut out, &()).unwrap();
        let c = Container::from_bytes(&out).unwrap();
        let coded: Vec<_> = c
            .entries
            .iter()
            .filter_map(|e| match &e.body {
                Body::Coded(c) => Some(c),
                Body::Raw(_) => None,
            })
            .collect();
        assert_eq!(
            t,
            Totals {
                tensors: 7,
                coded: 5,
                raw: 2,
                exact: 0,
                eg: 5,
                fixed: 0,
                huffman: 0,
                params: 16 * 12 + 16 + 64 + 1,
                payload_bits: coded.iter().map(|c| c.payload_bits).sum(),
                bytes: out.len() as u64,
            }
        );
        assert!(t.payload_bits > 0);
    }

    #[test]
    fn a_weight_that_is_not_finite_is_named_at_its_index_past_the_first_block() {
        let n = QUANTIZE_BLOCK_BYTES / 4 + 1000;
        let mut w = vec![0.25f32; n];
        w[n - 7] = f32::NAN;
        let st = write_safetensors(&[Tensor::f32("w", vec![n], w)]).unwrap();
        let e = encode_safetensors(&st, "m", 8, KChoice::Auto, &mut Vec::new(), &()).unwrap_err();
        match e {
            EncodeError::Container(ContainerError::Quantize {
                name,
                source: QuantError::NotFinite { index, value },
            }) => {
                assert_eq!((name.as_str(), index), ("w", n - 7));
                assert!(value.is_nan());
            }
            e => panic!("{e:?}"),
        }
    }

    #[test]
    fn progress_sees_every_tensor_once() {
        let ts = model();
        let st = write_safetensors(&ts).unwrap();
        let r = Record::default();
        encode_batched(
            &st,
            "m",
            &EncodeOptions::new(8, KChoice::Auto),
            &mut Vec::new(),
            &r,
            100,
        )
        .unwrap();
        assert_eq!(*r.started.lock().unwrap(), vec![7]);
        assert_eq!(*r.ticks.lock().unwrap(), 7);
        assert_eq!(*r.finished.lock().unwrap(), 1);
        let mut got = r.ranges.into_inner().unwrap();
        got.sort_by_key(|r| (r.start, r.end));
        let mut want: Vec<_> = ts.iter().map(|t| data_range(&st, &t.name).unwrap()).collect();
        want.sort_by_key(|r| (r.start, r.end));
        assert_eq!(got, want);
    }

    /// A writer that fails after `left` bytes.
    struct Failing {
        left: usize,
    }

    impl Write for Failing {
        fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
            if self.left == 0 {
                return Err(std::io::Error::other("disk full"));
            }
            let n = buf.len().min(self.left);
            self.left -= n;
            Ok(n)
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }

    /// The message with its sources, as the CLI prints it.
    fn chain(e: &dyn std::error::Error) -> String {
        let mut s = e.to_string();
        let mut cur = e.source();
        while let Some(c) = cur {
            s += &format!(": {c}");
            cur = c.source();
        }
        s
    }

    #[test]
    fn errors_keep_the_cli_messages() {
        let st = write_safetensors(&model()).unwrap();
        let e = encode_safetensors(&st, "m", 8, KChoice::Auto, &mut Failing { left: 0 }, &()).unwrap_err();
        assert!(matches!(e, EncodeError::Write(_)), "{e:?}");
        assert_eq!(chain(&e), "cannot write the container: disk full");
        // A failure inside a record names the tensor (the first in the file).
        let first = &list_safetensors(&st).unwrap()[0].0;
        let e = encode_safetensors(&st, "m", 8, KChoice::Auto, &mut Failing { left: 20 }, &()).unwrap_err();
        assert_eq!(
            chain(&e),
            format!("tensor `{first}`: cannot write the record: disk full"),
            "{e:?}"
        );
        let e =
            encode_safetensors(b"not a model", "x.safetensors", 8, KChoice::Auto, &mut Vec::new(), &()).unwrap_err();
        assert!(matches!(e, EncodeError::Read { .. }), "{e:?}");
        assert!(
            chain(&e).starts_with("cannot read x.safetensors: not a valid safetensors file: "),
            "{e}"
        );
        let mut bad = model();
        bad[0] = Tensor {
            data: TensorData::Float(vec![f32::NAN; 192]),
            ..bad[0].clone()
        };
        let st = write_safetensors(&bad).unwrap();
        let e = encode_safetensors(&st, "m", 8, KChoice::Auto, &mut Vec::new(), &()).unwrap_err();
        assert!(chain(&e).starts_with("tensor `a.weight`: "), "{e}");
    }

    #[test]
    fn batches_cover_in_order_within_the_budget() {
        assert!(batches(&[], 10).is_empty());
        assert_eq!(batches(&[4, 4, 4], 10), vec![0..2, 2..3]);
        // A tensor above the budget sets the cap.
        assert_eq!(batches(&[30, 4, 4, 20, 12], 10), vec![0..1, 1..4, 4..5]);
        assert_eq!(batches(&[0, 0, 0], 10), vec![0..3]);
        // Exactly the cap fits; a zero budget with zero sizes is one batch.
        assert_eq!(batches(&[5, 5, 10, 1], 10), vec![0..2, 2..3, 3..4]);
        assert_eq!(batches(&[0, 0], 0), vec![0..2]);
        assert_eq!(batches(&[7], 0), vec![0..1]);
    }

    proptest! {
        #[test]
        fn batches_are_greedy_runs_under_the_cap(
            sizes in proptest::collection::vec(0u64..100, 0..40),
            budget in 0u64..300,
        ) {
            let cap = sizes.iter().copied().max().unwrap_or(0).max(budget);
            let b = batches(&sizes, budget);
            // Non-empty, consecutive runs covering every index once.
            let mut next = 0;
            for r in &b {
                prop_assert_eq!(r.start, next);
                prop_assert!(r.end > r.start);
                next = r.end;
            }
            prop_assert_eq!(next, sizes.len());
            for (i, r) in b.iter().enumerate() {
                let sum: u64 = sizes[r.clone()].iter().sum();
                prop_assert!(sum <= cap);
                // Greedy: the next tensor would not have fitted.
                if i + 1 < b.len() {
                    prop_assert!(sum + sizes[r.end] > cap);
                }
            }
        }
    }
}
