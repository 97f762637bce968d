//! `backslash sim` end to end: a digits model trained by `backslash train` runs through the Verilated
//! accelerator on the whole test set with zero mismatches; VCD windows; bad input gives one error line.
use crate::fixtures::backslash;

/// A small digits MLP (64-32-10), trained for a few epochs.
fn trained(dir: &std::path::Path) -> std::path::PathBuf {
    crate::fixtures::train_digits(dir, 32, 4, 3)
}

#[test]
fn digits_test_set_has_zero_mismatches() {
    let dir = tempfile::tempdir().unwrap();
    let model = trained(dir.path());
    let json = dir.path().join("sim.json");
    let vcd = dir.path().join("win.vcd");
    let out = backslash()
        .arg("sim")
        .arg(&model)
        .args([
            "--dataset",
            "digits",
            "--lanes",
            "4",
            "--threads",
            "1",
            "--vcd-window",
            "1000..1200",
            "--json",
        ])
        .arg(&json)
        .arg("--vcd")
        .arg(&vcd)
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "backslash sim failed: {stdout}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let s: serde_json::Value = serde_json::from_slice(&std::fs::read(&json).unwrap()).unwrap();
    assert_eq!(s["mismatched_samples"], 0, "{stdout}");
    assert!(s["samples"].as_u64().unwrap() >= 300, "the whole digits test set");
    let hw = s["hardware_accuracy"].as_f64().unwrap();
    assert_eq!(hw, s["golden_accuracy"].as_f64().unwrap());
    assert!(hw > 0.8, "a trained digits model: accuracy {hw}");
    let cpi = s["cycles_per_inference"].as_f64().unwrap();
    assert!(cpi > 0.0 && cpi < s["dense_cycles_per_inference"].as_f64().unwrap());
    assert!(stdout.contains("mismatches: 0 inputs"), "{stdout}");
    // The window holds cycles 1000..1200 only: 200 cycles, two or three time stamps each.
    let text = std::fs::read_to_string(&vcd).unwrap();
    let times: Vec<u64> = text
        .lines()
        .filter_map(|l| l.strip_prefix('#'))
        .map(|t| t.parse().unwrap())
        .collect();
    assert!(times.first().unwrap() / sim::TIME_PER_CYCLE >= 999);
    assert!(times.last().unwrap() / sim::TIME_PER_CYCLE < 1200);
    assert!(times.len() >= 400 && times.len() <= 600, "{} time stamps", times.len());
}

#[test]
fn bad_input_is_one_error_line() {
    let dir = tempfile::tempdir().unwrap();
    let missing = dir.path().join("missing.safetensors");
    let junk = dir.path().join("junk.safetensors");
    std::fs::write(&junk, b"not a model at all").unwrap();
    for (args, what) in [
        (vec!["sim".to_string(), missing.display().to_string()], "cannot read"),
        (
            vec!["sim".to_string(), junk.display().to_string()],
            "neither a trained safetensors",
        ),
        (
            vec![
                "sim".into(),
                junk.display().to_string(),
                "--vcd-window".into(),
                "5..2".into(),
                "--vcd".into(),
                "x.vcd".into(),
            ],
            "window",
        ),
        (
            vec![
                "sim".into(),
                junk.display().to_string(),
                "--dataset".into(),
                "nope".into(),
            ],
            "nope",
        ),
    ] {
        let out = backslash().args(&args).output().unwrap();
        assert!(!out.status.success(), "{args:?}");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains(what), "{args:?}: {err}");
        assert!(!err.contains("panicked"), "{args:?}: {err}");
    }
}

#[test]
fn unsupported_lane_count_is_an_error() {
    let dir = tempfile::tempdir().unwrap();
    let model = trained(dir.path());
    let out = backslash()
        .arg("sim")
        .arg(&model)
        .args(["--lanes", "3", "--samples", "5"])
        .output()
        .unwrap();
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.starts_with("error:") && err.contains("3 lanes"), "{err}");
}
