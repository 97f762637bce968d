//! The Verilated accelerator behind one safe type, whatever its lane count.
use std::ops::Range;
use std::path::Path;

use host::regmap::{self, DecoderKind, ErrorInfo, MemSizes};
use host::{Counters, HostBus, HostError};

use crate::model::{BusPorts, Model, Port};
use crate::SimError;

/// A Verilated accelerator compiled into this crate: one row of [`ACCELERATORS`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AccelModel {
    /// The model's name ([`Model::new`]): `accel_p4`, `accel_p4_notrace`, `accel_p4_serial`.
    pub name: &'static str,
    /// Lane count P.
    pub lanes: usize,
    /// The lanes' decoder.
    pub decoder: DecoderKind,
    /// The memories (CAPS).
    pub sizes: MemSizes,
    /// Verilated with `--trace`: can record a VCD. The copies without are faster.
    pub trace: bool,
}

// `pub const ACCELERATORS: &[AccelModel]`, written by build.rs from its list of accelerators.
include!(concat!(env!("OUT_DIR"), "/accelerators.rs"));

impl AccelModel {
    /// The model named `name`, if it is an accelerator.
    pub fn by_name(name: &str) -> Option<&'static AccelModel> {
        ACCELERATORS.iter().find(|m| m.name == name)
    }

    /// The accelerator with `lanes` lanes, `decoder` and the simulation memories
    /// ([`MemSizes::LARGE`]) that can record a VCD.
    pub fn find(lanes: usize, decoder: DecoderKind) -> Option<&'static AccelModel> {
        ACCELERATORS
            .iter()
            .find(|m| m.lanes == lanes && m.decoder == decoder && m.sizes == MemSizes::LARGE && m.trace)
    }

    /// The fastest accelerator with `lanes` lanes, `decoder` and memories `sizes`: the copy
    /// without `--trace` where there is one, else one that traces.
    pub fn find_sized(lanes: usize, decoder: DecoderKind, sizes: MemSizes) -> Option<&'static AccelModel> {
        let matching = || {
            ACCELERATORS
                .iter()
                .filter(move |m| m.lanes == lanes && m.decoder == decoder && m.sizes == sizes)
        };
        matching().find(|m| !m.trace).or_else(|| matching().next())
    }

    /// The fastest accelerator with `lanes` lanes, `decoder` and the simulation memories
    /// ([`MemSizes::LARGE`]): [`AccelModel::find_sized`].
    pub fn find_fastest(lanes: usize, decoder: DecoderKind) -> Option<&'static AccelModel> {
        Self::find_sized(lanes, decoder, MemSizes::LARGE)
    }

    /// The UP5K SPRAM configuration ([`MemSizes::SPRAM`]: P = 2, bit-serial decoder).
    pub fn spram() -> &'static AccelModel {
        Self::find_sized(2, DecoderKind::Serial, MemSizes::SPRAM).expect("sim/build.rs builds the SPRAM model")
    }
}

/// The lane counts compiled in with `decoder`, ascending.
pub fn lanes_for(decoder: DecoderKind) -> Vec<usize> {
    let mut lanes: Vec<usize> = ACCELERATORS
        .iter()
        .filter(|m| m.decoder == decoder && m.sizes == MemSizes::LARGE)
        .map(|m| m.lanes)
        .collect();
    lanes.sort_unstable();
    lanes.dedup();
    lanes
}

/// Clocks given to a soft reset to settle.
const RESET_SETTLE: u64 = 4;
/// Clocks to wait for DONE to drop after START before calling it a protocol error.
const START_SETTLE: u64 = 8;

fn no_accelerator(lanes: usize, decoder: DecoderKind) -> SimError {
    SimError::NoAccelerator {
        lanes,
        decoder: decoder.name(),
        available: format!("{:?}", lanes_for(decoder)),
    }
}

/// A Verilated BackSlash accelerator: host bus cycles, clock ticks, run-until-done with a cycle limit,
/// windowed VCD tracing and the performance counters.
///
/// Two builds of the same Verilog exist per lane count: one verilated with `--trace`, which can record a VCD,
/// and (for the lane counts that have one) a faster copy without. [`Accelerator::new`] takes the fastest;
/// [`Accelerator::new_traceable`] the one that can trace. They compute the same, clock for clock (tests/it/cosim.rs
/// checks it).
pub struct Accelerator {
    model: Model,
    lanes: usize,
    irq: Port,
}

