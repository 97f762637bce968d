//! `backslash finetune`: BackSlash fine-tuning of a pretrained BERT (all-MiniLM-L6-v2) on the
//! paper's text tasks; `backslash evaluate`: the test accuracy of a fine-tuned model, also after
//! `encode` and `decode`.
//!
//! Both need the `transformer` feature (burn), which `make demo` and `make test` do not build:
//! `cargo run --release --features transformer -- finetune ...`.

use std::path::PathBuf;

/// Where the pretrained model and the data sets are (what `make minilm text-data` fills).
#[derive(clap::Args, Debug, Clone)]
#[cfg_attr(not(feature = "transformer"), allow(dead_code))]
pub struct SourceOpts {
    /// Folder with the pretrained model.safetensors, config.json and tokenizer.json.
    #[arg(long, default_value = "target/minilm")]
    pub model_dir: PathBuf,
    /// Folder of the data-set cache.
    #[arg(long, default_value = "target/text")]
    pub data_dir: PathBuf,
    /// Tokens per sequence ([CLS] and [SEP] included); longer texts are truncated.
    #[arg(long, default_value_t = 64)]
    pub max_len: usize,
    /// Evaluate on the first N test examples only.
    #[arg(long)]
    pub test_limit: Option<usize>,
    /// Seed of the split (sentiment, spam), of the subset, of shuffling, initialisation and dropout.
    #[arg(long, default_value_t = 1)]
    pub seed: u64,
}

/// Training options of `finetune` and `finetune-sweep`.
#[derive(clap::Args, Debug, Clone)]
#[cfg_attr(not(feature = "transformer"), allow(dead_code))]
pub struct TrainOpts {
    /// Passes over the training set.
    #[arg(long, default_value_t = 2)]
    pub epochs: usize,
    /// Train on N examples of the training set (a seeded random subset).
    #[arg(long)]
    pub train_limit: Option<usize>,
    /// Mini-batch size.
    #[arg(long, default_value_t = 16)]
    pub batch: usize,
    /// Adam's learning rate (cosine schedule; the rate gradient is applied decoupled).
    #[arg(long, default_value_t = 1e-4)]
    pub lr: f32,
    /// Soft-clipping constant ε of DGGR and lp:P.
    #[arg(long, default_value_t = 0.01)]
    pub eps: f32,
}

/// Arguments of `backslash finetune`.
#[derive(clap::Args, Debug)]
#[cfg_attr(not(feature = "transformer"), allow(dead_code))]
pub struct Args {
    /// Task: sentiment (movie reviews), topic (20 Newsgroups) or spam (SpamAssassin).
    #[arg(long)]
    pub task: String,
    /// Regularizer: dggr, l1, l2, lp:P or none.
    #[arg(long, default_value = "dggr")]
    pub reg: String,
    /// Lagrange multiplier λ of the rate term.
    #[arg(long)]
    pub lambda: f32,
    #[command(flatten)]
    pub train: TrainOpts,
    #[command(flatten)]
    pub src: SourceOpts,
    /// Also write the history (one object per epoch, and the ν trace) as JSON here.
    #[arg(long)]
    pub json: Option<PathBuf>,
    /// Output model (safetensors with Hugging Face names, written atomically).
    #[arg(short, long)]
    pub output: PathBuf,
}

/// Arguments of `backslash evaluate`.
#[derive(clap::Args, Debug)]
#[cfg_attr(not(feature = "transformer"), allow(dead_code))]
pub struct EvalArgs {
    /// A model from `backslash finetune`, or that model after `encode` and `decode`.
    pub model: PathBuf,
    /// The task (default: the one in the file's metadata; `decode` does not keep it).
    #[arg(long)]
    pub task: Option<String>,
    /// Evaluate with every tensor quantized at step 2^-N first, as `encode --step-bits N` and
    /// `decode` (without `--exact`) leave it.
    #[arg(long, value_name = "N")]
    pub quantize: Option<u32>,
    #[command(flatten)]
    pub src: SourceOpts,
}

