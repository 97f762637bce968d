//! Uniform quantizer with step 2^-n (docs/codec.md, bit-level conventions).
//!
//! `q = round_half_away_from_zero(w · 2^n)` and the reconstruction is `w' = q · 2^-n`, for
//! `n` in `0..=MAX_STEP_BITS`. The product `w · 2^n` is exact (computed in `f64`), so the only
//! rounding is the one the convention names; `|w - w'| ≤ 2^-(n+1)` whenever `q` did not saturate.

use crate::tensors::{visit_floats, DType, FloatVisitor};
use thiserror::Error;

/// Largest step exponent `n` (the step is `2^-n`).
pub const MAX_STEP_BITS: u32 = 16;

/// Errors of [`quantize_slice`].
#[derive(Debug, Error, Clone, PartialEq)]
pub enum QuantError {
    /// A weight is NaN or infinite; it has no quantized value.
    #[error("weight {index} is {value}, not a finite number")]
    NotFinite {
        /// Position of the weight in the slice.
        index: usize,
        /// The offending value.
        value: f32,
    },
    /// The step exponent is above [`MAX_STEP_BITS`].
    #[error("step exponent {step_bits} is outside 0..={MAX_STEP_BITS}")]
    StepBits {
        /// The requested exponent.
        step_bits: u32,
    },
}

/// `2^n` as an `f64` (exact for every `n` we accept and well beyond).
fn scale(step_bits: u32) -> f64 {
    // powi is exact for powers of two in range.
    2f64.powi(step_bits.min(1000) as i32)
}

/// Quantizes one weight: `round_half_away_from_zero(w · 2^step_bits)`, saturated to `i32`.
///
/// This is the infallible kernel: NaN maps to 0 and ±∞ saturate (Rust's float-to-int cast);
/// use [`quantize_slice`] to reject them and to check `step_bits`.
#[inline]
pub fn quantize(w: f32, step_bits: u32) -> i32 {
    round_half_away(f64::from(w) * scale(step_bits))
}

/// `round_half_away_from_zero(y)` saturated to `i32`, for `y = w · 2^n` with `w` an `f32`:
/// `trunc(y ± 0.5)` (the `as` cast truncates and saturates; NaN gives 0). Exact for such `y`: it has
/// at most 24 significant bits, so `y ± 0.5` is exact below 2^52 (and cannot reach the next integer
/// from below 0.5, the largest such `y` under 0.5 being 0.5 - 2^-25), and above it `y` is a multiple
/// of 2^29 that the half cannot move. Unlike `f64::round` (a library call on x86-64 without
/// SSE4.1), it vectorizes. `rounds_like_f64_round` checks it against `f64::round`.
#[inline(always)]
fn round_half_away(y: f64) -> i32 {
    (y + 0.5f64.copysign(y)) as i32
}

/// Quantizes a slice, rejecting NaN/∞ and `step_bits > MAX_STEP_BITS`.
pub fn quantize_slice(weights: &[f32], step_bits: u32) -> Result<Vec<i32>, QuantError> {
    quantize_elements(weights.iter().copied(), step_bits)
}

/// Quantizes the little-endian F32, F16 or BF16 elements of a tensor's bytes (as a safetensors file
/// holds them) without widening them into a copy first: the same values and errors as
/// [`quantize_slice`] of the widened elements.
pub fn quantize_le(dtype: DType, bytes: &[u8], step_bits: u32) -> Result<Vec<i32>, QuantError> {
    struct Quantize(u32);
    impl FloatVisitor for Quantize {
        type Out = Result<Vec<i32>, QuantError>;
        fn visit(self, elements: impl Iterator<Item = f32> + Clone) -> Self::Out {
            quantize_elements(elements, self.0)
        }
    }
    visit_floats(dtype, bytes, Quantize(step_bits))
}

/// [`quantize_slice`] of any re-readable sequence of weights: the step checked, then the first
/// non-finite weight is the error, then one pass quantizes.
fn quantize_elements(elements: impl Iterator<Item = f32> + Clone, step_bits: u32) -> Result<Vec<i32>, QuantError> {
    if step_bits > MAX_STEP_BITS {
        return Err(QuantError::StepBits { step_bits });
    }
    let scale = scale(step_bits);
    // One pass quantizes and notes a non-finite weight (it vectorizes); only then a second pass
    // finds the first.
    let (lower, _) = elements.size_hint();
    let mut q: Vec<i32> = Vec::with_capacity(lower);
    let mut non_finite = 0u32;
    q.extend(elements.clone().map(|w| {
        non_finite |= u32::from(w.to_bits() & 0x7f80_0000 == 0x7f80_0000);
        round_half_away(f64::from(w) * scale)
    }));
    if non_finite != 0 {
        if let Some((index, value)) = elements.enumerate().find(|(_, w)| !w.is_finite()) {
            return Err(QuantError::NotFinite { index, value });
        }
    }
    Ok(q)
}

/// Reconstructs a weight: `q · 2^-step_bits` (exact in `f64`, then rounded once to `f32`).
pub fn dequantize(q: i32, step_bits: u32) -> f32 {
    (f64::from(q) / scale(step_bits)) as f32
}

