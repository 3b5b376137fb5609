//! Where a model's files come from: a local directory, or the Hugging Face Hub by id and revision.

use std::path::{Path, PathBuf};

use crate::error::{Error, Result};

/// A model given by the user: a directory, or `ORG/NAME[@REVISION]` on the Hub.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ModelSource {
    /// A directory on disk.
    Local(PathBuf),
    /// A Hub repository at a revision (branch, tag or commit).
    Hub {
        /// ORG/NAME.
        repo: String,
        /// Branch, tag or commit hash.
        revision: String,
    },
}

impl ModelSource {
    /// A path that exists is a local model; otherwise `ORG/NAME[@REV]` is a Hub id.
    ///
    /// ```
    /// use stancer::engine::ModelSource;
    /// assert_eq!(
    ///     ModelSource::parse("MoritzLaurer/deberta-v3-base-zeroshot-v2.0@main"),
    ///     ModelSource::Hub { repo: "MoritzLaurer/deberta-v3-base-zeroshot-v2.0".into(), revision: "main".into() }
    /// );
    /// ```
    pub fn parse(s: &str) -> Self {
        let p = Path::new(s);
        if p.exists() || s.starts_with('.') || s.starts_with('/') || s.matches('/').count() != 1 {
            return ModelSource::Local(p.to_path_buf());
        }
        let (repo, revision) = match s.split_once('@') {
            Some((r, v)) => (r.to_string(), v.to_string()),
            None => (s.to_string(), "main".to_string()),
        };
        ModelSource::Hub { repo, revision }
    }

    /// The source as the user would write it.
    pub fn display(&self) -> String {
        match self {
            ModelSource::Local(p) => p.display().to_string(),
            ModelSource::Hub { repo, revision } => format!("{repo}@{revision}"),
        }
    }
}

/// The files of a resolved model, all on local disk.
#[derive(Debug, Clone)]
pub struct ModelFiles {
    /// config.json.
    pub config: PathBuf,
    /// tokenizer.json.
    pub tokenizer: PathBuf,
    /// One or more safetensors files, or a single pytorch_model.bin.
    pub weights: Vec<PathBuf>,
    /// The Hub commit (snapshot folder) the files came from.
    pub revision: Option<String>,
}

/// Options for Hub access.
#[derive(Debug, Clone)]
pub struct HubOptions {
    /// Use only the local cache (`--offline`, `STANCER_OFFLINE=1`, `HF_HUB_OFFLINE=1`).
    pub offline: bool,
    /// Overrides HF_HUB_CACHE / HF_HOME/hub.
    pub cache_dir: Option<PathBuf>,
    /// Overrides HF_ENDPOINT (default `https://huggingface.co`).
    pub endpoint: Option<String>,
    /// Give up when a download makes no progress for this long (a stalled proxy or server
    /// would otherwise hang the program: the Hub client sets no read timeout).
    pub stall_timeout: std::time::Duration,
}

/// Default [`HubOptions::stall_timeout`].
pub const DEFAULT_HUB_STALL: std::time::Duration = std::time::Duration::from_secs(60);

impl Default for HubOptions {
    fn default() -> Self {
        HubOptions {
            offline: false,
            cache_dir: None,
            endpoint: None,
            stall_timeout: DEFAULT_HUB_STALL,
        }
    }
}

impl HubOptions {
    /// Offline mode from `STANCER_OFFLINE` or `HF_HUB_OFFLINE`.
    pub fn from_env() -> Self {
        let on = |k: &str| {
            std::env::var(k).is_ok_and(|v| !v.is_empty() && v != "0" && v.to_lowercase() != "false")
        };
        HubOptions {
            offline: on("STANCER_OFFLINE") || on("HF_HUB_OFFLINE"),
            ..HubOptions::default()
        }
    }
}

