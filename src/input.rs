//! Reading articles: bytes from a file or stdin → checked UTF-8 text.
//!
//! Every rejection names the input and the reason, so a batch run can report
//! the file and carry on. The text kept here is the text all offsets refer to.

use std::io::Read;
use std::path::Path;

use sha2::{Digest, Sha256};

use crate::error::{Error, Result};

/// Default upper bound on one input's size (5 MB), `--max-bytes` on the command line.
pub const DEFAULT_MAX_BYTES: u64 = 5_000_000;

/// How the input's bytes are interpreted.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum InputFormat {
    /// Plain text or Markdown, used as is.
    Text,
    /// HTML: visible text of the title and body; scripts, styles and navigation dropped.
    Html,
    /// A JSON object with `title` and `text` or `body` (or BASIL's `body-paragraphs`).
    Json,
}

impl InputFormat {
    /// Picks the format from a file extension; anything unknown is text.
    pub fn from_path(path: &Path) -> Self {
        match path
            .extension()
            .and_then(|e| e.to_str())
            .map(|e| e.to_ascii_lowercase())
        {
            Some(e) if e == "html" || e == "htm" => InputFormat::Html,
            Some(e) if e == "json" => InputFormat::Json,
            _ => InputFormat::Text,
        }
    }
}

/// One article, ready for the pipeline.
#[derive(Debug, Clone)]
pub struct Article {
    /// Path or caller-given id; used in every report and error.
    pub id: String,
    /// The text all offsets refer to (for HTML/JSON: the extracted text).
    pub text: String,
    /// sha256 of the input bytes as read (before extraction), hex.
    pub sha256: String,
    /// How the bytes were read.
    pub format: InputFormat,
}

impl Article {
    /// An article from text already in memory.
    ///
    /// ```
    /// let a = stancer::Article::from_text("note-1", "Putin said the talks went well.");
    /// assert_eq!(a.id, "note-1");
    /// assert_eq!(a.char_len(), 31);
    /// ```
    pub fn from_text(id: impl Into<String>, text: impl Into<String>) -> Self {
        let text = text.into();
        let sha256 = hex_sha256(text.as_bytes());
        Article {
            id: id.into(),
            text,
            sha256,
            format: InputFormat::Text,
        }
    }

    /// Checks and decodes raw bytes. `id` names the input in errors.
    pub fn from_bytes(id: &str, bytes: &[u8], format: InputFormat) -> Result<Self> {
        let sha256 = hex_sha256(bytes);
        let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
        if let Some(offset) = bytes.iter().position(|&b| b == 0) {
            return Err(Error::Binary {
                input: id.to_string(),
                offset,
            });
        }
        let raw = std::str::from_utf8(bytes).map_err(|e| Error::NotUtf8 {
            input: id.to_string(),
            offset: e.valid_up_to(),
        })?;
        if raw.trim().is_empty() {
            return Err(Error::Empty {
                input: id.to_string(),
            });
        }
        let text = match format {
            InputFormat::Text => normalize_newlines(raw),
            InputFormat::Html => html_to_text(raw),
            InputFormat::Json => json_to_text(id, raw)?,
        };
        if text.trim().is_empty() {
            return Err(Error::NoText {
                input: id.to_string(),
                message: "the document has no visible text".into(),
            });
        }
        Ok(Article {
            id: id.to_string(),
            text,
            sha256,
            format,
        })
    }

    /// Reads a file (or standard input for `-`), refusing anything over `max_bytes`.
    pub fn from_path(path: &Path, max_bytes: u64) -> Result<Self> {
        let id = path.display().to_string();
        let io = |source| Error::Io {
            path: path.to_path_buf(),
            source,
        };
        let bytes = if id == "-" {
            read_limited(std::io::stdin().lock(), &id, max_bytes)
                .map_err(|e| flatten_io(e, path))?
        } else {
            let meta = std::fs::metadata(path).map_err(io)?;
            if meta.is_dir() {
                return Err(io(std::io::Error::other(
                    "is a directory; use `stancer batch DIR`",
                )));
            }
            if meta.len() > max_bytes {
                return Err(Error::TooLarge {
                    input: id,
                    size: meta.len(),
                    limit: max_bytes,
                });
            }
            let f = std::fs::File::open(path).map_err(io)?;
            // Limit the read as well: the file may grow between stat and read.
            read_limited(f, &id, max_bytes).map_err(|e| flatten_io(e, path))?
        };
        Article::from_bytes(&id, &bytes, InputFormat::from_path(path))
    }

