//! Pass 8: whom a speaker speaks for. "McCabe's lawyers", "Trump aides", "the Trump
//! administration", "Pence's office", "White House spokesman Hogan Gidley", "the White House":
//! each speaks for one party (Andrew McCabe, Donald Trump, Mike Pence, the president), and the
//! report never reads such a speaker as against that party (`report::build::own_side`), as it never
//! reads a speaker against their own country. On SEESAW valid (dev) the model had labelled 30
//! such cells against their principal ("McCabe's lawyers against Andrew McCabe" 0.92, "the
//! White House against Donald Trump" 0.91 on "President Donald Trump has vetoed a congressional
//! resolution …, the White House said"): read in context, each was the quote's news or its
//! defence, none a stance against the principal, and SEESAW annotates none of them.
//!
//! The principal is read off the speaker phrase (a group's name, a person's role and
//! affiliation as written): a service word (`lexicon::SERVICE_WORDS`: lawyers, aides, office,
//! campaign, spokesman, …) after a name or a possessive, or before "for"/"to" and a name. The
//! White House and an administration with no name speak for the U.S. president: the holder on
//! the article's date (`titles::holder_at`), else the one person the article calls "President".
//! A former aide or lawyer speaks for no one. A person whose title names a government below
//! their country ("Texas Gov. Greg Abbott") speaks for it.

use crate::entities::coref::{Speaker, SpeakerKind};
use crate::entities::without_honorific;
use crate::lexicon::{HONORIFICS, OFFICE_HOLDERS, SERVICE_WORDS};
use crate::quotes::Extraction;

use super::{titles, ArticleParties, Gazetteer, PartyKind};

/// Whom a phrase says its speaker serves.
#[derive(Debug, PartialEq)]
enum Principal<'a> {
    /// The U.S. president ("the White House", "administration officials").
    President,
    /// A name as written ("McCabe", "Mr. Trump", "State Department").
    Named(&'a str),
}

/// Fills `ArticleParties::speaker_principal` for every speaker whose phrase names whom it serves
/// and whose principal is a party of the article.
pub fn resolve(
    parties: &mut ArticleParties,
    ex: &Extraction,
    text: &str,
    date: Option<&str>,
    gaz: &Gazetteer,
) {
    parties.speaker_principal = vec![None; ex.speakers.len()];
    for (si, s) in ex.speakers.iter().enumerate() {
        if !s.speaks {
            continue;
        }
        let party = match principal_of(s) {
            Some(Principal::President) => president(parties, text, date, gaz),
            Some(Principal::Named(name)) => named(parties, text, name),
            None => home_government(parties, s, gaz),
        };
        // A country is a speaker's affiliation, not whom they serve ("U.S. officials",
        // "Chinese official"): the own-country rule already reads them.
        let country = party.is_some_and(|k| parties.parties[k].kind == PartyKind::Country);
        if party.is_some() && !country && party != parties.speaker_party[si] {
            parties.speaker_principal[si] = party;
        }
    }
}

/// The government a person's own title places them in, below their country: "Texas" for "Texas
/// Gov. Greg Abbott", whose "Washington has failed Texas" the model read against Texas (0.86).
/// A country is the own-country rule's, not this.
fn home_government(parties: &ArticleParties, s: &Speaker, gaz: &Gazetteer) -> Option<usize> {
    if s.kind != SpeakerKind::Person || former(&s.name) || s.role.as_deref().is_some_and(former) {
        return None;
    }
    // An office of that government ("Gov.", "Sen.", "Secretary of State"), not a voter of the
    // state nor a chairman of its Democratic Party (PolNeAR: "Texas voter", "Ohio Democratic
    // Party Chairman David Pepper").
    let role = s.role.as_deref().unwrap_or(&s.name).to_lowercase();
    let words = || role.split_whitespace();
    if !words().any(|w| OFFICE_HOLDERS.contains(w))
        || words().any(|w| {
            matches!(
                w,
                "party" | "democratic" | "republican" | "democrat" | "gop"
            )
        })
    {
        return None;
    }
    let def = &gaz.defs[gaz.lookup(s.affiliation.as_deref()?)?];
    if def.kind != PartyKind::Government || def.affiliation.is_none() {
        return None;
    }
    parties.parties.iter().position(|p| p.id == def.id)
}

