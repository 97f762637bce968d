//! BERT for sequence classification, built from `burn::nn`, loading a Hugging Face BERT checkpoint
//! (all-MiniLM-L6-v2's `model.safetensors` and `config.json`).
//!
//! The layout is BERT's: word + position + token-type embeddings and a LayerNorm, `num_hidden_layers`
//! post-norm encoder layers (self-attention, GELU feed-forward), the pooler (`tanh` of a dense layer
//! on the `[CLS]` position) and a new classification head (`classifier.weight` `[classes, hidden]`,
//! `classifier.bias`), the head of Hugging Face's `BertForSequenceClassification`.

use burn::module::{Module, Param};
use burn::nn::transformer::{TransformerEncoder, TransformerEncoderConfig, TransformerEncoderInput};
use burn::nn::{Dropout, DropoutConfig, Embedding, EmbeddingConfig, LayerNorm, LayerNormConfig, Linear, LinearConfig};
use burn::tensor::{Bool, Device, Int, Tensor, TensorData};
use safetensors::{Dtype, SafeTensors};
use serde::Deserialize;
use std::collections::BTreeMap;
use std::path::Path;
use thiserror::Error;

/// A checkpoint or configuration that does not fit the model.
#[derive(Debug, Error)]
pub enum ModelError {
    /// A file cannot be read.
    #[error("{path}: {msg}")]
    File { path: String, msg: String },
    /// A tensor of the checkpoint has the wrong shape or type, or is missing.
    #[error("tensor `{name}`: {msg}")]
    Tensor { name: String, msg: String },
}

fn file_err(path: &Path, msg: impl std::fmt::Display) -> ModelError {
    ModelError::File {
        path: path.display().to_string(),
        msg: msg.to_string(),
    }
}

/// The fields of a Hugging Face BERT `config.json` the model uses.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct BertConfig {
    pub vocab_size: usize,
    pub hidden_size: usize,
    pub num_hidden_layers: usize,
    pub num_attention_heads: usize,
    pub intermediate_size: usize,
    pub max_position_embeddings: usize,
    pub type_vocab_size: usize,
    pub layer_norm_eps: f64,
    #[serde(default = "default_dropout")]
    pub hidden_dropout_prob: f64,
    #[serde(default = "default_act")]
    pub hidden_act: String,
}

fn default_dropout() -> f64 {
    0.1
}
fn default_act() -> String {
    "gelu".into()
}

impl BertConfig {
    /// Reads `config.json`; an activation other than `gelu` or a hidden size that the heads do not
    /// divide is an error naming the file.
    pub fn load(path: &Path) -> Result<BertConfig, ModelError> {
        let text = std::fs::read_to_string(path).map_err(|e| file_err(path, e))?;
        let c: BertConfig =
            serde_json::from_str(&text).map_err(|e| file_err(path, format!("not a BERT config: {e}")))?;
        c.validate().map_err(|m| file_err(path, m))?;
        Ok(c)
    }

    fn validate(&self) -> Result<(), String> {
        if self.hidden_act != "gelu" {
            return Err(format!("hidden_act `{}`: only gelu is supported", self.hidden_act));
        }
        if self.num_attention_heads == 0 || self.hidden_size % self.num_attention_heads != 0 {
            return Err(format!(
                "hidden_size {} is not a multiple of num_attention_heads {}",
                self.hidden_size, self.num_attention_heads
            ));
        }
        let sizes = [
            self.vocab_size,
            self.hidden_size,
            self.num_hidden_layers,
            self.intermediate_size,
        ];
        if sizes.contains(&0) || self.max_position_embeddings < 2 || self.type_vocab_size == 0 {
            return Err("every size must be positive".into());
        }
        if !(0.0..1.0).contains(&self.hidden_dropout_prob) || !(self.layer_norm_eps > 0.0) {
            return Err("hidden_dropout_prob must be in [0, 1) and layer_norm_eps positive".into());
        }
        Ok(())
    }

    /// A small random configuration for tests (the real names and layout, tiny sizes).
    pub fn tiny(vocab_size: usize) -> BertConfig {
        BertConfig {
            vocab_size,
            hidden_size: 16,
            num_hidden_layers: 2,
            num_attention_heads: 2,
            intermediate_size: 32,
            max_position_embeddings: 32,
            type_vocab_size: 2,
            layer_norm_eps: 1e-12,
            hidden_dropout_prob: 0.1,
            hidden_act: "gelu".into(),
        }
    }
}

