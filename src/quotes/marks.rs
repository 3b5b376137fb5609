//! Quotation marks: pairing them across the article, which tokens sit inside them, and what a
//! content span is given the marks it covers (direct, mixed or indirect).

use super::QuoteKind;
use crate::text::{is_quote_mark, Span, Token};

/// A direct quote found by pairing quotation marks.
#[derive(Debug, Clone, Copy)]
pub(super) struct Marked {
    /// From the opening mark to just after the closing mark.
    pub(super) outer: Span,
    /// Between the marks.
    pub(super) inner: Span,
    pub(super) used: bool,
}

/// The marked quotes whose outer span overlaps `span` (they are sorted and disjoint): lookups
/// stay local, so a long article with thousands of quotes is not scanned once per quote.
pub(super) fn near(marked: &mut [Marked], span: Span) -> &mut [Marked] {
    let lo = marked.partition_point(|m| m.outer.end <= span.start);
    let hi = lo + marked[lo..].partition_point(|m| m.outer.start < span.end);
    &mut marked[lo..hi]
}

/// The unused marked quote that opens at byte `at`.
pub(super) fn opening_at(marked: &mut [Marked], at: usize) -> Option<&mut Marked> {
    near(marked, Span::new(at, at + 1))
        .iter_mut()
        .find(|m| !m.used && m.outer.start == at)
}

/// What a content span is, given the quotation marks in it: one whole quote is direct (and
/// its content is the text inside the marks), quoted fragments make it mixed. The marks it
/// covers are used up.
pub(super) fn classify(text: &str, marked: &mut [Marked], content: Span) -> (QuoteKind, Span) {
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

pub(super) fn closes(open: char, c: char) -> bool {
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

pub(super) fn is_opening(c: char) -> bool {
    matches!(c, '“' | '„' | '«' | '"' | '‘' | '\'' | '「' | '‹')
}

/// Pairs quotation marks across the whole text. A quote left open at a paragraph end
/// continues when the next paragraph opens with a quotation mark (newspaper style for
/// multi-paragraph quotes); otherwise it ends with its paragraph.
pub(super) fn find_marked(text: &str) -> Vec<Marked> {
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

/// For each token of `toks`, whether it lies inside quotation marks (or is one of them).
pub(super) fn quoted_flags(marked: &[Marked], sent: Span, toks: &[Token]) -> Vec<bool> {
    // Only the quotes overlapping this sentence (marked spans are ordered and disjoint):
    // testing every quote of a long text for every token would be quadratic.
    let lo = marked.partition_point(|m| m.outer.end <= sent.start);
    let hi = lo + marked[lo..].partition_point(|m| m.outer.start < sent.end);
    let near = &marked[lo..hi];
    // Tokens are in order too, so one sweep finds the only quote that can hold each token (the
    // first whose outer span ends after the token starts): testing every quote of the sentence
    // for every token grew fourfold per doubling on a text of quotation marks alone.
    let mut j = 0;
    toks.iter()
        .map(|t| {
            while near.get(j).is_some_and(|m| m.outer.end <= t.span.start) {
                j += 1;
            }
            near.get(j).is_some_and(|m| {
                m.inner.contains(t.span)
                    || (m.outer.contains(t.span)
                        && is_quote_mark(t.text.chars().next().unwrap_or(' ')))
            })
        })
        .collect()
}

pub(super) fn words_in(text: &str, span: Span) -> usize {
    span.slice(text)
        .split_whitespace()
        .filter(|w| w.chars().any(|c| c.is_alphanumeric()))
        .count()
}

/// "speaking Sunday on “Fox & Friends,” alleged …": a quoted span of at most five words, each
/// capitalised or a small word, right after a preposition is a title (a show, a book, a slogan's
/// name), not speech; the learned tagger had taken it for Gallagher's words (SEESAW valid).
pub(super) fn quoted_title(text: &str, content: Span) -> bool {
    let words: Vec<&str> = content
        .slice(text)
        .split_whitespace()
        .map(|w| w.trim_matches(|c: char| !c.is_alphanumeric() && c != '&'))
        .filter(|w| !w.is_empty())
        .collect();
    let opened = text[..content.start].trim_end().ends_with(is_quote_mark)
        || content.slice(text).starts_with(is_quote_mark);
    let before =
        text[..content.start].trim_end_matches(|c: char| c.is_whitespace() || is_quote_mark(c));
    let preposition = before
        .rsplit(|c: char| c.is_whitespace())
        .next()
        .is_some_and(|w| crate::lexicon::ALL_PREPOSITIONS.contains_lower(w));
    opened
        && preposition
        && (1..=5).contains(&words.len())
        && words.iter().all(|w| {
            w.chars().next().is_some_and(char::is_uppercase)
                || matches!(*w, "&" | "and" | "the" | "of" | "on" | "in" | "a")
        })
}

/// Trims whitespace and a trailing comma inside quotation marks ("…relations," → "…relations").
pub(super) fn trim_content(text: &str, span: Span) -> Span {
    let s = span.slice(text);
    let lead = s.len() - s.trim_start().len();
    let t = s.trim_end().trim_end_matches([',', ';', ':']).trim_end();
    Span::new(span.start + lead, span.start + t.len().max(lead))
}
