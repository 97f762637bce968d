//! Coded size of a weight vector: quantize at step `2^-n`, rank values by frequency (value map),
//! and count the bits of each code over the value-map indices with the codec's own counters.

use super::{Mlp, TrainError};
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

/// The weight matrices of `mlp` quantized at step 2^-`n` and reconstructed (biases kept in float).
pub fn quantized_weights(mlp: &Mlp, n: u32) -> Mlp {
    let mut m = mlp.clone();
    for l in 0..m.num_layers() {
        let r = m.weight_range(l);
        for p in &mut m.params_mut()[r] {
            *p = quant::dequantize(quant::quantize(*p, n), n);
        }
    }
    m
}

/// The magnitude at or below which the fraction `rate` of `weights` lies: pruning every weight
/// with `|w| <= threshold` removes `round(rate * len)` of them (more on ties). `None` for
/// `rate <= 0` or no weights.
pub fn magnitude_threshold(weights: &[f32], rate: f64) -> Option<f32> {
    if rate <= 0.0 || weights.is_empty() {
        return None;
    }
    let mut mags: Vec<f32> = weights.iter().map(|w| w.abs()).collect();
    let k = ((mags.len() as f64 * rate).round() as usize).clamp(1, mags.len());
    let (_, &mut threshold, _) = mags.select_nth_unstable_by(k - 1, f32::total_cmp);
    Some(threshold)
}

/// `mlp` with the fraction `rate` of its weights of smallest magnitude set to zero (global over
/// all weight matrices, biases untouched; ties at the threshold are pruned too), no fine-tuning.
pub fn pruned(mlp: &Mlp, rate: f64) -> Mlp {
    let mut m = mlp.clone();
    let Some(threshold) = magnitude_threshold(&mlp.weights_concat(), rate) else {
        return m;
    };
    for l in 0..m.num_layers() {
        let r = m.weight_range(l);
        for p in &mut m.params_mut()[r] {
            if p.abs() <= threshold {
                *p = 0.0;
            }
        }
    }
    m
}

#[cfg(test)]
mod pruning_tests {
    use super::*;

    #[test]
    fn threshold_prunes_the_requested_fraction() {
        let w: Vec<f32> = (0..100).map(|i| (i as f32 - 49.5) / 10.0).collect();
        let t = magnitude_threshold(&w, 0.2).unwrap();
        assert_eq!(w.iter().filter(|x| x.abs() <= t).count(), 20);
        assert_eq!(magnitude_threshold(&w, 0.0), None);
        assert_eq!(magnitude_threshold(&[], 0.5), None);
        let all = magnitude_threshold(&w, 1.0).unwrap();
        assert!(w.iter().all(|x| x.abs() <= all));
    }
}
