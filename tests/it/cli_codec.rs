//! The codec CLI end to end (`stats`, `encode`, `decode`, `inspect`, `eg`), run as a user would with
//! assert_cmd on small safetensors files made here; every bad input must give one `error:` line, a
//! non-zero exit and no output file. The ignored test `minilm_real_model` (run by `make bench`,
//! which fetches the model first with `make minilm`) checks the codec on all-MiniLM-L6-v2.

use assert_cmd::Command;
use golden::quant::{dequantize, quantize};
use golden::tensors::{read_safetensors, write_safetensors, DType, Tensor, TensorData};
use std::path::{Path, PathBuf};

fn bin() -> Command {
    Command::cargo_bin("backslash").expect("the backslash binary")
}

/// f32 -> IEEE half bits, for values exactly representable as normal halves (test data only).
fn f16_bits(x: f32) -> u16 {
    if x == 0.0 {
        return 0;
    }
    let b = x.to_bits();
    let sign = ((b >> 16) & 0x8000) as u16;
    let exp = ((b >> 23) & 0xff) as i32 - 127 + 15;
    assert!(
        (1..31).contains(&exp) && b & 0x1fff == 0,
        "{x} is not an exact normal half"
    );
    sign | ((exp as u16) << 10) | ((b >> 13) & 0x3ff) as u16
}

/// f32 -> bfloat16 bits, for values exactly representable (test data only).
fn bf16_bits(x: f32) -> u16 {
    assert_eq!(x.to_bits() & 0xffff, 0, "{x} is not an exact bfloat16");
    (x.to_bits() >> 16) as u16
}

/// Deterministic weights that are exact in F16 and BF16: multiples of 2^-10 in (-0.25, 0.25),
/// peaked at zero.
fn weights(n: usize, seed: u32) -> Vec<f32> {
    let mut s = seed.wrapping_mul(2654435761).wrapping_add(12345);
    (0..n)
        .map(|_| {
            s = s.wrapping_mul(1664525).wrapping_add(1013904223);
            let u = (s >> 8) as i32 % 256 - 128; // -128..127, uniform
            let v = (u * u.abs()) / 128; // peaked
            v as f32 / 1024.0
        })
        .collect()
}

/// A model with one tensor per float dtype (the values as `f32`) plus an I64 and a BOOL tensor.
fn model() -> (Vec<Tensor>, Vec<(String, Vec<f32>)>) {
    let w32 = weights(64 * 24, 1);
    let w16 = weights(40, 2);
    let wb16 = weights(33, 3);
    let raw16: Vec<u8> = w16.iter().flat_map(|&x| f16_bits(x).to_le_bytes()).collect();
    let rawb16: Vec<u8> = wb16.iter().flat_map(|&x| bf16_bits(x).to_le_bytes()).collect();
    let tensors = vec![
        Tensor {
            name: "dense.weight".into(),
            dtype: DType::F32,
            shape: vec![64, 24],
            data: TensorData::Float(w32.clone()),
        },
        Tensor {
            name: "half.bias".into(),
            dtype: DType::F16,
            shape: vec![40],
            data: TensorData::Raw(raw16),
        },
        Tensor {
            name: "brain.norm".into(),
            dtype: DType::BF16,
            shape: vec![3, 11],
            data: TensorData::Raw(rawb16),
        },
        Tensor {
            name: "position_ids".into(),
            dtype: DType::I64,
            shape: vec![1, 4],
            data: TensorData::Raw((0i64..4).flat_map(|v| v.to_le_bytes()).collect()),
        },
        Tensor {
            name: "mask".into(),
            dtype: DType::BOOL,
            shape: vec![3],
            data: TensorData::Raw(vec![1, 0, 1]),
        },
    ];
    let floats = vec![
        ("dense.weight".into(), w32),
        ("half.bias".into(), w16),
        ("brain.norm".into(), wb16),
    ];
    (tensors, floats)
}

fn write_model(dir: &Path) -> PathBuf {
    let p = dir.join("model.safetensors");
    std::fs::write(&p, write_safetensors(&model().0).unwrap()).unwrap();
    p
}

