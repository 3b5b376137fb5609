//! Quotes: from an article's sentences to every attributed statement, with its cue and speaker.
//!
//! Rules, in order of trust:
//! 1. direct quotes (text in quotation marks) with an attribution right before or after them,
//!    including quotes split around their attribution and quotes running over paragraphs;
//! 2. reported speech: a speaker phrase + a reporting cue + a clause ("Lavrov emphasized that …",
//!    "…, according to officials", "…, stating that …"); a quoted fragment inside makes it mixed;
//! 3. a quote standing alone right after an attributed one continues that speaker;
//! 4. a learned tagger (`tagger.rs`, trained on PolNeAR) labels source, cue and content spans in
//!    every sentence; its content spans that no rule found become quotes when their source
//!    resolves to a speaker (or the sentence continues the previous sentence's quote).
//!
//! Quotation marks with no speech cue nearby (titles, scare quotes) are not quotes.

mod passes;
pub mod tagger;

use serde::Serialize;

use crate::lexicon::{
    BRIDGE_WORDS, CLAUSE_ONLY, COMPLEMENT_NOUNS, COMPLEMENT_WORDS, CUE_VERBS, DETERMINERS,
    DETERMINERS_OPENING, FEMALE_PRONOUNS, GESTURES, GROUP_HEADS, MALE_PRONOUNS, MANNER_VERBS,
    NOT_GROUP_HEADS, NOT_NAMES, OBJECT_CUES, PREPOSITIONS, QUANTIFIERS, RELATIVE_PRONOUNS,
    ROLE_WORDS, SOURCE_CONTINUATIONS, SOURCE_NOUNS, SOURCE_STOPS,
};
use crate::speakers::{parse_phrase, person_names, Phrase, Registry, Speaker};
use crate::text::{is_quote_mark, tokens, Sentence, Span, Token};

/// The tokens' texts joined by single spaces.
fn join(toks: &[Token]) -> String {
    toks.iter().map(|t| t.text).collect::<Vec<_>>().join(" ")
}

/// The text span of tokens `start..end` (non-empty).
fn token_span(toks: &[Token], start: usize, end: usize) -> Span {
    Span::new(toks[start].span.start, toks[end - 1].span.end)
}

/// How a statement is reported.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum QuoteKind {
    /// Words in quotation marks.
    Direct,
    /// Reported speech with no quotation marks.
    Indirect,
    /// Reported speech with a quoted fragment inside.
    Mixed,
}

/// Which part of the extractor found a quote.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum FoundBy {
    /// The rules: speech with a reporting cue, quotation marks, headlines, continuations.
    #[default]
    Rules,
    /// The learned tagger (`--rules-only` turns it off).
    Tagger,
}

/// One attributed statement. Spans are byte offsets into the article text.
#[derive(Debug, Clone, PartialEq)]
pub struct Quote {
    /// Direct, indirect or mixed.
    pub kind: QuoteKind,
    /// The statement itself (inside the quotation marks for direct quotes).
    pub content: Span,
    /// The reporting cue ("said", "pointed out", "according to"); none for a continued quote.
    pub cue: Option<Span>,
    /// Index into [`Extraction::speakers`].
    pub speaker: Option<usize>,
    /// The mention the speaker was attributed from ("he", "Peskov", "the Kremlin").
    pub speaker_mention: Option<Span>,
    /// Index of the sentence the quote's attribution sits in.
    pub sentence: usize,
    /// Rules or the learned tagger.
    pub found_by: FoundBy,
}

/// The output of this stage.
#[derive(Debug, Clone, Default)]
pub struct Extraction {
    /// Quotes in text order.
    pub quotes: Vec<Quote>,
    /// Speakers and other people mentioned (antecedents); `speaks` marks those quoted.
    pub speakers: Vec<Speaker>,
}

