//! Library errors. Each variant names the input it is about and what to do.

use std::path::PathBuf;

/// Everything that can go wrong in the library.
///
/// [`Error::kind`] gives a short stable name (`empty`, `binary`, `not_utf8`, …)
/// used in batch error records, so programs can count failures by cause.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// A file could not be opened or read.
    #[error("{path}: cannot read: {source}")]
    Io {
        /// The file.
        path: PathBuf,
        #[source]
        /// The underlying error.
        source: std::io::Error,
    },
    /// An output file or folder could not be created or written.
    #[error("{path}: cannot write: {source}")]
    Write {
        /// The file or folder.
        path: PathBuf,
        #[source]
        /// The underlying error.
        source: std::io::Error,
    },
    /// Empty or whitespace-only input.
    #[error("{input}: the input is empty (or only whitespace); nothing to score")]
    Empty {
        /// The input (path, `-` or caller id).
        input: String,
    },
    /// A NUL byte: not text.
    #[error("{input}: looks binary (NUL byte at offset {offset}); stancer reads UTF-8 text, HTML, Markdown or JSON")]
    Binary {
        /// The input (path, `-` or caller id).
        input: String,
        /// Byte offset of the first offending byte.
        offset: usize,
    },
    /// Bytes that are not UTF-8 (another encoding, or a file cut mid-character).
    #[error("{input}: not valid UTF-8 (first bad byte at offset {offset}); convert it, e.g. `iconv -f latin1 -t utf-8`")]
    NotUtf8 {
        /// The input (path, `-` or caller id).
        input: String,
        /// Byte offset of the first offending byte.
        offset: usize,
    },
    /// Larger than the configured limit.
    #[error("{input}: {size} bytes is over the limit of {limit} bytes; raise it with --max-bytes")]
    TooLarge {
        /// The input (path, `-` or caller id).
        input: String,
        /// The input's size in bytes.
        size: u64,
        /// The limit in bytes.
        limit: u64,
    },
    /// A .json input that does not parse or lacks the text fields.
    #[error("{input}: bad JSON: {message}")]
    BadJson {
        /// The input (path, `-` or caller id).
        input: String,
        /// What is wrong.
        message: String,
    },
    /// A document with no visible text after extraction (HTML with only scripts, say).
    #[error("{input}: no article text found: {message}")]
    NoText {
        /// The input (path, `-` or caller id).
        input: String,
        /// What is wrong.
        message: String,
    },
    /// A model that cannot be loaded or used.
    #[error("model {model}: {message}")]
    Model {
        /// The model (directory or Hub id).
        model: String,
        /// What is wrong.
        message: String,
    },
    /// A model file that is not on disk (or not in the Hub cache when offline).
    #[error("model {model}: file {file} is missing; {hint}")]
    ModelFileMissing {
        /// The model (directory or Hub id).
        model: String,
        /// The missing file's name.
        file: String,
        /// What to do about it.
        hint: String,
    },
    /// A config.json architecture the engine does not implement.
    #[error("model {model}: unsupported architecture {arch:?}; supported: {supported}")]
    UnsupportedArchitecture {
        /// The model (directory or Hub id).
        model: String,
        /// The architecture config.json names.
        arch: String,
        /// The architectures stancer implements.
        supported: String,
    },
    /// A user party definition that cannot be used.
    #[error("parties {source_name}: {message}")]
    Parties {
        /// Where the definition came from (file, option).
        source_name: String,
        /// What is wrong.
        message: String,
    },
    /// A (text, party) pair that cannot be scored.
    #[error("pair {index}: {message}")]
    BadPair {
        /// The pair's position in the input.
        index: usize,
        /// What is wrong.
        message: String,
    },
    /// The tokenizer failed on an input.
    #[error("tokenizer: {0}")]
    Tokenizer(String),
    /// A bug caught while processing one input; the input is named so it can be reported.
    #[error("{input}: internal error (please report it with this input): {message}")]
    Internal {
        /// The input (path, `-` or caller id).
        input: String,
        /// What is wrong.
        message: String,
    },
    /// A tensor operation failed in candle.
    #[error("tensor computation failed: {0}")]
    Candle(#[from] candle_core::Error),
}

impl Error {
    /// A short, stable name for the kind of failure, used in JSON error records.
    pub fn kind(&self) -> &'static str {
        match self {
            Error::Io { source, .. } if source.kind() == std::io::ErrorKind::NotFound => {
                "not_found"
            }
            Error::Io { .. } => "io",
            Error::Write { .. } => "write",
            Error::Empty { .. } => "empty",
            Error::Binary { .. } => "binary",
            Error::NotUtf8 { .. } => "not_utf8",
            Error::TooLarge { .. } => "too_large",
            Error::BadJson { .. } => "bad_json",
            Error::NoText { .. } => "no_text",
            Error::Model { .. }
            | Error::ModelFileMissing { .. }
            | Error::UnsupportedArchitecture { .. } => "model",
            Error::Parties { .. } => "parties",
            Error::BadPair { .. } => "bad_pair",
            Error::Tokenizer(_) => "tokenizer",
            Error::Candle(_) => "compute",
            Error::Internal { .. } => "internal",
        }
    }

    /// True for errors about one input; false for errors that stop a whole run
    /// (a missing model is not a reason to try the next file).
    pub fn is_input_error(&self) -> bool {
        matches!(
            self,
            Error::Io { .. }
                | Error::Empty { .. }
                | Error::Binary { .. }
                | Error::NotUtf8 { .. }
                | Error::TooLarge { .. }
                | Error::BadJson { .. }
                | Error::NoText { .. }
                | Error::BadPair { .. }
                | Error::Internal { .. }
        )
    }
}

/// The library's result type.
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// Runs `f` on one input and turns a panic inside it into [`Error::Internal`] naming the input,
/// so a stream of inputs (`batch`, `--jsonl`, `classify`, Python's `score_many`) records that
/// input's error and goes on. Used at each per-input entry point (decoding, analysis, scoring);
/// a bug is still a bug: the message asks for the input to be reported.
pub fn catch_panic<T>(input: &str, f: impl FnOnce() -> Result<T>) -> Result<T> {
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(f)).unwrap_or_else(|p| {
        let message = p
            .downcast_ref::<&str>()
            .map(|s| s.to_string())
            .or_else(|| p.downcast_ref::<String>().cloned())
            .unwrap_or_else(|| "panic".into());
        Err(Error::Internal {
            input: input.to_string(),
            message,
        })
    })
}
