//! BERT-family encoders (BERT, MiniLM): the project's two-head model and the standard sequence classifier.
//!
//! candle-transformers' `BertModel` has no classification head; the heads live here.

use candle_core::{DType, Module, Result, Tensor, D};
use candle_nn::{linear, Linear, VarBuilder};
use candle_transformers::models::bert::{BertModel, Config};
use serde_json::Value;

use super::{parse_config, Classifier, Head};

/// stancer's own model: BERT + attention-masked mean pooling + one linear layer per head.
/// Head names and labels come from `config.json["stancer"]["heads"]`, never from code.
pub struct StancerBert {
    bert: BertModel,
    heads: Vec<Linear>,
}

impl StancerBert {
    /// Loads weights with a `VarBuilder`; `config` is the parsed config.json.
    pub fn load(config: &Value, vb: VarBuilder) -> Result<(Self, Vec<Head>)> {
        let cfg: Config = parse_config(config)?;
        let bert = BertModel::load(vb.clone(), &cfg)?;
        let spec = config["stancer"]["heads"]
            .as_object()
            .ok_or_else(|| candle_core::Error::Msg("config.json: stancer.heads missing".into()))?;
        let mut heads = Vec::new();
        let mut meta = Vec::new();
        // serde_json keeps insertion order only with a feature; sort for a stable head order.
        let mut names: Vec<&String> = spec.keys().collect();
        names.sort();
        for name in names {
            let h = &spec[name];
            let labels: Vec<String> = h["labels"]
                .as_array()
                .map(|a| {
                    a.iter()
                        .filter_map(|l| l.as_str().map(str::to_string))
                        .collect()
                })
                .unwrap_or_default();
            let weight = h["weight"].as_str().unwrap_or(name);
            heads.push(linear(cfg.hidden_size, labels.len(), vb.pp(weight))?);
            meta.push(Head {
                name: name.clone(),
                labels,
            });
        }
        Ok((StancerBert { bert, heads }, meta))
    }
}

/// Mean of the hidden states over real tokens.
pub fn masked_mean(hidden: &Tensor, mask: &Tensor) -> Result<Tensor> {
    let m = mask.to_dtype(DType::F32)?.unsqueeze(D::Minus1)?;
    let summed = hidden.broadcast_mul(&m)?.sum(1)?;
    let counts = m.sum(1)?.clamp(1e-9, f64::MAX)?;
    summed.broadcast_div(&counts)
}

impl Classifier for StancerBert {
    fn forward(&self, ids: &Tensor, type_ids: &Tensor, mask: &Tensor) -> Result<Vec<Tensor>> {
        let hidden = self.bert.forward(ids, type_ids, Some(mask))?;
        let pooled = masked_mean(&hidden, mask)?;
        self.heads.iter().map(|h| h.forward(&pooled)).collect()
    }
}

/// `BertForSequenceClassification`: tanh pooler over [CLS], then a linear classifier.
pub struct BertClassifier {
    bert: BertModel,
    pooler: Linear,
    classifier: Linear,
}

impl BertClassifier {
    /// Loads weights with a `VarBuilder`; `config` is the parsed config.json.
    pub fn load(config: &Value, num_labels: usize, vb: VarBuilder) -> Result<Self> {
        let cfg: Config = parse_config(config)?;
        let bert = BertModel::load(vb.clone(), &cfg)?;
        let pooler = linear(cfg.hidden_size, cfg.hidden_size, vb.pp("bert.pooler.dense"))?;
        let classifier = linear(cfg.hidden_size, num_labels, vb.pp("classifier"))?;
        Ok(BertClassifier {
            bert,
            pooler,
            classifier,
        })
    }
}

impl Classifier for BertClassifier {
    fn forward(&self, ids: &Tensor, type_ids: &Tensor, mask: &Tensor) -> Result<Vec<Tensor>> {
        let hidden = self.bert.forward(ids, type_ids, Some(mask))?;
        let cls = hidden.get_on_dim(1, 0)?;
        let pooled = self.pooler.forward(&cls)?.tanh()?;
        Ok(vec![self.classifier.forward(&pooled)?])
    }
}
