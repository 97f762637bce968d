//! The reusable part of sim/build.rs: verilate one Verilog design into a static library and generate the glue
//! (one C++ subclass of `sim::ModelImpl` per model, and the Rust port tables) that the cxx bridge exposes.
//!
//! Each model gets its own `--prefix V<name>` and `--Mdir $OUT_DIR/verilated/<name>`, so any number of models
//! (even with equal module names inside) link into one binary. A model whose Verilog and flags did not change
//! since the last build is not verilated or compiled again.
use crate::isolate::{self, Isolated};
use std::fmt::Write as _;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

/// Verilator flags shared by every model (the flags that work with rust-hdl's Verilog; docs/simulation.md);
/// `--trace` is added for the models that record VCDs.
pub const VERILATOR_FLAGS: &[&str] = &[
    "--cc",
    "-O3",
    "--x-assign",
    "fast",
    "--x-initial",
    "fast",
    "--no-timing",
    "-Wno-WIDTH",
    // rust-hdl's Verilog carries lint warnings (unused signals, incomplete cases) that are not errors.
    "-Wno-fatal",
];

/// A design to verilate.
pub struct ModelSpec {
    /// Unique model name (`[a-z0-9_]+`): the Verilated class is `V<name>`, the Rust side finds it by this name.
    pub name: String,
    /// The Verilog source.
    pub verilog: String,
    /// Name of the top module inside `verilog`.
    pub top: String,
    /// Name of the clock input that `tick` toggles.
    pub clock: String,
    /// Verilate with `--trace` (the model can record VCDs). Tracing support costs speed even when no VCD is
    /// open: Verilator then keeps per-signal change state in every eval.
    pub trace: bool,
}

impl ModelSpec {
    /// A model with VCD support and the clock input named `clock` (rust-hdl's name).
    pub fn new(name: impl Into<String>, verilog: impl Into<String>, top: impl Into<String>) -> Self {
        ModelSpec {
            name: name.into(),
            verilog: verilog.into(),
            top: top.into(),
            clock: "clock".into(),
            trace: true,
        }
    }

    /// The same model without VCD support (faster).
    pub fn without_trace(mut self) -> Self {
        self.trace = false;
        self
    }
}

/// Direction of a top-level port.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Dir {
    Input,
    Output,
    InOut,
}

/// One top-level port of a Verilated class, as its header declares it.
#[derive(Clone, Debug)]
pub struct Port {
    pub name: String,
    pub dir: Dir,
    pub width: u32,
}

/// A verilated and compiled model.
pub struct Verilated {
    pub name: String,
    pub top: String,
    pub mdir: PathBuf,
    pub ports: Vec<Port>,
    pub clock: usize,
    pub trace: bool,
}

/// How everything that includes Verilator's headers is compiled: the `verilated` crate's build script
/// exports it (`DEP_VERILATED_STD`, `_DEFINES`, `_FLAGS`, `_INCLUDE`), so the runtime, the models and the
/// bridge cannot disagree.
pub struct Runtime {
    pub include: PathBuf,
    pub std: String,
    pub defines: Vec<(String, String)>,
    pub flags: Vec<String>,
}

impl Runtime {
    /// Reads what the `verilated` crate exported (it must be a dependency of the calling crate).
    pub fn from_env() -> Result<Runtime, String> {
        let var = |key: &str| {
            std::env::var(format!("DEP_VERILATED_{key}"))
                .map_err(|_| format!("DEP_VERILATED_{key} is not set: the `verilated` crate must be a dependency"))
        };
        let list = |s: String| -> Vec<String> { s.split(',').filter(|x| !x.is_empty()).map(String::from).collect() };
        let defines = list(var("DEFINES")?)
            .into_iter()
            .map(|d| match d.split_once('=') {
                Some((k, v)) => (k.to_string(), v.to_string()),
                None => (d, "1".to_string()),
            })
            .collect();
        Ok(Runtime {
            include: PathBuf::from(var("INCLUDE")?),
            std: var("STD")?,
            defines,
            flags: list(var("FLAGS")?),
        })
    }

