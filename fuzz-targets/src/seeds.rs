//! Small valid inputs for each target, built with the project's own encoders: the starting corpus
//! of the fuzzer (`examples/write_seeds.rs` writes them to a directory) and always replayed by
//! `tests/replay.rs`, so every check of a target is also run on inputs that decode.

use golden::container::{encode_tensor, Body, Code, CodeChoice, Coded, Container, Entry, KChoice};
use golden::expgolomb;
use golden::huffman::HuffmanCode;
use golden::tensors::{write_safetensors, DType, Tensor, TensorData};
use hdl::uart_bridge::protocol::{encode_raw, Request};

/// The seeds of the target called `name` (empty for an unknown name).
pub fn seeds(name: &str) -> Vec<Vec<u8>> {
    match name {
        "container" => container(),
        "eg" => eg(),
        "huffman" => huffman(),
        "safetensors" => safetensors(),
        "uart" => uart(),
        _ => Vec::new(),
    }
}

fn float(name: &str, dtype: DType, shape: Vec<usize>, w: Vec<f32>) -> Tensor {
    Tensor {
        name: name.into(),
        dtype,
        shape,
        data: TensorData::Float(w),
    }
}

fn sample_tensors() -> Vec<Tensor> {
    vec![
        float("w", DType::F32, vec![2, 3], vec![0.5, -0.25, 0.0, 0.0, 0.5, 1.0]),
        float("b", DType::F16, vec![3], vec![0.0, 0.0, -2.0]),
        float("s", DType::BF16, vec![], vec![3.0]),
        Tensor {
            name: "ids".into(),
            dtype: DType::I64,
            shape: vec![2],
            data: TensorData::Raw([1u8, 0, 0, 0, 0, 0, 0, 0, 2, 0, 0, 0, 0, 0, 0, 0].to_vec()),
        },
        Tensor {
            name: "mask".into(),
            dtype: DType::BOOL,
            shape: vec![1, 2],
            data: TensorData::Raw(vec![1, 0]),
        },
    ]
}

fn container() -> Vec<Vec<u8>> {
    let ts = sample_tensors();
    let mut out = vec![Container::default().to_bytes().expect("empty container")];
    for (i, k) in [KChoice::Auto, KChoice::Fixed(0), KChoice::Fixed(3)]
        .into_iter()
        .enumerate()
    {
        let entries = ts
            .iter()
            .skip(i)
            .map(|t| encode_tensor(t, 4 + i as u32, k).expect("seed tensor encodes"))
            .collect();
        out.push(Container { entries }.to_bytes().expect("seed container"));
    }
    for t in &ts {
        let e = encode_tensor(t, 8, KChoice::Auto).expect("seed tensor encodes");
        out.push(Container { entries: vec![e] }.to_bytes().expect("seed container"));
    }
    // The fixed-length and Huffman codes (code ids 1 and 2), alone and mixed with the others.
    for code in [CodeChoice::Fixed, CodeChoice::Huffman, CodeChoice::Auto(KChoice::Auto)] {
        let entries = ts
            .iter()
            .map(|t| encode_tensor(t, 6, code).expect("seed tensor encodes"))
            .collect();
        out.push(Container { entries }.to_bytes().expect("seed container"));
    }
    // Edge cases of the new codes: one-value and empty tensors (fixed width 1, Huffman length 1,
    // no code lengths) and an incomplete Huffman code (lengths 1, 2: the pattern 11 is invalid).
    let one = float("one", DType::F32, vec![5], vec![0.5; 5]);
    let empty = float("none", DType::F32, vec![0, 2], vec![]);
    for code in [CodeChoice::Fixed, CodeChoice::Huffman] {
        let entries = [&one, &empty]
            .iter()
            .map(|t| encode_tensor(t, 3, code).expect("seed tensor encodes"))
            .collect();
        out.push(Container { entries }.to_bytes().expect("seed container"));
    }
    let incomplete = Entry {
        name: "inc".into(),
        dtype: DType::BF16,
        shape: vec![3],
        body: Body::Coded(Coded {
            step_bits: 2,
            code: Code::Huffman { lengths: vec![1, 2] },
            map: vec![-1, 4],
            count: 3,
            payload_bits: 4,
            payload: vec![0b0100_0000], // 0, 10, 0,
            chunk_shift: 0,
            chunk_starts: Vec::new(),
        }),
    };
    out.push(
        Container {
            entries: vec![incomplete],
        }
        .to_bytes()
        .expect("seed container"),
    );
    // A chunk index: 2100 EG(0) zeros (one "1" bit each) in chunks of 2^10, starting at bits 0,
    // 1024 and 2048.
    let n = 2100usize;
    let mut payload = vec![0xffu8; n / 8];
    payload.push(0xf0);
    let chunked = Entry {
        name: "chunked".into(),
        dtype: DType::F32,
        shape: vec![n],
        body: Body::Coded(Coded {
            step_bits: 4,
            code: Code::ExpGolomb { k: 0 },
            map: vec![3],
            count: n as u64,
            payload_bits: n as u64,
            payload,
            chunk_shift: golden::container::MIN_CHUNK_SHIFT,
            chunk_starts: vec![1024, 2048],
        }),
    };
    out.push(Container { entries: vec![chunked] }.to_bytes().expect("seed container"));
    // A version 1 file (EG only: the same bytes with version 1 in the header, CRC recomputed).
    let mut v1 = out[1].clone();
    v1[4..6].copy_from_slice(&golden::container::VERSION_1.to_le_bytes());
    let crc = golden::testing::crc32(&v1[..12]);
    v1[12..16].copy_from_slice(&crc.to_le_bytes());
    out.push(v1);
    // A version 2 file (no chunk index: the same bytes with version 2).
    let mut v2 = out[2].clone();
    v2[4..6].copy_from_slice(&golden::container::VERSION_2.to_le_bytes());
    let crc = golden::testing::crc32(&v2[..12]);
    v2[12..16].copy_from_slice(&crc.to_le_bytes());
    out.push(v2);
    out
}

