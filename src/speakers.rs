//! Speakers: splitting a speaker phrase into name, role and affiliation, and
//! resolving later mentions (surname, pronoun, "the spokesperson") to one speaker.

use serde::Serialize;

use crate::entities::{Entity, EntityType, MentionKind};
use crate::lexicon::{
    FEMALE_NAMES, FEMALE_PRONOUNS, GROUP_HEADS, HONORIFICS, MALE_NAMES, MALE_PRONOUNS, NOT_NAMES,
    ORGANISATION_HEADS, ROLE_WORDS,
};
use crate::text::{Span, Token};

/// Person or group.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum SpeakerKind {
    /// One person.
    Person,
    /// An institution or group: "the Kremlin", "officials", "the ministry".
    Group,
}

/// Grammatical gender for pronoun agreement.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Gender {
    /// he/him.
    Male,
    /// she/her.
    Female,
    /// Not known: compatible with either.
    Unknown,
}

/// A resolved speaker, with every mention the extractor linked to it.
#[derive(Debug, Clone)]
pub struct Speaker {
    /// Name as written at its fullest ("Dmitry Peskov").
    pub name: String,
    /// Role from a title or appositive.
    pub role: Option<String>,
    /// The affiliation as written ("Kremlin", "Russian"); the parties stage maps it to a party.
    pub affiliation: Option<String>,
    /// Person or group.
    pub kind: SpeakerKind,
    /// For pronoun agreement.
    pub gender: Gender,
    /// Every mention linked to the speaker (bytes).
    pub mentions: Vec<Span>,
    /// True once a quote is attributed to this speaker (others are only antecedents).
    pub speaks: bool,
}

impl Speaker {
    fn surname(&self) -> &str {
        self.name.rsplit(' ').next().unwrap_or(&self.name)
    }
}

/// What a speaker phrase says about its speaker.
#[derive(Debug, Clone, PartialEq)]
pub enum Phrase {
    /// A name, with what the phrase says of role and affiliation.
    Named {
        /// Name as written at its fullest ("Dmitry Peskov").
        name: String,
        /// Role from a title or appositive.
        role: Option<String>,
        /// Affiliation as written ("Kremlin", "Russian").
        affiliation: Option<String>,
    },
    /// he/she (gender) or they/it (plural = true).
    Pronoun(Gender, bool),
    /// "the spokesperson", "the ministry", "officials", "Russian officials", "the Kremlin".
    Nominal {
        /// The head word ("spokesperson", "ministry").
        head: String,
        /// The phrase without articles.
        text: String,
        /// An institution or group rather than a person.
        group: bool,
        /// Affiliation as written ("Kremlin", "Russian").
        affiliation: Option<String>,
    },
}

fn is_role(w: &str) -> bool {
    ROLE_WORDS.contains(&w.to_lowercase().as_str())
}

/// "Representative Carolyn B. Maloney of New York", "the 45th president of the United States",
/// "a petition filed in Miami": capitals after "of"/"in"/"at"/"from" at the end of the phrase
/// name a place or institution, not the speaker (the audit of 100 BASIL quotes found three
/// representatives and a senator named after their states). The speaker is the phrase before it,
/// with the place as affiliation; `Some(None)` when that phrase names no one. `None` leaves the
/// phrase to the general rules; a single capitalised word before "of" without a title starts an
/// institution's name ("Bank of America"), which is the whole phrase from there.
fn placed_phrase(toks: &[&Token], name_start: usize) -> Option<Option<Phrase>> {
    let mut k = name_start.checked_sub(1)?;
    if k > 0 && toks[k].lower() == "the" {
        k -= 1;
    }
    if k == 0
        || name_start == toks.len()
        || !matches!(toks[k].lower().as_str(), "of" | "in" | "at" | "from")
    {
        return None;
    }
    let left: Vec<Token> = toks[..k].iter().map(|t| **t).collect();
    let capitals = left
        .iter()
        .rev()
        .take_while(|t| t.is_capitalized() && !is_role(t.text))
        .count();
    let titled = left[..left.len() - capitals]
        .iter()
        .any(|t| is_role(t.text));
    if capitals == 1 && !titled {
        return (toks[k].lower() == "of").then(|| {
            let name = toks[k - 1..].iter().map(|t| t.text).collect::<Vec<_>>();
            Some(Phrase::Named {
                name: name.join(" "),
                role: None,
                affiliation: None,
            })
        });
    }
    let place = toks[name_start..]
        .iter()
        .map(|t| t.text)
        .collect::<Vec<_>>()
        .join(" ");
    Some(parse_phrase(&left).map(|p| match p {
        Phrase::Named {
            name,
            role,
            affiliation,
        } => Phrase::Named {
            name,
            role,
            affiliation: affiliation.or(Some(place)),
        },
        Phrase::Nominal {
            head,
            text,
            group,
            affiliation,
        } => Phrase::Nominal {
            head,
            text,
            group,
            affiliation: affiliation.or(Some(place)),
        },
        pronoun => pronoun,
    }))
}

