//! Optimizers over the flat parameter vector.
//!
//! Both follow a cosine learning-rate schedule over the whole run (see [`cosine`]). The rate
//! gradient enters differently:
//! - SGD (with optional momentum): the plain gradient of `J = L + λR`, as in Algorithm 1.
//! - Adam: the task gradient goes through Adam's adaptive normalisation; the rate gradient is
//!   applied *decoupled*, `θ ← θ − η·(m̂/(√v̂+ε_adam) + λ·∂R/∂θ)`, like AdamW's weight decay.
//!   Inside the normalisation a tiny rate gradient would be divided by `√v̂` of the task gradient
//!   or drowned in `ε_adam`, and its strength would depend on the task gradient's scale. See
//!   docs/training.md.

use super::TrainError;

/// An optimizer and its hyper-parameters.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Optimizer {
    /// Stochastic gradient descent with heavy-ball momentum (0 for none).
    Sgd { lr: f32, momentum: f32 },
    /// Adam with a decoupled rate gradient.
    Adam { lr: f32, beta1: f32, beta2: f32, eps: f32 },
}

impl Optimizer {
    /// SGD, learning rate `lr`, momentum 0.9.
    pub fn sgd(lr: f32) -> Optimizer {
        Optimizer::Sgd { lr, momentum: 0.9 }
    }

    /// Adam, learning rate `lr`, β = (0.9, 0.999), ε = 1e-8.
    pub fn adam(lr: f32) -> Optimizer {
        Optimizer::Adam {
            lr,
            beta1: 0.9,
            beta2: 0.999,
            eps: 1e-8,
        }
    }

    /// `sgd` or `adam` with the given learning rate (or the default: 0.05 for SGD, 0.001 for Adam).
    pub fn parse(name: &str, lr: Option<f32>) -> Result<Optimizer, TrainError> {
        let opt = match name {
            "sgd" => Optimizer::sgd(lr.unwrap_or(0.05)),
            "adam" => Optimizer::adam(lr.unwrap_or(0.001)),
            _ => {
                return Err(TrainError::Config(format!(
                    "unknown optimizer `{name}` (expected sgd or adam)"
                )))
            }
        };
        if !(opt.lr() > 0.0 && opt.lr().is_finite()) {
            return Err(TrainError::Config(format!(
                "learning rate {} must be positive",
                opt.lr()
            )));
        }
        Ok(opt)
    }

    /// The learning rate.
    pub fn lr(&self) -> f32 {
        match *self {
            Optimizer::Sgd { lr, .. } | Optimizer::Adam { lr, .. } => lr,
        }
    }

    /// `sgd` or `adam`.
    pub fn name(&self) -> &'static str {
        match self {
            Optimizer::Sgd { .. } => "sgd",
            Optimizer::Adam { .. } => "adam",
        }
    }
}

/// The state of an optimizer over `n` parameters.
#[derive(Debug, Clone)]
pub struct OptState {
    opt: Optimizer,
    m: Vec<f32>,
    v: Vec<f32>,
    t: i32,
}

impl OptState {
    /// Zero state for `n` parameters.
    pub fn new(opt: Optimizer, n: usize) -> OptState {
        let v = if matches!(opt, Optimizer::Adam { .. }) {
            vec![0.0; n]
        } else {
            Vec::new()
        };
        OptState {
            opt,
            m: vec![0.0; n],
            v,
            t: 0,
        }
    }

    /// One update from the task gradient `g` and the rate gradient `r` (already multiplied by λ),
    /// with the learning rate multiplied by `lr_scale` (the schedule).
    pub fn step(&mut self, params: &mut [f32], g: &[f32], r: &[f32], lr_scale: f32) {
        self.t += 1;
        match self.opt {
            Optimizer::Sgd { lr, momentum } => {
                let lr = lr * lr_scale;
                for (((p, m), &g), &r) in params.iter_mut().zip(&mut self.m).zip(g).zip(r) {
                    *m = momentum * *m + g + r;
                    *p -= lr * *m;
                }
            }
            Optimizer::Adam { lr, beta1, beta2, eps } => {
                let lr = lr * lr_scale;
                let c1 = 1.0 / (1.0 - beta1.powi(self.t));
                let c2 = 1.0 / (1.0 - beta2.powi(self.t));
                for ((((p, m), v), &g), &r) in params.iter_mut().zip(&mut self.m).zip(&mut self.v).zip(g).zip(r) {
                    *m = beta1 * *m + (1.0 - beta1) * g;
                    *v = beta2 * *v + (1.0 - beta2) * g * g;
                    let mhat = *m * c1;
                    let vhat = *v * c2;
                    *p -= lr * (mhat / (vhat.sqrt() + eps) + r);
                }
            }
        }
    }
}

/// The cosine schedule: the learning-rate factor after `done` of `total` steps,
/// `0.5·(1 + cos(π·done/total))`, from 1 down to 0. Annealing matters for BackSlash: a weight that
/// the rate gradient drives to zero keeps crossing it by about `η·λ·∂R/∂θ` per step, and only a
/// decaying `η` lets it settle inside the zero bin of the quantizer.
pub fn cosine(done: usize, total: usize) -> f32 {
    if total == 0 {
        return 1.0;
    }
    let t = (done as f64 / total as f64).min(1.0);
    (0.5 * (1.0 + (std::f64::consts::PI * t).cos())) as f32
}
