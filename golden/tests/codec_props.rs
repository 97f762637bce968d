//! Property tests of the golden codec: bits, EG(k), Huffman, fixed, quantizer, value map, GG.
//!
//! Every fast path is checked against its reference (BitWriter vs RefWriter, `decode` vs
//! `decode_ref`), every malformed stream must give an error (never a panic), and the statistics
//! are checked against known answers and synthetic data.

use golden::bits::{BitReader, BitSink, BitWriter, RefReader, RefWriter};
use golden::expgolomb::{self, EgError, MAX_K};
use golden::fixed;
use golden::gg;
use golden::huffman::{HuffmanCode, HuffmanError};
use golden::quant;
use golden::valuemap::ValueMap;
use proptest::prelude::*;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use rand_distr::{Distribution, Gamma};

/// Values biased to the short codes that dominate real data, with the full u32 range mixed in.
fn value() -> impl Strategy<Value = u32> {
    prop_oneof![4 => 0u32..4, 3 => 0u32..64, 2 => 0u32..5000, 1 => any::<u32>(), 1 => (u32::MAX - 16)..=u32::MAX]
}

fn values(max: usize) -> impl Strategy<Value = Vec<u32>> {
    prop::collection::vec(value(), 0..max)
}

/// Bytes biased to zeros, so that long zero prefixes show up.
fn noisy_bytes() -> impl Strategy<Value = Vec<u8>> {
    prop::collection::vec(prop_oneof![2 => Just(0u8), 1 => Just(0xffu8), 3 => any::<u8>()], 0..160)
}

