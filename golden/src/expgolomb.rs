//! k-th order exp-Golomb codes EG(k), k = 0..=15 (docs/codec.md, bit-level conventions).
//!
//! EG(k)(v) = EG(0)(v >> k) followed by the k low bits of v, where EG(0) is H.264's ue(v)
//! (ITU-T H.264, clause 9.1): with x = (v >> k) + 1 and m = floor(log2 x), m zeros, then x in
//! m + 1 bits (its leading one ends the prefix), then the k low bits of v. The length is
//! 2m + 1 + k. Bits are MSB-first.
//!
//! Values are `u32`, so x ≤ 2^(32-k) and a codeword has at most m = 32 - k leading zeros
//! (65 - k bits in all); with exactly 32 - k zeros the only value that fits in 32 bits has x =
//! 2^(32-k). The decoders reject a longer zero prefix, a value above `u32::MAX`, and a stream
//! that ends inside a codeword, each with the index of the codeword and the bit where it starts.
//! Trailing bits after the last codeword (the byte padding, or more) are not read.
//!
//! [`write`] is the one encoder: [`encode`] runs it into a [`BitWriter`], [`encoded_bits`] into
//! a [`BitCounter`], so cost and bits cannot disagree. [`decode`] is the fast decoder (the
//! multi-symbol table of [`crate::chunks`], 14-bit windows of up to four short codewords, a
//! leading-zero count for the rest, a 64-bit buffer refilled a word at a time); [`decode_ref`]
//! is the bit-by-bit reference on a bitvec, and the two agree on every input, errors included.

use crate::bits::{mask, BitCounter, BitReader, BitSink, BitWriter, RefReader, RefWriter};
use crate::chunks::{self, Lane, MultiTable};
use std::sync::OnceLock;
use thiserror::Error;

/// Largest order k.
pub const MAX_K: u32 = 15;

/// Errors of the EG decoders.
#[derive(Debug, Error, Clone, PartialEq, Eq)]
pub enum EgError {
    /// The order is above [`MAX_K`].
    #[error("exp-Golomb order k = {k} is outside 0..={MAX_K}")]
    BadK {
        /// The requested order.
        k: u32,
    },
    /// The stream is too short for the requested count even at one shortest codeword each.
    #[error("{count} EG({k}) codewords need at least {min_bits} bits, the stream has {len_bits}")]
    TooShort {
        /// Requested codewords.
        count: usize,
        /// The order.
        k: u32,
        /// count · (k + 1).
        min_bits: u64,
        /// Stream length in bits.
        len_bits: u64,
    },
    /// A codeword starts with more zeros than a 32-bit value allows.
    #[error("codeword {index} at bit {position}: more than {max_zeros} leading zeros")]
    PrefixTooLong {
        /// Index of the codeword.
        index: usize,
        /// Bit where it starts.
        position: u64,
        /// 32 - k.
        max_zeros: u32,
    },
    /// The stream ends inside a codeword.
    #[error("codeword {index} at bit {position}: stream ends inside it ({len_bits}-bit stream)")]
    Truncated {
        /// Index of the codeword.
        index: usize,
        /// Bit where it starts.
        position: u64,
        /// Stream length in bits.
        len_bits: u64,
    },
    /// [`decode_at`] was given a different number of chunk starts and outputs.
    #[error("{starts} chunk starts but {outputs} outputs")]
    Chunks {
        /// Starts given.
        starts: usize,
        /// Outputs given.
        outputs: usize,
    },
    /// A codeword with the longest prefix decodes to a value above `u32::MAX`.
    #[error("codeword {index} at bit {position}: value does not fit in 32 bits")]
    Overflow {
        /// Index of the codeword.
        index: usize,
        /// Bit where it starts.
        position: u64,
    },
}

/// Checks the order.
pub fn check_k(k: u32) -> Result<(), EgError> {
    if k > MAX_K {
        Err(EgError::BadK { k })
    } else {
        Ok(())
    }
}

/// `x = (v >> k) + 1` and `m = floor(log2 x)`.
#[inline(always)]
fn prefix(v: u32, k: u32) -> (u64, u32) {
    let x = u64::from(v >> k) + 1;
    (x, 63 - x.leading_zeros())
}

