//! `backslash train` and `backslash sweep` end to end on the embedded digits set.

use assert_cmd::Command;

fn bin() -> Command {
    Command::cargo_bin("backslash").unwrap()
}

#[test]
fn train_writes_a_loadable_model_and_epoch_lines() {
    let dir = tempfile::tempdir().unwrap();
    let model = dir.path().join("m.safetensors");
    let qmodel = dir.path().join("q.json");
    let out = bin()
        .args([
            "train",
            "--dataset",
            "digits",
            "--reg",
            "dggr",
            "--lambda",
            "20",
            "--epochs",
            "2",
            "--hidden",
            "16",
        ])
        .arg("-o")
        .arg(&model)
        .arg("--qmodel")
        .arg(&qmodel)
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let stdout = String::from_utf8(out.stdout).unwrap();
    let epochs: Vec<&str> = stdout.lines().filter(|l| l.starts_with("epoch")).collect();
    assert_eq!(epochs.len(), 3, "{stdout}");
    assert!(
        epochs[2].contains("nu ") && epochs[2].contains("EG ") && epochs[2].contains("test "),
        "{stdout}"
    );
    let (mlp, meta) = golden::train::io::load_safetensors(&std::fs::read(&model).unwrap()).unwrap();
    assert_eq!(mlp.sizes(), &[64, 16, 10]);
    assert_eq!(meta.get("reg").map(String::as_str), Some("dggr"));
    assert_eq!(meta.get("lambda").map(String::as_str), Some("20"));
    let q: golden::infer::QModel = serde_json::from_slice(&std::fs::read(&qmodel).unwrap()).unwrap();
    q.validate().unwrap();
}

#[test]
fn bad_arguments_fail_with_one_line_and_no_file() {
    let dir = tempfile::tempdir().unwrap();
    let model = dir.path().join("m.safetensors");
    for args in [
        vec!["--reg", "l3"],
        vec!["--dataset", "cifar"],
        vec!["--optimizer", "rmsprop"],
        vec!["--lambda=-1"],
        vec!["--batch", "0"],
    ] {
        let out = bin().arg("train").args(&args).arg("-o").arg(&model).output().unwrap();
        assert!(!out.status.success(), "{args:?}");
        let err = String::from_utf8(out.stderr).unwrap();
        assert!(
            err.starts_with("error: ") && err.trim_end().lines().count() == 1,
            "{args:?}: {err}"
        );
        assert!(!model.exists());
    }
    let out = bin()
        .args(["train", "--epochs", "1", "-o", "/nonexistent-dir/m.safetensors"])
        .output()
        .unwrap();
    assert!(!out.status.success());
}

#[test]
fn sweep_writes_table_and_plots() {
    let dir = tempfile::tempdir().unwrap();
    let out = bin()
        .args([
            "sweep",
            "--dataset",
            "digits",
            "--lambdas",
            "0,20",
            "--regs",
            "dggr,l1",
            "--epochs",
            "2",
            "--hidden",
            "16",
            "--json",
        ])
        .arg("--out")
        .arg(dir.path())
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let rows = v["rows"].as_array().unwrap();
    assert_eq!(rows.len(), 3);
    assert_eq!(rows[0]["reg"], "none");
    assert!((rows[0]["eg_size_vs_normal"].as_f64().unwrap() - 1.0).abs() < 1e-12);
    for f in [
        "table.md",
        "table.json",
        "fig3_nu.png",
        "fig3_nu.svg",
        "fig4_bits.png",
        "fig5_accuracy.svg",
        "fig6_hist_normal.png",
        "fig7_quant_step.png",
        "fig8_pruning.svg",
    ] {
        let p = dir.path().join(f);
        assert!(p.exists() && std::fs::metadata(&p).unwrap().len() > 100, "{f}");
    }
    let png = std::fs::read(dir.path().join("fig4_bits.png")).unwrap();
    assert_eq!(&png[1..4], b"PNG");
    let md = std::fs::read_to_string(dir.path().join("table.md")).unwrap();
    assert!(md.contains("Table 6") && md.contains("| dggr"), "{md}");
}
