//! The UP5K SPRAM configuration (`MemSizes::SPRAM`: P = 2, bit-serial decoder, 16K stream words per
//! lane in single-port memories, 1024-wide layers, the layer table), Verilated: a model whose streams
//! need more than 4096 words per lane (more than any block-RAM build holds) resident at once and run on
//! one RUN_MODEL, equal to golden; the stream window and STREAM_BASE at their new limits.
use golden::infer::QModel;
use hdl::regmap::{self, ErrorCode, MemSizes};
use host::{Driver, HostBus, Image};
use sim::accel::AccelModel;
use sim::Accelerator;

/// A 784-256-128-10 model (Fashion-MNIST's shape, 235k weights), 80 % zeros.
fn big_model() -> QModel {
    crate::fixtures::random_mlp(&[784, 256, 128, 10], 80, 24, 40, &mut golden::testing::Rng(5150))
}

fn driver() -> Driver<Accelerator> {
    let mut d = Driver::new(Accelerator::open(AccelModel::spram()).unwrap()).unwrap();
    d.set_limit(2_000_000);
    d
}

#[test]
fn a_model_beyond_block_ram_runs_from_the_spram_build_like_golden() {
    let model = big_model();
    let img = Image::build(&model, 2, MemSizes::SPRAM).unwrap();
    let used = img.stream_words_used();
    assert!(used > 4096, "the streams need {used} words per lane: more than 4096");
    assert!(used <= MemSizes::SPRAM.stream_words());
    // No block-RAM build holds it: named before anything is written.
    let err = Image::build(&model, 2, MemSizes::LARGE).unwrap_err().to_string();
    assert!(err.contains("stream memory"), "{err}");
    let mut d = driver();
    assert_eq!(d.sizes(), MemSizes::SPRAM, "CAPS reports the SPRAM build");
    assert_eq!(d.lanes(), 2);
    // The whole image through the loader (CRC-32 checked by the hardware): MODEL_ID names it.
    let rep = d.load_model(&img).unwrap();
    assert_eq!(rep.words, img.load_words().len());
    let clocks = rep.clocks.unwrap();
    assert!(
        clocks >= rep.words as u64 * u64::from(regmap::LOAD_WORD_CLOCKS),
        "{clocks}"
    );
    d.check_resident(&img).unwrap();
    let mut rng = golden::testing::Rng(77);
    let weights: u64 = model.layers.iter().map(|l| (l.rows * l.cols) as u64).sum();
    for i in 0..3 {
        let x = golden::testing::random_input(784, &mut rng);
        let want = model.forward_all(&x).unwrap();
        let run = d.infer_model(&img, &x).unwrap();
        assert_eq!(&run.outputs, want.last().unwrap(), "input {i}");
        assert_eq!(run.argmax, golden::infer::argmax(want.last().unwrap()));
        assert_eq!(run.layer_cycles.len(), 3);
        let t = run.counters;
        assert_eq!(
            u64::from(t.nonzero + t.zero_mac + t.zero_skipped),
            weights,
            "every weight once"
        );
        if i == 0 {
            // The host-sequenced path over the same resident image agrees.
            assert_eq!(d.infer_resident(&img, &x).unwrap().outputs, want);
        }
    }
}

