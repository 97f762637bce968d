//! `backslash inspect` (not implemented yet).

/// Arguments of `backslash inspect`.
#[derive(clap::Args)]
pub struct Args {}

pub fn run(_args: Args) -> anyhow::Result<()> {
    anyhow::bail!("`backslash inspect` is not implemented yet")
}
