//! `backslash finetune-sweep`: the paper's BERT experiments on all-MiniLM-L6-v2 (feature
//! `transformer`), written as a table (markdown and JSON), figures (PNG and SVG) and the two
//! sentiment models the codec check uses (normal and the chosen BackSlash run).
//!
//! Runs, one after another (each uses every core):
//! - sentiment: normal fine-tuning (`none`, λ = 0), DGGR at every `--lambdas`, and every
//!   `--regs` at `--compare-lambda` (Table 6);
//! - topic and spam: normal and DGGR at `--compare-lambda` (Table 5).
//!
//! The chosen BackSlash run is the sentiment DGGR run with the fewest EG bits whose test accuracy
//! is within 1 point of normal fine-tuning, or else the most accurate one.

use super::finetune::{SourceOpts, TrainOpts};
use std::path::PathBuf;

/// Arguments of `backslash finetune-sweep`.
#[derive(clap::Args, Debug)]
#[cfg_attr(not(feature = "transformer"), allow(dead_code))]
pub struct Args {
    /// λ values of DGGR on sentiment (normal fine-tuning is always run).
    #[arg(long, value_delimiter = ',', default_value = "5e7,1e8,2e8")]
    pub lambdas: Vec<f32>,
    /// λ of the regularizer comparison and of DGGR on topic and spam.
    #[arg(long, default_value_t = 1e8)]
    pub compare_lambda: f32,
    /// Regularizers compared with DGGR at --compare-lambda on sentiment.
    #[arg(long, value_delimiter = ',', default_value = "lp:0.5,l1,l2")]
    pub regs: Vec<String>,
    /// Tasks: sentiment (always first), topic, spam.
    #[arg(long, value_delimiter = ',', default_value = "sentiment,topic,spam")]
    pub tasks: Vec<String>,
    #[command(flatten)]
    pub train: TrainOpts,
    #[command(flatten)]
    pub src: SourceOpts,
    /// Output directory (created if missing).
    #[arg(long)]
    pub out: PathBuf,
}

#[cfg(not(feature = "transformer"))]
pub fn run(_: Args) -> anyhow::Result<()> {
    Err(super::finetune::missing())
}

#[cfg(feature = "transformer")]
pub use with_burn::run;

#[cfg(feature = "transformer")]
mod with_burn {
    use super::Args;
    use crate::cmd::finetune::{config, epoch_line, sources};
    use crate::cmd::sweep::histogram;
    use crate::cmd::util::{progress, write_atomic};
    use crate::plots::{self, LineChart, Series};
    use anyhow::Context;
    use golden::train::metrics::magnitude_threshold;
    use golden::train::Regularizer;
    use serde::Serialize;
    use std::collections::BTreeMap;
    use std::fmt::Write as _;
    use std::path::Path;
    use transformer::burn::module::Module;
    use transformer::finetune::{self, EpochLine, FinetuneConfig, Progress, REPORT_STEP_BITS};
    use transformer::params::Layout;
    use transformer::text::Tok;
    use transformer::{Bert, BertConfig, Task};

    /// Pruning rates of Fig. 8.
    const PRUNE_RATES: [f64; 6] = [0.0, 0.6, 0.7, 0.8, 0.9, 0.95];
    /// EG orders of Table 3: those of `golden::stats`.
    const TABLE3_K: std::ops::RangeInclusive<u32> = golden::stats::TABLE_KS;

    /// One row of the table.
    #[derive(Debug, Clone, Serialize)]
    struct Row {
        task: String,
        reg: String,
        lambda: f32,
        nu: f64,
        test_acc: f64,
        /// Test accuracy with every tensor quantized at 2^-8 (what `encode`/`decode` give).
        quant_test_acc: f64,
        zero_fraction: f64,
        eg_bits: f64,
        eg_k: u32,
        eg0_bits: f64,
        huffman_bits: f64,
        fixed_bits: f64,
        entropy_bits: f64,
        /// EG bits per weight at k = 0..=5 (Table 3).
        eg_bits_by_k: Vec<f64>,
        /// EG size against normal fine-tuning of the same task (1.0 = same size).
        eg_size_vs_normal: f64,
        seconds: f64,
        samples_per_s: f64,
        rate_share: f64,
    }

