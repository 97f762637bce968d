//! A whole model resident in the Verilated accelerator (hdl::bake): every layer at its own STREAM_BASE,
//! VMAP_BASE and BIAS_BASE, the image written once over the host bus (what baking does at configuration),
//! then per inference only the registers and inputs. Checked against golden on digits inputs; a base
//! plus its length past a memory is BAD_CONFIG; MODEL_ID is 0 in these builds, so a baked run is refused.
use golden::data::DatasetName;
use golden::infer::QModel;
use golden::train::{self, Regularizer, TrainConfig};
use hdl::regmap::{self, ErrorCode, MemSizes};
use host::Image;
use host::{CompileOptions, Driver, HostBus};
use sim::Accelerator;

/// A digits MLP 64-128-64-10 (the demo's shape) trained briefly with the BackSlash rate term, and the
/// first `n` test inputs.
fn digits_model(n: usize) -> (QModel, Vec<Vec<i8>>) {
    let data = DatasetName::Digits.load(None).unwrap();
    let cfg = TrainConfig {
        hidden: vec![128, 64],
        reg: Regularizer::Dggr,
        lambda: 20.0,
        ..TrainConfig::default()
    };
    let mlp = train::train(&data, &cfg, &mut |_| {}).unwrap().mlp;
    let model = train::export_qmodel(&mlp, &data.train, train::REPORT_STEP_BITS).unwrap();
    let xs = (0..n)
        .map(|i| model.quantize_input(data.test.sample(i, data.features)))
        .collect();
    (model, xs)
}

fn driver(lanes: usize) -> Driver<Accelerator> {
    let mut d = Driver::new(Accelerator::new(lanes).unwrap()).unwrap();
    d.set_limit(1_000_000);
    d
}

#[test]
fn resident_digits_model_matches_golden() {
    let (model, xs) = digits_model(6);
    for lanes in [1, 4] {
        let img = Image::build(&model, lanes, MemSizes::LARGE).unwrap();
        assert_eq!(img.layers.len(), 3);
        assert!(img.layers[1..]
            .iter()
            .all(|l| l.stream_base > 0 && l.vmap_base > 0 && l.bias_base > 0));
        let mut d = driver(lanes);
        d.load_image(&img).unwrap();
        for x in &xs {
            let inf = d.infer_resident(&img, x).unwrap();
            assert_eq!(inf.outputs, model.forward_all(x).unwrap(), "P = {lanes}");
            // Every weight is accounted for once per inference.
            let t = inf.total();
            let weights: u64 = model.layers.iter().map(|l| (l.rows * l.cols) as u64).sum();
            assert_eq!(u64::from(t.nonzero + t.zero_mac + t.zero_skipped), weights);
        }
        // The bases hold the last layer's; the per-layer upload path still runs at offset 0.
        let program = d.compile(&model, CompileOptions::default()).unwrap();
        assert_eq!(
            d.infer(&program, &xs[0]).unwrap().outputs,
            model.forward_all(&xs[0]).unwrap()
        );
        // Written over the bus, not through the loader: MODEL_ID 0, a resident run is refused.
        assert_eq!(d.model_id().unwrap(), 0);
        let e = d.check_resident(&img).unwrap_err();
        assert!(
            matches!(e, host::HostError::ModelId(_)) && e.to_string().contains("no model image"),
            "{e}"
        );
    }
}

/// START (written directly: a BAD_CONFIG run never drops DONE, which `Driver::run` expects), wait for
/// DONE, then the error code if any, and a soft reset.
fn start_until_done(d: &mut Driver<Accelerator>) -> Option<ErrorCode> {
    let acc = d.bus();
    acc.write(regmap::REG_CTRL, regmap::CTRL_START).unwrap();
    let mut clocks = 0;
    while !acc.irq() && clocks < 1_000_000 {
        acc.tick(1);
        clocks += 1;
    }
    let st = acc.read(regmap::REG_STATUS).unwrap();
    assert_ne!(st & regmap::STATUS_DONE, 0, "no DONE after {clocks} clocks");
    let code = if st & regmap::STATUS_ERROR != 0 {
        regmap::ErrorInfo::decode(acc.read(regmap::REG_ERROR).unwrap(), 0).code
    } else {
        None
    };
    acc.write(regmap::REG_CTRL, regmap::CTRL_SOFT_RESET).unwrap();
    code
}

