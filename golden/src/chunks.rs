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

/// Bits of the fast decoders' look-up window.
pub(crate) const WINDOW: u32 = 14;
/// Most codewords one look-up of a [`MultiTable`] decodes.
pub(crate) const PER_LOOKUP: usize = 4;
/// Look-ups per [`step`]: they use at most `4 * WINDOW = 56` of the >= 56 buffered bits.
const LOOKUPS: usize = 4;
const _: () = assert!(LOOKUPS as u32 * WINDOW <= 56);
/// Most symbols one [`step`] writes (the last look-up writes four slots whatever its count).
pub(crate) const MAX_PER_STEP: usize = LOOKUPS * PER_LOOKUP;
/// The output slots a [`step`] may touch: a look-up writes four slots at an offset taken modulo
/// 16, so that the bound needs no check (the offset is at most 12).
const STEP_SLOTS: usize = 16 + PER_LOOKUP;
const WINDOWS: usize = 1 << WINDOW;

/// The multi-symbol table of a prefix code, keyed by the next [`WINDOW`] bits: the complete
/// codewords at the window's start, up to [`PER_LOOKUP`] of them with values below 2^16.
/// `meta` (32 KiB, on the serial path, stays in the L1 cache) is `bits used | count << 8`, 0 when
/// the first codeword is longer than the window or its value is 2^16 or more; `syms` (256 KiB,
/// read off the serial path) holds the values as the four `u32` slots one look-up stores (unused
/// slots 0).
#[derive(Clone, PartialEq, Eq)]
pub(crate) struct MultiTable {
    meta: Box<[u16; WINDOWS]>,
    syms: Box<[[u32; PER_LOOKUP]; WINDOWS]>,
}

impl std::fmt::Debug for MultiTable {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let slow = self.meta.iter().filter(|&&m| m == 0).count();
        write!(f, "MultiTable({} windows, {slow} to the long path)", self.meta.len())
    }
}

impl MultiTable {
    /// The table of the code whose first codeword in a left-aligned window `w` (bits past the
    /// window are 0) is `first(w) = Some((value, length))`, `None` when it does not decode there.
    pub(crate) fn from_first(first: impl Fn(u64) -> Option<(u32, u32)>) -> MultiTable {
        let singles: Vec<(u32, u32)> = (0..WINDOWS as u64)
            .map(|p| {
                first(p << (64 - WINDOW))
                    .filter(|&(_, len)| len <= WINDOW)
                    .unwrap_or((0, 0))
            })
            .collect();
        MultiTable::from_singles(&singles)
    }

    /// The table from the first codeword of every window: `singles[p] = (value, length)`, length
    /// 0 when the window does not hold one whole (a window's low bits past its codeword are
    /// arbitrary, so a codeword of length l fills 2^(WINDOW - l) entries).
    pub(crate) fn from_singles(singles: &[(u32, u32)]) -> MultiTable {
        debug_assert_eq!(singles.len(), WINDOWS);
        let mut meta: Box<[u16; WINDOWS]> = vec![0u16; WINDOWS].into_boxed_slice().try_into().expect("size");
        let mut syms: Box<[[u32; PER_LOOKUP]; WINDOWS]> = vec![[0u32; PER_LOOKUP]; WINDOWS]
            .into_boxed_slice()
            .try_into()
            .expect("size");
        let mask = WINDOWS - 1;
        for (p, (m, out)) in meta.iter_mut().zip(syms.iter_mut()).enumerate() {
            let (mut used, mut n) = (0u32, 0usize);
            while n < PER_LOOKUP {
                // The window's bits after `used`, zero-filled: a codeword that ends within the
                // real `WINDOW - used` of them is decided by real bits only.
                let (v, len) = singles[(p << used) & mask];
                if len == 0 || len > WINDOW - used || v >= 1 << 16 {
                    break;
                }
                out[n] = v;
                used += len;
                n += 1;
            }
            *m = if n == 0 { 0 } else { used as u16 | (n as u16) << 8 };
        }
        MultiTable { meta, syms }
    }
}

