//! Co-simulation of the BackSlash accelerator: Verilated models driven from Rust through cxx, as a
//! transport of the host driver (`host`).
//!
//! - [`Model`]: any Verilated model compiled into this crate (see build.rs), ports by name, clock ticks,
//!   run-until with a cycle limit, windowed VCD tracing.
//! - [`Accelerator`]: the accelerator top for every lane count compiled in, behind one type: host bus
//!   cycles, soft reset, run-until-done, counters, tracing; a [`host::HostBus`], so the host's
//!   [`host::Driver`] runs over it as over a board.
//! - [`cosim`]: the whole test set through hardware and golden, compared output by output.
//! - [`uart`]: a byte stream to the UART pins of a Verilated board core, for the host's serial link.

// Link Verilator's runtime (built once by the `verilated` crate).
use verilated as _;

pub mod accel;
pub mod cosim;
mod error;
mod ffi;
pub mod model;
pub mod uart;

pub use accel::{Accelerator, RunOutcome};
pub use error::SimError;
pub use model::{BusPorts, Model, ModelInfo, Port, PortDir, PortInfo, TIME_PER_CYCLE};
