//! Datasets for training and calibration, all offline.
//!
//! - [`digits`]: the 1797 8x8 handwritten digits (UCI "Optical Recognition of Handwritten Digits",
//!   test part, as shipped by scikit-learn), embedded in the crate from `golden/data/digits.csv.gz`
//!   (licence in `golden/data/LICENSE-digits.txt`). Pixels 0..=16 are divided by 16, so inputs lie
//!   in `[0, 1]`. The split is fixed and independent of any random generator: sample `i` (in file
//!   order) is a test sample when `i % 5 == 4`, giving 1438 training and 359 test samples.
//! - [`fashion_mnist`]: Fashion-MNIST from the IDX files of the Debian package
//!   `dataset-fashion-mnist` (installed by `make setup`), read by the small reader in [`idx`].
//!   Pixels 0..=255 are divided by 255. The official 60000/10000 split, optionally truncated to the
//!   first `n` samples of each part.

pub mod idx;

use std::io::Read;
use std::path::{Path, PathBuf};
use thiserror::Error;

/// Where the Debian package `dataset-fashion-mnist` installs its files.
pub const FASHION_MNIST_DIR: &str = "/usr/share/datasets/fashion-mnist";

/// The digits CSV (gzip), 1797 lines of 64 pixels and a label.
const DIGITS_CSV_GZ: &[u8] = include_bytes!("../../data/digits.csv.gz");

/// Errors while loading a dataset.
#[derive(Debug, Error)]
pub enum DataError {
    /// A dataset file is missing.
    #[error("{path} not found: install Fashion-MNIST with `make setup` (Debian package dataset-fashion-mnist)")]
    Missing { path: PathBuf },
    /// A file could not be read or decompressed.
    #[error("cannot read {what}: {source}")]
    Io { what: String, source: std::io::Error },
    /// The IDX content is malformed.
    #[error("{what}: {problem}")]
    Idx { what: String, problem: idx::IdxError },
    /// The CSV content is malformed.
    #[error("digits.csv line {line}: {problem}")]
    Csv { line: usize, problem: String },
    /// Images and labels disagree.
    #[error("{what}: {problem}")]
    Inconsistent { what: String, problem: String },
    /// Unknown dataset name.
    #[error("unknown dataset `{0}` (expected digits or fashion-mnist)")]
    UnknownName(String),
}

/// One part (train or test) of a dataset: `len` samples of `features` floats, row-major.
#[derive(Debug, Clone, PartialEq)]
pub struct Split {
    /// Inputs, `len * features` values, sample after sample.
    pub x: Vec<f32>,
    /// Class labels, one per sample, each `< classes`.
    pub y: Vec<u8>,
}

impl Split {
    /// Number of samples.
    pub fn len(&self) -> usize {
        self.y.len()
    }

    /// True when there are no samples.
    pub fn is_empty(&self) -> bool {
        self.y.is_empty()
    }

    /// Inputs of sample `i`.
    pub fn sample(&self, i: usize, features: usize) -> &[f32] {
        &self.x[i * features..(i + 1) * features]
    }

    /// The first `n` samples (all if `n >= len`).
    pub fn truncated(&self, n: usize, features: usize) -> Split {
        let n = n.min(self.len());
        Split {
            x: self.x[..n * features].to_vec(),
            y: self.y[..n].to_vec(),
        }
    }
}

/// A classification dataset with a fixed train/test split.
#[derive(Debug, Clone, PartialEq)]
pub struct Dataset {
    /// Name as accepted by [`DatasetName::parse`].
    pub name: String,
    /// Inputs per sample.
    pub features: usize,
    /// Number of classes.
    pub classes: usize,
    /// Training samples (also the calibration set of the integer export).
    pub train: Split,
    /// Test samples.
    pub test: Split,
}

/// The datasets the trainer knows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DatasetName {
    /// The embedded 8x8 digits.
    Digits,
    /// Fashion-MNIST from [`FASHION_MNIST_DIR`].
    FashionMnist,
}