impl Extraction {
    /// Renames speakers after the entity layer (`speakers::name_from_entities`) and merges the
    /// speakers it found to be one person, so a quote's speaker is the same whether the
    /// attribution said "Whip Steve Scalise" or "Mr. Scalise".
    pub fn name_speakers(&mut self, entities: &[crate::entities::Entity], text: &str) {
        // The quotes keep the speaker the extractor resolved a "he said" to: moving them to the
        // person the entity layer joins "he" to took PolNeAR dev speaker accuracy from 89.5% to
        // 86.9% (the extractor prefers speakers of cues as antecedents).
        let same = crate::speakers::name_from_entities(&mut self.speakers, entities, text);
        if same.iter().enumerate().all(|(i, &s)| i == s) {
            return;
        }
        for i in 0..same.len() {
            if same[i] != i {
                let from = std::mem::take(&mut self.speakers[i].mentions);
                let speaks = self.speakers[i].speaks;
                let (role, affiliation) = (
                    self.speakers[i].role.clone(),
                    self.speakers[i].affiliation.clone(),
                );
                let into = &mut self.speakers[same[i]];
                into.mentions.extend(from);
                into.speaks |= speaks;
                into.role = into.role.take().or(role);
                into.affiliation = into.affiliation.take().or(affiliation);
            }
        }
        // Sorted once per speaker, after every merge into it.
        for (i, s) in self.speakers.iter_mut().enumerate() {
            if same[i] == i {
                s.mentions.sort();
                s.mentions.dedup();
            }
        }
        let kept: Vec<usize> = (0..same.len()).filter(|&i| same[i] == i).collect();
        let new_index: Vec<usize> = same
            .iter()
            .map(|&s| kept.partition_point(|&k| k < s))
            .collect();
        for q in &mut self.quotes {
            q.speaker = q.speaker.map(|s| new_index[s]);
        }
        let mut i = 0;
        self.speakers.retain(|_| {
            i += 1;
            same[i - 1] == i - 1
        });
    }
}

/// A direct quote found by pairing quotation marks.
#[derive(Debug, Clone, Copy)]
struct Marked {
    /// From the opening mark to just after the closing mark.
    outer: Span,
    /// Between the marks.
    inner: Span,
    used: bool,
}

/// The marked quotes whose outer span overlaps `span` (they are sorted and disjoint): lookups
/// stay local, so a long article with thousands of quotes is not scanned once per quote.
fn near(marked: &mut [Marked], span: Span) -> &mut [Marked] {
    let lo = marked.partition_point(|m| m.outer.end <= span.start);
    let hi = lo + marked[lo..].partition_point(|m| m.outer.start < span.end);
    &mut marked[lo..hi]
}

/// The unused marked quote that opens at byte `at`.
fn opening_at(marked: &mut [Marked], at: usize) -> Option<&mut Marked> {
    near(marked, Span::new(at, at + 1))
        .iter_mut()
        .find(|m| !m.used && m.outer.start == at)
}

/// What a content span is, given the quotation marks in it: one whole quote is direct (and
/// its content is the text inside the marks), quoted fragments make it mixed. The marks it
/// covers are used up.
fn classify(text: &str, marked: &mut [Marked], content: Span) -> (QuoteKind, Span) {
    let near = near(marked, content);
    let whole = near
        .iter()
        .find(|m| m.outer.trim(text) == content || m.inner.trim(text) == content)
        .map(|m| m.inner);
    let kind = if whole.is_some() {
        QuoteKind::Direct
    } else if near.iter().any(|m| content.contains(m.inner)) {
        QuoteKind::Mixed
    } else {
        QuoteKind::Indirect
    };
    for m in near.iter_mut().filter(|m| content.contains(m.inner)) {
        m.used = true;
    }
    (kind, whole.unwrap_or(content))
}

fn closes(open: char, c: char) -> bool {
    match open {
        '“' => matches!(c, '”' | '"' | '“'),
        '„' => matches!(c, '“' | '”' | '"'),
        '«' => c == '»',
        '»' => c == '«',
        '‹' => c == '›',
        '"' => matches!(c, '"' | '”'),
        '‘' => c == '’',
        '\'' => c == '\'' || c == '’',
        '「' => c == '」',
        _ => false,
    }
}

fn is_opening(c: char) -> bool {
    matches!(c, '“' | '„' | '«' | '"' | '‘' | '\'' | '「' | '‹')
}

