//! The BSZ model container ("BackSlash zipped", extension `.bsz`), format version 3 (version 1
//! files, which hold exp-Golomb codes only, and version 2 files, without chunk indexes, are still
//! read).
//!
//! The byte-level specification is docs/format.md; this module follows it section by section.
//! Every structure is a mirrored `write`/`read` pair over one definition ([`FileHeader`],
//! [`Descriptor`]), so the writer and the reader cannot drift apart.
//!
//! Reading ([`Container::records`], which locates every record with its payload borrowed, and
//! [`Container::from_bytes`], which also checks each payload's CRC and copies it) checks every
//! length against the bytes that are actually left before it slices or allocates, checks every CRC,
//! and rejects fields out of range; it never panics on any input. Decoding a coded tensor
//! ([`Entry::decode`]) additionally checks that the payload holds exactly `count` codewords, that
//! each index lies inside the value map, and that the payload is the canonical encoding (same bit
//! length, zero padding).
//!
//! Three codes ([`Code`]): exp-Golomb EG(k), a fixed-length code (every index in
//! [`fixed_width`] bits) and canonical Huffman (its code lengths in the descriptor). The writer
//! picks one per tensor ([`CodeChoice`]; `Auto` takes the smallest record).

use crate::bits::{BitSink, BitWriter};
use crate::expgolomb;
use crate::fixed;
use crate::huffman::{self, HuffmanCode};
use crate::quant;
use crate::tensors::{checked_numel, DType, Tensor, TensorData, MAX_DIMS};
use crate::valuemap::ValueMap;
use rayon::prelude::*;

/// The four magic bytes at offset 0: `B` `S` `Z` NUL.
pub const MAGIC: [u8; 4] = *b"BSZ\0";
/// The format version this module writes (it reads [`VERSION_1`] too).
pub const VERSION: u16 = 3;
/// The first format version: exp-Golomb codes only (code ids 1 and 2 are invalid in it). Read, not
/// written.
pub const VERSION_1: u16 = 1;
/// Version 2: the three codes, no chunk index (still read).
pub const VERSION_2: u16 = 2;
/// Symbols per chunk of the writer's chunk index, as a power of two: tensors of more than
/// 2^CHUNK_SHIFT symbols are coded as independently decodable chunks of that many symbols.
pub const CHUNK_SHIFT: u32 = 14;
/// Smallest chunk shift a reader accepts (other than 0, no index).
pub const MIN_CHUNK_SHIFT: u32 = 10;
/// Largest chunk shift a reader accepts.
pub const MAX_CHUNK_SHIFT: u32 = 40;
/// Size of the file header in bytes.
pub const FILE_HEADER_LEN: usize = 16;
/// Storage kind: the payload is the tensor's raw little-endian bytes.
pub const STORAGE_RAW: u8 = 0;
/// Storage kind: the payload is quantized, value-mapped and entropy-coded.
pub const STORAGE_CODED: u8 = 1;
/// Code id of exp-Golomb EG(k); the code parameter is k.
pub const CODE_EXP_GOLOMB: u8 = 0;
/// Code id of the fixed-length code over the value map; the code parameter is the width in bits
/// ([`fixed_width`] of the value map's length). Version 2 and later.
pub const CODE_FIXED: u8 = 1;
/// Code id of canonical Huffman; the code parameter is 0 and the code lengths follow the value map
/// in the descriptor. Version 2 and later.
pub const CODE_HUFFMAN: u8 = 2;
/// Smallest possible record: length field, a descriptor of a 1-byte-named raw scalar, two CRCs.
const MIN_RECORD_LEN: u64 = 4 + (2 + 1 + 1 + 1 + 1 + 8) + 4 + 4;

/// Errors of writing, reading and decoding a container.
#[derive(Debug, thiserror::Error)]
pub enum ContainerError {
    /// The file does not start with the BSZ magic bytes.
    #[error("not a BSZ container (bad magic bytes)")]
    BadMagic,
    /// The file's format version is not one this reader knows.
    #[error("unsupported BSZ version {0} (this reader knows versions {VERSION_1} and {VERSION})")]
    UnsupportedVersion(u16),
    /// The file ends before a field or a payload it announces.
    #[error("truncated container: {what} at byte {offset} needs {need} bytes, {have} left")]
    Truncated {
        /// The field being read.
        what: &'static str,
        /// Its byte offset.
        offset: u64,
        /// Bytes it needs.
        need: u64,
        /// Bytes left in the file.
        have: u64,
    },
    /// A CRC32 does not match the bytes it covers.
    #[error("CRC mismatch in {what} at byte {offset}: stored {stored:08x}, computed {computed:08x}")]
    Crc {
        /// Which structure (file header, descriptor of record i, payload of tensor `x`).
        what: String,
        /// Byte offset of the stored CRC.
        offset: u64,
        /// CRC stored in the file.
        stored: u32,
        /// CRC of the bytes read.
        computed: u32,
    },
    /// A field holds a value outside its range, or fields contradict each other.
    #[error("invalid container at byte {offset}: {what}")]
    Invalid {
        /// Byte offset of the field (or of the start of its record).
        offset: u64,
        /// What is wrong.
        what: String,
    },
    /// Bytes follow the last record.
    #[error("{len} unexpected bytes after the last record at byte {offset}")]
    TrailingBytes {
        /// Offset of the first extra byte.
        offset: u64,
        /// Number of extra bytes.
        len: u64,
    },
    /// A coded payload does not decode.
    #[error("tensor `{name}`: payload does not decode: {source}")]
    Decode {
        /// Tensor name.
        name: String,
        /// The decoder's error (with its bit position).
        source: expgolomb::EgError,
    },
    /// A fixed-length payload does not decode.
    #[error("tensor `{name}`: fixed-length payload does not decode: {source}")]
    FixedDecode {
        /// Tensor name.
        name: String,
        /// The bit reader's error.
        source: crate::bits::BitsError,
    },
    /// A Huffman payload does not decode, or its code lengths do not form a code.
    #[error("tensor `{name}`: Huffman payload does not decode: {source}")]
    HuffmanDecode {
        /// Tensor name.
        name: String,
        /// The Huffman decoder's error (with its bit position).
        source: huffman::HuffmanError,
    },
    /// A decoded index is outside the value map.
    #[error("tensor `{name}`: symbol {position} has index {index}, outside the value map of {map_len} values")]
    IndexOutOfMap {
        /// Tensor name.
        name: String,
        /// Symbol position in the tensor.
        position: u64,
        /// The decoded index.
        index: u32,
        /// Value map length.
        map_len: usize,
    },
    /// The payload decodes but is not the exact encoding of what it decodes to.
    #[error("tensor `{name}`: payload is not canonical ({what})")]
    NonCanonical {
        /// Tensor name.
        name: String,
        /// What differs.
        what: String,
    },
    /// A tensor cannot be quantized (NaN or infinite weight, bad step).
    #[error("tensor `{name}`: {source}")]
    Quantize {
        /// Tensor name.
        name: String,
        /// The quantizer's error.
        source: quant::QuantError,
    },
    /// A tensor's description is out of the format's limits (while writing).
    #[error("tensor `{name}`: {what}")]
    Unsupported {
        /// Tensor name.
        name: String,
        /// What is out of limits.
        what: String,
    },
}

/// The entropy code of a coded tensor.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Code {
    /// Exp-Golomb EG(k), k in 0..=[`expgolomb::MAX_K`].
    ExpGolomb {
        /// The order k.
        k: u32,
    },
    /// Fixed-length: every index in `bits` bits, MSB-first; `bits` is [`fixed_width`] of the value
    /// map's length.
    Fixed {
        /// Bits per index.
        bits: u32,
    },
    /// Canonical Huffman ([`HuffmanCode::from_lengths`]: RFC 1951 code assignment, MSB-first).
    Huffman {
        /// Code length in bits of each value-map index (0: the index has no code), one per entry
        /// of the value map, each at most [`huffman::MAX_CODE_LEN`].
        lengths: Vec<u8>,
    },
}

impl Code {
    fn id_and_param(&self) -> (u8, u8) {
        match self {
            Code::ExpGolomb { k } => (CODE_EXP_GOLOMB, *k as u8),
            Code::Fixed { bits } => (CODE_FIXED, *bits as u8),
            Code::Huffman { .. } => (CODE_HUFFMAN, 0),
        }
    }

