//! Combinational leaf blocks written as explicit log-depth trees: count leading zeros (32 and 64
//! bits), the 64-to-32 funnel shifter and a 32-bit right shifter.
//!
//! rust-hdl unrolls loops into priority chains (a loop-built CLZ became a 32-deep if-chain), so these three blocks carry hand-written Verilog in the shape we want in hardware
//! (like rust-hdl's own `DFF` and `RAM`), plus a plain Rust `update()` for rust-hdl's simulator. The
//! two are checked against each other in `tests/it/hdl_verilog.rs` (iverilog, when installed).

use rust_hdl::prelude::*;

/// Count leading zeros of a 32-bit word: `count = word.leading_zeros()` (32 for 0).
/// A 5-level tree of (all-zero, count) pairs.
#[derive(LogicBlock, Default)]
pub struct Clz32 {
    /// The word.
    pub word: Signal<In, Bits<32>>,
    /// Its leading zeros, 0..=32.
    pub count: Signal<Out, Bits<6>>,
}

impl Logic for Clz32 {
    fn update(&mut self) {
        self.count.next = (self.word.val().to_u32().leading_zeros() as u64).into();
    }
    fn connect(&mut self) {
        self.count.connect();
    }
    fn hdl(&self) -> Verilog {
        Verilog::Custom(clz_verilog(5))
    }
}

/// Count leading zeros of a 64-bit word: `count = word.leading_zeros()` (64 for 0).
/// A 6-level tree of (all-zero, count) pairs, like [`Clz32`].
#[derive(LogicBlock, Default)]
pub struct Clz64 {
    /// The word.
    pub word: Signal<In, Bits<64>>,
    /// Its leading zeros, 0..=64.
    pub count: Signal<Out, Bits<7>>,
}

impl Logic for Clz64 {
    fn update(&mut self) {
        self.count.next = (self.word.val().to_u64().leading_zeros() as u64).into();
    }
    fn connect(&mut self) {
        self.count.connect();
    }
    fn hdl(&self) -> Verilog {
        Verilog::Custom(clz_verilog(6))
    }
}

/// The Verilog body of a `2^levels`-bit count-leading-zeros tree: leaves are bit pairs, each level
/// merges two halves; `count` has `levels + 1` bits.
fn clz_verilog(levels: usize) -> String {
    let mut v = String::new();
    let pairs = 1usize << (levels - 1);
    for i in 0..pairs {
        v += &format!("wire z1_{i} = ~(word[{h}] | word[{l}]);\n", h = 2 * i + 1, l = 2 * i);
        v += &format!("wire c1_{i} = ~word[{h}];\n", h = 2 * i + 1);
    }
    for lvl in 1..levels {
        let groups = pairs >> lvl;
        for i in 0..groups {
            let (hi, lo) = (2 * i + 1, 2 * i);
            v += &format!("wire z{n}_{i} = z{lvl}_{hi} & z{lvl}_{lo};\n", n = lvl + 1);
            v += &format!(
                "wire [{w}:0] c{n}_{i} = z{lvl}_{hi} ? {{1'b1, c{lvl}_{lo}}} : {{1'b0, c{lvl}_{hi}}};\n",
                w = lvl,
                n = lvl + 1
            );
        }
    }
    v += &format!(
        "always @(*) count = z{levels}_0 ? {w}'d{n} : {{1'b0, c{levels}_0}};\n",
        w = levels + 1,
        n = 1usize << levels
    );
    v
}

/// The 32 bits of a 64-bit window starting `pos` bits from its MSB: `(win << pos) >> 32`.
/// Five explicit mux levels.
#[derive(LogicBlock, Default)]
pub struct Funnel64 {
    /// The window; bit 63 is the first bit.
    pub win: Signal<In, Bits<64>>,
    /// Offset from the MSB, 0..=31.
    pub pos: Signal<In, Bits<5>>,
    /// `win[63 - pos -: 32]`.
    pub bits: Signal<Out, Bits<32>>,
}

