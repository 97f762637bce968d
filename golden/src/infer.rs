//! Bit-exact integer inference: the arithmetic the accelerator implements, defined once.
//!
//! One layer computes, for every output row `r`:
//!
//! ```text
//! acc  = bias[r] + Σ_c  W[r][c] · x[c]          (i32, two's-complement wrap-around, as a 32-bit register)
//! rnd  = acc + 2^(shift-1)   if shift > 0        (i32, wrap-around)
//!        acc                 if shift = 0
//! y    = rnd >> shift                            (arithmetic shift right: rounds half towards +inf)
//! y    = max(y, 0)           if relu
//! out  = clamp(y, -128, 127)                     (saturate to the 8-bit signed activation)
//! ```
//!
//! `W[r][c]` are the quantized weight integers `q` (the weight is `q · 2^-step_bits`), which the
//! hardware holds as 16-bit signed values in the value-map ROM; `x` are 8-bit signed activations.
//! The products are summed in column order, but since the sum wraps in 32 bits the order does not
//! matter. Zero weights contribute nothing, which is why the hardware may skip them.
//!
//! Classification takes the arg-max of the last layer's 8-bit outputs, the lowest index on ties.

use thiserror::Error;

/// Width of an activation, in bits (signed).
pub const ACT_BITS: u32 = 8;
/// Width of a weight held by the hardware's value map, in bits (signed).
pub const WEIGHT_BITS: u32 = 16;
/// Largest right shift a layer may apply.
pub const MAX_SHIFT: u32 = 31;

/// Errors in an integer layer or model description.
#[derive(Debug, Error, PartialEq, Eq)]
pub enum InferError {
    /// The weight, bias or input vector lengths do not match the layer's shape.
    #[error("layer {layer}: {what} has {got} entries, expected {expected}")]
    Shape {
        layer: usize,
        what: &'static str,
        got: usize,
        expected: usize,
    },
    /// A weight does not fit the hardware's signed 16-bit value map.
    #[error("layer {layer}: weight {value} at row {row}, column {col} does not fit in 16 signed bits")]
    WeightRange {
        layer: usize,
        row: usize,
        col: usize,
        value: i32,
    },
    /// The shift is outside 0..=31.
    #[error("layer {layer}: shift {shift} is outside 0..=31")]
    Shift { layer: usize, shift: u32 },
    /// Two consecutive layers disagree on the activation count.
    #[error("layer {layer} expects {expected} inputs but the previous layer gives {got}")]
    Chain { layer: usize, expected: usize, got: usize },
}

/// One fully connected integer layer `y = act(W x + b)` as the accelerator runs it.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct QLayer {
    /// Output count (rows of `W`).
    pub rows: usize,
    /// Input count (columns of `W`).
    pub cols: usize,
    /// Row-major quantized weights `q`, each within `i16`.
    pub weights: Vec<i32>,
    /// One 32-bit bias per row, in accumulator units (weight step times input scale).
    pub bias: Vec<i32>,
    /// Arithmetic right shift with rounding applied to the accumulator, 0..=31.
    pub shift: u32,
    /// Apply ReLU before saturation.
    pub relu: bool,
}

impl QLayer {
    /// Checks the shape, the weight range and the shift. `index` only labels errors.
    pub fn validate(&self, index: usize) -> Result<(), InferError> {
        let expected = self.rows * self.cols;
        if self.weights.len() != expected {
            return Err(InferError::Shape {
                layer: index,
                what: "weights",
                got: self.weights.len(),
                expected,
            });
        }
        if self.bias.len() != self.rows {
            return Err(InferError::Shape {
                layer: index,
                what: "bias",
                got: self.bias.len(),
                expected: self.rows,
            });
        }
        if self.shift > MAX_SHIFT {
            return Err(InferError::Shift {
                layer: index,
                shift: self.shift,
            });
        }
        if let Some(pos) = self
            .weights
            .iter()
            .position(|&w| w < i16::MIN as i32 || w > i16::MAX as i32)
        {
            return Err(InferError::WeightRange {
                layer: index,
                row: pos / self.cols.max(1),
                col: pos % self.cols.max(1),
                value: self.weights[pos],
            });
        }
        Ok(())
    }

    /// The 32-bit accumulator of row `r` before rounding (bias plus the wrapped dot product).
    pub fn accumulator(&self, r: usize, x: &[i8]) -> i32 {
        let row = &self.weights[r * self.cols..(r + 1) * self.cols];
        row.iter()
            .zip(x)
            .fold(self.bias[r], |acc, (&w, &a)| acc.wrapping_add(w.wrapping_mul(a as i32)))
    }

    /// Runs the layer on one input vector. Panics only if `x.len() != cols` (see [`QModel::forward`]
    /// for the checked entry point).
    pub fn forward(&self, x: &[i8]) -> Vec<i8> {
        assert_eq!(x.len(), self.cols, "input length");
        (0..self.rows)
            .map(|r| requantize(self.accumulator(r, x), self.shift, self.relu))
            .collect()
    }

    /// Number of non-zero weights (the MAC operations the sparse hardware performs).
    pub fn nonzeros(&self) -> usize {
        self.weights.iter().filter(|&&w| w != 0).count()
    }
}

/// The output stage of a row: rounding shift, optional ReLU, saturation to 8 bits.
pub fn requantize(acc: i32, shift: u32, relu: bool) -> i8 {
    let rounded = if shift == 0 {
        acc
    } else {
        acc.wrapping_add(1i32 << (shift - 1)) >> shift
    };
    let y = if relu { rounded.max(0) } else { rounded };
    y.clamp(i8::MIN as i32, i8::MAX as i32) as i8
}