#[cfg(not(feature = "transformer"))]
pub(crate) fn missing() -> anyhow::Error {
    anyhow::anyhow!(
        "this backslash was built without the transformer feature (burn): run `cargo run --release --features transformer -- ...` or `make results-transformer`"
    )
}

#[cfg(not(feature = "transformer"))]
pub fn run(_: Args) -> anyhow::Result<()> {
    Err(missing())
}

#[cfg(not(feature = "transformer"))]
pub fn evaluate(_: EvalArgs) -> anyhow::Result<()> {
    Err(missing())
}

#[cfg(feature = "transformer")]
pub(crate) use with_burn::{config, epoch_line, sources};
#[cfg(feature = "transformer")]
pub use with_burn::{evaluate, run};

#[cfg(feature = "transformer")]
mod with_burn {
    use super::{Args, EvalArgs, SourceOpts, TrainOpts};
    use crate::cmd::util::{check_output, progress, write_atomic};
    use golden::train::Regularizer;
    use std::collections::BTreeMap;
    use transformer::finetune::{self, EpochLine, FinetuneConfig, Progress, Sources};
    use transformer::text::Tok;
    use transformer::{BertConfig, Task};

    fn task(s: &str) -> anyhow::Result<Task> {
        Task::parse(s).ok_or_else(|| anyhow::anyhow!("unknown task `{s}` (expected sentiment, topic or spam)"))
    }

    /// The fine-tuning configuration of these options for one task, regularizer and λ.
    pub fn config(t: &TrainOpts, s: &SourceOpts, task: Task, reg: Regularizer, lambda: f32) -> FinetuneConfig {
        FinetuneConfig {
            task,
            reg,
            lambda,
            eps: t.eps,
            epochs: t.epochs,
            max_len: s.max_len,
            train_limit: t.train_limit,
            test_limit: s.test_limit,
            batch: t.batch,
            lr: t.lr,
            seed: s.seed,
        }
    }

    pub fn sources(s: &SourceOpts) -> Sources {
        Sources {
            model_dir: s.model_dir.clone(),
            data_dir: s.data_dir.clone(),
        }
    }

    /// One line per epoch: loss, rate, ν, test accuracy, EG bits/weight (best k) and zeros at
    /// step 2^-8, speed and the rate term's share of the step time.
    pub fn epoch_line(s: &EpochLine) -> String {
        format!(
            "epoch {:>2}  loss {:.4}  rate {:.5}  nu {:.3}  test {:.2}%  EG {:.3} b/w (k={})  zeros {:.1}%  {:.1}s  {:.2} samples/s  rate term {:.1}% of the step",
            s.epoch,
            s.loss,
            s.rate,
            s.nu,
            100.0 * s.test_acc,
            s.code.eg_bits,
            s.code.eg_k,
            100.0 * s.code.zero_fraction,
            s.seconds,
            s.samples_per_s,
            100.0 * s.rate_share
        )
    }

