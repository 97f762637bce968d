//! A byte stream whose other end is the RX/TX pins of a Verilated UART core (bridge + device), bit
//! by bit: the host's [`host::serial::SerialLink`] runs over it exactly as over a real serial port,
//! so the whole board top is tested with the same driver.
use host::uart::UartDecoder;
use std::collections::VecDeque;
use std::io::{ErrorKind, Read, Write};

/// A byte stream to the UART pins of a Verilated UART core (ports `clock`, `uart_rx`, `uart_tx`,
/// `irq`): writes are serialised onto `uart_rx` bit by bit (8N1, `cycles_per_bit` clocks per
/// bit), `uart_tx` is decoded every clock; a read that waits longer than `timeout_cycles` clocks
/// returns `ErrorKind::TimedOut`.
pub struct VerilatedUart {
    model: crate::Model,
    rx: crate::Port,
    tx: crate::Port,
    cycles_per_bit: u32,
    decoder: UartDecoder,
    received: VecDeque<u8>,
    /// Clocks a read waits for a byte.
    pub timeout_cycles: u64,
}

impl VerilatedUart {
    /// Opens a Verilated UART core and idles its line for 4 bit periods.
    pub fn new(model: crate::Model, cycles_per_bit: u32) -> Result<Self, crate::SimError> {
        let rx = model.input("uart_rx")?;
        let tx = model.output("uart_tx")?;
        let mut u = VerilatedUart {
            model,
            rx,
            tx,
            cycles_per_bit,
            decoder: UartDecoder::new(cycles_per_bit),
            received: VecDeque::new(),
            // A response starts within a few clocks of the request, or of the device's reply.
            timeout_cycles: 40 * u64::from(cycles_per_bit) + 2000,
        };
        u.model.set(u.rx, 1);
        for _ in 0..4 * cycles_per_bit {
            u.clock();
        }
        Ok(u)
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
