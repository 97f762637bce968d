//! Resource and latency estimate of the accelerator before synthesis.
//!
//! Resources: a model per block. Memories are counted from their shapes (an iCE40 EBR holds
//! 4096 bits, at most 16 bits wide at 256 deep, 8 at 512, 4 at 1024, 2 at 2048); DSPs are one
//! SB_MAC16 per lane on devices with DSPs (yosys `-dsp` maps the 16 x 8 product); logic cells and
//! flip-flops per block are constants measured once with yosys/nextpnr on the real blocks (the
//! commands are in docs/bitstreams.md, where the estimate is compared with real reports).
//!
//! Latency: one decoded codeword per lane per clock; with zero-run skipping up to
//! [`SKIP_MAX`](hdl::regmap::SKIP_MAX) zero weights in front of a codeword cost nothing (never
//! across a row end); rows go to lane `r mod P`; the slowest lane sets the layer's time, plus the
//! pipeline fill and drain ([`PIPELINE_CLOCKS`]).

use crate::Board;
use hdl::regmap::{MemSizes, SKIP_MAX};
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
    /// Per block.
    pub blocks: Vec<BlockEstimate>,
    /// Sum of the blocks.
    pub total: BlockEstimate,
    /// Whether the total fits the device (LC, EBR, DSP).
    pub fits: bool,
}

// Calibration (docs/bitstreams.md, "Estimate"): the per-lane and shared figures are the slope and
// intercept of two placed builds of the UART board top on the UP5K with the pipelined decoder
// (P = 1 at 48 MHz: LC 3287, FF 1481; P = 2 at 21 MHz: LC 4867, FF 2049; seed 1), minus the bridge
// synthesised alone; the HX8K multiplier is yosys `synth_ice40` (no -dsp) of
// `bitops::MulS16x8Pipe`'s LUT body.
// Measured 2026-11-28, yosys 0.23, nextpnr-ice40 0.4.

/// Logic cells of one lane (decoder, value-map and activation addressing, accumulator, result
/// register) with the multiplier in a DSP.
pub const LANE_LC: u32 = 1580;
/// Flip-flops of one lane.
pub const LANE_FF: u32 = 568;
/// LUT4s of the two-stage signed 16 x 8 multiplier without a DSP (HX8K): 318 SB_LUT4 + 57 SB_CARRY.
pub const MUL_LC: u32 = 318;
/// Its flip-flops (inside the SB_MAC16 on the UP5K).
pub const MUL_FF: u32 = 72;
/// Control, registers, counters and the output stage (bias, requantize, output RAM port).
pub const SHARED_LC: u32 = 1357;
/// Flip-flops of the shared part.
pub const SHARED_FF: u32 = 687;
/// The UART host bridge (receiver, transmitter, CRC, frame FSM): 304 SB_LUT4, 59 SB_CARRY.
pub const BRIDGE_LC: u32 = 350;
/// Flip-flops of the bridge.
pub const BRIDGE_FF: u32 = 226;

/// Clocks a layer takes beyond its slowest lane's decode clocks: start, decoder (fetch fill and
/// stages A, B, S, C, D), lane (M1-M3, ACC, the registered grant) and output (R1-R6) pipelines,
/// done. Measured: CYCLES of the Verilated P = 1 accelerator minus its decode clocks
/// (`tests/cosim.rs`, `estimated_cycles_match_the_verilated_accelerator`).
pub const PIPELINE_CLOCKS: u64 = 20;

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

/// Resource estimate of the accelerator (and the UART bridge when `with_bridge`).
pub fn estimate_resources(board: Board, lanes: usize, sizes: MemSizes, with_bridge: bool) -> ResourceEstimate {
    let p = lanes as u32;
    let dsp_per_lane = u32::from(board.has_dsp());
    let (mul_lc, mul_ff) = if board.has_dsp() { (0, 0) } else { (MUL_LC, MUL_FF) };
    let stream_ebr = ebr_for(sizes.stream_words() as u32, 32);
    let vmap_ebr = ebr_for(sizes.vmap_entries() as u32, 16);
    let act_ebr = ebr_for(hdl::regmap::MAX_DIM, 8);
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
            name: "lane: decoder + MAC logic".into(),
            count: p,
            lc: p * (LANE_LC + mul_lc),
            ff: p * (LANE_FF + mul_ff),
            ebr: 0,
            dsp: p * dsp_per_lane,
        },
        BlockEstimate {
            name: "shared: control + output stage".into(),
            count: 1,
            lc: SHARED_LC,
            ff: SHARED_FF,
            ebr: ebr_for(hdl::regmap::MAX_DIM, 32) + ebr_for(hdl::regmap::MAX_DIM, 8),
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
            "Estimate for {} lanes on {} ({}):\n\n| block | n | LC | FF | EBR | DSP |\n|---|---:|---:|---:|---:|---:|\n",
            self.lanes,
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
    /// Fraction of zero weights, 0..=1 (used when `weights` is None).
    pub zero_fraction: f64,
    /// The actual quantized weights, row-major (exact clock count when given).
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

/// Estimated clocks of each layer with `lanes` lanes.
pub fn estimate_cycles(lanes: usize, layers: &[LayerShape], zero_skip: bool) -> Vec<u64> {
    let p = lanes.max(1);
    layers
        .iter()
        .map(|l| {
            let lane_clocks: Vec<f64> = (0..p)
                .map(|lane| {
                    (lane..l.rows)
                        .step_by(p)
                        .map(|r| match &l.weights {
                            Some(w) => row_clocks(&w[r * l.cols..(r + 1) * l.cols], zero_skip) as f64,
                            None => expected_row_clocks(l.cols, l.zero_fraction, zero_skip),
                        })
                        .sum()
                })
                .collect();
            let slowest = lane_clocks.into_iter().fold(0.0, f64::max);
            slowest.ceil() as u64 + PIPELINE_CLOCKS
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

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
        // The memories are exact for P = 2 and P = 4 (15 and 27 EBRs placed); the logic reproduces
        // the two calibration builds (P = 1 and P = 2).
        let e1 = estimate_resources(Board::Icebreaker, 1, MemSizes::BOARD, true);
        assert_eq!(
            (e1.total.ebr, e1.total.dsp, e1.total.lc, e1.total.ff),
            (9, 1, 3287, 1481)
        );
        let e2 = estimate_resources(Board::Icebreaker, 2, MemSizes::BOARD, true);
        assert_eq!(
            (e2.total.ebr, e2.total.dsp, e2.total.lc, e2.total.ff),
            (15, 2, 4867, 2049)
        );
        let e4 = estimate_resources(Board::Icebreaker, 4, MemSizes::BOARD, true);
        assert_eq!((e4.total.ebr, e4.total.dsp), (27, 4));
        assert!(e2.fits && !e4.fits, "{}", e4.to_markdown());
    }
}
