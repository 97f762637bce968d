//! The UART host protocol in plain Rust: framing, CRC-8, commands, a frame encoder and parsers of
//! both directions (docs/uart.md). The hardware bridge (`hdl::uart_bridge`) implements it; the serial
//! transport ([`crate::serial`]) speaks it.

/// First byte of every request (host -> board).
pub const REQ_SYNC: u8 = 0xA5;
/// First byte of every response (board -> host).
pub const RESP_SYNC: u8 = 0x5A;
/// Request length in bytes: SYNC, CMD, ADDR_HI, ADDR_LO, D3, D2, D1, D0, CRC.
pub const REQ_LEN: usize = 9;
/// Response length in bytes: SYNC, STATUS, D3, D2, D1, D0, CRC.
pub const RESP_LEN: usize = 7;

/// Command: answer with [`PING_MAGIC`] (no bus access).
pub const CMD_PING: u8 = 0x00;
/// Command: read the word at ADDR; the response carries it.
pub const CMD_READ: u8 = 0x01;
/// Command: write D3..D0 to ADDR.
pub const CMD_WRITE: u8 = 0x02;

/// Status code: done.
pub const STATUS_OK: u8 = 0x00;
/// Status code: the request's CRC did not match; nothing was executed.
pub const STATUS_BAD_CRC: u8 = 0x01;
/// Status code: unknown command; nothing was executed.
pub const STATUS_BAD_CMD: u8 = 0x02;
/// Status code: the read was issued but the device never raised `host_rvalid`.
pub const STATUS_TIMEOUT: u8 = 0x03;
/// Mask of the status code in the STATUS byte.
pub const STATUS_CODE_MASK: u8 = 0x0F;
/// STATUS bit 7: the accelerator's `irq` line when the response was sent.
pub const STATUS_IRQ: u8 = 0x80;

/// Data of the response to [`CMD_PING`]: "BA5C", protocol version 1 in the low byte.
pub const PING_MAGIC: u32 = 0xBA5C_0001;

/// An idle gap of this many bit periods inside a request drops the partial frame (the bridge
/// goes back to hunting for [`REQ_SYNC`]). The host must send a request's bytes back to back.
pub const FRAME_TIMEOUT_BITS: u32 = 32;
/// Clocks the bridge waits for `host_rvalid` after `host_read` before answering TIMEOUT.
pub const READ_TIMEOUT_CLOCKS: u32 = 255;

/// CRC-8 with polynomial x^8+x^2+x+1 (0x07), initial value 0, MSB first, no final XOR
/// (CRC-8/SMBUS; check value of b"123456789" is 0xF4).
pub fn crc8(bytes: &[u8]) -> u8 {
    let mut crc = 0u8;
    for &b in bytes {
        crc = crc8_byte(crc, b);
    }
    crc
}

/// One byte of [`crc8`], bit by bit as the hardware does it.
pub fn crc8_byte(mut crc: u8, byte: u8) -> u8 {
    for i in (0..8).rev() {
        let fb = ((crc >> 7) ^ (byte >> i)) & 1;
        crc <<= 1;
        if fb == 1 {
            crc ^= 0x07;
        }
    }
    crc
}

/// A host-bus operation carried by one request.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Request {
    /// [`CMD_PING`].
    Ping,
    /// [`CMD_READ`] of a word address.
    Read { addr: u16 },
    /// [`CMD_WRITE`] of a word to a word address.
    Write { addr: u16, data: u32 },
}

impl Request {
    /// The request's 9 bytes.
    pub fn encode(&self) -> [u8; REQ_LEN] {
        let (cmd, addr, data) = match *self {
            Request::Ping => (CMD_PING, 0, 0),
            Request::Read { addr } => (CMD_READ, addr, 0),
            Request::Write { addr, data } => (CMD_WRITE, addr, data),
        };
        encode_raw(cmd, addr, data)
    }
}

/// A request frame with any command byte (tests send unknown commands with it).
pub fn encode_raw(cmd: u8, addr: u16, data: u32) -> [u8; REQ_LEN] {
    let mut f = [0u8; REQ_LEN];
    f[0] = REQ_SYNC;
    f[1] = cmd;
    f[2..4].copy_from_slice(&addr.to_be_bytes());
    f[4..8].copy_from_slice(&data.to_be_bytes());
    f[8] = crc8(&f[1..8]);
    f
}

