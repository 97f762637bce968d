//! The BSZ container (golden::container) and safetensors I/O (golden::tensors): round trips,
//! a known-answer vector written from docs/format.md by hand, and robustness against truncated,
//! corrupted and hostile input (errors, never panics or huge allocations).

use golden::container::{
    best_k, decode_quantized, encode_tensor, fixed_width, read_header, Body, Code, CodeChoice, Coded, Container,
    ContainerError, Entry, KChoice, CHUNK_SHIFT, VERSION, VERSION_1,
};
use golden::expgolomb;
use golden::quant::{dequantize, quantize};
use golden::tensors::{read_safetensors, write_safetensors, DType, Tensor, TensorData};
use proptest::prelude::*;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

/// Weights roughly Laplacian, scale ~0.05, like trained layers.
fn weights(rng: &mut ChaCha8Rng, n: usize) -> Vec<f32> {
    (0..n)
        .map(|_| {
            let u: f32 = rng.random_range(-0.5f32..0.5);
            -0.05 * u.signum() * (1.0 - 2.0 * u.abs()).max(1e-7).ln()
        })
        .collect()
}

/// A small model: coded F32/F16/BF16 tensors (2-D, 1-D, scalar, empty) and raw tensors.
fn small_model() -> Vec<Tensor> {
    let mut rng = ChaCha8Rng::seed_from_u64(7);
    let w = weights(&mut rng, 24);
    let f16: Vec<f32> = weights(&mut rng, 6)
        .iter()
        .map(|&x| half::f16::from_f32(x).to_f32())
        .collect();
    let bf16: Vec<f32> = weights(&mut rng, 5)
        .iter()
        .map(|&x| half::bf16::from_f32(x).to_f32())
        .collect();
    vec![
        Tensor {
            name: "layer.0.weight".into(),
            dtype: DType::F32,
            shape: vec![4, 6],
            data: TensorData::Float(w),
        },
        Tensor {
            name: "layer.0.bias".into(),
            dtype: DType::F16,
            shape: vec![6],
            data: TensorData::Float(f16),
        },
        Tensor {
            name: "norm".into(),
            dtype: DType::BF16,
            shape: vec![5],
            data: TensorData::Float(bf16),
        },
        Tensor {
            name: "scale".into(),
            dtype: DType::F32,
            shape: vec![],
            data: TensorData::Float(vec![0.75]),
        },
        Tensor {
            name: "empty".into(),
            dtype: DType::F32,
            shape: vec![0, 3],
            data: TensorData::Float(vec![]),
        },
        Tensor {
            name: "position_ids".into(),
            dtype: DType::I64,
            shape: vec![3],
            data: TensorData::Raw((0i64..3).flat_map(|v| v.to_le_bytes()).collect()),
        },
        Tensor {
            name: "mask".into(),
            dtype: DType::BOOL,
            shape: vec![2, 2],
            data: TensorData::Raw(vec![1, 0, 0, 1]),
        },
    ]
}

fn encode_model(ts: &[Tensor], step_bits: u32, code: impl Into<CodeChoice> + Copy) -> Vec<u8> {
    let entries = ts.iter().map(|t| encode_tensor(t, step_bits, code).unwrap()).collect();
    Container { entries }.to_bytes().unwrap()
}

/// Every way of choosing a code: EG with fixed and best k, fixed-length, Huffman, auto.
const CHOICES: [CodeChoice; 7] = [
    CodeChoice::ExpGolomb(KChoice::Fixed(0)),
    CodeChoice::ExpGolomb(KChoice::Fixed(3)),
    CodeChoice::ExpGolomb(KChoice::Auto),
    CodeChoice::Fixed,
    CodeChoice::Huffman,
    CodeChoice::Auto(KChoice::Auto),
    CodeChoice::Auto(KChoice::Fixed(2)),
];

/// The same file with another version number in its header (header CRC recomputed).
fn with_version(bytes: &[u8], version: u16) -> Vec<u8> {
    let mut b = bytes.to_vec();
    b[4..6].copy_from_slice(&version.to_le_bytes());
    let h = crc32fast::hash(&b[..12]);
    b[12..16].copy_from_slice(&h.to_le_bytes());
    b
}

/// Parses and fully decodes; the first error anywhere.
fn parse_and_decode(bytes: &[u8]) -> Result<Vec<Tensor>, ContainerError> {
    let c = Container::from_bytes(bytes)?;
    c.entries.iter().map(|e| e.decode()).collect()
}

/// What decoding must give back: q·2^-n of each float weight, raw bytes unchanged.
fn expected(t: &Tensor, step_bits: u32) -> Tensor {
    let data = match &t.data {
        TensorData::Float(w) => TensorData::Float(
            w.iter()
                .map(|&x| dequantize(quantize(x, step_bits), step_bits))
                .collect(),
        ),
        raw => raw.clone(),
    };
    Tensor { data, ..t.clone() }
}

#[test]
fn round_trip_reproduces_dequantized_weights() {
    let model = small_model();
    for step_bits in [0, 4, 8, 12, 16] {
        let eg_k15 = CodeChoice::ExpGolomb(KChoice::Fixed(15));
        for k in CHOICES.into_iter().chain([eg_k15]) {
            let bytes = encode_model(&model, step_bits, k);
            let back = parse_and_decode(&bytes).unwrap();
            assert_eq!(back.len(), model.len());
            for (b, t) in back.iter().zip(&model) {
                assert_eq!(*b, expected(t, step_bits), "step {step_bits}, {k:?}, tensor {}", t.name);
            }
        }
    }
}

