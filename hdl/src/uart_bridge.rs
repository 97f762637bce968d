//! UART host bridge: carries the accelerator's host-bus reads and writes over a serial line
//! (8N1), in fixed-length frames with a CRC-8, so that a corrupted frame is rejected, not executed.
//!
//! The protocol is defined once, in the host crate (`host::uart`, re-exported as [`protocol`]): constants, the CRC, a frame encoder and
//! parsers of both directions, used by the host transport (`host::serial`), the tests, and as the
//! reference the hardware blocks below are checked against. The byte-by-byte description is in
//! docs/uart.md.
//!
//! Blocks (each a rust-hdl `LogicBlock`):
//! - [`UartRx`]: 8N1 receiver, 2-flop synchroniser, samples mid-bit, drops bytes with a bad stop bit.
//! - [`UartTx`]: 8N1 transmitter.
//! - [`Crc8Serial`]: CRC-8 (poly 0x07) one bit per clock.
//! - [`UartBridge`]: the frame parser and host-bus master.
//! - [`ScratchRegs`]: a 16-word register file behind the host bus, to test the bridge alone.

use rust_hdl::prelude::*;

/// The framing, CRC and commands of the UART host protocol, in plain Rust: defined in the host
/// crate (`host::uart`), which the bridge implements.
pub use host::uart as protocol;

/// Errors of the bridge's parameters.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum BridgeError {
    /// The bit period is too short or too long for the counters.
    #[error("UART bit period of {0} clocks is outside 8..=65535 (clock {1} Hz, baud {2})")]
    BitPeriod(u64, u64, u64),
    /// The baud rate cannot be reached within 2%.
    #[error("{baud} baud from a {clock_hz} Hz clock is off by {error_pct:.2}% (more than 2%)")]
    BaudError { clock_hz: u64, baud: u64, error_pct: f64 },
}

/// Clocks per UART bit for a clock and baud rate, checked: 8..=65535 and within 2% of the rate.
pub fn cycles_per_bit(clock_hz: u64, baud: u64) -> Result<u32, BridgeError> {
    if baud == 0 {
        return Err(BridgeError::BitPeriod(0, clock_hz, baud));
    }
    let n = (clock_hz + baud / 2) / baud;
    if !(8..=65535).contains(&n) {
        return Err(BridgeError::BitPeriod(n, clock_hz, baud));
    }
    let actual = clock_hz as f64 / n as f64;
    let error_pct = 100.0 * (actual - baud as f64).abs() / baud as f64;
    if error_pct > 2.0 {
        return Err(BridgeError::BaudError {
            clock_hz,
            baud,
            error_pct,
        });
    }
    Ok(n as u32)
}

// ---- UART receiver ----------------------------------------------------------------------------

#[derive(Copy, Clone, PartialEq, Debug, LogicState)]
enum RxState {
    Idle,
    Start,
    Data,
    Stop,
}

/// 8N1 UART receiver. `data` is valid in the clock `valid` is high; a byte whose stop bit is low
/// is dropped.
#[derive(LogicBlock)]
pub struct UartRx {
    /// System clock.
    pub clock: Signal<In, Clock>,
    /// Serial input (idle high); asynchronous, synchronised inside.
    pub rx: Signal<In, Bit>,
    /// Received byte.
    pub data: Signal<Out, Bits<8>>,
    /// One-clock strobe: `data` holds a new byte.
    pub valid: Signal<Out, Bit>,
    sync1: DFF<Bit>,
    sync2: DFF<Bit>,
    state: DFF<RxState>,
    /// Clocks left in the current wait, minus one, as a down-counter whose bit 16 (the borrow)
    /// is the "wait done" flag: a flip-flop output instead of a 16-bit compare (see [`UartTx`]).
    count: DFF<Bits<17>>,
    nbit: DFF<Bits<4>>,
    shift: DFF<Bits<8>>,
    out_valid: DFF<Bit>,
    /// Reload for a whole bit: `cycles_per_bit - 2` (done on the `cycles_per_bit`-th clock).
    bit_load: Constant<Bits<17>>,
    /// Reload for half a bit: `cycles_per_bit / 2 - 2`.
    half_load: Constant<Bits<17>>,
    done: Signal<Local, Bit>,
}

impl UartRx {
    /// A receiver sampling every `cycles_per_bit` clocks (8..=65535).
    pub fn new(cycles_per_bit: u32) -> Self {
        assert!(
            (8..=65535).contains(&cycles_per_bit),
            "UART bit period {cycles_per_bit} outside 8..=65535"
        );
        UartRx {
            clock: Default::default(),
            rx: Default::default(),
            data: Default::default(),
            valid: Default::default(),
            sync1: DFF::default(),
            sync2: DFF::default(),
            state: DFF::default(),
            count: DFF::default(),
            nbit: DFF::default(),
            shift: DFF::default(),
            out_valid: DFF::default(),
            bit_load: Constant::new((cycles_per_bit as u64 - 2).to_bits()),
            half_load: Constant::new((cycles_per_bit as u64 / 2 - 2).to_bits()),
            done: Default::default(),
        }
    }
}

