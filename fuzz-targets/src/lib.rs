//! Entry functions of the fuzz targets, one per parser or decoder that reads untrusted bytes.
//!
//! Each `fuzz/fuzz_targets/<name>.rs` (cargo-fuzz, libFuzzer) is one line that calls the function
//! of the same name here, and `tests/replay.rs` feeds every file of `fuzz/corpus/<name>/` (and of
//! `regressions/<name>/`) to the same function on the stable toolchain, so `make test` replays
//! the corpus without nightly or libFuzzer.
//!
//! A function returns normally for every input the code under test handles correctly: an error
//! value is a correct answer to bad bytes. It panics (the fuzzer's "crash") when the code under
//! test panics, or when a round trip or a cross-check between two implementations fails: a
//! decoder that accepts bytes must give back exactly what the matching encoder writes.
//!
//! | target        | code under test                                                        |
//! |---------------|------------------------------------------------------------------------|
//! | `container`   | `golden::container`: `Container::from_bytes`, `Entry::decode`, writer   |
//! | `eg`          | `golden::expgolomb`: fast and reference decoders for every k, encoder   |
//! | `huffman`     | `golden::huffman`: `from_lengths`/`from_counts`, decoder, encoder       |
//! | `safetensors` | `golden::tensors` import as the CLI does it, then encode to a container |
//! | `uart`        | `hdl::uart_bridge::protocol`: request parser, response decoder, 8N1     |
#![forbid(unsafe_code)]

pub mod seeds;
mod uart;
pub use uart::uart;

use golden::container::{self, Body, Code, CodeChoice, Container, Entry, KChoice};
use golden::expgolomb::{self, EgError, MAX_K};
use golden::huffman::{HuffmanCode, MAX_CODE_LEN};
use golden::quant;
use golden::tensors::{self, Tensor, TensorData};
// CRC-32 computed independently of the reader.
use golden::testing::crc32;

/// The names of the targets, as in `fuzz/fuzz_targets/` and `fuzz/corpus/`.
pub const TARGETS: [&str; 5] = ["container", "eg", "huffman", "safetensors", "uart"];

/// Runs the target called `name` on `data`. Panics on an unknown name.
pub fn run(name: &str, data: &[u8]) {
    match name {
        "container" => container(data),
        "eg" => eg(data),
        "huffman" => huffman(data),
        "safetensors" => safetensors(data),
        "uart" => uart(data),
        _ => panic!("unknown fuzz target `{name}`"),
    }
}

/// Whether bit `i` (MSB-first) of `bytes` is set.
fn bit(bytes: &[u8], i: u64) -> bool {
    bytes[(i / 8) as usize] >> (7 - i % 8) & 1 == 1
}

/// Asserts that `encoded` (a stream of `bits` bits, zero-padded to a byte) is the first `bits`
/// bits of `stream`.
fn assert_prefix(encoded: &[u8], bits: u64, stream: &[u8]) {
    assert_eq!(encoded.len() as u64, bits.div_ceil(8), "encoder output length");
    assert!(
        bits <= stream.len() as u64 * 8,
        "decoder read {bits} bits from a {}-byte stream",
        stream.len()
    );
    for i in 0..bits {
        assert_eq!(
            bit(encoded, i),
            bit(stream, i),
            "re-encoded bit {i} differs from the decoded stream"
        );
    }
    for i in bits..encoded.len() as u64 * 8 {
        assert!(!bit(encoded, i), "encoder padding bit {i} is not zero");
    }
}

// ---------------------------------------------------------------------------------------------
// container

/// The BSZ container reader on arbitrary bytes, then on the same bytes with every CRC it can
/// locate recomputed (so that mutations reach the descriptor checks and the payload decoder
/// instead of stopping at a CRC mismatch).
///
/// Checks: no panic; a container that reads is written back byte for byte (the format is
/// canonical); every entry that decodes has its shape's element count, and a coded entry's
/// values re-encode (quantize, value map, the same code: EG, fixed-length or Huffman) to the same
/// quantized values (a version 1 or 2 file is written back as the current version); the decoded tensors
/// survive the CLI's `decode` output path (safetensors write and read).
pub fn container(data: &[u8]) {
    check_container(data);
    let fixed = fix_container_crcs(data);
    if fixed != data {
        check_container(&fixed);
    }
}

