//! `backslash train` (not implemented yet).

/// Arguments of `backslash train`.
#[derive(clap::Args)]
pub struct Args {}

pub fn run(_args: Args) -> anyhow::Result<()> {
    anyhow::bail!("`backslash train` is not implemented yet")
}