/// Pairs quotation marks across the whole text. A quote left open at a paragraph end
/// continues when the next paragraph opens with a quotation mark (newspaper style for
/// multi-paragraph quotes); otherwise it ends with its paragraph.
fn find_marked(text: &str) -> Vec<Marked> {
    let mut out = Vec::new();
    // (byte offset, char, byte width); the NYT's doubled apostrophe '' is one double-quote mark.
    let mut chars: Vec<(usize, char, usize)> = Vec::with_capacity(text.len());
    let mut it = text.char_indices().peekable();
    while let Some((b, c)) = it.next() {
        if c == '\'' && it.peek().is_some_and(|&(_, n)| n == '\'') {
            it.next();
            chars.push((b, '"', 2));
        } else {
            chars.push((b, c, c.len_utf8()));
        }
    }
    let mut i = 0;
    while i < chars.len() {
        let (b, c, w) = chars[i];
        let prev = if i > 0 { chars[i - 1].1 } else { ' ' };
        let next = chars.get(i + 1).map(|x| x.1).unwrap_or(' ');
        let single = c == '‘' || c == '\'';
        let opening = is_opening(c)
            && (!single
                || (prev.is_whitespace() || prev == '(' || prev == '"' || prev == '“')
                    && next.is_alphanumeric())
            && (c != '"' || !prev.is_alphanumeric());
        if !opening {
            i += 1;
            continue;
        }
        let open = c;
        let mut j = i + 1;
        let mut end: Option<(usize, usize)> = None; // (inner end, outer end)
        while j < chars.len() {
            let (bj, cj, wj) = chars[j];
            if cj == '\n' {
                // paragraph break inside an open quote
                let mut k = j;
                while k < chars.len() && chars[k].1.is_whitespace() {
                    k += 1;
                }
                if k < chars.len() && is_opening(chars[k].1) && !single {
                    j = k + 1;
                    continue;
                }
                end = Some((bj, bj));
                break;
            }
            if closes(open, cj) && j > i + 1 {
                let after = chars.get(j + 1).map(|x| x.1).unwrap_or(' ');
                let before = chars[j - 1].1;
                let apostrophe = (cj == '’' || cj == '\'') && after.is_alphanumeric();
                // a straight double quote preceded by a space and followed by a word opens a new quote
                let reopen = cj == '"' && before.is_whitespace() && after.is_alphanumeric();
                if !apostrophe && !reopen {
                    end = Some((bj, bj + wj));
                    break;
                }
            }
            j += 1;
        }
        let (inner_end, outer_end) = end.unwrap_or((text.len(), text.len()));
        let inner = Span::new(b + w, inner_end.max(b + w));
        if !inner.slice(text).trim().is_empty() {
            out.push(Marked {
                outer: Span::new(b, outer_end),
                inner,
                used: false,
            });
        }
        // continue after the closing mark
        while i < chars.len() && chars[i].0 < outer_end.max(b + w) {
            i += 1;
        }
    }
    out
}

fn words_in(text: &str, span: Span) -> usize {
    span.slice(text)
        .split_whitespace()
        .filter(|w| w.chars().any(|c| c.is_alphanumeric()))
        .count()
}

struct Cue {
    /// token index of the cue word (the verb, or "according")
    at: usize,
    /// tokens covered by the cue phrase
    span: Span,
    /// first token after the cue phrase
    after: usize,
    kind: CueKind,
}

#[derive(PartialEq, Clone, Copy)]
enum CueKind {
    Verb,
    /// "according to X"
    According,
    /// ", stating that" / "responded by stating": the subject is elsewhere
    Participle,
}

