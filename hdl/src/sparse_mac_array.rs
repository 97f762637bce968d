//! The sparse MAC array: P lanes ([`MacLane`]) and the shared output stage.
//!
//! Row r goes to lane r mod P; each lane has its own stream, decoder, value-map copy and
//! activation copy. Finished rows are handed, one per clock, to the output stage, which is exactly
//! `golden::infer::requantize` after adding the bias. The grant is a register: each clock it picks
//! the lowest lane with a result waiting, other than the lane granted this clock (which hands its
//! result over now), so no P-input priority logic sits in front of the output stage.
//!
//! - R1: the granted accumulator and row are registered; the bias RAM reads `bias[row + BIAS_BASE]`
//!   (the lane computed the address when the row ended);
//! - R2: `acc + bias` (wrapping, 32 bits);
//! - R3: `+ (shift > 0 ? 1 << (shift - 1) : 0)` (the constant registered from SHIFT);
//! - R4, R5: `>>> shift`, of which only the 8 result bits are kept beside whether the shifted
//!   value fits 8 bits (its bits 31..7 all equal the sign): R4 shifts by `8 * shift[4:3]` and
//!   keeps 15 bits (all that R5's shift by 0..=7 reads for its 8) and whether the bits above
//!   them all equal the sign; R5 shifts by `shift[2:0]` and checks the rest (bits 14..7 + shift[2:0]);
//! - R6: ReLU, saturation to -128..=127; written to the output activation RAM at `row`.
use crate::decoder::{ADDR_BITS, DIM_BITS, IDX_BITS, LEN_BITS, WORD_BITS};
use crate::mac_lane::MacLane;
use crate::value_map_rom::BlockRam;
use crate::HdlError;

/// Clocks of the shared output stage, R1 to R6 (part of [`crate::latency`]).
pub const OUTPUT_CLOCKS: u64 = 6;
use crate::MemInit;
use rust_hdl::prelude::*;

/// P lanes with `2^SAW` stream words, `2^VAW` value-map entries and `2^DAW` input activations
/// each, plus the output stage (`2^DAW` biases and output activations).
#[derive(LogicBlock)]
pub struct SparseMacArray<
    const P: usize,
    const SAW: usize,
    const VAW: usize,
    const NF: usize = 1,
    const NS: usize = 0,
    const DAW: usize = 8,
    const AAW: usize = 9,
