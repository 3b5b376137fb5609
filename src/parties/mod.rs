//! Named parties: who an article is about, grouped the way an analyst thinks of them
//! (the Kremlin, Moscow and "Russian" are Russia), with governments and article-defined people.

pub mod gazetteer;
pub mod user;

use std::collections::HashMap;

use once_cell::sync::Lazy;
use regex::Regex;
use serde::{Deserialize, Serialize};

pub use gazetteer::{Gazetteer, Hit};

use crate::entities::{Entity, EntityType, MentionKind};
use crate::quotes::Extraction;
use crate::speakers::SpeakerKind;
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
}

impl PartyKind {
    /// Parses a kind name (`organisation` and `org` are accepted).
    pub fn parse(s: &str) -> Option<Self> {
        match s.trim().to_ascii_lowercase().as_str() {
            "country" => Some(PartyKind::Country),
            "government" => Some(PartyKind::Government),
            "person" => Some(PartyKind::Person),
            "organization" | "organisation" | "org" => Some(PartyKind::Organization),
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
    /// For each speaker: the id of the party it is affiliated with.
    pub speaker_affiliation: Vec<Option<String>>,
}

impl ArticleParties {
    /// The party an entity is: the first party one of whose mentions overlaps one of the
    /// entity's names (binary search: mentions are sorted by start and do not overlap).
    pub fn party_of(&self, e: &Entity) -> Option<usize> {
        e.mentions
            .iter()
            .filter(|m| m.kind == MentionKind::Name)
            .find_map(|n| {
                self.parties.iter().position(|p| {
                    let i = p.mentions.partition_point(|pm| pm.end <= n.span.start);
                    p.mentions.get(i).is_some_and(|pm| pm.overlaps(n.span))
                })
            })
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

static GOVERNMENT: Lazy<Regex> = Lazy::new(|| {
    Regex::new(r"\b(?:[Tt]he\s+)?(?:(?:previous|current|former|new|incoming|outgoing|last|next|then)\s+)?((?:[A-Z][\w.’'\-]*\s+){1,3})(?:administration|government|Administration|Government)\b").unwrap()
});

fn slug(s: &str) -> String {
    let mut out = String::new();
    for c in s.chars() {
        if c.is_alphanumeric() {
            out.extend(c.to_uppercase());
        } else if !out.ends_with('_') && !out.is_empty() {
            out.push('_');
        }
    }
    out.trim_end_matches('_').to_string()
}

/// Finds the parties of an article: gazetteer aliases, governments ("the Biden administration"),
/// and people the article itself introduces ("Kremlin spokesperson Dmitry Peskov").
pub fn find(text: &str, entities: &[Entity], ex: &Extraction, gaz: &Gazetteer) -> ArticleParties {
    // (party key, span) pairs; keys index `defs` below.
    let mut defs: Vec<Party> = Vec::new();
    let mut key: HashMap<String, usize> = HashMap::new();
    let add_def = |defs: &mut Vec<Party>,
                   key: &mut HashMap<String, usize>,
                   id: String,
                   name: String,
                   kind,
                   affiliation|
     -> usize {
        *key.entry(id.clone()).or_insert_with(|| {
            defs.push(Party {
                id,
                name,
                kind,
                affiliation,
                mentions: Vec::new(),
            });
            defs.len() - 1
        })
    };
    let mut hits: Vec<(usize, Span)> = Vec::new();
    for h in gaz.find(text) {
        let d = &gaz.defs[h.party];
        let k = add_def(
            &mut defs,
            &mut key,
            d.id.clone(),
            d.name.clone(),
            d.kind,
            d.affiliation.clone(),
        );
        hits.push((k, h.span));
    }

    // Governments and administrations, linked to their country.
    for c in GOVERNMENT.captures_iter(text) {
        let whole = c.get(0).unwrap();
        let owner = c.get(1).unwrap().as_str().trim();
        let Some(owner_party) = gaz
            .lookup(owner)
            .or_else(|| gaz.lookup(owner.trim_end_matches("'s").trim_end_matches("’s")))
        else {
            continue;
        };
        let od = &gaz.defs[owner_party];
        let country = match od.kind {
            PartyKind::Country => Some(od.id.clone()),
            _ => od.affiliation.clone(),
        };
        let phrase = whole
            .as_str()
            .trim_start_matches("the ")
            .trim_start_matches("The ")
            .to_string();
        let name = phrase.replace(['\n', '\t'], " ");
        let id = format!("GOV_{}", slug(&name));
        let k = add_def(
            &mut defs,
            &mut key,
            id,
            name,
            PartyKind::Government,
            country,
        );
        hits.push((
            k,
            Span::new(
                whole.start() + (whole.as_str().len() - phrase.len()),
                whole.end(),
            ),
        ));
    }

    // People the article introduces as speakers, unless the gazetteer knows them.
    let mut speaker_party = vec![None; ex.speakers.len()];
    let mut local: Vec<(String, usize)> = Vec::new();
    for (si, s) in ex.speakers.iter().enumerate() {
        if !s.speaks {
            continue;
        }
        let affiliation = s
            .affiliation
            .as_deref()
            .and_then(|a| gaz.lookup(a))
            .map(|p| {
                let d = &gaz.defs[p];
                match d.kind {
                    PartyKind::Country => d.id.clone(),
                    _ => d.affiliation.clone().unwrap_or_else(|| d.id.clone()),
                }
            });
        if s.kind == SpeakerKind::Group {
            if let Some(p) = gaz.lookup(&s.name).or_else(|| {
                gaz.lookup(s.name.trim_start_matches("the ").trim_start_matches("The "))
            }) {
                let d = &gaz.defs[p];
                speaker_party[si] = Some(add_def(
                    &mut defs,
                    &mut key,
                    d.id.clone(),
                    d.name.clone(),
                    d.kind,
                    d.affiliation.clone(),
                ));
            }
            continue;
        }
        // A person party is a person's name: "seven-term congressman" or "mother and father"
        // describe someone without naming them.
        if (s.name.split(' ').count() < 2 || !crate::speakers::is_proper_name(&s.name))
            && gaz.lookup(&s.name).is_none()
        {
            continue;
        }
        let k = match gaz.lookup(&s.name) {
            Some(p) => {
                let d = &gaz.defs[p];
                let k = add_def(
                    &mut defs,
                    &mut key,
                    d.id.clone(),
                    d.name.clone(),
                    d.kind,
                    d.affiliation.clone(),
                );
                if defs[k].affiliation.is_none() {
                    defs[k].affiliation = affiliation;
                }
                k
            }
            None => {
                let k = add_def(
                    &mut defs,
                    &mut key,
                    format!("PERSON_{}", slug(&s.name)),
                    s.name.clone(),
                    PartyKind::Person,
                    affiliation,
                );
                local.push((s.name.clone(), k));
                if let Some(surname) = s.name.rsplit(' ').next() {
                    local.push((surname.to_string(), k));
                }
                k
            }
        };
        speaker_party[si] = Some(k);
    }
    if !local.is_empty() {
        let ac = aho_corasick::AhoCorasick::builder()
            .match_kind(aho_corasick::MatchKind::LeftmostLongest)
            .build(local.iter().map(|(n, _)| n.as_str()))
            .expect("speaker names form a valid automaton");
        for m in ac.find_iter(text) {
            let before = text[..m.start()].chars().next_back();
            let after = text[m.end()..].chars().next();
            if before.is_none_or(|c| !c.is_alphanumeric())
                && after.is_none_or(|c| !c.is_alphanumeric())
            {
                hits.push((
                    local[m.pattern().as_usize()].1,
                    Span::new(m.start(), m.end()),
                ));
            }
        }
    }

    // People the entity tagger names that no party covers yet ("Mitt Romney’s Medicare ad",
    // "said of Todd Akin"): a stance toward them is one the user would otherwise never see.
    // Only full names: a lone surname the tagger calls a person is too often a place or a team.
    let covered = Covered::new(hits.iter().map(|(_, h)| *h));
    for e in entities {
        if e.kind != EntityType::Person || !e.name.contains(' ') {
            continue;
        }
        let mut names = e.mentions.iter().filter(|m| m.kind == MentionKind::Name);
        if names.any(|m| covered.overlaps(m.span)) {
            continue;
        }
        let k = add_def(
            &mut defs,
            &mut key,
            format!("PERSON_{}", slug(&e.name)),
            e.name.clone(),
            PartyKind::Person,
            None,
        );
        hits.extend(
            e.mentions
                .iter()
                .filter(|m| m.kind == MentionKind::Name)
                .map(|m| (k, m.span)),
        );
    }

    // Longest match wins where spans overlap, except hyphenated compounds (U.S.-Russia) which never overlap.
    hits.sort_by_key(|(_, s)| (s.start, std::cmp::Reverse(s.end)));
    let mut kept: Vec<(usize, Span)> = Vec::new();
    for (k, s) in hits {
        if let Some(last) = kept.last() {
            if last.1.overlaps(s) {
                continue;
            }
        }
        kept.push((k, s));
    }
    for (k, s) in kept {
        defs[k].mentions.push(s);
    }

    let speaker_affiliation = ex
        .speakers
        .iter()
        .enumerate()
        .map(|(si, s)| {
            if let Some(p) = speaker_party[si] {
                let d = &defs[p];
                return Some(match d.kind {
                    PartyKind::Country => d.id.clone(),
                    _ => d.affiliation.clone().unwrap_or_else(|| d.id.clone()),
                });
            }
            s.affiliation
                .as_deref()
                .and_then(|a| gaz.lookup(a))
                .map(|p| {
                    let d = &gaz.defs[p];
                    if d.kind == PartyKind::Country {
                        d.id.clone()
                    } else {
                        d.affiliation.clone().unwrap_or_else(|| d.id.clone())
                    }
                })
        })
        .collect::<Vec<_>>();

    // Keep parties that are mentioned or speak; order by first mention.
    let mut order: Vec<usize> = (0..defs.len())
        .filter(|&i| !defs[i].mentions.is_empty() || speaker_party.contains(&Some(i)))
        .collect();
    order.sort_by_key(|&i| {
        defs[i]
            .mentions
            .first()
            .map(|m| m.start)
            .unwrap_or(usize::MAX)
    });
    let remap: HashMap<usize, usize> = order
        .iter()
        .enumerate()
        .map(|(new, &old)| (old, new))
        .collect();
    let parties = order.iter().map(|&i| defs[i].clone()).collect();
    let speaker_party = speaker_party
        .into_iter()
        .map(|p| p.and_then(|p| remap.get(&p).copied()))
        .collect();
    ArticleParties {
        parties,
        speaker_party,
        speaker_affiliation,
    }
}

#[cfg(test)]
mod tests;
