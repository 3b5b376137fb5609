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

pub mod input;
pub mod kernels;
pub mod models;
pub mod source;

use std::collections::BTreeMap;
use std::path::Path;

use candle_core::{DType, Device, Tensor, D};
use candle_nn::VarBuilder;
use rayon::prelude::*;
use serde::{Deserialize, Serialize};
use tokenizers::{PaddingParams, Tokenizer};

pub use models::Head;
pub use source::{HubOptions, ModelFiles, ModelSource};

use crate::error::{Error, Result};
use input::{char_to_byte, find_mentions, InputFormat};

/// Which compute device to run on. CUDA and Metal need the `cuda` / `metal` cargo features.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum DeviceChoice {
    /// The CPU (default).
    #[default]
    Cpu,
    /// An NVIDIA GPU by ordinal (`--features cuda`).
    Cuda(usize),
    /// An Apple GPU by ordinal (`--features metal`).
    Metal(usize),
}

impl DeviceChoice {
    /// Parses `cpu`, `cuda[:N]` or `metal[:N]`.
    pub fn parse(s: &str) -> Option<Self> {
        let (kind, ord) = s
            .split_once(':')
            .map(|(k, o)| (k, o.parse().ok()))
            .unwrap_or((s, Some(0)));
        match (kind, ord?) {
            ("cpu", _) => Some(DeviceChoice::Cpu),
            ("cuda", i) => Some(DeviceChoice::Cuda(i)),
            ("metal", i) => Some(DeviceChoice::Metal(i)),
            _ => None,
        }
    }
    fn device(self) -> candle_core::Result<Device> {
        match self {
            DeviceChoice::Cpu => Ok(Device::Cpu),
            DeviceChoice::Cuda(i) => Device::new_cuda(i),
            DeviceChoice::Metal(i) => Device::new_metal(i),
        }
    }
}

/// Hypothesis templates for zero-shot NLI models; `{party}` is replaced by the party's name.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Templates {
    /// (label, template) for each stance label.
    pub stance: Vec<(String, String)>,
    /// (label, template) for each sentiment label.
    pub sentiment: Vec<(String, String)>,
}

impl Default for Templates {
    fn default() -> Self {
        let t = |l: &str, s: &str| (l.to_string(), s.to_string());
        Templates {
            stance: vec![
                t("favor", "The speaker supports {party}."),
                t("against", "The speaker opposes {party}."),
                t("neutral", "The speaker is neutral about {party}."),
            ],
            sentiment: vec![
                t("positive", "This text is positive about {party}."),
                t("negative", "This text is negative about {party}."),
                t("neutral", "This text is neutral about {party}."),
            ],
        }
    }
}

/// How the encoder's linear layers compute.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Precision {
    /// int8 where it is both faster and as good, else f32: BERT-family models on a CPU whose
    /// int8 kernel is AMX or AVX512-VNNI (there every `scripts/eval-stance` figure is within 0.5
    /// points of f32's and `stancer classify` runs 3× faster: README, Performance). On a GPU,
    /// for other architectures, and on CPUs with only AVX2 (where int8 is slower than f32), f32.
    /// Resolved when the model loads; reports give the precision that ran.
    #[default]
    Auto,
    /// f32 throughout: the reference (logits within 1e-4 of PyTorch's).
    F32,
    /// int8 weights (per output channel) and activations (per row), i32 accumulation
    /// (`kernels/qgemm/`); layer norm, softmax, GELU and attention stay f32. BERT-family models
    /// on the CPU.
    Int8,
}

impl Precision {
    /// `auto`, `f32` or `int8`.
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "auto" => Some(Precision::Auto),
            "f32" => Some(Precision::F32),
            "int8" => Some(Precision::Int8),
            _ => None,
        }
    }

    /// This precision for a BERT-family model: `Auto` is int8 on a CPU whose int8 kernel is AMX
    /// or AVX512-VNNI, else f32.
    pub fn for_bert(self, on_cpu: bool) -> Precision {
        use kernels::qgemm::Kernel;
        match self {
            Precision::Auto if on_cpu && matches!(Kernel::detect(), Kernel::Amx | Kernel::Vnni) => {
                Precision::Int8
            }
            Precision::Auto => Precision::F32,
            p => p,
        }
    }
}

