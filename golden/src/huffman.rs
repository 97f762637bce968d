//! Canonical Huffman code: a baseline against EG (paper Table 3).
//!
//! Code lengths are optimal under a length limit of [`MAX_CODE_LEN`] bits (package-merge,
//! Larmore & Hirschberg 1990), codes are assigned canonically (DEFLATE, RFC 1951 §3.2.2:
//! shorter codes first, then by symbol), bits MSB-first. Symbols with count 0 get no code. A
//! single-symbol alphabet gets a 1-bit code ("0"), so every coded symbol costs at least one bit.
//! The decoder looks up 11 bits in a table and walks the canonical limits for longer codes.

use crate::bits::{BitReader, BitSink, BitWriter};
use crate::chunks::{self, Lane, MultiTable};
use std::sync::OnceLock;
use thiserror::Error;

/// Longest code.
pub const MAX_CODE_LEN: u32 = 24;
/// Largest alphabet (package-merge keeps `MAX_CODE_LEN` flags per symbol).
pub const MAX_SYMBOLS: usize = 1 << 20;
const TABLE_BITS: u32 = 11;

/// Errors of the Huffman code.
#[derive(Debug, Error, Clone, PartialEq, Eq)]
pub enum HuffmanError {
    /// No symbol has a non-zero count (or lengths are all zero).
    #[error("no symbol has a non-zero count: nothing to code")]
    Empty,
    /// Too many symbols.
    #[error("{symbols} symbols exceed the Huffman limit of {MAX_SYMBOLS}")]
    TooManySymbols {
        /// Alphabet size.
        symbols: usize,
    },
    /// Explicit code lengths that do not form a prefix code.
    #[error("code lengths are invalid: {reason}")]
    BadLengths {
        /// What is wrong.
        reason: String,
    },
    /// A symbol to encode has no code.
    #[error("symbol {symbol} at position {index} has no code (alphabet of {alphabet}, zero count or out of range)")]
    NoCode {
        /// Position in the input.
        index: usize,
        /// The symbol.
        symbol: u32,
        /// Alphabet size.
        alphabet: usize,
    },
    /// The stream cannot hold the requested count (at least one bit per symbol).
    #[error("{count} symbols need at least {min_bits} bits, the stream has {len_bits}")]
    TooShort {
        /// Requested symbols.
        count: usize,
        /// Bits needed at least.
        min_bits: u64,
        /// Stream length in bits.
        len_bits: u64,
    },
    /// The bits at a position match no code (possible when the code is incomplete).
    #[error("symbol {index} at bit {position}: bits match no code")]
    InvalidCode {
        /// Index of the symbol.
        index: usize,
        /// Bit where it starts.
        position: u64,
    },
    /// [`HuffmanCode::decode_at`] was given a different number of starts and outputs.
    #[error("{starts} chunk starts but {outputs} outputs")]
    Chunks {
        /// Starts given.
        starts: usize,
        /// Outputs given.
        outputs: usize,
    },
    /// The stream ends inside a code.
    #[error("symbol {index} at bit {position}: stream ends inside its code ({len_bits}-bit stream)")]
    Truncated {
        /// Index of the symbol.
        index: usize,
        /// Bit where it starts.
        position: u64,
        /// Stream length in bits.
        len_bits: u64,
    },
}

/// A canonical prefix code over symbols `0..alphabet`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HuffmanCode {
    /// Length per symbol (0: no code).
    lengths: Vec<u8>,
    /// Code per symbol, right-aligned.
    codes: Vec<u32>,
    max_len: u32,
    /// Symbols in canonical order (by length, then symbol).
    sorted: Vec<u32>,
    /// Per length l: first code, number of codes, index of its first symbol in `sorted`.
    first_code: [u32; MAX_CODE_LEN as usize + 1],
    count: [u32; MAX_CODE_LEN as usize + 1],
    offset: [u32; MAX_CODE_LEN as usize + 1],
    /// `symbol << 5 | length` for codes of at most TABLE_BITS bits, keyed by the next bits; 0 = longer.
    table: Vec<u32>,
    /// The fast decoder's multi-symbol table, built on the first fast decode (an encoder never
    /// needs it).
    multi: OnceLock<MultiTable>,
}

