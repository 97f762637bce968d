//! Writes the Verilog of a design without running the flow (for per-module synthesis statistics):
//! `cargo run -p bitstreams --example dump_verilog -- <core|uart> <lanes> <out.v>`
//! prints the top module name.

use bitstreams::tops::{accelerator_core, accelerator_only, DEFAULT_BAUD};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let a: Vec<String> = std::env::args().skip(1).collect();
    if a.len() != 3 {
        return Err("usage: dump_verilog <core|uart> <lanes> <out.v>".into());
    }
    let lanes: usize = a[1].parse()?;
    let d = match a[0].as_str() {
        "core" => accelerator_only(lanes, Default::default())?,
        "uart" => accelerator_core(lanes, Default::default(), DEFAULT_BAUD, 48.0)?,
        k => return Err(format!("unknown design kind {k}").into()),
    };
    std::fs::write(&a[2], &d.verilog)?;
    println!("{}", d.top);
    Ok(())
}
