//! The corpus summary's wire format (`stancer summarize --format json`).
//!
//! ```text
//! {
//!   "schema_version": 1, "level": "party", "by": "month",
//!   "inputs": {"files": [...], "records": 326, "reports": 324, "errors": 2,
//!              "error_kinds": {"not_utf8": 1, "bad_record": 1}, "error_examples": [...],
//!              "quotes": 6461, "quotes_without_speaker": 130, "quotes_without_party": 2200,
//!              "articles_undated": 84},
//!   "speakers": [{"key", "name", "quotes", "articles"}],          by quotes, descending
//!   "parties":  [{"id", "name", "kind", "quotes", "articles"}],   by quotes, descending
//!   "matrix":   [{"speaker", "speaker_name", "party", "party_name", "quotes", "articles",
//!                 "shares": {"against": 0.6, "favor": 0.1, "neutral": 0.3},
//!                 "net": {"mean": -0.41, "low": -0.55, "high": -0.27},
//!                 "evidence": [{"net", "label", "article", "title", "url", "published",
//!                               "outlet", "quote", "text", "start", "end"}]}],
//!   "series":   [{"speaker", "speaker_name", "party", "party_name",
//!                 "points": [{"period": "2019-03", "quotes", "articles", "shares", "net"}]}]
//! }
//! ```
//!
//! `net` is P(favor) − P(against) averaged over the cell's quotes, weighted as in the article's
//! own cells (a quote that names the party counts twice one that reaches it through its sentence
//! or the headline) and never below zero where the report relabelled the model's against (the
//! speaker's own country, or the party the speaker `speaks_for`, which the reports never label
//! against); `low`/`high` bound its 95% interval with quotes clustered in articles
//! ([`super::stats`]), absent with one article. `shares` are the fractions of quotes by their
//! stance label. Evidence is the strongest quotes each way (most for, most against; the quotes
//! that name the party first), with the model's net and the report's label, offsets in chars
//! into the article's text as in its report.
//! A speaker's `key` is its party id when the report links it to one, else its normalised name.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::report::Level;

/// Bumped whenever a field changes meaning or disappears.
pub const SCHEMA_VERSION: u32 = 1;

/// How series are cut.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Period {
    /// `2019-03`.
    Month,
    /// ISO week, `2019-W13`.
    Week,
    /// `2019-03-25`.
    Day,
    /// The article's outlet.
    Outlet,
}

/// Everything `summarize` found.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CorpusSummary {
    /// [`SCHEMA_VERSION`].
    pub schema_version: u32,
    /// Party or country level.
    pub level: Level,
    /// How series are cut, when asked.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub by: Option<Period>,
    /// What was read.
    pub inputs: Inputs,
    /// Speakers, by quotes.
    pub speakers: Vec<SpeakerRow>,
    /// Parties, by quotes about them.
    pub parties: Vec<PartyRow>,
    /// Speaker × party cells, by quotes.
    pub matrix: Vec<CellOut>,
    /// Per-period figures for the pairs asked for (or the busiest pairs).
    #[serde(default)]
    pub series: Vec<SeriesOut>,
}

/// What was read, errors included.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Inputs {
    /// The results files read.
    pub files: Vec<String>,
    /// Non-blank lines read.
    pub records: u64,
    /// Article reports among them.
    pub reports: u64,
    /// Error records, and lines that were not records (`bad_record`).
    pub errors: u64,
    /// Errors by kind.
    pub error_kinds: BTreeMap<String, u64>,
    /// The first errors, as `{input, kind, message}`.
    pub error_examples: Vec<ErrorExample>,
    /// Quotes in the reports.
    pub quotes: u64,
    /// Quotes with no resolved speaker (left out of the matrix).
    pub quotes_without_speaker: u64,
    /// Quotes scored against no party (left out of the matrix).
    pub quotes_without_party: u64,
    /// Reports with no publication date (left out of date series).
    pub articles_undated: u64,
}

/// One error in the input.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ErrorExample {
    /// The record's path or id, or `FILE:LINE` for a line that was not a record.
    pub input: String,
    /// Stable error kind.
    pub kind: String,
    /// What went wrong.
    pub message: String,
}

/// A speaker over the corpus.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SpeakerRow {
    /// Party id, or normalised name.
    pub key: String,
    /// Display name (as first seen).
    pub name: String,
    /// Quotes attributed (each once, whatever it was scored against).
    pub quotes: u64,
    /// Articles quoting the speaker.
    pub articles: u64,
}

/// A party over the corpus.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PartyRow {
    /// Party id.
    pub id: String,
    /// Display name (as first seen).
    pub name: String,
    /// person, country, government or organization.
    pub kind: String,
    /// Quote × party stances about it.
    pub quotes: u64,
    /// Articles with such a stance.
    pub articles: u64,
}

/// A mean net stance with its 95% interval.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Net {
    /// Mean of P(favor) − P(against).
    pub mean: f64,
    /// Lower bound (absent with one article).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub low: Option<f64>,
    /// Upper bound (absent with one article).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub high: Option<f64>,
}

/// One speaker × party cell.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CellOut {
    /// Speaker key.
    pub speaker: String,
    /// Speaker display name.
    pub speaker_name: String,
    /// Party id.
    pub party: String,
    /// Party display name.
    pub party_name: String,
    /// Quotes.
    pub quotes: u64,
    /// Articles they come from.
    pub articles: u64,
    /// Fraction of quotes per stance label.
    pub shares: BTreeMap<String, f64>,
    /// Mean net stance and interval.
    pub net: Net,
    /// Strongest quotes each way.
    pub evidence: Vec<EvidenceOut>,
}

/// An evidence quote.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EvidenceOut {
    /// P(favor) − P(against) of this quote toward the party.
    pub net: f64,
    /// Its stance label.
    pub label: String,
    /// The article it is from.
    #[serde(flatten)]
    pub from: ArticleRef,
    /// Quote id in its report.
    pub quote: String,
    /// The quote.
    pub text: String,
    /// Start offset (chars).
    pub start: usize,
    /// End offset (chars).
    pub end: usize,
}

/// The article behind evidence quotes (kept once, shared by every quote kept from it).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ArticleRef {
    /// The report's path or id.
    pub article: String,
    /// Headline, when known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    /// Article address, when known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    /// Publication date, when known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub published: Option<String>,
    /// Outlet, when known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub outlet: Option<String>,
}

/// One pair over periods.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SeriesOut {
    /// Speaker key.
    pub speaker: String,
    /// Speaker display name.
    pub speaker_name: String,
    /// Party id.
    pub party: String,
    /// Party display name.
    pub party_name: String,
    /// One point per period with quotes, in order.
    pub points: Vec<Point>,
}

/// One period of a series.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Point {
    /// `2019-03`, `2019-W13`, `2019-03-25` or an outlet.
    pub period: String,
    /// Quotes.
    pub quotes: u64,
    /// Articles.
    pub articles: u64,
    /// Fraction of quotes per stance label.
    pub shares: BTreeMap<String, f64>,
    /// Mean net stance and interval.
    pub net: Net,
}
