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

/// No speaker is labelled against their own country: the model's "against" there is the quote's
/// bad news or its criticism of someone else (`scorer::own_side_label`); the label is the better
/// of the other two (favor where it reaches 0.3 and passes neutral). The scores stay the model's;
/// other countries keep their labels.
#[test]
fn no_speaker_is_labelled_against_their_own_country() {
    // "Putin also pointed out that U.S. White House leaders aim to reach an agreement … that may
    // not necessarily benefit Russia": the model's top score toward Russia is against; Putin
    // speaks for Russia's interest, and favor is the model's next reading.
    let r = report();
    let q10 = r
        .quotes
        .iter()
        .find(|q| q.text.contains("not necessarily benefit Russia"))
        .expect("Putin's quote on the agreement");
    let russia = q10.stances.iter().find(|s| s.party == "RUS").unwrap();
    let top = russia
        .scores
        .iter()
        .max_by(|a, b| a.1.total_cmp(b.1))
        .unwrap();
    assert_eq!(top.0, "against", "{:?}", russia.scores);
    assert!(
        russia.scores["favor"] > russia.scores["neutral"],
        "{:?}",
        russia.scores
    );
    assert_eq!(russia.label, "favor");
    // Zarif on U.S. sanctions (as he put it in 2019): the model reads the same sentence as
    // against both countries (0.77 toward the United States, 0.83 toward Iran).
    let scorer = Scorer::new(ScorerConfig::default()).unwrap();
    let r = scorer
        .score_article(&Article::from_text(
            "sanctions",
            "Iranian Foreign Minister Javad Zarif said the United States was waging economic \
             terrorism against Iran.",
        ))
        .unwrap();
    let label = |party: &str| {
        let s = r.quotes[0]
            .stances
            .iter()
            .find(|s| s.party == party)
            .unwrap();
        let top = s.scores.iter().max_by(|a, b| a.1.total_cmp(b.1)).unwrap();
        (top.0.as_str(), s.label.as_str())
    };
    assert_eq!(
        speaker_name(
            &r,
            r.quotes[0].speaker.as_ref().unwrap().id.as_deref().unwrap()
        ),
        "Javad Zarif"
    );
    assert_eq!(
        label("USA"),
        ("against", "against"),
        "another country keeps its label"
    );
    assert_eq!(label("IRN"), ("against", "neutral"));
    let cell = r.summary.matrix.iter().find(|c| c.party == "IRN").unwrap();
    assert_eq!(cell.label, "neutral", "{:?}", cell.mean);
}

/// Nor against the party it speaks for (`parties::principal`): the White House for the
/// president, someone's lawyers for them. Modelled on SEESAW valid, where the model read "the
/// White House said" of Trump's veto as against Trump (0.91) and McCabe's lawyers on his firing
/// as against McCabe (0.92); the other parties of the same quotes keep their labels.
#[test]
fn no_speaker_is_labelled_against_the_party_it_speaks_for() {
    let scorer = Scorer::new(ScorerConfig::default()).unwrap();
    let text = "Trump has vetoed a congressional resolution that sought to end U.S. involvement \
                in the Saudi-led war in Yemen, the White House said.\n\nAndrew McCabe, the former \
                deputy director of the FBI, was fired last year. McCabe's lawyers said the FBI \
                had rushed the firing of McCabe to please the president.";
    let meta = stancer::input::Metadata {
        published: Some("2019-04-17".into()),
        ..Default::default()
    };
    let r = scorer
        .score_article(&Article::from_text("veto", text).with_meta(meta))
        .unwrap();
    let speaks_for = |name: &str| {
        let s = r.speakers.iter().find(|s| s.name == name).unwrap();
        s.speaks_for.as_deref().map(|p| party_name(&r, p))
    };
    // undated, "Trump" alone would be no one's president; on the article's date he is
    assert_eq!(speaks_for("White House").as_deref(), Some("Donald Trump"));
    assert_eq!(
        speaks_for("McCabe's lawyers").as_deref(),
        Some("Andrew McCabe")
    );
    let stance = |quote: &str, party: &str| {
        let q = r.quotes.iter().find(|q| q.text.contains(quote)).unwrap();
        let s = q
            .stances
            .iter()
            .find(|s| party_name(&r, &s.party) == party)
            .unwrap_or_else(|| panic!("{quote:?} has no pair with {party}"));
        let top = s.scores.iter().max_by(|a, b| a.1.total_cmp(b.1)).unwrap();
        (top.0.clone(), s.label.clone())
    };
    assert_eq!(
        stance("vetoed", "Donald Trump"),
        ("against".into(), "neutral".into())
    );
    assert_eq!(
        stance("vetoed", "Yemen"),
        ("against".into(), "against".into()),
        "another party keeps its label"
    );
    assert_eq!(
        stance("firing of McCabe", "Andrew McCabe"),
        ("against".into(), "neutral".into())
    );
    let cell = r
        .summary
        .matrix
        .iter()
        .find(|c| {
            speaker_name(&r, &c.speaker) == "White House"
                && party_name(&r, &c.party) == "Donald Trump"
        })
        .unwrap();
    assert_eq!(cell.label, "neutral", "{:?}", cell.mean);
}

