//! DistilBERT sequence classifier. candle's DistilBERT masks where the mask is 1,
//! the inverse of the Hugging Face convention, so the mask is flipped here.

use candle_core::{DType, Module, Result, Tensor};
use candle_nn::{linear, Linear, VarBuilder};
use candle_transformers::models::distilbert::{Config, DistilBertModel};
use serde_json::Value;

use super::{parse_config, Classifier};

/// `DistilBertForSequenceClassification`: pre-classifier + ReLU + classifier over `[CLS]`.
pub struct DistilBertClassifier {
    model: DistilBertModel,
    pre_classifier: Linear,
    classifier: Linear,
}

impl DistilBertClassifier {
    /// Loads weights with a `VarBuilder`; `config` is the parsed config.json.
    pub fn load(config: &Value, num_labels: usize, vb: VarBuilder) -> Result<Self> {
        let cfg: Config = parse_config(config)?;
        let model = DistilBertModel::load(vb.pp("distilbert"), &cfg)?;
        let pre_classifier = linear(cfg.dim, cfg.dim, vb.pp("pre_classifier"))?;
        let classifier = linear(cfg.dim, num_labels, vb.pp("classifier"))?;
        Ok(DistilBertClassifier {
            model,
            pre_classifier,
            classifier,
        })
    }
}

impl Classifier for DistilBertClassifier {
    fn forward(&self, ids: &Tensor, _type_ids: &Tensor, mask: &Tensor) -> Result<Vec<Tensor>> {
        let (b, n) = mask.dims2()?;
        // 1 where padding: (b, 1, 1, n), broadcast over heads and queries.
        let pad = mask.eq(0u32)?.to_dtype(DType::U8)?.reshape((b, 1, 1, n))?;
        let hidden = self.model.forward(ids, &pad)?;
        let cls = hidden.get_on_dim(1, 0)?;
        let x = self.pre_classifier.forward(&cls)?.relu()?;
        Ok(vec![self.classifier.forward(&x)?])
    }
    fn uses_type_ids(&self) -> bool {
        false
    }
}
