//! Bit-serial exp-Golomb decoder: one stream bit per clock, a fraction of the pipelined
//! decoder's area and a loop a few logic levels deep.
//!
//! ## What it does
//! The same block as [`crate::eg_decoder::EgDecoder`] (same ports, same stream, same events and
//! errors as [`crate::eg_decoder::reference`] **without** zero-run skipping): after `start` it
//! reads the lane's stream (words `0..stream_len` through `mem_addr`/`mem_data`, one clock read
//! latency) and decodes `rows x cols` EG(k) codewords, emitting one event per codeword (its
//! value-map index, column, whether it ends a row; `out_skip` is always 0). `zero_skip` is
//! ignored: a zero weight is its own event (its `1` codeword costs one clock, like any bit).
//!
//! A codeword of `L` bits takes `L` clocks, so a lane decodes `1 / (bits per weight)` weights per
//! clock (a BackSlash-trained layer has ~1.5-3 bits per weight) against the pipelined decoder's
//! one codeword (plus up to [`crate::regmap::SKIP_MAX`] zeros) per clock. What it buys is area
//! (no 64-bit window, count-leading-zero trees or funnel shifter) and clock rate: the loop is a
//! small state machine on one bit, so more lanes fit and they run faster.
//!
//! ## Datapath
//! - fetch: the current word in a shift register `sr` (`nb` bits left, MSB first) and the next in
//!   `pf`; a word is read when `pf` is empty, and `pf` moves into `sr` in the clock the last bit
//!   of `sr` is consumed, so the bit supply has no bubble at word boundaries;
//! - the state machine (one bit per clock while `enable`): in the prefix it counts zeros `m` up to
//!   [`M_MAX`]; the marker `1` starts the info field of `m + k` bits, shifted into `n` (which
//!   starts at 1, so `n` ends as the codeword's value + 2^k); a lone `1` with k = 0 is the index 0;
//! - C: the completed codeword: index `n - 2^k` and its check against `vmap_len`;
//! - D: the output registers. An event leaves D two clocks after its last bit was consumed.
//!
//! ## Errors (sticky until `start`/`abort`; decoding stops)
//! TOO_LONG: an (M_MAX + 1)-th prefix zero; PAST_END: a bit is needed and the stream's
//! `stream_len` words are all consumed; INDEX_RANGE: index ≥ `vmap_len` (checked in C). A
//! codeword's bits are consumed in order, so PAST_END is raised exactly when the reference's
//! codeword (or its M_MAX + 1 prefix zeros) extends past the stream. INDEX_RANGE, the older
//! codeword, wins over an error of the next one raised in the same clock.
use crate::eg_decoder::LEN_BITS;
use crate::regmap::{K_MAX, M_MAX};
use rust_hdl::prelude::*;

/// The bit-serial decoder block. Inputs other than `start`, `abort` and `enable` must be stable
/// during a run.
#[derive(LogicBlock)]
pub struct EgSerialDecoder {
    /// Clock.
    pub clock: Signal<In, Clock>,
    /// One-clock strobe: restart from word 0 with the current configuration; clears errors.
    pub start: Signal<In, Bit>,
    /// One-clock strobe: stop and return to idle; clears errors.
    pub abort: Signal<In, Bit>,
    /// Advance: 0 freezes the state machine and stages C-D (the fetch keeps filling).
    pub enable: Signal<In, Bit>,
    /// Exp-Golomb order, 0..=K_MAX.
    pub k: Signal<In, Bits<3>>,
    /// Zero-run skipping: ignored (every zero weight is an event).
    pub zero_skip: Signal<In, Bit>,
    /// Codewords per row, 1..=256.
    pub cols: Signal<In, Bits<9>>,
    /// Rows of this lane, 0..=256 (0: nothing to do).
    pub rows: Signal<In, Bits<9>>,
    /// Words in the stream, 0..=4096.
    pub stream_len: Signal<In, Bits<LEN_BITS>>,
    /// Value-map entries in use: indices ≥ this are an error.
    pub vmap_len: Signal<In, Bits<LEN_BITS>>,
    /// Stream memory read address (word).
    pub mem_addr: Signal<Out, Bits<12>>,
    /// Stream memory read data: the word at `mem_addr` of the previous clock.
    pub mem_data: Signal<In, Bits<32>>,
    /// An event is present (held while `enable` is 0).
    pub out_valid: Signal<Out, Bit>,
    /// Value-map index of the codeword.
    pub out_index: Signal<Out, Bits<16>>,
    /// Column of the codeword.
    pub out_col: Signal<Out, Bits<8>>,
    /// The codeword is the last of its row.
    pub out_last: Signal<Out, Bit>,
    /// Zero weights skipped before this codeword: always 0.
    pub out_skip: Signal<Out, Bits<4>>,
    /// Decoding or an event still in stage C.
    pub busy: Signal<Out, Bit>,
    /// An error stopped the decoder.
    pub error: Signal<Out, Bit>,
    /// [`crate::regmap::ErrorCode`] of the error (1 TOO_LONG, 2 INDEX_RANGE, 3 PAST_END).
    pub err_code: Signal<Out, Bits<4>>,
    /// Row within the lane of the offending codeword.
    pub err_row: Signal<Out, Bits<8>>,
    /// Column of the offending codeword.
    pub err_col: Signal<Out, Bits<8>>,

