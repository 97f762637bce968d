//! A whole model placed in the accelerator's memories at once: the model image of a stand-alone
//! board, or of a model loaded once and run many times.
//!
//! [`Image::build`] compiles every layer of a [`QModel`] with the layer compiler
//! ([`crate::compile`]) and places them side by side: layer `i`'s streams start, in every
//! lane, at word `STREAM_BASE[i]` = the previous layer's base plus the longest of its lane streams;
//! its value map at `VMAP_BASE[i]` after the previous layer's entries, and its biases at
//! `BIAS_BASE[i]` after the previous layer's rows. `hdl::bake` bakes the image into a bitstream's
//! memories; the same image can be written over the host bus instead ([`Image::memory_writes`]). Per inference the host then writes
//! only the input activations and, per layer, the registers of [`LayerRegs::writes`].
//!
//! [`Image::model_id`] is the CRC-32 of the image's canonical bytes ([`Image::to_bytes`]); a baked
//! build returns it in MODEL_ID, so the host can check the board holds the model it was asked to
//! run.
use crate::compile::{compile_layer, CompileError, CompileOptions};
use crate::regmap::{self, MemSizes};
use golden::infer::QModel;
use thiserror::Error;

/// Where a stand-alone board's SPI flash holds the model image: 1 MiB, behind the bitstream (an
/// iCE40 UP5K bitstream is 104 KiB; `iceprog -o 1M IMAGE`). The flash booter
/// (`hdl::flash_boot`) reads it from here at power-up.
pub const FLASH_IMAGE_OFFSET: u32 = 0x10_0000;

/// Why a model cannot be placed in the memories.
#[derive(Debug, Error, Clone, PartialEq, Eq)]
pub enum ImageError {
    /// The model itself is inconsistent, or a layer does not fit the accelerator at all.
    #[error("{0}")]
    Model(String),
    /// A layer cannot be compiled.
    #[error(transparent)]
    Compile(#[from] CompileError),
    /// An image file is malformed.
    #[error("model image: {0}")]
    File(String),
    /// A memory is too small for the whole model.
    #[error("the model does not fit the {memory}: it needs {need} {unit}, the memory holds {capacity}{hint}")]
    DoesNotFit {
        /// Which memory.
        memory: &'static str,
        /// What the model needs.
        need: usize,
        /// What the memory holds.
        capacity: usize,
        /// Unit of both.
        unit: &'static str,
        /// Extra advice (may be empty).
        hint: String,
    },
}

/// The register values of one resident layer (everything the host writes before its START).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LayerRegs {
    pub rows: u32,
    pub cols: u32,
    /// Exp-Golomb order.
    pub k: u32,
    pub shift: u32,
    /// FLAGS (ReLU, zero-run skipping).
    pub flags: u32,
    pub vmap_len: u32,
    pub stream_base: u32,
    pub vmap_base: u32,
    pub bias_base: u32,
    /// STREAM_LEN of every lane (0 for a lane without rows).
    pub stream_len: Vec<u32>,
}

impl LayerRegs {
    /// The register writes that configure this layer, in order (address, value).
    pub fn writes(&self) -> Vec<(u16, u32)> {
        let mut w = vec![
            (regmap::REG_ROWS, self.rows),
            (regmap::REG_COLS, self.cols),
            (regmap::REG_K, self.k),
            (regmap::REG_SHIFT, self.shift),
            (regmap::REG_FLAGS, self.flags),
            (regmap::REG_VMAP_LEN, self.vmap_len),
            (regmap::REG_STREAM_BASE, self.stream_base),
            (regmap::REG_VMAP_BASE, self.vmap_base),
            (regmap::REG_BIAS_BASE, self.bias_base),
        ];
        for (l, &len) in self.stream_len.iter().enumerate() {
            w.push((regmap::stream_len_reg(l), len));
        }
        w
    }
}

/// A model placed in the memories of an accelerator with `lanes` lanes and memories `sizes`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Image {
    pub lanes: usize,
    pub sizes: MemSizes,
    /// Each lane's stream memory from word 0 (all lanes the same length: the used words).
    pub streams: Vec<Vec<u32>>,
    /// The value-map memory from entry 0 (16-bit signed weights).
    pub vmap: Vec<i32>,
    /// The bias memory from row 0.
    pub bias: Vec<i32>,
    /// Per layer, its registers.
    pub layers: Vec<LayerRegs>,
}

