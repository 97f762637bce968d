//! Errors of the simulator. Errors of the driver and the bus are the host's ([`host::HostError`]).
use host::HostError;
use thiserror::Error;

/// What can go wrong while simulating the accelerator.
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
    /// The driver, the bus or the model (see [`HostError`]).
    #[error(transparent)]
    Host(#[from] HostError),
}

impl SimError {
    /// A protocol error of the simulated bus.
    pub fn protocol(msg: impl Into<String>) -> SimError {
        SimError::Host(HostError::Protocol(msg.into()))
    }
}

/// A simulator error seen by the host driver: the host's own errors pass through, the simulator's
/// become [`HostError::Transport`].
impl From<SimError> for HostError {
    fn from(e: SimError) -> HostError {
        match e {
            SimError::Host(h) => h,
            other => HostError::Transport(other.to_string()),
        }
    }
}

impl From<std::io::Error> for SimError {
    fn from(e: std::io::Error) -> SimError {
        SimError::Host(HostError::Io(e))
    }
}

impl From<golden::infer::InferError> for SimError {
    fn from(e: golden::infer::InferError) -> SimError {
        SimError::Host(HostError::Infer(e))
    }
}