/// Optimal code lengths limited to `limit` bits for the non-zero `weights` (package-merge).
/// Requires `2 <= weights.len() <= 2^limit`.
fn package_merge(weights: &[u64], limit: u32) -> Vec<u8> {
    let n = weights.len();
    let mut order: Vec<usize> = (0..n).collect();
    order.sort_by_key(|&i| (weights[i], i));
    let leaves: Vec<u128> = order.iter().map(|&i| u128::from(weights[i])).collect();
    let keep = 2 * n - 2; // only the first 2n-2 items of any list can be selected
    let mut flags: Vec<Vec<bool>> = Vec::with_capacity(limit as usize);
    let mut list: Vec<u128> = leaves.clone();
    flags.push(vec![true; n]);
    for _ in 1..limit {
        let packages: Vec<u128> = list.chunks_exact(2).map(|p| p[0] + p[1]).collect();
        let mut merged = Vec::with_capacity((n + packages.len()).min(keep));
        let mut is_leaf = Vec::with_capacity(merged.capacity());
        let (mut a, mut b) = (0, 0);
        while merged.len() < keep && (a < n || b < packages.len()) {
            if b >= packages.len() || (a < n && leaves[a] <= packages[b]) {
                merged.push(leaves[a]);
                is_leaf.push(true);
                a += 1;
            } else {
                merged.push(packages[b]);
                is_leaf.push(false);
                b += 1;
            }
        }
        list = merged;
        flags.push(is_leaf);
    }
    let mut lens = vec![0u8; n];
    let mut take = keep;
    for f in flags.iter().rev() {
        let leaves_taken = f[..take].iter().filter(|&&l| l).count();
        for l in &mut lens[..leaves_taken] {
            *l += 1;
        }
        take = 2 * (take - leaves_taken);
    }
    let mut out = vec![0u8; n];
    for (rank, &sym) in order.iter().enumerate() {
        out[sym] = lens[rank];
    }
    out
}

impl HuffmanCode {
    /// The optimal length-limited code for these symbol counts (index = symbol).
    pub fn from_counts(counts: &[u64]) -> Result<HuffmanCode, HuffmanError> {
        if counts.len() > MAX_SYMBOLS {
            return Err(HuffmanError::TooManySymbols { symbols: counts.len() });
        }
        let used: Vec<usize> = (0..counts.len()).filter(|&i| counts[i] > 0).collect();
        let mut lengths = vec![0u8; counts.len()];
        match used.len() {
            0 => return Err(HuffmanError::Empty),
            1 => lengths[used[0]] = 1,
            _ => {
                let w: Vec<u64> = used.iter().map(|&i| counts[i]).collect();
                for (&sym, l) in used.iter().zip(package_merge(&w, MAX_CODE_LEN)) {
                    lengths[sym] = l;
                }
            }
        }
        Self::from_lengths(lengths)
    }

    /// The canonical code with these lengths (0 = no code). Rejects lengths above
    /// [`MAX_CODE_LEN`] and over-subscribed lengths (Kraft sum above 1); an incomplete code is
    /// allowed (its unused bit patterns decode as errors).
    pub fn from_lengths(lengths: Vec<u8>) -> Result<HuffmanCode, HuffmanError> {
        if lengths.len() > MAX_SYMBOLS {
            return Err(HuffmanError::TooManySymbols { symbols: lengths.len() });
        }
        let mut count = [0u32; MAX_CODE_LEN as usize + 1];
        for (s, &l) in lengths.iter().enumerate() {
            if u32::from(l) > MAX_CODE_LEN {
                return Err(HuffmanError::BadLengths {
                    reason: format!("symbol {s} has length {l} > {MAX_CODE_LEN}"),
                });
            }
            count[l as usize] += 1;
        }
        count[0] = 0;
        let max_len = (1..=MAX_CODE_LEN)
            .rev()
            .find(|&l| count[l as usize] > 0)
            .ok_or(HuffmanError::Empty)?;
        let kraft: u64 = (1..=MAX_CODE_LEN)
            .map(|l| u64::from(count[l as usize]) << (MAX_CODE_LEN - l))
            .sum();
        if kraft > 1 << MAX_CODE_LEN {
            return Err(HuffmanError::BadLengths {
                reason: "over-subscribed (Kraft sum above 1)".into(),
            });
        }
        let mut first_code = [0u32; MAX_CODE_LEN as usize + 1];
        let mut offset = [0u32; MAX_CODE_LEN as usize + 1];
        let (mut code, mut off) = (0u32, 0u32);
        for l in 1..=MAX_CODE_LEN as usize {
            code = (code + if l > 1 { count[l - 1] } else { 0 }) << 1;
            first_code[l] = code;
            offset[l] = off;
            off += count[l];
        }
        // RFC 1951 starts from code 0 at length 1; the shift above gives first_code[1] = 0.
        let mut sorted: Vec<u32> = (0..lengths.len() as u32).filter(|&s| lengths[s as usize] > 0).collect();
        sorted.sort_by_key(|&s| (lengths[s as usize], s));
        let mut codes = vec![0u32; lengths.len()];
        let mut next = first_code;
        for &s in &sorted {
            let l = lengths[s as usize] as usize;
            codes[s as usize] = next[l];
            next[l] += 1;
        }
        let mut table = vec![0u32; 1 << TABLE_BITS];
        for &s in &sorted {
            let l = u32::from(lengths[s as usize]);
            if l <= TABLE_BITS {
                let start = (codes[s as usize] << (TABLE_BITS - l)) as usize;
                table[start..start + (1 << (TABLE_BITS - l))].fill(s << 5 | l);
            }
        }
        let code = HuffmanCode {
            lengths,
            codes,
            max_len,
            sorted,
            first_code,
            count,
            offset,
            table,
            multi: OnceLock::new(),
        };
        Ok(code)
    }

