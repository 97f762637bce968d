//! The value map: distinct quantized values ranked by frequency (docs/codec.md, bit-level conventions).
//!
//! Index 0 is the most frequent value. Ties are broken by `|q|` ascending, then positive before
//! negative, so the map is a pure function of the multiset of values. Indices, not values, are
//! what the codes (EG, Huffman, fixed) carry; the decoder (and the hardware's value-map ROM) turns
//! them back into `q`.

use std::collections::HashMap;
use thiserror::Error;

/// Errors of the value map.
#[derive(Debug, Error, Clone, PartialEq, Eq)]
pub enum ValueMapError {
    /// A value appears twice in an explicit map.
    #[error("value {value} appears twice in the value map (indices {first} and {second})")]
    Duplicate {
        /// The repeated value.
        value: i32,
        /// Its first index.
        first: u32,
        /// Its second index.
        second: u32,
    },
    /// A quantized value to be mapped is not in the map.
    #[error("value {value} at position {position} is not in the value map")]
    NotInMap {
        /// The value.
        value: i32,
        /// Its position in the input slice.
        position: usize,
    },
    /// An explicit map has more entries than a `u32` index can address.
    #[error("value map has {len} entries, more than a 32-bit index can address")]
    TooLarge {
        /// Number of entries.
        len: usize,
    },
}

/// Lookups over a span this wide (max - min + 1) use a dense table.
const DENSE_SPAN: u64 = 1 << 20;

/// Index -> quantized value, and its inverse.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValueMap {
    values: Vec<i32>,
    inverse: Inverse,
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Inverse {
    /// `table[q - min]` is index + 1, or 0 when `q` is absent.
    Dense {
        min: i32,
        table: Vec<u32>,
    },
    Hash(HashMap<i32, u32>),
}

/// The ranking key (docs/codec.md): count descending, |q| ascending, positive first.
fn rank_key(q: i32, count: u64) -> (std::cmp::Reverse<u64>, u32, bool) {
    (std::cmp::Reverse(count), q.unsigned_abs(), q < 0)
}

/// Counts of each distinct value, in the order of first appearance is irrelevant: sorted by value.
fn count_values(q: &[i32]) -> Vec<(i32, u64)> {
    if q.is_empty() {
        return Vec::new();
    }
    // One pass for both ends (it vectorizes).
    let (min, max) = q
        .iter()
        .fold((i32::MAX, i32::MIN), |(lo, hi), &v| (lo.min(v), hi.max(v)));
    let span = (i64::from(max) - i64::from(min)) as u64 + 1;
    if span <= 1 << 16 && q.len() <= u32::MAX as usize {
        // A short span (the common case): four histograms taken in turn, so that a run of equal
        // values does not wait on one counter's previous increment.
        let span = span as usize;
        let mut h = vec![0u32; 4 * span];
        let (h0, rest) = h.split_at_mut(span);
        let (h1, rest) = rest.split_at_mut(span);
        let (h2, h3) = rest.split_at_mut(span);
        let slot = |v: i32| v.wrapping_sub(min) as u32 as usize;
        let mut quads = q.chunks_exact(4);
        for c in &mut quads {
            h0[slot(c[0])] += 1;
            h1[slot(c[1])] += 1;
            h2[slot(c[2])] += 1;
            h3[slot(c[3])] += 1;
        }
        for &v in quads.remainder() {
            h0[slot(v)] += 1;
        }
        (0..span)
            .map(|i| u64::from(h0[i]) + u64::from(h1[i]) + u64::from(h2[i]) + u64::from(h3[i]))
            .enumerate()
            .filter(|&(_, c)| c > 0)
            .map(|(i, c)| ((i64::from(min) + i as i64) as i32, c))
            .collect()
    } else if span <= DENSE_SPAN.max(q.len() as u64) && span <= 1 << 26 {
        let mut counts = vec![0u64; span as usize];
        for &v in q {
            counts[(i64::from(v) - i64::from(min)) as usize] += 1;
        }
        counts
            .iter()
            .enumerate()
            .filter(|(_, &c)| c > 0)
            .map(|(i, &c)| ((i64::from(min) + i as i64) as i32, c))
            .collect()
    } else {
        let mut sorted = q.to_vec();
        sorted.sort_unstable();
        let mut out: Vec<(i32, u64)> = Vec::new();
        for v in sorted {
            match out.last_mut() {
                Some((last, c)) if *last == v => *c += 1,
                _ => out.push((v, 1)),
            }
        }
        out
    }
}

impl ValueMap {
    /// Ranks the distinct values of `q` by frequency (the tie rules of docs/codec.md). Empty input gives an
    /// empty map.
    pub fn from_quantized(q: &[i32]) -> ValueMap {
        Self::from_quantized_with_counts(q).0
    }

    /// Like [`ValueMap::from_quantized`], also returning the count of each index (descending), ready
    /// for [`crate::huffman::HuffmanCode::from_counts`] and [`crate::fixed::entropy_bits`].
    pub fn from_quantized_with_counts(q: &[i32]) -> (ValueMap, Vec<u64>) {
        let mut counted = count_values(q);
        counted.sort_unstable_by_key(|&(v, c)| rank_key(v, c));
        let values: Vec<i32> = counted.iter().map(|&(v, _)| v).collect();
        let counts = counted.iter().map(|&(_, c)| c).collect();
        let map = Self::from_values(values).expect("distinct values from counting");
        (map, counts)
    }

