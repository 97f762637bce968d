//! Benchmark of the targets (`make bench`; minutes per flow run):
//! - UP5K: median Fmax over seeds 1..=5 of the UART board top with the accelerator (P = 4, DSPs)
//!   >= 48 MHz, and P = 4 fits with room to spare (LC and EBR below 90%);
//! - HX8K: median Fmax over seeds 1..=5 >= 80 MHz (P from BENCH_HX8K_LANES, default 1).
//!
//! cargo test --release --test it bitstreams_bench:: -- --ignored --nocapture
//! BENCH_LANES (default 4) sets P on the UP5K. Results and commands: docs/bitstreams.md.

use bitstreams::tops::{accelerator_core, board_top, DEFAULT_BAUD};
use bitstreams::{run_flow, Board, FlowConfig, Report, Tools};

fn lanes(var: &str, default: usize) -> usize {
    std::env::var(var).ok().and_then(|v| v.parse().ok()).unwrap_or(default)
}

/// Builds `board` with `lanes` for seeds 1..=5 at `freq`; prints a line per seed; returns the reports.
fn seeds(board: Board, lanes: usize, freq: f64) -> Vec<Report> {
    // The board top's fastest clock; nextpnr is asked for `freq` to measure the core's Fmax.
    let clock = board.fastest_clock_mhz();
    let core = accelerator_core(lanes, Default::default(), DEFAULT_BAUD, clock).unwrap();
    let d = board_top(board, &core, clock).unwrap();
    (1..=5)
        .map(|seed| {
            let dir = tempfile::tempdir().unwrap();
            let mut cfg = FlowConfig::new(board, &d.top, dir.path());
            cfg.seed = seed;
            cfg.freq_mhz = freq;
            let r = run_flow(&d.verilog, &cfg, &Tools::default(), &mut |_| {})
                .unwrap_or_else(|e| panic!("{board} P={lanes} seed {seed}: {e}"));
            println!("{board} P={lanes} seed {seed}: {}", r.summary().replace('\n', "; "));
            r
        })
        .collect()
}

fn median_fmax(rs: &[Report]) -> f64 {
    let mut f: Vec<f64> = rs.iter().filter_map(Report::min_fmax_mhz).collect();
    f.sort_by(f64::total_cmp);
    f[f.len() / 2]
}

#[test]
#[ignore]
fn up5k_median_fmax_and_room() {
    let rs = seeds(Board::Icebreaker, lanes("BENCH_LANES", 4), 48.0);
    let m = median_fmax(&rs);
    println!("UP5K median Fmax over 5 seeds: {m:.2} MHz");
    for name in ["LC", "EBR"] {
        let r = rs[0].resource(name).unwrap();
        assert!(r.percent() < 90.0, "{name} {}/{} leaves no room", r.used, r.available);
    }
    assert!(m >= 48.0, "median Fmax {m:.2} MHz < 48 MHz");
}

#[test]
#[ignore]
fn hx8k_median_fmax() {
    let rs = seeds(Board::Hx8k, lanes("BENCH_HX8K_LANES", 1), 80.0);
    let m = median_fmax(&rs);
    println!("HX8K median Fmax over 5 seeds: {m:.2} MHz");
    assert!(m >= 80.0, "median Fmax {m:.2} MHz < 80 MHz");
}
