//! `isolate_false_loops` (sim/build/isolate.rs, the rewriter sim's build script runs on every model's
//! Verilog before Verilator) on small Verilog snippets: the loop it must cut (with Verilator's real lint
//! log, and with a recorded one), input it must leave byte-identical, idempotence, and the variables it
//! must not touch (wires, ports, unknown scopes, other modules).
use crate::isolate::{isolate_false_loops, Isolated};
use std::collections::BTreeSet;
use std::process::Command;

const MARK: &str = " /*verilator isolate_assignments*/";

/// A false loop in rust-hdl's style, one level below the top: `mid`'s one `always @(*)` block drives
/// its child's input (`c_in`, through `t`) and reads its output (`c_out`), so Verilator orders
/// mid -> child -> mid as a loop (UNOPTFLAT) until `c_in` and `t` are isolated.
const LOOP: &str = "\
module top(
    input wire clock,
    input wire [7:0] a,
    output wire [7:0] y
);
    mid u(.clock(clock), .a(a), .y(y));
endmodule

module mid(
    input wire clock,
    input wire [7:0] a,
    output reg [7:0] y
);
    reg [7:0] c_in;
    wire [7:0] c_out;
    reg [7:0] t;
    child c(.clock(clock), .i(c_in), .o(c_out));
    always @(*) begin
        t = a + 8'd3;
        c_in = t;
        y = c_out + t;
    end
endmodule

module child(
    input wire clock,
    input wire [7:0] i,
    output reg [7:0] o
);
    always @(*) begin
        o = i + 8'd1;
    end
endmodule
";

/// Verilator 5.006's log of the first lint of [`LOOP`], and a WIDTH warning whose path must not count.
const LOOP_LOG: &str = "\
%Warning-UNOPTFLAT: lint.v:14:15: Signal unoptimizable: Circular combinational logic: 'top.u.c_in'
   14 |     reg [7:0] c_in;
      |               ^~~~
                    ... For warning description see https://verilator.org/warn/UNOPTFLAT?v=5.006
                    ... Use \"/* verilator lint_off UNOPTFLAT */\" and lint_on around source to disable this message.
                    lint.v:14:15:      Example path: top.u.c_in
                    lint.v:31:11:      Example path: ASSIGNW
                    lint.v:15:16:      Example path: top.u.c_out
                    lint.v:18:5:      Example path: ALWAYS
                    lint.v:14:15:      Example path: top.u.c_in
%Warning-WIDTH: lint.v:19:15: Operator ADD expects 8 bits
                    lint.v:19:15:      Example path: top.u.t
";

fn marked(pairs: &[(&str, &str)]) -> BTreeSet<(String, String)> {
    pairs.iter().map(|(m, v)| (m.to_string(), v.to_string())).collect()
}

/// Replays `logs` as the lint rounds (the last one repeated), recording the Verilog each round saw.
fn replay(verilog: &str, logs: &[&str], seen: &mut Vec<String>) -> Isolated {
    isolate_false_loops(verilog, |text| {
        seen.push(text.to_string());
        Ok(Some(logs[(seen.len() - 1).min(logs.len() - 1)].to_string()))
    })
    .unwrap()
}

#[test]
fn a_recorded_loop_marks_its_regs_in_their_module_only() {
    let mut seen = Vec::new();
    let iso = replay(LOOP, &[LOOP_LOG, ""], &mut seen);
    // c_in is a reg of `mid` (scope top.u); c_out is a wire and t is named by a WIDTH warning only.
    assert_eq!(iso.marked, marked(&[("mid", "c_in")]));
    assert_eq!(iso.rounds, 2, "a second lint, clean, ends it");
    let want = LOOP.replace("    reg [7:0] c_in;\n", &format!("    reg [7:0] c_in{MARK};\n"));
    assert_eq!(iso.verilog, want);
    assert_eq!(
        seen,
        [LOOP.to_string(), want],
        "the second lint sees the marked Verilog"
    );
}

