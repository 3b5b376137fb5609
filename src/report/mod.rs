//! The report: everything stancer found in one article, serialisable, offsets in chars.
//!
//! Offsets are Unicode scalar offsets into the article text as read (for HTML and JSON
//! inputs, the extracted text): `text.chars().skip(start).take(end - start)` gives the field.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::engine::{LabelScores, ModelInfo};
use crate::entities::coref::SpeakerKind;
use crate::entities::{EntityType, MentionKind};
use crate::input::{InputFormat, Metadata};
use crate::pairs::Scope;
use crate::parties::PartyKind;
use crate::quotes::{FoundBy, QuoteKind};

mod build;
pub(crate) use build::assemble;
pub use build::{extraction_json, Analysis};

/// Bumped whenever a field changes meaning or disappears.
pub const SCHEMA_VERSION: u32 = 1;

/// Everything found in one article.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ArticleReport {
    /// [`SCHEMA_VERSION`] of this report.
    pub schema_version: u32,
    /// The input.
    pub article: ArticleInfo,
    /// The model that scored it.
    pub model: ModelInfo,
    /// Named parties in order of first mention.
    pub parties: Vec<PartyOut>,
    /// Named entities (people, organizations, locations, other names) in order of first mention,
    /// each with every mention of it; absent in reports written before entities were found.
    #[serde(default)]
    pub entities: Vec<EntityOut>,
    /// Speakers of at least one quote.
    pub speakers: Vec<SpeakerOut>,
    /// Quotes in text order.
    pub quotes: Vec<QuoteOut>,
    /// The speaker × party matrix.
    pub summary: Summary,
}

/// The input an article report is about.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ArticleInfo {
    /// The path, `-` for standard input, or the caller's id.
    pub id: String,
    /// sha256 of the input bytes.
    pub sha256: String,
    /// Length of the text in chars.
    pub chars: usize,
    /// How the input was read (text, html, json).
    pub format: InputFormat,
    /// What the input says about the article: `title`, `published` (ISO 8601), `outlet`,
    /// `url`, `author`, each present only when the input gives it.
    #[serde(flatten)]
    pub meta: Metadata,
    /// The text offsets refer to (with `--include-text`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub text: Option<String>,
}

/// A piece of the article: char offsets and the text they cover.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TextSpan {
    /// Start offset (chars, inclusive).
    pub start: usize,
    /// End offset (chars, exclusive).
    pub end: usize,
    /// The text between them.
    pub text: String,
}

/// A named entity in a report.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EntityOut {
    /// `e1`, `e2`… in order of first mention.
    pub id: String,
    /// `person`, `organization`, `location` or `misc`.
    #[serde(rename = "type")]
    pub kind: EntityType,
    /// The fullest name the article gives.
    pub name: String,
    /// The party the entity is, when one of its mentions is a party's mention.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub party: Option<String>,
    /// Every mention, in text order.
    pub mentions: Vec<EntityMention>,
}

/// One mention of an entity.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EntityMention {
    /// Where it is.
    #[serde(flatten)]
    pub span: TextSpan,
    /// `name` (pronoun and nominal mentions come with coreference).
    pub kind: MentionKind,
}

/// A party in a report.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PartyOut {
    /// Stable id (parties: gazetteer id; speakers: s1, s2…; quotes: q1, q2…).
    pub id: String,
    /// Display name.
    pub name: String,
    /// What sort of thing it is.
    pub kind: PartyKind,
    /// Party id it belongs to.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub affiliation: Option<String>,
    /// Where it is mentioned.
    pub mentions: Vec<TextSpan>,
}

/// A speaker in a report.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SpeakerOut {
    /// Stable id (parties: gazetteer id; speakers: s1, s2…; quotes: q1, q2…).
    pub id: String,
    /// Display name.
    pub name: String,
    /// What sort of thing it is.
    pub kind: SpeakerKind,
    /// Role from the speaker phrase ("Deputy Foreign Minister").
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub role: Option<String>,
    /// The party id the speaker is affiliated with.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub affiliation: Option<String>,
    /// The party that is this speaker, when the speaker is itself a party (Putin, the Kremlin).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub party: Option<String>,
    /// The party id this speaker speaks for, when its name or role says so ("McCabe's lawyers",
    /// "Trump aides", "White House spokesman": the president; "Texas Gov. Greg Abbott": Texas);
    /// never labelled against it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub speaks_for: Option<String>,
    /// Where it is mentioned.
    pub mentions: Vec<TextSpan>,
}

/// Who said a quote.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SpeakerRef {
    /// The speaker's id (`s1`, `s2`…); absent when the mention is a pronoun the article gives
    /// no antecedent for ("“Some people say otherwise,” he conceded." opening an excerpt): the
    /// quote is kept, its speaker unresolved.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// The mention the quote was attributed from ("he", "Peskov").
    pub mention: TextSpan,
}

/// Why a party was scored for a quote.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Basis {
    /// Where the party was found: in the quote, its sentence, or the article.
    pub scope: Scope,
    /// The mention that brought the party (or the speaker) in.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mention: Option<TextSpan>,
}