#[test]
fn round_trip_through_safetensors_f32_f16_bf16() {
    // Source files in each float dtype: read, encode, decode, write F32, read again.
    let mut rng = ChaCha8Rng::seed_from_u64(11);
    let w = weights(&mut rng, 300);
    for dtype in [DType::F32, DType::F16, DType::BF16] {
        let vals: Vec<f32> = match dtype {
            DType::F16 => w.iter().map(|&x| half::f16::from_f32(x).to_f32()).collect(),
            DType::BF16 => w.iter().map(|&x| half::bf16::from_f32(x).to_f32()).collect(),
            _ => w.clone(),
        };
        // Build the source file with the real dtype through the safetensors crate.
        let raw: Vec<u8> = match dtype {
            DType::F16 => vals
                .iter()
                .flat_map(|&x| half::f16::from_f32(x).to_le_bytes())
                .collect(),
            DType::BF16 => vals
                .iter()
                .flat_map(|&x| half::bf16::from_f32(x).to_le_bytes())
                .collect(),
            _ => vals.iter().flat_map(|&x| x.to_le_bytes()).collect(),
        };
        let st_dtype = match dtype {
            DType::F16 => safetensors::Dtype::F16,
            DType::BF16 => safetensors::Dtype::BF16,
            _ => safetensors::Dtype::F32,
        };
        let view = safetensors::tensor::TensorView::new(st_dtype, vec![10, 30], &raw).unwrap();
        let file = safetensors::serialize([("w", view)], None).unwrap();

        let read = read_safetensors(&file).unwrap();
        assert_eq!(read[0].dtype, dtype);
        assert_eq!(read[0].data, TensorData::Float(vals.clone()));
        let bytes = encode_model(&read, 8, KChoice::Auto);
        let back = parse_and_decode(&bytes).unwrap();
        assert_eq!(back[0].dtype, dtype, "the container remembers the source dtype");
        let out = write_safetensors(&back).unwrap();
        let again = read_safetensors(&out).unwrap();
        assert_eq!(again[0].dtype, DType::F32, "decoded weights are written as F32");
        let want: Vec<f32> = vals.iter().map(|&x| dequantize(quantize(x, 8), 8)).collect();
        assert_eq!(again[0].data, TensorData::Float(want));
        assert_eq!(again[0].shape, vec![10, 30]);
    }
}

/// The bytes of a one-tensor container written out by hand from docs/format.md ("Worked example").
#[test]
fn known_answer_vector_from_the_spec() {
    // w = [0, 0.5, -0.5, 0.5] at n = 1: q = [0, 1, -1, 1]; value map [1, 0, -1] (1 twice, then
    // the tie 0 before -1 by |q|); indices [1, 0, 2, 0]; EG(0): 010 1 011 1 = 0x57, 8 bits.
    let t = Tensor {
        name: "w".into(),
        dtype: DType::F32,
        shape: vec![4],
        data: TensorData::Float(vec![0.0, 0.5, -0.5, 0.5]),
    };
    let bytes = encode_model(&[t], 1, KChoice::Fixed(0));

    let mut want = vec![b'B', b'S', b'Z', 0, VERSION as u8, 0, 0, 0, 1, 0, 0, 0];
    let h = crc32fast::hash(&want);
    want.extend_from_slice(&h.to_le_bytes());
    let mut desc = vec![1, 0, b'w', 9, 1, 1];
    desc.extend_from_slice(&4u64.to_le_bytes()); // shape [4]
    desc.extend_from_slice(&1u64.to_le_bytes()); // payload_len
    desc.extend_from_slice(&[1, 0, 0, 0]); // step bits 1, code EG, k 0, chunk shift 0 (no index)
    desc.extend_from_slice(&4u64.to_le_bytes()); // count
    desc.extend_from_slice(&8u64.to_le_bytes()); // payload bits
    desc.extend_from_slice(&3u32.to_le_bytes()); // map length
    for v in [1i32, 0, -1] {
        desc.extend_from_slice(&v.to_le_bytes());
    }
    assert_eq!(desc.len(), 58);
    let mut rec = (desc.len() as u32).to_le_bytes().to_vec();
    rec.extend_from_slice(&desc);
    let dcrc = crc32fast::hash(&rec);
    want.extend_from_slice(&rec);
    want.extend_from_slice(&dcrc.to_le_bytes());
    want.push(0x57);
    want.extend_from_slice(&crc32fast::hash(&[0x57]).to_le_bytes());
    assert_eq!(bytes, want);
    assert_eq!(bytes.len(), 16 + 4 + 58 + 4 + 1 + 4);

    // The same bytes with version 1 (an EG-only file as version 1 wrote it) read to the same
    // container and decode to the same weights.
    let v1 = with_version(&bytes, VERSION_1);
    assert_eq!(read_header(&v1).unwrap().version, 1);
    assert_eq!(read_header(&bytes).unwrap().version, VERSION);
    assert_eq!(
        Container::from_bytes(&v1).unwrap(),
        Container::from_bytes(&bytes).unwrap()
    );
    assert_eq!(
        parse_and_decode(&v1).unwrap()[0].data,
        TensorData::Float(vec![0.0, 0.5, -0.5, 0.5])
    );
}

