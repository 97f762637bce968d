//! The host driver: loads a compiled model into the accelerator and runs it layer by layer, over any
//! [`HostBus`] (the Verilated accelerator, or a board behind a serial port).
use crate::bus::{Counters, HostBus};
use crate::compile::CompileOptions;
use crate::image::{Image, LayerRegs};
use crate::program::{LayerImage, Program};
use crate::regmap::{self, ErrorInfo, MemSizes};
use crate::HostError;

/// Default bound on one layer run, in accelerator clocks.
pub const DEFAULT_LIMIT: u64 = 10_000_000;

/// One inference: every layer's outputs and counters.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Inference {
    /// Outputs of each layer (the last are the logits).
    pub outputs: Vec<Vec<i8>>,
    /// Counters of each layer, summed over its passes.
    pub counters: Vec<Counters>,
    /// Clock spans of each layer's passes, when the transport counts clocks: from the edge that samples
    /// the START write to one past the edge that raises DONE.
    pub spans: Vec<Vec<std::ops::Range<u64>>>,
}

/// What [`Driver::load_model`] measured.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LoadReport {
    /// Image words sent to LOAD_DATA (with the CRC word).
    pub words: usize,
    /// Accelerator clocks from CTRL.LOAD to the LOAD_STATUS read, if the transport counts them.
    pub clocks: Option<u64>,
}

/// One inference of a whole resident model on one RUN_MODEL ([`Driver::infer_model`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ModelRun {
    /// The last layer's outputs.
    pub outputs: Vec<i8>,
    /// ARGMAX: the row of the largest output (the lowest on ties).
    pub argmax: usize,
    /// MODEL_CYCLES: clocks from the RUN_MODEL write to DONE (layers, the layer-table replays between
    /// them and the control).
    pub model_cycles: u32,
    /// Each layer's CYCLES (its table entry's `regmap::LAYER_CYCLES_WORD`).
    pub layer_cycles: Vec<u32>,
    /// The performance counters, summed over the layers (CYCLES: the last layer's).
    pub counters: Counters,
    /// The clock span of the run, when the transport counts clocks.
    pub span: std::ops::Range<u64>,
}

impl Inference {
    /// The counters of all layers together.
    pub fn total(&self) -> Counters {
        let mut t = Counters::default();
        for c in &self.counters {
            t.add(c);
        }
        t
    }
}

/// The host driver over a bus `B`.
pub struct Driver<B: HostBus> {
    bus: B,
    lanes: usize,
    sizes: MemSizes,
    decoder: regmap::DecoderKind,
    limit: u64,
    last_span: std::ops::Range<u64>,
}

impl<B: HostBus> Driver<B> {
    /// Checks the ID register, reads the lane count and memory sizes, and soft-resets the accelerator.
    pub fn new(mut bus: B) -> Result<Driver<B>, HostError> {
        let id = bus.read(regmap::REG_ID)?;
        if id >> 8 != regmap::ID_MAGIC {
            return Err(HostError::BadId { id });
        }
        let lanes = (id & 0xFF) as usize;
        if lanes == 0 || lanes > regmap::MAX_LANES {
            return Err(HostError::Protocol(format!("ID register reports {lanes} lanes")));
        }
        let caps = bus.read(regmap::REG_CAPS)?;
        let sizes = MemSizes::from_caps(caps);
        if !sizes.fits_lanes(lanes) {
            return Err(HostError::Protocol(format!(
                "CAPS reports {} stream words per lane for {lanes} lanes: more than the stream window holds",
                sizes.stream_words()
            )));
        }
        bus.write(regmap::REG_CTRL, regmap::CTRL_SOFT_RESET)?;
        Ok(Driver {
            bus,
            lanes,
            sizes,
            decoder: regmap::decoder_from_caps(caps),
            limit: DEFAULT_LIMIT,
            last_span: 0..0,
        })
    }

    /// Lane count of the accelerator.
    pub fn lanes(&self) -> usize {
        self.lanes
    }

    /// Memory sizes of the accelerator (from CAPS).
    pub fn sizes(&self) -> MemSizes {
        self.sizes
    }

    /// The lanes' decoder (from CAPS).
    pub fn decoder(&self) -> regmap::DecoderKind {
        self.decoder
    }

