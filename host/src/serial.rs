//! The host driver's serial transport: host-bus reads and writes carried as UART frames of the
//! bridge's protocol ([`crate::uart`], docs/uart.md), over any byte stream.
//!
//! - [`SerialLink`]: the protocol over a `Read + Write` byte stream: a real serial port
//!   ([`SerialLink::open`], the `serialport` crate) or a simulated one.
//! A Verilated UART core is another such byte stream (`sim::uart::VerilatedUart`), so the whole
//! board top is tested with the same driver.

use crate::uart::{
    Request, Response, PING_MAGIC, RESP_LEN, RESP_SYNC, STATUS_BAD_CMD, STATUS_BAD_CRC, STATUS_OK, STATUS_TIMEOUT,
};
use std::io::{ErrorKind, Read, Write};
use std::time::Duration;

/// Errors of the serial transport.
#[derive(Debug, thiserror::Error)]
pub enum SerialError {
    /// The port could not be opened or configured.
    #[error("cannot open serial port {port}: {message}")]
    Open { port: String, message: String },
    /// Reading or writing the port failed.
    #[error("serial I/O: {0}")]
    Io(#[from] std::io::Error),
    /// No (valid) response after all retries.
    #[error("no valid response to {request:?} after {attempts} attempts ({last})")]
    NoResponse {
        request: Request,
        attempts: u32,
        last: String,
    },
    /// The board rejected the command.
    #[error("the board rejected {request:?} as an unknown command")]
    BadCommand { request: Request },
    /// The device behind the bridge never answered a read.
    #[error("the device did not answer the read of 0x{addr:04x} (no host_rvalid)")]
    DeviceTimeout { addr: u16 },
    /// The other end answers, but is not a BackSlash UART bridge.
    #[error(
        "ping answered 0x{got:08x}, expected 0x{PING_MAGIC:08x}: not a BackSlash board (or another protocol version)"
    )]
    NotABridge { got: u32 },
}

/// Counters of a link.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct LinkStats {
    /// Requests sent (including retries).
    pub requests: u64,
    /// Requests repeated after a NAK, a garbled or a missing response.
    pub retries: u64,
    /// Bytes skipped while looking for a response's SYNC.
    pub skipped_bytes: u64,
}

/// The bridge protocol over a byte stream. Reads of the stream must time out (return
/// `ErrorKind::TimedOut` or `WouldBlock`) rather than block forever.
pub struct SerialLink<P: Read + Write> {
    port: P,
    /// Attempts per request (1 = no retry).
    pub attempts: u32,
    stats: LinkStats,
    last_irq: bool,
}

/// A serial port as [`open_port`] returns it.
pub use serialport::SerialPort;

/// Opens a serial port (8N1, no flow control) at `baud` with a read timeout.
pub fn open_port(path: &str, baud: u32, timeout: Duration) -> Result<Box<dyn SerialPort>, SerialError> {
    serialport::new(path, baud)
        .timeout(timeout)
        .data_bits(serialport::DataBits::Eight)
        .parity(serialport::Parity::None)
        .stop_bits(serialport::StopBits::One)
        .flow_control(serialport::FlowControl::None)
        .open()
        .map_err(|e| SerialError::Open {
            port: path.to_string(),
            message: e.to_string(),
        })
}

impl SerialLink<Box<dyn serialport::SerialPort>> {
    /// Opens a serial port ([`open_port`]) and a link over it.
    pub fn open(path: &str, baud: u32, timeout: Duration) -> Result<Self, SerialError> {
        Ok(SerialLink::new(open_port(path, baud, timeout)?))
    }
}

impl<P: Read + Write> SerialLink<P> {
    /// A link over `port`, 3 attempts per request.
    pub fn new(port: P) -> Self {
        SerialLink {
            port,
            attempts: 3,
            stats: LinkStats::default(),
            last_irq: false,
        }
    }

    /// Counters so far.
    pub fn stats(&self) -> LinkStats {
        self.stats
    }

    /// The irq flag of the last response.
    pub fn irq(&self) -> bool {
        self.last_irq
    }

    /// The stream underneath.
    pub fn port_mut(&mut self) -> &mut P {
        &mut self.port
    }

    /// Checks the other end is a bridge of this protocol version.
    pub fn ping(&mut self) -> Result<(), SerialError> {
        let r = self.transact(Request::Ping)?;
        if r.data != PING_MAGIC {
            return Err(SerialError::NotABridge { got: r.data });
        }
        Ok(())
    }

