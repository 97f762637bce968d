//! rust-hdl blocks of the BackSlash accelerator and its Verilog generation.
//!
//! One block per file (docs/hardware.md has ports, register map, stream layout and timing):
//! - [`regmap`]: the host register and memory map, shared with the driver and the UART bridge;
//! - [`bitops`]: leaf trees (count leading zeros, funnel and right shifters);
//! - [`eg_decoder`]: pipelined exp-Golomb decoder with zero-run skipping, and its specification;
//! - [`value_map_rom`]: index -> signed 16-bit weight, host-writable block RAM;
//! - [`mac_lane`]: one lane: stream memory, decoder, value map, activations, multiply-accumulate;
//! - [`sparse_mac_array`]: P lanes and the shared bias / requantize / output stage;
//! - [`accelerator`]: the top with the host bus, control, errors and counters;
//! - [`verify`]: yosys and Verilator checks of generated Verilog;
//! - [`uart_bridge`]: the UART host bridge (framed protocol with CRC-8) and its host-side codec.
#![forbid(unsafe_code)]

pub mod accelerator;
pub mod bitops;
pub mod eg_decoder;
pub mod host_sim;
pub mod mac_lane;
pub mod regmap;
pub mod sparse_mac_array;
pub mod uart_bridge;
pub mod value_map_rom;
pub mod verify;

use regmap::MemSizes;
use thiserror::Error;

/// Errors of hardware construction and Verilog generation.
#[derive(Debug, Error, Clone, PartialEq, Eq)]
pub enum HdlError {
    /// Unsupported lane count.
    #[error("unsupported lane count {0}: use 1, 2, 4 or 8")]
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
    /// An external tool (yosys, verilator) failed or is missing.
    #[error("{0}")]
    Tool(String),
}

/// The accelerator with `P` lanes and the given memory address widths, as a rust-hdl block.
pub type Accel<const P: usize, const SAW: usize, const VAW: usize> = accelerator::Accelerator<P, SAW, VAW>;

fn verilog_of<const P: usize, const SAW: usize, const VAW: usize>(
    name: &str,
    vmap_init: &[i32],
) -> Result<String, HdlError> {
    let mut uut = accelerator::Accelerator::<P, SAW, VAW>::new(vmap_init)?;
    rust_hdl::prelude::Block::connect_all(&mut uut);
    verify::named_verilog(&uut, name)
}

/// Verilog of the accelerator with `lanes` lanes (1, 2, 4, 8) and memories `sizes`
/// ([`MemSizes::BOARD`] or [`MemSizes::LARGE`]); the top module is [`regmap::top_name`]
/// (`bs_accel_p4`, ...), every submodule `<top>$...`.
pub fn generate_verilog(lanes: usize, sizes: MemSizes) -> Result<String, HdlError> {
    generate_verilog_with_vmap(lanes, sizes, &[])
}

/// Like [`generate_verilog`], with every lane's value map initialised to `vmap` (a bitstream with
/// a fixed model; the host can still overwrite it).
pub fn generate_verilog_with_vmap(lanes: usize, sizes: MemSizes, vmap: &[i32]) -> Result<String, HdlError> {
    let name = regmap::top_name(lanes, sizes);
    let (b, l) = (MemSizes::BOARD, MemSizes::LARGE);
    match (lanes, sizes) {
        (1, s) if s == b => verilog_of::<1, 9, 8>(&name, vmap),
        (2, s) if s == b => verilog_of::<2, 9, 8>(&name, vmap),
        (4, s) if s == b => verilog_of::<4, 9, 8>(&name, vmap),
        (8, s) if s == b => verilog_of::<8, 9, 8>(&name, vmap),
        (1, s) if s == l => verilog_of::<1, 11, 10>(&name, vmap),
        (2, s) if s == l => verilog_of::<2, 11, 10>(&name, vmap),
        (4, s) if s == l => verilog_of::<4, 11, 10>(&name, vmap),
        (8, s) if s == l => verilog_of::<8, 11, 10>(&name, vmap),
        (1 | 2 | 4 | 8, s) => Err(HdlError::Sizes(format!(
            "{s:?}: use MemSizes::BOARD or MemSizes::LARGE"
        ))),
        (p, _) => Err(HdlError::Lanes(p)),
    }
}
