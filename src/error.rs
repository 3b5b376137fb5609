//! Library errors. Each variant names the input it is about and what to do.

use std::path::PathBuf;

/// Everything that can go wrong in the library.
///
/// [`Error::kind`] gives a short stable name (`empty`, `binary`, `not_utf8`, …)
/// used in batch error records, so programs can count failures by cause.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("{path}: cannot read: {source}")]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("{input}: the input is empty (or only whitespace); nothing to score")]
    Empty { input: String },
    #[error("{input}: looks binary (NUL byte at offset {offset}); stancer reads UTF-8 text, HTML, Markdown or JSON")]
    Binary { input: String, offset: usize },
    #[error("{input}: not valid UTF-8 (first bad byte at offset {offset}); convert it, e.g. `iconv -f latin1 -t utf-8`")]
    NotUtf8 { input: String, offset: usize },
    #[error("{input}: {size} bytes is over the limit of {limit} bytes; raise it with --max-bytes")]
    TooLarge {
        input: String,
        size: u64,
        limit: u64,
    },
    #[error("{input}: bad JSON: {message}")]
    BadJson { input: String, message: String },
    #[error("{input}: no article text found: {message}")]
    NoText { input: String, message: String },
    #[error("model {model}: {message}")]
    Model { model: String, message: String },
    #[error("model {model}: file {file} is missing; {hint}")]
    ModelFileMissing {
        model: String,
        file: String,
        hint: String,
    },
    #[error("model {model}: unsupported architecture {arch:?}; supported: {supported}")]
    UnsupportedArchitecture {
        model: String,
        arch: String,
        supported: String,
    },
    #[error("parties {source_name}: {message}")]
    Parties {
        source_name: String,
        message: String,
    },
    #[error("pair {index}: {message}")]
    BadPair { index: usize, message: String },
    #[error("tokenizer: {0}")]
    Tokenizer(String),
    #[error("{input}: internal error (please report it with this input): {message}")]
    Internal { input: String, message: String },
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

pub type Result<T, E = Error> = std::result::Result<T, E>;
