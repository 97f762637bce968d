//! The decoder of a lane, chosen when the accelerator is built: the pipelined
//! [`EgDecoder`] (one codeword per clock, zero-run skipping) or the bit-serial
//! [`EgSerialDecoder`] (one bit per clock, small and fast-clocked).
//!
//! [`LaneDecoder`] has the decoders' common ports and holds `NF` pipelined and `NS` bit-serial
//! decoders, exactly one of them (`NF + NS == 1`, checked in `new`): the arrays let the choice be
//! a type parameter, so the generated Verilog contains only the chosen decoder.
use super::{EgDecoder, EgSerialDecoder, LEN_BITS};
pub use crate::regmap::DecoderKind;
use crate::HdlError;
use rust_hdl::prelude::*;

/// A lane's decoder: `NF` (0 or 1) pipelined and `NS` (1 - NF) bit-serial decoders behind the
/// ports they share (documented on [`EgDecoder`]).
#[derive(LogicBlock)]
pub struct LaneDecoder<const NF: usize, const NS: usize> {
    pub clock: Signal<In, Clock>,
    pub start: Signal<In, Bit>,
    pub abort: Signal<In, Bit>,
    pub enable: Signal<In, Bit>,
    pub k: Signal<In, Bits<3>>,
    pub zero_skip: Signal<In, Bit>,
    pub cols: Signal<In, Bits<9>>,
    pub rows: Signal<In, Bits<9>>,
    pub stream_len: Signal<In, Bits<LEN_BITS>>,
    pub vmap_len: Signal<In, Bits<LEN_BITS>>,
    pub mem_addr: Signal<Out, Bits<12>>,
    pub mem_data: Signal<In, Bits<32>>,
    pub out_valid: Signal<Out, Bit>,
    pub out_index: Signal<Out, Bits<16>>,
    pub out_col: Signal<Out, Bits<8>>,
    pub out_last: Signal<Out, Bit>,
    pub out_skip: Signal<Out, Bits<4>>,
    pub busy: Signal<Out, Bit>,
    pub error: Signal<Out, Bit>,
    pub err_code: Signal<Out, Bits<4>>,
    pub err_row: Signal<Out, Bits<8>>,
    pub err_col: Signal<Out, Bits<8>>,
    pipelined: [EgDecoder; NF],
    serial: [EgSerialDecoder; NS],
}

impl<const NF: usize, const NS: usize> LaneDecoder<NF, NS> {
    /// Checks that `NF + NS` is 1.
    pub fn check() -> Result<(), HdlError> {
        if NF + NS != 1 {
            return Err(HdlError::Decoder(format!(
                "{NF} pipelined + {NS} serial decoders per lane"
            )));
        }
        Ok(())
    }

    /// The decoder; `NF + NS` must be 1.
    pub fn new() -> Result<Self, HdlError> {
        Self::check()?;
        Ok(LaneDecoder {
            clock: Default::default(),
            start: Default::default(),
            abort: Default::default(),
            enable: Default::default(),
            k: Default::default(),
            zero_skip: Default::default(),
            cols: Default::default(),
            rows: Default::default(),
            stream_len: Default::default(),
            vmap_len: Default::default(),
            mem_addr: Default::default(),
            mem_data: Default::default(),
            out_valid: Default::default(),
            out_index: Default::default(),
            out_col: Default::default(),
            out_last: Default::default(),
            out_skip: Default::default(),
            busy: Default::default(),
            error: Default::default(),
            err_code: Default::default(),
            err_row: Default::default(),
            err_col: Default::default(),
            pipelined: std::array::from_fn(|_| EgDecoder::new()),
            serial: std::array::from_fn(|_| EgSerialDecoder::new()),
        })
    }

    /// Which decoder this is.
    pub fn kind() -> DecoderKind {
        if NS == 1 {
            DecoderKind::Serial
        } else {
            DecoderKind::Pipelined
        }
    }
}

impl<const NF: usize, const NS: usize> Logic for LaneDecoder<NF, NS> {
    #[hdl_gen]
    fn update(&mut self) {
        self.mem_addr.next = 0.into();
        self.out_valid.next = false;
        self.out_index.next = 0.into();
        self.out_col.next = 0.into();
        self.out_last.next = false;
        self.out_skip.next = 0.into();
        self.busy.next = false;
        self.error.next = false;
        self.err_code.next = 0.into();
        self.err_row.next = 0.into();
        self.err_col.next = 0.into();
        for i in 0..NF {
            self.pipelined[i].clock.next = self.clock.val();
            self.pipelined[i].start.next = self.start.val();
            self.pipelined[i].abort.next = self.abort.val();
            self.pipelined[i].enable.next = self.enable.val();
            self.pipelined[i].k.next = self.k.val();
            self.pipelined[i].zero_skip.next = self.zero_skip.val();
            self.pipelined[i].cols.next = self.cols.val();
            self.pipelined[i].rows.next = self.rows.val();
            self.pipelined[i].stream_len.next = self.stream_len.val();
            self.pipelined[i].vmap_len.next = self.vmap_len.val();
            self.pipelined[i].mem_data.next = self.mem_data.val();
            self.mem_addr.next = self.pipelined[i].mem_addr.val();
            self.out_valid.next = self.pipelined[i].out_valid.val();
            self.out_index.next = self.pipelined[i].out_index.val();
            self.out_col.next = self.pipelined[i].out_col.val();
            self.out_last.next = self.pipelined[i].out_last.val();
            self.out_skip.next = self.pipelined[i].out_skip.val();
            self.busy.next = self.pipelined[i].busy.val();
            self.error.next = self.pipelined[i].error.val();
            self.err_code.next = self.pipelined[i].err_code.val();
            self.err_row.next = self.pipelined[i].err_row.val();
            self.err_col.next = self.pipelined[i].err_col.val();
        }
        for i in 0..NS {
            self.serial[i].clock.next = self.clock.val();
            self.serial[i].start.next = self.start.val();
            self.serial[i].abort.next = self.abort.val();
            self.serial[i].enable.next = self.enable.val();
            self.serial[i].k.next = self.k.val();
            self.serial[i].zero_skip.next = self.zero_skip.val();
            self.serial[i].cols.next = self.cols.val();
            self.serial[i].rows.next = self.rows.val();
            self.serial[i].stream_len.next = self.stream_len.val();
            self.serial[i].vmap_len.next = self.vmap_len.val();
            self.serial[i].mem_data.next = self.mem_data.val();
            self.mem_addr.next = self.serial[i].mem_addr.val();
            self.out_valid.next = self.serial[i].out_valid.val();
            self.out_index.next = self.serial[i].out_index.val();
            self.out_col.next = self.serial[i].out_col.val();
            self.out_last.next = self.serial[i].out_last.val();
            self.out_skip.next = self.serial[i].out_skip.val();
            self.busy.next = self.serial[i].busy.val();
            self.error.next = self.serial[i].error.val();
            self.err_code.next = self.serial[i].err_code.val();
            self.err_row.next = self.serial[i].err_row.val();
            self.err_col.next = self.serial[i].err_col.val();
        }
    }
}
