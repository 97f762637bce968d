//! What the tests of this binary share: golden's random layers (`golden::testing`) with a proptest
//! strategy for their shapes, the expected first error of a stream (co-simulation), and the
//! `backslash` binary with a small digits model trained by `backslash train` (end-to-end CLI tests).
#![allow(dead_code)]

use assert_cmd::Command;
use golden::expgolomb::{self, EgError};
use golden::layout;
pub use golden::testing::{crc32, random_input, random_layer, random_model, sparse_layer, LayerSpec, Rng};
use hdl::regmap::{self, ErrorCode};
use proptest::prelude::*;
use std::path::{Path, PathBuf};

/// A proptest strategy for [`LayerSpec`]: 1..=`max_dim` rows and columns, sparsity 0-99 %, 1-64
/// distinct weights, any seed.
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

/// The `backslash` binary of this build.
pub fn backslash() -> Command {
    Command::cargo_bin("backslash").unwrap()
}

/// Trains a digits MLP (64-`hidden`-10) for `epochs` epochs into `dir/digits.safetensors`.
pub fn train_digits(dir: &Path, hidden: u32, epochs: u32, seed: u64) -> PathBuf {
    let model = dir.join("digits.safetensors");
    backslash()
        .args([
            "train",
            "--dataset",
            "digits",
            "--hidden",
            &hidden.to_string(),
            "--epochs",
            &epochs.to_string(),
        ])
        .args(["--seed", &seed.to_string(), "-o"])
        .arg(&model)
        .assert()
        .success();
    model
}

/// A random MLP of layer widths `dims` (inputs first), each layer `sparsity` % zeros with
/// `distinct` weight values; layer i uses seed `seed_base + i`, all draw from `rng`.
pub fn random_mlp(
    dims: &[usize],
    sparsity: u64,
    distinct: usize,
    seed_base: u64,
    rng: &mut golden::testing::Rng,
) -> golden::infer::QModel {
    let layers = dims
        .windows(2)
        .enumerate()
        .map(|(i, d)| {
            let spec = LayerSpec {
                rows: d[1],
                cols: d[0],
                sparsity,
                distinct,
                seed: seed_base + i as u64,
            };
            golden::testing::random_layer(&spec, rng)
        })
        .collect();
    golden::infer::QModel {
        layers,
        input_scale: 1.0,
        step_bits: 8,
    }
}
