//! `stancer batch`: a directory → one JSON-lines record per file, resumable and shardable.

use std::io::IsTerminal;
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Result;
use clap::Args;

use super::args::{self, ModelArgs, PartyArgs};
use stancer::batch::{self, BatchOptions};
use stancer::input::DEFAULT_MAX_BYTES;

#[derive(Args)]
pub struct BatchArgs {
    /// Directory to walk (recursively; hidden files skipped)
    dir: PathBuf,
    /// Output JSON-lines file
    #[arg(long)]
    out: PathBuf,
    /// Articles scored in parallel
    #[arg(long, default_value_t = 1)]
    jobs: usize,
    /// Skip inputs already in --out and append the rest
    #[arg(long)]
    resume: bool,
    /// Overwrite an existing --out
    #[arg(long, conflicts_with = "resume")]
    force: bool,
    /// Only files matching this glob (default: *.txt, *.md, *.html, *.htm, *.json)
    #[arg(long)]
    glob: Option<String>,
    /// Take every N-th file starting at I (0-based): split one corpus over N machines
    #[arg(long, value_name = "I/N")]
    shard: Option<String>,
    #[arg(long, default_value_t = DEFAULT_MAX_BYTES)]
    max_bytes: u64,
    /// Put each article's text into its line
    #[arg(long)]
    include_text: bool,
    #[command(flatten)]
    model: ModelArgs,
    #[command(flatten)]
    parties: PartyArgs,
}

pub fn run(a: BatchArgs) -> Result<ExitCode> {
    let shard = args::shard(a.shard.as_deref())?;
    let scorer = args::scorer(&a.model, &a.parties, a.include_text)?;
    let opts = BatchOptions {
        dir: a.dir,
        out: a.out,
        jobs: a.jobs,
        resume: a.resume,
        force: a.force,
        glob: a.glob,
        shard,
        max_bytes: a.max_bytes,
        progress: std::io::stderr().is_terminal(),
    };
    let s = batch::run(&scorer, &opts)?;
    eprintln!(
        "stancer batch: {} files: {} ok, {} failed, {} skipped (already done); {} quotes, {} parties; {:.1} s",
        s.files, s.ok, s.failed, s.skipped, s.quotes, s.parties, s.seconds
    );
    Ok(super::exit_code(s.failed))
}
