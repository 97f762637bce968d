//! Bit I/O, MSB-first (bits are packed MSB-first within each byte; docs/format.md).
//!
//! One writer trait, [`BitSink`], with three backends in the manner of rav1e's `ec.rs`:
//! [`BitCounter`] only counts (the trainer and `stats` cost EG codes through the very code that
//! writes them), [`BitWriter`] is the fast encoder (64-bit accumulator, whole words out), and
//! [`RefWriter`] is the plain bit-by-bit reference on a `BitVec<u8, Msb0>`. Streams end
//! zero-padded to a byte.
//!
//! Readers: [`BitReader`] keeps a left-aligned 64-bit buffer refilled a word at a time;
//! [`RefReader`] reads one bit at a time from a bitvec slice. Both report reads past the end as
//! [`BitsError::EndOfStream`] with the bit position.

use bitvec::prelude::*;
use thiserror::Error;

/// A sink for bits: the low `nbits` of `value` are appended, most significant first.
pub trait BitSink {
    /// Appends the low `nbits` bits of `value` (`nbits` in `0..=64`), MSB first. Bits of
    /// `value` above `nbits` are ignored.
    fn put(&mut self, value: u64, nbits: u32);
    /// Bits appended so far.
    fn bit_len(&self) -> u64;

    /// Appends the first `bits` bits of the MSB-first stream `bytes` (another writer's output),
    /// 64 at a time.
    ///
    /// # Panics
    /// If `bytes` holds fewer than `bits` bits.
    fn append(&mut self, bytes: &[u8], bits: u64) {
        assert!(bits <= bytes.len() as u64 * 8, "{bits} bits from {} bytes", bytes.len());
        let whole = (bits / 64) as usize;
        for w in bytes[..whole * 8].chunks_exact(8) {
            self.put(u64::from_be_bytes(w.try_into().expect("8 bytes")), 64);
        }
        let rest = (bits % 64) as u32;
        if rest > 0 {
            let mut w = [0u8; 8];
            let tail = &bytes[whole * 8..(whole * 8 + rest.div_ceil(8) as usize)];
            w[..tail.len()].copy_from_slice(tail);
            self.put(u64::from_be_bytes(w) >> (64 - rest), rest);
        }
    }
}

/// Errors of the readers.
#[derive(Debug, Error, Clone, PartialEq, Eq)]
pub enum BitsError {
    /// A read needs bits beyond the end of the stream.
    #[error("read of {nbits} bits at bit {position} runs past the end of the {len}-bit stream")]
    EndOfStream {
        /// Bit position of the read.
        position: u64,
        /// Bits requested.
        nbits: u32,
        /// Stream length in bits.
        len: u64,
    },
}

/// Low-`n`-bit mask, `n` in `0..=64`.
#[inline(always)]
pub fn mask(n: u32) -> u64 {
    if n >= 64 {
        u64::MAX
    } else {
        (1u64 << n) - 1
    }
}

/// Counts bits, writes nothing: the cost backend.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct BitCounter {
    bits: u64,
}

impl BitCounter {
    /// A counter at zero.
    pub fn new() -> Self {
        Self::default()
    }
}

impl BitSink for BitCounter {
    #[inline(always)]
    fn put(&mut self, _value: u64, nbits: u32) {
        self.bits += u64::from(nbits);
    }
    fn bit_len(&self) -> u64 {
        self.bits
    }
}

/// The fast writer, branch-free (F. Giesen, "Reading bits in far too many ways", the writing
/// counterpart): bits collect at the top of a 64-bit accumulator; after each codeword all 8 of its
/// bytes are stored at the next unfinished byte and the finished whole bytes are dropped from it.
/// A codeword of more than 56 bits goes in two parts.
#[derive(Debug, Clone)]
pub struct BitWriter {
    /// Finished bytes `out[..pos]`; at least 8 more bytes are allocated past `pos`.
    out: Vec<u8>,
    pos: usize,
    /// Pending bits, left-aligned; `nacc < 8` between calls.
    acc: u64,
    nacc: u32,
}

impl Default for BitWriter {
    fn default() -> Self {
        Self::with_capacity_bits(0)
    }
}