#[test]
fn whole_model_on_one_run_model_matches_golden() {
    // The digits model resident, its layer table loaded: one RUN_MODEL per input, the activations
    // from layer to layer on chip (P = 1 and 4); outputs, ARGMAX and every layer's CYCLES equal
    // golden and the host-sequenced run of the same image.
    let (model, xs) = digits_model(8);
    for lanes in [1, 4] {
        let img = Image::build(&model, lanes, MemSizes::LARGE).unwrap();
        let mut d = driver(lanes);
        d.load_image(&img).unwrap();
        d.load_layer_table(&img).unwrap();
        for x in &xs {
            let want = model.forward_all(x).unwrap();
            let run = d.infer_model(&img, x).unwrap();
            assert_eq!(&run.outputs, want.last().unwrap(), "P = {lanes}");
            assert_eq!(run.argmax, golden::infer::argmax(want.last().unwrap()), "P = {lanes}");
            let host_seq = d.infer_resident(&img, x).unwrap();
            let alone: Vec<u32> = host_seq.counters.iter().map(|c| c.cycles).collect();
            assert_eq!(run.layer_cycles, alone, "P = {lanes}");
            let t = host_seq.total();
            assert_eq!(
                (run.counters.nonzero, run.counters.zero_mac, run.counters.zero_skipped),
                (t.nonzero, t.zero_mac, t.zero_skipped),
                "P = {lanes}: the counters add up over the layers"
            );
            // One RUN_MODEL write, then only STATUS polls until DONE: the span is the run.
            assert!(run.model_cycles as u64 <= run.span.end - run.span.start, "{run:?}");
        }
        // NUM_LAYERS 0 or 9: BAD_CONFIG, nothing runs; an entry with COLS 0 stops the run at its
        // layer; the repaired table runs again.
        let x = &xs[0];
        for n in [0u32, 9] {
            d.bus().write(regmap::REG_NUM_LAYERS, n).unwrap();
            let e = d.infer_model(&img, x).unwrap_err();
            assert!(
                matches!(e, host::HostError::Hardware { info, .. } if info.code == Some(ErrorCode::BadConfig)),
                "{e}"
            );
        }
        d.load_layer_table(&img).unwrap();
        d.bus()
            .write(regmap::layer_table_addr(2, regmap::REG_COLS - regmap::REG_ROWS), 0)
            .unwrap();
        let e = d.infer_model(&img, x).unwrap_err();
        assert!(
            matches!(e, host::HostError::Hardware { layer: 2, info, .. } if info.code == Some(ErrorCode::BadConfig)),
            "{e}"
        );
        d.load_layer_table(&img).unwrap();
        assert_eq!(
            &d.infer_model(&img, x).unwrap().outputs,
            model.forward_all(x).unwrap().last().unwrap()
        );
    }
}

#[test]
fn resident_three_layer_model_with_784_inputs_matches_golden() {
    // A Fashion-MNIST-shaped 784-40-24-10 model, 85 % zeros, resident at once: each layer from its
    // bases, the activations through the host, equal to golden.
    let mut rng = golden::testing::Rng(2828);
    let model = crate::fixtures::random_mlp(&[784, 40, 24, 10], 85, 30, 0, &mut rng);
    let img = Image::build(&model, 4, MemSizes::LARGE).unwrap();
    assert_eq!(img.layers.len(), 3);
    let mut d = driver(4);
    d.load_image(&img).unwrap();
    let x0 = golden::testing::random_input(784, &mut rng);
    assert_eq!(
        d.infer_resident(&img, &x0).unwrap().outputs,
        model.forward_all(&x0).unwrap()
    );
    d.load_layer_table(&img).unwrap();
    for _ in 0..3 {
        let x = golden::testing::random_input(784, &mut rng);
        let want = model.forward_all(&x).unwrap();
        let inf = d.infer_resident(&img, &x).unwrap();
        assert_eq!(inf.outputs, want);
        let run = d.infer_model(&img, &x).unwrap();
        assert_eq!(&run.outputs, want.last().unwrap());
        assert_eq!(run.argmax, golden::infer::argmax(want.last().unwrap()));
    }
    // The BOARD build takes layers of at most 256 inputs: named before anything is written.
    let err = Image::build(&model, 4, MemSizes::BOARD).unwrap_err().to_string();
    assert!(err.contains("at most 256"), "{err}");
}

#[test]
fn base_beyond_a_memory_is_bad_config() {
    let (model, xs) = digits_model(1);
    let img = Image::build(&model, 4, MemSizes::LARGE).unwrap();
    let mut d = driver(4);
    d.load_image(&img).unwrap();
    let last = img.layers.last().unwrap().clone();
    let words = MemSizes::LARGE.stream_words() as u32;
    let longest = *last.stream_len.iter().max().unwrap();
    let entries = MemSizes::LARGE.vmap_entries() as u32;
    let cases = [
        (regmap::REG_STREAM_BASE, words - longest, words - longest + 1),
        (
            regmap::REG_VMAP_BASE,
            entries - last.vmap_len,
            entries - last.vmap_len + 1,
        ),
        (
            regmap::REG_BIAS_BASE,
            MemSizes::LARGE.bias_rows() as u32 - last.rows,
            MemSizes::LARGE.bias_rows() as u32 - last.rows + 1,
        ),
    ];
    for (reg, edge, over) in cases {
        for (value, bad) in [(edge, false), (over, true), (over | 0x1_0000, true)] {
            for (a, v) in last.writes() {
                d.bus().write(a, v).unwrap();
            }
            d.bus().write(reg, value).unwrap();
            let code = start_until_done(&mut d);
            if bad {
                assert_eq!(code, Some(ErrorCode::BadConfig), "0x{reg:04X} = {value}");
            } else {
                assert_ne!(code, Some(ErrorCode::BadConfig), "0x{reg:04X} = {value}");
            }
        }
    }
    // After the errors, the resident model still runs from its own bases.
    assert_eq!(
        d.infer_resident(&img, &xs[0]).unwrap().outputs,
        model.forward_all(&xs[0]).unwrap()
    );
}