/// How a run ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RunOutcome {
    /// Clocks ticked from the START write until DONE was seen (the CYCLES register counts the same run
    /// from the hardware's side).
    pub ticks: u64,
    /// The error the hardware reported, if STATUS says so.
    pub error: Option<ErrorInfo>,
}

impl Accelerator {
    /// A fresh accelerator with `lanes` lanes ([`lanes_for`]), soft-reset and ready: the fastest model
    /// compiled in, which may be one that cannot record a VCD ([`Accelerator::trace`] then fails with
    /// [`SimError::NotTraceable`]; use [`Accelerator::new_traceable`]).
    pub fn new(lanes: usize) -> Result<Accelerator, SimError> {
        Self::with_decoder(lanes, DecoderKind::Pipelined)
    }

    /// [`Accelerator::new`] with `decoder` in the lanes (lane counts [`lanes_for`]).
    pub fn with_decoder(lanes: usize, decoder: DecoderKind) -> Result<Accelerator, SimError> {
        Self::open(AccelModel::find_fastest(lanes, decoder).ok_or_else(|| no_accelerator(lanes, decoder))?)
    }

    /// A fresh accelerator with `lanes` lanes that can record a VCD ([`Accelerator::trace`]). Slower than
    /// [`Accelerator::new`]'s model even while no VCD is open.
    pub fn new_traceable(lanes: usize) -> Result<Accelerator, SimError> {
        Self::traceable_with_decoder(lanes, DecoderKind::Pipelined)
    }

    /// [`Accelerator::new_traceable`] with `decoder` in the lanes.
    pub fn traceable_with_decoder(lanes: usize, decoder: DecoderKind) -> Result<Accelerator, SimError> {
        Self::open(AccelModel::find(lanes, decoder).ok_or_else(|| no_accelerator(lanes, decoder))?)
    }

    /// A fresh accelerator of the model `m` (one of [`ACCELERATORS`]), soft-reset and ready.
    pub fn open(m: &AccelModel) -> Result<Accelerator, SimError> {
        let lanes = m.lanes;
        let mut model = Model::new(m.name)?;
        let bus = BusPorts {
            addr: model.input("host_addr")?,
            wdata: model.input("host_wdata")?,
            write: model.input("host_write")?,
            read: model.input("host_read")?,
            rdata: model.output("host_rdata")?,
            rvalid: model.output("host_rvalid")?,
        };
        model.set_bus(&bus);
        let irq = model.output("irq")?;
        let mut acc = Accelerator { model, lanes, irq };
        acc.reset()?;
        Ok(acc)
    }

    /// Whether this accelerator can record a VCD (see [`Accelerator::new_traceable`]).
    pub fn traceable(&self) -> bool {
        self.model.traceable()
    }

    /// Lane count P.
    pub fn lanes(&self) -> usize {
        self.lanes
    }

    /// Soft reset through CTRL (aborts a run, clears DONE/ERROR and the counters; configuration and
    /// memories keep their contents), then a few clocks to settle.
    pub fn reset(&mut self) -> Result<(), SimError> {
        self.write(regmap::REG_CTRL, regmap::CTRL_SOFT_RESET)?;
        self.model.tick(RESET_SETTLE);
        Ok(())
    }

    /// `n` clock cycles with the bus idle.
    pub fn tick(&mut self, n: u64) {
        self.model.tick(n);
    }

    /// Clock cycles since the model was constructed.
    pub fn cycle(&self) -> u64 {
        self.model.cycle()
    }

    /// The `irq` output (DONE).
    pub fn irq(&self) -> bool {
        self.model.get(self.irq) != 0
    }

    /// Writes START and waits until DONE has dropped (the run is under way).
    pub fn start(&mut self) -> Result<(), SimError> {
        self.write(regmap::REG_CTRL, regmap::CTRL_START)?;
        let mut n = 0;
        while self.irq() {
            if n == START_SETTLE {
                return Err(SimError::protocol(format!(
                    "DONE still high {START_SETTLE} clocks after START"
                )));
            }
            self.model.tick(1);
            n += 1;
        }
        Ok(())
    }

