//! A learned attribution tagger: labels each token of a sentence as part of a source, a cue or
//! a content span (BIO), for the attributions the rules miss.
//!
//! Why a linear model and not the transformer: extraction must stay far faster than scoring
//! (over 1 MB of text per second on one core), and a hashed-feature averaged perceptron with
//! Viterbi decoding tags a sentence in microseconds. It is trained on PolNeAR train by
//! `scripts/train-quote-tagger` and ships as `models/quote-tagger/weights.bin` (f16 weights,
//! compiled into the library so extraction needs no files at run time).

use once_cell::sync::Lazy;

use crate::lexicon::{Words, CUE_VERBS, ROLE_WORDS, SOURCE_NOUNS};
use crate::tagging::hash::{bytes as fnv, mix, FNV};
use crate::tagging::Model;
use crate::text::{is_quote_mark, Token};

/// Token labels, in weight order.
pub const LABELS: [&str; 7] = ["O", "B-SRC", "I-SRC", "B-CUE", "I-CUE", "B-CON", "I-CON"];
const MAGIC: &[u8; 8] = b"STQTAG01";

/// The kind of span a label belongs to (`None` for O).
pub fn label_kind(label: u8) -> Option<SpanKind> {
    match label {
        1 | 2 => Some(SpanKind::Source),
        3 | 4 => Some(SpanKind::Cue),
        5 | 6 => Some(SpanKind::Content),
        _ => None,
    }
}

/// What a tagged span is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SpanKind {
    /// Who is speaking.
    Source,
    /// The reporting verb or phrase.
    Cue,
    /// What was said.
    Content,
}

/// A tagged span: token range `[start, end)` within the sentence.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Tagged {
    /// Source, cue or content.
    pub kind: SpanKind,
    /// First token.
    pub start: usize,
    /// One past the last token.
    pub end: usize,
}

/// The attribution tagger: a [`Model`] over [`LABELS`], and the word lists its features read.
pub struct Tagger {
    model: Model,
    vocab: &'static Vocabulary,
}

/// The words the tagger's features read: the words its training data uses as cues (distances
/// to them), and the word classes it was trained with. The classes are the lexicon's lists as
/// they were at training, saved with the weights: the rules' lists grow (military ranks joined
/// `role_words.txt` after the shipped weights were trained), and read live they changed the
/// model's input ("inform" added to `cue_verbs.txt` moved PolNeAR dev F1 by −0.1 through the
/// tagger alone).
pub struct Vocabulary {
    /// Words the training data uses as cues (`cues.txt`).
    pub learned: Words,
    /// Reporting verbs (`cue_verbs.txt`, the lexicon's at training).
    pub verbs: Words,
    /// Heads of common-noun sources (`source_nouns.txt`).
    pub sources: Words,
    /// Roles and titles (`role_words.txt`).
    pub roles: Words,
}

impl Vocabulary {
    /// The lexicon's word classes as they are now, with a learned cue list: what a new model is
    /// trained with (`scripts/train-quote-tagger` saves them beside its weights).
    pub fn with_lexicon(learned: Words) -> Self {
        Vocabulary {
            learned,
            verbs: Words::clone(&CUE_VERBS),
            sources: Words::clone(&SOURCE_NOUNS),
            roles: Words::clone(&ROLE_WORDS),
        }
    }
}

static SHIPPED_VOCAB: Lazy<Vocabulary> = Lazy::new(|| Vocabulary {
    learned: Words::parse(include_str!("../../models/quote-tagger/cues.txt")),
    verbs: Words::parse(include_str!("../../models/quote-tagger/cue_verbs.txt")),
    sources: Words::parse(include_str!("../../models/quote-tagger/source_nouns.txt")),
    roles: Words::parse(include_str!("../../models/quote-tagger/role_words.txt")),
});

static SHIPPED: Lazy<Tagger> = Lazy::new(|| {
    Tagger::from_bytes(
        include_bytes!("../../models/quote-tagger/weights.bin"),
        &SHIPPED_VOCAB,
    )
    .expect("models/quote-tagger/weights.bin is built by scripts/train-quote-tagger")
});

