//! `backslash._native`: the pyo3 layer of the Python package (docs/python.md). Every function is
//! a thin wrapper over the golden crate, the same code the `backslash` CLI runs, so a figure from
//! Python equals the CLI's on the same file. The Python-facing API (argument checks, dtype
//! conversion, overloads for paths and arrays) is backslash/__init__.py.
//!
//! Errors are raised as `backslash.BackslashError` with the Rust message and its sources joined
//! by ": ", as the CLI prints them. The GIL is released while Rust computes.

use golden::container::{encode_tensor, Body, CodeChoice, Container, KChoice};
use golden::decode::{decode_container, decode_to_file};
use golden::encode::{encode_safetensors_with, EncodeOptions, ExactFilter, Totals};
use golden::tensors::{write_safetensors, DType, Tensor, TensorData};
use golden::{quant, stats};
use numpy::{IntoPyArray, PyArrayDyn, PyArrayMethods, PyReadonlyArrayDyn, PyUntypedArrayMethods};
use pyo3::create_exception;
use pyo3::exceptions::PyException;
use pyo3::prelude::*;
use pyo3::types::{PyBytes, PyDict};
use std::io::Write;
use std::path::Path;

create_exception!(
    _native,
    BackslashError,
    PyException,
    "An error of the BackSlash codec, with the Rust message."
);

/// The error and its sources, joined by ": " (the CLI's one-line form).
fn message(e: &dyn std::error::Error) -> String {
    let mut m = e.to_string();
    let mut s = e.source();
    while let Some(e) = s {
        m.push_str(": ");
        m.push_str(&e.to_string());
        s = e.source();
    }
    m
}

fn err(e: impl std::error::Error) -> PyErr {
    BackslashError::new_err(message(&e))
}

fn fail(m: String) -> PyErr {
    BackslashError::new_err(m)
}

/// The code named `code` (`eg`, `fixed`, `huffman`, `auto`) with EG order `k` (None: the best).
fn code_choice(code: &str, k: Option<u32>) -> PyResult<CodeChoice> {
    let k = k.map_or(KChoice::Auto, KChoice::Fixed);
    CodeChoice::from_name(code, k)
        .ok_or_else(|| fail(format!("code {code:?} is not one of {}", CodeChoice::NAMES.join(", "))))
}

fn read(path: &str) -> PyResult<Vec<u8>> {
    std::fs::read(path).map_err(|e| fail(format!("cannot read {path}: {e}")))
}

/// Writes `dst` through a temporary file in its directory, renamed into place only when `fill`
/// succeeds: an error leaves no half-written file.
fn write_atomic<T>(
    dst: &str,
    fill: impl FnOnce(&mut std::io::BufWriter<&mut std::fs::File>) -> Result<T, String>,
) -> Result<T, String> {
    let path = Path::new(dst);
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => Path::new("."),
    };
    let mut tmp = tempfile::NamedTempFile::new_in(dir).map_err(|e| format!("cannot write {dst}: {e}"))?;
    let mut w = std::io::BufWriter::new(tmp.as_file_mut());
    let r = fill(&mut w)?;
    w.flush().map_err(|e| format!("cannot write {dst}: {e}"))?;
    drop(w);
    tmp.persist(path)
        .map_err(|e| format!("cannot write {dst}: {}", e.error))?;
    Ok(r)
}

fn totals_dict<'py>(py: Python<'py>, t: &Totals) -> PyResult<Bound<'py, PyDict>> {
    let d = PyDict::new(py);
    d.set_item("tensors", t.tensors)?;
    d.set_item("coded", t.coded)?;
    d.set_item("raw", t.raw)?;
    d.set_item("exact", t.exact)?;
    d.set_item("eg", t.eg)?;
    d.set_item("fixed", t.fixed)?;
    d.set_item("huffman", t.huffman)?;
    d.set_item("params", t.params)?;
    d.set_item("payload_bits", t.payload_bits)?;
    d.set_item("bytes", t.bytes)?;
    d.set_item(
        "bits_per_weight",
        (t.params > 0).then(|| t.payload_bits as f64 / t.params as f64),
    )?;
    Ok(d)
}

/// `backslash stats --json` of a safetensors file, as a JSON string.
#[pyfunction]
fn stats_file(py: Python<'_>, path: &str, step_bits: u32) -> PyResult<String> {
    let bytes = read(path)?;
    let r = py.detach(|| stats::compute(&bytes, path, step_bits)).map_err(err)?;
    serde_json::to_string(&r).map_err(err)
}

