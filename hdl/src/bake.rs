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