fn check_container(data: &[u8]) {
    // The one-tensor-at-a-time readers (`backslash decode`, `inspect`) accept what the
    // whole-container reader and decoder accept, and give the same safetensors bytes.
    let streamed = golden::decode::decode_to_safetensors(data, "fuzz", &());
    let verified = golden::decode::verify(data, "fuzz", &()).is_ok();
    let Ok(c) = Container::from_bytes(data) else {
        assert!(
            streamed.is_err() && !verified,
            "a container that does not read was decoded"
        );
        return;
    };
    let again = c.to_bytes().expect("a container that was read must be writable");
    // The writer writes the current version; a version 1 or 2 file is otherwise the same bytes
    // (neither has a chunk index).
    let mut want = data.to_vec();
    if want[4..6] != container::VERSION.to_le_bytes() {
        want[4..6].copy_from_slice(&container::VERSION.to_le_bytes());
        let crc = crc32(&want[..12]);
        want[12..16].copy_from_slice(&crc.to_le_bytes());
    }
    assert!(
        again == want,
        "container does not write back to the bytes it was read from"
    );
    let mut decoded = Vec::new();
    for e in &c.entries {
        if let Ok(t) = e.decode() {
            check_decoded_entry(e, &t);
            decoded.push(t);
        }
    }
    // What `backslash decode` writes.
    let st = tensors::write_safetensors(&decoded).expect("decoded tensors must be writable as safetensors");
    let all = decoded.len() == c.entries.len();
    assert_eq!(verified, all, "verify disagrees with decoding every entry");
    match &streamed {
        Ok((bytes, n)) => assert!(all && *n == decoded.len() && *bytes == st, "streamed decode differs"),
        Err(_) => assert!(!all, "streamed decode failed on a container whose every entry decodes"),
    }
    let back = tensors::read_safetensors(&st).expect("written safetensors must read back");
    assert_eq!(back.len(), decoded.len());
    for t in &decoded {
        let b = back
            .iter()
            .find(|b| b.name == t.name)
            .expect("tensor lost in safetensors round trip");
        assert_same_data(t, b);
    }
}

fn check_decoded_entry(e: &Entry, t: &Tensor) {
    let numel = tensors::checked_numel(&e.shape).expect("a read entry has a valid shape");
    assert_eq!(t.shape, e.shape);
    match (&e.body, &t.data) {
        (Body::Raw(raw), TensorData::Raw(b)) => {
            assert_eq!(raw, b);
            assert_eq!(b.len() as u64, numel * e.dtype.size() as u64);
        }
        (Body::Coded(c), TensorData::Float(w)) => {
            assert_eq!(w.len() as u64, numel);
            let q = container::decode_quantized(&e.name, c).expect("decode succeeded once");
            for (&qi, &wi) in q.iter().zip(w) {
                assert!(c.map.contains(&qi), "decoded value {qi} is not in the value map");
                assert_eq!(wi, quant::dequantize(qi, c.step_bits));
            }
            // Re-encode the decoded weights as `encode` would (only where f32 holds q exactly).
            if q.iter().all(|&qi| qi.unsigned_abs() <= 1 << 24) {
                let choice = match c.code {
                    Code::ExpGolomb { k } => CodeChoice::ExpGolomb(KChoice::Fixed(k)),
                    Code::Fixed { .. } => CodeChoice::Fixed,
                    Code::Huffman { .. } => CodeChoice::Huffman,
                };
                let re = container::encode_floats(&e.name, w, c.step_bits, choice)
                    .expect("decoded weights are finite and re-encodable");
                assert_eq!(
                    std::mem::discriminant(&re.code),
                    std::mem::discriminant(&c.code),
                    "re-encoded with another code"
                );
                assert_eq!(re.count, c.count);
                let q2 = container::decode_quantized(&e.name, &re).expect("fresh encoding must decode");
                assert_eq!(q, q2, "re-encoded tensor decodes to different values");
                let mut sorted_a = c.map.clone();
                let mut sorted_b = re.map.clone();
                sorted_a.sort_unstable();
                sorted_b.sort_unstable();
                // The re-encoded map holds exactly the values that occur.
                assert!(sorted_b.iter().all(|v| sorted_a.binary_search(v).is_ok()));
            }
        }
        _ => panic!("entry `{}`: decoded data kind does not match its storage", e.name),
    }
}

