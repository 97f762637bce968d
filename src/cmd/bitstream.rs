//! `backslash bitstream`: the accelerator behind the UART host bridge, in a board top, through
//! yosys, nextpnr-ice40 and icepack; writes the `.bin`, `report.json` and `report.md`.

use anyhow::Context;
use bitstreams::tops;
use bitstreams::{run_flow, Board, FlowConfig, FlowEvent, Tools};
use hdl::regmap::DecoderKind;
use std::path::{Path, PathBuf};

/// Arguments of `backslash bitstream`.
#[derive(clap::Args)]
#[command(group(clap::ArgGroup::new("model_arg").args(["bake", "image"])))]
pub struct Args {
    /// Board: icebreaker (iCE40UP5K-SG48) or hx8k (iCE40HX8K-CT256 breakout).
    #[arg(long, default_value = "icebreaker")]
    pub board: Board,
    /// Accelerator lanes P (1, 2, 4 or 8).
    #[arg(long, default_value_t = tops::DEFAULT_LANES)]
    pub lanes: usize,
    /// Core clock and nextpnr target, MHz: icebreaker 48, 24, 12, 6 (SB_HFOSC) or 36, 30, 21, 18
    /// (PLL), hx8k 48, 36, 30, 24 (PLL) or 12 (default: the board's default accelerator clock, see
    /// docs/bitstreams.md).
    #[arg(long)]
    pub freq: Option<f64>,
    /// Exp-Golomb decoder in the lanes: pipelined (one codeword per clock, zero-run skipping) or
    /// serial (one stream bit per clock: a fraction of the area, a higher clock; with --bake only
    /// for models that fit the board's default memories). Default: pipelined, serial with --memory
    /// spram.
    #[arg(long)]
    pub decoder: Option<DecoderKind>,
    /// Memories: board (block-RAM streams, 512 words per lane, layers up to 256 wide, one layer at
    /// a time) or spram (iCEBreaker only, P = 2 with the bit-serial decoder: each lane's stream in
    /// two SPRAMs, 16K words, layers up to 1024 wide, the layer table: a whole model resident;
    /// clocked at 36 MHz unless --freq).
    #[arg(long, value_enum, default_value = "board", conflicts_with_all = ["loopback", "bake"])]
    pub memory: BoardMemory,
    /// nextpnr placement seed.
    #[arg(long, default_value_t = 1)]
    pub seed: u64,
    /// UART baud rate of the host bridge (default: 1 Mbaud, or 500 kbaud below 8 clocks per bit).
    #[arg(long)]
    pub baud: Option<u64>,
    /// Build the UART bridge with a 16-word scratch register file instead of the accelerator
    /// (checks a board's serial link).
    #[arg(long)]
    pub loopback: bool,
    /// Bake MODEL (a trained safetensors or a container) into the bitstream: every layer's streams,
    /// value map and biases initialise the block RAMs and MODEL_ID holds the image's CRC, for a
    /// stand-alone board (`backslash run --baked`). The memories are the smallest that hold it.
    #[arg(long, value_name = "MODEL", conflicts_with = "loopback")]
    pub bake: Option<PathBuf>,
    /// With --memory spram: place MODEL (a trained safetensors or a container) for this build and
    /// write its model image beside the bitstream (`model.bsi`, docs/format.md) for the board's SPI
    /// flash, where the build's flash booter loads it from at power-up; prints the iceprog commands.
    #[arg(long, value_name = "MODEL", conflicts_with_all = ["loopback", "bake"])]
    pub image: Option<PathBuf>,
    /// With --bake or --image: the dataset whose training split calibrates the integer export.
    #[arg(long, default_value = "digits", requires = "model_arg")]
    pub dataset: String,
    /// With --bake or --image: weight step 2^-n of the integer export (a container's own step is
    /// used when it has one).
    #[arg(long, default_value_t = golden::train::REPORT_STEP_BITS, requires = "model_arg")]
    pub step_bits: u32,
    /// Output directory (default: out/bitstream/<board>-p<P>[-serial|-spram][-baked], or <board>-loopback).
    #[arg(long)]
    pub out: Option<PathBuf>,
}