/// Engine settings; `Default` gives CPU, `Precision::Auto`, batches of 32 and the model's own window.
#[derive(Debug, Clone)]
pub struct EngineConfig {
    /// How the linear layers compute.
    pub precision: Precision,
    /// Compute device.
    pub device: DeviceChoice,
    /// Inputs per forward pass.
    pub batch_size: usize,
    /// Upper bound on tokens per input; `None` uses the model's (stancer.max_length or 512).
    pub max_length: Option<usize>,
    /// Hypotheses for zero-shot NLI models.
    pub templates: Templates,
    /// Hugging Face Hub access (cache, offline mode).
    pub hub: HubOptions,
}

impl Default for EngineConfig {
    fn default() -> Self {
        EngineConfig {
            precision: Precision::default(),
            device: DeviceChoice::Cpu,
            batch_size: 32,
            max_length: None,
            templates: Templates::default(),
            hub: HubOptions::from_env(),
        }
    }
}

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

/// One encoded model input and where its scores go.
struct Encoded {
    ids: Vec<u32>,
    type_ids: Vec<u32>,
    pair: usize,
    slot: usize,
    truncated: bool,
}

impl Engine {
    /// Loads a model from a directory or the Hub.
    pub fn load(source: &ModelSource, cfg: &EngineConfig) -> Result<Self> {
        let files = source::resolve(source, &cfg.hub)?;
        Self::from_files(&source.display(), &files, cfg)
    }

    /// Loads a model from files already on disk.
    pub fn from_files(name: &str, files: &ModelFiles, cfg: &EngineConfig) -> Result<Self> {
        let merr = |message: String| Error::Model {
            model: name.to_string(),
            message,
        };
        let config_text = std::fs::read_to_string(&files.config).map_err(|source| Error::Io {
            path: files.config.clone(),
            source,
        })?;
        let config: serde_json::Value = serde_json::from_str(&config_text)
            .map_err(|e| merr(format!("{}: {e}", files.config.display())))?;
        let device = cfg.device.device().map_err(|e| {
            merr(format!(
                "device {:?} unavailable: {e} (build with --features cuda or metal)",
                cfg.device
            ))
        })?;
        let precision = models::precision_for(&config, &device, cfg.precision).map_err(merr)?;
        let local = files.revision.is_none();
        let (loaded, sha256) = load_weights(files, &config, local, &device, precision)
            .map_err(|e| merr(format!("reading weights: {e}")))?;
        let (model, heads) = loaded.map_err(|m| match m.strip_prefix("unsupported:") {
            Some(arch) => Error::UnsupportedArchitecture {
                model: name.to_string(),
                arch: arch.to_string(),
                supported: models::SUPPORTED.to_string(),
            },
            None => merr(m),
        })?;
        let mode = match heads
            .iter()
            .position(|h| h.name == "stance")
            .zip(heads.iter().position(|h| h.name == "sentiment"))
        {
            Some((stance, sentiment)) => Mode::Direct { stance, sentiment },
            None => {
                let labels = &heads[0].labels;
                let entail = labels.iter().position(|l| l.to_lowercase().starts_with("entail")).ok_or_else(|| {
                    merr(format!("the model has neither stance/sentiment heads nor an NLI 'entailment' label (labels: {labels:?}); it cannot score stance"))
                })?;
                Mode::ZeroShot { entail }
            }
        };
        let mut tokenizer = Tokenizer::from_file(&files.tokenizer)
            .map_err(|e| merr(format!("{}: {e}", files.tokenizer.display())))?;
        let model_max = config["stancer"]["max_length"]
            .as_u64()
            .or_else(|| config["max_position_embeddings"].as_u64())
            .unwrap_or(512) as usize;
        // RoBERTa reserves two positions for its padding offset.
        let model_max = if config["model_type"]
            .as_str()
            .is_some_and(|t| t.contains("roberta"))
        {
            model_max.saturating_sub(2)
        } else {
            model_max
        }
        .min(512);
        let max_length = cfg.max_length.unwrap_or(model_max).min(model_max).max(16);
        let pad_id = tokenizer
            .get_padding()
            .map(|p| p.pad_id)
            .or_else(|| config["pad_token_id"].as_u64().map(|v| v as u32))
            .unwrap_or(0);
        // Tokenizer files often fix padding to 128 and truncate silently: we pad per batch and truncate explicitly.
        tokenizer.with_padding(None::<PaddingParams>);
        tokenizer
            .with_truncation(None)
            .map_err(|e| merr(format!("tokenizer truncation: {e}")))?;
        let input = InputFormat::from_config(&config);
        let (mt, arch) = models::architecture(&config);
        let info = ModelInfo {
            name: config["stancer"]["name"]
                .as_str()
                .map(str::to_string)
                .unwrap_or_else(|| name.to_string()),
            architecture: if arch.is_empty() { mt } else { arch },
            mode: match mode {
                Mode::Direct { .. } => "direct".into(),
                Mode::ZeroShot { .. } => "zero-shot".into(),
            },
            revision: files.revision.clone(),
            sha256,
            precision,
        };
        Ok(Engine {
            model,
            tokenizer,
            device,
            mode,
            heads,
            input,
            max_length,
            batch_size: cfg.batch_size.max(1),
            pad_id,
            templates: cfg.templates.clone(),
            info,
        })
    }

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
        Ok(out
            .into_iter()
            .map(|o| o.expect("every pair was scored"))
            .collect())
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

