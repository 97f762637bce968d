//! The `uart` target (see [`uart`]).

use hdl::uart_bridge::protocol::{self as uart, Parsed, Request, Response};

/// The UART host protocol (golden side of the board's frame parser). Byte 0 picks the bit
/// period (8..=71 clocks, the range `cycles_per_bit` accepts starts at 8) and byte 1 the idle
/// gap (0..=3 bit periods); the rest is the byte stream a host sends.
///
/// Checks: the request parser's outcome for every frame matches an independent reading of the
/// 9 bytes (SYNC hunt, CRC-8, command); valid requests re-encode to their frame; the reference
/// bridge answers every frame with one well-formed response; any 7 bytes that decode as a
/// response re-encode to themselves; and the bytes survive the 8N1 line coder and decoder.
pub fn uart(data: &[u8]) {
    if data.len() < 2 {
        return;
    }
    let cycles_per_bit = 8 + u32::from(data[0] % 64);
    let idle_bits = u32::from(data[1] % 4);
    let bytes = &data[2..];

    // Request parser against the frame layout.
    let mut p = uart::RequestParser::new();
    let mut frame: Vec<u8> = Vec::new();
    let mut frames = 0usize;
    for &b in bytes {
        if frame.is_empty() && b != uart::REQ_SYNC {
            assert_eq!(p.push(b), None, "parser completed a frame outside one");
            assert!(!p.in_frame());
            continue;
        }
        frame.push(b);
        let got = p.push(b);
        if frame.len() < uart::REQ_LEN {
            assert_eq!(got, None, "parser completed a frame after {} bytes", frame.len());
            assert!(p.in_frame());
            continue;
        }
        frames += 1;
        let got = got.expect("a 9-byte frame must complete");
        assert!(!p.in_frame());
        let crc_ok = uart::crc8(&frame[1..8]) == frame[8];
        assert_eq!(uart::crc8(&frame[1..9]) == 0, crc_ok, "CRC-8 residue property");
        let addr = u16::from_be_bytes([frame[2], frame[3]]);
        let data_word = u32::from_be_bytes([frame[4], frame[5], frame[6], frame[7]]);
        match got {
            Parsed::BadCrc => assert!(!crc_ok, "good CRC reported bad"),
            Parsed::BadCmd(c) => {
                assert!(crc_ok);
                assert_eq!(c, frame[1]);
                assert!(![uart::CMD_PING, uart::CMD_READ, uart::CMD_WRITE].contains(&c));
                assert_eq!(uart::encode_raw(c, addr, data_word)[..], frame[..]);
            }
            Parsed::Request(r) => {
                assert!(crc_ok);
                let want = match frame[1] {
                    uart::CMD_PING => Request::Ping,
                    uart::CMD_READ => Request::Read { addr },
                    uart::CMD_WRITE => Request::Write { addr, data: data_word },
                    c => panic!("command {c:#04x} accepted"),
                };
                assert_eq!(r, want);
                // The fields a command ignores are written as zeros.
                let canonical = match r {
                    Request::Ping => addr == 0 && data_word == 0,
                    Request::Read { .. } => data_word == 0,
                    Request::Write { .. } => true,
                };
                if canonical {
                    assert_eq!(r.encode()[..], frame[..], "request does not re-encode to its frame");
                }
            }
        }
        frame.clear();
    }

    // The reference bridge on a small memory: one response per frame, each well formed.
    let mem = std::cell::RefCell::new([0u32; 16]);
    let out = uart::reference_bridge(
        bytes,
        |a| (a & 1 == 0).then(|| mem.borrow()[usize::from(a) % 16]),
        |a, d| mem.borrow_mut()[usize::from(a) % 16] = d,
        || false,
    );
    assert_eq!(out.len(), frames * uart::RESP_LEN, "one response per frame");
    for r in out.chunks_exact(uart::RESP_LEN) {
        let resp = Response::decode(r).expect("the bridge's own responses must decode");
        assert!(resp.code() <= uart::STATUS_TIMEOUT && !resp.irq());
    }

    // Response decoder on every 7-byte window.
    for w in bytes.windows(uart::RESP_LEN) {
        if let Ok(r) = Response::decode(w) {
            assert_eq!(r.encode()[..], w[..], "response does not re-encode to its frame");
        }
    }
    for len in 0..uart::RESP_LEN.min(bytes.len()) {
        assert!(Response::decode(&bytes[..len]).is_err(), "short response accepted");
    }

    // 8N1 line: the bytes (at most 64, to bound the waveform) survive coder and decoder.
    let line_bytes = &bytes[..bytes.len().min(64)];
    let wave = uart::uart_waveform(line_bytes, cycles_per_bit, idle_bits);
    let mut dec = uart::UartDecoder::new(cycles_per_bit);
    let mut got = Vec::new();
    for &level in wave.iter().chain(std::iter::repeat_n(&true, cycles_per_bit as usize)) {
        if let Some(b) = dec.sample(level) {
            got.push(b);
        }
    }
    assert_eq!(
        got, line_bytes,
        "8N1 round trip at {cycles_per_bit} clocks/bit, {idle_bits} idle bits"
    );
    assert_eq!(dec.framing_errors, 0);
    // And a noisy line (the input's bits as levels, each held 1..=4 samples) never panics.
    let mut noise = uart::UartDecoder::new(cycles_per_bit);
    for (i, &b) in bytes.iter().enumerate() {
        for j in 0..8 {
            for _ in 0..=(i + j) % 4 {
                noise.sample(b >> j & 1 == 1);
            }
        }
    }
}
