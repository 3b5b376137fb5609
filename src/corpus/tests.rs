//! The aggregator on small streams whose right answers can be counted by hand.

use super::*;

fn report(path: &str, date: Option<&str>, quotes: &[(&str, &str, f32)]) -> String {
    // (speaker name, party id, P(favor) − P(against)): the scores are built to give that net.
    let speakers: Vec<&str> = quotes.iter().map(|q| q.0).collect();
    let mut names: Vec<&str> = speakers.clone();
    names.dedup();
    let qs: Vec<serde_json::Value> = quotes
        .iter()
        .enumerate()
        .map(|(i, (s, p, net))| {
            let (favor, against) = (net.max(0.0), (-net).max(0.0));
            let label = if *net > 0.3 { "favor" } else if *net < -0.3 { "against" } else { "neutral" };
            let sid = names.iter().position(|n| n == s).unwrap() + 1;
            serde_json::json!({"id": format!("q{}", i + 1), "kind": "direct", "text": format!("quote {i}"),
                "start": i * 10, "end": i * 10 + 5, "speaker": {"id": format!("s{sid}"), "mention": {}},
                "stances": [{"party": p, "label": label,
                    "scores": {"favor": favor, "against": against, "neutral": 1.0 - favor - against}}]})
        })
        .collect();
    let sp: Vec<serde_json::Value> = names
        .iter()
        .enumerate()
        .map(|(i, n)| {
            let mut v = serde_json::json!({"id": format!("s{}", i + 1), "name": n, "kind": "person", "mentions": []});
            if *n == "Dmitry Peskov" {
                v["affiliation"] = "RUS".into();
            }
            if *n == "Putin" {
                v["party"] = "PUTIN".into();
            }
            v
        })
        .collect();
    let mut article = serde_json::json!({"id": path, "sha256": "", "chars": 100, "format": "text"});
    if let Some(d) = date {
        article["published"] = d.into();
        article["outlet"] = "wire".into();
    }
    serde_json::json!({"path": path, "schema_version": 1, "article": article, "model": {},
        "parties": [
            {"id": "RUS", "name": "Russia", "kind": "country", "mentions": []},
            {"id": "USA", "name": "United States", "kind": "country", "mentions": []},
            {"id": "PUTIN", "name": "Vladimir Putin", "kind": "person", "affiliation": "RUS", "mentions": []}],
        "speakers": sp, "quotes": qs, "summary": {}})
    .to_string()
}

fn summarize(lines: &[String], opts: Options) -> CorpusSummary {
    let mut c = Corpus::new(opts);
    c.read("r.jsonl", lines.join("\n").as_bytes()).unwrap();
    c.finish()
}

fn corpus() -> Vec<String> {
    vec![
        report(
            "a.txt",
            Some("2019-03-25"),
            &[
                ("Dmitry Peskov", "USA", -0.8),
                ("Dmitry Peskov", "USA", -0.6),
                ("Sen. John McCain", "RUS", -0.9),
            ],
        ),
        report(
            "b.txt",
            Some("2019-04-02T10:00:00Z"),
            &[
                ("Dmitry Peskov", "USA", 0.2),
                ("Dmitry Peskov", "PUTIN", 0.9),
            ],
        ),
        r#"{"path":"c.txt","error":{"kind":"not_utf8","message":"c.txt: not UTF-8 at offset 3"}}"#
            .into(),
        "{\"path\": \"d.txt\", \"trunc".into(),
        report("e.txt", None, &[("sen john mccain", "RUS", -0.5)]),
    ]
}

#[test]
fn cells_merge_speakers_across_articles_and_count_errors() {
    let s = summarize(&corpus(), Options::default());
    assert_eq!(
        (s.inputs.records, s.inputs.reports, s.inputs.errors),
        (5, 3, 2)
    );
    assert_eq!(s.inputs.error_kinds["not_utf8"], 1);
    assert_eq!(s.inputs.error_kinds["bad_record"], 1);
    assert!(s
        .inputs
        .error_examples
        .iter()
        .any(|e| e.input == "r.jsonl:4"));
    assert_eq!((s.inputs.quotes, s.inputs.articles_undated), (6, 1));
    let cell = |sp: &str, p: &str| {
        s.matrix
            .iter()
            .find(|c| c.speaker_name == sp && c.party == p)
            .unwrap()
    };
    let peskov_usa = cell("Dmitry Peskov", "USA");
    assert_eq!((peskov_usa.quotes, peskov_usa.articles), (3, 2));
    assert!((peskov_usa.net.mean - (-1.2 / 3.0)).abs() < 1e-6);
    assert!((peskov_usa.shares["against"] - 2.0 / 3.0).abs() < 1e-9);
    // "Sen. John McCain" and "sen john mccain" are one speaker over two articles.
    let mccain = cell("Sen. John McCain", "RUS");
    assert_eq!(
        (mccain.quotes, mccain.articles, mccain.speaker.as_str()),
        (2, 2, "sen john mccain")
    );
    // Evidence: the strongest quote against first, for a cell that leans against.
    assert_eq!(peskov_usa.evidence[0].text, "quote 0");
    assert_eq!(peskov_usa.evidence.last().unwrap().label, "neutral");
    assert_eq!(s.matrix[0].quotes, 3, "busiest cell first");
}