    /// Short human name: `eg(3)`, `fixed(5)` or `huffman`.
    pub fn name(&self) -> String {
        match self {
            Code::ExpGolomb { k } => format!("eg({k})"),
            Code::Fixed { bits } => format!("fixed({bits})"),
            Code::Huffman { .. } => "huffman".into(),
        }
    }

    /// Bytes this code adds to the descriptor beyond the fields every coded tensor has (the
    /// Huffman code lengths).
    pub fn table_bytes(&self) -> u64 {
        match self {
            Code::Huffman { lengths } => lengths.len() as u64,
            _ => 0,
        }
    }
}

/// Bits per index of the fixed-length code over a value map of `map_len` values:
/// ceil(log2(map_len)), and at least 1, so that every symbol costs a bit (as every EG and Huffman
/// codeword does) and decoding allocates at most 32 bits of output per payload bit.
pub fn fixed_width(map_len: usize) -> u32 {
    fixed::fixed_bits_per_symbol(map_len).max(1)
}

/// Checks a code against the other fields of its coded tensor (docs/format.md, "What a reader
/// checks"): the parameter's range, the Huffman code lengths (one per value-map entry, each at most
/// [`huffman::MAX_CODE_LEN`], Kraft sum at most 1, at least one code when there are symbols) and
/// that `count` symbols can take `payload_bits` bits (which bounds what decoding allocates).
/// Returns what is wrong.
fn check_code(code: &Code, count: u64, payload_bits: u64, map_len: usize) -> Result<(), String> {
    match code {
        Code::ExpGolomb { k } => {
            if *k > expgolomb::MAX_K {
                return Err(format!("EG order k={k} > {}", expgolomb::MAX_K));
            }
            // Every EG(k) codeword is at least k+1 bits long.
            if count
                .checked_mul(u64::from(*k) + 1)
                .is_none_or(|min| min > payload_bits)
            {
                return Err(format!("{count} EG({k}) codewords cannot fit in {payload_bits} bits"));
            }
        }
        Code::Fixed { bits } => {
            let want = fixed_width(map_len);
            if *bits != want {
                return Err(format!(
                    "fixed-length width {bits} for a value map of {map_len} values (must be {want})"
                ));
            }
            if count.checked_mul(u64::from(*bits)) != Some(payload_bits) {
                return Err(format!(
                    "{count} fixed({bits}) codewords do not take {payload_bits} bits"
                ));
            }
        }
        Code::Huffman { lengths } => {
            if lengths.len() != map_len {
                return Err(format!(
                    "{} Huffman code lengths for a value map of {map_len} values",
                    lengths.len()
                ));
            }
            if map_len > huffman::MAX_SYMBOLS {
                return Err(format!(
                    "value map of {map_len} values exceeds the Huffman limit of {} symbols",
                    huffman::MAX_SYMBOLS
                ));
            }
            let mut kraft = 0u64;
            let (mut min, mut max) = (u32::MAX, 0u32);
            for (i, &l) in lengths.iter().enumerate() {
                let l = u32::from(l);
                if l > huffman::MAX_CODE_LEN {
                    return Err(format!(
                        "Huffman code length {l} of index {i} > {}",
                        huffman::MAX_CODE_LEN
                    ));
                }
                if l > 0 {
                    kraft += 1 << (huffman::MAX_CODE_LEN - l);
                    min = min.min(l);
                    max = max.max(l);
                }
            }
            if kraft > 1 << huffman::MAX_CODE_LEN {
                return Err("Huffman code lengths are over-subscribed (Kraft sum above 1)".into());
            }
            if count > 0 && max == 0 {
                return Err("no Huffman code length is non-zero".into());
            }
            if count > 0
                && (count.checked_mul(u64::from(min)).is_none_or(|b| b > payload_bits)
                    || count.checked_mul(u64::from(max)).is_some_and(|b| b < payload_bits))
            {
                return Err(format!(
                    "{count} Huffman codewords of {min} to {max} bits cannot take {payload_bits} bits"
                ));
            }
            if count == 0 && payload_bits != 0 {
                return Err(format!("no Huffman codewords cannot take {payload_bits} bits"));
            }
        }
    }
    Ok(())
}

/// Checks a chunk index: every chunk takes at least one bit per symbol (every codeword of every
/// code has one), so chunk j starts at or after bit j·2^shift and at most at `payload_bits`, in
/// increasing order. Whether each chunk ends exactly where the next starts is checked when
/// decoding.
fn check_chunk_starts(starts: &[u64], shift: u32, payload_bits: u64) -> Result<(), String> {
    let mut prev = 0u64;
    for (j, &b) in (1u64..).zip(starts) {
        let min = prev.saturating_add(1 << shift);
        if b < min || b > payload_bits {
            return Err(format!("chunk {j} starts at bit {b}, outside {min}..={payload_bits}"));
        }
        prev = b;
    }
    Ok(())
}

/// A quantized, value-mapped, entropy-coded tensor.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Coded {
    /// Quantization step exponent n: values are q·2^-n.
    pub step_bits: u32,
    /// The entropy code of the indices.
    pub code: Code,
    /// The value map: index i stands for the quantized value `map[i]` (rank order when written by
    /// this crate).
    pub map: Vec<i32>,
    /// Number of symbols (elements) coded.
    pub count: u64,
    /// Exact length of the coded stream in bits (the payload is this many bits, zero-padded to a byte).
    pub payload_bits: u64,
    /// The coded stream, MSB-first.
    pub payload: Vec<u8>,
    /// The chunk index: 0 for none (one chunk), else chunks of 2^`chunk_shift` symbols (the last
    /// may be shorter), each decodable on its own.
    pub chunk_shift: u32,
    /// The bit where each chunk after the first starts in the payload (the first starts at 0);
    /// empty when `chunk_shift` is 0.
    pub chunk_starts: Vec<u64>,
}

impl Coded {
    /// The number of chunks (each of 2^chunk_shift symbols but the last).
    pub fn chunk_count(&self) -> u64 {
        chunk_count(self.count, self.chunk_shift)
    }

    /// The reader's checks of a coded tensor's fields against each other (docs/format.md, "What a
    /// reader checks"), for one built in memory: the payload length, step bits, map length, the
    /// code ([`check_code`]) and the chunk index. Returns what is wrong.
    fn check(&self) -> Result<(), String> {
        if self.payload_bits.div_ceil(8) != self.payload.len() as u64 {
            return Err(format!("{} bits in {} bytes", self.payload_bits, self.payload.len()));
        }
        if self.step_bits > quant::MAX_STEP_BITS {
            return Err(format!("step bits {} > {}", self.step_bits, quant::MAX_STEP_BITS));
        }
        if self.map.len() > u32::MAX as usize {
            return Err(format!("value map of {} values", self.map.len()));
        }
        check_code(&self.code, self.count, self.payload_bits, self.map.len())?;
        if !chunk_shift_valid(self.chunk_shift) || self.chunk_starts.len() as u64 != self.chunk_count() - 1 {
            return Err(format!(
                "{} chunk starts for {} symbols in chunks of 2^{}",
                self.chunk_starts.len(),
                self.count,
                self.chunk_shift
            ));
        }
        check_chunk_starts(&self.chunk_starts, self.chunk_shift, self.payload_bits)
    }
}

/// Whether a chunk shift is 0 (no index) or in [`MIN_CHUNK_SHIFT`]..=[`MAX_CHUNK_SHIFT`].
fn chunk_shift_valid(shift: u32) -> bool {
    shift == 0 || (MIN_CHUNK_SHIFT..=MAX_CHUNK_SHIFT).contains(&shift)
}

/// Chunks of 2^`shift` symbols among `count` (one chunk, possibly empty, for shift 0).
fn chunk_count(count: u64, shift: u32) -> u64 {
    if shift == 0 {
        1
    } else {
        count.div_ceil(1 << shift).max(1)
    }
}

/// How a tensor's values are stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Body {
    /// Raw little-endian bytes in the tensor's dtype.
    Raw(Vec<u8>),
    /// Coded (float tensors).
    Coded(Coded),
}

