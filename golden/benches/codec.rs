//! Codec speed and size: EG(k) encode/decode, Huffman, and zstd on the same quantized tensors.
//!
//! Run: `cargo bench -p golden --bench codec` (single thread; results in docs/codec.md).
//!
//! Two seeded synthetic tensors of 2^20 weights, drawn from generalized-Gaussian laws
//! (|w| = α·Gamma(1/ν, 1)^(1/ν), random sign) and quantized with step 2^-8:
//! - `peaked`: ν = 0.5, α = 2e-3: entropy ≈ 3.9 bits and ~26% zeros, like weights after
//!   BackSlash training (docs/codec.md, "Benchmark");
//! - `wide`: ν = 1.4, α = 0.04: entropy ≈ 5.3 bits, like a pretrained model before it (all-MiniLM-L6-v2 pools at ν ≈ 1.4).
//!
//! Before timing, the sizes of every code are printed in bits per weight, and the decoders'
//! speed is also measured in CPU time of this thread (from `/proc/thread-self/schedstat`), which
//! other processes on a loaded machine do not inflate the way they inflate wall time.

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};
use golden::{expgolomb, fixed, huffman::HuffmanCode, quant, valuemap::ValueMap};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use rand_distr::{Distribution, Gamma};
use std::hint::black_box;
use std::time::Duration;

const N: usize = 1 << 20;
const STEP_BITS: u32 = 8;
/// Elements per independently coded chunk of the interleaved decoder.
const CHUNK: usize = 1 << 16;

struct Tensor {
    name: &'static str,
    q: Vec<i32>,
    indices: Vec<u32>,
    counts: Vec<u64>,
}

fn gg_tensor(name: &'static str, nu: f64, alpha: f64, seed: u64) -> Tensor {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let gamma = Gamma::new(1.0 / nu, 1.0).expect("valid shape");
    let w: Vec<f32> = (0..N)
        .map(|_| {
            let mag = alpha * gamma.sample(&mut rng).powf(1.0 / nu);
            (if rng.random::<bool>() { mag } else { -mag }) as f32
        })
        .collect();
    let q = quant::quantize_slice(&w, STEP_BITS).expect("finite weights");
    let (map, counts) = ValueMap::from_quantized_with_counts(&q);
    let indices = map.to_indices(&q).expect("every value is in its own map");
    Tensor {
        name,
        q,
        indices,
        counts,
    }
}

fn tensors() -> Vec<Tensor> {
    vec![gg_tensor("peaked", 0.5, 2e-3, 1), gg_tensor("wide", 1.4, 0.04, 2)]
}

fn i16_bytes(q: &[i32]) -> Vec<u8> {
    q.iter()
        .flat_map(|&v| (v.clamp(i16::MIN.into(), i16::MAX.into()) as i16).to_le_bytes())
        .collect()
}

fn bpw(bytes: usize) -> f64 {
    bytes as f64 * 8.0 / N as f64
}

fn print_sizes(t: &Tensor) {
    let distinct = t.counts.len();
    let best_k = (0..=expgolomb::MAX_K)
        .min_by_key(|&k| expgolomb::encoded_bits(&t.indices, k))
        .unwrap_or(0);
    let huff = HuffmanCode::from_counts(&t.counts).expect("non-empty");
    let raw = i16_bytes(&t.q);
    let z3 = zstd::bulk::compress(&raw, 3).expect("zstd");
    let z19 = zstd::bulk::compress(&raw, 19).expect("zstd");
    println!(
        "{}: {} weights, {} distinct, bits/weight: fixed {} | entropy {:.3} | Huffman {:.3} | EG(0) {:.3} | \
         EG({best_k}) {:.3} (best k) | zstd-3 {:.3} | zstd-19 {:.3} (i16 input: 16)",
        t.name,
        N,
        distinct,
        fixed::fixed_bits_per_symbol(distinct),
        fixed::entropy_bits(&t.counts),
        huff.bits_for_counts(&t.counts).expect("all counted symbols have codes") as f64 / N as f64,
        expgolomb::encoded_bits(&t.indices, 0) as f64 / N as f64,
        expgolomb::encoded_bits(&t.indices, best_k) as f64 / N as f64,
        bpw(z3.len()),
        bpw(z19.len()),
    );
}

/// Nanoseconds this thread has spent on a CPU (Linux schedstat), if available.
fn cpu_ns() -> Option<u64> {
    std::fs::read_to_string("/proc/thread-self/schedstat")
        .ok()?
        .split_whitespace()
        .next()?
        .parse()
        .ok()
}

