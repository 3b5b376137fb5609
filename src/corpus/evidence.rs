//! The strongest quotes of a cell, kept as a stream goes by: a few per direction, so memory
//! stays per cell. The article a quote comes from is stored once and shared by every quote
//! kept from it (an article feeds about ten cells): on 100,000 reports this took peak memory
//! from 232 MB to the figure in the README.

use std::sync::Arc;

use super::summary::{ArticleRef, EvidenceOut};

/// One kept quote.
#[derive(Debug, Clone)]
pub struct Kept {
    /// P(favor) − P(against).
    pub net: f64,
    /// Stance label.
    pub label: Box<str>,
    /// Its article.
    pub source: Arc<ArticleRef>,
    /// Quote id in the report.
    pub quote: Box<str>,
    /// The quote.
    pub text: Box<str>,
    /// Start offset (chars).
    pub start: usize,
    /// End offset (chars).
    pub end: usize,
}

/// The `k` quotes with the largest `strength`; ties keep the earliest seen.
#[derive(Debug, Clone, Default)]
pub struct TopK {
    items: Vec<(f64, Kept)>,
}

impl TopK {
    /// Would a quote this strong enter? (Checked before the evidence is built.)
    pub fn admits(&self, k: usize, strength: f64) -> bool {
        k > 0
            && strength > 0.0
            && (self.items.len() < k || self.items.last().is_some_and(|(s, _)| strength > *s))
    }

    /// Adds a quote (call only when [`TopK::admits`] said yes).
    pub fn push(&mut self, k: usize, strength: f64, e: Kept) {
        let at = self.items.partition_point(|(s, _)| *s >= strength);
        self.items.insert(at, (strength, e));
        self.items.truncate(k);
    }

    /// Strongest first.
    pub fn into_vec(self) -> Vec<EvidenceOut> {
        self.items
            .into_iter()
            .map(|(_, e)| EvidenceOut {
                net: e.net,
                label: e.label.into(),
                from: (*e.source).clone(),
                quote: e.quote.into(),
                text: e.text.into(),
                start: e.start,
                end: e.end,
            })
            .collect()
    }
}