/// Float data compared by bits (NaN-safe), raw data by bytes. A container may store an F32, F16
/// or BF16 tensor raw (docs/format.md allows raw storage for every dtype); written to safetensors
/// with its dtype and read back, it comes back widened to f32, which must hold the same values.
fn assert_same_data(a: &Tensor, b: &Tensor) {
    assert_eq!(a.shape, b.shape);
    match (float_bits(a), float_bits(b)) {
        (Some(x), Some(y)) => assert!(x == y, "tensor `{}`: float changed in a round trip", a.name),
        (None, None) => {
            assert_eq!(a.dtype, b.dtype);
            assert!(
                a.data == b.data,
                "tensor `{}`: raw bytes changed in a round trip",
                a.name
            );
        }
        _ => panic!("tensor `{}`: data kind changed in a round trip", a.name),
    }
}

/// The values of a float tensor (F32, F16, BF16, decoded or raw) as f32 bits; `None` otherwise.
fn float_bits(t: &Tensor) -> Option<Vec<u32>> {
    use golden::tensors::DType;
    match &t.data {
        TensorData::Float(v) => Some(v.iter().map(|x| x.to_bits()).collect()),
        TensorData::Raw(b) => match t.dtype {
            DType::F32 => Some(
                b.chunks_exact(4)
                    .map(|c| u32::from_le_bytes([c[0], c[1], c[2], c[3]]))
                    .collect(),
            ),
            DType::F16 => Some(
                b.chunks_exact(2)
                    .map(|c| half::f16::from_le_bytes([c[0], c[1]]).to_f32().to_bits())
                    .collect(),
            ),
            DType::BF16 => Some(
                b.chunks_exact(2)
                    .map(|c| u32::from(u16::from_le_bytes([c[0], c[1]])) << 16)
                    .collect(),
            ),
            _ => None,
        },
    }
}

fn le_u16(b: &[u8], at: usize) -> Option<u16> {
    Some(u16::from_le_bytes(b.get(at..at + 2)?.try_into().ok()?))
}
fn le_u32(b: &[u8], at: usize) -> Option<u32> {
    Some(u32::from_le_bytes(b.get(at..at + 4)?.try_into().ok()?))
}
fn le_u64(b: &[u8], at: usize) -> Option<u64> {
    Some(u64::from_le_bytes(b.get(at..at + 8)?.try_into().ok()?))
}

/// Recomputes the header, descriptor and payload CRCs of a BSZ container wherever the lengths
/// before them can be followed (docs/format.md); stops at the first structure it cannot follow.
/// Not a validator: the result is whatever the input was, with matching CRCs.
pub fn fix_container_crcs(data: &[u8]) -> Vec<u8> {
    let mut b = data.to_vec();
    if b.len() < container::FILE_HEADER_LEN || b[..4] != container::MAGIC {
        return b;
    }
    let crc = crc32(&b[..12]);
    b[12..16].copy_from_slice(&crc.to_le_bytes());
    let count = le_u32(&b, 8).unwrap_or(0);
    let mut pos = container::FILE_HEADER_LEN;
    for _ in 0..count {
        let Some(desc_len) = le_u32(&b, pos) else { break };
        let desc_start = pos + 4;
        let Some(desc_end) = desc_start.checked_add(desc_len as usize) else {
            break;
        };
        if desc_end + 4 > b.len() {
            break;
        }
        let crc = crc32(&b[pos..desc_end]);
        b[desc_end..desc_end + 4].copy_from_slice(&crc.to_le_bytes());
        // payload length: after name, dtype, storage, ndim, dims.
        let d = &b[desc_start..desc_end];
        let Some(name_len) = le_u16(d, 0) else { break };
        let ndim_at = 2 + name_len as usize + 2;
        let Some(&ndim) = d.get(ndim_at) else { break };
        let Some(payload_len) = le_u64(d, ndim_at + 1 + 8 * ndim as usize) else {
            break;
        };
        let payload_start = desc_end + 4;
        let Some(payload_end) = usize::try_from(payload_len)
            .ok()
            .and_then(|l| payload_start.checked_add(l))
        else {
            break;
        };
        if payload_end.checked_add(4).is_none_or(|e| e > b.len()) {
            break;
        }
        let crc = crc32(&b[payload_start..payload_end]);
        b[payload_end..payload_end + 4].copy_from_slice(&crc.to_le_bytes());
        pos = payload_end + 4;
    }
    b
}

