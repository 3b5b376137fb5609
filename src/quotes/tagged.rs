//! The learned tagger's quotes: content spans the rules missed, kept when their tagged source
//! resolves to a speaker (or the sentence goes on from the previous sentence's quote). A tagged
//! source is read as a speaker phrase, cut to its core when the phrase parser cannot read it whole.

use super::appositive::role_opening_clause;
use super::cues::{connective, is_negation, is_passive, withheld};
use super::marks::{classify, quoted_title, words_in, Marked};
use super::phrase::parse_phrase;
use super::source::{after_object_relative, in_a_phrase, subject_left};
use super::tagger::{spans, SpanKind, Tagged, Tagger};
use super::{join, token_span, FoundBy, Quote, QuoteKind, Tokens};
use crate::entities::coref::{Phrase, Registry};
use crate::lexicon::{
    ALL_PREPOSITIONS, COMPANIONS, CUE_VERBS, GESTURES, GROUP_HEADS, NOT_GROUP_HEADS, PREPOSITIONS,
    QUANTIFIERS, RELATIVE_PRONOUNS, ROLE_WORDS, SOURCE_CONTINUATIONS, SOURCE_NOUNS, SOURCE_STOPS,
};
use crate::text::{title_cased, Sentence, Span, Token};

/// Shortest content, in words, the tagger may report: single words are mostly pronouns and
/// bare nouns ("it", "comments") that carry nothing to score.
pub(super) const TAGGED_MIN_WORDS: usize = 2;

/// How many of the latest quotes can overlap a new tagged span (a sentence holds far fewer).
pub(super) const RECENT_QUOTES: usize = 64;

/// Quotes the learned tagger finds in one sentence: each content span whose source (in the
/// sentence, or the speaker of a quote just before) resolves to a speaker.
pub(super) fn tagged_quotes(
    text: &str,
    sentences: &[Sentence],
    s: &Tokens,
    marked: &mut [Marked],
    reg: &mut Registry,
    quotes: &mut Vec<Quote>,
) {
    let (toks, quoted, si) = (&s.toks[..], &s.quoted[..], s.si);
    // Headlines in title case ("Mueller Disputes BuzzFeed Report That Trump Told …") read to
    // the tagger as a source and a content: leave them to the rules' headline pattern.
    if title_cased(toks) {
        return;
    }
    let found = spans(&Tagger::shipped().tag(toks, quoted));
    for c in found.iter().filter(|t| t.kind == SpanKind::Content) {
        let content = token_span(toks, c.start, c.end).trim(text);
        // Quotes are in sentence order here, so only the last few can reach this sentence:
        // scanning them all made a 4.7 MB one-line article quadratic.
        if words_in(text, content) < TAGGED_MIN_WORDS
            || quoted_title(text, content)
            || quotes
                .iter()
                .rev()
                .take(RECENT_QUOTES)
                .any(|q| q.content.overlaps(content))
        {
            continue;
        }
        // The source is the one nearest the content's cue: with two attributions in a sentence
        // the content's own cue sits between it and its speaker.
        let cue_span = nearest(&found, SpanKind::Cue, c);
        let src = match cue_span {
            Some(k) => nearest(&found, SpanKind::Source, &k)
                .filter(|s| s.end <= c.start || s.start >= c.end),
            None => nearest(&found, SpanKind::Source, c),
        };
        // A content that runs straight on from its source with a preposition or modifier is
        // the rest of the source's noun phrase ("according to people | with knowledge of …").
        let continues_source =
            |s: Tagged| s.end == c.start && SOURCE_CONTINUATIONS.contains_lower(toks[c.start].text);
        if src.is_some_and(continues_source) {
            continue;
        }
        let resolved = match src {
            Some(src) => source_speaker(toks, quoted, src.start, src.end, reg),
            None => continued_speaker(quotes, sentences, si),
        };
        let Some((speaker, mention)) = resolved else {
            continue;
        };
        if says_nothing(text, toks, cue_span, c, content)
            || describes_the_source(toks, quoted, src, cue_span, c)
            || cue_span.is_some_and(|k| topic_of_a_quote(toks, k, c, quotes))
        {
            continue;
        }
        let cue = cue_span.map(|k| token_span(toks, k.start, k.end));
        let (kind, content) = classify(text, marked, content);
        quotes.push(Quote {
            kind,
            content,
            cue,
            speaker: Some(speaker),
            speaker_mention: Some(mention),
            co_speakers: Vec::new(),
            joint: None,
            sentence: si,
            found_by: FoundBy::Tagger,
        });
    }
}

