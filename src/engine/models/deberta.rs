//! DeBERTa-v2/v3 sequence classifiers (candle's debertav2), the usual base of zero-shot NLI checkpoints.

use candle_core::{Result, Tensor};
use candle_nn::VarBuilder;
use candle_transformers::models::debertav2::{Config, DebertaV2SeqClassificationModel};
use serde_json::Value;

use super::{parse_config, Classifier};

/// `DebertaV2ForSequenceClassification`.
pub struct DebertaClassifier {
    model: DebertaV2SeqClassificationModel,
    type_vocab: usize,
}

impl DebertaClassifier {
    /// Loads weights with a `VarBuilder`; `config` is the parsed config.json.
    pub fn load(config: &Value, vb: VarBuilder) -> Result<Self> {
        let cfg: Config = parse_config(config)?;
        let type_vocab = cfg.type_vocab_size;
        Ok(DebertaClassifier {
            model: DebertaV2SeqClassificationModel::load(vb.pp("deberta"), &cfg, None)?,
            type_vocab,
        })
    }
}

impl Classifier for DebertaClassifier {
    fn forward(&self, ids: &Tensor, type_ids: &Tensor, mask: &Tensor) -> Result<Vec<Tensor>> {
        let types = (self.type_vocab > 0).then(|| type_ids.clone());
        Ok(vec![self.model.forward(ids, types, Some(mask.clone()))?])
    }
    fn uses_type_ids(&self) -> bool {
        self.type_vocab > 0
    }
}
