//! rust-hdl blocks of the BackSlash accelerator and its Verilog generation.
//!
//! One block per file (docs/hardware.md has ports, register map, stream layout and timing):
//! - [`regmap`]: the host register and memory map (defined in `host`, implemented here);
//! - [`bitops`]: leaf trees (count leading zeros, funnel and right shifters);
//! - [`decoder`]: the exp-Golomb decoders (pipelined with zero-run skipping, bit-serial, the
//!   lane's choice of the two) and their specification;
//! - [`value_map_rom`]: index -> signed 16-bit weight, host-writable block RAM;
//! - [`spram`]: the single-port RAM of the lanes' streams (the UP5K's SPRAM);
//! - [`mac_lane`]: one lane: stream memory, decoder, value map, activations, multiply-accumulate;
//! - [`sparse_mac_array`]: P lanes and the shared bias / requantize / output stage;
//! - [`accelerator`]: the top with the host bus, control, errors and counters;
//! - [`flash_boot`]: the power-up boot from SPI flash into the image loader, and a flash model;
//! - [`latency`]: the fixed latencies of the blocks, summed;
//! - [`loader`]: the model-image loader (CTRL.LOAD): header check, runs to memory writes, CRC-32;
//! - [`bake`]: a whole model placed in the memories (every layer at its own base), to bake into a
//!   bitstream or load once over the bus;
//! - [`verify`]: yosys and Verilator checks of generated Verilog;
//! - [`uart_bridge`]: the UART host bridge (framed protocol with CRC-8) and its host-side codec.
#![forbid(unsafe_code)]

pub mod accelerator;
pub mod bake;
pub mod bitops;
pub mod decoder;
pub mod flash_boot;
pub mod host_sim;
pub mod latency;
pub mod loader;
pub mod mac_lane;
/// The register and memory map, defined in the host crate (`host::regmap`): this RTL implements it.
pub use host::regmap;
pub mod sparse_mac_array;
pub mod spram;
pub mod uart_bridge;
pub mod value_map_rom;
pub mod verify;

use regmap::{DecoderKind, MemSizes};
use thiserror::Error;

/// Errors of hardware construction and Verilog generation.
#[derive(Debug, Error, Clone, PartialEq, Eq)]
pub enum HdlError {
    /// Unsupported lane count.
    #[error("unsupported lane count {0}: use {list}", list = regmap::lane_counts_text())]
    Lanes(usize),
    /// Unsupported memory sizes.
    #[error("unsupported memory sizes: {0}")]
    Sizes(String),
    /// The initial value map does not fit.
    #[error("value map has {entries} entries, the hardware holds {capacity}")]
    ValueMapTooLarge { entries: usize, capacity: usize },
    /// An initial value-map weight does not fit 16 signed bits.
    #[error("value-map entry {index} = {value} does not fit in 16 signed bits")]
    WeightRange { index: usize, value: i32 },
    /// rust-hdl's structural check failed.
    #[error("rust-hdl check failed: {0}")]
    Check(String),
    /// A lane must hold exactly one decoder.
    #[error("unsupported decoder configuration: {0}")]
    Decoder(String),
    /// An external tool (yosys, verilator) failed or is missing.
    #[error("{0}")]
    Tool(String),
}

/// Initial contents of the accelerator's memories and its MODEL_ID register (a baked image, see
/// [`bake::Bake::mem_init`]); the default (all empty, id 0) is a build the host loads over the bus.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct MemInit {
    /// Each lane's stream memory, words from address 0 (lanes without an entry start empty).
    pub streams: Vec<Vec<u32>>,
    /// The value map (every lane's copy), entries from index 0.
    pub vmap: Vec<i32>,
    /// The bias memory, rows from 0.
    pub bias: Vec<i32>,
    /// The MODEL_ID register value.
    pub model_id: u32,
}

/// The accelerator with `P` lanes and the given memory address widths, as a rust-hdl block.
pub type Accel<const P: usize, const SAW: usize, const VAW: usize> = accelerator::Accelerator<P, SAW, VAW>;

fn verilog_of<
    const P: usize,
    const SAW: usize,
    const VAW: usize,
    const NF: usize,
    const NS: usize,
    const DAW: usize,
    const AAW: usize,
>(
    name: &str,
    init: &MemInit,
    layer_table: bool,
) -> Result<String, HdlError> {
    // rust-hdl builds the whole design by value and walks it recursively: at P = 8 that needs more
    // stack than a test thread's 2 MB, so the generation runs on a thread of its own.
    std::thread::scope(|s| {
        std::thread::Builder::new()
            .name("verilog".into())
            .stack_size(GENERATION_STACK)
            .spawn_scoped(s, || {
                let mut uut = Box::new(accelerator::Accelerator::<P, SAW, VAW, NF, NS, DAW, AAW>::new(
                    init,
                    layer_table,
                )?);
                rust_hdl::prelude::Block::connect_all(&mut *uut);
                verify::named_verilog(&*uut, name)
            })
            .map_err(|e| HdlError::Tool(format!("cannot start the Verilog generation thread: {e}")))?
            .join()
            .map_err(|_| HdlError::Tool("the Verilog generation thread panicked".into()))?
    })
}