impl Image {
    /// Places every layer of `model` for `lanes` lanes and memories `sizes`, each compiled with the
    /// default [`CompileOptions`] (k chosen per layer, zero-run skipping where valid), as the
    /// per-layer [`crate::Program`] does.
    pub fn build(model: &QModel, lanes: usize, sizes: MemSizes) -> Result<Image, ImageError> {
        model
            .validate()
            .map_err(|e| ImageError::Model(format!("invalid model: {e}")))?;
        if !regmap::lanes_supported(lanes) {
            return Err(ImageError::Model(format!(
                "unsupported lane count {lanes}: use {}",
                regmap::lane_counts_text()
            )));
        }
        if model.layers.is_empty() {
            return Err(ImageError::Model("the model has no layers".into()));
        }
        if !sizes.fits_lanes(lanes) {
            return Err(ImageError::Model(format!(
                "{lanes} lanes of {} stream words do not fit the stream window ({} words)",
                sizes.stream_words(),
                regmap::STREAM_REGION_WORDS
            )));
        }
        let max_dim = sizes.max_dim();
        let mut streams: Vec<Vec<u32>> = vec![Vec::new(); lanes];
        let mut vmap = Vec::new();
        let mut bias = Vec::new();
        let mut layers = Vec::new();
        for (i, layer) in model.layers.iter().enumerate() {
            if layer.rows > max_dim || layer.cols > max_dim {
                return Err(ImageError::Model(format!(
                    "layer {i} is {}x{}: a resident layer has at most {max_dim} rows and columns",
                    layer.rows, layer.cols
                )));
            }
            let c = compile_layer(i, layer, CompileOptions::default())?;
            let ls = c
                .layout(0..c.rows, lanes)
                .map_err(|e| ImageError::Model(format!("layer {i}: {e}")))?;
            let base = streams[0].len();
            let span = ls.words.iter().map(Vec::len).max().unwrap_or(0);
            for (l, lane) in streams.iter_mut().enumerate() {
                let words = ls.words.get(l).map(Vec::as_slice).unwrap_or(&[]);
                lane.extend_from_slice(words);
                lane.resize(base + span, 0);
            }
            layers.push(LayerRegs {
                rows: c.rows as u32,
                cols: c.cols as u32,
                k: c.k,
                shift: c.shift,
                flags: c.flags(),
                vmap_len: c.vmap.len() as u32,
                stream_base: base as u32,
                vmap_base: vmap.len() as u32,
                bias_base: bias.len() as u32,
                stream_len: (0..lanes).map(|l| ls.words.get(l).map_or(0, Vec::len) as u32).collect(),
            });
            vmap.extend_from_slice(&c.vmap);
            bias.extend_from_slice(&c.bias);
        }
        let img = Image {
            lanes,
            sizes,
            streams,
            vmap,
            bias,
            layers,
        };
        img.check_fits()?;
        Ok(img)
    }

    /// Like [`Image::build`] with the memory sizes of [`MemSizes::BAKE_SIZES`] with the fewest
    /// memory bits per lane that hold the model (on a tie, the smaller stream memory).
    pub fn build_smallest(model: &QModel, lanes: usize) -> Result<Image, ImageError> {
        let mut sizes = MemSizes::BAKE_SIZES;
        sizes.sort_by_key(|s| (s.lane_bits(), s.stream_words_log2));
        let mut last = None;
        for s in sizes {
            match Image::build(model, lanes, s) {
                Ok(img) => return Ok(img),
                Err(e @ ImageError::DoesNotFit { .. }) => last = Some(e),
                Err(e) => return Err(e),
            }
        }
        // Nothing holds it: report what the largest memories lack.
        let largest = MemSizes::BAKE_SIZES[MemSizes::BAKE_SIZES.len() - 1];
        Err(Image::build(model, lanes, largest)
            .err()
            .or(last)
            .unwrap_or_else(|| ImageError::Model("no memory size holds the model".into())))
    }

    fn check_fits(&self) -> Result<(), ImageError> {
        let largest = MemSizes::BAKE_SIZES[MemSizes::BAKE_SIZES.len() - 1];
        let hint = |need: usize, largest: usize| {
            if need > largest {
                format!(
                    " (a baked build has at most {largest}; use more lanes, a smaller model, or load it over the UART)"
                )
            } else {
                String::new()
            }
        };
        let need = self.stream_words_used();
        if need > self.sizes.stream_words() {
            return Err(ImageError::DoesNotFit {
                memory: "stream memory",
                need,
                capacity: self.sizes.stream_words(),
                unit: "words per lane",
                hint: hint(need, largest.stream_words()),
            });
        }
        if self.vmap.len() > self.sizes.vmap_entries() {
            return Err(ImageError::DoesNotFit {
                memory: "value-map memory",
                need: self.vmap.len(),
                capacity: self.sizes.vmap_entries(),
                unit: "entries (all layers' value maps)",
                hint: hint(self.vmap.len(), largest.vmap_entries()),
            });
        }
        if self.bias.len() > self.sizes.bias_rows() {
            return Err(ImageError::DoesNotFit {
                memory: "bias memory",
                need: self.bias.len(),
                capacity: self.sizes.bias_rows(),
                unit: "rows (all layers' outputs)",
                hint: String::new(),
            });
        }
        if self.sizes.layer_table && self.layers.len() > regmap::MAX_LAYERS {
            return Err(ImageError::DoesNotFit {
                memory: "layer table",
                need: self.layers.len(),
                capacity: regmap::MAX_LAYERS,
                unit: "layers",
                hint: String::new(),
            });
        }
        let words = self.words().len();
        if words > regmap::IMAGE_MAX_WORDS {
            return Err(ImageError::DoesNotFit {
                memory: "image length field",
                need: words,
                capacity: regmap::IMAGE_MAX_WORDS,
                unit: "words",
                hint: String::new(),
            });
        }
        Ok(())
    }