/// The cue at token `i`. In a title-case headline (`title_case`) every word is capitalised, so a
/// capitalised reporting verb is a cue there ("Lindsey Graham Says Trump …").
fn cue_at(toks: &[Token], i: usize, quoted: &[bool], title_case: bool) -> Option<Cue> {
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
    if !CUE_VERBS.contains(&w.as_str())
        && !OBJECT_CUES.contains(&w.as_str())
        && !MANNER_VERBS.contains(&w.as_str())
    {
        return None;
    }
    // a capitalised cue word mid-sentence is a name ("Said", "Hope")
    let headline_cue = title_case && CUE_VERBS.contains(&w.as_str());
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
        if CUE_VERBS.contains(&g.as_str()) && g.ends_with("ing") {
            end = i + 3;
        }
    }
    let prev = if i > 0 { toks[i - 1].text } else { "" };
    let participle = w.ends_with("ing") && (prev == "," || prev == "by" || prev == "—" || i == 0);
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
fn withheld(toks: &[Token], i: usize) -> bool {
    let lower = |k: usize| toks.get(k).map(|t| t.lower()).unwrap_or_default();
    let refusal = |w: &str| {
        matches!(
            w,
            "decline" | "declines" | "declined" | "declining" | "refuse" | "refuses" | "refused"
        ) || w.starts_with("refusing")
    };
    if refusal(&lower(i)) && lower(i + 1) == "to" {
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

/// "a rally in Michigan", "32% of Republican claims": a phrase starting at `start` after one of
/// these prepositions says where or whose, not who speaks ("according to X", "by X" and "one of
/// X" do name who speaks).
fn in_a_phrase(toks: &[Token], start: usize) -> bool {
    start > 0
        && match toks[start - 1].lower().as_str() {
            "in" | "at" | "from" | "during" => true,
            "of" => !(start > 1 && DETERMINERS_OPENING.contains_lower(toks[start - 2].text)),
            _ => false,
        }
}

/// "Having said that, …": a connective, not an attribution.
fn connective(toks: &[Token], i: usize) -> bool {
    i > 0 && toks[i - 1].lower() == "having"
}

fn is_negation(w: &str) -> bool {
    matches!(w, "not" | "never" | "neither" | "nor") || w.ends_with("n't") || w.ends_with("n’t")
}

/// Collects a speaker phrase leftwards from `from` (exclusive). Returns its token range.
fn subject_left(toks: &[Token], from: usize, quoted: &[bool]) -> Option<(usize, usize)> {
    let mut j = from;
    while j > 0
        && (BRIDGE_WORDS.contains_lower(toks[j - 1].text)
            || (toks[j - 1].text.ends_with("ly")
                && !toks[j - 1].is_capitalized()
                && toks[j - 1].text.len() > 4))
    {
        j -= 1;
    }
    let mut end = j;
    if let Some(np) = common_noun_source(toks, end, quoted) {
        return Some(np);
    }
    let mut k = j;
    while k > 0 {
        let t = &toks[k - 1];
        if quoted[k - 1] {
            break;
        }
        // "Sen. Rob Portman (R-Ohio)": step over a short parenthesis after the name
        if t.text == ")" {
            match (k.saturating_sub(8)..k - 1)
                .rev()
                .find(|&o| toks[o].text == "(")
            {
                Some(o) if o > 0 && toks[o - 1].is_capitalized() => {
                    if k == end {
                        end = o; // the parenthesis is not part of the name
                    }
                    k = o;
                    continue;
                }
                _ => break,
            }
        }
        let l = t.lower();
        // "…, Mr. Jones, who said …": the relative pronoun stands for the name before the comma
        if l == "who" && k == end && k >= 3 && toks[k - 2].text == "," {
            if let Some(np) = subject_left(toks, k - 2, quoted) {
                if toks[np.0..np.1].iter().any(|t| t.is_capitalized()) {
                    return Some(np);
                }
            }
        }
        let pronoun = matches!(l.as_str(), "he" | "she" | "they" | "it" | "i" | "we");
        if pronoun {
            if k == end {
                k -= 1;
            }
            break;
        }
        let ok = (t.is_word() && t.is_capitalized())
            || ROLE_WORDS.contains_lower(t.text)
            || matches!(l.as_str(), "of" | "the" | "for" | "a" | "an")
            || l.ends_with("'s")
            || l.ends_with("’s");
        if !ok {
            break;
        }
        k -= 1;
    }
    // Trim leading function words and sentence-initial connectives ("Additionally", "Meanwhile").
    while k < end
        && (matches!(toks[k].lower().as_str(), "of" | "for")
            || (NOT_NAMES.contains(&toks[k].lower().as_str())
                && !matches!(
                    toks[k].lower().as_str(),
                    "the" | "a" | "an" | "he" | "she" | "they" | "it" | "i" | "we"
                )))
    {
        k += 1;
    }
    if k >= end {
        return None;
    }
    // "the" alone is not a speaker
    if end - k == 1 && matches!(toks[k].lower().as_str(), "the" | "a" | "an") {
        return None;
    }
    Some((k, end))
}

/// "the billionaire businessman", "a new poll of Indiana voters", "47 percent": a phrase ending at
/// `end` whose head is a source noun and which opens with a determiner or a number.
fn common_noun_source(toks: &[Token], end: usize, quoted: &[bool]) -> Option<(usize, usize)> {
    if end == 0
        || quoted[end - 1]
        || !SOURCE_NOUNS.contains_lower(toks[end - 1].text)
        || toks[end - 1].is_capitalized() && end > 1
    {
        return None;
    }
    let mut k = end - 1;
    while k > 0 && end - k < 7 && !quoted[k - 1] && toks[k - 1].is_word() {
        k -= 1;
        let w = toks[k].lower();
        if DETERMINERS_OPENING.contains_lower(&w)
            || w.chars().next().is_some_and(|c| c.is_ascii_digit())
            || w.contains('-')
                && w.chars().next().is_some_and(|c| c.is_alphabetic())
                && toks[k].is_capitalized()
        {
            return Some((k, end));
        }
        if !w
            .chars()
            .all(|c| c.is_alphanumeric() || c == '-' || c == '\'' || c == '’')
            || matches!(w.as_str(), "and" | "or" | "but" | "who" | "which" | "that")
        {
            return None;
        }
    }
    // sentence-initial capitalised determiner: "The billionaire says"
    (k == 0 && DETERMINERS_OPENING.contains_lower(toks[0].text)).then_some((0, end))
}

/// "according to a new article in Politico, …": up to the comma or the sentence end.
fn according_source(toks: &[Token], from: usize, quoted: &[bool]) -> Option<(usize, usize)> {
    let mut k = from;
    while k < toks.len() && !quoted[k] && toks[k].is_word() && k - from < 12 {
        k += 1;
    }
    (k > from && DETERMINERS_OPENING.contains_lower(toks[from].text)).then_some((from, k))
}

/// Collects a speaker phrase rightwards (inverted "…, said Peskov").
fn subject_right(toks: &[Token], from: usize, quoted: &[bool]) -> Option<(usize, usize)> {
    let mut k = from;
    while k < toks.len() && !quoted[k] {
        let t = &toks[k];
        let l = t.lower();
        if k == from && matches!(l.as_str(), "he" | "she" | "they" | "it" | "i" | "we") {
            return Some((k, k + 1));
        }
        let ok = (t.is_word() && t.is_capitalized())
            || ROLE_WORDS.contains_lower(t.text)
            || matches!(l.as_str(), "of" | "the" | "for" | "a" | "an")
            || l.ends_with("'s")
            || l.ends_with("’s")
            || title_between(toks, k, from, quoted);
        if !ok {
            break;
        }
        k += 1;
    }
    // drop trailing function words
    while k > from
        && matches!(
            toks[k - 1].lower().as_str(),
            "of" | "the" | "for" | "a" | "an"
        )
    {
        k -= 1;
    }
    (k > from).then_some((from, k))
}

/// "says Cambridge cartoonist Andre Campbell": a lower-case word between capitalised words of
/// an inverted subject is a title, not the subject's end.
fn title_between(toks: &[Token], k: usize, from: usize, quoted: &[bool]) -> bool {
    let t = &toks[k];
    // at the phrase's start, only before a full name: "by host John Dickerson"
    let placed = if k == from {
        toks.get(k + 2)
            .is_some_and(|n| n.is_capitalized() && !quoted[k + 2])
    } else {
        toks[k - 1].is_capitalized()
    };
    placed
        && t.is_word()
        && t.text.chars().all(char::is_lowercase)
        && toks
            .get(k + 1)
            .is_some_and(|n| n.is_word() && n.is_capitalized() && !quoted[k + 1])
        && !PREPOSITIONS.contains(t.text)
        && !DETERMINERS_OPENING.contains(t.text)
        && !BRIDGE_WORDS.contains(t.text)
        && !CUE_VERBS.contains(t.text)
        && !NOT_NAMES.contains(t.text)
        && !matches!(
            t.text,
            "and" | "or" | "but" | "who" | "which" | "that" | "as" | "while" | "when" | "if"
        )
}

/// "says Campbell’s partner, Jason Louth": the name in apposition after an inverted subject
/// that ends on a title (or a possessive and the title after it). Returns the end of the title
/// and the end of the name.
fn appositive_name_right(
    toks: &[Token],
    range: (usize, usize),
    quoted: &[bool],
) -> Option<(usize, usize)> {
    let (a, mut b) = range;
    let possessive = |t: &Token| t.text.ends_with("'s") || t.text.ends_with("’s");
    if possessive(&toks[b - 1])
        && toks
            .get(b)
            .is_some_and(|t| t.is_word() && !t.is_capitalized() && !quoted[b])
    {
        b += 1;
    }
    let titled = toks[b - 1].is_word() && !toks[b - 1].is_capitalized() && b - a >= 2;
    if !titled || toks.get(b)?.text != "," {
        return None;
    }
    let mut e = b + 1;
    while e < toks.len() && !quoted[e] && toks[e].is_word() && toks[e].is_capitalized() {
        e += 1;
    }
    let ends = toks
        .get(e)
        .is_none_or(|t| matches!(t.text, "." | "," | ";" | "!" | "?"));
    (e - (b + 1) >= 2 && ends).then_some((b, e))
}

/// An appositive before a cue: "Hugh Hill, a doctor, said" → (name range, role range).
fn appositive_left(
    toks: &[Token],
    cue: usize,
    quoted: &[bool],
) -> Option<((usize, usize), (usize, usize))> {
    if cue < 4 || toks[cue - 1].text != "," {
        return None;
    }
    let close = cue - 1;
    let mut k = close;
    while k > 0 && toks[k - 1].text != "," && close - k < 8 {
        k -= 1;
    }
    if k == 0
        || toks[k - 1].text != ","
        || !matches!(
            toks.get(k).map(|t| t.lower()).as_deref(),
            Some("a" | "an" | "the")
        )
    {
        return None;
    }
    let role = (k + 1, close);
    let (ns, ne) = subject_left(toks, k - 1, quoted)?;
    toks[ns..ne]
        .iter()
        .any(|t| t.is_capitalized())
        .then_some(((ns, ne), role))
}

/// Extracts every attributed statement from an article.
///
/// ```
/// let text = "\"We must take many small steps,\" Kremlin spokesperson Dmitry Peskov said. He added that trust takes time.";
/// let s = stancer::text::sentences(text);
/// let ex = stancer::quotes::extract(text, &s);
/// assert_eq!(ex.quotes.len(), 2);
/// assert_eq!(&text[ex.quotes[0].content.start..ex.quotes[0].content.end], "We must take many small steps");
/// let peskov = ex.quotes[1].speaker.unwrap();
/// assert_eq!(ex.speakers[peskov].name, "Dmitry Peskov");
/// assert_eq!(ex.quotes[0].speaker, Some(peskov));
/// ```
/// For each token of `toks`, whether it lies inside quotation marks (or is one of them).
fn quoted_flags(marked: &[Marked], sent: Span, toks: &[Token]) -> Vec<bool> {
    // Only the quotes overlapping this sentence (marked spans are ordered and disjoint):
    // testing every quote of a long text for every token would be quadratic.
    let lo = marked.partition_point(|m| m.outer.end <= sent.start);
    let hi = lo + marked[lo..].partition_point(|m| m.outer.start < sent.end);
    let near = &marked[lo..hi];
    toks.iter()
        .map(|t| {
            near.iter().any(|m| {
                m.inner.contains(t.span)
                    || (m.outer.contains(t.span)
                        && is_quote_mark(t.text.chars().next().unwrap_or(' ')))
            })
        })
        .collect()
}

/// Each sentence's tokens with their inside-quotation-marks flags: the tagger's input, exposed
/// for its trainer (`examples/train_quote_tagger.rs`).
pub fn tagger_inputs<'a>(
    text: &'a str,
    sentences: &[Sentence],
) -> Vec<(Vec<Token<'a>>, Vec<bool>)> {
    let marked = find_marked(text);
    sentences
        .iter()
        .map(|s| {
            let toks = tokens(text, s.span);
            let quoted = quoted_flags(&marked, s.span, &toks);
            (toks, quoted)
        })
        .collect()
}

/// How quotes are found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ExtractOptions {
    /// Add the learned tagger's attributions to the rules' (default). Off, only speech with a
    /// reporting cue is found; on, also what PolNeAR counts as attribution: stances reported as
    /// actions ("Republicans criticized the decision") and noun-phrase contents.
    pub learned: bool,
}

