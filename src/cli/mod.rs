//! The commands, one module each. Flags are parsed in [`args`] and turned into library objects
//! there; each command module only runs its job and returns the exit code.

pub mod args;
mod batch;
mod classify;
mod extract;
mod inputs;
mod score;
mod summarize;

use std::process::ExitCode;

use anyhow::Result;
use clap::{Parser, Subcommand};

#[derive(Parser)]
#[command(
    name = "stancer",
    version,
    about = "Find attributed quotes in news articles and score their stance toward the parties they name."
)]
pub struct Cli {
    #[command(subcommand)]
    cmd: Cmd,
}

#[derive(Subcommand)]
enum Cmd {
    /// Score articles: quotes, speakers, parties, stance and sentiment.
    Score(score::ScoreArgs),
    /// Score every article under a directory into a JSON-lines file (resumable).
    Batch(batch::BatchArgs),
    /// Score your own (text, target) pairs, given as JSON lines.
    Classify(classify::ClassifyArgs),
    /// Quotes, speakers and parties only (no model): fast, for inspection and evaluation.
    Extract(extract::ExtractArgs),
    /// What a corpus says: the speaker × party matrix over many reports, with intervals,
    /// evidence quotes and series over time or outlets.
    Summarize(summarize::SummarizeArgs),
}

impl Cli {
    /// Runs the command; `Ok` carries its exit code (1 when some inputs failed).
    pub fn run(self) -> Result<ExitCode> {
        match self.cmd {
            Cmd::Score(a) => score::run(a),
            Cmd::Batch(a) => batch::run(a),
            Cmd::Classify(a) => classify::run(a),
            Cmd::Extract(a) => extract::run(a),
            Cmd::Summarize(a) => summarize::run(a),
        }
    }
}

/// 1 when some inputs failed (each was reported), 0 otherwise.
fn exit_code(failed: usize) -> ExitCode {
    if failed > 0 {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}