/// BERT with a classification head.
#[derive(Module, Debug)]
pub struct Bert {
    pub word_embeddings: Embedding,
    pub position_embeddings: Embedding,
    pub token_type_embeddings: Embedding,
    pub embeddings_norm: LayerNorm,
    pub encoder: TransformerEncoder,
    pub pooler: Linear,
    pub classifier: Linear,
    pub dropout: Dropout,
}

/// A batch of token ids `[batch, len]` with its padding mask (`true` where padded).
#[derive(Debug, Clone)]
pub struct Batch {
    pub ids: Tensor<2, Int>,
    pub pad: Tensor<2, Bool>,
    pub labels: Tensor<1, Int>,
}

impl Batch {
    /// From rows of ids of equal length, their padding flags and labels.
    pub fn new(ids: &[Vec<u32>], pad: &[Vec<bool>], labels: &[u32], device: &Device) -> Batch {
        let b = ids.len();
        let l = ids.first().map_or(0, Vec::len);
        let flat_ids: Vec<i64> = ids.iter().flatten().map(|&i| i as i64).collect();
        let flat_pad: Vec<bool> = pad.iter().flatten().copied().collect();
        let labels: Vec<i64> = labels.iter().map(|&y| y as i64).collect();
        Batch {
            ids: Tensor::from_data(TensorData::new(flat_ids, [b, l]), device),
            pad: Tensor::from_data(TensorData::new(flat_pad, [b, l]), device),
            labels: Tensor::from_data(TensorData::new(labels, [b]), device),
        }
    }
}

impl Bert {
    /// A randomly initialised model (seeded through the device) with `classes` outputs.
    pub fn init(cfg: &BertConfig, classes: usize, device: &Device) -> Bert {
        let h = cfg.hidden_size;
        let norm = || LayerNormConfig::new(h).with_epsilon(cfg.layer_norm_eps).init(device);
        let encoder =
            TransformerEncoderConfig::new(h, cfg.intermediate_size, cfg.num_attention_heads, cfg.num_hidden_layers)
                .with_dropout(cfg.hidden_dropout_prob)
                .with_norm_first(false)
                .with_layer_norm_eps(cfg.layer_norm_eps)
                .init(device);
        Bert {
            word_embeddings: EmbeddingConfig::new(cfg.vocab_size, h).init(device),
            position_embeddings: EmbeddingConfig::new(cfg.max_position_embeddings, h).init(device),
            token_type_embeddings: EmbeddingConfig::new(cfg.type_vocab_size, h).init(device),
            embeddings_norm: norm(),
            encoder,
            pooler: LinearConfig::new(h, h).init(device),
            classifier: LinearConfig::new(h, classes).init(device),
            dropout: DropoutConfig::new(cfg.hidden_dropout_prob).init(),
        }
    }

    /// The logits `[batch, classes]` of a batch.
    pub fn forward(&self, ids: Tensor<2, Int>, pad: Tensor<2, Bool>) -> Tensor<2> {
        let [b, l] = ids.dims();
        let device = ids.device();
        let positions = Tensor::<1, Int>::arange(0..l as i64, &device)
            .reshape([1, l])
            .expand([b, l]);
        let types = Tensor::<2, Int>::zeros([b, l], &device);
        let x = self.word_embeddings.forward(ids)
            + self.position_embeddings.forward(positions)
            + self.token_type_embeddings.forward(types);
        let x = self.dropout.forward(self.embeddings_norm.forward(x));
        let x = self.encoder.forward(TransformerEncoderInput::new(x).mask_pad(pad));
        let [_, _, h] = x.dims();
        let cls = x.slice([0..b, 0..1, 0..h]).reshape([b, h]);
        let pooled = self.pooler.forward(cls).tanh();
        self.classifier.forward(self.dropout.forward(pooled))
    }

    /// The mean cross-entropy of a batch, as a one-element tensor.
    pub fn loss(&self, batch: &Batch) -> Tensor<1> {
        let logits = self.forward(batch.ids.clone(), batch.pad.clone());
        let device = logits.device();
        burn::nn::loss::CrossEntropyLoss::new(None, &device).forward(logits, batch.labels.clone())
    }
}

/// Every tensor of the model by its Hugging Face name, in the checkpoint's layout (`Linear`
/// weights `[out, in]`), and whether the rate term covers it (weight matrices and embeddings).
pub struct Named {
    pub name: String,
    pub shape: Vec<usize>,
    pub rated: bool,
}

