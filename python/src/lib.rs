//! `stancer._stancer`: the Rust half of the Python package, a thin layer over the library.
//!
//! Reports cross into Python as the JSON the command line writes (`stancer.Scorer.score` parses
//! it), so a Python report is the CLI's report, field for field. Scoring releases the GIL.

use pyo3::exceptions::{PyException, PyTypeError, PyValueError};
use pyo3::prelude::*;
use pyo3::types::{PyBytes, PyString};

use stancer::engine::{DeviceChoice, EngineConfig, Pair, Precision};
use stancer::input::{Metadata, DEFAULT_MAX_BYTES};
use stancer::output::jsonl::{self, Source};
use stancer::pairs::Scope;
use stancer::parties::{self, Gazetteer};
use stancer::report::Level;
use stancer::{Analyzer, Article, InputFormat, ScorerConfig};

pyo3::create_exception!(
    _stancer,
    StancerError,
    PyException,
    "An input or model error; `kind` is the stable error kind (`empty`, `not_utf8`, `too_large`, `model`, …)."
);

/// The Python exception for a library error, with its stable kind.
fn raise(py: Python<'_>, e: &stancer::Error) -> PyErr {
    let err = StancerError::new_err(e.to_string());
    let _ = err.value(py).setattr("kind", e.kind());
    err
}

/// A text argument as bytes: `str` (UTF-8) or `bytes` (checked like a file's bytes).
fn text_bytes(text: &Bound<'_, PyAny>) -> PyResult<Vec<u8>> {
    if let Ok(s) = text.cast::<PyString>() {
        // A str with lone surrogates has no UTF-8 form: that is a UnicodeEncodeError here.
        return Ok(s.to_cow()?.as_bytes().to_vec());
    }
    if let Ok(b) = text.cast::<PyBytes>() {
        return Ok(b.as_bytes().to_vec());
    }
    Err(PyTypeError::new_err(format!(
        "text must be str or bytes, not {}",
        text.get_type().name()?
    )))
}

/// Checks and decodes an input as the command line does for a file; `meta_json` is a JSON
/// object of metadata fields (`title`, `date`, `outlet`, `url`, `author`, …).
fn article(
    id: &str,
    bytes: &[u8],
    meta_json: Option<&str>,
    max_bytes: u64,
) -> stancer::Result<Article> {
    if bytes.len() as u64 > max_bytes {
        return Err(stancer::Error::TooLarge {
            input: id.to_string(),
            size: bytes.len() as u64,
            limit: max_bytes,
        });
    }
    // The metadata is read outside `from_bytes`, so it runs under the same guard: a panic in
    // it is this item's `internal` record, and `score_many` goes on.
    stancer::error::catch_panic(id, || {
        with_meta(
            id,
            Article::from_bytes(id, bytes, InputFormat::Text)?,
            meta_json,
        )
    })
}

fn with_meta(id: &str, art: Article, meta_json: Option<&str>) -> stancer::Result<Article> {
    let meta = match meta_json {
        Some(m) => match serde_json::from_str::<serde_json::Value>(m) {
            Ok(serde_json::Value::Object(o)) => Metadata::from_json(&o),
            _ => {
                return Err(stancer::Error::BadJson {
                    input: id.to_string(),
                    message: "meta must be a JSON object".into(),
                })
            }
        },
        None => Metadata::default(),
    };
    Ok(art.with_meta(meta))
}

fn scope(s: &str) -> PyResult<Scope> {
    match s {
        "quote" => Ok(Scope::Quote),
        "sentence" => Ok(Scope::Sentence),
        "article" => Ok(Scope::Article),
        _ => Err(PyValueError::new_err(format!(
            "scope {s:?}: expected \"quote\", \"sentence\" or \"article\""
        ))),
    }
}

/// The model-free stages and the model, loaded once; safe to share between threads.
#[pyclass(frozen, module = "stancer._stancer")]
struct Scorer {
    scorer: stancer::Scorer,
    analyzer: Analyzer,
    max_bytes: u64,
}

#[pymethods]
impl Scorer {
    #[new]
    #[pyo3(signature = (model=None, parties=Vec::new(), scope="sentence", level="party", precision=None, device="cpu", batch_size=32, max_length=None, rules_only=false, include_text=false, max_bytes=DEFAULT_MAX_BYTES))]
    #[allow(clippy::too_many_arguments)]
    fn new(
        py: Python<'_>,
        model: Option<String>,
        parties: Vec<String>,
        scope: &str,
        level: &str,
        precision: Option<&str>,
        device: &str,
        batch_size: usize,
        max_length: Option<usize>,
        rules_only: bool,
        include_text: bool,
        max_bytes: u64,
    ) -> PyResult<Self> {
        let p = precision.unwrap_or("auto");
        let precision = Precision::parse(p).ok_or_else(|| {
            PyValueError::new_err(format!(
                "precision {p:?}: expected \"auto\", \"f32\" or \"int8\""
            ))
        })?;
        let level = match level {
            "party" => Level::Party,
            "country" => Level::Country,
            _ => {
                return Err(PyValueError::new_err(format!(
                    "level {level:?}: expected \"party\" or \"country\""
                )))
            }
        };
        let device = DeviceChoice::parse(device).ok_or_else(|| {
            PyValueError::new_err(format!("device {device:?}: use cpu, cuda[:N] or metal[:N]"))
        })?;
        let builtin = Gazetteer::builtin_defs().map_err(|e| raise(py, &e))?;
        let defs = parties
            .iter()
            .map(|spec| parties::user::parse_spec(spec, &builtin))
            .collect::<stancer::Result<Vec<_>>>()
            .map_err(|e| raise(py, &e))?;
        let scope = self::scope(scope)?;
        let quotes = stancer::quotes::ExtractOptions {
            learned: !rules_only,
        };
        let config = ScorerConfig {
            model: model
                .map(|m| stancer::engine::ModelSource::parse(&m))
                .unwrap_or(ScorerConfig::default().model),
            engine: EngineConfig {
                precision,
                device,
                batch_size: batch_size.max(1),
                max_length,
                ..EngineConfig::default()
            },
            scope,
            level,
            parties: defs.clone(),
            include_text,
            quotes,
        };
        let built = py.detach(|| -> stancer::Result<_> {
            let analyzer = Analyzer::new(defs, scope)?.with_quote_options(quotes);
            Ok((stancer::Scorer::new(config)?, analyzer))
        });
        let (scorer, analyzer) = built.map_err(|e| raise(py, &e))?;
        Ok(Scorer {
            scorer,
            analyzer,
            max_bytes,
        })
    }

