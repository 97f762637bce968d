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

/// Arguments of `backslash run`.
#[derive(clap::Args)]
pub struct Args {
    /// Serial port of the board (e.g. /dev/ttyUSB1), or `sim` for the Verilated UART core (P = 4).
    #[arg(long)]
    pub port: String,
    /// Baud rate of the board's UART bridge (the default iCEBreaker build's rate, see
    /// `backslash bitstream`; 1000000 for a 48 MHz build).
    #[arg(long, default_value_t = default_board_baud())]
    pub baud: u32,
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
    /// Serial read timeout, milliseconds.
    #[arg(long, default_value_t = 200)]
    pub timeout_ms: u64,
    /// The board holds MODEL baked into its bitstream (`backslash bitstream --bake MODEL`): nothing is
    /// uploaded; MODEL_ID must equal the CRC of MODEL's image, then per inference only the inputs and
    /// each layer's registers are written.
    #[arg(long)]
    pub baked: bool,
    /// Lanes P the bitstream must have been built with (1, 2, 4 or 8): checked against the lane
    /// count in the accelerator's ID register before anything is loaded. Without it, any P is used.
    #[arg(long)]
    pub lanes: Option<usize>,
}

pub fn run(args: Args) -> anyhow::Result<()> {
    if let Some(p) = args.lanes {
        check_board_lanes("--lanes", p)?;
    }
    if args.samples == Some(0) {
        bail!("--samples 0: no inputs to run");
    }
    if args.baud == 0 {
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
    if args.port == "sim" {
        #[cfg(not(feature = "sim"))]
        bail!(
            "--port sim needs the Verilated UART core: this backslash was built without the `sim` feature (Verilator)"
        );
        #[cfg(feature = "sim")]
        let m = sim::Model::new("uart_accel_p4").context("the Verilated UART core")?;
        #[cfg(feature = "sim")]
        let link = SerialLink::new(sim::uart::VerilatedUart::new(m, SIM_CYCLES_PER_BIT)?);
        #[cfg(feature = "sim")]
        run_on(
            link,
            "the Verilated UART core",
            args.lanes,
            args.baked,
            &model,
            &inputs,
            labels.as_deref(),
        )
    } else {
        let link = SerialLink::open(&args.port, args.baud, Duration::from_millis(args.timeout_ms))?;
        run_on(
            link,
            &args.port,
            args.lanes,
            args.baked,
            &model,
            &inputs,
            labels.as_deref(),
        )
    }
}

fn run_on<P: std::io::Read + std::io::Write>(
    mut link: SerialLink<P>,
    port: &str,
    lanes: Option<usize>,
    baked: bool,
    model: &QModel,
    inputs: &[Vec<i8>],
    labels: Option<&[usize]>,
) -> anyhow::Result<()> {
    link.ping().context("no BackSlash UART bridge answers")?;
    // The ID register carries the lane count and CAPS the memory sizes the bitstream was built
    // with; the program is compiled for those, so a model that does not fit them is refused here.
    let mut driver = Driver::new(link).context("accelerator behind the bridge")?;
    if let Some(p) = lanes {
        if driver.lanes() != p {
            bail!(
                "{port}: the bitstream was built for P = {} lanes (ID register), --lanes asks for {p}",
                driver.lanes()
            );
        }
    }
    let sizes = driver.sizes();
    let t0 = Instant::now();
    let out = if baked {
        // The image a `bitstream --bake` build of this model holds, placed for the board's lanes and
        // memory sizes; MODEL_ID must name it.
        let image = host::Image::build(model, driver.lanes(), sizes).with_context(|| {
            format!(
                "--baked: this model cannot be resident in the board's memories (P = {}, {} stream words per lane), so the board cannot hold it",
                driver.lanes(),
                sizes.stream_words()
            )
        })?;
        driver
            .check_baked(&image)
            .with_context(|| format!("--baked on {port}"))?;
        inputs
            .iter()
            .map(|x| driver.infer_resident(&image, x))
            .collect::<Result<Vec<_>, _>>()
            .context("running the baked model")?
    } else {
        upload_and_run(&mut driver, port, model, inputs)?
    };
    report(driver, inputs, &out, model, labels, t0, baked)
}

/// Compiles `model` for the board, uploads it layer by layer and runs `inputs` through it.
fn upload_and_run<P: std::io::Read + std::io::Write>(
    driver: &mut Driver<SerialLink<P>>,
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

/// Compares every output with golden and prints the summary line (and the accuracy).
fn report<P: std::io::Read + std::io::Write>(
    mut driver: Driver<SerialLink<P>>,
    inputs: &[Vec<i8>],
    out: &[host::Inference],
    model: &QModel,
    labels: Option<&[usize]>,
    t0: Instant,
    baked: bool,
) -> anyhow::Result<()> {
    let secs = t0.elapsed().as_secs_f64();
    let mut mismatched = 0;
    let mut hw_correct = 0;
    for (i, (x, inf)) in inputs.iter().zip(out).enumerate() {
        let golden = model.forward_all(x)?;
        if golden != inf.outputs {
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
        if baked { " (baked model)" } else { "" },
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