impl Tagger {
    /// The model shipped in `models/quote-tagger/`.
    pub fn shipped() -> &'static Tagger {
        &SHIPPED
    }

    /// Wraps weights a [`crate::tagging::Trainer`] over [`LABELS`] learned with these words.
    pub fn from_model(model: Model, vocab: &'static Vocabulary) -> Self {
        Tagger { model, vocab }
    }

    /// Reads the format `to_bytes` writes; `vocab` is what it was trained with.
    pub fn from_bytes(b: &[u8], vocab: &'static Vocabulary) -> Result<Self, String> {
        Model::from_bytes(b, MAGIC, &LABELS).map(|model| Tagger { model, vocab })
    }

    /// f16 little-endian weights behind a small header.
    pub fn to_bytes(&self) -> Vec<u8> {
        self.model.to_bytes(MAGIC)
    }

    /// The best label sequence (indices into [`LABELS`]) for one sentence's tokens;
    /// `quoted` marks tokens inside quotation marks.
    pub fn tag(&self, toks: &[Token], quoted: &[bool]) -> Vec<u8> {
        self.tag_features(&features(toks, quoted, self.vocab))
    }

    /// Like `tag`, from features already computed by [`features`].
    pub fn tag_features(&self, feats: &[Features]) -> Vec<u8> {
        self.model.tag(feats)
    }
}

/// Tagged spans of a label sequence.
pub fn spans(labels: &[u8]) -> Vec<Tagged> {
    let mut out: Vec<Tagged> = Vec::new();
    for (i, &l) in labels.iter().enumerate() {
        let Some(kind) = label_kind(l) else { continue };
        let begins = matches!(l, 1 | 3 | 5);
        match out.last_mut() {
            Some(t) if !begins && t.kind == kind && t.end == i => t.end = i + 1,
            _ => out.push(Tagged {
                kind,
                start: i,
                end: i + 1,
            }),
        }
    }
    out
}

// ---- features ----

/// How many feature templates each token has.
pub const N_FEATURES: usize = 36;

/// The hashed features of one token (a fixed array: no allocation per token).
pub type Features = [u64; N_FEATURES];

fn shape(t: &str) -> u64 {
    let mut c = t.chars();
    match c.next() {
        None => 0,
        Some(f) if is_quote_mark(f) => 1,
        Some(f) if f.is_uppercase() => {
            if t.len() > 1 && t.chars().all(|c| c.is_uppercase() || c == '.') {
                2
            } else {
                3
            }
        }
        Some(f) if f.is_lowercase() => 4,
        Some(f) if f.is_numeric() => 5,
        Some(',') => 6,
        Some(':') => 7,
        Some('.' | '!' | '?') => 8,
        Some('—' | '–' | '-') => 9,
        Some('(' | ')') => 10,
        _ => 11,
    }
}

fn bucket_distance(d: Option<usize>) -> u64 {
    match d {
        None => 0,
        Some(0) => 1,
        Some(1) => 2,
        Some(2) => 3,
        Some(3..=5) => 4,
        Some(6..=10) => 5,
        Some(11..=20) => 6,
        Some(_) => 7,
    }
}

struct Word {
    lower: u64,
    suffix: u64,
    shape: u64,
    cue: bool,
    /// A word the training data uses as a cue ("called", "endorsed", "shows"), the lexicon's
    /// reporting verbs or not.
    learned: bool,
    class: u64,
}

/// Each of `n` tokens' nearest marked token on the left, or on the right (`from_right`).
fn nearest(n: usize, from_right: bool, marked: impl Fn(usize) -> bool) -> Vec<Option<usize>> {
    let mut out = vec![None; n];
    let mut last = None;
    for k in 0..n {
        let i = if from_right { n - 1 - k } else { k };
        out[i] = last;
        if marked(i) {
            last = Some(i);
        }
    }
    out
}

/// The hashed features of every token of a sentence, read with `vocab` (the files of
/// `models/quote-tagger/` for the shipped model).
pub fn features(toks: &[Token], quoted: &[bool], vocab: &Vocabulary) -> Vec<Features> {
    let words: Vec<Word> = toks.iter().map(|t| Word::of(t.text, vocab)).collect();
    let context = Context::new(toks, quoted, words);
    (0..toks.len()).map(|i| context.templates(i)).collect()
}