/// EG(k) chunks written one after another into one stream: its bytes, the start bit of each
/// chunk (the container's index) and its length in bits.
fn eg_chunked(chunks: &[Vec<u32>], k: u32) -> (Vec<u8>, Vec<u64>, u64) {
    let mut w = BitWriter::new();
    let mut starts = Vec::new();
    for c in chunks {
        starts.push(w.bit_len());
        for &v in c {
            expgolomb::write(&mut w, v, k);
        }
    }
    let total = w.bit_len();
    (w.finish(), starts, total)
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn writers_agree(items in prop::collection::vec((any::<u64>(), 0u32..=64), 0..200)) {
        let mut f = BitWriter::new();
        let mut r = RefWriter::new();
        for &(v, n) in &items {
            f.put(v, n);
            r.put(v, n);
        }
        prop_assert_eq!(f.bit_len(), r.bit_len());
        let total = f.bit_len();
        let (a, b) = (f.finish(), r.finish());
        prop_assert_eq!(&a, &b);
        prop_assert_eq!(a.len() as u64, total.div_ceil(8));
        let mut fr = BitReader::new(&a);
        let mut rr = RefReader::new(&a);
        for &(v, n) in &items {
            let want = v & golden::bits::mask(n);
            prop_assert_eq!(fr.read_long(n).unwrap(), want);
            prop_assert_eq!(rr.read(n).unwrap(), want);
        }
        prop_assert_eq!(fr.position(), total);
    }

    #[test]
    fn append_joins_two_streams(items in prop::collection::vec((any::<u64>(), 0u32..=64), 0..200), cut in any::<prop::sample::Index>()) {
        let cut = cut.index(items.len() + 1);
        let mut whole = BitWriter::new();
        let (mut head, mut tail, mut ref_head) = (BitWriter::new(), BitWriter::new(), RefWriter::new());
        for (i, &(v, n)) in items.iter().enumerate() {
            whole.put(v, n);
            if i < cut {
                head.put(v, n);
                ref_head.put(v, n);
            } else {
                tail.put(v, n);
            }
        }
        let tail_bits = tail.bit_len();
        let tail = tail.finish();
        head.append(&tail, tail_bits);
        ref_head.append(&tail, tail_bits);
        prop_assert_eq!(head.bit_len(), whole.bit_len());
        let want = whole.finish();
        prop_assert_eq!(&head.finish(), &want);
        prop_assert_eq!(&ref_head.finish(), &want);
    }

    #[test]
    fn eg_round_trip_fast_equals_ref(k in 0u32..=MAX_K, vals in values(1500)) {
        let bytes = expgolomb::encode(&vals, k);
        prop_assert_eq!(&bytes, &expgolomb::encode_ref(&vals, k));
        let bits = expgolomb::encoded_bits(&vals, k);
        let sum: u64 = vals.iter().map(|&v| u64::from(expgolomb::codeword_len(v, k))).sum();
        prop_assert_eq!(bits, sum);
        prop_assert_eq!(bytes.len() as u64, bits.div_ceil(8));
        prop_assert_eq!(&expgolomb::decode(&bytes, k, vals.len()).unwrap(), &vals);
        prop_assert_eq!(&expgolomb::decode_ref(&bytes, k, vals.len()).unwrap(), &vals);
    }

    #[test]
    fn eg_any_bytes_fast_equals_ref(k in 0u32..=MAX_K, bytes in noisy_bytes(), count in 0usize..200) {
        // Same values or the same error (variant, codeword index, bit position), never a panic.
        prop_assert_eq!(expgolomb::decode(&bytes, k, count), expgolomb::decode_ref(&bytes, k, count));
    }

    #[test]
    fn eg_bits_from_counts_equal_bits_of_the_stream(vals in prop::collection::vec(0u32..3000, 0..800)) {
        let mut counts = vec![0u64; vals.iter().max().map_or(0, |&m| m as usize + 1)];
        for &v in &vals {
            counts[v as usize] += 1;
        }
        for k in 0..=MAX_K {
            prop_assert_eq!(expgolomb::bits_for_counts(&counts, k), expgolomb::encoded_bits(&vals, k));
        }
        prop_assert_eq!(expgolomb::best_k_for_counts(&counts), expgolomb::best_k(&vals));
    }

    #[test]
    fn eg_decode_at_equals_ref_per_chunk(k in 0u32..=MAX_K, chunks in prop::collection::vec(values(700), 0..11)) {
        let (bytes, starts, total) = eg_chunked(&chunks, k);
        let mut outs: Vec<Vec<u32>> = chunks.iter().map(|v| vec![u32::MAX; v.len()]).collect();
        let mut slots: Vec<&mut [u32]> = outs.iter_mut().map(|o| o.as_mut_slice()).collect();
        let ends = expgolomb::decode_at(&bytes, k, &starts, &mut slots).unwrap();
        prop_assert_eq!(&outs, &chunks);
        let mut want_ends: Vec<u64> = starts.iter().skip(1).copied().collect();
        want_ends.extend((!starts.is_empty()).then_some(total));
        prop_assert_eq!(ends, want_ends);
    }

    #[test]
    fn eg_decode_at_of_long_codewords_only(k in 0u32..=MAX_K, lens in prop::collection::vec(0usize..1500, 4..7), seed in any::<u64>()) {
        // Every codeword past the fast decoder's window (the largest values: up to 65 bits), in
        // four or more chunks decoded in turn: the most bytes a fast step can read.
        let mut rng = ChaCha8Rng::seed_from_u64(seed);
        let chunks: Vec<Vec<u32>> = lens.iter().map(|&n| (0..n).map(|_| rng.random_range((u32::MAX >> 4)..=u32::MAX)).collect()).collect();
        let (bytes, starts, _) = eg_chunked(&chunks, k);
        let mut outs: Vec<Vec<u32>> = chunks.iter().map(|v| vec![0; v.len()]).collect();
        let mut slots: Vec<&mut [u32]> = outs.iter_mut().map(|o| o.as_mut_slice()).collect();
        expgolomb::decode_at(&bytes, k, &starts, &mut slots).unwrap();
        prop_assert_eq!(&outs, &chunks);
    }

    #[test]
    fn eg_decode_at_any_bytes_gives_the_lowest_chunks_error(
        k in 0u32..=MAX_K,
        bytes in noisy_bytes(),
        chunks in prop::collection::vec((0usize..200, 0usize..120), 0..9),
    ) {
        // Byte-aligned starts, so that decode_ref on the bytes from the start is the reference
        // (indices counted across the chunks, positions shifted by the start; a truncation names
        // the whole stream's length).
        let starts: Vec<u64> = chunks.iter().map(|&(s, _)| (s.min(bytes.len()) * 8) as u64).collect();
        let mut outs: Vec<Vec<u32>> = chunks.iter().map(|&(_, n)| vec![0; n]).collect();
        let mut slots: Vec<&mut [u32]> = outs.iter_mut().map(|o| o.as_mut_slice()).collect();
        let got = expgolomb::decode_at(&bytes, k, &starts, &mut slots);
        let len_bits = bytes.len() as u64 * 8;
        let mut base = 0usize;
        let mut want: Result<Vec<Vec<u32>>, EgError> = Ok(Vec::new());
        for (&s, &(_, n)) in starts.iter().zip(&chunks) {
            match expgolomb::decode_ref(&bytes[(s / 8) as usize..], k, n) {
                Ok(v) => want.as_mut().unwrap().push(v),
                Err(e) => {
                    want = Err(match e {
                        EgError::PrefixTooLong { index, position, max_zeros } => {
                            EgError::PrefixTooLong { index: base + index, position: position + s, max_zeros }
                        }
                        EgError::Truncated { index, position, .. } => {
                            EgError::Truncated { index: base + index, position: position + s, len_bits }
                        }
                        EgError::Overflow { index, position } => EgError::Overflow { index: base + index, position: position + s },
                        other => other,
                    });
                    break;
                }
            }
            base += n;
        }
        match want {
            Ok(v) => {
                prop_assert!(got.is_ok(), "{:?}", got);
                prop_assert_eq!(outs, v);
            }
            Err(e) => prop_assert_eq!(got, Err(e)),
        }
    }

    #[test]
    fn huffman_fast_equals_ref_on_any_bytes(
        counts in prop::collection::vec(prop_oneof![1 => Just(0u64), 2 => 1u64..4, 4 => 1u64..1000], 1..300),
        bytes in noisy_bytes(),
        count in 0usize..400,
    ) {
        if let Ok(code) = HuffmanCode::from_counts(&counts) {
            prop_assert_eq!(code.decode(&bytes, count), code.decode_ref(&bytes, count));
        }
    }

    #[test]
    fn huffman_decode_at_equals_ref_per_chunk(
        counts in prop::collection::vec(1u64..1000, 1..300),
        chunks in prop::collection::vec(prop::collection::vec(any::<prop::sample::Index>(), 0..600), 0..11),
    ) {
        let code = HuffmanCode::from_counts(&counts).unwrap();
        let chunks: Vec<Vec<u32>> = chunks.iter().map(|c| c.iter().map(|i| i.index(counts.len()) as u32).collect()).collect();
        let mut w = BitWriter::new();
        let mut starts = Vec::new();
        for c in &chunks {
            starts.push(w.bit_len());
            code.write(&mut w, c).unwrap();
        }
        let total = w.bit_len();
        let bytes = w.finish();
        let mut outs: Vec<Vec<u32>> = chunks.iter().map(|v| vec![u32::MAX; v.len()]).collect();
        let mut slots: Vec<&mut [u32]> = outs.iter_mut().map(|o| o.as_mut_slice()).collect();
        let ends = code.decode_at(&bytes, &starts, &mut slots).unwrap();
        prop_assert_eq!(&outs, &chunks);
        let mut want_ends: Vec<u64> = starts.iter().skip(1).copied().collect();
        want_ends.extend((!starts.is_empty()).then_some(total));
        prop_assert_eq!(ends, want_ends);
        // A corrupted stream: the fast decoder agrees with the reference on chunk 0.
        if let Some(c0) = chunks.first() {
            let mut bad = bytes.clone();
            if let Some(b) = bad.get_mut(bytes.len() / 3) {
                *b ^= 0x5a;
            }
            prop_assert_eq!(code.decode(&bad, c0.len()), code.decode_ref(&bad, c0.len()));
        }
    }

    #[test]
    fn fixed_decode_at_equals_decode_per_chunk(bits in 0u32..=32, chunks in prop::collection::vec(prop::collection::vec(any::<u32>(), 0..200), 0..6)) {
        let chunks: Vec<Vec<u32>> = chunks.iter().map(|c| c.iter().map(|&v| if bits == 32 { v } else { v & ((1u32 << bits) - 1) }).collect()).collect();
        let all: Vec<u32> = chunks.concat();
        let bytes = fixed::encode_fixed(&all, bits);
        let mut starts = Vec::new();
        let mut at = 0u64;
        for c in &chunks {
            starts.push(at);
            at += c.len() as u64 * u64::from(bits);
        }
        let mut outs: Vec<Vec<u32>> = chunks.iter().map(|v| vec![0; v.len()]).collect();
        let mut slots: Vec<&mut [u32]> = outs.iter_mut().map(|o| o.as_mut_slice()).collect();
        let ends = fixed::decode_fixed_at(&bytes, bits, &starts, &mut slots).unwrap();
        prop_assert_eq!(&outs, &chunks);
        prop_assert_eq!(ends.last().copied(), (!chunks.is_empty()).then_some(at));
        // One index more than the last chunk holds does not fit.
        if bits > 0 && !chunks.is_empty() {
            let mut more = vec![0u32; (bytes.len() as u64 * 8 / u64::from(bits)) as usize + 1];
            prop_assert!(fixed::decode_fixed_at(&bytes, bits, &[0], &mut [more.as_mut_slice()]).is_err());
        }
    }

    #[test]
    fn eg_every_truncation_fails(k in 0u32..=MAX_K, vals in prop::collection::vec(value(), 1..300)) {
        let bytes = expgolomb::encode(&vals, k);
        let bits = expgolomb::encoded_bits(&vals, k);
        for cut in 0..bytes.len() {
            if (cut as u64) * 8 >= bits {
                continue; // only padding removed
            }
            let fast = expgolomb::decode(&bytes[..cut], k, vals.len());
            prop_assert!(
                matches!(fast, Err(EgError::Truncated { .. }) | Err(EgError::TooShort { .. })),
                "cut at {} bytes: {:?}", cut, fast
            );
            prop_assert_eq!(fast, expgolomb::decode_ref(&bytes[..cut], k, vals.len()));
        }
    }

    #[test]
    fn eg_too_long_prefix_fails(k in 0u32..=MAX_K, vals in values(300), extra in 0u32..40) {
        let mut w = BitWriter::new();
        for &v in &vals {
            expgolomb::write(&mut w, v, k);
        }
        let position = w.bit_len();
        w.put(0, 33 - k + extra.min(31));
        w.put(u64::MAX, 64);
        let bytes = w.finish();
        let want = EgError::PrefixTooLong { index: vals.len(), position, max_zeros: 32 - k };
        prop_assert_eq!(expgolomb::decode(&bytes, k, vals.len() + 1), Err(want.clone()));
        prop_assert_eq!(expgolomb::decode_ref(&bytes, k, vals.len() + 1), Err(want));
    }

    #[test]
    fn quantize_error_at_most_half_step(n in 0u32..=quant::MAX_STEP_BITS, w in -1.0e4f32..1.0e4) {
        let q = quant::quantize(w, n);
        let step = 2f64.powi(-(n as i32));
        let back = f64::from(q) * step;
        prop_assert!((back - f64::from(w)).abs() <= step / 2.0, "w {} n {} q {}", w, n, q);
        // |q| < 2^24 here, so the f32 reconstruction is exact.
        if q.unsigned_abs() < 1 << 24 {
            prop_assert_eq!(f64::from(quant::dequantize(q, n)), back);
        }
        prop_assert_eq!(quant::quantize_slice(&[w], n).unwrap(), vec![q]);
    }

    #[test]
    fn value_map_ranks(q in prop::collection::vec(prop_oneof![3 => -4i32..5, 1 => any::<i32>()], 0..400)) {
        let (map, counts) = ValueMap::from_quantized_with_counts(&q);
        prop_assert_eq!(counts.iter().sum::<u64>(), q.len() as u64);
        for (i, &v) in map.values().iter().enumerate() {
            prop_assert_eq!(counts[i], q.iter().filter(|&&x| x == v).count() as u64);
            prop_assert_eq!(map.index_of(v), Some(i as u32));
        }
        for i in 1..map.len() {
            let (a, b) = (map.values()[i - 1], map.values()[i]);
            let ka = (std::cmp::Reverse(counts[i - 1]), a.unsigned_abs(), a < 0);
            let kb = (std::cmp::Reverse(counts[i]), b.unsigned_abs(), b < 0);
            prop_assert!(ka < kb, "order broken at {}: {} then {}", i, a, b);
        }
        let idx = map.to_indices(&q).unwrap();
        prop_assert_eq!(map.to_values(&idx).unwrap(), q.clone());
        let again = ValueMap::from_values(map.values().to_vec()).unwrap();
        prop_assert_eq!(again.to_indices(&q).unwrap(), idx);
    }

    #[test]
    fn huffman_round_trip_and_optimal(counts in prop::collection::vec(prop_oneof![1 => Just(0u64), 4 => 1u64..1000], 1..40), seed in any::<u64>()) {
        let used: Vec<u32> = (0..counts.len() as u32).filter(|&s| counts[s as usize] > 0).collect();
        let code = HuffmanCode::from_counts(&counts);
        if used.is_empty() {
            prop_assert_eq!(code.unwrap_err(), HuffmanError::Empty);
            return Ok(());
        }
        let code = code.unwrap();
        // Optimal: the same total as textbook Huffman (the 24-bit limit cannot bind here).
        let total = code.bits_for_counts(&counts).unwrap();
        let want = if used.len() == 1 { counts[used[0] as usize] } else { huffman_cost(&counts) };
        prop_assert_eq!(total, want);
        for (s, &l) in code.lengths().iter().enumerate() {
            prop_assert_eq!(l == 0, counts[s] == 0);
        }
        let mut rng = ChaCha8Rng::seed_from_u64(seed);
        let syms: Vec<u32> = (0..rng.random_range(0..600)).map(|_| used[rng.random_range(0..used.len())]).collect();
        let bytes = code.encode(&syms).unwrap();
        let bits = code.encoded_bits(&syms).unwrap();
        prop_assert_eq!(bytes.len() as u64, bits.div_ceil(8));
        prop_assert_eq!(code.decode(&bytes, syms.len()).unwrap(), syms.clone());
        for cut in 0..bytes.len() {
            if (cut as u64) * 8 < bits {
                prop_assert!(code.decode(&bytes[..cut], syms.len()).is_err());
            }
        }
    }

    #[test]
    fn huffman_any_bytes_never_panics(counts in prop::collection::vec(0u64..50, 1..30), bytes in noisy_bytes(), count in 0usize..300) {
        if let Ok(code) = HuffmanCode::from_counts(&counts) {
            if let Ok(out) = code.decode(&bytes, count) {
                prop_assert_eq!(out.len(), count);
                prop_assert!(out.iter().all(|&s| counts[s as usize] > 0));
            }
        }
    }

    #[test]
    fn fixed_round_trip(idx in prop::collection::vec(0u32..1000, 0..500)) {
        let distinct = idx.iter().max().map_or(0, |&m| m as usize + 1);
        let bits = fixed::fixed_bits_per_symbol(distinct);
        prop_assert!(distinct <= 1 || (1usize << bits) >= distinct && (1usize << (bits - 1)) < distinct);
        let bytes = fixed::encode_fixed(&idx, bits);
        prop_assert_eq!(fixed::decode_fixed(&bytes, bits, idx.len()).unwrap(), idx);
    }

    #[test]
    fn dggr_grad_matches_finite_differences(
        theta in prop::collection::vec(prop_oneof![Just(0.0f32), 0.05f32..2.0, -2.0f32..-0.05], 1..12),
        nu in 0.2f64..2.5,
        eps in 1e-4f64..1e-2,
    ) {
        let mut g = vec![0f32; theta.len()];
        gg::dggr_grad(&theta, nu, eps, &mut g);
        for i in 0..theta.len() {
            if theta[i] == 0.0 {
                prop_assert_eq!(g[i], 0.0);
                continue;
            }
            let h = 1e-3 * theta[i].abs();
            let (mut up, mut down) = (theta.clone(), theta.clone());
            up[i] += h;
            down[i] -= h;
            let dh = f64::from(up[i]) - f64::from(down[i]);
            let fd = (gg::dggr_rate(&up, nu, eps) - gg::dggr_rate(&down, nu, eps)) / dh;
            let rel = (f64::from(g[i]) - fd).abs() / fd.abs().max(1e-12);
            prop_assert!(rel < 1e-4, "i {} θ {} analytic {} numeric {}", i, theta[i], g[i], fd);
        }
    }
}

