//! `backslash estimate`: resources and latency of the accelerator before synthesis (a model per
//! block, see `bitstreams::estimate`; docs/bitstreams.md compares it with real reports).

use bitstreams::estimate::{estimate_cycles, estimate_resources, LayerShape};
use bitstreams::Board;
use hdl::regmap::MemSizes;

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
    /// Fraction of zero weights, 0..=1 (BackSlash at λ=50 gives about 0.15 on digits).
    #[arg(long, default_value_t = 0.0)]
    pub zeros: f64,
    /// Zero-run skipping on (needs k = 0).
    #[arg(long)]
    pub zero_skip: bool,
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
        let max = hdl::regmap::MAX_DIM as usize;
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
    let res = estimate_resources(args.board, args.lanes, MemSizes::BOARD, !args.no_bridge);
    println!("{}", res.to_markdown());
    let cycles = estimate_cycles(args.lanes, &layers, args.zero_skip);
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
