//! Resource and latency estimate of the accelerator before synthesis.
//!
//! Resources: a model per block. Memories are counted from their shapes (an iCE40 EBR holds
//! 4096 bits, at most 16 bits wide at 256 deep, 8 at 512, 4 at 1024, 2 at 2048); DSPs are one
//! SB_MAC16 per lane on devices with DSPs (yosys `-dsp` maps the 16 x 8 product); logic cells and
//! flip-flops per block are constants measured once with yosys/nextpnr on the real blocks (the
//! commands are in docs/bitstreams.md, where the estimate is compared with real reports).
//!
//! Both lane decoders are modelled ([`DecoderKind`]): the pipelined lane ([`LANE_LC`], ...) and the
//! bit-serial lane ([`SERIAL_LANE_LC`], ...), each with its own shared part (the two calibrations).
//!
//! Latency: rows go to lane `r mod P`; the slowest lane sets the layer's time, plus the pipeline
//! fill and drain. Pipelined decoder: one decoded codeword per lane per clock; with zero-run
//! skipping up to [`SKIP_MAX`](hdl::regmap::SKIP_MAX) zero weights in front of a codeword cost
//! nothing (never across a row end); plus [`PIPELINE_CLOCKS`]. Serial decoder: one stream bit per
//! clock, so a lane's clocks are the EG(k) codeword lengths of its weights' value-map indices
//! summed (zeros included: it has no zero-run skipping), plus [`SERIAL_PIPELINE_CLOCKS`].

use crate::Board;
use golden::expgolomb;
use hdl::regmap::{DecoderKind, MemSizes, SKIP_MAX};
use serde::Serialize;
use std::fmt::Write as _;

/// One block's resources (for `count` instances together).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct BlockEstimate {
    /// Block name.
    pub name: String,
    /// Instances.
    pub count: u32,
    /// Logic cells.
    pub lc: u32,
    /// Flip-flops.
    pub ff: u32,
    /// 4 kbit block RAMs.
    pub ebr: u32,
    /// SB_MAC16 DSPs.
    pub dsp: u32,
}

/// The estimate of a build.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ResourceEstimate {
    /// Board.
    pub board: Board,
    /// Lanes.
    pub lanes: usize,
    /// The lanes' decoder.
    #[serde(serialize_with = "decoder_name")]
    pub decoder: DecoderKind,
    /// Per block.
    pub blocks: Vec<BlockEstimate>,
    /// Sum of the blocks.
    pub total: BlockEstimate,
    /// Whether the total fits the device (LC, EBR, DSP).
    pub fits: bool,
}

// Calibration (docs/bitstreams.md, "Estimate"): the per-lane and shared figures are the slope and
// intercept of two placed builds of the UART board top on the UP5K with the pipelined decoder
// (P = 1: LC 3258, FF 1538; P = 2: LC 4928, FF 2155; both at 48 MHz, seed 1; `cargo run --release
// -p bitstreams --example calibrate -- DIR pipelined`), minus the bridge synthesised alone; the HX8K
// multiplier is yosys `synth_ice40` (no -dsp) of `bitops::MulS16x8Pipe`'s LUT body.
// Measured 2026-11-28 on commit 7fe030c, yosys 0.23, nextpnr-ice40 0.4.

/// Logic cells of one lane (decoder, value-map and activation addressing, accumulator, result
/// register) with the multiplier in a DSP.
pub const LANE_LC: u32 = 1670;
/// Flip-flops of one lane.
pub const LANE_FF: u32 = 617;
/// LUT4s of the two-stage signed 16 x 8 multiplier without a DSP (HX8K): 318 SB_LUT4 + 57 SB_CARRY.
pub const MUL_LC: u32 = 318;
/// Its flip-flops (inside the SB_MAC16 on the UP5K).
pub const MUL_FF: u32 = 72;
/// Control, registers, counters and the output stage (bias, requantize, output RAM port).
pub const SHARED_LC: u32 = 1238;
/// Flip-flops of the shared part.
pub const SHARED_FF: u32 = 695;
/// The UART host bridge (receiver, transmitter, CRC, frame FSM): 304 SB_LUT4, 59 SB_CARRY.
pub const BRIDGE_LC: u32 = 350;
/// Flip-flops of the bridge.
pub const BRIDGE_FF: u32 = 226;

