//! A BSZ container back to tensors (`backslash decode`, the Python package's `decode`): every
//! CRC, length and codeword checked ([`Container::from_bytes`], [`crate::container::Entry::decode`]),
//! the tensors decoded in parallel with rayon. Coded tensors become F32 holding the dequantized
//! weights q·2^-n exactly (whatever their source dtype: F16/BF16 could not hold every q·2^-n); raw
//! tensors keep their dtype and bytes.

use crate::container::{Container, ContainerError};
use crate::encode::Progress;
use crate::tensors::{write_safetensors, Tensor, TensorsError};
use rayon::prelude::*;

/// Errors of [`decode_container`] and [`decode_to_safetensors`]. The messages are the CLI's (one
/// line with their sources, joined by ": ").
#[derive(Debug, thiserror::Error)]
pub enum DecodeError {
    /// The container does not parse (magic, version, a length, a CRC).
    #[error("cannot read {name}")]
    Read {
        /// The container's name, as given by the caller (the CLI gives its path).
        name: String,
        /// Why.
        #[source]
        source: ContainerError,
    },
    /// A coded tensor does not decode (a codeword, an index, the padding).
    #[error("cannot decode {name}")]
    Decode {
        /// The container's name.
        name: String,
        /// Why.
        #[source]
        source: ContainerError,
    },
    /// The decoded tensors do not form a safetensors file.
    #[error("cannot build the safetensors output")]
    Write(#[source] TensorsError),
}

/// Parses the container `bytes` (named `name` in errors) and decodes all its tensors in parallel.
/// `progress` is started with the tensor count and ticked per tensor decoded.
pub fn decode_container(
    bytes: &[u8],
    name: &str,
    progress: &dyn Progress,
) -> Result<(Container, Vec<Tensor>), DecodeError> {
    let c = Container::from_bytes(bytes).map_err(|source| DecodeError::Read {
        name: name.to_string(),
        source,
    })?;
    progress.start(c.entries.len() as u64);
    let tensors = c
        .entries
        .par_iter()
        .map(|e| {
            let t = e.decode().map_err(|source| DecodeError::Decode {
                name: name.to_string(),
                source,
            })?;
            progress.tick();
            Ok(t)
        })
        .collect::<Result<Vec<_>, DecodeError>>()?;
    progress.finish();
    Ok((c, tensors))
}

/// [`decode_container`], then the tensors as a safetensors file (in container order) and their count.
pub fn decode_to_safetensors(
    bytes: &[u8],
    name: &str,
    progress: &dyn Progress,
) -> Result<(Vec<u8>, usize), DecodeError> {
    let (_, tensors) = decode_container(bytes, name, progress)?;
    let out = write_safetensors(&tensors).map_err(DecodeError::Write)?;
    Ok((out, tensors.len()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::container::{encode_tensor, Container, KChoice};
    use crate::tensors::{read_tensor, TensorData};

    #[test]
    fn decodes_what_was_encoded_and_names_the_file_in_errors() {
        let w: Vec<f32> = (0..300).map(|i| ((i % 17) as f32 - 8.0) / 64.0).collect();
        let t = Tensor::f32("w", vec![20, 15], w.clone());
        let c = Container {
            entries: vec![encode_tensor(&t, 8, KChoice::Auto).unwrap()],
        };
        let bytes = c.to_bytes().unwrap();
        let (st, n) = decode_to_safetensors(&bytes, "m.bsz", &()).unwrap();
        assert_eq!(n, 1);
        let back = read_tensor(&st, "w").unwrap();
        assert_eq!(back.shape, vec![20, 15]);
        assert!(matches!(&back.data, TensorData::Float(v) if *v == w));

        let mut bad = bytes.clone();
        bad[4] ^= 0x40; // the version field: caught by the header CRC
        let e = decode_container(&bad, "m.bsz", &()).unwrap_err();
        assert!(matches!(e, DecodeError::Read { .. }), "{e:?}");
        assert_eq!(e.to_string(), "cannot read m.bsz");
    }
}
