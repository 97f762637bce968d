//! `backslash train`: train an MLP with a rate penalty (BackSlash) or a baseline regularizer, and
//! save it as safetensors (optionally also its integer export as JSON).

use crate::cmd::util::{progress, write_atomic};
use anyhow::Context;
use golden::data::{Dataset, DatasetName};
use golden::train::{self, io, EpochStats, Optimizer, Progress, Regularizer, TrainConfig, TrainResult};
use std::collections::BTreeMap;
use std::path::PathBuf;

/// Training options shared by `train` and `sweep`.
#[derive(clap::Args, Debug, Clone)]
pub struct TrainOpts {
    /// Dataset: digits (embedded) or fashion-mnist (from /usr/share/datasets/fashion-mnist).
    #[arg(long, default_value = "digits")]
    pub dataset: String,
    /// Hidden layer sizes, comma separated.
    #[arg(long, default_value = "128,64", value_delimiter = ',')]
    pub hidden: Vec<usize>,
    /// Passes over the training set.
    #[arg(long, default_value_t = 20)]
    pub epochs: usize,
    /// Mini-batch size.
    #[arg(long, default_value_t = 32)]
    pub batch: usize,
    /// Optimizer: sgd (momentum 0.9) or adam (rate gradient decoupled).
    #[arg(long, default_value = "sgd")]
    pub optimizer: String,
    /// Learning rate (default 0.05 for sgd, 0.001 for adam).
    #[arg(long)]
    pub lr: Option<f32>,
    /// Soft-clipping constant ε of DGGR and lp:P.
    #[arg(long, default_value_t = 1e-2)]
    pub eps: f32,
    /// Seed of initialisation and shuffling.
    #[arg(long, default_value_t = 1)]
    pub seed: u64,
    /// Use only the first N training samples (Fashion-MNIST; digits ignores it).
    #[arg(long)]
    pub train_limit: Option<usize>,
    /// Use only the first N test samples (Fashion-MNIST; digits ignores it).
    #[arg(long)]
    pub test_limit: Option<usize>,
}

/// Arguments of `backslash train`.
#[derive(clap::Args, Debug)]
pub struct Args {
    #[command(flatten)]
    pub opts: TrainOpts,
    /// Regularizer: dggr, l1, l2, lp:P or none.
    #[arg(long, default_value = "dggr")]
    pub reg: String,
    /// Lagrange multiplier λ of the rate term (20: about 70% smaller at equal accuracy on digits).
    #[arg(long, default_value_t = 20.0)]
    pub lambda: f32,
    /// Output model (safetensors, written atomically).
    #[arg(short, long)]
    pub output: PathBuf,
    /// Also write the integer model (golden::infer::QModel) as JSON here.
    #[arg(long)]
    pub qmodel: Option<PathBuf>,
    /// Weight step exponent n (step 2^-n) of the integer export.
    #[arg(long, default_value_t = 8)]
    pub step_bits: u32,
}

/// Loads the dataset named in the options.
pub fn load_dataset(opts: &TrainOpts) -> anyhow::Result<Dataset> {
    let name = DatasetName::parse(&opts.dataset)?;
    let limit = match (opts.train_limit, opts.test_limit) {
        (None, None) => None,
        (a, b) => Some((a.unwrap_or(usize::MAX), b.unwrap_or(usize::MAX))),
    };
    name.load(limit)
        .with_context(|| format!("cannot load dataset {}", name.as_str()))
}

/// The trainer configuration for these options, regularizer and λ.
pub fn config(opts: &TrainOpts, reg: Regularizer, lambda: f32) -> anyhow::Result<TrainConfig> {
    let cfg = TrainConfig {
        hidden: opts.hidden.clone(),
        reg,
        lambda,
        eps: opts.eps,
        epochs: opts.epochs,
        batch: opts.batch,
        optimizer: Optimizer::parse(&opts.optimizer, opts.lr)?,
        seed: opts.seed,
    };
    cfg.validate()?;
    Ok(cfg)
}

