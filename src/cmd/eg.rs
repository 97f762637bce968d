//! `backslash eg` (not implemented yet).

#[derive(clap::Subcommand)]
pub enum EgCommand {
    /// Decimal integers on stdin to MSB-first EG(k) bytes on stdout.
    Encode {},
}

pub fn run(_cmd: EgCommand) -> anyhow::Result<()> {
    anyhow::bail!("`backslash eg` is not implemented yet")
}
