//! `backslash demo` (not implemented yet).

/// Arguments of `backslash demo`.
#[derive(clap::Args)]
pub struct Args {}

pub fn run(_args: Args) -> anyhow::Result<()> {
    anyhow::bail!("`backslash demo` is not implemented yet")
}
