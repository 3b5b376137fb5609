//! The parties of one article, found in passes:
//! 1. gazetteer aliases (`Gazetteer::find`);
//! 2. governments and administrations, linked to their country ("the Biden administration");
//! 3. speakers: the party each speaker is (a known person or institution, or a person the
//!    article introduces), with the affiliation its phrase gives;
//! 4. the names of the people introduced in 3, wherever the article repeats them;
//! 5. people the entity tagger names that no party covers yet;
//! 6. once the longest mention has won where mentions overlap and parties are ordered by first
//!    mention, "the administration" and "the government" refer back to the government their
//!    paragraph named.

use std::collections::HashMap;

use once_cell::sync::Lazy;
use regex::Regex;

use super::{ArticleParties, Covered, Gazetteer, Party, PartyDef, PartyKind};
use crate::entities::coref::SpeakerKind;
use crate::entities::{Entity, EntityType, MentionKind};
use crate::quotes::Extraction;
use crate::text::Span;

static GOVERNMENT: Lazy<Regex> = Lazy::new(|| {
    Regex::new(r"\b(?:[Tt]he\s+)?(?:(?:previous|current|former|new|incoming|outgoing|last|next|then)\s+)?((?:[A-Z][\w.’'\-]*\s+){1,3})(?:administration|government|Administration|Government)\b").unwrap()
});