    /// Bounds each layer run to `limit` clocks (a hang becomes [`HostError::Hang`]).
    pub fn set_limit(&mut self, limit: u64) {
        self.limit = limit;
    }

    /// The transport.
    pub fn bus(&mut self) -> &mut B {
        &mut self.bus
    }

    /// Gives the transport back.
    pub fn into_inner(self) -> B {
        self.bus
    }

    /// Clock span of the last [`Driver::run`] (see [`Inference::spans`]; `0..0` if the bus has no clock).
    pub fn last_span(&self) -> std::ops::Range<u64> {
        self.last_span.clone()
    }

    /// Compiles `model` for this accelerator.
    pub fn compile(&self, model: &golden::infer::QModel, opts: CompileOptions) -> Result<Program, HostError> {
        Program::compile(model, self.lanes, self.sizes, opts)
    }

    /// Writes the configuration registers of one run (a layer loaded at offset 0: the bases are 0).
    pub fn write_config(
        &mut self,
        rows: usize,
        cols: usize,
        k: u32,
        shift: u32,
        flags: u32,
        vmap_len: usize,
    ) -> Result<(), HostError> {
        // One layer at a time sits at offset 0; the bases may still hold a resident model's last
        // layer. STREAM_LEN is written with the streams (`write_streams`).
        let regs = LayerRegs {
            rows: rows as u32,
            cols: cols as u32,
            k,
            shift,
            flags,
            vmap_len: vmap_len as u32,
            stream_base: 0,
            vmap_base: 0,
            bias_base: 0,
            stream_len: Vec::new(),
        };
        for (a, d) in regs.writes() {
            self.bus.write(a, d)?;
        }
        Ok(())
    }

    /// Writes the value map (16-bit signed weights).
    pub fn write_vmap(&mut self, vmap: &[i32]) -> Result<(), HostError> {
        let words: Vec<u32> = vmap.iter().map(|&v| regmap::vmap_word(v)).collect();
        self.bus.write_block(regmap::VMAP_BASE, &words)
    }

    /// Writes the biases of rows 0.. of a run.
    pub fn write_bias(&mut self, bias: &[i32]) -> Result<(), HostError> {
        let words: Vec<u32> = bias.iter().map(|&b| b as u32).collect();
        self.bus.write_block(regmap::BIAS_BASE, &words)
    }

    /// Writes each lane's stream words and STREAM_LEN (lanes without a stream get length 0).
    pub fn write_streams(&mut self, lanes: &[Vec<u32>]) -> Result<(), HostError> {
        if lanes.len() > self.lanes {
            return Err(HostError::Protocol(format!(
                "{} lane streams for {} lanes",
                lanes.len(),
                self.lanes
            )));
        }
        for lane in 0..self.lanes {
            let words = lanes.get(lane).map(Vec::as_slice).unwrap_or(&[]);
            self.bus.write(regmap::stream_len_reg(lane), words.len() as u32)?;
            if !words.is_empty() {
                self.bus.write_block(self.sizes.stream_addr(lane, 0), words)?;
            }
        }
        Ok(())
    }

    /// Writes the input activations.
    pub fn write_inputs(&mut self, x: &[i8]) -> Result<(), HostError> {
        let words: Vec<u32> = x.iter().map(|&v| u32::from(v as u8)).collect();
        self.bus.write_block(regmap::ACT_IN_BASE, &words)
    }

    /// Reads `rows` output activations (checking their sign extension).
    pub fn read_outputs(&mut self, rows: usize) -> Result<Vec<i8>, HostError> {
        let words = self.bus.read_block(regmap::ACT_OUT_BASE, rows)?;
        words
            .into_iter()
            .enumerate()
            .map(|(r, w)| {
                let v = w as i32;
                i8::try_from(v)
                    .map_err(|_| HostError::Protocol(format!("ACT_OUT[{r}] = 0x{w:08X} is not a sign-extended byte")))
            })
            .collect()
    }