/// The worked example of docs/format.md with the fixed-length code and with canonical Huffman,
/// written out by hand: the descriptor differs from the EG one only in the code id and parameter,
/// payload bits and (Huffman) the code lengths after the value map.
#[test]
fn known_answer_vectors_fixed_and_huffman() {
    let t = Tensor {
        name: "w".into(),
        dtype: DType::F32,
        shape: vec![4],
        data: TensorData::Float(vec![0.0, 0.5, -0.5, 0.5]),
    };
    // Indices [1, 0, 2, 0]. Fixed, 3 values: 2 bits each, 01 00 10 00 = 0x48, 8 bits.
    // Huffman, counts [2, 1, 1]: lengths [1, 2, 2], codes 0, 10, 11: 10 0 11 0 = 0x98, 6 bits.
    // (code, code id and parameter, payload bits, code lengths, payload byte)
    let cases = [
        (CodeChoice::Fixed, [1u8, 2], 8u64, &[][..], 0x48u8),
        (CodeChoice::Huffman, [2, 0], 6, &[1u8, 2, 2][..], 0x98),
    ];
    for (choice, id_param, bits, lengths, payload) in cases {
        let bytes = encode_model(std::slice::from_ref(&t), 1, choice);
        let mut want = vec![b'B', b'S', b'Z', 0, VERSION as u8, 0, 0, 0, 1, 0, 0, 0];
        let h = crc32fast::hash(&want);
        want.extend_from_slice(&h.to_le_bytes());
        let mut desc = vec![1, 0, b'w', 9, 1, 1];
        desc.extend_from_slice(&4u64.to_le_bytes()); // shape [4]
        desc.extend_from_slice(&1u64.to_le_bytes()); // payload_len
        desc.extend_from_slice(&[1, id_param[0], id_param[1], 0]); // step bits, code id, param, chunk shift 0
        desc.extend_from_slice(&4u64.to_le_bytes()); // count
        desc.extend_from_slice(&bits.to_le_bytes()); // payload bits
        desc.extend_from_slice(&3u32.to_le_bytes()); // map length
        for v in [1i32, 0, -1] {
            desc.extend_from_slice(&v.to_le_bytes());
        }
        desc.extend_from_slice(lengths);
        let mut rec = (desc.len() as u32).to_le_bytes().to_vec();
        rec.extend_from_slice(&desc);
        let dcrc = crc32fast::hash(&rec);
        want.extend_from_slice(&rec);
        want.extend_from_slice(&dcrc.to_le_bytes());
        want.push(payload);
        want.extend_from_slice(&crc32fast::hash(&[payload]).to_le_bytes());
        assert_eq!(bytes, want, "{choice:?}");
        assert_eq!(
            parse_and_decode(&bytes).unwrap()[0].data,
            TensorData::Float(vec![0.0, 0.5, -0.5, 0.5]),
            "{choice:?}"
        );
        // Version 1 did not define these codes: the same bytes as a version 1 file are rejected.
        let r = parse_and_decode(&with_version(&bytes, VERSION_1));
        let msg = r.unwrap_err().to_string();
        assert!(msg.contains("not defined in version 1"), "{choice:?}: {msg}");
    }
    // Auto picks the smallest record: all payloads are 1 byte, Huffman adds 3 table bytes, so EG
    // (the first on ties) wins here.
    let bytes = encode_model(std::slice::from_ref(&t), 1, CodeChoice::Auto(KChoice::Auto));
    let c = Container::from_bytes(&bytes).unwrap();
    let Body::Coded(coded) = &c.entries[0].body else {
        panic!("coded")
    };
    assert_eq!(coded.code, Code::ExpGolomb { k: 0 });
}

#[test]
fn every_truncation_is_an_error() {
    for code in CHOICES {
        let bytes = encode_model(&small_model(), 8, code);
        for len in 0..bytes.len() {
            assert!(
                parse_and_decode(&bytes[..len]).is_err(),
                "{code:?}: prefix of {len} bytes accepted"
            );
        }
    }
    let bytes = encode_model(&small_model(), 8, KChoice::Auto);
    let mut longer = bytes.clone();
    longer.push(0);
    assert!(matches!(
        Container::from_bytes(&longer),
        Err(ContainerError::TrailingBytes { .. })
    ));
}

#[test]
fn every_single_bit_flip_is_detected() {
    let codes = [
        CodeChoice::ExpGolomb(KChoice::Fixed(1)),
        CodeChoice::Fixed,
        CodeChoice::Huffman,
        CodeChoice::Auto(KChoice::Auto),
    ];
    for code in codes {
        let bytes = encode_model(&small_model(), 6, code);
        for bit in 0..bytes.len() * 8 {
            let mut b = bytes.clone();
            b[bit / 8] ^= 0x80 >> (bit % 8);
            assert!(
                parse_and_decode(&b).is_err(),
                "{code:?}: flip of bit {bit} not detected"
            );
        }
    }
}

/// Recomputes the header CRC and the first record's descriptor CRC after a deliberate change to
/// those bytes (payloads untouched), so that the semantic checks, not the CRCs, must catch it.
fn recrc(bytes: &mut [u8]) {
    let h = crc32fast::hash(&bytes[..12]);
    bytes[12..16].copy_from_slice(&h.to_le_bytes());
    let dl = u32::from_le_bytes(bytes[16..20].try_into().unwrap()) as usize;
    let d = crc32fast::hash(&bytes[16..20 + dl]);
    bytes[20 + dl..24 + dl].copy_from_slice(&d.to_le_bytes());
}

#[test]
fn recrc_helper_is_faithful() {
    let bytes = encode_model(&small_model(), 8, KChoice::Auto);
    let mut b = bytes.clone();
    recrc(&mut b);
    assert_eq!(b, bytes);
}

