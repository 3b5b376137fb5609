//! The command line on real articles: what a person, a program and a batch job see.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

fn bin() -> Command {
    Command::new(env!("CARGO_BIN_EXE_stancer"))
}

fn seed() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/articles/us-russia-relations.txt")
}

fn run(cmd: &mut Command) -> Output {
    cmd.output().expect("stancer runs")
}

fn stdout(o: &Output) -> String {
    String::from_utf8(o.stdout.clone()).unwrap()
}

fn with_stdin(cmd: &mut Command, input: impl AsRef<[u8]>) -> Output {
    let mut child = cmd
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(input.as_ref())
        .unwrap();
    child.wait_with_output().unwrap()
}

#[test]
fn table_for_people() {
    let o = run(bin().arg("score").arg(seed()));
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let t = stdout(&o);
    for want in [
        "11 quotes",
        "Dmitry Peskov",
        "Sergey Ryabkov",
        "Vladimir Putin",
        "Sergey Lavrov",
        "Summary",
        "previous U.S. adminis",
    ] {
        assert!(t.contains(want), "missing {want:?} in\n{t}");
    }
    // not a terminal: no colour codes
    assert!(!t.contains('\x1b'));
}

#[test]
fn json_contract_and_char_offsets() {
    let o = run(bin()
        .args(["score", "--format", "json", "--include-text"])
        .arg(seed()));
    assert!(o.status.success());
    let r: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    assert_eq!(r["schema_version"], 1);
    assert_eq!(r["article"]["sha256"].as_str().unwrap().len(), 64);
    let text = r["article"]["text"].as_str().unwrap();
    assert_eq!(
        r["article"]["chars"].as_u64().unwrap() as usize,
        text.chars().count()
    );
    let field = |v: &serde_json::Value| -> String {
        let (s, e) = (
            v["start"].as_u64().unwrap() as usize,
            v["end"].as_u64().unwrap() as usize,
        );
        text.chars().skip(s).take(e - s).collect()
    };
    let quotes = r["quotes"].as_array().unwrap();
    assert_eq!(quotes.len(), 11);
    for q in quotes {
        assert_eq!(field(q), q["text"].as_str().unwrap());
        assert_eq!(field(&q["cue"]), q["cue"]["text"].as_str().unwrap());
        assert_eq!(
            field(&q["speaker"]["mention"]),
            q["speaker"]["mention"]["text"].as_str().unwrap()
        );
        for s in q["stances"].as_array().unwrap() {
            let total: f64 = s["scores"]
                .as_object()
                .unwrap()
                .values()
                .map(|v| v.as_f64().unwrap())
                .sum();
            assert!((total - 1.0).abs() < 1e-3);
            assert!(["favor", "against", "neutral"].contains(&s["label"].as_str().unwrap()));
        }
    }
    let entities = r["entities"].as_array().unwrap();
    for e in entities {
        assert!(
            ["person", "organization", "location", "misc"].contains(&e["type"].as_str().unwrap())
        );
        for m in e["mentions"].as_array().unwrap() {
            assert_eq!(field(m), m["text"].as_str().unwrap());
            assert!(["name", "pronoun", "nominal"].contains(&m["kind"].as_str().unwrap()));
        }
    }
    let peskov = entities
        .iter()
        .find(|e| e["name"] == "Dmitry Peskov")
        .unwrap();
    assert_eq!(peskov["type"], "person");
    assert_eq!(peskov["party"], "DMITRY_PESKOV");
    let kinds: Vec<(&str, &str)> = peskov["mentions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| (m["text"].as_str().unwrap(), m["kind"].as_str().unwrap()))
        .collect();
    // "Dmitry Peskov mentioned … He emphasized … Peskov also noted … he added"
    assert_eq!(
        kinds,
        [
            ("Dmitry Peskov", "name"),
            ("He", "pronoun"),
            ("Peskov", "name"),
            ("he", "pronoun")
        ]
    );
    let speakers = r["speakers"].as_array().unwrap();
    for name in ["Dmitry Peskov", "Sergey Ryabkov", "Sergey Lavrov"] {
        let s = speakers.iter().find(|s| s["name"] == name).unwrap();
        assert_eq!(s["affiliation"], "RUS", "{name}");
    }
    let parties: Vec<&str> = r["parties"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["id"].as_str().unwrap())
        .collect();
    for id in [
        "USA",
        "RUS",
        "UKR",
        "EU",
        "SAU",
        "DONALD_TRUMP",
        "VLADIMIR_PUTIN",
        "GOV_BIDEN_ADMINISTRATION",
    ] {
        assert!(parties.contains(&id), "{id} not in {parties:?}");
    }
    for p in r["parties"].as_array().unwrap() {
        for m in p["mentions"].as_array().unwrap() {
            assert_eq!(field(m), m["text"].as_str().unwrap());
        }
    }
    assert!(!r["summary"]["matrix"].as_array().unwrap().is_empty());
}

#[test]
fn country_level_folds_people_into_countries() {
    let o = run(bin()
        .args(["score", "--format", "json", "--level", "country"])
        .arg(seed()));
    let r: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    let cells = r["summary"]["matrix"].as_array().unwrap();
    assert!(
        cells
            .iter()
            .any(|c| c["speaker"] == "RUS" && c["party"] == "USA"),
        "{cells:#?}"
    );
    assert!(cells.iter().all(|c| c["party"] != "DONALD_TRUMP"));
}

#[test]
fn a_statement_said_together_is_each_speakers_stance() {
    // SEESAW valid TRIPLET_059: Trump accused the FBI with his supporters; the FBI is his
    // target too, and Trump is none of his own.
    let text = "President Donald Trump and his supporters have accused the FBI and the \
                Department of Justice of illegally monitoring Trump's campaign.";
    let o = with_stdin(bin().args(["score", "-", "--format", "json"]), text);
    assert!(o.status.success());
    let r: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    let trump = r["speakers"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["name"] == "Donald Trump")
        .expect("Trump speaks")["id"]
        .clone();
    let q = &r["quotes"][0];
    assert_eq!(q["co_speakers"][0]["id"], trump, "{q:#}");
    assert_eq!(
        q["co_speakers"][0]["mention"]["text"],
        "President Donald Trump"
    );
    let cells = r["summary"]["matrix"].as_array().unwrap();
    let of_trump: Vec<&str> = cells
        .iter()
        .filter(|c| c["speaker"] == trump)
        .map(|c| c["party"].as_str().unwrap())
        .collect();
    assert!(of_trump.contains(&"FBI"), "{cells:#?}");
    assert!(!of_trump.contains(&"DONALD_TRUMP"), "{cells:#?}");
}

#[test]
fn stdin_csv_and_html() {
    let text = std::fs::read_to_string(seed()).unwrap();
    let o = with_stdin(bin().args(["score", "-", "--format", "csv"]), &text);
    assert!(o.status.success());
    let csv = stdout(&o);
    assert!(csv.starts_with("article,quote,kind,speaker"));
    let header: Vec<&str> = csv.lines().next().unwrap().split(',').collect();
    assert_eq!(header[header.len() - 2..], ["found_by", "co_speakers"]);
    // The seed article's quotes are all found by the rules, each said by one person.
    assert!(csv.lines().skip(1).all(|l| l.ends_with(",rules,")), "{csv}");
    assert!(csv.lines().count() > 10);

    let dir = tempfile::tempdir().unwrap();
    let o = run(bin()
        .args(["score", "--format", "html", "--html-dir"])
        .arg(dir.path())
        .arg(seed()));
    assert!(o.status.success());
    let page = std::fs::read_to_string(dir.path().join("us-russia-relations.html")).unwrap();
    assert!(
        page.contains("<mark") && page.contains("class=\"grid\"") && page.contains("Sergey Lavrov")
    );
}

#[test]
fn bad_inputs_are_named_and_never_panic() {
    let dir = tempfile::tempdir().unwrap();
    let cases: [(&str, &[u8], &str); 4] = [
        ("empty.txt", b"", "empty"),
        ("binary.txt", b"GIF89a\0\0\x01", "looks binary"),
        ("latin1.txt", b"Le caf\xe9 est ferm\xe9.", "not valid UTF-8"),
        (
            "cut.json",
            b"{\"title\": \"Talks\", \"text\": \"Lavrov said",
            "bad JSON",
        ),
    ];
    for (name, bytes, msg) in cases {
        let p = dir.path().join(name);
        std::fs::write(&p, bytes).unwrap();
        let o = run(bin().arg("score").arg(&p));
        let err = String::from_utf8_lossy(&o.stderr);
        assert_eq!(o.status.code(), Some(1), "{name}: {err}");
        assert!(err.contains(name) && err.contains(msg), "{name}: {err}");
        assert!(!err.contains("panicked"));
    }
    let o = run(bin().args(["score", "--max-bytes", "100"]).arg(seed()));
    assert_eq!(o.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&o.stderr).contains("over the limit of 100 bytes"));
}

