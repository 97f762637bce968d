//! The serial transport (sim::serial::SerialLink) against the Verilated UART loopback core
//! (bridge + scratch registers, 8 clocks per bit): frames, retries and errors at the pins.

use hdl::uart_bridge::protocol::{encode_raw, STATUS_BAD_CMD};
use host::serial::SerialLink;
use sim::uart::VerilatedUart;
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
    let port = Corrupting {
        inner: VerilatedUart::new(m, 8).unwrap(),
        countdown: Some(6),
    };
    let mut l = SerialLink::new(port);
    l.write(2, 0x1234_5678).unwrap();
    assert_eq!(l.stats().retries, 1, "{:?}", l.stats());
    assert_eq!(l.read(2).unwrap(), 0x1234_5678, "only the clean retry was executed");
}

#[test]
fn a_lost_sync_byte_times_out_and_is_retried() {
    let m = Model::new("uart_loopback").unwrap();
    // SYNC 0xA5 ^ 0x20 = 0x85: the bridge never sees a frame start; the rest is noise to it
    let port = Corrupting {
        inner: VerilatedUart::new(m, 8).unwrap(),
        countdown: Some(0),
    };
    let mut l = SerialLink::new(port);
    assert_eq!(l.read(0).unwrap(), 0);
    assert_eq!(l.stats().retries, 1);
}

#[test]
fn unknown_command_is_answered_bad_cmd_and_not_executed() {
    let mut l = link();
    l.write(9, 0xAAAA_5555).unwrap();
    // a well-formed frame with command 0x55 that would otherwise write address 9
    l.port_mut().write_all(&encode_raw(0x55, 9, 1)).unwrap();
    let mut r = [0u8; 7];
    l.port_mut().read_exact(&mut r).unwrap();
    assert_eq!(
        hdl::uart_bridge::protocol::Response::decode(&r).unwrap().code(),
        STATUS_BAD_CMD
    );
    assert_eq!(l.read(9).unwrap(), 0xAAAA_5555);
}

/// The whole digits test set through the UART board core (bridge + P = 4 accelerator, Verilated),
/// driven by `backslash run --port sim`: frames bit by bit on the RX/TX pins, zero mismatches.
/// About 10^8 simulated clocks: `make bench` runs it.
#[test]
#[ignore]
fn digits_test_set_over_the_uart_core() {
    let dir = tempfile::tempdir().unwrap();
    let model = crate::fixtures::train_digits(dir.path(), 32, 4, 3);
    let stdout = run_over_the_uart_core(&model, &[]);
    assert!(stdout.contains(" 0 differ from golden"), "{stdout}");
    eprintln!("{stdout}");
}

/// A few digits over the UART core, in `make test`.
#[test]
fn first_digits_over_the_uart_core() {
    let dir = tempfile::tempdir().unwrap();
    let model = crate::fixtures::train_digits(dir.path(), 16, 2, 5);
    let stdout = run_over_the_uart_core(&model, &["--samples", "3"]);
    assert!(
        stdout.contains("3 inputs over the UART: 0 differ from golden"),
        "{stdout}"
    );
}

/// The model image loaded once over the pins of the SPRAM build's UART core (`run --load`): the
/// loader takes it, checks its CRC, and every input then runs on one RUN_MODEL, equal to golden;
/// `backslash load` reports the upload clocks.
#[test]
fn a_model_image_loaded_once_over_the_uart_spram_core() {
    let dir = tempfile::tempdir().unwrap();
    let model = crate::fixtures::train_digits(dir.path(), 16, 2, 6);
    let stdout = run_with(&model, &["--port", "sim:spram", "--load", "--samples", "4"]);
    assert!(
        stdout.contains("loaded the model image") && stdout.contains("MODEL_ID 0x"),
        "{stdout}"
    );
    assert!(
        stdout.contains("4 inputs over the UART (model image loaded once): 0 differ from golden"),
        "{stdout}"
    );
    let image = dir.path().join("m.bsi");
    let out = crate::fixtures::backslash()
        .args(["load", "--port", "sim:spram", "-o"])
        .arg(&image)
        .arg(&model)
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success() && text.contains("clocks in the Verilated UART core"),
        "{text}"
    );
    // The file is the image the loader read: it parses, and its CRC is the MODEL_ID printed.
    let img = host::Image::from_file(&std::fs::read(&image).unwrap()).unwrap();
    assert!(text.contains(&format!("MODEL_ID 0x{:08X}", img.model_id())), "{text}");
    assert_eq!((img.lanes, img.sizes), (2, hdl::regmap::MemSizes::SPRAM));
}