impl Default for ExtractOptions {
    fn default() -> Self {
        ExtractOptions { learned: true }
    }
}

/// Finds every attributed quote of an article (rules first, then the learned tagger for what
/// they missed) and resolves its speaker, with the default options.
pub fn extract(text: &str, sentences: &[Sentence]) -> Extraction {
    extract_with(text, sentences, ExtractOptions::default())
}

/// [`extract`] with explicit options.
pub fn extract_with(text: &str, sentences: &[Sentence], options: ExtractOptions) -> Extraction {
    let entities = crate::entities::find(text, sentences);
    extract_in(text, sentences, &entities, options)
}

/// [`extract_with`] on the article's entities (`entities::find`), already found: what a name is
/// (a person, a place, an institution) decides whether "he" or "she" can refer to it.
pub fn extract_in(
    text: &str,
    sentences: &[Sentence],
    entities: &[crate::entities::Entity],
    options: ExtractOptions,
) -> Extraction {
    let mut passes = passes::Passes::new(text, sentences, entities);
    passes.sentences(options);
    passes.headline_quotes();
    passes.continuations();
    passes.finish()
}

/// The speaker a tagged source span names: a relative pronoun ("…, who said") stands for the
/// phrase before it; an unnamed group ("some families", "reporters") speaks as a group.
fn source_speaker(
    toks: &[Token],
    quoted: &[bool],
    start: usize,
    end: usize,
    reg: &mut Registry,
) -> Option<(usize, Span)> {
    if in_a_phrase(toks, start) {
        return None;
    }
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
    // The mention stays the pronoun, as for "he said"; the speaker is its antecedent.
    let mention = token_span(toks, start, end);
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
    let (phrase, at) = source_phrase(toks, start, end, None).or_else(|| {
        let (s, e, role) = source_core(toks, start, end)?;
        source_phrase(toks, s, e, role)
    })?;
    reg.resolve(&phrase, at, true).map(|id| (id, mention))
}

