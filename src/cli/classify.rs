//! `stancer classify`: your own (text, target) pairs, scored by the model, as JSON lines.

use std::io::{Read, Write};
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
    #[serde(default)]
    id: Option<serde_json::Value>,
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
    let input = read_input(a.input.as_deref())?;
    let name = a
        .input
        .as_ref()
        .map(|p| p.display().to_string())
        .unwrap_or_else(|| "-".into());
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    let mut failed = 0;
    // Parse everything first, then score in big batches so padding buckets fill up.
    let lines: Vec<(usize, &str)> = input
        .lines()
        .enumerate()
        .filter(|(_, l)| !l.trim().is_empty())
        .collect();
    for chunk in lines.chunks(1024) {
        let mut pairs = Vec::new();
        let mut meta = Vec::new();
        for (n, l) in chunk {
            match parse_line(&name, *n, l) {
                Ok((pair, id)) => {
                    meta.push(Ok((id, pair.target.clone())));
                    pairs.push(pair);
                }
                Err(e) => {
                    failed += 1;
                    meta.push(Err(e));
                }
            }
        }
        let scores = engine.score(&pairs)?;
        let mut it = scores.into_iter();
        for m in meta {
            let line = match m {
                Ok((id, target)) => {
                    let s = it.next().expect("one score per pair");
                    serde_json::json!({"id": id, "target": target, "stance": s.stance, "sentiment": s.sentiment, "truncated": s.truncated})
                }
                Err((id, message)) => {
                    eprintln!("stancer: {message}");
                    serde_json::json!({"id": id, "error": {"kind": "bad_pair", "message": message}})
                }
            };
            writeln!(out, "{line}")?;
        }
    }
    out.flush()?;
    Ok(super::exit_code(failed))
}

/// The whole input: the file, or standard input for none or `-`.
fn read_input(path: Option<&Path>) -> Result<String> {
    let mut input = String::new();
    match path {
        Some(p) if p != Path::new("-") => {
            input = std::fs::read_to_string(p)
                .with_context(|| format!("{}: cannot read (JSON lines expected)", p.display()))?;
        }
        _ => {
            std::io::stdin()
                .read_to_string(&mut input)
                .context("reading standard input")?;
        }
    }
    Ok(input)
}

/// Line `n` (0-based) of input `name` as a pair and its id, or the line's id and error message.
fn parse_line(
    name: &str,
    n: usize,
    l: &str,
) -> std::result::Result<(Pair, Option<serde_json::Value>), (Option<serde_json::Value>, String)> {
    match serde_json::from_str::<ClassifyLine>(l) {
        Ok(c) if !c.text.trim().is_empty() && !c.target.trim().is_empty() => {
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
            Ok((pair, c.id))
        }
        Ok(c) => Err((c.id, format!("{name}:{}: empty text or target", n + 1))),
        Err(e) => Err((None, format!("{name}:{}: {e}", n + 1))),
    }
}
