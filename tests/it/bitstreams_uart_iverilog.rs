//! The UART bridge's generated Verilog, run in iverilog (rust-hdl's own simulator is not trusted
//! alone: it prints binary operators without parentheses, so precedence can differ between its
//! simulator and the Verilog), against the protocol's reference bridge.

use hdl::uart_bridge::protocol::*;
use hdl::uart_bridge::{verilog_named, BridgeLoopback};
use rust_hdl::prelude::*;
use std::cell::RefCell;
use std::collections::HashMap;
use std::process::Command;

const CPB: u32 = 8;

/// Runs `levels` on uart_rx of the loopback design in iverilog and returns uart_tx per clock.
fn run_iverilog(levels: &[bool]) -> Vec<bool> {
    let mut uut = BridgeLoopback::new(CPB, 2).unwrap();
    uut.clock.connect();
    uut.uart_rx.connect();
    uut.connect_all();
    let v = verilog_named(&uut, "bridge_loopback").unwrap();
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("dut.v"), &v).unwrap();
    let stim: String = levels.iter().map(|&l| if l { "1\n" } else { "0\n" }).collect();
    std::fs::write(dir.path().join("stim.mem"), stim).unwrap();
    let tb = format!(
        r#"`timescale 1ns/1ps
module tb;
  reg clock = 0; reg uart_rx = 1; wire uart_tx; wire irq;
  bridge_loopback dut(.clock(clock), .uart_rx(uart_rx), .uart_tx(uart_tx), .irq(irq));
  reg stim [0:{n}];
  integer i, f;
  initial begin
    $readmemb("stim.mem", stim);
    f = $fopen("tx.txt", "w");
    for (i = 0; i < {len}; i = i + 1) begin
      uart_rx = stim[i];
      #5 clock = 1; #5 clock = 0;
      $fwrite(f, "%b", uart_tx);
    end
    $fclose(f); $finish;
  end
endmodule
"#,
        n = levels.len() - 1,
        len = levels.len()
    );
    std::fs::write(dir.path().join("tb.v"), tb).unwrap();
    let st = Command::new("iverilog")
        .current_dir(dir.path())
        .args(["-g2012", "-o", "sim", "tb.v", "dut.v"])
        .status()
        .expect("iverilog (make setup)");
    assert!(st.success());
    let out = Command::new("vvp")
        .current_dir(dir.path())
        .args(["-n", "sim"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let tx = std::fs::read_to_string(dir.path().join("tx.txt")).unwrap();
    tx.trim().chars().map(|c| c == '1').collect()
}

#[test]
fn generated_verilog_matches_the_reference_bridge() {
    let mut reqs: Vec<[u8; REQ_LEN]> = vec![
        Request::Ping.encode(),
        Request::Write {
            addr: 3,
            data: 0x1234_5678,
        }
        .encode(),
        Request::Write {
            addr: 4,
            data: 0x8000_0001,
        }
        .encode(),
        Request::Read { addr: 3 }.encode(),
        Request::Read { addr: 4 }.encode(),
        encode_raw(0x33, 1, 2),
        Request::Write { addr: 15, data: 1 }.encode(),
        Request::Read { addr: 15 }.encode(),
    ];
    let mut bad = Request::Write { addr: 3, data: 0 }.encode();
    bad[6] ^= 0x08;
    reqs.push(bad);
    reqs.push(Request::Read { addr: 3 }.encode());

    // Stimulus: each request, then enough idle line for the response (7 bytes + margin).
    let gap = (RESP_LEN as u32 * 10 + 40) * CPB;
    let mut levels = vec![true; 4 * CPB as usize];
    for r in &reqs {
        levels.extend(uart_waveform(r, CPB, 1));
        levels.extend(std::iter::repeat_n(true, gap as usize));
    }
    let tx = run_iverilog(&levels);
    let mut dec = UartDecoder::new(CPB);
    let got: Vec<u8> = tx.into_iter().filter_map(|l| dec.sample(l)).collect();
    assert_eq!(dec.framing_errors, 0);

    let regs: RefCell<HashMap<u16, u32>> = Default::default();
    let want: Vec<u8> = reqs
        .iter()
        .flat_map(|r| {
            reference_bridge(
                r,
                |a| Some(*regs.borrow().get(&(a & 15)).unwrap_or(&0)),
                |a, d| {
                    regs.borrow_mut().insert(a & 15, d);
                },
                || regs.borrow().get(&15).is_some_and(|v| v & 1 == 1),
            )
        })
        .collect();
    assert_eq!(want.len(), reqs.len() * RESP_LEN);
    assert_eq!(got, want);
}
