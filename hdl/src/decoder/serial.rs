//! Bit-serial exp-Golomb decoder: one stream bit per clock, a fraction of the pipelined
//! decoder's area and a loop a few logic levels deep.
//!
//! ## What it does
//! The same block as [`EgDecoder`](super::EgDecoder) (same ports, same stream, same events and
//! errors as [`reference`](super::reference) **without** zero-run skipping): after `start` it
//! reads the lane's stream (words `0..stream_len` through `mem_addr`/`mem_data`, one clock read
//! latency) and decodes `rows x cols` EG(k) codewords, emitting one event per codeword (its
//! value-map index, column, whether it ends a row; `out_skip` is always 0). `zero_skip` is
//! ignored: a zero weight is its own event (its `1` codeword costs one clock, like any bit).
//!
//! A codeword of `L` bits takes `L` clocks, so a lane decodes `1 / (bits per weight)` weights per
//! clock (a BackSlash-trained layer has ~1.5-3 bits per weight) against the pipelined decoder's
//! one codeword (plus up to [`crate::regmap::SKIP_MAX`] zeros) per clock. What it buys is area
//! (no 64-bit window, count-leading-zero trees or funnel shifter) and clock rate: the loop is a
//! small state machine on one bit whose decisions all come from registers.
//!
//! ## Datapath
//! B (the bit loop) -> C (the completed codeword) -> a 4-entry output queue whose head is the
//! output register. Every register-to-register path is at most ~4 LUT levels (most 2-3), and the
//! only carry chains are the 14-bit range check and the 13-bit index subtraction from the loop's
//! `n` into C, the counters' own increments, and the loads at `start`.
//! - Advance: the loop consumes a bit when `go = run & have`, two registers. `run` is computed a
//!   clock ahead: `active`, no error recorded, and room in the queue for everything in flight
//!   (entries queued, C's, one completing now) plus one more, counting no pop. So nothing is ever dropped, and the `enable` input never reaches the loop: `enable`
//!   only pops the queue (one LUT to the queue's registers). With `enable` held at 1 the queue
//!   holds one entry, C one and the loop completes one: 3 of 4, so the loop still runs at one bit
//!   per clock (1-bit codewords back to back included).
//! - Fetch: the current word in a shift register `sr` (MSB first; `have`: a bit is there,
//!   `lastb`: it is the word's last, both registers kept beside the count `cnt` of bits left
//!   minus one). The read address is the next word (`faddr`), so the memory's own output
//!   register holds it once the address has been stable for a clock: there is no prefetch
//!   register. `rdy` (a register) says that the memory's output is a word of the stream
//!   (`faddr != stream_len`, the address not moved last clock). The word moves into `sr` in
//!   the clock the last bit of `sr` is consumed (no bubble at word boundaries: a word lasts at
//!   least 32 clocks) and the address moves on; `more` (words left, for PAST_END) is a
//!   register, a clock late after a load, when `have` is 1 so that nothing reads it.
//! - The bit loop: in the prefix it counts zeros (`m`, with the register flag `mmax` for
//!   m = [`M_MAX`]); every consumed bit is shifted into `n` (0 through the prefix, 1 after the
//!   marker, the codeword's value + 2^k after the last info bit). One counter `rem` serves both
//!   parts: reset to k, +1 per prefix zero (so it holds m + k at the marker, no adder), -1 per
//!   info bit. Whether the next bit ends the codeword is kept in two registers, `fin` (an info
//!   bit with rem = 1) and `fin1` (a prefix bit with rem = 0, i.e. k = 0 and m = 0: a `1` is
//!   index 0), each set from a comparison of `rem`'s *current* value with a constant (one
//!   ahead): `emit = go & (fin | fin1 & bit)`. `emit` only sets `c_valid`: the loop's other
//!   registers load on `go` with values selected by registers and the bit.
//! - C: the completed codeword, registered every clock from `n` and the bit (`c_valid` says
//!   whether one completed): its index `n - 2^k` and whether it is out of range
//!   (`n >= vmap_len + 2^k`, latched at start). Whether it ends a row comes from down-counters
//!   that move as it leaves C (`cleft`, `rows_left` with the register flags `atl` (last column)
//!   and `lastrow`, again one ahead), so that this bookkeeping is off the loop. The index needs
//!   only [`LEN_BITS`] bits (an index ≥ `vmap_len` is an error and never queued); it is widened
//!   to 16 bits at the output. The loop learns that the last codeword is done from C (`active` falls as it leaves C)
//!   and stops a clock later, so it may consume up to two bits more: whatever they start (a
//!   codeword, a starved read, prefix zeros) is discarded, as nothing is pushed or recorded once
//!   `active` is 0.
//! - Queue: entries in slots 0..3 (slot 0 is the output register), valid flags `v0..v3` as a
//!   thermometer code; a pop shifts the slots down, a push writes the first free slot. An event
//!   reaches the output two clocks after its last bit was consumed (with an empty queue). An
//!   entry is the index and the last-column flag: the column and row of the event at the output
//!   are counters (`ocol`, `orow`) that move on pops (the column back to 0 and the row + 1 after a
//!   row's last), as events leave in order and none is dropped before an error.
//!
//! ## Errors (sticky until `start`/`abort`; decoding stops)
//! TOO_LONG: an (M_MAX + 1)-th prefix zero; PAST_END: a bit is needed and the stream's
//! `stream_len` words are all consumed; INDEX_RANGE: index ≥ `vmap_len` (checked in C). A
//! codeword's bits are consumed in order, so PAST_END is raised exactly when the reference's
//! codeword (or its M_MAX + 1 prefix zeros) extends past the stream. TOO_LONG and PAST_END are
//! recorded a clock after their condition (registers `long_r`, `starve`; see `update`), when C
//! is empty, so INDEX_RANGE of the codeword before them is recorded first. An error is recorded
//! once (nothing more enters the queue, the loop stops) and shown on `error` the clock after the
//! queue has drained: every event before the faulty codeword leaves first, also under stalls;
//! `busy` stays high until then. Its row and column are then those of the next event, which the
//! output counters `orow`, `ocol` hold (no registers of their own).
use super::{DecoderIo, ADDR_BITS, DIM_BITS, IDX_BITS, LEN_BITS, WORD_BITS};
use crate::regmap::{K_MAX, M_MAX};
use rust_hdl::prelude::*;

