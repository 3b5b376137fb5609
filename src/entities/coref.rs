//! Pronoun and nominal mentions joined to the entities the article names: "he" to the nearest
//! person before it whose gender agrees, "the senator" to the nearest person the article titles
//! "Sen." or "Senator", "the department" to the nearest organisation in the paragraph whose name
//! ends in "Department". "It" and "they" are left alone (a wrong link puts a stance on a party the
//! quote never spoke of, and nothing here tells "it" the company from "it" the plan). Nor is a
//! bare "the company" / "the firm" linked to the nearest organisation: tried on 2026-12-02, 12 of
//! the 27 links it made in 120 BASIL and 400 PolNeAR train articles were right (the nearest
//! organisation is as often a news outlet, a fund or an agency named in passing).

use super::{Entity, EntityType, Mention, MentionKind};
use crate::lexicon::{Words, FEMALE_HONORIFICS, FEMALE_PRONOUNS, MALE_HONORIFICS, MALE_PRONOUNS};
use crate::text::{Span, Token};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Gender {
    Male,
    Female,
}

/// The gender a word gives by the lexicon's lists of men's and women's words: honorifics
/// ("Mr. Steele") and personal pronouns ("he", "her").
fn gender_by(male: &Words, female: &Words, w: &str) -> Option<Gender> {
    if male.contains_lower(w) {
        Some(Gender::Male)
    } else if female.contains_lower(w) {
        Some(Gender::Female)
    } else {
        None
    }
}

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

/// Head nouns of organisations that "the …" refers back to when the organisation's name ends in
/// the same word ("the Justice Department" … "the department").
const ORGANISATION_HEADS: [&str; 16] = [
    "administration",
    "agency",
    "association",
    "bank",
    "bureau",
    "campaign",
    "commission",
    "committee",
    "company",
    "council",
    "court",
    "department",
    "foundation",
    "ministry",
    "party",
    "union",
];