impl Body {
    /// The payload bytes.
    pub fn payload(&self) -> &[u8] {
        match self {
            Body::Raw(b) => b,
            Body::Coded(c) => &c.payload,
        }
    }
}

/// One tensor of a container.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    /// Name (UTF-8, 1 to 65535 bytes, unique in the container).
    pub name: String,
    /// The dtype of the tensor in the source model.
    pub dtype: DType,
    /// Shape.
    pub shape: Vec<usize>,
    /// The values.
    pub body: Body,
}

/// A whole container: tensors in file order.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Container {
    /// The tensors.
    pub entries: Vec<Entry>,
}

// ---------------------------------------------------------------------------------------------
// Byte-level primitives: all integers little-endian.

struct Out(Vec<u8>);

impl Out {
    fn u8(&mut self, v: u8) {
        self.0.push(v);
    }
    fn u16(&mut self, v: u16) {
        self.0.extend_from_slice(&v.to_le_bytes());
    }
    fn u32(&mut self, v: u32) {
        self.0.extend_from_slice(&v.to_le_bytes());
    }
    fn u64(&mut self, v: u64) {
        self.0.extend_from_slice(&v.to_le_bytes());
    }
    fn i32(&mut self, v: i32) {
        self.0.extend_from_slice(&v.to_le_bytes());
    }
    fn bytes(&mut self, b: &[u8]) {
        self.0.extend_from_slice(b);
    }
}

/// A bounds-checked cursor. `base` is the absolute file offset of `buf[0]`, for error messages.
struct In<'a> {
    buf: &'a [u8],
    pos: usize,
    base: u64,
}

impl<'a> In<'a> {
    fn new(buf: &'a [u8], base: u64) -> Self {
        In { buf, pos: 0, base }
    }
    fn offset(&self) -> u64 {
        self.base + self.pos as u64
    }
    fn left(&self) -> usize {
        self.buf.len() - self.pos
    }
    fn take(&mut self, n: u64, what: &'static str) -> Result<&'a [u8], ContainerError> {
        if n > self.left() as u64 {
            return Err(ContainerError::Truncated {
                what,
                offset: self.offset(),
                need: n,
                have: self.left() as u64,
            });
        }
        let s = &self.buf[self.pos..self.pos + n as usize];
        self.pos += n as usize;
        Ok(s)
    }
    fn array<const N: usize>(&mut self, what: &'static str) -> Result<[u8; N], ContainerError> {
        let s = self.take(N as u64, what)?;
        let mut a = [0u8; N];
        a.copy_from_slice(s);
        Ok(a)
    }
    fn u8(&mut self, what: &'static str) -> Result<u8, ContainerError> {
        Ok(self.array::<1>(what)?[0])
    }
    fn u16(&mut self, what: &'static str) -> Result<u16, ContainerError> {
        Ok(u16::from_le_bytes(self.array(what)?))
    }
    fn u32(&mut self, what: &'static str) -> Result<u32, ContainerError> {
        Ok(u32::from_le_bytes(self.array(what)?))
    }
    fn u64(&mut self, what: &'static str) -> Result<u64, ContainerError> {
        Ok(u64::from_le_bytes(self.array(what)?))
    }
}

fn invalid(offset: u64, what: impl Into<String>) -> ContainerError {
    ContainerError::Invalid {
        offset,
        what: what.into(),
    }
}

// ---------------------------------------------------------------------------------------------
// File header (docs/format.md, "File header").

/// The 16-byte file header.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FileHeader {
    /// Format version.
    pub version: u16,
    /// Number of tensor records that follow.
    pub tensor_count: u32,
}

impl FileHeader {
    fn write(&self, o: &mut Out) {
        let start = o.0.len();
        o.bytes(&MAGIC);
        o.u16(self.version);
        o.u16(0); // flags: reserved, zero
        o.u32(self.tensor_count);
        let crc = crc32fast::hash(&o.0[start..]);
        o.u32(crc);
    }

    fn read(r: &mut In<'_>) -> Result<FileHeader, ContainerError> {
        let start = r.pos;
        if r.left() < 4 || r.buf[..4] != MAGIC {
            return Err(ContainerError::BadMagic);
        }
        r.take(4, "magic")?;
        let version = r.u16("version")?;
        if !(VERSION_1..=VERSION).contains(&version) {
            return Err(ContainerError::UnsupportedVersion(version));
        }
        let flags_at = r.offset();
        let flags = r.u16("flags")?;
        let tensor_count = r.u32("tensor count")?;
        let computed = crc32fast::hash(&r.buf[start..r.pos]);
        let crc_at = r.offset();
        let stored = r.u32("header CRC")?;
        if stored != computed {
            return Err(ContainerError::Crc {
                what: "file header".into(),
                offset: crc_at,
                stored,
                computed,
            });
        }
        if flags != 0 {
            return Err(invalid(
                flags_at,
                format!("flags {flags:#06x} are reserved and must be 0"),
            ));
        }
        Ok(FileHeader { version, tensor_count })
    }
}

// ---------------------------------------------------------------------------------------------
// Record descriptor (docs/format.md, "Tensor records").

/// The coded part of a descriptor: a [`Coded`] tensor without its payload (the fields mean the
/// same).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CodedHeader {
    /// Quantization step exponent n.
    pub step_bits: u32,
    /// The entropy code.
    pub code: Code,
    /// Number of symbols.
    pub count: u64,
    /// Exact length of the coded stream in bits.
    pub payload_bits: u64,
    /// The value map.
    pub map: Vec<i32>,
    /// The chunk shift (0: no index).
    pub chunk_shift: u32,
    /// Start bit of each chunk after the first.
    pub chunk_starts: Vec<u64>,
}

impl CodedHeader {
    /// The coded tensor of this header and `payload`.
    fn with_payload(self, payload: Vec<u8>) -> Coded {
        Coded {
            step_bits: self.step_bits,
            code: self.code,
            map: self.map,
            count: self.count,
            payload_bits: self.payload_bits,
            payload,
            chunk_shift: self.chunk_shift,
            chunk_starts: self.chunk_starts,
        }
    }
}

impl Coded {
    /// Everything but the payload.
    fn header(&self) -> CodedHeader {
        CodedHeader {
            step_bits: self.step_bits,
            code: self.code.clone(),
            count: self.count,
            payload_bits: self.payload_bits,
            map: self.map.clone(),
            chunk_shift: self.chunk_shift,
            chunk_starts: self.chunk_starts.clone(),
        }
    }
}

/// A record's descriptor: everything but the payload.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Descriptor {
    name: String,
    dtype: DType,
    shape: Vec<usize>,
    payload_len: u64,
    coded: Option<CodedHeader>,
}

impl Descriptor {
    fn write(&self, o: &mut Out) {
        o.u16(self.name.len() as u16);
        o.bytes(self.name.as_bytes());
        o.u8(self.dtype.code());
        o.u8(if self.coded.is_some() {
            STORAGE_CODED
        } else {
            STORAGE_RAW
        });
        o.u8(self.shape.len() as u8);
        for &d in &self.shape {
            o.u64(d as u64);
        }
        o.u64(self.payload_len);
        if let Some(c) = &self.coded {
            let (id, param) = c.code.id_and_param();
            o.u8(c.step_bits as u8);
            o.u8(id);
            o.u8(param);
            o.u8(c.chunk_shift as u8);
            o.u64(c.count);
            o.u64(c.payload_bits);
            o.u32(c.map.len() as u32);
            for &v in &c.map {
                o.i32(v);
            }
            if let Code::Huffman { lengths } = &c.code {
                o.bytes(lengths);
            }
            for &b in &c.chunk_starts {
                o.u64(b);
            }
        }
    }