/// Quantizes a float input to the first layer's 8-bit activations: `round_half_away(x / scale)`,
/// saturated to `i8`. NaN maps to 0.
pub fn quantize_input(x: f32, scale: f32) -> i8 {
    let v = (x / scale).round();
    if v.is_nan() {
        0
    } else {
        v.clamp(i8::MIN as f32, i8::MAX as f32) as i8
    }
}

/// A chain of integer layers plus what is needed to feed it float inputs.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct QModel {
    /// The layers, applied in order.
    pub layers: Vec<QLayer>,
    /// Float units per input LSB: `x_int8 = quantize_input(x, input_scale)`.
    pub input_scale: f32,
    /// Weight step exponent `n`: a weight integer `q` is the weight `q · 2^-n`.
    pub step_bits: u32,
}

impl QModel {
    /// An integer model of `layers` with no float scales (input scale 1, step 2^0): what tests and
    /// the hardware's tools build from layers directly.
    pub fn from_layers(layers: Vec<QLayer>) -> QModel {
        QModel {
            layers,
            input_scale: 1.0,
            step_bits: 0,
        }
    }

    /// Checks every layer and that consecutive layers chain.
    pub fn validate(&self) -> Result<(), InferError> {
        for (i, layer) in self.layers.iter().enumerate() {
            layer.validate(i)?;
            if i > 0 && self.layers[i - 1].rows != layer.cols {
                return Err(InferError::Chain {
                    layer: i,
                    expected: layer.cols,
                    got: self.layers[i - 1].rows,
                });
            }
        }
        Ok(())
    }

    /// Runs all layers on 8-bit inputs, returning every layer's outputs (the last is the logits).
    pub fn forward_all(&self, x: &[i8]) -> Result<Vec<Vec<i8>>, InferError> {
        let mut outs: Vec<Vec<i8>> = Vec::with_capacity(self.layers.len());
        for (i, layer) in self.layers.iter().enumerate() {
            let input = if i == 0 { x } else { &outs[i - 1] };
            if input.len() != layer.cols {
                return Err(InferError::Shape {
                    layer: i,
                    what: "input",
                    got: input.len(),
                    expected: layer.cols,
                });
            }
            let y = layer.forward(input);
            outs.push(y);
        }
        Ok(outs)
    }

    /// Runs all layers and returns the last layer's outputs.
    pub fn forward(&self, x: &[i8]) -> Result<Vec<i8>, InferError> {
        Ok(self.forward_all(x)?.pop().unwrap_or_else(|| x.to_vec()))
    }

    /// Quantizes a float input vector with the model's input scale.
    pub fn quantize_input(&self, x: &[f32]) -> Vec<i8> {
        x.iter().map(|&v| quantize_input(v, self.input_scale)).collect()
    }

    /// Class of a float input: arg-max of the integer logits (lowest index on ties).
    pub fn classify(&self, x: &[f32]) -> Result<usize, InferError> {
        Ok(argmax(&self.forward(&self.quantize_input(x))?))
    }
}

/// Index of the largest value, the lowest index on ties; 0 for an empty slice.
pub fn argmax(v: &[i8]) -> usize {
    let mut best = 0;
    for (i, &x) in v.iter().enumerate() {
        if x > v[best] {
            best = i;
        }
    }
    best
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn requantize_rounds_half_up_and_saturates() {
        assert_eq!(requantize(5, 1, false), 3); // 2.5 -> 3
        assert_eq!(requantize(-5, 1, false), -2); // -2.5 -> -2 (half towards +inf)
        assert_eq!(requantize(-6, 1, false), -3);
        assert_eq!(requantize(1000, 2, false), 127);
        assert_eq!(requantize(-1000, 2, false), -128);
        assert_eq!(requantize(-1000, 2, true), 0);
        assert_eq!(requantize(7, 0, false), 7);
        assert_eq!(requantize(i32::MAX, 31, false), -1); // wrap-around of the rounding add, as in 32-bit hardware
                                                         // The rounding add wraps at 32 bits (docs/hardware.md): 2^31 - 8 + 8 is -2^31, not 2^31.
        assert_eq!(requantize(i32::MAX - 7, 4, false), -128);
        assert_eq!(requantize(i32::MAX - 8, 4, false), 127);
    }

    #[test]
    fn layer_forward_matches_hand_computation() {
        let layer = QLayer {
            rows: 2,
            cols: 3,
            weights: vec![1, 0, -2, 3, 4, 0],
            bias: vec![10, -10],
            shift: 2,
            relu: true,
        };
        layer.validate(0).unwrap();
        // row0: 10 + 1*4 + -2*-8 = 30 -> (30+2)>>2 = 8 ; row1: -10 + 3*4 + 4*1 = 6 -> 2
        assert_eq!(layer.forward(&[4, 1, -8]), vec![8, 2]);
        assert_eq!(layer.nonzeros(), 4);
    }

    #[test]
    fn validate_rejects_bad_layers() {
        let mut layer = QLayer {
            rows: 1,
            cols: 2,
            weights: vec![1, 40000],
            bias: vec![0],
            shift: 0,
            relu: false,
        };
        assert!(matches!(layer.validate(0), Err(InferError::WeightRange { col: 1, .. })));
        layer.weights = vec![1];
        assert!(matches!(layer.validate(0), Err(InferError::Shape { .. })));
        layer.weights = vec![1, 1];
        layer.shift = 32;
        assert!(matches!(layer.validate(0), Err(InferError::Shift { .. })));
    }

    #[test]
    fn argmax_takes_lowest_on_ties() {
        assert_eq!(argmax(&[1, 5, 5, 2]), 1);
        assert_eq!(argmax(&[]), 0);
    }
}