/// Adds pronoun and nominal mentions to the people in `entities`; `sentences` are every
/// sentence's span, paragraph number and tokens, in text order.
pub fn link(text: &str, sentences: &[(Span, usize, Vec<Token>)], entities: &mut [Entity]) {
    let people: Vec<usize> = (0..entities.len())
        .filter(|&i| entities[i].kind == EntityType::Person)
        .collect();
    let organisations: Vec<usize> = (0..entities.len())
        .filter(|&i| entities[i].kind == EntityType::Organization)
        .collect();
    let head_of = |e: usize| {
        entities[e]
            .name
            .rsplit(' ')
            .next()
            .map(str::to_lowercase)
            .unwrap_or_default()
    };
    let heads: Vec<String> = (0..entities.len()).map(head_of).collect();
    let mut gender: Vec<Option<Gender>> = vec![None; entities.len()];
    let mut titles: Vec<Vec<&str>> = vec![Vec::new(); entities.len()];
    for &e in &people {
        gender[e] = crate::lexicon::full_name_sex(&entities[e].name).map(|s| match s {
            crate::lexicon::Sex::Male => Gender::Male,
            crate::lexicon::Sex::Female => Gender::Female,
        });
        for m in &entities[e].mentions {
            let before = word_before(text, m.span.start);
            if let Some(g) = before.and_then(|w| gender_by(&MALE_HONORIFICS, &FEMALE_HONORIFICS, w))
            {
                gender[e] = Some(g);
            }
            if let Some((_, t)) = TITLES.iter().find(|(w, _)| Some(*w) == before) {
                titles[e].push(t);
            }
        }
    }
    let names = Names::new(entities);
    let mut added: Vec<(usize, Mention)> = Vec::new();
    // Where each sentence's paragraph starts, in one pass (a text with no line breaks is one
    // paragraph of thousands of sentences).
    let mut paragraph_start = Vec::with_capacity(sentences.len());
    for (k, s) in sentences.iter().enumerate() {
        let start = match k {
            0 => s.0.start,
            _ if sentences[k - 1].1 == s.1 => paragraph_start[k - 1],
            _ => s.0.start,
        };
        paragraph_start.push(start);
    }
    for (k, (sentence, _, tokens)) in sentences.iter().enumerate() {
        for (i, t) in tokens.iter().enumerate() {
            let lower = t.text.to_lowercase();
            if let Some(g) = gender_by(&MALE_PRONOUNS, &FEMALE_PRONOUNS, &lower) {
                let agrees = |e: usize| gender[e].is_none_or(|x| x == g);
                // The nearest person before the pronoun in its paragraph whose gender does not
                // disagree; with none, a person named later in the same sentence, the last one:
                // "“What he said is just flat wrong,” Mitch McConnell said of Todd Akin."
                let antecedent = names
                    .nearest(&people, t.span.start, &agrees)
                    .filter(|&e| {
                        names
                            .last_before(e, t.span.start)
                            .is_some_and(|m| m.end >= paragraph_start[k])
                    })
                    .or_else(|| names.last_within(&people, t.span.end, sentence.end, &agrees));
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
            // "the president of Mexico", "the President Obama": not a bare reference.
            if after.is_some_and(|a| a.text == "of" || a.text.starts_with(char::is_uppercase)) {
                continue;
            }
            if let Some(e) =
                organisation_referred(&names, &organisations, &heads, noun, t.span.start).filter(
                    |&e| {
                        names
                            .last_before(e, t.span.start)
                            .is_some_and(|m| m.end >= paragraph_start[k])
                    },
                )
            {
                let span = Span::new(t.span.start, next.unwrap().span.end);
                added.push((e, mention(span, MentionKind::Nominal)));
                continue;
            }
            let Some(title) = TITLES
                .iter()
                .map(|(_, n)| *n)
                .find(|n| *n == noun.to_lowercase())
            else {
                continue;
            };
            let span = Span::new(t.span.start, next.unwrap().span.end);
            let antecedent = names.nearest(&people, span.start, |e| titles[e].contains(&title));
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

/// "the department" → the nearest organisation before `at` whose name ends in "Department".
fn organisation_referred(
    names: &Names,
    organisations: &[usize],
    heads: &[String],
    noun: &str,
    at: usize,
) -> Option<usize> {
    let noun = noun.to_lowercase();
    if !ORGANISATION_HEADS.contains(&noun.as_str()) {
        return None;
    }
    names.nearest(organisations, at, |e| heads[e] == noun)
}

fn mention(span: Span, kind: MentionKind) -> Mention {
    Mention { span, kind }
}

/// Each person's name mentions, sorted: the lookups below are binary searches, since one
/// 4.7 MB article has thousands of pronouns and thousands of mentions per person (a linear
/// scan per pronoun halved the model-free stages' speed there).
struct Names(Vec<Vec<Span>>);

impl Names {
    fn new(entities: &[Entity]) -> Self {
        Names(
            entities
                .iter()
                .map(|e| {
                    let mut v: Vec<Span> = e
                        .mentions
                        .iter()
                        .filter(|m| m.kind == MentionKind::Name)
                        .map(|m| m.span)
                        .collect();
                    v.sort();
                    v
                })
                .collect(),
        )
    }

    /// `e`'s last name mention ending at or before `at`.
    fn last_before(&self, e: usize, at: usize) -> Option<Span> {
        let v = &self.0[e];
        let i = v.partition_point(|s| s.end <= at);
        i.checked_sub(1).map(|i| v[i])
    }

    /// The person among `people` with a name mention closest before `at` that `fits`.
    fn nearest(&self, people: &[usize], at: usize, fits: impl Fn(usize) -> bool) -> Option<usize> {
        people
            .iter()
            .copied()
            .filter(|&e| fits(e))
            .filter_map(|e| Some((self.last_before(e, at)?.end, e)))
            .max()
            .map(|(_, e)| e)
    }

    /// The person among `people` named last in `[from, to)` that `fits`.
    fn last_within(
        &self,
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
                let s = self.last_before(e, to).filter(|s| s.start >= from)?;
                Some((s.start, e))
            })
            .max()
            .map(|(_, e)| e)
    }
}

/// The word right before byte `at`, if only spaces separate them.
fn word_before(text: &str, at: usize) -> Option<&str> {
    let head = text[..at].trim_end_matches(' ');
    if head.len() == at || head.ends_with(['\n', '\t']) {
        return None;
    }
    // Any whitespace ends the word before; a no-break space is two bytes.
    let start = head
        .char_indices()
        .rev()
        .find(|(_, c)| c.is_whitespace())
        .map_or(0, |(i, c)| i + c.len_utf8());
    Some(&head[start..])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_word_before_a_name_across_any_space() {
        let text = "N.Y.\u{a0}Mr. Steele said";
        let at = text.find("Steele").unwrap();
        assert_eq!(word_before(text, at), Some("Mr."));
        let at = text.find("Mr.").unwrap();
        assert_eq!(
            word_before(text, at),
            None,
            "a no-break space is not a plain space"
        );
        assert_eq!(word_before("Steele", 0), None);
    }
}
