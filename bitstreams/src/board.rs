//! The boards we build for: device, package, pin constraints and clock.

use crate::FlowError;
use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

/// A supported iCE40 board.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Board {
    /// 1BitSquared iCEBreaker: iCE40UP5K-SG48, 12 MHz oscillator on pin 35, FTDI UART RX pin 6 / TX pin 9.
    /// UltraPlus: 8 DSPs (SB_MAC16), 4 SPRAMs, 30 EBRs, the 48 MHz internal oscillator SB_HFOSC.
    Icebreaker,
    /// Lattice iCE40-HX8K breakout board: iCE40HX8K-CT256, 12 MHz oscillator on J3, FTDI UART B10/B12.
    Hx8k,
}

impl Board {
    /// All boards, in the order the CLI lists them.
    pub const ALL: [Board; 2] = [Board::Icebreaker, Board::Hx8k];

    /// The short name used on the command line and in directory names.
    pub fn name(self) -> &'static str {
        match self {
            Board::Icebreaker => "icebreaker",
            Board::Hx8k => "hx8k",
        }
    }

    /// The device and package, as Lattice writes them.
    pub fn part(self) -> &'static str {
        match self {
            Board::Icebreaker => "iCE40UP5K-SG48",
            Board::Hx8k => "iCE40HX8K-CT256",
        }
    }

    /// nextpnr-ice40's device flag.
    pub fn nextpnr_device(self) -> &'static str {
        match self {
            Board::Icebreaker => "--up5k",
            Board::Hx8k => "--hx8k",
        }
    }

    /// nextpnr-ice40's package name.
    pub fn nextpnr_package(self) -> &'static str {
        match self {
            Board::Icebreaker => "sg48",
            Board::Hx8k => "ct256",
        }
    }

    /// Whether the device has SB_MAC16 DSP blocks (then yosys runs `synth_ice40 -dsp`).
    pub fn has_dsp(self) -> bool {
        matches!(self, Board::Icebreaker)
    }

    /// Frequency of the board's oscillator pin in MHz.
    pub fn oscillator_mhz(self) -> f64 {
        12.0
    }

    /// The clock the board top runs the accelerator at, in MHz: on the UP5K the internal SB_HFOSC
    /// (48 MHz), on the HX8K the 12 MHz oscillator multiplied to 48 MHz by its PLL (SB_PLL40_CORE).
    pub fn default_clock_mhz(self) -> f64 {
        48.0
    }

    /// The clocks a board top can give the core, in MHz: the UP5K's SB_HFOSC and its dividers
    /// (48, 24, 12, 6), the HX8K's PLL (48, 36, 30, 24: see [`Board::pll`]) or its 12 MHz pin.
    pub fn clock_options(self) -> &'static [f64] {
        match self {
            Board::Icebreaker => &[48.0, 24.0, 12.0, 6.0],
            Board::Hx8k => &[48.0, 36.0, 30.0, 24.0, 12.0],
        }
    }

    /// The HX8K's SB_PLL40_CORE settings `(DIVF, DIVQ)` for a core clock, with DIVR = 0 and
    /// FILTER_RANGE = 1: 12 MHz x (DIVF + 1) / 2^DIVQ, the VCO (12 MHz x (DIVF + 1)) within 533..=1066
    /// MHz. What `icepll -i 12 -o F` prints (checked by a test). `None` for a clock without the PLL.
    pub fn pll(self, clock_mhz: f64) -> Option<(u32, u32)> {
        match self {
            Board::Icebreaker => None,
            Board::Hx8k => match clock_mhz as u32 {
                48 if clock_mhz == 48.0 => Some((63, 4)),
                36 if clock_mhz == 36.0 => Some((47, 4)),
                30 if clock_mhz == 30.0 => Some((79, 5)),
                24 if clock_mhz == 24.0 => Some((63, 5)),
                _ => None,
            },
        }
    }

    /// The pin constraint file of the board (also in `bitstreams/<board>/<board>.pcf`).
    pub fn pcf(self) -> &'static str {
        match self {
            Board::Icebreaker => include_str!("../icebreaker/icebreaker.pcf"),
            Board::Hx8k => include_str!("../hx8k/hx8k.pcf"),
        }
    }

    /// Resources of the device that the report lists as "available" when nextpnr does not say.
    pub fn capacity(self) -> Capacity {
        match self {
            Board::Icebreaker => Capacity {
                lc: 5280,
                ebr: 30,
                spram: 4,
                dsp: 8,
            },
            Board::Hx8k => Capacity {
                lc: 7680,
                ebr: 32,
                spram: 0,
                dsp: 0,
            },
        }
    }
}

/// Logic resources of a device.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Capacity {
    /// Logic cells (one LUT4 + one flip-flop + carry each).
    pub lc: u32,
    /// 4 kbit block RAMs (SB_RAM40_4K).
    pub ebr: u32,
    /// 256 kbit single-port RAMs (SB_SPRAM256KA).
    pub spram: u32,
    /// 16x16 multiply-accumulate blocks (SB_MAC16).
    pub dsp: u32,
}

impl fmt::Display for Board {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl FromStr for Board {
    type Err = FlowError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Board::ALL
            .into_iter()
            .find(|b| b.name().eq_ignore_ascii_case(s))
            .ok_or_else(|| FlowError::UnknownBoard(s.to_string()))
    }
}

#[cfg(test)]
mod tests {
    use super::Board;

    /// Every PLL clock of the HX8K top is exact, its VCO is in range, and (where icestorm is
    /// installed) it is what `icepll` itself chooses.
    #[test]
    fn hx8k_pll_settings_give_the_clock() {
        for &f in Board::Hx8k.clock_options() {
            let Some((divf, divq)) = Board::Hx8k.pll(f) else {
                assert_eq!(f, Board::Hx8k.oscillator_mhz(), "{f} MHz needs the PLL");
                continue;
            };
            let vco = 12.0 * f64::from(divf + 1);
            assert!((533.0..=1066.0).contains(&vco), "{f} MHz: VCO {vco} MHz");
            assert_eq!(vco / f64::from(1u32 << divq), f, "{f} MHz");
            let Ok(out) = std::process::Command::new("icepll")
                .args(["-i", "12", "-o", &f.to_string()])
                .output()
            else {
                continue;
            };
            let text = String::from_utf8_lossy(&out.stdout);
            let field = |name: &str| -> u32 {
                let line = text
                    .lines()
                    .find(|l| l.starts_with(name))
                    .unwrap_or_else(|| panic!("icepll: no {name}: {text}"));
                line[name.len()..].split_whitespace().next().unwrap().parse().unwrap()
            };
            assert_eq!(
                (field("DIVF:"), field("DIVQ:"), field("DIVR:")),
                (divf, divq, 0),
                "{f} MHz: {text}"
            );
        }
        assert_eq!(Board::Icebreaker.pll(48.0), None);
        assert_eq!(Board::Hx8k.pll(40.0), None);
    }
}
