//! The accelerator's host register and memory map: every address and field, defined once.
//!
//! The contract between the hardware and the host: the RTL (`hdl::accelerator`, `hdl::uart_bridge`)
//! takes its addresses, fields and codes from here, and so do the driver ([`crate::Driver`]), the
//! layer compiler ([`crate::compile`]) and the resident image ([`crate::image`]).
//! Addresses are **word** addresses on the 16-bit `host_addr` bus; every access moves 32 bits.
//!
//! Host bus (see docs/hardware.md for the timing):
//! - write: `host_write = 1` for one clock with `host_addr`/`host_wdata` valid;
//! - read: `host_read = 1` for one clock with `host_addr` valid; `host_rvalid = 1` and
//!   `host_rdata` valid exactly [`READ_LATENCY`] clocks later (for one clock).
//!
//! Registers (R = read, W = write, RW = both):
//!
//! | addr | name | access | content |
//! |------|------|--------|---------|
//! | 0x0000 | ID | R | [`ID_MAGIC`] in bits 31..8, lane count P in bits 7..0 |
//! | 0x0001 | CTRL | W | bit 0 [`CTRL_START`], bit 1 [`CTRL_SOFT_RESET`], bit 2 [`CTRL_RUN_MODEL`]; reads 0 |
//! | 0x0002 | STATUS | R | bit 0 [`STATUS_BUSY`], bit 1 [`STATUS_DONE`], bit 2 [`STATUS_ERROR`] |
//! | 0x0003 | ERROR | R | bits 3..0 error code ([`ErrorCode`]), bits 11..8 lane |
//! | 0x0004 | ERROR_POS | R | bits 31..16 row, bits 15..0 column of the offending codeword |
//! | 0x0005 | CYCLES | R | clocks the last (or current) run was busy (docs/hardware.md: DONE follows the START write by CYCLES + `hdl::accelerator::DONE_OFFSET` edges) |
//! | 0x0006 | PERF_NONZERO | R | MAC cycles on non-zero weights |
//! | 0x0007 | PERF_ZERO_SKIPPED | R | zero weights consumed without a MAC cycle (zero-run skipping) |
//! | 0x0008 | PERF_ZERO_MAC | R | MAC cycles spent on zero weights (not skipped) |
//! | 0x0009 | PERF_STALL | R | lane-clocks stalled waiting for the shared output stage |
//! | 0x000A | CAPS | R | bits 7..0 log2 stream words per lane, 15..8 log2 value-map entries, 23..16 log2 max rows/cols, 27..24 [`K_MAX`], bit 30 [`CAPS_LAYER_TABLE`], bit 31 [`CAPS_SERIAL`] |
//! | 0x000B | MODEL_ID | R | the CRC-32 of the image the memories hold ([`crate::Image::model_id`]): baked into the build, or loaded (CTRL.LOAD) and checked; 0 for none |
//! | 0x000C | LAYER | R | the layer-table entry a model run (CTRL.RUN_MODEL) is at, or stopped at on an error |
//! | 0x000D | ARGMAX | R | the row of the largest output of the last layer run (the lowest row on ties) |
//! | 0x000E | MODEL_CYCLES | R | clocks from the RUN_MODEL write to DONE of the last model run |
//! | 0x0010 | ROWS | RW | output count, 1..=max ([`MemSizes::max_dim`], CAPS bits 23..16) |
//! | 0x0011 | COLS | RW | input count, 1..=max |
//! | 0x0012 | K | RW | exp-Golomb order, 0..=[`K_MAX`] |
//! | 0x0013 | SHIFT | RW | rounding right shift, 0..=31 |
//! | 0x0014 | FLAGS | RW | bit 0 [`FLAG_RELU`], bit 1 [`FLAG_ZERO_SKIP`] (valid only with k = 0 and value 0 at index 0) |
//! | 0x0015 | VMAP_LEN | RW | number of value-map entries in use, 1..=entries; larger indices are an error |
//! | 0x0018 + l | STREAM_LEN\[l\] | W | words in lane l's stream, 0..=stream words (l < P); reads 0 |
//! | 0x0020 | STREAM_BASE | RW | word offset added to every lane's stream fetch address; STREAM_BASE + STREAM_LEN\[l\] <= stream words |
//! | 0x0021 | VMAP_BASE | RW | offset added to each decoded index before the value-map read; VMAP_BASE + VMAP_LEN <= entries |
//! | 0x0022 | BIAS_BASE | RW | offset added to the row before the bias read; BIAS_BASE + ROWS <= bias rows ([`MemSizes::bias_rows`]) |
//! | 0x0023 | NUM_LAYERS | RW | layer-table entries a model run goes through, 1..=[`MAX_LAYERS`] |
//! | 0x0024 | LOAD_DATA | W | the next word of a model image being loaded (CTRL.LOAD, [`crate::image`]); at most one word per [`LOAD_WORD_CLOCKS`] clocks |
//! | 0x0025 | LOAD_STATUS | R | bit 0 [`LOAD_BUSY`], bit 1 [`LOAD_OK`], bit 2 [`LOAD_FAILED`], bits 7..4 why ([`LoadError`]), bits 31..16 image words received |
//!
//! Memory windows (write-only except the output activations):
//!
//! | base | name | index | word content |
//! |------|------|-------|--------------|
//! | 0x1000 | VMAP | value-map index | bits 15..0: signed weight; written to every lane's copy |
//! | 0x2000 | BIAS | row | 32-bit bias |
//! | 0x3000 | ACT_IN | column | bits 7..0: signed input activation; written to every lane's copy |
//! | 0x4000 | ACT_OUT | row | R: the output activation, sign-extended to 32 bits |
//! | 0x5000 | LAYER_TABLE | (layer << 5) + j | RW: entry `layer`'s word j; j < [`LAYER_REPLAY_WORDS`] is the value of register `REG_ROWS + j`, j = [`LAYER_CYCLES_WORD`] the layer's CYCLES after a model run ([`layer_table_addr`]) |
//! | 0x8000 + (l << s) | STREAM\[l\] | word | lane l's stream word (big-endian bit order, see `golden::layout`); s = log2 of the stream words per lane (CAPS bits 7..0), [`MemSizes::stream_addr`] |
//!
//! Writes to memories and configuration registers while BUSY are ignored. Memory reads other than
//! ACT_OUT return 0. Reading ACT_OUT while BUSY returns unspecified data. A configuration value out
//! of its range is stored truncated to the register's width (it reads back truncated) and makes the
//! next START fail with [`ErrorCode::BadConfig`] until the register is rewritten in range.
//!
//! The three base registers (0 after configuration, so a host that loads one layer at a time at
//! offset 0 never writes them) let several layers stay resident in the memories at once, each at
//! its own offset (a resident image, [`crate::image`]). A base plus its length beyond the memory is
//! [`ErrorCode::BadConfig`] at START. The memory windows stay absolute: the host writes stream word
//! `w` of lane `l` at [`MemSizes::stream_addr`] whatever STREAM_BASE holds.

