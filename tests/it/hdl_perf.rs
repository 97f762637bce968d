//! Cycles-per-weight report of the accelerator (rust-hdl simulation of the generated design; the
//! iverilog test shows its cycle counts equal the Verilog's). Ignored by default; run with
//!
//! ```text
//! cargo test --test it hdl_perf:: -- --ignored --nocapture
//! ```
//!
//! Prints a markdown table for docs/hardware.md: a 64 x 128 layer (P = 4, large memories) with
//! i.i.d. weights, a given fraction of zeros and the rest uniform in ±1..=100, coded EG(0) with
//! zero-run skipping when index 0 is the zero weight.
use golden::infer::{QLayer, QModel};
use hdl::host_sim::HostSim;
use host::{CompileOptions, Driver};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

const P: usize = 4;

#[test]
#[ignore = "report: run with --ignored --nocapture"]
fn cycles_per_weight_report() {
    let (rows, cols) = (64, 128);
    println!("| zeros | weights | non-zero | cycles | cycles/weight/lane | speed-up vs 1 weight/clock/lane | MAC events/clock/lane | stall lane-clocks |");
    println!("|---|---|---|---|---|---|---|---|");
    for (seed, zero_frac) in [(1u64, 0.0), (2, 0.5), (3, 0.8), (4, 0.95)] {
        let mut rng = ChaCha8Rng::seed_from_u64(seed);
        let weights: Vec<i32> = (0..rows * cols)
            .map(|_| {
                if rng.random_bool(zero_frac) {
                    0
                } else {
                    let m = rng.random_range(1..=100);
                    if rng.random_bool(0.5) {
                        m
                    } else {
                        -m
                    }
                }
            })
            .collect();
        let layer = QLayer {
            rows,
            cols,
            weights,
            bias: vec![0; rows],
            shift: 8,
            relu: true,
        };
        let x: Vec<i8> = (0..cols).map(|_| rng.random()).collect();
        let want = layer.forward(&x);
        let model = QModel::from_layers(vec![layer]);
        // EG(0), zero-run skipping where index 0 is the zero weight.
        let opts = CompileOptions::fixed(0, true);
        let mut hw = HostSim::<P, 11, 10>::new().unwrap();
        let mut d = Driver::new(&mut hw).unwrap();
        let program = d.compile(&model, opts).unwrap();
        let got = d.infer(&program, &x).unwrap();
        assert_eq!(got.outputs[0], want);
        let s = got.counters[0];
        let n = (rows * cols) as f64;
        let per_lane = n / P as f64;
        let codewords = (s.nonzero + s.zero_mac) as f64 / P as f64;
        println!(
            "| {:.0}% | {} | {} | {} | {:.3} | {:.2}x | {:.3} | {} |",
            zero_frac * 100.0,
            rows * cols,
            s.nonzero,
            s.cycles,
            s.cycles as f64 / per_lane,
            per_lane / s.cycles as f64,
            codewords / s.cycles as f64,
            s.stall
        );
        if zero_frac == 0.8 {
            assert!(
                per_lane / s.cycles as f64 >= 3.0,
                "target: 3x fewer cycles at 80% zeros"
            );
        }
    }
}
