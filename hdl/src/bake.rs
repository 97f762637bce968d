//! A model image ([`host::Image`]: a whole model placed in the memories at once) baked into a
//! bitstream: the initial memory contents and MODEL_ID of a stand-alone board, and its Verilog.
use crate::regmap::DecoderKind;
use crate::{HdlError, MemInit};
use host::Image;

/// Baking an image into the accelerator's memories.
pub trait Bake {
    /// The initial memory contents and MODEL_ID of a baked build.
    fn mem_init(&self) -> MemInit;

    /// Verilog of the accelerator with `decoder` in its lanes and this image baked in (top
    /// [`Image::top_name`]).
    fn verilog(&self, decoder: DecoderKind) -> Result<String, HdlError>;
}

impl Bake for Image {
    fn mem_init(&self) -> MemInit {
        MemInit {
            streams: self.streams.clone(),
            vmap: self.vmap.clone(),
            bias: self.bias.clone(),
            model_id: self.model_id(),
        }
    }

    fn verilog(&self, decoder: DecoderKind) -> Result<String, HdlError> {
        crate::generate_verilog_init(
            self.lanes,
            self.sizes,
            decoder,
            &self.top_name(decoder),
            &self.mem_init(),
        )
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use golden::infer::{QLayer, QModel};
    use rand::{Rng, SeedableRng};
    use rand_chacha::ChaCha8Rng;

    fn layer(rng: &mut ChaCha8Rng, rows: usize, cols: usize, spread: i32) -> QLayer {
        QLayer {
            rows,
            cols,
            weights: (0..rows * cols)
                .map(|_| {
                    if rng.random_bool(0.5) {
                        0
                    } else {
                        rng.random_range(-spread..=spread)
                    }
                })
                .collect(),
            bias: (0..rows).map(|_| rng.random_range(-500..500)).collect(),
            shift: 6,
            relu: true,
        }
    }

    pub(crate) fn model(seed: u64, dims: &[usize], spread: i32) -> QModel {
        let mut rng = ChaCha8Rng::seed_from_u64(seed);
        QModel {
            layers: dims.windows(2).map(|d| layer(&mut rng, d[1], d[0], spread)).collect(),
            input_scale: 1.0,
            step_bits: 8,
        }
    }
}
