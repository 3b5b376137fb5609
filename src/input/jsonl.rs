//! The `{"id", "text", …}` JSON-lines reader shared by every `--jsonl` command.
//!
//! One entry per non-blank line, read as a stream (a corpus file never has to fit in memory).
//! A line that is not JSON, not UTF-8, has no `"text"` string or is too large becomes that
//! line's error, named `FILE:LINE`, so the caller writes an error record and carries on. Fields
//! other than `id` and `text` are the article's metadata ([`Metadata::from_json`]).

use std::io::BufRead;
use std::path::{Path, PathBuf};

use super::{Article, InputFormat, Metadata};
use crate::error::{Error, Result};

/// The record on line `line_no` (1-based) of a JSON-lines stream, without its surrounding
/// whitespace and, on the first line, without a byte-order mark: editors on Windows write one,
/// and it made the first line not JSON. Every JSON-lines reader (`--jsonl`, `classify`,
/// `summarize`) goes through here, so they agree.
pub fn line_bytes(line_no: usize, buf: &[u8]) -> &[u8] {
    let buf = if line_no == 1 {
        buf.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(buf)
    } else {
        buf
    };
    buf.trim_ascii()
}

/// One line's article, or why it could not be read.
#[derive(Debug)]
pub struct Entry {
    /// The line's `id` (string or number), or `FILE:LINE` when it has none.
    pub id: String,
    /// The article, or the line's error.
    pub article: Result<Article>,
}

/// Reads entries from a file or standard input (`-`).
pub struct Reader {
    name: String,
    path: PathBuf,
    lines: Box<dyn BufRead>,
    line_no: usize,
    shard: Option<(usize, usize)>,
    max_bytes: u64,
    failed: bool,
}

impl Reader {
    /// Opens `src` (`-` for standard input). With `shard = (i, n)` only lines `i, i+n, …`
    /// (0-based, blank lines counted) are read.
    pub fn open(src: &Path, shard: Option<(usize, usize)>, max_bytes: u64) -> Result<Reader> {
        let lines: Box<dyn BufRead> = if src == Path::new("-") {
            Box::new(std::io::BufReader::new(std::io::stdin()))
        } else {
            let f = std::fs::File::open(src).map_err(|source| Error::Io {
                path: src.to_path_buf(),
                source,
            })?;
            Box::new(std::io::BufReader::with_capacity(1 << 20, f))
        };
        Ok(Reader::from_reader(src, lines, shard, max_bytes))
    }

    /// Reads entries from any buffered reader; `src` names it in errors (`SRC:LINE`).
    pub fn from_reader(
        src: &Path,
        lines: Box<dyn BufRead>,
        shard: Option<(usize, usize)>,
        max_bytes: u64,
    ) -> Reader {
        Reader {
            name: src.display().to_string(),
            path: src.to_path_buf(),
            lines,
            line_no: 0,
            shard,
            max_bytes,
            failed: false,
        }
    }

    fn entry(&self, line: &[u8]) -> Entry {
        let fallback = format!("{}:{}", self.name, self.line_no);
        let bad = |message: String| Error::BadJson {
            input: fallback.clone(),
            message,
        };
        let parsed = std::str::from_utf8(line)
            .map_err(|e| bad(format!("not UTF-8 at byte {}", e.valid_up_to())))
            .and_then(|l| {
                serde_json::from_str::<serde_json::Value>(l).map_err(|e| bad(e.to_string()))
            });
        let obj = match parsed {
            Ok(serde_json::Value::Object(o)) => o,
            Ok(_) => return self.failed_entry(fallback.clone(), bad("not a JSON object".into())),
            Err(e) => return self.failed_entry(fallback, e),
        };
        let id = match obj.get("id") {
            Some(serde_json::Value::String(s)) => s.clone(),
            Some(serde_json::Value::Number(n)) => n.to_string(),
            _ => fallback.clone(),
        };
        let article = match obj.get("text").and_then(|t| t.as_str()) {
            Some(t) if t.len() as u64 > self.max_bytes => Err(Error::TooLarge {
                input: id.clone(),
                size: t.len() as u64,
                limit: self.max_bytes,
            }),
            // The line's metadata is read here, outside `from_bytes`: a panic in it (the date
            // parser's, once) must still be this line's error, not the end of the stream.
            Some(t) => crate::error::catch_panic(&id, || {
                let text = super::without_nul(t.to_string());
                Article::from_bytes(&id, text.as_bytes(), InputFormat::Text)
                    .map(|a| a.with_meta(Metadata::from_json(&obj)))
            }),
            None => Err(bad("no \"text\" string".into())),
        };
        Entry { id, article }
    }

    fn failed_entry(&self, id: String, e: Error) -> Entry {
        Entry {
            id,
            article: Err(e),
        }
    }
}

impl Iterator for Reader {
    /// An entry, or a read error of the stream itself (after which iteration stops).
    type Item = Result<Entry>;

    fn next(&mut self) -> Option<Result<Entry>> {
        let mut buf = Vec::new();
        while !self.failed {
            buf.clear();
            match self.lines.read_until(b'\n', &mut buf) {
                Ok(0) => return None,
                Ok(_) => {}
                Err(source) => {
                    self.failed = true;
                    return Some(Err(Error::Io {
                        path: self.path.clone(),
                        source,
                    }));
                }
            }
            self.line_no += 1;
            let n = self.line_no - 1;
            let line = line_bytes(self.line_no, &buf);
            if self.shard.is_some_and(|(i, k)| n % k != i) || line.is_empty() {
                continue;
            }
            return Some(Ok(self.entry(line)));
        }
        None
    }
}
