//! Tests on a tiny random BERT with the real tensor names and layout.

use crate::finetune::{accuracy, load_finetuned, to_safetensors, train_loop, Encoded, FinetuneConfig, Progress};
use crate::model::{tensor_names, Bert, BertConfig, ModelError};
use crate::params::Layout;
use crate::text::{batch, Tok};
use crate::Task;
use burn::module::Module;
use burn::tensor::Device;
use golden::train::Regularizer;
use rand::{Rng, SeedableRng};
use std::collections::BTreeMap;

const VOCAB: usize = 40;

/// burn's device RNG (initialisation, dropout) is one per device and process: tests that seed
/// it run one at a time.
static DEVICE_RNG: std::sync::Mutex<()> = std::sync::Mutex::new(());

fn serial() -> std::sync::MutexGuard<'static, ()> {
    DEVICE_RNG.lock().unwrap_or_else(|e| e.into_inner())
}

fn cfg(dropout: f64) -> BertConfig {
    let mut c = BertConfig::tiny(VOCAB);
    c.hidden_dropout_prob = dropout;
    c
}

fn model(c: &BertConfig, classes: usize, seed: u64) -> (Bert, Device) {
    let device = Device::default().autodiff();
    device.seed(seed);
    (Bert::init(c, classes, &device), device)
}

/// Sequences whose label is whether token 5 occurs: learnable by a tiny model.
fn toy_set(n: usize, seed: u64) -> Encoded {
    let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(seed);
    (0..n)
        .map(|_| {
            let len = rng.random_range(3..10);
            let mut s: Vec<u32> = vec![1];
            s.extend((0..len).map(|_| rng.random_range(6..VOCAB as u32)));
            let y = rng.random_bool(0.5);
            if y {
                let at = rng.random_range(1..s.len());
                s[at] = 5;
            }
            s.push(2);
            (s, y as u32)
        })
        .collect()
}

/// A checkpoint file of `c` with the Hugging Face names and layout, random values; `edit`
/// changes the tensor list before writing.
fn checkpoint(
    c: &BertConfig,
    edit: impl FnOnce(&mut Vec<(String, Vec<usize>, Vec<f32>)>),
) -> (tempfile::TempDir, std::path::PathBuf) {
    let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(3);
    let mut ts: Vec<(String, Vec<usize>, Vec<f32>)> = tensor_names(c, 2)
        .into_iter()
        .filter(|t| !t.name.starts_with("classifier."))
        .map(|t| {
            let n = t.shape.iter().product();
            (t.name, t.shape, (0..n).map(|_| rng.random_range(-0.5..0.5)).collect())
        })
        .collect();
    edit(&mut ts);
    let bytes: Vec<(String, Vec<usize>, Vec<u8>)> = ts
        .into_iter()
        .map(|(n, s, v)| (n, s, v.iter().flat_map(|x| x.to_le_bytes()).collect()))
        .collect();
    let views: Vec<_> = bytes
        .iter()
        .map(|(n, s, b)| {
            (
                n.clone(),
                safetensors::tensor::TensorView::new(safetensors::Dtype::F32, s.clone(), b).unwrap(),
            )
        })
        .collect();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("model.safetensors");
    std::fs::write(&path, safetensors::tensor::serialize(views, None).unwrap()).unwrap();
    (dir, path)
}

#[test]
fn a_checkpoint_with_the_real_names_loads_every_tensor_in_its_layout() {
    let _serial = serial();
    let c = cfg(0.1);
    let (_d, path) = checkpoint(&c, |_| {});
    let (mut m, _) = model(&c, 2, 1);
    let loaded = m.load_checkpoint(&c, 2, &path).unwrap();
    // 5 embedding tensors, 16 per layer, the pooler's 2 (all-MiniLM-L6-v2: 5 + 6*16 + 2 = 103).
    assert_eq!(loaded.len(), 5 + 16 * c.num_hidden_layers + 2);
    let bytes = std::fs::read(&path).unwrap();
    let st = safetensors::SafeTensors::deserialize(&bytes).unwrap();
    for name in &loaded {
        let want: Vec<f32> = st
            .tensor(name)
            .unwrap()
            .data()
            .chunks(4)
            .map(|b| f32::from_le_bytes(b.try_into().unwrap()))
            .collect();
        assert!(m.get(name).unwrap() == want, "{name} differs");
    }
    // Every parameter of the module is named, and the rated ones are exactly the 2-D tensors.
    let layout = Layout::of(&m);
    let names = tensor_names(&c, 2);
    assert_eq!(layout.tensors(), names.len());
    let rated: usize = names
        .iter()
        .filter(|t| t.rated)
        .map(|t| t.shape.iter().product::<usize>())
        .sum();
    assert_eq!(layout.n_rated, rated);
    assert_eq!(
        layout.len,
        names.iter().map(|t| t.shape.iter().product::<usize>()).sum::<usize>()
    );
}

