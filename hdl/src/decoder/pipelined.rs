//! Pipelined exp-Golomb decoder with zero-run skipping: one codeword per clock from a stream of
//! 32-bit words in a synchronous-read memory.
//!
//! ## What it does
//! After `start`, it reads the lane's stream (words `0..stream_len` through `mem_addr`/`mem_data`,
//! one clock read latency) and decodes `rows x cols` EG(k) codewords (the lane's rows, see
//! `golden::layout`). Each clock in which it is enabled it decodes one codeword, and with
//! `zero_skip` (k = 0, value-map index 0 is the weight 0) also up to [`SKIP_MAX`] `1` codewords
//! (zero weights) in front of it, never across the end of a row. It emits one event per decoded
//! codeword: its value-map index, its column, whether it ends a row, and how many zero weights were
//! skipped before it. [`reference`](super::reference) is the exact software specification of the events and errors.
//!
//! ## Pipeline (docs/hardware.md has the timing diagram)
//! - fetch: a 4-word queue `q0..q3` (the window `{q0, q1}` plus two words of slack) refilled one
//!   word per clock from registered state only, so that a word is consumed every clock without a
//!   bubble at word boundaries. Slots past the queue count hold zeros, so the window reads the
//!   bits past the stream's end as zeros (as [`reference`](super::reference) does) without gating;
//! - A (the loop, only what feeds the next position): with `pos` the codeword's bit offset in the
//!   64-bit window `W = {q0, q1}`, two count-leading-zero trees run side by side on masked copies
//!   of `W`: `z`, the first 0 at or after `pos` (the end of the run of `1` codewords), and `a`,
//!   the first 1 at or after `pos + 1` that follows a 0 (the codeword's marker bit). The run is
//!   skipped when `z - pos <= lim` (`lim`: the skip allowance from registered state); then the
//!   codeword starts at `z`, has `a - z` prefix zeros, and the next one starts at
//!   `2a - z + 1 + k`. Otherwise only `lim` ones are skipped and the codeword is a `1`:
//!   the next starts at `pos + lim + 1 + k`. No shifter is in the loop. A also funnel-shifts the
//!   32 bits at `pos` for the info field (in parallel, not in the loop);
//! - B: prefix length, TOO_LONG and PAST_END classification, shift amount, skipped ones cleared;
//! - S: right-shift the codeword's info bits into place;
//! - C: subtract `2^k`, check the index against `vmap_len`;
//! - D: the output registers. An event leaves D four clocks after its codeword was in the window.
//!
//! ## Errors (sticky until `start`/`abort`; decoding stops)
//! TOO_LONG: more than [`M_MAX`] prefix zeros; PAST_END: the codeword needs bits beyond
//! `stream_len` words; INDEX_RANGE: index ≥ `vmap_len`. `err_row` (row within the lane) and
//! `err_col` locate the codeword. `error` rises 3 clocks (TOO_LONG, PAST_END: classified in B,
//! raised from S) or 4 clocks (INDEX_RANGE: checked in C) after the codeword was in stage A; an
//! older codeword's error always wins. Bounded: every decode consumes ≥ 1 bit or raises an
//! error, and an exhausted stream raises PAST_END, so the decoder always finishes.
use super::{DecoderIo, ADDR_BITS, DIM_BITS, IDX_BITS, LEN_BITS, WORD_BITS};
use crate::bitops::{Clz64, Funnel64, Shr32};
use crate::regmap::{K_MAX, M_MAX, SKIP_MAX};

/// The decoder's latency: with `start` in clock 0 and no stall, the n-th of n events (codewords,
/// no zero run skipped) leaves stage D in clock n + LATENCY: the word fetch's fill and stages A,
/// B, S, C, D. Measured by this file's tests (`every_codeword_length_and_word_offset_at_one_per_clock`).
pub const LATENCY: u64 = 7;
use rust_hdl::prelude::*;

/// The decoder block. Inputs other than `start`, `abort` and `enable` must be stable during a run.
#[derive(LogicBlock)]
pub struct EgDecoder {
    /// Clock.
    pub clock: Signal<In, Clock>,
    /// The decoder's ports (documented on [`DecoderIo`]).
    pub io: DecoderIo,