    /// Code length per symbol (0: no code).
    pub fn lengths(&self) -> &[u8] {
        &self.lengths
    }

    /// Code per symbol, right-aligned in its length.
    pub fn codes(&self) -> &[u32] {
        &self.codes
    }

    /// Longest code length.
    pub fn max_len(&self) -> u32 {
        self.max_len
    }

    fn code_of(&self, index: usize, symbol: u32) -> Result<(u32, u32), HuffmanError> {
        match self.lengths.get(symbol as usize) {
            Some(&l) if l > 0 => Ok((self.codes[symbol as usize], u32::from(l))),
            _ => Err(HuffmanError::NoCode {
                index,
                symbol,
                alphabet: self.lengths.len(),
            }),
        }
    }

    /// Writes the codes of `symbols` to any [`BitSink`].
    pub fn write<S: BitSink>(&self, sink: &mut S, symbols: &[u32]) -> Result<(), HuffmanError> {
        for (i, &s) in symbols.iter().enumerate() {
            let (c, l) = self.code_of(i, s)?;
            sink.put(u64::from(c), l);
        }
        Ok(())
    }

    /// Encodes `symbols`, MSB-first, zero-padded to a byte.
    pub fn encode(&self, symbols: &[u32]) -> Result<Vec<u8>, HuffmanError> {
        let mut w = BitWriter::with_capacity_bits(symbols.len() as u64 * 4);
        self.write(&mut w, symbols)?;
        Ok(w.finish())
    }

    /// Bits of the code of `symbols` (without padding).
    pub fn encoded_bits(&self, symbols: &[u32]) -> Result<u64, HuffmanError> {
        let mut total = 0u64;
        for (i, &s) in symbols.iter().enumerate() {
            total += u64::from(self.code_of(i, s)?.1);
        }
        Ok(total)
    }

    /// Bits of a stream with these symbol counts: Σ count · length.
    pub fn bits_for_counts(&self, counts: &[u64]) -> Result<u64, HuffmanError> {
        let mut total = 0u64;
        for (s, &c) in counts.iter().enumerate() {
            if c > 0 {
                total += c * u64::from(self.code_of(s, s as u32)?.1);
            }
        }
        Ok(total)
    }

    /// Checks that `count` symbols of at least one bit can be in `len_bits` bits.
    fn check_count(count: usize, len_bits: u64) -> Result<(), HuffmanError> {
        if count as u64 > len_bits {
            return Err(HuffmanError::TooShort {
                count,
                min_bits: count as u64,
                len_bits,
            });
        }
        Ok(())
    }

    /// The reference decoder: `count` symbols, one table look-up (or canonical walk) each.
    pub fn decode_ref(&self, bytes: &[u8], count: usize) -> Result<Vec<u32>, HuffmanError> {
        Self::check_count(count, bytes.len() as u64 * 8)?;
        let mut out = vec![0u32; count];
        self.decode_checked(&mut BitReader::new(bytes), &mut out, 0, 0)?;
        Ok(out)
    }