    /// Stream words used in each lane (the same in every lane).
    pub fn stream_words_used(&self) -> usize {
        self.streams.first().map_or(0, Vec::len)
    }

    /// The image as the loader reads it, without its CRC word: the words of [`Image::to_file`]
    /// before the last. Little-endian u32s:
    ///
    /// | word | content |
    /// |------|---------|
    /// | 0 | `regmap::IMAGE_MAGIC` ("BSIM") |
    /// | 1 | `regmap::IMAGE_VERSION` (2) |
    /// | 2 | lanes P |
    /// | 3 | CAPS of the build without the decoder bit ([`MemSizes::caps`]) |
    /// | 4 | N, the words of this header and all runs (the CRC word is word N) |
    /// | 5.. | runs: `addr << 16 \| count`, then `count` words for `addr`, `addr + 1`, ... |
    ///
    /// The runs, in this order (an empty memory has no run): each lane's stream from its word 0
    /// ([`MemSizes::stream_addr`]), the value map (VMAP window, `regmap::vmap_word`), the biases
    /// (BIAS window), each layer's table entry (words 0..`LAYER_REPLAY_WORDS` of
    /// `regmap::layer_table_addr`: the values of registers ROWS ..= BIAS_BASE, 0 where no register
    /// is), and NUM_LAYERS.
    pub fn to_bytes(&self) -> Vec<u8> {
        self.words().iter().flat_map(|w| w.to_le_bytes()).collect()
    }

    fn words(&self) -> Vec<u32> {
        let mut v: Vec<u32> = vec![
            regmap::IMAGE_MAGIC,
            regmap::IMAGE_VERSION,
            self.lanes as u32,
            self.sizes.caps(),
            0, // N, below
        ];
        let run = |v: &mut Vec<u32>, addr: u16, words: &[u32]| {
            // Placement keeps every memory below the 16-bit count (`check_fits`).
            for (i, chunk) in words.chunks(0xFFFF).enumerate() {
                v.push(regmap::image_run_header(addr + (i * 0xFFFF) as u16, chunk.len() as u16));
                v.extend_from_slice(chunk);
            }
        };
        for (l, lane) in self.streams.iter().enumerate() {
            run(&mut v, self.sizes.stream_addr(l, 0), lane);
        }
        let vmap: Vec<u32> = self.vmap.iter().map(|&x| regmap::vmap_word(x)).collect();
        run(&mut v, regmap::VMAP_BASE, &vmap);
        let bias: Vec<u32> = self.bias.iter().map(|&x| x as u32).collect();
        run(&mut v, regmap::BIAS_BASE, &bias);
        for (li, regs) in self.layers.iter().enumerate() {
            let mut entry = vec![0u32; regmap::LAYER_REPLAY_WORDS as usize];
            for (a, d) in regs.writes() {
                entry[usize::from(a - regmap::REG_ROWS)] = d;
            }
            run(&mut v, regmap::layer_table_addr(li, 0), &entry);
        }
        run(&mut v, regmap::REG_NUM_LAYERS, &[self.layers.len() as u32]);
        v[4] = v.len() as u32;
        v
    }

    /// The image file: [`Image::to_bytes`] and the CRC-32 of those bytes (IEEE, as `crc32fast`),
    /// little-endian: what `backslash load` sends to LOAD_DATA word by word and what the SPI flash
    /// holds behind the bitstream.
    pub fn to_file(&self) -> Vec<u8> {
        let mut b = self.to_bytes();
        let crc = crc32fast::hash(&b);
        b.extend_from_slice(&crc.to_le_bytes());
        b
    }

    /// The words the host writes to LOAD_DATA ([`Image::to_file`] as u32s).
    pub fn load_words(&self) -> Vec<u32> {
        let mut w = self.words();
        w.push(crc32fast::hash(&self.to_bytes()));
        w
    }