/// The Verilated loader: a corrupt, a truncated and another build's image are refused with their
/// reason, MODEL_ID 0 and nothing computed (RUN_MODEL stops with BAD_IMAGE); a host write to a
/// memory after a good load clears MODEL_ID.
#[test]
fn the_loader_refuses_damaged_images_in_verilator() {
    let model = crate::fixtures::random_mlp(&[64, 32, 10], 60, 12, 30, &mut golden::testing::Rng(8));
    let img = Image::build(&model, 2, MemSizes::SPRAM).unwrap();
    let mut d = driver();
    let send = |d: &mut Driver<Accelerator>, words: &[u32]| {
        d.bus().write(regmap::REG_CTRL, regmap::CTRL_LOAD).unwrap();
        for &w in words {
            d.bus().write(regmap::REG_LOAD_DATA, w).unwrap();
            d.bus().pause(regmap::LOAD_WORD_CLOCKS).unwrap();
        }
        d.bus().pause(2 * regmap::LOAD_WORD_CLOCKS).unwrap();
        d.bus().read(regmap::REG_LOAD_STATUS).unwrap()
    };
    let x = golden::testing::random_input(64, &mut golden::testing::Rng(4));
    let bad_image_run = |d: &mut Driver<Accelerator>| match d.infer_model(&img, &x) {
        Err(host::HostError::Hardware { info, .. }) => assert_eq!(info.code, Some(ErrorCode::BadImage)),
        other => panic!("a run after a refused image: {other:?}"),
    };
    let words = img.load_words();
    let mut corrupt = words.clone();
    corrupt[words.len() / 2] ^= 1 << 17;
    let st = send(&mut d, &corrupt);
    assert_eq!(
        st & 0xFF,
        regmap::LOAD_FAILED | (regmap::LoadError::Crc as u32) << 4,
        "0x{st:08X}"
    );
    assert_eq!((st >> 16) as usize, words.len(), "every word taken");
    assert_eq!(d.model_id().unwrap(), 0);
    bad_image_run(&mut d);
    // Truncated: still waiting for its CRC word, so still refused.
    let st = send(&mut d, &words[..words.len() - 7]);
    assert_eq!(st & 0xFF, regmap::LOAD_BUSY, "0x{st:08X}");
    bad_image_run(&mut d);
    // Another build's image (P = 4): refused at word 2, nothing written.
    let other = Image::build(&model, 4, MemSizes::LARGE).unwrap();
    let st = send(&mut d, &other.load_words());
    assert_eq!(
        st & 0xFF,
        regmap::LOAD_FAILED | (regmap::LoadError::Build as u32) << 4,
        "0x{st:08X}"
    );
    assert_eq!(st >> 16, 3);
    // The good image runs like golden; a host write to the bias memory then clears MODEL_ID.
    d.load_model(&img).unwrap();
    let run = d.infer_model(&img, &x).unwrap();
    assert_eq!(&run.outputs, model.forward_all(&x).unwrap().last().unwrap());
    d.write_bias(&[1]).unwrap();
    assert_eq!(d.model_id().unwrap(), 0);
    assert_eq!(d.bus().read(regmap::REG_LOAD_STATUS).unwrap() & 0xFF, 0);
}

#[test]
fn stream_window_and_base_reach_the_spram_limits() {
    // Lane 1's window starts at 0x8000 + 2^14; the last word of each lane is written and read by a
    // one-layer stream placed at the very end of the memory (STREAM_BASE = 2^14 - len); one word more
    // is BAD_CONFIG.
    let mut rng = golden::testing::Rng(9);
    let spec = golden::testing::LayerSpec {
        rows: 6,
        cols: 40,
        sparsity: 50,
        distinct: 12,
        seed: 3,
    };
    let layer = golden::testing::random_layer(&spec, &mut rng);
    let model = QModel {
        layers: vec![layer.clone()],
        input_scale: 1.0,
        step_bits: 8,
    };
    let img = Image::build(&model, 2, MemSizes::SPRAM).unwrap();
    let regs = img.layers[0].clone();
    let len = *regs.stream_len.iter().max().unwrap() as usize;
    let words = MemSizes::SPRAM.stream_words();
    assert_eq!(MemSizes::SPRAM.stream_addr(1, 0), 0x8000 + (1 << 14));
    let mut d = driver();
    // The streams at the end of each lane's memory, the value map and biases at 0.
    for (l, lane) in img.streams.iter().enumerate() {
        let base = MemSizes::SPRAM.stream_addr(l, words - len);
        d.bus().write_block(base, &lane[..lane.len().min(len)]).unwrap();
    }
    d.write_vmap(&img.vmap).unwrap();
    d.write_bias(&img.bias).unwrap();
    let x = golden::testing::random_input(40, &mut rng);
    for (a, v) in regs.writes() {
        d.bus().write(a, v).unwrap();
    }
    d.bus().write(regmap::REG_STREAM_BASE, (words - len) as u32).unwrap();
    d.write_inputs(&x).unwrap();
    let (_, err) = d.run().unwrap();
    assert_eq!(err, None);
    assert_eq!(d.read_outputs(6).unwrap(), layer.forward(&x));
    for bad in [words - len + 1, words + 1, 1 << 15] {
        d.bus().write(regmap::REG_STREAM_BASE, bad as u32).unwrap();
        let (_, err) = d.run().unwrap();
        assert_eq!(
            err.and_then(|e| e.code),
            Some(ErrorCode::BadConfig),
            "STREAM_BASE {bad}"
        );
    }
}

