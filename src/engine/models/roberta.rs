//! RoBERTa and XLM-RoBERTa sequence classifiers (candle's xlm_roberta implementation serves both).

use candle_core::{Result, Tensor};
use candle_nn::VarBuilder;
use candle_transformers::models::xlm_roberta::{Config, XLMRobertaForSequenceClassification};
use serde_json::Value;

use super::{parse_config, Classifier};

/// `RobertaForSequenceClassification` / `XLMRobertaForSequenceClassification`.
pub struct RobertaClassifier {
    model: XLMRobertaForSequenceClassification,
}

impl RobertaClassifier {
    /// Loads weights with a `VarBuilder`; `config` is the parsed config.json.
    pub fn load(config: &Value, num_labels: usize, vb: VarBuilder) -> Result<Self> {
        let mut config = config.clone();
        if config.get("position_embedding_type").is_none() {
            config["position_embedding_type"] = "absolute".into();
        }
        let cfg: Config = parse_config(&config)?;
        Ok(RobertaClassifier {
            model: XLMRobertaForSequenceClassification::new(num_labels, &cfg, vb)?,
        })
    }
}

impl Classifier for RobertaClassifier {
    fn forward(&self, ids: &Tensor, type_ids: &Tensor, mask: &Tensor) -> Result<Vec<Tensor>> {
        Ok(vec![self.model.forward(ids, mask, type_ids)?])
    }
    fn uses_type_ids(&self) -> bool {
        false
    }
}