impl Logic for Funnel64 {
    fn update(&mut self) {
        let w = self.win.val().to_u64();
        let p = self.pos.val().to_u64();
        self.bits.next = ((w << p) >> 32).into();
    }
    fn connect(&mut self) {
        self.bits.connect();
    }
    fn hdl(&self) -> Verilog {
        Verilog::Custom(
            "\
wire [63:0] f16 = pos[4] ? {win[47:0], 16'd0} : win;
wire [63:0] f8 = pos[3] ? {f16[55:0], 8'd0} : f16;
wire [63:0] f4 = pos[2] ? {f8[59:0], 4'd0} : f8;
wire [63:0] f2 = pos[1] ? {f4[61:0], 2'd0} : f4;
always @(*) bits = pos[0] ? f2[62:31] : f2[63:32];
"
            .into(),
        )
    }
}

/// Logical right shift of a 32-bit word by 0..=31. Five explicit mux levels.
#[derive(LogicBlock, Default)]
pub struct Shr32 {
    /// The word.
    pub word: Signal<In, Bits<32>>,
    /// The shift, 0..=31.
    pub amount: Signal<In, Bits<5>>,
    /// `word >> amount`.
    pub shifted: Signal<Out, Bits<32>>,
}

impl Logic for Shr32 {
    fn update(&mut self) {
        self.shifted.next = (self.word.val().to_u64() >> self.amount.val().to_u64()).into();
    }
    fn connect(&mut self) {
        self.shifted.connect();
    }
    fn hdl(&self) -> Verilog {
        Verilog::Custom(
            "\
wire [31:0] r16 = amount[4] ? {16'd0, word[31:16]} : word;
wire [31:0] r8 = amount[3] ? {8'd0, r16[31:8]} : r16;
wire [31:0] r4 = amount[2] ? {4'd0, r8[31:4]} : r8;
wire [31:0] r2 = amount[1] ? {2'd0, r4[31:2]} : r4;
always @(*) shifted = amount[0] ? {1'd0, r2[31:1]} : r2;
"
            .into(),
        )
    }
}

/// Signed 16 x 16 -> 32 multiply of two's complement patterns (`$signed(a) * $signed(b)`), which
/// yosys maps to one iCE40 SB_MAC16 in signed mode. rust-hdl's own multiply is unsigned, and its
/// `Signed` type simulates slowly, hence a leaf.
#[derive(LogicBlock, Default)]
pub struct MulS16 {
    /// Multiplicand (two's complement).
    pub a: Signal<In, Bits<16>>,
    /// Multiplier (two's complement).
    pub b: Signal<In, Bits<16>>,
    /// The product (two's complement).
    pub p: Signal<Out, Bits<32>>,
}

impl Logic for MulS16 {
    fn update(&mut self) {
        let a = self.a.val().to_u16() as i16 as i32;
        let b = self.b.val().to_u16() as i16 as i32;
        self.p.next = ((a * b) as u32 as u64).into();
    }
    fn connect(&mut self) {
        self.p.connect();
    }
    fn hdl(&self) -> Verilog {
        Verilog::Custom("always @(*) p = $signed(a) * $signed(b);\n".into())
    }
}

/// Arithmetic right shift of a 32-bit two's complement word by 0..=31. Five explicit mux levels.
#[derive(LogicBlock, Default)]
pub struct Sar32 {
    /// The word.
    pub word: Signal<In, Bits<32>>,
    /// The shift, 0..=31.
    pub amount: Signal<In, Bits<5>>,
    /// `word >>> amount` (sign-filled).
    pub shifted: Signal<Out, Bits<32>>,
}

impl Logic for Sar32 {
    fn update(&mut self) {
        let w = self.word.val().to_u32() as i32;
        self.shifted.next = ((w >> self.amount.val().to_u32()) as u32 as u64).into();
    }
    fn connect(&mut self) {
        self.shifted.connect();
    }
    fn hdl(&self) -> Verilog {
        Verilog::Custom(
            "\
wire sg = word[31];
wire [31:0] a16 = amount[4] ? {{16{sg}}, word[31:16]} : word;
wire [31:0] a8 = amount[3] ? {{8{sg}}, a16[31:8]} : a16;
wire [31:0] a4 = amount[2] ? {{4{sg}}, a8[31:4]} : a8;
wire [31:0] a2 = amount[1] ? {{2{sg}}, a4[31:2]} : a4;
always @(*) shifted = amount[0] ? {sg, a2[31:1]} : a2;
"
            .into(),
        )
    }
}

/// Signed 16 x signed 8 -> 32 multiply in two pipeline stages: `p` is `$signed(a) * $signed(b)`
/// of the operands presented two enabled clocks earlier (`enable` low holds both stages).
///
/// For a lane whose weight x activation product must run faster than one combinational
/// multiplier allows. Its Verilog has two bodies with the same behaviour, chosen by the macro
/// [`LUT_MUL_DEFINE`] (the flow defines it for boards without DSP blocks):
/// - default (UP5K): operand registers and the product register around one `*`, which yosys
///   maps to one SB_MAC16 with its input and output registers;
/// - `BS_LUT_MUL` (HX8K): stage 1 registers the two 16 x 4 partial products `a * b[3:0]` and
///   `a * $signed(b[7:4])`, stage 2 adds them. The one-stage LUT multiplier (operands registered)
///   measured 14.3 ns on the HX8K (69 MHz; docs/notes/bitstreams.md).
#[derive(LogicBlock, Default)]
pub struct MulS16x8Pipe {
    /// Clock.
    pub clock: Signal<In, Clock>,
    /// Advance the pipeline.
    pub enable: Signal<In, Bit>,
    /// Multiplicand (two's complement).
    pub a: Signal<In, Bits<16>>,
    /// Multiplier (two's complement).
    pub b: Signal<In, Bits<8>>,
    /// The product of the operands two enabled clocks ago (two's complement).
    pub p: Signal<Out, Bits<32>>,
    /// Operands in stage 1 (simulation).
    _stage1: (i32, i32),
}

/// The Verilog macro that selects [`MulS16x8Pipe`]'s LUT body (`read_verilog -DBS_LUT_MUL`).
pub const LUT_MUL_DEFINE: &str = "BS_LUT_MUL";

impl Logic for MulS16x8Pipe {
    fn update(&mut self) {
        if self.clock.pos_edge() && self.enable.val() {
            let (a, b) = self._stage1;
            self.p.next = ((a * b) as u32 as u64).into();
            self._stage1 = (self.a.val().to_u16() as i16 as i32, self.b.val().to_u8() as i8 as i32);
        }
    }
    fn connect(&mut self) {
        self.p.connect();
    }
    fn hdl(&self) -> Verilog {
        Verilog::Custom(
            "\
`ifdef BS_LUT_MUL
reg [19:0] pl;
reg [19:0] ph;
wire [31:0] pl_x = {{12{pl[19]}}, pl};
wire [31:0] ph_x = {{8{ph[19]}}, ph, 4'd0};
always @(posedge clock) begin
   if (enable) begin
      pl <= $signed(a) * $signed({1'b0, b[3:0]});
      ph <= $signed(a) * $signed(b[7:4]);
      p <= pl_x + ph_x;
   end
end
`else
reg [15:0] a_q;
reg [7:0] b_q;
always @(posedge clock) begin
   if (enable) begin
      a_q <= a;
      b_q <= b;
      p <= $signed(a_q) * $signed(b_q);
   end
end
`endif
"
            .into(),
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::{Rng, SeedableRng};

    /// Both Verilog bodies of [`MulS16x8Pipe`] give, clock by clock in iverilog, what its Rust
    /// model gives (random operands, random enable, the extreme values included); the default one
    /// maps to one SB_MAC16 holding all its registers.
    #[test]
    fn pipelined_multiplier_matches_its_model_in_iverilog() {
        if !crate::verify::have("iverilog") {
            eprintln!("iverilog not installed: skipped");
            return;
        }
        let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(7);
        let n = 400;
        let ops: Vec<(u16, u8, bool)> = (0..n)
            .map(|i| match i {
                0..=3 => ([0x8000, 0x8000, 0x7FFF, 0x7FFF][i], [0x80, 0x7F, 0x80, 0x7F][i], true),
                _ => (rng.random(), rng.random(), rng.random_bool(0.8)),
            })
            .collect();
        for dsp in [true, false] {
            let mut uut = MulS16x8Pipe::default();
            uut.connect_all();
            let name = if dsp { "bs_mulpipe_dsp" } else { "bs_mulpipe_lut" };
            let v = crate::verify::named_verilog(&uut, name).unwrap();
            // the model, clock by clock
            let mut want = Vec::new();
            for &(a, b, en) in &ops {
                uut.a.next = (a as u64).into();
                uut.b.next = (b as u64).into();
                uut.enable.next = en;
                uut.clock.next = false.into();
                assert!(simulate(&mut uut, 10));
                uut.clock.next = true.into();
                assert!(simulate(&mut uut, 10));
                want.push(uut.p.val().to_u32());
            }
            let mut tb = format!(
                "module tb; reg clock = 0; reg enable; reg [15:0] a; reg [7:0] b; wire [31:0] p;\n\
                 {name} m(.clock(clock), .enable(enable), .a(a), .b(b), .p(p));\n\
                 initial begin\n"
            );
            for &(a, b, en) in &ops {
                tb += &format!(
                    "a = 16'h{a:04x}; b = 8'h{b:02x}; enable = {}; #5 clock = 1; #5 clock = 0; $display(\"%h\", p);\n",
                    en as u8
                );
            }
            tb += "$finish; end\nendmodule\n";
            let dir = std::env::temp_dir().join(format!("bs-mulpipe-{}-{name}", std::process::id()));
            std::fs::create_dir_all(&dir).unwrap();
            std::fs::write(dir.join("t.v"), format!("{v}\n{tb}")).unwrap();
            let define = if dsp {
                "-DBS_DSP_MUL".to_string()
            } else {
                format!("-D{LUT_MUL_DEFINE}")
            };
            let c = std::process::Command::new("iverilog")
                .args(["-o", "sim", &define, "t.v"])
                .current_dir(&dir)
                .output()
                .unwrap();
            assert!(c.status.success(), "{}", String::from_utf8_lossy(&c.stderr));
            let r = std::process::Command::new("vvp")
                .arg("sim")
                .current_dir(&dir)
                .output()
                .unwrap();
            let _ = std::fs::remove_dir_all(&dir);
            let got: Vec<String> = String::from_utf8_lossy(&r.stdout)
                .lines()
                .filter(|l| !l.is_empty() && !l.contains("finish"))
                .map(str::to_string)
                .collect();
            // the first output is the power-on product register (x in Verilog): skipped
            assert_eq!(got.len(), n, "{name}");
            for (i, (g, w)) in got.iter().zip(&want).enumerate().skip(1) {
                assert_eq!(
                    g,
                    &format!("{w:08x}"),
                    "{name}: clock {i}, ops {:?}",
                    &ops[i.saturating_sub(2)..=i]
                );
            }
            // the model's first products are those of the extreme operands, one clock each
            assert_eq!(
                want[1..4],
                [4_194_304, (-32768i32 * 127) as u32, (32767i32 * -128) as u32]
            );
            if crate::verify::have("yosys") {
                let v = if dsp {
                    v
                } else {
                    format!("`define {LUT_MUL_DEFINE}\n{v}")
                };
                let r = crate::verify::yosys_synth_ice40(&v, name).unwrap();
                if dsp {
                    // operand and product registers inside the SB_MAC16 (one LUT drives a constant)
                    assert_eq!(r.cells("SB_MAC16"), 1, "{}", r.stat);
                    let ffs: usize = ["SB_DFF", "SB_DFFE", "SB_DFFSR", "SB_DFFESR"]
                        .iter()
                        .map(|c| r.cells(c))
                        .sum();
                    assert_eq!(ffs, 0, "{}", r.stat);
                    assert!(r.cells("SB_LUT4") <= 1, "{}", r.stat);
                } else {
                    // (with -dsp yosys still maps the two 16 x 4 products to SB_MAC16s; the flow
                    // defines BS_LUT_MUL only for boards without them) the stage-2 adder in LUTs
                    assert!(r.cells("SB_CARRY") >= 20, "{}", r.stat);
                }
            }
        }
    }
}
