//! The BackSlash golden model: pure Rust, no hardware knowledge.
//!
//! One module per stage of the chain (see docs/STRUCTURE.md):
//! statistics ([`gg`]), quantization ([`quant`]), frequency-ranked value map ([`valuemap`]),
//! bit I/O ([`bits`]), the fast decoders' chunked core ([`chunks`]), codes ([`expgolomb`], [`huffman`], [`fixed`]), the model container
//! ([`container`]), safetensors I/O ([`tensors`]), a whole model encoded into a container a batch
//! of tensors at a time ([`encode`]) and decoded back ([`decode`]) and its per-tensor code statistics ([`stats`]), training
//! ([`train`], [`data`]) and the bit-exact integer inference ([`infer`]) that the accelerator must
//! reproduce, with the stream layout the accelerator reads ([`layout`]).
#![deny(unsafe_code)] // one audited exception: train::gemm wraps matrixmultiply::sgemm (docs/training.md)

pub mod bits;
pub mod chunks;
pub mod container;
pub mod data;
pub mod decode;
pub mod encode;
pub mod expgolomb;
pub mod fixed;
pub mod gg;
pub mod huffman;
pub mod infer;
pub mod layout;
pub mod quant;
pub mod stats;
pub mod tensors;
pub mod testing;
pub mod train;
pub mod valuemap;
