//! One lane of the sparse MAC array: its stream memory, EG decoder, value-map copy, activation
//! copy, a two-stage 16 x 8 multiplier and a 32-bit accumulator.
//!
//! Lane `l` of `P` computes the rows `l, l + P, ...` (row r to lane r mod P). Per decoded codeword
//! (one per clock; a skipped zero run costs nothing) it looks up the weight and the activation of
//! the codeword's column, multiplies (signed 16 x signed 8 -> 32) and accumulates (wrapping). At
//! the end of a row the accumulator goes to a one-entry result register that the shared output
//! stage ([`crate::sparse_mac_array`]) drains; if the register is still full when the next row
//! ends, the lane stalls (counted in PERF_STALL). The stall is decided from the lane's own
//! registers (a row ending in the clock its predecessor's result is granted waits one clock) and
//! kept a clock ahead in a register, so the enable that holds the pipeline is a register.
//!
//! Pipeline after the decoder's output register: M1 (value-map and activation reads), M2 and M3
//! (the signed 16 x 8 product in two stages, [`MulS16x8Pipe`]), ACC (accumulate or hand over). While stalled the memories'
//! read addresses are held so their outputs stay with the events in M1.
//!
//! Lanes are chained (`*_in` of lane i is `*_out` of lane i - 1; lane 0's inputs are idle): the
//! pending-result bits (the array grants one lane per clock from a register), the granted result
//! (or'ed: grants are one-hot), busy, the first error, the START check's length flag and the
//! performance events (each lane's registered, so they reach the top one clock late).
use crate::bitops::MulS16x8Pipe;
use crate::decoder::{LaneDecoder, ADDR_BITS, DIM_BITS, IDX_BITS, LEN_BITS, WORD_BITS};
use crate::spram::SinglePortRam;

/// log2 of the smallest stream memory put in SPRAM: above 4096 words (128 kbit) no iCE40 has the
/// block RAM (the UP5K has 120 kbit, the HX8K 128 kbit).
pub const SPRAM_SAW_MIN: usize = 13;
use crate::value_map_rom::{BlockRam, ValueMapRom};
use crate::HdlError;
use rust_hdl::prelude::*;

/// Clocks from the decoder's output to the row's result at the shared output stage: M1, M2, M3,
/// ACC and the registered grant (part of [`crate::latency`]).
pub const LATENCY: u64 = 5;

