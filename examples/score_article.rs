//! Library use end to end: score one article and print who said what about whom.
//!
//! cargo run --release --example score_article -- examples/articles/us-russia-relations.txt

use stancer::{Article, Scorer, ScorerConfig};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let path = std::env::args()
        .nth(1)
        .unwrap_or_else(|| "examples/articles/us-russia-relations.txt".into());
    // Load once: the model is the slow part. A Scorer is Send + Sync and can be shared.
    let scorer = Scorer::new(ScorerConfig::default())?;
    let article = Article::from_path(path.as_ref(), stancer::input::DEFAULT_MAX_BYTES)?;
    let report = scorer.score_article(&article)?;

    let speaker = |id: &str| {
        report
            .speakers
            .iter()
            .find(|s| s.id == id)
            .map(|s| s.name.as_str())
            .unwrap_or("?")
    };
    let party = |id: &str| {
        report
            .parties
            .iter()
            .find(|p| p.id == id)
            .map(|p| p.name.as_str())
            .unwrap_or("?")
    };
    for q in &report.quotes {
        let who = q
            .speaker
            .as_ref()
            .map(|s| match &s.id {
                Some(id) => speaker(id),
                None => s.mention.text.as_str(), // a pronoun with no antecedent
            })
            .unwrap_or("unknown");
        println!("{who} ({:?}): {}", q.kind, q.text);
        for s in &q.stances {
            println!(
                "    {:<28} {:<8} {:.2}   sentiment {}",
                party(&s.party),
                s.label,
                s.scores[&s.label],
                s.sentiment.label
            );
        }
    }
    // Everything is serde-serialisable: this is what `stancer score --format json` prints.
    let json = serde_json::to_string(&report)?;
    eprintln!(
        "{} bytes of JSON, schema version {}",
        json.len(),
        report.schema_version
    );
    Ok(())
}
