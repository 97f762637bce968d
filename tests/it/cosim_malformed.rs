//! Malformed streams in the Verilated accelerator (issue 7), beyond `tests/it/cosim.rs` (which damages
//! one lane of a good layer and checks the error position and the recovery):
//! - garbage in every lane, with random stream lengths (0 included), k, value-map lengths and
//!   zero-run skipping: the run ends (no hang), the error is the one golden's decoder plus the
//!   hardware limits predict for the lane the hardware names, and it ends within the clock bound
//!   of docs/hardware.md (below);
//! - soft reset (CTRL.SOFT_RESET) during a run and after an error returns the accelerator to idle
//!   (STATUS, ERROR and CYCLES read 0), and the next good layer gives golden's outputs;
//! - configurations the hardware must refuse (BAD_CONFIG) are refused at START, within a few clocks.
//!
//! The clock bound, from docs/hardware.md ("Errors" and "Timing"): every decoding clock consumes at
//! least one stream bit or raises an error, an error is raised at most 3 clocks after its codeword
//! reaches stage A (7 clocks after START for the first), and fill, drain and control add about 17
//! clocks. So a run on lanes of `len_l` words ends within `max_l(32 len_l) + 1 + STALL + 32`
//! clocks, where STALL (the PERF_STALL counter, lane-clocks waiting for the shared output stage)
//! bounds the clocks a lane is frozen.

use crate::fixtures::{first_error, random_input, random_layer, LayerSpec, Rng};
use golden::infer::QModel;
use golden::layout;
use hdl::regmap::{self, ErrorCode};
use host::{CompileOptions, Driver, HostBus};
use proptest::prelude::*;
use sim::Accelerator;

const LIMIT: u64 = 1_000_000;
/// Fill, error latency, drain and control clocks allowed on top of one clock per stream bit.
const OVERHEAD: u64 = 32;

fn driver(lanes: usize) -> Driver<Accelerator> {
    let mut d = Driver::new(Accelerator::new(lanes).expect("accelerator compiled in")).expect("driver");
    d.set_limit(LIMIT);
    d
}

/// Random words with a bias: mostly zeros (long prefixes, TOO_LONG), mostly ones (short codewords,
/// long valid runs) or uniform.
fn garbage(rng: &mut Rng, n: usize, bias: u8) -> Vec<u32> {
    (0..n)
        .map(|_| match bias {
            0 => (rng.next() & rng.next() & rng.next()) as u32,
            1 => (rng.next() | rng.next() | rng.next()) as u32,
            _ => rng.next() as u32,
        })
        .collect()
}

fn status(d: &mut Driver<Accelerator>) -> (u32, u32, u32) {
    let b = d.bus();
    (
        b.read(regmap::REG_STATUS).unwrap(),
        b.read(regmap::REG_ERROR).unwrap(),
        b.read(regmap::REG_CYCLES).unwrap(),
    )
}