    // ---- fetch ----
    sr: DFF<Bits<32>>,
    nb: DFF<Bits<6>>,
    pf: DFF<Bits<32>>,
    pf_full: DFF<Bit>,
    inflight: DFF<Bit>,
    faddr: DFF<Bits<LEN_BITS>>,
    // ---- state machine ----
    active: DFF<Bit>,
    info: DFF<Bit>,
    m: DFF<Bits<4>>,
    rem: DFF<Bits<5>>,
    n: DFF<Bits<20>>,
    col: DFF<Bits<8>>,
    /// cols - 1, latched at start.
    cm1: DFF<Bits<8>>,
    /// 2^k, latched at start.
    p2k: DFF<Bits<20>>,
    /// vmap_len + 2^k, latched at start: values at or above it are out of range.
    nlim: DFF<Bits<21>>,
    row: DFF<Bits<8>>,
    rows_left: DFF<Bits<9>>,
    // ---- stage C ----
    c_valid: DFF<Bit>,
    c_n: DFF<Bits<20>>,
    c_col: DFF<Bits<8>>,
    c_last: DFF<Bit>,
    c_row: DFF<Bits<8>>,
    // ---- stage D (outputs) ----
    d_valid: DFF<Bit>,
    d_index: DFF<Bits<16>>,
    d_col: DFF<Bits<8>>,
    d_last: DFF<Bit>,
    // ---- errors ----
    e_flag: DFF<Bit>,
    e_code: DFF<Bits<4>>,
    e_row: DFF<Bits<8>>,
    e_col: DFF<Bits<8>>,
    // ---- combinational ----
    sbit: Signal<Local, Bit>,
    have: Signal<Local, Bit>,
    exhausted: Signal<Local, Bit>,
    run: Signal<Local, Bit>,
    go: Signal<Local, Bit>,
    issue: Signal<Local, Bit>,
    emit: Signal<Local, Bit>,
    value: Signal<Local, Bits<20>>,
    n_shift: Signal<Local, Bits<20>>,
    at_last: Signal<Local, Bit>,
    err_past: Signal<Local, Bit>,
    err_long: Signal<Local, Bit>,
    pow2k: Signal<Local, Bits<20>>,
    vidx: Signal<Local, Bits<20>>,
    idx_err: Signal<Local, Bit>,
    m_max: Constant<Bits<4>>,
    one20: Constant<Bits<20>>,
}