/// The memory system of an accelerator bitstream.
#[derive(clap::ValueEnum, Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum BoardMemory {
    /// `MemSizes::BOARD`: block-RAM streams.
    #[default]
    Board,
    /// `MemSizes::SPRAM`: the UP5K's SPRAM streams, the whole model resident.
    Spram,
}

/// `None` when yosys, nextpnr-ice40 and icepack are all on PATH; otherwise one line naming the
/// missing ones and the packages that install them (`bitstreams::flow::Tools::missing`).
pub fn missing_tools() -> Option<String> {
    bitstreams::flow::Tools::default().missing()
}

/// What sits behind the UART bridge of a board build.
pub enum Core<'a> {
    /// The accelerator with `lanes` lanes, this decoder and these memories, loaded over the UART.
    Accelerator(DecoderKind, hdl::regmap::MemSizes),
    /// The 16-word scratch register file (checks the serial link).
    Loopback,
    /// The accelerator with this image baked into its memories (its lanes and sizes) and this
    /// decoder.
    Baked(&'a host::Image, DecoderKind),
}

/// Builds a board bitstream into `out` and returns its report (the same code for `backslash
/// bitstream` and `backslash demo`). `freq`: the core clock, default [`tops::default_clock_mhz`].
pub fn build(
    board: Board,
    lanes: usize,
    freq: Option<f64>,
    seed: u64,
    baud: Option<u64>,
    core: Core,
    out: &Path,
) -> anyhow::Result<bitstreams::Report> {
    let loopback = matches!(core, Core::Loopback);
    let model_memory = match &core {
        Core::Loopback => None,
        Core::Baked(img, _) => Some(bitstreams::ModelMemory::new(img.lanes, img.sizes, false)),
        Core::Accelerator(_, sizes) => Some(bitstreams::ModelMemory::new(lanes, *sizes, sizes.layer_table)),
    };
    if let Some(why) = missing_tools() {
        anyhow::bail!("cannot build the bitstream: {why}");
    }
    let clock = if loopback {
        freq.unwrap_or(board.fastest_clock_mhz())
    } else {
        freq.unwrap_or(tops::default_clock_mhz(board))
    };
    let baud = baud.unwrap_or(tops::default_baud(clock));
    let core = match core {
        Core::Loopback => tops::loopback_core(baud, clock)?,
        Core::Baked(image, decoder) => tops::accelerator_core_baked(board, image, decoder, baud, clock)?,
        Core::Accelerator(decoder, sizes) => tops::accelerator_core_sized(lanes, decoder, sizes, baud, clock)?,
    };
    let design = tops::board_top(board, &core, clock)?;
    let mut cfg = FlowConfig::new(board, &design.top, out);
    cfg.freq_mhz = clock;
    cfg.seed = seed;
    cfg.model_memory = model_memory;
    eprintln!(
        "bitstream: {} ({}), {} at {clock} MHz -> {}",
        design.top,
        board.part(),
        core.top,
        out.display()
    );
    let report = run_flow(&design.verilog, &cfg, &Tools::default(), &mut |ev| match ev {
        FlowEvent::Started { tool, .. } => eprintln!("  {tool} ..."),
        FlowEvent::Finished { tool, seconds } => eprintln!("  {tool} done in {seconds:.1} s"),
    })
    .with_context(|| format!("building the {} bitstream", board.name()))?;
    println!("{}", report.summary());
    println!(
        "wrote {} and {}",
        out.join(&report.bitstream).display(),
        out.join("report.md").display()
    );
    if !report.timing_met {
        eprintln!("warning: timing MISSED at {clock:.2} MHz (see the critical path in report.md)");
    }
    Ok(report)
}

