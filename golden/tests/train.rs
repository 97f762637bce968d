//! Trainer tests: gradients against finite differences, determinism, ν range, accuracy on digits,
//! model I/O, and the integer export against float inference.

use golden::data::{digits, Dataset, Split};
use golden::train::{self, io, Mlp, Optimizer, Progress, Regularizer, TrainConfig, Workspace};
use rand::{Rng, SeedableRng};

fn random_batch(n: usize, features: usize, classes: usize, seed: u64) -> (Vec<f32>, Vec<u8>) {
    let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(seed);
    let x = (0..n * features).map(|_| rng.random_range(-1.0f32..1.0)).collect();
    let y = (0..n).map(|_| rng.random_range(0..classes as u8)).collect();
    (x, y)
}

fn loss_at(mlp: &Mlp, x: &[f32], y: &[u8]) -> f64 {
    let mut g = vec![0.0; mlp.params().len()];
    f64::from(mlp.loss_and_grad(x, y, &mut g, &mut Workspace::default()))
}

/// Central differences of `J = L + λR` (ν held fixed, as Algorithm 1 does within a batch) against
/// backprop plus `λ·∂R/∂θ`, over every parameter of a small two-hidden-layer MLP.
fn check_full_loss_gradient(reg: Regularizer, lambda: f64) {
    let mut mlp = Mlp::new(&[5, 7, 6, 4], 3).unwrap();
    // Keep parameters away from 0 so that no finite difference crosses the kink of |θ|.
    for p in mlp.params_mut() {
        if p.abs() < 0.05 {
            *p = if *p < 0.0 { -0.05 } else { 0.05 };
        }
    }
    let (x, y) = random_batch(9, 5, 4, 7);
    let eps = 1e-3;
    let nu = reg.exponent(mlp.params()).unwrap();
    let mut grad = vec![0.0; mlp.params().len()];
    mlp.loss_and_grad(&x, &y, &mut grad, &mut Workspace::default());
    let mut rgrad = vec![0.0; grad.len()];
    reg.grad(mlp.params(), nu, eps, &mut rgrad);
    let j = |m: &Mlp| loss_at(m, &x, &y) + lambda * reg.rate(m.params(), nu, eps);
    let h = 1e-3f32;
    let mut worst = 0.0f64;
    for i in 0..grad.len() {
        let mut plus = mlp.clone();
        plus.params_mut()[i] += h;
        let mut minus = mlp.clone();
        minus.params_mut()[i] -= h;
        let fd = (j(&plus) - j(&minus)) / f64::from(2.0 * h);
        let analytic = f64::from(grad[i]) + lambda * f64::from(rgrad[i]);
        let err = (fd - analytic).abs() / (1e-2 + analytic.abs());
        worst = worst.max(err);
        assert!(
            err < 2e-2,
            "{reg} parameter {i}: finite difference {fd} vs analytic {analytic}"
        );
    }
    assert!(worst.is_finite());
}

#[test]
fn backprop_matches_finite_differences() {
    check_full_loss_gradient(Regularizer::None, 0.0);
}

#[test]
fn dggr_gradient_matches_finite_differences_of_the_full_loss() {
    // λ large enough that the rate term dominates some parameters' gradients.
    check_full_loss_gradient(Regularizer::Dggr, 50.0);
    check_full_loss_gradient(Regularizer::Lp(0.5), 50.0);
    check_full_loss_gradient(Regularizer::L1, 20.0);
    check_full_loss_gradient(Regularizer::L2, 20.0);
}

fn quick(reg: Regularizer, lambda: f32, epochs: usize, seed: u64) -> TrainConfig {
    TrainConfig {
        hidden: vec![32],
        reg,
        lambda,
        epochs,
        batch: 32,
        seed,
        ..TrainConfig::default()
    }
}

fn run(data: &Dataset, cfg: &TrainConfig) -> train::TrainResult {
    train::train(data, cfg, &mut |_| {}).unwrap()
}

#[test]
fn training_is_deterministic_for_a_seed() {
    let data = digits().unwrap();
    let cfg = quick(Regularizer::Dggr, 20.0, 2, 11);
    let a = run(&data, &cfg);
    let b = run(&data, &cfg);
    let bits = |m: &Mlp| m.params().iter().map(|p| p.to_bits()).collect::<Vec<_>>();
    assert_eq!(bits(&a.mlp), bits(&b.mlp));
    let timeless = |r: &train::TrainResult| {
        r.history
            .iter()
            .map(|h| train::EpochStats {
                seconds: 0.0,
                ..h.clone()
            })
            .collect::<Vec<_>>()
    };
    assert_eq!(timeless(&a), timeless(&b));
    assert_eq!(a.nu_trace, b.nu_trace);
    let c = run(
        &data,
        &TrainConfig {
            seed: 12,
            ..cfg.clone()
        },
    );
    assert_ne!(bits(&a.mlp), bits(&c.mlp));
    // Adam too.
    let adam = TrainConfig {
        optimizer: Optimizer::adam(0.003),
        epochs: 1,
        ..cfg
    };
    assert_eq!(bits(&run(&data, &adam).mlp), bits(&run(&data, &adam).mlp));
}

