//! One record of a JSON-lines stream (the envelope `output/jsonl.rs` writes and documents), read
//! for summaries only.
//!
//! Only the fields a summary needs are read (entities, mentions and sentiment are skipped
//! without being built), borrowing from the line where it can: parsing is most of the time a
//! summary takes.

use std::borrow::Cow;
use std::collections::BTreeMap;

use serde::Deserialize;

use crate::pairs::Scope;

/// A report or an error record.
#[derive(Debug, Deserialize)]
pub struct Record<'a> {
    /// The input file (batch records).
    #[serde(borrow, default)]
    pub path: Option<Cow<'a, str>>,
    /// The id (records of `--jsonl` inputs; for parts, their id in the report).
    #[serde(borrow, default)]
    pub id: Option<Cow<'a, str>>,
    /// Present on error records.
    #[serde(borrow, default)]
    pub error: Option<ErrorRec<'a>>,
    /// Present on reports.
    #[serde(borrow, default)]
    pub article: Option<ArticleRec<'a>>,
    /// The report's parties.
    #[serde(borrow, default)]
    pub parties: Vec<PartyRec<'a>>,
    /// The report's speakers.
    #[serde(borrow, default)]
    pub speakers: Vec<SpeakerRec<'a>>,
    /// The report's quotes.
    #[serde(borrow, default)]
    pub quotes: Vec<QuoteRec<'a>>,
}

/// An error record's `error`.
#[derive(Debug, Deserialize)]
pub struct ErrorRec<'a> {
    /// Stable kind.
    #[serde(borrow)]
    pub kind: Cow<'a, str>,
    /// What went wrong, or what sort of thing it is.
    #[serde(borrow, default)]
    pub message: Cow<'a, str>,
}

/// A report's `article`.
#[derive(Debug, Default, Deserialize)]
pub struct ArticleRec<'a> {
    /// The id (records of `--jsonl` inputs; for parts, their id in the report).
    #[serde(borrow, default)]
    pub id: Cow<'a, str>,
    /// Headline.
    #[serde(borrow, default)]
    pub title: Option<Cow<'a, str>>,
    /// Publication date, ISO 8601.
    #[serde(borrow, default)]
    pub published: Option<Cow<'a, str>>,
    /// Outlet.
    #[serde(borrow, default)]
    pub outlet: Option<Cow<'a, str>>,
    /// Address.
    #[serde(borrow, default)]
    pub url: Option<Cow<'a, str>>,
}

/// One of a report's `parties`.
#[derive(Debug, Deserialize)]
pub struct PartyRec<'a> {
    /// The id (records of `--jsonl` inputs; for parts, their id in the report).
    #[serde(borrow)]
    pub id: Cow<'a, str>,
    /// Display name.
    #[serde(borrow)]
    pub name: Cow<'a, str>,
    /// Stable kind.
    #[serde(borrow)]
    pub kind: Cow<'a, str>,
    /// Party id it belongs to.
    #[serde(borrow, default)]
    pub affiliation: Option<Cow<'a, str>>,
}

/// One of a report's `speakers`.
#[derive(Debug, Deserialize)]
pub struct SpeakerRec<'a> {
    /// The id (records of `--jsonl` inputs; for parts, their id in the report).
    #[serde(borrow)]
    pub id: Cow<'a, str>,
    /// Display name.
    #[serde(borrow)]
    pub name: Cow<'a, str>,
    /// Party id it belongs to.
    #[serde(borrow, default)]
    pub affiliation: Option<Cow<'a, str>>,
    /// Party id (the speaker's own party, or the stance's target).
    #[serde(borrow, default)]
    pub party: Option<Cow<'a, str>>,
}

/// One of a report's `quotes`.
#[derive(Debug, Deserialize)]
pub struct QuoteRec<'a> {
    /// The id (records of `--jsonl` inputs; for parts, their id in the report).
    #[serde(borrow)]
    pub id: Cow<'a, str>,
    /// The quote.
    #[serde(borrow)]
    pub text: Cow<'a, str>,
    /// Start offset (chars).
    pub start: usize,
    /// End offset (chars).
    pub end: usize,
    /// Who said it.
    #[serde(borrow, default)]
    pub speaker: Option<SpeakerRefRec<'a>>,
    /// Who said it with them.
    #[serde(borrow, default)]
    pub co_speakers: Vec<SpeakerRefRec<'a>>,
    /// One per party in scope.
    #[serde(borrow, default)]
    pub stances: Vec<StanceRec<'a>>,
}

/// A quote's `speaker`.
#[derive(Debug, Deserialize)]
pub struct SpeakerRefRec<'a> {
    /// The id (records of `--jsonl` inputs; for parts, their id in the report).
    #[serde(borrow, default)]
    pub id: Option<Cow<'a, str>>,
}