/// Nearest span of a kind to `c`, outside it (a source nested in the content is the content's
/// own attribution, not its speaker).
fn nearest(found: &[Tagged], kind: SpanKind, c: &Tagged) -> Option<Tagged> {
    found
        .iter()
        .filter(|t| t.kind == kind && (t.end <= c.start || t.start >= c.end))
        .min_by_key(|t| {
            if t.end <= c.start {
                c.start - t.end
            } else {
                t.start.saturating_sub(c.end)
            }
        })
        .copied()
}

/// "“This is a disgrace,” Schumer said of the GOP plan": what follows "said of" names what the
/// quote is about, not a second statement. Over PolNeAR dev and train, 1 of 71 "said of" is
/// followed by an annotated content, and each of the 22 contents the tagger found after a cue
/// ending in "of" ("said of", "recalled of", "said at the outset of") shared its cue with a
/// direct quote, the statement itself; as quotes of their own they counted the speaker twice.
fn topic_of_a_quote(toks: &[Token], cue: Tagged, c: &Tagged, quotes: &[Quote]) -> bool {
    let of = if toks[c.start].lower() == "of" {
        c.start
    } else if c.start > 0 && toks[c.start - 1].lower() == "of" {
        c.start - 1
    } else {
        return false;
    };
    // "of" closes the cue ("said of") or comes right after it ("said" | "of").
    if of + 1 != cue.end && of != cue.end {
        return false;
    }
    let cue = token_span(toks, cue.start, cue.end);
    quotes
        .iter()
        .rev()
        .take(RECENT_QUOTES)
        .any(|q| q.kind != QuoteKind::Indirect && q.cue.is_some_and(|k| k.overlaps(cue)))
}

/// No source in the sentence: the speaker of a quote in this sentence or the one before, in the
/// same paragraph, goes on speaking (wider windows cost more speaker accuracy than they gained
/// recall on the held-out tenth of PolNeAR train).
fn continued_speaker(quotes: &[Quote], sentences: &[Sentence], si: usize) -> Option<(usize, Span)> {
    quotes
        .iter()
        .rev()
        .take_while(|q| q.sentence + 1 >= si)
        .find(|q| sentences[q.sentence].paragraph == sentences[si].paragraph)
        .and_then(|q| Some((q.speaker?, q.speaker_mention?)))
}

/// A tagged content that reports no statement: a withheld or negated cue ("did not say whether
/// …", "declined to comment on …"), a passive cue (its tagged source is who was spoken to:
/// "Sanders was asked by host John Dickerson"; the rules take the agent), or a gesture ("raised
/// his hand", "shook his head").
fn says_nothing(
    text: &str,
    toks: &[Token],
    cue_span: Option<Tagged>,
    c: &Tagged,
    content: Span,
) -> bool {
    cue_span.is_some_and(|k| {
        (k.start..k.end)
            .any(|t| withheld(toks, t) || is_negation(&toks[t].lower()) || connective(toks, t))
    }) || cue_span.is_some_and(|k| is_passive(toks, k.end - 1))
        || (toks[c.start..c.end]
            .last()
            .is_some_and(|t| GESTURES.contains_lower(t.text))
            && words_in(text, content) < 4)
}

/// A relative clause between the source and its cue is about the source, not what was said:
/// "Turner — a defense hawk | whose state could lose as much as $90 million … | — has said",
/// "Lawyers for Mr. McCabe, | who is being investigated …, | had argued" (3 such quotes over
/// the 729 articles `scripts/diff-extract` reads, all of them asides).
fn describes_the_source(
    toks: &[Token],
    quoted: &[bool],
    src: Option<Tagged>,
    cue: Option<Tagged>,
    c: &Tagged,
) -> bool {
    let between = src.is_none_or(|s| s.end <= c.start) && cue.is_some_and(|k| c.end <= k.start);
    between
        && !quoted[c.start]
        && matches!(
            toks[c.start].lower().as_str(),
            "who" | "whose" | "whom" | "which"
        )
}