/// Parses the tokens of a speaker phrase. `None` when it cannot name a speaker.
///
/// "Kremlin spokesperson Dmitry Peskov" → Named { Dmitry Peskov, spokesperson, Kremlin };
/// "Russian Deputy Foreign Minister Sergey Ryabkov" → Named { Sergey Ryabkov, Deputy Foreign Minister, Russian }.
pub fn parse_phrase(toks: &[Token]) -> Option<Phrase> {
    let toks: Vec<&Token> = toks
        .iter()
        .filter(|t| t.text != "'s" && t.text != "’s")
        .collect();
    if toks.is_empty() {
        return None;
    }
    if toks.len() == 1 {
        let l = toks[0].lower();
        if MALE_PRONOUNS.contains(&l.as_str()) {
            return Some(Phrase::Pronoun(Gender::Male, false));
        }
        if FEMALE_PRONOUNS.contains(&l.as_str()) {
            return Some(Phrase::Pronoun(Gender::Female, false));
        }
        if l == "they" || l == "it" {
            return Some(Phrase::Pronoun(Gender::Unknown, true));
        }
        // First person outside quotation marks is the writer (columns, first-hand reports).
        if l == "i" {
            return Some(Phrase::Nominal {
                head: "writer".into(),
                text: "the writer".into(),
                group: false,
                affiliation: None,
            });
        }
        if l == "we" {
            return Some(Phrase::Nominal {
                head: "writers".into(),
                text: "the writers".into(),
                group: true,
                affiliation: None,
            });
        }
    }
    // The name is the trailing run of capitalised non-role words.
    let mut name_start = toks.len();
    while name_start > 0 {
        let t = toks[name_start - 1];
        if t.is_capitalized() && !is_role(t.text) && !NOT_NAMES.contains(&t.lower().as_str()) {
            name_start -= 1;
        } else {
            break;
        }
    }
    if let Some(p) = placed_phrase(&toks, name_start) {
        return p;
    }
    let head = toks.last().unwrap();
    let head_l = head.lower();
    if name_start == toks.len()
        || GROUP_HEADS.contains(&head_l.as_str()) && name_start == toks.len()
    {
        // No name: a nominal such as "the spokesperson" or "Russian officials".
        if !is_role(head.text)
            && !GROUP_HEADS.contains(&head_l.as_str())
            && !crate::lexicon::SOURCE_NOUNS.contains(&head_l.as_str())
        {
            return None;
        }
        let words: Vec<&str> = toks
            .iter()
            .map(|t| t.text)
            .filter(|w| !matches!(w.to_lowercase().as_str(), "the" | "a" | "an"))
            .collect();
        let affiliation = toks
            .iter()
            .find(|t| {
                t.is_capitalized() && !is_role(t.text) && !NOT_NAMES.contains(&t.lower().as_str())
            })
            .map(|t| t.text.to_string());
        return Some(Phrase::Nominal {
            head: head_l.clone(),
            text: words.join(" "),
            group: GROUP_HEADS.contains(&head_l.as_str()),
            affiliation,
        });
    }
    let name_toks = &toks[name_start..];
    // Institutions named with capitals ("the Kremlin", "White House", "Foreign Ministry") are groups.
    let name: String = name_toks
        .iter()
        .map(|t| t.text)
        .collect::<Vec<_>>()
        .join(" ");
    let name = name
        .trim_end_matches("'s")
        .trim_end_matches("’s")
        .to_string();
    let pre = &toks[..name_start];
    let starts_with_article = pre
        .first()
        .is_some_and(|t| matches!(t.lower().as_str(), "the" | "a" | "an"));
    if (starts_with_article && pre.len() == 1)
        || name_toks
            .iter()
            .any(|t| GROUP_HEADS.contains(&t.lower().as_str()))
    {
        let affiliation = None;
        return Some(Phrase::Nominal {
            head: name.to_lowercase(),
            text: name,
            group: true,
            affiliation,
        });
    }
    // Before the name: [affiliation (capitalised, leading)] [role words].
    let mut i = 0;
    while i < pre.len() && matches!(pre[i].lower().as_str(), "the" | "a" | "an" | "former") {
        i += 1;
    }
    let mut affiliation = None;
    let mut aff_end = i;
    while aff_end < pre.len() && pre[aff_end].is_capitalized() && !is_role(pre[aff_end].text) {
        aff_end += 1;
    }
    if aff_end > i {
        affiliation = Some(
            pre[i..aff_end]
                .iter()
                .map(|t| t.text)
                .collect::<Vec<_>>()
                .join(" "),
        );
    } else if i < pre.len() && pre[i].text.ends_with("'s") {
        affiliation = Some(pre[i].text.trim_end_matches("'s").to_string());
        aff_end = i + 1;
    }
    let role_toks = &pre[aff_end..];
    let role = if role_toks.is_empty() {
        None
    } else {
        // "White House spokesperson": capitalised role-words are part of the affiliation only when leading.
        Some(
            role_toks
                .iter()
                .map(|t| t.text)
                .collect::<Vec<_>>()
                .join(" "),
        )
    };
    // "Kremlin spokesperson": "Kremlin" is a role word (institution) but leads, so it is the affiliation.
    let (affiliation, role) = match (affiliation, role) {
        (None, Some(r)) => {
            let mut words: Vec<&str> = r.split(' ').collect();
            let lead: Vec<&str> = words
                .iter()
                .take_while(|w| {
                    w.chars().next().is_some_and(|c| c.is_uppercase())
                        && GROUP_HEADS.contains(&w.to_lowercase().as_str())
                })
                .copied()
                .collect();
            if !lead.is_empty() && lead.len() < words.len() {
                let aff = lead.join(" ");
                words.drain(..lead.len());
                (Some(aff), Some(words.join(" ")))
            } else {
                (None, Some(r))
            }
        }
        other => other,
    };
    Some(Phrase::Named {
        name,
        role,
        affiliation,
    })
}