/// A lane with `2^SAW` stream words, `2^VAW` value-map entries and layers of up to `2^DAW` inputs;
/// its activation memory has `2^AAW` = 2 x 2^DAW entries (`AAW = DAW + 1`, checked in `new`): two
/// halves, one read by the running layer, the other written with its outputs (a model run).
#[derive(LogicBlock)]
pub struct MacLane<
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
    /// Columns of the layer, 1..=2^DAW.
    pub cols: Signal<In, Bits<DIM_BITS>>,
    /// Rows of the whole layer, 1..=2^DAW (the lane takes its share).
    pub rows: Signal<In, Bits<DIM_BITS>>,
    /// Value-map entries in use.
    pub vmap_len: Signal<In, Bits<LEN_BITS>>,
    /// STREAM_BASE: added to the decoder's fetch address (base + STREAM_LEN checked here).
    pub stream_base: Signal<In, Bits<WORD_BITS>>,
    /// VMAP_BASE: added to the decoded index before the value-map read.
    pub vmap_base: Signal<In, Bits<LEN_BITS>>,
    /// Host: write `host_wdata` to stream word `host_waddr`.
    pub stream_we: Signal<In, Bit>,
    /// Host: write `host_wdata` to this lane's STREAM_LEN.
    pub len_we: Signal<In, Bit>,
    /// Host: write `host_wdata[15:0]` to value-map entry `host_waddr`.
    pub vmap_we: Signal<In, Bit>,
    /// Host: write `host_wdata[7:0]` to input activation `host_waddr` (of half 0).
    pub act_we: Signal<In, Bit>,
    /// The half of the activation memory the layer reads (the other half takes its outputs).
    pub hsel: Signal<In, Bit>,
    /// The output stage writes `act_wdata` to activation `act_waddr` of the other half.
    pub act_wsel: Signal<In, Bit>,
    /// Its row.
    pub act_waddr: Signal<In, Bits<IDX_BITS>>,
    /// Its output activation.
    pub act_wdata: Signal<In, Bits<8>>,
    /// Host write address (word within the window).
    pub host_waddr: Signal<In, Bits<ADDR_BITS>>,
    /// Host write data.
    pub host_wdata: Signal<In, Bits<32>>,
    /// BIAS_BASE: added to a finished row's number for the output stage's bias read.
    pub bias_base: Signal<In, Bits<IDX_BITS>>,
    /// The output stage takes this lane's result this clock (registered arbitration in the array).
    pub grant: Signal<In, Bit>,
    /// Chain: lanes below with a finished row's result waiting (bit l for lane l).
    pub pend_in: Signal<In, Bits<8>>,
    /// Chain out: `pend_in` with this lane's bit.
    pub pend_out: Signal<Out, Bits<8>>,
    /// Chain: the granted result of a lower lane (0 when none).
    pub res_acc_in: Signal<In, Bits<32>>,
    /// Chain: its row.
    pub res_row_in: Signal<In, Bits<IDX_BITS>>,
    /// Chain: its bias address (row + BIAS_BASE).
    pub res_brow_in: Signal<In, Bits<IDX_BITS>>,
    /// Chain out: `res_acc_in`, or'ed with this lane's result when granted (grants are one-hot).
    pub res_acc_out: Signal<Out, Bits<32>>,
    /// Chain out: row.
    pub res_row_out: Signal<Out, Bits<IDX_BITS>>,
    /// Chain out: bias address.
    pub res_brow_out: Signal<Out, Bits<IDX_BITS>>,
    /// Chain: a lower lane is busy.
    pub busy_in: Signal<In, Bit>,
    /// Chain out: any lane up to this one busy.
    pub busy_out: Signal<Out, Bit>,
    /// Chain: a lower lane has an error.
    pub err_in: Signal<In, Bit>,
    /// Chain: its code.
    pub err_code_in: Signal<In, Bits<4>>,
    /// Chain: its lane.
    pub err_lane_in: Signal<In, Bits<4>>,
    /// Chain: its row (in the layer).
    pub err_row_in: Signal<In, Bits<16>>,
    /// Chain: its column.
    pub err_col_in: Signal<In, Bits<IDX_BITS>>,
    /// Chain out: first error up to this lane.
    pub err_out: Signal<Out, Bit>,
    /// Chain out: its code.
    pub err_code_out: Signal<Out, Bits<4>>,
    /// Chain out: its lane.
    pub err_lane_out: Signal<Out, Bits<4>>,
    /// Chain out: its row.
    pub err_row_out: Signal<Out, Bits<16>>,
    /// Chain out: its column.
    pub err_col_out: Signal<Out, Bits<IDX_BITS>>,
    /// Chain: some lane's STREAM_LEN is larger than the memory.
    pub len_bad_in: Signal<In, Bit>,
    /// Chain out.
    pub len_bad_out: Signal<Out, Bit>,
    /// Chain: MAC cycles on non-zero weights this clock, lower lanes.
    pub nz_in: Signal<In, Bits<4>>,
    /// Chain out.
    pub nz_out: Signal<Out, Bits<4>>,
    /// Chain: MAC cycles on zero weights this clock.
    pub zm_in: Signal<In, Bits<4>>,
    /// Chain out.
    pub zm_out: Signal<Out, Bits<4>>,
    /// Chain: zero weights skipped this clock.
    pub skip_in: Signal<In, Bits<8>>,
    /// Chain out.
    pub skip_out: Signal<Out, Bits<8>>,
    /// Chain: stalled lanes this clock.
    pub stall_in: Signal<In, Bits<4>>,
    /// Chain out.
    pub stall_out: Signal<Out, Bits<4>>,

    decoder: LaneDecoder<NF, NS>,
    /// The stream memory of block-RAM sizes (SAW < [`SPRAM_SAW_MIN`]): a write port for the host
    /// and a read port for the decoder. Unused (removed by yosys) in SPRAM sizes.
    stream: BlockRam<Bits<32>, SAW>,
    /// The stream memory of SPRAM sizes: one port, the host's writes (only while idle) or the
    /// decoder's reads. Unused (removed by yosys) in block-RAM sizes.
    stream_sp: SinglePortRam<Bits<32>, SAW>,
    /// SAW >= [`SPRAM_SAW_MIN`]: the decoder reads `stream_sp`.
    spram: Constant<Bit>,
    vmap: ValueMapRom<VAW>,
    act: BlockRam<Bits<8>, AAW>,
    /// 2^DAW: the activation memory's half bit.
    half_bit: Constant<Bits<AAW>>,
    /// The activation read address before its half bit.
    act_ra: Signal<Local, Bits<AAW>>,
    lane_id: Constant<Bits<4>>,
    /// P - 1 - lane: this lane's rows are (rows + pad) >> log2 P.
    rows_pad: Constant<Bits<DIM_BITS>>,
    lanes_log2: Constant<Bits<4>>,
    /// P, added to the row number at each finished row.
    lanes_n: Constant<Bits<IDX_BITS>>,
    /// 2^16 - 1 - 2^SAW: added to STREAM_LEN when it is written, so that STREAM_BASE + it
    /// carries into bit 16 exactly when STREAM_BASE + STREAM_LEN > 2^SAW.
    len_pad: Constant<Bits<17>>,
    /// The bits of a 32-bit STREAM_LEN write above the memory: `x > 2^SAW` is `(x & hi) != 0`
    /// unless `x == 2^SAW`.
    stream_hi32: Constant<Bits<32>>,
    stream_words32: Constant<Bits<32>>,
    lane_bit8: Constant<Bits<8>>,
    len_end: Signal<Local, Bits<17>>,
    /// STREAM_LEN + 2^16 - 1 - 2^SAW (registered with STREAM_LEN).
    len_p: DFF<Bits<17>>,
    vidx: Signal<Local, Bits<VAW>>,
    len: DFF<Bits<WORD_BITS>>,
    len_bad: DFF<Bit>,
    m1_valid: DFF<Bit>,
    m1_last: DFF<Bit>,
    m1_idx: DFF<Bits<VAW>>,
    m1_col: DFF<Bits<IDX_BITS>>,
    m2_valid: DFF<Bit>,
    m2_last: DFF<Bit>,
    m2_nz: DFF<Bit>,
    m3_valid: DFF<Bit>,
    m3_last: DFF<Bit>,
    m3_nz: DFF<Bit>,
    /// The accumulator split at bit 16: the low half and its carry this clock, the high half one
    /// clock later (it adds the previous step's high product half and low carry), so no carry
    /// chain is longer than 17 bits.
    acc_lo: DFF<Bits<16>>,
    acc_hi: DFF<Bits<16>>,
    cy: DFF<Bit>,
    ph: DFF<Bits<16>>,
    /// The finished row's low half; the high half is completed the clock after (`flush`).
    res_lo: DFF<Bits<16>>,
    flush: DFF<Bit>,
    pending: DFF<Bit>,
    res_acc: DFF<Bits<32>>,
    res_row: DFF<Bits<IDX_BITS>>,
    res_brow: DFF<Bits<IDX_BITS>>,
    row_g: DFF<Bits<IDX_BITS>>,
    /// `len_bad` or STREAM_BASE + STREAM_LEN past the memory, registered (the START check).
    lb_q: DFF<Bit>,
    rows_sum: Signal<Local, Bits<DIM_BITS>>,
    en: Signal<Local, Bit>,
    stall: Signal<Local, Bit>,
    /// The stall, `m3_valid & m3_last & pending`, computed a clock ahead from the same
    /// registers' next values, so that `en` (fanning out to the decoder's queue, M1-M3 and the
    /// multiplier) comes straight from a register.
    stall_r: DFF<Bit>,
    wv: Signal<Local, Bits<16>>,
    mul: MulS16x8Pipe,
    sum_lo: Signal<Local, Bits<17>>,
    hi17: Signal<Local, Bits<17>>,
    hi_sum: Signal<Local, Bits<16>>,
    /// This lane's performance events, registered (the chains add registered values; the top
    /// accounts for the delay).
    nz_me: DFF<Bit>,
    zm_me: DFF<Bit>,
    skip_me: DFF<Bits<4>>,
    stall_me: DFF<Bit>,
    my_busy: Signal<Local, Bit>,
    m3_end: Signal<Local, Bit>,
}

