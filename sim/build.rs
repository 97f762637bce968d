//! Verilates every model the `sim` crate offers and compiles them with the cxx bridge (src/ffi.rs).
//!
//! Adding a model is one line in `models()`: a name, the Verilog text and the top module's name (and
//! `.without_trace()` for a faster model that cannot record VCDs). The Rust side then opens it with
//! `sim::Model::new("<name>")` and reaches its ports by name.
#[path = "build/verilate.rs"]
mod verilate;

use std::path::PathBuf;
use verilate::ModelSpec;

/// Lane counts of the accelerators compiled in (`sim::accel::LANES` must list the same).
const ACCEL_LANES: [usize; 3] = [1, 4, 8];

/// Lane counts of the accelerators with the bit-serial decoder (`sim::accel::SERIAL_LANES`).
const SERIAL_LANES: [usize; 1] = [4];

/// Lane counts that also get a copy verilated without `--trace` (`accel_p<P>_notrace`, see
/// `sim::Accelerator::new`): faster, but each copy costs a model's verilation and C++ compile in the build.
const NOTRACE_LANES: [usize; 1] = [4];

/// The models compiled into the crate.
fn models() -> Result<Vec<ModelSpec>, String> {
    let mut models = vec![
        // Infrastructure check (tests/it/sim_model.rs): a hand-written counter.
        ModelSpec::new("counter", include_str!("tests/counter.v"), "counter"),
    ];
    // The accelerator with simulation-sized memories, one model per lane count.
    let sizes = hdl::regmap::MemSizes::LARGE;
    for lanes in ACCEL_LANES {
        let verilog = hdl::generate_verilog(lanes, sizes).map_err(|e| format!("accelerator P={lanes}: {e}"))?;
        let top = hdl::regmap::top_name(lanes, sizes);
        if NOTRACE_LANES.contains(&lanes) {
            models
                .push(ModelSpec::new(format!("accel_p{lanes}_notrace"), verilog.clone(), top.clone()).without_trace());
        }
        models.push(ModelSpec::new(format!("accel_p{lanes}"), verilog, top));
    }
    // The accelerator with the bit-serial decoder (`sim::accel::SERIAL_LANES` lists the same).
    for lanes in SERIAL_LANES {
        let serial = hdl::regmap::DecoderKind::Serial;
        let verilog = hdl::generate_verilog_decoder(lanes, sizes, serial)
            .map_err(|e| format!("accelerator P={lanes} serial: {e}"))?;
        let top = hdl::regmap::top_name_for(lanes, sizes, serial);
        models.push(ModelSpec::new(format!("accel_p{lanes}_serial"), verilog, top));
    }
    // UART host bridge (sim::serial; tests/it/bitstream_uart.rs), 8 clocks per UART bit: the bridge with
    // scratch registers, and the P = 4 accelerator behind the bridge (the board tops' core; without VCD
    // support, for speed: a UART byte is 80 clocks).
    let lb = hdl::uart_bridge::loopback_verilog(8, "bs_uart_loopback").map_err(|e| format!("UART loopback: {e}"))?;
    models.push(ModelSpec::new("uart_loopback", lb, "bs_uart_loopback"));
    let (uart, top) =
        hdl::uart_bridge::uart_core_verilog(4, sizes, Default::default(), 8).map_err(|e| format!("UART core: {e}"))?;
    models.push(ModelSpec::new("uart_accel_p4", uart, top).without_trace());
    Ok(models)
}

fn main() {
    println!("cargo:rerun-if-changed=build.rs");
    println!("cargo:rerun-if-changed=build/verilate.rs");
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
    let specs = models()?;
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