    /// Reads an image file ([`Image::to_file`]): checked word by word as the loader checks it (magic,
    /// version, lanes, CAPS, length, runs, CRC), then required to be exactly what placing its
    /// contents gives (the canonical form), and to fit its memories.
    pub fn from_file(bytes: &[u8]) -> Result<Image, ImageError> {
        let bad = |m: String| ImageError::File(m);
        if bytes.len() % 4 != 0 || bytes.len() < 4 * (regmap::IMAGE_HEADER_WORDS + 1) {
            return Err(bad(format!(
                "{} bytes: an image is a whole number of 32-bit words, at least {}",
                bytes.len(),
                regmap::IMAGE_HEADER_WORDS + 1
            )));
        }
        let w: Vec<u32> = bytes
            .chunks_exact(4)
            .map(|c| u32::from_le_bytes([c[0], c[1], c[2], c[3]]))
            .collect();
        if w[0] != regmap::IMAGE_MAGIC {
            return Err(bad(format!(
                "not a model image (word 0 is 0x{:08X}, not \"BSIM\")",
                w[0]
            )));
        }
        if w[1] != regmap::IMAGE_VERSION {
            return Err(bad(format!(
                "image format version {} (this backslash reads version {})",
                w[1],
                regmap::IMAGE_VERSION
            )));
        }
        let lanes = w[2] as usize;
        if !regmap::lanes_supported(lanes) {
            return Err(bad(format!(
                "lane count {} is not {}",
                w[2],
                regmap::lane_counts_text()
            )));
        }
        let sizes = MemSizes::from_caps(w[3]);
        if sizes.caps() != w[3] || !sizes.fits_lanes(lanes) || sizes.dim_log2 > regmap::DIM_LOG2_MAX {
            return Err(bad(format!("CAPS word 0x{:08X} is not a build's", w[3])));
        }
        let n = w[4] as usize;
        if n + 1 != w.len() {
            return Err(bad(format!(
                "the header says {} words and a CRC, the file has {} words{}",
                n,
                w.len(),
                if n + 1 > w.len() { " (truncated)" } else { "" }
            )));
        }
        let crc = crc32fast::hash(&bytes[..4 * n]);
        if crc != w[n] {
            return Err(bad(format!(
                "CRC-32 mismatch: the file says 0x{:08X}, its contents give 0x{crc:08X} (corrupt)",
                w[n]
            )));
        }
        let mut img = Image {
            lanes,
            sizes,
            streams: vec![Vec::new(); lanes],
            vmap: Vec::new(),
            bias: Vec::new(),
            layers: Vec::new(),
        };
        let mut num_layers = None;
        let mut i = regmap::IMAGE_HEADER_WORDS;
        let window = |a: u16, base: u16| a.wrapping_sub(base) < regmap::WINDOW_WORDS;
        while i < n {
            let (addr, count) = ((w[i] >> 16) as u16, (w[i] & 0xFFFF) as usize);
            let data = w.get(i + 1..i + 1 + count).filter(|_| count > 0 && i + 1 + count <= n);
            let data = data.ok_or_else(|| {
                bad(format!(
                    "word {i}: run of {count} words at 0x{addr:04X} does not fit the image"
                ))
            })?;
            let misplaced = || {
                bad(format!(
                    "word {i}: run at 0x{addr:04X} is not where a placed image has it"
                ))
            };
            if addr >= regmap::STREAM_BASE {
                let off = usize::from(addr - regmap::STREAM_BASE);
                let (l, word) = (off >> sizes.stream_words_log2, off & (sizes.stream_words() - 1));
                let lane = img
                    .streams
                    .get_mut(l)
                    .filter(|s| s.len() == word)
                    .ok_or_else(misplaced)?;
                lane.extend_from_slice(data);
            } else if window(addr, regmap::VMAP_BASE) && usize::from(addr - regmap::VMAP_BASE) == img.vmap.len() {
                img.vmap.extend(data.iter().map(|&x| i32::from(x as u16 as i16)));
            } else if window(addr, regmap::BIAS_BASE) && usize::from(addr - regmap::BIAS_BASE) == img.bias.len() {
                img.bias.extend(data.iter().map(|&x| x as i32));
            } else if addr == regmap::layer_table_addr(img.layers.len(), 0)
                && window(addr, regmap::LAYER_TABLE_BASE)
                && count == usize::from(regmap::LAYER_REPLAY_WORDS)
            {
                let r = |reg: u16| data[usize::from(reg - regmap::REG_ROWS)];
                img.layers.push(LayerRegs {
                    rows: r(regmap::REG_ROWS),
                    cols: r(regmap::REG_COLS),
                    k: r(regmap::REG_K),
                    shift: r(regmap::REG_SHIFT),
                    flags: r(regmap::REG_FLAGS),
                    vmap_len: r(regmap::REG_VMAP_LEN),
                    stream_base: r(regmap::REG_STREAM_BASE),
                    vmap_base: r(regmap::REG_VMAP_BASE),
                    bias_base: r(regmap::REG_BIAS_BASE),
                    stream_len: (0..lanes).map(|l| r(regmap::stream_len_reg(l))).collect(),
                });
            } else if addr == regmap::REG_NUM_LAYERS && count == 1 && num_layers.is_none() {
                num_layers = Some(data[0] as usize);
            } else {
                return Err(misplaced());
            }
            i += 1 + count;
        }
        if num_layers != Some(img.layers.len()) || img.layers.is_empty() {
            return Err(bad(format!(
                "NUM_LAYERS {num_layers:?} does not match the {} layer-table entries",
                img.layers.len()
            )));
        }
        if img.to_bytes() != bytes[..4 * n] {
            return Err(bad("the runs are not those of a placed image (canonical form)".into()));
        }
        img.check_fits()?;
        Ok(img)
    }