    // ---- state: fetch queue and loop ----
    q0: DFF<Bits<32>>,
    q1: DFF<Bits<32>>,
    q2: DFF<Bits<32>>,
    q3: DFF<Bits<32>>,
    nq: DFF<Bits<3>>,
    inflight: DFF<Bit>,
    faddr: DFF<Bits<WORD_BITS>>,
    pos: DFF<Bits<5>>,
    /// Thermometer of `pos` over the window's first word (bit 31 - i set when i >= pos): the
    /// trees' position mask straight from a register.
    gm: DFF<Bits<32>>,
    /// Codewords left in the row after the current one (cols - 1 - col).
    rleft: DFF<Bits<DIM_BITS>>,
    col: DFF<Bits<IDX_BITS>>,
    active: DFF<Bit>,
    /// Rows not yet finished in stage B, and the row of the codeword in B (counted in B, off the loop).
    rows_left: DFF<Bits<DIM_BITS>>,
    row: DFF<Bits<IDX_BITS>>,
    // ---- stage B ----
    b_valid: DFF<Bit>,
    b_t: DFF<Bits<32>>,
    b_pos: DFF<Bits<5>>,
    b_z: DFF<Bits<7>>,
    b_a: DFF<Bits<7>>,
    b_ovf: DFF<Bit>,
    b_n1: DFF<Bits<4>>,
    b_next: DFF<Bits<7>>,
    b_col: DFF<Bits<IDX_BITS>>,
    b_last: DFF<Bit>,
    b_nq0: DFF<Bit>,
    b_nq1: DFF<Bit>,
    b_exh: DFF<Bit>,
    // ---- stage S ----
    s_valid: DFF<Bit>,
    s_t: DFF<Bits<32>>,
    s_sh: DFF<Bits<5>>,
    s_col: DFF<Bits<IDX_BITS>>,
    s_last: DFF<Bit>,
    s_row: DFF<Bits<IDX_BITS>>,
    s_skip: DFF<Bits<4>>,
    s_past: DFF<Bit>,
    s_long: DFF<Bit>,
    // ---- stage C ----
    c_valid: DFF<Bit>,
    c_n: DFF<Bits<20>>,
    c_col: DFF<Bits<IDX_BITS>>,
    c_last: DFF<Bit>,
    c_row: DFF<Bits<IDX_BITS>>,
    c_skip: DFF<Bits<4>>,
    // ---- stage D (outputs) ----
    d_valid: DFF<Bit>,
    d_index: DFF<Bits<16>>,
    d_col: DFF<Bits<IDX_BITS>>,
    d_last: DFF<Bit>,
    d_skip: DFF<Bits<4>>,
    // ---- errors ----
    e_flag: DFF<Bit>,
    e_code: DFF<Bits<4>>,
    e_row: DFF<Bits<IDX_BITS>>,
    e_col: DFF<Bits<IDX_BITS>>,
    // ---- combinational helpers ----
    funnel: Funnel64,
    clz_z: Clz64,
    clz_a: Clz64,
    shr: Shr32,
    win: Signal<Local, Bits<64>>,
    gmask: Signal<Local, Bits<64>>,
    zs_eff: Signal<Local, Bit>,
    lim: Signal<Local, Bits<4>>,
    lim7: Signal<Local, Bits<7>>,
    pos7: Signal<Local, Bits<7>>,
    k1: Signal<Local, Bits<7>>,
    k2: Signal<Local, Bits<7>>,
    csa_x: Signal<Local, Bits<7>>,
    csa_y: Signal<Local, Bits<7>>,
    csa_s: Signal<Local, Bits<7>>,
    csa_c: Signal<Local, Bits<7>>,
    pl: Signal<Local, Bits<7>>,
    next_one: Signal<Local, Bits<7>>,
    zv: Signal<Local, Bits<7>>,
    av: Signal<Local, Bits<7>>,
    ovf: Signal<Local, Bit>,
    next_cw: Signal<Local, Bits<7>>,
    nxt: Signal<Local, Bits<7>>,
    n1: Signal<Local, Bits<4>>,
    rp: Signal<Local, Bits<DIM_BITS>>,
    rp1: Signal<Local, Bits<DIM_BITS>>,
    rl1: Signal<Local, Bits<DIM_BITS>>,
    r_next: Signal<Local, Bits<DIM_BITS>>,
    last_cw: Signal<Local, Bit>,
    cp: Signal<Local, Bits<IDX_BITS>>,
    cl: Signal<Local, Bits<IDX_BITS>>,
    col_cw: Signal<Local, Bits<IDX_BITS>>,
    col_next: Signal<Local, Bits<IDX_BITS>>,
    kill: Signal<Local, Bit>,
    exhausted: Signal<Local, Bit>,
    go: Signal<Local, Bit>,
    pop: Signal<Local, Bit>,
    din: Signal<Local, Bits<32>>,
    cnt: Signal<Local, Bits<3>>,
    issue: Signal<Local, Bit>,
    mlen: Signal<Local, Bits<7>>,
    blong: Signal<Local, Bit>,
    pn: Signal<Local, Bits<7>>,
    bpast: Signal<Local, Bit>,
    csh: Signal<Local, Bits<7>>,
    lomask: Signal<Local, Bits<32>>,
    pow2k: Signal<Local, Bits<20>>,
    vidx: Signal<Local, Bits<20>>,
    idx_err: Signal<Local, Bit>,
    ones32: Constant<Bits<32>>,
    one20: Constant<Bits<20>>,
    m_max: Constant<Bits<7>>,
    need_long: Constant<Bits<7>>,
    c32: Constant<Bits<7>>,
    z_range: Constant<Bits<64>>,
    a_range: Constant<Bits<64>>,
}