/// A good one-layer model, its program for `d`, an input and golden's output: the "next good layer".
fn good_layer_runs(d: &mut Driver<Accelerator>, seed: u64) {
    let mut rng = Rng(seed);
    let spec = LayerSpec {
        rows: 9,
        cols: 13,
        sparsity: 50,
        distinct: 20,
        seed,
    };
    let model = QModel::from_layers(vec![random_layer(&spec, &mut rng)]);
    let program = d.compile(&model, CompileOptions::fixed(1, false)).unwrap();
    let x = random_input(spec.cols, &mut rng);
    let out = d.infer(&program, &x).expect("the good layer runs");
    assert_eq!(
        out.outputs,
        model.forward_all(&x).unwrap(),
        "good layer after a malformed one"
    );
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 40, ..ProptestConfig::default() })]

    #[test]
    fn garbage_in_every_lane_ends_within_the_bound(
        lanes in prop::sample::select(vec![1usize, 4]),
        rows in 1usize..=24,
        cols in 1usize..=24,
        k in 0u32..=regmap::K_MAX,
        zero_skip in any::<bool>(),
        vmap_len in 1usize..=256,
        bias in 0u8..3,
        seed in any::<u64>(),
    ) {
        let zero_skip = zero_skip && k == 0; // ZERO_SKIP needs k = 0 (else BAD_CONFIG)
        let mut rng = Rng(seed);
        let mut d = driver(lanes);
        let words: Vec<Vec<u32>> = (0..lanes)
            .map(|_| {
                let n = rng.below(48) as usize;
                garbage(&mut rng, n, bias)
            })
            .collect();
        // With ZERO_SKIP the entry at VMAP_BASE must be the weight 0 (else BAD_CONFIG, tested on its own).
        let vmap: Vec<i32> =
            (0..vmap_len).map(|i| if zero_skip && i == 0 { 0 } else { (i as i32 - 128) * 3 }).collect();
        d.write_config(rows, cols, k, 4, regmap::flags(false, zero_skip), vmap_len).unwrap();
        d.write_vmap(&vmap).unwrap();
        d.write_bias(&vec![0; rows]).unwrap();
        d.write_streams(&words).unwrap();
        d.write_inputs(&vec![1; cols]).unwrap();
        let (counters, error) = d.run().expect("the run ends (no hang)");

        let expected: Vec<Option<(usize, ErrorCode)>> = (0..lanes)
            .map(|l| first_error(&words[l], layout::rows_in_lane(rows, lanes, l) * cols, k, vmap_len))
            .collect();
        match (expected.iter().any(Option::is_some), error) {
            (false, None) => {}
            (false, Some(info)) => prop_assert!(false, "hardware error {:?} on streams golden decodes", info),
            (true, None) => prop_assert!(false, "no hardware error; golden expects {:?}", expected),
            (true, Some(info)) => {
                let l = info.lane as usize;
                let (symbol, code) = expected.get(l).copied().flatten()
                    .unwrap_or_else(|| panic!("hardware blames lane {l}, golden finds {expected:?}"));
                let row = layout::lane_rows(rows, lanes, l).nth(symbol / cols).unwrap();
                prop_assert_eq!((info.code, info.row as usize, info.col as usize), (Some(code), row, symbol % cols));
            }
        }
        let bits = words.iter().map(|w| 32 * w.len() as u64).max().unwrap_or(0);
        let bound = bits + 1 + u64::from(counters.stall) + OVERHEAD;
        prop_assert!(u64::from(counters.cycles) <= bound,
            "{} clocks for at most {} stream bits (stall {}), bound {}", counters.cycles, bits, counters.stall, bound);
        // Driver::run soft-resets after an error: the accelerator is idle and clean.
        if error.is_some() {
            prop_assert_eq!(status(&mut d), (0, 0, 0));
        }
        good_layer_runs(&mut d, seed);
    }
}

/// Soft reset in the middle of a long run stops it: STATUS, ERROR and CYCLES read 0, `irq` is low,
/// and the next good layer runs correctly. Then the same after a run that ended in an error.
#[test]
fn soft_reset_returns_to_idle() {
    for lanes in [1usize, 4] {
        let mut d = driver(lanes);
        // A long valid layer: 40 x 40, dense, EG(0) of 8 distinct weights (one pass, ~400 clocks
        // per lane at P = 4).
        let mut rng = Rng(7 + lanes as u64);
        let spec = LayerSpec {
            rows: 40,
            cols: 40,
            sparsity: 0,
            distinct: 8,
            seed: 1,
        };
        let model = QModel::from_layers(vec![random_layer(&spec, &mut rng)]);
        let program = d.compile(&model, CompileOptions::fixed(0, false)).unwrap();
        let image = &program.layers[0];
        assert_eq!(image.passes.len(), 1, "the layer fits in one pass");
        d.load(image, 0, true).unwrap();
        d.write_inputs(&random_input(spec.cols, &mut rng)).unwrap();
        {
            let acc = d.bus();
            acc.start().unwrap();
            acc.tick(100);
            assert!(!acc.irq(), "P={lanes}: the run is still going after 100 clocks");
            let st = acc.read(regmap::REG_STATUS).unwrap();
            assert_eq!(
                st & regmap::STATUS_BUSY,
                regmap::STATUS_BUSY,
                "P={lanes}: BUSY during the run"
            );
            acc.write(regmap::REG_CTRL, regmap::CTRL_SOFT_RESET).unwrap();
            acc.tick(4);
            assert!(!acc.irq());
        }
        assert_eq!(status(&mut d), (0, 0, 0), "P={lanes}: idle after a soft reset mid-run");
        // Nothing restarts by itself.
        d.bus().tick(1000);
        assert_eq!(status(&mut d).0, 0, "P={lanes}: still idle 1000 clocks later");
        good_layer_runs(&mut d, 11);

        // An error run (a stream of zeros is TOO_LONG), then a soft reset by hand.
        d.write_config(4, 4, 0, 0, 0, 4).unwrap();
        d.write_vmap(&[0, 1, 2, 3]).unwrap();
        d.write_bias(&[0; 4]).unwrap();
        d.write_streams(&vec![vec![0u32; 4]; lanes]).unwrap();
        d.write_inputs(&[1; 4]).unwrap();
        let out = d.bus().run(LIMIT).unwrap();
        assert_eq!(out.error.and_then(|e| e.code), Some(ErrorCode::TooLong), "P={lanes}");
        let (st, err, _) = status(&mut d);
        assert_eq!(st, regmap::STATUS_DONE | regmap::STATUS_ERROR);
        assert_ne!(err, 0);
        d.bus().reset().unwrap();
        assert_eq!(
            status(&mut d),
            (0, 0, 0),
            "P={lanes}: idle after a soft reset that follows an error"
        );
        good_layer_runs(&mut d, 12);
    }
}

