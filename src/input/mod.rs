//! Reading articles: bytes from a file or stdin → checked UTF-8 text.
//!
//! Every rejection names the input and the reason, so a batch run can report
//! the file and carry on. The text kept here is the text all offsets refer to.

use std::io::Read;
use std::path::Path;

use sha2::{Digest, Sha256};

use crate::error::{Error, Result};

pub mod date;
mod html;
mod json;
pub mod jsonl;
pub mod meta;

pub use html::html_to_text;
pub use meta::Metadata;

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
    /// What the input says about the article (title, date, outlet, URL, author).
    pub meta: Metadata,
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
            meta: Metadata::default(),
        }
    }

    /// The same article with this metadata over what the input itself said (a `--jsonl`
    /// line's fields over a page's own tags).
    pub fn with_meta(mut self, meta: Metadata) -> Self {
        self.meta = meta.or(std::mem::take(&mut self.meta));
        self
    }

    /// Checks and decodes raw bytes. `id` names the input in errors.
    pub fn from_bytes(id: &str, bytes: &[u8], format: InputFormat) -> Result<Self> {
        crate::error::catch_panic(id, || Self::decode(id, bytes, format))
    }

    fn decode(id: &str, bytes: &[u8], format: InputFormat) -> Result<Self> {
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
        let (text, meta) = match format {
            InputFormat::Text => (normalize_newlines(raw), Metadata::default()),
            InputFormat::Html => (html_to_text(raw), Metadata::from_html(raw)),
            InputFormat::Json => json::read(id, raw).map(|(t, m)| (without_nul(t), m))?,
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
            meta,
        })
    }

    /// Reads a file (or standard input for `-`), refusing anything over `max_bytes`.
    pub fn from_path(path: &Path, max_bytes: u64) -> Result<Self> {
        let id = path_name(path);
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

/// How records name a file: its path as text. A path that is not UTF-8 keeps each byte that is
/// not as `\xNN`: `display()` turned them all into U+FFFD, so two such names became one
/// `path` and `--resume` skipped both.
pub fn path_name(path: &Path) -> String {
    #[cfg(unix)]
    {
        use std::os::unix::ffi::OsStrExt;
        let bytes = path.as_os_str().as_bytes();
        if std::str::from_utf8(bytes).is_err() {
            return bytes
                .utf8_chunks()
                .flat_map(|c| {
                    let bad = c.invalid().iter().map(|b| format!("\\x{b:02x}"));
                    std::iter::once(c.valid().to_string()).chain(bad)
                })
                .collect();
        }
    }
    path.display().to_string()
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

/// Text decoded from an escape (`\u0000` in JSON) never holds NUL: it becomes U+FFFD, as
/// `&#0;` does in HTML. A raw NUL byte means a binary file and is refused before decoding;
/// the same character arriving escaped is a scraping artefact, not a reason to lose the article.
pub(super) fn without_nul(s: String) -> String {
    if s.contains('\0') {
        s.replace('\0', "\u{FFFD}")
    } else {
        s
    }
}

pub(super) fn normalize_newlines(s: &str) -> String {
    if s.contains('\r') {
        s.replace("\r\n", "\n").replace('\r', "\n")
    } else {
        s.to_string()
    }
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

    #[test]
    fn hostile_bytes_decode_without_panic_or_nul() {
        // A bare `&` before multi-byte characters cut a character when the entity name was
        // looked for in the next 12 bytes (exit 101 on 3.5% of generated inputs).
        let a = Article::from_bytes(
            "a.html",
            "<p>R&éééééé; &#0;x</p>".as_bytes(),
            InputFormat::Html,
        )
        .unwrap();
        assert_eq!(a.text, "R&éééééé; \u{FFFD}x");
        let a =
            Article::from_bytes("a.json", br#"{"text":"a\u0000b"}"#, InputFormat::Json).unwrap();
        assert_eq!(a.text, "a\u{FFFD}b");
        // Non-English month names in metadata panicked the date parser; now they are dates.
        let a = Article::from_bytes(
            "a.json",
            r#"{"text":"Body.","date":"1 août 2019"}"#.as_bytes(),
            InputFormat::Json,
        )
        .unwrap();
        assert_eq!(a.meta.published.as_deref(), Some("2019-08-01"));
    }

    #[test]
    fn jsonl_lines_with_a_bom_escaped_nul_and_bad_bytes() {
        let dir = std::env::temp_dir().join(format!("stancer-jsonl-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let f = dir.join("in.jsonl");
        std::fs::write(
            &f,
            b"\xEF\xBB\xBF{\"id\":\"a\",\"text\":\"One.\"}\n{\"id\":\"b\",\"text\":\"x\\u0000y\"}\n{\"id\":\"c\",\"text\":\"caf\xe9\"}\n",
        )
        .unwrap();
        let got: Vec<jsonl::Entry> = jsonl::Reader::open(&f, None, 1 << 20)
            .unwrap()
            .map(|e| e.unwrap())
            .collect();
        std::fs::remove_dir_all(&dir).unwrap();
        assert_eq!(got.len(), 3);
        assert_eq!(got[0].id, "a");
        assert_eq!(got[0].article.as_ref().unwrap().text, "One.");
        assert_eq!(got[1].article.as_ref().unwrap().text, "x\u{FFFD}y");
        assert_eq!(got[2].article.as_ref().unwrap_err().kind(), "bad_json");
    }
}
