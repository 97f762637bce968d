//! `backslash estimate`: resources and latency of the accelerator before synthesis (a model per
//! block, see `bitstreams::estimate`; docs/bitstreams.md compares it with real reports).

use bitstreams::estimate::{estimate_cycles_for, estimate_resources, Latency, LayerShape, SerialAssumption};
use bitstreams::Board;
use hdl::regmap::{DecoderKind, MemSizes};

/// Arguments of `backslash estimate`.
#[derive(clap::Args)]
pub struct Args {
    /// Accelerator lanes P (1, 2, 4 or 8).
    #[arg(long, default_value_t = 4)]
    pub lanes: usize,
    /// Board.
    #[arg(long, default_value = "icebreaker")]
    pub board: Board,
    /// Layer shapes as ROWSxCOLS, comma-separated (default: the digits MLP 64-128-10, i.e. 128x64,10x128).
    #[arg(long, default_value = "128x64,10x128")]
    pub layers: String,
    /// Fraction of zero weights, 0..=1 (`backslash train`'s default digits model, DGGR λ = 20, has
    /// 0.874: docs/results/digits/table.json).
    #[arg(long, default_value_t = 0.0)]
    pub zeros: f64,
    /// Zero-run skipping on (needs k = 0; the pipelined decoder only).
    #[arg(long)]
    pub zero_skip: bool,
    /// Exp-Golomb decoder in the lanes: pipelined (one codeword per clock, zero-run skipping) or
    /// serial (one stream bit per clock, a smaller lane).
    #[arg(long, default_value = "pipelined")]
    pub decoder: DecoderKind,
    /// Serial decoder: average codeword bits of a non-zero weight (a zero is 1 bit at k = 0); the
    /// default 12 is what BackSlash-trained digits models have (docs/results/digits/table.json).
    #[arg(long, default_value_t = SerialAssumption::DEFAULT_NONZERO_BITS)]
    pub nonzero_bits: f64,
    /// Serial decoder: average stream bits per weight of the layers (e.g. the EG bits/weight of
    /// `backslash stats MODEL`); replaces --zeros and --nonzero-bits.
    #[arg(long)]
    pub bits_per_weight: Option<f64>,
    /// Clock in MHz for the time per inference (default: the board's default accelerator clock,
    /// `backslash bitstream`'s default: 21 on icebreaker, 36 on hx8k).
    #[arg(long)]
    pub mhz: Option<f64>,
    /// Without the UART bridge.
    #[arg(long)]
    pub no_bridge: bool,
}

pub fn run(args: Args) -> anyhow::Result<()> {
    crate::cmd::util::check_board_lanes("--lanes", args.lanes)?;
    if !(0.0..=1.0).contains(&args.zeros) {
        anyhow::bail!("--zeros must be in 0..=1, got {}", args.zeros);
    }
    let serial = args.decoder == DecoderKind::Serial;
    if !(args.nonzero_bits.is_finite() && args.nonzero_bits >= 1.0) {
        anyhow::bail!("--nonzero-bits must be at least 1, got {}", args.nonzero_bits);
    }
    if let Some(b) = args.bits_per_weight {
        if !(b.is_finite() && b >= 1.0) {
            anyhow::bail!("--bits-per-weight must be at least 1 (a codeword has at least one bit), got {b}");
        }
    }
    if !serial && (args.bits_per_weight.is_some() || args.nonzero_bits != SerialAssumption::DEFAULT_NONZERO_BITS) {
        anyhow::bail!("--bits-per-weight and --nonzero-bits are for --decoder serial (the pipelined decoder takes a codeword per clock whatever its length)");
    }
    let mhz = args.mhz.unwrap_or(bitstreams::tops::default_clock_mhz(args.board));
    if !(mhz.is_finite() && mhz > 0.0) {
        anyhow::bail!("--mhz must be positive, got {mhz}");
    }
    let mut layers = Vec::new();
    for part in args.layers.split(',') {
        let (r, c) = part
            .trim()
            .split_once(['x', 'X'])
            .ok_or_else(|| anyhow::anyhow!("layer `{part}` is not ROWSxCOLS"))?;
        let rows: usize = r
            .trim()
            .parse()
            .map_err(|_| anyhow::anyhow!("bad row count in `{part}`"))?;
        let cols: usize = c
            .trim()
            .parse()
            .map_err(|_| anyhow::anyhow!("bad column count in `{part}`"))?;
        let max = MemSizes::BOARD.max_dim();
        if rows == 0 || cols == 0 || rows > max || cols > max {
            anyhow::bail!("layer `{part}`: rows and cols must be 1..={max}");
        }
        layers.push(LayerShape {
            rows,
            cols,
            zero_fraction: args.zeros,
            weights: None,
        });
    }
    let res = estimate_resources(args.board, args.lanes, args.decoder, MemSizes::BOARD, !args.no_bridge);
    println!("{}", res.to_markdown());
    let assumption = SerialAssumption {
        nonzero_bits: args.nonzero_bits,
        bits_per_weight: args.bits_per_weight,
    };
    let latency = match args.decoder {
        DecoderKind::Pipelined => Latency::Pipelined {
            zero_skip: args.zero_skip,
        },
        DecoderKind::Serial => Latency::Serial(assumption),
    };
    if serial {
        let bpw = assumption.bits_per_weight(args.zeros);
        match args.bits_per_weight {
            Some(_) => println!(
                "Serial decoder: one stream bit per clock, {bpw} bits per weight (--bits-per-weight). Zero-run skipping does not apply."
            ),
            None => println!(
                "Serial decoder: one stream bit per clock; assumed {bpw:.2} bits per weight = {:.3} zero x 1 bit (EG(0) index 0) + {:.3} non-zero x {} bits (--nonzero-bits; BackSlash-trained digits models have 11-12 at k = 0). Zero-run skipping does not apply.",
                args.zeros,
                1.0 - args.zeros,
                args.nonzero_bits
            ),
        }
        let cap = MemSizes::BOARD.stream_words() as f64 * 32.0;
        for (i, l) in layers.iter().enumerate() {
            let lane_bits = l.rows.div_ceil(args.lanes) as f64 * l.cols as f64 * bpw;
            if lane_bits > cap {
                println!(
                    "Layer {i}: ~{lane_bits:.0} stream bits per lane exceed a lane's {cap} (the compiler splits it into passes, each one a run of its own: add {} clocks per extra pass, and the stream loads).",
                    latency.fixed_clocks()
                );
            }
        }
        println!();
    }
    let cycles = estimate_cycles_for(latency, args.lanes, &layers);
    println!(
        "| layer | rows x cols | clocks | µs at {} MHz |\n|---|---|---:|---:|",
        mhz
    );
    for (i, (l, c)) in layers.iter().zip(&cycles).enumerate() {
        println!("| {i} | {}x{} | {c} | {:.1} |", l.rows, l.cols, *c as f64 / mhz);
    }
    let total: u64 = cycles.iter().sum();
    println!(
        "| all | | {total} | {:.1} |\n\nCompute only: loading streams, inputs and reading outputs over the host bus (or the UART) is extra.",
        total as f64 / mhz
    );
    Ok(())
}