#[test]
fn missing_model_is_a_usage_error() {
    let o = run(bin()
        .args(["score", "--model", "/nonexistent/model"])
        .arg(seed()));
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("/nonexistent/model"));
}

fn batch_dir() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let text = std::fs::read_to_string(seed()).unwrap();
    std::fs::create_dir_all(d.join("2025/02")).unwrap();
    std::fs::write(d.join("2025/02/seed.txt"), &text).unwrap();
    let html = format!(
        "<html><head><title>Talks</title><script>x()</script></head><body><p>{}</p></body></html>",
        text.replace("\n", "</p><p>").replace('"', "&quot;")
    );
    std::fs::write(d.join("2025/seed.html"), html).unwrap();
    std::fs::write(
        d.join("seed.json"),
        serde_json::json!({"title": "Talks", "text": text}).to_string(),
    )
    .unwrap();
    std::fs::write(d.join("empty.txt"), "").unwrap();
    std::fs::write(d.join("binary.txt"), b"\x89PNG\0\0").unwrap();
    std::fs::write(d.join("latin1.txt"), b"caf\xe9").unwrap();
    std::fs::write(
        d.join("big.txt"),
        "Peskov said relations improved. ".repeat(400),
    )
    .unwrap();
    std::fs::write(d.join(".hidden.txt"), &text).unwrap();
    std::fs::write(d.join("notes.csv"), "a,b").unwrap();
    dir
}