    /// Loads pass `pass` of `layer`: configuration, biases, streams and (if `with_vmap`) the value map.
    pub fn load(&mut self, layer: &LayerImage, pass: usize, with_vmap: bool) -> Result<(), HostError> {
        let p = &layer.passes[pass];
        self.write_config(
            p.rows.len(),
            layer.cols,
            layer.k,
            layer.shift,
            layer.flags(),
            layer.vmap.len(),
        )?;
        if with_vmap {
            self.write_vmap(&layer.vmap)?;
        }
        self.write_bias(&layer.bias[p.rows.clone()])?;
        self.write_streams(&p.streams.words)
    }

    /// START, wait for DONE (at most the limit), then the counters and the error, if any. After an error
    /// the accelerator is soft-reset, so the next run starts clean.
    pub fn run(&mut self) -> Result<(Counters, Option<ErrorInfo>), HostError> {
        let (counters, error) = self.run_ctrl(regmap::CTRL_START, self.limit)?;
        Ok((counters, error.map(|(_, info)| info)))
    }

    /// Writes `ctrl` to CTRL (START or RUN_MODEL), waits for DONE (at most `limit` clocks) and reads
    /// STATUS and the counters; on an error also LAYER, ERROR and ERROR_POS, then soft-resets the
    /// accelerator so the next run starts clean. [`Driver::last_span`] is the run's clock span.
    fn run_ctrl(&mut self, ctrl: u32, limit: u64) -> Result<(Counters, Option<(usize, ErrorInfo)>), HostError> {
        let t0 = self.bus.clock();
        if ctrl == regmap::CTRL_START {
            self.bus.start()?;
        } else {
            self.bus.write(regmap::REG_CTRL, ctrl)?;
        }
        self.bus.wait_done(limit)?;
        self.last_span = match (t0, self.bus.clock()) {
            (Some(a), Some(b)) => a..b,
            _ => 0..0,
        };
        let status = self.bus.read(regmap::REG_STATUS)?;
        let counters = Counters::read(&mut self.bus)?;
        if status & regmap::STATUS_ERROR != 0 {
            let layer = self.bus.read(regmap::REG_LAYER)? as usize;
            let e = self.bus.read(regmap::REG_ERROR)?;
            let pos = self.bus.read(regmap::REG_ERROR_POS)?;
            self.bus.write(regmap::REG_CTRL, regmap::CTRL_SOFT_RESET)?;
            return Ok((counters, Some((layer, ErrorInfo::decode(e, pos)))));
        }
        Ok((counters, None))
    }

    /// Inputs in, run, outputs out, for the pass that is loaded. A hardware error is [`HostError::Hardware`].
    fn run_pass(
        &mut self,
        layer: usize,
        pass: usize,
        rows: usize,
        x: &[i8],
    ) -> Result<(Vec<i8>, Counters, std::ops::Range<u64>), HostError> {
        self.write_inputs(x)?;
        let (counters, error) = self.run()?;
        if let Some(info) = error {
            return Err(HostError::Hardware { layer, pass, info });
        }
        let span = self.last_span.clone();
        Ok((self.read_outputs(rows)?, counters, span))
    }

    /// Runs one input through every layer, loading each layer as it goes.
    pub fn infer(&mut self, program: &Program, x: &[i8]) -> Result<Inference, HostError> {
        let mut out = self.infer_batch(program, std::slice::from_ref(&x.to_vec()), &mut |_| {})?;
        Ok(out.pop().expect("one inference per input"))
    }