/// Runs `f` (which processes N weights) for about a second; prints M weights/s per CPU second
/// and per wall second.
fn cpu_rate(label: &str, mut f: impl FnMut()) {
    f();
    let (w0, c0) = (std::time::Instant::now(), cpu_ns());
    let mut runs = 0u64;
    while w0.elapsed() < Duration::from_millis(1500) {
        f();
        runs += 1;
    }
    let wall = w0.elapsed().as_secs_f64();
    let weights = (runs * N as u64) as f64;
    match (c0, cpu_ns()) {
        (Some(a), Some(b)) => println!(
            "  {label}: {:.1} M weights/s per CPU second ({:.1} per wall second, {runs} runs)",
            weights / ((b - a) as f64 * 1e-9) / 1e6,
            weights / wall / 1e6
        ),
        _ => println!("  {label}: {:.1} M weights/s per wall second", weights / wall / 1e6),
    }
}

/// One tensor in every code the benchmark compares.
struct Coded {
    best_k: u32,
    eg0: Vec<u8>,
    /// EG(0) of the indices in one stream with the start bit of each [`CHUNK`] of them, for
    /// `decode_at`.
    eg0_chunked: (Vec<u8>, Vec<u64>),
    egk: Vec<u8>,
    huff: HuffmanCode,
    hbytes: Vec<u8>,
    /// The quantized values as little-endian int16 (zstd's input).
    raw: Vec<u8>,
    z3: Vec<u8>,
    z19: Vec<u8>,
}

impl Coded {
    fn new(t: &Tensor) -> Coded {
        let best_k = (0..=expgolomb::MAX_K)
            .min_by_key(|&k| expgolomb::encoded_bits(&t.indices, k))
            .unwrap_or(0);
        let huff = HuffmanCode::from_counts(&t.counts).expect("non-empty");
        let raw = i16_bytes(&t.q);
        Coded {
            best_k,
            eg0: expgolomb::encode(&t.indices, 0),
            eg0_chunked: {
                let mut w = golden::bits::BitWriter::new();
                let mut starts = Vec::new();
                for c in t.indices.chunks(CHUNK) {
                    starts.push(golden::bits::BitSink::bit_len(&w));
                    for &v in c {
                        expgolomb::write(&mut w, v, 0);
                    }
                }
                (w.finish(), starts)
            },
            egk: expgolomb::encode(&t.indices, best_k),
            hbytes: huff.encode(&t.indices).expect("all symbols coded"),
            huff,
            z3: zstd::bulk::compress(&raw, 3).expect("zstd"),
            z19: zstd::bulk::compress(&raw, 19).expect("zstd"),
            raw,
        }
    }
}

fn print_cpu_rates(t: &Tensor) {
    let Coded {
        best_k,
        eg0,
        eg0_chunked: (chunked, starts),
        egk,
        huff,
        hbytes,
        raw,
        z3,
        z19,
    } = Coded::new(t);
    let mut out = vec![0u32; N];
    println!("{} (CPU-time rates):", t.name);
    cpu_rate("EG(0) decode_into", || {
        expgolomb::decode_into(black_box(&eg0), 0, &mut out).expect("valid")
    });
    // decode_at runs its groups of four chunks on rayon's threads: a one-thread pool, in wall time.
    let one = rayon::ThreadPoolBuilder::new().num_threads(1).build().expect("pool");
    let decode_at = |out: &mut [u32]| {
        let mut slots: Vec<&mut [u32]> = out.chunks_mut(CHUNK).collect();
        expgolomb::decode_at(black_box(&chunked), 0, &starts, &mut slots).expect("valid")
    };
    let s = per_run(1.5, false, || drop(one.install(|| decode_at(&mut out))));
    println!(
        "  EG(0) decode_at, {} chunks of {CHUNK}, four in turn, one-thread pool: {:.1} M weights/s per wall second",
        starts.len(),
        N as f64 / s / 1e6
    );
    decode_at(&mut out);
    assert_eq!(out, t.indices, "chunked round trip");
    cpu_rate("EG(0) decode", || {
        drop(black_box(expgolomb::decode(black_box(&eg0), 0, N).expect("valid")))
    });
    cpu_rate(&format!("EG({best_k}) decode_into"), || {
        expgolomb::decode_into(black_box(&egk), best_k, &mut out).expect("valid")
    });
    cpu_rate("EG(0) encode", || {
        drop(black_box(expgolomb::encode(black_box(&t.indices), 0)))
    });
    cpu_rate("Huffman decode", || {
        drop(black_box(huff.decode(black_box(&hbytes), N).expect("valid")))
    });
    cpu_rate("zstd-3 decompress", || {
        drop(black_box(
            zstd::bulk::decompress(black_box(&z3), raw.len()).expect("valid"),
        ))
    });
    cpu_rate("zstd-19 decompress", || {
        drop(black_box(
            zstd::bulk::decompress(black_box(&z19), raw.len()).expect("valid"),
        ))
    });
}