/// The decoder's latency: with `start` in clock 0 and no stall, the last event of a stream of b
/// bits leaves the output queue in clock b + LATENCY (one bit per clock after the first word's
/// fetch, then the C stage and the queue). Measured by this file's tests
/// (`one_bit_codewords_back_to_back_at_one_per_clock`).
pub const LATENCY: u64 = 4;

/// The bit-serial decoder block. Inputs other than `start`, `abort` and `enable` must be stable
/// during a run. `out_valid` and `error` are registers; `zero_skip` is ignored and `out_skip` is 0.
#[derive(LogicBlock)]
pub struct EgSerialDecoder {
    /// Clock.
    pub clock: Signal<In, Clock>,
    /// The decoder's ports (documented on [`DecoderIo`]).
    pub io: DecoderIo,

    // ---- fetch ----
    sr: DFF<Bits<32>>,
    /// Bits left in `sr` minus one (meaningful while `have`).
    cnt: DFF<Bits<5>>,
    /// `sr` holds a bit.
    have: DFF<Bit>,
    /// `sr`'s bit is its last (cnt = 0).
    lastb: DFF<Bit>,
    /// The memory's read data holds the word at `faddr` (the address has been stable for a
    /// clock: the memory's output register is the prefetch buffer) and faddr != stream_len.
    rdy: DFF<Bit>,
    /// The next word to load into `sr` (the read address).
    faddr: DFF<Bits<WORD_BITS>>,
    /// Words are left to load (faddr != stream_len; a clock late after a load).
    more: DFF<Bit>,
    // ---- the bit loop ----
    /// Codewords are left to decode and no error is recorded (fetch, `busy`).
    active: DFF<Bit>,
    /// The loop may consume a bit (if it has one): `active`, no error found and room in the
    /// queue, all known a clock ahead.
    run: DFF<Bit>,
    info: DFF<Bit>,
    m: DFF<Bits<4>>,
    /// m = M_MAX.
    mmax: DFF<Bit>,
    /// k + prefix zeros so far, then info bits left.
    rem: DFF<Bits<5>>,
    /// The next bit ends the codeword: an info bit with rem = 1.
    fin: DFF<Bit>,
    /// The next bit ends the codeword if it is a 1: a prefix bit with rem = 0 (k = 0, m = 0).
    fin1: DFF<Bit>,
    /// The codeword's bits so far (14 bits: a value of 2^14 or more is out of range).
    n: DFF<Bits<14>>,
    /// A 1 was shifted out of `n` in this codeword (its value is out of range).
    nov: DFF<Bit>,
    /// Columns after the codeword's in the row (cols - 1 - its column).
    cleft: DFF<Bits<IDX_BITS>>,
    /// The codeword's column is cols - 1 (cleft = 0).
    atl: DFF<Bit>,
    rows_left: DFF<Bits<DIM_BITS>>,
    /// rows_left = 1.
    lastrow: DFF<Bit>,
    /// rows = 0 (latched at start; `active` falls a clock later, before any bit arrives).
    rz: DFF<Bit>,
    // ---- latched at start ----
    /// vmap_len + 2^k: values at or above it are out of range.
    nlim: DFF<Bits<14>>,
    // ---- stage C ----
    c_valid: DFF<Bit>,
    /// Value-map index of the codeword.
    c_index: DFF<Bits<LEN_BITS>>,
    /// The index is out of range.
    c_bad: DFF<Bit>,
    // ---- output queue (slot 0 = outputs) ----
    v0: DFF<Bit>,
    v1: DFF<Bit>,
    v2: DFF<Bit>,
    v3: DFF<Bit>,
    q0_index: DFF<Bits<LEN_BITS>>,
    q0_last: DFF<Bit>,
    /// Column of the event in slot 0: counts pops (0 after a row's last).
    ocol: DFF<Bits<IDX_BITS>>,
    /// Row of the event in slot 0: counts pops of a row's last.
    orow: DFF<Bits<IDX_BITS>>,
    q1_index: DFF<Bits<LEN_BITS>>,
    q1_last: DFF<Bit>,
    q2_index: DFF<Bits<LEN_BITS>>,
    q2_last: DFF<Bit>,
    q3_index: DFF<Bits<LEN_BITS>>,
    q3_last: DFF<Bit>,
    // ---- errors ----
    /// An error is recorded.
    e_flag: DFF<Bit>,
    /// Recorded, the queue not yet drained.
    e_pend: DFF<Bit>,
    /// Shown on `error`.
    e_vis: DFF<Bit>,
    e_code: DFF<Bits<4>>,
    /// PAST_END: the loop needs a bit and the stream is used up (registered: the condition
    /// holds until start).
    starve: DFF<Bit>,
    /// TOO_LONG: an (M_MAX + 1)-th prefix zero was consumed last clock.
    long_r: DFF<Bit>,
    // ---- combinational ----
    sbit: Signal<Local, Bit>,
    go: Signal<Local, Bit>,
    ld: Signal<Local, Bit>,
    words_left: Signal<Local, Bit>,
    cm1: Signal<Local, Bits<IDX_BITS>>,
    k0: Signal<Local, Bit>,
    ends: Signal<Local, Bit>,
    emit: Signal<Local, Bit>,
    c_end: Signal<Local, Bit>,
    clr: Signal<Local, Bit>,
    n_shift: Signal<Local, Bits<14>>,
    c_last_cw: Signal<Local, Bit>,
    rec: Signal<Local, Bit>,
    room: Signal<Local, Bit>,
    pow2k: Signal<Local, Bits<16>>,
    idx_err: Signal<Local, Bit>,
    push: Signal<Local, Bit>,
    pop: Signal<Local, Bit>,
    m_last: Constant<Bits<4>>,
    one16: Constant<Bits<16>>,
}

