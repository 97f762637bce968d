//! safetensors in and out.
//!
//! Reading works on a byte slice (the CLI memory-maps the file; this crate forbids `unsafe`, which
//! `memmap2::Mmap::map` needs). Float weights stored as F32, F16 or BF16 are widened to `f32`
//! exactly (every F16 and BF16 value is an f32 value); every other dtype whose elements are whole
//! bytes is carried through unchanged as raw little-endian bytes. Sub-byte dtypes (F4, F6) are
//! rejected.
//!
//! Writing produces a complete safetensors file in memory; the caller writes it atomically. Float
//! tensors are written as F32 (see docs/format.md, "Decoding to safetensors"), raw tensors with
//! their own dtype and bytes.

use safetensors::tensor::{Dtype as StDtype, SafeTensors, TensorView};

/// Largest element count of one tensor that this crate accepts (2^40). Far above any real model
/// tensor; a bound that keeps every `count * size` product inside `u64`/`usize`.
pub const MAX_ELEMENTS: u64 = 1 << 40;

/// Largest number of dimensions of one tensor.
pub const MAX_DIMS: usize = 16;

/// Errors of safetensors reading and writing.
#[derive(Debug, thiserror::Error)]
pub enum TensorsError {
    /// The bytes are not a valid safetensors file.
    #[error("not a valid safetensors file: {0}")]
    Invalid(#[from] safetensors::SafeTensorError),
    /// A tensor has a dtype this crate cannot carry (sub-byte types, or types newer than this crate).
    #[error("tensor `{name}`: unsupported dtype {dtype}")]
    UnsupportedDtype {
        /// Tensor name.
        name: String,
        /// The dtype as safetensors names it.
        dtype: String,
    },
    /// A tensor's shape is out of this crate's limits.
    #[error("tensor `{name}`: shape {shape:?} is out of limits (at most {MAX_DIMS} dimensions and 2^40 elements)")]
    ShapeTooLarge {
        /// Tensor name.
        name: String,
        /// The shape.
        shape: Vec<usize>,
    },
    /// A tensor's data length does not match its dtype and shape.
    #[error("tensor `{name}`: {len} bytes of data for {dtype} with shape {shape:?}")]
    LengthMismatch {
        /// Tensor name.
        name: String,
        /// The dtype.
        dtype: DType,
        /// The shape.
        shape: Vec<usize>,
        /// Bytes present.
        len: usize,
    },
    /// Two tensors share a name.
    #[error("duplicate tensor name `{0}`")]
    DuplicateName(String),
}

/// Element types this crate carries. The numeric codes are the ones stored in the container
/// (docs/format.md, "dtype codes"); they never change meaning.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[allow(non_camel_case_types)]
pub enum DType {
    BOOL,
    U8,
    I8,
    I16,
    U16,
    F16,
    BF16,
    I32,
    U32,
    F32,
    F64,
    I64,
    U64,
    F8_E5M2,
    F8_E4M3,
    F8_E8M0,
}

impl DType {
    /// Every dtype, in code order.
    pub const ALL: [DType; 16] = [
        DType::BOOL,
        DType::U8,
        DType::I8,
        DType::I16,
        DType::U16,
        DType::F16,
        DType::BF16,
        DType::I32,
        DType::U32,
        DType::F32,
        DType::F64,
        DType::I64,
        DType::U64,
        DType::F8_E5M2,
        DType::F8_E4M3,
        DType::F8_E8M0,
    ];

    /// The code stored in the container.
    pub fn code(self) -> u8 {
        DType::ALL
            .iter()
            .position(|&d| d == self)
            .expect("ALL lists every dtype") as u8
    }

    /// The dtype of a container code, if the code is known.
    pub fn from_code(code: u8) -> Option<DType> {
        DType::ALL.get(code as usize).copied()
    }

    /// Bytes per element.
    pub fn size(self) -> usize {
        match self {
            DType::BOOL | DType::U8 | DType::I8 | DType::F8_E5M2 | DType::F8_E4M3 | DType::F8_E8M0 => 1,
            DType::I16 | DType::U16 | DType::F16 | DType::BF16 => 2,
            DType::I32 | DType::U32 | DType::F32 => 4,
            DType::F64 | DType::I64 | DType::U64 => 8,
        }
    }