#[test]
fn semantic_errors_behind_valid_crcs() {
    let entry = |map: Vec<i32>, count: u64, payload_bits: u64, payload: Vec<u8>| Entry {
        name: "t".into(),
        dtype: DType::F32,
        shape: vec![count as usize],
        body: Body::Coded(Coded {
            step_bits: 8,
            code: Code::ExpGolomb { k: 0 },
            map,
            count,
            payload_bits,
            payload,
            chunk_shift: 0,
            chunk_starts: Vec::new(),
        }),
    };
    let decode = |e: Entry| {
        let bytes = Container { entries: vec![e] }.to_bytes().unwrap();
        parse_and_decode(&bytes)
    };
    // Index 2 (EG(0) 011) with a 2-value map.
    let r = decode(entry(vec![0, 1], 2, 4, vec![0b0111_0000]));
    assert!(
        matches!(
            r,
            Err(ContainerError::IndexOutOfMap {
                index: 2,
                position: 0,
                ..
            })
        ),
        "{r:?}"
    );
    // Padding bit set: 1 then 1 padding bit.
    let r = decode(entry(vec![5], 1, 1, vec![0b1100_0000]));
    assert!(matches!(r, Err(ContainerError::NonCanonical { .. })), "{r:?}");
    // One symbol claimed but the 8-bit payload holds 8 one-bit codewords: bit length disagrees.
    let r = decode(entry(vec![5], 1, 8, vec![0xff]));
    assert!(matches!(r, Err(ContainerError::NonCanonical { .. })), "{r:?}");
    // Stream ends inside a codeword.
    let r = decode(entry(vec![5, 6], 2, 3, vec![0b0010_0000]));
    assert!(matches!(r, Err(ContainerError::Decode { .. })), "{r:?}");
    // A repeated value in the map is rejected by the reader.
    let r = decode(entry(vec![5, 5], 2, 2, vec![0b1100_0000]));
    assert!(matches!(r, Err(ContainerError::Invalid { .. })), "{r:?}");
    // The same valid tensor decodes.
    let r = decode(entry(vec![5, 6], 2, 4, vec![0b0101_0000])).unwrap();
    assert_eq!(r[0].data, TensorData::Float(vec![6.0 / 256.0, 5.0 / 256.0]));

    // Fields rewritten behind recomputed CRCs: each must be caught by a range/consistency check.
    let good = encode_model(&small_model()[..1], 8, KChoice::Fixed(2));
    // Offsets inside the first descriptor ("layer.0.weight", 14 bytes, ndim 2).
    let d = 16 + 4 + 2 + 14;
    let cases: Vec<(&str, usize, Vec<u8>)> = vec![
        ("version", 4, vec![4, 0]),
        ("flags", 6, vec![1, 0]),
        ("dtype code", d, vec![200]),
        ("dtype not codable", d, vec![DType::I32.code()]),
        ("storage", d + 1, vec![7]),
        ("ndim", d + 2, vec![17]),
        ("dimension", d + 3, 5u64.to_le_bytes().to_vec()),
        ("payload length", d + 3 + 16, 1_000_000u64.to_le_bytes().to_vec()),
        ("step bits", d + 3 + 24, vec![17]),
        ("code id", d + 3 + 25, vec![2]),
        ("k", d + 3 + 26, vec![16]),
        ("chunk shift", d + 3 + 27, vec![1]),
        ("count", d + 3 + 28, u64::MAX.to_le_bytes().to_vec()),
        ("payload bits", d + 3 + 36, 1u64.to_le_bytes().to_vec()),
        ("map length", d + 3 + 44, u32::MAX.to_le_bytes().to_vec()),
    ];
    for (what, at, new) in cases {
        let mut b = good.clone();
        b[at..at + new.len()].copy_from_slice(&new);
        recrc(&mut b);
        let r = parse_and_decode(&b);
        assert!(r.is_err(), "{what}: accepted");
        let msg = r.unwrap_err().to_string();
        assert!(!msg.contains("CRC"), "{what}: caught only by a CRC: {msg}");
    }
}

/// The fields of the fixed-length and Huffman descriptors rewritten out of range behind recomputed
/// CRCs: each is rejected by its own check, with a message that names it.
#[test]
fn new_code_fields_out_of_range_behind_valid_crcs() {
    let one = &small_model()[..1];
    // Offsets inside the first descriptor ("layer.0.weight", 14 bytes, ndim 2).
    let d = 16 + 4 + 2 + 14;
    let (id, param, bits_at, map_len_at) = (d + 3 + 25, d + 3 + 26, d + 3 + 36, d + 3 + 44);
    let map_len = |b: &[u8]| u32::from_le_bytes(b[map_len_at..map_len_at + 4].try_into().unwrap()) as usize;
    let payload_bits = |b: &[u8]| u64::from_le_bytes(b[bits_at..bits_at + 8].try_into().unwrap());
    let check = |what: &str, b: &mut Vec<u8>, needle: &str| {
        recrc(b);
        let r = parse_and_decode(b);
        assert!(r.is_err(), "{what}: accepted");
        let msg = r.unwrap_err().to_string();
        assert!(msg.contains(needle) && !msg.contains("CRC"), "{what}: {msg}");
    };

    let fixed = encode_model(one, 8, CodeChoice::Fixed);
    assert_eq!(fixed[id], 1);
    let w = fixed[param];
    assert_eq!(u32::from(w), fixed_width(map_len(&fixed)));
    for (what, width, needle) in [
        ("width 0", 0u8, "outside 1..=32"),
        ("width 33", 33, "outside 1..=32"),
        ("width one more", w + 1, "must be"),
        ("width one less", w - 1, "must be"),
    ] {
        let mut b = fixed.clone();
        b[param] = width;
        check(what, &mut b, needle);
    }
    let mut b = fixed.clone();
    let bits = payload_bits(&b) - 1; // same payload length, not count x width
    b[bits_at..bits_at + 8].copy_from_slice(&bits.to_le_bytes());
    check("fixed payload bits", &mut b, "do not take");
    let mut b = fixed.clone();
    b[id] = 3;
    check("code id 3", &mut b, "unknown code id 3");

    let huff = encode_model(one, 8, CodeChoice::Huffman);
    assert_eq!((huff[id], huff[param]), (2, 0));
    let n = map_len(&huff);
    let lengths = map_len_at + 4 + 4 * n;
    let desc_len = u32::from_le_bytes(huff[16..20].try_into().unwrap()) as usize;
    assert_eq!(lengths + n, 20 + desc_len, "the code lengths end the descriptor");
    let mut b = huff.clone();
    b[param] = 1;
    check("Huffman parameter", &mut b, "must be 0");
    let mut b = huff.clone();
    b[lengths + 1] = 25;
    check("length 25", &mut b, "code length 25");
    let mut b = huff.clone();
    b[lengths..lengths + n].fill(1);
    check("over-subscribed", &mut b, "Kraft");
    let mut b = huff.clone();
    b[lengths..lengths + n].fill(0);
    check("no codes", &mut b, "non-zero");
    let mut b = huff.clone();
    b[lengths..lengths + n].fill(24);
    check("codewords too long for the payload", &mut b, "cannot take");
    let mut b = huff.clone();
    b[lengths..lengths + n].fill(0);
    b[lengths + n - 1] = 1;
    // One 1-bit code: the 24 symbols cannot take the payload's bits.
    check("codewords too short for the payload", &mut b, "cannot take");
    // The map length one more: the value map then takes 4 of the code lengths' bytes, and the
    // lengths run past the descriptor's end.
    let mut b = huff.clone();
    b[map_len_at..map_len_at + 4].copy_from_slice(&(n as u32 + 1).to_le_bytes());
    recrc(&mut b);
    assert!(parse_and_decode(&b).is_err(), "longer map accepted");
}

