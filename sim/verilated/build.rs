//! Builds Verilator's C++ runtime once (verilated.cpp, verilated_threads.cpp, verilated_vcd_c.cpp) as the
//! static library `verilated`, and exports to the crates that verilate models (their build scripts read
//! `DEP_VERILATED_<KEY>`):
//! - `INCLUDE`, `ROOT`: the runtime's include directory and the Verilator root;
//! - `STD`, `DEFINES`, `FLAGS`: the C++ standard, the preprocessor defines and the compiler flags this runtime
//!   was compiled with. Everything that includes Verilator's headers must use the same (the defines change
//!   class layouts), so they are set here, once, and nowhere else.
use std::path::PathBuf;
use std::process::Command;

/// Runtime sources compiled into the library (relative to `$VERILATOR_ROOT/include`).
const SOURCES: [&str; 3] = ["verilated.cpp", "verilated_threads.cpp", "verilated_vcd_c.cpp"];

/// The C++ standard.
const STD: &str = "c++17";

/// Preprocessor defines (as Verilator's own makefiles set them): VCD tracing compiled in, no FST, no
/// coverage, no SystemC. A model verilated without `--trace` links against the same runtime.
const DEFINES: [(&str, &str); 5] = [
    ("VM_TRACE", "1"),
    ("VM_TRACE_VCD", "1"),
    ("VM_TRACE_FST", "0"),
    ("VM_COVERAGE", "0"),
    ("VM_SC", "0"),
];

/// Compiler flags, each used if the compiler supports it (Verilator's makefiles pass the same).
const FLAGS: [&str; 3] = ["-faligned-new", "-fcf-protection=none", "-Wno-unused-parameter"];

fn main() {
    println!("cargo:rerun-if-changed=build.rs");
    println!("cargo:rerun-if-env-changed=VERILATOR_ROOT");
    println!("cargo:rerun-if-env-changed=VERILATOR");
    let root = match verilator_root() {
        Ok(root) => root,
        Err(e) => {
            // One clear line, and no panic backtrace.
            eprintln!("error: {e}");
            std::process::exit(1);
        }
    };
    let include = root.join("include");
    for src in SOURCES {
        println!("cargo:rerun-if-changed={}", include.join(src).display());
    }
    let mut build = cc::Build::new();
    build
        .cpp(true)
        .std(STD)
        .include(&include)
        .include(include.join("vltstd"))
        .opt_level(2)
        .warnings(false);
    for (k, v) in DEFINES {
        build.define(k, v);
    }
    let flags: Vec<&str> = FLAGS
        .into_iter()
        .filter(|f| build.is_flag_supported(f).unwrap_or(false))
        .collect();
    for f in &flags {
        build.flag(f);
    }
    for src in SOURCES {
        build.file(include.join(src));
    }
    build.compile("verilated");
    let defines: Vec<String> = DEFINES.iter().map(|(k, v)| format!("{k}={v}")).collect();
    println!("cargo:include={}", include.display());
    println!("cargo:root={}", root.display());
    println!("cargo:std={STD}");
    println!("cargo:defines={}", defines.join(","));
    println!("cargo:flags={}", flags.join(","));
    println!("cargo:rustc-env=VERILATED_ROOT={}", root.display());
}

/// `$VERILATOR_ROOT`, else what `verilator --getenv VERILATOR_ROOT` says; checks that the runtime sources exist.
fn verilator_root() -> Result<PathBuf, String> {
    let root = match std::env::var_os("VERILATOR_ROOT") {
        Some(r) => PathBuf::from(r),
        None => {
            let exe = std::env::var("VERILATOR").unwrap_or_else(|_| "verilator".into());
            let out = Command::new(&exe).args(["--getenv", "VERILATOR_ROOT"]).output().map_err(|e| {
                format!("cannot run `{exe}` ({e}): Verilator 5 is required to build the simulator: install it with `apt-get install verilator` (or `make setup`), or set VERILATOR to its path")
            })?;
            if !out.status.success() {
                return Err(format!("`{exe} --getenv VERILATOR_ROOT` failed: run `make setup`"));
            }
            PathBuf::from(String::from_utf8_lossy(&out.stdout).trim())
        }
    };
    let missing: Vec<_> = SOURCES
        .iter()
        .filter(|s| !root.join("include").join(s).is_file())
        .collect();
    if !missing.is_empty() {
        return Err(format!(
            "Verilator runtime sources {missing:?} not found under {}/include: run `make setup`",
            root.display()
        ));
    }
    Ok(root)
}