    /// Whether tensors of this dtype are quantized and entropy-coded (F32, F16, BF16) rather than
    /// carried as raw bytes.
    pub fn is_coded_float(self) -> bool {
        matches!(self, DType::F32 | DType::F16 | DType::BF16)
    }

    /// The name safetensors uses.
    pub fn name(self) -> &'static str {
        match self {
            DType::BOOL => "BOOL",
            DType::U8 => "U8",
            DType::I8 => "I8",
            DType::I16 => "I16",
            DType::U16 => "U16",
            DType::F16 => "F16",
            DType::BF16 => "BF16",
            DType::I32 => "I32",
            DType::U32 => "U32",
            DType::F32 => "F32",
            DType::F64 => "F64",
            DType::I64 => "I64",
            DType::U64 => "U64",
            DType::F8_E5M2 => "F8_E5M2",
            DType::F8_E4M3 => "F8_E4M3",
            DType::F8_E8M0 => "F8_E8M0",
        }
    }

    fn from_safetensors(d: StDtype) -> Option<DType> {
        Some(match d {
            StDtype::BOOL => DType::BOOL,
            StDtype::U8 => DType::U8,
            StDtype::I8 => DType::I8,
            StDtype::I16 => DType::I16,
            StDtype::U16 => DType::U16,
            StDtype::F16 => DType::F16,
            StDtype::BF16 => DType::BF16,
            StDtype::I32 => DType::I32,
            StDtype::U32 => DType::U32,
            StDtype::F32 => DType::F32,
            StDtype::F64 => DType::F64,
            StDtype::I64 => DType::I64,
            StDtype::U64 => DType::U64,
            StDtype::F8_E5M2 => DType::F8_E5M2,
            StDtype::F8_E4M3 => DType::F8_E4M3,
            StDtype::F8_E8M0 => DType::F8_E8M0,
            _ => return None,
        })
    }

    pub(crate) fn to_safetensors(self) -> StDtype {
        match self {
            DType::BOOL => StDtype::BOOL,
            DType::U8 => StDtype::U8,
            DType::I8 => StDtype::I8,
            DType::I16 => StDtype::I16,
            DType::U16 => StDtype::U16,
            DType::F16 => StDtype::F16,
            DType::BF16 => StDtype::BF16,
            DType::I32 => StDtype::I32,
            DType::U32 => StDtype::U32,
            DType::F32 => StDtype::F32,
            DType::F64 => StDtype::F64,
            DType::I64 => StDtype::I64,
            DType::U64 => StDtype::U64,
            DType::F8_E5M2 => StDtype::F8_E5M2,
            DType::F8_E4M3 => StDtype::F8_E4M3,
            DType::F8_E8M0 => StDtype::F8_E8M0,
        }
    }
}

impl std::fmt::Display for DType {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

/// The values of one tensor.
#[derive(Debug, Clone, PartialEq)]
pub enum TensorData {
    /// F32, F16 or BF16 weights widened to f32 (the original dtype is in [`Tensor::dtype`]).
    Float(Vec<f32>),
    /// Any other dtype: the raw little-endian bytes, unchanged.
    Raw(Vec<u8>),
}

/// One named tensor.
#[derive(Debug, Clone, PartialEq)]
pub struct Tensor {
    /// The name (safetensors key).
    pub name: String,
    /// The dtype in the source file (for float data, the dtype before widening to f32).
    pub dtype: DType,
    /// The shape.
    pub shape: Vec<usize>,
    /// The values.
    pub data: TensorData,
}

impl Tensor {
    /// An F32 tensor holding `values` (row-major, `shape`'s product of them).
    pub fn f32(name: &str, shape: Vec<usize>, values: Vec<f32>) -> Tensor {
        Tensor {
            name: name.into(),
            dtype: DType::F32,
            shape,
            data: TensorData::Float(values),
        }
    }

