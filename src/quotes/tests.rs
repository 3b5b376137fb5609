use super::*;
use crate::text::sentences;

pub(crate) fn run(text: &str) -> Vec<(QuoteKind, String, Option<String>, Option<String>)> {
    let s = sentences(text);
    let ex = extract(text, &s);
    ex.quotes
        .iter()
        .map(|q| {
            (
                q.kind,
                q.content.slice(text).to_string(),
                q.speaker.map(|i| ex.speakers[i].name.clone()),
                q.cue.map(|c| c.slice(text).to_string()),
            )
        })
        .collect()
}

#[test]
fn seed_debug() {
    let text = include_str!("../../tests/data/seed.txt");
    for q in run(text) {
        println!("{q:?}");
    }
}
