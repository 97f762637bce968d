//! `backslash bitstream` (not implemented yet).

/// Arguments of `backslash bitstream`.
#[derive(clap::Args)]
pub struct Args {}

pub fn run(_args: Args) -> anyhow::Result<()> {
    anyhow::bail!("`backslash bitstream` is not implemented yet")
}