    /// Number of elements (product of the shape; 1 for a scalar).
    pub fn numel(&self) -> usize {
        self.shape.iter().product()
    }
}

/// Element count of a shape, if within [`MAX_DIMS`] and [`MAX_ELEMENTS`].
pub fn checked_numel(shape: &[usize]) -> Option<u64> {
    if shape.len() > MAX_DIMS {
        return None;
    }
    let mut n: u64 = 1;
    for &d in shape {
        n = n.checked_mul(u64::try_from(d).ok()?)?;
        if n > MAX_ELEMENTS {
            return None;
        }
    }
    Some(n)
}

/// What is done with the elements of a float tensor's bytes ([`visit_floats`]): one
/// monomorphized pass per dtype, the elements widened to f32 as they are read.
pub trait FloatVisitor {
    /// The result.
    type Out;
    /// Consumes the elements, in order.
    fn visit(self, elements: impl Iterator<Item = f32> + Clone) -> Self::Out;
}

/// Runs `v` over little-endian F32, F16 or BF16 bytes widened to f32. `bytes.len()` must be a
/// multiple of the element size (checked by the callers).
///
/// # Panics
/// If `dtype` is not a coded float dtype (a caller bug).
pub fn visit_floats<V: FloatVisitor>(dtype: DType, bytes: &[u8], v: V) -> V::Out {
    match dtype {
        DType::F32 => v.visit(
            bytes
                .chunks_exact(4)
                .map(|c| f32::from_le_bytes([c[0], c[1], c[2], c[3]])),
        ),
        DType::F16 => v.visit(
            bytes
                .chunks_exact(2)
                .map(|c| half::f16::from_le_bytes([c[0], c[1]]).to_f32()),
        ),
        DType::BF16 => v.visit(
            bytes
                .chunks_exact(2)
                .map(|c| half::bf16::from_le_bytes([c[0], c[1]]).to_f32()),
        ),
        _ => unreachable!("visit_floats is called for coded float dtypes only"),
    }
}

/// Widens little-endian F32, F16 or BF16 bytes to f32 ([`visit_floats`]).
fn widen(dtype: DType, bytes: &[u8]) -> Vec<f32> {
    struct Collect;
    impl FloatVisitor for Collect {
        type Out = Vec<f32>;
        fn visit(self, elements: impl Iterator<Item = f32> + Clone) -> Vec<f32> {
            elements.collect()
        }
    }
    visit_floats(dtype, bytes, Collect)
}

/// Parses a safetensors file held in memory. Tensors come back in the order of their data in the
/// file (which is the order safetensors writes them).
pub fn read_safetensors(bytes: &[u8]) -> Result<Vec<Tensor>, TensorsError> {
    let st = SafeTensors::deserialize(bytes)?;
    let mut out = Vec::with_capacity(st.len());
    for name in file_order(bytes)? {
        out.push(tensor_from_view(&name, &st.tensor(&name)?)?);
    }
    Ok(out)
}

/// Tensor names in the order of their data in the file.
fn file_order(bytes: &[u8]) -> Result<Vec<String>, TensorsError> {
    let (_, metadata) = SafeTensors::read_metadata(bytes)?;
    Ok(metadata.offset_keys())
}

/// Names, dtypes and shapes of a safetensors file in file order, without converting any data (cheap).
pub fn list_safetensors(bytes: &[u8]) -> Result<Vec<(String, DType, Vec<usize>)>, TensorsError> {
    let st = SafeTensors::deserialize(bytes)?;
    file_order(bytes)?
        .into_iter()
        .map(|name| {
            let view = st.tensor(&name)?;
            let dtype = DType::from_safetensors(view.dtype()).ok_or_else(|| TensorsError::UnsupportedDtype {
                name: name.clone(),
                dtype: format!("{:?}", view.dtype()),
            })?;
            Ok((name, dtype, view.shape().to_vec()))
        })
        .collect()
}

/// Reads one tensor of a safetensors file by name (the CLI converts tensors one at a time, in
/// parallel, to bound memory).
pub fn read_tensor(bytes: &[u8], name: &str) -> Result<Tensor, TensorsError> {
    let st = SafeTensors::deserialize(bytes)?;
    let view = st.tensor(name)?;
    tensor_from_view(name, &view)
}

/// Where tensor `name`'s data lies in the file, as a byte range of `bytes` (the CLI releases the
/// memory-mapped pages of a tensor once it has read it).
pub fn data_range(bytes: &[u8], name: &str) -> Result<std::ops::Range<usize>, TensorsError> {
    let (header_len, metadata) = SafeTensors::read_metadata(bytes)?;
    let info = metadata
        .info(name)
        .ok_or_else(|| safetensors::SafeTensorError::TensorNotFound(name.to_string()))?;
    let (a, b) = info.data_offsets;
    let base = 8 + header_len;
    Ok(base + a..base + b)
}

/// Checks that a tensor's shape has at most 2^40 elements and that its data is `len` bytes, the
/// shape's elements in `dtype`.
pub fn check_data_len(name: &str, dtype: DType, shape: &[usize], len: usize) -> Result<(), TensorsError> {
    let n = checked_numel(shape).ok_or_else(|| TensorsError::ShapeTooLarge {
        name: name.to_string(),
        shape: shape.to_vec(),
    })?;
    if len as u64 != n * dtype.size() as u64 {
        return Err(TensorsError::LengthMismatch {
            name: name.to_string(),
            dtype,
            shape: shape.to_vec(),
            len,
        });
    }
    Ok(())
}

fn tensor_from_view(name: &str, view: &TensorView<'_>) -> Result<Tensor, TensorsError> {
    let dtype = DType::from_safetensors(view.dtype()).ok_or_else(|| TensorsError::UnsupportedDtype {
        name: name.to_string(),
        dtype: format!("{:?}", view.dtype()),
    })?;
    let shape = view.shape().to_vec();
    let data = view.data();
    check_data_len(name, dtype, &shape, data.len())?;
    let data = if dtype.is_coded_float() {
        TensorData::Float(widen(dtype, data))
    } else {
        TensorData::Raw(data.to_vec())
    };
    Ok(Tensor {
        name: name.to_string(),
        dtype,
        shape,
        data,
    })
}

/// A tensor prepared for serialization: F32 little-endian bytes for float data, raw bytes otherwise.
struct OutView {
    dtype: StDtype,
    shape: Vec<usize>,
    bytes: Vec<u8>,
}

impl safetensors::View for &OutView {
    fn dtype(&self) -> StDtype {
        self.dtype
    }
    fn shape(&self) -> &[usize] {
        &self.shape
    }
    fn data(&self) -> std::borrow::Cow<'_, [u8]> {
        std::borrow::Cow::Borrowed(&self.bytes)
    }
    fn data_len(&self) -> usize {
        self.bytes.len()
    }
}