/// Runs a command that must fail: exit status non-zero, exactly one stderr line, starting with
/// `error: ` and containing `needle`; returns that line.
fn assert_one_error(cmd: &mut Command, needle: &str) -> String {
    let out = cmd.output().unwrap();
    assert!(!out.status.success(), "command succeeded");
    let err = String::from_utf8_lossy(&out.stderr);
    let lines: Vec<&str> = err.lines().filter(|l| !l.trim().is_empty()).collect();
    assert_eq!(lines.len(), 1, "stderr is not one line: {err:?}");
    assert!(lines[0].starts_with("error: "), "{err:?}");
    assert!(
        lines[0].to_lowercase().contains(&needle.to_lowercase()),
        "{err:?} lacks {needle:?}"
    );
    lines[0].to_string()
}

fn decode_check(decoded: &Path, step_bits: u32) {
    let back = read_safetensors(&std::fs::read(decoded).unwrap()).unwrap();
    let (tensors, floats) = model();
    assert_eq!(back.len(), tensors.len());
    for (name, w) in floats {
        let t = back.iter().find(|t| t.name == name).unwrap();
        assert_eq!(t.dtype, DType::F32, "{name}: decoded as F32");
        let want: Vec<f32> = w
            .iter()
            .map(|&x| dequantize(quantize(x, step_bits), step_bits))
            .collect();
        assert_eq!(t.data, TensorData::Float(want), "{name}");
    }
    for raw in tensors.iter().filter(|t| matches!(t.dtype, DType::I64 | DType::BOOL)) {
        assert_eq!(
            back.iter().find(|t| t.name == raw.name).unwrap(),
            raw,
            "raw tensors unchanged"
        );
    }
}

#[test]
fn encode_decode_round_trip_f32_f16_bf16() {
    let dir = tempfile::tempdir().unwrap();
    let m = write_model(dir.path());
    for (step, k) in [(8, "auto"), (10, "3"), (4, "0"), (0, "15")] {
        let bsz = dir.path().join(format!("m{step}.bsz"));
        let out = dir.path().join(format!("m{step}.safetensors"));
        bin()
            .args([
                "encode",
                m.to_str().unwrap(),
                "-o",
                bsz.to_str().unwrap(),
                "--step-bits",
                &step.to_string(),
                "--k",
                k,
            ])
            .assert()
            .success();
        bin()
            .args(["decode", bsz.to_str().unwrap(), "-o", out.to_str().unwrap()])
            .assert()
            .success();
        decode_check(&out, step);
    }
}

