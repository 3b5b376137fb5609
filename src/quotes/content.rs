//! What was said: the complement words a cue may take before its content ("told reporters in an
//! interview on Tuesday"), where a reported clause ends, and the reported span an attribution
//! introduces.

use super::cues::CueKind;
use super::source::Attribution;
use super::speaker::opening_participle;
use super::{token_span, Tokens};
use crate::lexicon::{
    ADDRESSEE_VERBS, CLAUSE_ONLY, COMPLEMENT_NOUNS, COMPLEMENT_WORDS, CUE_VERBS, DETERMINERS,
    OBJECT_CUES, PREPOSITIONS,
};
use crate::text::{is_quote_mark, Span, Token};

/// Skips complement words after a cue ("told reporters in an interview on Tuesday"). Returns the next token index.
pub(super) fn skip_complement(toks: &[Token], from: usize, quoted: &[bool]) -> Option<usize> {
    let mut a = from;
    while a < toks.len() && !quoted[a] && a - from < 14 {
        let l = toks[a].lower();
        if matches!(toks[a].text, "," | ":" | "—") || COMPLEMENT_WORDS.contains_lower(&l) {
            a += 1;
            continue;
        }
        if !PREPOSITIONS.contains_lower(&l) && !DETERMINERS.contains_lower(&l) {
            break;
        }
        // A prepositional phrase counts only when it ends on a complement noun or a name
        // and the clause starts right after it.
        let mut b = a;
        let mut last_head = None;
        while b < toks.len() && !quoted[b] && b - a < 8 {
            let w = toks[b].lower();
            if COMPLEMENT_NOUNS.contains_lower(&w) || (toks[b].is_capitalized() && b > a) {
                last_head = Some(b);
            } else if !(PREPOSITIONS.contains_lower(&w)
                || DETERMINERS.contains_lower(&w)
                || toks[b].text.chars().all(|c| c.is_ascii_digit()))
            {
                break;
            }
            b += 1;
        }
        match last_head {
            Some(h)
                if toks.get(h + 1).is_some_and(|t| {
                    matches!(t.text, "," | ":" | "that" | "—")
                        || is_quote_mark(t.text.chars().next().unwrap_or(' '))
                        || PREPOSITIONS.contains_lower(t.text)
                }) =>
            {
                a = h + 1
            }
            Some(h)
                if PREPOSITIONS.contains_lower(toks[a].text)
                    && toks[a..=h].iter().all(|t| {
                        !t.is_capitalized()
                            || COMPLEMENT_NOUNS.contains_lower(t.text)
                            || DETERMINERS.contains_lower(t.text)
                    }) =>
            {
                a = h + 1
            }
            _ => break,
        }
    }
    // "informed their Democratic counterparts that", "warned his colleagues that": who was
    // told stands between a verb of telling and its clause.
    if from > 0 && ADDRESSEE_VERBS.contains_lower(toks[from - 1].text) {
        if let Some(that) = (a..toks.len().min(a + 6))
            .take_while(|&k| !quoted[k] && toks[k].is_word())
            .find(|&k| toks[k].lower() == "that")
        {
            a = that;
        }
    }
    // a proper-noun object of "told": "told Reuters that", "told CNN that"
    if a < toks.len()
        && toks[a].is_capitalized()
        && !quoted[a]
        && a + 1 < toks.len()
        && toks[a + 1].lower() == "that"
    {
        a += 1;
    }
    (a < toks.len()).then_some(a)
}

/// True when only complement words and punctuation follow the cue to the sentence end.
pub(super) fn cue_near_end(toks: &[Token], from: usize, quoted: &[bool]) -> bool {
    let rest = &toks[from.min(toks.len())..];
    rest.iter()
        .zip(&quoted[from.min(toks.len())..])
        .all(|(t, q)| {
            !q && (!t.is_word()
                || COMPLEMENT_WORDS.contains_lower(t.text)
                || COMPLEMENT_NOUNS.contains_lower(t.text)
                || PREPOSITIONS.contains_lower(t.text)
                || DETERMINERS.contains_lower(t.text)
                || t.is_capitalized())
        })
}

