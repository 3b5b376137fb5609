//! JSON articles: `title` and a body (`text`, `body`, `content`, or BASIL's `body-paragraphs`),
//! plus the metadata fields news JSON carries.

use super::meta::Metadata;
use super::normalize_newlines;
use crate::error::{Error, Result};

/// The text of a JSON article (title, blank line, body) and its metadata.
pub(super) fn read(id: &str, raw: &str) -> Result<(String, Metadata)> {
    let bad = |message: String| Error::BadJson {
        input: id.to_string(),
        message,
    };
    let v: serde_json::Value = serde_json::from_str(raw).map_err(|e| bad(e.to_string()))?;
    let obj = v
        .as_object()
        .ok_or_else(|| bad("expected a JSON object with \"text\" or \"body\"".into()))?;
    let title = obj
        .get("title")
        .and_then(|t| t.as_str())
        .map(str::trim)
        .filter(|t| !t.is_empty());
    let body = ["text", "body", "body-paragraphs", "content"]
        .iter()
        .find_map(|k| obj.get(*k))
        .ok_or_else(|| bad("no \"text\", \"body\" or \"body-paragraphs\" field".into()))?;
    let body = json_body(body)
        .ok_or_else(|| bad("the body is not a string or a list of strings".into()))?;
    let mut out = String::new();
    if let Some(t) = title {
        out.push_str(t);
        out.push_str("\n\n");
    }
    out.push_str(&normalize_newlines(&body));
    Ok((out, Metadata::from_json(obj)))
}

/// A body is a string, a list of paragraphs, or (BASIL) a list of lists of sentences,
/// possibly serialised as a Python-literal string.
fn json_body(v: &serde_json::Value) -> Option<String> {
    match v {
        serde_json::Value::String(s) => {
            let t = s.trim_start();
            if t.starts_with("[[") || t.starts_with("['") || t.starts_with("[\"") {
                if let Some(p) = python_list_literal(t) {
                    return Some(p);
                }
            }
            Some(s.clone())
        }
        serde_json::Value::Array(items) => {
            let parts: Option<Vec<String>> = items
                .iter()
                .map(|i| match i {
                    serde_json::Value::Array(sents) => Some(
                        sents
                            .iter()
                            .filter_map(|s| s.as_str())
                            .collect::<Vec<_>>()
                            .join(" "),
                    ),
                    other => json_body(other),
                })
                .collect();
            Some(parts?.join("\n\n"))
        }
        _ => None,
    }
}

/// Reads a Python repr of a list of lists of strings (as BASIL stores its paragraphs).
fn python_list_literal(s: &str) -> Option<String> {
    let mut paragraphs: Vec<Vec<String>> = Vec::new();
    let mut depth = 0;
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '[' => {
                depth += 1;
                if depth == 2 {
                    paragraphs.push(Vec::new());
                }
            }
            ']' => depth -= 1,
            '\'' | '"' => {
                let q = c;
                let mut cur = String::new();
                loop {
                    match chars.next()? {
                        '\\' => {
                            let e = chars.next()?;
                            cur.push(match e {
                                'n' => '\n',
                                't' => '\t',
                                other => other,
                            });
                        }
                        ch if ch == q => break,
                        ch => cur.push(ch),
                    }
                }
                if paragraphs.is_empty() {
                    paragraphs.push(Vec::new());
                }
                paragraphs.last_mut()?.push(cur);
            }
            _ => {}
        }
    }
    if depth != 0 {
        return None;
    }
    Some(
        paragraphs
            .iter()
            .map(|p| p.join(" "))
            .collect::<Vec<_>>()
            .join("\n\n"),
    )
}