    /// Number of Unicode scalar values in the text (the unit of every offset).
    pub fn char_len(&self) -> usize {
        self.text.chars().count()
    }
}

enum ReadErr {
    Io(std::io::Error),
    Lib(Error),
}

fn flatten_io(e: ReadErr, path: &Path) -> Error {
    match e {
        ReadErr::Io(source) => Error::Io {
            path: path.to_path_buf(),
            source,
        },
        ReadErr::Lib(e) => e,
    }
}

fn read_limited(r: impl Read, id: &str, max_bytes: u64) -> std::result::Result<Vec<u8>, ReadErr> {
    let mut buf = Vec::new();
    r.take(max_bytes + 1)
        .read_to_end(&mut buf)
        .map_err(ReadErr::Io)?;
    if buf.len() as u64 > max_bytes {
        return Err(ReadErr::Lib(Error::TooLarge {
            input: id.to_string(),
            size: buf.len() as u64,
            limit: max_bytes,
        }));
    }
    Ok(buf)
}

pub(crate) fn hex_sha256(bytes: &[u8]) -> String {
    let d = Sha256::digest(bytes);
    d.iter().map(|b| format!("{b:02x}")).collect()
}

fn normalize_newlines(s: &str) -> String {
    if s.contains('\r') {
        s.replace("\r\n", "\n").replace('\r', "\n")
    } else {
        s.to_string()
    }
}

fn json_to_text(id: &str, raw: &str) -> Result<String> {
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
    Ok(out)
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

/// Visible text of an HTML page: title, then block elements as paragraphs.
/// Scripts, styles and page furniture (nav, header, footer, aside, forms) are dropped.
pub fn html_to_text(html: &str) -> String {
    const SKIP: &[&str] = &[
        "script", "style", "nav", "header", "footer", "aside", "noscript", "form", "svg",
        "template", "button", "select",
    ];
    const BLOCK: &[&str] = &[
        "p",
        "div",
        "br",
        "li",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "article",
        "section",
        "blockquote",
        "tr",
        "title",
        "ul",
        "ol",
        "main",
        "figcaption",
        "pre",
        "hr",
        "table",
    ];
    let mut out = String::with_capacity(html.len() / 2);
    let mut skip_depth: Vec<String> = Vec::new();
    let mut i = 0;
    let b = html.as_bytes();
    while i < b.len() {
        if b[i] == b'<' {
            if html[i..].starts_with("<!--") {
                i = html[i..].find("-->").map(|e| i + e + 3).unwrap_or(b.len());
                continue;
            }
            let end = match html[i..].find('>') {
                Some(e) => i + e,
                None => break,
            };
            let tag = &html[i + 1..end];
            let closing = tag.starts_with('/');
            let name: String = tag
                .trim_start_matches('/')
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric())
                .collect::<String>()
                .to_ascii_lowercase();
            i = end + 1;
            if SKIP.contains(&name.as_str()) && !tag.ends_with('/') {
                if closing {
                    if skip_depth.last() == Some(&name) {
                        skip_depth.pop();
                    }
                } else {
                    skip_depth.push(name.clone());
                }
                continue;
            }
            if skip_depth.is_empty() && BLOCK.contains(&name.as_str()) {
                push_break(&mut out);
            }
            continue;
        }
        let next = html[i..].find('<').map(|e| i + e).unwrap_or(b.len());
        if skip_depth.is_empty() {
            let chunk = decode_entities(&html[i..next]);
            for c in chunk.chars() {
                let c = if c.is_whitespace() { ' ' } else { c };
                if c == ' ' && (out.is_empty() || out.ends_with(' ') || out.ends_with('\n')) {
                    continue;
                }
                out.push(c);
            }
        }
        i = next;
    }
    let lines: Vec<&str> = out
        .split('\n')
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .collect();
    lines.join("\n\n")
}

fn push_break(out: &mut String) {
    while out.ends_with(' ') {
        out.pop();
    }
    if !out.is_empty() && !out.ends_with('\n') {
        out.push('\n');
    }
}

