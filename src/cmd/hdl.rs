//! `backslash hdl` (not implemented yet).

/// Arguments of `backslash hdl`.
#[derive(clap::Args)]
pub struct Args {}

pub fn run(_args: Args) -> anyhow::Result<()> {
    anyhow::bail!("`backslash hdl` is not implemented yet")
}
