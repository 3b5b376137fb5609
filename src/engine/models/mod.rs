//! Encoder classifiers, one architecture per file (BERT, the in-house one, a folder: its weights
//! mapping and candle path in `bert/mod.rs`, its plain-buffer CPU path in `bert/cpu.rs`; the others
//! adapt candle-transformers), dispatched on config.json.
//!
//! Every model maps (input ids, token type ids, attention mask) to one logits
//! tensor per head. The project's own model has two heads (stance, sentiment);
//! a Hub sequence classifier (for example an NLI model) has one.

pub mod bert;
pub mod deberta;
pub mod distilbert;
pub mod modernbert;
pub mod roberta;

use candle_core::{Result, Tensor};

use super::Precision;
use candle_nn::VarBuilder;
use serde_json::Value;

/// The label names of one output head, in logit order.
#[derive(Debug, Clone, PartialEq)]
pub struct Head {
    /// Head name (`stance`, `sentiment`, or `classes` for a Hub classifier).
    pub name: String,
    /// Label names in logit order.
    pub labels: Vec<String>,
    /// Logits are divided by this before the softmax: fitted after training so that a score
    /// of 0.8 is right about 80% of the time (config.json `stancer.heads.*.temperature`).
    pub temperature: f32,
    /// Added to the scaled logits, one per label (`stancer.heads.*.bias`; zeros when absent).
    pub bias: Vec<f32>,
}

impl Head {
    /// The head's calibrated probabilities: softmax(logits / temperature + bias).
    pub fn probabilities(&self, logits: &[f32]) -> Vec<f32> {
        let z: Vec<f32> = logits
            .iter()
            .enumerate()
            .map(|(i, l)| l / self.temperature + self.bias.get(i).copied().unwrap_or(0.0))
            .collect();
        let m = z.iter().copied().fold(f32::NEG_INFINITY, f32::max);
        let e: Vec<f32> = z.iter().map(|x| (x - m).exp()).collect();
        let s: f32 = e.iter().sum();
        e.into_iter().map(|x| x / s).collect()
    }
}

/// A loaded classifier. `mask` is 1 for real tokens and 0 for padding (u32).
pub trait Classifier: Send + Sync {
    /// Logits of every head, one row per input.
    fn forward(&self, ids: &Tensor, type_ids: &Tensor, mask: &Tensor) -> Result<Vec<Tensor>>;
    /// True when the model takes token type ids (BERT family); RoBERTa-style models ignore them.
    fn uses_type_ids(&self) -> bool {
        true
    }
}

/// The architectures `load` implements, for error messages.
pub const SUPPORTED: &str = "stancer (BERT/MiniLM with stance and sentiment heads), bert, distilbert, roberta, xlm-roberta, deberta-v2 (DeBERTa-v2/v3), modernbert";

/// Heads declared by a Hub-style config: `id2label` in index order.
pub fn id2label_head(config: &Value) -> Option<Head> {
    let map = config.get("id2label")?.as_object()?;
    let mut labels: Vec<(usize, String)> = map
        .iter()
        .filter_map(|(k, v)| Some((k.parse().ok()?, v.as_str()?.to_string())))
        .collect();
    labels.sort();
    Some(Head {
        name: "classes".into(),
        labels: labels.into_iter().map(|(_, l)| l).collect(),
        temperature: 1.0,
        bias: Vec::new(),
    })
}

/// What config.json says the model is: (model_type, first architecture).
pub fn architecture(config: &Value) -> (String, String) {
    let mt = config
        .get("model_type")
        .and_then(|v| v.as_str())
        .unwrap_or("")
        .to_lowercase();
    let arch = config
        .get("architectures")
        .and_then(|a| a.get(0))
        .and_then(|v| v.as_str())
        .unwrap_or("")
        .to_string();
    (mt, arch)
}

/// The precision a model will run at: `Auto` resolved (int8 for BERT-family models on a CPU
/// whose int8 kernel is AMX, AVX512-VNNI, AVX-VNNI or AVX2, else f32), or an error for int8 where it cannot run.
pub fn precision_for(
    config: &Value,
    device: &candle_core::Device,
    asked: Precision,
) -> std::result::Result<Precision, String> {
    let (mt, arch) = architecture(config);
    let bert_on_cpu = (config.get("stancer").is_some() || mt == "bert") && device.is_cpu();
    match asked {
        Precision::Int8 if !bert_on_cpu => Err(format!(
            "int8 runs BERT-family models on the CPU; {arch} on {device:?} needs --precision f32"
        )),
        p => Ok(p.for_bert(bert_on_cpu)),
    }
}

/// Loads the classifier config.json describes, with its heads, at the precision `precision_for`
/// gave (the engine resolves and checks it once, before the weights are read).
pub fn load(
    config: &Value,
    vb: VarBuilder,
    precision: Precision,
) -> std::result::Result<(Box<dyn Classifier>, Vec<Head>), String> {
    let (mt, arch) = architecture(config);
    let e = |err: candle_core::Error| format!("loading {arch} weights: {err}");
    if config.get("stancer").is_some() {
        let (m, heads) = bert::StancerBert::load(config, vb, precision).map_err(e)?;
        return Ok((Box::new(m), heads));
    }
    let head = id2label_head(config).ok_or_else(|| {
        format!("{arch}: config.json has no id2label; a sequence classifier needs its label names")
    })?;
    let n = head.labels.len();
    let model: Box<dyn Classifier> = match mt.as_str() {
        "bert" => Box::new(bert::BertClassifier::load(config, n, vb, precision).map_err(e)?),
        "distilbert" => Box::new(distilbert::DistilBertClassifier::load(config, n, vb).map_err(e)?),
        "roberta" | "xlm-roberta" | "camembert" => {
            Box::new(roberta::RobertaClassifier::load(config, n, vb).map_err(e)?)
        }
        "deberta-v2" => Box::new(deberta::DebertaClassifier::load(config, vb).map_err(e)?),
        "modernbert" => Box::new(modernbert::ModernBertClassifier::load(config, vb).map_err(e)?),
        other => {
            return Err(format!(
                "unsupported:{}",
                if other.is_empty() {
                    arch.as_str()
                } else {
                    other
                }
            ))
        }
    };
    Ok((model, vec![head]))
}

pub(crate) fn parse_config<T: serde::de::DeserializeOwned>(config: &Value) -> Result<T> {
    serde_json::from_value(config.clone())
        .map_err(|e| candle_core::Error::Msg(format!("config.json: {e}")))
}
