//! Writes the Verilog of a design without running the flow (for per-module synthesis statistics):
//! `cargo run -p bitstreams --example dump_verilog -- <core|uart> <lanes> <out.v>`
//! prints the top module name. `... -- serial-decoder 1 <out.v>`: the bit-serial decoder alone,
//! module `eg_serial`, its ports `clock` and `io$...` (`hdl::decoder::DecoderIo`), to place the
//! decoder alone (docs/notes/bitstreams.md).

use bitstreams::tops::{accelerator_core, accelerator_only, DEFAULT_BAUD};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let a: Vec<String> = std::env::args().skip(1).collect();
    if a.len() != 3 {
        return Err("usage: dump_verilog <core|uart|serial-decoder> <lanes> <out.v>".into());
    }
    if a[0] == "serial-decoder" {
        use rust_hdl::prelude::Block;
        let mut dec = hdl::decoder::EgSerialDecoder::new();
        dec.connect_all();
        std::fs::write(&a[2], hdl::verify::named_verilog(&dec, "eg_serial")?)?;
        println!("eg_serial");
        return Ok(());
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