/// The speaker a tagged source span names: a relative pronoun ("…, who said") stands for the
/// phrase before it; an unnamed group ("some families", "reporters") speaks as a group.
pub(super) fn source_speaker(
    toks: &[Token],
    quoted: &[bool],
    start: usize,
    end: usize,
    reg: &mut Registry,
) -> Option<(usize, Span)> {
    if in_a_phrase(toks, start) {
        return None;
    }
    let start = past_a_leading_phrase(toks, start, end);
    let end = before_companions(toks, start, end);
    // "Trump's | campaign said", "his | aides": a possessive is the determiner of the source; the
    // source is the noun after it, or nobody.
    let mut end = end;
    let last = toks[end - 1].lower();
    if last.ends_with("'s")
        || last.ends_with("’s")
        || matches!(last.as_str(), "his" | "her" | "its" | "their")
    {
        let head = (end..toks.len().min(end + 3))
            .take_while(|&k| !quoted[k])
            .find(|&k| {
                SOURCE_NOUNS.contains_lower(toks[k].text)
                    || GROUP_HEADS.contains_lower(toks[k].text)
                    || ROLE_WORDS.contains_lower(toks[k].text)
            });
        end = head? + 1;
    }
    let (start, mut end) = after_object_relative(toks, quoted, (start, end));
    // "Trump's attorney, | Rudy Giuliani, | also responded": the role before the tagged name is
    // the speaker's, and part of the mention (as in `appositive::role_before_name`).
    let role = start
        .checked_sub(1)
        .filter(|_| toks[start].is_capitalized())
        .and_then(|comma| role_opening_clause(toks, comma, quoted));
    // The mention stays the pronoun, as for "he said"; the speaker is its antecedent.
    let mention = token_span(toks, role.map_or(start, |r| r.0), end);
    let mut start = start;
    if end - start == 1 && RELATIVE_PRONOUNS.contains_lower(toks[start].text) {
        let before = if start > 0 && toks[start - 1].text == "," {
            start - 1
        } else {
            start
        };
        (start, end) = subject_left(toks, before, quoted)?;
    }
    // "Tell him: …", "Says …": a sentence opening with a reporting verb is an imperative or a
    // headline, and the verb is no one's name.
    if start == 0 && CUE_VERBS.contains_lower(toks[0].text) {
        start += 1;
    }
    if start >= end {
        return None;
    }
    let role = role.map(|(a, b)| join(&toks[a..b]));
    let (phrase, at) = source_phrase(toks, start, end, role.clone()).or_else(|| {
        let (s, e, core_role) = source_core(toks, start, end)?;
        source_phrase(toks, s, e, core_role.or(role))
    })?;
    reg.resolve(&phrase, at, true).map(|id| (id, mention))
}

/// "In the decades after | the Civil War and Reconstruction, the NAACP history | said": a tagged
/// source that opens as a preposition's object and goes on past a comma to a noun phrase is that
/// noun phrase (SEESAW valid had a speaker "Civil War and Reconstruction"). "according to" and
/// "by" name their speaker before the comma ("according to Jeff Weaver, the campaign manager"),
/// and so do "as" ("As John Cornyn, the No. 2 in the GOP leadership, put it"), "like", "for"
/// and "of".
fn past_a_leading_phrase(toks: &[Token], start: usize, end: usize) -> usize {
    let after_preposition = start > 0
        && ALL_PREPOSITIONS.contains_lower(toks[start - 1].text)
        && !matches!(
            toks[start - 1].lower().as_str(),
            "to" | "by" | "as" | "like" | "for" | "of"
        );
    let comma = (start + 1..end.saturating_sub(2)).find(|&k| {
        toks[k].text == "," && matches!(toks[k + 1].lower().as_str(), "the" | "a" | "an")
    });
    match comma {
        Some(c) if after_preposition => c + 1,
        _ => start,
    }
}

/// "Rep. Mike Turner (R-Ohio), | along with four other House Republicans,": who acts with the
/// speaker is not the speaker (it had been "Republicans", the phrase's last name).
fn before_companions(toks: &[Token], start: usize, end: usize) -> usize {
    (start + 1..end.saturating_sub(1))
        .find(|&k| toks[k].text == "," && COMPANIONS.contains_lower(toks[k + 1].text))
        .unwrap_or(end)
}

/// The speaker phrase of a tagged source's tokens `[start, end)`, and the span it names.
pub(super) fn source_phrase(
    toks: &[Token],
    start: usize,
    end: usize,
    role: Option<String>,
) -> Option<(Phrase, Span)> {
    let mut end = end;
    let mut role = role;
    // "Tanya Sanerib, a senior lawyer with the Center for Biological Diversity": the name is
    // before the comma, the appositive its role (its last capitals are not the name). "Both
    // Democrats" after "Madeleine Albright and John Kerry" says who the two are, and is no role
    // of one (SEESAW valid: the speaker had been "Democrats").
    let appositive = toks[start..end]
        .iter()
        .position(|t| t.text == ",")
        .map(|c| start + c)
        .filter(|&c| {
            c > start
                && c + 2 < end
                && toks[c - 1].is_capitalized()
                && toks
                    .get(c + 1)
                    .is_some_and(|t| matches!(t.lower().as_str(), "a" | "an" | "the" | "both"))
        });
    if let Some(c) = appositive {
        if toks[c + 1].lower() != "both" {
            role = Some(join(&toks[c + 2..end]));
        }
        end = c;
    }
    let phrase = &toks[start..end];
    let at = token_span(toks, start, end);
    let parsed = parse_phrase(phrase).map(|p| match (p, role) {
        (
            Phrase::Named {
                name, affiliation, ..
            },
            Some(r),
        ) if !r.is_empty() => Phrase::Named {
            name,
            role: Some(r),
            affiliation,
        },
        (p, _) => p,
    });
    parsed
        .or_else(|| group_source(phrase, start == 0))
        .map(|p| (p, at))
}

