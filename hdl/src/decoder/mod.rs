//! The lane's exp-Golomb decoders and what they share: the ports ([`DecoderIo`]), the
//! specification of a run ([`DecodeConfig`] in, [`Event`]s and a [`DecodeFault`] out, and
//! [`reference`], the executable specification) and, for the tests, one bench (`bench.rs`).
//!
//! - [`pipelined`]: [`EgDecoder`], one codeword per clock with zero-run skipping;
//! - [`serial`]: [`EgSerialDecoder`], one stream bit per clock, without zero-run skipping;
//! - [`lane`]: [`LaneDecoder`], the lane's choice of the two, made when the Verilog is generated.
//!
//! A decoder reads the lane's stream (words `0..stream_len` through `mem_addr`/`mem_data`, one
//! clock read latency) after `start` and decodes `rows x cols` EG(k) codewords (the lane's rows,
//! see `golden::layout`), emitting one event per decoded codeword: its value-map index, its
//! column, whether it ends a row and how many zero weights were skipped before it. Errors
//! (TOO_LONG, PAST_END, INDEX_RANGE) are sticky until `start`/`abort` and stop the decoding.
//! Each implementation's latency is its `LATENCY` constant ([`pipelined::LATENCY`],
//! [`serial::LATENCY`]), summed in [`crate::latency`].
use crate::regmap::{ErrorCode, M_MAX, SKIP_MAX};
use rust_hdl::prelude::*;

#[cfg(test)]
pub(crate) mod bench;
pub mod lane;
pub mod pipelined;
pub mod serial;

pub use lane::LaneDecoder;
pub use pipelined::EgDecoder;
pub use serial::EgSerialDecoder;

/// Width of VMAP_LEN and the value-map index compares (up to 4096 entries).
pub const LEN_BITS: usize = 13;

/// Width of the stream-length input and the word counter: streams up to
/// 2^[`crate::regmap::STREAM_WORDS_LOG2_MAX`] = 16K words.
pub const WORD_BITS: usize = crate::regmap::STREAM_WORDS_LOG2_MAX as usize + 1;
/// Width of a stream word address (the decoder's fetch address, the stream memories' address).
pub const ADDR_BITS: usize = WORD_BITS - 1;

/// Width of a row or column count (COLS, ROWS, the rows and codewords left): up to
/// 2^[`crate::regmap::DIM_LOG2_MAX`] = 2048.
pub const DIM_BITS: usize = 12;
/// Width of a row or column number (0..2048).
pub const IDX_BITS: usize = 11;
const _: () = assert!(DIM_BITS == crate::regmap::DIM_LOG2_MAX as usize + 1 && IDX_BITS + 1 == DIM_BITS);