/// The Hugging Face names of the model's tensors, in the order [`crate::params`] visits them.
pub fn tensor_names(cfg: &BertConfig, classes: usize) -> Vec<Named> {
    let (h, f) = (cfg.hidden_size, cfg.intermediate_size);
    let mut v = Vec::new();
    let mut add = |name: String, shape: Vec<usize>| {
        let rated = shape.len() == 2;
        v.push(Named { name, shape, rated });
    };
    add("embeddings.word_embeddings.weight".into(), vec![cfg.vocab_size, h]);
    add(
        "embeddings.position_embeddings.weight".into(),
        vec![cfg.max_position_embeddings, h],
    );
    add(
        "embeddings.token_type_embeddings.weight".into(),
        vec![cfg.type_vocab_size, h],
    );
    add("embeddings.LayerNorm.weight".into(), vec![h]);
    add("embeddings.LayerNorm.bias".into(), vec![h]);
    for i in 0..cfg.num_hidden_layers {
        let p = format!("encoder.layer.{i}");
        for (m, out, inp) in [
            ("attention.self.query", h, h),
            ("attention.self.key", h, h),
            ("attention.self.value", h, h),
            ("attention.output.dense", h, h),
            ("intermediate.dense", f, h),
            ("output.dense", h, f),
        ] {
            add(format!("{p}.{m}.weight"), vec![out, inp]);
            add(format!("{p}.{m}.bias"), vec![out]);
        }
        for m in ["attention.output.LayerNorm", "output.LayerNorm"] {
            add(format!("{p}.{m}.weight"), vec![h]);
            add(format!("{p}.{m}.bias"), vec![h]);
        }
    }
    add("pooler.dense.weight".into(), vec![h, h]);
    add("pooler.dense.bias".into(), vec![h]);
    add("classifier.weight".into(), vec![classes, h]);
    add("classifier.bias".into(), vec![classes]);
    v
}