/// One of a quote's `stances`.
#[derive(Debug, Deserialize)]
pub struct StanceRec<'a> {
    /// Party id (the speaker's own party, or the stance's target).
    #[serde(borrow)]
    pub party: Cow<'a, str>,
    /// favor, against or neutral.
    #[serde(borrow)]
    pub label: Cow<'a, str>,
    /// Probability per label.
    #[serde(borrow)]
    pub scores: BTreeMap<Cow<'a, str>, f32>,
    /// Why the party was scored (absent in hand-made records: counted as a quote naming it).
    #[serde(default)]
    pub basis: Option<BasisRec>,
}

/// A stance's `basis`: only its scope is read.
#[derive(Debug, Deserialize)]
pub struct BasisRec {
    /// Where the party was found.
    #[serde(default)]
    pub scope: Option<Scope>,
}

impl StanceRec<'_> {
    /// P(favor) − P(against): +1 all for, −1 all against.
    pub fn net(&self) -> f64 {
        let p = |k: &str| self.scores.get(k).copied().unwrap_or(0.0) as f64;
        p("favor") - p("against")
    }

    /// Whether the report labelled this stance other than its top score, against: the one
    /// relabelling a report makes (`report::build::own_side_label`).
    pub fn relabelled_against(&self) -> bool {
        let top = self.scores.iter().max_by(|a, b| a.1.total_cmp(b.1));
        self.label != "against" && top.is_some_and(|(l, _)| l == "against")
    }

    /// How much the quote counts in its cell's mean, as in the article's own summary
    /// ([`Scope::cell_weight`]).
    pub fn weight(&self) -> f64 {
        self.basis
            .as_ref()
            .and_then(|b| b.scope)
            .map_or(1.0, |s| s.cell_weight() as f64)
    }
}

impl<'a> Record<'a> {
    /// How the record names its input: `path`, `id`, or the report's `article.id`.
    pub fn name(&self) -> &str {
        self.path
            .as_deref()
            .or(self.id.as_deref())
            .or(self.article.as_ref().map(|a| a.id.as_ref()))
            .unwrap_or("")
    }

    /// The party a report's party id folds into at country level: a country is itself; a
    /// person, government or organisation is its affiliation when it has one.
    pub fn country_of<'s>(&'s self, party: &'s str) -> &'s str {
        match self.parties.iter().find(|p| p.id == party) {
            Some(p) if p.kind != "country" => p.affiliation.as_deref().unwrap_or(party),
            _ => party,
        }
    }
}

/// A name as a merge key across articles: lower case, letters and digits, single spaces
/// ("Sen. John  McCain" and "sen john mccain" are one speaker).
pub fn name_key(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    for w in name
        .split(|c: char| !c.is_alphanumeric() && c != '\'' && c != '’')
        .filter(|w| !w.is_empty())
    {
        if !out.is_empty() {
            out.push(' ');
        }
        out.extend(
            w.chars()
                .filter(|c| c.is_alphanumeric())
                .flat_map(char::to_lowercase),
        );
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_merge_across_spellings() {
        assert_eq!(name_key("Sen. John  McCain"), "sen john mccain");
        assert_eq!(name_key("O’Rourke"), "orourke");
        assert_eq!(name_key("José Álvarez-Díaz"), "josé álvarez díaz");
    }

    #[test]
    fn reads_a_report_and_an_error_record() {
        let line = r#"{"path":"a.txt","schema_version":1,"article":{"id":"a.txt","sha256":"x","chars":9,"format":"text","outlet":"fox","published":"2019-03-25"},"model":{},"parties":[{"id":"RUS","name":"Russia","kind":"country","mentions":[]},{"id":"PUTIN","name":"Vladimir Putin","kind":"person","affiliation":"RUS","mentions":[]}],"entities":[{"id":"e1"}],"speakers":[{"id":"s1","name":"Peskov","kind":"person","affiliation":"RUS","mentions":[]}],"quotes":[{"id":"q1","kind":"direct","text":"We \"agree\"","start":0,"end":9,"speaker":{"id":"s1","mention":{}},"stances":[{"party":"PUTIN","label":"favor","scores":{"favor":0.8,"against":0.1,"neutral":0.1},"sentiment":{},"basis":{}}]}],"summary":{}}"#;
        let r: Record = serde_json::from_str(line).unwrap();
        assert_eq!(r.name(), "a.txt");
        assert_eq!(r.quotes[0].text, "We \"agree\"");
        assert!((r.quotes[0].stances[0].net() - 0.7).abs() < 1e-6);
        assert_eq!(r.country_of("PUTIN"), "RUS");
        assert_eq!(r.article.unwrap().outlet.as_deref(), Some("fox"));
        let e: Record =
            serde_json::from_str(r#"{"id":"x:3","error":{"kind":"bad_json","message":"m"}}"#)
                .unwrap();
        assert_eq!(e.name(), "x:3");
        assert_eq!(e.error.unwrap().kind, "bad_json");
    }
}
