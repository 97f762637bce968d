//! `backslash demo` end to end on a reduced setting (few epochs, a slice of the test set): the summary
//! reports zero mismatches, a bitstream that exists, and sane accuracy and size figures.
use assert_cmd::Command;

#[test]
fn demo_reduced_setting_writes_a_sane_summary() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    Command::cargo_bin("backslash")
        .unwrap()
        .args(["demo", "--epochs", "4", "--hidden", "32", "--samples", "60", "--out"])
        .arg(&out)
        .assert()
        .success();
    let s: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(out.join("summary.json")).unwrap()).unwrap();
    let f = |v: &serde_json::Value| v.as_f64().unwrap();
    for m in ["normal", "backslash"] {
        let acc = f(&s[m]["float_test_accuracy"]);
        assert!((0.8..=1.0).contains(&acc), "{m} accuracy {acc}");
        assert!(f(&s[m]["eg_bits_per_weight"]) > 0.0);
    }
    // The rate term makes the BackSlash model smaller than the normal one under EG.
    assert!(f(&s["backslash"]["eg_bits_per_weight"]) < f(&s["normal"]["eg_bits_per_weight"]));
    let golden = f(&s["golden_integer_accuracy"]);
    assert!((0.8..=1.0).contains(&golden), "golden integer accuracy {golden}");
    let sim = &s["sim"];
    assert_eq!(sim["samples"], 60);
    assert_eq!(sim["mismatched_samples"], 0);
    assert_eq!(sim["mismatched_values"], 0);
    assert_eq!(sim["hardware_accuracy"], sim["golden_accuracy"]);
    assert!(f(&sim["cycles_per_inference"]) > 0.0);
    assert!(std::fs::metadata(sim["vcd"].as_str().unwrap()).unwrap().len() > 0);
    let bs = &s["bitstream"];
    let bin = std::fs::metadata(bs["bitstream"].as_str().unwrap()).unwrap();
    assert!(bin.len() > 50_000, "bitstream of {} bytes", bin.len());
    assert_eq!(bs["timing_met"], true);
    assert!(out.join("summary.md").is_file());
    assert!(out.join("backslash.bsz").is_file());
    // A second run reuses both cached models.
    Command::cargo_bin("backslash")
        .unwrap()
        .args([
            "demo",
            "--epochs",
            "4",
            "--hidden",
            "32",
            "--samples",
            "5",
            "--no-bitstream",
            "--out",
        ])
        .arg(&out)
        .assert()
        .success();
    let s: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(out.join("summary.json")).unwrap()).unwrap();
    assert_eq!(s["normal"]["cached"], true);
    assert_eq!(s["backslash"]["cached"], true);
}