impl BitWriter {
    /// An empty writer.
    pub fn new() -> Self {
        Self::default()
    }

    /// An empty writer with room for `bits` bits.
    pub fn with_capacity_bits(bits: u64) -> Self {
        BitWriter {
            out: vec![0; (bits / 8) as usize + 16],
            pos: 0,
            acc: 0,
            nacc: 0,
        }
    }

    /// The bytes, the last one zero-padded at the bottom.
    pub fn finish(mut self) -> Vec<u8> {
        // The last store left the pending bits at `pos`, zeros below them.
        self.out.truncate(self.pos + self.nacc.div_ceil(8) as usize);
        self.out
    }

    /// Appends `n <= 56` bits `v < 2^n`.
    #[inline(always)]
    fn put_short(&mut self, v: u64, n: u32) {
        // nacc + n <= 63; a shift by 64 (n = nacc = 0) wraps to 0 and `v` is then 0.
        self.acc |= v.wrapping_shl(64 - self.nacc - n);
        self.nacc += n;
        if self.out.len() < self.pos + 8 {
            self.grow();
        }
        if let Some(dst) = self.out.get_mut(self.pos..self.pos + 8) {
            dst.copy_from_slice(&self.acc.to_be_bytes());
        }
        self.pos += (self.nacc >> 3) as usize;
        self.acc = self.acc.wrapping_shl(self.nacc & !7);
        self.nacc &= 7;
    }

    #[cold]
    fn grow(&mut self) {
        let len = (self.out.len() * 2).max(self.pos + 16);
        self.out.resize(len, 0);
    }
}

impl BitSink for BitWriter {
    #[inline(always)]
    fn put(&mut self, value: u64, nbits: u32) {
        debug_assert!(nbits <= 64);
        let v = value & mask(nbits);
        if nbits > 56 {
            self.put_short(v >> 32, nbits - 32);
            self.put_short(v & 0xffff_ffff, 32);
        } else {
            self.put_short(v, nbits);
        }
    }
    fn bit_len(&self) -> u64 {
        self.pos as u64 * 8 + u64::from(self.nacc)
    }
}

/// The reference writer: one bit at a time into a `BitVec<u8, Msb0>`.
#[derive(Debug, Clone, Default)]
pub struct RefWriter {
    bits: BitVec<u8, Msb0>,
}

impl RefWriter {
    /// An empty writer.
    pub fn new() -> Self {
        Self::default()
    }

    /// The bits written so far.
    pub fn bits(&self) -> &BitSlice<u8, Msb0> {
        &self.bits
    }

    /// The bytes, the last one zero-padded at the bottom.
    pub fn finish(mut self) -> Vec<u8> {
        self.bits.set_uninitialized(false);
        self.bits.into_vec()
    }
}

impl BitSink for RefWriter {
    fn put(&mut self, value: u64, nbits: u32) {
        for i in (0..nbits).rev() {
            self.bits.push(i < 64 && (value >> i) & 1 == 1);
        }
    }
    fn bit_len(&self) -> u64 {
        self.bits.len() as u64
    }
}

/// Loads 8 bytes big-endian at `pos` (caller guarantees `pos + 8 <= bytes.len()`).
#[inline(always)]
pub(crate) fn load_be64(bytes: &[u8], pos: usize) -> u64 {
    let mut a = [0u8; 8];
    a.copy_from_slice(&bytes[pos..pos + 8]);
    u64::from_be_bytes(a)
}

/// The fast reader: a left-aligned 64-bit bit buffer refilled a word at a time.
///
/// `buf` holds the next bits of the stream at its top; `avail` of them are guaranteed valid
/// (bits below may already hold later stream bits or zeros). Past the end of the data the
/// buffer fills with zeros, and [`BitReader::position`] against [`BitReader::len_bits`] tells
/// whether a read overran.
#[derive(Debug, Clone)]
pub struct BitReader<'a> {
    bytes: &'a [u8],
    /// Next byte not yet in `buf`.
    pos: usize,
    buf: u64,
    avail: u32,
}

