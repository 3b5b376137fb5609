//! The stances a careful reader gives on the example article (issue 15), through the whole
//! pipeline on the shipped model: who speaks, about whom, and which side they take.

use stancer::report::ArticleReport;
use stancer::{Article, Scorer, ScorerConfig};

const SEED: &str = include_str!("../examples/articles/us-russia-relations.txt");

struct Found {
    speaker: String,
    quote: String,
    party: String,
    label: String,
}

fn report() -> ArticleReport {
    Scorer::new(ScorerConfig::default())
        .unwrap()
        .score_article(&Article::from_text("seed", SEED))
        .unwrap()
}

fn speaker_name(r: &ArticleReport, id: &str) -> String {
    r.speakers.iter().find(|s| s.id == id).unwrap().name.clone()
}

fn party_name(r: &ArticleReport, id: &str) -> String {
    r.parties.iter().find(|p| p.id == id).unwrap().name.clone()
}

/// Every (speaker, quote, party, label) the report gives, with names instead of ids.
fn stances() -> Vec<Found> {
    let r = report();
    let mut out = Vec::new();
    for q in &r.quotes {
        let Some(id) = q.speaker.as_ref().and_then(|s| s.id.as_deref()) else {
            continue;
        };
        for s in &q.stances {
            out.push(Found {
                speaker: speaker_name(&r, id),
                party: party_name(&r, &s.party),
                quote: q.text.clone(),
                label: s.label.clone(),
            });
        }
    }
    out
}

fn labels<'a>(all: &'a [Found], speaker: &str, party: &str, quote: &str) -> Vec<&'a str> {
    let got: Vec<&str> = all
        .iter()
        .filter(|f| f.speaker.contains(speaker) && f.party == party && f.quote.contains(quote))
        .map(|f| f.label.as_str())
        .collect();
    assert!(
        !got.is_empty(),
        "no stance of {speaker} toward {party} on {quote:?}"
    );
    got
}

#[test]
fn a_careful_readers_stances_on_the_example_article() {
    let all = stances();
    // "He emphasized that the previous U.S. administration caused the severe deterioration …"
    let prev = "previous U.S. administration";
    assert_eq!(
        labels(&all, "Peskov", prev, "caused the severe deterioration"),
        ["against"]
    );
    assert!(
        labels(&all, "Peskov", prev, "")
            .iter()
            .all(|l| *l != "favor"),
        "Peskov never favours the administration he blames"
    );
    // "Putin mentioned that Trump approaches the issue in a rational manner …"
    for l in labels(&all, "Putin", "Donald Trump", "rational manner") {
        assert!(
            l == "favor" || l == "neutral",
            "Putin on Trump's rational approach: {l}"
        );
    }
    // "Putin responded by stating that the EU is not involved in these talks …"
    for l in labels(&all, "Putin", "European Union", "") {
        assert!(l == "neutral" || l == "against", "Putin on the EU: {l}");
    }
    // "… an agreement acceptable to Moscow is reached, and Russia is willing to negotiate …"
    for l in labels(&all, "Lavrov", "Russia", "") {
        assert!(l == "favor" || l == "neutral", "Lavrov on Russia: {l}");
    }
    // "… the second round of U.S.-Russia talks will be held this weekend, possibly in Saudi Arabia"
    assert_eq!(labels(&all, "Ryabkov", "Saudi Arabia", ""), ["neutral"]);
}

#[test]
fn the_summary_never_says_putin_is_against_russia() {
    let r = report();
    let cell = r
        .summary
        .matrix
        .iter()
        .find(|c| {
            speaker_name(&r, &c.speaker) == "Vladimir Putin" && party_name(&r, &c.party) == "Russia"
        })
        .expect("Putin speaks of Russia in the article");
    assert_ne!(cell.label, "against", "{:?}", cell.mean);
}
