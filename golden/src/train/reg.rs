//! The regularizers `R` of the training loss `J = task loss + λ·R`.
//!
//! All are normalised by the parameter count `Np` and act on all parameters (weights and biases,
//! as in the paper's Eq. 7):
//!
//! | name     | `R(θ)`                          | gradient                                 |
//! |----------|---------------------------------|------------------------------------------|
//! | `dggr`   | `(1/Np) Σ (|θ|+ε)^ν`, ν re-estimated from all parameters before every batch | `ν·sign(θ)·(|θ|+ε)^(ν-1)/Np` (Algorithm 1, line 8) |
//! | `lp:P`   | the same with ν fixed to `P`    | the same with ν = `P`                     |
//! | `l1`     | `(1/Np) Σ |θ|`                  | `sign(θ)/Np`                              |
//! | `l2`     | `(1/Np) Σ θ²`                   | `2θ/Np`                                   |
//! | `none`   | 0                               | 0                                         |
//!
//! DGGR and Lp go through the one rate piece of golden, [`crate::gg::dggr_rate`] and
//! [`crate::gg::dggr_grad`], so every trainer computes the rate term the same way.

use super::TrainError;
use crate::gg;

/// A regularizer (see the module documentation).
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Regularizer {
    /// No rate term.
    None,
    /// Discretized generalized-Gaussian rate with ν estimated before every batch (BackSlash).
    Dggr,
    /// The DGGR form with a fixed exponent `p`.
    Lp(f64),
    /// Mean absolute value.
    L1,
    /// Mean square.
    L2,
}

impl Regularizer {
    /// Parses `dggr`, `l1`, `l2`, `lp:P` (0 < P ≤ 8) or `none`.
    pub fn parse(s: &str) -> Result<Regularizer, TrainError> {
        let bad = || {
            TrainError::Config(format!(
                "unknown regularizer `{s}` (expected dggr, l1, l2, lp:P or none)"
            ))
        };
        Ok(match s.trim() {
            "dggr" => Regularizer::Dggr,
            "l1" => Regularizer::L1,
            "l2" => Regularizer::L2,
            "none" => Regularizer::None,
            other => {
                let p = other.strip_prefix("lp:").ok_or_else(bad)?;
                let p: f64 = p.parse().map_err(|_| bad())?;
                if !(p > 0.0 && p <= 8.0) {
                    return Err(TrainError::Config(format!("lp:{p}: the exponent must be in (0, 8]")));
                }
                Regularizer::Lp(p)
            }
        })
    }

    /// The name that [`Regularizer::parse`] accepts.
    pub fn name(&self) -> String {
        match self {
            Regularizer::None => "none".into(),
            Regularizer::Dggr => "dggr".into(),
            Regularizer::Lp(p) => format!("lp:{p}"),
            Regularizer::L1 => "l1".into(),
            Regularizer::L2 => "l2".into(),
        }
    }

    /// The exponent the rate uses for the next batch: ν estimated from `params` for DGGR (the
    /// moment-matching estimator [`crate::gg::estimate_shape`]), the fixed exponent otherwise.
    pub fn exponent(&self, params: &[f32]) -> Result<f64, TrainError> {
        Ok(match self {
            Regularizer::Dggr => {
                gg::estimate_shape(params).map_err(|e| TrainError::Shape(format!("ν estimate: {e}")))?
            }
            Regularizer::Lp(p) => *p,
            Regularizer::L1 => 1.0,
            Regularizer::L2 => 2.0,
            Regularizer::None => 0.0,
        })
    }

    /// `R(θ)` with exponent `nu` (from [`Regularizer::exponent`]) and soft-clipping `eps`.
    pub fn rate(&self, params: &[f32], nu: f64, eps: f64) -> f64 {
        let np = params.len().max(1) as f64;
        match self {
            Regularizer::Dggr | Regularizer::Lp(_) => gg::dggr_rate(params, nu, eps),
            Regularizer::L1 => params.iter().map(|&t| t.abs() as f64).sum::<f64>() / np,
            Regularizer::L2 => params.iter().map(|&t| (t as f64) * (t as f64)).sum::<f64>() / np,
            Regularizer::None => 0.0,
        }
    }

    /// Writes `∂R/∂θ` (without λ) into `out`.
    pub fn grad(&self, params: &[f32], nu: f64, eps: f64, out: &mut [f32]) {
        let inv_np = 1.0 / params.len().max(1) as f32;
        match self {
            Regularizer::Dggr | Regularizer::Lp(_) => gg::dggr_grad(params, nu, eps, out),
            Regularizer::L1 => out.iter_mut().zip(params).for_each(|(g, &t)| {
                *g = if t > 0.0 {
                    inv_np
                } else if t < 0.0 {
                    -inv_np
                } else {
                    0.0
                }
            }),
            Regularizer::L2 => out.iter_mut().zip(params).for_each(|(g, &t)| *g = 2.0 * t * inv_np),
            Regularizer::None => out.iter_mut().for_each(|g| *g = 0.0),
        }
    }
}

impl std::fmt::Display for Regularizer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.name())
    }
}
