//! Per-tensor and total statistics of a safetensors model, the paper's Table 3 and Fig. 4
//! (`backslash stats` prints them as a table or JSON): parameters, GG shape ν, distinct quantized
//! values, and bits per weight of the fixed-length code, EG(k) for k = 0..5, the best EG(k) (k in
//! 0..=15), canonical Huffman and the empirical entropy, each also as a percentage of fixed-length.
//!
//! Every F32/F16/BF16 tensor is counted (1-D ones too, as the paper codes all parameters; the
//! container codes the same set). Each tensor has its own value map and code, exactly as
//! [`crate::encode`] writes it, so the totals are sums of per-tensor bits over the total parameter
//! count. Bits are counted with the encoders' own bit counters. Other dtypes are listed as skipped.
//!
//! The tensors are read once, in the batches of [`crate::encode::batches`] (tensors of a batch in
//! parallel); the pooled ν and the model-wide distinct count come from each tensor's moments and
//! value map.

use crate::encode::{batches, Progress, BATCH_BYTES};
use crate::gg::GgError;
use crate::quant::QuantError;
use crate::tensors::{checked_numel, data_range, list_safetensors, read_tensor, DType, TensorData, TensorsError};
use crate::valuemap::{ValueMap, ValueMapError};
use crate::{expgolomb, fixed, gg, huffman, quant};
use rayon::prelude::*;
use serde::Serialize;

/// The EG orders tabulated (the best k is searched over all of 0..=MAX_K).
pub const TABLE_KS: std::ops::RangeInclusive<u32> = 0..=5;