/// The statistics of named float32 arrays, as `stats_file` of the safetensors file holding them.
#[pyfunction]
fn stats_arrays(
    py: Python<'_>,
    arrays: Vec<(String, PyReadonlyArrayDyn<'_, f32>)>,
    step_bits: u32,
) -> PyResult<String> {
    let tensors = tensors_of(arrays)?;
    let r = py
        .detach(|| {
            let st = write_safetensors(&tensors).map_err(|e| message(&e))?;
            stats::compute(&st, "<arrays>", step_bits).map_err(|e| message(&e))
        })
        .map_err(fail)?;
    serde_json::to_string(&r).map_err(err)
}

/// The statistics row of one float32 array (`golden::stats::tensor_row`), as a JSON string.
#[pyfunction]
fn stats_array(py: Python<'_>, a: PyReadonlyArrayDyn<'_, f32>, step_bits: u32) -> PyResult<String> {
    let w = a.as_slice().map_err(err)?;
    let row = py.detach(|| stats::tensor_row("array", w, step_bits)).map_err(err)?;
    serde_json::to_string(&row).map_err(err)
}

/// `backslash encode SRC -o DST --step-bits S --code C [--k K] [--exact RE]`: the totals as a dict.
#[pyfunction]
#[pyo3(signature = (src, dst, step_bits, code, k=None, exact=None))]
fn encode_file<'py>(
    py: Python<'py>,
    src: &str,
    dst: &str,
    step_bits: u32,
    code: &str,
    k: Option<u32>,
    exact: Option<&str>,
) -> PyResult<Bound<'py, PyDict>> {
    let options = EncodeOptions {
        step_bits,
        code: code_choice(code, k)?,
        exact: exact.map(ExactFilter::new).transpose().map_err(err)?,
    };
    let bytes = read(src)?;
    let totals = py
        .detach(|| {
            write_atomic(dst, |w| {
                encode_safetensors_with(&bytes, src, &options, w, &()).map_err(|e| message(&e))
            })
        })
        .map_err(fail)?;
    totals_dict(py, &totals)
}

/// `backslash decode SRC -o DST`: the number of tensors and the bytes written. As the CLI, one
/// tensor at a time (`golden::decode::decode_to_file`) into a temporary file renamed at the end.
#[pyfunction]
fn decode_file(py: Python<'_>, src: &str, dst: &str) -> PyResult<(usize, usize)> {
    let bytes = read(src)?;
    py.detach(|| {
        let path = Path::new(dst);
        let dir = match path.parent() {
            Some(d) if !d.as_os_str().is_empty() => d,
            _ => Path::new("."),
        };
        let tmp = tempfile::NamedTempFile::new_in(dir).map_err(|e| format!("cannot write {dst}: {e}"))?;
        let n = decode_to_file(&bytes, src, tmp.path(), &()).map_err(|e| message(&e))?;
        let len = std::fs::metadata(tmp.path())
            .map_err(|e| format!("cannot write {dst}: {e}"))?
            .len() as usize;
        tmp.persist(path)
            .map_err(|e| format!("cannot write {dst}: {}", e.error))?;
        Ok((n, len))
    })
    .map_err(fail)
}

fn tensors_of(arrays: Vec<(String, PyReadonlyArrayDyn<'_, f32>)>) -> PyResult<Vec<Tensor>> {
    arrays
        .into_iter()
        .map(|(name, a)| {
            let w = a.as_slice().map_err(err)?.to_vec();
            Ok(Tensor::f32(&name, a.shape().to_vec(), w))
        })
        .collect()
}

/// A BSZ container of named float32 arrays (each quantized, value-mapped and coded as `encode`
/// codes a file's float tensors), as bytes.
#[pyfunction]
#[pyo3(signature = (arrays, step_bits, code, k=None))]
fn encode_arrays<'py>(
    py: Python<'py>,
    arrays: Vec<(String, PyReadonlyArrayDyn<'_, f32>)>,
    step_bits: u32,
    code: &str,
    k: Option<u32>,
) -> PyResult<Bound<'py, PyBytes>> {
    let code = code_choice(code, k)?;
    let tensors = tensors_of(arrays)?;
    let bytes = py
        .detach(|| {
            let entries = tensors
                .iter()
                .map(|t| encode_tensor(t, step_bits, code))
                .collect::<Result<Vec<_>, _>>()
                .map_err(|e| message(&e))?;
            Container { entries }.to_bytes().map_err(|e| message(&e))
        })
        .map_err(fail)?;
    Ok(PyBytes::new(py, &bytes))
}

