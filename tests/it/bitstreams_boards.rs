//! The board tops around the UART loopback core go through the whole flow on both boards.

use bitstreams::tops::{board_top, default_baud, default_clock_mhz, loopback_core, DEFAULT_BAUD, DEFAULT_LANES};
use bitstreams::{run_flow, Board, FlowConfig, Tools};

fn build(board: Board, clock: f64) -> bitstreams::Report {
    let core = loopback_core(DEFAULT_BAUD, clock).unwrap();
    let d = board_top(board, &core, clock).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let mut cfg = FlowConfig::new(board, &d.top, dir.path());
    cfg.freq_mhz = clock;
    run_flow(&d.verilog, &cfg, &Tools::default(), &mut |_| {}).unwrap()
}

/// The bridge alone reaches ~46 MHz on the UP5K (seed 1; its TX bit counter is the critical path,
/// docs/bitstreams.md), so the loopback build runs from SB_HFOSC / 2.
#[test]
fn icebreaker_loopback_fits_and_meets_24mhz() {
    let r = build(Board::Icebreaker, 24.0);
    assert!(r.fits && r.timing_met, "{}", r.summary());
    assert_eq!(r.resource("HFOSC").unwrap().used, 1);
    assert_eq!(
        r.resource("EBR").unwrap().used,
        2,
        "the 32-bit scratch RAM (two 16-bit-wide EBRs): {}",
        r.summary()
    );
    assert_eq!(r.clocks.len(), 1);
    assert!((r.clocks[0].target_mhz - 24.0).abs() < 0.01, "{}", r.summary());
}

#[test]
fn hx8k_loopback_fits_and_meets_48mhz_from_the_pll() {
    let r = build(Board::Hx8k, 48.0);
    assert!(r.fits && r.timing_met, "{}", r.summary());
    assert_eq!(r.resource("PLL").unwrap().used, 1);
}

/// `make test`'s bitstream check: the default configuration (DEFAULT_LANES lanes behind the UART
/// bridge, iCEBreaker, at its default accelerator clock) builds, the report parses back, the design
/// fits and meets the clock it was built for.
#[test]
fn icebreaker_default_accelerator_bitstream() {
    default_accelerator_bitstream(Board::Icebreaker);
}

/// The same on the HX8K breakout (core from the PLL, the multipliers in LUTs).
#[test]
fn hx8k_default_accelerator_bitstream() {
    default_accelerator_bitstream(Board::Hx8k);
}

fn default_accelerator_bitstream(board: Board) {
    let clock = default_clock_mhz(board);
    let core =
        bitstreams::tops::accelerator_core(DEFAULT_LANES, Default::default(), default_baud(clock), clock).unwrap();
    let d = board_top(board, &core, clock).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let mut cfg = FlowConfig::new(board, &d.top, dir.path());
    cfg.freq_mhz = clock;
    let r = run_flow(&d.verilog, &cfg, &Tools::default(), &mut |_| {}).unwrap();
    eprintln!("{}", r.summary());
    let back =
        bitstreams::Report::from_json(&std::fs::read_to_string(dir.path().join("report.json")).unwrap()).unwrap();
    assert_eq!(back, r);
    assert!(r.fits);
    if board.has_dsp() {
        assert_eq!(
            r.resource("DSP").unwrap().used as usize,
            DEFAULT_LANES,
            "one SB_MAC16 per lane"
        );
    }
    if board.pll(clock).is_some() {
        assert_eq!(r.resource("PLL").unwrap().used, 1);
    }
    assert!((r.clocks[0].target_mhz - clock).abs() < 0.01, "{}", r.summary());
    assert!(r.timing_met, "Fmax below {clock} MHz: {}", r.summary());
    assert!(std::fs::metadata(dir.path().join(&r.bitstream)).unwrap().len() > 100_000);
}

/// The UP5K SPRAM build (`MemSizes::SPRAM`: P = 2, bit-serial decoder, each lane's stream in two
/// SB_SPRAM256KA) behind the UART bridge at its clock: fits with all four SPRAMs and meets it.
#[test]
fn icebreaker_spram_accelerator_bitstream() {
    let clock = bitstreams::tops::SPRAM_CLOCK_MHZ;
    let core = bitstreams::tops::accelerator_core_sized(
        2,
        hdl::regmap::DecoderKind::Serial,
        hdl::regmap::MemSizes::SPRAM,
        default_baud(clock),
        clock,
    )
    .unwrap();
    let d = board_top(Board::Icebreaker, &core, clock).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let mut cfg = FlowConfig::new(Board::Icebreaker, &d.top, dir.path());
    cfg.freq_mhz = clock;
    let r = run_flow(&d.verilog, &cfg, &Tools::default(), &mut |_| {}).unwrap();
    eprintln!("{}", r.summary());
    assert!(r.fits, "{}", r.summary());
    assert_eq!(
        r.resource("SPRAM").unwrap().used,
        4,
        "two SPRAMs per lane: {}",
        r.summary()
    );
    assert_eq!(r.resource("DSP").unwrap().used, 2, "one SB_MAC16 per lane");
    assert!(r.timing_met, "Fmax below {clock} MHz: {}", r.summary());
}
