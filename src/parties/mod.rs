//! Named parties: who an article is about, grouped the way an analyst thinks of them
//! (the Kremlin, Moscow and "Russian" are Russia), with governments and article-defined people.

mod find;
pub mod gazetteer;
pub mod principal;
pub mod titles;
pub mod user;

use serde::{Deserialize, Serialize};

pub use find::find;
pub use gazetteer::{Gazetteer, Hit};

use crate::entities::{Entity, EntityType, MentionKind};
use crate::text::Span;

/// What sort of party.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum PartyKind {
    /// A state.
    Country,
    /// A government or administration, affiliated with its country.
    Government,
    /// A person, usually affiliated with a country or organisation.
    Person,
    /// An international body, company, party or other organisation.
    Organization,
    /// An issue or policy ("sanctions", "the border wall", "NATO expansion"), given with
    /// `--topic` or `kind = "topic"`: its aliases match in any letter case, and a quote is scored
    /// toward it as toward a party.
    Topic,
}

impl PartyKind {
    /// Parses a kind name (`organisation` and `org` are accepted).
    pub fn parse(s: &str) -> Option<Self> {
        match s.trim().to_ascii_lowercase().as_str() {
            "country" => Some(PartyKind::Country),
            "government" => Some(PartyKind::Government),
            "person" => Some(PartyKind::Person),
            "organization" | "organisation" | "org" => Some(PartyKind::Organization),
            "topic" | "issue" => Some(PartyKind::Topic),
            _ => None,
        }
    }
}

/// A party as defined in a gazetteer or by the user.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PartyDef {
    /// Stable id (ISO-like country code or upper-case name).
    pub id: String,
    /// Display name.
    pub name: String,
    /// What sort of party.
    pub kind: PartyKind,
    /// The id of the party this one belongs to (a person's country, an agency's body).
    pub affiliation: Option<String>,
    /// Names that refer to the party in text.
    pub aliases: Vec<String>,
}

/// A party found in one article, with its mentions (byte spans).
#[derive(Debug, Clone, PartialEq)]
pub struct Party {
    /// Stable id (ISO-like country code or upper-case name).
    pub id: String,
    /// Display name.
    pub name: String,
    /// What sort of party.
    pub kind: PartyKind,
    /// Id of the party this one belongs to.
    pub affiliation: Option<String>,
    /// Where it is mentioned (byte spans).
    pub mentions: Vec<Span>,
}

/// The parties of one article, and how its speakers relate to them.
#[derive(Debug, Clone, Default)]
pub struct ArticleParties {
    /// Parties in order of first mention.
    pub parties: Vec<Party>,
    /// For each speaker of the extraction: the party that is this speaker (a person or institution).
    pub speaker_party: Vec<Option<usize>>,
    /// For each speaker: the id of the party it is affiliated with (a country, or the side of an
    /// organisation it belongs to); none for a party of no known side (`speaker_side`).
    pub speaker_affiliation: Vec<Option<String>>,
    /// For each speaker: the party it speaks for, never read against ("McCabe's lawyers":
    /// Andrew McCabe; `principal::resolve`, empty until it runs).
    pub speaker_principal: Vec<Option<usize>>,
    /// "the administration" after "the Obama administration": (mention, party), by position.
    pub referring: Vec<(Span, usize)>,
    /// For each entity of the article: the party it is (`parties_of`), decided once here for the
    /// pairs' pronoun links and the report's `entities[].party`.
    pub entity_party: Vec<Option<usize>>,
}

impl ArticleParties {
    /// The party each entity is: a party one of whose mentions overlaps one of the entity's
    /// names, best the one whose mention is the name itself and whose kind is the entity's. The
    /// first overlap alone made the person "Trump" of "Trump's foreign policy" the Trump
    /// administration (SEESAW valid), whose "the Trump administration" mention his first name sat
    /// in. One index of every party mention, searched per name, rather than asking every party
    /// for every name: an entity may have thousands of names in a long text.
    pub fn parties_of(&self, entities: &[Entity]) -> Vec<Option<usize>> {
        // Kept mentions never overlap one another (the longest won), so sorted by start they are
        // sorted by end too.
        let mut index: Vec<(Span, usize)> = (self.parties.iter().enumerate())
            .flat_map(|(pi, p)| p.mentions.iter().map(move |m| (*m, pi)))
            .collect();
        index.sort_by_key(|(m, _)| (m.start, m.end));
        entities
            .iter()
            .map(|e| self.best_party(e, &index))
            .collect()
    }

    fn best_party(&self, e: &Entity, index: &[(Span, usize)]) -> Option<usize> {
        let person = e.kind == EntityType::Person;
        let mut best: Option<(u8, usize)> = None;
        for n in e.mentions.iter().filter(|m| m.kind == MentionKind::Name) {
            let lo = index.partition_point(|(m, _)| m.end <= n.span.start);
            for &(m, pi) in index[lo..].iter().take_while(|(m, _)| m.start < n.span.end) {
                if !m.overlaps(n.span) {
                    continue;
                }
                let kind_fits = (self.parties[pi].kind == PartyKind::Person) == person;
                let rank = 2 * u8::from(m == n.span) + u8::from(kind_fits);
                if best.is_none_or(|(r, _)| rank > r) {
                    best = Some((rank, pi));
                }
                if rank == 3 {
                    return Some(pi);
                }
            }
        }
        best.map(|(_, pi)| pi)
    }

    /// Parties with a mention overlapping `span`, excluding mentions inside `exclude`.
    pub fn mentioned_in(&self, span: Span, exclude: Option<Span>) -> Vec<usize> {
        (0..self.parties.len())
            .filter(|&p| {
                self.parties[p]
                    .mentions
                    .iter()
                    .any(|m| span.contains(*m) && !exclude.is_some_and(|e| e.overlaps(*m)))
            })
            .collect()
    }

    /// The side speaker `si` is on: its affiliation, else the country its own party folds into
    /// (a party of no known side is its own). What `--level country` keys a speaker by, and
    /// what "its own country or government" means for the pairs.
    pub fn speaker_side(&self, si: usize) -> Option<String> {
        self.speaker_affiliation
            .get(si)
            .cloned()
            .flatten()
            .or_else(|| {
                self.speaker_party
                    .get(si)
                    .copied()
                    .flatten()
                    .map(|p| self.country_of(p))
            })
    }

    /// The country a party folds into for `--level country`.
    pub fn country_of(&self, p: usize) -> String {
        let party = &self.parties[p];
        match (&party.kind, &party.affiliation) {
            (PartyKind::Country, _) | (_, None) => party.id.clone(),
            (_, Some(a)) => a.clone(),
        }
    }
}

/// Spans sorted by start with the running maximum of their ends: "does anything overlap this
/// span" by binary search (a scan of every party hit per entity mention took seconds on a
/// 4.7 MB article).
struct Covered {
    starts: Vec<usize>,
    max_end: Vec<usize>,
}

impl Covered {
    fn new(spans: impl Iterator<Item = Span>) -> Self {
        let mut v: Vec<Span> = spans.collect();
        v.sort();
        let mut max_end = Vec::with_capacity(v.len());
        let mut m = 0;
        for s in &v {
            m = m.max(s.end);
            max_end.push(m);
        }
        Covered {
            starts: v.iter().map(|s| s.start).collect(),
            max_end,
        }
    }

    fn overlaps(&self, s: Span) -> bool {
        let i = self.starts.partition_point(|&st| st < s.end);
        i > 0 && self.max_end[i - 1] > s.start
    }
}

#[cfg(test)]
mod tests;