    #[derive(Debug, Clone, Serialize)]
    struct Run {
        row: Row,
        history: Vec<EpochLine>,
        nu_trace: Vec<(f64, f64)>,
        /// (pruning rate, test accuracy), sentiment's normal and DGGR runs.
        prune_curve: Vec<(f64, f64)>,
        #[serde(skip)]
        rated: Vec<f32>,
    }

    /// EG bits per weight of `w` quantized at 2^-n, for each k of `ks`.
    /// EG bits per weight of `w` quantized at 2^-n for k = 0..=5: golden's `stats` row (Table 3).
    fn eg_bits_by_k(w: &[f32], n: u32) -> anyhow::Result<Vec<f64>> {
        Ok(golden::stats::tensor_row("rated weights", w, n)?.eg_bits_per_weight)
    }

    fn rated_params(model: &Bert) -> Vec<f32> {
        let layout = Layout::of(model);
        let mut p = vec![0.0; layout.len];
        layout.gather(model, &mut p);
        p.truncate(layout.n_rated);
        p
    }

    /// Test accuracy after zeroing the fraction `rate` of the rated weights of smallest magnitude.
    fn pruned_accuracy(model: &Bert, test: &finetune::Encoded, pad: u32, rate: f64) -> f64 {
        let layout = Layout::of(model);
        let mut p = vec![0.0; layout.len];
        layout.gather(model, &mut p);
        if let Some(t) = magnitude_threshold(&p[..layout.n_rated], rate) {
            p[..layout.n_rated]
                .iter_mut()
                .filter(|v| v.abs() <= t)
                .for_each(|v| *v = 0.0);
        }
        finetune::accuracy(&layout.scatter(model.clone(), &p), test, pad)
    }

