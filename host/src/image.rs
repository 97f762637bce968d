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

/// Why a model cannot be placed in the memories.
#[derive(Debug, Error, Clone, PartialEq, Eq)]
pub enum ImageError {
    /// The model itself is inconsistent, or a layer does not fit the accelerator at all.
    #[error("{0}")]
    Model(String),
    /// A layer cannot be compiled.
    #[error(transparent)]
    Compile(#[from] CompileError),
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
        Ok(())
    }

    /// Stream words used in each lane (the same in every lane).
    pub fn stream_words_used(&self) -> usize {
        self.streams.first().map_or(0, Vec::len)
    }

    /// The canonical bytes of the image (little-endian u32s): a tag, lanes, sizes, each lane's
    /// words, the value map, the biases and every layer's registers, each list led by its length.
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut v: Vec<u32> = vec![0x4253_494D, 1]; // "BSIM", version 1
        v.extend([self.lanes as u32, self.sizes.stream_words_log2, self.sizes.vmap_log2]);
        for lane in &self.streams {
            v.push(lane.len() as u32);
            v.extend_from_slice(lane);
        }
        v.push(self.vmap.len() as u32);
        v.extend(self.vmap.iter().map(|&x| x as u32));
        v.push(self.bias.len() as u32);
        v.extend(self.bias.iter().map(|&x| x as u32));
        v.push(self.layers.len() as u32);
        for l in &self.layers {
            v.extend(l.writes().into_iter().flat_map(|(a, d)| [u32::from(a), d]));
        }
        v.iter().flat_map(|w| w.to_le_bytes()).collect()
    }

    /// CRC-32 (IEEE, crc32fast) of [`Image::to_bytes`]: the MODEL_ID of a build with this image.
    /// Never 0 (a CRC of 0 is returned as 1), since MODEL_ID 0 means "no image".
    pub fn model_id(&self) -> u32 {
        match crc32fast::hash(&self.to_bytes()) {
            0 => 1,
            c => c,
        }
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
        // Pinned: the image bytes and their CRC must not drift between versions of the code (a
        // board baked by one version is checked by the next).
        assert_eq!(img.model_id(), crc32fast::hash(&img.to_bytes()));
        assert_eq!(img.model_id(), 0x0B35_9CEF);
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
}