/// The metadata stored with a model.
pub fn metadata(data: &Dataset, cfg: &TrainConfig, result: &TrainResult) -> BTreeMap<String, String> {
    let mut m = BTreeMap::new();
    let mut put = |k: &str, v: String| {
        m.insert(k.to_string(), v);
    };
    put("format", "backslash-mlp".into());
    put("dataset", data.name.clone());
    put(
        "hidden",
        cfg.hidden.iter().map(|h| h.to_string()).collect::<Vec<_>>().join(","),
    );
    put("reg", cfg.reg.name());
    put("lambda", cfg.lambda.to_string());
    put("eps", cfg.eps.to_string());
    put("epochs", cfg.epochs.to_string());
    put("batch", cfg.batch.to_string());
    put("optimizer", cfg.optimizer.name().into());
    put("lr", cfg.optimizer.lr().to_string());
    put("seed", cfg.seed.to_string());
    if let Some(last) = result.history.last() {
        put("test_accuracy", format!("{:.4}", last.test_acc));
        put("nu", format!("{:.4}", last.nu));
        put("eg_bits_per_weight", format!("{:.4}", last.code.eg_bits));
    }
    m
}

/// One line per epoch: loss, rate, ν, accuracies, EG bits/weight at step 2^-8 (best k).
pub fn epoch_line(s: &EpochStats) -> String {
    format!(
        "epoch {:>3}  loss {:.4}  rate {:.5}  nu {:.3}  train {:.2}%  test {:.2}%  EG {:.3} b/w (k={})  zeros {:.1}%  {:.2}s",
        s.epoch,
        s.loss,
        s.rate,
        s.nu,
        100.0 * s.train_acc,
        100.0 * s.test_acc,
        s.code.eg_bits,
        s.code.eg_k,
        100.0 * s.code.zero_fraction,
        s.seconds
    )
}

pub fn run(args: Args) -> anyhow::Result<()> {
    let reg = Regularizer::parse(&args.reg)?;
    let cfg = config(&args.opts, reg, args.lambda)?;
    // Outputs and the export step are checked before training, not after it.
    if args.step_bits > golden::quant::MAX_STEP_BITS {
        anyhow::bail!(
            "--step-bits {} is outside 0..={}",
            args.step_bits,
            golden::quant::MAX_STEP_BITS
        );
    }
    for path in std::iter::once(&args.output).chain(&args.qmodel) {
        super::util::check_output(path)?;
    }
    let data = load_dataset(&args.opts)?;
    eprintln!(
        "training {} MLP {:?} on {} ({} train / {} test), reg {} λ={} ε={}, {} lr={}, batch {}, seed {}",
        data.name,
        cfg.sizes(&data),
        data.name,
        data.train.len(),
        data.test.len(),
        cfg.reg,
        cfg.lambda,
        cfg.eps,
        cfg.optimizer.name(),
        cfg.optimizer.lr(),
        cfg.batch,
        cfg.seed
    );
    let batches = data.train.len().div_ceil(cfg.batch) * cfg.epochs;
    let pb = progress(batches as u64, "training");
    let result = train::train(&data, &cfg, &mut |p| match p {
        Progress::Batch { done, .. } => pb.set_position(done as u64),
        Progress::Epoch(s) => pb.suspend(|| println!("{}", epoch_line(s))),
    })?;
    pb.finish_and_clear();
    let bytes = io::save_safetensors(&result.mlp, &metadata(&data, &cfg, &result))?;
    write_atomic(&args.output, &bytes)?;
    eprintln!("wrote {}", args.output.display());
    if let Some(path) = &args.qmodel {
        let q = train::export_qmodel(&result.mlp, &data.train, args.step_bits)?;
        let agree = train::agreement(&result.mlp, &q, &data.test)?;
        let acc = train::export::int_accuracy(&q, &data.test, data.features)?;
        write_atomic(path, serde_json::to_string(&q)?.as_bytes())?;
        eprintln!(
            "wrote {} (integer model, step 2^-{}: test accuracy {:.2}%, same class as float on {:.2}%)",
            path.display(),
            args.step_bits,
            100.0 * acc,
            100.0 * agree
        );
    }
    Ok(())
}