    pub fn run(args: Args) -> anyhow::Result<()> {
        let tasks: Vec<Task> = args
            .tasks
            .iter()
            .map(|t| Task::parse(t).ok_or_else(|| anyhow::anyhow!("--tasks: unknown task `{t}`")))
            .collect::<anyhow::Result<_>>()?;
        if tasks.first() != Some(&Task::Sentiment) {
            anyhow::bail!("--tasks must start with sentiment (the λ sweep and the chosen model are on it)");
        }
        let regs: Vec<Regularizer> = args
            .regs
            .iter()
            .map(|r| Regularizer::parse(r))
            .collect::<Result<_, _>>()?;
        if let Some(l) = args
            .lambdas
            .iter()
            .chain([&args.compare_lambda])
            .find(|l| !(l.is_finite() && **l > 0.0))
        {
            anyhow::bail!("λ {l}: the sweep's λ values must be finite and positive");
        }
        if args.out.exists() && !args.out.is_dir() {
            anyhow::bail!("--out {}: not a directory", args.out.display());
        }
        let mut plan: Vec<(Task, Regularizer, f32)> = vec![(Task::Sentiment, Regularizer::None, 0.0)];
        plan.extend(args.lambdas.iter().map(|&l| (Task::Sentiment, Regularizer::Dggr, l)));
        plan.extend(regs.iter().map(|&r| (Task::Sentiment, r, args.compare_lambda)));
        for &t in &tasks[1..] {
            plan.push((t, Regularizer::None, 0.0));
            plan.push((t, Regularizer::Dggr, args.compare_lambda));
        }
        let cfg_of = |(task, reg, lambda): (Task, Regularizer, f32)| config(&args.train, &args.src, task, reg, lambda);
        for &p in &plan {
            cfg_of(p).validate()?;
        }
        let src = sources(&args.src);
        let bert = BertConfig::load(&src.model_dir.join("config.json"))?;
        let tok = Tok::load(&src.model_dir.join("tokenizer.json"), args.src.max_len).map_err(anyhow::Error::msg)?;
        std::fs::create_dir_all(args.out.join("models"))
            .with_context(|| format!("cannot create {}", args.out.display()))?;
        let start = std::time::Instant::now();
        eprintln!(
            "finetune-sweep: {} runs, {} epoch(s) each",
            plan.len(),
            args.train.epochs
        );

        let mut runs: Vec<Run> = Vec::new();
        let mut kept: BTreeMap<usize, Bert> = BTreeMap::new();
        for (i, &p) in plan.iter().enumerate() {
            let cfg = cfg_of(p);
            eprintln!(
                "run {}/{}: {} {} λ={}",
                i + 1,
                plan.len(),
                cfg.task.name(),
                cfg.reg,
                cfg.lambda
            );
            let mut pb: Option<indicatif::ProgressBar> = None;
            let res = finetune::finetune(&cfg, &src, &mut |p| match p {
                Progress::Batch { done, total } => pb
                    .get_or_insert_with(|| progress(total as u64, cfg.task.name()))
                    .set_position(done as u64),
                Progress::Epoch(s) => match &pb {
                    Some(pb) => pb.suspend(|| eprintln!("  {}", epoch_line(s))),
                    None => eprintln!("  {}", epoch_line(s)),
                },
            })
            .with_context(|| format!("run {} {} λ={}", cfg.task.name(), cfg.reg, cfg.lambda))?;
            if let Some(pb) = pb {
                pb.finish_and_clear();
            }
            let (_, test, _) = finetune::load_encoded(
                &FinetuneConfig {
                    train_limit: Some(1),
                    ..cfg.clone()
                },
                &src,
                &tok,
            )?;
            let model = res.model.valid();
            let last = res.history.last().expect("epoch 0 is always measured").clone();
            let rated = rated_params(&model);
            let quant_test_acc = finetune::accuracy(&finetune::quantized(&model, REPORT_STEP_BITS), &test, tok.pad_id);
            let prune_curve = if cfg.task == Task::Sentiment && matches!(cfg.reg, Regularizer::None | Regularizer::Dggr)
            {
                PRUNE_RATES
                    .iter()
                    .map(|&r| (r, pruned_accuracy(&model, &test, tok.pad_id, r)))
                    .collect()
            } else {
                Vec::new()
            };
            let train_seconds: f64 = res.history.iter().map(|h| h.seconds).sum();
            let samples: f64 = res.history.iter().map(|h| h.samples_per_s * h.seconds).sum();
            let rate_seconds: f64 = res.history.iter().map(|h| h.rate_share * h.seconds).sum();
            let row = Row {
                task: cfg.task.name().into(),
                reg: cfg.reg.name(),
                lambda: cfg.lambda,
                nu: last.nu,
                test_acc: last.test_acc,
                quant_test_acc,
                zero_fraction: last.code.zero_fraction,
                eg_bits: last.code.eg_bits,
                eg_k: last.code.eg_k,
                eg0_bits: last.code.eg0_bits,
                huffman_bits: last.code.huffman_bits,
                fixed_bits: last.code.fixed_bits,
                entropy_bits: last.code.entropy_bits,
                eg_bits_by_k: eg_bits_by_k(&rated, REPORT_STEP_BITS)?,
                eg_size_vs_normal: f64::NAN,
                seconds: train_seconds,
                samples_per_s: if train_seconds > 0.0 {
                    samples / train_seconds
                } else {
                    0.0
                },
                rate_share: if train_seconds > 0.0 {
                    rate_seconds / train_seconds
                } else {
                    0.0
                },
            };
            eprintln!(
                "  -> test {:.2}% (quantized 2^-8: {:.2}%), ν {:.3}, EG {:.3} b/w, zeros {:.1}%",
                100.0 * row.test_acc,
                100.0 * row.quant_test_acc,
                row.nu,
                row.eg_bits,
                100.0 * row.zero_fraction
            );
            if cfg.task == Task::Sentiment && matches!(cfg.reg, Regularizer::None | Regularizer::Dggr) {
                kept.insert(i, res.model);
            }
            runs.push(Run {
                row,
                history: res.history,
                nu_trace: res.nu_trace,
                prune_curve,
                rated,
            });
        }
        // EG size against the normal run of the same task.
        let normal: BTreeMap<String, f64> = runs
            .iter()
            .filter(|r| r.row.reg == "none")
            .map(|r| (r.row.task.clone(), r.row.eg_bits))
            .collect();
        for r in &mut runs {
            r.row.eg_size_vs_normal = normal.get(&r.row.task).map_or(f64::NAN, |b| r.row.eg_bits / b);
        }
        let base_acc = runs[0].row.test_acc;
        let dggr: Vec<usize> = (0..runs.len())
            .filter(|&i| runs[i].row.task == "sentiment" && runs[i].row.reg == "dggr")
            .collect();
        let chosen = dggr
            .iter()
            .copied()
            .filter(|&i| runs[i].row.test_acc >= base_acc - 0.01)
            .min_by(|&a, &b| runs[a].row.eg_bits.total_cmp(&runs[b].row.eg_bits))
            .or_else(|| {
                dggr.iter()
                    .copied()
                    .max_by(|&a, &b| runs[a].row.test_acc.total_cmp(&runs[b].row.test_acc))
            });

        // The pretrained weights (the "before" of Fig. 1/6 and Table 3).
        let mut pre = Bert::init(&bert, 2, &transformer::burn::tensor::Device::default());
        pre.load_checkpoint(&bert, 2, &src.model_dir.join("model.safetensors"))?;
        let pretrained = rated_params(&pre);

        // The models the codec check uses.
        let classes = vec!["negative".to_string(), "positive".to_string()];
        for (i, name) in [(Some(0), "sentiment_normal"), (chosen, "sentiment_backslash")] {
            let Some((i, model)) = i.and_then(|i| kept.get_mut(&i).map(|m| (i, m))) else {
                continue;
            };
            let mut meta = BTreeMap::new();
            meta.insert("reg".to_string(), runs[i].row.reg.clone());
            meta.insert("lambda".to_string(), runs[i].row.lambda.to_string());
            meta.insert("seed".to_string(), args.src.seed.to_string());
            let bytes = finetune::to_safetensors(model, &bert, Task::Sentiment, &classes, &meta)?;
            write_atomic(&args.out.join("models").join(format!("{name}.safetensors")), &bytes)?;
        }
        let wall = start.elapsed().as_secs_f64();
        let md = markdown(&args, &runs, chosen, &pretrained, wall)?;
        write_atomic(&args.out.join("table.md"), md.as_bytes())?;
        let rows: Vec<&Row> = runs.iter().map(|r| &r.row).collect();
        let json = serde_json::json!({
            "epochs": args.train.epochs, "train_limit": args.train.train_limit, "test_limit": args.src.test_limit,
            "max_len": args.src.max_len, "batch": args.train.batch, "lr": args.train.lr, "eps": args.train.eps,
            "seed": args.src.seed, "step_bits": REPORT_STEP_BITS, "chosen": chosen, "wall_seconds": wall,
            "rows": rows,
        });
        write_atomic(
            &args.out.join("table.json"),
            serde_json::to_string_pretty(&json)?.as_bytes(),
        )?;
        write_atomic(&args.out.join("runs.json"), serde_json::to_string(&runs)?.as_bytes())?;
        figures(&args.out, &runs, chosen, &pretrained)?;
        eprintln!(
            "wrote {}/table.md, table.json, runs.json, models/ and figures in {:.0} s",
            args.out.display(),
            wall
        );
        print!("{md}");
        Ok(())
    }