impl<const SAW: usize, const VAW: usize, const NF: usize, const NS: usize, const DAW: usize, const AAW: usize>
    MacLane<SAW, VAW, NF, NS, DAW, AAW>
{
    /// Lane `lane` of `lanes` (a power of two, 1..=8), with an optional initial value map and
    /// stream memory (words `0..stream_init.len()`; a baked image).
    pub fn new(lane: usize, lanes: usize, vmap_init: &[i32], stream_init: &[u32]) -> Result<Self, HdlError> {
        if !crate::regmap::lanes_supported(lanes) || lane >= lanes {
            return Err(HdlError::Lanes(lanes));
        }
        if !(4..=ADDR_BITS).contains(&SAW) {
            return Err(HdlError::Sizes(format!(
                "stream address width {SAW} is outside 4..={ADDR_BITS}"
            )));
        }
        if !(4..=crate::regmap::DIM_LOG2_MAX as usize).contains(&DAW) {
            return Err(HdlError::Sizes(format!(
                "activation address width {DAW} is outside 4..={}",
                crate::regmap::DIM_LOG2_MAX
            )));
        }
        if AAW != DAW + 1 {
            return Err(HdlError::Sizes(format!(
                "activation memory address width {AAW}: must be DAW + 1 = {}",
                DAW + 1
            )));
        }
        if stream_init.len() > 1 << SAW {
            return Err(HdlError::Sizes(format!(
                "lane {lane}: {} initial stream words, the memory holds {}",
                stream_init.len(),
                1u64 << SAW
            )));
        }
        if SAW >= SPRAM_SAW_MIN && !stream_init.is_empty() {
            return Err(HdlError::Sizes(format!(
                "lane {lane}: a stream memory of 2^{SAW} words is SPRAM, which has no initial contents: bake into block-RAM sizes"
            )));
        }
        let stream_map = stream_init
            .iter()
            .enumerate()
            .map(|(i, &w)| (Bits::<SAW>::from(i as u64), Bits::<32>::from(w as u64)))
            .collect();
        Ok(MacLane {
            clock: Default::default(),
            start: Default::default(),
            abort: Default::default(),
            k: Default::default(),
            zero_skip: Default::default(),
            cols: Default::default(),
            rows: Default::default(),
            vmap_len: Default::default(),
            stream_base: Default::default(),
            vmap_base: Default::default(),
            stream_we: Default::default(),
            len_we: Default::default(),
            vmap_we: Default::default(),
            act_we: Default::default(),
            hsel: Default::default(),
            act_wsel: Default::default(),
            act_waddr: Default::default(),
            act_wdata: Default::default(),
            host_waddr: Default::default(),
            host_wdata: Default::default(),
            bias_base: Default::default(),
            grant: Default::default(),
            pend_in: Default::default(),
            pend_out: Default::default(),
            res_acc_in: Default::default(),
            res_row_in: Default::default(),
            res_brow_in: Default::default(),
            res_acc_out: Default::default(),
            res_row_out: Default::default(),
            res_brow_out: Default::default(),
            busy_in: Default::default(),
            busy_out: Default::default(),
            err_in: Default::default(),
            err_code_in: Default::default(),
            err_lane_in: Default::default(),
            err_row_in: Default::default(),
            err_col_in: Default::default(),
            err_out: Default::default(),
            err_code_out: Default::default(),
            err_lane_out: Default::default(),
            err_row_out: Default::default(),
            err_col_out: Default::default(),
            len_bad_in: Default::default(),
            len_bad_out: Default::default(),
            nz_in: Default::default(),
            nz_out: Default::default(),
            zm_in: Default::default(),
            zm_out: Default::default(),
            skip_in: Default::default(),
            skip_out: Default::default(),
            stall_in: Default::default(),
            stall_out: Default::default(),
            decoder: LaneDecoder::new()?,
            // A stream memory larger than 4096 words (128 kbit, more than any iCE40's block RAM) is
            // SPRAM (the UP5K's, `MemSizes::SPRAM`), which has no initial contents.
            stream: if SAW >= SPRAM_SAW_MIN {
                Default::default()
            } else {
                BlockRam::new(stream_map)
            },
            stream_sp: if SAW >= SPRAM_SAW_MIN {
                SinglePortRam::huge()
            } else {
                Default::default()
            },
            spram: Constant::new(SAW >= SPRAM_SAW_MIN),
            vmap: ValueMapRom::with_values(vmap_init)?,
            act: Default::default(),
            half_bit: Constant::new((1u64 << DAW).into()),
            act_ra: Default::default(),
            lane_id: Constant::new((lane as u64).into()),
            rows_pad: Constant::new(((lanes - 1 - lane) as u64).into()),
            lanes_log2: Constant::new((lanes.trailing_zeros() as u64).into()),
            lanes_n: Constant::new((lanes as u64).into()),
            len_pad: Constant::new(((1u64 << 16) - 1 - (1u64 << SAW)).into()),
            stream_hi32: Constant::new((0xFFFF_FFFFu64 & !((1u64 << SAW) - 1)).into()),
            stream_words32: Constant::new((1u64 << SAW).into()),
            lane_bit8: Constant::new((1u64 << lane).into()),
            len_end: Default::default(),
            len_p: Default::default(),
            vidx: Default::default(),
            len: Default::default(),
            len_bad: Default::default(),
            m1_valid: Default::default(),
            m1_last: Default::default(),
            m1_idx: Default::default(),
            m1_col: Default::default(),
            m2_valid: Default::default(),
            m2_last: Default::default(),
            m2_nz: Default::default(),
            m3_valid: Default::default(),
            m3_last: Default::default(),
            m3_nz: Default::default(),
            acc_lo: Default::default(),
            acc_hi: Default::default(),
            cy: Default::default(),
            ph: Default::default(),
            res_lo: Default::default(),
            flush: Default::default(),
            pending: Default::default(),
            res_acc: Default::default(),
            res_row: Default::default(),
            res_brow: Default::default(),
            row_g: Default::default(),
            lb_q: Default::default(),
            rows_sum: Default::default(),
            en: Default::default(),
            stall: Default::default(),
            stall_r: Default::default(),
            wv: Default::default(),
            mul: Default::default(),
            sum_lo: Default::default(),
            hi17: Default::default(),
            hi_sum: Default::default(),
            nz_me: Default::default(),
            zm_me: Default::default(),
            skip_me: Default::default(),
            stall_me: Default::default(),
            my_busy: Default::default(),
            m3_end: Default::default(),
        })
    }
}