/// Clocks from a `host_read` strobe to `host_rvalid`.
pub const READ_LATENCY: u32 = 3;

/// Upper 24 bits of the ID register ("B5AC" + version 01).
pub const ID_MAGIC: u32 = 0xB5_AC_01;

// ---- registers ----
/// ID register: [`ID_MAGIC`] << 8 | lanes.
pub const REG_ID: u16 = 0x0000;
/// Control register (write-only strobes).
pub const REG_CTRL: u16 = 0x0001;
/// Status register.
pub const REG_STATUS: u16 = 0x0002;
/// Error code and lane.
pub const REG_ERROR: u16 = 0x0003;
/// Error position: row << 16 | column.
pub const REG_ERROR_POS: u16 = 0x0004;
/// Cycle counter of the last (or current) run.
pub const REG_CYCLES: u16 = 0x0005;
/// MAC cycles on non-zero weights.
pub const REG_PERF_NONZERO: u16 = 0x0006;
/// Zero weights skipped by zero-run skipping.
pub const REG_PERF_ZERO_SKIPPED: u16 = 0x0007;
/// MAC cycles spent on zero weights.
pub const REG_PERF_ZERO_MAC: u16 = 0x0008;
/// Lane-clocks stalled on the shared output stage.
pub const REG_PERF_STALL: u16 = 0x0009;
/// Capabilities (memory sizes, K_MAX).
pub const REG_CAPS: u16 = 0x000A;
/// Model identity: 0 without a baked image, else its CRC-32.
pub const REG_MODEL_ID: u16 = 0x000B;
/// The layer a model run is at (or stopped at).
pub const REG_LAYER: u16 = 0x000C;
/// Row of the largest output of the last layer run (lowest on ties).
pub const REG_ARGMAX: u16 = 0x000D;
/// Clocks of the last model run, RUN_MODEL write to DONE.
pub const REG_MODEL_CYCLES: u16 = 0x000E;
/// Layer rows (outputs).
pub const REG_ROWS: u16 = 0x0010;
/// Layer columns (inputs).
pub const REG_COLS: u16 = 0x0011;
/// Exp-Golomb order k.
pub const REG_K: u16 = 0x0012;
/// Rounding right shift.
pub const REG_SHIFT: u16 = 0x0013;
/// Flags (ReLU, zero-run skipping).
pub const REG_FLAGS: u16 = 0x0014;
/// Value-map entries in use.
pub const REG_VMAP_LEN: u16 = 0x0015;
/// Words of the register file: every register address is below it (the windows start above).
pub const REG_FILE_WORDS: u16 = 0x0040;
/// Stream length (words) of lane 0; lane l at `REG_STREAM_LEN0 + l`.
pub const REG_STREAM_LEN0: u16 = 0x0018;
/// Word offset of the layer's streams in every lane's stream memory.
pub const REG_STREAM_BASE: u16 = 0x0020;
/// Offset of the layer's value map in the value-map memory.
pub const REG_VMAP_BASE: u16 = 0x0021;
/// Offset of the layer's biases in the bias memory.
pub const REG_BIAS_BASE: u16 = 0x0022;
/// Layer-table entries a model run goes through.
pub const REG_NUM_LAYERS: u16 = 0x0023;
/// The next word of a model image being loaded (CTRL.LOAD).
pub const REG_LOAD_DATA: u16 = 0x0024;
/// The image loader's state.
pub const REG_LOAD_STATUS: u16 = 0x0025;