    /// Runs many inputs, layer by layer: each layer (pass) is loaded once and all inputs go through it
    /// before the next, which is how a board with one layer of memory runs a batch. `progress` is called
    /// with the number of (layer, input) runs done.
    pub fn infer_batch(
        &mut self,
        program: &Program,
        xs: &[Vec<i8>],
        progress: &mut dyn FnMut(usize),
    ) -> Result<Vec<Inference>, HostError> {
        if program.lanes != self.lanes || program.sizes != self.sizes {
            return Err(HostError::Protocol(format!(
                "program compiled for {} lanes {:?}, accelerator has {} lanes {:?}",
                program.lanes, program.sizes, self.lanes, self.sizes
            )));
        }
        let nl = program.layers.len();
        let mut res: Vec<Inference> = xs
            .iter()
            .map(|_| Inference {
                outputs: program.layers.iter().map(|l| vec![0; l.rows]).collect(),
                counters: vec![Counters::default(); nl],
                spans: vec![Vec::new(); nl],
            })
            .collect();
        let mut done = 0;
        for (li, layer) in program.layers.iter().enumerate() {
            for (s, x) in xs.iter().enumerate() {
                let input = if li == 0 { x.as_slice() } else { &res[s].outputs[li - 1] };
                if input.len() != layer.cols {
                    return Err(HostError::DoesNotFit(format!(
                        "layer {li} takes {} inputs, got {}",
                        layer.cols,
                        input.len()
                    )));
                }
            }
            for (pi, pass) in layer.passes.iter().enumerate() {
                self.load(layer, pi, pi == 0)?;
                for s in 0..xs.len() {
                    let input = if li == 0 {
                        xs[s].clone()
                    } else {
                        res[s].outputs[li - 1].clone()
                    };
                    let (y, c, span) = self.run_pass(li, pi, pass.rows.len(), &input)?;
                    let r = &mut res[s];
                    r.outputs[li][pass.rows.clone()].copy_from_slice(&y);
                    r.counters[li].add(&c);
                    r.spans[li].push(span);
                    done += 1;
                    progress(done);
                }
            }
        }
        Ok(res)
    }

    /// The MODEL_ID register: 0 for a build without a baked image, else the image's CRC-32.
    pub fn model_id(&mut self) -> Result<u32, HostError> {
        self.bus.read(regmap::REG_MODEL_ID)
    }

    fn check_image_shape(&self, image: &Image) -> Result<(), HostError> {
        if image.lanes != self.lanes || image.sizes != self.sizes {
            return Err(HostError::Protocol(format!(
                "image placed for {} lanes {:?}, accelerator has {} lanes {:?}",
                image.lanes, image.sizes, self.lanes, self.sizes
            )));
        }
        Ok(())
    }

    /// Loads `image` through the accelerator's image loader: CTRL.LOAD, then every word of
    /// [`Image::to_file`] to LOAD_DATA (at most one per `regmap::LOAD_WORD_CLOCKS`), then
    /// LOAD_STATUS. The build checks the header and the CRC-32; afterwards MODEL_ID names the image
    /// and [`Driver::check_resident`] passes until the host writes a memory itself. Needs a build
    /// with the layer table (the loader writes it and NUM_LAYERS).
    pub fn load_model(&mut self, image: &Image) -> Result<LoadReport, HostError> {
        self.check_image_shape(image)?;
        if !self.sizes.layer_table {
            return Err(HostError::DoesNotFit(
                "this accelerator build has no image loader (it comes with the layer table, CAPS bit 30): load the layers one by one instead".into(),
            ));
        }
        let words = image.load_words();
        let c0 = self.bus.clock();
        self.bus.write(regmap::REG_CTRL, regmap::CTRL_LOAD)?;
        self.bus.pause(regmap::LOAD_WORD_CLOCKS)?;
        for &w in &words {
            self.bus.write(regmap::REG_LOAD_DATA, w)?;
            self.bus.pause(regmap::LOAD_WORD_CLOCKS)?;
        }
        let raw = self.bus.read(regmap::REG_LOAD_STATUS)?;
        let st = regmap::LoadStatus::decode(raw);
        if !st.ok {
            return Err(match (st.failed, st.error) {
                (true, Some(error)) => HostError::Load { error, words: st.words },
                _ => HostError::Protocol(format!(
                    "LOAD_STATUS 0x{raw:08X} after all {} image words (not loaded, no reason given)",
                    words.len()
                )),
            });
        }
        let id = self.model_id()?;
        if id != image.model_id() {
            return Err(HostError::ModelId(format!(
                "the image loaded, but MODEL_ID reads 0x{id:08X}, not the image's 0x{:08X}",
                image.model_id()
            )));
        }
        Ok(LoadReport {
            words: words.len(),
            clocks: c0.zip(self.bus.clock()).map(|(a, b)| b - a),
        })
    }

