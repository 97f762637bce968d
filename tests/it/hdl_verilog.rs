//! Checks of the generated Verilog with external tools (each test skips, with a message, when its
//! tool is missing; `make test` installs them):
//! - every configuration generates, with unique module names;
//! - `verilator --lint-only -Wall` passes with the documented waivers (`hdl::verify`);
//! - yosys `synth_ice40` runs without errors (P = 4 board build; P = 8 in an ignored test);
//! - iverilog runs the generated Verilog of the whole accelerator on random layers and must give
//!   golden's outputs and exactly the cycle count of rust-hdl's simulator (the two can disagree:
//!   rust-hdl prints binary operators without parentheses in the Verilog), and the leaf trees (`bitops`) must equal their Rust models on random inputs.
use crate::fixtures::{random_input, sparse_layer};
use golden::infer::QModel;
use golden::layout::layout;
use golden::valuemap::ValueMap;
use hdl::host_sim::HostSim;
use hdl::regmap::{self, MemSizes};
use hdl::verify;
use host::{CompileOptions, Driver};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use std::process::Command;

#[test]
fn every_configuration_generates_with_unique_names() {
    let mut tops = std::collections::HashSet::new();
    for sizes in [MemSizes::BOARD, MemSizes::LARGE] {
        for p in [1, 2, 4, 8] {
            let v = hdl::generate_verilog(p, sizes).unwrap();
            let top = regmap::top_name(p, sizes);
            assert!(v.contains(&format!("module {top}(")), "{top}");
            // every module belongs to this configuration
            for line in v.lines().filter(|l| l.starts_with("module ")) {
                let name = line["module ".len()..].split('(').next().unwrap();
                assert!(name == top || name.starts_with(&format!("{top}$")), "{name}");
            }
            assert!(tops.insert(top));
        }
    }
    assert!(matches!(
        hdl::generate_verilog(3, MemSizes::BOARD),
        Err(hdl::HdlError::Lanes(3))
    ));
    // The sizes a baked build chooses from (hdl::bake) generate too, under their own names.
    for sizes in MemSizes::BAKE_SIZES {
        if sizes == MemSizes::BOARD || sizes == MemSizes::LARGE {
            continue;
        }
        let v = hdl::generate_verilog(2, sizes).unwrap();
        let top = regmap::top_name(2, sizes);
        assert!(v.contains(&format!("module {top}(")), "{top}");
        assert!(tops.insert(top));
    }
    let odd = MemSizes {
        stream_words_log2: 12,
        vmap_log2: 8,
        dim_log2: 8,
        layer_table: false,
    };
    assert!(matches!(hdl::generate_verilog(4, odd), Err(hdl::HdlError::Sizes(_))));
    // Layers wider than a size's own (BOARD memories with 1024-wide layers) are not built.
    let wide_board = MemSizes {
        dim_log2: 10,
        ..MemSizes::BOARD
    };
    assert!(matches!(
        hdl::generate_verilog(4, wide_board),
        Err(hdl::HdlError::Sizes(_))
    ));
    // The bit-serial decoder: BOARD and LARGE memories, a top of its own; other sizes refused.
    let serial = regmap::DecoderKind::Serial;
    for sizes in [MemSizes::BOARD, MemSizes::LARGE] {
        let v = hdl::generate_verilog_decoder(1, sizes, serial).unwrap();
        let top = regmap::top_name_for(1, sizes, serial);
        assert!(v.contains(&format!("module {top}(")), "{top}");
        assert!(
            v.contains("serial$0") && !v.contains("pipelined$0"),
            "{top}: only the serial decoder"
        );
    }
    let bake = MemSizes {
        stream_words_log2: 10,
        vmap_log2: 10,
        dim_log2: 8,
        layer_table: false,
    };
    assert!(matches!(
        hdl::generate_verilog_decoder(2, bake, serial),
        Err(hdl::HdlError::Sizes(_))
    ));
}

#[test]
fn verilator_lint_passes_with_documented_waivers() {
    if !verify::have("verilator") {
        eprintln!("verilator not installed: skipped");
        return;
    }
    for (p, sizes) in [(1, MemSizes::BOARD), (4, MemSizes::BOARD), (8, MemSizes::LARGE)] {
        let v = hdl::generate_verilog(p, sizes).unwrap();
        verify::verilator_lint(&v, &regmap::top_name(p, sizes)).unwrap();
    }
}

