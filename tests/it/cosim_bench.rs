//! Benchmark (ignored by default; `make bench` runs it): simulated clock cycles per second of the whole
//! accelerator (P = 4, simulation memories) in Verilator without and with a VCD trace, and of the same
//! design in rust-hdl's own simulator (hdl::host_sim). Figures go to docs/simulation.md.
//!
//! cargo test --release --test it cosim_bench:: -- --ignored --nocapture

use std::time::{Duration, Instant};

use crate::fixtures::*;
use golden::infer::QModel;
use hdl::host_sim::HostSim;
use host::{CompileOptions, Driver};
use sim::Accelerator;

/// Wall time each measurement runs for.
const BUDGET: Duration = Duration::from_secs(3);

/// CPU time of the calling thread in seconds (Linux: utime + stime of /proc/thread-self/stat, in clock
/// ticks of 10 ms). On a shared machine the wall-clock rate understates the simulator; this does not.
fn thread_cpu() -> f64 {
    let stat = std::fs::read_to_string("/proc/thread-self/stat").unwrap_or_default();
    let after = stat.rsplit_once(')').map_or("", |s| s.1);
    // Fields after the name: state, ppid, ..., utime (12th), stime (13th).
    let f: Vec<&str> = after.split_whitespace().collect();
    let tick = |i: usize| f.get(i).and_then(|x| x.parse::<u64>().ok()).unwrap_or(0);
    (tick(11) + tick(12)) as f64 / 100.0
}

/// The digits hidden layer shape (128 x 64), 80% zeros, as the accelerator runs it after BackSlash.
fn workload() -> (QModel, Vec<i8>) {
    let mut rng = Rng(1234);
    let spec = LayerSpec {
        rows: 128,
        cols: 64,
        sparsity: 80,
        distinct: 40,
        seed: 77,
    };
    let model = random_model(&spec, false, &mut rng);
    let x = random_input(64, &mut rng);
    (model, x)
}

/// Which Verilated model, and whether a VCD is open.
#[derive(Clone, Copy, PartialEq)]
enum Build {
    /// `Accelerator::new`: the copy verilated without --trace.
    Fast,
    /// `Accelerator::new_traceable`, no VCD open.
    Traceable,
    /// `Accelerator::new_traceable` recording every signal.
    Vcd,
}

/// Runs the loaded layer again and again for BUDGET; returns (clock cycles, wall seconds, runs, CPU seconds).
fn verilator(build: Build, vcd: &std::path::Path) -> (u64, f64, u64, f64) {
    let (model, x) = workload();
    let mut acc = match build {
        Build::Fast => Accelerator::new(4).unwrap(),
        Build::Traceable | Build::Vcd => Accelerator::new_traceable(4).unwrap(),
    };
    if build == Build::Vcd {
        acc.trace(vcd, 0..u64::MAX).unwrap();
    }
    let mut d = Driver::new(acc).unwrap();
    let program = d.compile(&model, CompileOptions::fixed(0, true)).unwrap();
    let want = model.forward_all(&x).unwrap();
    assert_eq!(d.infer(&program, &x).unwrap().outputs, want);
    let c0 = d.bus().cycle();
    let cpu0 = thread_cpu();
    let t0 = Instant::now();
    let mut runs = 0;
    // A full VCD grows by ~250 MB per second: trace for a third of the time.
    let budget = if build == Build::Vcd { BUDGET / 3 } else { BUDGET };
    while t0.elapsed() < budget {
        let (_, err) = d.run().unwrap();
        assert!(err.is_none());
        runs += 1;
    }
    let secs = t0.elapsed().as_secs_f64();
    let cpu = thread_cpu() - cpu0;
    let cycles = d.bus().cycle() - c0;
    assert_eq!(d.read_outputs(128).unwrap(), want[0]);
    d.bus().trace_close();
    (cycles, secs, runs, cpu)
}

fn rust_hdl() -> (u64, f64, u64, f64) {
    let (model, x) = workload();
    let mut s = HostSim::<4, 11, 10>::new().unwrap();
    let mut d = Driver::new(&mut s).unwrap();
    let opts = CompileOptions::fixed(0, true);
    let program = d.compile(&model, opts).unwrap();
    d.load(&program.layers[0], 0, true).unwrap();
    d.write_inputs(&x).unwrap();
    let c0 = d.bus().clocks;
    let cpu0 = thread_cpu();
    let t0 = Instant::now();
    let mut runs = 0;
    while t0.elapsed() < BUDGET {
        let (_, err) = d.run().unwrap();
        assert!(err.is_none());
        runs += 1;
    }
    let secs = t0.elapsed().as_secs_f64();
    let cpu = thread_cpu() - cpu0;
    assert_eq!(d.read_outputs(128).unwrap(), model.forward_all(&x).unwrap()[0]);
    (d.bus().clocks - c0, secs, runs, cpu)
}

#[test]
#[ignore = "benchmark: make bench"]
fn simulated_cycles_per_second() {
    let dir = tempfile::tempdir().unwrap();
    let vcd = dir.path().join("bench.vcd");
    println!("model without --trace: {}", !Accelerator::new(4).unwrap().traceable());
    let rows = [
        ("Verilator, no trace (Accelerator::new)", verilator(Build::Fast, &vcd)),
        (
            "Verilator, traceable model, no VCD open",
            verilator(Build::Traceable, &vcd),
        ),
        ("Verilator, traceable model, full VCD", verilator(Build::Vcd, &vcd)),
        ("rust-hdl simulate()", rust_hdl()),
    ];
    let rate = |r: &(u64, f64, u64, f64)| r.0 as f64 / r.3.max(0.01);
    println!("| simulator (P = 4, 128x64 layer, 80% zeros) | cycles | wall s | CPU s | layer runs | cycles/s wall | cycles/s CPU |");
    println!("|---|---|---|---|---|---|---|");
    for (name, r) in &rows {
        println!(
            "| {name} | {} | {:.2} | {:.2} | {} | {:.3} M | {:.3} M |",
            r.0,
            r.1,
            r.3,
            r.2,
            r.0 as f64 / r.1 / 1e6,
            rate(r) / 1e6
        );
    }
    println!(
        "VCD size: {} bytes",
        std::fs::metadata(&vcd).map(|m| m.len()).unwrap_or(0)
    );
    println!(
        "Verilator / rust-hdl (CPU time): {:.0}x without trace, {:.0}x traceable model, {:.0}x with VCD",
        rate(&rows[0].1) / rate(&rows[3].1),
        rate(&rows[1].1) / rate(&rows[3].1),
        rate(&rows[2].1) / rate(&rows[3].1)
    );
}
