//! The strongest quotes of a cell, kept as a stream goes by: a few per direction, so memory
//! stays per cell.

use super::summary::EvidenceOut;

/// The `k` quotes with the largest `strength`; ties keep the earliest seen.
#[derive(Debug, Clone, Default)]
pub struct TopK {
    items: Vec<(f64, EvidenceOut)>,
}

impl TopK {
    /// Would a quote this strong enter? (Checked before the evidence is built.)
    pub fn admits(&self, k: usize, strength: f64) -> bool {
        k > 0
            && strength > 0.0
            && (self.items.len() < k || self.items.last().is_some_and(|(s, _)| strength > *s))
    }

    /// Adds a quote (call only when [`TopK::admits`] said yes).
    pub fn push(&mut self, k: usize, strength: f64, e: EvidenceOut) {
        let at = self.items.partition_point(|(s, _)| *s >= strength);
        self.items.insert(at, (strength, e));
        self.items.truncate(k);
    }

    /// Strongest first.
    pub fn into_vec(self) -> Vec<EvidenceOut> {
        self.items.into_iter().map(|(_, e)| e).collect()
    }
}