impl<'a> BitReader<'a> {
    /// A reader at bit 0.
    pub fn new(bytes: &'a [u8]) -> Self {
        let mut r = BitReader {
            bytes,
            pos: 0,
            buf: 0,
            avail: 0,
        };
        r.refill();
        r
    }

    /// A reader at bit `bit` of `bytes` (past the end gives an empty reader at that position).
    pub fn at_bit(bytes: &'a [u8], bit: u64) -> Self {
        let byte = (bit / 8) as usize;
        let mut r = BitReader {
            bytes,
            pos: byte,
            buf: 0,
            avail: 0,
        };
        r.refill();
        r.consume((bit % 8) as u32);
        r
    }

    /// Stream length in bits.
    #[inline(always)]
    pub fn len_bits(&self) -> u64 {
        self.bytes.len() as u64 * 8
    }

    /// Bits consumed so far (may exceed [`Self::len_bits`] after reads into the zero padding).
    #[inline(always)]
    pub fn position(&self) -> u64 {
        self.pos as u64 * 8 - u64::from(self.avail)
    }

    /// Bits left before the end of the data (0 once past it).
    #[inline(always)]
    pub fn remaining(&self) -> u64 {
        self.len_bits().saturating_sub(self.position())
    }

    /// Tops the buffer up to at least 56 valid bits (zeros past the end of the data).
    #[inline(always)]
    pub fn refill(&mut self) {
        if self.pos + 8 <= self.bytes.len() {
            // Branch-free refill (F. Giesen, "Reading bits in far too many ways", variant 4):
            // OR in a whole word; bits already present are rewritten with the same values.
            self.buf |= load_be64(self.bytes, self.pos) >> self.avail;
            self.pos += ((63 - self.avail) >> 3) as usize;
            self.avail |= 56;
        } else {
            self.refill_tail();
        }
    }

    #[cold]
    fn refill_tail(&mut self) {
        while self.avail <= 56 {
            let byte = self.bytes.get(self.pos).copied().unwrap_or(0);
            self.buf |= u64::from(byte) << (56 - self.avail);
            self.pos += 1;
            self.avail += 8;
        }
    }

    /// The next 64 bits without consuming them, left-aligned; at least `avail` of them valid.
    /// Call [`Self::refill`] first to have 56.
    #[inline(always)]
    pub fn peek_word(&self) -> u64 {
        self.buf
    }

    /// Valid bits in the buffer.
    #[inline(always)]
    pub fn buffered(&self) -> u32 {
        self.avail
    }

    /// Drops `n <= buffered()` bits from the buffer.
    #[inline(always)]
    pub fn consume(&mut self, n: u32) {
        debug_assert!(n <= self.avail);
        self.buf = if n >= 64 { 0 } else { self.buf << n };
        self.avail -= n;
    }

    /// Reads `nbits` (`0..=64`) bits as an unsigned number, MSB first (one buffer read up to 56).
    #[inline(always)]
    pub fn read(&mut self, nbits: u32) -> Result<u64, BitsError> {
        if nbits == 0 {
            return Ok(0);
        }
        if nbits > 56 {
            return self.read_long(nbits);
        }
        if self.avail < nbits {
            self.refill();
        }
        if u64::from(nbits) > self.remaining() {
            return Err(BitsError::EndOfStream {
                position: self.position(),
                nbits,
                len: self.len_bits(),
            });
        }
        let v = self.buf >> (64 - nbits);
        self.consume(nbits);
        Ok(v)
    }

    /// Reads one bit.
    pub fn read_bit(&mut self) -> Result<bool, BitsError> {
        self.read(1).map(|b| b == 1)
    }

    /// Reads `nbits` in `0..=64` bits (two buffer reads when above 56).
    pub fn read_long(&mut self, nbits: u32) -> Result<u64, BitsError> {
        debug_assert!(nbits <= 64);
        if nbits <= 56 {
            self.read(nbits)
        } else {
            let start = self.position();
            let hi = self.read(nbits - 32).map_err(|_| self.eos_at(start, nbits))?;
            let lo = self.read(32).map_err(|_| self.eos_at(start, nbits))?;
            Ok((hi << 32) | lo)
        }
    }

