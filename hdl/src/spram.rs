//! A single-port RAM in the form yosys maps to the iCE40 UP5K's SPRAM (`SB_SPRAM256KA`, 16K x 16
//! bits each; 16K x 32 takes two) with `synth_ice40 -spram`, and to block RAM or logic elsewhere.
//!
//! One address for reads and writes: in a clock with `write_enable` the word is written and
//! `read_data` holds its value (yosys' `no_change` port, [`SinglePortRam`]'s Verilog); in any
//! other clock `read_data` becomes the word at `address`, one clock later. The primitive's own
//! simulation model (yosys' `cells_sim.v`) makes DATAOUT undefined in the clock after a write, and
//! an SPRAM has no initial contents, so a user of this RAM must read before it uses `read_data`
//! after a write, and must write every word it reads. The lanes' stream memories do both: the host
//! writes them only while the accelerator is idle, and every run starts with a read. The test
//! `spram::tests::matches_the_primitive_model` runs the yosys-mapped netlist under iverilog with
//! `cells_sim.v` against this block's Verilog. Like an SPRAM it has no initial contents (a
//! baked stream memory is block RAM, `hdl::mac_lane`).
use rust_hdl::prelude::*;
use std::collections::BTreeMap;

/// A `2^N`-word single-port RAM of `D` (see the module documentation).
#[derive(LogicBlock, Default)]
pub struct SinglePortRam<D: Synth, const N: usize> {
    /// Clock.
    pub clock: Signal<In, Clock>,
    /// Address of the read or the write, sampled at the clock edge.
    pub address: Signal<In, Bits<N>>,
    /// Word to write.
    pub write_data: Signal<In, D>,
    /// Write strobe: write instead of read in this clock.
    pub write_enable: Signal<In, bool>,
    /// The word at the address read at the previous edge (held over a write).
    pub read_data: Signal<Out, D>,
    _sim: BTreeMap<Bits<N>, D>,
    _huge: bool,
}

impl<D: Synth, const N: usize> SinglePortRam<D, N> {
    /// An empty RAM that yosys maps to SPRAM (`SB_SPRAM256KA`) without `synth_ice40 -spram`: its
    /// memory carries `(* ram_style = "huge" *)`. Only for devices with SPRAM (the UP5K).
    pub fn huge() -> Self {
        Self {
            _huge: true,
            ..Default::default()
        }
    }
}

impl<D: Synth, const N: usize> Logic for SinglePortRam<D, N> {
    fn update(&mut self) {
        if self.clock.pos_edge() {
            if self.write_enable.val() {
                self._sim.insert(self.address.val(), self.write_data.val());
            } else {
                self.read_data.next = *self._sim.get(&self.address.val()).unwrap_or(&D::default());
            }
        }
    }

    fn connect(&mut self) {
        self.read_data.connect();
    }

