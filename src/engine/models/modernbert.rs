//! ModernBERT sequence classifier. candle's head returns softmax probabilities;
//! their logarithm is returned so every model hands the engine logits up to a constant.

use candle_core::{Result, Tensor};
use candle_nn::VarBuilder;
use candle_transformers::models::modernbert::{Config, ModernBertForSequenceClassification};
use serde_json::Value;

use super::{parse_config, Classifier};

/// `ModernBertForSequenceClassification`.
pub struct ModernBertClassifier {
    model: ModernBertForSequenceClassification,
}

impl ModernBertClassifier {
    /// Loads weights with a `VarBuilder`; `config` is the parsed config.json.
    pub fn load(config: &Value, vb: VarBuilder) -> Result<Self> {
        let mut config = config.clone();
        // Hugging Face names it norm_eps; candle's config reads layer_norm_eps.
        if config.get("layer_norm_eps").is_none() {
            config["layer_norm_eps"] = config.get("norm_eps").cloned().unwrap_or(1e-5.into());
        }
        if config.get("classifier_pooling").is_none() {
            config["classifier_pooling"] = "cls".into();
        }
        // candle reads label2id as string → string; Hugging Face writes string → int.
        let ids: serde_json::Map<String, Value> = config["id2label"]
            .as_object()
            .map(|m| {
                m.iter()
                    .map(|(k, v)| (v.as_str().unwrap_or("").to_string(), Value::from(k.clone())))
                    .collect()
            })
            .unwrap_or_default();
        config["label2id"] = Value::Object(ids);
        let cfg: Config = parse_config(&config)?;
        Ok(ModernBertClassifier {
            model: ModernBertForSequenceClassification::load(vb, &cfg)?,
        })
    }
}

impl Classifier for ModernBertClassifier {
    fn forward(&self, ids: &Tensor, _type_ids: &Tensor, mask: &Tensor) -> Result<Vec<Tensor>> {
        Ok(vec![self.model.forward(ids, mask)?.log()?])
    }
    fn uses_type_ids(&self) -> bool {
        false
    }
}