    fn encode_pair(&self, i: usize, p: &Pair) -> Result<Vec<Encoded>> {
        if p.text.trim().is_empty() {
            return Err(Error::BadPair {
                index: i,
                message: "empty text".into(),
            });
        }
        if p.target.trim().is_empty() {
            return Err(Error::BadPair {
                index: i,
                message: "empty target".into(),
            });
        }
        match self.mode {
            Mode::Direct { .. } => {
                let (a, b, focus) = self.input.segments(p);
                Ok(vec![self.encode(&a, &b, focus, i, 0)?])
            }
            Mode::ZeroShot { .. } => {
                let focus = p
                    .target_spans
                    .first()
                    .map(|&(s, _)| char_to_byte(&p.text, s))
                    .or_else(|| {
                        find_mentions(&p.text, &p.target)
                            .first()
                            .map(|&(s, _)| char_to_byte(&p.text, s))
                    });
                let hyps = self
                    .templates
                    .stance
                    .iter()
                    .chain(&self.templates.sentiment);
                // NLI models read (premise, hypothesis): the window is cut from the premise.
                hyps.enumerate()
                    .map(|(slot, (_, t))| {
                        self.encode_premise(
                            &p.text,
                            &t.replace("{party}", &p.target),
                            focus,
                            i,
                            slot,
                        )
                    })
                    .collect()
            }
        }
    }

    /// Encodes (a, b) where `b` is the long text; if too long, keeps the window of `b` around byte `focus`.
    fn encode(
        &self,
        a: &str,
        b: &str,
        focus: Option<usize>,
        pair: usize,
        slot: usize,
    ) -> Result<Encoded> {
        self.encode_windowed(a, b, false, focus, pair, slot)
    }

    /// Encodes (premise, hypothesis) for NLI models: the premise is the long text.
    fn encode_premise(
        &self,
        premise: &str,
        hyp: &str,
        focus: Option<usize>,
        pair: usize,
        slot: usize,
    ) -> Result<Encoded> {
        self.encode_windowed(hyp, premise, true, focus, pair, slot)
    }

