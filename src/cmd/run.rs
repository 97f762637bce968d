//! `backslash run` (not implemented yet).

/// Arguments of `backslash run`.
#[derive(clap::Args)]
pub struct Args {}

pub fn run(_args: Args) -> anyhow::Result<()> {
    anyhow::bail!("`backslash run` is not implemented yet")
}