fn gender_of(name: &str, role: Option<&str>) -> Gender {
    let first = name.split(' ').next().unwrap_or("").to_lowercase();
    let role = role.unwrap_or("").to_lowercase();
    let honorific = |h: &crate::lexicon::Words| h.contains(&first) || h.contains(&role);
    if honorific(&crate::lexicon::MALE_HONORIFICS) {
        Gender::Male
    } else if honorific(&crate::lexicon::FEMALE_HONORIFICS) {
        Gender::Female
    } else if MALE_NAMES.contains(&first.as_str())
        || role.contains("spokesman")
        || role.contains("congressman")
        || role.contains("chairman")
    {
        Gender::Male
    } else if FEMALE_NAMES.contains(&first.as_str())
        || role.contains("spokeswoman")
        || role.contains("congresswoman")
        || role.contains("chairwoman")
    {
        Gender::Female
    } else {
        match crate::lexicon::full_name_sex(name) {
            Some(crate::lexicon::Sex::Male) => Gender::Male,
            Some(crate::lexicon::Sex::Female) => Gender::Female,
            None => Gender::Unknown,
        }
    }
}

/// Every speaker and person seen so far, and the mentions that can be antecedents.
#[derive(Debug, Default)]
pub struct Registry {
    /// Speakers and antecedents, in order of creation.
    pub speakers: Vec<Speaker>,
    /// (position, speaker index, was a subject of a speech cue)
    antecedents: Vec<(usize, usize, bool)>,
    /// The entity layer's name mentions and their types, by start: what a name is.
    names: Vec<(Span, EntityType)>,
    /// For each of `names`, the index of its entity in `entity_names`.
    entity_of: Vec<usize>,
    /// Each entity's name.
    entity_names: Vec<String>,
}

impl Registry {
    /// A registry that knows what the entity layer found each name to be.
    pub fn with_entities(entities: &[Entity]) -> Self {
        let mut named: Vec<(Span, EntityType, usize)> = entities
            .iter()
            .enumerate()
            .flat_map(|(i, e)| {
                e.mentions
                    .iter()
                    .filter(|m| m.kind == MentionKind::Name)
                    .map(move |m| (m.span, e.kind, i))
            })
            .collect();
        named.sort_by_key(|(s, _, _)| s.start);
        Registry {
            names: named.iter().map(|&(s, t, _)| (s, t)).collect(),
            entity_of: named.iter().map(|&(_, _, i)| i).collect(),
            entity_names: entities.iter().map(|e| e.name.clone()).collect(),
            ..Registry::default()
        }
    }