> {
    /// Clock.
    pub clock: Signal<In, Clock>,
    /// One-clock strobe: start a layer.
    pub start: Signal<In, Bit>,
    /// One-clock strobe: stop, back to idle.
    pub abort: Signal<In, Bit>,
    /// Exp-Golomb order.
    pub k: Signal<In, Bits<3>>,
    /// Zero-run skipping.
    pub zero_skip: Signal<In, Bit>,
    /// ReLU before saturation.
    pub relu: Signal<In, Bit>,
    /// Rounding right shift, 0..=31.
    pub shift: Signal<In, Bits<5>>,
    /// Columns, 1..=2^DAW.
    pub cols: Signal<In, Bits<DIM_BITS>>,
    /// Rows, 1..=2^DAW.
    pub rows: Signal<In, Bits<DIM_BITS>>,
    /// Value-map entries in use.
    pub vmap_len: Signal<In, Bits<LEN_BITS>>,
    /// STREAM_BASE (every lane).
    pub stream_base: Signal<In, Bits<WORD_BITS>>,
    /// VMAP_BASE (every lane).
    pub vmap_base: Signal<In, Bits<LEN_BITS>>,
    /// BIAS_BASE: added to the row of the bias read (BIAS_BASE + ROWS checked by the top).
    pub bias_base: Signal<In, Bits<IDX_BITS>>,
    /// Host: stream word write, one bit per lane.
    pub stream_we: Signal<In, Bits<8>>,
    /// Host: STREAM_LEN write, one bit per lane.
    pub len_we: Signal<In, Bits<8>>,
    /// Host: value-map write (all lanes).
    pub vmap_we: Signal<In, Bit>,
    /// Host: input activation write (all lanes).
    pub act_we: Signal<In, Bit>,
    /// The half of the lanes' activation memories the layer reads; R6 writes each output to the
    /// other half of every lane's (the next layer's input in a model run).
    pub hsel: Signal<In, Bit>,
    /// The row of the largest output of the layer (the lowest row on ties), valid after it ran.
    pub argmax: Signal<Out, Bits<IDX_BITS>>,
    /// The build runs whole models (a constant): R6's writes into the activation memories and
    /// ARGMAX are there; without it synthesis removes them.
    pub model: Signal<In, Bit>,
    /// Host: bias write.
    pub bias_we: Signal<In, Bit>,
    /// Host write address within the window.
    pub host_waddr: Signal<In, Bits<ADDR_BITS>>,
    /// Host write data.
    pub host_wdata: Signal<In, Bits<32>>,
    /// Output activation read address (row).
    pub out_raddr: Signal<In, Bits<IDX_BITS>>,
    /// Output activation at the address of the previous clock.
    pub out_rdata: Signal<Out, Bits<8>>,
    /// Work in progress (lanes or output stage), a clock late (registered).
    pub busy: Signal<Out, Bit>,
    /// Some lane stopped on an error.
    pub error: Signal<Out, Bit>,
    /// Error code of the first lane to err (the lowest-numbered of those erring in the same clock).
    pub err_code: Signal<Out, Bits<4>>,
    /// Its lane.
    pub err_lane: Signal<Out, Bits<4>>,
    /// Row of the offending codeword.
    pub err_row: Signal<Out, Bits<16>>,
    /// Its column.
    pub err_col: Signal<Out, Bits<IDX_BITS>>,
    /// Some lane's STREAM_LEN exceeds its memory.
    pub len_bad: Signal<Out, Bit>,
    /// MAC cycles on non-zero weights this clock (all lanes).
    pub perf_nz: Signal<Out, Bits<4>>,
    /// MAC cycles on zero weights this clock.
    pub perf_zm: Signal<Out, Bits<4>>,
    /// Zero weights skipped this clock.
    pub perf_skip: Signal<Out, Bits<8>>,
    /// Stalled lanes this clock.
    pub perf_stall: Signal<Out, Bits<4>>,

    lanes: [MacLane<SAW, VAW, NF, NS, DAW, AAW>; P],
    bias: BlockRam<Bits<32>, DAW>,
    outm: RAM<Bits<8>, DAW>,
    /// One-hot: the lane whose result is handed over this clock (0: none).
    gsel: DFF<Bits<8>>,
    cand: Signal<Local, Bits<8>>,
    /// Some lane or output stage holds work (what `busy` shows, a clock late).
    busy_q: DFF<Bit>,
    r1_valid: DFF<Bit>,
    r1_acc: DFF<Bits<32>>,
    r1_row: DFF<Bits<IDX_BITS>>,
    r2_valid: DFF<Bit>,
    r2_sum: DFF<Bits<32>>,
    r2_row: DFF<Bits<IDX_BITS>>,
    r3_valid: DFF<Bit>,
    r3_rnd: DFF<Bits<32>>,
    r3_row: DFF<Bits<IDX_BITS>>,
    r4_valid: DFF<Bit>,
    /// Bits 14..0 of `r3 >>> 8 * SHIFT[4:3]`.
    r4_lo: DFF<Bits<15>>,
    /// The sign (of every stage's value).
    r4_sg: DFF<Bit>,
    /// Bits 31..15 of `r3 >>> 8 * SHIFT[4:3]` all equal the sign.
    r4_ok: DFF<Bit>,
    r4_row: DFF<Bits<IDX_BITS>>,
    r5_valid: DFF<Bit>,
    /// Bits 7..0 of `r3 >>> SHIFT`.
    r5_y: DFF<Bits<8>>,
    r5_sg: DFF<Bit>,
    /// `r3 >>> SHIFT` fits 8 bits (bits 31..7 all equal the sign).
    r5_fit: DFF<Bit>,
    r5_row: DFF<Bits<IDX_BITS>>,
    r6_valid: DFF<Bit>,
    r6_y: DFF<Bits<8>>,
    r6_row: DFF<Bits<IDX_BITS>>,
    /// The rounding constant of SHIFT, registered (SHIFT is stable during a run).
    half_q: DFF<Bits<32>>,
    one32: Constant<Bits<32>>,
    shm1: Signal<Local, Bits<5>>,
    /// R3's value with the sign's bits cleared (a 1 where a bit differs from the sign).
    u3: Signal<Local, Bits<32>>,
    /// R4's 15 bits likewise.
    u4: Signal<Local, Bits<15>>,
    ysat: Signal<Local, Bits<8>>,
    /// The granted lane's bias address (the chain's end).
    brow: Signal<Local, Bits<IDX_BITS>>,
    /// The largest output so far in this layer and its row, as one key {y ^ 0x80, !row}: offset
    /// binary compares unsigned, and of two equal outputs the lower row has the larger key, so the
    /// argmax is one 19-bit compare (one carry chain). Reset at START to {0, !0} (row 0 at -128):
    /// row 0 is every layer's output, so the key only moves to a better one.
    amax_key: DFF<Bits<AMAX_KEY_BITS>>,
    /// The key's row (0 from power-up on, as ARGMAX reads before any run).
    amax_row: DFF<Bits<IDX_BITS>>,
    /// R7 (argmax only): R6's output as a key, its row, valid. Registered so the compare starts
    /// from flip-flops; its last update lands in the clock `busy` falls (`busy` is R6's a clock
    /// late), so ARGMAX is final with DONE.
    a7_key: DFF<Bits<AMAX_KEY_BITS>>,
    a7_row: DFF<Bits<IDX_BITS>>,
    a7_valid: DFF<Bit>,
    /// !row, 11 bits wide (inverted in its own width, not in the key's).
    r6_nrow: Signal<Local, Bits<IDX_BITS>>,
    /// The reset key.
    amax_key0: Constant<Bits<AMAX_KEY_BITS>>,
    /// IDX_BITS, the key's output field's offset.
    amax_shift: Constant<Bits<5>>,
}

