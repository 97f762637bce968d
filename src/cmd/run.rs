//! `backslash run`: a model on a board over a serial port (the UART host bridge, docs/uart.md), or on
//! the Verilated UART core with `--port sim` (the same driver and frames, bit by bit on simulated pins).
//! Each output is compared with the golden integer model.

use super::util::check_board_lanes;
use anyhow::{bail, Context};
use golden::data::DatasetName;
use golden::infer::{argmax, QModel};
use host::serial::SerialLink;
use host::{CompileOptions, Driver, KChoice};
use std::path::PathBuf;
use std::time::{Duration, Instant};

/// Clocks per UART bit of the Verilated UART core (`--port sim`).
#[cfg(feature = "sim")]
const SIM_CYCLES_PER_BIT: u32 = 8;

/// The UART rate of the default iCEBreaker bitstream.
fn default_board_baud() -> u32 {
    let clock = bitstreams::tops::default_clock_mhz(bitstreams::Board::Icebreaker);
    bitstreams::tops::default_baud(clock) as u32
}

/// The serial connection of `run` and `load`.
#[derive(clap::Args)]
pub struct PortArgs {
    /// Serial port of the board (e.g. /dev/ttyUSB1); `sim` for the Verilated UART core of P = 4
    /// with simulation-sized memories (2048 stream words per lane), `sim:spram` for the UP5K SPRAM
    /// build's (P = 2, bit-serial, 16K stream words per lane). Both have the layer table and the
    /// image loader; a fresh core per command.
    #[arg(long)]
    pub port: String,
    /// Baud rate of the board's UART bridge (the default iCEBreaker build's rate, see
    /// `backslash bitstream`; 1000000 for a 48 MHz build).
    #[arg(long, default_value_t = default_board_baud())]
    pub baud: u32,
    /// Serial read timeout, milliseconds.
    #[arg(long, default_value_t = 200)]
    pub timeout_ms: u64,
    /// With `--port sim:spram`: the modelled SPI flash holds this model image file (`backslash load
    /// -o`, `backslash bitstream --memory spram --image`) at 1 MiB, as `iceprog -o 1M FILE` writes a
    /// board's, and the core boots from it before the first request. Without it the flash is erased.
    #[arg(long)]
    pub flash: Option<PathBuf>,
}

/// A byte stream to a UART bridge: a serial port, or the pins of the Verilated UART core (which
/// counts its clocks).
pub(crate) trait Port: std::io::Read + std::io::Write {
    /// Accelerator clocks so far, where they can be counted.
    fn clocks(&mut self) -> Option<u64> {
        None
    }
}

impl Port for Box<dyn host::serial::SerialPort> {}

#[cfg(feature = "sim")]
impl Port for sim::uart::VerilatedUart {
    fn clocks(&mut self) -> Option<u64> {
        Some(self.model().cycle())
    }
}

/// Opens the link of `p` and pings the bridge; also returns a name for messages.
pub(crate) fn open_link(p: &PortArgs) -> anyhow::Result<(SerialLink<Box<dyn Port>>, String)> {
    if p.baud == 0 {
        bail!("--baud must be positive");
    }
    let (mut link, name) = if let Some(core) = sim_core(&p.port) {
        #[cfg(not(feature = "sim"))]
        bail!(
            "--port {} needs the Verilated UART core: this backslash was built without the `sim` feature (Verilator)",
            p.port
        );
        #[cfg(feature = "sim")]
        {
            let m = sim::Model::new(core).context("the Verilated UART core")?;
            let flash = match &p.flash {
                Some(f) => {
                    let bytes = std::fs::read(f).with_context(|| format!("--flash {}", f.display()))?;
                    Some(hdl::flash_boot::SpiFlashModel::with_image(
                        host::image::FLASH_IMAGE_OFFSET,
                        &bytes,
                    ))
                }
                None => None,
            };
            let uart = sim::uart::VerilatedUart::with_flash(m, SIM_CYCLES_PER_BIT, flash)
                .with_context(|| format!("--port {}{}", p.port, if p.flash.is_some() { " --flash" } else { "" }))?;
            let port: Box<dyn Port> = Box::new(uart);
            (SerialLink::new(port), format!("the Verilated UART core ({core})"))
        }
    } else {
        if p.flash.is_some() {
            bail!("--flash models the SPI flash of --port sim:spram; a board's flash is written with iceprog");
        }
        if p.port.starts_with("sim") {
            bail!("--port {}: the simulated ports are `sim` and `sim:spram`", p.port);
        }
        let port = host::serial::open_port(&p.port, p.baud, Duration::from_millis(p.timeout_ms))?;
        let port: Box<dyn Port> = Box::new(port);
        (SerialLink::new(port), p.port.clone())
    };
    link.ping()
        .with_context(|| format!("{name}: no BackSlash UART bridge answers"))?;
    Ok((link, name))
}

