//! `stancer summarize`: results files (any JSON-lines stream of reports) → what the corpus says.

use std::io::{BufReader, IsTerminal, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{Context, Result};
use clap::{Args, ValueEnum};

use super::args::LevelArg;
use stancer::corpus::{Corpus, Options, Period};
use stancer::output;

#[derive(Clone, Copy, ValueEnum, PartialEq)]
enum Format {
    Table,
    Csv,
    Json,
    Html,
}

#[derive(Clone, Copy, ValueEnum)]
enum ByArg {
    Month,
    Week,
    Day,
    Outlet,
}

#[derive(Args)]
pub struct SummarizeArgs {
    /// JSON-lines results (`stancer batch --out`, `score --jsonl`, `extract`); - for stdin
    #[arg(required = true, value_name = "RESULTS.jsonl")]
    files: Vec<PathBuf>,
    /// Parties as found, or folded into countries (speakers by their affiliation)
    #[arg(long, value_enum, default_value = "party")]
    level: LevelArg,
    /// Series per period or outlet for the pairs asked for (or the busiest pairs); the HTML
    /// report uses months when this is not given
    #[arg(long, value_enum)]
    by: Option<ByArg>,
    /// Only this speaker: a party id or part of the name (repeatable)
    #[arg(long, value_name = "NAME")]
    speaker: Vec<String>,
    /// Only this party: a party id or part of the name (repeatable)
    #[arg(long, value_name = "NAME")]
    party: Vec<String>,
    /// Leave out cells with fewer quotes
    #[arg(long, default_value_t = 1, value_name = "N")]
    min_quotes: u64,
    /// Cells shown in the table (JSON and CSV have them all)
    #[arg(long, default_value_t = 40, value_name = "N")]
    top: usize,
    /// Series for this many of the busiest pairs (when no --speaker or --party is given)
    #[arg(long, default_value_t = 5, value_name = "N")]
    series: usize,
    /// Evidence quotes kept per cell in each direction (for and against)
    #[arg(long, default_value_t = 3, value_name = "N")]
    evidence: usize,
    #[arg(long, value_enum, default_value = "table")]
    format: Format,
    /// Write here instead of standard output
    #[arg(long, short, value_name = "FILE")]
    out: Option<PathBuf>,
}

pub fn run(a: SummarizeArgs) -> Result<ExitCode> {
    let by = a.by.map(|b| match b {
        ByArg::Month => Period::Month,
        ByArg::Week => Period::Week,
        ByArg::Day => Period::Day,
        ByArg::Outlet => Period::Outlet,
    });
    let mut corpus = Corpus::new(Options {
        level: a.level.level(),
        by: by.or((a.format == Format::Html).then_some(Period::Month)),
        speakers: a.speaker,
        parties: a.party,
        min_quotes: a.min_quotes.max(1),
        evidence: a.evidence,
        top_series: a.series,
    });
    for f in &a.files {
        let name = f.display().to_string();
        let read = if name == "-" {
            corpus.read(&name, std::io::stdin().lock())
        } else {
            let file = std::fs::File::open(f).with_context(|| format!("{name}: cannot open"))?;
            corpus.read(&name, BufReader::with_capacity(1 << 20, file))
        };
        read.with_context(|| format!("{name}: read error"))?;
    }
    let s = corpus.finish();
    let to_terminal = a.out.is_none() && std::io::stdout().is_terminal();
    let color = to_terminal && std::env::var_os("NO_COLOR").is_none();
    let mut out: Box<dyn Write> = match &a.out {
        Some(p) => Box::new(std::io::BufWriter::new(
            std::fs::File::create(p).with_context(|| format!("{}: cannot write", p.display()))?,
        )),
        None => Box::new(std::io::BufWriter::new(std::io::stdout().lock())),
    };
    match a.format {
        Format::Table => out.write_all(output::corpus::table(&s, a.top, color).as_bytes())?,
        Format::Csv => out.write_all(output::corpus::csv(&s).as_bytes())?,
        // Streamed: the JSON of a big corpus is never held in memory twice.
        Format::Json => {
            serde_json::to_writer_pretty(&mut out, &s)?;
            writeln!(out)?;
        }
        Format::Html => out.write_all(output::corpus_html::render(&s).as_bytes())?,
    }
    out.flush()?;
    let i = &s.inputs;
    if i.errors > 0 {
        eprintln!(
            "stancer summarize: {} of {} records are errors (counted in the summary)",
            i.errors, i.records
        );
    }
    // Lines that are not records at all are this command's own bad input.
    Ok(super::exit_code(
        i.error_kinds.get("bad_record").copied().unwrap_or(0) as usize,
    ))
}
