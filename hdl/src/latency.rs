//! The accelerator's fixed latencies, each defined by the block that has it and summed here.
//!
//! A layer's CYCLES is its slowest lane's decode work plus [`fixed_clocks`] (the estimate in
//! `bitstreams::estimate` uses it): the decoder's latency ([`crate::decoder::pipelined::LATENCY`] or
//! [`crate::decoder::serial::LATENCY`], measured by the decoders' tests), the lane's
//! ([`crate::mac_lane::LATENCY`]), the output stage's ([`crate::sparse_mac_array::OUTPUT_CLOCKS`]) and
//! the top's run control ([`crate::accelerator::CONTROL_CLOCKS`]). The sums are checked against
//! CYCLES of the Verilated accelerators (the co-simulation's estimated-cycles tests).
use crate::decoder::{pipelined, serial};
use crate::regmap::DecoderKind;
use crate::{accelerator, mac_lane, sparse_mac_array};

/// The latency of `decoder`: its work's last unit (codeword or bit) to its last event.
pub const fn decoder(decoder: DecoderKind) -> u64 {
    match decoder {
        DecoderKind::Pipelined => pipelined::LATENCY,
        DecoderKind::Serial => serial::LATENCY,
    }
}

/// Clocks a layer takes beyond its slowest lane's decode clocks (pipelined decoder) or stream bits
/// (serial decoder).
pub const fn fixed_clocks(kind: DecoderKind) -> u64 {
    decoder(kind) + mac_lane::LATENCY + sparse_mac_array::OUTPUT_CLOCKS + accelerator::CONTROL_CLOCKS
}

/// [`fixed_clocks`] of the pipelined decoder.
pub const PIPELINED: u64 = fixed_clocks(DecoderKind::Pipelined);
/// [`fixed_clocks`] of the bit-serial decoder.
pub const SERIAL: u64 = fixed_clocks(DecoderKind::Serial);