#[test]
fn yosys_synth_ice40_p4_board() {
    if !verify::have("yosys") {
        eprintln!("yosys not installed: skipped");
        return;
    }
    let v = hdl::generate_verilog(4, MemSizes::BOARD).unwrap();
    let r = verify::yosys_synth_ice40(&v, "bs_accel_p4").unwrap();
    assert_eq!(r.cells("SB_MAC16"), 4, "one DSP per lane:\n{}", r.stat);
    assert!(r.cells("SB_RAM40_4K") <= 30, "block RAMs fit the UP5K:\n{}", r.stat);
    eprintln!("{}", r.stat);
}

#[test]
#[ignore = "slow (minutes): run by make bench"]
fn yosys_synth_ice40_p8() {
    let v = hdl::generate_verilog(8, MemSizes::BOARD).unwrap();
    let r = verify::yosys_synth_ice40(&v, "bs_accel_p8").unwrap();
    assert_eq!(r.cells("SB_MAC16"), 8, "{}", r.stat);
}

fn have_iverilog() -> bool {
    Command::new("iverilog")
        .arg("-V")
        .output()
        .map(|o| o.status.success())
        .unwrap_or(false)
}

/// Runs a Verilog testbench `tb` (module `tb`) with `dut`; returns vvp's stdout.
fn run_iverilog(tag: &str, tb: &str, dut: &str) -> String {
    let dir = std::env::temp_dir().join(format!("bs-iverilog-{tag}-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("tb.v"), tb).unwrap();
    std::fs::write(dir.join("dut.v"), dut).unwrap();
    let out = Command::new("iverilog")
        .current_dir(&dir)
        .args(["-g2005", "-o", "sim.vvp", "-s", "tb", "tb.v", "dut.v"])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "iverilog: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let out = Command::new("vvp")
        .current_dir(&dir)
        .args(["-n", "sim.vvp"])
        .output()
        .unwrap();
    let _ = std::fs::remove_dir_all(&dir);
    String::from_utf8_lossy(&out.stdout).to_string()
}

/// A testbench that performs host writes and reads on the accelerator `top` with the bus timing of
/// docs/hardware.md and prints `R <addr> <data>` per read.
fn host_testbench(top: &str, body: &str) -> String {
    format!(
        "`timescale 1ns/1ps
module tb;
  reg clock = 0;
  reg [15:0] host_addr = 0;
  reg [31:0] host_wdata = 0;
  reg host_write = 0;
  reg host_read = 0;
  wire [31:0] host_rdata;
  wire host_rvalid;
  wire irq;
  {top} dut(.clock(clock), .host_addr(host_addr), .host_wdata(host_wdata), .host_write(host_write),
            .host_read(host_read), .host_rdata(host_rdata), .host_rvalid(host_rvalid), .irq(irq),
            .boot_start(1'b0), .boot_valid(1'b0), .boot_word(32'd0));
  always #5 clock = ~clock;
  task wr(input [15:0] a, input [31:0] d);
    begin
      @(negedge clock); host_addr = a; host_wdata = d; host_write = 1;
      @(negedge clock); host_write = 0;
    end
  endtask
  task rd(input [15:0] a);
    begin
      @(negedge clock); host_addr = a; host_read = 1;
      @(negedge clock); host_read = 0;
      repeat ({early}) begin
        if (host_rvalid) $display(\"EARLY\");
        @(negedge clock);
      end
      if (!host_rvalid) $display(\"NOVALID\");
      $display(\"R %0d %0d\", a, host_rdata);
    end
  endtask
  initial begin
    #50000000 $display(\"TIMEOUT\"); $finish;
  end
  initial begin
{body}
    $finish;
  end
endmodule
",
        early = hdl::regmap::READ_LATENCY - 1
    )
}

fn iverilog_layer<const P: usize>(seed: u64, rows: usize, cols: usize, zero_pct: u64, k: u32) {
    let (layer, mut rng) = sparse_layer(seed, rows, cols, zero_pct);
    let map = ValueMap::from_quantized(&layer.weights);
    let streams = layout(&layer, &map, k, P).unwrap();
    let x = random_input(cols, &mut rng);
    let zero_skip = regmap::zero_skip_valid(k, map.values()[0]);
    // The same layer in rust-hdl's simulator through the host's driver: outputs and counters.
    let mut hw = HostSim::<P, 9, 8>::new().unwrap();
    let mut d = Driver::new(&mut hw).unwrap();
    let model = QModel::from_layers(vec![layer.clone()]);
    let opts = CompileOptions::fixed(k, true);
    let program = d.compile(&model, opts).unwrap();
    let compiled = &program.layers[0];
    assert_eq!(
        (compiled.vmap.as_slice(), compiled.zero_skip),
        (map.values(), zero_skip)
    );
    assert_eq!(
        compiled.passes[0].streams, streams,
        "the compiler lays out as golden::layout"
    );
    let got = d.infer(&program, &x).unwrap();
    let stats = got.counters[0];
    let want = layer.forward(&x);
    assert_eq!(got.outputs[0], want);

    let mut body = String::new();
    let mut wr = |a: u16, d: u32| body += &format!("    wr({a}, {d});\n");
    wr(regmap::REG_ROWS, rows as u32);
    wr(regmap::REG_COLS, cols as u32);
    wr(regmap::REG_K, k);
    wr(regmap::REG_SHIFT, layer.shift);
    wr(regmap::REG_FLAGS, regmap::flags(layer.relu, zero_skip));
    wr(regmap::REG_VMAP_LEN, map.len() as u32);
    for (i, &w) in map.values().iter().enumerate() {
        wr(regmap::vmap_addr(i), w as u32 & 0xFFFF);
    }
    for (r, &b) in layer.bias.iter().enumerate() {
        wr(regmap::bias_addr(r), b as u32);
    }
    for (c, &v) in x.iter().enumerate() {
        wr(regmap::act_in_addr(c), v as u8 as u32);
    }
    for (lane, words) in streams.words.iter().enumerate() {
        wr(regmap::stream_len_reg(lane), words.len() as u32);
        for (i, &w) in words.iter().enumerate() {
            wr(MemSizes::BOARD.stream_addr(lane, i), w);
        }
    }
    wr(regmap::REG_CTRL, regmap::CTRL_START);
    body += "    wait (irq == 1);\n";
    for a in [
        regmap::REG_STATUS,
        regmap::REG_CYCLES,
        regmap::REG_PERF_NONZERO,
        regmap::REG_PERF_ZERO_SKIPPED,
    ] {
        body += &format!("    rd({a});\n");
    }
    for r in 0..rows {
        body += &format!("    rd({});\n", regmap::act_out_addr(r));
    }
    let top = regmap::top_name(P, MemSizes::BOARD);
    let out = run_iverilog(
        &format!("p{P}-{seed}"),
        &host_testbench(&top, &body),
        &hdl::generate_verilog(P, MemSizes::BOARD).unwrap(),
    );
    assert!(
        !out.contains("TIMEOUT") && !out.contains("NOVALID") && !out.contains("EARLY"),
        "{out}"
    );
    let reads: Vec<(u32, u32)> = out
        .lines()
        .filter_map(|l| l.strip_prefix("R "))
        .map(|l| {
            let mut it = l.split_whitespace().map(|t| t.parse::<u64>().expect(l) as u32);
            (it.next().unwrap(), it.next().unwrap())
        })
        .collect();
    assert_eq!(reads.len(), 4 + rows, "{out}");
    assert_eq!(reads[0].1, regmap::STATUS_DONE, "status");
    assert_eq!(reads[1].1, stats.cycles, "Verilog and rust-hdl cycle counts");
    assert_eq!(reads[2].1, stats.nonzero);
    assert_eq!(reads[3].1, stats.zero_skipped);
    let got: Vec<i8> = reads[4..].iter().map(|&(_, d)| d as i32 as i8).collect();
    assert_eq!(got, want, "Verilog outputs vs golden (seed {seed})");
    for &(_, d) in &reads[4..] {
        assert_eq!(d, d as i8 as i32 as u32, "sign-extended");
    }
}

#[test]
fn iverilog_accelerator_matches_golden_and_rust_hdl() {
    if !have_iverilog() {
        eprintln!("iverilog not installed: skipped");
        return;
    }
    iverilog_layer::<4>(11, 9, 30, 80, 0);
    iverilog_layer::<4>(12, 6, 17, 20, 3);
    iverilog_layer::<2>(13, 5, 64, 95, 0);
}

#[test]
fn iverilog_leaf_trees_match_their_rust_models() {
    if !have_iverilog() {
        eprintln!("iverilog not installed: skipped");
        return;
    }
    use rust_hdl::prelude::*;
    let mut rng = ChaCha8Rng::seed_from_u64(7);
    let mut cases = Vec::new();
    for i in 0..300u32 {
        let w: u64 = if i == 2 { 0 } else { rng.random::<u64>() >> (i % 64) };
        let word = if i == 1 { 0 } else { (w as u32) >> (i % 32) };
        cases.push((w, word, rng.random_range(0..32u64)));
    }
    let mut clz = hdl::bitops::Clz32::default();
    let mut clz64 = hdl::bitops::Clz64::default();
    clz64.connect_all();
    let mut fun = hdl::bitops::Funnel64::default();
    let mut shr = hdl::bitops::Shr32::default();
    let mut mul = hdl::bitops::MulS16::default();
    let mut sar = hdl::bitops::Sar32::default();
    mul.connect_all();
    sar.connect_all();
    clz.connect_all();
    fun.connect_all();
    shr.connect_all();
    let mut body = String::new();
    let mut want = Vec::new();
    for &(w, word, s) in &cases {
        clz.word.next = (word as u64).into();
        clz64.word.next = w.into();
        fun.win.next = w.into();
        fun.pos.next = s.into();
        shr.word.next = (word as u64).into();
        shr.amount.next = s.into();
        mul.a.next = ((w >> 16) & 0xFFFF).into();
        mul.b.next = (w & 0xFFFF).into();
        sar.word.next = ((w >> 32) & 0xFFFF_FFFF).into();
        sar.amount.next = s.into();
        assert!(simulate(&mut clz, 10) && simulate(&mut fun, 10) && simulate(&mut shr, 10));
        assert!(simulate(&mut mul, 10) && simulate(&mut sar, 10) && simulate(&mut clz64, 10));
        assert_eq!(clz64.count.val().to_u32(), w.leading_zeros());
        want.push(format!(
            "{} {} {} {} {} {}",
            clz.count.val().to_u32(),
            clz64.count.val().to_u32(),
            fun.bits.val().to_u32(),
            shr.shifted.val().to_u32(),
            mul.p.val().to_u32(),
            sar.shifted.val().to_u32()
        ));
        body += &format!(
            "    word = 32'd{word}; win = 64'd{w}; sh = 5'd{s}; #1 $display(\"%0d %0d %0d %0d %0d %0d\", count, count64, bits, shifted, p, ashifted);\n"
        );
    }
    let dut = [
        hdl::verify::named_verilog(&clz, "t_clz").unwrap(),
        hdl::verify::named_verilog(&clz64, "t_clz64").unwrap(),
        hdl::verify::named_verilog(&fun, "t_fun").unwrap(),
        hdl::verify::named_verilog(&shr, "t_shr").unwrap(),
        hdl::verify::named_verilog(&mul, "t_mul").unwrap(),
        hdl::verify::named_verilog(&sar, "t_sar").unwrap(),
    ]
    .concat();
    let tb = format!(
        "module tb;
  reg [31:0] word; reg [63:0] win; reg [4:0] sh;
  wire [5:0] count; wire [6:0] count64; wire [31:0] bits; wire [31:0] shifted; wire [31:0] p; wire [31:0] ashifted;
  t_clz c(.word(word), .count(count));
  t_clz64 c64(.word(win), .count(count64));
  t_fun f(.win(win), .pos(sh), .bits(bits));
  t_shr s(.word(word), .amount(sh), .shifted(shifted));
  t_mul m(.a(win[31:16]), .b(win[15:0]), .p(p));
  t_sar a(.word(win[63:32]), .amount(sh), .shifted(ashifted));
  initial begin
{body}
  end
endmodule
"
    );
    let out = run_iverilog("leaf", &tb, &dut);
    let got: Vec<&str> = out.lines().filter(|l| !l.trim().is_empty()).collect();
    assert_eq!(got.len(), cases.len(), "{out}");
    for (g, w) in got.iter().zip(&want) {
        assert_eq!(g, w);
    }
}

/// Resource report for docs/hardware.md:
/// `cargo test --test it hdl_verilog::resources_report -- --ignored --nocapture`.
#[test]
#[ignore = "report (minutes): run with --ignored --nocapture"]
fn resources_report() {
    println!("| build | SB_LUT4 | flip-flops | SB_CARRY | SB_RAM40_4K | SB_MAC16 |");
    println!("|---|---|---|---|---|---|");
    for p in [1, 2, 4, 8] {
        let top = regmap::top_name(p, MemSizes::BOARD);
        let r = verify::yosys_synth_ice40(&hdl::generate_verilog(p, MemSizes::BOARD).unwrap(), &top).unwrap();
        let ffs: usize = [
            "SB_DFF",
            "SB_DFFE",
            "SB_DFFSR",
            "SB_DFFESR",
            "SB_DFFR",
            "SB_DFFER",
            "SB_DFFS",
            "SB_DFFES",
            "SB_DFFSS",
            "SB_DFFESS",
        ]
        .iter()
        .map(|c| r.cells(c))
        .sum();
        println!(
            "| {top} | {} | {ffs} | {} | {} | {} |",
            r.cells("SB_LUT4"),
            r.cells("SB_CARRY"),
            r.cells("SB_RAM40_4K"),
            r.cells("SB_MAC16")
        );
    }
}
