//! Saving and loading an [`Mlp`] as safetensors.
//!
//! Tensors: `layers.{l}.weight` (F32, shape `[out, in]`) and `layers.{l}.bias` (F32, `[out]`) for
//! `l = 0..layers`. The safetensors metadata map holds the training settings as strings; the key
//! `sizes` (e.g. `"64,128,64,10"`) is always written. Loading derives the sizes from the tensor
//! shapes (F16/BF16 are widened to f32) and checks that they chain.

use super::{Mlp, TrainError};
use crate::tensors;
use std::collections::{BTreeMap, HashMap};

/// Name of layer `l`'s weight tensor.
pub fn weight_name(l: usize) -> String {
    format!("layers.{l}.weight")
}

/// Name of layer `l`'s bias tensor.
pub fn bias_name(l: usize) -> String {
    format!("layers.{l}.bias")
}

/// Serializes `mlp` with `metadata` (plus `sizes`) to safetensors bytes.
pub fn save_safetensors(mlp: &Mlp, metadata: &BTreeMap<String, String>) -> Result<Vec<u8>, TrainError> {
    let mut meta: HashMap<String, String> = metadata.iter().map(|(k, v)| (k.clone(), v.clone())).collect();
    meta.insert(
        "sizes".into(),
        mlp.sizes().iter().map(|s| s.to_string()).collect::<Vec<_>>().join(","),
    );
    let mut owned: Vec<(String, Vec<usize>, Vec<u8>)> = Vec::new();
    for l in 0..mlp.num_layers() {
        let (fin, fout) = (mlp.sizes()[l], mlp.sizes()[l + 1]);
        owned.push((weight_name(l), vec![fout, fin], le_bytes(mlp.weight(l))));
        owned.push((bias_name(l), vec![fout], le_bytes(mlp.bias(l))));
    }
    let views = owned
        .iter()
        .map(|(name, shape, bytes)| {
            safetensors::tensor::TensorView::new(safetensors::Dtype::F32, shape.clone(), bytes)
                .map(|v| (name.clone(), v))
                .map_err(|e| TrainError::Format(e.to_string()))
        })
        .collect::<Result<Vec<_>, _>>()?;
    safetensors::serialize(views, Some(meta)).map_err(|e| TrainError::Format(e.to_string()))
}

fn le_bytes(v: &[f32]) -> Vec<u8> {
    v.iter().flat_map(|x| x.to_le_bytes()).collect()
}

/// Loads an MLP saved by [`save_safetensors`] (or any file with the same tensor names), returning
/// it with the metadata map (empty if the file has none).
pub fn load_safetensors(bytes: &[u8]) -> Result<(Mlp, BTreeMap<String, String>), TrainError> {
    let (_, header) = safetensors::SafeTensors::read_metadata(bytes).map_err(|e| TrainError::Format(e.to_string()))?;
    let metadata: BTreeMap<String, String> = header
        .metadata()
        .as_ref()
        .map(|m| m.iter().map(|(k, v)| (k.clone(), v.clone())).collect())
        .unwrap_or_default();
    let all = tensors::read_safetensors(bytes).map_err(|e| TrainError::Format(e.to_string()))?;
    let find = |name: &str| all.iter().find(|t| t.name == name);
    let mut sizes = Vec::new();
    let mut params = Vec::new();
    let mut l = 0;
    while let Some(w) = find(&weight_name(l)) {
        let b = find(&bias_name(l)).ok_or_else(|| TrainError::Format(format!("{} is missing", bias_name(l))))?;
        let (wv, bv) = match (&w.data, &b.data) {
            (tensors::TensorData::Float(wv), tensors::TensorData::Float(bv)) => (wv, bv),
            _ => {
                return Err(TrainError::Format(format!(
                    "layer {l}: weights and bias must be float tensors"
                )))
            }
        };
        if w.shape.len() != 2 || b.shape != [w.shape[0]] {
            return Err(TrainError::Format(format!(
                "layer {l}: weight shape {:?} and bias shape {:?} (expected [out, in] and [out])",
                w.shape, b.shape
            )));
        }
        let (fout, fin) = (w.shape[0], w.shape[1]);
        if l == 0 {
            sizes.push(fin);
        } else if sizes[l] != fin {
            return Err(TrainError::Format(format!(
                "layer {l} takes {fin} inputs but layer {} gives {}",
                l - 1,
                sizes[l]
            )));
        }
        sizes.push(fout);
        params.extend_from_slice(wv);
        params.extend_from_slice(bv);
        l += 1;
    }
    if l == 0 {
        return Err(TrainError::Format(format!("no tensor named {}", weight_name(0))));
    }
    Ok((Mlp::from_params(sizes, params)?, metadata))
}