#[test]
fn a_design_without_loops_is_left_byte_identical() {
    let mut seen = Vec::new();
    let iso = replay(LOOP, &[""], &mut seen);
    assert_eq!(iso.verilog.as_bytes(), LOOP.as_bytes());
    assert!(iso.marked.is_empty());
    assert_eq!(iso.rounds, 1);
    // A failed lint (None) also leaves the text alone: the real Verilator run reports it.
    let iso = isolate_false_loops(LOOP, |_| Ok(None)).unwrap();
    assert_eq!((iso.verilog.as_str(), iso.marked.len(), iso.rounds), (LOOP, 0, 1));
    // And an error of the lint command is passed on.
    assert!(isolate_false_loops(LOOP, |_| Err("no verilator".to_string())).is_err());
}

#[test]
fn wires_ports_unknown_scopes_and_other_modules_are_not_marked() {
    let log = "\
%Warning-UNOPTFLAT: x.v:1:1: Signal unoptimizable: Circular combinational logic: 'top.u.c_out'
                    x.v:1:1:      Example path: top.u.c_out
                    x.v:1:1:      Example path: top.u.y
                    x.v:1:1:      Example path: top.u.c.i
                    x.v:1:1:      Example path: top.nosuch.t
                    x.v:1:1:      Example path: elsewhere.t
                    x.v:1:1:      Example path: ALWAYS
";
    let mut seen = Vec::new();
    let iso = replay(LOOP, &[log], &mut seen);
    // c_out is a wire, y (of mid) and i (of child) are ports; the other scopes do not resolve.
    assert!(iso.marked.is_empty(), "{:?}", iso.marked);
    assert_eq!(iso.verilog, LOOP);
    assert_eq!(iso.rounds, 1, "no progress: no second lint");
}

#[test]
fn isolating_twice_changes_nothing() {
    let mut seen = Vec::new();
    let once = replay(LOOP, &[LOOP_LOG, ""], &mut seen);
    // The same warnings again on the marked text: the declarations already carry the mark.
    let twice = replay(&once.verilog, &[LOOP_LOG], &mut Vec::new());
    assert_eq!(twice.verilog, once.verilog);
    assert!(twice.marked.is_empty());
    assert_eq!(once.verilog.matches(MARK).count(), 1);
}

/// `verilator --lint-only` as sim/build/verilate.rs runs it: Some(stderr) if it ran.
fn verilator_lint(text: &str, dir: &std::path::Path) -> Option<String> {
    let src = dir.join("lint.v");
    std::fs::write(&src, text).unwrap();
    let out = Command::new(std::env::var("VERILATOR").unwrap_or_else(|_| "verilator".into()))
        .args(crate::isolate::LINT_ARGS)
        .args(["--top-module", "top"])
        .arg(&src)
        .output()
        .expect("verilator (sim's build needs it too)");
    out.status
        .success()
        .then(|| String::from_utf8_lossy(&out.stderr).into_owned())
}

#[test]
fn verilator_finds_no_loop_after_isolation() {
    let dir = tempfile::tempdir().unwrap();
    let before = verilator_lint(LOOP, dir.path()).expect("the snippet lints");
    assert!(
        before.contains("%Warning-UNOPTFLAT"),
        "the snippet has a false loop:\n{before}"
    );
    let iso = isolate_false_loops(LOOP, |text| Ok(verilator_lint(text, dir.path()))).unwrap();
    // c_in first; then Verilator reports the loop through t, which is marked next.
    assert_eq!(iso.marked, marked(&[("mid", "c_in"), ("mid", "t")]));
    assert_eq!(iso.rounds, 3);
    let after = verilator_lint(&iso.verilog, dir.path()).unwrap();
    assert!(!after.contains("UNOPTFLAT"), "{after}");
    // Only the two declarations changed.
    let diff: Vec<(&str, &str)> = LOOP.lines().zip(iso.verilog.lines()).filter(|(a, b)| a != b).collect();
    assert_eq!(
        diff,
        [
            ("    reg [7:0] c_in;", &*format!("    reg [7:0] c_in{MARK};")),
            ("    reg [7:0] t;", &*format!("    reg [7:0] t{MARK};")),
        ]
    );
    assert_eq!(LOOP.lines().count(), iso.verilog.lines().count());
}