// ---- fields ----
/// CTRL: start one layer (ignored while busy). STATUS shows BUSY from the next clock; the
/// configuration is checked one clock after the write (a bad one then sets DONE and ERROR with
/// [`ErrorCode::BadConfig`]).
pub const CTRL_START: u32 = 1 << 0;
/// CTRL: abort any run, clear DONE/ERROR, the error registers and the counters. Configuration
/// registers and memories keep their contents.
pub const CTRL_SOFT_RESET: u32 = 1 << 1;
/// CTRL: run the whole model of the layer table (ignored while busy): for each entry 0..NUM_LAYERS
/// in turn, its words 0..[`LAYER_REPLAY_WORDS`] are written to registers `REG_ROWS + j` as the host
/// would, then the layer STARTs; its outputs go to the other half of every lane's activation
/// memory, which the next layer reads (ping-pong), and to ACT_OUT. STATUS shows BUSY until the last
/// layer is done; an error stops the run (LAYER names the entry). NUM_LAYERS 0 or above
/// [`MAX_LAYERS`] is [`ErrorCode::BadConfig`].
pub const CTRL_RUN_MODEL: u32 = 1 << 2;
/// CTRL: begin loading a model image (ignored while busy, and in a build without the layer
/// table): MODEL_ID becomes 0, and the words the host then writes to LOAD_DATA are the image of
/// [`crate::image`] (header, runs of memory words, CRC-32). The loader checks the header against
/// this build (a wrong magic, version, lane count or CAPS is refused before anything is written),
/// writes each run to its memory, and at the end compares the CRC-32: on a match MODEL_ID holds
/// it ([`LOAD_OK`]), else [`LOAD_FAILED`] with the reason in LOAD_STATUS. While a load is busy or
/// after it failed, START and RUN_MODEL stop at once with [`ErrorCode::BadImage`] (nothing is
/// computed). A host write to a memory window or NUM_LAYERS ends that state and clears MODEL_ID:
/// the memories then no longer hold the image.
pub const CTRL_LOAD: u32 = 1 << 3;
/// STATUS: a layer is running.
pub const STATUS_BUSY: u32 = 1 << 0;
/// STATUS: the last run finished (successfully or with an error); also the `irq` output.
pub const STATUS_DONE: u32 = 1 << 1;
/// STATUS: the last run stopped on an error (see ERROR).
pub const STATUS_ERROR: u32 = 1 << 2;
/// CAPS: the lanes decode with the bit-serial decoder ([`DecoderKind::Serial`]; zero-run
/// skipping is then ignored and PERF_ZERO_SKIPPED stays 0).
pub const CAPS_SERIAL: u32 = 1 << 31;
/// CAPS bit 30: the build has the layer table ([`MemSizes::layer_table`]).
pub const CAPS_LAYER_TABLE: u32 = 1 << 30;
/// LOAD_STATUS: an image load is in progress (CTRL.LOAD written, the CRC not yet checked).
pub const LOAD_BUSY: u32 = 1 << 0;
/// LOAD_STATUS: the last load finished with a good CRC; MODEL_ID holds it.
pub const LOAD_OK: u32 = 1 << 1;
/// LOAD_STATUS: the last load was refused (bits 7..4 say why, [`LoadError`]).
pub const LOAD_FAILED: u32 = 1 << 2;
/// LOAD_STATUS: the reason field's shift (4 bits).
pub const LOAD_ERROR_SHIFT: u32 = 4;
/// LOAD_STATUS: the shift of the count of image words received (16 bits).
pub const LOAD_WORDS_SHIFT: u32 = 16;
/// Clocks the loader needs per LOAD_DATA word (three to register, compare and place it, one for
/// its memory write, then the CRC-32 over its 32 bits one bit per clock): a host must leave at least this many clocks between two LOAD_DATA writes, and
/// between the last one and any other access. A word over the UART bridge takes hundreds of clocks.
pub const LOAD_WORD_CLOCKS: u32 = 36;

// ---- the model image as the loader reads it (written by `crate::image`) ----
/// Word 0 of an image: "BSIM".
pub const IMAGE_MAGIC: u32 = 0x4253_494D;
/// Word 1: the image format version.
pub const IMAGE_VERSION: u32 = 2;
/// Header words: magic, version, lanes, CAPS (without [`CAPS_SERIAL`]: the streams do not depend
/// on the decoder), the image length N in words (header and runs, without the CRC word).
pub const IMAGE_HEADER_WORDS: usize = 5;
/// The largest N: the length field is 16 bits.
pub const IMAGE_MAX_WORDS: usize = 0xFFFF;
/// A run header: `addr << 16 | count` (count 1..=0xFFFF data words for `addr`, `addr + 1`, ...).
pub const fn image_run_header(addr: u16, count: u16) -> u32 {
    ((addr as u32) << 16) | count as u32
}
/// Whether an image may write address `addr`: the memory windows (from [`IMAGE_ADDR_MIN`], the
/// value-map window) and NUM_LAYERS, never a control or configuration register.
pub const fn image_addr_allowed(addr: u16) -> bool {
    addr >= IMAGE_ADDR_MIN || addr == REG_NUM_LAYERS
}
/// The lowest memory address an image may write (the value-map window).
pub const IMAGE_ADDR_MIN: u16 = VMAP_BASE;

/// MODEL_ID of an image whose CRC-32 is `crc`: the CRC, or 1 for a CRC of 0 (MODEL_ID 0 means "no
/// image"). The loader RTL implements the same rule.
pub const fn model_id_of_crc(crc: u32) -> u32 {
    if crc == 0 {
        1
    } else {
        crc
    }
}

/// LOAD_STATUS decoded.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LoadStatus {
    pub busy: bool,
    pub ok: bool,
    /// The reason, when the last load failed (an unknown code reads as `None` with `failed`).
    pub error: Option<LoadError>,
    pub failed: bool,
    /// Image words taken since CTRL.LOAD.
    pub words: u32,
}

