//! Text geometry: spans, sentences, words, and the byte → char offset map.
//!
//! Internally every stage works on byte offsets into the article text (what
//! `str` slicing, regex and Aho-Corasick speak); the report converts them to
//! Unicode scalar offsets once, through [`CharMap`].

use serde::{Deserialize, Serialize};

/// A half-open byte range `[start, end)` into the article text.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, Default,
)]
pub struct Span {
    /// Start (inclusive).
    pub start: usize,
    /// End (exclusive).
    pub end: usize,
}

impl Span {
    /// A span from start to end.
    pub fn new(start: usize, end: usize) -> Self {
        Span { start, end }
    }
    /// Length in bytes.
    pub fn len(&self) -> usize {
        self.end.saturating_sub(self.start)
    }
    /// True for a zero-length span.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
    /// True when `other` lies inside this span.
    pub fn contains(&self, other: Span) -> bool {
        self.start <= other.start && other.end <= self.end
    }
    /// True when the spans share at least one byte.
    pub fn overlaps(&self, other: Span) -> bool {
        self.start < other.end && other.start < self.end
    }
    /// True when the span shares a byte with one of `sorted` (spans in text order): a binary
    /// search, since a scan per span made a 4.7 MB article with thousands of quotes quadratic.
    pub fn overlaps_any(&self, sorted: &[Span]) -> bool {
        let i = sorted.partition_point(|o| o.end <= self.start);
        sorted[i..]
            .iter()
            .take_while(|o| o.start < self.end)
            .any(|o| o.overlaps(*self))
    }
    /// Bytes the spans share.
    pub fn overlap_len(&self, other: Span) -> usize {
        self.end
            .min(other.end)
            .saturating_sub(self.start.max(other.start))
    }
    /// The text under the span; empty if the span is inverted or off the text's char boundaries.
    pub fn slice<'a>(&self, text: &'a str) -> &'a str {
        text.get(self.start..self.end).unwrap_or("")
    }
    /// Shrinks the span past surrounding whitespace, quote marks and trailing punctuation.
    pub fn trim(self, text: &str) -> Span {
        let s = self.slice(text);
        let is_edge = |c: char| c.is_whitespace() || is_quote_mark(c);
        let lead = s.len() - s.trim_start_matches(is_edge).len();
        let t = s.trim_end_matches(|c: char| {
            is_edge(c) || matches!(c, '.' | ',' | ';' | ':' | '!' | '?')
        });
        // keep a closing '?' or '!' that belongs to a question/exclamation inside quotes
        let end = self.start + t.len();
        Span::new((self.start + lead).min(end), end)
    }
}

/// Quotation marks stancer knows: straight, curly, low-high, guillemets, primes used as quotes.
pub fn is_quote_mark(c: char) -> bool {
    matches!(
        c,
        '"' | '“' | '”' | '„' | '‟' | '«' | '»' | '‹' | '›' | '‘' | '’' | '\'' | '「' | '」'
    )
}

/// Maps byte offsets in a text to Unicode scalar (char) offsets.
pub struct CharMap {
    /// char offset at each char boundary byte; sparse for ASCII-only texts.
    ascii: bool,
    starts: Vec<usize>,
}

impl CharMap {
    /// A span from start to end.
    pub fn new(text: &str) -> Self {
        if text.is_ascii() {
            return CharMap {
                ascii: true,
                starts: Vec::new(),
            };
        }
        let starts = text.char_indices().map(|(b, _)| b).collect();
        CharMap {
            ascii: false,
            starts,
        }
    }
    /// The char offset of a byte offset that lies on a char boundary (or the end).
    pub fn char_at(&self, byte: usize) -> usize {
        if self.ascii {
            return byte;
        }
        match self.starts.binary_search(&byte) {
            Ok(i) | Err(i) => i,
        }
    }
}

/// One sentence, with the paragraph it belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Sentence {
    /// Where it is (bytes).
    pub span: Span,
    /// Paragraph number, from 0.
    pub paragraph: usize,
}