/// Configurations docs/hardware.md lists as BAD_CONFIG are refused at START: the run ends at once
/// with that error, and the next good layer runs.
#[test]
fn bad_configurations_are_refused_at_start() {
    let lanes = 4;
    let mut d = driver(lanes);
    let entries = d.sizes().vmap_entries();
    let stream_words = d.sizes().stream_words();
    let over = d.sizes().max_dim() + 1;
    // (rows, cols, k, shift, flags, vmap_len, stream_len)
    let cases: Vec<(&str, usize, usize, u32, u32, u32, usize, usize)> = vec![
        ("rows 0", 0, 4, 0, 0, 0, 4, 1),
        ("cols 0", 4, 0, 0, 0, 0, 4, 1),
        ("rows max_dim + 1", over, 4, 0, 0, 0, 4, 1),
        ("cols max_dim + 1", 4, over, 0, 0, 0, 4, 1),
        ("rows 2^12 + 4 (truncates to 4)", 4096 + 4, 4, 0, 0, 0, 4, 1),
        ("k 8", 4, 4, 8, 0, 0, 4, 1),
        ("shift 32", 4, 4, 0, 32, 0, 4, 1),
        ("VMAP_LEN 0", 4, 4, 0, 0, 0, 0, 1),
        ("VMAP_LEN > entries", 4, 4, 0, 0, 0, entries + 1, 1),
        ("STREAM_LEN > words", 4, 4, 0, 0, 0, 4, stream_words + 1),
        ("ZERO_SKIP with k 1", 4, 4, 1, 0, regmap::flags(false, true), 4, 1),
    ];
    for (what, rows, cols, k, shift, flags, vmap_len, stream_len) in cases {
        {
            let b = d.bus();
            for (reg, v) in [
                (regmap::REG_ROWS, rows as u32),
                (regmap::REG_COLS, cols as u32),
                (regmap::REG_K, k),
                (regmap::REG_SHIFT, shift),
                (regmap::REG_FLAGS, flags),
                (regmap::REG_VMAP_LEN, vmap_len as u32),
            ] {
                b.write(reg, v).unwrap();
            }
            for l in 0..lanes {
                b.write(regmap::stream_len_reg(l), stream_len as u32).unwrap();
            }
        }
        // START, then DONE must rise within a few clocks (Accelerator::run expects a run to start).
        let acc = d.bus();
        acc.write(regmap::REG_CTRL, regmap::CTRL_START).unwrap();
        let mut clocks = 0;
        while !acc.irq() && clocks < 100 {
            acc.tick(1);
            clocks += 1;
        }
        assert!(clocks <= 4, "{what}: DONE after {clocks} clocks");
        let st = acc.read(regmap::REG_STATUS).unwrap();
        assert_eq!(
            st & !regmap::STATUS_BUSY,
            regmap::STATUS_DONE | regmap::STATUS_ERROR,
            "{what}: STATUS {st:#x}"
        );
        let e = regmap::ErrorInfo::decode(acc.read(regmap::REG_ERROR).unwrap(), 0);
        assert_eq!(e.code, Some(ErrorCode::BadConfig), "{what}");
        assert_eq!(acc.read(regmap::REG_PERF_NONZERO).unwrap(), 0, "{what}: nothing ran");
        d.bus().reset().unwrap();
        good_layer_runs(&mut d, 21);
    }
}
