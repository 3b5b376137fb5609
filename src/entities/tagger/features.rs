//! The hashed features of the named-entity tagger: the word, its shape, prefixes and suffixes,
//! two words either side, and what the rest of the document says about the word (capitalised
//! mid-sentence elsewhere, or written in lower case elsewhere) — which is what tells a name from
//! a common word in an all-capitals headline.

use std::collections::HashSet;

use crate::tagging::hash::{mix, text as h};

/// How many feature templates each token has.
pub const N_FEATURES: usize = 30;

/// The hashed features of one token.
pub type Features = [u64; N_FEATURES];

/// What the whole document says about its words (lower-cased).
#[derive(Debug, Default, Clone)]
pub struct DocStats {
    lower: HashSet<String>,
    capitalised: HashSet<String>,
}

impl DocStats {
    /// Collects, over every sentence's tokens, the words seen in lower case and the words seen
    /// capitalised after the first token of a sentence that is not all capitals.
    pub fn new<'a, S: AsRef<[&'a str]>>(sentences: &[S]) -> Self {
        let mut d = DocStats::default();
        for s in sentences {
            let s = s.as_ref();
            let headline = is_headline(s);
            for (i, w) in s.iter().enumerate() {
                let first = w.chars().next().unwrap_or(' ');
                if first.is_lowercase() {
                    d.lower.insert(w.to_string());
                } else if first.is_uppercase() && i > 0 && !headline {
                    d.capitalised.insert(w.to_lowercase());
                }
            }
        }
        d
    }
}

/// A sentence written in capitals ("LEICESTERSHIRE TAKE OVER AT TOP").
fn is_headline(words: &[&str]) -> bool {
    let letters: Vec<&&str> = words
        .iter()
        .filter(|w| w.chars().any(char::is_alphabetic))
        .collect();
    letters.len() >= 2 && letters.iter().all(|w| !w.chars().any(char::is_lowercase))
}

/// The word's shape with runs collapsed: "McCain" → "XxXx", "U.S." → "X.X.", "1996-08-30" → "d-d-d".
fn shape(w: &str) -> String {
    let mut out = String::new();
    for c in w.chars() {
        let k = if c.is_uppercase() {
            'X'
        } else if c.is_lowercase() {
            'x'
        } else if c.is_numeric() {
            'd'
        } else {
            c
        };
        if !out.ends_with(k) {
            out.push(k);
        }
    }
    out
}

/// The first (or last) `n` chars of `lower`, without copying.
fn affix<'a>(lower: &'a str, bounds: &[usize], n: usize, suffix: bool) -> &'a str {
    let chars = bounds.len() - 1;
    let n = n.min(chars);
    if suffix {
        &lower[bounds[chars - n]..]
    } else {
        &lower[..bounds[n]]
    }
}

/// The features of every token of a sentence.
pub fn features(words: &[&str], doc: &DocStats) -> Vec<Features> {
    // Curly quotes read as the straight ones CoNLL-2003 was written with ("’s" is "'s"): unseen,
    // "“" opened a person's name in "“What he said …,” Mitch McConnell said".
    let straight: Vec<std::borrow::Cow<str>> = words
        .iter()
        .map(|w| {
            if w.contains(['’', '‘', '“', '”']) {
                w.replace(['’', '‘'], "'").replace(['“', '”'], "\"").into()
            } else {
                (*w).into()
            }
        })
        .collect();
    let words: Vec<&str> = straight.iter().map(|w| w.as_ref()).collect();
    let words = words.as_slice();
    let lower: Vec<String> = words.iter().map(|w| w.to_lowercase()).collect();
    let shapes: Vec<u64> = words.iter().map(|w| h(&shape(w))).collect();
    let lw: Vec<u64> = lower.iter().map(|w| h(w)).collect();
    let headline = is_headline(words) as u64;
    let at = |v: &[u64], i: isize| -> u64 {
        if i < 0 {
            1
        } else {
            v.get(i as usize).copied().unwrap_or(2)
        }
    };
    (0..words.len())
        .map(|i| {
            let j = i as isize;
            let lo = lower[i].as_str();
            // Char boundaries of the lower-cased word (and its end), for prefixes and suffixes.
            let bounds: Vec<usize> = lo
                .char_indices()
                .map(|(b, _)| b)
                .chain([lo.len()])
                .collect();
            let raw = h(words[i]);
            let cap_elsewhere = doc.capitalised.contains(&lower[i]) as u64;
            let lower_elsewhere = doc.lower.contains(&lower[i]) as u64;
            let first = (i == 0) as u64;
            let len = (bounds.len() - 1).min(8) as u64;
            [
                mix(&[0]),
                mix(&[1, lw[i]]),
                mix(&[2, raw]),
                mix(&[3, shapes[i]]),
                mix(&[4, h(affix(lo, &bounds, 2, false))]),
                mix(&[5, h(affix(lo, &bounds, 3, false))]),
                mix(&[6, h(affix(lo, &bounds, 4, false))]),
                mix(&[7, h(affix(lo, &bounds, 2, true))]),
                mix(&[8, h(affix(lo, &bounds, 3, true))]),
                mix(&[9, h(affix(lo, &bounds, 4, true))]),
                mix(&[10, at(&lw, j - 1)]),
                mix(&[11, at(&lw, j + 1)]),
                mix(&[12, at(&lw, j - 2)]),
                mix(&[13, at(&lw, j + 2)]),
                mix(&[14, at(&lw, j - 1), lw[i]]),
                mix(&[15, lw[i], at(&lw, j + 1)]),
                mix(&[16, at(&shapes, j - 1), shapes[i]]),
                mix(&[17, shapes[i], at(&shapes, j + 1)]),
                mix(&[18, at(&shapes, j - 1), shapes[i], at(&shapes, j + 1)]),
                mix(&[19, first, shapes[i]]),
                mix(&[20, headline, lw[i]]),
                mix(&[21, cap_elsewhere, lower_elsewhere, shapes[i]]),
                mix(&[22, cap_elsewhere, lower_elsewhere, headline, lw[i]]),
                mix(&[23, len, shapes[i]]),
                mix(&[24, at(&lw, j - 1), shapes[i]]),
                mix(&[25, shapes[i], at(&lw, j + 1)]),
                mix(&[26, at(&shapes, j - 2), at(&shapes, j - 1)]),
                mix(&[27, at(&shapes, j + 1), at(&shapes, j + 2)]),
                mix(&[28, first, lw[i]]),
                mix(&[29, headline, shapes[i], at(&shapes, j - 1)]),
            ]
        })
        .collect()
}
