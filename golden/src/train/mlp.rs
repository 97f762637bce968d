//! A multi-layer perceptron over one flat parameter vector, with manual backprop.
//!
//! Parameter layout (the order of [`Mlp::params`]): for each layer `l` in order, its weight matrix
//! `[out_l, in_l]` row-major, then its bias `[out_l]`. Hidden layers use ReLU; the last layer gives
//! the logits of a softmax cross-entropy loss. Batches are row-major `n × features` slices.

use super::gemm::gemm;
use super::TrainError;
use crate::data::Split;
use rand::{Rng, SeedableRng};
use std::ops::Range;

/// Samples per chunk when evaluating a whole split.
const EVAL_CHUNK: usize = 1024;

/// An MLP: layer sizes `[inputs, hidden..., classes]` and the flat parameters.
#[derive(Debug, Clone, PartialEq)]
pub struct Mlp {
    sizes: Vec<usize>,
    params: Vec<f32>,
}

/// Scratch buffers of one forward/backward pass, reused between batches.
#[derive(Debug, Default, Clone)]
pub struct Workspace {
    /// Output of each layer (ReLU applied on hidden layers; logits last).
    acts: Vec<Vec<f32>>,
    delta: Vec<f32>,
    delta_prev: Vec<f32>,
}

impl Mlp {
    /// A freshly initialised MLP: weights normal with standard deviation √(2/fan_in) (He), biases
    /// zero, drawn from ChaCha8 seeded with `seed` (Box-Muller), layer by layer in parameter order.
    ///
    /// A Gaussian start matters for DGGR: its ν starts at 2, and the rate term then drives it down.
    /// (A uniform start has ν ≈ 8, and `(|θ|+ε)^8` penalises the largest weights, flattening the
    /// distribution further: ν then rises instead of falling.)
    pub fn new(sizes: &[usize], seed: u64) -> Result<Mlp, TrainError> {
        check_sizes(sizes)?;
        let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(seed);
        let mut params = Vec::with_capacity(param_count(sizes));
        for w in sizes.windows(2) {
            let (fan_in, fan_out) = (w[0], w[1]);
            let sd = (2.0 / fan_in as f64).sqrt();
            let mut k = 0;
            while k < fan_in * fan_out {
                // Box-Muller: two independent normals from two uniforms in (0, 1].
                let u1: f64 = 1.0 - rng.random::<f64>();
                let u2: f64 = rng.random::<f64>();
                let r = (-2.0 * u1.ln()).sqrt() * sd;
                let t = std::f64::consts::TAU * u2;
                params.push((r * t.cos()) as f32);
                if k + 1 < fan_in * fan_out {
                    params.push((r * t.sin()) as f32);
                }
                k += 2;
            }
            params.extend(std::iter::repeat_n(0.0, fan_out));
        }
        Ok(Mlp {
            sizes: sizes.to_vec(),
            params,
        })
    }

    /// An MLP with the given sizes and parameters (in the layout of the module documentation).
    pub fn from_params(sizes: Vec<usize>, params: Vec<f32>) -> Result<Mlp, TrainError> {
        check_sizes(&sizes)?;
        let expected = param_count(&sizes);
        if params.len() != expected {
            return Err(TrainError::Shape(format!(
                "{} parameters for sizes {sizes:?}, expected {expected}",
                params.len()
            )));
        }
        if let Some(i) = params.iter().position(|v| !v.is_finite()) {
            return Err(TrainError::Shape(format!("parameter {i} is {}", params[i])));
        }
        Ok(Mlp { sizes, params })
    }

    /// Layer sizes `[inputs, hidden..., classes]`.
    pub fn sizes(&self) -> &[usize] {
        &self.sizes
    }

    /// Input count.
    pub fn inputs(&self) -> usize {
        self.sizes[0]
    }

    /// Output (class) count.
    pub fn outputs(&self) -> usize {
        *self.sizes.last().expect("checked non-empty")
    }

