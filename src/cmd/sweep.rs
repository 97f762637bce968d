//! `backslash sweep`: train over a λ grid and several regularizers, then write the table (markdown
//! and JSON), the models, and the paper's plots (Fig. 3-8, Table 6) as PNG and SVG.
//!
//! Runs: normal training (`none`, λ = 0) plus every regularizer at every λ > 0, trained in
//! parallel with rayon (set RAYON_NUM_THREADS to limit the cores). Each run is deterministic for
//! its seed, so the results do not depend on the thread count. The "chosen" BackSlash run (used
//! by Fig. 6-8) is the DGGR run with the fewest EG bits whose test accuracy is within 1 point of
//! normal training, or else the most accurate DGGR run.

use crate::cmd::train::{config, load_dataset, metadata, TrainOpts};
use crate::cmd::util::{progress, write_atomic};
use crate::plots::{self, HistogramChart, LineChart, Series};
use anyhow::Context;
use golden::data::Dataset;
use golden::train::{self, io, EpochStats, Mlp, NuPoint, Progress, Regularizer};
use rayon::prelude::*;
use serde::Serialize;
use std::path::{Path, PathBuf};

/// Arguments of `backslash sweep`.
#[derive(clap::Args, Debug)]
pub struct Args {
    #[command(flatten)]
    pub opts: TrainOpts,
    /// λ values (0 is normal training, always included).
    #[arg(long, default_value = "0,5,10,20,50", value_delimiter = ',')]
    pub lambdas: Vec<f32>,
    /// Regularizers to compare at every λ > 0 (dggr, l1, l2, lp:P).
    #[arg(long, default_value = "dggr,lp:0.5,l1,l2", value_delimiter = ',')]
    pub regs: Vec<String>,
    /// Output directory (created if missing).
    #[arg(long)]
    pub out: PathBuf,
    /// Also print the table as JSON on stdout.
    #[arg(long)]
    pub json: bool,
    /// Weight step exponent n for the bits/weight and the integer export.
    #[arg(long, default_value_t = 8)]
    pub step_bits: u32,
}

/// Pruning rates of Fig. 8.
const PRUNE_RATES: [f64; 11] = [0.0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 0.95];
/// Quantization step exponents of Fig. 7.
const STEP_BITS: [u32; 9] = [2, 3, 4, 5, 6, 7, 8, 9, 10];

/// One row of the table.
#[derive(Debug, Clone, Serialize)]
pub struct Row {
    pub reg: String,
    pub lambda: f32,
    pub nu: f64,
    pub train_acc: f64,
    pub test_acc: f64,
    /// Test accuracy of the integer export (int8 activations, weights at the sweep's step).
    pub int_test_acc: f64,
    pub zero_fraction: f64,
    pub eg_bits: f64,
    pub eg_k: u32,
    pub huffman_bits: f64,
    pub fixed_bits: f64,
    pub entropy_bits: f64,
    /// EG size relative to normal training with EG (1.0 = same size).
    pub eg_size_vs_normal: f64,
    /// Test accuracy after pruning 80% of the weights by magnitude (no fine-tuning).
    pub test_acc_pruned80: f64,
    pub seconds: f64,
}

/// One run with its curves.
#[derive(Debug, Clone, Serialize)]
struct Run {
    row: Row,
    history: Vec<EpochStats>,
    nu_trace: Vec<NuPoint>,
    /// (step bits n, test accuracy with weights quantized at 2^-n).
    quant_curve: Vec<(u32, f64)>,
    /// (pruning rate, test accuracy).
    prune_curve: Vec<(f64, f64)>,
    #[serde(skip)]
    mlp: Option<Mlp>,
}

/// The sweep's JSON output.
#[derive(Debug, Serialize)]
struct Summary<'a> {
    dataset: &'a str,
    train_samples: usize,
    test_samples: usize,
    sizes: Vec<usize>,
    epochs: usize,
    optimizer: &'a str,
    lr: f32,
    batch: usize,
    eps: f32,
    seed: u64,
    step_bits: u32,
    chosen: Option<usize>,
    rows: Vec<&'a Row>,
}

/// Accuracy with the weight matrices quantized at step 2^-n (biases kept in float).
fn quantized_accuracy(mlp: &Mlp, data: &Dataset, n: u32) -> f64 {
    golden::train::metrics::quantized_weights(mlp, n).accuracy(&data.test)
}