    /// Decodes `out[from..]` one symbol at a time with every bound checked; errors name symbol
    /// `base + i` for `out[i]`.
    fn decode_checked(&self, r: &mut BitReader, out: &mut [u32], from: usize, base: usize) -> Result<(), HuffmanError> {
        let len_bits = r.len_bits();
        for (i, slot) in out.iter_mut().enumerate().skip(from) {
            let index = base + i;
            if r.buffered() < MAX_CODE_LEN {
                r.refill();
            }
            let peek = r.peek_word();
            let e = self.table[(peek >> (64 - TABLE_BITS)) as usize];
            let (sym, len) = if e != 0 {
                (e >> 5, e & 31)
            } else {
                self.decode_slow(peek).ok_or(HuffmanError::InvalidCode {
                    index,
                    position: r.position(),
                })?
            };
            if u64::from(len) > r.remaining() {
                return Err(HuffmanError::Truncated {
                    index,
                    position: r.position(),
                    len_bits,
                });
            }
            r.consume(len);
            *slot = sym;
        }
        Ok(())
    }

    /// Decodes `count` symbols (the fast decoder; the same results and errors as
    /// [`HuffmanCode::decode_ref`]).
    pub fn decode(&self, bytes: &[u8], count: usize) -> Result<Vec<u32>, HuffmanError> {
        Self::check_count(count, bytes.len() as u64 * 8)?;
        let mut out = vec![0u32; count];
        chunks::decode_one(&self.fast(), bytes, &mut out)?;
        Ok(out)
    }

    /// Decodes the chunks of one stream that start at known bits (a container's chunk index):
    /// chunk j starts at bit `starts[j]` and holds `outs[j].len()` symbols, numbered across the
    /// chunks in order. Groups of [`chunks::INTERLEAVE`] chunks run in turn on every core. Returns
    /// the bit where each chunk's last code ends, for the caller to check against the next start.
    /// An error is the lowest erring chunk's: what [`HuffmanCode::decode_ref`] gives for the bits
    /// from its start, with the stream-wide index and position.
    pub fn decode_at(&self, bytes: &[u8], starts: &[u64], outs: &mut [&mut [u32]]) -> Result<Vec<u64>, HuffmanError> {
        if starts.len() != outs.len() {
            return Err(HuffmanError::Chunks {
                starts: starts.len(),
                outputs: outs.len(),
            });
        }
        chunks::decode_chunks(&self.fast(), bytes, starts, outs)
    }

    /// The fast decoder, with the multi-symbol table (built here on first use: every code of at
    /// most [`chunks::WINDOW`] bits fills its range of windows).
    fn fast(&self) -> Fast<'_> {
        let table = self.multi.get_or_init(|| {
            let mut singles = vec![(0u32, 0u32); 1 << chunks::WINDOW];
            for &s in &self.sorted {
                let l = u32::from(self.lengths[s as usize]);
                if l <= chunks::WINDOW {
                    let start = (self.codes[s as usize] << (chunks::WINDOW - l)) as usize;
                    singles[start..start + (1 << (chunks::WINDOW - l))].fill((s, l));
                }
            }
            MultiTable::from_singles(&singles)
        });
        Fast { code: self, table }
    }

    /// Canonical decode of a left-aligned window: the first length whose codes cover it.
    fn decode_slow(&self, peek: u64) -> Option<(u32, u32)> {
        for l in 1..=self.max_len {
            let c = (peek >> (64 - l)) as u32;
            let d = c.wrapping_sub(self.first_code[l as usize]);
            if c >= self.first_code[l as usize] && d < self.count[l as usize] {
                return Some((self.sorted[(self.offset[l as usize] + d) as usize], l));
            }
        }
        None
    }
}

/// The fast decoder of [`chunks`]: the multi-symbol table and the long-code path.
struct Fast<'a> {
    code: &'a HuffmanCode,
    table: &'a MultiTable,
}