/// Length in bits of the EG(k) codeword of `v`: 2·floor(log2((v >> k) + 1)) + 1 + k.
#[inline(always)]
pub fn codeword_len(v: u32, k: u32) -> u32 {
    debug_assert!(k <= MAX_K);
    let (_, m) = prefix(v, k);
    2 * m + 1 + k
}

/// Bits of the EG(k) code of a stream in which value v occurs `counts[v]` times:
/// Σ counts[v] · [`codeword_len`](v, k), equal to [`encoded_bits`] of any such stream, in time of
/// the alphabet rather than the stream.
pub fn bits_for_counts(counts: &[u64], k: u32) -> u64 {
    (0u32..)
        .zip(counts)
        .map(|(v, &c)| c * u64::from(codeword_len(v, k)))
        .sum()
}

/// [`best_k`] from the counts of each value ([`bits_for_counts`]): the same order and bits.
pub fn best_k_for_counts(counts: &[u64]) -> (u32, u64) {
    (0..=MAX_K)
        .map(|k| (k, bits_for_counts(counts, k)))
        .min_by_key(|&(k, bits)| (bits, k))
        .expect("MAX_K >= 0")
}

/// The EG(k) codeword of `v` as (its value, its length in bits): `len` bits whose low
/// m+1+k bits are `x` then the k low bits of `v`, after m leading zeros ([`codeword_len`]; the
/// length exceeds 64 only for k = 0 and v = `u32::MAX`).
#[inline(always)]
pub fn codeword(v: u32, k: u32) -> (u64, u32) {
    debug_assert!(k <= MAX_K);
    let (x, m) = prefix(v, k);
    ((x << k) | (u64::from(v) & mask(k)), 2 * m + 1 + k)
}

/// Writes the EG(k) codeword of `v` to any [`BitSink`].
///
/// # Panics
/// If `k > MAX_K` (a caller bug: validate user input with [`check_k`]).
#[inline(always)]
pub fn write<S: BitSink>(sink: &mut S, v: u32, k: u32) {
    assert!(k <= MAX_K, "exp-Golomb order k = {k} is outside 0..={MAX_K}");
    let (tail, len) = codeword(v, k);
    let m = (len - 1 - k) / 2;
    // The m leading zeros are implicit in `put`.
    if len <= 64 {
        sink.put(tail, len);
    } else {
        // Only k = 0, v = u32::MAX: 32 zeros then 33 bits.
        sink.put(0, m);
        sink.put(tail, m + 1 + k);
    }
}

/// Encodes `values` with EG(k), MSB-first, zero-padded to a byte.
///
/// # Panics
/// If `k > MAX_K`.
pub fn encode(values: &[u32], k: u32) -> Vec<u8> {
    let mut w = BitWriter::with_capacity_bits(values.len() as u64 * u64::from(k + 3));
    for &v in values {
        write(&mut w, v, k);
    }
    w.finish()
}

/// [`encode`] through the bit-by-bit reference writer.
///
/// # Panics
/// If `k > MAX_K`.
pub fn encode_ref(values: &[u32], k: u32) -> Vec<u8> {
    let mut w = RefWriter::new();
    for &v in values {
        write(&mut w, v, k);
    }
    w.finish()
}

/// Bits of the EG(k) code of `values` (without the byte padding), counted by [`write`].
///
/// # Panics
/// If `k > MAX_K`.
pub fn encoded_bits(values: &[u32], k: u32) -> u64 {
    let mut c = BitCounter::new();
    for &v in values {
        write(&mut c, v, k);
    }
    c.bit_len()
}

/// How the order k of a stream is chosen: the one choice that the container, the statistics and
/// the accelerator's layer compiler share.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KChoice {
    /// This k.
    Fixed(u32),
    /// The k with the fewest bits ([`best_k`], or [`best_k_where`] where a decoder limits k).
    Auto,
}

/// The order k in `0..=MAX_K` with the fewest bits for `values` (the smallest such k on ties),
/// and that bit count, both counted by [`write`].
pub fn best_k(values: &[u32]) -> (u32, u64) {
    best_k_where(values, |_| true).unwrap_or((0, 0))
}

/// [`best_k`] among the orders for which `allowed(k)` holds (a decoder's limits), or `None` if
/// none does.
pub fn best_k_where(values: &[u32], allowed: impl Fn(u32) -> bool) -> Option<(u32, u64)> {
    (0..=MAX_K)
        .filter(|&k| allowed(k))
        .map(|k| (k, encoded_bits(values, k)))
        .min_by_key(|&(k, bits)| (bits, k))
}