    /// Applies the runtime's settings to `build` (C++, standard, include paths, defines, flags).
    pub fn apply(&self, build: &mut cc::Build) {
        build
            .cpp(true)
            .std(&self.std)
            .include(&self.include)
            .include(self.include.join("vltstd"))
            .warnings(false);
        for (k, v) in &self.defines {
            build.define(k, v.as_str());
        }
        for f in &self.flags {
            build.flag(f);
        }
    }
}

/// Verilates `spec` into `$out_dir/verilated/<name>` and compiles the generated C++ into the static library
/// `vm_<name>` (linked by the calling build script).
pub fn verilate(spec: &ModelSpec, out_dir: &Path, rt: &Runtime) -> Result<Verilated, String> {
    let name = &spec.name;
    if name.is_empty()
        || !name
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_')
    {
        return Err(format!("model name {name:?} must be non-empty [a-z0-9_]"));
    }
    let mdir = out_dir.join("verilated").join(name);
    let source = mdir.join(format!("{name}.v"));
    let prefix = format!("V{name}");
    let mut args: Vec<String> = VERILATOR_FLAGS.iter().map(|s| s.to_string()).collect();
    if spec.trace {
        args.push("--trace".into());
    }
    args.extend([
        "--prefix".into(),
        prefix.clone(),
        "--Mdir".into(),
        mdir.display().to_string(),
    ]);
    args.extend(["--top-module".into(), spec.top.clone(), source.display().to_string()]);
    let stamp = mdir.join("stamp");
    // Everything the library depends on: the Verilator command, the C++ settings, this file's code (how the
    // Verilog is prepared and compiled) and the Verilog.
    let stamp_text = format!(
        "{}\n{} {:?} {:?}\nverilate.rs {:016x} isolate.rs {:016x}\n{}",
        args.join(" "),
        rt.std,
        rt.defines,
        rt.flags,
        fnv1a(include_str!("verilate.rs")),
        fnv1a(include_str!("isolate.rs")),
        spec.verilog
    );
    let lib = out_dir.join(format!("libvm_{name}.a"));
    let header = mdir.join(format!("{prefix}.h"));
    let cached = lib.is_file() && header.is_file() && fs::read_to_string(&stamp).ok().as_deref() == Some(&stamp_text);
    if !cached {
        if mdir.exists() {
            fs::remove_dir_all(&mdir).map_err(|e| format!("cannot clear {}: {e}", mdir.display()))?;
        }
        fs::create_dir_all(&mdir).map_err(|e| format!("cannot create {}: {e}", mdir.display()))?;
        let exe = std::env::var("VERILATOR").unwrap_or_else(|_| "verilator".into());
        let iso = isolate_false_loops(&spec.verilog, &spec.top, &exe, &mdir)?;
        let list: String = iso.marked.iter().map(|(m, v)| format!("{m} {v}\n")).collect();
        fs::write(
            mdir.join("isolated.txt"),
            format!(
                "# {} lint rounds, {} variables isolated\n{list}",
                iso.rounds,
                iso.marked.len()
            ),
        )
        .map_err(|e| format!("cannot write in {}: {e}", mdir.display()))?;
        fs::write(&source, &iso.verilog).map_err(|e| format!("cannot write {}: {e}", source.display()))?;
        let out = Command::new(&exe)
            .args(&args)
            .output()
            .map_err(|e| format!("cannot run `{exe}` ({e}): Verilator 5 is required: install it with `apt-get install verilator` (or `make setup`)"))?;
        fs::write(mdir.join("verilator.log"), [&out.stdout[..], &out.stderr[..]].concat()).ok();
        if !out.status.success() {
            let log = String::from_utf8_lossy(&out.stderr);
            let first: Vec<&str> = log.lines().filter(|l| l.contains("%Error")).take(5).collect();
            return Err(format!(
                "verilator failed on model {name} (log in {}): {}",
                mdir.display(),
                first.join(" | ")
            ));
        }
        compile(name, &mdir, rt, out_dir)?;
        // Written last: an interrupted build is redone next time.
        fs::write(&stamp, &stamp_text).map_err(|e| format!("cannot write {}: {e}", stamp.display()))?;
    }
    let ports = parse_ports(&fs::read_to_string(&header).map_err(|e| format!("{}: {e}", header.display()))?)?;
    let clock = ports
        .iter()
        .position(|p| p.name == spec.clock && p.dir == Dir::Input && p.width == 1)
        .ok_or_else(|| format!("model {name}: no 1-bit input clock port named {:?}", spec.clock))?;
    Ok(Verilated {
        name: name.clone(),
        top: spec.top.clone(),
        mdir,
        ports,
        clock,
        trace: spec.trace,
    })
}