/// Seconds per run of `f`, over about `secs` of runs (after one warm-up run): CPU time of this
/// thread when `cpu`, else wall time.
fn per_run(secs: f64, cpu: bool, mut f: impl FnMut()) -> f64 {
    f();
    let (w0, c0) = (std::time::Instant::now(), cpu_ns());
    let mut runs = 0u32;
    while runs == 0 || w0.elapsed().as_secs_f64() < secs {
        f();
        runs += 1;
    }
    match (cpu, c0, cpu_ns()) {
        (true, Some(a), Some(b)) => (b - a) as f64 * 1e-9 / f64::from(runs),
        _ => w0.elapsed().as_secs_f64() / f64::from(runs),
    }
}

/// The side-by-side comparison on one set of float tensors, all quantized with step 2^-8: our
/// container codes (chunked, as `backslash encode` writes them) against zstd -3 and -19 on the same
/// quantized values as int16. Sizes in bits/weight (payload, code tables and chunk index); speeds
/// in M weights/s of the whole path (indices for ours, int16 for zstd) on one thread and for our
/// decode also on every core, in wall time for our codes (a one-thread rayon pool) and CPU time
/// for zstd; ratios against zstd-19. Encode includes quantization, the value map and the code choice.
fn side_by_side(label: &str, tensors: &[(String, Vec<f32>)], with_zstd: bool) {
    use golden::container::{decode_indices, decode_indices_into, encode_floats, CodeChoice, KChoice};
    let n: usize = tensors.iter().map(|(_, w)| w.len()).sum();
    let one = rayon::ThreadPoolBuilder::new().num_threads(1).build().expect("pool");
    let cores = rayon::current_num_threads();
    println!(
        "side by side, {label}: {} tensors, {n} weights, step 2^-{STEP_BITS}",
        tensors.len()
    );
    println!(
        "  | code | bits/weight | decode M w/s (1 thread) | decode M w/s ({cores} threads) | decode, new buffers (1 thread) | encode M w/s (1 thread) |"
    );
    let mut rows: Vec<(String, f64, f64, f64, f64, f64)> = Vec::new();
    for (name, choice) in [
        ("EG (best k)", CodeChoice::ExpGolomb(KChoice::Auto)),
        ("EG(0)", CodeChoice::ExpGolomb(KChoice::Fixed(0))),
        ("Huffman", CodeChoice::Huffman),
        ("auto", CodeChoice::Auto(KChoice::Auto)),
    ] {
        let enc = || -> Vec<golden::container::Coded> {
            tensors
                .iter()
                .map(|(t, w)| encode_floats(t, w, STEP_BITS, choice).expect("codes"))
                .collect()
        };
        let coded = one.install(enc);
        let bytes: u64 = coded
            .iter()
            .map(|c| c.payload.len() as u64 + c.code.table_bytes() + 8 * c.chunk_starts.len() as u64)
            .sum();
        // Decoding into one reused buffer (the way a caller decoding many tensors works), and into
        // a new vector per tensor (`decode_indices`: the kernel faults in fresh pages for each).
        let mut buf = Vec::new();
        let mut dec = || {
            for (c, (t, _)) in coded.iter().zip(tensors) {
                decode_indices_into(t, c, &mut buf).expect("valid");
                black_box(&buf);
            }
        };
        let dec_new = || {
            for (c, (t, _)) in coded.iter().zip(tensors) {
                drop(black_box(decode_indices(t, c).expect("valid")));
            }
        };
        // The pool's thread does the work: wall time (run this on an idle machine).
        let d1 = per_run(1.0, false, || one.install(&mut dec));
        let dn = per_run(1.0, false, &mut dec);
        let da = per_run(1.0, false, || one.install(dec_new));
        let e1 = per_run(1.0, false, || drop(black_box(one.install(enc))));
        rows.push((
            name.to_string(),
            bytes as f64 * 8.0 / n as f64,
            n as f64 / d1 / 1e6,
            n as f64 / dn / 1e6,
            n as f64 / da / 1e6,
            n as f64 / e1 / 1e6,
        ));
    }
    let raw: Vec<Vec<u8>> = tensors
        .iter()
        .map(|(_, w)| i16_bytes(&quant::quantize_slice(w, STEP_BITS).expect("finite")))
        .collect();
    for level in if with_zstd { vec![3, 19] } else { Vec::new() } {
        let z: Vec<Vec<u8>> = raw
            .iter()
            .map(|r| zstd::bulk::compress(r, level).expect("zstd"))
            .collect();
        let bytes: usize = z.iter().map(|c| c.len()).sum();
        // Into one reused buffer, as our decode above.
        let mut buf = vec![0u8; raw.iter().map(Vec::len).max().unwrap_or(0)];
        let d1 = per_run(1.0, true, || {
            for (c, r) in z.iter().zip(&raw) {
                let n = zstd::bulk::decompress_to_buffer(c, &mut buf[..r.len()]).expect("valid");
                black_box(&buf[..n]);
            }
        });
        let e1 = per_run(if level == 19 { 0.1 } else { 1.0 }, true, || {
            for r in &raw {
                drop(black_box(zstd::bulk::compress(r, level).expect("zstd")));
            }
        });
        rows.push((
            format!("zstd -{level} (int16)"),
            bytes as f64 * 8.0 / n as f64,
            n as f64 / d1 / 1e6,
            f64::NAN,
            f64::NAN,
            n as f64 / e1 / 1e6,
        ));
    }
    // Ratios against zstd -19 when it ran; the decode speed-up of every core over one thread.
    let z19 = rows.last().expect("a row").clone();
    for (name, bpw, d1, dn, da, e1) in &rows {
        let (dn, da) = if dn.is_nan() {
            ("-".to_string(), "-".to_string())
        } else {
            (format!("{dn:.0} ({:.2}x)", dn / d1), format!("{da:.0}"))
        };
        if with_zstd {
            println!(
                "  | {name} | {bpw:.3} ({:.2}x zstd-19) | {d1:.0} ({:.2}x) | {dn} | {da} | {e1:.1} ({:.2}x) |",
                bpw / z19.1,
                d1 / z19.2,
                e1 / z19.5
            );
        } else {
            println!("  | {name} | {bpw:.3} | {d1:.0} | {dn} | {da} | {e1:.1} |");
        }
    }
}