    /// The type of the entity name at the end of `span` (a speaker phrase's name is its last
    /// words: "Kremlin spokesperson Dmitry Peskov").
    fn type_at(&self, span: Span) -> Option<EntityType> {
        self.entity_at_end(span).map(|(_, t, _)| t)
    }

    /// The entity mention that ends `span`, its type and its entity's name.
    fn entity_at_end(&self, span: Span) -> Option<(Span, EntityType, &str)> {
        let i = self.names.partition_point(|(s, _)| s.start < span.end);
        (i.saturating_sub(4)..i)
            .rev()
            .find(|&j| self.names[j].0.overlaps(span) && self.names[j].0.end == span.end)
            .map(|j| {
                (
                    self.names[j].0,
                    self.names[j].1,
                    self.entity_names[self.entity_of[j]].as_str(),
                )
            })
    }

    /// "New York City", "the House", "Democrats": a place, an institution or a group, which
    /// "he" or "she" never is.
    pub fn not_a_person(&self, span: Span) -> bool {
        matches!(
            self.type_at(span),
            Some(EntityType::Location | EntityType::Organization | EntityType::Misc)
        )
    }

    /// Links a speaker phrase at `span` to a speaker, creating one if needed.
    pub fn resolve(&mut self, phrase: &Phrase, span: Span, as_speaker: bool) -> Option<usize> {
        let idx = match phrase {
            Phrase::Named {
                name,
                role,
                affiliation,
            } => {
                // "Rep. John Delaney of Maryland", "James Pethokoukis of the American Enterprise
                // Institute": the place or institution that ends the phrase (or the part of it
                // the tagger found, "Enterprise Institute") is its affiliation, not what kind of
                // speaker the name is.
                let institution = self.not_a_person(span)
                    && !affiliation.as_ref().is_some_and(|a| {
                        self.entity_at_end(span).is_some_and(|(s, _, name)| {
                            s.end - s.start == a.len() || a.ends_with(name)
                        })
                    });
                let idx = self.find_named(name).unwrap_or_else(|| {
                    self.speakers.push(Speaker {
                        name: name.clone(),
                        role: None,
                        affiliation: None,
                        kind: if institution {
                            SpeakerKind::Group
                        } else {
                            SpeakerKind::Person
                        },
                        gender: Gender::Unknown,
                        mentions: Vec::new(),
                        speaks: false,
                    });
                    self.speakers.len() - 1
                });
                let s = &mut self.speakers[idx];
                if name.split(' ').count() > s.name.split(' ').count() {
                    s.name = name.clone();
                }
                if s.role.is_none() {
                    s.role = role.clone();
                }
                if s.affiliation.is_none() {
                    s.affiliation = affiliation.clone();
                }
                if s.gender == Gender::Unknown {
                    s.gender = gender_of(&s.name, s.role.as_deref());
                }
                idx
            }
            Phrase::Pronoun(gender, plural) => {
                self.find_antecedent(span.start, *gender, *plural)?
            }
            Phrase::Nominal {
                head,
                text,
                group,
                affiliation,
            } => {
                // A group ("police", "the ministry") is never the person whose role names it
                // ("Darren Wilson, Police Officer": the audit found police statements given to him).
                let found = self.speakers.iter().enumerate().rev().find(|(_, s)| {
                    (s.role
                        .as_deref()
                        .is_some_and(|r| r.to_lowercase().split(' ').any(|w| w == head))
                        && (!*group || s.kind == SpeakerKind::Group))
                        || (*group
                            && s.kind == SpeakerKind::Group
                            && s.name.to_lowercase().ends_with(head.as_str()))
                });
                match found {
                    Some((i, _)) if !(*group && head.ends_with('s')) => i,
                    _ => {
                        self.speakers.push(Speaker {
                            name: text.clone(),
                            role: (!*group).then(|| head.clone()),
                            affiliation: affiliation.clone(),
                            kind: if *group || head.ends_with('s') {
                                SpeakerKind::Group
                            } else {
                                SpeakerKind::Person
                            },
                            gender: Gender::Unknown,
                            mentions: Vec::new(),
                            speaks: false,
                        });
                        self.speakers.len() - 1
                    }
                }
            }
        };
        let s = &mut self.speakers[idx];
        if !s.mentions.contains(&span) {
            s.mentions.push(span);
        }
        if as_speaker {
            s.speaks = true;
        }
        self.antecedents.push((span.start, idx, as_speaker));
        Some(idx)
    }