impl DatasetName {
    /// Parses `digits` or `fashion-mnist`.
    pub fn parse(s: &str) -> Result<DatasetName, DataError> {
        match s {
            "digits" => Ok(DatasetName::Digits),
            "fashion-mnist" | "fashion_mnist" | "fashionmnist" => Ok(DatasetName::FashionMnist),
            _ => Err(DataError::UnknownName(s.to_string())),
        }
    }

    /// The canonical name.
    pub fn as_str(self) -> &'static str {
        match self {
            DatasetName::Digits => "digits",
            DatasetName::FashionMnist => "fashion-mnist",
        }
    }

    /// Loads the dataset; for Fashion-MNIST from [`FASHION_MNIST_DIR`], each part truncated to
    /// `limit` samples when given (digits ignores `limit`).
    pub fn load(self, limit: Option<(usize, usize)>) -> Result<Dataset, DataError> {
        match self {
            DatasetName::Digits => digits(),
            DatasetName::FashionMnist => {
                let d = fashion_mnist(Path::new(FASHION_MNIST_DIR))?;
                Ok(match limit {
                    Some((tr, te)) => Dataset {
                        train: d.train.truncated(tr, d.features),
                        test: d.test.truncated(te, d.features),
                        ..d
                    },
                    None => d,
                })
            }
        }
    }
}

/// The embedded digits dataset (see the module documentation for the split and scaling).
pub fn digits() -> Result<Dataset, DataError> {
    let mut text = String::new();
    flate2::read::GzDecoder::new(DIGITS_CSV_GZ)
        .read_to_string(&mut text)
        .map_err(|source| DataError::Io {
            what: "embedded digits.csv.gz".into(),
            source,
        })?;
    parse_digits_csv(&text)
}

/// Parses the digits CSV: each line 64 integer pixels in 0..=16 and a label in 0..=9.
pub fn parse_digits_csv(text: &str) -> Result<Dataset, DataError> {
    const FEATURES: usize = 64;
    let mut train = Split {
        x: Vec::new(),
        y: Vec::new(),
    };
    let mut test = Split {
        x: Vec::new(),
        y: Vec::new(),
    };
    let mut row = Vec::with_capacity(FEATURES);
    for (i, line) in text.lines().filter(|l| !l.trim().is_empty()).enumerate() {
        row.clear();
        let mut label = None;
        for (j, field) in line.split(',').enumerate() {
            let v: f32 = field.trim().parse().map_err(|_| DataError::Csv {
                line: i + 1,
                problem: format!("field {} `{field}` is not a number", j + 1),
            })?;
            if j < FEATURES {
                if !(0.0..=16.0).contains(&v) {
                    return Err(DataError::Csv {
                        line: i + 1,
                        problem: format!("pixel {v} outside 0..=16"),
                    });
                }
                row.push(v / 16.0);
            } else if j == FEATURES {
                if !(0.0..=9.0).contains(&v) || v.fract() != 0.0 {
                    return Err(DataError::Csv {
                        line: i + 1,
                        problem: format!("label {v} outside 0..=9"),
                    });
                }
                label = Some(v as u8);
            } else {
                return Err(DataError::Csv {
                    line: i + 1,
                    problem: "more than 65 fields".into(),
                });
            }
        }
        let label = label.ok_or_else(|| DataError::Csv {
            line: i + 1,
            problem: format!("{} fields, expected 65", row.len()),
        })?;
        let part = if i % 5 == 4 { &mut test } else { &mut train };
        part.x.extend_from_slice(&row);
        part.y.push(label);
    }
    if train.is_empty() || test.is_empty() {
        return Err(DataError::Csv {
            line: 0,
            problem: "too few samples".into(),
        });
    }
    Ok(Dataset {
        name: "digits".into(),
        features: FEATURES,
        classes: 10,
        train,
        test,
    })
}

/// Fashion-MNIST from the four IDX gz files in `dir` (`train-images-idx3-ubyte.gz`, ...).
pub fn fashion_mnist(dir: &Path) -> Result<Dataset, DataError> {
    let train = read_part(dir, "train")?;
    let test = read_part(dir, "t10k")?;
    Ok(Dataset {
        name: "fashion-mnist".into(),
        features: 28 * 28,
        classes: 10,
        train,
        test,
    })
}