impl<const SAW: usize, const VAW: usize, const NF: usize, const NS: usize, const DAW: usize, const AAW: usize> Logic
    for MacLane<SAW, VAW, NF, NS, DAW, AAW>
{
    #[hdl_gen]
    fn update(&mut self) {
        dff_setup!(
            self, clock, len, len_p, len_bad, m1_valid, m1_last, m1_idx, m1_col, m2_valid, m2_last, m2_nz, m3_valid,
            m3_last, m3_nz, acc_lo, acc_hi, cy, ph, res_lo, flush, pending, stall_r, res_acc, res_row, res_brow, row_g,
            lb_q, nz_me, zm_me, skip_me, stall_me
        );
        self.decoder.clock.next = self.clock.val();
        self.stream.read_clock.next = self.clock.val();
        self.stream.write_clock.next = self.clock.val();
        self.stream_sp.clock.next = self.clock.val();
        self.vmap.clock.next = self.clock.val();
        self.act.read_clock.next = self.clock.val();
        self.act.write_clock.next = self.clock.val();

        // ---- host writes ----
        self.stream.write_enable.next = self.stream_we.val();
        self.stream.write_address.next = bit_cast::<SAW, ADDR_BITS>(self.host_waddr.val());
        self.stream.write_data.next = self.host_wdata.val();
        self.stream_sp.write_enable.next = self.stream_we.val();
        self.stream_sp.write_data.next = self.host_wdata.val();
        self.vmap.write_enable.next = self.vmap_we.val();
        self.vmap.write_index.next = bit_cast::<VAW, ADDR_BITS>(self.host_waddr.val());
        self.vmap.write_weight.next = bit_cast::<16, 32>(self.host_wdata.val());
        // Host writes go to half 0 (the window holds 2^DAW entries); the output stage writes the
        // half the layer does not read (host writes are ignored while a layer runs).
        self.act.write_enable.next = self.act_we.val();
        self.act.write_address.next = bit_cast::<AAW, ADDR_BITS>(self.host_waddr.val());
        self.act.write_data.next = bit_cast::<8, 32>(self.host_wdata.val());
        if self.act_wsel.val() {
            self.act.write_enable.next = true;
            self.act.write_address.next = bit_cast::<AAW, IDX_BITS>(self.act_waddr.val());
            if !self.hsel.val() {
                self.act.write_address.next = bit_cast::<AAW, IDX_BITS>(self.act_waddr.val()) | self.half_bit.val();
            }
            self.act.write_data.next = self.act_wdata.val();
        }
        if self.len_we.val() {
            self.len.d.next = bit_cast::<WORD_BITS, 32>(self.host_wdata.val());
            self.len_p.d.next =
                bit_cast::<17, WORD_BITS>(bit_cast::<WORD_BITS, 32>(self.host_wdata.val())) + self.len_pad.val();
            // host_wdata > 2^SAW as bit tests (no 32-bit compare chain on the host write path).
            self.len_bad.d.next = ((self.host_wdata.val() & self.stream_hi32.val()) != 0)
                & (self.host_wdata.val() != self.stream_words32.val());
        }

        // ---- decoder: this lane's rows = ceil((rows - lane) / P) ----
        // ceil((rows - lane) / P) for rows > lane, else 0, as one constant add and a shift:
        // (rows + P - 1 - lane) >> log2 P (below P when rows <= lane).
        self.rows_sum.next = self.rows.val() + self.rows_pad.val();
        self.decoder.io.rows.next = self.rows_sum.val() >> self.lanes_log2.val();
        self.decoder.io.start.next = self.start.val();
        self.decoder.io.abort.next = self.abort.val();
        self.decoder.io.k.next = self.k.val();
        self.decoder.io.zero_skip.next = self.zero_skip.val();
        self.decoder.io.cols.next = self.cols.val();
        self.decoder.io.stream_len.next = self.len.q.val();
        self.decoder.io.vmap_len.next = self.vmap_len.val();
        // STREAM_BASE is added where the fetch address leaves the decoder (its word counter and
        // the PAST_END check stay relative to the layer's stream).
        self.stream.read_address.next = bit_cast::<SAW, ADDR_BITS>(self.decoder.io.mem_addr.val())
            + bit_cast::<SAW, WORD_BITS>(self.stream_base.val());
        // SPRAM's one port: the host's write address while it writes (only while idle), else the
        // fetch address.
        self.stream_sp.address.next = bit_cast::<SAW, ADDR_BITS>(self.decoder.io.mem_addr.val())
            + bit_cast::<SAW, WORD_BITS>(self.stream_base.val());
        if self.stream_we.val() {
            self.stream_sp.address.next = bit_cast::<SAW, ADDR_BITS>(self.host_waddr.val());
        }
        self.decoder.io.mem_data.next = self.stream.read_data.val();
        if self.spram.val() {
            self.decoder.io.mem_data.next = self.stream_sp.read_data.val();
        }

        // ---- stall: a row ends while the previous result still waits ----
        // `m3_valid & m3_last & pending`, kept in a register (`stall_r`, below), so `en` is a
        // register's output. A result granted this clock still stalls a row ending in the same
        // clock, for one clock.
        self.m3_end.next = self.m3_valid.q.val() & self.m3_last.q.val();
        self.stall.next = self.stall_r.q.val();
        self.en.next = !self.stall.val();
        self.decoder.io.enable.next = self.en.val();

        // ---- M1: memory reads (addresses held while stalled) ----
        self.vmap.read_index.next = self.m1_idx.q.val();
        self.act_ra.next = bit_cast::<AAW, IDX_BITS>(self.m1_col.q.val());
        // VMAP_BASE is added to the decoded index (checked against VMAP_LEN in the decoder).
        self.vidx.next =
            bit_cast::<VAW, 16>(self.decoder.io.out_index.val()) + bit_cast::<VAW, LEN_BITS>(self.vmap_base.val());
        if self.en.val() {
            self.vmap.read_index.next = self.vidx.val();
            self.act_ra.next = bit_cast::<AAW, IDX_BITS>(self.decoder.io.out_col.val());
            self.m1_valid.d.next = self.decoder.io.out_valid.val();
            self.m1_last.d.next = self.decoder.io.out_last.val();
            self.m1_idx.d.next = self.vidx.val();
            self.m1_col.d.next = self.decoder.io.out_col.val();
        }
        // The half the layer reads (HSEL is stable during a layer).
        self.act.read_address.next = self.act_ra.val();
        if self.hsel.val() {
            self.act.read_address.next = self.act_ra.val() | self.half_bit.val();
        }

        // ---- M2, M3: signed 16 x 8 product in two stages (one SB_MAC16 with its registers on
        // the UP5K, two registered partial products in LUTs without DSPs) ----
        self.mul.clock.next = self.clock.val();
        self.mul.enable.next = self.en.val();
        self.wv.next = self.vmap.weight.val();
        self.mul.a.next = self.wv.val();
        self.mul.b.next = self.act.read_data.val();
        if self.en.val() {
            self.m2_valid.d.next = self.m1_valid.q.val();
            self.m2_last.d.next = self.m1_last.q.val();
            self.m2_nz.d.next = self.wv.val() != 0;
            self.m3_valid.d.next = self.m2_valid.q.val();
            self.m3_last.d.next = self.m2_last.q.val();
            self.m3_nz.d.next = self.m2_nz.q.val();
        }

        // ---- ACC (split at bit 16) ----
        self.sum_lo.next =
            bit_cast::<17, 16>(self.acc_lo.q.val()) + bit_cast::<17, 16>(self.mul.p.val().get_bits::<16>(0));
        // acc_hi + ph + cy as one 17-bit add with the carry in bit 0: (acc_hi:1) + (ph:cy).
        self.hi17.next = ((bit_cast::<17, 16>(self.acc_hi.q.val()) << 1) | 1_u64)
            + ((bit_cast::<17, 16>(self.ph.q.val()) << 1) | bit_cast::<17, 1>(self.cy.q.val().into()));
        self.hi_sum.next = self.hi17.val().get_bits::<16>(1);
        self.acc_hi.d.next = self.hi_sum.val();
        self.ph.d.next = 0.into();
        self.cy.d.next = false;
        self.flush.d.next = false;
        if self.grant.val() {
            self.pending.d.next = false;
        }
        if self.en.val() & self.m3_valid.q.val() {
            self.acc_lo.d.next = bit_cast::<16, 17>(self.sum_lo.val());
            self.cy.d.next = self.sum_lo.val().get_bit(16);
            self.ph.d.next = self.mul.p.val().get_bits::<16>(16);
            if self.m3_last.q.val() {
                self.acc_lo.d.next = 0.into();
                self.res_lo.d.next = bit_cast::<16, 17>(self.sum_lo.val());
                self.flush.d.next = true;
                self.pending.d.next = true;
                self.res_row.d.next = self.row_g.q.val();
                self.res_brow.d.next = self.row_g.q.val() + self.bias_base.val();
                self.row_g.d.next = self.row_g.q.val() + self.lanes_n.val();
            }
        }
        // The clock after a row's last step: its high half is complete (the result waits in
        // `pending` from the clock before; the earliest grant is the clock after this one).
        if self.flush.q.val() {
            self.res_acc.d.next =
                (bit_cast::<32, 16>(self.hi_sum.val()) << 16) | bit_cast::<32, 16>(self.res_lo.q.val());
            self.acc_hi.d.next = 0.into();
        }
        // `stall_r` follows its definition on the next values of m3_valid, m3_last, pending:
        // stalled, M3 holds and the result stays pending unless granted now; else M3 takes
        // M2, and the result is pending if M3's row ends now or the waiting one is not granted.
        if self.stall_r.q.val() {
            self.stall_r.d.next = !self.grant.val();
        } else {
            self.stall_r.d.next = self.m2_valid.q.val()
                & self.m2_last.q.val()
                & (self.m3_end.val() | (self.pending.q.val() & (!self.grant.val())));
        }
        if self.start.val() | self.abort.val() {
            self.stall_r.d.next = false;
            self.m1_valid.d.next = false;
            self.m2_valid.d.next = false;
            self.m3_valid.d.next = false;
            self.acc_lo.d.next = 0.into();
            self.acc_hi.d.next = 0.into();
            self.ph.d.next = 0.into();
            self.cy.d.next = false;
            self.flush.d.next = false;
            self.pending.d.next = false;
            self.row_g.d.next = bit_cast::<IDX_BITS, 4>(self.lane_id.val());
        }

        // ---- chains ----
        // The array grants one pending lane per clock (one-hot): the granted result is or'ed in.
        self.pend_out.next = self.pend_in.val();
        if self.pending.q.val() {
            self.pend_out.next = self.pend_in.val() | self.lane_bit8.val();
        }
        self.res_acc_out.next = self.res_acc_in.val();
        self.res_row_out.next = self.res_row_in.val();
        self.res_brow_out.next = self.res_brow_in.val();
        if self.grant.val() {
            self.res_acc_out.next = self.res_acc_in.val() | self.res_acc.q.val();
            self.res_row_out.next = self.res_row_in.val() | self.res_row.q.val();
            self.res_brow_out.next = self.res_brow_in.val() | self.res_brow.q.val();
        }
        self.my_busy.next = self.decoder.io.busy.val()
            | self.decoder.io.out_valid.val()
            | self.m1_valid.q.val()
            | self.m2_valid.q.val()
            | self.m3_valid.q.val()
            | self.pending.q.val();
        self.busy_out.next = self.busy_in.val() | self.my_busy.val();
        self.err_out.next = self.err_in.val();
        self.err_code_out.next = self.err_code_in.val();
        self.err_lane_out.next = self.err_lane_in.val();
        self.err_row_out.next = self.err_row_in.val();
        self.err_col_out.next = self.err_col_in.val();
        if (!self.err_in.val()) & self.decoder.io.error.val() {
            self.err_out.next = true;
            self.err_code_out.next = self.decoder.io.err_code.val();
            self.err_lane_out.next = self.lane_id.val();
            self.err_row_out.next = (bit_cast::<16, IDX_BITS>(self.decoder.io.err_row.val()) << self.lanes_log2.val())
                + bit_cast::<16, 4>(self.lane_id.val());
            self.err_col_out.next = self.decoder.io.err_col.val();
        }
        // STREAM_BASE + STREAM_LEN > 2^SAW, registered (configuration only: the top resolves
        // START a few clocks after the last configuration write): the carry into bit 14 of
        // STREAM_BASE + `len_p`, one carry chain. (A STREAM_LEN above 2^SAW is `len_bad`; its
        // low 15 bits in `len_p` may then be anything.)
        self.len_end.next = bit_cast::<17, WORD_BITS>(self.stream_base.val()) + self.len_p.q.val();
        self.lb_q.d.next = self.len_bad.q.val() | self.len_end.val().get_bit(16);
        self.len_bad_out.next = self.len_bad_in.val() | self.lb_q.q.val();
        self.nz_me.d.next = false;
        self.zm_me.d.next = false;
        if self.en.val() & self.m3_valid.q.val() {
            if self.m3_nz.q.val() {
                self.nz_me.d.next = true;
            } else {
                self.zm_me.d.next = true;
            }
        }
        self.skip_me.d.next = 0.into();
        if self.en.val() & self.decoder.io.out_valid.val() {
            self.skip_me.d.next = self.decoder.io.out_skip.val();
        }
        self.stall_me.d.next = false;
        if self.stall.val() {
            self.stall_me.d.next = true;
        }
        self.nz_out.next = self.nz_in.val() + bit_cast::<4, 1>(self.nz_me.q.val().into());
        self.zm_out.next = self.zm_in.val() + bit_cast::<4, 1>(self.zm_me.q.val().into());
        self.skip_out.next = self.skip_in.val() + bit_cast::<8, 4>(self.skip_me.q.val());
        self.stall_out.next = self.stall_in.val() + bit_cast::<4, 1>(self.stall_me.q.val().into());
    }
}
