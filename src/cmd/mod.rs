//! One module per subcommand. Shared helpers (atomic output files, progress bars) live in [`util`].
pub mod bitstream;
pub mod decode;
#[cfg(feature = "sim")]
pub mod demo;
pub mod eg;
pub mod encode;
pub mod estimate;
pub mod hdl;
pub mod inspect;
pub mod run;
#[cfg(feature = "sim")]
pub mod sim;
pub mod stats;
pub mod sweep;
pub mod train;
pub mod util;
