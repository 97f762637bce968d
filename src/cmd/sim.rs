//! `backslash sim` (not implemented yet).

/// Arguments of `backslash sim`.
#[derive(clap::Args)]
pub struct Args {}

pub fn run(_args: Args) -> anyhow::Result<()> {
    anyhow::bail!("`backslash sim` is not implemented yet")
}