    /// Ticks until DONE (`irq`), at most `limit` clocks; a run that does not finish is [`HostError::Hang`]
    /// with the cycle count. Returns the clocks ticked and the hardware's error, if any.
    pub fn run_until_done(&mut self, limit: u64) -> Result<RunOutcome, SimError> {
        if self.irq() {
            return Err(SimError::protocol(
                "run_until_done without a run in progress (DONE is high)",
            ));
        }
        let ticks = self
            .model
            .run_until(self.irq, limit)
            .ok_or(HostError::Hang { cycles: limit })?;
        let status = self.read(regmap::REG_STATUS)?;
        let error = if status & regmap::STATUS_ERROR != 0 {
            let e = self.read(regmap::REG_ERROR)?;
            let pos = self.read(regmap::REG_ERROR_POS)?;
            Some(ErrorInfo::decode(e, pos))
        } else {
            None
        };
        Ok(RunOutcome { ticks, error })
    }

    /// START then [`Accelerator::run_until_done`].
    pub fn run(&mut self, limit: u64) -> Result<RunOutcome, SimError> {
        self.start()?;
        self.run_until_done(limit)
    }

    /// The performance counters of the last run.
    pub fn counters(&mut self) -> Result<Counters, SimError> {
        Ok(Counters::read(self)?)
    }

    /// Starts a VCD trace into `path` recording only the clock cycles in `window` (absolute, as
    /// [`Accelerator::cycle`] counts them; VCD time is 10 units per cycle). Needs a traceable model
    /// ([`Accelerator::new_traceable`]), else [`SimError::NotTraceable`].
    pub fn trace(&mut self, path: &Path, window: Range<u64>) -> Result<(), SimError> {
        self.model.trace(path, window)
    }

    /// Flushes and closes the trace.
    pub fn trace_close(&mut self) {
        self.model.trace_close();
    }

    /// The underlying model, for direct port access.
    pub fn model(&mut self) -> &mut Model {
        &mut self.model
    }
}

impl HostBus for Accelerator {
    /// One write cycle: address and data with `host_write` high for one clock.
    fn write(&mut self, addr: u16, data: u32) -> Result<(), HostError> {
        Ok(self.model.bus_write(addr, &[data])?)
    }

    /// One read: `host_read` high for one clock, then `host_rvalid` must rise exactly
    /// [`regmap::READ_LATENCY`] clocks after the strobe.
    fn read(&mut self, addr: u16) -> Result<u32, HostError> {
        let mut w = [0];
        self.model.bus_read(addr, &mut w, regmap::READ_LATENCY)?;
        Ok(w[0])
    }

    /// Back-to-back write cycles, all in one call into C++.
    fn write_block(&mut self, addr: u16, words: &[u32]) -> Result<(), HostError> {
        Ok(self.model.bus_write(addr, words)?)
    }

    /// Reads one after the other, all in one call into C++.
    fn read_block(&mut self, addr: u16, count: usize) -> Result<Vec<u32>, HostError> {
        let mut w = vec![0; count];
        self.model.bus_read(addr, &mut w, regmap::READ_LATENCY)?;
        Ok(w)
    }

    /// START, then waits until DONE has dropped.
    fn start(&mut self) -> Result<(), HostError> {
        Ok(Accelerator::start(self)?)
    }

    /// Idle clocks (the image loader's time per LOAD_DATA word).
    fn pause(&mut self, clocks: u32) -> Result<(), HostError> {
        self.model.tick(u64::from(clocks));
        Ok(())
    }

    fn clock(&self) -> Option<u64> {
        Some(self.cycle())
    }

    /// Ticks (in C++, without a bus cycle per clock) until `irq` rises, at most `limit` clocks.
    fn wait_done(&mut self, limit: u64) -> Result<(), HostError> {
        if self.irq() {
            return Ok(());
        }
        self.model
            .run_until(self.irq, limit)
            .map(|_| ())
            .ok_or(HostError::Hang { cycles: limit })
    }
}