/// Errors of [`compute`] and [`compute_with`]. The messages are the CLI's (one line with their
/// sources, joined by ": ").
#[derive(Debug, thiserror::Error)]
pub enum StatsError {
    /// The quantization step is out of range ([`QuantError::StepBits`]; the CLI checks its
    /// `--step-bits` before calling).
    #[error(transparent)]
    StepBits(QuantError),
    /// The model is not a safetensors file this crate reads, or one of its tensors cannot be read.
    #[error("cannot read {model}")]
    Read {
        /// The model's name, as given by the caller (the CLI gives its path).
        model: String,
        /// Why.
        #[source]
        source: TensorsError,
    },
    /// The model has no tensor to analyse.
    #[error("{model} has no F32, F16 or BF16 tensor to analyse")]
    NoFloatTensor {
        /// The model's name.
        model: String,
    },
    /// A tensor's weights do not quantize (a weight that is not finite).
    #[error("tensor `{name}`")]
    Quantize {
        /// Tensor name.
        name: String,
        /// Why.
        #[source]
        source: QuantError,
    },
    /// A tensor's value map does not cover its weights (more values than 32-bit indices address).
    #[error("tensor `{name}`")]
    ValueMap {
        /// Tensor name.
        name: String,
        /// Why.
        #[source]
        source: ValueMapError,
    },
    /// A tensor's weights cannot be pooled for ν (a weight that is not finite).
    #[error("tensor `{name}`")]
    Moments {
        /// Tensor name.
        name: String,
        /// Why.
        #[source]
        source: GgError,
    },
    /// A tensor cannot be read again or its data range located.
    #[error(transparent)]
    Tensors(#[from] TensorsError),
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

/// Statistics of one tensor's weights: its row's figures, and what the model-wide figures pool
/// (its moments and its distinct quantized values).
struct TensorStats {
    nu: Option<f64>,
    bits: Bits,
    k: u32,
    moments: gg::Moments,
    values: Vec<i32>,
}

/// Statistics of one tensor's weights. Every bit count comes from the value map's counts (index
/// i occurs `counts[i]` times), so the indices themselves are never built.
fn tensor_bits(name: &str, w: &[f32], step_bits: u32) -> Result<TensorStats, StatsError> {
    let moments_err = |source| StatsError::Moments {
        name: name.to_string(),
        source,
    };
    let q = quant::quantize_slice(w, step_bits).map_err(|source| StatsError::Quantize {
        name: name.to_string(),
        source,
    })?;
    let (map, counts) = ValueMap::from_quantized_with_counts(&q);
    drop(q);
    let mut moments = gg::Moments::new();
    moments.add(w).map_err(moments_err)?;
    let nu = moments.fit().ok().map(|f| f.nu);
    let (k, best) = expgolomb::best_k_for_counts(&counts);
    let huffman = if counts.is_empty() {
        Some(0)
    } else {
        huffman::HuffmanCode::from_counts(&counts)
            .and_then(|h| h.bits_for_counts(&counts))
            .ok()
    };
    let bits = Bits {
        params: w.len() as u64,
        fixed: fixed::fixed_bits_per_symbol(map.len()) as u64 * w.len() as u64,
        eg: TABLE_KS.map(|k| expgolomb::bits_for_counts(&counts, k)).collect(),
        best,
        huffman,
        entropy: fixed::entropy_total_bits(&counts),
    };
    Ok(TensorStats {
        nu,
        bits,
        k,
        moments,
        values: map.values().to_vec(),
    })
}

/// The statistics row of one tensor's weights `w` (named `name`) at step 2^-`step_bits`, as
/// [`compute`] reports each tensor (without dtype and shape, which `w` does not carry).
pub fn tensor_row(name: &str, w: &[f32], step_bits: u32) -> Result<Row, StatsError> {
    if step_bits > quant::MAX_STEP_BITS {
        return Err(StatsError::StepBits(QuantError::StepBits { step_bits }));
    }
    let t = tensor_bits(name, w, step_bits)?;
    Ok(row(
        name.to_string(),
        None,
        None,
        t.nu,
        t.values.len() as u64,
        &t.bits,
        Some(t.k),
    ))
}

/// Computes the report of a safetensors model (`bytes`, named `model` in the report and errors)
/// with weights quantized at step 2^-`step_bits`.
pub fn compute(bytes: &[u8], model: &str, step_bits: u32) -> Result<Report, StatsError> {
    compute_with(bytes, model, step_bits, &())
}

/// [`compute`], reading the tensors a batch at a time as [`crate::encode::encode_safetensors`] does
/// (see [`BATCH_BYTES`]), each once: `progress` is started with the number of coded tensors, ticked
/// per tensor and finished after the last, and told the byte range of each tensor's data once it
/// has been read (the CLI releases those memory-mapped pages).
pub fn compute_with(bytes: &[u8], model: &str, step_bits: u32, progress: &dyn Progress) -> Result<Report, StatsError> {
    if step_bits > quant::MAX_STEP_BITS {
        return Err(StatsError::StepBits(QuantError::StepBits { step_bits }));
    }
    let read_err = |source| StatsError::Read {
        model: model.to_string(),
        source,
    };
    let list = list_safetensors(bytes).map_err(read_err)?;
    let (coded, skipped): (Vec<_>, Vec<_>) = list.into_iter().partition(|(_, d, _)| d.is_coded_float());
    if coded.is_empty() {
        return Err(StatsError::NoFloatTensor {
            model: model.to_string(),
        });
    }
    progress.start(coded.len() as u64);
    let sizes: Vec<u64> = coded
        .iter()
        .map(|(_, _, shape)| 4 * checked_numel(shape).unwrap_or(0))
        .collect();
    let mut results: Vec<TensorStats> = Vec::with_capacity(coded.len());
    for range in batches(&sizes, BATCH_BYTES) {
        let batch: Vec<_> = coded[range]
            .par_iter()
            .map(|(name, _, _)| {
                let t = read_tensor(bytes, name).map_err(read_err)?;
                progress.done_reading(data_range(bytes, name)?);
                let TensorData::Float(w) = &t.data else {
                    unreachable!("coded dtypes are read as floats")
                };
                let r = tensor_bits(name, w, step_bits);
                progress.tick();
                r
            })
            .collect::<Result<_, StatsError>>()?;
        results.extend(batch);
    }
    progress.finish();

    // Pooled ν (all tensors, and the 2-D ones) from the per-tensor moments merged in file order,
    // and the model-wide distinct count from the per-tensor value maps.
    let mut all = gg::Moments::new();
    let mut two_d = gg::Moments::new();
    let mut distinct = std::collections::HashSet::new();
    let mut total = Bits {
        huffman: Some(0),
        ..Bits::default()
    };
    let mut rows = Vec::with_capacity(coded.len());
    for ((name, dtype, shape), t) in coded.into_iter().zip(results) {
        all.merge(&t.moments);
        if shape.len() >= 2 {
            two_d.merge(&t.moments);
        }
        distinct.extend(t.values.iter().copied());
        total.add(&t.bits);
        rows.push(row(
            name,
            Some(dtype),
            Some(shape),
            t.nu,
            t.values.len() as u64,
            &t.bits,
            Some(t.k),
        ));
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::container::KChoice;
    use crate::tensors::{write_safetensors, Tensor};

    fn float(name: &str, shape: Vec<usize>, seed: u32) -> Tensor {
        let n: usize = shape.iter().product();
        // Laplacian (GG shape ν = 1) weights of scale 0.1 from a deterministic hash.
        let w = (0..n)
            .map(|i| {
                let h = (i as u32)
                    .wrapping_mul(2_654_435_761)
                    .wrapping_add(seed.wrapping_mul(40_503));
                let u = ((h >> 8) % 1000) as f32 / 1000.0 + 0.0005;
                let sign = if h & 1 == 0 { 1.0 } else { -1.0 };
                -sign * 0.1 * u.ln()
            })
            .collect();
        Tensor::f32(name, shape, w)
    }

    fn model() -> Vec<Tensor> {
        vec![
            float("l1.weight", vec![24, 10], 1),
            float("l1.bias", vec![24], 2),
            Tensor {
                name: "ids".into(),
                dtype: DType::I32,
                shape: vec![2],
                data: TensorData::Raw(vec![1, 0, 0, 0, 2, 0, 0, 0]),
            },
            float("l2.weight", vec![3, 24], 3),
            float("l2.bias", vec![3], 4),
        ]
    }

    fn close(a: f64, b: f64) -> bool {
        (a - b).abs() <= 1e-9 * a.abs().max(b.abs()).max(1.0)
    }

    #[test]
    fn totals_are_sums_of_per_tensor_bits() {
        let st = write_safetensors(&model()).unwrap();
        let r = compute(&st, "m", 8).unwrap();
        assert_eq!(r.model, "m");
        assert_eq!(r.step_bits, 8);
        let names: Vec<_> = r.tensors.iter().map(|t| t.name.as_str()).collect();
        // File order (safetensors writes by name), raw tensors left out.
        assert_eq!(names, ["l1.bias", "l1.weight", "l2.bias", "l2.weight"]);
        assert_eq!(r.skipped, ["ids"]);
        let t = &r.total;
        assert_eq!(t.name, "TOTAL");
        assert_eq!(t.best_k, None);
        assert_eq!(t.params, r.tensors.iter().map(|x| x.params).sum::<u64>());
        assert_eq!(t.params, 240 + 24 + 72 + 3);
        // Bits of a row: its bits/weight times its weights.
        let sum = |f: &dyn Fn(&Row) -> f64| r.tensors.iter().map(|x| f(x) * x.params as f64).sum::<f64>();
        let total = |f: &dyn Fn(&Row) -> f64| f(t) * t.params as f64;
        let fields: [&dyn Fn(&Row) -> f64; 4] = [
            &|x| x.fixed_bits_per_weight,
            &|x| x.best_k_bits_per_weight,
            &|x| x.huffman_bits_per_weight.unwrap(),
            &|x| x.entropy_bits_per_weight,
        ];
        for f in fields {
            assert!(close(sum(f), total(f)), "{} vs {}", sum(f), total(f));
        }
        for k in TABLE_KS {
            let f = |x: &Row| x.eg_bits_per_weight[k as usize];
            assert!(close(sum(&f), total(&f)), "EG({k})");
        }
        assert_eq!(t.eg_bits_per_weight.len(), TABLE_KS.count());
        // The best k per tensor is what the encoder picks: the same payload bits as the container.
        let mut out = Vec::new();
        let enc = crate::encode::encode_safetensors(&st, "m", 8, KChoice::Auto, &mut out, &()).unwrap();
        assert!(close(
            total(&|x: &Row| x.best_k_bits_per_weight),
            enc.payload_bits as f64
        ));
        assert_eq!(enc.params, t.params);
        let c = crate::container::Container::from_bytes(&out).unwrap();
        for row in &r.tensors {
            let e = c.entries.iter().find(|e| e.name == row.name).unwrap();
            let crate::container::Body::Coded(coded) = &e.body else {
                panic!("{} raw", row.name)
            };
            assert_eq!(coded.code, crate::container::Code::ExpGolomb { k: row.best_k.unwrap() });
            assert_eq!(row.distinct, coded.map.len() as u64);
        }
        // Percentages are of the fixed-length bits.
        assert!(close(
            t.best_k_pct_of_fixed.unwrap(),
            100.0 * t.best_k_bits_per_weight / t.fixed_bits_per_weight
        ));
        assert!(t.distinct >= r.tensors.iter().map(|x| x.distinct).max().unwrap());
        assert!(t.nu.is_some() && r.pooled_nu_2d.is_some());
    }

    #[test]
    fn batched_pass_reports_progress_and_reads_each_tensor() {
        use std::sync::Mutex;
        #[derive(Default)]
        struct Record(Mutex<(Vec<u64>, u64, u32, Vec<std::ops::Range<usize>>)>);
        impl Progress for Record {
            fn start(&self, n: u64) {
                self.0.lock().unwrap().0.push(n);
            }
            fn tick(&self) {
                self.0.lock().unwrap().1 += 1;
            }
            fn finish(&self) {
                self.0.lock().unwrap().2 += 1;
            }
            fn done_reading(&self, r: std::ops::Range<usize>) {
                self.0.lock().unwrap().3.push(r);
            }
        }
        let ts = model();
        let st = write_safetensors(&ts).unwrap();
        let rec = Record::default();
        let with = compute_with(&st, "m", 6, &rec).unwrap();
        let (started, ticks, finished, mut ranges) = rec.0.into_inner().unwrap();
        assert_eq!((started, ticks, finished), (vec![4], 4, 1));
        // The one pass reads every coded tensor once, and only those.
        ranges.sort_by_key(|r| r.start);
        let mut want: Vec<_> = ts
            .iter()
            .filter(|t| t.dtype.is_coded_float())
            .map(|t| data_range(&st, &t.name).unwrap())
            .collect();
        want.sort_by_key(|r| r.start);
        assert_eq!(ranges, want);
        assert_eq!(
            serde_json::to_string(&with).unwrap(),
            serde_json::to_string(&compute(&st, "m", 6).unwrap()).unwrap()
        );
    }

    #[test]
    fn errors_keep_the_cli_messages() {
        let e = compute(b"junk", "x.safetensors", 8).unwrap_err();
        assert!(matches!(e, StatsError::Read { .. }), "{e:?}");
        assert_eq!(e.to_string(), "cannot read x.safetensors");
        let raw_only = write_safetensors(&model()[2..3]).unwrap();
        let e = compute(&raw_only, "r.safetensors", 8).unwrap_err();
        assert_eq!(e.to_string(), "r.safetensors has no F32, F16 or BF16 tensor to analyse");
        let st = write_safetensors(&model()).unwrap();
        let e = compute(&st, "m", quant::MAX_STEP_BITS + 1).unwrap_err();
        assert!(matches!(e, StatsError::StepBits(_)), "{e:?}");
        let mut bad = model();
        bad[3].data = TensorData::Float(vec![f32::INFINITY; 72]);
        let e = compute(&write_safetensors(&bad).unwrap(), "m", 8).unwrap_err();
        assert!(
            matches!(&e, StatsError::Quantize { name, .. } if name == "l2.weight"),
            "{e:?}"
        );
        assert_eq!(e.to_string(), "tensor `l2.weight`");
        assert!(std::error::Error::source(&e).is_some());
    }
}