/// Textbook Huffman cost (repeatedly merge the two smallest weights; the cost is the sum of the
/// merged weights), O(n²), for checking optimality.
/// Symbols of 2^16 and more are outside the fast decoder's table: it must fall back for them.
#[test]
fn huffman_large_alphabet_fast_equals_ref() {
    let n = 70_000usize;
    // Ten symbols above 2^16 take most of the mass, so their codes are short.
    let counts: Vec<u64> = (0..n)
        .map(|i| if i >= n - 10 { 10_000_000 } else { 1 + (i as u64 % 7) })
        .collect();
    let code = HuffmanCode::from_counts(&counts).unwrap();
    assert!(code.lengths()[n - 1] <= 5, "{}", code.lengths()[n - 1]);
    let mut rng = ChaCha8Rng::seed_from_u64(3);
    let syms: Vec<u32> = (0..20_000)
        .map(|i| {
            if i % 2 == 0 {
                rng.random_range(n as u32 - 10..n as u32)
            } else {
                rng.random_range(0..n as u32)
            }
        })
        .collect();
    let bytes = code.encode(&syms).unwrap();
    assert_eq!(code.decode(&bytes, syms.len()).unwrap(), syms);
    assert_eq!(code.decode_ref(&bytes, syms.len()).unwrap(), syms);
}

