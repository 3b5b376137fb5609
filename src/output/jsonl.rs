//! The one JSON-lines record envelope, shared by `batch`, `score --jsonl`, `score --format
//! jsonl`, `extract`, `classify`, and read back by `summarize`.
//!
//! Every line is one JSON object that names its input and carries either the result or an error:
//!
//! ```text
//! {"path": "articles/a.txt", "schema_version": 1, "article": {…}, "quotes": […], …}   a file's report
//! {"id": "doc-17", "schema_version": 1, "article": {…}, …}                         a --jsonl line's report
//! {"path": "articles/b.txt", "error": {"kind": "not_utf8", "message": "…"}}       an input that failed
//! {"id": "doc-18", "error": {"kind": "bad_json", "message": "…"}}
//! ```
//!
//! `path` is used when the input was a file, `id` when it was a `--jsonl` line (its `"id"`, or
//! `FILE:LINE` when it had none). The report's fields are those of
//! [`ArticleReport`](crate::report::ArticleReport), flattened into the record. `classify` writes
//! `{"id", "target", "stance", "sentiment", "truncated"}` or `{"id", "error"}` in the same way,
//! echoing each line's `id` as given (a string, a number or null).
//! `extract --pairs` writes one record per (quote, party) pair instead of one per article:
//! `{"path"|"id", "quote", "speaker"?, "party", "basis", "window": [start, end], "text", "target",
//! "holder"?, "target_spans", "holder_spans"}` ([`PairInput`](crate::report::PairInput)), whose
//! last five fields are `classify`'s input, and an article that failed gives its error record.
//! `error.kind` is [`Error::kind`], a stable name; `error.message` names the input and the problem.
//! A consumer tells the two apart by the presence of `error`.

use serde::Serialize;

use crate::error::Error;
use crate::report::{ArticleReport, PairInput};

/// Which input a record is about.
#[derive(Debug, Clone, Copy, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Source<'a> {
    /// A file (or `-` for standard input).
    Path(&'a str),
    /// A `--jsonl` line's id.
    Id(&'a str),
}

/// A flattened [`Source`] is its one `"path"` or `"id"` field.
#[derive(Serialize)]
struct Record<'a, T: Serialize> {
    #[serde(flatten)]
    source: Source<'a>,
    #[serde(flatten)]
    body: T,
}

#[derive(Serialize)]
struct ErrorBody<'a> {
    error: ErrorFields<'a>,
}

#[derive(Serialize)]
struct ErrorFields<'a> {
    kind: &'a str,
    message: &'a str,
}

fn line<T: Serialize>(source: Source, body: T) -> String {
    serde_json::to_string(&Record { source, body }).expect("records serialise")
}

/// The record of a scored (or extracted) input.
pub fn report(source: Source, r: &ArticleReport) -> String {
    line(source, r)
}

/// The record of one pair of an extracted input (`extract --pairs`).
pub fn pair(source: Source, p: &PairInput) -> String {
    line(source, p)
}

/// The record of an input that failed.
pub fn error(source: Source, e: &Error) -> String {
    error_with(source, e.kind(), &e.to_string())
}

fn error_with(source: Source, kind: &str, message: &str) -> String {
    line(
        source,
        ErrorBody {
            error: ErrorFields { kind, message },
        },
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_record_names_its_input_with_one_field() {
        let e = Error::Empty {
            input: "a.txt".into(),
        };
        let line = error(Source::Path("a.txt"), &e);
        assert!(
            line.starts_with(r#"{"path":"a.txt","error":{"kind":"empty","message":"#),
            "{line}"
        );
        let line = error(Source::Id("n1"), &e);
        assert!(line.starts_with(r#"{"id":"n1","error":"#), "{line}");
    }
}