    fn hdl(&self) -> Verilog {
        let style = if self._huge { "(* ram_style = \"huge\" *) " } else { "" };
        Verilog::Custom(format!(
            "\
{style}reg [{top}:0] mem [{last}:0];
always @(posedge clock) begin
   if (write_enable) begin
      mem[address] <= write_data;
   end else begin
      read_data <= mem[address];
   end
end
",
            top = D::BITS - 1,
            last = (1usize << N) - 1,
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::verify;
    use rand::{Rng, SeedableRng};
    use rand_chacha::ChaCha8Rng;
    use std::process::Command;

    #[derive(LogicBlock, Default)]
    struct Wrap {
        clock: Signal<In, Clock>,
        address: Signal<In, Bits<14>>,
        write_data: Signal<In, Bits<32>>,
        write_enable: Signal<In, Bit>,
        read_data: Signal<Out, Bits<32>>,
        ram: SinglePortRam<Bits<32>, 14>,
    }

    fn wrap(huge: bool) -> Wrap {
        let mut w = Wrap {
            ram: if huge {
                SinglePortRam::huge()
            } else {
                SinglePortRam::default()
            },
            ..Default::default()
        };
        w.connect_all();
        w
    }

    impl Logic for Wrap {
        #[hdl_gen]
        fn update(&mut self) {
            self.ram.clock.next = self.clock.val();
            self.ram.address.next = self.address.val();
            self.ram.write_data.next = self.write_data.val();
            self.ram.write_enable.next = self.write_enable.val();
            self.read_data.next = self.ram.read_data.val();
        }
    }

    /// Random operations: writes first to every address that is later read, then a mix of writes
    /// and reads (each read's word is the expected one in the next clock), as (write, address, data).
    fn ops(seed: u64, n: usize) -> Vec<(bool, u32, u32)> {
        let mut rng = ChaCha8Rng::seed_from_u64(seed);
        let addrs: Vec<u32> = (0..64)
            .map(|i| {
                if i < 4 {
                    [0, 1, 0x3FFF, 0x2000][i]
                } else {
                    rng.random_range(0..1 << 14)
                }
            })
            .collect();
        let mut v: Vec<(bool, u32, u32)> = addrs.iter().map(|&a| (true, a, rng.random())).collect();
        for _ in 0..n {
            let a = addrs[rng.random_range(0..addrs.len())];
            v.push((rng.random_bool(0.3), a, rng.random()));
        }
        v
    }

    /// The expected read data after each operation that is a read: the word last written there.
    fn expected(ops: &[(bool, u32, u32)]) -> Vec<Option<u32>> {
        let mut mem = BTreeMap::new();
        ops.iter()
            .map(|&(w, a, d)| {
                if w {
                    mem.insert(a, d);
                    None
                } else {
                    Some(mem[&a])
                }
            })
            .collect()
    }

    #[test]
    fn reads_and_writes_in_rust_hdl() {
        let ops = ops(1, 400);
        let want = expected(&ops);
        let mut uut = wrap(true);
        let mut got = Vec::new();
        for &(w, a, d) in &ops {
            uut.address.next = (a as u64).into();
            uut.write_data.next = (d as u64).into();
            uut.write_enable.next = w;
            uut.clock.next = false.into();
            assert!(simulate(&mut uut, 50));
            uut.clock.next = true.into();
            assert!(simulate(&mut uut, 50));
            got.push(if w {
                None
            } else {
                Some(uut.read_data.val().index() as u32)
            });
        }
        assert_eq!(got, want);
    }

    /// A testbench that applies `ops` to module `dut` and prints each read's word one clock later.
    fn testbench(dut: &str, ops: &[(bool, u32, u32)]) -> String {
        let mut s = format!(
            "`timescale 1ns/1ps\nmodule tb;\nreg clock = 0; reg [13:0] address; reg [31:0] write_data; reg write_enable;\nwire [31:0] read_data;\n\
             {dut} uut(.clock(clock), .address(address), .write_data(write_data), .write_enable(write_enable), .read_data(read_data));\n\
             task op(input w, input [13:0] a, input [31:0] d); begin\n  write_enable = w; address = a; write_data = d;\n  #5 clock = 1; #5 clock = 0;\n  \
             if (!w) $display(\"%08x\", read_data);\nend endtask\ninitial begin\n"
        );
        for &(w, a, d) in ops {
            s += &format!("  op({}, 14'h{a:04x}, 32'h{d:08x});\n", u8::from(w));
        }
        s += "  $finish;\nend\nendmodule\n";
        s
    }

    fn run_iverilog(files: &[(&str, String)], extra: &[&str]) -> Vec<u32> {
        let dir = std::env::temp_dir().join(format!("bs-spram-{}-{}", std::process::id(), files[0].0));
        std::fs::create_dir_all(&dir).unwrap();
        let mut args: Vec<String> = vec!["-g2012".into(), "-o".into(), dir.join("sim").display().to_string()];
        args.extend(extra.iter().map(|s| s.to_string()));
        for (name, text) in files {
            let p = dir.join(name);
            std::fs::write(&p, text).unwrap();
            args.push(p.display().to_string());
        }
        let out = Command::new("iverilog").args(&args).output().expect("iverilog runs");
        assert!(
            out.status.success(),
            "iverilog: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        let run = Command::new("vvp").arg(dir.join("sim")).output().expect("vvp runs");
        assert!(run.status.success());
        let _ = std::fs::remove_dir_all(&dir);
        String::from_utf8_lossy(&run.stdout)
            .lines()
            .filter(|l| !l.is_empty() && !l.contains("VCD") && !l.starts_with("$finish"))
            .map(|l| u32::from_str_radix(l.trim(), 16).unwrap_or_else(|_| panic!("read data {l:?} is undefined")))
            .collect()
    }

    /// The block's Verilog (what Verilator runs), and yosys' `synth_ice40` netlist of it under
    /// iverilog with the primitives' simulation model (two SB_SPRAM256KA and nothing else), give the
    /// same reads as the specification; yosys maps the RAM to SPRAM by its `ram_style` attribute,
    /// or with `-spram` without it.
    #[test]
    fn matches_the_primitive_model() {
        for tool in ["yosys", "iverilog"] {
            if !verify::have(tool) {
                eprintln!("skipped: {tool} is not installed (make setup installs it)");
                return;
            }
        }
        let cells = "/usr/share/yosys/ice40/cells_sim.v";
        assert!(std::path::Path::new(cells).exists(), "{cells} (package yosys)");
        let ops = ops(2, 600);
        let want: Vec<u32> = expected(&ops).into_iter().flatten().collect();
        for (huge, flag) in [(true, ""), (false, "-spram ")] {
            let rtl = verify::named_verilog(&wrap(huge), "sp_wrap").unwrap();
            assert_eq!(rtl.contains("ram_style"), huge);
            assert_eq!(
                run_iverilog(&[("rtl.v", rtl.clone()), ("tb.v", testbench("sp_wrap", &ops))], &[]),
                want
            );
            // Map it as the bitstream flow does (the UP5K's SPRAM), write the netlist back as Verilog.
            let dir = std::env::temp_dir().join(format!("bs-spram-synth-{}", std::process::id()));
            std::fs::create_dir_all(&dir).unwrap();
            std::fs::write(dir.join("rtl.v"), &rtl).unwrap();
            let script = format!(
            "read_verilog {d}/rtl.v; synth_ice40 {flag}-top sp_wrap; tee -q -o {d}/stat.txt stat; write_verilog -noattr {d}/net.v",
            d = dir.display()
        );
            let out = Command::new("yosys").args(["-q", "-p", &script]).output().unwrap();
            assert!(out.status.success(), "yosys: {}", String::from_utf8_lossy(&out.stderr));
            let stat = verify::SynthReport {
                stat: std::fs::read_to_string(dir.join("stat.txt")).unwrap(),
            };
            let net = std::fs::read_to_string(dir.join("net.v")).unwrap();
            let _ = std::fs::remove_dir_all(&dir);
            assert_eq!(stat.cells("SB_SPRAM256KA"), 2, "{}", stat.stat);
            assert_eq!(stat.cells("SB_RAM40_4K"), 0, "{}", stat.stat);
            assert!(stat.cells("SB_LUT4") <= 2, "logic around the SPRAMs:\n{}", stat.stat);
            let got = run_iverilog(
                &[("net.v", net), ("tb.v", testbench("sp_wrap", &ops))],
                &["-DNO_ICE40_DEFAULT_ASSIGNMENTS", cells],
            );
            assert_eq!(got, want);
        }
        // Without either, block RAM or logic: the attribute is what puts the streams in SPRAM.
        let rtl = verify::named_verilog(&wrap(false), "sp_wrap").unwrap();
        let plain = verify::yosys_synth_ice40(&rtl, "sp_wrap").unwrap();
        assert_eq!(plain.cells("SB_SPRAM256KA"), 0);
    }
}