fn huffman_cost(counts: &[u64]) -> u64 {
    let mut w: Vec<u64> = counts.iter().copied().filter(|&c| c > 0).collect();
    let mut cost = 0;
    while w.len() > 1 {
        w.sort_unstable_by(|a, b| b.cmp(a));
        let (a, b) = (w.pop().unwrap_or(0), w.pop().unwrap_or(0));
        cost += a + b;
        w.push(a + b);
    }
    cost
}

/// Seeded generalized-Gaussian samples: |x| = α·Gamma(1/ν, 1)^(1/ν), random sign.
fn gg_samples(nu: f64, alpha: f64, n: usize, seed: u64) -> Vec<f32> {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let gamma = Gamma::new(1.0 / nu, 1.0).expect("valid shape");
    (0..n)
        .map(|_| {
            let m = alpha * gamma.sample(&mut rng).powf(1.0 / nu);
            (if rng.random::<bool>() { m } else { -m }) as f32
        })
        .collect()
}

#[test]
fn shape_estimator_recovers_nu() {
    for (i, nu) in [0.5, 1.0, 1.5, 2.0].into_iter().enumerate() {
        let x = gg_samples(nu, 0.03, 200_000, 100 + i as u64);
        let got = gg::estimate_shape(&x).unwrap();
        assert!((got - nu).abs() <= 0.05, "true ν {nu}, estimated {got}");
        // Pooling the same samples in pieces gives the same answer.
        let mut m = gg::Moments::new();
        for chunk in x.chunks(30_001) {
            m.add(chunk).unwrap();
        }
        let pooled = m.fit().unwrap();
        assert!((pooled.nu - got).abs() < 1e-9);
        assert!((pooled.alpha() - 0.03).abs() < 0.03 * 0.05, "α {}", pooled.alpha());
    }
}