    /// Number of weight layers.
    pub fn num_layers(&self) -> usize {
        self.sizes.len() - 1
    }

    /// All parameters, flat.
    pub fn params(&self) -> &[f32] {
        &self.params
    }

    /// All parameters, flat and mutable.
    pub fn params_mut(&mut self) -> &mut [f32] {
        &mut self.params
    }

    /// Position of layer `l`'s weight matrix `[out, in]` in [`Mlp::params`].
    pub fn weight_range(&self, l: usize) -> Range<usize> {
        let start: usize = self.sizes.windows(2).take(l).map(|w| w[0] * w[1] + w[1]).sum();
        start..start + self.sizes[l] * self.sizes[l + 1]
    }

    /// Position of layer `l`'s bias in [`Mlp::params`].
    pub fn bias_range(&self, l: usize) -> Range<usize> {
        let w = self.weight_range(l);
        w.end..w.end + self.sizes[l + 1]
    }

    /// Layer `l`'s weights, `[out, in]` row-major.
    pub fn weight(&self, l: usize) -> &[f32] {
        &self.params[self.weight_range(l)]
    }

    /// Layer `l`'s bias.
    pub fn bias(&self, l: usize) -> &[f32] {
        &self.params[self.bias_range(l)]
    }

    /// All weight matrices concatenated (no biases): what the accelerator's value map holds.
    pub fn weights_concat(&self) -> Vec<f32> {
        (0..self.num_layers())
            .flat_map(|l| self.weight(l).iter().copied())
            .collect()
    }

    /// Forward pass of a batch (`x.len()` a multiple of the input count), keeping every layer's
    /// output in `ws`. Returns the batch size.
    fn forward_ws(&self, x: &[f32], ws: &mut Workspace) -> usize {
        let n = x.len() / self.inputs();
        assert_eq!(
            n * self.inputs(),
            x.len(),
            "batch length is not a multiple of the input count"
        );
        ws.acts.resize_with(self.num_layers(), Vec::new);
        for l in 0..self.num_layers() {
            let (fin, fout) = (self.sizes[l], self.sizes[l + 1]);
            let (before, rest) = ws.acts.split_at_mut(l);
            let input: &[f32] = if l == 0 { x } else { &before[l - 1] };
            let out = &mut rest[0];
            out.resize(n * fout, 0.0);
            gemm(n, fin, fout, input, false, self.weight(l), true, 0.0, out);
            let bias = self.bias(l);
            let hidden = l + 1 < self.num_layers();
            for row in out.chunks_exact_mut(fout) {
                for (v, b) in row.iter_mut().zip(bias) {
                    *v += b;
                    if hidden && *v < 0.0 {
                        *v = 0.0;
                    }
                }
            }
        }
        n
    }

    /// Logits of a batch, `n × classes`.
    pub fn forward(&self, x: &[f32]) -> Vec<f32> {
        let mut ws = Workspace::default();
        self.forward_ws(x, &mut ws);
        ws.acts.pop().unwrap_or_default()
    }

    /// Every layer's output for a batch (hidden layers after ReLU; the last is the logits).
    pub fn forward_all(&self, x: &[f32]) -> Vec<Vec<f32>> {
        let mut ws = Workspace::default();
        self.forward_ws(x, &mut ws);
        ws.acts
    }

    /// Predicted class of each sample of a batch (arg-max of the logits, lowest index on ties).
    pub fn predict(&self, x: &[f32]) -> Vec<usize> {
        let c = self.outputs();
        self.forward(x).chunks_exact(c).map(argmax_f32).collect()
    }