/// `backslash run MODEL digits EXTRA...` (EXTRA names the port); its stdout, after checking that it
/// succeeded.
fn run_with(model: &std::path::Path, extra: &[&str]) -> String {
    let out = crate::fixtures::backslash()
        .arg("run")
        .args(extra)
        .arg(model)
        .arg("digits")
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
    assert!(
        out.status.success(),
        "{stdout}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    stdout
}

/// `backslash run --port sim MODEL digits EXTRA...` (the Verilated UART core); its stdout, after
/// checking that it succeeded.
fn run_over_the_uart_core(model: &std::path::Path, extra: &[&str]) -> String {
    let mut args = vec!["--port", "sim"];
    args.extend_from_slice(extra);
    run_with(model, &args)
}

/// The SPRAM board core booting from its (modelled) SPI flash: a good image is loaded before the
/// first request (MODEL_ID = its CRC, runs equal golden with nothing uploaded); a corrupt one is
/// refused (CRC), a truncated one too (LENGTH: erased bytes follow it), an erased flash is FORMAT; in each of
/// those RUN_MODEL stops with BAD_IMAGE and nothing is computed.
#[test]
fn the_spram_core_boots_its_model_from_spi_flash() {
    use hdl::flash_boot::SpiFlashModel;
    use hdl::regmap::{self, ErrorCode, LoadError, MemSizes};
    use host::image::FLASH_IMAGE_OFFSET;
    let model = crate::fixtures::random_mlp(&[48, 24, 10], 60, 10, 20, &mut golden::testing::Rng(31));
    let img = host::Image::build(&model, 2, MemSizes::SPRAM).unwrap();
    let file = img.to_file();
    let boot = |bytes: &[u8]| {
        let m = Model::new("uart_accel_p2_spram").unwrap();
        let flash = SpiFlashModel::with_image(FLASH_IMAGE_OFFSET, bytes);
        let uart = VerilatedUart::with_flash(m, 8, Some(flash)).unwrap();
        host::Driver::new(SerialLink::new(uart)).unwrap()
    };
    let x = golden::testing::random_input(48, &mut golden::testing::Rng(2));
    let mut d = boot(&file);
    assert_eq!(d.bus().port_mut().flash().unwrap().reads, 1);
    let st = d.bus().read(regmap::REG_LOAD_STATUS).unwrap();
    assert_eq!(st, regmap::LOAD_OK | ((file.len() / 4) as u32) << 16, "0x{st:08X}");
    d.check_resident(&img).unwrap();
    let run = d.infer_model(&img, &x).unwrap();
    assert_eq!(&run.outputs, model.forward_all(&x).unwrap().last().unwrap());
    // Damaged flash contents.
    let mut corrupt = file.clone();
    // A bit of a data word (word 6, lane 0's first stream word): only the CRC can catch it.
    corrupt[4 * 6 + 1] ^= 0x20;
    let truncated = &file[..file.len() - 12];
    for (bytes, status) in [
        (&corrupt[..], regmap::LOAD_FAILED | (LoadError::Crc as u32) << 4),
        // Truncated in flash: the booter reads erased bytes (0xFFFFFFFF) where the image's last
        // words should be, so its final run header claims 65535 words and the CRC word falls in it.
        (truncated, regmap::LOAD_FAILED | (LoadError::Length as u32) << 4),
        (&[][..], regmap::LOAD_FAILED | (LoadError::Format as u32) << 4),
    ] {
        let mut d = boot(bytes);
        let st = d.bus().read(regmap::REG_LOAD_STATUS).unwrap();
        assert_eq!(st & 0xFF, status, "0x{st:08X}");
        assert_eq!(d.model_id().unwrap(), 0);
        match d.infer_model(&img, &x) {
            Err(host::HostError::Hardware { info, .. }) => assert_eq!(info.code, Some(ErrorCode::BadImage)),
            other => panic!("a run after a refused boot image: {other:?}"),
        }
        // The host can still load the model over the UART.
        if bytes.is_empty() {
            d.load_model(&img).unwrap();
            assert_eq!(
                &d.infer_model(&img, &x).unwrap().outputs,
                model.forward_all(&x).unwrap().last().unwrap()
            );
        }
    }
}
