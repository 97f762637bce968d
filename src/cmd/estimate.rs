//! `backslash estimate` (not implemented yet).

/// Arguments of `backslash estimate`.
#[derive(clap::Args)]
pub struct Args {}

pub fn run(_args: Args) -> anyhow::Result<()> {
    anyhow::bail!("`backslash estimate` is not implemented yet")
}