    /// "Herman Cain … was asked by a caller why …": the one spoken to, who is likely to answer,
    /// becomes the first antecedent for a following "he said", ahead of the asker.
    pub fn note_addressee(&mut self, phrase: &Phrase, span: Span) {
        if self.resolve(phrase, span, false).is_some() {
            self.mark_subject();
        }
    }

    /// The latest mention becomes an antecedent as strong as a cue's speaker.
    pub fn mark_subject(&mut self) {
        if let Some(last) = self.antecedents.last_mut() {
            last.2 = true;
        }
    }

    /// Adds a mention that refers to speaker `idx` without naming it ("who").
    pub fn add_mention(&mut self, idx: usize, span: Span) {
        let s = &mut self.speakers[idx];
        if !s.mentions.contains(&span) {
            s.mentions.push(span);
        }
    }

    /// Registers a narrative person mention ("…Trump approaches the issue…") as a possible
    /// antecedent; returns the speaker it is.
    pub fn note_person(&mut self, toks: &[Token]) -> Option<usize> {
        let Some(Phrase::Named {
            name,
            role,
            affiliation,
        }) = parse_phrase(toks)
        else {
            return None;
        };
        let name = name
            .trim_end_matches("'s")
            .trim_end_matches("’s")
            .to_string();
        let span = Span::new(toks[0].span.start, toks.last().unwrap().span.end);
        if (name.split(' ').count() < 2 && self.find_named(&name).is_none())
            || self.not_a_person(span)
        {
            return None;
        }
        self.resolve(
            &Phrase::Named {
                name,
                role,
                affiliation,
            },
            span,
            false,
        )
    }

    /// "Betsy Ebeling shook her head.": the only person of a sentence takes the gender of the
    /// pronoun after it, when no name list or title gave one (a later "he said" is someone else).
    pub fn learn_gender(&mut self, idx: usize, pronoun: &str) {
        let s = &mut self.speakers[idx];
        if s.gender == Gender::Unknown && s.kind == SpeakerKind::Person {
            if MALE_PRONOUNS.contains_lower(pronoun) {
                s.gender = Gender::Male;
            } else if FEMALE_PRONOUNS.contains_lower(pronoun) {
                s.gender = Gender::Female;
            }
        }
    }

    fn find_named(&self, name: &str) -> Option<usize> {
        let surname = name.rsplit(' ').next().unwrap_or(name);
        let parts: Vec<&str> = name.split(' ').collect();
        self.speakers.iter().position(|s| {
            s.kind == SpeakerKind::Person
                && (s.name == name
                    || (s.surname() == surname
                        && (parts.len() == 1
                            || s.name.split(' ').count() == 1
                            || s.name.split(' ').next() == parts.first().copied())))
        })
    }

    /// The nearest earlier compatible mention; speakers of a cue win over bare mentions.
    fn find_antecedent(&self, pos: usize, gender: Gender, plural: bool) -> Option<usize> {
        let compatible = |i: usize| {
            let s = &self.speakers[i];
            if plural {
                return s.kind == SpeakerKind::Group;
            }
            s.kind == SpeakerKind::Person
                && (s.gender == Gender::Unknown || gender == Gender::Unknown || s.gender == gender)
        };
        let earlier = || self.antecedents.iter().rev().filter(|(p, _, _)| *p < pos);
        earlier()
            .take(12)
            .find(|(_, i, subj)| *subj && compatible(*i))
            .or_else(|| earlier().find(|(_, i, _)| compatible(*i)))
            .map(|(_, i, _)| *i)
    }
}