// Serial-lane calibration: the same two builds with the serial decoder (`cargo run --release -p
// bitstreams --example calibrate -- DIR serial` runs them and prints these four constants):
// P = 1 at 48 MHz: LC 2180, FF 1251; P = 2 at 48 MHz: LC 2794, FF 1603; seed 1, minus the
// bridge above. Measured 2026-11-28 on commit 7fe030c (session 6: smaller serial decoder and output
// stage), yosys 0.23, nextpnr-ice40 0.4. Each decoder keeps the shared part of its own calibration
// (the two intercepts differ by the packing of the two netlists: on commit 02bb2b1 by 65 LC).

/// Logic cells of one lane with the bit-serial decoder (`hdl::decoder::EgSerialDecoder`), the multiplier in a DSP.
pub const SERIAL_LANE_LC: u32 = 614;
/// Flip-flops of one serial lane.
pub const SERIAL_LANE_FF: u32 = 352;
/// The shared part in the serial builds (the intercept of the serial calibration).
pub const SERIAL_SHARED_LC: u32 = 1216;
/// Its flip-flops.
pub const SERIAL_SHARED_FF: u32 = 673;

/// The per-lane and shared logic of one decoder kind (UP5K, multiplier in a DSP, bridge apart).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LogicConstants {
    /// Logic cells per lane.
    pub lane_lc: u32,
    /// Flip-flops per lane.
    pub lane_ff: u32,
    /// Logic cells of the shared part.
    pub shared_lc: u32,
    /// Flip-flops of the shared part.
    pub shared_ff: u32,
}

impl LogicConstants {
    /// The constants of `decoder`'s lanes.
    pub fn of(decoder: DecoderKind) -> LogicConstants {
        match decoder {
            DecoderKind::Pipelined => LogicConstants {
                lane_lc: LANE_LC,
                lane_ff: LANE_FF,
                shared_lc: SHARED_LC,
                shared_ff: SHARED_FF,
            },
            DecoderKind::Serial => LogicConstants {
                lane_lc: SERIAL_LANE_LC,
                lane_ff: SERIAL_LANE_FF,
                shared_lc: SERIAL_SHARED_LC,
                shared_ff: SERIAL_SHARED_FF,
            },
        }
    }

    /// The calibration: from the placed (LC, FF) of the UART board top with one lane and with two
    /// (same decoder, board and seed), the slope is the lane and the intercept minus the bridge
    /// (`bridge`, synthesised alone) the shared part. None if a count does not grow with the lane
    /// or the intercept is below the bridge.
    pub fn calibrate(p1: (u32, u32), p2: (u32, u32), bridge: (u32, u32)) -> Option<LogicConstants> {
        let lane_lc = p2.0.checked_sub(p1.0)?;
        let lane_ff = p2.1.checked_sub(p1.1)?;
        Some(LogicConstants {
            lane_lc,
            lane_ff,
            shared_lc: p1.0.checked_sub(lane_lc)?.checked_sub(bridge.0)?,
            shared_ff: p1.1.checked_sub(lane_ff)?.checked_sub(bridge.1)?,
        })
    }
}

fn decoder_name<S: serde::Serializer>(d: &DecoderKind, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(d.name())
}

/// Clocks a layer takes beyond its slowest lane's decode clocks with the pipelined decoder: the
/// hardware's per-stage latencies summed ([`hdl::latency`]). Checked against CYCLES of the
/// Verilated P = 1 accelerator (`estimated_cycles_match_the_verilated_accelerator`).
pub const PIPELINE_CLOCKS: u64 = hdl::latency::PIPELINED;

/// EBRs for a `depth x width` memory.
pub fn ebr_for(depth: u32, width: u32) -> u32 {
    // widest EBR configuration for this depth
    let (per_ebr_depth, per_ebr_width) = match depth {
        0..=256 => (256, 16),
        257..=512 => (512, 8),
        513..=1024 => (1024, 4),
        _ => (2048, 2),
    };
    let deep = depth.div_ceil(per_ebr_depth);
    let wide = width.div_ceil(per_ebr_width);
    deep * wide
}

