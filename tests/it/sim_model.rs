//! The Verilator build infrastructure on a hand-written counter (tests/counter.v): ports by name, ticks,
//! run-until with a limit, signed ports, 64-bit ports, independent instances, and windowed VCD traces.
use host::HostError;
use sim::{Model, SimError, TIME_PER_CYCLE};

fn counter() -> Model {
    Model::new("counter").expect("the counter model is compiled in")
}

#[test]
fn counts_enabled_cycles_and_clears() {
    let mut m = counter();
    let (enable, clear, count) = (
        m.input("enable").unwrap(),
        m.input("clear").unwrap(),
        m.output("count").unwrap(),
    );
    assert_eq!(m.get(count), 0);
    m.tick(5);
    assert_eq!(m.get(count), 0, "disabled counter must hold");
    m.set(enable, 1);
    m.tick(7);
    assert_eq!(m.get(count), 7);
    assert_eq!(m.cycle(), 12);
    m.set(clear, 1);
    m.tick(1);
    assert_eq!(m.get(count), 0);
    m.set(clear, 0);
    m.tick(3);
    assert_eq!(m.get(count), 3);
}

#[test]
fn wide_and_signed_ports() {
    let mut m = counter();
    let (enable, offset) = (m.input("enable").unwrap(), m.input("offset").unwrap());
    let (wide, shifted) = (m.output("wide").unwrap(), m.output("shifted").unwrap());
    assert_eq!(wide.width(), 64);
    m.set(enable, 1);
    m.tick(3);
    m.set(offset, (-5i64) as u64); // masked to 8 bits by the model
    m.eval();
    assert_eq!(m.get(wide), (3u64 << 32) | u64::from(!3u32));
    assert_eq!(m.get_signed(shifted), -2);
    assert_eq!(
        m.get(shifted),
        0xfffe,
        "signed ports arrive as their unsigned bit pattern"
    );
}

#[test]
fn run_until_stops_at_the_flag_or_the_limit() {
    let mut m = counter();
    let (enable, target, done) = (
        m.input("enable").unwrap(),
        m.input("target").unwrap(),
        m.output("done").unwrap(),
    );
    m.set(target, 1000);
    m.set(enable, 1);
    assert_eq!(m.run_until(done, 10_000), Some(1000));
    m.set(target, 5); // already passed: the counter would need to wrap around
    m.tick(1);
    assert_eq!(m.run_until(done, 50), None);
    assert_eq!(m.cycle(), 1051);
}

#[test]
fn instances_are_independent() {
    let mut a = counter();
    let b = counter();
    let enable = a.input("enable").unwrap();
    a.set(enable, 1);
    a.tick(4);
    assert_eq!(a.get(a.output("count").unwrap()), 4);
    assert_eq!(b.get(b.output("count").unwrap()), 0);
}

#[test]
fn unknown_models_and_ports_are_errors() {
    assert!(matches!(Model::new("nope"), Err(SimError::UnknownModel { .. })));
    let m = counter();
    assert!(matches!(m.output("nope"), Err(SimError::NoPort { .. })));
    assert!(matches!(m.input("count"), Err(SimError::NotAnInput { .. })));
}

#[test]
fn vcd_window_records_only_its_cycles() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("counter.vcd");
    let mut m = counter();
    let enable = m.input("enable").unwrap();
    m.set(enable, 1);
    m.tick(10);
    m.trace(&path, 20..30).unwrap();
    m.tick(40);
    m.trace_close();
    let text = std::fs::read_to_string(&path).unwrap();
    let times: Vec<u64> = text
        .lines()
        .filter_map(|l| l.strip_prefix('#'))
        .map(|t| t.parse().unwrap())
        .collect();
    assert_eq!(times.first(), Some(&(20 * TIME_PER_CYCLE)));
    assert_eq!(times.last(), Some(&(29 * TIME_PER_CYCLE + 5)));
    assert_eq!(times.len(), 20, "two dumps per cycle in the window");
    // A second trace on the same model works too.
    let path2 = dir.path().join("again.vcd");
    m.trace(&path2, 0..u64::MAX).unwrap();
    m.tick(2);
    m.trace_close();
    assert!(std::fs::read_to_string(&path2)
        .unwrap()
        .contains(&format!("#{}", 51 * TIME_PER_CYCLE)));
}

#[test]
fn trace_to_an_unwritable_path_is_an_error() {
    let mut m = counter();
    let err = m
        .trace(std::path::Path::new("/nonexistent-dir/x.vcd"), 0..10)
        .unwrap_err();
    assert!(matches!(err, SimError::Trace { .. }), "{err}");
}

#[test]
fn a_model_without_trace_support_says_so() {
    // The UART core is verilated without --trace (sim/build.rs).
    let mut m = Model::new("uart_accel_p4").unwrap();
    assert!(!m.traceable());
    let err = m.trace(std::path::Path::new("x.vcd"), 0..10).unwrap_err();
    assert!(
        matches!(err, SimError::NotTraceable { model: "uart_accel_p4" }),
        "{err}"
    );
    assert!(counter().traceable());
}

#[test]
fn bus_cycles_need_their_ports_and_stay_in_the_address_space() {
    let mut m = counter();
    // No bus declared: an error from the C++ side, not a crash.
    assert!(matches!(m.bus_write(0, &[1]), Err(SimError::Model(_))));
    let mut out = [0u32; 2];
    assert!(matches!(m.bus_read(0, &mut out, 2), Err(SimError::Model(_))));
    // A block past 0xFFFF is refused before any clock.
    let before = m.cycle();
    assert!(matches!(
        m.bus_write(0xFFFF, &[1, 2]),
        Err(SimError::Host(HostError::Protocol(_)))
    ));
    assert_eq!(m.cycle(), before);
}

#[test]
fn bus_cycles_run_in_cpp_with_the_latency_checked() {
    // The counter as a toy bus: address -> target, write strobe -> enable, read strobe -> clear,
    // rvalid -> done (count == target), rdata -> count.
    let mut m = counter();
    let bus = sim::BusPorts {
        addr: m.input("target").unwrap(),
        wdata: m.input("offset").unwrap(),
        write: m.input("enable").unwrap(),
        read: m.input("clear").unwrap(),
        rdata: m.output("count").unwrap(),
        rvalid: m.output("done").unwrap(),
    };
    let count = bus.rdata;
    m.set_bus(&bus);
    // Three write cycles: three clocks with enable high.
    let c0 = m.cycle();
    m.bus_write(5, &[0, 0, 0]).unwrap();
    assert_eq!(m.cycle() - c0, 3);
    assert_eq!(m.get(count), 3);
    // A read of address 0: clear for one clock, then done (count == 0) one clock after the strobe.
    let mut out = [9u32];
    m.bus_read(0, &mut out, 1).unwrap();
    assert_eq!(out, [0]);
    match m.bus_read(0, &mut out, 2) {
        Err(SimError::Host(HostError::ReadLatency {
            addr: 0,
            expected: 2,
            got: Some(1),
        })) => {}
        other => panic!("{other:?}"),
    }
    // Address 1 never matches (count stays 0): the second word of the block fails, rvalid never came.
    let mut two = [9u32; 2];
    match m.bus_read(0, &mut two, 1) {
        Err(SimError::Host(HostError::ReadLatency {
            addr: 1,
            expected: 1,
            got: None,
        })) => {}
        other => panic!("{other:?}"),
    }
    assert_eq!(two[0], 0, "the first word was read");
}