    /// CRC-32 (IEEE, crc32fast) of [`Image::to_bytes`]: the MODEL_ID of a build that holds this
    /// image (baked, or loaded and checked by the loader). Never 0 (a CRC of 0 is returned as 1,
    /// as the loader does), since MODEL_ID 0 means "no image".
    pub fn model_id(&self) -> u32 {
        regmap::model_id_of_crc(crc32fast::hash(&self.to_bytes()))
    }

    /// The host writes that put the image's memories into an accelerator without it (address,
    /// word); equivalent to baking, except MODEL_ID.
    pub fn memory_writes(&self) -> Vec<(u16, u32)> {
        let mut w = Vec::new();
        for (l, lane) in self.streams.iter().enumerate() {
            w.extend(lane.iter().enumerate().map(|(i, &x)| (self.sizes.stream_addr(l, i), x)));
        }
        w.extend(
            self.vmap
                .iter()
                .enumerate()
                .map(|(i, &x)| (regmap::vmap_addr(i), regmap::vmap_word(x))),
        );
        w.extend(
            self.bias
                .iter()
                .enumerate()
                .map(|(i, &x)| (regmap::bias_addr(i), x as u32)),
        );
        w
    }

    /// Top module name of a baked accelerator with `decoder` in its lanes: the plain build's name
    /// and the model id.
    pub fn top_name(&self, decoder: regmap::DecoderKind) -> String {
        format!(
            "{}_m{:08x}",
            regmap::top_name_for(self.lanes, self.sizes, decoder),
            self.model_id()
        )
    }
}

/// The image loader of a build with the layer table (CTRL.LOAD, LOAD_DATA, LOAD_STATUS), word by
/// word: the reference the RTL's loader (`hdl::loader`) is tested against. It checks the header
/// against the build (`lanes`, `caps` = [`MemSizes::caps`]), turns each run into memory writes and
/// compares the CRC-32 at word N. A word after the load has ended is ignored.
#[derive(Debug, Clone)]
pub struct LoaderModel {
    lanes: u32,
    caps: u32,
    /// A load is in progress.
    pub busy: bool,
    /// The last load ended with a good CRC.
    pub ok: bool,
    /// Why the last load failed ([`regmap::LoadError::None`] if it did not).
    pub error: regmap::LoadError,
    /// Words received since CTRL.LOAD.
    pub words: u32,
    total: u32,
    run_addr: u16,
    run_left: u32,
    crc: crc32fast::Hasher,
    /// MODEL_ID: the image's CRC after a good load (1 for a CRC of 0), else 0.
    pub model_id: u32,
}

impl LoaderModel {
    /// The loader of a build with `lanes` lanes and memories `sizes`, before any CTRL.LOAD.
    pub fn new(lanes: usize, sizes: MemSizes) -> LoaderModel {
        LoaderModel {
            lanes: lanes as u32,
            caps: sizes.caps(),
            busy: false,
            ok: false,
            error: regmap::LoadError::None,
            words: 0,
            total: 0,
            run_addr: 0,
            run_left: 0,
            crc: crc32fast::Hasher::new(),
            model_id: 0,
        }
    }

    /// CTRL.LOAD.
    pub fn begin(&mut self) {
        *self = LoaderModel {
            busy: true,
            ..LoaderModel::new(self.lanes as usize, MemSizes::from_caps(self.caps))
        };
    }

    /// LOAD_STATUS.
    pub fn status(&self) -> u32 {
        u32::from(self.busy) * regmap::LOAD_BUSY
            | u32::from(self.ok) * regmap::LOAD_OK
            | u32::from(self.error != regmap::LoadError::None) * regmap::LOAD_FAILED
            | (self.error as u32) << regmap::LOAD_ERROR_SHIFT
            | (self.words & 0xFFFF) << regmap::LOAD_WORDS_SHIFT
    }

