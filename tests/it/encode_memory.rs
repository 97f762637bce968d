//! The CLI on models larger than memory: `encode` memory-maps the model and encodes a batch of
//! tensors at a time, with each batch's records written before the next is read; `decode` and
//! `inspect` hold one tensor at a time. So the peak memory follows the largest tensor, not the
//! model.
//!
//! - `streamed_container_matches_to_bytes` (quick, in `make test`): the container written batch by
//!   batch is byte for byte the one `Container::to_bytes` makes from `encode_tensor` of each tensor
//!   (the format does not change), for a model of several batches with F32, F16, BF16 and raw tensors.
//! - `encode_peak_memory_follows_the_largest_tensor` (`#[ignore]`, run by `make bench`): a synthetic
//!   512 MiB model (8 tensors of 64 MiB of f32; `BS_BENCH_TENSORS` and `BS_BENCH_TENSOR_MIB` change
//!   it), encoded by the binary as a child process whose peak RSS (VmHWM, polled from /proc every
//!   2 ms) must stay under 3x the largest tensor and, with 8 or more tensors, under half the file.
//!   The figures are printed and recorded in docs/robustness.md.
//! - `billion_parameter_model_in_bounded_memory` (`#[ignore]`, `make bench`): a generated 4 GB
//!   model of 1 B F32 weights (60 matrices of 4096 x 4096) is encoded, verified by `inspect` and
//!   decoded by the binary, each under 512 MiB of peak RSS, at the MB/s printed; every decoded
//!   weight is within half a step of the original.
//! - `stats_of_a_110m_parameter_model` (`#[ignore]`, `make bench`): `stats` on a generated model
//!   of bert-base-uncased's shapes (109.5 M weights) in under 3 s.

use assert_cmd::Command;
use golden::container::{encode_tensor, CodeChoice, Container, KChoice};
use golden::tensors::{write_safetensors, DType, Tensor, TensorData};
use std::io::Write;
use std::path::Path;
use std::time::{Duration, Instant};

/// xorshift64*: a deterministic stream of u64.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    /// A weight of a Laplace-like (triangular) distribution of scale `s`.
    fn weight(&mut self, s: f32) -> f32 {
        let u = (self.next() >> 40) as f32 / (1u64 << 24) as f32;
        let v = (self.next() >> 40) as f32 / (1u64 << 24) as f32;
        (u - v) * s
    }
}

fn float(name: &str, dtype: DType, shape: Vec<usize>, rng: &mut Rng) -> Tensor {
    let n: usize = shape.iter().product();
    let w: Vec<f32> = (0..n)
        .map(|_| {
            let x = rng.weight(0.1);
            match dtype {
                DType::F16 => half_round(x, 10),
                DType::BF16 => half_round(x, 7),
                _ => x,
            }
        })
        .collect();
    Tensor {
        name: name.into(),
        dtype,
        shape,
        data: TensorData::Float(w),
    }
}

/// `x` rounded to `mantissa` bits (exact in F16 for mantissa 10 and small normal values, in BF16
/// for 7), so the F16/BF16 round trip through safetensors is exact.
fn half_round(x: f32, mantissa: u32) -> f32 {
    let drop = 23 - mantissa;
    f32::from_bits((x.to_bits() >> drop) << drop)
}

#[test]
fn streamed_container_matches_to_bytes() {
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
    // 2.3 M f32 elements in all (9 MiB): with a 64 MiB batch budget one batch; the large tensor
    // does not change that, so also check a model whose largest tensor sets the cap (below).
    let mut tensors = vec![
        float("embed", DType::F32, vec![3000, 512], &mut rng),
        float("a.weight", DType::F16, vec![64, 64], &mut rng),
        float("a.bias", DType::BF16, vec![64], &mut rng),
        Tensor {
            name: "ids".into(),
            dtype: DType::I64,
            shape: vec![3],
            data: TensorData::Raw((0..24).collect()),
        },
        float("scalar", DType::F32, vec![], &mut rng),
        float("empty", DType::F32, vec![0, 5], &mut rng),
        float("big", DType::F32, vec![1 << 20], &mut rng),
    ];
    // Constant and one-value tensors.
    tensors.push(Tensor {
        name: "zeros".into(),
        dtype: DType::F32,
        shape: vec![100],
        data: TensorData::Float(vec![0.0; 100]),
    });
    let st = write_safetensors(&tensors).unwrap();
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("m.safetensors"), &st).unwrap();
    // The file's tensor order is the order of the records.
    let order = golden::tensors::list_safetensors(&st).unwrap();
    let read = golden::tensors::read_safetensors(&st).unwrap();
    for (step, k) in [(8u32, "auto"), (4, "2"), (12, "0")] {
        let out = dir.path().join(format!("m{step}.bsz"));
        Command::cargo_bin("backslash")
            .unwrap()
            .arg("encode")
            .arg(dir.path().join("m.safetensors"))
            .arg("-o")
            .arg(&out)
            .args(["--step-bits", &step.to_string(), "--k", k])
            .assert()
            .success();
        let kc = match k {
            "auto" => KChoice::Auto,
            k => KChoice::Fixed(k.parse().unwrap()),
        };
        let entries = order
            .iter()
            .map(|(name, _, _)| {
                let t = read.iter().find(|t| &t.name == name).unwrap();
                // `--code auto`, the default.
                encode_tensor(t, step, CodeChoice::Auto(kc)).unwrap()
            })
            .collect();
        let want = Container { entries }.to_bytes().unwrap();
        let got = std::fs::read(&out).unwrap();
        assert!(got == want, "step {step}, k {k}: the streamed container differs");
    }
}

