//! `stancer score`: articles → reports as a table, JSON, JSON lines, CSV or HTML pages.

use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{bail, Result};
use clap::{Args, ValueEnum};
use sha2::Digest;

use super::args::{self, ModelArgs, PartyArgs};
use stancer::input::DEFAULT_MAX_BYTES;
use stancer::output::{self, jsonl};
use stancer::ArticleReport;

#[derive(Clone, Copy, ValueEnum, PartialEq)]
enum Format {
    Table,
    Json,
    Jsonl,
    Csv,
    Html,
}

#[derive(Clone, Copy, ValueEnum)]
enum ColorArg {
    Auto,
    Always,
    Never,
}

#[derive(Args)]
pub struct ScoreArgs {
    /// Article files (.txt, .md, .html, .json); - for standard input
    #[arg(required_unless_present = "jsonl")]
    files: Vec<PathBuf>,
    /// Read JSON lines {"id":…,"text":…, "title"?, "date"?, "outlet"?, "url"?, "author"?} from
    /// FILE (- for stdin) and write one record per line
    #[arg(long, value_name = "FILE")]
    jsonl: Option<PathBuf>,
    /// With --jsonl: take only lines I, I+N, I+2N… (0-based), for N parallel workers
    #[arg(long, value_name = "I/N")]
    shard: Option<String>,
    #[arg(long, value_enum, default_value = "table")]
    format: Format,
    /// Where --format html writes its pages (one per article)
    #[arg(long, default_value = "stancer-html")]
    html_dir: PathBuf,
    /// With --format html: replace pages that already exist in --html-dir
    #[arg(long)]
    force: bool,
    /// Put the article text (what offsets refer to) into the JSON
    #[arg(long)]
    include_text: bool,
    /// Largest input accepted, in bytes
    #[arg(long, default_value_t = DEFAULT_MAX_BYTES)]
    max_bytes: u64,
    #[arg(long, value_enum, default_value = "auto")]
    color: ColorArg,
    #[command(flatten)]
    model: ModelArgs,
    #[command(flatten)]
    parties: PartyArgs,
}

pub fn run(a: ScoreArgs) -> Result<ExitCode> {
    let shard = args::shard(a.shard.as_deref())?;
    if shard.is_some() && a.jsonl.is_none() {
        bail!("--shard applies to --jsonl input; for files use `stancer batch DIR --shard I/N`");
    }
    let scorer = args::scorer(
        &a.model,
        &a.parties,
        a.include_text || a.format == Format::Html,
    )?;
    let stdout = std::io::stdout();
    let color = match a.color {
        ColorArg::Always => true,
        ColorArg::Never => false,
        ColorArg::Auto => stdout.is_terminal() && std::env::var_os("NO_COLOR").is_none(),
    };
    let mut out = stdout.lock();
    let mut failed = 0usize;
    let mut reports = Vec::new();
    let mut pages = Pages::new(&a.html_dir, a.force);
    if a.format == Format::Csv {
        writeln!(out, "{}", output::csv::HEADER)?;
    }
    for input in super::inputs::read(&a.files, a.jsonl.as_deref(), shard, a.max_bytes)? {
        let input = input?;
        let from = &input.from;
        match input.article.and_then(|art| scorer.score_article(&art)) {
            Ok(r) => match a.format {
                Format::Table => writeln!(out, "{}", output::table::render(&r, color))?,
                Format::Jsonl => writeln!(out, "{}", jsonl::report(from.source(), &r))?,
                Format::Csv => write!(out, "{}", output::csv::rows(&r))?,
                Format::Json => reports.push(r),
                Format::Html => match pages.write(&from.name, &r) {
                    Ok(p) => writeln!(out, "{p}")?,
                    Err(e) => {
                        failed += 1;
                        eprintln!("stancer: {e}");
                    }
                },
            },
            Err(e) if e.is_input_error() => {
                failed += 1;
                eprintln!("stancer: {e}");
                if a.format == Format::Jsonl {
                    writeln!(out, "{}", jsonl::error(from.source(), &e))?;
                }
            }
            Err(e) => return Err(e.into()),
        }
    }
    if a.format == Format::Json {
        if reports.len() == 1 && a.jsonl.is_none() && a.files.len() == 1 {
            serde_json::to_writer_pretty(&mut out, &reports[0])?;
        } else {
            serde_json::to_writer_pretty(&mut out, &reports)?;
        }
        writeln!(out)?;
    }
    out.flush()?;
    Ok(super::exit_code(failed))
}

/// The pages `--format html` writes in one run: one file per input, named after it, inside
/// `dir`. Two inputs with one file name (`a/x.txt`, `b/x.txt`, or `--jsonl` lines without an
/// id) used to share a page, the later replacing the earlier; now the second takes a stable
/// suffix from its full name (`x-1a2b3c4d.html`), and a page already on disk is never replaced
/// without `--force`.
struct Pages {
    dir: PathBuf,
    force: bool,
    used: std::collections::HashSet<String>,
}

impl Pages {
    fn new(dir: &Path, force: bool) -> Pages {
        Pages {
            dir: dir.to_path_buf(),
            force,
            used: Default::default(),
        }
    }

    /// Writes one article's page; returns its path. An existing page (without `--force`)
    /// is this input's error, so the other inputs are still written.
    fn write(&mut self, name: &str, r: &ArticleReport) -> stancer::Result<String> {
        let file = self.file_name(name);
        let path = self.dir.join(file);
        let io = |source| stancer::Error::Write {
            path: path.clone(),
            source,
        };
        std::fs::create_dir_all(&self.dir).map_err(|source| stancer::Error::Write {
            path: self.dir.clone(),
            source,
        })?;
        let mut f = std::fs::OpenOptions::new()
            .write(true)
            .create(true)
            .truncate(true)
            .create_new(!self.force)
            .open(&path)
            .map_err(|e| match e.kind() {
                std::io::ErrorKind::AlreadyExists => io(std::io::Error::other(
                    "the page exists (from an earlier run?); pass --force to overwrite",
                )),
                _ => io(e),
            })?;
        f.write_all(output::html::render(r).as_bytes())
            .map_err(io)?;
        Ok(path.display().to_string())
    }

    /// `x.html` for `some/dir/x.txt`: only letters, digits, `.`, `-` and `_`, never a path
    /// out of `dir`; on a name this run already used, the first 8 hex digits of the SHA-256 of
    /// the input's full name are added.
    fn file_name(&mut self, name: &str) -> String {
        let base = Path::new(name)
            .file_stem()
            .map(|s| s.to_string_lossy().to_string())
            .unwrap_or_default();
        let mut stem: String = base
            .chars()
            .map(|c| {
                if c.is_alphanumeric() || matches!(c, '-' | '_' | '.') {
                    c
                } else {
                    '_'
                }
            })
            .take(120)
            .collect();
        stem = stem.trim_start_matches('.').to_string();
        if stem.is_empty() || stem == "-" {
            stem = "stdin".into();
        }
        if !self.used.insert(stem.clone()) {
            let hash = sha2::Sha256::digest(name.as_bytes());
            stem = format!(
                "{stem}-{:02x}{:02x}{:02x}{:02x}",
                hash[0], hash[1], hash[2], hash[3]
            );
            self.used.insert(stem.clone());
        }
        format!("{stem}.html")
    }
}
