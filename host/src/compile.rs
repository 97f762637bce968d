//! The layer compiler: one quantized layer into what the accelerator consumes, written once and
//! used by the per-layer [`crate::Program`], the resident [`crate::Image`] and the estimate.
//!
//! Per layer: golden's value map (distinct weights ranked by frequency, `golden::valuemap`), the
//! weights as value-map indices, the exp-Golomb order k ([`KChoice`]: fixed, or the order with the
//! fewest stream bits among those the decoder supports, [`regmap::k_supported`]), zero-run
//! skipping where it is valid ([`regmap::zero_skip_valid`]), and the per-lane streams of
//! `golden::layout` (row r to lane r mod P).
use std::ops::Range;

use golden::expgolomb;
use golden::infer::QLayer;
use golden::layout::{self, LaneStreams, LayoutError};
use golden::valuemap::ValueMap;
use thiserror::Error;

use crate::regmap;

pub use golden::expgolomb::KChoice;

/// Options of the compiler.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CompileOptions {
    /// How each layer's exp-Golomb order is chosen.
    pub k: KChoice,
    /// Use zero-run skipping where it is valid ([`regmap::zero_skip_valid`]).
    pub zero_skip: bool,
}

impl CompileOptions {
    /// EG(`k`) for every layer, with zero-run skipping where valid if `zero_skip`.
    pub const fn fixed(k: u32, zero_skip: bool) -> Self {
        CompileOptions {
            k: KChoice::Fixed(k),
            zero_skip,
        }
    }
}

impl Default for CompileOptions {
    fn default() -> Self {
        CompileOptions {
            k: KChoice::Auto,
            zero_skip: true,
        }
    }
}

/// Why a layer cannot be compiled for the accelerator.
#[derive(Debug, Error, Clone, PartialEq, Eq)]
pub enum CompileError {
    /// Too many inputs (more columns cannot be split without partial sums), or an empty layer.
    #[error("layer {layer} has {cols} inputs and {rows} outputs; the accelerator takes 1..={max} inputs")]
    Shape {
        layer: usize,
        rows: usize,
        cols: usize,
        max: usize,
    },
    /// A value-map weight does not fit the value-map memory's 16 signed bits.
    #[error("layer {layer}: value-map entry {index} = {value} does not fit in 16 signed bits")]
    WeightRange { layer: usize, index: usize, value: i32 },
    /// The requested order k is beyond what the decoder supports for this layer's indices.
    #[error(
        "layer {layer}: EG({k}) is not supported here (k <= {}, at most {} prefix zeros)",
        regmap::K_MAX,
        regmap::M_MAX
    )]
    UnsupportedK { layer: usize, k: u32 },
    /// No order k lets the decoder decode every index of the layer.
    #[error(
        "layer {layer}: no exp-Golomb order fits the decoder (at most {} prefix zeros)",
        regmap::M_MAX
    )]
    NoK { layer: usize },
    /// The weights or indices are inconsistent with the layer's shape.
    #[error("layer {layer}: {message}")]
    Layer { layer: usize, message: String },
}

/// One layer compiled: its value map, its weights as indices, k, zero-run skipping, and the
/// rest of the layer as the hardware runs it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CompiledLayer {
    pub rows: usize,
    pub cols: usize,
    /// Exp-Golomb order.
    pub k: u32,
    pub shift: u32,
    pub relu: bool,
    /// Zero-run skipping enabled.
    pub zero_skip: bool,
    /// Value map (index -> weight), index 0 the most frequent weight.
    pub vmap: Vec<i32>,
    /// The weights as value-map indices, row-major.
    pub indices: Vec<u32>,
    pub bias: Vec<i32>,
}

/// The value map of `weights`, the weights as its indices, and the exp-Golomb order `k` chooses
/// among the orders the decoder supports. `layer` names the layer in errors.
pub fn code_weights(layer: usize, weights: &[i32], k: KChoice) -> Result<(ValueMap, Vec<u32>, u32), CompileError> {
    let map = ValueMap::from_quantized(weights);
    let indices = map.to_indices(weights).map_err(|e| CompileError::Layer {
        layer,
        message: e.to_string(),
    })?;
    let max_index = indices.iter().copied().max().unwrap_or(0);
    let supported = |k: u32| regmap::k_supported(max_index, k);
    let k = match k {
        KChoice::Fixed(k) if supported(k) => k,
        KChoice::Fixed(k) => return Err(CompileError::UnsupportedK { layer, k }),
        KChoice::Auto => {
            expgolomb::best_k_where(&indices, supported)
                .ok_or(CompileError::NoK { layer })?
                .0
        }
    };
    Ok((map, indices, k))
}

