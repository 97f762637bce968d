//! The baked accelerator's real Verilog (hdl::bake): its `initial` memory contents and MODEL_ID run in
//! iverilog for whole inferences against golden, with only registers and inputs written; and the same
//! after yosys `synth_ice40`: the gate-level netlist (SB_RAM40_4K with the INIT yosys derived from the
//! `initial` blocks, simulated with yosys' own iCE40 cell models) gives golden's outputs too.
use golden::infer::{QLayer, QModel};
use hdl::bake::Bake;
use hdl::regmap;
use host::Image;
use std::fmt::Write;
use std::process::Command;

/// splitmix64.
struct Rng(u64);
impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    fn range(&mut self, lo: i32, hi: i32) -> i32 {
        lo + (self.next() % (hi - lo + 1) as u64) as i32
    }
}

/// A small random model (three layers, ~60% zeros).
fn small_model(seed: u64, dims: &[usize]) -> QModel {
    let mut rng = Rng(seed);
    let layers = dims
        .windows(2)
        .map(|d| QLayer {
            rows: d[1],
            cols: d[0],
            weights: (0..d[0] * d[1])
                .map(|_| if rng.next() % 10 < 6 { 0 } else { rng.range(-40, 40) })
                .collect(),
            bias: (0..d[1]).map(|_| rng.range(-3000, 3000)).collect(),
            shift: 5,
            relu: true,
        })
        .collect();
    QModel {
        layers,
        input_scale: 1.0,
        step_bits: 8,
    }
}

fn have(tool: &str) -> bool {
    Command::new(tool).arg("-V").output().is_ok()
}

