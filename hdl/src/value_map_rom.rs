//! Value-map ROM: value-map index -> signed 16-bit weight.
//!
//! A `2^VAW x 16` block RAM ([`BlockRam`], which yosys maps to iCE40 `SB_RAM40_4K`: 256 x 16 per
//! EBR) with a synchronous read port for the datapath and a write port for the host, so one
//! bitstream or one Verilated model runs any model. It can also be initialised from a golden value
//! map ([`ValueMapRom::with_values`]), e.g. for a bitstream with a fixed model.
//!
//! [`BlockRam`] is rust-hdl's `RAM` with read/write collisions declared impossible to yosys: the
//! value map (and any memory written only while the datapath ignores its reads) needs no bypass
//! logic around the block RAM.
use crate::HdlError;
use rust_hdl::prelude::*;
use std::collections::BTreeMap;

/// A simple dual-port RAM (one synchronous read port, one write port) that maps to iCE40 block
/// RAM: rust-hdl's `RAM` with the same ports, behaviour and initial contents, whose memory
/// carries yosys' `no_rw_check` attribute. Without it yosys keeps `RAM`'s read-old-data result
/// of a read and a write of the same address in one clock with a registered address compare
/// and a multiplexer on the read data, in LUTs around every block RAM: on the UP5K P = 4 board
/// build that is ~420 logic cells and the worst paths into the memories' read side
/// (docs/notes/bitstreams.md). Use it where a collision cannot happen or its
/// read result is never used; simulators ignore the attribute (a collision reads the old word,
/// as with `RAM`), the hardware may then return either word.
#[derive(LogicBlock, Default)]
pub struct BlockRam<D: Synth, const N: usize> {
    /// Read address, sampled at the read clock's edge.
    pub read_address: Signal<In, Bits<N>>,
    /// Read clock.
    pub read_clock: Signal<In, Clock>,
    /// The word at the address sampled at the previous edge.
    pub read_data: Signal<Out, D>,
    /// Write address.
    pub write_address: Signal<In, Bits<N>>,
    /// Write clock.
    pub write_clock: Signal<In, Clock>,
    /// Word to write.
    pub write_data: Signal<In, D>,
    /// Write strobe.
    pub write_enable: Signal<In, bool>,
    _sim: BTreeMap<Bits<N>, D>,
}

impl<D: Synth, const N: usize> BlockRam<D, N> {
    /// A RAM holding `values` (other words 0).
    pub fn new(values: BTreeMap<Bits<N>, D>) -> Self {
        Self {
            _sim: values,
            ..Default::default()
        }
    }
}

impl<D: Synth, const N: usize> Logic for BlockRam<D, N> {
    fn update(&mut self) {
        if self.read_clock.pos_edge() {
            self.read_data.next = *self._sim.get(&self.read_address.val()).unwrap_or(&D::default());
        }
        if self.write_clock.pos_edge() && self.write_enable.val() {
            self._sim.insert(self.write_address.val(), self.write_data.val());
        }
    }

    fn connect(&mut self) {
        self.read_data.connect();
    }

    fn hdl(&self) -> Verilog {
        let init = if self._sim.is_empty() {
            String::new()
        } else {
            let words: Vec<String> = self
                ._sim
                .iter()
                .map(|(a, d)| format!("mem[{}] = {}", a.verilog(), d.verilog()))
                .collect();
            format!("initial begin\n{};\nend\n", words.join(";\n"))
        };
        Verilog::Custom(format!(
            "\
(* no_rw_check *) reg [{top}:0] mem [{last}:0];
{init}
always @(posedge read_clock) begin
   read_data <= mem[read_address];
end

always @(posedge write_clock) begin
   if (write_enable) begin
      mem[write_address] <= write_data;
   end
end
",
            top = D::BITS - 1,
            last = (1usize << N) - 1,
        ))
    }
}

/// The value map of one lane. `VAW`: log2 of the entries (4..=12).
#[derive(LogicBlock)]
pub struct ValueMapRom<const VAW: usize> {
    /// Clock of both ports.
    pub clock: Signal<In, Clock>,
    /// Read index (sampled at the clock edge).
    pub read_index: Signal<In, Bits<VAW>>,
    /// The weight at the index sampled at the previous edge, two's complement.
    pub weight: Signal<Out, Bits<16>>,
    /// Host write strobe.
    pub write_enable: Signal<In, Bit>,
    /// Host write index.
    pub write_index: Signal<In, Bits<VAW>>,
    /// Host write value (two's complement).
    pub write_weight: Signal<In, Bits<16>>,
    /// Written by the host only while the lanes are idle, so a collision's read is never used.
    ram: BlockRam<Bits<16>, VAW>,
}

impl<const VAW: usize> ValueMapRom<VAW> {
    /// An uninitialised value map (the host writes it).
    pub fn new() -> Result<Self, HdlError> {
        Self::with_values(&[])
    }