    /// Reads and validates a descriptor from exactly the bytes of its `desc_len`, in a file of
    /// format `version`.
    fn read(r: &mut In<'_>, version: u16) -> Result<Descriptor, ContainerError> {
        let at = r.offset();
        let name_len = r.u16("name length")?;
        if name_len == 0 {
            return Err(invalid(at, "empty tensor name"));
        }
        let name = std::str::from_utf8(r.take(name_len as u64, "name")?)
            .map_err(|_| invalid(at + 2, "tensor name is not UTF-8"))?
            .to_string();
        let at = r.offset();
        let dtype_code = r.u8("dtype")?;
        let dtype = DType::from_code(dtype_code)
            .ok_or_else(|| invalid(at, format!("tensor `{name}`: unknown dtype code {dtype_code}")))?;
        let at = r.offset();
        let storage = r.u8("storage kind")?;
        if storage != STORAGE_RAW && storage != STORAGE_CODED {
            return Err(invalid(at, format!("tensor `{name}`: unknown storage kind {storage}")));
        }
        let at = r.offset();
        let ndim = r.u8("dimension count")? as usize;
        if ndim > MAX_DIMS {
            return Err(invalid(
                at,
                format!("tensor `{name}`: {ndim} dimensions (at most {MAX_DIMS})"),
            ));
        }
        let mut shape = Vec::with_capacity(ndim);
        for _ in 0..ndim {
            let d = r.u64("dimension")?;
            shape.push(
                usize::try_from(d).map_err(|_| invalid(at, format!("tensor `{name}`: dimension {d} too large")))?,
            );
        }
        let numel = checked_numel(&shape).ok_or_else(|| {
            invalid(
                at,
                format!("tensor `{name}`: shape {shape:?} has more than 2^40 elements"),
            )
        })?;
        let at = r.offset();
        let payload_len = r.u64("payload length")?;
        let coded = if storage == STORAGE_RAW {
            if !(dtype.size() as u64)
                .checked_mul(numel)
                .is_some_and(|n| n == payload_len)
            {
                return Err(invalid(
                    at,
                    format!("tensor `{name}`: raw payload of {payload_len} bytes for {dtype} with shape {shape:?}"),
                ));
            }
            None
        } else {
            if !dtype.is_coded_float() {
                return Err(invalid(at, format!("tensor `{name}`: dtype {dtype} cannot be coded")));
            }
            let at = r.offset();
            let step_bits = r.u8("step bits")? as u32;
            if step_bits > quant::MAX_STEP_BITS {
                return Err(invalid(
                    at,
                    format!("tensor `{name}`: step bits {step_bits} > {}", quant::MAX_STEP_BITS),
                ));
            }
            let at = r.offset();
            let code_id = r.u8("code id")?;
            let param = r.u8("code parameter")? as u32;
            // The code, with its parameter checked as far as it can be before the value map is
            // read (the Huffman code lengths follow the map).
            let code = match code_id {
                CODE_EXP_GOLOMB if param <= expgolomb::MAX_K => Code::ExpGolomb { k: param },
                CODE_EXP_GOLOMB => {
                    return Err(invalid(
                        at,
                        format!("tensor `{name}`: EG order k={param} > {}", expgolomb::MAX_K),
                    ))
                }
                CODE_FIXED | CODE_HUFFMAN if version == VERSION_1 => {
                    return Err(invalid(
                        at,
                        format!("tensor `{name}`: code id {code_id} is not defined in version {VERSION_1}"),
                    ))
                }
                CODE_FIXED if (1..=32).contains(&param) => Code::Fixed { bits: param },
                CODE_FIXED => {
                    return Err(invalid(
                        at,
                        format!("tensor `{name}`: fixed-length width {param} is outside 1..=32"),
                    ))
                }
                CODE_HUFFMAN if param == 0 => Code::Huffman { lengths: Vec::new() },
                CODE_HUFFMAN => {
                    return Err(invalid(
                        at,
                        format!("tensor `{name}`: Huffman code parameter {param} must be 0"),
                    ))
                }
                _ => return Err(invalid(at, format!("tensor `{name}`: unknown code id {code_id}"))),
            };
            let shift_at = r.offset();
            let chunk_shift = u32::from(r.u8("chunk shift")?);
            if version < VERSION && chunk_shift != 0 {
                return Err(invalid(
                    shift_at,
                    format!("tensor `{name}`: reserved byte must be 0 in version {version}"),
                ));
            }
            if !chunk_shift_valid(chunk_shift) {
                return Err(invalid(
                    shift_at,
                    format!(
                        "tensor `{name}`: chunk shift {chunk_shift} is neither 0 nor in {MIN_CHUNK_SHIFT}..={MAX_CHUNK_SHIFT}"
                    ),
                ));
            }
            let at = r.offset();
            let count = r.u64("symbol count")?;
            if count != numel {
                return Err(invalid(
                    at,
                    format!("tensor `{name}`: {count} symbols for shape {shape:?}"),
                ));
            }
            let at = r.offset();
            let payload_bits = r.u64("payload bits")?;
            if payload_bits.div_ceil(8) != payload_len {
                return Err(invalid(
                    at,
                    format!("tensor `{name}`: {payload_bits} bits in {payload_len} bytes"),
                ));
            }
            // Every EG(k) codeword is at least k+1 bits long: this bounds what decoding allocates.
            if let Code::ExpGolomb { .. } = code {
                check_code(&code, count, payload_bits, 0)
                    .map_err(|what| invalid(at, format!("tensor `{name}`: {what}")))?;
            }
            let at = r.offset();
            let map_len = r.u32("value map length")? as u64;
            if (map_len == 0) != (count == 0) || map_len > count {
                return Err(invalid(
                    at,
                    format!("tensor `{name}`: value map of {map_len} values for {count} symbols"),
                ));
            }
            // Bounds-check the whole map before allocating it.
            let raw = r.take(map_len * 4, "value map")?;
            let map: Vec<i32> = raw
                .chunks_exact(4)
                .map(|c| i32::from_le_bytes([c[0], c[1], c[2], c[3]]))
                .collect();
            if ValueMap::from_values(map.clone()).is_err() {
                return Err(invalid(at, format!("tensor `{name}`: value map has repeated values")));
            }
            let mut code = code;
            let at = r.offset();
            if let Code::Huffman { lengths } = &mut code {
                if map.len() > huffman::MAX_SYMBOLS {
                    return Err(invalid(
                        at,
                        format!(
                            "tensor `{name}`: value map of {} values exceeds the Huffman limit of {} symbols",
                            map.len(),
                            huffman::MAX_SYMBOLS
                        ),
                    ));
                }
                // One length per value-map entry, bounds-checked before it is copied.
                *lengths = r.take(map_len, "Huffman code lengths")?.to_vec();
            }
            check_code(&code, count, payload_bits, map.len())
                .map_err(|what| invalid(at, format!("tensor `{name}`: {what}")))?;
            let at = r.offset();
            let chunks = chunk_count(count, chunk_shift);
            // Bounds-check the whole index before allocating it.
            let raw = r.take((chunks - 1) * 8, "chunk index")?;
            let chunk_starts: Vec<u64> = raw
                .chunks_exact(8)
                .map(|c| u64::from_le_bytes(c.try_into().expect("8 bytes")))
                .collect();
            check_chunk_starts(&chunk_starts, chunk_shift, payload_bits)
                .map_err(|what| invalid(at, format!("tensor `{name}`: {what}")))?;
            Some(CodedHeader {
                step_bits,
                code,
                count,
                payload_bits,
                map,
                chunk_shift,
                chunk_starts,
            })
        };
        if r.left() != 0 {
            return Err(invalid(
                r.offset(),
                format!("tensor `{name}`: {} unexpected bytes in the descriptor", r.left()),
            ));
        }
        Ok(Descriptor {
            name,
            dtype,
            shape,
            payload_len,
            coded,
        })
    }
}

// ---------------------------------------------------------------------------------------------
// Whole container.

impl Entry {
    fn descriptor(&self) -> Descriptor {
        let coded = match &self.body {
            Body::Raw(_) => None,
            Body::Coded(c) => Some(c.header()),
        };
        Descriptor {
            name: self.name.clone(),
            dtype: self.dtype,
            shape: self.shape.clone(),
            payload_len: self.body.payload().len() as u64,
            coded,
        }
    }