fn weights_in(dir: &Path, model: &str) -> Result<Vec<PathBuf>> {
    let single = dir.join("model.safetensors");
    if single.exists() {
        return Ok(vec![single]);
    }
    let index = dir.join("model.safetensors.index.json");
    if index.exists() {
        return shards_from_index(&index, model)
            .map(|names| names.into_iter().map(|n| dir.join(n)).collect());
    }
    let bin = dir.join("pytorch_model.bin");
    if bin.exists() {
        return Ok(vec![bin]);
    }
    Err(Error::ModelFileMissing {
        model: model.to_string(),
        file: "model.safetensors".into(),
        hint: "expected model.safetensors, model.safetensors.index.json with shards, or pytorch_model.bin".into(),
    })
}

fn shards_from_index(index: &Path, model: &str) -> Result<Vec<String>> {
    let text = std::fs::read_to_string(index).map_err(|source| Error::Io {
        path: index.to_path_buf(),
        source,
    })?;
    let v: serde_json::Value = serde_json::from_str(&text).map_err(|e| Error::Model {
        model: model.into(),
        message: format!("{}: {e}", index.display()),
    })?;
    let mut names: Vec<String> = v["weight_map"]
        .as_object()
        .map(|m| {
            m.values()
                .filter_map(|f| f.as_str().map(str::to_string))
                .collect()
        })
        .unwrap_or_default();
    names.sort();
    names.dedup();
    if names.is_empty() {
        return Err(Error::Model {
            model: model.into(),
            message: format!("{} lists no weight files", index.display()),
        });
    }
    Ok(names)
}

/// Finds a model's files, downloading from the Hub when needed and allowed.
pub fn resolve(source: &ModelSource, hub: &HubOptions) -> Result<ModelFiles> {
    match source {
        ModelSource::Local(dir) => {
            let model = dir.display().to_string();
            if !dir.is_dir() {
                return Err(Error::Model {
                    model,
                    message: "no such model directory; give a directory with config.json, tokenizer.json and model.safetensors, or a Hub id ORG/NAME[@REVISION]".into(),
                });
            }
            let need = |f: &str| {
                let p = dir.join(f);
                if p.exists() {
                    Ok(p)
                } else {
                    Err(Error::ModelFileMissing {
                        model: model.clone(),
                        file: f.into(),
                        hint: "the directory must hold config.json, tokenizer.json and the weights"
                            .into(),
                    })
                }
            };
            Ok(ModelFiles {
                config: need("config.json")?,
                tokenizer: need("tokenizer.json")?,
                weights: weights_in(dir, &model)?,
                revision: None,
            })
        }
        ModelSource::Hub { repo, revision } => hub_resolve(repo, revision, hub),
    }
}

#[cfg(feature = "hub")]
fn hub_resolve(repo: &str, revision: &str, opts: &HubOptions) -> Result<ModelFiles> {
    use hf_hub::{HFClientBuilder, HFError};
    let model = format!("{repo}@{revision}");
    let (owner, name) = repo.split_once('/').ok_or_else(|| Error::Model {
        model: model.clone(),
        message: "a Hub id has the form ORG/NAME".into(),
    })?;
    let mut builder = HFClientBuilder::new().retry_max_attempts(2);
    if let Some(dir) = &opts.cache_dir {
        builder = builder.cache_dir(dir.clone());
    }
    if let Some(endpoint) = &opts.endpoint {
        builder = builder.endpoint(endpoint.clone());
    }
    let start_failed = |e: HFError| Error::Model {
        model: model.clone(),
        message: format!("cannot start the Hub client: {e}"),
    };
    let inner = builder.build().map_err(start_failed)?;
    let (cache_dir, endpoint) = (
        inner.cache_dir().to_path_buf(),
        inner.endpoint().to_string(),
    );
    let client = hf_hub::HFClientSync::from_inner(inner).map_err(start_failed)?;
    if opts.offline {
        return hub_fetch_all(&client, owner, name, revision, &model, &cache_dir, true);
    }
    // The downloads run on a worker thread; this one watches the repository's cache folder
    // (hf-hub writes `blobs/*.incomplete` as bytes arrive) and gives up after a stall.
    let repo_dir = cache_dir.join(format!("models--{owner}--{name}"));
    let (tx, rx) = std::sync::mpsc::channel();
    {
        let (owner, name, revision, model, cache_dir) = (
            owner.to_string(),
            name.to_string(),
            revision.to_string(),
            model.clone(),
            cache_dir.clone(),
        );
        std::thread::spawn(move || {
            let _ = tx.send(hub_fetch_all(
                &client, &owner, &name, &revision, &model, &cache_dir, false,
            ));
        });
    }
    let mut seen = bytes_under(&repo_dir);
    let mut since = std::time::Instant::now();
    loop {
        match rx.recv_timeout(std::time::Duration::from_millis(250)) {
            Ok(result) => return result,
            Err(std::sync::mpsc::RecvTimeoutError::Disconnected) => {
                return Err(Error::Model {
                    model,
                    message: "the Hub download thread stopped without an answer".into(),
                })
            }
            Err(std::sync::mpsc::RecvTimeoutError::Timeout) => {
                let now = bytes_under(&repo_dir);
                if now != seen {
                    (seen, since) = (now, std::time::Instant::now());
                } else if since.elapsed() >= opts.stall_timeout {
                    return Err(Error::Model {
                        model,
                        message: format!(
                            "no progress from the Hub ({endpoint}) for {} s; check the network or proxy (HF_ENDPOINT), or run with --offline on a cached copy",
                            opts.stall_timeout.as_secs_f64()
                        ),
                    });
                }
            }
        }
    }
}

