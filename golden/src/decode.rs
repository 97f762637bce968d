//! A BSZ container back to tensors (`backslash decode`, `inspect`, the Python package's `decode`):
//! every CRC, length and codeword checked ([`Container::records`], [`Record::check`],
//! [`crate::container::Entry::decode`]). Coded tensors become F32 holding the dequantized weights
//! q·2^-n exactly (whatever their source dtype: F16/BF16 could not hold every q·2^-n); raw tensors
//! keep their dtype and bytes.
//!
//! Memory: [`decode_to_file`] and [`verify`] hold one tensor at a time. They locate every record
//! first (descriptors only, payloads borrowed from the container's bytes), then decode the tensors
//! one by one, each on every core (its chunks in parallel), writing each as soon as it is decoded
//! and telling [`Progress::done_reading`] its payload's byte range (the CLI releases those mapped
//! pages). So the peak is about twice the largest decoded tensor (its indices, then its values)
//! plus its payload, whatever the model's size (docs/robustness.md, "Models larger than memory").
//! [`decode_container`] and [`decode_to_safetensors`] build the result in memory.

use crate::container::{decode_f32_le, Body, Container, ContainerError, Record};
use crate::encode::Progress;
use crate::tensors::{checked_numel, DType, Tensor, TensorsError};
use rayon::prelude::*;
use std::borrow::Cow;
use std::path::Path;
use std::sync::Mutex;

/// Errors of the decoders. The messages are the CLI's (one line with their sources, joined by
/// ": ").
#[derive(Debug, thiserror::Error)]
pub enum DecodeError {
    /// The container does not parse (magic, version, a length, a CRC).
    #[error("cannot read {name}")]
    Read {
        /// The container's name, as given by the caller (the CLI gives its path).
        name: String,
        /// Why.
        #[source]
        source: ContainerError,
    },
    /// A coded tensor does not decode (a codeword, an index, the padding).
    #[error("cannot decode {name}")]
    Decode {
        /// The container's name.
        name: String,
        /// Why.
        #[source]
        source: ContainerError,
    },
    /// The decoded tensors do not form a safetensors file, or it cannot be written.
    #[error("cannot build the safetensors output")]
    Write(#[source] TensorsError),
}

fn read_error(name: &str) -> impl Fn(ContainerError) -> DecodeError + '_ {
    move |source| DecodeError::Read {
        name: name.to_string(),
        source,
    }
}

/// Parses the container `bytes` (named `name` in errors) and decodes all its tensors in parallel,
/// holding them all. `progress` is started with the tensor count and ticked per tensor decoded.
pub fn decode_container(
    bytes: &[u8],
    name: &str,
    progress: &dyn Progress,
) -> Result<(Container, Vec<Tensor>), DecodeError> {
    let c = Container::from_bytes(bytes).map_err(read_error(name))?;
    progress.start(c.entries.len() as u64);
    let tensors = c
        .entries
        .par_iter()
        .map(|e| {
            let t = e.decode().map_err(|source| DecodeError::Decode {
                name: name.to_string(),
                source,
            })?;
            progress.tick();
            Ok(t)
        })
        .collect::<Result<Vec<_>, DecodeError>>()?;
    progress.finish();
    Ok((c, tensors))
}

/// One record's tensor data as a safetensors file holds it, its payload checked against its CRC:
/// a raw payload borrowed as it is, a coded one decoded to little-endian F32.
fn tensor_bytes<'a>(rec: &Record<'a>, name: &str) -> Result<Cow<'a, [u8]>, DecodeError> {
    if rec.coded().is_none() {
        rec.check().map_err(read_error(name))?;
        return Ok(Cow::Borrowed(rec.payload()));
    }
    let entry = rec.entry().map_err(read_error(name))?;
    let Body::Coded(c) = &entry.body else {
        unreachable!("a record with a coded header gives a coded entry")
    };
    let bytes = decode_f32_le(&entry.name, c).map_err(|source| DecodeError::Decode {
        name: name.to_string(),
        source,
    })?;
    Ok(Cow::Owned(bytes))
}