/// Codewords per look-up of a multi-symbol table with a `window`-bit key (the fast decoders take
/// up to four whole codewords per look-up; a codeword longer than the window takes one, on the
/// long path): the decoders' work per weight, from each tensor's codeword lengths.
fn codewords_per_lookup(label: &str, tensors: &[(String, Vec<f32>)]) {
    use golden::container::{decode_indices, encode_floats, Code, CodeChoice, KChoice};
    for (name, choice) in [
        ("EG (best k)", CodeChoice::ExpGolomb(KChoice::Auto)),
        ("Huffman", CodeChoice::Huffman),
    ] {
        let lens: Vec<Vec<u32>> = tensors
            .iter()
            .map(|(t, w)| {
                let c = encode_floats(t, w, STEP_BITS, choice).expect("codes");
                let idx = decode_indices(t, &c).expect("valid");
                match &c.code {
                    Code::ExpGolomb { k } => idx.iter().map(|&v| expgolomb::codeword_len(v, *k)).collect(),
                    Code::Huffman { lengths } => idx.iter().map(|&v| u32::from(lengths[v as usize])).collect(),
                    Code::Fixed { bits } => vec![*bits; idx.len()],
                }
            })
            .collect();
        let per = |window: u32| {
            let (mut syms, mut looks) = (0u64, 0u64);
            for l in &lens {
                let mut i = 0;
                while i < l.len() {
                    let (mut used, mut n) = (0, 0);
                    while n < 4 && i < l.len() && used + l[i] <= window {
                        used += l[i];
                        n += 1;
                        i += 1;
                    }
                    if n == 0 {
                        i += 1; // the long path: one codeword
                    }
                    looks += 1;
                    syms += n.max(1);
                }
            }
            syms as f64 / looks as f64
        };
        println!(
            "codewords per look-up, {label}, {name}: 12-bit window {:.3}, 14-bit window {:.3}",
            per(12),
            per(14)
        );
    }
}