#[test]
fn a_checkpoint_that_does_not_match_names_the_tensor_and_both_shapes() {
    let _serial = serial();
    let c = cfg(0.1);
    let (_d, path) = checkpoint(&c, |ts| {
        let t = ts
            .iter_mut()
            .find(|t| t.0 == "encoder.layer.1.intermediate.dense.weight")
            .unwrap();
        t.1 = vec![c.hidden_size, c.intermediate_size];
    });
    let (mut m, _) = model(&c, 2, 1);
    let e = m.load_checkpoint(&c, 2, &path).unwrap_err().to_string();
    assert!(
        e.contains("encoder.layer.1.intermediate.dense.weight") && e.contains("[16, 32]") && e.contains("[32, 16]"),
        "{e}"
    );
    let (_d, path) = checkpoint(&c, |ts| ts.retain(|t| t.0 != "pooler.dense.bias"));
    let e = m.load_checkpoint(&c, 2, &path).unwrap_err();
    assert!(
        matches!(&e, ModelError::Tensor { name, .. } if name == "pooler.dense.bias"),
        "{e}"
    );
    let bad = path.with_file_name("bad.safetensors");
    std::fs::write(&bad, b"not a checkpoint").unwrap();
    assert!(m
        .load_checkpoint(&c, 2, &bad)
        .unwrap_err()
        .to_string()
        .contains("bad.safetensors"));
}

#[test]
fn config_and_tokenizer_errors_name_the_file() {
    let d = tempfile::tempdir().unwrap();
    let p = d.path().join("config.json");
    std::fs::write(&p, "{\"vocab_size\": 3}").unwrap();
    let e = BertConfig::load(&p).unwrap_err().to_string();
    assert!(e.contains("config.json"), "{e}");
    let e = BertConfig::load(&d.path().join("none.json")).unwrap_err().to_string();
    assert!(e.contains("none.json"), "{e}");
    let t = d.path().join("tokenizer.json");
    std::fs::write(&t, "{ broken").unwrap();
    let e = Tok::load(&t, 16).err().unwrap();
    assert!(e.contains("tokenizer.json") && !e.contains('\n'), "{e}");
}

/// `J = L + λR` through burn's backward and golden's rate gradient against central differences.
#[test]
fn the_gradient_of_loss_plus_rate_matches_finite_differences() {
    let _serial = serial();
    let c = cfg(0.0);
    let (m, device) = model(&c, 3, 5);
    let set: Encoded = toy_set(6, 9).into_iter().map(|(s, y)| (s, y % 3)).collect();
    let seqs: Vec<&[u32]> = set.iter().map(|(s, _)| s.as_slice()).collect();
    let labels: Vec<u32> = set.iter().map(|(_, y)| *y).collect();
    let b = batch(&seqs, &labels, 0, &device);
    let layout = Layout::of(&m);
    let mut p = vec![0.0; layout.len];
    layout.gather(&m, &mut p);
    let (lambda, nu, eps) = (50.0f64, 0.8f64, 1e-3f64);
    let reg = Regularizer::Lp(nu);
    let nr = layout.n_rated;
    let j = |p: &[f32]| -> f64 {
        let m2 = layout.scatter(Bert::init(&c, 3, &device), p);
        f64::from(m2.loss(&b).into_scalar::<f32>()) + lambda * reg.rate(&p[..nr], nu, eps)
    };
    let m = layout.scatter(m, &p);
    let g = m.loss(&b).backward();
    let mut grad = vec![0.0; layout.len];
    layout.gather_grads(&m, &g, &mut grad);
    let mut r = vec![0.0; nr];
    reg.grad(&p[..nr], nu, eps, &mut r);
    let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(2);
    let mut checked = 0;
    // Coordinates with a gradient big enough for f32 central differences, from every region.
    for _ in 0..400 {
        let i = rng.random_range(0..layout.len);
        let analytic = f64::from(grad[i]) + if i < nr { lambda * f64::from(r[i]) } else { 0.0 };
        if analytic.abs() < 2e-3 || p[i].abs() < 0.05 {
            continue;
        }
        let h = 2e-3f32;
        let (mut a, mut z) = (p.clone(), p.clone());
        a[i] += h;
        z[i] -= h;
        let numeric = (j(&a) - j(&z)) / (2.0 * f64::from(h));
        assert!(
            (numeric - analytic).abs() <= 0.05 * analytic.abs() + 2e-4,
            "param {i}: numeric {numeric}, analytic {analytic}"
        );
        checked += 1;
        if checked == 12 {
            break;
        }
    }
    assert!(checked >= 8, "only {checked} coordinates checked");
}