pub fn run(args: Args) -> anyhow::Result<()> {
    let image = match &args.bake {
        Some(path) => Some(bake_image(path, &args)?),
        None => None,
    };
    let spram = args.memory == BoardMemory::Spram;
    let decoder = args.decoder.unwrap_or(if spram {
        DecoderKind::Serial
    } else {
        DecoderKind::Pipelined
    });
    let sizes = if spram {
        if args.board != Board::Icebreaker {
            anyhow::bail!(
                "--memory spram: {} has no SPRAM (only the iCEBreaker's UP5K)",
                args.board.name()
            );
        }
        if args.lanes != 2 || decoder != DecoderKind::Serial {
            anyhow::bail!(
                "--memory spram is built with --lanes 2 and the serial decoder, not --lanes {} {}",
                args.lanes,
                decoder.name()
            );
        }
        hdl::regmap::MemSizes::SPRAM
    } else {
        hdl::regmap::MemSizes::BOARD
    };
    let dec = match (decoder, spram) {
        (_, true) => "-spram",
        (DecoderKind::Pipelined, _) => "",
        (DecoderKind::Serial, _) => "-serial",
    };
    let tag = if args.loopback {
        "loopback".to_string()
    } else if image.is_some() {
        format!("p{}{dec}-baked", args.lanes)
    } else {
        format!("p{}{dec}", args.lanes)
    };
    let out = args
        .out
        .unwrap_or_else(|| PathBuf::from(format!("out/bitstream/{}-{tag}", args.board.name())));
    let flash_image = match &args.image {
        Some(_) if !spram => anyhow::bail!("--image is for --memory spram (the build with the flash booter)"),
        Some(path) => {
            let (model, _, _, _) = super::util::load_qmodel(path, &args.dataset, args.step_bits)?;
            let img = host::Image::build(&model, args.lanes, sizes)
                .with_context(|| format!("--image {}: the model does not fit the SPRAM build", path.display()))?;
            Some(img)
        }
        None => None,
    };
    let core = match &image {
        Some(img) => Core::Baked(img, decoder),
        None if args.loopback => Core::Loopback,
        None => Core::Accelerator(decoder, sizes),
    };
    let freq = args.freq.or(spram.then_some(tops::SPRAM_CLOCK_MHZ));
    let report = build(args.board, args.lanes, freq, args.seed, args.baud, core, &out)?;
    if let Some(img) = &flash_image {
        let file = out.join("model.bsi");
        super::util::write_atomic(&file, &img.to_file())?;
        println!(
            "model image 0x{:08X} ({} words, {} of {} stream words per lane) -> {}",
            img.model_id(),
            img.load_words().len(),
            img.stream_words_used(),
            img.sizes.stream_words(),
            file.display()
        );
        println!(
            "flash the board: iceprog {} && iceprog -o {}k {}; then `backslash run --port PORT --resident --dataset {} MODEL INPUT`",
            out.join(&report.bitstream).display(),
            host::image::FLASH_IMAGE_OFFSET / 1024,
            file.display(),
            args.dataset
        );
    }
    if let Some(img) = &image {
        println!(
            "baked model 0x{:08X}: run it with `backslash run --port PORT --baked --dataset {} --step-bits {} {} INPUT`",
            img.model_id(),
            args.dataset,
            args.step_bits,
            args.bake.as_deref().unwrap_or(Path::new("MODEL")).display()
        );
    }
    Ok(())
}

/// The image of `--bake MODEL` for the board: placed with the smallest stream memory that holds it,
/// checked against the board's block RAMs.
fn bake_image(path: &Path, args: &Args) -> anyhow::Result<host::Image> {
    super::util::check_board_lanes("--lanes", args.lanes)?;
    let (model, _, _, _) = super::util::load_qmodel(path, &args.dataset, args.step_bits)?;
    let image = host::Image::build_smallest(&model, args.lanes)
        .with_context(|| format!("cannot bake {} at P = {}", path.display(), args.lanes))?;
    tops::check_baked_fits(args.board, &image)
        .with_context(|| format!("cannot bake {} for {}", path.display(), args.board.name()))?;
    eprintln!(
        "bake: {} -> model 0x{:08X}, P = {}, {} of {} stream words per lane, {} of {} value-map entries, {} of {} bias rows, {} layers",
        path.display(),
        image.model_id(),
        image.lanes,
        image.stream_words_used(),
        image.sizes.stream_words(),
        image.vmap.len(),
        image.sizes.vmap_entries(),
        image.bias.len(),
        image.sizes.bias_rows(),
        image.layers.len()
    );
    Ok(image)
}
