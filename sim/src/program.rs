//! A [`QModel`] compiled for one accelerator build: per layer the value map, the exp-Golomb order, the
//! biases and the per-lane streams of `golden::layout`, split into passes that fit the hardware.
//!
//! The accelerator holds one layer at a time, at most `MAX_DIM` rows and columns and a fixed number of
//! stream words per lane. A layer with more rows, or whose streams do not fit, runs as several passes over
//! consecutive row ranges (each pass is a layer of the hardware with the same inputs, value map, k, shift
//! and ReLU); more columns than `MAX_DIM` cannot be split without partial sums and are an error.
use std::ops::Range;

use golden::expgolomb;
use golden::infer::{QLayer, QModel};
use golden::layout::{self, LaneStreams};
use golden::valuemap::ValueMap;
use hdl::regmap::{self, MemSizes};

use crate::SimError;

/// How to choose the exp-Golomb order of each layer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KChoice {
    /// The order in `0..=K_MAX` with the fewest stream bits that the decoder supports (smallest on ties).
    Auto,
    /// This order for every layer.
    Fixed(u32),
}

/// Options of [`Program::compile`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CompileOptions {
    pub k: KChoice,
    /// Use zero-run skipping where it is valid (k = 0 and value-map index 0 is the weight 0).
    pub zero_skip: bool,
}

impl Default for CompileOptions {
    fn default() -> Self {
        CompileOptions {
            k: KChoice::Auto,
            zero_skip: true,
        }
    }
}

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
    pub fn compile(model: &QModel, lanes: usize, sizes: MemSizes, opts: CompileOptions) -> Result<Program, SimError> {
        model.validate()?;
        if lanes == 0 || lanes > regmap::MAX_LANES {
            return Err(SimError::DoesNotFit(format!(
                "{lanes} lanes: the register map has room for 1..={}",
                regmap::MAX_LANES
            )));
        }
        let layers = model
            .layers
            .iter()
            .enumerate()
            .map(|(i, l)| compile_layer(i, l, lanes, sizes, opts))
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

fn compile_layer(
    i: usize,
    layer: &QLayer,
    lanes: usize,
    sizes: MemSizes,
    opts: CompileOptions,
) -> Result<LayerImage, SimError> {
    let max_dim = regmap::MAX_DIM as usize;
    if layer.cols > max_dim || layer.cols == 0 || layer.rows == 0 {
        return Err(SimError::DoesNotFit(format!(
            "layer {i} has {} inputs and {} outputs; the accelerator takes 1..={max_dim} inputs",
            layer.cols, layer.rows
        )));
    }
    let map = ValueMap::from_quantized(&layer.weights);
    if map.len() > sizes.vmap_entries() {
        return Err(SimError::DoesNotFit(format!(
            "layer {i} has {} distinct weights; the value map holds {}",
            map.len(),
            sizes.vmap_entries()
        )));
    }
    let indices = map
        .to_indices(&layer.weights)
        .map_err(|e| SimError::DoesNotFit(format!("layer {i}: {e}")))?;
    let max_index = indices.iter().copied().max().unwrap_or(0);
    let supported = |k: u32| hdl::bake::k_supported(max_index, k);
    let k = match opts.k {
        KChoice::Fixed(k) => {
            if k > regmap::K_MAX || !supported(k) {
                return Err(SimError::DoesNotFit(format!(
                    "layer {i}: EG({k}) is not supported here (k <= {}, at most {} prefix zeros)",
                    regmap::K_MAX,
                    regmap::M_MAX
                )));
            }
            k
        }
        KChoice::Auto => hdl::bake::auto_k(&indices)
            .ok_or_else(|| SimError::DoesNotFit(format!("layer {i}: no EG order fits the decoder")))?,
    };
    let zero_skip = opts.zero_skip && k == 0 && map.values().first() == Some(&0);

    // Rows into passes: consecutive rows while every lane's stream fits and the pass has at most MAX_DIM rows.
    let row_bits: Vec<u64> = (0..layer.rows)
        .map(|r| expgolomb::encoded_bits(&indices[r * layer.cols..(r + 1) * layer.cols], k))
        .collect();
    let cap_bits = sizes.stream_words() as u64 * 32;
    let mut passes = Vec::new();
    let mut start = 0;
    while start < layer.rows {
        let mut lane_bits = vec![0u64; lanes];
        let mut end = start;
        while end < layer.rows && end - start < max_dim {
            let lane = (end - start) % lanes;
            if lane_bits[lane] + row_bits[end] > cap_bits {
                break;
            }
            lane_bits[lane] += row_bits[end];
            end += 1;
        }
        if end == start {
            return Err(SimError::DoesNotFit(format!(
                "layer {i}, row {start}: its stream of {} bits exceeds a lane's {} stream words",
                row_bits[start],
                sizes.stream_words()
            )));
        }
        let streams = layout::layout_indices(
            &indices[start * layer.cols..end * layer.cols],
            end - start,
            layer.cols,
            k,
            lanes,
        )?;
        passes.push(Pass {
            rows: start..end,
            streams,
        });
        start = end;
    }
    Ok(LayerImage {
        rows: layer.rows,
        cols: layer.cols,
        k,
        shift: layer.shift,
        relu: layer.relu,
        zero_skip,
        vmap: map.values().to_vec(),
        bias: layer.bias.clone(),
        passes,
    })
}
