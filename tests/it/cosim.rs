//! Golden against the Verilated accelerator (sim crate), through the host driver:
//! - random layers (shapes, sparsity 0-99%, value-map sizes, k in 0..=5, P = 1, 4, 8 with the pipelined
//!   decoder and P = 4 with the bit-serial one): identical outputs, counters that agree with the weights,
//!   and identical counters across repeated runs;
//! - malformed streams (cut short, garbage, indices beyond the value map): the error register names the
//!   lane, row and column of the symbol where golden's decoder (plus the hardware's limits) fails, and the
//!   next good layer runs correctly;
//! - at least 10^6 random codewords decoded by the accelerator equal golden's decode;
//! - a VCD parsed back with the `vcd` crate shows START, DONE and a cycle count that agree with CYCLES.

use crate::fixtures::*;
use golden::expgolomb;
use golden::infer::{QLayer, QModel};
use golden::layout;
use hdl::regmap::{self, DecoderKind, ErrorCode, MemSizes};
use host::{CompileOptions, Counters, Driver, HostBus, Program};
use proptest::prelude::*;
use sim::accel::{AccelModel, ACCELERATORS};
use sim::Accelerator;

/// The lane counts of the Verilated accelerators with the pipelined decoder (sim's generated list).
fn lane_counts() -> Vec<usize> {
    sim::accel::lanes_for(DecoderKind::Pipelined)
}

/// The Verilated builds the properties run on: (lanes, decoder) of every traceable model in
/// `sim::accel::ACCELERATORS` (the copies without `--trace` compute the same, see
/// `notrace_and_traceable_models_agree`).
fn builds() -> Vec<(usize, DecoderKind)> {
    ACCELERATORS
        .iter()
        .filter(|m| m.trace)
        .map(|m| (m.lanes, m.decoder))
        .collect()
}

fn driver(lanes: usize) -> Driver<Accelerator> {
    driver_with((lanes, DecoderKind::Pipelined))
}

fn driver_with((lanes, decoder): (usize, DecoderKind)) -> Driver<Accelerator> {
    let acc = Accelerator::with_decoder(lanes, decoder).expect("accelerator compiled in");
    let mut d = Driver::new(acc).expect("driver");
    assert_eq!(d.decoder(), decoder, "CAPS names the build's decoder");
    d.set_limit(1_000_000);
    d
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 32, ..ProptestConfig::default() })]

    #[test]
    fn random_layers_match_golden(
        spec in layer_spec(40),
        build in prop::sample::select(builds()),
        k in 0u32..=5,
        zero_skip in any::<bool>(),
        two in any::<bool>(),
    ) {
        let mut rng = Rng(spec.seed);
        let model = random_model(&spec, two, &mut rng);
        let x = random_input(spec.cols, &mut rng);
        let (lanes, decoder) = build;
        let mut d = driver_with(build);
        let program = d.compile(&model, CompileOptions::fixed(k, zero_skip)).unwrap();
        let want = model.forward_all(&x).unwrap();
        let first = d.infer(&program, &x).unwrap();
        prop_assert_eq!(&first.outputs, &want);
        for (l, (layer, c)) in model.layers.iter().zip(&first.counters).enumerate() {
            let n = (layer.rows * layer.cols) as u32;
            prop_assert_eq!(c.nonzero as usize, layer.nonzeros(), "layer {} non-zero MACs", l);
            prop_assert_eq!(c.nonzero + c.zero_skipped + c.zero_mac, n, "layer {}: every weight counted once", l);
            if !program.layers[l].zero_skip || decoder == DecoderKind::Serial {
                prop_assert_eq!(c.zero_skipped, 0);
            }
            prop_assert!(c.cycles as u64 >= (c.nonzero + c.zero_mac) as u64 / lanes as u64);
        }
        // The same run again on the same accelerator, and on a fresh one: the same counters.
        let again = d.infer(&program, &x).unwrap();
        prop_assert_eq!(&again.outputs, &first.outputs);
        prop_assert_eq!(&again.counters, &first.counters);
        let fresh = driver_with(build).infer(&program, &x).unwrap();
        prop_assert_eq!(&fresh.outputs, &first.outputs);
        prop_assert_eq!(&fresh.counters, &first.counters);
    }
}