impl EgSerialDecoder {
    /// A decoder; the limits ([`K_MAX`], [`M_MAX`]) are fixed by the register map.
    pub fn new() -> Self {
        assert!(
            K_MAX <= 7 && (1..=15).contains(&M_MAX),
            "k is 3 bits and the prefix count 4 bits wide"
        );
        assert!(M_MAX + K_MAX < 32, "the info bit count is 5 bits wide");
        assert!(
            LEN_BITS < 14,
            "indices below 2^13: n (14 bits) holds every in-range value"
        );
        EgSerialDecoder {
            clock: Default::default(),
            io: Default::default(),
            sr: Default::default(),
            cnt: Default::default(),
            have: Default::default(),
            lastb: Default::default(),
            rdy: Default::default(),
            faddr: Default::default(),
            more: Default::default(),
            active: Default::default(),
            run: Default::default(),
            info: Default::default(),
            m: Default::default(),
            mmax: Default::default(),
            rem: Default::default(),
            fin: Default::default(),
            fin1: Default::default(),
            n: Default::default(),
            nov: Default::default(),
            cleft: Default::default(),
            atl: Default::default(),
            rows_left: Default::default(),
            lastrow: Default::default(),
            rz: Default::default(),
            nlim: Default::default(),
            c_valid: Default::default(),
            c_index: Default::default(),
            c_bad: Default::default(),
            v0: Default::default(),
            v1: Default::default(),
            v2: Default::default(),
            v3: Default::default(),
            q0_index: Default::default(),
            q0_last: Default::default(),
            ocol: Default::default(),
            orow: Default::default(),
            q1_index: Default::default(),
            q1_last: Default::default(),
            q2_index: Default::default(),
            q2_last: Default::default(),
            q3_index: Default::default(),
            q3_last: Default::default(),
            e_flag: Default::default(),
            e_pend: Default::default(),
            e_vis: Default::default(),
            e_code: Default::default(),
            starve: Default::default(),
            long_r: Default::default(),
            sbit: Default::default(),
            go: Default::default(),
            ld: Default::default(),
            words_left: Default::default(),
            cm1: Default::default(),
            k0: Default::default(),
            ends: Default::default(),
            emit: Default::default(),
            c_end: Default::default(),
            clr: Default::default(),
            n_shift: Default::default(),
            c_last_cw: Default::default(),
            rec: Default::default(),
            room: Default::default(),
            pow2k: Default::default(),
            idx_err: Default::default(),
            push: Default::default(),
            pop: Default::default(),
            m_last: Constant::new(((M_MAX - 1) as u64).into()),
            one16: Constant::new(1.into()),
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
            self, clock, sr, cnt, have, lastb, rdy, faddr, more, active, run, info, m, mmax, rem, fin, fin1, n, nov,
            cleft, atl, rows_left, lastrow, rz, nlim, c_valid, c_index, c_bad, v0, v1, v2, v3, q0_index, q0_last, ocol,
            orow, q1_index, q1_last, q2_index, q2_last, q3_index, q3_last, e_flag, e_pend, e_vis, e_code, starve,
            long_r
        );
        self.clr.next = self.io.start.val() | self.io.abort.val();
        // Configuration (stable during a run): 2^k, k = 0, cols - 1.
        self.pow2k.next = self.one16.val() << self.io.k.val();
        self.k0.next = self.io.k.val() == 0;
        self.cm1.next = bit_cast::<IDX_BITS, DIM_BITS>(self.io.cols.val() - 1);

        // ---------------- advance: registers only ----------------
        // `go`: a bit is consumed (two registers). `ends`: that bit ends the codeword (two
        // registers and the bit). The loop's registers load when `go`, with values selected by
        // registers and the bit; only `c_valid` takes `emit`.
        self.go.next = self.run.q.val() & self.have.q.val();
        self.sbit.next = self.sr.q.val().get_bit(31);
        self.ends.next = self.fin.q.val() | (self.fin1.q.val() & self.sbit.val());
        self.emit.next = self.go.val() & self.ends.val();

        // ---------------- bit supply ----------------
        // The read address is the next word to load, so the memory's output register holds it a
        // clock after the address moved: no prefetch register. The word moves into `sr` when sr
        // is empty or its last bit is consumed now (`go & lastb`, i.e. `run & lastb` with a
        // bit there); the address then moves on (a word lasts at least 32 clocks, the read one).
        // `rdy`: the next clock's memory output is a stream word (one LUT to `ld`).
        self.io.mem_addr.next = bit_cast::<ADDR_BITS, WORD_BITS>(self.faddr.q.val());
        self.ld.next = self.rdy.q.val() & ((!self.have.q.val()) | (self.run.q.val() & self.lastb.q.val()));
        self.words_left.next = self.faddr.q.val() != self.io.stream_len.val();
        self.more.d.next = self.words_left.val();
        self.rdy.d.next = (!self.ld.val()) & self.words_left.val();
        if self.ld.val() {
            self.faddr.d.next = self.faddr.q.val() + 1;
        }
        if self.go.val() {
            self.sr.d.next = self.sr.q.val() << 1;
            self.cnt.d.next = self.cnt.q.val() - 1;
            self.lastb.d.next = self.cnt.q.val() == 1;
            if self.lastb.q.val() {
                self.have.d.next = false;
            }
        }
        if self.ld.val() {
            self.sr.d.next = self.io.mem_data.val();
            self.cnt.d.next = 31.into();
            self.have.d.next = true;
            self.lastb.d.next = false;
        }

        // ---------------- the bit loop ----------------
        // n is 0 in the prefix, so that it is 1 after the marker and the codeword's value
        // (+ 2^k) after the last info bit: every consumed bit is shifted in.
        self.n_shift.next = self.n.q.val() << 1;
        if self.sbit.val() {
            self.n_shift.next = (self.n.q.val() << 1) | 1_u64;
        }
        if self.go.val() {
            // (back to 0 after the codeword's last bit, kept 0 by prefix zeros)
            self.n.d.next = 0.into();
            self.nov.d.next = false;
            if self.info.q.val() & (!self.fin.q.val()) {
                self.n.d.next = self.n_shift.val();
                self.nov.d.next = self.nov.q.val() | self.n.q.val().get_bit(13);
            }
            if (!self.info.q.val()) & self.sbit.val() & (!self.fin1.q.val()) {
                self.n.d.next = 1.into();
            }
        }
        self.long_r.d.next = self.go.val() & (!self.info.q.val()) & (!self.sbit.val()) & self.mmax.q.val();
        if self.go.val() {
            if self.info.q.val() {
                // An info bit; the last one ends the codeword (rem back to k).
                self.rem.d.next = self.rem.q.val() - 1;
                self.fin.d.next = (!self.fin.q.val()) & (self.rem.q.val() == 2);
                self.fin1.d.next = false;
                if self.fin.q.val() {
                    self.info.d.next = false;
                    self.rem.d.next = bit_cast::<5, 3>(self.io.k.val());
                    self.fin1.d.next = self.k0.val();
                }
            } else {
                // A prefix bit: m and rem count zeros; a 1 is the marker (and the whole
                // codeword if rem = 0).
                self.m.d.next = self.m.q.val() + 1;
                self.mmax.d.next = self.m.q.val() == self.m_last.val();
                self.rem.d.next = self.rem.q.val() + 1;
                self.fin.d.next = false;
                self.fin1.d.next = false;
                if self.sbit.val() {
                    self.m.d.next = 0.into();
                    self.mmax.d.next = false;
                    self.rem.d.next = self.rem.q.val();
                    self.info.d.next = !self.fin1.q.val();
                    self.fin.d.next = (!self.fin1.q.val()) & (self.rem.q.val() == 1);
                    self.fin1.d.next = self.fin1.q.val() & self.k0.val();
                }
            }
        }
        self.starve.d.next = self.active.q.val() & (!self.have.q.val()) & (!self.more.q.val());

        // ---------------- stage C: index and range check ----------------
        // Registered every clock from `n_shift`, the value if the codeword completes now;
        // `c_valid` says whether one did. vmap_len + 2^k is latched at start: the range check
        // is `n - 2^k >= vmap_len` as `n >= vmap_len + 2^k` (below 2^14): a 1 shifted out of
        // n's 14 bits (`nov`, or bit 13 of n now), or a 14-bit comparison, beside a 13-bit
        // subtraction (a complete codeword's value is at least 2^k: the index does not wrap).
        self.c_valid.d.next = self.emit.val();
        self.c_index.d.next = bit_cast::<LEN_BITS, 14>(self.n_shift.val()) - bit_cast::<LEN_BITS, 16>(self.pow2k.val());
        self.c_bad.d.next = self.nov.q.val() | self.n.q.val().get_bit(13) | (self.n_shift.val() >= self.nlim.q.val());
        // The codeword in C gets its column and row here (the counters move as it leaves C),
        // so that the loop's fan-out is the bit supply and its own state only. The loop learns
        // that the last codeword is done from `active` (falling as it leaves C) and so may
        // consume up to two bits more (a codeword after it, or a starved or TOO_LONG condition
        // after it): everything after `active` falls is discarded.
        self.c_end.next = self.c_valid.q.val() & self.atl.q.val();
        self.c_last_cw.next = self.c_end.val() & self.lastrow.q.val();
        self.idx_err.next = self.c_valid.q.val() & self.c_bad.q.val();
        self.push.next = self.c_valid.q.val() & self.active.q.val() & (!self.c_bad.q.val()) & (!self.e_flag.q.val());
        // Column and row flags: one ahead as a codeword leaves C, else recomputed from the
        // counter (which sets them in the clocks after start, before any codeword completes).
        self.atl.d.next = self.cleft.q.val() == 0;
        self.lastrow.d.next = self.rows_left.q.val() == 1;
        if self.c_valid.q.val() {
            self.cleft.d.next = self.cleft.q.val() - 1;
            self.atl.d.next = self.cleft.q.val() == 1;
        }
        if self.c_end.val() {
            self.cleft.d.next = self.cm1.val();
            self.atl.d.next = self.cm1.val() == 0;
            self.rows_left.d.next = self.rows_left.q.val() - 1;
            self.lastrow.d.next = self.rows_left.q.val() == 2;
        }
        if self.c_last_cw.val() | self.rz.q.val() {
            self.active.d.next = false;
        }

        // ---------------- output queue ----------------
        // `room` for the next clock: the entries queued now, C's and one completed now (at most
        // `go`) must leave a slot free, counting no pop: then a codeword completed in the next
        // clock finds a slot when it leaves C, whatever `enable` does. (With `enable` at 1 the
        // queue holds one entry, C one and the loop completes one: 3 of 4, no throttling.)
        self.room.next = (!self.v1.q.val())
            | ((!self.v2.q.val()) & (!(self.c_valid.q.val() & self.go.val())))
            | ((!self.v3.q.val()) & (!self.c_valid.q.val()) & (!self.go.val()));
        // The loop stops a clock after `active` falls (the last codeword left C) or an error is
        // recorded: it may consume up to two bits more, whose codewords and conditions are
        // discarded (nothing is pushed or recorded once `active` is 0 or `e_flag` 1).
        self.run.d.next = self.active.q.val() & (!self.e_flag.q.val()) & self.room.val();
        self.pop.next = self.io.enable.val() & self.v0.q.val();
        if self.pop.val() {
            self.v0.d.next = self.v1.q.val() | (self.push.val() & self.v0.q.val());
            self.v1.d.next = self.v2.q.val() | (self.push.val() & self.v1.q.val());
            self.v2.d.next = self.v3.q.val() | (self.push.val() & self.v2.q.val());
            self.v3.d.next = self.push.val() & self.v3.q.val();
        } else {
            self.v0.d.next = self.v0.q.val() | self.push.val();
            self.v1.d.next = self.v1.q.val() | (self.push.val() & self.v0.q.val());
            self.v2.d.next = self.v2.q.val() | (self.push.val() & self.v1.q.val());
            self.v3.d.next = self.v3.q.val() | (self.push.val() & self.v2.q.val());
        }
        // A slot that is empty or emptied by the pop takes the next slot's entry, or C's (kept
        // only if it was pushed: the valid flags say which slots hold entries).
        if self.pop.val() {
            self.ocol.d.next = self.ocol.q.val() + 1;
            if self.q0_last.q.val() {
                self.ocol.d.next = 0.into();
                self.orow.d.next = self.orow.q.val() + 1;
            }
        }
        if self.pop.val() | (!self.v0.q.val()) {
            self.q0_index.d.next = self.c_index.q.val();
            self.q0_last.d.next = self.atl.q.val();
            if self.pop.val() & self.v1.q.val() {
                self.q0_index.d.next = self.q1_index.q.val();
                self.q0_last.d.next = self.q1_last.q.val();
            }
        }
        if self.pop.val() | (!self.v1.q.val()) {
            self.q1_index.d.next = self.c_index.q.val();
            self.q1_last.d.next = self.atl.q.val();
            if self.pop.val() & self.v2.q.val() {
                self.q1_index.d.next = self.q2_index.q.val();
                self.q1_last.d.next = self.q2_last.q.val();
            }
        }
        if self.pop.val() | (!self.v2.q.val()) {
            self.q2_index.d.next = self.c_index.q.val();
            self.q2_last.d.next = self.atl.q.val();
            if self.pop.val() & self.v3.q.val() {
                self.q2_index.d.next = self.q3_index.q.val();
                self.q2_last.d.next = self.q3_last.q.val();
            }
        }
        if self.pop.val() | (!self.v3.q.val()) {
            self.q3_index.d.next = self.c_index.q.val();
            self.q3_last.d.next = self.atl.q.val();
        }

        // ---------------- errors: the older codeword (in C) wins ----------------
        // PAST_END and TOO_LONG are recorded a clock after their condition (from `starve` and
        // `long_r`): when starved, nothing moves; after a prefix zero no codeword completes in
        // the next clock. So C is empty when they are recorded and an INDEX_RANGE of the
        // codeword before is recorded first. Until an error is recorded, the code follows the
        // error that would be recorded now (so its register loads on `!e_flag` alone); it
        // freezes with `e_flag`. Row and column need no registers: the error is shown once every
        // event before the faulty codeword has been popped, and the output counters `orow`,
        // `ocol` (the position of the next event) then hold the faulty codeword's.
        if !self.e_flag.q.val() {
            self.e_code.d.next = 1.into();
            if self.starve.q.val() {
                self.e_code.d.next = 3.into();
            }
            if self.idx_err.val() {
                self.e_code.d.next = 2.into();
            }
        }
        self.rec.next = (!self.e_flag.q.val())
            & self.active.q.val()
            & (self.idx_err.val() | self.starve.q.val() | self.long_r.q.val());
        if self.rec.val() {
            self.e_flag.d.next = true;
            self.e_pend.d.next = true;
        }
        // Nothing enters the queue once an error is recorded (and decoding stops): the error is
        // shown when the queue is empty.
        if self.e_flag.q.val() {
            self.active.d.next = false;
        }
        if self.e_flag.q.val() & (!self.v0.q.val()) {
            self.e_vis.d.next = true;
            self.e_pend.d.next = false;
        }

        // ---------------- start / abort ----------------
        if self.clr.val() {
            self.active.d.next = self.io.start.val();
            self.run.d.next = self.io.start.val();
            self.rz.d.next = self.io.rows.val() == 0;
            self.have.d.next = false;
            self.lastb.d.next = false;
            self.rdy.d.next = false;
            self.faddr.d.next = 0.into();
            self.more.d.next = self.io.stream_len.val() != 0;
            self.info.d.next = false;
            self.n.d.next = 0.into();
            self.nov.d.next = false;
            self.m.d.next = 0.into();
            self.mmax.d.next = false;
            self.rem.d.next = bit_cast::<5, 3>(self.io.k.val());
            self.fin.d.next = false;
            self.fin1.d.next = self.io.k.val() == 0;
            self.ocol.d.next = 0.into();
            self.orow.d.next = 0.into();
            self.cleft.d.next = self.cm1.val();
            self.nlim.d.next = bit_cast::<14, LEN_BITS>(self.io.vmap_len.val()) + bit_cast::<14, 16>(self.pow2k.val());
            self.rows_left.d.next = self.io.rows.val();
            self.c_valid.d.next = false;
            self.v0.d.next = false;
            self.v1.d.next = false;
            self.v2.d.next = false;
            self.v3.d.next = false;
            self.starve.d.next = false;
            self.long_r.d.next = false;
            self.e_flag.d.next = false;
            self.e_pend.d.next = false;
            self.e_vis.d.next = false;
            self.e_code.d.next = 0.into();
        }

        // ---------------- outputs ----------------
        self.io.out_valid.next = self.v0.q.val();
        self.io.out_index.next = bit_cast::<16, LEN_BITS>(self.q0_index.q.val());
        self.io.out_col.next = self.ocol.q.val();
        self.io.out_last.next = self.q0_last.q.val();
        self.io.out_skip.next = 0.into();
        self.io.busy.next = self.active.q.val() | self.c_valid.q.val() | self.v1.q.val() | self.e_pend.q.val();
        self.io.error.next = self.e_vis.q.val();
        self.io.err_code.next = self.e_code.q.val();
        self.io.err_row.next = self.orow.q.val();
        self.io.err_col.next = self.ocol.q.val();
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

    fn run_hw(
        words: &[u32],
        cfg: &DecodeConfig,
        stall: impl Fn(u64) -> bool,
    ) -> (Vec<Event>, Option<DecodeFault>, u64) {
        run_decoder(EgSerialDecoder::new(), words, cfg, stall)
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

    /// 1-bit codewords (k = 0, every weight zero) complete a codeword every clock, the fastest the
    /// queue can fill: still one bit per clock without stalls; 2-bit codewords (k = 1) likewise.
    #[test]
    fn one_bit_codewords_back_to_back_at_one_per_clock() {
        for (k, idx) in [(0, vec![0u32; 4 * 50]), (1, (0..200).map(|i| i % 2).collect())] {
            let bytes = expgolomb::encode(&idx, k);
            let bits: u64 = idx.iter().map(|&v| expgolomb::codeword_len(v, k) as u64).sum();
            let words = words_from_bytes(&bytes);
            let cfg = cfg_for(&words, k, false, 4, 50);
            let want = spec(&words, &cfg);
            assert_eq!(want.1, None);
            let (got, fault, last) = run_hw(&words, &cfg, |_| false);
            assert_eq!((got, fault), want, "k = {k}");
            assert_eq!(last, bits + LATENCY, "k = {k}: {bits} bits");
        }
    }

    /// Stall patterns that fill the output queue (bursts of 1-40 stalled clocks at every phase)
    /// on streams of 1-bit codewords and on streams that end in each error: no event is lost,
    /// duplicated or reordered, and the error comes after the events before it.
    #[test]
    fn stalls_that_fill_the_queue_lose_nothing() {
        let zeros = words_from_bytes(&expgolomb::encode(&[0u32; 60], 0));
        let mixed_idx: Vec<u32> = (0..60).map(|i| [0, 0, 1, 0, 5, 0, 0, 2][i % 8]).collect();
        let mixed = words_from_bytes(&expgolomb::encode(&mixed_idx, 0));
        let mut long = words_from_bytes(&expgolomb::encode(&[0u32; 40], 0));
        long.extend([0, 0]); // then 64 zeros: TOO_LONG at codeword 40
        let cases: Vec<(Vec<u32>, DecodeConfig)> = vec![
            (zeros.clone(), cfg_for(&zeros, 0, false, 3, 20)),
            // PAST_END: the stream holds 60 codewords, 80 are asked for
            (zeros.clone(), cfg_for(&zeros, 0, false, 4, 20)),
            (mixed.clone(), cfg_for(&mixed, 0, false, 6, 10)),
            // INDEX_RANGE at the first 5 (codeword 4), the 0s and 1s before it are fine
            (
                mixed.clone(),
                DecodeConfig {
                    vmap_len: 3,
                    ..cfg_for(&mixed, 0, false, 6, 10)
                },
            ),
            (long.clone(), cfg_for(&long, 0, false, 5, 10)),
        ];
        for (i, (words, cfg)) in cases.iter().enumerate() {
            let want = spec(words, cfg);
            for burst in [1u64, 2, 3, 4, 7, 40] {
                for gap in [1u64, 2, 5] {
                    for phase in 0..(burst + gap).min(8) {
                        let stall = move |c: u64| (c + phase) % (burst + gap) < burst;
                        let got = run_hw(words, cfg, stall);
                        assert_eq!(
                            (got.0, got.1),
                            want,
                            "case {i}, {burst} stalled / {gap} running, phase {phase}"
                        );
                    }
                }
            }
        }
    }

    /// The range check at its edges: vmap_len = 0 (every index is out of range, the 1-bit `1`
    /// included), and the largest vmap_len (2^13 - 1) with indices just below, at and far above it.
    #[test]
    fn index_range_edges() {
        for k in [0, 2] {
            let words = words_from_bytes(&expgolomb::encode(&[0, 1], k));
            let cfg = DecodeConfig {
                vmap_len: 0,
                ..cfg_for(&words, k, false, 1, 2)
            };
            let want = spec(&words, &cfg);
            assert_eq!(want.1.map(|f| (f.code, f.col)), Some((ErrorCode::IndexRange, 0)));
            let (got, fault, _) = run_hw(&words, &cfg, |_| false);
            assert_eq!((got, fault), want, "k = {k}");
        }
        let top = (1u32 << LEN_BITS) - 1;
        for k in [3, 5, K_MAX] {
            for bad in [top, top + 1, 1 << 14, (1 << 15) + 7, (1 << 16) + 3, 200_000] {
                let idx = [top - 1, 0, top - 2, bad, 1];
                let words = words_from_bytes(&expgolomb::encode(&idx, k));
                let cfg = DecodeConfig {
                    vmap_len: top,
                    ..cfg_for(&words, k, false, 1, 5)
                };
                let want = spec(&words, &cfg);
                let (got, fault, _) = run_hw(&words, &cfg, |_| false);
                assert_eq!((got, fault), want, "k = {k}, index {bad}");
                let code = want.1.map(|f| f.code);
                let expect = if bad >= (1 << (M_MAX + 1 + k)) - (1 << k) {
                    ErrorCode::TooLong
                } else {
                    ErrorCode::IndexRange
                };
                assert_eq!(code, Some(expect), "k = {k}, index {bad}");
            }
        }
    }

    /// The loop may look at one bit after the last codeword before it stops: whatever follows
    /// (more codewords, the end of the stream, a run of zeros) must change nothing.
    #[test]
    fn bits_after_the_last_codeword_change_nothing() {
        let ones = vec![u32::MAX; 2]; // 64 one-bit codewords (k = 0)
        let exact = vec![u32::MAX]; // exactly 32
        let mut then_zeros = words_from_bytes(&expgolomb::encode(&[3, 0, 1, 6], 0));
        then_zeros.extend([0, 0, 0]);
        let cases = [
            (ones.clone(), cfg_for(&ones, 0, false, 3, 9)),
            (exact.clone(), cfg_for(&exact, 0, false, 4, 8)),
            (exact.clone(), cfg_for(&exact, 0, false, 1, 32)),
            (then_zeros.clone(), cfg_for(&then_zeros, 0, false, 2, 2)),
        ];
        for (i, (words, cfg)) in cases.iter().enumerate() {
            let want = spec(words, cfg);
            assert_eq!(want.1, None, "case {i}");
            for stall_every in [0u64, 2, 3] {
                let stall = move |c: u64| stall_every != 0 && c % stall_every == 0;
                let (got, fault, _) = run_hw(words, cfg, stall);
                assert_eq!((got, fault), want.clone(), "case {i}, stall every {stall_every}");
            }
        }
    }

    /// No rows: nothing is read into events, no error (not even with an empty stream), and the
    /// block is idle within a few clocks.
    #[test]
    fn zero_rows_do_nothing() {
        for words in [vec![], vec![0u32, 0], vec![u32::MAX]] {
            let cfg = cfg_for(&words, 0, false, 0, 5);
            assert_eq!(spec(&words, &cfg), (vec![], None));
            let (got, fault, _) = run_hw(&words, &cfg, |_| false);
            assert_eq!((got, fault), (vec![], None), "{words:?}");
        }
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