    pub fn run(args: Args) -> anyhow::Result<()> {
        let cfg = config(
            &args.train,
            &args.src,
            task(&args.task)?,
            Regularizer::parse(&args.reg)?,
            args.lambda,
        );
        cfg.validate()?;
        // Outputs are checked before hours of training, not after.
        for path in std::iter::once(&args.output).chain(&args.json) {
            check_output(path)?;
        }
        let src = sources(&args.src);
        eprintln!(
            "fine-tuning {} on {}: reg {} λ={} ε={}, {} epochs, batch {}, lr {}, {} tokens, seed {}",
            src.model_dir.display(),
            cfg.task.name(),
            cfg.reg,
            cfg.lambda,
            cfg.eps,
            cfg.epochs,
            cfg.batch,
            cfg.lr,
            cfg.max_len,
            cfg.seed
        );
        let mut pb: Option<indicatif::ProgressBar> = None;
        let result = finetune::finetune(&cfg, &src, &mut |p| match p {
            Progress::Batch { done, total } => pb
                .get_or_insert_with(|| progress(total as u64, "fine-tuning"))
                .set_position(done as u64),
            Progress::Epoch(s) => match &pb {
                Some(pb) => pb.suspend(|| println!("{}", epoch_line(s))),
                None => println!("{}", epoch_line(s)),
            },
        })?;
        if let Some(pb) = pb {
            pb.finish_and_clear();
        }
        let mut meta = BTreeMap::new();
        meta.insert("format".to_string(), "backslash-bert".to_string());
        meta.insert("reg".into(), cfg.reg.name());
        meta.insert("lambda".into(), cfg.lambda.to_string());
        meta.insert("seed".into(), cfg.seed.to_string());
        meta.insert("max_len".into(), cfg.max_len.to_string());
        if let Some(last) = result.history.last() {
            meta.insert("test_accuracy".into(), format!("{:.4}", last.test_acc));
        }
        let mut model = result.model;
        let bytes = finetune::to_safetensors(&mut model, &result.bert, cfg.task, &result.classes, &meta)?;
        if let Some(path) = &args.json {
            let j = serde_json::json!({
                "task": cfg.task.name(), "reg": cfg.reg.name(), "lambda": cfg.lambda, "eps": cfg.eps,
                "epochs": cfg.epochs, "batch": cfg.batch, "lr": cfg.lr, "max_len": cfg.max_len,
                "train_limit": cfg.train_limit, "test_limit": cfg.test_limit, "seed": cfg.seed,
                "history": result.history, "nu_trace": result.nu_trace,
            });
            write_atomic(path, serde_json::to_string_pretty(&j)?.as_bytes())?;
        }
        write_atomic(&args.output, &bytes)?;
        eprintln!("wrote {} ({} bytes)", args.output.display(), bytes.len());
        Ok(())
    }

    pub fn evaluate(args: EvalArgs) -> anyhow::Result<()> {
        let src = sources(&args.src);
        let bert = BertConfig::load(&src.model_dir.join("config.json"))?;
        let ft = finetune::load_finetuned(&args.model, &bert)?;
        let task = match (&args.task, ft.task) {
            (Some(t), _) => task(t)?,
            (None, Some(t)) => t,
            (None, None) => anyhow::bail!(
                "{} has no task in its metadata (decoded files keep tensors only): pass --task",
                args.model.display()
            ),
        };
        let tok = Tok::load(&src.model_dir.join("tokenizer.json"), args.src.max_len).map_err(anyhow::Error::msg)?;
        let cfg = FinetuneConfig {
            task,
            max_len: args.src.max_len,
            test_limit: args.src.test_limit,
            // The test split only: tokenize one training example, not all of them.
            train_limit: Some(1),
            seed: args.src.seed,
            ..FinetuneConfig::default()
        };
        let (_, test, classes) = finetune::load_encoded(&cfg, &src, &tok)?;
        if classes.len() != ft.classes {
            anyhow::bail!(
                "{} has a head of {} classes, task {} has {}",
                args.model.display(),
                ft.classes,
                task.name(),
                classes.len()
            );
        }
        let model = match args.quantize {
            Some(n) if n > golden::quant::MAX_STEP_BITS => {
                anyhow::bail!("--quantize {n} is outside 0..={}", golden::quant::MAX_STEP_BITS)
            }
            Some(n) => finetune::quantized(&ft.model, n),
            None => ft.model,
        };
        let acc = finetune::accuracy(&model, &test, tok.pad_id);
        println!(
            "{}{}: task {} (seed {}), {} test examples, accuracy {:.2}%",
            args.model.display(),
            args.quantize
                .map(|n| format!(" quantized at 2^-{n}"))
                .unwrap_or_default(),
            task.name(),
            cfg.seed,
            test.len(),
            100.0 * acc
        );
        Ok(())
    }
}