/// The Fashion-MNIST figures of README.md and docs/hardware.md, measured (`make bench`, about 12
/// minutes): a 784-256-128-10 MLP trained with BackSlash (λ = 6) on the full 60k training set, its
/// whole image resident in the Verilated SPRAM build, the 10k test set with 0 mismatches; cycles per
/// inference against a dense int8 engine; the image's upload over the UART pins; the normal-trained
/// model refused (its streams do not fit the SPRAM).
#[test]
#[ignore]
fn fashion_mnist_on_the_spram_build_bench() {
    let dir = tempfile::tempdir().unwrap();
    let train = |name: &str, reg: &[&str]| {
        let out = dir.path().join(name);
        let st = crate::fixtures::backslash()
            .args([
                "train",
                "--dataset",
                "fashion-mnist",
                "--hidden",
                "256,128",
                "--epochs",
                "15",
            ])
            .args(["--batch", "64"])
            .args(reg)
            .arg("-o")
            .arg(&out)
            .output()
            .unwrap();
        assert!(st.status.success(), "{}", String::from_utf8_lossy(&st.stderr));
        out
    };
    let bs = train("bs.safetensors", &["--lambda", "6"]);
    let json = dir.path().join("spram.json");
    let out = crate::fixtures::backslash()
        .arg("sim")
        .arg(&bs)
        .args([
            "--dataset",
            "fashion-mnist",
            "--memory",
            "spram",
            "--threads",
            "2",
            "--json",
        ])
        .arg(&json)
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{text}{}", String::from_utf8_lossy(&out.stderr));
    eprintln!("{text}");
    let j: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(&json).unwrap()).unwrap();
    assert_eq!(j["samples"], 10000);
    assert_eq!(j["mismatched_samples"], 0);
    assert_eq!(j["hardware_accuracy"], j["golden_accuracy"]);
    let cycles = j["cycles_per_inference"].as_f64().unwrap();
    // A dense int8 engine with one MAC per clock per lane (the JSON's figure is one MAC per clock).
    let dense = j["dense_cycles_per_inference"].as_f64().unwrap() / j["lanes"].as_f64().unwrap();
    let mhz = bitstreams::tops::SPRAM_CLOCK_MHZ;
    eprintln!(
        "bench: Fashion-MNIST on the SPRAM build: accuracy {:.2}%, {cycles:.0} cycles/inference ({:.2}x a dense int8 engine of one MAC per clock per lane, {dense:.0}), {:.0} inferences/s at {mhz} MHz (dense {:.0}/s), image {} of {} stream bytes",
        100.0 * j["hardware_accuracy"].as_f64().unwrap(),
        cycles / dense,
        mhz * 1e6 / cycles,
        mhz * 1e6 / dense,
        j["image_stream_bytes"],
        j["spram_stream_bytes"]
    );
    let out = crate::fixtures::backslash()
        .args(["load", "--port", "sim:spram", "--dataset", "fashion-mnist"])
        .arg(&bs)
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success() && text.contains("clocks in the Verilated UART core"),
        "{text}"
    );
    eprintln!("bench: {text}");
    let normal = train("normal.safetensors", &["--reg", "none"]);
    let out = crate::fixtures::backslash()
        .arg("sim")
        .arg(&normal)
        .args(["--dataset", "fashion-mnist", "--memory", "spram"])
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        !out.status.success() && err.contains("does not fit the stream memory"),
        "{err}"
    );
    eprintln!("bench: the normal-trained model: {}", err.trim());
}