/// The ports every decoder has, but the clock (a field of each block, as rust-hdl's `dff_setup!`
/// wants it): a run's configuration, the stream memory's read port, the event and the error.
/// Directions are the decoder's. Inputs other than `start`, `abort` and `enable` must be stable
/// during a run.
///
/// A block that holds a decoder drives these inputs and reads these outputs
/// (`self.decoder.io.start.next = ...`); a block that passes a decoder's ports on links them in
/// its `#[hdl_gen] update`, `DecoderIo::link(&mut self.io, &mut self.inner.io)` ([`LaneDecoder`]),
/// which in the Verilog connects the inner decoder's ports to the outer block's directly.
#[derive(LogicInterface, Default)]
pub struct DecoderIo {
    /// One-clock strobe: restart from word 0 with the current configuration; clears errors.
    pub start: Signal<In, Bit>,
    /// One-clock strobe: stop and return to idle; clears errors.
    pub abort: Signal<In, Bit>,
    /// The consumer takes the event on the outputs (`out_valid & enable`); 0 holds it. What else
    /// it does is the implementation's: the pipelined decoder's stages freeze (its fetch queue
    /// keeps filling), the bit-serial decoder goes on decoding into its queue while it has room.
    pub enable: Signal<In, Bit>,
    /// Exp-Golomb order, 0..=K_MAX.
    pub k: Signal<In, Bits<3>>,
    /// Zero-run skipping (only meaningful with k = 0; the bit-serial decoder ignores it: every
    /// zero weight is an event).
    pub zero_skip: Signal<In, Bit>,
    /// Codewords per row, 1..=2048.
    pub cols: Signal<In, Bits<DIM_BITS>>,
    /// Rows of this lane, 0..=2048 (0: nothing to do).
    pub rows: Signal<In, Bits<DIM_BITS>>,
    /// Words in the stream, 0..=16384.
    pub stream_len: Signal<In, Bits<WORD_BITS>>,
    /// Value-map entries in use: indices ≥ this are an error.
    pub vmap_len: Signal<In, Bits<LEN_BITS>>,
    /// Stream memory read address (word).
    pub mem_addr: Signal<Out, Bits<ADDR_BITS>>,
    /// Stream memory read data: the word at `mem_addr` of the previous clock.
    pub mem_data: Signal<In, Bits<32>>,
    /// An event is present (held while `enable` is 0).
    pub out_valid: Signal<Out, Bit>,
    /// Value-map index of the codeword.
    pub out_index: Signal<Out, Bits<16>>,
    /// Column of the codeword.
    pub out_col: Signal<Out, Bits<IDX_BITS>>,
    /// The codeword is the last of its row.
    pub out_last: Signal<Out, Bit>,
    /// Zero weights skipped just before this codeword (0..=SKIP_MAX; always 0 from the
    /// bit-serial decoder).
    pub out_skip: Signal<Out, Bits<4>>,
    /// Decoding, or events still in the decoder (the bit-serial decoder: also an error not yet
    /// shown).
    pub busy: Signal<Out, Bit>,
    /// An error stopped the decoder (the bit-serial decoder raises it once the events before it
    /// have left).
    pub error: Signal<Out, Bit>,
    /// [`ErrorCode`] of the error (1 TOO_LONG, 2 INDEX_RANGE, 3 PAST_END); this and `err_row`,
    /// `err_col` are meaningful while `error` is 1.
    pub err_code: Signal<Out, Bits<4>>,
    /// Row within the lane of the offending codeword.
    pub err_row: Signal<Out, Bits<IDX_BITS>>,
    /// Column of the offending codeword.
    pub err_col: Signal<Out, Bits<IDX_BITS>>,
}

/// Configuration of one decoding run (the decoder's static inputs).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DecodeConfig {
    /// Exp-Golomb order.
    pub k: u32,
    /// Zero-run skipping.
    pub zero_skip: bool,
    /// Codewords per row.
    pub cols: u32,
    /// Rows of the lane.
    pub rows: u32,
    /// Words of the stream that may be read.
    pub stream_len: u32,
    /// Value-map entries in use.
    pub vmap_len: u32,
}

/// One decoded codeword as the decoder emits it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Event {
    /// Zero weights skipped right before it.
    pub skip: u32,
    /// Its value-map index.
    pub index: u32,
    /// Its column.
    pub col: u32,
    /// It ends its row.
    pub last: bool,
}

/// A decoding error with its position.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DecodeFault {
    /// What went wrong.
    pub code: ErrorCode,
    /// Row within the lane.
    pub row: u32,
    /// Column of the codeword.
    pub col: u32,
}