// ---------------------------------------------------------------------------------------------
// eg

/// The exp-Golomb decoders. Byte 0 picks k (0..=17: 16 and 17 must be rejected), bytes 1-2 the
/// codeword count (little-endian u16), the rest is the stream.
///
/// Checks: the fast decoder and the bit-by-bit reference return the same result, errors
/// included; decoded values re-encode to exactly the bits they were read from; and the rest of
/// the input, read as u32 values (shifted right by byte 1 mod 32 to reach short codewords),
/// round-trips through both encoders and both decoders.
pub fn eg(data: &[u8]) {
    if data.len() < 3 {
        return;
    }
    let k = u32::from(data[0] % (MAX_K as u8 + 3));
    let count = usize::from(u16::from_le_bytes([data[1], data[2]]));
    let stream = &data[3..];
    let fast = expgolomb::decode(stream, k, count);
    let slow = expgolomb::decode_ref(stream, k, count);
    assert_eq!(fast, slow, "fast and reference EG({k}) decoders disagree");
    if k > MAX_K {
        assert!(matches!(fast, Err(EgError::BadK { .. })), "EG order {k} accepted");
        return;
    }
    if let Ok(v) = &fast {
        assert_eq!(v.len(), count);
        let bits = expgolomb::encoded_bits(v, k);
        let enc = expgolomb::encode(v, k);
        assert_prefix(&enc, bits, stream);
        assert_eq!(
            expgolomb::encode_ref(v, k),
            enc,
            "fast and reference EG({k}) encoders disagree"
        );
    }

    // Round trip of values taken from the input.
    let shift = u32::from(data[1]) % 32;
    let values: Vec<u32> = stream
        .chunks_exact(4)
        .map(|c| u32::from_le_bytes([c[0], c[1], c[2], c[3]]) >> shift)
        .collect();
    let bits = expgolomb::encoded_bits(&values, k);
    let lens: u64 = values.iter().map(|&v| u64::from(expgolomb::codeword_len(v, k))).sum();
    assert_eq!(bits, lens, "encoded_bits and codeword_len disagree");
    let enc = expgolomb::encode(&values, k);
    assert_eq!(enc.len() as u64, bits.div_ceil(8));
    assert_eq!(
        expgolomb::encode_ref(&values, k),
        enc,
        "fast and reference EG({k}) encoders disagree"
    );
    assert_eq!(
        expgolomb::decode(&enc, k, values.len()).as_deref(),
        Ok(&values[..]),
        "EG({k}) round trip"
    );
    assert_eq!(
        expgolomb::decode_ref(&enc, k, values.len()).as_deref(),
        Ok(&values[..]),
        "EG({k}) reference round trip"
    );
}

// ---------------------------------------------------------------------------------------------
// huffman

