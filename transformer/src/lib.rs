//! BackSlash fine-tuning of a pretrained BERT (all-MiniLM-L6-v2) on the paper's text tasks.
//!
//! The network, its forward pass and backpropagation come from burn (`burn::nn`, the flex CPU
//! backend). Everything BackSlash adds is golden's, shared with the MLP trainer: the rate term
//! ([`golden::train::Regularizer`]: DGGR with ν re-estimated by moment matching before every batch,
//! Lp, L1, L2), the optimizer (Adam with the rate gradient applied decoupled from the adaptive
//! normalisation) and the cosine schedule, all over the flat parameter vector of [`params`].
//! The rate covers every 2-D tensor (weight matrices and embeddings); biases and LayerNorm are
//! trained without it.

/// The framework, re-exported for users of the model (`Module::valid`, devices).
pub use burn;

pub mod data;
pub mod finetune;
pub mod model;
pub mod params;
pub mod text;

pub use data::{Example, Task, TaskData};
pub use finetune::{finetune, FinetuneConfig, FinetuneError, FinetuneResult, Progress};
pub use model::{Bert, BertConfig, ModelError};

#[cfg(test)]
mod tests;