/// Loads `layer` with `lane_words` as its streams (and `vmap_len`), runs, returns the hardware error.
fn run_raw(
    d: &mut Driver<Accelerator>,
    layer: &QLayer,
    vmap: &[i32],
    vmap_len: usize,
    k: u32,
    zero_skip: bool,
    lane_words: &[Vec<u32>],
) -> Option<regmap::ErrorInfo> {
    d.write_config(
        layer.rows,
        layer.cols,
        k,
        layer.shift,
        regmap::flags(layer.relu, zero_skip),
        vmap_len,
    )
    .unwrap();
    d.write_vmap(vmap).unwrap();
    d.write_bias(&layer.bias).unwrap();
    d.write_streams(lane_words).unwrap();
    d.write_inputs(&vec![1; layer.cols]).unwrap();
    d.run().unwrap().1
}

#[derive(Debug, Clone)]
enum Damage {
    /// Lane `lane` keeps only this many words.
    Cut(usize),
    /// From this word on, lane `lane` holds random words.
    Garbage(usize),
    /// VMAP_LEN below the largest index used.
    ShortMap,
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]

    #[test]
    fn malformed_streams_fail_where_golden_does(
        spec in layer_spec(24),
        build in prop::sample::select(builds()),
        k in 0u32..=5,
        zero_skip in any::<bool>(),
        kind in 0usize..3,
        cut in any::<prop::sample::Index>(),
    ) {
        let mut rng = Rng(spec.seed ^ 0xBAD);
        let layer = random_layer(&spec, &mut rng);
        let model = QModel::from_layers(vec![layer.clone()]);
        let lanes = build.0;
        let mut d = driver_with(build);
        let program = d.compile(&model, CompileOptions::fixed(k, zero_skip)).unwrap();
        let image = &program.layers[0];
        prop_assume!(image.passes.len() == 1);
        let mut words = image.passes[0].streams.words.clone();
        let lane = (spec.seed as usize) % lanes.min(layer.rows);
        let mut vmap_len = image.vmap.len();
        let damage = match kind {
            0 => Damage::Cut(cut.index(words[lane].len().max(1))),
            1 => Damage::Garbage(cut.index(words[lane].len().max(1))),
            _ => {
                prop_assume!(image.vmap.len() > 1);
                Damage::ShortMap
            }
        };
        match damage {
            Damage::Cut(n) => words[lane].truncate(n),
            Damage::Garbage(from) => {
                for w in words[lane].iter_mut().skip(from) {
                    *w = rng.next() as u32;
                }
            }
            Damage::ShortMap => vmap_len = 1 + rng.below(image.vmap.len() as u64 - 1) as usize,
        }
        // Golden's verdict, lane by lane.
        let expected: Vec<Option<(usize, ErrorCode)>> = (0..lanes)
            .map(|l| {
                let count = layout::rows_in_lane(layer.rows, lanes, l) * layer.cols;
                first_error(&words[l], count, image.k, vmap_len)
            })
            .collect();
        let got = run_raw(&mut d, &layer, &image.vmap, vmap_len, image.k, image.zero_skip, &words);
        match (expected.iter().any(Option::is_some), got) {
            (false, None) => {}
            (false, Some(info)) => prop_assert!(false, "hardware error {:?} on a stream golden decodes ({:?})", info, damage),
            (true, None) => prop_assert!(false, "no hardware error; golden expects {:?} ({:?})", expected, damage),
            (true, Some(info)) => {
                let l = info.lane as usize;
                let (symbol, code) = expected.get(l).copied().flatten()
                    .unwrap_or_else(|| panic!("hardware blames lane {l}, golden finds errors {expected:?}"));
                let row = layout::lane_rows(layer.rows, lanes, l).nth(symbol / layer.cols).unwrap();
                prop_assert_eq!((info.code, info.row as usize, info.col as usize), (Some(code), row, symbol % layer.cols),
                    "lane {} symbol {} ({:?})", l, symbol, damage);
            }
        }
        // The accelerator recovers: the intact layer now runs correctly.
        let x = random_input(layer.cols, &mut rng);
        let out = d.infer(&program, &x).unwrap();
        prop_assert_eq!(out.outputs, model.forward_all(&x).unwrap());
    }
}