impl Logic for UartRx {
    #[hdl_gen]
    fn update(&mut self) {
        dff_setup!(self, clock, sync1, sync2, state, count, nbit, shift, out_valid);
        // The synchroniser's first flop powers up 0 = line low: a spurious start bit at power-on
        // fails the start-bit check (the line is high mid-bit) and is dropped.
        self.sync1.d.next = self.rx.val();
        self.sync2.d.next = self.sync1.q.val();
        self.out_valid.d.next = false;
        self.data.next = self.shift.q.val();
        self.valid.next = self.out_valid.q.val();
        // A wait of n clocks loads n - 2 (the clock of the load counts as the first); the
        // counter then runs down and the wait is done in the clock it reads -1 (bit 16 set).
        self.count.d.next = self.count.q.val() - 1;
        self.done.next = self.count.q.val().get_bit(16);
        match self.state.q.val() {
            RxState::Idle => {
                self.count.d.next = self.half_load.val();
                if !self.sync2.q.val() {
                    self.state.d.next = RxState::Start;
                }
            }
            RxState::Start => {
                if self.done.val() {
                    self.count.d.next = self.bit_load.val();
                    if self.sync2.q.val() {
                        self.state.d.next = RxState::Idle;
                    } else {
                        self.nbit.d.next = 0.into();
                        self.state.d.next = RxState::Data;
                    }
                }
            }
            RxState::Data => {
                if self.done.val() {
                    self.count.d.next = self.bit_load.val();
                    self.shift.d.next = (self.shift.q.val() >> 1) | (bit_cast::<8, 1>(self.sync2.q.val().into()) << 7);
                    self.nbit.d.next = self.nbit.q.val() + 1;
                    if self.nbit.q.val() == 7 {
                        self.state.d.next = RxState::Stop;
                    }
                }
            }
            RxState::Stop => {
                if self.done.val() {
                    self.out_valid.d.next = self.sync2.q.val();
                    self.state.d.next = RxState::Idle;
                }
            }
            _ => {
                self.state.d.next = RxState::Idle;
            }
        }
    }
}

// ---- UART transmitter -------------------------------------------------------------------------

/// 8N1 UART transmitter: `start` (while not `busy`) sends `data`.
#[derive(LogicBlock)]
pub struct UartTx {
    /// System clock.
    pub clock: Signal<In, Clock>,
    /// Byte to send, sampled when `start` is high.
    pub data: Signal<In, Bits<8>>,
    /// One-clock strobe: send `data` (ignored while `busy`).
    pub start: Signal<In, Bit>,
    /// High from the clock after `start` until the stop bit is complete.
    pub busy: Signal<Out, Bit>,
    /// Serial output (idle high).
    pub tx: Signal<Out, Bit>,
    /// Bits still to send, LSB first: start bit, 8 data bits, stop bit (then one idle period
    /// counted by `nbit` so that `busy` covers the whole stop bit).
    shift: DFF<Bits<10>>,
    nbit: DFF<Bits<4>>,
    /// Clocks left in the current bit, minus one, as a down-counter: bit 16 (the borrow) marks
    /// the last clock, a flip-flop output where an up-counter needs a 16-bit compare. It always
    /// counts down and only ever loads one constant, so yosys maps the load to the flip-flops'
    /// set/reset and the decrement packs into one carry chain (with the old up-counter, compare
    /// and two load values, nextpnr split the chain with 11 feed-through cells: the bridge's
    /// critical path, 45.5 MHz on the UP5K; docs/notes/bitstreams.md).
    count: DFF<Bits<17>>,
    /// The clock after `start`: the (empty) bit before the start bit ends now.
    first: DFF<Bit>,
    /// Inverted line level, so the power-on value 0 means idle high.
    line_n: DFF<Bit>,
    /// Reload for a whole bit: `cycles_per_bit - 2`.
    bit_load: Constant<Bits<17>>,
}

impl UartTx {
    /// A transmitter holding each bit for `cycles_per_bit` clocks (8..=65535).
    pub fn new(cycles_per_bit: u32) -> Self {
        assert!(
            (8..=65535).contains(&cycles_per_bit),
            "UART bit period {cycles_per_bit} outside 8..=65535"
        );
        UartTx {
            clock: Default::default(),
            data: Default::default(),
            start: Default::default(),
            busy: Default::default(),
            tx: Default::default(),
            shift: DFF::default(),
            nbit: DFF::default(),
            count: DFF::default(),
            first: DFF::default(),
            line_n: DFF::default(),
            bit_load: Constant::new((cycles_per_bit as u64 - 2).to_bits()),
        }
    }
}

impl Logic for UartTx {
    #[hdl_gen]
    fn update(&mut self) {
        dff_setup!(self, clock, shift, nbit, count, first, line_n);
        self.tx.next = !self.line_n.q.val();
        self.busy.next = self.nbit.q.val().any();
        self.count.d.next = self.count.q.val() - 1;
        self.first.d.next = false;
        if self.nbit.q.val().any() {
            if self.count.q.val().get_bit(16) | self.first.q.val() {
                self.count.d.next = self.bit_load.val();
                self.nbit.d.next = self.nbit.q.val() - 1;
                self.line_n.d.next = !self.shift.q.val().get_bit(0);
                self.shift.d.next = (self.shift.q.val() >> 1) | 512;
            }
        } else {
            self.line_n.d.next = false;
            if self.start.val() {
                // start bit 0, data LSB first, stop bit 1
                self.shift.d.next = (bit_cast::<10, 8>(self.data.val()) << 1) | 512;
                self.nbit.d.next = 11.into();
                self.count.d.next = self.bit_load.val();
                self.first.d.next = true;
            }
        }
    }
}

// ---- CRC-8, one bit per clock ------------------------------------------------------------------

/// CRC-8 (poly 0x07, MSB first) of a byte stream, one bit per clock: `feed` `data_in` at most every 9
/// clocks; `crc` is final 8 clocks after the last feed. `clear` resets the CRC to 0.
#[derive(LogicBlock, Default)]
pub struct Crc8Serial {
    /// System clock.
    pub clock: Signal<In, Clock>,
    /// Reset the CRC to 0 (takes precedence over `feed`).
    pub clear: Signal<In, Bit>,
    /// Strobe: add `data_in` to the CRC.
    pub feed: Signal<In, Bit>,
    /// Byte to add.
    pub data_in: Signal<In, Bits<8>>,
    /// Current CRC.
    pub crc: Signal<Out, Bits<8>>,
    crc_q: DFF<Bits<8>>,
    shift: DFF<Bits<8>>,
    left: DFF<Bits<4>>,
    fb: Signal<Local, Bit>,
}

