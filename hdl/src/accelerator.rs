//! The accelerator top: the host bus of `regmap`, configuration registers, start/busy/done, the
//! error register, the cycle counter and the performance counters around a [`SparseMacArray`].
//!
//! One layer `y = act(W x + b)` per START; the host sequences layers. See `regmap` for every
//! address and docs/hardware.md for the bus timing. There is no reset port: all registers start at
//! 0 (FPGA configuration / Verilog `initial`), and CTRL.SOFT_RESET stops a run and clears DONE,
//! ERROR and the counters.
use crate::decoder::{ADDR_BITS, DIM_BITS, IDX_BITS, LEN_BITS, WORD_BITS};
use crate::loader::ImageLoader;
use crate::regmap;
use crate::sparse_mac_array::SparseMacArray;
use crate::value_map_rom::BlockRam;
use crate::{HdlError, MemInit};
use rust_hdl::prelude::*;

/// Clocks of the top's run control around the array: the registered array start, the array's
/// registered busy flag and DONE (part of [`crate::latency`]).
pub const CONTROL_CLOCKS: u64 = 3;

/// DONE (and `irq`) rises `CYCLES + DONE_OFFSET` clock edges after the edge that samples the START
/// write (one more when a decoding error stops the run): the request register and the two clocks
/// that resolve START against the configuration check are not counted by CYCLES.
pub const DONE_OFFSET: u64 = 3;

/// The top with P lanes, `2^SAW` stream words per lane, `2^VAW` value-map entries and layers of up
/// to `2^DAW` rows and columns.
#[derive(LogicBlock)]
pub struct Accelerator<
    const P: usize,
    const SAW: usize,
    const VAW: usize,
    const NF: usize = 1,
    const NS: usize = 0,
    const DAW: usize = 8,
    const AAW: usize = 9,
> {
    /// The only clock.
    pub clock: Signal<In, Clock>,
    /// Word address.
    pub host_addr: Signal<In, Bits<16>>,
    /// Write data.
    pub host_wdata: Signal<In, Bits<32>>,
    /// One-clock write strobe.
    pub host_write: Signal<In, Bit>,
    /// One-clock read strobe.
    pub host_read: Signal<In, Bit>,
    /// Read data, valid with `host_rvalid`.
    pub host_rdata: Signal<Out, Bits<32>>,
    /// High exactly `regmap::READ_LATENCY` clocks after `host_read`.
    pub host_rvalid: Signal<Out, Bit>,
    /// The DONE flag.
    pub irq: Signal<Out, Bit>,
    /// The flash booter's image words (`hdl::flash_boot`), straight into the image loader: a load
    /// starts (as CTRL.LOAD does), and one word (as a LOAD_DATA write). Tied to 0 where there is
    /// no booter; ignored in a build without the layer table.
    pub boot_start: Signal<In, Bit>,
    pub boot_valid: Signal<In, Bit>,
    pub boot_word: Signal<In, Bits<32>>,

    array: SparseMacArray<P, SAW, VAW, NF, NS, DAW, AAW>,
    // configuration
    rows: DFF<Bits<DIM_BITS>>,
    cols: DFF<Bits<DIM_BITS>>,
    kq: DFF<Bits<3>>,
    shift: DFF<Bits<5>>,
    relu: DFF<Bit>,
    zskip: DFF<Bit>,
    vmap_len: DFF<Bits<LEN_BITS>>,
    rows_big: DFF<Bit>,
    cols_big: DFF<Bit>,
    k_big: DFF<Bit>,
    shift_big: DFF<Bit>,
    vmap_big: DFF<Bit>,
    stream_base: DFF<Bits<WORD_BITS>>,
    vmap_base: DFF<Bits<LEN_BITS>>,
    bias_base: DFF<Bits<DIM_BITS>>,
    sbase_big: DFF<Bit>,
    vbase_big: DFF<Bit>,
    bbase_big: DFF<Bit>,
    // control and status
    busy: DFF<Bit>,
    done: DFF<Bit>,
    err: DFF<Bit>,
    err_code: DFF<Bits<4>>,
    err_lane: DFF<Bits<4>>,
    err_row: DFF<Bits<16>>,
    err_col: DFF<Bits<IDX_BITS>>,
    arr_start: DFF<Bit>,
    /// `arr_start` a clock ago: the array's (registered) busy does not show that start yet.
    arr_start_d: DFF<Bit>,
    arr_abort: DFF<Bit>,
    h_addr: DFF<Bits<16>>,
    h_wdata: DFF<Bits<32>>,
    h_read: DFF<Bit>,
    /// CTRL.SOFT_RESET written (registered with the request).
    w_reset: DFF<Bit>,
    /// CTRL.START written without SOFT_RESET.
    w_start: DFF<Bit>,
    /// START was written last clock (STATUS shows BUSY from here on).
    start_req: DFF<Bit>,
    /// START written two clocks ago: resolved this clock against `bad_q`.
    start_req2: DFF<Bit>,
    /// The configuration check in two register stages (it reads only configuration registers and
    /// the host cannot write them between START and its resolution): flags, then their OR.
    cfg_bad: DFF<Bit>,
    vend_bad: DFF<Bit>,
    bend_bad: DFF<Bit>,
    bad_q: DFF<Bit>,
    /// Memory windows decoded with the request: stream word in range, value-map entry in range,
    /// bias / input / output activation row in range.
    h_stream: DFF<Bit>,
    h_vmap: DFF<Bit>,
    h_bias: DFF<Bit>,
    h_act: DFF<Bit>,
    h_out: DFF<Bit>,
    /// Register write address decodes (`wr_ok` adds the strobe).
    hw_rows: Signal<Local, Bit>,
    hw_cols: Signal<Local, Bit>,
    hw_k: Signal<Local, Bit>,
    hw_shift: Signal<Local, Bit>,
    hw_flags: Signal<Local, Bit>,
    hw_vlen: Signal<Local, Bit>,
    hw_sbase: Signal<Local, Bit>,
    hw_vbase: Signal<Local, Bit>,
    hw_bbase: Signal<Local, Bit>,
    /// A STREAM_LEN[l] write (0x18..=0x1F).
    hw_len: Signal<Local, Bit>,
    /// Range flags of the write data, computed on entry: > 7, > 31, > 2^DAW, > 4096, > 2^VAW.
    hd_gt7: DFF<Bit>,
    hd_gt31: DFF<Bit>,
    hd_gt_dim: DFF<Bit>,
    hd_gt4096: DFF<Bit>,
    /// The write data is above 2^STREAM_WORDS_LOG2_MAX (a STREAM_BASE out of range).
    hd_gt_sw: DFF<Bit>,
    /// log2 of the stream words per lane: the stream window's lane field starts there.
    lane_shift: Constant<Bits<4>>,
    hd_gt_vmap: DFF<Bit>,
    /// The write data's low 16 bits are not 0 (a VMAP write of a non-zero weight), on entry.
    hd_nz: DFF<Bit>,
    /// One bit per value-map entry: the entry is not the weight 0. Written with the value map,
    /// read at VMAP_BASE: ZERO_SKIP with value-map index 0 not the weight 0 is a bad
    /// configuration (a skipped zero-weight codeword adds nothing).
    nzmap: BlockRam<Bit, VAW>,
    /// The array's performance events, registered; added while `busy_d1` (busy one clock ago).
    ev_nz: DFF<Bits<4>>,
    ev_zm: DFF<Bits<4>>,
    ev_skip: DFF<Bits<8>>,
    ev_stall: DFF<Bits<4>>,
    busy_d1: DFF<Bit>,
    /// `busy` two clocks ago: the events of that clock are in `ev_*` now (lane register, then here).
    busy_d2: DFF<Bit>,
    /// An error stopped the run last clock: DONE follows now (its events are counted by then).
    err_fin: DFF<Bit>,
    cycles: DFF<Bits<32>>,
    perf_nz: DFF<Bits<32>>,
    perf_skip: DFF<Bits<32>>,
    perf_zm: DFF<Bits<32>>,
    perf_stall: DFF<Bits<32>>,
    // read pipeline
    rd1_valid: DFF<Bit>,
    rd1_out: DFF<Bit>,
    rd1_val: DFF<Bits<32>>,
    rdata: DFF<Bits<32>>,
    rvalid: DFF<Bit>,
    // constants
    id_value: Constant<Bits<32>>,
    caps_value: Constant<Bits<32>>,
    vmap_entries: Constant<Bits<32>>,
    model_id: Constant<Bits<32>>,
    vmap_entries14: Constant<Bits<14>>,
    /// Bits of a 14-bit sum at or above the value map's size (`x > 2^VAW` is `(x & hi) != 0 && x != 2^VAW`).
    vmap_hi14: Constant<Bits<14>>,
    vmap_hi32: Constant<Bits<32>>,
    /// 2^DAW (the largest ROWS/COLS, the bias rows) and the bits of a 32-bit write or a
    /// 13-bit sum at or above it (`x > 2^DAW` is `(x & hi) != 0 && x != 2^DAW`).
    dim_n32: Constant<Bits<32>>,
    dim_hi32: Constant<Bits<32>>,
    dim_n13: Constant<Bits<13>>,
    dim_hi13: Constant<Bits<13>>,
    // The register map (`regmap`) as constants: every address decode below compares with these.
    /// CTRL's address and its two strobes.
    a_ctrl: Constant<Bits<16>>,
    ctrl_start: Constant<Bits<32>>,
    ctrl_reset: Constant<Bits<32>>,
    /// Address bits above the register file: `(addr & reg_hi) == 0` selects a register.
    reg_hi: Constant<Bits<16>>,
    /// STREAM_LEN\[l\]: `(addr & len_mask) == a_len0`, the lane in the low address bits.
    len_mask: Constant<Bits<16>>,
    a_len0: Constant<Bits<16>>,
    /// Memory windows: `(addr & w_*_mask) == w_*` is the window and its offset in range (the mask
    /// holds the window's high bits and the offset bits at or above the memory's size).
    w_stream_mask: Constant<Bits<16>>,
    w_stream: Constant<Bits<16>>,
    w_vmap_mask: Constant<Bits<16>>,
    w_vmap: Constant<Bits<16>>,
    w_bias_mask: Constant<Bits<16>>,
    w_bias: Constant<Bits<16>>,
    w_act_mask: Constant<Bits<16>>,
    w_act: Constant<Bits<16>>,
    w_out: Constant<Bits<16>>,
    /// One-hot register selects: `rsel & s_*` (bit n is register address n).
    s_id: Constant<Bits<64>>,
    s_status: Constant<Bits<64>>,
    s_error: Constant<Bits<64>>,
    s_error_pos: Constant<Bits<64>>,
    s_cycles: Constant<Bits<64>>,
    s_perf_nz: Constant<Bits<64>>,
    s_perf_skip: Constant<Bits<64>>,
    s_perf_zm: Constant<Bits<64>>,
    s_perf_stall: Constant<Bits<64>>,
    s_caps: Constant<Bits<64>>,
    s_model_id: Constant<Bits<64>>,
    s_rows: Constant<Bits<64>>,
    s_cols: Constant<Bits<64>>,
    s_k: Constant<Bits<64>>,
    s_shift: Constant<Bits<64>>,
    s_flags: Constant<Bits<64>>,
    s_vlen: Constant<Bits<64>>,
    s_sbase: Constant<Bits<64>>,
    s_vbase: Constant<Bits<64>>,
    s_bbase: Constant<Bits<64>>,
    /// FLAGS bits.
    f_relu: Constant<Bits<32>>,
    f_zskip: Constant<Bits<32>>,
    /// ERROR code of a configuration rejected at START.
    e_bad_config: Constant<Bits<4>>,
    vmap_end: Signal<Local, Bits<14>>,
    bias_end: Signal<Local, Bits<13>>,
    one8: Constant<Bits<8>>,
    // decode helpers
    offs: Signal<Local, Bits<ADDR_BITS>>,
    wr_ok: Signal<Local, Bit>,
    lane_bit: Signal<Local, Bits<8>>,
    stat_busy: Signal<Local, Bit>,
    rmux: Signal<Local, Bits<32>>,
    /// The registered write is accepted (see `update`).
    wr_e: DFF<Bit>,
    /// Register select (reads and writes), one-hot by `host_addr[5:0]`.
    rsel: DFF<Bits<64>>,
    /// `host_addr[15:6] == 0`: the read is in the register file (else `rsel` is ignored).
    h_low: DFF<Bit>,
    one64: Constant<Bits<64>>,
    rg0: Signal<Local, Bits<32>>,
    rg2: Signal<Local, Bits<32>>,
    rg3: Signal<Local, Bits<32>>,
    rg4: Signal<Local, Bits<32>>,
    rg5: Signal<Local, Bits<32>>,
    rg6: Signal<Local, Bits<32>>,
    rg7: Signal<Local, Bits<32>>,
    rg8: Signal<Local, Bits<32>>,
    rg9: Signal<Local, Bits<32>>,
    rg10: Signal<Local, Bits<32>>,
    rg11: Signal<Local, Bits<32>>,
    rg16: Signal<Local, Bits<32>>,
    rg17: Signal<Local, Bits<32>>,
    rg18: Signal<Local, Bits<32>>,
    rg19: Signal<Local, Bits<32>>,
    rg20: Signal<Local, Bits<32>>,
    rg21: Signal<Local, Bits<32>>,
    rg32: Signal<Local, Bits<32>>,
    rg33: Signal<Local, Bits<32>>,
    rg34: Signal<Local, Bits<32>>,

    sext: Signal<Local, Bits<32>>,

    // ---- model run (CTRL.RUN_MODEL) ----
    /// The layer table: `regmap::MAX_LAYERS` entries of 2^`LAYER_WORDS_LOG2` words.
    ltab: BlockRam<Bits<32>, 8>,
    /// NUM_LAYERS, and whether it is 0 or above MAX_LAYERS (flagged on entry).
    nlayers: DFF<Bits<4>>,
    nl_bad: DFF<Bit>,
    hd_nl_bad: DFF<Bit>,
    hw_nl: Signal<Local, Bit>,
    /// CTRL.RUN_MODEL written (registered with the request).
    w_model: DFF<Bit>,
    /// A model run is on; it replays entry `mlayer`'s words (`mload`: word `mj`, read last clock
    /// when `mph`), then STARTs the layer (`mgo`); the layer reads activation half `hsel`.
    mrun: DFF<Bit>,
    mload: DFF<Bit>,
    mph: DFF<Bit>,
    mgo: DFF<Bit>,
    mj: DFF<Bits<5>>,
    mlayer: DFF<Bits<4>>,
    hsel: DFF<Bit>,
    mcycles: DFF<Bits<32>>,
    /// Write CYCLES to table word `mwb_addr` (the finished layer's LAYER_CYCLES_WORD).
    mwb: DFF<Bit>,
    mwb_addr: DFF<Bits<8>>,
    /// Another entry follows this one: `mlayer + 1 < NUM_LAYERS`, registered (a clock late after
    /// `mlayer` moves on, which is long before the next layer ends: its entry is still loading).
    /// Off the end-of-layer path, whose enables it fans out to.
    m_more: DFF<Bit>,
    /// Table word (mlayer, mj).
    tword: Signal<Local, Bits<8>>,
    /// The request into the entry registers: the host's or the model run's.
    q_addr: Signal<Local, Bits<16>>,
    q_wdata: Signal<Local, Bits<32>>,
    q_write: Signal<Local, Bit>,
    q_seq: Signal<Local, Bit>,
    h_table: DFF<Bit>,
    rd1_tab: DFF<Bit>,
    a_rows: Constant<Bits<16>>,
    ctrl_model: Constant<Bits<32>>,
    replay_last: Constant<Bits<5>>,
    w_table_mask: Constant<Bits<16>>,
    w_table: Constant<Bits<16>>,
    s_layer: Constant<Bits<64>>,
    s_argmax: Constant<Bits<64>>,
    s_mcycles: Constant<Bits<64>>,
    s_nl: Constant<Bits<64>>,
    rg12: Signal<Local, Bits<32>>,
    rg13: Signal<Local, Bits<32>>,
    rg14: Signal<Local, Bits<32>>,
    rg35: Signal<Local, Bits<32>>,
    /// The build has the layer table (`MemSizes::layer_table`): without it RUN_MODEL, the table
    /// window and NUM_LAYERS are tied off and synthesis removes the model-run logic (and the
    /// image loader, whose outputs are gated by it).
    has_model: Constant<Bit>,

    // ---- the image loader (CTRL.LOAD, LOAD_DATA, LOAD_STATUS) ----
    ld: ImageLoader,
    /// CTRL.LOAD written (registered with the request).
    w_load: DFF<Bit>,
    /// The loader's pending write enters the request this clock (no host access, no model run).
    q_ld: Signal<Local, Bit>,
    /// The registered request is the loader's (its memory writes do not invalidate the image).
    h_ld: DFF<Bit>,
    /// START / RUN_MODEL refused: a load is in progress or failed.
    ld_block: Signal<Local, Bit>,
    ctrl_load: Constant<Bits<32>>,
    e_bad_image: Constant<Bits<4>>,
    s_load_data: Constant<Bits<64>>,
    s_load_status: Constant<Bits<64>>,
    rg37: Signal<Local, Bits<32>>,
}

