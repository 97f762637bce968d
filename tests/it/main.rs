//! The workspace's integration tests, one binary (`cargo test --test it`), one module per area; every
//! module links the same rust-hdl and Verilated models once. Filter by module: `cargo test --test it
//! cosim::`, `cargo test --test it hdl_verilog::`.
//!
//! - `fixtures`: what the modules share (random layers, a stream's expected first error, the CLI binary);
//! - co-simulation against golden on the Verilated accelerator: `cosim`, `cosim_malformed`,
//!   `cosim_resident`, `cosim_cli`, `cosim_spec` (docs/hardware.md's guarantees at their edges),
//!   `cosim_bench` (ignored benchmarks);
//! - the CLI end to end: `cli_bad_input`, `cli_codec`, `cli_train`, `demo`, `encode_memory`;
//! - the UART: `bitstream_uart` (Verilated cores), `bitstreams_uart_iverilog`;
//! - hdl's generated Verilog and performance: `hdl_verilog`, `hdl_perf`;
//! - sim's Verilator infrastructure on a hand-written counter: `sim_model`; the build script's Verilog
//!   rewriter (sim/build/isolate.rs): `verilog_isolate`;
//! - the generated Verilog of one configuration against its committed snapshot: `verilog_snapshot`;
//! - the iCE40 flow and the boards: `bitstreams_flow`, `bitstreams_boards`, `bitstreams_baked_verilog`,
//!   `bitstreams_bench`.
//!
//! proptest keeps the failing cases of `tests/it/<module>.rs` in `tests/proptest-regressions/<module>.txt`
//! (its default, `SourceParallel`, from the directory of main.rs) and replays them first.
mod fixtures;

mod bitstream_uart;
mod bitstreams_baked_verilog;
mod bitstreams_bench;
mod bitstreams_boards;
mod bitstreams_flow;
mod bitstreams_uart_iverilog;
mod cli_bad_input;
mod cli_codec;
mod cli_train;
mod cosim;
mod cosim_bench;
mod cosim_cli;
mod cosim_malformed;
mod cosim_resident;
mod cosim_spec;
mod cosim_spram;
mod demo;
mod encode_memory;
mod hdl_perf;
mod hdl_verilog;
mod sim_model;
mod verilog_isolate;
mod verilog_snapshot;

// sim's build-script Verilog rewriter, compiled here too for its tests (verilog_isolate).
#[path = "../../sim/build/isolate.rs"]
mod isolate;