#[test]
fn country_level_folds_people_into_their_countries() {
    let s = summarize(
        &corpus(),
        Options {
            level: Level::Country,
            ..Options::default()
        },
    );
    // Peskov (affiliated with Russia) about Putin folds into Russia about Russia, and is dropped.
    assert!(
        s.matrix.iter().all(|c| c.speaker != c.party),
        "{:?}",
        s.matrix
    );
    let rus_usa = s
        .matrix
        .iter()
        .find(|c| c.speaker == "RUS" && c.party == "USA")
        .unwrap();
    assert_eq!(
        (rus_usa.speaker_name.as_str(), rus_usa.quotes),
        ("Russia", 3)
    );
}

#[test]
fn series_filters_and_minimum() {
    let by_month = Options {
        by: Some(Period::Month),
        speakers: vec!["peskov".into()],
        ..Options::default()
    };
    let s = summarize(&corpus(), by_month);
    assert!(s.matrix.iter().all(|c| c.speaker_name == "Dmitry Peskov"));
    let usa = s.series.iter().find(|x| x.party == "USA").unwrap();
    let periods: Vec<(&str, u64)> = usa
        .points
        .iter()
        .map(|p| (p.period.as_str(), p.quotes))
        .collect();
    assert_eq!(periods, [("2019-03", 2), ("2019-04", 1)]);
    let s = summarize(
        &corpus(),
        Options {
            by: Some(Period::Outlet),
            min_quotes: 2,
            ..Options::default()
        },
    );
    assert_eq!(s.matrix.len(), 2, "two cells have two quotes or more");
    let mccain = s.series.iter().find(|x| x.party == "RUS").unwrap();
    let outlets: Vec<&str> = mccain.points.iter().map(|p| p.period.as_str()).collect();
    assert_eq!(outlets, ["(no outlet)", "wire"]);
    let s = summarize(
        &corpus(),
        Options {
            parties: vec!["vladimir putin".into()],
            ..Options::default()
        },
    );
    assert_eq!(s.matrix.len(), 1);
    assert_eq!(s.parties.len(), 1);
}

#[test]
fn a_speaker_who_is_a_party_goes_by_the_party_name() {
    let lines = [
        report("a.txt", None, &[("Putin", "USA", -0.5)]),
        report("b.txt", None, &[("Putin", "USA", -0.7)]),
    ];
    let opts = Options {
        speakers: vec!["Vladimir Putin".into()],
        ..Options::default()
    };
    let s = summarize(&lines, opts);
    assert_eq!(s.matrix.len(), 1);
    let c = &s.matrix[0];
    assert_eq!(
        (c.speaker.as_str(), c.speaker_name.as_str(), c.quotes),
        ("PUTIN", "Vladimir Putin", 2)
    );
}

#[test]
fn the_summary_does_not_depend_on_hash_order() {
    // "Putin" linked to a party and "putin" not: two speakers with one display name and equal
    // counts, the tie the ordering must still break the same way every time.
    let lines = [
        report(
            "a.txt",
            None,
            &[("Putin", "USA", -0.5), ("Dmitry Peskov", "RUS", 0.4)],
        ),
        report(
            "b.txt",
            None,
            &[
                ("Vladimir Putin", "USA", -0.5),
                ("Dmitry Peskov", "USA", 0.4),
            ],
        ),
    ];
    let first = serde_json::to_string(&summarize(&lines, Options::default())).unwrap();
    for _ in 0..8 {
        let again = serde_json::to_string(&summarize(&lines, Options::default())).unwrap();
        assert_eq!(again, first);
    }
}

/// A report of `report`'s form whose stances carry the basis scopes given, in order.
fn with_scopes(line: String, scopes: &[&str]) -> String {
    let mut v: serde_json::Value = serde_json::from_str(&line).unwrap();
    for (q, scope) in v["quotes"].as_array_mut().unwrap().iter_mut().zip(scopes) {
        q["stances"][0]["basis"] = serde_json::json!({ "scope": scope });
    }
    v.to_string()
}