/// The mask of a window test `(addr & mask) == base`: the address bits above a window of `span`
/// words, and the bits of an offset in a slot of `slot` words at or above the `words` the memory
/// holds (the stream window has one slot per lane, the lane bits between; the others one slot).
fn window_mask(span: usize, slot: usize, words: usize) -> u64 {
    0xFFFF & (!(span as u64 - 1) | ((slot as u64 - 1) & !(words as u64 - 1)))
}

/// The one-hot select of register `addr` (`rsel` is `1 << addr[5:0]`).
fn select(addr: u16) -> Constant<Bits<64>> {
    Constant::new((1u64 << addr).into())
}

// Field positions the RTL slices or shifts with literals (rust-hdl's `get_bits` and shifts take
// literal positions): each is checked against the register map here, at compile time.
const _: () = {
    assert!(regmap::REG_FILE_WORDS == 1 << 6); // rsel: host_addr[5:0]
    assert!(regmap::MAX_LANES == 1 << 3); // STREAM_LEN[l]: l = addr[2:0]; stream lane: 3 bits from SAW
    assert!(regmap::STREAM_REGION_WORDS == 1 << 15); // the lane field is below addr[15]
    assert!(regmap::STREAM_WORDS_LOG2_MAX == 14 && ADDR_BITS == 14); // hd_gt_sw: STREAM_BASE > 2^14; offs: addr[13:0]
    assert!(regmap::REG_STREAM_LEN0 as usize % regmap::MAX_LANES == 0);
    assert!(regmap::STATUS_BUSY == 1 << 0 && regmap::STATUS_DONE == 1 << 1 && regmap::STATUS_ERROR == 1 << 2);
    assert!(regmap::FLAG_RELU == 1 << 0 && regmap::FLAG_ZERO_SKIP == 1 << 1);
    assert!(regmap::ERROR_LANE_SHIFT == 8 && regmap::ERROR_POS_ROW_SHIFT == 16);
    // The layer table: 8 entries of 32 words (an 8-bit word address, `tword`), NUM_LAYERS 1..=8.
    assert!(regmap::MAX_LAYERS == 8 && regmap::LAYER_WORDS_LOG2 == 5);
    assert!(regmap::LAYER_CYCLES_WORD == 0x1F);
};