/// Why a model file cannot be loaded or exported to the integer model.
#[derive(Debug, thiserror::Error)]
pub enum ModelFileError {
    /// The file cannot be read.
    #[error("cannot read {path}: {source}")]
    Read { path: String, source: std::io::Error },
    /// Neither a safetensors MLP nor a container.
    #[error("{path} is neither a trained safetensors model nor a container: {source}")]
    NotAModel { path: String, source: TrainError },
    /// A container that does not parse.
    #[error("{path} is not a valid container: {source}")]
    Container {
        path: String,
        source: crate::container::ContainerError,
    },
    /// A container whose tensors do not decode.
    #[error("cannot decode container {path}: {source}")]
    Decode {
        path: String,
        source: crate::container::ContainerError,
    },
    /// A container whose tensors are not an MLP.
    #[error("container {path} is not an MLP: {source}")]
    NotAnMlp { path: String, source: TrainError },
    /// The calibration data set cannot be loaded.
    #[error("cannot load dataset {name}: {source}")]
    Dataset {
        name: &'static str,
        source: crate::data::DataError,
    },
    /// The model's input count is not the data set's feature count.
    #[error("the model takes {inputs} inputs, {dataset} has {features} features")]
    Inputs {
        inputs: usize,
        dataset: &'static str,
        features: usize,
    },
    /// The integer export failed.
    #[error("integer export: {0}")]
    Export(TrainError),
}

/// Reads a trained MLP from a safetensors file or a container (`backslash encode`), with the
/// container's weight step (the largest over its coded tensors) if it is one.
pub fn load_model_file(path: &std::path::Path) -> Result<(Mlp, Option<u32>), ModelFileError> {
    use crate::container::{Body, Container, MAGIC};
    let p = || path.display().to_string();
    let bytes = std::fs::read(path).map_err(|source| ModelFileError::Read { path: p(), source })?;
    // A container starts with its magic; anything else is read as safetensors, so each kind of
    // file gets its own reader's error.
    if !bytes.starts_with(MAGIC.as_slice()) {
        return load_safetensors(&bytes)
            .map(|(mlp, _)| (mlp, None))
            .map_err(|source| ModelFileError::NotAModel { path: p(), source });
    }
    let container = Container::from_bytes(&bytes).map_err(|source| ModelFileError::Container { path: p(), source })?;
    let step = container
        .entries
        .iter()
        .filter_map(|e| match &e.body {
            Body::Coded(c) => Some(c.step_bits),
            Body::Raw(_) => None,
        })
        .max();
    let tensors = container
        .entries
        .iter()
        .map(|e| e.decode())
        .collect::<Result<Vec<_>, _>>()
        .map_err(|source| ModelFileError::Decode { path: p(), source })?;
    let st = tensors::write_safetensors(&tensors).map_err(|e| ModelFileError::NotAnMlp {
        path: p(),
        source: TrainError::Format(e.to_string()),
    })?;
    let (mlp, _) = load_safetensors(&st).map_err(|source| ModelFileError::NotAnMlp { path: p(), source })?;
    Ok((mlp, step))
}

/// The integer model of a model file ([`load_model_file`]) exported with `dataset`'s training split
/// as calibration, at step 2^-`step_bits` (a container's own step wins). Also the data set and the
/// step used.
pub fn load_qmodel(
    path: &std::path::Path,
    dataset: crate::data::DatasetName,
    step_bits: u32,
) -> Result<(crate::infer::QModel, crate::data::Dataset, u32), ModelFileError> {
    let data = dataset.load(None).map_err(|source| ModelFileError::Dataset {
        name: dataset.as_str(),
        source,
    })?;
    let (mlp, step) = load_model_file(path)?;
    if mlp.inputs() != data.features {
        return Err(ModelFileError::Inputs {
            inputs: mlp.inputs(),
            dataset: dataset.as_str(),
            features: data.features,
        });
    }
    let step_bits = step.unwrap_or(step_bits);
    let model = super::export_qmodel(&mlp, &data.train, step_bits).map_err(ModelFileError::Export)?;
    Ok((model, data, step_bits))
}