/// "the administration", "The government('s)"; group 2 is what makes it no bare reference ("the
/// government of Mexico", "the government Putin leads").
static BARE_GOVERNMENT: Lazy<Regex> = Lazy::new(|| {
    Regex::new(r"\b([Tt]he (?:administration|government))\b(?:[’']s)?(\s+(?:of\b|[A-Z]))?").unwrap()
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

/// The parties found so far, by id, and every mention seen (before overlaps are settled).
#[derive(Default)]
struct Found {
    defs: Vec<Party>,
    key: HashMap<String, usize>,
    hits: Vec<(usize, Span)>,
}

impl Found {
    /// The index of the party with this id, created on first sight.
    fn party(
        &mut self,
        id: String,
        name: String,
        kind: PartyKind,
        affiliation: Option<String>,
    ) -> usize {
        let defs = &mut self.defs;
        *self.key.entry(id.clone()).or_insert_with(|| {
            defs.push(Party {
                id,
                name,
                kind,
                affiliation,
                mentions: Vec::new(),
            });
            defs.len() - 1
        })
    }

    fn known(&mut self, d: &PartyDef) -> usize {
        self.party(d.id.clone(), d.name.clone(), d.kind, d.affiliation.clone())
    }
}

/// The country a gazetteer party answers for: itself for a country, else its affiliation (or
/// itself when it has none).
fn side_of(d: &PartyDef) -> String {
    match d.kind {
        PartyKind::Country => d.id.clone(),
        _ => d.affiliation.clone().unwrap_or_else(|| d.id.clone()),
    }
}

/// Finds the parties of an article: gazetteer aliases, governments ("the Biden administration"),
/// people the article itself introduces ("Kremlin spokesperson Dmitry Peskov"), and people the
/// entity tagger names.
pub fn find(text: &str, entities: &[Entity], ex: &Extraction, gaz: &Gazetteer) -> ArticleParties {
    let mut found = Found::default();
    let others = OtherPeople::new(entities);
    let hits = gaz.find(text);
    let in_full: std::collections::HashSet<usize> = hits
        .iter()
        .filter(|h| h.span.slice(text).contains(' '))
        .map(|h| h.party)
        .collect();
    for h in hits {
        let d = &gaz.defs[h.party];
        if others.claim(d, h.span, h.span.slice(text), in_full.contains(&h.party))
            || (d.kind == PartyKind::Country && others.in_a_name(text, h.span))
        {
            continue;
        }
        let k = found.known(d);
        found.hits.push((k, h.span));
    }
    governments(text, gaz, &mut found);
    let (speaker_party, local) = speakers(ex, entities, gaz, &mut found);
    local_names(text, &local, &mut found);
    entity_people(entities, &mut found);
    let Found { mut defs, hits, .. } = found;
    for (k, s) in longest_first(hits) {
        defs[k].mentions.push(s);
    }
    // A speaker who is a party takes its party's side, else the side its own phrase names
    // ("Fox News host"), else none: the report had given the party's own id there
    // ("affiliation": "PERSON_RUDY_GIULIANI" beside "party" of the same id). What the pairs and
    // `--level country` need, a side for every party, is `ArticleParties::speaker_side`.
    let speaker_affiliation = ex
        .speakers
        .iter()
        .enumerate()
        .map(|(si, s)| {
            let own = speaker_party[si].map(|p| &defs[p]);
            match own {
                Some(d) if d.kind == PartyKind::Country => Some(d.id.clone()),
                Some(d) if d.affiliation.is_some() => d.affiliation.clone(),
                _ => s
                    .affiliation
                    .as_deref()
                    .and_then(|a| gaz.lookup(a))
                    .map(|p| side_of(&gaz.defs[p]))
                    .filter(|side| own.is_none_or(|d| *side != d.id)),
            }
        })
        .collect();
    let mut out = in_order(defs, speaker_party, speaker_affiliation);
    out.referring = governments_referred(text, &out.parties);
    out.entity_party = out.parties_of(entities);
    out
}

/// Pass 6: "the administration" or "the government" (not "the government of Mexico") after a
/// government party in the same paragraph, with no other government named in between: "The
/// Obama administration ramped up efforts … the administration increased aid".
fn governments_referred(text: &str, parties: &[Party]) -> Vec<(Span, usize)> {
    let mut governments: Vec<(Span, usize)> = parties
        .iter()
        .enumerate()
        .filter(|(_, p)| p.kind == PartyKind::Government)
        .flat_map(|(i, p)| p.mentions.iter().map(move |m| (*m, i)))
        .collect();
    if governments.is_empty() {
        return Vec::new();
    }
    governments.sort();
    let mut out = Vec::new();
    for caps in BARE_GOVERNMENT.captures_iter(text) {
        if caps.get(2).is_some() {
            continue;
        }
        let c = caps.get(1).unwrap();
        let at = governments.partition_point(|(m, _)| m.end <= c.start());
        let Some(&(m, party)) = at.checked_sub(1).map(|i| &governments[i]) else {
            continue;
        };
        let own = c.as_str().rsplit(' ').next().unwrap_or("").to_lowercase();
        let named = m.slice(text).to_lowercase();
        if named.ends_with(&own) && !text[m.end..c.start()].contains('\n') {
            out.push((Span::new(c.start(), c.end()), party));
        }
    }
    out
}

/// The people whose full name (two words or more) the entity layer found: a gazetteer person
/// matched by a surname alone may be one of them instead.
struct OtherPeople<'a> {
    /// Each name mention of such a person, with the person's name.
    by_span: HashMap<Span, &'a str>,
    /// Their names by last word.
    by_surname: HashMap<&'a str, Vec<&'a str>>,
    /// Every such name mention, sorted.
    spans: Vec<Span>,
}

impl<'a> OtherPeople<'a> {
    fn new(entities: &'a [Entity]) -> Self {
        let full = || {
            entities
                .iter()
                .filter(|e| e.kind == EntityType::Person && without_titles(&e.name).contains(' '))
        };
        let mut by_surname: HashMap<&str, Vec<&str>> = HashMap::new();
        for e in full() {
            if let Some(last) = e.name.rsplit(' ').next() {
                by_surname.entry(last).or_default().push(&e.name);
            }
        }
        let by_span: HashMap<Span, &str> = full()
            .flat_map(|e| {
                e.mentions
                    .iter()
                    .filter(|m| m.kind == MentionKind::Name)
                    .map(move |m| (m.span, e.name.as_str()))
            })
            .collect();
        let mut spans: Vec<Span> = by_span.keys().copied().collect();
        spans.sort();
        OtherPeople {
            by_span,
            by_surname,
            spans,
        }
    }

    /// Whether `span` is a person's given name or surname inside their full name: "Cuban" in
    /// "Mark Cuban", "Rhodes" in "Benjamin J. Rhodes", "Tara" (an Irish place to Phoenix) in
    /// "Tara Setmayer". Only in a name of two words (or three, an initial between), and only the
    /// surname after a given name or a given name before a surname: the tagger's person spans
    /// also hold "Arizona Sheriff Joe Arpaio", "Poor Mexico" and "Clinton Wins Delaware", whose
    /// places stay.
    fn in_a_name(&self, text: &str, span: Span) -> bool {
        let i = self.spans.partition_point(|n| n.start <= span.start);
        self.spans[..i].iter().rev().take(2).any(|n| {
            if !n.contains(span) || *n == span {
                return false;
            }
            let words: Vec<&str> = n.slice(text).split_whitespace().collect();
            let first_name = |w: &str| crate::lexicon::is_first_name(w);
            let initial = |w: &str| w.len() == 2 && w.ends_with('.');
            let surname = |w: &str| {
                w.chars().next().is_some_and(char::is_uppercase)
                    && w.chars()
                        .all(|c| c.is_alphabetic() || c == '-' || c == '\'')
                    && !crate::lexicon::is_title(w)
            };
            let short = matches!(words.len(), 2 | 3)
                && words[1..words.len() - 1].iter().all(|w| initial(w));
            short
                && ((n.end == span.end && first_name(words[0]))
                    || (n.start == span.start
                        && first_name(span.slice(text))
                        && surname(words[words.len() - 1])))
        })
    }

    /// Whether a gazetteer person matched by one word at `span` is someone else the article
    /// names, when the article never gives the gazetteer person's full name: the entity layer
    /// gave that mention to a person of another first name ("William Barr … Barr said", not
    /// Andy Barr of the House), or the article names someone else of that surname (SEESAW valid:
    /// "Edward Gallagher", whose "Gallagher" the tagger missed twice, is not James Gallagher).
    /// Where it does give it, the bare surname stays theirs: an article that says "Donald J.
    /// Trump" and "Eric Trump" means the president by "Trump", whatever the tagger linked.
    fn claim(&self, d: &PartyDef, span: Span, word: &str, named_in_full: bool) -> bool {
        let other = |full: &str| {
            // "— Donald J. Trump" (a tweet's signature), "[Hillary] Clinton": the first word.
            let first = without_titles(full)
                .split(' ')
                .map(|w| w.trim_matches(|c: char| !c.is_alphanumeric()))
                .find(|w| !w.is_empty());
            !d.aliases
                .iter()
                .any(|a| a.contains(' ') && a.split(' ').next() == first)
        };
        d.kind == PartyKind::Person
            && !word.contains(' ')
            && !named_in_full
            && (self.by_span.get(&span).is_some_and(|f| other(f))
                || self
                    .by_surname
                    .get(word)
                    .is_some_and(|fs| fs.iter().any(|f| other(f))))
    }
}

/// A name without the titles before it: "Senator Schumer" is Schumer, "Mr. Barr" Barr.
fn without_titles(name: &str) -> &str {
    let mut rest = name;
    let title = crate::lexicon::is_title;
    while let Some((w, more)) = rest.split_once(' ') {
        if !title(w) && !title(w.trim_matches(|c: char| !c.is_alphanumeric())) {
            break;
        }
        rest = more;
    }
    rest
}

/// Pass 2: "the Biden administration", "the previous U.S. government", as government parties
/// affiliated with the owner's country.
fn governments(text: &str, gaz: &Gazetteer, found: &mut Found) {
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
        let k = found.party(id, name, PartyKind::Government, country);
        found.hits.push((
            k,
            Span::new(
                whole.start() + (whole.as_str().len() - phrase.len()),
                whole.end(),
            ),
        ));
    }
}