/// An unnamed group that can speak: "some families", "many", "reporters", "Republican
/// strategists". `initial`: the phrase opens the sentence, so its first capital is the sentence's.
pub(super) fn group_source(phrase: &[Token], initial: bool) -> Option<Phrase> {
    let words: Vec<&str> = phrase
        .iter()
        .filter(|t| t.is_word() && !matches!(t.lower().as_str(), "the" | "a" | "an"))
        .map(|t| t.text)
        .collect();
    let first_person = NOT_GROUP_HEADS.contains_lower(words.first()?);
    // The head names the group; a capital on it makes the phrase a name, not a group
    // (a capital on the sentence's first word is the sentence's).
    let head_word = words.last()?;
    let lower =
        !head_word.chars().next().is_some_and(char::is_uppercase) || (initial && words.len() == 1);
    // The head must be able to speak: a group noun, or a plural ("advocates", "families").
    let head = head_word.to_lowercase();
    let speaks = SOURCE_NOUNS.contains_lower(&head)
        || GROUP_HEADS.contains_lower(&head)
        || ROLE_WORDS.contains_lower(&head)
        || QUANTIFIERS.contains_lower(&head)
        || (head.len() > 3 && head.ends_with('s') && !head.ends_with("ss"));
    (!first_person && lower && speaks).then(|| Phrase::Nominal {
        head,
        text: words.join(" "),
        group: true,
        affiliation: None,
        indefinite: false,
    })
}

/// A tagged source the speaker parser could not read, cut to its core: "Jeff Weaver, Sanders’
/// campaign manager," → "Jeff Weaver" (role "Sanders’ campaign manager"); "RNC spokesman Sean
/// Spicer on Thursday" → "RNC spokesman Sean Spicer"; "People briefed on the situation" →
/// "People"; "Sen. Mitch McConnell (R-Ky.)" → "Sen. Mitch McConnell". `None` when nothing is cut.
pub(super) fn source_core(
    toks: &[Token],
    start: usize,
    end: usize,
) -> Option<(usize, usize, Option<String>)> {
    let whole = (start, end);
    let end = if toks[end - 1].text == "," {
        end - 1
    } else {
        end
    };
    let (s, e, role) = match (start + 1..end).find(|&k| toks[k].text == ",") {
        Some(comma) => name_beside_role(toks, start, comma, end),
        None => (start, phrase_end(toks, start, end), None),
    };
    (e > s && (s, e) != whole).then_some((s, e, role))
}

/// Where the noun phrase starting at `from` ends, before `to`: at a time, a participle, a
/// bracket, a preposition or a relative clause ("People | briefed on the situation").
pub(super) fn phrase_end(toks: &[Token], from: usize, to: usize) -> usize {
    (from + 1..to)
        .find(|&k| {
            let l = toks[k].lower();
            SOURCE_STOPS.contains(l.as_str())
                || PREPOSITIONS.contains(l.as_str())
                || (l == ","
                    && toks
                        .get(k + 1)
                        .is_some_and(|t| RELATIVE_PRONOUNS.contains_lower(t.text)))
        })
        .unwrap_or(to)
}

/// "Name, role" or "role, Name" around the comma at `comma`: the side that ends in a capital is
/// the name, the other its role. Neither: the phrase before the comma, cut to its noun phrase.
pub(super) fn name_beside_role(
    toks: &[Token],
    start: usize,
    comma: usize,
    end: usize,
) -> (usize, usize, Option<String>) {
    let left_end = phrase_end(toks, start, comma);
    let right_end = (comma + 1..end)
        .find(|&k| toks[k].text == ",")
        .unwrap_or(end);
    let capital = |k: usize| toks[k].is_capitalized() && !QUANTIFIERS.contains_lower(toks[k].text);
    if left_end == comma && capital(comma - 1) {
        let role = join(&toks[comma + 1..right_end]);
        (start, comma, Some(role).filter(|r| !r.is_empty()))
    } else if right_end > comma + 1
        && capital(right_end - 1)
        && !toks[comma + 1..right_end]
            .iter()
            .any(|t| t.lower() == "and")
    {
        (comma + 1, right_end, Some(join(&toks[start..left_end])))
    } else {
        (start, left_end, None)
    }
}
