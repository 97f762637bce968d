//! `backslash eg`: the low-level exp-Golomb tool, to debug streams and to check them against other
//! EG implementations. `encode` reads decimal integers (whitespace separated) on stdin and writes the
//! EG(k) stream on stdout as raw bytes, MSB-first, zero-padded to a byte; `decode` reads such bytes
//! and prints `--count` integers, one per line. The code is docs/codec.md's EG(k): EG(0) is H.264's ue(v).

use anyhow::Context;
use golden::expgolomb;
use std::io::{Read, Write};

#[derive(clap::Subcommand)]
pub enum EgCommand {
    /// Decimal integers on stdin to MSB-first EG(k) bytes on stdout.
    Encode {
        /// The order k, 0..=15.
        #[arg(long)]
        k: u32,
    },
    /// MSB-first EG(k) bytes on stdin to decimal integers on stdout, one per line.
    Decode {
        /// The order k, 0..=15.
        #[arg(long)]
        k: u32,
        /// How many codewords to decode.
        #[arg(long)]
        count: u64,
    },
}

/// Parses whitespace-separated decimal u32 values; the error names the first bad token.
pub fn parse_values(text: &str) -> anyhow::Result<Vec<u32>> {
    text.split_whitespace()
        .enumerate()
        .map(|(i, tok)| {
            tok.parse::<u32>().map_err(|_| {
                let shown: String = tok.chars().take(32).collect();
                anyhow::anyhow!(
                    "value {} on stdin ({shown:?}) is not an integer in 0..=4294967295",
                    i + 1
                )
            })
        })
        .collect()
}

fn check_k(k: u32) -> anyhow::Result<()> {
    if k > expgolomb::MAX_K {
        anyhow::bail!("--k {k} is outside 0..={}", expgolomb::MAX_K);
    }
    Ok(())
}

pub fn run(cmd: EgCommand) -> anyhow::Result<()> {
    match cmd {
        EgCommand::Encode { k } => {
            check_k(k)?;
            let mut text = String::new();
            std::io::stdin()
                .read_to_string(&mut text)
                .context("cannot read stdin as text")?;
            let values = parse_values(&text)?;
            let bytes = expgolomb::encode(&values, k);
            let mut out = std::io::stdout().lock();
            out.write_all(&bytes)
                .and_then(|_| out.flush())
                .context("cannot write stdout")?;
        }
        EgCommand::Decode { k, count } => {
            check_k(k)?;
            let mut bytes = Vec::new();
            std::io::stdin().read_to_end(&mut bytes).context("cannot read stdin")?;
            // Each codeword takes at least k+1 bits: refuse impossible counts before decoding.
            let max = bytes.len() as u64 * 8 / (k as u64 + 1);
            if count > max {
                anyhow::bail!(
                    "{count} EG({k}) codewords cannot fit in {} bytes (at most {max})",
                    bytes.len()
                );
            }
            let values = expgolomb::decode(&bytes, k, count as usize).context("invalid EG stream on stdin")?;
            let mut out = std::io::BufWriter::new(std::io::stdout().lock());
            for v in values {
                writeln!(out, "{v}").context("cannot write stdout")?;
            }
            out.flush().context("cannot write stdout")?;
        }
    }
    Ok(())
}
