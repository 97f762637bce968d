//! docs/hardware.md's guarantees at their edges, on the Verilated accelerator (every build with the
//! pipelined and the serial decoder), each against golden where there is an output:
//! - the rounding add `acc + 2^(shift-1)` wraps at 32 bits, as golden's `requantize`;
//! - a new START after an error needs no SOFT_RESET;
//! - a STATUS read in the clock after the START write returns BUSY, never the previous DONE.
use golden::infer::{QLayer, QModel};
use hdl::regmap::{self, DecoderKind, ErrorCode};
use host::{CompileOptions, Driver, HostBus};
use sim::Accelerator;

fn driver(lanes: usize, decoder: DecoderKind) -> Driver<Accelerator> {
    let acc = Accelerator::with_decoder(lanes, decoder).expect("accelerator compiled in");
    let mut d = Driver::new(acc).expect("driver");
    d.set_limit(100_000);
    d
}

/// The Verilated builds: every lane count of each decoder.
fn builds() -> Vec<(usize, DecoderKind)> {
    DecoderKind::ALL
        .iter()
        .flat_map(|&d| sim::accel::lanes_for(d).into_iter().map(move |l| (l, d)))
        .collect()
}

fn one_layer(rows: usize, cols: usize, weights: Vec<i32>, bias: Vec<i32>, shift: u32) -> QModel {
    QModel::from_layers(vec![QLayer {
        rows,
        cols,
        weights,
        bias,
        shift,
        relu: false,
    }])
}

#[test]
fn rounding_add_wraps_at_32_bits() {
    // Row 0: bias 2^31 - 11 plus 1 * 3 is 2^31 - 8; with shift 4 the rounding add of 8 wraps to
    // -2^31, so the output saturates to -128 (exact arithmetic would give 127). Row 1 is one below
    // the edge (127), row 2 the same edge from the negative side (no wrap).
    let model = one_layer(3, 1, vec![1, 1, 1], vec![i32::MAX - 10, i32::MAX - 11, i32::MIN], 4);
    let x = [3i8];
    let want = model.forward_all(&x).unwrap();
    assert_eq!(want[0], vec![-128, 127, -128], "golden wraps");
    for (lanes, decoder) in builds() {
        let mut d = driver(lanes, decoder);
        let program = d.compile(&model, CompileOptions::default()).unwrap();
        let got = d.infer(&program, &x).unwrap();
        assert_eq!(got.outputs, want, "P = {lanes} {}", decoder.name());
    }
}

#[test]
fn a_start_after_an_error_needs_no_soft_reset() {
    let model = one_layer(2, 4, vec![1, -2, 3, 0, 0, 5, -1, 2], vec![7, -7], 1);
    let x = [10i8, -3, 4, 100];
    let want = model.forward_all(&x).unwrap();
    for (lanes, decoder) in builds() {
        let mut d = driver(lanes, decoder);
        let program = d.compile(&model, CompileOptions::default()).unwrap();
        let layer = &program.layers[0];
        d.load(layer, 0, true).unwrap();
        d.write_inputs(&x).unwrap();
        // VMAP_LEN 1: every index above 0 is out of range. START and DONE through the bus itself
        // (the driver's `run` soft-resets after an error).
        let acc = d.bus();
        acc.write(regmap::REG_VMAP_LEN, 1).unwrap();
        let err = acc.run(10_000).unwrap().error;
        assert_eq!(err.map(|e| e.code), Some(Some(ErrorCode::IndexRange)), "P = {lanes}");
        // Back in range, START again: no SOFT_RESET in between.
        acc.write(regmap::REG_VMAP_LEN, layer.vmap.len() as u32).unwrap();
        assert_eq!(acc.run(10_000).unwrap().error, None, "P = {lanes} {}", decoder.name());
        assert_eq!(d.read_outputs(2).unwrap(), want[0], "P = {lanes} {}", decoder.name());
        // The same after a configuration rejected at START.
        let acc = d.bus();
        acc.write(regmap::REG_SHIFT, 32).unwrap();
        let err = acc.run(10_000).unwrap().error;
        assert_eq!(err.map(|e| e.code), Some(Some(ErrorCode::BadConfig)), "P = {lanes}");
        acc.write(regmap::REG_SHIFT, 1).unwrap();
        assert_eq!(acc.run(10_000).unwrap().error, None, "P = {lanes} {}", decoder.name());
        assert_eq!(d.read_outputs(2).unwrap(), want[0], "P = {lanes} {}", decoder.name());
    }
}

#[test]
fn status_in_the_clock_after_start_is_busy() {
    let model = one_layer(1, 2, vec![1, 1], vec![0], 0);
    for (lanes, decoder) in builds() {
        let mut d = driver(lanes, decoder);
        let program = d.compile(&model, CompileOptions::default()).unwrap();
        d.load(&program.layers[0], 0, true).unwrap();
        d.write_inputs(&[1, 2]).unwrap();
        assert_eq!(d.run().unwrap().1, None);
        let acc = d.bus();
        let done = acc.read(regmap::REG_STATUS).unwrap();
        assert_eq!(
            done & regmap::STATUS_DONE,
            regmap::STATUS_DONE,
            "DONE after the first run"
        );
        // The read strobe is in the clock right after the START write's.
        let start = acc.cycle();
        acc.write(regmap::REG_CTRL, regmap::CTRL_START).unwrap();
        assert_eq!(acc.cycle(), start + 1, "one clock per write");
        let st = acc.read(regmap::REG_STATUS).unwrap();
        assert_eq!(
            st & (regmap::STATUS_BUSY | regmap::STATUS_DONE),
            regmap::STATUS_BUSY,
            "P = {lanes} {}: STATUS 0x{st:X} in the clock after START",
            decoder.name()
        );
        acc.run_until_done(10_000).unwrap();
    }
}

#[test]
fn zero_skip_with_index_0_not_the_weight_0_is_bad_config() {
    // Value map [5, 0, ...]: 5 is the most frequent weight, so index 0 holds 5.
    let model = one_layer(2, 4, vec![5, 5, 5, 0, 5, 5, 0, 1], vec![0, 0], 0);
    let x = [1i8, 2, 3, 4];
    let want = model.forward_all(&x).unwrap();
    for (lanes, decoder) in builds() {
        let mut d = driver(lanes, decoder);
        let program = d.compile(&model, CompileOptions::fixed(0, false)).unwrap();
        let layer = &program.layers[0];
        assert_eq!(layer.vmap[0], 5);
        d.load(layer, 0, true).unwrap();
        d.write_inputs(&x).unwrap();
        let acc = d.bus();
        acc.write(regmap::REG_FLAGS, regmap::flags(false, true)).unwrap();
        let err = acc.run(10_000).unwrap().error;
        assert_eq!(
            err.map(|e| (e.code, e.lane)),
            Some((Some(ErrorCode::BadConfig), 0)),
            "P = {lanes} {}",
            decoder.name()
        );
        // Without zero-run skipping the layer runs as compiled.
        acc.write(regmap::REG_FLAGS, regmap::flags(false, false)).unwrap();
        assert_eq!(acc.run(10_000).unwrap().error, None);
        assert_eq!(d.read_outputs(2).unwrap(), want[0], "P = {lanes} {}", decoder.name());
    }
}
