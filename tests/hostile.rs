//! Hostile input at the command line: what an attacker or a careless pipeline feeds stancer.
//! Each test is the smallest input that showed a problem (issue 27): a panic, a lost line,
//! markup or terminal codes passed through, an output file replaced.

use std::process::{Command, Output};

fn bin() -> Command {
    Command::new(env!("CARGO_BIN_EXE_stancer"))
}

fn out(cmd: &mut Command) -> Output {
    let o = cmd.output().unwrap();
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(!err.contains("panicked"), "{err}");
    o
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
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("a.txt");
    let text = format!("Peskov\u{1b}]0;pwned\u{7} told reporters. {QUOTE}\u{1b}[2J");
    std::fs::write(&path, text).unwrap();
    let o = out(bin().args(["score", "--color", "never"]).arg(&path));
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

/// The adversarial generator the issue's 800 inputs came from, as a test with a fixed seed and
/// budget: cut UTF-8, every quotation-mark style unbalanced, HTML entities next to multi-byte
/// characters, non-English dates, control characters, JSON and JSON-lines edge cases. Every
/// input must decode to an article or a named error, never a caught panic (`internal`), and
/// extraction must finish on every article.
#[test]
fn generated_hostile_inputs_never_reach_a_panic() {
    use stancer::input::{jsonl, Article};
    let analyzer = stancer::Analyzer::new(Vec::new(), stancer::pairs::Scope::default()).unwrap();
    let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
    let (mut articles, mut errors) = (0, 0);
    for i in 0..600 {
        let (format, bytes) = hostile(&mut rng, i);
        let decoded: Vec<stancer::Result<Article>> = match format {
            Some(f) => vec![Article::from_bytes(&format!("in{i}"), &bytes, f)],
            None => jsonl::Reader::from_reader(
                "in.jsonl".as_ref(),
                Box::new(std::io::Cursor::new(bytes.clone())),
                None,
                1 << 20,
            )
            .map(|e| e.unwrap().article)
            .collect(),
        };
        for a in decoded {
            match a {
                Ok(a) => {
                    articles += 1;
                    assert!(!a.text.contains('\0'), "input {i}: NUL in text");
                    let r = analyzer.extract(&a);
                    assert!(
                        r.is_ok(),
                        "input {i}: {:?}\n{:?}",
                        r.err(),
                        String::from_utf8_lossy(&bytes)
                    );
                }
                Err(e) => {
                    errors += 1;
                    assert_ne!(
                        e.kind(),
                        "internal",
                        "input {i}: {e}\n{:?}",
                        String::from_utf8_lossy(&bytes)
                    );
                }
            }
        }
    }
    // The generator must produce both, or it tests nothing.
    assert!(
        articles > 300 && errors > 30,
        "{articles} articles, {errors} errors"
    );
}

/// xorshift64: a fixed sequence on every machine, no dependency.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
    fn pick<'a>(&mut self, xs: &[&'a str]) -> &'a str {
        xs[self.below(xs.len())]
    }
}

const MARKS: &[&str] = &[
    "\"", "'", "“", "”", "‘", "’", "«", "»", "„", "‹", "›", "「", "」", "`", "''", "``",
];
const WORDS: &[&str] = &[
    "Putin",
    "said",
    "Peskov",
    "the",
    "Kremlin",
    "he",
    "she",
    "told",
    "Trump",
    "Democrats",
    "slammed",
    "é",
    "août",
    "марта",
    "&",
    "&amp",
    "&#",
    "&#0;",
    "&#x1F600;",
    "&é;",
    "<",
    ">",
    "\u{1b}[31m",
    "\u{1b}]0;x\u{7}",
    "\u{202e}",
    "\t",
    "\r",
    "\n",
    "\n\n",
    "—",
    ",",
    ".",
    ":",
    ";",
    "(",
    ")",
    "U.S.",
    "Mr.",
    "🙂",
    "\u{feff}",
    "according",
    "to",
    "emphasized",
    "that",
    "javascript:alert(1)",
    "=cmd",
    "@x",
];
const DATES: &[&str] = &[
    "1 août 2019",
    "25 марта 2019",
    "3. März 2019",
    "é 2019",
    "Jan 99, 2019",
    "Sept. 31 2019 25:61",
    "2019-02-29",
    "Ünï 1, 2019",
    "1 décembre 2019",
    "99999999999999",
    "2019-13-45T99:99",
];

