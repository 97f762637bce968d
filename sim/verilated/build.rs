//! Builds Verilator's C++ runtime once (verilated.cpp, verilated_threads.cpp, verilated_vcd_c.cpp) as the
//! static library `verilated`, and exports its include directory to the crates that verilate models:
//! their build scripts read it as `DEP_VERILATED_INCLUDE` (and the root as `DEP_VERILATED_ROOT`).
use std::path::PathBuf;
use std::process::Command;

/// Runtime sources compiled into the library (relative to `$VERILATOR_ROOT/include`).
const SOURCES: [&str; 3] = ["verilated.cpp", "verilated_threads.cpp", "verilated_vcd_c.cpp"];

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
        .std("c++17")
        .include(&include)
        .include(include.join("vltstd"))
        .define("VM_TRACE", "1")
        .define("VM_TRACE_VCD", "1")
        .define("VM_TRACE_FST", "0")
        .define("VM_COVERAGE", "0")
        .define("VM_SC", "0")
        .opt_level(2)
        .warnings(false)
        .flag_if_supported("-faligned-new")
        .flag_if_supported("-fcf-protection=none")
        .flag_if_supported("-Wno-unused-parameter");
    for src in SOURCES {
        build.file(include.join(src));
    }
    build.compile("verilated");
    println!("cargo:include={}", include.display());
    println!("cargo:root={}", root.display());
    println!("cargo:rustc-env=VERILATED_ROOT={}", root.display());
}

/// `$VERILATOR_ROOT`, else what `verilator --getenv VERILATOR_ROOT` says; checks that the runtime sources exist.
fn verilator_root() -> Result<PathBuf, String> {
    let root =
        match std::env::var_os("VERILATOR_ROOT") {
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