#[test]
fn a_speaker_is_not_read_against_their_own_country() {
    // Peskov (affiliated with Russia) on bad news about Russia, which the report labels neutral;
    // McCain's criticism of Russia stays against.
    let mut line: serde_json::Value = serde_json::from_str(&report(
        "a.txt",
        None,
        &[
            ("Dmitry Peskov", "RUS", -0.6),
            ("Dmitry Peskov", "RUS", 0.2),
            ("Sen. John McCain", "RUS", -0.6),
        ],
    ))
    .unwrap();
    line["quotes"][0]["stances"][0]["label"] = "neutral".into();
    let s = summarize(&[line.to_string()], Options::default());
    let cell = |sp: &str| s.matrix.iter().find(|c| c.speaker_name == sp).unwrap();
    let peskov = cell("Dmitry Peskov");
    assert!((peskov.net.mean - 0.1).abs() < 1e-6, "{:?}", peskov.net);
    assert_eq!(peskov.shares["against"], 0.0);
    // The evidence keeps the model's reading, with the report's label.
    let against = peskov.evidence.iter().find(|e| e.net < 0.0).unwrap();
    assert_eq!(
        (against.label.as_str(), against.text.as_str()),
        ("neutral", "quote 0")
    );
    assert!((cell("Sen. John McCain").net.mean + 0.6).abs() < 1e-6);
}

#[test]
fn quotes_that_name_the_party_count_twice_those_of_its_sentence_or_headline() {
    let line = with_scopes(
        report(
            "a.txt",
            None,
            &[
                ("Dmitry Peskov", "USA", -0.6),
                ("Dmitry Peskov", "USA", -0.9),
                ("Dmitry Peskov", "USA", 0.3),
            ],
        ),
        &["quote", "headline", "sentence"],
    );
    let s = summarize(&[line], Options::default());
    let c = &s.matrix[0];
    assert_eq!(c.quotes, 3);
    let want = (-0.6 + 0.5 * -0.9 + 0.5 * 0.3) / 2.0;
    assert!((c.net.mean - want).abs() < 1e-6, "{} vs {want}", c.net.mean);
    // The quote that names the party is the first evidence, before the headline's stronger one.
    assert_eq!(c.evidence[0].text, "quote 0");
    assert_eq!(c.evidence[1].text, "quote 1");
}

#[test]
fn a_report_as_score_prints_it_is_read_whole() {
    let one = report("a.txt", None, &[("Dmitry Peskov", "USA", -0.6)]);
    let two = report("b.txt", None, &[("Dmitry Peskov", "USA", -0.2)]);
    let pretty = |l: &str| {
        serde_json::to_string_pretty(&serde_json::from_str::<serde_json::Value>(l).unwrap())
            .unwrap()
    };
    let read = |text: String| {
        let mut c = Corpus::new(Options::default());
        c.read("a.json", text.as_bytes()).unwrap();
        c.finish()
    };
    // One report, as `score --format json` writes it for one file.
    let s = read(pretty(&one));
    assert_eq!(
        (s.inputs.records, s.inputs.reports, s.inputs.errors),
        (1, 1, 0)
    );
    assert_eq!(s.matrix[0].quotes, 1);
    // An array, as it writes for several files.
    let s = read(format!("[{},\n{}]\n", pretty(&one), pretty(&two)));
    assert_eq!((s.inputs.reports, s.inputs.errors), (2, 0));
    assert_eq!((s.matrix[0].quotes, s.matrix[0].articles), (2, 2));
    // A document cut short is one error naming the file and where it stops.
    let cut = pretty(&one);
    let s = read(cut[..cut.len() / 2].to_string());
    assert_eq!((s.inputs.reports, s.inputs.errors), (0, 1));
    let e = &s.inputs.error_examples[0];
    assert_eq!(
        (e.input.as_str(), e.kind.as_str()),
        ("a.json", "bad_record")
    );
    assert!(e.message.contains("line"), "{}", e.message);
}

#[test]
fn a_quote_said_together_counts_for_each_of_its_speakers_once() {
    // Peskov says it, McCain with him (the fixture's two speakers, s1 and s2).
    let mut r: serde_json::Value = serde_json::from_str(&report(
        "a.txt",
        None,
        &[
            ("Dmitry Peskov", "USA", -0.8),
            ("Sen. John McCain", "PUTIN", -0.9),
        ],
    ))
    .unwrap();
    r["quotes"][0]["co_speakers"] = serde_json::json!([{"id": "s2", "mention": {}}]);
    let s = summarize(&[r.to_string()], Options::default());
    assert_eq!(
        s.inputs.quotes, 2,
        "a quote is one quote, however many say it"
    );
    let cell = |sp: &str, p: &str| {
        s.matrix
            .iter()
            .find(|c| c.speaker_name == sp && c.party == p)
            .map(|c| c.quotes)
    };
    assert_eq!(cell("Dmitry Peskov", "USA"), Some(1));
    assert_eq!(cell("Sen. John McCain", "USA"), Some(1));
    assert_eq!(cell("Sen. John McCain", "PUTIN"), Some(1));
}
