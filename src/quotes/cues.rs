//! Reporting cues: the verb ("said", "pointed out"), "according to" or participle (", stating
//! that") that makes a sentence an attribution, and the cues that report that nothing was said.

use super::token_span;
use crate::lexicon::{
    ADDRESSEE_VERBS, BRIDGE_WORDS, CUE_VERBS, DOCUMENTS, MANNER_VERBS, OBJECT_CUES,
};
use crate::text::{Span, Token};

pub(super) struct Cue {
    /// token index of the cue word (the verb, or "according")
    pub(super) at: usize,
    /// tokens covered by the cue phrase
    pub(super) span: Span,
    /// first token after the cue phrase
    pub(super) after: usize,
    pub(super) kind: CueKind,
}

#[derive(PartialEq, Clone, Copy)]
pub(super) enum CueKind {
    Verb,
    /// "according to X"
    According,
    /// ", stating that" / "responded by stating": the subject is elsewhere
    Participle,
}

/// The cue at token `i`. In a title-case headline (`title_case`) every word is capitalised, so a
/// capitalised reporting verb is a cue there ("Lindsey Graham Says Trump …").
pub(super) fn cue_at(toks: &[Token], i: usize, quoted: &[bool], title_case: bool) -> Option<Cue> {
    if quoted[i] || !toks[i].is_word() {
        return None;
    }
    let w = toks[i].lower();
    let next = |k: usize| toks.get(k).map(|t| t.lower()).unwrap_or_default();
    if w == "according" && next(i + 1) == "to" {
        return Some(Cue {
            at: i,
            span: token_span(toks, i, i + 2),
            after: i + 2,
            kind: CueKind::According,
        });
    }
    // Verbs of telling are cues of their own list, which the learned tagger's features do not
    // read ("informed" in `CUE_VERBS` changed what the tagger found: PolNeAR dev F1 −0.1).
    if !CUE_VERBS.contains(w.as_str())
        && !OBJECT_CUES.contains(w.as_str())
        && !MANNER_VERBS.contains(w.as_str())
        && !ADDRESSEE_VERBS.contains(w.as_str())
    {
        return None;
    }
    // a capitalised cue word mid-sentence is a name ("Said", "Hope")
    let headline_cue = title_case && CUE_VERBS.contains(w.as_str());
    if connective(toks, i) {
        return None;
    }
    if (toks[i].is_capitalized() && i > 0 && !headline_cue) || withheld(toks, i) {
        return None;
    }
    let mut end = i + 1;
    if matches!(w.as_str(), "point" | "points" | "pointed" | "pointing") {
        if next(i + 1) != "out" {
            return None;
        }
        end = i + 2;
    }
    if matches!(
        w.as_str(),
        "respond" | "responds" | "responded" | "responding"
    ) && next(i + 1) == "by"
    {
        let g = next(i + 2);
        if CUE_VERBS.contains(g.as_str()) && g.ends_with("ing") {
            end = i + 3;
        }
    }
    let prev = if i > 0 { toks[i - 1].text } else { "" };
    // "issued a statement saying …": the participle modifies the document, and whoever issued
    // it speaks (SEESAW valid: Schumer's statement on Spencer had gone to a speaker "statement").
    let after_document = DOCUMENTS.contains_lower(prev);
    let participle = w.ends_with("ing")
        && (prev == "," || prev == "by" || prev == "—" || i == 0 || after_document);
    Some(Cue {
        at: i,
        span: token_span(toks, i, end),
        after: end,
        kind: if participle {
            CueKind::Participle
        } else {
            CueKind::Verb
        },
    })
}

/// "did not say", "would never comment", "declined to comment on", "refused to say": the cue at
/// `i` reports that nothing was said. Also true of "declined"/"refused" themselves before "to".
pub(super) fn withheld(toks: &[Token], i: usize) -> bool {
    let lower = |k: usize| toks.get(k).map(|t| t.lower()).unwrap_or_default();
    let refusal = |w: &str| {
        matches!(
            w,
            "decline" | "declines" | "declined" | "declining" | "refuse" | "refuses" | "refused"
        ) || w.starts_with("refusing")
    };
    if refusal(&lower(i)) && (lower(i + 1) == "to" || comment_noun_at(toks, i + 1).is_some()) {
        return true;
    }
    let mut j = i;
    while j > 0
        && !toks[j - 1].is_capitalized()
        && (BRIDGE_WORDS.contains_lower(toks[j - 1].text) || toks[j - 1].text.ends_with("ly"))
    {
        j -= 1;
    }
    let before = if j > 0 { lower(j - 1) } else { String::new() };
    is_negation(&before) || (before == "to" && j >= 2 && refusal(&lower(j - 2)))
}