#[test]
fn huffman_near_entropy_on_gg_indices() {
    // Quantized GG tensors with entropy 4-7 bits (after and before BackSlash, paper Table 3):
    // Huffman within 0.05 bit of H. (On far more peaked data, e.g. 60% zeros, the 1-bit minimum
    // code length costs more: Huffman is only guaranteed below H + 1.)
    for (nu, alpha, seed) in [(0.5, 2e-3, 1u64), (1.0, 0.01, 2), (1.4, 0.04, 3)] {
        let w = gg_samples(nu, alpha, 200_000, seed);
        let q = quant::quantize_slice(&w, 8).unwrap();
        let (map, counts) = ValueMap::from_quantized_with_counts(&q);
        let idx = map.to_indices(&q).unwrap();
        let h = fixed::entropy_bits(&counts);
        let code = HuffmanCode::from_counts(&counts).unwrap();
        let l = code.encoded_bits(&idx).unwrap() as f64 / idx.len() as f64;
        assert!(l >= h - 1e-9 && l - h < 0.05, "ν {nu}: entropy {h:.4}, Huffman {l:.4}");
        let eg = (0..=MAX_K).map(|k| expgolomb::encoded_bits(&idx, k)).min().unwrap() as f64 / idx.len() as f64;
        assert!(eg >= l, "a prefix code beat Huffman: EG {eg}, Huffman {l}");
        let bytes = code.encode(&idx).unwrap();
        assert_eq!(code.decode(&bytes, idx.len()).unwrap(), idx);
    }
}

