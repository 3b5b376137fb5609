//! The `stancer` command line: parse, dispatch, decide the exit code once.
//!
//! Exit codes: 0 all inputs done; 1 some inputs failed (each reported, with an error record in
//! JSON-lines output); 2 the run itself could not proceed (bad flags, model, output file).

mod cli;

use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    match cli::Cli::parse().run() {
        Ok(code) => code,
        Err(e) => {
            // A closed pipe (`stancer … | head`) is not an error worth a message.
            if e.downcast_ref::<std::io::Error>()
                .is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe)
            {
                return ExitCode::SUCCESS;
            }
            eprintln!("stancer: {}", message(&e));
            ExitCode::from(2)
        }
    }
}

/// The error and its causes, each said once: our errors already name their cause in their own
/// message ("x: cannot write: Permission denied"), and `{:#}` repeated it after them.
fn message(e: &anyhow::Error) -> String {
    let mut out = e.to_string();
    for cause in e.chain().skip(1) {
        let c = cause.to_string();
        if !out.contains(&c) {
            out = format!("{out}: {c}");
        }
    }
    out
}
