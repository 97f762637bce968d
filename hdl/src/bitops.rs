//! Combinational leaf blocks written as explicit log-depth trees: count leading zeros (32 and 64
//! bits), the 64-to-32 funnel shifter and a 32-bit right shifter.
//!
//! rust-hdl unrolls loops into priority chains (a loop-built CLZ became a 32-deep if-chain, see
//! DESIGN.md), so these three blocks carry hand-written Verilog in the shape we want in hardware
//! (like rust-hdl's own `DFF` and `RAM`), plus a plain Rust `update()` for rust-hdl's simulator. The
//! two are checked against each other in `tests/verilog.rs` (iverilog, when installed).

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
