//! Who speaks with the speaker: "Nancy Pelosi and Chuck Schumer said", "House Speaker Nancy
//! Pelosi (D-Calif.) and Senate Minority Leader Charles E. Schumer (D-N.Y.) added that …",
//! "Senators Lindsey Graham and Ted Cruz praised …". The quote keeps the speaker its attribution
//! resolved to (a group named only by the people in it becomes the first of them); the people
//! named with them by "and" are its co-speakers, each a speaker of the entity layer's registry,
//! and no target of what they say together (`pairs`).

use super::passes::Passes;
use super::phrase::parse_phrase;
use super::{CoSpeaker, Quote};
use crate::entities::coref::{Phrase, SpeakerKind};
use crate::lexicon::{is_plural_title, NOT_NAMES};
use crate::text::{tokens, Sentence, Span, Token};

impl Passes<'_> {
    /// Pass 6a: each quote's joint words (`Quote::joint`) and the people they name.
    pub(super) fn co_speakers(&mut self, quotes: &mut [Quote]) {
        for q in quotes.iter_mut() {
            q.joint = joint_words(self.text, q, self.sentences);
            let Some(joint) = q.joint else { continue };
            let mut found = Vec::new();
            for part in conjuncts(self.text, joint) {
                let toks = tokens(self.text, part);
                let toks = without_plural_title(&toks);
                let Some(first) = toks.first() else { continue };
                let part = Span::new(first.span.start, part.end);
                let Some(phrase @ Phrase::Named { .. }) = parse_phrase(toks) else {
                    continue;
                };
                if !self.is_a_person(&phrase, part) {
                    continue;
                }
                if let Some(speaker) = self.reg.resolve(&phrase, part, true) {
                    if Some(speaker) != q.speaker
                        && found.iter().all(|c: &CoSpeaker| c.speaker != speaker)
                    {
                        found.push(CoSpeaker {
                            speaker,
                            mention: part,
                        });
                    }
                }
            }
            // "Manafort and Gates both said": a group named by the people in it is those people.
            let group = q
                .speaker
                .is_some_and(|s| self.reg.speakers[s].kind == SpeakerKind::Group);
            if group && q.speaker_mention == Some(joint) && found.len() > 1 {
                q.speaker = Some(found.remove(0).speaker);
            }
            q.co_speakers = found;
        }
    }

    /// Whether a conjunct names a person: "Democrat of New York" and "D-Calif." hold no name the
    /// entity layer found to be a person; a one-word name needs a title or an earlier speaker of
    /// that surname ("Mr. Udall", "Esper"): the tagger calls "Oversight" of "House Oversight and
    /// Reform Committee" a person.
    fn is_a_person(&self, phrase: &Phrase, part: Span) -> bool {
        let Phrase::Named { name, role, .. } = phrase else {
            return false;
        };
        self.reg.holds_person_name(part)
            && (name.contains(' ') || role.is_some() || self.reg.knows_surname(name))
    }
}

/// The words that name the people speaking with the quote's speaker: before the speaker's mention
/// in its clause, ending in "and" ("House Speaker Nancy Pelosi (D-Calif.) and" Senate Minority
/// Leader Charles E. Schumer), or a mention that names them all ("Nancy Pelosi and Chuck
/// Schumer", as the learned tagger marks a source). Names, titles and parentheses only:
/// "Congress voted to block the declaration and Trump vetoed it" joins two clauses, not two
/// speakers, and "Ed Whelan, the president of the Ethics and Public Policy Center" one person.
pub(super) fn joint_words(text: &str, q: &Quote, sentences: &[Sentence]) -> Option<Span> {
    let m = q.speaker_mention?;
    if m.start < q.content.end && q.content.start < m.start {
        return None;
    }
    within_mention(text, m)
        .or_else(|| before_mention(text, m, sentences))
        .filter(|j| !j.overlaps(q.content))
}

