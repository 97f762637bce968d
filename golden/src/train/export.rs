//! Integer export: from a float [`Mlp`] and calibration data to the [`QModel`] the accelerator runs.
//!
//! Scales (float units per integer LSB):
//! - Input: `input_scale = max|x| / 127` over the calibration inputs, so the largest input maps to
//!   127 (digits and Fashion-MNIST inputs lie in `[0, 1]`, so this is 1/127).
//! - Weights: `q = quantize(w, n)` (step `2^-n`, round half away from zero), each within `i16`.
//! - Layer `l` with input scale `s_in`: the accumulator unit is `a = 2^-n · s_in`, the bias is
//!   `round(b / a)` in `i32`, and the output scale is `s_out = a · 2^shift` exactly (the hardware
//!   only shifts). `shift` is the smallest in 0..=31 with `A_l / s_out ≤ 127`, where `A_l` is the
//!   largest activation of the layer (after ReLU for hidden layers, `|logit|` for the last) over
//!   the calibration set, run through the float model with the quantized weights. The next layer's
//!   `s_in` is this `s_out`.
//!
//! Hidden layers apply ReLU; the last does not. [`agreement`] measures how often the integer model
//! picks the float model's class.

use super::{Mlp, TrainError};
use crate::data::Split;
use crate::infer::{QLayer, QModel, MAX_SHIFT};
use crate::quant;

/// Builds the integer model of `mlp` at weight step `2^-step_bits`, calibrating the activation
/// scales on `calib` (use the training set).
pub fn export_qmodel(mlp: &Mlp, calib: &Split, step_bits: u32) -> Result<QModel, TrainError> {
    if step_bits > quant::MAX_STEP_BITS {
        return Err(TrainError::Export(format!(
            "step bits {step_bits} above {}",
            quant::MAX_STEP_BITS
        )));
    }
    if calib.is_empty() || calib.x.len() != calib.len() * mlp.inputs() {
        return Err(TrainError::Export(format!(
            "calibration set of {} samples with {} values does not fit {} inputs",
            calib.len(),
            calib.x.len(),
            mlp.inputs()
        )));
    }
    // Float model with the quantized weights: its activations set the scales.
    let mut qmlp = mlp.clone();
    let mut qweights = Vec::new();
    for l in 0..mlp.num_layers() {
        let q = quant::quantize_slice(mlp.weight(l), step_bits).map_err(|e| TrainError::Export(e.to_string()))?;
        if let Some(&bad) = q.iter().find(|&&v| v < i32::from(i16::MIN) || v > i32::from(i16::MAX)) {
            return Err(TrainError::Export(format!(
                "layer {l}: weight {} quantizes to {bad}, outside i16 at step 2^-{step_bits}",
                quant::dequantize(bad, step_bits)
            )));
        }
        let r = qmlp.weight_range(l);
        qmlp.params_mut()[r].copy_from_slice(&quant::dequantize_slice(&q, step_bits));
        qweights.push(q);
    }
    let mut amax = vec![0.0f32; mlp.num_layers()];
    let f = mlp.inputs();
    for xs in calib.x.chunks(1024 * f) {
        for (l, out) in qmlp.forward_all(xs).iter().enumerate() {
            amax[l] = out.iter().fold(amax[l], |m, v| m.max(v.abs()));
        }
    }
    let xmax = calib.x.iter().fold(0.0f32, |m, v| m.max(v.abs()));
    let input_scale = if xmax > 0.0 { xmax / 127.0 } else { 1.0 / 127.0 };
    let mut s_in = f64::from(input_scale);
    let mut layers = Vec::with_capacity(mlp.num_layers());
    for (l, q) in qweights.into_iter().enumerate() {
        let acc_unit = s_in * 2f64.powi(-(step_bits as i32));
        let mut shift = 0u32;
        while shift < MAX_SHIFT && f64::from(amax[l]) / (acc_unit * 2f64.powi(shift as i32)) > 127.0 {
            shift += 1;
        }
        let bias = mlp
            .bias(l)
            .iter()
            .map(|&b| {
                let v = (f64::from(b) / acc_unit).round();
                if v.abs() > f64::from(i32::MAX) {
                    Err(TrainError::Export(format!(
                        "layer {l}: bias {b} overflows i32 at accumulator unit {acc_unit:e}"
                    )))
                } else {
                    Ok(v as i32)
                }
            })
            .collect::<Result<Vec<i32>, _>>()?;
        layers.push(QLayer {
            rows: mlp.sizes()[l + 1],
            cols: mlp.sizes()[l],
            weights: q,
            bias,
            shift,
            relu: l + 1 < mlp.num_layers(),
        });
        s_in = acc_unit * 2f64.powi(shift as i32);
    }
    let model = QModel {
        layers,
        input_scale,
        step_bits,
    };
    model.validate().map_err(|e| TrainError::Export(e.to_string()))?;
    Ok(model)
}

/// Fraction of `split` on which the integer model picks the same class as the float model.
pub fn agreement(mlp: &Mlp, model: &QModel, split: &Split) -> Result<f64, TrainError> {
    if split.is_empty() {
        return Ok(0.0);
    }
    let f = mlp.inputs();
    let float = mlp.predict(&split.x);
    let mut same = 0usize;
    for (i, &p) in float.iter().enumerate() {
        let c = model
            .classify(split.sample(i, f))
            .map_err(|e| TrainError::Export(e.to_string()))?;
        same += usize::from(c == p);
    }
    Ok(same as f64 / split.len() as f64)
}

/// Accuracy of the integer model on `split`.
pub fn int_accuracy(model: &QModel, split: &Split, features: usize) -> Result<f64, TrainError> {
    if split.is_empty() {
        return Ok(0.0);
    }
    let mut correct = 0usize;
    for i in 0..split.len() {
        let c = model
            .classify(split.sample(i, features))
            .map_err(|e| TrainError::Export(e.to_string()))?;
        correct += usize::from(c == split.y[i] as usize);
    }
    Ok(correct as f64 / split.len() as f64)
}