/// A U.S. state is a party of its own, not the United States: Phoenix lists the states and big
/// cities among the country's aliases, and SEESAW valid's Supreme Court story read Justice
/// Sotomayor's "Wyoming points to no evidence" as a stance toward the United States. A governor
/// speaks for the state their title names, so "Washington has failed Texas" is no stance of the
/// governor against Texas.
#[test]
fn a_state_is_its_own_party_and_its_governor_speaks_for_it() {
    let scorer = Scorer::new(ScorerConfig::default()).unwrap();
    let text = "Justice Sonia Sotomayor, writing for the court, said treaty rights do not \
                disappear when a territory becomes a state. \u{201c}Wyoming points to no evidence \
                that federal negotiators ever proposed that the hunting right would expire,\u{201d} \
                she wrote.\n\nTexas Gov. Greg Abbott said the ruling was a mistake. \
                \u{201c}Washington has failed Texas,\u{201d} Abbott said.";
    let r = scorer
        .score_article(&Article::from_text("states", text))
        .unwrap();
    let parties_of = |quote: &str| -> Vec<String> {
        let q = r.quotes.iter().find(|q| q.text.contains(quote)).unwrap();
        q.stances.iter().map(|s| party_name(&r, &s.party)).collect()
    };
    assert_eq!(parties_of("Wyoming points"), ["Wyoming"]);
    let failed = parties_of("has failed Texas");
    assert!(failed.contains(&"Texas".to_string()), "{failed:?}");
    let abbott = r.speakers.iter().find(|s| s.name == "Greg Abbott").unwrap();
    assert_eq!(
        abbott
            .speaks_for
            .as_deref()
            .map(|p| party_name(&r, p))
            .as_deref(),
        Some("Texas")
    );
    let q = r
        .quotes
        .iter()
        .find(|q| q.text.contains("has failed Texas"))
        .unwrap();
    let texas = q
        .stances
        .iter()
        .find(|s| party_name(&r, &s.party) == "Texas")
        .unwrap();
    assert_ne!(texas.label, "against", "{:?}", texas.scores);
}