    /// One article's report as JSON (the CLI's `--format json`).
    #[pyo3(signature = (text, id="-", meta=None))]
    fn score(
        &self,
        py: Python<'_>,
        text: &Bound<'_, PyAny>,
        id: &str,
        meta: Option<&str>,
    ) -> PyResult<String> {
        self.report(py, text, id, meta, |art| self.scorer.score_article(art))
    }

    /// Many articles, `(id, text, meta)` each: one JSON record per input, in order (a report with
    /// `"id"`, or `{"id", "error"}`), as `stancer score --jsonl` writes them. Never raises for a
    /// bad input: its record says what was wrong.
    fn score_records(
        &self,
        py: Python<'_>,
        items: Vec<(String, Bound<'_, PyAny>, Option<String>)>,
    ) -> Vec<String> {
        let inputs: Vec<(String, Result<Vec<u8>, String>, Option<String>)> = items
            .into_iter()
            .map(|(id, text, meta)| {
                let bytes = text_bytes(&text).map_err(|e| e.to_string());
                (id, bytes, meta)
            })
            .collect();
        py.detach(|| {
            inputs
                .iter()
                .map(|(id, bytes, meta)| {
                    let res = match bytes {
                        Ok(b) => article(id, b, meta.as_deref(), self.max_bytes)
                            .and_then(|a| self.scorer.score_article(&a)),
                        Err(msg) => Err(stancer::Error::BadJson {
                            input: id.clone(),
                            message: msg.clone(),
                        }),
                    };
                    match res {
                        Ok(r) => jsonl::report(Source::Id(id), &r),
                        Err(e) => jsonl::error(Source::Id(id), &e),
                    }
                })
                .collect()
        })
    }

    /// Quotes, speakers, entities and parties without the model (`stancer extract`), as JSON.
    #[pyo3(signature = (text, id="-", meta=None))]
    fn extract(
        &self,
        py: Python<'_>,
        text: &Bound<'_, PyAny>,
        id: &str,
        meta: Option<&str>,
    ) -> PyResult<String> {
        self.report(py, text, id, meta, |art| self.analyzer.extract(art))
    }

    /// Every (quote, party) pair as the model reads it (`stancer extract --pairs`), as a JSON list.
    #[pyo3(signature = (text, id="-", meta=None))]
    fn pairs(
        &self,
        py: Python<'_>,
        text: &Bound<'_, PyAny>,
        id: &str,
        meta: Option<&str>,
    ) -> PyResult<String> {
        self.report(py, text, id, meta, |art| self.analyzer.pair_inputs(art))
    }

    /// Scores caller-built pairs given as a JSON list of `{"text", "target", "holder"?,
    /// "target_spans"?, "holder_spans"?}`; returns a JSON list of `{"stance", "sentiment",
    /// "truncated"?}`.
    fn classify(&self, py: Python<'_>, pairs_json: &str) -> PyResult<String> {
        let pairs: Vec<Pair> = serde_json::from_str(pairs_json)
            .map_err(|e| PyValueError::new_err(format!("pairs: {e}")))?;
        if let Some(i) = pairs
            .iter()
            .position(|p| p.text.trim().is_empty() || p.target.trim().is_empty())
        {
            return Err(PyValueError::new_err(format!(
                "pair {i}: empty text or target"
            )));
        }
        let scores = py
            .detach(|| self.scorer.classify(&pairs))
            .map_err(|e| raise(py, &e))?;
        Ok(serde_json::to_string(&scores).expect("scores serialise"))
    }

    /// The loaded model (`name`, `architecture`, `mode`, `sha256` or `revision`) as JSON.
    fn model_info(&self) -> String {
        serde_json::to_string(&self.scorer.engine().info).expect("model info serialises")
    }
}

impl Scorer {
    /// Checks the text, builds the article and runs `job` on it without the GIL: the report as
    /// JSON, or the library error as a `StancerError`.
    fn report<T: serde::Serialize + Send>(
        &self,
        py: Python<'_>,
        text: &Bound<'_, PyAny>,
        id: &str,
        meta: Option<&str>,
        job: impl Fn(&Article) -> stancer::Result<T> + Sync,
    ) -> PyResult<String> {
        let bytes = text_bytes(text)?;
        let res = py.detach(|| job(&article(id, &bytes, meta, self.max_bytes)?));
        let r = res.map_err(|e| raise(py, &e))?;
        Ok(serde_json::to_string(&r).expect("reports serialise"))
    }
}

#[pymodule]
fn _stancer(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_class::<Scorer>()?;
    m.add("StancerError", m.py().get_type::<StancerError>())?;
    m.add("__version__", env!("CARGO_PKG_VERSION"))?;
    m.add("DEFAULT_MAX_BYTES", DEFAULT_MAX_BYTES)?;
    Ok(())
}