    /// Host-bus read of a word address.
    pub fn read(&mut self, addr: u16) -> Result<u32, SerialError> {
        Ok(self.transact(Request::Read { addr })?.data)
    }

    /// Host-bus write of a word address. A write whose response was lost is repeated: writes to
    /// registers and memories are idempotent; a repeated CTRL.START of a finished layer recomputes
    /// the same outputs.
    pub fn write(&mut self, addr: u16, data: u32) -> Result<(), SerialError> {
        self.transact(Request::Write { addr, data }).map(|_| ())
    }

    /// Sends one request and returns its OK response, retrying on a NAK (a corrupted request),
    /// a corrupted response or none at all.
    pub fn transact(&mut self, request: Request) -> Result<Response, SerialError> {
        let frame = request.encode();
        let mut last = String::new();
        for _ in 0..self.attempts.max(1) {
            self.stats.requests += 1;
            self.port.write_all(&frame)?;
            self.port.flush()?;
            match self.read_response() {
                Ok(Some(r)) => {
                    self.last_irq = r.irq();
                    match r.code() {
                        STATUS_OK => return Ok(r),
                        STATUS_BAD_CRC => last = "the board saw a bad CRC".into(),
                        STATUS_BAD_CMD => return Err(SerialError::BadCommand { request }),
                        STATUS_TIMEOUT => {
                            let addr = match request {
                                Request::Read { addr } => addr,
                                _ => 0,
                            };
                            return Err(SerialError::DeviceTimeout { addr });
                        }
                        c => last = format!("unknown status code {c}"),
                    }
                }
                Ok(None) => last = "timed out".into(),
                Err(e) => last = e,
            }
            self.stats.retries += 1;
            // Let a partial frame on either side time out before the next attempt.
            self.drain()?;
        }
        self.stats.retries -= 1;
        Err(SerialError::NoResponse {
            request,
            attempts: self.attempts.max(1),
            last,
        })
    }

    /// Reads one response: skips bytes until RESP_SYNC, then 6 more. `Ok(None)` on a timeout,
    /// `Err(text)` for a garbled frame.
    fn read_response(&mut self) -> Result<Option<Response>, String> {
        let mut f = [0u8; RESP_LEN];
        loop {
            match self.read_byte().map_err(|e| e.to_string())? {
                None => return Ok(None),
                Some(RESP_SYNC) => break,
                Some(_) => self.stats.skipped_bytes += 1,
            }
        }
        f[0] = RESP_SYNC;
        for b in f.iter_mut().skip(1) {
            match self.read_byte().map_err(|e| e.to_string())? {
                None => return Ok(None),
                Some(x) => *b = x,
            }
        }
        Response::decode(&f).map(Some).map_err(|e| e.to_string())
    }

    fn read_byte(&mut self) -> std::io::Result<Option<u8>> {
        let mut b = [0u8; 1];
        loop {
            match self.port.read(&mut b) {
                Ok(1) => return Ok(Some(b[0])),
                Ok(_) => return Ok(None),
                Err(e) if matches!(e.kind(), ErrorKind::TimedOut | ErrorKind::WouldBlock) => return Ok(None),
                Err(e) if e.kind() == ErrorKind::Interrupted => continue,
                Err(e) => return Err(e),
            }
        }
    }

    /// Discards input until the line has been quiet for one read timeout.
    fn drain(&mut self) -> Result<(), SerialError> {
        while self.read_byte()?.is_some() {
            self.stats.skipped_bytes += 1;
        }
        Ok(())
    }
}

impl From<SerialError> for crate::HostError {
    fn from(e: SerialError) -> Self {
        match e {
            SerialError::Io(e) => crate::HostError::Io(e),
            e => crate::HostError::Protocol(e.to_string()),
        }
    }
}

/// The driver's bus over the serial link: each word is one frame. `wait_done` polls STATUS and
/// uses the irq flag every response carries.
impl<P: Read + Write> crate::HostBus for SerialLink<P> {
    fn write(&mut self, addr: u16, data: u32) -> Result<(), crate::HostError> {
        Ok(SerialLink::write(self, addr, data)?)
    }

    fn read(&mut self, addr: u16) -> Result<u32, crate::HostError> {
        Ok(SerialLink::read(self, addr)?)
    }
}