impl Logic for Crc8Serial {
    #[hdl_gen]
    fn update(&mut self) {
        dff_setup!(self, clock, crc_q, shift, left);
        self.crc.next = self.crc_q.q.val();
        self.fb.next = self.crc_q.q.val().get_bit(7) ^ self.shift.q.val().get_bit(7);
        if self.left.q.val().any() {
            self.left.d.next = self.left.q.val() - 1;
            self.shift.d.next = self.shift.q.val() << 1;
            if self.fb.val() {
                self.crc_q.d.next = (self.crc_q.q.val() << 1) ^ 7;
            } else {
                self.crc_q.d.next = self.crc_q.q.val() << 1;
            }
        }
        if self.feed.val() {
            self.shift.d.next = self.data_in.val();
            self.left.d.next = 8.into();
        }
        if self.clear.val() {
            self.crc_q.d.next = 0.into();
            self.left.d.next = 0.into();
        }
    }
}

// ---- the bridge -------------------------------------------------------------------------------

/// Frame parser and host-bus master: requests from `uart_rx`, host-bus operations on the
/// `host_*` ports, responses on `uart_tx` (see [`protocol`]). One request at a time.
#[derive(LogicBlock)]
pub struct UartBridge {
    /// System clock.
    pub clock: Signal<In, Clock>,
    /// Serial input from the host.
    pub uart_rx: Signal<In, Bit>,
    /// Serial output to the host.
    pub uart_tx: Signal<Out, Bit>,
    /// Host bus: word address (valid with `host_write`/`host_read`).
    pub host_addr: Signal<Out, Bits<16>>,
    /// Host bus: write data.
    pub host_wdata: Signal<Out, Bits<32>>,
    /// Host bus: one-clock write strobe.
    pub host_write: Signal<Out, Bit>,
    /// Host bus: one-clock read strobe.
    pub host_read: Signal<Out, Bit>,
    /// Host bus: read data, valid with `host_rvalid`.
    pub host_rdata: Signal<In, Bits<32>>,
    /// Host bus: read data valid (a fixed latency after `host_read`).
    pub host_rvalid: Signal<In, Bit>,
    /// The device's interrupt line, reported in each response's STATUS bit 7.
    pub irq: Signal<In, Bit>,
    rx: UartRx,
    tx: UartTx,
    crc: Crc8Serial,
    /// The state, one-hot (Collect, Check, WaitRead, Respond, SendByte, WaitTx, and Hunt as
    /// `st_hunt_n` = 0, so the power-on state is Hunt): each state's logic starts from one
    /// flip-flop instead of a decode of an encoded state, which made the response register's
    /// enable 6 LUTs deep.
    st_hunt_n: DFF<Bit>,
    st_collect: DFF<Bit>,
    st_check: DFF<Bit>,
    st_waitread: DFF<Bit>,
    st_respond: DFF<Bit>,
    st_sendbyte: DFF<Bit>,
    st_waittx: DFF<Bit>,
    /// Check's decisions, registered in the clock before Check from the last request byte on
    /// its way in (CRC byte = `rx.data`, CMD = `req[55:48]`): bad CRC, WRITE, READ, PING.
    chk_bad_crc: DFF<Bit>,
    chk_write: DFF<Bit>,
    chk_read: DFF<Bit>,
    chk_ping: DFF<Bit>,
    /// Request bytes after SYNC: CMD, ADDR_HI, ADDR_LO, D3..D0, CRC (CMD in the top byte).
    req: DFF<Bits<64>>,
    nbytes: DFF<Bits<4>>,
    timer: DFF<Bits<24>>,
    write_q: DFF<Bit>,
    read_q: DFF<Bit>,
    status: DFF<Bits<8>>,
    /// Response bytes still to send after SYNC: STATUS, D3..D0 (top byte first).
    resp: DFF<Bits<40>>,
    nsent: DFF<Bits<3>>,
    /// `timer == FRAME_TIMEOUT` and `timer == READ_TIMEOUT`, each computed a clock ahead from
    /// `timer == limit - 1` (the timer only counts up by one or restarts at 0, `trst`), so the
    /// state logic sees a flip-flop instead of a 24-bit compare.
    ft_hit: DFF<Bit>,
    rt_hit: DFF<Bit>,
    trst: Signal<Local, Bit>,
    frame_timeout_m1: Constant<Bits<24>>,
    read_timeout_m1: Constant<Bits<24>>,
    req_sync: Constant<Bits<8>>,
    resp_sync: Constant<Bits<8>>,
    cmd_ping: Constant<Bits<8>>,
    cmd_read: Constant<Bits<8>>,
    cmd_write: Constant<Bits<8>>,
    st_bad_crc: Constant<Bits<8>>,
    st_bad_cmd: Constant<Bits<8>>,
    st_timeout: Constant<Bits<8>>,
    ping_magic: Constant<Bits<32>>,
}

impl UartBridge {
    /// A bridge whose UART holds each bit for `cycles_per_bit` clocks; see [`cycles_per_bit`].
    pub fn new(cycles_per_bit: u32) -> Result<Self, BridgeError> {
        if !(8..=65535).contains(&cycles_per_bit) {
            return Err(BridgeError::BitPeriod(cycles_per_bit as u64, 0, 0));
        }
        use protocol::*;
        let c8 = |v: u8| Constant::new((v as u64).to_bits());
        Ok(UartBridge {
            clock: Default::default(),
            uart_rx: Default::default(),
            uart_tx: Default::default(),
            host_addr: Default::default(),
            host_wdata: Default::default(),
            host_write: Default::default(),
            host_read: Default::default(),
            host_rdata: Default::default(),
            host_rvalid: Default::default(),
            irq: Default::default(),
            rx: UartRx::new(cycles_per_bit),
            tx: UartTx::new(cycles_per_bit),
            crc: Crc8Serial::default(),
            st_collect: DFF::default(),
            st_check: DFF::default(),
            st_waitread: DFF::default(),
            st_respond: DFF::default(),
            st_sendbyte: DFF::default(),
            st_waittx: DFF::default(),
            st_hunt_n: DFF::default(),
            chk_bad_crc: DFF::default(),
            chk_write: DFF::default(),
            chk_read: DFF::default(),
            chk_ping: DFF::default(),
            req: DFF::default(),
            nbytes: DFF::default(),
            timer: DFF::default(),
            write_q: DFF::default(),
            read_q: DFF::default(),
            status: DFF::default(),
            resp: DFF::default(),
            nsent: DFF::default(),
            ft_hit: DFF::default(),
            rt_hit: DFF::default(),
            trst: Default::default(),
            frame_timeout_m1: Constant::new(((FRAME_TIMEOUT_BITS * cycles_per_bit) as u64 - 1).to_bits()),
            read_timeout_m1: Constant::new((READ_TIMEOUT_CLOCKS as u64 - 1).to_bits()),
            req_sync: c8(REQ_SYNC),
            resp_sync: c8(RESP_SYNC),
            cmd_ping: c8(CMD_PING),
            cmd_read: c8(CMD_READ),
            cmd_write: c8(CMD_WRITE),
            st_bad_crc: c8(STATUS_BAD_CRC),
            st_bad_cmd: c8(STATUS_BAD_CMD),
            st_timeout: c8(STATUS_TIMEOUT),
            ping_magic: Constant::new((PING_MAGIC as u64).to_bits()),
        })
    }
}