/// Payloads of the new codes that do not decode, behind valid CRCs and valid descriptors.
#[test]
fn fixed_and_huffman_payload_errors() {
    let entry = |code: Code, map: Vec<i32>, count: u64, payload_bits: u64, payload: Vec<u8>| Entry {
        name: "t".into(),
        dtype: DType::F32,
        shape: vec![count as usize],
        body: Body::Coded(Coded {
            step_bits: 8,
            code,
            map,
            count,
            payload_bits,
            payload,
            chunk_shift: 0,
            chunk_starts: Vec::new(),
        }),
    };
    let decode = |e: Entry| {
        let bytes = Container { entries: vec![e] }.to_bytes().unwrap();
        parse_and_decode(&bytes)
    };
    let fixed2 = Code::Fixed { bits: 2 };
    // Index 3 with a 3-value map: 00 11 00.
    let r = decode(entry(fixed2.clone(), vec![0, 1, 2], 3, 6, vec![0b0011_0000]));
    assert!(
        matches!(
            r,
            Err(ContainerError::IndexOutOfMap {
                index: 3,
                position: 1,
                ..
            })
        ),
        "{r:?}"
    );
    // Padding bit set: 00 01 00, then 01.
    let r = decode(entry(fixed2.clone(), vec![0, 1, 2], 3, 6, vec![0b0001_0001]));
    assert!(matches!(r, Err(ContainerError::NonCanonical { .. })), "{r:?}");
    let r = decode(entry(fixed2, vec![0, 1, 2], 3, 6, vec![0b0110_0000])).unwrap();
    assert_eq!(r[0].data, TensorData::Float(vec![1.0 / 256.0, 2.0 / 256.0, 0.0]));

    // Incomplete code: lengths [1, 2] give codes 0 and 10; 11 matches no code.
    let inc = Code::Huffman { lengths: vec![1, 2] };
    let r = decode(entry(inc.clone(), vec![5, 6], 2, 3, vec![0b0110_0000]));
    assert!(matches!(r, Err(ContainerError::HuffmanDecode { .. })), "{r:?}");
    // 2 symbols in 3 bits claimed, but they take 2 bits (0, 0): bit length disagrees.
    let r = decode(entry(inc.clone(), vec![5, 6], 2, 3, vec![0b0000_0000]));
    assert!(matches!(r, Err(ContainerError::NonCanonical { .. })), "{r:?}");
    // Padding bit set.
    let r = decode(entry(inc.clone(), vec![5, 6], 2, 3, vec![0b0100_0001]));
    assert!(matches!(r, Err(ContainerError::NonCanonical { .. })), "{r:?}");
    // Stream ends inside a code: seven "0", then "1" and the end.
    let r = decode(entry(inc.clone(), vec![5, 6], 8, 8, vec![0b0000_0001]));
    assert!(matches!(r, Err(ContainerError::HuffmanDecode { .. })), "{r:?}");
    let r = decode(entry(inc, vec![5, 6], 2, 3, vec![0b0100_0000])).unwrap();
    assert_eq!(r[0].data, TensorData::Float(vec![5.0 / 256.0, 6.0 / 256.0]));

    // The writer refuses what the reader would reject.
    for (code, map) in [
        (Code::Fixed { bits: 3 }, vec![0, 1, 2]),
        (Code::Huffman { lengths: vec![1, 1, 1] }, vec![0, 1, 2]),
        (Code::Huffman { lengths: vec![1] }, vec![0, 1]),
        (Code::Huffman { lengths: vec![25, 1] }, vec![0, 1]),
    ] {
        let e = entry(code.clone(), map, 2, 6, vec![0]);
        let r = Container { entries: vec![e] }.to_bytes();
        assert!(matches!(r, Err(ContainerError::Unsupported { .. })), "{code:?}: {r:?}");
    }
}

/// Every code decodes what it encodes for tensors with one value, many values, and none; auto
/// never writes a record larger than any single code's.
#[test]
fn every_code_round_trips_and_auto_is_smallest() {
    let mut rng = ChaCha8Rng::seed_from_u64(19);
    let tensors = [
        weights(&mut rng, 2000),
        vec![0.25; 100],
        vec![],
        (0..500).map(|i| i as f32 / 64.0).collect(), // uniform: fixed-length is best
    ];
    for w in tensors {
        let t = Tensor {
            name: "w".into(),
            dtype: DType::F32,
            shape: vec![w.len()],
            data: TensorData::Float(w),
        };
        let want = expected(&t, 8);
        let mut sizes = Vec::new();
        for code in CHOICES {
            let e = encode_tensor(&t, 8, code).unwrap();
            let Body::Coded(c) = &e.body else { panic!("coded") };
            match code {
                CodeChoice::Fixed => assert!(matches!(c.code, Code::Fixed { .. })),
                CodeChoice::Huffman => assert!(matches!(c.code, Code::Huffman { .. })),
                CodeChoice::ExpGolomb(_) => assert!(matches!(c.code, Code::ExpGolomb { .. })),
                CodeChoice::Auto(_) => {}
            }
            sizes.push((code, e.record_len()));
            assert_eq!(e.decode().unwrap(), want, "{code:?}");
        }
        let auto = sizes
            .iter()
            .find(|(c, _)| *c == CodeChoice::Auto(KChoice::Auto))
            .unwrap()
            .1;
        let min = sizes.iter().map(|&(_, s)| s).min().unwrap();
        assert_eq!(auto, min, "{sizes:?}");
    }
}