    /// Checks that the accelerator holds `image` (baked into the bitstream, or loaded with
    /// [`Driver::load`] or from the SPI flash at power-up): its lanes, memory sizes and MODEL_ID.
    pub fn check_resident(&mut self, image: &Image) -> Result<(), HostError> {
        let id = self.model_id()?;
        if id == 0 {
            // A build with the loader says why: a refused image (from flash or a load) or one
            // still incomplete.
            let st = match self.sizes.layer_table {
                true => regmap::LoadStatus::decode(self.bus.read(regmap::REG_LOAD_STATUS)?),
                false => regmap::LoadStatus::decode(0),
            };
            let why = if st.failed {
                format!(
                    "; its last model image (from the SPI flash or a load) was refused after {} words: {}",
                    st.words,
                    st.error.map_or("unknown reason", |e| e.describe())
                )
            } else if st.busy {
                format!(
                    "; a model image load is incomplete ({} words taken: truncated?)",
                    st.words
                )
            } else {
                String::new()
            };
            return Err(HostError::ModelId(format!(
                "the accelerator holds no model image (MODEL_ID 0{why}): load it with `backslash load`, or build the bitstream with --bake"
            )));
        }
        let want = image.model_id();
        if id != want {
            return Err(HostError::ModelId(format!(
                "the board holds model 0x{id:08X}; this model placed for P = {} and {} stream words per lane is 0x{want:08X}: load it with `backslash load` (or rebuild with --bake), or check MODEL and its --dataset/--step-bits",
                image.lanes,
                image.sizes.stream_words()
            )));
        }
        self.check_image_shape(image)
    }

    /// Writes the image's memories over the bus (what baking does at configuration); MODEL_ID is
    /// not writable, so [`Driver::check_baked`] still fails afterwards on a build without the image.
    pub fn load_image(&mut self, image: &Image) -> Result<(), HostError> {
        self.check_image_shape(image)?;
        for (l, lane) in image.streams.iter().enumerate() {
            self.bus.write_block(self.sizes.stream_addr(l, 0), lane)?;
        }
        self.write_vmap(&image.vmap)?;
        self.write_bias(&image.bias)
    }

    /// Writes the image's layer table (each layer's register values, `regmap::layer_table_addr`) and
    /// NUM_LAYERS, for [`Driver::infer_model`]: the whole network then runs on one RUN_MODEL. The
    /// memories are written by [`Driver::load_image`] (or baked).
    pub fn load_layer_table(&mut self, image: &Image) -> Result<(), HostError> {
        self.check_image_shape(image)?;
        let n = image.layers.len();
        if n == 0 || n > regmap::MAX_LAYERS {
            return Err(HostError::DoesNotFit(format!(
                "the model has {n} layers; the layer table holds 1..={}",
                regmap::MAX_LAYERS
            )));
        }
        for (li, regs) in image.layers.iter().enumerate() {
            for (a, d) in regs.writes() {
                self.bus.write(regmap::layer_table_addr(li, a - regmap::REG_ROWS), d)?;
            }
        }
        self.bus.write(regmap::REG_NUM_LAYERS, n as u32)?;
        if self.bus.read(regmap::REG_NUM_LAYERS)? != n as u32 {
            return Err(HostError::DoesNotFit(
                "this accelerator build has no layer table (MemSizes::layer_table): run the layers one by one".into(),
            ));
        }
        Ok(())
    }

    /// One inference of the resident `image` on one CTRL.RUN_MODEL (its memories and layer table
    /// loaded: [`Driver::load_image`], [`Driver::load_layer_table`]): the inputs in, the last
    /// layer's outputs, ARGMAX and each layer's CYCLES out; the activations stay on chip.
    pub fn infer_model(&mut self, image: &Image, x: &[i8]) -> Result<ModelRun, HostError> {
        self.check_image_shape(image)?;
        let last = image
            .layers
            .last()
            .ok_or_else(|| HostError::DoesNotFit("the model has no layers".into()))?;
        if x.len() != image.layers[0].cols as usize {
            return Err(HostError::DoesNotFit(format!(
                "layer 0 takes {} inputs, got {}",
                image.layers[0].cols,
                x.len()
            )));
        }
        self.write_inputs(x)?;
        let limit = self.limit.saturating_mul(image.layers.len() as u64);
        let (counters, error) = self.run_ctrl(regmap::CTRL_RUN_MODEL, limit)?;
        if let Some((layer, info)) = error {
            return Err(HostError::Hardware { layer, pass: 0, info });
        }
        let layer_cycles = (0..image.layers.len())
            .map(|l| self.bus.read(regmap::layer_table_addr(l, regmap::LAYER_CYCLES_WORD)))
            .collect::<Result<Vec<u32>, HostError>>()?;
        Ok(ModelRun {
            outputs: self.read_outputs(last.rows as usize)?,
            argmax: self.bus.read(regmap::REG_ARGMAX)? as usize,
            model_cycles: self.bus.read(regmap::REG_MODEL_CYCLES)?,
            layer_cycles,
            counters,
            span: self.last_span.clone(),
        })
    }