impl LoadStatus {
    /// Decodes a LOAD_STATUS value.
    pub fn decode(v: u32) -> LoadStatus {
        LoadStatus {
            busy: v & LOAD_BUSY != 0,
            ok: v & LOAD_OK != 0,
            failed: v & LOAD_FAILED != 0,
            error: LoadError::from_bits(v >> LOAD_ERROR_SHIFT),
            words: v >> LOAD_WORDS_SHIFT,
        }
    }
}

/// Why the loader refused an image (LOAD_STATUS bits 7..4).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[repr(u32)]
pub enum LoadError {
    /// No failure.
    None = 0,
    /// Word 0 or 1 is not [`IMAGE_MAGIC`] / [`IMAGE_VERSION`] (an erased flash reads 0xFFFFFFFF).
    Format = 1,
    /// The lane count or CAPS in the header is not this build's.
    Build = 2,
    /// The length N is shorter than the header or above [`IMAGE_MAX_WORDS`], a run has count 0, or
    /// N ends inside a run.
    Length = 3,
    /// A run writes outside the memory windows ([`image_addr_allowed`]).
    Address = 4,
    /// A LOAD_DATA word came before the loader had finished the last one ([`LOAD_WORD_CLOCKS`]).
    Overrun = 5,
    /// The CRC-32 word does not match the image.
    Crc = 6,
}

impl LoadError {
    /// Decodes LOAD_STATUS bits 7..4; unknown codes give `None`.
    pub fn from_bits(v: u32) -> Option<LoadError> {
        Some(match v & 0xF {
            0 => LoadError::None,
            1 => LoadError::Format,
            2 => LoadError::Build,
            3 => LoadError::Length,
            4 => LoadError::Address,
            5 => LoadError::Overrun,
            6 => LoadError::Crc,
            _ => return None,
        })
    }

    /// What the code means, for messages.
    pub fn describe(self) -> &'static str {
        match self {
            LoadError::None => "no error",
            LoadError::Format => "not a model image (magic or version)",
            LoadError::Build => "the image is for another build (lanes or CAPS)",
            LoadError::Length => "bad image length or run count",
            LoadError::Address => "a run writes outside the memory windows",
            LoadError::Overrun => "LOAD_DATA words came too fast",
            LoadError::Crc => "CRC-32 mismatch (corrupt or truncated image)",
        }
    }
}

/// FLAGS: apply ReLU before saturation.
pub const FLAG_RELU: u32 = 1 << 0;
/// FLAGS: zero-run skipping (k must be 0 and value-map index 0 must be the weight 0).
pub const FLAG_ZERO_SKIP: u32 = 1 << 1;

// ---- memory windows ----
/// Value-map window base (index -> 16-bit signed weight), broadcast to every lane.
pub const VMAP_BASE: u16 = 0x1000;
/// Bias window base (row -> 32-bit bias).
pub const BIAS_BASE: u16 = 0x2000;
/// Input activation window base (column -> 8-bit signed), broadcast to every lane.
pub const ACT_IN_BASE: u16 = 0x3000;
/// Output activation window base (row -> 8-bit signed, sign-extended on read).
pub const ACT_OUT_BASE: u16 = 0x4000;
/// Layer-table window base: entry `layer`'s word j at `LAYER_TABLE_BASE + (layer << LAYER_WORDS_LOG2) + j`.
pub const LAYER_TABLE_BASE: u16 = 0x5000;
/// log2 of the words of one layer-table entry.
pub const LAYER_WORDS_LOG2: u32 = 5;
/// Entries of the layer table (the largest NUM_LAYERS).
pub const MAX_LAYERS: usize = 8;
/// Words of an entry a model run writes to the registers: `REG_ROWS ..= REG_BIAS_BASE` (the unused
/// addresses and the STREAM_LEN of absent lanes are ignored, as host writes there are).
pub const LAYER_REPLAY_WORDS: u16 = REG_BIAS_BASE - REG_ROWS + 1;
/// The entry word that holds the layer's CYCLES after a model run.
pub const LAYER_CYCLES_WORD: u16 = (1 << LAYER_WORDS_LOG2) - 1;

/// Address of word `j` of layer-table entry `layer`.
pub const fn layer_table_addr(layer: usize, j: u16) -> u16 {
    LAYER_TABLE_BASE + ((layer as u16) << LAYER_WORDS_LOG2) + j
}
/// Stream window base: lane l's word w at `STREAM_BASE + (l << stream_words_log2) + w`
/// ([`MemSizes::stream_addr`]): each lane's window is as long as its memory.
pub const STREAM_BASE: u16 = 0x8000;
/// Words of the stream region (every lane's window): `STREAM_BASE..=0xFFFF`, so P lanes of
/// 2^s words each need `P << s <= STREAM_REGION_WORDS` ([`MemSizes::fits_lanes`]).
pub const STREAM_REGION_WORDS: usize = 1 << 15;
/// Largest log2 of the stream words per lane: 16K words of 32 bits (two of the UP5K's SPRAMs,
/// 512 kbit, per lane; [`MemSizes::SPRAM`]). STREAM_LEN and STREAM_BASE count up to 2^14.
pub const STREAM_WORDS_LOG2_MAX: u32 = 14;
/// Size (words) of each of the VMAP, BIAS, ACT_IN, ACT_OUT windows.
pub const WINDOW_WORDS: u16 = 0x1000;