const ABBREVIATIONS: &[&str] = &[
    "mr", "mrs", "ms", "dr", "prof", "sen", "rep", "gov", "gen", "lt", "col", "maj", "capt", "sgt",
    "cmdr", "adm", "st", "jr", "sr", "rev", "pres", "vs", "v", "no", "inc", "corp", "co", "ltd",
    "dept", "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec",
    "mt", "ft", "approx", "est", "fig", "u.s", "u.n", "u.k", "e.u", "d.c", "a.m", "p.m", "e.g",
    "i.e", "etc", "al",
];

/// Splits a text into paragraphs (blank-or-single newline separated) and sentences.
///
/// Sentence ends are `.`, `!`, `?` (and `…`) followed by optional closing quotes or brackets,
/// whitespace, and something that can start a sentence. Abbreviations and initials do not end one.
///
/// ```
/// let text = "U.S. officials met Mr. Lavrov. \"It went well,\" he said.\nNew paragraph.";
/// let s = stancer::text::sentences(text);
/// let parts: Vec<&str> = s.iter().map(|s| &text[s.span.start..s.span.end]).collect();
/// assert_eq!(parts, ["U.S. officials met Mr. Lavrov.", "\"It went well,\" he said.", "New paragraph."]);
/// assert_eq!(s[2].paragraph, 1);
/// ```
pub fn sentences(text: &str) -> Vec<Sentence> {
    let mut out = Vec::new();
    let mut para = 0;
    let mut offset = 0;
    for line in text.split_inclusive('\n') {
        let body = line.trim_end_matches(['\n', '\r']);
        if !body.trim().is_empty() {
            for span in split_paragraph(body)
                .into_iter()
                .flat_map(|s| capped(body, s))
            {
                out.push(Sentence {
                    span: Span::new(offset + span.start, offset + span.end),
                    paragraph: para,
                });
            }
            para += 1;
        }
        offset += line.len();
    }
    out
}

/// Longest sentence, in bytes, the later stages see. Real ones are far shorter (none of the
/// PolNeAR, BASIL or SEESAW articles reaches it: `scripts/diff-extract` identical with and
/// without the cap); a text without sentence ends (1 MB of words) made the quote passes, which
/// look across a sentence from each cue, take 2.9 s per MB and four times as long per doubling.
pub const MAX_SENTENCE_BYTES: usize = 4_000;

/// `span` of `text` cut at spaces into pieces of at most [`MAX_SENTENCE_BYTES`] (at a char
/// boundary when a piece has no space at all).
fn capped(text: &str, span: Span) -> Vec<Span> {
    let mut out = Vec::new();
    let mut start = span.start;
    while span.end - start > MAX_SENTENCE_BYTES {
        let mut cut = start + MAX_SENTENCE_BYTES;
        while !text.is_char_boundary(cut) {
            cut -= 1;
        }
        let cut = text[start..cut].rfind(' ').map_or(cut, |p| start + p + 1);
        out.push(Span::new(start, cut));
        start = cut;
    }
    out.push(Span::new(start, span.end));
    out
}

/// Whether `text[start..end]` is a whole word or phrase: no letter or digit touches it.
pub fn is_whole_word(text: &str, start: usize, end: usize) -> bool {
    let before = text[..start].chars().next_back();
    let after = text[end..].chars().next();
    before.is_none_or(|c| !c.is_alphanumeric()) && after.is_none_or(|c| !c.is_alphanumeric())
}

/// The headline when it is written in title case ("Santorum Defends Comments on Obama and
/// Education"): every longer word capitalised, so capitals say nothing about names there.
pub fn title_case_headline(text: &str, sentences: &[Sentence]) -> Option<Span> {
    let h = headline(text, sentences)?;
    let long: Vec<&str> = h
        .slice(text)
        .split_whitespace()
        .filter(|w| w.chars().filter(|c| c.is_alphabetic()).count() >= 4)
        .collect();
    let caps = long
        .iter()
        .filter(|w| {
            w.chars()
                .find(|c| c.is_alphabetic())
                .is_some_and(char::is_uppercase)
        })
        .count();
    (long.len() >= 2 && caps * 5 >= long.len() * 4).then_some(h)
}

/// Longest headline, in words; a longer first paragraph is the story's lede.
const HEADLINE_MAX_WORDS: usize = 25;