/// `stancer batch DIR --out OUT [extra…]`.
fn batch(dir: &Path, out: &Path, extra: &[&str]) -> Output {
    run(bin()
        .arg("batch")
        .arg(dir)
        .arg("--out")
        .arg(out)
        .args(extra))
}

fn lines(path: &Path) -> Vec<serde_json::Value> {
    std::fs::read_to_string(path)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

#[test]
fn batch_writes_one_line_per_file_and_reports_errors() {
    let dir = batch_dir();
    let out = dir.path().join("out.jsonl");
    let o = batch(dir.path(), &out, &["--max-bytes", "10000"]);
    assert_eq!(
        o.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    let ls = lines(&out);
    assert_eq!(ls.len(), 7, "{ls:#?}");
    let kind = |name: &str| -> String {
        let l = ls
            .iter()
            .find(|l| l["path"].as_str().unwrap().ends_with(name))
            .unwrap_or_else(|| panic!("no line for {name}"));
        l["error"]["kind"]
            .as_str()
            .map(str::to_string)
            .unwrap_or_else(|| "ok".into())
    };
    assert_eq!(kind("empty.txt"), "empty");
    assert_eq!(kind("binary.txt"), "binary");
    assert_eq!(kind("latin1.txt"), "not_utf8");
    assert_eq!(kind("big.txt"), "too_large");
    for good in ["seed.txt", "seed.html", "seed.json"] {
        assert_eq!(kind(good), "ok");
        let l = ls
            .iter()
            .find(|l| l["path"].as_str().unwrap().ends_with(good))
            .unwrap();
        assert!(l["quotes"].as_array().unwrap().len() >= 10, "{good}");
    }
    let summary = String::from_utf8_lossy(&o.stderr);
    assert!(summary.contains("7 files: 3 ok, 4 failed"), "{summary}");
    // a second run without --resume refuses to clobber the results
    let o = batch(dir.path(), &out, &[]);
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("--resume"));
}

#[test]
fn resume_scores_only_what_is_missing() {
    let dir = batch_dir();
    let out = dir.path().join("out.jsonl");
    // An interrupted run: half the files done, then a line cut short by a crash.
    let o = batch(
        dir.path(),
        &out,
        &["--shard", "0/2", "--max-bytes", "10000"],
    );
    assert!(o.status.code() == Some(1) || o.status.success());
    let first = std::fs::read_to_string(&out).unwrap();
    let done = first.lines().count();
    assert!(done > 0 && done < 7);
    std::fs::OpenOptions::new()
        .append(true)
        .open(&out)
        .unwrap()
        .write_all(b"{\"path\": \"half a li")
        .unwrap();

    let o = batch(dir.path(), &out, &["--resume", "--max-bytes", "10000"]);
    assert_eq!(o.status.code(), Some(1));
    let after = std::fs::read_to_string(&out).unwrap();
    assert!(
        after.starts_with(&first),
        "earlier lines must stay as they were"
    );
    let ls = lines(&out);
    assert_eq!(ls.len(), 7);
    let mut paths: Vec<&str> = ls.iter().map(|l| l["path"].as_str().unwrap()).collect();
    paths.sort();
    paths.dedup();
    assert_eq!(paths.len(), 7, "each file exactly once");
    assert!(String::from_utf8_lossy(&o.stderr).contains(&format!("{done} skipped")));
}

#[test]
fn classify_pairs_in_order() {
    let mut input = concat!(
        "\u{FEFF}{\"id\": \"a\", \"text\": \"Putin praised Trump as a wise and rational leader.\", \"target\": \"Trump\", \"target_span\": [14, 19]}\n",
        "{\"id\": 2, \"text\": \"The United States has behaved shamefully and destroyed all trust.\", \"target\": \"United States\", \"holder\": \"Peskov\"}\n",
        "not json\n",
        "{\"id\": \"no-target\", \"text\": \"Lavrov spoke.\"}\n",
    )
    .as_bytes()
    .to_vec();
    input.extend_from_slice(b"{\"id\": \"latin1\", \"text\": \"caf\xe9\", \"target\": \"x\"}\n");
    let o = with_stdin(bin().arg("classify"), input);
    assert_eq!(o.status.code(), Some(1));
    let ls: Vec<serde_json::Value> = stdout(&o)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    // One record per line, always: the byte-order mark does not cost the first line, and a bad
    // line (not JSON, no target, not UTF-8) is that line's error, with its id where it has one.
    assert_eq!(ls.len(), 5);
    assert_eq!(ls[0]["id"], "a");
    assert_eq!(ls[1]["id"], 2);
    assert_eq!(ls[1]["target"], "United States");
    assert_eq!(ls[1]["stance"]["label"], "against");
    assert_eq!(ls[1]["sentiment"]["label"], "negative");
    assert!(
        ls[0]["stance"]["scores"]["favor"].as_f64().unwrap()
            > ls[0]["stance"]["scores"]["against"].as_f64().unwrap()
    );
    assert_eq!(ls[2]["error"]["kind"], "bad_json");
    assert_eq!(ls[2]["id"], "-:3");
    assert_eq!(ls[3]["error"]["kind"], "bad_pair");
    assert_eq!(ls[3]["id"], "no-target");
    assert_eq!(ls[4]["error"]["kind"], "not_utf8");
    assert_eq!(ls[4]["id"], "latin1");
}

#[test]
fn jsonl_worker_protocol_with_shards() {
    let text = std::fs::read_to_string(seed()).unwrap();
    let input: String = (0..4)
        .map(|i| serde_json::json!({"id": format!("doc{i}"), "text": text}).to_string() + "\n")
        .collect();
    let o = with_stdin(
        bin().args([
            "score", "--jsonl", "-", "--shard", "1/2", "--format", "jsonl",
        ]),
        &input,
    );
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let ids: Vec<String> = stdout(&o)
        .lines()
        .map(|l| {
            serde_json::from_str::<serde_json::Value>(l).unwrap()["article"]["id"]
                .as_str()
                .unwrap()
                .to_string()
        })
        .collect();
    assert_eq!(ids, ["doc1", "doc3"]);
}

#[test]
fn extract_needs_no_model() {
    let o = run(bin()
        .arg("extract")
        .arg(seed())
        .env("STANCER_MODEL", "/nonexistent"));
    assert!(o.status.success());
    let r: serde_json::Value = serde_json::from_str(stdout(&o).lines().next().unwrap()).unwrap();
    assert_eq!(r["quotes"].as_array().unwrap().len(), 11);
}

#[test]
fn extract_reads_json_lines_like_score() {
    let seed_text = std::fs::read_to_string(seed()).unwrap();
    let input = format!(
        "{}\nnot json\n{}\n",
        serde_json::json!({"id": "seed", "text": seed_text}),
        serde_json::json!({"id": 2, "text": "Lavrov said that Russia is ready to talk."})
    );
    let o = with_stdin(
        bin()
            .args(["extract", "--jsonl", "-"])
            .env("STANCER_MODEL", "/nonexistent"),
        &input,
    );
    assert_eq!(o.status.code(), Some(1), "one bad line");
    let lines: Vec<serde_json::Value> = stdout(&o)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(
        lines.len(),
        3,
        "one record per input line, the bad one included"
    );
    assert_eq!(lines[0]["article"]["id"], "seed");
    assert_eq!(lines[0]["quotes"].as_array().unwrap().len(), 11);
    assert_eq!(lines[1]["error"]["kind"], "bad_json");
    assert_eq!(lines[2]["article"]["id"], "2");
    assert_eq!(lines[2]["quotes"][0]["text"], "Russia is ready to talk");
}

#[test]
fn user_party_on_the_command_line() {
    let o = run(bin()
        .args([
            "score",
            "--format",
            "json",
            "--party",
            "Kremlin insiders:organization=Kremlin,Moscow",
        ])
        .arg(seed()));
    let r: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    let p = r["parties"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["name"] == "Kremlin insiders")
        .expect("user party");
    let m: Vec<&str> = p["mentions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["text"].as_str().unwrap())
        .collect();
    assert!(m.contains(&"Moscow") && m.contains(&"Kremlin"), "{m:?}");
}

#[test]
fn a_topic_is_a_target_like_a_party() {
    // Analysts ask who is for or against a policy: `--topic` makes an issue a target, matched in
    // any letter case, scored like a party and shown beside the parties.
    let text =
        "The European Union agreed new sanctions on Russia on Monday. \"These sanctions will \
                hurt ordinary people and solve nothing,\" Hungarian Prime Minister Viktor Orban \
                said.";
    let o = with_stdin(
        bin().args([
            "score",
            "-",
            "--format",
            "json",
            "--topic",
            "Sanctions=sanctions,embargo,restrictive measures",
        ]),
        text,
    );
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let r: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    let topic = r["parties"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["name"] == "Sanctions")
        .expect("the topic is a party of the report");
    assert_eq!(topic["kind"], "topic");
    let orban = r["quotes"]
        .as_array()
        .unwrap()
        .iter()
        .find(|q| q["text"].as_str().unwrap().starts_with("These sanctions"))
        .expect("Orban's quote");
    let stance = orban["stances"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["party"] == topic["id"])
        .expect("Orban's quote is scored toward the topic");
    assert_eq!(stance["basis"]["scope"], "quote");
    assert_eq!(stance["basis"]["mention"]["text"], "sanctions");
    // A topic has no kind to give: the error names the flag and exits 2.
    let o = run(bin()
        .args(["score", "--topic", "Sanctions:country=sanctions"])
        .arg(seed()));
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("--topic"));
}

#[test]
fn batch_survives_symlink_loops_and_unreadable_names() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    std::fs::create_dir_all(d.join("a")).unwrap();
    std::fs::copy(seed(), d.join("a/seed.txt")).unwrap();
    std::os::unix::fs::symlink(d, d.join("a/loop")).unwrap();
    let out = d.join("out.jsonl");
    let o = batch(d, &out, &["--glob", "*.txt"]);
    let err = String::from_utf8_lossy(&o.stderr);
    let ls = lines(&out);
    // the article is scored once; the loop is reported as an error record, not followed forever
    assert_eq!(
        ls.iter().filter(|l| l["error"].is_null()).count(),
        1,
        "{ls:#?}"
    );
    assert!(
        ls.iter()
            .any(|l| l["path"].as_str().unwrap().ends_with("loop") && l["error"]["kind"] == "io"),
        "{ls:#?} {err}"
    );
    assert_eq!(o.status.code(), Some(1));
}

