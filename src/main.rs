//! `backslash`: rate-constrained model compression, from training to an iCE40 bitstream.
//!
//! Each subcommand lives in its own module under `src/cmd/` with its own `Args` and `run`.
//! Errors are printed as one line (`error: ...`) with a non-zero exit status.

use clap::{Parser, Subcommand};

mod cmd;
mod plots;

#[derive(Parser)]
#[command(name = "backslash", version, about, propagate_version = true)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Per-tensor statistics of a safetensors model: GG shape, distinct values, bits/weight of each code.
    Stats(cmd::stats::Args),
    /// Quantize and entropy-code a safetensors model into a container.
    Encode(cmd::encode::Args),
    /// Decode a container back to (dequantized) safetensors.
    Decode(cmd::decode::Args),
    /// Describe a container: header, tensors, codes, sizes, checksums.
    Inspect(cmd::inspect::Args),
    /// Low-level exp-Golomb tool: integers on stdin to raw bytes on stdout, and back.
    #[command(subcommand)]
    Eg(cmd::eg::EgCommand),
    /// Train an MLP with a rate penalty (BackSlash) or a baseline regularizer.
    Train(cmd::train::Args),
    /// Sweep λ and regularizers; write a table and the paper's plots.
    Sweep(cmd::sweep::Args),
    /// Fine-tune a pretrained BERT (all-MiniLM-L6-v2) on a text task with a rate penalty (feature `transformer`).
    Finetune(cmd::finetune::Args),
    /// Test accuracy of a fine-tuned BERT, also after encode and decode (feature `transformer`).
    Evaluate(cmd::finetune::EvalArgs),
    /// The paper's BERT experiments: normal vs BackSlash fine-tuning, regularizers, tasks; table and plots (feature `transformer`).
    FinetuneSweep(cmd::finetune_sweep::Args),
    /// Generate the accelerator's Verilog.
    Hdl(cmd::hdl::Args),
    #[cfg(feature = "sim")]
    /// Run a model's test set on the Verilated accelerator and compare with the golden model.
    Sim(cmd::sim::Args),
    /// Build an iCE40 bitstream with yosys, nextpnr-ice40 and icepack, with a resource/timing report.
    Bitstream(cmd::bitstream::Args),
    /// Estimate resources and latency of the accelerator before synthesis.
    Estimate(cmd::estimate::Args),
    /// Run a model on a board over a serial port.
    Run(cmd::run::Args),
    /// Upload a model's whole image to a board once (the image loader checks its CRC-32).
    Load(cmd::run::LoadArgs),
    #[cfg(feature = "sim")]
    /// The whole chain on the built-in digits dataset: train, compress, simulate, build, summarise.
    Demo(cmd::demo::Args),
}

fn main() {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Stats(a) => cmd::stats::run(a),
        Command::Encode(a) => cmd::encode::run(a),
        Command::Decode(a) => cmd::decode::run(a),
        Command::Inspect(a) => cmd::inspect::run(a),
        Command::Eg(a) => cmd::eg::run(a),
        Command::Train(a) => cmd::train::run(a),
        Command::Sweep(a) => cmd::sweep::run(a),
        Command::Finetune(a) => cmd::finetune::run(a),
        Command::Evaluate(a) => cmd::finetune::evaluate(a),
        Command::FinetuneSweep(a) => cmd::finetune_sweep::run(a),
        Command::Hdl(a) => cmd::hdl::run(a),
        #[cfg(feature = "sim")]
        Command::Sim(a) => cmd::sim::run(a),
        Command::Bitstream(a) => cmd::bitstream::run(a),
        Command::Estimate(a) => cmd::estimate::run(a),
        Command::Run(a) => cmd::run::run(a),
        Command::Load(a) => cmd::run::load(a),
        #[cfg(feature = "sim")]
        Command::Demo(a) => cmd::demo::run(a),
    };
    if let Err(e) = result {
        // One line: the chain of causes joined by ": ".
        eprintln!("error: {}", format!("{e:#}").replace('\n', " "));
        std::process::exit(1);
    }
}