/// Mutable access to each parameter slot of the model by its Hugging Face name.
enum Slot<'a> {
    Matrix(&'a mut Param<Tensor<2>>, bool),
    Vector(&'a mut Param<Tensor<1>>),
}

impl Bert {
    fn slot(&mut self, name: &str) -> Option<Slot<'_>> {
        fn lin<'a>(l: &'a mut Linear, part: &str) -> Option<Slot<'a>> {
            match part {
                "weight" => Some(Slot::Matrix(&mut l.weight, true)),
                "bias" => l.bias.as_mut().map(Slot::Vector),
                _ => None,
            }
        }
        fn norm<'a>(n: &'a mut LayerNorm, part: &str) -> Option<Slot<'a>> {
            match part {
                "weight" => Some(Slot::Vector(&mut n.gamma)),
                "bias" => n.beta.as_mut().map(Slot::Vector),
                _ => None,
            }
        }
        let (module, part) = name.rsplit_once('.')?;
        match module {
            "embeddings.word_embeddings" if part == "weight" => {
                Some(Slot::Matrix(&mut self.word_embeddings.weight, false))
            }
            "embeddings.position_embeddings" if part == "weight" => {
                Some(Slot::Matrix(&mut self.position_embeddings.weight, false))
            }
            "embeddings.token_type_embeddings" if part == "weight" => {
                Some(Slot::Matrix(&mut self.token_type_embeddings.weight, false))
            }
            "embeddings.LayerNorm" => norm(&mut self.embeddings_norm, part),
            "pooler.dense" => lin(&mut self.pooler, part),
            "classifier" => lin(&mut self.classifier, part),
            _ => {
                let rest = module.strip_prefix("encoder.layer.")?;
                let (i, m) = rest.split_once('.')?;
                let layer = self.encoder.layers.get_mut(i.parse::<usize>().ok()?)?;
                match m {
                    "attention.self.query" => lin(&mut layer.mha.query, part),
                    "attention.self.key" => lin(&mut layer.mha.key, part),
                    "attention.self.value" => lin(&mut layer.mha.value, part),
                    "attention.output.dense" => lin(&mut layer.mha.output, part),
                    "attention.output.LayerNorm" => norm(&mut layer.norm_1, part),
                    "intermediate.dense" => lin(&mut layer.pwff.linear_inner, part),
                    "output.dense" => lin(&mut layer.pwff.linear_outer, part),
                    "output.LayerNorm" => norm(&mut layer.norm_2, part),
                    _ => None,
                }
            }
        }
    }

    /// Sets the tensor `name` from `data` in the checkpoint's layout (`shape`, `Linear` weights
    /// `[out, in]`), checking the shape against the model's.
    pub fn set(&mut self, name: &str, shape: &[usize], data: Vec<f32>) -> Result<(), ModelError> {
        let err = |msg: String| ModelError::Tensor {
            name: name.to_string(),
            msg,
        };
        let slot = self
            .slot(name)
            .ok_or_else(|| err("not a tensor of this model".into()))?;
        match slot {
            Slot::Matrix(p, linear) => {
                let dims = p.val().dims();
                // The checkpoint stores a Linear weight as [out, in]; burn as [in, out].
                let expect = if linear { [dims[1], dims[0]] } else { dims };
                if shape != expect {
                    return Err(err(format!("checkpoint shape {shape:?}, model shape {expect:?}")));
                }
                let data = if linear {
                    transpose(&data, expect[0], expect[1])
                } else {
                    data
                };
                let device = p.val().device();
                *p = Param::from_tensor(Tensor::from_data(TensorData::new(data, dims), &device));
            }
            Slot::Vector(p) => {
                let dims = p.val().dims();
                if shape != dims {
                    return Err(err(format!("checkpoint shape {shape:?}, model shape {dims:?}")));
                }
                let device = p.val().device();
                *p = Param::from_tensor(Tensor::from_data(TensorData::new(data, dims), &device));
            }
        }
        Ok(())
    }

    /// The tensor `name` in the checkpoint's layout.
    pub fn get(&mut self, name: &str) -> Option<Vec<f32>> {
        let v = match self.slot(name)? {
            Slot::Matrix(p, linear) => {
                let t = p.val();
                let [r, c] = t.dims();
                let v = t.into_data().try_into_vec::<f32>().ok()?;
                if linear {
                    transpose(&v, r, c)
                } else {
                    v
                }
            }
            Slot::Vector(p) => p.val().into_data().try_into_vec::<f32>().ok()?,
        };
        Some(v)
    }

    /// Loads every tensor of `cfg`'s BERT from a safetensors checkpoint (F32). The classification
    /// head keeps its random initialisation unless the checkpoint has it (`classifier.*`). Returns
    /// the names it loaded; a missing tensor or a wrong shape is an error naming the tensor.
    pub fn load_checkpoint(
        &mut self,
        cfg: &BertConfig,
        classes: usize,
        path: &Path,
    ) -> Result<Vec<String>, ModelError> {
        let bytes = std::fs::read(path).map_err(|e| file_err(path, e))?;
        let st =
            SafeTensors::deserialize(&bytes).map_err(|e| file_err(path, format!("not a safetensors file: {e}")))?;
        let mut loaded = Vec::new();
        for t in tensor_names(cfg, classes) {
            let view = match st.tensor(&t.name) {
                Ok(v) => v,
                Err(_) if t.name.starts_with("classifier.") => continue,
                Err(_) => {
                    return Err(ModelError::Tensor {
                        name: t.name,
                        msg: format!("missing from {}", path.display()),
                    })
                }
            };
            if view.dtype() != Dtype::F32 {
                return Err(ModelError::Tensor {
                    name: t.name,
                    msg: format!("dtype {:?}, expected F32", view.dtype()),
                });
            }
            let data: Vec<f32> = view
                .data()
                .chunks_exact(4)
                .map(|b| f32::from_le_bytes([b[0], b[1], b[2], b[3]]))
                .collect();
            self.set(&t.name, view.shape(), data)?;
            loaded.push(t.name);
        }
        Ok(loaded)
    }

    /// All tensors in the checkpoint's names and layout, for a safetensors file.
    pub fn export(&mut self, cfg: &BertConfig, classes: usize) -> BTreeMap<String, (Vec<usize>, Vec<f32>)> {
        tensor_names(cfg, classes)
            .into_iter()
            .filter_map(|t| self.get(&t.name).map(|v| (t.name, (t.shape, v))))
            .collect()
    }
}

/// `m` (`rows x cols`, row-major) transposed.
fn transpose(m: &[f32], rows: usize, cols: usize) -> Vec<f32> {
    let mut out = vec![0.0; m.len()];
    for r in 0..rows {
        for c in 0..cols {
            out[c * rows + r] = m[r * cols + c];
        }
    }
    out
}