/// Serializes tensors to a safetensors file in memory. Float data is written as F32 whatever the
/// original dtype; raw data keeps its dtype. Fails on a duplicate name or a data length that does
/// not match the shape.
pub fn write_safetensors(tensors: &[Tensor]) -> Result<Vec<u8>, TensorsError> {
    let mut seen = std::collections::HashSet::new();
    let mut views = Vec::with_capacity(tensors.len());
    for t in tensors {
        if !seen.insert(t.name.as_str()) {
            return Err(TensorsError::DuplicateName(t.name.clone()));
        }
        let n = checked_numel(&t.shape).ok_or_else(|| TensorsError::ShapeTooLarge {
            name: t.name.clone(),
            shape: t.shape.clone(),
        })?;
        let (dtype, bytes) = match &t.data {
            TensorData::Float(v) => {
                if v.len() as u64 != n {
                    return Err(TensorsError::LengthMismatch {
                        name: t.name.clone(),
                        dtype: DType::F32,
                        shape: t.shape.clone(),
                        len: v.len() * 4,
                    });
                }
                (DType::F32, v.iter().flat_map(|x| x.to_le_bytes()).collect::<Vec<u8>>())
            }
            TensorData::Raw(b) => {
                if b.len() as u64 != n * t.dtype.size() as u64 {
                    return Err(TensorsError::LengthMismatch {
                        name: t.name.clone(),
                        dtype: t.dtype,
                        shape: t.shape.clone(),
                        len: b.len(),
                    });
                }
                (t.dtype, b.clone())
            }
        };
        views.push((
            t.name.clone(),
            OutView {
                dtype: dtype.to_safetensors(),
                shape: t.shape.clone(),
                bytes,
            },
        ));
    }
    Ok(safetensors::serialize(
        views.iter().map(|(n, v)| (n.as_str(), v)),
        None,
    )?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dtype_codes_round_trip() {
        for (i, d) in DType::ALL.iter().enumerate() {
            assert_eq!(d.code() as usize, i);
            assert_eq!(DType::from_code(d.code()), Some(*d));
            assert_eq!(DType::from_safetensors(d.to_safetensors()), Some(*d));
        }
        assert_eq!(DType::from_code(16), None);
    }

    #[test]
    fn f16_bf16_widen_exactly() {
        let vals = [0.0f32, -1.5, 0.333_251_95, 65504.0, -2.0e-3];
        let f16b: Vec<u8> = vals
            .iter()
            .flat_map(|&v| half::f16::from_f32(v).to_le_bytes())
            .collect();
        let bf16b: Vec<u8> = vals
            .iter()
            .flat_map(|&v| half::bf16::from_f32(v).to_le_bytes())
            .collect();
        let w = widen(DType::F16, &f16b);
        for (a, &v) in w.iter().zip(&vals) {
            assert_eq!(*a, half::f16::from_f32(v).to_f32());
        }
        let w = widen(DType::BF16, &bf16b);
        for (a, &v) in w.iter().zip(&vals) {
            assert_eq!(*a, half::bf16::from_f32(v).to_f32());
        }
    }

    #[test]
    fn write_then_read() {
        let ts = vec![
            Tensor {
                name: "w".into(),
                dtype: DType::F32,
                shape: vec![2, 3],
                data: TensorData::Float(vec![1.0, -2.0, 0.5, 0.0, 3.25, -0.125]),
            },
            Tensor {
                name: "ids".into(),
                dtype: DType::I64,
                shape: vec![2],
                data: TensorData::Raw(vec![1, 0, 0, 0, 0, 0, 0, 0, 2, 0, 0, 0, 0, 0, 0, 0]),
            },
            Tensor {
                name: "s".into(),
                dtype: DType::F32,
                shape: vec![],
                data: TensorData::Float(vec![7.0]),
            },
        ];
        let bytes = write_safetensors(&ts).unwrap();
        let mut back = read_safetensors(&bytes).unwrap();
        back.sort_by(|a, b| a.name.cmp(&b.name));
        let mut want = ts.clone();
        want.sort_by(|a, b| a.name.cmp(&b.name));
        assert_eq!(back, want);
        assert_eq!(read_tensor(&bytes, "ids").unwrap(), ts[1]);
        let ids = data_range(&bytes, "ids").unwrap();
        assert_eq!(&bytes[ids], &[1, 0, 0, 0, 0, 0, 0, 0, 2, 0, 0, 0, 0, 0, 0, 0]);
        let w = data_range(&bytes, "w").unwrap();
        assert_eq!(&bytes[w][4..8], &(-2.0f32).to_le_bytes());
        assert!(data_range(&bytes, "nope").is_err());
        assert_eq!(list_safetensors(&bytes).unwrap().len(), 3);
    }

    #[test]
    fn errors() {
        assert!(matches!(
            read_safetensors(b"not a safetensors file"),
            Err(TensorsError::Invalid(_))
        ));
        assert!(matches!(read_safetensors(&[]), Err(TensorsError::Invalid(_))));
        let dup = vec![
            Tensor {
                name: "a".into(),
                dtype: DType::F32,
                shape: vec![1],
                data: TensorData::Float(vec![1.0]),
            },
            Tensor {
                name: "a".into(),
                dtype: DType::F32,
                shape: vec![1],
                data: TensorData::Float(vec![1.0]),
            },
        ];
        assert!(matches!(write_safetensors(&dup), Err(TensorsError::DuplicateName(_))));
        let bad = vec![Tensor {
            name: "a".into(),
            dtype: DType::F32,
            shape: vec![2],
            data: TensorData::Float(vec![1.0]),
        }];
        assert!(matches!(
            write_safetensors(&bad),
            Err(TensorsError::LengthMismatch { .. })
        ));
        // A sub-byte dtype in a hand-made header is rejected.
        let header = br#"{"x":{"dtype":"F4","shape":[2],"data_offsets":[0,1]}}"#;
        let mut f = (header.len() as u64).to_le_bytes().to_vec();
        f.extend_from_slice(header);
        f.push(0);
        assert!(matches!(
            read_safetensors(&f),
            Err(TensorsError::UnsupportedDtype { .. })
        ));
    }
}
