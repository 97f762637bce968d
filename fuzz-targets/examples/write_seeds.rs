//! Writes the built-in seeds of every fuzz target to `<dir>/<target>/seed-<i>` (the starting
//! corpus of `make fuzz`). Usage: `cargo run -p fuzz-targets --example write_seeds -- fuzz/seeds`.

fn main() -> std::io::Result<()> {
    let dir = std::env::args().nth(1).unwrap_or_else(|| "fuzz/seeds".into());
    for t in fuzz_targets::TARGETS {
        let d = std::path::Path::new(&dir).join(t);
        std::fs::create_dir_all(&d)?;
        for (i, s) in fuzz_targets::seeds::seeds(t).iter().enumerate() {
            std::fs::write(d.join(format!("seed-{i}")), s)?;
        }
    }
    Ok(())
}
