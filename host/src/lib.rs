//! The host side of the BackSlash accelerator: everything a program on a PC needs to drive the
//! hardware, and the contracts the hardware implements. No rust-hdl and no Verilator in its
//! dependency tree, so a board user builds it with Rust alone.
//!
//! Contracts, each defined once (the RTL in `hdl` takes its addresses, fields and codes from here):
//! - [`regmap`]: the host register and memory map, the lane counts and memory sizes of a build;
//! - [`uart`]: the UART bridge's frames, commands and CRC-8;
//! - [`compile`]: the layer compiler (value map, exp-Golomb order, zero-run skipping, per-lane
//!   streams of `golden::layout`), used by the per-layer [`Program`], the resident [`Image`] and
//!   the estimate;
//! - [`image`]: a whole model placed in the memories at once (baked or loaded once), and its
//!   MODEL_ID.
//!
//! Driving: [`HostBus`] (word reads and writes over any transport), [`Driver`] (loads and runs a
//! [`Program`] or an [`Image`]), [`serial`] (the bus over a UART).
#![forbid(unsafe_code)]

pub mod bus;
pub mod compile;
pub mod driver;
mod error;
pub mod image;
pub mod program;
pub mod regmap;
pub mod serial;
pub mod uart;

pub use bus::{Counters, HostBus};
pub use compile::{CompileError, CompileOptions, CompiledLayer, KChoice};
pub use driver::{Driver, Inference, LoadReport, ModelRun};
pub use error::HostError;
pub use image::{Image, ImageError, LayerRegs, LoaderModel};
pub use program::{LayerImage, Pass, Program};