/// The 2-D weight matrices of all-MiniLM-L6-v2 when `make minilm` has fetched it.
fn minilm() -> Option<Vec<(String, Vec<f32>)>> {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../target/minilm/model.safetensors");
    let bytes = std::fs::read(&path).ok()?;
    let ts = golden::tensors::read_safetensors(&bytes).expect("MiniLM parses");
    Some(
        ts.into_iter()
            .filter(|t| t.shape.len() == 2)
            .filter_map(|t| match t.data {
                golden::tensors::TensorData::Float(w) => Some((t.name, w)),
                _ => None,
            })
            .collect(),
    )
}

fn bench(c: &mut Criterion) {
    let ts = tensors();
    match minilm() {
        Some(m) => {
            codewords_per_lookup("all-MiniLM-L6-v2", &m);
            side_by_side("all-MiniLM-L6-v2, 2-D weights", &m, true);
            // One big tensor: its chunks on every core (ratios here against the last row).
            if let Some(big) = m.iter().max_by_key(|(_, w)| w.len()) {
                side_by_side(
                    &format!("all-MiniLM-L6-v2, its largest tensor ({})", big.0),
                    std::slice::from_ref(big),
                    false,
                );
            }
        }
        None => println!("side by side: all-MiniLM-L6-v2 not fetched (make minilm); synthetic tensors only"),
    }
    for t in &ts {
        let w: Vec<f32> = t.q.iter().map(|&q| quant::dequantize(q, STEP_BITS)).collect();
        side_by_side(t.name, &[(t.name.to_string(), w)], true);
    }
    for t in &ts {
        print_sizes(t);
    }
    for t in &ts {
        print_cpu_rates(t);
    }
    let mut g = c.benchmark_group("codec");
    g.throughput(Throughput::Elements(N as u64));
    g.warm_up_time(Duration::from_millis(500));
    g.measurement_time(Duration::from_secs(3));
    g.sample_size(20);
    for t in &ts {
        let Coded {
            best_k,
            eg0,
            eg0_chunked: _,
            egk,
            huff,
            hbytes,
            raw,
            z3,
            z19,
        } = Coded::new(t);
        assert_eq!(expgolomb::decode(&eg0, 0, N).expect("round trip"), t.indices);
        assert_eq!(huff.decode(&hbytes, N).expect("round trip"), t.indices);

        g.bench_function(BenchmarkId::new("eg0_encode", t.name), |b| {
            b.iter(|| expgolomb::encode(black_box(&t.indices), 0))
        });
        g.bench_function(BenchmarkId::new("eg0_decode", t.name), |b| {
            b.iter(|| expgolomb::decode(black_box(&eg0), 0, N).expect("valid"))
        });
        let mut out = vec![0u32; N];
        g.bench_function(BenchmarkId::new("eg0_decode_into", t.name), |b| {
            b.iter(|| expgolomb::decode_into(black_box(&eg0), 0, &mut out).expect("valid"))
        });
        g.bench_function(BenchmarkId::new(format!("eg_best_k{best_k}_decode"), t.name), |b| {
            b.iter(|| expgolomb::decode(black_box(&egk), best_k, N).expect("valid"))
        });
        g.bench_function(BenchmarkId::new("eg0_bits", t.name), |b| {
            b.iter(|| expgolomb::encoded_bits(black_box(&t.indices), 0))
        });
        g.bench_function(BenchmarkId::new("huffman_decode", t.name), |b| {
            b.iter(|| huff.decode(black_box(&hbytes), N).expect("valid"))
        });
        g.bench_function(BenchmarkId::new("zstd3_decompress", t.name), |b| {
            b.iter(|| zstd::bulk::decompress(black_box(&z3), raw.len()).expect("valid"))
        });
        g.bench_function(BenchmarkId::new("zstd19_decompress", t.name), |b| {
            b.iter(|| zstd::bulk::decompress(black_box(&z19), raw.len()).expect("valid"))
        });
        g.bench_function(BenchmarkId::new("zstd3_compress", t.name), |b| {
            b.iter(|| zstd::bulk::compress(black_box(&raw), 3).expect("zstd"))
        });
    }
    // Level 19 compresses slowly: ten one-shot samples.
    g.sample_size(10);
    for t in &ts {
        let raw = i16_bytes(&t.q);
        g.bench_function(BenchmarkId::new("zstd19_compress", t.name), |b| {
            b.iter(|| zstd::bulk::compress(black_box(&raw), 19).expect("zstd"))
        });
    }
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
