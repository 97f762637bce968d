//! Generalized-Gaussian (GG) statistics of weights (paper Section 3, Algorithm 1).
//!
//! The GG density is `p(θ) ∝ exp(-(|θ|/α)^ν)`. Its shape `ν` is estimated by moment matching:
//! `ρ(ν) = Γ(1/ν)·Γ(3/ν) / Γ²(2/ν) = E[θ²] / E²[|θ|]`, and `ρ` decreases monotonically from
//! ∞ (ν → 0) to 4/3 (ν → ∞, the uniform law), so the sample ratio is inverted by bisection in
//! `ln ν` over [[`NU_MIN`], [`NU_MAX`]]. Moments are taken about zero (weights are centred by
//! assumption, as in the paper) and accumulated in `f64`.
//!
//! The DGGR rate term is `(1/Np) Σ (|θ| + ε)^ν` and its gradient
//! `ν · sign(θ) · (|θ| + ε)^(ν-1) / Np` (Algorithm 1, line 8, without λ).

use thiserror::Error;

/// Smallest shape the estimator returns.
pub const NU_MIN: f64 = 0.02;
/// Largest shape the estimator returns.
pub const NU_MAX: f64 = 16.0;

/// Errors of the shape estimator.
#[derive(Debug, Error, Clone, PartialEq)]
pub enum GgError {
    /// No samples.
    #[error("no samples: the GG shape of an empty tensor is undefined")]
    Empty,
    /// A sample is NaN or infinite.
    #[error("sample {index} is {value}, not a finite number")]
    NotFinite {
        /// Position of the sample.
        index: u64,
        /// The value.
        value: f32,
    },
    /// Every sample is zero.
    #[error("all {count} samples are zero: the GG shape is undefined")]
    AllZero {
        /// Number of samples.
        count: u64,
    },
    /// Every sample has the same non-zero value.
    #[error("all {count} samples equal {value}: the GG shape is undefined")]
    Constant {
        /// Number of samples.
        count: u64,
        /// The value.
        value: f32,
    },
    /// ρ is below ρ(NU_MAX): |θ| is nearly constant, flatter than any GG with ν ≤ NU_MAX.
    #[error("moment ratio E[θ²]/E²[|θ|] = {rho:.6} is below ρ({NU_MAX}) = {limit:.6}: |θ| is too uniform for a GG shape ν ≤ {NU_MAX}")]
    TooFlat {
        /// The sample ratio.
        rho: f64,
        /// ρ(NU_MAX).
        limit: f64,
    },
    /// ρ is above ρ(NU_MIN): heavier-tailed or sparser than any GG with ν ≥ NU_MIN.
    #[error("moment ratio E[θ²]/E²[|θ|] = {rho:.6e} is above ρ({NU_MIN}) = {limit:.6e}: too sparse for a GG shape ν ≥ {NU_MIN}")]
    TooPeaked {
        /// The sample ratio.
        rho: f64,
        /// ρ(NU_MIN).
        limit: f64,
    },
    /// The ratio given to [`rho_inverse`] is NaN.
    #[error("moment ratio is NaN")]
    NanRatio,
}

/// Lanczos coefficients, g = 7, n = 9 (Numerical Recipes 3rd ed. / Boost's `lanczos_9`-style set).
const LANCZOS_G: f64 = 7.0;
const LANCZOS: [f64; 9] = [
    0.999_999_999_999_809_9,
    676.520_368_121_885_1,
    -1_259.139_216_722_402_8,
    771.323_428_777_653_1,
    -176.615_029_162_140_6,
    12.507_343_278_686_905,
    -0.138_571_095_265_720_12,
    9.984_369_578_019_572e-6,
    1.505_632_735_149_311_6e-7,
];

/// `ln |Γ(x)|` (Lanczos approximation, reflection below 1/2; about 1e-15 relative for x > 0).
/// `+∞` at the poles 0, -1, -2, ...; NaN for NaN.
pub fn ln_gamma(x: f64) -> f64 {
    if x.is_nan() {
        return f64::NAN;
    }
    if x <= 0.0 && x == x.floor() {
        return f64::INFINITY;
    }
    if x < 0.5 {
        let s = (std::f64::consts::PI * x).sin();
        if s == 0.0 {
            return f64::INFINITY;
        }
        // Γ(x)Γ(1-x) = π / sin(πx)
        return (std::f64::consts::PI / s.abs()).ln() - ln_gamma(1.0 - x);
    }
    let x = x - 1.0;
    let mut a = LANCZOS[0];
    for (i, &c) in LANCZOS.iter().enumerate().skip(1) {
        a += c / (x + i as f64);
    }
    let t = x + LANCZOS_G + 0.5;
    0.5 * (2.0 * std::f64::consts::PI).ln() + (x + 0.5) * t.ln() - t + a.ln()
}