/// Accuracy after magnitude pruning of the fraction `rate` of the weights
/// (`golden::train::metrics::pruned`).
fn pruned_accuracy(mlp: &Mlp, data: &Dataset, rate: f64) -> f64 {
    golden::train::metrics::pruned(mlp, rate).accuracy(&data.test)
}

fn fmt_lambda(l: f32) -> String {
    format!("{l}")
}

pub fn run(args: Args) -> anyhow::Result<()> {
    let regs: Vec<Regularizer> = args
        .regs
        .iter()
        .map(|r| Regularizer::parse(r))
        .collect::<Result<_, _>>()?;
    if regs.contains(&Regularizer::None) {
        anyhow::bail!("--regs: `none` is always run at λ = 0; list only dggr, l1, l2, lp:P");
    }
    if let Some(l) = args.lambdas.iter().find(|l| !(l.is_finite() && **l >= 0.0)) {
        anyhow::bail!("--lambdas: {l} is not a finite λ ≥ 0");
    }
    if args.step_bits > golden::quant::MAX_STEP_BITS {
        anyhow::bail!(
            "--step-bits {} is outside 0..={}",
            args.step_bits,
            golden::quant::MAX_STEP_BITS
        );
    }
    if args.out.exists() && !args.out.is_dir() {
        anyhow::bail!("--out {}: not a directory", args.out.display());
    }
    let mut plan = vec![(Regularizer::None, 0.0f32)];
    for &reg in &regs {
        for &l in args.lambdas.iter().filter(|&&l| l > 0.0) {
            plan.push((reg, l));
        }
    }
    let cfgs = plan
        .iter()
        .map(|&(r, l)| config(&args.opts, r, l))
        .collect::<anyhow::Result<Vec<_>>>()?;
    let data = load_dataset(&args.opts)?;
    std::fs::create_dir_all(args.out.join("models"))
        .with_context(|| format!("cannot create {}", args.out.display()))?;
    let batches = data.train.len().div_ceil(args.opts.batch) * args.opts.epochs * cfgs.len();
    eprintln!(
        "sweep on {} ({} train / {} test): {} runs of {} epochs, MLP {:?}",
        data.name,
        data.train.len(),
        data.test.len(),
        cfgs.len(),
        args.opts.epochs,
        cfgs[0].sizes(&data)
    );
    let pb = progress(batches as u64, "sweep");
    let mut runs: Vec<Run> = cfgs
        .par_iter()
        .map(|cfg| -> anyhow::Result<Run> {
            let start = std::time::Instant::now();
            let res = train::train(&data, cfg, &mut |p| {
                if let Progress::Batch { .. } = p {
                    pb.inc(1)
                }
            })
            .with_context(|| format!("run {} λ={}", cfg.reg, cfg.lambda))?;
            let name = format!(
                "{}_lambda{}.safetensors",
                cfg.reg.name().replace(':', ""),
                fmt_lambda(cfg.lambda)
            );
            write_atomic(
                &args.out.join("models").join(name),
                &io::save_safetensors(&res.mlp, &metadata(&data, cfg, &res))?,
            )?;
            let last = res.history.last().expect("epoch 0 is always measured").clone();
            let code = train::code_stats(&res.mlp.weights_concat(), args.step_bits)?;
            let q = train::export_qmodel(&res.mlp, &data.train, args.step_bits)?;
            let int_test_acc = train::export::int_accuracy(&q, &data.test, data.features)?;
            let quant_curve = STEP_BITS
                .iter()
                .map(|&n| (n, quantized_accuracy(&res.mlp, &data, n)))
                .collect();
            let prune_curve: Vec<(f64, f64)> = PRUNE_RATES
                .iter()
                .map(|&r| (r, pruned_accuracy(&res.mlp, &data, r)))
                .collect();
            let row = Row {
                reg: cfg.reg.name(),
                lambda: cfg.lambda,
                nu: last.nu,
                train_acc: last.train_acc,
                test_acc: last.test_acc,
                int_test_acc,
                zero_fraction: code.zero_fraction,
                eg_bits: code.eg_bits,
                eg_k: code.eg_k,
                huffman_bits: code.huffman_bits,
                fixed_bits: code.fixed_bits,
                entropy_bits: code.entropy_bits,
                eg_size_vs_normal: f64::NAN,
                test_acc_pruned80: prune_curve
                    .iter()
                    .find(|(r, _)| (*r - 0.8).abs() < 1e-9)
                    .map_or(f64::NAN, |p| p.1),
                seconds: start.elapsed().as_secs_f64(),
            };
            pb.suspend(|| {
                eprintln!(
                    "{:>8} λ={:<6} test {:.2}%  ν {:.3}  EG {:.3} b/w  zeros {:.1}%",
                    row.reg,
                    row.lambda,
                    100.0 * row.test_acc,
                    row.nu,
                    row.eg_bits,
                    100.0 * row.zero_fraction
                )
            });
            Ok(Run {
                row,
                history: res.history,
                nu_trace: res.nu_trace,
                quant_curve,
                prune_curve,
                mlp: Some(res.mlp),
            })
        })
        .collect::<anyhow::Result<Vec<_>>>()?;
    pb.finish_and_clear();
    let base_eg = runs[0].row.eg_bits;
    for r in &mut runs {
        r.row.eg_size_vs_normal = r.row.eg_bits / base_eg;
    }
    let base_acc = runs[0].row.test_acc;
    let dggr: Vec<usize> = (0..runs.len()).filter(|&i| runs[i].row.reg == "dggr").collect();
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

    let summary = Summary {
        dataset: &data.name,
        train_samples: data.train.len(),
        test_samples: data.test.len(),
        sizes: cfgs[0].sizes(&data),
        epochs: args.opts.epochs,
        optimizer: cfgs[0].optimizer.name(),
        lr: cfgs[0].optimizer.lr(),
        batch: args.opts.batch,
        eps: args.opts.eps,
        seed: args.opts.seed,
        step_bits: args.step_bits,
        chosen,
        rows: runs.iter().map(|r| &r.row).collect(),
    };
    let table_json = serde_json::to_string_pretty(&summary)?;
    write_atomic(&args.out.join("table.json"), table_json.as_bytes())?;
    write_atomic(&args.out.join("runs.json"), serde_json::to_string(&runs)?.as_bytes())?;
    let md = markdown(&summary, &runs, &regs, &args);
    write_atomic(&args.out.join("table.md"), md.as_bytes())?;
    draw_figures(&args.out, &runs, chosen, &data)?;
    eprintln!(
        "wrote {}/table.md, table.json, runs.json, models/ and fig3..fig8 (png, svg)",
        args.out.display()
    );
    if args.json {
        println!("{table_json}");
    } else {
        print!("{md}");
    }
    Ok(())
}