    /// Encodes `short` with `long` (long first when `long_first`), cutting `long` to a window
    /// around byte `focus` when the pair is over the model's window.
    fn encode_windowed(
        &self,
        short: &str,
        long: &str,
        long_first: bool,
        focus: Option<usize>,
        pair: usize,
        slot: usize,
    ) -> Result<Encoded> {
        let terr = |e: tokenizers::Error| Error::Tokenizer(e.to_string());
        let enc_pair = |l: &str| {
            if long_first {
                self.tokenizer.encode((l, short), true)
            } else {
                self.tokenizer.encode((short, l), true)
            }
        };
        let full = enc_pair(long).map_err(terr)?;
        if full.get_ids().len() <= self.max_length {
            return Ok(Encoded {
                ids: full.get_ids().to_vec(),
                type_ids: full.get_type_ids().to_vec(),
                pair,
                slot,
                truncated: false,
            });
        }
        let long_len = self
            .tokenizer
            .encode(long, false)
            .map_err(terr)?
            .get_ids()
            .len();
        let overhead = full.get_ids().len().saturating_sub(long_len);
        let mut budget = self.max_length.saturating_sub(overhead).max(1);
        // Re-tokenising a cut text can merge pieces differently: shrink until it fits.
        for _ in 0..4 {
            let (s, e) = self.window(long, budget, focus)?;
            let enc = enc_pair(&long[s..e]).map_err(terr)?;
            if enc.get_ids().len() <= self.max_length {
                return Ok(Encoded {
                    ids: enc.get_ids().to_vec(),
                    type_ids: enc.get_type_ids().to_vec(),
                    pair,
                    slot,
                    truncated: true,
                });
            }
            budget = budget
                .saturating_sub(enc.get_ids().len() - self.max_length)
                .max(1);
        }
        Err(Error::BadPair {
            index: pair,
            message: format!(
                "the target and holder alone exceed the model window of {} tokens",
                self.max_length
            ),
        })
    }

    /// The byte range of `text` holding at most `budget` tokens, centred on byte `focus`.
    fn window(&self, text: &str, budget: usize, focus: Option<usize>) -> Result<(usize, usize)> {
        let enc = self
            .tokenizer
            .encode(text, false)
            .map_err(|e| Error::Tokenizer(e.to_string()))?;
        let offs = enc.get_offsets();
        let n = offs.len();
        let budget = budget.max(1).min(n.max(1));
        if n == 0 {
            return Ok((0, text.len()));
        }
        let center = focus
            .and_then(|f| offs.iter().position(|o| o.0 >= f))
            .unwrap_or(0);
        let start = center.saturating_sub(budget / 2).min(n - budget);
        let end = start + budget;
        // Offsets are byte offsets into `text` for byte-level and WordPiece tokenizers alike.
        let s = offs[start].0.min(text.len());
        let e = offs[end - 1].1.min(text.len()).max(s);
        let s = (0..=s)
            .rev()
            .find(|&i| text.is_char_boundary(i))
            .unwrap_or(0);
        let e = (e..=text.len())
            .find(|&i| text.is_char_boundary(i))
            .unwrap_or(text.len());
        Ok((s, e))
    }

    /// Runs encoded inputs in length-sorted batches; returns logits per input and head.
    fn run(&self, enc: &[Encoded]) -> Result<Vec<Vec<Vec<f32>>>> {
        let mut order: Vec<usize> = (0..enc.len()).collect();
        order.sort_by_key(|&i| enc[i].ids.len());
        let mut out: Vec<Vec<Vec<f32>>> = vec![Vec::new(); enc.len()];
        for chunk in order.chunks(self.batch_size) {
            let len = chunk.iter().map(|&i| enc[i].ids.len()).max().unwrap_or(0);
            let mut ids = Vec::with_capacity(chunk.len() * len);
            let mut types = Vec::with_capacity(chunk.len() * len);
            let mut mask = Vec::with_capacity(chunk.len() * len);
            for &i in chunk {
                let e = &enc[i];
                let pad = len - e.ids.len();
                ids.extend(
                    e.ids
                        .iter()
                        .copied()
                        .chain(std::iter::repeat_n(self.pad_id, pad)),
                );
                let use_types = self.model.uses_type_ids();
                types.extend(
                    e.type_ids
                        .iter()
                        .map(|&t| if use_types { t } else { 0 })
                        .chain(std::iter::repeat_n(0, pad)),
                );
                mask.extend(
                    std::iter::repeat_n(1u32, e.ids.len()).chain(std::iter::repeat_n(0, pad)),
                );
            }
            let shape = (chunk.len(), len);
            let ids = Tensor::from_vec(ids, shape, &self.device)?;
            let types = Tensor::from_vec(types, shape, &self.device)?;
            let mask = Tensor::from_vec(mask, shape, &self.device)?;
            let heads = self.model.forward(&ids, &types, &mask)?;
            let heads: Vec<Vec<Vec<f32>>> = heads
                .iter()
                .map(|h| h.to_dtype(DType::F32)?.to_vec2::<f32>())
                .collect::<candle_core::Result<_>>()?;
            for (row, &i) in chunk.iter().enumerate() {
                out[i] = heads.iter().map(|h| h[row].clone()).collect();
            }
        }
        Ok(out)
    }
}

