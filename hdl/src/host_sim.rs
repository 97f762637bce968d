//! A host driver for the accelerator running in rust-hdl's own simulator (direct `simulate()`
//! loop). Used by the block tests and the cycles-per-weight report; it is also the reference of the
//! host sequence the Verilator driver (`sim`) and the UART bridge follow:
//!
//! 1. write ROWS, COLS, K, SHIFT, FLAGS, VMAP_LEN, every lane's STREAM_LEN;
//! 2. write the value map, the biases, the input activations and each lane's stream words;
//! 3. write CTRL.START, poll STATUS until DONE, read ERROR if STATUS.ERROR;
//! 4. read ACT_OUT[0..rows], CYCLES and the performance counters.
use crate::accelerator::Accelerator;
use crate::regmap::{self, ErrorInfo};
use golden::infer::QLayer;
use golden::layout::LaneStreams;
use rust_hdl::prelude::*;

/// Counters read after a run.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct RunStats {
    /// CYCLES.
    pub cycles: u32,
    /// PERF_NONZERO.
    pub nonzero: u32,
    /// PERF_ZERO_SKIPPED.
    pub zero_skipped: u32,
    /// PERF_ZERO_MAC.
    pub zero_mac: u32,
    /// PERF_STALL.
    pub stall: u32,
}

/// One layer's inputs for the accelerator.
#[derive(Debug, Clone)]
pub struct LayerJob<'a> {
    /// The layer (shape, bias, shift, relu; weights only for reference).
    pub layer: &'a QLayer,
    /// Value-map entries (index -> weight).
    pub vmap: &'a [i32],
    /// The streams laid out for the accelerator's lane count.
    pub streams: &'a LaneStreams,
    /// Zero-run skipping (needs k = 0 and vmap[0] = 0).
    pub zero_skip: bool,
    /// Input activations.
    pub x: &'a [i8],
}

/// The accelerator in rust-hdl's simulator with a register-level host interface.
pub struct HostSim<const P: usize, const SAW: usize, const VAW: usize> {
    uut: Box<Accelerator<P, SAW, VAW>>,
    /// Clocks simulated so far.
    pub clocks: u64,
}

impl<const P: usize, const SAW: usize, const VAW: usize> HostSim<P, SAW, VAW> {
    /// A fresh accelerator (all registers at their initial values).
    pub fn new() -> Result<Self, crate::HdlError> {
        Self::with_init(&crate::MemInit::default())
    }

    /// A fresh accelerator whose memories start with `init` (a baked image).
    pub fn with_init(init: &crate::MemInit) -> Result<Self, crate::HdlError> {
        let mut uut = Box::new(Accelerator::<P, SAW, VAW>::new(init)?);
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

    /// Writes configuration and memories of `job` (steps 1 and 2).
    pub fn load(&mut self, job: &LayerJob) {
        let l = job.layer;
        self.write(regmap::REG_ROWS, l.rows as u32);
        self.write(regmap::REG_COLS, l.cols as u32);
        self.write(regmap::REG_K, job.streams.k);
        self.write(regmap::REG_SHIFT, l.shift);
        self.write(regmap::REG_FLAGS, regmap::flags(l.relu, job.zero_skip));
        self.write(regmap::REG_VMAP_LEN, job.vmap.len() as u32);
        for (i, &w) in job.vmap.iter().enumerate() {
            self.write(regmap::vmap_addr(i), w as u32 & 0xFFFF);
        }
        for (r, &b) in l.bias.iter().enumerate() {
            self.write(regmap::bias_addr(r), b as u32);
        }
        for (c, &x) in job.x.iter().enumerate() {
            self.write(regmap::act_in_addr(c), x as u8 as u32);
        }
        for (lane, words) in job.streams.words.iter().enumerate() {
            self.write(regmap::stream_len_reg(lane), words.len() as u32);
            for (i, &w) in words.iter().enumerate() {
                self.write(regmap::stream_addr(lane, i), w);
            }
        }
    }

    /// Starts a run and polls STATUS until DONE (at most `max_clocks`); the error if any.
    pub fn run(&mut self, max_clocks: u64) -> Result<RunStats, ErrorInfo> {
        self.write(regmap::REG_CTRL, regmap::CTRL_START);
        let t0 = self.clocks;
        loop {
            let st = self.read(regmap::REG_STATUS);
            if st & regmap::STATUS_DONE != 0 {
                assert!(self.irq(), "irq follows DONE");
                if st & regmap::STATUS_ERROR != 0 {
                    let e = self.read(regmap::REG_ERROR);
                    let p = self.read(regmap::REG_ERROR_POS);
                    return Err(ErrorInfo::decode(e, p));
                }
                break;
            }
            assert!(
                self.clocks - t0 < max_clocks,
                "accelerator still busy after {max_clocks} clocks"
            );
        }
        Ok(RunStats {
            cycles: self.read(regmap::REG_CYCLES),
            nonzero: self.read(regmap::REG_PERF_NONZERO),
            zero_skipped: self.read(regmap::REG_PERF_ZERO_SKIPPED),
            zero_mac: self.read(regmap::REG_PERF_ZERO_MAC),
            stall: self.read(regmap::REG_PERF_STALL),
        })
    }

    /// One inference of a resident model (`crate::bake`): per layer its registers, the inputs (the
    /// previous layer's outputs), START and the outputs. Every layer's outputs, or the first error.
    pub fn infer_resident(&mut self, layers: &[host::LayerRegs], x: &[i8]) -> Result<Vec<Vec<i8>>, ErrorInfo> {
        let mut outs: Vec<Vec<i8>> = Vec::new();
        for l in layers {
            for (a, d) in l.writes() {
                self.write(a, d);
            }
            let input = outs.last().map_or(x, Vec::as_slice).to_vec();
            for (c, &v) in input.iter().enumerate() {
                self.write(regmap::act_in_addr(c), v as u8 as u32);
            }
            self.run(1_000_000)?;
            outs.push(self.outputs(l.rows as usize));
        }
        Ok(outs)
    }

    /// Reads ACT_OUT[0..rows].
    pub fn outputs(&mut self, rows: usize) -> Vec<i8> {
        (0..rows)
            .map(|r| self.read(regmap::act_out_addr(r)) as i32 as i8)
            .collect()
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

    fn clock(&self) -> Option<u64> {
        Some(self.clocks)
    }
}