fn read_part(dir: &Path, prefix: &str) -> Result<Split, DataError> {
    let images = read_idx_gz(&dir.join(format!("{prefix}-images-idx3-ubyte.gz")))?;
    let labels = read_idx_gz(&dir.join(format!("{prefix}-labels-idx1-ubyte.gz")))?;
    let what = format!("{}/{prefix}-*", dir.display());
    if images.dims.len() != 3 || labels.dims.len() != 1 || images.dims[0] != labels.dims[0] {
        return Err(DataError::Inconsistent {
            what,
            problem: format!(
                "image dims {:?} and label dims {:?} do not match",
                images.dims, labels.dims
            ),
        });
    }
    let features = images.dims[1] * images.dims[2];
    if features != 28 * 28 {
        return Err(DataError::Inconsistent {
            what,
            problem: format!("images are {:?}, expected 28x28", &images.dims[1..]),
        });
    }
    if let Some(&bad) = labels.data.iter().find(|&&l| l > 9) {
        return Err(DataError::Inconsistent {
            what,
            problem: format!("label {bad} outside 0..=9"),
        });
    }
    Ok(Split {
        x: images.data.iter().map(|&p| p as f32 / 255.0).collect(),
        y: labels.data,
    })
}

fn read_idx_gz(path: &Path) -> Result<idx::IdxArray, DataError> {
    let raw = std::fs::read(path).map_err(|source| {
        if source.kind() == std::io::ErrorKind::NotFound {
            DataError::Missing {
                path: path.to_path_buf(),
            }
        } else {
            DataError::Io {
                what: path.display().to_string(),
                source,
            }
        }
    })?;
    let mut bytes = Vec::new();
    flate2::read::GzDecoder::new(&raw[..])
        .read_to_end(&mut bytes)
        .map_err(|source| DataError::Io {
            what: path.display().to_string(),
            source,
        })?;
    idx::parse(&bytes).map_err(|problem| DataError::Idx {
        what: path.display().to_string(),
        problem,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn digits_has_the_documented_split() {
        let d = digits().unwrap();
        assert_eq!(d.train.len(), 1438);
        assert_eq!(d.test.len(), 359);
        assert_eq!(d.train.x.len(), 1438 * 64);
        assert!(d.train.x.iter().chain(&d.test.x).all(|&v| (0.0..=1.0).contains(&v)));
        // Every class is present in both parts with at least 5% of the samples.
        for part in [&d.train, &d.test] {
            let mut counts = [0usize; 10];
            part.y.iter().for_each(|&y| counts[y as usize] += 1);
            assert!(counts.iter().all(|&c| c * 20 > part.len()), "{counts:?}");
        }
        // First line of the file: a 0.
        assert_eq!(d.train.y[0], 0);
        assert_eq!(d.train.x[2], 5.0 / 16.0);
    }

    #[test]
    fn digits_csv_errors_name_the_line() {
        let bad = "1,2\n";
        assert!(matches!(parse_digits_csv(bad), Err(DataError::Csv { line: 1, .. })));
        let line = vec!["0"; 64].join(",") + ",12\n";
        assert!(matches!(parse_digits_csv(&line), Err(DataError::Csv { line: 1, .. })));
        let line = vec!["17"; 64].join(",") + ",1\n";
        assert!(format!("{}", parse_digits_csv(&line).unwrap_err()).contains("outside 0..=16"));
    }

    #[test]
    fn missing_fashion_dir_says_make_setup() {
        let err = fashion_mnist(Path::new("/nonexistent/fashion")).unwrap_err();
        assert!(err.to_string().contains("make setup"), "{err}");
    }

    #[test]
    fn dataset_names_parse() {
        assert_eq!(DatasetName::parse("digits").unwrap(), DatasetName::Digits);
        assert_eq!(DatasetName::parse("fashion-mnist").unwrap(), DatasetName::FashionMnist);
        assert!(DatasetName::parse("cifar").is_err());
    }
}