/// One (quote, party) pair as the model reads it: a line of `stancer extract --pairs`. Its
/// `text`, `target`, `holder`, `target_spans` and `holder_spans` are `stancer classify`'s input
/// fields, so classifying the line gives the scores `score` reports for that quote and party.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PairInput {
    /// The quote's id in the article's report (`q3`).
    pub quote: String,
    /// The quote's speaker id in the report (`s2`), when the speaker was found.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub speaker: Option<String>,
    /// Party id.
    pub party: String,
    /// Why the party was scored for the quote.
    pub basis: Scope,
    /// Where `text` lies in the article (char offsets, end exclusive).
    pub window: (usize, usize),
    /// What the model reads; its spans are char offsets into `text`.
    #[serde(flatten)]
    pub input: crate::engine::Pair,
}

/// A quote's stance and sentiment toward one party.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Stance {
    /// Party id.
    pub party: String,
    /// favor, against or neutral: the top score's, but never against the speaker's own country
    /// nor the party it `speaks_for`: there the better of favor (at 0.3 or more) and neutral
    /// (`report::build::own_side_label`).
    pub label: String,
    /// Probability of each label.
    pub scores: BTreeMap<String, f32>,
    /// Sentiment of the quote toward this party.
    pub sentiment: LabelScores,
    /// Why this party was scored.
    pub basis: Basis,
    /// The quote was longer than the model window; the window around the party was read.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub truncated: bool,
}

/// A quote in a report.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct QuoteOut {
    /// Stable id (parties: gazetteer id; speakers: s1, s2…; quotes: q1, q2…).
    pub id: String,
    /// What sort of thing it is.
    pub kind: QuoteKind,
    /// The text between them.
    pub text: String,
    /// Start offset (chars, inclusive).
    pub start: usize,
    /// End offset (chars, exclusive).
    pub end: usize,
    /// The reporting cue ("said", "according to").
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cue: Option<TextSpan>,
    /// Who said it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub speaker: Option<SpeakerRef>,
    /// Who said it with them ("Nancy Pelosi and Chuck Schumer said": Pelosi beside the speaker
    /// Schumer), each with the mention that names them; absent when no one did. Each has the
    /// quote's stances in the summary as the speaker has.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub co_speakers: Vec<SpeakerRef>,
    /// `rules` or `tagger` (the learned part of the extractor).
    #[serde(default)]
    pub found_by: FoundBy,
    /// Mean sentiment over the parties the quote was scored against; none when it names no party.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sentiment: Option<LabelScores>,
    /// One entry per party in scope.
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

/// One speaker × party cell of the summary.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Cell {
    /// A speaker id, or (at country level) the speaker's country party id.
    pub speaker: String,
    /// Party id.
    pub party: String,
    /// Quotes in text order.
    pub quotes: usize,
    /// Mean stance probabilities over those quotes, a quote that names the party or refers to it
    /// counting twice as much as one that reaches it through its sentence, the sentence before
    /// or the headline.
    pub mean: BTreeMap<String, f32>,
    /// favor, against or neutral: the mean's top label, but neutral for a cell whose quotes all
    /// reach the party through the headline alone unless that label's mean is at least 0.8, and
    /// never against the speaker's own country.
    pub label: String,
}

/// Per speaker and party, the mean stance over the speaker's quotes.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Summary {
    /// Party or country level.
    pub level: Level,
    /// Cells in order of first appearance.
    pub matrix: Vec<Cell>,
}

impl ArticleReport {
    /// A speaker's name by id (the id itself when unknown).
    pub fn speaker_name(&self, id: &str) -> String {
        self.speakers
            .iter()
            .find(|s| s.id == id)
            .map(|s| s.name.clone())
            .unwrap_or_else(|| id.to_string())
    }

    /// The names of the people who said a quote with its speaker, joined by " & " (empty when
    /// none did).
    pub fn co_speaker_names(&self, q: &QuoteOut) -> String {
        q.co_speakers
            .iter()
            .map(|c| match &c.id {
                Some(id) => self.speaker_name(id),
                None => c.mention.text.clone(),
            })
            .collect::<Vec<_>>()
            .join(" & ")
    }

    /// A party's display name by id (the id itself when unknown).
    pub fn party_name(&self, id: &str) -> String {
        self.parties
            .iter()
            .find(|p| p.id == id)
            .map(|p| p.name.clone())
            .unwrap_or_else(|| id.to_string())
    }
}

/// Averages label distributions; the label is the argmax of the mean.
pub fn mean_scores<'a>(
    items: impl IntoIterator<Item = &'a BTreeMap<String, f32>>,
) -> Option<LabelScores> {
    weighted_mean_scores(items.into_iter().map(|s| (s, 1.0)))
}

/// Averages label distributions, each with its weight; the label is the argmax of the mean.
pub fn weighted_mean_scores<'a>(
    items: impl IntoIterator<Item = (&'a BTreeMap<String, f32>, f32)>,
) -> Option<LabelScores> {
    let mut sum: BTreeMap<String, f32> = BTreeMap::new();
    let mut n = 0.0;
    for (s, w) in items {
        for (k, v) in s {
            *sum.entry(k.clone()).or_default() += w * v;
        }
        n += w;
    }
    if n <= 0.0 {
        return None;
    }
    sum.values_mut().for_each(|v| *v /= n);
    let label = sum
        .iter()
        .max_by(|a, b| a.1.total_cmp(b.1))
        .map(|(k, _)| k.clone())?;
    Some(LabelScores { label, scores: sum })
}