/// The article's headline: a first paragraph of one short line that does not end like a
/// sentence ("Michael Steele Criticized for Afghanistan Comments"), followed by more text. JSON
/// and HTML inputs put their title there; a plain-text article whose first line reads as a
/// sentence has none.
///
/// ```
/// let text = "Steele Criticized for Afghanistan Comments\n\nWASHINGTON — Michael Steele drew fire.";
/// let s = stancer::text::sentences(text);
/// let h = stancer::text::headline(text, &s).unwrap();
/// assert_eq!(h.slice(text), "Steele Criticized for Afghanistan Comments");
/// assert!(stancer::text::headline("He left.\n\nThen he came back.", &stancer::text::sentences("He left.\n\nThen he came back.")).is_none());
/// ```
pub fn headline(text: &str, sentences: &[Sentence]) -> Option<Span> {
    let first = sentences.first()?;
    let more = sentences.get(1)?;
    if first.paragraph != 0 || more.paragraph == 0 {
        return None;
    }
    let line = first.span.slice(text);
    let last = line
        .trim_end_matches(|c: char| is_quote_mark(c) || c.is_whitespace())
        .chars()
        .next_back()?;
    let words = line.split_whitespace().count();
    (last != '.' && words <= HEADLINE_MAX_WORDS && !line.contains('\n')).then_some(first.span)
}

fn split_paragraph(p: &str) -> Vec<Span> {
    let bytes = p.as_bytes();
    let mut spans = Vec::new();
    let mut start = p.len() - p.trim_start().len();
    let mut iter = p.char_indices().peekable();
    while let Some((i, c)) = iter.next() {
        if !matches!(c, '.' | '!' | '?' | '…') {
            continue;
        }
        // swallow repeated terminators and closing quotes/brackets
        let mut end = i + c.len_utf8();
        while let Some(&(j, d)) = iter.peek() {
            if matches!(
                d,
                '.' | '!' | '?' | '”' | '’' | '"' | '\'' | ')' | ']' | '»'
            ) {
                end = j + d.len_utf8();
                iter.next();
            } else {
                break;
            }
        }
        let rest = &p[end..];
        let ws = rest.len() - rest.trim_start().len();
        if ws == 0 || rest.trim().is_empty() {
            continue;
        }
        let next = rest.trim_start().chars().next().unwrap_or(' ');
        if !(next.is_uppercase()
            || next.is_ascii_digit()
            || is_quote_mark(next)
            || next == '('
            || next == '—')
        {
            continue;
        }
        if c == '.' && end == i + 1 && is_abbreviation(&p[start..i]) {
            continue;
        }
        let _ = bytes;
        spans.push(Span::new(start, end));
        start = end + ws;
    }
    let tail = p[start..].trim_end();
    if !tail.is_empty() {
        spans.push(Span::new(start, start + tail.len()));
    }
    spans
}

fn is_abbreviation(before: &str) -> bool {
    let word = before
        .rsplit(|c: char| c.is_whitespace() || c == '(' || is_quote_mark(c))
        .next()
        .unwrap_or("");
    let w = word.to_lowercase();
    if w.chars().count() == 1 && w.chars().all(|c| c.is_alphabetic()) {
        return word.chars().all(|c| c.is_uppercase()); // an initial: "J. Smith"
    }
    ABBREVIATIONS.contains(&w.as_str())
}

/// A word or punctuation token with its byte span.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Token<'a> {
    /// The token text.
    pub text: &'a str,
    /// Where it is (bytes).
    pub span: Span,
}

impl<'a> Token<'a> {
    /// Starts with a letter or digit.
    pub fn is_word(&self) -> bool {
        self.text
            .chars()
            .next()
            .is_some_and(|c| c.is_alphanumeric())
    }
    /// Starts with an upper-case letter.
    pub fn is_capitalized(&self) -> bool {
        self.text.chars().next().is_some_and(|c| c.is_uppercase())
    }
    /// Lower-cased text.
    pub fn lower(&self) -> String {
        self.text.to_lowercase()
    }
}