/// Resource estimate of the accelerator with `decoder` lanes (and the UART bridge when
/// `with_bridge`). The memories and DSPs do not depend on the decoder.
pub fn estimate_resources(
    board: Board,
    lanes: usize,
    decoder: DecoderKind,
    sizes: MemSizes,
    with_bridge: bool,
) -> ResourceEstimate {
    let p = lanes as u32;
    let logic = LogicConstants::of(decoder);
    let dsp_per_lane = u32::from(board.has_dsp());
    let (mul_lc, mul_ff) = if board.has_dsp() { (0, 0) } else { (MUL_LC, MUL_FF) };
    let stream_ebr = ebr_for(sizes.stream_words() as u32, 32);
    let vmap_ebr = ebr_for(sizes.vmap_entries() as u32, 16);
    let act_ebr = ebr_for(sizes.max_dim() as u32, 8);
    let mut blocks = vec![
        BlockEstimate {
            name: "lane: stream memory".into(),
            count: p,
            lc: 0,
            ff: 0,
            ebr: p * stream_ebr,
            dsp: 0,
        },
        BlockEstimate {
            name: "lane: value map".into(),
            count: p,
            lc: 0,
            ff: 0,
            ebr: p * vmap_ebr,
            dsp: 0,
        },
        BlockEstimate {
            name: "lane: activations".into(),
            count: p,
            lc: 0,
            ff: 0,
            ebr: p * act_ebr,
            dsp: 0,
        },
        BlockEstimate {
            name: format!("lane: {decoder} decoder + MAC logic"),
            count: p,
            lc: p * (logic.lane_lc + mul_lc),
            ff: p * (logic.lane_ff + mul_ff),
            ebr: 0,
            dsp: p * dsp_per_lane,
        },
        BlockEstimate {
            name: "shared: control + output stage".into(),
            count: 1,
            lc: logic.shared_lc,
            ff: logic.shared_ff,
            // bias, output activations, the value map's non-zero bits (the ZERO_SKIP check)
            ebr: ebr_for(sizes.bias_rows() as u32, 32)
                + ebr_for(sizes.max_dim() as u32, 8)
                + ebr_for(sizes.vmap_entries() as u32, 1),
            dsp: 0,
        },
    ];
    if with_bridge {
        blocks.push(BlockEstimate {
            name: "UART bridge".into(),
            count: 1,
            lc: BRIDGE_LC,
            ff: BRIDGE_FF,
            ebr: 0,
            dsp: 0,
        });
    }
    let total = blocks.iter().fold(
        BlockEstimate {
            name: "total".into(),
            count: 1,
            lc: 0,
            ff: 0,
            ebr: 0,
            dsp: 0,
        },
        |mut t, b| {
            t.lc += b.lc;
            t.ff += b.ff;
            t.ebr += b.ebr;
            t.dsp += b.dsp;
            t
        },
    );
    let cap = board.capacity();
    let fits = total.lc <= cap.lc && total.ebr <= cap.ebr && total.dsp <= cap.dsp;
    ResourceEstimate {
        board,
        lanes,
        decoder,
        blocks,
        total,
        fits,
    }
}

impl ResourceEstimate {
    /// A markdown table.
    pub fn to_markdown(&self) -> String {
        let cap = self.board.capacity();
        let mut s = format!(
            "Estimate for {} lanes with the {} decoder on {} ({}):\n\n| block | n | LC | FF | EBR | DSP |\n|---|---:|---:|---:|---:|---:|\n",
            self.lanes,
            self.decoder,
            self.board,
            self.board.part()
        );
        for b in self.blocks.iter().chain(std::iter::once(&self.total)) {
            let _ = writeln!(
                s,
                "| {} | {} | {} | {} | {} | {} |",
                b.name, b.count, b.lc, b.ff, b.ebr, b.dsp
            );
        }
        let _ = writeln!(
            s,
            "| available | | {} | {} | {} | {} |\n\n{}",
            cap.lc,
            cap.lc,
            cap.ebr,
            cap.dsp,
            if self.fits { "Fits." } else { "Does NOT fit." }
        );
        s
    }
}

/// The shape of one layer for the latency model.
#[derive(Debug, Clone, PartialEq)]
pub struct LayerShape {
    /// Outputs.
    pub rows: usize,
    /// Inputs.
    pub cols: usize,
    /// Fraction of zero weights, 0..=1 (used when `weights` is None; with the serial decoder
    /// together with [`SerialAssumption`]).
    pub zero_fraction: f64,
    /// The actual quantized weights, row-major (exact clock count when given; the serial decoder
    /// falls back to the assumption if no EG order fits the decoder).
    pub weights: Option<Vec<i32>>,
}