// ---- limits shared with the hardware ----
/// Largest supported exp-Golomb order k.
pub const K_MAX: u32 = 7;
/// Largest supported number of prefix zeros m of a codeword (after any skipped run).
pub const M_MAX: u32 = 11;
/// Longest supported codeword: 2*M_MAX + 1 + K_MAX bits.
pub const CODEWORD_MAX_BITS: u32 = 2 * M_MAX + 1 + K_MAX;
/// Zero-run skip window R: up to this many `1` codewords (zero weights) are consumed in the same
/// clock as the codeword that follows them.
pub const SKIP_MAX: u32 = 8;
/// Largest lane count the register map has room for.
pub const MAX_LANES: usize = 8;
/// The lane counts P the accelerator is built with (powers of two up to [`MAX_LANES`]).
pub const LANE_COUNTS: [usize; 4] = [1, 2, 4, MAX_LANES];

/// Whether the accelerator can be built with `lanes` lanes ([`LANE_COUNTS`]): the one rule every
/// check of a lane count uses (hardware generation, compiler, driver, CLI).
pub fn lanes_supported(lanes: usize) -> bool {
    LANE_COUNTS.contains(&lanes)
}

/// [`LANE_COUNTS`] for messages: "1, 2, 4 or 8".
pub fn lane_counts_text() -> String {
    let n: Vec<String> = LANE_COUNTS.iter().map(|l| l.to_string()).collect();
    match n.split_last() {
        Some((last, rest)) if !rest.is_empty() => format!("{} or {last}", rest.join(", ")),
        _ => n.join(""),
    }
}

/// Prefix zeros m of the EG(`k`) codeword of value-map index `index`.
pub const fn prefix_zeros(index: u32, k: u32) -> u32 {
    31 - ((index >> k) + 1).leading_zeros()
}

/// Whether the decoder decodes every index up to `max_index` with EG(`k`): k at most [`K_MAX`] and
/// at most [`M_MAX`] prefix zeros.
pub const fn k_supported(max_index: u32, k: u32) -> bool {
    k <= K_MAX && prefix_zeros(max_index, k) <= M_MAX
}

/// Whether zero-run skipping ([`FLAG_ZERO_SKIP`]) is valid for a layer coded with EG(`k`) whose
/// value-map index 0 holds `index0`: k = 0 (a zero weight is the 1-bit codeword `1`) and index 0
/// the weight 0 (a skipped weight adds nothing).
pub const fn zero_skip_valid(k: u32, index0: i32) -> bool {
    k == 0 && index0 == 0
}
/// Largest log2 of a build's rows/cols limit ([`MemSizes::dim_log2`]): the RTL's row and column
/// counters hold up to 2^11 = 2048.
pub const DIM_LOG2_MAX: u32 = 11;

/// Error codes in ERROR bits 3..0.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[repr(u32)]
pub enum ErrorCode {
    /// No error.
    None = 0,
    /// A codeword has more than [`M_MAX`] prefix zeros (longer than the decoder supports).
    TooLong = 1,
    /// A decoded index is not below VMAP_LEN.
    IndexRange = 2,
    /// A codeword needs bits beyond the lane's STREAM_LEN words.
    PastEnd = 3,
    /// START with an invalid configuration (rows/cols 0 or too large, k > K_MAX, SHIFT > 31,
    /// VMAP_LEN 0 or too large, a STREAM_LEN too large, a base plus its length beyond its memory,
    /// zero-skip with k != 0 or with the value-map entry at VMAP_BASE not the weight 0). Lane
    /// field is 0.
    BadConfig = 4,
    /// START or RUN_MODEL while an image load is in progress or after one failed (CTRL.LOAD):
    /// nothing is computed. Lane field is 0.
    BadImage = 5,
}

impl ErrorCode {
    /// Decodes ERROR bits 3..0; unknown codes give `None`.
    pub fn from_bits(v: u32) -> Option<ErrorCode> {
        Some(match v & 0xF {
            0 => ErrorCode::None,
            1 => ErrorCode::TooLong,
            2 => ErrorCode::IndexRange,
            3 => ErrorCode::PastEnd,
            4 => ErrorCode::BadConfig,
            5 => ErrorCode::BadImage,
            _ => return None,
        })
    }
}

/// Address of lane `lane`'s STREAM_LEN register.
pub const fn stream_len_reg(lane: usize) -> u16 {
    REG_STREAM_LEN0 + lane as u16
}

/// Address of value-map entry `index`.
pub const fn vmap_addr(index: usize) -> u16 {
    VMAP_BASE + index as u16
}

/// The word written to the VMAP window for a weight: its low 16 bits (the ROM holds 16-bit signed
/// weights).
pub const fn vmap_word(weight: i32) -> u32 {
    weight as i16 as u16 as u32
}

/// Address of the bias of row `row`.
pub const fn bias_addr(row: usize) -> u16 {
    BIAS_BASE + row as u16
}

/// Address of input activation `col`.
pub const fn act_in_addr(col: usize) -> u16 {
    ACT_IN_BASE + col as u16
}

/// Address of output activation `row`.
pub const fn act_out_addr(row: usize) -> u16 {
    ACT_OUT_BASE + row as u16
}

/// FLAGS register value.
pub const fn flags(relu: bool, zero_skip: bool) -> u32 {
    (if relu { FLAG_RELU } else { 0 }) | (if zero_skip { FLAG_ZERO_SKIP } else { 0 })
}

