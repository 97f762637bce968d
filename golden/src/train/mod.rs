//! The BackSlash trainer (paper Section 4, Algorithm 1): rate-constrained training of MLPs.
//!
//! - [`mlp`]: the model, a flat parameter vector with manual backprop ([`gemm`] does the products).
//! - [`reg`]: the regularizers `R` of `J = task loss + λ·R` (DGGR through [`crate::gg`]).
//! - [`optim`]: SGD and Adam (rate gradient decoupled from Adam's normalisation).
//! - [`metrics`]: EG / Huffman / fixed-length bits per weight after quantization.
//! - [`io`]: safetensors save and load with the training metadata.
//! - [`export`]: the integer [`crate::infer::QModel`] the accelerator runs.
//!
//! Training is deterministic: initialisation and shuffling use ChaCha8 seeded from the config's
//! seed, the products run single-threaded in a fixed order, and all reductions are sequential.

pub mod export;
pub mod gemm;
pub mod io;
pub mod metrics;
pub mod mlp;
pub mod optim;
pub mod reg;

pub use export::{agreement, export_qmodel};
pub use metrics::{code_stats, CodeStats};
pub use mlp::{Mlp, Workspace};
pub use optim::{OptState, Optimizer};
pub use reg::Regularizer;

use crate::data::Dataset;
use rand::seq::SliceRandom;
use rand::SeedableRng;
use thiserror::Error;

/// Quantization step exponent at which the per-epoch bits/weight are reported (step 2^-8).
pub const REPORT_STEP_BITS: u32 = 8;

/// Errors of the trainer, the model I/O and the integer export.
#[derive(Debug, Error)]
pub enum TrainError {
    /// A configuration value is invalid.
    #[error("invalid training configuration: {0}")]
    Config(String),
    /// Shapes, sizes or parameter values are inconsistent.
    #[error("{0}")]
    Shape(String),
    /// Training diverged (a non-finite loss or parameter).
    #[error("training diverged at epoch {epoch}, batch {batch}: {what}")]
    Diverged { epoch: usize, batch: usize, what: String },
    /// A model file is malformed.
    #[error("model file: {0}")]
    Format(String),
    /// The integer export is impossible (a weight or bias out of range).
    #[error("integer export: {0}")]
    Export(String),
}

/// Everything that defines a training run.
#[derive(Debug, Clone, PartialEq)]
pub struct TrainConfig {
    /// Hidden layer sizes (empty: a linear classifier).
    pub hidden: Vec<usize>,
    /// The regularizer `R`.
    pub reg: Regularizer,
    /// The Lagrange multiplier λ.
    pub lambda: f32,
    /// The soft-clipping constant ε of DGGR / Lp.
    pub eps: f32,
    /// Number of passes over the training set.
    pub epochs: usize,
    /// Mini-batch size (the last batch of an epoch may be smaller).
    pub batch: usize,
    /// The optimizer.
    pub optimizer: Optimizer,
    /// Seed of the initialisation and of the shuffling.
    pub seed: u64,
}

impl Default for TrainConfig {
    fn default() -> Self {
        TrainConfig {
            hidden: vec![128, 64],
            reg: Regularizer::None,
            lambda: 0.0,
            eps: 1e-2,
            epochs: 20,
            batch: 32,
            optimizer: Optimizer::sgd(0.05),
            seed: 1,
        }
    }
}

impl TrainConfig {
    /// Checks the values.
    pub fn validate(&self) -> Result<(), TrainError> {
        let bad = |s: String| Err(TrainError::Config(s));
        if self.batch == 0 {
            return bad("batch size must be at least 1".into());
        }
        if self.hidden.contains(&0) {
            return bad(format!("hidden sizes {:?} contain 0", self.hidden));
        }
        if !(self.lambda >= 0.0 && self.lambda.is_finite()) {
            return bad(format!("λ = {} must be finite and ≥ 0", self.lambda));
        }
        if !(self.eps >= 0.0 && self.eps.is_finite()) {
            return bad(format!("ε = {} must be finite and ≥ 0", self.eps));
        }
        if !(self.optimizer.lr() > 0.0 && self.optimizer.lr().is_finite()) {
            return bad(format!("learning rate {} must be positive", self.optimizer.lr()));
        }
        Ok(())
    }