/// Window positions (from the MSB) that can hold the end of a skippable run: `pos + SKIP_MAX`
/// with `pos <= 31`.
const Z_POSITIONS: u32 = 32 + SKIP_MAX;
/// Window positions that can hold a supported codeword's marker bit: `pos + SKIP_MAX + M_MAX`,
/// plus one so that a missing marker reads as too long.
const A_POSITIONS: u32 = 32 + SKIP_MAX + M_MAX + 1;

/// A 64-bit mask of the first `n` window positions (bits 63 down to 64 - n).
fn first_positions(n: u32) -> u64 {
    !(u64::MAX >> n)
}

impl EgDecoder {
    /// A decoder. The limits ([`K_MAX`], [`M_MAX`], [`SKIP_MAX`]) are fixed by the register map;
    /// `new` checks that they fit the 32-bit-per-clock datapath.
    pub fn new() -> Self {
        assert!(SKIP_MAX <= 8, "the skip count is 4 bits and the lomask 8 bits wide");
        assert!(K_MAX <= 7, "k is a 3-bit input");
        assert!(
            SKIP_MAX + 2 * M_MAX + 1 <= 32 && 2 * M_MAX + 1 + K_MAX <= 32,
            "codewords must fit 32 bits"
        );
        assert!(A_POSITIONS < 64, "the marker search must fit the 64-bit window");
        EgDecoder {
            clock: Default::default(),
            io: Default::default(),
            q0: Default::default(),
            q1: Default::default(),
            q2: Default::default(),
            q3: Default::default(),
            nq: Default::default(),
            inflight: Default::default(),
            faddr: Default::default(),
            pos: Default::default(),
            gm: Default::default(),
            rleft: Default::default(),
            col: Default::default(),
            rows_left: Default::default(),
            row: Default::default(),
            active: Default::default(),
            b_valid: Default::default(),
            b_t: Default::default(),
            b_pos: Default::default(),
            b_z: Default::default(),
            b_a: Default::default(),
            b_ovf: Default::default(),
            b_n1: Default::default(),
            b_next: Default::default(),
            b_col: Default::default(),
            b_last: Default::default(),
            b_nq0: Default::default(),
            b_nq1: Default::default(),
            b_exh: Default::default(),
            s_valid: Default::default(),
            s_t: Default::default(),
            s_sh: Default::default(),
            s_col: Default::default(),
            s_last: Default::default(),
            s_row: Default::default(),
            s_skip: Default::default(),
            s_past: Default::default(),
            s_long: Default::default(),
            c_valid: Default::default(),
            c_n: Default::default(),
            c_col: Default::default(),
            c_last: Default::default(),
            c_row: Default::default(),
            c_skip: Default::default(),
            d_valid: Default::default(),
            d_index: Default::default(),
            d_col: Default::default(),
            d_last: Default::default(),
            d_skip: Default::default(),
            e_flag: Default::default(),
            e_code: Default::default(),
            e_row: Default::default(),
            e_col: Default::default(),
            funnel: Default::default(),
            clz_z: Default::default(),
            clz_a: Default::default(),
            shr: Default::default(),
            win: Default::default(),
            gmask: Default::default(),
            zs_eff: Default::default(),
            lim: Default::default(),
            lim7: Default::default(),
            pos7: Default::default(),
            k1: Default::default(),
            k2: Default::default(),
            csa_x: Default::default(),
            csa_y: Default::default(),
            csa_s: Default::default(),
            csa_c: Default::default(),
            pl: Default::default(),
            next_one: Default::default(),
            zv: Default::default(),
            av: Default::default(),
            ovf: Default::default(),
            next_cw: Default::default(),
            nxt: Default::default(),
            n1: Default::default(),
            rp: Default::default(),
            rp1: Default::default(),
            rl1: Default::default(),
            r_next: Default::default(),
            last_cw: Default::default(),
            cp: Default::default(),
            cl: Default::default(),
            col_cw: Default::default(),
            col_next: Default::default(),
            kill: Default::default(),
            exhausted: Default::default(),
            go: Default::default(),
            pop: Default::default(),
            din: Default::default(),
            cnt: Default::default(),
            issue: Default::default(),
            mlen: Default::default(),
            blong: Default::default(),
            pn: Default::default(),
            bpast: Default::default(),
            csh: Default::default(),
            lomask: Default::default(),
            pow2k: Default::default(),
            vidx: Default::default(),
            idx_err: Default::default(),
            ones32: Constant::new(0xFFFF_FFFF_u64.into()),
            one20: Constant::new(1.into()),
            m_max: Constant::new((M_MAX as u64).into()),
            need_long: Constant::new((M_MAX as u64 + 1).into()),
            c32: Constant::new(32.into()),
            z_range: Constant::new(first_positions(Z_POSITIONS).into()),
            a_range: Constant::new(first_positions(A_POSITIONS).into()),
        }
    }
}

