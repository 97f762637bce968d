//! The CLI on bad input (issue 7): every case must give exactly one `error:` line on stderr, a
//! non-zero exit status, no panic, and no output file (not even a partial or temporary one).
//!
//! Covered: `stats`, `encode`, `decode`, `inspect`, `eg encode`, `eg decode`: missing, unreadable
//! and empty files; wrong formats (text as safetensors, safetensors as container, container as
//! safetensors); truncated and bit-flipped containers; NaN/Inf weights; unsupported dtypes; out of
//! range flags (`--k`, `--step-bits`, an unknown `--code`, an invalid `--exact` expression); an
//! output directory that does not exist; containers that claim huge tensors; truncated and
//! bit-flipped fixed-length and Huffman containers, and their code fields out of range.
//! `sim` and `run` (on the Verilated UART core, `--port sim`): bad model files of every kind, bad
//! options, models that do not fit the accelerator (value map, layer width), a `--lanes` the core
//! was not built with, bad ports and input files. `hdl`, `estimate`, `demo`, `train`, `sweep`: bad
//! options and output paths, refused before any work. `bitstream`: bad configurations and missing
//! tools (named with their packages); `bitstream --bake` with models no baked build holds, and
//! `run --baked` on a build without a baked model. See docs/robustness.md.

use crate::fixtures::crc32;
use assert_cmd::Command;
use golden::container::{encode_tensor, CodeChoice, Container, KChoice};
use golden::tensors::{write_safetensors, DType, Tensor, TensorData};
use std::path::{Path, PathBuf};

fn float(name: &str, shape: Vec<usize>, w: Vec<f32>) -> Tensor {
    Tensor::f32(name, shape, w)
}

/// A small valid model: two float tensors and one raw int tensor.
fn model() -> Vec<Tensor> {
    let w: Vec<f32> = (0..48).map(|i| ((i * 37 % 17) as f32 - 8.0) / 16.0).collect();
    vec![
        float("layer.weight", vec![6, 8], w),
        float("layer.bias", vec![6], vec![0.0, 0.5, -0.5, 0.0, 0.25, 0.0]),
        Tensor {
            name: "ids".into(),
            dtype: DType::I32,
            shape: vec![2],
            data: TensorData::Raw(vec![1, 0, 0, 0, 2, 0, 0, 0]),
        },
    ]
}

fn container_bytes() -> Vec<u8> {
    container_bytes_with(KChoice::Auto.into())
}

fn container_bytes_with(code: CodeChoice) -> Vec<u8> {
    let entries = model().iter().map(|t| encode_tensor(t, 8, code).unwrap()).collect();
    Container { entries }.to_bytes().unwrap()
}

/// A temporary directory with files in it.
struct Dir(tempfile::TempDir);

impl Dir {
    fn new() -> Dir {
        Dir(tempfile::tempdir().unwrap())
    }
    fn path(&self, name: &str) -> PathBuf {
        self.0.path().join(name)
    }
    fn file(&self, name: &str, bytes: &[u8]) -> PathBuf {
        let p = self.path(name);
        std::fs::write(&p, bytes).unwrap();
        p
    }
    fn listing(&self) -> Vec<String> {
        let mut v: Vec<String> = std::fs::read_dir(self.0.path())
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into())
            .collect();
        v.sort();
        v
    }
}

/// Runs `backslash args...` (with `stdin`), expects a clean failure, and returns the error line.
/// `dir`'s listing must not change: no output, partial or temporary file is left behind.
fn fails(dir: &Dir, args: &[&str], stdin: &[u8]) -> String {
    fails_with(dir, args, stdin, &[], false)
}

/// [`fails`] with extra environment variables; with `log`, progress lines may precede the error
/// line on stderr (the error must still be the one `error:` line, and the last line).
fn fails_with(dir: &Dir, args: &[&str], stdin: &[u8], env: &[(&str, &Path)], log: bool) -> String {
    let before = dir.listing();
    let mut cmd = Command::cargo_bin("backslash").unwrap();
    cmd.current_dir(dir.0.path()).args(args).write_stdin(stdin);
    for (k, v) in env {
        cmd.env(k, v);
    }
    let out = cmd.output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    assert!(!out.status.success(), "{args:?} succeeded; stderr: {stderr}");
    assert!(
        out.status.code().is_some(),
        "{args:?} was killed by a signal; stderr: {stderr}"
    );
    assert!(!stderr.contains("panicked at"), "{args:?} panicked: {stderr}");
    let lines: Vec<&str> = stderr.lines().collect();
    if !log {
        assert_eq!(
            lines.len(),
            1,
            "{args:?}: expected exactly one stderr line, got: {stderr}"
        );
    }
    assert_eq!(
        lines.iter().filter(|l| l.starts_with("error:")).count(),
        1,
        "{args:?}: {stderr}"
    );
    let last = lines.last().copied().unwrap_or("");
    assert!(
        last.starts_with("error: "),
        "{args:?}: the last stderr line is not the `error:` line: {stderr}"
    );
    assert!(
        out.stdout.is_empty(),
        "{args:?} wrote to stdout: {}",
        String::from_utf8_lossy(&out.stdout)
    );
    assert_eq!(dir.listing(), before, "{args:?} left files behind");
    // Shown with --nocapture, to review the messages.
    println!("{args:?}\n    {last}");
    last.to_string()
}

/// Like [`fails`] for clap's own usage errors: one `error:` line (clap adds a usage hint after it).
fn usage_error(dir: &Dir, args: &[&str]) -> String {
    let before = dir.listing();
    let out = Command::cargo_bin("backslash")
        .unwrap()
        .current_dir(dir.0.path())
        .args(args)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    assert_eq!(
        out.status.code(),
        Some(2),
        "{args:?}: clap usage errors exit with 2; stderr: {stderr}"
    );
    assert!(!stderr.contains("panicked at"));
    assert_eq!(
        stderr.lines().filter(|l| l.starts_with("error:")).count(),
        1,
        "{stderr}"
    );
    assert_eq!(dir.listing(), before);
    stderr
}

