//! The fine-tuning loop: BackSlash (or another rate term, or none) on a BERT classifier.
//!
//! Per batch, as in the MLP trainer (Algorithm 1): ν is estimated by moment matching from the
//! rated parameters (DGGR only), burn computes the task gradient by backpropagation, golden's
//! regularizer gives `λ·∂R/∂θ`, and golden's Adam steps with the rate gradient decoupled.

use crate::data::{DataError, Task};
use crate::model::{Batch, Bert, BertConfig, ModelError};
use crate::params::Layout;
use crate::text::{batch, Tok};
use burn::module::Module;
use burn::tensor::Device;
use golden::train::metrics::{code_stats, CodeStats};
use golden::train::optim::{cosine, OptState, Optimizer};
use golden::train::Regularizer;
use rand::seq::SliceRandom;
use rand::SeedableRng;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::Instant;
use thiserror::Error;

/// The quantization step of the per-epoch size report, `2^-8` (as for the MLP).
pub const REPORT_STEP_BITS: u32 = 8;

/// Why fine-tuning failed.
#[derive(Debug, Error)]
pub enum FinetuneError {
    #[error(transparent)]
    Data(#[from] DataError),
    #[error(transparent)]
    Model(#[from] ModelError),
    #[error("{0}")]
    Config(String),
    #[error("{0}")]
    Train(String),
}

/// What to fine-tune and how.
#[derive(Debug, Clone)]
pub struct FinetuneConfig {
    pub task: Task,
    pub reg: Regularizer,
    /// λ of `J = L + λ·R`.
    pub lambda: f32,
    /// DGGR's soft-clipping ε.
    pub eps: f32,
    pub epochs: usize,
    /// Tokens per sequence, `[CLS]` and `[SEP]` included.
    pub max_len: usize,
    /// Use only the first N training examples (after the seeded shuffle).
    pub train_limit: Option<usize>,
    /// Evaluate on only the first N test examples.
    pub test_limit: Option<usize>,
    pub batch: usize,
    /// Adam's learning rate (cosine schedule to 0 over the run).
    pub lr: f32,
    pub seed: u64,
}

impl Default for FinetuneConfig {
    fn default() -> Self {
        FinetuneConfig {
            task: Task::Sentiment,
            reg: Regularizer::Dggr,
            lambda: 0.0,
            eps: 0.01,
            epochs: 2,
            max_len: 64,
            train_limit: None,
            test_limit: None,
            batch: 16,
            lr: 1e-4,
            seed: 1,
        }
    }
}

impl FinetuneConfig {
    /// Rejects settings that cannot train.
    pub fn validate(&self) -> Result<(), FinetuneError> {
        let bad = |m: &str| Err(FinetuneError::Config(m.into()));
        if self.epochs == 0 {
            return bad("--epochs must be at least 1");
        }
        if self.batch == 0 {
            return bad("--batch must be at least 1");
        }
        if self.max_len < 3 {
            return bad("--max-len must be at least 3 ([CLS], a token, [SEP])");
        }
        if !(self.lambda >= 0.0 && self.lambda.is_finite()) {
            return bad("--lambda must be a finite number >= 0");
        }
        if !(self.lr > 0.0 && self.lr.is_finite()) {
            return bad("--lr must be positive");
        }
        if !(self.eps > 0.0 && self.eps.is_finite()) {
            return bad("--eps must be positive");
        }
        if self.train_limit == Some(0) || self.test_limit == Some(0) {
            return bad("--train-limit and --test-limit must be at least 1");
        }
        Ok(())
    }
}

/// The files fine-tuning reads: the pretrained model's folder (`model.safetensors`,
/// `config.json`, `tokenizer.json`) and the data-set cache.
#[derive(Debug, Clone)]
pub struct Sources {
    pub model_dir: PathBuf,
    pub data_dir: PathBuf,
}

/// One line per epoch (epoch 0: the pretrained model with its new head, before any step).
#[derive(Debug, Clone, serde::Serialize)]
pub struct EpochLine {
    pub epoch: usize,
    /// Mean training cross-entropy over the epoch's batches (0 at epoch 0).
    pub loss: f64,
    /// `R(θ)` of the rated parameters with the ν of `nu` (0 for `none`).
    pub rate: f64,
    /// ν of the rated parameters, moment matching.
    pub nu: f64,
    pub test_acc: f64,
    /// Coded size of the rated parameters at step 2^-8.
    pub code: CodeStats,
    /// Wall time of the epoch's steps.
    pub seconds: f64,
    /// Training samples per second over the epoch.
    pub samples_per_s: f64,
    /// The rate term's share of the epoch's step time (ν estimate and gradient).
    pub rate_share: f64,
}

/// Progress reports.
pub enum Progress<'a> {
    Batch { done: usize, total: usize },
    Epoch(&'a EpochLine),
}

/// A fine-tuned model and its history.
pub struct FinetuneResult {
    pub model: Bert,
    pub bert: BertConfig,
    pub classes: Vec<String>,
    pub history: Vec<EpochLine>,
    /// (epochs done, ν) about 20 times per epoch.
    pub nu_trace: Vec<(f64, f64)>,
}

/// Tokenized examples: ids and label.
pub type Encoded = Vec<(Vec<u32>, u32)>;

/// Accuracy of `model` on `set`, batches of 64, without autodiff or dropout.
pub fn accuracy(model: &Bert, set: &Encoded, pad_id: u32) -> f64 {
    if set.is_empty() {
        return 0.0;
    }
    let m = model.valid();
    let device = Device::default();
    let mut right = 0usize;
    for chunk in set.chunks(64) {
        let seqs: Vec<&[u32]> = chunk.iter().map(|(s, _)| s.as_slice()).collect();
        let labels: Vec<u32> = chunk.iter().map(|(_, y)| *y).collect();
        let b = batch(&seqs, &labels, pad_id, &device);
        let pred = m.forward(b.ids, b.pad).argmax(1);
        let pred: Vec<i64> = pred
            .into_data()
            .convert::<i64>()
            .try_into_vec::<i64>()
            .unwrap_or_default();
        right += pred.iter().zip(&labels).filter(|(p, y)| **p == i64::from(**y)).count();
    }
    right as f64 / set.len() as f64
}

fn line(
    layout: &Layout,
    params: &[f32],
    cfg: &FinetuneConfig,
    epoch: usize,
    loss: f64,
    test_acc: f64,
    times: (f64, f64, usize),
) -> Result<EpochLine, FinetuneError> {
    let rated = &params[..layout.n_rated];
    let nu = golden::gg::estimate_shape(rated).map_err(|e| FinetuneError::Train(format!("ν estimate: {e}")))?;
    let rate_nu = match cfg.reg {
        Regularizer::Dggr => nu,
        r => r.exponent(rated).map_err(|e| FinetuneError::Train(e.to_string()))?,
    };
    let (seconds, rate_seconds, samples) = times;
    Ok(EpochLine {
        epoch,
        loss,
        rate: cfg.reg.rate(rated, rate_nu, f64::from(cfg.eps)),
        nu,
        test_acc,
        code: code_stats(rated, REPORT_STEP_BITS).map_err(|e| FinetuneError::Train(e.to_string()))?,
        seconds,
        samples_per_s: if seconds > 0.0 { samples as f64 / seconds } else { 0.0 },
        rate_share: if seconds > 0.0 { rate_seconds / seconds } else { 0.0 },
    })
}

/// Trains `model` on `train`, measuring on `test` after every epoch. The device must have
/// autodiff; `device.seed` fixes dropout.
pub fn train_loop(
    mut model: Bert,
    train: &Encoded,
    test: &Encoded,
    pad_id: u32,
    cfg: &FinetuneConfig,
    device: &Device,
    observer: &mut dyn FnMut(Progress),
) -> Result<(Bert, Vec<EpochLine>, Vec<(f64, f64)>), FinetuneError> {
    cfg.validate()?;
    if train.is_empty() {
        return Err(FinetuneError::Config("no training examples".into()));
    }
    let layout = Layout::of(&model);
    let mut params = vec![0.0f32; layout.len];
    layout.gather(&model, &mut params);
    let mut grads = vec![0.0f32; layout.len];
    let mut rgrad = vec![0.0f32; layout.len];
    let mut opt = OptState::new(Optimizer::adam(cfg.lr), layout.len);
    let n = train.len();
    let per_epoch = n.div_ceil(cfg.batch);
    let total = per_epoch * cfg.epochs;
    let trace_every = (per_epoch / 20).max(1);
    let uses_rate = cfg.reg != Regularizer::None && cfg.lambda > 0.0;
    let eps = f64::from(cfg.eps);
    let nr = layout.n_rated;
    let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(cfg.seed ^ 0x6669_6e65_7475_6e65);
    let mut order: Vec<usize> = (0..n).collect();

    let first = line(
        &layout,
        &params,
        cfg,
        0,
        0.0,
        accuracy(&model, test, pad_id),
        (0.0, 0.0, 0),
    )?;
    observer(Progress::Epoch(&first));
    let mut trace = vec![(0.0, first.nu)];
    let mut history = vec![first];
    let mut done = 0;
    for epoch in 1..=cfg.epochs {
        order.shuffle(&mut rng);
        let start = Instant::now();
        let mut rate_seconds = 0.0;
        let mut loss_sum = 0.0;
        for (bi, chunk) in order.chunks(cfg.batch).enumerate() {
            let seqs: Vec<&[u32]> = chunk.iter().map(|&i| train[i].0.as_slice()).collect();
            let labels: Vec<u32> = chunk.iter().map(|&i| train[i].1).collect();
            let b: Batch = batch(&seqs, &labels, pad_id, device);
            let t_rate = Instant::now();
            let nu = if uses_rate {
                cfg.reg
                    .exponent(&params[..nr])
                    .map_err(|e| FinetuneError::Train(e.to_string()))?
            } else {
                0.0
            };
            rate_seconds += t_rate.elapsed().as_secs_f64();
            let loss = model.loss(&b);
            let lv: f32 = loss.clone().into_scalar();
            if !lv.is_finite() {
                return Err(FinetuneError::Train(format!("epoch {epoch}, batch {bi}: loss is {lv}")));
            }
            loss_sum += f64::from(lv) * chunk.len() as f64;
            let g = loss.backward();
            layout.gather_grads(&model, &g, &mut grads);
            drop(g);
            if uses_rate {
                let t_rate = Instant::now();
                cfg.reg.grad(&params[..nr], nu, eps, &mut rgrad[..nr]);
                let lambda = cfg.lambda;
                rgrad[..nr].iter_mut().for_each(|r| *r *= lambda);
                rate_seconds += t_rate.elapsed().as_secs_f64();
            }
            opt.step(&mut params, &grads, &rgrad, cosine(done, total));
            model = layout.scatter(model, &params);
            done += 1;
            if bi % trace_every == trace_every - 1 {
                let nu = if uses_rate && cfg.reg == Regularizer::Dggr {
                    nu
                } else {
                    golden::gg::estimate_shape(&params[..nr]).unwrap_or(f64::NAN)
                };
                trace.push(((epoch - 1) as f64 + (bi + 1) as f64 / per_epoch as f64, nu));
            }
            observer(Progress::Batch { done, total });
        }
        if let Some(i) = params.iter().position(|p| !p.is_finite()) {
            return Err(FinetuneError::Train(format!(
                "epoch {epoch}: parameter {i} is not finite"
            )));
        }
        let seconds = start.elapsed().as_secs_f64();
        let l = line(
            &layout,
            &params,
            cfg,
            epoch,
            loss_sum / n as f64,
            accuracy(&model, test, pad_id),
            (seconds, rate_seconds, n),
        )?;
        observer(Progress::Epoch(&l));
        history.push(l);
    }
    Ok((model, history, trace))
}

/// Tokenizes a split.
pub fn encode(tok: &Tok, set: &[crate::data::Example]) -> Result<Encoded, FinetuneError> {
    let texts: Vec<&str> = set.iter().map(|e| e.text.as_str()).collect();
    let ids = tok.encode_all(&texts).map_err(FinetuneError::Config)?;
    Ok(ids.into_iter().zip(set.iter().map(|e| e.label)).collect())
}

/// The task's data, tokenized and limited as `cfg` asks (the training set shuffled by seed
/// before the limit, so a limit takes a random subset).
pub fn load_encoded(
    cfg: &FinetuneConfig,
    src: &Sources,
    tok: &Tok,
) -> Result<(Encoded, Encoded, Vec<String>), FinetuneError> {
    let mut data = cfg.task.load(&src.data_dir, cfg.seed)?;
    let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(cfg.seed ^ 0x6c69_6d69_74);
    data.train.shuffle(&mut rng);
    if let Some(l) = cfg.train_limit {
        data.train.truncate(l);
    }
    if let Some(l) = cfg.test_limit {
        data.test.truncate(l);
    }
    Ok((encode(tok, &data.train)?, encode(tok, &data.test)?, data.classes))
}

/// Fine-tunes the pretrained model of `src.model_dir` on `cfg.task`.
pub fn finetune(
    cfg: &FinetuneConfig,
    src: &Sources,
    observer: &mut dyn FnMut(Progress),
) -> Result<FinetuneResult, FinetuneError> {
    cfg.validate()?;
    let bert = BertConfig::load(&src.model_dir.join("config.json"))?;
    if cfg.max_len > bert.max_position_embeddings {
        return Err(FinetuneError::Config(format!(
            "--max-len {} exceeds the model's {} positions",
            cfg.max_len, bert.max_position_embeddings
        )));
    }
    let tok = Tok::load(&src.model_dir.join("tokenizer.json"), cfg.max_len).map_err(FinetuneError::Config)?;
    let (train, test, classes) = load_encoded(cfg, src, &tok)?;
    let device = Device::default().autodiff();
    device.seed(cfg.seed);
    let mut model = Bert::init(&bert, classes.len(), &device);
    model.load_checkpoint(&bert, classes.len(), &src.model_dir.join("model.safetensors"))?;
    let (model, history, nu_trace) = train_loop(model, &train, &test, tok.pad_id, cfg, &device, observer)?;
    Ok(FinetuneResult {
        model,
        bert,
        classes,
        history,
        nu_trace,
    })
}

/// `model` with every parameter quantized at step `2^-step_bits` and reconstructed, as
/// `backslash encode` (without `--exact`) and `decode` leave it.
pub fn quantized(model: &Bert, step_bits: u32) -> Bert {
    let layout = Layout::of(model);
    let mut p = vec![0.0f32; layout.len];
    layout.gather(model, &mut p);
    p.iter_mut()
        .for_each(|v| *v = golden::quant::dequantize(golden::quant::quantize(*v, step_bits), step_bits));
    layout.scatter(model.clone(), &p)
}

/// Metadata keys of a fine-tuned safetensors file.
pub const META_CONFIG: &str = "bert_config";
pub const META_CLASSES: &str = "classes";
pub const META_TASK: &str = "task";

/// Serializes the model with Hugging Face names (F32) and metadata: the BERT configuration, the
/// task and its class names, and `extra`.
pub fn to_safetensors(
    model: &mut Bert,
    bert: &BertConfig,
    task: Task,
    classes: &[String],
    extra: &BTreeMap<String, String>,
) -> Result<Vec<u8>, FinetuneError> {
    let tensors = model.export(bert, classes.len());
    let bytes: Vec<(String, Vec<usize>, Vec<u8>)> = tensors
        .into_iter()
        .map(|(name, (shape, v))| (name, shape, v.iter().flat_map(|x| x.to_le_bytes()).collect()))
        .collect();
    let views: Vec<(String, safetensors::tensor::TensorView)> = bytes
        .iter()
        .map(|(n, s, b)| {
            safetensors::tensor::TensorView::new(safetensors::Dtype::F32, s.clone(), b)
                .map(|v| (n.clone(), v))
                .map_err(|e| FinetuneError::Train(format!("tensor {n}: {e}")))
        })
        .collect::<Result<_, _>>()?;
    let mut meta = extra.clone();
    meta.insert(
        META_CONFIG.into(),
        serde_json::to_string(&bert_json(bert)).expect("json"),
    );
    meta.insert(META_CLASSES.into(), serde_json::to_string(classes).expect("json"));
    meta.insert(META_TASK.into(), task.name().into());
    safetensors::tensor::serialize(views, Some(meta.into_iter().collect()))
        .map_err(|e| FinetuneError::Train(format!("safetensors: {e}")))
}

fn bert_json(c: &BertConfig) -> serde_json::Value {
    serde_json::json!({
        "vocab_size": c.vocab_size, "hidden_size": c.hidden_size,
        "num_hidden_layers": c.num_hidden_layers, "num_attention_heads": c.num_attention_heads,
        "intermediate_size": c.intermediate_size, "max_position_embeddings": c.max_position_embeddings,
        "type_vocab_size": c.type_vocab_size, "layer_norm_eps": c.layer_norm_eps,
        "hidden_dropout_prob": c.hidden_dropout_prob, "hidden_act": c.hidden_act,
    })
}

/// What a fine-tuned file says of itself: the task from its metadata (absent after
/// `backslash encode`/`decode`, which keep the tensors only) and the number of classes of its head.
pub struct Finetuned {
    pub model: Bert,
    pub classes: usize,
    pub task: Option<Task>,
}

/// A fine-tuned model read back from [`to_safetensors`]' output, or that file after
/// `backslash encode`/`decode`, on a device without autodiff. `bert` is the architecture (the
/// pretrained model's `config.json`); the head's size comes from `classifier.weight`.
pub fn load_finetuned(path: &Path, bert: &BertConfig) -> Result<Finetuned, FinetuneError> {
    let ferr = |m: String| FinetuneError::Config(format!("{}: {m}", path.display()));
    let bytes = std::fs::read(path).map_err(|e| ferr(e.to_string()))?;
    let st = safetensors::SafeTensors::deserialize(&bytes).map_err(|e| ferr(format!("not a safetensors file: {e}")))?;
    let head = st
        .tensor("classifier.weight")
        .map_err(|_| ferr("no classification head (classifier.weight): not made by `backslash finetune`".into()))?;
    let classes = match head.shape() {
        [c, h] if *h == bert.hidden_size && *c >= 1 => *c,
        s => {
            return Err(ferr(format!(
                "classifier.weight has shape {s:?}, expected [classes, {}]",
                bert.hidden_size
            )))
        }
    };
    let (_, meta) =
        safetensors::SafeTensors::read_metadata(&bytes).map_err(|e| ferr(format!("not a safetensors file: {e}")))?;
    let task = meta
        .metadata()
        .as_ref()
        .and_then(|m| m.get(META_TASK))
        .and_then(|t| Task::parse(t));
    let mut model = Bert::init(bert, classes, &Device::default());
    model.load_checkpoint(bert, classes, path)?;
    Ok(Finetuned { model, classes, task })
}