/// The whole mention when it names several people: "Nancy Pelosi and Chuck Schumer", "Sens. Jeff
/// Merkley (D-Ore.), Sherrod Brown (D-Ohio) and Robert Menendez (D-N.J.) all", as the learned
/// tagger marks a source. Names, titles and parentheses only, and a name last: "Peter Orszag,
/// Obama's former Office of Management and Budget director" is one person (PolNeAR train).
fn within_mention(text: &str, m: Span) -> Option<Span> {
    let mention = m.slice(text).trim_end();
    let core = [" all", " both", " each"]
        .iter()
        .find_map(|w| mention.strip_suffix(w))
        .unwrap_or(mention);
    let outside = without_parentheses(core);
    if !outside.contains(" and ") && !outside.contains(" & ") {
        return None;
    }
    let names = pieces(core)
        .into_iter()
        .all(|(a, b)| names_only(&core[a..b]));
    let named_last = outside
        .split_whitespace()
        .next_back()
        .map(|w| w.trim_end_matches(','))
        .is_some_and(|w| w.starts_with(char::is_uppercase) && !crate::lexicon::is_title(w));
    (names && named_last).then_some(m)
}

/// `text` with its parenthesised parts ("(D-Ore.)") left out.
fn without_parentheses(text: &str) -> String {
    let mut depth = 0i32;
    text.chars()
        .filter(|&c| {
            match c {
                '(' => depth += 1,
                ')' => {
                    depth -= 1;
                    return false;
                }
                _ => {}
            }
            depth <= 0
        })
        .collect()
}

/// The words from the clause's start (the sentence's, or its last comma outside parentheses) to
/// the speaker's mention, when the last of them is "and".
fn before_mention(text: &str, m: Span, sentences: &[Sentence]) -> Option<Span> {
    let i = sentences.partition_point(|s| s.span.end <= m.start);
    let s = sentences.get(i).filter(|s| s.span.contains(m))?.span;
    let head = text.get(s.start..m.start)?.trim_end();
    if !head.ends_with(" and") && head != "and" {
        return None;
    }
    // Back over the comma-separated pieces while each holds names and titles only
    // ("Nancy Pelosi, D-Calif., and").
    let mut start = head.len();
    for piece in pieces(head).into_iter().rev() {
        if !names_only(&head[piece.0..piece.1]) {
            break;
        }
        start = piece.0;
    }
    (start < head.len()).then(|| Span::new(s.start + start, s.start + head.len()))
}

/// The people a joint span names, one span each: split at commas and "and"/"&", parentheses
/// ("(D-Calif.)") left out.
fn conjuncts(text: &str, joint: Span) -> Vec<Span> {
    let toks = tokens(text, joint);
    let mut out = Vec::new();
    let mut run: Vec<&Token> = Vec::new();
    let mut depth = 0i32;
    let mut flush = |run: &mut Vec<&Token>| {
        if let (Some(a), Some(b)) = (run.first(), run.last()) {
            out.push(Span::new(a.span.start, b.span.end));
        }
        run.clear();
    };
    // "But Planned Parenthood and": a clause's connective opens no name.
    let toks: Vec<Token> = toks
        .into_iter()
        .skip_while(|t| NOT_NAMES.contains(t.lower().as_str()) && t.lower() != "the")
        .collect();
    for t in &toks {
        match t.text {
            "(" => depth += 1,
            ")" => depth -= 1,
            _ if depth > 0 => {}
            "," | ";" | "and" | "&" => flush(&mut run),
            // "… and Robert Menendez (D-N.J.) all suggested"
            "all" | "both" | "each" => {}
            _ => run.push(t),
        }
    }
    flush(&mut run);
    out
}

/// "Senators Lindsey Graham": the title the people share is said once, in the plural, and is no
/// part of the first one's name.
fn without_plural_title<'a, 't>(toks: &'a [Token<'t>]) -> &'a [Token<'t>] {
    match toks.first() {
        Some(t) if toks.len() > 1 && t.is_capitalized() && is_plural_title(t.text) => &toks[1..],
        _ => toks,
    }
}

/// The byte ranges of `text` between commas, semicolons and quotation marks outside parentheses.
fn pieces(text: &str) -> Vec<(usize, usize)> {
    let (mut out, mut depth, mut from) = (Vec::new(), 0i32, 0);
    for (i, c) in text.char_indices() {
        match c {
            '(' => depth += 1,
            ')' => depth -= 1,
            ',' | ';' | ':' | '"' | '\u{201c}' | '\u{201d}' if depth <= 0 => {
                out.push((from, i));
                from = i + c.len_utf8();
            }
            _ => {}
        }
    }
    out.push((from, text.len()));
    out
}