impl chunks::ChunkDecoder for Fast<'_> {
    type Error = HuffmanError;

    fn check_room(&self, count: usize, bits: u64) -> Result<(), HuffmanError> {
        HuffmanCode::check_count(count, bits)
    }

    fn table(&self) -> &MultiTable {
        self.table
    }

    /// A code longer than the fast window (or a symbol of 2^16 or more), with >= 56 real bits.
    #[cold]
    #[inline(never)]
    fn long(&self, bytes: &[u8], lane: &mut Lane, out: &mut [u32]) -> Result<(), HuffmanError> {
        lane.refill(bytes);
        let (sym, len) = self.code.decode_slow(lane.buf).ok_or(HuffmanError::InvalidCode {
            index: lane.base + lane.i,
            position: lane.position(),
        })?;
        lane.consume(len);
        out[lane.i] = sym;
        lane.i += 1;
        Ok(())
    }

    fn finish(&self, bytes: &[u8], lane: &Lane, out: &mut [u32]) -> Result<u64, HuffmanError> {
        if lane.i == out.len() {
            return Ok(lane.position());
        }
        let mut r = BitReader::at_bit(bytes, lane.position());
        self.code.decode_checked(&mut r, out, lane.i, lane.base)?;
        Ok(r.position())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rfc1951_example() {
        // RFC 1951 §3.2.2: lengths (3,3,3,3,3,2,4,4) give codes 010..110, 00, 1110, 1111.
        let c = HuffmanCode::from_lengths(vec![3, 3, 3, 3, 3, 2, 4, 4]).unwrap();
        assert_eq!(c.codes(), &[0b010, 0b011, 0b100, 0b101, 0b110, 0b00, 0b1110, 0b1111]);
        let syms = [5, 0, 7, 6, 4, 1];
        let bytes = c.encode(&syms).unwrap();
        assert_eq!(c.decode(&bytes, syms.len()).unwrap(), syms);
    }

    #[test]
    fn classic_lengths() {
        // counts 1,1,2,4,8: lengths 4,4,3,2,1.
        let c = HuffmanCode::from_counts(&[1, 1, 2, 4, 8]).unwrap();
        assert_eq!(c.lengths(), &[4, 4, 3, 2, 1]);
        assert_eq!(c.bits_for_counts(&[1, 1, 2, 4, 8]).unwrap(), 4 + 4 + 6 + 8 + 8);
    }

    #[test]
    fn length_limit_holds() {
        // Fibonacci counts force a 30-deep tree without a limit.
        let mut counts = vec![1u64, 1];
        while counts.len() < 32 {
            let n = counts.len();
            counts.push(counts[n - 1] + counts[n - 2]);
        }
        let c = HuffmanCode::from_counts(&counts).unwrap();
        assert_eq!(c.max_len(), MAX_CODE_LEN);
        let kraft: f64 = c.lengths().iter().map(|&l| 0.5f64.powi(i32::from(l))).sum();
        assert!((kraft - 1.0).abs() < 1e-12);
        let syms: Vec<u32> = (0..32).chain([0, 31, 1]).collect();
        let bytes = c.encode(&syms).unwrap();
        assert_eq!(c.decode(&bytes, syms.len()).unwrap(), syms);
    }

    #[test]
    fn single_symbol_and_errors() {
        let c = HuffmanCode::from_counts(&[0, 9, 0]).unwrap();
        assert_eq!(c.lengths(), &[0, 1, 0]);
        assert_eq!(c.encode(&[1, 1, 1]).unwrap(), vec![0]);
        assert_eq!(c.decode(&[0], 3).unwrap(), vec![1, 1, 1]);
        assert_eq!(
            c.decode(&[0x80], 1).unwrap_err(),
            HuffmanError::InvalidCode { index: 0, position: 0 }
        );
        assert_eq!(
            c.encode(&[1, 0]).unwrap_err(),
            HuffmanError::NoCode {
                index: 1,
                symbol: 0,
                alphabet: 3
            }
        );
        assert_eq!(
            c.encoded_bits(&[1, 5]).unwrap_err(),
            HuffmanError::NoCode {
                index: 1,
                symbol: 5,
                alphabet: 3
            }
        );
        assert_eq!(HuffmanCode::from_counts(&[0, 0]).unwrap_err(), HuffmanError::Empty);
        assert_eq!(HuffmanCode::from_counts(&[]).unwrap_err(), HuffmanError::Empty);
        assert!(matches!(
            HuffmanCode::from_lengths(vec![1, 1, 1]),
            Err(HuffmanError::BadLengths { .. })
        ));
        assert!(matches!(
            HuffmanCode::from_lengths(vec![25, 1]),
            Err(HuffmanError::BadLengths { .. })
        ));
        assert!(matches!(c.decode(&[0], 9), Err(HuffmanError::TooShort { .. })));
        let c = HuffmanCode::from_counts(&[1, 1, 2, 4, 8]).unwrap();
        // Codes: 4 -> 0, 3 -> 10, 2 -> 110, 0 -> 1110, 1 -> 1111. Five "0", then "111" cut.
        let e = c.decode(&[0b0000_0111], 6).unwrap_err();
        assert_eq!(
            e,
            HuffmanError::Truncated {
                index: 5,
                position: 5,
                len_bits: 8
            }
        );
    }
}