/// What `models::load` gives: the classifier and its heads, or why not ("unsupported:…").
type Loaded = std::result::Result<(Box<dyn models::Classifier>, Vec<models::Head>), String>;

/// Loads the model from its weights. A local single safetensors file is mapped once; a second
/// thread hashes the mapped bytes while the model is built from them, so `model.sha256` is the
/// hash of what was loaded at no cost to load time (hashing the 45 MB shipped model takes 25 ms
/// with the CPU's SHA extensions, which sha2 finds at run time). When config.json declares the
/// hash (`stancer.weights.sha256`, written by scripts/train), a mismatch — a flipped byte
/// anywhere, not only a cut file — is an error naming the file. Hub files are named by their
/// revision and mapped without hashing.
fn load_weights(
    files: &ModelFiles,
    config: &serde_json::Value,
    local: bool,
    device: &Device,
    precision: Precision,
) -> candle_core::Result<(Loaded, Option<String>)> {
    let weights = &files.weights;
    if weights.len() == 1 && weights[0].extension().is_some_and(|e| e == "bin") {
        let vb = VarBuilder::from_pth(&weights[0], DType::F32, device)?;
        return Ok((models::load(config, vb, precision), None));
    }
    let [file] = weights.as_slice() else {
        // SAFETY: the files are memory-mapped read-only; stancer never writes model files.
        let vb = unsafe { VarBuilder::from_mmaped_safetensors(weights, DType::F32, device)? };
        return Ok((models::load(config, vb, precision), None));
    };
    let io = |e: std::io::Error| candle_core::Error::Msg(format!("{}: {e}", file.display()));
    let f = std::fs::File::open(file).map_err(io)?;
    // SAFETY: mapped read-only; stancer never writes model files while running.
    let map = unsafe { memmap2::Mmap::map(&f) }.map_err(io)?;
    let bytes: &[u8] = &map;
    let (sha256, loaded) = std::thread::scope(|s| {
        let hash = s.spawn(|| local.then(|| crate::input::hex_sha256(bytes)));
        let loaded = VarBuilder::from_slice_safetensors(bytes, DType::F32, device)
            .map(|vb| models::load(config, vb, precision));
        (hash.join().expect("hashing does not panic"), loaded)
    });
    let want = config["stancer"]["weights"]["sha256"].as_str();
    if let (Some(got), Some(want)) = (&sha256, want) {
        if got != want {
            candle_core::bail!(
                "{}: sha256 {got} is not the {want} config.json declares: the file is corrupted or is not this model's",
                file.display()
            );
        }
    }
    Ok((loaded?, sha256))
}

fn softmax(v: &[f32]) -> Vec<f32> {
    let m = v.iter().copied().fold(f32::NEG_INFINITY, f32::max);
    let e: Vec<f32> = v.iter().map(|x| (x - m).exp()).collect();
    let s: f32 = e.iter().sum();
    e.into_iter().map(|x| x / s).collect()
}

/// The shipped default model's directory: `$STANCER_MODEL`, else `models/stancer-minilm-l6`
/// next to the executable's crate (a source checkout) or in the current directory.
pub fn default_model_dir() -> std::path::PathBuf {
    if let Ok(p) = std::env::var("STANCER_MODEL") {
        return p.into();
    }
    let rel = Path::new("models").join("stancer-minilm-l6");
    let here = Path::new(env!("CARGO_MANIFEST_DIR")).join(&rel);
    if here.exists() {
        return here;
    }
    rel
}

#[allow(dead_code)]
fn _assert_send_sync() {
    fn is<T: Send + Sync>() {}
    is::<Engine>();
}

#[allow(unused_imports)]
use D as _;