    /// One inference of the resident `image` (baked, or loaded with [`Driver::load_image`]): per
    /// layer only its registers and inputs are written.
    pub fn infer_resident(&mut self, image: &Image, x: &[i8]) -> Result<Inference, HostError> {
        self.check_image_shape(image)?;
        let nl = image.layers.len();
        let mut res = Inference {
            outputs: Vec::with_capacity(nl),
            counters: Vec::with_capacity(nl),
            spans: Vec::with_capacity(nl),
        };
        for (li, regs) in image.layers.iter().enumerate() {
            let input = if li == 0 { x } else { &res.outputs[li - 1][..] };
            if input.len() != regs.cols as usize {
                return Err(HostError::DoesNotFit(format!(
                    "layer {li} takes {} inputs, got {}",
                    regs.cols,
                    input.len()
                )));
            }
            let input = input.to_vec();
            for (a, d) in regs.writes() {
                self.bus.write(a, d)?;
            }
            let (y, c, span) = self.run_pass(li, 0, regs.rows as usize, &input)?;
            res.outputs.push(y);
            res.counters.push(c);
            res.spans.push(vec![span]);
        }
        Ok(res)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use golden::infer::{QLayer, QModel};

    /// A bus with only the identification registers: ID (P = 2), CAPS (`sizes`) and MODEL_ID.
    struct IdBus {
        sizes: MemSizes,
        model_id: u32,
    }

    impl HostBus for IdBus {
        fn write(&mut self, _addr: u16, _data: u32) -> Result<(), HostError> {
            Ok(())
        }
        fn read(&mut self, addr: u16) -> Result<u32, HostError> {
            Ok(match addr {
                regmap::REG_ID => (regmap::ID_MAGIC << 8) | 2,
                regmap::REG_CAPS => self.sizes.caps(),
                regmap::REG_MODEL_ID => self.model_id,
                _ => 0,
            })
        }
    }

    fn image(bias0: i32) -> Image {
        let layer = |rows: usize, cols: usize| QLayer {
            rows,
            cols,
            weights: (0..rows * cols).map(|i| (i % 7) as i32 - 3).collect(),
            bias: (0..rows).map(|r| r as i32 + bias0).collect(),
            shift: 2,
            relu: true,
        };
        let model = QModel::from_layers(vec![layer(6, 8), layer(3, 6)]);
        Image::build(&model, 2, MemSizes::BOARD).unwrap()
    }

    #[test]
    fn resident_runs_need_the_model_id_of_the_image() {
        let img = image(0);
        let drv = |model_id| {
            Driver::new(IdBus {
                sizes: MemSizes::BOARD,
                model_id,
            })
            .unwrap()
        };
        drv(img.model_id()).check_resident(&img).unwrap();
        let e = drv(0).check_resident(&img).unwrap_err().to_string();
        assert!(e.contains("no model image (MODEL_ID 0)"), "{e}");
        // Another model (one bias differs) baked into the board.
        let other = image(1).model_id();
        assert_ne!(other, img.model_id());
        let e = drv(other).check_resident(&img).unwrap_err().to_string();
        assert!(
            e.contains(&format!("0x{other:08X}")) && e.contains(&format!("0x{:08X}", img.model_id())),
            "{e}"
        );
        // The right id on a build of other memory sizes: the image cannot be the board's.
        let mut d = Driver::new(IdBus {
            sizes: MemSizes::LARGE,
            model_id: img.model_id(),
        })
        .unwrap();
        assert!(d.check_resident(&img).is_err());
    }
}