/// A speaker whose phrase ends in an organisation the tagger found takes its whole name, and is a
/// group,
/// where the name the phrase parser gave is part of it: the parser cuts at words that are often
/// roles or openers, and on PolNeAR dev and BASIL gave "Center" (role "Policy") for "The Tax
/// Policy Center", "Rifle Association" (role "National") for "The National Rifle Association",
/// "Federal Bureau" for "the Federal Bureau of Prisons" and "Department" for "the Chicago
/// Police Department". A role made of the organisation's own words goes with it.
fn name_groups_from_entities(speakers: &mut [Speaker], entities: &[Entity]) {
    let mut ends: Vec<(usize, Span, usize)> = entities
        .iter()
        .enumerate()
        .filter(|(_, e)| e.kind == EntityType::Organization)
        .flat_map(|(i, e)| {
            e.mentions
                .iter()
                .filter(|m| m.kind == MentionKind::Name)
                .map(move |m| (m.span.end, m.span, i))
        })
        .collect();
    ends.sort();
    for s in speakers.iter_mut() {
        let found = s.mentions.iter().find_map(|m| {
            let at = ends.partition_point(|(end, _, _)| *end < m.end);
            ends.get(at)
                .filter(|(end, n, _)| *end == m.end && m.contains(*n))
                .map(|(_, _, e)| *e)
        });
        let Some(e) = found else { continue };
        let full = entities[e]
            .name
            .strip_prefix("The ")
            .unwrap_or(&entities[e].name);
        // A person speaker only for a name no person has ("Policy Center"): the tagger also
        // calls "Senate Majority Leader Mitch McConnell" an organisation.
        let head = full.rsplit(' ').next().unwrap_or("").to_lowercase();
        if s.kind == SpeakerKind::Person && !ORGANISATION_HEADS.contains(&head) {
            continue;
        }
        let words: Vec<&str> = full.split(' ').collect();
        let within = |phrase: &str| phrase.split_whitespace().all(|w| words.contains(&w));
        if s.name == full || !within(&s.name) {
            continue;
        }
        if s.role.as_deref().is_some_and(within) {
            s.role = None;
        }
        s.name = full.to_string();
        s.kind = SpeakerKind::Group;
        s.gender = Gender::Unknown;
    }
}

/// Speakers named as the entity layer names them: the speaker phrase's words around the
/// tagger's person name are a title or a sentence opener, not the name ("Whip Steve Scalise" is
/// Steve Scalise, whip; "Mr. Holder" is Eric H. Holder). Returns, for each speaker, the index of
/// the speaker it is now the same person as (its own index when none): two phrases the tagger
/// finds the same person in are one speaker.
pub fn name_from_entities(speakers: &mut [Speaker], entities: &[Entity], text: &str) -> Vec<usize> {
    name_groups_from_entities(speakers, entities);
    let mut names: Vec<(Span, usize)> = entities
        .iter()
        .enumerate()
        .filter(|(_, e)| e.kind == EntityType::Person && is_proper_name(&e.name))
        .flat_map(|(i, e)| {
            e.mentions
                .iter()
                .filter(|m| m.kind == MentionKind::Name)
                .map(move |m| (m.span, i))
        })
        .collect();
    names.sort();
    let lower = LowerWords::new(text);
    let mut same: Vec<usize> = (0..speakers.len()).collect();
    let mut first_of = std::collections::HashMap::new();
    for (si, s) in speakers.iter_mut().enumerate() {
        if s.kind != SpeakerKind::Person {
            continue;
        }
        let found = s.mentions.iter().find_map(|m| {
            let lo = names.partition_point(|(n, _)| n.start < m.start);
            names[lo..]
                .iter()
                .take_while(|(n, _)| n.start < m.end)
                .filter(|(n, _)| m.contains(*n))
                .last()
                .map(|&(n, e)| (*m, n, e))
        });
        let Some((phrase, name, e)) = found else {
            continue;
        };
        let written = name.slice(text);
        let Some(at) = s.name.find(written) else {
            continue;
        };
        // "Obama aide", "Grimm's lawyer": the name is not the head of the phrase.
        let after = s.name[at + written.len()..].trim_start();
        if !(after.is_empty() || after.starts_with(',')) {
            continue;
        }
        link(s, si, e, entities, &mut first_of, &mut same);
        let before: Vec<&str> = s.name[..at].split_whitespace().collect();
        // "Michele Bachmann" where the tagger saw "Bachmann": the word before is part of the name.
        if before.last().is_some_and(|w| !is_title_word(w, &lower)) {
            continue;
        }
        let (title, full) = strip_title(&entities[e].name, &lower);
        if full.split(' ').count() < written.split(' ').count() || !is_proper_name(full) {
            continue;
        }
        let mut role: Vec<&str> = before
            .iter()
            .copied()
            .chain(title)
            .filter(|w| !HONORIFICS.contains_lower(w))
            .collect();
        // "Unlike Trump", "Subpoenas Christie": a headline's verb is no role.
        while role
            .first()
            .is_some_and(|w| !is_role(w) && !w.ends_with('s') && is_title_word(w, &lower))
        {
            role.remove(0);
        }
        let honorific_only = s
            .role
            .as_deref()
            .is_some_and(|r| HONORIFICS.contains_lower(r));
        if (s.role.is_none() || honorific_only) && phrase.start < name.start {
            s.role = (!role.is_empty()).then(|| role.join(" "));
        }
        let full = full.to_string();
        s.name = full;
        if s.gender == Gender::Unknown {
            s.gender = gender_of(&s.name, s.role.as_deref());
        }
    }
    same
}

