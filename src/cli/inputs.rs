//! The articles a command reads: files given on the command line, or `--jsonl` lines.

use std::path::{Path, PathBuf};

use anyhow::Result;
use stancer::input::jsonl;
use stancer::output::jsonl::Source;
use stancer::Article;

/// One input and its article (or why it could not be read).
pub struct Input {
    /// Which input.
    pub from: Named,
    /// The article, or the input's error.
    pub article: stancer::Result<Article>,
}

/// An input's name: a path, or the `--jsonl` line's id.
pub struct Named {
    pub name: String,
    from_jsonl: bool,
}

impl Named {
    /// How records name this input: `path` for a file, `id` for a line.
    pub fn source(&self) -> Source<'_> {
        if self.from_jsonl {
            Source::Id(&self.name)
        } else {
            Source::Path(&self.name)
        }
    }
}

/// Files, or the lines of `jsonl` (read as a stream; a read error of the stream stops the run).
pub fn read<'a>(
    files: &'a [PathBuf],
    jsonl: Option<&Path>,
    shard: Option<(usize, usize)>,
    max_bytes: u64,
) -> Result<Box<dyn Iterator<Item = Result<Input>> + 'a>> {
    Ok(match jsonl {
        Some(src) => Box::new(jsonl::Reader::open(src, shard, max_bytes)?.map(|e| {
            let e = e?;
            Ok(Input {
                from: Named {
                    name: e.id,
                    from_jsonl: true,
                },
                article: e.article,
            })
        })),
        None => Box::new(files.iter().map(move |f| {
            Ok(Input {
                from: Named {
                    name: stancer::input::path_name(f),
                    from_jsonl: false,
                },
                article: Article::from_path(f, max_bytes),
            })
        })),
    })
}