/// Splits a range of text into words (letters, digits, inner `.`/`'`/`’`/`-`) and single punctuation marks.
pub fn tokens(text: &str, range: Span) -> Vec<Token<'_>> {
    let s = range.slice(text);
    let mut out = Vec::new();
    let mut chars = s.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        if c.is_whitespace() {
            continue;
        }
        if c.is_alphanumeric() {
            let mut end = i + c.len_utf8();
            while let Some(&(j, d)) = chars.peek() {
                let joins = matches!(d, '.' | '\'' | '’' | '-' | '&')
                    && s[j + d.len_utf8()..]
                        .chars()
                        .next()
                        .is_some_and(|n| n.is_alphanumeric());
                if d.is_alphanumeric() || joins {
                    end = j + d.len_utf8();
                    chars.next();
                    if joins {
                        let (k, n) = chars.next().unwrap();
                        end = k + n.len_utf8();
                    }
                } else if d == '.'
                    && (is_dotted_abbrev(&s[i..j]) || is_initial(&s[i..j], &s[j + 1..]))
                {
                    // U.S. / U.N. keep their final dot
                    end = j + 1;
                    chars.next();
                    break;
                } else {
                    break;
                }
            }
            out.push(Token {
                text: &s[i..end],
                span: Span::new(range.start + i, range.start + end),
            });
        } else {
            let end = i + c.len_utf8();
            out.push(Token {
                text: &s[i..end],
                span: Span::new(range.start + i, range.start + end),
            });
        }
    }
    out
}

/// "Thomas M. Davis", "Eric H. Holder": one capital letter whose dot is followed by another
/// capitalised word keeps the dot, as CoNLL-2003 (the name tagger's training text) writes it.
fn is_initial(w: &str, after_dot: &str) -> bool {
    let mut rest = after_dot.chars();
    w.len() == 1
        && w.chars().all(|c| c.is_ascii_uppercase())
        && rest.next() == Some(' ')
        && rest.next().is_some_and(char::is_uppercase)
}

fn is_dotted_abbrev(w: &str) -> bool {
    // "U.S", "U.N", "D.C", "Mr", "Dr": a following dot belongs to the word
    (w.len() >= 3 && w.contains('.') && w.chars().all(|c| c.is_alphabetic() || c == '.'))
        || matches!(
            w,
            "Mr" | "Mrs"
                | "Ms"
                | "Dr"
                | "Sen"
                | "Rep"
                | "Gov"
                | "Gen"
                | "Lt"
                | "Col"
                | "St"
                | "Jr"
                | "Sr"
                | "Prof"
                | "Rev"
        )
}

/// Seven words in ten capitalised: a headline in title case, whatever its last character.
pub fn title_cased(toks: &[Token]) -> bool {
    let words = toks.iter().filter(|t| t.is_word()).count();
    let capitalised = toks
        .iter()
        .filter(|t| t.is_word() && t.is_capitalized())
        .count();
    words >= 4 && capitalised * 10 >= words * 7
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sentences_respect_abbreviations_and_quotes() {
        let t = "Gen. John Allen met Sen. Graham in Washington, D.C. on Tuesday. \"We agreed.\" Then they left!";
        let s: Vec<&str> = sentences(t).iter().map(|s| s.span.slice(t)).collect();
        assert_eq!(
            s,
            [
                "Gen. John Allen met Sen. Graham in Washington, D.C. on Tuesday.",
                "\"We agreed.\"",
                "Then they left!"
            ]
        );
    }

    #[test]
    fn tokens_keep_us_and_possessives() {
        let t = "The U.S.-Russia talks, Russia's view.";
        let toks: Vec<&str> = tokens(t, Span::new(0, t.len()))
            .iter()
            .map(|t| t.text)
            .collect();
        // "U.S.-Russia" splits at the hyphen so both parties are found.
        assert_eq!(
            toks,
            ["The", "U.S.", "-", "Russia", "talks", ",", "Russia's", "view", "."]
        );
    }

    #[test]
    fn char_map_counts_scalars() {
        let t = "“Ab” c";
        let m = CharMap::new(t);
        assert_eq!(m.char_at(t.find('c').unwrap()), 5);
    }
}