/// A tensor with more distinct values than Huffman allows (2^20): `--code huffman` is an error
/// naming the limit, `auto` codes it with another code, and a reader rejects a Huffman descriptor
/// with such a map.
#[test]
fn huffman_symbol_limit() {
    let n = golden::huffman::MAX_SYMBOLS + 1;
    let t = Tensor {
        name: "wide".into(),
        dtype: DType::F32,
        shape: vec![n],
        data: TensorData::Float((0..n).map(|i| i as f32 / 65536.0).collect()),
    };
    let e = encode_tensor(&t, 16, CodeChoice::Huffman).unwrap_err();
    assert!(e.to_string().contains("Huffman limit"), "{e}");
    let auto = encode_tensor(&t, 16, CodeChoice::Auto(KChoice::Auto)).unwrap();
    let Body::Coded(c) = &auto.body else { panic!("coded") };
    // Every value once: 21 bits each in the fixed-length code, the smallest.
    assert_eq!(c.code, Code::Fixed { bits: 21 });
    let mut bytes = Container {
        entries: vec![auto.clone()],
    }
    .to_bytes()
    .unwrap();
    let d = 16 + 4 + 2 + 4 + 3 + 8; // after name "wide", dtype, storage, ndim, dims
    assert_eq!(bytes[d + 8 + 1], 1, "code id");
    bytes[d + 8 + 1] = 2;
    bytes[d + 8 + 2] = 0;
    recrc(&mut bytes);
    let msg = Container::from_bytes(&bytes).unwrap_err().to_string();
    assert!(msg.contains("Huffman limit") && !msg.contains("CRC"), "{msg}");
}

#[test]
fn hostile_headers_fail_fast_without_allocating() {
    // Header claiming 4 billion tensors in a 16-byte file.
    let mut b = vec![b'B', b'S', b'Z', 0, 1, 0, 0, 0, 0xff, 0xff, 0xff, 0xff];
    let h = crc32fast::hash(&b);
    b.extend_from_slice(&h.to_le_bytes());
    assert!(matches!(
        Container::from_bytes(&b),
        Err(ContainerError::Truncated { .. })
    ));
    // Not a container at all.
    assert!(matches!(
        Container::from_bytes(b"PK\x03\x04 hello"),
        Err(ContainerError::BadMagic)
    ));
    assert!(matches!(Container::from_bytes(&[]), Err(ContainerError::BadMagic)));
    // A coded descriptor claiming 2^40 symbols in a 1-byte payload: rejected before decoding.
    let e = Entry {
        name: "t".into(),
        dtype: DType::F32,
        shape: vec![1],
        body: Body::Coded(Coded {
            step_bits: 8,
            code: Code::ExpGolomb { k: 0 },
            map: vec![0],
            count: 1,
            payload_bits: 1,
            payload: vec![0x80],
            chunk_shift: 0,
            chunk_starts: Vec::new(),
        }),
    };
    let mut bytes = Container { entries: vec![e] }.to_bytes().unwrap();
    let d = 16 + 4 + 2 + 1;
    bytes[d + 3..d + 11].copy_from_slice(&(1u64 << 40).to_le_bytes()); // shape
    bytes[d + 3 + 20..d + 3 + 28].copy_from_slice(&(1u64 << 40).to_le_bytes()); // count
    recrc(&mut bytes);
    let r = Container::from_bytes(&bytes);
    assert!(matches!(r, Err(ContainerError::Invalid { .. })), "{r:?}");
}

#[test]
fn nan_and_inf_weights_are_errors() {
    for bad in [f32::NAN, f32::INFINITY, f32::NEG_INFINITY] {
        let t = Tensor {
            name: "w".into(),
            dtype: DType::F32,
            shape: vec![3],
            data: TensorData::Float(vec![0.1, bad, 0.2]),
        };
        let r = encode_tensor(&t, 8, KChoice::Auto);
        assert!(matches!(r, Err(ContainerError::Quantize { .. })), "{r:?}");
        assert!(r.unwrap_err().to_string().contains("`w`"));
    }
}