/// Decode clocks of one row: each clock consumes one codeword plus, with zero skipping, up to
/// SKIP_MAX zero weights in front of it (not across the row's end).
pub fn row_clocks(row: &[i32], zero_skip: bool) -> u64 {
    if !zero_skip {
        return row.len() as u64;
    }
    let mut i = 0;
    let mut clocks = 0;
    while i < row.len() {
        let mut z = 0;
        while z < SKIP_MAX as usize && i + z + 1 < row.len() && row[i + z] == 0 {
            z += 1;
        }
        i += z + 1;
        clocks += 1;
    }
    clocks
}

/// Expected decode clocks of a row of `cols` weights with independent zeros of probability `z`.
fn expected_row_clocks(cols: usize, z: f64, zero_skip: bool) -> f64 {
    if !zero_skip || cols == 0 {
        return cols as f64;
    }
    // Dynamic programming over positions: E[i] = expected clocks from position i.
    let n = cols;
    let mut e = vec![0.0f64; n + 1];
    for i in (0..n).rev() {
        // skip z' zeros then one codeword: P(exactly j zeros skipped) for j < limit, limit = min(SKIP_MAX, n-i-1)
        let limit = (SKIP_MAX as usize).min(n - i - 1);
        let mut acc = 0.0;
        let mut p_run = 1.0; // probability that the first j weights are zero
        for j in 0..limit {
            // exactly j zeros then a non-zero at i+j: consumed j+1
            acc += p_run * (1.0 - z) * e[i + j + 1];
            p_run *= z;
        }
        // `limit` zeros skipped, then the codeword at i+limit (zero or not)
        acc += p_run * e[i + limit + 1];
        e[i] = 1.0 + acc;
    }
    e[0]
}

/// Estimated clocks of each layer with `lanes` pipelined lanes.
pub fn estimate_cycles(lanes: usize, layers: &[LayerShape], zero_skip: bool) -> Vec<u64> {
    estimate_cycles_for(Latency::Pipelined { zero_skip }, lanes, layers)
}

/// Clocks a layer takes with serial lanes beyond its slowest lane's stream bits: the hardware's
/// per-stage latencies summed ([`hdl::latency`]). Checked against CYCLES of the Verilated P = 4
/// serial accelerator (`estimated_serial_cycles_match_the_verilated_accelerator`).
pub const SERIAL_PIPELINE_CLOCKS: u64 = hdl::latency::SERIAL;

/// Decode clocks of one row with the serial decoder: its stream bits, the EG(k) codeword lengths
/// of its value-map indices (a zero weight costs its codeword like any other).
pub fn serial_row_clocks(indices: &[u32], k: u32) -> u64 {
    indices.iter().map(|&i| u64::from(expgolomb::codeword_len(i, k))).sum()
}

/// The value-map indices of a layer's weights and the EG order the layer compiler gives them
/// (`host::compile::code_weights` with `KChoice::Auto`, as the per-layer program and the resident
/// image use it). None if no order fits the decoder.
pub fn compiled_indices(weights: &[i32]) -> Option<(Vec<u32>, u32)> {
    let (_, indices, k) = host::compile::code_weights(0, weights, host::KChoice::Auto).ok()?;
    Some((indices, k))
}

/// What the serial model assumes of a layer given only its zero fraction.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct SerialAssumption {
    /// Average codeword length of a non-zero weight, bits; a zero is value-map index 0 at k = 0,
    /// one bit.
    pub nonzero_bits: f64,
    /// Average bits per weight of the whole layer; replaces the zero / non-zero split when given.
    pub bits_per_weight: Option<f64>,
}

impl SerialAssumption {
    /// Bits per non-zero weight assumed by default: the BackSlash-trained digits models of
    /// docs/results/digits/table.json (DGGR and Lp at λ = 10..50, all at k = 0) have 11.1-12.3,
    /// from (EG bits per weight - zero fraction) / (1 - zero fraction); the demo's model
    /// (λ = 20: 87.4% zeros, 2.37 bits per weight) 11.9.
    pub const DEFAULT_NONZERO_BITS: f64 = 12.0;