/// 10^6 random codewords (k = 0..=5, indices up to 255, zero runs included) decoded by the accelerator and
/// compared with golden's decode. Each layer has few columns; input e_c (one-hot), bias 0, shift 0 and a
/// one-to-one table of the 256 indices onto -128..=127 (0, 1, -1, 2, -2, ..., -128; index 0 is the weight
/// 0, so zero-run skipping is valid with k = 0) make output row r equal to table[index of (r, c)]: every
/// codeword is seen.
#[test]
fn a_million_codewords_equal_golden() {
    let table: Vec<i32> = (0..256)
        .map(|i: i32| {
            if i == 255 {
                -128
            } else if i % 2 == 1 {
                (i + 1) / 2
            } else {
                -(i / 2)
            }
        })
        .collect();
    let mut rng = Rng(2026);
    let mut checked = 0usize;
    let lanes_list = lane_counts();
    let mut drivers: Vec<Driver<Accelerator>> = lanes_list.iter().map(|&p| driver(p)).collect();
    for d in &mut drivers {
        d.write_vmap(&table).unwrap();
        d.write_bias(&vec![0; MemSizes::LARGE.bias_rows()]).unwrap();
    }
    let mut round = 0;
    while checked < 1_000_000 {
        let d = &mut drivers[round % lanes_list.len()];
        let lanes = lanes_list[round % lanes_list.len()];
        round += 1;
        let k = rng.below(6) as u32;
        let rows = MemSizes::LARGE.max_dim();
        let cols = 1 + rng.below(4) as usize;
        // Mostly small indices (long zero runs for k = 0), sometimes any of the 256.
        let zero_rate = rng.below(100);
        let indices: Vec<u32> = (0..rows * cols)
            .map(|_| match rng.below(100) {
                p if p < zero_rate => 0,
                p if p % 3 == 0 => rng.below(256) as u32,
                _ => {
                    let span = 1 + rng.below(16);
                    rng.below(span) as u32
                }
            })
            .collect();
        let streams = layout::layout_indices(&indices, rows, cols, k, lanes).unwrap();
        for l in 0..lanes {
            let golden = expgolomb::decode(
                &layout::bytes_from_words(&streams.words[l]),
                k,
                layout::rows_in_lane(rows, lanes, l) * cols,
            )
            .unwrap();
            let mine: Vec<u32> = layout::lane_rows(rows, lanes, l)
                .flat_map(|r| indices[r * cols..(r + 1) * cols].to_vec())
                .collect();
            assert_eq!(golden, mine, "golden round trip");
        }
        d.write_config(rows, cols, k, 0, regmap::flags(false, k == 0), table.len())
            .unwrap();
        d.write_streams(&streams.words).unwrap();
        for c in 0..cols {
            let x: Vec<i8> = (0..cols).map(|j| i8::from(j == c)).collect();
            d.write_inputs(&x).unwrap();
            let (_, err) = d.run().unwrap();
            assert_eq!(err, None, "round {round}");
            let y = d.read_outputs(rows).unwrap();
            for r in 0..rows {
                assert_eq!(
                    i32::from(y[r]),
                    table[indices[r * cols + c] as usize],
                    "round {round}, P={lanes}, k={k}, row {r}, col {c}"
                );
            }
        }
        checked += rows * cols;
    }
    assert!(checked >= 1_000_000);
}

/// Value of a VCD variable over time, as (time, value) changes.
fn changes(path: &std::path::Path, name: &str) -> Vec<(u64, u64)> {
    use vcd::{Command, ScopeItem};
    let file = std::io::BufReader::new(std::fs::File::open(path).unwrap());
    let mut parser = vcd::Parser::new(file);
    let header = parser.parse_header().unwrap();
    fn find(items: &[ScopeItem], name: &str) -> Option<vcd::IdCode> {
        for item in items {
            match item {
                ScopeItem::Var(v) if v.reference == name => return Some(v.code),
                ScopeItem::Scope(s) => {
                    if let Some(c) = find(&s.items, name) {
                        return Some(c);
                    }
                }
                _ => {}
            }
        }
        None
    }
    let code = find(&header.items, name).unwrap_or_else(|| panic!("no {name} in the VCD"));
    let mut t = 0;
    let mut out = Vec::new();
    for cmd in parser {
        match cmd.unwrap() {
            Command::Timestamp(x) => t = x,
            Command::ChangeScalar(c, v) if c == code => out.push((t, u64::from(v == vcd::Value::V1))),
            Command::ChangeVector(c, v) if c == code => {
                out.push((t, v.iter().fold(0u64, |a, b| (a << 1) | u64::from(b == vcd::Value::V1))))
            }
            _ => {}
        }
    }
    out
}