/// "comment", "immediate comment", "further comment": the noun a refusal or a "no" takes; the
/// index after it.
fn comment_noun_at(toks: &[Token], mut i: usize) -> Option<usize> {
    for _ in 0..2 {
        match toks.get(i).map(|t| t.lower()).as_deref() {
            Some("immediate" | "further" | "any" | "public" | "official") => i += 1,
            _ => break,
        }
    }
    matches!(
        toks.get(i).map(|t| t.lower()).as_deref(),
        Some("comment" | "comments")
    )
    .then_some(i + 1)
}

/// What a content says is that nothing was said: "the White House did not immediately comment
/// on the reports", "Spencer had no immediate comment", "he declined to respond". Scored, such a
/// sentence gave confident stances toward every party it named (SEESAW valid: "did not
/// immediately comment on the reports" against the United States, the Democratic Party and
/// Saudi Arabia). A contrast after it ("… but said the plan would fail") is a statement.
pub(crate) fn declines_comment(toks: &[Token]) -> bool {
    const VERBS: [&str; 8] = [
        "comment",
        "comments",
        "commented",
        "respond",
        "responds",
        "responded",
        "reply",
        "replied",
    ];
    // "never returned" is going back; a call, message or request returned is an answer
    const RETURNED: [&str; 8] = [
        "call", "calls", "message", "messages", "request", "requests", "email", "emails",
    ];
    let returned = |i: usize| {
        matches!(toks[i].lower().as_str(), "return" | "returned")
            && toks[i + 1..]
                .iter()
                .take(4)
                .any(|t| RETURNED.contains(&t.lower().as_str()))
    };
    let at = (0..toks.len().min(8)).find_map(|i| {
        let w = toks[i].lower();
        if (VERBS.contains(&w.as_str()) || returned(i)) && withheld(toks, i) {
            Some(i + 1)
        } else if w == "no" {
            comment_noun_at(toks, i + 1)
        } else {
            None
        }
    });
    at.is_some_and(|at| {
        !toks[at..].iter().any(|t| {
            matches!(
                t.lower().as_str(),
                "but" | "though" | "although" | "while" | ";"
            )
        })
    })
}

/// "Having said that, …": a connective, not an attribution.
pub(super) fn connective(toks: &[Token], i: usize) -> bool {
    i > 0 && toks[i - 1].lower() == "having"
}

pub(super) fn is_negation(w: &str) -> bool {
    matches!(w, "not" | "never" | "neither" | "nor") || w.ends_with("n't") || w.ends_with("n’t")
}

/// True when the cue is joined to an earlier verb: "… and said", "… and also told".
pub(super) fn coordinated(toks: &[Token], cue: usize) -> bool {
    let mut j = cue;
    while j > 0 && BRIDGE_WORDS.contains_lower(toks[j - 1].text) {
        j -= 1;
    }
    j > 0 && matches!(toks[j - 1].lower().as_str(), "and" | "but")
}

/// "was criticised", "were told", "has been accused": a participle cue after a form of "be".
pub(super) fn is_passive(toks: &[Token], cue: usize) -> bool {
    let w = toks[cue].lower();
    if !(w.ends_with("ed") || matches!(w.as_str(), "told" | "said" | "thought" | "written")) {
        return false;
    }
    let mut j = cue;
    while j > 0 && !toks[j - 1].is_capitalized() && toks[j - 1].is_word() && cue - j < 3 {
        let b = toks[j - 1].lower();
        if matches!(
            b.as_str(),
            "was" | "were" | "is" | "are" | "been" | "being" | "be" | "get" | "gets" | "got"
        ) {
            return true;
        }
        if !(BRIDGE_WORDS.contains(&b) || b.ends_with("ly")) {
            return false;
        }
        j -= 1;
    }
    false
}
