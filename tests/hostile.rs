//! Hostile input at the command line: what an attacker or a careless pipeline feeds stancer.
//! Each test is the smallest input that showed a problem (issue 27): a panic, a lost line,
//! markup or terminal codes passed through, an output file replaced.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn bin() -> Command {
    Command::new(env!("CARGO_BIN_EXE_stancer"))
}

fn seed() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/articles/us-russia-relations.txt")
}

fn out(cmd: &mut Command) -> Output {
    let o = cmd.output().unwrap();
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(!err.contains("panicked"), "{err}");
    o
}

fn lines(o: &Output) -> Vec<serde_json::Value> {
    String::from_utf8_lossy(&o.stdout)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

const QUOTE: &str = "Kremlin spokesman Dmitry Peskov said: “Washington has destroyed all trust.”";

#[test]
fn inputs_that_panicked_are_read_and_every_file_gets_its_line() {
    let dir = tempfile::tempdir().unwrap();
    let files: [(&str, String); 3] = [
        // A bare `&` before multi-byte characters (HTML entity decoding).
        ("entity.html", format!("<p>R&éééééé; {QUOTE}</p>")),
        // A French month name in the metadata (date parsing).
        (
            "date.json",
            serde_json::json!({"text": QUOTE, "date": "1 août 2019"}).to_string(),
        ),
        ("plain.txt", QUOTE.to_string()),
    ];
    for (name, body) in &files {
        std::fs::write(dir.path().join(name), body).unwrap();
    }
    let results = dir.path().join("out.jsonl");
    let o = out(bin()
        .args(["batch", "--out"])
        .arg(&results)
        .arg(dir.path())
        .args(["--glob", "*.{html,json,txt}"]));
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    let text = std::fs::read_to_string(&results).unwrap();
    let ls: Vec<serde_json::Value> = text
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(ls.len(), 3);
    for l in &ls {
        assert!(l.get("error").is_none(), "{l}");
        assert_eq!(
            l["quotes"][0]["speaker"]["mention"]["text"],
            "Kremlin spokesman Dmitry Peskov"
        );
    }
    let dated = ls
        .iter()
        .find(|l| l["path"].as_str().unwrap().ends_with("date.json"))
        .unwrap();
    assert_eq!(dated["article"]["published"], "2019-08-01");
}

#[test]
fn pages_from_inputs_with_one_name_are_kept_apart_and_never_replaced() {
    let dir = tempfile::tempdir().unwrap();
    for sub in ["a", "b"] {
        std::fs::create_dir(dir.path().join(sub)).unwrap();
        std::fs::write(
            dir.path().join(sub).join("x.txt"),
            format!("{sub}: {QUOTE}"),
        )
        .unwrap();
    }
    let pages = dir.path().join("pages");
    let score = |extra: &[&str]| {
        out(bin()
            .args(["score", "--format", "html", "--html-dir"])
            .arg(&pages)
            .args(extra)
            .arg(dir.path().join("a/x.txt"))
            .arg(dir.path().join("b/x.txt")))
    };
    let o = score(&[]);
    assert_eq!(o.status.code(), Some(0));
    let mut names: Vec<String> = std::fs::read_dir(&pages)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().to_string())
        .collect();
    names.sort();
    assert_eq!(names.len(), 2, "{names:?}");
    assert_eq!(names[1], "x.html");
    assert!(names[0].starts_with("x-") && names[0].len() == "x-12345678.html".len());
    let b_page = std::fs::read_to_string(pages.join(&names[0])).unwrap();
    assert!(
        b_page.contains("b: "),
        "the second input's page holds the second input"
    );

    // A second run does not replace them without --force; it says so, once per page.
    let o = score(&[]);
    assert_eq!(o.status.code(), Some(1));
    let err = String::from_utf8_lossy(&o.stderr);
    assert_eq!(err.matches("pass --force to overwrite").count(), 2, "{err}");
    assert!(
        err.contains("cannot write") && !err.contains("cannot read"),
        "{err}"
    );
    assert_eq!(score(&["--force"]).status.code(), Some(0));
}

#[test]
fn jsonl_lines_without_an_id_get_pages_of_their_own() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("in.jsonl");
    let body: String = (0..3)
        .map(|i| serde_json::json!({"text": format!("{i}. {QUOTE}")}).to_string() + "\n")
        .collect();
    std::fs::write(&input, body).unwrap();
    let pages = dir.path().join("../pages-outside");
    let o = out(bin()
        .args(["score", "--format", "html", "--html-dir"])
        .arg(dir.path().join("pages"))
        .arg("--jsonl")
        .arg(&input));
    assert_eq!(o.status.code(), Some(0));
    assert_eq!(
        std::fs::read_dir(dir.path().join("pages")).unwrap().count(),
        3
    );
    assert!(!pages.exists());
}

#[test]
fn links_are_web_addresses_only_and_cells_are_not_formulas() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("in.jsonl");
    let line = serde_json::json!({
        "id": "=1+1",
        "text": QUOTE,
        "url": "JaVaScRiPt:alert(document.domain)",
        "title": "Talks"
    });
    std::fs::write(&input, format!("{line}\n")).unwrap();
    let results = dir.path().join("r.jsonl");
    let o = out(bin()
        .args(["score", "--format", "jsonl", "--jsonl"])
        .arg(&input));
    assert_eq!(o.status.code(), Some(0));
    std::fs::write(&results, &o.stdout).unwrap();
    let o = out(bin()
        .args(["summarize", "--format", "html", "--min-quotes", "1"])
        .arg(&results));
    let page = String::from_utf8_lossy(&o.stdout);
    assert!(page.contains("Talks"), "the evidence is listed");
    assert!(
        !page.to_ascii_lowercase().contains("javascript:alert"),
        "{page}"
    );

    let o = out(bin()
        .args(["score", "--format", "csv", "--jsonl"])
        .arg(&input));
    let csv = String::from_utf8_lossy(&o.stdout);
    // The article column holds the line's id; a spreadsheet must show it, not compute it.
    assert!(csv.lines().nth(1).unwrap().starts_with("'=1+1,"), "{csv}");
}

#[test]
fn article_text_cannot_drive_the_terminal() {
    use std::io::Write;
    let text = format!("Peskov\u{1b}]0;pwned\u{7} told reporters. {QUOTE}\u{1b}[2J");
    let mut child = bin()
        .args(["score", "-", "--color", "never"])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(text.as_bytes())
        .unwrap();
    let o = child.wait_with_output().unwrap();
    assert_eq!(o.status.code(), Some(0));
    let table = String::from_utf8_lossy(&o.stdout);
    assert!(
        table.contains("Washington has destroyed all trust"),
        "{table}"
    );
    assert!(
        !table.contains('\u{1b}') && !table.contains('\u{7}'),
        "{table:?}"
    );
}