/// The value of a signal at each rising edge 0..edges (time edge * tpc), from its changes.
fn per_edge(ch: &[(u64, u64)], edges: u64, tpc: u64) -> Vec<u64> {
    let mut out = Vec::with_capacity(edges as usize);
    let (mut i, mut v) = (0, 0);
    for e in 0..edges {
        while i < ch.len() && ch[i].0 <= e * tpc {
            v = ch[i].1;
            i += 1;
        }
        out.push(v);
    }
    out
}

#[test]
fn vcd_shows_start_done_and_the_cycle_count() {
    let dir = tempfile::tempdir().unwrap();
    let mut rng = Rng(7);
    for (i, lanes) in lane_counts().into_iter().enumerate() {
        let spec = LayerSpec {
            rows: 10 + 7 * i,
            cols: 20,
            sparsity: 60,
            distinct: 9,
            seed: 11 + i as u64,
        };
        let model = random_model(&spec, false, &mut rng);
        let x = random_input(spec.cols, &mut rng);
        let mut acc = Accelerator::new_traceable(lanes).unwrap();
        let path = dir.path().join(format!("p{lanes}.vcd"));
        acc.trace(&path, 0..u64::MAX).unwrap();
        let mut d = Driver::new(acc).unwrap();
        let program = d.compile(&model, CompileOptions::default()).unwrap();
        let inf = d.infer(&program, &x).unwrap();
        assert_eq!(inf.outputs, model.forward_all(&x).unwrap());
        let mut acc = d.into_inner();
        acc.trace_close();
        let cycles = inf.counters[0].cycles as u64;

        let tpc = sim::TIME_PER_CYCLE;
        let write = changes(&path, "host_write");
        let addr = changes(&path, "host_addr");
        let wdata = changes(&path, "host_wdata");
        let irq = changes(&path, "irq");
        // START: the rising edge that samples host_write = 1 with CTRL and the START bit (inputs set between
        // edges show up settled just before the edge that samples them; back-to-back writes keep
        // host_write high, so look at every edge).
        let edges = irq.last().unwrap().0 / tpc + 1;
        let (w, a, d) = (
            per_edge(&write, edges, tpc),
            per_edge(&addr, edges, tpc),
            per_edge(&wdata, edges, tpc),
        );
        let start = (0..edges as usize)
            .find(|&c| w[c] == 1 && a[c] == u64::from(regmap::REG_CTRL) && d[c] & u64::from(regmap::CTRL_START) != 0)
            .map(|c| c as u64 * tpc)
            .expect("a START write in the VCD");
        let done = irq
            .iter()
            .find(|(t, v)| *v == 1 && *t > start)
            .map(|c| c.0)
            .expect("irq rises after START");
        assert_eq!(done % tpc, 0, "irq changes on a rising clock edge");
        let span = inf.spans[0][0].clone();
        assert_eq!(
            start / tpc,
            span.start,
            "P={lanes}: START edge in the VCD is the one the driver issued"
        );
        assert_eq!(
            done / tpc + 1,
            span.end,
            "P={lanes}: DONE in the VCD is where the driver saw it"
        );
        // DONE rises CYCLES + DONE_OFFSET edges after the START edge (hdl::accelerator::DONE_OFFSET).
        let vcd_cycles = done / tpc - start / tpc;
        assert_eq!(
            vcd_cycles,
            cycles + hdl::accelerator::DONE_OFFSET,
            "P={lanes}: VCD start..done against CYCLES = {cycles}"
        );
    }
}