/// A code's decoder for [`decode_chunks`].
pub(crate) trait ChunkDecoder: Sync {
    /// The code's error.
    type Error: Send;
    /// Err if `count` symbols cannot fit in `bits` bits (every codeword's least length): checked
    /// before a chunk is decoded, so that no count makes the decoder read or write out of bounds.
    fn check_room(&self, count: usize, bits: u64) -> Result<(), Self::Error>;
    /// The code's multi-symbol table.
    fn table(&self) -> &MultiTable;
    /// One codeword the table does not decode, into `out[lane.i]`, with the >= 56 bits one refill
    /// gives (and a second refill where the codeword needs it). Runs only where [`step`] may.
    fn long(&self, bytes: &[u8], lane: &mut Lane, out: &mut [u32]) -> Result<(), Self::Error>;
    /// Decodes `out[lane.i..]` with every bound checked; the bit where the chunk's last codeword
    /// ends.
    fn finish(&self, bytes: &[u8], lane: &Lane, out: &mut [u32]) -> Result<u64, Self::Error>;
}

/// One refill and [`LOOKUPS`] table look-ups into `out[lane.i..]`. Runs only while the lane
/// [`can_step`]; a codeword the table does not decode ends the step there, through
/// [`ChunkDecoder::long`]. (Taking the look-ups of two or four lanes in turn inside one step was
/// slower: their state no longer fits the registers.)
#[inline(always)]
fn step<D: ChunkDecoder>(d: &D, bytes: &[u8], lane: &mut Lane, out: &mut [u32]) -> Result<(), D::Error> {
    let t = d.table();
    let (meta, syms) = (&*t.meta, &*t.syms);
    let Some(dst) = out
        .get_mut(lane.i..lane.i + STEP_SLOTS)
        .and_then(|s| <&mut [u32; STEP_SLOTS]>::try_from(s).ok())
    else {
        return d.long(bytes, lane, out); // not reached: the lane can step
    };
    // The lane in registers, written back once.
    let mut l = *lane;
    l.refill(bytes);
    // Bits used (low byte) and symbols written (above), summed from the entries.
    let mut acc = 0usize;
    for _ in 0..LOOKUPS {
        let p = (l.buf >> (64 - WINDOW)) as usize;
        let m = meta[p];
        if m == 0 {
            l.i += acc >> 8;
            l.avail -= (acc & 0xff) as u32;
            *lane = l;
            return d.long(bytes, lane, out);
        }
        let o = (acc >> 8) & 15;
        dst[o..o + PER_LOOKUP].copy_from_slice(&syms[p]);
        acc += usize::from(m);
        // The shift takes the low 6 bits of `m`: its bits used.
        l.buf = l.buf.wrapping_shl(u32::from(m));
    }
    l.i += acc >> 8;
    l.avail -= (acc & 0xff) as u32;
    *lane = l;
    Ok(())
}

#[inline(always)]
fn can_step(bytes: &[u8], lane: &Lane, out: &[u32]) -> bool {
    lane.pos + 32 <= bytes.len() && lane.i + STEP_SLOTS <= out.len()
}

/// The most bytes one [`step`] moves `pos` on: 7 per refill, its own and at most two in
/// [`ChunkDecoder::long`].
const STEP_BYTES: usize = 3 * 7;

/// How many more steps the lane can surely take: each moves `pos` on by at most [`STEP_BYTES`]
/// and writes at most [`MAX_PER_STEP`] symbols.
#[inline(always)]
fn safe_steps(bytes: &[u8], lane: &Lane, out: &[u32]) -> usize {
    let by_bytes = bytes.len().saturating_sub(lane.pos + 32) / STEP_BYTES;
    let by_slots = out.len().saturating_sub(lane.i + STEP_SLOTS) / MAX_PER_STEP;
    if can_step(bytes, lane, out) {
        1 + by_bytes.min(by_slots)
    } else {
        0
    }
}

fn run_one<D: ChunkDecoder>(d: &D, bytes: &[u8], lane: &mut Lane, out: &mut [u32]) -> Result<u64, D::Error> {
    while can_step(bytes, lane, out) {
        step(d, bytes, lane, out)?;
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
        loop {
            let n = [(&*a, &**oa), (&*b, &**ob), (&*c, &**oc), (&*e, &**oe)]
                .map(|(l, o)| safe_steps(bytes, l, o))
                .into_iter()
                .min()
                .unwrap_or(0);
            if n == 0 {
                break;
            }
            for _ in 0..n {
                step(d, bytes, a, oa)?;
                step(d, bytes, b, ob)?;
                step(d, bytes, c, oc)?;
                step(d, bytes, e, oe)?;
            }
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
