//! Tokenization with the model's own `tokenizer.json` (the `tokenizers` crate), and batching.

use crate::model::Batch;
use burn::tensor::Device;
use std::path::Path;
use tokenizers::{Tokenizer, TruncationParams};

/// A tokenizer that truncates to `max_len` tokens (`[CLS]` and `[SEP]` included) and does not pad.
pub struct Tok {
    inner: Tokenizer,
    /// The id used for padding (`[PAD]`).
    pub pad_id: u32,
}

impl Tok {
    /// Reads `tokenizer.json`; a missing or malformed file is an error naming it.
    pub fn load(path: &Path, max_len: usize) -> Result<Tok, String> {
        let mut inner = Tokenizer::from_file(path).map_err(|e| format!("{}: {e}", path.display()))?;
        inner.with_padding(None);
        inner
            .with_truncation(Some(TruncationParams {
                max_length: max_len,
                ..Default::default()
            }))
            .map_err(|e| format!("{}: {e}", path.display()))?;
        let pad_id = inner.token_to_id("[PAD]").unwrap_or(0);
        Ok(Tok { inner, pad_id })
    }

    /// The token ids of each text.
    pub fn encode_all(&self, texts: &[&str]) -> Result<Vec<Vec<u32>>, String> {
        let enc = self
            .inner
            .encode_batch(texts.to_vec(), true)
            .map_err(|e| format!("tokenizer: {e}"))?;
        Ok(enc.into_iter().map(|e| e.get_ids().to_vec()).collect())
    }
}

/// A batch of the sequences `rows` (padded to the longest) with their labels.
pub fn batch(seqs: &[&[u32]], labels: &[u32], pad_id: u32, device: &Device) -> Batch {
    let l = seqs.iter().map(|s| s.len()).max().unwrap_or(1).max(1);
    let ids: Vec<Vec<u32>> = seqs
        .iter()
        .map(|s| {
            let mut v = s.to_vec();
            v.resize(l, pad_id);
            v
        })
        .collect();
    let pad: Vec<Vec<bool>> = seqs.iter().map(|s| (0..l).map(|i| i >= s.len()).collect()).collect();
    Batch::new(&ids, &pad, labels, device)
}