/// ERROR: the lane field's position (bits 11..8; the code is bits 3..0).
pub const ERROR_LANE_SHIFT: u32 = 8;
/// ERROR_POS: the row field's position (bits 31..16; the column is bits 15..0).
pub const ERROR_POS_ROW_SHIFT: u32 = 16;

/// A decoded ERROR/ERROR_POS pair.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ErrorInfo {
    /// What went wrong (`None` if the code is unknown).
    pub code: Option<ErrorCode>,
    /// Lane that raised it.
    pub lane: u32,
    /// Row of the offending codeword.
    pub row: u32,
    /// Column of the offending codeword.
    pub col: u32,
}

impl ErrorInfo {
    /// Decodes the ERROR and ERROR_POS register values.
    pub fn decode(error: u32, error_pos: u32) -> ErrorInfo {
        ErrorInfo {
            code: ErrorCode::from_bits(error),
            lane: (error >> ERROR_LANE_SHIFT) & 0xF,
            row: error_pos >> ERROR_POS_ROW_SHIFT,
            col: error_pos & 0xFFFF,
        }
    }
}

/// Memory sizes of one accelerator build (each a power of two).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct MemSizes {
    /// log2 of the stream words per lane.
    pub stream_words_log2: u32,
    /// log2 of the value-map entries (per lane copy).
    pub vmap_log2: u32,
    /// log2 of the largest ROWS and COLS, which is also the entries of the bias memory, of the
    /// input activation memory (each lane's copy) and of the output activation memory.
    pub dim_log2: u32,
    /// Whether the build has the layer table of CTRL.RUN_MODEL ([`MAX_LAYERS`] entries). Without
    /// it RUN_MODEL is ignored and NUM_LAYERS reads 0. CAPS bit 30 ([`CAPS_LAYER_TABLE`]).
    pub layer_table: bool,
}

impl MemSizes {
    /// Fits an iCE40 UP5K with P = 4: 512 stream words per lane, 256 value-map entries, layers of
    /// up to 256 x 256.
    pub const BOARD: MemSizes = MemSizes {
        stream_words_log2: 9,
        vmap_log2: 8,
        dim_log2: 8,
        layer_table: false,
    };
    /// For simulation: 2048 stream words per lane, 1024 value-map entries, layers of up to
    /// 1024 x 1024, the layer table.
    pub const LARGE: MemSizes = MemSizes {
        stream_words_log2: 11,
        vmap_log2: 10,
        dim_log2: 10,
        layer_table: true,
    };

    /// The iCE40 UP5K with its SPRAM, P = 2: 16K stream words (512 kbit) per lane, each lane's
    /// stream memory two SB_SPRAM256KA (`hdl::spram`), 1024 value-map entries, layers of up to
    /// 1024 x 1024 and the layer table: the whole of a model of about 230k weights compressed to
    /// 2 bits per weight is resident, and runs on one CTRL.RUN_MODEL.
    pub const SPRAM: MemSizes = MemSizes {
        stream_words_log2: 14,
        vmap_log2: 10,
        dim_log2: 10,
        layer_table: true,
    };

    /// The memory sizes a baked build may choose from ([`crate::Image::build_smallest`] takes the one with the fewest
    /// memory bits that holds the model): 512..2048 stream words per lane, 256..1024 value-map
    /// entries, layers of up to 256 x 256. (4096 stream words per lane would take 32 block RAMs
    /// per lane, more than an iCE40 UP5K or HX8K has.)
    pub const BAKE_SIZES: [MemSizes; 9] = {
        let mut a = [MemSizes::BOARD; 9];
        let mut i = 0;
        while i < 9 {
            a[i] = MemSizes {
                stream_words_log2: 9 + (i as u32) / 3,
                vmap_log2: 8 + (i as u32) % 3,
                dim_log2: 8,
                layer_table: false,
            };
            i += 1;
        }
        a
    };

    /// Memory bits of one lane's stream memory and value-map copy.
    pub const fn lane_bits(&self) -> usize {
        32 * self.stream_words() + 16 * self.vmap_entries()
    }

    /// Stream words per lane.
    pub const fn stream_words(&self) -> usize {
        1 << self.stream_words_log2
    }
    /// Whether `lanes` lanes of these stream memories fit the stream window
    /// ([`STREAM_REGION_WORDS`]) and the stream registers ([`STREAM_WORDS_LOG2_MAX`]).
    pub const fn fits_lanes(&self, lanes: usize) -> bool {
        self.stream_words_log2 <= STREAM_WORDS_LOG2_MAX && lanes * self.stream_words() <= STREAM_REGION_WORDS
    }
    /// Host address of word `word` of lane `lane`'s stream memory.
    pub const fn stream_addr(&self, lane: usize, word: usize) -> u16 {
        STREAM_BASE + ((lane as u16) << self.stream_words_log2) + word as u16
    }
    /// Value-map entries.
    pub const fn vmap_entries(&self) -> usize {
        1 << self.vmap_log2
    }
    /// Largest ROWS and COLS of a layer.
    pub const fn max_dim(&self) -> usize {
        1 << self.dim_log2
    }
    /// Entries of the bias memory (32-bit words): BIAS_BASE + ROWS may not exceed it.
    pub const fn bias_rows(&self) -> usize {
        1 << self.dim_log2
    }
    /// Entries of the layer table (CTRL.RUN_MODEL): [`MAX_LAYERS`] in a build with
    /// [`MemSizes::layer_table`] ([`MemSizes::LARGE`]), else 0: the 256-wide board builds have no
    /// room for it (the UP5K's default P = 2 build uses 96% of its logic cells without it).
    pub const fn layer_table_entries(&self) -> usize {
        if self.layer_table {
            MAX_LAYERS
        } else {
            0
        }
    }
    /// The CAPS register value of a build with these sizes and the pipelined decoder
    /// ([`caps_register`] for either decoder).
    pub const fn caps(&self) -> u32 {
        let table = if self.layer_table { CAPS_LAYER_TABLE } else { 0 };
        self.stream_words_log2 | (self.vmap_log2 << 8) | (self.dim_log2 << 16) | (K_MAX << 24) | table
    }
    /// Decodes a CAPS register value.
    pub const fn from_caps(caps: u32) -> MemSizes {
        MemSizes {
            stream_words_log2: caps & 0xFF,
            vmap_log2: (caps >> 8) & 0xFF,
            dim_log2: (caps >> 16) & 0xFF,
            layer_table: caps & CAPS_LAYER_TABLE != 0,
        }
    }
}