fn hostile_text(rng: &mut Rng) -> String {
    let n = 1 + rng.below(200);
    let mut out = String::new();
    for _ in 0..n {
        out.push_str(if rng.below(10) < 3 {
            rng.pick(MARKS)
        } else {
            rng.pick(WORDS)
        });
        if rng.below(3) > 0 {
            out.push(' ');
        }
    }
    out
}

/// Input `i`: its format (`None` for JSON lines) and bytes.
fn hostile(rng: &mut Rng, i: usize) -> (Option<stancer::InputFormat>, Vec<u8>) {
    use stancer::InputFormat::{Html, Json, Text};
    let t = hostile_text(rng);
    let date = rng.pick(DATES);
    match i % 7 {
        0 => (Some(Text), t.into_bytes()),
        1 => {
            let b = t.into_bytes();
            let cut = rng.below(b.len() + 1);
            (Some(Text), b[..cut].to_vec())
        }
        2 => (
            Some(Html),
            format!(
                "<html><head><title>{}</title><link rel=\"canonical\" href=\"JaVaScRiPt:alert(1)\">\
                 <meta property=\"article:published_time\" content=\"{date}\"></head><body><p>{t}</p></body></html>",
                hostile_text(rng)
            )
            .into_bytes(),
        ),
        3 => (
            Some(Json),
            serde_json::json!({"title": hostile_text(rng), "text": t, "date": date, "url": "javascript:x"})
                .to_string()
                .into_bytes(),
        ),
        4 => (Some(Html), format!("&{t}&").into_bytes()),
        5 => (
            Some(Json),
            format!("{{\"text\": \"{}\\u0000\", \"date\": {}}}", t.replace(['"', '\\'], ""), rng.next())
                .into_bytes(),
        ),
        _ => {
            let mut b = b"\xEF\xBB\xBF".to_vec();
            for _ in 0..1 + rng.below(4) {
                let line = match rng.below(4) {
                    0 => serde_json::json!({"id": rng.next(), "text": hostile_text(rng), "date": date}).to_string(),
                    1 => hostile_text(rng),
                    2 => serde_json::json!({"text": format!("{}\u{0}", hostile_text(rng))}).to_string(),
                    _ => String::new(),
                };
                b.extend_from_slice(line.as_bytes());
                if rng.below(5) == 0 {
                    b.extend_from_slice(b"\xff\xfe");
                }
                b.push(b'\n');
            }
            (None, b)
        }
    }
}

#[cfg(unix)]
#[test]
fn file_names_that_differ_in_non_utf8_bytes_are_two_inputs() {
    use std::os::unix::ffi::OsStrExt;
    let dir = tempfile::tempdir().unwrap();
    let corpus = dir.path().join("corpus");
    std::fs::create_dir(&corpus).unwrap();
    for name in [&b"x\xff.txt"[..], &b"x\xfe.txt"[..]] {
        let p = corpus.join(std::ffi::OsStr::from_bytes(name));
        std::fs::write(p, QUOTE).unwrap();
    }
    let results = dir.path().join("out.jsonl");
    let batch = |extra: &[&str]| {
        out(bin()
            .args(["batch", "--out"])
            .arg(&results)
            .arg(&corpus)
            .args(extra))
    };
    assert_eq!(batch(&[]).status.code(), Some(0));
    let text = std::fs::read_to_string(&results).unwrap();
    let mut paths: Vec<String> = text
        .lines()
        .map(|l| {
            serde_json::from_str::<serde_json::Value>(l).unwrap()["path"]
                .as_str()
                .unwrap()
                .to_string()
        })
        .collect();
    paths.sort();
    assert_eq!(paths.len(), 2);
    assert!(
        paths[0].ends_with("x\\xfe.txt") && paths[1].ends_with("x\\xff.txt"),
        "{paths:?}"
    );
    // --resume knows both are done, and neither is redone or lost.
    let o = batch(&["--resume"]);
    assert_eq!(o.status.code(), Some(0));
    assert!(
        String::from_utf8_lossy(&o.stderr).contains("2 skipped"),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    assert_eq!(
        std::fs::read_to_string(&results).unwrap().lines().count(),
        2
    );
}
