//! The BSZ container (golden::container) and safetensors I/O (golden::tensors): round trips,
//! a known-answer vector written from docs/format.md by hand, and robustness against truncated,
//! corrupted and hostile input (errors, never panics or huge allocations).

use golden::container::{
    best_k, decode_quantized, encode_tensor, Body, Code, Coded, Container, ContainerError, Entry, KChoice,
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

fn encode_model(ts: &[Tensor], step_bits: u32, k: KChoice) -> Vec<u8> {
    let entries = ts.iter().map(|t| encode_tensor(t, step_bits, k).unwrap()).collect();
    Container { entries }.to_bytes().unwrap()
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
        for k in [KChoice::Fixed(0), KChoice::Fixed(3), KChoice::Fixed(15), KChoice::Auto] {
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

    let mut want = vec![b'B', b'S', b'Z', 0, 1, 0, 0, 0, 1, 0, 0, 0];
    let h = crc32fast::hash(&want);
    want.extend_from_slice(&h.to_le_bytes());
    let mut desc = vec![1, 0, b'w', 9, 1, 1];
    desc.extend_from_slice(&4u64.to_le_bytes()); // shape [4]
    desc.extend_from_slice(&1u64.to_le_bytes()); // payload_len
    desc.extend_from_slice(&[1, 0, 0, 0]); // step bits 1, code EG, k 0, reserved
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
}

#[test]
fn every_truncation_is_an_error() {
    let bytes = encode_model(&small_model(), 8, KChoice::Auto);
    for len in 0..bytes.len() {
        assert!(
            parse_and_decode(&bytes[..len]).is_err(),
            "prefix of {len} bytes accepted"
        );
    }
    let mut longer = bytes.clone();
    longer.push(0);
    assert!(matches!(
        Container::from_bytes(&longer),
        Err(ContainerError::TrailingBytes { .. })
    ));
}

#[test]
fn every_single_bit_flip_is_detected() {
    let bytes = encode_model(&small_model(), 6, KChoice::Fixed(1));
    for bit in 0..bytes.len() * 8 {
        let mut b = bytes.clone();
        b[bit / 8] ^= 0x80 >> (bit % 8);
        assert!(parse_and_decode(&b).is_err(), "flip of bit {bit} not detected");
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
        ("version", 4, vec![2, 0]),
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
        ("reserved", d + 3 + 27, vec![1]),
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
    fn prop_round_trip(w in prop::collection::vec(-8.0f32..8.0, 0..200), step in 0u32..=16, k in 0u32..=16) {
        let kc = if k == 16 { KChoice::Auto } else { KChoice::Fixed(k) };
        let t = Tensor { name: "p".into(), dtype: DType::F32, shape: vec![w.len()], data: TensorData::Float(w) };
        let bytes = encode_model(std::slice::from_ref(&t), step, kc);
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
    fn prop_bit_flips_are_errors(flips in prop::collection::vec(any::<prop::sample::Index>(), 1..4)) {
        let bytes = encode_model(&small_model(), 8, KChoice::Auto);
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
    fn prop_truncated_or_garbage_never_panics(cut in any::<prop::sample::Index>(), tail in prop::collection::vec(any::<u8>(), 0..64)) {
        let bytes = encode_model(&small_model(), 8, KChoice::Fixed(2));
        let n = cut.index(bytes.len());
        let mut b = bytes[..n].to_vec();
        b.extend_from_slice(&tail);
        prop_assert!(parse_and_decode(&b).is_err());
    }

    #[test]
    fn prop_random_bytes_after_a_valid_header_never_panic(body in prop::collection::vec(any::<u8>(), 0..256), count in 0u32..4) {
        let mut b = vec![b'B', b'S', b'Z', 0, 1, 0, 0, 0];
        b.extend_from_slice(&count.to_le_bytes());
        let h = crc32fast::hash(&b);
        b.extend_from_slice(&h.to_le_bytes());
        b.extend_from_slice(&body);
        let _ = parse_and_decode(&b);
    }
}
