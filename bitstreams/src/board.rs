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

    /// nextpnr-ice40 placer/router options beyond the defaults. UP5K: a steeper criticality
    /// exponent in the analytic placer and timing-driven rip-up in the router. Measured on the
    /// P = 4 serial build (docs/bitstreams.md, "P = 4 on the UP5K"): median Fmax over seeds 1-5
    /// 47.09 MHz with the defaults, 48.95 with these options.
    pub fn nextpnr_options(self) -> &'static [&'static str] {
        match self {
            Board::Icebreaker => &["--placer-heap-critexp", "3", "--tmg-ripup"],
            Board::Hx8k => &[],
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

    /// Extra `synth_ice40` options for the device. On the UP5K, timing-driven mapping with the UP5K's
    /// delays (`-abc9 -device u`): the UART core with P = 1 reaches 23.1-24.1 MHz instead of
    /// 18.8-19.4 MHz (seeds 1-3) and takes ~2% fewer LCs. On the HX8K `-abc9` measured slower
    /// (46.4-49.3 MHz against 48.9-51.2 MHz, P = 1, seeds 1-3), so it keeps the default mapping.
    /// docs/bitstreams.md has the commands.
    pub fn synth_options(self) -> &'static str {
        match self {
            Board::Icebreaker => "-abc9 -device u",
            Board::Hx8k => "",
        }
    }

    /// Frequency of the board's oscillator pin in MHz.
    pub fn oscillator_mhz(self) -> f64 {
        12.0
    }

    /// The fastest of [`Board::clock_options`], in MHz: the UP5K's SB_HFOSC, the HX8K's PLL at 48 MHz.
    /// The flow's default target and the loopback build's clock; the accelerator's default build
    /// runs slower (`tops::default_clock_mhz`).
    pub fn fastest_clock_mhz(self) -> f64 {
        48.0
    }

    /// The clocks a board top can give the core, in MHz. iCEBreaker: the UP5K's SB_HFOSC and its
    /// dividers (48, 24, 12, 6), or the PLL (SB_PLL40_PAD) on the 12 MHz pin (36, 30, 21, 18). HX8K:
    /// the PLL (SB_PLL40_CORE; 48, 36, 30, 24) or its 12 MHz pin. [`Board::pll`] has the settings.
    pub fn clock_options(self) -> &'static [f64] {
        match self {
            Board::Icebreaker => &[48.0, 36.0, 30.0, 24.0, 21.0, 18.0, 12.0, 6.0],
            Board::Hx8k => &[48.0, 36.0, 30.0, 24.0, 12.0],
        }
    }

    /// The SB_HFOSC divider setting `CLKHF_DIV` (0..=3: 48 MHz / 2^n) for an iCEBreaker clock that
    /// the internal oscillator gives; `None` otherwise (the HX8K has no SB_HFOSC).
    pub fn hfosc_div(self, clock_mhz: f64) -> Option<u32> {
        match self {
            Board::Icebreaker => (0..4).find(|&n| clock_mhz == 48.0 / f64::from(1u32 << n)),
            Board::Hx8k => None,
        }
    }

    /// The PLL settings `(DIVF, DIVQ)` for a core clock made from the 12 MHz pin, with DIVR = 0 and
    /// FILTER_RANGE = 1: 12 MHz x (DIVF + 1) / 2^DIVQ, the VCO (12 MHz x (DIVF + 1)) within
    /// 533..=1066 MHz. What `icepll -i 12 -o F` prints (checked by a test). `None` for a clock the
    /// board top makes without the PLL (the iCEBreaker's SB_HFOSC clocks, the HX8K's 12 MHz pin).
    pub fn pll(self, clock_mhz: f64) -> Option<(u32, u32)> {
        let table: &[(f64, u32, u32)] = match self {
            Board::Icebreaker => &[(36.0, 47, 4), (30.0, 79, 5), (21.0, 55, 5), (18.0, 47, 5)],
            Board::Hx8k => &[(48.0, 63, 4), (36.0, 47, 4), (30.0, 79, 5), (24.0, 63, 5)],
        };
        table
            .iter()
            .find(|&&(f, _, _)| f == clock_mhz)
            .map(|&(_, divf, divq)| (divf, divq))
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

    /// Every PLL clock of the board tops is exact, its VCO is in range, and (where icestorm is
    /// installed) it is what `icepll` itself chooses; every other clock comes from the SB_HFOSC
    /// (iCEBreaker) or the 12 MHz pin (HX8K).
    #[test]
    fn pll_settings_give_the_clock() {
        for (board, &f) in Board::ALL
            .iter()
            .flat_map(|b| b.clock_options().iter().map(move |f| (*b, f)))
        {
            let Some((divf, divq)) = board.pll(f) else {
                match board {
                    Board::Icebreaker => assert!(board.hfosc_div(f).is_some(), "{f} MHz needs the PLL"),
                    Board::Hx8k => assert_eq!(f, board.oscillator_mhz(), "{f} MHz needs the PLL"),
                }
                continue;
            };
            assert_eq!(board.hfosc_div(f), None, "{f} MHz: one source");
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
        for b in Board::ALL {
            assert_eq!(
                b.fastest_clock_mhz(),
                b.clock_options().iter().copied().fold(0.0, f64::max)
            );
        }
        assert_eq!(Board::Icebreaker.pll(48.0), None);
        assert_eq!(Board::Icebreaker.hfosc_div(12.0), Some(2));
        assert_eq!(Board::Icebreaker.hfosc_div(21.0), None);
        assert_eq!(Board::Hx8k.pll(40.0), None);
    }
}