/// The Verilated UART core a `--port` names, if it names one.
fn sim_core(port: &str) -> Option<&'static str> {
    match port {
        "sim" => Some("uart_accel_p4"),
        "sim:spram" => Some("uart_accel_p2_spram"),
        _ => None,
    }
}

/// The clocks per UART bit of the link behind `p` (for the upload time of `--port sim` at a
/// board's baud rate): the Verilated core's, or none.
fn sim_bit_clocks(p: &PortArgs) -> Option<u32> {
    #[cfg(feature = "sim")]
    if sim_core(&p.port).is_some() {
        return Some(SIM_CYCLES_PER_BIT);
    }
    let _ = p;
    None
}

/// Arguments of `backslash run`.
#[derive(clap::Args)]
pub struct Args {
    #[command(flatten)]
    pub port: PortArgs,
    /// The model: a trained safetensors (`backslash train`) or a container (`backslash encode`).
    pub model: PathBuf,
    /// Inputs: a dataset name (digits, fashion-mnist: its test set, with labels), or a text file with
    /// one input per line, comma-separated integers in -128..=127 (already quantized).
    pub input: String,
    /// Dataset whose training split calibrates the integer export (and names the features).
    #[arg(long, default_value = "digits")]
    pub dataset: String,
    /// Weight step 2^-n of the integer export (a container's own step is used when it has one).
    #[arg(long, default_value_t = golden::train::REPORT_STEP_BITS)]
    pub step_bits: u32,
    /// Run only the first N inputs.
    #[arg(long)]
    pub samples: Option<usize>,
    /// The board already holds MODEL (baked with `backslash bitstream --bake`, or loaded with
    /// `backslash load`): nothing is uploaded; MODEL_ID must equal the CRC of MODEL's image, then per
    /// inference only the inputs are written (and, without the layer table, each layer's registers).
    #[arg(long, alias = "baked", conflicts_with = "load")]
    pub resident: bool,
    /// Upload MODEL's whole image once through the image loader (as `backslash load`), then run
    /// every input on one RUN_MODEL each, the activations staying on chip. Needs a build with the
    /// layer table.
    #[arg(long)]
    pub load: bool,
    /// Lanes P the bitstream must have been built with (1, 2, 4 or 8): checked against the lane
    /// count in the accelerator's ID register before anything is loaded. Without it, any P is used.
    #[arg(long)]
    pub lanes: Option<usize>,
}

/// How `run` gets the model onto the accelerator.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Mode {
    /// Layer by layer for every input (the per-layer program).
    Upload,
    /// The image through the loader once.
    Load,
    /// Already on the board (MODEL_ID checked).
    Resident,
}

pub fn run(args: Args) -> anyhow::Result<()> {
    if let Some(p) = args.lanes {
        check_board_lanes("--lanes", p)?;
    }
    if args.samples == Some(0) {
        bail!("--samples 0: no inputs to run");
    }
    if args.port.baud == 0 {
        bail!("--baud must be positive");
    }
    let (model, data, name, _) = super::util::load_qmodel(&args.model, &args.dataset, args.step_bits)?;
    let (mut inputs, mut labels) = if let Ok(set) = DatasetName::parse(&args.input) {
        if set != name {
            bail!("INPUT {} differs from --dataset {}", set.as_str(), name.as_str());
        }
        let xs: Vec<Vec<i8>> = (0..data.test.len())
            .map(|i| model.quantize_input(data.test.sample(i, data.features)))
            .collect();
        let ys: Vec<usize> = data.test.y.iter().map(|&y| usize::from(y)).collect();
        (xs, Some(ys))
    } else {
        (read_inputs(&args.input, data.features)?, None)
    };
    if let Some(n) = args.samples {
        inputs.truncate(n);
        if let Some(l) = labels.as_mut() {
            l.truncate(n);
        }
    }
    if inputs.is_empty() {
        bail!("no inputs to run");
    }
    let mode = match (args.load, args.resident) {
        (true, _) => Mode::Load,
        (_, true) => Mode::Resident,
        _ => Mode::Upload,
    };
    let (link, port) = open_link(&args.port)?;
    let mut driver = board_driver(link, &port, args.lanes)?;
    let t0 = Instant::now();
    let out = match mode {
        Mode::Upload => upload_and_run(&mut driver, &port, &model, &inputs)?,
        Mode::Load | Mode::Resident => {
            let image = board_image(&driver, &model, &port)?;
            if mode == Mode::Load {
                let rep = load_image(&mut driver, &image, &port)?;
                println!("{}", load_line(&image, &rep, &args.port));
            } else {
                driver
                    .check_resident(&image)
                    .with_context(|| format!("--resident on {port}"))?;
            }
            run_resident(&mut driver, &image, &inputs)?
        }
    };
    report(driver, &inputs, &out, &model, labels.as_deref(), t0, mode)
}