/// Width of the argmax key: an output (8 bits) and a row.
const AMAX_KEY_BITS: usize = 8 + IDX_BITS;

impl<
        const P: usize,
        const SAW: usize,
        const VAW: usize,
        const NF: usize,
        const NS: usize,
        const DAW: usize,
        const AAW: usize,
    > SparseMacArray<P, SAW, VAW, NF, NS, DAW, AAW>
{
    /// An array; `init` optionally preloads every lane's value map and stream memory and the bias
    /// memory (a baked image; empty: the host loads everything).
    pub fn new(init: &MemInit) -> Result<Self, HdlError> {
        if !crate::regmap::lanes_supported(P) {
            return Err(HdlError::Lanes(P));
        }
        if init.streams.len() > P {
            return Err(HdlError::Sizes(format!(
                "initial streams for {} lanes, the array has {P}",
                init.streams.len()
            )));
        }
        if init.bias.len() > 1 << DAW {
            return Err(HdlError::Sizes(format!(
                "{} initial biases, the bias memory holds {}",
                init.bias.len(),
                1u64 << DAW
            )));
        }
        let mut lanes = Vec::with_capacity(P);
        for l in 0..P {
            let words = init.streams.get(l).map(Vec::as_slice).unwrap_or(&[]);
            lanes.push(MacLane::new(l, P, &init.vmap, words)?);
        }
        let bias_map = init
            .bias
            .iter()
            .enumerate()
            .map(|(i, &b)| (Bits::<DAW>::from(i as u64), Bits::<32>::from(b as u32 as u64)))
            .collect();
        let lanes: [MacLane<SAW, VAW, NF, NS, DAW, AAW>; P] = match lanes.try_into() {
            Ok(a) => a,
            Err(_) => return Err(HdlError::Lanes(P)),
        };
        Ok(SparseMacArray {
            clock: Default::default(),
            start: Default::default(),
            abort: Default::default(),
            k: Default::default(),
            zero_skip: Default::default(),
            relu: Default::default(),
            shift: Default::default(),
            cols: Default::default(),
            rows: Default::default(),
            vmap_len: Default::default(),
            stream_base: Default::default(),
            vmap_base: Default::default(),
            bias_base: Default::default(),
            stream_we: Default::default(),
            len_we: Default::default(),
            vmap_we: Default::default(),
            act_we: Default::default(),
            hsel: Default::default(),
            argmax: Default::default(),
            model: Default::default(),
            bias_we: Default::default(),
            host_waddr: Default::default(),
            host_wdata: Default::default(),
            out_raddr: Default::default(),
            out_rdata: Default::default(),
            busy: Default::default(),
            error: Default::default(),
            err_code: Default::default(),
            err_lane: Default::default(),
            err_row: Default::default(),
            err_col: Default::default(),
            len_bad: Default::default(),
            perf_nz: Default::default(),
            perf_zm: Default::default(),
            perf_skip: Default::default(),
            perf_stall: Default::default(),
            lanes,
            bias: BlockRam::new(bias_map),
            outm: Default::default(),
            gsel: Default::default(),
            cand: Default::default(),
            busy_q: Default::default(),
            r1_valid: Default::default(),
            r1_acc: Default::default(),
            r1_row: Default::default(),
            r2_valid: Default::default(),
            r2_sum: Default::default(),
            r2_row: Default::default(),
            r3_valid: Default::default(),
            r3_rnd: Default::default(),
            r3_row: Default::default(),
            r4_valid: Default::default(),
            r4_lo: Default::default(),
            r4_sg: Default::default(),
            r4_ok: Default::default(),
            r4_row: Default::default(),
            r5_valid: Default::default(),
            r5_y: Default::default(),
            r5_sg: Default::default(),
            r5_fit: Default::default(),
            r5_row: Default::default(),
            r6_valid: Default::default(),
            r6_y: Default::default(),
            r6_row: Default::default(),
            half_q: Default::default(),
            one32: Constant::new(1.into()),
            shm1: Default::default(),
            u3: Default::default(),
            u4: Default::default(),
            ysat: Default::default(),
            brow: Default::default(),
            amax_key: Default::default(),
            amax_row: Default::default(),
            a7_key: Default::default(),
            a7_row: Default::default(),
            a7_valid: Default::default(),
            r6_nrow: Default::default(),
            amax_key0: Constant::new(((1u64 << IDX_BITS) - 1).into()),
            amax_shift: Constant::new((IDX_BITS as u64).into()),
        })
    }
}

