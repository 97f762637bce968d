//! Errors of the host driver and its transports.
use crate::regmap::ErrorInfo;
use thiserror::Error;

/// What can go wrong while driving the accelerator, over any transport.
#[derive(Debug, Error)]
pub enum HostError {
    /// A run did not finish.
    #[error("the accelerator did not finish within {cycles} cycles (hang)")]
    Hang { cycles: u64 },
    /// `host_rvalid` did not come exactly READ_LATENCY clocks after `host_read`.
    #[error("read of 0x{addr:04X}: host_rvalid after {got:?} clocks, expected exactly {expected}")]
    ReadLatency { addr: u16, expected: u32, got: Option<u32> },
    /// The ID register does not identify a BackSlash accelerator.
    #[error("ID register reads 0x{id:08X}: not a BackSlash accelerator of this version")]
    BadId { id: u32 },
    /// The bus or the accelerator broke the protocol.
    #[error("host bus protocol: {0}")]
    Protocol(String),
    /// The accelerator stopped a run on an error.
    #[error("accelerator error in layer {layer}, pass {pass}: {:?} at lane {}, row {}, column {}", info.code, info.lane, info.row, info.col)]
    Hardware { layer: usize, pass: usize, info: ErrorInfo },
    /// The model does not fit this accelerator.
    #[error("the model does not fit the accelerator: {0}")]
    DoesNotFit(String),
    /// A layer cannot be compiled for the accelerator.
    #[error("the model does not fit the accelerator: {0}")]
    Compile(#[from] crate::compile::CompileError),
    /// The board's MODEL_ID does not name the image the host expects (or it has none).
    #[error("{0}")]
    ModelId(String),
    /// The image loader refused an image (CTRL.LOAD): LOAD_STATUS's reason and the words it took.
    #[error("the accelerator refused the model image after {words} words: {}", error.describe())]
    Load {
        error: crate::regmap::LoadError,
        words: u32,
    },
    /// The model cannot be placed in the memories (baked / made resident).
    #[error(transparent)]
    Image(#[from] crate::image::ImageError),
    /// The model is invalid.
    #[error(transparent)]
    Infer(#[from] golden::infer::InferError),
    /// The streams could not be laid out.
    #[error(transparent)]
    Layout(#[from] golden::layout::LayoutError),
    /// A transport failed (serial port, file).
    #[error(transparent)]
    Io(#[from] std::io::Error),
    /// The transport itself failed (a simulator's own error, for example).
    #[error("{0}")]
    Transport(String),
}
