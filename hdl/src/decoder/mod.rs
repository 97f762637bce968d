//! The lane's exp-Golomb decoders: [`pipelined`] ([`EgDecoder`]), [`serial`] ([`EgSerialDecoder`])
//! and [`lane`] ([`LaneDecoder`], the lane's choice of the two).
pub mod lane;
pub mod pipelined;
pub mod serial;

pub use lane::LaneDecoder;
pub use pipelined::{reference, DecodeConfig, DecodeFault, EgDecoder, Event, LEN_BITS};
pub use serial::EgSerialDecoder;
