//! A [`QModel`] compiled for one accelerator build, to load one layer at a time: per layer the
//! compiler's output ([`crate::compile`]), split into passes that fit the hardware.
//!
//! The accelerator holds one layer at a time, at most [`MemSizes::max_dim`] rows and columns and a fixed
//! number of stream words per lane. A layer with more rows, or whose streams do not fit, runs as several
//! passes over consecutive row ranges (each pass is a layer of the hardware with the same inputs, value
//! map, k, shift and ReLU); more columns than the build's limit cannot be split without partial sums and
//! are an error.
use std::ops::Range;

use golden::infer::QModel;
use golden::layout::LaneStreams;

use crate::compile::{compile_layer, CompileOptions, CompiledLayer};
use crate::regmap::{self, MemSizes};
use crate::HostError;

/// One pass of a layer: a range of consecutive rows and their streams.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pass {
    /// Rows of the layer this pass computes (the hardware sees them as rows 0..len).
    pub rows: Range<usize>,
    /// The streams of these rows (`golden::layout` with the accelerator's lane count).
    pub streams: LaneStreams,
}

/// One layer ready to load.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LayerImage {
    pub rows: usize,
    pub cols: usize,
    /// Exp-Golomb order.
    pub k: u32,
    pub shift: u32,
    pub relu: bool,
    /// Zero-run skipping enabled.
    pub zero_skip: bool,
    /// Value map (index -> weight), index 0 the most frequent weight.
    pub vmap: Vec<i32>,
    pub bias: Vec<i32>,
    pub passes: Vec<Pass>,
}

impl LayerImage {
    /// FLAGS register value.
    pub fn flags(&self) -> u32 {
        regmap::flags(self.relu, self.zero_skip)
    }

    /// Stream bits of all passes and lanes (without word padding).
    pub fn stream_bits(&self) -> u64 {
        self.passes.iter().map(|p| p.streams.total_bits()).sum()
    }
}

/// A whole model compiled for `lanes` lanes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Program {
    pub lanes: usize,
    pub sizes: MemSizes,
    pub layers: Vec<LayerImage>,
}

impl Program {
    /// Compiles `model` for an accelerator with `lanes` lanes and memories `sizes`.
    pub fn compile(model: &QModel, lanes: usize, sizes: MemSizes, opts: CompileOptions) -> Result<Program, HostError> {
        model.validate()?;
        if !regmap::lanes_supported(lanes) {
            return Err(HostError::DoesNotFit(format!(
                "{lanes} lanes: the accelerator is built with {} lanes",
                regmap::lane_counts_text()
            )));
        }
        let layers = model
            .layers
            .iter()
            .enumerate()
            .map(|(i, l)| place_layer(i, compile_layer(i, l, opts)?, lanes, sizes))
            .collect::<Result<_, _>>()?;
        Ok(Program { lanes, sizes, layers })
    }

    /// Weights of all layers: the cycles of a dense accelerator doing one weight per clock.
    pub fn dense_cycles(&self) -> u64 {
        self.layers.iter().map(|l| (l.rows * l.cols) as u64).sum()
    }

    /// Stream bits of all layers.
    pub fn stream_bits(&self) -> u64 {
        self.layers.iter().map(LayerImage::stream_bits).sum()
    }
}

/// A compiled layer split into passes: consecutive rows while every lane's stream fits `sizes` and
/// the pass has at most [`MemSizes::max_dim`] rows.
fn place_layer(i: usize, c: CompiledLayer, lanes: usize, sizes: MemSizes) -> Result<LayerImage, HostError> {
    let max_dim = sizes.max_dim();
    if c.cols > max_dim {
        return Err(HostError::DoesNotFit(format!(
            "layer {i} has {} inputs; this build's layers have at most {max_dim} (memory sizes {sizes:?})",
            c.cols
        )));
    }
    if c.vmap.len() > sizes.vmap_entries() {
        return Err(HostError::DoesNotFit(format!(
            "layer {i} has {} distinct weights; the value map holds {}",
            c.vmap.len(),
            sizes.vmap_entries()
        )));
    }
    let row_bits: Vec<u64> = (0..c.rows).map(|r| c.row_bits(r)).collect();
    let cap_bits = sizes.stream_words() as u64 * 32;
    let mut passes = Vec::new();
    let mut start = 0;
    while start < c.rows {
        let mut lane_bits = vec![0u64; lanes];
        let mut end = start;
        while end < c.rows && end - start < max_dim {
            let lane = golden::layout::lane_of_row(end - start, lanes);
            if lane_bits[lane] + row_bits[end] > cap_bits {
                break;
            }
            lane_bits[lane] += row_bits[end];
            end += 1;
        }
        if end == start {
            return Err(HostError::DoesNotFit(format!(
                "layer {i}, row {start}: its stream of {} bits exceeds a lane's {} stream words",
                row_bits[start],
                sizes.stream_words()
            )));
        }
        passes.push(Pass {
            rows: start..end,
            streams: c.layout(start..end, lanes)?,
        });
        start = end;
    }
    Ok(LayerImage {
        rows: c.rows,
        cols: c.cols,
        k: c.k,
        shift: c.shift,
        relu: c.relu,
        zero_skip: c.zero_skip,
        vmap: c.vmap,
        bias: c.bias,
        passes,
    })
}