#[test]
fn best_k_is_the_minimum_over_all_k() {
    let mut rng = ChaCha8Rng::seed_from_u64(3);
    for scale in [0.5f64, 3.0, 40.0, 2000.0] {
        let idx: Vec<u32> = (0..2000)
            .map(|_| (rng.random::<f64>().powi(3) * scale) as u32)
            .collect();
        let (k, bits) = best_k(&idx);
        let all: Vec<u64> = (0..=expgolomb::MAX_K)
            .map(|k| expgolomb::encoded_bits(&idx, k))
            .collect();
        assert_eq!(bits, *all.iter().min().unwrap());
        assert_eq!(all.iter().position(|&b| b == bits).unwrap() as u32, k);
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 128, ..ProptestConfig::default() })]

    #[test]
    fn prop_round_trip(w in prop::collection::vec(-8.0f32..8.0, 0..200), step in 0u32..=16, k in 0u32..=16, code in 0usize..4) {
        let kc = if k == 16 { KChoice::Auto } else { KChoice::Fixed(k) };
        let choice = [CodeChoice::ExpGolomb(kc), CodeChoice::Fixed, CodeChoice::Huffman, CodeChoice::Auto(kc)][code];
        let t = Tensor { name: "p".into(), dtype: DType::F32, shape: vec![w.len()], data: TensorData::Float(w) };
        let bytes = encode_model(std::slice::from_ref(&t), step, choice);
        let back = parse_and_decode(&bytes).unwrap();
        prop_assert_eq!(&back[0], &expected(&t, step));
        // decode_quantized gives the q values themselves.
        let c = Container::from_bytes(&bytes).unwrap();
        if let Body::Coded(coded) = &c.entries[0].body {
            let q = decode_quantized("p", coded).unwrap();
            let TensorData::Float(w) = &t.data else { unreachable!() };
            prop_assert_eq!(q, w.iter().map(|&x| quantize(x, step)).collect::<Vec<_>>());
        } else {
            prop_assert!(false, "float tensor stored raw");
        }
    }

    #[test]
    fn prop_bit_flips_are_errors(flips in prop::collection::vec(any::<prop::sample::Index>(), 1..4), code in 0..CHOICES.len()) {
        let bytes = encode_model(&small_model(), 8, CHOICES[code]);
        let mut b = bytes.clone();
        let mut positions: Vec<usize> = flips.iter().map(|i| i.index(bytes.len() * 8)).collect();
        positions.sort_unstable();
        positions.dedup();
        for p in &positions {
            b[p / 8] ^= 0x80 >> (p % 8);
        }
        // Up to 3 flipped bits: every structure is CRC-covered (CRC-32 detects any 3-bit error at
        // these lengths) or range-checked.
        prop_assert!(parse_and_decode(&b).is_err(), "flips {:?} not detected", positions);
    }

    #[test]
    fn prop_truncated_or_garbage_never_panics(cut in any::<prop::sample::Index>(), tail in prop::collection::vec(any::<u8>(), 0..64), code in 0..CHOICES.len()) {
        let bytes = encode_model(&small_model(), 8, CHOICES[code]);
        let n = cut.index(bytes.len());
        let mut b = bytes[..n].to_vec();
        b.extend_from_slice(&tail);
        prop_assert!(parse_and_decode(&b).is_err());
    }

    #[test]
    fn prop_random_bytes_after_a_valid_header_never_panic(body in prop::collection::vec(any::<u8>(), 0..256), count in 0u32..4, version in 1u8..=2) {
        let mut b = vec![b'B', b'S', b'Z', 0, version, 0, 0, 0];
        b.extend_from_slice(&count.to_le_bytes());
        let h = crc32fast::hash(&b);
        b.extend_from_slice(&h.to_le_bytes());
        b.extend_from_slice(&body);
        let _ = parse_and_decode(&b);
    }

    /// A coded descriptor of any code with random code parameter, code lengths and payload behind
    /// valid CRCs: an error or a tensor, never a panic; what decodes re-encodes to the same bytes.
    #[test]
    fn prop_random_code_fields_never_panic(
        id in 0u8..4, param in any::<u8>(), lengths in prop::collection::vec(0u8..27, 0..6),
        map_len in 0usize..6, count in 0u64..12, payload in prop::collection::vec(any::<u8>(), 0..6),
        bit_slack in 0u64..8, version in 1u8..=2,
    ) {
        let map: Vec<i32> = (0..map_len as i32).collect();
        let payload_bits = (payload.len() as u64 * 8).saturating_sub(bit_slack);
        let payload_len = payload_bits.div_ceil(8);
        let mut d = vec![1, 0, b'x', DType::F32.code(), 1, 1];
        d.extend_from_slice(&count.to_le_bytes());
        d.extend_from_slice(&payload_len.to_le_bytes());
        d.extend_from_slice(&[4, id, param, 0]);
        d.extend_from_slice(&count.to_le_bytes());
        d.extend_from_slice(&payload_bits.to_le_bytes());
        d.extend_from_slice(&(map_len as u32).to_le_bytes());
        for v in &map {
            d.extend_from_slice(&v.to_le_bytes());
        }
        d.extend_from_slice(&lengths);
        let mut b = vec![b'B', b'S', b'Z', 0, version, 0, 1, 0, 0, 0];
        b.truncate(8);
        b.extend_from_slice(&1u32.to_le_bytes());
        let h = crc32fast::hash(&b);
        b.extend_from_slice(&h.to_le_bytes());
        let mut rec = (d.len() as u32).to_le_bytes().to_vec();
        rec.extend_from_slice(&d);
        let dc = crc32fast::hash(&rec);
        b.extend_from_slice(&rec);
        b.extend_from_slice(&dc.to_le_bytes());
        let p = &payload[..payload_len as usize];
        b.extend_from_slice(p);
        b.extend_from_slice(&crc32fast::hash(p).to_le_bytes());
        if let Ok(c) = Container::from_bytes(&b) {
            prop_assert!(c.to_bytes().unwrap() == with_version(&b, VERSION));
            if let Ok(t) = c.entries[0].decode() {
                let TensorData::Float(w) = &t.data else { panic!("coded tensor decodes to floats") };
                prop_assert_eq!(w.len() as u64, count);
            }
        }
    }
}