/// A testbench for the bare accelerator `top`: host-bus tasks, then `body`; `dump` lines go to out.txt.
fn testbench(top: &str, body: &str) -> String {
    format!(
        r#"`timescale 1ns/1ps
module tb;
  reg clock = 0;
  always #5 clock = ~clock;
  reg [15:0] host_addr = 0; reg [31:0] host_wdata = 0; reg host_write = 0; reg host_read = 0;
  wire [31:0] host_rdata; wire host_rvalid; wire irq;
  reg [31:0] rdata; integer f, n;
  {top} dut(.clock(clock), .host_addr(host_addr), .host_wdata(host_wdata), .host_write(host_write),
    .host_read(host_read), .host_rdata(host_rdata), .host_rvalid(host_rvalid), .irq(irq),
    .boot_start(1'b0), .boot_valid(1'b0), .boot_word(32'd0));
  task wr(input [15:0] a, input [31:0] d);
    begin host_addr = a; host_wdata = d; host_write = 1; @(posedge clock); #1 host_write = 0; end
  endtask
  task rd(input [15:0] a);
    begin
      host_addr = a; host_read = 1; @(posedge clock); #1 host_read = 0;
      while (!host_rvalid) begin @(posedge clock); #1; end
      rdata = host_rdata; @(posedge clock); #1;
    end
  endtask
  task run;
    begin
      wr(16'h{ctrl:04x}, 32'h{start:x});
      n = 0; rd(16'h{status:04x});
      while (!(rdata & 32'h{done:x}) && n < 200000) begin rd(16'h{status:04x}); n = n + 1; end
      $fwrite(f, "status %0d\n", rdata);
    end
  endtask
  initial begin
    f = $fopen("out.txt", "w");
    @(posedge clock); #1;
{body}
    $fclose(f); $finish;
  end
endmodule
"#,
        ctrl = regmap::REG_CTRL,
        start = regmap::CTRL_START,
        status = regmap::REG_STATUS,
        done = regmap::STATUS_DONE,
    )
}

/// The host sequence of `inferences` inferences of the resident image (MODEL_ID first), as testbench code.
fn host_sequence(img: &Image, xs: &[Vec<i8>]) -> String {
    // Only MODEL_ID, registers and inputs: nothing of the model crosses the bus.
    let mut body = String::new();
    writeln!(
        body,
        "    rd(16'h{:04x}); $fwrite(f, \"id %0d\\n\", rdata);",
        regmap::REG_MODEL_ID
    )
    .unwrap();
    for x in xs {
        for (li, regs) in img.layers.iter().enumerate() {
            for (a, d) in regs.writes() {
                writeln!(body, "    wr(16'h{a:04x}, 32'h{d:x});").unwrap();
            }
            if li == 0 {
                for (c, &v) in x.iter().enumerate() {
                    writeln!(body, "    wr(16'h{:04x}, 32'h{:x});", regmap::act_in_addr(c), v as u8).unwrap();
                }
            } else {
                // The previous layer's outputs back in as inputs, inside the testbench.
                writeln!(
                    body,
                    "    for (n = 0; n < {}; n = n + 1) begin rd(16'h{:04x} + n); wr(16'h{:04x} + n, rdata & 32'hff); end",
                    regs.cols,
                    regmap::ACT_OUT_BASE,
                    regmap::ACT_IN_BASE
                )
                .unwrap();
            }
            writeln!(body, "    run;").unwrap();
        }
        let rows = img.layers.last().unwrap().rows;
        writeln!(
            body,
            "    for (n = 0; n < {rows}; n = n + 1) begin rd(16'h{:04x} + n); $fwrite(f, \"y %0d\\n\", $signed(rdata)); end",
            regmap::ACT_OUT_BASE
        )
        .unwrap();
    }
    body
}

/// Runs the testbench on `files` (paths or file contents written as dut*.v) in iverilog and checks
/// its output: MODEL_ID, every layer DONE without ERROR, golden's logits.
fn run_and_check(dir: &std::path::Path, files: &[&str], img: &Image, model: &QModel, xs: &[Vec<i8>]) {
    std::fs::write(
        dir.join("tb.v"),
        testbench(&img.top_name(Default::default()), &host_sequence(img, xs)),
    )
    .unwrap();
    let st = Command::new("iverilog")
        .current_dir(dir)
        .args(["-g2012", "-DNO_ICE40_DEFAULT_ASSIGNMENTS", "-o", "sim", "tb.v"])
        .args(files)
        .output()
        .unwrap();
    assert!(st.status.success(), "{}", String::from_utf8_lossy(&st.stderr));
    let out = Command::new("vvp")
        .current_dir(dir)
        .args(["-n", "sim"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let text = std::fs::read_to_string(dir.join("out.txt")).unwrap();
    assert_eq!(text.lines().next(), Some(format!("id {}", img.model_id()).as_str()));
    let statuses: Vec<&str> = text.lines().filter(|l| l.starts_with("status")).collect();
    assert_eq!(statuses.len(), xs.len() * img.layers.len());
    assert!(
        statuses.iter().all(|s| *s == format!("status {}", regmap::STATUS_DONE)),
        "every layer DONE without ERROR: {statuses:?}"
    );
    let ys: Vec<i8> = text
        .lines()
        .filter_map(|l| l.strip_prefix("y "))
        .map(|v| v.parse().unwrap())
        .collect();
    let want: Vec<i8> = xs.iter().flat_map(|x| model.forward(x).unwrap()).collect();
    assert_eq!(ys, want);
}

fn inputs(seed: u64, n: usize, cols: usize) -> Vec<Vec<i8>> {
    let mut rng = Rng(seed);
    (0..n).map(|_| (0..cols).map(|_| rng.next() as i8).collect()).collect()
}

#[test]
fn baked_core_runs_whole_inferences_in_iverilog_like_golden() {
    if !have("iverilog") {
        eprintln!("skipped: iverilog not installed (make setup)");
        return;
    }
    let model = small_model(1, &[16, 12, 9, 6]);
    let img = Image::build_smallest(&model, 2).unwrap();
    assert_eq!(
        img.sizes,
        regmap::MemSizes::BOARD,
        "a small model takes the smallest memories"
    );
    assert_ne!(img.model_id(), 0);
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("dut.v"), img.verilog(Default::default()).unwrap()).unwrap();
    run_and_check(dir.path(), &["dut.v"], &img, &model, &inputs(2, 2, 16));
}

#[test]
fn synthesised_block_rams_hold_the_image() {
    let cells = "/usr/share/yosys/ice40/cells_sim.v";
    if !have("yosys") || !have("iverilog") || !std::path::Path::new(cells).exists() {
        eprintln!("skipped: yosys, iverilog or {cells} missing (make setup)");
        return;
    }
    let model = small_model(3, &[24, 20, 10]);
    let img = Image::build(&model, 1, regmap::MemSizes::BOARD).unwrap();
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("dut.v"), img.verilog(Default::default()).unwrap()).unwrap();
    let script = format!(
        "read_verilog dut.v; synth_ice40 -top {}; stat; write_verilog -noattr syn.v",
        img.top_name(Default::default())
    );
    let out = Command::new("yosys")
        .current_dir(dir.path())
        .args(["-q", "-p", &script])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let netlist = std::fs::read_to_string(dir.path().join("syn.v")).unwrap();
    // The memories are block RAMs (stream, value map, activations, bias x2, outputs), not logic.
    let ebrs = netlist.matches("SB_RAM40_4K ").count();
    assert!(ebrs >= 7, "{ebrs} SB_RAM40_4K in the netlist");
    assert!(netlist.contains(".INIT_0("), "no INIT on the block RAMs");
    run_and_check(dir.path(), &["syn.v", cells], &img, &model, &inputs(4, 1, 24));
}