#[test]
fn hangs_are_errors_with_the_cycle_count() {
    // A layer that needs far more clocks than the limit allows.
    let mut rng = Rng(3);
    let spec = LayerSpec {
        rows: 200,
        cols: 200,
        sparsity: 0,
        distinct: 30,
        seed: 5,
    };
    let model = random_model(&spec, false, &mut rng);
    let mut d = driver(1);
    d.set_limit(100);
    let program = d.compile(&model, CompileOptions::default()).unwrap();
    let err = d.infer(&program, &random_input(200, &mut rng)).unwrap_err();
    assert!(matches!(err, host::HostError::Hang { cycles: 100 }), "{err}");
}

#[test]
fn registers_identify_the_build() {
    // Every model of the generated list is what its row says: ID (lanes), CAPS (memories, decoder),
    // traceability.
    assert!(!ACCELERATORS.is_empty());
    for m in ACCELERATORS {
        let mut acc = Accelerator::open(m).unwrap();
        assert_eq!(acc.lanes(), m.lanes);
        assert_eq!(acc.traceable(), m.trace, "{}", m.name);
        assert_eq!(
            acc.read(regmap::REG_ID).unwrap(),
            regmap::ID_MAGIC << 8 | m.lanes as u32,
            "{}",
            m.name
        );
        let caps = acc.read(regmap::REG_CAPS).unwrap();
        assert_eq!(MemSizes::from_caps(caps), m.sizes, "{}", m.name);
        assert_eq!(
            caps & regmap::CAPS_SERIAL != 0,
            m.decoder == DecoderKind::Serial,
            "{}",
            m.name
        );
        assert_eq!(acc.counters().unwrap(), Counters::default());
        assert_eq!(AccelModel::by_name(m.name), Some(m));
    }
    // The lookups: lanes and decoder to the traceable model and to the fastest one.
    for (lanes, decoder) in builds() {
        let traced = AccelModel::find(lanes, decoder).unwrap();
        assert!(traced.trace && traced.lanes == lanes && traced.decoder == decoder);
        assert!(Accelerator::traceable_with_decoder(lanes, decoder).unwrap().traceable());
        let fast = AccelModel::find_fastest(lanes, decoder).unwrap();
        assert!(fast.lanes == lanes && fast.decoder == decoder);
        let notrace = ACCELERATORS
            .iter()
            .any(|m| m.lanes == lanes && m.decoder == decoder && !m.trace);
        assert_eq!(fast.trace, !notrace, "{}", fast.name);
        assert_eq!(Accelerator::with_decoder(lanes, decoder).unwrap().traceable(), !notrace);
    }
    // A configuration with no model is refused, naming the decoder and what there is.
    for lanes in regmap::LANE_COUNTS {
        for decoder in DecoderKind::ALL {
            if AccelModel::find(lanes, decoder).is_some() {
                continue;
            }
            let err = Accelerator::with_decoder(lanes, decoder).err().expect("no such build");
            assert!(err.to_string().contains(&format!("{decoder} decoder")), "{err}");
        }
    }
    assert!(AccelModel::by_name("uart_accel_p4").is_none(), "not a bare accelerator");
}

#[test]
fn oversized_layers_run_in_passes() {
    // More rows than the build's max_dim: two passes, same answers.
    let mut rng = Rng(99);
    let spec = LayerSpec {
        rows: MemSizes::LARGE.max_dim() + 44,
        cols: 16,
        sparsity: 50,
        distinct: 20,
        seed: 8,
    };
    let model = random_model(&spec, false, &mut rng);
    let mut d = driver(4);
    let program: Program = d.compile(&model, CompileOptions::default()).unwrap();
    assert_eq!(program.layers[0].passes.len(), 2);
    let x = random_input(16, &mut rng);
    assert_eq!(d.infer(&program, &x).unwrap().outputs, model.forward_all(&x).unwrap());
}

