//! The stream layout the accelerator reads: how a layer's weight indices become per-lane EG streams.
//!
//! Defined once here and used by the hardware tests (`hdl`), the driver (`sim`) and docs/hardware.md.
//!
//! For a layer with `rows x cols` weights, a value map and `lanes = P`:
//! - row `r` belongs to lane `r mod P`; lane `l` holds rows `l, l + P, l + 2P, ...` in that order;
//! - each row contributes its `cols` value-map indices, column 0 first, as EG(k) codewords
//!   ([`crate::expgolomb`]), written MSB-first, back to back across rows (no row padding);
//! - the bits are packed into 32-bit words big-endian: the lane's first bit is bit 31 of word 0;
//!   the last word is zero-padded;
//! - every lane starts on a word boundary: lane `l`'s words are [`LaneStreams::words`]`[l]`, and in
//!   the concatenated form ([`LaneStreams::concat`]) they start at word [`LaneStreams::offsets`]`[l]`.

use crate::expgolomb;
use crate::infer::QLayer;
use crate::valuemap::ValueMap;
use thiserror::Error;

/// Errors while laying out a layer's streams.
#[derive(Debug, Error, PartialEq, Eq)]
pub enum LayoutError {
    /// The lane count is zero.
    #[error("lane count must be at least 1")]
    NoLanes,
    /// The exp-Golomb order is out of range.
    #[error("exp-Golomb order {k} is above the maximum {max}")]
    Order { k: u32, max: u32 },
    /// The index (or weight) vector does not have rows x cols entries.
    #[error("expected {expected} weights ({rows} x {cols}), got {got}")]
    Shape {
        rows: usize,
        cols: usize,
        expected: usize,
        got: usize,
    },
    /// A weight is not in the value map.
    #[error("weight {value} at row {row}, column {col} is not in the value map")]
    NotInMap { row: usize, col: usize, value: i32 },
    /// A lane's stream could not be decoded back (only from [`LaneStreams::decode_lane`]).
    #[error("lane {lane}: {message}")]
    Decode { lane: usize, message: String },
}

/// The lane of row `row` with `lanes` lanes.
pub fn lane_of_row(row: usize, lanes: usize) -> usize {
    row % lanes
}

/// Number of rows lane `lane` holds: `ceil((rows - lane) / lanes)` (0 if `lane >= rows`).
pub fn rows_in_lane(rows: usize, lanes: usize, lane: usize) -> usize {
    if lane >= rows {
        0
    } else {
        (rows - lane).div_ceil(lanes)
    }
}

/// The rows of lane `lane`, in stream order.
pub fn lane_rows(rows: usize, lanes: usize, lane: usize) -> impl Iterator<Item = usize> {
    (lane..rows).step_by(lanes.max(1))
}

/// Packs bytes (MSB-first bit order) into big-endian 32-bit words, zero-padding the last word.
pub fn words_from_bytes(bytes: &[u8]) -> Vec<u32> {
    bytes
        .chunks(4)
        .map(|c| {
            let mut b = [0u8; 4];
            b[..c.len()].copy_from_slice(c);
            u32::from_be_bytes(b)
        })
        .collect()
}

/// The inverse of [`words_from_bytes`] (4 bytes per word).
pub fn bytes_from_words(words: &[u32]) -> Vec<u8> {
    words.iter().flat_map(|w| w.to_be_bytes()).collect()
}

/// Per-lane EG streams of one layer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LaneStreams {
    /// Lane count P.
    pub lanes: usize,
    /// Exp-Golomb order.
    pub k: u32,
    /// Rows of the layer.
    pub rows: usize,
    /// Columns of the layer.
    pub cols: usize,
    /// Lane `l`'s stream words.
    pub words: Vec<Vec<u32>>,
    /// Lane `l`'s stream length in bits (before padding).
    pub bits: Vec<u64>,
}

impl LaneStreams {
    /// Word offset of each lane in [`LaneStreams::concat`] (lane 0 at 0).
    pub fn offsets(&self) -> Vec<usize> {
        let mut off = Vec::with_capacity(self.lanes);
        let mut acc = 0;
        for w in &self.words {
            off.push(acc);
            acc += w.len();
        }
        off
    }

    /// All lanes' words back to back, lane 0 first.
    pub fn concat(&self) -> Vec<u32> {
        self.words.concat()
    }

    /// Total words of all lanes.
    pub fn total_words(&self) -> usize {
        self.words.iter().map(Vec::len).sum()
    }

    /// Total coded bits of all lanes (without padding).
    pub fn total_bits(&self) -> u64 {
        self.bits.iter().sum()
    }

    /// Decodes lane `lane` back to its indices (rows of the lane in order), with the golden decoder.
    pub fn decode_lane(&self, lane: usize) -> Result<Vec<u32>, LayoutError> {
        let count = rows_in_lane(self.rows, self.lanes, lane) * self.cols;
        let bytes = bytes_from_words(&self.words[lane]);
        expgolomb::decode(&bytes, self.k, count).map_err(|e| LayoutError::Decode {
            lane,
            message: e.to_string(),
        })
    }
}