impl<
        const P: usize,
        const SAW: usize,
        const VAW: usize,
        const NF: usize,
        const NS: usize,
        const DAW: usize,
        const AAW: usize,
    > Accelerator<P, SAW, VAW, NF, NS, DAW, AAW>
{
    /// The lanes' decoder.
    pub fn decoder() -> regmap::DecoderKind {
        crate::decoder::LaneDecoder::<NF, NS>::kind()
    }

    /// An accelerator; `init` optionally preloads the memories and sets MODEL_ID (a baked image,
    /// [`crate::bake`]); `MemInit::default()` for a build the host loads. `layer_table`: whether
    /// the build has the layer table of CTRL.RUN_MODEL ([`regmap::MemSizes::layer_table`]) and the
    /// image loader of CTRL.LOAD ([`crate::loader`]), whose MODEL_ID it reports (so not baked).
    pub fn new(init: &MemInit, layer_table: bool) -> Result<Self, HdlError> {
        crate::decoder::LaneDecoder::<NF, NS>::check()?;
        let sizes = regmap::MemSizes {
            stream_words_log2: SAW as u32,
            vmap_log2: VAW as u32,
            dim_log2: DAW as u32,
            layer_table,
        };
        if layer_table && init.model_id != 0 {
            return Err(HdlError::Sizes(
                "a baked build has no layer table (its MODEL_ID is the loader's in a build with one)".into(),
            ));
        }
        if !sizes.fits_lanes(P)
            || sizes.vmap_entries() > regmap::WINDOW_WORDS as usize
            || sizes.max_dim() > regmap::WINDOW_WORDS as usize
            || sizes.dim_log2 > regmap::DIM_LOG2_MAX
        {
            return Err(HdlError::Sizes(format!("{sizes:?} does not fit the register map")));
        }
        Ok(Accelerator {
            clock: Default::default(),
            host_addr: Default::default(),
            host_wdata: Default::default(),
            host_write: Default::default(),
            host_read: Default::default(),
            host_rdata: Default::default(),
            host_rvalid: Default::default(),
            irq: Default::default(),
            boot_start: Default::default(),
            boot_valid: Default::default(),
            boot_word: Default::default(),
            array: SparseMacArray::new(init)?,
            rows: Default::default(),
            cols: Default::default(),
            kq: Default::default(),
            shift: Default::default(),
            relu: Default::default(),
            zskip: Default::default(),
            vmap_len: Default::default(),
            rows_big: Default::default(),
            cols_big: Default::default(),
            k_big: Default::default(),
            shift_big: Default::default(),
            vmap_big: Default::default(),
            stream_base: Default::default(),
            vmap_base: Default::default(),
            bias_base: Default::default(),
            sbase_big: Default::default(),
            vbase_big: Default::default(),
            bbase_big: Default::default(),
            busy: Default::default(),
            done: Default::default(),
            err: Default::default(),
            err_code: Default::default(),
            err_lane: Default::default(),
            err_row: Default::default(),
            err_col: Default::default(),
            arr_start: Default::default(),
            arr_start_d: Default::default(),
            start_req: Default::default(),
            start_req2: Default::default(),
            cfg_bad: Default::default(),
            vend_bad: Default::default(),
            bend_bad: Default::default(),
            h_stream: Default::default(),
            h_vmap: Default::default(),
            h_bias: Default::default(),
            h_act: Default::default(),
            h_out: Default::default(),
            hw_rows: Default::default(),
            hw_cols: Default::default(),
            hw_k: Default::default(),
            hw_shift: Default::default(),
            hw_flags: Default::default(),
            hw_vlen: Default::default(),
            hw_sbase: Default::default(),
            hw_vbase: Default::default(),
            hw_bbase: Default::default(),
            hw_len: Default::default(),
            hd_gt7: Default::default(),
            hd_gt31: Default::default(),
            hd_gt_dim: Default::default(),
            hd_gt4096: Default::default(),
            hd_gt_sw: Default::default(),
            lane_shift: Constant::new((SAW as u64).into()),
            hd_gt_vmap: Default::default(),
            hd_nz: Default::default(),
            // A baked build initialises every entry (the block RAM's INIT; a 4-state simulation of
            // the netlist would otherwise read X at VMAP_BASE); a host-loaded one starts at 0 (the
            // value map's RAM starts at the weight 0 too).
            nzmap: BlockRam::new(if init.vmap.is_empty() {
                Default::default()
            } else {
                (0..1usize << VAW)
                    .map(|i| ((i as u64).into(), init.vmap.get(i).is_some_and(|&w| w as i16 != 0)))
                    .collect()
            }),
            ev_nz: Default::default(),
            ev_zm: Default::default(),
            ev_skip: Default::default(),
            ev_stall: Default::default(),
            busy_d1: Default::default(),
            busy_d2: Default::default(),
            err_fin: Default::default(),
            h_addr: Default::default(),
            h_wdata: Default::default(),
            h_read: Default::default(),
            w_reset: Default::default(),
            w_start: Default::default(),
            bad_q: Default::default(),
            arr_abort: Default::default(),
            cycles: Default::default(),
            perf_nz: Default::default(),
            perf_skip: Default::default(),
            perf_zm: Default::default(),
            perf_stall: Default::default(),
            rd1_valid: Default::default(),
            rd1_out: Default::default(),
            rd1_val: Default::default(),
            rdata: Default::default(),
            rvalid: Default::default(),
            id_value: Constant::new((((regmap::ID_MAGIC as u64) << 8) | P as u64).into()),
            caps_value: Constant::new((regmap::caps_register(sizes, Self::decoder()) as u64).into()),
            vmap_entries: Constant::new((sizes.vmap_entries() as u64).into()),
            model_id: Constant::new((init.model_id as u64).into()),
            vmap_entries14: Constant::new((sizes.vmap_entries() as u64).into()),
            vmap_hi14: Constant::new((0x3FFF & !(sizes.vmap_entries() as u64 - 1)).into()),
            vmap_hi32: Constant::new((0xFFFF_FFFF & !(sizes.vmap_entries() as u64 - 1)).into()),
            dim_n32: Constant::new((sizes.max_dim() as u64).into()),
            dim_hi32: Constant::new((0xFFFF_FFFF & !(sizes.max_dim() as u64 - 1)).into()),
            dim_n13: Constant::new((sizes.max_dim() as u64).into()),
            dim_hi13: Constant::new((0x1FFF & !(sizes.max_dim() as u64 - 1)).into()),
            a_ctrl: Constant::new((regmap::REG_CTRL as u64).into()),
            ctrl_start: Constant::new((regmap::CTRL_START as u64).into()),
            ctrl_reset: Constant::new((regmap::CTRL_SOFT_RESET as u64).into()),
            reg_hi: Constant::new((0xFFFF & !(regmap::REG_FILE_WORDS as u64 - 1)).into()),
            len_mask: Constant::new(((regmap::REG_FILE_WORDS as u64 - 1) & !(regmap::MAX_LANES as u64 - 1)).into()),
            a_len0: Constant::new((regmap::REG_STREAM_LEN0 as u64).into()),
            w_stream_mask: Constant::new(
                window_mask(
                    regmap::STREAM_REGION_WORDS,
                    regmap::STREAM_REGION_WORDS,
                    P * sizes.stream_words(),
                )
                .into(),
            ),
            w_stream: Constant::new((regmap::STREAM_BASE as u64).into()),
            w_vmap_mask: Constant::new(
                window_mask(
                    regmap::WINDOW_WORDS as usize,
                    regmap::WINDOW_WORDS as usize,
                    sizes.vmap_entries(),
                )
                .into(),
            ),
            w_vmap: Constant::new((regmap::VMAP_BASE as u64).into()),
            w_bias_mask: Constant::new(
                window_mask(
                    regmap::WINDOW_WORDS as usize,
                    regmap::WINDOW_WORDS as usize,
                    sizes.bias_rows(),
                )
                .into(),
            ),
            w_bias: Constant::new((regmap::BIAS_BASE as u64).into()),
            w_act_mask: Constant::new(
                window_mask(
                    regmap::WINDOW_WORDS as usize,
                    regmap::WINDOW_WORDS as usize,
                    sizes.max_dim(),
                )
                .into(),
            ),
            w_act: Constant::new((regmap::ACT_IN_BASE as u64).into()),
            w_out: Constant::new((regmap::ACT_OUT_BASE as u64).into()),
            s_id: select(regmap::REG_ID),
            s_status: select(regmap::REG_STATUS),
            s_error: select(regmap::REG_ERROR),
            s_error_pos: select(regmap::REG_ERROR_POS),
            s_cycles: select(regmap::REG_CYCLES),
            s_perf_nz: select(regmap::REG_PERF_NONZERO),
            s_perf_skip: select(regmap::REG_PERF_ZERO_SKIPPED),
            s_perf_zm: select(regmap::REG_PERF_ZERO_MAC),
            s_perf_stall: select(regmap::REG_PERF_STALL),
            s_caps: select(regmap::REG_CAPS),
            s_model_id: select(regmap::REG_MODEL_ID),
            s_rows: select(regmap::REG_ROWS),
            s_cols: select(regmap::REG_COLS),
            s_k: select(regmap::REG_K),
            s_shift: select(regmap::REG_SHIFT),
            s_flags: select(regmap::REG_FLAGS),
            s_vlen: select(regmap::REG_VMAP_LEN),
            s_sbase: select(regmap::REG_STREAM_BASE),
            s_vbase: select(regmap::REG_VMAP_BASE),
            s_bbase: select(regmap::REG_BIAS_BASE),
            f_relu: Constant::new((regmap::FLAG_RELU as u64).into()),
            f_zskip: Constant::new((regmap::FLAG_ZERO_SKIP as u64).into()),
            e_bad_config: Constant::new((regmap::ErrorCode::BadConfig as u64).into()),
            vmap_end: Default::default(),
            bias_end: Default::default(),
            one8: Constant::new(1.into()),
            offs: Default::default(),
            wr_ok: Default::default(),
            lane_bit: Default::default(),
            stat_busy: Default::default(),
            rmux: Default::default(),
            wr_e: Default::default(),
            rsel: Default::default(),
            h_low: Default::default(),
            one64: Constant::new(1.into()),
            rg0: Default::default(),
            rg2: Default::default(),
            rg3: Default::default(),
            rg4: Default::default(),
            rg5: Default::default(),
            rg6: Default::default(),
            rg7: Default::default(),
            rg8: Default::default(),
            rg9: Default::default(),
            rg10: Default::default(),
            rg11: Default::default(),
            rg16: Default::default(),
            rg17: Default::default(),
            rg18: Default::default(),
            rg19: Default::default(),
            rg20: Default::default(),
            rg21: Default::default(),
            rg32: Default::default(),
            rg33: Default::default(),
            rg34: Default::default(),

            sext: Default::default(),
            ltab: Default::default(),
            nlayers: Default::default(),
            nl_bad: Default::default(),
            hd_nl_bad: Default::default(),
            hw_nl: Default::default(),
            w_model: Default::default(),
            mrun: Default::default(),
            mload: Default::default(),
            mph: Default::default(),
            mgo: Default::default(),
            mj: Default::default(),
            mlayer: Default::default(),
            hsel: Default::default(),
            mcycles: Default::default(),
            mwb: Default::default(),
            mwb_addr: Default::default(),
            m_more: Default::default(),
            tword: Default::default(),
            q_addr: Default::default(),
            q_wdata: Default::default(),
            q_write: Default::default(),
            q_seq: Default::default(),
            h_table: Default::default(),
            rd1_tab: Default::default(),
            a_rows: Constant::new((regmap::REG_ROWS as u64).into()),
            ctrl_model: Constant::new((regmap::CTRL_RUN_MODEL as u64).into()),
            replay_last: Constant::new(((regmap::LAYER_REPLAY_WORDS - 1) as u64).into()),
            w_table_mask: Constant::new(
                window_mask(
                    regmap::WINDOW_WORDS as usize,
                    regmap::WINDOW_WORDS as usize,
                    regmap::MAX_LAYERS << regmap::LAYER_WORDS_LOG2,
                )
                .into(),
            ),
            w_table: Constant::new((regmap::LAYER_TABLE_BASE as u64).into()),
            s_layer: select(regmap::REG_LAYER),
            s_argmax: select(regmap::REG_ARGMAX),
            s_mcycles: select(regmap::REG_MODEL_CYCLES),
            s_nl: select(regmap::REG_NUM_LAYERS),
            rg12: Default::default(),
            rg13: Default::default(),
            rg14: Default::default(),
            rg35: Default::default(),
            has_model: Constant::new(sizes.layer_table),
            ld: ImageLoader::new(P, sizes),
            w_load: Default::default(),
            q_ld: Default::default(),
            h_ld: Default::default(),
            ld_block: Default::default(),
            ctrl_load: Constant::new((regmap::CTRL_LOAD as u64).into()),
            e_bad_image: Constant::new((regmap::ErrorCode::BadImage as u64).into()),
            s_load_data: select(regmap::REG_LOAD_DATA),
            s_load_status: select(regmap::REG_LOAD_STATUS),
            rg37: Default::default(),
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
    > Logic for Accelerator<P, SAW, VAW, NF, NS, DAW, AAW>
{
    #[hdl_gen]
    fn update(&mut self) {
        dff_setup!(
            self,
            clock,
            rows,
            cols,
            kq,
            shift,
            relu,
            zskip,
            vmap_len,
            rows_big,
            cols_big,
            k_big,
            shift_big,
            vmap_big,
            stream_base,
            vmap_base,
            bias_base,
            sbase_big,
            vbase_big,
            bbase_big,
            busy,
            done,
            err,
            err_code,
            err_lane,
            err_row,
            err_col,
            arr_start,
            arr_start_d,
            arr_abort,
            start_req,
            start_req2,
            cfg_bad,
            vend_bad,
            bend_bad,
            bad_q,
            h_stream,
            h_vmap,
            h_bias,
            h_act,
            h_out,
            wr_e,
            rsel,
            h_low,
            hd_gt7,
            hd_gt31,
            hd_gt_dim,
            hd_gt4096,
            hd_gt_sw,
            hd_gt_vmap,
            hd_nz,
            ev_nz,
            ev_zm,
            ev_skip,
            ev_stall,
            busy_d1,
            busy_d2,
            err_fin,
            h_addr,
            h_wdata,
            h_read,
            w_reset,
            w_start,
            cycles,
            perf_nz,
            perf_skip,
            perf_zm,
            perf_stall,
            rd1_valid,
            rd1_out,
            rd1_val,
            rdata,
            rvalid,
            nlayers,
            nl_bad,
            hd_nl_bad,
            w_model,
            mrun,
            mload,
            mph,
            mgo,
            mj,
            mlayer,
            hsel,
            mcycles,
            mwb,
            mwb_addr,
            m_more,
            h_table,
            rd1_tab,
            w_load,
            h_ld
        );
        // ---- the request: the host's, or a model run's (a layer-table word written to its
        // register, then the layer's START), which waits while the host reads (the host may poll
        // STATUS during a model run; its writes are ignored then) ----
        self.q_seq.next = ((self.mload.q.val() & self.mph.q.val() & (!self.host_read.val()))
            | (self.mgo.q.val() & (!self.host_read.val())))
            & self.has_model.val();
        self.q_addr.next = self.host_addr.val();
        self.q_wdata.next = self.host_wdata.val();
        self.q_write.next = self.host_write.val();
        // The image loader's memory write, in a clock without a host access (a load never overlaps
        // a model run: RUN_MODEL is refused while it is busy).
        self.q_ld.next = self.ld.wr.val() & (!self.host_write.val()) & (!self.host_read.val()) & self.has_model.val();
        if self.q_ld.val() {
            self.q_write.next = true;
            self.q_addr.next = self.ld.wr_addr.val();
            self.q_wdata.next = self.ld.wr_data.val();
        }
        if self.q_seq.val() {
            self.q_write.next = true;
            if self.mgo.q.val() {
                self.q_addr.next = self.a_ctrl.val();
                self.q_wdata.next = self.ctrl_start.val();
            } else {
                self.q_addr.next = self.a_rows.val() + bit_cast::<16, 5>(self.mj.q.val());
                self.q_wdata.next = self.ltab.read_data.val();
            }
        }
        // The host request is registered on entry: every decode starts from flip-flops (one more
        // clock of read latency, see regmap::READ_LATENCY; writes take effect one clock later).
        self.h_addr.d.next = self.q_addr.val();
        self.h_wdata.d.next = self.q_wdata.val();
        self.h_read.d.next = self.host_read.val();
        self.h_ld.d.next = self.q_ld.val() & (!self.q_seq.val());
        // CTRL strobes decoded on entry too (they clear and start wide registers).
        self.w_reset.d.next = self.q_write.val()
            & (self.q_addr.val() == self.a_ctrl.val())
            & ((self.q_wdata.val() & self.ctrl_reset.val()).any());
        // During a model run only its own START is taken (the host's START and RUN_MODEL are not).
        self.w_start.d.next = self.q_write.val()
            & (self.q_addr.val() == self.a_ctrl.val())
            & (!((self.q_wdata.val() & self.ctrl_reset.val()).any()))
            & ((self.q_wdata.val() & self.ctrl_start.val()).any())
            & ((!self.mrun.q.val()) | self.q_seq.val());
        self.w_model.d.next = self.q_write.val()
            & (self.q_addr.val() == self.a_ctrl.val())
            & (!((self.q_wdata.val() & self.ctrl_reset.val()).any()))
            & (!((self.q_wdata.val() & self.ctrl_start.val()).any()))
            & ((self.q_wdata.val() & self.ctrl_model.val()).any())
            & (!self.mrun.q.val())
            & self.has_model.val();
        self.w_load.d.next = self.q_write.val()
            & (self.q_addr.val() == self.a_ctrl.val())
            & (!((self.q_wdata.val() & self.ctrl_reset.val()).any()))
            & (!((self.q_wdata.val() & self.ctrl_start.val()).any()))
            & (!((self.q_wdata.val() & self.ctrl_model.val()).any()))
            & ((self.q_wdata.val() & self.ctrl_load.val()).any())
            & (!self.mrun.q.val())
            & self.has_model.val();
        // The write data's range flags decoded on entry (bit tests, no
        // 32-bit compare chains: `x > 2^n` is `x >= 2^n && x != 2^n`).
        self.hd_gt7.d.next = (self.q_wdata.val() & 0xFFFF_FFF8_u64) != 0;
        self.hd_gt31.d.next = (self.q_wdata.val() & 0xFFFF_FFE0_u64) != 0;
        self.hd_gt_dim.d.next =
            ((self.q_wdata.val() & self.dim_hi32.val()) != 0) & (self.q_wdata.val() != self.dim_n32.val());
        self.hd_gt4096.d.next = ((self.q_wdata.val() & 0xFFFF_F000_u64) != 0) & (self.q_wdata.val() != 4096);
        self.hd_gt_sw.d.next = ((self.q_wdata.val() & 0xFFFF_C000_u64) != 0) & (self.q_wdata.val() != 16384);
        self.hd_nz.d.next = (self.q_wdata.val() & 0xFFFF_u64) != 0;
        self.hd_gt_vmap.d.next =
            ((self.q_wdata.val() & self.vmap_hi32.val()) != 0) & (self.q_wdata.val() != self.vmap_entries.val());
        // NUM_LAYERS 0 or above MAX_LAYERS (8, checked below `window_mask`).
        self.hd_nl_bad.d.next =
            (self.q_wdata.val() == 0) | (((self.q_wdata.val() & 0xFFFF_FFF8_u64) != 0) & (self.q_wdata.val() != 8));
        // A write is accepted if the accelerator is idle when it arrives: not busy, no START being
        // resolved or arriving (a SOFT_RESET arriving makes it idle). Decided here, on entry, so the
        // write enables are one register deep.
        // During a model run only its own writes are accepted.
        self.wr_e.d.next = self.q_write.val()
            & (self.w_reset.q.val()
                | ((!self.busy.q.val())
                    & (!self.start_req.q.val())
                    & (!self.start_req2.q.val())
                    & (!self.err_fin.q.val())
                    & (!self.w_start.q.val())
                    & (!self.w_model.q.val())
                    & ((!self.mrun.q.val()) | self.q_seq.val())));
        // The register file's index bits (REG_FILE_WORDS = 64, checked below `window_mask`).
        self.rsel.d.next = self.one64.val() << self.q_addr.val().get_bits::<6>(0);
        self.h_low.d.next = (self.q_addr.val() & self.reg_hi.val()) == 0;
        // Windows decoded on entry: each flag is the window test and the in-range test of the offset.
        self.h_stream.d.next = (self.q_addr.val() & self.w_stream_mask.val()) == self.w_stream.val();
        self.h_vmap.d.next = (self.q_addr.val() & self.w_vmap_mask.val()) == self.w_vmap.val();
        self.h_bias.d.next = (self.q_addr.val() & self.w_bias_mask.val()) == self.w_bias.val();
        self.h_act.d.next = (self.q_addr.val() & self.w_act_mask.val()) == self.w_act.val();
        self.h_out.d.next = (self.q_addr.val() & self.w_act_mask.val()) == self.w_out.val();
        self.h_table.d.next =
            ((self.q_addr.val() & self.w_table_mask.val()) == self.w_table.val()) & self.has_model.val();
        self.array.clock.next = self.clock.val();
        self.array.k.next = self.kq.q.val();
        self.array.zero_skip.next = self.zskip.q.val();
        self.array.relu.next = self.relu.q.val();
        self.array.shift.next = self.shift.q.val();
        self.array.cols.next = self.cols.q.val();
        self.array.rows.next = self.rows.q.val();
        self.array.vmap_len.next = self.vmap_len.q.val();
        self.array.stream_base.next = self.stream_base.q.val();
        self.array.vmap_base.next = self.vmap_base.q.val();
        self.array.bias_base.next = bit_cast::<IDX_BITS, DIM_BITS>(self.bias_base.q.val());
        self.array.start.next = self.arr_start.q.val();
        self.array.abort.next = self.arr_abort.q.val();
        self.arr_start.d.next = false;
        self.arr_start_d.d.next = self.arr_start.q.val();
        self.arr_abort.d.next = false;

        // ---- host writes ----
        self.offs.next = self.h_addr.q.val().get_bits::<14>(0);
        self.wr_ok.next = self.wr_e.q.val();
        // Register writes: in the register file (`h_low`), the register by the one-hot select the
        // reads use.
        self.hw_rows.next = self.h_low.q.val() & ((self.rsel.q.val() & self.s_rows.val()).any());
        self.hw_cols.next = self.h_low.q.val() & ((self.rsel.q.val() & self.s_cols.val()).any());
        self.hw_k.next = self.h_low.q.val() & ((self.rsel.q.val() & self.s_k.val()).any());
        self.hw_shift.next = self.h_low.q.val() & ((self.rsel.q.val() & self.s_shift.val()).any());
        self.hw_flags.next = self.h_low.q.val() & ((self.rsel.q.val() & self.s_flags.val()).any());
        self.hw_vlen.next = self.h_low.q.val() & ((self.rsel.q.val() & self.s_vlen.val()).any());
        self.hw_sbase.next = self.h_low.q.val() & ((self.rsel.q.val() & self.s_sbase.val()).any());
        self.hw_vbase.next = self.h_low.q.val() & ((self.rsel.q.val() & self.s_vbase.val()).any());
        self.hw_bbase.next = self.h_low.q.val() & ((self.rsel.q.val() & self.s_bbase.val()).any());
        self.hw_len.next = self.h_low.q.val() & ((self.h_addr.q.val() & self.len_mask.val()) == self.a_len0.val());
        // The stream window's lane field: the address bits from log2 of the stream words per lane,
        // below the region bit 15 (each lane's window is as long as its memory; the window test
        // `h_stream` leaves only lanes below P).
        self.lane_bit.next =
            self.one8.val() << bit_cast::<3, 15>(self.h_addr.q.val().get_bits::<15>(0) >> self.lane_shift.val());
        self.array.host_waddr.next = self.offs.val();
        self.array.host_wdata.next = self.h_wdata.q.val();
        self.array.stream_we.next = 0.into();
        if self.wr_ok.val() & self.h_stream.q.val() {
            self.array.stream_we.next = self.lane_bit.val();
        }
        self.array.len_we.next = 0.into();
        if self.wr_ok.val() & self.hw_len.val() {
            // STREAM_LEN[l], l in the address bits below MAX_LANES
            self.array.len_we.next = self.one8.val() << self.h_addr.q.val().get_bits::<3>(0);
        }
        self.array.vmap_we.next = self.wr_ok.val() & self.h_vmap.q.val();
        self.nzmap.write_clock.next = self.clock.val();
        self.nzmap.read_clock.next = self.clock.val();
        self.nzmap.write_enable.next = self.wr_ok.val() & self.h_vmap.q.val();
        self.nzmap.write_address.next = bit_cast::<VAW, ADDR_BITS>(self.offs.val());
        self.nzmap.write_data.next = self.hd_nz.q.val();
        self.nzmap.read_address.next = bit_cast::<VAW, LEN_BITS>(self.vmap_base.q.val());
        self.array.bias_we.next = self.wr_ok.val() & self.h_bias.q.val();
        self.array.act_we.next = self.wr_ok.val() & self.h_act.q.val();
        if self.wr_ok.val() & self.hw_rows.val() {
            self.rows.d.next = bit_cast::<DIM_BITS, 32>(self.h_wdata.q.val());
            self.rows_big.d.next = self.hd_gt_dim.q.val();
        }
        if self.wr_ok.val() & self.hw_cols.val() {
            self.cols.d.next = bit_cast::<DIM_BITS, 32>(self.h_wdata.q.val());
            self.cols_big.d.next = self.hd_gt_dim.q.val();
        }
        if self.wr_ok.val() & self.hw_k.val() {
            self.kq.d.next = bit_cast::<3, 32>(self.h_wdata.q.val());
            self.k_big.d.next = self.hd_gt7.q.val();
        }
        if self.wr_ok.val() & self.hw_shift.val() {
            self.shift.d.next = bit_cast::<5, 32>(self.h_wdata.q.val());
            self.shift_big.d.next = self.hd_gt31.q.val();
        }
        if self.wr_ok.val() & self.hw_flags.val() {
            self.relu.d.next = (self.h_wdata.q.val() & self.f_relu.val()).any();
            self.zskip.d.next = (self.h_wdata.q.val() & self.f_zskip.val()).any();
        }
        if self.wr_ok.val() & self.hw_vlen.val() {
            self.vmap_len.d.next = bit_cast::<LEN_BITS, 32>(self.h_wdata.q.val());
            self.vmap_big.d.next = self.hd_gt_vmap.q.val();
        }
        // Bases: a value past every memory (> 4096 words, > 256 rows) is flagged here; the sums
        // with the lengths are checked at START (`vend_bad`, `bend_bad`, the lanes' flags).
        if self.wr_ok.val() & self.hw_sbase.val() {
            self.stream_base.d.next = bit_cast::<WORD_BITS, 32>(self.h_wdata.q.val());
            self.sbase_big.d.next = self.hd_gt_sw.q.val();
        }
        if self.wr_ok.val() & self.hw_vbase.val() {
            self.vmap_base.d.next = bit_cast::<LEN_BITS, 32>(self.h_wdata.q.val());
            self.vbase_big.d.next = self.hd_gt4096.q.val();
        }
        if self.wr_ok.val() & self.hw_bbase.val() {
            self.bias_base.d.next = bit_cast::<DIM_BITS, 32>(self.h_wdata.q.val());
            self.bbase_big.d.next = self.hd_gt_dim.q.val();
        }
        self.hw_nl.next = self.h_low.q.val() & ((self.rsel.q.val() & self.s_nl.val()).any()) & self.has_model.val();
        if self.wr_ok.val() & self.hw_nl.val() {
            self.nlayers.d.next = bit_cast::<4, 32>(self.h_wdata.q.val());
            self.nl_bad.d.next = self.hd_nl_bad.q.val();
        }
        // The layer table: host writes, and a finished layer's CYCLES written back by a model run
        // (the clock after the layer's DONE, when CYCLES has stopped; host writes are ignored then).
        self.ltab.write_clock.next = self.clock.val();
        self.ltab.read_clock.next = self.clock.val();
        self.ltab.write_enable.next = self.wr_ok.val() & self.h_table.q.val();
        self.ltab.write_address.next = bit_cast::<8, ADDR_BITS>(self.offs.val());
        self.ltab.write_data.next = self.h_wdata.q.val();
        if self.mwb.q.val() {
            self.ltab.write_enable.next = true;
            self.ltab.write_address.next = self.mwb_addr.q.val();
            self.ltab.write_data.next = self.cycles.q.val();
        }
        // Its read port: the model run's word (layer, j) while it loads, else the host's read.
        self.tword.next = (bit_cast::<8, 4>(self.mlayer.q.val()) << 5) | bit_cast::<8, 5>(self.mj.q.val());
        self.ltab.read_address.next = bit_cast::<8, ADDR_BITS>(self.offs.val());
        if self.mload.q.val() {
            self.ltab.read_address.next = self.tword.val();
        }

        // ---- the image loader ----
        self.ld.clock.next = self.clock.val();
        self.ld.load_start.next = (self.w_load.q.val()
            & (!self.busy.q.val())
            & (!self.start_req.q.val())
            & (!self.start_req2.q.val())
            & (!self.err_fin.q.val()))
            | (self.boot_start.val() & self.has_model.val());
        self.ld.word_valid.next = (self.wr_ok.val()
            & self.h_low.q.val()
            & ((self.rsel.q.val() & self.s_load_data.val()).any())
            & self.has_model.val())
            | (self.boot_valid.val() & self.has_model.val());
        self.ld.word.next = self.h_wdata.q.val();
        if self.boot_valid.val() {
            self.ld.word.next = self.boot_word.val();
        }
        self.ld.taken.next = self.q_ld.val() & (!self.q_seq.val());
        self.ld.invalidate.next = self.wr_ok.val()
            & (!self.h_ld.q.val())
            & (self.h_stream.q.val()
                | self.h_vmap.q.val()
                | self.h_bias.q.val()
                | self.h_table.q.val()
                | self.hw_nl.val())
            & self.has_model.val();
        self.ld_block.next = self.ld.blocked.val() & self.has_model.val();

        // ---- run control ----
        // The configuration check, stage 1: flags from the configuration registers (the sums'
        // range tests as bit tests: `x > 2^n` is `x >= 2^n && x != 2^n`).
        self.vmap_end.next =
            bit_cast::<14, LEN_BITS>(self.vmap_len.q.val()) + bit_cast::<14, LEN_BITS>(self.vmap_base.q.val());
        self.bias_end.next =
            bit_cast::<13, DIM_BITS>(self.rows.q.val()) + bit_cast::<13, DIM_BITS>(self.bias_base.q.val());
        self.vend_bad.d.next =
            ((self.vmap_end.val() & self.vmap_hi14.val()) != 0) & (self.vmap_end.val() != self.vmap_entries14.val());
        self.bend_bad.d.next =
            ((self.bias_end.val() & self.dim_hi13.val()) != 0) & (self.bias_end.val() != self.dim_n13.val());
        self.cfg_bad.d.next = self.rows_big.q.val()
            | self.sbase_big.q.val()
            | self.vbase_big.q.val()
            | self.bbase_big.q.val()
            | self.cols_big.q.val()
            | self.k_big.q.val()
            | self.shift_big.q.val()
            | self.vmap_big.q.val()
            | (self.rows.q.val() == 0)
            | (self.cols.q.val() == 0)
            | (self.vmap_len.q.val() == 0)
            | (self.zskip.q.val() & (self.kq.q.val() != 0));
        // Stage 2 (the lanes' length flags are registered in the lanes).
        // The value-map entry at VMAP_BASE: a VMAP or VMAP_BASE write is in `nzmap`'s read data
        // two clocks after it is accepted, the clock START is checked at the earliest.
        self.bad_q.d.next = self.cfg_bad.q.val()
            | self.vend_bad.q.val()
            | self.bend_bad.q.val()
            | self.array.len_bad.val()
            | (self.zskip.q.val() & self.nzmap.read_data.val());
        // Performance events: registered in the lanes and again here; added two clocks after the
        // `busy` clock they belong to.
        self.ev_nz.d.next = self.array.perf_nz.val();
        self.ev_zm.d.next = self.array.perf_zm.val();
        self.ev_skip.d.next = self.array.perf_skip.val();
        self.ev_stall.d.next = self.array.perf_stall.val();
        self.busy_d1.d.next = self.busy.q.val() & (!self.w_reset.q.val());
        self.busy_d2.d.next = self.busy_d1.q.val() & (!self.w_reset.q.val());
        if self.busy_d2.q.val() {
            self.perf_nz.d.next = self.perf_nz.q.val() + bit_cast::<32, 4>(self.ev_nz.q.val());
            self.perf_zm.d.next = self.perf_zm.q.val() + bit_cast::<32, 4>(self.ev_zm.q.val());
            self.perf_skip.d.next = self.perf_skip.q.val() + bit_cast::<32, 8>(self.ev_skip.q.val());
            self.perf_stall.d.next = self.perf_stall.q.val() + bit_cast::<32, 4>(self.ev_stall.q.val());
        }
        self.err_fin.d.next = false;
        self.mwb.d.next = false;
        self.m_more.d.next = (bit_cast::<5, 4>(self.mlayer.q.val()) + 1) < bit_cast::<5, 4>(self.nlayers.q.val());
        if self.busy.q.val() {
            self.cycles.d.next = self.cycles.q.val() + 1;
            if self.array.error.val() {
                // DONE and ERROR a clock later, when this clock's events are in the counters.
                self.busy.d.next = false;
                self.err_fin.d.next = true;
                self.err_code.d.next = self.array.err_code.val();
                self.err_lane.d.next = self.array.err_lane.val();
                self.err_row.d.next = self.array.err_row.val();
                self.err_col.d.next = self.array.err_col.val();
                self.arr_abort.d.next = true;
            } else if (!self.arr_start.q.val()) & (!self.arr_start_d.q.val()) & (!self.array.busy.val()) {
                self.busy.d.next = false;
                if self.mrun.q.val() & self.has_model.val() {
                    // A model run: this layer's CYCLES to its table word next clock, then the next
                    // entry (its inputs are in the other half of the activation memories), or DONE.
                    self.mwb.d.next = true;
                    self.mwb_addr.d.next = self.tword.val() | 0x1F_u64;
                    if self.m_more.q.val() {
                        self.mlayer.d.next = self.mlayer.q.val() + 1;
                        self.hsel.d.next = !self.hsel.q.val();
                        self.mload.d.next = true;
                        self.mph.d.next = false;
                        self.mj.d.next = 0.into();
                    } else {
                        self.done.d.next = true;
                        self.mrun.d.next = false;
                    }
                } else {
                    self.done.d.next = true;
                }
            }
        }
        if self.err_fin.q.val() {
            self.done.d.next = true;
            self.err.d.next = true;
            self.mrun.d.next = false;
        }
        // START is resolved two clocks after its write, against the registered configuration check
        // (its adders and the lanes' length flags are then off the host bus path).
        self.start_req.d.next = false;
        self.start_req2.d.next = self.start_req.q.val();
        if self.start_req2.q.val() {
            if self.bad_q.q.val() | self.ld_block.val() {
                self.done.d.next = true;
                self.err.d.next = true;
                self.err_code.d.next = self.e_bad_config.val();
                if self.ld_block.val() {
                    self.err_code.d.next = self.e_bad_image.val();
                }
                self.mrun.d.next = false;
            } else {
                self.busy.d.next = true;
                self.arr_start.d.next = true;
            }
        }
        if self.w_reset.q.val() | self.w_start.q.val() {
            if self.w_reset.q.val() {
                self.start_req.d.next = false;
                self.start_req2.d.next = false;
                self.err_fin.d.next = false;
                self.busy.d.next = false;
                self.done.d.next = false;
                self.err.d.next = false;
                self.err_code.d.next = 0.into();
                self.err_lane.d.next = 0.into();
                self.err_row.d.next = 0.into();
                self.err_col.d.next = 0.into();
                self.cycles.d.next = 0.into();
                self.perf_nz.d.next = 0.into();
                self.perf_zm.d.next = 0.into();
                self.perf_skip.d.next = 0.into();
                self.perf_stall.d.next = 0.into();
                self.arr_abort.d.next = true;
            } else if (!self.busy.q.val())
                & (!self.start_req.q.val())
                & (!self.start_req2.q.val())
                & (!self.err_fin.q.val())
            {
                self.start_req.d.next = true;
                self.done.d.next = false;
                self.err.d.next = false;
                self.err_code.d.next = 0.into();
                self.err_lane.d.next = 0.into();
                self.err_row.d.next = 0.into();
                self.err_col.d.next = 0.into();
                self.cycles.d.next = 0.into();
                // A model run's counters add up over its layers (cleared at RUN_MODEL).
                if !self.mrun.q.val() {
                    self.perf_nz.d.next = 0.into();
                    self.perf_zm.d.next = 0.into();
                    self.perf_skip.d.next = 0.into();
                    self.perf_stall.d.next = 0.into();
                }
            }
        }

        // ---- model run (CTRL.RUN_MODEL): replay each layer-table entry's words, START it ----
        if self.mrun.q.val() {
            self.mcycles.d.next = self.mcycles.q.val() + 1;
        }
        if self.mload.q.val() {
            if !self.mph.q.val() {
                // Word (mlayer, mj) is read this clock: its data is there next clock.
                self.mph.d.next = true;
            } else if self.q_seq.val() {
                // Written to its register now (see the request above).
                self.mph.d.next = false;
                self.mj.d.next = self.mj.q.val() + 1;
                if self.mj.q.val() == self.replay_last.val() {
                    self.mload.d.next = false;
                    self.mgo.d.next = true;
                }
            }
        }
        if self.mgo.q.val() & self.q_seq.val() {
            self.mgo.d.next = false;
        }
        if self.w_model.q.val()
            & (!self.busy.q.val())
            & (!self.start_req.q.val())
            & (!self.start_req2.q.val())
            & (!self.err_fin.q.val())
        {
            self.done.d.next = false;
            self.err.d.next = false;
            self.err_code.d.next = 0.into();
            self.err_lane.d.next = 0.into();
            self.err_row.d.next = 0.into();
            self.err_col.d.next = 0.into();
            self.cycles.d.next = 0.into();
            self.mcycles.d.next = 0.into();
            self.mlayer.d.next = 0.into();
            self.perf_nz.d.next = 0.into();
            self.perf_zm.d.next = 0.into();
            self.perf_skip.d.next = 0.into();
            self.perf_stall.d.next = 0.into();
            if self.nl_bad.q.val() | self.ld_block.val() {
                self.done.d.next = true;
                self.err.d.next = true;
                self.err_code.d.next = self.e_bad_config.val();
                if self.ld_block.val() {
                    self.err_code.d.next = self.e_bad_image.val();
                }
            } else {
                self.mrun.d.next = true;
                self.mload.d.next = true;
                self.mph.d.next = false;
                self.mj.d.next = 0.into();
                self.hsel.d.next = false;
            }
        }
        if self.w_reset.q.val() {
            self.mrun.d.next = false;
            self.mload.d.next = false;
            self.mgo.d.next = false;
            self.mph.d.next = false;
            self.hsel.d.next = false;
        }
        self.array.hsel.next = self.hsel.q.val() & self.has_model.val();
        self.array.model.next = self.has_model.val();

        // ---- host reads (request registered, clock 1): registers mux (clock 2), ACT_OUT RAM or register (clock 3) ----
        self.stat_busy.next = self.busy.q.val()
            | self.start_req.q.val()
            | self.start_req2.q.val()
            | self.err_fin.q.val()
            | ((self.mrun.q.val() | self.w_model.q.val()) & self.has_model.val());
        // One-hot select decoded on entry, each source gated, then or'ed: the mux is an AND-OR
        // tree from flip-flops (a binary-index case statement decoded the address first).
        self.rg0.next = 0.into();
        if (self.rsel.q.val() & self.s_id.val()).any() {
            self.rg0.next = self.id_value.val();
        }
        self.rg2.next = 0.into();
        if (self.rsel.q.val() & self.s_status.val()).any() {
            self.rg2.next = bit_cast::<32, 1>(self.stat_busy.val().into())
                | (bit_cast::<32, 1>(self.done.q.val().into()) << 1)
                | (bit_cast::<32, 1>(self.err.q.val().into()) << 2);
        }
        self.rg3.next = 0.into();
        if (self.rsel.q.val() & self.s_error.val()).any() {
            self.rg3.next = bit_cast::<32, 4>(self.err_code.q.val()) | (bit_cast::<32, 4>(self.err_lane.q.val()) << 8);
        }
        self.rg4.next = 0.into();
        if (self.rsel.q.val() & self.s_error_pos.val()).any() {
            self.rg4.next =
                (bit_cast::<32, 16>(self.err_row.q.val()) << 16) | bit_cast::<32, IDX_BITS>(self.err_col.q.val());
        }
        self.rg5.next = 0.into();
        if (self.rsel.q.val() & self.s_cycles.val()).any() {
            self.rg5.next = self.cycles.q.val();
        }
        self.rg6.next = 0.into();
        if (self.rsel.q.val() & self.s_perf_nz.val()).any() {
            self.rg6.next = self.perf_nz.q.val();
        }
        self.rg7.next = 0.into();
        if (self.rsel.q.val() & self.s_perf_skip.val()).any() {
            self.rg7.next = self.perf_skip.q.val();
        }
        self.rg8.next = 0.into();
        if (self.rsel.q.val() & self.s_perf_zm.val()).any() {
            self.rg8.next = self.perf_zm.q.val();
        }
        self.rg9.next = 0.into();
        if (self.rsel.q.val() & self.s_perf_stall.val()).any() {
            self.rg9.next = self.perf_stall.q.val();
        }
        self.rg10.next = 0.into();
        if (self.rsel.q.val() & self.s_caps.val()).any() {
            self.rg10.next = self.caps_value.val();
        }
        self.rg11.next = 0.into();
        if (self.rsel.q.val() & self.s_model_id.val()).any() {
            self.rg11.next = self.model_id.val();
            if self.has_model.val() {
                self.rg11.next = self.ld.model_id.val();
            }
        }
        self.rg37.next = 0.into();
        if ((self.rsel.q.val() & self.s_load_status.val()).any()) & self.has_model.val() {
            self.rg37.next = self.ld.status.val();
        }
        self.rg12.next = 0.into();
        if (self.rsel.q.val() & self.s_layer.val()).any() {
            self.rg12.next = bit_cast::<32, 4>(self.mlayer.q.val());
        }
        self.rg13.next = 0.into();
        if (self.rsel.q.val() & self.s_argmax.val()).any() {
            self.rg13.next = bit_cast::<32, IDX_BITS>(self.array.argmax.val());
        }
        self.rg14.next = 0.into();
        if (self.rsel.q.val() & self.s_mcycles.val()).any() {
            self.rg14.next = self.mcycles.q.val();
        }
        self.rg35.next = 0.into();
        if (self.rsel.q.val() & self.s_nl.val()).any() {
            self.rg35.next = bit_cast::<32, 4>(self.nlayers.q.val());
        }
        self.rg16.next = 0.into();
        if (self.rsel.q.val() & self.s_rows.val()).any() {
            self.rg16.next = bit_cast::<32, DIM_BITS>(self.rows.q.val());
        }
        self.rg17.next = 0.into();
        if (self.rsel.q.val() & self.s_cols.val()).any() {
            self.rg17.next = bit_cast::<32, DIM_BITS>(self.cols.q.val());
        }
        self.rg18.next = 0.into();
        if (self.rsel.q.val() & self.s_k.val()).any() {
            self.rg18.next = bit_cast::<32, 3>(self.kq.q.val());
        }
        self.rg19.next = 0.into();
        if (self.rsel.q.val() & self.s_shift.val()).any() {
            self.rg19.next = bit_cast::<32, 5>(self.shift.q.val());
        }
        self.rg20.next = 0.into();
        if (self.rsel.q.val() & self.s_flags.val()).any() {
            self.rg20.next =
                bit_cast::<32, 1>(self.relu.q.val().into()) | (bit_cast::<32, 1>(self.zskip.q.val().into()) << 1);
        }
        self.rg21.next = 0.into();
        if (self.rsel.q.val() & self.s_vlen.val()).any() {
            self.rg21.next = bit_cast::<32, LEN_BITS>(self.vmap_len.q.val());
        }
        self.rg32.next = 0.into();
        if (self.rsel.q.val() & self.s_sbase.val()).any() {
            self.rg32.next = bit_cast::<32, WORD_BITS>(self.stream_base.q.val());
        }
        self.rg33.next = 0.into();
        if (self.rsel.q.val() & self.s_vbase.val()).any() {
            self.rg33.next = bit_cast::<32, LEN_BITS>(self.vmap_base.q.val());
        }
        self.rg34.next = 0.into();
        if (self.rsel.q.val() & self.s_bbase.val()).any() {
            self.rg34.next = bit_cast::<32, DIM_BITS>(self.bias_base.q.val());
        }
        self.rmux.next = self.rg0.val()
            | self.rg2.val()
            | self.rg3.val()
            | self.rg4.val()
            | self.rg5.val()
            | self.rg6.val()
            | self.rg7.val()
            | self.rg8.val()
            | self.rg9.val()
            | self.rg10.val()
            | self.rg11.val()
            | self.rg12.val()
            | self.rg13.val()
            | self.rg14.val()
            | self.rg16.val()
            | self.rg17.val()
            | self.rg18.val()
            | self.rg19.val()
            | self.rg20.val()
            | self.rg21.val()
            | self.rg32.val()
            | self.rg33.val()
            | self.rg34.val()
            | self.rg35.val()
            | self.rg37.val();
        self.array.out_raddr.next = bit_cast::<IDX_BITS, ADDR_BITS>(self.offs.val());
        self.rd1_valid.d.next = self.h_read.q.val();
        // (A synchronous reset of the register when outside the register file: no LUT level.)
        self.rd1_val.d.next = 0.into();
        if self.h_low.q.val() {
            self.rd1_val.d.next = self.rmux.val();
        }
        self.rd1_out.d.next = self.h_out.q.val();
        self.rd1_tab.d.next = self.h_table.q.val();
        self.sext.next = bit_cast::<32, 8>(self.array.out_rdata.val());
        if self.array.out_rdata.val().get_bit(7) {
            self.sext.next = bit_cast::<32, 8>(self.array.out_rdata.val()) | 0xFFFF_FF00_u64;
        }
        self.rvalid.d.next = self.rd1_valid.q.val();
        self.rdata.d.next = self.rd1_val.q.val();
        if self.rd1_out.q.val() {
            self.rdata.d.next = self.sext.val();
        }
        if self.rd1_tab.q.val() {
            self.rdata.d.next = self.ltab.read_data.val();
        }
        self.host_rvalid.next = self.rvalid.q.val();
        self.host_rdata.next = self.rdata.q.val();
        // DONE as the host sees it: a START, RUN_MODEL or SOFT_RESET write drops it at once (the registers
        // clear it a clock later, from the registered request).
        self.irq.next = self.done.q.val() & (!self.w_start.q.val()) & (!self.w_reset.q.val()) & (!self.w_model.q.val());
    }
}

#[cfg(test)]
mod tests {
    use crate::host_sim::HostSim;
    use crate::regmap::{self, ErrorCode, ErrorInfo};
    use golden::infer::{QLayer, QModel};
    use golden::testing::{random_input, sparse_layer};
    use golden::valuemap::ValueMap;
    use host::{CompileOptions, Counters, Driver, HostBus, HostError, Program};
    use rand::{Rng as _, SeedableRng};
    use rand_chacha::ChaCha8Rng;

    /// One run through the host's driver (START, DONE, the counters or the error; the driver
    /// soft-resets after an error).
    fn run<const P: usize>(hw: &mut HostSim<P, 9, 8>) -> Result<Counters, ErrorInfo> {
        match Driver::new(hw).unwrap().run().unwrap() {
            (c, None) => Ok(c),
            (_, Some(e)) => Err(e),
        }
    }

    /// `layer` compiled by the host's layer compiler for P lanes with EG(`k`).
    fn program<const P: usize>(hw: &mut HostSim<P, 9, 8>, layer: &QLayer, k: u32) -> Program {
        let model = QModel::from_layers(vec![layer.clone()]);
        let opts = CompileOptions::fixed(k, true);
        Driver::new(hw).unwrap().compile(&model, opts).unwrap()
    }

    fn check_layer<const P: usize>(seed: u64, rows: usize, cols: usize, zero_pct: u64, k: u32) -> Counters {
        let (layer, mut rng) = sparse_layer(seed, rows, cols, zero_pct);
        let map = ValueMap::from_quantized(&layer.weights);
        let x = random_input(cols, &mut rng);
        let zero_skip = regmap::zero_skip_valid(k, map.values()[0]);
        let mut hw = HostSim::<P, 9, 8>::new().unwrap();
        let program = program(&mut hw, &layer, k);
        assert_eq!(program.layers[0].zero_skip, zero_skip);
        let got = Driver::new(&mut hw).unwrap().infer(&program, &x).expect("no error");
        assert_eq!(got.outputs[0], layer.forward(&x), "P = {P}, seed {seed}");
        let stats = got.counters[0];
        // Every weight is accounted for exactly once.
        assert_eq!(stats.nonzero as usize, layer.nonzeros());
        assert_eq!(
            (stats.nonzero + stats.zero_mac + stats.zero_skipped) as usize,
            rows * cols
        );
        if !zero_skip {
            assert_eq!(stats.zero_skipped, 0);
        }
        assert!(stats.cycles > 0);
        stats
    }

    #[test]
    fn layers_match_golden_p4() {
        check_layer::<4>(1, 10, 24, 80, 0);
        check_layer::<4>(2, 7, 13, 30, 2);
    }

    #[test]
    fn short_rows_stall_lanes_on_the_shared_output_stage() {
        // 2 columns, dense: every lane ends a row every 2 clocks, 4 lanes share one output port.
        let stats = check_layer::<4>(7, 16, 2, 0, 1);
        assert!(stats.stall > 0, "{stats:?}");
    }

    #[test]
    fn layers_match_golden_p1_and_p2() {
        check_layer::<1>(3, 5, 11, 60, 0);
        check_layer::<2>(4, 6, 1, 50, 0);
        check_layer::<2>(5, 3, 40, 95, 0);
    }

    #[test]
    fn registers_and_soft_reset() {
        let mut hw = HostSim::<4, 9, 8>::new().unwrap();
        assert_eq!(hw.read(regmap::REG_ID), (regmap::ID_MAGIC << 8) | 4);
        assert_eq!(
            regmap::MemSizes::from_caps(hw.read(regmap::REG_CAPS)),
            regmap::MemSizes::BOARD
        );
        hw.write(regmap::REG_ROWS, 77);
        hw.write(regmap::REG_SHIFT, 9);
        assert_eq!(hw.read(regmap::REG_ROWS), 77);
        assert_eq!(hw.read(regmap::REG_SHIFT), 9);
        // START with cols = 0 is a configuration error, reported at once.
        hw.write(regmap::REG_CTRL, regmap::CTRL_START);
        HostBus::wait_done(&mut hw, 10).unwrap();
        assert_eq!(hw.read(regmap::REG_STATUS), regmap::STATUS_DONE | regmap::STATUS_ERROR);
        assert_eq!(hw.read(regmap::REG_ERROR), ErrorCode::BadConfig as u32);
        assert!(hw.irq());
        hw.write(regmap::REG_CTRL, regmap::CTRL_SOFT_RESET);
        assert_eq!(hw.read(regmap::REG_STATUS), 0);
        assert!(!hw.irq());
        // Out-of-range values are flagged even though they read back truncated.
        hw.write(regmap::REG_COLS, 300);
        hw.write(regmap::REG_VMAP_LEN, 1);
        hw.write(regmap::stream_len_reg(0), 1);
        assert_eq!(run(&mut hw).unwrap_err().code, Some(ErrorCode::BadConfig));
        hw.write(regmap::REG_COLS, 3);
        hw.write(regmap::stream_len_reg(0), 513);
        assert_eq!(run(&mut hw).unwrap_err().code, Some(ErrorCode::BadConfig));
    }

    #[test]
    fn corrupt_stream_reports_lane_row_and_column() {
        let (layer, _) = sparse_layer(6, 8, 12, 50);
        let x = vec![1i8; 12];
        let mut hw = HostSim::<4, 9, 8>::new().unwrap();
        let good = program(&mut hw, &layer, 0);
        // Lane 2's stream: a run of 32 zero bits is a too-long codeword at its start.
        let mut bad = good.clone();
        bad.layers[0].passes[0].streams.words[2][0] = 0;
        let mut d = Driver::new(&mut hw).unwrap();
        let e = match d.infer(&bad, &x) {
            Err(HostError::Hardware { info, .. }) => info,
            other => panic!("{other:?}"),
        };
        assert_eq!((e.code, e.lane, e.row, e.col), (Some(ErrorCode::TooLong), 2, 2, 0));
        // With the repaired stream the same layer runs.
        assert_eq!(d.infer(&good, &x).expect("repaired").outputs[0], layer.forward(&x));
    }

    #[test]
    fn board_builds_have_no_layer_table() {
        // The board builds leave the model run out (`MemSizes::layer_table`): the driver says
        // so, RUN_MODEL does nothing, NUM_LAYERS reads 0; the layers still run one by one. The
        // model run itself is checked on the Verilated LARGE builds (tests/it/cosim_resident.rs).
        use host::Image;
        assert_eq!(regmap::MemSizes::BOARD.layer_table_entries(), 0);
        assert_eq!(regmap::MemSizes::LARGE.layer_table_entries(), regmap::MAX_LAYERS);
        let m = golden::testing::half_sparse_model(11, &[12, 10, 7, 5], 6);
        let img = Image::build(&m, 2, regmap::MemSizes::BOARD).unwrap();
        let mut hw = HostSim::<2, 9, 8>::new().unwrap();
        for (a, d) in img.memory_writes() {
            hw.write(a, d);
        }
        let mut d = Driver::new(&mut hw).unwrap();
        let e = d.load_layer_table(&img).unwrap_err();
        assert!(e.to_string().contains("no layer table"), "{e}");
        d.bus().write(regmap::REG_CTRL, regmap::CTRL_RUN_MODEL).unwrap();
        assert_eq!(d.bus().read(regmap::REG_STATUS).unwrap() & regmap::STATUS_BUSY, 0);
        assert_eq!(d.bus().read(regmap::REG_NUM_LAYERS).unwrap(), 0);
        let x = vec![3i8; 12];
        assert_eq!(d.infer_resident(&img, &x).unwrap().outputs, m.forward_all(&x).unwrap());
    }

    #[test]
    fn resident_model_runs_from_bases_baked_or_written() {
        use crate::bake::Bake;
        use host::Image;
        let m = golden::testing::half_sparse_model(11, &[12, 10, 7, 5], 6);
        let img = Image::build(&m, 2, regmap::MemSizes::BOARD).unwrap();
        // Every layer but the first sits at non-zero bases.
        assert!(img.layers[1..]
            .iter()
            .all(|l| l.stream_base > 0 && l.vmap_base > 0 && l.bias_base > 0));
        let mut rng = ChaCha8Rng::seed_from_u64(12);
        let x: Vec<i8> = (0..12).map(|_| rng.random()).collect();
        let want = m.forward_all(&x).unwrap();
        // Baked: the memories start with the image, MODEL_ID carries its CRC.
        let mut baked = HostSim::<2, 9, 8>::with_init(&img.mem_init()).unwrap();
        assert_eq!(baked.read(regmap::REG_MODEL_ID), img.model_id());
        assert_eq!(
            Driver::new(&mut baked)
                .unwrap()
                .infer_resident(&img, &x)
                .unwrap()
                .outputs,
            want
        );
        // The bases read back.
        let last = img.layers.last().unwrap();
        assert_eq!(baked.read(regmap::REG_STREAM_BASE), last.stream_base);
        assert_eq!(baked.read(regmap::REG_VMAP_BASE), last.vmap_base);
        assert_eq!(baked.read(regmap::REG_BIAS_BASE), last.bias_base);
        // Written over the bus instead: the same outputs, MODEL_ID 0.
        let mut loaded = HostSim::<2, 9, 8>::new().unwrap();
        assert_eq!(loaded.read(regmap::REG_MODEL_ID), 0);
        for (a, d) in img.memory_writes() {
            loaded.write(a, d);
        }
        assert_eq!(
            Driver::new(&mut loaded)
                .unwrap()
                .infer_resident(&img, &x)
                .unwrap()
                .outputs,
            want
        );
    }

    /// ZERO_SKIP needs value-map index 0 (at VMAP_BASE) to be the weight 0: else START is
    /// BAD_CONFIG, checked against the value map as written, at every base, right after the write.
    #[test]
    fn zero_skip_with_a_nonzero_index_0_is_bad_config() {
        let mut hw = HostSim::<2, 9, 8>::new().unwrap();
        hw.write(regmap::REG_ROWS, 1);
        hw.write(regmap::REG_COLS, 1);
        hw.write(regmap::REG_VMAP_LEN, 2);
        hw.write(regmap::stream_len_reg(0), 1);
        // One codeword `1` (index 0) in lane 0; the input is 1, so the output is vmap[0].
        hw.write(regmap::MemSizes::BOARD.stream_addr(0, 0), 0x8000_0000);
        hw.write(regmap::act_in_addr(0), 1);
        hw.write(regmap::REG_FLAGS, regmap::flags(false, true));
        let code = |hw: &mut HostSim<2, 9, 8>| run(hw).err().and_then(|e| e.code);
        // Memories start at 0: index 0 is the weight 0.
        assert_eq!(code(&mut hw), None);
        for (addr, w, bad) in [(0, 5, true), (0, 0x1_0000, false), (0, -1, true), (0, 0, false)] {
            hw.write(regmap::vmap_addr(addr), w as u32);
            assert_eq!(code(&mut hw), bad.then_some(ErrorCode::BadConfig), "vmap[{addr}] = {w}");
        }
        // START in the clock right after the write that breaks it.
        hw.write(regmap::vmap_addr(0), 3);
        hw.write(regmap::REG_CTRL, regmap::CTRL_START);
        assert!((0..10).any(|_| hw.read(regmap::REG_STATUS) & regmap::STATUS_DONE != 0));
        assert_eq!(hw.read(regmap::REG_ERROR) & 0xF, ErrorCode::BadConfig as u32);
        hw.write(regmap::REG_CTRL, regmap::CTRL_SOFT_RESET);
        // Without ZERO_SKIP the same value map runs: 3 * 1.
        hw.write(regmap::REG_FLAGS, regmap::flags(false, false));
        assert_eq!(code(&mut hw), None);
        hw.write(regmap::REG_FLAGS, regmap::flags(false, true));
        // The entry at VMAP_BASE counts: vmap[1] is 0, vmap[2] is 7.
        hw.write(regmap::vmap_addr(1), 0);
        hw.write(regmap::vmap_addr(2), 7);
        for (base, bad) in [(1, false), (2, true), (0, true), (1, false)] {
            hw.write(regmap::REG_VMAP_BASE, base);
            assert_eq!(code(&mut hw), bad.then_some(ErrorCode::BadConfig), "VMAP_BASE = {base}");
        }
        // A baked value map is checked as well.
        let init = crate::MemInit {
            vmap: vec![4, 0],
            ..crate::MemInit::default()
        };
        let mut baked = HostSim::<2, 9, 8>::with_init(&init).unwrap();
        for (a, d) in [
            (regmap::REG_ROWS, 1),
            (regmap::REG_COLS, 1),
            (regmap::REG_VMAP_LEN, 1),
            (regmap::stream_len_reg(0), 1),
            (regmap::REG_FLAGS, regmap::flags(false, true)),
            (regmap::MemSizes::BOARD.stream_addr(0, 0), 0x8000_0000),
            (regmap::act_in_addr(0), 1),
        ] {
            baked.write(a, d);
        }
        assert_eq!(code(&mut baked), Some(ErrorCode::BadConfig));
        baked.write(regmap::REG_VMAP_BASE, 1);
        assert_eq!(code(&mut baked), None);
    }

    #[test]
    fn base_plus_length_beyond_a_memory_is_bad_config() {
        let mut hw = HostSim::<2, 9, 8>::new().unwrap();
        hw.write(regmap::REG_ROWS, 4);
        hw.write(regmap::REG_COLS, 4);
        hw.write(regmap::REG_VMAP_LEN, 4);
        hw.write(regmap::stream_len_reg(0), 100);
        hw.write(regmap::stream_len_reg(1), 100);
        let bad = |hw: &mut HostSim<2, 9, 8>| run(hw).unwrap_err().code;
        // In range at the edge of every memory: the run starts (the streams are garbage, so it
        // may stop on a decode error, but not on BAD_CONFIG).
        let edge = [
            (regmap::REG_STREAM_BASE, 412),
            (regmap::REG_VMAP_BASE, 252),
            (regmap::REG_BIAS_BASE, 252),
        ];
        let over = [
            (regmap::REG_STREAM_BASE, 413),
            (regmap::REG_VMAP_BASE, 253),
            (regmap::REG_BIAS_BASE, 253),
        ];
        for ((a, ok), (_, no)) in edge.into_iter().zip(over) {
            hw.write(a, ok);
            assert_ne!(bad(&mut hw), Some(ErrorCode::BadConfig), "0x{a:04X} = {ok}");
            hw.write(a, no);
            assert_eq!(bad(&mut hw), Some(ErrorCode::BadConfig), "0x{a:04X} = {no}");
            // Values that truncate are still caught.
            hw.write(a, no + (1 << 16));
            assert_eq!(bad(&mut hw), Some(ErrorCode::BadConfig), "0x{a:04X} = {no} + 2^16");
            hw.write(a, 0);
        }
        // The lane check uses the longest lane: lane 1 alone over the end.
        hw.write(regmap::REG_STREAM_BASE, 400);
        hw.write(regmap::stream_len_reg(0), 1);
        hw.write(regmap::stream_len_reg(1), 113);
        assert_eq!(bad(&mut hw), Some(ErrorCode::BadConfig));
    }

    #[test]
    fn an_image_loaded_through_the_loader_runs_and_a_bad_one_does_not() {
        use host::Image;
        let sizes = regmap::MemSizes {
            stream_words_log2: 9,
            vmap_log2: 8,
            dim_log2: 8,
            layer_table: true,
        };
        let model = golden::testing::half_sparse_model(21, &[14, 10, 5], 6);
        let img = Image::build(&model, 2, sizes).unwrap();
        let mut hw = HostSim::<2, 9, 8>::with_layer_table().unwrap();
        let mut d = Driver::new(&mut hw).unwrap();
        assert_eq!(d.model_id().unwrap(), 0);
        let rep = d.load_model(&img).unwrap();
        assert_eq!(rep.words, img.load_words().len());
        d.check_resident(&img).unwrap();
        let mut rng = golden::testing::Rng(3);
        for _ in 0..2 {
            let x = random_input(14, &mut rng);
            let run = d.infer_model(&img, &x).unwrap();
            assert_eq!(run.outputs, *model.forward_all(&x).unwrap().last().unwrap());
        }
        // A host write to a memory: MODEL_ID 0, the image is no longer resident.
        d.write_bias(&[0]).unwrap();
        assert_eq!(d.model_id().unwrap(), 0);
        assert!(d.check_resident(&img).is_err());
        // A corrupt image: refused with its reason, and RUN_MODEL then computes nothing.
        let mut words = img.load_words();
        words[30] ^= 0x100;
        d.bus().write(regmap::REG_CTRL, regmap::CTRL_LOAD).unwrap();
        for w in words {
            d.bus().write(regmap::REG_LOAD_DATA, w).unwrap();
            d.bus().pause(regmap::LOAD_WORD_CLOCKS).unwrap();
        }
        let st = d.bus().read(regmap::REG_LOAD_STATUS).unwrap();
        assert_eq!(
            st & 0xFF,
            regmap::LOAD_FAILED | (regmap::LoadError::Crc as u32) << 4,
            "0x{st:08X}"
        );
        assert_eq!(d.model_id().unwrap(), 0);
        let x = random_input(14, &mut rng);
        match d.infer_model(&img, &x) {
            Err(HostError::Hardware { info, .. }) => assert_eq!(info.code, Some(ErrorCode::BadImage)),
            other => panic!("{other:?}"),
        }
        // Another build's image: refused at the header, before any write.
        let other = Image::build(
            &model,
            2,
            regmap::MemSizes {
                stream_words_log2: 10,
                ..sizes
            },
        )
        .unwrap();
        let mut d = Driver::new(&mut hw).unwrap();
        let before = d.bus().clocks;
        d.bus().write(regmap::REG_CTRL, regmap::CTRL_LOAD).unwrap();
        for w in other.load_words().into_iter().take(6) {
            d.bus().write(regmap::REG_LOAD_DATA, w).unwrap();
            d.bus().pause(regmap::LOAD_WORD_CLOCKS).unwrap();
        }
        assert!(d.bus().clocks > before);
        let st = d.bus().read(regmap::REG_LOAD_STATUS).unwrap();
        assert_eq!(
            st & 0xFF,
            regmap::LOAD_FAILED | (regmap::LoadError::Build as u32) << 4,
            "0x{st:08X}"
        );
        // The good image again: runs.
        d.load_model(&img).unwrap();
        let run = d.infer_model(&img, &x).unwrap();
        assert_eq!(run.outputs, *model.forward_all(&x).unwrap().last().unwrap());
    }
}