/// Compiles layer number `i` of a model. Any number of rows (the [`crate::Program`] splits them
/// into passes; a resident image limits them), 1..=2^[`regmap::DIM_LOG2_MAX`] columns (a build's
/// own limit, [`regmap::MemSizes::max_dim`], is checked where the layer is placed).
pub fn compile_layer(i: usize, layer: &QLayer, opts: CompileOptions) -> Result<CompiledLayer, CompileError> {
    let max = 1usize << regmap::DIM_LOG2_MAX;
    if layer.cols > max || layer.cols == 0 || layer.rows == 0 {
        return Err(CompileError::Shape {
            layer: i,
            rows: layer.rows,
            cols: layer.cols,
            max,
        });
    }
    if layer.weights.len() != layer.rows * layer.cols || layer.bias.len() != layer.rows {
        return Err(CompileError::Layer {
            layer: i,
            message: format!(
                "{} weights and {} biases for {} x {}",
                layer.weights.len(),
                layer.bias.len(),
                layer.rows,
                layer.cols
            ),
        });
    }
    let (map, indices, k) = code_weights(i, &layer.weights, opts.k)?;
    if let Some((index, &value)) = map
        .values()
        .iter()
        .enumerate()
        .find(|(_, v)| i16::try_from(**v).is_err())
    {
        return Err(CompileError::WeightRange { layer: i, index, value });
    }
    let zero_skip = opts.zero_skip && map.values().first().is_some_and(|&w0| regmap::zero_skip_valid(k, w0));
    Ok(CompiledLayer {
        rows: layer.rows,
        cols: layer.cols,
        k,
        shift: layer.shift,
        relu: layer.relu,
        zero_skip,
        vmap: map.values().to_vec(),
        indices,
        bias: layer.bias.clone(),
    })
}

impl CompiledLayer {
    /// FLAGS register value.
    pub fn flags(&self) -> u32 {
        regmap::flags(self.relu, self.zero_skip)
    }

    /// Stream bits of row `r` (its EG(k) codewords).
    pub fn row_bits(&self, r: usize) -> u64 {
        expgolomb::encoded_bits(&self.indices[r * self.cols..(r + 1) * self.cols], self.k)
    }

    /// The per-lane streams of rows `rows` for `lanes` lanes (`golden::layout`: the first of these
    /// rows goes to lane 0).
    pub fn layout(&self, rows: Range<usize>, lanes: usize) -> Result<LaneStreams, LayoutError> {
        layout::layout_indices(
            &self.indices[rows.start * self.cols..rows.end * self.cols],
            rows.len(),
            self.cols,
            self.k,
            lanes,
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use golden::infer::QLayer;

    fn layer(weights: Vec<i32>, rows: usize, cols: usize) -> QLayer {
        QLayer {
            rows,
            cols,
            weights,
            bias: vec![0; rows],
            shift: 3,
            relu: false,
        }
    }

    #[test]
    fn k_is_the_cheapest_the_decoder_supports() {
        // Mostly zeros: k = 0, index 0 the weight 0, zero-skip on.
        let w: Vec<i32> = (0..64).map(|i| if i % 8 == 0 { i / 8 - 4 } else { 0 }).collect();
        let c = compile_layer(0, &layer(w.clone(), 4, 16), CompileOptions::default()).unwrap();
        assert_eq!(c.k, expgolomb::best_k(&c.indices).0);
        assert_eq!((c.k, c.zero_skip, c.vmap[0]), (0, true, 0));
        assert_eq!(c.flags(), regmap::flags(false, true));
        assert_eq!(
            (0..4).map(|r| c.row_bits(r)).sum::<u64>(),
            expgolomb::encoded_bits(&c.indices, 0)
        );
        // Zero-skip asked off, or k forced above 0: off.
        let off = CompileOptions {
            k: KChoice::Auto,
            zero_skip: false,
        };
        assert!(!compile_layer(0, &layer(w.clone(), 4, 16), off).unwrap().zero_skip);
        let k2 = CompileOptions {
            k: KChoice::Fixed(2),
            zero_skip: true,
        };
        let c2 = compile_layer(0, &layer(w, 4, 16), k2).unwrap();
        assert_eq!((c2.k, c2.zero_skip), (2, false));
        // Index 0 not the weight 0 (every weight 5 but one): no zero-skip at k = 0.
        let w: Vec<i32> = (0..16).map(|i| if i == 3 { 1 } else { 5 }).collect();
        let c = compile_layer(0, &layer(w, 1, 16), CompileOptions::default()).unwrap();
        assert_eq!((c.k, c.vmap[0], c.zero_skip), (0, 5, false));
    }

    #[test]
    fn limits_name_the_layer() {
        let e = compile_layer(2, &layer(vec![0; 2049], 1, 2049), CompileOptions::default()).unwrap_err();
        assert!(e.to_string().contains("layer 2 has 2049 inputs"), "{e}");
        assert!(compile_layer(2, &layer(vec![0; 2048], 1, 2048), CompileOptions::default()).is_ok());
        let e = compile_layer(1, &layer(vec![40_000, 1], 1, 2), CompileOptions::default()).unwrap_err();
        assert_eq!(
            e,
            CompileError::WeightRange {
                layer: 1,
                index: 1,
                value: 40_000
            }
        );
        // 5000 distinct weights: index 4999 needs 12 prefix zeros at k = 0, beyond M_MAX = 11.
        let w: Vec<i32> = (0..5000).collect();
        let fixed0 = CompileOptions {
            k: KChoice::Fixed(0),
            zero_skip: true,
        };
        let e = compile_layer(0, &layer(w.clone(), 20, 250), fixed0).unwrap_err();
        assert_eq!(e, CompileError::UnsupportedK { layer: 0, k: 0 });
        let c = compile_layer(0, &layer(w, 20, 250), CompileOptions::default()).unwrap();
        assert!(c.k >= 1 && regmap::k_supported(4999, c.k));
    }
}