impl EgSerialDecoder {
    /// A decoder; the limits ([`K_MAX`], [`M_MAX`]) are fixed by the register map.
    pub fn new() -> Self {
        assert!(
            K_MAX <= 7 && M_MAX <= 15,
            "k is 3 bits and the prefix count 4 bits wide"
        );
        assert!(M_MAX + K_MAX < 32, "the info bit count is 5 bits wide");
        assert!(M_MAX + K_MAX < 20, "the info field must fit 20 bits");
        EgSerialDecoder {
            clock: Default::default(),
            start: Default::default(),
            abort: Default::default(),
            enable: Default::default(),
            k: Default::default(),
            zero_skip: Default::default(),
            cols: Default::default(),
            rows: Default::default(),
            stream_len: Default::default(),
            vmap_len: Default::default(),
            mem_addr: Default::default(),
            mem_data: Default::default(),
            out_valid: Default::default(),
            out_index: Default::default(),
            out_col: Default::default(),
            out_last: Default::default(),
            out_skip: Default::default(),
            busy: Default::default(),
            error: Default::default(),
            err_code: Default::default(),
            err_row: Default::default(),
            err_col: Default::default(),
            sr: Default::default(),
            nb: Default::default(),
            pf: Default::default(),
            pf_full: Default::default(),
            inflight: Default::default(),
            faddr: Default::default(),
            active: Default::default(),
            info: Default::default(),
            m: Default::default(),
            rem: Default::default(),
            n: Default::default(),
            col: Default::default(),
            cm1: Default::default(),
            p2k: Default::default(),
            nlim: Default::default(),
            row: Default::default(),
            rows_left: Default::default(),
            c_valid: Default::default(),
            c_n: Default::default(),
            c_col: Default::default(),
            c_last: Default::default(),
            c_row: Default::default(),
            d_valid: Default::default(),
            d_index: Default::default(),
            d_col: Default::default(),
            d_last: Default::default(),
            e_flag: Default::default(),
            e_code: Default::default(),
            e_row: Default::default(),
            e_col: Default::default(),
            sbit: Default::default(),
            have: Default::default(),
            exhausted: Default::default(),
            run: Default::default(),
            go: Default::default(),
            issue: Default::default(),
            emit: Default::default(),
            value: Default::default(),
            n_shift: Default::default(),
            at_last: Default::default(),
            err_past: Default::default(),
            err_long: Default::default(),
            pow2k: Default::default(),
            vidx: Default::default(),
            idx_err: Default::default(),
            m_max: Constant::new((M_MAX as u64).into()),
            one20: Constant::new(1.into()),
        }
    }
}

impl Default for EgSerialDecoder {
    fn default() -> Self {
        Self::new()
    }
}

