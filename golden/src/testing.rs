//! Test fixtures shared by the workspace's tests (golden's, hdl's and sim's unit tests, the root
//! integration tests and the fuzz targets): one deterministic generator, one random layer, one CRC-32.
//!
//! Nothing here is part of the codec or the inference; it exists so that every test draws its random
//! layers the same way and checks containers with a CRC computed independently of the reader.
use crate::infer::{QLayer, QModel};

/// splitmix64: a tiny deterministic generator for bulk random data (also inside a proptest case,
/// seeded from one of its values).
#[derive(Debug, Clone)]
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
    /// Percentage of zero weights, 0..=99 (100: all zero).
    pub sparsity: u64,
    /// Distinct non-zero weights.
    pub distinct: usize,
    /// The seed a caller starts its [`Rng`] from (not read by [`random_layer`]).
    pub seed: u64,
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
            if values.is_empty() || rng.below(100) < spec.sparsity {
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

/// A random layer of `rows` x `cols` with about `zero_pct` % zero weights and up to 64 distinct
/// non-zero values, drawn from `Rng(seed)`, and the generator after it (for the inputs).
pub fn sparse_layer(seed: u64, rows: usize, cols: usize, zero_pct: u64) -> (QLayer, Rng) {
    let spec = LayerSpec {
        rows,
        cols,
        sparsity: zero_pct,
        distinct: 64,
        seed,
    };
    let mut rng = Rng(seed);
    (random_layer(&spec, &mut rng), rng)
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

/// A model of `dims` (input width first) drawn with ChaCha8 from `seed`: each weight is 0 with
/// probability 1/2, else uniform in `-spread..=spread`; biases in `-500..500`; shift 6, ReLU.
/// Deterministic for a seed (host's image tests pin the CRC of images built from it).
pub fn half_sparse_model(seed: u64, dims: &[usize], spread: i32) -> QModel {
    use rand::{Rng as _, SeedableRng};
    let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(seed);
    let mut layer = |rows: usize, cols: usize| QLayer {
        rows,
        cols,
        weights: (0..rows * cols)
            .map(|_| {
                if rng.random_bool(0.5) {
                    0
                } else {
                    rng.random_range(-spread..=spread)
                }
            })
            .collect(),
        bias: (0..rows).map(|_| rng.random_range(-500..500)).collect(),
        shift: 6,
        relu: true,
    };
    QModel {
        layers: dims.windows(2).map(|d| layer(d[1], d[0])).collect(),
        input_scale: 1.0,
        step_bits: 8,
    }
}

/// `cols` random int8 inputs.
pub fn random_input(cols: usize, rng: &mut Rng) -> Vec<i8> {
    (0..cols).map(|_| rng.i8()).collect()
}

/// CRC-32 (IEEE), the container's checksum, bit by bit: computed independently of the reader's
/// (`crc32fast`), to build containers by hand.
pub fn crc32(bytes: &[u8]) -> u32 {
    let mut crc = !0u32;
    for &byte in bytes {
        crc ^= u32::from(byte);
        for _ in 0..8 {
            crc = if crc & 1 != 0 {
                (crc >> 1) ^ 0xEDB8_8320
            } else {
                crc >> 1
            };
        }
    }
    !crc
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn crc32_matches_the_check_value_and_crc32fast() {
        // The CRC-32/ISO-HDLC check value.
        assert_eq!(crc32(b"123456789"), 0xCBF4_3926);
        let data: Vec<u8> = (0..1000u32).map(|i| (i * 7 + 3) as u8).collect();
        assert_eq!(crc32(&data), crc32fast::hash(&data));
        assert_eq!(crc32(&[]), 0);
    }

    #[test]
    fn random_layer_follows_its_spec() {
        let spec = LayerSpec {
            rows: 30,
            cols: 40,
            sparsity: 70,
            distinct: 5,
            seed: 9,
        };
        let mut rng = Rng(spec.seed);
        let l = random_layer(&spec, &mut rng);
        assert_eq!((l.rows, l.cols, l.weights.len(), l.bias.len()), (30, 40, 1200, 30));
        let mut distinct: Vec<i32> = l.weights.iter().copied().filter(|&w| w != 0).collect();
        distinct.sort_unstable();
        distinct.dedup();
        assert!(distinct.len() <= 5 && !distinct.is_empty(), "{distinct:?}");
        assert!(l.weights.iter().all(|&w| i16::try_from(w).is_ok()));
        let zeros = l.weights.iter().filter(|&&w| w == 0).count();
        assert!((700..=980).contains(&zeros), "{zeros} zeros of 1200 at 70 %");
        assert!(l.shift < 20);
        // Deterministic for a seed.
        let again = random_layer(&spec, &mut Rng(spec.seed));
        assert_eq!((again.weights, again.bias, again.shift), (l.weights, l.bias, l.shift));
    }
}