    /// Layer sizes `[features, hidden..., classes]` for a dataset.
    pub fn sizes(&self, data: &Dataset) -> Vec<usize> {
        let mut s = vec![data.features];
        s.extend(&self.hidden);
        s.push(data.classes);
        s
    }
}

/// What was measured after one epoch (epoch 0: the initialisation, before any step).
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct EpochStats {
    /// Epoch number, 1-based (0 = before training).
    pub epoch: usize,
    /// Mean task (cross-entropy) loss over the epoch's batches (at epoch 0: on the training set).
    pub loss: f64,
    /// `R(θ)` at the end of the epoch, with the ν of `nu` (0 for `none`).
    pub rate: f64,
    /// GG shape ν estimated from all parameters at the end of the epoch.
    pub nu: f64,
    /// Training-set accuracy.
    pub train_acc: f64,
    /// Test-set accuracy.
    pub test_acc: f64,
    /// Coded size of the weight matrices at step 2^-8 ([`REPORT_STEP_BITS`]).
    pub code: CodeStats,
    /// Wall time of the epoch's training steps, seconds (0 at epoch 0).
    pub seconds: f64,
}

/// A point of the ν trace: training progress in epochs and the ν the rate term used.
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct NuPoint {
    /// Epochs done (fractional).
    pub epoch: f64,
    /// Estimated shape.
    pub nu: f64,
}

/// The trained model and its history.
#[derive(Debug, Clone)]
pub struct TrainResult {
    /// The trained model.
    pub mlp: Mlp,
    /// One entry per epoch, starting with epoch 0 (the initialisation).
    pub history: Vec<EpochStats>,
    /// ν over training, about 20 points per epoch (every batch for short epochs).
    pub nu_trace: Vec<NuPoint>,
}

/// Progress reports of [`train`].
#[derive(Debug)]
pub enum Progress<'a> {
    /// A batch was done; `done` of `total` batches over the whole run.
    Batch { done: usize, total: usize },
    /// An epoch finished (also sent once for epoch 0).
    Epoch(&'a EpochStats),
}

/// Evaluates the model at an epoch boundary.
fn measure(
    mlp: &Mlp,
    data: &Dataset,
    cfg: &TrainConfig,
    epoch: usize,
    loss: f64,
    seconds: f64,
) -> Result<EpochStats, TrainError> {
    let nu = crate::gg::estimate_shape(mlp.params()).map_err(|e| TrainError::Shape(format!("ν estimate: {e}")))?;
    let rate_nu = match cfg.reg {
        Regularizer::Dggr => nu,
        r => r.exponent(mlp.params())?,
    };
    Ok(EpochStats {
        epoch,
        loss,
        rate: cfg.reg.rate(mlp.params(), rate_nu, f64::from(cfg.eps)),
        nu,
        train_acc: mlp.accuracy(&data.train),
        test_acc: mlp.accuracy(&data.test),
        code: code_stats(&mlp.weights_concat(), REPORT_STEP_BITS)?,
        seconds,
    })
}

/// Mean cross-entropy of a whole split (for the epoch-0 line).
fn split_loss(mlp: &Mlp, split: &crate::data::Split) -> f64 {
    let f = mlp.inputs();
    let mut grad = vec![0.0; mlp.params().len()];
    let mut ws = Workspace::default();
    let mut total = 0.0;
    for (xs, ys) in split.x.chunks(1024 * f).zip(split.y.chunks(1024)) {
        total += f64::from(mlp.loss_and_grad(xs, ys, &mut grad, &mut ws)) * ys.len() as f64;
    }
    total / split.len().max(1) as f64
}

