//! Coded size of a weight vector: quantize at step `2^-n`, rank values by frequency (value map),
//! and count the bits of each code over the value-map indices with the codec's own counters.

use super::TrainError;
use crate::{expgolomb, fixed, huffman, quant, valuemap::ValueMap};

/// Bits per weight of each code, and the sparsity, of one quantized weight vector.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct CodeStats {
    /// Number of weights.
    pub count: usize,
    /// Quantization step exponent `n` (step `2^-n`).
    pub step_bits: u32,
    /// Distinct quantized values (value-map entries).
    pub distinct: usize,
    /// Fraction of weights quantized to 0.
    pub zero_fraction: f64,
    /// Exp-Golomb bits per weight with the best order `k` (see `eg_k`).
    pub eg_bits: f64,
    /// The order `k` in 0..=MAX_K that minimises the EG size.
    pub eg_k: u32,
    /// Exp-Golomb bits per weight at order 0.
    pub eg0_bits: f64,
    /// Canonical Huffman bits per weight (code built for this vector; table not counted).
    pub huffman_bits: f64,
    /// Fixed-length bits per weight (`ceil(log2(distinct))`).
    pub fixed_bits: f64,
    /// Empirical entropy of the indices, bits per weight.
    pub entropy_bits: f64,
}

/// Computes [`CodeStats`] of `weights` quantized at step `2^-step_bits`.
pub fn code_stats(weights: &[f32], step_bits: u32) -> Result<CodeStats, TrainError> {
    let q = quant::quantize_slice(weights, step_bits).map_err(|e| TrainError::Shape(format!("quantize: {e}")))?;
    let (map, counts) = ValueMap::from_quantized_with_counts(&q);
    let indices = map
        .to_indices(&q)
        .map_err(|e| TrainError::Shape(format!("value map: {e}")))?;
    let n = weights.len().max(1) as f64;
    let (eg_k, eg_total) = (0..=expgolomb::MAX_K)
        .map(|k| (k, expgolomb::encoded_bits(&indices, k)))
        .min_by_key(|&(k, bits)| (bits, k))
        .expect("k range is not empty");
    let eg0 = expgolomb::encoded_bits(&indices, 0);
    let huffman_total = if counts.is_empty() {
        0
    } else {
        huffman::HuffmanCode::from_counts(&counts)
            .map_err(|e| TrainError::Shape(format!("huffman: {e}")))?
            .bits_for_counts(&counts)
            .map_err(|e| TrainError::Shape(format!("huffman: {e}")))?
    };
    Ok(CodeStats {
        count: weights.len(),
        step_bits,
        distinct: map.len(),
        zero_fraction: q.iter().filter(|&&v| v == 0).count() as f64 / n,
        eg_bits: eg_total as f64 / n,
        eg_k,
        eg0_bits: eg0 as f64 / n,
        huffman_bits: huffman_total as f64 / n,
        fixed_bits: f64::from(fixed::fixed_bits_per_symbol(map.len())),
        entropy_bits: fixed::entropy_bits(&counts),
    })
}