    /// Checks the limits of the format before writing (what [`Descriptor::read`] would reject).
    fn check_writable(&self) -> Result<(), ContainerError> {
        let bad = |what: String| ContainerError::Unsupported {
            name: self.name.clone(),
            what,
        };
        if self.name.is_empty() || self.name.len() > u16::MAX as usize {
            return Err(bad(format!(
                "name length {} is outside 1..=65535 bytes",
                self.name.len()
            )));
        }
        let numel =
            checked_numel(&self.shape).ok_or_else(|| bad(format!("shape {:?} is out of limits", self.shape)))?;
        match &self.body {
            Body::Raw(b) => {
                if b.len() as u64 != numel * self.dtype.size() as u64 {
                    return Err(bad(format!(
                        "{} raw bytes for {} with shape {:?}",
                        b.len(),
                        self.dtype,
                        self.shape
                    )));
                }
            }
            Body::Coded(c) => {
                if !self.dtype.is_coded_float() {
                    return Err(bad(format!("dtype {} cannot be coded", self.dtype)));
                }
                if c.count != numel {
                    return Err(bad(format!("{} symbols for shape {:?}", c.count, self.shape)));
                }
                c.check().map_err(bad)?;
            }
        }
        Ok(())
    }

    /// CRC32 of the payload (the value stored after it in the file).
    pub fn payload_crc32(&self) -> u32 {
        crc32fast::hash(self.body.payload())
    }

    /// Bytes this record takes in the file.
    pub fn record_len(&self) -> u64 {
        let mut o = Out(Vec::new());
        self.descriptor().write(&mut o);
        4 + o.0.len() as u64 + 4 + self.body.payload().len() as u64 + 4
    }

    /// Decodes the tensor: raw bytes unchanged, coded tensors to the dequantized f32 values q·2^-n.
    /// Verifies the symbol count, the indices and the canonical form of the payload.
    pub fn decode(&self) -> Result<Tensor, ContainerError> {
        let data = match &self.body {
            Body::Raw(b) => TensorData::Raw(b.clone()),
            Body::Coded(c) => {
                let values: Vec<f32> = c.map.iter().map(|&q| quant::dequantize(q, c.step_bits)).collect();
                TensorData::Float(decode_mapped(&self.name, c, &values)?)
            }
        };
        Ok(Tensor {
            name: self.name.clone(),
            dtype: self.dtype,
            shape: self.shape.clone(),
            data,
        })
    }
}

/// Decodes a coded tensor to the little-endian bytes of its F32 values q·2^-n (as a safetensors
/// file holds them), with every check of [`Entry::decode`].
pub fn decode_f32_le(name: &str, c: &Coded) -> Result<Vec<u8>, ContainerError> {
    let values: Vec<[u8; 4]> = c
        .map
        .iter()
        .map(|&q| quant::dequantize(q, c.step_bits).to_le_bytes())
        .collect();
    Ok(decode_mapped(name, c, &values)?.into_flattened())
}

/// Decodes a coded tensor to its quantized values q (before the 2^-n scaling), with every check of
/// [`Entry::decode`].
pub fn decode_quantized(name: &str, c: &Coded) -> Result<Vec<i32>, ContainerError> {
    decode_mapped(name, c, &c.map)
}

/// Decodes a coded tensor's indices ([`decode_indices`]) and maps index i to `values[i]` (one
/// value per value-map entry), checking and mapping on every core.
fn decode_mapped<T: Copy + Send + Sync>(name: &str, c: &Coded, values: &[T]) -> Result<Vec<T>, ContainerError> {
    let idx = decode_indices(name, c)?;
    let chunk = 1 << CHUNK_SHIFT;
    let bad = |position: usize| ContainerError::IndexOutOfMap {
        name: name.to_string(),
        position: position as u64,
        index: idx[position],
        map_len: values.len(),
    };
    let Some(&fill) = values.first() else {
        return if idx.is_empty() { Ok(Vec::new()) } else { Err(bad(0)) };
    };
    // One pass maps and checks each chunk on every core; the first bad index is the error.
    let mut out = vec![fill; idx.len()];
    let first_bad = out
        .par_chunks_mut(chunk)
        .zip(idx.par_chunks(chunk))
        .enumerate()
        .find_map_first(|(j, (o, ix))| {
            for (p, (d, &i)) in o.iter_mut().zip(ix).enumerate() {
                match values.get(i as usize) {
                    Some(&v) => *d = v,
                    None => return Some(j * chunk + p),
                }
            }
            None
        });
    match first_bad {
        Some(position) => Err(bad(position)),
        None => Ok(out),
    }
}

/// Decodes a coded tensor's value-map indices (not yet checked against the map), chunk groups on
/// every core, and checks that the payload is canonical: every chunk ends exactly where the next
/// starts, the last at `payload_bits`, and the padding bits are zero. (Each code maps a symbol to
/// exactly one codeword, so a stream decoded so re-encodes to the same bytes.)
pub fn decode_indices(name: &str, c: &Coded) -> Result<Vec<u32>, ContainerError> {
    let mut idx = Vec::new();
    decode_indices_into(name, c, &mut idx)?;
    Ok(idx)
}

/// [`decode_indices`] into a caller's buffer, resized to the tensor's count: a caller decoding
/// many tensors reuses one buffer (no fresh pages to fault in for each). On an error `idx` holds
/// no meaningful values.
pub fn decode_indices_into(name: &str, c: &Coded, idx: &mut Vec<u32>) -> Result<(), ContainerError> {
    let non_canonical = |what: String| ContainerError::NonCanonical {
        name: name.to_string(),
        what,
    };
    // The reader's checks, for a `Coded` built in memory: they bound the allocation.
    c.check().map_err(non_canonical)?;
    let count = usize::try_from(c.count).map_err(|_| non_canonical("count exceeds the address space".into()))?;
    let starts: Vec<u64> = std::iter::once(0).chain(c.chunk_starts.iter().copied()).collect();
    // Every slot is written below: a longer buffer is cut, a shorter one grown (not cleared).
    if idx.len() > count {
        idx.truncate(count);
    } else {
        idx.resize(count, 0);
    }
    let ends = if count == 0 {
        vec![0]
    } else {
        let chunk = if c.chunk_shift == 0 {
            count
        } else {
            usize::try_from(1u64 << c.chunk_shift).unwrap_or(usize::MAX)
        };
        let mut outs: Vec<&mut [u32]> = idx.chunks_mut(chunk).collect();
        match &c.code {
            Code::ExpGolomb { k } => {
                expgolomb::decode_at(&c.payload, *k, &starts, &mut outs).map_err(|source| ContainerError::Decode {
                    name: name.to_string(),
                    source,
                })?
            }
            Code::Fixed { bits } => {
                fixed::decode_fixed_at(&c.payload, *bits, &starts, &mut outs).map_err(|source| {
                    ContainerError::FixedDecode {
                        name: name.to_string(),
                        source,
                    }
                })?
            }
            Code::Huffman { lengths } => HuffmanCode::from_lengths(lengths.clone())
                .and_then(|h| h.decode_at(&c.payload, &starts, &mut outs))
                .map_err(|source| ContainerError::HuffmanDecode {
                    name: name.to_string(),
                    source,
                })?,
        }
    };
    for (j, &end) in ends.iter().enumerate() {
        let next = starts.get(j + 1).copied().unwrap_or(c.payload_bits);
        if end != next {
            return Err(non_canonical(if ends.len() == 1 {
                format!("{} symbols take {end} bits, header says {}", c.count, c.payload_bits)
            } else {
                format!("chunk {j} ends at bit {end}, the next part starts at bit {next}")
            }));
        }
    }
    let pad = (c.payload.len() as u64 * 8 - c.payload_bits) as u32;
    if pad > 0 && c.payload[c.payload.len() - 1] & ((1u8 << pad) - 1) != 0 {
        return Err(non_canonical("padding bits are not zero".into()));
    }
    Ok(())
}

/// The 16-byte file header of a container with `tensor_count` records (docs/format.md, "File
/// header"). With [`Entry::write_record`] it writes a container one record at a time, with the same
/// bytes as [`Container::to_bytes`].
pub fn header_bytes(tensor_count: u32) -> Vec<u8> {
    let mut o = Out(Vec::new());
    FileHeader {
        version: VERSION,
        tensor_count,
    }
    .write(&mut o);
    o.0
}