/// The CAPS register value of a build with memories `sizes` and lanes decoding with `decoder`.
pub const fn caps_register(sizes: MemSizes, decoder: DecoderKind) -> u32 {
    match decoder {
        DecoderKind::Pipelined => sizes.caps(),
        DecoderKind::Serial => sizes.caps() | CAPS_SERIAL,
    }
}

/// The decoder named by a CAPS register value.
pub const fn decoder_from_caps(caps: u32) -> DecoderKind {
    if caps & CAPS_SERIAL != 0 {
        DecoderKind::Serial
    } else {
        DecoderKind::Pipelined
    }
}

/// Which exp-Golomb decoder the lanes of a build use (CAPS bit 31).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum DecoderKind {
    /// `hdl`'s pipelined decoder: one codeword per clock plus up to [`SKIP_MAX`] zero
    /// weights (zero-run skipping).
    #[default]
    Pipelined,
    /// `hdl`'s bit-serial decoder: one stream bit per clock; a fraction of the area and
    /// a short loop (a higher clock).
    Serial,
}

impl DecoderKind {
    /// Both kinds.
    pub const ALL: [DecoderKind; 2] = [DecoderKind::Pipelined, DecoderKind::Serial];

    /// Its name on the command line and in reports.
    pub fn name(self) -> &'static str {
        match self {
            DecoderKind::Pipelined => "pipelined",
            DecoderKind::Serial => "serial",
        }
    }
}

impl std::str::FromStr for DecoderKind {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        DecoderKind::ALL
            .into_iter()
            .find(|d| d.name() == s)
            .ok_or_else(|| format!("unknown decoder {s:?}: use pipelined or serial"))
    }
}

impl std::fmt::Display for DecoderKind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

/// Top module name of the accelerator with `lanes` lanes and `sizes` memories, as written by
/// `hdl::generate_verilog`: `bs_accel_p4` for [`MemSizes::BOARD`], `bs_accel_p4_large` for
/// [`MemSizes::LARGE`], `bs_accel_p2_spram` for [`MemSizes::SPRAM`], `bs_accel_p4_s10v8` for other sizes (`d10` appended for layers up to 2^10, `t` for a layer table).
pub fn top_name(lanes: usize, sizes: MemSizes) -> String {
    if sizes == MemSizes::LARGE {
        format!("bs_accel_p{lanes}_large")
    } else if sizes == MemSizes::SPRAM {
        format!("bs_accel_p{lanes}_spram")
    } else if sizes == MemSizes::BOARD {
        format!("bs_accel_p{lanes}")
    } else {
        let dim = if sizes.dim_log2 == MemSizes::BOARD.dim_log2 {
            String::new()
        } else {
            format!("d{}", sizes.dim_log2)
        };
        let table = if sizes.layer_table { "t" } else { "" };
        format!(
            "bs_accel_p{lanes}_s{}v{}{dim}{table}",
            sizes.stream_words_log2, sizes.vmap_log2
        )
    }
}