/// Checks `k` and that `count` codewords can fit (each is at least k + 1 bits), so that a bad
/// count cannot make the decoder allocate more than the stream could hold.
fn check_args(bytes: &[u8], k: u32, count: usize) -> Result<(), EgError> {
    check_k(k)?;
    check_room(k, count, bytes.len() as u64 * 8)
}

/// Err unless `count` EG(k) codewords (each at least k + 1 bits) can fit in `len_bits` bits.
fn check_room(k: u32, count: usize, len_bits: u64) -> Result<(), EgError> {
    let min_bits = (count as u64).saturating_mul(u64::from(k + 1));
    if min_bits > len_bits {
        return Err(EgError::TooShort {
            count,
            k,
            min_bits,
            len_bits,
        });
    }
    Ok(())
}

/// The bit-by-bit reference decoder: reads `count` EG(k) codewords.
pub fn decode_ref(bytes: &[u8], k: u32, count: usize) -> Result<Vec<u32>, EgError> {
    check_args(bytes, k, count)?;
    let mut r = RefReader::new(bytes);
    let len_bits = r.len_bits();
    let max_zeros = 32 - k;
    let mut out = Vec::with_capacity(count);
    for index in 0..count {
        let position = r.position();
        let truncated = EgError::Truncated {
            index,
            position,
            len_bits,
        };
        let mut m = 0u32;
        loop {
            match r.read_bit() {
                Ok(true) => break,
                Ok(false) => {
                    m += 1;
                    if m > max_zeros {
                        return Err(EgError::PrefixTooLong {
                            index,
                            position,
                            max_zeros,
                        });
                    }
                }
                Err(_) => return Err(truncated),
            }
        }
        let info = r.read(m).map_err(|_| truncated.clone())?;
        let low = r.read(k).map_err(|_| truncated.clone())?;
        let x = (1u64 << m) | info;
        let v = ((x - 1) << k) | low;
        if v > u64::from(u32::MAX) {
            return Err(EgError::Overflow { index, position });
        }
        out.push(v as u32);
    }
    Ok(out)
}

/// One multi-symbol table per k, built on first use.
static TABLES: [OnceLock<MultiTable>; (MAX_K + 1) as usize] = [const { OnceLock::new() }; (MAX_K + 1) as usize];

fn table(k: u32) -> &'static MultiTable {
    TABLES[k as usize].get_or_init(|| {
        MultiTable::from_first(|w| {
            // The first codeword of a left-aligned window: m zeros, then m + 1 + k bits.
            let m = w.leading_zeros();
            (m + 1 + k <= 32).then(|| {
                let combined = (w << m) >> (64 - (m + 1 + k));
                ((combined - (1u64 << k)) as u32, 2 * m + 1 + k)
            })
        })
    })
}

/// Decodes one codeword with every bound checked (the tail of [`decode`]).
fn decode_one_checked(r: &mut BitReader, k: u32, index: usize) -> Result<u32, EgError> {
    let position = r.position();
    let len_bits = r.len_bits();
    let max_zeros = 32 - k;
    r.refill();
    let remaining = r.remaining();
    let m = r.peek_word().leading_zeros();
    // Zeros that are really in the stream (the buffer is zero-filled past the end).
    let real_zeros = u64::from(m).min(remaining);
    if real_zeros > u64::from(max_zeros) {
        return Err(EgError::PrefixTooLong {
            index,
            position,
            max_zeros,
        });
    }
    if u64::from(2 * m + 1 + k) > remaining {
        return Err(EgError::Truncated {
            index,
            position,
            len_bits,
        });
    }
    r.consume(m);
    let combined = r.read(m + 1 + k).map_err(|_| EgError::Truncated {
        index,
        position,
        len_bits,
    })?;
    let v = combined - (1u64 << k);
    if v > u64::from(u32::MAX) {
        return Err(EgError::Overflow { index, position });
    }
    Ok(v as u32)
}

/// The fast decoder: reads `count` EG(k) codewords from `bytes`.
pub fn decode(bytes: &[u8], k: u32, count: usize) -> Result<Vec<u32>, EgError> {
    check_args(bytes, k, count)?;
    let mut out = vec![0u32; count];
    decode_into(bytes, k, &mut out)?;
    Ok(out)
}