#[test]
fn an_unresolved_speaker_is_shown_as_its_pronoun_and_left_out_of_the_summary() {
    // An excerpt that opens on "he": the quote is scored, its speaker is not guessed.
    let text = "\"Russia is wrong about Ukraine and the sanctions must stay,\" he conceded.";
    let o = with_stdin(bin().args(["score", "-", "--format", "json"]), text);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let r: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    let q = &r["quotes"][0];
    assert_eq!(q["speaker"]["mention"]["text"], "he");
    assert!(q["speaker"].get("id").is_none(), "{q}");
    assert!(!q["stances"].as_array().unwrap().is_empty(), "{q}");
    assert!(
        r["summary"]["matrix"].as_array().unwrap().is_empty(),
        "{}",
        r["summary"]
    );
    let o = with_stdin(bin().args(["score", "-"]), text);
    assert!(stdout(&o).contains("he (?)"), "{}", stdout(&o));
}

#[test]
fn records_carry_their_input_and_the_article_metadata() {
    let dir = tempfile::tempdir().unwrap();
    let page = dir.path().join("talks.html");
    std::fs::write(
        &page,
        "<html><head><title>Talks | Wire</title><meta property=\"og:site_name\" content=\"Wire\">\
         <meta property=\"article:published_time\" content=\"2016-11-07T14:03:21Z\">\
         <link rel=\"canonical\" href=\"https://wire.example/talks\"></head>\
         <body><p>Lavrov said that Russia is ready to talk.</p></body></html>",
    )
    .unwrap();
    let o = run(bin().arg("extract").arg(&page));
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let r: serde_json::Value = serde_json::from_str(stdout(&o).trim()).unwrap();
    assert_eq!(r["path"], page.display().to_string());
    let a = &r["article"];
    assert_eq!(
        (&a["title"], &a["outlet"], &a["published"], &a["url"]),
        (
            &"Talks | Wire".into(),
            &"Wire".into(),
            &"2016-11-07T14:03:21Z".into(),
            &"https://wire.example/talks".into()
        )
    );
    // --jsonl: the line's other fields are the metadata; records name the line by its id.
    let input = format!(
        "{}\n{}\n",
        serde_json::json!({"id": "n1", "text": "Lavrov said that Russia is ready to talk.",
            "date": "March 25, 2019", "source": "fox", "author": ["A. Writer", "B. Writer"]}),
        serde_json::json!({"id": "n2", "body": "no text field"})
    );
    let o = with_stdin(bin().args(["extract", "--jsonl", "-"]), &input);
    assert_eq!(o.status.code(), Some(1));
    let lines: Vec<serde_json::Value> = stdout(&o)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines[0]["id"], "n1");
    assert_eq!(lines[0]["article"]["published"], "2019-03-25");
    assert_eq!(lines[0]["article"]["outlet"], "fox");
    assert_eq!(lines[0]["article"]["author"], "A. Writer; B. Writer");
    assert_eq!(
        (&lines[1]["id"], &lines[1]["error"]["kind"]),
        (&"n2".into(), &"bad_json".into())
    );
    assert!(lines[1].get("path").is_none());
}