/// [`top_name`] for lanes decoding with `decoder`: `_serial` appended for the bit-serial decoder.
pub fn top_name_for(lanes: usize, sizes: MemSizes, decoder: DecoderKind) -> String {
    match decoder {
        DecoderKind::Pipelined => top_name(lanes, sizes),
        DecoderKind::Serial => format!("{}_serial", top_name(lanes, sizes)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn windows_do_not_overlap() {
        let windows = [
            (VMAP_BASE, WINDOW_WORDS),
            (BIAS_BASE, WINDOW_WORDS),
            (ACT_IN_BASE, WINDOW_WORDS),
            (ACT_OUT_BASE, WINDOW_WORDS),
            (LAYER_TABLE_BASE, (MAX_LAYERS << LAYER_WORDS_LOG2) as u16),
            (STREAM_BASE, STREAM_REGION_WORDS as u16),
        ];
        assert!((MAX_LAYERS << LAYER_WORDS_LOG2) <= WINDOW_WORDS as usize);
        assert!(LAYER_REPLAY_WORDS <= LAYER_CYCLES_WORD);
        for (i, a) in windows.iter().enumerate() {
            assert!(a.0 >= REG_FILE_WORDS, "window over the registers");
            for b in &windows[i + 1..] {
                assert!(a.0 as u32 + a.1 as u32 <= b.0 as u32 || b.0 as u32 + b.1 as u32 <= a.0 as u32);
            }
        }
        let s12 = MemSizes {
            stream_words_log2: 12,
            ..MemSizes::LARGE
        };
        for (lanes, sizes) in [(MAX_LANES, s12), (2, MemSizes::SPRAM)] {
            assert!(sizes.fits_lanes(lanes));
            assert!(!sizes.fits_lanes(2 * lanes));
            assert_eq!(sizes.stream_addr(lanes - 1, sizes.stream_words() - 1), 0xFFFF);
        }
        assert_eq!(
            STREAM_BASE as usize + STREAM_REGION_WORDS,
            1 << 16,
            "the stream region ends the address space"
        );
        assert!(stream_len_reg(MAX_LANES - 1) < REG_STREAM_BASE);
        let regs = [
            REG_ID,
            REG_CTRL,
            REG_STATUS,
            REG_ERROR,
            REG_ERROR_POS,
            REG_CYCLES,
            REG_PERF_NONZERO,
            REG_PERF_ZERO_SKIPPED,
            REG_PERF_ZERO_MAC,
            REG_PERF_STALL,
            REG_CAPS,
            REG_MODEL_ID,
            REG_LAYER,
            REG_ARGMAX,
            REG_MODEL_CYCLES,
            REG_NUM_LAYERS,
            REG_LOAD_DATA,
            REG_LOAD_STATUS,
            REG_ROWS,
            REG_COLS,
            REG_K,
            REG_SHIFT,
            REG_FLAGS,
            REG_VMAP_LEN,
            REG_STREAM_BASE,
            REG_VMAP_BASE,
            REG_BIAS_BASE,
        ];
        for (i, a) in regs.iter().enumerate() {
            assert!(!(REG_STREAM_LEN0..REG_STREAM_LEN0 + MAX_LANES as u16).contains(a));
            assert!(*a < REG_FILE_WORDS, "register 0x{a:04X} outside the register file");
            assert!(!regs[i + 1..].contains(a), "register 0x{a:04X} twice");
        }
        assert!(MemSizes::SPRAM.stream_words() == 1 << STREAM_WORDS_LOG2_MAX);
        assert!(MemSizes::LARGE.vmap_entries() <= WINDOW_WORDS as usize);
        assert!(MemSizes::LARGE.max_dim() <= WINDOW_WORDS as usize);
        assert!(MemSizes::LARGE.dim_log2 <= DIM_LOG2_MAX && MemSizes::BOARD.dim_log2 <= DIM_LOG2_MAX);
    }

    #[test]
    fn limits_fit_one_word_per_clock() {
        // The decoder consumes at most 32 bits per clock: a skipped run plus the longest k = 0
        // codeword, or the longest codeword of any k.
        assert!(SKIP_MAX + 2 * M_MAX + 1 <= 32);
        assert!(CODEWORD_MAX_BITS <= 32);
        assert!(K_MAX >= 5 && SKIP_MAX >= 8);
    }

    #[test]
    fn caps_name_the_decoder() {
        for d in DecoderKind::ALL {
            let caps = caps_register(MemSizes::BOARD, d);
            assert_eq!(decoder_from_caps(caps), d);
            assert_eq!(MemSizes::from_caps(caps), MemSizes::BOARD);
            assert_eq!((caps >> 24) & 0xF, K_MAX);
            assert_eq!(d.name().parse::<DecoderKind>(), Ok(d));
        }
        assert!("fast".parse::<DecoderKind>().is_err());
        assert_ne!(
            top_name_for(4, MemSizes::BOARD, DecoderKind::Serial),
            top_name(4, MemSizes::BOARD)
        );
    }

    #[test]
    fn caps_and_errors_round_trip() {
        for s in [MemSizes::BOARD, MemSizes::LARGE] {
            assert_eq!(MemSizes::from_caps(s.caps()), s);
        }
        for c in [
            ErrorCode::None,
            ErrorCode::TooLong,
            ErrorCode::IndexRange,
            ErrorCode::PastEnd,
            ErrorCode::BadConfig,
        ] {
            assert_eq!(ErrorCode::from_bits(c as u32), Some(c));
        }
        let e = ErrorInfo::decode(3 | (5 << 8), (7 << 16) | 9);
        assert_eq!(
            e,
            ErrorInfo {
                code: Some(ErrorCode::PastEnd),
                lane: 5,
                row: 7,
                col: 9
            }
        );
        assert_eq!(top_name(4, MemSizes::BOARD), "bs_accel_p4");
    }

    #[test]
    fn lane_counts_and_decoder_rules() {
        assert_eq!(lane_counts_text(), "1, 2, 4 or 8");
        assert!(LANE_COUNTS
            .iter()
            .all(|&l| lanes_supported(l) && l.is_power_of_two() && l <= MAX_LANES));
        assert!(!lanes_supported(3) && !lanes_supported(0) && !lanes_supported(16));
        // EG(0) codes index v with floor(log2(v + 1)) prefix zeros.
        for v in [0u32, 1, 2, 3, 6, 7, 100, 4094, 4095] {
            assert_eq!(prefix_zeros(v, 0), 31 - (v + 1).leading_zeros());
        }
        assert!(k_supported((1 << (M_MAX + 1)) - 2, 0));
        assert!(!k_supported((1 << (M_MAX + 1)) - 1, 0));
        assert!(k_supported((1 << (M_MAX + 1)) - 1, 1));
        assert!(!k_supported(0, K_MAX + 1));
        assert!(zero_skip_valid(0, 0) && !zero_skip_valid(1, 0) && !zero_skip_valid(0, 3));
    }
}
