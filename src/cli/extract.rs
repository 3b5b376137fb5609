//! `stancer extract`: quotes, speakers, entities and parties without the model, as JSON lines.

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Result;
use clap::Args;

use super::args::{self, PartyArgs};
use stancer::input::DEFAULT_MAX_BYTES;
use stancer::output::jsonl;

#[derive(Args)]
pub struct ExtractArgs {
    /// Article files; - for standard input
    #[arg(required_unless_present = "jsonl")]
    files: Vec<PathBuf>,
    /// Read `{"id": …, "text": …}` lines from FILE (- for stdin) instead of files; one report
    /// (or error record) per line, as `score --jsonl`
    #[arg(long, value_name = "FILE", conflicts_with = "files")]
    jsonl: Option<PathBuf>,
    /// With --jsonl: take only lines I, I+N, I+2N… (0-based), for N parallel workers
    #[arg(long, value_name = "I/N", requires = "jsonl")]
    shard: Option<String>,
    #[arg(long, default_value_t = DEFAULT_MAX_BYTES)]
    max_bytes: u64,
    /// Put the article text (what offsets refer to) into each report
    #[arg(long)]
    include_text: bool,
    /// Write one line per (quote, party) pair, as the model reads it (`stancer classify`'s input
    /// fields, with the report's quote, speaker and party ids), instead of one report per article
    #[arg(long, conflicts_with = "include_text")]
    pairs: bool,
    #[command(flatten)]
    parties: PartyArgs,
}

pub fn run(a: ExtractArgs) -> Result<ExitCode> {
    let analyzer = a.parties.analyzer()?;
    let shard = args::shard(a.shard.as_deref())?;
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    let mut failed = 0;
    for input in super::inputs::read(&a.files, a.jsonl.as_deref(), shard, a.max_bytes)? {
        let input = input?;
        let source = input.from.source();
        // One record per article, or one per pair with --pairs; a failed article is its error record.
        let records = input.article.and_then(|art| {
            if a.pairs {
                let pairs = analyzer.pair_inputs(&art)?;
                return Ok(pairs.iter().map(|p| jsonl::pair(source, p)).collect());
            }
            let mut r = analyzer.extract(&art)?;
            if a.include_text {
                r.article.text = Some(art.text.clone());
            }
            Ok(vec![jsonl::report(source, &r)])
        });
        let lines = records.unwrap_or_else(|e| {
            failed += 1;
            eprintln!("stancer: {e}");
            vec![jsonl::error(source, &e)]
        });
        for line in lines {
            writeln!(out, "{line}")?;
        }
    }
    out.flush()?;
    Ok(super::exit_code(failed))
}
