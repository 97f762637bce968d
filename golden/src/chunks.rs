//! The fast decoders' common core: the chunks of one bit stream (a container's chunk index,
//! docs/format.md) decoded [`INTERLEAVE`] at a time in turn on each thread, groups of chunks on
//! every core.
//!
//! A code supplies a [`ChunkDecoder`]: a fast step (one refill, a few table look-ups, no bound
//! checks) and a checked tail. This module owns the bit position of each chunk ([`Lane`]), when a
//! fast step may run, the turn-taking of four lanes (which overlaps their serial dependency chains,
//! position -> look-up -> position), the parallel split and which error is reported: the lowest
//! erring chunk's, the error decoding that chunk alone gives.

use crate::bits::load_be64;
use rayon::prelude::*;

/// How many chunks one thread decodes in turn.
pub const INTERLEAVE: usize = 4;

/// One chunk's decoding state: `buf` holds the next `avail` bits of the stream left-aligned,
/// `pos` is the next byte not yet in `buf`, `i` the next symbol of the chunk to write, `base` the
/// stream-wide index of the chunk's first symbol (for errors).
#[derive(Debug, Clone, Copy)]
pub(crate) struct Lane {
    pub(crate) pos: usize,
    pub(crate) buf: u64,
    pub(crate) avail: u32,
    pub(crate) i: usize,
    pub(crate) base: usize,
}

impl Lane {
    /// A lane at bit `bit` of `bytes` (at or past the end: zeros), writing symbol `base` first.
    pub(crate) fn at(bytes: &[u8], bit: u64, base: usize) -> Lane {
        let byte = usize::try_from(bit / 8).unwrap_or(usize::MAX).min(bytes.len());
        let mut lane = Lane {
            pos: byte,
            buf: 0,
            avail: 0,
            i: 0,
            base,
        };
        if byte < bytes.len() && !bit.is_multiple_of(8) {
            // Only the first byte's low bits: the next refill ORs in the rest at `pos`.
            lane.buf = u64::from(bytes[byte]) << (56 + bit % 8);
            lane.avail = 8 - (bit % 8) as u32;
            lane.pos = byte + 1;
        }
        lane
    }

    /// Tops the buffer up to at least 56 bits (branch-free; F. Giesen, "Reading bits in far too
    /// many ways", variant 4). Only while at least 8 bytes are left at `pos`.
    #[inline(always)]
    pub(crate) fn refill(&mut self, bytes: &[u8]) {
        self.buf |= load_be64(bytes, self.pos) >> self.avail;
        self.pos += ((63 - self.avail) >> 3) as usize;
        self.avail |= 56;
    }

    /// Drops `n <= avail` bits (`n < 64`).
    #[inline(always)]
    pub(crate) fn consume(&mut self, n: u32) {
        self.buf <<= n;
        self.avail -= n;
    }

    /// The bit position of the next symbol in the stream.
    pub(crate) fn position(&self) -> u64 {
        self.pos as u64 * 8 - u64::from(self.avail)
    }
}

/// A code's decoder for [`decode_chunks`].
pub(crate) trait ChunkDecoder: Sync {
    /// The code's error.
    type Error: Send;
    /// Most symbols one [`ChunkDecoder::step`] writes.
    const MAX_PER_STEP: usize;
    /// Err if `count` symbols cannot fit in `bits` bits (every codeword's least length): checked
    /// before a chunk is decoded, so that no count makes the decoder read or write out of bounds.
    fn check_room(&self, count: usize, bits: u64) -> Result<(), Self::Error>;
    /// One refill and a few look-ups into `out[lane.i..]`, with no bound checks. Runs only while
    /// 32 bytes are left at `lane.pos` and [`ChunkDecoder::MAX_PER_STEP`] slots in `out`.
    fn step(&self, bytes: &[u8], lane: &mut Lane, out: &mut [u32]) -> Result<(), Self::Error>;
    /// Decodes `out[lane.i..]` with every bound checked; the bit where the chunk's last codeword
    /// ends.
    fn finish(&self, bytes: &[u8], lane: &Lane, out: &mut [u32]) -> Result<u64, Self::Error>;
}

#[inline(always)]
fn can_step<D: ChunkDecoder>(bytes: &[u8], lane: &Lane, out: &[u32]) -> bool {
    lane.pos + 32 <= bytes.len() && lane.i + D::MAX_PER_STEP <= out.len()
}

