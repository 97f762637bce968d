//! The host side of the accelerator's bus, as a trait: the [`crate::Driver`] runs over any transport that
//! implements it (a serial port to a board, [`crate::serial`]; the Verilated accelerator, `sim::Accelerator`).
use crate::regmap;

use crate::HostError;

/// Word reads and writes on the accelerator's host bus (word addresses, 32-bit data; see [`crate::regmap`]).
pub trait HostBus {
    /// Writes one register or memory word.
    fn write(&mut self, addr: u16, data: u32) -> Result<(), HostError>;

    /// Reads one register or memory word.
    fn read(&mut self, addr: u16) -> Result<u32, HostError>;

    /// Writes consecutive words starting at `addr` (a transport may batch them).
    fn write_block(&mut self, addr: u16, words: &[u32]) -> Result<(), HostError> {
        for (i, &w) in words.iter().enumerate() {
            let a = u32::from(addr) + i as u32;
            let a = u16::try_from(a)
                .map_err(|_| HostError::Protocol(format!("block write past address 0xFFFF from 0x{addr:04X}")))?;
            self.write(a, w)?;
        }
        Ok(())
    }

    /// Reads `count` consecutive words starting at `addr` (a transport may batch them).
    fn read_block(&mut self, addr: u16, count: usize) -> Result<Vec<u32>, HostError> {
        (0..count)
            .map(|i| {
                let a = u16::try_from(u32::from(addr) + i as u32)
                    .map_err(|_| HostError::Protocol(format!("block read past address 0xFFFF from 0x{addr:04X}")))?;
                self.read(a)
            })
            .collect()
    }

    /// Starts one run (CTRL.START).
    fn start(&mut self) -> Result<(), HostError> {
        self.write(regmap::REG_CTRL, regmap::CTRL_START)
    }

    /// Leaves the bus idle for at least `clocks` accelerator clocks (the time the image loader needs
    /// per LOAD_DATA word, `regmap::LOAD_WORD_CLOCKS`). The default does nothing: for transports
    /// whose every access takes longer than that (a UART frame is hundreds of clocks).
    fn pause(&mut self, clocks: u32) -> Result<(), HostError> {
        let _ = clocks;
        Ok(())
    }

    /// The accelerator clock count, if the transport knows it (a simulator does, a board does not).
    fn clock(&self) -> Option<u64> {
        None
    }

    /// Waits until STATUS shows DONE. `limit` bounds the wait in accelerator clocks; a transport that cannot
    /// count clocks (a board) turns it into a timeout. The default polls STATUS, at most `limit` times,
    /// and fails with [`HostError::Hang`].
    fn wait_done(&mut self, limit: u64) -> Result<(), HostError> {
        poll_done(self, limit)
    }
}

/// Reads STATUS until it shows DONE, at most `limit` times (at least once); [`HostError::Hang`] if it
/// never does. The default [`HostBus::wait_done`]; a transport that checks more (a simulator checks
/// `irq`) calls it first.
pub fn poll_done<B: HostBus + ?Sized>(bus: &mut B, limit: u64) -> Result<(), HostError> {
    for _ in 0..limit.max(1) {
        if bus.read(regmap::REG_STATUS)? & regmap::STATUS_DONE != 0 {
            return Ok(());
        }
    }
    Err(HostError::Hang { cycles: limit })
}

impl<B: HostBus + ?Sized> HostBus for &mut B {
    fn write(&mut self, addr: u16, data: u32) -> Result<(), HostError> {
        (**self).write(addr, data)
    }
    fn read(&mut self, addr: u16) -> Result<u32, HostError> {
        (**self).read(addr)
    }
    fn write_block(&mut self, addr: u16, words: &[u32]) -> Result<(), HostError> {
        (**self).write_block(addr, words)
    }
    fn read_block(&mut self, addr: u16, count: usize) -> Result<Vec<u32>, HostError> {
        (**self).read_block(addr, count)
    }
    fn start(&mut self) -> Result<(), HostError> {
        (**self).start()
    }
    fn pause(&mut self, clocks: u32) -> Result<(), HostError> {
        (**self).pause(clocks)
    }
    fn clock(&self) -> Option<u64> {
        (**self).clock()
    }
    fn wait_done(&mut self, limit: u64) -> Result<(), HostError> {
        (**self).wait_done(limit)
    }
}

/// Everything the CYCLES and PERF registers say about the last run.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Counters {
    /// Clocks from START to DONE.
    pub cycles: u32,
    /// MAC cycles on non-zero weights.
    pub nonzero: u32,
    /// Zero weights consumed without a MAC cycle.
    pub zero_skipped: u32,
    /// MAC cycles spent on zero weights.
    pub zero_mac: u32,
    /// Lane-clocks stalled on the shared output stage.
    pub stall: u32,
}

impl Counters {
    /// Reads the counters of the last run over any host bus.
    pub fn read<B: HostBus + ?Sized>(bus: &mut B) -> Result<Counters, HostError> {
        Ok(Counters {
            cycles: bus.read(regmap::REG_CYCLES)?,
            nonzero: bus.read(regmap::REG_PERF_NONZERO)?,
            zero_skipped: bus.read(regmap::REG_PERF_ZERO_SKIPPED)?,
            zero_mac: bus.read(regmap::REG_PERF_ZERO_MAC)?,
            stall: bus.read(regmap::REG_PERF_STALL)?,
        })
    }

    /// Adds another run's counters (saturating).
    pub fn add(&mut self, o: &Counters) {
        self.cycles = self.cycles.saturating_add(o.cycles);
        self.nonzero = self.nonzero.saturating_add(o.nonzero);
        self.zero_skipped = self.zero_skipped.saturating_add(o.zero_skipped);
        self.zero_mac = self.zero_mac.saturating_add(o.zero_mac);
        self.stall = self.stall.saturating_add(o.stall);
    }
}