impl Word {
    fn of(text: &str, vocab: &Vocabulary) -> Word {
        let lower = text.to_lowercase();
        let chars: Vec<char> = lower.chars().collect();
        let suffix: String = chars[chars.len().saturating_sub(3)..].iter().collect();
        let cue = vocab.verbs.contains(lower.as_str()) || lower == "according";
        let class = if cue {
            1
        } else if vocab.sources.contains(lower.as_str()) {
            2
        } else if vocab.roles.contains(lower.as_str()) {
            3
        } else if matches!(
            lower.as_str(),
            "he" | "she" | "they" | "i" | "we" | "it" | "you"
        ) {
            4
        } else if lower == "that" {
            5
        } else {
            0
        };
        Word {
            lower: fnv(FNV, lower.as_bytes()),
            suffix: fnv(FNV ^ 1, suffix.as_bytes()),
            shape: shape(text),
            cue,
            learned: vocab.learned.contains(&lower),
            class,
        }
    }
}

/// What the templates read around each token of one sentence.
struct Context<'q> {
    words: Vec<Word>,
    quoted: &'q [bool],
    /// Nearest lexicon cue on the left, and whether a "that" or comma lies between it and the
    /// token (kept as running flags: rescanning back to the cue is quadratic in long sentences).
    left: Vec<Option<usize>>,
    that_between: Vec<bool>,
    comma_between: Vec<bool>,
    right: Vec<Option<usize>>,
    /// Nearest learned cue on each side.
    lleft: Vec<Option<usize>>,
    lright: Vec<Option<usize>>,
    any_quote: bool,
    any_cue: bool,
    starts_quoted: bool,
    ends_quoted: bool,
}

const NO_WORD: Word = Word {
    lower: 1,
    suffix: 1,
    shape: 99,
    cue: false,
    learned: false,
    class: 99,
};

impl<'q> Context<'q> {
    fn new(toks: &[Token], quoted: &'q [bool], words: Vec<Word>) -> Self {
        let n = toks.len();
        let mut left: Vec<Option<usize>> = vec![None; n];
        let mut that_between = vec![false; n];
        let mut comma_between = vec![false; n];
        let (mut last, mut that, mut comma) = (None, false, false);
        for i in 0..n {
            left[i] = last;
            that_between[i] = last.is_some() && that;
            comma_between[i] = last.is_some() && comma;
            if words[i].cue {
                (last, that, comma) = (Some(i), false, false);
            } else {
                that |= words[i].class == 5;
                comma |= toks[i].text == ",";
            }
        }
        Context {
            right: nearest(n, true, |i| words[i].cue),
            lleft: nearest(n, false, |i| words[i].learned),
            lright: nearest(n, true, |i| words[i].learned),
            any_quote: quoted.iter().any(|&b| b),
            any_cue: words.iter().any(|w| w.cue),
            starts_quoted: quoted.first().copied().unwrap_or(false),
            ends_quoted: quoted.iter().rev().take(2).any(|&q| q),
            words,
            quoted,
            left,
            that_between,
            comma_between,
        }
    }

    /// The word at `i`, or a stand-in outside the sentence.
    fn w(&self, i: isize) -> &Word {
        if i < 0 || i as usize >= self.words.len() {
            &NO_WORD
        } else {
            &self.words[i as usize]
        }
    }

    fn q(&self, i: isize) -> u64 {
        u64::from(i >= 0 && (i as usize) < self.words.len() && self.quoted[i as usize])
    }

