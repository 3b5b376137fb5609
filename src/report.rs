//! The report: everything stancer found in one article, serialisable, offsets in chars.
//!
//! Offsets are Unicode scalar offsets into the article text as read (for HTML and JSON
//! inputs, the extracted text): `text.chars().skip(start).take(end - start)` gives the field.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::engine::{LabelScores, ModelInfo};
use crate::input::InputFormat;
use crate::pairs::Scope;
use crate::parties::PartyKind;
use crate::quotes::QuoteKind;
use crate::speakers::SpeakerKind;

/// Bumped whenever a field changes meaning or disappears.
pub const SCHEMA_VERSION: u32 = 1;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ArticleReport {
    pub schema_version: u32,
    pub article: ArticleInfo,
    pub model: ModelInfo,
    pub parties: Vec<PartyOut>,
    pub speakers: Vec<SpeakerOut>,
    pub quotes: Vec<QuoteOut>,
    pub summary: Summary,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ArticleInfo {
    /// The path, `-` for standard input, or the caller's id.
    pub id: String,
    /// sha256 of the input bytes.
    pub sha256: String,
    /// Length of the text in chars.
    pub chars: usize,
    pub format: InputFormat,
    /// The text offsets refer to (with `--include-text`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub text: Option<String>,
}

/// A piece of the article: char offsets and the text they cover.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TextSpan {
    pub start: usize,
    pub end: usize,
    pub text: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PartyOut {
    pub id: String,
    pub name: String,
    pub kind: PartyKind,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub affiliation: Option<String>,
    pub mentions: Vec<TextSpan>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SpeakerOut {
    pub id: String,
    pub name: String,
    pub kind: SpeakerKind,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub role: Option<String>,
    /// The party id the speaker is affiliated with.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub affiliation: Option<String>,
    /// The party that is this speaker, when the speaker is itself a party (Putin, the Kremlin).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub party: Option<String>,
    pub mentions: Vec<TextSpan>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SpeakerRef {
    pub id: String,
    /// The mention the quote was attributed from ("he", "Peskov").
    pub mention: TextSpan,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Basis {
    /// Where the party was found: in the quote, its sentence, or the article.
    pub scope: Scope,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mention: Option<TextSpan>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Stance {
    pub party: String,
    pub label: String,
    pub scores: BTreeMap<String, f32>,
    /// Sentiment of the quote toward this party.
    pub sentiment: LabelScores,
    pub basis: Basis,
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub truncated: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct QuoteOut {
    pub id: String,
    pub kind: QuoteKind,
    pub text: String,
    pub start: usize,
    pub end: usize,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cue: Option<TextSpan>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub speaker: Option<SpeakerRef>,
    /// Mean sentiment over the parties the quote was scored against; none when it names no party.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sentiment: Option<LabelScores>,
    pub stances: Vec<Stance>,
}

/// Folding of the summary matrix.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Level {
    /// Parties as found (people, governments, countries, organisations).
    #[default]
    Party,
    /// People and governments folded into their countries, on both axes.
    Country,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Cell {
    /// A speaker id, or (at country level) the speaker's country party id.
    pub speaker: String,
    pub party: String,
    pub quotes: usize,
    /// Mean stance probabilities over those quotes.
    pub mean: BTreeMap<String, f32>,
    pub label: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Summary {
    pub level: Level,
    pub matrix: Vec<Cell>,
}

/// Averages label distributions; the label is the argmax of the mean.
pub fn mean_scores<'a>(
    items: impl IntoIterator<Item = &'a BTreeMap<String, f32>>,
) -> Option<LabelScores> {
    let mut sum: BTreeMap<String, f32> = BTreeMap::new();
    let mut n = 0;
    for s in items {
        for (k, v) in s {
            *sum.entry(k.clone()).or_default() += v;
        }
        n += 1;
    }
    if n == 0 {
        return None;
    }
    sum.values_mut().for_each(|v| *v /= n as f32);
    let label = sum
        .iter()
        .max_by(|a, b| a.1.total_cmp(b.1))
        .map(|(k, _)| k.clone())?;
    Some(LabelScores { label, scores: sum })
}
