//! `backslash encode` (not implemented yet).

/// Arguments of `backslash encode`.
#[derive(clap::Args)]
pub struct Args {}

pub fn run(_args: Args) -> anyhow::Result<()> {
    anyhow::bail!("`backslash encode` is not implemented yet")
}
