//! Board tops: a board-specific Verilog wrapper (clock set-up and pins, in
//! `bitstreams/<board>/top.v`) around a rust-hdl "UART core": the UART host bridge in front of a
//! device, with ports `clock`, `uart_rx`, `uart_tx`, `irq`. The core is what the Verilator tests
//! run (the oscillator and the PLL are hard blocks without a simulation model).

use crate::{Board, FlowError};
use hdl::regmap::{DecoderKind, MemSizes};
use hdl::uart_bridge::{
    cycles_per_bit, loopback_verilog, uart_core_verilog, uart_core_verilog_baked, uart_core_verilog_flash,
};
use host::Image;

/// The default UART rate of the board tops (the FT2232H on both boards does 1 Mbaud exactly;
/// 48 clocks per bit at 48 MHz).
pub const DEFAULT_BAUD: u64 = 1_000_000;

/// Lanes of the default board build: the largest P whose board build fits the UP5K today
/// (measured: docs/bitstreams.md).
pub const DEFAULT_LANES: usize = 2;

/// The core clock of the default accelerator build on each board, in MHz: the fastest of
/// [`Board::clock_options`] that the default build meets today with margin (measured:
/// docs/bitstreams.md; the decoder's one-codeword-per-clock loop limits Fmax to ~23.5 MHz on the
/// UP5K with P = 2, so SB_HFOSC's 24 MHz has no margin and the PLL's 21 MHz is met with ~12% to
/// spare; on the HX8K P = 2 reaches 49-50 MHz, so the PLL's 36 MHz is met with ~36% to spare and
/// 48 MHz would have ~3%).
pub fn default_clock_mhz(board: Board) -> f64 {
    match board {
        Board::Icebreaker => 21.0,
        Board::Hx8k => 36.0,
    }
}

/// The core clock of the UP5K SPRAM build (`MemSizes::SPRAM`, P = 2, bit-serial decoder), MHz:
/// the PLL's 36 MHz. Without the image loader the build met it on every seed (43-46 MHz); with it,
/// seeds 1-5 reach 32.2-36.9 MHz (docs/bitstreams.md): 36 is met at seeds 1 and 4 only, limited by
/// the UART bridge's request into the host-request decode. 48 MHz is not met yet.
pub const SPRAM_CLOCK_MHZ: f64 = 36.0;

/// The UART rate for a core clock: [`DEFAULT_BAUD`] where it leaves the bridge at least 8 clocks
/// per bit, else 500 kbaud (3 MHz / 6, exact on the boards' FT2232H).
pub fn default_baud(clock_mhz: f64) -> u64 {
    if clock_mhz * 1e6 / DEFAULT_BAUD as f64 >= 8.0 {
        DEFAULT_BAUD
    } else {
        500_000
    }
}

/// A design ready for the flow: Verilog text with its top module.
#[derive(Debug, Clone)]
pub struct Design {
    /// Verilog of the top and everything under it.
    pub verilog: String,
    /// Top module name.
    pub top: String,
    /// A UART core with the SPI-flash booter (ports `booting`, `flash_*`: `hdl::uart_bridge::uart_core_verilog_flash`).
    pub flash_boot: bool,
}

/// The board top's module name.
pub fn top_name(board: Board) -> String {
    format!("backslash_{}", board.name())
}

/// Wraps a UART core (Verilog text declaring module `core`) in the board's top, clocked at
/// `clock_mhz` (one of [`Board::clock_options`]).
pub fn board_top(board: Board, core_design: &Design, clock_mhz: f64) -> Result<Design, FlowError> {
    let (core_verilog, core) = (&core_design.verilog, &core_design.top);
    let bad = || {
        FlowError::Config(format!(
            "{} can clock the core at {:?} MHz, not {clock_mhz}",
            board.name(),
            board.clock_options()
        ))
    };
    if !board.clock_options().contains(&clock_mhz) {
        return Err(bad());
    }
    let top = top_name(board);
    let wrapper = match board {
        Board::Icebreaker => match (board.hfosc_div(clock_mhz), board.pll(clock_mhz)) {
            (Some(n), _) => include_str!("../icebreaker/top.v")
                .replace("{{HFOSC_DIV}}", &format!("0b{n:02b}"))
                .replace("{{HFOSC_DIVIDER}}", &(1u32 << n).to_string()),
            (None, Some((divf, divq))) => include_str!("../icebreaker/top_pll.v")
                .replace("{{DIVF}}", &divf.to_string())
                .replace("{{DIVQ}}", &divq.to_string())
                .replace("{{PLL_MHZ}}", &format!("{clock_mhz}")),
            (None, None) => return Err(bad()),
        },
        Board::Hx8k => {
            // The PLL stays in the top (LED1 shows its lock) even when the core runs from the pin.
            let (divf, divq, pll_mhz, src) = match board.pll(clock_mhz) {
                Some((divf, divq)) => (divf, divq, clock_mhz, "clk_pll"),
                None => (63, 4, 48.0, "clk12"),
            };
            include_str!("../hx8k/top.v")
                .replace("{{CLOCK_SRC}}", src)
                .replace("{{DIVF}}", &divf.to_string())
                .replace("{{DIVQ}}", &divq.to_string())
                .replace("{{PLL_MHZ}}", &format!("{pll_mhz}"))
        }
    };
    if core_design.flash_boot && board != Board::Icebreaker {
        return Err(FlowError::Config(format!("{} has no flash-boot top", board.name())));
    }
    let (ports, connect, driver) = if core_design.flash_boot {
        (
            ", output flash_sck, output flash_csn, output flash_mosi, input flash_miso",
            ", .booting(booting), .flash_sck(flash_sck), .flash_csn(flash_csn), .flash_mosi(flash_mosi), .flash_miso(flash_miso)",
            "",
        )
    } else {
        ("", "", "    assign booting = 1'b0;\n")
    };
    let wrapper = wrapper
        .replace("{{TOP}}", &top)
        .replace("{{CORE}}", core)
        .replace("{{FLASH_PORTS}}", ports)
        .replace("{{FLASH_CONNECT}}", connect)
        .replace("{{BOOTING_DRIVER}}", driver);
    Ok(Design {
        verilog: format!("{wrapper}\n{core_verilog}"),
        top,
        flash_boot: false,
    })
}