/// A speaker whose quotes never name a party that only the headline names gets a polar cell
/// toward it only from a clear reading (mean probability ≥ 0.8, `HEADLINE_ONLY_FLOOR`): on
/// SEESAW valid such cells below it agreed with an annotated relation 9 times in 84. The pairs
/// keep the model's labels and the cell its mean; only the cell's label says neutral.
#[test]
fn a_party_only_the_headline_names_gets_a_polar_cell_only_from_a_clear_reading() {
    let scorer = Scorer::new(ScorerConfig::default()).unwrap();
    let cells = |text: &str| {
        let r = scorer
            .score_article(&Article::from_text("story", text))
            .unwrap();
        r.summary
            .matrix
            .iter()
            .map(|c| {
                let top = c.mean.values().cloned().fold(0f32, f32::max);
                (
                    speaker_name(&r, &c.speaker),
                    party_name(&r, &c.party),
                    c.label.clone(),
                    top,
                )
            })
            .collect::<Vec<_>>()
    };
    // Modelled on SEESAW valid TRIPLET_055: Kudlow's interview quotes, about the budget and the
    // wall, never name Trump or Congress; the headline names both. Read one quote at a time,
    // the model leans both ways (against 0.74, favor 0.91 toward Trump).
    let kudlow = cells(
        "Trump Budget Heads to Congress\n\n\
         Larry Kudlow, the director of the National Economic Council, spoke on Sunday about the \
         budget.\n\n\
         \u{201c}It will be a tough budget,\u{201d} Kudlow said on \u{201c}Fox News Sunday.\u{201d} \
         \u{201c}I would just say that the whole issue of the wall and border security is of \
         paramount importance.\u{201d}",
    );
    assert!(kudlow.len() >= 2, "{kudlow:?}");
    for (speaker, party, label, top) in &kudlow {
        assert_eq!(speaker, "Larry Kudlow");
        assert!(*top < 0.8, "{party}: {top}");
        assert_eq!(label, "neutral", "{party}");
    }
    // BASIL 2010 (the pairs module's headline example): Kristol's letter addresses the man the
    // story is about, and the reading is clear.
    let steele = cells(
        "Michael Steele Criticized for Afghanistan Comments\n\n\
         WASHINGTON \u{2014} Michael Steele, chairman of the Republican National Committee, drew \
         fierce criticism on Friday.\n\n\
         \u{201c}Your tenure has, of course, been marked by gaffes and embarrassments,\u{201d} \
         William Kristol wrote.",
    );
    let to_steele = steele.iter().find(|c| c.1 == "Michael Steele").unwrap();
    assert_eq!(
        (to_steele.0.as_str(), to_steele.2.as_str()),
        ("William Kristol", "against")
    );
}

/// A cell's `mean` counts a pair whose quote names or refers to the party twice as much as one
/// that reaches it through its sentence, the sentence before or the headline (`basis.scope`).
#[test]
fn a_cells_mean_counts_the_quotes_that_name_the_party_twice() {
    let r = report();
    let weight = |scope: &str| match scope {
        "quote" | "coreference" => 1.0f32,
        _ => 0.5,
    };
    let mut mixed = 0;
    for c in &r.summary.matrix {
        let pairs: Vec<_> = r
            .quotes
            .iter()
            .filter(|q| {
                q.speaker.as_ref().and_then(|s| s.id.as_deref()) == Some(c.speaker.as_str())
            })
            .flat_map(|q| q.stances.iter().filter(|s| s.party == c.party))
            .collect();
        let scope = |s: &&stancer::report::Stance| {
            serde_json::to_value(s.basis.scope)
                .unwrap()
                .as_str()
                .unwrap()
                .to_string()
        };
        let total: f32 = pairs.iter().map(|s| weight(&scope(s))).sum();
        for (label, mean) in &c.mean {
            let want: f32 = pairs
                .iter()
                .map(|s| weight(&scope(s)) * s.scores[label])
                .sum::<f32>()
                / total;
            assert!(
                (mean - want).abs() < 1e-5,
                "{} → {}: {label} {mean} vs {want}",
                c.speaker,
                c.party
            );
            let plain = pairs.iter().map(|s| s.scores[label]).sum::<f32>() / pairs.len() as f32;
            if (plain - want).abs() > 1e-3 {
                mixed += 1;
            }
        }
    }
    // Putin on Ukraine: one quote names it, the other reaches it through its sentence.
    assert!(mixed > 0, "no cell mixes bases on the example article");
}
