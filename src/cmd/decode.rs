//! `backslash decode` (not implemented yet).

/// Arguments of `backslash decode`.
#[derive(clap::Args)]
pub struct Args {}

pub fn run(_args: Args) -> anyhow::Result<()> {
    anyhow::bail!("`backslash decode` is not implemented yet")
}