/// A group speaks for whom its name says ("Trump aides"); a person for whom their role says,
/// with the affiliation as written when the role names no one ("spokesman" of the White House).
fn principal_of(s: &Speaker) -> Option<Principal<'_>> {
    match s.kind {
        SpeakerKind::Group => serves(&s.name).or_else(|| {
            // "the White House" itself, not "Democrats" (a group that is its own party)
            as_principal(&s.name).filter(|p| *p == Principal::President)
        }),
        SpeakerKind::Person => {
            let role = s.role.as_deref()?;
            if former(&s.name) {
                return None;
            }
            serves(role).or_else(|| {
                // "spokesman" of the White House: a role of service words alone, with one of
                // them a service ("and" or "Communications" alone serves no one)
                let words = || role.split_whitespace();
                let served =
                    words().all(|w| is_service(w) || is_modifier(w)) && words().any(is_service);
                let aff = s.affiliation.as_deref()?;
                (served && !former(role))
                    .then(|| as_principal(aff))
                    .flatten()
            })
        }
    }
}

/// The principal a phrase names: "McCabe's lawyers", "Trump campaign", "lawyer for McCabe",
/// "adviser to Cohen", "spokesman for Mr. Trump's campaign", "White House press secretary",
/// "senior administration official".
fn serves(phrase: &str) -> Option<Principal<'_>> {
    if former(phrase) {
        return None;
    }
    for link in [" for ", " to "] {
        if let Some(at) = phrase.rfind(link) {
            let (left, right) = (&phrase[..at], phrase[at + link.len()..].trim());
            if left.split_whitespace().last().is_some_and(is_service) {
                return serves(right).or_else(|| as_principal(right));
            }
        }
    }
    let words: Vec<&str> = phrase.split_whitespace().collect();
    // Service and modifier words from the right: "White House deputy press secretary".
    let mut cut = words.len();
    let mut served = false;
    while cut > 0 && (is_service(words[cut - 1]) || is_modifier(words[cut - 1])) {
        served |= is_service(words[cut - 1]);
        cut -= 1;
    }
    if !served {
        return None;
    }
    let served_words = words[cut..].join(" ").to_lowercase();
    let seat = served_words.contains("white house") || served_words.contains("administration");
    let owner = owner_words(&words[..cut]);
    if owner.is_empty() {
        let left = words[..cut].join(" ").to_lowercase();
        let left = left
            .trim_start_matches("the ")
            .trim_end_matches("'s")
            .trim_end_matches("’s");
        return (seat || left == "president").then_some(Principal::President);
    }
    // The owner as a slice of the phrase, so that the name keeps its spelling.
    let start = phrase.find(owner[0])?;
    let last = owner[owner.len() - 1];
    let end = phrase[start..].find(last)? + start + last.len();
    as_principal(&phrase[start..end])
}

/// The name words of an owner: determiners and honorifics off the front, a possessive off the
/// end; nothing when what is left is no capitalised name ("his", "some congressional").
fn owner_words<'a>(words: &[&'a str]) -> Vec<&'a str> {
    let mut w: Vec<&str> = words
        .iter()
        .copied()
        .skip_while(|w| {
            let l = w.to_lowercase();
            matches!(
                l.as_str(),
                "the" | "a" | "an" | "one" | "some" | "two" | "several"
            ) || HONORIFICS.contains(&l)
        })
        .collect();
    if let Some(last) = w.last_mut() {
        *last = last
            .strip_suffix("'s")
            .or_else(|| last.strip_suffix("’s"))
            .or_else(|| last.strip_suffix(['\'', '’']))
            .unwrap_or(last);
    }
    if w.iter().any(|x| !x.starts_with(|c: char| c.is_uppercase())) {
        return Vec::new();
    }
    w.retain(|x| !x.is_empty());
    w
}

/// A name as a principal: the White House, the administration or the president are the
/// president's; anything else is a name to find among the article's parties.
fn as_principal(name: &str) -> Option<Principal<'_>> {
    let name = name.trim();
    let lower = name.to_lowercase();
    let bare = lower.trim_start_matches("the ").trim_start_matches("u.s. ");
    if matches!(
        bare,
        "white house" | "administration" | "president" | "oval office"
    ) {
        return Some(Principal::President);
    }
    let rest = without_honorific(name).unwrap_or(name);
    rest.starts_with(|c: char| c.is_uppercase())
        .then_some(Principal::Named(rest))
}

fn is_service(w: &str) -> bool {
    SERVICE_WORDS.contains_lower(w.trim_end_matches(','))
}