impl Logic for UartBridge {
    #[hdl_gen]
    fn update(&mut self) {
        dff_setup!(
            self,
            clock,
            st_hunt_n,
            st_collect,
            st_check,
            st_waitread,
            st_respond,
            st_sendbyte,
            st_waittx,
            chk_bad_crc,
            chk_write,
            chk_read,
            chk_ping,
            req,
            nbytes,
            timer,
            ft_hit,
            rt_hit,
            write_q,
            read_q,
            status,
            resp,
            nsent
        );
        clock!(self, clock, rx, tx, crc);
        self.rx.rx.next = self.uart_rx.val();
        self.uart_tx.next = self.tx.tx.val();
        self.host_addr.next = self.req.q.val().get_bits::<16>(40);
        self.host_wdata.next = self.req.q.val().get_bits::<32>(8);
        self.host_write.next = self.write_q.q.val();
        self.host_read.next = self.read_q.q.val();
        self.write_q.d.next = false;
        self.read_q.d.next = false;
        self.crc.clear.next = false;
        self.crc.feed.next = false;
        self.crc.data_in.next = self.rx.data.val();
        self.tx.start.next = false;
        self.tx.data.next = self.resp.q.val().get_bits::<8>(32);
        self.timer.d.next = self.timer.q.val() + 1;
        self.trst.next = false;
        // Every clock; Check (the clock after the CRC byte arrived) reads them.
        self.chk_bad_crc.d.next = self.crc.crc.val() != self.rx.data.val();
        self.chk_write.d.next = self.req.q.val().get_bits::<8>(48) == self.cmd_write.val();
        self.chk_read.d.next = self.req.q.val().get_bits::<8>(48) == self.cmd_read.val();
        self.chk_ping.d.next = self.req.q.val().get_bits::<8>(48) == self.cmd_ping.val();
        if !self.st_hunt_n.q.val() {
            self.crc.clear.next = true;
            self.nbytes.d.next = 0.into();
            if self.rx.valid.val() & (self.rx.data.val() == self.req_sync.val()) {
                self.timer.d.next = 0.into();
                self.trst.next = true;
                self.st_hunt_n.d.next = true;
                self.st_collect.d.next = true;
            }
        }
        if self.st_collect.q.val() {
            if self.rx.valid.val() {
                self.req.d.next = (self.req.q.val() << 8) | bit_cast::<64, 8>(self.rx.data.val());
                self.nbytes.d.next = self.nbytes.q.val() + 1;
                self.timer.d.next = 0.into();
                self.trst.next = true;
                // bytes 0..6 (CMD..D0) enter the CRC; byte 7 is the CRC itself
                self.crc.feed.next = self.nbytes.q.val() != 7;
                if self.nbytes.q.val() == 7 {
                    self.st_collect.d.next = false;
                    self.st_check.d.next = true;
                }
            } else if self.ft_hit.q.val() {
                self.st_collect.d.next = false;
                self.st_hunt_n.d.next = false;
            }
        }
        if self.st_check.q.val() {
            // The CRC of byte 6 finished long before the CRC byte came (a byte takes >= 80 clocks).
            self.resp.d.next = 0.into();
            self.status.d.next = 0.into();
            self.timer.d.next = 0.into();
            self.trst.next = true;
            self.st_check.d.next = false;
            self.st_respond.d.next = true;
            if self.chk_bad_crc.q.val() {
                self.status.d.next = self.st_bad_crc.val();
            } else if self.chk_write.q.val() {
                self.write_q.d.next = true;
            } else if self.chk_read.q.val() {
                self.read_q.d.next = true;
                self.timer.d.next = 0.into();
                self.trst.next = true;
                self.st_respond.d.next = false;
                self.st_waitread.d.next = true;
            } else if self.chk_ping.q.val() {
                self.resp.d.next = bit_cast::<40, 32>(self.ping_magic.val());
            } else {
                self.status.d.next = self.st_bad_cmd.val();
            }
        }
        if self.st_waitread.q.val() {
            if self.host_rvalid.val() {
                self.resp.d.next = bit_cast::<40, 32>(self.host_rdata.val());
                self.timer.d.next = 0.into();
                self.trst.next = true;
                self.st_waitread.d.next = false;
                self.st_respond.d.next = true;
            } else if self.rt_hit.q.val() {
                self.status.d.next = self.st_timeout.val();
                self.timer.d.next = 0.into();
                self.trst.next = true;
                self.st_waitread.d.next = false;
                self.st_respond.d.next = true;
            }
        }
        if self.st_respond.q.val() {
            // Wait 4 clocks so that irq reflects the write just done; then SYNC, and STATUS
            // (with irq) goes on top of the data for the bytes after it.
            self.crc.clear.next = true;
            if self.timer.q.val().get_bit(2) {
                self.tx.data.next = self.resp_sync.val();
                self.tx.start.next = true;
                self.resp.d.next = self.resp.q.val()
                    | (bit_cast::<40, 8>(self.status.q.val() | (bit_cast::<8, 1>(self.irq.val().into()) << 7)) << 32);
                self.nsent.d.next = 0.into();
                self.st_respond.d.next = false;
                self.st_waittx.d.next = true;
            }
        }
        if self.st_sendbyte.q.val() {
            if self.nsent.q.val() == 5 {
                self.tx.data.next = self.crc.crc.val();
            } else {
                self.tx.data.next = self.resp.q.val().get_bits::<8>(32);
                self.crc.data_in.next = self.resp.q.val().get_bits::<8>(32);
                self.crc.feed.next = true;
                self.resp.d.next = self.resp.q.val() << 8;
            }
            self.tx.start.next = true;
            self.nsent.d.next = self.nsent.q.val() + 1;
            self.st_sendbyte.d.next = false;
            self.st_waittx.d.next = true;
        }
        if self.st_waittx.q.val() {
            // busy rises the clock after start: wait for a falling edge of busy.
            if self.tx.busy.val() {
                self.timer.d.next = 0.into();
                self.trst.next = true;
            } else if self.timer.q.val().get_bit(1) {
                if self.nsent.q.val() == 6 {
                    self.st_waittx.d.next = false;
                    self.st_hunt_n.d.next = false;
                } else {
                    self.st_waittx.d.next = false;
                    self.st_sendbyte.d.next = true;
                }
            }
        }
        self.ft_hit.d.next = (self.timer.q.val() == self.frame_timeout_m1.val()) & (!self.trst.val());
        self.rt_hit.d.next = (self.timer.q.val() == self.read_timeout_m1.val()) & (!self.trst.val());
    }
}