#[test]
fn stats_json_parses_and_is_consistent() {
    let dir = tempfile::tempdir().unwrap();
    let m = write_model(dir.path());
    let out = bin().args(["stats", m.to_str().unwrap(), "--json"]).output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["step_bits"], 8);
    let tensors = v["tensors"].as_array().unwrap();
    assert_eq!(tensors.len(), 3, "three float tensors");
    let mut skipped: Vec<&str> = v["skipped"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s.as_str().unwrap())
        .collect();
    skipped.sort();
    assert_eq!(skipped, ["mask", "position_ids"]);
    let mut params = 0;
    for t in tensors.iter().chain(std::iter::once(&v["total"])) {
        let eg: Vec<f64> = t["eg_bits_per_weight"]
            .as_array()
            .unwrap()
            .iter()
            .map(|x| x.as_f64().unwrap())
            .collect();
        assert_eq!(eg.len(), 6);
        let best = t["best_k_bits_per_weight"].as_f64().unwrap();
        assert!(eg.iter().all(|&e| best <= e + 1e-12), "{t}");
        let h = t["huffman_bits_per_weight"].as_f64().unwrap();
        let ent = t["entropy_bits_per_weight"].as_f64().unwrap();
        assert!(h >= ent - 1e-9 && h < ent + 1.0, "Huffman {h} vs entropy {ent}");
        let fixed = t["fixed_bits_per_weight"].as_f64().unwrap();
        let pct = t["huffman_pct_of_fixed"].as_f64().unwrap();
        assert!((pct - 100.0 * h / fixed).abs() < 1e-9);
        if t["name"] != "TOTAL" {
            params += t["params"].as_u64().unwrap();
            let nu = t["nu"].as_f64().unwrap();
            assert!((0.05..=8.0).contains(&nu));
            let d = t["distinct"].as_u64().unwrap();
            assert_eq!(fixed, (d as f64).log2().ceil());
        }
    }
    assert_eq!(v["total"]["params"].as_u64().unwrap(), params);
    assert_eq!(params, 64 * 24 + 40 + 33);
    // The EG bits of the table are what `encode --code eg --k K` writes.
    let bsz = dir.path().join("m.bsz");
    bin()
        .args([
            "encode",
            m.to_str().unwrap(),
            "-o",
            bsz.to_str().unwrap(),
            "--code",
            "eg",
            "--k",
            "2",
        ])
        .assert()
        .success();
    let info = bin()
        .args(["inspect", bsz.to_str().unwrap(), "--json"])
        .output()
        .unwrap();
    let info: serde_json::Value = serde_json::from_slice(&info.stdout).unwrap();
    let bits = info["coded_payload_bits"].as_u64().unwrap() as f64;
    let eg2 = v["total"]["eg_bits_per_weight"][2].as_f64().unwrap();
    assert!((bits / params as f64 - eg2).abs() < 1e-9, "{bits} vs {eg2}");

    // The human table.
    let out = bin()
        .args(["stats", m.to_str().unwrap(), "--step-bits", "6"])
        .output()
        .unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(
        text.contains("TOTAL") && text.contains("dense.weight") && text.contains("% of fixed-length"),
        "{text}"
    );
}

#[test]
fn stats_prints_dash_for_an_undefined_shape() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("c.safetensors");
    let ts = vec![
        Tensor {
            name: "const".into(),
            dtype: DType::F32,
            shape: vec![8],
            data: TensorData::Float(vec![0.5; 8]),
        },
        Tensor {
            name: "w".into(),
            dtype: DType::F32,
            shape: vec![300],
            data: TensorData::Float(weights(300, 9)),
        },
    ];
    std::fs::write(&p, write_safetensors(&ts).unwrap()).unwrap();
    let out = bin().args(["stats", p.to_str().unwrap(), "--json"]).output().unwrap();
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let c = v["tensors"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["name"] == "const")
        .unwrap()
        .clone();
    assert!(c["nu"].is_null());
    assert_eq!(c["distinct"], 1);
    let out = bin().args(["stats", p.to_str().unwrap()]).output().unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    let line = text.lines().find(|l| l.starts_with("const ")).unwrap();
    assert_eq!(line.split_whitespace().nth(2), Some("-"), "{line}");
}

#[test]
fn inspect_describes_and_verifies() {
    let dir = tempfile::tempdir().unwrap();
    let m = write_model(dir.path());
    let bsz = dir.path().join("m.bsz");
    bin()
        .args(["encode", m.to_str().unwrap(), "-o", bsz.to_str().unwrap()])
        .assert()
        .success();
    let out = bin().args(["inspect", bsz.to_str().unwrap()]).output().unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(
        text.contains("BSZ") && text.contains("verified") && text.contains("half.bias"),
        "{text}"
    );
    let out = bin()
        .args(["inspect", bsz.to_str().unwrap(), "--json"])
        .output()
        .unwrap();
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["tensors"], 5);
    assert_eq!(v["version"], golden::container::VERSION);
    assert_eq!(
        v["file_bytes"].as_u64().unwrap(),
        std::fs::metadata(&bsz).unwrap().len()
    );
    let recs = v["records"].as_array().unwrap();
    let half = recs.iter().find(|r| r["name"] == "half.bias").unwrap();
    assert_eq!(half["dtype"], "F16");
    assert_eq!(half["storage"], "coded");
    let ids = recs.iter().find(|r| r["name"] == "position_ids").unwrap();
    assert_eq!(ids["storage"], "raw");
    assert_eq!(ids["payload_bytes"], 32);
    let total: u64 = recs.iter().map(|r| r["record_bytes"].as_u64().unwrap()).sum();
    assert_eq!(total + 16, v["file_bytes"].as_u64().unwrap());
}