/// Trains an MLP on `data` with `cfg`, reporting progress to `observer`.
///
/// Per batch (Algorithm 1): estimate ν from all parameters (DGGR only), compute the task
/// gradient by backprop and `λ·∂R/∂θ`, and let the optimizer step.
pub fn train(data: &Dataset, cfg: &TrainConfig, observer: &mut dyn FnMut(Progress)) -> Result<TrainResult, TrainError> {
    cfg.validate()?;
    if data.train.is_empty() {
        return Err(TrainError::Config(format!(
            "dataset {} has no training samples",
            data.name
        )));
    }
    let sizes = cfg.sizes(data);
    let mut mlp = Mlp::new(&sizes, cfg.seed)?;
    let np = mlp.params().len();
    let f = data.features;
    let n = data.train.len();
    let batches_per_epoch = n.div_ceil(cfg.batch);
    let total = batches_per_epoch * cfg.epochs;
    let trace_every = (batches_per_epoch / 20).max(1);
    let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(cfg.seed ^ 0x5348_5546_464c_4521);
    let mut order: Vec<usize> = (0..n).collect();
    let mut opt = OptState::new(cfg.optimizer, np);
    let mut grad = vec![0.0f32; np];
    let mut rgrad = vec![0.0f32; np];
    let mut ws = Workspace::default();
    let mut bx = Vec::with_capacity(cfg.batch * f);
    let mut by = Vec::with_capacity(cfg.batch);
    let eps = f64::from(cfg.eps);
    let lambda = cfg.lambda;

    let first = measure(&mlp, data, cfg, 0, split_loss(&mlp, &data.train), 0.0)?;
    observer(Progress::Epoch(&first));
    let mut nu_trace = vec![NuPoint {
        epoch: 0.0,
        nu: first.nu,
    }];
    let mut history = vec![first];
    let mut done = 0usize;
    for epoch in 1..=cfg.epochs {
        let start = std::time::Instant::now();
        order.shuffle(&mut rng);
        let mut loss_sum = 0.0f64;
        for (b, chunk) in order.chunks(cfg.batch).enumerate() {
            bx.clear();
            by.clear();
            for &i in chunk {
                bx.extend_from_slice(data.train.sample(i, f));
                by.push(data.train.y[i]);
            }
            let uses_rate = cfg.reg != Regularizer::None && lambda > 0.0;
            let nu = if uses_rate {
                cfg.reg.exponent(mlp.params())?
            } else {
                0.0
            };
            let loss = mlp.loss_and_grad(&bx, &by, &mut grad, &mut ws);
            if !loss.is_finite() {
                return Err(TrainError::Diverged {
                    epoch,
                    batch: b,
                    what: format!("loss is {loss}"),
                });
            }
            loss_sum += f64::from(loss) * chunk.len() as f64;
            if uses_rate {
                cfg.reg.grad(mlp.params(), nu, eps, &mut rgrad);
                rgrad.iter_mut().for_each(|r| *r *= lambda);
            }
            opt.step(mlp.params_mut(), &grad, &rgrad, optim::cosine(done, total));
            done += 1;
            if b % trace_every == trace_every - 1 {
                let nu = if cfg.reg == Regularizer::Dggr && uses_rate {
                    nu
                } else {
                    crate::gg::estimate_shape(mlp.params()).unwrap_or(f64::NAN)
                };
                nu_trace.push(NuPoint {
                    epoch: (epoch - 1) as f64 + (b + 1) as f64 / batches_per_epoch as f64,
                    nu,
                });
            }
            observer(Progress::Batch { done, total });
        }
        if let Some(i) = mlp.params().iter().position(|p| !p.is_finite()) {
            return Err(TrainError::Diverged {
                epoch,
                batch: batches_per_epoch,
                what: format!("parameter {i} is not finite"),
            });
        }
        let seconds = start.elapsed().as_secs_f64();
        let stats = measure(&mlp, data, cfg, epoch, loss_sum / n as f64, seconds)?;
        observer(Progress::Epoch(&stats));
        history.push(stats);
    }
    Ok(TrainResult { mlp, history, nu_trace })
}
