//! Pronoun and nominal mentions joined to the people the article names: "he" to the nearest
//! person before it whose gender agrees, "the senator" to the nearest person the article titles
//! "Sen." or "Senator". Only people: "it" and "they" are left alone (measured nowhere yet, and
//! a wrong link puts a stance on a party the quote never spoke of).

use super::{Entity, EntityType, Mention, MentionKind};
use crate::text::{Span, Token};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Gender {
    Male,
    Female,
}

/// Honorifics and the gender they give ("Mr. Steele").
const HONORIFICS: [(&str, Gender); 5] = [
    ("Mr", Gender::Male),
    ("Mr.", Gender::Male),
    ("Mrs", Gender::Female),
    ("Mrs.", Gender::Female),
    ("Ms.", Gender::Female),
];

/// Titles before a name, and the noun a later "the …" uses for the same person.
const TITLES: [(&str, &str); 22] = [
    ("President", "president"),
    ("Sen.", "senator"),
    ("Senator", "senator"),
    ("Gov.", "governor"),
    ("Governor", "governor"),
    ("Rep.", "congressman"),
    ("Representative", "congressman"),
    ("Congressman", "congressman"),
    ("Congresswoman", "congresswoman"),
    ("Secretary", "secretary"),
    ("Minister", "minister"),
    ("Chancellor", "chancellor"),
    ("Mayor", "mayor"),
    ("Judge", "judge"),
    ("Justice", "justice"),
    ("Gen.", "general"),
    ("General", "general"),
    ("Speaker", "speaker"),
    ("Leader", "leader"),
    ("Premier", "premier"),
    ("Prince", "prince"),
    ("King", "king"),
];

const PRONOUNS: [(&str, Gender); 7] = [
    ("he", Gender::Male),
    ("him", Gender::Male),
    ("his", Gender::Male),
    ("himself", Gender::Male),
    ("she", Gender::Female),
    ("her", Gender::Female),
    ("herself", Gender::Female),
];

/// Adds pronoun and nominal mentions to the people in `entities`; `sentences` are every
/// sentence's span, paragraph number and tokens, in text order.
pub fn link(text: &str, sentences: &[(Span, usize, Vec<Token>)], entities: &mut [Entity]) {
    let people: Vec<usize> = (0..entities.len())
        .filter(|&i| entities[i].kind == EntityType::Person)
        .collect();
    let mut gender: Vec<Option<Gender>> = vec![None; entities.len()];
    let mut titles: Vec<Vec<&str>> = vec![Vec::new(); entities.len()];
    for &e in &people {
        for m in &entities[e].mentions {
            let before = word_before(text, m.span.start);
            if let Some((_, g)) = HONORIFICS.iter().find(|(h, _)| Some(*h) == before) {
                gender[e] = Some(*g);
            }
            if let Some((_, t)) = TITLES.iter().find(|(w, _)| Some(*w) == before) {
                titles[e].push(t);
            }
        }
    }
    let mut added: Vec<(usize, Mention)> = Vec::new();
    let paragraph_start = |k: usize| {
        let para = sentences[k].1;
        sentences[..=k]
            .iter()
            .rev()
            .take_while(|s| s.1 == para)
            .last()
            .map_or(0, |s| s.0.start)
    };
    for (k, (sentence, _, tokens)) in sentences.iter().enumerate() {
        for (i, t) in tokens.iter().enumerate() {
            let lower = t.text.to_lowercase();
            if let Some((_, g)) = PRONOUNS.iter().find(|(p, _)| *p == lower) {
                let agrees = |e: usize| gender[e].is_none_or(|x| x == *g);
                // The nearest person before the pronoun in its paragraph whose gender does not
                // disagree; with none, a person named later in the same sentence, the last one:
                // "“What he said is just flat wrong,” Mitch McConnell said of Todd Akin."
                let antecedent = nearest(entities, &people, t.span.start, &agrees)
                    .filter(|&e| last_name_before(&entities[e], t.span.start) >= paragraph_start(k))
                    .or_else(|| later_in(entities, &people, t.span.end, sentence.end, &agrees));
                if let Some(e) = antecedent {
                    added.push((e, mention(t.span, MentionKind::Pronoun)));
                }
                continue;
            }
            let next = tokens.get(i + 1);
            let after = tokens.get(i + 2);
            if lower != "the" || next.is_none() {
                continue;
            }
            let noun = next.unwrap().text;
            let Some(title) = TITLES
                .iter()
                .map(|(_, n)| *n)
                .find(|n| *n == noun.to_lowercase())
            else {
                continue;
            };
            // "the president of Mexico", "the President Obama": not a bare reference.
            if after.is_some_and(|a| a.text == "of" || a.text.starts_with(char::is_uppercase)) {
                continue;
            }
            let span = Span::new(t.span.start, next.unwrap().span.end);
            let antecedent = nearest(entities, &people, span.start, |e| {
                titles[e].contains(&title)
            });
            if let Some(e) = antecedent {
                added.push((e, mention(span, MentionKind::Nominal)));
            }
        }
    }
    for (e, m) in added {
        entities[e].mentions.push(m);
    }
    for e in entities.iter_mut() {
        e.mentions.sort_by_key(|m| m.span.start);
    }
}

fn mention(span: Span, kind: MentionKind) -> Mention {
    Mention { span, kind }
}

/// Where `e`'s last name mention before `at` ends (0 if none).
fn last_name_before(e: &Entity, at: usize) -> usize {
    e.mentions
        .iter()
        .filter(|m| m.kind == MentionKind::Name && m.span.end <= at)
        .map(|m| m.span.end)
        .max()
        .unwrap_or(0)
}

/// The person among `people` named last in `[from, to)` that `fits`.
fn later_in(
    entities: &[Entity],
    people: &[usize],
    from: usize,
    to: usize,
    fits: impl Fn(usize) -> bool,
) -> Option<usize> {
    people
        .iter()
        .copied()
        .filter(|&e| fits(e))
        .filter_map(|e| {
            let m = entities[e]
                .mentions
                .iter()
                .filter(|m| m.kind == MentionKind::Name && m.span.start >= from && m.span.end <= to)
                .map(|m| m.span.start)
                .max()?;
            Some((m, e))
        })
        .max()
        .map(|(_, e)| e)
}

/// The person among `people` with a name mention closest before `at` that `fits`.
fn nearest(
    entities: &[Entity],
    people: &[usize],
    at: usize,
    fits: impl Fn(usize) -> bool,
) -> Option<usize> {
    people
        .iter()
        .copied()
        .filter(|&e| fits(e))
        .filter_map(|e| {
            let last = entities[e]
                .mentions
                .iter()
                .filter(|m| m.kind == MentionKind::Name && m.span.end <= at)
                .map(|m| m.span.end)
                .max()?;
            Some((last, e))
        })
        .max()
        .map(|(_, e)| e)
}

/// The word right before byte `at`, if only spaces separate them.
fn word_before(text: &str, at: usize) -> Option<&str> {
    let head = text[..at].trim_end_matches(' ');
    if head.len() == at || head.ends_with(['\n', '\t']) {
        return None;
    }
    let start = head.rfind(|c: char| c.is_whitespace()).map_or(0, |i| i + 1);
    Some(&head[start..])
}