/// Capitalised words, titles, parentheses and the small words of names only ("House Speaker
/// Nancy Pelosi (D-Calif.) and", "D-N.Y.").
fn names_only(piece: &str) -> bool {
    let mut depth = 0i32;
    piece.split_whitespace().all(|w| {
        depth += w.matches('(').count() as i32;
        let inside = depth > 0;
        depth -= w.matches(')').count() as i32;
        inside
            || w.starts_with(|c: char| !c.is_lowercase())
            || matches!(w, "the" | "of" | "for" | "a" | "an" | "and")
            || crate::lexicon::is_title(w)
    })
}

#[cfg(test)]
mod tests {
    use crate::quotes::extract;
    use crate::text::sentences;

    /// (speaker, role, co-speakers) of each quote, by name.
    fn who(text: &str) -> Vec<(String, Option<String>, Vec<String>)> {
        let ex = extract(text, &sentences(text));
        let name = |i: usize| ex.speakers[i].name.clone();
        ex.quotes
            .iter()
            .map(|q| {
                let s = q.speaker.expect("a speaker");
                let co = q.co_speakers.iter().map(|c| name(c.speaker)).collect();
                (name(s), ex.speakers[s].role.clone(), co)
            })
            .collect()
    }

    #[test]
    fn people_named_together_say_it_together() {
        // The learned tagger marks the whole source; the rules' speaker is the name before
        // the cue, and "and" is no role of his.
        let text = "\u{201c}President Trump hurt millions of Americans when he shut down the \
                    government,\u{201d} Nancy Pelosi and Chuck Schumer said in a statement.";
        assert_eq!(
            who(text),
            [("Chuck Schumer".into(), None, vec!["Nancy Pelosi".into()])]
        );
        // SEESAW valid TRIPLET_055: titles and parentheses around each name.
        let text = "House Speaker Nancy Pelosi (D-Calif.) and Senate Minority Leader Charles E. \
                    Schumer (D-N.Y.) added that Trump caused a government shutdown in December \
                    because he defied Congress.";
        let w = who(text);
        assert_eq!(w.len(), 1);
        assert_eq!(
            (w[0].0.as_str(), &w[0].2[..]),
            ("Charles E. Schumer", &["Nancy Pelosi".to_string()][..])
        );
        // Three, with their parentheses and a closing "all" (PolNeAR train).
        let text = "Sens. Jeff Merkley (D-Ore.), Sherrod Brown (D-Ohio) and Robert Menendez \
                    (D-N.J.) all suggested that those claims could be grounds for a fraud case.";
        assert_eq!(who(text)[0].2, ["Sherrod Brown", "Robert Menendez"]);
        // A title said once for both is no part of the first one's name.
        let text = "Senators Lindsey Graham and Ted Cruz said the deal was a disaster.";
        assert_eq!(who(text)[0].2, ["Lindsey Graham"]);
    }

    #[test]
    fn an_institution_or_a_second_clause_joined_by_and_is_no_co_speaker() {
        let text = "Members of the House Oversight and Reform Committee said the White House \
                    had ignored its requests.";
        assert!(who(text).iter().all(|q| q.2.is_empty()), "{:?}", who(text));
        let text = "Congress voted to block the emergency declaration and Trump said that he \
                    would veto the measure.";
        assert!(who(text).iter().all(|q| q.2.is_empty()), "{:?}", who(text));
        // "Democrat of New York" is where Nadler is from, not a second speaker.
        let text = "Representative Jerrold Nadler, Democrat of New York and the chairman of the \
                    House Judiciary Committee, said the president had obstructed justice.";
        assert!(who(text).iter().all(|q| q.2.is_empty()), "{:?}", who(text));
        // One person, whose office has an "and" in it (PolNeAR train).
        let text = "Peter Orszag, Obama's former Office of Management and Budget director, said \
                    the Bush tax cuts should be extended.";
        assert!(who(text).iter().all(|q| q.2.is_empty()), "{:?}", who(text));
    }
}