#[test]
fn a_short_digits_run_reaches_a_sane_accuracy() {
    let data = digits().unwrap();
    let mut lines = 0;
    let r = train::train(&data, &quick(Regularizer::None, 0.0, 4, 1), &mut |p| {
        if let Progress::Epoch(_) = p {
            lines += 1
        }
    })
    .unwrap();
    assert_eq!(lines, 5, "epoch 0 plus 4 epochs");
    let last = r.history.last().unwrap();
    assert!(last.test_acc >= 0.90, "test accuracy {}", last.test_acc);
    assert!(last.train_acc >= 0.90, "train accuracy {}", last.train_acc);
    assert!(r.history[0].test_acc < 0.5, "an untrained model should be near chance");
}

#[test]
fn dggr_keeps_nu_in_range_and_lowers_it() {
    let data = digits().unwrap();
    let r = run(&data, &quick(Regularizer::Dggr, 50.0, 4, 5));
    assert!(r.nu_trace.len() > 10);
    for p in &r.nu_trace {
        assert!(
            p.nu.is_finite() && (golden::gg::NU_MIN..=golden::gg::NU_MAX).contains(&p.nu),
            "ν = {} at {}",
            p.nu,
            p.epoch
        );
    }
    let first = r.history.first().unwrap();
    let last = r.history.last().unwrap();
    // Uniform He initialisation has ν far above 1; the rate term must push it down and zero weights.
    assert!(last.nu < first.nu * 0.7, "ν {} -> {}", first.nu, last.nu);
    let base = run(&data, &quick(Regularizer::None, 0.0, 4, 5));
    let b = base.history.last().unwrap();
    assert!(
        last.code.zero_fraction > b.code.zero_fraction,
        "zeros {} vs {}",
        last.code.zero_fraction,
        b.code.zero_fraction
    );
    assert!(
        last.code.eg_bits < b.code.eg_bits,
        "EG bits {} vs {}",
        last.code.eg_bits,
        b.code.eg_bits
    );
}

#[test]
fn safetensors_round_trip_keeps_weights_and_metadata() {
    let mlp = Mlp::new(&[6, 5, 3], 9).unwrap();
    let mut meta = std::collections::BTreeMap::new();
    meta.insert("reg".to_string(), "dggr".to_string());
    let bytes = io::save_safetensors(&mlp, &meta).unwrap();
    let (back, m) = io::load_safetensors(&bytes).unwrap();
    assert_eq!(back, mlp);
    assert_eq!(m.get("reg").map(String::as_str), Some("dggr"));
    assert_eq!(m.get("sizes").map(String::as_str), Some("6,5,3"));
    assert!(io::load_safetensors(&bytes[..bytes.len() - 4]).is_err());
    assert!(io::load_safetensors(b"not a model").is_err());
}

#[test]
fn integer_export_agrees_with_float_inference() {
    let data = digits().unwrap();
    let r = run(&data, &quick(Regularizer::Dggr, 20.0, 4, 2));
    let q = train::export_qmodel(&r.mlp, &data.train, 8).unwrap();
    q.validate().unwrap();
    assert_eq!(q.layers.len(), 2);
    assert!(q.layers[0].relu && !q.layers[1].relu);
    let agree = train::agreement(&r.mlp, &q, &data.test).unwrap();
    assert!(agree >= 0.97, "integer/float agreement {agree}");
    let acc = train::export::int_accuracy(&q, &data.test, data.features).unwrap();
    assert!(acc >= 0.88, "integer accuracy {acc}");
    // Bad calibration data is an error, not a panic.
    let empty = Split { x: vec![], y: vec![] };
    assert!(train::export_qmodel(&r.mlp, &empty, 8).is_err());
}

#[test]
fn bad_configurations_are_errors() {
    let data = digits().unwrap();
    for cfg in [
        TrainConfig {
            batch: 0,
            ..TrainConfig::default()
        },
        TrainConfig {
            lambda: -1.0,
            ..TrainConfig::default()
        },
        TrainConfig {
            hidden: vec![0],
            ..TrainConfig::default()
        },
        TrainConfig {
            eps: f32::NAN,
            ..TrainConfig::default()
        },
    ] {
        assert!(train::train(&data, &cfg, &mut |_| {}).is_err());
    }
    assert!(Regularizer::parse("lp:0").is_err());
    assert!(Regularizer::parse("l3").is_err());
    assert_eq!(Regularizer::parse("lp:0.5").unwrap(), Regularizer::Lp(0.5));
    assert!(Optimizer::parse("rmsprop", None).is_err());
}
