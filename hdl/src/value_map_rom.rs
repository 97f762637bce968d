//! Value-map ROM: value-map index -> signed 16-bit weight.
//!
//! A `2^VAW x 16` block RAM (rust-hdl `RAM`, which yosys maps to iCE40 `SB_RAM40_4K`: 256 x 16 per
//! EBR) with a synchronous read port for the datapath and a write port for the host, so one
//! bitstream or one Verilated model runs any model. It can also be initialised from a golden value
//! map ([`ValueMapRom::with_values`]), e.g. for a bitstream with a fixed model.
use crate::HdlError;
use rust_hdl::prelude::*;
use std::collections::BTreeMap;

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
    ram: RAM<Bits<16>, VAW>,
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
            ram: RAM::new(init),
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
}