fn markdown(s: &Summary, runs: &[Run], regs: &[Regularizer], args: &Args) -> String {
    use std::fmt::Write;
    let mut md = String::new();
    let _ = writeln!(
        md,
        "Dataset {} ({} train / {} test), MLP {:?}, {} epochs, {} lr {} (cosine), batch {}, ε {}, seed {}; \
         bits/weight over the weight matrices at step 2^-{}.\n",
        s.dataset,
        s.train_samples,
        s.test_samples,
        s.sizes,
        s.epochs,
        s.optimizer,
        s.lr,
        s.batch,
        s.eps,
        s.seed,
        s.step_bits
    );
    let _ = writeln!(
        md,
        "| reg | λ | ν | train acc | test acc | int8 test acc | zeros | EG b/w (k) | Huffman b/w | fixed b/w | entropy b/w | EG size vs normal | test acc, 80% pruned |"
    );
    let _ = writeln!(md, "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
    for (i, r) in runs.iter().map(|r| &r.row).enumerate() {
        let mark = if Some(i) == s.chosen { " (chosen)" } else { "" };
        let _ = writeln!(
            md,
            "| {}{} | {} | {:.3} | {:.2}% | {:.2}% | {:.2}% | {:.1}% | {:.3} ({}) | {:.3} | {:.0} | {:.3} | {:.1}% | {:.2}% |",
            r.reg,
            mark,
            r.lambda,
            r.nu,
            100.0 * r.train_acc,
            100.0 * r.test_acc,
            100.0 * r.int_test_acc,
            100.0 * r.zero_fraction,
            r.eg_bits,
            r.eg_k,
            r.huffman_bits,
            r.fixed_bits,
            r.entropy_bits,
            100.0 * r.eg_size_vs_normal,
            100.0 * r.test_acc_pruned80
        );
    }
    if regs.len() > 1 {
        let _ = writeln!(
            md,
            "\nTable 6 (regularizers at equal λ): test accuracy / EG bits per weight / EG size vs normal\n"
        );
        let _ = write!(md, "| λ |");
        for r in regs {
            let _ = write!(md, " {} |", r.name());
        }
        let _ = writeln!(md);
        let _ = writeln!(md, "|---:|{}", "---|".repeat(regs.len()));
        for &l in args.lambdas.iter().filter(|&&l| l > 0.0) {
            let _ = write!(md, "| {l} |");
            for reg in regs {
                if let Some(r) = runs
                    .iter()
                    .map(|r| &r.row)
                    .find(|r| r.reg == reg.name() && r.lambda == l)
                {
                    let _ = write!(
                        md,
                        " {:.2}% / {:.3} / {:.1}% |",
                        100.0 * r.test_acc,
                        r.eg_bits,
                        100.0 * r.eg_size_vs_normal
                    );
                }
            }
            let _ = writeln!(md);
        }
    }
    md
}

/// GG and Gaussian pdfs with the moments of `w`, over `xs`.
fn fitted_pdfs(w: &[f32], xs: &[f64]) -> anyhow::Result<(Vec<(f64, f64)>, Vec<(f64, f64)>, f64)> {
    let fit = golden::gg::fit(w).map_err(|e| anyhow::anyhow!("GG fit: {e}"))?;
    let (nu, alpha) = (fit.nu, fit.alpha());
    let ln_norm = nu.ln() - (2.0 * alpha).ln() - golden::gg::ln_gamma(1.0 / nu);
    let gg = xs
        .iter()
        .map(|&x| (x, (ln_norm - (x.abs() / alpha).powf(nu)).exp()))
        .collect();
    let sd = fit.mean_sq.sqrt();
    let gauss = xs
        .iter()
        .map(|&x| {
            (
                x,
                (-(x * x) / (2.0 * sd * sd)).exp() / (sd * (2.0 * std::f64::consts::PI).sqrt()),
            )
        })
        .collect();
    Ok((gg, gauss, nu))
}

pub(crate) fn histogram(stem: &Path, title: &str, w: &[f32]) -> anyhow::Result<()> {
    let sd = (w.iter().map(|&v| f64::from(v) * f64::from(v)).sum::<f64>() / w.len().max(1) as f64).sqrt();
    let lim = (4.0 * sd).max(1e-3);
    let nbins = 101;
    let width = 2.0 * lim / nbins as f64;
    let mut counts = vec![0u64; nbins];
    for &v in w {
        let b = ((f64::from(v) + lim) / width).floor();
        if b >= 0.0 && (b as usize) < nbins {
            counts[b as usize] += 1;
        }
    }
    let n = w.len().max(1) as f64;
    let bins: Vec<(f64, f64, f64)> = counts
        .iter()
        .enumerate()
        .map(|(i, &c)| {
            (
                -lim + i as f64 * width,
                -lim + (i + 1) as f64 * width,
                c as f64 / n / width,
            )
        })
        .collect();
    let ymax = bins.iter().map(|b| b.2).fold(0.0, f64::max) * 1.1;
    let xs: Vec<f64> = (0..=400).map(|i| -lim + 2.0 * lim * i as f64 / 400.0).collect();
    let (gg, gauss, nu) = fitted_pdfs(w, &xs)?;
    let clip = |v: Vec<(f64, f64)>| v.into_iter().map(|(x, y)| (x, y.min(ymax))).collect();
    plots::histogram_chart(
        stem,
        &HistogramChart {
            title: title.to_string(),
            x_label: "weight".into(),
            bins,
            curves: vec![
                Series {
                    label: format!("GG fit (ν = {nu:.2})"),
                    points: clip(gg),
                },
                Series {
                    label: "Gaussian fit".into(),
                    points: clip(gauss),
                },
            ],
        },
    )
}

fn draw_figures(out: &Path, runs: &[Run], chosen: Option<usize>, data: &Dataset) -> anyhow::Result<()> {
    let label = |r: &Row| {
        if r.reg == "none" {
            "normal (λ=0)".to_string()
        } else {
            format!("{} λ={}", r.reg, r.lambda)
        }
    };
    let dggr_and_base: Vec<&Run> = runs
        .iter()
        .filter(|r| r.row.reg == "dggr" || r.row.reg == "none")
        .collect();
    // Fig. 3: ν over training.
    plots::line_chart(
        &out.join("fig3_nu"),
        &LineChart {
            title: format!("Fig. 3: GG shape ν during training ({})", data.name),
            x_label: "epoch".into(),
            y_label: "ν (estimated from all parameters)".into(),
            series: dggr_and_base
                .iter()
                .map(|r| Series {
                    label: label(&r.row),
                    points: r.nu_trace.iter().map(|p| (p.epoch, p.nu)).collect(),
                })
                .collect(),
            markers: false,
        },
    )?;
    // Fig. 4: bits/weight against λ.
    let by_lambda = |f: &dyn Fn(&Row) -> f64| {
        dggr_and_base
            .iter()
            .map(|r| (f64::from(r.row.lambda), f(&r.row)))
            .collect::<Vec<_>>()
    };
    plots::line_chart(
        &out.join("fig4_bits"),
        &LineChart {
            title: format!("Fig. 4: bits per weight against λ (DGGR, {})", data.name),
            x_label: "λ".into(),
            y_label: "bits per weight".into(),
            series: vec![
                Series {
                    label: "Exp-Golomb (best k)".into(),
                    points: by_lambda(&|r| r.eg_bits),
                },
                Series {
                    label: "Huffman".into(),
                    points: by_lambda(&|r| r.huffman_bits),
                },
                Series {
                    label: "fixed length".into(),
                    points: by_lambda(&|r| r.fixed_bits),
                },
                Series {
                    label: "entropy".into(),
                    points: by_lambda(&|r| r.entropy_bits),
                },
            ],
            markers: true,
        },
    )?;
    // Fig. 5: accuracy against λ.
    plots::line_chart(
        &out.join("fig5_accuracy"),
        &LineChart {
            title: format!("Fig. 5: accuracy against λ (DGGR, {})", data.name),
            x_label: "λ".into(),
            y_label: "accuracy".into(),
            series: vec![
                Series {
                    label: "train".into(),
                    points: by_lambda(&|r| r.train_acc),
                },
                Series {
                    label: "test".into(),
                    points: by_lambda(&|r| r.test_acc),
                },
                Series {
                    label: "test, int8 export".into(),
                    points: by_lambda(&|r| r.int_test_acc),
                },
            ],
            markers: true,
        },
    )?;
    // Fig. 6: weight histograms of normal training and of the chosen BackSlash run.
    let base = &runs[0];
    histogram(
        &out.join("fig6_hist_normal"),
        &format!("Fig. 6: weights, normal training ({})", data.name),
        &base.mlp.as_ref().expect("model kept").weights_concat(),
    )?;
    let mut pair = vec![base];
    if let Some(c) = chosen {
        let r = &runs[c];
        histogram(
            &out.join("fig6_hist_backslash"),
            &format!("Fig. 6: weights, BackSlash λ={} ({})", r.row.lambda, data.name),
            &r.mlp.as_ref().expect("model kept").weights_concat(),
        )?;
        pair.push(r);
    }
    // Fig. 7: accuracy against the quantization step.
    plots::line_chart(
        &out.join("fig7_quant_step"),
        &LineChart {
            title: format!("Fig. 7: test accuracy against quantization step ({})", data.name),
            x_label: "step exponent n (step 2^-n)".into(),
            y_label: "test accuracy".into(),
            series: pair
                .iter()
                .map(|r| Series {
                    label: label(&r.row),
                    points: r.quant_curve.iter().map(|&(n, a)| (f64::from(n), a)).collect(),
                })
                .collect(),
            markers: true,
        },
    )?;
    // Fig. 8: accuracy against magnitude pruning.
    plots::line_chart(
        &out.join("fig8_pruning"),
        &LineChart {
            title: format!("Fig. 8: test accuracy against magnitude pruning ({})", data.name),
            x_label: "fraction of weights pruned".into(),
            y_label: "test accuracy".into(),
            series: pair
                .iter()
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