/// Words that qualify a service word without naming anyone: "deputy press secretary", "senior
/// administration official", "top economic adviser".
fn is_modifier(w: &str) -> bool {
    matches!(
        w.to_lowercase().trim_end_matches(','),
        "deputy"
            | "senior"
            | "top"
            | "chief"
            | "press"
            | "legal"
            | "economic"
            | "communications"
            | "political"
            | "personal"
            | "and"
            | "house"
            | "white"
    )
}

fn former(phrase: &str) -> bool {
    phrase
        .split_whitespace()
        .any(|w| matches!(w.to_lowercase().as_str(), "former" | "ex" | "onetime"))
        || phrase.to_lowercase().contains("ex-")
}

/// The article's party a name is: the party of that name, else the one party mentioned by
/// exactly that text ("McCabe" for Andrew McCabe), else the one person of that surname.
fn named(parties: &ArticleParties, text: &str, name: &str) -> Option<usize> {
    let ps = &parties.parties;
    if let Some(k) = ps.iter().position(|p| p.name.eq_ignore_ascii_case(name)) {
        return Some(k);
    }
    let bare = without_honorific(name).unwrap_or(name);
    let by_mention: Vec<usize> = (0..ps.len())
        .filter(|&k| ps[k].mentions.iter().any(|m| m.slice(text) == bare))
        .collect();
    if let [k] = by_mention[..] {
        return Some(k);
    }
    if !by_mention.is_empty() || bare.contains(' ') {
        return None;
    }
    let by_surname: Vec<usize> = (0..ps.len())
        .filter(|&k| ps[k].kind == PartyKind::Person && ps[k].name.rsplit(' ').next() == Some(bare))
        .collect();
    match by_surname[..] {
        [k] => Some(k),
        _ => None,
    }
}

/// The U.S. president as a party of the article: the holder on the article's date, else the one
/// American person the article calls "President" (not "Vice President" nor "former President").
fn president(
    parties: &ArticleParties,
    text: &str,
    date: Option<&str>,
    gaz: &Gazetteer,
) -> Option<usize> {
    if let Some(name) = date.and_then(|d| titles::holder_at("president", d)) {
        let id = &gaz.defs[gaz.lookup(name)?].id;
        return parties.parties.iter().position(|p| &p.id == id);
    }
    let called = |k: usize| {
        parties.parties[k].mentions.iter().any(|m| {
            let Some(before) = text[..m.start].trim_end().strip_suffix("President") else {
                return false;
            };
            let prior = before
                .split_whitespace()
                .last()
                .unwrap_or("")
                .to_lowercase();
            !before.ends_with('-') && !matches!(prior.as_str(), "vice" | "former" | "then")
        })
    };
    let presidents: Vec<usize> = (0..parties.parties.len())
        .filter(|&k| {
            let p = &parties.parties[k];
            p.kind == PartyKind::Person && p.affiliation.as_deref() == Some("USA") && called(k)
        })
        .collect();
    match presidents[..] {
        [k] => Some(k),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_phrase_names_whom_it_serves() {
        let named = |p: &str| match serves(p) {
            Some(Principal::Named(n)) => Some(n.to_string()),
            Some(Principal::President) => Some("PRESIDENT".into()),
            None => None,
        };
        for (phrase, want) in [
            ("McCabe's lawyers", Some("McCabe")),
            ("Mr. McCabe’s lawyers", Some("McCabe")),
            ("Trump aides", Some("Trump")),
            ("Some Trump allies", Some("Trump")),
            ("Trump administration", Some("Trump")),
            ("Pence's office", Some("Pence")),
            ("spokesman for Mr. Trump’s campaign", Some("Trump")),
            ("legal and communications adviser to Cohen", Some("Cohen")),
            ("White House deputy press secretary", Some("PRESIDENT")),
            ("White House", None),
            ("senior administration official", Some("PRESIDENT")),
            ("president's lawyers", Some("PRESIDENT")),
            ("House aide", None),
            ("Senate aide", Some("Senate")),
            ("White House’s top economic adviser", Some("PRESIDENT")),
            ("some White House officials", Some("PRESIDENT")),
            ("White House officials senators", None),
            ("tranche of internal White House emails", None),
            ("Deutsche Bank spokeswoman", Some("Deutsche Bank")),
            ("former spokeswoman", None),
            ("former Trump aides", None),
            ("his campaign manager", None),
            ("Republican congressional aide", None),
            ("Democrats", None),
            ("Attorney General", None),
            ("Florida’s Republican attorney general", None),
            ("and", None),
        ] {
            assert_eq!(named(phrase).as_deref(), want, "{phrase}");
        }
    }
}
