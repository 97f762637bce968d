//! Co-simulation of the BackSlash accelerator: Verilated models driven from Rust through cxx, and the host
//! driver that loads a compressed model into the accelerator and runs it layer by layer.
//!
//! - [`Model`]: any Verilated model compiled into this crate (see build.rs), ports by name, clock ticks,
//!   run-until with a cycle limit, windowed VCD tracing.
//! - [`Accelerator`]: the accelerator top for P = 1, 4 or 8 lanes behind one type: host bus cycles,
//!   soft reset, run-until-done, counters, tracing.
//! - [`HostBus`]: word reads and writes on the accelerator's bus; [`Driver`] runs a [`Program`] (a
//!   `golden::infer::QModel` compiled to streams, value maps and biases) over any `HostBus`.
//! - [`cosim`]: the whole test set through hardware and golden, compared output by output.
//! - [`serial`]: the UART transport ([`HostBus`] over a serial port or a Verilated UART core).

// Link Verilator's runtime (built once by the `verilated` crate).
use verilated as _;

pub mod accel;
pub mod bus;
pub mod cosim;
pub mod driver;
mod error;
mod ffi;
pub mod model;
pub mod program;
pub mod serial;

pub use accel::{Accelerator, Counters, RunOutcome};
pub use bus::HostBus;
pub use driver::{Driver, Inference};
pub use error::SimError;
pub use model::{BusPorts, Model, ModelInfo, Port, PortDir, PortInfo, TIME_PER_CYCLE};
pub use program::{CompileOptions, KChoice, LayerImage, Pass, Program};
