//! `backslash stats` (not implemented yet).

/// Arguments of `backslash stats`.
#[derive(clap::Args)]
pub struct Args {}

pub fn run(_args: Args) -> anyhow::Result<()> {
    anyhow::bail!("`backslash stats` is not implemented yet")
}