impl<
        const P: usize,
        const SAW: usize,
        const VAW: usize,
        const NF: usize,
        const NS: usize,
        const DAW: usize,
        const AAW: usize,
    > Logic for SparseMacArray<P, SAW, VAW, NF, NS, DAW, AAW>
{
    #[hdl_gen]
    fn update(&mut self) {
        dff_setup!(
            self, clock, gsel, busy_q, r1_valid, r1_acc, r1_row, r2_valid, r2_sum, r2_row, r3_valid, r3_rnd, r3_row,
            r4_valid, r4_lo, r4_sg, r4_ok, r4_row, r5_valid, r5_y, r5_sg, r5_fit, r5_row, r6_valid, r6_y, r6_row,
            half_q, amax_key, amax_row, a7_key, a7_row, a7_valid
        );
        self.bias.read_clock.next = self.clock.val();
        self.bias.write_clock.next = self.clock.val();
        self.outm.read_clock.next = self.clock.val();
        self.outm.write_clock.next = self.clock.val();
        // ---- lanes: broadcast inputs, chain the rest ----
        for i in 0..P {
            self.lanes[i].clock.next = self.clock.val();
            self.lanes[i].start.next = self.start.val();
            self.lanes[i].abort.next = self.abort.val();
            self.lanes[i].k.next = self.k.val();
            self.lanes[i].zero_skip.next = self.zero_skip.val();
            self.lanes[i].cols.next = self.cols.val();
            self.lanes[i].rows.next = self.rows.val();
            self.lanes[i].vmap_len.next = self.vmap_len.val();
            self.lanes[i].stream_base.next = self.stream_base.val();
            self.lanes[i].vmap_base.next = self.vmap_base.val();
            self.lanes[i].bias_base.next = self.bias_base.val();
            self.lanes[i].grant.next = self.gsel.q.val().get_bit(i);
            self.lanes[i].stream_we.next = self.stream_we.val().get_bit(i);
            self.lanes[i].len_we.next = self.len_we.val().get_bit(i);
            self.lanes[i].vmap_we.next = self.vmap_we.val();
            self.lanes[i].act_we.next = self.act_we.val();
            self.lanes[i].hsel.next = self.hsel.val();
            self.lanes[i].act_wsel.next = self.r6_valid.q.val() & self.model.val();
            self.lanes[i].act_waddr.next = self.r6_row.q.val();
            self.lanes[i].act_wdata.next = self.r6_y.q.val();
            self.lanes[i].host_waddr.next = self.host_waddr.val();
            self.lanes[i].host_wdata.next = self.host_wdata.val();
        }
        self.lanes[0].pend_in.next = 0.into();
        self.lanes[0].res_acc_in.next = 0.into();
        self.lanes[0].res_row_in.next = 0.into();
        self.lanes[0].res_brow_in.next = 0.into();
        self.lanes[0].busy_in.next = false;
        self.lanes[0].err_in.next = false;
        self.lanes[0].err_code_in.next = 0.into();
        self.lanes[0].err_lane_in.next = 0.into();
        self.lanes[0].err_row_in.next = 0.into();
        self.lanes[0].err_col_in.next = 0.into();
        self.lanes[0].len_bad_in.next = false;
        self.lanes[0].nz_in.next = 0.into();
        self.lanes[0].zm_in.next = 0.into();
        self.lanes[0].skip_in.next = 0.into();
        self.lanes[0].stall_in.next = 0.into();
        for i in 1..P {
            self.lanes[i].pend_in.next = self.lanes[i - 1].pend_out.val();
            self.lanes[i].res_acc_in.next = self.lanes[i - 1].res_acc_out.val();
            self.lanes[i].res_row_in.next = self.lanes[i - 1].res_row_out.val();
            self.lanes[i].res_brow_in.next = self.lanes[i - 1].res_brow_out.val();
            self.lanes[i].busy_in.next = self.lanes[i - 1].busy_out.val();
            self.lanes[i].err_in.next = self.lanes[i - 1].err_out.val();
            self.lanes[i].err_code_in.next = self.lanes[i - 1].err_code_out.val();
            self.lanes[i].err_lane_in.next = self.lanes[i - 1].err_lane_out.val();
            self.lanes[i].err_row_in.next = self.lanes[i - 1].err_row_out.val();
            self.lanes[i].err_col_in.next = self.lanes[i - 1].err_col_out.val();
            self.lanes[i].len_bad_in.next = self.lanes[i - 1].len_bad_out.val();
            self.lanes[i].nz_in.next = self.lanes[i - 1].nz_out.val();
            self.lanes[i].zm_in.next = self.lanes[i - 1].zm_out.val();
            self.lanes[i].skip_in.next = self.lanes[i - 1].skip_out.val();
            self.lanes[i].stall_in.next = self.lanes[i - 1].stall_out.val();
        }
        for i in (P - 1)..P {
            self.error.next = self.lanes[i].err_out.val();
            self.err_code.next = self.lanes[i].err_code_out.val();
            self.err_lane.next = self.lanes[i].err_lane_out.val();
            self.err_row.next = self.lanes[i].err_row_out.val();
            self.err_col.next = self.lanes[i].err_col_out.val();
            self.len_bad.next = self.lanes[i].len_bad_out.val();
            self.perf_nz.next = self.lanes[i].nz_out.val();
            self.perf_zm.next = self.lanes[i].zm_out.val();
            self.perf_skip.next = self.lanes[i].skip_out.val();
            self.perf_stall.next = self.lanes[i].stall_out.val();
        }

        // ---- grant: the lowest waiting lane but the one handing over now (its bit clears) ----
        for i in (P - 1)..P {
            self.cand.next = self.lanes[i].pend_out.val() & (!self.gsel.q.val());
        }
        self.gsel.d.next = self.cand.val() & ((!self.cand.val()) + 1);

        // ---- R1: hand-over and bias read ----
        self.r1_valid.d.next = self.gsel.q.val() != 0;
        for i in (P - 1)..P {
            self.r1_acc.d.next = self.lanes[i].res_acc_out.val();
            self.r1_row.d.next = self.lanes[i].res_row_out.val();
            self.brow.next = self.lanes[i].res_brow_out.val();
        }
        self.bias.read_address.next = bit_cast::<DAW, IDX_BITS>(self.brow.val());
        self.bias.write_enable.next = self.bias_we.val();
        self.bias.write_address.next = bit_cast::<DAW, ADDR_BITS>(self.host_waddr.val());
        self.bias.write_data.next = self.host_wdata.val();

        // ---- R2: + bias; R3: + rounding constant ----
        self.shm1.next = self.shift.val() - 1;
        self.half_q.d.next = 0.into();
        if self.shift.val() != 0 {
            self.half_q.d.next = self.one32.val() << self.shm1.val();
        }
        self.r2_valid.d.next = self.r1_valid.q.val();
        self.r2_sum.d.next = self.r1_acc.q.val() + self.bias.read_data.val();
        self.r2_row.d.next = self.r1_row.q.val();
        self.r3_valid.d.next = self.r2_valid.q.val();
        self.r3_rnd.d.next = self.r2_sum.q.val() + self.half_q.q.val();
        self.r3_row.d.next = self.r2_row.q.val();

        // ---- R4, R5: arithmetic shift by SHIFT, 8 bits and a fits flag kept; R6: ReLU, saturation ----
        // u3: a 1 where a bit of r3 differs from its sign; the shifted value's bits 31..15 are
        // r3's bits 31..15 + 8j (sign above bit 31), so they equal the sign when u3's are 0.
        self.u3.next = self.r3_rnd.q.val();
        if self.r3_rnd.q.val().get_bit(31) {
            self.u3.next = !self.r3_rnd.q.val();
        }
        self.r4_valid.d.next = self.r3_valid.q.val();
        self.r4_sg.d.next = self.r3_rnd.q.val().get_bit(31);
        self.r4_row.d.next = self.r3_row.q.val();
        if self.shift.val().get_bit(4) {
            // 8j = 16 or 24: bits 31..15 + 8j are above bit 30: the sign only.
            self.r4_ok.d.next = true;
            if self.shift.val().get_bit(3) {
                self.r4_lo.d.next = bit_cast::<15, 8>(self.r3_rnd.q.val().get_bits::<8>(24));
                if self.r3_rnd.q.val().get_bit(31) {
                    self.r4_lo.d.next = bit_cast::<15, 8>(self.r3_rnd.q.val().get_bits::<8>(24)) | 0x7F00_u64;
                }
            } else {
                self.r4_lo.d.next = self.r3_rnd.q.val().get_bits::<15>(16);
            }
        } else if self.shift.val().get_bit(3) {
            self.r4_ok.d.next = self.u3.val().get_bits::<8>(23) == 0;
            self.r4_lo.d.next = self.r3_rnd.q.val().get_bits::<15>(8);
        } else {
            self.r4_ok.d.next = self.u3.val().get_bits::<16>(15) == 0;
            self.r4_lo.d.next = self.r3_rnd.q.val().get_bits::<15>(0);
        }
        // R5: bits 7 + s .. s of the 15 (s = SHIFT[2:0] <= 7), and bits 14..7 + s equal the sign.
        self.u4.next = self.r4_lo.q.val();
        if self.r4_sg.q.val() {
            self.u4.next = !self.r4_lo.q.val();
        }
        self.r5_valid.d.next = self.r4_valid.q.val();
        self.r5_y.d.next = bit_cast::<8, 15>(self.r4_lo.q.val() >> (self.shift.val() & 0x07_u64));
        self.r5_sg.d.next = self.r4_sg.q.val();
        self.r5_fit.d.next =
            self.r4_ok.q.val() & ((self.u4.val().get_bits::<8>(7) >> (self.shift.val() & 0x07_u64)) == 0);
        self.r5_row.d.next = self.r4_row.q.val();
        self.ysat.next = self.r5_y.q.val();
        if self.relu.val() & self.r5_sg.q.val() {
            self.ysat.next = 0.into();
        } else if !self.r5_fit.q.val() {
            self.ysat.next = 0x7F.into();
            if self.r5_sg.q.val() {
                self.ysat.next = 0x80.into();
            }
        }
        self.r6_valid.d.next = self.r5_valid.q.val();
        self.r6_y.d.next = self.ysat.val();
        self.r6_row.d.next = self.r5_row.q.val();
        self.outm.write_enable.next = self.r6_valid.q.val();
        self.outm.write_address.next = bit_cast::<DAW, IDX_BITS>(self.r6_row.q.val());
        self.outm.write_data.next = self.r6_y.q.val();
        self.outm.read_address.next = bit_cast::<DAW, IDX_BITS>(self.out_raddr.val());
        self.out_rdata.next = self.outm.read_data.val();
        // ARGMAX: the largest output (signed) and its row; a tie keeps the lower row (rows arrive
        // out of order from the lanes). One compare of {y ^ 0x80, !row} keys.
        self.r6_nrow.next = !self.r6_row.q.val();
        self.a7_key.d.next = (bit_cast::<AMAX_KEY_BITS, 8>(self.r6_y.q.val() ^ 0x80_u64) << self.amax_shift.val())
            | bit_cast::<AMAX_KEY_BITS, IDX_BITS>(self.r6_nrow.val());
        self.a7_row.d.next = self.r6_row.q.val();
        self.a7_valid.d.next = self.r6_valid.q.val() & self.model.val();
        if self.a7_valid.q.val() & (self.a7_key.q.val() > self.amax_key.q.val()) {
            self.amax_key.d.next = self.a7_key.q.val();
            self.amax_row.d.next = self.a7_row.q.val();
        }
        self.argmax.next = self.amax_row.q.val();

        if self.start.val() | self.abort.val() {
            self.amax_key.d.next = self.amax_key0.val();
            self.amax_row.d.next = 0.into();
            self.a7_valid.d.next = false;
            self.gsel.d.next = 0.into();
            self.r1_valid.d.next = false;
            self.r2_valid.d.next = false;
            self.r3_valid.d.next = false;
            self.r4_valid.d.next = false;
            self.r5_valid.d.next = false;
            self.r6_valid.d.next = false;
        }
        // Registered: `busy` is a clock late (the top ignores it in the two clocks after start).
        self.busy.next = self.busy_q.q.val();
        for i in (P - 1)..P {
            self.busy_q.d.next = self.lanes[i].busy_out.val()
                | self.r1_valid.q.val()
                | self.r2_valid.q.val()
                | self.r3_valid.q.val()
                | self.r4_valid.q.val()
                | self.r5_valid.q.val()
                | self.r6_valid.q.val();
        }
    }
}