fn small_cfg(reg: Regularizer, lambda: f32) -> FinetuneConfig {
    FinetuneConfig {
        reg,
        lambda,
        epochs: 2,
        batch: 8,
        lr: 3e-3,
        ..FinetuneConfig::default()
    }
}

#[test]
fn training_lowers_the_loss_and_reports_every_epoch() {
    let _serial = serial();
    let c = cfg(0.1);
    let (m, device) = model(&c, 2, 7);
    let train = toy_set(64, 1);
    let test = toy_set(32, 2);
    let before = {
        let seqs: Vec<&[u32]> = train.iter().map(|(s, _)| s.as_slice()).collect();
        let labels: Vec<u32> = train.iter().map(|(_, y)| *y).collect();
        m.valid()
            .loss(&batch(&seqs, &labels, 0, &Device::default()))
            .into_scalar::<f32>()
    };
    let mut epochs = 0;
    let mut batches = 0;
    let cfg = FinetuneConfig {
        epochs: 4,
        ..small_cfg(Regularizer::Dggr, 1.0)
    };
    let (m, hist, trace) = train_loop(m, &train, &test, 0, &cfg, &device, &mut |p| match p {
        Progress::Epoch(_) => epochs += 1,
        Progress::Batch { .. } => batches += 1,
    })
    .unwrap();
    assert_eq!((epochs, batches), (5, 4 * 8));
    assert_eq!(hist.len(), 5);
    assert!(trace.len() >= 5);
    let seqs: Vec<&[u32]> = train.iter().map(|(s, _)| s.as_slice()).collect();
    let labels: Vec<u32> = train.iter().map(|(_, y)| *y).collect();
    let after = m
        .valid()
        .loss(&batch(&seqs, &labels, 0, &Device::default()))
        .into_scalar::<f32>();
    assert!(after < before, "loss {before} -> {after}");
    assert!(hist[4].loss < hist[1].loss, "{} -> {}", hist[1].loss, hist[4].loss);
    assert!(hist.iter().all(|h| h.nu > 0.0 && h.code.eg_bits > 0.0 && h.rate > 0.0));
    assert!(accuracy(&m, &test, 0) >= 0.0);
}

#[test]
fn a_strong_rate_term_shrinks_the_weights_toward_zero() {
    let _serial = serial();
    let c = cfg(0.1);
    let train = toy_set(32, 1);
    let test = toy_set(8, 2);
    let run = |lambda: f32| {
        let (m, device) = model(&c, 2, 7);
        let (_, hist, _) = train_loop(
            m,
            &train,
            &test,
            0,
            &FinetuneConfig {
                epochs: 6,
                ..small_cfg(Regularizer::Dggr, lambda)
            },
            &device,
            &mut |_| {},
        )
        .unwrap();
        hist.last().unwrap().clone()
    };
    let (plain, strong) = (run(0.0), run(1e3));
    assert!(
        strong.code.zero_fraction > plain.code.zero_fraction + 0.05,
        "zeros {} vs {}",
        strong.code.zero_fraction,
        plain.code.zero_fraction
    );
    assert!(
        strong.code.eg_bits < plain.code.eg_bits,
        "EG bits {} vs {}",
        strong.code.eg_bits,
        plain.code.eg_bits
    );
}

#[test]
fn a_seed_fixes_the_run_bit_for_bit() {
    let _serial = serial();
    let c = cfg(0.1);
    let train = toy_set(24, 1);
    let test = toy_set(8, 2);
    let run = |seed: u64| {
        let (m, device) = model(&c, 2, seed);
        let cfg = FinetuneConfig {
            seed,
            ..small_cfg(Regularizer::Dggr, 10.0)
        };
        let (m, hist, _) = train_loop(m, &train, &test, 0, &cfg, &device, &mut |_| {}).unwrap();
        let layout = Layout::of(&m);
        let mut p = vec![0.0; layout.len];
        layout.gather(&m, &mut p);
        (p, hist.last().unwrap().loss)
    };
    let (a, b, other) = (run(4), run(4), run(5));
    assert!(a.0 == b.0, "the same seed gave other parameters");
    assert_eq!(a.1, b.1);
    assert!(a.0 != other.0, "another seed gave the same parameters");
}

