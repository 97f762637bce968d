//! Uniform quantizer with step 2^-n (docs/codec.md, bit-level conventions).
//!
//! `q = round_half_away_from_zero(w · 2^n)` and the reconstruction is `w' = q · 2^-n`, for
//! `n` in `0..=MAX_STEP_BITS`. The product `w · 2^n` is exact (computed in `f64`), so the only
//! rounding is the one the convention names; `|w - w'| ≤ 2^-(n+1)` whenever `q` did not saturate.

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
pub fn quantize(w: f32, step_bits: u32) -> i32 {
    // `f64::round` rounds half away from zero; `as i32` saturates.
    (f64::from(w) * scale(step_bits)).round() as i32
}

/// Quantizes a slice, rejecting NaN/∞ and `step_bits > MAX_STEP_BITS`.
pub fn quantize_slice(weights: &[f32], step_bits: u32) -> Result<Vec<i32>, QuantError> {
    if step_bits > MAX_STEP_BITS {
        return Err(QuantError::StepBits { step_bits });
    }
    if let Some(index) = weights.iter().position(|w| !w.is_finite()) {
        return Err(QuantError::NotFinite {
            index,
            value: weights[index],
        });
    }
    Ok(weights.iter().map(|&w| quantize(w, step_bits)).collect())
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
