//! A safe handle on any Verilated model compiled into this crate, with ports reached by name.
use std::ops::Range;
use std::path::Path;
use std::pin::Pin;

use crate::ffi::bridge;
use crate::SimError;

/// Direction of a top-level port.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum PortDir {
    Input,
    Output,
    InOut,
}

/// A top-level port as the Verilated class declares it.
#[derive(Clone, Copy, Debug)]
pub struct PortInfo {
    pub name: &'static str,
    pub dir: PortDir,
    /// Width in bits (1..=64).
    pub width: u32,
}

/// A model compiled into this crate (see sim/build.rs).
#[derive(Debug)]
pub struct ModelInfo {
    /// The name `Model::new` takes.
    pub name: &'static str,
    /// The Verilog top module.
    pub top: &'static str,
    /// Index of the clock input in `ports`.
    pub clock: usize,
    /// Verilated with `--trace`: [`Model::trace`] works. A model without it evaluates faster.
    pub trace: bool,
    pub ports: &'static [PortInfo],
}

include!(concat!(env!("OUT_DIR"), "/models.rs"));

/// VCD time units per clock cycle: the rising edge of cycle `c` is at `10 c`, the falling edge at `10 c + 5`,
/// and inputs changed between cycles appear settled at `10 c - 2`.
pub const TIME_PER_CYCLE: u64 = 10;

/// A resolved port of one model: cheap to copy, no name look-up per access.
#[derive(Clone, Copy, Debug)]
pub struct Port {
    index: u32,
    width: u32,
    model: &'static str,
}

impl Port {
    /// Width in bits.
    pub fn width(&self) -> u32 {
        self.width
    }
}

/// One instance of a Verilated model (its own `VerilatedContext`).
pub struct Model {
    inner: cxx::UniquePtr<bridge::Model>,
    info: &'static ModelInfo,
}

// SAFETY: a model owns its VerilatedContext and all its state; nothing in it is tied to the thread that
// created it, and `&mut self` for every mutation keeps access exclusive. It is not Sync.
unsafe impl Send for Model {}