/// Total size of the files under `dir` (0 when it does not exist yet).
#[cfg(feature = "hub")]
fn bytes_under(dir: &Path) -> u64 {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_map(|e| e.ok())
        .filter_map(|e| e.metadata().ok())
        .filter(|m| m.is_file())
        .map(|m| m.len())
        .sum()
}

#[cfg(feature = "hub")]
fn hub_fetch_all(
    client: &hf_hub::HFClientSync,
    owner: &str,
    name: &str,
    revision: &str,
    model: &str,
    cache_dir: &Path,
    offline: bool,
) -> Result<ModelFiles> {
    use hf_hub::HFError;
    let model = model.to_string();
    let repo_h = client.model(owner, name);
    let fetch = |file: &str| -> Result<std::path::PathBuf> {
        repo_h
            .download_file()
            .filename(file)
            .revision(revision.to_string())
            .local_files_only(offline)
            .send()
            .map_err(|e| match e {
                HFError::LocalEntryNotFound { .. } => Error::ModelFileMissing {
                    model: model.clone(),
                    file: file.into(),
                    hint: format!("not in the local Hub cache ({}) and offline mode is on; run once with network access, or unset --offline/STANCER_OFFLINE", cache_dir.display()),
                },
                HFError::EntryNotFound { .. } => Error::ModelFileMissing { model: model.clone(), file: file.into(), hint: "the repository has no such file".into() },
                other => Error::Model { model: model.clone(), message: format!("downloading {file} failed: {other}; check the network (HF_ENDPOINT, HF_TOKEN for gated models), or run with --offline on a cached copy") },
            })
    };
    let config = fetch("config.json")?;
    let tokenizer = fetch("tokenizer.json")?;
    let weights = match fetch("model.safetensors") {
        Ok(p) => vec![p],
        Err(Error::ModelFileMissing { .. }) => match fetch("model.safetensors.index.json") {
            Ok(index) => shards_from_index(&index, &model)?
                .iter()
                .map(|s| fetch(s))
                .collect::<Result<Vec<_>>>()?,
            Err(_) => vec![fetch("pytorch_model.bin")?],
        },
        Err(e) => return Err(e),
    };
    // The snapshot folder name is the commit hash: report it as the revision.
    let rev = config
        .parent()
        .and_then(|p| p.file_name())
        .map(|s| s.to_string_lossy().to_string());
    Ok(ModelFiles {
        config,
        tokenizer,
        weights,
        revision: rev,
    })
}

#[cfg(not(feature = "hub"))]
fn hub_resolve(repo: &str, revision: &str, _opts: &HubOptions) -> Result<ModelFiles> {
    Err(Error::Model { model: format!("{repo}@{revision}"), message: "this build has no Hub support (built without the `hub` feature); give a local model directory".into() })
}