/// The records of `inspect --json` of a container.
fn inspect_records(bsz: &Path) -> Vec<serde_json::Value> {
    let out = bin()
        .args(["inspect", bsz.to_str().unwrap(), "--json"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["version"], golden::container::VERSION);
    v["records"].as_array().unwrap().clone()
}

/// `encode --code eg|fixed|huffman|auto`: every float tensor (F32, F16, BF16) is coded with that
/// code (`inspect` names it), the I64 and BOOL tensors are raw, `decode` gives back the quantized
/// weights for every code, and `auto` (the default) is never larger than any single code.
#[test]
fn every_code_round_trips_and_inspect_names_it() {
    let dir = tempfile::tempdir().unwrap();
    let m = write_model(dir.path());
    let mut sizes = Vec::new();
    for (code, prefix) in [("eg", "eg("), ("fixed", "fixed("), ("huffman", "huffman"), ("auto", "")] {
        let bsz = dir.path().join(format!("{code}.bsz"));
        let out = dir.path().join(format!("{code}.safetensors"));
        let enc = bin()
            .args([
                "encode",
                m.to_str().unwrap(),
                "-o",
                bsz.to_str().unwrap(),
                "--code",
                code,
            ])
            .output()
            .unwrap();
        assert!(enc.status.success(), "{}", String::from_utf8_lossy(&enc.stderr));
        let line = String::from_utf8(enc.stdout).unwrap();
        assert!(
            line.contains("3 coded") && line.contains("2 raw, 0 of them exact"),
            "{line}"
        );
        for r in inspect_records(&bsz) {
            let name = r["name"].as_str().unwrap();
            let c = r["code"].as_str().unwrap();
            match r["dtype"].as_str().unwrap() {
                "F32" | "F16" | "BF16" => {
                    assert_eq!(r["storage"], "coded", "{code}: {name}");
                    assert!(
                        c.starts_with(prefix) && ["eg(", "fixed(", "huffman"].iter().any(|p| c.starts_with(p)),
                        "{code}: {name} is {c}"
                    );
                    let table = r["code_table_bytes"].as_u64().unwrap();
                    let map = r["value_map_len"].as_u64().unwrap();
                    assert_eq!(table, if c == "huffman" { map } else { 0 }, "{code}: {name}");
                }
                _ => assert_eq!((r["storage"].as_str(), c), (Some("raw"), "raw"), "{code}: {name}"),
            }
        }
        bin()
            .args(["decode", bsz.to_str().unwrap(), "-o", out.to_str().unwrap()])
            .assert()
            .success();
        decode_check(&out, 8);
        sizes.push((code, std::fs::metadata(&bsz).unwrap().len()));
    }
    let auto = sizes.iter().find(|(c, _)| *c == "auto").unwrap().1;
    assert!(sizes.iter().all(|&(_, s)| auto <= s), "{sizes:?}");
    // The default is auto.
    let default = dir.path().join("default.bsz");
    bin()
        .args(["encode", m.to_str().unwrap(), "-o", default.to_str().unwrap()])
        .assert()
        .success();
    assert!(std::fs::read(&default).unwrap() == std::fs::read(dir.path().join("auto.bsz")).unwrap());
    // `--code eg --k 3` codes every float tensor with EG(3); the human table names the codes.
    let eg3 = dir.path().join("eg3.bsz");
    bin()
        .args([
            "encode",
            m.to_str().unwrap(),
            "-o",
            eg3.to_str().unwrap(),
            "--code",
            "eg",
            "--k",
            "3",
        ])
        .assert()
        .success();
    let codes: Vec<String> = inspect_records(&eg3)
        .iter()
        .filter(|r| r["storage"] == "coded")
        .map(|r| r["code"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(codes, ["eg(3)"; 3]);
    let text = bin()
        .args(["inspect", dir.path().join("huffman.bsz").to_str().unwrap()])
        .output()
        .unwrap();
    let text = String::from_utf8(text.stdout).unwrap();
    let row = text.lines().find(|l| l.starts_with("brain.norm")).unwrap();
    assert!(
        row.contains(" huffman ") && row.contains("BF16") && row.contains("coded"),
        "{row}"
    );
    let row = text.lines().find(|l| l.starts_with("position_ids")).unwrap();
    assert!(row.contains(" raw "), "{row}");
}

/// `--exact REGEX` keeps the float tensors it matches bit-exact: stored raw in their own dtype
/// (F16, BF16 here), decoded to the bytes of the source file; the others are coded as usual.
#[test]
fn exact_keeps_chosen_float_tensors_bit_exact() {
    let dir = tempfile::tempdir().unwrap();
    let m = write_model(dir.path());
    let bsz = dir.path().join("x.bsz");
    let out = dir.path().join("x.safetensors");
    let enc = bin()
        .args([
            "encode",
            m.to_str().unwrap(),
            "-o",
            bsz.to_str().unwrap(),
            "--exact",
            "norm|bias",
        ])
        .output()
        .unwrap();
    assert!(enc.status.success(), "{}", String::from_utf8_lossy(&enc.stderr));
    let line = String::from_utf8(enc.stdout).unwrap();
    assert!(
        line.contains("1 coded") && line.contains("4 raw, 2 of them exact"),
        "{line}"
    );
    for r in inspect_records(&bsz) {
        let exact = ["half.bias", "brain.norm"].contains(&r["name"].as_str().unwrap());
        let float = ["F32", "F16", "BF16"].contains(&r["dtype"].as_str().unwrap());
        assert_eq!(r["storage"] == "raw", exact || !float, "{r}");
    }
    bin()
        .args(["decode", bsz.to_str().unwrap(), "-o", out.to_str().unwrap()])
        .assert()
        .success();
    let back = read_safetensors(&std::fs::read(&out).unwrap()).unwrap();
    let (tensors, floats) = model();
    for name in ["half.bias", "brain.norm"] {
        let src = tensors.iter().find(|t| t.name == name).unwrap();
        let got = back.iter().find(|t| t.name == name).unwrap();
        // The source dtype and the very bits (read back widened, as the source reads).
        assert_eq!(got.dtype, src.dtype, "{name}");
        let want = &floats.iter().find(|(n, _)| n == name).unwrap().1;
        assert_eq!(got.data, TensorData::Float(want.clone()), "{name}");
    }
    let dense = back.iter().find(|t| t.name == "dense.weight").unwrap();
    assert_eq!(dense.dtype, DType::F32);
    let want: Vec<f32> = floats[0].1.iter().map(|&x| dequantize(quantize(x, 8), 8)).collect();
    assert_eq!(dense.data, TensorData::Float(want));
    // An expression that matches nothing changes nothing.
    let none = dir.path().join("none.bsz");
    bin()
        .args([
            "encode",
            m.to_str().unwrap(),
            "-o",
            none.to_str().unwrap(),
            "--exact",
            "^nothing$",
        ])
        .assert()
        .success();
    let plain = dir.path().join("plain.bsz");
    bin()
        .args(["encode", m.to_str().unwrap(), "-o", plain.to_str().unwrap()])
        .assert()
        .success();
    assert!(std::fs::read(&none).unwrap() == std::fs::read(&plain).unwrap());
}

#[test]
fn eg_encode_known_bytes() {
    // EG(0) of 0,1,2,3,4: 1 010 011 00100 00101 = 10100110 01000010 1(0000000) -> A6 42 80.
    bin()
        .args(["eg", "encode", "--k", "0"])
        .write_stdin("0 1 2 3 4\n")
        .assert()
        .success()
        .stdout(vec![0xA6, 0x42, 0x80]);
    // EG(1) of 0,1,2,3: 10 11 0100 0101 -> 10110100 0101(0000) -> B4 50.
    bin()
        .args(["eg", "encode", "--k", "1"])
        .write_stdin("0\n1\t2  3")
        .assert()
        .success()
        .stdout(vec![0xB4, 0x50]);
    bin()
        .args(["eg", "decode", "--k", "0", "--count", "5"])
        .write_stdin(vec![0xA6, 0x42, 0x80])
        .assert()
        .success()
        .stdout("0\n1\n2\n3\n4\n");
    // Nothing in, nothing out.
    bin()
        .args(["eg", "encode", "--k", "3"])
        .write_stdin("")
        .assert()
        .success()
        .stdout(Vec::<u8>::new());
}

#[test]
fn eg_round_trips_for_every_k() {
    let values: Vec<u32> = (0..200u32)
        .map(|i| i.wrapping_mul(i).wrapping_mul(2654435761) >> (i % 32))
        .chain([0, u32::MAX, 1 << 31])
        .collect();
    let text: String = values.iter().map(|v| format!("{v} ")).collect();
    let want: String = values.iter().map(|v| format!("{v}\n")).collect();
    for k in 0..=15 {
        let enc = bin()
            .args(["eg", "encode", "--k", &k.to_string()])
            .write_stdin(text.clone())
            .output()
            .unwrap();
        assert!(enc.status.success());
        assert_eq!(enc.stdout, golden::expgolomb::encode(&values, k), "k={k}");
        bin()
            .args([
                "eg",
                "decode",
                "--k",
                &k.to_string(),
                "--count",
                &values.len().to_string(),
            ])
            .write_stdin(enc.stdout)
            .assert()
            .success()
            .stdout(want.clone());
    }
}

#[test]
fn eg_bad_input_is_one_error_line() {
    assert_one_error(bin().args(["eg", "encode", "--k", "16"]).write_stdin("1"), "--k 16");
    assert_one_error(
        bin()
            .args(["eg", "decode", "--k", "16", "--count", "1"])
            .write_stdin(vec![0x80]),
        "--k 16",
    );
    assert_one_error(
        bin().args(["eg", "encode", "--k", "0"]).write_stdin("1 2 x3"),
        "value 3",
    );
    assert_one_error(bin().args(["eg", "encode", "--k", "0"]).write_stdin("-1"), "value 1");
    assert_one_error(
        bin().args(["eg", "encode", "--k", "0"]).write_stdin("4294967296"),
        "value 1",
    );
    // 9 codewords cannot fit in one byte; a stream cut inside a codeword; an over-long prefix.
    assert_one_error(
        bin()
            .args(["eg", "decode", "--k", "0", "--count", "9"])
            .write_stdin(vec![0xff]),
        "cannot fit",
    );
    assert_one_error(
        bin()
            .args(["eg", "decode", "--k", "0", "--count", "2"])
            .write_stdin(vec![0x80]),
        "EG stream",
    );
    assert_one_error(
        bin()
            .args(["eg", "decode", "--k", "0", "--count", "1"])
            .write_stdin(vec![0; 8]),
        "EG stream",
    );
    assert_one_error(
        bin()
            .args(["eg", "decode", "--k", "0", "--count", "18446744073709551615"])
            .write_stdin(vec![0xff]),
        "cannot fit",
    );
}

#[test]
fn bad_inputs_give_one_error_line_and_no_output() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let m = write_model(d);
    let ms = m.to_str().unwrap();
    let out = d.join("out.bsz");
    let os = out.to_str().unwrap();
    let missing = d.join("missing.safetensors");
    let garbage = d.join("garbage.safetensors");
    std::fs::write(&garbage, b"this is not a safetensors file at all").unwrap();
    let empty = d.join("empty.safetensors");
    std::fs::write(&empty, b"").unwrap();
    // A safetensors file with a sub-byte dtype.
    let f4 = d.join("f4.safetensors");
    let header = br#"{"x":{"dtype":"F4","shape":[2],"data_offsets":[0,1]}}"#;
    let mut b = (header.len() as u64).to_le_bytes().to_vec();
    b.extend_from_slice(header);
    b.push(0);
    std::fs::write(&f4, b).unwrap();
    // NaN and infinite weights.
    let nan = d.join("nan.safetensors");
    let ts = vec![Tensor {
        name: "w".into(),
        dtype: DType::F32,
        shape: vec![3],
        data: TensorData::Float(vec![0.1, f32::NAN, 0.3]),
    }];
    std::fs::write(&nan, write_safetensors(&ts).unwrap()).unwrap();
    let inf = d.join("inf.safetensors");
    let ts = vec![Tensor {
        name: "w".into(),
        dtype: DType::F32,
        shape: vec![2],
        data: TensorData::Float(vec![f32::NEG_INFINITY, 0.3]),
    }];
    std::fs::write(&inf, write_safetensors(&ts).unwrap()).unwrap();
    // Only integer tensors: nothing for stats to analyse.
    let ints = d.join("ints.safetensors");
    let ts = vec![Tensor {
        name: "i".into(),
        dtype: DType::I32,
        shape: vec![1],
        data: TensorData::Raw(vec![1, 0, 0, 0]),
    }];
    std::fs::write(&ints, write_safetensors(&ts).unwrap()).unwrap();

    for (input, needle) in [
        (&missing, "cannot open"),
        (&garbage, "not a valid safetensors"),
        (&empty, "is empty"),
        (&f4, "unsupported dtype"),
        (&nan, "not a finite number"),
        (&inf, "not a finite number"),
    ] {
        let s = input.to_str().unwrap();
        assert_one_error(bin().args(["encode", s, "-o", os]), needle);
        assert!(!out.exists(), "{s}: output written");
        assert_one_error(bin().args(["stats", s]), needle);
    }
    assert_one_error(bin().args(["stats", ints.to_str().unwrap()]), "no F32, F16 or BF16");
    assert_one_error(bin().args(["encode", ms, "-o", os, "--k", "16"]), "--k");
    assert_one_error(bin().args(["encode", ms, "-o", os, "--k", "fast"]), "--k");
    assert_one_error(bin().args(["encode", ms, "-o", os, "--code", "zstd"]), "--code");
    assert_one_error(bin().args(["encode", ms, "-o", os, "--exact", "(bias"]), "--exact");
    assert_one_error(
        bin().args(["encode", ms, "-o", os, "--step-bits", "17"]),
        "--step-bits 17",
    );
    assert_one_error(bin().args(["stats", ms, "--step-bits", "17"]), "--step-bits 17");
    assert_one_error(
        bin().args(["encode", ms, "-o", d.join("no/such/dir/x.bsz").to_str().unwrap()]),
        "does not exist",
    );
    assert!(!out.exists());

    // Corrupted containers: decode and inspect fail, decode writes nothing.
    bin().args(["encode", ms, "-o", os]).assert().success();
    let good = std::fs::read(&out).unwrap();
    let dec = d.join("dec.safetensors");
    let ds = dec.to_str().unwrap();
    let bad = d.join("bad.bsz");
    let bs = bad.to_str().unwrap();
    let mut cases: Vec<(Vec<u8>, &str)> = vec![
        (good[..good.len() - 1].to_vec(), "truncated"),
        (good[..40].to_vec(), "truncated"),
        (b"BSZ".to_vec(), "not a BSZ container"),
        (std::fs::read(&m).unwrap(), "not a BSZ container"),
        ([good.clone(), vec![0]].concat(), "unexpected bytes"),
    ];
    let mut flipped = good.clone();
    let n = flipped.len();
    flipped[n - 10] ^= 0x10; // inside the last payload
    cases.push((flipped, "CRC mismatch"));
    // A version after the current one.
    let mut v_next = good.clone();
    v_next[4] = golden::container::VERSION as u8 + 1;
    cases.push((v_next, "unsupported BSZ version 4"));
    for (bytes, needle) in cases {
        std::fs::write(&bad, &bytes).unwrap();
        assert_one_error(bin().args(["decode", bs, "-o", ds]), needle);
        assert!(!dec.exists(), "{needle}: output written");
        assert_one_error(bin().args(["inspect", bs]), needle);
    }
    assert_one_error(
        bin().args(["decode", d.join("nope.bsz").to_str().unwrap(), "-o", ds]),
        "cannot open",
    );
    assert!(!dec.exists());
}

/// all-MiniLM-L6-v2 (22.7 M parameters): stats, pooled ν against numpy, Huffman against entropy,
/// and an exact encode/decode round trip. `make bench` fetches the model first (`make minilm`).
#[test]
#[ignore = "needs target/minilm/model.safetensors (make minilm); run by make bench"]
fn minilm_real_model() {
    let model = std::env::var_os("BACKSLASH_MINILM")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("target/minilm/model.safetensors"));
    assert!(
        model.exists(),
        "{} is missing: run `make minilm` first",
        model.display()
    );
    let ms = model.to_str().unwrap();

    let t = std::time::Instant::now();
    let out = bin().args(["stats", ms, "--json"]).output().unwrap();
    let stats_s = t.elapsed().as_secs_f64();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let total = &v["total"];
    assert_eq!(total["params"], 22_713_216);
    // numpy on the same file (docs/minilm_nu.py, docs/results-codec.md): 1.3254 over all float tensors, 1.4065 over
    // the 2-D ones.
    let nu_all = total["nu"].as_f64().unwrap();
    let nu_2d = v["pooled_nu_2d"].as_f64().unwrap();
    assert!((nu_all - 1.3254).abs() < 0.005, "pooled ν {nu_all}");
    assert!((nu_2d - 1.4065).abs() < 0.005, "pooled ν of 2-D tensors {nu_2d}");
    let h = total["huffman_bits_per_weight"].as_f64().unwrap();
    let e = total["entropy_bits_per_weight"].as_f64().unwrap();
    assert!(h >= e && h - e < 0.05, "Huffman {h} vs entropy {e}");
    // numpy, same file, per-tensor entropy of q at 2^-8: 5.8627 bits/weight.
    assert!((e - 5.8627).abs() < 0.0005, "entropy {e}");

    let dir = tempfile::tempdir().unwrap();
    let bsz = dir.path().join("minilm.bsz");
    let dec = dir.path().join("minilm.dec.safetensors");
    let t = std::time::Instant::now();
    bin()
        .args(["encode", ms, "-o", bsz.to_str().unwrap()])
        .assert()
        .success();
    let enc_s = t.elapsed().as_secs_f64();
    let t = std::time::Instant::now();
    bin()
        .args(["decode", bsz.to_str().unwrap(), "-o", dec.to_str().unwrap()])
        .assert()
        .success();
    let dec_s = t.elapsed().as_secs_f64();

    let orig = read_safetensors(&std::fs::read(&model).unwrap()).unwrap();
    let back = read_safetensors(&std::fs::read(&dec).unwrap()).unwrap();
    assert_eq!(orig.len(), back.len());
    let mut coded = 0usize;
    for o in &orig {
        let b = back.iter().find(|b| b.name == o.name).unwrap();
        assert_eq!(b.shape, o.shape, "{}", o.name);
        match &o.data {
            TensorData::Float(w) => {
                let want: Vec<f32> = w.iter().map(|&x| dequantize(quantize(x, 8), 8)).collect();
                assert!(b.data == TensorData::Float(want), "{}: decoded weights differ", o.name);
                coded += w.len();
            }
            TensorData::Raw(_) => assert_eq!(b, o),
        }
    }
    assert_eq!(coded, 22_713_216);
    let (src, bsz_len, dec_len) = (
        std::fs::metadata(&model).unwrap().len(),
        std::fs::metadata(&bsz).unwrap().len(),
        std::fs::metadata(&dec).unwrap().len(),
    );
    eprintln!(
        "minilm: stats {stats_s:.2} s, encode {enc_s:.2} s, decode {dec_s:.2} s; {src} -> {bsz_len} bytes ({:.3} bits/weight overall, {:.2}x), decoded {dec_len} bytes; pooled nu {nu_all:.4} (2-D {nu_2d:.4}); best-k EG {:.3}, Huffman {h:.3}, entropy {e:.3}, fixed {:.3} bits/weight",
        bsz_len as f64 * 8.0 / coded as f64,
        src as f64 / bsz_len as f64,
        total["best_k_bits_per_weight"].as_f64().unwrap(),
        total["fixed_bits_per_weight"].as_f64().unwrap(),
    );
}
