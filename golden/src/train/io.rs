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