/// Pass 3: the party each speaker is. Returns it per speaker, and the (name, party) pairs of the
/// people the article introduces, whose names pass 4 looks for.
fn speakers(
    ex: &Extraction,
    entities: &[Entity],
    gaz: &Gazetteer,
    found: &mut Found,
) -> (Vec<Option<usize>>, Vec<(String, usize)>) {
    let mut speaker_party = vec![None; ex.speakers.len()];
    let mut local: Vec<(String, usize)> = Vec::new();
    let one_word_people = one_word_people(entities);
    for (si, s) in ex.speakers.iter().enumerate() {
        if !s.speaks {
            continue;
        }
        let affiliation = s
            .affiliation
            .as_deref()
            .and_then(|a| gaz.lookup(a))
            .map(|p| side_of(&gaz.defs[p]));
        if s.kind == SpeakerKind::Group {
            let known = gaz.lookup(&s.name).or_else(|| {
                gaz.lookup(s.name.trim_start_matches("the ").trim_start_matches("The "))
            });
            speaker_party[si] = known.map(|p| found.known(&gaz.defs[p]));
            continue;
        }
        // A person party is a person's name: "seven-term congressman" or "mother and father"
        // describe someone without naming them. A surname alone names one too ("Schumer said",
        // in an article that never gives his first name) when the tagger calls that word a
        // person: without that check, SEESAW valid gave "Perhaps", "Thursday" and "Attendees".
        let named = crate::entities::coref::is_proper_name(&s.name)
            && (s.name.contains(' ') || one_word_people.contains(s.name.as_str()));
        let known = gaz
            .lookup(&s.name)
            .or_else(|| gaz.lookup(without_titles(&s.name)));
        if !named && known.is_none() {
            continue;
        }
        let k = match known {
            Some(p) => {
                let k = found.known(&gaz.defs[p]);
                if found.defs[k].affiliation.is_none() {
                    found.defs[k].affiliation = affiliation;
                }
                k
            }
            None => {
                let id = format!("PERSON_{}", slug(&s.name));
                let k = found.party(id, s.name.clone(), PartyKind::Person, affiliation);
                local.push((s.name.clone(), k));
                if let Some(surname) = s.name.rsplit(' ').next() {
                    local.push((surname.to_string(), k));
                }
                k
            }
        };
        speaker_party[si] = Some(k);
    }
    (speaker_party, local)
}

