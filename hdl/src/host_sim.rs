//! The accelerator in rust-hdl's own simulator (a direct `simulate()` loop) as a host bus
//! ([`host::HostBus`]): the block tests and the cycles-per-weight report drive it with the host's
//! driver (`host::Driver`), the same code that drives the Verilated model and a board. Each bus
//! access checks the bus timing of docs/hardware.md (`host_rvalid` exactly `READ_LATENCY` clocks
//! after the strobe, for one clock; `irq` high with DONE).
use crate::accelerator::Accelerator;
use crate::regmap;
use rust_hdl::prelude::*;

/// The accelerator in rust-hdl's simulator with a register-level host interface.
pub struct HostSim<const P: usize, const SAW: usize, const VAW: usize> {
    uut: Box<Accelerator<P, SAW, VAW>>,
    /// Clocks simulated so far.
    pub clocks: u64,
}

impl<const P: usize, const SAW: usize, const VAW: usize> HostSim<P, SAW, VAW> {
    /// A fresh accelerator (all registers at their initial values), without the layer table.
    pub fn new() -> Result<Self, crate::HdlError> {
        Self::with_init(&crate::MemInit::default())
    }

    /// A fresh accelerator whose memories start with `init` (a baked image).
    pub fn with_init(init: &crate::MemInit) -> Result<Self, crate::HdlError> {
        Self::build(init, false)
    }

    /// A fresh accelerator with the layer table (CTRL.RUN_MODEL) and the image loader.
    pub fn with_layer_table() -> Result<Self, crate::HdlError> {
        Self::build(&crate::MemInit::default(), true)
    }

    fn build(init: &crate::MemInit, layer_table: bool) -> Result<Self, crate::HdlError> {
        let mut uut = Box::new(Accelerator::<P, SAW, VAW>::new(init, layer_table)?);
        uut.connect_all();
        let mut s = HostSim { uut, clocks: 0 };
        s.settle();
        Ok(s)
    }

    fn settle(&mut self) {
        assert!(simulate(&mut *self.uut, 500), "rust-hdl simulation did not settle");
    }

    /// One clock: settle the inputs with the clock low, then the rising edge.
    pub fn tick(&mut self) {
        self.uut.clock.next = false.into();
        self.settle();
        self.uut.clock.next = true.into();
        self.settle();
        self.clocks += 1;
    }

    /// One host write (one clock).
    pub fn write(&mut self, addr: u16, data: u32) {
        self.uut.host_addr.next = (addr as u64).into();
        self.uut.host_wdata.next = (data as u64).into();
        self.uut.host_write.next = true;
        self.tick();
        self.uut.host_write.next = false;
    }

    /// One host read: the strobe, then `READ_LATENCY` clocks; checks `host_rvalid`.
    pub fn read(&mut self, addr: u16) -> u32 {
        self.uut.host_addr.next = (addr as u64).into();
        self.uut.host_read.next = true;
        self.tick();
        self.uut.host_read.next = false;
        for _ in 1..regmap::READ_LATENCY {
            assert!(!self.uut.host_rvalid.val(), "rvalid early");
            self.tick();
        }
        assert!(
            self.uut.host_rvalid.val(),
            "rvalid not high {} clocks after the read",
            regmap::READ_LATENCY
        );
        let v = self.uut.host_rdata.val().to_u32();
        self.tick();
        assert!(!self.uut.host_rvalid.val(), "rvalid longer than one clock");
        v
    }

    /// The `irq` output.
    pub fn irq(&self) -> bool {
        self.uut.irq.val()
    }
}

/// The accelerator in rust-hdl's simulator as a host bus, so that the host's driver
/// (`host::Driver`) runs over it as over the Verilated model or a board.
impl<const P: usize, const SAW: usize, const VAW: usize> host::HostBus for HostSim<P, SAW, VAW> {
    fn write(&mut self, addr: u16, data: u32) -> Result<(), host::HostError> {
        HostSim::write(self, addr, data);
        Ok(())
    }

    fn read(&mut self, addr: u16) -> Result<u32, host::HostError> {
        Ok(HostSim::read(self, addr))
    }

    fn pause(&mut self, clocks: u32) -> Result<(), host::HostError> {
        for _ in 0..clocks {
            self.tick();
        }
        Ok(())
    }

    fn clock(&self) -> Option<u64> {
        Some(self.clocks)
    }

    /// Polls STATUS until DONE (at most `limit` reads), checking that `irq` follows DONE.
    fn wait_done(&mut self, limit: u64) -> Result<(), host::HostError> {
        host::bus::poll_done(self, limit)?;
        match self.irq() {
            true => Ok(()),
            false => Err(host::HostError::Protocol("STATUS shows DONE without irq".into())),
        }
    }
}