fn s(p: &Path) -> &str {
    p.to_str().unwrap()
}

#[test]
fn missing_files() {
    let d = Dir::new();
    let e = fails(&d, &["stats", "nope.safetensors"], b"");
    assert!(e.contains("nope.safetensors"), "{e}");
    let e = fails(&d, &["encode", "nope.safetensors", "-o", "out.bsz"], b"");
    assert!(e.contains("nope.safetensors"), "{e}");
    let e = fails(&d, &["decode", "nope.bsz", "-o", "out.safetensors"], b"");
    assert!(e.contains("nope.bsz"), "{e}");
    let e = fails(&d, &["inspect", "nope.bsz"], b"");
    assert!(e.contains("nope.bsz"), "{e}");
}

#[test]
fn empty_files() {
    let d = Dir::new();
    d.file("empty", b"");
    fails(&d, &["stats", "empty"], b"");
    fails(&d, &["encode", "empty", "-o", "out.bsz"], b"");
    fails(&d, &["decode", "empty", "-o", "out.safetensors"], b"");
    fails(&d, &["inspect", "empty"], b"");
}

#[test]
fn unreadable_inputs() {
    let d = Dir::new();
    // A directory where a file is expected.
    std::fs::create_dir(d.path("adir")).unwrap();
    fails(&d, &["stats", "adir"], b"");
    fails(&d, &["encode", "adir", "-o", "out.bsz"], b"");
    fails(&d, &["decode", "adir", "-o", "out.safetensors"], b"");
    fails(&d, &["inspect", "adir"], b"");
    // A file without read permission (not enforceable when the tests run as root).
    use std::os::unix::fs::PermissionsExt;
    let p = d.file("locked.bsz", &container_bytes());
    std::fs::set_permissions(&p, std::fs::Permissions::from_mode(0o000)).unwrap();
    if std::fs::File::open(&p).is_err() {
        let e = fails(&d, &["inspect", "locked.bsz"], b"");
        assert!(e.contains("locked.bsz"), "{e}");
        fails(&d, &["decode", "locked.bsz", "-o", "out.safetensors"], b"");
    }
    std::fs::set_permissions(&p, std::fs::Permissions::from_mode(0o644)).unwrap();
}

#[test]
fn wrong_formats() {
    let d = Dir::new();
    d.file("notes.safetensors", b"this is a text file, not a model\n");
    d.file("model.safetensors", &write_safetensors(&model()).unwrap());
    d.file("model.bsz", &container_bytes());
    // Text as safetensors.
    fails(&d, &["stats", "notes.safetensors"], b"");
    fails(&d, &["encode", "notes.safetensors", "-o", "out.bsz"], b"");
    // Safetensors as a container.
    let e = fails(&d, &["decode", "model.safetensors", "-o", "out.safetensors"], b"");
    assert!(e.contains("not a BSZ container"), "{e}");
    fails(&d, &["inspect", "model.safetensors"], b"");
    // A container as safetensors.
    fails(&d, &["stats", "model.bsz"], b"");
    fails(&d, &["encode", "model.bsz", "-o", "out.bsz"], b"");
    // Text as a container.
    fails(&d, &["inspect", "notes.safetensors"], b"");
}

#[test]
fn truncated_containers() {
    let d = Dir::new();
    let full = container_bytes();
    // Inside the header, inside the first descriptor, inside a payload, one byte short.
    for cut in [3, 10, 16, 21, full.len() / 2, full.len() - 5, full.len() - 1] {
        d.file("t.bsz", &full[..cut]);
        fails(&d, &["inspect", "t.bsz"], b"");
        fails(&d, &["decode", "t.bsz", "-o", "out.safetensors"], b"");
    }
    // Extra bytes after the last record.
    let mut long = full.clone();
    long.push(0);
    d.file("t.bsz", &long);
    fails(&d, &["decode", "t.bsz", "-o", "out.safetensors"], b"");
}

#[test]
fn bit_flipped_containers() {
    let d = Dir::new();
    let full = container_bytes();
    for bit in [
        0,
        5 * 8 + 1,
        9 * 8,
        13 * 8 + 7,
        20 * 8 + 3,
        full.len() * 4,
        full.len() * 8 - 30,
        full.len() * 8 - 1,
    ] {
        let mut b = full.clone();
        b[bit / 8] ^= 1 << (bit % 8);
        d.file("f.bsz", &b);
        fails(&d, &["inspect", "f.bsz"], b"");
        fails(&d, &["decode", "f.bsz", "-o", "out.safetensors"], b"");
    }
}

/// Version 2 containers with the fixed-length and Huffman codes, truncated and bit-flipped: in the
/// header, the first descriptor (its code id, the code lengths), the payloads and the last CRC.
#[test]
fn truncated_and_flipped_fixed_and_huffman_containers() {
    let d = Dir::new();
    for code in [CodeChoice::Fixed, CodeChoice::Huffman] {
        let full = container_bytes_with(code);
        let desc_len = u32::from_le_bytes(full[16..20].try_into().unwrap()) as usize;
        // "layer.weight" (12 bytes), ndim 2: the code id is at 20 + 2 + 12 + 3 + 16 + 8 + 1.
        let code_id = 20 + 2 + 12 + 3 + 16 + 8 + 1;
        assert_eq!(full[code_id], if code == CodeChoice::Fixed { 1 } else { 2 });
        let desc_end = 20 + desc_len;
        for cut in [5, code_id, desc_end - 1, desc_end + 6, full.len() - 1] {
            d.file("t.bsz", &full[..cut]);
            fails(&d, &["inspect", "t.bsz"], b"");
            fails(&d, &["decode", "t.bsz", "-o", "out.safetensors"], b"");
        }
        for bit in [
            4 * 8 + 6,
            code_id * 8 + 7,
            (desc_end - 1) * 8 + 7,
            (desc_end + 6) * 8,
            full.len() * 8 - 1,
        ] {
            let mut b = full.clone();
            b[bit / 8] ^= 1 << (bit % 8);
            d.file("f.bsz", &b);
            fails(&d, &["inspect", "f.bsz"], b"");
            fails(&d, &["decode", "f.bsz", "-o", "out.safetensors"], b"");
        }
    }
}

