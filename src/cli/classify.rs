//! `stancer classify`: your own (text, target) pairs, scored by the model, as JSON lines.

use std::io::{BufRead, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{Context, Result};
use clap::Args;

use super::args::ModelArgs;
use stancer::engine::{Engine, Pair};

#[derive(Args)]
pub struct ClassifyArgs {
    /// JSON lines {"id"?, "text", "target", "holder"?, "target_span"?: [start, end]}; - or nothing for stdin
    input: Option<PathBuf>,
    #[command(flatten)]
    model: ModelArgs,
}

#[derive(serde::Deserialize)]
struct ClassifyLine {
    text: String,
    target: String,
    #[serde(default)]
    holder: Option<String>,
    /// One mention of the target (char offsets), or several with `target_spans`.
    #[serde(default)]
    target_span: Option<(usize, usize)>,
    #[serde(default)]
    target_spans: Vec<(usize, usize)>,
    /// Mentions of the holder (char offsets); looked up by name when absent.
    #[serde(default)]
    holder_spans: Vec<(usize, usize)>,
}

pub fn run(a: ClassifyArgs) -> Result<ExitCode> {
    let engine = Engine::load(&a.model.source(), &a.model.engine_config()?)?;
    let (name, mut input) = open_input(a.input.as_deref())?;
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    let mut failed = 0;
    // Read 1,024 lines, then score them in one call so padding buckets fill up.
    let mut n = 0;
    loop {
        let mut chunk = Vec::new();
        while chunk.len() < 1024 {
            let mut buf = Vec::new();
            let read = input
                .read_until(b'\n', &mut buf)
                .with_context(|| format!("{name}: cannot read line {}", n + 1))?;
            if read == 0 {
                break;
            }
            let line = stancer::input::jsonl::line_bytes(n + 1, &buf);
            if !line.is_empty() {
                chunk.push(parse_line(&name, n, line));
            }
            n += 1;
        }
        if chunk.is_empty() {
            break;
        }
        for line in score_chunk(&engine, chunk) {
            if line.get("error").is_some() {
                failed += 1;
                eprintln!(
                    "stancer: {}",
                    line["error"]["message"].as_str().unwrap_or("")
                );
            }
            writeln!(out, "{line}").context("writing standard output")?;
        }
    }
    out.flush().context("writing standard output")?;
    Ok(super::exit_code(failed))
}

/// One record per parsed line, in order: its scores, or its error (the line's, or the model's
/// on that pair alone when the chunk's call failed, so one bad pair never costs the others).
fn score_chunk(engine: &Engine, chunk: Vec<Parsed>) -> Vec<serde_json::Value> {
    // The pairs move to the engine; each line keeps its id and target (or its error).
    let mut pairs = Vec::new();
    let lines: Vec<_> = chunk
        .into_iter()
        .map(|parsed| {
            parsed.map(|(pair, id)| {
                let target = pair.target.clone();
                pairs.push(pair);
                (id, target)
            })
        })
        .collect();
    let mut scores = match engine.score(&pairs) {
        Ok(s) => s.into_iter().map(Ok).collect::<Vec<_>>(),
        Err(_) => pairs
            .iter()
            .map(|p| {
                engine
                    .score(std::slice::from_ref(p))
                    .map(|mut s| s.remove(0))
            })
            .collect(),
    }
    .into_iter();
    lines
        .into_iter()
        .map(|line| match line {
            Ok((id, target)) => match scores.next().expect("one score per pair") {
                Ok(s) => serde_json::json!({"id": id, "target": target, "stance": s.stance, "sentiment": s.sentiment, "truncated": s.truncated}),
                Err(e) => error_record(id, e.kind(), e.to_string()),
            },
            Err((id, kind, message)) => error_record(id, kind, message),
        })
        .collect()
}

fn error_record(id: serde_json::Value, kind: &str, message: String) -> serde_json::Value {
    serde_json::json!({"id": id, "error": {"kind": kind, "message": message}})
}

/// The input's name and reader: the file, or standard input for none or `-`.
fn open_input(path: Option<&Path>) -> Result<(String, Box<dyn BufRead>)> {
    Ok(match path {
        Some(p) if p != Path::new("-") => {
            let f = std::fs::File::open(p)
                .with_context(|| format!("{}: cannot read (JSON lines expected)", p.display()))?;
            (
                p.display().to_string(),
                Box::new(std::io::BufReader::new(f)),
            )
        }
        _ => (
            "-".into(),
            Box::new(std::io::BufReader::new(std::io::stdin())),
        ),
    })
}

/// A line's pair and its id, or its id, error kind and message.
type Parsed =
    std::result::Result<(Pair, serde_json::Value), (serde_json::Value, &'static str, String)>;

/// Line `n` (0-based) of input `name` as a pair and its id. A line without an `id` is
/// named `NAME:LINE` in its record; a line that is not UTF-8 or not JSON is that line's error.
fn parse_line(name: &str, n: usize, bytes: &[u8]) -> Parsed {
    let at = format!("{name}:{}", n + 1);
    // A line that is not UTF-8 is still read (lossily) for its id, so its error record can
    // carry the id the caller gave it.
    let text = String::from_utf8_lossy(bytes);
    let not_utf8 = std::str::from_utf8(bytes).err().map(|e| e.valid_up_to());
    let value = serde_json::from_str::<serde_json::Value>(&text);
    let id = match value.as_ref().ok().and_then(|v| v.get("id")) {
        Some(v @ (serde_json::Value::String(_) | serde_json::Value::Number(_))) => v.clone(),
        _ => serde_json::Value::String(at.clone()),
    };
    if let Some(offset) = not_utf8 {
        return Err((id, "not_utf8", format!("{at}: not UTF-8 at byte {offset}")));
    }
    let value = value.map_err(|e| (id.clone(), "bad_json", format!("{at}: {e}")))?;
    let c = serde_json::from_value::<ClassifyLine>(value)
        .map_err(|e| (id.clone(), "bad_pair", format!("{at}: {e}")))?;
    if c.text.trim().is_empty() || c.target.trim().is_empty() {
        return Err((id, "bad_pair", format!("{at}: empty text or target")));
    }
    let chars = c.text.chars().count();
    let valid = |v: Vec<(usize, usize)>| -> Vec<(usize, usize)> {
        v.into_iter()
            .filter(|(s, e)| s < e && *e <= chars)
            .collect()
    };
    let target_spans = valid(c.target_span.into_iter().chain(c.target_spans).collect());
    let pair = Pair {
        text: c.text,
        target: c.target,
        holder: c.holder,
        target_spans,
        holder_spans: valid(c.holder_spans),
    };
    Ok((pair, id))
}