#[test]
fn summarize_reads_what_extract_writes_and_reports_bad_lines() {
    let o = run(bin().arg("extract").arg(seed()));
    let mut results = stdout(&o);
    results.push_str("this is not a record\n");
    let o = with_stdin(bin().args(["summarize", "-", "--format", "json"]), &results);
    assert_eq!(
        o.status.code(),
        Some(1),
        "a line that is not a record is bad input"
    );
    let s: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(s["inputs"]["reports"], 1);
    assert_eq!(s["inputs"]["error_kinds"]["bad_record"], 1);
    assert_eq!(s["inputs"]["quotes"], 11);
    assert!(String::from_utf8_lossy(&o.stderr).contains("1 of 2 records are errors"));
    let o = run(bin().args(["summarize", "/nonexistent/results.jsonl"]));
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("/nonexistent/results.jsonl: cannot open"));
}

#[test]
fn extract_pairs_show_what_the_model_reads() {
    let o = run(bin().args(["extract", "--pairs"]).arg(seed()));
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let pairs = stdout(&o);
    let lines: Vec<serde_json::Value> = pairs
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let o = run(bin().args(["score", "--format", "json"]).arg(seed()));
    let report: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    let text = std::fs::read_to_string(seed()).unwrap();
    let chars: Vec<char> = text.chars().collect();
    // One line per scored (quote, party), in the report's order, and its text is the article's
    // window it names: Peskov's "He emphasized that …" with "He" marked as the speaker.
    let scored: Vec<(String, String)> = report["quotes"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|q| {
            q["stances"].as_array().unwrap().iter().map(move |s| {
                (
                    q["id"].as_str().unwrap().to_string(),
                    s["party"].as_str().unwrap().to_string(),
                )
            })
        })
        .collect();
    let listed: Vec<(String, String)> = lines
        .iter()
        .map(|l| {
            (
                l["quote"].as_str().unwrap().to_string(),
                l["party"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    assert_eq!(listed, scored);
    for l in &lines {
        let (s, e) = (
            l["window"][0].as_u64().unwrap() as usize,
            l["window"][1].as_u64().unwrap() as usize,
        );
        assert_eq!(
            chars[s..e].iter().collect::<String>(),
            l["text"].as_str().unwrap()
        );
    }
    let peskov = lines
        .iter()
        .find(|l| {
            l["text"]
                .as_str()
                .unwrap()
                .starts_with("He emphasized that the previous U.S. administration")
        })
        .expect("Peskov's reported statement is a pair");
    assert_eq!(peskov["holder"], "Dmitry Peskov");
    assert_eq!(peskov["holder_spans"][0], serde_json::json!([0, 2]));
    assert_eq!(peskov["basis"], "quote");
    // Classifying the lines gives the scores the report gives each pair.
    let o = with_stdin(bin().arg("classify"), pairs.as_bytes());
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let classified: Vec<serde_json::Value> = stdout(&o)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let stances = report["quotes"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|q| q["stances"].as_array().unwrap().iter());
    assert_eq!(classified.len(), lines.len());
    for (c, s) in classified.iter().zip(stances) {
        for label in ["against", "favor", "neutral"] {
            let (a, b) = (
                c["stance"]["scores"][label].as_f64().unwrap(),
                s["scores"][label].as_f64().unwrap(),
            );
            assert!(
                (a - b).abs() < 1e-4,
                "{label}: classify {a}, score {b} for {s}"
            );
        }
    }
}
