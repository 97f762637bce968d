//! The flow on a small hand-written design: parses real yosys/nextpnr output, reports a miss as a
//! miss, and names a missing tool.

use bitstreams::{run_flow, Board, FlowConfig, FlowError, PinConstraints, Report, Tools};

/// A 32-bit counter and a registered 16x16 multiply (one SB_MAC16 with -dsp), on board pins.
const COUNTER: &str = r#"
module flow_test_top(input clk12, input uart_rx, output uart_tx, output led_red_n);
  reg [31:0] cnt;
  reg [15:0] a, b;
  reg [31:0] p;
  always @(posedge clk12) begin
    cnt <= cnt + 1;
    a <= cnt[15:0] ^ {15'b0, uart_rx};
    b <= cnt[31:16];
    p <= a * b;
  end
  assign uart_tx = ^p;
  assign led_red_n = cnt[24];
endmodule
"#;

fn cfg(dir: &std::path::Path, freq: f64) -> FlowConfig {
    let mut c = FlowConfig::new(Board::Icebreaker, "flow_test_top", dir);
    c.freq_mhz = freq;
    c
}

#[test]
fn counter_meets_12mhz_and_report_round_trips() {
    let dir = tempfile::tempdir().unwrap();
    let mut events = Vec::new();
    let rep = run_flow(COUNTER, &cfg(dir.path(), 12.0), &Tools::default(), &mut |e| {
        events.push(e.clone())
    })
    .unwrap();
    assert_eq!(events.len(), 6, "start+finish for three tools: {events:?}");
    assert!(rep.timing_met && rep.fits);
    assert_eq!(rep.clocks.len(), 1);
    assert!(rep.clocks[0].fmax_mhz > 12.0);
    assert_eq!(rep.resource("DSP").unwrap().used, 1, "{:?}", rep.resources);
    assert_eq!(rep.resource("DSP").unwrap().available, 8);
    // The 32 counter bits; the a/b input registers and the product register go into the SB_MAC16.
    let ff = rep.resource("FF").unwrap().used;
    assert!((32..=40).contains(&ff), "FF {ff}");
    assert!(rep.resource("LC").unwrap().used >= 32);
    let p = rep.critical_path.as_ref().unwrap();
    assert!(p.delay_ns > 0.0 && (p.logic_ns + p.routing_ns - p.delay_ns).abs() < 1e-6);
    assert!(p.log_text.contains("ns logic"), "{}", p.log_text);
    let bin = std::fs::metadata(dir.path().join("flow_test_top.bin")).unwrap();
    assert!(bin.len() > 100_000, "UP5K bitstream is ~104 kB, got {}", bin.len());
    let back = Report::from_json(&std::fs::read_to_string(dir.path().join("report.json")).unwrap()).unwrap();
    assert_eq!(back, rep);
    let md = std::fs::read_to_string(dir.path().join("report.md")).unwrap();
    assert!(
        md.contains("timing met") && md.contains("| DSP | SB_MAC16 | 1 | 8 |"),
        "{md}"
    );
}

#[test]
fn missed_target_is_reported_as_a_miss() {
    let dir = tempfile::tempdir().unwrap();
    let rep = run_flow(COUNTER, &cfg(dir.path(), 400.0), &Tools::default(), &mut |_| {}).unwrap();
    assert!(!rep.timing_met);
    assert!(!rep.clocks[0].met && rep.clocks[0].fmax_mhz < 400.0);
    assert!(rep.summary().contains("MISSED"));
    assert!(rep.to_markdown().contains("timing MISSED"));
}

#[test]
fn hx8k_without_dsp_uses_luts_for_the_multiplier() {
    let dir = tempfile::tempdir().unwrap();
    let mut c = FlowConfig::new(Board::Hx8k, "flow_test_top", dir.path());
    c.pins = PinConstraints::None;
    c.freq_mhz = 12.0;
    let rep = run_flow(COUNTER, &c, &Tools::default(), &mut |_| {}).unwrap();
    assert_eq!(rep.part, "iCE40HX8K-CT256");
    assert!(
        rep.resource("LC").unwrap().used > 200,
        "a 16x16 multiplier in LUTs: {:?}",
        rep.resources
    );
}

#[test]
fn missing_tool_names_make_setup() {
    let dir = tempfile::tempdir().unwrap();
    let tools = Tools {
        yosys: "/nonexistent/yosys".into(),
        ..Tools::default()
    };
    let err = run_flow(COUNTER, &cfg(dir.path(), 12.0), &tools, &mut |_| {}).unwrap_err();
    assert!(matches!(err, FlowError::ToolMissing { .. }));
    assert!(err.to_string().contains("make setup"), "{err}");
}

#[test]
fn bad_verilog_is_a_yosys_error_naming_the_log() {
    let dir = tempfile::tempdir().unwrap();
    let err = run_flow(
        "module flow_test_top(; endmodule",
        &cfg(dir.path(), 12.0),
        &Tools::default(),
        &mut |_| {},
    )
    .unwrap_err();
    match &err {
        FlowError::ToolFailed { tool, .. } => assert_eq!(tool, "yosys"),
        e => panic!("expected ToolFailed, got {e:?}"),
    }
    assert!(err.to_string().contains("yosys.log"), "{err}");
    assert!(!dir.path().join("flow_test_top.bin").exists());
}

#[test]
fn too_big_design_does_not_fit() {
    // 40 registered 16x16 products: 40 DSPs wanted, 8 on the UP5K.
    let mut v = String::from(
        "module flow_test_top(input clk12, input uart_rx, output uart_tx);\n reg [15:0] a; reg [31:0] acc;\n",
    );
    for i in 0..40 {
        v += &format!(" reg [31:0] p{i}; always @(posedge clk12) p{i} <= a * (a + 16'd{i});\n");
    }
    v += " always @(posedge clk12) begin a <= a + uart_rx; acc <= ";
    v += &(0..40).map(|i| format!("p{i}")).collect::<Vec<_>>().join(" ^ ");
    v += "; end\n assign uart_tx = ^acc;\nendmodule\n";
    let dir = tempfile::tempdir().unwrap();
    let mut c = cfg(dir.path(), 12.0);
    c.pins = PinConstraints::Text("set_io clk12 35\nset_io uart_rx 6\nset_io uart_tx 9\n".into());
    let err = run_flow(&v, &c, &Tools::default(), &mut |_| {}).unwrap_err();
    assert!(matches!(err, FlowError::DoesNotFit { .. }), "{err:?}");
}

#[test]
fn bad_config_is_rejected_before_running_tools() {
    let dir = tempfile::tempdir().unwrap();
    let mut c = cfg(dir.path(), 0.0);
    assert!(matches!(
        run_flow(COUNTER, &c, &Tools::default(), &mut |_| {}),
        Err(FlowError::Config(_))
    ));
    c.freq_mhz = 12.0;
    c.top = "top; rm".into();
    assert!(matches!(
        run_flow(COUNTER, &c, &Tools::default(), &mut |_| {}),
        Err(FlowError::Config(_))
    ));
    assert!("ecp5".parse::<Board>().is_err());
    assert_eq!("HX8K".parse::<Board>().unwrap(), Board::Hx8k);
}