/// `ρ(ν) = Γ(1/ν)Γ(3/ν)/Γ²(2/ν)`, the ratio E[θ²]/E²[|θ|] of a GG law with shape ν > 0.
pub fn rho(nu: f64) -> f64 {
    (ln_gamma(1.0 / nu) + ln_gamma(3.0 / nu) - 2.0 * ln_gamma(2.0 / nu)).exp()
}

/// The ν in [NU_MIN, NU_MAX] with ρ(ν) = `ratio`, by bisection in ln ν (ρ is decreasing).
pub fn rho_inverse(ratio: f64) -> Result<f64, GgError> {
    if ratio.is_nan() {
        return Err(GgError::NanRatio);
    }
    let (hi_rho, lo_rho) = (rho(NU_MIN), rho(NU_MAX));
    if ratio < lo_rho {
        return Err(GgError::TooFlat {
            rho: ratio,
            limit: lo_rho,
        });
    }
    if ratio > hi_rho {
        return Err(GgError::TooPeaked {
            rho: ratio,
            limit: hi_rho,
        });
    }
    let (mut lo, mut hi) = (NU_MIN.ln(), NU_MAX.ln());
    // 64 halvings of an interval of width ln(800) < 7 reach below f64 resolution.
    for _ in 0..64 {
        let mid = 0.5 * (lo + hi);
        if rho(mid.exp()) > ratio {
            lo = mid; // ν too small
        } else {
            hi = mid;
        }
    }
    Ok((0.5 * (lo + hi)).exp())
}

/// A GG fit: the shape and the moments it came from.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct GgFit {
    /// Shape ν.
    pub nu: f64,
    /// E[|θ|].
    pub mean_abs: f64,
    /// E[θ²].
    pub mean_sq: f64,
    /// Samples.
    pub count: u64,
}

impl GgFit {
    /// The GG scale α: E[|θ|] = α Γ(2/ν)/Γ(1/ν).
    pub fn alpha(&self) -> f64 {
        self.mean_abs * (ln_gamma(1.0 / self.nu) - ln_gamma(2.0 / self.nu)).exp()
    }
}

/// Running moments of one or more tensors (for a pooled ν across tensors).
#[derive(Debug, Clone, Default)]
pub struct Moments {
    count: u64,
    sum_abs: f64,
    sum_sq: f64,
    first: Option<f32>,
    all_equal: bool,
}

impl Moments {
    /// No samples yet.
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds samples; NaN/∞ is an error (the moments are left unchanged).
    pub fn add(&mut self, x: &[f32]) -> Result<(), GgError> {
        if let Some(i) = x.iter().position(|v| !v.is_finite()) {
            return Err(GgError::NotFinite {
                index: self.count + i as u64,
                value: x[i],
            });
        }
        // Partial sums per block keep the f64 rounding error at block scale.
        let (mut sa, mut sq) = (0.0f64, 0.0f64);
        for block in x.chunks(4096) {
            let (mut a, mut q) = (0.0f64, 0.0f64);
            for &v in block {
                let v = f64::from(v);
                a += v.abs();
                q += v * v;
            }
            sa += a;
            sq += q;
        }
        self.sum_abs += sa;
        self.sum_sq += sq;
        if let Some(&v0) = x.first() {
            let first = *self.first.get_or_insert(v0);
            if self.count == 0 {
                self.all_equal = true;
            }
            self.all_equal = self.all_equal && x.iter().all(|&v| v == first);
        }
        self.count += x.len() as u64;
        Ok(())
    }

    /// Adds the samples of `other` (the same sums as adding its slices here, in this order after
    /// the ones already added).
    pub fn merge(&mut self, other: &Moments) {
        if other.count == 0 {
            return;
        }
        if self.count == 0 {
            self.all_equal = other.all_equal;
            self.first = other.first;
        } else {
            self.all_equal = self.all_equal && other.all_equal && self.first == other.first;
        }
        self.sum_abs += other.sum_abs;
        self.sum_sq += other.sum_sq;
        self.count += other.count;
    }

    /// Samples so far.
    pub fn count(&self) -> u64 {
        self.count
    }

    /// The fit of all samples added.
    pub fn fit(&self) -> Result<GgFit, GgError> {
        if self.count == 0 {
            return Err(GgError::Empty);
        }
        if self.sum_abs == 0.0 {
            return Err(GgError::AllZero { count: self.count });
        }
        if self.all_equal {
            return Err(GgError::Constant {
                count: self.count,
                value: self.first.unwrap_or(0.0),
            });
        }
        let n = self.count as f64;
        let (mean_abs, mean_sq) = (self.sum_abs / n, self.sum_sq / n);
        let nu = rho_inverse(mean_sq / (mean_abs * mean_abs))?;
        Ok(GgFit {
            nu,
            mean_abs,
            mean_sq,
            count: self.count,
        })
    }
}