impl Default for EgDecoder {
    fn default() -> Self {
        Self::new()
    }
}

impl Logic for EgDecoder {
    #[hdl_gen]
    fn update(&mut self) {
        dff_setup!(
            self, clock, q0, q1, q2, q3, nq, inflight, faddr, pos, gm, rleft, col, rows_left, row, active, b_valid,
            b_t, b_pos, b_z, b_a, b_ovf, b_n1, b_next, b_col, b_last, b_nq0, b_nq1, b_exh, s_valid, s_t, s_sh, s_col,
            s_last, s_row, s_skip, s_past, s_long, c_valid, c_n, c_col, c_last, c_row, c_skip, d_valid, d_index, d_col,
            d_last, d_skip, e_flag, e_code, e_row, e_col
        );

        // ---------------- stage A: the next position (the loop) ----------------
        // Window bit 63 is position 0. Missing words are zeros (the queue keeps free slots at 0).
        self.win.next = (bit_cast::<64, 32>(self.q0.q.val()) << 32) | bit_cast::<64, 32>(self.q1.q.val());
        // Positions at or after pos (registered thermometer; the second word is all after pos).
        self.gmask.next = (bit_cast::<64, 32>(self.gm.q.val()) << 32) | bit_cast::<64, 32>(self.ones32.val());
        // z: the first 0 at or after pos; a: the first 1 after pos that follows a 0.
        self.clz_z.word.next = ((!self.win.val()) & self.gmask.val()) & self.z_range.val();
        self.clz_a.word.next =
            ((self.win.val() & (!(self.win.val() >> 1))) & (self.gmask.val() >> 1)) & self.a_range.val();
        self.zv.next = self.clz_z.count.val();
        self.av.next = self.clz_a.count.val();
        // Skip allowance: up to SKIP_MAX ones, never past the row's last codeword (registered
        // state only, in parallel with the trees).
        self.zs_eff.next = self.io.zero_skip.val() & (self.io.k.val() == 0);
        self.lim.next = 0.into();
        if self.zs_eff.val() {
            self.lim.next = bit_cast::<4, DIM_BITS>(self.rleft.q.val());
            if self.rleft.q.val() >= 8 {
                self.lim.next = 8.into();
            }
        }
        self.lim7.next = bit_cast::<7, 4>(self.lim.val());
        self.pos7.next = bit_cast::<7, 5>(self.pos.q.val());
        self.k1.next = bit_cast::<7, 3>(self.io.k.val()) + 1;
        self.pl.next = self.pos7.val() + self.lim7.val();
        self.next_one.next = self.pl.val() + self.k1.val();
        // The run of ones is longer than the allowance: skip lim ones, the codeword is a `1`.
        self.ovf.next = self.zv.val() > self.pl.val();
        // Otherwise the codeword starts at z with a - z prefix zeros: next = 2a - z + 1 + k
        // = 2a + !z + (k + 2), one carry-save level and one adder.
        self.k2.next = self.k1.val() + 1;
        self.csa_x.next = self.av.val() << 1;
        self.csa_y.next = !self.zv.val();
        self.csa_s.next = (self.csa_x.val() ^ self.csa_y.val()) ^ self.k2.val();
        self.csa_c.next = (((self.csa_x.val() & self.csa_y.val()) | (self.csa_x.val() & self.k2.val()))
            | (self.csa_y.val() & self.k2.val()))
            << 1;
        self.next_cw.next = self.csa_s.val() + self.csa_c.val();
        self.nxt.next = self.next_cw.val();
        self.n1.next = bit_cast::<4, 7>(self.zv.val() - self.pos7.val());
        if self.ovf.val() {
            self.nxt.next = self.next_one.val();
            self.n1.next = self.lim.val();
        }
        self.pop.next = self.nxt.val().get_bit(5) | self.nxt.val().get_bit(6);
        self.exhausted.next = (self.faddr.q.val() == self.io.stream_len.val()) & (!self.inflight.q.val());
        self.go.next = self.active.q.val()
            & self.io.enable.val()
            & (!self.e_flag.q.val())
            & ((self.nq.q.val() >= 2) | self.exhausted.val());
        // Row bookkeeping: the codeword (after n1 skipped) is the row's last when n1 == rleft,
        // i.e. z == rleft + pos, or lim == rleft for a run longer than lim: an equality after z,
        // and the updates of rleft and col each one adder after z (the other terms precomputed
        // from registered state). Rows are counted in stage B, off the loop.
        self.rp.next = self.rleft.q.val() + bit_cast::<DIM_BITS, 5>(self.pos.q.val());
        self.rp1.next = self.rp.val() - 1;
        self.rl1.next = (self.rleft.q.val() - bit_cast::<DIM_BITS, 4>(self.lim.val())) - 1;
        self.last_cw.next = self.rp.val() == bit_cast::<DIM_BITS, 7>(self.zv.val());
        self.r_next.next = self.rp1.val() - bit_cast::<DIM_BITS, 7>(self.zv.val());
        self.cp.next = self.col.q.val() - bit_cast::<IDX_BITS, 5>(self.pos.q.val());
        self.cl.next = self.col.q.val() + bit_cast::<IDX_BITS, 4>(self.lim.val());
        self.col_cw.next = self.cp.val() + bit_cast::<IDX_BITS, 7>(self.zv.val());
        self.col_next.next = (self.cp.val() + 1) + bit_cast::<IDX_BITS, 7>(self.zv.val());
        if self.ovf.val() {
            self.last_cw.next = self.rleft.q.val() == bit_cast::<DIM_BITS, 4>(self.lim.val());
            self.r_next.next = self.rl1.val();
            self.col_cw.next = self.cl.val();
            self.col_next.next = self.cl.val() + 1;
        }
        if self.go.val() {
            self.pos.d.next = bit_cast::<5, 7>(self.nxt.val());
            self.gm.d.next = self.ones32.val() >> bit_cast::<5, 7>(self.nxt.val());
            self.rleft.d.next = self.r_next.val();
            self.col.d.next = self.col_next.val();
            if self.last_cw.val() {
                self.rleft.d.next = self.io.cols.val() - 1;
                self.col.d.next = 0.into();
            }
        }
        // The 32 bits at pos, for the info field (not in the loop).
        self.funnel.win.next = self.win.val();
        self.funnel.pos.next = self.pos.q.val();

        // ---------------- fetch queue ----------------
        self.cnt.next = self.nq.q.val();
        if self.inflight.q.val() {
            self.cnt.next = self.nq.q.val() + 1;
        }
        self.issue.next = self.active.q.val() & (self.faddr.q.val() < self.io.stream_len.val()) & (self.cnt.val() < 4);
        self.io.mem_addr.next = bit_cast::<ADDR_BITS, WORD_BITS>(self.faddr.q.val());
        self.inflight.d.next = self.issue.val();
        if self.issue.val() {
            self.faddr.d.next = self.faddr.q.val() + 1;
        }
        // Shift out q0 when the codeword crossed into q1; the arriving word goes to the first free
        // slot. Free slots are 0, so "append" is an OR and the window needs no gating.
        self.din.next = 0.into();
        if self.inflight.q.val() {
            self.din.next = self.io.mem_data.val();
        }
        if self.go.val() & self.pop.val() {
            self.q0.d.next = self.q1.q.val();
            self.q1.d.next = self.q2.q.val();
            self.q2.d.next = self.q3.q.val();
            self.q3.d.next = 0.into();
            if self.nq.q.val() == 1 {
                self.q0.d.next = self.din.val();
            }
            if self.nq.q.val() == 2 {
                self.q1.d.next = self.q2.q.val() | self.din.val();
            }
            if self.nq.q.val() == 3 {
                self.q2.d.next = self.q3.q.val() | self.din.val();
            }
            self.nq.d.next = self.cnt.val() - 1;
        } else {
            if self.nq.q.val() == 0 {
                self.q0.d.next = self.din.val();
            }
            if self.nq.q.val() == 1 {
                self.q1.d.next = self.din.val();
            }
            if self.nq.q.val() == 2 {
                self.q2.d.next = self.din.val();
            }
            if self.nq.q.val() == 3 {
                self.q3.d.next = self.din.val();
            }
            self.nq.d.next = self.cnt.val();
        }

        // ---------------- stage B: classify ----------------
        self.mlen.next = self.b_a.q.val() - self.b_z.q.val();
        self.blong.next = (!self.b_ovf.q.val()) & (self.mlen.val() > self.m_max.val());
        // Bits the decoder must see: the codeword, or the prefix zeros that make it too long.
        self.pn.next = self.b_next.q.val();
        if self.blong.val() {
            self.pn.next =
                (bit_cast::<7, 5>(self.b_pos.q.val()) + bit_cast::<7, 4>(self.b_n1.q.val())) + self.need_long.val();
        }
        self.bpast.next =
            self.b_exh.q.val() & (self.b_nq0.q.val() | (self.b_nq1.q.val() & (self.pn.val() > self.c32.val())));
        // Shift right by 32 - c, c = next - pos (1..=31).
        self.csh.next = bit_cast::<7, 5>(self.b_pos.q.val()) - self.b_next.q.val();
        // The skipped ones cleared.
        self.lomask.next = !(self.ones32.val() >> bit_cast::<3, 4>(self.b_n1.q.val()));
        if self.b_n1.q.val().get_bit(3) {
            self.lomask.next = 0xFF00_0000_u64.into();
        }
        // ---------------- stage S: align the info bits ----------------
        self.shr.word.next = self.s_t.q.val();
        self.shr.amount.next = self.s_sh.q.val();
        // ---------------- stage C: index and range check ----------------
        self.pow2k.next = self.one20.val() << self.io.k.val();
        // A valid codeword's info field is at least 2^k, so the index c_n - 2^k does not wrap and
        // `index >= vmap_len` needs no second adder.
        self.vidx.next = self.c_n.q.val() - self.pow2k.val();
        self.idx_err.next =
            self.c_valid.q.val() & (self.vidx.val() >= bit_cast::<20, LEN_BITS>(self.io.vmap_len.val()));

        // The row's end passes B: count it; after the last row stop A and squash the codeword
        // it decoded meanwhile (past the last row).
        self.kill.next = (self.b_valid.q.val() & self.b_last.q.val()) & (self.rows_left.q.val() == 1);
        if self.io.enable.val() {
            if self.b_valid.q.val() & self.b_last.q.val() {
                self.row.d.next = self.row.q.val() + 1;
                self.rows_left.d.next = self.rows_left.q.val() - 1;
            }
            if self.kill.val() {
                self.active.d.next = false;
            }
            self.b_valid.d.next = self.go.val() & (!self.kill.val());
            self.b_t.d.next = self.funnel.bits.val();
            self.b_pos.d.next = self.pos.q.val();
            self.b_z.d.next = self.zv.val();
            self.b_a.d.next = self.av.val();
            self.b_ovf.d.next = self.ovf.val();
            self.b_n1.d.next = self.n1.val();
            self.b_next.d.next = self.nxt.val();
            self.b_col.d.next = self.col_cw.val();
            self.b_last.d.next = self.last_cw.val();
            self.b_nq0.d.next = self.nq.q.val() == 0;
            self.b_nq1.d.next = self.nq.q.val() == 1;
            self.b_exh.d.next = self.exhausted.val();
            self.s_valid.d.next = self.b_valid.q.val() & (!self.e_flag.q.val());
            self.s_t.d.next = self.b_t.q.val() & (!self.lomask.val());
            self.s_sh.d.next = bit_cast::<5, 7>(self.csh.val());
            self.s_col.d.next = self.b_col.q.val();
            self.s_last.d.next = self.b_last.q.val();
            self.s_row.d.next = self.row.q.val();
            self.s_skip.d.next = self.b_n1.q.val();
            self.s_past.d.next = self.bpast.val();
            self.s_long.d.next = self.blong.val();
            self.c_valid.d.next =
                self.s_valid.q.val() & (!self.s_past.q.val()) & (!self.s_long.q.val()) & (!self.e_flag.q.val());
            // The info field has m + 1 + k <= 19 bits (m <= M_MAX, k <= K_MAX).
            self.c_n.d.next = bit_cast::<20, 32>(self.shr.shifted.val());
            self.c_col.d.next = self.s_col.q.val();
            self.c_last.d.next = self.s_last.q.val();
            self.c_row.d.next = self.s_row.q.val();
            self.c_skip.d.next = self.s_skip.q.val();
            self.d_valid.d.next = self.c_valid.q.val() & (!self.idx_err.val()) & (!self.e_flag.q.val());
            self.d_index.d.next = bit_cast::<16, 20>(self.vidx.val());
            self.d_col.d.next = self.c_col.q.val();
            self.d_last.d.next = self.c_last.q.val();
            self.d_skip.d.next = self.c_skip.q.val();
        }

        // ---------------- errors: the earliest codeword wins ----------------
        if !self.e_flag.q.val() {
            if self.idx_err.val() {
                self.e_flag.d.next = true;
                self.e_code.d.next = 2.into();
                self.e_row.d.next = self.c_row.q.val();
                self.e_col.d.next = self.c_col.q.val();
                self.active.d.next = false;
            } else if self.s_valid.q.val() & self.s_past.q.val() {
                self.e_flag.d.next = true;
                self.e_code.d.next = 3.into();
                self.e_row.d.next = self.s_row.q.val();
                self.e_col.d.next = self.s_col.q.val();
                self.active.d.next = false;
            } else if self.s_valid.q.val() & self.s_long.q.val() {
                self.e_flag.d.next = true;
                self.e_code.d.next = 1.into();
                self.e_row.d.next = self.s_row.q.val();
                self.e_col.d.next = self.s_col.q.val();
                self.active.d.next = false;
            }
        }

        // ---------------- start / abort ----------------
        if self.io.start.val() | self.io.abort.val() {
            self.active.d.next = self.io.start.val() & (self.io.rows.val() != 0);
            self.q0.d.next = 0.into();
            self.q1.d.next = 0.into();
            self.q2.d.next = 0.into();
            self.q3.d.next = 0.into();
            self.nq.d.next = 0.into();
            self.inflight.d.next = false;
            self.faddr.d.next = 0.into();
            self.pos.d.next = 0.into();
            self.gm.d.next = self.ones32.val();
            self.rleft.d.next = self.io.cols.val() - 1;
            self.col.d.next = 0.into();
            self.row.d.next = 0.into();
            self.rows_left.d.next = self.io.rows.val();
            self.b_valid.d.next = false;
            self.s_valid.d.next = false;
            self.c_valid.d.next = false;
            self.d_valid.d.next = false;
            self.e_flag.d.next = false;
            self.e_code.d.next = 0.into();
            self.e_row.d.next = 0.into();
            self.e_col.d.next = 0.into();
        }

        // ---------------- outputs ----------------
        self.io.out_valid.next = self.d_valid.q.val();
        self.io.out_index.next = self.d_index.q.val();
        self.io.out_col.next = self.d_col.q.val();
        self.io.out_last.next = self.d_last.q.val();
        self.io.out_skip.next = self.d_skip.q.val();
        self.io.busy.next = self.active.q.val() | self.b_valid.q.val() | self.s_valid.q.val() | self.c_valid.q.val();
        self.io.error.next = self.e_flag.q.val();
        self.io.err_code.next = self.e_code.q.val();
        self.io.err_row.next = self.e_row.q.val();
        self.io.err_col.next = self.e_col.q.val();
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::decoder::bench::{cfg_for, expand, random_indices, run_decoder};
    use crate::decoder::{reference, DecodeConfig, DecodeFault, Event};
    use crate::regmap::ErrorCode;
    use golden::expgolomb;
    use golden::layout::words_from_bytes;
    use rand::{Rng, SeedableRng};
    use rand_chacha::ChaCha8Rng;

    /// [`run_decoder`] on the pipelined decoder.
    fn run_hw(
        words: &[u32],
        cfg: &DecodeConfig,
        stall: impl Fn(u64) -> bool,
    ) -> (Vec<Event>, Option<DecodeFault>, u64) {
        run_decoder(EgDecoder::new(), words, cfg, stall)
    }

    #[test]
    fn hardware_matches_reference_on_random_streams() {
        let mut rng = ChaCha8Rng::seed_from_u64(2);
        for trial in 0..6 {
            let k = [0, 0, 1, 3, 5, 7][trial];
            let zs = k == 0;
            let (rows, cols) = (3, 23);
            let zero_frac = [0.8, 0.0, 0.5, 0.3, 0.5, 0.5][trial];
            let idx = random_indices(&mut rng, rows * cols, zero_frac, 300);
            let words = words_from_bytes(&expgolomb::encode(&idx, k));
            let cfg = cfg_for(&words, k, zs, rows as u32, cols as u32);
            let (want, _) = reference(&words, &cfg);
            let (got, fault, _) = run_hw(&words, &cfg, |_| false);
            assert_eq!(fault, None, "trial {trial}");
            assert_eq!(got, want, "trial {trial}");
            // With random stalls the same events come out.
            let seed: u64 = rng.random();
            let (got, fault, _) = run_hw(&words, &cfg, move |c| (c.wrapping_mul(seed) >> 61) == 0);
            assert_eq!(fault, None, "trial {trial} (stalls)");
            assert_eq!(got, want, "trial {trial} (stalls)");
        }
    }

    #[test]
    fn every_codeword_length_and_word_offset_at_one_per_clock() {
        // For each k, all values whose codewords have lengths 1 + k ..= CODEWORD_MAX_BITS, in an
        // order that puts codeword boundaries at every bit offset of a word.
        for k in [0, 2, K_MAX] {
            let mut idx = Vec::new();
            for m in 0..=M_MAX {
                // smallest and largest value with m prefix zeros
                let lo = ((1u32 << m) - 1) << k;
                let hi = (((1u32 << (m + 1)) - 1) << k) - 1;
                idx.extend([lo, hi]);
            }
            idx.extend([0, 1, 0, 2, 1, 0, 0, 3]);
            let cols = idx.len() as u32;
            let words = words_from_bytes(&expgolomb::encode(&idx, k));
            // vmap_len is a 13-bit input: the largest values of large k are then range errors.
            let cfg = DecodeConfig {
                vmap_len: 4095,
                ..cfg_for(&words, k, false, 1, cols)
            };
            let (want, fault) = reference(&words, &cfg);
            let lens: Vec<u32> = idx.iter().map(|&v| expgolomb::codeword_len(v, k)).collect();
            assert!(lens.contains(&(2 * M_MAX + 1 + k)), "longest codeword present");
            if fault.is_some() {
                // Large k makes the longest values exceed the 4095 range: check the prefix.
                assert_eq!(fault.unwrap().code, ErrorCode::IndexRange);
            }
            let (got, hw_fault, last) = run_hw(&words, &cfg, |_| false);
            assert_eq!(got, want, "k = {k}");
            assert_eq!(hw_fault, fault, "k = {k}");
            if fault.is_none() {
                // One codeword per clock after the fill and the pipeline.
                assert_eq!(last, got.len() as u64 + LATENCY, "k = {k}: {} events", got.len());
            }
        }
    }

    #[test]
    fn long_zero_runs_take_extra_clocks_and_respect_rows() {
        // 20 zeros then a 5, twice per row; rows of 25 with a run across the row end.
        let mut idx = Vec::new();
        for _ in 0..2 {
            idx.extend(std::iter::repeat_n(0, 20));
            idx.push(5);
            idx.extend([0, 0, 0, 0]);
        }
        let words = words_from_bytes(&expgolomb::encode(&idx, 0));
        let cfg = cfg_for(&words, 0, true, 2, 25);
        let (want, fault) = reference(&words, &cfg);
        assert_eq!(fault, None);
        assert_eq!(expand(&want), idx);
        // per row: 9 + 9 + (2 zeros + the 5) + (3 zeros + the last zero) = 4 events
        assert_eq!(want.len(), 8);
        let (got, hw_fault, last) = run_hw(&words, &cfg, |_| false);
        assert_eq!(hw_fault, None);
        assert_eq!(got, want);
        assert!(last <= 8 + 7);
    }

    #[test]
    fn malformed_streams_raise_the_reference_error() {
        // too long: 13 zeros then a one
        let words = vec![0x0004_0000, 0];
        let cfg = cfg_for(&words, 0, false, 1, 4);
        let (_, want) = reference(&words, &cfg);
        assert_eq!(want.map(|f| f.code), Some(ErrorCode::TooLong));
        assert_eq!(run_hw(&words, &cfg, |_| false).1, want);
        // index range: values 0, 1, 9 with vmap_len 5 -> error at column 2
        let words = words_from_bytes(&expgolomb::encode(&[0, 1, 9, 0], 0));
        let cfg = DecodeConfig {
            vmap_len: 5,
            ..cfg_for(&words, 0, true, 1, 4)
        };
        let (ev, want) = reference(&words, &cfg);
        assert_eq!(
            want,
            Some(DecodeFault {
                code: ErrorCode::IndexRange,
                row: 0,
                col: 2
            })
        );
        let (got, fault, _) = run_hw(&words, &cfg, |_| false);
        assert_eq!((got, fault), (ev, want));
        // past end: 40 codewords of value 3 (5 bits) need 200 bits; give 4 words
        let words = words_from_bytes(&expgolomb::encode(&[3; 40], 0));
        let cfg = DecodeConfig {
            stream_len: 4,
            ..cfg_for(&words, 0, false, 2, 20)
        };
        let (ev, want) = reference(&words, &cfg);
        assert_eq!(want.map(|f| (f.code, f.row)), Some((ErrorCode::PastEnd, 1)));
        let (got, fault, _) = run_hw(&words, &cfg, |_| false);
        assert_eq!((got, fault), (ev, want));
        // empty stream: past end at once
        let cfg = DecodeConfig { stream_len: 0, ..cfg };
        assert_eq!(run_hw(&words, &cfg, |_| false).1, reference(&words, &cfg).1);
    }

    #[test]
    fn random_garbage_never_hangs_and_matches_reference() {
        let mut rng = ChaCha8Rng::seed_from_u64(3);
        for trial in 0..6 {
            let words: Vec<u32> = (0..4).map(|_| rng.random::<u32>() >> rng.random_range(0..20)).collect();
            let k = rng.random_range(0..=K_MAX);
            let cfg = DecodeConfig {
                vmap_len: 50,
                ..cfg_for(&words, k, k == 0, 3, 7)
            };
            let (ev, want) = reference(&words, &cfg);
            let (got, fault, _) = run_hw(&words, &cfg, |_| false);
            assert_eq!((got, fault), (ev, want), "trial {trial}");
        }
    }

    mod props {
        use super::*;
        use proptest::prelude::*;

        proptest! {
            #![proptest_config(ProptestConfig::with_cases(8))]
            /// The rust-hdl decoder emits the specification's events and error on arbitrary words.
            #[test]
            fn hardware_follows_reference(words in proptest::collection::vec(any::<u32>(), 0..5),
                                          shifts in proptest::collection::vec(0u32..24, 5),
                                          k in 0u32..=K_MAX, cols in 1u32..12, rows in 1u32..4,
                                          vmap_len in 1u32..100) {
                // Shift words right to get long zero prefixes as well as dense ones.
                let words: Vec<u32> = words.iter().zip(&shifts).map(|(w, s)| w >> s).collect();
                let cfg = DecodeConfig { vmap_len, ..cfg_for(&words, k, k == 0, rows, cols) };
                let (ev, want) = reference(&words, &cfg);
                let (got, fault, _) = run_hw(&words, &cfg, |_| false);
                prop_assert_eq!((got, fault), (ev, want));
            }
        }
    }
}
