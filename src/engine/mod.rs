//! The scoring engine: (text, party) pairs → stance and sentiment scores, through candle.
//!
//! Two ways to score, chosen by the model's config:
//! - **direct**: the model has `stance` and `sentiment` heads (stancer's own model);
//! - **zero-shot NLI**: any MNLI-style classifier; each pair becomes hypotheses built
//!   from [`Templates`], and each label's score is the softmax of the entailment logits.
//!
//! Pairs are tokenized, sorted by length, batched and padded to the longest in each batch;
//! a pair longer than the model's window keeps the window around the party mention and is
//! flagged `truncated`.

mod batching;
mod config;
pub mod input;
pub mod kernels;
mod load;
pub mod models;
pub mod source;

use std::collections::BTreeMap;

use candle_core::Device;
use rayon::prelude::*;
use serde::{Deserialize, Serialize};
use tokenizers::Tokenizer;

pub use config::{DeviceChoice, EngineConfig, Precision, Templates};
pub use load::default_model_dir;
pub use models::Head;
pub use source::{HubOptions, ModelFiles, ModelSource};

use crate::error::{Error, Result};
use batching::Encoded;
use input::InputFormat;

/// A (text, party) pair to score. Offsets in `target_spans` are char offsets into `text`.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct Pair {
    /// The text (a quote, a sentence, a tweet).
    pub text: String,
    /// The party the stance is about.
    pub target: String,
    /// Who holds the stance (the speaker), when known.
    #[serde(default)]
    pub holder: Option<String>,
    /// Where the party is mentioned in `text` (char offsets, end exclusive).
    #[serde(default)]
    pub target_spans: Vec<(usize, usize)>,
    /// Where the holder is mentioned in `text` (char offsets, end exclusive); looked up by
    /// name when empty.
    #[serde(default)]
    pub holder_spans: Vec<(usize, usize)>,
}

/// A label and the probability of every label.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LabelScores {
    /// The most probable label.
    pub label: String,
    /// Probability of every label (they sum to 1).
    pub scores: BTreeMap<String, f32>,
}

impl LabelScores {
    fn from_probs(labels: &[String], probs: &[f32]) -> Self {
        let best = probs
            .iter()
            .enumerate()
            .max_by(|a, b| a.1.total_cmp(b.1))
            .map(|(i, _)| i)
            .unwrap_or(0);
        LabelScores {
            label: labels[best].clone(),
            scores: labels.iter().cloned().zip(probs.iter().copied()).collect(),
        }
    }
    /// The probability of the chosen label.
    pub fn confidence(&self) -> f32 {
        self.scores.get(&self.label).copied().unwrap_or(0.0)
    }
}

/// Scores of one pair.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PairScores {
    /// Stance toward the target.
    pub stance: LabelScores,
    /// Sentiment toward the target.
    pub sentiment: LabelScores,
    /// The text was longer than the model's window; only the window around the party was read.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub truncated: bool,
}

/// What was loaded, for reports.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ModelInfo {
    /// Model name (from its config, else the path or Hub id).
    pub name: String,
    /// `architectures[0]` or `model_type` from config.json.
    pub architecture: String,
    /// "direct" or "zero-shot"
    pub mode: String,
    /// Hub commit the files came from.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub revision: Option<String>,
    /// sha256 of the weights file (first file for sharded models); local models only.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sha256: Option<String>,
    /// `int8` when the linear layers ran quantized (absent: f32, or no model ran).
    #[serde(default = "f32_precision", skip_serializing_if = "is_f32")]
    pub precision: Precision,
    /// With `int8` on the CPU: the kernel that ran (`amx`, `vnni`, `avxvnni`, `avx2`,
    /// `portable`), which decides the weights' width (7 bits on `avx2`, else 8).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub int8_kernel: Option<String>,
}

fn is_f32(p: &Precision) -> bool {
    *p == Precision::F32
}

/// What a report without `precision` ran at (`Precision`'s own default is `Auto`, a setting).
fn f32_precision() -> Precision {
    Precision::F32
}

enum Mode {
    Direct { stance: usize, sentiment: usize },
    ZeroShot { entail: usize },
}

/// A loaded model, ready to score. Build once, share freely (`Send + Sync`).
pub struct Engine {
    model: Box<dyn models::Classifier>,
    tokenizer: Tokenizer,
    device: Device,
    mode: Mode,
    heads: Vec<Head>,
    input: InputFormat,
    max_length: usize,
    batch_size: usize,
    pad_id: u32,
    templates: Templates,
    /// What was loaded, as reported in every report.
    pub info: ModelInfo,
}

impl Engine {
    /// The output heads and their labels, in logit order.
    pub fn heads(&self) -> &[Head] {
        &self.heads
    }

    /// The longest input in tokens; longer pairs are windowed.
    pub fn max_length(&self) -> usize {
        self.max_length
    }

    /// Raw logits for already-built (segment A, segment B) inputs, one row per input and head.
    /// Used by the parity tests against the reference framework.
    pub fn logits(&self, inputs: &[(String, String)]) -> Result<Vec<Vec<Vec<f32>>>> {
        let enc: Vec<Encoded> = inputs
            .iter()
            .enumerate()
            .map(|(i, (a, b))| self.encode(a, b, None, i, 0))
            .collect::<Result<_>>()?;
        self.run(&enc)
    }