/// The one-word names of the people the entity layer found (its type vote over every mention,
/// not the speaker phrase alone); a set, as the registry's by-surname index, so that a text of
/// thousands of speakers does not compare each with every entity.
fn one_word_people(entities: &[Entity]) -> std::collections::HashSet<&str> {
    entities
        .iter()
        .filter(|e| e.kind == EntityType::Person && !e.name.contains(' '))
        .map(|e| e.name.as_str())
        .collect()
}

/// Pass 4: where the article repeats the names (and surnames) of the people pass 3 introduced.
fn local_names(text: &str, local: &[(String, usize)], found: &mut Found) {
    if local.is_empty() {
        return;
    }
    let ac = aho_corasick::AhoCorasick::builder()
        .match_kind(aho_corasick::MatchKind::LeftmostLongest)
        .build(local.iter().map(|(n, _)| n.as_str()))
        .expect("speaker names form a valid automaton");
    for m in ac.find_iter(text) {
        if crate::text::is_whole_word(text, m.start(), m.end()) {
            found.hits.push((
                local[m.pattern().as_usize()].1,
                Span::new(m.start(), m.end()),
            ));
        }
    }
}

/// Pass 5: people the entity tagger names that no party covers yet ("Mitt Romney’s Medicare ad",
/// "said of Todd Akin"): a stance toward them is one the user would otherwise never see. Only
/// full names: a lone surname the tagger calls a person is too often a place or a team.
fn entity_people(entities: &[Entity], found: &mut Found) {
    let covered = Covered::new(found.hits.iter().map(|(_, h)| *h));
    for e in entities {
        // A name of words only: "Baltimore and Cummings" (two names the tagger ran together)
        // was a person party in a SEESAW valid article.
        let name = without_titles(&e.name);
        // "Your Honor", "His Holiness": a form of address, not a name (a SEESAW valid lawyer's
        // "just like the plaintiffs and Your Honor" made the judge a party "Your Honor").
        let addressed = name
            .split_whitespace()
            .next()
            .is_some_and(|w| matches!(w, "Your" | "His" | "Her" | "Their" | "Our" | "My"));
        if e.kind != EntityType::Person
            || !name.contains(' ')
            || addressed
            || !crate::entities::coref::is_proper_name(name)
        {
            continue;
        }
        let mut names = e.mentions.iter().filter(|m| m.kind == MentionKind::Name);
        if names.any(|m| covered.overlaps(m.span)) {
            continue;
        }
        let k = found.party(
            format!("PERSON_{}", slug(&e.name)),
            e.name.clone(),
            PartyKind::Person,
            None,
        );
        found.hits.extend(
            e.mentions
                .iter()
                .filter(|m| m.kind == MentionKind::Name)
                .map(|m| (k, m.span)),
        );
    }
}

/// Where mentions overlap the longest wins (hyphenated compounds such as "U.S.-Russia" never
/// overlap: each side is its own mention).
fn longest_first(mut hits: Vec<(usize, Span)>) -> Vec<(usize, Span)> {
    hits.sort_by_key(|(_, s)| (s.start, std::cmp::Reverse(s.end)));
    let mut kept: Vec<(usize, Span)> = Vec::new();
    for (k, s) in hits {
        if kept.last().is_some_and(|last| last.1.overlaps(s)) {
            continue;
        }
        kept.push((k, s));
    }
    kept
}

/// Keeps the parties that are mentioned or speak, ordered by first mention.
fn in_order(
    defs: Vec<Party>,
    speaker_party: Vec<Option<usize>>,
    speaker_affiliation: Vec<Option<String>>,
) -> ArticleParties {
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
        speaker_principal: Vec::new(),
        referring: Vec::new(),
        entity_party: Vec::new(),
    }
}