/// The driver of the accelerator behind `link`, its lane count checked against `lanes`.
fn board_driver(
    link: SerialLink<Box<dyn Port>>,
    port: &str,
    lanes: Option<usize>,
) -> anyhow::Result<Driver<SerialLink<Box<dyn Port>>>> {
    // The ID register carries the lane count and CAPS the memory sizes the bitstream was built
    // with; the program is compiled for those, so a model that does not fit them is refused here.
    let driver = Driver::new(link).with_context(|| format!("{port}: accelerator behind the bridge"))?;
    if let Some(p) = lanes {
        if driver.lanes() != p {
            bail!(
                "{port}: the bitstream was built for P = {} lanes (ID register), --lanes asks for {p}",
                driver.lanes()
            );
        }
    }
    Ok(driver)
}

/// MODEL's image placed for the board's lanes and memory sizes (what a baked or loaded board holds).
fn board_image<B: host::HostBus>(driver: &Driver<B>, model: &QModel, port: &str) -> anyhow::Result<host::Image> {
    let sizes = driver.sizes();
    host::Image::build(model, driver.lanes(), sizes).with_context(|| {
        format!(
            "{port}: the model cannot be resident in the board's memories (P = {}, {} stream words per lane)",
            driver.lanes(),
            sizes.stream_words()
        )
    })
}

/// Uploads `image` through the loader.
fn load_image(
    driver: &mut Driver<SerialLink<Box<dyn Port>>>,
    image: &host::Image,
    port: &str,
) -> anyhow::Result<LoadTiming> {
    let c0 = driver.bus().port_mut().clocks();
    let t0 = Instant::now();
    let rep = driver
        .load_model(image)
        .with_context(|| format!("loading the model image on {port}"))?;
    let clocks = driver.bus().port_mut().clocks().zip(c0).map(|(b, a)| b - a);
    Ok(LoadTiming {
        words: rep.words,
        secs: t0.elapsed().as_secs_f64(),
        clocks,
    })
}

/// What a load took.
struct LoadTiming {
    words: usize,
    /// Wall time.
    secs: f64,
    /// Accelerator clocks (the Verilated core counts them).
    clocks: Option<u64>,
}

/// The one-line summary of a load: size, MODEL_ID, time (and, on the Verilated core, its clocks
/// and what they are at the board's baud rate).
fn load_line(image: &host::Image, t: &LoadTiming, p: &PortArgs) -> String {
    let mut s = format!(
        "loaded the model image: {} words ({:.1} KiB, {} stream words per lane of {}), MODEL_ID 0x{:08X}, in {:.1} s",
        t.words,
        t.words as f64 * 4.0 / 1024.0,
        image.stream_words_used(),
        image.sizes.stream_words(),
        image.model_id(),
        t.secs
    );
    if let (Some(c), Some(cpb)) = (t.clocks, sim_bit_clocks(p)) {
        let bits = c as f64 / f64::from(cpb);
        s += &format!(
            "; {c} clocks in the Verilated UART core ({cpb} clocks per bit): {:.2} s at {} baud",
            bits / f64::from(p.baud),
            p.baud
        );
    }
    s
}

/// Every input on the resident `image`: one RUN_MODEL each with the layer table, else the host
/// sequences the resident layers.
fn run_resident<B: host::HostBus>(
    driver: &mut Driver<B>,
    image: &host::Image,
    inputs: &[Vec<i8>],
) -> anyhow::Result<Vec<host::Inference>> {
    inputs
        .iter()
        .map(|x| {
            if image.sizes.layer_table {
                // The last layer's outputs only: the others stay on chip.
                driver.infer_model(image, x).map(|r| host::Inference {
                    outputs: vec![r.outputs],
                    counters: vec![r.counters],
                    spans: vec![vec![r.span]],
                })
            } else {
                driver.infer_resident(image, x)
            }
        })
        .collect::<Result<Vec<_>, _>>()
        .context("running the resident model")
}

/// Arguments of `backslash load`.
#[derive(clap::Args)]
pub struct LoadArgs {
    #[command(flatten)]
    pub port: PortArgs,
    /// The model: a trained safetensors (`backslash train`) or a container (`backslash encode`).
    pub model: PathBuf,
    /// Dataset whose training split calibrates the integer export.
    #[arg(long, default_value = "digits")]
    pub dataset: String,
    /// Weight step 2^-n of the integer export (a container's own step is used when it has one).
    #[arg(long, default_value_t = golden::train::REPORT_STEP_BITS)]
    pub step_bits: u32,
    /// Also write the image file (docs/format.md: what the loader reads) here.
    #[arg(long, short = 'o')]
    pub out: Option<PathBuf>,
}

