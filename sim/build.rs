//! Verilates every model the `sim` crate offers and compiles them with the cxx bridge (src/ffi.rs).
//!
//! Adding a model is one line in `models()`: a name, the Verilog text and the top module's name (and
//! `.without_trace()` for a faster model that cannot record VCDs). The Rust side then opens it with
//! `sim::Model::new("<name>")` and reaches its ports by name. An accelerator is one row of
//! `ACCELERATORS`, which the build also writes out as `sim::accel::ACCELERATORS`.
#[path = "build/isolate.rs"]
mod isolate;
#[path = "build/verilate.rs"]
mod verilate;

use host::regmap::{self, DecoderKind, MemSizes};
use std::path::PathBuf;
use verilate::ModelSpec;

/// One Verilated accelerator: its lane count (one of `host::regmap::LANE_COUNTS`), the lanes' decoder,
/// and whether a copy verilated without `--trace` is built too (`<name>_notrace`, see
/// `sim::Accelerator::new`: faster, but each copy costs a model's verilation and C++ compile in the build).
struct Accel {
    lanes: usize,
    decoder: DecoderKind,
    notrace: bool,
    /// The memories: [`SIZES`], or [`MemSizes::SPRAM`] (the UP5K SPRAM build, one model without
    /// `--trace` only, named `<name>_spram`).
    sizes: MemSizes,
}

/// The accelerators compiled in, all with simulation-sized memories ([`SIZES`]). The build writes this list,
/// one row per model, as `sim::accel::ACCELERATORS` (OUT_DIR/accelerators.rs): sim and the tests look models
/// up there, by name or by lanes and decoder.
const ACCELERATORS: [Accel; 5] = [
    Accel {
        lanes: 1,
        decoder: DecoderKind::Pipelined,
        notrace: false,
        sizes: SIZES,
    },
    Accel {
        lanes: 4,
        decoder: DecoderKind::Pipelined,
        notrace: true,
        sizes: SIZES,
    },
    Accel {
        lanes: 8,
        decoder: DecoderKind::Pipelined,
        notrace: false,
        sizes: SIZES,
    },
    Accel {
        lanes: 4,
        decoder: DecoderKind::Serial,
        notrace: false,
        sizes: SIZES,
    },
    // The UP5K SPRAM configuration (16K stream words per lane, 1024-wide layers, the layer table).
    Accel {
        lanes: 2,
        decoder: DecoderKind::Serial,
        notrace: true,
        sizes: MemSizes::SPRAM,
    },
];

/// The accelerators' memories.
const SIZES: MemSizes = MemSizes::LARGE;

/// A row of the generated `sim::accel::ACCELERATORS`.
struct AccelRow {
    name: String,
    lanes: usize,
    decoder: DecoderKind,
    sizes: MemSizes,
    trace: bool,
}

/// The models compiled into the crate, and the accelerators' rows of `sim::accel::ACCELERATORS`.
fn models() -> Result<(Vec<ModelSpec>, Vec<AccelRow>), String> {
    let mut models = vec![
        // Infrastructure check (tests/it/sim_model.rs): a hand-written counter.
        ModelSpec::new("counter", include_str!("tests/counter.v"), "counter"),
    ];
    let mut rows = Vec::new();
    for a in &ACCELERATORS {
        let (lanes, decoder) = (a.lanes, a.decoder);
        if !regmap::lanes_supported(lanes) {
            return Err(format!(
                "accelerator P={lanes}: lanes must be one of {}",
                regmap::lane_counts_text()
            ));
        }
        let sizes = a.sizes;
        let verilog = hdl::generate_verilog_decoder(lanes, sizes, decoder)
            .map_err(|e| format!("accelerator P={lanes} {}: {e}", decoder.name()))?;
        let top = regmap::top_name_for(lanes, sizes, decoder);
        let mut name = match decoder {
            DecoderKind::Pipelined => format!("accel_p{lanes}"),
            DecoderKind::Serial => format!("accel_p{lanes}_serial"),
        };
        if sizes == MemSizes::SPRAM {
            name += "_spram";
        }
        if a.notrace {
            let notrace = format!("{name}_notrace");
            models.push(ModelSpec::new(notrace.clone(), verilog.clone(), top.clone()).without_trace());
            rows.push(AccelRow {
                name: notrace,
                lanes,
                decoder,
                sizes,
                trace: false,
            });
        }
        if sizes != MemSizes::SPRAM {
            models.push(ModelSpec::new(name.clone(), verilog, top));
            rows.push(AccelRow {
                name,
                lanes,
                decoder,
                sizes,
                trace: true,
            });
        }
    }
    // UART host bridge (sim::serial; tests/it/bitstream_uart.rs), 8 clocks per UART bit: the bridge with
    // scratch registers, and the P = 4 accelerator behind the bridge (the board tops' core, `--port sim`;
    // without VCD support, for speed: a UART byte is 80 clocks).
    let lb = hdl::uart_bridge::loopback_verilog(8, "bs_uart_loopback").map_err(|e| format!("UART loopback: {e}"))?;
    models.push(ModelSpec::new("uart_loopback", lb, "bs_uart_loopback"));
    let (uart, top) =
        hdl::uart_bridge::uart_core_verilog(4, SIZES, Default::default(), 8).map_err(|e| format!("UART core: {e}"))?;
    models.push(ModelSpec::new("uart_accel_p4", uart, top).without_trace());
    // The UP5K SPRAM board core (`--port sim:spram`): the bridge, the flash booter and the SPRAM
    // build: a whole Fashion-MNIST image loaded over the pins, or booted from a modelled SPI flash.
    let (uart, top) = hdl::uart_bridge::uart_core_verilog_flash(
        2,
        MemSizes::SPRAM,
        DecoderKind::Serial,
        8,
        host::image::FLASH_IMAGE_OFFSET,
    )
    .map_err(|e| format!("UART SPRAM core: {e}"))?;
    models.push(ModelSpec::new("uart_accel_p2_spram", uart, top).without_trace());
    Ok((models, rows))
}