impl Logic for EgSerialDecoder {
    #[hdl_gen]
    fn update(&mut self) {
        dff_setup!(
            self, clock, sr, nb, pf, pf_full, inflight, faddr, active, info, m, rem, n, col, cm1, p2k, nlim, row,
            rows_left, c_valid, c_n, c_col, c_last, c_row, d_valid, d_index, d_col, d_last, e_flag, e_code, e_row,
            e_col
        );

        // ---------------- bit supply ----------------
        self.sbit.next = self.sr.q.val().get_bit(31);
        self.have.next = self.nb.q.val() != 0;
        self.exhausted.next = (self.nb.q.val() == 0)
            & (!self.pf_full.q.val())
            & (!self.inflight.q.val())
            & (self.faddr.q.val() == self.stream_len.val());
        self.run.next = self.active.q.val() & self.enable.val() & (!self.e_flag.q.val());
        self.go.next = self.run.val() & self.have.val();
        // A word is read when the prefetch register is empty (one read in flight at most: a word
        // lasts 32 clocks, a read two).
        self.issue.next = self.active.q.val()
            & (!self.inflight.q.val())
            & (!self.pf_full.q.val())
            & (self.faddr.q.val() < self.stream_len.val());
        self.mem_addr.next = bit_cast::<12, LEN_BITS>(self.faddr.q.val());
        self.inflight.d.next = self.issue.val();
        if self.issue.val() {
            self.faddr.d.next = self.faddr.q.val() + 1;
        }
        if self.go.val() {
            self.sr.d.next = self.sr.q.val() << 1;
            self.nb.d.next = self.nb.q.val() - 1;
            if (self.nb.q.val() == 1) & self.pf_full.q.val() {
                self.sr.d.next = self.pf.q.val();
                self.nb.d.next = 32.into();
                self.pf_full.d.next = false;
            }
        } else if (self.nb.q.val() == 0) & self.pf_full.q.val() {
            self.sr.d.next = self.pf.q.val();
            self.nb.d.next = 32.into();
            self.pf_full.d.next = false;
        }
        // The read issued last clock arrives (pf was empty then and cannot have been moved since).
        if self.inflight.q.val() {
            self.pf.d.next = self.mem_data.val();
            self.pf_full.d.next = true;
        }

        // ---------------- the state machine ----------------
        self.n_shift.next = self.n.q.val() << 1;
        if self.sbit.val() {
            self.n_shift.next = (self.n.q.val() << 1) | 1_u64;
        }
        self.emit.next = false;
        self.value.next = self.n_shift.val();
        self.err_long.next = false;
        if self.go.val() {
            if !self.info.q.val() {
                if self.sbit.val() {
                    if (self.m.q.val() == 0) & (self.k.val() == 0) {
                        // `1`: the value 1, index 0.
                        self.emit.next = true;
                        self.value.next = 1.into();
                    } else {
                        self.info.d.next = true;
                        self.rem.d.next = bit_cast::<5, 4>(self.m.q.val()) + bit_cast::<5, 3>(self.k.val());
                        self.n.d.next = 1.into();
                    }
                } else if self.m.q.val() == self.m_max.val() {
                    self.err_long.next = true;
                } else {
                    self.m.d.next = self.m.q.val() + 1;
                }
            } else {
                self.n.d.next = self.n_shift.val();
                self.rem.d.next = self.rem.q.val() - 1;
                if self.rem.q.val() == 1 {
                    self.emit.next = true;
                }
            }
        }
        self.err_past.next = self.run.val() & (!self.have.val()) & self.exhausted.val();
        self.at_last.next = self.col.q.val() == self.cm1.q.val();
        if self.emit.val() {
            self.info.d.next = false;
            self.m.d.next = 0.into();
            self.col.d.next = self.col.q.val() + 1;
            if self.at_last.val() {
                self.col.d.next = 0.into();
                self.row.d.next = self.row.q.val() + 1;
                self.rows_left.d.next = self.rows_left.q.val() - 1;
                if self.rows_left.q.val() == 1 {
                    self.active.d.next = false;
                }
            }
        }

        // ---------------- stage C: index and range check; stage D ----------------
        // 2^k and vmap_len + 2^k are latched at start: the range check is one comparison,
        // `n - 2^k >= vmap_len` as `n >= vmap_len + 2^k`, beside the subtraction (a complete
        // codeword's value is at least 2^k: the index does not wrap).
        self.pow2k.next = self.one20.val() << self.k.val();
        self.vidx.next = self.c_n.q.val() - self.p2k.q.val();
        self.idx_err.next = self.c_valid.q.val() & (bit_cast::<21, 20>(self.c_n.q.val()) >= self.nlim.q.val());
        if self.enable.val() {
            self.c_valid.d.next = self.emit.val();
            self.c_n.d.next = self.value.val();
            self.c_col.d.next = self.col.q.val();
            self.c_last.d.next = self.at_last.val();
            self.c_row.d.next = self.row.q.val();
            self.d_valid.d.next = self.c_valid.q.val() & (!self.idx_err.val()) & (!self.e_flag.q.val());
            self.d_index.d.next = bit_cast::<16, 20>(self.vidx.val());
            self.d_col.d.next = self.c_col.q.val();
            self.d_last.d.next = self.c_last.q.val();
        }

        // ---------------- errors: the older codeword (in C) wins ----------------
        if !self.e_flag.q.val() {
            if self.idx_err.val() {
                self.e_flag.d.next = true;
                self.e_code.d.next = 2.into();
                self.e_row.d.next = self.c_row.q.val();
                self.e_col.d.next = self.c_col.q.val();
                self.active.d.next = false;
            } else if self.err_past.val() {
                self.e_flag.d.next = true;
                self.e_code.d.next = 3.into();
                self.e_row.d.next = self.row.q.val();
                self.e_col.d.next = self.col.q.val();
                self.active.d.next = false;
            } else if self.err_long.val() {
                self.e_flag.d.next = true;
                self.e_code.d.next = 1.into();
                self.e_row.d.next = self.row.q.val();
                self.e_col.d.next = self.col.q.val();
                self.active.d.next = false;
            }
        }

        // ---------------- start / abort ----------------
        if self.start.val() | self.abort.val() {
            self.active.d.next = self.start.val() & (self.rows.val() != 0);
            self.nb.d.next = 0.into();
            self.pf_full.d.next = false;
            self.inflight.d.next = false;
            self.faddr.d.next = 0.into();
            self.info.d.next = false;
            self.m.d.next = 0.into();
            self.col.d.next = 0.into();
            self.cm1.d.next = bit_cast::<8, 9>(self.cols.val() - 1);
            self.p2k.d.next = self.pow2k.val();
            self.nlim.d.next = bit_cast::<21, LEN_BITS>(self.vmap_len.val()) + bit_cast::<21, 20>(self.pow2k.val());
            self.row.d.next = 0.into();
            self.rows_left.d.next = self.rows.val();
            self.c_valid.d.next = false;
            self.d_valid.d.next = false;
            self.e_flag.d.next = false;
            self.e_code.d.next = 0.into();
            self.e_row.d.next = 0.into();
            self.e_col.d.next = 0.into();
        }

        // ---------------- outputs ----------------
        self.out_valid.next = self.d_valid.q.val();
        self.out_index.next = self.d_index.q.val();
        self.out_col.next = self.d_col.q.val();
        self.out_last.next = self.d_last.q.val();
        self.out_skip.next = 0.into();
        self.busy.next = self.active.q.val() | self.c_valid.q.val();
        self.error.next = self.e_flag.q.val();
        self.err_code.next = self.e_code.q.val();
        self.err_row.next = self.e_row.q.val();
        self.err_col.next = self.e_col.q.val();
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::eg_decoder::tests::{cfg_for, expand, random_indices, run_decoder};
    use crate::eg_decoder::{reference, DecodeConfig, DecodeFault, Event};
    use crate::regmap::ErrorCode;
    use golden::expgolomb;
    use golden::layout::words_from_bytes;
    use rand::{Rng, SeedableRng};
    use rand_chacha::ChaCha8Rng;

    fn run_hw(
        words: &[u32],
        cfg: &DecodeConfig,
        stall: impl Fn(u64) -> bool,
    ) -> (Vec<Event>, Option<DecodeFault>, u64) {
        run_decoder!(EgSerialDecoder::new(), words, cfg, stall)
    }

    /// The specification of this block: the reference without zero-run skipping.
    fn spec(words: &[u32], cfg: &DecodeConfig) -> (Vec<Event>, Option<DecodeFault>) {
        reference(
            words,
            &DecodeConfig {
                zero_skip: false,
                ..*cfg
            },
        )
    }

    #[test]
    fn random_streams_one_bit_per_clock_with_and_without_stalls() {
        let mut rng = ChaCha8Rng::seed_from_u64(12);
        for trial in 0..6 {
            let k = [0, 0, 1, 3, 5, 7][trial];
            let (rows, cols) = (3, 23);
            let zero_frac = [0.8, 0.0, 0.5, 0.3, 0.5, 0.5][trial];
            let idx = random_indices(&mut rng, rows * cols, zero_frac, 300);
            let bytes = expgolomb::encode(&idx, k);
            let bits: u64 = idx.iter().map(|&v| expgolomb::codeword_len(v, k) as u64).sum();
            let words = words_from_bytes(&bytes);
            // zero_skip is requested and ignored: every zero is an event.
            let cfg = cfg_for(&words, k, k == 0, rows as u32, cols as u32);
            let (want, fault) = spec(&words, &cfg);
            assert_eq!(fault, None);
            assert_eq!(expand(&want), idx);
            let (got, fault, last) = run_hw(&words, &cfg, |_| false);
            assert_eq!(fault, None, "trial {trial}");
            assert_eq!(got, want, "trial {trial}");
            assert!(got.iter().all(|e| e.skip == 0));
            // One bit per clock: start, 3 clocks of first fetch, 2 of output pipeline.
            assert!(last <= bits + 6, "trial {trial}: {bits} bits in {last} clocks");
            assert!(last >= bits, "trial {trial}: {bits} bits in {last} clocks");
            let seed: u64 = rng.random();
            let (got, fault, _) = run_hw(&words, &cfg, move |c| (c.wrapping_mul(seed) >> 61) == 0);
            assert_eq!(fault, None, "trial {trial} (stalls)");
            assert_eq!(got, want, "trial {trial} (stalls)");
        }
    }

    #[test]
    fn every_codeword_length_and_word_offset() {
        for k in [0, 2, K_MAX] {
            let mut idx = Vec::new();
            for m in 0..=M_MAX {
                let lo = ((1u32 << m) - 1) << k;
                let hi = (((1u32 << (m + 1)) - 1) << k) - 1;
                idx.extend([lo, hi]);
            }
            idx.extend([0, 1, 0, 2, 1, 0, 0, 3]);
            let words = words_from_bytes(&expgolomb::encode(&idx, k));
            let cfg = DecodeConfig {
                vmap_len: 4095,
                ..cfg_for(&words, k, false, 1, idx.len() as u32)
            };
            let want = spec(&words, &cfg);
            let (got, fault, _) = run_hw(&words, &cfg, |_| false);
            assert_eq!((got, fault), want, "k = {k}");
        }
    }

    #[test]
    fn malformed_streams_raise_the_reference_error() {
        let cases: Vec<(Vec<u32>, DecodeConfig)> = {
            let long = vec![0x0004_0000, 0];
            let range = words_from_bytes(&expgolomb::encode(&[0, 1, 9, 0], 0));
            let past = words_from_bytes(&expgolomb::encode(&[3; 40], 0));
            vec![
                (long.clone(), cfg_for(&long, 0, false, 1, 4)),
                (
                    range.clone(),
                    DecodeConfig {
                        vmap_len: 5,
                        ..cfg_for(&range, 0, true, 1, 4)
                    },
                ),
                (
                    past.clone(),
                    DecodeConfig {
                        stream_len: 4,
                        ..cfg_for(&past, 0, false, 2, 20)
                    },
                ),
                (
                    past.clone(),
                    DecodeConfig {
                        stream_len: 0,
                        ..cfg_for(&past, 0, false, 2, 20)
                    },
                ),
                // exactly M_MAX prefix zeros is fine (index 2^11 - 1), M_MAX + 1 is too long
                (vec![0x0010_0000, 0], cfg_for(&[0, 0], 0, false, 1, 1)),
                (vec![0x0008_0000, 0], cfg_for(&[0, 0], 0, false, 1, 1)),
            ]
        };
        let mut codes = Vec::new();
        for (i, (words, cfg)) in cases.iter().enumerate() {
            let want = spec(words, cfg);
            let (got, fault, _) = run_hw(words, cfg, |_| false);
            assert_eq!((got, fault), want, "case {i}");
            codes.push(want.1.map(|f| f.code));
        }
        assert_eq!(
            codes,
            [
                Some(ErrorCode::TooLong),
                Some(ErrorCode::IndexRange),
                Some(ErrorCode::PastEnd),
                Some(ErrorCode::PastEnd),
                None,
                Some(ErrorCode::TooLong)
            ]
        );
    }

    mod props {
        use super::*;
        use proptest::prelude::*;

        proptest! {
            #![proptest_config(ProptestConfig::with_cases(16))]
            /// On arbitrary words (valid or not) the block emits the specification's events and
            /// error, with random stalls.
            #[test]
            fn hardware_follows_reference(words in proptest::collection::vec(any::<u32>(), 0..5),
                                          shifts in proptest::collection::vec(0u32..24, 5),
                                          k in 0u32..=K_MAX, cols in 1u32..12, rows in 1u32..4,
                                          vmap_len in 1u32..100, stall_seed: u64) {
                let words: Vec<u32> = words.iter().zip(&shifts).map(|(w, s)| w >> s).collect();
                let cfg = DecodeConfig { vmap_len, ..cfg_for(&words, k, k == 0, rows, cols) };
                let want = spec(&words, &cfg);
                let stall = move |c: u64| (c.wrapping_mul(stall_seed | 1) >> 62) == 0;
                let (got, fault, _) = run_hw(&words, &cfg, stall);
                prop_assert_eq!((got, fault), want);
            }
        }
    }
}