/// [`isolate::isolate_false_loops`] with `verilator --lint-only` on `top`, run by `exe` on a file in `scratch`.
pub fn isolate_false_loops(verilog: &str, top: &str, exe: &str, scratch: &Path) -> Result<Isolated, String> {
    let lint_src = scratch.join("lint.v");
    let r = isolate::isolate_false_loops(verilog, |text| {
        fs::write(&lint_src, text).map_err(|e| format!("cannot write {}: {e}", lint_src.display()))?;
        let out = Command::new(exe)
            .args(isolate::LINT_ARGS)
            .args(["--top-module", top])
            .arg(&lint_src)
            .output()
            .map_err(|e| format!("cannot run `{exe}` ({e}): Verilator 5 is required: install it with `apt-get install verilator` (or `make setup`)"))?;
        Ok(out
            .status
            .success()
            .then(|| String::from_utf8_lossy(&out.stderr).into_owned()))
    });
    let _ = fs::remove_file(&lint_src);
    r
}

/// Compiles every C++ file Verilator generated for one model into `libvm_<name>.a` in `out_dir`. The generated
/// code is compiled without debug information whatever the profile (it is large and nobody steps through it).
fn compile(name: &str, mdir: &Path, rt: &Runtime, out_dir: &Path) -> Result<(), String> {
    let mut files: Vec<PathBuf> = fs::read_dir(mdir)
        .map_err(|e| format!("{}: {e}", mdir.display()))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "cpp"))
        .collect();
    files.sort();
    let mut build = cc::Build::new();
    rt.apply(&mut build);
    build
        .opt_level(2)
        .debug(false)
        .include(mdir)
        .files(&files)
        .out_dir(out_dir.join("obj").join(name))
        .cargo_metadata(false);
    build
        .try_compile(&format!("vm_{name}"))
        .map_err(|e| format!("compiling the C++ of model {name}: {e}"))?;
    let built = out_dir.join("obj").join(name).join(format!("libvm_{name}.a"));
    fs::rename(&built, out_dir.join(format!("libvm_{name}.a"))).map_err(|e| format!("{}: {e}", built.display()))
}

/// Reads the port declarations (`VL_IN8(&name,msb,lsb);` ...) of a Verilated class header, in order.
pub fn parse_ports(header: &str) -> Result<Vec<Port>, String> {
    let mut ports = Vec::new();
    for line in header.lines() {
        let line = line.trim();
        let Some(open) = line.find("(&") else { continue };
        let dir = match &line[..open] {
            "VL_IN8" | "VL_IN16" | "VL_IN" | "VL_IN64" => Dir::Input,
            "VL_OUT8" | "VL_OUT16" | "VL_OUT" | "VL_OUT64" => Dir::Output,
            "VL_INOUT8" | "VL_INOUT16" | "VL_INOUT" | "VL_INOUT64" => Dir::InOut,
            m @ ("VL_INW" | "VL_OUTW" | "VL_INOUTW") => {
                return Err(format!(
                    "port declaration `{line}`: {m} ports wider than 64 bits are not supported"
                ))
            }
            _ => continue,
        };
        let inner = line[open + 2..].trim_end_matches(';').trim_end_matches(')');
        let parts: Vec<&str> = inner.split(',').map(str::trim).collect();
        let bad = || format!("cannot parse port declaration `{line}`");
        if parts.len() != 3 {
            return Err(bad());
        }
        let msb: u32 = parts[1].parse().map_err(|_| bad())?;
        let lsb: u32 = parts[2].parse().map_err(|_| bad())?;
        ports.push(Port {
            name: parts[0].to_string(),
            dir,
            width: msb - lsb + 1,
        });
    }
    if ports.is_empty() {
        return Err("no ports found in the Verilated header".into());
    }
    Ok(ports)
}