/// A tensor of more than 2^CHUNK_SHIFT weights is written as chunks with an index: every code
/// round-trips across the chunk boundaries, the index is checked on reading, and a chunk that does
/// not end where the next starts is an error.
#[test]
fn chunk_index_round_trips_and_is_checked() {
    let mut rng = ChaCha8Rng::seed_from_u64(11);
    let n = 5 * (1 << CHUNK_SHIFT) + 123; // 6 chunks: one group of four and one of two
    let t = Tensor {
        name: "big".into(),
        dtype: DType::F32,
        shape: vec![n],
        data: TensorData::Float(weights(&mut rng, n)),
    };
    for choice in CHOICES {
        let e = encode_tensor(&t, 8, choice).unwrap();
        let Body::Coded(c) = &e.body else { panic!("coded") };
        assert_eq!(c.chunk_shift, CHUNK_SHIFT, "{choice:?}");
        assert_eq!(c.chunk_starts.len(), 5, "{choice:?}");
        // Each chunk decodes alone from its start to the next.
        let q = decode_quantized("big", c).unwrap();
        let want: Vec<i32> = match &t.data {
            TensorData::Float(w) => w.iter().map(|&x| quantize(x, 8)).collect(),
            _ => unreachable!(),
        };
        assert_eq!(q, want, "{choice:?}");
        let bytes = Container {
            entries: vec![e.clone()],
        }
        .to_bytes()
        .unwrap();
        assert_eq!(parse_and_decode(&bytes).unwrap()[0], expected(&t, 8), "{choice:?}");

        // The index is the last 5 × 8 bytes of the descriptor.
        let dl = u32::from_le_bytes(bytes[16..20].try_into().unwrap()) as usize;
        let index_at = 20 + dl - 5 * 8;
        let start =
            |b: &[u8], j: usize| u64::from_le_bytes(b[index_at + 8 * j..index_at + 8 * j + 8].try_into().unwrap());
        assert_eq!(start(&bytes, 0), c.chunk_starts[0]);
        let rewrite = |j: usize, v: u64| {
            let mut b = bytes.clone();
            b[index_at + 8 * j..index_at + 8 * j + 8].copy_from_slice(&v.to_le_bytes());
            recrc(&mut b);
            b
        };
        // Out of order or past the payload: rejected by the reader.
        for (j, v) in [
            (0, 1u64 << (CHUNK_SHIFT - 1)),
            (2, start(&bytes, 1)),
            (4, c.payload_bits + 1),
        ] {
            let r = Container::from_bytes(&rewrite(j, v));
            assert!(
                matches!(r, Err(ContainerError::Invalid { .. })),
                "{choice:?} chunk {j} at {v}: {r:?}"
            );
        }
        // In range but not where the chunk before ends: a decode error or non-canonical.
        for j in 0..5 {
            let r = parse_and_decode(&rewrite(j, start(&bytes, j) + 1));
            assert!(
                matches!(
                    r,
                    Err(ContainerError::NonCanonical { .. }
                        | ContainerError::Decode { .. }
                        | ContainerError::HuffmanDecode { .. }
                        | ContainerError::FixedDecode { .. }
                        | ContainerError::IndexOutOfMap { .. })
                ),
                "{choice:?} chunk {j} moved: {r:?}"
            );
        }
        // A version 2 file has no chunk index: its reserved byte must be 0.
        let r = Container::from_bytes(&with_version(&bytes, 2));
        assert!(
            matches!(&r, Err(ContainerError::Invalid { what, .. }) if what.contains("reserved")),
            "{choice:?}: {r:?}"
        );
        // A truncated index.
        let r = Container::from_bytes(&bytes[..index_at + 12]);
        assert!(r.is_err(), "{choice:?}");
    }
}

/// Decoding errors inside a chunked tensor give the tensor-wide symbol index.
#[test]
fn chunk_errors_name_the_tensor_wide_symbol() {
    // EG(0) of 2^CHUNK_SHIFT + 1 zeros ("1" each), then symbol 16385 given 40 leading zeros.
    let n = (1usize << CHUNK_SHIFT) + 2;
    let mut bits: Vec<bool> = vec![true; n - 1];
    bits.extend(std::iter::repeat_n(false, 40));
    bits.push(true);
    let payload_bits = bits.len() as u64;
    let mut payload = vec![0u8; bits.len().div_ceil(8)];
    for (i, &b) in bits.iter().enumerate() {
        if b {
            payload[i / 8] |= 0x80 >> (i % 8);
        }
    }
    let c = Coded {
        step_bits: 8,
        code: Code::ExpGolomb { k: 0 },
        map: vec![0, 1],
        count: n as u64,
        payload_bits,
        payload,
        chunk_shift: CHUNK_SHIFT,
        chunk_starts: vec![1 << CHUNK_SHIFT],
    };
    let r = decode_quantized("t", &c);
    assert!(
        matches!(
            r,
            Err(ContainerError::Decode {
                source: golden::expgolomb::EgError::PrefixTooLong { index, position, .. },
                ..
            }) if index == n - 1 && position == n as u64 - 1
        ),
        "{r:?}"
    );
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 24, ..ProptestConfig::default() })]

    /// The writer's payload (chunks written on every core from a codeword table) is bit for bit
    /// the bit-at-a-time reference: each index's codeword in order, a chunk every 2^CHUNK_SHIFT
    /// symbols starting where the index says.
    #[test]
    fn prop_payload_is_the_reference_encoding(
        n in 0usize..(3 << CHUNK_SHIFT) + 7,
        scale in 0.001f32..2.0,
        step in 0u32..=12,
        code in 0usize..4,
        seed in any::<u64>(),
    ) {
        use golden::bits::{BitSink, RefWriter};
        use golden::huffman::HuffmanCode;
        use golden::valuemap::ValueMap;
        let mut rng = ChaCha8Rng::seed_from_u64(seed);
        let w: Vec<f32> = weights(&mut rng, n).iter().map(|x| x * scale / 0.05).collect();
        let choice = [CodeChoice::ExpGolomb(KChoice::Auto), CodeChoice::Fixed, CodeChoice::Huffman, CodeChoice::Auto(KChoice::Auto)][code];
        let c = golden::container::encode_floats("t", &w, step, choice).unwrap();
        let q: Vec<i32> = w.iter().map(|&x| quantize(x, step)).collect();
        let map = ValueMap::from_quantized(&q);
        prop_assert_eq!(map.values(), &c.map[..]);
        let idx = map.to_indices(&q).unwrap();
        let h = match &c.code {
            Code::Huffman { lengths } if !idx.is_empty() => Some(HuffmanCode::from_lengths(lengths.clone()).unwrap()),
            _ => None,
        };
        let mut r = RefWriter::new();
        let mut starts = Vec::new();
        for (i, &v) in idx.iter().enumerate() {
            if i > 0 && c.chunk_shift > 0 && i % (1 << c.chunk_shift) == 0 {
                starts.push(r.bit_len());
            }
            match &c.code {
                Code::ExpGolomb { k } => expgolomb::write(&mut r, v, *k),
                Code::Fixed { bits } => r.put(u64::from(v), *bits),
                Code::Huffman { .. } => {
                    let h = h.as_ref().unwrap();
                    r.put(u64::from(h.codes()[v as usize]), u32::from(h.lengths()[v as usize]));
                }
            }
        }
        prop_assert_eq!(c.chunk_shift, if n > 1 << CHUNK_SHIFT { CHUNK_SHIFT } else { 0 });
        prop_assert_eq!(&starts, &c.chunk_starts);
        prop_assert_eq!(r.bit_len(), c.payload_bits);
        prop_assert!(r.finish() == c.payload);
    }
}