    fn label(r: &Row) -> String {
        if r.reg == "none" {
            "normal (λ=0)".into()
        } else {
            format!("{} λ={:e}", r.reg, r.lambda)
        }
    }

    fn markdown(
        args: &Args,
        runs: &[Run],
        chosen: Option<usize>,
        pretrained: &[f32],
        wall: f64,
    ) -> anyhow::Result<String> {
        let mut md = String::new();
        let _ = writeln!(
            md,
            "all-MiniLM-L6-v2 + classification head; {} epoch(s), train limit {:?}, test limit {:?}, {} tokens, batch {}, \
             Adam lr {} (cosine, rate gradient decoupled), ε {}, seed {}; sizes over the {} rated weights (matrices and \
             embeddings) at step 2^-{}. Wall time {:.0} s.\n",
            args.train.epochs,
            args.train.train_limit,
            args.src.test_limit,
            args.src.max_len,
            args.train.batch,
            args.train.lr,
            args.train.eps,
            args.src.seed,
            pretrained.len(),
            REPORT_STEP_BITS,
            wall
        );
        let _ = writeln!(
            md,
            "| task | reg | λ | ν | test acc | quantized 2^-8 | zeros | EG b/w (k) | EG k=0 | Huffman | fixed | entropy | EG size vs normal | samples/s | rate term |"
        );
        let _ = writeln!(
            md,
            "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
        );
        for (i, r) in runs.iter().map(|r| &r.row).enumerate() {
            let mark = if Some(i) == chosen { " (chosen)" } else { "" };
            let _ = writeln!(
                md,
                "| {} | {}{} | {:e} | {:.3} | {:.2}% | {:.2}% | {:.1}% | {:.3} ({}) | {:.3} | {:.3} | {:.0} | {:.3} | {:.1}% | {:.1} | {:.1}% |",
                r.task,
                r.reg,
                mark,
                r.lambda,
                r.nu,
                100.0 * r.test_acc,
                100.0 * r.quant_test_acc,
                100.0 * r.zero_fraction,
                r.eg_bits,
                r.eg_k,
                r.eg0_bits,
                r.huffman_bits,
                r.fixed_bits,
                r.entropy_bits,
                100.0 * r.eg_size_vs_normal,
                r.samples_per_s,
                100.0 * r.rate_share
            );
        }
        let _ = writeln!(
            md,
            "\nTable 3: EG bits per weight by order k (step 2^-{REPORT_STEP_BITS})\n"
        );
        let _ = writeln!(
            md,
            "| weights | {} |",
            TABLE3_K.map(|k| format!("k={k}")).collect::<Vec<_>>().join(" | ")
        );
        let _ = writeln!(md, "|---|{}", "---:|".repeat(TABLE3_K.count()));
        let mut table3 = vec![(
            "pretrained".to_string(),
            eg_bits_by_k(pretrained, REPORT_STEP_BITS)?,
        )];
        table3.push(("sentiment, normal".into(), runs[0].row.eg_bits_by_k.clone()));
        if let Some(c) = chosen {
            table3.push((
                format!("sentiment, {} (chosen)", label(&runs[c].row)),
                runs[c].row.eg_bits_by_k.clone(),
            ));
        }
        for (name, bits) in table3 {
            let cells: Vec<String> = bits.iter().map(|b| format!("{b:.3}")).collect();
            let _ = writeln!(md, "| {name} | {} |", cells.join(" | "));
        }
        let curves: Vec<&Run> = runs.iter().filter(|r| !r.prune_curve.is_empty()).collect();
        if !curves.is_empty() {
            let _ = writeln!(
                md,
                "\nFig. 8: sentiment test accuracy after magnitude pruning of the rated weights (no retraining)\n"
            );
            let _ = writeln!(
                md,
                "| run | {} |",
                PRUNE_RATES.map(|r| format!("{:.0}%", 100.0 * r)).join(" | ")
            );
            let _ = writeln!(md, "|---|{}", "---:|".repeat(PRUNE_RATES.len()));
            for r in curves {
                let cells: Vec<String> = r
                    .prune_curve
                    .iter()
                    .map(|(_, a)| format!("{:.2}%", 100.0 * a))
                    .collect();
                let _ = writeln!(md, "| {} | {} |", label(&r.row), cells.join(" | "));
            }
        }
        Ok(md)
    }