/// The no-trace copy of the P = 4 accelerator (what `Accelerator::new` opens) and the traceable model compute
/// the same: equal outputs, counters, clock spans and clock counts on random layers (sparsity 0-99%, k 0..=5,
/// zero-skip on and off, one or two layers), including a malformed stream's error report.
#[test]
fn layers_as_wide_as_the_build_match_golden() {
    // Fashion-MNIST's 784 inputs, and the build's largest layer both ways (rows and columns at
    // max_dim), on every build: outputs equal golden, every weight counted once.
    let max = MemSizes::LARGE.max_dim();
    let mut rng = Rng(784);
    for (i, (rows, cols)) in [(24, 784), (max, 24), (20, max)].into_iter().enumerate() {
        let spec = LayerSpec {
            rows,
            cols,
            sparsity: 85,
            distinct: 24,
            seed: 40 + i as u64,
        };
        let model = random_model(&spec, false, &mut rng);
        let x = random_input(cols, &mut rng);
        let want = model.forward_all(&x).unwrap();
        for build in builds() {
            let mut d = driver_with(build);
            let program = d.compile(&model, CompileOptions::default()).unwrap();
            assert_eq!(
                program.layers[0].passes.len(),
                1,
                "{rows}x{cols} on {build:?}: one pass"
            );
            let got = d.infer(&program, &x).unwrap();
            assert_eq!(got.outputs, want, "{rows}x{cols} on {build:?}");
            let c = &got.counters[0];
            assert_eq!(
                c.nonzero as usize,
                model.layers[0].nonzeros(),
                "{rows}x{cols} on {build:?}"
            );
            assert_eq!(
                (c.nonzero + c.zero_skipped + c.zero_mac) as usize,
                rows * cols,
                "{rows}x{cols} on {build:?}"
            );
        }
    }
    // One column more than the build takes: refused before anything is written.
    let wide = random_model(
        &LayerSpec {
            rows: 4,
            cols: max + 1,
            sparsity: 50,
            distinct: 8,
            seed: 3,
        },
        false,
        &mut rng,
    );
    let err = driver(4).compile(&wide, CompileOptions::default()).unwrap_err();
    assert!(err.to_string().contains(&format!("at most {max}")), "{err}");
}

#[test]
fn notrace_and_traceable_models_agree() {
    let fast = Accelerator::new(4).unwrap();
    let traced = Accelerator::new_traceable(4).unwrap();
    assert!(traced.traceable());
    if fast.traceable() {
        // No no-trace copy of P = 4 is compiled in: nothing to compare.
        return;
    }
    let mut fast = Driver::new(fast).unwrap();
    let mut traced = Driver::new(traced).unwrap();
    let mut rng = Rng(2024);
    for case in 0..12u64 {
        let spec = LayerSpec {
            rows: 1 + rng.below(60) as usize,
            cols: 1 + rng.below(60) as usize,
            sparsity: [0, 50, 80, 99][case as usize % 4],
            distinct: 1 + rng.below(40) as usize,
            seed: 100 + case,
        };
        let model = random_model(&spec, case % 3 == 0, &mut rng);
        let x = random_input(spec.cols, &mut rng);
        let opts = CompileOptions::fixed((case % 6) as u32, case % 2 == 0);
        let program = fast.compile(&model, opts).unwrap();
        let a = fast.infer(&program, &x).unwrap();
        let b = traced.infer(&program, &x).unwrap();
        assert_eq!(a, b, "case {case}: outputs, counters and clock spans");
        assert_eq!(a.outputs, model.forward_all(&x).unwrap(), "case {case}");
        assert_eq!(fast.bus().cycle(), traced.bus().cycle(), "case {case}: clocks");
    }
    // A stream cut short: the same error, at the same clock.
    let mut rng = Rng(5);
    let spec = LayerSpec {
        rows: 30,
        cols: 30,
        sparsity: 40,
        distinct: 20,
        seed: 9,
    };
    let model = random_model(&spec, false, &mut rng);
    let x = random_input(spec.cols, &mut rng);
    let mut program = fast.compile(&model, CompileOptions::default()).unwrap();
    let words = &mut program.layers[0].passes[0].streams.words[0];
    words.truncate(words.len() / 2);
    let mut outcome = Vec::new();
    for d in [&mut fast, &mut traced] {
        d.load(&program.layers[0], 0, true).unwrap();
        d.write_inputs(&x).unwrap();
        let (counters, error) = d.run().unwrap();
        assert!(error.is_some(), "a truncated stream is an error");
        outcome.push((counters, error, d.bus().cycle()));
    }
    assert_eq!(outcome[0], outcome[1]);
}

