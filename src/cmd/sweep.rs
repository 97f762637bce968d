//! `backslash sweep` (not implemented yet).

/// Arguments of `backslash sweep`.
#[derive(clap::Args)]
pub struct Args {}

pub fn run(_args: Args) -> anyhow::Result<()> {
    anyhow::bail!("`backslash sweep` is not implemented yet")
}