fn run_one<D: ChunkDecoder>(d: &D, bytes: &[u8], lane: &mut Lane, out: &mut [u32]) -> Result<u64, D::Error> {
    while can_step::<D>(bytes, lane, out) {
        d.step(bytes, lane, out)?;
    }
    d.finish(bytes, lane, out)
}

/// Four lanes in turn while all can step, then each to its end.
fn run_group<D: ChunkDecoder>(
    d: &D,
    bytes: &[u8],
    lanes: &mut [Lane],
    outs: &mut [&mut [u32]],
) -> Result<Vec<u64>, D::Error> {
    if let ([a, b, c, e], [oa, ob, oc, oe]) = (&mut *lanes, &mut *outs) {
        while can_step::<D>(bytes, a, oa)
            && can_step::<D>(bytes, b, ob)
            && can_step::<D>(bytes, c, oc)
            && can_step::<D>(bytes, e, oe)
        {
            d.step(bytes, a, oa)?;
            d.step(bytes, b, ob)?;
            d.step(bytes, c, oc)?;
            d.step(bytes, e, oe)?;
        }
    }
    lanes
        .iter_mut()
        .zip(outs.iter_mut())
        .map(|(lane, out)| run_one(d, bytes, lane, out))
        .collect()
}

/// One group of chunks on this thread: in turn, or (after any error, which is rare) one by one,
/// so that the error is the lowest erring chunk's.
fn group<D: ChunkDecoder>(
    d: &D,
    bytes: &[u8],
    starts: &[u64],
    bases: &[usize],
    outs: &mut [&mut [u32]],
) -> Result<Vec<u64>, D::Error> {
    let len_bits = bytes.len() as u64 * 8;
    let room = |s: u64, o: &[u32]| d.check_room(o.len(), len_bits.saturating_sub(s));
    if starts.iter().zip(outs.iter()).all(|(&s, o)| room(s, o).is_ok()) {
        let mut lanes: Vec<Lane> = starts.iter().zip(bases).map(|(&s, &b)| Lane::at(bytes, s, b)).collect();
        if let Ok(ends) = run_group(d, bytes, &mut lanes, outs) {
            return Ok(ends);
        }
    }
    starts
        .iter()
        .zip(bases)
        .zip(outs.iter_mut())
        .map(|((&s, &b), out)| {
            room(s, out)?;
            run_one(d, bytes, &mut Lane::at(bytes, s, b), out)
        })
        .collect()
}

/// Decodes one stream of `bytes` on this thread alone: `out.len()` symbols from bit 0; the bit
/// where the last codeword ends.
pub(crate) fn decode_one<D: ChunkDecoder>(d: &D, bytes: &[u8], out: &mut [u32]) -> Result<u64, D::Error> {
    Ok(group(d, bytes, &[0], &[0], &mut [out])?[0])
}

/// Decodes the chunks of one stream: chunk j starts at bit `starts[j]` of `bytes` and holds
/// `outs[j].len()` symbols; symbols are numbered across the chunks in order (chunk j's first is
/// the sum of the earlier chunks' lengths), as errors name them. Groups of [`INTERLEAVE`]
/// chunks run on every core (rayon). Returns the bit where each chunk's last codeword ends (its
/// start for an empty chunk), for the caller to check that each ends where the next starts; a
/// chunk may run past the next one's start. The caller checks that `starts` and `outs` have the
/// same length.
pub(crate) fn decode_chunks<D: ChunkDecoder>(
    d: &D,
    bytes: &[u8],
    starts: &[u64],
    outs: &mut [&mut [u32]],
) -> Result<Vec<u64>, D::Error> {
    debug_assert_eq!(starts.len(), outs.len());
    let bases: Vec<usize> = outs
        .iter()
        .scan(0usize, |next, o| {
            let base = *next;
            *next += o.len();
            Some(base)
        })
        .collect();
    let groups: Vec<Result<Vec<u64>, D::Error>> = outs
        .par_chunks_mut(INTERLEAVE)
        .zip(starts.par_chunks(INTERLEAVE))
        .zip(bases.par_chunks(INTERLEAVE))
        .map(|((os, ss), bs)| group(d, bytes, ss, bs, os))
        .collect();
    let mut ends = Vec::with_capacity(starts.len());
    for g in groups {
        ends.extend(g?);
    }
    Ok(ends)
}