/// A response, as the board sends it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Response {
    /// STATUS byte: code in the low nibble ([`STATUS_CODE_MASK`]), [`STATUS_IRQ`] in bit 7.
    pub status: u8,
    /// Read data ([`CMD_READ`]), [`PING_MAGIC`] ([`CMD_PING`]), else 0.
    pub data: u32,
}

impl Response {
    /// The response's 7 bytes.
    pub fn encode(&self) -> [u8; RESP_LEN] {
        let mut f = [0u8; RESP_LEN];
        f[0] = RESP_SYNC;
        f[1] = self.status;
        f[2..6].copy_from_slice(&self.data.to_be_bytes());
        f[6] = crc8(&f[1..6]);
        f
    }

    /// Parses exactly one response frame.
    pub fn decode(f: &[u8]) -> Result<Response, FrameError> {
        if f.len() != RESP_LEN {
            return Err(FrameError::Length {
                expected: RESP_LEN,
                got: f.len(),
            });
        }
        if f[0] != RESP_SYNC {
            return Err(FrameError::Sync {
                expected: RESP_SYNC,
                got: f[0],
            });
        }
        let crc = crc8(&f[1..6]);
        if crc != f[6] {
            return Err(FrameError::Crc {
                expected: crc,
                got: f[6],
            });
        }
        Ok(Response {
            status: f[1],
            data: u32::from_be_bytes([f[2], f[3], f[4], f[5]]),
        })
    }

    /// The status code (low nibble).
    pub fn code(&self) -> u8 {
        self.status & STATUS_CODE_MASK
    }

    /// The irq flag.
    pub fn irq(&self) -> bool {
        self.status & STATUS_IRQ != 0
    }
}

/// A malformed frame.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum FrameError {
    /// Wrong number of bytes.
    #[error("frame of {got} bytes, expected {expected}")]
    Length { expected: usize, got: usize },
    /// Wrong first byte.
    #[error("frame starts with 0x{got:02x}, expected 0x{expected:02x}")]
    Sync { expected: u8, got: u8 },
    /// CRC mismatch.
    #[error("frame CRC 0x{got:02x}, computed 0x{expected:02x}")]
    Crc { expected: u8, got: u8 },
}

/// What the board's frame parser makes of a complete request.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Parsed {
    /// A valid request: executed.
    Request(Request),
    /// CRC mismatch: answered with [`STATUS_BAD_CRC`], not executed.
    BadCrc,
    /// Unknown command with a good CRC: answered with [`STATUS_BAD_CMD`], not executed.
    BadCmd(u8),
}

/// The board side's request parser, byte by byte, exactly as the hardware bridge (`hdl::uart_bridge::UartBridge`) parses
/// (hunt for [`REQ_SYNC`], then 8 more bytes). The frame timeout is the caller's: call
/// [`RequestParser::reset`] after an idle gap. This is the reference of the hardware and a
/// fuzz target: any byte sequence must be accepted without panicking.
#[derive(Debug, Clone, Default)]
pub struct RequestParser {
    buf: Vec<u8>,
}

impl RequestParser {
    /// A parser hunting for SYNC.
    pub fn new() -> Self {
        Self::default()
    }

    /// Drops a partial frame.
    pub fn reset(&mut self) {
        self.buf.clear();
    }

    /// Whether a frame is partly received.
    pub fn in_frame(&self) -> bool {
        !self.buf.is_empty()
    }

    /// Feeds one byte; returns the outcome when it completes a frame.
    pub fn push(&mut self, byte: u8) -> Option<Parsed> {
        if self.buf.is_empty() {
            if byte == REQ_SYNC {
                self.buf.push(byte);
            }
            return None;
        }
        self.buf.push(byte);
        if self.buf.len() < REQ_LEN {
            return None;
        }
        let f = std::mem::take(&mut self.buf);
        Some(parse_request(&f))
    }
}

