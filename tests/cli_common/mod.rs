//! What the end-to-end CLI tests share: the binary and a small digits model trained by `backslash train`.
#![allow(dead_code)]
use assert_cmd::Command;
use std::path::{Path, PathBuf};

/// The `backslash` binary of this build.
pub fn backslash() -> Command {
    Command::cargo_bin("backslash").unwrap()
}

/// Trains a digits MLP (64-`hidden`-10) for `epochs` epochs into `dir/digits.safetensors`.
pub fn train_digits(dir: &Path, hidden: u32, epochs: u32, seed: u64) -> PathBuf {
    let model = dir.join("digits.safetensors");
    backslash()
        .args([
            "train",
            "--dataset",
            "digits",
            "--hidden",
            &hidden.to_string(),
            "--epochs",
            &epochs.to_string(),
        ])
        .args(["--seed", &seed.to_string(), "-o"])
        .arg(&model)
        .assert()
        .success();
    model
}