/// `backslash load`: MODEL's image placed for the board (lanes and memories from ID and CAPS),
/// uploaded once through the image loader; the board checks its CRC and then reports it in
/// MODEL_ID, so `backslash run --resident` runs it without uploading.
pub fn load(args: LoadArgs) -> anyhow::Result<()> {
    let (model, _, _, _) = super::util::load_qmodel(&args.model, &args.dataset, args.step_bits)?;
    let (link, port) = open_link(&args.port)?;
    let mut driver = board_driver(link, &port, None)?;
    let image = board_image(&driver, &model, &port)?;
    if let Some(out) = &args.out {
        super::util::write_atomic(out, &image.to_file())?;
    }
    let t = load_image(&mut driver, &image, &port)?;
    println!("{}", load_line(&image, &t, &args.port));
    Ok(())
}

/// Compiles `model` for the board, uploads it layer by layer and runs `inputs` through it.
fn upload_and_run<B: host::HostBus>(
    driver: &mut Driver<B>,
    port: &str,
    model: &QModel,
    inputs: &[Vec<i8>],
) -> anyhow::Result<Vec<host::Inference>> {
    let sizes = driver.sizes();
    let program = driver
        .compile(
            model,
            CompileOptions {
                k: KChoice::Auto,
                zero_skip: true,
            },
        )
        .with_context(|| {
            format!(
                "{port}: accelerator with P = {} lanes, {} value-map entries and {} stream words per lane (CAPS register)",
                driver.lanes(),
                sizes.vmap_entries(),
                sizes.stream_words()
            )
        })?;
    driver
        .infer_batch(&program, inputs, &mut |_| {})
        .context("running the model")
}

/// Compares every output with golden (every layer's, or the last layer's of a model run) and
/// prints the summary line (and the accuracy).
fn report(
    mut driver: Driver<SerialLink<Box<dyn Port>>>,
    inputs: &[Vec<i8>],
    out: &[host::Inference],
    model: &QModel,
    labels: Option<&[usize]>,
    t0: Instant,
    mode: Mode,
) -> anyhow::Result<()> {
    let secs = t0.elapsed().as_secs_f64();
    let mut mismatched = 0;
    let mut hw_correct = 0;
    for (i, (x, inf)) in inputs.iter().zip(out).enumerate() {
        let golden = model.forward_all(x)?;
        let same = if inf.outputs.len() == golden.len() {
            golden == inf.outputs
        } else {
            inf.outputs.len() == 1 && golden.last() == inf.outputs.first()
        };
        if !same {
            mismatched += 1;
        }
        let class = argmax(inf.outputs.last().map_or(&[][..], |v| v));
        match labels {
            Some(l) => hw_correct += usize::from(class == l[i]),
            None => println!("{i}: class {class}"),
        }
    }
    let stats = driver.bus().stats();
    println!(
        "{} inputs over the UART{}: {} differ from golden; {} requests, {} retries; {:.1} s",
        inputs.len(),
        match mode {
            Mode::Upload => "",
            Mode::Load => " (model image loaded once)",
            Mode::Resident => " (resident model)",
        },
        mismatched,
        stats.requests,
        stats.retries,
        secs
    );
    if labels.is_some() {
        println!("accuracy {:.2}%", 100.0 * hw_correct as f64 / inputs.len() as f64);
    }
    if mismatched > 0 {
        bail!(
            "{mismatched} of {} inputs differ between the board and golden",
            inputs.len()
        );
    }
    Ok(())
}

/// One input per line, comma-separated integers in -128..=127, `features` of them.
fn read_inputs(path: &str, features: usize) -> anyhow::Result<Vec<Vec<i8>>> {
    let text = std::fs::read_to_string(path).with_context(|| {
        format!("INPUT {path} is neither a dataset name (digits, fashion-mnist) nor a readable file")
    })?;
    let mut out = Vec::new();
    for (n, line) in text.lines().enumerate().filter(|(_, l)| !l.trim().is_empty()) {
        let x: Vec<i8> = line
            .split(',')
            .map(|v| v.trim().parse::<i8>())
            .collect::<Result<_, _>>()
            .with_context(|| format!("{path}:{}: not comma-separated integers in -128..=127", n + 1))?;
        if x.len() != features {
            bail!("{path}:{}: {} values, the model takes {features}", n + 1, x.len());
        }
        out.push(x);
    }
    Ok(out)
}