#[test]
fn a_saved_model_reads_back_with_its_task_classes_and_predictions() {
    let _serial = serial();
    let c = cfg(0.1);
    let (mut m, _) = model(&c, 3, 2);
    let classes: Vec<String> = ["a", "b", "c"].map(String::from).to_vec();
    let bytes = to_safetensors(&mut m, &c, Task::Topic, &classes, &BTreeMap::new()).unwrap();
    let d = tempfile::tempdir().unwrap();
    let path = d.path().join("ft.safetensors");
    std::fs::write(&path, &bytes).unwrap();
    let back = load_finetuned(&path, &c).unwrap();
    assert_eq!((back.classes, back.task), (3, Some(Task::Topic)));
    let set: Encoded = toy_set(16, 3).into_iter().map(|(s, y)| (s, y + 1)).collect();
    assert_eq!(accuracy(&back.model, &set, 0), accuracy(&m, &set, 0));
    // A checkpoint without a head, and one whose head does not fit the architecture.
    let (_d2, plain) = checkpoint(&c, |_| {});
    let e = load_finetuned(&plain, &c).err().unwrap().to_string();
    assert!(
        e.contains("model.safetensors") && e.contains("classifier.weight"),
        "{e}"
    );
    let (_d3, odd) = checkpoint(&c, |ts| {
        ts.push(("classifier.weight".into(), vec![2, 7], vec![0.0; 14]))
    });
    let e = load_finetuned(&odd, &c).err().unwrap().to_string();
    assert!(e.contains("[2, 7]"), "{e}");
}

/// The product's codec on a fine-tuned model: encode, decode, and the decoded model predicts as
/// the quantized one.
#[test]
fn encode_then_decode_gives_the_quantized_models_accuracy() {
    let _serial = serial();
    let c = cfg(0.1);
    let (m, device) = model(&c, 2, 11);
    let train = toy_set(32, 1);
    let test = toy_set(64, 4);
    let (mut m, _, _) = train_loop(
        m,
        &train,
        &test,
        0,
        &small_cfg(Regularizer::Dggr, 1e3),
        &device,
        &mut |_| {},
    )
    .unwrap();
    let bytes = to_safetensors(&mut m, &c, Task::Spam, &["ham".into(), "spam".into()], &BTreeMap::new()).unwrap();
    let mut bsz = Vec::new();
    let code = golden::container::CodeChoice::Auto(golden::container::KChoice::Auto);
    golden::encode::encode_safetensors(&bytes, "ft", 8, code, &mut bsz, &()).unwrap();
    assert!(bsz.len() < bytes.len(), "{} -> {} bytes", bytes.len(), bsz.len());
    let (decoded, n) = golden::decode::decode_to_safetensors(&bsz, "ft", &()).unwrap();
    assert_eq!(n, tensor_names(&c, 2).len());
    let d = tempfile::tempdir().unwrap();
    let path = d.path().join("decoded.safetensors");
    std::fs::write(&path, decoded).unwrap();
    let back = load_finetuned(&path, &c).unwrap();
    assert_eq!(back.task, None, "decode keeps the tensors only");
    let q = crate::finetune::quantized(&m.valid(), 8);
    let (lq, lb) = (Layout::of(&q), Layout::of(&back.model));
    let (mut pq, mut pb) = (vec![0.0; lq.len], vec![0.0; lb.len]);
    lq.gather(&q, &mut pq);
    lb.gather(&back.model, &mut pb);
    assert!(pq == pb, "the decoded parameters are not the quantized ones");
    assert_eq!(accuracy(&back.model, &test, 0), accuracy(&q, &test, 0));
}

/// Benchmark (`make bench`, after `make minilm text-data`): fine-tuning speed of the real
/// all-MiniLM-L6-v2 on 320 sentiment snippets (20 steps of 16 at 64 tokens, DGGR λ = 1e8), with
/// the rate term's share of the step time, which must stay well under half.
#[test]
#[ignore = "benchmark: needs make minilm text-data; run by make bench"]
fn finetune_speed_on_minilm_bench() {
    let _serial = serial();
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("..")
        .join("target");
    let src = crate::finetune::Sources {
        model_dir: root.join("minilm"),
        data_dir: root.join("text"),
    };
    let cfg = FinetuneConfig {
        reg: Regularizer::Dggr,
        lambda: 1e8,
        eps: 0.01,
        lr: 1e-4,
        epochs: 1,
        train_limit: Some(320),
        test_limit: Some(64),
        ..FinetuneConfig::default()
    };
    let res = crate::finetune::finetune(&cfg, &src, &mut |_| {}).expect("make minilm text-data first");
    let e = res.history.last().unwrap();
    println!(
        "all-MiniLM-L6-v2 fine-tuning, sentiment, {} samples at <= {} tokens, batch {}: {:.2} samples/s, rate term (ν estimate + DGGR gradient over {} rated weights) {:.1}% of the step time",
        cfg.train_limit.unwrap(),
        cfg.max_len,
        cfg.batch,
        e.samples_per_s,
        e.code.count,
        100.0 * e.rate_share
    );
    assert!(
        e.rate_share < 0.3,
        "the rate term takes {:.1}% of a step",
        100.0 * e.rate_share
    );
}
