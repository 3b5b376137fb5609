//! `stancer summarize` over a real batch: the 324 BASIL and PolNeAR dev articles in
//! ../shared/data, scored by the shipped model. The corpus figures must be the sums of the
//! article reports they come from, and errors in the batch must be counted, not dropped.

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};
use std::process::Command;

fn bin() -> Command {
    Command::new(env!("CARGO_BIN_EXE_stancer"))
}

/// STANCER_SHARED_DATA, else ../shared/data. Required when STANCER_REQUIRE_DATA=1 (`.ci/run`
/// sets it when it finds the data); elsewhere the test says it skipped.
fn shared_data() -> Option<PathBuf> {
    let dir = std::env::var_os("STANCER_SHARED_DATA")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/data"));
    if dir.join("basil/articles").is_dir() && dir.join("polnear/dev/text").is_dir() {
        return Some(dir);
    }
    assert!(
        std::env::var_os("STANCER_REQUIRE_DATA").is_none_or(|v| v != "1"),
        "{}: the BASIL and PolNeAR data are required (STANCER_REQUIRE_DATA=1)",
        dir.display()
    );
    eprintln!("skipped: no {}", dir.display());
    None
}

fn json(out: &std::process::Output) -> serde_json::Value {
    assert!(
        out.status.code().is_some_and(|c| c <= 1),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

fn summarize(results: &Path, args: &[&str]) -> serde_json::Value {
    json(
        &bin()
            .arg("summarize")
            .arg(results)
            .args(["--format", "json"])
            .args(args)
            .output()
            .unwrap(),
    )
}

/// Sums over the article reports, computed here from the batch lines themselves.
#[derive(Default, Debug)]
struct Sums {
    reports: u64,
    errors: u64,
    quotes: u64,
    without_speaker: u64,
    without_party: u64,
    cell_quotes: u64,
    party_quotes: BTreeMap<String, u64>,
    party_articles: BTreeMap<String, u64>,
    labels: BTreeMap<String, u64>,
}

fn sums(lines: &[serde_json::Value]) -> Sums {
    let mut s = Sums::default();
    for l in lines {
        if l.get("error").is_some() {
            s.errors += 1;
            continue;
        }
        s.reports += 1;
        let mut seen = HashMap::new();
        for c in l["summary"]["matrix"].as_array().unwrap() {
            let (p, n) = (c["party"].as_str().unwrap(), c["quotes"].as_u64().unwrap());
            s.cell_quotes += n;
            *s.party_quotes.entry(p.into()).or_default() += n;
            seen.insert(p.to_string(), ());
        }
        for p in seen.into_keys() {
            *s.party_articles.entry(p).or_default() += 1;
        }
        for q in l["quotes"].as_array().unwrap() {
            s.quotes += 1;
            let stances = q["stances"].as_array().unwrap();
            s.without_party += stances.is_empty() as u64;
            if q["speaker"]["id"].is_null() {
                s.without_speaker += 1;
                continue;
            }
            // Once for the speaker and once for each co-speaker, toward every party but their own.
            let co = q["co_speakers"].as_array().into_iter().flatten();
            for sid in std::iter::once(&q["speaker"]).chain(co).map(|r| &r["id"]) {
                let own = l["speakers"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .find(|sp| &sp["id"] == sid)
                    .map(|sp| &sp["party"]);
                for st in stances.iter().filter(|st| Some(&st["party"]) != own) {
                    *s.labels
                        .entry(st["label"].as_str().unwrap().into())
                        .or_default() += 1;
                }
            }
        }
    }
    s
}

#[test]
fn corpus_figures_are_the_sums_of_the_article_reports() {
    let Some(data) = shared_data() else { return };
    let dir = tempfile::tempdir().unwrap();
    let corpus = dir.path().join("corpus");
    std::fs::create_dir(&corpus).unwrap();
    std::os::unix::fs::symlink(data.join("basil/articles"), corpus.join("basil")).unwrap();
    std::os::unix::fs::symlink(data.join("polnear/dev/text"), corpus.join("polnear")).unwrap();
    let out = dir.path().join("results.jsonl");
    let batch = bin()
        .args(["batch", "--jobs", "2", "--out"])
        .arg(&out)
        .arg(&corpus)
        .output()
        .unwrap();
    assert!(
        batch.status.success(),
        "{}",
        String::from_utf8_lossy(&batch.stderr)
    );
    // One record of a failed input, as a batch writes it, and one line cut short.
    let mut text = std::fs::read_to_string(&out).unwrap();
    text.push_str("{\"path\":\"corpus/broken.txt\",\"error\":{\"kind\":\"not_utf8\",\"message\":\"corpus/broken.txt: not UTF-8 at offset 3\"}}\n{\"path\": \"cut");
    std::fs::write(&out, &text).unwrap();
    let lines: Vec<serde_json::Value> = text
        .lines()
        .filter_map(|l| serde_json::from_str(l).ok())
        .collect();
    let want = sums(&lines);
    assert_eq!(
        want.reports, 324,
        "the 240 BASIL and 84 PolNeAR dev articles"
    );

    let s = summarize(&out, &[]);
    let i = &s["inputs"];
    assert_eq!(i["reports"], want.reports);
    assert_eq!(
        i["errors"],
        want.errors + 1,
        "the error record and the cut line"
    );
    assert_eq!(i["error_kinds"]["not_utf8"], 1);
    assert_eq!(i["error_kinds"]["bad_record"], 1);
    assert_eq!(i["quotes"], want.quotes);
    assert_eq!(i["quotes_without_speaker"], want.without_speaker);
    assert_eq!(i["quotes_without_party"], want.without_party);
    assert_eq!(
        i["articles_undated"], 84,
        "PolNeAR's text files carry no date"
    );
    let matrix = s["matrix"].as_array().unwrap();
    let total: u64 = matrix.iter().map(|c| c["quotes"].as_u64().unwrap()).sum();
    assert_eq!(
        total, want.cell_quotes,
        "every quote × party of every article matrix"
    );
    for p in s["parties"].as_array().unwrap() {
        let id = p["id"].as_str().unwrap();
        assert_eq!(p["quotes"], want.party_quotes[id], "{id}");
        assert_eq!(p["articles"], want.party_articles[id], "{id}");
    }
    for (label, n) in &want.labels {
        let got: f64 = matrix
            .iter()
            .map(|c| c["shares"][label].as_f64().unwrap() * c["quotes"].as_f64().unwrap())
            .sum();
        assert!((got - *n as f64).abs() < 1e-6, "{label}: {got} vs {n}");
    }
    for c in matrix {
        let (m, lo, hi) = (&c["net"]["mean"], &c["net"]["low"], &c["net"]["high"]);
        if c["articles"].as_u64().unwrap() > 1 {
            assert!(
                lo.as_f64().unwrap() <= m.as_f64().unwrap()
                    && m.as_f64().unwrap() <= hi.as_f64().unwrap()
            );
        } else {
            assert!(lo.is_null() && hi.is_null());
        }
        assert!(!c["evidence"].as_array().unwrap().is_empty());
    }

    // By outlet: BASIL's three outlets, whatever case they are written in, plus PolNeAR's
    // undated text files; each series adds up to its cell.
    let s = summarize(&out, &["--by", "outlet", "--series", "20"]);
    let series = s["series"].as_array().unwrap();
    assert_eq!(series.len(), 20);
    let cells: HashMap<(&str, &str), u64> = s["matrix"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| {
            (
                (c["speaker"].as_str().unwrap(), c["party"].as_str().unwrap()),
                c["quotes"].as_u64().unwrap(),
            )
        })
        .collect();
    let mut outlets = std::collections::BTreeSet::new();
    for se in series {
        let points = se["points"].as_array().unwrap();
        let n: u64 = points.iter().map(|p| p["quotes"].as_u64().unwrap()).sum();
        assert_eq!(
            n,
            cells[&(
                se["speaker"].as_str().unwrap(),
                se["party"].as_str().unwrap()
            )]
        );
        outlets.extend(
            points
                .iter()
                .map(|p| p["period"].as_str().unwrap().to_string()),
        );
    }
    assert!(
        outlets.is_subset(
            &["(no outlet)", "fox", "hpo", "nyt"]
                .map(String::from)
                .into()
        ),
        "{outlets:?}"
    );
    assert!(outlets.len() >= 3, "{outlets:?}");

    // By month: BASIL's dates (2010–2019) as YYYY-MM, for the pairs asked for.
    let s = summarize(
        &out,
        &[
            "--by",
            "month",
            "--speaker",
            "Donald Trump",
            "--party",
            "Hillary Clinton",
        ],
    );
    let series = s["series"].as_array().unwrap();
    assert!(!series.is_empty());
    for se in series {
        assert_eq!(se["party_name"], "Hillary Clinton");
        for p in se["points"].as_array().unwrap() {
            let period = p["period"].as_str().unwrap();
            assert!(
                period.len() == 7
                    && period[..4]
                        .parse::<u32>()
                        .is_ok_and(|y| (2010..=2019).contains(&y)),
                "{period}"
            );
        }
    }

    // The HTML report: one file, no network, with its heatmap, evidence and charts.
    let page = dir.path().join("summary.html");
    let o = bin()
        .args(["summarize", "--format", "html", "-o"])
        .arg(&page)
        .arg(&out)
        .output()
        .unwrap();
    assert_eq!(
        o.status.code(),
        Some(1),
        "the cut line is this command's bad input"
    );
    let html = std::fs::read_to_string(&page).unwrap();
    for want in [
        "<table class=\"heatmap\"",
        "<section class=\"evidence\" id=\"c0\"",
        "<polyline class=\"mean\"",
        "Donald Trump",
    ] {
        assert!(html.contains(want), "{want}");
    }
    for fetch in ["<script", "<link ", "src=\"http", "@import", "url(http"] {
        assert!(!html.contains(fetch), "self-contained, but has {fetch}");
    }
}