/// Stack of the thread that generates an accelerator's Verilog.
const GENERATION_STACK: usize = 256 << 20;

/// Verilog of the accelerator with `lanes` lanes ([`regmap::LANE_COUNTS`]), memories `sizes`
/// ([`MemSizes::BOARD`], [`MemSizes::LARGE`], [`MemSizes::SPRAM`] or one of [`MemSizes::BAKE_SIZES`]) and the pipelined
/// decoder; the top module is [`regmap::top_name`] (`bs_accel_p4`, ...), every submodule `<top>$...`.
pub fn generate_verilog(lanes: usize, sizes: MemSizes) -> Result<String, HdlError> {
    generate_verilog_decoder(lanes, sizes, DecoderKind::Pipelined)
}

/// [`generate_verilog`] with the lanes' decoder chosen; the top module is
/// [`regmap::top_name_for`] (`bs_accel_p4_serial` for the bit-serial decoder).
pub fn generate_verilog_decoder(lanes: usize, sizes: MemSizes, decoder: DecoderKind) -> Result<String, HdlError> {
    let name = regmap::top_name_for(lanes, sizes, decoder);
    generate_verilog_init(lanes, sizes, decoder, &name, &MemInit::default())
}

/// Verilog of the accelerator with `lanes` lanes, memories `sizes` and `decoder` in the lanes, its
/// memories initialised from `init` (Verilog `initial` blocks, which yosys maps into the block
/// RAMs' INIT) and MODEL_ID set to `init.model_id`; the top module is `name`.
pub fn generate_verilog_init(
    lanes: usize,
    sizes: MemSizes,
    decoder: DecoderKind,
    name: &str,
    init: &MemInit,
) -> Result<String, HdlError> {
    // $a: the activation memory's address width, $d + 1 (two halves).
    macro_rules! dec {
        ($p:literal, $s:literal, $v:literal, $d:literal, $a:literal) => {
            match decoder {
                DecoderKind::Pipelined => verilog_of::<$p, $s, $v, 1, 0, $d, $a>(name, init, sizes.layer_table),
                DecoderKind::Serial => verilog_of::<$p, $s, $v, 0, 1, $d, $a>(name, init, sizes.layer_table),
            }
        };
    }
    // The bit-serial decoder is instantiated with the BOARD and LARGE memories only: every arm here
    // is a full monomorphisation of the accelerator, linked into every binary that generates Verilog
    // (size and build time of `make test`).
    macro_rules! pipelined_only {
        ($p:literal, $s:literal, $v:literal) => {
            match decoder {
                DecoderKind::Pipelined => verilog_of::<$p, $s, $v, 1, 0, 8, 9>(name, init, sizes.layer_table),
                DecoderKind::Serial => Err(HdlError::Sizes(format!(
                    "{sizes:?}: the bit-serial decoder is built with MemSizes::BOARD or MemSizes::LARGE memories only"
                ))),
            }
        };
    }
    macro_rules! sizes {
        ($p:literal) => {
            // BOARD and the bake sizes take layers up to 2^8, LARGE up to 2^10.
            match (sizes.stream_words_log2, sizes.vmap_log2, sizes.dim_log2) {
                (9, 8, 8) => dec!($p, 9, 8, 8, 9),
                (9, 9, 8) => pipelined_only!($p, 9, 9),
                (9, 10, 8) => pipelined_only!($p, 9, 10),
                (10, 8, 8) => pipelined_only!($p, 10, 8),
                (10, 9, 8) => pipelined_only!($p, 10, 9),
                (10, 10, 8) => pipelined_only!($p, 10, 10),
                (11, 8, 8) => pipelined_only!($p, 11, 8),
                (11, 9, 8) => pipelined_only!($p, 11, 9),
                (11, 10, 8) => pipelined_only!($p, 11, 10),
                (11, 10, 10) => dec!($p, 11, 10, 10, 11),
                _ => Err(HdlError::Sizes(format!(
                    "{sizes:?}: use MemSizes::BOARD, MemSizes::LARGE or one of MemSizes::BAKE_SIZES"
                ))),
            }
        };
    }
    // The UP5K's SPRAM build: P = 2 with the bit-serial decoder only (one monomorphisation).
    if sizes == MemSizes::SPRAM {
        return match (lanes, decoder) {
            (2, DecoderKind::Serial) => verilog_of::<2, 14, 10, 0, 1, 10, 11>(name, init, sizes.layer_table),
            _ => Err(HdlError::Sizes(format!(
                "MemSizes::SPRAM is built with 2 lanes and the bit-serial decoder only, not {lanes} lanes {}",
                decoder.name()
            ))),
        };
    }
    match lanes {
        1 => sizes!(1),
        2 => sizes!(2),
        4 => sizes!(4),
        8 => sizes!(8),
        p => Err(HdlError::Lanes(p)),
    }
}
