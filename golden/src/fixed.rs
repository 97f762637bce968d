//! Baselines: the fixed-length code over the value map, and the empirical entropy.
//!
//! A fixed-length code gives every index ceil(log2(distinct)) bits. A one-symbol (or empty)
//! alphabet takes 0 bits per symbol: the value map alone reconstructs the tensor, and the
//! symbol count is in the container header.

use crate::bits::{BitReader, BitSink, BitWriter, BitsError};
use rayon::prelude::*;

/// Bits per symbol of a fixed-length code over `distinct` symbols: ceil(log2(distinct)), and 0
/// for 0 or 1 symbols.
pub fn fixed_bits_per_symbol(distinct: usize) -> u32 {
    if distinct <= 1 {
        0
    } else {
        usize::BITS - (distinct - 1).leading_zeros()
    }
}

/// Empirical entropy in bits per symbol, -Σ p log2 p over the non-zero counts (0 for no symbols).
pub fn entropy_bits(counts: &[u64]) -> f64 {
    let total: f64 = counts.iter().map(|&c| c as f64).sum();
    if total == 0.0 {
        return 0.0;
    }
    let h: f64 = counts
        .iter()
        .filter(|&&c| c > 0)
        .map(|&c| {
            let p = c as f64 / total;
            -p * p.log2()
        })
        .sum();
    h.max(0.0)
}

/// Total entropy in bits of a tensor with these index counts (Σ count · -log2 p).
pub fn entropy_total_bits(counts: &[u64]) -> f64 {
    let n: u64 = counts.iter().sum();
    entropy_bits(counts) * n as f64
}

/// Packs `indices` in `bits` bits each (`bits` in `0..=32`), MSB-first, zero-padded to a byte.
pub fn encode_fixed(indices: &[u32], bits: u32) -> Vec<u8> {
    let mut w = BitWriter::with_capacity_bits(indices.len() as u64 * u64::from(bits));
    for &i in indices {
        w.put(u64::from(i), bits);
    }
    w.finish()
}

/// Reads `count` indices of `bits` bits each (`bits` in `0..=32`).
pub fn decode_fixed(bytes: &[u8], bits: u32, count: usize) -> Result<Vec<u32>, BitsError> {
    let len = bytes.len() as u64 * 8;
    let need = (count as u64).saturating_mul(u64::from(bits));
    if need > len || bits > 32 {
        return Err(BitsError::EndOfStream {
            position: 0,
            nbits: bits,
            len,
        });
    }
    let mut r = BitReader::new(bytes);
    (0..count).map(|_| r.read(bits).map(|v| v as u32)).collect()
}

/// Reads chunks of one fixed-length stream, on every core: chunk j starts at bit `starts[j]` and
/// holds `outs[j].len()` indices of `bits` bits each (`bits` in `0..=32`). Returns the bit where
/// each chunk ends. A chunk that does not fit in `bytes` is an error at its start (the lowest
/// such chunk's).
pub fn decode_fixed_at(
    bytes: &[u8],
    bits: u32,
    starts: &[u64],
    outs: &mut [&mut [u32]],
) -> Result<Vec<u64>, BitsError> {
    let len = bytes.len() as u64 * 8;
    let ends: Vec<Result<u64, BitsError>> = starts
        .par_iter()
        .zip(outs.par_iter_mut())
        .map(|(&start, out)| {
            let need = (out.len() as u64).saturating_mul(u64::from(bits));
            if bits > 32 || start > len || need > len - start {
                return Err(BitsError::EndOfStream {
                    position: start,
                    nbits: bits,
                    len,
                });
            }
            let mut r = BitReader::at_bit(bytes, start);
            for slot in out.iter_mut() {
                *slot = r.read(bits)? as u32;
            }
            Ok(start + need)
        })
        .collect();
    ends.into_iter().collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fixed_bits() {
        let cases = [
            (0, 0),
            (1, 0),
            (2, 1),
            (3, 2),
            (4, 2),
            (5, 3),
            (256, 8),
            (257, 9),
            (65536, 16),
        ];
        for (d, b) in cases {
            assert_eq!(fixed_bits_per_symbol(d), b, "distinct = {d}");
        }
    }

    #[test]
    fn entropy_known() {
        assert_eq!(entropy_bits(&[]), 0.0);
        assert_eq!(entropy_bits(&[7]), 0.0);
        assert!((entropy_bits(&[1, 1]) - 1.0).abs() < 1e-12);
        assert!((entropy_bits(&[2, 1, 1, 0]) - 1.5).abs() < 1e-12);
        assert!((entropy_total_bits(&[2, 1, 1]) - 6.0).abs() < 1e-12);
    }

    #[test]
    fn fixed_round_trip() {
        let idx = [0, 5, 7, 1, 3];
        let bytes = encode_fixed(&idx, 3);
        assert_eq!(bytes.len(), 2);
        assert_eq!(decode_fixed(&bytes, 3, 5).unwrap(), idx);
        assert!(decode_fixed(&bytes, 3, 6).is_err());
        assert_eq!(decode_fixed(&[], 0, 4).unwrap(), vec![0; 4]);
    }
}
