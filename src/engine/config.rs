//! How the engine runs: device, precision, templates for zero-shot models, batch size.

use candle_core::Device;
use serde::{Deserialize, Serialize};

use super::{kernels, HubOptions};

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
    pub(super) fn device(self) -> candle_core::Result<Device> {
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
    /// int8 kernel is AMX, AVX512-VNNI, AVX-VNNI or AVX2 (7-bit weights there); on each, every
    /// `scripts/eval-stance` figure is within 0.5 points of f32's but BASIL's (one pair of 152,
    /// in int8's favour on AVX2), and `stancer classify` runs faster (README, Performance). On a
    /// GPU, for other architectures, and on CPUs without AVX2, f32. Resolved when the model
    /// loads; reports give the precision that ran.
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

    /// This precision for a BERT-family model: `Auto` is int8 on a CPU whose int8 kernel is AMX,
    /// AVX512-VNNI, AVX-VNNI or AVX2, else f32.
    pub fn for_bert(self, on_cpu: bool) -> Precision {
        use kernels::qgemm::Kernel;
        let fast = matches!(
            Kernel::detect(),
            Kernel::Amx | Kernel::Vnni | Kernel::AvxVnni | Kernel::Avx2
        );
        match self {
            Precision::Auto if on_cpu && fast => Precision::Int8,
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