/// [`dequantize`] over a slice.
pub fn dequantize_slice(q: &[i32], step_bits: u32) -> Vec<f32> {
    q.iter().map(|&q| dequantize(q, step_bits)).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rounds_half_away_from_zero() {
        // step 2^-1: w·2 = ±0.5, ±1.5, ±2.5 are exact ties.
        assert_eq!(quantize(0.25, 1), 1);
        assert_eq!(quantize(-0.25, 1), -1);
        assert_eq!(quantize(0.75, 1), 2);
        assert_eq!(quantize(-0.75, 1), -2);
        assert_eq!(quantize(1.25, 1), 3);
        assert_eq!(quantize(0.2, 1), 0);
        assert_eq!(quantize(-0.0, 8), 0);
        assert_eq!(quantize(0.5, 0), 1);
        assert_eq!(quantize(-0.5, 0), -1);
        assert_eq!(quantize(0.499_999_97, 0), 0);
    }

    #[test]
    fn rounds_like_f64_round() {
        // Ties, the floats on either side of each tie, extremes, and pseudo-random bit patterns.
        let mut ws: Vec<f32> = vec![0.0, -0.0, f32::MIN_POSITIVE, f32::MAX, f32::MIN, 1e-45, -1e-45];
        for i in 0..64 {
            let t = 0.5 + i as f32;
            ws.extend([t, -t, t.next_up(), t.next_down(), -t.next_up(), -t.next_down()]);
        }
        let mut x = 0x9E37_79B9u32;
        for _ in 0..200_000 {
            x ^= x << 13;
            x ^= x >> 17;
            x ^= x << 5;
            ws.push(f32::from_bits(x));
        }
        for n in 0..=MAX_STEP_BITS {
            for &w in ws.iter().filter(|w| w.is_finite()) {
                for w in [w, w / (1u32 << n) as f32] {
                    let want = (f64::from(w) * scale(n)).round() as i32;
                    assert_eq!(quantize(w, n), want, "w = {w:e} ({:#x}), n = {n}", w.to_bits());
                }
            }
        }
    }

    #[test]
    fn quantize_le_equals_quantize_slice_of_the_widened_values() {
        let w: Vec<f32> = (0..1000).map(|i| (i as f32 - 500.0) / 300.0).collect();
        let f32b: Vec<u8> = w.iter().flat_map(|x| x.to_le_bytes()).collect();
        let f16b: Vec<u8> = w.iter().flat_map(|&x| half::f16::from_f32(x).to_le_bytes()).collect();
        let bf16b: Vec<u8> = w.iter().flat_map(|&x| half::bf16::from_f32(x).to_le_bytes()).collect();
        for n in [0, 4, 8, 16] {
            assert_eq!(
                quantize_le(DType::F32, &f32b, n).unwrap(),
                quantize_slice(&w, n).unwrap()
            );
            let h: Vec<f32> = w.iter().map(|&x| half::f16::from_f32(x).to_f32()).collect();
            assert_eq!(
                quantize_le(DType::F16, &f16b, n).unwrap(),
                quantize_slice(&h, n).unwrap()
            );
            let b: Vec<f32> = w.iter().map(|&x| half::bf16::from_f32(x).to_f32()).collect();
            assert_eq!(
                quantize_le(DType::BF16, &bf16b, n).unwrap(),
                quantize_slice(&b, n).unwrap()
            );
        }
        assert_eq!(
            quantize_le(DType::F32, &f32b, 17),
            Err(QuantError::StepBits { step_bits: 17 })
        );
        let mut bad = f32b.clone();
        bad[4 * 7..4 * 8].copy_from_slice(&f32::NEG_INFINITY.to_le_bytes());
        assert_eq!(
            quantize_le(DType::F32, &bad, 8),
            Err(QuantError::NotFinite {
                index: 7,
                value: f32::NEG_INFINITY
            })
        );
        let mut bad = f16b;
        bad[2 * 3..2 * 4].copy_from_slice(&half::f16::INFINITY.to_le_bytes());
        assert!(
            matches!(quantize_le(DType::F16, &bad, 8), Err(QuantError::NotFinite { index: 3, value }) if value == f32::INFINITY)
        );
    }

    #[test]
    fn saturates() {
        assert_eq!(quantize(1e30, 16), i32::MAX);
        assert_eq!(quantize(-1e30, 16), i32::MIN);
        assert_eq!(quantize(f32::INFINITY, 0), i32::MAX);
    }

    #[test]
    fn dequantize_is_exact_multiple_of_step() {
        assert_eq!(dequantize(3, 2), 0.75);
        assert_eq!(dequantize(-5, 8), -5.0 / 256.0);
        assert_eq!(dequantize(7, 0), 7.0);
    }

    #[test]
    fn slice_errors() {
        assert_eq!(quantize_slice(&[0.0], 17), Err(QuantError::StepBits { step_bits: 17 }));
        let e = quantize_slice(&[0.0, f32::NAN], 8).unwrap_err();
        assert!(matches!(e, QuantError::NotFinite { index: 1, .. }));
        let e = quantize_slice(&[f32::NEG_INFINITY], 8).unwrap_err();
        assert_eq!(e.to_string(), "weight 0 is -inf, not a finite number");
        assert_eq!(quantize_slice(&[0.1, -0.1], 4).unwrap(), vec![2, -2]);
    }
}