    fn fail(&mut self, e: regmap::LoadError) {
        self.busy = false;
        self.error = e;
    }

    /// One LOAD_DATA word; the memory write it makes, if any.
    pub fn word(&mut self, w: u32) -> Option<(u16, u32)> {
        use regmap::LoadError as E;
        if !self.busy {
            return None;
        }
        let i = self.words;
        self.words += 1;
        if i >= regmap::IMAGE_HEADER_WORDS as u32 && i == self.total {
            if self.run_left != 0 {
                self.fail(E::Length);
                return None;
            }
            let crc = self.crc.clone().finalize();
            self.busy = false;
            if crc == w {
                self.ok = true;
                self.model_id = regmap::model_id_of_crc(crc);
            } else {
                self.error = E::Crc;
            }
            return None;
        }
        self.crc.update(&w.to_le_bytes());
        match i {
            0 | 1 if w != [regmap::IMAGE_MAGIC, regmap::IMAGE_VERSION][i as usize] => self.fail(E::Format),
            2 | 3 if w != [self.lanes, self.caps][i as usize - 2] => self.fail(E::Build),
            4 => {
                self.total = w;
                if w > regmap::IMAGE_MAX_WORDS as u32 || w < regmap::IMAGE_HEADER_WORDS as u32 {
                    self.fail(E::Length);
                }
            }
            0..=3 => {}
            _ if self.run_left == 0 => {
                self.run_addr = (w >> 16) as u16;
                self.run_left = w & 0xFFFF;
                if self.run_left == 0 {
                    self.fail(E::Length);
                }
            }
            _ => {
                let a = self.run_addr;
                self.run_addr = a.wrapping_add(1);
                self.run_left -= 1;
                if !regmap::image_addr_allowed(a) {
                    self.fail(E::Address);
                    return None;
                }
                return Some((a, w));
            }
        }
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use golden::layout;
    use golden::valuemap::ValueMap;

    use golden::testing::half_sparse_model as model;

    #[test]
    fn layers_are_placed_one_after_another_without_overlap() {
        let m = model(1, &[20, 17, 9, 5], 6);
        let img = Image::build(&m, 4, MemSizes::BOARD).unwrap();
        assert_eq!(img.layers.len(), 3);
        let (mut sb, mut vb, mut bb) = (0, 0, 0);
        for (i, (l, q)) in img.layers.iter().zip(&m.layers).enumerate() {
            assert_eq!((l.stream_base, l.vmap_base, l.bias_base), (sb, vb, bb), "layer {i}");
            assert_eq!((l.rows as usize, l.cols as usize), (q.rows, q.cols));
            // The layer's region holds exactly golden's streams, value map and biases.
            let map = ValueMap::from_quantized(&q.weights);
            let ls = layout::layout(q, &map, l.k, 4).unwrap();
            for lane in 0..4 {
                let len = l.stream_len[lane] as usize;
                let words = ls.words.get(lane).cloned().unwrap_or_default();
                assert_eq!(&img.streams[lane][sb as usize..sb as usize + len], &words[..]);
            }
            assert_eq!(&img.vmap[vb as usize..(vb + l.vmap_len) as usize], map.values());
            assert_eq!(&img.bias[bb as usize..bb as usize + q.rows], &q.bias[..]);
            sb += *l.stream_len.iter().max().unwrap();
            vb += l.vmap_len;
            bb += l.rows;
        }
        assert!(img.streams.iter().all(|s| s.len() == sb as usize));
        assert_eq!(img.vmap.len(), vb as usize);
        assert_eq!(img.bias.len(), bb as usize);
        let writes = img.memory_writes();
        assert_eq!(writes.len(), 4 * sb as usize + vb as usize + bb as usize);
        let mut addrs: Vec<u16> = writes.iter().map(|w| w.0).collect();
        addrs.sort_unstable();
        addrs.dedup();
        assert_eq!(addrs.len(), writes.len(), "two writes to one address");
    }

    #[test]
    fn too_big_models_name_the_memory_and_sizes() {
        // 256 x 256 dense weights of spread 100: far more than 512 words per lane at P = 1.
        let big = model(2, &[256, 256], 100);
        let e = Image::build(&big, 1, MemSizes::BOARD).unwrap_err();
        let msg = e.to_string();
        assert!(
            matches!(
                e,
                ImageError::DoesNotFit {
                    memory: "stream memory",
                    capacity: 512,
                    ..
                }
            ),
            "{msg}"
        );
        assert!(msg.contains("stream memory") && msg.contains("512"), "{msg}");
        let e = Image::build_smallest(&big, 1).unwrap_err();
        assert!(e.to_string().contains("at most 2048"), "{e}");
        // Value maps of all layers together beyond 256 entries.
        let wide = model(3, &[64, 64, 64], 200);
        let e = Image::build(
            &wide,
            8,
            MemSizes {
                stream_words_log2: 11,
                vmap_log2: 8,
                dim_log2: 8,
                layer_table: false,
            },
        )
        .unwrap_err();
        assert!(
            matches!(
                e,
                ImageError::DoesNotFit {
                    memory: "value-map memory",
                    ..
                }
            ),
            "{e}"
        );
        // More than 256 rows in all (the BOARD bias memory).
        let tall = model(4, &[8, 200, 100], 3);
        let e = Image::build(&tall, 4, MemSizes::BOARD).unwrap_err();
        assert!(
            matches!(
                e,
                ImageError::DoesNotFit {
                    memory: "bias memory",
                    need: 300,
                    capacity: 256,
                    ..
                }
            ),
            "{e}"
        );
        // A layer wider than the build: 256 on the board, 1024 in the LARGE simulation build.
        let e = Image::build(&model(5, &[300, 4], 3), 4, MemSizes::BOARD).unwrap_err();
        assert!(e.to_string().contains("at most 256"), "{e}");
        assert!(Image::build(&model(5, &[300, 4], 3), 4, MemSizes::LARGE).is_ok());
        let e = Image::build(&model(5, &[1025, 4], 3), 4, MemSizes::LARGE).unwrap_err();
        assert!(
            e.to_string().contains("1025") && e.to_string().contains("at most 1024"),
            "{e}"
        );
    }

    #[test]
    fn smallest_memories_that_hold_the_model() {
        // Few distinct weights: only the stream memory grows.
        let m = model(6, &[64, 128, 64, 10], 6);
        let img = Image::build_smallest(&m, 2).unwrap();
        let need = img.stream_words_used();
        assert!(
            need <= img.sizes.stream_words() && need > img.sizes.stream_words() / 2,
            "{need} {:?}",
            img.sizes
        );
        assert_eq!(img.sizes.vmap_log2, 8);
        // The same placement as a direct build at that size.
        assert_eq!(Image::build(&m, 2, img.sizes).unwrap(), img);
        // Many distinct weights: the value map grows to the next power of two that holds all layers'.
        let w = model(8, &[32, 32, 32], 150);
        let img = Image::build_smallest(&w, 4).unwrap();
        assert!(
            img.vmap.len() > 256 && img.vmap.len() <= img.sizes.vmap_entries(),
            "{}",
            img.vmap.len()
        );
        assert!(img.vmap.len() > img.sizes.vmap_entries() / 2);
        // No candidate with fewer memory bits holds it.
        for s in MemSizes::BAKE_SIZES {
            if s.lane_bits() < img.sizes.lane_bits() {
                assert!(Image::build(&w, 4, s).is_err(), "{s:?}");
            }
        }
    }

    #[test]
    fn model_id_is_stable_and_tracks_every_part() {
        let m = model(7, &[12, 9, 4], 5);
        let img = Image::build(&m, 2, MemSizes::BOARD).unwrap();
        // Pinned: the image bytes and their CRC must not drift within an image format version (a
        // board baked or flashed by one version of the code is checked by the next).
        assert_eq!(img.model_id(), crc32fast::hash(&img.to_bytes()));
        assert_eq!(img.model_id(), 0x90DB_8DF9);
        assert_eq!(Image::build(&m, 2, MemSizes::BOARD).unwrap().model_id(), img.model_id());
        assert_ne!(Image::build(&m, 4, MemSizes::BOARD).unwrap().model_id(), img.model_id());
        assert_ne!(Image::build(&m, 2, MemSizes::LARGE).unwrap().model_id(), img.model_id());
        let mut m2 = m.clone();
        m2.layers[1].bias[0] += 1;
        assert_ne!(
            Image::build(&m2, 2, MemSizes::BOARD).unwrap().model_id(),
            img.model_id()
        );
        let mut m3 = m.clone();
        m3.layers[0].shift += 1;
        assert_ne!(
            Image::build(&m3, 2, MemSizes::BOARD).unwrap().model_id(),
            img.model_id()
        );
        assert_ne!(img.model_id(), 0);
    }

    #[test]
    fn image_file_round_trips_and_is_what_the_loader_reads() {
        let m = model(9, &[30, 17, 6], 9);
        for (lanes, sizes) in [(2, MemSizes::SPRAM), (4, MemSizes::LARGE), (1, MemSizes::BOARD)] {
            let img = Image::build(&m, lanes, sizes).unwrap();
            let file = img.to_file();
            assert_eq!(Image::from_file(&file).unwrap(), img);
            let words = img.load_words();
            assert_eq!(words.len() * 4, file.len());
            assert_eq!(
                words[..],
                file.chunks(4)
                    .map(|c| u32::from_le_bytes(c.try_into().unwrap()))
                    .collect::<Vec<_>>()[..]
            );
            let n = words.len() - 1;
            assert_eq!(words[4] as usize, n);
            assert_eq!(words[n], crc32fast::hash(&img.to_bytes()));
            // Every run stays in the windows an image may write.
            let mut i = regmap::IMAGE_HEADER_WORDS;
            let mut writes = 0;
            while i < n {
                let (a, c) = ((words[i] >> 16) as u16, (words[i] & 0xFFFF) as usize);
                assert!(c > 0);
                for j in 0..c {
                    assert!(regmap::image_addr_allowed(a + j as u16), "0x{a:04X}+{j}");
                }
                writes += c;
                i += 1 + c;
            }
            assert_eq!(i, n);
            // The runs are the memory writes, the table entries and NUM_LAYERS.
            let table = img.layers.len() * usize::from(regmap::LAYER_REPLAY_WORDS);
            assert_eq!(writes, img.memory_writes().len() + table + 1);
        }
    }

    #[test]
    fn the_loader_model_writes_what_the_image_places() {
        let img = Image::build(&model(11, &[24, 12, 5], 7), 2, MemSizes::SPRAM).unwrap();
        let mut ld = LoaderModel::new(2, MemSizes::SPRAM);
        ld.begin();
        let writes: Vec<(u16, u32)> = img.load_words().iter().filter_map(|&w| ld.word(w)).collect();
        assert!(ld.ok && !ld.busy && ld.model_id == img.model_id(), "{ld:?}");
        assert_eq!(ld.status(), regmap::LOAD_OK | (img.load_words().len() as u32) << 16);
        let mut want = img.memory_writes();
        for (li, regs) in img.layers.iter().enumerate() {
            let mut e = vec![0; usize::from(regmap::LAYER_REPLAY_WORDS)];
            for (a, d) in regs.writes() {
                e[usize::from(a - regmap::REG_ROWS)] = d;
            }
            want.extend(
                e.into_iter()
                    .enumerate()
                    .map(|(j, d)| (regmap::layer_table_addr(li, j as u16), d)),
            );
        }
        want.push((regmap::REG_NUM_LAYERS, img.layers.len() as u32));
        assert_eq!(writes, want);
        // Another build, a truncated image, a flipped bit: refused, MODEL_ID 0.
        let mut other = LoaderModel::new(4, MemSizes::SPRAM);
        other.begin();
        assert!(img.load_words().iter().all(|&w| other.word(w).is_none()));
        assert_eq!(other.error, regmap::LoadError::Build);
        let mut w = img.load_words();
        w[40] ^= 1 << 9;
        ld.begin();
        w.iter().for_each(|&x| {
            ld.word(x);
        });
        assert_eq!((ld.error, ld.model_id, ld.busy), (regmap::LoadError::Crc, 0, false));
        ld.begin();
        img.load_words()[..100].iter().for_each(|&x| {
            ld.word(x);
        });
        assert!(ld.busy && !ld.ok && ld.model_id == 0);
    }

    #[test]
    fn damaged_image_files_are_refused_with_the_reason() {
        let img = Image::build(&model(10, &[20, 8, 4], 5), 2, MemSizes::SPRAM).unwrap();
        let file = img.to_file();
        let err = |b: &[u8]| Image::from_file(b).unwrap_err().to_string();
        assert!(
            err(&file[..file.len() - 4]).contains("truncated"),
            "{}",
            err(&file[..file.len() - 4])
        );
        assert!(err(&file[..file.len() - 1]).contains("whole number"));
        assert!(err(&[0xFF; 64]).contains("not a model image"));
        // Any flipped bit is caught (by a header check or the CRC).
        for bit in (0..file.len() * 8).step_by(7) {
            let mut b = file.clone();
            b[bit / 8] ^= 1 << (bit % 8);
            assert!(Image::from_file(&b).is_err(), "bit {bit}");
        }
        let mut b = file.clone();
        b[25] ^= 4;
        assert!(err(&b).contains("CRC-32 mismatch"), "{}", err(&b));
        // Good CRC, but the runs are not a placed image's: refused.
        let mut w = img.load_words();
        let n = w.len() - 1;
        w[n - 1] += 1; // NUM_LAYERS
        let mut bytes: Vec<u8> = w[..n].iter().flat_map(|x| x.to_le_bytes()).collect();
        let crc = crc32fast::hash(&bytes);
        bytes.extend_from_slice(&crc.to_le_bytes());
        assert!(err(&bytes).contains("NUM_LAYERS"), "{}", err(&bytes));
    }
}