/// [`decode`] into a caller's buffer: reads `out.len()` codewords (no allocation).
pub fn decode_into(bytes: &[u8], k: u32, out: &mut [u32]) -> Result<(), EgError> {
    check_k(k)?;
    chunks::decode_one(&Eg { table: table(k), k }, bytes, out).map(drop)
}

/// Decodes the chunks of one EG(k) stream that start at known bits (a container's chunk index):
/// chunk j starts at bit `starts[j]` of `bytes` and holds `outs[j].len()` codewords; codewords
/// are numbered across the chunks in order. Groups of [`chunks::INTERLEAVE`] chunks run in turn
/// on every core. Returns the bit where each chunk's last codeword ends (its start for an empty
/// chunk), for the caller to check that each chunk ends where the next starts. An error is the
/// lowest erring chunk's: what [`decode_ref`] gives for the bits from the chunk's start, with the
/// codeword's stream-wide index and bit position.
pub fn decode_at(bytes: &[u8], k: u32, starts: &[u64], outs: &mut [&mut [u32]]) -> Result<Vec<u64>, EgError> {
    if starts.len() != outs.len() {
        return Err(EgError::Chunks {
            starts: starts.len(),
            outputs: outs.len(),
        });
    }
    check_k(k)?;
    chunks::decode_chunks(&Eg { table: table(k), k }, bytes, starts, outs)
}

/// The fast EG(k) decoder of [`chunks`]: its multi-symbol table and long-codeword path.
struct Eg {
    table: &'static MultiTable,
    k: u32,
}

impl chunks::ChunkDecoder for Eg {
    type Error = EgError;

    fn check_room(&self, count: usize, bits: u64) -> Result<(), EgError> {
        check_room(self.k, count, bits)
    }

    fn table(&self) -> &MultiTable {
        self.table
    }

    /// A codeword longer than the window: count its zeros with >= 56 real bits.
    #[cold]
    #[inline(never)]
    fn long(&self, bytes: &[u8], lane: &mut Lane, out: &mut [u32]) -> Result<(), EgError> {
        let k = self.k;
        let max_zeros = 32 - k;
        lane.refill(bytes);
        let position = lane.position();
        let index = lane.base + lane.i;
        let m = lane.buf.leading_zeros();
        if m > max_zeros {
            return Err(EgError::PrefixTooLong {
                index,
                position,
                max_zeros,
            });
        }
        let rest = m + 1 + k; // <= 33
        lane.consume(m);
        if lane.avail < rest {
            lane.refill(bytes);
        }
        let combined = lane.buf >> (64 - rest);
        lane.consume(rest);
        let v = combined - (1u64 << k);
        if v > u64::from(u32::MAX) {
            return Err(EgError::Overflow { index, position });
        }
        out[lane.i] = v as u32;
        lane.i += 1;
        Ok(())
    }