/// Descriptors of the new codes with out-of-range fields behind valid CRCs: one line naming the
/// problem.
#[test]
fn fixed_and_huffman_fields_out_of_range() {
    let d = Dir::new();
    // Tensor `w` of 4 elements, a 3-value map [0, 1, 2], 1 payload byte.
    let desc = |id: u8, param: u8, payload_bits: u64, lengths: &[u8]| {
        let mut x = descriptor(&[4], 1, Some((4, payload_bits, 3)));
        let at = x.len() - 24; // step, code id, param, reserved, count, bits, map_len
        x[at + 1] = id;
        x[at + 2] = param;
        for v in 0i32..3 {
            x.extend_from_slice(&v.to_le_bytes());
        }
        x.extend_from_slice(lengths);
        x
    };
    for (what, version, dsc, needle) in [
        ("fixed in version 1", 1, desc(1, 2, 8, &[]), "not defined in version 1"),
        (
            "Huffman in version 1",
            1,
            desc(2, 0, 6, &[1, 2, 2]),
            "not defined in version 1",
        ),
        ("width 0", 2, desc(1, 0, 8, &[]), "outside 1..=32"),
        ("width 3", 2, desc(1, 3, 8, &[]), "must be 2"),
        ("fixed bits", 2, desc(1, 2, 7, &[]), "do not take"),
        ("Huffman parameter", 2, desc(2, 1, 6, &[1, 2, 2]), "must be 0"),
        ("length 25", 2, desc(2, 0, 6, &[1, 25, 2]), "code length 25"),
        ("Kraft", 2, desc(2, 0, 6, &[1, 1, 2]), "Kraft"),
        ("no lengths", 2, desc(2, 0, 6, &[0, 0, 0]), "non-zero"),
        ("lengths cut", 2, desc(2, 0, 6, &[1, 2]), "Huffman code lengths"),
        ("unknown code", 2, desc(3, 0, 6, &[]), "unknown code id 3"),
    ] {
        d.file("c.bsz", &craft_version(version, &dsc, &[0x98]));
        let e = fails(&d, &["inspect", "c.bsz"], b"");
        assert!(e.contains(needle) && !e.contains("CRC"), "{what}: {e}");
        fails(&d, &["decode", "c.bsz", "-o", "out.safetensors"], b"");
    }
    // The valid Huffman record of docs/format.md's worked example (map [0, 1, 2] here) decodes.
    d.file("ok.bsz", &craft_version(2, &desc(2, 0, 6, &[1, 2, 2]), &[0x98]));
    let out = Command::cargo_bin("backslash")
        .unwrap()
        .current_dir(d.0.path())
        .args(["inspect", "ok.bsz"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(String::from_utf8_lossy(&out.stdout).contains("huffman"));
}

#[test]
fn nan_and_inf_weights() {
    let d = Dir::new();
    for bad in [f32::NAN, f32::INFINITY, f32::NEG_INFINITY] {
        let mut m = model();
        if let TensorData::Float(w) = &mut m[0].data {
            w[7] = bad;
        }
        d.file("bad.safetensors", &write_safetensors(&m).unwrap());
        let e = fails(&d, &["encode", "bad.safetensors", "-o", "out.bsz"], b"");
        assert!(e.contains("layer.weight"), "the error names the tensor: {e}");
        fails(&d, &["stats", "bad.safetensors"], b"");
    }
}

/// A safetensors file written by hand: `header` JSON, then `data`.
fn raw_safetensors(header: &str, data: &[u8]) -> Vec<u8> {
    let mut f = (header.len() as u64).to_le_bytes().to_vec();
    f.extend_from_slice(header.as_bytes());
    f.extend_from_slice(data);
    f
}

#[test]
fn unsupported_dtypes_and_bad_headers() {
    let d = Dir::new();
    // F4 (sub-byte) is a safetensors dtype this tool cannot carry.
    d.file(
        "f4.safetensors",
        &raw_safetensors(r#"{"x":{"dtype":"F4","shape":[2],"data_offsets":[0,1]}}"#, &[0]),
    );
    let e = fails(&d, &["encode", "f4.safetensors", "-o", "out.bsz"], b"");
    assert!(e.contains("dtype"), "{e}");
    fails(&d, &["stats", "f4.safetensors"], b"");
    // An unknown dtype name.
    d.file(
        "q.safetensors",
        &raw_safetensors(r#"{"x":{"dtype":"Q4","shape":[2],"data_offsets":[0,1]}}"#, &[0]),
    );
    fails(&d, &["encode", "q.safetensors", "-o", "out.bsz"], b"");
    // Data offsets that do not match the shape, and offsets past the end of the file.
    d.file(
        "len.safetensors",
        &raw_safetensors(r#"{"x":{"dtype":"F32","shape":[3],"data_offsets":[0,8]}}"#, &[0; 8]),
    );
    fails(&d, &["encode", "len.safetensors", "-o", "out.bsz"], b"");
    d.file(
        "past.safetensors",
        &raw_safetensors(r#"{"x":{"dtype":"F32","shape":[4],"data_offsets":[0,16]}}"#, &[0; 8]),
    );
    fails(&d, &["stats", "past.safetensors"], b"");
    // A header length far beyond the file.
    let mut huge = (1u64 << 40).to_le_bytes().to_vec();
    huge.extend_from_slice(b"{}");
    d.file("hdr.safetensors", &huge);
    fails(&d, &["encode", "hdr.safetensors", "-o", "out.bsz"], b"");
}

#[test]
fn bad_flags() {
    let d = Dir::new();
    d.file("model.safetensors", &write_safetensors(&model()).unwrap());
    let e = fails(&d, &["encode", "model.safetensors", "-o", "out.bsz", "--k", "99"], b"");
    assert!(e.contains("--k"), "{e}");
    fails(&d, &["encode", "model.safetensors", "-o", "out.bsz", "--k=-1"], b"");
    let e = fails(
        &d,
        &["encode", "model.safetensors", "-o", "out.bsz", "--step-bits", "40"],
        b"",
    );
    assert!(e.contains("--step-bits"), "{e}");
    fails(&d, &["stats", "model.safetensors", "--step-bits", "17"], b"");
    fails(&d, &["eg", "encode", "--k", "99"], b"1 2 3");
    fails(&d, &["eg", "decode", "--k", "16", "--count", "1"], &[0xff]);
    // Values that are not u32, counts that cannot fit, streams that do not decode.
    fails(&d, &["eg", "encode", "--k", "0"], b"1 -2 3");
    fails(&d, &["eg", "encode", "--k", "0"], b"4294967296");
    fails(
        &d,
        &["eg", "decode", "--k", "0", "--count", "18446744073709551615"],
        &[0xff; 4],
    );
    fails(&d, &["eg", "decode", "--k", "0", "--count", "2"], &[0x00, 0x00]);
    fails(&d, &["eg", "decode", "--k", "3", "--count", "3"], &[0xff]);
    fails(
        &d,
        &["eg", "decode", "--k", "0", "--count", "1"],
        &[0x00, 0x00, 0x00, 0x00, 0x00],
    );
    // Output into a directory that does not exist.
    let e = fails(&d, &["encode", "model.safetensors", "-o", "no/such/dir/out.bsz"], b"");
    assert!(e.contains("no/such/dir"), "{e}");
    // Flags clap itself rejects.
    usage_error(
        &d,
        &["encode", "model.safetensors", "-o", "out.bsz", "--step-bits", "many"],
    );
    usage_error(&d, &["encode", "model.safetensors"]);
    // The code and the exact-tensor expression.
    for code in ["zstd", "", "EGk", "huffman2"] {
        let arg = format!("--code={code}");
        let e = fails(&d, &["encode", "model.safetensors", "-o", "out.bsz", &arg], b"");
        assert!(e.contains("--code") && e.contains("eg, fixed, huffman, auto"), "{e}");
    }
    let e = fails(
        &d,
        &[
            "encode",
            "model.safetensors",
            "-o",
            "out.bsz",
            "--code",
            "huffman",
            "--k",
            "16",
        ],
        b"",
    );
    assert!(e.contains("--k"), "{e}");
    for re in ["(", "LayerNorm|bias)", "[a-", "x{2,1}"] {
        let e = fails(
            &d,
            &["encode", "model.safetensors", "-o", "out.bsz", "--exact", re],
            b"",
        );
        assert!(e.contains("--exact") && e.contains(re), "{e}");
    }
    usage_error(&d, &["inspect"]);
    usage_error(&d, &["frobnicate"]);
}

/// A one-record version 1 container (docs/format.md) with this descriptor and payload, all CRCs
/// valid.
fn craft(desc: &[u8], payload: &[u8]) -> Vec<u8> {
    craft_version(1, desc, payload)
}

/// [`craft`] with this format version.
fn craft_version(version: u16, desc: &[u8], payload: &[u8]) -> Vec<u8> {
    let mut f = b"BSZ\0".to_vec();
    f.extend_from_slice(&version.to_le_bytes());
    f.extend_from_slice(&0u16.to_le_bytes());
    f.extend_from_slice(&1u32.to_le_bytes());
    let c = crc32(&f);
    f.extend_from_slice(&c.to_le_bytes());
    let mut rec = (desc.len() as u32).to_le_bytes().to_vec();
    rec.extend_from_slice(desc);
    let c = crc32(&rec);
    f.extend_from_slice(&rec);
    f.extend_from_slice(&c.to_le_bytes());
    f.extend_from_slice(payload);
    f.extend_from_slice(&crc32(payload).to_le_bytes());
    f
}

/// Descriptor of tensor `w` (F32) with `dims`, storage `coded`, and the given payload length and
/// coded fields.
fn descriptor(dims: &[u64], payload_len: u64, coded: Option<(u64, u64, u32)>) -> Vec<u8> {
    let mut d = 1u16.to_le_bytes().to_vec();
    d.push(b'w');
    d.push(DType::F32.code());
    d.push(u8::from(coded.is_some()));
    d.push(dims.len() as u8);
    for &x in dims {
        d.extend_from_slice(&x.to_le_bytes());
    }
    d.extend_from_slice(&payload_len.to_le_bytes());
    if let Some((count, payload_bits, map_len)) = coded {
        d.extend_from_slice(&[8, 0, 0, 0]); // step 2^-8, EG(0), reserved
        d.extend_from_slice(&count.to_le_bytes());
        d.extend_from_slice(&payload_bits.to_le_bytes());
        d.extend_from_slice(&map_len.to_le_bytes());
    }
    d
}

/// Containers whose descriptors claim tensors of 2^40 elements (4 TiB as f32), with valid CRCs:
/// rejected from the header alone, with a small, bounded peak memory.
#[test]
fn huge_tensor_claims_are_rejected_before_allocating() {
    let d = Dir::new();
    let cases = [
        // Raw: 2^40 f32 elements, payload length 2^42 bytes, 4 bytes present.
        (
            "raw.bsz",
            craft(&descriptor(&[1 << 20, 1 << 20], 1 << 42, None), &[0; 4]),
        ),
        // Coded: 2^40 symbols in 2^40 bits, a value map of 2^32-1 entries, nothing present.
        (
            "coded.bsz",
            craft(
                &descriptor(&[1 << 20, 1 << 20], 1 << 37, Some((1 << 40, 1 << 40, u32::MAX))),
                &[],
            ),
        ),
        // Coded: 2^40 symbols claimed in a 1-byte payload.
        (
            "short.bsz",
            craft(&descriptor(&[1 << 40], 1, Some((1 << 40, 8, 1))), &[0x80]),
        ),
        // A shape above the 2^40 element limit.
        ("shape.bsz", craft(&descriptor(&[1 << 21, 1 << 20], 0, None), &[])),
    ];
    let time = Path::new("/usr/bin/time");
    for (name, bytes) in &cases {
        d.file(name, bytes);
        fails(&d, &["inspect", name], b"");
        fails(&d, &["decode", name, "-o", "out.safetensors"], b"");
        if time.exists() {
            // Peak resident memory of the whole process (GNU time's %M, in KiB).
            let out = std::process::Command::new(time)
                .args([
                    "-f",
                    "maxrss_kib=%M",
                    s(&assert_cmd::cargo::cargo_bin("backslash")),
                    "inspect",
                    s(&d.path(name)),
                ])
                .output()
                .unwrap();
            let stderr = String::from_utf8_lossy(&out.stderr);
            let kib: u64 = stderr
                .lines()
                .find_map(|l| l.strip_prefix("maxrss_kib="))
                .and_then(|v| v.trim().parse().ok())
                .unwrap_or_else(|| panic!("no maxrss in {stderr}"));
            assert!(
                kib < 64 * 1024,
                "{name}: peak RSS {kib} KiB while rejecting a huge claim"
            );
        }
    }
}

/// `bitstream` with a lane count the accelerator is not built for, an unreachable baud rate, and
/// without yosys/nextpnr/icepack on PATH: one error line (after the progress lines), no output.
#[test]
fn bitstream_bad_config_and_missing_tools() {
    let d = Dir::new();
    let e = fails_with(&d, &["bitstream", "--lanes", "3", "--out", "bs"], b"", &[], true);
    assert!(e.contains('3'), "{e}");
    fails_with(
        &d,
        &["bitstream", "--loopback", "--baud", "0", "--out", "bs"],
        b"",
        &[],
        true,
    );
    fails_with(
        &d,
        &["bitstream", "--loopback", "--baud", "100000000", "--out", "bs"],
        b"",
        &[],
        true,
    );
    usage_error(&d, &["bitstream", "--board", "nosuchboard"]);
    // The SPRAM build: the UP5K only, P = 2 with the serial decoder; not with --loopback or --bake.
    let e = fails_with(
        &d,
        &["bitstream", "--memory", "spram", "--board", "hx8k", "--out", "bs"],
        b"",
        &[],
        true,
    );
    assert!(e.contains("no SPRAM"), "{e}");
    let e = fails_with(
        &d,
        &["bitstream", "--memory", "spram", "--lanes", "4", "--out", "bs"],
        b"",
        &[],
        true,
    );
    assert!(e.contains("--lanes 2"), "{e}");
    let e = fails_with(
        &d,
        &[
            "bitstream",
            "--memory",
            "spram",
            "--decoder",
            "pipelined",
            "--out",
            "bs",
        ],
        b"",
        &[],
        true,
    );
    assert!(e.contains("serial"), "{e}");
    usage_error(&d, &["bitstream", "--memory", "spram", "--loopback"]);
    let empty = tempfile::tempdir().unwrap();
    let e = fails_with(
        &d,
        &["bitstream", "--loopback", "--out", "bs"],
        b"",
        &[("PATH", empty.path())],
        true,
    );
    assert!(e.contains("yosys"), "the error names the missing tool: {e}");
}

// ---------------------------------------------------------------------------------------------
// The subcommands that read a trained model or drive the accelerator: sim, run, hdl, estimate,
// demo, train, sweep.

/// A digits-shaped MLP (64 inputs) with the given hidden sizes, as `backslash train` saves it.
fn mlp(sizes: &[usize]) -> golden::train::Mlp {
    golden::train::Mlp::new(sizes, 7).unwrap()
}

fn mlp_bytes(m: &golden::train::Mlp) -> Vec<u8> {
    golden::train::io::save_safetensors(m, &Default::default()).unwrap()
}

/// The MLP's tensors coded into a container (as `backslash encode` writes it).
fn mlp_container(m: &golden::train::Mlp) -> Vec<u8> {
    let tensors = golden::tensors::read_safetensors(&mlp_bytes(m)).unwrap();
    let entries = tensors
        .iter()
        .map(|t| encode_tensor(t, 8, KChoice::Auto).unwrap())
        .collect();
    Container { entries }.to_bytes().unwrap()
}

/// A 64-32-10 MLP whose first layer has 8192 distinct weights at step 2^-8: more than the value
/// map of any accelerator build (1024 entries in simulation, 256 on the board).
fn mlp_too_many_values() -> golden::train::Mlp {
    let mut m = mlp(&[64, 128, 10]);
    let r = m.weight_range(0);
    for (i, w) in m.params_mut()[r].iter_mut().enumerate() {
        *w = (i as f32 - 4096.0) / 256.0;
    }
    m
}

/// Bad model files, each put where `MODEL` stands in `args`.
fn bad_model_files(d: &Dir, args: &[&str]) {
    let good = mlp(&[64, 16, 10]);
    let st = mlp_bytes(&good);
    let run = |file: &str| {
        let a: Vec<&str> = args.iter().map(|&x| if x == "MODEL" { file } else { x }).collect();
        fails(d, &a, b"")
    };
    let e = run("nope.safetensors");
    assert!(e.contains("nope.safetensors"), "{e}");
    std::fs::create_dir_all(d.path("adir")).unwrap();
    run("adir");
    d.file("empty", b"");
    run("empty");
    d.file("text", b"not a model\n");
    let e = run("text");
    assert!(e.contains("neither"), "{e}");
    // Truncated and bit-flipped safetensors and containers.
    d.file("cut.safetensors", &st[..st.len() - 3]);
    run("cut.safetensors");
    d.file("cut.bsz", &{
        let c = mlp_container(&good);
        c[..c.len() / 2].to_vec()
    });
    run("cut.bsz");
    let mut flipped = mlp_container(&good);
    let at = flipped.len() - 40;
    flipped[at] ^= 0x10;
    d.file("flip.bsz", &flipped);
    run("flip.bsz");
    // A valid safetensors file that is not an MLP, and a valid container that is not one either.
    d.file("other.safetensors", &write_safetensors(&model()).unwrap());
    run("other.safetensors");
    d.file("other.bsz", &container_bytes());
    run("other.bsz");
    // NaN and Inf weights.
    for bad in [f32::NAN, f32::INFINITY] {
        let mut m = good.clone();
        m.params_mut()[5] = bad;
        d.file("nan.safetensors", &mlp_bytes(&m));
        run("nan.safetensors");
    }
    // Weights with an integer dtype, and with a sub-byte one.
    let mut ts = golden::tensors::read_safetensors(&st).unwrap();
    let n = ts[0].numel();
    ts[0].dtype = DType::I32;
    ts[0].data = TensorData::Raw(vec![0; n * 4]);
    d.file("int.safetensors", &write_safetensors(&ts).unwrap());
    run("int.safetensors");
    d.file(
        "f4.safetensors",
        &raw_safetensors(
            r#"{"layers.0.weight":{"dtype":"F4","shape":[2],"data_offsets":[0,1]}}"#,
            &[0],
        ),
    );
    run("f4.safetensors");
    // A model for another input width than the dataset's.
    d.file("narrow.safetensors", &mlp_bytes(&mlp(&[10, 8, 10])));
    let e = run("narrow.safetensors");
    assert!(e.contains("10 inputs"), "{e}");
}

#[test]
fn sim_bad_models() {
    let d = Dir::new();
    bad_model_files(&d, &["sim", "MODEL", "--samples", "2"]);
}

#[test]
fn sim_bad_options() {
    let d = Dir::new();
    d.file("m.safetensors", &mlp_bytes(&mlp(&[64, 16, 10])));
    d.file("afile", b"x");
    let sim = |extra: &[&str]| {
        let mut a = vec!["sim", "m.safetensors"];
        if !extra.contains(&"--samples") {
            a.extend(["--samples", "2"]);
        }
        a.extend_from_slice(extra);
        fails(&d, &a, b"")
    };
    for lanes in ["0", "2", "3", "9"] {
        let e = sim(&["--lanes", lanes]);
        assert!(e.contains(&format!("{lanes} lanes")), "{e}");
    }
    let e = sim(&["--dataset", "nope"]);
    assert!(e.contains("nope"), "{e}");
    sim(&["--samples", "0"]);
    sim(&["--threads", "0"]);
    sim(&["--k", "99"]);
    sim(&["--step-bits", "40"]);
    // Outputs in a directory that does not exist, or under a regular file.
    let e = sim(&["--json", "no/such/dir/s.json"]);
    assert!(e.contains("no/such/dir"), "{e}");
    sim(&["--vcd", "afile/x.vcd"]);
    sim(&["--mismatch-vcd", "no/such/dir/m.vcd"]);
    sim(&["--json", "."]);
    // VCD windows clap rejects: reversed, empty, not numbers, without --vcd.
    for w in ["5..2", "5..5", "a..b", "7", "-1..4"] {
        usage_error(&d, &["sim", "m.safetensors", "--vcd", "x.vcd", "--vcd-window", w]);
    }
    usage_error(&d, &["sim", "m.safetensors", "--vcd-window", "1..2"]);
    usage_error(&d, &["sim", "m.safetensors", "--lanes", "four"]);
}

/// A model that does not fit the accelerator is refused before it runs, naming the limit.
#[test]
fn models_that_do_not_fit_the_accelerator() {
    let d = Dir::new();
    d.file("values.safetensors", &mlp_bytes(&mlp_too_many_values()));
    d.file("values.bsz", &mlp_container(&mlp_too_many_values()));
    // The Verilated accelerators and UART core (simulation memories) take layers of up to 1024 inputs.
    d.file("wide.safetensors", &mlp_bytes(&mlp(&[64, 1100, 10])));
    for model in ["values.safetensors", "values.bsz"] {
        let e = fails(&d, &["sim", model, "--samples", "2", "--json", "s.json"], b"");
        assert!(
            e.contains("distinct weights") && e.contains("value map holds 1024"),
            "{e}"
        );
        let e = fails(&d, &["run", "--port", "sim", model, "digits", "--samples", "1"], b"");
        assert!(e.contains("value map holds 1024"), "{e}");
    }
    let e = fails(&d, &["sim", "wide.safetensors", "--samples", "2"], b"");
    assert!(e.contains("1100 inputs") && e.contains("at most 1024"), "{e}");
    let e = fails(
        &d,
        &["run", "--port", "sim", "wide.safetensors", "digits", "--samples", "1"],
        b"",
    );
    assert!(e.contains("1100 inputs") && e.contains("at most 1024"), "{e}");
}

/// `--baked` on a build without an image, and `bitstream --bake` with models no baked build holds:
/// one line naming the reason (MODEL_ID, the memory and its size), before any file or tool.
#[test]
fn baked_runs_and_bakes_refused() {
    let d = Dir::new();
    d.file("m.safetensors", &mlp_bytes(&mlp(&[64, 16, 10])));
    d.file("values.safetensors", &mlp_bytes(&mlp_too_many_values()));
    d.file("wide.safetensors", &mlp_bytes(&mlp(&[64, 300, 10])));
    d.file("tall.safetensors", &mlp_bytes(&mlp(&[64, 200, 100, 10])));
    // The Verilated UART core has no baked model: MODEL_ID 0.
    let e = fails(
        &d,
        &[
            "run",
            "--port",
            "sim",
            "--baked",
            "m.safetensors",
            "digits",
            "--samples",
            "1",
        ],
        b"",
    );
    assert!(e.contains("no model image") && e.contains("MODEL_ID 0"), "{e}");
    let bake = |model: &str, lanes: &str| {
        fails(
            &d,
            &["bitstream", "--bake", model, "--lanes", lanes, "--out", "bs"],
            b"",
        )
    };
    let e = bake("values.safetensors", "2");
    assert!(e.contains("stream memory") && e.contains("at most 2048"), "{e}");
    let e = bake("values.safetensors", "8");
    assert!(e.contains("value-map memory") && e.contains("at most 1024"), "{e}");
    let e = bake("wide.safetensors", "2");
    assert!(e.contains("at most 256 rows and columns"), "{e}");
    let e = bake("tall.safetensors", "8");
    assert!(
        e.contains("bias memory") && e.contains("310") && e.contains("256"),
        "{e}"
    );
    let e = bake("nope.safetensors", "2");
    assert!(e.contains("nope.safetensors"), "{e}");
    let e = fails(
        &d,
        &["bitstream", "--bake", "m.safetensors", "--lanes", "3", "--out", "bs"],
        b"",
    );
    assert!(e.contains("--lanes 3"), "{e}");
    usage_error(&d, &["bitstream", "--bake", "m.safetensors", "--loopback"]);
    usage_error(&d, &["bitstream", "--dataset", "digits"]);
}

/// `backslash load`, and `run --load`: a model the board's memories cannot hold, unknown simulated
/// ports and conflicting options give one line, and no image file is left behind.
#[test]
fn loads_refused() {
    let d = Dir::new();
    d.file("m.safetensors", &mlp_bytes(&mlp(&[64, 16, 10])));
    d.file("values.safetensors", &mlp_bytes(&mlp_too_many_values()));
    let e = fails(&d, &["load", "--port", "sim", "values.safetensors", "-o", "v.bsi"], b"");
    assert!(e.contains("cannot be resident") && e.contains("value map"), "{e}");
    let e = fails(&d, &["load", "--port", "sim:nope", "m.safetensors"], b"");
    assert!(e.contains("sim:nope") && e.contains("sim:spram"), "{e}");
    let e = fails(
        &d,
        &[
            "run",
            "--port",
            "sim",
            "--load",
            "values.safetensors",
            "digits",
            "--samples",
            "1",
        ],
        b"",
    );
    assert!(e.contains("cannot be resident"), "{e}");
    bad_model_files(&d, &["load", "--port", "sim", "MODEL"]);
    usage_error(
        &d,
        &[
            "run",
            "--port",
            "sim",
            "--load",
            "--resident",
            "m.safetensors",
            "digits",
        ],
    );
    usage_error(&d, &["load", "m.safetensors"]);
}

#[test]
fn run_bad_models() {
    let d = Dir::new();
    bad_model_files(&d, &["run", "--port", "sim", "MODEL", "digits", "--samples", "1"]);
}

#[test]
fn run_bad_options_and_ports() {
    let d = Dir::new();
    d.file("m.safetensors", &mlp_bytes(&mlp(&[64, 16, 10])));
    let zeros = vec!["0"; 64].join(",");
    d.file("inputs.txt", format!("{zeros}\n").as_bytes());
    d.file("short.txt", b"1,2,3\n");
    d.file("big.txt", format!("{zeros},200\n").replacen("0,", "", 1).as_bytes());
    d.file("words.txt", b"hello\n");
    let run = |args: &[&str]| {
        let mut a = vec!["run"];
        a.extend_from_slice(args);
        fails(&d, &a, b"")
    };
    // The Verilated UART core has P = 4: another --lanes is refused after reading its ID register.
    for p in ["1", "2", "8"] {
        let e = run(&["--port", "sim", "--lanes", p, "m.safetensors", "inputs.txt"]);
        assert!(
            e.contains("built for P = 4 lanes") && e.contains(&format!("--lanes asks for {p}")),
            "{e}"
        );
    }
    for p in ["0", "3", "16"] {
        let e = run(&["--port", "sim", "--lanes", p, "m.safetensors", "inputs.txt"]);
        assert!(e.contains(&format!("--lanes {p}")), "{e}");
    }
    // A serial port that does not exist.
    let e = run(&["--port", "/dev/no-such-tty", "m.safetensors", "inputs.txt"]);
    assert!(e.contains("no-such-tty"), "{e}");
    run(&[
        "--port",
        "/dev/no-such-tty",
        "--baud",
        "0",
        "m.safetensors",
        "inputs.txt",
    ]);
    // Inputs: missing, not numbers, too few values, out of i8, none at all.
    let e = run(&["--port", "sim", "m.safetensors", "missing.txt"]);
    assert!(e.contains("missing.txt"), "{e}");
    run(&["--port", "sim", "m.safetensors", "words.txt"]);
    let e = run(&["--port", "sim", "m.safetensors", "short.txt"]);
    assert!(e.contains("3 values"), "{e}");
    run(&["--port", "sim", "m.safetensors", "big.txt"]);
    run(&["--port", "sim", "--samples", "0", "m.safetensors", "digits"]);
    run(&["--port", "sim", "m.safetensors", "fashion-mnist"]);
    run(&["--port", "sim", "--dataset", "nope", "m.safetensors", "digits"]);
    usage_error(&d, &["run", "m.safetensors", "digits"]);
}

#[test]
fn hdl_and_estimate_bad_options() {
    let d = Dir::new();
    d.file("afile", b"x");
    for p in ["0", "3", "16"] {
        fails(&d, &["hdl", "--lanes", p], b"");
        fails(&d, &["hdl", "--lanes", p, "--out", "v"], b"");
        fails(&d, &["estimate", "--lanes", p], b"");
    }
    // An output directory under a regular file cannot be created.
    let e = fails(&d, &["hdl", "--lanes", "1", "--out", "afile/v"], b"");
    assert!(e.contains("afile"), "{e}");
    for zeros in ["1.5", "-0.1", "NaN"] {
        fails(&d, &["estimate", &format!("--zeros={zeros}")], b"");
    }
    for mhz in ["0", "-3", "inf"] {
        fails(&d, &["estimate", &format!("--mhz={mhz}")], b"");
    }
    for layers in ["12", "0x5", "300x64", "64x257", "ax3", "", "4x4,"] {
        fails(&d, &["estimate", "--layers", layers], b"");
    }
    usage_error(&d, &["estimate", "--board", "nosuchboard"]);
    // The decoder: an unknown name is a usage error naming both; the serial assumptions are
    // checked, and refused with the pipelined decoder.
    let e = usage_error(&d, &["estimate", "--decoder", "nosuch"]);
    let line = e.lines().find(|l| l.starts_with("error:")).unwrap();
    assert!(line.contains("pipelined or serial"), "{e}");
    for bits in ["0.5", "NaN", "inf", "-2"] {
        fails(
            &d,
            &["estimate", "--decoder", "serial", &format!("--bits-per-weight={bits}")],
            b"",
        );
        fails(
            &d,
            &["estimate", "--decoder", "serial", &format!("--nonzero-bits={bits}")],
            b"",
        );
    }
    let e = fails(&d, &["estimate", "--bits-per-weight", "3"], b"");
    assert!(e.contains("--decoder serial"), "{e}");
    fails(&d, &["estimate", "--decoder", "pipelined", "--nonzero-bits", "8"], b"");
}

/// `demo` and `train` check every option before training; none leaves a file behind.
#[test]
fn demo_train_and_sweep_bad_options() {
    let d = Dir::new();
    d.file("afile", b"x");
    let e = fails(&d, &["demo", "--out", "o", "--lanes", "3"], b"");
    assert!(e.contains("3 lanes"), "{e}");
    fails(&d, &["demo", "--out", "o", "--board-lanes", "3"], b"");
    fails(&d, &["demo", "--out", "o", "--step-bits", "40"], b"");
    fails(&d, &["demo", "--out", "o", "--lambda", "0"], b"");
    fails(&d, &["demo", "--out", "o", "--lambda", "NaN"], b"");
    fails(&d, &["demo", "--out", "o", "--batch", "0"], b"");
    fails(&d, &["demo", "--out", "o", "--samples", "0"], b"");
    fails(&d, &["demo", "--out", "o", "--optimizer", "rmsprop"], b"");
    let e = fails(&d, &["demo", "--out", "afile"], b"");
    assert!(e.contains("afile"), "{e}");
    fails(&d, &["demo", "--out", "afile/o"], b"");
    // train: outputs and the export step are checked before training.
    let e = fails(&d, &["train", "-o", "no/such/dir/m.safetensors"], b"");
    assert!(e.contains("no/such/dir"), "{e}");
    fails(&d, &["train", "-o", "m.safetensors", "--qmodel", "afile/q.json"], b"");
    fails(&d, &["train", "-o", "m.safetensors", "--step-bits", "40"], b"");
    fails(&d, &["train", "-o", "m.safetensors", "--dataset", "nope"], b"");
    fails(&d, &["train", "-o", "m.safetensors", "--hidden", "0"], b"");
    // sweep
    fails(&d, &["sweep", "--out", "s", "--step-bits", "40"], b"");
    fails(&d, &["sweep", "--out", "afile"], b"");
    fails(&d, &["sweep", "--out", "s", "--lambdas=-1"], b"");
    fails(&d, &["sweep", "--out", "s", "--regs", "none"], b"");
    fails(&d, &["sweep", "--out", "s", "--regs", "l7"], b"");
    fails(&d, &["sweep", "--out", "s", "--dataset", "nope"], b"");
}

/// `bitstream` without some of its tools names each missing one and its package, before any work.
#[test]
fn bitstream_names_missing_tools_and_packages() {
    let d = Dir::new();
    let empty = tempfile::tempdir().unwrap();
    let e = fails_with(&d, &["bitstream", "--out", "bs"], b"", &[("PATH", empty.path())], false);
    assert!(
        e.contains("yosys, nextpnr-ice40, icepack not found")
            && e.contains("apt-get install yosys nextpnr-ice40 fpga-icestorm"),
        "{e}"
    );
    // Only yosys present (when it is installed): the other two are named.
    let which = std::process::Command::new("sh")
        .args(["-c", "command -v yosys"])
        .output()
        .unwrap();
    let yosys = String::from_utf8_lossy(&which.stdout).trim().to_string();
    if !yosys.is_empty() {
        let partial = tempfile::tempdir().unwrap();
        std::os::unix::fs::symlink(&yosys, partial.path().join("yosys")).unwrap();
        let e = fails_with(
            &d,
            &["bitstream", "--out", "bs"],
            b"",
            &[("PATH", partial.path())],
            false,
        );
        assert!(
            e.contains("nextpnr-ice40, icepack not found")
                && e.contains("apt-get install nextpnr-ice40 fpga-icestorm")
                && !e.contains("yosys,"),
            "{e}"
        );
    }
}

/// The counterpart of the `--lanes` refusals above: the P the core was built with is accepted and
/// the run matches golden.
#[test]
fn run_accepts_the_lanes_the_core_was_built_with() {
    let d = Dir::new();
    d.file("m.safetensors", &mlp_bytes(&mlp(&[64, 16, 10])));
    let out = Command::cargo_bin("backslash")
        .unwrap()
        .current_dir(d.0.path())
        .args([
            "run",
            "--port",
            "sim",
            "--lanes",
            "4",
            "m.safetensors",
            "digits",
            "--samples",
            "1",
        ])
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{stdout}{}", String::from_utf8_lossy(&out.stderr));
    assert!(
        stdout.contains("1 inputs over the UART: 0 differ from golden"),
        "{stdout}"
    );
}

/// `make test` builds the CLI without the opt-in `transformer` feature (burn): its subcommands
/// then say how to get it, in one line, and write nothing.
#[test]
fn transformer_commands_without_the_feature_say_how_to_build_it() {
    let dir = Dir::new();
    for args in [
        &[
            "finetune",
            "--task",
            "sentiment",
            "--lambda",
            "1e8",
            "-o",
            "ft.safetensors",
        ][..],
        &["evaluate", "ft.safetensors"][..],
        &["finetune-sweep", "--out", "sweep"][..],
    ] {
        let e = fails(&dir, args, b"");
        assert!(
            e.contains("--features transformer") && e.contains("make results-transformer"),
            "{e}"
        );
    }
}