/// Links speaker `si` to entity `e`: the entity's names, pronouns and title nouns are the
/// speaker's mentions too, and an earlier speaker of the same entity is the same speaker.
fn link(
    s: &mut Speaker,
    si: usize,
    e: usize,
    entities: &[Entity],
    first_of: &mut std::collections::HashMap<usize, usize>,
    same: &mut [usize],
) {
    // A name inside the attribution phrase already counted ("Sergey Lavrov" in "Russian Foreign
    // Minister Sergey Lavrov") is not a second mention: marks must not nest in the model's input.
    s.mentions.sort();
    let own = &s.mentions;
    // Binary search: a speaker quoted thousands of times in one long article has as many
    // mentions, and a scan per entity mention was quadratic.
    let overlaps_own = |m: Span| {
        let i = own.partition_point(|o| o.end <= m.start);
        own[i..]
            .iter()
            .take_while(|o| o.start < m.end)
            .any(|o| o.overlaps(m))
    };
    let new: Vec<Span> = entities[e]
        .mentions
        .iter()
        .map(|m| m.span)
        .filter(|m| !overlaps_own(*m))
        .collect();
    s.mentions.extend(new);
    s.mentions.sort();
    s.mentions.dedup();
    match first_of.entry(e) {
        std::collections::hash_map::Entry::Occupied(o) => same[si] = *o.get(),
        std::collections::hash_map::Entry::Vacant(v) => {
            v.insert(si);
        }
    }
}

/// The words an article writes in lower case, collected on first use: one pass over the text
/// instead of one search per word asked about (a 4.7 MB article has thousands of speakers).
struct LowerWords<'t> {
    text: &'t str,
    set: once_cell::unsync::OnceCell<std::collections::HashSet<&'t str>>,
}

impl<'t> LowerWords<'t> {
    fn new(text: &'t str) -> Self {
        LowerWords {
            text,
            set: once_cell::unsync::OnceCell::new(),
        }
    }

    fn contains(&self, w: &str) -> bool {
        self.set
            .get_or_init(|| {
                self.text
                    .split(|c: char| !c.is_alphanumeric())
                    .filter(|w| w.chars().next().is_some_and(char::is_lowercase))
                    .collect()
            })
            .contains(w)
    }
}

/// A name with its leading honorifics and titles split off: "Mr. Obama" → (["Mr."], "Obama"),
/// "Representative Joe Sestak" → (["Representative"], "Joe Sestak"); the tagger sometimes
/// keeps them in the name.
fn strip_title<'a>(name: &'a str, lower: &LowerWords) -> (Vec<&'a str>, &'a str) {
    let mut rest = name.trim();
    let mut title = Vec::new();
    while let Some((w, tail)) = rest.split_once(' ') {
        if !is_title_word(w, &lower) {
            break;
        }
        title.push(w);
        rest = tail.trim_start();
    }
    (title, rest)
}

/// A capitalised word before a name that is not part of it: an honorific, a role ("Whip",
/// "Sheriff"), a possessive ("Twitter's"), a sentence opener, or a word the article also writes
/// in lower case (a title-case headline's "Used Bill Clinton", "Criticized Trump").
fn is_title_word(w: &str, lower: &LowerWords) -> bool {
    let l = w.to_lowercase();
    HONORIFICS.contains(&l)
        || is_role(w)
        || NOT_NAMES.contains(&l.as_str())
        || w.ends_with("'s")
        || w.ends_with("’s")
        || !w.chars().next().is_some_and(char::is_uppercase)
        || (l.len() > 2 && l != w && lower.contains(&l))
}

/// "Steve Scalise", "Eric H. Holder", "Leonardo da Vinci": capitalised words, initials and
/// lower-case particles, starting with a capital.
pub fn is_proper_name(name: &str) -> bool {
    let mut words = name.split_whitespace();
    words
        .next()
        .is_some_and(|w| w.chars().next().is_some_and(char::is_uppercase))
        && words.all(|w| {
            w.chars().next().is_some_and(char::is_uppercase)
                || matches!(
                    w,
                    "de" | "da" | "van" | "von" | "der" | "bin" | "al" | "la" | "le" | "du" | "del"
                )
        })
}