/// The most bytes a fast step can read: three look-ups of one 13-bit codeword, then a 65-bit
/// codeword on the long path (13 bytes for 4 symbols), in four chunks that claim far more symbols
/// than their bytes hold. The decoder must stop with the reference's error, never read past the end.
#[test]
fn eg_decode_at_truncated_long_steps_end_in_an_error() {
    let mut w = BitWriter::new();
    for _ in 0..200 {
        for _ in 0..3 {
            expgolomb::write(&mut w, 100, 0); // 13 bits
        }
        expgolomb::write(&mut w, u32::MAX, 0); // 65 bits
    }
    let one = w.finish();
    let bytes: Vec<u8> = one.iter().chain(&one).chain(&one).chain(&one).copied().collect();
    let claimed = one.len() * 8; // symbols per chunk: one bit each, as many as the room check allows
    let starts: Vec<u64> = (0..4).map(|j| (j * one.len() * 8) as u64).collect();
    let mut outs = vec![vec![0u32; claimed]; 4];
    let mut slots: Vec<&mut [u32]> = outs.iter_mut().map(|o| o.as_mut_slice()).collect();
    let got = expgolomb::decode_at(&bytes, 0, &starts, &mut slots);
    let want = expgolomb::decode_ref(&bytes, 0, claimed);
    assert!(got.is_err(), "a stream too short for its count decodes");
    assert_eq!(got.unwrap_err(), want.unwrap_err());
}

#[test]
fn eg0_known_answers_h264() {
    // ITU-T H.264 clause 9.1 (Table 9-2): ue(v) codewords 1, 010, 011, 00100, 00101.
    let bytes = expgolomb::encode(&[0, 1, 2, 3, 4], 0);
    assert_eq!(bytes, vec![0b1010_0110, 0b0100_0010, 0b1000_0000]);
    assert_eq!(expgolomb::decode(&bytes, 0, 5).unwrap(), vec![0, 1, 2, 3, 4]);
}
