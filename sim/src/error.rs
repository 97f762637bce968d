//! Errors of the simulator and the host driver.
use hdl::regmap::ErrorInfo;
use thiserror::Error;

/// What can go wrong while simulating or driving the accelerator.
#[derive(Debug, Error)]
pub enum SimError {
    /// No model of this name was compiled in.
    #[error("no Verilated model named {name:?} (available: {available})")]
    UnknownModel { name: String, available: String },
    /// No accelerator with this lane count and decoder was compiled in.
    #[error("no Verilated accelerator with {lanes} lanes and the {decoder} decoder (available: {available})")]
    NoAccelerator {
        lanes: usize,
        decoder: &'static str,
        available: String,
    },
    /// The model has no port of this name.
    #[error("model {model} has no port {port:?}")]
    NoPort { model: &'static str, port: String },
    /// The port cannot be driven.
    #[error("port {port:?} of model {model} is an output")]
    NotAnInput { model: &'static str, port: String },
    /// The C++ side failed.
    #[error("Verilated model: {0}")]
    Model(String),
    /// The model was verilated without `--trace` (a faster copy), so it cannot record a VCD.
    #[error("model {model} was verilated without --trace and cannot record a VCD: open a traceable model (sim::Accelerator::new_traceable)")]
    NotTraceable { model: &'static str },
    /// A trace file could not be written.
    #[error("VCD trace {path}: {message}")]
    Trace { path: String, message: String },
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
    /// The board's MODEL_ID does not name the image the host expects (or it has none).
    #[error("{0}")]
    ModelId(String),
    /// The model cannot be baked / made resident.
    #[error(transparent)]
    Bake(#[from] hdl::bake::BakeError),
    /// The model is invalid.
    #[error(transparent)]
    Infer(#[from] golden::infer::InferError),
    /// The streams could not be laid out.
    #[error(transparent)]
    Layout(#[from] golden::layout::LayoutError),
    /// A transport failed (serial port, file).
    #[error(transparent)]
    Io(#[from] std::io::Error),
}