/// A record as a safetensors view whose data is decoded when the writer asks for it (in the
/// writer's order, one at a time). The first error is kept in `failed`; after it, every view gives
/// no data and the caller discards the output.
struct LazyView<'r, 'a> {
    rec: &'r Record<'a>,
    name: &'r str,
    failed: &'r Mutex<Option<DecodeError>>,
    progress: &'r dyn Progress,
}

impl safetensors::View for LazyView<'_, '_> {
    fn dtype(&self) -> safetensors::Dtype {
        match self.rec.coded() {
            Some(_) => DType::F32.to_safetensors(),
            None => self.rec.dtype().to_safetensors(),
        }
    }

    fn shape(&self) -> &[usize] {
        self.rec.shape()
    }

    fn data(&self) -> Cow<'_, [u8]> {
        let mut failed = self.failed.lock().expect("no panic while holding the lock");
        if failed.is_some() {
            return Cow::Borrowed(&[]);
        }
        match tensor_bytes(self.rec, self.name) {
            Ok(b) => {
                self.progress.done_reading(self.rec.payload_range());
                self.progress.tick();
                b
            }
            Err(e) => {
                *failed = Some(e);
                Cow::Borrowed(&[])
            }
        }
    }

    fn data_len(&self) -> usize {
        // The descriptor's shape is checked (at most 2^40 elements) when the record is located.
        let n = checked_numel(self.rec.shape()).expect("checked shape") as usize;
        n * match self.rec.coded() {
            Some(_) => 4,
            None => self.rec.dtype().size(),
        }
    }
}

/// Locates the records of `bytes` and runs `write` over their lazy views, then returns the first
/// decoding error, if any, or the record count.
fn write_lazily(
    bytes: &[u8],
    name: &str,
    progress: &dyn Progress,
    write: impl FnOnce(Vec<(&str, LazyView<'_, '_>)>) -> Result<(), safetensors::SafeTensorError>,
) -> Result<usize, DecodeError> {
    let records = Container::records(bytes).map_err(read_error(name))?;
    progress.start(records.len() as u64);
    let failed = Mutex::new(None);
    let views = records
        .iter()
        .map(|rec| {
            (
                rec.name(),
                LazyView {
                    rec,
                    name,
                    failed: &failed,
                    progress,
                },
            )
        })
        .collect();
    let written = write(views);
    if let Some(e) = failed.into_inner().expect("no panic while holding the lock") {
        return Err(e);
    }
    written.map_err(|e| DecodeError::Write(e.into()))?;
    progress.finish();
    Ok(records.len())
}

/// Decodes the container `bytes` (named `name` in errors) into a safetensors file written at
/// `path`, one tensor at a time (see the module documentation), and returns the tensor count. On
/// an error the file at `path` is incomplete: the caller writes to a temporary path and discards
/// it. The bytes are those of [`decode_to_safetensors`].
pub fn decode_to_file(bytes: &[u8], name: &str, path: &Path, progress: &dyn Progress) -> Result<usize, DecodeError> {
    write_lazily(bytes, name, progress, |views| {
        safetensors::serialize_to_file(views, None, path)
    })
}

/// The tensors of the container `bytes` as a safetensors file in memory (the order of
/// [`crate::tensors::write_safetensors`]), and their count.
pub fn decode_to_safetensors(
    bytes: &[u8],
    name: &str,
    progress: &dyn Progress,
) -> Result<(Vec<u8>, usize), DecodeError> {
    let mut out = Vec::new();
    let n = write_lazily(bytes, name, progress, |views| {
        out = safetensors::serialize(views, None)?;
        Ok(())
    })?;
    Ok((out, n))
}

