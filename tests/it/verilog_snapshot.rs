//! A snapshot of the generated Verilog of one configuration: the P = 1 accelerator with the BOARD
//! memories and the bit-serial decoder (`hdl::generate_verilog_decoder`), compared with the committed
//! tests/snapshots/bs_accel_p1_serial.v. Any change to the RTL or to how rust-hdl writes it shows up
//! here as the first differing line; when the change is meant, `UPDATE_SNAPSHOTS=1 cargo test --test it
//! verilog_snapshot::` rewrites the file (review and commit its diff).
use hdl::regmap::{DecoderKind, MemSizes};
use std::path::{Path, PathBuf};

fn snapshot_path(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/snapshots").join(name)
}

/// The first line (1-based) where `got` differs from `want`, with both lines (`None` past an end).
fn first_difference<'a>(want: &'a str, got: &'a str) -> Option<(usize, Option<&'a str>, Option<&'a str>)> {
    if want == got {
        return None;
    }
    let (mut w, mut g) = (want.split_inclusive('\n'), got.split_inclusive('\n'));
    for n in 1.. {
        match (w.next(), g.next()) {
            (a, b) if a != b => return Some((n, a, b)),
            (None, None) => break,
            _ => {}
        }
    }
    unreachable!("texts differ but no line does")
}

/// Compares `got` with the snapshot `name`, or writes it when UPDATE_SNAPSHOTS=1.
fn check_snapshot(name: &str, got: &str) {
    let path = snapshot_path(name);
    if std::env::var("UPDATE_SNAPSHOTS").as_deref() == Ok("1") {
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, got).unwrap();
        eprintln!("wrote {}", path.display());
        return;
    }
    let want = std::fs::read_to_string(&path).unwrap_or_else(|e| {
        panic!(
            "{}: {e} (UPDATE_SNAPSHOTS=1 cargo test --test it verilog_snapshot:: writes it)",
            path.display()
        )
    });
    if let Some((line, w, g)) = first_difference(&want, got) {
        let show = |l: Option<&str>| {
            l.map_or("<end of text>".to_string(), |l| {
                format!("{:?}", l.trim_end_matches('\n'))
            })
        };
        panic!(
            "{} differs from the generated Verilog at line {line}:\n  snapshot:  {}\n  generated: {}\n\
             ({} vs {} lines; if the change is meant: UPDATE_SNAPSHOTS=1 cargo test --test it verilog_snapshot::)",
            path.display(),
            show(w),
            show(g),
            want.lines().count(),
            got.lines().count()
        );
    }
}

#[test]
fn p1_board_serial_accelerator_verilog_matches_its_snapshot() {
    let v = hdl::generate_verilog_decoder(1, MemSizes::BOARD, DecoderKind::Serial).unwrap();
    assert!(v.contains("module bs_accel_p1_serial("), "top module name");
    check_snapshot("bs_accel_p1_serial.v", &v);
}

#[test]
fn generation_is_deterministic() {
    // A snapshot is only a check if the same configuration always gives the same text.
    let a = hdl::generate_verilog_decoder(1, MemSizes::BOARD, DecoderKind::Serial).unwrap();
    let b = hdl::generate_verilog_decoder(1, MemSizes::BOARD, DecoderKind::Serial).unwrap();
    assert!(first_difference(&a, &b).is_none(), "{:?}", first_difference(&a, &b));
}

#[test]
fn first_difference_names_the_first_differing_line() {
    assert_eq!(first_difference("a\nb\n", "a\nb\n"), None);
    assert_eq!(
        first_difference("a\nb\nc\n", "a\nB\nc\n"),
        Some((2, Some("b\n"), Some("B\n")))
    );
    assert_eq!(first_difference("a\n", "a\nb\n"), Some((2, None, Some("b\n"))));
    assert_eq!(first_difference("a\nb\n", "a\n"), Some((2, Some("b\n"), None)));
    // A missing final newline is a difference too.
    assert_eq!(first_difference("a\n", "a"), Some((1, Some("a\n"), Some("a"))));
}