impl Entry {
    /// Writes this entry's record (descriptor length, descriptor, its CRC, payload, its CRC) to `w`.
    /// Fails if the entry is outside the format's limits; the caller checks that names do not repeat.
    pub fn write_record(&self, w: &mut impl std::io::Write) -> Result<(), ContainerError> {
        self.check_writable()?;
        self.write_record_unchecked(w).map_err(|e| ContainerError::Unsupported {
            name: self.name.clone(),
            what: format!("cannot write the record: {e}"),
        })
    }

    fn write_record_unchecked(&self, w: &mut impl std::io::Write) -> std::io::Result<()> {
        let mut d = Out(Vec::new());
        self.descriptor().write(&mut d);
        let desc_len = d.0.len() as u32;
        let mut h = crc32fast::Hasher::new();
        h.update(&desc_len.to_le_bytes());
        h.update(&d.0);
        w.write_all(&desc_len.to_le_bytes())?;
        w.write_all(&d.0)?;
        w.write_all(&h.finalize().to_le_bytes())?;
        let payload = self.body.payload();
        w.write_all(payload)?;
        w.write_all(&crc32fast::hash(payload).to_le_bytes())
    }
}

/// Reads and checks the 16-byte file header alone (magic, version, flags, CRC): the version of a
/// file for `inspect`.
pub fn read_header(bytes: &[u8]) -> Result<FileHeader, ContainerError> {
    FileHeader::read(&mut In::new(bytes, 0))
}

impl Container {
    /// Serializes the container. Fails if an entry is outside the format's limits or names repeat.
    pub fn to_bytes(&self) -> Result<Vec<u8>, ContainerError> {
        let mut seen = std::collections::HashSet::new();
        for e in &self.entries {
            e.check_writable()?;
            if !seen.insert(e.name.as_str()) {
                return Err(ContainerError::Unsupported {
                    name: e.name.clone(),
                    what: "duplicate tensor name".into(),
                });
            }
        }
        let tensor_count = u32::try_from(self.entries.len()).map_err(|_| ContainerError::Unsupported {
            name: String::new(),
            what: "more than 2^32-1 tensors".into(),
        })?;
        let mut o = header_bytes(tensor_count);
        for e in &self.entries {
            e.write_record_unchecked(&mut o)
                .expect("writing into a Vec cannot fail");
        }
        Ok(o)
    }

    /// Parses and checks a container (structure, limits and CRCs; payloads are decoded by
    /// [`Entry::decode`]): [`Container::records`], then each record's payload CRC, then the
    /// payloads copied.
    pub fn from_bytes(bytes: &[u8]) -> Result<Container, ContainerError> {
        let entries = Container::records(bytes)?
            .iter()
            .map(Record::entry)
            .collect::<Result<_, _>>()?;
        Ok(Container { entries })
    }

    /// Locates and checks every record of a container without copying or CRC-checking the
    /// payloads: the file header, each descriptor (its CRC and fields), unique names, every
    /// payload inside the file and no trailing bytes. A reader that holds one tensor at a time
    /// (`golden::decode`) checks each payload's CRC when it reaches it ([`Record::check`]).
    pub fn records(bytes: &[u8]) -> Result<Vec<Record<'_>>, ContainerError> {
        let mut r = In::new(bytes, 0);
        let header = FileHeader::read(&mut r)?;
        if (header.tensor_count as u64) * MIN_RECORD_LEN > r.left() as u64 {
            return Err(ContainerError::Truncated {
                what: "tensor records",
                offset: r.offset(),
                need: header.tensor_count as u64 * MIN_RECORD_LEN,
                have: r.left() as u64,
            });
        }
        let mut records = Vec::new();
        let mut seen = std::collections::HashSet::new();
        for i in 0..header.tensor_count {
            let rec_at = r.offset();
            let desc_len = r.u32("descriptor length")?;
            let desc_bytes = r.take(desc_len as u64, "descriptor")?;
            let crc_at = r.offset();
            let stored = r.u32("descriptor CRC")?;
            let mut h = crc32fast::Hasher::new();
            h.update(&desc_len.to_le_bytes());
            h.update(desc_bytes);
            let computed = h.finalize();
            if stored != computed {
                return Err(ContainerError::Crc {
                    what: format!("descriptor of record {i}"),
                    offset: crc_at,
                    stored,
                    computed,
                });
            }
            let desc = Descriptor::read(&mut In::new(desc_bytes, rec_at + 4), header.version)?;
            if !seen.insert(desc.name.clone()) {
                return Err(invalid(rec_at, format!("duplicate tensor name `{}`", desc.name)));
            }
            let payload_at = r.offset();
            let payload = r.take(desc.payload_len, "payload")?;
            let crc_at = r.offset();
            let stored_crc = r.u32("payload CRC")?;
            records.push(Record {
                desc,
                payload,
                payload_at,
                crc_at,
                stored_crc,
                len: r.offset() - rec_at,
            });
        }
        if r.left() != 0 {
            return Err(ContainerError::TrailingBytes {
                offset: r.offset(),
                len: r.left() as u64,
            });
        }
        Ok(records)
    }
}

/// One tensor record located in a container's bytes ([`Container::records`]): its descriptor read
/// and checked, its payload borrowed and not yet checked against its CRC.
#[derive(Debug, Clone)]
pub struct Record<'a> {
    desc: Descriptor,
    payload: &'a [u8],
    payload_at: u64,
    crc_at: u64,
    stored_crc: u32,
    len: u64,
}

impl<'a> Record<'a> {
    /// The tensor's name.
    pub fn name(&self) -> &str {
        &self.desc.name
    }

    /// The tensor's dtype in the source model.
    pub fn dtype(&self) -> DType {
        self.desc.dtype
    }

    /// The tensor's shape.
    pub fn shape(&self) -> &[usize] {
        &self.desc.shape
    }

    /// The coded part of the descriptor, or `None` for a raw tensor.
    pub fn coded(&self) -> Option<&CodedHeader> {
        self.desc.coded.as_ref()
    }

    /// The payload bytes (not yet checked: see [`Record::check`]).
    pub fn payload(&self) -> &'a [u8] {
        self.payload
    }

    /// Where the payload lies in the container's bytes.
    pub fn payload_range(&self) -> std::ops::Range<usize> {
        self.payload_at as usize..self.payload_at as usize + self.payload.len()
    }

    /// Bytes this record takes in the file.
    pub fn record_len(&self) -> u64 {
        self.len
    }

    /// The payload CRC stored in the file (equal to the payload's once [`Record::check`] passed).
    pub fn payload_crc32(&self) -> u32 {
        self.stored_crc
    }

    /// Checks the payload against its stored CRC.
    pub fn check(&self) -> Result<(), ContainerError> {
        let computed = crc32fast::hash(self.payload);
        if self.stored_crc != computed {
            return Err(ContainerError::Crc {
                what: format!("payload of tensor `{}`", self.desc.name),
                offset: self.crc_at,
                stored: self.stored_crc,
                computed,
            });
        }
        Ok(())
    }

    /// The entry, with its payload checked ([`Record::check`]) and copied.
    pub fn entry(&self) -> Result<Entry, ContainerError> {
        self.check()?;
        let body = match &self.desc.coded {
            None => Body::Raw(self.payload.to_vec()),
            Some(c) => Body::Coded(c.clone().with_payload(self.payload.to_vec())),
        };
        Ok(Entry {
            name: self.desc.name.clone(),
            dtype: self.desc.dtype,
            shape: self.desc.shape.clone(),
            body,
        })
    }
}

// ---------------------------------------------------------------------------------------------
// Encoding tensors.

pub use crate::expgolomb::{best_k, KChoice};

/// Which code the writer uses for a float tensor. A [`KChoice`] converts to
/// `CodeChoice::ExpGolomb`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CodeChoice {
    /// Exp-Golomb, with this k or the k with the fewest bits.
    ExpGolomb(KChoice),
    /// The fixed-length code ([`fixed_width`] bits per index).
    Fixed,
    /// Canonical Huffman with optimal code lengths limited to [`huffman::MAX_CODE_LEN`] bits
    /// ([`HuffmanCode::from_counts`]). A tensor with more than [`huffman::MAX_SYMBOLS`] distinct
    /// values cannot be coded so (an error).
    Huffman,
    /// Per tensor, the code whose record is smallest: payload bytes plus the bytes of its table in
    /// the descriptor (the Huffman code lengths), among EG (k as given), fixed-length and Huffman
    /// (where it applies). Ties go to EG, then fixed-length, then Huffman.
    Auto(KChoice),
}