/// The canonical Huffman code. Byte 0 even: code lengths from the input (byte 1 + 1 symbols,
/// then one length byte each, taken mod 26 so that too-long lengths occur), bytes after that:
/// a u16 count and the stream to decode. Byte 0 odd: byte 1 splits the rest into symbols (one
/// byte each) and an arbitrary stream; the code is built with `from_counts` of the symbols.
///
/// Checks: no panic; built codes satisfy Kraft and the length limit; decoded symbols have codes
/// and re-encode to exactly the bits they were read from; the symbols round-trip; the code's
/// cost is at least the entropy and equals `bits_for_counts`.
pub fn huffman(data: &[u8]) {
    if data.len() < 2 {
        return;
    }
    let rest = &data[2..];
    if data[0] & 1 == 0 {
        let n = usize::from(data[1]) + 1;
        if rest.len() < n + 2 {
            return;
        }
        let lengths: Vec<u8> = rest[..n].iter().map(|&l| l % (MAX_CODE_LEN as u8 + 2)).collect();
        let count = usize::from(u16::from_le_bytes([rest[n], rest[n + 1]]));
        let stream = &rest[n + 2..];
        let Ok(code) = HuffmanCode::from_lengths(lengths.clone()) else {
            return;
        };
        assert_eq!(code.lengths(), &lengths[..]);
        check_code(&code);
        check_huffman_decode(&code, stream, count);
    } else {
        let split = usize::from(data[1]).min(rest.len());
        let (syms, stream) = rest.split_at(split);
        let symbols: Vec<u32> = syms.iter().map(|&s| u32::from(s)).collect();
        let mut counts = vec![0u64; 256];
        for &s in &symbols {
            counts[s as usize] += 1;
        }
        let Ok(code) = HuffmanCode::from_counts(&counts) else {
            assert!(symbols.is_empty(), "from_counts failed on a non-empty histogram");
            return;
        };
        check_code(&code);
        for (s, &c) in counts.iter().enumerate() {
            assert_eq!(
                c > 0,
                code.lengths()[s] > 0,
                "symbol {s}: count {c} but length {}",
                code.lengths()[s]
            );
        }
        let enc = code.encode(&symbols).expect("every counted symbol has a code");
        let bits = code.encoded_bits(&symbols).expect("every counted symbol has a code");
        assert_eq!(bits, code.bits_for_counts(&counts).expect("counted symbols have codes"));
        assert_eq!(enc.len() as u64, bits.div_ceil(8));
        assert_eq!(
            code.decode(&enc, symbols.len()),
            Ok(symbols.clone()),
            "Huffman round trip"
        );
        // Cost is at least the entropy (Kraft), up to float rounding.
        let total = symbols.len() as f64;
        let entropy: f64 = counts
            .iter()
            .filter(|&&c| c > 0)
            .map(|&c| c as f64 * (total / c as f64).log2())
            .sum();
        assert!(
            bits as f64 >= entropy * (1.0 - 1e-12) - 1e-9,
            "{bits} bits below the entropy {entropy}"
        );
        if counts.iter().filter(|&&c| c > 0).count() > 1 {
            // Huffman is within one bit per symbol of the entropy (the 24-bit limit cannot bind
            // with 256 symbols and counts below 2^16).
            assert!((bits as f64) < entropy + total + 1e-9, "{bits} bits, entropy {entropy}");
        }
        check_huffman_decode(&code, stream, stream.len());
    }
}

fn check_code(code: &HuffmanCode) {
    let mut kraft = 0u64;
    for &l in code.lengths() {
        assert!(u32::from(l) <= MAX_CODE_LEN);
        if l > 0 {
            kraft += 1 << (MAX_CODE_LEN - u32::from(l));
        }
    }
    assert!(kraft <= 1 << MAX_CODE_LEN, "Kraft sum above 1");
    // Codes are a prefix code: no code is a prefix of another (canonical codes sorted).
    let mut cw: Vec<(u32, u32)> = code
        .lengths()
        .iter()
        .zip(code.codes())
        .filter(|(&l, _)| l > 0)
        .map(|(&l, &c)| (c << (MAX_CODE_LEN - u32::from(l)), u32::from(l)))
        .collect();
    cw.sort_unstable();
    for w in cw.windows(2) {
        let (a, la) = w[0];
        let (b, _) = w[1];
        assert!(b >= a + (1 << (MAX_CODE_LEN - la)), "a code is a prefix of another");
    }
}

