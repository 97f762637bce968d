//! Board tops: a board-specific Verilog wrapper (clock set-up and pins, in
//! `bitstreams/<board>/top.v`) around a rust-hdl "UART core": the UART host bridge in front of a
//! device, with ports `clock`, `uart_rx`, `uart_tx`, `irq`. The core is what the Verilator tests
//! run (the oscillator and the PLL are hard blocks without a simulation model).

use crate::{Board, FlowError};
use hdl::regmap::MemSizes;
use hdl::uart_bridge::{cycles_per_bit, loopback_verilog, uart_core_verilog};

/// The default UART rate of the board tops (the FT2232H on both boards does 1 Mbaud exactly;
/// 48 clocks per bit at 48 MHz).
pub const DEFAULT_BAUD: u64 = 1_000_000;

/// A design ready for the flow: Verilog text with its top module.
#[derive(Debug, Clone)]
pub struct Design {
    /// Verilog of the top and everything under it.
    pub verilog: String,
    /// Top module name.
    pub top: String,
}

/// The board top's module name.
pub fn top_name(board: Board) -> String {
    format!("backslash_{}", board.name())
}

/// Wraps a UART core (Verilog text declaring module `core`) in the board's top.
pub fn board_top(board: Board, core_verilog: &str, core: &str) -> Design {
    let template = match board {
        Board::Icebreaker => include_str!("../icebreaker/top.v"),
        Board::Hx8k => include_str!("../hx8k/top.v"),
    };
    let top = top_name(board);
    let wrapper = template.replace("{{TOP}}", &top).replace("{{CORE}}", core);
    Design {
        verilog: format!("{wrapper}\n{core_verilog}"),
        top,
    }
}

/// The UART bridge in front of a 16-word scratch register file (no accelerator): a board design
/// to check the UART link, and the flow's smallest real design.
pub fn loopback_core(board: Board, baud: u64) -> Result<Design, FlowError> {
    let cpb = board_cycles_per_bit(board, baud)?;
    let name = "backslash_loopback_core";
    let verilog = loopback_verilog(cpb, name).map_err(FlowError::Hdl)?;
    Ok(Design {
        verilog,
        top: name.to_string(),
    })
}

/// The accelerator (`lanes` lanes, [`MemSizes::BOARD`]) behind the UART bridge at `baud`.
pub fn accelerator_core(board: Board, lanes: usize, baud: u64) -> Result<Design, FlowError> {
    let cpb = board_cycles_per_bit(board, baud)?;
    let (verilog, top) = uart_core_verilog(lanes, MemSizes::BOARD, cpb).map_err(FlowError::Hdl)?;
    Ok(Design { verilog, top })
}

/// The accelerator alone (no bridge, no board top): its Verilog and top module, for timing the
/// core with its ports left unconstrained.
pub fn accelerator_only(lanes: usize) -> Result<Design, FlowError> {
    let verilog = hdl::generate_verilog(lanes, MemSizes::BOARD).map_err(|e| FlowError::Hdl(e.to_string()))?;
    Ok(Design {
        verilog,
        top: hdl::regmap::top_name(lanes, MemSizes::BOARD),
    })
}

fn board_cycles_per_bit(board: Board, baud: u64) -> Result<u32, FlowError> {
    let hz = (board.default_clock_mhz() * 1e6) as u64;
    cycles_per_bit(hz, baud).map_err(|e| FlowError::Config(e.to_string()))
}