/// Where a reported clause ends: the sentence end, or a participial cue (", stating that …").
pub(super) fn clause_end(toks: &[Token], cue: usize, from: usize, quoted: &[bool]) -> usize {
    // "… to collect -- which Apple's chief executive, Tim Cook, called ''total political
    // crap'' -- one question that has emerged is …": a clause opened inside a dashed aside ends
    // at the aside's closing dash (PolNeAR dev: the sentence's main clause had joined the quote).
    // The cue must be inside the aside: "Manafort said — on Twitter, as it happens — that …"
    // opens one after it. Asides are short: only the `ASIDE` tokens before the cue and after
    // the clause's start are read, so that a sentence of thousands of cues stays linear.
    let cue = cue.min(toks.len());
    let in_aside = (cue.saturating_sub(ASIDE)..cue)
        .filter(|&k| dash_at(toks, k))
        .count()
        % 2
        == 1;
    let limit = in_aside
        .then(|| (from..toks.len().min(from + ASIDE)).find(|&k| !quoted[k] && dash_at(toks, k)))
        .flatten()
        .unwrap_or(toks.len());
    for k in from..limit {
        if !quoted[k] && toks[k].text == "," {
            let n = toks.get(k + 1).map(|t| t.lower()).unwrap_or_default();
            if CUE_VERBS.contains(n.as_str()) && n.ends_with("ing") {
                return k;
            }
            if n == "according" && toks.get(k + 2).is_some_and(|t| t.lower() == "to") {
                return k;
            }
        }
    }
    let mut end = limit;
    while end > from + 1 && !toks[end - 1].is_word() && !quoted[end - 1] {
        end -= 1;
    }
    end
}

/// How many tokens around a cue a dashed aside may span.
const ASIDE: usize = 40;

/// A dash at token `k`: "—", "–", or the first of "--" (each "-" is a token of its own).
fn dash_at(toks: &[Token], k: usize) -> bool {
    match toks[k].text {
        "—" | "–" => true,
        "-" => toks
            .get(k + 1)
            .is_some_and(|n| n.text == "-" && n.span.start == toks[k].span.end),
        _ => false,
    }
}

/// The span of reported speech an attribution introduces, before trimming.
pub(super) fn reported_span(s: &Tokens, at: &Attribution) -> Option<Span> {
    let (toks, quoted, sent) = (&s.toks, &s.quoted, s.sent);
    let (cue, subject) = (&at.cue, &at.subject);
    let comma_before = at.start >= 1 && toks[at.start - 1].text == ",";
    let parenthetical = subject.range.is_some()
        && at.start >= 2
        && comma_before
        && toks.get(at.end).is_some_and(|t| t.text == ",")
        && cue.kind == CueKind::Verb;
    if parenthetical {
        // "Unless countries act, they say, the world could suffer …": the whole sentence
        return Some(sent.span);
    }
    if subject.inverted
        || (subject.range.is_some()
            && cue_near_end(toks, cue.after, quoted)
            && at.start > 0
            && comma_before)
    {
        // "CONTENT, Peskov said." / "CONTENT, according to officials."
        let end_tok = at.start.saturating_sub(1);
        return (end_tok > 0).then(|| Span::new(sent.span.start, toks[end_tok - 1].span.end));
    }
    if cue.kind == CueKind::According && at.start > 1 && comma_before {
        return Some(Span::new(sent.span.start, toks[at.start - 2].span.end));
    }
    let from = if cue.kind == CueKind::According || subject.passive {
        at.end
    } else {
        cue.after
    };
    let mut a = skip_complement(toks, from, quoted).unwrap_or(toks.len());
    while a < toks.len() && matches!(toks[a].text, "," | ":" | "that") {
        a += 1;
    }
    let cue_word = toks[cue.at].lower();
    let object_cue =
        OBJECT_CUES.contains(cue_word.as_str()) && subject.range.is_some() && !subject.inverted;
    let requires_clause = CLAUSE_ONLY.contains(cue_word.as_str()) && !object_cue;
    // "asked whether …", "asked why …": a question is a clause too
    let has_that = toks[cue.after.min(toks.len())..a]
        .iter()
        .any(|t| t.lower() == "that" || t.text == ":")
        || toks
            .get(a)
            .is_some_and(|t| matches!(t.lower().as_str(), "whether" | "why" | "how" | "if"));
    if (requires_clause && !has_that) || a >= toks.len() {
        return None;
    }
    // "Pelosi called the remarks “disgusting,” adding …": an action's object is what it is
    // about, not a complement to step over ("remarks" heads "said in remarks"); the content had
    // started at “disgusting.
    if object_cue && from < a && DETERMINERS.contains_lower(toks[from].text) && quoted[a] {
        a = from;
    }
    let mut end = clause_end(toks, cue.at, a, quoted);
    if let Some((comma, _)) = opening_participle(toks, quoted, cue) {
        // "Noting that …, he said that …": the main clause is a statement of its own.
        end = end.min(comma);
    }
    // "Andrew McCabe, whom Trump called a liar, said …": a cue inside a relative clause set off
    // by commas says no more than the clause; its content used to run on over the main verb
    // and its quote, taking McCabe's statement for Trump's.
    let in_relative = subject.range.is_some_and(|(s, _)| {
        s >= 2
            && matches!(toks[s - 1].lower().as_str(), "whom" | "who" | "which")
            && toks[s - 2].text == ","
    });
    if in_relative {
        end = (a..end)
            .find(|&k| !quoted[k] && toks[k].text == ",")
            .unwrap_or(end);
    }
    (end > a).then(|| token_span(toks, a, end))
}