/// A run of the CLI as a child process: its peak resident memory, wall time and standard output.
struct Measured {
    peak_kib: u64,
    secs: f64,
    stdout: String,
}

/// Runs `backslash ARGS` as a child process, polling its VmHWM from /proc every 2 ms; panics with
/// its standard error if it fails.
fn run_measured(args: &[&std::ffi::OsStr]) -> Measured {
    // Output goes to files, not pipes: a pipe nobody reads until the end would block a child that
    // prints more than the pipe holds (`stats --json`).
    let (out, err) = (tempfile::tempfile().unwrap(), tempfile::tempfile().unwrap());
    let t0 = Instant::now();
    let mut child = std::process::Command::new(assert_cmd::cargo::cargo_bin("backslash"))
        .args(args)
        .stdout(out.try_clone().unwrap())
        .stderr(err.try_clone().unwrap())
        .spawn()
        .unwrap();
    let pid = child.id();
    let mut peak = 0;
    let status = loop {
        if let Some(kib) = vm_hwm_kib(pid) {
            peak = peak.max(kib);
        }
        if let Some(s) = child.try_wait().unwrap() {
            break s;
        }
        std::thread::sleep(Duration::from_millis(2));
    };
    let secs = t0.elapsed().as_secs_f64();
    let read = |mut f: std::fs::File| {
        use std::io::{Read, Seek};
        let mut s = String::new();
        f.seek(std::io::SeekFrom::Start(0)).unwrap();
        f.read_to_string(&mut s).unwrap();
        s
    };
    assert!(status.success(), "{:?} failed: {}", args, read(err));
    assert!(peak > 0, "no VmHWM sample");
    Measured {
        peak_kib: peak,
        secs,
        stdout: read(out).trim().to_string(),
    }
}

/// Peak resident memory (VmHWM, KiB) of a running process, if it still runs.
fn vm_hwm_kib(pid: u32) -> Option<u64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
}

/// Writes a safetensors file of `tensors` F32 tensors of `elems` elements each, streamed in chunks
/// (the test itself never holds the model).
fn write_big_model(path: &Path, tensors: usize, elems: usize) {
    let names: Vec<String> = (0..tensors).map(|i| format!("layer{i}.weight")).collect();
    write_model(
        path,
        &names.iter().map(|n| (n.as_str(), vec![elems])).collect::<Vec<_>>(),
    );
}

/// Writes a safetensors file of F32 tensors (name, shape) of triangular weights of scale 0.05,
/// streamed in chunks.
fn write_model(path: &Path, tensors: &[(&str, Vec<usize>)]) {
    let mut header = String::from("{");
    let mut at = 0;
    for (i, (name, shape)) in tensors.iter().enumerate() {
        let bytes = 4 * shape.iter().product::<usize>();
        if i > 0 {
            header.push(',');
        }
        let dims = shape.iter().map(|d| d.to_string()).collect::<Vec<_>>().join(",");
        header += &format!(
            r#""{name}":{{"dtype":"F32","shape":[{dims}],"data_offsets":[{at},{}]}}"#,
            at + bytes
        );
        at += bytes;
    }
    header.push('}');
    while header.len() % 8 != 0 {
        header.push(' ');
    }
    let mut f = std::io::BufWriter::new(std::fs::File::create(path).unwrap());
    f.write_all(&(header.len() as u64).to_le_bytes()).unwrap();
    f.write_all(header.as_bytes()).unwrap();
    let mut rng = Rng(42);
    let mut chunk = Vec::with_capacity(1 << 22);
    for (_, shape) in tensors {
        let mut left: usize = shape.iter().product();
        while left > 0 {
            let n = left.min(1 << 20);
            chunk.clear();
            for _ in 0..n {
                chunk.extend_from_slice(&rng.weight(0.05).to_le_bytes());
            }
            f.write_all(&chunk).unwrap();
            left -= n;
        }
    }
    f.flush().unwrap();
}

