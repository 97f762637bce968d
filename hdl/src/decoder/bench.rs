//! The decoders' shared test bench: [`run_decoder`] runs any block with the decoder ports
//! ([`DecoderIo`] and a clock) in rust-hdl's simulator on a stream, with a stall pattern, and
//! returns what it emitted; the helpers build configurations and random index sequences and
//! expand events back to indices. Used by the tests of [`super`], [`super::pipelined`], [`super::serial`]
//! and [`super::lane`].
use super::{DecodeConfig, DecodeFault, DecoderIo, EgDecoder, EgSerialDecoder, Event, LaneDecoder};
use crate::regmap::ErrorCode;
pub(crate) use golden::layout::words_from_bytes;
use rand::Rng;
use rand_chacha::ChaCha8Rng;
use rust_hdl::prelude::*;

/// A block the bench can drive: a decoder's clock and ports.
pub(crate) trait DecoderBlock: Block {
    fn clock(&mut self) -> &mut Signal<In, Clock>;
    fn io(&mut self) -> &mut DecoderIo;
}

macro_rules! decoder_block {
    ($($t:ty $(, const $c:ident)*);+) => {$(
        impl<$(const $c: usize),*> DecoderBlock for $t {
            fn clock(&mut self) -> &mut Signal<In, Clock> {
                &mut self.clock
            }
            fn io(&mut self) -> &mut DecoderIo {
                &mut self.io
            }
        }
    )+};
}
decoder_block!(EgDecoder; EgSerialDecoder; LaneDecoder<NF, NS>, const NF, const NS);

/// Runs the decoder `uut` on `words` (`cfg` on its inputs, `start` in clock 0, `enable` low in
/// the clocks where `stall` is true, the memory answering `mem_addr` a clock later); returns the
/// events, the fault and the clocks from `start` to the last event (or to the error).
pub(crate) fn run_decoder<B: DecoderBlock>(
    mut uut: B,
    words: &[u32],
    cfg: &DecodeConfig,
    stall: impl Fn(u64) -> bool,
) -> (Vec<Event>, Option<DecodeFault>, u64) {
    uut.connect_all();
    {
        let io = uut.io();
        io.k.next = (cfg.k as u64).into();
        io.zero_skip.next = cfg.zero_skip;
        io.cols.next = (cfg.cols as u64).into();
        io.rows.next = (cfg.rows as u64).into();
        io.stream_len.next = (cfg.stream_len as u64).into();
        io.vmap_len.next = (cfg.vmap_len as u64).into();
    }
    let mut events = Vec::new();
    let mut last_event_cycle = 0u64;
    let budget = 64 + 40 * (cfg.rows as u64 * cfg.cols as u64 + cfg.stream_len as u64);
    for cycle in 0..budget {
        uut.io().start.next = cycle == 0;
        uut.io().enable.next = !stall(cycle);
        uut.clock().next = false.into();
        assert!(simulate(&mut uut, 200), "did not settle");
        let io = uut.io();
        if cycle > 0 && io.out_valid.val() && io.enable.val() {
            events.push(Event {
                skip: io.out_skip.val().index() as u32,
                index: io.out_index.val().index() as u32,
                col: io.out_col.val().index() as u32,
                last: io.out_last.val(),
            });
            last_event_cycle = cycle;
        }
        if cycle > 0 && io.error.val() {
            let fault = DecodeFault {
                code: ErrorCode::from_bits(io.err_code.val().index() as u32).expect("known code"),
                row: io.err_row.val().index() as u32,
                col: io.err_col.val().index() as u32,
            };
            return (events, Some(fault), cycle);
        }
        if cycle > 2 && !io.busy.val() && !io.out_valid.val() {
            return (events, None, last_event_cycle);
        }
        let addr = io.mem_addr.val().index();
        uut.clock().next = true.into();
        assert!(simulate(&mut uut, 200), "did not settle");
        uut.io().mem_data.next = (*words.get(addr).unwrap_or(&0) as u64).into();
    }
    panic!("decoder did not finish within {budget} clocks")
}

/// The configuration of `rows x cols` codewords of order `k` in all of `words`, every index in
/// range.
pub(crate) fn cfg_for(words: &[u32], k: u32, zero_skip: bool, rows: u32, cols: u32) -> DecodeConfig {
    DecodeConfig {
        k,
        zero_skip,
        cols,
        rows,
        stream_len: words.len() as u32,
        vmap_len: 4096,
    }
}

/// Expands events (with their skipped zeros) back to the index sequence.
pub(crate) fn expand(events: &[Event]) -> Vec<u32> {
    events
        .iter()
        .flat_map(|e| std::iter::repeat_n(0, e.skip as usize).chain([e.index]))
        .collect()
}

/// `n` indices, each 0 with probability `zero_frac`, else uniform in `1..=max`.
pub(crate) fn random_indices(rng: &mut ChaCha8Rng, n: usize, zero_frac: f64, max: u32) -> Vec<u32> {
    (0..n)
        .map(|_| {
            if rng.random_bool(zero_frac) {
                0
            } else {
                rng.random_range(1..=max)
            }
        })
        .collect()
}