    /// Token ids of one (segment A, segment B) input, as the model sees it.
    pub fn token_ids(&self, a: &str, b: &str) -> Result<Vec<u32>> {
        Ok(self.encode(a, b, None, 0, 0)?.ids)
    }

    /// The (segment A, segment B) the direct model reads for a pair, before windowing.
    pub fn model_input(&self, pair: &Pair) -> (String, String) {
        let (a, b, _) = self.input.segments(pair);
        (a, b)
    }

    /// Scores pairs. Order is kept; each pair's result is independent of its batch-mates.
    pub fn score(&self, pairs: &[Pair]) -> Result<Vec<PairScores>> {
        // Tokenized on all threads (the first bad pair in order is the error, as before).
        let encoded: Vec<Result<Vec<Encoded>>> = pairs
            .par_iter()
            .enumerate()
            .map(|(i, p)| self.encode_pair(i, p))
            .collect();
        let enc: Vec<Encoded> = encoded
            .into_iter()
            .collect::<Result<Vec<_>>>()?
            .into_iter()
            .flatten()
            .collect();
        let rows = self.run(&enc)?;
        let mut out: Vec<Option<PairScores>> = vec![None; pairs.len()];
        match self.mode {
            Mode::Direct { stance, sentiment } => {
                for (e, row) in enc.iter().zip(rows) {
                    out[e.pair] = Some(PairScores {
                        stance: LabelScores::from_probs(
                            &self.heads[stance].labels,
                            &self.heads[stance].probabilities(&row[stance]),
                        ),
                        sentiment: LabelScores::from_probs(
                            &self.heads[sentiment].labels,
                            &self.heads[sentiment].probabilities(&row[sentiment]),
                        ),
                        truncated: e.truncated,
                    });
                }
            }
            Mode::ZeroShot { entail } => {
                let ns = self.templates.stance.len();
                let mut ent: Vec<Vec<f32>> =
                    vec![vec![0.0; ns + self.templates.sentiment.len()]; pairs.len()];
                let mut trunc = vec![false; pairs.len()];
                for (e, row) in enc.iter().zip(rows) {
                    // entailment vs the other classes, as a logit, so hypotheses compare fairly
                    let p = softmax(&row[0]);
                    ent[e.pair][e.slot] = (p[entail].max(1e-9) / (1.0 - p[entail]).max(1e-9)).ln();
                    trunc[e.pair] |= e.truncated;
                }
                let sl: Vec<String> = self
                    .templates
                    .stance
                    .iter()
                    .map(|(l, _)| l.clone())
                    .collect();
                let tl: Vec<String> = self
                    .templates
                    .sentiment
                    .iter()
                    .map(|(l, _)| l.clone())
                    .collect();
                for (i, v) in ent.iter().enumerate() {
                    out[i] = Some(PairScores {
                        stance: LabelScores::from_probs(&sl, &softmax(&v[..ns])),
                        sentiment: LabelScores::from_probs(&tl, &softmax(&v[ns..])),
                        truncated: trunc[i],
                    });
                }
            }
        }
        let out: Vec<PairScores> = out
            .into_iter()
            .map(|o| o.expect("every pair was scored"))
            .collect();
        self.check_finite(&out)?;
        Ok(out)
    }

    /// A NaN or infinite probability means damaged weights or a config that breaks the
    /// arithmetic; it used to reach reports as `null`. It is the model's error, naming it, so
    /// a batch stops rather than filling a corpus with unreadable scores.
    fn check_finite(&self, out: &[PairScores]) -> Result<()> {
        let bad = out.iter().position(|s| {
            let finite = |l: &LabelScores| l.scores.values().all(|p| p.is_finite());
            !finite(&s.stance) || !finite(&s.sentiment)
        });
        match bad {
            None => Ok(()),
            Some(i) => Err(Error::Model {
                model: self.info.name.clone(),
                message: format!(
                    "pair {i} got a score that is not a number (NaN or infinite): the weights or \
                     config.json (temperatures, biases) are damaged"
                ),
            }),
        }
    }

    /// What the model reads for a pair: one (text, truncated) per model input (one for the
    /// direct model, one per hypothesis for zero-shot NLI), decoded from the token ids.
    pub fn model_view(&self, pair: &Pair) -> Result<Vec<(String, bool)>> {
        self.encode_pair(0, pair)?
            .into_iter()
            .map(|e| {
                Ok((
                    self.tokenizer
                        .decode(&e.ids, false)
                        .map_err(|x| Error::Tokenizer(x.to_string()))?,
                    e.truncated,
                ))
            })
            .collect()
    }
}

fn softmax(v: &[f32]) -> Vec<f32> {
    let m = v.iter().copied().fold(f32::NEG_INFINITY, f32::max);
    let e: Vec<f32> = v.iter().map(|x| (x - m).exp()).collect();
    let s: f32 = e.iter().sum();
    e.into_iter().map(|x| x / s).collect()
}

#[allow(dead_code)]
fn _assert_send_sync() {
    fn is<T: Send + Sync>() {}
    is::<Engine>();
}
