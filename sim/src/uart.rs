//! A byte stream whose other end is the RX/TX pins of a Verilated UART core (bridge + device), bit
//! by bit: the host's [`host::serial::SerialLink`] runs over it exactly as over a real serial port,
//! so the whole board top is tested with the same driver.
use host::uart::UartDecoder;
use std::collections::VecDeque;
use std::io::{ErrorKind, Read, Write};

/// The longest boot from flash [`VerilatedUart::with_flash`] waits for: a 65536-word image at 64
/// clocks per word, and the wake-up.
pub const BOOT_LIMIT: u64 = 65_537 * hdl::flash_boot::CLOCKS_PER_WORD + 4096;

/// A byte stream to the UART pins of a Verilated UART core (ports `clock`, `uart_rx`, `uart_tx`,
/// `irq`): writes are serialised onto `uart_rx` bit by bit (8N1, `cycles_per_bit` clocks per
/// bit), `uart_tx` is decoded every clock; a read that waits longer than `timeout_cycles` clocks
/// returns `ErrorKind::TimedOut`.
pub struct VerilatedUart {
    model: crate::Model,
    rx: crate::Port,
    tx: crate::Port,
    /// The SPI flash on the booter's pins, if the core has them.
    flash: Option<Flash>,
    cycles_per_bit: u32,
    decoder: UartDecoder,
    received: VecDeque<u8>,
    /// Clocks a read waits for a byte.
    pub timeout_cycles: u64,
}

/// A SPI flash model on a core's booter pins (`flash_sck`, `flash_csn`, `flash_mosi`, `flash_miso`).
struct Flash {
    model: hdl_flash::SpiFlashModel,
    sck: crate::Port,
    csn: crate::Port,
    mosi: crate::Port,
    miso: crate::Port,
}

use hdl::flash_boot as hdl_flash;

impl VerilatedUart {
    /// Opens a Verilated UART core and idles its line for 4 bit periods. A core with the flash
    /// booter sees an erased flash (its loader then reports FORMAT, and the host loads over the UART).
    pub fn new(model: crate::Model, cycles_per_bit: u32) -> Result<Self, crate::SimError> {
        Self::with_flash(model, cycles_per_bit, None)
    }

    /// Like [`VerilatedUart::new`] for a core with the flash booter, its flash holding `flash`
    /// (from byte 0; `None`: erased); waits (at most `BOOT_LIMIT` clocks) until `booting` falls.
    pub fn with_flash(
        model: crate::Model,
        cycles_per_bit: u32,
        flash: Option<hdl_flash::SpiFlashModel>,
    ) -> Result<Self, crate::SimError> {
        let rx = model.input("uart_rx")?;
        let tx = model.output("uart_tx")?;
        let flash = match model.output("flash_sck") {
            Ok(sck) => Some(Flash {
                model: flash.unwrap_or_else(|| hdl_flash::SpiFlashModel::new(Vec::new())),
                sck,
                csn: model.output("flash_csn")?,
                mosi: model.output("flash_mosi")?,
                miso: model.input("flash_miso")?,
            }),
            Err(_) if flash.is_some() => {
                return Err(crate::SimError::protocol("this UART core has no flash booter pins"));
            }
            Err(_) => None,
        };
        let booting = flash.as_ref().map(|_| model.output("booting")).transpose()?;
        let mut u = VerilatedUart {
            model,
            rx,
            tx,
            flash,
            cycles_per_bit,
            decoder: UartDecoder::new(cycles_per_bit),
            received: VecDeque::new(),
            // A response starts within a few clocks of the request, or of the device's reply.
            timeout_cycles: 40 * u64::from(cycles_per_bit) + 2000,
        };
        u.model.set(u.rx, 1);
        if let Some(f) = &u.flash {
            u.model.set(f.miso, 1);
        }
        for _ in 0..4 * cycles_per_bit {
            u.clock();
        }
        if let Some(b) = booting {
            let mut n = 0u64;
            while u.model.get(b) != 0 {
                if n == BOOT_LIMIT {
                    return Err(crate::SimError::protocol(format!(
                        "still booting from flash after {BOOT_LIMIT} clocks"
                    )));
                }
                u.clock();
                n += 1;
            }
        }
        Ok(u)
    }

    /// The flash model, if the core has the booter.
    pub fn flash(&self) -> Option<&hdl_flash::SpiFlashModel> {
        self.flash.as_ref().map(|f| &f.model)
    }

    /// The model (for cycle counts and tracing).
    pub fn model(&mut self) -> &mut crate::Model {
        &mut self.model
    }

    /// Bytes with a low stop bit seen on `uart_tx`.
    pub fn framing_errors(&self) -> u32 {
        self.decoder.framing_errors
    }

    fn clock(&mut self) {
        self.model.tick(1);
        if let Some(f) = &mut self.flash {
            let pin = |p| self.model.get(p) != 0;
            let miso = f.model.step(pin(f.csn), pin(f.sck), pin(f.mosi));
            self.model.set(f.miso, u64::from(miso));
        }
        let level = self.model.get(self.tx) != 0;
        if let Some(b) = self.decoder.sample(level) {
            self.received.push_back(b);
        }
    }

    fn send_bit(&mut self, level: bool) {
        self.model.set(self.rx, u64::from(level));
        for _ in 0..self.cycles_per_bit {
            self.clock();
        }
    }
}

impl Write for VerilatedUart {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        for &b in buf {
            self.send_bit(false);
            for i in 0..8 {
                self.send_bit((b >> i) & 1 == 1);
            }
            self.send_bit(true);
        }
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl Read for VerilatedUart {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        if buf.is_empty() {
            return Ok(0);
        }
        let mut waited = 0;
        while self.received.is_empty() {
            if waited == self.timeout_cycles {
                return Err(std::io::Error::new(ErrorKind::TimedOut, "no byte on uart_tx"));
            }
            self.clock();
            waited += 1;
        }
        let mut n = 0;
        while n < buf.len() {
            match self.received.pop_front() {
                Some(b) => {
                    buf[n] = b;
                    n += 1;
                }
                None => break,
            }
        }
        Ok(n)
    }
}