    /// A value map holding `values` at indices `0..values.len()`.
    pub fn with_values(values: &[i32]) -> Result<Self, HdlError> {
        if !(4..=12).contains(&VAW) {
            return Err(HdlError::Sizes(format!(
                "value-map address width {VAW} is outside 4..=12"
            )));
        }
        if values.len() > 1 << VAW {
            return Err(HdlError::ValueMapTooLarge {
                entries: values.len(),
                capacity: 1 << VAW,
            });
        }
        let mut init = BTreeMap::new();
        for (i, &v) in values.iter().enumerate() {
            if v < i16::MIN as i32 || v > i16::MAX as i32 {
                return Err(HdlError::WeightRange { index: i, value: v });
            }
            init.insert(Bits::<VAW>::from(i as u64), Bits::<16>::from((v as u16) as u64));
        }
        Ok(ValueMapRom {
            clock: Default::default(),
            read_index: Default::default(),
            weight: Default::default(),
            write_enable: Default::default(),
            write_index: Default::default(),
            write_weight: Default::default(),
            ram: BlockRam::new(init),
        })
    }
}

impl<const VAW: usize> Logic for ValueMapRom<VAW> {
    #[hdl_gen]
    fn update(&mut self) {
        self.ram.read_clock.next = self.clock.val();
        self.ram.write_clock.next = self.clock.val();
        self.ram.read_address.next = self.read_index.val();
        self.weight.next = self.ram.read_data.val();
        self.ram.write_address.next = self.write_index.val();
        self.ram.write_data.next = self.write_weight.val();
        self.ram.write_enable.next = self.write_enable.val();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tick<const V: usize>(uut: &mut ValueMapRom<V>) {
        uut.clock.next = true.into();
        assert!(simulate(uut, 50));
        uut.clock.next = false.into();
        assert!(simulate(uut, 50));
    }

    #[test]
    fn initial_values_and_host_writes_read_back_signed() {
        let map = golden::valuemap::ValueMap::from_values(vec![0, -3, 7, -32768, 32767]).unwrap();
        let mut uut = ValueMapRom::<8>::with_values(map.values()).unwrap();
        uut.connect_all();
        for (i, &v) in map.values().iter().enumerate() {
            uut.read_index.next = (i as u64).into();
            tick(&mut uut);
            assert_eq!(uut.weight.val().to_u16() as i16 as i32, v);
        }
        uut.write_enable.next = true;
        uut.write_index.next = 200.into();
        uut.write_weight.next = ((-1234i16) as u16 as u64).into();
        tick(&mut uut);
        uut.write_enable.next = false;
        uut.read_index.next = 200.into();
        tick(&mut uut);
        assert_eq!(uut.weight.val().to_u16() as i16, -1234);
    }

    #[test]
    fn rejects_bad_parameters() {
        assert!(matches!(
            ValueMapRom::<4>::with_values(&[0; 17]),
            Err(HdlError::ValueMapTooLarge { .. })
        ));
        assert!(matches!(
            ValueMapRom::<8>::with_values(&[40000]),
            Err(HdlError::WeightRange { .. })
        ));
        assert!(matches!(ValueMapRom::<13>::new(), Err(HdlError::Sizes(_))));
    }

    #[test]
    fn synthesises_to_block_ram() {
        if !crate::verify::have("yosys") {
            eprintln!("yosys not installed: skipped");
            return;
        }
        let mut uut = ValueMapRom::<10>::new().unwrap();
        uut.connect_all();
        let v = crate::verify::named_verilog(&uut, "bs_vmap_test").unwrap();
        let report = crate::verify::yosys_synth_ice40(&v, "bs_vmap_test").unwrap();
        assert_eq!(report.cells("SB_RAM40_4K"), 4, "1024 x 16 = 4 EBR:\n{}", report.stat);
    }

    /// `BlockRam` synthesises to the block RAM alone; rust-hdl's `RAM` of the same shape, with
    /// both ports on one clock, needs flip-flops and LUTs beside it for its read-during-write
    /// result.
    #[test]
    fn block_ram_needs_no_bypass_logic() {
        if !crate::verify::have("yosys") {
            eprintln!("yosys not installed: skipped");
            return;
        }
        // Both ports on one clock (as in the lanes): only then can a read meet a write.
        let one_clock = |module: &str| {
            format!(
                "module wrap_{module}(input clk, input [7:0] ra, input [7:0] wa, input [15:0] wd, input we, output [15:0] rd);
    {module} m(.read_address(ra), .read_clock(clk), .read_data(rd), .write_address(wa), .write_clock(clk),
        .write_data(wd), .write_enable(we));
endmodule
"
            )
        };
        let logic = |r: &crate::verify::SynthReport| {
            ["SB_LUT4", "SB_DFF", "SB_DFFE", "SB_DFFSR", "SB_DFFESR"]
                .iter()
                .map(|c| r.cells(c))
                .sum::<usize>()
        };
        let mut ours = BlockRam::<Bits<16>, 8>::default();
        ours.connect_all();
        let v = crate::verify::named_verilog(&ours, "bs_bram_test").unwrap();
        assert!(v.contains("(* no_rw_check *)"));
        let ours = crate::verify::yosys_synth_ice40(&(v + &one_clock("bs_bram_test")), "wrap_bs_bram_test").unwrap();
        assert_eq!(ours.cells("SB_RAM40_4K"), 1, "{}", ours.stat);
        assert!(logic(&ours) <= 1, "{}", ours.stat);
        let mut plain = RAM::<Bits<16>, 8>::default();
        plain.connect_all();
        let v = crate::verify::named_verilog(&plain, "bs_ram_test").unwrap();
        let plain = crate::verify::yosys_synth_ice40(&(v + &one_clock("bs_ram_test")), "wrap_bs_ram_test").unwrap();
        assert_eq!(plain.cells("SB_RAM40_4K"), 1, "{}", plain.stat);
        assert!(logic(&plain) > 8, "{}", plain.stat);
    }
}