/// Fits a GG law to `x` (moments about zero).
pub fn fit(x: &[f32]) -> Result<GgFit, GgError> {
    let mut m = Moments::new();
    m.add(x)?;
    m.fit()
}

/// The GG shape ν of `x` by moment matching, in [NU_MIN, NU_MAX].
pub fn estimate_shape(x: &[f32]) -> Result<f64, GgError> {
    fit(x).map(|f| f.nu)
}

/// DGGR rate term `(1/Np) Σ (|θ| + ε)^ν` (0 for no parameters).
pub fn dggr_rate(theta: &[f32], nu: f64, eps: f64) -> f64 {
    if theta.is_empty() {
        return 0.0;
    }
    let s: f64 = theta.iter().map(|&t| (f64::from(t).abs() + eps).powf(nu)).sum();
    s / theta.len() as f64
}

/// Gradient of [`dggr_rate`]: `out[i] = ν · sign(θ_i) · (|θ_i| + ε)^(ν-1) / Np`, sign(0) = 0.
///
/// # Panics
/// If `out.len() != theta.len()`.
pub fn dggr_grad(theta: &[f32], nu: f64, eps: f64, out: &mut [f32]) {
    assert_eq!(
        theta.len(),
        out.len(),
        "dggr_grad: output length differs from parameter count"
    );
    let scale = nu / theta.len().max(1) as f64;
    let one = |o: &mut f32, t: f32| {
        let t = f64::from(t);
        *o = if t == 0.0 {
            0.0
        } else {
            (scale * t.signum() * (t.abs() + eps).powf(nu - 1.0)) as f32
        };
    };
    // Each element on its own: the blocks across threads give the same bits as one loop. A
    // transformer's 22 M parameters take ~0.5 s of `powf` on one core.
    const BLOCK: usize = 1 << 16;
    if theta.len() <= BLOCK {
        out.iter_mut().zip(theta).for_each(|(o, &t)| one(o, t));
    } else {
        use rayon::prelude::*;
        out.par_chunks_mut(BLOCK)
            .zip(theta.par_chunks(BLOCK))
            .for_each(|(o, t)| o.iter_mut().zip(t).for_each(|(o, &t)| one(o, t)));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn merged_moments_equal_the_slices_added_in_order() {
        let parts: [&[f32]; 4] = [&[0.5, -1.0, 0.25], &[], &[2.0], &[-0.125, 0.75]];
        let mut added = Moments::new();
        let mut merged = Moments::new();
        for p in parts {
            added.add(p).unwrap();
            let mut one = Moments::new();
            one.add(p).unwrap();
            merged.merge(&one);
        }
        assert_eq!(merged.count(), 6);
        assert_eq!(merged.fit().unwrap(), added.fit().unwrap());
        // Constant parts stay constant only if they hold the same value.
        let (mut a, mut b, mut c) = (Moments::new(), Moments::new(), Moments::new());
        a.add(&[0.5, 0.5]).unwrap();
        b.add(&[0.5]).unwrap();
        c.add(&[0.25]).unwrap();
        let mut same = a.clone();
        same.merge(&b);
        assert!(matches!(same.fit(), Err(GgError::Constant { count: 3, .. })));
        let mut mixed = a;
        mixed.merge(&c);
        let mut seq = Moments::new();
        seq.add(&[0.5, 0.5]).unwrap();
        seq.add(&[0.25]).unwrap();
        assert_eq!(mixed.fit(), seq.fit());
        assert!(!matches!(mixed.fit(), Err(GgError::Constant { .. })));
        let mut empty = Moments::new();
        empty.merge(&Moments::new());
        assert_eq!(empty.fit(), Err(GgError::Empty));
    }

    #[test]
    fn ln_gamma_known_values() {
        let pi = std::f64::consts::PI;
        let cases = [
            (1.0, 0.0),
            (2.0, 0.0),
            (0.5, 0.5 * pi.ln()),
            (1.5, (0.5 * pi.sqrt()).ln()),
            (5.0, 24f64.ln()),
            (10.0, 362_880f64.ln()),
            (0.1, 2.252_712_651_734_206),   // ln Γ(0.1), A&S / mpmath
            (100.0, 359.134_205_369_575_4), // ln 99!
            (1e-3, 6.907_178_885_383_854),
            (-0.5, (2.0 * pi.sqrt()).ln()), // |Γ(-1/2)| = 2√π
        ];
        for (x, want) in cases {
            let got = ln_gamma(x);
            assert!(
                (got - want).abs() <= 1e-12 * want.abs().max(1.0),
                "lnΓ({x}) = {got}, want {want}"
            );
        }
        assert_eq!(ln_gamma(0.0), f64::INFINITY);
        assert_eq!(ln_gamma(-2.0), f64::INFINITY);
    }

    #[test]
    fn rho_known_values_and_monotone() {
        assert!((rho(2.0) - std::f64::consts::FRAC_PI_2).abs() < 1e-13); // Gaussian
        assert!((rho(1.0) - 2.0).abs() < 1e-13); // Laplace
        assert!((rho(1e3) - 4.0 / 3.0).abs() < 1e-2); // → uniform
        let mut prev = f64::INFINITY;
        let mut nu = NU_MIN;
        while nu <= NU_MAX {
            let r = rho(nu);
            assert!(r < prev, "ρ not decreasing at ν = {nu}");
            prev = r;
            nu *= 1.01;
        }
    }

    #[test]
    fn inverse_is_exact() {
        for nu in [NU_MIN, 0.05, 0.21, 0.5, 1.0, 1.36, 2.0, 3.0, 8.0, NU_MAX] {
            let got = rho_inverse(rho(nu)).unwrap();
            assert!((got - nu).abs() < 1e-9 * nu, "ν = {nu}: got {got}");
        }
        assert!(matches!(rho_inverse(1.2), Err(GgError::TooFlat { .. })));
        assert!(matches!(rho_inverse(1e300), Err(GgError::TooPeaked { .. })));
        assert_eq!(rho_inverse(f64::NAN), Err(GgError::NanRatio));
    }

    #[test]
    fn estimator_errors() {
        assert_eq!(estimate_shape(&[]), Err(GgError::Empty));
        assert_eq!(estimate_shape(&[0.0; 5]), Err(GgError::AllZero { count: 5 }));
        assert_eq!(
            estimate_shape(&[0.5; 3]),
            Err(GgError::Constant { count: 3, value: 0.5 })
        );
        assert!(matches!(
            estimate_shape(&[1.0, f32::NAN]),
            Err(GgError::NotFinite { index: 1, .. })
        ));
        assert!(matches!(
            estimate_shape(&[f32::INFINITY]),
            Err(GgError::NotFinite { index: 0, .. })
        ));
        // |θ| constant: ρ = 1 < 4/3.
        let e = estimate_shape(&[1.0, -1.0, 1.0]).unwrap_err();
        assert!(matches!(e, GgError::TooFlat { .. }), "{e}");
        assert!(e.to_string().contains("too uniform"));
        // One non-zero value among N - 1 zeros gives ρ = N, the largest ratio N samples can
        // have; ρ(NU_MIN) ≈ 2.6e11, so such data still fits (a very small ν).
        let mut x = vec![0.0f32; 100_000];
        x[0] = 1.0;
        let nu = estimate_shape(&x).unwrap();
        assert!(nu > NU_MIN && nu < 0.1, "ν = {nu}");
        assert!(rho(NU_MIN) > 1e11);
        // Constant check spans several `add` calls.
        let mut m = Moments::new();
        m.add(&[2.0, 2.0]).unwrap();
        m.add(&[2.0]).unwrap();
        assert!(matches!(m.fit(), Err(GgError::Constant { count: 3, .. })));
        m.add(&[0.0, 0.1, 5.0]).unwrap();
        assert!(m.fit().is_ok());
    }

    #[test]
    fn rate_and_gradient() {
        let theta = [0.5f32, -0.25, 0.0, 2.0];
        let (nu, eps) = (0.7, 1e-3);
        let want: f64 = theta.iter().map(|&t| (f64::from(t).abs() + eps).powf(nu)).sum::<f64>() / 4.0;
        assert!((dggr_rate(&theta, nu, eps) - want).abs() < 1e-15);
        let mut g = [1.0f32; 4];
        dggr_grad(&theta, nu, eps, &mut g);
        assert_eq!(g[2], 0.0);
        assert!(g[1] < 0.0 && g[0] > 0.0);
        assert_eq!(dggr_rate(&[], nu, eps), 0.0);
    }

    #[test]
    fn the_gradient_of_a_large_vector_is_the_elementwise_formula_on_every_block() {
        // More than one parallel block, and a last block that is not full.
        let n = 3 * (1 << 16) + 123;
        let theta: Vec<f32> = (0..n).map(|i| ((i * 7919) % 2001) as f32 / 1000.0 - 1.0).collect();
        let (nu, eps) = (0.45, 1e-3);
        let mut g = vec![f32::NAN; n];
        dggr_grad(&theta, nu, eps, &mut g);
        let scale = nu / n as f64;
        for (i, (&t, &gi)) in theta.iter().zip(&g).enumerate() {
            let t = f64::from(t);
            let want = if t == 0.0 {
                0.0
            } else {
                (scale * t.signum() * (t.abs() + eps).powf(nu - 1.0)) as f32
            };
            assert!(gi.to_bits() == want.to_bits(), "element {i}: {gi} vs {want}");
        }
    }
}
