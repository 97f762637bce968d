//! The decoders' shared test bench: [`run_decoder`] runs a block with the decoder ports in
//! rust-hdl's simulator on a stream, with a stall pattern, and returns what it emitted; the
//! helpers build configurations and random index sequences and expand events back to indices.
//! Used by the tests of [`super`], [`super::pipelined`] and [`super::serial`].
use super::{DecodeConfig, Event};
use rand::Rng;
use rand_chacha::ChaCha8Rng;

/// Runs a decoder block (`$block`, a rust-hdl block with the decoders' ports) on `words`
/// with a stall pattern; returns events, fault and the clocks from `start` to the last event
/// (or the error). A macro, as the decoders' ports are fields of each block.
macro_rules! run_decoder {
    ($block:expr, $words:expr, $cfg:expr, $stall:expr) => {{
        use rust_hdl::prelude::*;
        use $crate::decoder::{DecodeFault, Event};
        use $crate::regmap::ErrorCode;
        let words: &[u32] = $words;
        let cfg: &$crate::decoder::DecodeConfig = $cfg;
        let stall = $stall;
        let mut uut = $block;
        uut.connect_all();
        uut.k.next = (cfg.k as u64).into();
        uut.zero_skip.next = cfg.zero_skip;
        uut.cols.next = (cfg.cols as u64).into();
        uut.rows.next = (cfg.rows as u64).into();
        uut.stream_len.next = (cfg.stream_len as u64).into();
        uut.vmap_len.next = (cfg.vmap_len as u64).into();
        let mut events = Vec::new();
        let mut last_event_cycle = 0u64;
        let budget = 64 + 40 * (cfg.rows as u64 * cfg.cols as u64 + cfg.stream_len as u64);
        let mut result = None;
        for cycle in 0..budget {
            uut.start.next = cycle == 0;
            uut.enable.next = !stall(cycle);
            uut.clock.next = false.into();
            assert!(simulate(&mut uut, 200), "did not settle");
            if cycle > 0 && uut.out_valid.val() && uut.enable.val() {
                events.push(Event {
                    skip: uut.out_skip.val().index() as u32,
                    index: uut.out_index.val().index() as u32,
                    col: uut.out_col.val().index() as u32,
                    last: uut.out_last.val(),
                });
                last_event_cycle = cycle;
            }
            if cycle > 0 && uut.error.val() {
                let fault = DecodeFault {
                    code: ErrorCode::from_bits(uut.err_code.val().index() as u32).expect("known code"),
                    row: uut.err_row.val().index() as u32,
                    col: uut.err_col.val().index() as u32,
                };
                result = Some((std::mem::take(&mut events), Some(fault), cycle));
                break;
            }
            if cycle > 2 && !uut.busy.val() && !uut.out_valid.val() {
                result = Some((std::mem::take(&mut events), None, last_event_cycle));
                break;
            }
            let addr = uut.mem_addr.val().index();
            uut.clock.next = true.into();
            assert!(simulate(&mut uut, 200), "did not settle");
            uut.mem_data.next = (*words.get(addr).unwrap_or(&0) as u64).into();
        }
        let r: (Vec<Event>, Option<DecodeFault>, u64) =
            result.unwrap_or_else(|| panic!("decoder did not finish within {budget} clocks"));
        r
    }};
}
pub(crate) use run_decoder;
pub(crate) use run_decoder;

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