fn decode_entities(s: &str) -> String {
    if !s.contains('&') {
        return s.to_string();
    }
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(p) = rest.find('&') {
        out.push_str(&rest[..p]);
        rest = &rest[p..];
        let semi = rest[..rest.len().min(12)].find(';');
        let decoded = semi.and_then(|e| {
            let name = &rest[1..e];
            let c = match name {
                "amp" => Some('&'),
                "lt" => Some('<'),
                "gt" => Some('>'),
                "quot" => Some('"'),
                "apos" | "#39" => Some('\''),
                "nbsp" => Some(' '),
                "rsquo" => Some('’'),
                "lsquo" => Some('‘'),
                "ldquo" => Some('“'),
                "rdquo" => Some('”'),
                "mdash" => Some('—'),
                "ndash" => Some('–'),
                "hellip" => Some('…'),
                "laquo" => Some('«'),
                "raquo" => Some('»'),
                n if n.starts_with("#x") || n.starts_with("#X") => u32::from_str_radix(&n[2..], 16)
                    .ok()
                    .and_then(char::from_u32),
                n if n.starts_with('#') => n[1..].parse().ok().and_then(char::from_u32),
                _ => None,
            };
            c.map(|c| (c, e + 1))
        });
        match decoded {
            Some((c, len)) => {
                out.push(c);
                rest = &rest[len..];
            }
            None => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rejects_bad_bytes_with_the_reason() {
        assert_eq!(
            Article::from_bytes("a.txt", b"", InputFormat::Text)
                .unwrap_err()
                .kind(),
            "empty"
        );
        assert_eq!(
            Article::from_bytes("a.txt", b" \n\t ", InputFormat::Text)
                .unwrap_err()
                .kind(),
            "empty"
        );
        assert_eq!(
            Article::from_bytes("a.txt", b"ab\0cd", InputFormat::Text)
                .unwrap_err()
                .kind(),
            "binary"
        );
        let e = Article::from_bytes("a.txt", b"caf\xe9 au lait", InputFormat::Text).unwrap_err();
        assert_eq!(e.kind(), "not_utf8");
        assert!(
            e.to_string().contains("a.txt") && e.to_string().contains("offset 3"),
            "{e}"
        );
        // A file cut in the middle of a multi-byte character is also not UTF-8.
        let cut = "Peskov said “".as_bytes();
        assert_eq!(
            Article::from_bytes("a.txt", &cut[..cut.len() - 1], InputFormat::Text)
                .unwrap_err()
                .kind(),
            "not_utf8"
        );
    }

    #[test]
    fn bom_is_dropped_and_hash_covers_input_bytes() {
        let a = Article::from_bytes("a", b"\xEF\xBB\xBFHello world.", InputFormat::Text).unwrap();
        assert_eq!(a.text, "Hello world.");
        assert_eq!(a.sha256, hex_sha256(b"\xEF\xBB\xBFHello world."));
    }

    #[test]
    fn html_keeps_visible_text_only() {
        let html = "<html><head><title>Talks resume</title><script>var x = '<p>no</p>';</script></head>\
            <body><nav>Home | World</nav><p>Peskov said &ldquo;we support it&rdquo;.</p><p>Lavrov&nbsp;agreed.</p></body></html>";
        let a = Article::from_bytes("a.html", html.as_bytes(), InputFormat::Html).unwrap();
        assert_eq!(
            a.text,
            "Talks resume\n\nPeskov said “we support it”.\n\nLavrov agreed."
        );
    }

    #[test]
    fn json_title_and_body_forms() {
        let a = Article::from_bytes(
            "a.json",
            br#"{"title":"T","text":"Body."}"#,
            InputFormat::Json,
        )
        .unwrap();
        assert_eq!(a.text, "T\n\nBody.");
        let basil = r#"{"title":"T","body-paragraphs":"[['One.', 'Two.'], [\"Three 'x'.\"]]"}"#;
        let a = Article::from_bytes("b.json", basil.as_bytes(), InputFormat::Json).unwrap();
        assert_eq!(a.text, "T\n\nOne. Two.\n\nThree 'x'.");
        let e = Article::from_bytes("c.json", br#"{"title":"T","text":"#, InputFormat::Json)
            .unwrap_err();
        assert_eq!(e.kind(), "bad_json");
        assert!(e.to_string().starts_with("c.json: bad JSON"));
    }
}
