//! The host side of the accelerator's bus, as a trait: the [`crate::Driver`] runs over any transport that
//! implements it (the Verilated [`crate::Accelerator`] here; a serial port to a board in `serial.rs`).
use hdl::regmap;

use crate::SimError;

/// Word reads and writes on the accelerator's host bus (word addresses, 32-bit data; see `hdl::regmap`).
pub trait HostBus {
    /// Writes one register or memory word.
    fn write(&mut self, addr: u16, data: u32) -> Result<(), SimError>;

    /// Reads one register or memory word.
    fn read(&mut self, addr: u16) -> Result<u32, SimError>;

    /// Writes consecutive words starting at `addr` (a transport may batch them).
    fn write_block(&mut self, addr: u16, words: &[u32]) -> Result<(), SimError> {
        for (i, &w) in words.iter().enumerate() {
            let a = u32::from(addr) + i as u32;
            let a = u16::try_from(a)
                .map_err(|_| SimError::Protocol(format!("block write past address 0xFFFF from 0x{addr:04X}")))?;
            self.write(a, w)?;
        }
        Ok(())
    }

    /// Reads `count` consecutive words starting at `addr` (a transport may batch them).
    fn read_block(&mut self, addr: u16, count: usize) -> Result<Vec<u32>, SimError> {
        (0..count)
            .map(|i| {
                let a = u16::try_from(u32::from(addr) + i as u32)
                    .map_err(|_| SimError::Protocol(format!("block read past address 0xFFFF from 0x{addr:04X}")))?;
                self.read(a)
            })
            .collect()
    }

    /// Starts one run (CTRL.START).
    fn start(&mut self) -> Result<(), SimError> {
        self.write(regmap::REG_CTRL, regmap::CTRL_START)
    }

    /// The accelerator clock count, if the transport knows it (a simulator does, a board does not).
    fn clock(&self) -> Option<u64> {
        None
    }

    /// Waits until STATUS shows DONE. `limit` bounds the wait in accelerator clocks; a transport that cannot
    /// count clocks (a board) turns it into a timeout. The default polls STATUS, at most `limit` times,
    /// and fails with [`SimError::Hang`].
    fn wait_done(&mut self, limit: u64) -> Result<(), SimError> {
        for _ in 0..limit.max(1) {
            if self.read(regmap::REG_STATUS)? & regmap::STATUS_DONE != 0 {
                return Ok(());
            }
        }
        Err(SimError::Hang { cycles: limit })
    }
}

impl<B: HostBus + ?Sized> HostBus for &mut B {
    fn write(&mut self, addr: u16, data: u32) -> Result<(), SimError> {
        (**self).write(addr, data)
    }
    fn read(&mut self, addr: u16) -> Result<u32, SimError> {
        (**self).read(addr)
    }
    fn write_block(&mut self, addr: u16, words: &[u32]) -> Result<(), SimError> {
        (**self).write_block(addr, words)
    }
    fn read_block(&mut self, addr: u16, count: usize) -> Result<Vec<u32>, SimError> {
        (**self).read_block(addr, count)
    }
    fn start(&mut self) -> Result<(), SimError> {
        (**self).start()
    }
    fn clock(&self) -> Option<u64> {
        (**self).clock()
    }
    fn wait_done(&mut self, limit: u64) -> Result<(), SimError> {
        (**self).wait_done(limit)
    }
}
