//! `backslash inspect`: describe a BSZ container (header and version, tensors, the code of each:
//! `eg(k)`, `fixed(w)`, `huffman` or `raw`, sizes, checksums). The
//! container is fully verified first (CRCs, lengths, and every payload decoded, one tensor at a
//! time: `golden::decode::verify`), so `inspect` doubles as an integrity check.

use anyhow::Context;
use golden::container::{read_header, Record};
use serde::Serialize;
use std::path::PathBuf;

/// Arguments of `backslash inspect`.
#[derive(clap::Args)]
pub struct Args {
    /// The container (.bsz).
    pub input: PathBuf,
    /// Print JSON instead of a table.
    #[arg(long)]
    pub json: bool,
}

/// One tensor record, as printed.
#[derive(Serialize)]
pub struct RecordInfo {
    pub name: String,
    pub dtype: String,
    pub shape: Vec<usize>,
    /// `coded` or `raw`.
    pub storage: &'static str,
    pub step_bits: Option<u32>,
    /// The code: `eg(3)`, `fixed(5)`, `huffman`, or `raw` for a raw tensor.
    pub code: String,
    /// Bytes of the code's table in the descriptor (the Huffman code lengths; 0 otherwise).
    pub code_table_bytes: u64,
    pub value_map_len: Option<usize>,
    pub count: u64,
    pub payload_bytes: u64,
    pub payload_bits: u64,
    pub bits_per_weight: Option<f64>,
    pub record_bytes: u64,
    pub payload_crc32: String,
}

/// The whole description.
#[derive(Serialize)]
pub struct Info {
    pub file: String,
    pub format: &'static str,
    pub version: u16,
    pub file_bytes: u64,
    pub tensors: usize,
    pub coded_weights: u64,
    pub coded_payload_bits: u64,
    /// Payload bits of coded tensors over their weight count.
    pub bits_per_weight: Option<f64>,
    /// All checks passed (always true when printed: a failed check is an error).
    pub verified: bool,
    pub records: Vec<RecordInfo>,
}

fn info(records: &[Record<'_>], version: u16, file: String, file_bytes: u64) -> Info {
    let (mut weights, mut bits) = (0u64, 0u64);
    let records: Vec<RecordInfo> = records
        .iter()
        .map(|r| {
            let payload_bytes = r.payload().len() as u64;
            let common = RecordInfo {
                name: r.name().to_string(),
                dtype: r.dtype().to_string(),
                shape: r.shape().to_vec(),
                storage: "raw",
                step_bits: None,
                code: "raw".into(),
                code_table_bytes: 0,
                value_map_len: None,
                count: r.shape().iter().product::<usize>() as u64,
                payload_bytes,
                payload_bits: payload_bytes * 8,
                bits_per_weight: None,
                record_bytes: r.record_len(),
                payload_crc32: format!("{:08x}", r.payload_crc32()),
            };
            match r.coded() {
                None => common,
                Some(cd) => {
                    weights += cd.count;
                    bits += cd.payload_bits;
                    RecordInfo {
                        storage: "coded",
                        step_bits: Some(cd.step_bits),
                        code: cd.code.name(),
                        code_table_bytes: cd.code.table_bytes(),
                        value_map_len: Some(cd.map.len()),
                        count: cd.count,
                        payload_bits: cd.payload_bits,
                        bits_per_weight: (cd.count > 0).then(|| cd.payload_bits as f64 / cd.count as f64),
                        ..common
                    }
                }
            }
        })
        .collect();
    Info {
        file,
        format: "BSZ (BackSlash zipped)",
        version,
        file_bytes,
        tensors: records.len(),
        coded_weights: weights,
        coded_payload_bits: bits,
        bits_per_weight: (weights > 0).then(|| bits as f64 / weights as f64),
        verified: true,
        records,
    }
}

pub fn run(args: Args) -> anyhow::Result<()> {
    let map = super::encode::map_file(&args.input)?;
    let name = args.input.display().to_string();
    let mut progress = super::encode::MapProgress::new(&map, "verify");
    if args.json {
        progress = progress.hidden();
    }
    let records = golden::decode::verify(&map, &name, &progress)?;
    // The header has been checked by `verify`.
    let version = read_header(&map)
        .with_context(|| format!("cannot read {name}"))?
        .version;
    let i = info(&records, version, name, map.len() as u64);
    if args.json {
        println!("{}", serde_json::to_string_pretty(&i)?);
        return Ok(());
    }
    println!(
        "{}: {} version {}, {} bytes, {} tensors, {} coded weights, {} bits/weight in payloads; all CRCs and payloads verified",
        i.file,
        i.format,
        i.version,
        i.file_bytes,
        i.tensors,
        i.coded_weights,
        i.bits_per_weight.map_or("-".into(), |b| format!("{b:.3}"))
    );
    let w = i.records.iter().map(|r| r.name.len()).max().unwrap_or(4).max(4);
    println!(
        "{:<w$} {:>5} {:>16} {:>5} {:>4} {:>9} {:>7} {:>10} {:>10} {:>7} {:>8}",
        "name", "dtype", "shape", "store", "step", "code", "map", "count", "payload B", "bits/w", "crc32"
    );
    for r in &i.records {
        println!(
            "{:<w$} {:>5} {:>16} {:>5} {:>4} {:>9} {:>7} {:>10} {:>10} {:>7} {:>8}",
            r.name,
            r.dtype,
            format!("{:?}", r.shape),
            r.storage,
            r.step_bits.map_or("-".into(), |s| s.to_string()),
            r.code,
            r.value_map_len.map_or("-".into(), |m| m.to_string()),
            r.count,
            r.payload_bytes,
            r.bits_per_weight.map_or("-".into(), |b| format!("{b:.3}")),
            r.payload_crc32
        );
    }
    Ok(())
}