/// The decoder's specification in plain Rust: the events it emits, in order, and the error that
/// stops it (if any). `words` beyond `words.len()` read as 0.
pub fn reference(words: &[u32], cfg: &DecodeConfig) -> (Vec<Event>, Option<DecodeFault>) {
    let total_bits = cfg.stream_len as u64 * 32;
    let bit_at = |p: u64| -> u64 {
        let w = (p / 32) as usize;
        if p >= total_bits || w >= words.len() {
            0
        } else {
            ((words[w] >> (31 - (p % 32))) & 1) as u64
        }
    };
    let peek32 = |p: u64| -> u32 { (0..32).fold(0u32, |acc, i| (acc << 1) | bit_at(p + i) as u32) };
    let mut events = Vec::new();
    let mut p = 0u64;
    for row in 0..cfg.rows {
        let mut col = 0u32;
        while col < cfg.cols {
            let bits = peek32(p);
            let limit = if cfg.zero_skip && cfg.k == 0 {
                SKIP_MAX.min(cfg.cols - col - 1)
            } else {
                0
            };
            let n1 = bits.leading_ones().min(limit);
            let t = if n1 == 0 { bits } else { bits & (u32::MAX >> n1) };
            let lz = t.leading_zeros();
            let m = lz - n1;
            let too_long = m > M_MAX;
            let c = 2 * lz - n1 + 1 + cfg.k;
            let need = if too_long { n1 + M_MAX + 1 } else { c };
            let fault = |code| {
                Some(DecodeFault {
                    code,
                    row,
                    col: col + n1,
                })
            };
            if p + need as u64 > total_bits {
                return (events, fault(ErrorCode::PastEnd));
            }
            if too_long {
                return (events, fault(ErrorCode::TooLong));
            }
            let n = (t as u64) >> (32 - c);
            let index = n - (1u64 << cfg.k);
            if index >= cfg.vmap_len as u64 {
                return (events, fault(ErrorCode::IndexRange));
            }
            events.push(Event {
                skip: n1,
                index: index as u32,
                col: col + n1,
                last: col + n1 == cfg.cols - 1,
            });
            p += c as u64;
            col += n1 + 1;
        }
    }
    (events, None)
}

#[cfg(test)]
mod tests {
    use super::bench::{cfg_for, expand, random_indices};
    use super::*;
    use crate::regmap::K_MAX;
    use golden::expgolomb;
    use golden::layout::words_from_bytes;
    use rand::{Rng, SeedableRng};
    use rand_chacha::ChaCha8Rng;

    #[test]
    fn reference_agrees_with_golden() {
        let mut rng = ChaCha8Rng::seed_from_u64(1);
        for trial in 0..300 {
            let k = trial % (K_MAX + 1);
            let zs = trial % 2 == 0;
            let rows = rng.random_range(1..6);
            let cols = rng.random_range(1..40);
            let max = if rng.random_bool(0.5) { 8 } else { 4000 };
            let idx = random_indices(&mut rng, (rows * cols) as usize, 0.7, max);
            let words = words_from_bytes(&expgolomb::encode(&idx, k));
            let cfg = cfg_for(&words, k, zs, rows, cols);
            let (events, fault) = reference(&words, &cfg);
            assert_eq!(fault, None, "trial {trial}");
            assert_eq!(expand(&events), idx, "trial {trial}");
            assert_eq!(events.iter().filter(|e| e.last).count(), rows as usize);
            assert!(events.iter().all(|e| e.skip <= SKIP_MAX));
            if !zs || k > 0 {
                assert!(events.iter().all(|e| e.skip == 0));
            }
        }
    }

    mod props {
        use super::*;
        use proptest::prelude::*;

        fn index_strategy() -> impl Strategy<Value = u32> {
            prop_oneof![4 => Just(0u32), 3 => 1u32..8, 2 => 8u32..300, 1 => 300u32..4000]
        }

        proptest! {
            #![proptest_config(ProptestConfig::with_cases(64))]
            /// The specification expands back to golden's indices for any valid stream.
            #[test]
            fn reference_round_trips(idx in proptest::collection::vec(index_strategy(), 1..120),
                                     k in 0u32..=K_MAX, zs: bool, cols in 1u32..20) {
                let rows = (idx.len() as u32).div_ceil(cols);
                let mut idx = idx;
                idx.resize((rows * cols) as usize, 0);
                let words = words_from_bytes(&expgolomb::encode(&idx, k));
                let cfg = cfg_for(&words, k, zs, rows, cols);
                let (events, fault) = reference(&words, &cfg);
                prop_assert_eq!(fault, None);
                prop_assert_eq!(expand(&events), idx);
            }
        }
    }
}
