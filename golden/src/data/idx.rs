//! A small reader for the IDX format of (Fashion-)MNIST, unsigned-byte arrays only.
//!
//! Layout: two zero bytes, a type byte (`0x08` = unsigned byte), a dimension count `d`, then `d`
//! big-endian `u32` sizes, then the data in row-major order, exactly `Π sizes` bytes.

use thiserror::Error;

/// Errors in an IDX file.
#[derive(Debug, Error, PartialEq, Eq)]
pub enum IdxError {
    /// The file is shorter than its header.
    #[error("truncated header ({0} bytes)")]
    Header(usize),
    /// The magic number is not `00 00 08 d`.
    #[error("bad magic {0:02x?}: expected 00 00 08 <dims> (unsigned-byte IDX)")]
    Magic([u8; 4]),
    /// The data size differs from the product of the dimensions.
    #[error("data has {got} bytes, the header announces {expected}")]
    Size { got: usize, expected: usize },
}

/// An IDX array of unsigned bytes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IdxArray {
    /// Dimension sizes, outermost first.
    pub dims: Vec<usize>,
    /// The values, row-major.
    pub data: Vec<u8>,
}

/// Parses an (uncompressed) IDX file of unsigned bytes.
pub fn parse(bytes: &[u8]) -> Result<IdxArray, IdxError> {
    if bytes.len() < 4 {
        return Err(IdxError::Header(bytes.len()));
    }
    let magic = [bytes[0], bytes[1], bytes[2], bytes[3]];
    if magic[0] != 0 || magic[1] != 0 || magic[2] != 0x08 || magic[3] == 0 || magic[3] > 4 {
        return Err(IdxError::Magic(magic));
    }
    let ndims = magic[3] as usize;
    let header = 4 + 4 * ndims;
    if bytes.len() < header {
        return Err(IdxError::Header(bytes.len()));
    }
    let dims: Vec<usize> = bytes[4..header]
        .chunks_exact(4)
        .map(|c| u32::from_be_bytes([c[0], c[1], c[2], c[3]]) as usize)
        .collect();
    let expected = dims
        .iter()
        .try_fold(1usize, |a, &d| a.checked_mul(d))
        .unwrap_or(usize::MAX);
    let got = bytes.len() - header;
    if got != expected {
        return Err(IdxError::Size { got, expected });
    }
    Ok(IdxArray {
        dims,
        data: bytes[header..].to_vec(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_a_small_array() {
        let bytes = [0, 0, 8, 2, 0, 0, 0, 2, 0, 0, 0, 3, 1, 2, 3, 4, 5, 6];
        let a = parse(&bytes).unwrap();
        assert_eq!(a.dims, vec![2, 3]);
        assert_eq!(a.data, vec![1, 2, 3, 4, 5, 6]);
    }

    #[test]
    fn rejects_bad_magic_and_size() {
        assert_eq!(parse(&[0, 0, 9, 1, 0, 0, 0, 0]), Err(IdxError::Magic([0, 0, 9, 1])));
        assert_eq!(parse(&[0, 0, 8]), Err(IdxError::Header(3)));
        assert_eq!(
            parse(&[0, 0, 8, 1, 0, 0, 0, 3, 1, 2]),
            Err(IdxError::Size { got: 2, expected: 3 })
        );
        assert_eq!(parse(&[0, 0, 8, 2, 0, 0, 0, 3]), Err(IdxError::Header(8)));
    }
}
