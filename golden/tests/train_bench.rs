//! Trainer speed (run by `make bench`: `cargo test --release -- --ignored`).
//!
//! Prints training samples/s of the default MLP (digits, 64-128-64-10, batch 32, SGD) on one core
//! with and without the DGGR rate term, and the share of a DGGR step spent in the per-batch ν
//! estimate over all parameters.

use golden::data::digits;
use golden::train::{self, Mlp, OptState, Optimizer, Regularizer, TrainConfig, Workspace};
use std::time::Instant;

#[test]
#[ignore]
fn trainer_speed_and_rate_term_share() {
    let data = digits().unwrap();
    let cfg = TrainConfig::default();
    let sizes = cfg.sizes(&data);
    let mut mlp = Mlp::new(&sizes, 1).unwrap();
    let np = mlp.params().len();
    let f = data.features;
    let b = cfg.batch;
    let steps = 3000;
    let mut grad = vec![0.0; np];
    let mut rgrad = vec![0.0; np];
    let mut ws = Workspace::default();
    let mut opt = OptState::new(Optimizer::sgd(0.01), np);
    let batch = |s: usize| {
        let i = (s * b) % (data.train.len() - b);
        (&data.train.x[i * f..(i + b) * f], &data.train.y[i..i + b])
    };
    let (mut t_task, mut t_nu, mut t_rate) = (0.0, 0.0, 0.0);
    for s in 0..steps {
        let (x, y) = batch(s);
        let t0 = Instant::now();
        let nu = Regularizer::Dggr.exponent(mlp.params()).unwrap();
        let t1 = Instant::now();
        mlp.loss_and_grad(x, y, &mut grad, &mut ws);
        let t2 = Instant::now();
        Regularizer::Dggr.grad(mlp.params(), nu, 0.01, &mut rgrad);
        rgrad.iter_mut().for_each(|r| *r *= 20.0);
        opt.step(mlp.params_mut(), &grad, &rgrad, 1.0);
        let t3 = Instant::now();
        t_nu += (t1 - t0).as_secs_f64();
        t_task += (t2 - t1).as_secs_f64();
        t_rate += (t3 - t2).as_secs_f64();
    }
    let total = t_nu + t_task + t_rate;
    let samples = (steps * b) as f64;
    println!(
        "MLP {sizes:?} ({np} parameters), batch {b}: DGGR step {:.1} µs = {:.0} samples/s; \
         ν estimate {:.1}% of the step, rate gradient + update {:.1}%, forward/backward {:.1}%",
        1e6 * total / steps as f64,
        samples / total,
        100.0 * t_nu / total,
        100.0 * t_rate / total,
        100.0 * t_task / total
    );
    // Without the rate term: forward/backward and the update only.
    let zero = vec![0.0; np];
    let t0 = Instant::now();
    for s in 0..steps {
        let (x, y) = batch(s);
        mlp.loss_and_grad(x, y, &mut grad, &mut ws);
        opt.step(mlp.params_mut(), &grad, &zero, 1.0);
    }
    let plain = t0.elapsed().as_secs_f64();
    println!("without the rate term: {:.0} samples/s", samples / plain);
    // A whole training run through the public entry point.
    let t0 = Instant::now();
    let cfg = TrainConfig {
        reg: Regularizer::Dggr,
        lambda: 20.0,
        epochs: 5,
        ..TrainConfig::default()
    };
    let r = train::train(&data, &cfg, &mut |_| {}).unwrap();
    let secs = t0.elapsed().as_secs_f64();
    println!(
        "train(): 5 epochs DGGR in {secs:.2} s including per-epoch evaluation ({:.0} samples/s), test accuracy {:.2}%",
        (5 * data.train.len()) as f64 / secs,
        100.0 * r.history.last().unwrap().test_acc
    );
    assert!(total > 0.0 && plain > 0.0);
}