    /// Assumed bits per weight of a layer with this fraction of zeros.
    pub fn bits_per_weight(&self, zero_fraction: f64) -> f64 {
        self.bits_per_weight
            .unwrap_or(zero_fraction + (1.0 - zero_fraction) * self.nonzero_bits)
    }
}

impl Default for SerialAssumption {
    fn default() -> Self {
        SerialAssumption {
            nonzero_bits: Self::DEFAULT_NONZERO_BITS,
            bits_per_weight: None,
        }
    }
}

/// The latency model of a decoder kind.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Latency {
    /// One codeword per clock, with or without zero-run skipping.
    Pipelined {
        /// Zero-run skipping on.
        zero_skip: bool,
    },
    /// One stream bit per clock: exact from real weights, else from the assumption.
    Serial(SerialAssumption),
}

impl Latency {
    /// Clocks of a layer beyond its slowest lane's decode clocks.
    pub fn fixed_clocks(&self) -> u64 {
        match self {
            Latency::Pipelined { .. } => PIPELINE_CLOCKS,
            Latency::Serial(_) => SERIAL_PIPELINE_CLOCKS,
        }
    }
}

/// Estimated clocks of each layer with `lanes` lanes decoding as `latency` says.
pub fn estimate_cycles_for(latency: Latency, lanes: usize, layers: &[LayerShape]) -> Vec<u64> {
    let p = lanes.max(1);
    layers
        .iter()
        .map(|l| {
            // The serial decoder's indices and order from real weights (None: the assumption).
            let serial = match (&latency, &l.weights) {
                (Latency::Serial(_), Some(w)) => compiled_indices(w),
                _ => None,
            };
            let row = |r: usize| -> f64 {
                match (&latency, &l.weights, &serial) {
                    (Latency::Pipelined { zero_skip }, Some(w), _) => {
                        row_clocks(&w[r * l.cols..(r + 1) * l.cols], *zero_skip) as f64
                    }
                    (Latency::Pipelined { zero_skip }, None, _) => {
                        expected_row_clocks(l.cols, l.zero_fraction, *zero_skip)
                    }
                    (Latency::Serial(_), _, Some((idx, k))) => {
                        serial_row_clocks(&idx[r * l.cols..(r + 1) * l.cols], *k) as f64
                    }
                    (Latency::Serial(a), _, None) => l.cols as f64 * a.bits_per_weight(l.zero_fraction),
                }
            };
            let slowest = (0..p)
                .map(|lane| (lane..l.rows).step_by(p).map(row).sum::<f64>())
                .fold(0.0, f64::max);
            slowest.ceil() as u64 + latency.fixed_clocks()
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// (LC, FF) of the serial calibration builds (the comment above SERIAL_LANE_LC).
    const SERIAL_P1: (u32, u32) = (2180, 1251);
    const SERIAL_P2: (u32, u32) = (2794, 1603);

    #[test]
    fn ebr_shapes() {
        assert_eq!(ebr_for(512, 32), 4);
        assert_eq!(ebr_for(256, 16), 1);
        assert_eq!(ebr_for(256, 32), 2);
        assert_eq!(ebr_for(256, 8), 1);
        assert_eq!(ebr_for(2048, 32), 16);
    }

    #[test]
    fn row_clocks_skip_zero_runs_but_not_across_the_row_end() {
        assert_eq!(row_clocks(&[1, 2, 3], true), 3);
        assert_eq!(row_clocks(&[0, 0, 0, 5], true), 1);
        assert_eq!(
            row_clocks(&[0, 0, 0, 0], true),
            1,
            "three zeros skipped in front of the last one"
        );
        assert_eq!(row_clocks(&[0; 9], true), 1);
        assert_eq!(row_clocks(&[0; 10], true), 2);
        assert_eq!(row_clocks(&[0; 10], false), 10);
    }

    #[test]
    fn expected_clocks_match_exact_counts_at_the_extremes() {
        assert!((expected_row_clocks(64, 0.0, true) - 64.0).abs() < 1e-9);
        assert!((expected_row_clocks(64, 1.0, true) - row_clocks(&[0; 64], true) as f64).abs() < 1e-9);
        let mid = expected_row_clocks(64, 0.5, true);
        assert!(mid > 64.0 / 9.0 && mid < 64.0, "{mid}");
    }

    #[test]
    fn four_lanes_split_rows() {
        let l = LayerShape {
            rows: 128,
            cols: 64,
            zero_fraction: 0.0,
            weights: None,
        };
        assert_eq!(
            estimate_cycles(1, std::slice::from_ref(&l), false),
            vec![128 * 64 + PIPELINE_CLOCKS]
        );
        assert_eq!(estimate_cycles(4, &[l], false), vec![32 * 64 + PIPELINE_CLOCKS]);
    }

    #[test]
    fn memories_and_calibration_points() {
        // The memories are exact for P = 2 and P = 4 (16 and 28 EBRs placed); the logic reproduces
        // the two calibration builds (P = 1 and P = 2).
        let e1 = estimate_resources(Board::Icebreaker, 1, DecoderKind::Pipelined, MemSizes::BOARD, true);
        assert_eq!(
            (e1.total.ebr, e1.total.dsp, e1.total.lc, e1.total.ff),
            (10, 1, 3258, 1538)
        );
        let e2 = estimate_resources(Board::Icebreaker, 2, DecoderKind::Pipelined, MemSizes::BOARD, true);
        assert_eq!(
            (e2.total.ebr, e2.total.dsp, e2.total.lc, e2.total.ff),
            (16, 2, 4928, 2155)
        );
        let e4 = estimate_resources(Board::Icebreaker, 4, DecoderKind::Pipelined, MemSizes::BOARD, true);
        assert_eq!((e4.total.ebr, e4.total.dsp), (28, 4));
        assert!(e2.fits && !e4.fits, "{}", e4.to_markdown());
    }

    #[test]
    fn serial_row_clocks_are_the_codeword_lengths() {
        // EG(0): index 0 is `1`, 1-2 are 3 bits, 3-6 are 5, 7-14 are 7.
        assert_eq!(serial_row_clocks(&[0, 0, 0], 0), 3);
        assert_eq!(serial_row_clocks(&[0, 1, 2, 3, 6, 7], 0), 1 + 3 + 3 + 5 + 5 + 7);
        // EG(2): indices 0-3 are 3 bits, 4-11 are 5.
        assert_eq!(serial_row_clocks(&[0, 3, 4, 11, 12], 2), 3 + 3 + 5 + 5 + 7);
        assert_eq!(serial_row_clocks(&[], 1), 0);
        // The same as golden's encoder's length.
        let idx: Vec<u32> = (0..200).map(|i| (i * 37 % 61) as u32).collect();
        for k in 0..=3 {
            assert_eq!(serial_row_clocks(&idx, k), expgolomb::encoded_bits(&idx, k));
        }
    }

    #[test]
    fn serial_layers_from_real_weights_use_the_compilers_map_and_order() {
        // 2 x 5; counts 0: 4, 5: 3, 7: 2, -3: 1, so indices 0, 1, 2, 3 (ranked by frequency), and
        // EG(0) has the fewest bits (24; EG(1) 26). Row 0: 0 0 5 7 0 -> 1+1+3+3+1; row 1:
        // 0 5 7 5 -3 -> 1+3+3+3+5.
        let w = vec![0, 0, 5, 7, 0, 0, 5, 7, 5, -3];
        let (idx, k) = compiled_indices(&w).unwrap();
        assert_eq!(k, 0);
        assert_eq!(idx, vec![0, 0, 1, 2, 0, 0, 1, 2, 1, 3]);
        let shape = LayerShape {
            rows: 2,
            cols: 5,
            zero_fraction: 0.0,
            weights: Some(w),
        };
        let serial = Latency::Serial(SerialAssumption::default());
        let r0 = serial_row_clocks(&idx[..5], 0);
        let r1 = serial_row_clocks(&idx[5..], 0);
        assert_eq!((r0, r1), (9, 15));
        assert_eq!(
            estimate_cycles_for(serial, 1, std::slice::from_ref(&shape)),
            vec![r0 + r1 + SERIAL_PIPELINE_CLOCKS]
        );
        // Two lanes: the slower lane (row 1) sets the time.
        assert_eq!(
            estimate_cycles_for(serial, 2, &[shape]),
            vec![r1 + SERIAL_PIPELINE_CLOCKS]
        );
    }

    #[test]
    fn serial_layers_from_a_zero_fraction_use_the_assumption() {
        let l = LayerShape {
            rows: 8,
            cols: 10,
            zero_fraction: 0.75,
            weights: None,
        };
        let a = SerialAssumption {
            nonzero_bits: 9.0,
            bits_per_weight: None,
        };
        // 0.75 x 1 + 0.25 x 9 = 3 bits per weight; 4 rows of 10 per lane at P = 2.
        assert!((a.bits_per_weight(0.75) - 3.0).abs() < 1e-12);
        assert_eq!(
            estimate_cycles_for(Latency::Serial(a), 2, std::slice::from_ref(&l)),
            vec![120 + SERIAL_PIPELINE_CLOCKS]
        );
        let given = SerialAssumption {
            bits_per_weight: Some(2.5),
            ..a
        };
        assert_eq!(
            estimate_cycles_for(Latency::Serial(given), 2, std::slice::from_ref(&l)),
            vec![100 + SERIAL_PIPELINE_CLOCKS]
        );
        // Dense at the default assumption: 12 bits per weight, 12x the pipelined clocks' decode part.
        let dense = LayerShape {
            zero_fraction: 0.0,
            ..l
        };
        let s = estimate_cycles_for(
            Latency::Serial(SerialAssumption::default()),
            1,
            std::slice::from_ref(&dense),
        )[0];
        let p = estimate_cycles(1, &[dense], false)[0];
        assert_eq!((s - SERIAL_PIPELINE_CLOCKS, p - PIPELINE_CLOCKS), (960, 80));
    }

    #[test]
    fn calibration_recovers_the_constants_from_their_builds() {
        // The pipelined builds of the comment above.
        let k = LogicConstants::calibrate((3258, 1538), (4928, 2155), (BRIDGE_LC, BRIDGE_FF)).unwrap();
        assert_eq!(k, LogicConstants::of(DecoderKind::Pipelined));
        let s = LogicConstants::calibrate(
            (SERIAL_P1.0, SERIAL_P1.1),
            (SERIAL_P2.0, SERIAL_P2.1),
            (BRIDGE_LC, BRIDGE_FF),
        )
        .unwrap();
        assert_eq!(s, LogicConstants::of(DecoderKind::Serial));
        assert_eq!(LogicConstants::calibrate((3000, 1000), (2900, 1100), (0, 0)), None);
    }

    #[test]
    fn serial_lanes_are_smaller_with_the_same_memories() {
        for board in [Board::Icebreaker, Board::Hx8k] {
            for p in [1, 2, 4, 8] {
                let pip = estimate_resources(board, p, DecoderKind::Pipelined, MemSizes::BOARD, true);
                let ser = estimate_resources(board, p, DecoderKind::Serial, MemSizes::BOARD, true);
                assert_eq!((ser.total.ebr, ser.total.dsp), (pip.total.ebr, pip.total.dsp));
                assert!(ser.total.lc < pip.total.lc && ser.total.ff < pip.total.ff);
                let mul = if board.has_dsp() { (0, 0) } else { (MUL_LC, MUL_FF) };
                assert_eq!(
                    (ser.total.lc, ser.total.ff),
                    (
                        SERIAL_SHARED_LC + BRIDGE_LC + p as u32 * (SERIAL_LANE_LC + mul.0),
                        SERIAL_SHARED_FF + BRIDGE_FF + p as u32 * (SERIAL_LANE_FF + mul.1)
                    )
                );
            }
        }
        // The serial calibration builds are reproduced; P = 4 serial fits the UP5K, pipelined not.
        let s1 = estimate_resources(Board::Icebreaker, 1, DecoderKind::Serial, MemSizes::BOARD, true);
        let s2 = estimate_resources(Board::Icebreaker, 2, DecoderKind::Serial, MemSizes::BOARD, true);
        assert_eq!(
            (s1.total.lc, s1.total.ff, s1.total.ebr, s1.total.dsp),
            (SERIAL_P1.0, SERIAL_P1.1, 10, 1)
        );
        assert_eq!(
            (s2.total.lc, s2.total.ff, s2.total.ebr, s2.total.dsp),
            (SERIAL_P2.0, SERIAL_P2.1, 16, 2)
        );
        let s4 = estimate_resources(Board::Icebreaker, 4, DecoderKind::Serial, MemSizes::BOARD, true);
        assert!(s4.fits, "{}", s4.to_markdown());
        assert!(s4.to_markdown().contains("serial decoder"));
    }
}