    /// The 36 feature templates of token `i`.
    fn templates(&self, i: usize) -> Features {
        let (c, n, ii) = (self, self.words.len(), i as isize);
        let w0 = &self.words[i];
        let ld = self.left[i].map(|k| i - k);
        let rd = self.right[i].map(|k| k - i);
        let lcue = self.left[i].map_or(0, |k| self.words[k].lower);
        let rcue = self.right[i].map_or(0, |k| self.words[k].lower);
        let (between_that, between_comma) = (self.that_between[i], self.comma_between[i]);
        let pos = if i == 0 {
            0
        } else if i + 1 == n {
            1
        } else {
            2 + (4 * i / n.max(1)) as u64
        };
        let (lb, rb) = (bucket_distance(ld), bucket_distance(rd));
        let llb = bucket_distance(self.lleft[i].map(|k| i - k));
        let lrb = bucket_distance(self.lright[i].map(|k| k - i));
        let llcue = self.lleft[i].map_or(0, |k| self.words[k].lower);
        [
            mix(&[1]),
            mix(&[2, w0.lower]),
            mix(&[3, c.w(ii - 1).lower]),
            mix(&[4, c.w(ii + 1).lower]),
            mix(&[5, c.w(ii - 2).lower]),
            mix(&[6, c.w(ii + 2).lower]),
            mix(&[7, c.w(ii - 1).lower, w0.lower]),
            mix(&[8, w0.lower, c.w(ii + 1).lower]),
            mix(&[9, w0.suffix]),
            mix(&[10, w0.shape]),
            mix(&[11, c.w(ii - 1).shape, w0.shape, c.w(ii + 1).shape]),
            mix(&[12, c.w(ii - 1).class, w0.class, c.w(ii + 1).class]),
            mix(&[13, lb]),
            mix(&[14, rb]),
            mix(&[15, lb, w0.shape]),
            mix(&[16, rb, w0.shape]),
            mix(&[17, c.q(ii - 1), c.q(ii), c.q(ii + 1)]),
            mix(&[18, u64::from(between_that), lb]),
            mix(&[19, pos]),
            mix(&[20, lcue, lb.min(4)]),
            mix(&[21, rcue, rb.min(4)]),
            mix(&[22, u64::from(between_comma), lb, rb]),
            mix(&[23, u64::from(c.any_quote), u64::from(c.any_cue), c.q(ii)]),
            mix(&[24, lb, rb, c.q(ii)]),
            mix(&[25, c.w(ii - 2).class, c.w(ii - 1).class, w0.class]),
            mix(&[26, w0.class, c.w(ii + 1).class, c.w(ii + 2).class]),
            mix(&[27, w0.lower, lb.min(4)]),
            mix(&[
                28,
                c.left[i].map_or(1, |k| c.w(k as isize - 1).lower),
                lb.min(4),
            ]),
            mix(&[29, c.w(ii - 1).class, w0.lower]),
            mix(&[
                30,
                u64::from(c.starts_quoted),
                u64::from(c.ends_quoted),
                pos.min(2),
            ]),
            mix(&[31, c.w(ii - 3).lower]),
            mix(&[32, c.w(ii + 3).lower]),
            mix(&[33, llb, u64::from(w0.learned)]),
            mix(&[34, lrb, u64::from(w0.learned)]),
            mix(&[35, llb, lrb, w0.shape]),
            mix(&[36, llcue, llb.min(4), c.q(ii)]),
        ]
    }
}

// ---- training ----

#[cfg(test)]
mod tests {
    use super::*;
    use crate::text::{tokens, Span};

    #[test]
    fn spans_follow_bio_and_viterbi_never_starts_inside() {
        assert_eq!(
            spans(&[1, 2, 3, 0, 5, 6, 6, 5]),
            vec![
                Tagged {
                    kind: SpanKind::Source,
                    start: 0,
                    end: 2
                },
                Tagged {
                    kind: SpanKind::Cue,
                    start: 2,
                    end: 3
                },
                Tagged {
                    kind: SpanKind::Content,
                    start: 4,
                    end: 7
                },
                Tagged {
                    kind: SpanKind::Content,
                    start: 7,
                    end: 8
                },
            ]
        );
        // A model that loves I-CON still has to open the span with B-CON.
        let mut m = Model::zeros(&LABELS, 4);
        m.emit.chunks_mut(LABELS.len()).for_each(|c| c[6] = 5.0);
        let t = Tagger::from_model(m, &SHIPPED_VOCAB);
        let text = "They said the talks failed.";
        let toks = tokens(text, Span::new(0, text.len()));
        let labels = t.tag(&toks, &vec![false; toks.len()]);
        assert_ne!(labels[0], 6);
        assert!(labels
            .windows(2)
            .all(|w| w[1] != 6 || matches!(w[0], 5 | 6)));
    }

    #[test]
    fn the_perceptron_learns_a_sentence_and_the_file_round_trips() {
        let text = "Peskov said the talks failed.";
        let toks = tokens(text, Span::new(0, text.len()));
        let quoted = vec![false; toks.len()];
        let gold = [1u8, 3, 5, 6, 6, 6];
        let feats = features(&toks, &quoted, &SHIPPED_VOCAB);
        let mut tr = crate::tagging::Trainer::new(&LABELS, 12);
        for _ in 0..5 {
            tr.learn(&feats, &gold);
        }
        let trained = Tagger::from_model(tr.averaged(), &SHIPPED_VOCAB);
        let model = Tagger::from_bytes(&trained.to_bytes(), &SHIPPED_VOCAB).unwrap();
        assert_eq!(model.tag(&toks, &quoted), gold);
        assert!(Tagger::from_bytes(b"not a model", &SHIPPED_VOCAB).is_err());
    }
}