    /// Builds a map from an explicit index -> value list (e.g. read from a container).
    /// Rejects duplicates; the order is taken as given.
    pub fn from_values(values: Vec<i32>) -> Result<ValueMap, ValueMapError> {
        if values.len() as u64 > u64::from(u32::MAX) {
            return Err(ValueMapError::TooLarge { len: values.len() });
        }
        let inverse = match (values.iter().min(), values.iter().max()) {
            (Some(&min), Some(&max))
                if ((i64::from(max) - i64::from(min)) as u64)
                    < DENSE_SPAN.max(4 * values.len() as u64).min(1 << 26) =>
            {
                let span = (i64::from(max) - i64::from(min)) as usize + 1;
                let mut table = vec![0u32; span];
                for (i, &v) in values.iter().enumerate() {
                    let slot = &mut table[(i64::from(v) - i64::from(min)) as usize];
                    if *slot != 0 {
                        return Err(ValueMapError::Duplicate {
                            value: v,
                            first: *slot - 1,
                            second: i as u32,
                        });
                    }
                    *slot = i as u32 + 1;
                }
                Inverse::Dense { min, table }
            }
            _ => {
                let mut h = HashMap::with_capacity(values.len());
                for (i, &v) in values.iter().enumerate() {
                    if let Some(&first) = h.get(&v) {
                        return Err(ValueMapError::Duplicate {
                            value: v,
                            first,
                            second: i as u32,
                        });
                    }
                    h.insert(v, i as u32);
                }
                Inverse::Hash(h)
            }
        };
        Ok(ValueMap { values, inverse })
    }

    /// The values, index order.
    pub fn values(&self) -> &[i32] {
        &self.values
    }

    /// Number of distinct values.
    pub fn len(&self) -> usize {
        self.values.len()
    }

    /// True when the map has no values.
    pub fn is_empty(&self) -> bool {
        self.values.is_empty()
    }

    /// The value at `index`.
    pub fn get(&self, index: u32) -> Option<i32> {
        self.values.get(index as usize).copied()
    }

    /// The index of value `q`.
    pub fn index_of(&self, q: i32) -> Option<u32> {
        match &self.inverse {
            Inverse::Dense { min, table } => {
                let off = i64::from(q) - i64::from(*min);
                if off < 0 {
                    return None;
                }
                match table.get(off as usize) {
                    Some(&s) if s != 0 => Some(s - 1),
                    _ => None,
                }
            }
            Inverse::Hash(h) => h.get(&q).copied(),
        }
    }

    /// Maps quantized values to indices; a value not in the map is an error.
    pub fn to_indices(&self, q: &[i32]) -> Result<Vec<u32>, ValueMapError> {
        q.iter()
            .enumerate()
            .map(|(position, &value)| self.index_of(value).ok_or(ValueMapError::NotInMap { value, position }))
            .collect()
    }

    /// Maps indices back to values; `None` at the first index out of range.
    pub fn to_values(&self, indices: &[u32]) -> Option<Vec<i32>> {
        indices.iter().map(|&i| self.get(i)).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ranks_by_count_then_abs_then_sign() {
        // 0 x3; 1, -1, 2, -2 x2 each; 5 x1; -3 x1
        let q = [0, 1, -1, 2, -2, 0, 1, -1, 2, -2, 0, 5, -3];
        let (m, counts) = ValueMap::from_quantized_with_counts(&q);
        assert_eq!(m.values(), &[0, 1, -1, 2, -2, -3, 5]);
        assert_eq!(counts, vec![3, 2, 2, 2, 2, 1, 1]);
        assert_eq!(m.index_of(-3), Some(5));
        assert_eq!(m.index_of(7), None);
        assert_eq!(m.get(6), Some(5));
        assert_eq!(m.get(7), None);
        let idx = m.to_indices(&q).unwrap();
        assert_eq!(m.to_values(&idx).unwrap(), q.to_vec());
    }

    #[test]
    fn frequency_beats_magnitude() {
        let m = ValueMap::from_quantized(&[7, 7, 0, -7, -7, -7]);
        assert_eq!(m.values(), &[-7, 7, 0]);
    }

    #[test]
    fn wide_values_use_hash_inverse() {
        let q = [i32::MIN, i32::MAX, 0, i32::MAX];
        let m = ValueMap::from_quantized(&q);
        assert_eq!(m.values(), &[i32::MAX, 0, i32::MIN]);
        assert_eq!(m.to_indices(&q).unwrap(), vec![2, 0, 1, 0]);
    }

    #[test]
    fn errors() {
        let e = ValueMap::from_values(vec![1, 2, 1]).unwrap_err();
        assert_eq!(
            e,
            ValueMapError::Duplicate {
                value: 1,
                first: 0,
                second: 2
            }
        );
        let e = ValueMap::from_values(vec![i32::MIN, 5, i32::MIN]).unwrap_err();
        assert_eq!(
            e,
            ValueMapError::Duplicate {
                value: i32::MIN,
                first: 0,
                second: 2
            }
        );
        let m = ValueMap::from_values(vec![3, -3]).unwrap();
        assert_eq!(
            m.to_indices(&[3, 4]),
            Err(ValueMapError::NotInMap { value: 4, position: 1 })
        );
        let empty = ValueMap::from_quantized(&[]);
        assert!(empty.is_empty());
        assert_eq!(empty.index_of(0), None);
    }
}