#[test]
fn tracing_needs_a_traceable_model() {
    let mut acc = Accelerator::new(4).unwrap();
    let dir = tempfile::tempdir().unwrap();
    match acc.trace(&dir.path().join("x.vcd"), 0..10) {
        Err(e @ sim::SimError::NotTraceable { .. }) => {
            assert!(!acc.traceable());
            assert!(e.to_string().contains("new_traceable"), "{e}");
        }
        Ok(()) => assert!(
            acc.traceable(),
            "trace() succeeded on a model that says it cannot trace"
        ),
        Err(e) => panic!("unexpected error: {e}"),
    }
}

/// `backslash estimate`'s latency model (bitstreams::estimate::estimate_cycles with the layer's real
/// weights, one codeword per lane per clock) against CYCLES of the Verilated pipelined accelerator
/// without zero-run skipping: exact with one lane; with P lanes each result also waits its turn at the
/// shared output stage (one per clock), so a layer may take up to P - 1 clocks more, plus any clocks a
/// lane stalled.
/// The estimate's view of a layer: its shape and its actual weights (exact clock counts).
fn shape_of(layer: &QLayer) -> bitstreams::estimate::LayerShape {
    bitstreams::estimate::LayerShape {
        rows: layer.rows,
        cols: layer.cols,
        zero_fraction: 0.0,
        weights: Some(layer.weights.clone()),
    }
}

/// A random layer shape for the latency tests: up to 40 x 60, any sparsity, up to 40 values.
fn small_layer_spec(rng: &mut crate::fixtures::Rng, seed: u64) -> LayerSpec {
    LayerSpec {
        rows: 1 + rng.below(40) as usize,
        cols: 1 + rng.below(60) as usize,
        sparsity: rng.below(100),
        distinct: 1 + rng.below(40) as usize,
        seed,
    }
}

#[test]
fn estimated_cycles_match_the_verilated_accelerator() {
    use bitstreams::estimate::estimate_cycles;
    let mut rng = Rng(11);
    for case in 0..18u64 {
        let lanes = [1, 4, 8][case as usize % 3];
        let spec = small_layer_spec(&mut rng, case);
        let model = random_model(&spec, false, &mut rng);
        let layer = &model.layers[0];
        let mut d = driver(lanes);
        let options = CompileOptions::fixed(0, false);
        let program = d.compile(&model, options).unwrap();
        let x = random_input(spec.cols, &mut rng);
        let c = d.infer(&program, &x).unwrap().counters[0].clone();
        let shape = shape_of(layer);
        let est = estimate_cycles(lanes, &[shape], false)[0];
        let cycles = u64::from(c.cycles);
        let slack = if lanes == 1 {
            0
        } else {
            lanes as u64 - 1 + u64::from(c.stall)
        };
        assert!(
            cycles >= est && cycles <= est + slack,
            "P={lanes} {}x{}: CYCLES {cycles}, estimate {est}, stall {}",
            layer.rows,
            layer.cols,
            c.stall
        );
    }
}