    /// Fraction of a split classified correctly (0 for an empty split).
    pub fn accuracy(&self, split: &Split) -> f64 {
        if split.is_empty() {
            return 0.0;
        }
        let f = self.inputs();
        let mut correct = 0usize;
        for (xs, ys) in split.x.chunks(EVAL_CHUNK * f).zip(split.y.chunks(EVAL_CHUNK)) {
            correct += self
                .predict(xs)
                .iter()
                .zip(ys)
                .filter(|(p, &y)| **p == y as usize)
                .count();
        }
        correct as f64 / split.len() as f64
    }

    /// Mean softmax cross-entropy of a batch and its gradient with respect to every parameter,
    /// written into `grad` (same layout as [`Mlp::params`]).
    pub fn loss_and_grad(&self, x: &[f32], y: &[u8], grad: &mut [f32], ws: &mut Workspace) -> f32 {
        assert_eq!(grad.len(), self.params.len(), "gradient length");
        let n = self.forward_ws(x, ws);
        assert_eq!(n, y.len(), "one label per sample");
        let c = self.outputs();
        let inv_n = 1.0 / n as f32;
        // Softmax cross-entropy: loss and dL/dlogits = (softmax - onehot) / n.
        let mut delta = std::mem::take(&mut ws.delta);
        delta.clear();
        delta.extend_from_slice(ws.acts.last().expect("at least one layer"));
        let mut loss = 0.0f64;
        for (row, &label) in delta.chunks_exact_mut(c).zip(y) {
            let m = row.iter().copied().fold(f32::NEG_INFINITY, f32::max);
            let mut sum = 0.0f32;
            for v in row.iter_mut() {
                *v = (*v - m).exp();
                sum += *v;
            }
            let p_label = row[label as usize] / sum;
            loss -= (p_label.max(f32::MIN_POSITIVE) as f64).ln();
            for v in row.iter_mut() {
                *v = *v / sum * inv_n;
            }
            row[label as usize] -= inv_n;
        }
        let mut delta_prev = std::mem::take(&mut ws.delta_prev);
        for l in (0..self.num_layers()).rev() {
            let (fin, fout) = (self.sizes[l], self.sizes[l + 1]);
            let input: &[f32] = if l == 0 { x } else { &ws.acts[l - 1] };
            let wr = self.weight_range(l);
            let br = self.bias_range(l);
            // dW = deltaᵀ · input, [out, in].
            gemm(fout, n, fin, &delta, true, input, false, 0.0, &mut grad[wr]);
            let gb = &mut grad[br];
            gb.iter_mut().for_each(|g| *g = 0.0);
            for row in delta.chunks_exact(fout) {
                gb.iter_mut().zip(row).for_each(|(g, d)| *g += d);
            }
            if l > 0 {
                // dInput = delta · W, masked by the ReLU of the previous layer.
                delta_prev.resize(n * fin, 0.0);
                gemm(n, fout, fin, &delta, false, self.weight(l), false, 0.0, &mut delta_prev);
                delta_prev.iter_mut().zip(input).for_each(|(d, &a)| {
                    if a <= 0.0 {
                        *d = 0.0
                    }
                });
                std::mem::swap(&mut delta, &mut delta_prev);
            }
        }
        ws.delta = delta;
        ws.delta_prev = delta_prev;
        (loss / n as f64) as f32
    }
}

/// Number of parameters of an MLP with these layer sizes.
pub fn param_count(sizes: &[usize]) -> usize {
    sizes.windows(2).map(|w| w[0] * w[1] + w[1]).sum()
}

fn check_sizes(sizes: &[usize]) -> Result<(), TrainError> {
    if sizes.len() < 2 || sizes.contains(&0) {
        return Err(TrainError::Shape(format!(
            "layer sizes {sizes:?}: need at least inputs and outputs, all non-zero"
        )));
    }
    Ok(())
}

/// Index of the largest value, the lowest index on ties (NaN never wins).
pub fn argmax_f32(v: &[f32]) -> usize {
    let mut best = 0;
    for (i, &x) in v.iter().enumerate() {
        if x > v[best] {
            best = i;
        }
    }
    best
}