#[test]
#[ignore = "benchmark (make bench): writes and encodes a 512 MiB model"]
fn encode_peak_memory_follows_the_largest_tensor() {
    let tensors: usize = std::env::var("BS_BENCH_TENSORS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(8);
    let tensor_mib: usize = std::env::var("BS_BENCH_TENSOR_MIB")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(64);
    let elems = tensor_mib << 18; // MiB of f32
    let dir = tempfile::tempdir().unwrap();
    let model = dir.path().join("big.safetensors");
    let out = dir.path().join("big.bsz");
    write_big_model(&model, tensors, elems);
    let file_kib = std::fs::metadata(&model).unwrap().len() / 1024;

    let run = run_measured(&["encode".as_ref(), model.as_os_str(), "-o".as_ref(), out.as_os_str()]);
    let (peak, secs) = (run.peak_kib, run.secs);
    println!("{}", run.stdout);
    println!(
        "encode of a {} MiB model ({tensors} F32 tensors of {tensor_mib} MiB): peak RSS {} MiB ({:.1}% of the file, {:.2}x the largest tensor), {secs:.2} s",
        file_kib / 1024,
        peak / 1024,
        100.0 * peak as f64 / file_kib as f64,
        peak as f64 / (tensor_mib * 1024) as f64
    );
    // The container is whole and decodes (inspect verifies every CRC and every payload).
    Command::cargo_bin("backslash")
        .unwrap()
        .arg("inspect")
        .arg(&out)
        .assert()
        .success();
    // The peak follows the largest tensor (f32 copy, then quantized values and indices), not the
    // model: at most 3x the tensor, and for the default 8 tensors under half the file.
    let tensor_kib = (tensor_mib * 1024) as u64;
    assert!(
        peak < 3 * tensor_kib,
        "peak RSS {peak} KiB is above 3x the largest tensor ({tensor_kib} KiB)"
    );
    if tensors >= 8 {
        assert!(
            peak < file_kib / 2,
            "peak RSS {peak} KiB is not below half the {file_kib} KiB model"
        );
    }
}

/// Resident memory a command may peak at on the 1 B-parameter model, whatever the model's size.
const BILLION_PEAK_MIB: u64 = 512;

#[test]
#[ignore = "benchmark (make bench): writes a 4 GB model of 1 B parameters, encodes, verifies and decodes it"]
fn billion_parameter_model_in_bounded_memory() {
    // 60 matrices of 4096 x 4096 (the attention and MLP blocks of a 7B-class model's width):
    // 1,006,632,960 F32 weights, 4.03 GB. `BS_BENCH_MATRICES` changes the count.
    let matrices: usize = std::env::var("BS_BENCH_MATRICES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(60);
    let dir = tempfile::tempdir().unwrap();
    let model = dir.path().join("1b.safetensors");
    let bsz = dir.path().join("1b.bsz");
    let back = dir.path().join("1b.decoded.safetensors");
    let t0 = Instant::now();
    let names: Vec<String> = (0..matrices).map(|i| format!("block{i}.weight")).collect();
    write_model(
        &model,
        &names.iter().map(|n| (n.as_str(), vec![4096, 4096])).collect::<Vec<_>>(),
    );
    let model_mb = std::fs::metadata(&model).unwrap().len() as f64 / 1e6;
    println!(
        "wrote {matrices} F32 matrices of 4096 x 4096 ({} weights, {model_mb:.0} MB) in {:.1} s",
        matrices * 4096 * 4096,
        t0.elapsed().as_secs_f64()
    );
    let o = |p: &Path| p.as_os_str().to_owned();
    let report = |what: &str, m: &Measured, mb: f64| {
        println!("{}", m.stdout.lines().next().unwrap_or_default());
        println!(
            "{what}: peak RSS {} MiB, {:.1} s, {:.0} MB/s of the safetensors file",
            m.peak_kib / 1024,
            m.secs,
            mb / m.secs
        );
        assert!(
            m.peak_kib < BILLION_PEAK_MIB * 1024,
            "{what}: peak RSS {} KiB is not under {BILLION_PEAK_MIB} MiB",
            m.peak_kib
        );
    };
    let enc = run_measured(&["encode".as_ref(), &o(&model), "-o".as_ref(), &o(&bsz)]);
    report("encode", &enc, model_mb);
    let ver = run_measured(&["inspect".as_ref(), &o(&bsz)]);
    assert!(ver.stdout.contains("verified"), "{}", ver.stdout);
    report("inspect (verify every payload)", &ver, model_mb);
    let dec = run_measured(&["decode".as_ref(), &o(&bsz), "-o".as_ref(), &o(&back)]);
    report("decode", &dec, model_mb);
    // Every weight is within half a step (2^-9) of the original: compare the two files a tensor at
    // a time through memory maps.
    let (a, b) = (
        std::fs::File::open(&model).unwrap(),
        std::fs::File::open(&back).unwrap(),
    );
    #[allow(unsafe_code)]
    let (a, b) = unsafe { (memmap2::Mmap::map(&a).unwrap(), memmap2::Mmap::map(&b).unwrap()) };
    let names: Vec<String> = golden::tensors::list_safetensors(&a)
        .unwrap()
        .into_iter()
        .map(|(n, _, _)| n)
        .collect();
    assert_eq!(golden::tensors::list_safetensors(&b).unwrap().len(), names.len());
    for name in &names {
        let (ra, rb) = (
            golden::tensors::data_range(&a, name).unwrap(),
            golden::tensors::data_range(&b, name).unwrap(),
        );
        assert_eq!(ra.len(), rb.len(), "{name}");
        let worst = a[ra]
            .chunks_exact(4)
            .zip(b[rb].chunks_exact(4))
            .map(|(x, y)| {
                let x = f32::from_le_bytes(x.try_into().unwrap());
                let y = f32::from_le_bytes(y.try_into().unwrap());
                (x - y).abs()
            })
            .fold(0f32, f32::max);
        assert!(worst <= 1.0 / 512.0, "{name}: error {worst} above half a step");
    }
}

/// The tensors of a BERT-base-sized model (109.5 M weights: the shapes of bert-base-uncased).
fn bert_base() -> Vec<(String, Vec<usize>)> {
    let h = 768;
    let mut t = vec![
        ("embeddings.word_embeddings.weight".to_string(), vec![30522, h]),
        ("embeddings.position_embeddings.weight".into(), vec![512, h]),
        ("embeddings.token_type_embeddings.weight".into(), vec![2, h]),
        ("embeddings.LayerNorm.weight".into(), vec![h]),
        ("embeddings.LayerNorm.bias".into(), vec![h]),
    ];
    for l in 0..12 {
        let p = format!("encoder.layer.{l}");
        for m in [
            "attention.self.query",
            "attention.self.key",
            "attention.self.value",
            "attention.output.dense",
        ] {
            t.push((format!("{p}.{m}.weight"), vec![h, h]));
            t.push((format!("{p}.{m}.bias"), vec![h]));
        }
        t.push((format!("{p}.intermediate.dense.weight"), vec![4 * h, h]));
        t.push((format!("{p}.intermediate.dense.bias"), vec![4 * h]));
        t.push((format!("{p}.output.dense.weight"), vec![h, 4 * h]));
        t.push((format!("{p}.output.dense.bias"), vec![h]));
        for n in ["attention.output.LayerNorm", "output.LayerNorm"] {
            t.push((format!("{p}.{n}.weight"), vec![h]));
            t.push((format!("{p}.{n}.bias"), vec![h]));
        }
    }
    t.push(("pooler.dense.weight".into(), vec![h, h]));
    t.push(("pooler.dense.bias".into(), vec![h]));
    t
}

/// `stats` may take this long on the 110 M-parameter model (the target of docs/codec.md).
const STATS_110M_SECS: f64 = 3.0;

#[test]
#[ignore = "benchmark (make bench): writes a 438 MB BERT-base-sized model and times `stats` on it"]
fn stats_of_a_110m_parameter_model() {
    let tensors = bert_base();
    let params: usize = tensors.iter().map(|(_, s)| s.iter().product::<usize>()).sum();
    let dir = tempfile::tempdir().unwrap();
    let model = dir.path().join("bert-base.safetensors");
    write_model(
        &model,
        &tensors.iter().map(|(n, s)| (n.as_str(), s.clone())).collect::<Vec<_>>(),
    );
    // The first run reads the file into the page cache; the timed ones read it from there.
    let args = ["stats".as_ref(), model.as_os_str(), "--json".as_ref()];
    run_measured(&args);
    let secs: Vec<f64> = (0..3).map(|_| run_measured(&args).secs).collect();
    let best = secs.iter().copied().fold(f64::INFINITY, f64::min);
    println!(
        "stats of a {params}-weight model ({} tensors), {} threads: {secs:.2?} s, best {best:.2} s",
        tensors.len(),
        std::thread::available_parallelism().map_or(1, |n| n.get())
    );
    assert!(
        best < STATS_110M_SECS,
        "stats took {best:.2} s, not under {STATS_110M_SECS} s"
    );
}