/// `sim::accel::ACCELERATORS`: one `AccelModel` per accelerator model compiled in.
fn accelerators_rs(rows: &[AccelRow]) -> String {
    use std::fmt::Write as _;
    let mut s = String::from(
        "// Generated by sim/build.rs from its ACCELERATORS list.\n\
         /// The Verilated accelerators compiled into this crate, one per model.\n\
         pub const ACCELERATORS: &[AccelModel] = &[\n",
    );
    for r in rows {
        let _ = writeln!(
            s,
            "    AccelModel {{ name: {:?}, lanes: {}, decoder: DecoderKind::{:?}, \
             sizes: MemSizes {{ stream_words_log2: {}, vmap_log2: {}, dim_log2: {}, layer_table: {} }}, trace: {} }},",
            r.name,
            r.lanes,
            r.decoder,
            r.sizes.stream_words_log2,
            r.sizes.vmap_log2,
            r.sizes.dim_log2,
            r.sizes.layer_table,
            r.trace
        );
    }
    s.push_str("];\n");
    s
}

fn main() {
    println!("cargo:rerun-if-changed=build.rs");
    println!("cargo:rerun-if-changed=build/verilate.rs");
    println!("cargo:rerun-if-changed=build/isolate.rs");
    println!("cargo:rerun-if-changed=cxx/model.h");
    println!("cargo:rerun-if-changed=src/ffi.rs");
    println!("cargo:rerun-if-changed=tests/counter.v");
    // RTL edits in hdl/ rebuild hdl (a build-dependency), which reruns this script; say it explicitly too.
    println!("cargo:rerun-if-changed=../hdl/src");
    println!("cargo:rerun-if-env-changed=VERILATOR");
    if let Err(e) = run() {
        eprintln!("error: {e}");
        std::process::exit(1);
    }
}

fn run() -> Result<(), String> {
    let out_dir = PathBuf::from(std::env::var("OUT_DIR").map_err(|e| format!("OUT_DIR: {e}"))?);
    let rt = verilate::Runtime::from_env()?;
    let (specs, accelerators) = models()?;
    // Verilate and compile the models in parallel: NUM_JOBS workers, each taking the next model when done.
    let jobs: usize = std::env::var("NUM_JOBS")
        .ok()
        .and_then(|j| j.parse().ok())
        .unwrap_or(1)
        .clamp(1, specs.len().max(1));
    // Largest designs first, so that a small one fills the gap at the end rather than a large one.
    let mut order: Vec<usize> = (0..specs.len()).collect();
    order.sort_by_key(|&i| std::cmp::Reverse(specs[i].verilog.len()));
    let next = std::sync::atomic::AtomicUsize::new(0);
    let slots: Vec<std::sync::Mutex<Option<Result<verilate::Verilated, String>>>> =
        specs.iter().map(|_| std::sync::Mutex::new(None)).collect();
    std::thread::scope(|s| {
        for _ in 0..jobs {
            s.spawn(|| loop {
                let n = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                let Some(&i) = order.get(n) else { break };
                let spec = &specs[i];
                let r = verilate::verilate(spec, &out_dir, &rt);
                *slots[i].lock().unwrap_or_else(|e| e.into_inner()) = Some(r);
            });
        }
    });
    let mut built = Vec::with_capacity(specs.len());
    for (spec, slot) in specs.iter().zip(slots) {
        let r = slot
            .into_inner()
            .unwrap_or_else(|e| e.into_inner())
            .unwrap_or_else(|| Err(format!("model {}: the build thread stopped", spec.name)));
        built.push(r?);
    }
    let cpp = out_dir.join("models.cpp");
    write_if_changed(&cpp, &verilate::generate_cpp(&built))?;
    write_if_changed(&out_dir.join("models.rs"), &verilate::generate_rs(&built))?;
    write_if_changed(&out_dir.join("accelerators.rs"), &accelerators_rs(&accelerators))?;

    let mut bridge = cxx_build::bridge("src/ffi.rs");
    rt.apply(&mut bridge);
    bridge.opt_level(2);
    for m in &built {
        bridge.include(&m.mdir);
    }
    bridge.file(&cpp);
    bridge.compile("sim_bridge");
    // The models after the bridge that calls them.
    println!("cargo:rustc-link-search=native={}", out_dir.display());
    for m in &built {
        println!("cargo:rustc-link-lib=static=vm_{}", m.name);
    }
    Ok(())
}

fn write_if_changed(path: &std::path::Path, text: &str) -> Result<(), String> {
    if std::fs::read_to_string(path).ok().as_deref() != Some(text) {
        std::fs::write(path, text).map_err(|e| format!("{}: {e}", path.display()))?;
    }
    Ok(())
}