fn check_huffman_decode(code: &HuffmanCode, stream: &[u8], count: usize) {
    let Ok(symbols) = code.decode(stream, count) else {
        return;
    };
    assert_eq!(symbols.len(), count);
    let enc = code.encode(&symbols).expect("decoded symbols must have codes");
    let bits = code.encoded_bits(&symbols).expect("decoded symbols must have codes");
    assert_prefix(&enc, bits, stream);
}

// ---------------------------------------------------------------------------------------------
// safetensors

/// The safetensors import path as the CLI's `stats` and `encode` run it: list the tensors, read
/// each by name, and read all at once; then encode every tensor into a container (step 2^-8,
/// the smallest code per tensor with the best k, `encode --code auto`), write, read and decode
/// the container.
///
/// Checks: no panic; the three readers agree; a model that reads is written and read back
/// unchanged; the container round trip gives back the quantized weights exactly.
pub fn safetensors(data: &[u8]) {
    let listed = tensors::list_safetensors(data);
    let all = tensors::read_safetensors(data);
    let Ok(list) = listed else {
        assert!(all.is_err(), "read_safetensors accepts what list_safetensors rejects");
        return;
    };
    let mut by_name = Vec::new();
    for (name, dtype, shape) in &list {
        match tensors::read_tensor(data, name) {
            Ok(t) => {
                assert_eq!(
                    (&t.name, t.dtype, &t.shape),
                    (name, *dtype, shape),
                    "list and read_tensor disagree"
                );
                by_name.push(t);
            }
            Err(_) => assert!(
                all.is_err(),
                "read_safetensors accepts a tensor that read_tensor rejects"
            ),
        }
    }
    let Ok(all) = all else { return };
    assert_eq!(all.len(), list.len());
    for t in &all {
        let one = by_name.iter().find(|b| b.name == t.name).expect("listed");
        assert_same_data(t, one);
        assert_eq!(t.dtype, one.dtype);
    }

    // Write and read back: float tensors come back as F32 with the same values.
    let bytes = tensors::write_safetensors(&all).expect("tensors that were read must be writable");
    let back = tensors::read_safetensors(&bytes).expect("written safetensors must read back");
    assert_eq!(back.len(), all.len());
    for t in &all {
        let b = back
            .iter()
            .find(|b| b.name == t.name)
            .expect("tensor lost in round trip");
        assert_same_data(t, b);
    }

    // `backslash encode` then `backslash decode`.
    let step_bits = 8;
    let mut entries = Vec::new();
    for t in &all {
        match container::encode_tensor(t, step_bits, CodeChoice::Auto(KChoice::Auto)) {
            Ok(e) => entries.push((t, e)),
            Err(_) => {
                let bad_float = matches!(&t.data, TensorData::Float(w) if w.iter().any(|x| !x.is_finite()));
                assert!(
                    bad_float || t.name.is_empty() || t.name.len() > usize::from(u16::MAX),
                    "encode of `{}` failed",
                    t.name
                );
            }
        }
    }
    let c = Container {
        entries: entries.iter().map(|(_, e)| e.clone()).collect(),
    };
    let bytes = c.to_bytes().expect("encoded entries must be writable");
    let read = Container::from_bytes(&bytes).expect("a written container must read");
    assert_eq!(read, c, "container round trip");
    for ((t, _), e) in entries.iter().zip(&read.entries) {
        let d = e.decode().expect("a written container must decode");
        match (&t.data, &d.data) {
            (TensorData::Float(w), TensorData::Float(back)) => {
                for (&x, &y) in w.iter().zip(back) {
                    let want = quant::dequantize(quant::quantize(x, step_bits), step_bits);
                    assert_eq!(want.to_bits(), y.to_bits(), "tensor `{}`: {x} decoded as {y}", t.name);
                }
            }
            (TensorData::Raw(a), TensorData::Raw(b)) => assert_eq!(a, b),
            _ => panic!("tensor `{}`: data kind changed through the container", t.name),
        }
    }
}