/// Lays out a row-major index matrix (`rows x cols` value-map indices).
pub fn layout_indices(
    indices: &[u32],
    rows: usize,
    cols: usize,
    k: u32,
    lanes: usize,
) -> Result<LaneStreams, LayoutError> {
    if lanes == 0 {
        return Err(LayoutError::NoLanes);
    }
    if k > expgolomb::MAX_K {
        return Err(LayoutError::Order {
            k,
            max: expgolomb::MAX_K,
        });
    }
    let expected = rows * cols;
    if indices.len() != expected {
        return Err(LayoutError::Shape {
            rows,
            cols,
            expected,
            got: indices.len(),
        });
    }
    let mut words = Vec::with_capacity(lanes);
    let mut bits = Vec::with_capacity(lanes);
    for lane in 0..lanes {
        let lane_idx: Vec<u32> = lane_rows(rows, lanes, lane)
            .flat_map(|r| indices[r * cols..(r + 1) * cols].iter().copied())
            .collect();
        bits.push(expgolomb::encoded_bits(&lane_idx, k));
        words.push(words_from_bytes(&expgolomb::encode(&lane_idx, k)));
    }
    Ok(LaneStreams {
        lanes,
        k,
        rows,
        cols,
        words,
        bits,
    })
}

/// Maps a layer's weights through `map` and lays them out (see the module docs).
pub fn layout(layer: &QLayer, map: &ValueMap, k: u32, lanes: usize) -> Result<LaneStreams, LayoutError> {
    let expected = layer.rows * layer.cols;
    if layer.weights.len() != expected {
        return Err(LayoutError::Shape {
            rows: layer.rows,
            cols: layer.cols,
            expected,
            got: layer.weights.len(),
        });
    }
    let mut indices = Vec::with_capacity(expected);
    for (pos, &w) in layer.weights.iter().enumerate() {
        match map.index_of(w) {
            Some(i) => indices.push(i),
            None => {
                return Err(LayoutError::NotInMap {
                    row: pos / layer.cols,
                    col: pos % layer.cols,
                    value: w,
                });
            }
        }
    }
    layout_indices(&indices, layer.rows, layer.cols, k, lanes)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_answer_two_lanes() {
        // 3 rows x 2 cols, k = 0. EG(0): 0 -> "1", 1 -> "010", 2 -> "011", 3 -> "00100".
        // Lane 0 = rows 0 and 2: [0, 1] [3, 0] -> 1 010 00100 1 = 1010 0010 01 (10 bits).
        // Lane 1 = row 1: [2, 2] -> 011 011 (6 bits).
        let s = layout_indices(&[0, 1, 2, 2, 3, 0], 3, 2, 0, 2).unwrap();
        assert_eq!(s.words, vec![vec![0b1010_0010_01u32 << 22], vec![0b011_011u32 << 26]]);
        assert_eq!(s.bits, vec![10, 6]);
        assert_eq!(s.offsets(), vec![0, 1]);
        assert_eq!(s.concat().len(), 2);
        assert_eq!(s.decode_lane(0).unwrap(), vec![0, 1, 3, 0]);
        assert_eq!(s.decode_lane(1).unwrap(), vec![2, 2]);
    }

    #[test]
    fn lanes_round_trip_and_start_on_words() {
        let rows = 7;
        let cols = 13;
        let idx: Vec<u32> = (0..rows * cols).map(|i| ((i * 37) % 50) as u32).collect();
        for lanes in [1, 2, 4, 8] {
            for k in [0, 1, 3] {
                let s = layout_indices(&idx, rows, cols, k, lanes).unwrap();
                assert_eq!(s.words.len(), lanes);
                let mut seen = 0;
                for lane in 0..lanes {
                    let got = s.decode_lane(lane).unwrap();
                    let want: Vec<u32> = lane_rows(rows, lanes, lane)
                        .flat_map(|r| idx[r * cols..(r + 1) * cols].to_vec())
                        .collect();
                    assert_eq!(got, want);
                    assert_eq!(s.words[lane].len() as u64, s.bits[lane].div_ceil(32));
                    seen += rows_in_lane(rows, lanes, lane);
                }
                assert_eq!(seen, rows);
            }
        }
    }

    #[test]
    fn words_bytes_round_trip() {
        assert_eq!(
            words_from_bytes(&[0x12, 0x34, 0x56, 0x78, 0x9A]),
            vec![0x1234_5678, 0x9A00_0000]
        );
        assert_eq!(bytes_from_words(&[0x1234_5678]), vec![0x12, 0x34, 0x56, 0x78]);
    }

    #[test]
    fn errors() {
        assert_eq!(layout_indices(&[0], 1, 1, 0, 0), Err(LayoutError::NoLanes));
        assert!(matches!(
            layout_indices(&[0, 1], 1, 1, 0, 1),
            Err(LayoutError::Shape { .. })
        ));
        assert!(matches!(
            layout_indices(&[0], 1, 1, 99, 1),
            Err(LayoutError::Order { .. })
        ));
        let map = ValueMap::from_values(vec![0, 5]).unwrap();
        let one_row = |weights: Vec<i32>| QLayer {
            rows: 1,
            cols: weights.len(),
            weights,
            bias: vec![0],
            shift: 0,
            relu: false,
        };
        assert_eq!(
            layout(&one_row(vec![5, 7]), &map, 0, 1),
            Err(LayoutError::NotInMap {
                row: 0,
                col: 1,
                value: 7
            })
        );
        let s = layout(&one_row(vec![5, 0]), &map, 0, 1).unwrap();
        assert_eq!(s.decode_lane(0).unwrap(), vec![1, 0]);
    }
}