/// C++ for all models: one `ModelImpl` subclass each, and the factory `sim::new_model(index)`.
pub fn generate_cpp(models: &[Verilated]) -> String {
    let mut s = String::from("// Generated by sim/build.rs: one Model subclass per Verilated model.\n");
    s.push_str("#include \"sim/cxx/model.h\"\n");
    for m in models {
        let _ = writeln!(s, "#include \"V{}.h\"", m.name);
    }
    s.push_str("\nnamespace sim {\nnamespace {\n");
    for m in models {
        let class = format!("V{}", m.name);
        let _ = writeln!(
            s,
            "class M_{} final : public ModelImpl<{class}, {}> {{",
            m.name, m.trace
        );
        let _ = writeln!(
            s,
            "protected:\n  void set_clock(uint8_t v) override {{ top_->{} = v; }}",
            m.ports[m.clock].name
        );
        s.push_str(
            "public:\n  void set(uint32_t port, uint64_t value) override {\n    dirty_ = true;\n    switch (port) {\n",
        );
        for (i, p) in m.ports.iter().enumerate() {
            if p.dir != Dir::Output {
                let mask = if p.width == 64 { u64::MAX } else { (1u64 << p.width) - 1 };
                let _ = writeln!(s, "      case {i}: top_->{} = value & 0x{mask:x}ULL; break;", p.name);
            }
        }
        s.push_str("      default: break;\n    }\n  }\n");
        s.push_str("  uint64_t get(uint32_t port) const override {\n    switch (port) {\n");
        for (i, p) in m.ports.iter().enumerate() {
            let _ = writeln!(s, "      case {i}: return static_cast<uint64_t>(top_->{});", p.name);
        }
        s.push_str("      default: return 0;\n    }\n  }\n};\n\n");
    }
    s.push_str("}  // namespace\n\nstd::unique_ptr<Model> new_model(uint32_t index) {\n  switch (index) {\n");
    for (i, m) in models.iter().enumerate() {
        let _ = writeln!(s, "    case {i}: return std::unique_ptr<Model>(new M_{}());", m.name);
    }
    s.push_str("    default: throw std::out_of_range(\"no Verilated model with this index\");\n  }\n}\n\n}  // namespace sim\n");
    s
}

/// Rust tables of the models and their ports, in the order `new_model` and `set`/`get` number them.
pub fn generate_rs(models: &[Verilated]) -> String {
    let mut s = String::from("// Generated by sim/build.rs.\n/// The Verilated models compiled into this crate.\npub const MODELS: &[ModelInfo] = &[\n");
    for m in models {
        let _ = writeln!(
            s,
            "    ModelInfo {{\n        name: {:?},\n        top: {:?},\n        clock: {},\n        trace: {},\n        ports: &[",
            m.name, m.top, m.clock, m.trace
        );
        for p in &m.ports {
            let _ = writeln!(
                s,
                "            PortInfo {{ name: {:?}, dir: PortDir::{:?}, width: {} }},",
                p.name, p.dir, p.width
            );
        }
        s.push_str("        ],\n    },\n");
    }
    s.push_str("];\n");
    s
}

/// 64-bit FNV-1a hash (a stable fingerprint for the build stamp).
fn fnv1a(text: &str) -> u64 {
    text.bytes().fold(0xcbf2_9ce4_8422_2325, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
    })
}