// ---- a host-bus slave to test the bridge alone ------------------------------------------------

/// 16 words of registers behind the host bus, answering reads after `latency` clocks (a fixed
/// delay line, like the accelerator). Word 15 drives `irq` from its bit 0.
#[derive(LogicBlock)]
pub struct ScratchRegs {
    /// System clock.
    pub clock: Signal<In, Clock>,
    /// Word address (low 4 bits used).
    pub host_addr: Signal<In, Bits<16>>,
    /// Write data.
    pub host_wdata: Signal<In, Bits<32>>,
    /// Write strobe.
    pub host_write: Signal<In, Bit>,
    /// Read strobe.
    pub host_read: Signal<In, Bit>,
    /// Read data.
    pub host_rdata: Signal<Out, Bits<32>>,
    /// Read data valid, `latency` clocks after `host_read`.
    pub host_rvalid: Signal<Out, Bit>,
    /// Bit 0 of word 15.
    pub irq: Signal<Out, Bit>,
    mem: RAM<Bits<32>, 4>,
    pipe: DFF<Bits<8>>,
    data_q: DFF<Bits<32>>,
    last: Constant<Bits<8>>,
    irq_q: DFF<Bit>,
}

impl ScratchRegs {
    /// Registers answering reads `latency` (2..=8) clocks after the strobe.
    pub fn new(latency: u32) -> Self {
        assert!((2..=8).contains(&latency), "read latency {latency} outside 2..=8");
        ScratchRegs {
            clock: Default::default(),
            host_addr: Default::default(),
            host_wdata: Default::default(),
            host_write: Default::default(),
            host_read: Default::default(),
            host_rdata: Default::default(),
            host_rvalid: Default::default(),
            irq: Default::default(),
            mem: RAM::default(),
            pipe: DFF::default(),
            data_q: DFF::default(),
            last: Constant::new((1u64 << (latency - 1)).to_bits()),
            irq_q: DFF::default(),
        }
    }
}

impl Logic for ScratchRegs {
    #[hdl_gen]
    fn update(&mut self) {
        dff_setup!(self, clock, pipe, data_q, irq_q);
        self.mem.read_clock.next = self.clock.val();
        self.mem.write_clock.next = self.clock.val();
        self.mem.read_address.next = self.host_addr.val().get_bits::<4>(0);
        self.mem.write_address.next = self.host_addr.val().get_bits::<4>(0);
        self.mem.write_data.next = self.host_wdata.val();
        self.mem.write_enable.next = self.host_write.val();
        if self.host_write.val() & (self.host_addr.val().get_bits::<4>(0) == 15) {
            self.irq_q.d.next = self.host_wdata.val().get_bit(0);
        }
        self.irq.next = self.irq_q.q.val();
        // RAM read data arrives one clock after the address; pipe bit i = "read i+1 clocks ago".
        self.pipe.d.next = (self.pipe.q.val() << 1) | bit_cast::<8, 1>(self.host_read.val().into());
        if self.pipe.q.val().get_bit(0) {
            self.data_q.d.next = self.mem.read_data.val();
        }
        self.host_rdata.next = self.data_q.q.val();
        self.host_rvalid.next = (self.pipe.q.val() & self.last.val()).any();
    }
}

// ---- bridge + scratch registers: a complete UART-to-registers design -------------------------

/// The bridge in front of [`ScratchRegs`]: a board-independent design to test the UART path (and
/// the host transport) without the accelerator.
#[derive(LogicBlock)]
pub struct BridgeLoopback {
    /// System clock.
    pub clock: Signal<In, Clock>,
    /// Serial input from the host.
    pub uart_rx: Signal<In, Bit>,
    /// Serial output to the host.
    pub uart_tx: Signal<Out, Bit>,
    /// The registers' irq line (word 15 bit 0).
    pub irq: Signal<Out, Bit>,
    bridge: UartBridge,
    regs: ScratchRegs,
}

impl BridgeLoopback {
    /// A loopback design with the given UART bit period and register read latency.
    pub fn new(cycles_per_bit: u32, read_latency: u32) -> Result<Self, BridgeError> {
        Ok(BridgeLoopback {
            clock: Default::default(),
            uart_rx: Default::default(),
            uart_tx: Default::default(),
            irq: Default::default(),
            bridge: UartBridge::new(cycles_per_bit)?,
            regs: ScratchRegs::new(read_latency),
        })
    }
}