impl CodeChoice {
    /// The names `--code` and the Python package take.
    pub const NAMES: [&'static str; 4] = ["eg", "fixed", "huffman", "auto"];

    /// The choice named `name` (one of [`CodeChoice::NAMES`], any case), with the EG order `k`
    /// for `eg` and `auto`.
    pub fn from_name(name: &str, k: KChoice) -> Option<Self> {
        match name.to_ascii_lowercase().as_str() {
            "eg" => Some(CodeChoice::ExpGolomb(k)),
            "fixed" => Some(CodeChoice::Fixed),
            "huffman" => Some(CodeChoice::Huffman),
            "auto" => Some(CodeChoice::Auto(k)),
            _ => None,
        }
    }
}

impl From<KChoice> for CodeChoice {
    fn from(k: KChoice) -> Self {
        CodeChoice::ExpGolomb(k)
    }
}

/// Quantizes float weights with step 2^-`step_bits`, maps them by frequency rank and codes the
/// indices with the chosen code (a [`KChoice`] means EG).
pub fn encode_floats(
    name: &str,
    weights: &[f32],
    step_bits: u32,
    code: impl Into<CodeChoice>,
) -> Result<Coded, ContainerError> {
    let q = quantize(name, weights, step_bits)?;
    code_quantized(name, q, step_bits, code.into())
}

fn quantize(name: &str, weights: &[f32], step_bits: u32) -> Result<Vec<i32>, ContainerError> {
    quant::quantize_slice(weights, step_bits).map_err(|source| ContainerError::Quantize {
        name: name.to_string(),
        source,
    })
}

/// The EG order of a [`KChoice`] for these indices, and its bit count.
/// `counts[i]` is the number of occurrences of index i: the bits come from the counts
/// ([`expgolomb::bits_for_counts`]), not from a pass over the stream per k.
fn eg_code(name: &str, counts: &[u64], k: KChoice) -> Result<(Code, u64), ContainerError> {
    match k {
        KChoice::Fixed(k) if k > expgolomb::MAX_K => Err(ContainerError::Unsupported {
            name: name.to_string(),
            what: format!("EG order k={k} > {}", expgolomb::MAX_K),
        }),
        KChoice::Fixed(k) => Ok((Code::ExpGolomb { k }, expgolomb::bits_for_counts(counts, k))),
        KChoice::Auto => {
            let (k, bits) = expgolomb::best_k_for_counts(counts);
            Ok((Code::ExpGolomb { k }, bits))
        }
    }
}

/// The Huffman code of indices with these counts (one per value-map index, all non-zero as the
/// writer's maps are) and its bit count; `None` for more than [`huffman::MAX_SYMBOLS`] values.
fn huffman_code(counts: &[u64]) -> Option<(Code, u64)> {
    if counts.len() > huffman::MAX_SYMBOLS {
        return None;
    }
    if counts.iter().all(|&c| c == 0) {
        // No symbols (an empty tensor): no code lengths, no bits.
        return Some((
            Code::Huffman {
                lengths: vec![0; counts.len()],
            },
            0,
        ));
    }
    let h = HuffmanCode::from_counts(counts).ok()?;
    let bits = h.bits_for_counts(counts).ok()?;
    Some((
        Code::Huffman {
            lengths: h.lengths().to_vec(),
        },
        bits,
    ))
}

/// The code of `choice` for `count` indices with per-index `counts`, and its payload bit count.
fn choose_code(name: &str, count: u64, counts: &[u64], choice: CodeChoice) -> Result<(Code, u64), ContainerError> {
    let fixed = || {
        let bits = fixed_width(counts.len());
        (Code::Fixed { bits }, count * u64::from(bits))
    };
    match choice {
        CodeChoice::ExpGolomb(k) => eg_code(name, counts, k),
        CodeChoice::Fixed => Ok(fixed()),
        CodeChoice::Huffman => huffman_code(counts).ok_or_else(|| ContainerError::Unsupported {
            name: name.to_string(),
            what: format!(
                "{} distinct values exceed the Huffman limit of {} symbols",
                counts.len(),
                huffman::MAX_SYMBOLS
            ),
        }),
        CodeChoice::Auto(k) => {
            let mut candidates = vec![eg_code(name, counts, k)?, fixed()];
            candidates.extend(huffman_code(counts));
            // `min_by_key` keeps the first of equal costs: EG, fixed, Huffman.
            Ok(candidates
                .into_iter()
                .min_by_key(|(code, bits)| bits.div_ceil(8) + code.table_bytes())
                .expect("EG is always a candidate"))
        }
    }
}

/// Value map and code of quantized weights. The code is chosen from the value map's counts; the
/// payload is then written straight from `q` ([`write_chunked`]), the indices never built.
fn code_quantized(name: &str, q: Vec<i32>, step_bits: u32, choice: CodeChoice) -> Result<Coded, ContainerError> {
    let count = q.len() as u64;
    let (map, counts) = ValueMap::from_quantized_with_counts(&q);
    let (code, payload_bits) = choose_code(name, count, &counts, choice)?;
    let chunk_shift = if count > 1 << CHUNK_SHIFT { CHUNK_SHIFT } else { 0 };
    let unsupported = |what: String| ContainerError::Unsupported {
        name: name.to_string(),
        what,
    };
    let words = codewords(&code, map.len()).map_err(unsupported)?;
    let (payload, chunk_starts) = write_chunked(&q, &map, &words, chunk_shift, payload_bits)
        .ok_or_else(|| unsupported("the coded stream differs from its counted length".into()))?;
    Ok(Coded {
        step_bits,
        code,
        map: map.values().to_vec(),
        count,
        payload_bits,
        payload,
        chunk_shift,
        chunk_starts,
    })
}

/// The codeword (value, length in bits) of each value-map index under `code`.
fn codewords(code: &Code, map_len: usize) -> Result<Vec<(u64, u32)>, String> {
    Ok(match code {
        Code::ExpGolomb { k } => (0..map_len as u32).map(|v| expgolomb::codeword(v, *k)).collect(),
        Code::Fixed { bits } => (0..map_len as u64).map(|v| (v, *bits)).collect(),
        Code::Huffman { lengths } if lengths.iter().all(|&l| l == 0) => vec![(0, 0); map_len],
        Code::Huffman { lengths } => {
            let h = HuffmanCode::from_lengths(lengths.clone()).map_err(|e| format!("Huffman code: {e}"))?;
            h.codes()
                .iter()
                .zip(h.lengths())
                .map(|(&c, &l)| (u64::from(c), u32::from(l)))
                .collect()
        }
    })
}

/// Writes the codeword `words[map.index_of(v)]` of each quantized value of `q`, in chunks of
/// 2^`chunk_shift` symbols (0: one chunk), the chunks on every core; returns the payload and the
/// bit where each chunk after the first starts, or `None` if the stream is not `payload_bits`
/// long (a value outside the map or a codeword over 64 bits: neither occurs for a map made from
/// `q` with fewer than 2^32-1 values).
fn write_chunked(
    q: &[i32],
    map: &ValueMap,
    words: &[(u64, u32)],
    chunk_shift: u32,
    payload_bits: u64,
) -> Option<(Vec<u8>, Vec<u64>)> {
    // Quantized value -> codeword in one look-up, through a dense table when the values span a
    // short range. (`map.index_of` then `words`, two dependent look-ups, encoded 79-129 M weights/s
    // against 131-164 in one, partly contended, bench run. The span limit is tighter than the map's
    // own dense inverse: an entry here is 16 bytes, not 4.)
    let (min, max) = (map.values().iter().min(), map.values().iter().max());
    let dense: Option<(i32, Vec<(u64, u32)>)> = match (min, max) {
        (Some(&min), Some(&max))
            if ((i64::from(max) - i64::from(min)) as u64) < (4 * words.len() as u64).max(1 << 16) =>
        {
            let mut t = vec![(0u64, 0u32); (i64::from(max) - i64::from(min)) as usize + 1];
            for (&v, &w) in map.values().iter().zip(words) {
                t[(i64::from(v) - i64::from(min)) as usize] = w;
            }
            Some((min, t))
        }
        _ => None,
    };
    let word = |v: i32| -> (u64, u32) {
        match &dense {
            Some((min, t)) => t.get(v.wrapping_sub(*min) as u32 as usize).copied().unwrap_or((0, 0)),
            None => map.index_of(v).map_or((0, 0), |i| words[i as usize]),
        }
    };
    if words.iter().any(|&(_, len)| len > 64) {
        return None;
    }
    // The common case, codewords of at most 56 bits through the dense table: `code << 6 | length`
    // in one word, written by `write_short`.
    let packed: Option<(i32, Vec<u64>)> = match &dense {
        Some((min, t)) if t.iter().all(|&(_, len)| len <= 56) => {
            Some((*min, t.iter().map(|&(c, len)| c << 6 | u64::from(len)).collect()))
        }
        _ => None,
    };
    // A run of whole chunks into one stream: its bytes, bits and the bit where each chunk after
    // its first starts; `share` is the run's expected bits, its part of the payload.
    let share = |run: &[i32]| payload_bits / q.len().max(1) as u64 * run.len() as u64 + 64;
    let write = |run: &[i32], chunk: usize| match &packed {
        Some((min, t)) => write_short(run, chunk, *min, t, share(run)),
        None => {
            let mut w = BitWriter::with_capacity_bits(share(run));
            let mut starts = Vec::new();
            for (j, ch) in run.chunks(chunk).enumerate() {
                if j > 0 {
                    starts.push(w.bit_len());
                }
                for &v in ch {
                    let (c, len) = word(v);
                    w.put(c, len);
                }
            }
            let len = w.bit_len();
            (w.finish(), len, starts)
        }
    };
    let chunk = if chunk_shift == 0 {
        q.len().max(1)
    } else {
        1usize << chunk_shift
    };
    // One run of chunks per thread (one thread: one run, nothing to join).
    let chunks = q.len().div_ceil(chunk);
    let per_run = chunks.div_ceil(rayon::current_num_threads().max(1)).max(1) * chunk;
    let mut runs: Vec<(Vec<u8>, u64, Vec<u64>)> = q.par_chunks(per_run).map(|run| write(run, chunk)).collect();
    let (payload, starts) = if runs.len() <= 1 {
        let (bytes, bits, starts) = runs.pop().unwrap_or_default();
        if bits != payload_bits {
            return None;
        }
        (bytes, starts)
    } else {
        let mut w = BitWriter::with_capacity_bits(payload_bits);
        let mut starts = Vec::with_capacity(chunks.saturating_sub(1));
        for (j, (bytes, bits, inner)) in runs.iter().enumerate() {
            let at = w.bit_len();
            if j > 0 {
                starts.push(at);
            }
            starts.extend(inner.iter().map(|&s| at + s));
            w.append(bytes, *bits);
        }
        if w.bit_len() != payload_bits {
            return None;
        }
        (w.finish(), starts)
    };
    (payload.len() as u64 == payload_bits.div_ceil(8)).then_some((payload, starts))
}

/// Writes the codeword `t[v - min]` (`code << 6 | length`, length <= 56; a value outside `t`
/// writes nothing, which the caller's length check catches) of each value of `run`, MSB first, with
/// the writer's state in registers: the branch-free store of [`BitWriter`]; its bytes, bit count
/// and the bit where each `chunk` of values after the first starts. `bits`, the expected length,
/// sizes the buffer.
fn write_short(run: &[i32], chunk: usize, min: i32, t: &[u64], bits: u64) -> (Vec<u8>, u64, Vec<u64>) {
    // Before each chunk, room for the longest codeword at each of its values: the inner loop
    // never grows the buffer. It starts at `bits` (the expected length).
    let longest = t.iter().map(|&e| (e & 63) as usize).max().unwrap_or(0);
    let mut out = vec![0u8; (bits / 8) as usize + 16];
    let (mut pos, mut acc, mut nacc) = (0usize, 0u64, 0u32);
    let mut starts = Vec::with_capacity(run.len().div_ceil(chunk.max(1)));
    for (j, ch) in run.chunks(chunk.max(1)).enumerate() {
        if j > 0 {
            starts.push(pos as u64 * 8 + u64::from(nacc));
        }
        let need = pos + (ch.len() * longest).div_ceil(8) + 16;
        if out.len() < need {
            out.resize(need.max(2 * out.len()), 0);
        }
        // Appends `n <= 56` bits `c` (nacc + n <= 63; a shift by 64, n = nacc = 0, wraps to 0
        // and `c` is then 0): one 8-byte store of the accumulator, whole bytes dropped from it.
        macro_rules! put {
            ($c:expr, $n:expr) => {{
                let (c, n): (u64, u32) = ($c, $n);
                acc |= c.wrapping_shl(64 - nacc - n);
                nacc += n;
                if let Some(dst) = out.get_mut(pos..pos + 8) {
                    dst.copy_from_slice(&acc.to_be_bytes());
                }
                pos += (nacc >> 3) as usize;
                acc = acc.wrapping_shl(nacc & !7);
                nacc &= 7;
            }};
        }
        let entry = |v: i32| t.get(v.wrapping_sub(min) as u32 as usize).copied().unwrap_or(0);
        let mut rest = ch;
        if longest <= 28 {
            // Two codewords at a time, joined into one of at most 56 bits.
            let mut pairs = ch.chunks_exact(2);
            for p in &mut pairs {
                let (e0, e1) = (entry(p[0]), entry(p[1]));
                let n1 = (e1 & 63) as u32;
                put!((e0 >> 6) << n1 | (e1 >> 6), (e0 & 63) as u32 + n1);
            }
            rest = pairs.remainder();
        }
        for &v in rest {
            let e = entry(v);
            put!(e >> 6, (e & 63) as u32);
        }
    }
    out.truncate(pos + nacc.div_ceil(8) as usize);
    (out, pos as u64 * 8 + u64::from(nacc), starts)
}

/// Encodes one tensor: F32/F16/BF16 data is coded ([`encode_floats`], with the chosen code; a
/// [`KChoice`] means EG), any other dtype stored raw.
pub fn encode_tensor(t: &Tensor, step_bits: u32, code: impl Into<CodeChoice>) -> Result<Entry, ContainerError> {
    let body = match &t.data {
        TensorData::Float(w) => Body::Coded(encode_floats(&t.name, w, step_bits, code)?),
        TensorData::Raw(b) => Body::Raw(b.clone()),
    };
    let e = Entry {
        name: t.name.clone(),
        dtype: t.dtype,
        shape: t.shape.clone(),
        body,
    };
    e.check_writable()?;
    Ok(e)
}

/// [`encode_tensor`] of a float tensor (F32, F16 or BF16, `shape`) from its quantized values `q`
/// (`backslash encode` quantizes them as it reads the file: [`quant::quantize_le`]).
pub fn encode_quantized(
    name: &str,
    dtype: DType,
    shape: &[usize],
    q: Vec<i32>,
    step_bits: u32,
    code: impl Into<CodeChoice>,
) -> Result<Entry, ContainerError> {
    // The dtype, the step and the count are checked with the rest by `check_writable`.
    let e = Entry {
        name: name.to_string(),
        dtype,
        shape: shape.to_vec(),
        body: Body::Coded(code_quantized(name, q, step_bits, code.into())?),
    };
    e.check_writable()?;
    Ok(e)
}

/// [`encode_tensor`] for a tensor the caller gives up: the same entry, but the f32 weights are
/// dropped once quantized, so the peak is about two copies of the tensor's elements (the encoder
/// of files quantizes as it reads instead: [`encode_quantized`]).
pub fn encode_tensor_owned(t: Tensor, step_bits: u32, code: impl Into<CodeChoice>) -> Result<Entry, ContainerError> {
    let Tensor {
        name,
        dtype,
        shape,
        data,
    } = t;
    let body = match data {
        TensorData::Float(w) => {
            let q = quantize(&name, &w, step_bits)?;
            drop(w);
            Body::Coded(code_quantized(&name, q, step_bits, code.into())?)
        }
        TensorData::Raw(b) => Body::Raw(b),
    };
    let e = Entry {
        name,
        dtype,
        shape,
        body,
    };
    e.check_writable()?;
    Ok(e)
}
