//! Verilator's C++ runtime, compiled once by this crate's build script and linked into every binary that
//! uses a Verilated model.
//!
//! The crate has no Rust API of its own. A crate that verilates models depends on it, reads the runtime's
//! include directory from `DEP_VERILATED_INCLUDE` in its build script, and names the crate once in its code
//! (`use verilated as _;`) so that the runtime library is linked.

/// The Verilator installation whose runtime was compiled in (`$VERILATOR_ROOT` at build time).
pub const VERILATOR_ROOT: &str = env!("VERILATED_ROOT");