/// Runs of capitalised words that look like a person's name (two to four words).
pub fn person_names<'a, 'b>(toks: &'b [Token<'a>]) -> Vec<&'b [Token<'a>]> {
    let mut out = Vec::new();
    let mut i = 0;
    while i < toks.len() {
        let ok = |t: &Token| {
            t.is_capitalized()
                && t.is_word()
                && !is_role(t.text)
                && !NOT_NAMES.contains(&t.lower().as_str())
                && !t.text.contains('-')
                && t.text.chars().any(|c| c.is_lowercase())
        };
        if ok(&toks[i]) {
            let mut j = i;
            while j < toks.len() && ok(&toks[j]) && j - i < 4 {
                j += 1;
            }
            // "The Environmental Protection Agency": the run names an institution.
            let institution = toks
                .get(j)
                .is_some_and(|t| t.is_capitalized() && GROUP_HEADS.contains_lower(t.text));
            if j - i >= 1 && !institution {
                out.push(&toks[i..j]);
            }
            i = j.max(i + 1);
        } else {
            i += 1;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::text::tokens;

    fn phrase(s: &str) -> Phrase {
        parse_phrase(&tokens(s, Span::new(0, s.len()))).unwrap()
    }

    #[test]
    fn splits_name_role_affiliation() {
        assert_eq!(
            phrase("Kremlin spokesperson Dmitry Peskov"),
            Phrase::Named {
                name: "Dmitry Peskov".into(),
                role: Some("spokesperson".into()),
                affiliation: Some("Kremlin".into())
            }
        );
        assert_eq!(
            phrase("Russian Deputy Foreign Minister Sergey Ryabkov"),
            Phrase::Named {
                name: "Sergey Ryabkov".into(),
                role: Some("Deputy Foreign Minister".into()),
                affiliation: Some("Russian".into())
            }
        );
        assert!(matches!(
            phrase("the Kremlin"),
            Phrase::Nominal { group: true, .. }
        ));
        assert!(
            matches!(phrase("Russian officials"), Phrase::Nominal { group: true, ref affiliation, .. } if affiliation.as_deref() == Some("Russian"))
        );
        assert_eq!(phrase("she"), Phrase::Pronoun(Gender::Female, false));
    }

    #[test]
    fn a_place_after_of_or_in_is_the_affiliation_not_the_name() {
        // BASIL sentences the audit found credited to a state or a city.
        for (text, name) in [
            (
                "Representative Louise M. Slaughter of New York",
                "Louise M. Slaughter",
            ),
            ("Sen. Cory Booker of New Jersey", "Cory Booker"),
        ] {
            match phrase(text) {
                Phrase::Named {
                    name: n,
                    affiliation,
                    ..
                } => {
                    assert_eq!(n, name);
                    assert!(affiliation.is_some_and(|a| a.starts_with("New ")));
                }
                other => panic!("{text}: {other:?}"),
            }
        }
        assert!(matches!(
            phrase("the 45th president of the United States"),
            Phrase::Nominal { ref head, ref affiliation, .. }
                if head == "president" && affiliation.as_deref() == Some("United States")
        ));
        // An institution's own name keeps its "of".
        assert!(matches!(
            phrase("Bank of America"),
            Phrase::Named { ref name, .. } if name == "Bank of America"
        ));
        // A document filed somewhere names no speaker.
        assert_eq!(
            parse_phrase(&tokens(
                "a 2012 bankruptcy petition filed in Miami",
                Span::new(0, 41)
            )),
            None
        );
    }

    #[test]
    fn surname_and_pronoun_resolve_to_the_named_speaker() {
        let mut r = Registry::default();
        let a = r
            .resolve(
                &phrase("Kremlin spokesperson Dmitry Peskov"),
                Span::new(0, 10),
                true,
            )
            .unwrap();
        let b = r
            .resolve(&phrase("Peskov"), Span::new(50, 56), true)
            .unwrap();
        assert_eq!(a, b);
        // A woman named later does not capture "he".
        r.resolve(&phrase("Maria Zakharova"), Span::new(80, 95), false);
        let c = r.resolve(&phrase("he"), Span::new(120, 122), true).unwrap();
        assert_eq!(c, a);
        let d = r
            .resolve(&phrase("she"), Span::new(130, 133), true)
            .unwrap();
        assert_eq!(r.speakers[d].name, "Maria Zakharova");
    }
}
