//! Where the article names each entity: the name mentions the pronoun and nominal rules look
//! back to, by binary search.

use crate::entities::{Entity, MentionKind};
use crate::text::Span;

/// Each person's name mentions, sorted: the lookups below are binary searches, since one
/// 4.7 MB article has thousands of pronouns and thousands of mentions per person (a linear
/// scan per pronoun halved the model-free stages' speed there).
pub(super) struct Names(Vec<Vec<Span>>);

impl Names {
    pub(super) fn new(entities: &[Entity]) -> Self {
        Names(
            entities
                .iter()
                .map(|e| {
                    let mut v: Vec<Span> = e
                        .mentions
                        .iter()
                        .filter(|m| m.kind == MentionKind::Name)
                        .map(|m| m.span)
                        .collect();
                    v.sort();
                    v
                })
                .collect(),
        )
    }

    /// `e`'s last name mention ending at or before `at`.
    pub(super) fn last_before(&self, e: usize, at: usize) -> Option<Span> {
        let v = &self.0[e];
        let i = v.partition_point(|s| s.end <= at);
        i.checked_sub(1).map(|i| v[i])
    }

    /// The person among `people` with a name mention closest before `at` that `fits`.
    pub(super) fn nearest(
        &self,
        people: &[usize],
        at: usize,
        fits: impl Fn(usize) -> bool,
    ) -> Option<usize> {
        people
            .iter()
            .copied()
            .filter(|&e| fits(e))
            .filter_map(|e| Some((self.last_before(e, at)?.end, e)))
            .max()
            .map(|(_, e)| e)
    }

    /// Whether any of `entities` is named inside `[from, to)`.
    pub(super) fn any_within(&self, entities: &[usize], from: usize, to: usize) -> bool {
        entities
            .iter()
            .any(|&e| self.last_before(e, to).is_some_and(|s| s.start >= from))
    }

    /// The person among `people` named last in `[from, to)` that `fits`.
    pub(super) fn last_within(
        &self,
        people: &[usize],
        from: usize,
        to: usize,
        fits: impl Fn(usize) -> bool,
    ) -> Option<usize> {
        people
            .iter()
            .copied()
            .filter(|&e| fits(e))
            .filter_map(|e| {
                let s = self.last_before(e, to).filter(|s| s.start >= from)?;
                Some((s.start, e))
            })
            .max()
            .map(|(_, e)| e)
    }
}