/// Parses a complete 9-byte request frame that starts with [`REQ_SYNC`].
fn parse_request(f: &[u8]) -> Parsed {
    if crc8(&f[1..8]) != f[8] {
        return Parsed::BadCrc;
    }
    let addr = u16::from_be_bytes([f[2], f[3]]);
    let data = u32::from_be_bytes([f[4], f[5], f[6], f[7]]);
    match f[1] {
        CMD_PING => Parsed::Request(Request::Ping),
        CMD_READ => Parsed::Request(Request::Read { addr }),
        CMD_WRITE => Parsed::Request(Request::Write { addr, data }),
        c => Parsed::BadCmd(c),
    }
}

/// The bridge's behaviour in plain Rust: feeds `bytes` to a [`RequestParser`], executes each
/// request on `bus` (`read(addr) -> Option<u32>`, `None` = no rvalid; `write(addr, data)`),
/// and returns the response bytes the board would send. `irq` is sampled per response.
pub fn reference_bridge(
    bytes: &[u8],
    mut read: impl FnMut(u16) -> Option<u32>,
    mut write: impl FnMut(u16, u32),
    mut irq: impl FnMut() -> bool,
) -> Vec<u8> {
    let mut p = RequestParser::new();
    let mut out = Vec::new();
    for &b in bytes {
        let Some(parsed) = p.push(b) else { continue };
        let (code, data) = match parsed {
            Parsed::BadCrc => (STATUS_BAD_CRC, 0),
            Parsed::BadCmd(_) => (STATUS_BAD_CMD, 0),
            Parsed::Request(Request::Ping) => (STATUS_OK, PING_MAGIC),
            Parsed::Request(Request::Write { addr, data }) => {
                write(addr, data);
                (STATUS_OK, 0)
            }
            Parsed::Request(Request::Read { addr }) => match read(addr) {
                Some(d) => (STATUS_OK, d),
                None => (STATUS_TIMEOUT, 0),
            },
        };
        let status = code | if irq() { STATUS_IRQ } else { 0 };
        out.extend_from_slice(&Response { status, data }.encode());
    }
    out
}

/// Serialises bytes as 8N1 line levels, `cycles_per_bit` samples per bit, LSB first, with
/// `idle_bits` high bit periods before each byte. Used by simulations that drive RX pins.
pub fn uart_waveform(bytes: &[u8], cycles_per_bit: u32, idle_bits: u32) -> Vec<bool> {
    let mut v = Vec::new();
    for &b in bytes {
        let mut bits = vec![true; idle_bits as usize];
        bits.push(false);
        bits.extend((0..8).map(|i| (b >> i) & 1 == 1));
        bits.push(true);
        for bit in bits {
            v.extend(std::iter::repeat_n(bit, cycles_per_bit as usize));
        }
    }
    v
}

/// A software 8N1 receiver, one line sample per call (the host side of a simulated TX pin).
#[derive(Debug, Clone)]
pub struct UartDecoder {
    cycles_per_bit: u32,
    /// 0 idle; otherwise counting inside a character.
    count: u32,
    busy: bool,
    shift: u16,
    bit: u32,
    /// Bytes whose stop bit was low.
    pub framing_errors: u32,
}

impl UartDecoder {
    /// A decoder for a line running at `cycles_per_bit` samples per bit.
    pub fn new(cycles_per_bit: u32) -> Self {
        UartDecoder {
            cycles_per_bit,
            count: 0,
            busy: false,
            shift: 0,
            bit: 0,
            framing_errors: 0,
        }
    }

    /// Feeds one sample of the line; returns a byte when its stop bit has been sampled.
    pub fn sample(&mut self, level: bool) -> Option<u8> {
        if !self.busy {
            if !level {
                self.busy = true;
                self.count = self.cycles_per_bit / 2;
                self.bit = 0;
                self.shift = 0;
            }
            return None;
        }
        self.count -= 1;
        if self.count > 0 {
            return None;
        }
        self.count = self.cycles_per_bit;
        match self.bit {
            0 => {
                if level {
                    self.busy = false; // a glitch, not a start bit
                }
            }
            1..=8 => self.shift |= u16::from(level) << (self.bit - 1),
            _ => {
                self.busy = false;
                if level {
                    return Some(self.shift as u8);
                }
                self.framing_errors += 1;
                return None;
            }
        }
        self.bit += 1;
        None
    }
}