/// The speaker phrase of a tagged source's tokens `[start, end)`, and the span it names.
fn source_phrase(
    toks: &[Token],
    start: usize,
    end: usize,
    role: Option<String>,
) -> Option<(Phrase, Span)> {
    let mut end = end;
    let mut role = role;
    // "Tanya Sanerib, a senior lawyer with the Center for Biological Diversity": the name is
    // before the comma, the appositive its role (its last capitals are not the name).
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
                    .is_some_and(|t| matches!(t.lower().as_str(), "a" | "an" | "the"))
        });
    if let Some(c) = appositive {
        role = Some(join(&toks[c + 2..end]));
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
fn group_source(phrase: &[Token], initial: bool) -> Option<Phrase> {
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
    })
}

/// A tagged source the speaker parser could not read, cut to its core: "Jeff Weaver, Sanders’
/// campaign manager," → "Jeff Weaver" (role "Sanders’ campaign manager"); "RNC spokesman Sean
/// Spicer on Thursday" → "RNC spokesman Sean Spicer"; "People briefed on the situation" →
/// "People"; "Sen. Mitch McConnell (R-Ky.)" → "Sen. Mitch McConnell". `None` when nothing is cut.
fn source_core(toks: &[Token], start: usize, end: usize) -> Option<(usize, usize, Option<String>)> {
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
fn phrase_end(toks: &[Token], from: usize, to: usize) -> usize {
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
fn name_beside_role(
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

/// "Ted Cruz, who says he is honored …": the relative pronoun between the name ending at `end`
/// and the cue is the cue's subject, a mention of the speaker in its own right.
fn relative_subject(toks: &[Token], end: usize, cue: usize) -> Option<Span> {
    let who = end + 1;
    (toks.get(end)?.text == ","
        && toks.get(who)?.lower() == "who"
        && who < cue
        && toks[who + 1..cue]
            .iter()
            .all(|t| BRIDGE_WORDS.contains_lower(t.text)))
    .then(|| toks[who].span)
}

/// Shortest content, in words, the tagger may report: single words are mostly pronouns and
/// bare nouns ("it", "comments") that carry nothing to score.
const TAGGED_MIN_WORDS: usize = 2;

/// How many of the latest quotes can overlap a new tagged span (a sentence holds far fewer).
const RECENT_QUOTES: usize = 64;

/// Quotes the learned tagger finds in one sentence: each content span whose source (in the
/// sentence, or the speaker of a quote just before) resolves to a speaker.
#[allow(clippy::too_many_arguments)]
fn tagged_quotes(
    text: &str,
    sentences: &[Sentence],
    toks: &[Token],
    quoted: &[bool],
    si: usize,
    marked: &mut [Marked],
    reg: &mut Registry,
    quotes: &mut Vec<Quote>,
) {
    use tagger::{spans, SpanKind, Tagger};
    // Headlines in title case ("Mueller Disputes BuzzFeed Report That Trump Told …") read to
    // the tagger as a source and a content: leave them to the rules' headline pattern.
    if title_cased(toks) {
        return;
    }
    let found = spans(&Tagger::shipped().tag(toks, quoted));
    // Nearest span of a kind to `c`, outside it (a source nested in the content is the
    // content's own attribution, not its speaker).
    let nearest = |kind: SpanKind, c: &tagger::Tagged| {
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
    };
    for c in found.iter().filter(|t| t.kind == SpanKind::Content) {
        let content = token_span(toks, c.start, c.end).trim(text);
        // Quotes are in sentence order here, so only the last few can reach this sentence:
        // scanning them all made a 4.7 MB one-line article quadratic.
        if words_in(text, content) < TAGGED_MIN_WORDS
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
        let cue_span = nearest(SpanKind::Cue, c);
        let src = match cue_span {
            Some(k) => {
                nearest(SpanKind::Source, &k).filter(|s| s.end <= c.start || s.start >= c.end)
            }
            None => nearest(SpanKind::Source, c),
        };
        // A content that runs straight on from its source with a preposition or modifier is
        // the rest of the source's noun phrase ("according to people | with knowledge of …").
        let continues_source = |s: tagger::Tagged| {
            s.end == c.start && SOURCE_CONTINUATIONS.contains_lower(toks[c.start].text)
        };
        if src.is_some_and(continues_source) {
            continue;
        }
        let resolved = match src {
            Some(src) => source_speaker(toks, quoted, src.start, src.end, reg),
            // No source in the sentence: the speaker of a quote in this sentence or the one
            // before, in the same paragraph, goes on speaking (wider windows cost more speaker
            // accuracy than they gained recall on the held-out tenth of PolNeAR train).
            None => quotes
                .iter()
                .rev()
                .take_while(|q| q.sentence + 1 >= si)
                .find(|q| sentences[q.sentence].paragraph == sentences[si].paragraph)
                .and_then(|q| Some((q.speaker?, q.speaker_mention?))),
        };
        let Some((speaker, mention)) = resolved else {
            continue;
        };
        // "did not say whether …", "declined to comment on …": nothing was said.
        if cue_span.is_some_and(|k| {
            (k.start..k.end)
                .any(|t| withheld(toks, t) || is_negation(&toks[t].lower()) || connective(toks, t))
        }) {
            continue;
        }
        // "Sanders was asked by host John Dickerson": the tagger's source of a passive cue is
        // who was spoken to; the rules take the agent.
        if cue_span.is_some_and(|k| passes::is_passive(toks, k.end - 1)) {
            continue;
        }
        // "raised his hand", "shook his head": a gesture, not a statement.
        if toks[c.start..c.end]
            .last()
            .is_some_and(|t| GESTURES.contains_lower(t.text))
            && words_in(text, content) < 4
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
            sentence: si,
            found_by: FoundBy::Tagger,
        });
    }
}

/// Seven words in ten capitalised: a headline in title case, whatever its last character.
fn title_cased(toks: &[Token]) -> bool {
    let words = toks.iter().filter(|t| t.is_word()).count();
    let capitalised = toks
        .iter()
        .filter(|t| t.is_word() && t.is_capitalized())
        .count();
    words >= 4 && capitalised * 10 >= words * 7
}

/// Trims whitespace and a trailing comma inside quotation marks ("…relations," → "…relations").
fn trim_content(text: &str, span: Span) -> Span {
    let s = span.slice(text);
    let lead = s.len() - s.trim_start().len();
    let t = s.trim_end().trim_end_matches([',', ';', ':']).trim_end();
    Span::new(span.start + lead, span.start + t.len().max(lead))
}

/// "X, <a parenthetical of any length>, said": the subject before the first comma,
/// when it opens the sentence.
fn parenthetical_subject(toks: &[Token], cue: usize, quoted: &[bool]) -> Option<(usize, usize)> {
    let mut j = cue;
    while j > 0 && BRIDGE_WORDS.contains_lower(toks[j - 1].text) {
        j -= 1;
    }
    if j < 3 || toks[j - 1].text != "," || quoted[j - 1] {
        return None;
    }
    let lo = j.saturating_sub(45);
    (lo..j - 1)
        .filter(|&c| toks[c].text == "," && !quoted[c])
        .find_map(|c| {
            let (s, e) = subject_left(toks, c, quoted)?;
            let named = toks[s..e]
                .iter()
                .any(|t| t.is_capitalized() || matches!(t.lower().as_str(), "he" | "she" | "they"));
            (s <= 2 && named).then_some((s, e))
        })
}

/// True when the cue is joined to an earlier verb: "… and said", "… and also told".
fn coordinated(toks: &[Token], cue: usize) -> bool {
    let mut j = cue;
    while j > 0 && BRIDGE_WORDS.contains_lower(toks[j - 1].text) {
        j -= 1;
    }
    j > 0 && matches!(toks[j - 1].lower().as_str(), "and" | "but")
}

/// Skips complement words after a cue ("told reporters in an interview on Tuesday"). Returns the next token index.
fn skip_complement(toks: &[Token], from: usize, quoted: &[bool]) -> Option<usize> {
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
fn cue_near_end(toks: &[Token], from: usize, quoted: &[bool]) -> bool {
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
fn clause_end(toks: &[Token], from: usize, quoted: &[bool]) -> usize {
    for k in from..toks.len() {
        if !quoted[k] && toks[k].text == "," {
            let n = toks.get(k + 1).map(|t| t.lower()).unwrap_or_default();
            if CUE_VERBS.contains(&n.as_str()) && n.ends_with("ing") {
                return k;
            }
            if n == "according" && toks.get(k + 2).is_some_and(|t| t.lower() == "to") {
                return k;
            }
        }
    }
    let mut end = toks.len();
    while end > from + 1 && !toks[end - 1].is_word() && !quoted[end - 1] {
        end -= 1;
    }
    end
}

/// "And in an interview on MSNBC, he pointed …": the words before the comma at `comma` open with
/// a preposition (after a connective), so they are an introductory phrase, not the subject.
fn introductory_phrase(toks: &[Token], comma: usize) -> bool {
    toks[..comma]
        .iter()
        .find(|t| !matches!(t.lower().as_str(), "and" | "but" | "so" | "yet" | "then"))
        .is_some_and(|t| PREPOSITIONS.contains_lower(t.text))
}

/// The first lowercase word after a sentence's initial noun phrase, as a stand-in for its main
/// verb; the noun phrase may follow an introductory phrase and its comma.
fn first_verbish(toks: &[Token], quoted: &[bool]) -> Option<usize> {
    let start = toks
        .iter()
        .position(|t| t.text == ",")
        .filter(|&c| c < 5 || introductory_phrase(toks, c))
        .map(|c| c + 1)
        .unwrap_or(0);
    (start..toks.len()).find(|&k| {
        !quoted[k]
            && toks[k].is_word()
            && !toks[k].is_capitalized()
            && !ROLE_WORDS.contains_lower(toks[k].text)
            && !matches!(
                toks[k].lower().as_str(),
                "the" | "a" | "an" | "of" | "he" | "she" | "they" | "it" | "i" | "we"
            )
    })
}

#[cfg(test)]
mod tests;