impl Model {
    /// The names of all models compiled in.
    pub fn available() -> Vec<&'static str> {
        MODELS.iter().map(|m| m.name).collect()
    }

    /// Description of model `name`, if it is compiled in.
    pub fn find(name: &str) -> Option<&'static ModelInfo> {
        MODELS.iter().find(|m| m.name == name)
    }

    /// Constructs a fresh instance of model `name` (all registers at their initial values, cycle 0).
    pub fn new(name: &str) -> Result<Model, SimError> {
        let index = MODELS
            .iter()
            .position(|m| m.name == name)
            .ok_or_else(|| SimError::UnknownModel {
                name: name.to_string(),
                available: Self::available().join(", "),
            })?;
        let inner = bridge::new_model(index as u32).map_err(|e| SimError::Model(e.what().to_string()))?;
        let mut model = Model {
            inner,
            info: &MODELS[index],
        };
        model.pin().eval();
        Ok(model)
    }

    /// What this model is.
    pub fn info(&self) -> &'static ModelInfo {
        self.info
    }

    fn pin(&mut self) -> Pin<&mut bridge::Model> {
        self.inner.pin_mut()
    }

    fn port(&self, name: &str, input: bool) -> Result<Port, SimError> {
        let (index, p) = self
            .info
            .ports
            .iter()
            .enumerate()
            .find(|(_, p)| p.name == name)
            .ok_or_else(|| SimError::NoPort {
                model: self.info.name,
                port: name.to_string(),
            })?;
        if input && p.dir == PortDir::Output {
            return Err(SimError::NotAnInput {
                model: self.info.name,
                port: name.to_string(),
            });
        }
        Ok(Port {
            index: index as u32,
            width: p.width,
            model: self.info.name,
        })
    }

    /// An input (or inout) port, for [`Model::set`].
    pub fn input(&self, name: &str) -> Result<Port, SimError> {
        self.port(name, true)
    }

    /// Any port, for [`Model::get`].
    pub fn output(&self, name: &str) -> Result<Port, SimError> {
        self.port(name, false)
    }

    /// Drives an input with the low `width` bits of `value`; it takes effect at the next eval or clock edge.
    pub fn set(&mut self, port: Port, value: u64) {
        debug_assert_eq!(port.model, self.info.name, "port of another model");
        self.pin().set(port.index, value);
    }

    /// Reads a port (the unsigned bit pattern, zero-extended).
    pub fn get(&self, port: Port) -> u64 {
        debug_assert_eq!(port.model, self.info.name, "port of another model");
        self.inner.get(port.index)
    }

    /// Reads a port as a two's-complement signed value of its width (Verilator hands signed ports over
    /// as unsigned integers).
    pub fn get_signed(&self, port: Port) -> i64 {
        let shift = 64 - port.width;
        ((self.get(port) << shift) as i64) >> shift
    }

    /// Evaluates the combinational logic with the current inputs, without a clock edge.
    pub fn eval(&mut self) {
        self.pin().eval();
    }

    /// `n` clock cycles (rising then falling edge).
    pub fn tick(&mut self, n: u64) {
        self.pin().tick(n);
    }

    /// Ticks until `port` reads non-zero after a cycle, at most `limit` cycles. Returns the number of cycles
    /// ticked, or `None` if the port was still zero after `limit` cycles.
    pub fn run_until(&mut self, port: Port, limit: u64) -> Option<u64> {
        let n = self.pin().run_until(port.index, limit);
        (self.get(port) != 0).then_some(n)
    }

    /// Rising clock edges since construction.
    pub fn cycle(&self) -> u64 {
        self.inner.cycle()
    }

    /// Whether this model can record a VCD (it was verilated with `--trace`).
    pub fn traceable(&self) -> bool {
        self.info.trace
    }

    /// Starts a VCD trace into `path` that records only the cycles in `window` (absolute cycle numbers, as
    /// [`Model::cycle`] counts them); a trace already open is closed first. A model verilated without
    /// `--trace` gives [`SimError::NotTraceable`].
    pub fn trace(&mut self, path: &Path, window: Range<u64>) -> Result<(), SimError> {
        if !self.info.trace {
            return Err(SimError::NotTraceable { model: self.info.name });
        }
        let p = path.to_str().ok_or_else(|| SimError::Trace {
            path: path.display().to_string(),
            message: "the path is not valid UTF-8".into(),
        })?;
        self.pin()
            .trace_open(p, window.start, window.end)
            .map_err(|e| SimError::Trace {
                path: path.display().to_string(),
                message: e.what().to_string(),
            })
    }

    /// Whether a trace is open.
    pub fn tracing(&self) -> bool {
        self.inner.tracing()
    }

    /// Flushes the trace file.
    pub fn trace_flush(&mut self) {
        self.pin().trace_flush();
    }

    /// Closes the trace (no-op when none is open). Dropping the model closes it too.
    pub fn trace_close(&mut self) {
        self.pin().trace_close();
    }

    /// Declares the ports of a valid/strobe host bus (the accelerator's, see `host::regmap`), for
    /// [`Model::bus_write`] and [`Model::bus_read`]: whole bus cycles run in C++, one call per block.
    pub fn set_bus(&mut self, bus: &BusPorts) {
        self.pin().bus_ports(
            bus.addr.index,
            bus.wdata.index,
            bus.write.index,
            bus.read.index,
            bus.rdata.index,
            bus.rvalid.index,
        );
    }

    /// Writes `words` to consecutive (16-bit word) addresses from `addr`, one write cycle (one clock, strobe
    /// high) each, in one call into C++. Needs [`Model::set_bus`] first.
    pub fn bus_write(&mut self, addr: u16, words: &[u32]) -> Result<(), SimError> {
        check_span(addr, words.len())?;
        self.pin()
            .bus_write(u32::from(addr), words)
            .map_err(|e| SimError::Model(e.what().to_string()))
    }

    /// Reads `out.len()` consecutive words from `addr` in one call into C++: per word, the read strobe for
    /// one clock, then the data when `rvalid` rises, which must be exactly `latency` clocks after the strobe
    /// (else [`host::HostError::ReadLatency`] for that word). Needs [`Model::set_bus`] first.
    pub fn bus_read(&mut self, addr: u16, out: &mut [u32], latency: u32) -> Result<(), SimError> {
        check_span(addr, out.len())?;
        let n = self
            .pin()
            .bus_read(u32::from(addr), out, latency)
            .map_err(|e| SimError::Model(e.what().to_string()))? as usize;
        if n == out.len() {
            return Ok(());
        }
        let clocks = self.inner.last_read_clocks();
        Err(SimError::Host(host::HostError::ReadLatency {
            addr: addr + n as u16,
            expected: latency,
            got: (clocks != 0).then_some(clocks),
        }))
    }
}

/// A block of `len` words from `addr` must stay within the 16-bit address space.
fn check_span(addr: u16, len: usize) -> Result<(), SimError> {
    if usize::from(addr) + len > 0x1_0000 {
        return Err(SimError::protocol(format!(
            "block of {len} words from 0x{addr:04X} runs past address 0xFFFF"
        )));
    }
    Ok(())
}

/// The ports of a host bus, for [`Model::set_bus`].
#[derive(Clone, Copy, Debug)]
pub struct BusPorts {
    pub addr: Port,
    pub wdata: Port,
    pub write: Port,
    pub read: Port,
    pub rdata: Port,
    pub rvalid: Port,
}
