//! `stancer score`: articles → reports as a table, JSON, JSON lines, CSV or HTML pages.

use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{bail, Context, Result};
use clap::{Args, ValueEnum};

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
                Format::Html => writeln!(out, "{}", write_page(&a.html_dir, &from.name, &r)?)?,
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

/// Writes one article's page under `dir`, named after the input; returns its path.
fn write_page(dir: &Path, name: &str, r: &ArticleReport) -> Result<String> {
    std::fs::create_dir_all(dir).with_context(|| format!("{}: cannot create", dir.display()))?;
    let stem = Path::new(name)
        .file_stem()
        .map(|s| s.to_string_lossy().to_string())
        .filter(|s| !s.is_empty() && s != "-")
        .unwrap_or_else(|| "stdin".into());
    let path = dir.join(format!("{stem}.html"));
    std::fs::write(&path, output::html::render(r))
        .with_context(|| format!("{}: cannot write", path.display()))?;
    Ok(path.display().to_string())
}