/// `backslash estimate --decoder serial`'s latency model (bitstreams::estimate::estimate_cycles_for
/// with `Latency::Serial` and the layer's real weights: the slowest lane's stream bits, one bit per
/// clock, plus SERIAL_PIPELINE_CLOCKS) against CYCLES of the Verilated P = 4 serial accelerator, the
/// layers compiled as `backslash sim` does (value map, automatic k). The estimate's bits must be the
/// compiler's stream bits of the slowest lane, and CYCLES - estimate must lie in [0, ties + stall]:
/// results leave through the shared output stage one per clock, so the slowest lane's last result
/// can wait only for the last results of lanes that finished within P - 1 clocks before it ("ties",
/// counted from the streams' bits), plus the lane-clocks stalled (PERF_STALL). The pipelined test
/// allows P - 1 + stall; this bound is tighter, so a model off by one clock fails on the layers
/// without ties.
#[test]
fn estimated_serial_cycles_match_the_verilated_accelerator() {
    use bitstreams::estimate::{estimate_cycles_for, Latency, SerialAssumption, SERIAL_PIPELINE_CLOCKS};
    let lanes = 4;
    let mut rng = Rng(29);
    let mut ks = std::collections::BTreeSet::new();
    for case in 0..12u64 {
        let spec = small_layer_spec(&mut rng, case);
        let model = random_model(&spec, false, &mut rng);
        let layer = &model.layers[0];
        let mut d = driver_with((lanes, DecoderKind::Serial));
        let program = d.compile(&model, CompileOptions::default()).unwrap();
        assert_eq!(program.layers[0].passes.len(), 1, "one run per layer");
        ks.insert(program.layers[0].k);
        let x = random_input(spec.cols, &mut rng);
        let c = d.infer(&program, &x).unwrap().counters[0].clone();
        let shape = shape_of(layer);
        let est = estimate_cycles_for(Latency::Serial(SerialAssumption::default()), lanes, &[shape])[0];
        let cycles = u64::from(c.cycles);
        let bits = &program.layers[0].passes[0].streams.bits;
        let slowest = *bits.iter().max().unwrap();
        assert_eq!(
            est - SERIAL_PIPELINE_CLOCKS,
            slowest,
            "the estimate's decode clocks are the slowest lane's stream bits"
        );
        let ties = bits.iter().filter(|&&b| b + lanes as u64 > slowest).count() as u64 - 1;
        let slack = ties + u64::from(c.stall);
        eprintln!(
            "{}x{} k={}: CYCLES {cycles}, estimate {est}, ties {ties}, stall {}, lane bits {:?}",
            layer.rows, layer.cols, program.layers[0].k, c.stall, program.layers[0].passes[0].streams.bits
        );
        assert!(
            cycles >= est && cycles <= est + slack,
            "P={lanes} {}x{} k={}: CYCLES {cycles}, estimate {est}, ties {ties}, stall {}",
            layer.rows,
            layer.cols,
            program.layers[0].k,
            c.stall
        );
    }
    assert!(ks.len() > 1, "the layers cover more than one EG order: {ks:?}");
}

/// The output stage (R1-R6) against `golden::infer::requantize` for every SHIFT 0..=31 with and
/// without ReLU, on accumulators at the edges that matter: around the saturation bounds
/// (±128 << s, with the rounding constant), the 32-bit extremes (where `acc + 2^(s-1)` wraps), 0,
/// ±1 and random values. A one-column layer with weight 1 and input 0 makes each row's accumulator
/// its bias (the random layers above use shifts below 20 and biases below 2^24 only).
#[test]
fn output_stage_requantizes_every_shift_like_golden() {
    let mut rng = Rng(29);
    let mut d = driver(1);
    for shift in 0..32u32 {
        let mut acc: Vec<i32> = vec![0, 1, -1, i32::MAX, i32::MIN, i32::MAX - 1, i32::MIN + 1];
        for edge in [127i64, 128, -128, -129] {
            let at = edge << shift;
            for delta in [-2i64, -1, 0, 1, 2] {
                // the bound itself, and the values that round onto it or past it
                for v in [at + delta, at - (1i64 << shift) / 2 + delta] {
                    if (i32::MIN as i64..=i32::MAX as i64).contains(&v) {
                        acc.push(v as i32);
                    }
                }
            }
        }
        while acc.len() < 64 {
            acc.push((rng.next() as i32) >> rng.below(31));
        }
        for relu in [false, true] {
            let layer = QLayer {
                rows: acc.len(),
                cols: 1,
                weights: vec![1; acc.len()],
                bias: acc.clone(),
                shift,
                relu,
            };
            let model = QModel::from_layers(vec![layer]);
            let program = d.compile(&model, CompileOptions::fixed(0, false)).unwrap();
            let got = d.infer(&program, &[0]).unwrap().outputs;
            let want: Vec<i8> = acc.iter().map(|&a| golden::infer::requantize(a, shift, relu)).collect();
            assert_eq!(got[0], want, "shift {shift} relu {relu}: accumulators {acc:?}");
            assert_eq!(got[0], model.forward_all(&[0]).unwrap()[0]);
        }
    }
}
