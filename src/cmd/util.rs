//! Helpers shared by the subcommands.

use anyhow::Context;
use std::io::Write;
use std::path::Path;

/// The directory a new file at `path` goes into (`.` for a bare file name).
fn parent_dir(path: &Path) -> &Path {
    match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => Path::new("."),
    }
}

/// Checks, before any long computation, that a file can be created at `path`: its directory exists,
/// is a directory, and accepts a new file (a temporary file is created there and removed at once).
/// Subcommands call this first so a bad output path fails in a second, not after the work.
pub fn check_output(path: &Path) -> anyhow::Result<()> {
    let dir = parent_dir(path);
    match std::fs::metadata(dir) {
        Ok(m) if m.is_dir() => {}
        Ok(_) => anyhow::bail!("cannot write {}: {} is not a directory", path.display(), dir.display()),
        Err(_) => anyhow::bail!(
            "cannot write {}: directory {} does not exist",
            path.display(),
            dir.display()
        ),
    }
    if path.is_dir() {
        anyhow::bail!("cannot write {}: it is a directory", path.display());
    }
    tempfile::NamedTempFile::new_in(dir).with_context(|| {
        format!(
            "cannot write {}: directory {} is not writable",
            path.display(),
            dir.display()
        )
    })?;
    Ok(())
}

/// Writes `bytes` to `path` atomically: into a temporary file in the same directory, then renamed.
/// A failure leaves no partial file at `path`.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> anyhow::Result<()> {
    write_atomic_with(path, |w| w.write_all(bytes).map_err(Into::into))
}

/// Like [`write_atomic`], with the content produced by a closure writing into the temporary file.
pub fn write_atomic_with(
    path: &Path,
    fill: impl FnOnce(&mut std::io::BufWriter<&mut std::fs::File>) -> anyhow::Result<()>,
) -> anyhow::Result<()> {
    atomically(path, |tmp| {
        let mut w = std::io::BufWriter::new(tmp.as_file_mut());
        fill(&mut w)?;
        w.flush().with_context(|| format!("cannot write {}", path.display()))
    })
}

/// Like [`write_atomic`], with the content written by a closure given the temporary file's path
/// (for writers that open the file themselves).
pub fn write_atomic_path(path: &Path, fill: impl FnOnce(&Path) -> anyhow::Result<()>) -> anyhow::Result<()> {
    atomically(path, |tmp| fill(tmp.path()))
}

/// A temporary file in `path`'s directory, filled by `fill`, then given the usual permissions and
/// renamed to `path`; on an error it is removed.
fn atomically(
    path: &Path,
    fill: impl FnOnce(&mut tempfile::NamedTempFile) -> anyhow::Result<()>,
) -> anyhow::Result<()> {
    let dir = parent_dir(path);
    if !dir.is_dir() {
        anyhow::bail!(
            "cannot write {}: directory {} does not exist",
            path.display(),
            dir.display()
        );
    }
    let mut tmp = tempfile::NamedTempFile::new_in(dir)
        .with_context(|| format!("cannot create a temporary file in {}", dir.display()))?;
    fill(&mut tmp)?;
    // NamedTempFile creates 0600; give the result the usual permissions of a new file.
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let _ = tmp.as_file().set_permissions(std::fs::Permissions::from_mode(0o644));
    }
    tmp.persist(path)
        .with_context(|| format!("cannot write {}", path.display()))?;
    Ok(())
}

/// A progress bar with the project's style, hidden when stderr is not a terminal.
pub fn progress(len: u64, what: &str) -> indicatif::ProgressBar {
    let pb = indicatif::ProgressBar::new(len);
    pb.set_style(
        indicatif::ProgressStyle::with_template("{msg:>12} [{bar:40}] {pos}/{len} ({eta})")
            .expect("static template")
            .progress_chars("=> "),
    );
    pb.set_message(what.to_string());
    pb
}

/// Checks a lane count option against the lane counts the accelerator is built with
/// (`host::regmap::LANE_COUNTS`).
pub fn check_board_lanes(flag: &str, lanes: usize) -> anyhow::Result<()> {
    if !host::regmap::lanes_supported(lanes) {
        anyhow::bail!(
            "{flag} {lanes}: the accelerator is built with {} lanes",
            host::regmap::lane_counts_text()
        );
    }
    Ok(())
}

/// The integer model of `backslash sim`, `run` and `bitstream --bake`: MODEL (safetensors or
/// container) exported with `dataset`'s training split as calibration
/// (`golden::train::io::load_qmodel`). Also the dataset, its name and the step used.
pub fn load_qmodel(
    path: &std::path::Path,
    dataset: &str,
    step_bits: u32,
) -> anyhow::Result<(
    golden::infer::QModel,
    golden::data::Dataset,
    golden::data::DatasetName,
    u32,
)> {
    let name = golden::data::DatasetName::parse(dataset)?;
    let (model, data, step) = golden::train::io::load_qmodel(path, name, step_bits)?;
    Ok((model, data, name, step))
}