impl Logic for BridgeLoopback {
    #[hdl_gen]
    fn update(&mut self) {
        clock!(self, clock, bridge, regs);
        self.bridge.uart_rx.next = self.uart_rx.val();
        self.uart_tx.next = self.bridge.uart_tx.val();
        self.regs.host_addr.next = self.bridge.host_addr.val();
        self.regs.host_wdata.next = self.bridge.host_wdata.val();
        self.regs.host_write.next = self.bridge.host_write.val();
        self.regs.host_read.next = self.bridge.host_read.val();
        self.bridge.host_rdata.next = self.regs.host_rdata.val();
        self.bridge.host_rvalid.next = self.regs.host_rvalid.val();
        self.bridge.irq.next = self.regs.irq.val();
        self.irq.next = self.regs.irq.val();
    }
}

/// Verilog of a block with its top module named `name` instead of rust-hdl's `top` (submodules
/// become `name$...`), so that several designs can share one yosys or Verilator run. Checks the
/// design first (unconnected signals, write-only inputs) and returns the check's error.
pub fn verilog_named<U: Block>(uut: &U, name: &str) -> Result<String, String> {
    check_all(uut).map_err(|e| format!("{e:?}"))?;
    let mut defines = ModuleDefines::default();
    uut.accept(name, &mut defines);
    Ok(defines.defines())
}

/// Verilog of [`BridgeLoopback`] (bridge + [`ScratchRegs`] with read latency 2) with its top
/// module named `name`.
pub fn loopback_verilog(cycles_per_bit: u32, name: &str) -> Result<String, String> {
    let mut core = BridgeLoopback::new(cycles_per_bit, 2).map_err(|e| e.to_string())?;
    core.clock.connect();
    core.uart_rx.connect();
    core.connect_all();
    verilog_named(&core, name)
}

/// Verilog of the accelerator with `lanes` lanes, memories `sizes` and `decoder` in its lanes
/// behind the UART bridge (`cycles_per_bit` clocks per bit): a UART core with ports `clock`,
/// `uart_rx`, `uart_tx`, `irq`. Returns the Verilog and the core's module name,
/// `<accelerator top>_uart<cycles_per_bit>` (e.g. `bs_accel_p4_uart48`).
pub fn uart_core_verilog(
    lanes: usize,
    sizes: crate::regmap::MemSizes,
    decoder: crate::regmap::DecoderKind,
    cycles_per_bit: u32,
) -> Result<(String, String), String> {
    let accel = crate::regmap::top_name_for(lanes, sizes, decoder);
    let accel_v = crate::generate_verilog_decoder(lanes, sizes, decoder).map_err(|e| e.to_string())?;
    uart_core_of(&accel, &accel_v, cycles_per_bit)
}

/// Like [`uart_core_verilog`] with `image` baked into the accelerator's memories and MODEL_ID
/// (lanes and memory sizes are the image's); the core is `<image top>_uart<cycles_per_bit>`.
pub fn uart_core_verilog_baked(
    image: &host::Image,
    decoder: crate::regmap::DecoderKind,
    cycles_per_bit: u32,
) -> Result<(String, String), String> {
    let accel_v = crate::bake::Bake::verilog(image, decoder).map_err(|e| e.to_string())?;
    uart_core_of(&image.top_name(decoder), &accel_v, cycles_per_bit)
}

fn uart_core_of(accel: &str, accel_v: &str, cycles_per_bit: u32) -> Result<(String, String), String> {
    let core = format!("{accel}_uart{cycles_per_bit}");
    let bridge = format!("{core}_bridge");
    let bridge_v = bridge_verilog(cycles_per_bit, &bridge)?;
    Ok((
        format!("{}\n{bridge_v}\n{accel_v}", uart_core_glue(&core, &bridge, accel)),
        core,
    ))
}

/// Like [`uart_core_verilog`] with the SPI-flash booter ([`crate::flash_boot::FlashBoot`]) between
/// the bridge and the accelerator: at power-up it loads the model image at byte `flash_offset` of
/// the flash through the image loader. Ports `clock`, `uart_rx`, `uart_tx`, `irq`, `booting`,
/// `flash_sck`, `flash_csn`, `flash_mosi`, `flash_miso`; the core is
/// `<accelerator top>_uart<cycles_per_bit>_boot`.
pub fn uart_core_verilog_flash(
    lanes: usize,
    sizes: crate::regmap::MemSizes,
    decoder: crate::regmap::DecoderKind,
    cycles_per_bit: u32,
    flash_offset: u32,
) -> Result<(String, String), String> {
    if !sizes.layer_table {
        return Err("booting from flash needs the image loader, which comes with the layer table".into());
    }
    let accel = crate::regmap::top_name_for(lanes, sizes, decoder);
    let accel_v = crate::generate_verilog_decoder(lanes, sizes, decoder).map_err(|e| e.to_string())?;
    let core = format!("{accel}_uart{cycles_per_bit}_boot");
    let bridge = format!("{core}_bridge");
    let booter = format!("{core}_flash");
    let bridge_v = bridge_verilog(cycles_per_bit, &bridge)?;
    let mut b = crate::flash_boot::FlashBoot::new(flash_offset).map_err(|e| e.to_string())?;
    b.clock.connect();
    b.flash_miso.connect();
    b.connect_all();
    let booter_v = verilog_named(&b, &booter)?;
    let glue = format!(
        r#"// UART core with flash boot: host bridge + device on one clock; the flash booter feeds the
// device's image loader at power-up.
module {core}(input clock, input uart_rx, output uart_tx, output irq, output booting,
    output flash_sck, output flash_csn, output flash_mosi, input flash_miso);
    wire [15:0] host_addr;
    wire [31:0] host_wdata;
    wire [31:0] host_rdata;
    wire host_write;
    wire host_read;
    wire host_rvalid;
    wire boot_start;
    wire boot_valid;
    wire [31:0] boot_word;
    {bridge} bridge (.clock(clock), .uart_rx(uart_rx), .uart_tx(uart_tx),
        .host_addr(host_addr), .host_wdata(host_wdata), .host_write(host_write), .host_read(host_read),
        .host_rdata(host_rdata), .host_rvalid(host_rvalid), .irq(irq));
    {booter} boot (.clock(clock), .load_start(boot_start), .word_valid(boot_valid), .word(boot_word),
        .flash_sck(flash_sck), .flash_csn(flash_csn), .flash_mosi(flash_mosi),
        .flash_miso(flash_miso), .booting(booting));
    {accel} device (.clock(clock),
        .host_addr(host_addr), .host_wdata(host_wdata), .host_write(host_write), .host_read(host_read),
        .host_rdata(host_rdata), .host_rvalid(host_rvalid), .irq(irq),
        .boot_start(boot_start), .boot_valid(boot_valid), .boot_word(boot_word));
endmodule
"#
    );
    Ok((format!("{glue}\n{bridge_v}\n{booter_v}\n{accel_v}"), core))
}