    fn figures(out: &Path, runs: &[Run], chosen: Option<usize>, pretrained: &[f32]) -> anyhow::Result<()> {
        let sentiment: Vec<&Run> = runs
            .iter()
            .filter(|r| r.row.task == "sentiment" && (r.row.reg == "dggr" || r.row.reg == "none"))
            .collect();
        plots::line_chart(
            &out.join("fig3_nu"),
            &LineChart {
                title: "Fig. 3: GG shape ν during fine-tuning (sentiment)".into(),
                x_label: "epoch".into(),
                y_label: "ν of the rated weights".into(),
                series: sentiment
                    .iter()
                    .map(|r| Series {
                        label: label(&r.row),
                        points: r.nu_trace.clone(),
                    })
                    .collect(),
                markers: false,
            },
        )?;
        let by_lambda = |f: &dyn Fn(&Row) -> f64| {
            sentiment
                .iter()
                .map(|r| (f64::from(r.row.lambda), f(&r.row)))
                .collect::<Vec<_>>()
        };
        let series = |name: &str, f: &dyn Fn(&Row) -> f64| Series {
            label: name.into(),
            points: by_lambda(f),
        };
        plots::line_chart(
            &out.join("fig4_bits"),
            &LineChart {
                title: "Fig. 4: bits per weight against λ (DGGR, sentiment)".into(),
                x_label: "λ".into(),
                y_label: "bits per weight".into(),
                series: vec![
                    series("Exp-Golomb (best k)", &|r| r.eg_bits),
                    series("Exp-Golomb k=0", &|r| r.eg0_bits),
                    series("Huffman", &|r| r.huffman_bits),
                    series("fixed length", &|r| r.fixed_bits),
                    series("entropy", &|r| r.entropy_bits),
                ],
                markers: true,
            },
        )?;
        plots::line_chart(
            &out.join("fig5_accuracy"),
            &LineChart {
                title: "Fig. 5: test accuracy against λ (DGGR, sentiment)".into(),
                x_label: "λ".into(),
                y_label: "test accuracy".into(),
                series: vec![
                    series("float", &|r| r.test_acc),
                    series("quantized at 2^-8", &|r| r.quant_test_acc),
                ],
                markers: true,
            },
        )?;
        histogram(
            &out.join("fig6_hist_pretrained"),
            "Fig. 1/6: weights, pretrained all-MiniLM-L6-v2",
            pretrained,
        )?;
        histogram(
            &out.join("fig6_hist_normal"),
            "Fig. 6: weights, normal fine-tuning (sentiment)",
            &runs[0].rated,
        )?;
        if let Some(c) = chosen {
            histogram(
                &out.join("fig6_hist_backslash"),
                &format!("Fig. 6: weights, BackSlash λ={:e} (sentiment)", runs[c].row.lambda),
                &runs[c].rated,
            )?;
        }
        plots::line_chart(
            &out.join("fig8_pruning"),
            &LineChart {
                title: "Fig. 8: test accuracy against magnitude pruning (sentiment)".into(),
                x_label: "fraction of rated weights pruned".into(),
                y_label: "test accuracy".into(),
                series: runs
                    .iter()
                    .filter(|r| !r.prune_curve.is_empty())
                    .map(|r| Series {
                        label: label(&r.row),
                        points: r.prune_curve.clone(),
                    })
                    .collect(),
                markers: true,
            },
        )?;
        Ok(())
    }
}