/// The tensors of a BSZ container (bytes): a list of (name, dtype name, shape, value), the value a
/// float32 array for coded tensors and the raw little-endian bytes for raw ones.
#[pyfunction]
fn decode_bytes<'py>(py: Python<'py>, data: &[u8]) -> PyResult<Vec<(String, String, Vec<usize>, Bound<'py, PyAny>)>> {
    let (_, tensors) = py.detach(|| decode_container(data, "<bytes>", &())).map_err(err)?;
    tensors
        .into_iter()
        .map(|t| {
            let dtype = match &t.data {
                TensorData::Float(_) => DType::F32.name().to_string(),
                TensorData::Raw(_) => t.dtype.name().to_string(),
            };
            let value = match t.data {
                TensorData::Float(v) => v.into_pyarray(py).reshape(t.shape.clone())?.into_any(),
                TensorData::Raw(b) => PyBytes::new(py, &b).into_any(),
            };
            Ok((t.name, dtype, t.shape, value))
        })
        .collect()
}

/// The code of each tensor of a BSZ container (bytes): (name, "raw" or the code's name).
#[pyfunction]
fn codes(data: &[u8]) -> PyResult<Vec<(String, String)>> {
    let c = Container::from_bytes(data).map_err(err)?;
    Ok(c.entries
        .into_iter()
        .map(|e| {
            let code = match &e.body {
                Body::Raw(_) => "raw".to_string(),
                Body::Coded(c) => c.code.name(),
            };
            (e.name, code)
        })
        .collect())
}

/// q = round(w · 2^step_bits), elementwise (`golden::quant`).
#[pyfunction]
fn quantize<'py>(
    py: Python<'py>,
    a: PyReadonlyArrayDyn<'py, f32>,
    step_bits: u32,
) -> PyResult<Bound<'py, PyArrayDyn<i32>>> {
    let w = a.as_slice().map_err(err)?;
    let q = py.detach(|| quant::quantize_slice(w, step_bits)).map_err(err)?;
    q.into_pyarray(py).reshape(a.shape().to_vec())
}

/// w = q · 2^-step_bits, elementwise.
#[pyfunction]
fn dequantize<'py>(
    py: Python<'py>,
    q: PyReadonlyArrayDyn<'py, i32>,
    step_bits: u32,
) -> PyResult<Bound<'py, PyArrayDyn<f32>>> {
    if step_bits > quant::MAX_STEP_BITS {
        return Err(fail(format!(
            "step_bits {step_bits} is not in 0..={}",
            quant::MAX_STEP_BITS
        )));
    }
    let v = q.as_slice().map_err(err)?;
    let w = py.detach(|| quant::dequantize_slice(v, step_bits));
    w.into_pyarray(py).reshape(q.shape().to_vec())
}

/// The value map of quantized values (index i stands for values[i], index 0 the most frequent),
/// the indices of `q` (same shape) and the count of each index.
#[pyfunction]
#[allow(clippy::type_complexity)]
fn value_map<'py>(
    py: Python<'py>,
    q: PyReadonlyArrayDyn<'py, i32>,
) -> PyResult<(Bound<'py, PyAny>, Bound<'py, PyArrayDyn<u32>>, Bound<'py, PyAny>)> {
    let v = q.as_slice().map_err(err)?;
    let (map, counts, idx) = py
        .detach(|| {
            let (map, counts) = golden::valuemap::ValueMap::from_quantized_with_counts(v);
            map.to_indices(v).map(|idx| (map, counts, idx))
        })
        .map_err(err)?;
    let values = map.values().to_vec().into_pyarray(py).into_any();
    let idx = idx.into_pyarray(py).reshape(q.shape().to_vec())?;
    Ok((values, idx, counts.into_pyarray(py).into_any()))
}

#[pymodule]
fn _native(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add("BackslashError", m.py().get_type::<BackslashError>())?;
    m.add("MAX_STEP_BITS", quant::MAX_STEP_BITS)?;
    m.add("MAX_K", golden::expgolomb::MAX_K)?;
    m.add("CONTAINER_VERSION", golden::container::VERSION)?;
    m.add_function(wrap_pyfunction!(stats_file, m)?)?;
    m.add_function(wrap_pyfunction!(stats_arrays, m)?)?;
    m.add_function(wrap_pyfunction!(stats_array, m)?)?;
    m.add_function(wrap_pyfunction!(encode_file, m)?)?;
    m.add_function(wrap_pyfunction!(decode_file, m)?)?;
    m.add_function(wrap_pyfunction!(encode_arrays, m)?)?;
    m.add_function(wrap_pyfunction!(decode_bytes, m)?)?;
    m.add_function(wrap_pyfunction!(codes, m)?)?;
    m.add_function(wrap_pyfunction!(quantize, m)?)?;
    m.add_function(wrap_pyfunction!(dequantize, m)?)?;
    m.add_function(wrap_pyfunction!(value_map, m)?)?;
    Ok(())
}