    fn finish(&self, bytes: &[u8], lane: &Lane, out: &mut [u32]) -> Result<u64, EgError> {
        if lane.i == out.len() {
            return Ok(lane.position());
        }
        let mut r = BitReader::at_bit(bytes, lane.position());
        for (i, slot) in out.iter_mut().enumerate().skip(lane.i) {
            *slot = decode_one_checked(&mut r, self.k, lane.base + i)?;
        }
        Ok(r.position())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn bitstring(bytes: &[u8], nbits: usize) -> String {
        (0..nbits)
            .map(|i| if bytes[i / 8] >> (7 - i % 8) & 1 == 1 { '1' } else { '0' })
            .collect()
    }

    #[test]
    fn h264_ue_known_codewords() {
        // ITU-T H.264 (08/2021) clause 9.1, Table 9-2: codeNum 0..8.
        let expect = [
            "1", "010", "011", "00100", "00101", "00110", "00111", "0001000", "0001001",
        ];
        for (v, e) in expect.iter().enumerate() {
            let bytes = encode(&[v as u32], 0);
            assert_eq!(bitstring(&bytes, e.len()), *e, "v = {v}");
            assert_eq!(codeword_len(v as u32, 0) as usize, e.len());
        }
        let all = encode(&[0, 1, 2, 3, 4], 0);
        assert_eq!(bitstring(&all, 16), "1010011001000010");
    }

    #[test]
    fn eg_k_known_codewords() {
        // EG(1): v>>1 in EG(0), then the low bit.
        assert_eq!(bitstring(&encode(&[0], 1), 2), "10");
        assert_eq!(bitstring(&encode(&[1], 1), 2), "11");
        assert_eq!(bitstring(&encode(&[2], 1), 4), "0100");
        assert_eq!(bitstring(&encode(&[5], 1), 4), "0111");
        assert_eq!(bitstring(&encode(&[6], 2), 5), "01010");
    }

    #[test]
    fn extremes_round_trip() {
        for k in 0..=MAX_K {
            let vals = [u32::MAX, 0, u32::MAX - 1, 1 << 31, (1 << 31) - 1, 12345];
            let bytes = encode(&vals, k);
            assert_eq!(
                encoded_bits(&vals, k),
                vals.iter().map(|&v| u64::from(codeword_len(v, k))).sum::<u64>()
            );
            assert_eq!(codeword_len(u32::MAX, k), 65 - k);
            assert_eq!(decode(&bytes, k, vals.len()).unwrap(), vals);
            assert_eq!(decode_ref(&bytes, k, vals.len()).unwrap(), vals);
            assert_eq!(encode_ref(&vals, k), bytes);
        }
    }

    #[test]
    fn best_k_picks_fewest_bits() {
        assert_eq!(best_k(&[]), (0, 0));
        assert_eq!(best_k(&[0, 0, 1]), (0, 5));
        let wide: Vec<u32> = (0..64).collect();
        let (k, bits) = best_k(&wide);
        assert_eq!(bits, (0..=MAX_K).map(|k| encoded_bits(&wide, k)).min().unwrap());
        assert_eq!(encoded_bits(&wide, k), bits);
        assert!(k > 0);
    }

    #[test]
    fn long_stream_uses_fast_path() {
        let vals: Vec<u32> = (0..5000u32)
            .map(|i| i.wrapping_mul(2_654_435_761) >> (i % 32))
            .collect();
        for k in [0, 3, 15] {
            let bytes = encode(&vals, k);
            assert_eq!(decode(&bytes, k, vals.len()).unwrap(), vals);
        }
    }

    #[test]
    fn errors_say_where() {
        // 33 zeros then a one: too long for k = 0.
        let bytes = [0, 0, 0, 0, 0x40, 0, 0, 0, 0];
        let e = decode(&bytes, 0, 1).unwrap_err();
        assert_eq!(
            e,
            EgError::PrefixTooLong {
                index: 0,
                position: 0,
                max_zeros: 32
            }
        );
        assert_eq!(decode_ref(&bytes, 0, 1).unwrap_err(), e);
        // "1" then "010" then a cut codeword "001".
        let bytes = [0b1010_0010];
        let e = decode(&bytes, 0, 3).unwrap_err();
        assert_eq!(
            e,
            EgError::Truncated {
                index: 2,
                position: 4,
                len_bits: 8
            }
        );
        assert_eq!(decode_ref(&bytes, 0, 3).unwrap_err(), e);
        assert_eq!(
            e.to_string(),
            "codeword 2 at bit 4: stream ends inside it (8-bit stream)"
        );
        // 32 zeros, then x = 2^32 + 1: value 2^32 does not fit.
        let mut w = BitWriter::new();
        w.put(0, 32);
        w.put((1 << 32) | 1, 33);
        let bytes = w.finish();
        assert_eq!(
            decode(&bytes, 0, 1).unwrap_err(),
            EgError::Overflow { index: 0, position: 0 }
        );
        assert_eq!(
            decode_ref(&bytes, 0, 1).unwrap_err(),
            EgError::Overflow { index: 0, position: 0 }
        );
        assert_eq!(decode(&[0xff], 16, 1).unwrap_err(), EgError::BadK { k: 16 });
        assert!(matches!(
            decode(&[0xff], 0, 9),
            Err(EgError::TooShort { min_bits: 9, .. })
        ));
        assert!(matches!(decode(&[], 0, usize::MAX), Err(EgError::TooShort { .. })));
        assert_eq!(decode(&[], 3, 0).unwrap(), Vec::<u32>::new());
    }
}