fn eg() -> Vec<Vec<u8>> {
    let values: Vec<u32> = vec![0, 1, 2, 3, 0, 7, 100, 0, 1, 65535, 5, 0];
    let mut out = Vec::new();
    for k in [0u32, 1, 2, 3, 5, 8, 15] {
        let mut s = vec![k as u8];
        s.extend_from_slice(&(values.len() as u16).to_le_bytes());
        s.extend_from_slice(&expgolomb::encode(&values, k));
        out.push(s);
    }
    let mut big = vec![0u8];
    big.extend_from_slice(&1u16.to_le_bytes());
    big.extend_from_slice(&expgolomb::encode(&[u32::MAX], 0));
    out.push(big);
    out
}

fn huffman() -> Vec<Vec<u8>> {
    let symbols: Vec<u32> = vec![0, 0, 0, 1, 1, 2, 3, 0, 4, 0, 1, 0];
    let mut counts = vec![0u64; 5];
    for &s in &symbols {
        counts[s as usize] += 1;
    }
    let code = HuffmanCode::from_counts(&counts).expect("seed code");
    let mut a = vec![0u8, (code.lengths().len() - 1) as u8];
    a.extend_from_slice(code.lengths());
    a.extend_from_slice(&(symbols.len() as u16).to_le_bytes());
    a.extend_from_slice(&code.encode(&symbols).expect("seed symbols"));
    let mut b = vec![1u8, symbols.len() as u8];
    b.extend(symbols.iter().map(|&s| s as u8));
    b.extend_from_slice(&code.encode(&symbols).expect("seed symbols"));
    // An incomplete code (lengths 1, 2) and a single-symbol code.
    let c = vec![0u8, 1, 1, 2, 4, 0, 0b0100_1010];
    let d = vec![0u8, 0, 1, 8, 0, 0];
    vec![a, b, c, d]
}

fn safetensors() -> Vec<Vec<u8>> {
    let ts = sample_tensors();
    let mut out = vec![write_safetensors(&ts).expect("seed model")];
    for t in ts {
        out.push(write_safetensors(&[t]).expect("seed model"));
    }
    out.push(write_safetensors(&[]).expect("empty model"));
    out
}

fn uart() -> Vec<Vec<u8>> {
    let frames = [
        Request::Ping.encode(),
        Request::Read { addr: 0x0002 }.encode(),
        Request::Write {
            addr: 0x8001,
            data: 0xdead_beef,
        }
        .encode(),
        encode_raw(0x7f, 0x1234, 5),
    ];
    let mut all = vec![8u8, 0];
    for f in &frames {
        all.extend_from_slice(f);
    }
    let mut bad_crc = vec![9u8, 1];
    let mut f = Request::Write { addr: 3, data: 4 }.encode();
    f[8] ^= 1;
    bad_crc.extend_from_slice(&f);
    let mut garbage = vec![17u8, 3, 0x00, 0xa5, 0xa5, 0x5a];
    garbage.extend_from_slice(&Request::Ping.encode());
    vec![all, bad_crc, garbage]
}