/// Verilog of the bridge alone with its top module named `name` (ports as [`UartBridge`]).
pub fn bridge_verilog(cycles_per_bit: u32, name: &str) -> Result<String, String> {
    let mut b = UartBridge::new(cycles_per_bit).map_err(|e| e.to_string())?;
    b.clock.connect();
    b.uart_rx.connect();
    b.host_rdata.connect();
    b.host_rvalid.connect();
    b.irq.connect();
    b.connect_all();
    verilog_named(&b, name)
}

/// A "UART core" module `core` (ports `clock`, `uart_rx`, `uart_tx`, `irq`) joining the bridge
/// module `bridge` (from [`bridge_verilog`]) to a host-bus device module `device` (ports `clock`,
/// `host_addr`, `host_wdata`, `host_write`, `host_read`, `host_rdata`, `host_rvalid`, `irq`, and the
/// booter inputs `boot_start`, `boot_valid`, `boot_word`, tied to 0 here: the accelerator's top).
pub fn uart_core_glue(core: &str, bridge: &str, device: &str) -> String {
    format!(
        r#"// UART core: host bridge + device on one clock.
module {core}(input clock, input uart_rx, output uart_tx, output irq);
    wire [15:0] host_addr;
    wire [31:0] host_wdata;
    wire [31:0] host_rdata;
    wire host_write;
    wire host_read;
    wire host_rvalid;
    {bridge} bridge (.clock(clock), .uart_rx(uart_rx), .uart_tx(uart_tx),
        .host_addr(host_addr), .host_wdata(host_wdata), .host_write(host_write), .host_read(host_read),
        .host_rdata(host_rdata), .host_rvalid(host_rvalid), .irq(irq));
    {device} device (.clock(clock),
        .host_addr(host_addr), .host_wdata(host_wdata), .host_write(host_write), .host_read(host_read),
        .host_rdata(host_rdata), .host_rvalid(host_rvalid), .irq(irq),
        .boot_start(1'b0), .boot_valid(1'b0), .boot_word(32'd0));
endmodule
"#
    )
}

#[cfg(test)]
mod tests {
    use super::protocol::*;
    use super::*;
    use std::collections::HashMap;

    const CPB: u32 = 8;

    struct Bench {
        uut: BridgeLoopback,
        rx_dec: UartDecoder,
        cycles: u64,
    }

    impl Bench {
        fn new() -> Self {
            let mut uut = BridgeLoopback::new(CPB, 2).unwrap();
            uut.clock.connect();
            uut.uart_rx.connect();
            uut.connect_all();
            uut.uart_rx.next = true;
            let mut b = Bench {
                uut,
                rx_dec: UartDecoder::new(CPB),
                cycles: 0,
            };
            b.idle(4 * CPB as usize); // let the synchroniser see the idle line
            b
        }

        /// One clock with `rx` on the line; returns a byte completed on TX.
        fn tick(&mut self, rx: bool) -> Option<u8> {
            self.uut.uart_rx.next = rx;
            self.uut.clock.next = false.into();
            assert!(simulate(&mut self.uut, 100));
            self.uut.clock.next = true.into();
            assert!(simulate(&mut self.uut, 100));
            self.cycles += 1;
            self.rx_dec.sample(self.uut.uart_tx.val())
        }

        fn idle(&mut self, n: usize) -> Vec<u8> {
            (0..n).filter_map(|_| self.tick(true)).collect()
        }

        /// Sends bytes, then waits up to `wait` clocks for `expect` response bytes.
        fn transact(&mut self, bytes: &[u8], expect: usize, wait: usize) -> Vec<u8> {
            let mut got: Vec<u8> = uart_waveform(bytes, CPB, 1)
                .into_iter()
                .filter_map(|l| self.tick(l))
                .collect();
            let mut n = 0;
            while got.len() < expect && n < wait {
                got.extend(self.tick(true));
                n += 1;
            }
            got.extend(self.idle(3 * CPB as usize)); // nothing more may follow
            got
        }

        fn request(&mut self, bytes: &[u8]) -> Response {
            let r = self.transact(bytes, RESP_LEN, 200 * CPB as usize);
            assert_eq!(r.len(), RESP_LEN, "response bytes {r:02x?}");
            Response::decode(&r).unwrap()
        }
    }

    #[test]
    fn crc8_known_answer() {
        // CRC-8/SMBUS check value (reveng catalogue).
        assert_eq!(crc8(b"123456789"), 0xF4);
        assert_eq!(crc8(&[]), 0);
    }

    #[test]
    fn frames_round_trip_and_reject_corruption() {
        let r = Response {
            status: STATUS_OK | STATUS_IRQ,
            data: 0xDEAD_BEEF,
        };
        let f = r.encode();
        assert_eq!(Response::decode(&f), Ok(r));
        for i in 0..RESP_LEN {
            let mut g = f;
            g[i] ^= 0x10;
            assert!(Response::decode(&g).is_err(), "byte {i}");
        }
        let mut p = RequestParser::new();
        let req = Request::Write {
            addr: 0x8001,
            data: 0x0102_0304,
        };
        let bytes = req.encode();
        assert_eq!(
            bytes,
            [0xA5, 0x02, 0x80, 0x01, 0x01, 0x02, 0x03, 0x04, crc8(&bytes[1..8])]
        );
        let out: Vec<_> = bytes.iter().filter_map(|&b| p.push(b)).collect();
        assert_eq!(out, vec![Parsed::Request(req)]);
        let mut bad = bytes;
        bad[5] ^= 1;
        let out: Vec<_> = bad.iter().filter_map(|&b| p.push(b)).collect();
        assert_eq!(out, vec![Parsed::BadCrc]);
    }

    #[test]
    fn baud_divider_is_checked() {
        assert_eq!(cycles_per_bit(48_000_000, 1_000_000), Ok(48));
        assert_eq!(cycles_per_bit(12_000_000, 115_200), Ok(104));
        assert!(cycles_per_bit(12_000_000, 3_000_000).is_err());
        assert!(cycles_per_bit(12_000_000, 0).is_err());
        assert!(UartBridge::new(4).is_err());
    }

    #[test]
    fn uart_decoder_reads_the_waveform_it_writes() {
        let bytes = [0x00, 0xFF, 0x55, 0xA5, 0x80, 0x01];
        let mut d = UartDecoder::new(CPB);
        let got: Vec<u8> = uart_waveform(&bytes, CPB, 0)
            .into_iter()
            .chain(std::iter::repeat_n(true, CPB as usize))
            .filter_map(|l| d.sample(l))
            .collect();
        assert_eq!(got, bytes);
        assert_eq!(d.framing_errors, 0);
    }

    #[test]
    fn ping_write_read_in_rust_hdl() {
        let mut b = Bench::new();
        let r = b.request(&Request::Ping.encode());
        assert_eq!(
            r,
            Response {
                status: STATUS_OK,
                data: PING_MAGIC
            }
        );
        for (a, d) in [(3u16, 0x1234_5678u32), (4, 0xFFFF_FFFF), (0x1003, 0xA5A5_0001)] {
            assert_eq!(
                b.request(&Request::Write { addr: a, data: d }.encode()),
                Response {
                    status: STATUS_OK,
                    data: 0
                }
            );
        }
        // 0x1003 aliases word 3 in the 16-word scratch file.
        assert_eq!(b.request(&Request::Read { addr: 3 }.encode()).data, 0xA5A5_0001);
        assert_eq!(b.request(&Request::Read { addr: 4 }.encode()).data, 0xFFFF_FFFF);
        // irq: word 15 bit 0, reported in STATUS bit 7 and on the pin
        let r = b.request(&Request::Write { addr: 15, data: 1 }.encode());
        assert_eq!(r.status, STATUS_OK | STATUS_IRQ);
        assert!(b.uut.irq.val());
    }

    #[test]
    fn corrupted_frame_is_rejected_not_executed() {
        let mut b = Bench::new();
        b.request(&Request::Write { addr: 5, data: 7 }.encode());
        let mut bad = Request::Write { addr: 5, data: 99 }.encode();
        bad[7] ^= 0x40;
        assert_eq!(b.request(&bad).code(), STATUS_BAD_CRC);
        assert_eq!(b.request(&Request::Read { addr: 5 }.encode()).data, 7);
        assert_eq!(b.request(&encode_raw(0x7E, 5, 1)).code(), STATUS_BAD_CMD);
        assert_eq!(b.request(&Request::Read { addr: 5 }.encode()).data, 7);
    }

    #[test]
    fn noise_before_sync_is_skipped_and_a_stalled_frame_times_out() {
        let mut b = Bench::new();
        let mut bytes = vec![0x00, 0x13, 0xFF];
        bytes.extend_from_slice(&Request::Ping.encode());
        assert_eq!(b.request(&bytes).data, PING_MAGIC);
        // half a frame, then silence longer than the frame timeout: dropped without a response
        let half = &Request::Write { addr: 1, data: 1 }.encode()[..5];
        let r = b.transact(half, 1, (FRAME_TIMEOUT_BITS as usize + 8) * CPB as usize);
        assert!(r.is_empty(), "{r:02x?}");
        assert_eq!(b.request(&Request::Read { addr: 1 }.encode()).data, 0);
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig { cases: 6, .. Default::default() })]
        /// Random requests, some with a flipped bit after SYNC, against the reference bridge.
        #[test]
        fn bridge_matches_reference(ops in proptest::collection::vec(
            (0u8..4, 8u16..24, proptest::prelude::any::<u32>(), proptest::option::weighted(0.25, (1usize..9, 0u8..8))), 1..7)) {
            let mut b = Bench::new();
            let regs: std::cell::RefCell<HashMap<u16, u32>> = Default::default();
            for (kind, addr, data, flip) in ops {
                let mut f = match kind {
                    0 => Request::Ping.encode(),
                    1 => Request::Read { addr }.encode(),
                    2 => Request::Write { addr, data }.encode(),
                    _ => encode_raw(0x40 | kind, addr, data),
                };
                if let Some((i, bit)) = flip { f[i] ^= 1 << bit; }
                let want = reference_bridge(&f,
                    |a| Some(*regs.borrow().get(&(a & 15)).unwrap_or(&0)),
                    |a, d| { regs.borrow_mut().insert(a & 15, d); },
                    || regs.borrow().get(&15).is_some_and(|v| v & 1 == 1));
                let got = b.transact(&f, RESP_LEN, 200 * CPB as usize);
                proptest::prop_assert_eq!(got, want);
            }
        }
    }

    #[test]
    fn loopback_verilog_passes_yosys() {
        let mut uut = BridgeLoopback::new(CPB, 2).unwrap();
        uut.clock.connect();
        uut.uart_rx.connect();
        uut.connect_all();
        let v = verilog_named(&uut, "bridge_loopback").unwrap();
        assert!(v.contains("module bridge_loopback("));
        yosys_validate("bridge_loopback", &v.replace("bridge_loopback", "top")).unwrap();
    }
}
