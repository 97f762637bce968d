//! Shared by the co-simulation tests: random layers and the expected first error of a stream.
#![allow(dead_code)]

use golden::expgolomb::{self, EgError};
use golden::infer::{QLayer, QModel};
use golden::layout;
use hdl::regmap::{self, ErrorCode};
use proptest::prelude::*;

/// splitmix64: a tiny deterministic generator for bulk random data inside a proptest case.
pub struct Rng(pub u64);

impl Rng {
    pub fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    /// Uniform in 0..n (n > 0).
    pub fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
    pub fn i8(&mut self) -> i8 {
        self.next() as i8
    }
}

/// Parameters of a random layer.
#[derive(Debug, Clone)]
pub struct LayerSpec {
    pub rows: usize,
    pub cols: usize,
    /// Percentage of zero weights, 0..=99.
    pub sparsity: u64,
    /// Distinct non-zero weights.
    pub distinct: usize,
    pub seed: u64,
}

pub fn layer_spec(max_dim: usize) -> impl Strategy<Value = LayerSpec> {
    (1..=max_dim, 1..=max_dim, 0u64..=99, 1usize..=64, any::<u64>()).prop_map(
        |(rows, cols, sparsity, distinct, seed)| LayerSpec {
            rows,
            cols,
            sparsity,
            distinct,
            seed,
        },
    )
}

/// A random layer: weights drawn from `distinct` non-zero 16-bit values plus zeros at the given rate,
/// random biases, shift and ReLU.
pub fn random_layer(spec: &LayerSpec, rng: &mut Rng) -> QLayer {
    let mut values = Vec::new();
    while values.len() < spec.distinct {
        let v = (rng.next() as i16) as i32 >> rng.below(12);
        if v != 0 && !values.contains(&v) {
            values.push(v);
        }
    }
    let weights = (0..spec.rows * spec.cols)
        .map(|_| {
            if rng.below(100) < spec.sparsity {
                0
            } else {
                values[rng.below(values.len() as u64) as usize]
            }
        })
        .collect();
    let bias = (0..spec.rows)
        .map(|_| (rng.next() as i32) >> (8 + rng.below(16)))
        .collect();
    QLayer {
        rows: spec.rows,
        cols: spec.cols,
        weights,
        bias,
        shift: rng.below(20) as u32,
        relu: rng.below(2) == 1,
    }
}

/// A one- or two-layer model from `spec` (the second layer reads the first's rows).
pub fn random_model(spec: &LayerSpec, two_layers: bool, rng: &mut Rng) -> QModel {
    let mut layers = vec![random_layer(spec, rng)];
    if two_layers {
        let spec2 = LayerSpec {
            rows: 1 + rng.below(12) as usize,
            cols: spec.rows,
            ..spec.clone()
        };
        layers.push(random_layer(&spec2, rng));
    }
    QModel {
        layers,
        input_scale: 1.0,
        step_bits: 8,
    }
}

pub fn random_input(cols: usize, rng: &mut Rng) -> Vec<i8> {
    (0..cols).map(|_| rng.i8()).collect()
}

/// Prefix zeros of the EG(k) codeword of v.
pub fn prefix_zeros(v: u32, k: u32) -> u32 {
    31 - ((v >> k) + 1).leading_zeros()
}

/// Zero bits from bit `pos` to the first one or the end of `bytes`.
fn zeros_from(bytes: &[u8], pos: u64) -> u64 {
    let len = bytes.len() as u64 * 8;
    let mut p = pos;
    while p < len && bytes[(p / 8) as usize] & (0x80 >> (p % 8)) == 0 {
        p += 1;
    }
    p - pos
}

/// Where and why the accelerator must stop on a lane stream of `count` codewords, by golden's decoder
/// (`golden::expgolomb::decode`, which gives the index and bit of a bad codeword) plus the hardware's
/// limits: more than M_MAX prefix zeros is TooLong, an index not below `vmap_len` is IndexRange, a
/// codeword running past the stream is PastEnd. `None`: the stream is good.
pub fn first_error(words: &[u32], count: usize, k: u32, vmap_len: usize) -> Option<(usize, ErrorCode)> {
    let bytes = layout::bytes_from_words(words);
    // The codewords golden decodes before its own error (if any), and that error.
    let len_bits = bytes.len() as u64 * 8;
    let (values, golden_err) = match expgolomb::decode(&bytes, k, count) {
        Ok(v) => (v, None),
        Err(EgError::TooShort { .. }) => {
            // Fewer bits than `count` shortest codewords: decode what can fit, the next one is cut.
            let fit = (len_bits / u64::from(k + 1)) as usize;
            match expgolomb::decode(&bytes, k, fit) {
                Ok(v) => {
                    let pos = expgolomb::encoded_bits(&v, k);
                    (v, Some((fit, pos, false)))
                }
                Err(e) => split(&bytes, k, e),
            }
        }
        Err(e) => split(&bytes, k, e),
    };
    for (i, &v) in values.iter().enumerate() {
        if prefix_zeros(v, k) > regmap::M_MAX {
            return Some((i, ErrorCode::TooLong));
        }
        if v as usize >= vmap_len {
            return Some((i, ErrorCode::IndexRange));
        }
    }
    let (index, position, too_long) = golden_err?;
    if too_long || zeros_from(&bytes, position) > u64::from(regmap::M_MAX) {
        Some((index, ErrorCode::TooLong))
    } else {
        Some((index, ErrorCode::PastEnd))
    }
}

/// The codewords before golden's error, and (index, bit position, prefix too long) of the error.
fn split(bytes: &[u8], k: u32, e: EgError) -> (Vec<u32>, Option<(usize, u64, bool)>) {
    let (index, position, too_long) = match e {
        EgError::PrefixTooLong { index, position, .. } => (index, position, true),
        EgError::Overflow { index, position } => (index, position, true),
        EgError::Truncated { index, position, .. } => (index, position, false),
        other => panic!("unexpected golden error {other}"),
    };
    let before = expgolomb::decode(bytes, k, index).expect("the codewords before the first error decode");
    (before, Some((index, position, too_long)))
}