/// The UART bridge in front of a 16-word scratch register file (no accelerator): a board design
/// to check the UART link, and the flow's smallest real design.
/// `clock_mhz` is the core clock the board top gives it (sets the UART bit period).
pub fn loopback_core(baud: u64, clock_mhz: f64) -> Result<Design, FlowError> {
    let cpb = board_cycles_per_bit(clock_mhz, baud)?;
    let name = "backslash_loopback_core";
    let verilog = loopback_verilog(cpb, name).map_err(FlowError::Hdl)?;
    Ok(Design {
        verilog,
        top: name.to_string(),
        flash_boot: false,
    })
}

/// The accelerator (`lanes` lanes decoding with `decoder`, [`MemSizes::BOARD`]) behind the UART
/// bridge at `baud`, for a core clock of `clock_mhz`.
pub fn accelerator_core(lanes: usize, decoder: DecoderKind, baud: u64, clock_mhz: f64) -> Result<Design, FlowError> {
    accelerator_core_sized(lanes, decoder, MemSizes::BOARD, baud, clock_mhz)
}

/// [`accelerator_core`] with memories `sizes`: [`MemSizes::BOARD`], or [`MemSizes::SPRAM`] (the
/// UP5K's SPRAM streams, P = 2 with the bit-serial decoder). A build with the layer table (the
/// SPRAM one) also gets the SPI-flash booter: at power-up it loads the model image written at
/// `host::image::FLASH_IMAGE_OFFSET` of the board's flash.
pub fn accelerator_core_sized(
    lanes: usize,
    decoder: DecoderKind,
    sizes: MemSizes,
    baud: u64,
    clock_mhz: f64,
) -> Result<Design, FlowError> {
    let cpb = board_cycles_per_bit(clock_mhz, baud)?;
    let (verilog, top) = if sizes.layer_table {
        uart_core_verilog_flash(lanes, sizes, decoder, cpb, host::image::FLASH_IMAGE_OFFSET)
    } else {
        uart_core_verilog(lanes, sizes, decoder, cpb)
    }
    .map_err(FlowError::Hdl)?;
    Ok(Design {
        verilog,
        top,
        flash_boot: sizes.layer_table,
    })
}

/// The accelerator with `image` baked in (its lanes and memory sizes) behind the UART bridge at
/// `baud`, for a core clock of `clock_mhz`. Refused with a clear message when the image's memories
/// do not fit `board`'s block RAMs (the resource estimate's EBR count).
pub fn accelerator_core_baked(
    board: Board,
    image: &Image,
    decoder: DecoderKind,
    baud: u64,
    clock_mhz: f64,
) -> Result<Design, FlowError> {
    check_baked_fits(board, image)?;
    let cpb = board_cycles_per_bit(clock_mhz, baud)?;
    let (verilog, top) = uart_core_verilog_baked(image, decoder, cpb).map_err(FlowError::Hdl)?;
    Ok(Design {
        verilog,
        top,
        flash_boot: false,
    })
}

/// Whether the memories of a build holding `image` fit `board`'s block RAMs (EBRs).
pub fn check_baked_fits(board: Board, image: &Image) -> Result<(), FlowError> {
    // The block RAMs do not depend on the decoder.
    let est = crate::estimate::estimate_resources(board, image.lanes, DecoderKind::Pipelined, image.sizes, true);
    let cap = board.capacity();
    if est.total.ebr > cap.ebr {
        return Err(FlowError::Config(format!(
            "the baked model needs {} stream words per lane ({} per lane in memory) at P = {}: {} block RAMs, the {} has {}; use fewer lanes or a smaller model",
            image.stream_words_used(),
            image.sizes.stream_words(),
            image.lanes,
            est.total.ebr,
            board.part(),
            cap.ebr
        )));
    }
    Ok(())
}

/// The accelerator alone (no bridge, no board top): its Verilog and top module, for timing the
/// core with its ports left unconstrained.
pub fn accelerator_only(lanes: usize, decoder: DecoderKind) -> Result<Design, FlowError> {
    let verilog =
        hdl::generate_verilog_decoder(lanes, MemSizes::BOARD, decoder).map_err(|e| FlowError::Hdl(e.to_string()))?;
    Ok(Design {
        verilog,
        top: hdl::regmap::top_name_for(lanes, MemSizes::BOARD, decoder),
        flash_boot: false,
    })
}

fn board_cycles_per_bit(clock_mhz: f64, baud: u64) -> Result<u32, FlowError> {
    let hz = (clock_mhz * 1e6) as u64;
    cycles_per_bit(hz, baud).map_err(|e| FlowError::Config(e.to_string()))
}
