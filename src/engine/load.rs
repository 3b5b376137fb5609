//! Loading a model: its config, weights (hashed from the same mapping they are read from),
//! tokenizer and scoring mode.

use std::path::Path;

use candle_core::{DType, Device};
use candle_nn::VarBuilder;
use tokenizers::{PaddingParams, Tokenizer};

use super::input::InputFormat;
use super::{
    models, source, Engine, EngineConfig, Mode, ModelFiles, ModelInfo, ModelSource, Precision,
};
use crate::error::{Error, Result};

/// What `models::load` gives: the classifier and its heads, or why not ("unsupported:…").
pub(super) type Loaded =
    std::result::Result<(Box<dyn models::Classifier>, Vec<models::Head>), String>;

/// Loads the model from its weights. A local single safetensors file is mapped once; a second
/// thread hashes the mapped bytes while the model is built from them, so `model.sha256` is the
/// hash of what was loaded at no cost to load time (hashing the 45 MB shipped model takes 25 ms
/// with the CPU's SHA extensions, which sha2 finds at run time). When config.json declares the
/// hash (`stancer.weights.sha256`, written by scripts/train), a mismatch — a flipped byte
/// anywhere, not only a cut file — is an error naming the file. Hub files are named by their
/// revision and mapped without hashing.
pub(super) fn load_weights(
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
        let config = read_config(files, &merr)?;
        let device = cfg.device.device().map_err(|e| {
            merr(format!(
                "device {:?} unavailable: {e} (build with --features cuda or metal)",
                cfg.device
            ))
        })?;
        let precision = models::precision_for(&config, &device, cfg.precision).map_err(merr)?;
        let local = files.revision.is_none();
        // The tokenizer (16 ms of the shipped model's 100 ms load, measured on an Intel Xeon) is
        // read while the weights load; their errors still come in the order they did.
        let (weights, tokenizer) = std::thread::scope(|s| {
            let tokenizer = s.spawn(|| tokenizer_for(files, &config));
            let weights = load_weights(files, &config, local, &device, precision);
            let tokenizer = tokenizer.join();
            (
                weights,
                tokenizer.unwrap_or_else(|_| {
                    Err(format!(
                        "{}: reading it panicked",
                        files.tokenizer.display()
                    ))
                }),
            )
        });
        let (loaded, sha256) = weights.map_err(|e| merr(format!("reading weights: {e}")))?;
        let (model, heads) = loaded.map_err(|m| match m.strip_prefix("unsupported:") {
            Some(arch) => Error::UnsupportedArchitecture {
                model: name.to_string(),
                arch: arch.to_string(),
                supported: models::SUPPORTED.to_string(),
            },
            None => merr(m),
        })?;
        let mode = mode_of(&heads).map_err(merr)?;
        let (tokenizer, pad_id) = tokenizer.map_err(merr)?;
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
            int8_kernel: (precision == Precision::Int8 && device.is_cpu())
                .then(|| super::kernels::qgemm::Kernel::detect().name().to_string()),
        };
        Ok(Engine {
            model,
            tokenizer,
            device,
            mode,
            heads,
            input: InputFormat::from_config(&config),
            max_length: max_length_for(&config, cfg),
            batch_size: cfg.batch_size.max(1),
            pad_id,
            templates: cfg.templates.clone(),
            info,
        })
    }
}

fn read_config(files: &ModelFiles, merr: &impl Fn(String) -> Error) -> Result<serde_json::Value> {
    let config_text = std::fs::read_to_string(&files.config).map_err(|source| Error::Io {
        path: files.config.clone(),
        source,
    })?;
    serde_json::from_str(&config_text).map_err(|e| merr(format!("{}: {e}", files.config.display())))
}

/// Direct scoring with `stance` and `sentiment` heads, else zero-shot through an NLI model's
/// entailment label.
fn mode_of(heads: &[models::Head]) -> std::result::Result<Mode, String> {
    check_heads(heads)?;
    if let Some((stance, sentiment)) = heads
        .iter()
        .position(|h| h.name == "stance")
        .zip(heads.iter().position(|h| h.name == "sentiment"))
    {
        return Ok(Mode::Direct { stance, sentiment });
    }
    let labels = &heads[0].labels;
    let entail = labels
        .iter()
        .position(|l| l.to_lowercase().starts_with("entail"))
        .ok_or_else(|| {
            format!("the model has neither stance/sentiment heads nor an NLI 'entailment' label (labels: {labels:?}); it cannot score stance")
        })?;
    Ok(Mode::ZeroShot { entail })
}

/// What config.json says of each head, checked before it is used: an empty `heads` table
/// panicked, and a temperature of 1e-45 made every probability NaN.
fn check_heads(heads: &[models::Head]) -> std::result::Result<(), String> {
    if heads.is_empty() {
        return Err(
            "config.json: stancer.heads is empty; a model needs its classification heads".into(),
        );
    }
    for h in heads {
        let at = format!("config.json: stancer.heads.{}", h.name);
        let mut labels = h.labels.clone();
        labels.sort();
        labels.dedup();
        if h.labels.len() < 2
            || labels.len() != h.labels.len()
            || labels.iter().any(|l| l.trim().is_empty())
        {
            return Err(format!(
                "{at}.labels must name two or more distinct labels (got {:?})",
                h.labels
            ));
        }
        // Temperatures fitted on dev sets lie near 1 (the shipped model's: 1.56, 1.60).
        if !(0.01..=100.0).contains(&h.temperature) {
            return Err(format!(
                "{at}.temperature must lie between 0.01 and 100 (got {})",
                h.temperature
            ));
        }
        if h.bias.iter().any(|b| !b.is_finite() || b.abs() > 100.0) {
            return Err(format!(
                "{at}.bias must be finite numbers within ±100 (got {:?})",
                h.bias
            ));
        }
    }
    Ok(())
}

/// The tokenizer, without the padding and truncation its file may fix, and its padding id.
fn tokenizer_for(
    files: &ModelFiles,
    config: &serde_json::Value,
) -> std::result::Result<(Tokenizer, u32), String> {
    let mut tokenizer = Tokenizer::from_file(&files.tokenizer)
        .map_err(|e| format!("{}: {e}", files.tokenizer.display()))?;
    let pad_id = tokenizer
        .get_padding()
        .map(|p| p.pad_id)
        .or_else(|| config["pad_token_id"].as_u64().map(|v| v as u32))
        .unwrap_or(0);
    // Tokenizer files often fix padding to 128 and truncate silently: we pad per batch and truncate explicitly.
    tokenizer.with_padding(None::<PaddingParams>);
    tokenizer
        .with_truncation(None)
        .map_err(|e| format!("tokenizer truncation: {e}"))?;
    Ok((tokenizer, pad_id))
}

/// The longest input in tokens: the model's positions (RoBERTa reserves two for its padding
/// offset), at most 512, and the user's limit; at least 16.
fn max_length_for(config: &serde_json::Value, cfg: &EngineConfig) -> usize {
    let model_max = config["stancer"]["max_length"]
        .as_u64()
        .or_else(|| config["max_position_embeddings"].as_u64())
        .unwrap_or(512) as usize;
    let model_max = if config["model_type"]
        .as_str()
        .is_some_and(|t| t.contains("roberta"))
    {
        model_max.saturating_sub(2)
    } else {
        model_max
    }
    .min(512);
    cfg.max_length.unwrap_or(model_max).min(model_max).max(16)
}