/// Checks the whole container `bytes` without keeping its tensors (`backslash inspect`): every
/// CRC, and every coded payload decoded, one tensor at a time. Returns the records.
pub fn verify<'a>(bytes: &'a [u8], name: &str, progress: &dyn Progress) -> Result<Vec<Record<'a>>, DecodeError> {
    let records = Container::records(bytes).map_err(read_error(name))?;
    progress.start(records.len() as u64);
    for rec in &records {
        drop(tensor_bytes(rec, name)?);
        progress.done_reading(rec.payload_range());
        progress.tick();
    }
    progress.finish();
    Ok(records)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::container::{encode_tensor, Container, KChoice};
    use crate::tensors::{read_tensor, write_safetensors, TensorData};

    #[test]
    fn decodes_what_was_encoded_and_names_the_file_in_errors() {
        let w: Vec<f32> = (0..300).map(|i| ((i % 17) as f32 - 8.0) / 64.0).collect();
        let t = Tensor::f32("w", vec![20, 15], w.clone());
        let c = Container {
            entries: vec![encode_tensor(&t, 8, KChoice::Auto).unwrap()],
        };
        let bytes = c.to_bytes().unwrap();
        let (st, n) = decode_to_safetensors(&bytes, "m.bsz", &()).unwrap();
        assert_eq!(n, 1);
        let back = read_tensor(&st, "w").unwrap();
        assert_eq!(back.shape, vec![20, 15]);
        assert!(matches!(&back.data, TensorData::Float(v) if *v == w));

        let mut bad = bytes.clone();
        bad[4] ^= 0x40; // the version field: caught by the header CRC
        let e = decode_container(&bad, "m.bsz", &()).unwrap_err();
        assert!(matches!(e, DecodeError::Read { .. }), "{e:?}");
        assert_eq!(e.to_string(), "cannot read m.bsz");
    }

    /// A container of several records: a chunked coded tensor, a small one, a scalar, an empty
    /// tensor and, last, raw bytes.
    fn mixed() -> Vec<u8> {
        let big: Vec<f32> = (0..40_000).map(|i| ((i * 7919 % 61) as f32 - 30.0) / 256.0).collect();
        let tensors = [
            Tensor::f32("z.big", vec![200, 200], big),
            Tensor::f32("a.small", vec![3, 5], (0..15).map(|i| i as f32 / 8.0).collect()),
            Tensor::f32("scalar", vec![], vec![0.5]),
            Tensor::f32("empty", vec![0, 4], vec![]),
            Tensor {
                name: "ids".into(),
                dtype: DType::I64,
                shape: vec![2],
                data: TensorData::Raw((0..16).collect()),
            },
        ];
        let entries = tensors
            .iter()
            .map(|t| encode_tensor(t, 8, KChoice::Auto).unwrap())
            .collect();
        Container { entries }.to_bytes().unwrap()
    }

    #[test]
    fn one_tensor_at_a_time_gives_the_bytes_of_the_whole_model() {
        let bytes = mixed();
        let (_, tensors) = decode_container(&bytes, "m.bsz", &()).unwrap();
        let whole = write_safetensors(&tensors).unwrap();
        let (in_memory, n) = decode_to_safetensors(&bytes, "m.bsz", &()).unwrap();
        assert_eq!(n, 5);
        assert!(in_memory == whole);
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("out.safetensors");
        assert_eq!(decode_to_file(&bytes, "m.bsz", &path, &()).unwrap(), 5);
        assert!(std::fs::read(&path).unwrap() == whole);
        assert_eq!(verify(&bytes, "m.bsz", &()).unwrap().len(), 5);
    }

    #[test]
    fn a_bad_payload_in_the_last_record_is_found_by_every_reader() {
        let mut bytes = mixed();
        let at = Container::records(&bytes).unwrap()[4].payload_range().start + 3;
        bytes[at] ^= 0x01;
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("out.safetensors");
        for e in [
            decode_to_file(&bytes, "m.bsz", &path, &()).unwrap_err(),
            decode_to_safetensors(&bytes, "m.bsz", &()).unwrap_err(),
            verify(&bytes, "m.bsz", &()).unwrap_err(),
            decode_container(&bytes, "m.bsz", &()).unwrap_err(),
        ] {
            let DecodeError::Read { source, .. } = &e else {
                panic!("{e:?}")
            };
            assert!(source.to_string().contains("payload of tensor `ids`"), "{source}");
        }
    }
}