    fn eos_at(&self, position: u64, nbits: u32) -> BitsError {
        BitsError::EndOfStream {
            position,
            nbits,
            len: self.len_bits(),
        }
    }
}

/// The reference reader: one bit at a time from a bitvec slice.
#[derive(Debug, Clone)]
pub struct RefReader<'a> {
    bits: &'a BitSlice<u8, Msb0>,
    pos: usize,
}

impl<'a> RefReader<'a> {
    /// A reader at bit 0 of `bytes`.
    pub fn new(bytes: &'a [u8]) -> Self {
        RefReader {
            bits: bytes.view_bits::<Msb0>(),
            pos: 0,
        }
    }

    /// Bits consumed so far.
    pub fn position(&self) -> u64 {
        self.pos as u64
    }

    /// Stream length in bits.
    pub fn len_bits(&self) -> u64 {
        self.bits.len() as u64
    }

    /// Reads one bit.
    pub fn read_bit(&mut self) -> Result<bool, BitsError> {
        match self.bits.get(self.pos) {
            Some(b) => {
                self.pos += 1;
                Ok(*b)
            }
            None => Err(BitsError::EndOfStream {
                position: self.position(),
                nbits: 1,
                len: self.len_bits(),
            }),
        }
    }

    /// Reads `nbits` in `0..=64` bits, MSB first; on error nothing is consumed.
    pub fn read(&mut self, nbits: u32) -> Result<u64, BitsError> {
        if self.pos as u64 + u64::from(nbits) > self.len_bits() {
            return Err(BitsError::EndOfStream {
                position: self.position(),
                nbits,
                len: self.len_bits(),
            });
        }
        let mut v = 0u64;
        for _ in 0..nbits {
            v = (v << 1) | u64::from(self.read_bit()?);
        }
        Ok(v)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn write_all<S: BitSink>(mut s: S, items: &[(u64, u32)]) -> S {
        for &(v, n) in items {
            s.put(v, n);
        }
        s
    }

    #[test]
    fn writers_agree_and_pad() {
        let items = [
            (1, 1),
            (0b010, 3),
            (0xABCD, 16),
            (u64::MAX, 64),
            (0, 0),
            (5, 3),
            (0x1_2345_6789, 36),
            (1, 2),
        ];
        let total: u64 = items.iter().map(|&(_, n)| u64::from(n)).sum();
        let fast = write_all(BitWriter::new(), &items);
        let reference = write_all(RefWriter::new(), &items);
        let count = write_all(BitCounter::new(), &items);
        assert_eq!(fast.bit_len(), total);
        assert_eq!(reference.bit_len(), total);
        assert_eq!(count.bit_len(), total);
        let a = fast.finish();
        let b = reference.finish();
        assert_eq!(a, b);
        assert_eq!(a.len() as u64, total.div_ceil(8));
    }

    #[test]
    fn msb_first_known_bytes() {
        let mut w = BitWriter::new();
        w.put(1, 1); // 1
        w.put(0b010, 3); // 010
        w.put(0b011, 3); // 011
        let bytes = w.finish();
        assert_eq!(bytes, vec![0b1010_0110]);
    }

    #[test]
    fn readers_read_back() {
        let items = [
            (1, 1),
            (0b010, 3),
            (0xABCD, 16),
            (0x3F_FFFF_FFFF, 38),
            (5, 3),
            (0x1_2345_6789, 33),
        ];
        let bytes = write_all(BitWriter::new(), &items).finish();
        let mut f = BitReader::new(&bytes);
        let mut r = RefReader::new(&bytes);
        for &(v, n) in &items {
            assert_eq!(f.read_long(n).unwrap(), v);
            assert_eq!(r.read(n).unwrap(), v);
        }
        assert_eq!(f.position(), r.position());
        // 94 bits written, 96 in the stream: 2 padding bits then the end.
        assert_eq!(f.read(2).unwrap(), 0);
        assert!(matches!(f.read(1), Err(BitsError::EndOfStream { position: 96, .. })));
        assert_eq!(r.read(2).unwrap(), 0);
        assert!(matches!(r.read(1), Err(BitsError::EndOfStream { position: 96, .. })));
    }
}
