//! Replays the committed fuzz corpora on the stable toolchain (no libFuzzer, no nightly).
//!
//! For every target in `fuzz_targets::TARGETS`: the built-in seeds, every file of
//! `fuzz/corpus/<target>/` (the minimized corpus `cargo fuzz cmin` left) and every file of
//! `fuzz-targets/regressions/<target>/` (inputs that once crashed a target, named after the bug)
//! go through the same entry function the fuzz target calls. A panic in any of them fails the
//! test, which lists every failing file.

use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::{Path, PathBuf};

fn files(dir: &Path) -> Vec<PathBuf> {
    let Ok(rd) = std::fs::read_dir(dir) else {
        return Vec::new();
    };
    let mut v: Vec<PathBuf> = rd
        .filter_map(|e| e.ok())
        .map(|e| e.path())
        .filter(|p| p.is_file())
        .collect();
    v.sort();
    v
}

fn replay(target: &str) {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let corpus = files(&root.join("../fuzz/corpus").join(target));
    assert!(!corpus.is_empty(), "no committed corpus in fuzz/corpus/{target}");
    let regressions = files(&root.join("regressions").join(target));
    let mut inputs: Vec<(String, Vec<u8>)> = fuzz_targets::seeds::seeds(target)
        .into_iter()
        .enumerate()
        .map(|(i, s)| (format!("seed {i}"), s))
        .collect();
    for p in corpus.iter().chain(&regressions) {
        let bytes = std::fs::read(p).unwrap_or_else(|e| panic!("cannot read {}: {e}", p.display()));
        inputs.push((p.display().to_string(), bytes));
    }
    let mut failed = Vec::new();
    for (name, bytes) in &inputs {
        if catch_unwind(AssertUnwindSafe(|| fuzz_targets::run(target, bytes))).is_err() {
            failed.push(name.clone());
        }
    }
    assert!(
        failed.is_empty(),
        "{target}: {} of {} inputs panicked: {failed:#?}",
        failed.len(),
        inputs.len()
    );
}

#[test]
fn container_corpus() {
    replay("container");
}

#[test]
fn eg_corpus() {
    replay("eg");
}

#[test]
fn huffman_corpus() {
    replay("huffman");
}

#[test]
fn safetensors_corpus() {
    replay("safetensors");
}

#[test]
fn uart_corpus() {
    replay("uart");
}

/// Every target has a test above.
#[test]
fn all_targets_replayed() {
    assert_eq!(
        fuzz_targets::TARGETS,
        ["container", "eg", "huffman", "safetensors", "uart"]
    );
}

/// The container seeds hold every code id (EG, fixed-length, Huffman), every format version and a chunk index, so
/// the replay and the fuzzer start from inputs that reach every decoder.
#[test]
fn container_seeds_cover_every_code_and_version() {
    use golden::container::{read_header, Body, Code, Container};
    let mut codes = std::collections::BTreeSet::new();
    let mut versions = std::collections::BTreeSet::new();
    for s in fuzz_targets::seeds::seeds("container") {
        versions.insert(read_header(&s).expect("seed header").version);
        for e in Container::from_bytes(&s).expect("seed container").entries {
            e.decode().expect("seed tensors decode");
            if let Body::Coded(c) = e.body {
                codes.insert(match c.code {
                    Code::ExpGolomb { .. } => 0,
                    Code::Fixed { .. } => 1,
                    Code::Huffman { .. } => 2,
                });
            }
        }
    }
    assert_eq!(codes.into_iter().collect::<Vec<_>>(), [0, 1, 2]);
    assert_eq!(versions.into_iter().collect::<Vec<_>>(), [1, 2, 3]);
    // And a chunk index.
    assert!(fuzz_targets::seeds::seeds("container").iter().any(|s| {
        Container::from_bytes(s)
            .expect("seed container")
            .entries
            .iter()
            .any(|e| matches!(&e.body, Body::Coded(c) if !c.chunk_starts.is_empty()))
    }));
}
